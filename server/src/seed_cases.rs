//! Demo approval cases in every stage, linked to the demo jobs of the same project and approval
//! item: one needing three services at different stages, and one in review whose service was
//! never procured here (the off-platform red flag).

use crate::store::{JobFilter, NewCase, NewCaseEvent, Store};
use market_domain::approval::{CaseEventKind, CaseStatus, ReviewResult};
use market_domain::ServiceType;
use time::macros::datetime;
use time::{Duration, OffsetDateTime};

struct DemoCase {
    number: &'static str,
    code: &'static str,
    name: &'static str,
    item: &'static str,
    received: OffsetDateTime,
    /// Later statuses, each some days after the previous step.
    steps: &'static [(i64, CaseStatus, &'static str)],
    /// Technical reviews of delivered reports: (days after receipt, service, result, note).
    reviews: &'static [(i64, ServiceType, ReviewResult, &'static str)],
}

fn cases() -> Vec<DemoCase> {
    use CaseStatus::*;
    vec![
        DemoCase {
            number: "YZHP-2025-0118",
            code: "2025-539902-46-01-000118",
            name: "云州市滨湖片区污水处理厂提标改造工程",
            item: "eia_approval",
            received: datetime!(2025-08-25 10:00 +08:00),
            steps: &[],
            reviews: &[],
        },
        DemoCase {
            number: "YZHP-2025-0233",
            code: "2025-539905-59-03-000233",
            name: "临港物流园冷链仓储中心项目",
            item: "eia_approval",
            received: datetime!(2025-08-20 09:30 +08:00),
            steps: &[
                (60, UnderReview, "环评报告表已提交,进入技术审查"),
                (85, Approved, "准予批复"),
            ],
            reviews: &[(
                70,
                ServiceType::EnvironmentalImpact,
                ReviewResult::Passed,
                "专家评审通过",
            )],
        },
        DemoCase {
            number: "YZAJ-2025-0057",
            code: "2025-539904-26-02-000057",
            name: "青山区化工园区危化品仓库扩建项目",
            item: "hazchem_safety_review",
            received: datetime!(2025-09-10 14:00 +08:00),
            steps: &[],
            reviews: &[],
        },
        DemoCase {
            number: "YZJN-2025-0301",
            code: "2025-539971-65-01-000301",
            name: "云州高新区数据中心二期工程",
            item: "energy_review",
            received: datetime!(2025-09-15 09:00 +08:00),
            steps: &[
                (20, UnderReview, "材料齐全,进入审查"),
                (30, Correction, "请补充用能设备清单"),
            ],
            reviews: &[],
        },
        DemoCase {
            number: "YZSB-2025-0044",
            code: "2025-539921-46-01-000044",
            name: "东川县城乡供水一体化工程",
            item: "soil_water_plan",
            received: datetime!(2025-09-05 11:00 +08:00),
            steps: &[
                (25, UnderReview, "进入审查"),
                (50, Denied, "取水口选址位于水源保护区,不予批准"),
            ],
            reviews: &[],
        },
        DemoCase {
            number: "YZGH-2025-0012",
            code: "2025-539922-78-03-000012",
            name: "西岭县文旅小镇一期建设项目",
            item: "land_use_planning",
            received: datetime!(2025-09-20 15:00 +08:00),
            steps: &[],
            reviews: &[(
                60,
                ServiceType::GeohazardAssessment,
                ReviewResult::Returned,
                "评估范围未覆盖北侧边坡,退回补充",
            )],
        },
        DemoCase {
            number: "YZSB-2026-0120",
            code: "2026-539902-46-01-000120",
            name: "云州市城东再生水厂工程",
            item: "soil_water_plan",
            received: datetime!(2026-03-02 09:00 +08:00),
            steps: &[(12, UnderReview, "水土保持方案报告书已提交,进入审查")],
            reviews: &[],
        },
    ]
}

fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

pub async fn seed_cases(store: &dyn Store, enterprise: i64) -> Result<(), String> {
    let items = store.approval_items().await.map_err(err)?;
    for case in cases() {
        let first = NewCaseEvent {
            event_id: format!("received-{}", case.number),
            at: case.received,
            kind: CaseEventKind::Status {
                status: CaseStatus::Received,
            },
            note: "窗口受理".into(),
            source: "approval_officer".into(),
        };
        let id = store
            .create_case(
                NewCase {
                    case_number: case.number.into(),
                    project_code: case.code.into(),
                    project_name: case.name.into(),
                    item_code: case.item.into(),
                    applicant_user_id: enterprise,
                },
                first,
                case.received,
            )
            .await
            .map_err(err)?
            .ok_or("duplicate demo case")?;
        let item = items
            .iter()
            .find(|i| i.code == case.item)
            .ok_or("unknown demo item")?;
        // Link the demo jobs of this project and approval item before recording reviews.
        let jobs = store
            .list_jobs(&JobFilter {
                owner: Some(enterprise),
                page: 1,
                per_page: 100,
                ..JobFilter::default()
            })
            .await
            .map_err(err)?;
        for summary in jobs.items.iter().filter(|j| j.project_code == case.code) {
            if let Some(job) = store.job(summary.id).await.map_err(err)? {
                if job.view.terms.approval_item == item.name {
                    store.link_job_to_case(summary.id, id).await.map_err(err)?;
                }
            }
        }
        let mut events: Vec<(OffsetDateTime, CaseEventKind, &str)> = case
            .steps
            .iter()
            .map(|(days, status, note)| {
                (
                    case.received + Duration::days(*days),
                    CaseEventKind::Status { status: *status },
                    *note,
                )
            })
            .collect();
        events.extend(case.reviews.iter().map(|(days, service, result, note)| {
            (
                case.received + Duration::days(*days),
                CaseEventKind::TechnicalReview {
                    service_type: *service,
                    result: *result,
                },
                *note,
            )
        }));
        events.sort_by_key(|(at, _, _)| *at);
        for (n, (at, kind, note)) in events.into_iter().enumerate() {
            store
                .record_case_event(
                    id,
                    NewCaseEvent {
                        event_id: format!("seed-{}-{n}", case.number),
                        at,
                        kind,
                        note: note.into(),
                        source: "approval_officer".into(),
                    },
                    at,
                )
                .await
                .map_err(err)?;
        }
    }
    Ok(())
}
