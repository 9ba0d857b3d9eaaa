//! Concurrency, abandoned connections and floods: bounded, real concurrent HTTP against one
//! server. No response may be a 500, limits hold whatever the interleaving, and what was
//! acknowledged is stored.

use crate::helpers::*;
use futures_util::future::join_all;
use market_domain::wire::ErrorBody;
use reqwest::StatusCode;
use serde_json::json;
use std::net::IpAddr;
use std::time::Duration;

/// A client whose connections come from another loopback address, as another machine would.
fn client_from(ip: &str) -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .local_address(ip.parse::<IpAddr>().unwrap())
        .build()
        .expect("client")
}

async fn login_from(
    app: &TestApp,
    client: &reqwest::Client,
    user: &str,
    password: &str,
) -> StatusCode {
    app.post_as(
        client,
        "/api/auth/login",
        &json!({ "username": user, "password": password }),
    )
    .await
    .status()
}

/// Sends every `(client, url, body)` as a state-changing POST at once; their statuses in order.
async fn post_all_at_once(
    requests: impl Iterator<Item = (reqwest::Client, String, serde_json::Value)>,
) -> Vec<StatusCode> {
    let tasks = requests.map(|(client, url, body)| {
        tokio::spawn(async move {
            client
                .post(url)
                .header("X-Requested-With", "market-app")
                .json(&body)
                .send()
                .await
                .unwrap()
                .status()
        })
    });
    join_all(tasks)
        .await
        .into_iter()
        .map(Result::unwrap)
        .collect()
}

