//! The fee regulator's console: red flags by rule, each with its evidence links and the exact
//! rule and SQL that raised it.

use crate::api::{self};
use crate::components::label;
use crate::components::{textarea, Feedback};
use crate::components::{LinkLine, LinkList, Loaded, Placeholder};
use crate::i18n::{fill, set_title, use_i18n};
use leptos::prelude::*;
use market_domain::complaint::{parse_reason, SuspensionProposal};
use market_domain::oversight::{RedFlag, RedFlagKind, RedFlagReport};
use market_domain::FieldError;

#[component]
pub fn OversightPage() -> impl IntoView {
    let i18n = use_i18n();
    Effect::new(move |_| set_title(i18n.t().oversight_title, i18n.t()));
    let report = LocalResource::new(api::red_flags);
    view! {
        <section class="oversight">
            <header class="page-header">
                <h1>{move || i18n.t().oversight_title}</h1>
            </header>
            <p class="lead">{move || i18n.t().oversight_intro}</p>
            <Loaded data=report placeholder=Placeholder::Cards(3) let:report>
                {view! { <RedFlags report /> }}
            </Loaded>
            <OverdueComplaints />
            <Proposals />
        </section>
    }
}

#[component]
fn RedFlags(
    /// The server's flags and rule texts.
    report: RedFlagReport,
) -> impl IntoView {
    let i18n = use_i18n();
    let total = report.flags.len().to_string();
    let computed_at = report.computed_at.clone();
    view! {
        <section aria-labelledby="red-flags" class="oversight__flags">
            <h2 id="red-flags">{move || i18n.t().flags_title}</h2>
            <p class="note">
                {move || fill(i18n.t().flags_total, &[("count", total.clone())])}
                " · " {move || i18n.t().flags_computed_at} " " {move || i18n.timestamp(&computed_at)}
            </p>
            {RedFlagKind::ALL.into_iter().map(|kind| {
                let flags: Vec<RedFlag> = report.flags.iter().filter(|f| f.kind == kind).cloned().collect();
                let sql = report.rules.iter().find(|r| r.kind == kind).map(|r| r.sql.clone()).unwrap_or_default();
                view! { <FlagGroup kind flags sql /> }
            }).collect_view()}
        </section>
    }
}

#[component]
fn FlagGroup(
    /// The rule.
    kind: RedFlagKind,
    /// Flags the rule raised.
    flags: Vec<RedFlag>,
    /// The SQL that computes it.
    sql: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let count = flags.len();
    let heading_id = format!("flag-{}", kind.code());
    let labelled_by = heading_id.clone();
    let badge_class = if count > 0 {
        "badge badge--danger"
    } else {
        "badge badge--success"
    };
    view! {
        <article class="card flag-group" aria-labelledby=labelled_by>
            <header class="flag-group__header">
                <h3 id=heading_id>{move || kind.name(i18n.locale.get())}</h3>
                <span class=badge_class>
                    {if count > 0 { count.to_string() } else { String::new() }}
                    {move || (count == 0).then(|| i18n.t().flags_none)}
                </span>
            </header>
            {(count > 0).then(|| view! {
                <ul class="flag-list">
                    {flags.into_iter().map(|flag| view! {
                        <li class="flag">
                            <p class="flag__summary">{let finding = flag.finding.clone(); move || finding.sentence(i18n.locale.get())}</p>
                            <p class="flag__evidence">
                                <span class="note">{move || i18n.t().flags_evidence} {move || crate::i18n::colon(i18n.locale.get())}</span>
                                {flag.evidence.into_iter().map(|e| { let exhibit = e.exhibit; view! { <a href=e.href>{move || exhibit.label(i18n.locale.get())}</a> } }).collect_view()}
                            </p>
                        </li>
                    }).collect_view()}
                </ul>
            })}
            <details class="flag-group__rule">
                <summary>{move || i18n.t().flags_rule}</summary>
                <p>{move || kind.rule(i18n.locale.get())}</p>
                <pre class="mono">{sql}</pre>
            </details>
        </article>
    }
}

