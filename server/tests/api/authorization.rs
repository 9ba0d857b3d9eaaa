//! The authorization matrix: every operation in `/api/openapi.json`, called by each kind of
//! caller with a request that is valid in every other respect, against one table of the
//! statuses each caller must get. A route added without a row fails here, so nobody ships an
//! operation whose access rules were never written down.

use crate::complaints::complaint_against;
use crate::helpers::*;
use crate::jobs::{agencies, bid, job_draft, WAN};
use market_domain::job::JobDraft;
use market_domain::selection::SelectionMethod;
use market_domain::wire::{Account, JobView, MyListing, ReviewQueue};
use reqwest::header::{AUTHORIZATION, COOKIE, SET_COOKIE};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use time::format_description::well_known::Rfc3339;
use time::Duration;

/// Who calls. "The job" below is the fixture's job for the operation, owned by the enterprise.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Caller {
    /// No session, no token.
    Anonymous,
    /// The enterprise that owns every fixture job (the demo enterprise).
    Owner,
    /// An enterprise with no part in the fixture.
    OtherEnterprise,
    /// An approved agency that bid on every fixture job and won those that were awarded.
    Bidder,
    /// An approved agency offering the same service that bid on none of them.
    NonBidder,
    /// An agency whose first listing waits for review.
    Pending,
    /// An agency that bid, then was suspended.
    Suspended,
    Regulator,
    Officer,
    /// The approval system, with a live integration token and no session.
    Token,
}

use Caller::*;

/// The columns of [`MATRIX`], in order.
const CALLERS: [Caller; 10] = [
    Anonymous,
    Owner,
    OtherEnterprise,
    Bidder,
    NonBidder,
    Pending,
    Suspended,
    Regulator,
    Officer,
    Token,
];

