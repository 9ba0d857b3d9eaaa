//! A shared link to an agency or a job paints its name and main text (an agency's description,
//! a job's scope of work) from the HTML, before the app's wasm arrives: on a slow phone that code
//! takes seconds, and the page's largest text is what a reader waits for. Only data is written,
//! never a label, so a reader who chose English reads no Chinese system text; the app takes over
//! once its own view has the data (src/boot.rs).

use crate::jobs::service::visible_to;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use std::sync::Arc;

/// index.html cut around the boot skeleton's `<main>`, which a first screen replaces.
#[derive(Debug)]
pub struct Shell {
    page: String,
    main: Option<(usize, usize)>,
}

impl Shell {
    /// Finds the `<main>` inside `#boot`; without one (no build, or a test's stub page) every
    /// link gets the page as it is.
    pub fn parse(page: String) -> Self {
        let main = Self::boot_main(&page);
        Shell { page, main }
    }

    fn boot_main(page: &str) -> Option<(usize, usize)> {
        let boot = ["id=boot", "id=\"boot\""]
            .iter()
            .find_map(|marker| page.find(marker))?;
        let start = boot + page[boot..].find("<main")?;
        let end = start + page[start..].find("</main>")? + "</main>".len();
        Some((start, end))
    }

    /// The page with `main` (already escaped HTML) in place of the skeleton, or as it is.
    fn with(&self, main: Option<String>) -> String {
        match (self.main, main) {
            (Some((start, end)), Some(main)) => {
                format!("{}{main}{}", &self.page[..start], &self.page[end..])
            }
            _ => self.page.clone(),
        }
    }
}

/// `GET /agencies/{id}` and `GET /jobs/{id}`: the app's page with the first screen filled in.
pub fn router(shell: Arc<Shell>) -> Router<AppState> {
    Router::new()
        .route("/agencies/{id}", get(show_agency))
        .route("/jobs/{id}", get(show_job))
        .layer(axum::Extension(shell))
}

async fn show_agency(
    State(state): State<AppState>,
    axum::Extension(shell): axum::Extension<Arc<Shell>>,
    Path(id): Path<String>,
) -> Response {
    let main = async {
        let detail = state.store.agency_detail(plain_id(&id)?, state.today());
        let detail = logged(detail.await)??;
        Some(agency_main(
            &detail.profile.name,
            &detail.profile.description,
        ))
    };
    html(shell.with(main.await))
}

async fn show_job(
    State(state): State<AppState>,
    axum::Extension(shell): axum::Extension<Arc<Shell>>,
    Path(id): Path<String>,
) -> Response {
    let main = async {
        let job = logged(state.store.job(plain_id(&id)?).await)??;
        visible_to(&job, None).ok()?;
        Some(job_main(
            &job.view.terms.project_name,
            &job.view.terms.scope,
        ))
    };
    html(shell.with(main.await))
}

/// A store error costs only the first screen: the page goes out without it (never a 500 for an
/// optimisation) and the app's own request then shows the error. It is logged, so it is seen.
fn logged<T, E: std::fmt::Display>(result: Result<T, E>) -> Option<T> {
    result
        .map_err(|error| tracing::warn!(%error, "first screen left out: the store failed"))
        .ok()
}

/// The app asks the API only for a plain number (src/pages/mod.rs); anything else is its 404.
fn plain_id(raw: &str) -> Option<i64> {
    (!raw.is_empty() && raw.len() <= 18 && raw.bytes().all(|b| b.is_ascii_digit()))
        .then(|| raw.parse().ok())
        .flatten()
}

fn html(page: String) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        )],
        page,
    )
        .into_response()
}

/// The same classes as the app's agency page, so the name and description take the same room
/// there and here; the facts, which need labels, are skeleton lines until the app has them.
fn agency_main(name: &str, description: &str) -> String {
    format!(
        concat!(
            r#"<main class="page first-screen"><div class="agency-page">"#,
            r#"<span class="back-link" aria-hidden="true">&nbsp;</span>"#,
            r#"<article class="agency"><header class="agency__header"><h1 class="agency__name">{}</h1></header>"#,
            r#"<div class="agency__columns"><section class="card">"#,
            r#"<div class="skeleton__line skeleton__line--title"></div><div class="skeleton__line"></div>"#,
            r#"<div class="skeleton__line skeleton__line--short"></div>"#,
            r#"<p class="agency__description">{}</p></section></div></article></div></main>"#
        ),
        escape(name),
        escape(description)
    )
}

/// The job page's heading and its scope of work, with skeleton lines where its labelled facts
/// will be. The scope is far down the app's page, but here it is what a bidder reads first, and
/// it keeps the largest text of the first paint from being outdone by the app's heading, which
/// may land on a pixel boundary one row taller.
fn job_main(project_name: &str, scope: &str) -> String {
    format!(
        concat!(
            r#"<main class="page first-screen"><section class="job-page">"#,
            r#"<span class="back-link" aria-hidden="true">&nbsp;</span>"#,
            r#"<article class="job"><header class="agency__header"><h1>{}</h1></header>"#,
            r#"<section class="card"><p>{}</p><div class="skeleton__line skeleton__line--title"></div>"#,
            r#"<div class="skeleton__line"></div><div class="skeleton__line"></div>"#,
            r#"<div class="skeleton__line skeleton__line--short"></div></section></article></section></main>"#
        ),
        escape(project_name),
        escape(scope)
    )
}

/// Text as HTML text or attribute content: names and descriptions are whatever a user typed.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIFIED: &str = "<html><body><script type=module>x</script><div aria-busy=true id=boot><div class=site-header></div><main class=page><div class=agency-grid></div></main></div><noscript>n</noscript></body></html>";

    #[test]
    fn a_first_screen_replaces_only_the_boot_skeletons_main() {
        let shell = Shell::parse(MINIFIED.to_owned());
        let page = shell.with(Some("<main>filled</main>".to_owned()));
        assert_eq!(
            page,
            "<html><body><script type=module>x</script><div aria-busy=true id=boot><div class=site-header></div><main>filled</main></div><noscript>n</noscript></body></html>"
        );
    }

    #[test]
    fn a_page_without_a_boot_skeleton_is_sent_as_it_is() {
        let shell = Shell::parse("<main>app</main><p>no boot</p>".to_owned());
        assert_eq!(
            shell.with(Some("<main>x</main>".to_owned())),
            "<main>app</main><p>no boot</p>"
        );
        let quoted = Shell::parse(r#"<div id="boot"><main class="page">s</main></div>"#.into());
        assert_eq!(
            quoted.with(None),
            r#"<div id="boot"><main class="page">s</main></div>"#
        );
        assert_eq!(
            quoted.with(Some("<main>y</main>".into())),
            r#"<div id="boot"><main>y</main></div>"#
        );
    }

    #[test]
    fn typed_text_cannot_open_markup() {
        let main = agency_main("<script>alert(1)</script>", "a & b \"c\" 'd'");
        assert!(!main.contains("<script>"), "{main}");
        assert!(main.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(main.contains("a &amp; b &quot;c&quot; &#39;d&#39;"));
        let job = job_main("</h1><img src=x>", "<p>");
        assert!(job.contains("&lt;/h1&gt;&lt;img src=x&gt;") && job.contains("<p>&lt;p&gt;</p>"));
    }

    #[test]
    fn only_plain_numbers_are_ids() {
        assert_eq!(plain_id("12"), Some(12));
        for raw in ["", "-1", "1e3", "12a", "１２", "99999999999999999999"] {
            assert_eq!(plain_id(raw), None, "{raw}");
        }
    }
}
