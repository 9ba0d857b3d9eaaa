//! The enterprise's job form (采购公告) that `/jobs/new` and `/jobs/:id/edit` share, checked in
//! the browser with the same `JobDraft::parse` the server applies.

use crate::api;
use crate::components::forms::{filled_text, milli_text, next_key, text, wan_text, yuan_text};
use crate::components::label;
use crate::components::Feedback;
use crate::components::TextField;
use crate::i18n::{fill, set_title, use_i18n};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use market_domain::error::FieldErrors;
use market_domain::fee::parse_quantity;
use market_domain::job::{
    Avoidance, JobDraft, JobState, RequiredQualification, DEFAULT_MIN_BIDDERS,
    DEFAULT_PUBLICITY_DAYS,
};
use market_domain::selection::{Criterion, SelectionMethod};
use market_domain::wire::AgencyFilter;
use market_domain::{FieldError, Money, ServiceType};

#[derive(Clone, Copy)]
struct PairRow {
    key: u64,
    first: RwSignal<String>,
    second: RwSignal<String>,
}

impl PairRow {
    fn new(first: impl Into<String>, second: impl Into<String>) -> PairRow {
        PairRow {
            key: next_key(),
            first: text(first),
            second: text(second),
        }
    }
}

/// Every field of the form as text, the way the user typed it.
#[derive(Clone, Copy)]
pub struct JobForm {
    pub(super) project_code: RwSignal<String>,
    pub(super) project_name: RwSignal<String>,
    pub(super) approval_item: RwSignal<String>,
    pub(super) approving_department: RwSignal<String>,
    pub(super) service_type: RwSignal<String>,
    scope: RwSignal<String>,
    investment_wan: RwSignal<String>,
    quantity: RwSignal<String>,
    budget_yuan: RwSignal<String>,
    fiscal_percent: RwSignal<String>,
    requirements: RwSignal<Vec<PairRow>>,
    avoidance: RwSignal<Vec<PairRow>>,
    method: RwSignal<String>,
    criteria: RwSignal<Vec<PairRow>>,
    deadline: RwSignal<String>,
    min_bidders: RwSignal<String>,
    publicity_days: RwSignal<String>,
    contact_person: RwSignal<String>,
    contact_phone: RwSignal<String>,
}

#[derive(Debug, thiserror::Error)]
enum FormInputError {
    #[error("请输入整数")]
    NotAWholeNumber,
    #[error("请选择截止日期和时间")]
    DeadlineMissing,
    #[error("工作量应为数字,最多三位小数")]
    QuantityFormat,
}

impl market_domain::error::Violation for FormInputError {
    fn code(&self) -> &'static str {
        match self {
            FormInputError::NotAWholeNumber => "not_an_integer",
            FormInputError::DeadlineMissing => "deadline_missing",
            FormInputError::QuantityFormat => "quantity_format",
        }
    }

    fn message(&self, locale: market_domain::Locale) -> String {
        match (locale, self) {
            (market_domain::Locale::ZhCn, _) => self.to_string(),
            (_, FormInputError::NotAWholeNumber) => "Enter a whole number".into(),
            (_, FormInputError::DeadlineMissing) => "Choose the deadline's date and time".into(),
            (_, FormInputError::QuantityFormat) => {
                "The quantity is a number with up to three decimals".into()
            }
        }
    }
}

/// `2026-12-10T17:00` (a `datetime-local` value, city time) ↔ RFC 3339 with +08:00.
fn deadline_to_rfc3339(local: &str) -> Option<String> {
    let local = local.trim();
    match local.len() {
        16 => Some(format!("{local}:00+08:00")),
        19 => Some(format!("{local}+08:00")),
        _ => None,
    }
}

fn deadline_to_local(rfc3339: &str) -> String {
    rfc3339.chars().take(16).collect()
}

