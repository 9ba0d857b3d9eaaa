//! How a winner is chosen (选取方式), and how a bid's price compares with the bidder's own
//! published fee standard.

use crate::error::{FieldError, FieldErrors, Locale};
use crate::fee::{FeeStandard, JobFacts, QuoteError};
use crate::money::Money;
use serde::{Deserialize, Serialize};

/// One composite-score criterion with its weight; a job's weights total 100.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Criterion {
    pub name: String,
    pub weight: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SelectionMethod {
    /// 直接选取: the enterprise picks, with a written reason.
    DirectPick,
    /// 竞价: the lowest valid bid; ties go to the earliest submission.
    LowestPrice,
    /// 综合评分: weighted scores the enterprise enters; the highest total wins.
    CompositeScore { criteria: Vec<Criterion> },
    /// 随机抽取: the verifiable draw in [`crate::draw`].
    RandomDraw,
}

/// Which method, without its parameters: what lists and the job page show and filter by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SelectionKind {
    DirectPick,
    LowestPrice,
    CompositeScore,
    RandomDraw,
}

impl SelectionKind {
    pub fn name(self, locale: Locale) -> &'static str {
        match (locale, self) {
            (Locale::ZhCn, SelectionKind::DirectPick) => "直接选取",
            (Locale::ZhCn, SelectionKind::LowestPrice) => "竞价选取",
            (Locale::ZhCn, SelectionKind::CompositeScore) => "综合评分",
            (Locale::ZhCn, SelectionKind::RandomDraw) => "随机抽取",
            (Locale::En, SelectionKind::DirectPick) => "Direct pick",
            (Locale::En, SelectionKind::LowestPrice) => "Lowest price",
            (Locale::En, SelectionKind::CompositeScore) => "Composite score",
            (Locale::En, SelectionKind::RandomDraw) => "Random draw",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SelectionError {
    #[error("评分项的权重合计必须为 100")]
    WeightsNot100,
    #[error("请填写评分项名称")]
    CriterionUnnamed,
    #[error("评分项应为 1–10 项")]
    CriterionCount,
    #[error("每个评分项的得分应在 0–100 之间,且须逐项打分")]
    BadScores,
    #[error("随机抽取至少需要 3 家报名机构")]
    DrawNeedsThree,
}

crate::violation! {
    SelectionError,
    SelectionError::WeightsNot100 => "weights_not_100", "The criteria weights must total 100";
    SelectionError::CriterionUnnamed => "criterion_unnamed", "Name every criterion";
    SelectionError::CriterionCount => "criterion_count", "Use 1 to 10 criteria";
    SelectionError::BadScores => "bad_scores", "Score every criterion from 0 to 100";
    SelectionError::DrawNeedsThree => "draw_needs_three", "A random draw needs at least 3 bidders";
}

impl SelectionMethod {
    pub fn code(&self) -> &'static str {
        match self {
            SelectionMethod::DirectPick => "direct_pick",
            SelectionMethod::LowestPrice => "lowest_price",
            SelectionMethod::CompositeScore { .. } => "composite_score",
            SelectionMethod::RandomDraw => "random_draw",
        }
    }

    pub fn kind(&self) -> SelectionKind {
        match self {
            SelectionMethod::DirectPick => SelectionKind::DirectPick,
            SelectionMethod::LowestPrice => SelectionKind::LowestPrice,
            SelectionMethod::CompositeScore { .. } => SelectionKind::CompositeScore,
            SelectionMethod::RandomDraw => SelectionKind::RandomDraw,
        }
    }

    pub fn name(&self, locale: Locale) -> &'static str {
        self.kind().name(locale)
    }

    /// Checks the method's parameters and the minimum number of bidders it needs.
    pub fn validate(&self, min_bidders: u32) -> Result<(), Vec<FieldError>> {
        let mut errors = FieldErrors::new();
        if let SelectionMethod::CompositeScore { criteria } = self {
            if criteria.is_empty() || criteria.len() > 10 {
                errors.push("selection.criteria", &SelectionError::CriterionCount);
            }
            for (i, c) in criteria.iter().enumerate() {
                if c.name.trim().is_empty() {
                    errors.push(
                        &format!("selection.criteria[{i}].name"),
                        &SelectionError::CriterionUnnamed,
                    );
                }
            }
            if criteria.iter().map(|c| c.weight).sum::<u32>() != 100 {
                errors.push("selection.criteria", &SelectionError::WeightsNot100);
            }
        }
        if *self == SelectionMethod::RandomDraw && min_bidders < 3 {
            errors.push("min_bidders", &SelectionError::DrawNeedsThree);
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors.into_vec())
        }
    }
}

