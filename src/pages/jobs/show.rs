//! `/jobs/:id`: one job with its award, the random draw's in-browser verification and the full
//! timeline; a signed-in reader's role actions load beside it from the `console` chunk.

use super::actions::{JobActions, JobReload};
use crate::api::{self};
use crate::components::Chunk;
use crate::components::Loaded;
use crate::components::{bid_count_text, state_variant};
use crate::components::{label, DataTable};
use crate::components::{Badge, BadgeVariant};
use crate::components::{ObjectionsCard, RatingCard};
use crate::i18n::{fill, set_title, use_i18n, Messages};
use crate::session::use_session;
use leptos::prelude::*;
use market_domain::approval::{CaseStatus, ReviewResult};
use market_domain::job::Actor;
use market_domain::job::JobState;
use market_domain::selection::SelectionKind;
use market_domain::wire::{DrawView, JobView};
use market_domain::{chain, draw};
use market_domain::{Money, ServiceType};

/// The job whose actions the lazily loaded panel shows, handed over by context because a
/// split function's arguments cross a module boundary.
#[derive(Clone)]
struct ActionsFor(JobView);

// The forms for owners, bidders and winners are most of this screen's code, and an anonymous
// reader needs none of them: they load only for a signed-in reader, from the `console` chunk,
// which that reader already fetched to sign in.
crate::screen_chunk!(
    actions,
    console,
    || view! { <JobActions job={expect_context::<ActionsFor>().0} /> }
);

#[component]
pub fn JobPage() -> impl IntoView {
    let id = crate::pages::use_id_param();
    let reload = JobReload(RwSignal::new(0));
    provide_context(reload);
    let job = LocalResource::new(move || {
        reload.0.track();
        api::job(id.get())
    });
    view! {
        <section class="job-page">
            <a class="back-link" href="/jobs">"← " {move || use_i18n().t().jobs_title}</a>
            <Loaded data=job let:job>
                {view! { <JobDetail job /> }}
            </Loaded>
        </section>
    }
}

