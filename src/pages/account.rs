//! The signed-in user's own page.

use crate::components::{Badge, BadgeVariant};
use crate::i18n::{set_title, use_i18n};
use crate::session::use_session;
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate};
use market_domain::wire::{Account, ListingStatus};
use market_domain::Role;

#[component]
pub fn AccountPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let navigate = use_navigate();
    Effect::new(move |_| set_title(i18n.t().account_title, i18n.t()));
    let location = use_location();
    Effect::new(move |_| {
        // Only while this page is showing: logging out elsewhere navigates away first.
        let still_here = location.pathname.get_untracked() == "/account";
        if session.checked.get() && session.account.get().is_none() && still_here {
            navigate("/login", Default::default());
        }
    });
    view! {
        <section class="narrow card">
            <h1>{move || i18n.t().account_title}</h1>
            {move || session.account.get().map(|account| view! { <AccountDetails account /> })}
        </section>
    }
}

#[component]
fn AccountDetails(
    /// The signed-in account.
    account: Account,
) -> impl IntoView {
    let i18n = use_i18n();
    let role = account.role;
    let created_at = account.created_at.clone();
    let listing = account.listing_status.map(|status| {
        let variant = match status {
            ListingStatus::Approved => BadgeVariant::Success,
            ListingStatus::Pending => BadgeVariant::Warning,
        };
        let public_link = (status == ListingStatus::Approved)
            .then_some(account.agency_id)
            .flatten()
            .map(|id| view! { <a href=format!("/agencies/{id}")>{move || i18n.t().account_view_listing}</a> });
        view! {
            <div class="facts__row">
                <dt>{move || i18n.t().account_listing}</dt>
                <dd>
                    <Badge variant label=Signal::derive(move || status.name(i18n.locale.get()).to_owned()) />
                    <p class="note">
                        {move || match status {
                            ListingStatus::Pending => i18n.t().account_listing_pending_note,
                            ListingStatus::Approved => i18n.t().account_listing_approved_note,
                        }}
                    </p>
                    {public_link}
                </dd>
            </div>
        }
    });
    view! {
        <dl class="facts">
            <div class="facts__row">
                <dt>{move || i18n.t().field_username}</dt>
                <dd class="mono">{account.username.clone()}</dd>
            </div>
            <div class="facts__row">
                <dt>{move || i18n.t().account_role}</dt>
                <dd>{move || role.name(i18n.locale.get())}</dd>
            </div>
            <div class="facts__row">
                <dt>{move || i18n.t().account_organization}</dt>
                <dd>{account.organization_name.clone()}</dd>
            </div>
            {account.credit_code.clone().map(|code| view! {
                <div class="facts__row">
                    <dt>{move || i18n.t().field_credit_code}</dt>
                    <dd class="mono">{code}</dd>
                </div>
            })}
            <div class="facts__row">
                <dt>{move || i18n.t().account_since}</dt>
                <dd>{move || i18n.timestamp(&created_at)}</dd>
            </div>
            {listing}
        </dl>
        <p class="note">
            {move || match role {
                Role::Regulator => i18n.t().account_regulator_note,
                Role::Enterprise => i18n.t().account_enterprise_note,
                Role::ApprovalOfficer => i18n.t().account_officer_note,
                Role::Agency => "",
            }}
        </p>
        {(role == Role::Agency).then(|| view! { <crate::components::AgencyDashboard /> })}
        {(role == Role::Regulator).then(|| view! { <p><a class="button button--primary" href="/review">{move || i18n.t().nav_review}</a></p> })}
    }
}
