//! `/review`: the fee regulator's queue of submitted listings.

use crate::api;
use crate::components::Loaded;
use crate::components::{label, DataTable, TableFrame};
use crate::i18n::{set_title, use_i18n};
use leptos::prelude::*;

#[component]
pub fn ReviewQueuePage() -> impl IntoView {
    let i18n = use_i18n();
    Effect::new(move |_| set_title(i18n.t().review_title, i18n.t()));
    let queue = LocalResource::new(api::review_queue);
    view! {
        <section>
            <h1>{move || i18n.t().review_title}</h1>
            <Loaded data=queue let:queue>
                {
                    if queue.items.is_empty() {
                        view! { <p class="card">{move || i18n.t().review_empty}</p> }.into_any()
                    } else {
                        view! {
                            <DataTable label=label(|t| t.review_title) columns=&[|t| t.review_agency, |t| t.review_kind, |t| t.dashboard_version, |t| t.dashboard_submitted_at, |_| ""] frame=TableFrame::Card>
                                {queue.items.into_iter().map(|item| {
                                    let submitted = item.submitted_at.clone();
                                    let first = item.first_listing;
                                    view! {
                                        <tr>
                                            <td>{item.agency_name.clone()}</td>
                                            <td>{move || if first { i18n.t().review_first } else { i18n.t().review_update }}</td>
                                            <td>{item.version_no}</td>
                                            <td>{move || i18n.timestamp(&submitted)}</td>
                                            <td><a class="button button--secondary" href=format!("/review/{}", item.version_id)>{move || i18n.t().review_open}</a></td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </DataTable>
                        }.into_any()
                    }
                }
            </Loaded>
        </section>
    }
}
