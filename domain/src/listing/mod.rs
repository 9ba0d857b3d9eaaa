//! An agency's listing: what it publishes about itself, the rules it must obey, how two
//! versions differ, and when qualifications stop counting.

use crate::catalog::{District, ServiceType};
use crate::date::CalendarDate;
use crate::error::{FieldError, FieldErrors, Locale};
use crate::fee::{FeeStandard, FeeStandardDraft};
use crate::identifiers::{CreditCode, Email, Phone};
use crate::text::{BoundedText, OrgName, PersonName};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

mod diff;
mod review;
pub use diff::*;
pub use review::*;

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

/// A qualification certificate, as a listing declares it and the agency's page shows it.
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

/// A qualification as the "offered today" rule reads it, whether parsed from a draft or read
/// back from the store.
pub trait Covering {
    /// The service types it covers.
    fn covers(&self) -> &[ServiceType];
    /// Its last valid day.
    fn last_day(&self) -> CalendarDate;

    /// Past its last valid day. The server's in-memory directory applies this very rule
    /// (through [`offered_service_types`]) each day.
    fn has_expired_on(&self, today: CalendarDate) -> bool {
        today > self.last_day()
    }
}

impl Covering for Qualification {
    fn covers(&self) -> &[ServiceType] {
        &self.service_types
    }

    fn last_day(&self) -> CalendarDate {
        self.expires_on
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
    pub qualifications: Vec<Qualification>,
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

crate::violation! {
    ListingRuleError,
    ListingRuleError::NoServiceType => "service_types_empty", "Choose at least one service type";
    ListingRuleError::UnknownServiceType => "unknown_service_type", "Unknown service type";
    ListingRuleError::UnknownDistrict => "unknown_district", "Choose the district";
    ListingRuleError::StaffCount => "staff_count_range",
        "Staff count is a whole number from 1 to 100000";
    ListingRuleError::ExpiryBeforeIssue => "expiry_before_issue",
        "The expiry date must be after the issue date";
    ListingRuleError::QualificationWithoutService => "qualification_services_empty",
        "Choose the service types this qualification covers";
    ListingRuleError::ServiceNotOffered => "service_not_offered",
        "This service type is not among those offered";
    ListingRuleError::FeeStandardMissing => "fee_standard_missing",
        "Every service type needs at least one fee standard";
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
                qualifications.push(Qualification {
                    name: name.into_string(),
                    number: number.into_string(),
                    level: level.into_string(),
                    authority: authority.into_string(),
                    issued_on,
                    expires_on,
                    service_types: covers,
                    expired: false,
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

        // Every field is parsed (so the user sees all errors at once) before any is required.
        let listing = (|| {
            Some(Listing {
                name: name?,
                credit_code: credit_code?,
                legal_representative: legal_representative?,
                contact_person: contact_person?,
                phone: phone?,
                email: email?,
                address: address?,
                district: district?,
                description: description?,
                service_types,
                qualifications,
                staff_count: self.staff_count as u32,
                service_commitment: service_commitment?,
                fee_standards,
            })
        })();
        errors.finish(listing)
    }
}

impl Listing {
    /// Service types shown publicly today: a type whose every covering qualification has
    /// expired is hidden; a type no qualification covers stays (not every service needs one).
    pub fn offered_on(&self, today: CalendarDate) -> Vec<ServiceType> {
        offered_service_types(&self.service_types, &self.qualifications, today)
    }
}

pub fn offered_service_types<Q: Covering>(
    service_types: &[ServiceType],
    qualifications: &[Q],
    today: CalendarDate,
) -> Vec<ServiceType> {
    service_types
        .iter()
        .copied()
        .filter(|t| {
            let covering: Vec<_> = qualifications
                .iter()
                .filter(|q| q.covers().contains(t))
                .collect();
            covering.is_empty() || covering.iter().any(|q| !q.has_expired_on(today))
        })
        .collect()
}

/// Qualifications that expire within [`EXPIRY_WARNING_DAYS`] (or already have), for the
/// agency's dashboard warning.
pub fn expiring_qualifications(
    qualifications: &[Qualification],
    today: CalendarDate,
) -> Vec<&Qualification> {
    qualifications
        .iter()
        .filter(|q| today.days_until(q.expires_on) <= EXPIRY_WARNING_DAYS)
        .collect()
}

#[cfg(test)]
mod tests;
