//! The signed-in user's notification inbox: list, mark read, mute kinds, and a live stream of
//! server-sent events that a reconnecting browser resumes from its `Last-Event-ID`.

use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult};
use crate::http::json::ApiJson;
use crate::state::AppState;
use crate::store::Pushed;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::Json;
use futures_util::stream::{self, Stream};
use market_domain::notify::{
    Inbox, MarkRead, NotificationKind, NotificationSettings, NotificationView, PushedNotification,
    UnreadCount,
};
use std::collections::VecDeque;
use std::convert::Infallible;
use std::time::Duration;
use tokio::sync::{broadcast, watch};
use utoipa_axum::{router::OpenApiRouter, routes};

const PAGE: u32 = 50;
/// What the browser waits before reconnecting a dropped stream.
const RETRY: Duration = Duration::from_secs(1);

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_notifications))
        .routes(routes!(mark_read))
        .routes(routes!(get_settings, update_settings))
        .routes(routes!(stream_notifications))
}

#[derive(serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct InboxQuery {
    /// 翻页:只返回编号小于此值的通知。
    before: Option<i64>,
}

#[utoipa::path(
    get,
    path = "/api/notifications",
    tag = "notifications",
    summary = "站内通知(分页)",
    params(InboxQuery),
    responses((status = 200, description = "成功", body = Inbox)),
    security(("session" = [])),
)]
async fn list_notifications(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<InboxQuery>,
) -> ApiResult<Json<Inbox>> {
    Ok(Json(
        state.store.inbox(user.user_id, query.before, PAGE).await?,
    ))
}

#[utoipa::path(
    post,
    path = "/api/notifications/read",
    tag = "notifications",
    summary = "标记通知为已读",
    request_body = MarkRead,
    responses((status = 200, description = "成功", body = UnreadCount)),
    security(("session" = [])),
)]
async fn mark_read(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(request): ApiJson<MarkRead>,
) -> ApiResult<Json<UnreadCount>> {
    if request.ids.as_ref().is_some_and(|ids| ids.len() > 500) {
        return Err(ApiError::BadRequest {
            code: "too_many_ids",
            message: "一次最多标记 500 条通知".into(),
            field: Some("ids".into()),
        });
    }
    let unread = state
        .store
        .mark_notifications_read(user.user_id, request.ids, state.clock.now())
        .await?;
    Ok(Json(UnreadCount { unread }))
}

#[utoipa::path(
    get,
    path = "/api/notifications/settings",
    tag = "notifications",
    summary = "通知免打扰设置",
    responses((status = 200, description = "成功", body = NotificationSettings)),
    security(("session" = [])),
)]
async fn get_settings(
    State(state): State<AppState>,
    user: CurrentUser,
) -> ApiResult<Json<NotificationSettings>> {
    Ok(Json(NotificationSettings {
        muted: state.store.notification_mutes(user.user_id).await?,
    }))
}

/// Unknown kinds are refused by deserialisation (`unknown variant`), with the field named.
#[utoipa::path(
    put,
    path = "/api/notifications/settings",
    tag = "notifications",
    summary = "修改通知免打扰设置",
    request_body = NotificationSettings,
    responses((status = 200, description = "成功", body = NotificationSettings)),
    security(("session" = [])),
)]
async fn update_settings(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(request): ApiJson<NotificationSettings>,
) -> ApiResult<Json<NotificationSettings>> {
    let mut muted = request.muted;
    muted.sort_by_key(|kind| NotificationKind::ALL.iter().position(|k| k == kind));
    muted.dedup();
    state
        .store
        .set_notification_mutes(user.user_id, muted)
        .await?;
    get_settings(State(state), user).await
}

#[derive(serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct StreamQuery {
    /// For a client that opens a new stream itself: the last id it has seen.
    after: Option<i64>,
}

struct Live {
    user_id: i64,
    last_sent: i64,
    backlog: VecDeque<Event>,
    pushed: broadcast::Receiver<Pushed>,
    closing: watch::Receiver<bool>,
}

fn notification_event(notification: NotificationView, unread: i64) -> Event {
    let id = notification.id;
    let payload = PushedNotification {
        notification,
        unread,
    };
    Event::default()
        .event("notification")
        .id(id.to_string())
        .json_data(payload)
        .unwrap_or_else(|_| Event::default().comment("unserialisable"))
}

fn unread_event(unread: i64) -> Event {
    Event::default()
        .event("unread")
        .json_data(UnreadCount { unread })
        .unwrap_or_else(|_| Event::default().comment("unserialisable"))
}

/// Subscribes before reading the backlog, so nothing written in between is lost; ids already
/// sent from the backlog are skipped when they arrive live.
#[utoipa::path(
    get,
    path = "/api/notifications/stream",
    tag = "notifications",
    summary = "实时通知推送(Server-Sent Events,支持 Last-Event-ID 续传)",
    params(StreamQuery, ("Last-Event-ID" = Option<i64>, Header, description = "断线重连时浏览器自动带上的最后一条通知编号")),
    responses((status = 200, description = "事件流:每条 data 为一条 PushedNotification 的 JSON,id 为通知编号", content_type = "text/event-stream", body = PushedNotification)),
    security(("session" = [])),
)]
async fn stream_notifications(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Query(query): Query<StreamQuery>,
) -> ApiResult<Sse<impl Stream<Item = Result<Event, Infallible>>>> {
    let pushed = state.store.subscribe_notifications();
    let resume_from = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<i64>().ok())
        .or(query.after);
    let unread = state.store.unread_notifications(user.user_id).await?;
    let mut backlog = VecDeque::from([Event::default().retry(RETRY), unread_event(unread)]);
    let mut last_sent = 0;
    if let Some(after) = resume_from {
        let missed = state.store.notifications_after(user.user_id, after).await?;
        last_sent = missed.last().map_or(after, |n| n.id);
        backlog.extend(missed.into_iter().map(|n| notification_event(n, unread)));
    }
    let live = Live {
        user_id: user.user_id,
        last_sent,
        backlog,
        pushed,
        closing: state.closing.subscribe(),
    };
    let events = stream::unfold(live, |mut live| async move {
        if let Some(event) = live.backlog.pop_front() {
            return Some((Ok(event), live));
        }
        loop {
            let received = tokio::select! {
                received = live.pushed.recv() => received,
                _ = live.closing.wait_for(|closing| *closing) => return None,
            };
            match received {
                Ok(pushed)
                    if pushed.user_id == live.user_id
                        && pushed.event.notification.id > live.last_sent =>
                {
                    live.last_sent = pushed.event.notification.id;
                    let event = notification_event(pushed.event.notification, pushed.event.unread);
                    return Some((Ok(event), live));
                }
                Ok(_) => continue,
                // Too slow a reader, or the store is gone: end the stream; the browser
                // reconnects with its last id and gets what it missed.
                Err(_) => return None,
            }
        }
    });
    Ok(Sse::new(events).keep_alive(KeepAlive::default()))
}
