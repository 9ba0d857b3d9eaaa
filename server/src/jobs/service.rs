//! What the job handlers share and other features call: loading a job as the clock implies,
//! who may see or act on it, and applying one transition of the state machine.

use crate::auth::CurrentUser;
use crate::error::{words, ApiError, ApiResult, Words};
use crate::state::AppState;
use crate::store::{JobLine, JobPatch, JobRecord};
use market_domain::job::{Actor, JobAction, JobEvent};
use market_domain::job::{JobDraft, JobState};
use market_domain::text::{BoundedText, TextLimit};
use market_domain::wire::{JobView, ObjectionStatus};
use market_domain::{FieldError, Role};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

#[derive(Debug, thiserror::Error)]
pub(super) enum JobInputError {
    #[error("截止时间格式应为 RFC 3339,例如 2026-12-10T17:00:00+08:00")]
    DeadlineFormat,
    #[error("报名截止时间必须晚于当前时间")]
    DeadlineInPast,
}

market_domain::violation! {
    JobInputError,
    JobInputError::DeadlineFormat => "deadline_format", "Write the deadline in RFC 3339";
    JobInputError::DeadlineInPast => "deadline_in_past", "The deadline must be in the future";
}

/// A draft may leave the deadline empty until it is published, but what it holds must be a
/// time: nothing unreadable is stored to fail only at publication.
pub(super) fn check_draft_deadline(draft: &JobDraft) -> ApiResult<()> {
    let text = draft.deadline.trim();
    if text.is_empty() || OffsetDateTime::parse(text, &Rfc3339).is_ok() {
        Ok(())
    } else {
        Err(ApiError::field(FieldError::new(
            "deadline",
            &JobInputError::DeadlineFormat,
        )))
    }
}

pub(super) fn deadline_of(draft: &JobDraft, now: OffsetDateTime) -> ApiResult<OffsetDateTime> {
    let deadline = OffsetDateTime::parse(draft.deadline.trim(), &Rfc3339).map_err(|_| {
        ApiError::field(FieldError::new("deadline", &JobInputError::DeadlineFormat))
    })?;
    if deadline <= now {
        return Err(ApiError::field(FieldError::new(
            "deadline",
            &JobInputError::DeadlineInPast,
        )));
    }
    Ok(deadline)
}

/// Loads a job as the clock implies it to be. A job whose opening is due is opened by the
/// background task, not by this read: the reader asks for a run and reads again after it.
pub(crate) async fn load(state: &AppState, id: i64) -> ApiResult<JobRecord> {
    let mut job = state.store.job(id).await?.ok_or(ApiError::NotFound)?;
    if job.view.state.opening_due(
        job.deadline.map(|d| d.unix_timestamp()),
        state.clock.now().unix_timestamp(),
    ) && state.due.run_soon(crate::due::PATIENCE).await
    {
        job = state.store.job(id).await?.ok_or(ApiError::NotFound)?;
    }
    finalise_award(state, &mut job.view).await?;
    Ok(job)
}

/// Before answering from what is stored: if any job is due to open, the background task opens
/// it first (read-only check here; the task writes).
pub(crate) async fn let_due_work_run(state: &AppState) -> ApiResult<()> {
    if !state.store.due_jobs(state.clock.now()).await?.is_empty() {
        state.due.run_soon(crate::due::PATIENCE).await;
    }
    Ok(())
}

/// An award is final once its publicity is over with no objection pending.
pub(crate) async fn finalise_award(state: &AppState, view: &mut JobView) -> ApiResult<()> {
    let now = state.clock.now();
    if let Some(award) = view.award.as_mut() {
        let over =
            OffsetDateTime::parse(&award.publicity_ends, &Rfc3339).is_ok_and(|ends| now >= ends);
        let pending = state
            .store
            .objections(view.id)
            .await?
            .iter()
            .any(|o| o.status == ObjectionStatus::Pending);
        award.is_final = over && !pending;
    }
    Ok(())
}

