//! Complaints (投诉): any signed-in party files one against an agency, an enterprise or a job; a
//! regulator accepts or refuses it, the respondent answers, a regulator decides, and the outcome
//! is published without the complainant's name. Also the agency credit record and the suspension
//! proposals that repeated upheld quality complaints raise.

use crate::auth::CurrentUser;
use crate::clock::{from_unix, to_rfc3339};
use crate::error::{words, ApiError, ApiResult, Words};
use crate::http::json::ApiJson;
use crate::http::path::{PathId, PathStep};
use crate::http::query::ApiQuery;
use crate::state::AppState;
use crate::store::{ComplaintRow, ComplaintScope};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use market_domain::complaint::{
    parse_reason, ComplaintAction, ComplaintDecision, ComplaintDraft, ComplaintError,
    ComplaintStatus, ComplaintStep, ComplaintView, TextStep,
};
use market_domain::credit::{self, CreditInputs, CreditRecord, ListEntry, UpheldComplaint};
use market_domain::{FieldError, Locale, Role};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_complaints, file_complaint))
        .routes(routes!(get_complaint))
        .routes(routes!(step_complaint))
        .routes(routes!(decide_complaint))
        .routes(routes!(get_credit))
}

pub(crate) fn conflict(message: Words) -> ApiError {
    ApiError::Conflict {
        code: "invalid_transition",
        message,
        field: None,
    }
}

/// The respondent's time to answer is up, so the regulator may decide without the answer.
fn answer_overdue(row: &ComplaintRow, now: i64) -> bool {
    row.status == ComplaintStatus::Accepted && row.due_at.is_some_and(|due| now > due)
}

/// What the reader may see of a complaint, and do with it.
fn view_for(row: ComplaintRow, user: Option<&CurrentUser>, now: i64) -> ApiResult<ComplaintView> {
    let regulator = user.is_some_and(|u| u.role == Role::Regulator);
    let complainant = user.is_some_and(|u| u.user_id == row.complainant_user_id);
    let respondent = user.is_some_and(|u| Some(u.user_id) == row.respondent_user_id)
        && row.status != ComplaintStatus::Filed;
    let party = regulator || complainant || respondent;
    if !party && !row.status.is_closed() {
        return Err(if user.is_some() {
            ApiError::NotFound
        } else {
            ApiError::Unauthenticated
        });
    }
    let due = row.due_at.filter(|_| !row.status.is_closed());
    let overdue = answer_overdue(&row, now);
    let may = |action| row.status.apply(action, overdue).is_ok();
    Ok(ComplaintView {
        id: row.id,
        number: format!("TS{:06}", row.id),
        target: row.target,
        target_name: row.target_name,
        category: row.category,
        title: row.title,
        description: row.description,
        // The public reads the outcome, not the file: evidence and attachments may identify.
        evidence: if party { row.evidence } else { Vec::new() },
        attachments: if party { row.attachments } else { Vec::new() },
        status: row.status,
        complainant: party.then_some(row.complainant_name),
        filed_at: to_rfc3339(from_unix(row.filed_at)),
        due_at: due.map(|d| to_rfc3339(from_unix(d))),
        overdue: due.is_some_and(|d| now > d),
        acceptance_note: row.acceptance_note,
        answer: row.answer,
        decision_reason: row.decision_reason,
        decided_at: row.decided_at.map(|d| to_rfc3339(from_unix(d))),
        can_accept: regulator && may(ComplaintAction::Accept),
        can_answer: respondent && may(ComplaintAction::Answer),
        can_decide: regulator && may(ComplaintAction::Uphold),
    })
}

