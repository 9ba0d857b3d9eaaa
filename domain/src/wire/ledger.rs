//! Bodies of the public ledger: daily roots and the audit of every job's hash chain.

use super::*;

/// One published daily root over every job's hash chain (see [`crate::chain`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DailyRootView {
    /// The city date `YYYY-MM-DD` whose end the root covers.
    pub day: String,
    pub root: String,
    pub jobs: i64,
    pub events: i64,
    pub computed_at: String,
    /// 2: chained to the root of the day before (see [`crate::chain`]); 1: over every job's head,
    /// as roots were sealed before the chained scheme.
    pub scheme: u8,
}

/// The first broken link of a chain, as the server found it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BrokenLinkView {
    pub job_id: i64,
    pub seq: i64,
    pub code: String,
    pub message: String,
    #[serde(default)]
    pub message_en: String,
}

/// A stored daily root that no longer matches the events it covered.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RootMismatch {
    pub day: String,
    pub stored: String,
    pub recomputed: String,
}

/// The server's check of every chain and every stored root.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChainAudit {
    pub checked_jobs: i64,
    pub checked_events: i64,
    pub broken: Vec<BrokenLinkView>,
    pub root_mismatches: Vec<RootMismatch>,
    /// The root over the chains as they stand now (today's, not yet sealed).
    pub current_root: String,
    pub checked_at: String,
}

/// The server's check of one job's chain.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChainCheck {
    pub job_id: i64,
    pub events: i64,
    /// The last hash when the chain verifies.
    pub head: Option<String>,
    pub broken: Option<BrokenLinkView>,
}
