//! A bid's fields, parsed once: the server enforces this and the bid form runs the same code as
//! the agency types, so neither can accept what the other refuses.

use crate::catalog::ServiceType;
use crate::error::{FieldError, FieldErrors, Locale};
use crate::job::{level_meets, JobDraft};
use crate::money::{Money, MoneyError};
use crate::text::{limits, BoundedText};
use serde::{Deserialize, Serialize};
use std::ops::RangeInclusive;

/// The service period an agency may commit to, in days.
pub const SERVICE_DAYS: RangeInclusive<u32> = 1..=3650;

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum BidInputError {
    #[error("报价金额不能为负数")]
    PriceNegative,
    #[error("报价须大于 0 元")]
    PriceZero,
    #[error("报价不能超过最高限价")]
    OverBudget,
    #[error("服务期限应为 1–3650 天的整数")]
    ServiceDays,
}

crate::violation! {
    BidInputError,
    BidInputError::PriceNegative => "money_negative", "The price cannot be negative";
    BidInputError::PriceZero => "price_not_positive", "The price must be above zero";
    BidInputError::OverBudget => "over_budget", "The price exceeds the budget ceiling";
    BidInputError::ServiceDays => "service_days",
        "The service period is a whole number of days from 1 to 3650";
}

/// A bid whose every field holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParsedBid {
    pub price: Money,
    pub service_days: u32,
    pub commitment: BoundedText,
    pub proposal: BoundedText,
}

/// The service period as the form holds it: anything but a whole number in range is an error,
/// never a zero that the server would refuse with a less helpful message.
pub fn parse_service_days(text: &str) -> Result<u32, BidInputError> {
    text.trim()
        .parse::<u32>()
        .ok()
        .filter(|days| SERVICE_DAYS.contains(days))
        .ok_or(BidInputError::ServiceDays)
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

impl BidRequest {
    /// Parses every field against the job's budget ceiling (fen), reporting each failing field.
    pub fn parse(&self, budget_ceiling: i64) -> Result<ParsedBid, Vec<FieldError>> {
        let mut errors = FieldErrors::new();
        // A bid of 0 would win every lowest-price selection; one above the ceiling (up to
        // i64::MAX) is over budget, not "negative".
        let price = match Money::from_fen(self.price) {
            Ok(price) if price.fen() == 0 => Err(BidInputError::PriceZero),
            Ok(price) if price.fen() <= budget_ceiling => Ok(price),
            Ok(_) | Err(MoneyError::TooLarge) => Err(BidInputError::OverBudget),
            Err(_) => Err(BidInputError::PriceNegative),
        };
        let price = errors.check("price", price);
        let days = if SERVICE_DAYS.contains(&self.service_days) {
            Ok(self.service_days)
        } else {
            Err(BidInputError::ServiceDays)
        };
        let service_days = errors.check("service_days", days);
        let commitment = errors.check("commitment", limits::BID_COMMITMENT.parse(&self.commitment));
        let proposal = errors.check("proposal", limits::BID_PROPOSAL.parse(&self.proposal));
        let bid = (|| {
            Some(ParsedBid {
                price: price?,
                service_days: service_days?,
                commitment: commitment?,
                proposal: proposal?,
            })
        })();
        errors.finish(bid)
    }
}

/// Why an agency may not bid on a job.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Ineligible {
    /// Suspended or blacklisted.
    Suspended,
    /// On the job's avoidance list (回避).
    Avoided,
    /// The service is not offered, or its qualification has expired.
    ServiceNotOffered,
    /// A qualification level the job requires is missing.
    QualificationMissing,
}

