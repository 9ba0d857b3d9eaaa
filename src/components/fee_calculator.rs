//! The fee calculator's inputs and the quote each published standard gives for them, shared by
//! `/fees` and an agency's page; priced in the browser with the domain's `quote`.

use crate::i18n::use_i18n;
use leptos::prelude::*;
use market_domain::fee::{parse_quantity, FeeStandard, JobFacts, PricingModel};
use market_domain::Money;

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