/// The status each caller gets, one row per documented operation. 401: no session; 403: the
/// caller's role or relation to the object forbids it; 404: the object is hidden from the
/// caller; 409: the caller may act but the object's state refuses this particular request
/// (a second bid, say); 400: a request that can never be right for this caller.
#[rustfmt::skip]
const MATRIX: &[(&str, [u16; 10])] = &[
    //                                                      anon owner ent2 bid  nobid pend susp reg  off  token
    ("GET /api/openapi.json",                              [200, 200, 200, 200, 200, 200, 200, 200, 200, 200]),
    ("GET /api/health",                                    [200, 200, 200, 200, 200, 200, 200, 200, 200, 200]),
    ("POST /api/auth/register",                            [201, 201, 201, 201, 201, 201, 201, 201, 201, 201]),
    ("POST /api/auth/login",                               [200, 200, 200, 200, 200, 200, 200, 200, 200, 200]),
    ("POST /api/auth/logout",                              [204, 204, 204, 204, 204, 204, 204, 204, 204, 204]),
    ("GET /api/auth/me",                                   [401, 200, 200, 200, 200, 200, 200, 200, 200, 401]),
    ("GET /api/auth/session",                              [200, 200, 200, 200, 200, 200, 200, 200, 200, 200]),
    ("GET /api/agencies",                                  [200, 200, 200, 200, 200, 200, 200, 200, 200, 200]),
    ("GET /api/agencies/{id}",                             [200, 200, 200, 200, 200, 200, 200, 200, 200, 200]),
    ("GET /api/fee-standards",                             [200, 200, 200, 200, 200, 200, 200, 200, 200, 200]),
    ("GET /api/my/listing",                                [401, 403, 403, 200, 200, 200, 200, 403, 403, 401]),
    ("POST /api/my/listing",                               [401, 403, 403, 201, 201, 201, 201, 403, 403, 401]),
    ("GET /api/jobs",                                      [200, 200, 200, 200, 200, 200, 200, 200, 200, 200]),
    ("POST /api/jobs",                                     [401, 201, 201, 403, 403, 403, 403, 403, 403, 401]),
    ("GET /api/jobs/{id}",                                 [404, 200, 404, 404, 404, 404, 404, 404, 404, 404]),
    ("PUT /api/jobs/{id}",                                 [401, 200, 403, 403, 403, 403, 403, 403, 403, 401]),
    ("POST /api/jobs/{id}/publish",                        [401, 200, 403, 403, 403, 403, 403, 403, 403, 401]),
    ("POST /api/jobs/{id}/cancel",                         [401, 200, 403, 403, 403, 403, 403, 403, 403, 401]),
    ("POST /api/jobs/{id}/repost",                         [401, 201, 403, 403, 403, 403, 403, 403, 403, 401]),
    ("GET /api/jobs/{id}/events",                          [200, 200, 200, 200, 200, 200, 200, 200, 200, 200]),
    ("GET /api/my/jobs",                                   [401, 200, 200, 200, 200, 403, 200, 403, 403, 401]),
    ("GET /api/jobs/{id}/eligibility",                     [401, 403, 403, 200, 200, 403, 200, 403, 403, 401]),
    ("GET /api/jobs/{id}/bids",                            [403, 403, 403, 200, 403, 403, 200, 403, 403, 403]),
    ("POST /api/jobs/{id}/bids",                           [401, 403, 403, 409, 201, 403, 403, 403, 403, 401]),
    ("PUT /api/jobs/{id}/bids/mine",                       [401, 403, 403, 200, 404, 403, 403, 403, 403, 401]),
    ("POST /api/jobs/{id}/bids/mine/withdraw",             [401, 403, 403, 204, 404, 404, 204, 403, 403, 401]),
    ("POST /api/jobs/{id}/award",                          [401, 200, 403, 403, 403, 403, 403, 403, 403, 401]),
    ("GET /api/jobs/{id}/draw",                            [200, 200, 200, 200, 200, 200, 200, 200, 200, 200]),
    ("GET /api/jobs/{id}/objections",                      [200, 200, 200, 200, 200, 200, 200, 200, 200, 200]),
    ("POST /api/jobs/{id}/objections",                     [401, 201, 403, 403, 403, 403, 201, 403, 403, 401]),
    ("POST /api/jobs/{id}/objections/{objection_id}/answer", [401, 200, 403, 403, 403, 403, 403, 403, 403, 401]),
    ("POST /api/jobs/{id}/award/withdraw",                 [401, 403, 403, 200, 403, 403, 403, 403, 403, 401]),
    ("GET /api/jobs/{id}/contract",                        [401, 200, 403, 200, 403, 403, 403, 200, 403, 401]),
    ("POST /api/jobs/{id}/contract",                       [401, 200, 403, 403, 403, 403, 403, 403, 403, 401]),
    ("POST /api/jobs/{id}/contract/confirm",               [401, 403, 403, 200, 403, 403, 403, 403, 403, 401]),
    ("GET /api/jobs/{id}/delivery",                        [401, 200, 403, 200, 403, 403, 403, 200, 403, 401]),
    ("POST /api/jobs/{id}/delivery",                       [401, 403, 403, 200, 403, 403, 403, 403, 403, 401]),
    ("POST /api/jobs/{id}/acceptance",                     [401, 200, 403, 403, 403, 403, 403, 403, 403, 401]),
    ("POST /api/jobs/{id}/rating",                         [401, 200, 403, 403, 403, 403, 403, 403, 403, 401]),
    ("POST /api/jobs/{id}/rating/reply",                   [401, 403, 403, 204, 403, 403, 403, 403, 403, 401]),
    ("GET /api/approval-items",                            [200, 200, 200, 200, 200, 200, 200, 200, 200, 200]),
    ("GET /api/cases",                                     [401, 200, 200, 403, 403, 403, 403, 200, 200, 401]),
    ("POST /api/cases",                                    [401, 403, 403, 403, 403, 403, 403, 403, 201, 401]),
    ("GET /api/cases/{id}",                                [401, 200, 403, 200, 403, 403, 200, 200, 200, 401]),
    ("POST /api/cases/{id}/events",                        [401, 403, 403, 403, 403, 403, 403, 403, 200, 401]),
    ("POST /api/integrations/approval-cases/{number}/events", [401, 401, 401, 401, 401, 401, 401, 401, 401, 200]),
    ("GET /api/integration-tokens",                        [401, 403, 403, 403, 403, 403, 403, 200, 403, 401]),
    ("POST /api/integration-tokens",                       [401, 403, 403, 403, 403, 403, 403, 201, 403, 401]),
    ("POST /api/integration-tokens/{id}/revoke",           [401, 403, 403, 403, 403, 403, 403, 204, 403, 401]),
    ("GET /api/review/queue",                              [401, 403, 403, 403, 403, 403, 403, 200, 403, 401]),
    ("GET /api/review/versions/{id}",                      [401, 403, 403, 403, 403, 403, 403, 200, 403, 401]),
    ("POST /api/review/versions/{id}/decision",            [401, 403, 403, 403, 403, 403, 403, 200, 403, 401]),
    ("POST /api/agencies/{id}/suspensions",                [401, 403, 403, 403, 403, 403, 403, 201, 403, 401]),
    ("POST /api/suspensions/{id}/lift",                    [401, 403, 403, 403, 403, 403, 403, 204, 403, 401]),
    ("GET /api/jobs/{id}/chain",                           [200, 200, 200, 200, 200, 200, 200, 200, 200, 200]),
    ("GET /api/transparency/roots",                        [200, 200, 200, 200, 200, 200, 200, 200, 200, 200]),
    ("GET /api/transparency/audit",                        [200, 200, 200, 200, 200, 200, 200, 200, 200, 200]),
    ("GET /api/notifications",                             [401, 200, 200, 200, 200, 200, 200, 200, 200, 401]),
    ("POST /api/notifications/read",                       [401, 200, 200, 200, 200, 200, 200, 200, 200, 401]),
    ("GET /api/notifications/settings",                    [401, 200, 200, 200, 200, 200, 200, 200, 200, 401]),
    ("PUT /api/notifications/settings",                    [401, 200, 200, 200, 200, 200, 200, 200, 200, 401]),
    ("GET /api/notifications/stream",                      [401, 200, 200, 200, 200, 200, 200, 200, 200, 401]),
    ("GET /api/oversight/red-flags",                       [401, 403, 403, 403, 403, 403, 403, 200, 403, 401]),
    ("GET /api/oversight/off-platform",                    [401, 403, 403, 403, 403, 403, 403, 200, 403, 401]),
    ("GET /api/oversight/suspension-proposals",            [401, 403, 403, 403, 403, 403, 403, 200, 403, 401]),
    ("POST /api/oversight/suspension-proposals/{id}/confirm", [401, 403, 403, 403, 403, 403, 403, 201, 403, 401]),
    ("POST /api/oversight/suspension-proposals/{id}/dismiss", [401, 403, 403, 403, 403, 403, 403, 204, 403, 401]),
    ("GET /api/audit",                                     [401, 403, 403, 403, 403, 403, 403, 200, 403, 401]),
    ("GET /api/audit/csv",                                 [401, 403, 403, 403, 403, 403, 403, 200, 403, 401]),
    ("GET /api/statistics",                                [200, 200, 200, 200, 200, 200, 200, 200, 200, 200]),
    ("GET /api/statistics/csv/{table}",                    [404, 404, 404, 404, 404, 404, 404, 200, 404, 404]),
    ("GET /api/statistics/xlsx",                           [200, 200, 200, 200, 200, 200, 200, 200, 200, 200]),
    ("GET /api/ocds/releases",                             [200, 200, 200, 200, 200, 200, 200, 200, 200, 200]),
    ("GET /api/ocds/releases/{ocid}",                      [200, 200, 200, 200, 200, 200, 200, 200, 200, 200]),
    ("GET /api/ocds/records/{ocid}",                       [200, 200, 200, 200, 200, 200, 200, 200, 200, 200]),
    ("GET /api/complaints",                                [401, 200, 200, 200, 200, 200, 200, 200, 200, 401]),
    ("POST /api/complaints",                               [401, 201, 201, 400, 201, 201, 201, 403, 201, 401]),
    ("GET /api/complaints/{id}",                           [401, 200, 404, 200, 404, 404, 404, 200, 404, 401]),
    ("POST /api/complaints/{id}/{step}",                   [401, 403, 403, 200, 403, 403, 403, 403, 403, 401]),
    ("POST /api/complaints/{id}/decide",                   [401, 403, 403, 403, 403, 403, 403, 200, 403, 401]),
    ("GET /api/agencies/{id}/credit",                      [200, 200, 200, 200, 200, 200, 200, 200, 200, 200]),
];

