//! In-app notifications: the kinds a user can receive and mute, and their wire shapes, shared by
//! the server that writes them and the inbox that shows them.

use crate::job::JobEvent;
use crate::{Locale, ServiceType};
use serde::{Deserialize, Serialize};

/// Who hears of a job event; the store turns it into user ids.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Audience {
    /// The enterprise that owns the job.
    Owner,
    /// Every agency that bid on the job.
    Bidders,
    /// The owner and every bidder.
    Parties,
    /// The agencies whose bids a change of terms just voided.
    VoidedBidders,
    /// Every approved agency that offers the job's service type.
    AgenciesOffering,
}

/// The notification one job event sends.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JobNotice {
    pub kind: NotificationKind,
    pub audience: Audience,
    pub title: String,
}

/// Which job events notify whom, and with what title. Events that each party follows on the
/// job page itself send nothing; they are listed one by one so that a new event does not
/// compile until someone decides who hears of it.
pub fn job_notice(
    event: JobEvent,
    project: &str,
    service: ServiceType,
    locale: Locale,
) -> Option<JobNotice> {
    use Audience::*;
    use NotificationKind::*;
    let new_job_zh = format!("新的{}项目", service.name(Locale::ZhCn));
    let new_job_en = format!("New {} job", service.name(Locale::En));
    let (kind, audience, zh, en): (_, _, &str, &str) = match event {
        JobEvent::Published => (NewJob, AgenciesOffering, &new_job_zh, &new_job_en),
        JobEvent::TermsChanged => (
            BidVoided,
            VoidedBidders,
            "采购条件已变更,您的报价已作废",
            "Terms changed and your bid was voided",
        ),
        JobEvent::Opened => (BidsOpened, Parties, "已开标", "Bids opened"),
        JobEvent::Awarded | JobEvent::Drawn | JobEvent::AwardPassedOn => {
            (AwardResult, Parties, "中选结果公示", "Award published")
        }
        JobEvent::Unsuccessful => (AwardResult, Parties, "项目流标", "Job unsuccessful"),
        JobEvent::Cancelled => (AwardResult, Bidders, "项目已撤销", "Job cancelled"),
        JobEvent::ObjectionFiled => (Objection, Owner, "收到质疑", "Objection filed"),
        JobEvent::ObjectionAnswered => (Objection, Parties, "质疑已答复", "Objection answered"),
        JobEvent::Created
        | JobEvent::Edited
        | JobEvent::BidReceipts
        | JobEvent::CandidatesFrozen
        | JobEvent::ContractProposed
        | JobEvent::Contracted
        | JobEvent::Delivered
        | JobEvent::Returned
        | JobEvent::Accepted
        | JobEvent::Rated
        | JobEvent::RatingReplied
        | JobEvent::RepostedFrom
        | JobEvent::RepostedAs => return None,
    };
    let title = match locale {
        Locale::ZhCn => format!("{zh}:{project}"),
        Locale::En => format!("{en}: {project}"),
    };
    Some(JobNotice {
        kind,
        audience,
        title,
    })
}

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
    /// The title in Chinese, as API clients and older notifications have it.
    pub title: String,
    pub body: String,
    /// An app path such as `/jobs/12`.
    pub link: String,
    pub created_at: String,
    pub read: bool,
    /// What it is about, as codes and arguments, so that the reader's locale can render it.
    #[serde(default)]
    pub subject: Option<NotificationSubject>,
}

/// The codes and arguments a job-event notification was written from. A plain struct rather
/// than a tagged enum: every page decodes notifications (the live toast), and serde's tagged
/// enums cost the home page's first load several KB.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NotificationSubject {
    pub event: JobEvent,
    pub project: String,
    pub service_type: ServiceType,
}

impl NotificationView {
    /// The title in the reader's language: rendered from the subject when there is one.
    pub fn title_in(&self, locale: Locale) -> String {
        match &self.subject {
            Some(subject) if locale != Locale::ZhCn => job_notice(
                subject.event,
                &subject.project,
                subject.service_type,
                locale,
            )
            .map_or_else(|| self.title.clone(), |notice| notice.title),
            _ => self.title.clone(),
        }
    }

