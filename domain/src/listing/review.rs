//! The regulator's decisions on listing versions, and suspensions.

use super::*;

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

crate::violation! {
    ReviewRuleError,
    ReviewRuleError::UnknownDecision => "unknown_decision", "Choose a decision";
    ReviewRuleError::ReasonRequired => "reason_required", "Give the reason (2–500 characters)";
    ReviewRuleError::EndBeforeStart => "end_before_start",
        "The end date cannot be before the start";
    ReviewRuleError::BasisRequired => "basis_required", "A blacklist entry needs its legal basis";
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
        errors.finish(decision.zip(reason))
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
        let suspension = (|| {
            Some(ParsedSuspension {
                reason: reason?,
                starts_on: starts_on?,
                ends_on: ends_on?,
                blacklist: self.blacklist,
                basis,
            })
        })();
        errors.finish(suspension)
    }
}
