//! Fresh databases per test, on both backends, and a running app for HTTP-level tests.
//!
//! PostgreSQL comes from `INSIGNIA_TEST_PG_URL`, an admin URL of a throwaway cluster that the
//! test command (`make test`, via `scripts/with-postgres.sh`) starts and stops. Without it the
//! PostgreSQL half of the suite fails loudly rather than skipping.

use insignia::server;
use insignia::state::{AppState, RuntimeConfig};
use insignia::store::{self, SharedStore};
use std::net::SocketAddr;
use tempfile::TempDir;

#[derive(Debug, Clone, Copy)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A store on a database of its own; the database lives as long as this value.
pub struct TestDb {
    pub store: SharedStore,
    pub backend: Backend,
    /// For fixtures the store has no method for yet (see `insert_assignment`).
    pub url: String,
    _dir: Option<TempDir>,
}

impl TestDb {
    /// Records that `member` holds `badge`, straight in SQL: the assignment service is a later
    /// piece of work, and the badge tests need holders to check counts and cascades.
    pub async fn insert_assignment(&self, badge: uuid::Uuid, member: uuid::Uuid) {
        let sql = "insert into badge_assignments (id, badge_id, member_id, created_at, updated_at) values ($1, $2, $3, $4, $4)";
        let now = chrono::Utc::now();
        match self.backend {
            Backend::Sqlite => {
                let mut conn = <sqlx::SqliteConnection as sqlx::Connection>::connect(&self.url).await.unwrap();
                let stamp = now.to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
                let q = sqlx::query(sql)
                    .bind(uuid::Uuid::new_v4().to_string())
                    .bind(badge.to_string())
                    .bind(member.to_string());
                q.bind(stamp).execute(&mut conn).await.unwrap();
            }
            Backend::Postgres => {
                let mut conn = <sqlx::PgConnection as sqlx::Connection>::connect(&self.url).await.unwrap();
                sqlx::query(sql)
                    .bind(uuid::Uuid::new_v4())
                    .bind(badge)
                    .bind(member)
                    .bind(now)
                    .execute(&mut conn)
                    .await
                    .unwrap();
            }
        }
    }

    /// The same database through a store of its own, as a second instance of Insignia would
    /// open it.
    pub async fn another_instance(&self) -> TestDb {
        let store = store::connect(&self.url).await.expect("open the database again");
        TestDb { store, backend: self.backend, url: self.url.clone(), _dir: None }
    }

    /// A statement straight in SQL, for setting up what no service does (e.g. an admin with a
    /// member record).
    pub async fn execute(&self, sql: &str) {
        match self.backend {
            Backend::Sqlite => {
                let mut conn = <sqlx::SqliteConnection as sqlx::Connection>::connect(&self.url).await.unwrap();
                sqlx::query(sql).execute(&mut conn).await.unwrap();
            }
            Backend::Postgres => {
                let mut conn = <sqlx::PgConnection as sqlx::Connection>::connect(&self.url).await.unwrap();
                sqlx::query(sql).execute(&mut conn).await.unwrap();
            }
        }
    }

    /// Every table's rows as text, by table: two digests differ exactly when some row was
    /// added, removed or changed. Bookkeeping a refused call may legitimately write is left out:
    /// when a key was last used (kept to the minute).
    pub async fn digest(&self) -> std::collections::BTreeMap<String, String> {
        const LEFT_OUT: [&str; 1] = ["last_used_at"];
        let mut digest = std::collections::BTreeMap::new();
        match self.backend {
            Backend::Sqlite => {
                let mut conn = <sqlx::SqliteConnection as sqlx::Connection>::connect(&self.url).await.unwrap();
                let tables: Vec<String> = sqlx::query_scalar(
                    "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like '_sqlx%'",
                )
                .fetch_all(&mut conn)
                .await
                .unwrap();
                for table in tables {
                    let columns: Vec<String> = sqlx::query_scalar("select name from pragma_table_info($1)")
                        .bind(&table)
                        .fetch_all(&mut conn)
                        .await
                        .unwrap();
                    let line: Vec<String> = columns
                        .iter()
                        .filter(|c| !LEFT_OUT.contains(&c.as_str()))
                        .map(|c| format!("quote(\"{c}\")"))
                        .collect();
                    let sql = format!(
                        "select coalesce(group_concat(line, char(10)), '') from \
                         (select {} as line from \"{table}\" order by line)",
                        line.join(" || '|' || ")
                    );
                    digest.insert(table, sqlx::query_scalar(&sql).fetch_one(&mut conn).await.unwrap());
                }
            }
            Backend::Postgres => {
                let mut conn = <sqlx::PgConnection as sqlx::Connection>::connect(&self.url).await.unwrap();
                let tables: Vec<String> = sqlx::query_scalar(
                    "select table_name::text from information_schema.tables where table_schema = 'public' \
                     and table_type = 'BASE TABLE' and table_name not like '_sqlx%'",
                )
                .fetch_all(&mut conn)
                .await
                .unwrap();
                let left_out: String = LEFT_OUT.iter().map(|c| format!(" - '{c}'")).collect();
                for table in tables {
                    let sql = format!(
                        "select coalesce(string_agg(line, chr(10) order by line), '') from \
                         (select (to_jsonb(x){left_out})::text as line from \"{table}\" x) rows"
                    );
                    digest.insert(table, sqlx::query_scalar(&sql).fetch_one(&mut conn).await.unwrap());
                }
            }
        }
        digest
    }

