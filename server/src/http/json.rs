//! A JSON extractor whose failures are `ApiError`s with a code and, where serde says so, a field.

use crate::error::ApiError;
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use serde::de::DeserializeOwned;

pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(request, state).await {
            Ok(axum::Json(value)) => Ok(ApiJson(value)),
            Err(rejection) => Err(rejection_to_error(rejection)),
        }
    }
}

fn rejection_to_error(rejection: JsonRejection) -> ApiError {
    if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
        return ApiError::PayloadTooLarge;
    }
    match rejection {
        JsonRejection::MissingJsonContentType(_) => ApiError::BadRequest {
            code: "unsupported_content_type",
            message: "请求体须为 JSON(Content-Type: application/json)".into(),
            message_en: "The body must be JSON (Content-Type: application/json)".into(),
            field: None,
        },
        JsonRejection::JsonDataError(err) => {
            let detail = err.body_text();
            ApiError::BadRequest {
                code: "invalid_field",
                message: format!("请求内容不完整或字段类型错误:{detail}"),
                message_en: format!("A field is missing or has the wrong type: {detail}"),
                field: field_named_in(&detail),
            }
        }
        JsonRejection::JsonSyntaxError(_) => ApiError::BadRequest {
            code: "invalid_json",
            message: "请求体不是合法的 JSON".into(),
            message_en: "The body is not valid JSON".into(),
            field: None,
        },
        other => ApiError::BadRequest {
            code: "invalid_body",
            message: format!("无法读取请求体:{}", other.body_text()),
            message_en: format!("The body cannot be read: {}", other.body_text()),
            field: None,
        },
    }
}

/// serde names the culprit as "missing field `x`" or "`x`: invalid type …" (the path form).
fn field_named_in(detail: &str) -> Option<String> {
    if let Some(rest) = detail.split("missing field `").nth(1) {
        return rest.split('`').next().map(str::to_owned);
    }
    let path = detail
        .split(": ")
        .nth(1)
        .filter(|p| !p.contains(' '))
        .map(|p| p.trim_end_matches(':'));
    path.filter(|p| !p.is_empty() && *p != ".")
        .map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::field_named_in;

    #[test]
    fn the_missing_field_is_named() {
        assert_eq!(
            field_named_in("Failed to deserialize the JSON body into the target type: missing field `password` at line 1 column 20"),
            Some("password".to_owned())
        );
    }

    #[test]
    fn a_wrongly_typed_field_is_named_by_its_path() {
        assert_eq!(
            field_named_in("Failed to deserialize the JSON body into the target type: username: invalid type: integer `5`, expected a string at line 1 column 14"),
            Some("username".to_owned())
        );
    }
}
