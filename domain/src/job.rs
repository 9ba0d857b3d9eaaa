//! The life of an evaluation job (采购公告) as one state machine. Each transition names the one
//! party allowed to make it; the server applies transitions with a conditional update on the
//! state it read, so two concurrent transitions cannot both win.

use crate::error::{Locale, Violation};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum JobState {
    Draft,
    Published,
    Evaluating,
    /// Awarded; the result is in its publicity period (中选公示).
    Publicity,
    Contracted,
    Delivered,
    Accepted,
    Rated,
    /// 流标: too few valid bids, or no candidate left.
    Unsuccessful,
    Cancelled,
}

impl JobState {
    pub const ALL: [JobState; 10] = [
        JobState::Draft,
        JobState::Published,
        JobState::Evaluating,
        JobState::Publicity,
        JobState::Contracted,
        JobState::Delivered,
        JobState::Accepted,
        JobState::Rated,
        JobState::Unsuccessful,
        JobState::Cancelled,
    ];

    pub fn code(self) -> &'static str {
        match self {
            JobState::Draft => "draft",
            JobState::Published => "published",
            JobState::Evaluating => "evaluating",
            JobState::Publicity => "publicity",
            JobState::Contracted => "contracted",
            JobState::Delivered => "delivered",
            JobState::Accepted => "accepted",
            JobState::Rated => "rated",
            JobState::Unsuccessful => "unsuccessful",
            JobState::Cancelled => "cancelled",
        }
    }

    pub fn parse(code: &str) -> Option<JobState> {
        JobState::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Bids are taken only while a job is published and before its deadline (Unix seconds).
    /// Drafts, cancelled jobs and everything after opening take none.
    pub fn takes_bids(self, deadline: Option<i64>, now: i64) -> bool {
        self == JobState::Published && deadline.is_some_and(|d| now < d)
    }

    /// Whether the bids have been opened, so that they may be shown beyond each bidder's own:
    /// never for a draft or a job still taking bids, and never for a cancelled one, which may
    /// have been cancelled before its deadline.
    pub fn bids_opened(self) -> bool {
        !matches!(
            self,
            JobState::Draft | JobState::Published | JobState::Cancelled
        )
    }

    /// A published job whose deadline has passed is due to be opened.
    pub fn opening_due(self, deadline: Option<i64>, now: i64) -> bool {
        self == JobState::Published && deadline.is_some_and(|d| now >= d)
    }

    pub fn is_terminal(self) -> bool {
        matches!(
            self,
            JobState::Rated | JobState::Unsuccessful | JobState::Cancelled
        )
    }

    pub fn name(self, locale: Locale) -> &'static str {
        match (locale, self) {
            (Locale::ZhCn, JobState::Draft) => "草稿",
            (Locale::ZhCn, JobState::Published) => "报名中",
            (Locale::ZhCn, JobState::Evaluating) => "评审中",
            (Locale::ZhCn, JobState::Publicity) => "中选公示",
            (Locale::ZhCn, JobState::Contracted) => "已签约",
            (Locale::ZhCn, JobState::Delivered) => "已交付",
            (Locale::ZhCn, JobState::Accepted) => "已验收",
            (Locale::ZhCn, JobState::Rated) => "已评价",
            (Locale::ZhCn, JobState::Unsuccessful) => "流标",
            (Locale::ZhCn, JobState::Cancelled) => "已撤销",
            (Locale::En, JobState::Draft) => "Draft",
            (Locale::En, JobState::Published) => "Open for bids",
            (Locale::En, JobState::Evaluating) => "Evaluating",
            (Locale::En, JobState::Publicity) => "Award publicity",
            (Locale::En, JobState::Contracted) => "Contracted",
            (Locale::En, JobState::Delivered) => "Delivered",
            (Locale::En, JobState::Accepted) => "Accepted",
            (Locale::En, JobState::Rated) => "Rated",
            (Locale::En, JobState::Unsuccessful) => "Unsuccessful",
            (Locale::En, JobState::Cancelled) => "Cancelled",
        }
    }
}

/// Who acts. `System` is the server's own background task (deadlines, draws).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Actor {
    Enterprise,
    Agency,
    Regulator,
    System,
}

impl Actor {
    pub const ALL: [Actor; 4] = [
        Actor::Enterprise,
        Actor::Agency,
        Actor::Regulator,
        Actor::System,
    ];

