//! Live dashboards' Server-Sent Events, on both backends: owners and admins hear of changes as
//! they commit (visitors 401, members 403), a browser that reconnects with `Last-Event-ID` gets
//! what it missed, connections are bounded, and an event committed through one instance reaches
//! the browsers of another on the same database.

use crate::api::{app_with_owner, logged_in, signed_up_member, OWNER};
use crate::common::{by_system, plain_badge, TestApp, TestDb};
use insignia::live::{Change, PATH};
use reqwest::StatusCode;
use std::time::Duration;

crate::on_both_backends!(
    staff_hear_of_changes_and_others_are_refused,
    a_reconnecting_browser_gets_what_it_missed,
    live_connections_are_bounded,
    an_event_on_one_instance_reaches_the_browsers_of_another,
    two_server_processes_on_one_database_share_live_events,
);

/// A connected event stream, read one event at a time.
struct Stream {
    response: reqwest::Response,
    buffer: String,
}

impl Stream {
    async fn open(app: &TestApp, client: &reqwest::Client, last_event_id: Option<i64>) -> Stream {
        Stream::open_at(&app.url(PATH), client, last_event_id).await
    }

    async fn open_at(url: &str, client: &reqwest::Client, last_event_id: Option<i64>) -> Stream {
        let mut request = client.get(url).header("accept", "text/event-stream");
        if let Some(id) = last_event_id {
            request = request.header("last-event-id", id.to_string());
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(response.headers()["content-type"], "text/event-stream");
        Stream { response, buffer: String::new() }
    }

    /// The next event's name and data (comments, the keep-alives, skipped), within 10 s.
    async fn next(&mut self) -> (String, String) {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(end) = self.buffer.find("\n\n") {
                let block: String = self.buffer.drain(..end + 2).collect();
                let field =
                    |name: &str| block.lines().find_map(|l| l.strip_prefix(name)).map(|v| v.trim_start().to_owned());
                if let (Some(event), Some(data)) = (field("event:"), field("data:")) {
                    return (event, data);
                }
                continue;
            }
            let chunk = tokio::time::timeout_at(deadline, self.response.chunk()).await.expect("an event within 10 s");
            self.buffer.push_str(&String::from_utf8_lossy(&chunk.unwrap().expect("the stream stays open")));
        }
    }

    async fn next_change(&mut self) -> Change {
        loop {
            let (event, data) = self.next().await;
            if event != "resync" {
                let change: Change = serde_json::from_str(&data).unwrap();
                assert_eq!(event, change.entity_type.as_str(), "the event is named for its entity type");
                return change;
            }
        }
    }
}

async fn staff_hear_of_changes_and_others_are_refused(db: TestDb) {
    let app = app_with_owner(db).await;
    let owner = logged_in(&app, OWNER.0, OWNER.1).await;
    let mut stream = Stream::open(&app, &owner, None).await;
    let owl = app.store.acting(&by_system()).create_badge(&plain_badge("Night Owl")).await.unwrap();
    let change = stream.next_change().await;
    assert_eq!((change.entity_id, change.action.as_str()), (owl.id, "created"));

    let member = signed_up_member(&app, "ann@example.com").await;
    assert_eq!(member.get(app.url(PATH)).send().await.unwrap().status(), StatusCode::FORBIDDEN);
    assert_eq!(app.client().get(app.url(PATH)).send().await.unwrap().status(), StatusCode::UNAUTHORIZED);
    // the member's sign-up reached the owner's stream too
    let signed_up = stream.next_change().await;
    assert_eq!(signed_up.entity_type.as_str(), "member");
}

async fn a_reconnecting_browser_gets_what_it_missed(db: TestDb) {
    let app = app_with_owner(db).await;
    let owner = logged_in(&app, OWNER.0, OWNER.1).await;
    let system = by_system();
    let writer = app.store.acting(&system);
    let first = writer.create_badge(&plain_badge("Seen")).await.unwrap();
    let seen = app.store.events(&Default::default(), None, 1).await.unwrap()[0].seq;
    // while the browser was away
    let missed = writer.create_badge(&plain_badge("Missed")).await.unwrap();
    let mut stream = Stream::open(&app, &owner, Some(seen)).await;
    let change = stream.next_change().await;
    assert_eq!(change.entity_id, missed.id, "the missed change first, not the one seen");
    assert!(change.seq > seen);
    assert_ne!(change.entity_id, first.id);
}

