//! One agency in the directory list.

use crate::components::{Badge, BadgeVariant};
use crate::i18n::{fill, use_i18n};
use leptos::prelude::*;
use market_domain::wire::AgencySummary;

#[component]
pub fn AgencyCard(
    /// The agency to show.
    agency: AgencySummary,
) -> impl IntoView {
    let i18n = use_i18n();
    let href = format!("/agencies/{}", agency.id);
    let district = agency.district;
    let qualification_count = agency.qualification_count;
    let (score, grade) = (agency.credit_score, agency.credit_grade);
    let (ratings, hundredths) = (agency.ratings, agency.average_hundredths);
    let quote = agency.quote;
    let credit = move || {
        fill(
            i18n.t().card_credit,
            &[("score", score.to_string()), ("grade", grade.to_string())],
        )
    };
    let rating = move || match ratings {
        0 => i18n.t().card_no_rating.to_owned(),
        n => fill(
            i18n.t().card_rating,
            &[
                (
                    "stars",
                    format!("{}.{:02}", hundredths / 100, hundredths % 100),
                ),
                ("n", n.to_string()),
            ],
        ),
    };
    view! {
        <article class="agency-card">
            <h2 class="agency-card__name">
                <a href=href>{agency.name.clone()}</a>
            </h2>
            <p class="agency-card__meta">
                <span>{move || district.name(i18n.locale.get())}</span>
                " · "
                <span class="agency-card__code">{agency.credit_code.clone()}</span>
            </p>
            <ul class="agency-card__services">
                {agency
                    .service_types
                    .iter()
                    .map(|&service| {
                        view! {
                            <li>
                                <Badge
                                    variant=BadgeVariant::Service
                                    label=Signal::derive(move || service.name(i18n.locale.get()).to_owned())
                                />
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            <p class="agency-card__scores">
                <span class=format!("agency-card__credit agency-card__credit--{}", grade.to_ascii_lowercase())>{credit}</span>
                <span class="agency-card__rating">{rating}</span>
            </p>
            {quote.map(|amount| view! {
                <p class="agency-card__quote">
                    {move || fill(i18n.t().card_quote, &[("amount", (amount.fen() / 100).to_string())])}
                </p>
            })}
            <p class="agency-card__footer">
                {qualification_count} " " {move || i18n.t().card_qualifications}
            </p>
        </article>
    }
}
