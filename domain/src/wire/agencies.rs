//! Bodies of the agency directory, listings and their review.

use super::*;

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
    /// 信用评分 today, 0–100 (see [`crate::credit`]).
    pub credit_score: i64,
    pub credit_grade: char,
    pub ratings: u32,
    /// Average of all rating dimensions, in hundredths of a star; 0 without ratings.
    pub average_hundredths: u32,
    /// The agency's own fee quote for the investment asked about (lowest sort), if it has a
    /// fee standard that can price it.
    pub quote: Option<crate::money::Money>,
}

pub use crate::listing::Qualification;

/// What an agency publishes about itself: the part of its page its approved listing sets, and
/// what the store writes when it lists one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AgencyProfile {
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
    pub service_commitment: String,
    pub fee_standards: Vec<FeeStandard>,
}

impl AgencyProfile {
    /// The public projection of an approved listing.
    pub fn from_listing(listing: &crate::listing::Listing) -> AgencyProfile {
        AgencyProfile {
            name: listing.name.as_str().to_owned(),
            credit_code: listing.credit_code.as_str().to_owned(),
            district: listing.district,
            address: listing.address.as_str().to_owned(),
            legal_representative: listing.legal_representative.as_str().to_owned(),
            contact_person: listing.contact_person.as_str().to_owned(),
            phone: listing.phone.as_str().to_owned(),
            email: listing.email.as_str().to_owned(),
            description: listing.description.as_str().to_owned(),
            staff_count: listing.staff_count,
            service_types: listing.service_types.clone(),
            qualifications: listing.qualifications.clone(),
            service_commitment: listing.service_commitment.as_str().to_owned(),
            fee_standards: listing.fee_standards.clone(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AgencyDetail {
    pub id: i64,
    #[serde(flatten)]
    pub profile: AgencyProfile,
    pub listed_since: CalendarDate,
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

/// Filters of the public agency directory. The app keeps them in the URL's query string,
/// the server reads them from the API's; both go through [`AgencyFilter::parse`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AgencyFilter {
    pub service_type: Option<ServiceType>,
    pub district: Option<District>,
    /// Free text matched against names and descriptions.
    pub q: Option<String>,
    /// Holds an unexpired qualification of this level (甲级, 一级…), for the chosen service
    /// type when there is one.
    pub level: Option<String>,
    /// Only agencies without a bad record: no upheld complaint, fee-flagged award or
    /// suspension within the credit look-back, and not suspended or blacklisted now.
    pub clean: bool,
    pub sort: AgencySort,
    /// Project investment the fee sort quotes for.
    pub investment: Option<crate::money::Money>,
    /// Where the previous page ended ([`Page::next`]); when given, `page` is not used.
    pub after: Option<String>,
    pub page: u32,
    pub per_page: u32,
}

/// Orders of the directory.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum AgencySort {
    /// Without a search: in listing order. With one: name matches first, then description
    /// matches, each by credit score and rating.
    #[default]
    Relevance,
    /// Credit score, then rating, highest first.
    Credit,
    /// Average rating, then number of ratings, highest first.
    Rating,
    /// Most recently listed first.
    Newest,
    /// The agency's own fee quote for `investment`, lowest first (needs a service type).
    Fee,
}

impl AgencySort {
    pub const ALL: [AgencySort; 5] = [
        AgencySort::Relevance,
        AgencySort::Credit,
        AgencySort::Rating,
        AgencySort::Newest,
        AgencySort::Fee,
    ];

    pub fn code(self) -> &'static str {
        match self {
            AgencySort::Relevance => "relevance",
            AgencySort::Credit => "credit",
            AgencySort::Rating => "rating",
            AgencySort::Newest => "newest",
            AgencySort::Fee => "fee",
        }
    }

    pub fn parse(code: &str) -> Option<AgencySort> {
        AgencySort::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn name(self, locale: crate::Locale) -> &'static str {
        use crate::Locale::{En, ZhCn};
        match (self, locale) {
            (AgencySort::Relevance, ZhCn) => "默认排序",
            (AgencySort::Relevance, En) => "Default order",
            (AgencySort::Credit, ZhCn) => "信用评分最高",
            (AgencySort::Credit, En) => "Highest credit score",
            (AgencySort::Rating, ZhCn) => "评价最好",
            (AgencySort::Rating, En) => "Best rated",
            (AgencySort::Newest, ZhCn) => "最新入驻",
            (AgencySort::Newest, En) => "Newest listed",
            (AgencySort::Fee, ZhCn) => "报价最低",
            (AgencySort::Fee, En) => "Lowest fee quote",
        }
    }
}

/// Qualification levels the directory offers as a filter (any other level can still be asked
/// for by its text).
pub const COMMON_LEVELS: [&str; 7] = ["甲级", "乙级", "丙级", "一级", "二级", "一类", "二类"];

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
    #[error("未知的排序方式")]
    UnknownSort,
    #[error("按报价排序需先选择服务类型并填写项目投资额")]
    FeeSortNeedsService,
    #[error("投资额应为不超过一千亿元的金额,如 5000000")]
    BadInvestment,
    #[error("资质等级最多 20 个字")]
    BadLevel,
    #[error("分页位置无效,请回到第一页")]
    BadCursor,
}

crate::violation! {
    FilterError,
    FilterError::UnknownServiceType => "unknown_service_type", "Unknown service type";
    FilterError::UnknownDistrict => "unknown_district", "Unknown district";
    FilterError::UnknownState => "unknown_state", "Unknown job state";
    FilterError::BadPage => "bad_page", "The page is a whole number 1–100000";
    FilterError::BadPerPage => "bad_per_page", "Per page is a whole number 1–100";
    FilterError::QueryTooLong => "query_too_long", "Search at most 50 characters";
    FilterError::QueryCharacters => "query_characters",
        "Search terms cannot contain control or invisible characters";
    FilterError::UnknownSort => "unknown_sort", "Unknown sort order";
    FilterError::FeeSortNeedsService => "fee_sort_needs_service",
        "Sorting by fee quote needs a service type and the project investment";
    FilterError::BadInvestment => "bad_investment",
        "The investment is an amount in yuan up to 100 billion, such as 5000000";
    FilterError::BadLevel => "bad_level", "A qualification level is at most 20 characters";
    FilterError::BadCursor => "bad_cursor", "Unknown page position; start again from the first page";
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
    /// 机构名称或简介中的关键词(1 个字起)。
    pub q: Option<String>,
    /// 资质等级,如 甲级。
    pub level: Option<String>,
    /// 为 1 时只列无不良记录的机构。
    #[cfg_attr(feature = "openapi", param(value_type = Option<bool>))]
    pub clean: Option<String>,
    /// 排序:relevance(默认)、credit、rating、newest、fee(需 service_type 与 investment)。
    pub sort: Option<String>,
    /// 项目投资额(元),按报价排序时使用。
    pub investment: Option<String>,
    /// 上一页返回的 next,用于翻到下一页(键集分页,任何深度都一样快)。
    pub after: Option<String>,
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
        let q = parse_search(params.q.as_deref()).map_err(|e| FieldError::new("q", &e))?;
        let level = present(&params.level);
        if level.as_ref().is_some_and(|l| {
            l.chars().count() > 20 || crate::text::check_characters(l, false).is_err()
        }) {
            return Err(FieldError::new("level", &FilterError::BadLevel));
        }
        let clean = matches!(present(&params.clean).as_deref(), Some("1" | "true"));
        let sort = match present(&params.sort) {
            None => AgencySort::default(),
            Some(code) => AgencySort::parse(&code)
                .ok_or_else(|| FieldError::new("sort", &FilterError::UnknownSort))?,
        };
        let investment = match present(&params.investment) {
            None => None,
            // Whole yuan: a URL value, not a typed amount (the form parses those).
            Some(text) => Some(
                text.parse::<i64>()
                    .ok()
                    .filter(|yuan| (0..=100_000_000_000).contains(yuan))
                    .and_then(|yuan| crate::money::Money::from_yuan(yuan).ok())
                    .ok_or_else(|| FieldError::new("investment", &FilterError::BadInvestment))?,
            ),
        };
        if sort == AgencySort::Fee && (service_type.is_none() || investment.is_none()) {
            return Err(FieldError::new("sort", &FilterError::FeeSortNeedsService));
        }
        let after = present(&params.after);
        if after
            .as_ref()
            .is_some_and(|a| !directory_cursor_is_valid(a))
        {
            return Err(FieldError::new("after", &FilterError::BadCursor));
        }
        let page = parse_page(params.page.as_deref()).map_err(|e| FieldError::new("page", &e))?;
        let per_page = parse_per_page(params.per_page.as_deref())
            .map_err(|e| FieldError::new("per_page", &e))?;
        Ok(AgencyFilter {
            service_type,
            district,
            q,
            level,
            clean,
            sort,
            investment,
            after,
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
        if let Some(level) = &self.level {
            pairs.push(("level", percent_encode(level)));
        }
        if self.clean {
            pairs.push(("clean", "1".to_owned()));
        }
        if self.sort != AgencySort::default() {
            pairs.push(("sort", self.sort.code().to_owned()));
        }
        if let Some(investment) = self.investment {
            pairs.push(("investment", (investment.fen() / 100).to_string()));
        }
        if let Some(after) = &self.after {
            pairs.push(("after", after.clone()));
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

/// A list's search term: trimmed, at most 50 characters, without control or invisible
/// characters (a NUL once ended a full-text phrase early, and `%00a` matched everything).
pub fn parse_search(input: Option<&str>) -> Result<Option<String>, FilterError> {
    let Some(q) = input.map(str::trim).filter(|q| !q.is_empty()) else {
        return Ok(None);
    };
    if q.chars().count() > 50 {
        return Err(FilterError::QueryTooLong);
    }
    if crate::text::check_characters(q, false).is_err() {
        return Err(FilterError::QueryCharacters);
    }
    Ok(Some(q.to_owned()))
}

/// A list's page position, `key.slot`, as the job list (`search::notices`), the fee standards
/// and the cases hand it out.
pub fn keyset_cursor_is_valid(text: &str) -> bool {
    keyset_cursor(text).is_some()
}

/// A list's page number, page size and keyset position.
pub type Paging = (u32, u32, Option<(i64, u32)>);

/// The paging of a list: `page`, `per_page` and `after` (a [`keyset_cursor`]) from the query.
pub fn parse_paging(
    page: Option<&str>,
    per_page: Option<&str>,
    after: Option<&str>,
) -> Result<Paging, FieldError> {
    let page = parse_page(page).map_err(|e| FieldError::new("page", &e))?;
    let per_page = parse_per_page(per_page).map_err(|e| FieldError::new("per_page", &e))?;
    let after = match after.map(str::trim).filter(|a| !a.is_empty()) {
        None => None,
        Some(text) => Some(
            keyset_cursor(text).ok_or_else(|| FieldError::new("after", &FilterError::BadCursor))?,
        ),
    };
    Ok((page, per_page, after))
}

/// Splits a [`keyset_cursor_is_valid`] cursor into its key and slot.
pub fn keyset_cursor(text: &str) -> Option<(i64, u32)> {
    let (key, slot) = text.split_once('.')?;
    Some((key.parse().ok()?, slot.parse().ok()?))
}

/// The directory's page position, `tier.key.slot` (see the server's `search::directory`): the
/// tier is 0 (name matches) or 1 (description matches), the sort key a signed integer and the
/// slot the agency's id.
pub fn directory_cursor_is_valid(text: &str) -> bool {
    let parts: Vec<&str> = text.split('.').collect();
    matches!(parts.as_slice(), [tier, key, slot]
        if matches!(*tier, "0" | "1") && key.parse::<i64>().is_ok() && slot.parse::<u32>().is_ok())
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

impl crate::bid::Bidder for AgencyDetail {
    fn is_suspended(&self) -> bool {
        self.suspension.is_some()
    }

    fn offers(&self) -> &[ServiceType] {
        &self.profile.service_types
    }

    fn qualifications(&self) -> impl Iterator<Item = (bool, &[ServiceType], &str)> {
        self.profile
            .qualifications
            .iter()
            .map(|q| (q.expired, q.service_types.as_slice(), q.level.as_str()))
    }
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
            level: get("level"),
            clean: get("clean"),
            sort: get("sort"),
            investment: get("investment"),
            after: get("after"),
            page: get("page"),
            per_page: get("per_page"),
        }
    }

    #[test]
    fn sort_level_clean_investment_and_cursor_round_trip_through_the_query_string() {
        let filter = AgencyFilter::parse(&params(&[
            ("service_type", "env_impact"),
            ("level", "甲级"),
            ("clean", "1"),
            ("sort", "fee"),
            ("investment", "5000000"),
            ("after", "0.-80.17"),
        ]))
        .unwrap();
        assert_eq!(filter.sort, AgencySort::Fee);
        assert!(filter.clean);
        let query = filter.to_query_string();
        let pairs: Vec<(&str, String)> = query
            .split('&')
            .map(|p| p.split_once('=').unwrap())
            .map(|(k, v)| (k, v.replace("%E7%94%B2%E7%BA%A7", "甲级")))
            .collect();
        let refs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
        assert_eq!(AgencyFilter::parse(&params(&refs)).unwrap(), filter);
    }

    #[test]
    fn a_fee_sort_without_service_or_investment_and_a_forged_cursor_are_refused() {
        let no_investment =
            AgencyFilter::parse(&params(&[("sort", "fee"), ("service_type", "surveying")]));
        assert_eq!(no_investment.unwrap_err().code, "fee_sort_needs_service");
        for cursor in ["2.1.1", "0.x.1", "0.1", "0.1.-3"] {
            let refused = AgencyFilter::parse(&params(&[("after", cursor)])).unwrap_err();
            assert_eq!(
                (refused.field.as_str(), refused.code.as_str()),
                ("after", "bad_cursor")
            );
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
            next: None,
        };
        assert_eq!(page.page_count(), 4);
    }
}
