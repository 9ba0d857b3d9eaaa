//! Pages that need a signed-in account, or one of some roles: an anonymous visitor is sent to
//! the login page and brought back afterwards; a wrong role reads one clear "仅限…" page
//! instead of a half-rendered screen or a "session expired" error.

use crate::i18n::{set_title, use_i18n};
use crate::session::use_session;
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate};
use leptos_router::NavigateOptions;
use market_domain::Role;

/// The login URL that returns to `path` afterwards.
pub fn login_href(path: &str) -> String {
    format!("/login?next={}", market_domain::wire::percent_encode(path))
}

/// Where to go after logging in: only a path on this site, never another origin.
pub fn safe_next(next: Option<String>) -> Option<String> {
    next.filter(|n| n.starts_with('/') && !n.starts_with("//") && !n.contains('\\'))
}

#[component]
pub fn Guarded(
    /// The roles that may use the page; empty means any signed-in account.
    #[prop(optional)]
    roles: &'static [Role],
    /// The page itself.
    children: ChildrenFn,
) -> impl IntoView {
    let session = use_session();
    let i18n = use_i18n();
    let location = use_location();
    let navigate = use_navigate();
    // The page this guard protects. Logging out navigates away first and then clears the
    // session; by then the address is no longer this page, and nobody is sent to log in.
    let guarded_path = location.pathname.get_untracked();
    Effect::new(move |_| {
        if session.checked.get() && session.account.with(Option::is_none) {
            if location.pathname.get_untracked() != guarded_path {
                return;
            }
            let here = format!("{guarded_path}{}", location.search.get_untracked());
            navigate(
                &login_href(&here),
                NavigateOptions {
                    replace: true,
                    ..Default::default()
                },
            );
        }
    });
    let allowed = move || {
        session.account.with(|a| {
            a.as_ref()
                .map(|a| roles.is_empty() || roles.contains(&a.role))
        })
    };
    move || match (session.checked.get(), allowed()) {
        (true, Some(true)) => children().into_any(),
        (true, Some(false)) => {
            let names = move || {
                roles
                    .iter()
                    .map(|r| r.name(i18n.locale.get()))
                    .collect::<Vec<_>>()
                    .join(i18n.t().list_separator)
            };
            Effect::new(move |_| set_title(i18n.t().role_only_title, i18n.t()));
            view! {
                <section class="narrow card" role="alert">
                    <h1>{move || i18n.t().role_only_title}</h1>
                    <p>{move || crate::i18n::fill(i18n.t().role_only_body, &[("roles", names())])}</p>
                    <p><a href="/">{move || i18n.t().back_to_directory}</a></p>
                </section>
            }
            .into_any()
        }
        // Not yet known, or on the way to the login page.
        _ => view! { <crate::components::Skeleton /> }.into_any(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_paths_on_this_site_are_followed_after_login() {
        assert_eq!(
            safe_next(Some("/my/jobs?page=2".into())).as_deref(),
            Some("/my/jobs?page=2")
        );
        assert_eq!(safe_next(Some("//evil.example/x".into())), None);
        assert_eq!(safe_next(Some("https://evil.example".into())), None);
        assert_eq!(safe_next(Some("/\\evil.example".into())), None);
        assert_eq!(safe_next(None), None);
    }

    #[test]
    fn the_login_link_carries_the_page_to_return_to() {
        assert_eq!(login_href("/cases?x=1"), "/login?next=%2Fcases%3Fx%3D1");
    }
}