    /// The stored and hashed code, equal to the serde name.
    pub fn as_str(self) -> &'static str {
        match self {
            Actor::Enterprise => "enterprise",
            Actor::Agency => "agency",
            Actor::Regulator => "regulator",
            Actor::System => "system",
        }
    }

    pub fn parse(code: &str) -> Option<Actor> {
        Actor::ALL.into_iter().find(|a| a.as_str() == code)
    }
}

/// One kind of line in a job's timeline. The code is stored, hashed into the chain and sent on
/// the wire; the store, notifications, statistics and the browser all match on this enum.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum JobEvent {
    Created,
    Edited,
    Published,
    /// The enterprise changed the terms of a published job; bids so far were voided.
    TermsChanged,
    Opened,
    /// The sealed bids' receipts enter the chain at opening (see [`crate::chain`]).
    BidReceipts,
    /// Random draw: the candidate list and the seed's commitment are frozen.
    CandidatesFrozen,
    Drawn,
    Awarded,
    AwardPassedOn,
    ObjectionFiled,
    ObjectionAnswered,
    ContractProposed,
    Contracted,
    Delivered,
    Returned,
    Accepted,
    Rated,
    RatingReplied,
    Unsuccessful,
    Cancelled,
    /// This job was posted again from an earlier, unsuccessful or cancelled one.
    RepostedFrom,
    /// This job was posted again as a new job.
    RepostedAs,
}

impl JobEvent {
    pub const ALL: [JobEvent; 23] = [
        JobEvent::Created,
        JobEvent::Edited,
        JobEvent::Published,
        JobEvent::TermsChanged,
        JobEvent::Opened,
        JobEvent::BidReceipts,
        JobEvent::CandidatesFrozen,
        JobEvent::Drawn,
        JobEvent::Awarded,
        JobEvent::AwardPassedOn,
        JobEvent::ObjectionFiled,
        JobEvent::ObjectionAnswered,
        JobEvent::ContractProposed,
        JobEvent::Contracted,
        JobEvent::Delivered,
        JobEvent::Returned,
        JobEvent::Accepted,
        JobEvent::Rated,
        JobEvent::RatingReplied,
        JobEvent::Unsuccessful,
        JobEvent::Cancelled,
        JobEvent::RepostedFrom,
        JobEvent::RepostedAs,
    ];