#[component]
fn JobDetail(
    /// The job as the API returned it.
    job: JobView,
) -> impl IntoView {
    provide_context(ActionsFor(job.clone()));
    let i18n = use_i18n();
    let session = use_session();
    // Undecided until the session check answers, so a signed-in party never sees the
    // anonymous variant flash first.
    let signed_in = Memo::new(move |_| {
        session
            .checked
            .get()
            .then(|| session.account.with(Option::is_some))
    });
    let public = job.clone();
    let title = job.terms.project_name.clone();
    Effect::new(move |_| set_title(&title, i18n.t()));
    let state = job.state;
    let service = ServiceType::parse(&job.terms.service_type);
    let budget = Money::from_fen(job.terms.budget_ceiling).unwrap_or(Money::ZERO);
    let investment = job.terms.investment.and_then(|f| Money::from_fen(f).ok());
    let deadline = job.deadline.clone().unwrap_or_default();
    let bid_count = job.bid_count;
    let method = job.selection_method;
    let row = move |label: fn(&Messages) -> &'static str, value: String| {
        view! {
            <div class="facts__row"><dt>{move || label(i18n.t())}</dt><dd>{value}</dd></div>
        }
    };
    let award = job.award.clone().map(|award| {
        let price = award.price;
        let ends = award.publicity_ends.clone();
        let is_final = award.is_final;
        view! {
            <section class="card award" aria-label=move || i18n.t().award_title>
                <h2>{move || i18n.t().award_title}</h2>
                <dl class="facts">
                    <div class="facts__row"><dt>{move || i18n.t().award_winner}</dt><dd><a href=format!("/agencies/{}", award.agency_id)>{award.agency_name.clone()}</a></dd></div>
                    <div class="facts__row"><dt>{move || i18n.t().award_price}</dt><dd>{move || i18n.money(price)}</dd></div>
                    <div class="facts__row"><dt>{move || i18n.t().job_method}</dt><dd>{move || method.name(i18n.locale.get())}</dd></div>
                    <div class="facts__row"><dt>{move || i18n.t().award_reason}</dt><dd>{let (reason, basis) = (award.reason.clone(), award.basis.clone()); move || basis.as_ref().map_or_else(|| reason.clone(), |b| b.text(i18n.locale.get()))}</dd></div>
                    <div class="facts__row"><dt>{move || i18n.t().award_publicity_ends}</dt><dd>{move || i18n.timestamp(&ends)}</dd></div>
                </dl>
                <p class="note">{move || if is_final { i18n.t().award_final } else { i18n.t().award_in_publicity }}</p>
                <button class="button button--ghost no-print" type="button" on:click=|_| { if let Some(w) = web_sys::window() { let _ = w.print(); } }>
                    {move || i18n.t().award_print}
                </button>
            </section>
        }
    });
    let is_draw = job.selection_method == SelectionKind::RandomDraw;
    let job_id = job.id;
    view! {
        <article class="job">
            <header class="agency__header">
                <h1>{job.terms.project_name.clone()}</h1>
                <Badge variant=state_variant(state) label=Signal::derive(move || state.name(i18n.locale.get()).to_owned()) />
            </header>
            {job.unsuccessful_reason.clone().map(|reason| view! {
                <div class="banner banner--warning" role="status"><strong>{move || i18n.t().job_unsuccessful} ": "</strong>{reason}</div>
            })}
            {job.case.clone().map(|case| {
                let status = case.status;
                view! {
                    <section class="card case-card no-print" aria-label=move || i18n.t().job_case_card>
                        <h2>{move || i18n.t().job_case_card}</h2>
                        <p>
                            <a href=format!("/cases/{}", case.id)>{case.item_name.clone()} " · " {case.case_number.clone()}</a>
                            " " <Badge variant=if status == CaseStatus::Approved { BadgeVariant::Success } else { BadgeVariant::Service } label=Signal::derive(move || status.name(i18n.locale.get()).to_owned()) />
                        </p>
                        {case.review.map(|review| {
                            let note = case.review_note.clone();
                            view! {
                                <p class="note" role="status">
                                    <Badge variant=if review == ReviewResult::Passed { BadgeVariant::Success } else { BadgeVariant::Warning } label=Signal::derive(move || review.name(i18n.locale.get()).to_owned()) />
                                    " " {note}
                                </p>
                            }
                        })}
                    </section>
                }
            })}
            {award}
            <section class="card">
                <dl class="facts">
                    {row(|t| t.job_project_code, job.terms.project_code.clone())}
                    {row(|t| t.job_approval_item, job.terms.approval_item.clone())}
                    {row(|t| t.job_department, job.terms.approving_department.clone())}
                    {row(|t| t.job_owner, job.enterprise_name.clone())}
                    <div class="facts__row"><dt>{move || i18n.t().filter_service_type}</dt><dd>{move || service.map(|s| s.name(i18n.locale.get())).unwrap_or_default()}</dd></div>
                    <div class="facts__row"><dt>{move || i18n.t().job_method}</dt><dd>{let m = job.selection_method; move || m.name(i18n.locale.get())}</dd></div>
                    <div class="facts__row"><dt>{move || i18n.t().job_tie_rule}</dt><dd>{let selection = job.terms.selection.clone(); move || market_domain::selection::tie_rule(&selection, i18n.locale.get())}</dd></div>
                    <div class="facts__row"><dt>{move || i18n.t().job_budget}</dt><dd>{move || i18n.money(budget)}</dd></div>
                    {investment.map(|amount| view! { <div class="facts__row"><dt>{move || i18n.t().job_investment}</dt><dd>{move || i18n.money(amount)}</dd></div> })}
                    <div class="facts__row"><dt>{move || i18n.t().job_deadline}</dt><dd>{move || i18n.timestamp(&deadline)}</dd></div>
                    <div class="facts__row"><dt>{move || i18n.t().job_bid_count}</dt><dd>{move || bid_count_text(bid_count, i18n)}</dd></div>
                    {row(|t| t.job_fiscal, format!("{}%", job.terms.fiscal_percent))}
                    {row(|t| t.job_min_bidders, job.terms.min_bidders.to_string())}
                    {row(|t| t.job_publicity_days, job.terms.publicity_days.to_string())}
                    {row(|t| t.job_contact, format!("{} {}", job.terms.contact_person, job.terms.contact_phone))}
                </dl>
                <h2>{move || i18n.t().job_scope}</h2>
                <p>{job.terms.scope.clone()}</p>
            </section>
            {move || match signed_in.get() {
                None => ().into_any(),
                Some(false) => view! { <PublicActions job=public.clone() /> }.into_any(),
                Some(true) => view! { <Chunk load=actions::load /> }.into_any(),
            }}
            {is_draw.then(|| view! { <DrawPanel job_id commitment=job.draw_commitment.clone().unwrap_or_default() winner=job.award.as_ref().map(|a| a.agency_id) /> })}
            <Timeline job_id />
        </article>
    }
}

