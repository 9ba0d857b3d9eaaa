//! `/review/:id`: the side-by-side review of one submission.

use crate::api;
use crate::components::Loaded;
use crate::components::{label, textarea, Feedback};
use crate::i18n::{fill, set_title, use_i18n};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use market_domain::listing::{diff, DecisionRequest, ReviewDecision};
use market_domain::wire::ReviewDetail;

#[component]
pub fn ReviewPage() -> impl IntoView {
    let id = crate::pages::use_id_param();
    let detail = LocalResource::new(move || api::review_version(id.get()));
    view! {
        <section>
            <Loaded data=detail let:detail>
                {view! { <ReviewView detail /> }}
            </Loaded>
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
    let feedback = Feedback::new();
    let decide = Action::new_local(move |request: &DecisionRequest| {
        let request = request.clone();
        async move { api::decide(version_id, &request).await }
    });
    Effect::new(move |_| match decide.value().get() {
        Some(Ok(_)) => navigate("/review", Default::default()),
        Some(Err(error)) => feedback.refused(error),
        None => {}
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let request = DecisionRequest {
            decision: decision.get_untracked(),
            reason: reason.get_untracked(),
        };
        match request.parse() {
            Ok(_) => {
                feedback.clear();
                decide.dispatch(request);
            }
            Err(found) => feedback.local(found),
        }
    };
    let decision_error = feedback.field("decision");
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
            <p class="field__message">{move || decision_error.get().map(|m| view! { <span class="field__error" role="alert">{m}</span> })}</p>
            {textarea("field-reason".to_owned(), label(|t| t.review_reason), reason, feedback.field("reason"))}
            {feedback.view()}
            <button class="button button--primary" type="submit" disabled=move || decide.pending().get()>{move || i18n.t().review_submit}</button>
        </form>
    }
}
