//! Who wins, in which order the others follow should the winner fall away, and why: one
//! function for every published method, used by the server's award and by the demo data.

use crate::error::Locale;
use crate::money::Money;
use crate::selection::{
    decided_by_tie, rank_by_price, rank_by_score, tie_rule, RankedBid, SelectionError,
    SelectionMethod,
};
use crate::text::limits;
use serde::{Deserialize, Serialize};

/// Why the winner won, as codes and numbers, so every reader gets it in their own language.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AwardBasis {
    LowestPrice,
    /// The highest weighted total, in hundredths of a point; `tie` when the tie rule decided.
    HighestScore {
        hundredths: u32,
        tie: bool,
    },
    Drawn,
    /// The owner's own words.
    DirectPick {
        reason: String,
    },
}

impl AwardBasis {
    pub fn text(&self, locale: Locale) -> String {
        match (self, locale) {
            (AwardBasis::LowestPrice, Locale::ZhCn) => "竞价选取:有效报价最低者中选".into(),
            (AwardBasis::LowestPrice, Locale::En) => {
                "Lowest price: the lowest valid bid wins".into()
            }
            (AwardBasis::HighestScore { hundredths, tie }, _) => {
                let points = format!("{}.{:02}", hundredths / 100, hundredths % 100);
                let rule = tie_rule(
                    &SelectionMethod::CompositeScore { criteria: vec![] },
                    locale,
                );
                match (locale, tie) {
                    (Locale::ZhCn, false) => format!("综合评分最高:{points} 分"),
                    (Locale::ZhCn, true) => {
                        format!("综合评分最高:{points} 分;与其他机构总分相同,按同分规则确定:{rule}")
                    }
                    (Locale::En, false) => format!("Highest composite score: {points} points"),
                    (Locale::En, true) => format!(
                        "Highest composite score: {points} points, equal to another bidder's; decided by the tie rule: {rule}"
                    ),
                }
            }
            (AwardBasis::Drawn, Locale::ZhCn) => "随机抽取".into(),
            (AwardBasis::Drawn, Locale::En) => "Random draw".into(),
            (AwardBasis::DirectPick { reason }, _) => reason.clone(),
        }
    }
}

/// Why an award request cannot be carried out.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AwardRefusal {
    #[error("随机抽取在报名截止时由系统自动进行,业主不能选取")]
    DrawIsAutomatic,
    #[error("请选择报价的机构")]
    PickRequired,
    #[error("直接选取须写明理由(2–500 字)")]
    ReasonRequired,
    #[error("所选机构没有有效报价")]
    NotABidder,
    #[error("{0}")]
    Scores(SelectionError),
}

impl AwardRefusal {
    /// The request field at fault, if one is.
    pub fn field(&self) -> Option<&'static str> {
        match self {
            AwardRefusal::DrawIsAutomatic => None,
            AwardRefusal::PickRequired | AwardRefusal::NotABidder => Some("agency_id"),
            AwardRefusal::ReasonRequired => Some("reason"),
            AwardRefusal::Scores(_) => Some("scores"),
        }
    }
}

crate::violation! {
    AwardRefusal,
    AwardRefusal::DrawIsAutomatic => "draw_is_automatic",
        "The draw runs by itself at the deadline; the owner does not select";
    AwardRefusal::PickRequired => "pick_required", "Choose a bidding agency";
    AwardRefusal::ReasonRequired => "reason_required",
        "A direct pick needs its reason (2–500 characters)";
    AwardRefusal::NotABidder => "not_a_bidder", "That agency has no valid bid";
    AwardRefusal::Scores(e) => e.code(), e.message(Locale::En);
}

/// The candidates in the method's order, the winner first, and why the winner won.
pub fn award_order(
    method: &SelectionMethod,
    bids: &[RankedBid],
    request: &AwardRequest,
) -> Result<(Vec<i64>, AwardBasis), AwardRefusal> {
    let by_price = rank_by_price(bids);
    match method {
        SelectionMethod::RandomDraw => Err(AwardRefusal::DrawIsAutomatic),
        SelectionMethod::LowestPrice => Ok((by_price, AwardBasis::LowestPrice)),
        SelectionMethod::CompositeScore { criteria } => {
            let sheets: Vec<(i64, Vec<u32>)> = request
                .scores
                .iter()
                .map(|s| (s.agency_id, s.scores.clone()))
                .collect();
            let ranked = rank_by_score(bids, &sheets, criteria).map_err(AwardRefusal::Scores)?;
            let basis = AwardBasis::HighestScore {
                hundredths: ranked.first().map_or(0, |(_, total)| *total),
                // Never settled silently: the announcement says the tie rule decided.
                tie: decided_by_tie(&ranked),
            };
            Ok((
                ranked.into_iter().map(|(agency, _)| agency).collect(),
                basis,
            ))
        }
        SelectionMethod::DirectPick => {
            let pick = request.agency_id.ok_or(AwardRefusal::PickRequired)?;
            if !bids.iter().any(|b| b.agency_id == pick) {
                return Err(AwardRefusal::NotABidder);
            }
            let reason = limits::PICK_REASON
                .parse(&request.reason)
                .map_err(|_| AwardRefusal::ReasonRequired)?;
            // Should the pick fall away, the others follow by price.
            let order = std::iter::once(pick)
                .chain(by_price.into_iter().filter(|a| *a != pick))
                .collect();
            Ok((
                order,
                AwardBasis::DirectPick {
                    reason: reason.into_string(),
                },
            ))
        }
    }
}

