//! The one error type of the API. Every failure becomes a status code and a JSON body here.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use market_domain::wire::{ErrorBody, ErrorDetail};
use market_domain::FieldError;

/// A sentence in both of the product's languages. The body's `message` carries the Chinese for
/// API clients and `message_en` the English, so the browser shows the reader's language.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Words {
    pub zh: &'static str,
    pub en: &'static str,
}

/// Both languages of one message, Chinese first.
pub const fn words(zh: &'static str, en: &'static str) -> Words {
    Words { zh, en }
}

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// One or more fields broke a domain rule.
    #[error("validation failed")]
    Validation(Vec<FieldError>),
    /// The request itself is malformed (not JSON, wrong types, bad query string).
    #[error("bad request: {code}")]
    BadRequest {
        code: &'static str,
        message: String,
        message_en: String,
        field: Option<String>,
    },
    #[error("not authenticated")]
    Unauthenticated,
    #[error("invalid credentials")]
    InvalidCredentials,
    #[error("forbidden: {code}")]
    Forbidden { code: &'static str, message: Words },
    #[error("not found")]
    NotFound,
    /// No route under `/api` matches: a client bug, told apart from a missing record.
    #[error("unknown endpoint")]
    UnknownEndpoint,
    /// The path exists but not with this method.
    #[error("method not allowed")]
    MethodNotAllowed,
    #[error("conflict: {code}")]
    Conflict {
        code: &'static str,
        message: Words,
        field: Option<&'static str>,
    },
    #[error("too many attempts")]
    TooManyAttempts { retry_after_secs: u64 },
    /// Too many requests of one kind from one account or address (registration, writes).
    #[error("rate limited")]
    RateLimited { retry_after_secs: u64 },
    /// The server is saturated (every database connection busy, hashing slots full).
    #[error("service unavailable")]
    Unavailable { retry_after_secs: u64 },
    #[error("payload too large")]
    PayloadTooLarge,
    #[error("internal error: {0}")]
    Internal(String),
}

impl ApiError {
    pub fn internal(err: impl std::fmt::Display) -> Self {
        ApiError::Internal(err.to_string())
    }

    pub fn field(error: FieldError) -> Self {
        ApiError::Validation(vec![error])
    }

    /// The message a user reads, as the JSON body carries it.
    pub fn user_message(&self) -> String {
        self.detail().message
    }

    fn status(&self) -> StatusCode {
        match self {
            ApiError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::BadRequest { .. } => StatusCode::BAD_REQUEST,
            ApiError::Unauthenticated | ApiError::InvalidCredentials => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden { .. } => StatusCode::FORBIDDEN,
            ApiError::NotFound | ApiError::UnknownEndpoint => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::Conflict { .. } => StatusCode::CONFLICT,
            ApiError::TooManyAttempts { .. } | ApiError::RateLimited { .. } => {
                StatusCode::TOO_MANY_REQUESTS
            }
            ApiError::Unavailable { .. } => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn detail(&self) -> ErrorDetail {
        let simple = |code: &str, zh: &str, en: &str, field: Option<&str>| ErrorDetail {
            code: code.to_owned(),
            message: zh.to_owned(),
            message_en: en.to_owned(),
            field: field.map(str::to_owned),
            fields: Vec::new(),
        };
        let said = |code: &str, words: &Words, field: Option<&str>| {
            simple(code, words.zh, words.en, field)
        };
        match self {
            ApiError::Validation(fields) => match fields.first() {
                Some(first) => ErrorDetail {
                    code: first.code.clone(),
                    message: first.message.clone(),
                    message_en: first.message_en.clone(),
                    field: Some(first.field.clone()),
                    fields: fields.clone(),
                },
                None => simple(
                    "validation_failed",
                    "提交的内容有误,请检查后重试",
                    "Some of what you sent is not valid; check it and try again",
                    None,
                ),
            },
            ApiError::BadRequest {
                code,
                message,
                message_en,
                field,
            } => simple(code, message, message_en, field.as_deref()),
            ApiError::Unauthenticated => simple(
                "not_authenticated",
                "请先登录",
                "Please sign in first",
                None,
            ),
            ApiError::InvalidCredentials => simple(
                "invalid_credentials",
                "用户名或密码错误",
                "Wrong user name or password",
                None,
            ),
            ApiError::Forbidden { code, message } => said(code, message, None),
            ApiError::NotFound => simple(
                "not_found",
                "请求的内容不存在",
                "What you asked for does not exist",
                None,
            ),
            ApiError::UnknownEndpoint => simple(
                "unknown_endpoint",
                "没有这个接口,接口列表见 /api/openapi.json",
                "There is no such endpoint; see /api/openapi.json for the list",
                None,
            ),
            ApiError::MethodNotAllowed => simple(
                "method_not_allowed",
                "该接口不支持此请求方法,可用方法见 /api/openapi.json",
                "This endpoint does not take this method; see /api/openapi.json",
                None,
            ),
            ApiError::Conflict {
                code,
                message,
                field,
            } => said(code, message, *field),
            ApiError::TooManyAttempts { retry_after_secs } => {
                let minutes = retry_after_secs.div_ceil(60).max(1);
                simple(
                    "too_many_attempts",
                    &format!("登录失败次数过多,请 {minutes} 分钟后再试"),
                    &format!("Too many failed sign-ins; try again in {minutes} min"),
                    None,
                )
            }
            ApiError::RateLimited { retry_after_secs } => {
                let seconds = retry_after_secs.max(&1);
                simple(
                    "rate_limited",
                    &format!("操作过于频繁,请 {seconds} 秒后再试"),
                    &format!("Too many requests; try again in {seconds} s"),
                    None,
                )
            }
            ApiError::Unavailable { retry_after_secs } => {
                let seconds = retry_after_secs.max(&1);
                simple(
                    "service_busy",
                    &format!("系统繁忙,请 {seconds} 秒后再试"),
                    &format!("The system is busy; try again in {seconds} s"),
                    None,
                )
            }
            ApiError::PayloadTooLarge => simple(
                "payload_too_large",
                "提交的内容过大",
                "What you sent is too large",
                None,
            ),
            ApiError::Internal(_) => simple(
                "internal_error",
                "服务器内部错误,请稍后重试",
                "Something went wrong on the server; try again later",
                None,
            ),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let ApiError::Internal(cause) = &self {
            tracing::error!(%cause, "request failed");
        }
        let status = self.status();
        let mut response = (
            status,
            Json(ErrorBody {
                error: self.detail(),
            }),
        )
            .into_response();
        if let ApiError::TooManyAttempts { retry_after_secs }
        | ApiError::RateLimited { retry_after_secs }
        | ApiError::Unavailable { retry_after_secs } = self
        {
            if let Ok(value) = HeaderValue::from_str(&retry_after_secs.max(1).to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
        }
        response
    }
}

impl From<crate::store::StoreError> for ApiError {
    fn from(err: crate::store::StoreError) -> Self {
        match err {
            crate::store::StoreError::Busy => ApiError::Unavailable {
                retry_after_secs: 1,
            },
            other => ApiError::internal(other),
        }
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
