//! How a form shows the outcome of its action: field errors under their fields, any other
//! refusal as one message, and what is typed kept either way. Shared by every action form.

use crate::api::ApiError;
use crate::components::{error_text, field_error};
use crate::i18n::use_i18n;
use leptos::prelude::*;
use market_domain::FieldError;

/// A form's outcome: field errors under their fields, any other refusal as one message.
#[derive(Clone, Copy)]
pub struct Feedback {
    pub errors: RwSignal<Vec<FieldError>>,
    pub failure: RwSignal<Option<ApiError>>,
}

impl Default for Feedback {
    fn default() -> Self {
        Self::new()
    }
}

impl Feedback {
    pub fn new() -> Feedback {
        Feedback {
            errors: RwSignal::new(Vec::new()),
            failure: RwSignal::new(None),
        }
    }

    pub fn field(self, name: &str) -> Signal<Option<String>> {
        field_error(self.errors, name.to_owned())
    }

    pub fn clear(self) {
        self.errors.set(Vec::new());
        self.failure.set(None);
    }

    /// Field errors found in the browser before sending: the same shape as the server's.
    pub fn local(self, errors: Vec<FieldError>) {
        self.failure.set(None);
        self.errors.set(errors);
    }

    /// Above the submit button: the refusal that belongs to no field, or, while fields are in
    /// error, a line saying so, since the first marked field may be out of view.
    pub fn view(self) -> impl IntoView {
        let i18n = use_i18n();
        move || {
            let text = match self.failure.get() {
                Some(error) => error_text(&error, i18n.t(), i18n.locale.get()),
                None if !self.errors.with(Vec::is_empty) => i18n.t().form_fix_errors.to_owned(),
                None => return None,
            };
            Some(view! { <p class="form__error" role="alert">{text}</p> })
        }
    }

    /// Routes an action's refusal: field errors to their fields, anything else to the message.
    pub fn refused(self, error: ApiError) {
        let fields = error.field_errors();
        if fields.is_empty() {
            self.failure.set(Some(error));
        } else {
            self.errors.set(fields);
        }
    }
}

/// A labelled multi-line input with its error slot.
pub fn textarea(
    id: String,
    label: Signal<String>,
    value: RwSignal<String>,
    error: Signal<Option<String>>,
) -> impl IntoView {
    view! {
        <div class="field" class:field--invalid=move || error.get().is_some()>
            <label class="field__label" for=id.clone()>{label}</label>
            <textarea class="field__input" id=id rows="3"
                aria-invalid=move || if error.get().is_some() { "true" } else { "false" }
                prop:value=move || value.get() on:input:target=move |ev| value.set(ev.target().value())></textarea>
            <p class="field__message">{move || error.get().map(|m| view! { <span class="field__error">{m}</span> })}</p>
        </div>
    }
}

/// A labelled single-line input of `kind` with its error slot.
pub fn input(
    id: String,
    label: Signal<String>,
    value: RwSignal<String>,
    error: Signal<Option<String>>,
    kind: &'static str,
) -> impl IntoView {
    view! {
        <div class="field" class:field--invalid=move || error.get().is_some()>
            <label class="field__label" for=id.clone()>{label}</label>
            <input class="field__input" id=id type=kind
                aria-invalid=move || if error.get().is_some() { "true" } else { "false" }
                prop:value=move || value.get() on:input:target=move |ev| value.set(ev.target().value()) />
            <p class="field__message">{move || error.get().map(|m| view! { <span class="field__error">{m}</span> })}</p>
        </div>
    }
}
