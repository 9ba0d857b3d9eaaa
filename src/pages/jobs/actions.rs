//! What each party can do on a job page, by role and state: the owner publishes, selects,
//! answers objections, contracts, accepts and rates; an agency bids, objects, confirms,
//! delivers and replies; regulators see the opened bids. The server decides; these screens
//! only offer what it would allow and show its refusals.

use crate::api::{self, ApiError};
use crate::components::award_record::{AnswerSlot, ReplySlot};
use crate::components::forms::{text, yuan_text};
use crate::components::label;
use crate::components::rating::RATING_DIMENSIONS;
use crate::components::{
    input, textarea, Badge, BadgeVariant, DetailSkeleton, ErrorView, Feedback,
};
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
            <Transition fallback=|| view! { <DetailSkeleton /> }>
                <ErrorBoundary fallback=|errors| view! { <ErrorView errors /> }>
                    {move || Suspend::new(async move {
                        let bids = bids.await?;
                        Ok::<_, ApiError>(view! { <BidRows bids /> })
                    })}
                </ErrorBoundary>
            </Transition>
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
        <div class="table-scroll" tabindex="0">
            <table class="table" aria-label=move || i18n.t().bids_title>
                <thead><tr>
                    <th scope="col">{move || i18n.t().bid_agency}</th>
                    <th scope="col">{move || i18n.t().bid_price}</th>
                    <th scope="col">{move || i18n.t().bid_days}</th>
                    <th scope="col">{move || i18n.t().bid_flags}</th>
                    <th scope="col">{move || i18n.t().bid_status}</th>
                    <th scope="col">{move || i18n.t().bid_submitted}</th>
                </tr></thead>
                <tbody>
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
                </tbody>
            </table>
        </div>
    }
}

/// The owner selects by the published method, seeing the bids with their fee flags.
#[component]
fn SelectionPanel(
    /// The job being evaluated.
    job: JobView,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = job.id;
    let method = job.terms.selection.clone();
    let bids = LocalResource::new(move || api::bids(id));
    view! {
        <h3>{move || i18n.t().select_title}</h3>
        <Transition fallback=|| view! { <DetailSkeleton /> }>
            <ErrorBoundary fallback=|errors| view! { <ErrorView errors /> }>
                {move || {
                    let method = method.clone();
                    Suspend::new(async move {
                        let bids = bids.await?;
                        let active: Vec<BidView> = bids.iter().filter(|b| b.status == BidStatus::Active).cloned().collect();
                        Ok::<_, ApiError>(view! {
                            <BidRows bids />
                            <SelectionForm job_id=id method active />
                        })
                    })
                }}
            </ErrorBoundary>
        </Transition>
    }
}

