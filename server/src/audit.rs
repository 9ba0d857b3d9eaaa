//! The audit trail 等保 2.0 level 3 asks for: every request that may change state is recorded
//! with who made it, from where and how it was answered, kept at least 180 days, and
//! regulators can export it. Sign-ins are recorded by `auth` itself, with their own outcomes.

use crate::auth::CurrentUser;
use crate::clock::{city_date, from_unix, to_rfc3339, CITY_OFFSET};
use crate::error::{ApiError, ApiResult};
use crate::http::client_ip;
use crate::http::query::ApiQuery;
use crate::state::AppState;
use crate::store::{AuditEntry, AuditRecord};
use axum::extract::{Request, State};
use axum::http::{header, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use market_domain::error::FieldError;
use market_domain::stats::{to_csv, Cell, Table};
use market_domain::wire::{AuditPage, AuditRecordView};
use market_domain::{CalendarDate, Role};
use std::sync::{Arc, Mutex};
use time::{Duration, OffsetDateTime};
use utoipa_axum::{router::OpenApiRouter, routes};

/// The shortest retention the server accepts, in days (等保 2.0 level 3: six months). The
/// database refuses to delete younger records too.
pub const MIN_RETENTION_DAYS: u32 = 180;

/// Rows per page of `GET /api/audit`, and per read while a CSV export is written.
const PAGE: u32 = 500;
/// The longest period one CSV export covers.
const MAX_EXPORT_DAYS: i64 = 366;

/// Paths whose handlers audit themselves with a finer outcome (`login` → `locked`, …).
const SELF_AUDITED: &[&str] = &["/api/auth/login", "/api/auth/logout", "/api/auth/register"];

/// Who a request acted as, filled in by the extractors that establish it, read back once the
/// response is ready. A slot rather than a second session lookup: the extractor already did it.
#[derive(Clone, Default)]
pub struct Actor(Arc<Mutex<Option<Who>>>);

/// The user id (none for an integration) and the name the record shows.
type Who = (Option<i64>, String);

impl Actor {
    /// Records the signed-in user (no-op outside an audited request).
    pub fn user(parts: &axum::http::request::Parts, user_id: i64, username: &str) {
        if let Some(actor) = parts.extensions.get::<Actor>() {
            *actor.0.lock().unwrap_or_else(|e| e.into_inner()) =
                Some((Some(user_id), username.to_owned()));
        }
    }

    /// Records the integration token a request came with.
    pub fn integration(parts: &axum::http::request::Parts, token_name: &str) {
        if let Some(actor) = parts.extensions.get::<Actor>() {
            *actor.0.lock().unwrap_or_else(|e| e.into_inner()) =
                Some((None, format!("integration:{token_name}")));
        }
    }
}

/// Middleware: records each API request that may change state, after it is answered. A failed
/// audit write is logged, not turned into an error: the change it describes already happened.
pub async fn record_changes(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path().to_owned();
    let changes = !matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if !changes || !path.starts_with("/api/") || SELF_AUDITED.contains(&path.as_str()) {
        return next.run(request).await;
    }
    let (mut parts, body) = request.into_parts();
    let ip = client_ip(&parts);
    let event = format!("{} {}", parts.method, truncated(&path, 300));
    let actor = Actor::default();
    parts.extensions.insert(actor.clone());
    let response = next.run(Request::from_parts(parts, body)).await;
    let who = actor.0.lock().unwrap_or_else(|e| e.into_inner()).take();
    let (user_id, username) = match who {
        Some((id, name)) => (id, Some(name)),
        None => (None, None),
    };
    let entry = AuditEntry {
        at: state.clock.now(),
        user_id,
        username,
        ip,
        event,
        outcome: response.status().as_u16().to_string(),
    };
    if let Err(error) = state.store.append_audit(entry).await {
        tracing::error!(
            ?error,
            "the audit record of a state change could not be written"
        );
    }
    response
}

fn truncated(text: &str, max: usize) -> &str {
    match text.char_indices().nth(max) {
        Some((at, _)) => &text[..at],
        None => text,
    }
}

/// Deletes records past the retention setting (never under [`MIN_RETENTION_DAYS`]).
pub async fn prune(state: &AppState) {
    let days = state.config.audit_retention_days.max(MIN_RETENTION_DAYS);
    let before = state.clock.now() - Duration::days(i64::from(days));
    match state.store.prune_audit(before).await {
        Ok(0) => {}
        Ok(gone) => tracing::info!(gone, days, "pruned audit records past their retention"),
        Err(error) => tracing::warn!(?error, "pruning the audit log failed"),
    }
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_audit))
        .routes(routes!(export_audit_csv))
}