/// What an anonymous reader sees under a job's facts: how to take part, and the award's
/// objections and rating read-only, the same cards `JobActions` gives a party with its forms.
#[component]
fn PublicActions(
    /// The job as an anonymous reader sees it.
    job: JobView,
) -> impl IntoView {
    let i18n = use_i18n();
    let published = job.state == JobState::Published;
    view! {
        {published.then(|| view! { <p class="card note"><a href="/login">{move || i18n.t().bid_login}</a></p> })}
        {job.award.is_some().then(|| view! { <ObjectionsCard job_id=job.id /> })}
        {(job.state == JobState::Rated).then(|| {
            let agency_id = job.award.as_ref().map(|a| a.agency_id).unwrap_or(0);
            view! { <RatingCard job_id=job.id agency_id /> }
        })}
    }
}

#[component]
fn DrawPanel(
    /// The job whose draw to show.
    job_id: i64,
    /// The commitment published with the job.
    commitment: String,
    /// The announced winner, if drawn.
    winner: Option<i64>,
) -> impl IntoView {
    let i18n = use_i18n();
    let reload = use_context::<JobReload>();
    let data = LocalResource::new(move || {
        if let Some(reload) = reload {
            reload.0.track();
        }
        api::draw(job_id)
    });
    let verdict = RwSignal::new(None::<bool>);
    view! {
        <section class="card draw" aria-label=move || i18n.t().draw_title>
            <h2>{move || i18n.t().draw_title}</h2>
            <p class="note">{move || i18n.t().draw_intro}</p>
            <Loaded data=data let:draw>
                {
                    let draw: DrawView = draw;
                    let revealed = draw.seed.clone();
                    let check = {
                        let draw = draw.clone();
                        let commitment = commitment.clone();
                        move |_| {
                            let ok = match (&draw.seed, &draw.candidates_hash, winner) {
                                (Some(seed), Some(hash), Some(winner)) => {
                                    draw::verify(seed, &commitment, &draw.candidates, hash, winner).ok()
                                }
                                _ => false,
                            };
                            verdict.set(Some(ok));
                        }
                    };
                    view! {
                        <dl class="facts mono-values">
                            <div class="facts__row"><dt>{move || i18n.t().draw_commitment}</dt><dd class="mono">{draw.commitment.clone()}</dd></div>
                            <div class="facts__row"><dt>{move || i18n.t().draw_candidates_hash}</dt><dd class="mono">{draw.candidates_hash.clone().unwrap_or_else(|| "—".into())}</dd></div>
                            <div class="facts__row"><dt>{move || i18n.t().draw_candidates}</dt><dd><ul class="plain-list">{draw.candidates.iter().zip(draw.candidate_names.iter()).map(|(id, name)| view! { <li><a href=format!("/agencies/{id}")>{name.clone()}</a></li> }).collect_view()}</ul></dd></div>
                            <div class="facts__row"><dt>{move || i18n.t().draw_seed}</dt><dd class="mono">{draw.seed.clone().unwrap_or_else(|| "—".into())}</dd></div>
                            <div class="facts__row"><dt>{move || i18n.t().draw_winner}</dt><dd>{draw.winner_name.clone().unwrap_or_else(|| "—".into())}</dd></div>
                        </dl>
                        {match revealed {
                            Some(_) => view! {
                                <button class="button button--secondary" type="button" on:click=check>{move || i18n.t().draw_verify}</button>
                            }.into_any(),
                            None => view! { <p class="note">{move || i18n.t().draw_pending}</p> }.into_any(),
                        }}
                        {move || verdict.get().map(|ok| view! {
                            <p class=if ok { "banner banner--success" } else { "banner banner--danger" } role="status">
                                {move || if ok { i18n.t().draw_ok } else { i18n.t().draw_failed }}
                            </p>
                        })}
                    }
                }
            </Loaded>
        </section>
    }
}

