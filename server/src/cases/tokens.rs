//! Integration tokens: regulators issue and revoke them; an approval system sends case events
//! with one.

use super::*;

#[utoipa::path(
    get,
    path = "/api/integration-tokens",
    tag = "cases",
    summary = "审批系统对接令牌列表",
    responses((status = 200, description = "成功", body = Vec<TokenView>)),
    security(("session" = [])),
)]
pub(super) async fn list_tokens(
    State(state): State<AppState>,
    user: CurrentUser,
) -> ApiResult<Json<Vec<TokenView>>> {
    user.require(Role::Regulator)?;
    Ok(Json(
        state
            .store
            .integration_tokens()
            .await?
            .into_iter()
            .map(|(id, name, created_at, revoked_at)| TokenView {
                id,
                name,
                created_at,
                revoked_at,
                token: None,
            })
            .collect(),
    ))
}

#[utoipa::path(
    post,
    path = "/api/integration-tokens",
    tag = "cases",
    summary = "签发审批系统对接令牌(仅返回一次明文)",
    request_body = NewToken,
    responses((status = 201, description = "已创建", body = TokenView)),
    security(("session" = [])),
)]
pub(super) async fn create_token(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(request): ApiJson<NewToken>,
) -> ApiResult<(StatusCode, Json<TokenView>)> {
    user.require(Role::Regulator)?;
    let name = limits::TOKEN_NAME
        .parse(&request.name)
        .map_err(|e| ApiError::field(FieldError::new("name", &e)))?
        .into_string();
    let mut secret = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut secret);
    let token: String = format!(
        "yzmkt_{}",
        secret
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    );
    let now = state.clock.now();
    let id = state
        .store
        .create_integration_token(name.clone(), token_hash(&token), user.user_id, now)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(TokenView {
            id,
            name,
            created_at: crate::clock::to_rfc3339(now),
            revoked_at: None,
            token: Some(token),
        }),
    ))
}

#[utoipa::path(
    post,
    path = "/api/integration-tokens/{id}/revoke",
    tag = "cases",
    summary = "吊销对接令牌",
    params(("id" = i64, Path, description = "令牌编号")),
    responses((status = 204, description = "已完成")),
    security(("session" = [])),
)]
pub(super) async fn revoke_token(
    State(state): State<AppState>,
    user: CurrentUser,
    PathId(id): PathId,
) -> ApiResult<StatusCode> {
    user.require(Role::Regulator)?;
    if state
        .store
        .revoke_integration_token(id, state.clock.now())
        .await?
    {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::NotFound)
    }
}