    /// The stored, hashed and serialised code.
    pub fn code(self) -> &'static str {
        match self {
            JobEvent::Created => "created",
            JobEvent::Edited => "edited",
            JobEvent::Published => "published",
            JobEvent::TermsChanged => "terms_changed",
            JobEvent::Opened => "opened",
            JobEvent::BidReceipts => "bid_receipts",
            JobEvent::CandidatesFrozen => "candidates_frozen",
            JobEvent::Drawn => "drawn",
            JobEvent::Awarded => "awarded",
            JobEvent::AwardPassedOn => "award_passed_on",
            JobEvent::ObjectionFiled => "objection_filed",
            JobEvent::ObjectionAnswered => "objection_answered",
            JobEvent::ContractProposed => "contract_proposed",
            JobEvent::Contracted => "contracted",
            JobEvent::Delivered => "delivered",
            JobEvent::Returned => "returned",
            JobEvent::Accepted => "accepted",
            JobEvent::Rated => "rated",
            JobEvent::RatingReplied => "rating_replied",
            JobEvent::Unsuccessful => "unsuccessful",
            JobEvent::Cancelled => "cancelled",
            JobEvent::RepostedFrom => "reposted_from",
            JobEvent::RepostedAs => "reposted_as",
        }
    }

    /// A timeline line for a reader. A Chinese reader gets the stored detail, which the server
    /// writes in Chinese and the hash chain covers verbatim; any other reader gets the event's
    /// name in their language.
    pub fn line(self, detail: &str, locale: Locale) -> String {
        match locale {
            Locale::ZhCn if !detail.is_empty() => detail.to_owned(),
            _ => self.name(locale).to_owned(),
        }
    }

    pub fn name(self, locale: Locale) -> &'static str {
        let (zh, en) = match self {
            JobEvent::Created => ("创建草稿", "Draft created"),
            JobEvent::Edited => ("修改草稿", "Draft edited"),
            JobEvent::Published => ("发布公告", "Published"),
            JobEvent::TermsChanged => ("变更公告", "Terms changed"),
            JobEvent::Opened => ("开标", "Bids opened"),
            JobEvent::BidReceipts => ("公开报价回执", "Bid receipts published"),
            JobEvent::CandidatesFrozen => ("锁定摇号名单", "Draw list frozen"),
            JobEvent::Drawn => ("摇号选定", "Winner drawn"),
            JobEvent::Awarded => ("选定中选机构", "Awarded"),
            JobEvent::AwardPassedOn => ("顺延中选", "Award passed on"),
            JobEvent::ObjectionFiled => ("提出异议", "Objection filed"),
            JobEvent::ObjectionAnswered => ("答复异议", "Objection answered"),
            JobEvent::ContractProposed => ("发出合同", "Contract proposed"),
            JobEvent::Contracted => ("签订合同", "Contract signed"),
            JobEvent::Delivered => ("提交成果", "Work delivered"),
            JobEvent::Returned => ("退回成果", "Delivery returned"),
            JobEvent::Accepted => ("验收通过", "Delivery accepted"),
            JobEvent::Rated => ("评价", "Rated"),
            JobEvent::RatingReplied => ("回复评价", "Rating replied"),
            JobEvent::Unsuccessful => ("流标", "Unsuccessful"),
            JobEvent::Cancelled => ("撤销", "Cancelled"),
            JobEvent::RepostedFrom => ("由原项目重新发布", "Reposted from an earlier job"),
            JobEvent::RepostedAs => ("已重新发布", "Reposted as a new job"),
        };
        match locale {
            Locale::ZhCn => zh,
            Locale::En => en,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum JobAction {
    Publish,
    /// Changes the terms of a published job: bids placed so far are voided.
    AmendTerms,
    Cancel,
    /// The deadline passed with enough valid bids.
    Open,
    /// The deadline passed with too few valid bids.
    FailForTooFewBids,
    /// The winner is chosen by the published method.
    Award,
    /// An upheld objection or a withdrawn winner passes the award to the next candidate.
    PassToNextCandidate,
    /// No candidate is left after an objection or withdrawal.
    FailForNoCandidate,
    ConfirmContract,
    Deliver,
    ReturnDelivery,
    Accept,
    Rate,
}

impl JobAction {
    pub const ALL: [JobAction; 13] = [
        JobAction::Publish,
        JobAction::AmendTerms,
        JobAction::Cancel,
        JobAction::Open,
        JobAction::FailForTooFewBids,
        JobAction::Award,
        JobAction::PassToNextCandidate,
        JobAction::FailForNoCandidate,
        JobAction::ConfirmContract,
        JobAction::Deliver,
        JobAction::ReturnDelivery,
        JobAction::Accept,
        JobAction::Rate,
    ];
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    #[error("当前状态下不能进行此操作")]
    NotAllowedInState,
    #[error("您无权进行此操作")]
    WrongActor,
}

impl Violation for TransitionError {
    fn code(&self) -> &'static str {
        match self {
            TransitionError::NotAllowedInState => "invalid_transition",
            TransitionError::WrongActor => "forbidden_transition",
        }
    }

    fn message(&self, locale: Locale) -> String {
        match (locale, self) {
            (Locale::ZhCn, _) => self.to_string(),
            (Locale::En, TransitionError::NotAllowedInState) => {
                "This cannot be done in the job's current state".into()
            }
            (Locale::En, TransitionError::WrongActor) => "You may not do this".into(),
        }
    }
}

/// The whole table: from which state an action leads where, and who may take it.
pub fn transition(state: JobState, action: JobAction) -> Option<(Actor, JobState)> {
    use Actor::*;
    use JobAction::*;
    use JobState::*;
    Some(match (state, action) {
        (Draft, Publish) => (Enterprise, Published),
        (Published, AmendTerms) => (Enterprise, Published),
        (Draft | Published | Evaluating, Cancel) => (Enterprise, Cancelled),
        (Published, Open) => (System, Evaluating),
        (Published, FailForTooFewBids) => (System, Unsuccessful),
        // The random draw is the system's; other methods are the enterprise's, checked by the
        // server against the job's published method.
        (Evaluating, Award) => (Enterprise, Publicity),
        (Publicity, PassToNextCandidate) => (Enterprise, Publicity),
        (Publicity, FailForNoCandidate) => (Enterprise, Unsuccessful),
        (Publicity, ConfirmContract) => (Agency, Contracted),
        (Contracted, Deliver) => (Agency, Delivered),
        (Delivered, ReturnDelivery) => (Enterprise, Contracted),
        (Delivered, Accept) => (Enterprise, Accepted),
        (Accepted, Rate) => (Enterprise, Rated),
        _ => return None,
    })
}

