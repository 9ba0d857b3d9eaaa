//! One module per route.

mod account;
mod agency;
mod api_docs;
mod cases;
mod complaints;
mod dashboard;
mod directory;
pub mod fees;
mod forms;
mod job_actions;
mod job_form;
mod jobs;
mod ledger;
mod listing_editor;
mod login;
mod my_jobs;
mod not_found;
mod notifications;
mod oversight;
mod register;
mod review;
mod statistics;

pub use account::AccountPage;
pub use agency::AgencyPage;
pub use api_docs::ApiDocsPage;
pub use cases::{CasePage, CasesPage};
pub use complaints::{ComplaintNewPage, ComplaintPage, ComplaintsPage};
pub use directory::DirectoryPage;
pub use fees::FeesPage;
pub use job_form::{JobEditPage, JobNewPage};
pub use jobs::{JobPage, JobsPage};
pub use ledger::LedgerPage;
pub use listing_editor::ListingEditorPage;
pub use login::LoginPage;
pub use my_jobs::MyJobsPage;
pub use not_found::NotFoundPage;
pub use notifications::NotificationsPage;
pub use oversight::OversightPage;
pub use register::RegisterPage;
pub use review::{ReviewPage, ReviewQueuePage};
pub use statistics::StatisticsPage;

use crate::api::ApiError;
use market_domain::FieldError;

/// A local validation failure, shaped like the server's, so one view shows both.
pub(crate) fn field_error_to_api(error: FieldError) -> ApiError {
    ApiError {
        status: 422,
        code: error.code.clone(),
        message: error.message.clone(),
        field: Some(error.field.clone()),
        fields: vec![error],
    }
}

/// The route's `:id` as a number; 0 (which no record has, so the API answers 404) when it is not.
pub(crate) fn use_id_param() -> leptos::prelude::Memo<i64> {
    use leptos::prelude::*;
    let params = leptos_router::hooks::use_params_map();
    Memo::new(move |_| {
        params
            .read()
            .get("id")
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or(0)
    })
}
