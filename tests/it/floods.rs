//! Floods: half-open connections that trickle their headers (slowloris) neither stop a normal
//! request nor stay open; past the connection cap new connections are closed at once instead of
//! exhausting the process's files; and hundreds of logins at once (each a 19 MiB argon2 hash)
//! neither grow the server's memory without bound nor stop its pages.

use crate::common::{TestApp, TestDb};
use insignia::server::listen::HEADER_TIMEOUT;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

crate::on_both_backends!(
    half_open_connections_do_not_stop_a_request,
    past_the_cap_connections_are_closed_at_once,
    concurrent_logins_keep_memory_bounded_and_pages_answering,
);

/// A connection that sent half a request's headers and then nothing.
async fn half_open(app: &TestApp) -> TcpStream {
    let mut stream = TcpStream::connect(app.addr).await.unwrap();
    stream.write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Slow: ").await.unwrap();
    stream
}

async fn half_open_connections_do_not_stop_a_request(db: TestDb) {
    let app = TestApp::spawn(db).await;
    // both ends of every connection live in this process, and both backends' tests run at once:
    // 2,000 where the open-files limit allows it (it does on the machines the tests run on)
    let limit = rlimit::increase_nofile_limit(u64::MAX).unwrap_or(1024) as usize;
    let n = 2_000.min(limit.saturating_sub(1_000) / 4);
    let mut idle = Vec::new();
    for _ in 0..n {
        idle.push(half_open(&app).await);
    }
    let started = Instant::now();
    let res = reqwest::get(app.url("/healthz")).await.unwrap();
    assert_eq!(res.status(), reqwest::StatusCode::OK);
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "answered in {:?} beside {n} half-open connections",
        started.elapsed()
    );
    // and the server closes them once their time for headers is up
    let mut first = idle.swap_remove(0);
    let mut buf = [0u8; 512];
    let closed = tokio::time::timeout(HEADER_TIMEOUT + Duration::from_secs(5), first.read(&mut buf)).await;
    assert!(matches!(closed, Ok(Ok(_)) | Ok(Err(_))), "a connection trickling its headers is closed (or answered 408)");
}

async fn past_the_cap_connections_are_closed_at_once(db: TestDb) {
    let app = TestApp::spawn_capped(db, 20).await;
    let mut idle = Vec::new();
    for _ in 0..20 {
        idle.push(half_open(&app).await);
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    let mut extra = TcpStream::connect(app.addr).await.unwrap();
    let _ = extra.write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n").await;
    let mut buf = [0u8; 64];
    let read =
        tokio::time::timeout(Duration::from_secs(2), extra.read(&mut buf)).await.expect("closed, not left hanging");
    assert!(matches!(read, Ok(0) | Err(_)), "the connection past the cap is closed: {read:?}");
    // the cap frees up as connections end
    drop(idle);
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(reqwest::get(app.url("/healthz")).await.unwrap().status(), reqwest::StatusCode::OK);
}

/// The server's resident memory of its own (heap and stacks), in bytes: not the pages of its
/// executable, which grow as code runs for the first time and are shared with the file.
fn rss(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let kb: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("RssAnon:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("RssAnon in /proc/PID/status");
    kb * 1024
}

/// A wrong password for an unknown email, from its own address (the server is told it sits
/// behind a proxy), so that no per-address limit absorbs the flood: every attempt wants a hash.
async fn bad_login(http: &reqwest::Client, base: &str, i: usize) -> reqwest::StatusCode {
    let path = <insignia::auth::api::Login as leptos::server_fn::ServerFn>::PATH;
    let email = format!("guess{i}@example.com");
    http.post(format!("{base}{path}"))
        .header("x-forwarded-for", format!("10.{}.{}.1", i / 256, i % 256))
        .form(&[("email", email.as_str()), ("password", "not-the-password")])
        .send()
        .await
        .map(|r| r.status())
        .unwrap_or(reqwest::StatusCode::SERVICE_UNAVAILABLE)
}

/// 300 logins at once. Before the hash limiter each ran its own argon2 on the blocking pool
/// (up to 512 threads × 19 MiB); now at most one per core runs, on threads of its own, and a few
/// wait; the rest are told 429. The server runs as its own process, so its memory is its own to
/// measure.
async fn concurrent_logins_keep_memory_bounded_and_pages_answering(db: TestDb) {
    const LOGINS: usize = 300;
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let base = format!("http://127.0.0.1:{port}");
    let site_root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/site");
    let server = tokio::process::Command::new(env!("CARGO_BIN_EXE_insignia"))
        .env_remove("INSIGNIA_DATA_DIR")
        .env("RUST_LOG", "error")
        .args(["--database-url", &db.url, "--addr", &format!("127.0.0.1:{port}"), "--behind-proxy"])
        .arg("--site-root")
        .arg(&site_root)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let pid = server.id().unwrap();
    let http = reqwest::Client::builder().timeout(Duration::from_secs(60)).build().unwrap();
    let started = Instant::now();
    while !http.get(format!("{base}/healthz")).send().await.is_ok_and(|r| r.status().is_success()) {
        assert!(started.elapsed() < Duration::from_secs(20), "the server did not start");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // warm up, so the allocator's arenas and the pools exist before the baseline is read
    for i in 0..8 {
        bad_login(&http, &base, LOGINS + i).await;
        http.get(format!("{base}/login")).header("accept", "text/html").send().await.unwrap();
    }
    let baseline = rss(pid);

    let flooding = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
    let sampler = tokio::spawn({
        let flooding = flooding.clone();
        async move {
            let mut peak = 0;
            while flooding.load(std::sync::atomic::Ordering::Relaxed) {
                peak = peak.max(rss(pid));
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
            peak
        }
    });
    let prober = tokio::spawn({
        let (flooding, http, base) = (flooding.clone(), http.clone(), base.clone());
        async move {
            let mut slowest = Duration::ZERO;
            while flooding.load(std::sync::atomic::Ordering::Relaxed) {
                let asked = Instant::now();
                let res = http.get(format!("{base}/login")).header("accept", "text/html").send().await.unwrap();
                assert_eq!(res.status(), reqwest::StatusCode::OK, "the login page answers during the flood");
                slowest = slowest.max(asked.elapsed());
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            slowest
        }
    });
    let mut logins = tokio::task::JoinSet::new();
    for i in 0..LOGINS {
        let (http, base) = (http.clone(), base.clone());
        logins.spawn(async move { bad_login(&http, &base, i).await });
    }
    let mut statuses = std::collections::BTreeMap::new();
    while let Some(status) = logins.join_next().await {
        *statuses.entry(status.unwrap().as_u16()).or_insert(0) += 1;
    }
    flooding.store(false, std::sync::atomic::Ordering::Relaxed);
    let (peak, slowest) = (sampler.await.unwrap(), prober.await.unwrap());

    let grown = peak.saturating_sub(baseline) / (1024 * 1024);
    println!(
        "{LOGINS} logins at once: {statuses:?}; memory {} MiB → peak +{grown} MiB; slowest page {slowest:?}",
        baseline / (1024 * 1024)
    );
    // 422: "wrong email or password", next to the password field
    assert!(statuses.keys().all(|s| [422, 429].contains(s)), "wrong password or busy, nothing else: {statuses:?}");
    assert!(statuses.contains_key(&429), "past the limiter's queue, logins are told to come back: {statuses:?}");
    // two hashes at a time are 38 MiB; 300 would be 5.6 GiB
    assert!(grown < 64, "memory grew by {grown} MiB during {LOGINS} concurrent logins");
    assert!(slowest < Duration::from_secs(2), "the login page took {slowest:?} during the flood");
}
