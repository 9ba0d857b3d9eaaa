//! `spawn_app()` and typed helpers over real HTTP.

use market_domain::account::RegisterRequest;
use market_domain::wire::{Account, AgencyDetail, AgencySummary, ErrorBody, Page};
use market_server::clock::ManualClock;
use market_server::store::Store;
use market_server::{Application, Config};
use reqwest::{Response, StatusCode};
use serde::de::DeserializeOwned;
use std::path::Path;
use std::sync::Arc;
use tempfile::TempDir;
use time::macros::datetime;

pub const INDEX_HTML: &str = "<!doctype html><title>中介超市 test index</title>";

pub struct TestApp {
    pub address: String,
    pub clock: ManualClock,
    pub client: reqwest::Client,
    pub store: Arc<dyn Store>,
    pub state: market_server::state::AppState,
    pub data_dir: TempDir,
    _dist: TempDir,
}

pub struct Options {
    pub demo: bool,
}

/// A server with the demo data, on its own database.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(Options { demo: true }).await
}

pub async fn spawn_app_with(options: Options) -> TestApp {
    let data_dir = tempfile::tempdir().expect("temp dir");
    spawn_app_in(data_dir, options).await
}

pub async fn spawn_app_in(data_dir: TempDir, options: Options) -> TestApp {
    spawn_app_serving(data_dir, options, &[]).await
}

/// A server whose `dist/` holds `files` besides the test index.html.
pub async fn spawn_app_serving(
    data_dir: TempDir,
    options: Options,
    files: &[(&str, &[u8])],
) -> TestApp {
    spawn_app_adjusted(data_dir, options, files, |_| {}).await
}

/// A server with the demo data whose configuration `adjust` changes first.
pub async fn spawn_app_configured(adjust: fn(&mut Config)) -> TestApp {
    let data_dir = tempfile::tempdir().expect("temp dir");
    spawn_app_adjusted(data_dir, Options { demo: true }, &[], adjust).await
}

async fn spawn_app_adjusted(
    data_dir: TempDir,
    options: Options,
    files: &[(&str, &[u8])],
    adjust: fn(&mut Config),
) -> TestApp {
    let dist = tempfile::tempdir().expect("temp dist");
    std::fs::write(dist.path().join("index.html"), INDEX_HTML).unwrap();
    for (name, content) in files {
        std::fs::write(dist.path().join(name), content).unwrap();
    }
    let clock = ManualClock::new(datetime!(2026-11-28 09:00 +08:00));
    let app = start(
        data_dir.path(),
        dist.path(),
        options.demo,
        clock.clone(),
        adjust,
    )
    .await;
    TestApp {
        address: format!("http://127.0.0.1:{}", app.port()),
        clock,
        client: new_client(),
        store: app.store(),
        state: app.state().clone(),
        data_dir,
        _dist: dist,
    }
    .running(app)
}

async fn start(
    data: &Path,
    dist: &Path,
    demo: bool,
    clock: ManualClock,
    adjust: fn(&mut Config),
) -> Application {
    let mut config = Config::new(
        "127.0.0.1:0".parse().unwrap(),
        data.to_path_buf(),
        dist.to_path_buf(),
    );
    config.demo = demo;
    // The data folder names its database, so a restarted app (or a second instance) finds
    // the same one.
    let marker = data.join(POSTGRES_URL);
    if marker.exists() || postgres_backend() && !data.join(SQLITE_ONLY).exists() {
        let url = match std::fs::read_to_string(&marker) {
            Ok(url) => url,
            Err(_) => {
                let url = postgres_database().await.keep();
                std::fs::write(&marker, &url).expect("remember the database");
                url
            }
        };
        config.database_url = Some(url);
    }
    adjust(&mut config);
    Application::build_with_clock(config, Arc::new(clock))
        .await
        .expect("application starts")
}

pub fn new_client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .expect("client")
}

