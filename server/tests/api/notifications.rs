//! Notifications: who hears of what, muting, the inbox, deadline reminders and the live stream.

use crate::helpers::*;
use crate::jobs::{agencies, award_by_price, bid, job_draft, published_job, WAN};
use market_domain::job::JobDraft;
use market_domain::notify::{Inbox, NotificationKind, NotificationSettings, UnreadCount};
use market_domain::selection::SelectionMethod;
use market_domain::wire::JobView;
use reqwest::StatusCode;
use time::Duration;

async fn inbox(app: &TestApp, client: &reqwest::Client) -> Inbox {
    let response = app.get_as(client, "/api/notifications").await;
    assert_eq!(response.status(), StatusCode::OK);
    json(response).await
}

fn kinds(inbox: &Inbox) -> Vec<NotificationKind> {
    inbox.items.iter().map(|n| n.kind).collect()
}

#[tokio::test]
async fn a_published_job_reaches_agencies_offering_its_service_unless_they_muted_it() {
    let app = spawn_app().await;
    let enterprise = app.signed_in(ENTERPRISE).await;
    let bidders = agencies(&app, 2).await;
    let muted = app
        .put_as(
            &bidders[1].1,
            "/api/notifications/settings",
            &serde_json::json!({ "muted": ["new_job"] }),
        )
        .await;
    assert_eq!(muted.status(), StatusCode::OK);
    let settings: NotificationSettings = json(muted).await;
    assert_eq!(settings.muted, [NotificationKind::NewJob]);

    let job = published_job(&app, &enterprise, &job_draft(SelectionMethod::LowestPrice)).await;

    let heard = inbox(&app, &bidders[0].1).await;
    assert_eq!(kinds(&heard), [NotificationKind::NewJob]);
    assert_eq!(heard.unread, 1);
    assert_eq!(heard.items[0].link, format!("/jobs/{}", job.id));
    assert!(
        heard.items[0].title.contains("云州市滨湖片区污水处理厂"),
        "{:?}",
        heard.items[0]
    );
    // The codes it was written from travel with it, so an English reader gets English.
    assert!(
        heard.items[0].subject.as_ref().is_some_and(|s| matches!(
            s,
            market_domain::notify::NotificationSubject::Job {
                event: market_domain::job::JobEvent::Published,
                ..
            }
        )),
        "{:?}",
        heard.items[0]
    );
    assert!(heard.items[0]
        .title_in(market_domain::Locale::En)
        .starts_with("New "));
    assert!(inbox(&app, &bidders[1].1).await.items.is_empty(), "muted");
    assert!(
        !kinds(&inbox(&app, &enterprise).await).contains(&NotificationKind::NewJob),
        "only agencies hear of new jobs"
    );
}

#[tokio::test]
async fn opening_and_the_award_reach_the_owner_and_every_bidder() {
    let app = spawn_app().await;
    let enterprise = app.signed_in(ENTERPRISE).await;
    let bidders = agencies(&app, 3).await;
    let job = published_job(&app, &enterprise, &job_draft(SelectionMethod::LowestPrice)).await;
    for (n, (_, client)) in bidders.iter().enumerate() {
        let path = format!("/api/jobs/{}/bids", job.id);
        let placed = app.post_as(client, &path, &bid(9 - n as i64)).await;
        assert_eq!(placed.status(), StatusCode::CREATED);
    }
    app.clock.advance(Duration::hours(25));
    market_server::due::run_due_work(&app.state).await;
    // A day later the sessions have timed out: sign in again.
    let enterprise = app.signed_in(ENTERPRISE).await;
    let bidders = [
        app.signed_in(("eia_agency_0", "agency password")).await,
        app.signed_in(("eia_agency_1", "agency password")).await,
        app.signed_in(("eia_agency_2", "agency password")).await,
    ];
    let opened: JobView = json(app.get(&format!("/api/jobs/{}", job.id)).await).await;
    assert_eq!(opened.bid_count, Some(3));
    award_by_price(&app, job.id).await;

    for client in &bidders {
        let heard = kinds(&inbox(&app, client).await);
        assert!(heard.contains(&NotificationKind::BidsOpened), "{heard:?}");
        assert!(heard.contains(&NotificationKind::AwardResult), "{heard:?}");
    }
    let owner = kinds(&inbox(&app, &enterprise).await);
    assert!(owner.contains(&NotificationKind::BidsOpened));
    assert!(owner.contains(&NotificationKind::AwardResult));
}

