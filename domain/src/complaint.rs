//! Complaints (投诉) about an agency, an enterprise or a job: distinct from award objections,
//! handled by fee regulators through a fixed flow with a deadline at every step, and published
//! without the complainant's identity once decided.

use crate::error::{FieldError, FieldErrors, Locale};
use crate::text::BoundedText;
use serde::{Deserialize, Serialize};

/// Days the regulator has to accept or refuse a filed complaint.
pub const ACCEPT_WITHIN_DAYS: i64 = 5;
/// Days the respondent has to answer an accepted complaint.
pub const ANSWER_WITHIN_DAYS: i64 = 10;
/// Days the regulator has to decide once answered (or once the answer is overdue).
pub const DECIDE_WITHIN_DAYS: i64 = 30;
/// Upheld quality complaints against one agency within this many days …
pub const SUSPENSION_WINDOW_DAYS: i64 = 365;
/// … that propose a suspension to the regulator.
pub const SUSPENSION_THRESHOLD: i64 = 3;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ComplaintStatus {
    Filed,
    Accepted,
    Refused,
    Answered,
    Upheld,
    Dismissed,
}

impl ComplaintStatus {
    pub const ALL: [ComplaintStatus; 6] = [
        ComplaintStatus::Filed,
        ComplaintStatus::Accepted,
        ComplaintStatus::Refused,
        ComplaintStatus::Answered,
        ComplaintStatus::Upheld,
        ComplaintStatus::Dismissed,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ComplaintStatus::Filed => "filed",
            ComplaintStatus::Accepted => "accepted",
            ComplaintStatus::Refused => "refused",
            ComplaintStatus::Answered => "answered",
            ComplaintStatus::Upheld => "upheld",
            ComplaintStatus::Dismissed => "dismissed",
        }
    }

    pub fn parse(code: &str) -> Option<ComplaintStatus> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn name(self, locale: Locale) -> &'static str {
        match (self, locale) {
            (ComplaintStatus::Filed, Locale::ZhCn) => "待受理",
            (ComplaintStatus::Filed, Locale::En) => "Filed",
            (ComplaintStatus::Accepted, Locale::ZhCn) => "已受理,待答复",
            (ComplaintStatus::Accepted, Locale::En) => "Accepted, awaiting answer",
            (ComplaintStatus::Refused, Locale::ZhCn) => "不予受理",
            (ComplaintStatus::Refused, Locale::En) => "Refused",
            (ComplaintStatus::Answered, Locale::ZhCn) => "已答复,待处理",
            (ComplaintStatus::Answered, Locale::En) => "Answered, awaiting decision",
            (ComplaintStatus::Upheld, Locale::ZhCn) => "投诉成立",
            (ComplaintStatus::Upheld, Locale::En) => "Upheld",
            (ComplaintStatus::Dismissed, Locale::ZhCn) => "投诉不成立",
            (ComplaintStatus::Dismissed, Locale::En) => "Dismissed",
        }
    }

    /// Decided or refused: nothing more happens, and the outcome is published.
    pub fn is_closed(self) -> bool {
        matches!(
            self,
            ComplaintStatus::Refused | ComplaintStatus::Upheld | ComplaintStatus::Dismissed
        )
    }

    /// Days allowed for the step that follows this status, if any.
    pub fn next_step_days(self) -> Option<i64> {
        match self {
            ComplaintStatus::Filed => Some(ACCEPT_WITHIN_DAYS),
            ComplaintStatus::Accepted => Some(ANSWER_WITHIN_DAYS),
            ComplaintStatus::Answered => Some(DECIDE_WITHIN_DAYS),
            _ => None,
        }
    }
}

/// A step of the complaint procedure, each taken by one party (see the handlers).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ComplaintAction {
    /// The regulator accepts it for handling.
    Accept,
    /// The regulator refuses it, with a reason.
    Refuse,
    /// The respondent answers.
    Answer,
    /// The regulator decides it is founded …
    Uphold,
    /// … or not.
    Dismiss,
}

impl ComplaintAction {
    /// The statuses the action may start from: the store's conditional update checks these, so
    /// two concurrent steps cannot both apply.
    pub fn sources(self) -> &'static [ComplaintStatus] {
        match self {
            ComplaintAction::Accept | ComplaintAction::Refuse => &[ComplaintStatus::Filed],
            ComplaintAction::Answer => &[ComplaintStatus::Accepted],
            // A decision may also come once the respondent's time to answer is up.
            ComplaintAction::Uphold | ComplaintAction::Dismiss => {
                &[ComplaintStatus::Answered, ComplaintStatus::Accepted]
            }
        }
    }
}

