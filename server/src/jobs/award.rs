//! Choosing the winner by the published method, the random draw, award publicity with its
//! objections, and passing the award on.

use super::service::{
    conflict, load, owned_job, step, text_field, visible_to, won_job, wrong_state,
};
use crate::auth::CurrentUser;
use crate::error::{words, ApiError, ApiResult};
use crate::http::json::ApiJson;
use crate::http::path::{PathId, PathIds};
use crate::state::AppState;
use crate::store::{JobLine, JobPatch, JobRecord};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use market_domain::award::AwardRecord;
use market_domain::error::Locale;
use market_domain::job::JobState;
use market_domain::job::{Actor, JobAction, JobEvent};
use market_domain::selection::RankedBid;
use market_domain::text::limits;
use market_domain::wire::{
    AwardRequest, DrawView, JobView, ObjectionAnswer, ObjectionRequest, ObjectionView,
};
use market_domain::{FieldError, Role};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// The enterprise selects by the published method. The transition is conditional on the job
/// still evaluating, so of two concurrent selections exactly one wins.
#[utoipa::path(
    post,
    path = "/api/jobs/{id}/award",
    tag = "jobs",
    summary = "按公布的选取方式确定中选机构",
    params(("id" = i64, Path, description = "项目编号")),
    request_body = AwardRequest,
    responses((status = 200, description = "成功", body = JobView)),
    security(("session" = [])),
)]
pub(super) async fn award_job(
    State(state): State<AppState>,
    user: CurrentUser,
    PathId(id): PathId,
    ApiJson(request): ApiJson<AwardRequest>,
) -> ApiResult<Json<JobView>> {
    let job = owned_job(&state, &user, id).await?;
    job.view
        .state
        .apply(JobAction::Award, Actor::Enterprise)
        .map_err(|_| ApiError::Conflict {
            code: "invalid_transition",
            message: if job.view.state == JobState::Publicity {
                words(
                    "已选定中选机构,不能重复选取",
                    "A winner has already been selected",
                )
            } else {
                words(
                    "当前状态下不能选取中选机构",
                    "A winner cannot be selected in this state",
                )
            },
            field: None,
        })?;
    let bids: Vec<RankedBid> = state.store.valid_bids(id).await?;
    let now = state.clock.now();
    let publicity_ends =
        (now + time::Duration::days(i64::from(job.view.terms.publicity_days))).unix_timestamp();
    let award = AwardRecord::select(&job.view.terms.selection, &bids, &request, publicity_ends)
        .map_err(|refusal| match refusal
            .field()
        {
            Some(field) => ApiError::field(FieldError::new(field, &refusal)),
            None => ApiError::Conflict {
                code: "draw_is_automatic",
                message: words("随机抽取在报名截止时由系统自动进行,业主不能选取", "A random draw is made by the system at the deadline; the owner does not select"),
                field: None,
            },
        })?;
    let reason = award.reason.clone();
    let (winner, price) = award.winner().ok_or(ApiError::Conflict {
        code: "no_bids",
        message: words("没有有效报价,不能选取", "There is no valid bid to select"),
        field: None,
    })?;
    let detail = format!(
        "{reason};中选机构编号 {winner},报价 {}",
        market_domain::format::money(price, Locale::ZhCn)
    );
    let awarded = state
        .store
        .advance_job(
            JobLine::new(id, now, Actor::Enterprise, JobEvent::Awarded, detail).moving(
                JobState::Evaluating,
                JobState::Publicity,
                JobPatch {
                    award: Some(award),
                    ..JobPatch::default()
                },
            ),
        )
        .await?;
    if !awarded {
        return Err(ApiError::Conflict {
            code: "invalid_transition",
            message: words(
                "已选定中选机构,不能重复选取",
                "A winner has already been selected",
            ),
            field: None,
        });
    }
    Ok(Json(load(&state, id).await?.view))
}

