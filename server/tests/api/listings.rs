//! Listings, fee standards and the regulator's review: the whole cycle and every refusal.

use crate::helpers::*;
use market_domain::fee::{BracketDraft, PricingModelDraft};
use market_domain::listing::{DecisionRequest, ListingDraft, VersionStatus};
use market_domain::wire::{
    AgencyDetail, AgencyFeeStandard, ListingVersionView, MyListing, ReviewDetail, ReviewQueue,
};
use reqwest::StatusCode;
use time::Duration;

async fn my_listing(app: &TestApp, agency: &reqwest::Client) -> MyListing {
    json(app.get_as(agency, "/api/my/listing").await).await
}

async fn queue(app: &TestApp, regulator: &reqwest::Client) -> ReviewQueue {
    json(app.get_as(regulator, "/api/review/queue").await).await
}

async fn public_detail(app: &TestApp, id: i64) -> AgencyDetail {
    detail(app.agency(id).await).await
}

fn decision(decision: &str, reason: &str) -> DecisionRequest {
    DecisionRequest {
        decision: decision.into(),
        reason: reason.into(),
    }
}

async fn submit(
    app: &TestApp,
    agency: &reqwest::Client,
    draft: &ListingDraft,
) -> ListingVersionView {
    let response = app.post_as(agency, "/api/my/listing", draft).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    json(response).await
}

#[tokio::test]
async fn an_edit_stays_private_until_approved_and_history_is_kept() {
    let app = spawn_app().await;
    let agency = app.signed_in(AGENCY).await;
    let regulator = app.signed_in(REGULATOR).await;
    let mine = my_listing(&app, &agency).await;
    let original_phone = public_detail(&app, mine.agency_id).await.profile.phone;

    let mut edit = mine.editor_start.clone();
    edit.phone = "13900001111".into();
    let version = submit(&app, &agency, &edit).await;
    assert_eq!(version.status, VersionStatus::Submitted);
    assert_eq!(version.version_no, 2);
    assert_eq!(
        public_detail(&app, mine.agency_id).await.profile.phone,
        original_phone
    );

    let waiting = queue(&app, &regulator).await;
    assert!(waiting
        .items
        .iter()
        .any(|i| i.version_id == version.id && !i.first_listing));
    let review: ReviewDetail = json(
        app.get_as(&regulator, &format!("/api/review/versions/{}", version.id))
            .await,
    )
    .await;
    assert_eq!(review.current.as_ref().unwrap().draft.phone, original_phone);
    assert_eq!(review.version.draft.phone, "13900001111");

    let approved = app
        .post_as(
            &regulator,
            &format!("/api/review/versions/{}/decision", version.id),
            &decision("approve", "材料齐全"),
        )
        .await;
    assert_eq!(approved.status(), StatusCode::OK);
    assert_eq!(
        public_detail(&app, mine.agency_id).await.profile.phone,
        "13900001111"
    );
    let inbox: market_domain::notify::Inbox =
        json(app.get_as(&agency, "/api/notifications").await).await;
    let told = &inbox.items[0];
    assert_eq!(
        (told.kind, told.title.as_str(), told.body.as_str()),
        (
            market_domain::notify::NotificationKind::ReviewDecision,
            "入驻信息审核结果:审核通过",
            "材料齐全"
        )
    );
    let history: Vec<_> = my_listing(&app, &agency)
        .await
        .versions
        .iter()
        .map(|v| v.status)
        .collect();
    assert_eq!(
        history,
        [VersionStatus::Approved, VersionStatus::Superseded]
    );
}

