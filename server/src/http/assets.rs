//! The built app as static files: precompressed at build time (never compressed per request),
//! cached for a year when the file name carries its content hash, revalidated otherwise.

use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use std::path::Path;
use tower_http::services::{ServeDir, ServeFile};

/// What hashed files get: the name changes whenever the content does.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// index.html and anything unhashed: always ask whether it changed.
pub const REVALIDATE: &str = "no-cache";

/// Serves `dist/`, answering unknown paths with index.html so deep links into the app work.
/// Each file is sent as its `.br` or `.gz` sibling when the browser accepts it and the build
/// wrote one.
pub fn service(dist: &Path) -> ServeDir<ServeFile> {
    let index = ServeFile::new(dist.join("index.html"))
        .precompressed_br()
        .precompressed_gzip();
    ServeDir::new(dist)
        .precompressed_br()
        .precompressed_gzip()
        .fallback(index)
}

/// Trunk names built files `name-<16 hex digits>.ext` (or `…_bg.wasm`), and the split wasm
/// lives under `/pkg-<16 hex digits>/`, named after the hash of all of it.
pub fn is_content_hashed(path: &str) -> bool {
    let hashed = |stem: &str| {
        stem.rsplit_once('-').is_some_and(|(_, hash)| {
            hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit())
        })
    };
    let mut segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let Some(name) = segments.pop() else {
        return false;
    };
    if segments
        .iter()
        .any(|dir| dir.starts_with("pkg-") && hashed(dir))
    {
        return true;
    }
    let Some((stem, _ext)) = name.split_once('.') else {
        return false;
    };
    hashed(stem.strip_suffix("_bg").unwrap_or(stem))
}

/// Sets `Cache-Control` on static responses by file name.
pub async fn cache_control(request: Request, next: Next) -> Response {
    let hashed = is_content_hashed(request.uri().path());
    let mut response = next.run(request).await;
    if response.status() == StatusCode::OK || response.status() == StatusCode::NOT_MODIFIED {
        let value = if hashed { IMMUTABLE } else { REVALIDATE };
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trunk_output_names_are_recognised_as_content_hashed() {
        for name in [
            "/market-app-8333c3d0bc3c7d29_bg.wasm",
            "/market-app-8333c3d0bc3c7d29.js",
            "/tokens-5495e42467c82c04.css",
            "/pkg-624b996166394741/main.js",
            "/pkg-624b996166394741/chunk_12.wasm",
        ] {
            assert!(is_content_hashed(name), "{name}");
        }
    }

    #[test]
    fn pages_and_unhashed_files_are_not() {
        for name in [
            "/",
            "/index.html",
            "/agencies/12",
            "/favicon.svg",
            "/jobs-new.css",
            "/market-app-8333c3d0bc3c7d2z.js",
            "/pkg/main.js",
            "/pkg-624b99616639474/main.js",
            "/pkg-624b996166394741",
        ] {
            assert!(!is_content_hashed(name), "{name}");
        }
    }
}
