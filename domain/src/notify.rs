//! In-app notifications: the kinds a user can receive and mute, and their wire shapes, shared by
//! the server that writes them and the inbox that shows them.

use crate::approval::CaseStatus;
use crate::complaint::ComplaintStatus;
use crate::job::JobEvent;
use crate::listing::{ReviewDecision, VersionStatus};
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

/// What a notification is about, as codes and arguments, so that each reader's locale renders
/// it. User-entered text (a project name, a regulator's reason) travels as it was written.
/// Externally tagged: only the inbox, a screen of its own, decodes it; the live toast on every
/// page reads a [`NoticeHeadline`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum NotificationSubject {
    /// A job event; the stored body is the event's detail, written in Chinese.
    Job {
        event: JobEvent,
        project: String,
        service_type: ServiceType,
    },
    /// The regulator decided on a listing version; the body is the regulator's reason.
    ListingDecision { decision: ReviewDecision },
    /// An approval case changed status; the body is the officer's note.
    CaseStatus {
        case_number: String,
        status: CaseStatus,
    },
    /// A technical review was recorded on a case; the body is the officer's note.
    TechnicalReview {
        case_number: String,
        service_type: ServiceType,
    },
    /// A new complaint waits for a regulator.
    ComplaintFiled {
        complaint: String,
        respondent: String,
    },
    /// A complaint moved on; the body is the note that moved it.
    ComplaintMoved {
        complaint: String,
        status: ComplaintStatus,
    },
    /// Enough upheld quality complaints to propose suspending an agency.
    SuspensionProposed {
        agency: String,
        upheld: usize,
        window_days: i64,
    },
    /// A voided bid must be re-confirmed before the deadline (city time, `YYYY-MM-DD HH:MM`).
    DeadlineSoon { project: String, deadline: String },
}

impl NotificationSubject {
    /// The title in `locale`; `None` only for a job event nobody is told of.
    pub fn title(&self, locale: Locale) -> Option<String> {
        let zh = locale == Locale::ZhCn;
        Some(match self {
            NotificationSubject::Job {
                event,
                project,
                service_type,
            } => return job_notice(*event, project, *service_type, locale).map(|n| n.title),
            NotificationSubject::ListingDecision { decision } if zh => {
                format!("入驻信息审核结果:{}", decision.name(locale))
            }
            NotificationSubject::ListingDecision { decision } => format!(
                "Listing review: {}",
                VersionStatus::after(*decision).name(locale)
            ),
            NotificationSubject::CaseStatus {
                case_number,
                status,
            } if zh => format!("办件 {case_number} 状态:{}", status.name(locale)),
            NotificationSubject::CaseStatus {
                case_number,
                status,
            } => format!("Case {case_number}: {}", status.name(locale)),
            NotificationSubject::TechnicalReview {
                case_number,
                service_type,
            } if zh => format!(
                "办件 {case_number} 收到{}技术审查意见",
                service_type.name(locale)
            ),
            NotificationSubject::TechnicalReview {
                case_number,
                service_type,
            } => format!(
                "Case {case_number}: technical review of the {} received",
                service_type.name(locale)
            ),
            NotificationSubject::ComplaintFiled { complaint, .. } if zh => {
                format!("新投诉待受理:{complaint}")
            }
            NotificationSubject::ComplaintFiled { complaint, .. } => {
                format!("New complaint to accept: {complaint}")
            }
            NotificationSubject::ComplaintMoved { complaint, status } => {
                let what = match (status, zh) {
                    (ComplaintStatus::Accepted, true) => "投诉已受理".to_owned(),
                    (ComplaintStatus::Refused, true) => "投诉不予受理".to_owned(),
                    (ComplaintStatus::Answered, true) => "被投诉方已答复".to_owned(),
                    (_, true) => format!("投诉处理结果({})", status.name(locale)),
                    (ComplaintStatus::Accepted, false) => "Complaint accepted".to_owned(),
                    (ComplaintStatus::Refused, false) => "Complaint refused".to_owned(),
                    (ComplaintStatus::Answered, false) => "The respondent answered".to_owned(),
                    (_, false) => format!("Complaint decided ({})", status.name(locale)),
                };
                format!("{what}{}{complaint}", if zh { ":" } else { ": " })
            }
            NotificationSubject::SuspensionProposed { agency, .. } if zh => {
                format!("建议暂停:{agency}")
            }
            NotificationSubject::SuspensionProposed { agency, .. } => {
                format!("Suspension proposed: {agency}")
            }
            NotificationSubject::DeadlineSoon { project, .. } if zh => {
                format!("报价即将截止,请重新确认报价:{project}")
            }
            NotificationSubject::DeadlineSoon { project, .. } => {
                format!("Bid deadline near; re-confirm your bid: {project}")
            }
        })
    }