#[tokio::test]
async fn changes_requested_come_back_with_the_reason_and_a_resubmission_can_pass() {
    let app = spawn_app().await;
    let agency = app.signed_in(AGENCY).await;
    let regulator = app.signed_in(REGULATOR).await;
    let start = my_listing(&app, &agency).await.editor_start;
    let first = submit(&app, &agency, &start).await;
    let path = format!("/api/review/versions/{}/decision", first.id);
    let response = app
        .post_as(
            &regulator,
            &path,
            &decision("request_changes", "收费标准未注明最低收费依据"),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let mine = my_listing(&app, &agency).await;
    assert_eq!(mine.versions[0].status, VersionStatus::ChangesRequested);
    assert_eq!(
        mine.versions[0].decision_reason.as_deref(),
        Some("收费标准未注明最低收费依据")
    );
    // Deciding the same version again is refused: it is no longer awaiting review.
    let again = app
        .post_as(&regulator, &path, &decision("approve", "通过"))
        .await;
    assert_error(again, StatusCode::CONFLICT, "already_decided").await;

    let second = submit(&app, &agency, &mine.editor_start).await;
    assert_eq!(second.version_no, first.version_no + 1);
    let response = app
        .post_as(
            &regulator,
            &format!("/api/review/versions/{}/decision", second.id),
            &decision("approve", "已补正"),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_decision_without_a_reason_is_422_and_changes_nothing() {
    let app = spawn_app().await;
    let regulator = app.signed_in(REGULATOR).await;
    let item = queue(&app, &regulator).await.items[0].clone();
    let path = format!("/api/review/versions/{}/decision", item.version_id);
    let body = assert_error(
        app.post_as(&regulator, &path, &decision("approve", "  "))
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "reason_required",
    )
    .await;
    assert_eq!(body.error.field.as_deref(), Some("reason"));
    assert!(queue(&app, &regulator)
        .await
        .items
        .iter()
        .any(|i| i.version_id == item.version_id));
}

#[tokio::test]
async fn a_first_listing_becomes_public_only_when_approved() {
    let app = spawn_app().await;
    let regulator = app.signed_in(REGULATOR).await;
    let waiting = queue(&app, &regulator).await;
    // The queue is oldest first and holds the demo's pending agencies.
    assert!(waiting.count >= 3);
    let first = waiting
        .items
        .iter()
        .find(|i| i.first_listing)
        .unwrap()
        .clone();
    assert_error(
        app.agency(first.agency_id).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let before = app.agencies("").await.total;
    let path = format!("/api/review/versions/{}/decision", first.version_id);
    assert_eq!(
        app.post_as(&regulator, &path, &decision("approve", "符合条件"))
            .await
            .status(),
        StatusCode::OK
    );
    assert_eq!(app.agencies("").await.total, before + 1);
    let detail = public_detail(&app, first.agency_id).await;
    assert!(!detail.profile.fee_standards.is_empty());
    assert_eq!(queue(&app, &regulator).await.count, waiting.count - 1);
}

#[tokio::test]
async fn two_concurrent_decisions_on_one_version_let_exactly_one_win() {
    let app = spawn_app().await;
    let regulator = app.signed_in(REGULATOR).await;
    let item = queue(&app, &regulator).await.items[0].clone();
    let path = format!("/api/review/versions/{}/decision", item.version_id);
    let (approve, reject) = (decision("approve", "通过"), decision("reject", "不通过"));
    let (a, b) = tokio::join!(
        app.post_as(&regulator, &path, &approve),
        app.post_as(&regulator, &path, &reject)
    );
    let mut statuses = [a.status().as_u16(), b.status().as_u16()];
    statuses.sort();
    assert_eq!(statuses, [200, 409]);
}

/// Breaks one rule in a draft.
type Breakage = Box<dyn Fn(&mut ListingDraft)>;

#[tokio::test]
async fn bad_listing_input_names_the_field_and_saves_nothing() {
    let app = spawn_app().await;
    let agency = app.signed_in(AGENCY).await;
    let start = my_listing(&app, &agency).await;
    let cases: Vec<(Breakage, &str, &str)> = vec![
        (
            Box::new(|d| d.credit_code = "91350100M000100Y44".into()),
            "credit_code",
            "credit_code_check_char",
        ),
        (
            Box::new(|d| d.qualifications[0].expires_on = "2000-01-01".into()),
            "qualifications[0].expires_on",
            "expiry_before_issue",
        ),
        (
            Box::new(|d| {
                d.fee_standards[0].model = PricingModelDraft::InvestmentTiered {
                    brackets: vec![
                        BracketDraft {
                            up_to: Some(500_000_000),
                            rate_ppm: 4_000,
                        },
                        BracketDraft {
                            up_to: Some(100_000_000),
                            rate_ppm: 2_000,
                        },
                        BracketDraft {
                            up_to: None,
                            rate_ppm: 1_000,
                        },
                    ],
                    minimum: 0,
                }
            }),
            "fee_standards[0].model.brackets[1].up_to",
            "brackets_unordered",
        ),
        (
            Box::new(|d| d.fee_standards[0].model = PricingModelDraft::Fixed { price: -500 }),
            "fee_standards[0].model.price",
            "money_negative",
        ),
    ];
    for (break_it, field, code) in cases {
        let mut draft = start.editor_start.clone();
        break_it(&mut draft);
        let body = assert_error(
            app.post_as(&agency, "/api/my/listing", &draft).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            code,
        )
        .await;
        assert_eq!(body.error.field.as_deref(), Some(field));
        assert!(!body.error.message.is_empty());
    }
    assert_eq!(my_listing(&app, &agency).await.versions, start.versions);
}

#[tokio::test]
async fn an_agency_cannot_review_and_an_enterprise_cannot_see_pending_versions() {
    let app = spawn_app().await;
    let agency = app.signed_in(AGENCY).await;
    let enterprise = app.signed_in(ENTERPRISE).await;
    let regulator = app.signed_in(REGULATOR).await;
    let version = submit(&app, &agency, &my_listing(&app, &agency).await.editor_start).await;
    let decide = format!("/api/review/versions/{}/decision", version.id);
    let view = format!("/api/review/versions/{}", version.id);
    let suspend = format!("/api/agencies/{}/suspensions", version.agency_id);
    let suspension = serde_json::json!({"reason": "超标准收费", "starts_on": "2026-11-01", "ends_on": "2027-01-31"});

    for client in [&agency, &enterprise] {
        assert_error(
            app.post_as(client, &decide, &decision("approve", "自己批准"))
                .await,
            StatusCode::FORBIDDEN,
            "forbidden_role",
        )
        .await;
        assert_error(
            app.get_as(client, &view).await,
            StatusCode::FORBIDDEN,
            "forbidden_role",
        )
        .await;
        assert_error(
            app.get_as(client, "/api/review/queue").await,
            StatusCode::FORBIDDEN,
            "forbidden_role",
        )
        .await;
        assert_error(
            app.post_as(client, &suspend, &suspension).await,
            StatusCode::FORBIDDEN,
            "forbidden_role",
        )
        .await;
        assert_error(
            app.post_as(client, "/api/suspensions/1/lift", &()).await,
            StatusCode::FORBIDDEN,
            "forbidden_role",
        )
        .await;
    }
    for client in [&enterprise, &regulator] {
        assert_error(
            app.get_as(client, "/api/my/listing").await,
            StatusCode::FORBIDDEN,
            "forbidden_role",
        )
        .await;
        assert_error(
            app.post_as(client, "/api/my/listing", &version.draft).await,
            StatusCode::FORBIDDEN,
            "forbidden_role",
        )
        .await;
    }
    let anonymous = new_client();
    for path in ["/api/my/listing", "/api/review/queue", view.as_str()] {
        assert_error(
            app.get_as(&anonymous, path).await,
            StatusCode::UNAUTHORIZED,
            "not_authenticated",
        )
        .await;
    }
    for path in [
        decide.as_str(),
        suspend.as_str(),
        "/api/my/listing",
        "/api/suspensions/1/lift",
    ] {
        assert_error(
            app.post_as(&anonymous, path, &suspension).await,
            StatusCode::UNAUTHORIZED,
            "not_authenticated",
        )
        .await;
    }
    // The version is still waiting, untouched by the refused attempts.
    assert_eq!(
        my_listing(&app, &agency).await.versions[0].status,
        VersionStatus::Submitted
    );
}

#[tokio::test]
async fn a_suspended_agency_leaves_the_directory_until_lifted() {
    let app = spawn_app().await;
    let regulator = app.signed_in(REGULATOR).await;
    let target = app.agencies("per_page=1").await.items[0].clone();
    let total = app.agencies("").await.total;
    let request = serde_json::json!({
        "reason": "超出公示标准收费,经查属实", "starts_on": "2026-11-28", "ends_on": "2027-05-27",
        "blacklist": true, "basis": "《云州市中介服务收费管理办法》第二十条"
    });
    let response = app
        .post_as(
            &regulator,
            &format!("/api/agencies/{}/suspensions", target.id),
            &request,
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let suspension: market_domain::wire::SuspensionView = json(response).await;
    assert_eq!(app.agencies("").await.total, total - 1);
    assert!(app.all_agencies().await.iter().all(|a| a.id != target.id));
    assert!(public_detail(&app, target.id).await.suspension.is_some());

    let lifted = app
        .post_as(
            &regulator,
            &format!("/api/suspensions/{}/lift", suspension.id),
            &(),
        )
        .await;
    assert_eq!(lifted.status(), StatusCode::NO_CONTENT);
    assert_eq!(app.agencies("").await.total, total);
}

#[tokio::test]
async fn a_blacklist_entry_without_basis_is_refused() {
    let app = spawn_app().await;
    let regulator = app.signed_in(REGULATOR).await;
    let request = serde_json::json!({"reason": "超标准收费", "starts_on": "2026-11-28", "ends_on": "2026-12-28", "blacklist": true});
    let body = assert_error(
        app.post_as(&regulator, "/api/agencies/1/suspensions", &request)
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "basis_required",
    )
    .await;
    assert_eq!(body.error.field.as_deref(), Some("basis"));
    assert_eq!(app.agencies("").await.total, 67);
}

#[tokio::test]
async fn the_fee_calculator_source_lists_every_published_standard_of_a_type() {
    let app = spawn_app().await;
    let first: market_domain::wire::Page<AgencyFeeStandard> = json(
        app.get("/api/fee-standards?service_type=surveying&per_page=2")
            .await,
    )
    .await;
    assert_eq!(first.items.len(), 2);
    // Following `next` reaches every standard once.
    let mut standards = first.items;
    let mut after = first.next;
    while let Some(cursor) = after {
        let page: market_domain::wire::Page<AgencyFeeStandard> = json(
            app.get(&format!(
                "/api/fee-standards?service_type=surveying&per_page=2&after={cursor}"
            ))
            .await,
        )
        .await;
        standards.extend(page.items);
        after = page.next;
    }
    assert_eq!(standards.len() as u64, first.total);
    assert!(standards.len() >= 3);
    assert!(standards
        .iter()
        .all(|s| s.standard.service_type() == market_domain::ServiceType::Surveying));
    let body = assert_error(
        app.get("/api/fee-standards?service_type=nope").await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "unknown_service_type",
    )
    .await;
    assert_eq!(body.error.field.as_deref(), Some("service_type"));
}

#[tokio::test]
async fn expiring_qualifications_warn_ahead_and_hide_the_service_once_expired() {
    let app = spawn_app().await;
    let agency = app.signed_in(AGENCY).await;
    let mine = my_listing(&app, &agency).await;
    assert!(mine.expiring.is_empty());
    let listing = mine.approved.as_ref().unwrap().draft.parse().unwrap();
    let earliest = listing
        .qualifications
        .iter()
        .map(|q| q.expires_on)
        .min()
        .unwrap();
    let service = listing
        .qualifications
        .iter()
        .find(|q| q.expires_on == earliest)
        .unwrap()
        .service_types[0];

    let days_until = app_today(&app).days_until(earliest);
    app.clock.advance(Duration::days(days_until - 20));
    let agency = app.signed_in(AGENCY).await;
    let warned = my_listing(&app, &agency).await;
    assert_eq!(warned.expiring.len(), 1);
    assert_eq!(warned.expiring[0].days_left, 20);
    assert!(public_detail(&app, mine.agency_id)
        .await
        .profile
        .service_types
        .contains(&service));

    directory_agrees_with_the_domain(&app, &listing, mine.agency_id).await;

    app.clock.advance(Duration::days(21));
    let detail = public_detail(&app, mine.agency_id).await;
    assert!(!detail.profile.service_types.contains(&service));
    assert!(detail.profile.qualifications.iter().any(|q| q.expired));
    let listed = app
        .agencies(&format!("service_type={}&per_page=100", service.code()))
        .await;
    assert!(listed.items.iter().all(|a| a.id != mine.agency_id));
    directory_agrees_with_the_domain(&app, &listing, mine.agency_id).await;
}

/// "Offered today" is the domain's rule (`Listing::offered_on`); the directory filters with its
/// indexed SQL form. For every service type of the listing, both say the same.
async fn directory_agrees_with_the_domain(
    app: &TestApp,
    listing: &market_domain::listing::Listing,
    agency_id: i64,
) {
    let offered = listing.offered_on(app_today(app));
    assert_eq!(
        public_detail(app, agency_id).await.profile.service_types,
        offered
    );
    for service in &listing.service_types {
        let listed = app
            .agencies(&format!(
                "service_type={}&per_page=100&q={}",
                service.code(),
                market_domain::wire::percent_encode(listing.name.as_str())
            ))
            .await;
        assert_eq!(
            listed.items.iter().any(|a| a.id == agency_id),
            offered.contains(service),
            "{service:?}"
        );
    }
}

fn app_today(app: &TestApp) -> market_domain::CalendarDate {
    use market_server::clock::Clock;
    market_server::clock::city_date(app.clock.now())
}

#[tokio::test]
async fn a_suspended_agency_sees_the_suspension_on_its_dashboard() {
    let app = spawn_app().await;
    let agency = app.signed_in(AGENCY).await;
    let regulator = app.signed_in(REGULATOR).await;
    let agency_id = my_listing(&app, &agency).await.agency_id;
    assert!(my_listing(&app, &agency).await.suspension.is_none());
    let request = serde_json::json!({
        "reason": "未按公示标准收费", "starts_on": "2026-11-28", "ends_on": "2026-12-27"
    });
    let response = app
        .post_as(
            &regulator,
            &format!("/api/agencies/{agency_id}/suspensions"),
            &request,
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let shown = my_listing(&app, &agency)
        .await
        .suspension
        .expect("suspension shown");
    assert_eq!(shown.reason, "未按公示标准收费");
    assert!(!shown.blacklist);
    // It ends on its end date.
    app.clock.advance(Duration::days(30));
    let agency = app.signed_in(AGENCY).await;
    assert!(my_listing(&app, &agency).await.suspension.is_none());
}
