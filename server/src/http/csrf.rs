//! CSRF defence: a state-changing request must carry a custom header, which a cross-site form
//! cannot set and a cross-site fetch cannot send without a CORS preflight we never grant.

use crate::error::{words, ApiError};
use axum::extract::Request;
use axum::http::Method;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use market_domain::wire::{CSRF_HEADER, CSRF_HEADER_VALUE};

pub async fn require_csrf_header(request: Request, next: Next) -> Response {
    // Only the methods that change state need the header; anything else (TRACE, unknown
    // verbs) goes on to the router, which answers 405.
    let safe = !matches!(
        *request.method(),
        Method::POST | Method::PUT | Method::PATCH | Method::DELETE
    );
    let has_header = request
        .headers()
        .get(CSRF_HEADER)
        .is_some_and(|value| value.as_bytes() == CSRF_HEADER_VALUE.as_bytes());
    // Integrations authenticate with a bearer token, never a cookie, so CSRF cannot reach them.
    let token_authenticated = request.uri().path().starts_with("/api/integrations/");
    if safe || has_header || token_authenticated {
        next.run(request).await
    } else {
        ApiError::Forbidden {
            code: "csrf_header_missing",
            message: words(
                "请求缺少安全校验头,请刷新页面后重试",
                "The request lacks its security header; reload the page and try again",
            ),
        }
        .into_response()
    }
}
