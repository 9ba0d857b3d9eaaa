//! Log in with user name and password.

use crate::api;
use crate::components::label;
use crate::components::Feedback;
use crate::components::TextField;
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
    let feedback = Feedback::new();
    Effect::new(move |_| match login.value().get() {
        Some(Ok(account)) => {
            let account: Account = account;
            session.signed_in(account);
            let next = crate::components::safe_next(query.with_untracked(|q| q.get("next")));
            navigate(next.as_deref().unwrap_or("/account"), Default::default());
        }
        Some(Err(error)) => feedback.refused(error),
        None => {}
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        feedback.clear();
        login.dispatch(LoginRequest {
            username: username.get_untracked(),
            password: password.get_untracked(),
        });
    };
    view! {
        <section class="narrow card">
            <h1>{move || i18n.t().login_title}</h1>
            <form class="form" on:submit=on_submit novalidate>
                <TextField
                    name="username"
                    label=label(|t| t.field_username)
                    value=username
                    error=feedback.field("username")
                    autocomplete="username"
                />
                <TextField
                    name="password"
                    label=label(|t| t.field_password)
                    value=password
                    error=feedback.field("password")
                    input_type="password"
                    autocomplete="current-password"
                />
                {feedback.view()}
                <button class="button button--primary button--block" type="submit" disabled=move || login.pending().get()>
                    {move || if login.pending().get() { i18n.t().submitting } else { i18n.t().login_submit }}
                </button>
            </form>
            <p class="form__alt"><a href="/register">{move || i18n.t().login_no_account}</a></p>
        </section>
    }
}
