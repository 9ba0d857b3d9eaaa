//! The signed-in user's notification inbox: list, mark read, mute kinds, and a live stream of
//! server-sent events that a reconnecting browser resumes from its `Last-Event-ID`.

use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult};
use crate::http::json::ApiJson;
use crate::http::query::ApiQuery;
use crate::state::AppState;
use crate::store::Pushed;
use axum::extract::State;
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
use utoipa::openapi::schema::{ObjectBuilder, OneOfBuilder, Schema, Type};
use utoipa::openapi::{Object, RefOr};
use utoipa::{PartialSchema, ToSchema};
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
    ApiQuery(query): ApiQuery<InboxQuery>,
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
            message_en: "At most 500 notifications can be marked at once".into(),
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

/// Streams one account may hold open at once (tabs and devices); more is abuse.
pub const MAX_STREAMS_PER_USER: usize = 5;
/// How often an open stream checks that its session still lives, so a logout or an expiry
/// ends it even when no notification arrives.
const SESSION_CHECK: Duration = Duration::from_secs(15);

/// Open streams per account; a `StreamSlot` gives its place back when the stream is dropped.
#[derive(Default)]
pub struct StreamSlots {
    open: std::sync::Mutex<std::collections::HashMap<i64, usize>>,
}

pub struct StreamSlot {
    slots: std::sync::Arc<StreamSlots>,
    user_id: i64,
}

impl StreamSlots {
    fn take(self: &std::sync::Arc<Self>, user_id: i64) -> Option<StreamSlot> {
        let mut open = self.open.lock().unwrap_or_else(|p| p.into_inner());
        let count = open.entry(user_id).or_default();
        if *count >= MAX_STREAMS_PER_USER {
            return None;
        }
        *count += 1;
        Some(StreamSlot {
            slots: std::sync::Arc::clone(self),
            user_id,
        })
    }
}

impl Drop for StreamSlot {
    fn drop(&mut self) {
        let mut open = self.slots.open.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(count) = open.get_mut(&self.user_id) {
            *count = count.saturating_sub(1);
            if *count == 0 {
                open.remove(&self.user_id);
            }
        }
    }
}

struct Live {
    state: AppState,
    token_hash: Vec<u8>,
    user_id: i64,
    last_sent: i64,
    backlog: VecDeque<Event>,
    pushed: broadcast::Receiver<Pushed>,
    closing: watch::Receiver<bool>,
    session_check: tokio::time::Interval,
    _slot: StreamSlot,
}

impl Live {
    /// The session is still valid; a logout, an idle or an absolute expiry ends the stream.
    async fn session_alive(&self) -> bool {
        crate::auth::session::is_live(&self.state, &self.token_hash).await
    }
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

/// One event of the stream, as OpenAPI 3.1 describes an item of `text/event-stream`: the
/// event name decides the shape of the JSON in `data`, so each name is its own branch.
struct StreamEvent;

impl utoipa::PartialSchema for StreamEvent {
    fn schema() -> RefOr<Schema> {
        OneOfBuilder::new()
            .item(stream_event(
                "unread",
                UnreadCount::name().as_ref(),
                "连接时的未读数",
            ))
            .item(stream_event(
                "notification",
                PushedNotification::name().as_ref(),
                "一条新通知及其后的未读数;id 为通知编号",
            ))
            .description(Some(
                "事件流中的一个事件:event 为事件名,data 为 JSON 文本,其结构由事件名决定",
            ))
            .into()
    }
}

impl utoipa::ToSchema for StreamEvent {
    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        schemas.push((UnreadCount::name().into(), UnreadCount::schema()));
        schemas.push((
            PushedNotification::name().into(),
            PushedNotification::schema(),
        ));
        PushedNotification::schemas(schemas);
    }
}

/// One branch of [`StreamEvent`]: `data` is a string of JSON (`contentMediaType`) whose shape
/// is the named component (`contentSchema`, which utoipa has no builder for).
fn stream_event(event: &str, data_schema: &str, description: &str) -> Object {
    let mut data = ObjectBuilder::new()
        .schema_type(Type::String)
        .content_media_type("application/json")
        .build();
    data.extensions.get_or_insert_with(Default::default).insert(
        "contentSchema".into(),
        serde_json::json!({ "$ref": format!("#/components/schemas/{data_schema}") }),
    );
    ObjectBuilder::new()
        .description(Some(description))
        .property(
            "event",
            ObjectBuilder::new()
                .schema_type(Type::String)
                .enum_values(Some([event])),
        )
        .required("event")
        .property("data", data)
        .required("data")
        .property("id", ObjectBuilder::new().schema_type(Type::String))
        .build()
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
    responses((status = 200, description = "事件流:event: unread 的 data 为 UnreadCount(连接时的未读数);event: notification 的 data 为 PushedNotification,id 为通知编号。每个账号最多同时打开 5 个连接,退出登录或会话过期后连接结束", content_type = "text/event-stream", body = StreamEvent)),
    security(("session" = [])),
)]
async fn stream_notifications(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    ApiQuery(query): ApiQuery<StreamQuery>,
) -> ApiResult<Sse<impl Stream<Item = Result<Event, Infallible>>>> {
    let slot = state
        .streams
        .take(user.user_id)
        .ok_or(ApiError::RateLimited {
            retry_after_secs: 30,
        })?;
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
    let mut session_check = tokio::time::interval(SESSION_CHECK);
    session_check.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    session_check.reset();
    let live = Live {
        closing: state.closing.subscribe(),
        state,
        token_hash: user.token_hash.clone(),
        user_id: user.user_id,
        last_sent,
        backlog,
        pushed,
        session_check,
        _slot: slot,
    };
    let events = stream::unfold(live, |mut live| async move {
        if let Some(event) = live.backlog.pop_front() {
            return Some((Ok(event), live));
        }
        loop {
            let woke = tokio::select! {
                received = live.pushed.recv() => Some(received),
                _ = live.closing.wait_for(|closing| *closing) => return None,
                _ = live.session_check.tick() => None,
            };
            let Some(received) = woke else {
                if live.session_alive().await {
                    continue;
                }
                return None;
            };
            match received {
                Ok(pushed)
                    if pushed.user_id == live.user_id
                        && pushed.event.notification.id > live.last_sent =>
                {
                    if !live.session_alive().await {
                        return None;
                    }
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