/// Everything needed to recompute a random draw; the seed stays hidden until the draw.
#[utoipa::path(
    get,
    path = "/api/jobs/{id}/draw",
    tag = "jobs",
    summary = "随机抽取的可复核数据(抽取前不公开种子)",
    params(("id" = i64, Path, description = "项目编号")),
    responses((status = 200, description = "成功", body = DrawView)),
    security((), ("session" = [])),
)]
pub(super) async fn get_draw(
    State(state): State<AppState>,
    user: Option<CurrentUser>,
    PathId(id): PathId,
) -> ApiResult<Json<DrawView>> {
    let job = load(&state, id).await?;
    visible_to(&job, user.as_ref())?;
    let commitment = job.view.draw_commitment.clone().ok_or(ApiError::NotFound)?;
    let (award, _, _) = state.store.job_parts(id).await?;
    Ok(Json(match award {
        Some(award) if award.seed.is_some() => {
            let mut candidates = award.candidates.clone();
            candidates.sort_unstable();
            // The draw happened at opening, so naming the candidates reveals nothing sealed.
            let bids = state.store.bids(id).await?;
            let name_of = |agency: i64| {
                bids.iter()
                    .find(|b| b.agency_id == agency)
                    .map(|b| b.agency_name.clone())
                    .unwrap_or_default()
            };
            let winner = award.candidates.first().copied();
            DrawView {
                commitment,
                candidates_hash: award.candidates_hash.clone(),
                candidate_names: candidates.iter().map(|c| name_of(*c)).collect(),
                candidates,
                seed: award.seed.clone(),
                winner_name: winner.map(name_of),
                winner,
            }
        }
        _ => DrawView {
            commitment,
            candidates_hash: None,
            candidates: Vec::new(),
            candidate_names: Vec::new(),
            seed: None,
            winner: None,
            winner_name: None,
        },
    }))
}

/// The award passes to the next candidate in the method's order, or the job fails when none is
/// left; publicity starts again for the new winner.
pub(super) async fn pass_award_on(
    state: &AppState,
    job: &JobRecord,
    why: &str,
) -> ApiResult<JobView> {
    let (award, _, _) = state.store.job_parts(job.view.id).await?;
    let mut award = award.ok_or_else(|| {
        wrong_state(
            "项目尚未选定中选机构",
            "No winner has been selected for this job",
        )
    })?;
    let now = state.clock.now();
    if award.position + 1 < award.candidates.len() {
        award.position += 1;
        award.publicity_ends =
            (now + time::Duration::days(i64::from(job.view.terms.publicity_days))).unix_timestamp();
        let next = award.candidates[award.position];
        let detail = format!("{why};按原规则由下一候选机构(编号 {next})中选,重新公示");
        step(
            state,
            job,
            JobAction::PassToNextCandidate,
            Actor::Enterprise,
            JobPatch {
                award: Some(award),
                ..JobPatch::default()
            },
            (JobEvent::AwardPassedOn, detail),
        )
        .await
    } else {
        step(
            state,
            job,
            JobAction::FailForNoCandidate,
            Actor::Enterprise,
            JobPatch::default(),
            (
                JobEvent::Unsuccessful,
                format!("{why};已无其他候选机构,流标"),
            ),
        )
        .await
    }
}

#[utoipa::path(
    get,
    path = "/api/jobs/{id}/objections",
    tag = "jobs",
    summary = "中选公示期内的异议",
    params(("id" = i64, Path, description = "项目编号")),
    responses((status = 200, description = "成功", body = Vec<ObjectionView>)),
    security((), ("session" = [])),
)]
pub(super) async fn list_objections(
    State(state): State<AppState>,
    user: Option<CurrentUser>,
    PathId(id): PathId,
) -> ApiResult<Json<Vec<ObjectionView>>> {
    let job = load(&state, id).await?;
    visible_to(&job, user.as_ref())?;
    Ok(Json(state.store.objections(job.view.id).await?))
}

