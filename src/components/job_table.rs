//! A table of jobs as listed, with the state badge and the method's name, shared by the public
//! notices and each party's own jobs.

use crate::components::{Badge, BadgeVariant};
use crate::components::{DataTable, TableFrame};
use crate::i18n::use_i18n;
use leptos::prelude::*;
use market_domain::job::JobState;
use market_domain::wire::JobSummary;

pub fn state_variant(state: JobState) -> BadgeVariant {
    match state {
        JobState::Published => BadgeVariant::Service,
        JobState::Publicity | JobState::Contracted | JobState::Delivered => BadgeVariant::Warning,
        JobState::Accepted | JobState::Rated => BadgeVariant::Success,
        _ => BadgeVariant::Neutral,
    }
}

/// A table of jobs as listed: project, service, state, method, budget, deadline and bid count.
#[component]
pub fn JobTable(
    /// The jobs to show, in order.
    jobs: Vec<JobSummary>,
    /// The table's accessible name.
    #[prop(into)]
    label: Signal<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <DataTable label=label columns=&[|t| t.job_project_column, |t| t.filter_service_type, |t| t.filter_state, |t| t.job_method, |t| t.job_budget, |t| t.job_deadline, |t| t.job_bid_count] modifier="table--cards" frame=TableFrame::Card>
            {jobs.into_iter().map(|job| {
                let (state, service, budget) = (job.state, job.service_type, job.budget_ceiling);
                let deadline = job.deadline.clone().unwrap_or_default();
                let bid_count = job.bid_count;
                let method = job.selection_method;
                view! {
                    // On a phone each row becomes a card; data-label names each line.
                    <tr>
                        <td class="table__lead"><a href=format!("/jobs/{}", job.id)>{job.project_name.clone()}</a><br/><span class="mono">{job.project_code.clone()}</span></td>
                        <td data-label=move || i18n.t().filter_service_type>{move || service.name(i18n.locale.get())}</td>
                        <td data-label=move || i18n.t().filter_state><Badge variant=state_variant(state) label=Signal::derive(move || state.name(i18n.locale.get()).to_owned()) /></td>
                        <td data-label=move || i18n.t().job_method>{move || method.name(i18n.locale.get())}</td>
                        <td data-label=move || i18n.t().job_budget>{move || i18n.money(budget)}</td>
                        <td data-label=move || i18n.t().job_deadline>{move || if deadline.is_empty() { "—".to_owned() } else { i18n.timestamp(&deadline) }}</td>
                        <td data-label=move || i18n.t().job_bid_count>{move || bid_count_text(bid_count, i18n)}</td>
                    </tr>
                }
            }).collect_view()}
        </DataTable>
    }
}

/// The number of valid bids, or "disclosed at opening" while they are sealed.
pub fn bid_count_text(count: Option<u32>, i18n: crate::i18n::I18n) -> String {
    count.map_or_else(|| i18n.t().job_bids_sealed.to_owned(), |n| n.to_string())
}
