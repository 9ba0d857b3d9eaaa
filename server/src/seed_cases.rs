//! Demo approval cases in every stage, linked to the demo jobs of the same project and approval
//! item: one needing three services at different stages, and one in review whose service was
//! never procured here (the off-platform red flag).

use crate::store::{JobFilter, NewCase, NewCaseEvent, Store};
use market_domain::approval::{CaseEventKind, CaseStatus};
use serde::Deserialize;
use time::{Duration, OffsetDateTime};

/// One demo case as `seed/cases.json` holds it.
#[derive(Deserialize)]
struct DemoCase {
    number: String,
    code: String,
    name: String,
    item: String,
    #[serde(with = "time::serde::rfc3339")]
    received: OffsetDateTime,
    /// What happened after receipt, in order.
    events: Vec<DemoEvent>,
}

#[derive(Deserialize)]
struct DemoEvent {
    /// Days after receipt.
    days: i64,
    kind: CaseEventKind,
    note: String,
}

fn cases() -> Result<Vec<DemoCase>, String> {
    serde_json::from_str(include_str!("seed/cases.json")).map_err(err)
}

fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

pub async fn seed_cases(store: &dyn Store, enterprise: i64) -> Result<(), String> {
    let items = store.approval_items().await.map_err(err)?;
    for case in cases()? {
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
                    case_number: case.number.clone(),
                    project_code: case.code.clone(),
                    project_name: case.name.clone(),
                    item_code: case.item.clone(),
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
        for (n, event) in case.events.into_iter().enumerate() {
            let at = case.received + Duration::days(event.days);
            store
                .record_case_event(
                    id,
                    NewCaseEvent {
                        event_id: format!("seed-{}-{n}", case.number),
                        at,
                        kind: event.kind,
                        note: event.note,
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
