//! Red flags: each rule on a fixture that raises it and a near miss that does not, and who may
//! see them.

use crate::helpers::*;
use crate::jobs::{
    agency_account_with, award_by_price, bid, job_draft, pass_deadline, published_job, DEADLINE,
};
use market_domain::job::JobDraft;
use market_domain::oversight::{RedFlag, RedFlagKind, RedFlagReport};
use market_domain::selection::SelectionMethod;
use market_domain::wire::JobView;
use reqwest::StatusCode;
use time::Duration;

const PASSWORD: &str = "agency password";

/// Agencies `0..count` (phone, email and address all distinct unless `adjust` says otherwise).
async fn agencies_with(
    app: &TestApp,
    count: usize,
    adjust: impl Fn(usize, &mut market_domain::listing::ListingDraft),
) -> Vec<i64> {
    let hash = market_server::auth::password::hash(PASSWORD.into())
        .await
        .unwrap();
    let mut ids = Vec::new();
    for n in 0..count {
        let (id, _) = agency_account_with(app, n, &hash, |draft| adjust(n, draft)).await;
        ids.push(id);
    }
    ids
}

async fn agency(app: &TestApp, n: usize) -> reqwest::Client {
    app.signed_in((&format!("eia_agency_{n}"), PASSWORD)).await
}

async fn red_flags(app: &TestApp) -> RedFlagReport {
    let regulator = app.signed_in(REGULATOR).await;
    let response = app.get_as(&regulator, "/api/oversight/red-flags").await;
    assert_eq!(response.status(), StatusCode::OK);
    json(response).await
}

/// The flags of `kind` whose evidence opens `href`.
fn raised<'a>(report: &'a RedFlagReport, kind: RedFlagKind, href: &str) -> Vec<&'a RedFlag> {
    report
        .flags
        .iter()
        .filter(|f| f.kind == kind && f.evidence.iter().any(|e| e.href == href))
        .collect()
}

/// Publishes a job as the demo enterprise; each `(agency n, price in 万元)` bids on it.
async fn job_with_bids(app: &TestApp, draft: &JobDraft, bids: &[(usize, i64)]) -> JobView {
    let enterprise = app.signed_in(ENTERPRISE).await;
    let job = published_job(app, &enterprise, draft).await;
    for (n, price) in bids {
        let placed = app
            .post_as(
                &agency(app, *n).await,
                &format!("/api/jobs/{}/bids", job.id),
                &bid(*price),
            )
            .await;
        assert_eq!(placed.status(), StatusCode::CREATED, "agency {n}");
        app.clock.advance(Duration::minutes(1));
    }
    job
}

/// Passes the shared deadline and awards each job to its lowest bid.
async fn award_all_by_price(app: &TestApp, jobs: &[&JobView]) {
    pass_deadline(app).await;
    for job in jobs {
        award_by_price(app, job.id).await;
    }
}

fn lowest_price(min_bidders: u32) -> JobDraft {
    JobDraft {
        min_bidders,
        ..job_draft(SelectionMethod::LowestPrice)
    }
}

#[tokio::test]
async fn an_award_on_a_single_bid_is_flagged_and_one_on_two_bids_is_not() {
    let app = spawn_app().await;
    agencies_with(&app, 2, |_, _| {}).await;
    let single = job_with_bids(&app, &lowest_price(1), &[(0, 9)]).await;
    let two = job_with_bids(&app, &lowest_price(1), &[(0, 9), (1, 9)]).await;
    award_all_by_price(&app, &[&single, &two]).await;

    let report = red_flags(&app).await;
    let flags = raised(
        &report,
        RedFlagKind::SingleBidder,
        &format!("/jobs/{}", single.id),
    );
    assert_eq!(flags.len(), 1, "{:?}", report.flags);
    assert!(flags[0].summary.contains("仅凭 1 份有效报价"));
    assert!(raised(
        &report,
        RedFlagKind::SingleBidder,
        &format!("/jobs/{}", two.id)
    )
    .is_empty());
}

