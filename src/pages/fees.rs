//! `/fees`: every agency's published fee standard for a service type, priced for the visitor's
//! project.

use crate::api;
use crate::components::fee_calculator::{
    quote_class, quote_text, CalculatorFields, CalculatorInputs,
};
use crate::components::{label, DataTable, TableFrame};
use crate::components::{CursorPagination, ListPosition, Loaded};
use crate::i18n::{set_title, use_i18n};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use market_domain::ServiceType;

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
    let position = Memo::new(move |_| ListPosition::from_query(&query.read()));
    let standards = LocalResource::new(move || {
        let (service, position) = (service.get(), position.get());
        async move { api::fee_standards(service, &position.query()).await }
    });
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
            <Loaded data=standards let:standards>
                {
                    let page_count = standards.page_count();
                    let (page, next) = (standards.page, standards.next.clone());
                    let base = format!("/fees?service_type={}", service.get_untracked().code());
                    let standards = standards.items;
                    view! {
                        <DataTable label=label(|t| t.fees_title) columns=&[|t| t.review_agency, |t| t.agency_fee_standards, |t| t.calc_quote] frame=TableFrame::Card>
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
                        </DataTable>
                        {(page_count > 1).then(|| view! { <CursorPagination base page page_count next /> })}
                    }
                }
            </Loaded>
        </section>
    }
}
