//! HTTP plumbing shared by the feature modules: JSON extraction, CSRF check, client address.

pub mod assets;
pub mod csrf;
pub mod headers;
pub mod json;
pub mod path;
pub mod query;
pub mod rate;

use axum::extract::ConnectInfo;
use axum::http::request::Parts;
use std::net::SocketAddr;

/// The peer address, for throttling and the audit log. The server is meant to face clients
/// directly; behind a proxy every request would share the proxy's address.
pub fn client_ip(parts: &Parts) -> String {
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip().to_string())
        .unwrap_or_else(|| "unknown".to_owned())
}
