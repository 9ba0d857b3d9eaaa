//! Two server instances on one PostgreSQL database serve the same users: what one writes, the
//! other sees, and work due at a moment runs once.

use crate::helpers::*;
use crate::jobs::{agencies, bid, job_draft, published_job};
use crate::notifications::next_event;
use market_domain::job::JobEvent;
use market_domain::selection::SelectionMethod;
use market_domain::wire::{AwardRequest, JobEventView, JobSummary, Page};
use reqwest::StatusCode;
use time::Duration;

async fn events(app: &TestApp, job_id: i64) -> Vec<JobEventView> {
    json(app.get(&format!("/api/jobs/{job_id}/events")).await).await
}

fn count(events: &[JobEventView], kind: JobEvent) -> usize {
    events.iter().filter(|e| e.event == kind).count()
}

#[tokio::test]
async fn a_session_and_the_login_throttle_hold_on_every_instance() {
    let a = spawn_postgres_app().await;
    let b = spawn_instance_of(&a).await;

    // Signed in on one, the same cookie is a session on the other, and signing out ends both.
    let client = a.signed_in(ENTERPRISE).await;
    let me = client.get(b.url("/api/auth/me")).send().await.unwrap();
    assert_eq!(me.status(), StatusCode::OK);
    let out = b
        .post_as(&client, "/api/auth/logout", &serde_json::json!({}))
        .await;
    assert!(out.status().is_success(), "{}", out.status());
    let me = client.get(a.url("/api/auth/me")).send().await.unwrap();
    assert_eq!(me.status(), StatusCode::UNAUTHORIZED);

    // Five failures spread over both instances lock the account on both.
    for app in [&a, &b, &a, &b, &a] {
        let response = app.login("demo_enterprise", "guessing wrong").await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    }
    for app in [&a, &b] {
        let locked = app.login("demo_enterprise", "Qiye@2026demo").await;
        assert_error(locked, StatusCode::TOO_MANY_REQUESTS, "too_many_attempts").await;
    }
}

#[tokio::test]
async fn a_notification_written_on_one_instance_reaches_a_stream_on_the_other() {
    let a = spawn_postgres_app().await;
    let b = spawn_instance_of(&a).await;
    let enterprise = a.signed_in(ENTERPRISE).await;
    let bidders = agencies(&a, 1).await;

    let mut stream = bidders[0]
        .1
        .get(b.url("/api/notifications/stream"))
        .send()
        .await
        .unwrap();
    assert_eq!(stream.status(), StatusCode::OK);
    next_event(&mut stream, "unread").await;

    // Published through the first instance; pushed by the second, within next_event's 5 s.
    let job = published_job(&a, &enterprise, &job_draft(SelectionMethod::LowestPrice)).await;
    let pushed = next_event(&mut stream, "notification").await;
    assert!(pushed.contains(&format!("/jobs/{}", job.id)), "{pushed}");
}

#[tokio::test]
async fn the_deadline_opens_a_job_once_and_concurrent_selections_have_one_winner() {
    let a = spawn_postgres_app().await;
    let b = spawn_instance_of(&a).await;
    let enterprise = a.signed_in(ENTERPRISE).await;
    let bidders = agencies(&a, 3).await;
    let job = published_job(&a, &enterprise, &job_draft(SelectionMethod::LowestPrice)).await;
    for ((_, client), price) in bidders.iter().zip([9, 8, 10]) {
        let placed = a
            .post_as(client, &format!("/api/jobs/{}/bids", job.id), &bid(price))
            .await;
        assert_eq!(placed.status(), StatusCode::CREATED);
    }

    // Both instances find the job due at once (each may count it); one opens it.
    for app in [&a, &b] {
        app.clock.advance(Duration::hours(25));
    }
    let (on_a, on_b) = tokio::join!(
        market_server::due::settle_due_jobs(&a.state),
        market_server::due::settle_due_jobs(&b.state)
    );
    assert!(on_a.unwrap() + on_b.unwrap() >= 1);
    let history = events(&b, job.id).await;
    assert_eq!(count(&history, JobEvent::Opened), 1, "{history:?}");

    // The owner selects through both instances at once: one award.
    let enterprise = a.signed_in(ENTERPRISE).await;
    let path = format!("/api/jobs/{}/award", job.id);
    let request = AwardRequest::default();
    let (first, second) = tokio::join!(
        a.post_as(&enterprise, &path, &request),
        b.post_as(&enterprise, &path, &request)
    );
    let mut statuses = [first.status().as_u16(), second.status().as_u16()];
    statuses.sort();
    assert_eq!(statuses, [200, 409]);
    assert_eq!(count(&events(&a, job.id).await, JobEvent::Awarded), 1);
}

