//! Bodies of jobs, bids, awards, objections, contracts and ratings.

use super::*;
pub use crate::award::{AwardRequest, ScoreSheet};
pub use crate::bid::BidRequest;

/// A job as listed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct JobSummary {
    pub id: i64,
    pub project_name: String,
    pub project_code: String,
    pub service_type: ServiceType,
    pub state: crate::job::JobState,
    pub selection_method: crate::selection::SelectionKind,
    pub budget_ceiling: crate::money::Money,
    /// RFC 3339; `None` for a draft without one.
    pub deadline: Option<String>,
    /// Valid bids; `None` while bids are sealed (招标投标法 Art. 22: nobody learns before
    /// opening whether or how many bids exist).
    pub bid_count: Option<u32>,
    pub enterprise_name: String,
}

/// A job in full. Bids are never part of it: they have their own sealed endpoint.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct JobView {
    pub id: i64,
    pub state: crate::job::JobState,
    pub enterprise_name: String,
    pub terms: crate::job::JobDraft,
    /// Bumped whenever published terms change; bids on an older revision are void.
    pub terms_revision: u32,
    pub deadline: Option<String>,
    /// Valid bids; `None` while bids are sealed.
    pub bid_count: Option<u32>,
    pub selection_method: crate::selection::SelectionKind,
    /// SHA-256 commitment of the random draw's seed, published with the job.
    pub draw_commitment: Option<String>,
    pub unsuccessful_reason: Option<String>,
    pub published_at: Option<String>,
    pub created_at: String,
    /// Set from the award on (中选公告).
    pub award: Option<AwardView>,
    /// The signed-in reader's part in this job, so the page offers the right actions.
    #[serde(default)]
    pub viewer: JobViewer,
    /// The approval case the job serves, for readers who may see that case.
    #[serde(default)]
    pub case: Option<JobCaseLink>,
}

/// A compact card of the case a job serves.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct JobCaseLink {
    pub id: i64,
    pub case_number: String,
    pub item_name: String,
    pub status: crate::approval::CaseStatus,
    /// The latest technical review of this job's service on that case, if any.
    #[serde(default)]
    pub review: Option<crate::approval::ReviewResult>,
    #[serde(default)]
    pub review_note: String,
}

/// How the reader of a job takes part in it; all false for the public.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct JobViewer {
    pub is_owner: bool,
    pub is_bidder: bool,
    pub is_winner: bool,
}

/// `GET /api/my/jobs`: an enterprise's own jobs (drafts included); for an agency, the open jobs
/// it may bid on and the jobs it has bid on.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MyJobs {
    /// The newest of the enterprise's jobs; all of them page through `/api/jobs?mine=1`.
    pub owned: Vec<JobSummary>,
    #[serde(default)]
    pub owned_total: u64,
    /// Open jobs the agency may bid on, among the newest in its services.
    pub qualified: Vec<JobSummary>,
    /// The newest jobs the agency has bid on; all of them page through `/api/jobs?mine=1`.
    pub bidding: Vec<JobSummary>,
    #[serde(default)]
    pub bidding_total: u64,
}

/// `GET /api/jobs/{id}/eligibility`: whether the signed-in agency may bid and, if not, why; and
/// what the bid form needs to preview the fee flags with the same rule the server applies.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BidEligibility {
    pub eligible: bool,
    /// The refusal's code and (Chinese) message when not eligible.
    pub code: Option<String>,
    pub message: Option<String>,
    /// The refusal itself, which the app renders in the reader's language.
    #[serde(default)]
    pub reason: Option<crate::bid::Ineligible>,
    /// The agency's own approved standard for the job's service type.
    pub fee_standard: Option<crate::fee::FeeStandard>,
    pub floor_ratio_bp: u32,
    /// The agency's bid on this job, whatever its status.
    pub own_bid: Option<BidView>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum BidStatus {
    Active,
    Withdrawn,
    /// The job's terms changed after the bid: the bidder must confirm again.
    Voided,
}

impl BidStatus {
    pub const ALL: [BidStatus; 3] = [BidStatus::Active, BidStatus::Withdrawn, BidStatus::Voided];

