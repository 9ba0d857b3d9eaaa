//! The job posting form (采购公告) and its rules.

use crate::catalog::ServiceType;
use crate::error::{FieldError, FieldErrors};
use crate::fee::JobFacts;
use crate::identifiers::{Phone, ProjectCode};
use crate::money::Money;
use crate::selection::SelectionMethod;
use crate::text::{BoundedText, PersonName};
use serde::{Deserialize, Serialize};

pub const DEFAULT_MIN_BIDDERS: u32 = 3;
pub const DEFAULT_PUBLICITY_DAYS: u32 = 5;

/// A qualification the bidders must hold: a service type at a minimum grade.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RequiredQualification {
    pub service_type: String,
    /// e.g. 乙级: 甲级 also qualifies.
    pub min_level: String,
}

/// An agency excluded from this job (回避), with the reason.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Avoidance {
    pub agency_id: i64,
    pub reason: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct JobDraft {
    /// The approval case the job serves.
    pub project_code: String,
    #[cfg_attr(feature = "openapi", schema(min_length = 2, max_length = 100))]
    pub project_name: String,
    /// e.g. 建设项目环境影响评价审批.
    #[cfg_attr(feature = "openapi", schema(min_length = 2, max_length = 100))]
    pub approval_item: String,
    /// e.g. 云州市生态环境局.
    #[cfg_attr(feature = "openapi", schema(min_length = 2, max_length = 100))]
    pub approving_department: String,
    pub service_type: String,
    #[cfg_attr(feature = "openapi", schema(min_length = 10, max_length = 2000))]
    pub scope: String,
    /// Fen; what tiered fee standards price on.
    #[serde(default)]
    pub investment: Option<i64>,
    /// Thousandths of the unit; what per-unit fee standards price on.
    #[serde(default)]
    pub quantity_milli: Option<i64>,
    /// Fen: the most the enterprise will pay.
    #[cfg_attr(feature = "openapi", schema(minimum = 1))]
    pub budget_ceiling: i64,
    /// Percent paid from public funds (财政资金); the rest is the enterprise's own.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(maximum = 100))]
    pub fiscal_percent: u32,
    #[serde(default)]
    pub required_qualifications: Vec<RequiredQualification>,
    #[serde(default)]
    pub avoidance: Vec<Avoidance>,
    pub selection: SelectionMethod,
    /// RFC 3339; checked against the server's clock.
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub deadline: String,
    #[serde(default = "default_min_bidders")]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 50))]
    pub min_bidders: u32,
    #[serde(default = "default_publicity_days")]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 30))]
    pub publicity_days: u32,
    #[cfg_attr(feature = "openapi", schema(min_length = 2, max_length = 30))]
    pub contact_person: String,
    pub contact_phone: String,
}

fn default_min_bidders() -> u32 {
    DEFAULT_MIN_BIDDERS
}