pub fn enterprise_registration(username: &str) -> RegisterRequest {
    RegisterRequest {
        role: "enterprise".into(),
        username: username.into(),
        password: "correct horse battery".into(),
        organization_name: "云州钢铁集团有限公司".into(),
        credit_code: "91350100M000100Y43".into(),
        contact_person: "王建国".into(),
        phone: "13800138000".into(),
        email: "wang@example.com".into(),
        district: None,
    }
}

pub fn agency_registration(username: &str, credit_code: &str) -> RegisterRequest {
    RegisterRequest {
        role: "agency".into(),
        organization_name: "云州新锐测绘有限公司".into(),
        credit_code: credit_code.into(),
        district: Some("yunhu".into()),
        ..enterprise_registration(username)
    }
}

/// A valid credit code that differs from the demo data's, built from a 17-character body.
pub fn credit_code_from(first17: &str) -> String {
    let check = market_domain::CreditCode::check_character(first17).expect("valid body");
    format!("{first17}{check}")
}

/// The demo accounts' credentials, by role name.
pub const ENTERPRISE: (&str, &str) = ("demo_enterprise", "Qiye@2026demo");
pub const AGENCY: (&str, &str) = ("demo_agency", "Zhongjie@2026demo");
pub const REGULATOR: (&str, &str) = ("demo_regulator", "Jianguan@2026demo");
pub const OFFICER: (&str, &str) = ("demo_officer", "Shenpi@2026demo");

impl TestApp {
    /// A separate browser-like client, signed in as the given account.
    pub async fn signed_in(&self, (username, password): (&str, &str)) -> reqwest::Client {
        let client = new_client();
        let response = client
            .post(self.url("/api/auth/login"))
            .header("X-Requested-With", "market-app")
            .json(&serde_json::json!({ "username": username, "password": password }))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK, "login as {username}");
        client
    }

    pub async fn get_as(&self, client: &reqwest::Client, path: &str) -> Response {
        client.get(self.url(path)).send().await.expect("GET")
    }

    pub async fn post_as<T: serde::Serialize + ?Sized>(
        &self,
        client: &reqwest::Client,
        path: &str,
        body: &T,
    ) -> Response {
        client
            .post(self.url(path))
            .header("X-Requested-With", "market-app")
            .json(body)
            .send()
            .await
            .expect("POST")
    }

    pub async fn put_as<T: serde::Serialize + ?Sized>(
        &self,
        client: &reqwest::Client,
        path: &str,
        body: &T,
    ) -> Response {
        client
            .put(self.url(path))
            .header("X-Requested-With", "market-app")
            .json(body)
            .send()
            .await
            .expect("PUT")
    }

    fn running(self, app: Application) -> Self {
        tokio::spawn(app.run_until(std::future::pending()));
        self
    }

    pub fn clock_now(&self) -> time::OffsetDateTime {
        use market_server::clock::Clock;
        self.clock.now()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    pub async fn get(&self, path: &str) -> Response {
        self.client.get(self.url(path)).send().await.expect("GET")
    }

    /// A state-changing request as the app sends it, with the CSRF header.
    pub async fn post_json<T: serde::Serialize + ?Sized>(&self, path: &str, body: &T) -> Response {
        self.client
            .post(self.url(path))
            .header("X-Requested-With", "market-app")
            .json(body)
            .send()
            .await
            .expect("POST")
    }

    pub async fn register(&self, request: &RegisterRequest) -> Response {
        self.post_json("/api/auth/register", request).await
    }

    pub async fn login(&self, username: &str, password: &str) -> Response {
        self.post_json(
            "/api/auth/login",
            &serde_json::json!({ "username": username, "password": password }),
        )
        .await
    }

    pub async fn logout(&self) -> Response {
        self.post_json("/api/auth/logout", &serde_json::json!({}))
            .await
    }

    pub async fn me(&self) -> Response {
        self.get("/api/auth/me").await
    }

    pub async fn agencies(&self, query: &str) -> Page<AgencySummary> {
        let response = self.get(&format!("/api/agencies?{query}")).await;
        assert_eq!(response.status(), StatusCode::OK);
        response.json().await.expect("page of agencies")
    }

    pub async fn agency(&self, id: i64) -> Response {
        self.get(&format!("/api/agencies/{id}")).await
    }

    pub async fn all_agencies(&self) -> Vec<AgencySummary> {
        let mut all = Vec::new();
        for page in 1.. {
            let batch = self.agencies(&format!("per_page=100&page={page}")).await;
            let done = batch.items.is_empty();
            all.extend(batch.items);
            if done {
                break;
            }
        }
        all
    }
}