/// A bidder or the enterprise objects to the award during its publicity period.
#[utoipa::path(
    post,
    path = "/api/jobs/{id}/objections",
    tag = "jobs",
    summary = "公示期内提出异议",
    params(("id" = i64, Path, description = "项目编号")),
    request_body = ObjectionRequest,
    responses((status = 201, description = "已创建", body = ObjectionView)),
    security(("session" = [])),
)]
pub(super) async fn file_objection(
    State(state): State<AppState>,
    user: CurrentUser,
    PathId(id): PathId,
    ApiJson(request): ApiJson<ObjectionRequest>,
) -> ApiResult<(StatusCode, Json<ObjectionView>)> {
    let job = load(&state, id).await?;
    visible_to(&job, Some(&user))?;
    let may_object = match user.role {
        Role::Enterprise => user.user_id == job.enterprise_user_id,
        Role::Agency => match state.store.agency_of_owner(user.user_id).await? {
            // The winner has nothing to object to: it withdraws instead.
            Some(agency)
                if job
                    .view
                    .award
                    .as_ref()
                    .is_some_and(|a| a.agency_id == agency) =>
            {
                false
            }
            Some(agency) => state
                .store
                .bids(job.view.id)
                .await?
                .iter()
                .any(|b| b.agency_id == agency),
            None => false,
        },
        Role::Regulator | Role::ApprovalOfficer => false,
    };
    if !may_object {
        return Err(ApiError::Forbidden {
            code: "not_a_party",
            message: words(
                "只有未中选的投标机构或项目业主可以提出异议",
                "Only a bidder that was not selected or the job's owner can object",
            ),
        });
    }
    let publicity_open = job.view.state == JobState::Publicity
        && job.view.award.as_ref().is_some_and(|a| !a.is_final)
        && job.view.award.as_ref().is_some_and(|a| {
            OffsetDateTime::parse(&a.publicity_ends, &Rfc3339)
                .is_ok_and(|ends| state.clock.now() < ends)
        });
    if !publicity_open {
        return Err(conflict(
            "publicity_over",
            words(
                "不在中选公示期内,不能提出异议",
                "Objections are taken only during the award publicity",
            ),
        ));
    }
    let reason = text_field("reason", &request.reason, limits::OBJECTION_REASON)?;
    let objection = state
        .store
        .file_objection(job.view.id, user.user_id, reason, state.clock.now())
        .await?;
    Ok((StatusCode::CREATED, Json(objection)))
}

/// The enterprise answers; an upheld objection passes the award to the next candidate.
#[utoipa::path(
    post,
    path = "/api/jobs/{id}/objections/{objection_id}/answer",
    tag = "jobs",
    summary = "项目业主答复异议",
    params(("id" = i64, Path, description = "项目编号"), ("objection_id" = i64, Path, description = "异议编号")),
    request_body = ObjectionAnswer,
    responses((status = 200, description = "成功", body = JobView)),
    security(("session" = [])),
)]
pub(super) async fn answer_objection(
    State(state): State<AppState>,
    user: CurrentUser,
    PathIds(id, objection_id): PathIds,
    ApiJson(request): ApiJson<ObjectionAnswer>,
) -> ApiResult<Json<JobView>> {
    let job = owned_job(&state, &user, id).await?;
    let answer = text_field("answer", &request.answer, limits::OBJECTION_ANSWER)?;
    let answered = state
        .store
        .answer_objection(
            job.view.id,
            objection_id,
            request.upheld,
            answer.clone(),
            state.clock.now(),
        )
        .await?;
    if !answered {
        return Err(conflict(
            "already_answered",
            words("该异议已答复", "This objection has already been answered"),
        ));
    }
    if request.upheld {
        pass_award_on(&state, &job, &format!("异议成立:{answer}"))
            .await
            .map(Json)
    } else {
        Ok(Json(load(&state, job.view.id).await?.view))
    }
}

/// The winner withdraws: the award moves to the next candidate by the same order, never a new draw.
#[utoipa::path(
    post,
    path = "/api/jobs/{id}/award/withdraw",
    tag = "jobs",
    summary = "中选机构放弃中选,依序递补",
    params(("id" = i64, Path, description = "项目编号")),
    responses((status = 200, description = "成功", body = JobView)),
    security(("session" = [])),
)]
pub(super) async fn withdraw_award(
    State(state): State<AppState>,
    user: CurrentUser,
    PathId(id): PathId,
) -> ApiResult<Json<JobView>> {
    let (job, _) = won_job(&state, &user, id).await?;
    if job.view.state != JobState::Publicity {
        return Err(wrong_state(
            "当前状态下不能放弃中选",
            "The award cannot be declined in this state",
        ));
    }
    pass_award_on(&state, &job, "中选机构放弃中选")
        .await
        .map(Json)
}
