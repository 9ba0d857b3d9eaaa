//! `/complaints/new`: the filing form; `?agency=`, `?enterprise=` or `?job=` picks the target.

use crate::api;
use crate::components::{input, textarea, Feedback};
use crate::i18n::{set_title, use_i18n};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use market_domain::complaint::{Attachment, ComplaintCategory, ComplaintDraft, ComplaintTarget};

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