/// A valid bid as the selection sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RankedBid {
    pub agency_id: i64,
    pub price: Money,
    /// Submission order: smaller is earlier (e.g. a timestamp, then an id).
    pub submitted: (i64, i64),
}

/// Lowest price first; ties to the earliest submission. The order also says who follows when
/// an award falls away.
pub fn rank_by_price(bids: &[RankedBid]) -> Vec<i64> {
    let mut sorted = bids.to_vec();
    sorted.sort_by_key(|b| (b.price, b.submitted));
    sorted.into_iter().map(|b| b.agency_id).collect()
}

/// Weighted total in hundredths of a point: Σ score × weight, so 100 points max is 10,000.
pub fn weighted_total(scores: &[u32], criteria: &[Criterion]) -> Result<u32, SelectionError> {
    if scores.len() != criteria.len() || scores.iter().any(|s| *s > 100) {
        return Err(SelectionError::BadScores);
    }
    Ok(scores.iter().zip(criteria).map(|(s, c)| s * c.weight).sum())
}

/// How a tie is settled under a method, as the job page and the award announcement state it.
pub fn tie_rule(method: &SelectionMethod, locale: crate::Locale) -> &'static str {
    use crate::Locale::{En, ZhCn};
    match (method, locale) {
        (SelectionMethod::CompositeScore { .. }, ZhCn) => {
            "总分相同时,报价较低者排名在前;报价也相同时,先提交报价者排名在前。"
        }
        (SelectionMethod::CompositeScore { .. }, En) => {
            "Equal totals: the lower price ranks first; equal prices too: the earlier bid ranks first."
        }
        (SelectionMethod::LowestPrice, ZhCn) => "报价相同时,先提交报价者排名在前。",
        (SelectionMethod::LowestPrice, En) => "Equal prices: the earlier bid ranks first.",
        (SelectionMethod::RandomDraw, ZhCn) => {
            "不存在同分:按开标时公开的随机种子抽取,任何人可复核。"
        }
        (SelectionMethod::RandomDraw, En) => {
            "No ties: the draw uses the seed revealed at opening, which anyone can check."
        }
        (SelectionMethod::DirectPick, ZhCn) => "由项目业主直接选定并说明理由,不涉及同分。",
        (SelectionMethod::DirectPick, En) => {
            "The owner picks one bid and states why; no ties arise."
        }
    }
}

/// Whether the top two of a score ranking had equal totals, so the tie rule decided.
pub fn decided_by_tie(ranked: &[(i64, u32)]) -> bool {
    matches!(ranked, [(_, first), (_, second), ..] if first == second)
}

/// Highest total first; ties to the lower price, then the earliest submission.
pub fn rank_by_score(
    bids: &[RankedBid],
    scores: &[(i64, Vec<u32>)],
    criteria: &[Criterion],
) -> Result<Vec<(i64, u32)>, SelectionError> {
    let mut totals = Vec::with_capacity(bids.len());
    for bid in bids {
        let bid_scores = scores
            .iter()
            .find(|(id, _)| *id == bid.agency_id)
            .map(|(_, s)| s.as_slice())
            .ok_or(SelectionError::BadScores)?;
        totals.push((bid, weighted_total(bid_scores, criteria)?));
    }
    totals.sort_by_key(|(bid, total)| (std::cmp::Reverse(*total), bid.price, bid.submitted));
    Ok(totals
        .into_iter()
        .map(|(bid, total)| (bid.agency_id, total))
        .collect())
}

/// Why a bid's price is flagged against the bidder's own published standard.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum FeeFlag {
    /// 超标准收费: above the standard's quote.
    OverStandard,
    /// 异常低价: below the committed maximum discount, or below the floor ratio of the quote.
    AbnormallyLow,
}

impl FeeFlag {
    pub fn name(self, locale: Locale) -> &'static str {
        match (locale, self) {
            (Locale::ZhCn, FeeFlag::OverStandard) => "超标准收费",
            (Locale::ZhCn, FeeFlag::AbnormallyLow) => "异常低价",
            (Locale::En, FeeFlag::OverStandard) => "Above the fee standard",
            (Locale::En, FeeFlag::AbnormallyLow) => "Abnormally low",
        }
    }
}

/// Default floor: a bid under half the standard's quote is abnormally low.
pub const DEFAULT_FLOOR_RATIO_BP: u32 = 5_000;