#[tokio::test]
async fn a_voided_bid_is_reminded_once_a_day_before_the_deadline_and_not_after_reconfirming() {
    let app = spawn_app().await;
    let enterprise = app.signed_in(ENTERPRISE).await;
    let bidders = agencies(&app, 2).await;
    let draft = JobDraft {
        deadline: "2026-12-05T09:00:00+08:00".into(),
        ..job_draft(SelectionMethod::LowestPrice)
    };
    let job = published_job(&app, &enterprise, &draft).await;
    let path = format!("/api/jobs/{}/bids", job.id);
    for (_, client) in &bidders {
        assert_eq!(
            app.post_as(client, &path, &bid(9)).await.status(),
            StatusCode::CREATED
        );
    }
    let changed = JobDraft {
        budget_ceiling: 12 * WAN,
        ..draft
    };
    let amended = app
        .put_as(&enterprise, &format!("/api/jobs/{}", job.id), &changed)
        .await;
    assert_eq!(amended.status(), StatusCode::OK);
    assert!(kinds(&inbox(&app, &bidders[0].1).await).contains(&NotificationKind::BidVoided));
    // The second agency confirms again under the new terms.
    let reconfirmed = app.post_as(&bidders[1].1, &path, &bid(9)).await;
    assert_eq!(reconfirmed.status(), StatusCode::CREATED);

    // More than 24 h before the deadline: nothing yet.
    app.clock.advance(Duration::days(6) - Duration::hours(1));
    market_server::due::run_due_work(&app.state).await;
    let voided = app.signed_in(("eia_agency_0", "agency password")).await;
    assert!(!kinds(&inbox(&app, &voided).await).contains(&NotificationKind::DeadlineSoon));

    app.clock.advance(Duration::hours(2));
    market_server::due::run_due_work(&app.state).await;
    market_server::due::run_due_work(&app.state).await;
    let voided = app.signed_in(("eia_agency_0", "agency password")).await;
    let reconfirmed = app.signed_in(("eia_agency_1", "agency password")).await;
    let reminded: Vec<_> = kinds(&inbox(&app, &voided).await)
        .into_iter()
        .filter(|k| *k == NotificationKind::DeadlineSoon)
        .collect();
    assert_eq!(reminded.len(), 1, "once, however often the watch runs");
    assert!(!kinds(&inbox(&app, &reconfirmed).await).contains(&NotificationKind::DeadlineSoon));
}

#[tokio::test]
async fn reading_marks_only_the_readers_own_notifications() {
    let app = spawn_app().await;
    let enterprise = app.signed_in(ENTERPRISE).await;
    let bidders = agencies(&app, 2).await;
    published_job(&app, &enterprise, &job_draft(SelectionMethod::LowestPrice)).await;
    let theirs = inbox(&app, &bidders[1].1).await.items[0].id;
    let mine = inbox(&app, &bidders[0].1).await.items[0].id;

    let response = app
        .post_as(
            &bidders[0].1,
            "/api/notifications/read",
            &serde_json::json!({ "ids": [theirs] }),
        )
        .await;
    let count: UnreadCount = json(response).await;
    assert_eq!(count.unread, 1, "another user's id changes nothing");
    assert_eq!(inbox(&app, &bidders[1].1).await.unread, 1);

    let response = app
        .post_as(
            &bidders[0].1,
            "/api/notifications/read",
            &serde_json::json!({ "ids": [mine] }),
        )
        .await;
    assert_eq!(json::<UnreadCount>(response).await.unread, 0);
    assert!(inbox(&app, &bidders[0].1).await.items[0].read);

    let everything = app
        .post_as(
            &bidders[1].1,
            "/api/notifications/read",
            &serde_json::json!({}),
        )
        .await;
    assert_eq!(json::<UnreadCount>(everything).await.unread, 0);
}