/// Each candidate's bid price, in the candidates' order, as the award record keeps them.
pub fn prices_in_order(order: &[i64], bids: &[RankedBid]) -> Vec<Money> {
    order
        .iter()
        .map(|agency| {
            bids.iter()
                .find(|b| b.agency_id == *agency)
                .map_or(Money::ZERO, |b| b.price)
        })
        .collect()
}

/// The award of a job: who won, at what price, by which method, and who follows if it falls away.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AwardRecord {
    /// Candidates in the method's order (draw order, price order, score order …).
    pub candidates: Vec<i64>,
    /// Position of the current winner in `candidates`.
    pub position: usize,
    /// Each candidate's bid price, by candidate position.
    pub prices: Vec<Money>,
    /// The direct pick's reason, or how the winner was found (Chinese).
    pub reason: String,
    /// The same as codes; absent on awards stored before it existed.
    #[serde(default)]
    pub basis: Option<AwardBasis>,
    /// Unix seconds; objections are accepted until then.
    pub publicity_ends: i64,
    /// Random draw only: the frozen list's hash and, once drawn, the revealed seed.
    pub candidates_hash: Option<String>,
    pub seed: Option<String>,
}

impl AwardRecord {
    /// The owner's award: every valid bidder in the method's order with their prices, the
    /// basis in Chinese as the reason, open to objection until `publicity_ends` (Unix seconds).
    pub fn select(
        method: &SelectionMethod,
        bids: &[RankedBid],
        request: &AwardRequest,
        publicity_ends: i64,
    ) -> Result<AwardRecord, AwardRefusal> {
        let (candidates, basis) = award_order(method, bids, request)?;
        Ok(AwardRecord {
            prices: prices_in_order(&candidates, bids),
            candidates,
            position: 0,
            reason: basis.text(Locale::ZhCn),
            basis: Some(basis),
            publicity_ends,
            candidates_hash: None,
            seed: None,
        })
    }

    pub fn winner(&self) -> Option<(i64, Money)> {
        Some((
            *self.candidates.get(self.position)?,
            *self.prices.get(self.position)?,
        ))
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::selection::Criterion;

    fn bids() -> Vec<RankedBid> {
        [(1, 300), (2, 100), (3, 200)]
            .into_iter()
            .map(|(agency_id, yuan)| RankedBid {
                agency_id,
                price: Money::from_fen(yuan * 100).unwrap(),
                submitted: (agency_id, agency_id),
            })
            .collect()
    }

    #[test]
    fn the_lowest_price_wins_and_the_others_follow_by_price() {
        let (order, basis) = award_order(
            &SelectionMethod::LowestPrice,
            &bids(),
            &AwardRequest::default(),
        )
        .unwrap();
        assert_eq!(order, [2, 3, 1]);
        let prices: Vec<i64> = prices_in_order(&order, &bids())
            .iter()
            .map(|m| m.fen())
            .collect();
        assert_eq!(prices, [10_000, 20_000, 30_000]);
        assert_eq!(
            basis.text(Locale::En),
            "Lowest price: the lowest valid bid wins"
        );
    }

    #[test]
    fn a_direct_pick_needs_a_bidder_and_a_reason_and_the_rest_follow_by_price() {
        let pick = |agency_id, reason: &str| AwardRequest {
            agency_id,
            reason: reason.into(),
            ..AwardRequest::default()
        };
        let method = SelectionMethod::DirectPick;
        assert_eq!(
            award_order(&method, &bids(), &pick(None, "熟悉项目")),
            Err(AwardRefusal::PickRequired)
        );
        assert_eq!(
            award_order(&method, &bids(), &pick(Some(9), "熟悉项目")),
            Err(AwardRefusal::NotABidder)
        );
        assert_eq!(
            award_order(&method, &bids(), &pick(Some(1), " ")),
            Err(AwardRefusal::ReasonRequired)
        );
        let (order, basis) = award_order(&method, &bids(), &pick(Some(1), "熟悉项目")).unwrap();
        assert_eq!(order, [1, 2, 3]);
        assert_eq!(
            basis.text(Locale::En),
            "熟悉项目",
            "the owner's words are kept"
        );
    }

    #[test]
    fn a_composite_score_says_so_when_the_tie_rule_decided() {
        let method = SelectionMethod::CompositeScore {
            criteria: vec![Criterion {
                name: "方案".into(),
                weight: 100,
            }],
        };
        let sheet = |agency_id, score| ScoreSheet {
            agency_id,
            scores: vec![score],
        };
        let request = AwardRequest {
            scores: vec![sheet(1, 90), sheet(2, 90), sheet(3, 80)],
            ..AwardRequest::default()
        };
        let (order, basis) = award_order(&method, &bids(), &request).unwrap();
        assert_eq!(order, [2, 1, 3], "equal totals: the lower price first");
        assert_eq!(
            basis,
            AwardBasis::HighestScore {
                hundredths: 9000,
                tie: true
            }
        );
        assert!(basis
            .text(Locale::ZhCn)
            .starts_with("综合评分最高:90.00 分;"));
        assert!(basis.text(Locale::En).is_ascii());
    }

    #[test]
    fn a_random_draw_is_never_selected_by_hand() {
        assert_eq!(
            award_order(
                &SelectionMethod::RandomDraw,
                &bids(),
                &AwardRequest::default()
            ),
            Err(AwardRefusal::DrawIsAutomatic)
        );
    }
}
