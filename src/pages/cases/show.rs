//! `/cases/:id`: one case beside the jobs it needs, on one time axis.

use super::{progress_variant, status_variant};
use crate::api;
use crate::components::Badge;
use crate::components::Loaded;
use crate::components::{input, Feedback};
use crate::components::{label, DataTable};
use crate::i18n::{fill, set_title, use_i18n, Messages};
use crate::session::use_session;
use leptos::prelude::*;
use market_domain::approval::{
    blocker, CaseEventKind, CaseEventRequest, CaseService, CaseStatus, CaseView, ReviewResult,
};
use market_domain::format::{duration, unix_seconds};
use market_domain::job::JobEvent;
use market_domain::wire::percent_encode;
use market_domain::{Locale, Role};

#[component]
pub fn CasePage() -> impl IntoView {
    let id = crate::pages::use_id_param();
    let version = RwSignal::new(0u32);
    let refresh = move || version.update(|v| *v += 1);
    // Status changes arrive from the approval system at any time: load again when the tab gets
    // focus, and every few seconds while it is visible.
    let focus = window_event_listener(leptos::ev::focus, move |_| refresh());
    let poll = set_interval_with_handle(
        move || {
            let visible = document().visibility_state() == web_sys::VisibilityState::Visible;
            if visible {
                refresh();
            }
        },
        std::time::Duration::from_secs(5),
    )
    .ok();
    on_cleanup(move || {
        focus.remove();
        if let Some(poll) = poll {
            poll.clear();
        }
    });
    let case = LocalResource::new(move || {
        version.track();
        api::case(id.get())
    });
    view! {
        <section class="case-page">
            <a class="back-link" href="/cases">"← " {move || use_i18n().t().cases_title}</a>
            <Loaded data=case let:case>
                {view! { <CaseDetail case on_recorded=Callback::new(move |()| refresh()) /> }}
            </Loaded>
        </section>
    }
}

/// Seconds from the first event named in `from` to the first named in `to`, or until now.
fn span(
    events: &[market_domain::wire::JobEventView],
    from: &[JobEvent],
    to: &[JobEvent],
) -> Option<(i64, bool)> {
    let at = |names: &[JobEvent]| {
        events
            .iter()
            .find(|e| names.contains(&e.event))
            .and_then(|e| unix_seconds(&e.at))
    };
    let start = at(from)?;
    match at(to) {
        Some(end) => Some((end - start, true)),
        None => Some((now_seconds() - start, false)),
    }
}

fn now_seconds() -> i64 {
    (js_sys::Date::now() / 1000.0) as i64
}

fn clock_text(span: Option<(i64, bool)>, t: &Messages, locale: Locale) -> String {
    match span {
        None => "—".into(),
        Some((seconds, true)) => duration(seconds, locale),
        Some((seconds, false)) => fill(t.clock_running, &[("d", duration(seconds, locale))]),
    }
}

fn case_event_text(kind: &CaseEventKind, locale: Locale) -> String {
    match kind {
        CaseEventKind::Status { status } => status.name(locale).to_owned(),
        CaseEventKind::TechnicalReview {
            service_type,
            result,
        } => format!("{}:{}", service_type.name(locale), result.name(locale)),
    }
}

