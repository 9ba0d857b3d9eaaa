//! The contract the owner proposes after a final award: its rules, once, for the server that
//! enforces them and the contract form that checks them first.

use crate::date::CalendarDate;
use crate::error::{FieldError, FieldErrors};
use crate::money::Money;
use crate::wire::ContractTerms;

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ContractError {
    #[error("合同金额超过中选价格,须说明理由")]
    OverAward,
    #[error("合同金额须大于 0")]
    Amount,
    #[error("合同结束日期不能早于开始日期")]
    Dates,
}

crate::violation! {
    ContractError,
    ContractError::OverAward => "over_award_needs_reason",
        "Above the awarded price only with a reason";
    ContractError::Amount => "contract_amount", "The amount must be above zero";
    ContractError::Dates => "end_before_start", "The end cannot be before the start";
}

/// Contract terms whose every rule holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParsedContract {
    pub amount: Money,
    pub starts_on: CalendarDate,
    pub ends_on: CalendarDate,
}

impl ContractTerms {
    /// Checks the terms against the awarded price: a positive amount, above the award only with
    /// a written reason, and an end no earlier than the start. Reports every failing field.
    pub fn parse(&self, award_price: Money) -> Result<ParsedContract, Vec<FieldError>> {
        let mut errors = FieldErrors::new();
        let amount = Money::from_fen(self.amount)
            .ok()
            .filter(|m| m.fen() > 0)
            .ok_or(ContractError::Amount);
        let amount = errors.check("amount", amount);
        if amount.is_some_and(|a| a > award_price) && self.over_reason.trim().chars().count() < 2 {
            errors.push("over_reason", &ContractError::OverAward);
        }
        let starts = errors.check("starts_on", CalendarDate::parse(&self.starts_on));
        let ends = errors.check("ends_on", CalendarDate::parse(&self.ends_on));
        if let (Some(starts), Some(ends)) = (starts, ends) {
            if ends < starts {
                errors.push("ends_on", &ContractError::Dates);
            }
        }
        let contract = (|| {
            Some(ParsedContract {
                amount: amount?,
                starts_on: starts?,
                ends_on: ends?,
            })
        })();
        errors.finish(contract)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::refused;

    fn terms(amount: i64, over_reason: &str, starts: &str, ends: &str) -> ContractTerms {
        ContractTerms {
            amount,
            over_reason: over_reason.into(),
            starts_on: starts.into(),
            ends_on: ends.into(),
        }
    }

    #[test]
    fn terms_at_or_under_the_award_with_ordered_dates_parse() {
        let award = Money::from_fen(10_000).unwrap();
        let parsed = terms(10_000, "", "2026-12-01", "2026-12-01")
            .parse(award)
            .unwrap();
        assert_eq!(parsed.amount, award);
    }

    #[test]
    fn more_than_the_award_needs_a_reason() {
        let award = Money::from_fen(10_000).unwrap();
        assert_eq!(
            refused(terms(10_001, " ", "2026-12-01", "2026-12-31").parse(award)),
            [("over_reason".into(), "over_award_needs_reason".into())]
        );
        assert!(terms(10_001, "增加补充测绘", "2026-12-01", "2026-12-31")
            .parse(award)
            .is_ok());
    }

    #[test]
    fn a_zero_amount_and_an_end_before_the_start_are_both_reported() {
        let award = Money::from_fen(10_000).unwrap();
        assert_eq!(
            refused(terms(0, "", "2026-12-31", "2026-12-01").parse(award)),
            [
                ("amount".into(), "contract_amount".into()),
                ("ends_on".into(), "end_before_start".into())
            ]
        );
    }
}
