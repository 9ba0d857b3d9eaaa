//! Bodies of the audit log export: who changed what, from where, with what outcome.

use super::*;

/// One audited request or sign-in event.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditRecordView {
    pub id: i64,
    /// RFC 3339, city time.
    pub at: String,
    /// The signed-in user, if any (an integration's requests name the integration instead).
    pub user_id: Option<i64>,
    pub username: Option<String>,
    /// The caller's address.
    pub ip: String,
    /// `login`, `logout`, `register`, or the method and path of a state change, e.g.
    /// `POST /api/jobs/12/bids`.
    pub event: String,
    /// `success`, `failure`, `locked`, or the HTTP status a state change was answered with.
    pub outcome: String,
}

/// A page of the audit log, oldest first. `next_after` continues it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditPage {
    pub items: Vec<AuditRecordView>,
    /// Pass as `after` for the next page; absent on the last page.
    pub next_after: Option<i64>,
}