#[tokio::test]
async fn three_wins_from_one_enterprise_within_a_year_are_flagged_and_two_are_not() {
    let app = spawn_app().await;
    let ids = agencies_with(&app, 2, |_, _| {}).await;
    let draft = lowest_price(2);
    let mut jobs = Vec::new();
    // Agency 0 is cheapest on three jobs, agency 1 on two.
    for cheaper in [0, 0, 0, 1, 1] {
        let other = 1 - cheaper;
        jobs.push(job_with_bids(&app, &draft, &[(cheaper, 8), (other, 9)]).await);
    }
    award_all_by_price(&app, &jobs.iter().collect::<Vec<_>>()).await;

    let report = red_flags(&app).await;
    let repeat = raised(
        &report,
        RedFlagKind::RepeatWinner,
        &format!("/agencies/{}", ids[0]),
    );
    assert_eq!(repeat.len(), 1, "{:?}", report.flags);
    assert!(
        repeat[0].summary.contains("中选 3 次"),
        "{}",
        repeat[0].summary
    );
    for job in &jobs[..3] {
        assert!(repeat[0]
            .evidence
            .iter()
            .any(|e| e.href == format!("/jobs/{}", job.id)));
    }
    assert!(raised(
        &report,
        RedFlagKind::RepeatWinner,
        &format!("/agencies/{}", ids[1])
    )
    .is_empty());

    // A year and a day later the same awards are outside the window.
    app.clock.advance(Duration::days(366));
    let later = red_flags(&app).await;
    assert!(raised(
        &later,
        RedFlagKind::RepeatWinner,
        &format!("/agencies/{}", ids[0])
    )
    .is_empty());
}

#[tokio::test]
async fn bidders_sharing_a_phone_email_or_address_are_flagged_and_distinct_ones_are_not() {
    let app = spawn_app().await;
    let ids = agencies_with(&app, 4, |n, draft| match n {
        // 1 takes 0's phone; 2 takes 0's email in other case.
        1 => draft.phone = "0870-6100000".into(),
        2 => draft.email = "EIA0@Example.cn".into(),
        _ => {}
    })
    .await;
    let draft = lowest_price(2);
    let phone = job_with_bids(&app, &draft, &[(0, 9), (1, 9)]).await;
    let email = job_with_bids(&app, &draft, &[(0, 9), (2, 9)]).await;
    let distinct = job_with_bids(&app, &draft, &[(1, 9), (3, 9)]).await;

    // While bids are sealed no flag may name a bidder.
    let sealed = red_flags(&app).await;
    assert!(
        !sealed
            .flags
            .iter()
            .any(|f| f.kind == RedFlagKind::SharedContact),
        "{:?}",
        sealed.flags
    );
    pass_deadline(&app).await;

    let report = red_flags(&app).await;
    let by_phone = raised(
        &report,
        RedFlagKind::SharedContact,
        &format!("/jobs/{}", phone.id),
    );
    assert_eq!(by_phone.len(), 1, "{:?}", report.flags);
    assert!(by_phone[0].summary.contains("电话"));
    assert!(by_phone[0]
        .evidence
        .iter()
        .any(|e| e.href == format!("/agencies/{}", ids[1])));
    let by_email = raised(
        &report,
        RedFlagKind::SharedContact,
        &format!("/jobs/{}", email.id),
    );
    assert_eq!(by_email.len(), 1);
    assert!(by_email[0].summary.contains("电子邮箱"));
    assert!(raised(
        &report,
        RedFlagKind::SharedContact,
        &format!("/jobs/{}", distinct.id)
    )
    .is_empty());
}

async fn cancel_and_repost(
    app: &TestApp,
    job: &JobView,
    change: impl FnOnce(&mut JobDraft),
) -> i64 {
    let enterprise = app.signed_in(ENTERPRISE).await;
    let cancelled = app
        .post_as(
            &enterprise,
            &format!("/api/jobs/{}/cancel", job.id),
            &serde_json::json!({"reason": "项目选址调整,暂停采购"}),
        )
        .await;
    assert_eq!(cancelled.status(), StatusCode::OK);
    let reposted: JobView = json(
        app.post_as(&enterprise, &format!("/api/jobs/{}/repost", job.id), &())
            .await,
    )
    .await;
    let mut terms = reposted.terms.clone();
    terms.deadline = DEADLINE.into();
    change(&mut terms);
    let saved = app
        .put_as(&enterprise, &format!("/api/jobs/{}", reposted.id), &terms)
        .await;
    assert_eq!(saved.status(), StatusCode::OK);
    let published = app
        .post_as(
            &enterprise,
            &format!("/api/jobs/{}/publish", reposted.id),
            &(),
        )
        .await;
    assert_eq!(published.status(), StatusCode::OK);
    reposted.id
}

