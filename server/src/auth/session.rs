//! Session tokens and cookies, and the extractor that turns a cookie into the signed-in user.

use crate::error::{words, ApiError};
use crate::state::AppState;
use axum::extract::{FromRequestParts, OptionalFromRequestParts};
use axum::http::{header, request::Parts, HeaderMap, HeaderValue, Method};
use base64::Engine;
use market_domain::Role;
use rand::RngCore;
use sha2::{Digest, Sha256};
use time::Duration;

pub const IDLE_TIMEOUT: Duration = Duration::minutes(30);
pub const ABSOLUTE_TIMEOUT: Duration = Duration::hours(12);
/// Activity is written back at most this often, to spare the single writer.
const TOUCH_INTERVAL: Duration = Duration::seconds(60);

const COOKIE_NAME: &str = "market_session";
const SECURE_COOKIE_NAME: &str = "__Host-market_session";

/// A fresh 256-bit token, URL-safe base64.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// Only this hash is stored, so a database leak does not hand out live sessions.
pub fn token_hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

fn cookie_name(tls: bool) -> &'static str {
    if tls {
        SECURE_COOKIE_NAME
    } else {
        COOKIE_NAME
    }
}

pub fn session_cookie(token: &str, tls: bool) -> HeaderValue {
    let secure = if tls { "; Secure" } else { "" };
    let value = format!(
        "{}={token}; HttpOnly; SameSite=Strict; Path=/; Max-Age={}{secure}",
        cookie_name(tls),
        ABSOLUTE_TIMEOUT.whole_seconds()
    );
    HeaderValue::from_str(&value).expect("token is URL-safe base64")
}

pub fn cleared_cookie(tls: bool) -> HeaderValue {
    let secure = if tls { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0{secure}",
        cookie_name(tls)
    ))
    .expect("static cookie")
}

pub fn token_from_headers(headers: &HeaderMap, tls: bool) -> Option<String> {
    let name = cookie_name(tls);
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, token)| token.to_owned())
        .filter(|token| !token.is_empty())
}

/// The signed-in user. Rejects with 401 when there is no live session.
#[derive(Clone, Debug)]
pub struct CurrentUser {
    pub user_id: i64,
    pub username: String,
    pub role: Role,
    pub token_hash: Vec<u8>,
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let token = token_from_headers(&parts.headers, state.config.tls_cookies)
            .ok_or(ApiError::Unauthenticated)?;
        let hash = token_hash(&token);
        let session = state
            .store
            .session(hash.clone())
            .await?
            .ok_or(ApiError::Unauthenticated)?;
        let now = state.clock.now();
        let idle_expired = now - session.last_seen_at >= IDLE_TIMEOUT;
        let absolute_expired = now - session.created_at >= ABSOLUTE_TIMEOUT;
        if idle_expired || absolute_expired {
            state.store.delete_session(hash).await?;
            return Err(ApiError::Unauthenticated);
        }
        let writes = !matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
        if writes {
            if let Err(wait) = state.writes.take(session.user_id) {
                return Err(ApiError::RateLimited {
                    retry_after_secs: wait.as_secs().max(1),
                });
            }
        }
        if now - session.last_seen_at >= TOUCH_INTERVAL {
            state.store.touch_session(hash.clone(), now).await?;
        }
        crate::audit::Actor::user(parts, session.user_id, &session.username);
        Ok(CurrentUser {
            user_id: session.user_id,
            username: session.username,
            role: session.role,
            token_hash: hash,
        })
    }
}

/// Whether the session with this token hash still lives (not logged out, not expired). Reads
/// only: long-lived streams call it to end themselves.
pub async fn is_live(state: &AppState, hash: &[u8]) -> bool {
    match state.store.session(hash.to_vec()).await {
        Ok(Some(session)) => {
            let now = state.clock.now();
            now - session.last_seen_at < IDLE_TIMEOUT && now - session.created_at < ABSOLUTE_TIMEOUT
        }
        Ok(None) => false,
        // A storage hiccup is not a logout; the next check decides.
        Err(_) => true,
    }
}

impl CurrentUser {
    /// Refuses (403) users of any other role.
    pub fn require(&self, role: Role) -> Result<(), ApiError> {
        if self.role == role {
            Ok(())
        } else {
            Err(ApiError::Forbidden {
                code: "forbidden_role",
                message: words("您的账号无权执行此操作", "Your account may not do this"),
            })
        }
    }
}

/// `Option<CurrentUser>`: `None` when nobody is signed in; storage failures still fail.
impl OptionalFromRequestParts<AppState> for CurrentUser {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Option<Self>, ApiError> {
        match <CurrentUser as FromRequestParts<AppState>>::from_request_parts(parts, state).await {
            Ok(user) => Ok(Some(user)),
            Err(ApiError::Unauthenticated) => Ok(None),
            Err(other) => Err(other),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_carry_256_bits_and_are_unique() {
        let token = new_token();
        assert_eq!(
            base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(&token)
                .unwrap()
                .len(),
            32
        );
        assert_ne!(token, new_token());
    }

    #[test]
    fn the_cookie_is_http_only_strict_and_host_prefixed_over_tls() {
        let plain = session_cookie("abc", false);
        let plain = plain.to_str().unwrap();
        assert!(plain.starts_with("market_session=abc;"));
        assert!(plain.contains("HttpOnly") && plain.contains("SameSite=Strict"));
        assert!(plain.contains("Path=/") && !plain.contains("Secure"));
        let tls = session_cookie("abc", true);
        let tls = tls.to_str().unwrap();
        assert!(tls.starts_with("__Host-market_session=abc;") && tls.ends_with("; Secure"));
    }

    #[test]
    fn the_token_is_found_among_other_cookies() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("theme=dark; market_session=tok123; x=y"),
        );
        assert_eq!(
            token_from_headers(&headers, false).as_deref(),
            Some("tok123")
        );
        assert_eq!(token_from_headers(&headers, true), None);
    }
}
