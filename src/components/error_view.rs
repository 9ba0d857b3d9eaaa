//! The one view for failed requests, with text chosen by the error's code.

use crate::api::ApiError;
use crate::i18n::{use_i18n, Messages};
use leptos::prelude::*;
use market_domain::Locale;

/// User-facing text for an error: the catalogue's words for known cases, the server's otherwise.
pub fn error_text(error: &ApiError, t: &Messages, locale: Locale) -> String {
    match (error.status, error.code.as_str()) {
        (0, _) => t.error_network.to_owned(),
        (_, "not_found") => t.error_not_found.to_owned(),
        (_, "not_authenticated") => t.error_not_authenticated.to_owned(),
        (500..=599, _) => t.error_server.to_owned(),
        _ => error.message_in(locale).to_owned(),
    }
}

/// Shows every error caught by an `ErrorBoundary`.
#[component]
pub fn ErrorView(
    /// The boundary's errors.
    errors: ArcRwSignal<Errors>,
) -> impl IntoView {
    let i18n = use_i18n();
    let texts = move || {
        let (t, locale) = (i18n.t(), i18n.locale.get());
        errors
            .read()
            .iter()
            .map(|(_, e)| match e.downcast_ref::<ApiError>() {
                Some(api_error) => error_text(api_error, t, locale),
                None => e.to_string(),
            })
            .collect::<Vec<_>>()
    };
    view! {
        <section class="error-view" role="alert">
            <h2 class="error-view__title">{move || i18n.t().error_title}</h2>
            <ul class="error-view__list">
                {move || texts().into_iter().map(|text| view! { <li>{text}</li> }).collect_view()}
            </ul>
            <a class="button button--secondary" href="/">{move || i18n.t().back_home}</a>
        </section>
    }
}
