//! Health, routing, static files, errors, CSRF and start-up behaviour.

use crate::helpers::*;
use market_domain::job::JobState;
use market_domain::selection::SelectionMethod;
use market_domain::wire::JobView;
use reqwest::StatusCode;
use std::time::Duration;

#[tokio::test]
async fn health_answers_ok() {
    let app = spawn_app().await;
    let response = app.get("/api/health").await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: serde_json::Value = json(response).await;
    assert_eq!(body["status"], "ok");
}

#[tokio::test]
async fn unknown_api_paths_are_404_with_their_own_error_code() {
    let app = spawn_app().await;
    for path in ["/api/nope", "/api", "/api/agencies/1/nothing-here"] {
        let body = assert_error(
            app.get(path).await,
            StatusCode::NOT_FOUND,
            "unknown_endpoint",
        )
        .await;
        assert_eq!(body.error.field, None);
    }
}

#[tokio::test]
async fn deep_links_outside_the_api_get_the_app_shell() {
    let app = spawn_app().await;
    for path in ["/", "/agencies/3", "/login", "/account/settings"] {
        let response = app.get(path).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        assert_eq!(response.text().await.unwrap(), INDEX_HTML, "{path}");
    }
}

/// index.html as the release build minifies it: the boot skeleton's `<main>` inside `#boot`.
const BOOT_HTML: &str = "<!doctype html><title>t</title><body><div aria-busy=true id=boot><div class=site-header></div><main class=page><div class=agency-grid></div></main></div></body>";

#[tokio::test]
async fn a_shared_link_to_an_agency_or_a_public_job_carries_its_first_screen_and_no_more() {
    let app = spawn_app_serving(
        tempfile::tempdir().unwrap(),
        Options { demo: true },
        &[("index.html", BOOT_HTML.as_bytes())],
    )
    .await;
    let agency = detail(app.agency(1).await).await;
    let html = page(&app, "/agencies/1").await;
    assert!(html.contains(&format!(
        r#"<h1 class="agency__name">{}</h1>"#,
        agency.profile.name
    )));
    assert!(html.contains(&agency.profile.description));
    assert!(html.starts_with("<!doctype html><title>t</title><body><div aria-busy=true id=boot><div class=site-header></div><main class=\"page first-screen\">"));
    assert!(html.ends_with("</main></div></body>"), "{html}");

    let enterprise = app.signed_in(ENTERPRISE).await;
    let published: JobView = json(app.get("/api/jobs/1").await).await;
    assert!(page(&app, "/jobs/1")
        .await
        .contains(&format!("<h1>{}</h1>", published.terms.project_name)));
    let mut draft = crate::jobs::job_draft(SelectionMethod::DirectPick);
    draft.project_name = "尚未发布的草稿项目".into();
    let draft: JobView = json(app.post_as(&enterprise, "/api/jobs", &draft).await).await;
    assert_eq!(draft.state, JobState::Draft);
    let path = format!("/jobs/{}", draft.id);
    // A draft is its owner's alone: even the owner's own link gets only the skeleton, since
    // the page is the same for everyone.
    let html = app.get_as(&enterprise, &path).await.text().await.unwrap();
    assert_eq!(html, BOOT_HTML);
    assert_eq!(page(&app, &path).await, BOOT_HTML);

    for path in [
        "/agencies/999999",
        "/jobs/999999",
        "/agencies/abc",
        "/jobs/-1",
        "/jobs/1.0",
    ] {
        assert_eq!(page(&app, path).await, BOOT_HTML, "{path}");
    }
}

/// An app page's HTML, checked to be sent as one.
async fn page(app: &TestApp, path: &str) -> String {
    let response = app.get(path).await;
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    assert_eq!(response.headers()["cache-control"], "no-cache", "{path}");
    let kind = response.headers()["content-type"].to_str().unwrap();
    assert!(kind.starts_with("text/html"), "{path}: {kind}");
    response.text().await.unwrap()
}

