//! What each party can do on a job page, by role and state: the owner publishes, selects,
//! answers objections, contracts, accepts and rates; an agency bids, objects, confirms,
//! delivers and replies; regulators see the opened bids. The server decides; these screens
//! only offer what it would allow and show its refusals.

use crate::api::{self, ApiError};
use crate::components::award_record::{AnswerSlot, ReplySlot};
use crate::components::forms::{text, yuan_text};
use crate::components::rating::RATING_DIMENSIONS;
use crate::components::Loaded;
use crate::components::{input, textarea, Badge, BadgeVariant, Feedback};
use crate::components::{label, DataTable};
use crate::components::{ObjectionsCard, RatingCard};
use crate::i18n::{fill, use_i18n, Messages};
use crate::session::use_session;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use market_domain::bid::parse_service_days;
use market_domain::job::JobState;
use market_domain::selection::{
    fee_flags, rank_by_price, weighted_total, FeeFlag, RankedBid, SelectionMethod,
};
use market_domain::wire::{
    AcceptanceRequest, AwardRequest, BidEligibility, BidRequest, BidStatus, BidView, ContractTerms,
    DeliveryReport, JobView, ObjectionAnswer, ObjectionRequest, RatingRequest, ReplyRequest,
    ScoreSheet,
};
use market_domain::{FieldError, Money, Role};
use std::future::Future;

mod after_award;
mod bid;
mod selection;
use after_award::*;
use bid::*;
use selection::*;

/// Bumped after every successful action, so the job page and its parts load again.
#[derive(Clone, Copy)]
pub struct JobReload(pub RwSignal<u32>);

impl JobReload {
    fn now(self) {
        self.0.update(|n| *n += 1);
    }
}

fn use_reload() -> JobReload {
    use_context::<JobReload>().expect("JobReload is provided by the job page")
}

/// An action whose success reloads the job page and whose refusal lands in `feedback`.
fn job_action<I, T, F, Fu>(feedback: Feedback, call: F) -> Action<I, Result<T, ApiError>>
where
    I: Clone + 'static,
    T: Clone + 'static,
    F: Fn(I) -> Fu + 'static,
    Fu: Future<Output = Result<T, ApiError>> + 'static,
{
    let reload = use_reload();
    let action = Action::new_local(move |input: &I| call(input.clone()));
    Effect::new(move |_| match action.value().get() {
        Some(Ok(_)) => {
            feedback.clear();
            reload.now();
        }
        Some(Err(error)) => feedback.refused(error),
        None => {}
    });
    action
}

fn flag_badges(flags: &[FeeFlag]) -> impl IntoView {
    let i18n = use_i18n();
    if flags.is_empty() {
        return view! { <Badge variant=BadgeVariant::Success label=label(|t| t.bid_no_flags) /> }
            .into_any();
    }
    flags
        .iter()
        .map(|flag| {
            let flag = *flag;
            view! { <Badge variant=BadgeVariant::Danger label=Signal::derive(move || flag.name(i18n.locale.get()).to_owned()) /> }
        })
        .collect_view()
        .into_any()
}

fn bid_status_name(status: BidStatus, t: &Messages) -> &'static str {
    match status {
        BidStatus::Active => t.bid_status_active,
        BidStatus::Withdrawn => t.bid_status_withdrawn,
        BidStatus::Voided => t.bid_status_voided,
    }
}

/// The role- and state-dependent actions under a job's facts, for a signed-in reader; an
/// anonymous one gets `PublicActions` (show.rs) without loading this code.
#[component]
pub fn JobActions(
    /// The job as its reader sees it.
    job: JobView,
) -> impl IntoView {
    let session = use_session();
    let job = StoredValue::new(job);
    move || {
        let job = job.get_value();
        let role = session.account.get().map(|a| a.role);
        let state = job.state;
        let viewer = job.viewer;
        let mut parts: Vec<AnyView> = Vec::new();
        if viewer.is_owner {
            parts.push(view! { <OwnerActions job=job.clone() /> }.into_any());
        }
        if role == Some(Role::Agency) && state == JobState::Published {
            parts.push(view! { <BidPanel job=job.clone() /> }.into_any());
        }
        let opened = state.bids_opened();
        if opened
            && (role == Some(Role::Regulator) || (viewer.is_owner && state != JobState::Evaluating))
        {
            parts.push(view! { <BidsTable job_id=job.id /> }.into_any());
        }
        if opened && viewer.is_bidder && !viewer.is_winner {
            parts.push(view! { <BidsTable job_id=job.id /> }.into_any());
        }
        if job.award.is_some() {
            parts.push(view! { <Objections job=job.clone() /> }.into_any());
        }
        if viewer.is_winner {
            parts.push(view! { <WinnerActions job=job.clone() /> }.into_any());
        }
        let party = viewer.is_owner || viewer.is_winner || role == Some(Role::Regulator);
        if party
            && matches!(
                state,
                JobState::Contracted | JobState::Delivered | JobState::Accepted | JobState::Rated
            )
        {
            parts.push(view! { <Papers job_id=job.id /> }.into_any());
        }
        if state == JobState::Rated {
            parts.push(view! { <JobRating job=job.clone() /> }.into_any());
        }
        parts.collect_view()
    }
}

