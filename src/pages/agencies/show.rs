//! An agency's public page: identity, services, contacts, qualifications, fee standards and
//! published ratings.

use crate::api::{self, ApiError};
use crate::components::fee_calculator::{
    inputs_needed, quote_class, quote_text, CalculatorFields, CalculatorInputs,
};
use crate::components::label;
use crate::components::Feedback;
use crate::components::Loaded;
use crate::components::RatingScores;
use crate::components::{Badge, BadgeVariant, TextField};
use crate::i18n::{fill, set_title, use_i18n};
use crate::session::use_session;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use market_domain::listing::SuspensionRequest;
use market_domain::wire::{AgencyDetail, RatingSummary};
use market_domain::Role;

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
                    message_en: "not found".into(),
                    field: None,
                    fields: Vec::new(),
                }),
            }
        }
    });
    view! {
        <div class="agency-page">
            <a class="back-link" href="/">"← " {move || i18n.t().agency_back}</a>
            <Loaded data=agency let:detail>
                {view! { <AgencyDetailView detail /> }}
            </Loaded>
        </div>
    }
}

/// Published ratings (服务评价): the average of every dimension, the count, and each rating
/// with the agency's reply.
#[component]
fn Ratings(
    /// The agency's ratings as published.
    ratings: RatingSummary,
) -> impl IntoView {
    let i18n = use_i18n();
    let average = format!(
        "{}.{:02}",
        ratings.average_hundredths / 100,
        ratings.average_hundredths % 100
    );
    let count = ratings.count;
    view! {
        <section class="card" aria-label=move || i18n.t().ratings_title>
            <h2>{move || i18n.t().ratings_title}</h2>
            {if ratings.items.is_empty() {
                view! { <p class="note">{move || i18n.t().ratings_none}</p> }.into_any()
            } else {
                view! {
                    <p class="lead">{move || fill(i18n.t().ratings_summary, &[("avg", average.clone()), ("n", count.to_string())])}</p>
                    {ratings.items.into_iter().map(|r| {
                        let at = r.rated_at.clone();
                        view! {
                            <article class="rating">
                                <h3><a href=format!("/jobs/{}", r.job_id)>{r.project_name.clone()}</a></h3>
                                <RatingScores scores=r.scores />
                                <p>{r.comment.clone()}</p>
                                {r.reply.clone().map(|reply| view! { <p class="note">{move || i18n.t().rating_reply} ": " {reply.clone()}</p> })}
                                <p class="note">{move || i18n.timestamp(&at)}</p>
                            </article>
                        }
                    }).collect_view()}
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn AgencyDetailView(
    /// The agency as the API returned it.
    detail: AgencyDetail,
) -> impl IntoView {
    let i18n = use_i18n();
    let name = detail.profile.name.clone();
    Effect::new(move |_| set_title(&name, i18n.t()));
    let district = detail.profile.district;
    let listed_since = detail.listed_since;
    let staff = detail.profile.staff_count;
    let row = |label: fn(&crate::i18n::Messages) -> &'static str, value: String| {
        view! {
            <div class="facts__row">
                <dt>{move || label(i18n.t())}</dt>
                <dd>{value}</dd>
            </div>
        }
    };
    let suspension = detail.suspension.clone().map(|s| view! {
        <div class="banner banner--danger" role="alert">
            <strong>{move || i18n.t().agency_suspended_notice}</strong>
            <p>{s.reason.clone()} " (" {move || i18n.date(s.starts_on)} " – " {move || i18n.date(s.ends_on)} ")"</p>
        </div>
    });
    let inputs = CalculatorInputs::new();
    let standards = detail.profile.fee_standards.clone();
    let commitment = detail.profile.service_commitment.clone();
    let agency_id = detail.id;
    let suspension_id = detail.suspension.as_ref().map(|s| s.id);
    let session = use_session();
    let is_regulator = move || {
        session
            .account
            .get()
            .is_some_and(|a| a.role == Role::Regulator)
    };
    view! {
        <article class="agency">
            {suspension}
            <header class="agency__header">
                <h1 class="agency__name">{detail.profile.name.clone()}</h1>
                <ul class="agency__services" aria-label=move || i18n.t().agency_services>
                    {detail
                        .profile.service_types
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
                        {row(|t| t.agency_credit_code, detail.profile.credit_code.clone())}
                        <div class="facts__row">
                            <dt>{move || i18n.t().agency_district}</dt>
                            <dd>{move || district.name(i18n.locale.get())}</dd>
                        </div>
                        {row(|t| t.agency_legal_representative, detail.profile.legal_representative.clone())}
                        <div class="facts__row">
                            <dt>{move || i18n.t().agency_staff}</dt>
                            <dd>{staff} " " {move || i18n.t().people_unit}</dd>
                        </div>
                        <div class="facts__row">
                            <dt>{move || i18n.t().agency_listed_since}</dt>
                            <dd>{move || i18n.date(listed_since)}</dd>
                        </div>
                    </dl>
                    <p class="agency__description">{detail.profile.description.clone()}</p>
                </section>
                <section class="card">
                    <h2>{move || i18n.t().agency_contacts}</h2>
                    <dl class="facts">
                        {row(|t| t.agency_contact_person, detail.profile.contact_person.clone())}
                        <div class="facts__row">
                            <dt>{move || i18n.t().agency_phone}</dt>
                            <dd><a href=format!("tel:{}", detail.profile.phone)>{detail.profile.phone.clone()}</a></dd>
                        </div>
                        <div class="facts__row">
                            <dt>{move || i18n.t().agency_email}</dt>
                            <dd><a href=format!("mailto:{}", detail.profile.email)>{detail.profile.email.clone()}</a></dd>
                        </div>
                        {row(|t| t.agency_address, detail.profile.address.clone())}
                    </dl>
                </section>
            </div>
            <section class="card">
                <h2>{move || i18n.t().agency_fee_standards}</h2>
                <ul class="fee-list">
                    {standards.iter().map(|f| {
                        let described = f.clone();
                        let service = f.service_type();
                        let basis = f.basis();
                        let effective = f.effective_from();
                        view! {
                            <li class="fee-list__item">
                                <strong>{move || service.name(i18n.locale.get())}</strong>
                                " · " {move || basis.name(i18n.locale.get())}
                                <p>{move || described.describe(i18n.locale.get())}</p>
                                <p class="note">{move || i18n.t().fee_effective} " " {move || i18n.date(effective)}</p>
                            </li>
                        }
                    }).collect_view()}
                </ul>
                <h3>{move || i18n.t().calc_title}</h3>
                {
                    let (investment, quantity) = inputs_needed(&standards);
                    view! { <CalculatorFields inputs investment quantity /> }
                }
                <div class="table-scroll" tabindex="0">
                <table class="table" aria-label=move || i18n.t().calc_title>
                    <tbody>
                        {standards.into_iter().map(|f| {
                            let service = f.service_type();
                            let for_class = f.clone();
                            view! {
                                <tr>
                                    <th scope="row">{move || service.name(i18n.locale.get())}</th>
                                    <td class=move || quote_class(&for_class, &inputs.facts()) data-testid="quote">{move || quote_text(&f, &inputs.facts(), i18n.locale.get())}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
                </div>
                <p class="note">{move || i18n.t().calc_hint}</p>
            </section>
            <section class="card">
                <h2>{move || i18n.t().agency_commitment}</h2>
                <p>{commitment}</p>
            </section>
            <Show when=is_regulator>
                <SuspendForm agency_id suspension_id />
            </Show>
            <Ratings ratings=detail.ratings.clone() />
            <Credit agency_id />
            <section class="card">
                <h2>{move || i18n.t().agency_qualifications}</h2>
                {if detail.profile.qualifications.is_empty() {
                    view! { <p>{move || i18n.t().qualification_none}</p> }.into_any()
                } else {
                    view! {
                        <div class="table-scroll" tabindex="0">
                            <table class="table" aria-label=move || i18n.t().agency_qualifications>
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
                                    {detail.profile.qualifications.iter().map(|q| {
                                        let (issued, expires) = (q.issued_on, q.expires_on);
                                        let covers = q.service_types.clone();
                                        let expired = q.expired;
                                        view! {
                                            <tr class:expired=expired>
                                                <td>{q.name.clone()} {move || expired.then(|| format!(" ({})", i18n.t().expired))}</td>
                                                <td class="mono">{q.number.clone()}</td>
                                                <td>{q.level.clone()}</td>
                                                <td>{q.authority.clone()}</td>
                                                <td>{move || format!("{} – {}", i18n.date(issued), i18n.date(expires))}</td>
                                                <td>{move || covers.iter().map(|s| s.name(i18n.locale.get())).collect::<Vec<_>>().join(crate::i18n::list_separator(i18n.locale.get()))}</td>
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

#[component]
fn SuspendForm(
    /// The agency to suspend.
    agency_id: i64,
    /// Its active suspension, which can be lifted instead.
    suspension_id: Option<i64>,
) -> impl IntoView {
    let i18n = use_i18n();
    let reason = RwSignal::new(String::new());
    let starts_on = RwSignal::new(String::new());
    let ends_on = RwSignal::new(String::new());
    let blacklist = RwSignal::new(false);
    let basis = RwSignal::new(String::new());
    let feedback = Feedback::new();
    let done = RwSignal::new(false);
    let suspend = Action::new_local(move |request: &SuspensionRequest| {
        let request = request.clone();
        async move { api::suspend(agency_id, &request).await.map(|_| ()) }
    });
    let lift = Action::new_local(move |id: &i64| {
        let id = *id;
        async move { api::lift_suspension(id).await }
    });
    Effect::new(move |_| {
        for result in [suspend.value().get(), lift.value().get()]
            .into_iter()
            .flatten()
        {
            match result {
                Ok(()) => done.set(true),
                Err(error) => feedback.refused(error),
            }
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let request = SuspensionRequest {
            reason: reason.get_untracked(),
            starts_on: starts_on.get_untracked(),
            ends_on: ends_on.get_untracked(),
            blacklist: blacklist.get_untracked(),
            basis: basis.get_untracked(),
        };
        match request.parse() {
            Ok(_) => {
                feedback.clear();
                suspend.dispatch(request);
            }
            Err(found) => feedback.local(found),
        }
    };
    let error_for = move |field: &'static str| feedback.field(field);
    view! {
        <section class="card">
            <h2>{move || i18n.t().suspend_title}</h2>
            {suspension_id.map(|id| view! {
                <button class="button button--secondary" type="button" on:click=move |_| { lift.dispatch(id); }>{move || i18n.t().suspend_lift}</button>
            })}
            <form class="form" on:submit=on_submit novalidate>
                <TextField name="suspend_reason" label=label(|t| t.suspend_reason) value=reason error=error_for("reason") />
                <div class="form-grid">
                    <TextField name="suspend_starts" label=label(|t| t.suspend_starts) value=starts_on error=error_for("starts_on") input_type="date" />
                    <TextField name="suspend_ends" label=label(|t| t.suspend_ends) value=ends_on error=error_for("ends_on") input_type="date" />
                </div>
                <label class="checkbox">
                    <input type="checkbox" prop:checked=move || blacklist.get() on:change:target=move |ev| blacklist.set(ev.target().checked()) />
                    {move || i18n.t().suspend_blacklist}
                </label>
                <TextField name="suspend_basis" label=label(|t| t.suspend_basis) value=basis error=error_for("basis") />
                {feedback.view()}
                {move || done.get().then(|| view! { <p class="banner banner--success" role="status">{i18n.t().review_done}</p> })}
                <button class="button button--primary" type="submit">{move || i18n.t().suspend_submit}</button>
            </form>
        </section>
    }
}

/// The agency's credit record: score, grade, the breakdown by the documented formula, and the
/// complaints and list entries behind it.
#[component]
fn Credit(
    /// The agency.
    agency_id: i64,
) -> impl IntoView {
    let i18n = use_i18n();
    let record = LocalResource::new(move || api::credit(agency_id));
    let t = move || i18n.t();
    view! {
        <section class="card credit" aria-labelledby="credit-title">
            <h2 id="credit-title">{move || t().credit_title}</h2>
            <Loaded data=record let:record>
                {
                    let score = record.score.clone();
                    view! {
                        <p class="credit__score">
                            <span>{move || t().credit_score}</span>
                            <span class="credit__number">{score.score}</span>
                            <span>{move || t().credit_grade} " " {score.grade.to_string()}</span>
                        </p>
                        <table class="table" aria-label=move || t().credit_score>
                            <tbody>
                                {score.items.iter().map(|item| {
                                    let factor = item.factor;
                                    let count = item.count;
                                    let points = item.points;
                                    view! {
                                        <tr>
                                            <th scope="row">{move || factor.name(i18n.locale.get())}
                                                {(count > 0).then(|| format!(" ×{count}"))}</th>
                                            <td class="numeric">{if points > 0 { format!("+{points}") } else { points.to_string() }}</td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                        <p class="note">{move || t().credit_formula}</p>
                        {(!record.upheld_complaints.is_empty()).then(|| view! {
                            <h3>{move || t().credit_upheld}</h3>
                            <ul>
                                {record.upheld_complaints.iter().map(|c| view! {
                                    <li><a href=format!("/complaints/{}", c.id)>{c.title.clone()}</a></li>
                                }).collect_view()}
                            </ul>
                        })}
                        {(!record.entries.is_empty()).then(|| view! {
                            <h3>{move || t().credit_entries}</h3>
                            <ul>
                                {record.entries.iter().map(|e| view! {
                                    <li>{format!("{} – {} {}{}", e.starts_on, e.ends_on, e.reason,
                                        e.basis.as_ref().map(|b| format!("({b})")).unwrap_or_default())}</li>
                                }).collect_view()}
                            </ul>
                        })}
                        <a class="button button--ghost" href=format!("/complaints/new?agency={agency_id}")>{move || t().complaints_new}</a>
                    }
                }
            </Loaded>
        </section>
    }
}
