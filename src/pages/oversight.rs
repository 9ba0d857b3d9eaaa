//! The fee regulator's console: red flags by rule, each with its evidence links and the exact
//! rule and SQL that raised it.

use crate::api::{self, ApiError};
use crate::components::{CardSkeletons, ErrorView};
use crate::i18n::{fill, set_title, use_i18n};
use leptos::prelude::*;
use market_domain::oversight::{RedFlag, RedFlagKind, RedFlagReport};

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
            <Transition fallback=|| view! { <CardSkeletons count=3 /> }>
                <ErrorBoundary fallback=|errors| view! { <ErrorView errors /> }>
                    {move || Suspend::new(async move {
                        let report = report.await?;
                        Ok::<_, ApiError>(view! { <RedFlags report /> })
                    })}
                </ErrorBoundary>
            </Transition>
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
                            <p class="flag__summary">{flag.summary.clone()}</p>
                            <p class="flag__evidence">
                                <span class="note">{move || i18n.t().flags_evidence} ":"</span>
                                {flag.evidence.into_iter().map(|e| view! { <a href=e.href>{e.label}</a> }).collect_view()}
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
