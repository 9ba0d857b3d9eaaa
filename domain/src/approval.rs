//! Approval cases (审批办件): the administrative approval an intermediary service unblocks, its
//! status machine, the catalogue of which services each approval item requires, and the events
//! that move a case, whether an approval officer enters them or an integration sends them.

use crate::catalog::ServiceType;
use crate::error::{FieldError, FieldErrors, Locale};
use crate::job::JobState;
use serde::{Deserialize, Serialize};

/// 受理 → 审查中 ⇄ 补正 → 办结(准予 / 不予).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CaseStatus {
    /// 受理: the application was accepted for handling.
    Received,
    /// 审查中.
    UnderReview,
    /// 补正: the applicant must supply or correct material.
    Correction,
    /// 办结:准予.
    Approved,
    /// 办结:不予.
    Denied,
}

impl CaseStatus {
    pub const ALL: [CaseStatus; 5] = [
        CaseStatus::Received,
        CaseStatus::UnderReview,
        CaseStatus::Correction,
        CaseStatus::Approved,
        CaseStatus::Denied,
    ];

    pub fn code(self) -> &'static str {
        match self {
            CaseStatus::Received => "received",
            CaseStatus::UnderReview => "under_review",
            CaseStatus::Correction => "correction",
            CaseStatus::Approved => "approved",
            CaseStatus::Denied => "denied",
        }
    }

    pub fn parse(code: &str) -> Option<CaseStatus> {
        CaseStatus::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn name(self, locale: Locale) -> &'static str {
        match (locale, self) {
            (Locale::ZhCn, CaseStatus::Received) => "受理",
            (Locale::ZhCn, CaseStatus::UnderReview) => "审查中",
            (Locale::ZhCn, CaseStatus::Correction) => "补正",
            (Locale::ZhCn, CaseStatus::Approved) => "办结:准予",
            (Locale::ZhCn, CaseStatus::Denied) => "办结:不予",
            (Locale::En, CaseStatus::Received) => "Received",
            (Locale::En, CaseStatus::UnderReview) => "Under review",
            (Locale::En, CaseStatus::Correction) => "Correction requested",
            (Locale::En, CaseStatus::Approved) => "Concluded: approved",
            (Locale::En, CaseStatus::Denied) => "Concluded: denied",
        }
    }

    pub fn is_concluded(self) -> bool {
        matches!(self, CaseStatus::Approved | CaseStatus::Denied)
    }

    /// 审查中 or later: the stage at which every required service should already be procured.
    pub fn reached_review(self) -> bool {
        self != CaseStatus::Received
    }

    /// Whether a case may move from `from` (none for a new case) to `self`.
    pub fn may_follow(self, from: Option<CaseStatus>) -> bool {
        use CaseStatus::*;
        matches!(
            (from, self),
            (None, Received)
                | (Some(Received), UnderReview | Correction | Denied)
                | (Some(UnderReview), Correction | Approved | Denied)
                | (Some(Correction), UnderReview | Denied)
        )
    }
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CaseHistoryError {
    #[error("办件状态不能从“{from}”变为“{to}”")]
    Transition { from: String, to: String },
    #[error("办件的第一个状态必须是“受理”")]
    MustStartReceived,
}

crate::violation! {
    CaseHistoryError,
    CaseHistoryError::Transition { .. } => "invalid_case_history",
        "The case cannot move between these statuses in this order";
    CaseHistoryError::MustStartReceived => "invalid_case_history",
        "A case's first status must be Received";
}

/// Replays status changes in time order (ties keep their arrival order) and returns the current
/// status, or the first step the machine forbids. The server checks a history with a late
/// event placed by its timestamp before storing it.
pub fn replay(statuses_in_time_order: &[CaseStatus]) -> Result<CaseStatus, CaseHistoryError> {
    let mut current: Option<CaseStatus> = None;
    for &next in statuses_in_time_order {
        if !next.may_follow(current) {
            return Err(match current {
                None => CaseHistoryError::MustStartReceived,
                Some(from) => CaseHistoryError::Transition {
                    from: from.name(Locale::ZhCn).into(),
                    to: next.name(Locale::ZhCn).into(),
                },
            });
        }
        current = Some(next);
    }
    current.ok_or(CaseHistoryError::MustStartReceived)
}

/// The approving department's technical review (技术评审) of a delivered report.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReviewResult {
    Passed,
    /// Returned for revision, with a reason.
    Returned,
}

impl ReviewResult {
    pub fn name(self, locale: Locale) -> &'static str {
        match (locale, self) {
            (Locale::ZhCn, ReviewResult::Passed) => "技术评审通过",
            (Locale::ZhCn, ReviewResult::Returned) => "技术评审退回修改",
            (Locale::En, ReviewResult::Passed) => "Technical review passed",
            (Locale::En, ReviewResult::Returned) => "Returned by technical review",
        }
    }
}