fn actor_name(actor: Actor, t: &Messages) -> &'static str {
    match actor {
        Actor::Enterprise => t.actor_enterprise,
        Actor::Agency => t.actor_agency,
        Actor::Regulator => t.actor_regulator,
        Actor::System => t.actor_system,
    }
}

#[component]
fn Timeline(
    /// The job whose events to show.
    job_id: i64,
) -> impl IntoView {
    let i18n = use_i18n();
    let reload = use_context::<JobReload>();
    let events = LocalResource::new(move || {
        if let Some(reload) = reload {
            reload.0.track();
        }
        api::job_events(job_id)
    });
    view! {
        <section class="card no-print">
            <h2>{move || i18n.t().timeline_title}</h2>
            <Loaded data=events let:events>
                {
                    view! {
                        <DataTable label=label(|t| t.timeline_title) columns=&[|t| t.chain_seq, |t| t.timeline_time, |t| t.timeline_actor, |t| t.timeline_event]>
                            {events.into_iter().map(|e| {
                                let at = e.at.clone();
                                let actor = e.actor;
                                let (event, detail) = (e.event, e.detail.clone());
                                let short_hash: String = e.hash.chars().take(10).collect();
                                view! {
                                    <tr>
                                        <td class="mono" title=e.hash.clone()>{e.seq}" · "{short_hash}</td>
                                        <td>{move || i18n.timestamp(&at)}</td>
                                        <td>{move || actor_name(actor, i18n.t())}</td>
                                        <td>{move || event.line(&detail, i18n.locale.get())}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </DataTable>
                    }
                }
            </Loaded>
            <VerifyHistory job_id />
        </section>
    }
}

/// Recomputes the job's hash chain in the browser, with the same domain code the server uses, on
/// a fresh copy of the history so an edit made after the page loaded is caught too.
#[component]
fn VerifyHistory(
    /// The job whose chain to check.
    job_id: i64,
) -> impl IntoView {
    let i18n = use_i18n();
    let verify = Action::new_local(move |_: &()| async move {
        api::job_events(job_id).await.map(|events| {
            let count = events.len();
            chain::verify(job_id, &events).map(|_| count)
        })
    });
    view! {
        <div class="chain-verify">
            <p class="note">{move || i18n.t().chain_intro}</p>
            <button
                class="button button--secondary"
                type="button"
                disabled=move || verify.pending().get()
                on:click=move |_| {
                    verify.dispatch(());
                }
            >
                {move || if verify.pending().get() { i18n.t().chain_verifying } else { i18n.t().chain_verify }}
            </button>
            <a class="note" href=format!("/api/ocds/records/{}", market_domain::ocds::ocid(job_id))>
                {move || i18n.t().open_data_record}
            </a>
            {move || verify.value().get().map(|outcome| match outcome {
                Ok(Ok(count)) => view! {
                    <p class="banner banner--success" role="status">
                        {move || fill(i18n.t().chain_ok, &[("count", count.to_string())])}
                    </p>
                }.into_any(),
                Ok(Err(link)) => view! {
                    <p class="banner banner--danger" role="alert">
                        {move || i18n.t().chain_broken}
                        {move || link.message(i18n.locale.get())}
                    </p>
                }.into_any(),
                Err(error) => view! {
                    <p class="banner banner--danger" role="alert">{error.to_string()}</p>
                }.into_any(),
            })}
        </div>
    }
}
