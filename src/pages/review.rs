//! The fee regulator's review queue and the side-by-side review of one submission.

use crate::api::{self, ApiError};
use crate::components::{error_text, DetailSkeleton, ErrorView};
use crate::i18n::{fill, set_title, use_i18n};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use market_domain::listing::{diff, DecisionRequest, ReviewDecision};
use market_domain::wire::ReviewDetail;

#[component]
pub fn ReviewQueuePage() -> impl IntoView {
    let i18n = use_i18n();
    Effect::new(move |_| set_title(i18n.t().review_title, i18n.t()));
    let queue = LocalResource::new(api::review_queue);
    view! {
        <section>
            <h1>{move || i18n.t().review_title}</h1>
            <Transition fallback=|| view! { <DetailSkeleton /> }>
                <ErrorBoundary fallback=|errors| view! { <ErrorView errors /> }>
                    {move || Suspend::new(async move {
                        let queue = queue.await?;
                        Ok::<_, ApiError>(if queue.items.is_empty() {
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
                        })
                    })}
                </ErrorBoundary>
            </Transition>
        </section>
    }
}

#[component]
pub fn ReviewPage() -> impl IntoView {
    let id = super::use_id_param();
    let detail = LocalResource::new(move || api::review_version(id.get()));
    view! {
        <section>
            <Transition fallback=|| view! { <DetailSkeleton /> }>
                <ErrorBoundary fallback=|errors| view! { <ErrorView errors /> }>
                    {move || Suspend::new(async move {
                        let detail = detail.await?;
                        Ok::<_, ApiError>(view! { <ReviewView detail /> })
                    })}
                </ErrorBoundary>
            </Transition>
        </section>
    }
}

#[component]
fn ReviewView(
    /// The submission and the currently public version.
    detail: ReviewDetail,
) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let name = detail.version.draft.name.clone();
    let title_name = name.clone();
    Effect::new(move |_| {
        set_title(
            &fill(
                i18n.t().review_detail_title,
                &[("name", title_name.clone())],
            ),
            i18n.t(),
        )
    });
    let only_changes = RwSignal::new(false);
    let before = detail.current.as_ref().map(|v| v.draft.clone());
    let after = detail.version.draft.clone();
    let rows = move || {
        diff(before.as_ref(), &after, i18n.locale.get())
            .into_iter()
            .filter(|c| !only_changes.get() || c.changed())
            .collect::<Vec<_>>()
    };
    let version_id = detail.version.id;
    let decision = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::<market_domain::FieldError>::new());
    let failure = RwSignal::new(None::<ApiError>);
    let decide = Action::new_local(move |request: &DecisionRequest| {
        let request = request.clone();
        async move { api::decide(version_id, &request).await }
    });
    Effect::new(move |_| match decide.value().get() {
        Some(Ok(_)) => navigate("/review", Default::default()),
        Some(Err(error)) => {
            let found = error.field_errors();
            if found.is_empty() {
                failure.set(Some(error))
            } else {
                errors.set(found)
            }
        }
        None => {}
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        failure.set(None);
        let request = DecisionRequest {
            decision: decision.get_untracked(),
            reason: reason.get_untracked(),
        };
        match request.parse() {
            Ok(_) => {
                errors.set(Vec::new());
                decide.dispatch(request);
            }
            Err(found) => errors.set(found),
        }
    };
    let error_for = move |field: &'static str| {
        move || {
            let locale = i18n.locale.get();
            errors.get().iter().find(|e| e.field == field).map(|e| view! { <span class="field__error" role="alert">{e.message_in(locale).to_owned()}</span> })
        }
    };
    view! {
        <h1>{move || fill(i18n.t().review_detail_title, &[("name", name.clone())])}</h1>
        <label class="checkbox">
            <input type="checkbox" prop:checked=move || only_changes.get() on:change:target=move |ev| only_changes.set(ev.target().checked()) />
            {move || i18n.t().review_only_changes}
        </label>
        <div class="table-scroll card" tabindex="0">
            <table class="table diff">
                <thead><tr>
                    <th scope="col">{move || i18n.t().review_field}</th>
                    <th scope="col">{move || i18n.t().review_before}</th>
                    <th scope="col">{move || i18n.t().review_after}</th>
                </tr></thead>
                <tbody>
                    {move || rows().into_iter().map(|change| {
                        let class = match (change.changed(), change.fee) {
                            (true, true) => "diff__row diff__row--changed diff__row--fee",
                            (true, false) => "diff__row diff__row--changed",
                            _ => "diff__row",
                        };
                        view! {
                            <tr class=class>
                                <th scope="row">{change.label.clone()}</th>
                                <td>{change.before.clone().unwrap_or_else(|| "—".into())}</td>
                                <td>{change.after.clone().unwrap_or_else(|| "—".into())}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        <form class="form card" on:submit=on_submit novalidate>
            <fieldset class="choices choices--three">
                <legend>{move || i18n.t().review_decision}</legend>
                {ReviewDecision::ALL.into_iter().map(|d| view! {
                    <label class="choice" class:choice--selected=move || decision.get() == d.code()>
                        <input type="radio" name="decision" value=d.code() on:change=move |_| decision.set(d.code().to_owned()) />
                        <span class="choice__label">{move || d.name(i18n.locale.get())}</span>
                    </label>
                }).collect_view()}
            </fieldset>
            <p class="field__message">{error_for("decision")}</p>
            <div class="field">
                <label class="field__label" for="field-reason">{move || i18n.t().review_reason}</label>
                <textarea class="field__input" id="field-reason" rows="3" prop:value=move || reason.get() on:input:target=move |ev| reason.set(ev.target().value())></textarea>
                <p class="field__message">{error_for("reason")}</p>
            </div>
            {move || failure.get().map(|error| view! { <p class="form__error" role="alert">{error_text(&error, i18n.t())}</p> })}
            <button class="button button--primary" type="submit" disabled=move || decide.pending().get()>{move || i18n.t().review_submit}</button>
        </form>
    }
}
