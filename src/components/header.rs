//! The site header: product name, navigation, language switch and login state.

use crate::api;
use crate::i18n::{fill, use_i18n};
use crate::live::use_live;
use crate::session::use_session;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_location, use_navigate};
use market_domain::{Locale, Role};

#[component]
pub fn SiteHeader() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let navigate = use_navigate();
    let location = use_location();
    // The regulator's queue size, refreshed on every navigation.
    let review_count = LocalResource::new(move || {
        let is_regulator = session
            .account
            .get()
            .is_some_and(|a| a.role == Role::Regulator);
        location.pathname.track();
        async move {
            if is_regulator {
                api::review_queue().await.ok().map(|q| q.count)
            } else {
                None
            }
        }
    });
    let log_out = move |_| {
        let navigate = navigate.clone();
        spawn_local(async move {
            // Whatever the server says, the local view of the session is over. Leave the
            // page first, so a signed-in-only page does not bounce to the login form.
            let _ = api::logout().await;
            navigate("/", Default::default());
            session.account.set(None);
        });
    };
    // The phone menu closes whenever the page changes.
    let menu_open = RwSignal::new(false);
    Effect::new(move |_| {
        location.pathname.track();
        menu_open.set(false);
    });
    // The router would treat "#main" as a navigation; move focus to the content instead.
    let skip_to_main = move |ev: leptos::ev::MouseEvent| {
        ev.prevent_default();
        if let Some(main) = document().get_element_by_id("main") {
            use wasm_bindgen::JsCast;
            if let Ok(main) = main.dyn_into::<web_sys::HtmlElement>() {
                let _ = main.focus();
            }
        }
    };
    view! {
        <header class="site-header">
            <a class="visually-hidden visually-hidden--focusable" href="#main" on:click=skip_to_main>{move || i18n.t().skip_to_content}</a>
            <div class="site-header__inner">
                <a class="site-header__brand" href="/">
                    <span class="site-header__portal">{move || i18n.t().city_portal}</span>
                    <span class="site-header__name">{move || i18n.t().product_name}</span>
                </a>
                <button
                    class="site-header__menu"
                    type="button"
                    aria-controls="site-nav"
                    aria-expanded=move || menu_open.get().to_string()
                    on:click=move |_| menu_open.update(|open| *open = !*open)
                >
                    {move || i18n.t().nav_menu}
                </button>
                <nav
                    id="site-nav"
                    class=move || if menu_open.get() { "site-header__nav site-header__nav--open" } else { "site-header__nav" }
                    aria-label=move || i18n.t().nav_label
                >
                    <a href="/">{move || i18n.t().nav_directory}</a>
                    <a href="/jobs">{move || i18n.t().nav_jobs}</a>
                    <a href="/fees">{move || i18n.t().nav_fees}</a>
                    <a href="/statistics">{move || i18n.t().nav_statistics}</a>
                    <a href="/ledger">{move || i18n.t().nav_transparency}</a>
                    <a href="/complaints">{move || i18n.t().nav_complaints}</a>
                    {move || match session.account.get().map(|a| a.role) {
                        Some(Role::Agency) => Some(view! {
                            <a href="/my/jobs">{move || i18n.t().nav_my_jobs}</a>
                            <a href="/account">{move || i18n.t().nav_my_listing}</a>
                        }.into_any()),
                        Some(Role::Enterprise) => Some(view! {
                            <a href="/my/jobs">{move || i18n.t().nav_my_jobs}</a>
                            <a href="/cases">{move || i18n.t().nav_cases}</a>
                        }.into_any()),
                        Some(Role::ApprovalOfficer) => Some(view! { <a href="/cases">{move || i18n.t().nav_cases}</a> }.into_any()),
                        Some(Role::Regulator) => Some(view! {
                            <a href="/oversight">{move || i18n.t().nav_oversight}</a>
                            <a href="/cases">{move || i18n.t().nav_cases}</a>
                            <a href="/review">
                                {move || i18n.t().nav_review}
                                {move || review_count.get().flatten().map(|n| view! { <span class="count-badge" aria-label=format!("{n}")>{n}</span> })}
                            </a>
                        }.into_any()),
                        _ => None,
                    }}
                    {move || session.account.get().is_some().then(|| view! { <InboxLink /> })}
                </nav>
                <div class="site-header__tools">
                    <label class="site-header__language">
                        <span class="visually-hidden">{move || i18n.t().language_label}</span>
                        <select on:change:target=move |ev| {
                            if let Some(locale) = Locale::parse(&ev.target().value()) {
                                i18n.set(locale);
                            }
                        }>
                            <option value="zh-CN" lang="zh-CN" selected=move || i18n.locale.get() == Locale::ZhCn>"中文"</option>
                            <option value="en" lang="en" selected=move || i18n.locale.get() == Locale::En>"English"</option>
                        </select>
                    </label>
                    {move || match session.account.get() {
                        Some(account) => view! {
                            <a class="site-header__user" href="/account">
                                {account.organization_name.clone()}
                                <span class="visually-hidden">" · " {move || i18n.t().nav_account}</span>
                            </a>
                            <button class="button button--ghost" type="button" on:click=log_out.clone()>
                                {move || i18n.t().nav_logout}
                            </button>
                        }.into_any(),
                        None => view! {
                            <a class="button button--ghost" href="/login">{move || i18n.t().nav_login}</a>
                            <a class="button button--primary" href="/register">{move || i18n.t().nav_register}</a>
                        }.into_any(),
                    }}
                </div>
            </div>
        </header>
    }
}

/// The header's inbox link with its live unread badge. The count is read from hidden text
/// inside the link, so the accessible name starts with the visible words (WCAG 2.5.3).
#[component]
fn InboxLink() -> impl IntoView {
    let i18n = use_i18n();
    let live = use_live();
    view! {
        <a href="/notifications" class="site-header__inbox">
            {move || i18n.t().nav_notifications}
            {move || {
                let unread = live.unread.get();
                (unread > 0).then(|| view! {
                    <span class="count-badge" aria-hidden="true">{unread}</span>
                    <span class="visually-hidden">
                        "(" {fill(i18n.t().notifications_unread_label, &[("count", unread.to_string())])} ")"
                    </span>
                })
            }}
        </a>
    }
}

/// Announces each pushed notification briefly; screen readers hear it through the live region.
#[component]
pub fn NotificationToast() -> impl IntoView {
    let i18n = use_i18n();
    let live = use_live();
    view! {
        <section class="toast-region" aria-label=move || i18n.t().notifications_new aria-live="polite">
            {move || live.latest.get().map(|n| view! {
                <div class="toast">
                    <a class="toast__link" href=n.link.clone() on:click=move |_| live.latest.set(None)>
                        <span class="toast__kind">{move || i18n.t().notifications_new}</span>
                        <span class="toast__title">{let n = n.clone(); move || n.headline(i18n.locale.get()).to_owned()}</span>
                    </a>
                    <button class="button button--ghost toast__close" type="button" on:click=move |_| live.latest.set(None)>
                        {move || i18n.t().notifications_toast_close}
                    </button>
                </div>
            })}
        </section>
    }
}
