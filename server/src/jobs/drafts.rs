//! Posting a job: the public list and detail, drafts, publishing, amending, cancelling and
//! reposting, and the job's timeline.

use super::service::{
    check_draft_deadline, deadline_of, load, owned_job, text_field, visible_to, wrong_state,
};
use crate::auth::CurrentUser;
use crate::error::{words, ApiError, ApiResult};
use crate::http::json::ApiJson;
use crate::http::path::PathId;
use crate::http::query::ApiQuery;
use crate::state::AppState;
use crate::store::{JobFilter, JobLine, JobRecord};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use market_domain::draw;
use market_domain::job::{Actor, JobEvent};
use market_domain::job::{JobDraft, JobState};
use market_domain::selection::SelectionMethod;
use market_domain::text::limits;
use market_domain::wire::{
    keyset_cursor_is_valid, parse_page, parse_per_page, parse_search, FilterError, JobEventView,
    JobSummary, JobView, JobViewer, Page,
};
use market_domain::{FieldError, Role, ServiceType};
use rand::RngCore;

#[derive(serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub(super) struct JobQuery {
    /// 项目状态代码,如 published、evaluating、publicity。
    state: Option<String>,
    /// 服务类型代码。
    service_type: Option<String>,
    /// 项目名称、服务内容或业主名称中的关键词(1 个字起)。
    q: Option<String>,
    /// 上一页返回的 next,用于翻到下一页(键集分页,任何深度都一样快)。
    after: Option<String>,
    /// 为 1 时只列自己的项目:业主为自己发布的(含草稿),机构为自己报过价的。需登录。
    #[param(value_type = Option<bool>)]
    mine: Option<String>,
    /// 页码,1–100000。
    #[param(value_type = Option<u32>, minimum = 1, maximum = 100000)]
    page: Option<String>,
    /// 每页条数,1–100。
    #[param(value_type = Option<u32>, minimum = 1, maximum = 100)]
    per_page: Option<String>,
}

#[utoipa::path(
    get,
    path = "/api/jobs",
    tag = "jobs",
    summary = "公开的采购项目列表(分页)",
    params(JobQuery),
    responses((status = 200, description = "成功", body = Page<JobSummary>)),
)]
pub(super) async fn list_jobs(
    State(state): State<AppState>,
    user: Option<CurrentUser>,
    ApiQuery(query): ApiQuery<JobQuery>,
) -> ApiResult<Json<Page<JobSummary>>> {
    let present = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    let bad = |field: &str, error: FilterError| ApiError::field(FieldError::new(field, &error));
    let filter = JobFilter {
        state: match present(&query.state) {
            None => None,
            Some(code) => Some(
                JobState::parse(&code).ok_or_else(|| bad("state", FilterError::UnknownState))?,
            ),
        },
        service_type: match present(&query.service_type) {
            None => None,
            Some(code) => Some(
                ServiceType::parse(&code)
                    .ok_or_else(|| bad("service_type", FilterError::UnknownServiceType))?,
            ),
        },
        page: parse_page(query.page.as_deref()).map_err(|e| bad("page", e))?,
        per_page: parse_per_page(query.per_page.as_deref()).map_err(|e| bad("per_page", e))?,
        q: parse_search(query.q.as_deref()).map_err(|e| bad("q", e))?,
        after: match present(&query.after) {
            Some(after) if !keyset_cursor_is_valid(&after) => {
                return Err(bad("after", FilterError::BadCursor))
            }
            after => after,
        },
        ..JobFilter::default()
    };
    let filter = match present(&query.mine).as_deref() {
        None | Some("0" | "false") => filter,
        Some(_) => {
            let user = user.ok_or(ApiError::Unauthenticated)?;
            match user.role {
                Role::Enterprise => JobFilter {
                    owner: Some(user.user_id),
                    ..filter
                },
                Role::Agency => JobFilter {
                    bidder: Some(crate::listings::own_agency(&state, &user).await?),
                    ..filter
                },
                Role::Regulator | Role::ApprovalOfficer => filter,
            }
        }
    };
    Ok(Json(state.store.list_jobs(&filter).await?))
}

#[utoipa::path(
    post,
    path = "/api/jobs",
    tag = "jobs",
    summary = "项目业主创建项目草稿",
    request_body = JobDraft,
    responses((status = 201, description = "已创建", body = JobView)),
    security(("session" = [])),
)]
pub(super) async fn create_job(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(draft): ApiJson<JobDraft>,
) -> ApiResult<(StatusCode, Json<JobView>)> {
    user.require(Role::Enterprise)?;
    draft.parse().map_err(ApiError::Validation)?;
    check_draft_deadline(&draft)?;
    let id = state
        .store
        .create_job(user.user_id, draft.clone(), state.clock.now())
        .await?;
    crate::cases::link_job(&state, user.user_id, id, &draft).await?;
    let job = state.store.job(id).await?.ok_or(ApiError::NotFound)?;
    Ok((StatusCode::CREATED, Json(job.view)))
}