/// One signed-in or tokened identity: the headers every request of it carries.
struct Identity {
    caller: Caller,
    /// The session cookie, for callers who sign in.
    session: Option<String>,
    /// Username and password, to sign in again where a request would end the session.
    credentials: Option<(String, String)>,
}

/// Everything the operations act on, each object in the state its operation needs.
struct Fixture {
    identities: Vec<Identity>,
    token: String,
    bidder_agency: i64,
    /// Published, open for bids; the bidder has bid, the non-bidder has not.
    open_job: i64,
    /// As `open_job`, for the new bid the non-bidder places (it then has a bid there).
    bid_job: i64,
    /// Published; the bidder's bid is there to withdraw.
    withdraw_job: i64,
    /// Drafts: one to edit, one to publish, and a published one to cancel.
    draft_job: i64,
    publish_job: i64,
    cancel_job: i64,
    /// Cancelled, to repost.
    cancelled_job: i64,
    /// Past its deadline, waiting for the enterprise's choice.
    opened_job: i64,
    /// A random draw, drawn at opening.
    draw_job: i64,
    /// In publicity: one to object to, one with an objection to answer, one whose winner
    /// withdraws.
    objection_job: i64,
    answer_job: (i64, i64),
    withdraw_award_job: i64,
    /// After publicity, one per step of the contract: to propose, to confirm, to deliver, to
    /// accept, to rate, and rated (to reply to, and to read the contract and report of).
    contract_job: i64,
    confirm_job: i64,
    delivery_job: i64,
    acceptance_job: i64,
    rating_job: i64,
    reply_job: i64,
    case_id: i64,
    /// Cases of their own for the officer's and the approval system's status events.
    officer_case: i64,
    integration_case: String,
    /// The owner's credit code, which new cases name as their applicant.
    applicant: String,
    revocable_token: i64,
    pending_version: i64,
    /// A demo agency's first listing awaiting review.
    queued_version: i64,
    suspension_target: i64,
    lift_suspension: i64,
    proposals: (i64, i64),
    /// Against the bidder: accepted (to read, and for the bidder to answer) and answered
    /// (for the regulator to decide).
    accepted_complaint: i64,
    answered_complaint: i64,
    listings: Vec<(Caller, Value)>,
}

const AGENCY_PASSWORD: &str = "agency password";
/// The password `enterprise_registration` and `agency_registration` set.
const OWN_PASSWORD: &str = "correct horse battery";

/// The fixture's own signed-in clients.
struct Sessions {
    owner: reqwest::Client,
    regulator: reqwest::Client,
    officer: reqwest::Client,
    pending: reqwest::Client,
    /// eia_agency_0 to eia_agency_8.
    agency: Vec<reqwest::Client>,
}

impl Sessions {
    async fn new(app: &TestApp) -> Sessions {
        let mut agency = Vec::new();
        for n in 0..9 {
            agency.push(
                app.signed_in((&format!("eia_agency_{n}"), AGENCY_PASSWORD))
                    .await,
            );
        }
        Sessions {
            owner: app.signed_in(ENTERPRISE).await,
            regulator: app.signed_in(REGULATOR).await,
            officer: app.signed_in(OFFICER).await,
            pending: app.signed_in(("matrix_pending", OWN_PASSWORD)).await,
            agency,
        }
    }
}

