//! An agency's listing: what it publishes about itself, the rules it must obey, how two
//! versions differ, and when qualifications stop counting.

use crate::catalog::{District, ServiceType};
use crate::date::CalendarDate;
use crate::error::{FieldError, FieldErrors, Locale, Violation};
use crate::fee::{FeeStandard, FeeStandardDraft};
use crate::identifiers::{CreditCode, Email, Phone};
use crate::text::{BoundedText, OrgName, PersonName};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Days before expiry from which the agency is warned.
pub const EXPIRY_WARNING_DAYS: i64 = 30;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QualificationDraft {
    pub name: String,
    pub number: String,
    pub level: String,
    pub authority: String,
    pub issued_on: String,
    pub expires_on: String,
    pub service_types: Vec<String>,
}

/// The listing as the editor sends it and as each version stores it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ListingDraft {
    pub name: String,
    pub credit_code: String,
    pub legal_representative: String,
    pub contact_person: String,
    pub phone: String,
    pub email: String,
    pub address: String,
    pub district: String,
    pub description: String,
    pub service_types: Vec<String>,
    pub qualifications: Vec<QualificationDraft>,
    pub staff_count: i64,
    pub service_commitment: String,
    pub fee_standards: Vec<FeeStandardDraft>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParsedQualification {
    pub name: String,
    pub number: String,
    pub level: String,
    pub authority: String,
    pub issued_on: CalendarDate,
    pub expires_on: CalendarDate,
    pub service_types: Vec<ServiceType>,
}

impl ParsedQualification {
    pub fn is_valid_on(&self, today: CalendarDate) -> bool {
        self.issued_on <= today && today <= self.expires_on
    }
}

/// A listing whose every field obeys the rules.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Listing {
    pub name: OrgName,
    pub credit_code: CreditCode,
    pub legal_representative: PersonName,
    pub contact_person: PersonName,
    pub phone: Phone,
    pub email: Email,
    pub address: BoundedText,
    pub district: District,
    pub description: BoundedText,
    pub service_types: Vec<ServiceType>,
    pub qualifications: Vec<ParsedQualification>,
    pub staff_count: u32,
    pub service_commitment: BoundedText,
    pub fee_standards: Vec<FeeStandard>,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ListingRuleError {
    #[error("请至少选择一项服务类型")]
    NoServiceType,
    #[error("未知的服务类型")]
    UnknownServiceType,
    #[error("请选择所在区县")]
    UnknownDistrict,
    #[error("专业技术人员数应为 1–100000 的整数")]
    StaffCount,
    #[error("有效期截止日期必须晚于发证日期")]
    ExpiryBeforeIssue,
    #[error("请选择该资质适用的服务类型")]
    QualificationWithoutService,
    #[error("该服务类型不在本机构的服务范围内")]
    ServiceNotOffered,
    #[error("每项服务类型至少需要一条收费标准")]
    FeeStandardMissing,
}

impl Violation for ListingRuleError {
    fn code(&self) -> &'static str {
        match self {
            ListingRuleError::NoServiceType => "service_types_empty",
            ListingRuleError::UnknownServiceType => "unknown_service_type",
            ListingRuleError::UnknownDistrict => "unknown_district",
            ListingRuleError::StaffCount => "staff_count_range",
            ListingRuleError::ExpiryBeforeIssue => "expiry_before_issue",
            ListingRuleError::QualificationWithoutService => "qualification_services_empty",
            ListingRuleError::ServiceNotOffered => "service_not_offered",
            ListingRuleError::FeeStandardMissing => "fee_standard_missing",
        }
    }

    fn message(&self, locale: Locale) -> String {
        match locale {
            Locale::ZhCn => self.to_string(),
            Locale::En => match self {
                ListingRuleError::NoServiceType => "Choose at least one service type",
                ListingRuleError::UnknownServiceType => "Unknown service type",
                ListingRuleError::UnknownDistrict => "Choose the district",
                ListingRuleError::StaffCount => "Staff count is a whole number from 1 to 100000",
                ListingRuleError::ExpiryBeforeIssue => {
                    "The expiry date must be after the issue date"
                }
                ListingRuleError::QualificationWithoutService => {
                    "Choose the service types this qualification covers"
                }
                ListingRuleError::ServiceNotOffered => {
                    "This service type is not among those offered"
                }
                ListingRuleError::FeeStandardMissing => {
                    "Every service type needs at least one fee standard"
                }
            }
            .into(),
        }
    }
}

