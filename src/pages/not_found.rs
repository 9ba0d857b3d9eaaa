//! The page for addresses the route table does not know.

use crate::i18n::{set_title, use_i18n};
use leptos::prelude::*;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    let i18n = use_i18n();
    Effect::new(move |_| set_title(i18n.t().not_found_title, i18n.t()));
    view! {
        <section class="narrow">
            <h1>{move || i18n.t().not_found_title}</h1>
            <p>{move || i18n.t().not_found_body}</p>
            <a class="button button--primary" href="/">{move || i18n.t().back_home}</a>
        </section>
    }
}