/// An action the complaint's status does not allow.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ComplaintStepRefused(pub ComplaintAction);

impl ComplaintStepRefused {
    /// Why the step was refused, in the reader's language.
    pub fn message(self, locale: Locale) -> &'static str {
        match (locale, self.0) {
            (Locale::ZhCn, ComplaintAction::Accept) => "只有待受理的投诉可以受理",
            (Locale::ZhCn, ComplaintAction::Refuse) => "只有待受理的投诉可以不予受理",
            (Locale::ZhCn, ComplaintAction::Answer) => "只有已受理的投诉可以答复",
            (Locale::ZhCn, ComplaintAction::Uphold | ComplaintAction::Dismiss) => {
                "须在被投诉方答复后(或答复期限届满后)作出处理决定"
            }
            (Locale::En, ComplaintAction::Accept) => "Only a filed complaint can be accepted",
            (Locale::En, ComplaintAction::Refuse) => "Only a filed complaint can be refused",
            (Locale::En, ComplaintAction::Answer) => "Only an accepted complaint can be answered",
            (Locale::En, ComplaintAction::Uphold | ComplaintAction::Dismiss) => {
                "A decision comes after the respondent's answer, or once its time to answer is up"
            }
        }
    }
}

impl ComplaintStatus {
    /// The status `action` leads to from this one. `answer_overdue` says the respondent's time
    /// to answer has passed, which lets the regulator decide without the answer.
    pub fn apply(
        self,
        action: ComplaintAction,
        answer_overdue: bool,
    ) -> Result<ComplaintStatus, ComplaintStepRefused> {
        use ComplaintAction::*;
        use ComplaintStatus::*;
        match (self, action) {
            (Filed, Accept) => Ok(Accepted),
            (Filed, Refuse) => Ok(Refused),
            (Accepted, Answer) => Ok(Answered),
            (Answered, Uphold) => Ok(Upheld),
            (Answered, Dismiss) => Ok(Dismissed),
            (Accepted, Uphold) if answer_overdue => Ok(Upheld),
            (Accepted, Dismiss) if answer_overdue => Ok(Dismissed),
            _ => Err(ComplaintStepRefused(action)),
        }
    }
}

/// What the complaint is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ComplaintCategory {
    /// 服务质量: counts toward the automatic suspension proposal.
    Quality,
    /// 违规收费.
    Fee,
    /// 围标串标、弄虚作假等违规行为.
    Misconduct,
    Other,
}

impl ComplaintCategory {
    pub const ALL: [ComplaintCategory; 4] = [
        ComplaintCategory::Quality,
        ComplaintCategory::Fee,
        ComplaintCategory::Misconduct,
        ComplaintCategory::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ComplaintCategory::Quality => "quality",
            ComplaintCategory::Fee => "fee",
            ComplaintCategory::Misconduct => "misconduct",
            ComplaintCategory::Other => "other",
        }
    }

    pub fn parse(code: &str) -> Option<ComplaintCategory> {
        Self::ALL.into_iter().find(|c| c.code() == code)
    }

    pub fn name(self, locale: Locale) -> &'static str {
        match (self, locale) {
            (ComplaintCategory::Quality, Locale::ZhCn) => "服务质量",
            (ComplaintCategory::Quality, Locale::En) => "Service quality",
            (ComplaintCategory::Fee, Locale::ZhCn) => "违规收费",
            (ComplaintCategory::Fee, Locale::En) => "Fees",
            (ComplaintCategory::Misconduct, Locale::ZhCn) => "违规行为",
            (ComplaintCategory::Misconduct, Locale::En) => "Misconduct",
            (ComplaintCategory::Other, Locale::ZhCn) => "其他",
            (ComplaintCategory::Other, Locale::En) => "Other",
        }
    }
}

/// Whom the complaint is against.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum ComplaintTarget {
    Agency(i64),
    /// An enterprise's user id.
    Enterprise(i64),
    Job(i64),
}

/// A text attachment (a copy of a letter, a receipt …) filed with the complaint.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Attachment {
    pub name: String,
    pub text: String,
}

/// `POST /api/complaints`, as typed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ComplaintDraft {
    pub target: ComplaintTarget,
    pub category: String,
    #[cfg_attr(feature = "openapi", schema(min_length = 4, max_length = 80))]
    pub title: String,
    #[cfg_attr(feature = "openapi", schema(min_length = 20, max_length = 5000))]
    pub description: String,
    /// References to evidence: job numbers, document numbers, links.
    #[serde(default)]
    pub evidence: Vec<String>,
    #[serde(default)]
    pub attachments: Vec<Attachment>,
}

