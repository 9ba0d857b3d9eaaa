//! The agency's dashboard on its account page: listing status, review reasons, suspension
//! banner and qualification expiry warnings.

use crate::api;
use crate::components::Loaded;
use crate::components::{label, DataTable};
use crate::components::{Badge, BadgeVariant};
use crate::i18n::{fill, use_i18n};
use leptos::prelude::*;
use market_domain::listing::VersionStatus;
use market_domain::wire::MyListing;

fn status_variant(status: VersionStatus) -> BadgeVariant {
    match status {
        VersionStatus::Approved => BadgeVariant::Success,
        VersionStatus::Submitted => BadgeVariant::Neutral,
        VersionStatus::Superseded => BadgeVariant::Neutral,
        VersionStatus::Rejected | VersionStatus::ChangesRequested => BadgeVariant::Warning,
    }
}

#[component]
pub fn AgencyDashboard() -> impl IntoView {
    let mine = LocalResource::new(api::my_listing);
    view! {
        <Loaded data=mine let:mine>
            {view! { <DashboardView mine /> }}
        </Loaded>
    }
}

#[component]
fn DashboardView(
    /// The agency's listing state.
    mine: MyListing,
) -> impl IntoView {
    let i18n = use_i18n();
    let suspension = mine.suspension.clone().map(|s| {
        let blacklist = s.blacklist;
        view! {
            <div class="banner banner--danger" role="alert">
                <strong>{move || if blacklist { i18n.t().dashboard_blacklisted } else { i18n.t().dashboard_suspended }}</strong>
                <p>{s.reason.clone()} " (" {move || i18n.date(s.starts_on)} " – " {move || i18n.date(s.ends_on)} ")"</p>
                {s.basis.clone().map(|b| view! { <p>{b}</p> })}
            </div>
        }
    });
    let expiring = (!mine.expiring.is_empty()).then(|| {
        let items = mine.expiring.clone();
        view! {
            <div class="banner banner--warning" role="status">
                <p>{move || i18n.t().dashboard_expiring}</p>
                <ul>
                    {items.into_iter().map(|w| {
                        let days = w.days_left;
                        view! {
                            <li>
                                {w.name.clone()} " " {w.number.clone()} " · " {move || i18n.date(w.expires_on)} " · "
                                {move || if days < 0 { i18n.t().expired.to_owned() } else { fill(i18n.t().days_left, &[("n", days.to_string())]) }}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </div>
        }
    });
    let latest = mine.versions.first().cloned().map(|v| {
        let status = v.status;
        view! {
            <div class="facts__row">
                <dt>{move || i18n.t().dashboard_latest}</dt>
                <dd>
                    <Badge variant=status_variant(status) label=Signal::derive(move || status.name(i18n.locale.get()).to_owned()) />
                    " " {move || i18n.t().dashboard_version} " " {v.version_no}
                    {v.decision_reason.clone().map(|reason| view! {
                        <p class="review-reason"><strong>{move || i18n.t().dashboard_reason} ": "</strong>{reason}</p>
                    })}
                </dd>
            </div>
        }
    });
    let public = mine.approved.as_ref().map(|v| v.version_no);
    let history = mine.versions.clone();
    view! {
        {suspension}
        {expiring}
        <dl class="facts">
            <div class="facts__row">
                <dt>{move || i18n.t().dashboard_public_version}</dt>
                <dd>{match public {
                    Some(n) => view! { {move || i18n.t().dashboard_version} " " {n} " · " <a href=format!("/agencies/{}", mine.agency_id)>{move || i18n.t().account_view_listing}</a> }.into_any(),
                    None => view! { <span>"—"</span> }.into_any(),
                }}</dd>
            </div>
            {latest}
        </dl>
        <p><a class="button button--primary" href="/my/listing">{move || i18n.t().dashboard_edit}</a></p>
        <h2>{move || i18n.t().dashboard_history}</h2>
        <DataTable label=label(|t| t.dashboard_history) columns=&[|t| t.dashboard_version, |t| t.dashboard_status, |t| t.dashboard_submitted_at, |t| t.dashboard_reason]>
            {history.into_iter().map(|v| {
                let status = v.status;
                let submitted = v.submitted_at.clone();
                view! {
                    <tr>
                        <td>{v.version_no}</td>
                        <td>{move || status.name(i18n.locale.get())}</td>
                        <td>{move || i18n.timestamp(&submitted)}</td>
                        <td>{v.decision_reason.clone().unwrap_or_default()}</td>
                    </tr>
                }
            }).collect_view()}
        </DataTable>
    }
}
