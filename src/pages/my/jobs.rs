//! "My jobs": an enterprise's own notices (drafts included), or an agency's open jobs it
//! qualifies for next to the jobs it has bid on.

use crate::api;
use crate::components::JobTable;
use crate::components::{Loaded, Placeholder};
use crate::i18n::{fill, set_title, use_i18n};
use crate::session::use_session;
use leptos::prelude::*;
use market_domain::wire::JobSummary;
use market_domain::Role;

#[component]
pub fn MyJobsPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    Effect::new(move |_| set_title(i18n.t().my_jobs_title, i18n.t()));
    let mine = LocalResource::new(api::my_jobs);
    // A list longer than what is shown says so and links to all of it.
    let section = move |title: Signal<String>,
                        hint: Option<Signal<String>>,
                        jobs: Vec<JobSummary>,
                        total: Option<u64>| {
        let shown = jobs.len();
        let more = total.filter(|n| *n as usize > shown).map(|n| {
                view! {
                    <p class="note">
                        {move || fill(i18n.t().my_jobs_more, &[("shown", shown.to_string()), ("n", n.to_string())])}
                        " "
                        <a href="/jobs?mine=1">{move || i18n.t().my_jobs_all}</a>
                    </p>
                }
            });
        view! {
            <section class="my-jobs__section">
                <h2>{title}</h2>
                {hint.map(|h| view! { <p class="note">{h}</p> })}
                {more}
                {if jobs.is_empty() {
                    view! { <p class="card">{move || i18n.t().my_jobs_empty}</p> }.into_any()
                } else {
                    view! { <JobTable jobs label=title /> }.into_any()
                }}
            </section>
        }
    };
    let text = move |pick: fn(&crate::i18n::Messages) -> &'static str| {
        Signal::derive(move || pick(i18n.t()).to_owned())
    };
    view! {
        <section class="my-jobs">
            <header class="page-header">
                <h1>{move || i18n.t().my_jobs_title}</h1>
                {move || (session.account.get().map(|a| a.role) == Some(Role::Enterprise)).then(|| view! {
                    <a class="button button--primary" href="/jobs/new">{move || i18n.t().job_post}</a>
                })}
            </header>
            <Loaded data=mine placeholder=Placeholder::Cards(3) let:mine>
                {
                    view! {
                        {move || {
                            let mine = mine.clone();
                            match session.account.get().map(|a| a.role) {
                                Some(Role::Agency) => view! {
                                    {section(text(|t| t.my_jobs_qualified), Some(text(|t| t.my_jobs_qualified_hint)), mine.qualified, None)}
                                    {section(text(|t| t.my_jobs_bidding), None, mine.bidding, Some(mine.bidding_total))}
                                }.into_any(),
                                _ => section(text(|t| t.my_jobs_owned), None, mine.owned, Some(mine.owned_total)).into_any(),
                            }
                        }}
                    }
                }
            </Loaded>
        </section>
    }
}
