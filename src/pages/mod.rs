//! One module per route.

mod account;
mod agency;
mod directory;
mod login;
mod not_found;
mod register;

pub use account::AccountPage;
pub use agency::AgencyPage;
pub use directory::DirectoryPage;
pub use login::LoginPage;
pub use not_found::NotFoundPage;
pub use register::RegisterPage;

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