impl Ineligible {
    /// The API's code; the two kinds of missing qualification share one.
    pub fn code(self) -> &'static str {
        match self {
            Ineligible::Suspended => "agency_suspended",
            Ineligible::Avoided => "agency_avoided",
            Ineligible::ServiceNotOffered | Ineligible::QualificationMissing => "not_qualified",
        }
    }

    pub fn message_zh(self) -> &'static str {
        match self {
            Ineligible::Suspended => "机构处于暂停期或黑名单内,不能报价",
            Ineligible::Avoided => "您的机构在本项目的回避名单中,不能报价",
            Ineligible::ServiceNotOffered => "机构未提供该项服务,或相关资质已过期",
            Ineligible::QualificationMissing => "机构不具备本项目要求的资质等级",
        }
    }

    pub fn message(self, locale: Locale) -> &'static str {
        match (locale, self) {
            (Locale::ZhCn, _) => self.message_zh(),
            (Locale::En, Ineligible::Suspended) => {
                "The agency is suspended or blacklisted and cannot bid"
            }
            (Locale::En, Ineligible::Avoided) => {
                "Your agency is on this job's avoidance list and cannot bid"
            }
            (Locale::En, Ineligible::ServiceNotOffered) => {
                "The agency does not offer this service, or its qualification has expired"
            }
            (Locale::En, Ineligible::QualificationMissing) => {
                "The agency lacks the qualification level this job requires"
            }
        }
    }
}

/// What [`eligibility`] reads of an agency as the directory shows it today. A trait rather
/// than the wire's `AgencyDetail`, so that this rule does not depend on the wire types that
/// carry its answer.
pub trait Bidder {
    fn is_suspended(&self) -> bool;
    /// The service types it offers today.
    fn offers(&self) -> &[ServiceType];
    /// Each qualification: whether it has expired, the services it covers and its level.
    fn qualifications(&self) -> impl Iterator<Item = (bool, &[ServiceType], &str)>;
}

/// Whether the agency (`agency_id`, as the directory shows it today) may bid on a job with
/// these terms: not suspended, not avoided, offering the service, and holding every required
/// qualification level unexpired.
pub fn eligibility(
    agency_id: i64,
    agency: &impl Bidder,
    terms: &JobDraft,
) -> Result<(), Ineligible> {
    if agency.is_suspended() {
        return Err(Ineligible::Suspended);
    }
    if terms.avoidance.iter().any(|a| a.agency_id == agency_id) {
        return Err(Ineligible::Avoided);
    }
    let service = ServiceType::parse(&terms.service_type);
    if !service.is_some_and(|s| agency.offers().contains(&s)) {
        return Err(Ineligible::ServiceNotOffered);
    }
    for required in &terms.required_qualifications {
        let needed = ServiceType::parse(&required.service_type);
        let held = agency.qualifications().any(|(expired, covers, level)| {
            !expired
                && needed.is_some_and(|s| covers.contains(&s))
                && level_meets(level, &required.min_level)
        });
        if !held {
            return Err(Ineligible::QualificationMissing);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::refused;

    fn request(price: i64, service_days: u32) -> BidRequest {
        BidRequest {
            price,
            service_days,
            commitment: "按期交付".into(),
            proposal: "技术方案概述".into(),
        }
    }

    #[test]
    fn a_bid_within_the_ceiling_parses() {
        let bid = request(100_000, 30).parse(100_000).unwrap();
        assert_eq!(bid.price.fen(), 100_000);
        assert_eq!(bid.service_days, 30);
    }

    #[test]
    fn zero_negative_and_over_budget_prices_each_have_their_own_code() {
        let price = |fen| refused(request(fen, 30).parse(100_000));
        assert_eq!(price(0), [("price".into(), "price_not_positive".into())]);
        assert_eq!(price(-1), [("price".into(), "money_negative".into())]);
        assert_eq!(price(100_001), [("price".into(), "over_budget".into())]);
        assert_eq!(price(i64::MAX), [("price".into(), "over_budget".into())]);
    }

    #[test]
    fn every_failing_field_is_reported_at_once() {
        let mut bad = request(0, 0);
        bad.commitment = "x".into();
        bad.proposal = String::new();
        let fields: Vec<String> = refused(bad.parse(100))
            .into_iter()
            .map(|(f, _)| f)
            .collect();
        assert_eq!(fields, ["price", "service_days", "commitment", "proposal"]);
    }

    #[test]
    fn the_forms_day_count_is_a_whole_number_in_range_never_a_silent_zero() {
        assert_eq!(parse_service_days(" 30 "), Ok(30));
        assert_eq!(parse_service_days("3650"), Ok(3650));
        for text in ["", "0", "3651", "2.5", "三十", "-1"] {
            assert_eq!(
                parse_service_days(text),
                Err(BidInputError::ServiceDays),
                "{text:?}"
            );
        }
    }
}
