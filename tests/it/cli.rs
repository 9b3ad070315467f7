//! The binary as an operator meets it: help, bad values, the owner command, start and stop.

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_insignia");

fn insignia(data_dir: &std::path::Path) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.env_remove("DATABASE_URL").env_remove("INSIGNIA_ADDR").arg("--data-dir").arg(data_dir);
    cmd
}

#[test]
fn help_lists_the_options() {
    let out = Command::new(BIN).arg("--help").output().unwrap();
    assert!(out.status.success());
    let help = String::from_utf8(out.stdout).unwrap();
    for option in
        ["--addr", "--database-url", "--data-dir", "--cookie-secure", "create-owner", "INSIGNIA_ADDR", "DATABASE_URL"]
    {
        assert!(help.contains(option), "--help lacks {option}:\n{help}");
    }
}

#[test]
fn a_bad_value_stops_start_up_with_one_line() {
    let dir = tempfile::tempdir().unwrap();
    for args in [&["--addr", "not-an-address"][..], &["--database-url", "mysql://x/y"][..]] {
        let out = insignia(dir.path()).args(args).output().unwrap();
        assert!(!out.status.success(), "{args:?} must fail");
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(err.trim_end().lines().count(), 1, "{args:?} → {err:?}");
    }
}

#[test]
fn create_owner_reads_the_password_from_stdin() {
    let dir = tempfile::tempdir().unwrap();
    let run = |email: &str, password: &str| {
        let mut child = insignia(dir.path())
            .args(["create-owner", "--email", email])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(format!("{password}\n").as_bytes()).unwrap();
        child.wait_with_output().unwrap()
    };
    let short = run("owner@example.com", "short");
    assert!(!short.status.success());
    assert!(String::from_utf8_lossy(&short.stderr).contains("at least 8 characters"));

    let ok = run("owner@example.com", "a long enough password");
    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stderr));
    assert!(String::from_utf8_lossy(&ok.stdout).contains("Owner owner@example.com created"));
    assert!(dir.path().join("insignia.db").exists(), "the database is created in the data directory");

    let again = run("second@example.com", "a long enough password");
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already has an owner"));
}

#[test]
fn serves_health_and_stops_gracefully_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut child = insignia(dir.path())
        .args(["--addr", &format!("127.0.0.1:{port}")])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();

    let started = Instant::now();
    let healthy = loop {
        if let Ok(mut s) = std::net::TcpStream::connect(("127.0.0.1", port)) {
            use std::io::Read;
            s.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").unwrap();
            let mut response = String::new();
            s.read_to_string(&mut response).unwrap();
            break response;
        }
        assert!(started.elapsed() < Duration::from_secs(30), "server did not start");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(healthy.starts_with("HTTP/1.1 200"), "{healthy}");

    let killed = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    assert!(killed.success());
    let stop_started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(stop_started.elapsed() < Duration::from_secs(10), "server ignored SIGTERM");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "exit status {status:?}");
    let mut log = String::new();
    use std::io::Read;
    child.stderr.take().unwrap().read_to_string(&mut log).unwrap();
    assert!(log.contains("Insignia stopped"), "{log}");
}

#[test]
fn seed_adds_realistic_members_and_can_run_twice() {
    let dir = tempfile::tempdir().unwrap();
    for _ in 0..2 {
        let out = insignia(dir.path()).args(["seed", "--members", "6000"]).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        assert!(String::from_utf8_lossy(&out.stdout).contains("Added 6000 members"));
        assert!(String::from_utf8_lossy(&out.stderr).contains("seeded 5000 of 6000"), "progress is shown");
    }
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let url = format!("sqlite://{}", dir.path().join("insignia.db").display());
        let store = insignia::store::connect(&url).await.unwrap();
        let counts = store.member_counts().await.unwrap();
        assert_eq!(counts.total, 12_000, "the second run added to the first");
        assert!(counts.public > 3_000 && counts.public < 6_500, "about 40% public: {}", counts.public);
        let page = insignia::store::MemberPage { limit: 5, ..Default::default() };
        let some = store.query_members(&Default::default(), &page).await.unwrap();
        assert!(some.iter().all(|m| m.contact.first_name.is_some() && m.login_email.ends_with("@example.org")));
    });
}
