//! Request and response bodies of the JSON API, shared by the server and the app: what every
//! endpoint shares here (errors, paging, the session), each feature's bodies in its own file.

use crate::account::Role;
use crate::catalog::{District, ServiceType};
use crate::date::CalendarDate;
use crate::error::{FieldError, Locale};
use crate::fee::FeeStandard;
use crate::listing::{ListingDraft, VersionStatus};
use serde::{Deserialize, Serialize};

mod agencies;
mod audit;
mod jobs;
mod ledger;
pub use agencies::*;
pub use audit::*;
pub use jobs::*;
pub use ledger::*;

/// The header every state-changing request must carry (CSRF defence).
pub const CSRF_HEADER: &str = "x-requested-with";
pub const CSRF_HEADER_VALUE: &str = "market-app";

/// The error body of every failed request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorDetail {
    /// Stable machine-readable code, e.g. `invalid_credentials`.
    pub code: String,
    /// Chinese message for the user.
    pub message: String,
    /// The same message in English.
    #[serde(default)]
    pub message_en: String,
    /// The request field in error, if one is to blame.
    pub field: Option<String>,
    /// Every field in error, when a whole form was checked.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldError>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Health {
    pub status: String,
    pub version: String,
}

/// One page of a list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
    /// Where the next page starts (`after=` in the same list's query), when there is one and
    /// the list pages by position rather than by number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
}

impl<T> Page<T> {
    pub fn page_count(&self) -> u32 {
        if self.per_page == 0 {
            return 0;
        }
        self.total.div_ceil(self.per_page as u64) as u32
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
}

/// The signed-in user, as `GET /api/auth/me` returns it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Account {
    pub id: i64,
    pub username: String,
    pub role: Role,
    pub organization_name: String,
    pub credit_code: Option<String>,
    pub contact_person: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    /// For agency accounts: their agency and its listing state.
    pub agency_id: Option<i64>,
    pub listing_status: Option<ListingStatus>,
    pub created_at: String,
}

pub const DEFAULT_PER_PAGE: u32 = 20;
pub const MAX_PER_PAGE: u32 = 100;
/// The last page number a list accepts: 100 000 pages of 100 cover ten million rows, far
/// beyond any list here, and the bound keeps `OFFSET` arithmetic small. The OpenAPI document
/// states the same bound (a test compares them).
pub const MAX_PAGE: u32 = 100_000;

/// `page` from a query string: absent or blank is the first page.
pub fn parse_page(raw: Option<&str>) -> Result<u32, FilterError> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(1),
        Some(p) => p
            .parse::<u32>()
            .ok()
            .filter(|p| (1..=MAX_PAGE).contains(p))
            .ok_or(FilterError::BadPage),
    }
}

/// `per_page` from a query string: absent or blank is the default size.
pub fn parse_per_page(raw: Option<&str>) -> Result<u32, FilterError> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(DEFAULT_PER_PAGE),
        Some(p) => p
            .parse::<u32>()
            .ok()
            .filter(|p| (1..=MAX_PER_PAGE).contains(p))
            .ok_or(FilterError::BadPerPage),
    }
}

/// `GET /api/auth/session`: the signed-in account, or `null` for an anonymous visitor.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionView {
    pub account: Option<Account>,
}
