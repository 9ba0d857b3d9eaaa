//! Grey placeholders with the shape of the content, shown while it loads.

use crate::i18n::use_i18n;
use leptos::prelude::*;

#[component]
pub fn CardSkeletons(
    /// How many placeholder cards to show.
    count: usize,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="agency-grid" aria-busy="true">
            <span class="visually-hidden">{move || i18n.t().loading}</span>
            {(0..count)
                .map(|_| {
                    view! {
                        <div class="skeleton skeleton--card" aria-hidden="true">
                            <div class="skeleton__line skeleton__line--title"></div>
                            <div class="skeleton__line"></div>
                            <div class="skeleton__line skeleton__line--short"></div>
                        </div>
                    }
                })
                .collect_view()}
        </div>
    }
}

#[component]
pub fn DetailSkeleton() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="skeleton skeleton--detail" aria-busy="true">
            <span class="visually-hidden">{move || i18n.t().loading}</span>
            <div class="skeleton__line skeleton__line--title" aria-hidden="true"></div>
            <div class="skeleton__line" aria-hidden="true"></div>
            <div class="skeleton__line" aria-hidden="true"></div>
            <div class="skeleton__line skeleton__line--short" aria-hidden="true"></div>
        </div>
    }
}