fn text(
    errors: &mut FieldErrors,
    field: &str,
    input: &str,
    min: usize,
    max: usize,
    multiline: bool,
) -> Option<BoundedText> {
    errors.check(field, BoundedText::parse(input, min, max, multiline))
}

fn service_list(errors: &mut FieldErrors, field: &str, codes: &[String]) -> Vec<ServiceType> {
    let mut types = Vec::new();
    for code in codes {
        match ServiceType::parse(code) {
            Some(t) if !types.contains(&t) => types.push(t),
            Some(_) => {}
            None => errors.push(field, &ListingRuleError::UnknownServiceType),
        }
    }
    types.sort();
    types
}

impl ListingDraft {
    /// Parses the whole listing, reporting every violation with its field path
    /// (e.g. `qualifications[1].expires_on`, `fee_standards[0].model.brackets[2].up_to`).
    pub fn parse(&self) -> Result<Listing, Vec<FieldError>> {
        let mut errors = FieldErrors::new();
        let name = errors.check("name", OrgName::parse(&self.name));
        let credit_code = errors.check("credit_code", CreditCode::parse(&self.credit_code));
        let legal_representative = errors.check(
            "legal_representative",
            PersonName::parse(&self.legal_representative),
        );
        let contact_person =
            errors.check("contact_person", PersonName::parse(&self.contact_person));
        let phone = errors.check("phone", Phone::parse(&self.phone));
        let email = errors.check("email", Email::parse(&self.email));
        let address = text(&mut errors, "address", &self.address, 5, 100, false);
        let district = District::parse(self.district.trim());
        if district.is_none() {
            errors.push("district", &ListingRuleError::UnknownDistrict);
        }
        let description = text(
            &mut errors,
            "description",
            &self.description,
            10,
            2000,
            true,
        );
        let service_commitment = text(
            &mut errors,
            "service_commitment",
            &self.service_commitment,
            10,
            1000,
            true,
        );
        if !(1..=100_000).contains(&self.staff_count) {
            errors.push("staff_count", &ListingRuleError::StaffCount);
        }
        let service_types = service_list(&mut errors, "service_types", &self.service_types);
        if self.service_types.is_empty() {
            errors.push("service_types", &ListingRuleError::NoServiceType);
        }

        let mut qualifications = Vec::new();
        for (i, q) in self.qualifications.iter().enumerate() {
            let at = |f: &str| format!("qualifications[{i}].{f}");
            let name = text(&mut errors, &at("name"), &q.name, 2, 50, false);
            let number = text(&mut errors, &at("number"), &q.number, 2, 50, false);
            let level = text(&mut errors, &at("level"), &q.level, 1, 20, false);
            let authority = text(&mut errors, &at("authority"), &q.authority, 2, 50, false);
            let issued_on = errors.check(&at("issued_on"), CalendarDate::parse(&q.issued_on));
            let expires_on = errors.check(&at("expires_on"), CalendarDate::parse(&q.expires_on));
            if let (Some(issued), Some(expires)) = (issued_on, expires_on) {
                if expires <= issued {
                    errors.push(&at("expires_on"), &ListingRuleError::ExpiryBeforeIssue);
                }
            }
            let covers = service_list(&mut errors, &at("service_types"), &q.service_types);
            if q.service_types.is_empty() {
                errors.push(
                    &at("service_types"),
                    &ListingRuleError::QualificationWithoutService,
                );
            } else if covers.iter().any(|t| !service_types.contains(t)) {
                errors.push(&at("service_types"), &ListingRuleError::ServiceNotOffered);
            }
            if let (
                Some(name),
                Some(number),
                Some(level),
                Some(authority),
                Some(issued_on),
                Some(expires_on),
            ) = (name, number, level, authority, issued_on, expires_on)
            {
                qualifications.push(ParsedQualification {
                    name: name.into_string(),
                    number: number.into_string(),
                    level: level.into_string(),
                    authority: authority.into_string(),
                    issued_on,
                    expires_on,
                    service_types: covers,
                });
            }
        }

        let mut fee_standards = Vec::new();
        for (i, draft) in self.fee_standards.iter().enumerate() {
            let prefix = format!("fee_standards[{i}]");
            match FeeStandard::parse(draft, &prefix) {
                Ok(standard) => {
                    if !service_types.contains(&standard.service_type()) {
                        errors.push(
                            &format!("{prefix}.service_type"),
                            &ListingRuleError::ServiceNotOffered,
                        );
                    }
                    fee_standards.push(standard);
                }
                Err(found) => errors.extend(found),
            }
        }
        let priced: Vec<ServiceType> = self
            .fee_standards
            .iter()
            .filter_map(|d| ServiceType::parse(&d.service_type))
            .collect();
        if service_types.iter().any(|t| !priced.contains(t)) {
            errors.push("fee_standards", &ListingRuleError::FeeStandardMissing);
        }

        match (
            name,
            credit_code,
            legal_representative,
            contact_person,
            phone,
            email,
            address,
            district,
            description,
            service_commitment,
        ) {
            (
                Some(name),
                Some(credit_code),
                Some(legal_representative),
                Some(contact_person),
                Some(phone),
                Some(email),
                Some(address),
                Some(district),
                Some(description),
                Some(service_commitment),
            ) if errors.is_empty() => Ok(Listing {
                name,
                credit_code,
                legal_representative,
                contact_person,
                phone,
                email,
                address,
                district,
                description,
                service_types,
                qualifications,
                staff_count: self.staff_count as u32,
                service_commitment,
                fee_standards,
            }),
            _ => Err(errors.into_vec()),
        }
    }
}

