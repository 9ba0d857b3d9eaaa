//! Market statistics: the figures the server computes, and one tabular form of them that the
//! app's tables, the CSV export and the XLSX export all render, so the three always agree.

use crate::job::JobEvent;
use crate::money::Money;
use crate::{format, Locale, ServiceType};
use serde::{Deserialize, Serialize};

/// Jobs, money and savings for one month or one service type. Money in fen.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VolumeRow {
    /// `YYYY-MM` (city time of publication), or a service type code.
    pub key: String,
    /// Jobs published.
    pub jobs: i64,
    /// Of those, jobs with a standing award.
    pub awarded: i64,
    /// Sum of the awarded jobs' budget ceilings.
    pub budget: i64,
    /// Sum of the award prices.
    pub award_amount: i64,
}

impl VolumeRow {
    /// Budget ceiling minus award price, over the awarded jobs.
    pub fn savings(&self) -> i64 {
        self.budget - self.award_amount
    }
}

/// The steps whose average duration is measured, in the order a job passes them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Step {
    PublishedToOpened,
    OpenedToAwarded,
    AwardedToContracted,
    ContractedToDelivered,
    DeliveredToAccepted,
}

impl Step {
    /// Its code in the API and the database (the serde name).
    pub fn code(self) -> &'static str {
        match self {
            Step::PublishedToOpened => "published_to_opened",
            Step::OpenedToAwarded => "opened_to_awarded",
            Step::AwardedToContracted => "awarded_to_contracted",
            Step::ContractedToDelivered => "contracted_to_delivered",
            Step::DeliveredToAccepted => "delivered_to_accepted",
        }
    }

    pub const ALL: [Step; 5] = [
        Step::PublishedToOpened,
        Step::OpenedToAwarded,
        Step::AwardedToContracted,
        Step::ContractedToDelivered,
        Step::DeliveredToAccepted,
    ];

    /// The job events that start and end the step (first occurrence of any of them).
    pub fn events(self) -> (&'static [JobEvent], &'static [JobEvent]) {
        use JobEvent::*;
        match self {
            Step::PublishedToOpened => (&[Published], &[Opened]),
            Step::OpenedToAwarded => (&[Opened], &[Awarded, Drawn]),
            Step::AwardedToContracted => (&[Awarded, Drawn], &[Contracted]),
            Step::ContractedToDelivered => (&[Contracted], &[Delivered]),
            Step::DeliveredToAccepted => (&[Delivered], &[Accepted]),
        }
    }

    pub fn name(self, locale: Locale) -> &'static str {
        match (self, locale) {
            (Step::PublishedToOpened, Locale::ZhCn) => "发布 → 开标",
            (Step::PublishedToOpened, Locale::En) => "Published → opened",
            (Step::OpenedToAwarded, Locale::ZhCn) => "开标 → 选定",
            (Step::OpenedToAwarded, Locale::En) => "Opened → awarded",
            (Step::AwardedToContracted, Locale::ZhCn) => "选定 → 签约",
            (Step::AwardedToContracted, Locale::En) => "Awarded → contracted",
            (Step::ContractedToDelivered, Locale::ZhCn) => "签约 → 交付",
            (Step::ContractedToDelivered, Locale::En) => "Contracted → delivered",
            (Step::DeliveredToAccepted, Locale::ZhCn) => "交付 → 验收",
            (Step::DeliveredToAccepted, Locale::En) => "Delivered → accepted",
        }
    }
}

/// The average duration of one step, over the jobs that completed it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StepRow {
    pub step: Step,
    pub jobs: i64,
    /// Average in seconds (rounded), so no float crosses the wire.
    pub average_seconds: i64,
}

/// How many opened jobs drew `bids` valid bids (the last bucket is "this many or more").
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BidsBucket {
    pub bids: i64,
    pub jobs: i64,
}

/// The last bucket of the bids-per-job distribution holds this many bids or more.
pub const BIDS_BUCKET_MAX: i64 = 5;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AgencyAwards {
    pub agency_id: i64,
    pub name: String,
    pub awards: i64,
    /// Fen.
    pub amount: i64,
}

/// Who sees what: the public sees volumes and competition; regulators also see step times and
/// the agencies ranking.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum StatsScope {
    Public,
    Regulator,
}

/// `GET /api/statistics`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Statistics {
    pub scope: StatsScope,
    pub by_month: Vec<VolumeRow>,
    pub by_service: Vec<VolumeRow>,
    pub bids_per_job: Vec<BidsBucket>,
    /// Empty in the public scope.
    pub steps: Vec<StepRow>,
    /// Empty in the public scope.
    pub top_agencies: Vec<AgencyAwards>,
    pub generated_at: String,
}

