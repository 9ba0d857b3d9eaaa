//! The public directory: approved agencies only, filters, paging and detail.

use crate::helpers::*;
use market_domain::ServiceType;
use reqwest::StatusCode;

#[tokio::test]
async fn the_directory_lists_only_approved_agencies() {
    let app = spawn_app().await;
    let listed = app.all_agencies().await;
    let page = app.agencies("").await;
    assert_eq!(listed.len() as u64, page.total);
    // 64 demo agencies plus the three demo agency accounts' own; the three pending ones are absent.
    assert_eq!(page.total, 67);
    let names: Vec<_> = listed.iter().map(|a| a.name.as_str()).collect();
    assert!(names.contains(&"云州绿源环境科技有限公司"));
    assert!(!names.contains(&"云州新启航安全技术咨询有限公司"));
    for agency in &listed {
        assert_eq!(app.agency(agency.id).await.status(), StatusCode::OK);
    }
}

#[tokio::test]
async fn the_list_is_paged_with_the_requested_size() {
    let app = spawn_app().await;
    let first = app.agencies("per_page=10").await;
    assert_eq!((first.page, first.per_page, first.items.len()), (1, 10, 10));
    let second = app.agencies("per_page=10&page=2").await;
    assert_eq!(second.page, 2);
    assert!(first
        .items
        .iter()
        .all(|a| second.items.iter().all(|b| b.id != a.id)));
    let last = app.agencies("per_page=10&page=7").await;
    assert_eq!(last.items.len(), 7);
    let beyond = app.agencies("per_page=10&page=8").await;
    assert!(beyond.items.is_empty());
    assert_eq!(beyond.total, 67);
}

#[tokio::test]
async fn filtering_by_service_type_returns_only_agencies_that_offer_it() {
    let app = spawn_app().await;
    let surveying = app.agencies("service_type=surveying&per_page=100").await;
    assert!(surveying.total >= 3);
    assert!(surveying
        .items
        .iter()
        .all(|a| a.service_types.contains(&ServiceType::Surveying)));
    assert!(surveying.total < 67);
}

#[tokio::test]
async fn filtering_by_district_and_text_narrows_the_list() {
    let app = spawn_app().await;
    let yunhu = app.agencies("district=yunhu&per_page=100").await;
    assert!(yunhu.total > 0);
    assert!(yunhu
        .items
        .iter()
        .all(|a| a.district == market_domain::District::Yunhu));

    let by_long_text = app.agencies("q=%E7%BB%BF%E6%BA%90%E7%8E%AF").await; // 绿源环
    assert!(by_long_text
        .items
        .iter()
        .any(|a| a.name == "云州绿源环境科技有限公司"));
    assert!(by_long_text.items.iter().all(|a| a.name.contains("绿源环")));
    let by_short_text = app.agencies("q=%E6%B5%8B%E7%BB%98&per_page=100").await; // 测绘
    assert!(by_short_text.total > 0);
}

#[tokio::test]
async fn bad_filters_are_rejected_naming_the_parameter() {
    let app = spawn_app().await;
    for (query, field, code) in [
        (
            "service_type=astrology",
            "service_type",
            "unknown_service_type",
        ),
        ("page=0", "page", "bad_page"),
        ("page=100001", "page", "bad_page"),
        ("page=2147483648", "page", "bad_page"),
        ("per_page=500", "per_page", "bad_per_page"),
        ("district=atlantis", "district", "unknown_district"),
    ] {
        let response = app.get(&format!("/api/agencies?{query}")).await;
        let body = assert_error(response, StatusCode::UNPROCESSABLE_ENTITY, code).await;
        assert_eq!(body.error.field.as_deref(), Some(field), "{query}");
    }
    // The job list answers the same bad paging the same way (it said 400 before).
    for (query, field, code) in [
        ("page=0", "page", "bad_page"),
        ("page=100001", "page", "bad_page"),
        ("per_page=0", "per_page", "bad_per_page"),
        ("state=sealed", "state", "unknown_state"),
        (
            "service_type=astrology",
            "service_type",
            "unknown_service_type",
        ),
    ] {
        let response = app.get(&format!("/api/jobs?{query}")).await;
        let body = assert_error(response, StatusCode::UNPROCESSABLE_ENTITY, code).await;
        assert_eq!(body.error.field.as_deref(), Some(field), "{query}");
    }
    let last: serde_json::Value = json(app.get("/api/jobs?page=100000").await).await;
    assert_eq!(last["page"], 100000);
    assert_eq!(last["items"], serde_json::json!([]));
}

#[tokio::test]
async fn the_detail_shows_credit_code_services_qualifications_and_contacts() {
    let app = spawn_app().await;
    let first = &app.agencies("per_page=1").await.items[0];
    let detail = detail(app.agency(first.id).await).await;
    assert_eq!(detail.profile.credit_code, first.credit_code);
    assert!(market_domain::CreditCode::parse(&detail.profile.credit_code).is_ok());
    assert!(!detail.profile.service_types.is_empty());
    assert!(!detail.profile.qualifications.is_empty());
    assert!(
        !detail.profile.phone.is_empty()
            && !detail.profile.email.is_empty()
            && !detail.profile.address.is_empty()
    );
    for q in &detail.profile.qualifications {
        assert!(q.expires_on > q.issued_on);
    }
}

#[tokio::test]
async fn an_unknown_or_malformed_agency_id_is_404() {
    let app = spawn_app().await;
    assert_error(
        app.agency(999_999).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_error(
        app.get("/api/agencies/abc").await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
}
