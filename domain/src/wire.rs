//! Request and response bodies of the JSON API, shared by the server and the app.

use crate::account::Role;
use crate::catalog::{District, ServiceType};
use crate::date::CalendarDate;
use crate::error::{FieldError, Locale, Violation};
use crate::fee::FeeStandard;
use crate::listing::{ListingDraft, VersionStatus};
use serde::{Deserialize, Serialize};

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
}

impl<T> Page<T> {
    pub fn page_count(&self) -> u32 {
        if self.per_page == 0 {
            return 0;
        }
        self.total.div_ceil(self.per_page as u64) as u32
    }
}

/// Review state of an agency's listing. Only approved listings are public.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ListingStatus {
    Pending,
    Approved,
}

impl ListingStatus {
    pub const ALL: [ListingStatus; 2] = [ListingStatus::Pending, ListingStatus::Approved];

    pub fn as_str(self) -> &'static str {
        match self {
            ListingStatus::Pending => "pending",
            ListingStatus::Approved => "approved",
        }
    }

    pub fn parse(code: &str) -> Option<ListingStatus> {
        match code {
            "pending" => Some(ListingStatus::Pending),
            "approved" => Some(ListingStatus::Approved),
            _ => None,
        }
    }

    pub fn name(self, locale: Locale) -> &'static str {
        match (locale, self) {
            (Locale::ZhCn, ListingStatus::Pending) => "待审核",
            (Locale::ZhCn, ListingStatus::Approved) => "已入驻",
            (Locale::En, ListingStatus::Pending) => "Pending review",
            (Locale::En, ListingStatus::Approved) => "Listed",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AgencySummary {
    pub id: i64,
    pub name: String,
    pub credit_code: String,
    pub district: District,
    pub service_types: Vec<ServiceType>,
    pub qualification_count: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Qualification {
    /// Certificate name, e.g. 测绘资质证书.
    pub name: String,
    pub number: String,
    /// 甲级/乙级/丙级, or the field's own grades.
    pub level: String,
    pub authority: String,
    pub issued_on: CalendarDate,
    pub expires_on: CalendarDate,
    pub service_types: Vec<ServiceType>,
    /// Past its expiry date on the server's today: it no longer counts.
    #[serde(default)]
    pub expired: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AgencyDetail {
    pub id: i64,
    pub name: String,
    pub credit_code: String,
    pub district: District,
    pub address: String,
    pub legal_representative: String,
    pub contact_person: String,
    pub phone: String,
    pub email: String,
    pub description: String,
    pub staff_count: u32,
    pub service_types: Vec<ServiceType>,
    pub qualifications: Vec<Qualification>,
    pub listed_since: CalendarDate,
    pub service_commitment: String,
    pub fee_standards: Vec<FeeStandard>,
    /// Set while the agency is suspended or blacklisted.
    pub suspension: Option<SuspensionView>,
    #[serde(default)]
    pub ratings: RatingSummary,
}

/// A suspension or blacklist entry, as the public and the agency see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SuspensionView {
    pub id: i64,
    pub reason: String,
    pub starts_on: CalendarDate,
    pub ends_on: CalendarDate,
    pub blacklist: bool,
    pub basis: Option<String>,
}

/// One version of a listing with its review outcome.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ListingVersionView {
    pub id: i64,
    pub agency_id: i64,
    pub version_no: u32,
    pub status: VersionStatus,
    pub draft: ListingDraft,
    pub submitted_at: String,
    pub decided_at: Option<String>,
    pub decision_reason: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExpiryWarning {
    pub name: String,
    pub number: String,
    pub expires_on: CalendarDate,
    /// Negative once expired.
    pub days_left: i64,
}

/// The agency's own dashboard: what is public, what awaits review, and what needs attention.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MyListing {
    pub agency_id: i64,
    /// The version the public sees, if any.
    pub approved: Option<ListingVersionView>,
    /// Every version, newest first.
    pub versions: Vec<ListingVersionView>,
    /// What the editor starts from: the newest version, or the registration details.
    pub editor_start: ListingDraft,
    pub suspension: Option<SuspensionView>,
    pub expiring: Vec<ExpiryWarning>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReviewQueueItem {
    pub version_id: i64,
    pub agency_id: i64,
    pub agency_name: String,
    pub version_no: u32,
    pub submitted_at: String,
    /// True when nothing of this agency has been approved yet.
    pub first_listing: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReviewQueue {
    pub count: u32,
    pub items: Vec<ReviewQueueItem>,
}

/// A version under review next to the one currently public.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReviewDetail {
    pub version: ListingVersionView,
    pub current: Option<ListingVersionView>,
}

/// One agency's published fee standard for a service type, for the fee calculator.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AgencyFeeStandard {
    pub agency_id: i64,
    pub agency_name: String,
    pub district: District,
    pub standard: FeeStandard,
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

/// Filters of the public agency directory. The app keeps them in the URL's query string,
/// the server reads them from the API's; both go through [`AgencyFilter::parse`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AgencyFilter {
    pub service_type: Option<ServiceType>,
    pub district: Option<District>,
    /// Free text matched against names and descriptions.
    pub q: Option<String>,
    pub page: u32,
    pub per_page: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum FilterError {
    #[error("未知的服务类型")]
    UnknownServiceType,
    #[error("未知的区县")]
    UnknownDistrict,
    #[error("未知的项目状态")]
    UnknownState,
    #[error("页码应为 1–100000 的整数")]
    BadPage,
    #[error("每页条数应为 1–100 的整数")]
    BadPerPage,
    #[error("搜索词最多 50 个字")]
    QueryTooLong,
    #[error("搜索词不能包含控制字符或不可见字符")]
    QueryCharacters,
}

impl Violation for FilterError {
    fn code(&self) -> &'static str {
        match self {
            FilterError::UnknownServiceType => "unknown_service_type",
            FilterError::UnknownDistrict => "unknown_district",
            FilterError::UnknownState => "unknown_state",
            FilterError::BadPage => "bad_page",
            FilterError::BadPerPage => "bad_per_page",
            FilterError::QueryTooLong => "query_too_long",
            FilterError::QueryCharacters => "query_characters",
        }
    }

    fn message(&self, locale: Locale) -> String {
        match (locale, self) {
            (Locale::ZhCn, _) => self.to_string(),
            (Locale::En, FilterError::UnknownServiceType) => "Unknown service type".into(),
            (Locale::En, FilterError::UnknownDistrict) => "Unknown district".into(),
            (Locale::En, FilterError::UnknownState) => "Unknown job state".into(),
            (Locale::En, FilterError::BadPage) => "The page is a whole number 1–100000".into(),
            (Locale::En, FilterError::BadPerPage) => "Per page is a whole number 1–100".into(),
            (Locale::En, FilterError::QueryTooLong) => "Search at most 50 characters".into(),
            (Locale::En, FilterError::QueryCharacters) => {
                "Search terms cannot contain control or invisible characters".into()
            }
        }
    }
}

/// Raw query-string values, as both the router and axum hand them over.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "openapi",
    derive(utoipa::IntoParams),
    into_params(parameter_in = Query)
)]
pub struct AgencyFilterParams {
    /// 服务类型代码,如 env_impact。
    pub service_type: Option<String>,
    /// 区域代码。
    pub district: Option<String>,
    /// 机构名称关键词。
    pub q: Option<String>,
    /// 页码,1–100000。
    #[cfg_attr(
        feature = "openapi",
        param(value_type = Option<u32>, minimum = 1, maximum = 100000)
    )]
    pub page: Option<String>,
    /// 每页条数,1–100。
    #[cfg_attr(
        feature = "openapi",
        param(value_type = Option<u32>, minimum = 1, maximum = 100)
    )]
    pub per_page: Option<String>,
}

