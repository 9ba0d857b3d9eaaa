//! The life of an evaluation job (采购公告) as one state machine. Each transition names the one
//! party allowed to make it; the server applies transitions with a conditional update on the
//! state it read, so two concurrent transitions cannot both win.

use crate::error::Locale;
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

crate::violation! {
    TransitionError,
    TransitionError::NotAllowedInState => "invalid_transition",
        "This cannot be done in the job's current state";
    TransitionError::WrongActor => "forbidden_transition", "You may not do this";
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

pub use draft::*;

mod draft;

#[cfg(test)]
mod tests;