#[derive(serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct AuditQuery {
    /// 起始日期(含),YYYY-MM-DD,城市时间;默认为 30 天前。
    from: Option<String>,
    /// 截止日期(含),YYYY-MM-DD;默认为今天。
    to: Option<String>,
    /// 续页:上一页的 next_after。
    after: Option<i64>,
}

/// The query's period as `[start, end)`, city days.
fn period(state: &AppState, query: &AuditQuery) -> ApiResult<(OffsetDateTime, OffsetDateTime)> {
    let now = state.clock.now();
    let today = city_date(now);
    let date = |field: &str, text: &Option<String>, default: CalendarDate| match text {
        None => Ok(default),
        Some(text) => CalendarDate::parse(text.trim())
            .map_err(|violation| ApiError::field(FieldError::new(field, &violation))),
    };
    let month_ago = city_date(now - Duration::days(30));
    let from = date("from", &query.from, month_ago)?;
    let to = date("to", &query.to, today)?;
    let days = from.days_until(to);
    if days < 0 {
        return Err(ApiError::BadRequest {
            code: "period_reversed",
            message: "起始日期晚于截止日期".into(),
            message_en: "The start date is after the end date".into(),
            field: Some("from".into()),
        });
    }
    if days >= MAX_EXPORT_DAYS {
        return Err(ApiError::BadRequest {
            code: "period_too_long",
            message: format!("一次最多导出 {MAX_EXPORT_DAYS} 天"),
            message_en: format!("One export covers at most {MAX_EXPORT_DAYS} days"),
            field: Some("to".into()),
        });
    }
    let start = |day: CalendarDate| {
        from_unix(day.days_since_epoch() * 86_400 - i64::from(CITY_OFFSET.whole_seconds()))
    };
    Ok((start(from), start(to) + Duration::days(1)))
}

fn view(record: AuditRecord) -> AuditRecordView {
    AuditRecordView {
        id: record.id,
        at: to_rfc3339(record.at),
        user_id: record.user_id,
        username: record.username,
        ip: record.ip,
        event: record.event,
        outcome: record.outcome,
    }
}

#[utoipa::path(
    get,
    path = "/api/audit",
    tag = "oversight",
    summary = "审计日志(仅监管部门):每一次修改数据的请求及登录事件",
    params(AuditQuery),
    responses((status = 200, description = "成功,按时间先后", body = AuditPage)),
    security(("session" = [])),
)]
async fn list_audit(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiQuery(query): ApiQuery<AuditQuery>,
) -> ApiResult<Json<AuditPage>> {
    user.require(Role::Regulator)?;
    let (from, to) = period(&state, &query)?;
    let mut items = state
        .store
        .audit_page(from, to, query.after.unwrap_or(0), PAGE + 1)
        .await?;
    let more = items.len() > PAGE as usize;
    items.truncate(PAGE as usize);
    let next_after = if more {
        items.last().map(|r| r.id)
    } else {
        None
    };
    Ok(Json(AuditPage {
        items: items.into_iter().map(view).collect(),
        next_after,
    }))
}

#[utoipa::path(
    get,
    path = "/api/audit/csv",
    tag = "oversight",
    summary = "导出审计日志为 CSV(仅监管部门,一次最多 366 天)",
    params(AuditQuery),
    responses((status = 200, description = "UTF-8 CSV(带 BOM,便于 Excel 打开)", content_type = "text/csv", body = String)),
    security(("session" = [])),
)]
async fn export_audit_csv(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiQuery(query): ApiQuery<AuditQuery>,
) -> ApiResult<Response> {
    user.require(Role::Regulator)?;
    let (from, to) = period(&state, &query)?;
    let mut rows = Vec::new();
    let mut after = query.after.unwrap_or(0);
    loop {
        let page = state.store.audit_page(from, to, after, PAGE).await?;
        let last = page.len() < PAGE as usize;
        for record in page {
            after = record.id;
            let view = view(record);
            rows.push(vec![
                Cell::Count(view.id),
                Cell::Text(view.at),
                Cell::Text(view.user_id.map(|id| id.to_string()).unwrap_or_default()),
                Cell::Text(view.username.unwrap_or_default()),
                Cell::Text(view.ip),
                Cell::Text(view.event),
                Cell::Text(view.outcome),
            ]);
        }
        if last {
            break;
        }
    }
    let table = Table {
        key: "audit",
        title: "审计日志".into(),
        columns: [
            "序号 id",
            "时间 at",
            "用户编号 user_id",
            "用户名 username",
            "地址 ip",
            "事件 event",
            "结果 outcome",
        ]
        .map(String::from)
        .to_vec(),
        rows,
    };
    let name = format!("audit-{}.csv", city_date(from));
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        to_csv(&table),
    )
        .into_response())
}
