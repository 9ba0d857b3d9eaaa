//! Home page: the public directory of approved agencies, with filters in the query string.

use super::field_error_to_api;
use crate::api;
use crate::components::{AgencyCard, Pagination};
use crate::components::{Loaded, Placeholder};
use crate::i18n::{fill, set_title, use_i18n};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use market_domain::wire::{AgencyFilter, AgencyFilterParams};
use market_domain::{District, ServiceType};

fn directory_href(filter: &AgencyFilter) -> String {
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

    let search_text = RwSignal::new(params.get_untracked().q.unwrap_or_default());
    // Applies a change to the filter, always returning to the first page.
    let apply = move |change: &dyn Fn(&mut AgencyFilter)| {
        let mut next = filter.get_untracked().unwrap_or_default();
        change(&mut next);
        next.page = 1;
        navigate(&directory_href(&next), Default::default());
    };
    let apply = StoredValue::new(apply);
    let on_service_change = move |code: String| {
        apply.with_value(|apply| apply(&|f| f.service_type = ServiceType::parse(&code)))
    };
    let on_district_change = move |code: String| {
        apply.with_value(|apply| apply(&|f| f.district = District::parse(&code)))
    };
    let on_search = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = search_text.get_untracked().trim().to_owned();
        apply.with_value(|apply| apply(&|f| f.q = (!text.is_empty()).then(|| text.clone())))
    };
    let selected_service = move || {
        filter
            .get()
            .ok()
            .and_then(|f| f.service_type)
            .map(|s| s.code().to_owned())
            .unwrap_or_default()
    };
    let selected_district = move || {
        filter
            .get()
            .ok()
            .and_then(|f| f.district)
            .map(|d| d.code().to_owned())
            .unwrap_or_default()
    };

    view! {
        <section class="directory">
            <header class="directory__header">
                <h1>{move || i18n.t().directory_title}</h1>
                <p class="directory__intro">{move || i18n.t().directory_intro}</p>
            </header>
            <form class="filters" role="search" on:submit=on_search>
                <label class="filters__field">
                    <span>{move || i18n.t().filter_service_type}</span>
                    <select on:change:target=move |ev| on_service_change(ev.target().value())>
                        <option value="" selected=move || selected_service().is_empty()>{move || i18n.t().filter_all}</option>
                        {ServiceType::ALL
                            .iter()
                            .map(|&service| {
                                view! {
                                    <option value=service.code() selected=move || selected_service() == service.code()>
                                        {move || service.name(i18n.locale.get())}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </label>
                <label class="filters__field">
                    <span>{move || i18n.t().filter_district}</span>
                    <select on:change:target=move |ev| on_district_change(ev.target().value())>
                        <option value="" selected=move || selected_district().is_empty()>{move || i18n.t().filter_all}</option>
                        {District::ALL
                            .iter()
                            .map(|&district| {
                                view! {
                                    <option value=district.code() selected=move || selected_district() == district.code()>
                                        {move || district.name(i18n.locale.get())}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </label>
                <label class="filters__field filters__field--grow">
                    <span>{move || i18n.t().filter_search}</span>
                    <input
                        type="search"
                        maxlength="50"
                        placeholder=move || i18n.t().filter_search_placeholder
                        prop:value=move || search_text.get()
                        on:input:target=move |ev| search_text.set(ev.target().value())
                    />
                </label>
                <div class="filters__actions">
                    <button class="button button--primary" type="submit">{move || i18n.t().filter_submit}</button>
                    <a class="button button--ghost" href="/" on:click=move |_| search_text.set(String::new())>
                        {move || i18n.t().filter_reset}
                    </a>
                </div>
            </form>
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
                            let base = current.clone();
                            view! {
                                <Pagination
                                    page=page.page
                                    page_count
                                    href=move |p| directory_href(&AgencyFilter { page: p, ..base.clone() })
                                />
                            }
                        })}
                    }
                }
            </Loaded>
        </section>
    }
}
