//! A rating's scores, one per dimension, as on an agency's page and a job's.

use crate::i18n::{use_i18n, Messages};
use leptos::prelude::*;

/// The five dimensions of a rating (服务评价), in the order the scores are stored.
pub const RATING_DIMENSIONS: [fn(&Messages) -> &'static str; 5] = [
    |t| t.rating_quality,
    |t| t.rating_timeliness,
    |t| t.rating_attitude,
    |t| t.rating_fee,
    |t| t.rating_integrity,
];

/// The five rated dimensions, each as stars.
#[component]
pub fn RatingScores(
    /// Quality, timeliness, attitude, fee compliance and integrity, 1–5 each.
    scores: [u8; 5],
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <dl class="rating-scores">
            {scores.into_iter().zip(RATING_DIMENSIONS).map(|(score, name)| view! {
                <div class="rating-scores__item">
                    <dt>{move || name(i18n.t())}</dt>
                    <dd aria-label=format!("{score}/5")>{"★".repeat(score as usize)}{"☆".repeat(5 - score as usize)}</dd>
                </div>
            }).collect_view()}
        </dl>
    }
}