/// Complaints whose current step is past its deadline.
#[component]
fn OverdueComplaints() -> impl IntoView {
    let i18n = use_i18n();
    let complaints = LocalResource::new(|| api::complaints(false));
    view! {
        <section class="card" aria-labelledby="overdue-complaints">
            <h2 id="overdue-complaints">{move || i18n.t().complaints_overdue_title}</h2>
            <Loaded data=complaints placeholder=Placeholder::Cards(1) let:complaints>
                <LinkList none=|t| t.flags_none lines=complaints.into_iter().filter(|c| c.overdue).map(|c| {
                    let status = c.status;
                    LinkLine {
                        href: format!("/complaints/{}", c.id),
                        label: format!("{} {}", c.number, c.title),
                        facts: Box::new(move |locale| status.name(locale).to_owned()),
                    }
                }).collect() />
            </Loaded>
        </section>
    }
}

/// One open proposal: confirmed on the agency's page (where the period and basis are set), or
/// dismissed here with a reason.
#[component]
fn ProposalItem(
    /// The open proposal.
    proposal: SuspensionProposal,
    /// Bumped after a dismissal so the list reloads.
    reload: RwSignal<u32>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = proposal.id;
    let reason = RwSignal::new(String::new());
    let feedback = Feedback::new();
    let dismiss = Action::new_local(move |text: &String| api::dismiss_proposal(id, text.clone()));
    Effect::new(move |_| match dismiss.value().get() {
        Some(Ok(())) => reload.update(|n| *n += 1),
        Some(Err(error)) => feedback.refused(error),
        None => {}
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        feedback.clear();
        match parse_reason(&reason.get_untracked()) {
            Ok(text) => {
                dismiss.dispatch(text);
            }
            Err(error) => feedback.errors.set(vec![FieldError::new("text", &error)]),
        }
    };
    let agency = format!("/agencies/{}", proposal.agency_id);
    let field_id = format!("proposal-{id}-reason");
    view! {
        <li class="flag">
            <a href=agency.clone()>{proposal.agency_name.clone()}</a>
            " · "
            {proposal.complaint_ids.iter().map(|c| view! { " " <a href=format!("/complaints/{c}")>{format!("TS{c:06}")}</a> }).collect_view()}
            <p class="note">
                {move || i18n.t().proposal_confirm_hint} " "
                <a href=agency>{move || i18n.t().proposal_go_suspend}</a>
            </p>
            <form class="form" on:submit=on_submit novalidate>
                {textarea(field_id, label(|t| t.proposal_dismiss_reason), reason, feedback.field("text"))}
                {feedback.view()}
                <button class="button button--secondary" type="submit" disabled=move || dismiss.pending().get()>
                    {move || i18n.t().proposal_dismiss}
                </button>
            </form>
        </li>
    }
}

/// Suspensions proposed after repeated upheld quality complaints, to confirm or dismiss.
#[component]
fn Proposals() -> impl IntoView {
    let i18n = use_i18n();
    let reload = RwSignal::new(0u32);
    let proposals = LocalResource::new(move || {
        reload.track();
        api::suspension_proposals()
    });
    view! {
        <section class="card" aria-labelledby="suspension-proposals">
            <h2 id="suspension-proposals">{move || i18n.t().proposals_title}</h2>
            <p class="note">{move || i18n.t().proposals_intro}</p>
            <Loaded data=proposals placeholder=Placeholder::Cards(1) let:proposals>
                {
                    let open: Vec<_> = proposals.into_iter().filter(|p| p.status == "proposed").collect();
                    if open.is_empty() {
                        view! { <p class="note">{move || i18n.t().proposals_none}</p> }.into_any()
                    } else {
                        view! {
                            <ul class="flag-list">
                                {open.into_iter().map(|proposal| view! { <ProposalItem proposal reload /> }).collect_view()}
                            </ul>
                        }.into_any()
                    }
                }
            </Loaded>
        </section>
    }
}
