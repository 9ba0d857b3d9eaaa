//! The screens, one module per URL.

// One file per URL: `/jobs/:id` is `jobs/show.rs`, `/my/listing` is `my/listing.rs`; a
// folder's `mod.rs` holds only what its screens share.
mod account;
mod agencies;
mod api_docs;
mod cases;
mod complaints;
mod directory;
mod fees;
mod jobs;
mod ledger;
mod login;
mod my;
mod not_found;
mod notifications;
mod oversight;
mod register;
mod review;
mod statistics;

pub use account::AccountPage;
pub use agencies::show::AgencyPage;
pub use api_docs::ApiDocsPage;
pub use cases::list::CasesPage;
pub use cases::show::CasePage;
pub use complaints::list::ComplaintsPage;
pub use complaints::new::ComplaintNewPage;
pub use complaints::show::ComplaintPage;
pub use directory::DirectoryPage;
pub use fees::FeesPage;
pub use jobs::edit::JobEditPage;
pub use jobs::list::JobsPage;
pub use jobs::new::JobNewPage;
pub use jobs::show::JobPage;
pub use ledger::LedgerPage;
pub use login::LoginPage;
pub use my::jobs::MyJobsPage;
pub use my::listing::ListingEditorPage;
pub use not_found::NotFoundPage;
pub use notifications::NotificationsPage;
pub use oversight::OversightPage;
pub use register::RegisterPage;
pub use review::list::ReviewQueuePage;
pub use review::show::ReviewPage;
pub use statistics::StatisticsPage;

use crate::api::ApiError;
use market_domain::FieldError;

/// A local validation failure, shaped like the server's, so one view shows both.
pub(crate) fn field_error_to_api(error: FieldError) -> ApiError {
    ApiError {
        status: 422,
        code: error.code.clone(),
        message: error.message.clone(),
        message_en: error.message_en.clone(),
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
