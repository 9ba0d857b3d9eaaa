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
    /// The next page's link when the list pages by cursor (it costs the same at any depth).
    #[prop(default = None)]
    next_href: Option<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let previous = (page > 1).then(|| href(page - 1));
    let next = (page < page_count).then(|| next_href.unwrap_or_else(|| href(page + 1)));
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

/// Where a list is: its page number and, past the first page, the cursor it starts after. Both
/// live in the URL (`page`, `after`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListPosition {
    pub page: u32,
    pub after: Option<String>,
}

impl ListPosition {
    /// Reads `page` and `after` from the current URL's query.
    pub fn from_query(query: &leptos_router::params::ParamsMap) -> ListPosition {
        ListPosition {
            page: query
                .get("page")
                .and_then(|p| p.parse().ok())
                .unwrap_or(1)
                .max(1),
            after: query.get("after"),
        }
    }

    /// `page=…&after=…` for the API, empty on the first page.
    pub fn query(&self) -> String {
        let mut pairs = Vec::new();
        if self.page > 1 {
            pairs.push(format!("page={}", self.page));
        }
        if let Some(after) = &self.after {
            pairs.push(format!(
                "after={}",
                market_domain::wire::percent_encode(after)
            ));
        }
        pairs.join("&")
    }
}

/// Previous/next links for a list paged by cursor, under `base` (a path with its own query,
/// if any): the next page starts after `next`; earlier pages go by number.
#[component]
pub fn CursorPagination(
    /// The list's path and filters, without `page` or `after`.
    base: String,
    /// The current page, from 1.
    page: u32,
    /// How many pages there are in all.
    page_count: u32,
    /// Where the next page starts, from the API.
    next: Option<String>,
) -> impl IntoView {
    let join = if base.contains('?') { '&' } else { '?' };
    let link = {
        let base = base.clone();
        move |position: ListPosition| match position.query() {
            query if query.is_empty() => base.clone(),
            query => format!("{base}{join}{query}"),
        }
    };
    let next_href = next.map(|after| {
        link(ListPosition {
            page: page + 1,
            after: Some(after),
        })
    });
    view! {
        <Pagination
            page
            page_count
            href=move |p| link(ListPosition { page: p, after: None })
            next_href
        />
    }
}