/// A draft that passed every check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParsedComplaint {
    pub target: ComplaintTarget,
    pub category: ComplaintCategory,
    pub title: String,
    pub description: String,
    pub evidence: Vec<String>,
    pub attachments: Vec<Attachment>,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ComplaintError {
    #[error("请选择投诉类别")]
    Category,
    #[error("证据最多 20 条,每条不超过 200 字")]
    Evidence,
    #[error("附件最多 5 份;每份须有名称,正文不超过 20000 字")]
    Attachments,
    #[error("请填写理由")]
    ReasonRequired,
    #[error("被投诉的机构、企业或项目不存在")]
    UnknownTarget,
}

crate::violation! {
    ComplaintError,
    ComplaintError::Category => "complaint_category", "Choose a category";
    ComplaintError::Evidence => "complaint_evidence",
        "At most 20 evidence references of up to 200 characters";
    ComplaintError::Attachments => "complaint_attachments",
        "At most 5 attachments, each named, of up to 20,000 characters";
    ComplaintError::ReasonRequired => "reason_required", "Give a reason";
    ComplaintError::UnknownTarget => "complaint_target_unknown",
        "No such agency, enterprise or published job";
}

/// A step's reason or answer, trimmed: 2 to 2,000 characters.
pub fn parse_reason(text: &str) -> Result<String, ComplaintError> {
    let text = text.trim();
    match text.chars().count() {
        2..=2000 => Ok(text.to_owned()),
        _ => Err(ComplaintError::ReasonRequired),
    }
}

impl ComplaintDraft {
    /// Checks every field and names each one that fails.
    pub fn parse(&self) -> Result<ParsedComplaint, Vec<FieldError>> {
        let mut errors = FieldErrors::new();
        let category = match ComplaintCategory::parse(&self.category) {
            Some(c) => Some(c),
            None => {
                errors.push("category", &ComplaintError::Category);
                None
            }
        };
        let title = errors.check("title", BoundedText::parse(&self.title, 4, 80, false));
        let description = errors.check(
            "description",
            BoundedText::parse(&self.description, 20, 5000, true),
        );
        let evidence: Vec<String> = self
            .evidence
            .iter()
            .map(|e| e.trim().to_owned())
            .filter(|e| !e.is_empty())
            .collect();
        if evidence.len() > 20
            || evidence.iter().any(|e| {
                e.chars().count() > 200 || crate::text::check_characters(e, false).is_err()
            })
        {
            errors.push("evidence", &ComplaintError::Evidence);
        }
        if self.attachments.len() > 5
            || self.attachments.iter().any(|a| {
                a.name.trim().is_empty()
                    || a.name.chars().count() > 100
                    || crate::text::check_characters(&a.name, false).is_err()
                    || a.text.chars().count() > 20_000
            })
        {
            errors.push("attachments", &ComplaintError::Attachments);
        }
        let complaint = (|| {
            Some(ParsedComplaint {
                target: self.target,
                category: category?,
                title: title?.into_string(),
                description: description?.into_string(),
                evidence,
                attachments: self.attachments.clone(),
            })
        })();
        errors.finish(complaint)
    }
}

/// The steps that carry only a text, as their URL names them: `POST /api/complaints/{id}/{step}`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TextStep {
    /// The regulator accepts the complaint, with an optional note.
    Accept,
    /// The regulator refuses it, with a reason.
    Refuse,
    /// The respondent answers.
    Answer,
}

impl TextStep {
    /// The segment of the step's URL.
    pub fn as_str(self) -> &'static str {
        match self {
            TextStep::Accept => "accept",
            TextStep::Refuse => "refuse",
            TextStep::Answer => "answer",
        }
    }

    pub fn action(self) -> ComplaintAction {
        match self {
            TextStep::Accept => ComplaintAction::Accept,
            TextStep::Refuse => ComplaintAction::Refuse,
            TextStep::Answer => ComplaintAction::Answer,
        }
    }
}

/// A step by the regulator or the respondent, with its text.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ComplaintStep {
    #[serde(default)]
    pub text: String,
}

/// `POST /api/complaints/{id}/decide`: `upheld` says which way.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ComplaintDecision {
    #[serde(default)]
    pub upheld: bool,
    #[cfg_attr(feature = "openapi", schema(min_length = 2, max_length = 2000))]
    pub reason: String,
}