#[component]
fn OwnerActions(
    /// The owner's job.
    job: JobView,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = job.id;
    let feedback = Feedback::new();
    let publish = job_action(feedback, move |()| api::publish_job(id));
    let cancel_reason = text("");
    let cancel = job_action(feedback, move |reason: String| async move {
        api::cancel_job(id, &reason).await
    });
    let navigate = use_navigate();
    let repost = Action::new_local(move |_: &()| api::repost_job(id));
    Effect::new(move |_| match repost.value().get() {
        Some(Ok(job)) => navigate(&format!("/jobs/{}/edit", job.id), Default::default()),
        Some(Err(error)) => feedback.failure.set(Some(error)),
        None => {}
    });
    let body = match job.state {
        JobState::Draft | JobState::Published => view! {
            {(job.state == JobState::Draft).then(|| view! { <p class="note">{move || i18n.t().job_draft_note}</p> })}
            <div class="actions">
                <a class="button button--secondary" href=format!("/jobs/{id}/edit")>{move || i18n.t().job_edit}</a>
                {(job.state == JobState::Draft).then(|| view! {
                    <button class="button button--primary" type="button" disabled=move || publish.pending().get() on:click=move |_| { publish.dispatch(()); }>{move || i18n.t().job_publish}</button>
                })}
            </div>
            <form class="form form--inline" novalidate on:submit=move |ev| { ev.prevent_default(); cancel.dispatch(cancel_reason.get_untracked()); }>
                {input(format!("cancel-reason-{id}"), label(|t| t.job_cancel_reason), cancel_reason, feedback.field("reason"), "text")}
                <button class="button button--danger" type="submit">{move || i18n.t().job_cancel}</button>
            </form>
        }.into_any(),
        JobState::Evaluating => view! { <SelectionPanel job=job.clone() /> }.into_any(),
        JobState::Publicity => view! { <ContractForm job=job.clone() /> }.into_any(),
        JobState::Contracted => view! { <p class="note">{move || i18n.t().delivery_waiting}</p> }.into_any(),
        JobState::Delivered => view! { <AcceptanceForm job_id=id /> }.into_any(),
        JobState::Accepted => view! { <RatingForm job_id=id /> }.into_any(),
        JobState::Unsuccessful | JobState::Cancelled => view! {
            <button class="button button--primary" type="button" on:click=move |_| { repost.dispatch(()); }>{move || i18n.t().job_repost}</button>
        }.into_any(),
        JobState::Rated => ().into_any(),
    };
    view! {
        <section class="card job-actions" aria-label=move || i18n.t().job_owner_actions>
            <h2>{move || i18n.t().job_owner_actions}</h2>
            {body}
            {feedback.view()}
        </section>
    }
}

/// Every bid once they are open: the owner and regulators see all, a bidder its own.
#[component]
fn BidsTable(
    /// The job whose bids to show.
    job_id: i64,
) -> impl IntoView {
    let i18n = use_i18n();
    let bids = LocalResource::new(move || api::bids(job_id));
    view! {
        <section class="card" aria-label=move || i18n.t().bids_title>
            <h2>{move || i18n.t().bids_title}</h2>
            <Loaded data=bids let:bids>
                {view! { <BidRows bids /> }}
            </Loaded>
        </section>
    }
}

#[component]
fn BidRows(
    /// The bids to list.
    bids: Vec<BidView>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <DataTable label=label(|t| t.bids_title) columns=&[|t| t.bid_agency, |t| t.bid_price, |t| t.bid_days, |t| t.bid_flags, |t| t.bid_status, |t| t.bid_submitted]>
            {bids.into_iter().map(|bid| {
                let (price, status) = (bid.price, bid.status);
                let at = bid.submitted_at.clone();
                view! {
                    <tr>
                        <td><a href=format!("/agencies/{}", bid.agency_id)>{bid.agency_name.clone()}</a></td>
                        <td>{move || i18n.money(price)}</td>
                        <td>{bid.service_days}</td>
                        <td>{flag_badges(&bid.flags)}</td>
                        <td>{move || bid_status_name(status, i18n.t())}</td>
                        <td>{move || i18n.timestamp(&at)}</td>
                    </tr>
                }
            }).collect_view()}
        </DataTable>
    }
}