impl Listing {
    /// Service types shown publicly today: a type whose every covering qualification has
    /// expired is hidden; a type no qualification covers stays (not every service needs one).
    pub fn offered_on(&self, today: CalendarDate) -> Vec<ServiceType> {
        offered_service_types(&self.service_types, &self.qualifications, today)
    }
}

pub fn offered_service_types(
    service_types: &[ServiceType],
    qualifications: &[ParsedQualification],
    today: CalendarDate,
) -> Vec<ServiceType> {
    service_types
        .iter()
        .copied()
        .filter(|t| {
            let covering: Vec<_> = qualifications
                .iter()
                .filter(|q| q.service_types.contains(t))
                .collect();
            covering.is_empty() || covering.iter().any(|q| q.is_valid_on(today))
        })
        .collect()
}

/// Qualifications that expire within [`EXPIRY_WARNING_DAYS`] (or already have), for the
/// agency's dashboard warning.
pub fn expiring_qualifications(
    qualifications: &[ParsedQualification],
    today: CalendarDate,
) -> Vec<&ParsedQualification> {
    qualifications
        .iter()
        .filter(|q| today.days_until(q.expires_on) <= EXPIRY_WARNING_DAYS)
        .collect()
}

/// One row of the field-by-field comparison the regulator reviews.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldChange {
    pub key: String,
    pub label: String,
    pub before: Option<String>,
    pub after: Option<String>,
    /// Part of a fee standard: highlighted for the fee regulator.
    pub fee: bool,
}

impl FieldChange {
    pub fn changed(&self) -> bool {
        self.before != self.after
    }
}

fn labelled(locale: Locale, zh: &str, en: &str) -> String {
    match locale {
        Locale::ZhCn => zh.to_owned(),
        Locale::En => en.to_owned(),
    }
}

