//! The agency's listing editor: basic details, service types, qualifications and fee standards,
//! checked in the browser with the same domain rules the server applies before it is sent.

use crate::api::{self, ApiError};
use crate::components::forms::{next_key, text, wan_text, yuan_text};
use crate::components::label;
use crate::components::Feedback;
use crate::components::{field_error, ErrorView, TextField};
use crate::i18n::{set_title, use_i18n, Messages};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use market_domain::fee::{
    format_rate, parse_percent, BracketDraft, FeeRuleError, FeeStandardDraft, PricingBasis,
    PricingModelDraft,
};
use market_domain::listing::{ListingDraft, QualificationDraft};
use market_domain::{District, FieldError, Money, ServiceType};

#[derive(Clone, Copy)]
struct QualificationRow {
    key: u64,
    name: RwSignal<String>,
    number: RwSignal<String>,
    level: RwSignal<String>,
    authority: RwSignal<String>,
    issued_on: RwSignal<String>,
    expires_on: RwSignal<String>,
    service_types: RwSignal<Vec<String>>,
}

impl QualificationRow {
    fn from(q: &QualificationDraft) -> Self {
        QualificationRow {
            key: next_key(),
            name: text(&q.name),
            number: text(&q.number),
            level: text(&q.level),
            authority: text(&q.authority),
            issued_on: text(&q.issued_on),
            expires_on: text(&q.expires_on),
            service_types: RwSignal::new(q.service_types.clone()),
        }
    }

    fn draft(&self) -> QualificationDraft {
        QualificationDraft {
            name: self.name.get_untracked(),
            number: self.number.get_untracked(),
            level: self.level.get_untracked(),
            authority: self.authority.get_untracked(),
            issued_on: self.issued_on.get_untracked(),
            expires_on: self.expires_on.get_untracked(),
            service_types: self.service_types.get_untracked(),
        }
    }
}

#[derive(Clone, Copy)]
struct BracketRow {
    key: u64,
    up_to_wan: RwSignal<String>,
    rate_percent: RwSignal<String>,
}

#[derive(Clone, Copy)]
struct FeeRow {
    key: u64,
    service_type: RwSignal<String>,
    basis: RwSignal<String>,
    kind: RwSignal<String>,
    price: RwSignal<String>,
    minimum: RwSignal<String>,
    unit: RwSignal<String>,
    unit_price: RwSignal<String>,
    brackets: RwSignal<Vec<BracketRow>>,
    discount_percent: RwSignal<String>,
    effective_from: RwSignal<String>,
}

impl FeeRow {
    fn from(f: &FeeStandardDraft) -> Self {
        let row = FeeRow {
            key: next_key(),
            service_type: text(&f.service_type),
            basis: text(&f.basis),
            kind: text("fixed"),
            price: text(""),
            minimum: text("0"),
            unit: text(""),
            unit_price: text(""),
            brackets: RwSignal::new(Vec::new()),
            discount_percent: text(
                format_rate((f.max_discount_bp.max(0) as u32) * 100)
                    .trim_end_matches('%')
                    .to_owned(),
            ),
            effective_from: text(&f.effective_from),
        };
        match &f.model {
            PricingModelDraft::Fixed { price } => row.price.set(yuan_text(*price)),
            PricingModelDraft::InvestmentTiered { brackets, minimum } => {
                row.kind.set("investment_tiered".into());
                row.minimum.set(yuan_text(*minimum));
                row.brackets.set(
                    brackets
                        .iter()
                        .map(|b| BracketRow {
                            key: next_key(),
                            up_to_wan: text(b.up_to.map(wan_text).unwrap_or_default()),
                            rate_percent: text(
                                format_rate(b.rate_ppm.max(0) as u32)
                                    .trim_end_matches('%')
                                    .to_owned(),
                            ),
                        })
                        .collect(),
                );
            }
            PricingModelDraft::PerUnit {
                unit,
                unit_price,
                minimum,
            } => {
                row.kind.set("per_unit".into());
                row.unit.set(unit.clone());
                row.unit_price.set(yuan_text(*unit_price));
                row.minimum.set(yuan_text(*minimum));
            }
        }
        row
    }

    fn blank(service_type: &str) -> Self {
        FeeRow::from(&FeeStandardDraft {
            service_type: service_type.to_owned(),
            basis: PricingBasis::MarketRegulated.code().to_owned(),
            model: PricingModelDraft::Fixed { price: 0 },
            max_discount_bp: 0,
            effective_from: String::new(),
        })
    }

