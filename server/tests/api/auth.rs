//! Registration, login, lockout, sessions and the audit trail.

use crate::helpers::*;
use market_domain::account::RegisterRequest;
use market_domain::wire::ListingStatus;
use market_domain::Role;
use reqwest::StatusCode;
use time::Duration;

#[tokio::test]
async fn an_enterprise_registers_and_is_signed_in() {
    let app = spawn_app().await;
    let response = app.register(&enterprise_registration("yz_steel")).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let cookie = response
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        cookie.contains("HttpOnly")
            && cookie.contains("SameSite=Strict")
            && cookie.contains("Path=/")
    );
    let created = account(response).await;
    assert_eq!(created.role, Role::Enterprise);
    assert_eq!(created.username, "yz_steel");

    let me = account(app.me().await).await;
    assert_eq!(me.id, created.id);
    assert_eq!(me.organization_name, "云州钢铁集团有限公司");
    assert_eq!(me.credit_code.as_deref(), Some("91350100M000100Y43"));
}

#[tokio::test]
async fn an_agency_registers_and_its_listing_waits_for_review() {
    let app = spawn_app().await;
    let before = app.agencies("").await.total;
    let code = credit_code_from("91539902MA6TE0X01");
    let response = app
        .register(&agency_registration("new_survey", &code))
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let created = account(response).await;
    assert_eq!(created.role, Role::Agency);
    assert_eq!(created.listing_status, Some(ListingStatus::Pending));
    let agency_id = created.agency_id.expect("agency created with the account");

    assert_eq!(app.agencies("").await.total, before);
    assert_error(
        app.agency(agency_id).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn regulators_cannot_register_themselves() {
    let app = spawn_app().await;
    let request = RegisterRequest {
        role: "regulator".into(),
        ..enterprise_registration("fake_regulator")
    };
    let body = assert_error(
        app.register(&request).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "role_not_self_service",
    )
    .await;
    assert_eq!(body.error.field.as_deref(), Some("role"));
    assert_eq!(
        app.login("fake_regulator", "correct horse battery")
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn invalid_fields_are_all_reported_and_nothing_is_stored() {
    let app = spawn_app().await;
    let request = RegisterRequest {
        credit_code: "91350100M000100Y44".into(),
        password: "short".into(),
        ..enterprise_registration("bad_input")
    };
    let body = assert_error(
        app.register(&request).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "password_too_short",
    )
    .await;
    let fields: Vec<_> = body.error.fields.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(fields, ["password", "credit_code"]);
    assert!(body.error.fields[1].message.contains("校验位"));
    let fixed = RegisterRequest {
        password: "long enough now".into(),
        ..request
    };
    // Still refused for the credit code; the user name stays free.
    assert_error(
        app.register(&fixed).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "credit_code_check_char",
    )
    .await;
    let ok = app.register(&enterprise_registration("bad_input")).await;
    assert_eq!(ok.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn a_taken_user_name_or_credit_code_is_a_conflict_on_that_field() {
    let app = spawn_app().await;
    assert_eq!(
        app.register(&enterprise_registration("first_owner"))
            .await
            .status(),
        StatusCode::CREATED
    );
    let other = new_client();
    let same_name = other
        .post(app.url("/api/auth/register"))
        .header("X-Requested-With", "market-app")
        .json(&RegisterRequest {
            credit_code: credit_code_from("91539903MA6TE0X02"),
            ..enterprise_registration("FIRST_OWNER")
        })
        .send()
        .await
        .unwrap();
    let body = assert_error(same_name, StatusCode::CONFLICT, "username_taken").await;
    assert_eq!(body.error.field.as_deref(), Some("username"));

    let same_code = app.register(&enterprise_registration("second_owner")).await;
    let body = assert_error(same_code, StatusCode::CONFLICT, "credit_code_taken").await;
    assert_eq!(body.error.field.as_deref(), Some("credit_code"));
}

#[tokio::test]
async fn the_demo_accounts_of_every_role_can_log_in() {
    let app = spawn_app().await;
    for (username, password, role) in [
        ("demo_enterprise", "Qiye@2026demo", Role::Enterprise),
        ("demo_agency", "Zhongjie@2026demo", Role::Agency),
        ("demo_regulator", "Jianguan@2026demo", Role::Regulator),
    ] {
        let response = app.login(username, password).await;
        assert_eq!(response.status(), StatusCode::OK, "{username}");
        assert_eq!(account(response).await.role, role);
        assert_eq!(account(app.me().await).await.username, username);
        assert_eq!(app.logout().await.status(), StatusCode::NO_CONTENT);
    }
}

#[tokio::test]
async fn a_wrong_password_is_refused_without_saying_which_part_was_wrong() {
    let app = spawn_app().await;
    let wrong_password = app.login("demo_enterprise", "not the password").await;
    let unknown_user = app.login("nobody_here", "not the password").await;
    let a = assert_error(
        wrong_password,
        StatusCode::UNAUTHORIZED,
        "invalid_credentials",
    )
    .await;
    let b = assert_error(
        unknown_user,
        StatusCode::UNAUTHORIZED,
        "invalid_credentials",
    )
    .await;
    assert_eq!(a, b);
    assert_error(
        app.me().await,
        StatusCode::UNAUTHORIZED,
        "not_authenticated",
    )
    .await;
}

#[tokio::test]
async fn five_failures_lock_the_account_from_that_address_for_fifteen_minutes() {
    let app = spawn_app().await;
    for _ in 0..5 {
        let response = app.login("demo_enterprise", "guessing wrong").await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    }
    // Even the right password is refused from this address while locked.
    let locked = app.login("demo_enterprise", "Qiye@2026demo").await;
    assert_eq!(locked.headers().get("retry-after").unwrap(), "900");
    let body = assert_error(locked, StatusCode::TOO_MANY_REQUESTS, "too_many_attempts").await;
    assert!(
        body.error.message.contains("15 分钟"),
        "{}",
        body.error.message
    );

    app.clock.advance(Duration::minutes(14));
    assert_eq!(
        app.login("demo_enterprise", "Qiye@2026demo").await.status(),
        StatusCode::TOO_MANY_REQUESTS
    );
    app.clock.advance(Duration::minutes(1));
    assert_eq!(
        app.login("demo_enterprise", "Qiye@2026demo").await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_successful_login_resets_the_account_counter() {
    let app = spawn_app().await;
    for _ in 0..4 {
        app.login("demo_enterprise", "guessing wrong").await;
    }
    assert_eq!(
        app.login("demo_enterprise", "Qiye@2026demo").await.status(),
        StatusCode::OK
    );
    app.clock.advance(Duration::minutes(16));
    for _ in 0..4 {
        app.login("demo_enterprise", "guessing wrong").await;
    }
    assert_eq!(
        app.login("demo_enterprise", "Qiye@2026demo").await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn an_idle_session_expires_after_thirty_minutes() {
    let app = spawn_app().await;
    assert_eq!(
        app.login("demo_enterprise", "Qiye@2026demo").await.status(),
        StatusCode::OK
    );
    app.clock.advance(Duration::minutes(29));
    assert_eq!(app.me().await.status(), StatusCode::OK);
    // The request above was activity: the idle clock restarted.
    app.clock.advance(Duration::minutes(29));
    assert_eq!(app.me().await.status(), StatusCode::OK);
    app.clock.advance(Duration::minutes(30));
    assert_error(
        app.me().await,
        StatusCode::UNAUTHORIZED,
        "not_authenticated",
    )
    .await;
}

#[tokio::test]
async fn an_active_session_still_ends_after_twelve_hours() {
    let app = spawn_app().await;
    assert_eq!(
        app.login("demo_enterprise", "Qiye@2026demo").await.status(),
        StatusCode::OK
    );
    for _ in 0..(11 * 60 / 20) {
        app.clock.advance(Duration::minutes(20));
        assert_eq!(app.me().await.status(), StatusCode::OK);
    }
    app.clock.advance(Duration::minutes(60));
    assert_error(
        app.me().await,
        StatusCode::UNAUTHORIZED,
        "not_authenticated",
    )
    .await;
}

#[tokio::test]
async fn logging_out_ends_the_session_on_the_server() {
    let app = spawn_app().await;
    let response = app.login("demo_agency", "Zhongjie@2026demo").await;
    let cookie = response
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    let token = cookie.split(';').next().unwrap().to_owned();
    let logout = app.logout().await;
    assert_eq!(logout.status(), StatusCode::NO_CONTENT);
    assert!(logout
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .contains("Max-Age=0"));
    // Replaying the old cookie does not revive the session.
    let replay = new_client()
        .get(app.url("/api/auth/me"))
        .header("Cookie", token)
        .send()
        .await
        .unwrap();
    assert_error(replay, StatusCode::UNAUTHORIZED, "not_authenticated").await;
}

#[tokio::test]
async fn logins_logouts_and_failures_are_audited() {
    let app = spawn_app().await;
    app.login("demo_regulator", "wrong password").await;
    app.login("demo_regulator", "Jianguan@2026demo").await;
    app.logout().await;
    let log = app.store.audit_log(10).await.unwrap();
    let events: Vec<(&str, &str, Option<&str>)> = log
        .iter()
        .rev()
        .map(|e| (e.event.as_str(), e.outcome.as_str(), e.username.as_deref()))
        .collect();
    assert_eq!(
        events,
        [
            ("login", "failure", Some("demo_regulator")),
            ("login", "success", Some("demo_regulator")),
            ("logout", "success", Some("demo_regulator")),
        ]
    );
    assert!(log.iter().all(|e| e.ip == "127.0.0.1"));
    assert!(log[1].user_id.is_some());
}
