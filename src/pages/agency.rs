//! An agency's public page: identity, services, contacts and qualifications.

use crate::api::{self, ApiError};
use crate::components::{Badge, BadgeVariant, DetailSkeleton, ErrorView};
use crate::i18n::{set_title, use_i18n};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use market_domain::wire::AgencyDetail;

#[component]
pub fn AgencyPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = Memo::new(move |_| {
        params
            .read()
            .get("id")
            .and_then(|id| id.parse::<i64>().ok())
    });
    let agency = LocalResource::new(move || {
        let id = id.get();
        async move {
            match id {
                Some(id) => api::agency(id).await,
                None => Err(ApiError {
                    status: 404,
                    code: "not_found".into(),
                    message: "not found".into(),
                    field: None,
                    fields: Vec::new(),
                }),
            }
        }
    });
    view! {
        <div class="agency-page">
            <a class="back-link" href="/">"← " {move || i18n.t().agency_back}</a>
            <Transition fallback=|| view! { <DetailSkeleton /> }>
                <ErrorBoundary fallback=|errors| view! { <ErrorView errors /> }>
                    {move || Suspend::new(async move {
                        let detail = agency.await?;
                        Ok::<_, ApiError>(view! { <AgencyDetailView detail /> })
                    })}
                </ErrorBoundary>
            </Transition>
        </div>
    }
}

#[component]
fn AgencyDetailView(
    /// The agency as the API returned it.
    detail: AgencyDetail,
) -> impl IntoView {
    let i18n = use_i18n();
    let name = detail.name.clone();
    Effect::new(move |_| set_title(&name, i18n.t()));
    let district = detail.district;
    let listed_since = detail.listed_since;
    let staff = detail.staff_count;
    let row = |label: fn(&crate::i18n::Messages) -> &'static str, value: String| {
        view! {
            <div class="facts__row">
                <dt>{move || label(i18n.t())}</dt>
                <dd>{value}</dd>
            </div>
        }
    };
    view! {
        <article class="agency">
            <header class="agency__header">
                <h1 class="agency__name">{detail.name.clone()}</h1>
                <ul class="agency__services" aria-label=move || i18n.t().agency_services>
                    {detail
                        .service_types
                        .iter()
                        .map(|&service| view! {
                            <li><Badge variant=BadgeVariant::Service label=Signal::derive(move || service.name(i18n.locale.get()).to_owned()) /></li>
                        })
                        .collect_view()}
                </ul>
            </header>
            <div class="agency__columns">
                <section class="card">
                    <h2>{move || i18n.t().agency_profile}</h2>
                    <dl class="facts">
                        {row(|t| t.agency_credit_code, detail.credit_code.clone())}
                        <div class="facts__row">
                            <dt>{move || i18n.t().agency_district}</dt>
                            <dd>{move || district.name(i18n.locale.get())}</dd>
                        </div>
                        {row(|t| t.agency_legal_representative, detail.legal_representative.clone())}
                        <div class="facts__row">
                            <dt>{move || i18n.t().agency_staff}</dt>
                            <dd>{staff} " " {move || i18n.t().people_unit}</dd>
                        </div>
                        <div class="facts__row">
                            <dt>{move || i18n.t().agency_listed_since}</dt>
                            <dd>{move || i18n.date(listed_since)}</dd>
                        </div>
                    </dl>
                    <p class="agency__description">{detail.description.clone()}</p>
                </section>
                <section class="card">
                    <h2>{move || i18n.t().agency_contacts}</h2>
                    <dl class="facts">
                        {row(|t| t.agency_contact_person, detail.contact_person.clone())}
                        <div class="facts__row">
                            <dt>{move || i18n.t().agency_phone}</dt>
                            <dd><a href=format!("tel:{}", detail.phone)>{detail.phone.clone()}</a></dd>
                        </div>
                        <div class="facts__row">
                            <dt>{move || i18n.t().agency_email}</dt>
                            <dd><a href=format!("mailto:{}", detail.email)>{detail.email.clone()}</a></dd>
                        </div>
                        {row(|t| t.agency_address, detail.address.clone())}
                    </dl>
                </section>
            </div>
            <section class="card">
                <h2>{move || i18n.t().agency_qualifications}</h2>
                {if detail.qualifications.is_empty() {
                    view! { <p>{move || i18n.t().qualification_none}</p> }.into_any()
                } else {
                    view! {
                        <div class="table-scroll">
                            <table class="table">
                                <thead>
                                    <tr>
                                        <th scope="col">{move || i18n.t().qualification_name}</th>
                                        <th scope="col">{move || i18n.t().qualification_number}</th>
                                        <th scope="col">{move || i18n.t().qualification_level}</th>
                                        <th scope="col">{move || i18n.t().qualification_authority}</th>
                                        <th scope="col">{move || i18n.t().qualification_validity}</th>
                                        <th scope="col">{move || i18n.t().qualification_covers}</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {detail.qualifications.iter().map(|q| {
                                        let (issued, expires) = (q.issued_on, q.expires_on);
                                        let covers = q.service_types.clone();
                                        view! {
                                            <tr>
                                                <td>{q.name.clone()}</td>
                                                <td class="mono">{q.number.clone()}</td>
                                                <td>{q.level.clone()}</td>
                                                <td>{q.authority.clone()}</td>
                                                <td>{move || format!("{} – {}", i18n.date(issued), i18n.date(expires))}</td>
                                                <td>{move || covers.iter().map(|s| s.name(i18n.locale.get())).collect::<Vec<_>>().join("、")}</td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }.into_any()
                }}
            </section>
        </article>
    }
}