#[tokio::test]
async fn the_inbox_needs_a_session_and_settings_refuse_unknown_kinds() {
    let app = spawn_app().await;
    for path in [
        "/api/notifications",
        "/api/notifications/settings",
        "/api/notifications/stream",
    ] {
        assert_error(
            app.get(path).await,
            StatusCode::UNAUTHORIZED,
            "not_authenticated",
        )
        .await;
    }
    assert_error(
        app.post_json("/api/notifications/read", &serde_json::json!({}))
            .await,
        StatusCode::UNAUTHORIZED,
        "not_authenticated",
    )
    .await;
    let agency = app.signed_in(AGENCY).await;
    let refused = app
        .put_as(
            &agency,
            "/api/notifications/settings",
            &serde_json::json!({ "muted": ["spam"] }),
        )
        .await;
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    let body: serde_json::Value = refused.json().await.unwrap();
    assert!(body["error"]["code"].is_string(), "{body}");
    let settings: NotificationSettings =
        json(app.get_as(&agency, "/api/notifications/settings").await).await;
    assert!(settings.muted.is_empty(), "nothing was saved");
}

/// Reads the stream until an event of `kind` arrives, returning its raw text.
pub(crate) async fn next_event(response: &mut reqwest::Response, kind: &str) -> String {
    let mut buffer = String::new();
    loop {
        let chunk = tokio::time::timeout(std::time::Duration::from_secs(5), response.chunk())
            .await
            .expect("an event within 5 s")
            .unwrap()
            .expect("the stream stays open");
        buffer.push_str(&String::from_utf8_lossy(&chunk));
        while let Some(end) = buffer.find("\n\n") {
            let event: String = buffer.drain(..end + 2).collect();
            if event.contains(&format!("event: {kind}\n")) {
                return event;
            }
        }
    }
}

#[tokio::test]
async fn the_stream_pushes_new_notifications_and_resumes_after_the_last_event_id() {
    let app = spawn_app().await;
    let enterprise = app.signed_in(ENTERPRISE).await;
    let bidders = agencies(&app, 1).await;
    let mut stream = bidders[0]
        .1
        .get(app.url("/api/notifications/stream"))
        .send()
        .await
        .unwrap();
    assert_eq!(stream.status(), StatusCode::OK);
    assert_eq!(
        stream.headers()["content-type"].to_str().unwrap(),
        "text/event-stream"
    );
    let first = next_event(&mut stream, "unread").await;
    assert!(first.contains(r#"{"unread":0}"#), "{first}");

    let job = published_job(&app, &enterprise, &job_draft(SelectionMethod::LowestPrice)).await;
    let pushed = next_event(&mut stream, "notification").await;
    assert!(pushed.contains(&format!("/jobs/{}", job.id)), "{pushed}");
    assert!(pushed.contains(r#""unread":1"#), "{pushed}");
    let id: i64 = pushed
        .lines()
        .find_map(|line| line.strip_prefix("id: "))
        .unwrap()
        .parse()
        .unwrap();
    drop(stream);

    // While disconnected, another job is published; reconnecting with the last id delivers it.
    let second = published_job(&app, &enterprise, &job_draft(SelectionMethod::RandomDraw)).await;
    let mut resumed = bidders[0]
        .1
        .get(app.url("/api/notifications/stream"))
        .header("Last-Event-ID", id.to_string())
        .send()
        .await
        .unwrap();
    let missed = next_event(&mut resumed, "notification").await;
    assert!(missed.contains(&format!("/jobs/{}", second.id)), "{missed}");
}