#[utoipa::path(
    post,
    path = "/api/complaints",
    tag = "complaints",
    summary = "提交投诉(针对机构、项目业主或项目)",
    request_body = ComplaintDraft,
    responses((status = 201, description = "已创建", body = ComplaintView)),
    security(("session" = [])),
)]
async fn file_complaint(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(draft): ApiJson<ComplaintDraft>,
) -> ApiResult<(StatusCode, Json<ComplaintView>)> {
    if user.role == Role::Regulator {
        return Err(ApiError::Forbidden {
            code: "forbidden_role",
            message: words(
                "监管部门负责处理投诉,不能以监管账号提起投诉",
                "Regulators handle complaints and cannot file one",
            ),
        });
    }
    let complaint = draft.parse().map_err(ApiError::Validation)?;
    let respondent = state
        .store
        .complaint_respondent(user.user_id, complaint.target)
        .await?
        .ok_or_else(|| {
            ApiError::field(FieldError::new("target", &ComplaintError::UnknownTarget))
        })?;
    if respondent.user_id == Some(user.user_id) {
        return Err(ApiError::BadRequest {
            code: "complaint_against_self",
            message: "不能投诉自己".into(),
            message_en: "You cannot complain about yourself".into(),
            field: Some("target".into()),
        });
    }
    let now = state.clock.now();
    let id = state
        .store
        .create_complaint(user.user_id, complaint, respondent, now)
        .await?;
    let row = state.store.complaint(id).await?.ok_or(ApiError::NotFound)?;
    Ok((
        StatusCode::CREATED,
        Json(view_for(row, Some(&user), now.unix_timestamp())?),
    ))
}

#[derive(serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct ListQuery {
    /// `published`:任何人可见的已公开处理结果。
    scope: Option<String>,
}

/// Regulators see every complaint; parties their own; `?scope=published` shows closed outcomes
/// to anyone.
#[utoipa::path(
    get,
    path = "/api/complaints",
    tag = "complaints",
    summary = "投诉列表:监管看全部,当事方看本人,scope=published 看已公开结果",
    params(ListQuery),
    responses((status = 200, description = "成功", body = Vec<ComplaintView>)),
    security((), ("session" = [])),
)]
async fn list_complaints(
    State(state): State<AppState>,
    user: Option<CurrentUser>,
    ApiQuery(query): ApiQuery<ListQuery>,
) -> ApiResult<Json<Vec<ComplaintView>>> {
    let scope = match (query.scope.as_deref(), user.as_ref()) {
        (Some("published"), _) => ComplaintScope::Closed,
        (_, Some(u)) if u.role == Role::Regulator => ComplaintScope::All,
        (_, Some(u)) => ComplaintScope::Party(u.user_id),
        (_, None) => return Err(ApiError::Unauthenticated),
    };
    let now = state.clock.now().unix_timestamp();
    let rows = state.store.complaints(scope).await?;
    Ok(Json(
        rows.into_iter()
            .filter_map(|row| view_for(row, user.as_ref(), now).ok())
            .collect(),
    ))
}

async fn load(state: &AppState, id: i64) -> ApiResult<ComplaintRow> {
    state.store.complaint(id).await?.ok_or(ApiError::NotFound)
}

#[utoipa::path(
    get,
    path = "/api/complaints/{id}",
    tag = "complaints",
    summary = "投诉详情",
    params(("id" = i64, Path, description = "投诉编号")),
    responses((status = 200, description = "成功", body = ComplaintView)),
    security((), ("session" = [])),
)]
async fn get_complaint(
    State(state): State<AppState>,
    user: Option<CurrentUser>,
    PathId(id): PathId,
) -> ApiResult<Json<ComplaintView>> {
    let row = load(&state, id).await?;
    Ok(Json(view_for(
        row,
        user.as_ref(),
        state.clock.now().unix_timestamp(),
    )?))
}

pub(crate) fn reason(text: &str, field: &str) -> ApiResult<String> {
    parse_reason(text).map_err(|e| ApiError::field(FieldError::new(field, &e)))
}

/// Applies one step of the procedure (`ComplaintStatus::apply`), conditional on the statuses it
/// may start from.
async fn step_with(
    state: &AppState,
    user: &CurrentUser,
    row: ComplaintRow,
    action: ComplaintAction,
    text: String,
) -> ApiResult<Json<ComplaintView>> {
    let now = state.clock.now();
    let to = row
        .status
        .apply(action, answer_overdue(&row, now.unix_timestamp()))
        .map_err(|refused| {
            conflict(words(
                refused.message(Locale::ZhCn),
                refused.message(Locale::En),
            ))
        })?;
    if !state
        .store
        .step_complaint(row.id, action.sources().to_vec(), to, text, now)
        .await?
    {
        return Err(conflict(words(
            "投诉状态已变化,请刷新后重试",
            "The complaint has changed meanwhile; reload and try again",
        )));
    }
    let row = state
        .store
        .complaint(row.id)
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(Json(view_for(row, Some(user), now.unix_timestamp())?))
}