/// One cell of an exported or displayed table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Cell {
    Text(String),
    Count(i64),
    /// Fen, shown as yuan with two decimals.
    Yuan(i64),
    /// Seconds, shown as days with one decimal.
    Days(i64),
}

impl Cell {
    /// The plain text used in CSV and in the app's tables: no grouping, so both read the same.
    /// As people read it on screen: money as 万元 (or ¥), days with their unit. Exports keep
    /// [`Cell::plain`], which spreadsheets read as numbers.
    pub fn display(&self, locale: Locale) -> String {
        match self {
            Cell::Yuan(fen) => {
                let amount = Money::from_fen(fen.unsigned_abs().min(i64::MAX as u64) as i64)
                    .map(|m| format::money(m, locale))
                    .unwrap_or_else(|_| self.plain());
                if *fen < 0 {
                    format!("-{amount}")
                } else {
                    amount
                }
            }
            Cell::Days(_) => match locale {
                Locale::ZhCn => format!("{} 天", self.plain()),
                Locale::En => format!("{} days", self.plain()),
            },
            other => other.plain(),
        }
    }

    pub fn plain(&self) -> String {
        match self {
            Cell::Text(text) => text.clone(),
            Cell::Count(n) => n.to_string(),
            Cell::Yuan(fen) => {
                let sign = if *fen < 0 { "-" } else { "" };
                let abs = fen.unsigned_abs();
                format!("{sign}{}.{:02}", abs / 100, abs % 100)
            }
            Cell::Days(seconds) => {
                // Tenths of a day, rounded half up, in integers.
                let tenths = (seconds * 10 + 43_200) / 86_400;
                format!("{}.{}", tenths / 10, tenths % 10)
            }
        }
    }
}

/// A titled table with a stable key (also the CSV file name and the XLSX sheet order).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Table {
    pub key: &'static str,
    pub title: String,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

fn service_name(code: &str, locale: Locale) -> String {
    ServiceType::parse(code)
        .map(|s| s.name(locale).to_owned())
        .unwrap_or_else(|| code.to_owned())
}

fn volume_columns(first: &str, locale: Locale) -> Vec<String> {
    let rest: [&str; 5] = match locale {
        Locale::ZhCn => [
            "发布项目数",
            "成交项目数",
            "成交项目预算(元)",
            "成交金额(元)",
            "节约资金(元)",
        ],
        Locale::En => [
            "Jobs published",
            "Jobs awarded",
            "Budget of awarded (CNY)",
            "Awarded amount (CNY)",
            "Savings (CNY)",
        ],
    };
    std::iter::once(first.to_owned())
        .chain(rest.iter().map(|c| (*c).to_owned()))
        .collect()
}

/// Months from the first to the last with a row, each present: a month without jobs is a
/// row of zeros, not a gap that makes the chart lie about time.
pub fn with_empty_months(rows: Vec<VolumeRow>) -> Vec<VolumeRow> {
    fn parse(key: &str) -> Option<(i32, u32)> {
        let (year, month) = key.split_once('-')?;
        Some((year.parse().ok()?, month.parse().ok()?))
    }
    let (Some(first), Some(last)) = (
        rows.first().and_then(|r| parse(&r.key)),
        rows.last().and_then(|r| parse(&r.key)),
    ) else {
        return rows;
    };
    let mut filled = Vec::new();
    let (mut year, mut month) = first;
    while (year, month) <= last && filled.len() < 1200 {
        let key = format!("{year:04}-{month:02}");
        filled.push(
            rows.iter()
                .find(|r| r.key == key)
                .cloned()
                .unwrap_or(VolumeRow {
                    key,
                    ..VolumeRow::default()
                }),
        );
        (year, month) = if month == 12 {
            (year + 1, 1)
        } else {
            (year, month + 1)
        };
    }
    filled
}

fn volume_cells(key: String, row: &VolumeRow) -> Vec<Cell> {
    vec![
        Cell::Text(key),
        Cell::Count(row.jobs),
        Cell::Count(row.awarded),
        Cell::Yuan(row.budget),
        Cell::Yuan(row.award_amount),
        Cell::Yuan(row.savings()),
    ]
}