impl JobForm {
    pub fn from_draft(draft: &JobDraft) -> JobForm {
        let (method, criteria) = match &draft.selection {
            SelectionMethod::CompositeScore { criteria } => (
                "composite_score",
                criteria
                    .iter()
                    .map(|c| PairRow::new(c.name.clone(), c.weight.to_string()))
                    .collect(),
            ),
            other => (other.code(), Vec::new()),
        };
        JobForm {
            project_code: text(&draft.project_code),
            project_name: text(&draft.project_name),
            approval_item: text(&draft.approval_item),
            approving_department: text(&draft.approving_department),
            service_type: text(&draft.service_type),
            scope: text(&draft.scope),
            investment_wan: text(draft.investment.map(wan_text).unwrap_or_default()),
            quantity: text(draft.quantity_milli.map(milli_text).unwrap_or_default()),
            budget_yuan: filled_text(draft.budget_ceiling, yuan_text),
            fiscal_percent: text(draft.fiscal_percent.to_string()),
            requirements: RwSignal::new(
                draft
                    .required_qualifications
                    .iter()
                    .map(|r| PairRow::new(r.service_type.clone(), r.min_level.clone()))
                    .collect(),
            ),
            avoidance: RwSignal::new(
                draft
                    .avoidance
                    .iter()
                    .map(|a| PairRow::new(a.agency_id.to_string(), a.reason.clone()))
                    .collect(),
            ),
            method: text(method),
            criteria: RwSignal::new(criteria),
            deadline: text(deadline_to_local(&draft.deadline)),
            min_bidders: text(draft.min_bidders.to_string()),
            publicity_days: text(draft.publicity_days.to_string()),
            contact_person: text(&draft.contact_person),
            contact_phone: text(&draft.contact_phone),
        }
    }

    /// A blank form; the composite-score criteria start from a common split, named in `locale`.
    pub fn empty(locale: market_domain::Locale) -> JobForm {
        let form = JobForm::from_draft(&JobDraft {
            project_code: String::new(),
            project_name: String::new(),
            approval_item: String::new(),
            approving_department: String::new(),
            service_type: String::new(),
            scope: String::new(),
            investment: None,
            quantity_milli: None,
            budget_ceiling: 0,
            fiscal_percent: 0,
            required_qualifications: Vec::new(),
            avoidance: Vec::new(),
            selection: SelectionMethod::RandomDraw,
            deadline: String::new(),
            min_bidders: DEFAULT_MIN_BIDDERS,
            publicity_days: DEFAULT_PUBLICITY_DAYS,
            contact_person: String::new(),
            contact_phone: String::new(),
        });
        let names = match locale {
            market_domain::Locale::ZhCn => ["技术方案", "报价", "业绩与信誉"],
            _ => ["Technical proposal", "Price", "Track record and reputation"],
        };
        form.criteria.set(
            names
                .into_iter()
                .zip(["60", "30", "10"])
                .map(|(name, weight)| PairRow::new(name, weight))
                .collect(),
        );
        form
    }

