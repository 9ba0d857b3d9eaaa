//! `/complaints`: the list for parties and regulators, and the published anonymous outcomes.

use super::status_class;
use crate::api;
use crate::components::{label, DataTable, TableFrame};
use crate::components::{Loaded, Placeholder};
use crate::i18n::{set_title, use_i18n};
use crate::session::use_session;
use leptos::prelude::*;
use market_domain::complaint::ComplaintView;

#[component]
fn ComplaintTable(
    /// Complaints to list.
    complaints: Vec<ComplaintView>,
    /// The table's accessible name.
    #[prop(into)]
    label: Signal<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    if complaints.is_empty() {
        return view! { <p class="card">{move || i18n.t().complaints_none}</p> }.into_any();
    }
    view! {
        <DataTable label=label columns=&[|t| t.complaint_number, |t| t.complaint_title, |t| t.complaint_target, |t| t.complaint_status, |t| t.complaint_due] frame=TableFrame::Card>
            {complaints.into_iter().map(|c| {
                let status = c.status;
                let due = c.due_at.clone();
                let overdue = c.overdue;
                view! {
                    <tr>
                        <td class="mono">{c.number.clone()}</td>
                        <td><a href=format!("/complaints/{}", c.id)>{c.title.clone()}</a></td>
                        <td>{c.target_name.clone()}</td>
                        <td><span class=status_class(status)>{move || status.name(i18n.locale.get())}</span></td>
                        <td>
                            {due.map(|d| view! { <span>{move || i18n.timestamp(&d)}</span> })}
                            {overdue.then(|| view! { " " <span class="badge badge--danger">{move || i18n.t().complaint_overdue}</span> })}
                        </td>
                    </tr>
                }
            }).collect_view()}
        </DataTable>
    }
    .into_any()
}

#[component]
pub fn ComplaintsPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    Effect::new(move |_| set_title(i18n.t().complaints_title, i18n.t()));
    let signed_in = move || session.account.get().is_some();
    let regulator =
        move || session.account.get().map(|a| a.role) == Some(market_domain::Role::Regulator);
    let mine = LocalResource::new(move || {
        let signed_in = signed_in();
        async move {
            if signed_in {
                api::complaints(false).await.map(Some)
            } else {
                Ok(None)
            }
        }
    });
    let published = LocalResource::new(|| api::complaints(true));
    view! {
        <section class="complaints">
            <header class="page-header">
                <h1>{move || i18n.t().complaints_title}</h1>
                {move || (signed_in() && !regulator()).then(|| view! {
                    <a class="button button--primary" href="/complaints/new">{move || i18n.t().complaints_new}</a>
                })}
            </header>
            <p class="lead">{move || i18n.t().complaints_intro}</p>
            <Loaded data=mine placeholder=Placeholder::Cards(2) let:mine>
                {
                    let title = Signal::derive(move || {
                        if regulator() { i18n.t().complaints_all } else { i18n.t().complaints_mine }.to_owned()
                    });
                    mine.map(|complaints| view! {
                        <h2>{title}</h2>
                        <ComplaintTable complaints label=title />
                    })
                }
            </Loaded>
            <h2>{move || i18n.t().complaints_published}</h2>
            <Loaded data=published placeholder=Placeholder::Cards(2) let:complaints>
                {
                    view! {
                        <ComplaintTable complaints label=label(|t| t.complaints_published) />
                    }
                }
            </Loaded>
        </section>
    }
}
