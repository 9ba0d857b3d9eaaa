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

/// The list's query string: what the URL holds and the API reads.
#[derive(Clone, Debug, Default, PartialEq)]
struct JobsQuery {
    state: String,
    service: String,
    q: String,
    /// Only the signed-in user's own jobs (an enterprise's, or those an agency bid on).
    mine: bool,
    after: Option<String>,
    page: u32,
}

impl JobsQuery {
    fn query_string(&self) -> String {
        let mut pairs = Vec::new();
        for (key, value) in [
            ("state", &self.state),
            ("service_type", &self.service),
            ("q", &self.q),
        ] {
            if !value.is_empty() {
                pairs.push(format!("{key}={}", percent_encode(value)));
            }
        }
        if self.mine {
            pairs.push("mine=1".to_owned());
        }
        if let Some(after) = &self.after {
            pairs.push(format!("after={}", percent_encode(after)));
        }
        if self.page > 1 {
            pairs.push(format!("page={}", self.page));
        }
        pairs.join("&")
    }

    fn href(&self) -> String {
        match self.query_string() {
            query if query.is_empty() => "/jobs".to_owned(),
            query => format!("/jobs?{query}"),
        }
    }
}

#[component]
pub fn JobsPage() -> impl IntoView {
    let i18n = use_i18n();
    Effect::new(move |_| set_title(i18n.t().jobs_title, i18n.t()));
    let query = use_query_map();
    let navigate = use_navigate();
    let current = Memo::new(move |_| {
        let query = query.read();
        JobsQuery {
            state: query.get("state").unwrap_or_default(),
            service: query.get("service_type").unwrap_or_default(),
            q: query.get("q").unwrap_or_default(),
            mine: query.get("mine").as_deref() == Some("1"),
            after: query.get("after"),
            page: query
                .get("page")
                .and_then(|p| p.parse::<u32>().ok())
                .unwrap_or(1)
                .max(1),
        }
    });
    let state = Memo::new(move |_| current.read().state.clone());
    let service = Memo::new(move |_| current.read().service.clone());
    let jobs = LocalResource::new(move || {
        let query = current.get().query_string();
        async move { api::jobs(&query).await }
    });
    // Any change of filter starts again from the first page.
    let go = StoredValue::new(move |change: &dyn Fn(&mut JobsQuery)| {
        let mut next = current.get_untracked();
        change(&mut next);
        next.page = 1;
        next.after = None;
        navigate(&next.href(), Default::default())
    });
    let search_text = RwSignal::new(current.get_untracked().q);
    let on_search = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = search_text.get_untracked().trim().to_owned();
        go.with_value(|go| go(&|q| q.q = text.clone()))
    };
    view! {
        <section>
            <h1>{move || i18n.t().jobs_title}</h1>
            <p class="lead">{move || i18n.t().jobs_intro}</p>
            <form class="filters" role="search" on:submit=on_search>
                <label class="filters__field">
                    <span>{move || i18n.t().filter_state}</span>
                    <select on:change:target=move |ev| { let v = ev.target().value(); go.with_value(|go| go(&|q| q.state = v.clone())) }>
                        <option value="" selected=move || state.get().is_empty()>{move || i18n.t().filter_all}</option>
                        {JobState::ALL.into_iter().filter(|s| *s != JobState::Draft).map(|s| view! {
                            <option value=s.code() selected=move || state.get() == s.code()>{move || s.name(i18n.locale.get())}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label class="filters__field">
                    <span>{move || i18n.t().filter_service_type}</span>
                    <select on:change:target=move |ev| { let v = ev.target().value(); go.with_value(|go| go(&|q| q.service = v.clone())) }>
                        <option value="" selected=move || service.get().is_empty()>{move || i18n.t().filter_all}</option>
                        {ServiceType::ALL.iter().map(|s| view! {
                            <option value=s.code() selected=move || service.get() == s.code()>{move || s.name(i18n.locale.get())}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label class="filters__field filters__field--grow">
                    <span>{move || i18n.t().filter_search}</span>
                    <input
                        type="search"
                        maxlength="50"
                        placeholder=move || i18n.t().jobs_search_placeholder
                        prop:value=move || search_text.get()
                        on:input:target=move |ev| search_text.set(ev.target().value())
                    />
                </label>
                <div class="filters__actions">
                    <button class="button button--primary" type="submit">{move || i18n.t().filter_submit}</button>
                </div>
            </form>
            <Loaded data=jobs placeholder=Placeholder::Cards(4) let:jobs>
                {
                    let page_count = jobs.page_count();
                    let page_number = jobs.page;
                    let current_query = current.get_untracked();
                    view! {
                        <p class="directory__count" role="status">{move || fill(i18n.t().jobs_count, &[("n", jobs.total.to_string())])}</p>
                        {jobs.items.is_empty().then(|| view! { <p class="directory__empty">{move || i18n.t().jobs_empty}</p> })}
                        <JobTable jobs=jobs.items label=label(|t| t.jobs_title) />
                        {(page_count > 1).then(|| {
                            let here = current_query.clone();
                            let next_href = jobs.next.clone().map(|after| {
                                JobsQuery { after: Some(after), page: here.page + 1, ..here.clone() }.href()
                            });
                            view! {
                                <Pagination page=page_number page_count href=move |p| JobsQuery { after: None, page: p, ..here.clone() }.href() next_href />
                            }
                        })}
                    }
                }
            </Loaded>
        </section>
    }
}