impl JobState {
    /// The state after `action` by `actor`. The random draw's award is made by the system in the
    /// enterprise's stead, so `System` may also take the enterprise's `Award`.
    pub fn apply(self, action: JobAction, actor: Actor) -> Result<JobState, TransitionError> {
        let (allowed, next) = transition(self, action).ok_or(TransitionError::NotAllowedInState)?;
        let system_award = action == JobAction::Award && actor == Actor::System;
        if actor == allowed || system_award {
            Ok(next)
        } else {
            Err(TransitionError::WrongActor)
        }
    }
}

/// One line of a job's timeline; events are appended, never edited.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct JobEventView {
    /// Position in the job's hash chain, from 1.
    pub seq: i64,
    pub at: String,
    pub actor: Actor,
    pub event: JobEvent,
    pub detail: String,
    /// Hash of the previous event (64 zeros for the first), see [`crate::chain`].
    pub prev_hash: String,
    pub hash: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn only_a_published_job_before_its_deadline_takes_bids() {
        for state in JobState::ALL {
            assert_eq!(
                state.takes_bids(Some(100), 99),
                state == JobState::Published,
                "{state:?}"
            );
            assert!(
                !state.takes_bids(Some(100), 100),
                "{state:?} at the deadline"
            );
            assert!(!state.takes_bids(None, 0), "{state:?} without a deadline");
            assert_eq!(
                state.opening_due(Some(100), 100),
                state == JobState::Published,
                "{state:?}"
            );
            assert!(!state.opening_due(Some(100), 99));
        }
    }

    #[test]
    fn bids_stay_sealed_for_drafts_open_and_cancelled_jobs_only() {
        let sealed: Vec<JobState> = JobState::ALL
            .into_iter()
            .filter(|s| !s.bids_opened())
            .collect();
        // server/src/store/sqlite/jobs_sql.rs PUBLIC_BID_COUNT lists the same three.
        assert_eq!(
            sealed,
            [JobState::Draft, JobState::Published, JobState::Cancelled]
        );
    }

    #[test]
    fn an_english_reader_gets_the_event_name_and_no_chinese_detail() {
        let line = JobEvent::Delivered.line("提交成果,报告编号 A-1", Locale::En);
        assert_eq!(line, "Work delivered");
        assert_eq!(
            JobEvent::Delivered.line("提交成果,报告编号 A-1", Locale::ZhCn),
            "提交成果,报告编号 A-1"
        );
        assert_eq!(JobEvent::Created.line("", Locale::ZhCn), "创建草稿");
        for event in JobEvent::ALL {
            assert!(
                event.name(Locale::En).is_ascii(),
                "{event:?} has an English name"
            );
        }
    }

    #[test]
    fn the_happy_path_runs_from_draft_to_rated() {
        use JobAction::*;
        let steps = [
            (Publish, Actor::Enterprise),
            (Open, Actor::System),
            (Award, Actor::Enterprise),
            (ConfirmContract, Actor::Agency),
            (Deliver, Actor::Agency),
            (ReturnDelivery, Actor::Enterprise),
            (Deliver, Actor::Agency),
            (Accept, Actor::Enterprise),
            (Rate, Actor::Enterprise),
        ];
        let end = steps
            .iter()
            .try_fold(JobState::Draft, |state, (action, actor)| {
                state.apply(*action, *actor)
            })
            .unwrap();
        assert_eq!(end, JobState::Rated);
    }

    #[test]
    fn the_wrong_party_is_refused() {
        assert_eq!(
            JobState::Contracted.apply(JobAction::Deliver, Actor::Enterprise),
            Err(TransitionError::WrongActor)
        );
        assert_eq!(
            JobState::Published.apply(JobAction::Open, Actor::Enterprise),
            Err(TransitionError::WrongActor)
        );
        assert_eq!(
            JobState::Draft.apply(JobAction::Open, Actor::System),
            Err(TransitionError::NotAllowedInState)
        );
    }

    #[test]
    fn state_codes_are_the_api_names() {
        let codes: Vec<_> = JobState::ALL.iter().map(|s| s.code()).collect();
        assert_eq!(
            codes,
            [
                "draft",
                "published",
                "evaluating",
                "publicity",
                "contracted",
                "delivered",
                "accepted",
                "rated",
                "unsuccessful",
                "cancelled"
            ]
        );
        for state in JobState::ALL {
            assert_eq!(JobState::parse(state.code()), Some(state));
        }
    }

    fn actor() -> impl Strategy<Value = Actor> {
        prop_oneof![
            Just(Actor::Enterprise),
            Just(Actor::Agency),
            Just(Actor::Regulator),
            Just(Actor::System)
        ]
    }

    proptest! {
        #[test]
        fn random_transitions_never_reach_a_forbidden_state(
            steps in proptest::collection::vec((0usize..JobAction::ALL.len(), actor()), 0..60)
        ) {
            let mut state = JobState::Draft;
            let mut history = vec![state];
            for (index, actor) in steps {
                let action = JobAction::ALL[index];
                let before = state;
                match state.apply(action, actor) {
                    Ok(next) => {
                        // Nothing leaves a terminal state, and nobody returns to a draft.
                        prop_assert!(!before.is_terminal());
                        prop_assert_ne!(next, JobState::Draft);
                        // Regulators never drive a job.
                        prop_assert_ne!(actor, Actor::Regulator);
                        // No contract without an award in publicity, no rating without acceptance.
                        if next == JobState::Contracted {
                            prop_assert!(matches!(before, JobState::Publicity | JobState::Delivered));
                        }
                        if next == JobState::Rated {
                            prop_assert_eq!(before, JobState::Accepted);
                        }
                        if next == JobState::Publicity {
                            prop_assert!(history.contains(&JobState::Evaluating));
                        }
                        state = next;
                        history.push(state);
                    }
                    Err(_) => prop_assert_eq!(state, before),
                }
            }
        }
    }
}