#[tokio::test]
async fn a_job_cancelled_after_bids_and_reposted_with_new_terms_is_flagged_but_not_otherwise() {
    let app = spawn_app().await;
    agencies_with(&app, 1, |_, _| {}).await;
    let draft = lowest_price(3);
    let after_bids = job_with_bids(&app, &draft, &[(0, 9)]).await;
    let no_bids = job_with_bids(&app, &draft, &[]).await;
    let unchanged = job_with_bids(&app, &draft, &[(0, 9)]).await;
    let raise_budget = |terms: &mut JobDraft| terms.budget_ceiling += 3_000_000;
    let flagged_repost = cancel_and_repost(&app, &after_bids, raise_budget).await;
    cancel_and_repost(&app, &no_bids, raise_budget).await;
    cancel_and_repost(&app, &unchanged, |_| {}).await;

    let report = red_flags(&app).await;
    let flags = raised(
        &report,
        RedFlagKind::CancelledAndReposted,
        &format!("/jobs/{}", after_bids.id),
    );
    assert_eq!(flags.len(), 1, "{:?}", report.flags);
    assert!(flags[0]
        .evidence
        .iter()
        .any(|e| e.href == format!("/jobs/{flagged_repost}")));
    for quiet in [&no_bids, &unchanged] {
        assert!(raised(
            &report,
            RedFlagKind::CancelledAndReposted,
            &format!("/jobs/{}", quiet.id)
        )
        .is_empty());
    }
}

#[tokio::test]
async fn an_award_at_an_abnormally_low_price_is_flagged_and_one_within_the_standard_is_not() {
    let app = spawn_app().await;
    agencies_with(&app, 2, |_, _| {}).await;
    let draft = lowest_price(2);
    // The agencies' standard is a fixed 10万元 with at most 20% off: 5万 is abnormally low.
    let low = job_with_bids(&app, &draft, &[(0, 5), (1, 9)]).await;
    let fair = job_with_bids(&app, &draft, &[(0, 9), (1, 10)]).await;
    award_all_by_price(&app, &[&low, &fair]).await;

    let report = red_flags(&app).await;
    let flags = raised(
        &report,
        RedFlagKind::FeeFlaggedAward,
        &format!("/jobs/{}", low.id),
    );
    assert_eq!(flags.len(), 1, "{:?}", report.flags);
    assert!(
        flags[0].summary.contains("异常低价"),
        "{}",
        flags[0].summary
    );
    assert!(raised(
        &report,
        RedFlagKind::FeeFlaggedAward,
        &format!("/jobs/{}", fair.id)
    )
    .is_empty());
}

#[tokio::test]
async fn the_demo_case_never_procured_is_flagged_and_procured_ones_are_not() {
    let app = spawn_app().await;
    let report = red_flags(&app).await;
    let off: Vec<&RedFlag> = report
        .flags
        .iter()
        .filter(|f| f.kind == RedFlagKind::OffPlatform)
        .collect();
    assert_eq!(off.len(), 1, "{off:?}");
    assert!(off[0].summary.contains("YZSB-2026-0120"));
    assert!(off[0].evidence[0].href.starts_with("/cases/"));
    // Every rule comes with the SQL (or the code) that computes it.
    assert_eq!(report.rules.len(), RedFlagKind::ALL.len());
    let single = report
        .rules
        .iter()
        .find(|r| r.kind == RedFlagKind::SingleBidder)
        .unwrap();
    assert!(single.sql.contains("= 1"));
}

#[tokio::test]
async fn only_regulators_see_red_flags() {
    let app = spawn_app().await;
    assert_error(
        app.get("/api/oversight/red-flags").await,
        StatusCode::UNAUTHORIZED,
        "not_authenticated",
    )
    .await;
    for account in [ENTERPRISE, AGENCY, OFFICER] {
        let client = app.signed_in(account).await;
        assert_error(
            app.get_as(&client, "/api/oversight/red-flags").await,
            StatusCode::FORBIDDEN,
            "forbidden_role",
        )
        .await;
    }
}