    /// The stored code, equal to the serde name.
    pub fn code(self) -> &'static str {
        match self {
            BidStatus::Active => "active",
            BidStatus::Withdrawn => "withdrawn",
            BidStatus::Voided => "voided",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BidView {
    pub id: i64,
    pub job_id: i64,
    pub agency_id: i64,
    pub agency_name: String,
    pub price: crate::money::Money,
    pub service_days: u32,
    pub commitment: String,
    pub proposal: String,
    pub flags: Vec<crate::selection::FeeFlag>,
    pub status: BidStatus,
    pub submitted_at: String,
    pub updated_at: String,
    /// The receipt of the bid's latest action ([`crate::chain::bid_receipt`]); it enters the
    /// job's public chain when bids are opened.
    #[serde(default)]
    pub receipt: Option<String>,
    /// The nonce that, with the bid, recomputes `receipt`.
    #[serde(default)]
    pub receipt_nonce: Option<String>,
}

pub use crate::job::JobEventView;

/// What the public sees of an award (中选公告).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AwardView {
    pub agency_id: i64,
    pub agency_name: String,
    pub price: crate::money::Money,
    pub method: crate::selection::SelectionKind,
    /// In Chinese, for API clients; `basis` renders it in any language.
    pub reason: String,
    /// Why the winner won; absent on awards stored before it existed.
    #[serde(default)]
    pub basis: Option<crate::award::AwardBasis>,
    pub publicity_ends: String,
    /// True once the publicity period is over with no objection pending.
    pub is_final: bool,
}

/// `GET /api/jobs/{id}/draw`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DrawView {
    pub commitment: String,
    pub candidates_hash: Option<String>,
    /// Agency ids in ascending order: what the hash and the draw are computed over.
    pub candidates: Vec<i64>,
    /// The candidates' names, in the order of `candidates`, for people to read.
    #[serde(default)]
    pub candidate_names: Vec<String>,
    pub seed: Option<String>,
    pub winner: Option<i64>,
    #[serde(default)]
    pub winner_name: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ObjectionStatus {
    Pending,
    Upheld,
    Dismissed,
}

impl ObjectionStatus {
    pub const ALL: [ObjectionStatus; 3] = [
        ObjectionStatus::Pending,
        ObjectionStatus::Upheld,
        ObjectionStatus::Dismissed,
    ];

    /// The stored code, equal to the serde name.
    pub fn code(self) -> &'static str {
        match self {
            ObjectionStatus::Pending => "pending",
            ObjectionStatus::Upheld => "upheld",
            ObjectionStatus::Dismissed => "dismissed",
        }
    }
}

/// An objection (异议) to an award during its publicity period.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ObjectionView {
    pub id: i64,
    pub job_id: i64,
    /// The filer's role, not their identity.
    pub filed_by_role: Role,
    pub reason: String,
    pub status: ObjectionStatus,
    pub answer: Option<String>,
    pub filed_at: String,
    pub answered_at: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ObjectionRequest {
    #[cfg_attr(feature = "openapi", schema(min_length = 5, max_length = 2000))]
    pub reason: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ObjectionAnswer {
    pub upheld: bool,
    #[cfg_attr(feature = "openapi", schema(min_length = 2, max_length = 2000))]
    pub answer: String,
}

/// The contract both parties confirm.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContractTerms {
    /// Fen; above the awarded price only with `over_reason`.
    #[cfg_attr(feature = "openapi", schema(minimum = 1))]
    pub amount: i64,
    #[serde(default)]
    pub over_reason: String,
    #[cfg_attr(feature = "openapi", schema(format = Date))]
    pub starts_on: String,
    #[cfg_attr(feature = "openapi", schema(format = Date))]
    pub ends_on: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeliveryReport {
    #[cfg_attr(feature = "openapi", schema(min_length = 5, max_length = 2000))]
    pub summary: String,
    #[cfg_attr(feature = "openapi", schema(min_length = 2, max_length = 50))]
    pub report_number: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AcceptanceRequest {
    pub accepted: bool,
    #[serde(default)]
    pub reason: String,
}

/// The enterprise's rating of the agency after acceptance, each dimension 1–5.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RatingRequest {
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 5))]
    pub quality: u8,
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 5))]
    pub timeliness: u8,
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 5))]
    pub attitude: u8,
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 5))]
    pub fee_compliance: u8,
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 5))]
    pub integrity: u8,
    #[cfg_attr(feature = "openapi", schema(min_length = 2, max_length = 1000))]
    pub comment: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RatingView {
    pub job_id: i64,
    pub project_name: String,
    pub scores: [u8; 5],
    pub comment: String,
    pub reply: Option<String>,
    pub rated_at: String,
}

/// An agency's published ratings.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RatingSummary {
    pub count: u32,
    /// Mean of all dimensions of all ratings, in hundredths (e.g. 456 = 4.56).
    pub average_hundredths: u32,
    pub items: Vec<RatingView>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReplyRequest {
    #[cfg_attr(feature = "openapi", schema(min_length = 2, max_length = 1000))]
    pub reply: String,
}