impl Statistics {
    /// Every table the reader may see, in display order.
    pub fn tables(&self, locale: Locale) -> Vec<Table> {
        let zh = locale == Locale::ZhCn;
        let mut tables = vec![
            Table {
                key: "by_month",
                title: (if zh { "按月统计" } else { "By month" }).into(),
                columns: volume_columns(if zh { "月份" } else { "Month" }, locale),
                rows: self
                    .by_month
                    .iter()
                    .map(|r| volume_cells(r.key.clone(), r))
                    .collect(),
            },
            Table {
                key: "by_service",
                title: (if zh {
                    "按服务类型统计"
                } else {
                    "By service type"
                })
                .into(),
                columns: volume_columns(if zh { "服务类型" } else { "Service type" }, locale),
                rows: self
                    .by_service
                    .iter()
                    .map(|r| volume_cells(service_name(&r.key, locale), r))
                    .collect(),
            },
            Table {
                key: "bids_per_job",
                title: (if zh {
                    "每个项目的有效报价数分布"
                } else {
                    "Valid bids per job"
                })
                .into(),
                columns: if zh {
                    vec!["有效报价数".into(), "项目数".into()]
                } else {
                    vec!["Valid bids".into(), "Jobs".into()]
                },
                rows: self
                    .bids_per_job
                    .iter()
                    .map(|b| {
                        let label = if b.bids >= BIDS_BUCKET_MAX {
                            format!("{}+", b.bids)
                        } else {
                            b.bids.to_string()
                        };
                        vec![Cell::Text(label), Cell::Count(b.jobs)]
                    })
                    .collect(),
            },
        ];
        if self.scope == StatsScope::Regulator {
            tables.push(Table {
                key: "steps",
                title: (if zh {
                    "各环节平均用时"
                } else {
                    "Average days per step"
                })
                .into(),
                columns: if zh {
                    vec!["环节".into(), "项目数".into(), "平均天数".into()]
                } else {
                    vec!["Step".into(), "Jobs".into(), "Average days".into()]
                },
                rows: self
                    .steps
                    .iter()
                    .map(|s| {
                        vec![
                            Cell::Text(s.step.name(locale).into()),
                            Cell::Count(s.jobs),
                            Cell::Days(s.average_seconds),
                        ]
                    })
                    .collect(),
            });
            tables.push(Table {
                key: "top_agencies",
                title: (if zh {
                    "中选机构排行"
                } else {
                    "Top agencies by awards"
                })
                .into(),
                columns: if zh {
                    vec!["机构".into(), "中选项目数".into(), "中选金额(元)".into()]
                } else {
                    vec![
                        "Agency".into(),
                        "Awards".into(),
                        "Awarded amount (CNY)".into(),
                    ]
                },
                rows: self
                    .top_agencies
                    .iter()
                    .map(|a| {
                        vec![
                            Cell::Text(a.name.clone()),
                            Cell::Count(a.awards),
                            Cell::Yuan(a.amount),
                        ]
                    })
                    .collect(),
            });
        }
        tables
    }
}

/// Text that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR at the start)
/// gets a leading apostrophe, as OWASP's CSV-injection advice says; numbers stay numbers.
fn neutralised(text: &str) -> std::borrow::Cow<'_, str> {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        std::borrow::Cow::Owned(format!("'{text}"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// One table as CSV (RFC 4180, CRLF line ends) with a UTF-8 byte-order mark, so spreadsheet
/// programs read the Chinese headers correctly. Text cells are neutralised against formula
/// injection (an agency may call itself `=HYPERLINK(…)`).
pub fn to_csv(table: &Table) -> String {
    fn field(text: &str) -> String {
        if text.contains([',', '"', '\n', '\r']) {
            format!("\"{}\"", text.replace('"', "\"\""))
        } else {
            text.to_owned()
        }
    }
    let mut out = String::from("\u{feff}");
    let header: Vec<String> = table
        .columns
        .iter()
        .map(|c| field(&neutralised(c)))
        .collect();
    out.push_str(&header.join(","));
    out.push_str("\r\n");
    for row in &table.rows {
        let cells: Vec<String> = row
            .iter()
            .map(|c| match c {
                Cell::Text(text) => field(&neutralised(text)),
                other => field(&other.plain()),
            })
            .collect();
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    }
    out
}

