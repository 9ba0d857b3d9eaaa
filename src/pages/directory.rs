//! Home page: the public directory of approved agencies, with filters in the query string.

use super::field_error_to_api;
use crate::api;
use crate::components::{AgencyCard, Chunk, DirectoryControls, Pagination};
use crate::components::{Loaded, Placeholder};
use crate::i18n::{fill, set_title, use_i18n};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use market_domain::wire::{AgencyFilter, AgencyFilterParams};

pub(crate) fn directory_href(filter: &AgencyFilter) -> String {
    match filter.to_query_string() {
        query if query.is_empty() => "/".to_owned(),
        query => format!("/?{query}"),
    }
}

#[component]
pub fn DirectoryPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let navigate = use_navigate();
    let params = Memo::new(move |_| {
        let query = query.read();
        AgencyFilterParams {
            service_type: query.get("service_type"),
            district: query.get("district"),
            q: query.get("q"),
            level: query.get("level"),
            clean: query.get("clean"),
            sort: query.get("sort"),
            investment: query.get("investment"),
            after: query.get("after"),
            page: query.get("page"),
            per_page: query.get("per_page"),
        }
    });
    let filter = Memo::new(move |_| AgencyFilter::parse(&params.read()));
    let agencies = LocalResource::new(move || {
        let filter = filter.get();
        async move {
            match filter {
                Ok(filter) => api::agencies(&filter).await,
                Err(error) => Err(field_error_to_api(error)),
            }
        }
    });
    Effect::new(move |_| set_title(i18n.t().directory_title, i18n.t()));

    let navigate_to = StoredValue::new(move |href: String| navigate(&href, Default::default()));
    // The filter bar loads with its own code right after the cards' (split from the home
    // route's first load); it changes the filter through this.
    provide_context(DirectoryControls {
        filter,
        apply: Callback::new(move |mut next: AgencyFilter| {
            next.page = 1;
            next.after = None;
            navigate_to.with_value(|go| go(directory_href(&next)));
        }),
    });

    view! {
        <section class="directory">
            <header class="directory__header">
                <h1>{move || i18n.t().directory_title}</h1>
                <p class="directory__intro">{move || i18n.t().directory_intro}</p>
            </header>
            <div class="filters-slot">
                <Chunk load=crate::app::directory_filters_load />
            </div>
            <Loaded data=agencies placeholder=Placeholder::Cards(6) let:page>
                {
                    let current = filter.get_untracked().unwrap_or_default();
                    let page_count = page.page_count();
                    let total = page.total;
                    let empty = page.items.is_empty();
                    view! {
                        <p class="directory__count" role="status">
                            {move || fill(i18n.t().results_count, &[("n", total.to_string())])}
                        </p>
                        {empty.then(|| view! { <p class="directory__empty">{move || i18n.t().results_empty}</p> })}
                        <div class="agency-grid">
                            {page.items.into_iter().map(|agency| view! { <AgencyCard agency /> }).collect_view()}
                        </div>
                        {(page_count > 1).then(|| {
                            // The next page starts at the cursor; page numbers stay for display
                            // and for going back.
                            let next_href = page.next.clone().map(|after| {
                                directory_href(&AgencyFilter { page: page.page + 1, after: Some(after), ..current.clone() })
                            });
                            let base = current.clone();
                            view! {
                                <Pagination
                                    page=page.page
                                    page_count
                                    href=move |p| directory_href(&AgencyFilter { page: p, after: None, ..base.clone() })
                                    next_href
                                />
                            }
                        })}
                    }
                }
            </Loaded>
        </section>
    }
}
