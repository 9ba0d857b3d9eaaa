//! `/complaints/:id`: one complaint with the next step its reader may take.

use super::status_class;
use crate::api;
use crate::components::label;
use crate::components::Loaded;
use crate::components::{textarea, Feedback, Heading};
use crate::i18n::{set_title, use_i18n};
use crate::pages::use_id_param;
use leptos::prelude::*;
use market_domain::complaint::{ComplaintDecision, ComplaintView, TextStep};

#[component]
pub fn ComplaintPage() -> impl IntoView {
    let i18n = use_i18n();
    let id = use_id_param();
    let reload = RwSignal::new(0u32);
    let complaint = LocalResource::new(move || {
        reload.track();
        api::complaint(id.get())
    });
    view! {
        <a class="back-link" href="/complaints">"← " {move || i18n.t().complaints_title}</a>
        <Loaded data=complaint let:complaint>
            {
                set_title(&complaint.title, i18n.t());
                view! { <ComplaintDetail complaint reload /> }
            }
        </Loaded>
    }
}

#[component]
fn ComplaintDetail(
    /// The complaint as this reader may see it.
    complaint: ComplaintView,
    /// Bumped after a step, to reload.
    reload: RwSignal<u32>,
) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    let status = complaint.status;
    let id = complaint.id;
    let row = |label: Signal<String>, value: Option<String>| {
        value.map(|v| view! { <div class="facts__row"><dt>{label}</dt><dd>{v}</dd></div> })
    };
    let filed_at = complaint.filed_at.clone();
    let due = complaint.due_at.clone();
    view! {
        <section class="complaint">
            <header class="page-header">
                <h1>{complaint.title.clone()}</h1>
                <span class=status_class(status)>{move || status.name(i18n.locale.get())}</span>
            </header>
            <dl class="facts card">
                {row(label(|m| m.complaint_number), Some(complaint.number.clone()))}
                {row(label(|m| m.complaint_target), Some(complaint.target_name.clone()))}
                <div class="facts__row"><dt>{move || t().complaint_category}</dt><dd>{move || complaint.category.name(i18n.locale.get())}</dd></div>
                <div class="facts__row"><dt>{move || t().complaint_complainant}</dt><dd>{complaint.complainant.clone().unwrap_or_else(|| i18n.t().complaint_anonymous.to_owned())}</dd></div>
                <div class="facts__row"><dt>{move || t().complaint_filed_at}</dt><dd>{move || i18n.timestamp(&filed_at)}</dd></div>
                {due.map(|d| view! {
                    <div class="facts__row"><dt>{move || t().complaint_due}</dt><dd>
                        {move || i18n.timestamp(&d)}
                        {complaint.overdue.then(|| view! { " " <span class="badge badge--danger">{move || t().complaint_overdue}</span> })}
                    </dd></div>
                })}
            </dl>
            <section class="card">
                <h2>{move || t().complaint_description}</h2>
                <p class="prewrap">{complaint.description.clone()}</p>
                {(!complaint.evidence.is_empty()).then(|| view! {
                    <h3>{move || t().complaint_evidence}</h3>
                    <ul>{complaint.evidence.iter().map(|e| view! { <li>{e.clone()}</li> }).collect_view()}</ul>
                })}
                {complaint.attachments.iter().map(|a| view! {
                    <details><summary>{a.name.clone()}</summary><p class="prewrap">{a.text.clone()}</p></details>
                }).collect_view()}
            </section>
            <dl class="facts card">
                {row(label(|m| m.complaint_acceptance), complaint.acceptance_note.clone())}
                {row(label(|m| m.complaint_answer), complaint.answer.clone())}
                {row(label(|m| m.complaint_decision), complaint.decision_reason.clone())}
            </dl>
            {complaint.can_accept.then(|| view! {
                <TextStepForm id reload name=|t| t.complaint_acceptance field=("complaint-acceptance", |t| t.complaint_note)
                    steps=&[(TextStep::Accept, |t| t.complaint_accept), (TextStep::Refuse, |t| t.complaint_refuse)] />
            })}
            {complaint.can_answer.then(|| view! {
                <TextStepForm id reload name=|t| t.complaint_answer field=("complaint-answer", |t| t.complaint_answer)
                    steps=&[(TextStep::Answer, |t| t.complaint_answer_submit)] />
            })}
            {complaint.can_decide.then(|| view! { <DecideForm id reload /> })}
        </section>
    }
}

/// A text and one button per step: the respondent's answer, or the regulator's acceptance
/// (with an optional note) or refusal (with a reason).
#[component]
fn TextStepForm(
    /// The complaint.
    id: i64,
    /// The form's accessible name.
    name: Heading,
    /// The text field's id and label.
    field: (&'static str, Heading),
    /// Each step with its button's text; the first is the primary one.
    steps: &'static [(TextStep, Heading)],
    /// Bumped on success.
    reload: RwSignal<u32>,
) -> impl IntoView {
    let i18n = use_i18n();
    let text = RwSignal::new(String::new());
    let feedback = Feedback::new();
    let action = Action::new_local(move |step: &TextStep| {
        api::complaint_step(id, *step, text.get_untracked())
    });
    Effect::new(move |_| match action.value().get() {
        Some(Ok(_)) => reload.update(|n| *n += 1),
        Some(Err(error)) => feedback.refused(error),
        None => {}
    });
    let (field_id, field_label) = field;
    view! {
        <form class="card form" aria-label=move || name(i18n.t()) on:submit=|ev| ev.prevent_default()>
            {textarea(field_id.into(), label(field_label), text, feedback.field("text"))}
            {feedback.view()}
            <div class="form__actions">
                {steps.iter().enumerate().map(|(n, &(step, caption))| view! {
                    <button class=if n == 0 { "button button--primary" } else { "button button--secondary" } type="button"
                        on:click=move |_| { action.dispatch(step); }>{move || caption(i18n.t())}</button>
                }).collect_view()}
            </div>
        </form>
    }
}

#[component]
fn DecideForm(
    /// The complaint.
    id: i64,
    /// Bumped on success.
    reload: RwSignal<u32>,
) -> impl IntoView {
    let i18n = use_i18n();
    let reason = RwSignal::new(String::new());
    let feedback = Feedback::new();
    let action = Action::new_local(move |upheld: &bool| {
        let decision = ComplaintDecision {
            upheld: *upheld,
            reason: reason.get_untracked(),
        };
        async move { api::decide_complaint(id, &decision).await }
    });
    Effect::new(move |_| match action.value().get() {
        Some(Ok(_)) => reload.update(|n| *n += 1),
        Some(Err(error)) => feedback.refused(error),
        None => {}
    });
    view! {
        <form class="card form" aria-label=move || i18n.t().complaint_decision on:submit=|ev| ev.prevent_default()>
            {textarea("complaint-reason".into(), label(|t| t.complaint_reason), reason, feedback.field("reason"))}
            {feedback.view()}
            <div class="form__actions">
                <button class="button button--danger" type="button" on:click=move |_| { action.dispatch(true); }>{move || i18n.t().complaint_upheld}</button>
                <button class="button button--secondary" type="button" on:click=move |_| { action.dispatch(false); }>{move || i18n.t().complaint_dismissed}</button>
            </div>
        </form>
    }
}