/// Reads a body of the expected type, failing with the body text when it is not.
pub async fn json<T: DeserializeOwned>(response: Response) -> T {
    let text = response.text().await.expect("body");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("unexpected body {text}: {e}"))
}

/// Asserts the status and the error body's code, and returns the body.
pub async fn assert_error(response: Response, status: StatusCode, code: &str) -> ErrorBody {
    assert_eq!(response.status(), status, "status");
    let body: ErrorBody = json(response).await;
    assert_eq!(body.error.code, code, "error code in {body:?}");
    assert!(!body.error.message.is_empty());
    body
}

pub async fn account(response: Response) -> Account {
    json(response).await
}

pub async fn detail(response: Response) -> AgencyDetail {
    json(response).await
}

/// Marks a data folder whose test reads or rewrites the SQLite file itself: its app runs on
/// SQLite whatever the backend of the run.
const SQLITE_ONLY: &str = "sqlite-only";

/// Names the PostgreSQL database of the app started on a data folder.
const POSTGRES_URL: &str = "postgres-url";

/// Another server instance on `app`'s PostgreSQL database, with a clock of its own set to the
/// same moment.
pub async fn spawn_instance_of(app: &TestApp) -> TestApp {
    let url = std::fs::read_to_string(app.data_dir.path().join(POSTGRES_URL))
        .expect("the first instance runs on PostgreSQL");
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join(POSTGRES_URL), url).expect("name the database");
    let second = spawn_app_in(dir, Options { demo: true }).await;
    second.clock.set(app.clock_now());
    second
}

/// A server with the demo data on PostgreSQL, whatever the backend of the run.
pub async fn spawn_postgres_app() -> TestApp {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = postgres_database().await.keep();
    std::fs::write(dir.path().join(POSTGRES_URL), url).expect("name the database");
    spawn_app_in(dir, Options { demo: true }).await
}

/// Runs statements on the app's database behind the server's back, as an insider with the
/// database's credentials could: `sqlite` on SQLite, `postgres` on PostgreSQL.
pub async fn behind_the_back(app: &TestApp, sqlite: &str, postgres: &str) -> Result<(), String> {
    match std::fs::read_to_string(app.data_dir.path().join(POSTGRES_URL)) {
        Ok(url) => {
            let client = market_server::store::postgres::connect(&url)
                .await
                .map_err(|e| e.to_string())?;
            client
                .batch_execute(postgres)
                .await
                .map_err(|e| market_server::store::postgres::describe(&e))
        }
        Err(_) => rusqlite::Connection::open(app.data_dir.path().join("market.sqlite3"))
            .and_then(|db| db.execute_batch(sqlite))
            .map_err(|e| e.to_string()),
    }
}

/// The first column of a query's rows, as ids, read behind the server's back: `sqlite` on
/// SQLite, `postgres` on PostgreSQL.
pub async fn ids_behind_the_back(
    app: &TestApp,
    sqlite: &str,
    postgres: &str,
) -> std::collections::BTreeSet<i64> {
    match std::fs::read_to_string(app.data_dir.path().join(POSTGRES_URL)) {
        Ok(url) => {
            let client = market_server::store::postgres::connect(&url)
                .await
                .expect("connect");
            let rows = client.query(postgres, &[]).await.expect(postgres);
            rows.iter().map(|row| row.get::<_, i64>(0)).collect()
        }
        Err(_) => {
            let db = rusqlite::Connection::open(app.data_dir.path().join("market.sqlite3"))
                .expect("open");
            let mut stmt = db.prepare(sqlite).expect(sqlite);
            let rows = stmt.query_map([], |row| row.get(0)).expect(sqlite);
            rows.collect::<rusqlite::Result<_>>().expect(sqlite)
        }
    }
}