/// `(key, label, value, is_fee)` for every comparable part of a draft, in display order.
fn rows(draft: &ListingDraft, locale: Locale) -> Vec<(String, String, String, bool)> {
    let services = |codes: &[String]| {
        codes
            .iter()
            .map(|c| ServiceType::parse(c).map_or(c.clone(), |t| t.name(locale).to_owned()))
            .collect::<Vec<_>>()
            .join("、")
    };
    let mut out = vec![
        (
            "name",
            labelled(locale, "机构名称", "Name"),
            draft.name.clone(),
        ),
        (
            "credit_code",
            labelled(locale, "统一社会信用代码", "Credit code"),
            draft.credit_code.clone(),
        ),
        (
            "legal_representative",
            labelled(locale, "法定代表人", "Legal representative"),
            draft.legal_representative.clone(),
        ),
        (
            "contact_person",
            labelled(locale, "联系人", "Contact person"),
            draft.contact_person.clone(),
        ),
        (
            "phone",
            labelled(locale, "联系电话", "Phone"),
            draft.phone.clone(),
        ),
        (
            "email",
            labelled(locale, "电子邮箱", "E-mail"),
            draft.email.clone(),
        ),
        (
            "address",
            labelled(locale, "办公地址", "Address"),
            draft.address.clone(),
        ),
        (
            "district",
            labelled(locale, "所在区县", "District"),
            District::parse(&draft.district)
                .map_or(draft.district.clone(), |d| d.name(locale).to_owned()),
        ),
        (
            "staff_count",
            labelled(locale, "专业技术人员", "Staff"),
            draft.staff_count.to_string(),
        ),
        (
            "service_types",
            labelled(locale, "服务类型", "Service types"),
            services(&draft.service_types),
        ),
        (
            "description",
            labelled(locale, "机构简介", "Profile"),
            draft.description.clone(),
        ),
        (
            "service_commitment",
            labelled(locale, "服务承诺", "Service commitment"),
            draft.service_commitment.clone(),
        ),
    ]
    .into_iter()
    .map(|(k, l, v)| (k.to_owned(), l, v, false))
    .collect::<Vec<_>>();
    for q in &draft.qualifications {
        out.push((
            format!("qualification:{}", q.number.trim()),
            format!(
                "{}{}",
                labelled(locale, "资质 ", "Qualification "),
                q.number.trim()
            ),
            format!(
                "{} · {} · {} · {} – {} · {}",
                q.name,
                q.level,
                q.authority,
                q.issued_on,
                q.expires_on,
                services(&q.service_types)
            ),
            false,
        ));
    }
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for f in &draft.fee_standards {
        let n = seen.entry(f.service_type.clone()).or_default();
        *n += 1;
        let service = ServiceType::parse(&f.service_type)
            .map_or(f.service_type.clone(), |t| t.name(locale).to_owned());
        let value = match FeeStandard::parse(f, "") {
            Ok(standard) => {
                let discount = standard.max_discount_bp();
                format!(
                    "{} · {} · {}{}",
                    standard.basis().name(locale),
                    standard.describe(locale),
                    match locale {
                        Locale::ZhCn =>
                            format!("最大下浮 {}.{:02}% · 自 ", discount / 100, discount % 100),
                        Locale::En => format!(
                            "max discount {}.{:02}% · from ",
                            discount / 100,
                            discount % 100
                        ),
                    },
                    standard.effective_from()
                )
            }
            Err(_) => format!("{f:?}"),
        };
        out.push((
            format!("fee:{}:{}", f.service_type, n),
            format!(
                "{}{}",
                labelled(locale, "收费标准 · ", "Fee standard · "),
                service
            ),
            value,
            true,
        ));
    }
    out
}

/// Compares two versions field by field; `before` is `None` for a first submission.
pub fn diff(
    before: Option<&ListingDraft>,
    after: &ListingDraft,
    locale: Locale,
) -> Vec<FieldChange> {
    let old: Vec<_> = before.map(|b| rows(b, locale)).unwrap_or_default();
    let new = rows(after, locale);
    let mut changes: Vec<FieldChange> = new
        .iter()
        .map(|(key, label, value, fee)| FieldChange {
            key: key.clone(),
            label: label.clone(),
            before: old
                .iter()
                .find(|(k, ..)| k == key)
                .map(|(.., v, _)| v.clone()),
            after: Some(value.clone()),
            fee: *fee,
        })
        .collect();
    for (key, label, value, fee) in old {
        if !new.iter().any(|(k, ..)| *k == key) {
            changes.push(FieldChange {
                key,
                label,
                before: Some(value),
                after: None,
                fee,
            });
        }
    }
    changes
}

/// The regulator's verdict on a submitted version.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReviewDecision {
    Approve,
    Reject,
    RequestChanges,
}

impl ReviewDecision {
    pub const ALL: [ReviewDecision; 3] = [
        ReviewDecision::Approve,
        ReviewDecision::RequestChanges,
        ReviewDecision::Reject,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ReviewDecision::Approve => "approve",
            ReviewDecision::Reject => "reject",
            ReviewDecision::RequestChanges => "request_changes",
        }
    }

    pub fn parse(code: &str) -> Option<ReviewDecision> {
        ReviewDecision::ALL.into_iter().find(|d| d.code() == code)
    }

    pub fn name(self, locale: Locale) -> &'static str {
        match (locale, self) {
            (Locale::ZhCn, ReviewDecision::Approve) => "审核通过",
            (Locale::ZhCn, ReviewDecision::Reject) => "不予通过",
            (Locale::ZhCn, ReviewDecision::RequestChanges) => "退回修改",
            (Locale::En, ReviewDecision::Approve) => "Approve",
            (Locale::En, ReviewDecision::Reject) => "Reject",
            (Locale::En, ReviewDecision::RequestChanges) => "Request changes",
        }
    }
}

