//! Complaints (投诉): the list for parties and regulators, the published anonymous outcomes, the
//! filing form, and one complaint with the next step its reader may take.

use super::use_id_param;
use crate::api::{self, ApiError};
use crate::components::{input, textarea, CardSkeletons, DetailSkeleton, ErrorView, Feedback};
use crate::i18n::{set_title, use_i18n};
use crate::session::use_session;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use market_domain::complaint::{
    Attachment, ComplaintCategory, ComplaintDecision, ComplaintDraft, ComplaintStatus,
    ComplaintTarget, ComplaintView,
};

fn status_class(status: ComplaintStatus) -> &'static str {
    match status {
        ComplaintStatus::Upheld => "badge badge--danger",
        ComplaintStatus::Dismissed | ComplaintStatus::Refused => "badge badge--neutral",
        _ => "badge badge--warning",
    }
}

#[component]
fn ComplaintTable(
    /// Complaints to list.
    complaints: Vec<ComplaintView>,
    /// The table's accessible name.
    #[prop(into)]
    label: Signal<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    if complaints.is_empty() {
        return view! { <p class="card">{move || i18n.t().complaints_none}</p> }.into_any();
    }
    view! {
        <div class="table-scroll card" tabindex="0">
            <table class="table" aria-label=label>
                <thead><tr>
                    <th scope="col">{move || i18n.t().complaint_number}</th>
                    <th scope="col">{move || i18n.t().complaint_title}</th>
                    <th scope="col">{move || i18n.t().complaint_target}</th>
                    <th scope="col">{move || i18n.t().complaint_status}</th>
                    <th scope="col">{move || i18n.t().complaint_due}</th>
                </tr></thead>
                <tbody>
                    {complaints.into_iter().map(|c| {
                        let status = c.status;
                        let due = c.due_at.clone();
                        let overdue = c.overdue;
                        view! {
                            <tr>
                                <td class="mono">{c.number.clone()}</td>
                                <td><a href=format!("/complaints/{}", c.id)>{c.title.clone()}</a></td>
                                <td>{c.target_name.clone()}</td>
                                <td><span class=status_class(status)>{move || status.name(i18n.locale.get())}</span></td>
                                <td>
                                    {due.map(|d| view! { <span>{move || i18n.timestamp(&d)}</span> })}
                                    {overdue.then(|| view! { " " <span class="badge badge--danger">{move || i18n.t().complaint_overdue}</span> })}
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
pub fn ComplaintsPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    Effect::new(move |_| set_title(i18n.t().complaints_title, i18n.t()));
    let signed_in = move || session.account.get().is_some();
    let regulator =
        move || session.account.get().map(|a| a.role) == Some(market_domain::Role::Regulator);
    let mine = LocalResource::new(move || {
        let signed_in = signed_in();
        async move {
            if signed_in {
                api::complaints(false).await.map(Some)
            } else {
                Ok(None)
            }
        }
    });
    let published = LocalResource::new(|| api::complaints(true));
    view! {
        <section class="complaints">
            <header class="page-header">
                <h1>{move || i18n.t().complaints_title}</h1>
                {move || (signed_in() && !regulator()).then(|| view! {
                    <a class="button button--primary" href="/complaints/new">{move || i18n.t().complaints_new}</a>
                })}
            </header>
            <p class="lead">{move || i18n.t().complaints_intro}</p>
            <Transition fallback=|| view! { <CardSkeletons count=2 /> }>
                <ErrorBoundary fallback=|errors| view! { <ErrorView errors /> }>
                    {move || Suspend::new(async move {
                        let mine = mine.await?;
                        let title = Signal::derive(move || {
                            if regulator() { i18n.t().complaints_all } else { i18n.t().complaints_mine }.to_owned()
                        });
                        Ok::<_, ApiError>(mine.map(|complaints| view! {
                            <h2>{title}</h2>
                            <ComplaintTable complaints label=title />
                        }))
                    })}
                </ErrorBoundary>
            </Transition>
            <h2>{move || i18n.t().complaints_published}</h2>
            <Transition fallback=|| view! { <CardSkeletons count=2 /> }>
                <ErrorBoundary fallback=|errors| view! { <ErrorView errors /> }>
                    {move || Suspend::new(async move {
                        let complaints = published.await?;
                        Ok::<_, ApiError>(view! {
                            <ComplaintTable complaints label=Signal::derive(move || i18n.t().complaints_published.to_owned()) />
                        })
                    })}
                </ErrorBoundary>
            </Transition>
        </section>
    }
}

/// The filing form; `?agency=`, `?enterprise=` or `?job=` picks the target.
#[component]
pub fn ComplaintNewPage() -> impl IntoView {
    let i18n = use_i18n();
    Effect::new(move |_| set_title(i18n.t().complaints_new, i18n.t()));
    let query = use_query_map();
    let initial = query.with_untracked(|q| {
        [
            ("agency", "agency"),
            ("enterprise", "enterprise"),
            ("job", "job"),
        ]
        .into_iter()
        .find_map(|(key, kind)| q.get(key).map(|id| (kind.to_owned(), id)))
        .unwrap_or_else(|| ("agency".to_owned(), String::new()))
    });
    let kind = RwSignal::new(initial.0);
    let target_id = RwSignal::new(initial.1);
    let category = RwSignal::new("quality".to_owned());
    let title = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let evidence = RwSignal::new(String::new());
    let attachment_name = RwSignal::new(String::new());
    let attachment_text = RwSignal::new(String::new());
    let feedback = Feedback::new();
    let navigate = use_navigate();
    let submit = Action::new_local(|draft: &ComplaintDraft| {
        let draft = draft.clone();
        async move { api::file_complaint(&draft).await }
    });
    Effect::new(move |_| match submit.value().get() {
        Some(Ok(view)) => navigate(&format!("/complaints/{}", view.id), Default::default()),
        Some(Err(error)) => feedback.refused(error),
        None => {}
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let id = target_id.get_untracked().trim().parse::<i64>().unwrap_or(0);
        let target = match kind.get_untracked().as_str() {
            "enterprise" => ComplaintTarget::Enterprise(id),
            "job" => ComplaintTarget::Job(id),
            _ => ComplaintTarget::Agency(id),
        };
        let name = attachment_name.get_untracked();
        let text = attachment_text.get_untracked();
        let draft = ComplaintDraft {
            target,
            category: category.get_untracked(),
            title: title.get_untracked(),
            description: description.get_untracked(),
            evidence: evidence
                .get_untracked()
                .lines()
                .map(str::to_owned)
                .collect(),
            attachments: if name.trim().is_empty() && text.trim().is_empty() {
                Vec::new()
            } else {
                vec![Attachment { name, text }]
            },
        };
        // The same checks as the server, before sending; what is typed stays either way.
        match draft.parse() {
            Ok(_) => {
                feedback.clear();
                submit.dispatch(draft);
            }
            Err(found) => feedback.errors.set(found),
        }
    };
    let t = move || i18n.t();
    view! {
        <section class="complaint-form">
            <h1>{move || t().complaints_new}</h1>
            <p class="lead">{move || t().complaints_intro}</p>
            <form class="card form" on:submit=on_submit novalidate>
                <div class="field">
                    <label class="field__label" for="complaint-kind">{move || t().complaint_target}</label>
                    <select class="field__input" id="complaint-kind" on:change:target=move |ev| kind.set(ev.target().value())>
                        {[("agency", t().complaint_target_agency), ("enterprise", t().complaint_target_enterprise), ("job", t().complaint_target_job)]
                            .into_iter()
                            .map(|(code, label)| view! { <option value=code selected=move || kind.get() == code>{label}</option> })
                            .collect_view()}
                    </select>
                </div>
                {input("complaint-target".into(), Signal::derive(move || t().complaint_target_id.to_owned()), target_id, feedback.field("target"), "text")}
                <div class="field">
                    <label class="field__label" for="complaint-category">{move || t().complaint_category}</label>
                    <select class="field__input" id="complaint-category" on:change:target=move |ev| category.set(ev.target().value())>
                        {ComplaintCategory::ALL.into_iter().map(|c| view! {
                            <option value=c.code() selected=move || category.get() == c.code()>{move || c.name(i18n.locale.get())}</option>
                        }).collect_view()}
                    </select>
                </div>
                {input("complaint-title".into(), Signal::derive(move || t().complaint_title.to_owned()), title, feedback.field("title"), "text")}
                {textarea("complaint-description".into(), Signal::derive(move || t().complaint_description.to_owned()), description, feedback.field("description"))}
                {textarea("complaint-evidence".into(), Signal::derive(move || t().complaint_evidence.to_owned()), evidence, feedback.field("evidence"))}
                {input("complaint-attachment-name".into(), Signal::derive(move || t().complaint_attachment_name.to_owned()), attachment_name, feedback.field("attachments"), "text")}
                {textarea("complaint-attachment-text".into(), Signal::derive(move || t().complaint_attachment_text.to_owned()), attachment_text, Signal::derive(|| None))}
                {feedback.view()}
                <button class="button button--primary" type="submit" disabled=move || submit.pending().get()>{move || t().complaint_submit}</button>
            </form>
        </section>
    }
}

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
        <Transition fallback=|| view! { <DetailSkeleton /> }>
            <ErrorBoundary fallback=|errors| view! { <ErrorView errors /> }>
                {move || Suspend::new(async move {
                    let complaint = complaint.await?;
                    set_title(&complaint.title, i18n.t());
                    Ok::<_, ApiError>(view! { <ComplaintDetail complaint reload /> })
                })}
            </ErrorBoundary>
        </Transition>
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
    let label = move |pick: fn(&crate::i18n::Messages) -> &'static str| {
        Signal::derive(move || pick(i18n.t()).to_owned())
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
            {complaint.can_accept.then(|| view! { <AcceptForm id reload /> })}
            {complaint.can_answer.then(|| view! { <StepForm id step="answer" reload /> })}
            {complaint.can_decide.then(|| view! { <DecideForm id reload /> })}
        </section>
    }
}

/// One text and one button: the respondent's answer.
#[component]
fn StepForm(
    /// The complaint.
    id: i64,
    /// `answer`.
    step: &'static str,
    /// Bumped on success.
    reload: RwSignal<u32>,
) -> impl IntoView {
    let i18n = use_i18n();
    let text = RwSignal::new(String::new());
    let feedback = Feedback::new();
    let action =
        Action::new_local(move |text: &String| api::complaint_step(id, step, text.clone()));
    Effect::new(move |_| match action.value().get() {
        Some(Ok(_)) => reload.update(|n| *n += 1),
        Some(Err(error)) => feedback.refused(error),
        None => {}
    });
    view! {
        <form class="card form" aria-label=move || i18n.t().complaint_answer on:submit=move |ev| {
            ev.prevent_default();
            action.dispatch(text.get_untracked());
        }>
            {textarea(format!("complaint-{step}"), Signal::derive(move || i18n.t().complaint_answer.to_owned()), text, feedback.field("text"))}
            {feedback.view()}
            <button class="button button--primary" type="submit">{move || i18n.t().complaint_answer_submit}</button>
        </form>
    }
}

/// The regulator accepts (with an optional note) or refuses (with a reason).
#[component]
fn AcceptForm(
    /// The complaint.
    id: i64,
    /// Bumped on success.
    reload: RwSignal<u32>,
) -> impl IntoView {
    let i18n = use_i18n();
    let text = RwSignal::new(String::new());
    let feedback = Feedback::new();
    let action = Action::new_local(move |step: &&'static str| {
        api::complaint_step(id, step, text.get_untracked())
    });
    Effect::new(move |_| match action.value().get() {
        Some(Ok(_)) => reload.update(|n| *n += 1),
        Some(Err(error)) => feedback.refused(error),
        None => {}
    });
    view! {
        <form class="card form" aria-label=move || i18n.t().complaint_acceptance on:submit=|ev| ev.prevent_default()>
            {textarea("complaint-acceptance".into(), Signal::derive(move || i18n.t().complaint_note.to_owned()), text, feedback.field("text"))}
            {feedback.view()}
            <div class="form__actions">
                <button class="button button--primary" type="button" on:click=move |_| { action.dispatch("accept"); }>{move || i18n.t().complaint_accept}</button>
                <button class="button button--secondary" type="button" on:click=move |_| { action.dispatch("refuse"); }>{move || i18n.t().complaint_refuse}</button>
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
            {textarea("complaint-reason".into(), Signal::derive(move || i18n.t().complaint_reason.to_owned()), reason, feedback.field("reason"))}
            {feedback.view()}
            <div class="form__actions">
                <button class="button button--danger" type="button" on:click=move |_| { action.dispatch(true); }>{move || i18n.t().complaint_upheld}</button>
                <button class="button button--secondary" type="button" on:click=move |_| { action.dispatch(false); }>{move || i18n.t().complaint_dismissed}</button>
            </div>
        </form>
    }
}