/// One approval item (审批事项) and the intermediary services it requires.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApprovalItem {
    pub code: String,
    pub name: String,
    pub department: String,
    pub required_services: Vec<ServiceType>,
}

/// The catalogue seeded on first start; regulators may change it later in the database.
pub fn default_catalogue() -> Vec<ApprovalItem> {
    use ServiceType::*;
    let item = |code: &str, name: &str, department: &str, services: &[ServiceType]| ApprovalItem {
        code: code.into(),
        name: name.into(),
        department: department.into(),
        required_services: services.to_vec(),
    };
    vec![
        item(
            "eia_approval",
            "建设项目环境影响评价审批",
            "云州市生态环境局",
            &[EnvironmentalImpact],
        ),
        item(
            "hazchem_safety_review",
            "危险化学品建设项目安全条件审查",
            "云州市应急管理局",
            &[SafetyAssessment],
        ),
        item(
            "energy_review",
            "固定资产投资项目节能审查",
            "云州市发展和改革委员会",
            &[EnergyReview],
        ),
        item(
            "project_approval",
            "企业投资项目核准",
            "云州市发展和改革委员会",
            &[FeasibilityStudy, SocialStabilityRisk, EnergyReview],
        ),
        item(
            "soil_water_plan",
            "生产建设项目水土保持方案审批",
            "云州市水务局",
            &[SoilWaterConservation],
        ),
        item(
            "land_use_planning",
            "建设用地规划许可证核发",
            "云州市自然资源和规划局",
            &[Surveying, GeohazardAssessment, LandValuation],
        ),
        item(
            "construction_permit",
            "建筑工程施工许可证核发",
            "云州市住房和城乡建设局",
            &[DrawingReview, CostConsulting],
        ),
        item(
            "flood_impact",
            "洪水影响评价类审批",
            "云州市水务局",
            &[FloodImpact],
        ),
    ]
}

/// What an approval officer or an integration reports about a case. Integrations send an
/// `event_id`; the same id sent twice is recorded once.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CaseEventRequest {
    pub event_id: String,
    /// RFC 3339; events are placed by this time, not by arrival.
    pub at: String,
    #[serde(flatten)]
    pub kind: CaseEventKind,
    #[serde(default)]
    pub note: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CaseEventKind {
    /// The case's own status changes.
    Status { status: CaseStatus },
    /// The technical review of the report delivered for one required service.
    TechnicalReview {
        service_type: ServiceType,
        result: ReviewResult,
    },
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CaseEventError {
    #[error("事件编号应为 1–64 个字母、数字、下划线或短横线")]
    EventId,
    #[error("时间格式应为 RFC 3339,例如 2026-12-10T17:00:00+08:00")]
    Time,
    #[error("退回修改须写明理由")]
    ReasonRequired,
    #[error("说明不能超过 500 字")]
    NoteTooLong,
}

crate::violation! {
    CaseEventError,
    CaseEventError::EventId => "event_id",
        "The event id is 1–64 letters, digits, underscores or dashes";
    CaseEventError::Time => "event_time", "Write the time in RFC 3339";
    CaseEventError::ReasonRequired => "reason_required", "A return needs its reason";
    CaseEventError::NoteTooLong => "note_too_long", "The note is at most 500 characters";
}

/// Whether `text` looks like an RFC 3339 timestamp with an offset; the server parses it fully.
fn looks_like_rfc3339(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() >= 20
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && matches!(bytes[10], b'T' | b't')
        && bytes[13] == b':'
        && (text.ends_with('Z') || text.ends_with('z') || text[19..].contains(['+', '-']))
}

impl CaseEventRequest {
    /// Shape checks shared by the officer's form and the integration endpoint.
    pub fn check(&self) -> Result<(), Vec<FieldError>> {
        let mut errors = FieldErrors::new();
        let id_ok = (1..=64).contains(&self.event_id.len())
            && self
                .event_id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-'));
        if !id_ok {
            errors.push("event_id", &CaseEventError::EventId);
        }
        if !looks_like_rfc3339(self.at.trim()) {
            errors.push("at", &CaseEventError::Time);
        }
        if self.note.chars().count() > 500 {
            errors.push("note", &CaseEventError::NoteTooLong);
        }
        if matches!(
            self.kind,
            CaseEventKind::TechnicalReview {
                result: ReviewResult::Returned,
                ..
            }
        ) && self.note.trim().chars().count() < 2
        {
            errors.push("note", &CaseEventError::ReasonRequired);
        }
        let found = errors.into_vec();
        if found.is_empty() {
            Ok(())
        } else {
            Err(found)
        }
    }
}

/// Where one required service of a case stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "stage", rename_all = "snake_case")]
pub enum ServiceProgress {
    /// 尚未委托: no job on the platform yet.
    NotProcured,
    /// A job exists; its state, and the technical review once there is one.
    Job {
        state: JobState,
        review: Option<ReviewResult>,
    },
}

impl ServiceProgress {
    /// Done when the report passed the technical review (or, with no review recorded, the job
    /// was accepted by the owner and the item needs none).
    pub fn is_done(self) -> bool {
        matches!(
            self,
            ServiceProgress::Job {
                review: Some(ReviewResult::Passed),
                ..
            }
        )
    }

    pub fn label(self, locale: Locale) -> String {
        match (locale, self) {
            (Locale::ZhCn, ServiceProgress::NotProcured) => "尚未委托".into(),
            (Locale::En, ServiceProgress::NotProcured) => "Not yet procured".into(),
            (
                _,
                ServiceProgress::Job {
                    review: Some(r), ..
                },
            ) => r.name(locale).into(),
            (Locale::ZhCn, ServiceProgress::Job { state, .. })
                if matches!(
                    state,
                    JobState::Delivered | JobState::Accepted | JobState::Rated
                ) =>
            {
                format!("{},等待技术评审", state.name(locale))
            }
            (Locale::En, ServiceProgress::Job { state, .. })
                if matches!(
                    state,
                    JobState::Delivered | JobState::Accepted | JobState::Rated
                ) =>
            {
                format!("{}, awaiting technical review", state.name(locale))
            }
            (_, ServiceProgress::Job { state, .. }) => state.name(locale).into(),
        }
    }
}

/// What holds a case up, e.g. “等待中介服务:环境影响评价(评审中)”; `None` when nothing does.
pub fn blocker(
    status: CaseStatus,
    services: &[(ServiceType, ServiceProgress)],
    locale: Locale,
) -> Option<String> {
    if status.is_concluded() {
        return None;
    }
    let waiting: Vec<String> = services
        .iter()
        .filter(|(_, progress)| !progress.is_done())
        .map(|(service, progress)| match locale {
            Locale::ZhCn => format!("{}({})", service.name(locale), progress.label(locale)),
            Locale::En => format!("{} ({})", service.name(locale), progress.label(locale)),
        })
        .collect();
    if waiting.is_empty() {
        return Some(match locale {
            Locale::ZhCn => format!("等待审批部门:{}", status.name(locale)),
            Locale::En => format!("Waiting for the department: {}", status.name(locale)),
        });
    }
    Some(match locale {
        Locale::ZhCn => format!("等待中介服务:{}", waiting.join("、")),
        Locale::En => format!("Waiting for services: {}", waiting.join(", ")),
    })
}

/// The off-platform red flag: the case reached 审查中 or later while a required service was
/// never procured here, which suggests a designated agency (指定中介).
pub fn off_platform(
    status: CaseStatus,
    services: &[(ServiceType, ServiceProgress)],
) -> Vec<ServiceType> {
    if !status.reached_review() {
        return Vec::new();
    }
    services
        .iter()
        .filter(|(_, p)| *p == ServiceProgress::NotProcured)
        .map(|(s, _)| *s)
        .collect()
}

/// One line of a case's own timeline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CaseEventView {
    pub at: String,
    #[serde(flatten)]
    pub kind: CaseEventKind,
    pub note: String,
    /// `approval_officer`, or `integration:<token name>`.
    pub source: String,
}

