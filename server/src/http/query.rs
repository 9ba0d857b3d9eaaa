//! A query-string extractor whose failures are the JSON error body, never axum's plain text.

use crate::error::ApiError;
use axum::extract::{FromRequestParts, Query};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

pub struct ApiQuery<T>(pub T);

impl<S, T> FromRequestParts<S> for ApiQuery<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        match Query::<T>::from_request_parts(parts, state).await {
            Ok(Query(value)) => Ok(ApiQuery(value)),
            Err(rejection) => {
                let detail = rejection.body_text();
                Err(ApiError::BadRequest {
                    code: "invalid_query",
                    message: format!("查询参数有误:{detail}"),
                    message_en: format!("Invalid query parameter: {detail}"),
                    field: field_named_in(&detail),
                })
            }
        }
    }
}

/// serde_urlencoded says "invalid digit found in string" without a name, or
/// "missing field `x`" / "unknown variant … for key `x`"-like texts with one.
fn field_named_in(detail: &str) -> Option<String> {
    detail
        .split('`')
        .nth(1)
        .filter(|name| {
            !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        })
        .map(str::to_owned)
}
