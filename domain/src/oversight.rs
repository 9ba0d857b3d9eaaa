//! Red flags for fee regulators: the rules, their thresholds and the wire shape of a flag with
//! its evidence. The server computes them in SQL (`server/src/store/sqlite/oversight_sql.rs`); the rule
//! texts here are what the console and the README show, so the two cannot drift apart in name.

use crate::catalog::ServiceType;
use crate::money::Money;
use crate::selection::FeeFlag;
use crate::{format, Locale};
use serde::{Deserialize, Serialize};

/// "The same agency winning repeatedly from the same enterprise": this many awards …
pub const REPEAT_WIN_MIN: i64 = 3;
/// … within this many days, counted back from now.
pub const REPEAT_WIN_WINDOW_DAYS: i64 = 365;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RedFlagKind {
    /// An award made on exactly one valid bid.
    SingleBidder,
    /// One agency won ≥ [`REPEAT_WIN_MIN`] awards from one enterprise within the window.
    RepeatWinner,
    /// Two bidders on one job share a phone number, an email address or a street address.
    SharedContact,
    /// A job cancelled after bids came in, then reposted with different terms.
    CancelledAndReposted,
    /// The winning bid was flagged against the winner's own fee standard.
    FeeFlaggedAward,
    /// An approval case reached review with a required service never procured here.
    OffPlatform,
}

impl RedFlagKind {
    pub const ALL: [RedFlagKind; 6] = [
        RedFlagKind::SingleBidder,
        RedFlagKind::RepeatWinner,
        RedFlagKind::SharedContact,
        RedFlagKind::CancelledAndReposted,
        RedFlagKind::FeeFlaggedAward,
        RedFlagKind::OffPlatform,
    ];

    pub fn code(self) -> &'static str {
        match self {
            RedFlagKind::SingleBidder => "single_bidder",
            RedFlagKind::RepeatWinner => "repeat_winner",
            RedFlagKind::SharedContact => "shared_contact",
            RedFlagKind::CancelledAndReposted => "cancelled_and_reposted",
            RedFlagKind::FeeFlaggedAward => "fee_flagged_award",
            RedFlagKind::OffPlatform => "off_platform",
        }
    }

    pub fn name(self, locale: Locale) -> &'static str {
        match (self, locale) {
            (RedFlagKind::SingleBidder, Locale::ZhCn) => "单一报价中选",
            (RedFlagKind::SingleBidder, Locale::En) => "Single-bidder award",
            (RedFlagKind::RepeatWinner, Locale::ZhCn) => "同一业主反复选中同一机构",
            (RedFlagKind::RepeatWinner, Locale::En) => "Repeat winner for one enterprise",
            (RedFlagKind::SharedContact, Locale::ZhCn) => "报价机构联系方式雷同",
            (RedFlagKind::SharedContact, Locale::En) => "Bidders share contact details",
            (RedFlagKind::CancelledAndReposted, Locale::ZhCn) => "见标后撤销并改条件重发",
            (RedFlagKind::CancelledAndReposted, Locale::En) => {
                "Cancelled after bids, reposted with new terms"
            }
            (RedFlagKind::FeeFlaggedAward, Locale::ZhCn) => "中选价格违反收费标准",
            (RedFlagKind::FeeFlaggedAward, Locale::En) => "Award priced against the fee standard",
            (RedFlagKind::OffPlatform, Locale::ZhCn) => "疑似场外指定中介",
            (RedFlagKind::OffPlatform, Locale::En) => "Suspected off-platform designation",
        }
    }

    /// The rule and its threshold, in words.
    pub fn rule(self, locale: Locale) -> String {
        match (self, locale) {
            (RedFlagKind::SingleBidder, Locale::ZhCn) => {
                "已确定中选结果的项目,其当前采购条件下的有效报价恰好 1 份。".into()
            }
            (RedFlagKind::SingleBidder, Locale::En) => {
                "An awarded job with exactly one valid bid on its current terms.".into()
            }
            (RedFlagKind::RepeatWinner, Locale::ZhCn) => format!(
                "同一机构在最近 {REPEAT_WIN_WINDOW_DAYS} 天内从同一业主处中选 {REPEAT_WIN_MIN} 次及以上(以中选时间计,已撤销或流标的除外)。"
            ),
            (RedFlagKind::RepeatWinner, Locale::En) => format!(
                "One agency won {REPEAT_WIN_MIN} or more awards from one enterprise in the last {REPEAT_WIN_WINDOW_DAYS} days (by award time; failed or cancelled jobs excluded)."
            ),
            (RedFlagKind::SharedContact, Locale::ZhCn) => {
                "同一项目的两家报价机构登记的电话(去除空格和连字符)、电子邮箱(不区分大小写)或地址相同。".into()
            }
            (RedFlagKind::SharedContact, Locale::En) => {
                "Two bidders on one job registered the same phone (ignoring spaces and hyphens), email (ignoring case) or address.".into()
            }
            (RedFlagKind::CancelledAndReposted, Locale::ZhCn) => {
                "项目收到报价后被业主撤销,并重新发布;重发项目的预算上限、服务范围、资质要求、选取方式、最少报价数或回避名单与原项目不同。".into()
            }
            (RedFlagKind::CancelledAndReposted, Locale::En) => {
                "A job cancelled by its owner after bids came in and reposted with a different budget ceiling, scope, required qualifications, selection method, minimum bidders or avoidance list.".into()
            }
            (RedFlagKind::FeeFlaggedAward, Locale::ZhCn) => {
                "中选报价被标记为超标准收费或异常低价(按中选机构公示的收费标准计算)。".into()
            }
            (RedFlagKind::FeeFlaggedAward, Locale::En) => {
                "The winning bid was flagged as above the fee standard or abnormally low (against the winner's published standard).".into()
            }
            (RedFlagKind::OffPlatform, Locale::ZhCn) => {
                "审批办件已进入审查,但其所需的某项中介服务从未在本平台发布采购。".into()
            }
            (RedFlagKind::OffPlatform, Locale::En) => {
                "An approval case reached review while one of its required services was never procured on this platform.".into()
            }
        }
    }
}