#[utoipa::path(
    get,
    path = "/api/jobs/{id}",
    tag = "jobs",
    summary = "项目详情(按身份显示可见内容)",
    params(("id" = i64, Path, description = "项目编号")),
    responses((status = 200, description = "成功", body = JobView)),
    security((), ("session" = [])),
)]
pub(super) async fn get_job(
    State(state): State<AppState>,
    user: Option<CurrentUser>,
    PathId(id): PathId,
) -> ApiResult<Json<JobView>> {
    let job = load(&state, id).await?;
    visible_to(&job, user.as_ref())?;
    let viewer = viewer_of(&state, user.as_ref(), &job).await?;
    let may_see_case = viewer.is_owner
        || viewer.is_bidder
        || user
            .as_ref()
            .is_some_and(|u| matches!(u.role, Role::Regulator | Role::ApprovalOfficer));
    let case = match state.store.job_case(job.view.id).await? {
        Some(case_id) if may_see_case => {
            let service = ServiceType::parse(&job.view.terms.service_type);
            let review = state
                .store
                .case_events(case_id)
                .await?
                .into_iter()
                .rev()
                .find_map(|e| match e.kind {
                    market_domain::approval::CaseEventKind::TechnicalReview {
                        service_type,
                        result,
                    } if Some(service_type) == service => Some((result, e.note)),
                    _ => None,
                });
            state
                .store
                .case(case_id)
                .await?
                .map(|c| market_domain::wire::JobCaseLink {
                    id: c.id,
                    case_number: c.case_number,
                    item_name: c.item.name,
                    status: c.status,
                    review: review.as_ref().map(|(r, _)| *r),
                    review_note: review.map(|(_, note)| note).unwrap_or_default(),
                })
        }
        _ => None,
    };
    Ok(Json(JobView {
        viewer,
        case,
        ..job.view
    }))
}

/// The reader's part in the job: owner, bidder (in any bid status) or current winner.
pub(super) async fn viewer_of(
    state: &AppState,
    user: Option<&CurrentUser>,
    job: &JobRecord,
) -> ApiResult<JobViewer> {
    let Some(user) = user else {
        return Ok(JobViewer::default());
    };
    let mut viewer = JobViewer {
        is_owner: user.user_id == job.enterprise_user_id,
        ..JobViewer::default()
    };
    if user.role == Role::Agency {
        if let Some(agency_id) = state.store.agency_of_owner(user.user_id).await? {
            viewer.is_bidder = state
                .store
                .bids(job.view.id)
                .await?
                .iter()
                .any(|b| b.agency_id == agency_id);
            viewer.is_winner = job.view.award.as_ref().map(|a| a.agency_id) == Some(agency_id);
        }
    }
    Ok(viewer)
}

/// A draft's terms are simply replaced; a published job's change voids the bids placed so far.
#[utoipa::path(
    put,
    path = "/api/jobs/{id}",
    tag = "jobs",
    summary = "修改项目条款(已发布项目修改后已报价作废)",
    params(("id" = i64, Path, description = "项目编号")),
    request_body = JobDraft,
    responses((status = 200, description = "成功", body = JobView)),
    security(("session" = [])),
)]
pub(super) async fn update_job(
    State(state): State<AppState>,
    user: CurrentUser,
    PathId(id): PathId,
    ApiJson(draft): ApiJson<JobDraft>,
) -> ApiResult<Json<JobView>> {
    let job = owned_job(&state, &user, id).await?;
    draft.parse().map_err(ApiError::Validation)?;
    check_draft_deadline(&draft)?;
    let now = state.clock.now();
    let changed = match job.view.state {
        JobState::Draft => state.store.update_job_draft(id, draft, now).await?,
        JobState::Published => {
            if draft.selection.code() != job.view.terms.selection.code() {
                return Err(ApiError::Conflict {
                    code: "method_locked",
                    message: words("发布后不能更改选取方式,请撤销后重新发布", "The selection method cannot change after publishing; cancel and repost instead"),
                    field: Some("selection"),
                });
            }
            let deadline = deadline_of(&draft, now)?;
            state.store.amend_job(id, draft, deadline, now).await?
        }
        _ => false,
    };
    if !changed {
        return Err(ApiError::Conflict {
            code: "job_locked",
            message: words(
                "项目已截止或已结束,不能再修改",
                "The job has closed or ended and can no longer be edited",
            ),
            field: None,
        });
    }
    Ok(Json(load(&state, id).await?.view))
}

