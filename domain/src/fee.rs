//! Fee standards (收费标准) as data, and the one pure `quote` function that prices a job with
//! them. Rates are integer parts per million and amounts integer fen, so every quote is exact
//! and the browser computes the same figure as the server.

use crate::catalog::ServiceType;
use crate::date::CalendarDate;
use crate::error::{FieldError, FieldErrors, Locale};
use crate::format;
use crate::money::{Money, MAX_FEN};
use serde::{Deserialize, Serialize};

/// 100% in parts per million.
pub const PPM_PER_WHOLE: u32 = 1_000_000;

/// How the price is regulated (价格管理形式).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PricingBasis {
    /// 政府定价
    GovernmentSet,
    /// 政府指导价
    GovernmentGuided,
    /// 市场调节价
    MarketRegulated,
}

impl PricingBasis {
    pub const ALL: [PricingBasis; 3] = [
        PricingBasis::GovernmentSet,
        PricingBasis::GovernmentGuided,
        PricingBasis::MarketRegulated,
    ];

    pub fn code(self) -> &'static str {
        match self {
            PricingBasis::GovernmentSet => "government_set",
            PricingBasis::GovernmentGuided => "government_guided",
            PricingBasis::MarketRegulated => "market_regulated",
        }
    }

    pub fn parse(code: &str) -> Option<PricingBasis> {
        PricingBasis::ALL.into_iter().find(|b| b.code() == code)
    }

    pub fn name(self, locale: Locale) -> &'static str {
        match (locale, self) {
            (Locale::ZhCn, PricingBasis::GovernmentSet) => "政府定价",
            (Locale::ZhCn, PricingBasis::GovernmentGuided) => "政府指导价",
            (Locale::ZhCn, PricingBasis::MarketRegulated) => "市场调节价",
            (Locale::En, PricingBasis::GovernmentSet) => "Government-set price",
            (Locale::En, PricingBasis::GovernmentGuided) => "Government-guided price",
            (Locale::En, PricingBasis::MarketRegulated) => "Market-regulated price",
        }
    }
}

/// One bracket of a tiered schedule: `rate_ppm` applies to the part of the investment between
/// the previous bracket's bound and `up_to` (差额定率累进). The last bracket has no bound.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Bracket {
    pub up_to: Option<Money>,
    pub rate_ppm: u32,
}

/// How the fee is computed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PricingModel {
    /// 固定收费: one price per job.
    Fixed { price: Money },
    /// 按项目总投资分档累进计费, with a minimum charge.
    InvestmentTiered {
        brackets: Vec<Bracket>,
        minimum: Money,
    },
    /// 按工作量计费: a price per unit (km², item, day …), with a minimum charge.
    PerUnit {
        unit: String,
        unit_price: Money,
        minimum: Money,
    },
}

/// A fee standard as an agency publishes it. Deserialising goes through [`FeeStandard::parse`],
/// so a value of this type always obeys the rules.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "FeeStandardDraft", into = "FeeStandardDraft")]
pub struct FeeStandard {
    service_type: ServiceType,
    basis: PricingBasis,
    model: PricingModel,
    /// 最大下浮率 the agency commits to, in basis points (1/100 of a percent); 0 = none.
    max_discount_bp: u32,
    effective_from: CalendarDate,
}

/// On the wire a fee standard has its draft's shape; the schema says so.
#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for FeeStandard {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        <FeeStandardDraft as utoipa::PartialSchema>::schema()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for FeeStandard {
    fn schemas(
        schemas: &mut Vec<(
            String,
            utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>,
        )>,
    ) {
        <FeeStandardDraft as utoipa::ToSchema>::schemas(schemas);
    }
}