impl AgencyFilter {
    pub fn parse(params: &AgencyFilterParams) -> Result<AgencyFilter, FieldError> {
        let present = |v: &Option<String>| {
            v.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
        };
        let service_type = match present(&params.service_type) {
            None => None,
            Some(code) => Some(ServiceType::parse(&code).ok_or_else(|| {
                FieldError::new("service_type", &FilterError::UnknownServiceType)
            })?),
        };
        let district = match present(&params.district) {
            None => None,
            Some(code) => Some(
                District::parse(&code)
                    .ok_or_else(|| FieldError::new("district", &FilterError::UnknownDistrict))?,
            ),
        };
        let q = present(&params.q);
        if q.as_ref().is_some_and(|q| q.chars().count() > 50) {
            return Err(FieldError::new("q", &FilterError::QueryTooLong));
        }
        // A NUL would end the full-text phrase early (and `%00a` matched everything).
        if q.as_ref()
            .is_some_and(|q| crate::text::check_characters(q, false).is_err())
        {
            return Err(FieldError::new("q", &FilterError::QueryCharacters));
        }
        let page = parse_page(params.page.as_deref()).map_err(|e| FieldError::new("page", &e))?;
        let per_page = parse_per_page(params.per_page.as_deref())
            .map_err(|e| FieldError::new("per_page", &e))?;
        Ok(AgencyFilter {
            service_type,
            district,
            q,
            page,
            per_page,
        })
    }

    /// The query string for this filter, leaving defaults out so URLs stay short.
    pub fn to_query_string(&self) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        if let Some(service) = self.service_type {
            pairs.push(("service_type", service.code().to_owned()));
        }
        if let Some(district) = self.district {
            pairs.push(("district", district.code().to_owned()));
        }
        if let Some(q) = &self.q {
            pairs.push(("q", percent_encode(q)));
        }
        if self.page > 1 {
            pairs.push(("page", self.page.to_string()));
        }
        if self.per_page != DEFAULT_PER_PAGE && self.per_page != 0 {
            pairs.push(("per_page", self.per_page.to_string()));
        }
        pairs
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("&")
    }
}

