//! `/jobs`: the public procurement notices (采购公告), filtered by state and service type.

use crate::api;
use crate::components::label;
use crate::components::JobTable;
use crate::components::Pagination;
use crate::components::{Loaded, Placeholder};
use crate::i18n::{fill, set_title, use_i18n};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use market_domain::job::JobState;
use market_domain::wire::percent_encode;
use market_domain::ServiceType;

fn jobs_href(state: &str, service: &str, page: u32) -> String {
    let mut pairs = Vec::new();
    if !state.is_empty() {
        pairs.push(format!("state={}", percent_encode(state)));
    }
    if !service.is_empty() {
        pairs.push(format!("service_type={}", percent_encode(service)));
    }
    if page > 1 {
        pairs.push(format!("page={page}"));
    }
    if pairs.is_empty() {
        "/jobs".to_owned()
    } else {
        format!("/jobs?{}", pairs.join("&"))
    }
}

#[component]
pub fn JobsPage() -> impl IntoView {
    let i18n = use_i18n();
    Effect::new(move |_| set_title(i18n.t().jobs_title, i18n.t()));
    let query = use_query_map();
    let navigate = use_navigate();
    let state = Memo::new(move |_| query.read().get("state").unwrap_or_default());
    let service = Memo::new(move |_| query.read().get("service_type").unwrap_or_default());
    let page = Memo::new(move |_| {
        query
            .read()
            .get("page")
            .and_then(|p| p.parse::<u32>().ok())
            .unwrap_or(1)
            .max(1)
    });
    let jobs = LocalResource::new(move || {
        let href = jobs_href(&state.get(), &service.get(), page.get());
        async move { api::jobs(href.trim_start_matches("/jobs").trim_start_matches('?')).await }
    });
    let go = StoredValue::new(move |s: String, t: String| {
        navigate(&jobs_href(&s, &t, 1), Default::default())
    });
    view! {
        <section>
            <h1>{move || i18n.t().jobs_title}</h1>
            <p class="lead">{move || i18n.t().jobs_intro}</p>
            <div class="filters">
                <label class="filters__field">
                    <span>{move || i18n.t().filter_state}</span>
                    <select on:change:target=move |ev| { let v = ev.target().value(); go.with_value(|go| go(v, service.get_untracked())) }>
                        <option value="" selected=move || state.get().is_empty()>{move || i18n.t().filter_all}</option>
                        {JobState::ALL.into_iter().filter(|s| *s != JobState::Draft).map(|s| view! {
                            <option value=s.code() selected=move || state.get() == s.code()>{move || s.name(i18n.locale.get())}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label class="filters__field">
                    <span>{move || i18n.t().filter_service_type}</span>
                    <select on:change:target=move |ev| { let v = ev.target().value(); go.with_value(|go| go(state.get_untracked(), v)) }>
                        <option value="" selected=move || service.get().is_empty()>{move || i18n.t().filter_all}</option>
                        {ServiceType::ALL.iter().map(|s| view! {
                            <option value=s.code() selected=move || service.get() == s.code()>{move || s.name(i18n.locale.get())}</option>
                        }).collect_view()}
                    </select>
                </label>
            </div>
            <Loaded data=jobs placeholder=Placeholder::Cards(4) let:jobs>
                {
                    let page_count = jobs.page_count();
                    let current = jobs.page;
                    view! {
                        <p class="directory__count" role="status">{move || fill(i18n.t().jobs_count, &[("n", jobs.total.to_string())])}</p>
                        {jobs.items.is_empty().then(|| view! { <p class="directory__empty">{move || i18n.t().jobs_empty}</p> })}
                        <JobTable jobs=jobs.items label=label(|t| t.jobs_title) />
                        {(page_count > 1).then(|| view! {
                            <Pagination page=current page_count href=move |p| jobs_href(&state.get_untracked(), &service.get_untracked(), p) />
                        })}
                    }
                }
            </Loaded>
        </section>
    }
}