fn default_publicity_days() -> u32 {
    DEFAULT_PUBLICITY_DAYS
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum JobRuleError {
    #[error("未知的服务类型")]
    UnknownServiceType,
    #[error("请填写项目总投资或工作量,以便按收费标准测算")]
    FactsMissing,
    #[error("数值不能为负数")]
    Negative,
    #[error("数值超出允许范围:金额不超过 1 万亿元,工作量不超过 10 亿")]
    TooLarge,
    #[error("最高限价须大于 0")]
    BudgetRequired,
    #[error("财政资金比例应在 0–100% 之间")]
    FiscalPercent,
    #[error("最少报名机构数应为 1–50")]
    MinBidders,
    #[error("公示期应为 1–30 天")]
    PublicityDays,
    #[error("请填写资质等级")]
    LevelRequired,
    #[error("请填写回避理由")]
    AvoidanceReason,
}

crate::violation! {
    JobRuleError,
    JobRuleError::UnknownServiceType => "unknown_service_type", "Unknown service type";
    JobRuleError::FactsMissing => "facts_missing",
        "Enter the investment or the quantity, so fee standards can quote";
    JobRuleError::Negative => "negative", "Cannot be negative";
    JobRuleError::TooLarge => "too_large",
        "Out of range: amounts up to one trillion yuan, quantities up to one billion";
    JobRuleError::BudgetRequired => "budget_required", "The budget ceiling must be above zero";
    JobRuleError::FiscalPercent => "fiscal_percent",
        "The public-funds share lies between 0 and 100%";
    JobRuleError::MinBidders => "min_bidders", "The minimum number of bidders is 1 to 50";
    JobRuleError::PublicityDays => "publicity_days", "The publicity period is 1 to 30 days";
    JobRuleError::LevelRequired => "level_required", "Give the grade";
    JobRuleError::AvoidanceReason => "avoidance_reason", "Give the reason for the exclusion";
}

/// The largest quantity a job may state, in thousandths of its unit: one billion units.
pub const MAX_QUANTITY_MILLI: i64 = 1_000_000_000_000;

/// A job whose terms obey the rules (the deadline is the server's to check).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JobTerms {
    pub project_code: ProjectCode,
    pub service_type: ServiceType,
    pub facts: JobFacts,
    pub budget_ceiling: Money,
    pub contact_person: PersonName,
    pub contact_phone: Phone,
}

/// 甲级/一级/一类/5星 rank 1 (best), then 2, 3 …; registrations without grades rank 1.
pub fn level_rank(level: &str) -> Option<u8> {
    let level = level.trim();
    let first = level.chars().next()?;
    Some(match first {
        '甲' | '一' | '5' | '已' => 1,
        '乙' | '二' | '4' => 2,
        '丙' | '三' | '3' => 3,
        '丁' | '四' | '2' => 4,
        _ => return None,
    })
}

/// Does a held grade meet the required minimum?
pub fn level_meets(held: &str, required: &str) -> bool {
    match (level_rank(held), level_rank(required)) {
        (Some(h), Some(r)) => h <= r,
        _ => held.trim() == required.trim(),
    }
}