#[component]
fn CaseDetail(
    /// The case with its services.
    case: CaseView,
    /// Called after the officer recorded an event.
    on_recorded: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let title = case.summary.project_name.clone();
    Effect::new(move |_| set_title(&title, i18n.t()));
    let summary = case.summary.clone();
    let status = summary.status;
    let pairs = summary.services.clone();
    let applicant = case.viewer_is_applicant;
    let is_applicant = move || applicant;
    let is_officer = move || session.account.get().map(|a| a.role) == Some(Role::ApprovalOfficer);
    // The case's own clock: from 受理 to 办结.
    let received = case.events.first().and_then(|e| unix_seconds(&e.at));
    let concluded = case.events.iter().rev().find_map(|e| match e.kind {
        CaseEventKind::Status { status } if status.is_concluded() => unix_seconds(&e.at),
        _ => None,
    });
    let case_clock = received.map(|start| match concluded {
        Some(end) => (end - start, true),
        None => (now_seconds() - start, false),
    });
    // Both timelines on one axis: every event in time order, in its lane.
    let mut rows: Vec<(i64, String, bool, String)> = case
        .events
        .iter()
        .map(|e| {
            let source = if e.source.starts_with("integration:") {
                i18n.t().source_integration
            } else {
                i18n.t().source_officer
            };
            let text = format!(
                "{}{}({source})",
                case_event_text(&e.kind, i18n.locale.get_untracked()),
                if e.note.is_empty() {
                    String::new()
                } else {
                    format!(" · {}", e.note)
                }
            );
            (unix_seconds(&e.at).unwrap_or(0), e.at.clone(), true, text)
        })
        .collect();
    for service in &case.services {
        let name = service.service_type.name(i18n.locale.get_untracked());
        for e in &service.job_events {
            rows.push((
                unix_seconds(&e.at).unwrap_or(0),
                e.at.clone(),
                false,
                format!(
                    "{name}:{}",
                    e.event.line(&e.detail, i18n.locale.get_untracked())
                ),
            ));
        }
    }
    rows.sort_by_key(|(at, _, lane, _)| (*at, !*lane));
    let services = case.services.clone();
    let required: Vec<market_domain::ServiceType> =
        summary.services.iter().map(|(s, _)| *s).collect();
    let item = summary.item.clone();
    let prefill = {
        let summary = summary.clone();
        move |service: &CaseService| {
            format!(
                "/jobs/new?project_code={}&project_name={}&approval_item={}&approving_department={}&service_type={}",
                percent_encode(&summary.project_code),
                percent_encode(&summary.project_name),
                percent_encode(&summary.item.name),
                percent_encode(&summary.item.department),
                service.service_type.code()
            )
        }
    };
    view! {
        <article class="case">
            <header class="agency__header">
                <h1>{summary.project_name.clone()}</h1>
                <Badge variant=status_variant(status) label=Signal::derive(move || status.name(i18n.locale.get()).to_owned()) />
            </header>
            <section class="card">
                <dl class="facts">
                    <div class="facts__row"><dt>{move || i18n.t().case_number}</dt><dd class="mono">{summary.case_number.clone()}</dd></div>
                    <div class="facts__row"><dt>{move || i18n.t().job_project_code}</dt><dd class="mono">{summary.project_code.clone()}</dd></div>
                    <div class="facts__row"><dt>{move || i18n.t().case_item}</dt><dd>{item.name.clone()}</dd></div>
                    <div class="facts__row"><dt>{move || i18n.t().case_department}</dt><dd>{item.department.clone()}</dd></div>
                    <div class="facts__row"><dt>{move || i18n.t().case_applicant}</dt><dd>{summary.applicant_name.clone()}</dd></div>
                    <div class="facts__row"><dt>{move || i18n.t().case_blocker}</dt><dd>{move || blocker(status, &pairs, i18n.locale.get()).unwrap_or_else(|| "—".into())}</dd></div>
                    <div class="facts__row"><dt>{move || i18n.t().clock_case}</dt><dd>{move || clock_text(case_clock, i18n.t(), i18n.locale.get())}</dd></div>
                </dl>
            </section>
            <section class="card" aria-label=move || i18n.t().case_services>
                <h2>{move || i18n.t().case_services}</h2>
                <DataTable label=label(|t| t.case_services) columns=&[|t| t.filter_service_type, |t| t.case_service_stage, |t| t.case_service_job, |t| t.clock_post_to_award, |t| t.clock_award_to_delivery, |t| t.clock_delivery_to_review]>
                    {services.into_iter().map(|service| {
                        let progress = service.progress;
                        let kind = service.service_type;
                        let href = prefill(&service);
                        let events = service.job_events.clone();
                        let posted = span(&events, &[JobEvent::Published], &[JobEvent::Awarded, JobEvent::Drawn]);
                        let awarded = span(&events, &[JobEvent::Awarded, JobEvent::Drawn], &[JobEvent::Delivered]);
                        let reviewed = events.iter().find(|e| e.event == JobEvent::Delivered).and_then(|d| unix_seconds(&d.at)).map(|start| {
                            match case.events.iter().find_map(|e| match e.kind {
                                CaseEventKind::TechnicalReview { service_type, result: ReviewResult::Passed } if service_type == kind => unix_seconds(&e.at),
                                _ => None,
                            }) {
                                Some(end) => (end - start, true),
                                None => (now_seconds() - start, false),
                            }
                        });
                        view! {
                            <tr>
                                <th scope="row">{move || kind.name(i18n.locale.get())}</th>
                                <td><Badge variant=progress_variant(progress) label=Signal::derive(move || progress.label(i18n.locale.get())) /></td>
                                <td>{match service.job_id {
                                    Some(job_id) => view! { <a href=format!("/jobs/{job_id}")>{move || i18n.t().case_view_job}</a> }.into_any(),
                                    None => view! {
                                        <Show when=is_applicant>
                                            <a class="button button--primary" href=href.clone()>{move || i18n.t().case_post_job}</a>
                                        </Show>
                                    }.into_any(),
                                }}</td>
                                <td>{move || clock_text(posted, i18n.t(), i18n.locale.get())}</td>
                                <td>{move || clock_text(awarded, i18n.t(), i18n.locale.get())}</td>
                                <td>{move || clock_text(reviewed, i18n.t(), i18n.locale.get())}</td>
                            </tr>
                        }
                    }).collect_view()}
                </DataTable>
            </section>
            <section class="card" aria-label=move || i18n.t().case_timeline>
                <h2>{move || i18n.t().case_timeline}</h2>
                <DataTable label=label(|t| t.case_timeline) columns=&[|t| t.timeline_time, |t| t.case_lane_case, |t| t.case_lane_services] modifier="timeline-lanes">
                    {rows.into_iter().map(|(_, at, is_case, text)| view! {
                        <tr>
                            <td class="mono">{move || i18n.timestamp(&at)}</td>
                            <td class="timeline-lanes__case">{is_case.then(|| text.clone())}</td>
                            <td class="timeline-lanes__services">{(!is_case).then(|| text.clone())}</td>
                        </tr>
                    }).collect_view()}
                </DataTable>
            </section>
            <Show when=is_officer>
                <RecordForm case_id=summary.id services=required.clone() on_recorded />
            </Show>
        </article>
    }
}

