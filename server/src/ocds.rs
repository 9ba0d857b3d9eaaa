//! Open data: every published job as an OCDS 1.1 release, a change feed with a stable cursor,
//! and a record package per job. Bid details appear only after the deadline opened the bids.

use crate::clock::to_rfc3339;
use crate::error::{ApiError, ApiResult};
use crate::http::query::ApiQuery;
use crate::jobs::finalise_award;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use market_domain::ocds::{
    release, LinkedRelease, Links, Record, RecordPackage, Release, ReleasePackage, ReleaseSource,
    BID_EXTENSION, OCID_PREFIX, PUBLISHER,
};
use market_domain::FieldError;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;
use utoipa_axum::{router::OpenApiRouter, routes};

const PAGE: u32 = 50;
const MAX_PAGE: u32 = 200;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_releases))
        .routes(routes!(get_release))
        .routes(routes!(get_record))
}

#[derive(serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct FeedQuery {
    /// RFC 3339 时间:只返回此后有变化的项目。
    #[param(value_type = Option<String>, format = DateTime)]
    since: Option<String>,
    /// 上一页返回的 `links.next` 中的游标。
    #[param(value_type = Option<i64>, minimum = 0)]
    cursor: Option<String>,
    /// 每页条数,1–200,默认 50。
    #[param(value_type = Option<u32>, minimum = 1, maximum = 200)]
    limit: Option<String>,
}

/// What is wrong with a feed query, as a field error like every other list's (422).
#[derive(Debug, thiserror::Error)]
enum FeedError {
    #[error("since 应为 RFC 3339 时间,例如 2026-11-01T00:00:00+08:00")]
    Since,
    #[error("cursor 无效:请使用上一页返回的 links.next")]
    Cursor,
    #[error("limit 应为 1–200 的整数")]
    Limit,
}

market_domain::violation! {
    FeedError,
    FeedError::Since => "bad_since", "since is an RFC 3339 time, e.g. 2026-11-01T00:00:00+08:00";
    FeedError::Cursor => "bad_cursor", "Invalid cursor: use the previous page's links.next";
    FeedError::Limit => "bad_limit", "limit is a whole number 1–200";
}

fn bad(field: &str, error: FeedError) -> ApiError {
    ApiError::field(FieldError::new(field, &error))
}

async fn built(state: &AppState, mut source: ReleaseSource) -> ApiResult<Release> {
    finalise_award(state, &mut source.job).await?;
    Ok(release(&source))
}

#[utoipa::path(
    get,
    path = "/api/ocds/releases",
    tag = "open-data",
    summary = "OCDS 1.1 变更订阅:按游标分页的发布包",
    params(FeedQuery),
    responses((status = 200, description = "成功", body = ReleasePackage)),
)]
async fn list_releases(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<FeedQuery>,
) -> ApiResult<Json<ReleasePackage>> {
    let since = match query.since.as_deref().filter(|s| !s.is_empty()) {
        Some(text) => OffsetDateTime::parse(text, &Rfc3339)
            .map_err(|_| bad("since", FeedError::Since))?
            .unix_timestamp(),
        None => i64::MIN,
    };
    let after = match query.cursor.as_deref().filter(|s| !s.is_empty()) {
        Some(text) => market_domain::ocds::parse_cursor(text)
            .ok_or_else(|| bad("cursor", FeedError::Cursor))?,
        None => 0,
    };
    let limit = match query.limit.as_deref() {
        Some(text) => text
            .parse::<u32>()
            .ok()
            .filter(|l| (1..=MAX_PAGE).contains(l))
            .ok_or_else(|| bad("limit", FeedError::Limit))?,
        None => PAGE,
    };
    // Jobs past their deadline are opened first (by the background task), so the feed never
    // shows a stale "active" tender.
    crate::jobs::let_due_work_run(&state).await?;
    let page = state.store.changed_releases(after, since, limit).await?;
    let next_cursor = page.last().map(|(cursor, _)| *cursor);
    let full = page.len() as u32 == limit;
    let mut releases = Vec::with_capacity(page.len());
    for (_, source) in page {
        releases.push(built(&state, source).await?);
    }
    let base = &state.config.public_url;
    let since_part = query
        .since
        .as_deref()
        .filter(|s| !s.is_empty())
        .map(|since| format!("&since={}", market_domain::wire::percent_encode(since)))
        .unwrap_or_default();
    let next = format!(
        "{base}/api/ocds/releases?cursor={}&limit={limit}{since_part}",
        next_cursor.unwrap_or(after)
    );
    let first = format!("{base}/api/ocds/releases?limit={limit}{since_part}");
    let links = Links {
        next: full.then_some(next),
        prev: (after > 0).then_some(first),
    };
    Ok(Json(package(
        &state,
        format!("{base}/api/ocds/releases"),
        releases,
        Some(links),
    )))
}

