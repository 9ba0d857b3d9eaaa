//! Accounts and sessions: register, log in, log out, who am I.

pub mod password;
pub mod session;
mod throttle;

use crate::error::{words, ApiError, ApiResult};
use crate::http::client_ip;
use crate::http::json::ApiJson;
use crate::state::AppState;
use crate::store::{AuditEntry, NewAgency, NewUser, Organization, Store, StoreError, UniqueRule};
use axum::extract::{FromRequestParts, State};
use axum::http::{header, request::Parts, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use market_domain::account::{RegisterRequest, Registration};
use market_domain::wire::{Account, AgencyProfile, LoginRequest, SessionView};
use market_domain::{Password, Role, Username};
pub use session::CurrentUser;
use time::OffsetDateTime;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(register_account))
        .routes(routes!(create_session))
        .routes(routes!(delete_session))
        .routes(routes!(get_me))
        .routes(routes!(get_session))
}

/// The caller's address, for throttling and the audit trail.
pub struct ClientIp(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientIp(client_ip(parts)))
    }
}

impl From<password::HashError> for ApiError {
    fn from(err: password::HashError) -> Self {
        match err {
            password::HashError::Busy => ApiError::Unavailable {
                retry_after_secs: 2,
            },
            password::HashError::Failed(cause) => ApiError::Internal(cause),
        }
    }
}

fn duplicate_to_conflict(err: StoreError) -> ApiError {
    match err {
        StoreError::Duplicate(UniqueRule::Username) => ApiError::Conflict {
            code: "username_taken",
            message: words(
                "该用户名已被使用,请换一个",
                "This user name is taken; choose another",
            ),
            field: Some("username"),
        },
        StoreError::Duplicate(UniqueRule::EnterpriseCreditCode) => ApiError::Conflict {
            code: "credit_code_taken",
            message: words(
                "该统一社会信用代码已注册为项目业主账号",
                "This unified social credit code is already registered as an enterprise",
            ),
            field: Some("credit_code"),
        },
        StoreError::Duplicate(UniqueRule::AgencyCreditCode) => ApiError::Conflict {
            code: "credit_code_taken",
            message: words(
                "该统一社会信用代码的中介机构已入驻或正在审核",
                "An agency with this unified social credit code is already listed or under review",
            ),
            field: Some("credit_code"),
        },
        other => ApiError::from(other),
    }
}

/// An account to create, already parsed; shared by self-registration and the admin command.
pub struct NewAccount {
    pub role: Role,
    pub username: Username,
    pub password: Password,
    pub organization: Organization,
    pub agency: Option<NewAgency>,
}

impl From<Registration> for NewAccount {
    fn from(r: Registration) -> Self {
        let agency = (r.role == Role::Agency).then(|| NewAgency {
            profile: AgencyProfile {
                name: r.organization_name.as_str().to_owned(),
                credit_code: r.credit_code.as_str().to_owned(),
                district: r.district.unwrap_or(market_domain::District::Yunhu),
                address: String::new(),
                legal_representative: String::new(),
                contact_person: r.contact_person.as_str().to_owned(),
                phone: r.phone.as_str().to_owned(),
                email: r.email.as_str().to_owned(),
                description: String::new(),
                staff_count: 0,
                service_types: Vec::new(),
                qualifications: Vec::new(),
                service_commitment: String::new(),
                fee_standards: Vec::new(),
            },
            versions: Vec::new(),
            // Self-registered agencies wait for the regulator's review.
            approved: false,
        });
        NewAccount {
            role: r.role,
            username: r.username,
            password: r.password,
            organization: Organization {
                name: r.organization_name.as_str().to_owned(),
                credit_code: Some(r.credit_code.as_str().to_owned()),
                contact_person: Some(r.contact_person.as_str().to_owned()),
                phone: Some(r.phone.as_str().to_owned()),
                email: Some(r.email.as_str().to_owned()),
            },
            agency,
        }
    }
}

/// Hashes the password and stores the account; duplicates become 409s naming the field.
pub async fn create_account(
    store: &dyn Store,
    account: NewAccount,
    at: OffsetDateTime,
) -> ApiResult<i64> {
    let password_hash = password::hash(account.password.expose().to_owned()).await?;
    store
        .create_user(NewUser {
            username: account.username.as_str().to_owned(),
            password_hash,
            role: account.role,
            organization: account.organization,
            agency: account.agency,
            created_at: at,
        })
        .await
        .map_err(duplicate_to_conflict)
}

async fn audit(
    state: &AppState,
    user: Option<(i64, &str)>,
    username: Option<&str>,
    ip: &str,
    event: &'static str,
    outcome: &'static str,
) -> ApiResult<()> {
    state
        .store
        .append_audit(AuditEntry {
            at: state.clock.now(),
            user_id: user.map(|(id, _)| id),
            username: user.map(|(_, name)| name).or(username).map(str::to_owned),
            ip: ip.to_owned(),
            event: event.to_owned(),
            outcome: outcome.to_owned(),
        })
        .await?;
    Ok(())
}

/// Starts a session for the user and answers with their account and the cookie.
async fn start_session(
    state: &AppState,
    user_id: i64,
    ip: &str,
    status: StatusCode,
) -> ApiResult<Response> {
    let token = session::new_token();
    state
        .store
        .create_session(session::token_hash(&token), user_id, state.clock.now(), ip)
        .await?;
    let account = state
        .store
        .account(user_id)
        .await?
        .ok_or_else(|| ApiError::internal("account vanished"))?;
    Ok((
        status,
        [(
            header::SET_COOKIE,
            session::session_cookie(&token, state.config.tls_cookies),
        )],
        Json(account),
    )
        .into_response())
}