    /// The draft, plus errors for text that is not even a number.
    fn draft(&self, index: usize, errors: &mut Vec<FieldError>) -> FeeStandardDraft {
        let at = |f: &str| format!("fee_standards[{index}].{f}");
        let mut yuan = |value: RwSignal<String>, field: &str| match Money::parse_yuan(
            &value.get_untracked(),
        ) {
            Ok(m) => m.fen(),
            Err(e) => {
                errors.push(FieldError::new(&at(field), &e));
                0
            }
        };
        let model = match self.kind.get_untracked().as_str() {
            "investment_tiered" => {
                let minimum = yuan(self.minimum, "model.minimum");
                let brackets = self
                    .brackets
                    .get_untracked()
                    .iter()
                    .enumerate()
                    .map(|(i, b)| {
                        let bound = b.up_to_wan.get_untracked();
                        let up_to = if bound.trim().is_empty() {
                            None
                        } else {
                            match Money::parse_yuan(&bound) {
                                Ok(m) => Some(m.fen() * 10_000),
                                Err(e) => {
                                    errors.push(FieldError::new(
                                        &at(&format!("model.brackets[{i}].up_to")),
                                        &e,
                                    ));
                                    Some(0)
                                }
                            }
                        };
                        let rate_ppm = match parse_percent(&b.rate_percent.get_untracked()) {
                            Some(ppm) => ppm as i64,
                            None => {
                                errors.push(FieldError::new(
                                    &at(&format!("model.brackets[{i}].rate_ppm")),
                                    &FeeRuleError::RateOutOfRange,
                                ));
                                1
                            }
                        };
                        BracketDraft { up_to, rate_ppm }
                    })
                    .collect();
                PricingModelDraft::InvestmentTiered { brackets, minimum }
            }
            "per_unit" => PricingModelDraft::PerUnit {
                unit: self.unit.get_untracked(),
                unit_price: yuan(self.unit_price, "model.unit_price"),
                minimum: yuan(self.minimum, "model.minimum"),
            },
            _ => PricingModelDraft::Fixed {
                price: yuan(self.price, "model.price"),
            },
        };
        let discount = self.discount_percent.get_untracked();
        let max_discount_bp = if discount.trim().is_empty() {
            0
        } else {
            match parse_percent(&discount) {
                Some(ppm) => (ppm / 100) as i64,
                None => {
                    errors.push(FieldError::new(
                        &at("max_discount_bp"),
                        &FeeRuleError::DiscountOutOfRange,
                    ));
                    0
                }
            }
        };
        FeeStandardDraft {
            service_type: self.service_type.get_untracked(),
            basis: self.basis.get_untracked(),
            model,
            max_discount_bp,
            effective_from: self.effective_from.get_untracked(),
        }
    }
}

#[derive(Clone, Copy)]
struct ListingForm {
    name: RwSignal<String>,
    credit_code: RwSignal<String>,
    legal_representative: RwSignal<String>,
    contact_person: RwSignal<String>,
    phone: RwSignal<String>,
    email: RwSignal<String>,
    address: RwSignal<String>,
    district: RwSignal<String>,
    staff_count: RwSignal<String>,
    description: RwSignal<String>,
    service_commitment: RwSignal<String>,
    service_types: RwSignal<Vec<String>>,
    qualifications: RwSignal<Vec<QualificationRow>>,
    fee_standards: RwSignal<Vec<FeeRow>>,
}

impl ListingForm {
    fn from(d: &ListingDraft) -> Self {
        ListingForm {
            name: text(&d.name),
            credit_code: text(&d.credit_code),
            legal_representative: text(&d.legal_representative),
            contact_person: text(&d.contact_person),
            phone: text(&d.phone),
            email: text(&d.email),
            address: text(&d.address),
            district: text(&d.district),
            staff_count: text(if d.staff_count > 0 {
                d.staff_count.to_string()
            } else {
                String::new()
            }),
            description: text(&d.description),
            service_commitment: text(&d.service_commitment),
            service_types: RwSignal::new(d.service_types.clone()),
            qualifications: RwSignal::new(
                d.qualifications
                    .iter()
                    .map(QualificationRow::from)
                    .collect(),
            ),
            fee_standards: RwSignal::new(d.fee_standards.iter().map(FeeRow::from).collect()),
        }
    }

