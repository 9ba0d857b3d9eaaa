//! `/jobs/new`: a new job; the query string may prefill the approval case (from a case page).

use super::form::{JobForm, JobFormView};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use market_domain::job::JobState;

/// `/jobs/new`; the query string may prefill the approval case (from a case page).
#[component]
pub fn JobNewPage() -> impl IntoView {
    let query = use_query_map();
    let form = JobForm::empty(crate::i18n::use_i18n().locale.get_untracked());
    query.with_untracked(|q| {
        let prefill = |key: &str, signal: RwSignal<String>| {
            if let Some(value) = q.get(key) {
                signal.set(value);
            }
        };
        prefill("project_code", form.project_code);
        prefill("project_name", form.project_name);
        prefill("approval_item", form.approval_item);
        prefill("approving_department", form.approving_department);
        prefill("service_type", form.service_type);
    });
    view! { <JobFormView form job_id=None state=JobState::Draft /> }
}