    /// A `select count(*) …` straight in SQL, for checking what the store cannot show.
    pub async fn count(&self, sql: &str) -> i64 {
        match self.backend {
            Backend::Sqlite => {
                let mut conn = <sqlx::SqliteConnection as sqlx::Connection>::connect(&self.url).await.unwrap();
                sqlx::query_scalar(sql).fetch_one(&mut conn).await.unwrap()
            }
            Backend::Postgres => {
                let mut conn = <sqlx::PgConnection as sqlx::Connection>::connect(&self.url).await.unwrap();
                sqlx::query_scalar(sql).fetch_one(&mut conn).await.unwrap()
            }
        }
    }
}

pub async fn test_db(backend: Backend) -> TestDb {
    match backend {
        Backend::Sqlite => {
            let dir = tempfile::tempdir().expect("temp dir");
            let url = format!("sqlite://{}", dir.path().join("test.db").display());
            let store = store::connect(&url).await.expect("open SQLite");
            TestDb { store, backend, url, _dir: Some(dir) }
        }
        Backend::Postgres => {
            let admin = std::env::var("INSIGNIA_TEST_PG_URL").expect(
                "INSIGNIA_TEST_PG_URL is not set. Run the tests with `make test`, which starts a \
                 throwaway PostgreSQL for them (scripts/with-postgres.sh).",
            );
            let name = format!("t_{}", uuid::Uuid::new_v4().simple());
            let mut conn = <sqlx::PgConnection as sqlx::Connection>::connect(&admin)
                .await
                .expect("connect to the test PostgreSQL");
            sqlx::query(&format!("create database {name}")).execute(&mut conn).await.expect("create a test database");
            let url = match admin.rsplit_once('/') {
                Some((base, _)) => format!("{base}/{name}"),
                None => panic!("INSIGNIA_TEST_PG_URL must end in /DATABASE"),
            };
            let store = store::connect(&url).await.expect("open PostgreSQL");
            TestDb { store, backend, url, _dir: None }
        }
    }
}

/// Generates `mod sqlite { … }` and `mod postgres { … }`, each with one `#[tokio::test]` per
/// named test function `async fn name(db: TestDb)`.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),+ $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name($crate::common::test_db($crate::common::Backend::Sqlite).await).await
                }
            )+
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name($crate::common::test_db($crate::common::Backend::Postgres).await).await
                }
            )+
        }
    };
}

/// A 1 × 1 PNG, for upload tests.
pub const PNG: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00,
    0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4, 0x89, 0x00, 0x00, 0x00, 0x0D, 0x49,
    0x44, 0x41, 0x54, 0x78, 0xDA, 0x63, 0xFC, 0xCF, 0xC0, 0xF0, 0x1F, 0x00, 0x05, 0x05, 0x02, 0x00, 0x5F, 0xC8, 0xF1,
    0xD2, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
];

/// The app, served on a free loopback port.
pub struct TestApp {
    pub addr: SocketAddr,
    pub store: SharedStore,
    /// The app's database, for reading (and fixing up) past the app.
    pub db: TestDb,
}

impl TestApp {
    pub async fn spawn(db: TestDb) -> TestApp {
        TestApp::spawn_limited(db, insignia::rate_limit::DEFAULT_PER_MINUTE).await
    }

    /// The app with this many REST requests a minute for each key.
    pub async fn spawn_limited(db: TestDb, per_minute: u32) -> TestApp {
        TestApp::spawn_with(db, per_minute, RuntimeConfig::default()).await
    }

    /// The app with its own configuration (e.g. behind a proxy).
    pub async fn spawn_with(db: TestDb, per_minute: u32, config: RuntimeConfig) -> TestApp {
        TestApp::start(db, per_minute, config, server::listen::max_connections()).await
    }

    /// The app allowing only this many open connections.
    pub async fn spawn_capped(db: TestDb, max_connections: usize) -> TestApp {
        TestApp::start(db, insignia::rate_limit::DEFAULT_PER_MINUTE, RuntimeConfig::default(), max_connections).await
    }

    /// The app without a webhook worker: deliveries are queued, never sent, so nothing writes
    /// to the database but the calls the test makes.
    pub async fn spawn_without_deliveries(db: TestDb) -> TestApp {
        let idle = insignia::webhooks::worker::DeliveryWorker::idle();
        let config = RuntimeConfig::default();
        TestApp::start_with(
            db,
            insignia::rate_limit::DEFAULT_PER_MINUTE,
            config,
            server::listen::max_connections(),
            Some(idle),
            insignia::live::follower::MAX_CONNECTIONS,
        )
        .await
    }