async fn live_connections_are_bounded(db: TestDb) {
    let app = TestApp::spawn_live_capped(db, 1).await;
    insignia::auth::service::create_owner(&app.store, OWNER.0, OWNER.1).await.unwrap();
    let owner = logged_in(&app, OWNER.0, OWNER.1).await;
    let held = Stream::open(&app, &owner, None).await;
    let refused = owner.get(app.url(PATH)).send().await.unwrap();
    assert_eq!(refused.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(refused.headers().contains_key("retry-after"));
    drop(held);
    // the slot comes back once the first browser is gone
    let mut reopened = None;
    for _ in 0..50 {
        let res = owner.get(app.url(PATH)).send().await.unwrap();
        if res.status() == StatusCode::OK {
            reopened = Some(res);
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(reopened.is_some(), "a closed connection frees its slot");
}

async fn an_event_on_one_instance_reaches_the_browsers_of_another(db: TestDb) {
    let second = db.another_instance().await;
    let one = app_with_owner(db).await;
    let other = TestApp::spawn(second).await;
    let owner = logged_in(&other, OWNER.0, OWNER.1).await;
    let mut stream = Stream::open(&other, &owner, None).await;
    // written through the first instance's store
    let owl = one.store.acting(&by_system()).create_badge(&plain_badge("Night Owl")).await.unwrap();
    assert_eq!(stream.next_change().await.entity_id, owl.id);
}

/// A server process, stopped when dropped.
struct Server {
    process: std::process::Child,
    base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

const BIN: &str = env!("CARGO_BIN_EXE_insignia");

fn insignia(db: &TestDb, dir: &std::path::Path) -> std::process::Command {
    let mut cmd = std::process::Command::new(BIN);
    cmd.env_remove("INSIGNIA_ADDR")
        .env("RUST_LOG", "warn")
        .arg("--database-url")
        .arg(&db.url)
        .arg("--data-dir")
        .arg(dir);
    cmd
}

/// Starts the binary on the database and waits until it answers.
async fn serve(db: &TestDb, dir: &std::path::Path) -> Server {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let process = insignia(db, dir)
        .args(["--addr", &format!("127.0.0.1:{port}"), "--site-root", "target/site"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let server = Server { process, base: format!("http://127.0.0.1:{port}") };
    for _ in 0..300 {
        if reqwest::get(format!("{}/healthz", server.base)).await.is_ok_and(|r| r.status().is_success()) {
            return server;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the server did not start");
}

async fn two_server_processes_on_one_database_share_live_events(db: TestDb) {
    use leptos::server_fn::ServerFn;
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let stdin = std::process::Stdio::piped();
    let mut owner = insignia(&db, dir.path()).args(["create-owner", "--email", OWNER.0]).stdin(stdin).spawn().unwrap();
    writeln!(owner.stdin.take().unwrap(), "{}", OWNER.1).unwrap();
    assert!(owner.wait().unwrap().success());
    let key =
        insignia(&db, dir.path()).args(["api-key", "create", "--name", "t", "--scopes", "badges.manage"]).output();
    let key = String::from_utf8(key.unwrap().stdout).unwrap().trim().to_owned();
    let (a, b) = (serve(&db, dir.path()).await, serve(&db, dir.path()).await);

    let browser = reqwest::Client::builder().cookie_store(true).build().unwrap();
    let login = browser
        .post(format!("{}{}", b.base, insignia::auth::api::Login::PATH))
        .form(&[("email", OWNER.0), ("password", OWNER.1)])
        .send()
        .await
        .unwrap();
    assert!(login.status().is_success());
    let mut stream = Stream::open_at(&format!("{}{PATH}", b.base), &browser, None).await;
    let badge = serde_json::json!({"badge": {"title": "Across", "backgroundColor": "#112233", "textColor": "#FFFFFF"}});
    let made = reqwest::Client::new()
        .post(format!("{}/badges/v4/badges", a.base))
        .header("authorization", &key)
        .json(&badge)
        .send()
        .await
        .unwrap();
    let made: serde_json::Value = made.json().await.unwrap();
    let change = stream.next_change().await;
    assert_eq!(change.entity_id.to_string(), made["badge"]["id"].as_str().unwrap(), "made on A, heard on B");
}