#[utoipa::path(
    post,
    path = "/api/auth/register",
    tag = "auth",
    summary = "注册账户并登录",
    request_body = RegisterRequest,
    responses((status = 201, description = "已注册并登录", body = Account, headers(("Set-Cookie" = String, description = "会话 Cookie(HttpOnly、SameSite=Strict)")))),
)]
async fn register_account(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    ApiJson(request): ApiJson<RegisterRequest>,
) -> ApiResult<Response> {
    let registration = request.parse().map_err(ApiError::Validation)?;
    let now = state.clock.now();
    if let Some(wait) = throttle::reserve_registration(state.store.as_ref(), &ip, now).await? {
        return Err(ApiError::RateLimited {
            retry_after_secs: wait.whole_seconds().max(1) as u64,
        });
    }
    let username = registration.username.as_str().to_owned();
    let user_id =
        create_account(state.store.as_ref(), registration.into(), state.clock.now()).await?;
    // A new account is also signed in, so the audit trail shows both.
    for action in ["register", "login"] {
        audit(
            &state,
            Some((user_id, &username)),
            None,
            &ip,
            action,
            "success",
        )
        .await?;
    }
    start_session(&state, user_id, &ip, StatusCode::CREATED).await
}

#[utoipa::path(
    post,
    path = "/api/auth/login",
    tag = "auth",
    summary = "登录",
    request_body = LoginRequest,
    responses((status = 200, description = "已登录", body = Account, headers(("Set-Cookie" = String, description = "会话 Cookie(HttpOnly、SameSite=Strict)")))),
)]
async fn create_session(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    ApiJson(request): ApiJson<LoginRequest>,
) -> ApiResult<Response> {
    let now = state.clock.now();
    let username = Username::parse(&request.username).ok();
    let attempted = username
        .as_ref()
        .map(|u| u.as_str().to_owned())
        .unwrap_or_else(|| request.username.trim().chars().take(64).collect());
    let reservation = match throttle::reserve(state.store.as_ref(), &attempted, &ip, now).await? {
        Ok(rows) => rows,
        Err(retry_after) => {
            audit(&state, None, Some(&attempted), &ip, "login", "locked").await?;
            return Err(ApiError::TooManyAttempts {
                retry_after_secs: retry_after.whole_seconds().max(1) as u64,
            });
        }
    };
    let credentials = match &username {
        Some(name) => state.store.credentials(name.as_str()).await?,
        None => None,
    };
    let verified = password::verify(
        request.password.clone(),
        credentials.as_ref().map(|c| c.password_hash.clone()),
    )
    .await?;
    match credentials {
        Some(user) if verified => {
            throttle::succeeded(state.store.as_ref(), &attempted, &ip, reservation, now).await?;
            audit(
                &state,
                Some((user.id, &user.username)),
                None,
                &ip,
                "login",
                "success",
            )
            .await?;
            start_session(&state, user.id, &ip, StatusCode::OK).await
        }
        _ => {
            audit(&state, None, Some(&attempted), &ip, "login", "failure").await?;
            Err(ApiError::InvalidCredentials)
        }
    }
}

#[utoipa::path(
    post,
    path = "/api/auth/logout",
    tag = "auth",
    summary = "退出登录",
    responses((status = 204, description = "已退出,会话 Cookie 已清除")),
    security((), ("session" = [])),
)]
async fn delete_session(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    user: Option<CurrentUser>,
) -> ApiResult<Response> {
    if let Some(user) = user {
        state.store.delete_session(user.token_hash.clone()).await?;
        audit(
            &state,
            Some((user.user_id, &user.username)),
            None,
            &ip,
            "logout",
            "success",
        )
        .await?;
    }
    Ok((
        StatusCode::NO_CONTENT,
        [(
            header::SET_COOKIE,
            session::cleared_cookie(state.config.tls_cookies),
        )],
    )
        .into_response())
}

#[utoipa::path(
    get,
    path = "/api/auth/me",
    tag = "auth",
    summary = "当前登录账户",
    responses((status = 200, description = "成功", body = Account)),
    security(("session" = [])),
)]
async fn get_me(State(state): State<AppState>, user: CurrentUser) -> ApiResult<Json<Account>> {
    let account = state
        .store
        .account(user.user_id)
        .await?
        .ok_or(ApiError::Unauthenticated)?;
    Ok(Json(account))
}

/// Who is signed in, if anyone. Unlike `/api/auth/me` this is not an error when nobody is:
/// the app asks it on every page load, and an anonymous visitor is not a failure.
#[utoipa::path(
    get,
    path = "/api/auth/session",
    tag = "auth",
    summary = "当前会话:已登录时返回账户,未登录时 account 为 null(不是错误)",
    responses((status = 200, description = "成功", body = SessionView)),
    security((), ("session" = [])),
)]
async fn get_session(
    State(state): State<AppState>,
    user: Option<CurrentUser>,
) -> ApiResult<Json<SessionView>> {
    let account = match user {
        Some(user) => state.store.account(user.user_id).await?,
        None => None,
    };
    Ok(Json(SessionView { account }))
}