/// A page of the app that shows the evidence for a flag.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Evidence {
    /// In Chinese, for API clients; the console renders [`Exhibit::label`].
    pub label: String,
    /// An app path such as `/jobs/12`.
    pub href: String,
    pub exhibit: Exhibit,
}

/// What a piece of evidence points at, with the names people gave it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Exhibit {
    Job {
        id: i64,
        project: Option<String>,
    },
    /// The job a cancelled one was posted again as.
    Repost {
        id: i64,
    },
    Agency {
        id: i64,
        name: String,
    },
    Case {
        id: i64,
        case_number: String,
    },
}

impl Exhibit {
    pub fn label(&self, locale: Locale) -> String {
        let zh = locale == Locale::ZhCn;
        match self {
            Exhibit::Job {
                id,
                project: Some(project),
            } => format!("{} #{id} {project}", if zh { "项目" } else { "Job" }),
            Exhibit::Job { id, project: None } => {
                format!("{} #{id}", if zh { "项目" } else { "Job" })
            }
            Exhibit::Repost { id } if zh => format!("重发项目 #{id}"),
            Exhibit::Repost { id } => format!("Reposted as job #{id}"),
            Exhibit::Agency { name, .. } => name.clone(),
            Exhibit::Case { case_number, .. } if zh => format!("办件 {case_number}"),
            Exhibit::Case { case_number, .. } => format!("Case {case_number}"),
        }
    }

    pub fn href(&self) -> String {
        match self {
            Exhibit::Job { id, .. } | Exhibit::Repost { id } => format!("/jobs/{id}"),
            Exhibit::Agency { id, .. } => format!("/agencies/{id}"),
            Exhibit::Case { id, .. } => format!("/cases/{id}"),
        }
    }

    /// The wire form, with the Chinese label API clients read.
    pub fn evidence(self) -> Evidence {
        Evidence {
            label: self.label(Locale::ZhCn),
            href: self.href(),
            exhibit: self,
        }
    }
}

/// A contact detail two bidders registered alike.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ContactField {
    Phone,
    Email,
    Address,
}

impl ContactField {
    pub fn name(self, locale: Locale) -> &'static str {
        match (locale, self) {
            (Locale::ZhCn, ContactField::Phone) => "电话",
            (Locale::ZhCn, ContactField::Email) => "电子邮箱",
            (Locale::ZhCn, ContactField::Address) => "地址",
            (Locale::En, ContactField::Phone) => "phone",
            (Locale::En, ContactField::Email) => "email",
            (Locale::En, ContactField::Address) => "address",
        }
    }
}

/// What a rule found, as arguments: names are as people entered them, and the sentence is
/// rendered in the reader's language.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Finding {
    SingleBidder {
        enterprise: String,
        project: String,
    },
    RepeatWinner {
        agency: String,
        enterprise: String,
        wins: i64,
        window_days: i64,
    },
    SharedContact {
        project: String,
        first: String,
        second: String,
        shared: Vec<ContactField>,
    },
    CancelledAndReposted {
        enterprise: String,
        project: String,
        bids: i64,
        reposted_as: i64,
    },
    FeeFlaggedAward {
        project: String,
        price: Money,
        flags: Vec<FeeFlag>,
    },
    OffPlatform {
        applicant: String,
        case_number: String,
        project: String,
        services: Vec<ServiceType>,
    },
}