#[tokio::test]
async fn a_state_changing_request_without_the_csrf_header_is_refused() {
    let app = spawn_app().await;
    let response = app
        .client
        .post(app.url("/api/auth/login"))
        .json(&serde_json::json!({ "username": "demo_enterprise", "password": "Qiye@2026demo" }))
        .send()
        .await
        .unwrap();
    assert_error(response, StatusCode::FORBIDDEN, "csrf_header_missing").await;
    let wrong_value = app
        .client
        .post(app.url("/api/auth/register"))
        .header("X-Requested-With", "XMLHttpRequest")
        .json(&enterprise_registration("csrf_victim"))
        .send()
        .await
        .unwrap();
    assert_error(wrong_value, StatusCode::FORBIDDEN, "csrf_header_missing").await;
    // Nothing was created behind the refused request.
    assert_eq!(
        app.login("csrf_victim", "correct horse battery")
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn malformed_json_is_a_400_with_a_json_error() {
    let app = spawn_app().await;
    let response = app
        .client
        .post(app.url("/api/auth/register"))
        .header("X-Requested-With", "market-app")
        .header("Content-Type", "application/json")
        .body("{\"role\": ")
        .send()
        .await
        .unwrap();
    assert_error(response, StatusCode::BAD_REQUEST, "invalid_json").await;
}

#[tokio::test]
async fn a_missing_field_is_named_in_the_error() {
    let app = spawn_app().await;
    let response = app
        .post_json(
            "/api/auth/login",
            &serde_json::json!({ "username": "demo_enterprise" }),
        )
        .await;
    let body = assert_error(response, StatusCode::BAD_REQUEST, "invalid_field").await;
    assert_eq!(body.error.field.as_deref(), Some("password"));
}

#[tokio::test]
async fn a_body_without_json_content_type_is_refused() {
    let app = spawn_app().await;
    let response = app
        .client
        .post(app.url("/api/auth/login"))
        .header("X-Requested-With", "market-app")
        .body("username=a&password=b")
        .send()
        .await
        .unwrap();
    assert_error(
        response,
        StatusCode::BAD_REQUEST,
        "unsupported_content_type",
    )
    .await;
}

#[tokio::test]
async fn an_oversized_body_is_refused_with_413() {
    let app = spawn_app().await;
    let huge = "x".repeat(200 * 1024);
    let response = app
        .post_json(
            "/api/auth/login",
            &serde_json::json!({ "username": huge, "password": "whatever1" }),
        )
        .await;
    assert_error(response, StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large").await;
}

#[tokio::test]
async fn demo_data_is_seeded_once_and_never_again() {
    let app = spawn_app().await;
    let first = app.agencies("").await.total;
    assert!(first >= 60, "demo agencies: {first}");
    // A registration changes the database; a restart on it must not seed again.
    let registered = app.register(&enterprise_registration("after_seed")).await;
    assert_eq!(registered.status(), StatusCode::CREATED);
    let TestApp { data_dir, .. } = app;
    let restarted = spawn_app_in(data_dir, Options { demo: true }).await;
    assert_eq!(restarted.agencies("").await.total, first);
    assert_eq!(
        restarted
            .login("after_seed", "correct horse battery")
            .await
            .status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn without_demo_data_the_directory_starts_empty_and_stays_so() {
    let app = spawn_app_with(Options { demo: false }).await;
    assert_eq!(app.agencies("").await.total, 0);
    assert_eq!(
        app.login("demo_enterprise", "Qiye@2026demo").await.status(),
        StatusCode::UNAUTHORIZED
    );
    let TestApp { data_dir, .. } = app;
    // A later start with demo data enabled must not seed a database that is already in use.
    let restarted = spawn_app_in(data_dir, Options { demo: true }).await;
    assert_eq!(restarted.agencies("").await.total, 0);
}

#[tokio::test]
async fn accounts_created_before_the_first_start_prevent_demo_seeding() {
    use market_domain::{Password, Role, Username};
    use market_server::auth::{create_account, NewAccount};
    let data_dir = crate::helpers::fresh_dir().await;
    let store = crate::helpers::store_in(data_dir.path()).await;
    let regulator = NewAccount {
        role: Role::Regulator,
        username: Username::parse("fgw_li").unwrap(),
        password: Password::parse("a long secret passphrase").unwrap(),
        organization: market_server::store::Organization {
            name: "云州市发展和改革委员会".into(),
            credit_code: None,
            contact_person: None,
            phone: None,
            email: None,
        },
        agency: None,
    };
    create_account(store.as_ref(), regulator, time::OffsetDateTime::now_utc())
        .await
        .unwrap();
    drop(store);
    let app = spawn_app_in(data_dir, Options { demo: true }).await;
    assert_eq!(app.agencies("").await.total, 0);
    let response = app.login("fgw_li", "a long secret passphrase").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(account(response).await.role, Role::Regulator);
}

#[tokio::test]
async fn static_files_are_sent_precompressed_and_cached_by_their_content_hash() {
    let wasm = b"\0asm pretend module".as_slice();
    let app = spawn_app_serving(
        tempfile::tempdir().unwrap(),
        Options { demo: false },
        &[
            ("market-app-0123456789abcdef_bg.wasm", wasm),
            ("market-app-0123456789abcdef_bg.wasm.br", b"brotli bytes"),
            ("market-app-0123456789abcdef_bg.wasm.gz", b"gzip bytes"),
            ("index.html.br", b"brotli index"),
            ("favicon.svg", b"<svg/>"),
        ],
    )
    .await;
    let fetch = |path: &'static str, encoding: &'static str| {
        let request = app
            .client
            .get(app.url(path))
            .header("accept-encoding", encoding);
        async move { request.send().await.unwrap() }
    };
    let header = |response: &reqwest::Response, name: &str| {
        response
            .headers()
            .get(name)
            .map(|v| v.to_str().unwrap().to_owned())
    };

    // The build's brotli file, as written: nothing is compressed per request.
    let br = fetch("/market-app-0123456789abcdef_bg.wasm", "br, gzip").await;
    assert_eq!(br.status(), StatusCode::OK);
    assert_eq!(header(&br, "content-encoding").as_deref(), Some("br"));
    assert_eq!(
        header(&br, "cache-control").as_deref(),
        Some("public, max-age=31536000, immutable")
    );
    assert_eq!(br.bytes().await.unwrap().as_ref(), b"brotli bytes");
    let gz = fetch("/market-app-0123456789abcdef_bg.wasm", "gzip").await;
    assert_eq!(header(&gz, "content-encoding").as_deref(), Some("gzip"));
    assert_eq!(gz.bytes().await.unwrap().as_ref(), b"gzip bytes");
    let plain = fetch("/market-app-0123456789abcdef_bg.wasm", "identity").await;
    assert_eq!(header(&plain, "content-encoding"), None);
    assert_eq!(plain.bytes().await.unwrap().as_ref(), wasm);

    // A file without a compressed sibling goes out as it is, and unhashed files revalidate.
    let icon = fetch("/favicon.svg", "br").await;
    assert_eq!(header(&icon, "content-encoding"), None);
    assert_eq!(header(&icon, "cache-control").as_deref(), Some("no-cache"));
    for path in ["/", "/login"] {
        let page = fetch(path, "br").await;
        assert_eq!(page.status(), StatusCode::OK, "{path}");
        assert_eq!(header(&page, "cache-control").as_deref(), Some("no-cache"));
        assert_eq!(header(&page, "content-encoding").as_deref(), Some("br"));
        assert_eq!(page.bytes().await.unwrap().as_ref(), b"brotli index");
    }
    // A link to an agency or a job is written per request (its first screen), so compressed
    // per request, and revalidated like every page.
    let page = fetch("/agencies/3", "br").await;
    assert_eq!(header(&page, "cache-control").as_deref(), Some("no-cache"));
    assert_eq!(header(&page, "content-encoding").as_deref(), Some("br"));
    assert_ne!(page.bytes().await.unwrap().as_ref(), b"brotli index");
    // The API keeps its own policy and is still compressed per response.
    let api = fetch("/api/agencies", "gzip").await;
    assert_eq!(header(&api, "cache-control").as_deref(), Some("no-store"));
    assert_eq!(header(&api, "content-encoding").as_deref(), Some("gzip"));
}

#[tokio::test]
async fn a_stored_code_this_build_does_not_know_is_an_error_not_a_silent_default() {
    let app = spawn_app().await;
    let page: market_domain::wire::Page<market_domain::wire::JobSummary> =
        json(app.get("/api/jobs?state=published").await).await;
    let job = page.items[0].id;
    let archive = format!("UPDATE jobs SET state = 'archived' WHERE id = {job}");
    crate::helpers::behind_the_back(&app, &archive, &archive)
        .await
        .unwrap();
    // Before, this row read back as a draft.
    let error = app.store.job(job).await.unwrap_err().to_string();
    assert!(
        error.contains("JobState") && error.contains("archived"),
        "{error}"
    );
    assert_eq!(
        app.get(&format!("/api/jobs/{job}")).await.status(),
        StatusCode::INTERNAL_SERVER_ERROR
    );
}

/// SQLite's `data_version` changes whenever another connection commits.
fn data_version(database: &rusqlite::Connection) -> i64 {
    database
        .query_row("PRAGMA data_version", [], |row| row.get(0))
        .unwrap()
}

#[tokio::test]
async fn no_get_in_the_api_document_writes_to_the_database() {
    let app = spawn_app().await;
    let enterprise = app.signed_in(ENTERPRISE).await;
    let agency = app.signed_in(AGENCY).await;
    let regulator = app.signed_in(REGULATOR).await;
    // Whatever was due at start (openings, reminders, daily roots) is done by the task first.
    assert!(app.state.due.run_soon(Duration::from_secs(30)).await);
    let document: serde_json::Value = json(app.get("/api/openapi.json").await).await;
    let paths: Vec<String> = document["paths"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(_, operations)| operations.get("get").is_some())
        .map(|(path, _)| {
            path.split('/')
                .map(|part| if part.starts_with('{') { "1" } else { part })
                .collect::<Vec<_>>()
                .join("/")
        })
        .collect();
    assert!(paths.len() > 30, "{} GET paths", paths.len());
    let database = rusqlite::Connection::open(app.data_dir.path().join("market.sqlite3")).unwrap();
    let before = data_version(&database);
    for path in &paths {
        if path.ends_with("/stream") {
            continue; // an endless event stream; it reads like the inbox does
        }
        for client in [&app.client, &enterprise, &agency, &regulator] {
            let status = app.get_as(client, path).await.status();
            assert_ne!(status, StatusCode::INTERNAL_SERVER_ERROR, "GET {path}");
        }
    }
    assert_eq!(
        data_version(&database),
        before,
        "a GET wrote to the database"
    );
}

#[tokio::test]
async fn a_reader_of_a_job_past_its_deadline_sees_it_opened_by_the_background_task() {
    let app = spawn_app().await;
    let jobs: market_domain::wire::Page<market_domain::wire::JobSummary> =
        json(app.get("/api/jobs?state=published").await).await;
    let job = jobs.items.first().expect("a published demo job");
    let deadline = time::OffsetDateTime::parse(
        job.deadline.as_deref().unwrap(),
        &time::format_description::well_known::Rfc3339,
    )
    .unwrap();
    // The manual clock moves without running due work, as real time does between two ticks.
    app.clock
        .advance(deadline - app.clock_now() + time::Duration::seconds(1));
    let view: market_domain::wire::JobView =
        json(app.get(&format!("/api/jobs/{}", job.id)).await).await;
    assert_ne!(view.state, market_domain::job::JobState::Published);
}