    /// The draft the form describes, or every field that is wrong, in the domain's words.
    fn draft(&self) -> Result<JobDraft, Vec<FieldError>> {
        let mut errors = FieldErrors::new();
        let whole = |errors: &mut FieldErrors, field: &str, value: RwSignal<String>| -> u32 {
            match value.get_untracked().trim().parse::<u32>() {
                Ok(n) => n,
                Err(_) => {
                    errors.push(field, &FormInputError::NotAWholeNumber);
                    0
                }
            }
        };
        let investment_text = self.investment_wan.get_untracked();
        let investment = if investment_text.trim().is_empty() {
            None
        } else {
            errors
                .check("investment", Money::parse_yuan(&investment_text))
                .map(|m| m.fen().saturating_mul(10_000))
        };
        let quantity_text = self.quantity.get_untracked();
        let quantity_milli = if quantity_text.trim().is_empty() {
            None
        } else {
            match parse_quantity(&quantity_text) {
                Some(q) => Some(q as i64),
                None => {
                    errors.push("quantity_milli", &FormInputError::QuantityFormat);
                    None
                }
            }
        };
        let budget_ceiling = errors
            .check(
                "budget_ceiling",
                Money::parse_yuan(&self.budget_yuan.get_untracked()),
            )
            .map(Money::fen)
            .unwrap_or(0);
        let fiscal_percent = whole(&mut errors, "fiscal_percent", self.fiscal_percent);
        let min_bidders = whole(&mut errors, "min_bidders", self.min_bidders);
        let publicity_days = whole(&mut errors, "publicity_days", self.publicity_days);
        let selection = match self.method.get_untracked().as_str() {
            "direct_pick" => SelectionMethod::DirectPick,
            "lowest_price" => SelectionMethod::LowestPrice,
            "composite_score" => SelectionMethod::CompositeScore {
                criteria: self
                    .criteria
                    .get_untracked()
                    .iter()
                    .enumerate()
                    .map(|(i, row)| Criterion {
                        name: row.first.get_untracked(),
                        weight: whole(
                            &mut errors,
                            &format!("selection.criteria[{i}].weight"),
                            row.second,
                        ),
                    })
                    .collect(),
            },
            _ => SelectionMethod::RandomDraw,
        };
        let deadline = deadline_to_rfc3339(&self.deadline.get_untracked());
        if deadline.is_none() {
            errors.push("deadline", &FormInputError::DeadlineMissing);
        }
        let avoidance = self
            .avoidance
            .get_untracked()
            .iter()
            .enumerate()
            .map(|(i, row)| Avoidance {
                agency_id: match row.first.get_untracked().parse() {
                    Ok(id) => id,
                    Err(_) => {
                        errors.push(
                            &format!("avoidance[{i}].agency_id"),
                            &FormInputError::NotAWholeNumber,
                        );
                        0
                    }
                },
                reason: row.second.get_untracked(),
            })
            .collect();
        let draft = JobDraft {
            project_code: self.project_code.get_untracked(),
            project_name: self.project_name.get_untracked(),
            approval_item: self.approval_item.get_untracked(),
            approving_department: self.approving_department.get_untracked(),
            service_type: self.service_type.get_untracked(),
            scope: self.scope.get_untracked(),
            investment,
            quantity_milli,
            budget_ceiling,
            fiscal_percent,
            required_qualifications: self
                .requirements
                .get_untracked()
                .iter()
                .map(|row| RequiredQualification {
                    service_type: row.first.get_untracked(),
                    min_level: row.second.get_untracked(),
                })
                .collect(),
            avoidance,
            selection,
            deadline: deadline.unwrap_or_default(),
            min_bidders,
            publicity_days,
            contact_person: self.contact_person.get_untracked(),
            contact_phone: self.contact_phone.get_untracked(),
        };
        let mut found = errors.into_vec();
        if let Err(rules) = draft.parse() {
            for rule in rules {
                if !found.iter().any(|f| f.field == rule.field) {
                    found.push(rule);
                }
            }
        }
        if found.is_empty() {
            Ok(draft)
        } else {
            Err(found)
        }
    }
}