/// A compact money label for chart axes: 万元 in Chinese, ¥ in English.
pub fn axis_money(fen: i64, locale: Locale) -> String {
    Money::from_fen(fen.max(0))
        .map(|m| format::money(m, locale))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(scope: StatsScope) -> Statistics {
        Statistics {
            scope,
            by_month: vec![VolumeRow {
                key: "2026-03".into(),
                jobs: 4,
                awarded: 2,
                budget: 30_000_000,
                award_amount: 25_500_050,
            }],
            by_service: vec![VolumeRow {
                key: "env_impact".into(),
                jobs: 4,
                awarded: 2,
                budget: 30_000_000,
                award_amount: 25_500_050,
            }],
            bids_per_job: vec![
                BidsBucket { bids: 1, jobs: 1 },
                BidsBucket { bids: 5, jobs: 2 },
            ],
            steps: vec![StepRow {
                step: Step::PublishedToOpened,
                jobs: 3,
                average_seconds: 86_400 * 12 + 3_600 * 3,
            }],
            top_agencies: vec![AgencyAwards {
                agency_id: 1,
                name: "云州环科, \"总部\"".into(),
                awards: 2,
                amount: 25_500_050,
            }],
            generated_at: "2026-11-28T09:00:00+08:00".into(),
        }
    }

    #[test]
    fn savings_are_budget_minus_award() {
        assert_eq!(sample(StatsScope::Public).by_month[0].savings(), 4_499_950);
    }

    #[test]
    fn the_public_sees_three_tables_and_regulators_five() {
        assert_eq!(sample(StatsScope::Public).tables(Locale::ZhCn).len(), 3);
        let keys: Vec<&str> = sample(StatsScope::Regulator)
            .tables(Locale::ZhCn)
            .iter()
            .map(|t| t.key)
            .collect();
        assert_eq!(
            keys,
            [
                "by_month",
                "by_service",
                "bids_per_job",
                "steps",
                "top_agencies"
            ]
        );
    }

    #[test]
    fn cells_read_as_yuan_with_fen_and_days_with_one_decimal() {
        assert_eq!(Cell::Yuan(25_500_050).plain(), "255000.50");
        assert_eq!(Cell::Yuan(-5).plain(), "-0.05");
        assert_eq!(Cell::Days(86_400 * 12 + 3_600 * 3).plain(), "12.1");
        assert_eq!(Cell::Days(0).plain(), "0.0");
    }

    #[test]
    fn csv_has_a_bom_quotes_what_needs_it_and_uses_crlf() {
        let tables = sample(StatsScope::Regulator).tables(Locale::ZhCn);
        let top = tables.iter().find(|t| t.key == "top_agencies").unwrap();
        let csv = to_csv(top);
        assert!(csv.starts_with('\u{feff}'));
        assert!(
            csv.contains("\r\n\"云州环科, \"\"总部\"\"\",2,255000.50\r\n"),
            "{csv}"
        );
        let bids = to_csv(&tables[2]);
        assert!(bids.contains("5+,2"), "{bids}");
    }

    #[test]
    fn csv_text_that_a_spreadsheet_would_run_as_a_formula_is_neutralised() {
        let table = Table {
            key: "t",
            title: String::new(),
            columns: vec!["=cmd".into()],
            rows: vec![
                vec![Cell::Text("=HYPERLINK(\"http://x\",\"y\")".into())],
                vec![Cell::Text("+1".into())],
                vec![Cell::Text("-2".into())],
                vec![Cell::Text("@SUM(A1)".into())],
                vec![Cell::Text("\tx".into())],
                vec![Cell::Text("\rx".into())],
                vec![Cell::Text("云州环科".into())],
                vec![Cell::Yuan(-5)],
            ],
        };
        let csv = to_csv(&table);
        let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').split("\r\n").collect();
        assert_eq!(lines[0], "'=cmd");
        assert_eq!(lines[1], "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
        assert_eq!(&lines[2..5], ["'+1", "'-2", "'@SUM(A1)"]);
        assert_eq!(lines[5], "'\tx");
        assert_eq!(lines[6], "\"'\rx\"");
        assert_eq!(lines[7], "云州环科");
        assert_eq!(lines[8], "-0.05");
    }

    #[test]
    fn months_without_jobs_are_rows_of_zeros() {
        let row = |key: &str, jobs| VolumeRow {
            key: key.into(),
            jobs,
            ..VolumeRow::default()
        };
        let filled = with_empty_months(vec![row("2025-11", 2), row("2026-02", 1)]);
        let keys: Vec<&str> = filled.iter().map(|r| r.key.as_str()).collect();
        assert_eq!(keys, ["2025-11", "2025-12", "2026-01", "2026-02"]);
        assert_eq!(filled[1].jobs, 0);
        assert_eq!(filled[3].jobs, 1);
        assert!(with_empty_months(Vec::new()).is_empty());
    }

    #[test]
    fn cells_on_screen_read_as_people_write_amounts() {
        assert_eq!(Cell::Yuan(125_000_000).display(Locale::ZhCn), "125万元");
        assert_eq!(Cell::Yuan(125_000_000).plain(), "1250000.00");
        assert!(Cell::Days(86_400).display(Locale::ZhCn).ends_with(" 天"));
        assert_eq!(Cell::Count(3).display(Locale::En), "3");
    }
}