/// This platform's release package around `releases`, published now.
fn package(
    state: &AppState,
    uri: String,
    releases: Vec<Release>,
    links: Option<Links>,
) -> ReleasePackage {
    ReleasePackage {
        uri,
        version: "1.1",
        published_date: to_rfc3339(state.clock.now()),
        publisher: PUBLISHER,
        extensions: vec![BID_EXTENSION],
        releases,
        links,
    }
}

fn job_of(ocid: &str) -> ApiResult<i64> {
    ocid.strip_prefix(OCID_PREFIX)
        .and_then(|rest| rest.strip_prefix('-'))
        .and_then(|id| id.parse::<i64>().ok())
        .ok_or(ApiError::NotFound)
}

/// `ocds-yz0zjc-{job}-{n}`: a release id rather than an ocid.
fn is_release_id(id: &str) -> bool {
    id.strip_prefix(OCID_PREFIX)
        .and_then(|rest| rest.strip_prefix('-'))
        .and_then(|rest| rest.split_once('-'))
        .is_some_and(|(job, n)| job.parse::<i64>().is_ok() && n.parse::<i64>().is_ok())
}

async fn current(state: &AppState, ocid: &str) -> ApiResult<Release> {
    let job_id = job_of(ocid)?;
    crate::jobs::let_due_work_run(state).await?;
    let source = state
        .store
        .release_source(job_id)
        .await?
        .ok_or(ApiError::NotFound)?;
    built(state, source).await
}

#[utoipa::path(
    get,
    path = "/api/ocds/releases/{ocid}",
    tag = "open-data",
    summary = "单个项目的当前 OCDS 发布,或按发布编号取当时发布的版本(均为只含这一条发布的发布包)",
    params(("ocid" = String, Path, description = "OCDS 编号(如 ocds-yz0zjc-12,返回当前发布)或发布编号(如 ocds-yz0zjc-12-5,返回当时发布的版本)")),
    responses((status = 200, description = "成功", body = ReleasePackage)),
)]
async fn get_release(
    State(state): State<AppState>,
    Path(ocid): Path<String>,
) -> ApiResult<Response> {
    // OCDS publishes releases only inside packages; a package of one keeps each release's own
    // URL valid where a record links to it.
    let uri = format!("{}/api/ocds/releases/{ocid}", state.config.public_url);
    if is_release_id(&ocid) {
        let stored = state
            .store
            .stored_release(&ocid)
            .await?
            .ok_or(ApiError::NotFound)?;
        let release: serde_json::Value = serde_json::from_str(&stored)
            .map_err(|e| ApiError::Internal(format!("stored OCDS release {ocid}: {e}")))?;
        let mut body = serde_json::to_value(package(&state, uri, Vec::new(), None))
            .map_err(|e| ApiError::Internal(format!("OCDS package: {e}")))?;
        body["releases"] = serde_json::Value::Array(vec![release]);
        return Ok(Json(body).into_response());
    }
    let release = current(&state, &ocid).await?;
    Ok(Json(package(&state, uri, vec![release], None)).into_response())
}

/// The record of one job: its current release, linked and compiled.
#[utoipa::path(
    get,
    path = "/api/ocds/records/{ocid}",
    tag = "open-data",
    summary = "单个项目的 OCDS 记录包",
    params(("ocid" = String, Path, description = "OCDS 编号,如 ocds-yz0zjc-12")),
    responses((status = 200, description = "成功", body = RecordPackage)),
)]
async fn get_record(
    State(state): State<AppState>,
    Path(ocid): Path<String>,
) -> ApiResult<Json<RecordPackage>> {
    let mut compiled = current(&state, &ocid).await?;
    let base = &state.config.public_url;
    let releases = state
        .store
        .stored_releases(job_of(&ocid)?)
        .await?
        .into_iter()
        .map(|(id, date, tag)| LinkedRelease {
            // The package that holds the release, with the release id as fragment (OCDS).
            url: format!("{base}/api/ocds/releases/{id}#{id}"),
            date,
            tag,
        })
        .collect();
    compiled.tag = vec!["compiled"];
    Ok(Json(RecordPackage {
        uri: format!("{base}/api/ocds/records/{ocid}"),
        version: "1.1",
        published_date: to_rfc3339(state.clock.now()),
        publisher: PUBLISHER,
        extensions: vec![BID_EXTENSION],
        records: vec![Record {
            ocid: compiled.ocid.clone(),
            releases,
            compiled_release: compiled,
        }],
    }))
}