impl JobDraft {
    pub fn parse(&self) -> Result<JobTerms, Vec<FieldError>> {
        let mut errors = FieldErrors::new();
        let project_code = errors.check("project_code", ProjectCode::parse(&self.project_code));
        errors.check(
            "project_name",
            BoundedText::parse(&self.project_name, 2, 100, false),
        );
        errors.check(
            "approval_item",
            BoundedText::parse(&self.approval_item, 2, 100, false),
        );
        errors.check(
            "approving_department",
            BoundedText::parse(&self.approving_department, 2, 100, false),
        );
        errors.check("scope", BoundedText::parse(&self.scope, 10, 2000, true));
        let service_type = ServiceType::parse(&self.service_type);
        if service_type.is_none() {
            errors.push("service_type", &JobRuleError::UnknownServiceType);
        }
        let investment = match self.investment.map(Money::from_fen) {
            Some(Ok(money)) => Some(money),
            Some(Err(crate::money::MoneyError::TooLarge)) => {
                errors.push("investment", &JobRuleError::TooLarge);
                None
            }
            Some(Err(_)) => {
                errors.push("investment", &JobRuleError::Negative);
                None
            }
            None => None,
        };
        let quantity_milli = match self.quantity_milli {
            Some(q) if q < 0 => {
                errors.push("quantity_milli", &JobRuleError::Negative);
                None
            }
            Some(q) if q > MAX_QUANTITY_MILLI => {
                errors.push("quantity_milli", &JobRuleError::TooLarge);
                None
            }
            Some(q) => Some(q as u64),
            None => None,
        };
        if self.investment.is_none() && self.quantity_milli.is_none() {
            errors.push("investment", &JobRuleError::FactsMissing);
        }
        let budget_ceiling = match Money::from_fen(self.budget_ceiling) {
            Ok(m) if m.fen() > 0 => Some(m),
            Err(crate::money::MoneyError::TooLarge) => {
                errors.push("budget_ceiling", &JobRuleError::TooLarge);
                None
            }
            _ => {
                errors.push("budget_ceiling", &JobRuleError::BudgetRequired);
                None
            }
        };
        if self.fiscal_percent > 100 {
            errors.push("fiscal_percent", &JobRuleError::FiscalPercent);
        }
        if !(1..=50).contains(&self.min_bidders) {
            errors.push("min_bidders", &JobRuleError::MinBidders);
        }
        if !(1..=30).contains(&self.publicity_days) {
            errors.push("publicity_days", &JobRuleError::PublicityDays);
        }
        for (i, r) in self.required_qualifications.iter().enumerate() {
            if ServiceType::parse(&r.service_type).is_none() {
                errors.push(
                    &format!("required_qualifications[{i}].service_type"),
                    &JobRuleError::UnknownServiceType,
                );
            }
            if r.min_level.trim().is_empty() {
                errors.push(
                    &format!("required_qualifications[{i}].min_level"),
                    &JobRuleError::LevelRequired,
                );
            }
        }
        for (i, a) in self.avoidance.iter().enumerate() {
            if a.reason.trim().chars().count() < 2 {
                errors.push(
                    &format!("avoidance[{i}].reason"),
                    &JobRuleError::AvoidanceReason,
                );
            }
        }
        if let Err(found) = self.selection.validate(self.min_bidders) {
            errors.extend(found);
        }
        let contact_person =
            errors.check("contact_person", PersonName::parse(&self.contact_person));
        let contact_phone = errors.check("contact_phone", Phone::parse(&self.contact_phone));
        let terms = (|| {
            Some(JobTerms {
                project_code: project_code?,
                service_type: service_type?,
                facts: JobFacts {
                    investment,
                    quantity_milli,
                },
                budget_ceiling: budget_ceiling?,
                contact_person: contact_person?,
                contact_phone: contact_phone?,
            })
        })();
        errors.finish(terms)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub fn job() -> JobDraft {
        JobDraft {
            project_code: "2026-539902-48-01-000321".into(),
            project_name: "云州市滨湖片区污水处理厂提标改造工程".into(),
            approval_item: "建设项目环境影响评价审批".into(),
            approving_department: "云州市生态环境局".into(),
            service_type: "env_impact".into(),
            scope: "编制建设项目环境影响报告表,配合技术评审并按意见修改至通过。".into(),
            investment: Some(8_000 * 1_000_000),
            quantity_milli: None,
            budget_ceiling: 12 * 1_000_000,
            fiscal_percent: 100,
            required_qualifications: vec![RequiredQualification {
                service_type: "env_impact".into(),
                min_level: "已登记".into(),
            }],
            avoidance: vec![],
            selection: SelectionMethod::RandomDraw,
            deadline: "2026-12-10T17:00:00+08:00".into(),
            min_bidders: 3,
            publicity_days: 5,
            contact_person: "王建国".into(),
            contact_phone: "0870-6123456".into(),
        }
    }

    #[test]
    fn a_complete_job_parses() {
        let terms = job().parse().unwrap();
        assert_eq!(terms.project_code.as_str(), "2026-539902-48-01-000321");
        assert_eq!(terms.service_type, ServiceType::EnvironmentalImpact);
    }

    #[test]
    fn a_job_names_every_broken_rule() {
        let broken = JobDraft {
            project_code: "2026-539902-48-09-000321".into(),
            budget_ceiling: 0,
            min_bidders: 2,
            investment: None,
            ..job()
        };
        let fields: Vec<_> = broken
            .parse()
            .unwrap_err()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(
            fields,
            [
                "project_code",
                "investment",
                "budget_ceiling",
                "min_bidders"
            ]
        );
    }

    #[test]
    fn higher_grades_meet_lower_requirements() {
        assert!(level_meets("甲级", "乙级"));
        assert!(level_meets("乙级", "乙级"));
        assert!(!level_meets("丙级", "乙级"));
        assert!(level_meets("一级", "二级"));
        assert!(level_meets("5星", "4星"));
        assert!(!level_meets("3星", "4星"));
    }
}