/// A complaint as its reader may see it. The complainant is named only to the complainant, the
/// regulators and (once accepted) the respondent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ComplaintView {
    pub id: i64,
    pub number: String,
    pub target: ComplaintTarget,
    pub target_name: String,
    pub category: ComplaintCategory,
    pub title: String,
    pub description: String,
    pub evidence: Vec<String>,
    pub attachments: Vec<Attachment>,
    pub status: ComplaintStatus,
    /// `None` when anonymised for this reader.
    pub complainant: Option<String>,
    pub filed_at: String,
    /// When the next step is due; none once closed.
    pub due_at: Option<String>,
    pub overdue: bool,
    pub acceptance_note: Option<String>,
    pub answer: Option<String>,
    pub decision_reason: Option<String>,
    pub decided_at: Option<String>,
    /// What this reader may do next.
    #[serde(default)]
    pub can_accept: bool,
    #[serde(default)]
    pub can_answer: bool,
    #[serde(default)]
    pub can_decide: bool,
}

/// A suspension proposed automatically after repeated upheld quality complaints.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SuspensionProposal {
    pub id: i64,
    pub agency_id: i64,
    pub agency_name: String,
    pub complaint_ids: Vec<i64>,
    pub status: String,
    pub proposed_at: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_step_starts_only_where_the_procedure_allows_and_sources_agree() {
        use ComplaintAction::*;
        let actions = [Accept, Refuse, Answer, Uphold, Dismiss];
        for status in ComplaintStatus::ALL {
            for action in actions {
                for overdue in [false, true] {
                    let allowed = status.apply(action, overdue).is_ok();
                    if allowed {
                        assert!(action.sources().contains(&status), "{status:?} {action:?}");
                    }
                }
            }
        }
        assert_eq!(
            ComplaintStatus::Filed.apply(Accept, false),
            Ok(ComplaintStatus::Accepted)
        );
        assert_eq!(
            ComplaintStatus::Accepted.apply(Uphold, false),
            Err(ComplaintStepRefused(Uphold))
        );
        assert_eq!(
            ComplaintStatus::Accepted.apply(Dismiss, true),
            Ok(ComplaintStatus::Dismissed)
        );
        for closed in [
            ComplaintStatus::Refused,
            ComplaintStatus::Upheld,
            ComplaintStatus::Dismissed,
        ] {
            assert!(
                actions.iter().all(|a| closed.apply(*a, true).is_err()),
                "{closed:?} is final"
            );
        }
    }

    #[test]
    fn a_reason_is_trimmed_and_needs_two_to_two_thousand_characters() {
        assert_eq!(parse_reason("  理由充分 "), Ok("理由充分".to_owned()));
        assert_eq!(parse_reason(" 好 "), Err(ComplaintError::ReasonRequired));
        assert!(parse_reason(&"长".repeat(2000)).is_ok());
        assert!(parse_reason(&"长".repeat(2001)).is_err());
    }

    fn draft() -> ComplaintDraft {
        ComplaintDraft {
            target: ComplaintTarget::Agency(3),
            category: "quality".into(),
            title: "报告质量严重不达标".into(),
            description: "环评报告表两次技术评审未通过,机构拒绝按评审意见修改,延误审批近两个月。"
                .into(),
            evidence: vec!["项目 #12".into(), " ".into()],
            attachments: vec![Attachment {
                name: "技术评审意见".into(),
                text: "评审意见:监测数据缺失……".into(),
            }],
        }
    }

    #[test]
    fn a_complete_draft_parses_and_drops_blank_evidence() {
        let parsed = draft().parse().unwrap();
        assert_eq!(parsed.category, ComplaintCategory::Quality);
        assert_eq!(parsed.evidence, ["项目 #12"]);
    }

    #[test]
    fn every_bad_field_is_named() {
        let bad = ComplaintDraft {
            category: "gossip".into(),
            title: "差".into(),
            description: "太差了".into(),
            attachments: vec![Attachment {
                name: " ".into(),
                text: String::new(),
            }],
            ..draft()
        };
        let fields: Vec<String> = bad
            .parse()
            .unwrap_err()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["category", "title", "description", "attachments"]);
    }

    #[test]
    fn each_open_status_has_a_deadline_and_closed_ones_do_not() {
        for status in ComplaintStatus::ALL {
            assert_eq!(
                status.next_step_days().is_none(),
                status.is_closed(),
                "{status:?}"
            );
            assert_eq!(ComplaintStatus::parse(status.code()), Some(status));
        }
    }
}
