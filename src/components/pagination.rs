//! Previous/next links with the page position; the page lives in the URL.

use crate::i18n::{fill, use_i18n};
use leptos::prelude::*;

#[component]
pub fn Pagination(
    /// The current page, from 1.
    page: u32,
    /// How many pages there are in all.
    page_count: u32,
    /// Builds the link to a page.
    href: impl Fn(u32) -> String + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let previous = (page > 1).then(|| href(page - 1));
    let next = (page < page_count).then(|| href(page + 1));
    let position = move || {
        fill(
            i18n.t().pagination_page,
            &[
                ("p", page.to_string()),
                ("n", page_count.max(1).to_string()),
            ],
        )
    };
    view! {
        <nav class="pagination" aria-label=move || i18n.t().pagination_label>
            {match previous {
                Some(url) => view! {
                    <a class="pagination__link" rel="prev" href=url>{move || i18n.t().pagination_previous}</a>
                }.into_any(),
                None => view! {
                    <span class="pagination__link pagination__link--disabled" aria-disabled="true">
                        {move || i18n.t().pagination_previous}
                    </span>
                }.into_any(),
            }}
            <span class="pagination__position" aria-current="page">{position}</span>
            {match next {
                Some(url) => view! {
                    <a class="pagination__link" rel="next" href=url>{move || i18n.t().pagination_next}</a>
                }.into_any(),
                None => view! {
                    <span class="pagination__link pagination__link--disabled" aria-disabled="true">
                        {move || i18n.t().pagination_next}
                    </span>
                }.into_any(),
            }}
        </nav>
    }
}