/// Where a listing version stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum VersionStatus {
    Submitted,
    Approved,
    Rejected,
    ChangesRequested,
    /// Replaced by a later submission or approval; kept for the history.
    Superseded,
}

impl VersionStatus {
    pub fn code(self) -> &'static str {
        match self {
            VersionStatus::Submitted => "submitted",
            VersionStatus::Approved => "approved",
            VersionStatus::Rejected => "rejected",
            VersionStatus::ChangesRequested => "changes_requested",
            VersionStatus::Superseded => "superseded",
        }
    }

    pub const ALL: [VersionStatus; 5] = [
        VersionStatus::Submitted,
        VersionStatus::Approved,
        VersionStatus::Rejected,
        VersionStatus::ChangesRequested,
        VersionStatus::Superseded,
    ];

    pub fn parse(code: &str) -> Option<VersionStatus> {
        VersionStatus::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn after(decision: ReviewDecision) -> VersionStatus {
        match decision {
            ReviewDecision::Approve => VersionStatus::Approved,
            ReviewDecision::Reject => VersionStatus::Rejected,
            ReviewDecision::RequestChanges => VersionStatus::ChangesRequested,
        }
    }

    pub fn name(self, locale: Locale) -> &'static str {
        match (locale, self) {
            (Locale::ZhCn, VersionStatus::Submitted) => "待审核",
            (Locale::ZhCn, VersionStatus::Approved) => "已通过",
            (Locale::ZhCn, VersionStatus::Rejected) => "未通过",
            (Locale::ZhCn, VersionStatus::ChangesRequested) => "退回修改",
            (Locale::ZhCn, VersionStatus::Superseded) => "已被替代",
            (Locale::En, VersionStatus::Submitted) => "Awaiting review",
            (Locale::En, VersionStatus::Approved) => "Approved",
            (Locale::En, VersionStatus::Rejected) => "Rejected",
            (Locale::En, VersionStatus::ChangesRequested) => "Changes requested",
            (Locale::En, VersionStatus::Superseded) => "Superseded",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ReviewRuleError {
    #[error("请选择审核结论")]
    UnknownDecision,
    #[error("请填写理由(2–500 字)")]
    ReasonRequired,
    #[error("结束日期不能早于开始日期")]
    EndBeforeStart,
    #[error("列入黑名单须注明依据")]
    BasisRequired,
}

impl Violation for ReviewRuleError {
    fn code(&self) -> &'static str {
        match self {
            ReviewRuleError::UnknownDecision => "unknown_decision",
            ReviewRuleError::ReasonRequired => "reason_required",
            ReviewRuleError::EndBeforeStart => "end_before_start",
            ReviewRuleError::BasisRequired => "basis_required",
        }
    }

    fn message(&self, locale: Locale) -> String {
        match (locale, self) {
            (Locale::ZhCn, _) => self.to_string(),
            (Locale::En, ReviewRuleError::UnknownDecision) => "Choose a decision".into(),
            (Locale::En, ReviewRuleError::ReasonRequired) => {
                "Give the reason (2–500 characters)".into()
            }
            (Locale::En, ReviewRuleError::EndBeforeStart) => {
                "The end date cannot be before the start".into()
            }
            (Locale::En, ReviewRuleError::BasisRequired) => {
                "A blacklist entry needs its legal basis".into()
            }
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DecisionRequest {
    #[cfg_attr(
        feature = "openapi",
        schema(pattern = "^(approve|reject|request_changes)$")
    )]
    pub decision: String,
    #[cfg_attr(feature = "openapi", schema(min_length = 2, max_length = 500))]
    pub reason: String,
}

impl DecisionRequest {
    pub fn parse(&self) -> Result<(ReviewDecision, BoundedText), Vec<FieldError>> {
        let mut errors = FieldErrors::new();
        let decision = ReviewDecision::parse(&self.decision);
        if decision.is_none() {
            errors.push("decision", &ReviewRuleError::UnknownDecision);
        }
        let reason = BoundedText::parse(&self.reason, 2, 500, true).ok();
        if reason.is_none() {
            errors.push("reason", &ReviewRuleError::ReasonRequired);
        }
        match (decision, reason) {
            (Some(d), Some(r)) => Ok((d, r)),
            _ => Err(errors.into_vec()),
        }
    }
}

/// A suspension or red/black-list entry (暂停 / 黑名单) as the regulator files it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SuspensionRequest {
    #[cfg_attr(feature = "openapi", schema(min_length = 2, max_length = 500))]
    pub reason: String,
    #[cfg_attr(feature = "openapi", schema(format = Date))]
    pub starts_on: String,
    #[cfg_attr(feature = "openapi", schema(format = Date))]
    pub ends_on: String,
    #[serde(default)]
    pub blacklist: bool,
    #[serde(default)]
    pub basis: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParsedSuspension {
    pub reason: BoundedText,
    pub starts_on: CalendarDate,
    pub ends_on: CalendarDate,
    pub blacklist: bool,
    pub basis: Option<BoundedText>,
}

impl SuspensionRequest {
    pub fn parse(&self) -> Result<ParsedSuspension, Vec<FieldError>> {
        let mut errors = FieldErrors::new();
        let reason = BoundedText::parse(&self.reason, 2, 500, true).ok();
        if reason.is_none() {
            errors.push("reason", &ReviewRuleError::ReasonRequired);
        }
        let starts_on = errors.check("starts_on", CalendarDate::parse(&self.starts_on));
        let ends_on = errors.check("ends_on", CalendarDate::parse(&self.ends_on));
        if let (Some(s), Some(e)) = (starts_on, ends_on) {
            if e < s {
                errors.push("ends_on", &ReviewRuleError::EndBeforeStart);
            }
        }
        let basis = BoundedText::parse(&self.basis, 2, 200, true).ok();
        if self.blacklist && basis.is_none() {
            errors.push("basis", &ReviewRuleError::BasisRequired);
        }
        match (reason, starts_on, ends_on) {
            (Some(reason), Some(starts_on), Some(ends_on)) if errors.is_empty() => {
                Ok(ParsedSuspension {
                    reason,
                    starts_on,
                    ends_on,
                    blacklist: self.blacklist,
                    basis,
                })
            }
            _ => Err(errors.into_vec()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fee::{BracketDraft, PricingModelDraft};

    pub fn valid_draft() -> ListingDraft {
        ListingDraft {
            name: "云州恒信测绘地理信息有限公司".into(),
            credit_code: "91350100M000100Y43".into(),
            legal_representative: "张志强".into(),
            contact_person: "李海燕".into(),
            phone: "0870-6123456".into(),
            email: "service@example.cn".into(),
            address: "云州市云湖区滨湖路 88 号 6 楼".into(),
            district: "yunhu".into(),
            description: "专业从事测绘与地理信息服务十余年。".into(),
            service_types: vec!["surveying".into()],
            qualifications: vec![QualificationDraft {
                name: "测绘资质证书".into(),
                number: "甲测资字 5300123".into(),
                level: "甲级".into(),
                authority: "省自然资源厅".into(),
                issued_on: "2024-01-01".into(),
                expires_on: "2029-01-01".into(),
                service_types: vec!["surveying".into()],
            }],
            staff_count: 58,
            service_commitment: "按合同约定时限完成,成果质量终身负责。".into(),
            fee_standards: vec![FeeStandardDraft {
                service_type: "surveying".into(),
                basis: "government_guided".into(),
                model: PricingModelDraft::PerUnit {
                    unit: "平方公里".into(),
                    unit_price: 1_200_000,
                    minimum: 500_000,
                },
                max_discount_bp: 1_000,
                effective_from: "2026-01-01".into(),
            }],
        }
    }

    #[test]
    fn a_complete_listing_parses() {
        let listing = valid_draft().parse().unwrap();
        assert_eq!(listing.service_types, [ServiceType::Surveying]);
        assert_eq!(listing.fee_standards.len(), 1);
    }

    #[test]
    fn an_expiry_before_the_issue_date_is_refused_on_that_qualification() {
        let mut draft = valid_draft();
        draft.qualifications[0].expires_on = "2023-12-31".into();
        let errors = draft.parse().unwrap_err();
        assert_eq!(errors[0].field, "qualifications[0].expires_on");
        assert_eq!(errors[0].code, "expiry_before_issue");
    }

    #[test]
    fn every_offered_service_needs_a_fee_standard_and_vice_versa() {
        let mut draft = valid_draft();
        draft.service_types.push("geohazard".into());
        assert_eq!(draft.parse().unwrap_err()[0].code, "fee_standard_missing");
        let mut draft = valid_draft();
        draft.fee_standards[0].service_type = "geohazard".into();
        let codes: Vec<_> = draft
            .parse()
            .unwrap_err()
            .into_iter()
            .map(|e| e.code)
            .collect();
        assert_eq!(codes, ["service_not_offered", "fee_standard_missing"]);
    }

    #[test]
    fn bad_credit_codes_and_bracket_errors_keep_their_paths() {
        let mut draft = valid_draft();
        draft.credit_code = "91350100M000100Y44".into();
        draft.fee_standards[0].model = PricingModelDraft::InvestmentTiered {
            brackets: vec![
                BracketDraft {
                    up_to: Some(2_000),
                    rate_ppm: 5_000,
                },
                BracketDraft {
                    up_to: Some(1_000),
                    rate_ppm: 3_000,
                },
                BracketDraft {
                    up_to: None,
                    rate_ppm: 1_000,
                },
            ],
            minimum: 0,
        };
        let fields: Vec<_> = draft
            .parse()
            .unwrap_err()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(
            fields,
            ["credit_code", "fee_standards[0].model.brackets[1].up_to"]
        );
    }

    #[test]
    fn a_service_whose_only_qualification_expired_is_no_longer_offered() {
        let listing = valid_draft().parse().unwrap();
        let before = CalendarDate::parse("2028-12-31").unwrap();
        let after = CalendarDate::parse("2029-01-02").unwrap();
        assert_eq!(listing.offered_on(before), [ServiceType::Surveying]);
        assert!(listing.offered_on(after).is_empty());
    }

    #[test]
    fn qualifications_are_flagged_thirty_days_before_expiry() {
        let listing = valid_draft().parse().unwrap();
        let q = &listing.qualifications;
        assert!(expiring_qualifications(q, CalendarDate::parse("2028-12-01").unwrap()).is_empty());
        assert_eq!(
            expiring_qualifications(q, CalendarDate::parse("2028-12-02").unwrap()).len(),
            1
        );
    }

    #[test]
    fn the_diff_marks_changed_fields_and_fee_rows() {
        let before = valid_draft();
        let mut after = valid_draft();
        after.phone = "13800138000".into();
        after.fee_standards[0].model = PricingModelDraft::PerUnit {
            unit: "平方公里".into(),
            unit_price: 1_500_000,
            minimum: 500_000,
        };
        let changes = diff(Some(&before), &after, Locale::ZhCn);
        let changed: Vec<_> = changes
            .iter()
            .filter(|c| c.changed())
            .map(|c| (c.key.as_str(), c.fee))
            .collect();
        assert_eq!(changed, [("phone", false), ("fee:surveying:1", true)]);
        let fee = changes.iter().find(|c| c.fee).unwrap();
        assert!(fee.after.as_deref().unwrap().contains("1.5万元"));
    }

    #[test]
    fn a_first_submission_shows_every_field_as_new() {
        let changes = diff(None, &valid_draft(), Locale::ZhCn);
        assert!(changes.iter().all(|c| c.before.is_none() && c.changed()));
    }

    #[test]
    fn a_decision_needs_a_reason() {
        let request = DecisionRequest {
            decision: "request_changes".into(),
            reason: " ".into(),
        };
        assert_eq!(request.parse().unwrap_err()[0].code, "reason_required");
        let ok = DecisionRequest {
            decision: "approve".into(),
            reason: "材料齐全".into(),
        };
        assert_eq!(ok.parse().unwrap().0, ReviewDecision::Approve);
    }

    #[test]
    fn a_blacklist_entry_needs_its_basis_and_sane_dates() {
        let request = SuspensionRequest {
            reason: "超标准收费".into(),
            starts_on: "2026-12-01".into(),
            ends_on: "2026-11-01".into(),
            blacklist: true,
            basis: String::new(),
        };
        let codes: Vec<_> = request
            .parse()
            .unwrap_err()
            .into_iter()
            .map(|e| e.code)
            .collect();
        assert_eq!(codes, ["end_before_start", "basis_required"]);
    }
}
