//! Jobs and sealed bids: visibility before and after the deadline, refusals, opening, voiding,
//! fee flags, and 200 concurrent bidders at the deadline.

use crate::helpers::*;
use market_domain::fee::{FeeStandardDraft, PricingModelDraft};
use market_domain::job::{JobDraft, JobState, RequiredQualification};
use market_domain::listing::{ListingDraft, QualificationDraft};
use market_domain::selection::fee_flags;
use market_domain::selection::{FeeFlag, SelectionKind, SelectionMethod};
use market_domain::wire::{
    BidEligibility, BidRequest, BidStatus, BidView, JobEventView, JobSummary, JobView, MyJobs, Page,
};
use market_domain::Money;
use market_server::store::{NewAgency, NewUser, Organization};
use reqwest::StatusCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use time::Duration;

pub(crate) const WAN: i64 = 1_000_000;

/// The job's deadline: one day after the test clock's start.
pub(crate) const DEADLINE: &str = "2026-11-29T09:00:00+08:00";

pub(crate) fn job_draft(selection: SelectionMethod) -> JobDraft {
    JobDraft {
        project_code: "2026-539902-48-01-000321".into(),
        project_name: "云州市滨湖片区污水处理厂提标改造工程".into(),
        approval_item: "建设项目环境影响评价审批".into(),
        approving_department: "云州市生态环境局".into(),
        service_type: "env_impact".into(),
        scope: "编制建设项目环境影响报告表,配合技术评审并按意见修改至通过。".into(),
        investment: Some(8_000 * WAN),
        quantity_milli: None,
        budget_ceiling: 15 * WAN,
        fiscal_percent: 100,
        required_qualifications: vec![],
        avoidance: vec![],
        selection,
        deadline: DEADLINE.into(),
        min_bidders: 3,
        publicity_days: 5,
        contact_person: "王建国".into(),
        contact_phone: "0870-6123456".into(),
    }
}

/// An approved agency with its own account that offers 环评 at a fixed 10万元, signed in.
async fn agency_account(app: &TestApp, n: usize, password_hash: &str) -> (i64, reqwest::Client) {
    agency_account_with(app, n, password_hash, |_| {}).await
}

/// As [`agency_account`], with the listing adjusted first (contact details, say).
pub(crate) async fn agency_account_with(
    app: &TestApp,
    n: usize,
    password_hash: &str,
    adjust: impl FnOnce(&mut ListingDraft),
) -> (i64, reqwest::Client) {
    let username = format!("eia_agency_{n}");
    let mut draft = ListingDraft {
        name: format!("云州测试{n}号环境科技有限公司"),
        credit_code: credit_code_from(&format!("91539902MA{:07}", 1_000_000 + n)),
        legal_representative: "张志强".into(),
        contact_person: "李海燕".into(),
        phone: format!("0870-61{n:05}"),
        email: format!("eia{n}@example.cn"),
        address: format!("云州市云湖区滨湖路 {} 号", 100 + n),
        district: "yunhu".into(),
        description: "专业从事环境影响评价十余年。".into(),
        service_types: vec!["env_impact".into()],
        qualifications: vec![QualificationDraft {
            name: "环境影响评价编制单位信用平台登记".into(),
            number: format!("EN2024-{n:05}"),
            level: "已登记".into(),
            authority: "生态环境部".into(),
            issued_on: "2024-01-01".into(),
            expires_on: "2029-01-01".into(),
            service_types: vec!["env_impact".into()],
        }],
        staff_count: 20,
        service_commitment: "严格执行公示收费标准,按期提交成果。".into(),
        fee_standards: vec![FeeStandardDraft {
            service_type: "env_impact".into(),
            basis: "market_regulated".into(),
            model: PricingModelDraft::Fixed { price: 10 * WAN },
            max_discount_bp: 2_000,
            effective_from: "2026-01-01".into(),
        }],
    };
    adjust(&mut draft);
    let listing = draft.parse().expect("valid test listing");
    let user_id = app
        .store
        .create_user(NewUser {
            username: username.clone(),
            password_hash: password_hash.to_owned(),
            role: market_domain::Role::Agency,
            organization: Organization {
                name: draft.name.clone(),
                credit_code: Some(draft.credit_code.clone()),
                contact_person: None,
                phone: None,
                email: None,
            },
            agency: Some(NewAgency::from_listing(&listing)),
            created_at: app.clock_now(),
        })
        .await
        .expect("agency created");
    let agency_id = app.store.agency_of_owner(user_id).await.unwrap().unwrap();
    (
        agency_id,
        app.signed_in((&username, "agency password")).await,
    )
}

pub(crate) async fn agencies(app: &TestApp, count: usize) -> Vec<(i64, reqwest::Client)> {
    let hash = market_server::auth::password::hash("agency password".into())
        .await
        .unwrap();
    let mut out = Vec::new();
    for n in 0..count {
        out.push(agency_account(app, n, &hash).await);
    }
    out
}

pub(crate) fn bid(price_wan: i64) -> BidRequest {
    BidRequest {
        price: price_wan * WAN,
        service_days: 45,
        commitment: "按期提交报告,通过技术评审。".into(),
        proposal: "现场踏勘、监测布点、预测评价、编制报告表。".into(),
    }
}

/// Posts and publishes a job as the demo enterprise.
pub(crate) async fn published_job(
    app: &TestApp,
    enterprise: &reqwest::Client,
    draft: &JobDraft,
) -> JobView {
    let created = app.post_as(enterprise, "/api/jobs", draft).await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let job: JobView = json(created).await;
    assert_eq!(job.state, JobState::Draft);
    let published = app
        .post_as(enterprise, &format!("/api/jobs/{}/publish", job.id), &())
        .await;
    assert_eq!(published.status(), StatusCode::OK);
    json(published).await
}

/// Awards a job whose method needs no input (lowest price) as the demo enterprise.
pub(crate) async fn award_by_price(app: &TestApp, job_id: i64) {
    let enterprise = app.signed_in(ENTERPRISE).await;
    let awarded = app
        .post_as(
            &enterprise,
            &format!("/api/jobs/{job_id}/award"),
            &serde_json::json!({}),
        )
        .await;
    assert_eq!(awarded.status(), StatusCode::OK, "job {job_id}");
}

pub(crate) async fn pass_deadline(app: &TestApp) {
    app.clock.advance(Duration::hours(25));
}

