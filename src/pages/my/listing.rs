//! The agency's listing editor: basic details, service types, qualifications and fee standards,
//! checked in the browser with the same domain rules the server applies before it is sent.

use crate::api;
use crate::components::forms::{filled_text, next_key, text, wan_text, yuan_text};
use crate::components::label;
use crate::components::Loaded;
use crate::components::{field_error, TextField};
use crate::components::{textarea, Feedback};
use crate::i18n::{set_title, use_i18n, Messages};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use market_domain::fee::{
    format_rate, parse_percent, BracketDraft, FeeRuleError, FeeStandardDraft, PricingBasis,
    PricingModelDraft,
};
use market_domain::listing::{ListingDraft, QualificationDraft};
use market_domain::{District, FieldError, Money, ServiceType};

mod fee_editor;
mod form;
use fee_editor::*;
use form::*;

#[component]
pub fn ListingEditorPage() -> impl IntoView {
    let i18n = use_i18n();
    Effect::new(move |_| set_title(i18n.t().editor_title, i18n.t()));
    let mine = LocalResource::new(api::my_listing);
    view! {
        <section class="editor">
            <h1>{move || i18n.t().editor_title}</h1>
            <p class="lead">{move || i18n.t().editor_intro}</p>
            <Loaded data=mine let:mine>
                {view! { <ListingEditor start=mine.editor_start /> }}
            </Loaded>
        </section>
    }
}

fn checkbox_group(
    name: &'static str,
    selected: RwSignal<Vec<String>>,
    choices: Signal<Vec<ServiceType>>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="checkbox-group">
            {move || choices.get().into_iter().map(|service| {
                let code = service.code().to_owned();
                let checked_code = code.clone();
                view! {
                    <label class="checkbox">
                        <input
                            type="checkbox"
                            name=name
                            value=code.clone()
                            prop:checked=move || selected.get().contains(&checked_code)
                            on:change:target=move |ev| {
                                let on = ev.target().checked();
                                let code = code.clone();
                                selected.update(|list| {
                                    list.retain(|c| *c != code);
                                    if on {
                                        list.push(code);
                                    }
                                });
                            }
                        />
                        {move || service.name(i18n.locale.get())}
                    </label>
                }
            }).collect_view()}
        </div>
    }
}

