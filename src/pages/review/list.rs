//! `/review`: the fee regulator's queue of submitted listings.

use crate::api;
use crate::components::Loaded;
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
                            <div class="table-scroll card" tabindex="0">
                                <table class="table">
                                    <thead><tr>
                                        <th scope="col">{move || i18n.t().review_agency}</th>
                                        <th scope="col">{move || i18n.t().review_kind}</th>
                                        <th scope="col">{move || i18n.t().dashboard_version}</th>
                                        <th scope="col">{move || i18n.t().dashboard_submitted_at}</th>
                                        <th scope="col"></th>
                                    </tr></thead>
                                    <tbody>
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
                                    </tbody>
                                </table>
                            </div>
                        }.into_any()
                    }
                }
            </Loaded>
        </section>
    }
}