/// The unchecked wire and form shape of a fee standard.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FeeStandardDraft {
    pub service_type: String,
    pub basis: String,
    pub model: PricingModelDraft,
    #[serde(default)]
    pub max_discount_bp: i64,
    pub effective_from: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PricingModelDraft {
    Fixed {
        price: i64,
    },
    InvestmentTiered {
        brackets: Vec<BracketDraft>,
        minimum: i64,
    },
    PerUnit {
        unit: String,
        unit_price: i64,
        minimum: i64,
    },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BracketDraft {
    pub up_to: Option<i64>,
    pub rate_ppm: i64,
}

/// What a job tells the fee standard: the project investment and/or the quantity of work.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct JobFacts {
    pub investment: Option<Money>,
    /// Quantity in thousandths of the unit, so 2.5 km² is 2500.
    pub quantity_milli: Option<u64>,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum FeeRuleError {
    #[error("未知的服务类型")]
    UnknownServiceType,
    #[error("请选择价格管理形式")]
    UnknownBasis,
    #[error("金额不能为负数")]
    NegativeAmount,
    #[error("金额超出允许范围")]
    AmountTooLarge,
    #[error("至少需要一个计费档次")]
    NoBrackets,
    #[error("计费档次的上限必须逐档递增,不能重叠或乱序")]
    BracketsUnordered,
    #[error("只有最后一档可以不设上限,且最后一档必须不设上限")]
    BracketsOpenEnd,
    #[error("费率应大于 0 且不超过 100%")]
    RateOutOfRange,
    #[error("请填写计量单位,例如 平方公里、项、工日")]
    UnitMissing,
    #[error("最大下浮率应在 0–100% 之间")]
    DiscountOutOfRange,
    #[error("生效日期格式应为 YYYY-MM-DD")]
    BadEffectiveDate,
}

crate::violation! {
    FeeRuleError,
    FeeRuleError::UnknownServiceType => "unknown_service_type", "Unknown service type";
    FeeRuleError::UnknownBasis => "unknown_pricing_basis", "Choose how the price is regulated";
    FeeRuleError::NegativeAmount => "money_negative", "The amount cannot be negative";
    FeeRuleError::AmountTooLarge => "money_too_large", "The amount is too large";
    FeeRuleError::NoBrackets => "brackets_empty", "Add at least one bracket";
    FeeRuleError::BracketsUnordered => "brackets_unordered",
        "Bracket limits must increase from one bracket to the next";
    FeeRuleError::BracketsOpenEnd => "brackets_open_end",
        "Only the last bracket, and always it, is open-ended";
    FeeRuleError::RateOutOfRange => "rate_out_of_range", "A rate is above 0 and at most 100%";
    FeeRuleError::UnitMissing => "unit_missing", "Name the unit, e.g. km², item, day";
    FeeRuleError::DiscountOutOfRange => "discount_out_of_range",
        "The maximum discount lies between 0 and 100%";
    FeeRuleError::BadEffectiveDate => "date_format", "Dates are written YYYY-MM-DD";
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum QuoteError {
    #[error("该收费标准按项目总投资计费,请填写项目总投资")]
    InvestmentRequired,
    #[error("该收费标准按工作量计费,请填写工作量")]
    QuantityRequired,
}

crate::violation! {
    QuoteError,
    QuoteError::InvestmentRequired => "investment_required",
        "This standard charges by project investment: enter the investment";
    QuoteError::QuantityRequired => "quantity_required",
        "This standard charges by quantity: enter the quantity";
}

fn money(fen: i64, field: &str, errors: &mut FieldErrors) -> Option<Money> {
    match Money::from_fen(fen) {
        Ok(m) => Some(m),
        Err(crate::money::MoneyError::TooLarge) => {
            errors.push(field, &FeeRuleError::AmountTooLarge);
            None
        }
        Err(_) => {
            errors.push(field, &FeeRuleError::NegativeAmount);
            None
        }
    }
}

/// Rounds `numerator / denominator` half up; both non-negative.
fn div_round(numerator: i128, denominator: i128) -> i128 {
    (numerator + denominator / 2) / denominator
}

impl FeeStandard {
    /// Checks every rule, naming fields under `prefix` (e.g. `fee_standards[0]`).
    pub fn parse(draft: &FeeStandardDraft, prefix: &str) -> Result<FeeStandard, Vec<FieldError>> {
        let mut errors = FieldErrors::new();
        let at = |name: &str| {
            format!("{prefix}.{name}")
                .trim_start_matches('.')
                .to_owned()
        };
        let service_type = ServiceType::parse(&draft.service_type);
        if service_type.is_none() {
            errors.push(&at("service_type"), &FeeRuleError::UnknownServiceType);
        }
        let basis = PricingBasis::parse(&draft.basis);
        if basis.is_none() {
            errors.push(&at("basis"), &FeeRuleError::UnknownBasis);
        }
        let model = match &draft.model {
            PricingModelDraft::Fixed { price } => money(*price, &at("model.price"), &mut errors)
                .map(|price| PricingModel::Fixed { price }),
            PricingModelDraft::InvestmentTiered { brackets, minimum } => {
                let minimum = money(*minimum, &at("model.minimum"), &mut errors);
                let brackets = parse_brackets(brackets, &at("model.brackets"), &mut errors);
                match (brackets, minimum) {
                    (Some(brackets), Some(minimum)) => {
                        Some(PricingModel::InvestmentTiered { brackets, minimum })
                    }
                    _ => None,
                }
            }
            PricingModelDraft::PerUnit {
                unit,
                unit_price,
                minimum,
            } => {
                let unit = unit.trim();
                if unit.is_empty() || unit.chars().count() > 10 {
                    errors.push(&at("model.unit"), &FeeRuleError::UnitMissing);
                }
                let unit_price = money(*unit_price, &at("model.unit_price"), &mut errors);
                let minimum = money(*minimum, &at("model.minimum"), &mut errors);
                match (unit_price, minimum) {
                    (Some(unit_price), Some(minimum)) if !unit.is_empty() => {
                        Some(PricingModel::PerUnit {
                            unit: unit.to_owned(),
                            unit_price,
                            minimum,
                        })
                    }
                    _ => None,
                }
            }
        };
        if !(0..=10_000).contains(&draft.max_discount_bp) {
            errors.push(&at("max_discount_bp"), &FeeRuleError::DiscountOutOfRange);
        }
        let effective_from = CalendarDate::parse(&draft.effective_from).ok();
        if effective_from.is_none() {
            errors.push(&at("effective_from"), &FeeRuleError::BadEffectiveDate);
        }
        let standard = (|| {
            Some(FeeStandard {
                service_type: service_type?,
                basis: basis?,
                model: model?,
                max_discount_bp: draft.max_discount_bp as u32,
                effective_from: effective_from?,
            })
        })();
        errors.finish(standard)
    }

    pub fn service_type(&self) -> ServiceType {
        self.service_type
    }
    pub fn basis(&self) -> PricingBasis {
        self.basis
    }
    pub fn model(&self) -> &PricingModel {
        &self.model
    }
    pub fn max_discount_bp(&self) -> u32 {
        self.max_discount_bp
    }
    pub fn effective_from(&self) -> CalendarDate {
        self.effective_from
    }

    /// The fee this standard charges for a job, or why it cannot price it.
    pub fn quote(&self, facts: &JobFacts) -> Result<Money, QuoteError> {
        let fen: i128 = match &self.model {
            PricingModel::Fixed { price } => price.fen() as i128,
            PricingModel::InvestmentTiered { brackets, minimum } => {
                let investment = facts
                    .investment
                    .ok_or(QuoteError::InvestmentRequired)?
                    .fen() as i128;
                let mut lower: i128 = 0;
                let mut scaled: i128 = 0;
                for bracket in brackets {
                    let upper = bracket.up_to.map_or(i128::MAX, |m| m.fen() as i128);
                    if investment <= lower {
                        break;
                    }
                    let portion = investment.min(upper) - lower;
                    scaled += portion * bracket.rate_ppm as i128;
                    lower = upper;
                }
                div_round(scaled, PPM_PER_WHOLE as i128).max(minimum.fen() as i128)
            }
            PricingModel::PerUnit {
                unit_price,
                minimum,
                ..
            } => {
                let quantity = facts.quantity_milli.ok_or(QuoteError::QuantityRequired)? as i128;
                div_round(unit_price.fen() as i128 * quantity, 1000).max(minimum.fen() as i128)
            }
        };
        Ok(Money::from_fen(fen.min(MAX_FEN as i128) as i64).unwrap_or(Money::ZERO))
    }

    /// The lowest price the agency committed to: the quote less its maximum discount.
    pub fn discount_floor(&self, quote: Money) -> Money {
        let fen = quote.fen() as i128 * (10_000 - self.max_discount_bp as i128) / 10_000;
        Money::from_fen(fen as i64).unwrap_or(Money::ZERO)
    }

    /// Readable description, e.g. "按项目总投资分档累进计费:1,000万元以下 0.5%,…;最低收费 3,000元".
    pub fn describe(&self, locale: Locale) -> String {
        describe_model(&self.model, locale)
    }
}

fn parse_brackets(
    drafts: &[BracketDraft],
    field: &str,
    errors: &mut FieldErrors,
) -> Option<Vec<Bracket>> {
    if drafts.is_empty() {
        errors.push(field, &FeeRuleError::NoBrackets);
        return None;
    }
    let mut brackets = Vec::with_capacity(drafts.len());
    let mut previous: Option<i64> = None;
    let errors_before = errors.len();
    for (i, draft) in drafts.iter().enumerate() {
        let at = format!("{field}[{i}]");
        let last = i + 1 == drafts.len();
        if !(1..=PPM_PER_WHOLE as i64).contains(&draft.rate_ppm) {
            errors.push(&format!("{at}.rate_ppm"), &FeeRuleError::RateOutOfRange);
        }
        match (draft.up_to, last) {
            (None, true) => {}
            (None, false) | (Some(_), true) => {
                errors.push(&format!("{at}.up_to"), &FeeRuleError::BracketsOpenEnd);
            }
            (Some(bound), false) => {
                if bound <= 0 || previous.is_some_and(|p| bound <= p) {
                    errors.push(&format!("{at}.up_to"), &FeeRuleError::BracketsUnordered);
                } else if bound > MAX_FEN {
                    errors.push(&format!("{at}.up_to"), &FeeRuleError::AmountTooLarge);
                }
                previous = Some(bound);
            }
        }
        brackets.push(Bracket {
            up_to: draft.up_to.and_then(|b| Money::from_fen(b).ok()),
            rate_ppm: draft.rate_ppm.clamp(0, PPM_PER_WHOLE as i64) as u32,
        });
    }
    (errors.len() == errors_before).then_some(brackets)
}

/// `5000` ppm → `0.5%`.
pub fn format_rate(ppm: u32) -> String {
    let whole = ppm / 10_000;
    let fraction = ppm % 10_000;
    if fraction == 0 {
        format!("{whole}%")
    } else {
        let digits = format!("{fraction:04}");
        format!("{whole}.{}%", digits.trim_end_matches('0'))
    }
}

/// `"0.5"` (percent) → 5000 ppm; at most four decimals.
pub fn parse_percent(input: &str) -> Option<u32> {
    let text = input.trim().trim_end_matches('%').trim();
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    if whole.is_empty() || fraction.len() > 4 {
        return None;
    }
    if !whole
        .bytes()
        .chain(fraction.bytes())
        .all(|b| b.is_ascii_digit())
        || whole.len() > 3
    {
        return None;
    }
    let whole: u32 = whole.parse().ok()?;
    let fraction: u32 = format!("{fraction:0<4}").parse().ok()?;
    let ppm = whole * 10_000 + fraction;
    (ppm <= PPM_PER_WHOLE).then_some(ppm)
}

/// `"2.5"` → 2500 thousandths.
pub fn parse_quantity(input: &str) -> Option<u64> {
    let text = input.trim();
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    if whole.is_empty() || fraction.len() > 3 || whole.len() > 12 {
        return None;
    }
    if !whole
        .bytes()
        .chain(fraction.bytes())
        .all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let whole: u64 = whole.parse().ok()?;
    let fraction: u64 = format!("{fraction:0<3}").parse().ok()?;
    Some(whole * 1000 + fraction)
}

pub fn describe_model(model: &PricingModel, locale: Locale) -> String {
    let m = |amount: Money| format::money(amount, locale);
    match (locale, model) {
        (Locale::ZhCn, PricingModel::Fixed { price }) => format!("固定收费:每项 {}", m(*price)),
        (Locale::En, PricingModel::Fixed { price }) => {
            format!("Fixed price: {} per job", m(*price))
        }
        (_, PricingModel::InvestmentTiered { brackets, minimum }) => {
            let mut lower: Option<Money> = None;
            let parts: Vec<String> = brackets
                .iter()
                .map(|b| {
                    let rate = format_rate(b.rate_ppm);
                    let text = match (locale, lower, b.up_to) {
                        (Locale::ZhCn, None, Some(up)) => format!("{}以下 {rate}", m(up)),
                        (Locale::ZhCn, Some(lo), Some(up)) => format!("{}–{} {rate}", m(lo), m(up)),
                        (Locale::ZhCn, Some(lo), None) => format!("{}以上 {rate}", m(lo)),
                        (Locale::ZhCn, None, None) => format!("全额 {rate}"),
                        (Locale::En, None, Some(up)) => format!("up to {}: {rate}", m(up)),
                        (Locale::En, Some(lo), Some(up)) => format!("{}–{}: {rate}", m(lo), m(up)),
                        (Locale::En, Some(lo), None) => format!("above {}: {rate}", m(lo)),
                        (Locale::En, None, None) => format!("all: {rate}"),
                    };
                    lower = b.up_to;
                    text
                })
                .collect();
            match locale {
                Locale::ZhCn => format!(
                    "按项目总投资分档累进计费:{};最低收费 {}",
                    parts.join(","),
                    m(*minimum)
                ),
                Locale::En => format!(
                    "Tiered on project investment: {}; minimum {}",
                    parts.join(", "),
                    m(*minimum)
                ),
            }
        }
        (
            Locale::ZhCn,
            PricingModel::PerUnit {
                unit,
                unit_price,
                minimum,
            },
        ) => {
            format!(
                "按工作量计费:每{unit} {};最低收费 {}",
                m(*unit_price),
                m(*minimum)
            )
        }
        (
            Locale::En,
            PricingModel::PerUnit {
                unit,
                unit_price,
                minimum,
            },
        ) => {
            format!("Per {unit}: {}; minimum {}", m(*unit_price), m(*minimum))
        }
    }
}

impl TryFrom<FeeStandardDraft> for FeeStandard {
    type Error = String;
    fn try_from(draft: FeeStandardDraft) -> Result<Self, Self::Error> {
        FeeStandard::parse(&draft, "").map_err(|errors| {
            errors
                .into_iter()
                .map(|e| format!("{}: {}", e.field, e.message))
                .collect::<Vec<_>>()
                .join("; ")
        })
    }
}

impl From<FeeStandard> for FeeStandardDraft {
    fn from(standard: FeeStandard) -> Self {
        FeeStandardDraft {
            service_type: standard.service_type.code().to_owned(),
            basis: standard.basis.code().to_owned(),
            model: match standard.model {
                PricingModel::Fixed { price } => PricingModelDraft::Fixed { price: price.fen() },
                PricingModel::InvestmentTiered { brackets, minimum } => {
                    PricingModelDraft::InvestmentTiered {
                        brackets: brackets
                            .into_iter()
                            .map(|b| BracketDraft {
                                up_to: b.up_to.map(Money::fen),
                                rate_ppm: b.rate_ppm as i64,
                            })
                            .collect(),
                        minimum: minimum.fen(),
                    }
                }
                PricingModel::PerUnit {
                    unit,
                    unit_price,
                    minimum,
                } => PricingModelDraft::PerUnit {
                    unit,
                    unit_price: unit_price.fen(),
                    minimum: minimum.fen(),
                },
            },
            max_discount_bp: standard.max_discount_bp as i64,
            effective_from: standard.effective_from.to_string(),
        }
    }
}

#[cfg(test)]
mod tests;
