//! Labelled inputs that show a hint, or the field's error in its place.

use crate::i18n::{use_i18n, Messages};
use leptos::prelude::*;
use market_domain::FieldError;

/// A label (or any text) from the catalogue that follows the locale, for a field's `label`.
pub fn label(pick: fn(&Messages) -> &'static str) -> Signal<String> {
    let i18n = use_i18n();
    Signal::derive(move || pick(i18n.t()).to_owned())
}

/// The message for `field` among `errors`, in the current locale, for a field's error slot.
pub fn field_error(errors: RwSignal<Vec<FieldError>>, field: String) -> Signal<Option<String>> {
    let i18n = use_i18n();
    Signal::derive(move || {
        let locale = i18n.locale.get();
        errors
            .get()
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message_in(locale).to_owned())
    })
}

#[component]
pub fn TextField(
    /// Form field name; also the id prefix and the API's field name.
    name: &'static str,
    /// Visible label (reactive, follows the locale).
    #[prop(into)]
    label: Signal<String>,
    /// The field's value, two-way.
    value: RwSignal<String>,
    /// Error to show under the field, if any.
    #[prop(into)]
    error: Signal<Option<String>>,
    /// Help text shown while there is no error.
    #[prop(optional, into)]
    hint: Option<Signal<String>>,
    /// HTML input type.
    #[prop(default = "text")]
    input_type: &'static str,
    /// Browser autofill hint.
    #[prop(default = "off")]
    autocomplete: &'static str,
    /// Called when the field loses focus, to validate it.
    #[prop(optional)]
    on_blur: Option<Callback<()>>,
    /// Element id, when the same field repeats on a page; defaults to `field-{name}`.
    #[prop(optional, into)]
    id: Option<String>,
) -> impl IntoView {
    let id = id.unwrap_or_else(|| format!("field-{name}"));
    let message_id = format!("{id}-message");
    let has_error = move || error.get().is_some();
    view! {
        <div class="field" class:field--invalid=has_error>
            <label class="field__label" for=id.clone()>{label}</label>
            <input
                class="field__input"
                id=id
                name=name
                type=input_type
                autocomplete=autocomplete
                aria-invalid=move || if has_error() { "true" } else { "false" }
                aria-describedby=message_id.clone()
                prop:value=move || value.get()
                on:input:target=move |ev| value.set(ev.target().value())
                on:blur=move |_| {
                    if let Some(callback) = on_blur {
                        callback.run(());
                    }
                }
            />
            <p class="field__message" id=message_id>
                {move || match error.get() {
                    Some(message) => view! { <span class="field__error">{message}</span> }.into_any(),
                    None => view! { <span class="field__hint">{hint.map(|h| h.get())}</span> }.into_any(),
                }}
            </p>
        </div>
    }
}

#[component]
pub fn SelectField(
    /// Form field name; also the id prefix and the API's field name.
    name: &'static str,
    /// Visible label.
    #[prop(into)]
    label: Signal<String>,
    /// Selected option value, two-way; empty for none.
    value: RwSignal<String>,
    /// `(value, label)` pairs, reactive so labels follow the locale.
    #[prop(into)]
    options: Signal<Vec<(String, String)>>,
    /// Label of the empty choice.
    #[prop(into)]
    placeholder: Signal<String>,
    /// Error to show under the field, if any.
    #[prop(into)]
    error: Signal<Option<String>>,
) -> impl IntoView {
    let id = format!("field-{name}");
    view! {
        <div class="field" class:field--invalid=move || error.get().is_some()>
            <label class="field__label" for=id.clone()>{label}</label>
            <select
                class="field__input"
                id=id
                name=name
                aria-invalid=move || if error.get().is_some() { "true" } else { "false" }
                on:change:target=move |ev| value.set(ev.target().value())
            >
                <option value="" selected=move || value.get().is_empty()>{placeholder}</option>
                {move || {
                    options
                        .get()
                        .into_iter()
                        .map(|(code, text)| {
                            let selected_code = code.clone();
                            view! {
                                <option value=code selected=move || value.get() == selected_code>{text}</option>
                            }
                        })
                        .collect_view()
                }}
            </select>
            <p class="field__message">
                {move || error.get().map(|message| view! { <span class="field__error">{message}</span> })}
            </p>
        </div>
    }
}