/// Percent-encodes a query-string value (RFC 3986 unreserved characters pass through).
pub fn percent_encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len() * 3);
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> AgencyFilterParams {
        let get = |key: &str| {
            pairs
                .iter()
                .find(|(k, _)| *k == key)
                .map(|(_, v)| v.to_string())
        };
        AgencyFilterParams {
            service_type: get("service_type"),
            district: get("district"),
            q: get("q"),
            page: get("page"),
            per_page: get("per_page"),
        }
    }

    #[test]
    fn an_empty_query_means_first_page_of_everything() {
        let filter = AgencyFilter::parse(&params(&[])).unwrap();
        assert_eq!(filter.page, 1);
        assert_eq!(filter.per_page, DEFAULT_PER_PAGE);
        assert_eq!(filter.to_query_string(), "");
    }

    #[test]
    fn a_filter_survives_the_round_trip_through_the_query_string() {
        let filter = AgencyFilter::parse(&params(&[
            ("service_type", "surveying"),
            ("district", "yunhu"),
            ("page", "3"),
        ]))
        .unwrap();
        assert_eq!(filter.service_type, Some(ServiceType::Surveying));
        assert_eq!(
            filter.to_query_string(),
            "service_type=surveying&district=yunhu&page=3"
        );
    }

    #[test]
    fn bad_filter_values_name_their_field() {
        let err = AgencyFilter::parse(&params(&[("service_type", "magic")])).unwrap_err();
        assert_eq!(
            (err.field.as_str(), err.code.as_str()),
            ("service_type", "unknown_service_type")
        );
        assert_eq!(
            AgencyFilter::parse(&params(&[("page", "0")]))
                .unwrap_err()
                .field,
            "page"
        );
        assert_eq!(
            AgencyFilter::parse(&params(&[("per_page", "1000")]))
                .unwrap_err()
                .field,
            "per_page"
        );
    }

    #[test]
    fn search_text_is_percent_encoded() {
        assert_eq!(percent_encode("测绘 a&b"), "%E6%B5%8B%E7%BB%98%20a%26b");
    }

    #[test]
    fn page_count_rounds_up() {
        let page: Page<()> = Page {
            items: vec![],
            total: 61,
            page: 1,
            per_page: 20,
        };
        assert_eq!(page.page_count(), 4);
    }
}

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
    pub owned: Vec<JobSummary>,
    pub qualified: Vec<JobSummary>,
    pub bidding: Vec<JobSummary>,
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

/// A bid as its bidder sends it; money in fen.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BidRequest {
    /// The price in fen.
    #[cfg_attr(feature = "openapi", schema(minimum = 1))]
    pub price: i64,
    /// The service period the agency commits to, in days.
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 3650))]
    pub service_days: u32,
    #[cfg_attr(feature = "openapi", schema(min_length = 2, max_length = 500))]
    pub commitment: String,
    #[cfg_attr(feature = "openapi", schema(min_length = 2, max_length = 5000))]
    pub proposal: String,
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

/// `GET /api/auth/session`: the signed-in account, or `null` for an anonymous visitor.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionView {
    pub account: Option<Account>,
}

pub use crate::job::JobEventView;

/// The award of a job: who won, at what price, by which method, and who follows if it falls away.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AwardRecord {
    /// Candidates in the method's order (draw order, price order, score order …).
    pub candidates: Vec<i64>,
    /// Position of the current winner in `candidates`.
    pub position: usize,
    /// Each candidate's bid price, by candidate position.
    pub prices: Vec<crate::money::Money>,
    /// The direct pick's reason, or how the winner was found (Chinese).
    pub reason: String,
    /// The same as codes; absent on awards stored before it existed.
    #[serde(default)]
    pub basis: Option<crate::award::AwardBasis>,
    /// Unix seconds; objections are accepted until then.
    pub publicity_ends: i64,
    /// Random draw only: the frozen list's hash and, once drawn, the revealed seed.
    pub candidates_hash: Option<String>,
    pub seed: Option<String>,
}

impl AwardRecord {
    pub fn winner(&self) -> Option<(i64, crate::money::Money)> {
        Some((
            *self.candidates.get(self.position)?,
            *self.prices.get(self.position)?,
        ))
    }
}

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

/// The enterprise's selection, as the job's method needs it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AwardRequest {
    /// Direct pick: the chosen agency.
    #[serde(default)]
    pub agency_id: Option<i64>,
    /// Direct pick: why this agency (required).
    #[serde(default)]
    pub reason: String,
    /// Composite score: each bidder's score per published criterion, in order.
    #[serde(default)]
    pub scores: Vec<ScoreSheet>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScoreSheet {
    pub agency_id: i64,
    pub scores: Vec<u32>,
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
}

/// The first broken link of a chain, as the server found it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BrokenLinkView {
    pub job_id: i64,
    pub seq: i64,
    pub code: String,
    pub message: String,
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
