//! Fee quotes: every agency's published standard for a service type, priced in the browser with
//! the domain's `quote`, and the calculator reused on an agency's page.

use crate::api::{self, ApiError};
use crate::components::{DetailSkeleton, ErrorView};
use crate::i18n::{set_title, use_i18n};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use market_domain::fee::{parse_quantity, FeeStandard, JobFacts, PricingModel};
use market_domain::{Money, ServiceType};

/// Investment (万元) and quantity inputs, turned into the facts a fee standard needs.
#[derive(Clone, Copy)]
pub struct CalculatorInputs {
    pub investment_wan: RwSignal<String>,
    pub quantity: RwSignal<String>,
}

impl CalculatorInputs {
    pub fn new() -> Self {
        CalculatorInputs {
            investment_wan: RwSignal::new(String::new()),
            quantity: RwSignal::new(String::new()),
        }
    }

    pub fn facts(&self) -> JobFacts {
        JobFacts {
            investment: Money::parse_yuan(&self.investment_wan.get())
                .ok()
                .and_then(|m| Money::from_fen(m.fen().saturating_mul(10_000)).ok()),
            quantity_milli: parse_quantity(&self.quantity.get()),
        }
    }
}

impl Default for CalculatorInputs {
    fn default() -> Self {
        Self::new()
    }
}

/// Which inputs some standard among `standards` needs: (investment, quantity).
pub fn inputs_needed(standards: &[FeeStandard]) -> (bool, bool) {
    standards
        .iter()
        .fold((false, false), |(investment, quantity), s| {
            match s.model() {
                PricingModel::Fixed { .. } => (investment, quantity),
                PricingModel::InvestmentTiered { .. } => (true, quantity),
                PricingModel::PerUnit { .. } => (investment, true),
            }
        })
}

#[component]
pub fn CalculatorFields(
    /// The inputs to edit.
    inputs: CalculatorInputs,
    /// Show the investment field (some standard is tiered by investment).
    #[prop(default = true)]
    investment: bool,
    /// Show the quantity field (some standard is priced per unit).
    #[prop(default = true)]
    quantity: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="form-grid calculator__inputs">
            {investment.then(|| view! {
                <div class="field">
                    <label class="field__label" for="calc-investment">{move || i18n.t().calc_investment}</label>
                    <input class="field__input" id="calc-investment" inputmode="decimal" prop:value=move || inputs.investment_wan.get() on:input:target=move |ev| inputs.investment_wan.set(ev.target().value()) />
                </div>
            })}
            {quantity.then(|| view! {
                <div class="field">
                    <label class="field__label" for="calc-quantity">{move || i18n.t().calc_quantity}</label>
                    <input class="field__input" id="calc-quantity" inputmode="decimal" prop:value=move || inputs.quantity.get() on:input:target=move |ev| inputs.quantity.set(ev.target().value()) />
                </div>
            })}
        </div>
    }
}

/// The quote cell's class: an amount stands out; a prompt for a missing input is muted, not
/// an error, since nothing is wrong before the visitor types.
pub fn quote_class(standard: &FeeStandard, facts: &JobFacts) -> &'static str {
    if standard.quote(facts).is_ok() {
        "quote"
    } else {
        "quote quote--pending"
    }
}

/// The quote text for one standard: the amount, or what is missing to compute it.
pub fn quote_text(
    standard: &FeeStandard,
    facts: &JobFacts,
    locale: market_domain::Locale,
) -> String {
    use market_domain::Violation;
    match standard.quote(facts) {
        Ok(amount) => market_domain::format::money(amount, locale),
        Err(missing) => missing.message(locale),
    }
}

pub fn unit_of(standard: &FeeStandard) -> Option<String> {
    match standard.model() {
        PricingModel::PerUnit { unit, .. } => Some(unit.clone()),
        _ => None,
    }
}

#[component]
pub fn FeesPage() -> impl IntoView {
    let i18n = use_i18n();
    Effect::new(move |_| set_title(i18n.t().fees_title, i18n.t()));
    let query = use_query_map();
    let navigate = use_navigate();
    let service = Memo::new(move |_| {
        query
            .read()
            .get("service_type")
            .and_then(|c| ServiceType::parse(&c))
            .unwrap_or(ServiceType::EnvironmentalImpact)
    });
    let standards = LocalResource::new(move || api::fee_standards(service.get()));
    let inputs = CalculatorInputs::new();
    view! {
        <section>
            <h1>{move || i18n.t().fees_title}</h1>
            <p class="lead">{move || i18n.t().fees_intro}</p>
            <div class="card">
                <div class="field">
                    <label class="field__label" for="fees-service">{move || i18n.t().filter_service_type}</label>
                    <select class="field__input" id="fees-service" on:change:target=move |ev| navigate(&format!("/fees?service_type={}", ev.target().value()), Default::default())>
                        {ServiceType::ALL.iter().map(|s| view! {
                            <option value=s.code() selected=move || service.get() == *s>{move || s.name(i18n.locale.get())}</option>
                        }).collect_view()}
                    </select>
                </div>
                <CalculatorFields inputs />
            </div>
            <Transition fallback=|| view! { <DetailSkeleton /> }>
                <ErrorBoundary fallback=|errors| view! { <ErrorView errors /> }>
                    {move || Suspend::new(async move {
                        let standards = standards.await?;
                        Ok::<_, ApiError>(view! {
                            <div class="table-scroll card" tabindex="0">
                                <table class="table">
                                    <thead><tr>
                                        <th scope="col">{move || i18n.t().review_agency}</th>
                                        <th scope="col">{move || i18n.t().agency_fee_standards}</th>
                                        <th scope="col">{move || i18n.t().calc_quote}</th>
                                    </tr></thead>
                                    <tbody>
                                        {standards.into_iter().map(|s| {
                                            let standard = s.standard.clone();
                                            let for_class = s.standard.clone();
                                            let described = s.standard.clone();
                                            view! {
                                                <tr>
                                                    <td><a href=format!("/agencies/{}", s.agency_id)>{s.agency_name.clone()}</a></td>
                                                    <td>{move || described.describe(i18n.locale.get())}</td>
                                                    <td class=move || quote_class(&for_class, &inputs.facts())>{move || quote_text(&standard, &inputs.facts(), i18n.locale.get())}</td>
                                                </tr>
                                            }
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                        })
                    })}
                </ErrorBoundary>
            </Transition>
        </section>
    }
}