#[tokio::test]
async fn a_reminder_and_a_daily_root_are_written_once_whichever_instances_run_them() {
    let a = spawn_postgres_app().await;
    let b = spawn_instance_of(&a).await;
    let enterprise = a.signed_in(ENTERPRISE).await;
    let bidders = agencies(&a, 1).await;
    let draft = market_domain::job::JobDraft {
        deadline: "2026-12-05T09:00:00+08:00".into(),
        ..job_draft(SelectionMethod::LowestPrice)
    };
    let job = published_job(&a, &enterprise, &draft).await;
    let path = format!("/api/jobs/{}/bids", job.id);
    assert_eq!(
        a.post_as(&bidders[0].1, &path, &bid(9)).await.status(),
        StatusCode::CREATED
    );
    // New terms void the bid: its agency is reminded a day before the deadline.
    let changed = market_domain::job::JobDraft {
        budget_ceiling: 12 * crate::jobs::WAN,
        ..draft
    };
    let amended = a
        .put_as(&enterprise, &format!("/api/jobs/{}", job.id), &changed)
        .await;
    assert_eq!(amended.status(), StatusCode::OK);
    let soon = a.clock_now() + Duration::days(6) + Duration::hours(1);
    a.clock.set(soon);
    b.clock.set(soon);

    tokio::join!(
        market_server::due::run_due_work(&a.state),
        market_server::due::run_due_work(&b.state)
    );
    let voided = b.signed_in(("eia_agency_0", "agency password")).await;
    let inbox: market_domain::notify::Inbox =
        json(b.get_as(&voided, "/api/notifications").await).await;
    let reminders = inbox
        .items
        .iter()
        .filter(|n| n.kind == market_domain::notify::NotificationKind::DeadlineSoon)
        .count();
    assert_eq!(reminders, 1, "{inbox:?}");

    // The days before are sealed once, by whichever instance came first.
    let (on_a, on_b) = tokio::join!(
        market_server::transparency::seal_past_days(&a.state),
        market_server::transparency::seal_past_days(&b.state)
    );
    assert!(on_a.unwrap() + on_b.unwrap() > 0, "new days to seal");
    assert_eq!(
        market_server::transparency::seal_past_days(&a.state)
            .await
            .unwrap(),
        0
    );
    let roots: Vec<market_domain::wire::DailyRootView> =
        json(a.get("/api/transparency/roots").await).await;
    let mut days: Vec<&str> = roots.iter().map(|r| r.day.as_str()).collect();
    let listed = days.len();
    days.sort();
    days.dedup();
    assert_eq!(days.len(), listed, "a day sealed twice");
}

#[tokio::test]
async fn what_one_instance_publishes_the_other_finds_in_its_search() {
    let a = spawn_postgres_app().await;
    let b = spawn_instance_of(&a).await;
    // Each builds its indexes before the change.
    let query = "/api/jobs?q=双实例检索";
    for app in [&a, &b] {
        let page: Page<JobSummary> = json(app.get(query).await).await;
        assert_eq!(page.total, 0);
    }
    let enterprise = a.signed_in(ENTERPRISE).await;
    let draft = market_domain::job::JobDraft {
        project_name: "云州市双实例检索验证工程".into(),
        ..job_draft(SelectionMethod::LowestPrice)
    };
    let job = published_job(&a, &enterprise, &draft).await;
    // The first instance prunes the change feed before the second has read the change.
    a.get(query).await;
    a.store.prune_search_feed().await.unwrap();
    let page: Page<JobSummary> = json(b.get(query).await).await;
    assert_eq!(
        page.items.iter().map(|j| j.id).collect::<Vec<_>>(),
        [job.id]
    );
}
