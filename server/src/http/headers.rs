//! Security headers for every response. The Content-Security-Policy allows scripts only from
//! this origin, WebAssembly compilation, and the exact inline scripts of the built
//! `index.html` (Trunk's loader), by their SHA-256: never `unsafe-inline`.

use base64::Engine;
use sha2::{Digest, Sha256};

/// The policy for an app whose `index.html` is `index_html` (empty when there is no build).
pub fn content_security_policy(index_html: &str) -> String {
    let hashes: String = inline_scripts(index_html)
        .map(|script| {
            let digest = Sha256::digest(script.as_bytes());
            format!(
                " 'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(digest)
            )
        })
        .collect();
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{hashes}; \
         style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; \
         connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
         frame-ancestors 'none'"
    )
}

pub const REFERRER_POLICY: &str = "strict-origin-when-cross-origin";
pub const PERMISSIONS_POLICY: &str =
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()";
/// Sent only when clients reach the server over HTTPS (`--tls-cookies`).
pub const STRICT_TRANSPORT_SECURITY: &str = "max-age=31536000; includeSubDomains";

/// The bodies of `<script>` elements without a `src`, exactly as the browser hashes them.
fn inline_scripts(html: &str) -> impl Iterator<Item = &str> {
    let mut rest = html;
    std::iter::from_fn(move || loop {
        let start = rest.find("<script")?;
        let after_tag = &rest[start..];
        let open_end = after_tag.find('>')?;
        let attributes = &after_tag[..open_end];
        let body_and_more = &after_tag[open_end + 1..];
        let close = body_and_more.find("</script>")?;
        let body = &body_and_more[..close];
        rest = &body_and_more[close + "</script>".len()..];
        if !attributes.contains(" src=") {
            return Some(body);
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_scripts_are_allowed_by_hash_and_external_ones_are_not_listed() {
        let html =
            r#"<head><script src="/a.js"></script><script type="module">init()</script></head>"#;
        let policy = content_security_policy(html);
        let expected = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(b"init()"));
        assert!(policy.contains(&format!("'sha256-{expected}'")), "{policy}");
        assert_eq!(policy.matches("'sha256-").count(), 1);
        assert!(policy.contains("script-src 'self' 'wasm-unsafe-eval'"));
        assert!(!policy
            .split(';')
            .find(|d| d.trim().starts_with("script-src"))
            .unwrap()
            .contains("unsafe-inline"));
        assert!(policy.contains("frame-ancestors 'none'"));
    }

    #[test]
    fn without_a_build_no_inline_script_is_allowed() {
        assert!(!content_security_policy("").contains("sha256"));
    }
}