impl Finding {
    pub fn kind(&self) -> RedFlagKind {
        match self {
            Finding::SingleBidder { .. } => RedFlagKind::SingleBidder,
            Finding::RepeatWinner { .. } => RedFlagKind::RepeatWinner,
            Finding::SharedContact { .. } => RedFlagKind::SharedContact,
            Finding::CancelledAndReposted { .. } => RedFlagKind::CancelledAndReposted,
            Finding::FeeFlaggedAward { .. } => RedFlagKind::FeeFlaggedAward,
            Finding::OffPlatform { .. } => RedFlagKind::OffPlatform,
        }
    }

    /// One sentence saying what was found.
    pub fn sentence(&self, locale: Locale) -> String {
        let zh = locale == Locale::ZhCn;
        let list = |names: Vec<&str>| names.join(if zh { "、" } else { ", " });
        match self {
            Finding::SingleBidder {
                enterprise,
                project,
            } if zh => format!("{enterprise}的项目“{project}”仅凭 1 份有效报价确定中选"),
            Finding::SingleBidder {
                enterprise,
                project,
            } => format!("{enterprise} awarded \"{project}\" on a single valid bid"),
            Finding::RepeatWinner {
                agency,
                enterprise,
                wins,
                window_days,
            } if zh => format!("{agency}在最近 {window_days} 天内从{enterprise}处中选 {wins} 次"),
            Finding::RepeatWinner {
                agency,
                enterprise,
                wins,
                window_days,
            } => format!(
                "{agency} won {wins} awards from {enterprise} in the last {window_days} days"
            ),
            Finding::SharedContact {
                project,
                first,
                second,
                shared,
            } => {
                let what = list(shared.iter().map(|f| f.name(locale)).collect());
                if zh {
                    format!("项目“{project}”的报价机构{first}与{second}登记的{what}相同")
                } else {
                    format!("Bidders {first} and {second} on \"{project}\" registered the same {what}")
                }
            }
            Finding::CancelledAndReposted {
                enterprise,
                project,
                bids,
                reposted_as,
            } if zh => format!(
                "{enterprise}在收到 {bids} 份报价后撤销项目“{project}”,并改变条件重新发布为项目 #{reposted_as}"
            ),
            Finding::CancelledAndReposted {
                enterprise,
                project,
                bids,
                reposted_as,
            } => format!(
                "{enterprise} cancelled \"{project}\" after {bids} bids and reposted it with new terms as job #{reposted_as}"
            ),
            Finding::FeeFlaggedAward {
                project,
                price,
                flags,
            } => {
                let price = format::money(*price, locale);
                let names = list(flags.iter().map(|f| f.name(locale)).collect());
                if zh {
                    format!("项目“{project}”的中选报价 {price} 被标记为{names}")
                } else {
                    format!("The winning bid of {price} on \"{project}\" was flagged: {names}")
                }
            }
            Finding::OffPlatform {
                applicant,
                case_number,
                project,
                services,
            } => {
                let names = list(services.iter().map(|s| s.name(locale)).collect());
                if zh {
                    format!("{applicant}的办件 {case_number}(“{project}”)已进入审查,但{names}从未在平台采购")
                } else {
                    format!("{applicant}'s case {case_number} (\"{project}\") reached review, but {names} was never procured on the platform")
                }
            }
        }
    }

    /// The wire form: the Chinese sentence for API clients beside the arguments.
    pub fn flag(self, evidence: Vec<Exhibit>) -> RedFlag {
        RedFlag {
            kind: self.kind(),
            summary: self.sentence(Locale::ZhCn),
            finding: self,
            evidence: evidence.into_iter().map(Exhibit::evidence).collect(),
        }
    }
}

/// One raised flag.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RedFlag {
    pub kind: RedFlagKind,
    /// What was found, in Chinese, with the names involved.
    pub summary: String,
    /// The same, as arguments the console renders in the reader's language.
    pub finding: Finding,
    pub evidence: Vec<Evidence>,
}

/// A rule as documented: its kind, its words and the exact SQL the server runs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RuleDoc {
    pub kind: RedFlagKind,
    pub sql: String,
}

/// `GET /api/oversight/red-flags`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RedFlagReport {
    pub flags: Vec<RedFlag>,
    pub rules: Vec<RuleDoc>,
    pub computed_at: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_has_a_code_a_name_and_words_in_both_locales() {
        for kind in RedFlagKind::ALL {
            let json = serde_json::to_string(&kind).unwrap();
            assert_eq!(json, format!("\"{}\"", kind.code()));
            for locale in [Locale::ZhCn, Locale::En] {
                assert!(!kind.name(locale).is_empty());
                assert!(!kind.rule(locale).is_empty());
            }
        }
    }

    #[test]
    fn the_repeat_winner_rule_states_its_threshold() {
        let words = RedFlagKind::RepeatWinner.rule(Locale::ZhCn);
        assert!(
            words.contains("365 天") && words.contains("3 次"),
            "{words}"
        );
    }
}
