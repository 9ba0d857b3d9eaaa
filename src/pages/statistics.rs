//! Market statistics: a chart and the table behind it for each figure, with CSV per table and
//! one XLSX workbook. Regulators see two more figures than the public.

use crate::api;
use crate::components::{BarChart, ChartSeries, HBarChart, SeriesTone, ValueFormat};
use crate::components::{Loaded, Placeholder};
use crate::i18n::{set_title, use_i18n, Messages};
use leptos::prelude::*;
use market_domain::stats::{Cell, Statistics, StatsScope, Table, BIDS_BUCKET_MAX};
use market_domain::{Locale, ServiceType};

#[component]
pub fn StatisticsPage() -> impl IntoView {
    let i18n = use_i18n();
    Effect::new(move |_| set_title(i18n.t().stats_title, i18n.t()));
    let stats = LocalResource::new(api::statistics);
    view! {
        <section class="statistics">
            <header class="page-header">
                <h1>{move || i18n.t().stats_title}</h1>
                <a class="button button--secondary" download=""
                    href=move || format!("/api/statistics/xlsx?lang={}", i18n.locale.get().as_str())>
                    {move || i18n.t().stats_download_xlsx}
                </a>
            </header>
            <p class="lead">{move || i18n.t().stats_intro}</p>
            <Loaded data=stats placeholder=Placeholder::Cards(3) let:stats>
                {view! { <Figures stats /> }}
            </Loaded>
        </section>
    }
}

#[component]
fn Figures(
    /// What the server computed for this reader.
    stats: Statistics,
) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        let locale = i18n.locale.get();
        let t = i18n.t();
        let regulator = (stats.scope == StatsScope::Regulator)
            .then(|| view! { <p class="note">{t.stats_regulator_note}</p> });
        let generated = i18n.timestamp(&stats.generated_at);
        let figures = stats
            .tables(locale)
            .into_iter()
            .map(|table| {
                let chart = chart_for(&stats, &table, t, locale);
                view! { <Figure table chart /> }
            })
            .collect_view();
        view! {
            {regulator}
            <p class="note">{t.stats_generated_at} " " {generated}</p>
            {figures}
        }
    }
}

fn service_label(code: &str, locale: Locale) -> String {
    ServiceType::parse(code)
        .map(|s| s.name(locale).to_owned())
        .unwrap_or_else(|| code.to_owned())
}

fn chart_for(stats: &Statistics, table: &Table, t: &Messages, locale: Locale) -> AnyView {
    let money_series = |rows: &[market_domain::stats::VolumeRow]| {
        vec![
            ChartSeries {
                name: t.stats_series_amount.into(),
                tone: SeriesTone::Primary,
                values: rows.iter().map(|r| r.award_amount).collect(),
            },
            ChartSeries {
                name: t.stats_series_savings.into(),
                tone: SeriesTone::Secondary,
                values: rows.iter().map(|r| r.savings()).collect(),
            },
        ]
    };
    let label = table.title.clone();
    match table.key {
        "by_month" => view! {
            <BarChart label
                categories=stats.by_month.iter().map(|r| r.key.clone()).collect()
                series=money_series(&stats.by_month)
                format=ValueFormat::Money locale />
        }
        .into_any(),
        "by_service" => view! {
            <BarChart label
                categories=stats.by_service.iter().map(|r| service_label(&r.key, locale)).collect()
                series=money_series(&stats.by_service)
                format=ValueFormat::Money locale />
        }
        .into_any(),
        "bids_per_job" => view! {
            <BarChart label
                categories=stats.bids_per_job.iter().map(|b| if b.bids >= BIDS_BUCKET_MAX { format!("{}+", b.bids) } else { b.bids.to_string() }).collect()
                series=vec![ChartSeries {
                    name: t.stats_series_jobs.into(),
                    tone: SeriesTone::Primary,
                    values: stats.bids_per_job.iter().map(|b| b.jobs).collect(),
                }]
                format=ValueFormat::Count locale />
        }
        .into_any(),
        "steps" => view! {
            <HBarChart label
                bars=stats.steps.iter().map(|s| (s.step.name(locale).to_owned(), s.average_seconds)).collect()
                format=ValueFormat::Days locale />
        }
        .into_any(),
        _ => view! {
            <HBarChart label
                bars=stats.top_agencies.iter().map(|a| (a.name.clone(), a.awards)).collect()
                format=ValueFormat::Count locale />
        }
        .into_any(),
    }
}

#[component]
fn Figure(
    /// The figure's table: the numbers under the chart.
    table: Table,
    /// The chart drawn from the same figures.
    chart: AnyView,
) -> impl IntoView {
    let i18n = use_i18n();
    let heading = format!("stats-{}", table.key);
    let labelled_by = heading.clone();
    let csv = move || {
        format!(
            "/api/statistics/csv/{}.csv?lang={}",
            table.key,
            i18n.locale.get().as_str()
        )
    };
    let empty = table.rows.is_empty();
    view! {
        <section class="card stats-figure" aria-labelledby=labelled_by>
            <header class="stats-figure__header">
                <h2 id=heading>{table.title.clone()}</h2>
                <a class="button button--ghost" href=csv download="">{move || i18n.t().stats_download_csv}</a>
            </header>
            {if empty {
                view! { <p class="note">{move || i18n.t().stats_empty}</p> }.into_any()
            } else {
                chart
            }}
            <div class="table-scroll" tabindex="0">
                <table class="table" aria-label=table.title.clone()>
                    <thead><tr>
                        {table.columns.iter().map(|c| view! { <th scope="col">{c.clone()}</th> }).collect_view()}
                    </tr></thead>
                    <tbody>
                        {table.rows.iter().map(|row| view! {
                            <tr>
                                {row.iter().map(|cell| {
                                    let class = if matches!(cell, Cell::Text(_)) { "" } else { "numeric" };
                                    // The exact figure, as the CSV holds it, for anyone who checks.
                                    let plain = cell.plain();
                                    let cell = cell.clone();
                                    view! { <td class=class data-value=plain>{move || cell.display(i18n.locale.get())}</td> }
                                }).collect_view()}
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}
