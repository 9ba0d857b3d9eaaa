//! An agency's credit score (信用评分): a documented formula over its ratings, upheld
//! complaints, fee-flagged awards and red/black-list entries, with the breakdown shown on its page.
//!
//! score = 80
//!       + (average rating − 3.00) × 10            (only with at least one rating; ±20)
//!       − 10 per upheld quality or fee complaint, − 15 per upheld misconduct complaint,
//!         − 5 per other upheld complaint          (decided within the last 730 days)
//!       − 3 per award whose winning bid was fee-flagged (at most − 15)
//!       − 40 while suspended; − 10 per suspension that ended within the last 730 days
//! clamped to 0–100; an active blacklist entry (黑名单) sets the score to 0.
//! Grades: A ≥ 90, B ≥ 75, C ≥ 60, D below.

use crate::complaint::ComplaintCategory;
use crate::{CalendarDate, Locale};
use serde::{Deserialize, Serialize};

pub const BASE: i64 = 80;
/// Complaints and past suspensions count for this many days.
pub const LOOKBACK_DAYS: i64 = 730;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CreditFactor {
    Base,
    Ratings,
    UpheldComplaints,
    FeeFlaggedAwards,
    ActiveSuspension,
    PastSuspensions,
    Blacklist,
}

impl CreditFactor {
    pub fn name(self, locale: Locale) -> &'static str {
        match (self, locale) {
            (CreditFactor::Base, Locale::ZhCn) => "基础分",
            (CreditFactor::Base, Locale::En) => "Base",
            (CreditFactor::Ratings, Locale::ZhCn) => "服务评价",
            (CreditFactor::Ratings, Locale::En) => "Ratings",
            (CreditFactor::UpheldComplaints, Locale::ZhCn) => "成立的投诉",
            (CreditFactor::UpheldComplaints, Locale::En) => "Upheld complaints",
            (CreditFactor::FeeFlaggedAwards, Locale::ZhCn) => "中选价格违反收费标准",
            (CreditFactor::FeeFlaggedAwards, Locale::En) => "Fee-flagged awards",
            (CreditFactor::ActiveSuspension, Locale::ZhCn) => "正在暂停",
            (CreditFactor::ActiveSuspension, Locale::En) => "Currently suspended",
            (CreditFactor::PastSuspensions, Locale::ZhCn) => "近两年的暂停记录",
            (CreditFactor::PastSuspensions, Locale::En) => "Suspensions in the last two years",
            (CreditFactor::Blacklist, Locale::ZhCn) => "列入黑名单",
            (CreditFactor::Blacklist, Locale::En) => "Blacklisted",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreditItem {
    pub factor: CreditFactor,
    /// How many ratings, complaints, awards or entries it covers.
    pub count: i64,
    pub points: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreditScore {
    pub score: i64,
    pub grade: char,
    pub items: Vec<CreditItem>,
}

/// A red/black-list entry as the score needs it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListEntry {
    pub blacklist: bool,
    pub starts_on: CalendarDate,
    pub ends_on: CalendarDate,
    /// Lifted early: counts as ended on that day.
    pub lifted_on: Option<CalendarDate>,
}

pub struct CreditInputs<'a> {
    pub ratings: u32,
    pub average_hundredths: u32,
    /// (category, days since decided)
    pub upheld: &'a [(ComplaintCategory, i64)],
    pub fee_flagged_awards: i64,
    pub entries: &'a [ListEntry],
    pub today: CalendarDate,
}

pub fn grade(score: i64) -> char {
    match score {
        90.. => 'A',
        75..=89 => 'B',
        60..=74 => 'C',
        _ => 'D',
    }
}

pub fn score(inputs: &CreditInputs<'_>) -> CreditScore {
    let mut items = vec![CreditItem {
        factor: CreditFactor::Base,
        count: 0,
        points: BASE,
    }];
    if inputs.ratings > 0 {
        items.push(CreditItem {
            factor: CreditFactor::Ratings,
            count: i64::from(inputs.ratings),
            // (average − 3) × 10, in hundredths: ± 200 hundredths → ± 20 points, rounded.
            points: (i64::from(inputs.average_hundredths) - 300).div_euclid(10)
                + i64::from((i64::from(inputs.average_hundredths) - 300).rem_euclid(10) >= 5),
        });
    }
    let recent: Vec<ComplaintCategory> = inputs
        .upheld
        .iter()
        .filter(|(_, days)| *days <= LOOKBACK_DAYS)
        .map(|(c, _)| *c)
        .collect();
    if !recent.is_empty() {
        items.push(CreditItem {
            factor: CreditFactor::UpheldComplaints,
            count: recent.len() as i64,
            points: -recent
                .iter()
                .map(|c| match c {
                    ComplaintCategory::Quality | ComplaintCategory::Fee => 10,
                    ComplaintCategory::Misconduct => 15,
                    ComplaintCategory::Other => 5,
                })
                .sum::<i64>(),
        });
    }
    if inputs.fee_flagged_awards > 0 {
        items.push(CreditItem {
            factor: CreditFactor::FeeFlaggedAwards,
            count: inputs.fee_flagged_awards,
            points: -(3 * inputs.fee_flagged_awards).min(15),
        });
    }
    let ends = |e: &ListEntry| e.lifted_on.unwrap_or(e.ends_on);
    let active: Vec<&ListEntry> = inputs
        .entries
        .iter()
        .filter(|e| e.starts_on <= inputs.today && inputs.today <= ends(e))
        .collect();
    let past = inputs
        .entries
        .iter()
        .filter(|e| {
            ends(e) < inputs.today
                && inputs.today.days_since_epoch() - ends(e).days_since_epoch() <= LOOKBACK_DAYS
        })
        .count() as i64;
    if !active.is_empty() {
        items.push(CreditItem {
            factor: CreditFactor::ActiveSuspension,
            count: active.len() as i64,
            points: -40,
        });
    }
    if past > 0 {
        items.push(CreditItem {
            factor: CreditFactor::PastSuspensions,
            count: past,
            points: -10 * past,
        });
    }
    let mut total = items.iter().map(|i| i.points).sum::<i64>().clamp(0, 100);
    if active.iter().any(|e| e.blacklist) {
        items.push(CreditItem {
            factor: CreditFactor::Blacklist,
            count: 1,
            points: -total,
        });
        total = 0;
    }
    CreditScore {
        score: total,
        grade: grade(total),
        items,
    }
}

/// `GET /api/agencies/{id}/credit`: the score and the record behind it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreditRecord {
    pub agency_id: i64,
    pub score: CreditScore,
    pub ratings: u32,
    pub average_hundredths: u32,
    pub upheld_complaints: Vec<UpheldComplaint>,
    pub fee_flagged_awards: i64,
    pub entries: Vec<crate::wire::SuspensionView>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UpheldComplaint {
    pub id: i64,
    pub category: ComplaintCategory,
    pub title: String,
    pub decided_at: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> CalendarDate {
        CalendarDate::parse(text).unwrap()
    }

    fn inputs<'a>(
        upheld: &'a [(ComplaintCategory, i64)],
        entries: &'a [ListEntry],
    ) -> CreditInputs<'a> {
        CreditInputs {
            ratings: 4,
            average_hundredths: 450,
            upheld,
            fee_flagged_awards: 0,
            entries,
            today: day("2026-11-28"),
        }
    }

    #[test]
    fn good_ratings_and_a_clean_record_score_an_a() {
        let score = score(&inputs(&[], &[]));
        assert_eq!((score.score, score.grade), (95, 'A'));
    }

    #[test]
    fn upheld_complaints_count_for_two_years_by_category() {
        let upheld = [
            (ComplaintCategory::Quality, 10),
            (ComplaintCategory::Misconduct, 700),
            (ComplaintCategory::Fee, 731),
        ];
        let score = score(&inputs(&upheld, &[]));
        let item = score
            .items
            .iter()
            .find(|i| i.factor == CreditFactor::UpheldComplaints)
            .unwrap();
        assert_eq!((item.count, item.points), (2, -25));
        assert_eq!((score.score, score.grade), (70, 'C'));
    }

    #[test]
    fn an_active_suspension_costs_forty_and_a_blacklist_zeroes_the_score() {
        let suspended = [ListEntry {
            blacklist: false,
            starts_on: day("2026-11-01"),
            ends_on: day("2027-01-31"),
            lifted_on: None,
        }];
        assert_eq!(score(&inputs(&[], &suspended)).score, 55);
        let blacklisted = [ListEntry {
            blacklist: true,
            ..suspended[0].clone()
        }];
        let zero = score(&inputs(&[], &blacklisted));
        assert_eq!((zero.score, zero.grade), (0, 'D'));
        let lifted = [ListEntry {
            lifted_on: Some(day("2026-11-10")),
            ..blacklisted[0].clone()
        }];
        assert_eq!(
            score(&inputs(&[], &lifted)).score,
            85,
            "lifted: a past entry"
        );
    }

    #[test]
    fn fee_flags_cost_at_most_fifteen_and_the_score_stays_in_range() {
        let mut many = inputs(&[], &[]);
        many.fee_flagged_awards = 9;
        assert_eq!(score(&many).score, 80);
        let upheld = [(ComplaintCategory::Misconduct, 1); 10];
        let mut worst = inputs(&upheld, &[]);
        worst.average_hundredths = 100;
        assert_eq!(score(&worst).score, 0);
    }
}
