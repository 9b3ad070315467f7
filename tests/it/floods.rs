//! Connection floods: half-open connections that trickle their headers (slowloris) neither
//! stop a normal request nor stay open, and past the connection cap new connections are closed
//! at once instead of exhausting the process's files.

use crate::common::{TestApp, TestDb};
use insignia::server::listen::HEADER_TIMEOUT;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

crate::on_both_backends!(half_open_connections_do_not_stop_a_request, past_the_cap_connections_are_closed_at_once);

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