pub(super) fn owned_by(job: &JobRecord, user: &CurrentUser) -> ApiResult<()> {
    user.require(Role::Enterprise)?;
    if job.enterprise_user_id == user.user_id {
        Ok(())
    } else {
        Err(ApiError::Forbidden {
            code: "not_job_owner",
            message: words(
                "只有发布该项目的业主可以进行此操作",
                "Only the enterprise that posted this job can do this",
            ),
        })
    }
}

/// Drafts are visible to their owner only.
pub(crate) fn visible_to(job: &JobRecord, user: Option<&CurrentUser>) -> ApiResult<()> {
    let owner = user.is_some_and(|u| u.user_id == job.enterprise_user_id);
    if job.view.state == JobState::Draft && !owner {
        Err(ApiError::NotFound)
    } else {
        Ok(())
    }
}

/// The job's state does not allow this step (409 `invalid_transition`).
pub(super) fn wrong_state(zh: &'static str, en: &'static str) -> ApiError {
    conflict("invalid_transition", words(zh, en))
}

/// A conditional write found that the job moved on after it was read.
pub(super) fn changed_meanwhile() -> ApiError {
    wrong_state(
        "项目状态已变化,请刷新后重试",
        "The job has changed meanwhile; reload and try again",
    )
}

pub(super) fn conflict(code: &'static str, message: Words) -> ApiError {
    ApiError::Conflict {
        code,
        message,
        field: None,
    }
}

/// Applies one transition of the state machine, conditional on the state just read.
pub(super) async fn step(
    state: &AppState,
    job: &JobRecord,
    action: JobAction,
    actor: Actor,
    patch: JobPatch,
    (event, detail): (JobEvent, String),
) -> ApiResult<JobView> {
    let next = job.view.state.apply(action, actor).map_err(|_| {
        wrong_state(
            "当前状态下不能进行此操作",
            "This cannot be done in the job's current state",
        )
    })?;
    let moved = state
        .store
        .advance_job(
            JobLine::new(job.view.id, state.clock.now(), actor, event, detail).moving(
                job.view.state,
                next,
                patch,
            ),
        )
        .await?;
    if !moved {
        return Err(changed_meanwhile());
    }
    Ok(load(state, job.view.id).await?.view)
}

/// Loads a job that the signed-in enterprise posted.
pub(super) async fn owned_job(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
) -> ApiResult<JobRecord> {
    let job = load(state, id).await?;
    owned_by(&job, user)?;
    Ok(job)
}

/// Loads a job that the signed-in agency won, with that agency's id.
pub(super) async fn won_job(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
) -> ApiResult<(JobRecord, i64)> {
    let job = load(state, id).await?;
    let agency_id = winner(state, user, &job).await?;
    Ok((job, agency_id))
}

/// The signed-in agency, when it is the job's current winner.
pub(super) async fn winner(
    state: &AppState,
    user: &CurrentUser,
    job: &JobRecord,
) -> ApiResult<i64> {
    let agency_id = crate::listings::own_agency(state, user).await?;
    if job.view.award.as_ref().map(|a| a.agency_id) == Some(agency_id) {
        Ok(agency_id)
    } else {
        Err(ApiError::Forbidden {
            code: "not_winner",
            message: words(
                "只有中选机构可以进行此操作",
                "Only the winning agency can do this",
            ),
        })
    }
}

pub(super) fn text_field(field: &str, input: &str, limit: TextLimit) -> ApiResult<String> {
    limit
        .parse(input)
        .map(BoundedText::into_string)
        .map_err(|e| ApiError::field(FieldError::new(field, &e)))
}

/// The contract and the delivered report are the two parties' and the regulators' business.
pub(super) async fn party_or_regulator(
    state: &AppState,
    user: &CurrentUser,
    job: &JobRecord,
) -> ApiResult<()> {
    let party = user.user_id == job.enterprise_user_id
        || user.role == Role::Regulator
        || winner(state, user, job).await.is_ok();
    if party {
        Ok(())
    } else {
        Err(ApiError::Forbidden {
            code: "not_a_party",
            message: words(
                "只有合同双方和监管部门可以查看合同与成果",
                "Only the parties to the contract and regulators can see the contract and delivery",
            ),
        })
    }
}