#[component]
fn SelectionForm(
    /// The job being evaluated.
    job_id: i64,
    /// The published method.
    method: SelectionMethod,
    /// The valid bids.
    active: Vec<BidView>,
) -> impl IntoView {
    let i18n = use_i18n();
    let feedback = Feedback::new();
    let award = job_action(feedback, move |request: AwardRequest| async move {
        api::award(job_id, &request).await
    });
    // RFC 3339 times in one offset sort as text; their order stands in for the instants.
    let mut by_time: Vec<&BidView> = active.iter().collect();
    by_time.sort_by(|a, b| a.submitted_at.cmp(&b.submitted_at));
    let ranked: Vec<RankedBid> = by_time
        .iter()
        .enumerate()
        .map(|(order, b)| RankedBid {
            agency_id: b.agency_id,
            price: b.price,
            submitted: (order as i64, b.agency_id),
        })
        .collect();
    let name_of = {
        let active = active.clone();
        move |agency_id: i64| {
            active
                .iter()
                .find(|b| b.agency_id == agency_id)
                .map(|b| b.agency_name.clone())
                .unwrap_or_default()
        }
    };
    let submit_button = move || {
        view! { <button class="button button--primary" type="submit" disabled=move || award.pending().get()>{move || i18n.t().select_submit}</button> }
    };
    match method {
        SelectionMethod::LowestPrice => {
            // The same ranking the server will apply.
            let by_price: Vec<BidView> = rank_by_price(&ranked)
                .into_iter()
                .filter_map(|agency_id| active.iter().find(|b| b.agency_id == agency_id).cloned())
                .collect();
            view! {
                <form class="form" novalidate on:submit=move |ev| { ev.prevent_default(); award.dispatch(AwardRequest::default()); }>
                    <p class="note">{move || i18n.t().select_lowest_note}</p>
                    <ol class="ranking">
                        {by_price.into_iter().map(|b| { let price = b.price; view! { <li>{b.agency_name.clone()} " · " {move || i18n.money(price)}</li> } }).collect_view()}
                    </ol>
                    {feedback.view()}
                    {submit_button()}
                </form>
            }
            .into_any()
        }
        SelectionMethod::CompositeScore { criteria } => {
            let sheets: Vec<(i64, Vec<RwSignal<String>>)> = active
                .iter()
                .map(|b| (b.agency_id, criteria.iter().map(|_| text("")).collect()))
                .collect();
            let sheets = StoredValue::new(sheets);
            let criteria = StoredValue::new(criteria);
            let scores_of = move |cells: &[RwSignal<String>]| -> Vec<u32> {
                cells
                    .iter()
                    .map(|c| c.get().trim().parse::<u32>().unwrap_or(u32::MAX))
                    .collect()
            };
            let on_submit = move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                let scores = sheets.with_value(|sheets| {
                    sheets
                        .iter()
                        .map(|(agency_id, cells)| ScoreSheet {
                            agency_id: *agency_id,
                            scores: cells
                                .iter()
                                .map(|c| {
                                    c.get_untracked().trim().parse::<u32>().unwrap_or(u32::MAX)
                                })
                                .collect(),
                        })
                        .collect()
                });
                award.dispatch(AwardRequest {
                    scores,
                    ..AwardRequest::default()
                });
            };
            view! {
                <form class="form" novalidate on:submit=on_submit>
                    <p class="note">{move || i18n.t().select_score_note}</p>
                    <div class="table-scroll" tabindex="0">
                        <table class="table">
                            <thead><tr>
                                <th scope="col">{move || i18n.t().bid_agency}</th>
                                {criteria.get_value().into_iter().map(|c| view! { <th scope="col">{format!("{}({})", c.name, c.weight)}</th> }).collect_view()}
                                <th scope="col">{move || i18n.t().select_total}</th>
                            </tr></thead>
                            <tbody>
                                {sheets.get_value().into_iter().map(|(agency_id, cells)| {
                                    let name = name_of(agency_id);
                                    let total_cells = cells.clone();
                                    let total = move || {
                                        criteria.with_value(|criteria| weighted_total(&scores_of(&total_cells), criteria))
                                            .map(|t| format!("{:.2}", f64::from(t) / 100.0))
                                            .unwrap_or_else(|_| "—".into())
                                    };
                                    view! {
                                        <tr>
                                            <th scope="row">{name.clone()}</th>
                                            {cells.into_iter().zip(criteria.get_value()).map(|(cell, criterion)| {
                                                let aria = format!("{name} {}", criterion.name);
                                                view! { <td><input class="field__input field__input--score" type="number" min="0" max="100" aria-label=aria prop:value=move || cell.get() on:input:target=move |ev| cell.set(ev.target().value()) /></td> }
                                            }).collect_view()}
                                            <td class="mono">{total}</td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                    {feedback.view()}
                    {submit_button()}
                </form>
            }
            .into_any()
        }
        SelectionMethod::DirectPick => {
            let pick = RwSignal::new(None::<i64>);
            let reason = text("");
            let on_submit = move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                award.dispatch(AwardRequest {
                    agency_id: pick.get_untracked(),
                    reason: reason.get_untracked(),
                    scores: Vec::new(),
                });
            };
            view! {
                <form class="form" novalidate on:submit=on_submit>
                    <p class="note">{move || i18n.t().select_direct_note}</p>
                    <fieldset class="choices">
                        <legend>{move || i18n.t().bid_agency}</legend>
                        {active.iter().map(|b| {
                            let agency_id = b.agency_id;
                            let price = b.price;
                            view! {
                                <label class="choice" class:choice--selected=move || pick.get() == Some(agency_id)>
                                    <input type="radio" name="pick" on:change=move |_| pick.set(Some(agency_id)) />
                                    <span class="choice__label">{b.agency_name.clone()} " · " {move || i18n.money(price)}</span>
                                </label>
                            }
                        }).collect_view()}
                    </fieldset>
                    <p class="field__message">{move || feedback.field("agency_id").get().map(|m| view! { <span class="field__error">{m}</span> })}</p>
                    {textarea(format!("pick-reason-{job_id}"), label(|t| t.select_reason), reason, feedback.field("reason"))}
                    {feedback.view()}
                    {submit_button()}
                </form>
            }
            .into_any()
        }
        // The draw is the server's, at opening: nothing to select.
        SelectionMethod::RandomDraw => ().into_any(),
    }
}

/// The agency's bid: why it may not bid, or the form with the fee flags previewed by the same
/// domain rule the server applies.
#[component]
fn BidPanel(
    /// The open job.
    job: JobView,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = job.id;
    let eligibility = LocalResource::new(move || api::eligibility(id));
    let job = StoredValue::new(job);
    view! {
        <section class="card bid-panel" aria-label=move || i18n.t().bid_form_title>
            <h2>{move || i18n.t().bid_form_title}</h2>
            <Transition fallback=|| view! { <DetailSkeleton /> }>
                <ErrorBoundary fallback=|errors| view! { <ErrorView errors /> }>
                    {move || Suspend::new(async move {
                        let eligibility = eligibility.await?;
                        Ok::<_, ApiError>(if eligibility.eligible {
                            view! { <BidForm job=job.get_value() eligibility /> }.into_any()
                        } else {
                            view! {
                                <div class="banner banner--danger" role="status">
                                    <strong>{move || i18n.t().bid_not_eligible}</strong> " " {let (reason, message) = (eligibility.reason, eligibility.message.clone()); move || reason.map_or_else(|| message.clone().unwrap_or_default(), |r| r.message(i18n.locale.get()).to_owned())}
                                </div>
                            }.into_any()
                        })
                    })}
                </ErrorBoundary>
            </Transition>
        </section>
    }
}

#[component]
fn BidForm(
    /// The open job.
    job: JobView,
    /// The agency's standing on it.
    eligibility: BidEligibility,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = job.id;
    let budget_ceiling = job.terms.budget_ceiling;
    let own = eligibility.own_bid.clone();
    let status = own.as_ref().map(|b| b.status);
    let price = text(
        own.as_ref()
            .map(|b| yuan_text(b.price.fen()))
            .unwrap_or_default(),
    );
    let days = text(
        own.as_ref()
            .map(|b| b.service_days.to_string())
            .unwrap_or_else(|| "30".into()),
    );
    let commitment = text(
        own.as_ref()
            .map(|b| b.commitment.clone())
            .unwrap_or_default(),
    );
    let proposal = text(own.as_ref().map(|b| b.proposal.clone()).unwrap_or_default());
    let feedback = Feedback::new();
    let update = status == Some(BidStatus::Active);
    let submit = job_action(feedback, move |bid: BidRequest| async move {
        api::submit_bid(id, &bid, update).await
    });
    let withdraw = job_action(feedback, move |()| api::withdraw_bid(id));
    let facts = job.terms.parse().ok().map(|terms| terms.facts);
    let standard = eligibility.fee_standard.clone();
    let floor_bp = eligibility.floor_ratio_bp;
    let quote = match (&standard, &facts) {
        (Some(standard), Some(facts)) => standard
            .quote(facts)
            .ok()
            .map(|q| (q, standard.discount_floor(q))),
        _ => None,
    };
    let preview = move || {
        let price = Money::parse_yuan(&price.get()).ok()?;
        let flags = fee_flags(price, standard.as_ref()?, facts.as_ref()?, floor_bp).ok()?;
        (!flags.is_empty()).then_some(flags)
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        feedback.clear();
        // The same parse the server runs, so every field error shows before anything is sent.
        let (fen, service_days) = match (
            Money::parse_yuan(&price.get_untracked()),
            parse_service_days(&days.get_untracked()),
        ) {
            (Ok(money), Ok(days)) => (money.fen(), days),
            (fen, days) => {
                let mut errors = Vec::new();
                if let Err(e) = fen {
                    errors.push(FieldError::new("price", &e));
                }
                if let Err(e) = days {
                    errors.push(FieldError::new("service_days", &e));
                }
                feedback.errors.set(errors);
                return;
            }
        };
        let bid = BidRequest {
            price: fen,
            service_days,
            commitment: commitment.get_untracked(),
            proposal: proposal.get_untracked(),
        };
        if let Err(errors) = bid.parse(budget_ceiling) {
            feedback.errors.set(errors);
            return;
        }
        submit.dispatch(bid);
    };
    view! {
        {(status == Some(BidStatus::Voided)).then(|| view! { <div class="banner banner--warning" role="status">{move || i18n.t().bid_voided_notice}</div> })}
        {update.then(|| view! { <p class="banner banner--success" role="status">{move || i18n.t().bid_saved}</p> })}
        <p class="note">
            {move || match quote {
                Some((q, floor)) => fill(i18n.t().bid_quote, &[("quote", i18n.money(q)), ("floor", i18n.money(floor))]),
                None => i18n.t().bid_no_standard.to_owned(),
            }}
        </p>
        <form class="form" novalidate on:submit=on_submit>
            {input(format!("bid-price-{id}"), label(|t| t.field_bid_price), price, feedback.field("price"), "text")}
            {move || preview().map(|flags| view! {
                <p class="banner banner--warning" role="status">{move || i18n.t().bid_flag_preview} " " {flag_badges(&flags)}</p>
            })}
            {input(format!("bid-days-{id}"), label(|t| t.field_bid_days), days, feedback.field("service_days"), "number")}
            {textarea(format!("bid-commitment-{id}"), label(|t| t.field_bid_commitment), commitment, feedback.field("commitment"))}
            {textarea(format!("bid-proposal-{id}"), label(|t| t.field_bid_proposal), proposal, feedback.field("proposal"))}
            {feedback.view()}
            <div class="actions">
                <button class="button button--primary" type="submit" disabled=move || submit.pending().get()>
                    {move || match status {
                        Some(BidStatus::Active) => i18n.t().bid_update,
                        Some(BidStatus::Voided) => i18n.t().bid_reconfirm,
                        _ => i18n.t().bid_submit,
                    }}
                </button>
                {update.then(|| view! {
                    <button class="button button--ghost" type="button" on:click=move |_| { withdraw.dispatch(()); }>{move || i18n.t().bid_withdraw}</button>
                })}
            </div>
        </form>
    }
}

/// Objections to the award: everyone sees them; parties file during publicity; the owner answers.
#[component]
fn Objections(
    /// The awarded job.
    job: JobView,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = job.id;
    let open = job.state == JobState::Publicity && job.award.as_ref().is_some_and(|a| !a.is_final);
    let may_file = open && (job.viewer.is_owner || job.viewer.is_bidder);
    let answer: Option<AnswerSlot> = (job.viewer.is_owner && open)
        .then_some(|job_id, objection_id| view! { <AnswerForm job_id objection_id /> }.into_any());
    let reason = text("");
    let feedback = Feedback::new();
    let file = job_action(feedback, move |request: ObjectionRequest| async move {
        api::file_objection(id, &request).await
    });
    let form = may_file.then(|| view! {
        <form class="form" novalidate on:submit=move |ev| { ev.prevent_default(); file.dispatch(ObjectionRequest { reason: reason.get_untracked() }); }>
            {textarea(format!("objection-{id}"), label(|t| t.objection_reason), reason, feedback.field("reason"))}
            {feedback.view()}
            <button class="button button--secondary" type="submit">{move || i18n.t().objection_file}</button>
        </form>
    });
    view! { <ObjectionsCard job_id=id answer>{form}</ObjectionsCard> }
}

#[component]
fn AnswerForm(
    /// The job objected to.
    job_id: i64,
    /// The objection to answer.
    objection_id: i64,
) -> impl IntoView {
    let i18n = use_i18n();
    let upheld = RwSignal::new(false);
    let answer = text("");
    let feedback = Feedback::new();
    let send = job_action(feedback, move |request: ObjectionAnswer| async move {
        api::answer_objection(job_id, objection_id, &request).await
    });
    view! {
        <form class="form" novalidate on:submit=move |ev| { ev.prevent_default(); send.dispatch(ObjectionAnswer { upheld: upheld.get_untracked(), answer: answer.get_untracked() }); }>
            <fieldset class="choices">
                <legend>{move || i18n.t().objection_status}</legend>
                <label class="choice"><input type="radio" name=format!("upheld-{objection_id}") on:change=move |_| upheld.set(true) /><span class="choice__label">{move || i18n.t().objection_uphold}</span></label>
                <label class="choice"><input type="radio" name=format!("upheld-{objection_id}") checked on:change=move |_| upheld.set(false) /><span class="choice__label">{move || i18n.t().objection_dismiss}</span></label>
            </fieldset>
            {textarea(format!("answer-{objection_id}"), label(|t| t.objection_answer), answer, feedback.field("answer"))}
            {feedback.view()}
            <button class="button button--primary" type="submit">{move || i18n.t().objection_submit_answer}</button>
        </form>
    }
}

/// The owner sends the contract once the award is final.
#[component]
fn ContractForm(
    /// The awarded job.
    job: JobView,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = job.id;
    let award = job.award.clone();
    let is_final = award.as_ref().is_some_and(|a| a.is_final);
    let award_price = award.as_ref().map(|a| a.price);
    let amount = text(
        award
            .as_ref()
            .map(|a| yuan_text(a.price.fen()))
            .unwrap_or_default(),
    );
    let over_reason = text("");
    let starts = text("");
    let ends = text("");
    let feedback = Feedback::new();
    let propose = job_action(feedback, move |terms: ContractTerms| async move {
        api::propose_contract(id, &terms).await
    });
    let current = LocalResource::new(move || api::contract(id));
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        feedback.clear();
        let m = match Money::parse_yuan(&amount.get_untracked()) {
            Ok(m) => m,
            Err(e) => return feedback.errors.set(vec![FieldError::new("amount", &e)]),
        };
        let terms = ContractTerms {
            amount: m.fen(),
            over_reason: over_reason.get_untracked(),
            starts_on: starts.get_untracked(),
            ends_on: ends.get_untracked(),
        };
        // The server's own rules, so every field error shows before anything is sent.
        if let Some(price) = award_price {
            if let Err(errors) = terms.parse(price) {
                return feedback.errors.set(errors);
            }
        }
        propose.dispatch(terms);
    };
    if !is_final {
        return view! { <p class="note">{move || i18n.t().contract_wait_final}</p> }.into_any();
    }
    view! {
        <h3>{move || i18n.t().contract_title}</h3>
        {move || current.get().and_then(Result::ok).flatten().map(|_| view! { <p class="banner banner--success" role="status">{move || i18n.t().contract_waiting_agency}</p> })}
        <form class="form" novalidate on:submit=on_submit>
            {input(format!("contract-amount-{id}"), label(|t| t.contract_amount), amount, feedback.field("amount"), "text")}
            {input(format!("contract-over-{id}"), label(|t| t.contract_over_reason), over_reason, feedback.field("over_reason"), "text")}
            {input(format!("contract-starts-{id}"), label(|t| t.contract_starts), starts, feedback.field("starts_on"), "date")}
            {input(format!("contract-ends-{id}"), label(|t| t.contract_ends), ends, feedback.field("ends_on"), "date")}
            {feedback.view()}
            <button class="button button--primary" type="submit" disabled=move || propose.pending().get()>{move || i18n.t().contract_propose}</button>
        </form>
    }
    .into_any()
}

#[component]
fn AcceptanceForm(
    /// The delivered job.
    job_id: i64,
) -> impl IntoView {
    let i18n = use_i18n();
    let reason = text("");
    let feedback = Feedback::new();
    let decide = job_action(feedback, move |request: AcceptanceRequest| async move {
        api::accept(job_id, &request).await
    });
    view! {
        <div class="actions">
            <button class="button button--primary" type="button" on:click=move |_| { decide.dispatch(AcceptanceRequest { accepted: true, reason: String::new() }); }>{move || i18n.t().acceptance_accept}</button>
        </div>
        <form class="form" novalidate on:submit=move |ev| { ev.prevent_default(); decide.dispatch(AcceptanceRequest { accepted: false, reason: reason.get_untracked() }); }>
            {textarea(format!("return-reason-{job_id}"), label(|t| t.acceptance_reason), reason, feedback.field("reason"))}
            {feedback.view()}
            <button class="button button--secondary" type="submit">{move || i18n.t().acceptance_return}</button>
        </form>
    }
}

#[component]
fn RatingForm(
    /// The accepted job.
    job_id: i64,
) -> impl IntoView {
    let i18n = use_i18n();
    let scores: [RwSignal<u8>; 5] = std::array::from_fn(|_| RwSignal::new(5));
    let comment = text("");
    let feedback = Feedback::new();
    let rate = job_action(feedback, move |rating: RatingRequest| async move {
        api::rate(job_id, &rating).await
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let [quality, timeliness, attitude, fee_compliance, integrity] =
            scores.map(|s| s.get_untracked());
        rate.dispatch(RatingRequest {
            quality,
            timeliness,
            attitude,
            fee_compliance,
            integrity,
            comment: comment.get_untracked(),
        });
    };
    view! {
        <h3>{move || i18n.t().rating_title}</h3>
        <form class="form" novalidate on:submit=on_submit>
            {scores.into_iter().zip(RATING_DIMENSIONS).enumerate().map(|(i, (score, name))| {
                let id = format!("rating-{job_id}-{i}");
                view! {
                    <div class="field">
                        <label class="field__label" for=id.clone()>{move || name(i18n.t())}</label>
                        <select class="field__input" id=id on:change:target=move |ev| score.set(ev.target().value().parse().unwrap_or(5))>
                            {(1..=5u8).rev().map(|n| view! { <option value=n.to_string() selected=move || score.get() == n>{format!("{n} ★")}</option> }).collect_view()}
                        </select>
                    </div>
                }
            }).collect_view()}
            {textarea(format!("rating-comment-{job_id}"), label(|t| t.rating_comment), comment, feedback.field("comment"))}
            {feedback.view()}
            <button class="button button--primary" type="submit">{move || i18n.t().rating_submit}</button>
        </form>
    }
}

/// The current winner's steps: confirm the contract or decline, then deliver.
#[component]
fn WinnerActions(
    /// The job the reader's agency won.
    job: JobView,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = job.id;
    let feedback = Feedback::new();
    let confirm = job_action(feedback, move |()| api::confirm_contract(id));
    let decline = job_action(feedback, move |()| api::withdraw_award(id));
    let summary = text("");
    let number = text("");
    let deliver = job_action(feedback, move |report: DeliveryReport| async move {
        api::deliver(id, &report).await
    });
    let contract = LocalResource::new(move || api::contract(id));
    let body = match job.state {
        JobState::Publicity => view! {
            {move || match contract.get().and_then(Result::ok).flatten() {
                Some(terms) => {
                    let amount = Money::from_fen(terms.amount).unwrap_or(Money::ZERO);
                    view! {
                        <p>{move || i18n.t().contract_amount} ": " {move || i18n.money(amount)} " · " {terms.starts_on.clone()} " — " {terms.ends_on.clone()}</p>
                        <button class="button button--primary" type="button" on:click=move |_| { confirm.dispatch(()); }>{move || i18n.t().contract_confirm}</button>
                    }.into_any()
                }
                None => view! { <p class="note">{move || i18n.t().contract_waiting_owner}</p> }.into_any(),
            }}
            <button class="button button--ghost" type="button" on:click=move |_| { decline.dispatch(()); }>{move || i18n.t().award_withdraw}</button>
        }.into_any(),
        JobState::Contracted => view! {
            <form class="form" novalidate on:submit=move |ev| { ev.prevent_default(); deliver.dispatch(DeliveryReport { summary: summary.get_untracked(), report_number: number.get_untracked() }); }>
                {textarea(format!("delivery-summary-{id}"), label(|t| t.delivery_summary), summary, feedback.field("summary"))}
                {input(format!("delivery-number-{id}"), label(|t| t.delivery_report_number), number, feedback.field("report_number"), "text")}
                <button class="button button--primary" type="submit">{move || i18n.t().delivery_submit}</button>
            </form>
        }.into_any(),
        _ => ().into_any(),
    };
    let title = match job.state {
        JobState::Contracted => label(|t| t.delivery_title),
        _ => label(|t| t.contract_title),
    };
    (matches!(job.state, JobState::Publicity | JobState::Contracted)).then(|| {
        view! {
            <section class="card job-actions" aria-label=title>
                <h2>{title}</h2>
                {body}
                {feedback.view()}
            </section>
        }
    })
}

/// The signed contract and the delivered report, for the parties and regulators.
#[component]
fn Papers(
    /// The contracted job.
    job_id: i64,
) -> impl IntoView {
    let i18n = use_i18n();
    let contract = LocalResource::new(move || api::contract(job_id));
    let delivery = LocalResource::new(move || api::delivery(job_id));
    view! {
        <section class="card" aria-label=move || i18n.t().contract_title>
            <h2>{move || i18n.t().contract_title}</h2>
            <Transition fallback=|| view! { <DetailSkeleton /> }>
                <ErrorBoundary fallback=|errors| view! { <ErrorView errors /> }>
                    {move || Suspend::new(async move {
                        let contract = contract.await?;
                        let delivery = delivery.await?;
                        Ok::<_, ApiError>(view! {
                            <dl class="facts">
                                {contract.map(|terms| {
                                    let amount = Money::from_fen(terms.amount).unwrap_or(Money::ZERO);
                                    view! {
                                        <div class="facts__row"><dt>{move || i18n.t().contract_amount}</dt><dd>{move || i18n.money(amount)}</dd></div>
                                        <div class="facts__row"><dt>{move || i18n.t().contract_starts}</dt><dd>{terms.starts_on.clone()}</dd></div>
                                        <div class="facts__row"><dt>{move || i18n.t().contract_ends}</dt><dd>{terms.ends_on.clone()}</dd></div>
                                    }
                                })}
                                {delivery.map(|report| view! {
                                    <div class="facts__row"><dt>{move || i18n.t().delivery_report_number}</dt><dd>{report.report_number.clone()}</dd></div>
                                    <div class="facts__row"><dt>{move || i18n.t().delivery_summary}</dt><dd>{report.summary.clone()}</dd></div>
                                })}
                            </dl>
                        })
                    })}
                </ErrorBoundary>
            </Transition>
        </section>
    }
}

/// The owner's published rating of this job, and the winner's one reply.
#[component]
fn JobRating(
    /// The rated job.
    job: JobView,
) -> impl IntoView {
    let agency_id = job.award.as_ref().map(|a| a.agency_id).unwrap_or(0);
    let reply: Option<ReplySlot> = job
        .viewer
        .is_winner
        .then_some(|job_id| view! { <ReplyForm job_id /> }.into_any());
    view! { <RatingCard job_id=job.id agency_id reply /> }
}

/// The winner's one reply to the owner's rating.
#[component]
fn ReplyForm(
    /// The rated job.
    job_id: i64,
) -> impl IntoView {
    let i18n = use_i18n();
    let reply = text("");
    let feedback = Feedback::new();
    let send = job_action(feedback, move |request: ReplyRequest| async move {
        api::reply_rating(job_id, &request).await
    });
    view! {
        <form class="form" novalidate on:submit=move |ev| { ev.prevent_default(); send.dispatch(ReplyRequest { reply: reply.get_untracked() }); }>
            {textarea(format!("reply-{job_id}"), label(|t| t.rating_reply), reply, feedback.field("reply"))}
            {feedback.view()}
            <button class="button button--secondary" type="submit">{move || i18n.t().rating_reply_submit}</button>
        </form>
    }
}
