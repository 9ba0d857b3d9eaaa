//! Self-registration for project owners and agencies, checked field by field in the browser
//! with the same domain parsers the server uses.

use crate::api;
use crate::components::label;
use crate::components::Feedback;
use crate::components::{SelectField, TextField};
use crate::i18n::{set_title, use_i18n};
use crate::session::use_session;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use market_domain::account::RegisterRequest;
use market_domain::{District, FieldError, Role};
use std::collections::HashSet;

#[derive(Clone, Copy)]
struct RegisterForm {
    role: RwSignal<String>,
    username: RwSignal<String>,
    password: RwSignal<String>,
    organization_name: RwSignal<String>,
    credit_code: RwSignal<String>,
    contact_person: RwSignal<String>,
    phone: RwSignal<String>,
    email: RwSignal<String>,
    district: RwSignal<String>,
}

impl RegisterForm {
    fn new() -> Self {
        RegisterForm {
            role: RwSignal::new(Role::Enterprise.as_str().to_owned()),
            username: RwSignal::new(String::new()),
            password: RwSignal::new(String::new()),
            organization_name: RwSignal::new(String::new()),
            credit_code: RwSignal::new(String::new()),
            contact_person: RwSignal::new(String::new()),
            phone: RwSignal::new(String::new()),
            email: RwSignal::new(String::new()),
            district: RwSignal::new(String::new()),
        }
    }

    fn request(&self) -> RegisterRequest {
        let is_agency = self.role.get_untracked() == Role::Agency.as_str();
        RegisterRequest {
            role: self.role.get_untracked(),
            username: self.username.get_untracked(),
            password: self.password.get_untracked(),
            organization_name: self.organization_name.get_untracked(),
            credit_code: self.credit_code.get_untracked(),
            contact_person: self.contact_person.get_untracked(),
            phone: self.phone.get_untracked(),
            email: self.email.get_untracked(),
            district: is_agency.then(|| self.district.get_untracked()),
        }
    }
}

fn validate(request: &RegisterRequest) -> Vec<FieldError> {
    request.parse().err().unwrap_or_default()
}

#[component]
pub fn RegisterPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let navigate = use_navigate();
    Effect::new(move |_| set_title(i18n.t().register_title, i18n.t()));

    let form = RegisterForm::new();
    let feedback = Feedback::new();
    // Fields are checked once the user has left them, so nobody is scolded while typing.
    let touched = RwSignal::new(HashSet::<&'static str>::new());

    let recheck = move || {
        let seen = touched.get_untracked();
        feedback.local(
            validate(&form.request())
                .into_iter()
                .filter(|e| seen.contains(e.field.as_str()))
                .collect(),
        );
    };
    let blur = move |field: &'static str| {
        Callback::new(move |()| {
            touched.update(|t| {
                t.insert(field);
            });
            recheck();
        })
    };
    let error_for = move |field: &'static str| feedback.field(field);

    let register = Action::new_local(|request: &RegisterRequest| {
        let request = request.clone();
        async move { api::register(&request).await }
    });
    Effect::new(move |_| match register.value().get() {
        Some(Ok(account)) => {
            session.signed_in(account);
            navigate("/account", Default::default());
        }
        Some(Err(error)) => feedback.refused(error),
        None => {}
    });

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let request = form.request();
        let found = validate(&request);
        if found.is_empty() {
            feedback.clear();
            register.dispatch(request);
        } else {
            touched.update(|t| t.extend(found.iter().filter_map(|e| field_name(&e.field))));
            feedback.local(found);
        }
    };

    let is_agency = move || form.role.get() == Role::Agency.as_str();
    let district_options = Signal::derive(move || {
        let locale = i18n.locale.get();
        District::ALL
            .iter()
            .map(|d| (d.code().to_owned(), d.name(locale).to_owned()))
            .collect::<Vec<_>>()
    });
    let role_option = move |role: Role, hint: fn(&crate::i18n::Messages) -> &'static str| {
        view! {
            <label class="choice" class:choice--selected=move || form.role.get() == role.as_str()>
                <input
                    type="radio"
                    name="role"
                    value=role.as_str()
                    prop:checked=move || form.role.get() == role.as_str()
                    on:change=move |_| form.role.set(role.as_str().to_owned())
                />
                <span class="choice__label">{move || role.name(i18n.locale.get())}</span>
                <span class="choice__hint">{move || hint(i18n.t())}</span>
            </label>
        }
    };

    view! {
        <section class="narrow card">
            <h1>{move || i18n.t().register_title}</h1>
            <p class="lead">{move || i18n.t().register_intro}</p>
            <form class="form" on:submit=on_submit novalidate>
                <fieldset class="choices">
                    <legend>{move || i18n.t().register_role}</legend>
                    {role_option(Role::Enterprise, |t| t.register_role_enterprise_hint)}
                    {role_option(Role::Agency, |t| t.register_role_agency_hint)}
                    <p class="choices__note">{move || i18n.t().register_regulator_note}</p>
                </fieldset>
                <TextField name="username" label=label(|t| t.field_username) value=form.username
                    error=error_for("username") hint=label(|t| t.field_username_hint)
                    autocomplete="username" on_blur=blur("username") />
                <TextField name="password" label=label(|t| t.field_password) value=form.password
                    error=error_for("password") hint=label(|t| t.field_password_hint)
                    input_type="password" autocomplete="new-password" on_blur=blur("password") />
                <TextField name="organization_name" label=label(|t| t.field_organization_name)
                    value=form.organization_name error=error_for("organization_name")
                    autocomplete="organization" on_blur=blur("organization_name") />
                <TextField name="credit_code" label=label(|t| t.field_credit_code) value=form.credit_code
                    error=error_for("credit_code") hint=label(|t| t.field_credit_code_hint)
                    on_blur=blur("credit_code") />
                <Show when=is_agency>
                    <SelectField name="district" label=label(|t| t.field_district) value=form.district
                        options=district_options placeholder=label(|t| t.field_choose)
                        error=error_for("district") />
                </Show>
                <TextField name="contact_person" label=label(|t| t.field_contact_person)
                    value=form.contact_person error=error_for("contact_person")
                    autocomplete="name" on_blur=blur("contact_person") />
                <TextField name="phone" label=label(|t| t.field_phone) value=form.phone
                    error=error_for("phone") input_type="tel" autocomplete="tel" on_blur=blur("phone") />
                <TextField name="email" label=label(|t| t.field_email) value=form.email
                    error=error_for("email") input_type="email" autocomplete="email" on_blur=blur("email") />
                {feedback.view()}
                <button class="button button--primary button--block" type="submit" disabled=move || register.pending().get()>
                    {move || if register.pending().get() { i18n.t().submitting } else { i18n.t().register_submit }}
                </button>
            </form>
            <p class="form__alt"><a href="/login">{move || i18n.t().register_have_account}</a></p>
        </section>
    }
}

/// The static name of a form field, for the touched set.
fn field_name(field: &str) -> Option<&'static str> {
    [
        "role",
        "username",
        "password",
        "organization_name",
        "credit_code",
        "contact_person",
        "phone",
        "email",
        "district",
    ]
    .into_iter()
    .find(|name| *name == field)
}