/// Flags for `price` against the bidder's standard for this job.
pub fn fee_flags(
    price: Money,
    standard: &FeeStandard,
    facts: &JobFacts,
    floor_ratio_bp: u32,
) -> Result<Vec<FeeFlag>, QuoteError> {
    let quote = standard.quote(facts)?;
    let mut flags = Vec::new();
    if price > quote {
        flags.push(FeeFlag::OverStandard);
    }
    let ratio_floor =
        Money::from_fen(quote.fen() * floor_ratio_bp as i64 / 10_000).unwrap_or(Money::ZERO);
    if price < standard.discount_floor(quote) || price < ratio_floor {
        flags.push(FeeFlag::AbnormallyLow);
    }
    Ok(flags)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fee::{FeeStandardDraft, PricingModelDraft};

    fn bid(agency_id: i64, yuan: i64, at: i64) -> RankedBid {
        RankedBid {
            agency_id,
            price: Money::from_yuan(yuan).unwrap(),
            submitted: (at, agency_id),
        }
    }

    #[test]
    fn the_lowest_price_wins_and_ties_go_to_the_earliest() {
        let bids = [
            bid(1, 50_000, 30),
            bid(2, 40_000, 20),
            bid(3, 40_000, 10),
            bid(4, 60_000, 5),
        ];
        assert_eq!(rank_by_price(&bids), [3, 2, 1, 4]);
    }

    fn criteria() -> Vec<Criterion> {
        vec![
            Criterion {
                name: "技术方案".into(),
                weight: 60,
            },
            Criterion {
                name: "报价".into(),
                weight: 30,
            },
            Criterion {
                name: "业绩".into(),
                weight: 10,
            },
        ]
    }

    #[test]
    fn composite_scores_are_weighted_and_the_highest_total_wins() {
        let bids = [bid(1, 50_000, 1), bid(2, 40_000, 2)];
        let scores = [(1, vec![90, 60, 80]), (2, vec![80, 90, 70])];
        // 1: 5400 + 1800 + 800 = 8000; 2: 4800 + 2700 + 700 = 8200.
        assert_eq!(
            rank_by_score(&bids, &scores, &criteria()).unwrap(),
            [(2, 8_200), (1, 8_000)]
        );
    }

    #[test]
    fn scores_must_cover_every_criterion_within_range() {
        let bids = [bid(1, 50_000, 1)];
        assert_eq!(
            rank_by_score(&bids, &[(1, vec![90, 60])], &criteria()),
            Err(SelectionError::BadScores)
        );
        assert_eq!(
            rank_by_score(&bids, &[(1, vec![90, 60, 101])], &criteria()),
            Err(SelectionError::BadScores)
        );
        assert_eq!(
            rank_by_score(&bids, &[], &criteria()),
            Err(SelectionError::BadScores)
        );
    }

    #[test]
    fn weights_must_total_100_and_a_draw_needs_three_bidders() {
        let bad = SelectionMethod::CompositeScore {
            criteria: vec![
                Criterion {
                    name: "技术".into(),
                    weight: 70,
                },
                Criterion {
                    name: "价格".into(),
                    weight: 20,
                },
            ],
        };
        assert_eq!(bad.validate(3).unwrap_err()[0].code, "weights_not_100");
        assert!(SelectionMethod::CompositeScore {
            criteria: criteria()
        }
        .validate(3)
        .is_ok());
        assert_eq!(
            SelectionMethod::RandomDraw.validate(2).unwrap_err()[0].code,
            "draw_needs_three"
        );
        assert!(SelectionMethod::RandomDraw.validate(3).is_ok());
    }

    fn standard(max_discount_bp: i64) -> FeeStandard {
        FeeStandard::parse(
            &FeeStandardDraft {
                service_type: "heritage".into(),
                basis: "market_regulated".into(),
                model: PricingModelDraft::Fixed { price: 10_000_000 }, // 10万元
                max_discount_bp,
                effective_from: "2026-01-01".into(),
            },
            "",
        )
        .unwrap()
    }

    fn flags(yuan: i64, max_discount_bp: i64) -> Vec<FeeFlag> {
        fee_flags(
            Money::from_yuan(yuan).unwrap(),
            &standard(max_discount_bp),
            &JobFacts::default(),
            DEFAULT_FLOOR_RATIO_BP,
        )
        .unwrap()
    }

    #[test]
    fn a_bid_above_the_quote_is_flagged_over_standard() {
        assert_eq!(flags(100_001, 0), [FeeFlag::OverStandard]);
        assert!(flags(100_000, 0).is_empty());
    }

    #[test]
    fn a_bid_below_the_committed_discount_or_half_the_quote_is_abnormally_low() {
        // 20% maximum discount: the floor is 8万.
        assert!(flags(80_000, 2_000).is_empty());
        assert_eq!(flags(79_999, 2_000), [FeeFlag::AbnormallyLow]);
        // 60% committed discount is looser than the 50% floor ratio.
        assert!(flags(50_000, 6_000).is_empty());
        assert_eq!(flags(49_999, 6_000), [FeeFlag::AbnormallyLow]);
    }
}