fn count(statuses: &[StatusCode], status: StatusCode) -> usize {
    statuses.iter().filter(|s| **s == status).count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn clients_that_hang_up_never_cause_server_errors_for_others() {
    let app = spawn_app().await;
    let impatient = reqwest::Client::builder()
        .timeout(Duration::from_millis(3))
        .build()
        .unwrap();
    let abandoners = (0..24).map(|_| {
        let (client, url) = (impatient.clone(), app.url("/api/ocds/releases?limit=200"));
        tokio::spawn(async move {
            for _ in 0..30 {
                // The timeout drops the request mid-flight, as a reset connection does.
                let _ = client.get(&url).send().await;
            }
        })
    });
    let readers = (0..8).map(|_| {
        let (client, url) = (new_client(), app.url("/api/agencies"));
        tokio::spawn(async move {
            let mut statuses = Vec::new();
            for _ in 0..40 {
                statuses.push(client.get(&url).send().await.unwrap().status());
            }
            statuses
        })
    });
    let readers: Vec<_> = readers.collect();
    join_all(abandoners).await;
    let statuses: Vec<StatusCode> = join_all(readers)
        .await
        .into_iter()
        .flat_map(Result::unwrap)
        .collect();
    assert_eq!(statuses.len(), 320);
    let failed: Vec<_> = statuses.iter().filter(|s| **s != StatusCode::OK).collect();
    assert!(failed.is_empty(), "readers got {failed:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_wrong_logins_check_at_most_five_passwords() {
    let app = spawn_app().await;
    let wrong = json!({ "username": "demo_enterprise", "password": "guessing wrong" });
    let statuses = post_all_at_once(
        (0..150).map(|_| (new_client(), app.url("/api/auth/login"), wrong.clone())),
    )
    .await;
    let checked = count(&statuses, StatusCode::UNAUTHORIZED);
    let refused = count(&statuses, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!((checked, refused), (5, 145), "{statuses:?}");
    assert_error(
        app.login("demo_enterprise", "Qiye@2026demo").await,
        StatusCode::TOO_MANY_REQUESTS,
        "too_many_attempts",
    )
    .await;
}

#[tokio::test]
async fn a_strangers_guesses_do_not_lock_the_owner_out_of_its_own_address() {
    let app = spawn_app().await;
    let owner = client_from("127.0.0.1");
    assert_eq!(
        login_from(&app, &owner, "demo_enterprise", "Qiye@2026demo").await,
        StatusCode::OK
    );
    // Three strangers guess until each is locked, and the account-wide bound is reached.
    for stranger in ["127.0.0.2", "127.0.0.3", "127.0.0.4"] {
        let client = client_from(stranger);
        let mut statuses = Vec::new();
        for _ in 0..6 {
            statuses.push(login_from(&app, &client, "demo_enterprise", "guessing wrong").await);
        }
        assert_eq!(
            statuses.last(),
            Some(&StatusCode::TOO_MANY_REQUESTS),
            "{statuses:?}"
        );
    }
    // Guessing is bounded per account across addresses: a fourth new address is refused …
    let newcomer = client_from("127.0.0.5");
    let refused = app
        .post_as(
            &newcomer,
            "/api/auth/login",
            &json!({ "username": "demo_enterprise", "password": "still guessing" }),
        )
        .await;
    assert_error(refused, StatusCode::TOO_MANY_REQUESTS, "too_many_attempts").await;
    // … while the owner, from the address it signed in from, still gets in.
    let owner_again = client_from("127.0.0.1");
    assert_eq!(
        login_from(&app, &owner_again, "demo_enterprise", "Qiye@2026demo").await,
        StatusCode::OK
    );
}

#[tokio::test]
async fn one_address_cannot_lock_out_the_other_accounts_behind_it() {
    let app = spawn_app().await;
    let office = client_from("127.0.0.7");
    assert_eq!(
        login_from(&app, &office, "demo_agency", "Zhongjie@2026demo").await,
        StatusCode::OK
    );
    // A colleague behind the same NAT sprays guesses at many accounts.
    let colleague = client_from("127.0.0.7");
    for n in 0..40 {
        login_from(&app, &colleague, &format!("someone_{n}"), "guessing wrong").await;
    }
    for _ in 0..6 {
        login_from(&app, &colleague, "demo_enterprise", "guessing wrong").await;
    }
    // The account that signs in from this office is not locked out by either.
    let again = client_from("127.0.0.7");
    assert_eq!(
        login_from(&app, &again, "demo_agency", "Zhongjie@2026demo").await,
        StatusCode::OK
    );
    // Spraying from that address is still bounded for accounts that never used it.
    assert_eq!(
        login_from(&app, &colleague, "demo_officer", "Shenpi@2026demo").await,
        StatusCode::TOO_MANY_REQUESTS
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_registration_flood_is_throttled_per_address_with_bounded_memory() {
    let app = spawn_app().await;
    let rss_before = resident_set_kib();
    let registrations = (0..200).map(|n| {
        let (client, url) = (new_client(), app.url("/api/auth/register"));
        let mut request = enterprise_registration(&format!("flood_{n}"));
        request.credit_code = credit_code_from(&format!("91350100M{:08}", 200_000 + n));
        tokio::spawn(async move {
            let response = client
                .post(url)
                .header("X-Requested-With", "market-app")
                .json(&request)
                .send()
                .await
                .unwrap();
            let status = response.status();
            let retry_after = response.headers().contains_key("retry-after");
            let body: Option<ErrorBody> = response.json().await.ok();
            (status, retry_after, body)
        })
    });
    let outcomes: Vec<_> = join_all(registrations)
        .await
        .into_iter()
        .map(Result::unwrap)
        .collect();
    let created = outcomes
        .iter()
        .filter(|(s, ..)| *s == StatusCode::CREATED)
        .count();
    assert_eq!(created, 20, "registrations per address per hour");
    for (status, retry_after, body) in &outcomes {
        if *status != StatusCode::CREATED {
            assert_eq!(*status, StatusCode::TOO_MANY_REQUESTS);
            assert!(retry_after, "Retry-After on every refusal");
            assert_eq!(body.as_ref().unwrap().error.code, "rate_limited");
        }
    }
    let grown_mib = (resident_set_kib() - rss_before) / 1024;
    assert!(grown_mib < 512, "memory grew by {grown_mib} MiB");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn password_hashing_from_many_addresses_stays_bounded_and_never_fails() {
    let app = spawn_app().await;
    let rss_before = resident_set_kib();
    let statuses = post_all_at_once((0..120).map(|n| {
        let mut request = enterprise_registration(&format!("spread_{n}"));
        request.credit_code = credit_code_from(&format!("91350100M{:08}", 300_000 + n));
        (
            client_from(&format!("127.0.1.{}", n + 1)),
            app.url("/api/auth/register"),
            serde_json::to_value(request).unwrap(),
        )
    }))
    .await;
    for status in &statuses {
        assert!(
            [StatusCode::CREATED, StatusCode::SERVICE_UNAVAILABLE].contains(status),
            "{statuses:?}"
        );
    }
    let grown_mib = (resident_set_kib() - rss_before) / 1024;
    assert!(grown_mib < 512, "memory grew by {grown_mib} MiB");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_account_cannot_flood_writes_and_every_acknowledged_one_is_stored() {
    let app = spawn_app().await;
    let enterprise = app.signed_in(ENTERPRISE).await;
    let agency_id = app.all_agencies().await[0].id;
    let body = json!({
        "target": { "kind": "agency", "id": agency_id },
        "category": "other",
        "title": "重复投诉",
        "description": "同一内容反复提交,用于检查写入频率限制。",
        "evidence": [],
        "attachments": []
    });
    let statuses = post_all_at_once(
        (0..150).map(|_| (enterprise.clone(), app.url("/api/complaints"), body.clone())),
    )
    .await;
    let created = count(&statuses, StatusCode::CREATED);
    let limited = count(&statuses, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(created + limited, 150, "{statuses:?}");
    assert!(limited >= 80, "only {limited} of 150 were limited");
    let mine: Vec<serde_json::Value> = json(app.get_as(&enterprise, "/api/complaints").await).await;
    let stored = mine.iter().filter(|c| c["title"] == "重复投诉").count();
    assert_eq!(stored, created);
}

fn resident_set_kib() -> i64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|kib| kib.parse().ok())
        .unwrap_or(0)
}