#[utoipa::path(
    post,
    path = "/api/jobs/{id}/publish",
    tag = "jobs",
    summary = "发布项目",
    params(("id" = i64, Path, description = "项目编号")),
    responses((status = 200, description = "成功", body = JobView)),
    security(("session" = [])),
)]
pub(super) async fn publish_job(
    State(state): State<AppState>,
    user: CurrentUser,
    PathId(id): PathId,
) -> ApiResult<Json<JobView>> {
    let job = owned_job(&state, &user, id).await?;
    let now = state.clock.now();
    let deadline = deadline_of(&job.view.terms, now)?;
    // The seed is secret until the draw; only its SHA-256 is published now.
    let draw = (job.view.terms.selection == SelectionMethod::RandomDraw).then(|| {
        let mut seed = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut seed);
        (seed.to_vec(), draw::commitment(&seed))
    });
    if !state.store.publish_job(id, deadline, draw, now).await? {
        return Err(ApiError::Conflict {
            code: "already_published",
            message: words("该项目已发布", "This job is already published"),
            field: None,
        });
    }
    Ok(Json(load(&state, id).await?.view))
}

#[utoipa::path(
    get,
    path = "/api/jobs/{id}/events",
    tag = "jobs",
    summary = "项目全过程记录",
    params(("id" = i64, Path, description = "项目编号")),
    responses((status = 200, description = "成功", body = Vec<JobEventView>)),
    security((), ("session" = [])),
)]
pub(super) async fn list_job_events(
    State(state): State<AppState>,
    user: Option<CurrentUser>,
    PathId(id): PathId,
) -> ApiResult<Json<Vec<JobEventView>>> {
    let job = load(&state, id).await?;
    visible_to(&job, user.as_ref())?;
    Ok(Json(state.store.job_events(id).await?))
}

#[derive(serde::Deserialize, utoipa::ToSchema)]
pub(super) struct CancelRequest {
    /// 终止理由,将公示。
    #[schema(min_length = 2, max_length = 500)]
    reason: String,
}

#[utoipa::path(
    post,
    path = "/api/jobs/{id}/cancel",
    tag = "jobs",
    summary = "终止项目(须说明理由)",
    params(("id" = i64, Path, description = "项目编号")),
    request_body = CancelRequest,
    responses((status = 200, description = "成功", body = JobView)),
    security(("session" = [])),
)]
pub(super) async fn cancel_job(
    State(state): State<AppState>,
    user: CurrentUser,
    PathId(id): PathId,
    ApiJson(request): ApiJson<CancelRequest>,
) -> ApiResult<Json<JobView>> {
    let job = owned_job(&state, &user, id).await?;
    let reason = text_field("reason", &request.reason, limits::CANCEL_REASON)?;
    if !state
        .store
        .cancel_job(job.view.id, reason, state.clock.now())
        .await?
    {
        return Err(wrong_state(
            "已选定中选机构的项目不能撤销",
            "A job with a selected winner cannot be cancelled",
        ));
    }
    Ok(Json(load(&state, job.view.id).await?.view))
}

/// Reposts an unsuccessful or cancelled job as a new draft, linked to the old one.
#[utoipa::path(
    post,
    path = "/api/jobs/{id}/repost",
    tag = "jobs",
    summary = "将流标或终止的项目重新发布为新草稿",
    params(("id" = i64, Path, description = "项目编号")),
    responses((status = 201, description = "已创建", body = JobView)),
    security(("session" = [])),
)]
pub(super) async fn repost_job(
    State(state): State<AppState>,
    user: CurrentUser,
    PathId(id): PathId,
) -> ApiResult<(StatusCode, Json<JobView>)> {
    let job = owned_job(&state, &user, id).await?;
    if !matches!(job.view.state, JobState::Unsuccessful | JobState::Cancelled) {
        return Err(wrong_state(
            "只有流标或已撤销的项目可以重新发布",
            "Only an unsuccessful or cancelled job can be reposted",
        ));
    }
    let now = state.clock.now();
    let new_id = state
        .store
        .create_job(user.user_id, job.view.terms.clone(), now)
        .await?;
    state.store.link_repost(new_id, job.view.id).await?;
    state
        .store
        .append_job_event(JobLine::new(
            new_id,
            now,
            Actor::Enterprise,
            JobEvent::RepostedFrom,
            format!("由项目 {} 重新发布", job.view.id),
        ))
        .await?;
    state
        .store
        .append_job_event(JobLine::new(
            job.view.id,
            now,
            Actor::Enterprise,
            JobEvent::RepostedAs,
            format!("已重新发布为项目 {new_id}"),
        ))
        .await?;
    let created = state.store.job(new_id).await?.ok_or(ApiError::NotFound)?;
    Ok((StatusCode::CREATED, Json(created.view)))
}
