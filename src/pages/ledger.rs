//! The public ledger: daily roots over every job's hash chain, and a full check anyone can run,
//! so that the platform's own staff cannot rewrite a job's history unnoticed.

use crate::api;
use crate::components::Loaded;
use crate::i18n::{fill, set_title, use_i18n};
use leptos::prelude::*;
use market_domain::wire::{ChainAudit, DailyRootView};

#[component]
pub fn LedgerPage() -> impl IntoView {
    let i18n = use_i18n();
    Effect::new(move || set_title(i18n.t().transparency_title, i18n.t()));
    let roots = LocalResource::new(api::daily_roots);
    let audit = Action::new_local(|_: &()| api::chain_audit());
    view! {
        <section class="page ledger">
            <h1>{move || i18n.t().transparency_title}</h1>
            <p class="lead">{move || i18n.t().transparency_intro}</p>
            <div class="card">
                <button
                    class="button button--primary"
                    type="button"
                    disabled=move || audit.pending().get()
                    on:click=move |_| {
                        audit.dispatch(());
                    }
                >
                    {move || if audit.pending().get() { i18n.t().chain_verifying } else { i18n.t().audit_run }}
                </button>
                {move || audit.value().get().map(|outcome| match outcome {
                    Ok(report) => view! { <AuditReport report /> }.into_any(),
                    Err(error) => view! { <p class="banner banner--danger" role="alert">{error.to_string()}</p> }.into_any(),
                })}
            </div>
            <section class="card" aria-labelledby="open-data">
                <h2 id="open-data">{move || i18n.t().open_data_title}</h2>
                <p>{move || i18n.t().open_data_intro}</p>
                <p><a class="mono" href="/api/ocds/releases">{move || i18n.t().open_data_feed}</a></p>
            </section>
            <Loaded data=roots let:roots>
                {view! { <RootsTable roots /> }}
            </Loaded>
        </section>
    }
}

#[component]
fn AuditReport(
    /// The server's check of every chain and root.
    report: ChainAudit,
) -> impl IntoView {
    let i18n = use_i18n();
    let intact = report.broken.is_empty() && report.root_mismatches.is_empty();
    let jobs = report.checked_jobs.to_string();
    let events = report.checked_events.to_string();
    let current_root = report.current_root.clone();
    let problems = (!intact).then(|| {
        let broken = report.broken.clone();
        let mismatches = report.root_mismatches.clone();
        view! {
            <div class="banner banner--danger" role="alert">
                <p>{move || i18n.t().audit_broken}</p>
                <ul>
                    {broken.into_iter().map(|link| {
                        let href = format!("/jobs/{}", link.job_id);
                        let job = link.job_id.to_string();
                        view! {
                            <li>
                                <a href=href>{move || fill(i18n.t().audit_job_link, &[("id", job.clone())])}</a>
                                {move || crate::i18n::colon(i18n.locale.get())}
                                {move || if i18n.locale.get() == market_domain::Locale::ZhCn { link.message.clone() } else { link.message_en.clone() }}
                            </li>
                        }
                    }).collect_view()}
                    {mismatches.into_iter().map(|m| {
                        let day = m.day.clone();
                        view! { <li>{move || fill(i18n.t().audit_root_mismatch, &[("day", day.clone())])}</li> }
                    }).collect_view()}
                </ul>
            </div>
        }
    });
    view! {
        {intact.then(|| view! {
            <p class="banner banner--success" role="status">
                {move || fill(i18n.t().audit_ok, &[("jobs", jobs.clone()), ("events", events.clone())])}
            </p>
        })}
        {problems}
        <dl class="facts mono-values">
            <div class="facts__row">
                <dt>{move || i18n.t().audit_current_root}</dt>
                <dd class="mono">{current_root}</dd>
            </div>
        </dl>
    }
}

#[component]
fn RootsTable(
    /// Sealed daily roots, newest first.
    roots: Vec<DailyRootView>,
) -> impl IntoView {
    let i18n = use_i18n();
    if roots.is_empty() {
        return view! { <p class="note">{move || i18n.t().roots_empty}</p> }.into_any();
    }
    view! {
        <div class="table-scroll card" tabindex="0">
            <table class="table" aria-label=move || i18n.t().roots_root>
                <thead><tr>
                    <th scope="col">{move || i18n.t().roots_day}</th>
                    <th scope="col">{move || i18n.t().roots_root}</th>
                    <th scope="col" class="numeric">{move || i18n.t().roots_jobs}</th>
                    <th scope="col" class="numeric">{move || i18n.t().roots_events}</th>
                </tr></thead>
                <tbody>
                    {roots.into_iter().map(|root| view! {
                        <tr>
                            <td>{root.day}</td>
                            <td class="mono ledger__root">{root.root}</td>
                            <td class="numeric">{root.jobs}</td>
                            <td class="numeric">{root.events}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}