    /// The body in the reader's language. The stored body is the job event's detail, which the
    /// server writes in Chinese; another reader gets the event's name instead.
    pub fn body_in(&self, locale: Locale) -> String {
        match &self.subject {
            Some(subject) if locale != Locale::ZhCn => subject.event.name(locale).to_owned(),
            _ => self.body.clone(),
        }
    }
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

/// What the live toast on every page needs of a pushed notification. serde skips the other
/// fields, so decoding the subject (and rendering it in English) stays out of the home page's
/// first load; the inbox, a screen of its own, reads the full [`NotificationView`].
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct NoticeHeadline {
    pub id: i64,
    pub kind: NotificationKind,
    pub title: String,
    pub link: String,
}

impl NoticeHeadline {
    /// The stored title for a Chinese reader; any other reader gets the kind's name, and the
    /// full notice in their language one click away.
    pub fn headline(&self, locale: Locale) -> &str {
        match locale {
            Locale::ZhCn => &self.title,
            _ => self.kind.label(locale),
        }
    }
}

/// A [`PushedNotification`] as the live toast decodes it.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct PushedHeadline {
    pub notification: NoticeHeadline,
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
    fn a_published_job_reaches_agencies_offering_its_service_and_nothing_else_is_silent_by_accident(
    ) {
        let notice = job_notice(
            JobEvent::Published,
            "云州大道",
            ServiceType::Surveying,
            Locale::ZhCn,
        )
        .unwrap();
        assert_eq!(notice.kind, NotificationKind::NewJob);
        assert_eq!(notice.audience, Audience::AgenciesOffering);
        assert_eq!(notice.title, "新的测绘项目:云州大道");
        let objection = job_notice(
            JobEvent::ObjectionFiled,
            "p",
            ServiceType::Surveying,
            Locale::ZhCn,
        )
        .unwrap();
        assert_eq!(objection.audience, Audience::Owner);
        let sent: Vec<JobEvent> = JobEvent::ALL
            .into_iter()
            .filter(|e| job_notice(*e, "p", ServiceType::Surveying, Locale::ZhCn).is_some())
            .collect();
        assert_eq!(sent.len(), 10, "{sent:?}");
    }

    #[test]
    fn a_job_notification_reads_in_english_from_its_subject_and_in_chinese_as_stored() {
        let view = NotificationView {
            id: 1,
            kind: NotificationKind::BidsOpened,
            title: "已开标:云州大道".into(),
            body: "报名截止,开启 3 份有效报价".into(),
            link: "/jobs/1".into(),
            created_at: String::new(),
            read: false,
            subject: Some(NotificationSubject {
                event: JobEvent::Opened,
                project: "云州大道".into(),
                service_type: ServiceType::Surveying,
            }),
        };
        assert_eq!(view.title_in(Locale::En), "Bids opened: 云州大道");
        assert_eq!(view.body_in(Locale::En), "Bids opened");
        assert_eq!(view.title_in(Locale::ZhCn), "已开标:云州大道");
        assert_eq!(view.body_in(Locale::ZhCn), "报名截止,开启 3 份有效报价");
        let old = NotificationView {
            subject: None,
            ..view
        };
        assert_eq!(old.title_in(Locale::En), "已开标:云州大道");
    }

    #[test]
    fn the_toast_decodes_a_pushed_notification_and_names_its_kind_in_english() {
        let pushed = PushedNotification {
            notification: NotificationView {
                id: 7,
                kind: NotificationKind::AwardResult,
                title: "中选结果公示:云州大道".into(),
                body: String::new(),
                link: "/jobs/1".into(),
                created_at: String::new(),
                read: false,
                subject: Some(NotificationSubject {
                    event: JobEvent::Awarded,
                    project: "云州大道".into(),
                    service_type: ServiceType::Surveying,
                }),
            },
            unread: 2,
        };
        let wire = serde_json::to_string(&pushed).unwrap();
        let headline: PushedHeadline = serde_json::from_str(&wire).unwrap();
        assert_eq!((headline.notification.id, headline.unread), (7, 2));
        assert_eq!(headline.notification.headline(Locale::En), "Award results");
        assert_eq!(
            headline.notification.headline(Locale::ZhCn),
            "中选结果公示:云州大道"
        );
    }

    #[test]
    fn english_titles_carry_no_chinese_system_text() {
        for event in JobEvent::ALL {
            if let Some(notice) = job_notice(event, "Road", ServiceType::Surveying, Locale::En) {
                assert!(notice.title.is_ascii(), "{event:?}: {}", notice.title);
            }
        }
    }

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