#[utoipa::path(
    post,
    path = "/api/complaints/{id}/{step}",
    tag = "complaints",
    summary = "受理(可附说明)、不予受理(须说明理由)或被投诉方答复",
    params(
        ("id" = i64, Path, description = "投诉编号"),
        ("step" = inline(TextStep), Path, description = "accept、refuse(监管)或 answer(被投诉方)"),
    ),
    request_body = ComplaintStep,
    responses((status = 200, description = "成功", body = ComplaintView)),
    security(("session" = [])),
)]
async fn step_complaint(
    State(state): State<AppState>,
    user: CurrentUser,
    PathStep(id, step): PathStep<TextStep>,
    ApiJson(request): ApiJson<ComplaintStep>,
) -> ApiResult<Json<ComplaintView>> {
    // The respondent is checked once the complaint is loaded: only the complaint names them.
    if step != TextStep::Answer {
        user.require(Role::Regulator)?;
    }
    let row = load(&state, id).await?;
    if step == TextStep::Answer && row.respondent_user_id != Some(user.user_id) {
        return Err(ApiError::Forbidden {
            code: "not_respondent",
            message: words("只有被投诉方可以答复", "Only the respondent can answer"),
        });
    }
    let text = match (step, request.text.trim()) {
        (TextStep::Accept, "") => "依法受理".to_owned(),
        (TextStep::Accept, note) => note.to_owned(),
        (TextStep::Refuse | TextStep::Answer, text) => reason(text, "text")?,
    };
    step_with(&state, &user, row, step.action(), text).await
}

#[utoipa::path(
    post,
    path = "/api/complaints/{id}/decide",
    tag = "complaints",
    summary = "监管作出处理决定(成立或驳回)",
    params(("id" = i64, Path, description = "投诉编号")),
    request_body = ComplaintDecision,
    responses((status = 200, description = "成功", body = ComplaintView)),
    security(("session" = [])),
)]
async fn decide_complaint(
    State(state): State<AppState>,
    user: CurrentUser,
    PathId(id): PathId,
    ApiJson(request): ApiJson<ComplaintDecision>,
) -> ApiResult<Json<ComplaintView>> {
    user.require(Role::Regulator)?;
    let row = load(&state, id).await?;
    let text = reason(&request.reason, "reason")?;
    let action = if request.upheld {
        ComplaintAction::Uphold
    } else {
        ComplaintAction::Dismiss
    };
    step_with(&state, &user, row, action, text).await
}

#[utoipa::path(
    get,
    path = "/api/agencies/{id}/credit",
    tag = "agencies",
    summary = "机构信用档案与评分构成",
    params(("id" = i64, Path, description = "机构编号")),
    responses((status = 200, description = "成功", body = CreditRecord)),
)]
async fn get_credit(
    State(state): State<AppState>,
    PathId(id): PathId,
) -> ApiResult<Json<CreditRecord>> {
    let agency_id = id;
    if !state.store.agency_is_public(agency_id).await? {
        return Err(ApiError::NotFound);
    }
    let ratings = state.store.ratings(agency_id).await?;
    let facts = state.store.credit_facts(agency_id).await?;
    let upheld: Vec<_> = facts
        .upheld
        .iter()
        // In city days, as the directory counts them (`search::directory`), so both agree.
        .map(|(_, category, _, decided)| {
            (
                *category,
                crate::clock::city_date(from_unix(*decided)).days_until(state.today()),
            )
        })
        .collect();
    let entries: Vec<ListEntry> = facts
        .entries
        .iter()
        .map(|(view, lifted)| ListEntry {
            blacklist: view.blacklist,
            starts_on: view.starts_on,
            ends_on: view.ends_on,
            lifted_on: lifted.map(|at| crate::clock::city_date(from_unix(at))),
        })
        .collect();
    let score = credit::score(&CreditInputs {
        ratings: ratings.count,
        average_hundredths: ratings.average_hundredths,
        upheld: &upheld,
        fee_flagged_awards: facts.fee_flagged_awards,
        entries: &entries,
        today: state.today(),
    });
    Ok(Json(CreditRecord {
        agency_id,
        score,
        ratings: ratings.count,
        average_hundredths: ratings.average_hundredths,
        upheld_complaints: facts
            .upheld
            .into_iter()
            .map(|(id, category, title, decided)| UpheldComplaint {
                id,
                category,
                title,
                decided_at: to_rfc3339(from_unix(decided)),
            })
            .collect(),
        fee_flagged_awards: facts.fee_flagged_awards,
        entries: facts.entries.into_iter().map(|(view, _)| view).collect(),
    }))
}