#[component]
fn ListingEditor(
    /// What the form starts with.
    start: ListingDraft,
) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let form = ListingForm::from(&start);
    let feedback = Feedback::new();
    let errors = feedback.errors;
    let checked_once = RwSignal::new(false);
    let error_for = move |field: String| field_error(errors, field);
    let recheck = Callback::new(move |()| {
        if checked_once.get_untracked() {
            feedback.local(form.check().1);
        }
    });
    let submit = Action::new_local(|draft: &ListingDraft| {
        let draft = draft.clone();
        async move { api::submit_listing(&draft).await }
    });
    Effect::new(move |_| match submit.value().get() {
        Some(Ok(_)) => navigate("/account", Default::default()),
        Some(Err(error)) => feedback.refused(error),
        None => {}
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        checked_once.set(true);
        let (draft, found) = form.check();
        let valid = found.is_empty();
        feedback.local(found);
        if valid {
            submit.dispatch(draft);
        }
    };
    let field = move |name: &'static str,
                      l: fn(&Messages) -> &'static str,
                      value: RwSignal<String>| {
        view! { <TextField name label=label(l) value error=error_for(name.to_owned()) on_blur=recheck /> }
    };
    let all_services = Signal::derive(|| ServiceType::ALL.to_vec());
    let offered = Signal::derive(move || {
        let codes = form.service_types.get();
        ServiceType::ALL
            .iter()
            .copied()
            .filter(|s| codes.contains(&s.code().to_owned()))
            .collect::<Vec<_>>()
    });

    let qualification_items = move || {
        form.qualifications
            .get()
            .into_iter()
            .enumerate()
            .collect::<Vec<_>>()
    };
    let fee_items = move || {
        form.fee_standards
            .get()
            .into_iter()
            .enumerate()
            .collect::<Vec<_>>()
    };
    view! {
        <form class="form editor__form" on:submit=on_submit novalidate>
            <fieldset class="card">
                <legend>{move || i18n.t().editor_basic}</legend>
                <div class="form-grid">
                    {field("name", |t| t.field_name, form.name)}
                    {field("credit_code", |t| t.field_credit_code, form.credit_code)}
                    {field("legal_representative", |t| t.field_legal_representative, form.legal_representative)}
                    {field("contact_person", |t| t.field_contact_person, form.contact_person)}
                    {field("phone", |t| t.field_phone, form.phone)}
                    {field("email", |t| t.field_email, form.email)}
                    {field("address", |t| t.field_address, form.address)}
                    {field("staff_count", |t| t.field_staff_count, form.staff_count)}
                    <div class="field">
                        <label class="field__label" for="field-district">{move || i18n.t().field_district}</label>
                        <select class="field__input" id="field-district" on:change:target=move |ev| form.district.set(ev.target().value())>
                            {District::ALL.iter().map(|d| {
                                let code = d.code();
                                view! { <option value=code selected=move || form.district.get() == code>{move || d.name(i18n.locale.get())}</option> }
                            }).collect_view()}
                        </select>
                    </div>
                </div>
                {textarea("field-description".into(), label(|t| t.field_description), form.description, error_for("description".into()))}
                {textarea("field-service_commitment".into(), label(|t| t.field_service_commitment), form.service_commitment, error_for("service_commitment".into()))}
            </fieldset>

            <fieldset class="card">
                <legend>{move || i18n.t().editor_services}</legend>
                {checkbox_group("service_types", form.service_types, all_services)}
                <FieldMessage error=error_for("service_types".into()) />
            </fieldset>

            <fieldset class="card">
                <legend>{move || i18n.t().editor_qualifications}</legend>
                <For each=qualification_items key=|(i, row)| (*i, row.key) let:item>
                    {
                        let (index, row) = item;
                        let path = move |f: &str| format!("qualifications[{index}].{f}");
                        view! {
                            <div class="repeat" role="group" aria-label=move || format!("{} {}", i18n.t().editor_qualifications, index + 1)>
                                <div class="form-grid">
                                    <TextField name="q_name" id=format!("q_name-{index}") label=label(|t| t.field_q_name) value=row.name error=error_for(path("name")) on_blur=recheck />
                                    <TextField name="q_number" id=format!("q_number-{index}") label=label(|t| t.field_q_number) value=row.number error=error_for(path("number")) on_blur=recheck />
                                    <TextField name="q_level" id=format!("q_level-{index}") label=label(|t| t.field_q_level) value=row.level error=error_for(path("level")) on_blur=recheck />
                                    <TextField name="q_authority" id=format!("q_authority-{index}") label=label(|t| t.field_q_authority) value=row.authority error=error_for(path("authority")) on_blur=recheck />
                                    <TextField name="q_issued_on" id=format!("q_issued_on-{index}") label=label(|t| t.field_q_issued) value=row.issued_on error=error_for(path("issued_on")) input_type="date" on_blur=recheck />
                                    <TextField name="q_expires_on" id=format!("q_expires_on-{index}") label=label(|t| t.field_q_expires) value=row.expires_on error=error_for(path("expires_on")) input_type="date" on_blur=recheck />
                                </div>
                                <p class="field__label">{move || i18n.t().field_q_covers}</p>
                                {checkbox_group("q_services", row.service_types, offered)}
                                <FieldMessage error=error_for(path("service_types")) />
                                <button type="button" class="button button--ghost" on:click=move |_| form.qualifications.update(|rows| rows.retain(|r| r.key != row.key))>
                                    {move || i18n.t().editor_remove_qualification}
                                </button>
                            </div>
                        }
                    }
                </For>
                <button type="button" class="button button--secondary" on:click=move |_| form.qualifications.update(|rows| rows.push(QualificationRow::from(&QualificationDraft::default())))>
                    {move || i18n.t().editor_add_qualification}
                </button>
            </fieldset>

            <fieldset class="card">
                <legend>{move || i18n.t().editor_fees}</legend>
                <FieldMessage error=error_for("fee_standards".into()) />
                <For each=fee_items key=|(i, row)| (*i, row.key) let:item>
                    {
                        let (index, row) = item;
                        view! { <FeeEditor index row errors on_remove=Callback::new(move |()| form.fee_standards.update(|rows| rows.retain(|r| r.key != row.key))) recheck /> }
                    }
                </For>
                <button type="button" class="button button--secondary" on:click=move |_| {
                    let first = form.service_types.get_untracked().first().cloned().unwrap_or_default();
                    form.fee_standards.update(|rows| rows.push(FeeRow::blank(&first)));
                }>
                    {move || i18n.t().editor_add_fee}
                </button>
            </fieldset>

            {feedback.view()}
            <button class="button button--primary" type="submit" disabled=move || submit.pending().get()>
                {move || if submit.pending().get() { i18n.t().submitting } else { i18n.t().editor_submit }}
            </button>
        </form>
    }
}

#[component]
fn FieldMessage(
    /// The error to show, if any.
    error: Signal<Option<String>>,
) -> impl IntoView {
    view! {
        <p class="field__message">
            {move || error.get().map(|message| view! { <span class="field__error" role="alert">{message}</span> })}
        </p>
    }
}