    /// The draft and every error: unreadable numbers first, then the domain's rules.
    fn check(&self) -> (ListingDraft, Vec<FieldError>) {
        let mut errors = Vec::new();
        let fee_standards = self
            .fee_standards
            .get_untracked()
            .iter()
            .enumerate()
            .map(|(i, row)| row.draft(i, &mut errors))
            .collect();
        let draft = ListingDraft {
            name: self.name.get_untracked(),
            credit_code: self.credit_code.get_untracked(),
            legal_representative: self.legal_representative.get_untracked(),
            contact_person: self.contact_person.get_untracked(),
            phone: self.phone.get_untracked(),
            email: self.email.get_untracked(),
            address: self.address.get_untracked(),
            district: self.district.get_untracked(),
            description: self.description.get_untracked(),
            service_types: self.service_types.get_untracked(),
            qualifications: self
                .qualifications
                .get_untracked()
                .iter()
                .map(QualificationRow::draft)
                .collect(),
            staff_count: self.staff_count.get_untracked().trim().parse().unwrap_or(0),
            service_commitment: self.service_commitment.get_untracked(),
            fee_standards,
        };
        if let Err(rule_errors) = draft.parse() {
            for error in rule_errors {
                if !errors.iter().any(|e: &FieldError| e.field == error.field) {
                    errors.push(error);
                }
            }
        }
        (draft, errors)
    }
}