    /// The body in `locale` when the system wrote it; `None` when the stored body is the
    /// user's own text (a reason, a note), shown as written.
    pub fn body(&self, locale: Locale) -> Option<String> {
        let zh = locale == Locale::ZhCn;
        match self {
            NotificationSubject::Job { event, .. } if !zh => Some(event.name(locale).to_owned()),
            NotificationSubject::ComplaintFiled { respondent, .. } => Some(if zh {
                format!("被投诉方:{respondent}")
            } else {
                format!("Respondent: {respondent}")
            }),
            NotificationSubject::SuspensionProposed {
                upheld,
                window_days,
                ..
            } => Some(if zh {
                format!("{window_days} 天内 {upheld} 件服务质量投诉成立,请确认或驳回暂停建议")
            } else {
                format!(
                    "{upheld} quality complaints upheld within {window_days} days; confirm or dismiss the proposed suspension"
                )
            }),
            NotificationSubject::DeadlineSoon { deadline, .. } => Some(if zh {
                format!(
                    "采购条件变更后您的报价已作废,须在截止时间 {deadline} 前重新确认,否则不计入有效报价"
                )
            } else {
                format!(
                    "The terms changed, so your bid was voided; re-confirm it before {deadline} or it will not count"
                )
            }),
            _ => None,
        }
    }
}

impl NotificationView {
    /// The title in the reader's language: rendered from the subject when there is one.
    pub fn title_in(&self, locale: Locale) -> String {
        self.subject
            .as_ref()
            .and_then(|subject| subject.title(locale))
            .unwrap_or_else(|| self.title.clone())
    }

    /// The body in the reader's language, or the user's own words as they wrote them.
    pub fn body_in(&self, locale: Locale) -> String {
        self.subject
            .as_ref()
            .and_then(|subject| subject.body(locale))
            .unwrap_or_else(|| self.body.clone())
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
            subject: Some(NotificationSubject::Job {
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
                subject: Some(NotificationSubject::Job {
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

    fn every_other_subject() -> Vec<NotificationSubject> {
        let mut subjects = vec![
            NotificationSubject::ListingDecision {
                decision: ReviewDecision::RequestChanges,
            },
            NotificationSubject::TechnicalReview {
                case_number: "YZ-1".into(),
                service_type: ServiceType::Surveying,
            },
            NotificationSubject::ComplaintFiled {
                complaint: "c".into(),
                respondent: "r".into(),
            },
            NotificationSubject::SuspensionProposed {
                agency: "a".into(),
                upheld: 3,
                window_days: 365,
            },
            NotificationSubject::DeadlineSoon {
                project: "p".into(),
                deadline: "2026-12-01 09:00".into(),
            },
        ];
        subjects.extend(CaseStatus::ALL.into_iter().map(|status| {
            NotificationSubject::CaseStatus {
                case_number: "YZ-1".into(),
                status,
            }
        }));
        subjects.extend(ComplaintStatus::ALL.into_iter().map(|status| {
            NotificationSubject::ComplaintMoved {
                complaint: "c".into(),
                status,
            }
        }));
        subjects
    }

    #[test]
    fn every_subject_has_an_english_title_and_system_body_without_chinese() {
        for subject in every_other_subject() {
            let title = subject.title(Locale::En).unwrap();
            assert!(title.is_ascii(), "{subject:?}: {title}");
            let zh = subject.title(Locale::ZhCn).unwrap();
            assert!(!zh.is_ascii(), "{subject:?}: {zh}");
            if let Some(body) = subject.body(Locale::En) {
                assert!(body.is_ascii(), "{subject:?}: {body}");
            }
            let wire = serde_json::to_string(&subject).unwrap();
            assert_eq!(
                serde_json::from_str::<NotificationSubject>(&wire).unwrap(),
                subject
            );
        }
    }

    #[test]
    fn a_note_written_by_a_person_is_shown_as_written_in_every_language() {
        let view = NotificationView {
            id: 1,
            kind: NotificationKind::CaseStatus,
            title: "办件 YZ-1 状态:已受理".into(),
            body: "材料齐全".into(),
            link: "/cases/1".into(),
            created_at: String::new(),
            read: false,
            subject: Some(NotificationSubject::CaseStatus {
                case_number: "YZ-1".into(),
                status: CaseStatus::ALL[0],
            }),
        };
        assert!(view.title_in(Locale::En).starts_with("Case YZ-1: "));
        assert_eq!(view.body_in(Locale::En), "材料齐全");
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