#[tokio::test]
async fn bids_are_sealed_from_everyone_but_their_bidder_until_the_deadline() {
    let app = spawn_app().await;
    let enterprise = app.signed_in(ENTERPRISE).await;
    let regulator = app.signed_in(REGULATOR).await;
    let bidders = agencies(&app, 4).await;
    let job = published_job(&app, &enterprise, &job_draft(SelectionMethod::LowestPrice)).await;
    let path = format!("/api/jobs/{}/bids", job.id);
    for (_, client) in &bidders[..3] {
        assert_eq!(
            app.post_as(client, &path, &bid(9)).await.status(),
            StatusCode::CREATED
        );
    }
    let outsider = &bidders[3].1;
    let anonymous = new_client();

    for client in [&enterprise, &regulator, outsider, &anonymous] {
        assert_error(
            app.get_as(client, &path).await,
            StatusCode::FORBIDDEN,
            "bids_sealed",
        )
        .await;
    }
    let own: Vec<BidView> = json(app.get_as(&bidders[0].1, &path).await).await;
    assert_eq!(own.len(), 1);
    assert_eq!(own[0].agency_id, bidders[0].0);
    // Before opening nobody learns that bids exist (招标投标法 Art. 22): no count, and the
    // public timeline, its chain and the open-data release do not move when a bid arrives.
    let public: JobView = json(
        app.get_as(&anonymous, &format!("/api/jobs/{}", job.id))
            .await,
    )
    .await;
    assert_eq!(public.bid_count, None);
    let timeline: Vec<JobEventView> = json(
        app.get_as(&anonymous, &format!("/api/jobs/{}/events", job.id))
            .await,
    )
    .await;
    assert_eq!(
        timeline.iter().map(|e| e.event.code()).collect::<Vec<_>>(),
        ["created", "published"]
    );
    let package: serde_json::Value = json(
        app.get(&format!("/api/ocds/releases/ocds-yz0zjc-{}", job.id))
            .await,
    )
    .await;
    let release = &package["releases"][0];
    assert!(
        release
            .to_string()
            .contains(&format!("ocds-yz0zjc-{}-2", job.id)),
        "the release did not move with the bids: {release}"
    );
    for client in [&enterprise, &regulator, &anonymous] {
        let listed: serde_json::Value =
            json(app.get_as(client, "/api/jobs?state=published").await).await;
        let row = listed["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|j| j["id"] == job.id)
            .cloned()
            .unwrap();
        assert!(row["bid_count"].is_null(), "{row}");
    }

    pass_deadline(&app).await;
    let enterprise = app.signed_in(ENTERPRISE).await;
    let regulator = app.signed_in(REGULATOR).await;
    for client in [&enterprise, &regulator] {
        let all: Vec<BidView> = json(app.get_as(client, &path).await).await;
        assert_eq!(all.len(), 3);
    }
    let bidder = app.signed_in(("eia_agency_1", "agency password")).await;
    let own: Vec<BidView> = json(app.get_as(&bidder, &path).await).await;
    assert_eq!(own.len(), 1);
    let outsider = app.signed_in(("eia_agency_3", "agency password")).await;
    for client in [&outsider, &anonymous] {
        assert_error(
            app.get_as(client, &path).await,
            StatusCode::FORBIDDEN,
            "bids_sealed",
        )
        .await;
    }
    let opened: JobView = json(app.get(&format!("/api/jobs/{}", job.id)).await).await;
    assert_eq!(opened.state, JobState::Evaluating);
    assert_eq!(opened.bid_count, Some(3));
}

#[tokio::test]
async fn every_bid_action_gets_a_receipt_that_the_chain_publishes_at_opening() {
    let app = spawn_app().await;
    let enterprise = app.signed_in(ENTERPRISE).await;
    let bidders = agencies(&app, 3).await;
    let job = published_job(&app, &enterprise, &job_draft(SelectionMethod::LowestPrice)).await;
    let path = format!("/api/jobs/{}/bids", job.id);
    let mut receipts = Vec::new();
    for (n, (_, client)) in bidders.iter().enumerate() {
        let placed: BidView = json(app.post_as(client, &path, &bid(9 + n as i64)).await).await;
        receipts.push(placed.receipt.clone().expect("a receipt for the bidder"));
    }
    // A change gets a new receipt; the old one stays in the record of what happened.
    let changed: BidView = json(
        app.put_as(&bidders[0].1, &format!("{path}/mine"), &bid(8))
            .await,
    )
    .await;
    let latest = changed.receipt.clone().unwrap();
    assert_ne!(latest, receipts[0]);
    receipts.push(latest.clone());

    pass_deadline(&app).await;
    let events: Vec<JobEventView> =
        json(app.get(&format!("/api/jobs/{}/events", job.id)).await).await;
    let published = events
        .iter()
        .find(|e| e.event == market_domain::job::JobEvent::BidReceipts)
        .expect("the receipts enter the chain at opening");
    let listed = market_domain::chain::receipts_in(&published.detail);
    for receipt in &receipts {
        assert!(
            listed.contains(&receipt.as_str()),
            "{receipt} in {listed:?}"
        );
    }
    assert_eq!(listed.len(), 4);
    assert!(market_domain::chain::verify(job.id, &events).is_ok());

    // Once open, each bid recomputes to its published receipt from the bid and its nonce.
    let enterprise = app.signed_in(ENTERPRISE).await;
    let all: Vec<BidView> = json(app.get_as(&enterprise, &path).await).await;
    for bid in &all {
        let at = time::OffsetDateTime::parse(
            &bid.updated_at,
            &time::format_description::well_known::Rfc3339,
        )
        .unwrap();
        let action = if bid.agency_id == bidders[0].0 {
            "updated"
        } else {
            "submitted"
        };
        let recomputed = market_domain::chain::bid_receipt(&market_domain::chain::BidAction {
            job_id: job.id,
            agency_id: bid.agency_id,
            at_unix: at.unix_timestamp(),
            action,
            price_fen: bid.price.fen(),
            service_days: bid.service_days,
            commitment: &bid.commitment,
            proposal: &bid.proposal,
            nonce: bid.receipt_nonce.as_deref().unwrap(),
        });
        assert_eq!(Some(recomputed.clone()), bid.receipt);
        assert!(listed.contains(&recomputed.as_str()));
    }
}

#[tokio::test]
async fn a_bid_after_the_deadline_and_a_second_bid_are_refused() {
    let app = spawn_app().await;
    let enterprise = app.signed_in(ENTERPRISE).await;
    let bidders = agencies(&app, 2).await;
    let job = published_job(&app, &enterprise, &job_draft(SelectionMethod::LowestPrice)).await;
    let path = format!("/api/jobs/{}/bids", job.id);
    assert_eq!(
        app.post_as(&bidders[0].1, &path, &bid(9)).await.status(),
        StatusCode::CREATED
    );
    assert_error(
        app.post_as(&bidders[0].1, &path, &bid(8)).await,
        StatusCode::CONFLICT,
        "already_bid",
    )
    .await;
    // Editing the existing bid is how a bidder changes it.
    let edited = bidders[0]
        .1
        .put(app.url(&format!("{path}/mine")))
        .header("X-Requested-With", "market-app")
        .json(&bid(8))
        .send()
        .await
        .unwrap();
    assert_eq!(edited.status(), StatusCode::OK);
    assert_eq!(json::<BidView>(edited).await.price.fen(), 8 * WAN);

    app.clock
        .set(time::macros::datetime!(2026-11-29 09:00 +08:00));
    let late = app.signed_in(("eia_agency_1", "agency password")).await;
    assert_error(
        app.post_as(&late, &path, &bid(9)).await,
        StatusCode::CONFLICT,
        "deadline_passed",
    )
    .await;
}

#[tokio::test]
async fn too_few_bids_make_the_job_unsuccessful_with_the_reason() {
    let app = spawn_app().await;
    let enterprise = app.signed_in(ENTERPRISE).await;
    let bidders = agencies(&app, 2).await;
    let job = published_job(&app, &enterprise, &job_draft(SelectionMethod::RandomDraw)).await;
    assert_eq!(job.draw_commitment.as_ref().map(String::len), Some(64));
    for (_, client) in &bidders {
        let response = app
            .post_as(client, &format!("/api/jobs/{}/bids", job.id), &bid(9))
            .await;
        assert_eq!(response.status(), StatusCode::CREATED);
    }
    pass_deadline(&app).await;
    let failed: JobView = json(app.get(&format!("/api/jobs/{}", job.id)).await).await;
    assert_eq!(failed.state, JobState::Unsuccessful);
    assert!(failed
        .unsuccessful_reason
        .unwrap()
        .contains("少于最少 3 家"));
    let listed: Page<JobSummary> = json(app.get("/api/jobs?state=unsuccessful").await).await;
    assert!(listed.items.iter().any(|j| j.id == job.id));
}

#[tokio::test]
async fn changing_published_terms_voids_the_bids_placed_so_far() {
    let app = spawn_app().await;
    let enterprise = app.signed_in(ENTERPRISE).await;
    let bidders = agencies(&app, 1).await;
    let draft = job_draft(SelectionMethod::LowestPrice);
    let job = published_job(&app, &enterprise, &draft).await;
    let path = format!("/api/jobs/{}/bids", job.id);
    assert_eq!(
        app.post_as(&bidders[0].1, &path, &bid(9)).await.status(),
        StatusCode::CREATED
    );

    let changed = JobDraft {
        budget_ceiling: 12 * WAN,
        ..draft
    };
    let response = app
        .put_as(&enterprise, &format!("/api/jobs/{}", job.id), &changed)
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let amended: JobView = json(response).await;
    assert_eq!((amended.bid_count, amended.terms_revision), (None, 2));
    let own: Vec<BidView> = json(app.get_as(&bidders[0].1, &path).await).await;
    assert_eq!(own[0].status, BidStatus::Voided);
    // The bidder confirms again under the new terms.
    assert_eq!(
        app.post_as(&bidders[0].1, &path, &bid(9)).await.status(),
        StatusCode::CREATED
    );
    pass_deadline(&app).await;
    let confirmed: JobView = json(app.get(&format!("/api/jobs/{}", job.id)).await).await;
    assert_eq!(confirmed.bid_count, Some(1));
}

#[tokio::test]
async fn bids_are_flagged_against_the_bidders_own_fee_standard() {
    let app = spawn_app().await;
    let enterprise = app.signed_in(ENTERPRISE).await;
    let bidders = agencies(&app, 3).await;
    let job = published_job(&app, &enterprise, &job_draft(SelectionMethod::LowestPrice)).await;
    let path = format!("/api/jobs/{}/bids", job.id);
    // Standard: 10万元 fixed, at most 20% discount.
    let cases = [
        (11, vec![FeeFlag::OverStandard]),
        (7, vec![FeeFlag::AbnormallyLow]),
        (9, vec![]),
    ];
    for ((_, client), (price, flags)) in bidders.iter().zip(cases) {
        let stored: BidView = json(app.post_as(client, &path, &bid(price)).await).await;
        assert_eq!(stored.flags, flags, "price {price}万");
    }
}

#[tokio::test]
async fn ineligible_agencies_and_wrong_roles_are_refused() {
    let app = spawn_app().await;
    let enterprise = app.signed_in(ENTERPRISE).await;
    let regulator = app.signed_in(REGULATOR).await;
    let bidders = agencies(&app, 2).await;
    let demo_agency = app.signed_in(AGENCY).await;
    let mut draft = job_draft(SelectionMethod::LowestPrice);
    draft.avoidance = vec![market_domain::job::Avoidance {
        agency_id: bidders[1].0,
        reason: "与建设单位存在关联关系".into(),
    }];
    draft.required_qualifications = vec![RequiredQualification {
        service_type: "env_impact".into(),
        min_level: "已登记".into(),
    }];
    let job = published_job(&app, &enterprise, &draft).await;
    let path = format!("/api/jobs/{}/bids", job.id);

    assert_error(
        app.post_as(&bidders[1].1, &path, &bid(9)).await,
        StatusCode::FORBIDDEN,
        "agency_avoided",
    )
    .await;
    assert_eq!(
        app.post_as(&bidders[0].1, &path, &bid(9)).await.status(),
        StatusCode::CREATED
    );
    // The demo agency offers 环评 too; suspended, it may not bid.
    let demo_agency_id: market_domain::wire::MyListing =
        json(app.get_as(&demo_agency, "/api/my/listing").await).await;
    let suspension = serde_json::json!({"reason": "超标准收费", "starts_on": "2026-11-28", "ends_on": "2026-12-31"});
    app.post_as(
        &regulator,
        &format!("/api/agencies/{}/suspensions", demo_agency_id.agency_id),
        &suspension,
    )
    .await;
    assert_error(
        app.post_as(&demo_agency, &path, &bid(9)).await,
        StatusCode::FORBIDDEN,
        "agency_suspended",
    )
    .await;

    for client in [&enterprise, &regulator] {
        assert_error(
            app.post_as(client, &path, &bid(9)).await,
            StatusCode::FORBIDDEN,
            "forbidden_role",
        )
        .await;
    }
    assert_error(
        app.post_as(&new_client(), &path, &bid(9)).await,
        StatusCode::UNAUTHORIZED,
        "not_authenticated",
    )
    .await;
    for client in [&bidders[0].1, &regulator] {
        assert_error(
            app.post_as(client, "/api/jobs", &draft).await,
            StatusCode::FORBIDDEN,
            "forbidden_role",
        )
        .await;
    }
    assert_error(
        app.post_as(&new_client(), "/api/jobs", &draft).await,
        StatusCode::UNAUTHORIZED,
        "not_authenticated",
    )
    .await;
    let other_enterprise = new_client();
    let registered = other_enterprise
        .post(app.url("/api/auth/register"))
        .header("X-Requested-With", "market-app")
        .json(&enterprise_registration("other_owner"))
        .send()
        .await
        .unwrap();
    assert_eq!(registered.status(), StatusCode::CREATED);
    let created: JobView = json(app.post_as(&enterprise, "/api/jobs", &draft).await).await;
    assert_error(
        app.post_as(
            &other_enterprise,
            &format!("/api/jobs/{}/publish", created.id),
            &(),
        )
        .await,
        StatusCode::FORBIDDEN,
        "not_job_owner",
    )
    .await;
    // Drafts are the owner's alone.
    assert_error(
        app.get(&format!("/api/jobs/{}", created.id)).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn a_job_with_broken_terms_names_the_fields_and_is_not_stored() {
    let app = spawn_app().await;
    let enterprise = app.signed_in(ENTERPRISE).await;
    let broken = JobDraft {
        project_code: "2026-539902-48-01-00032".into(),
        budget_ceiling: -1,
        ..job_draft(SelectionMethod::RandomDraw)
    };
    let body = assert_error(
        app.post_as(&enterprise, "/api/jobs", &broken).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "project_code_format",
    )
    .await;
    let fields: Vec<_> = body.error.fields.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(fields, ["project_code", "budget_ceiling"]);
    let in_past = JobDraft {
        deadline: "2026-11-01T09:00:00+08:00".into(),
        ..job_draft(SelectionMethod::LowestPrice)
    };
    let job: JobView = json(app.post_as(&enterprise, "/api/jobs", &in_past).await).await;
    let body = assert_error(
        app.post_as(&enterprise, &format!("/api/jobs/{}/publish", job.id), &())
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "deadline_in_past",
    )
    .await;
    assert_eq!(body.error.field.as_deref(), Some("deadline"));
    let listed: Page<JobSummary> = json(app.get("/api/jobs").await).await;
    assert!(listed.items.iter().all(|j| j.id != job.id));
}

#[tokio::test]
async fn two_hundred_concurrent_bidders_at_the_deadline_are_stored_once_or_refused() {
    let app = Arc::new(spawn_app().await);
    // One second before the deadline; sessions start now so none idles out.
    app.clock
        .set(time::macros::datetime!(2026-11-29 08:59:59 +08:00));
    let enterprise = app.signed_in(ENTERPRISE).await;
    let bidders = agencies(&app, 200).await;
    let job = published_job(&app, &enterprise, &job_draft(SelectionMethod::LowestPrice)).await;
    let path = format!("/api/jobs/{}/bids", job.id);
    let answered = Arc::new(AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for (_, client) in bidders {
        let (app, path, answered) = (Arc::clone(&app), path.clone(), Arc::clone(&answered));
        tasks.push(tokio::spawn(async move {
            let response = app.post_as(&client, &path, &bid(9)).await;
            // Halfway through, the deadline passes while the rest are still in flight.
            if answered.fetch_add(1, Ordering::SeqCst) == 99 {
                app.clock
                    .set(time::macros::datetime!(2026-11-29 09:00 +08:00));
            }
            let status = response.status();
            let body = response.text().await.unwrap();
            (status, body)
        }));
    }
    let mut acknowledged = 0;
    for task in tasks {
        let (status, body) = task.await.unwrap();
        match status {
            StatusCode::CREATED => acknowledged += 1,
            StatusCode::CONFLICT => assert!(body.contains("deadline_passed"), "{body}"),
            other => panic!("unexpected {other}: {body}"),
        }
    }
    assert!(acknowledged >= 100, "{acknowledged} acknowledged");
    let stored = app.store.bids(job.id).await.unwrap();
    assert_eq!(stored.len(), acknowledged);
    let mut agencies: Vec<_> = stored.iter().map(|b| b.agency_id).collect();
    agencies.sort();
    agencies.dedup();
    assert_eq!(agencies.len(), acknowledged);
}

/// A published job with three bids at the given prices (万元), past its deadline.
async fn opened_job(
    app: &TestApp,
    selection: SelectionMethod,
    prices: [i64; 3],
) -> (JobView, Vec<(i64, reqwest::Client)>) {
    let enterprise = app.signed_in(ENTERPRISE).await;
    let bidders = agencies(app, 3).await;
    let job = published_job(app, &enterprise, &job_draft(selection)).await;
    for ((_, client), price) in bidders.iter().zip(prices) {
        let response = app
            .post_as(client, &format!("/api/jobs/{}/bids", job.id), &bid(price))
            .await;
        assert_eq!(response.status(), StatusCode::CREATED);
        app.clock.advance(Duration::minutes(1));
    }
    pass_deadline(app).await;
    let opened: JobView = json(app.get(&format!("/api/jobs/{}", job.id)).await).await;
    (opened, bidders)
}

async fn award(
    app: &TestApp,
    job_id: i64,
    request: &market_domain::wire::AwardRequest,
) -> reqwest::Response {
    let enterprise = app.signed_in(ENTERPRISE).await;
    app.post_as(&enterprise, &format!("/api/jobs/{job_id}/award"), request)
        .await
}

#[tokio::test]
async fn lowest_price_awards_the_cheapest_and_ties_go_to_the_earliest() {
    let app = spawn_app().await;
    let (job, bidders) = opened_job(&app, SelectionMethod::LowestPrice, [9, 8, 8]).await;
    assert_eq!(job.state, JobState::Evaluating);
    let response = award(&app, job.id, &Default::default()).await;
    assert_eq!(response.status(), StatusCode::OK);
    let awarded: JobView = json(response).await;
    assert_eq!(awarded.state, JobState::Publicity);
    let winner = awarded.award.unwrap();
    assert_eq!(
        (winner.agency_id, winner.price.fen()),
        (bidders[1].0, 8 * WAN)
    );
    assert!(!winner.is_final);
}

#[tokio::test]
async fn composite_score_awards_the_highest_weighted_total() {
    let app = spawn_app().await;
    let criteria = vec![
        market_domain::selection::Criterion {
            name: "技术方案".into(),
            weight: 70,
        },
        market_domain::selection::Criterion {
            name: "报价".into(),
            weight: 30,
        },
    ];
    let (job, bidders) = opened_job(
        &app,
        SelectionMethod::CompositeScore { criteria },
        [9, 8, 10],
    )
    .await;
    let sheet = |i: usize, scores: Vec<u32>| market_domain::wire::ScoreSheet {
        agency_id: bidders[i].0,
        scores,
    };
    let missing = market_domain::wire::AwardRequest {
        scores: vec![sheet(0, vec![80, 90])],
        ..Default::default()
    };
    let body = assert_error(
        award(&app, job.id, &missing).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "bad_scores",
    )
    .await;
    assert_eq!(body.error.field.as_deref(), Some("scores"));
    let request = market_domain::wire::AwardRequest {
        scores: vec![
            sheet(0, vec![80, 90]),
            sheet(1, vec![70, 100]),
            sheet(2, vec![95, 60]),
        ],
        ..Default::default()
    };
    // 0: 5600+2700 = 8300; 1: 4900+3000 = 7900; 2: 6650+1800 = 8450.
    let awarded: JobView = json(award(&app, job.id, &request).await).await;
    let winner = awarded.award.unwrap();
    assert_eq!(winner.agency_id, bidders[2].0);
    assert!(!winner.reason.contains("同分"), "{}", winner.reason);
}

#[tokio::test]
async fn a_composite_score_tie_is_settled_by_the_published_rule_and_says_so() {
    let app = spawn_app().await;
    let criteria = vec![market_domain::selection::Criterion {
        name: "技术方案".into(),
        weight: 100,
    }];
    let (job, bidders) = opened_job(
        &app,
        SelectionMethod::CompositeScore { criteria },
        [9, 8, 10],
    )
    .await;
    let sheet = |i: usize, score: u32| market_domain::wire::ScoreSheet {
        agency_id: bidders[i].0,
        scores: vec![score],
    };
    let request = market_domain::wire::AwardRequest {
        scores: vec![sheet(0, 90), sheet(1, 90), sheet(2, 80)],
        ..Default::default()
    };
    let awarded: JobView = json(award(&app, job.id, &request).await).await;
    let winner = awarded.award.unwrap();
    // Equal totals: the lower price (8万元, bidder 1) wins, and the announcement says why.
    assert_eq!(winner.agency_id, bidders[1].0);
    assert!(winner.reason.contains("总分相同"), "{}", winner.reason);
    assert!(winner.reason.contains("报价较低者"), "{}", winner.reason);
}

#[tokio::test]
async fn a_direct_pick_needs_a_reason() {
    let app = spawn_app().await;
    let (job, bidders) = opened_job(&app, SelectionMethod::DirectPick, [9, 8, 10]).await;
    let without = market_domain::wire::AwardRequest {
        agency_id: Some(bidders[2].0),
        ..Default::default()
    };
    let body = assert_error(
        award(&app, job.id, &without).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "reason_required",
    )
    .await;
    assert_eq!(body.error.field.as_deref(), Some("reason"));
    let with = market_domain::wire::AwardRequest {
        agency_id: Some(bidders[2].0),
        reason: "该机构承担过本项目一期环评,熟悉现场".into(),
        ..Default::default()
    };
    let awarded: JobView = json(award(&app, job.id, &with).await).await;
    let winner = awarded.award.unwrap();
    assert_eq!(winner.agency_id, bidders[2].0);
    assert_eq!(winner.reason, "该机构承担过本项目一期环评,熟悉现场");
}

#[tokio::test]
async fn two_concurrent_selections_let_exactly_one_win() {
    let app = spawn_app().await;
    let (job, _) = opened_job(&app, SelectionMethod::LowestPrice, [9, 8, 10]).await;
    let enterprise = app.signed_in(ENTERPRISE).await;
    let path = format!("/api/jobs/{}/award", job.id);
    let request = market_domain::wire::AwardRequest::default();
    let (a, b) = tokio::join!(
        app.post_as(&enterprise, &path, &request),
        app.post_as(&enterprise, &path, &request)
    );
    let mut statuses = [a.status().as_u16(), b.status().as_u16()];
    statuses.sort();
    assert_eq!(statuses, [200, 409]);
    let events: Vec<JobEventView> =
        json(app.get(&format!("/api/jobs/{}/events", job.id)).await).await;
    assert_eq!(
        events
            .iter()
            .filter(|e| e.event == market_domain::job::JobEvent::Awarded)
            .count(),
        1
    );
}

#[tokio::test]
async fn only_the_owning_enterprise_may_select() {
    let app = spawn_app().await;
    let (job, _) = opened_job(&app, SelectionMethod::LowestPrice, [9, 8, 10]).await;
    let regulator = app.signed_in(REGULATOR).await;
    let bidder = app.signed_in(("eia_agency_0", "agency password")).await;
    let path = format!("/api/jobs/{}/award", job.id);
    let request = market_domain::wire::AwardRequest::default();
    for client in [&bidder, &regulator] {
        assert_error(
            app.post_as(client, &path, &request).await,
            StatusCode::FORBIDDEN,
            "forbidden_role",
        )
        .await;
    }
    assert_error(
        app.post_as(&new_client(), &path, &request).await,
        StatusCode::UNAUTHORIZED,
        "not_authenticated",
    )
    .await;
}

#[tokio::test]
async fn the_random_draw_happens_at_opening_and_anyone_can_verify_it() {
    let app = spawn_app().await;
    let enterprise = app.signed_in(ENTERPRISE).await;
    let bidders = agencies(&app, 3).await;
    let job = published_job(&app, &enterprise, &job_draft(SelectionMethod::RandomDraw)).await;
    let commitment = job.draw_commitment.clone().unwrap();
    let path = format!("/api/jobs/{}/draw", job.id);
    let before: market_domain::wire::DrawView = json(app.get(&path).await).await;
    assert_eq!(
        (before.commitment.as_str(), before.seed.as_deref()),
        (commitment.as_str(), None)
    );
    for (_, client) in &bidders {
        app.post_as(client, &format!("/api/jobs/{}/bids", job.id), &bid(9))
            .await;
    }
    pass_deadline(&app).await;
    let drawn: market_domain::wire::DrawView = json(app.get(&path).await).await;
    let seed = drawn.seed.clone().expect("seed revealed");
    let winner = drawn.winner.unwrap();
    let verification = market_domain::draw::verify(
        &seed,
        &commitment,
        &drawn.candidates,
        drawn.candidates_hash.as_deref().unwrap(),
        winner,
    );
    assert!(verification.ok(), "{verification:?}");
    let mut ids: Vec<i64> = bidders.iter().map(|b| b.0).collect();
    ids.sort();
    assert_eq!(drawn.candidates, ids);
    let job: JobView = json(app.get(&format!("/api/jobs/{}", job.id)).await).await;
    assert_eq!(job.state, JobState::Publicity);
    assert_eq!(job.award.unwrap().agency_id, winner);
    // The enterprise cannot draw again.
    assert_error(
        award(&app, job.id, &Default::default()).await,
        StatusCode::CONFLICT,
        "invalid_transition",
    )
    .await;
}

async fn awarded_by_price(app: &TestApp) -> (JobView, Vec<(i64, reqwest::Client)>) {
    let (job, bidders) = opened_job(app, SelectionMethod::LowestPrice, [9, 8, 10]).await;
    let awarded: JobView = json(award(app, job.id, &Default::default()).await).await;
    (awarded, bidders)
}

#[tokio::test]
async fn an_upheld_objection_passes_the_award_to_the_next_candidate() {
    let app = spawn_app().await;
    let (job, bidders) = awarded_by_price(&app).await;
    assert_eq!(job.award.as_ref().unwrap().agency_id, bidders[1].0);
    let loser = app.signed_in(("eia_agency_0", "agency password")).await;
    let path = format!("/api/jobs/{}/objections", job.id);
    let response = app
        .post_as(
            &loser,
            &path,
            &serde_json::json!({"reason": "中选机构的资质证书已过期,请核实"}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let objection: market_domain::wire::ObjectionView = json(response).await;
    assert_eq!(objection.filed_by_role, market_domain::Role::Agency);
    // A pending objection keeps the award from becoming final.
    app.clock.advance(Duration::days(6));
    let pending: JobView = json(app.get(&format!("/api/jobs/{}", job.id)).await).await;
    assert!(!pending.award.unwrap().is_final);

    let enterprise = app.signed_in(ENTERPRISE).await;
    let answer = serde_json::json!({"upheld": true, "answer": "经核实,资质确已过期"});
    let response = app
        .post_as(
            &enterprise,
            &format!("{path}/{}/answer", objection.id),
            &answer,
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let passed: JobView = json(response).await;
    assert_eq!(passed.state, JobState::Publicity);
    assert_eq!(passed.award.as_ref().unwrap().agency_id, bidders[0].0);
    assert!(!passed.award.unwrap().is_final, "publicity starts again");
    assert_error(
        app.post_as(
            &enterprise,
            &format!("{path}/{}/answer", objection.id),
            &answer,
        )
        .await,
        StatusCode::CONFLICT,
        "already_answered",
    )
    .await;
}

#[tokio::test]
async fn objections_come_only_from_parties_and_only_during_publicity() {
    let app = spawn_app().await;
    let (job, _) = awarded_by_price(&app).await;
    let path = format!("/api/jobs/{}/objections", job.id);
    let body = serde_json::json!({"reason": "对中选结果有异议,请复核"});
    let regulator = app.signed_in(REGULATOR).await;
    assert_error(
        app.post_as(&regulator, &path, &body).await,
        StatusCode::FORBIDDEN,
        "not_a_party",
    )
    .await;
    let demo_agency = app.signed_in(AGENCY).await;
    assert_error(
        app.post_as(&demo_agency, &path, &body).await,
        StatusCode::FORBIDDEN,
        "not_a_party",
    )
    .await;
    assert_error(
        app.post_as(&new_client(), &path, &body).await,
        StatusCode::UNAUTHORIZED,
        "not_authenticated",
    )
    .await;
    app.clock.advance(Duration::days(6));
    let bidder = app.signed_in(("eia_agency_2", "agency password")).await;
    assert_error(
        app.post_as(&bidder, &path, &body).await,
        StatusCode::CONFLICT,
        "publicity_over",
    )
    .await;
}

#[tokio::test]
async fn a_withdrawn_random_draw_winner_is_followed_by_the_next_in_the_draw_order() {
    let app = spawn_app().await;
    let enterprise = app.signed_in(ENTERPRISE).await;
    let bidders = agencies(&app, 3).await;
    let job = published_job(&app, &enterprise, &job_draft(SelectionMethod::RandomDraw)).await;
    for (_, client) in &bidders {
        app.post_as(client, &format!("/api/jobs/{}/bids", job.id), &bid(9))
            .await;
    }
    pass_deadline(&app).await;
    let drawn: market_domain::wire::DrawView =
        json(app.get(&format!("/api/jobs/{}/draw", job.id)).await).await;
    let seed = market_domain::draw::seed_from_hex(drawn.seed.as_deref().unwrap()).unwrap();
    let order = market_domain::draw::draw_order(&seed, &drawn.candidates);
    let first = bidders.iter().position(|b| b.0 == order[0]).unwrap();
    let winner = app
        .signed_in((&format!("eia_agency_{first}"), "agency password"))
        .await;
    let response = app
        .post_as(
            &winner,
            &format!("/api/jobs/{}/award/withdraw", job.id),
            &(),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let next: JobView = json(response).await;
    assert_eq!(next.award.unwrap().agency_id, order[1]);
    // The draw itself is unchanged: same seed, same published winner list.
    let again: market_domain::wire::DrawView =
        json(app.get(&format!("/api/jobs/{}/draw", job.id)).await).await;
    assert_eq!(again.seed, drawn.seed);
}

#[tokio::test]
async fn the_job_runs_from_award_to_rating_and_the_rating_is_published() {
    let app = spawn_app().await;
    let (job, bidders) = awarded_by_price(&app).await;
    let winner_agency = bidders[1].0;
    app.clock.advance(Duration::days(5));
    let enterprise = app.signed_in(ENTERPRISE).await;
    let winner = app.signed_in(("eia_agency_1", "agency password")).await;
    let other = app.signed_in(("eia_agency_0", "agency password")).await;
    let job_path = |tail: &str| format!("/api/jobs/{}/{tail}", job.id);

    let over =
        serde_json::json!({"amount": 9 * WAN, "starts_on": "2026-12-05", "ends_on": "2027-01-31"});
    let body = assert_error(
        app.post_as(&enterprise, &job_path("contract"), &over).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "over_award_needs_reason",
    )
    .await;
    assert_eq!(body.error.field.as_deref(), Some("over_reason"));
    let terms =
        serde_json::json!({"amount": 8 * WAN, "starts_on": "2026-12-05", "ends_on": "2027-01-31"});
    assert_eq!(
        app.post_as(&enterprise, &job_path("contract"), &terms)
            .await
            .status(),
        StatusCode::OK
    );
    assert_error(
        app.post_as(&other, &job_path("contract/confirm"), &())
            .await,
        StatusCode::FORBIDDEN,
        "not_winner",
    )
    .await;
    let contracted: JobView = json(
        app.post_as(&winner, &job_path("contract/confirm"), &())
            .await,
    )
    .await;
    assert_eq!(contracted.state, JobState::Contracted);

    let report = serde_json::json!({"summary": "环境影响报告表已编制完成并通过专家评审", "report_number": "YZHP-2026-118"});
    assert_error(
        app.post_as(&enterprise, &job_path("delivery"), &report)
            .await,
        StatusCode::FORBIDDEN,
        "forbidden_role",
    )
    .await;
    assert_eq!(
        app.post_as(&winner, &job_path("delivery"), &report)
            .await
            .status(),
        StatusCode::OK
    );
    // The report and the contract are for the two parties and regulators only.
    let delivered: Option<market_domain::wire::DeliveryReport> =
        json(app.get_as(&enterprise, &job_path("delivery")).await).await;
    assert_eq!(delivered.unwrap().report_number, "YZHP-2026-118");
    let regulator = app.signed_in(REGULATOR).await;
    for path in ["delivery", "contract"] {
        assert_eq!(
            app.get_as(&regulator, &job_path(path)).await.status(),
            StatusCode::OK
        );
        assert_error(
            app.get_as(&other, &job_path(path)).await,
            StatusCode::FORBIDDEN,
            "not_a_party",
        )
        .await;
        assert_eq!(
            new_client()
                .get(app.url(&job_path(path)))
                .send()
                .await
                .unwrap()
                .status(),
            StatusCode::UNAUTHORIZED
        );
    }
    assert_error(
        app.post_as(
            &winner,
            &job_path("acceptance"),
            &serde_json::json!({"accepted": true}),
        )
        .await,
        StatusCode::FORBIDDEN,
        "forbidden_role",
    )
    .await;
    let returned: JobView = json(
        app.post_as(
            &enterprise,
            &job_path("acceptance"),
            &serde_json::json!({"accepted": false, "reason": "缺少监测数据附件"}),
        )
        .await,
    )
    .await;
    assert_eq!(returned.state, JobState::Contracted);
    assert_eq!(
        app.post_as(&winner, &job_path("delivery"), &report)
            .await
            .status(),
        StatusCode::OK
    );
    let accepted: JobView = json(
        app.post_as(
            &enterprise,
            &job_path("acceptance"),
            &serde_json::json!({"accepted": true}),
        )
        .await,
    )
    .await;
    assert_eq!(accepted.state, JobState::Accepted);

    let bad = serde_json::json!({"quality": 6, "timeliness": 5, "attitude": 5, "fee_compliance": 5, "integrity": 5, "comment": "好"});
    assert_error(
        app.post_as(&enterprise, &job_path("rating"), &bad).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "score_range",
    )
    .await;
    let rating = serde_json::json!({"quality": 5, "timeliness": 4, "attitude": 5, "fee_compliance": 5, "integrity": 4, "comment": "报告质量高,沟通及时"});
    for refused in [&winner, &regulator] {
        assert_error(
            app.post_as(refused, &job_path("rating"), &rating).await,
            StatusCode::FORBIDDEN,
            "forbidden_role",
        )
        .await;
    }
    let rated: JobView = json(app.post_as(&enterprise, &job_path("rating"), &rating).await).await;
    assert_eq!(rated.state, JobState::Rated);
    assert_error(
        app.post_as(&enterprise, &job_path("rating"), &rating).await,
        StatusCode::CONFLICT,
        "invalid_transition",
    )
    .await;
    let reply = serde_json::json!({"reply": "感谢业主的认可"});
    assert_error(
        app.post_as(&other, &job_path("rating/reply"), &reply).await,
        StatusCode::FORBIDDEN,
        "not_winner",
    )
    .await;
    assert_eq!(
        app.post_as(&winner, &job_path("rating/reply"), &reply)
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    assert_error(
        app.post_as(&winner, &job_path("rating/reply"), &reply)
            .await,
        StatusCode::CONFLICT,
        "already_replied",
    )
    .await;

    let public = detail(app.agency(winner_agency).await).await;
    assert_eq!(public.ratings.count, 1);
    assert_eq!(public.ratings.average_hundredths, 460);
    assert_eq!(
        public.ratings.items[0].reply.as_deref(),
        Some("感谢业主的认可")
    );
    let timeline: Vec<JobEventView> = json(app.get(&job_path("events")).await).await;
    let events: Vec<&str> = timeline.iter().map(|e| e.event.code()).collect();
    for expected in [
        "published",
        "opened",
        "awarded",
        "contract_proposed",
        "contracted",
        "delivered",
        "returned",
        "accepted",
        "rated",
        "rating_replied",
    ] {
        assert!(
            events.contains(&expected),
            "{expected} missing from {events:?}"
        );
    }
}

#[tokio::test]
async fn the_deadline_watch_opens_due_jobs_without_a_reader() {
    let app = spawn_app().await;
    let enterprise = app.signed_in(ENTERPRISE).await;
    let bidders = agencies(&app, 3).await;
    let job = published_job(&app, &enterprise, &job_draft(SelectionMethod::LowestPrice)).await;
    for (_, client) in &bidders {
        app.post_as(client, &format!("/api/jobs/{}/bids", job.id), &bid(9))
            .await;
    }
    assert_eq!(
        market_server::due::settle_due_jobs(&app.state)
            .await
            .unwrap(),
        0
    );
    pass_deadline(&app).await;
    assert_eq!(
        market_server::due::settle_due_jobs(&app.state)
            .await
            .unwrap(),
        1
    );
    let stored = app.store.job(job.id).await.unwrap().unwrap();
    assert_eq!(stored.view.state, JobState::Evaluating);
    assert_eq!(
        market_server::due::settle_due_jobs(&app.state)
            .await
            .unwrap(),
        0
    );
}

#[tokio::test]
async fn a_cancelled_job_voids_its_bids_and_can_be_reposted_linked_to_the_old_one() {
    let app = spawn_app().await;
    let enterprise = app.signed_in(ENTERPRISE).await;
    let bidders = agencies(&app, 1).await;
    let job = published_job(&app, &enterprise, &job_draft(SelectionMethod::LowestPrice)).await;
    app.post_as(
        &bidders[0].1,
        &format!("/api/jobs/{}/bids", job.id),
        &bid(9),
    )
    .await;
    let reason = serde_json::json!({"reason": "项目选址调整,暂停采购"});
    assert_error(
        app.post_as(
            &bidders[0].1,
            &format!("/api/jobs/{}/cancel", job.id),
            &reason,
        )
        .await,
        StatusCode::FORBIDDEN,
        "forbidden_role",
    )
    .await;
    let cancelled: JobView = json(
        app.post_as(
            &enterprise,
            &format!("/api/jobs/{}/cancel", job.id),
            &reason,
        )
        .await,
    )
    .await;
    assert_eq!(
        (cancelled.state, cancelled.bid_count),
        (JobState::Cancelled, None)
    );
    let own: Vec<BidView> = json(
        app.get_as(&bidders[0].1, &format!("/api/jobs/{}/bids", job.id))
            .await,
    )
    .await;
    assert_eq!(own[0].status, BidStatus::Voided);
    // Cancelled before its deadline, the job never opened its bids: they stay sealed.
    assert_error(
        app.get_as(&enterprise, &format!("/api/jobs/{}/bids", job.id))
            .await,
        StatusCode::FORBIDDEN,
        "bids_sealed",
    )
    .await;

    let response = app
        .post_as(&enterprise, &format!("/api/jobs/{}/repost", job.id), &())
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let reposted: JobView = json(response).await;
    assert_eq!(reposted.state, JobState::Draft);
    assert_eq!(reposted.terms.project_code, job.terms.project_code);
    let old_events: Vec<JobEventView> =
        json(app.get(&format!("/api/jobs/{}/events", job.id)).await).await;
    assert!(old_events
        .iter()
        .any(|e| e.event == market_domain::job::JobEvent::RepostedAs
            && e.detail.contains(&reposted.id.to_string())));
}

#[tokio::test]
async fn an_awarded_job_cannot_be_cancelled() {
    let app = spawn_app().await;
    let (job, _) = awarded_by_price(&app).await;
    let enterprise = app.signed_in(ENTERPRISE).await;
    let reason = serde_json::json!({"reason": "不想要了"});
    assert_error(
        app.post_as(
            &enterprise,
            &format!("/api/jobs/{}/cancel", job.id),
            &reason,
        )
        .await,
        StatusCode::CONFLICT,
        "invalid_transition",
    )
    .await;
}

#[tokio::test]
async fn the_demo_has_jobs_in_every_state_and_method_with_a_verifiable_draw() {
    let app = spawn_app().await;
    let listed: Page<JobSummary> = json(app.get("/api/jobs?per_page=100").await).await;
    let mut states: Vec<JobState> = listed.items.iter().map(|j| j.state).collect();
    states.sort_by_key(|s| s.code());
    states.dedup();
    for state in JobState::ALL.iter().filter(|s| **s != JobState::Draft) {
        assert!(states.contains(state), "no demo job is {state:?}");
    }
    let methods: std::collections::HashSet<SelectionKind> =
        listed.items.iter().map(|j| j.selection_method).collect();
    assert_eq!(methods.len(), 4, "{methods:?}");

    let drawn = listed
        .items
        .iter()
        .find(|j| j.selection_method == SelectionKind::RandomDraw && j.state == JobState::Publicity)
        .unwrap();
    let view: JobView = json(app.get(&format!("/api/jobs/{}", drawn.id)).await).await;
    let draw: market_domain::wire::DrawView =
        json(app.get(&format!("/api/jobs/{}/draw", drawn.id)).await).await;
    let check = market_domain::draw::verify(
        draw.seed.as_deref().unwrap(),
        view.draw_commitment.as_deref().unwrap(),
        &draw.candidates,
        draw.candidates_hash.as_deref().unwrap(),
        view.award.unwrap().agency_id,
    );
    assert!(check.ok(), "{check:?}");

    let rated = listed
        .items
        .iter()
        .find(|j| j.state == JobState::Rated)
        .unwrap();
    let rated: JobView = json(app.get(&format!("/api/jobs/{}", rated.id)).await).await;
    let agency = detail(app.agency(rated.award.unwrap().agency_id).await).await;
    assert_eq!(agency.ratings.count, 1);
    // The demo enterprise's draft is not listed publicly.
    assert!(listed.items.iter().all(|j| j.state != JobState::Draft));
}

#[tokio::test]
async fn my_jobs_lists_an_enterprises_drafts_and_an_agencys_qualified_and_bid_jobs() {
    let app = spawn_app().await;
    let enterprise = app.signed_in(ENTERPRISE).await;
    let bidders = agencies(&app, 3).await;
    let mut avoided = job_draft(SelectionMethod::LowestPrice);
    avoided.project_name = "回避测试项目".into();
    avoided.avoidance = vec![market_domain::job::Avoidance {
        agency_id: bidders[2].0,
        reason: "与建设单位存在关联关系".into(),
    }];
    let open = published_job(&app, &enterprise, &job_draft(SelectionMethod::LowestPrice)).await;
    let avoided = published_job(&app, &enterprise, &avoided).await;
    let draft: JobView = json(
        app.post_as(
            &enterprise,
            "/api/jobs",
            &job_draft(SelectionMethod::DirectPick),
        )
        .await,
    )
    .await;
    app.post_as(
        &bidders[0].1,
        &format!("/api/jobs/{}/bids", open.id),
        &bid(9),
    )
    .await;

    let mine: MyJobs = json(app.get_as(&enterprise, "/api/my/jobs").await).await;
    let owned: Vec<_> = mine.owned.iter().map(|j| j.id).collect();
    assert!(owned.contains(&draft.id) && owned.contains(&open.id));
    // Another enterprise sees neither the draft nor anyone else's jobs as its own.
    app.register(&enterprise_registration("other_owner")).await;
    let other = app
        .signed_in(("other_owner", "correct horse battery"))
        .await;
    let theirs: MyJobs = json(app.get_as(&other, "/api/my/jobs").await).await;
    assert!(theirs.owned.is_empty());

    let ids = |jobs: &[JobSummary]| jobs.iter().map(|j| j.id).collect::<Vec<_>>();
    let first: MyJobs = json(app.get_as(&bidders[0].1, "/api/my/jobs").await).await;
    assert_eq!(ids(&first.bidding), [open.id]);
    assert!(ids(&first.qualified).contains(&avoided.id));
    assert!(!ids(&first.qualified).contains(&open.id));
    let avoided_agency: MyJobs = json(app.get_as(&bidders[2].1, "/api/my/jobs").await).await;
    assert!(ids(&avoided_agency.qualified).contains(&open.id));
    assert!(!ids(&avoided_agency.qualified).contains(&avoided.id));
    assert!(!ids(&avoided_agency.qualified).contains(&draft.id));

    let regulator = app.signed_in(REGULATOR).await;
    assert_error(
        app.get_as(&regulator, "/api/my/jobs").await,
        StatusCode::FORBIDDEN,
        "forbidden_role",
    )
    .await;
    assert_eq!(
        new_client()
            .get(format!("{}/api/my/jobs", app.address))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn eligibility_tells_an_agency_why_it_may_not_bid_and_gives_its_fee_standard() {
    let app = spawn_app().await;
    let enterprise = app.signed_in(ENTERPRISE).await;
    let bidders = agencies(&app, 2).await;
    let mut draft = job_draft(SelectionMethod::LowestPrice);
    draft.avoidance = vec![market_domain::job::Avoidance {
        agency_id: bidders[1].0,
        reason: "与建设单位存在关联关系".into(),
    }];
    let job = published_job(&app, &enterprise, &draft).await;
    let path = format!("/api/jobs/{}/eligibility", job.id);

    let ok: BidEligibility = json(app.get_as(&bidders[0].1, &path).await).await;
    assert!(ok.eligible && ok.code.is_none() && ok.own_bid.is_none());
    let standard = ok.fee_standard.expect("the bidder's 环评 standard");
    let terms = job.terms.parse().unwrap();
    // The browser's preview uses the same rule the server applies at submission.
    assert_eq!(
        fee_flags(
            Money::from_fen(11 * WAN).unwrap(),
            &standard,
            &terms.facts,
            ok.floor_ratio_bp
        )
        .unwrap(),
        [FeeFlag::OverStandard]
    );
    app.post_as(
        &bidders[0].1,
        &format!("/api/jobs/{}/bids", job.id),
        &bid(9),
    )
    .await;
    let after: BidEligibility = json(app.get_as(&bidders[0].1, &path).await).await;
    assert_eq!(after.own_bid.map(|b| b.price.fen()), Some(9 * WAN));

    let avoided: BidEligibility = json(app.get_as(&bidders[1].1, &path).await).await;
    assert!(!avoided.eligible);
    assert_eq!(avoided.code.as_deref(), Some("agency_avoided"));
    assert!(avoided.message.unwrap().contains("回避"));

    for role in [ENTERPRISE, REGULATOR] {
        assert_error(
            app.get_as(&app.signed_in(role).await, &path).await,
            StatusCode::FORBIDDEN,
            "forbidden_role",
        )
        .await;
    }
    assert_eq!(
        new_client()
            .get(format!("{}{path}", app.address))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn the_test_clock_does_not_exist_unless_the_server_was_started_with_it() {
    let app = spawn_app().await;
    let response = app
        .post_as(
            &new_client(),
            "/api/test/clock",
            &serde_json::json!({"seconds": 86400}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn with_the_test_clock_a_request_moves_time_and_opens_due_jobs() {
    let data = tempfile::tempdir().unwrap();
    let dist = tempfile::tempdir().unwrap();
    let mut config = market_server::Config::new(
        "127.0.0.1:0".parse().unwrap(),
        data.path().to_path_buf(),
        dist.path().to_path_buf(),
    );
    config.test_clock = true;
    let server = market_server::Application::build(config).await.unwrap();
    let base = format!("http://127.0.0.1:{}", server.port());
    tokio::spawn(server.run_until(std::future::pending()));
    let client = new_client();
    #[derive(serde::Deserialize)]
    struct Now {
        now: String,
    }
    let read = |response: reqwest::Response| async move {
        assert_eq!(response.status(), StatusCode::OK);
        let now: Now = response.json().await.unwrap();
        time::OffsetDateTime::parse(&now.now, &time::format_description::well_known::Rfc3339)
            .unwrap()
    };
    let before = read(
        client
            .get(format!("{base}/api/test/clock"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    let after = read(
        client
            .post(format!("{base}/api/test/clock"))
            .header("X-Requested-With", "market-app")
            .json(&serde_json::json!({"seconds": 86_400}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert!(after - before >= Duration::days(1));
    let backwards = client
        .post(format!("{base}/api/test/clock"))
        .header("X-Requested-With", "market-app")
        .json(&serde_json::json!({"seconds": -60}))
        .send()
        .await
        .unwrap();
    assert_eq!(backwards.status(), StatusCode::BAD_REQUEST);
}
