//! Log in with user name and password.

use crate::api::{self, ApiError};
use crate::components::{error_text, TextField};
use crate::i18n::{set_title, use_i18n};
use crate::session::use_session;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use market_domain::wire::{Account, LoginRequest};

#[component]
pub fn LoginPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let navigate = use_navigate();
    let query = use_query_map();
    Effect::new(move |_| set_title(i18n.t().login_title, i18n.t()));

    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let login = Action::new_local(|request: &LoginRequest| {
        let request = request.clone();
        async move { api::login(&request).await }
    });
    let failure = RwSignal::new(None::<ApiError>);
    Effect::new(move |_| match login.value().get() {
        Some(Ok(account)) => {
            let account: Account = account;
            session.signed_in(account);
            let next = crate::components::safe_next(query.with_untracked(|q| q.get("next")));
            navigate(next.as_deref().unwrap_or("/account"), Default::default());
        }
        Some(Err(error)) => failure.set(Some(error)),
        None => {}
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        failure.set(None);
        login.dispatch(LoginRequest {
            username: username.get_untracked(),
            password: password.get_untracked(),
        });
    };
    let no_field_error = Signal::derive(|| None::<String>);
    view! {
        <section class="narrow card">
            <h1>{move || i18n.t().login_title}</h1>
            <form class="form" on:submit=on_submit novalidate>
                <TextField
                    name="username"
                    label=Signal::derive(move || i18n.t().field_username.to_owned())
                    value=username
                    error=no_field_error
                    autocomplete="username"
                />
                <TextField
                    name="password"
                    label=Signal::derive(move || i18n.t().field_password.to_owned())
                    value=password
                    error=no_field_error
                    input_type="password"
                    autocomplete="current-password"
                />
                {move || failure.get().map(|error| view! {
                    <p class="form__error" role="alert">{error_text(&error, i18n.t())}</p>
                })}
                <button class="button button--primary button--block" type="submit" disabled=move || login.pending().get()>
                    {move || if login.pending().get() { i18n.t().submitting } else { i18n.t().login_submit }}
                </button>
            </form>
            <p class="form__alt"><a href="/register">{move || i18n.t().login_no_account}</a></p>
        </section>
    }
}