#[component]
pub fn JobFormView(
    /// The form's fields.
    form: JobForm,
    /// The job being edited, or `None` for a new one.
    job_id: Option<i64>,
    /// The edited job's state: a published job's change is an amendment.
    state: JobState,
) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    Effect::new(move |_| {
        let t = i18n.t();
        set_title(
            if job_id.is_some() {
                t.job_form_title_edit
            } else {
                t.job_form_title_new
            },
            t,
        )
    });
    let feedback = Feedback::new();
    let save = Action::new_local(move |draft: &JobDraft| {
        let draft = draft.clone();
        async move {
            match job_id {
                Some(id) => api::update_job(id, &draft).await,
                None => api::create_job(&draft).await,
            }
        }
    });
    Effect::new(move |_| match save.value().get() {
        Some(Ok(job)) => navigate(&format!("/jobs/{}", job.id), Default::default()),
        Some(Err(error)) => feedback.refused(error),
        None => {}
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match form.draft() {
            Ok(draft) => {
                feedback.clear();
                save.dispatch(draft);
            }
            Err(found) => feedback.local(found),
        }
    };
    let err = move |field: &str| feedback.field(field);
    let service_options = move || {
        ServiceType::ALL
            .iter()
            .map(|s| (s.code().to_owned(), s.name(i18n.locale.get()).to_owned()))
            .collect::<Vec<_>>()
    };
    // Agencies that could bid: the avoidance picker offers these by name.
    let candidates = LocalResource::new(move || {
        let service = form.service_type.get();
        async move {
            let Some(service) = ServiceType::parse(&service) else {
                return Ok(Vec::new());
            };
            let filter = AgencyFilter {
                service_type: Some(service),
                per_page: 100,
                ..AgencyFilter::default()
            };
            api::agencies(&filter).await.map(|page| page.items)
        }
    });
    let weights_total = move || {
        form.criteria
            .get()
            .iter()
            .map(|row| row.second.get().trim().parse::<u32>().unwrap_or(0))
            .sum::<u32>()
    };
    let textarea = move |name: &'static str,
                         label_text: Signal<String>,
                         value: RwSignal<String>,
                         rows: u32| {
        let id = format!("field-{name}");
        let error = err(name);
        view! {
            <div class="field" class:field--invalid=move || error.get().is_some()>
                <label class="field__label" for=id.clone()>{label_text}</label>
                <textarea class="field__input" id=id name=name rows=rows
                    aria-invalid=move || if error.get().is_some() { "true" } else { "false" }
                    prop:value=move || value.get() on:input:target=move |ev| value.set(ev.target().value())></textarea>
                <p class="field__message">{move || error.get().map(|m| view! { <span class="field__error">{m}</span> })}</p>
            </div>
        }
    };
    let is_amendment = state == JobState::Published;
    view! {
        <section class="job-form">
            <h1>{move || if job_id.is_some() { i18n.t().job_form_title_edit } else { i18n.t().job_form_title_new }}</h1>
            {is_amendment.then(|| view! { <div class="banner banner--warning" role="note">{move || i18n.t().job_form_amend_warning}</div> })}
            <form class="form card" on:submit=on_submit novalidate>
                <fieldset class="form__section">
                    <legend>{move || i18n.t().job_form_case}</legend>
                    <TextField name="project_code" label=label(|t| t.field_project_code) value=form.project_code error=err("project_code") hint=label(|t| t.field_project_code_hint) />
                    <TextField name="project_name" label=label(|t| t.field_project_name) value=form.project_name error=err("project_name") />
                    <TextField name="approval_item" label=label(|t| t.field_approval_item) value=form.approval_item error=err("approval_item") />
                    <TextField name="approving_department" label=label(|t| t.field_approving_department) value=form.approving_department error=err("approving_department") />
                </fieldset>
                <fieldset class="form__section">
                    <legend>{move || i18n.t().job_form_service}</legend>
                    <div class="field" class:field--invalid=move || err("service_type").get().is_some()>
                        <label class="field__label" for="field-service_type">{move || i18n.t().filter_service_type}</label>
                        <select class="field__input" id="field-service_type" name="service_type" on:change:target=move |ev| form.service_type.set(ev.target().value())>
                            <option value="" selected=move || form.service_type.get().is_empty()>"—"</option>
                            {move || service_options().into_iter().map(|(code, name)| {
                                let selected = code.clone();
                                view! { <option value=code selected=move || form.service_type.get() == selected>{name}</option> }
                            }).collect_view()}
                        </select>
                        <p class="field__message">{move || err("service_type").get().map(|m| view! { <span class="field__error">{m}</span> })}</p>
                    </div>
                    {textarea("scope", label(|t| t.field_scope), form.scope, 4)}
                </fieldset>
                <fieldset class="form__section">
                    <legend>{move || i18n.t().job_form_money}</legend>
                    <TextField name="investment" label=label(|t| t.field_investment) value=form.investment_wan error=err("investment") />
                    <TextField name="quantity_milli" label=label(|t| t.field_quantity) value=form.quantity error=err("quantity_milli") />
                    <TextField name="budget_ceiling" label=label(|t| t.field_budget) value=form.budget_yuan error=err("budget_ceiling") />
                    <TextField name="fiscal_percent" label=label(|t| t.field_fiscal) value=form.fiscal_percent error=err("fiscal_percent") />
                </fieldset>
                <fieldset class="form__section">
                    <legend>{move || i18n.t().job_form_rules}</legend>
                    <h3>{move || i18n.t().job_requirements}</h3>
                    <For each=move || form.requirements.get() key=|row| row.key let:row>
                        {
                            let index = move || form.requirements.get().iter().position(|r| r.key == row.key).unwrap_or(0);
                            let level_error = Signal::derive(move || err(&format!("required_qualifications[{}].min_level", index())).get());
                            view! {
                                <div class="row-group">
                                    <label class="field">
                                        <span class="field__label">{move || i18n.t().filter_service_type}</span>
                                        <select class="field__input" on:change:target=move |ev| row.first.set(ev.target().value())>
                                            {move || service_options().into_iter().map(|(code, name)| {
                                                let selected = code.clone();
                                                view! { <option value=code selected=move || row.first.get() == selected>{name}</option> }
                                            }).collect_view()}
                                        </select>
                                    </label>
                                    <TextField name="min_level" id=format!("field-min_level-{}", row.key) label=label(|t| t.field_required_level) value=row.second error=level_error />
                                    <button class="button button--ghost" type="button" on:click=move |_| form.requirements.update(|rows| rows.retain(|r| r.key != row.key))>{move || i18n.t().job_remove}</button>
                                </div>
                            }
                        }
                    </For>
                    <button class="button button--secondary" type="button" on:click=move |_| {
                        let service = form.service_type.get_untracked();
                        form.requirements.update(|rows| rows.push(PairRow::new(if service.is_empty() { "env_impact".to_owned() } else { service }, "")))
                    }>{move || i18n.t().job_add_requirement}</button>

                    <h3>{move || i18n.t().job_avoidance}</h3>
                    <For each=move || form.avoidance.get() key=|row| row.key let:row>
                        {
                            let index = move || form.avoidance.get().iter().position(|r| r.key == row.key).unwrap_or(0);
                            let reason_error = Signal::derive(move || err(&format!("avoidance[{}].reason", index())).get());
                            let agency_error = Signal::derive(move || err(&format!("avoidance[{}].agency_id", index())).get());
                            view! {
                                <div class="row-group">
                                    <label class="field">
                                        <span class="field__label">{move || i18n.t().field_avoid_agency}</span>
                                        <select class="field__input" on:change:target=move |ev| row.first.set(ev.target().value())>
                                            <option value="" selected=move || row.first.get().is_empty()>"—"</option>
                                            {move || candidates.get().and_then(Result::ok).unwrap_or_default().into_iter().map(|agency| {
                                                let id = agency.id.to_string();
                                                let selected = id.clone();
                                                view! { <option value=id selected=move || row.first.get() == selected>{agency.name}</option> }
                                            }).collect_view()}
                                        </select>
                                        <span class="field__message">{move || agency_error.get().map(|m| view! { <span class="field__error">{m}</span> })}</span>
                                    </label>
                                    <TextField name="avoid_reason" id=format!("field-avoid_reason-{}", row.key) label=label(|t| t.field_avoid_reason) value=row.second error=reason_error />
                                    <button class="button button--ghost" type="button" on:click=move |_| form.avoidance.update(|rows| rows.retain(|r| r.key != row.key))>{move || i18n.t().job_remove}</button>
                                </div>
                            }
                        }
                    </For>
                    <button class="button button--secondary" type="button" on:click=move |_| form.avoidance.update(|rows| rows.push(PairRow::new("", "")))>{move || i18n.t().job_add_avoidance}</button>

                    <fieldset class="choices">
                        <legend>{move || i18n.t().field_method}</legend>
                        {[SelectionMethod::RandomDraw, SelectionMethod::LowestPrice, SelectionMethod::CompositeScore { criteria: Vec::new() }, SelectionMethod::DirectPick].into_iter().map(|m| {
                            let code = m.code();
                            view! {
                                <label class="choice" class:choice--selected=move || form.method.get() == code>
                                    <input type="radio" name="method" value=code prop:checked=move || form.method.get() == code on:change=move |_| form.method.set(code.to_owned()) />
                                    <span class="choice__label">{move || m.name(i18n.locale.get())}</span>
                                </label>
                            }
                        }).collect_view()}
                    </fieldset>
                    <Show when=move || form.method.get() == "composite_score">
                        <h3>{move || i18n.t().job_criteria}</h3>
                        <For each=move || form.criteria.get() key=|row| row.key let:row>
                            {
                                let index = move || form.criteria.get().iter().position(|r| r.key == row.key).unwrap_or(0);
                                let name_error = Signal::derive(move || err(&format!("selection.criteria[{}].name", index())).get());
                                let weight_error = Signal::derive(move || err(&format!("selection.criteria[{}].weight", index())).get());
                                view! {
                                    <div class="row-group">
                                        <TextField name="criterion_name" id=format!("field-criterion-{}", row.key) label=label(|t| t.field_criterion_name) value=row.first error=name_error />
                                        <TextField name="criterion_weight" id=format!("field-weight-{}", row.key) label=label(|t| t.field_criterion_weight) value=row.second error=weight_error input_type="number" />
                                        <button class="button button--ghost" type="button" on:click=move |_| form.criteria.update(|rows| rows.retain(|r| r.key != row.key))>{move || i18n.t().job_remove}</button>
                                    </div>
                                }
                            }
                        </For>
                        <p class="note" class:field__error=move || weights_total() != 100>{move || fill(i18n.t().job_weights_total, &[("n", weights_total().to_string())])}</p>
                        <p class="field__message">{move || err("selection.criteria").get().map(|m| view! { <span class="field__error">{m}</span> })}</p>
                        <button class="button button--secondary" type="button" on:click=move |_| form.criteria.update(|rows| rows.push(PairRow::new("", "0")))>{move || i18n.t().job_add_criterion}</button>
                    </Show>
                    <TextField name="deadline" label=label(|t| t.field_deadline) value=form.deadline error=err("deadline") input_type="datetime-local" />
                    <TextField name="min_bidders" label=label(|t| t.field_min_bidders) value=form.min_bidders error=err("min_bidders") input_type="number" />
                    <TextField name="publicity_days" label=label(|t| t.field_publicity_days) value=form.publicity_days error=err("publicity_days") input_type="number" />
                </fieldset>
                <fieldset class="form__section">
                    <legend>{move || i18n.t().job_form_contact}</legend>
                    <TextField name="contact_person" label=label(|t| t.field_contact_person) value=form.contact_person error=err("contact_person") />
                    <TextField name="contact_phone" label=label(|t| t.field_contact_phone) value=form.contact_phone error=err("contact_phone") input_type="tel" />
                </fieldset>
                {feedback.view()}
                <button class="button button--primary" type="submit" disabled=move || save.pending().get()>
                    {move || if is_amendment { i18n.t().job_save_amend } else { i18n.t().job_save_draft }}
                </button>
            </form>
        </section>
    }
}
