//! In-app notifications: the kinds a user can receive and mute, and their wire shapes, shared by
//! the server that writes them and the inbox that shows them.

use crate::Locale;
use serde::{Deserialize, Serialize};

/// What a notification is about; each kind can be muted on its own.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum NotificationKind {
    /// A job was published for a service the agency offers.
    NewJob,
    /// A bid deadline is within 24 h and the agency's bid still needs confirming.
    DeadlineSoon,
    /// The job's terms changed and the agency's bid was voided.
    BidVoided,
    /// Bids were opened at the deadline.
    BidsOpened,
    /// An award, a passed-on award, a failed or cancelled job.
    AwardResult,
    /// A regulator decided on the agency's listing.
    ReviewDecision,
    /// An objection was filed or answered.
    Objection,
    /// A complaint concerning the user moved a step.
    Complaint,
    /// An approval case the user is party to changed status or got a technical review.
    CaseStatus,
}

impl NotificationKind {
    pub const ALL: [NotificationKind; 9] = [
        NotificationKind::NewJob,
        NotificationKind::DeadlineSoon,
        NotificationKind::BidVoided,
        NotificationKind::BidsOpened,
        NotificationKind::AwardResult,
        NotificationKind::ReviewDecision,
        NotificationKind::Objection,
        NotificationKind::Complaint,
        NotificationKind::CaseStatus,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            NotificationKind::NewJob => "new_job",
            NotificationKind::DeadlineSoon => "deadline_soon",
            NotificationKind::BidVoided => "bid_voided",
            NotificationKind::BidsOpened => "bids_opened",
            NotificationKind::AwardResult => "award_result",
            NotificationKind::ReviewDecision => "review_decision",
            NotificationKind::Objection => "objection",
            NotificationKind::Complaint => "complaint",
            NotificationKind::CaseStatus => "case_status",
        }
    }

    pub fn parse(code: &str) -> Option<NotificationKind> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == code)
    }

    pub fn label(self, locale: Locale) -> &'static str {
        match (self, locale) {
            (NotificationKind::NewJob, Locale::ZhCn) => "新项目",
            (NotificationKind::NewJob, Locale::En) => "New jobs",
            (NotificationKind::DeadlineSoon, Locale::ZhCn) => "截止提醒",
            (NotificationKind::DeadlineSoon, Locale::En) => "Deadline reminders",
            (NotificationKind::BidVoided, Locale::ZhCn) => "报价作废",
            (NotificationKind::BidVoided, Locale::En) => "Voided bids",
            (NotificationKind::BidsOpened, Locale::ZhCn) => "开标",
            (NotificationKind::BidsOpened, Locale::En) => "Bids opened",
            (NotificationKind::AwardResult, Locale::ZhCn) => "中选结果",
            (NotificationKind::AwardResult, Locale::En) => "Award results",
            (NotificationKind::ReviewDecision, Locale::ZhCn) => "审核结果",
            (NotificationKind::ReviewDecision, Locale::En) => "Review decisions",
            (NotificationKind::Objection, Locale::ZhCn) => "质疑",
            (NotificationKind::Objection, Locale::En) => "Objections",
            (NotificationKind::Complaint, Locale::ZhCn) => "投诉",
            (NotificationKind::Complaint, Locale::En) => "Complaints",
            (NotificationKind::CaseStatus, Locale::ZhCn) => "办件状态",
            (NotificationKind::CaseStatus, Locale::En) => "Case status",
        }
    }
}

/// One notification in a user's inbox. Title and body are written in Chinese when it is sent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NotificationView {
    pub id: i64,
    pub kind: NotificationKind,
    pub title: String,
    pub body: String,
    /// An app path such as `/jobs/12`.
    pub link: String,
    pub created_at: String,
    pub read: bool,
}

/// `GET /api/notifications`: the newest notifications and the unread count.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Inbox {
    pub items: Vec<NotificationView>,
    pub unread: i64,
}

/// One server-sent event on `/api/notifications/stream`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PushedNotification {
    pub notification: NotificationView,
    pub unread: i64,
}

/// `POST /api/notifications/read`: the ids to mark read, or every unread one when absent.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MarkRead {
    #[serde(default)]
    pub ids: Option<Vec<i64>>,
}

/// `GET`/`PUT /api/notifications/settings`: the kinds the user does not want.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NotificationSettings {
    pub muted: Vec<NotificationKind>,
}

/// The unread count after a change.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnreadCount {
    pub unread: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_round_trips_through_its_code_and_has_labels() {
        for kind in NotificationKind::ALL {
            assert_eq!(NotificationKind::parse(kind.as_str()), Some(kind));
            let json = serde_json::to_string(&kind).unwrap();
            assert_eq!(json, format!("\"{}\"", kind.as_str()));
            assert!(!kind.label(Locale::ZhCn).is_empty());
            assert!(!kind.label(Locale::En).is_empty());
        }
        assert_eq!(NotificationKind::parse("spam"), None);
    }
}