/// The approval officer's entry of a status change or a technical review.
#[component]
fn RecordForm(
    /// The case to record against.
    case_id: i64,
    /// Its required services, for technical reviews.
    services: Vec<market_domain::ServiceType>,
    /// Called once recorded.
    on_recorded: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let choice = RwSignal::new("status:under_review".to_owned());
    let note = RwSignal::new(String::new());
    let feedback = Feedback::new();
    let record = Action::new_local(move |event: &CaseEventRequest| {
        let event = event.clone();
        async move { api::record_case_event(case_id, &event).await }
    });
    Effect::new(move |_| match record.value().get() {
        Some(Ok(())) => {
            feedback.clear();
            note.set(String::new());
            on_recorded.run(());
        }
        Some(Err(error)) => feedback.refused(error),
        None => {}
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let picked = choice.get_untracked();
        let kind = match picked.split_once(':') {
            Some(("status", code)) => {
                CaseStatus::parse(code).map(|status| CaseEventKind::Status { status })
            }
            Some(("review", rest)) => rest.split_once(':').and_then(|(service, result)| {
                Some(CaseEventKind::TechnicalReview {
                    service_type: market_domain::ServiceType::parse(service)?,
                    result: if result == "passed" {
                        ReviewResult::Passed
                    } else {
                        ReviewResult::Returned
                    },
                })
            }),
            _ => None,
        };
        let Some(kind) = kind else { return };
        let millis = js_sys::Date::now() as i64;
        let at = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(millis as f64))
            .to_iso_string()
            .as_string()
            .unwrap_or_default();
        record.dispatch(CaseEventRequest {
            event_id: format!("officer-{case_id}-{millis}"),
            at,
            kind,
            note: note.get_untracked(),
        });
    };
    let options = move || {
        let locale = i18n.locale.get();
        let mut options: Vec<(String, String)> = CaseStatus::ALL
            .into_iter()
            .filter(|s| *s != CaseStatus::Received)
            .map(|s| (format!("status:{}", s.code()), s.name(locale).to_owned()))
            .collect();
        for service in &services {
            for (result, name) in [
                ("passed", i18n.t().case_review_passed),
                ("returned", i18n.t().case_review_returned),
            ] {
                options.push((
                    format!("review:{}:{result}", service.code()),
                    format!("{}:{name}", service.name(locale)),
                ));
            }
        }
        options
    };
    view! {
        <section class="card" aria-label=move || i18n.t().case_record_title>
            <h2>{move || i18n.t().case_record_title}</h2>
            <form class="form" novalidate on:submit=on_submit>
                <div class="field">
                    <label class="field__label" for="case-record-kind">{move || i18n.t().case_record_kind}</label>
                    <select class="field__input" id="case-record-kind" on:change:target=move |ev| choice.set(ev.target().value())>
                        {move || options().into_iter().map(|(value, label)| {
                            let selected = value.clone();
                            view! { <option value=value selected=move || choice.get() == selected>{label}</option> }
                        }).collect_view()}
                    </select>
                </div>
                {input("case-record-note".to_owned(), label(|t| t.case_record_note), note, feedback.field("note"), "text")}
                {feedback.view()}
                <button class="button button--primary" type="submit" disabled=move || record.pending().get()>{move || i18n.t().case_record_submit}</button>
            </form>
        </section>
    }
}