/// One required service of a case, with its job when there is one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CaseService {
    pub service_type: ServiceType,
    pub progress: ServiceProgress,
    pub job_id: Option<i64>,
    pub job_events: Vec<crate::job::JobEventView>,
}

/// A case as listed on a dashboard.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CaseSummary {
    pub id: i64,
    pub case_number: String,
    pub project_code: String,
    pub project_name: String,
    pub item: ApprovalItem,
    pub applicant_name: String,
    pub status: CaseStatus,
    pub services: Vec<(ServiceType, ServiceProgress)>,
    /// Services never procured although the case reached 审查中 (the red flag).
    pub off_platform: Vec<ServiceType>,
}

/// A case in full: its own timeline and each required service's job timeline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CaseView {
    pub summary: CaseSummary,
    pub events: Vec<CaseEventView>,
    pub services: Vec<CaseService>,
    /// True for the applicant enterprise, which may post the missing jobs from here.
    #[serde(default)]
    pub viewer_is_applicant: bool,
}

/// A new case as the approval officer registers it on acceptance (受理).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewCaseRequest {
    pub case_number: String,
    pub project_code: String,
    #[cfg_attr(feature = "openapi", schema(min_length = 2, max_length = 100))]
    pub project_name: String,
    pub item_code: String,
    /// The applicant enterprise's unified social credit code.
    pub applicant_credit_code: String,
    /// RFC 3339 time of acceptance.
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub received_at: String,
}

/// An integration token as regulators manage it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TokenView {
    pub id: i64,
    pub name: String,
    pub created_at: String,
    pub revoked_at: Option<String>,
    /// Shown once, when created; only its hash is stored.
    pub token: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewToken {
    #[cfg_attr(feature = "openapi", schema(min_length = 2, max_length = 50))]
    pub name: String,
}

#[cfg(test)]
mod tests;