    /// The app allowing only this many live dashboards at once.
    pub async fn spawn_live_capped(db: TestDb, live_connections: usize) -> TestApp {
        let (per_minute, config) = (insignia::rate_limit::DEFAULT_PER_MINUTE, RuntimeConfig::default());
        TestApp::start_with(db, per_minute, config, server::listen::max_connections(), None, live_connections).await
    }

    async fn start(db: TestDb, per_minute: u32, config: RuntimeConfig, max_connections: usize) -> TestApp {
        let live = insignia::live::follower::MAX_CONNECTIONS;
        TestApp::start_with(db, per_minute, config, max_connections, None, live).await
    }

    async fn start_with(
        db: TestDb,
        per_minute: u32,
        config: RuntimeConfig,
        max_connections: usize,
        webhooks: Option<insignia::webhooks::worker::DeliveryWorker>,
        live_connections: usize,
    ) -> TestApp {
        let limits = insignia::rate_limit::KeyLimits::per_minute(per_minute);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().unwrap();
        let site_root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/site");
        let state = AppState {
            leptos_options: server::leptos_options(&site_root, addr),
            store: db.store.clone(),
            config,
            jobs: insignia::assignments::runner::JobRunner::start(db.store.clone()),
            live: insignia::live::follower::LiveHub::start(db.store.clone(), live_connections),
            webhooks: webhooks.unwrap_or_else(|| {
                insignia::webhooks::worker::DeliveryWorker::start(db.store.clone(), webhook_config(addr))
            }),
            key_limits: limits,
        };
        server::listen::spawn(listener, server::router(state), max_connections);
        TestApp { addr, store: db.store.clone(), db }
    }

    /// A count from the app's database, read past the app.
    pub async fn count(&self, sql: &str) -> i64 {
        self.db.count(sql).await
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// A browser-like client: keeps cookies, does not follow redirects (tests look at them).
    pub fn client(&self) -> reqwest::Client {
        reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .timeout(std::time::Duration::from_secs(20))
            .build()
            .unwrap()
    }

    /// GETs a page as a browser does (the `Accept` header decides whether a redirect is a 302).
    pub async fn page(&self, client: &reqwest::Client, path: &str) -> reqwest::Response {
        client
            .get(self.url(path))
            .header("accept", "text/html,application/xhtml+xml")
            .send()
            .await
            .expect("page request")
    }

    /// Sends `request` as raw bytes on a new connection and returns the answer's status line
    /// (empty if there was none). For requests a client library would not send as written. The
    /// server may answer and close before the request ends; that is an answer too.
    pub async fn raw_status_line(&self, request: &[u8]) -> String {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let mut tcp = tokio::net::TcpStream::connect(self.addr).await.unwrap();
        // a server that reads past what it should sees the request end instead of waiting
        let _ = tcp.write_all(request).await.and(tcp.shutdown().await);
        let mut answer = Vec::new();
        let _ = tcp.read_to_end(&mut answer).await;
        String::from_utf8_lossy(&answer).lines().next().unwrap_or_default().to_owned()
    }

    /// Calls a server function the way the hydrated app does: a form-encoded POST.
    pub async fn call<F: leptos::server_fn::ServerFn>(
        &self,
        client: &reqwest::Client,
        form: &[(&str, &str)],
    ) -> reqwest::Response {
        client.post(self.url(F::PATH)).form(form).send().await.expect("server fn request")
    }
}

/// A badge with a black background, white text and no icon: all most tests need of one.
pub fn plain_badge(title: &str) -> insignia::store::NewBadge {
    use insignia::domain::{BadgeDescription, BadgeTitle, HexColor};
    insignia::store::NewBadge {
        title: BadgeTitle::parse(title).unwrap(),
        description: BadgeDescription::parse("").unwrap(),
        background_color: HexColor::parse("#000").unwrap(),
        text_color: HexColor::parse("#fff").unwrap(),
        icon: None,
        permissions_enabled: false,
    }
}

/// Creates `plain_badge(title)` and returns its id.
pub async fn create_plain_badge(store: &SharedStore, title: &str) -> uuid::Uuid {
    store.acting(&by_system()).create_badge(&plain_badge(title)).await.unwrap().id
}

/// The member of the account with this login email.
pub async fn member_id(store: &SharedStore, email: &str) -> uuid::Uuid {
    let email = insignia::domain::Email::parse(email).unwrap();
    store.account_by_email(&email).await.unwrap().unwrap().member.unwrap().id
}

/// Insignia itself, as the record of changes names writes the tests make directly.
pub fn by_system() -> insignia::domain::event::ChangedBy {
    insignia::domain::event::ChangedBy::system()
}

/// Webhooks as the test apps send them: retried after a tenth of a second instead of minutes,
/// and the queue looked at every tenth of a second.
pub fn webhook_config(addr: SocketAddr) -> insignia::webhooks::worker::WorkerConfig {
    let mut config = insignia::webhooks::worker::WorkerConfig::new(format!("http://{addr}"));
    config.retry_after = vec![std::time::Duration::from_millis(100); 3];
    config.poll = std::time::Duration::from_millis(100);
    config
}