#[component]
pub fn ListingEditorPage() -> impl IntoView {
    let i18n = use_i18n();
    Effect::new(move |_| set_title(i18n.t().editor_title, i18n.t()));
    let mine = LocalResource::new(api::my_listing);
    view! {
        <section class="editor">
            <h1>{move || i18n.t().editor_title}</h1>
            <p class="lead">{move || i18n.t().editor_intro}</p>
            <Transition fallback=|| view! { <crate::components::DetailSkeleton /> }>
                <ErrorBoundary fallback=|errors| view! { <ErrorView errors /> }>
                    {move || Suspend::new(async move {
                        let mine = mine.await?;
                        Ok::<_, ApiError>(view! { <ListingEditor start=mine.editor_start /> })
                    })}
                </ErrorBoundary>
            </Transition>
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
                <TextArea name="description" label=label(|t| t.field_description) value=form.description error=error_for("description".into()) />
                <TextArea name="service_commitment" label=label(|t| t.field_service_commitment) value=form.service_commitment error=error_for("service_commitment".into()) />
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

#[component]
fn TextArea(
    /// Field name and id suffix.
    name: &'static str,
    /// Visible label.
    label: Signal<String>,
    /// The value, two-way.
    value: RwSignal<String>,
    /// Error under the field.
    error: Signal<Option<String>>,
) -> impl IntoView {
    let id = format!("field-{name}");
    view! {
        <div class="field" class:field--invalid=move || error.get().is_some()>
            <label class="field__label" for=id.clone()>{label}</label>
            <textarea class="field__input" id=id rows="3" prop:value=move || value.get() on:input:target=move |ev| value.set(ev.target().value())></textarea>
            <FieldMessage error />
        </div>
    }
}

#[component]
fn FeeEditor(
    /// Position in the list, for field paths.
    index: usize,
    /// The fee standard's form state.
    row: FeeRow,
    /// All current field errors.
    errors: RwSignal<Vec<FieldError>>,
    /// Removes this standard.
    on_remove: Callback<()>,
    /// Re-validates after an edit.
    recheck: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let path = move |f: &str| format!("fee_standards[{index}].{f}");
    let error_for = move |field: String| field_error(errors, field);
    let select = move |id: String,
                       l: fn(&Messages) -> &'static str,
                       value: RwSignal<String>,
                       options: Vec<(String, Signal<String>)>| {
        view! {
            <div class="field">
                <label class="field__label" for=id.clone()>{move || l(i18n.t())}</label>
                <select class="field__input" id=id on:change:target=move |ev| value.set(ev.target().value())>
                    {options.into_iter().map(|(code, text)| {
                        let selected_code = code.clone();
                        view! { <option value=code selected=move || value.get() == selected_code>{text}</option> }
                    }).collect_view()}
                </select>
            </div>
        }
    };
    let services = ServiceType::ALL
        .iter()
        .map(|s| {
            (
                s.code().to_owned(),
                Signal::derive(move || s.name(i18n.locale.get()).to_owned()),
            )
        })
        .collect();
    let bases = PricingBasis::ALL
        .iter()
        .map(|b| {
            (
                b.code().to_owned(),
                Signal::derive(move || b.name(i18n.locale.get()).to_owned()),
            )
        })
        .collect();
    let kinds = vec![
        ("fixed".to_owned(), label(|t| t.model_fixed)),
        ("investment_tiered".to_owned(), label(|t| t.model_tiered)),
        ("per_unit".to_owned(), label(|t| t.model_per_unit)),
    ];
    let kind = row.kind;
    let bracket_items = move || {
        row.brackets
            .get()
            .into_iter()
            .enumerate()
            .collect::<Vec<_>>()
    };
    view! {
        <div class="repeat repeat--fee" role="group" aria-label=move || format!("{} {}", i18n.t().editor_fees, index + 1)>
            <div class="form-grid">
                {select(format!("fee-{index}-service"), |t| t.field_fee_service, row.service_type, services)}
                {select(format!("fee-{index}-basis"), |t| t.field_fee_basis, row.basis, bases)}
                {select(format!("fee-{index}-kind"), |t| t.field_fee_model, row.kind, kinds)}
            </div>
            <FieldMessage error=error_for(path("service_type")) />
            <div class="form-grid">
                <Show when=move || kind.get() == "fixed">
                    <TextField name="fee_price" id=format!("fee_price-{index}") label=label(|t| t.field_fee_price) value=row.price error=error_for(path("model.price")) on_blur=recheck />
                </Show>
                <Show when=move || kind.get() == "per_unit">
                    <TextField name="fee_unit" id=format!("fee_unit-{index}") label=label(|t| t.field_fee_unit) value=row.unit error=error_for(path("model.unit")) on_blur=recheck />
                    <TextField name="fee_unit_price" id=format!("fee_unit_price-{index}") label=label(|t| t.field_fee_unit_price) value=row.unit_price error=error_for(path("model.unit_price")) on_blur=recheck />
                </Show>
                <Show when=move || kind.get() != "fixed">
                    <TextField name="fee_minimum" id=format!("fee_minimum-{index}") label=label(|t| t.field_fee_minimum) value=row.minimum error=error_for(path("model.minimum")) on_blur=recheck />
                </Show>
                <TextField name="fee_discount" id=format!("fee_discount-{index}") label=label(|t| t.field_fee_discount) value=row.discount_percent error=error_for(path("max_discount_bp")) on_blur=recheck />
                <TextField name="fee_effective" id=format!("fee_effective-{index}") label=label(|t| t.field_fee_effective) value=row.effective_from error=error_for(path("effective_from")) input_type="date" on_blur=recheck />
            </div>
            <Show when=move || kind.get() == "investment_tiered">
                <FieldMessage error=error_for(path("model.brackets")) />
                <For each=bracket_items key=|(i, b)| (*i, b.key) let:item>
                    {
                        let (b_index, bracket) = item;
                        let bracket_path = move |f: &str| path(&format!("model.brackets[{b_index}].{f}"));
                        view! {
                            <div class="form-grid bracket">
                                <TextField name="bracket_up_to" id=format!("bracket_up_to-{index}-{b_index}") label=label(|t| t.field_fee_bracket_up_to) value=bracket.up_to_wan error=error_for(bracket_path("up_to")) on_blur=recheck />
                                <TextField name="bracket_rate" id=format!("bracket_rate-{index}-{b_index}") label=label(|t| t.field_fee_bracket_rate) value=bracket.rate_percent error=error_for(bracket_path("rate_ppm")) on_blur=recheck />
                                <button type="button" class="button button--ghost" on:click=move |_| row.brackets.update(|rows| rows.retain(|r| r.key != bracket.key))>
                                    {move || i18n.t().editor_remove_bracket}
                                </button>
                            </div>
                        }
                    }
                </For>
                <button type="button" class="button button--ghost" on:click=move |_| row.brackets.update(|rows| rows.push(BracketRow { key: next_key(), up_to_wan: text(""), rate_percent: text("") }))>
                    {move || i18n.t().editor_add_bracket}
                </button>
            </Show>
            <button type="button" class="button button--ghost" on:click=move |_| on_remove.run(())>
                {move || i18n.t().editor_remove_fee}
            </button>
        </div>
    }
}