/// A SQL string literal, for statements built in tests.
pub fn quoted(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// A new data folder for the run's backend: on PostgreSQL it names a new database.
pub async fn fresh_dir() -> TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    if postgres_backend() {
        let url = postgres_database().await.keep();
        std::fs::write(dir.path().join(POSTGRES_URL), url).expect("name the database");
    }
    dir
}

/// The store a server started on `dir` opens.
pub async fn store_in(dir: &Path) -> Arc<dyn Store> {
    match std::fs::read_to_string(dir.join(POSTGRES_URL)) {
        Ok(url) => Arc::new(
            market_server::store::PgStore::open(&url)
                .await
                .expect("open"),
        ),
        Err(_) => Arc::new(market_server::store::SqliteStore::open(dir).expect("open")),
    }
}

/// How a command line names the database of `dir`: `--data-dir` or `--database-url`.
pub fn database_args(dir: &Path) -> Vec<String> {
    match std::fs::read_to_string(dir.join(POSTGRES_URL)) {
        Ok(url) => vec!["--database-url".into(), url],
        Err(_) => vec!["--data-dir".into(), dir.display().to_string()],
    }
}

/// A data folder for a test that reads or rewrites the SQLite file itself.
pub fn sqlite_dir() -> TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join(SQLITE_ONLY), "").expect("mark the folder");
    dir
}

/// A server with the demo data on SQLite, for a test that reads or rewrites its file.
pub async fn spawn_sqlite_app() -> TestApp {
    spawn_app_in(sqlite_dir(), Options { demo: true }).await
}

/// The suite runs on PostgreSQL when `MARKET_TEST_BACKEND=postgres` (scripts/test runs it on
/// both backends), each app on a database of its own.
pub fn postgres_backend() -> bool {
    std::env::var("MARKET_TEST_BACKEND").as_deref() == Ok("postgres")
}

/// A new, empty PostgreSQL database on the server `MARKET_TEST_DATABASE_URL` names (scripts/test
/// starts a private one when it is unset), dropped again with this value.
pub struct TestDatabase {
    pub url: String,
    admin_url: String,
    name: String,
    kept: bool,
}

impl TestDatabase {
    /// Keeps the database past this value (an app's, which a restart opens again; the
    /// private server scripts/test starts is thrown away whole); its URL.
    pub fn keep(mut self) -> String {
        self.kept = true;
        self.url.clone()
    }
}

/// The server's URL with another database name.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, format!("?{query}")),
        None => (url, String::new()),
    };
    let server = match base.rsplit_once('/') {
        Some((server, _)) if server.contains("://") && !server.ends_with('/') => server,
        _ => base.trim_end_matches('/'),
    };
    format!("{server}/{name}{query}")
}

pub async fn postgres_database() -> TestDatabase {
    let admin_url = std::env::var("MARKET_TEST_DATABASE_URL").expect(
        "MARKET_TEST_DATABASE_URL names no PostgreSQL server: run scripts/test, which starts \
         a private one, or set it to postgres://user@host:port/database",
    );
    let name = format!("market_test_{}_{}", std::process::id(), rand_suffix());
    let admin = market_server::store::postgres::connect(&admin_url)
        .await
        .expect("connect to MARKET_TEST_DATABASE_URL");
    admin
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .await
        .expect("create a test database");
    TestDatabase {
        url: with_database(&admin_url, &name),
        admin_url,
        name,
        kept: false,
    }
}

fn rand_suffix() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!("{}_{nanos}", NEXT.fetch_add(1, Ordering::Relaxed))
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if self.kept {
            return;
        }
        let (admin_url, name) = (self.admin_url.clone(), self.name.clone());
        // Drop runs inside the test's runtime, which cannot block on itself: a thread of its own.
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime");
            runtime.block_on(async {
                let admin = market_server::store::postgres::connect(&admin_url).await?;
                admin
                    .batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .await
            })
        })
        .join();
        if let Ok(Err(error)) = dropped {
            eprintln!("could not drop test database {}: {error}", self.name);
        }
    }
}
