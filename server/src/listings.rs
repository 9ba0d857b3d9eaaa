//! An agency's own listing: its dashboard and submitting a new version for review.

use crate::auth::CurrentUser;
use crate::error::{words, ApiError, ApiResult};
use crate::http::json::ApiJson;
use crate::state::AppState;
use crate::store::{StoreError, UniqueRule};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use market_domain::listing::{expiring_qualifications, ListingDraft, VersionStatus};
use market_domain::wire::{ExpiryWarning, ListingVersionView, MyListing};
use market_domain::Role;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_my_listing, submit_listing_version))
}

/// The signed-in agency account's agency: the one lookup every agency action starts from.
pub(crate) async fn own_agency(state: &AppState, user: &CurrentUser) -> ApiResult<i64> {
    user.require(Role::Agency)?;
    state
        .store
        .agency_of_owner(user.user_id)
        .await?
        .ok_or(ApiError::NotFound)
}

#[utoipa::path(
    get,
    path = "/api/my/listing",
    tag = "listings",
    summary = "本机构的入驻信息及各版本审核状态",
    responses((status = 200, description = "成功", body = MyListing)),
    security(("session" = [])),
)]
async fn get_my_listing(
    State(state): State<AppState>,
    user: CurrentUser,
) -> ApiResult<Json<MyListing>> {
    let agency_id = own_agency(&state, &user).await?;
    let today = state.today();
    let versions = state.store.listing_versions(agency_id).await?;
    let approved = versions
        .iter()
        .find(|v| v.status == VersionStatus::Approved)
        .cloned();
    let editor_start = match versions.first() {
        Some(newest) => newest.draft.clone(),
        None => state
            .store
            .agency_as_draft(agency_id)
            .await?
            .ok_or(ApiError::NotFound)?,
    };
    let expiring = approved
        .as_ref()
        .and_then(|v| v.draft.parse().ok())
        .map(|listing| {
            expiring_qualifications(&listing.qualifications, today)
                .into_iter()
                .map(|q| ExpiryWarning {
                    name: q.name.clone(),
                    number: q.number.clone(),
                    expires_on: q.expires_on,
                    days_left: today.days_until(q.expires_on),
                })
                .collect()
        })
        .unwrap_or_default();
    Ok(Json(MyListing {
        agency_id,
        approved,
        versions,
        editor_start,
        suspension: state.store.active_suspension(agency_id, today).await?,
        expiring,
    }))
}

#[utoipa::path(
    post,
    path = "/api/my/listing",
    tag = "listings",
    summary = "提交入驻信息新版本待审核",
    request_body = ListingDraft,
    responses((status = 201, description = "已创建", body = ListingVersionView)),
    security(("session" = [])),
)]
async fn submit_listing_version(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(draft): ApiJson<ListingDraft>,
) -> ApiResult<(StatusCode, Json<ListingVersionView>)> {
    let agency_id = own_agency(&state, &user).await?;
    draft.parse().map_err(ApiError::Validation)?;
    let version = state
        .store
        .submit_listing(agency_id, user.user_id, draft, state.clock.now())
        .await
        .map_err(|e| match e {
            StoreError::Duplicate(UniqueRule::AgencyCreditCode) => ApiError::Conflict {
                code: "credit_code_taken",
                message: words(
                    "该统一社会信用代码已被其他机构使用",
                    "This unified social credit code is already used by another agency",
                ),
                field: Some("credit_code"),
            },
            other => other.into(),
        })?;
    Ok((StatusCode::CREATED, Json(version)))
}