pub use draft::*;

/// The job posting form (采购公告) and its rules.
mod draft {
    use crate::catalog::ServiceType;
    use crate::error::{FieldError, FieldErrors, Locale, Violation};
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

    impl Violation for JobRuleError {
        fn code(&self) -> &'static str {
            match self {
                JobRuleError::UnknownServiceType => "unknown_service_type",
                JobRuleError::FactsMissing => "facts_missing",
                JobRuleError::Negative => "negative",
                JobRuleError::TooLarge => "too_large",
                JobRuleError::BudgetRequired => "budget_required",
                JobRuleError::FiscalPercent => "fiscal_percent",
                JobRuleError::MinBidders => "min_bidders",
                JobRuleError::PublicityDays => "publicity_days",
                JobRuleError::LevelRequired => "level_required",
                JobRuleError::AvoidanceReason => "avoidance_reason",
            }
        }

        fn message(&self, locale: Locale) -> String {
            match locale {
                Locale::ZhCn => self.to_string(),
                Locale::En => match self {
                    JobRuleError::UnknownServiceType => "Unknown service type",
                    JobRuleError::FactsMissing => {
                        "Enter the investment or the quantity, so fee standards can quote"
                    }
                    JobRuleError::Negative => "Cannot be negative",
                    JobRuleError::TooLarge => {
                        "Out of range: amounts up to one trillion yuan, quantities up to one billion"
                    }
                    JobRuleError::BudgetRequired => "The budget ceiling must be above zero",
                    JobRuleError::FiscalPercent => "The public-funds share lies between 0 and 100%",
                    JobRuleError::MinBidders => "The minimum number of bidders is 1 to 50",
                    JobRuleError::PublicityDays => "The publicity period is 1 to 30 days",
                    JobRuleError::LevelRequired => "Give the grade",
                    JobRuleError::AvoidanceReason => "Give the reason for the exclusion",
                }
                .into(),
            }
        }
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
            match (
                project_code,
                service_type,
                budget_ceiling,
                contact_person,
                contact_phone,
            ) {
                (
                    Some(project_code),
                    Some(service_type),
                    Some(budget_ceiling),
                    Some(contact_person),
                    Some(contact_phone),
                ) if errors.is_empty() => Ok(JobTerms {
                    project_code,
                    service_type,
                    facts: JobFacts {
                        investment,
                        quantity_milli,
                    },
                    budget_ceiling,
                    contact_person,
                    contact_phone,
                }),
                _ => Err(errors.into_vec()),
            }
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
}