#[tokio::test]
async fn every_operation_gives_each_caller_the_status_the_matrix_says() {
    // The fixture and the matrix make about a hundred writes as the owner within a second or
    // two; the limiter that would slow them has tests of its own.
    let app = spawn_app_configured(|config| config.write_burst = 1_000).await;
    let documented = documented_operations(&app).await;
    let tabled: BTreeSet<String> = MATRIX.iter().map(|(op, _)| op.to_string()).collect();
    assert_eq!(
        MATRIX.len(),
        tabled.len(),
        "an operation is in the matrix twice"
    );
    let untabled: Vec<_> = documented.difference(&tabled).collect();
    assert!(
        untabled.is_empty(),
        "operations with no row in the authorization matrix: {untabled:?}"
    );
    let undocumented: Vec<_> = tabled.difference(&documented).collect();
    assert!(
        undocumented.is_empty(),
        "matrix rows for operations the document does not have: {undocumented:?}"
    );

    let fixture = Fixture::build(&app).await;
    let client = reqwest::Client::builder().build().unwrap();
    let counter = AtomicUsize::new(0);
    let mut wrong = Vec::new();
    for (operation, expected) in MATRIX {
        // Refusals first: they change nothing, so the callers allowed to act find the object
        // in the state the fixture left it.
        let mut order: Vec<usize> = (0..CALLERS.len()).collect();
        order.sort_by_key(|&i| (200..300).contains(&expected[i]));
        for i in order {
            let identity = &fixture.identities[i];
            let (method, template) = operation.split_once(' ').unwrap();
            let method: Method = method.parse().unwrap();
            let (path, body) = fixture.request(&app, operation, identity.caller, &counter);
            assert!(
                matches_template(&path, template),
                "{operation}: request path {path}"
            );
            let mut request = client.request(method.clone(), app.url(&path));
            let session = if *operation == "POST /api/auth/logout" {
                // Signing out ends the session; later rows still need the usual one.
                match &identity.credentials {
                    Some(credentials) => Some(sign_in(&app, credentials).await),
                    None => None,
                }
            } else {
                identity.session.clone()
            };
            if let Some(session) = session {
                request = request.header(COOKIE, format!("market_session={session}"));
            }
            if identity.caller == Token {
                request = request.header(AUTHORIZATION, format!("Bearer {}", fixture.token));
            }
            if method != Method::GET {
                request = request.header("X-Requested-With", "market-app");
                request = request.json(&body.unwrap_or(Value::Null));
            }
            let response = request.send().await.expect("request");
            let status = response.status().as_u16();
            if status != expected[i] {
                // The stream never ends by itself; only the status matters.
                let text = if path.ends_with("/stream") && status == 200 {
                    String::new()
                } else {
                    response.text().await.unwrap_or_default()
                };
                let text: String = text.chars().take(200).collect();
                wrong.push(format!(
                    "{operation} as {:?}: expected {}, got {status} {text}",
                    identity.caller, expected[i]
                ));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of {} calls differ from the matrix:\n{}",
        wrong.len(),
        MATRIX.len() * CALLERS.len(),
        wrong.join("\n")
    );
}

/// "METHOD /path" for every operation the served document describes.
async fn documented_operations(app: &TestApp) -> BTreeSet<String> {
    let doc: Value = json(app.get("/api/openapi.json").await).await;
    let mut operations = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for method in ["get", "put", "post", "delete", "patch"] {
            if item.get(method).is_some() {
                operations.insert(format!("{} {path}", method.to_uppercase()));
            }
        }
    }
    assert!(
        operations.len() >= 80,
        "only {} operations",
        operations.len()
    );
    operations
}

/// Whether a concrete path fills the template's `{parameters}`, so every row's request goes
/// where its row says.
fn matches_template(path: &str, template: &str) -> bool {
    let path = path.split('?').next().unwrap();
    let (mut got, mut want) = (path.split('/'), template.split('/'));
    loop {
        match (got.next(), want.next()) {
            (None, None) => return true,
            (Some(g), Some(w)) if w.starts_with('{') => {
                if g.is_empty() {
                    return false;
                }
            }
            (Some(g), Some(w)) if g == w => {}
            _ => return false,
        }
    }
}

/// A new session for the account, as its cookie value.
async fn sign_in(app: &TestApp, (username, password): &(String, String)) -> String {
    let response = reqwest::Client::new()
        .post(app.url("/api/auth/login"))
        .header("X-Requested-With", "market-app")
        .json(&json!({ "username": username, "password": password }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK, "sign in as {username}");
    let cookie = response
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| v.strip_prefix("market_session="))
        .expect("a session cookie");
    cookie.split(';').next().unwrap().to_owned()
}

fn rfc3339(at: time::OffsetDateTime) -> String {
    at.format(&Rfc3339).unwrap()
}

/// A job that closes `days` after now.
fn draft_closing(app: &TestApp, method: SelectionMethod, days: i64) -> JobDraft {
    JobDraft {
        deadline: rfc3339(app.clock_now() + Duration::days(days)),
        ..job_draft(method)
    }
}

async fn ok_json<T: serde::de::DeserializeOwned>(response: reqwest::Response, what: &str) -> T {
    let status = response.status();
    let text = response.text().await.unwrap();
    assert!(status.is_success(), "{what}: {status} {text}");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{what}: {e}: {text}"))
}

async fn ok(response: reqwest::Response, what: &str) {
    let status = response.status();
    let text = response.text().await.unwrap();
    assert!(status.is_success(), "{what}: {status} {text}");
}

impl Fixture {
    async fn build(app: &TestApp) -> Fixture {
        // eia_agency_0 bids, 1 does not, 2 is suspended, 3 and 4 make up the bidders, 5 and 6
        // collect complaints, 7 and 8 are suspended by the rows that suspend and lift.
        let agency: Vec<i64> = agencies(app, 9)
            .await
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        let other = app.register(&enterprise_registration("matrix_other")).await;
        assert_eq!(other.status(), StatusCode::CREATED);
        let code = credit_code_from("91539902MA6TE0X77");
        let pending = app
            .register(&agency_registration("matrix_pending", &code))
            .await;
        assert_eq!(pending.status(), StatusCode::CREATED);
        let s = Sessions::new(app).await;

        // Cases: one for the fixture's project, read by its parties; one each for the
        // officer's and the approval system's events. Jobs posted later for the project link to
        // them.
        // The fixture jobs' owner applies.
        let me: Account = json(app.get_as(&s.owner, "/api/auth/me").await).await;
        let applicant = me.credit_code.expect("the demo enterprise's credit code");
        let case_id = new_case(app, &s.officer, "YZ-HP-2026-9001", &applicant, true).await;
        let officer_case = new_case(app, &s.officer, "YZ-HP-2026-9002", &applicant, false).await;
        new_case(app, &s.officer, "YZ-HP-2026-9003", &applicant, false).await;
        // Jobs that stay open for bids through the whole run.
        let mut open = Vec::new();
        for _ in 0..7 {
            open.push(post_job(app, &s.owner, SelectionMethod::LowestPrice, 60).await);
        }
        // The non-bidder's new bid must not make it a party to the case: that job is for
        // another project.
        let mut unlinked = draft_closing(app, SelectionMethod::LowestPrice, 60);
        unlinked.project_code = "2026-539902-48-01-000777".into();
        let job: JobView =
            ok_json(app.post_as(&s.owner, "/api/jobs", &unlinked).await, "job").await;
        open[1] = job.id;
        let [open_job, bid_job, withdraw_job, cancel_job, cancelled_job, draft_job, publish_job] =
            open[..]
        else {
            unreachable!()
        };

        for id in [open_job, bid_job, withdraw_job, cancel_job, cancelled_job] {
            publish(app, &s.owner, id).await;
        }
        for id in [open_job, bid_job, withdraw_job] {
            bid_on(app, &s.agency[0], id, 8).await;
            bid_on(app, &s.agency[2], id, 9).await;
        }
        let cancel = format!("/api/jobs/{cancelled_job}/cancel");
        let reason = json!({"reason": "项目方案调整,重新发布"});
        ok(app.post_as(&s.owner, &cancel, &reason).await, "cancel").await;

        // Jobs that close tomorrow, with the bidder cheapest so that it wins.
        let mut closing = Vec::new();
        for _ in 0..10 {
            closing.push(post_job(app, &s.owner, SelectionMethod::LowestPrice, 1).await);
        }
        let draw_job = post_job(app, &s.owner, SelectionMethod::RandomDraw, 1).await;
        closing.push(draw_job);
        for &id in &closing {
            publish(app, &s.owner, id).await;
            bid_on(app, &s.agency[0], id, 8).await;
            bid_on(app, &s.agency[3], id, 9).await;
            bid_on(app, &s.agency[4], id, 10).await;
        }
        let [opened_job, objection_job, answer_job, withdraw_award_job, contract_job, confirm_job, delivery_job, acceptance_job, rating_job, reply_job, _] =
            closing[..]
        else {
            unreachable!()
        };
        // The agency to be suspended is a losing party to the job objected to.
        bid_on(app, &s.agency[2], objection_job, 11).await;

        app.clock.advance(Duration::days(1) + Duration::hours(1));
        let s = Sessions::new(app).await;
        let after_publicity = [
            confirm_job,
            delivery_job,
            acceptance_job,
            rating_job,
            reply_job,
        ];
        for id in std::iter::once(contract_job).chain(after_publicity) {
            award(app, &s.owner, id).await;
        }
        app.clock.advance(Duration::days(6));
        let s = Sessions::new(app).await;
        let today = app.clock_now().date();
        for (steps, id) in after_publicity.into_iter().enumerate() {
            let path = |tail: &str| format!("/api/jobs/{id}/{tail}");
            ok(
                app.post_as(&s.owner, &path("contract"), &contract_terms(today))
                    .await,
                "contract",
            )
            .await;
            if steps >= 1 {
                let confirmed = app
                    .post_as(&s.agency[0], &path("contract/confirm"), &())
                    .await;
                ok(confirmed, "confirm").await;
            }
            if steps >= 2 {
                let report = delivery_report();
                ok(
                    app.post_as(&s.agency[0], &path("delivery"), &report).await,
                    "deliver",
                )
                .await;
            }
            if steps >= 3 {
                let accepted = json!({"accepted": true});
                ok(
                    app.post_as(&s.owner, &path("acceptance"), &accepted).await,
                    "accept",
                )
                .await;
            }
            if steps >= 4 {
                ok(
                    app.post_as(&s.owner, &path("rating"), &rating()).await,
                    "rate",
                )
                .await;
            }
        }
        for id in [objection_job, answer_job, withdraw_award_job] {
            award(app, &s.owner, id).await;
        }
        let objection: Value = ok_json(
            app.post_as(
                &s.agency[3],
                &format!("/api/jobs/{answer_job}/objections"),
                &json!({"reason": "中选机构的资质证书已过期,请核实"}),
            )
            .await,
            "objection",
        )
        .await;

        let (_, token) = new_token(app, &s.regulator, "省审批系统").await;
        let (revocable_token, _) = new_token(app, &s.regulator, "旧审批系统").await;

        // The pending agency submits its first listing, complete but for review.
        let mut first = my_listing(app, &s.agency[1]).await.editor_start;
        first.name = "云州新锐测绘有限公司".into();
        first.credit_code = code.clone();
        first.email = "pending@example.cn".into();
        first.phone = "0870-6199999".into();
        first.address = "云州市云湖区湖滨路 9 号".into();
        for (i, qualification) in first.qualifications.iter_mut().enumerate() {
            qualification.number = format!("EN2024-P{i}");
        }
        let submitted: Value = ok_json(
            app.post_as(&s.pending, "/api/my/listing", &first).await,
            "first listing",
        )
        .await;
        let pending_version = submitted["id"].as_i64().unwrap();
        let queue: ReviewQueue = json(app.get_as(&s.regulator, "/api/review/queue").await).await;
        let queued_version = queue
            .items
            .iter()
            .find(|i| i.first_listing && i.version_id != pending_version)
            .expect("a demo agency waits for review")
            .version_id;
        let mut listings = Vec::new();
        for (caller, client) in [
            (Bidder, &s.agency[0]),
            (NonBidder, &s.agency[1]),
            (Pending, &s.pending),
            (Suspended, &s.agency[2]),
        ] {
            let draft = serde_json::to_value(my_listing(app, client).await.editor_start).unwrap();
            listings.push((caller, draft));
        }

        suspend(app, &s.regulator, agency[2]).await;
        let lift_suspension = suspend(app, &s.regulator, agency[8]).await;

        // Complaints against the bidder, and three upheld quality complaints against each of
        // two agencies so that two suspension proposals wait.
        let accepted_complaint = file_complaint(app, &s.owner, agency[0], "fee").await;
        complaint_step(app, &s.regulator, accepted_complaint, "accept", json!({})).await;
        let answered_complaint = file_complaint(app, &s.owner, agency[0], "fee").await;
        complaint_step(app, &s.regulator, answered_complaint, "accept", json!({})).await;
        let answer = json!({"text": "已按公示标准收费"});
        complaint_step(app, &s.agency[0], answered_complaint, "answer", answer).await;
        for n in [5, 6] {
            for _ in 0..3 {
                let id = file_complaint(app, &s.owner, agency[n], "quality").await;
                complaint_step(app, &s.regulator, id, "accept", json!({})).await;
                let answer = json!({"text": "已整改"});
                complaint_step(app, &s.agency[n], id, "answer", answer).await;
                let upheld = json!({"upheld": true, "reason": "属实"});
                complaint_step(app, &s.regulator, id, "decide", upheld).await;
            }
        }
        let proposals: Value = json(
            app.get_as(&s.regulator, "/api/oversight/suspension-proposals")
                .await,
        )
        .await;
        let proposed: Vec<i64> = proposals
            .as_array()
            .or_else(|| proposals["items"].as_array())
            .expect("proposals")
            .iter()
            .filter(|p| [agency[5], agency[6]].contains(&p["agency_id"].as_i64().unwrap()))
            .map(|p| p["id"].as_i64().unwrap())
            .collect();
        assert_eq!(proposed.len(), 2, "{proposals}");

        let mut identities = Vec::new();
        let accounts: [(Caller, Option<(&str, &str)>); 10] = [
            (Anonymous, None),
            (Owner, Some(ENTERPRISE)),
            (OtherEnterprise, Some(("matrix_other", OWN_PASSWORD))),
            (Bidder, Some(("eia_agency_0", AGENCY_PASSWORD))),
            (NonBidder, Some(("eia_agency_1", AGENCY_PASSWORD))),
            (Pending, Some(("matrix_pending", OWN_PASSWORD))),
            (Suspended, Some(("eia_agency_2", AGENCY_PASSWORD))),
            (Regulator, Some(REGULATOR)),
            (Officer, Some(OFFICER)),
            (Token, None),
        ];
        for (caller, account) in accounts {
            let credentials = account.map(|(u, p)| (u.to_owned(), p.to_owned()));
            let session = match &credentials {
                Some(credentials) => Some(sign_in(app, credentials).await),
                None => None,
            };
            identities.push(Identity {
                caller,
                session,
                credentials,
            });
        }
        assert!(identities.iter().map(|i| i.caller).eq(CALLERS));

        Fixture {
            identities,
            token,
            bidder_agency: agency[0],
            open_job,
            bid_job,
            withdraw_job,
            draft_job,
            publish_job,
            cancel_job,
            cancelled_job,
            opened_job,
            draw_job,
            objection_job,
            answer_job: (answer_job, objection["id"].as_i64().unwrap()),
            withdraw_award_job,
            contract_job,
            confirm_job,
            delivery_job,
            acceptance_job,
            rating_job,
            reply_job,
            case_id,
            officer_case,
            integration_case: "YZ-HP-2026-9003".into(),
            applicant,
            revocable_token,
            pending_version,
            queued_version,
            suspension_target: agency[7],
            lift_suspension,
            proposals: (proposed[0], proposed[1]),
            accepted_complaint,
            answered_complaint,
            listings,
        }
    }

    /// The path and body of `operation` as `caller` sends it: valid in every respect but
    /// the caller's right to send it.
    fn request(
        &self,
        app: &TestApp,
        operation: &str,
        caller: Caller,
        counter: &AtomicUsize,
    ) -> (String, Option<Value>) {
        let n = counter.fetch_add(1, Ordering::Relaxed);
        let today = app.clock_now().date();
        let job = |id: i64, tail: &str| format!("/api/jobs/{id}{tail}");
        let (path, body): (String, Option<Value>) = match operation {
            "POST /api/auth/register" => {
                let mut request = enterprise_registration(&format!("matrix_new_{n}"));
                request.credit_code = credit_code_from(&format!("91539902MA{:07}", 5_000_000 + n));
                (
                    "/api/auth/register".into(),
                    Some(serde_json::to_value(request).unwrap()),
                )
            }
            "POST /api/auth/login" => (
                "/api/auth/login".into(),
                Some(json!({"username": ENTERPRISE.0, "password": ENTERPRISE.1})),
            ),
            "POST /api/auth/logout" => ("/api/auth/logout".into(), Some(json!({}))),
            "GET /api/fee-standards" => ("/api/fee-standards?service_type=env_impact".into(), None),
            "GET /api/agencies/{id}" => (format!("/api/agencies/{}", self.bidder_agency), None),
            "GET /api/agencies/{id}/credit" => {
                (format!("/api/agencies/{}/credit", self.bidder_agency), None)
            }
            "POST /api/my/listing" => {
                let draft = self
                    .listings
                    .iter()
                    .find(|(c, _)| *c == caller)
                    .unwrap_or(&self.listings[0]);
                ("/api/my/listing".into(), Some(draft.1.clone()))
            }
            "POST /api/jobs" => (
                "/api/jobs".into(),
                Some(
                    serde_json::to_value(draft_closing(app, SelectionMethod::LowestPrice, 30))
                        .unwrap(),
                ),
            ),
            "GET /api/jobs/{id}" => (job(self.draft_job, ""), None),
            "PUT /api/jobs/{id}" => {
                let mut draft = draft_closing(app, SelectionMethod::LowestPrice, 30);
                draft.scope = format!("{} 第 {n} 次修改。", draft.scope);
                (
                    job(self.draft_job, ""),
                    Some(serde_json::to_value(draft).unwrap()),
                )
            }
            "POST /api/jobs/{id}/publish" => (job(self.publish_job, "/publish"), Some(Value::Null)),
            "POST /api/jobs/{id}/cancel" => (
                job(self.cancel_job, "/cancel"),
                Some(json!({"reason": "项目方案调整,重新发布"})),
            ),
            "POST /api/jobs/{id}/repost" => (
                job(self.cancelled_job, "/repost"),
                Some(
                    serde_json::to_value(draft_closing(app, SelectionMethod::LowestPrice, 30))
                        .unwrap(),
                ),
            ),
            "GET /api/jobs/{id}/events" => (job(self.reply_job, "/events"), None),
            "GET /api/jobs/{id}/eligibility" => (job(self.open_job, "/eligibility"), None),
            "GET /api/jobs/{id}/bids" => (job(self.open_job, "/bids"), None),
            "POST /api/jobs/{id}/bids" => (
                job(self.bid_job, "/bids"),
                Some(serde_json::to_value(bid(9)).unwrap()),
            ),
            "PUT /api/jobs/{id}/bids/mine" => (
                job(self.open_job, "/bids/mine"),
                Some(serde_json::to_value(bid(8)).unwrap()),
            ),
            "POST /api/jobs/{id}/bids/mine/withdraw" => (
                job(self.withdraw_job, "/bids/mine/withdraw"),
                Some(Value::Null),
            ),
            "POST /api/jobs/{id}/award" => (job(self.opened_job, "/award"), Some(json!({}))),
            "GET /api/jobs/{id}/draw" => (job(self.draw_job, "/draw"), None),
            "GET /api/jobs/{id}/objections" => (job(self.answer_job.0, "/objections"), None),
            "POST /api/jobs/{id}/objections" => (
                job(self.objection_job, "/objections"),
                Some(json!({"reason": "对中选结果有异议,请复核报价"})),
            ),
            "POST /api/jobs/{id}/objections/{objection_id}/answer" => (
                job(
                    self.answer_job.0,
                    &format!("/objections/{}/answer", self.answer_job.1),
                ),
                Some(json!({"upheld": false, "answer": "经核实,资质在有效期内"})),
            ),
            "POST /api/jobs/{id}/award/withdraw" => (
                job(self.withdraw_award_job, "/award/withdraw"),
                Some(Value::Null),
            ),
            "GET /api/jobs/{id}/contract" => (job(self.reply_job, "/contract"), None),
            "POST /api/jobs/{id}/contract" => (
                job(self.contract_job, "/contract"),
                Some(json!({
                    "amount": 8 * WAN,
                    "starts_on": (today + Duration::days(1)).to_string(),
                    "ends_on": (today + Duration::days(60)).to_string(),
                })),
            ),
            "POST /api/jobs/{id}/contract/confirm" => (
                job(self.confirm_job, "/contract/confirm"),
                Some(Value::Null),
            ),
            "GET /api/jobs/{id}/delivery" => (job(self.reply_job, "/delivery"), None),
            "POST /api/jobs/{id}/delivery" => (
                job(self.delivery_job, "/delivery"),
                Some(
                    json!({"summary": "环境影响报告表已编制完成", "report_number": "YZHP-2026-119"}),
                ),
            ),
            "POST /api/jobs/{id}/acceptance" => (
                job(self.acceptance_job, "/acceptance"),
                Some(json!({"accepted": true})),
            ),
            "POST /api/jobs/{id}/rating" => (
                job(self.rating_job, "/rating"),
                Some(
                    json!({"quality": 5, "timeliness": 5, "attitude": 5, "fee_compliance": 5, "integrity": 5, "comment": "按期交付"}),
                ),
            ),
            "POST /api/jobs/{id}/rating/reply" => (
                job(self.reply_job, "/rating/reply"),
                Some(json!({"reply": "感谢业主的认可"})),
            ),
            "GET /api/jobs/{id}/chain" => (job(self.reply_job, "/chain"), None),
            "POST /api/cases" => (
                "/api/cases".into(),
                Some(case_body(
                    app,
                    &format!("YZ-HP-2026-8{n:03}"),
                    &self.applicant,
                    false,
                )),
            ),
            "GET /api/cases/{id}" => (format!("/api/cases/{}", self.case_id), None),
            "POST /api/cases/{id}/events" => (
                format!("/api/cases/{}/events", self.officer_case),
                Some(status_event(&format!("officer-{n}"), app)),
            ),
            "POST /api/integrations/approval-cases/{number}/events" => (
                format!(
                    "/api/integrations/approval-cases/{}/events",
                    self.integration_case
                ),
                Some(status_event(&format!("system-{n}"), app)),
            ),
            "POST /api/integration-tokens" => (
                "/api/integration-tokens".into(),
                Some(json!({"name": format!("对接系统{n}")})),
            ),
            "POST /api/integration-tokens/{id}/revoke" => (
                format!("/api/integration-tokens/{}/revoke", self.revocable_token),
                Some(Value::Null),
            ),
            "GET /api/review/versions/{id}" => (
                format!("/api/review/versions/{}", self.pending_version),
                None,
            ),
            "POST /api/review/versions/{id}/decision" => (
                format!("/api/review/versions/{}/decision", self.queued_version),
                Some(json!({"decision": "approve", "reason": "材料齐全"})),
            ),
            "POST /api/agencies/{id}/suspensions" => (
                format!("/api/agencies/{}/suspensions", self.suspension_target),
                Some(suspension_body(today)),
            ),
            "POST /api/suspensions/{id}/lift" => (
                format!("/api/suspensions/{}/lift", self.lift_suspension),
                Some(Value::Null),
            ),
            "POST /api/notifications/read" => ("/api/notifications/read".into(), Some(json!({}))),
            "PUT /api/notifications/settings" => (
                "/api/notifications/settings".into(),
                Some(json!({"muted": []})),
            ),
            "POST /api/oversight/suspension-proposals/{id}/confirm" => (
                format!(
                    "/api/oversight/suspension-proposals/{}/confirm",
                    self.proposals.0
                ),
                Some(suspension_body(today)),
            ),
            "POST /api/oversight/suspension-proposals/{id}/dismiss" => (
                format!(
                    "/api/oversight/suspension-proposals/{}/dismiss",
                    self.proposals.1
                ),
                Some(json!({"text": "整改到位,暂不暂停"})),
            ),
            "GET /api/statistics/csv/{table}" => ("/api/statistics/csv/top_agencies".into(), None),
            "GET /api/ocds/releases/{ocid}" => (
                format!(
                    "/api/ocds/releases/{}",
                    market_domain::ocds::ocid(self.reply_job)
                ),
                None,
            ),
            "GET /api/ocds/records/{ocid}" => (
                format!(
                    "/api/ocds/records/{}",
                    market_domain::ocds::ocid(self.reply_job)
                ),
                None,
            ),
            "POST /api/complaints" => (
                "/api/complaints".into(),
                Some(complaint_against(self.bidder_agency, "fee")),
            ),
            "GET /api/complaints/{id}" => {
                (format!("/api/complaints/{}", self.accepted_complaint), None)
            }
            "POST /api/complaints/{id}/{step}" => (
                format!("/api/complaints/{}/answer", self.accepted_complaint),
                Some(json!({"text": "已按公示标准收费,附收费明细"})),
            ),
            "POST /api/complaints/{id}/decide" => (
                format!("/api/complaints/{}/decide", self.answered_complaint),
                Some(json!({"upheld": false, "reason": "经查收费符合公示标准"})),
            ),
            other => {
                let path = other.split_once(' ').unwrap().1;
                assert!(
                    !path.contains('{'),
                    "{other} needs its parameters filled in"
                );
                assert!(other.starts_with("GET "), "{other} needs its body written");
                (path.to_owned(), None)
            }
        };
        (path, body)
    }
}

async fn post_job(
    app: &TestApp,
    owner: &reqwest::Client,
    method: SelectionMethod,
    days: i64,
) -> i64 {
    let draft = draft_closing(app, method, days);
    let job: JobView = ok_json(app.post_as(owner, "/api/jobs", &draft).await, "job").await;
    job.id
}

async fn publish(app: &TestApp, owner: &reqwest::Client, id: i64) {
    let path = format!("/api/jobs/{id}/publish");
    ok(app.post_as(owner, &path, &()).await, "publish").await
}

async fn bid_on(app: &TestApp, agency: &reqwest::Client, id: i64, wan: i64) {
    let path = format!("/api/jobs/{id}/bids");
    ok(app.post_as(agency, &path, &bid(wan)).await, "bid").await
}

async fn award(app: &TestApp, owner: &reqwest::Client, id: i64) {
    let path = format!("/api/jobs/{id}/award");
    ok(app.post_as(owner, &path, &json!({})).await, "award").await
}

fn contract_terms(today: time::Date) -> Value {
    json!({
        "amount": 8 * WAN,
        "starts_on": (today + Duration::days(1)).to_string(),
        "ends_on": (today + Duration::days(60)).to_string(),
    })
}

fn delivery_report() -> Value {
    json!({"summary": "环境影响报告表已编制完成并通过专家评审", "report_number": "YZHP-2026-118"})
}

fn rating() -> Value {
    json!({"quality": 5, "timeliness": 4, "attitude": 5, "fee_compliance": 5, "integrity": 4, "comment": "报告质量高,沟通及时"})
}

/// A case of the demo enterprise: for the fixture jobs' project when `linked`, so that they link
/// to it (a job links only to a single matching case), else for another project.
fn case_body(app: &TestApp, number: &str, applicant: &str, linked: bool) -> Value {
    let project_code = if linked {
        job_draft(SelectionMethod::LowestPrice).project_code
    } else {
        "2026-539902-48-01-000901".into()
    };
    json!({
        "case_number": number,
        "project_code": project_code,
        "project_name": "云州市滨湖片区污水处理厂提标改造工程",
        "item_code": "eia_approval",
        "applicant_credit_code": applicant,
        "received_at": rfc3339(app.clock_now() - Duration::hours(1)),
    })
}

async fn new_case(
    app: &TestApp,
    officer: &reqwest::Client,
    number: &str,
    applicant: &str,
    linked: bool,
) -> i64 {
    let body = case_body(app, number, applicant, linked);
    let case: Value = ok_json(app.post_as(officer, "/api/cases", &body).await, "case").await;
    case["summary"]["id"].as_i64().unwrap()
}

/// A new integration token: (id, token).
async fn new_token(app: &TestApp, regulator: &reqwest::Client, name: &str) -> (i64, String) {
    let body = json!({ "name": name });
    let token: Value = ok_json(
        app.post_as(regulator, "/api/integration-tokens", &body)
            .await,
        "token",
    )
    .await;
    (
        token["id"].as_i64().unwrap(),
        token["token"].as_str().unwrap().to_owned(),
    )
}

async fn my_listing(app: &TestApp, agency: &reqwest::Client) -> MyListing {
    json(app.get_as(agency, "/api/my/listing").await).await
}

async fn suspend(app: &TestApp, regulator: &reqwest::Client, agency: i64) -> i64 {
    let path = format!("/api/agencies/{agency}/suspensions");
    let body = suspension_body(app.clock_now().date());
    let suspension: Value = ok_json(app.post_as(regulator, &path, &body).await, "suspend").await;
    suspension["id"].as_i64().unwrap()
}

async fn file_complaint(
    app: &TestApp,
    owner: &reqwest::Client,
    agency: i64,
    category: &str,
) -> i64 {
    let body = complaint_against(agency, category);
    let complaint: Value = ok_json(
        app.post_as(owner, "/api/complaints", &body).await,
        "complaint",
    )
    .await;
    complaint["id"].as_i64().unwrap()
}

async fn complaint_step(app: &TestApp, who: &reqwest::Client, id: i64, action: &str, body: Value) {
    let path = format!("/api/complaints/{id}/{action}");
    ok(app.post_as(who, &path, &body).await, action).await
}

fn suspension_body(today: time::Date) -> Value {
    json!({
        "reason": "超出公示标准收费,经查属实",
        "starts_on": today.to_string(),
        "ends_on": (today + Duration::days(90)).to_string(),
        "blacklist": false,
        "basis": "《云州市中介服务收费管理办法》第二十条"
    })
}

fn status_event(id: &str, app: &TestApp) -> Value {
    json!({"event_id": id, "at": rfc3339(app.clock_now()), "kind": "status", "status": "under_review", "note": ""})
}
