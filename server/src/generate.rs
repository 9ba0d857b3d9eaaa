//! `market-server generate`: a provincial-scale synthetic data set, so that the cost of every
//! list and search can be measured against 100,000 agencies and 1,000,000 jobs rather than the
//! demo's dozens. Everything is written through the store's own operations, the ones the API
//! uses (hash chains, notifications and counters included), and the same seed gives the same
//! data.

use crate::seed::{synthetic_agency, DemoRng};
use crate::seed_jobs::{walk_job, Bidders, DemoJob, Walk};
use crate::store::{NewCase, NewCaseEvent, NewUser, Organization, Store};
use market_domain::approval::{default_catalogue, CaseEventKind, CaseStatus};
use market_domain::job::JobState;
use market_domain::selection::SelectionMethod;
use market_domain::{District, Role, ServiceType};
use sha2::{Digest, Sha256};
use std::collections::HashSet;
use time::{Duration, OffsetDateTime};

/// The generated accounts' shared password; the data set is for measuring, never for real use.
pub const GENERATED_PASSWORD: &str = "Shengcheng@2026";

/// How much to generate.
#[derive(Clone, Copy, Debug)]
pub struct Scale {
    pub agencies: usize,
    pub jobs: usize,
    pub seed: u64,
}

/// What was written.
#[derive(Debug, Default)]
pub struct Report {
    pub agencies: usize,
    pub enterprises: usize,
    pub jobs: usize,
    pub cases: usize,
}

/// Jobs each generated enterprise posts: a provincial platform has many owners, each with a
/// handful of projects a year.
const JOBS_PER_ENTERPRISE: usize = 200;
/// Agencies per service type that take part in bidding: most listed agencies bid rarely, and
/// the bidders' details are read once each.
const ACTIVE_BIDDERS: usize = 400;
/// How many agencies are written per transaction.
const AGENCY_BATCH: usize = 1_000;

/// How far generated jobs come, as parts of 100: most are finished, some are open or under way.
const ENDS: [(JobState, usize); 10] = [
    (JobState::Rated, 34),
    (JobState::Accepted, 14),
    (JobState::Delivered, 6),
    (JobState::Contracted, 8),
    (JobState::Publicity, 5),
    (JobState::Evaluating, 6),
    (JobState::Published, 12),
    (JobState::Unsuccessful, 6),
    (JobState::Cancelled, 5),
    (JobState::Draft, 4),
];

const PLACES: [&str; 16] = [
    "滨湖片区",
    "临港物流园",
    "望江新城",
    "青山工业园",
    "高新区科创城",
    "东川县城",
    "西岭县",
    "南溪镇",
    "翠湖北片区",
    "金碧路沿线",
    "学府路片区",
    "城东",
    "城南",
    "经开区",
    "老城区",
    "空港新区",
];
const WORKS: [&str; 24] = [
    "污水处理厂提标改造工程",
    "冷链仓储中心项目",
    "安置房建设项目",
    "道路改扩建工程",
    "中学新建工程",
    "数据中心工程",
    "供水一体化工程",
    "文旅小镇建设项目",
    "危化品仓库扩建项目",
    "综合管廊工程",
    "人民医院门诊楼项目",
    "光伏发电项目",
    "垃圾焚烧发电项目",
    "标准厂房建设项目",
    "农贸市场改造项目",
    "公交枢纽站工程",
    "河道综合治理工程",
    "体育中心建设项目",
    "老旧小区改造工程",
    "物流配送中心项目",
    "水厂扩建工程",
    "养老服务中心项目",
    "停车楼建设项目",
    "产业园基础设施项目",
];

/// Fills `store`, which must be empty, with `scale`'s data set, as of `now`.
pub async fn generate(
    store: &dyn Store,
    scale: Scale,
    now: OffsetDateTime,
    mut progress: impl FnMut(&str),
) -> Result<Report, String> {
    let mut rng = DemoRng(scale.seed ^ 0x5CA1_E000_0000_0000);
    let err = |e: crate::store::StoreError| e.to_string();
    let registered = now - Duration::days(3 * 365);
    let catalogue = default_catalogue();
    store
        .seed_approval_items(catalogue.clone())
        .await
        .map_err(err)?;

    // Agencies, in order: the n-th is id n + 1 in an empty database.
    let mut used_names = HashSet::new();
    let mut used_codes = HashSet::new();
    let mut offering: Vec<Vec<i64>> = vec![Vec::new(); ServiceType::ALL.len()];
    let mut index = 0;
    while index < scale.agencies {
        let batch: Vec<_> = (index..scale.agencies.min(index + AGENCY_BATCH))
            .map(|i| synthetic_agency(&mut rng, i, &mut used_names, &mut used_codes))
            .collect();
        for (i, agency) in batch.iter().enumerate() {
            for service in &agency.profile.service_types {
                let list = &mut offering[*service as usize];
                if list.len() < ACTIVE_BIDDERS {
                    list.push((index + i + 1) as i64);
                }
            }
        }
        index += batch.len();
        store
            .create_agencies(batch, registered)
            .await
            .map_err(err)?;
        if index % 10_000 == 0 {
            progress(&format!("{index} agencies"));
        }
    }

    // Enterprises share one password hash: hashing is deliberately slow (Argon2id).
    let password_hash = crate::auth::password::hash(GENERATED_PASSWORD.to_owned())
        .await
        .map_err(|e| e.to_string())?;
    let enterprise_count = scale.jobs.div_ceil(JOBS_PER_ENTERPRISE).max(1);
    let mut enterprises = Vec::with_capacity(enterprise_count);
    for n in 0..enterprise_count {
        let district = *rng.pick(District::ALL);
        let id = store
            .create_user(NewUser {
                username: format!("gen_enterprise{n}"),
                password_hash: password_hash.clone(),
                role: Role::Enterprise,
                organization: Organization {
                    name: format!(
                        "{}{}建设投资有限公司",
                        district.name(market_domain::Locale::ZhCn),
                        n + 1
                    ),
                    credit_code: None,
                    contact_person: Some("王建国".into()),
                    phone: Some("0870-6123456".into()),
                    email: Some(format!("owner{n}@enterprise.example.cn")),
                },
                agency: None,
                created_at: registered,
            })
            .await
            .map_err(err)?;
        enterprises.push(id);
    }

    // Jobs, spread over the three years before `now`; the open ones are recent.
    let mut details = Bidders::new(store);
    let mut cases = 0;
    let span = Duration::days(3 * 365 - 30);
    for n in 0..scale.jobs {
        let mut job = synthetic_job(&mut rng, n);
        let pool = &offering[job.service as usize];
        let wanted = match job.end {
            JobState::Unsuccessful => 2,
            _ => 3 + rng.below(3),
        };
        let start = rng.below(pool.len().max(1));
        let bidders: Vec<i64> = (0..wanted.min(pool.len()))
            .map(|k| pool[(start + k) % pool.len()])
            .collect();
        if bidders.len() < 3
            && !matches!(
                job.end,
                JobState::Draft | JobState::Published | JobState::Cancelled
            )
        {
            // Too few agencies offer this service to reach an award: the job fails, as it would.
            job.end = JobState::Unsuccessful;
        }
        let enterprise = enterprises[n % enterprises.len()];
        let created = match job.end {
            // Bids are placed from two days after posting, all before now.
            JobState::Published | JobState::Draft => {
                now - Duration::days(3) - Duration::hours((n % 200) as i64)
            }
            JobState::Publicity => now - Duration::days(11) + Duration::minutes((n % 600) as i64),
            _ => registered + span * (n as f64 / scale.jobs.max(1) as f64),
        };
        let deadline = if job.end == JobState::Published {
            now + Duration::days(5 + (n % 40) as i64)
        } else {
            created + Duration::days(10)
        };
        let draw_seed = Sha256::digest(format!("generated draw {} {n}", scale.seed)).into();
        let id = walk_job(
            store,
            enterprise,
            &job,
            Walk {
                created,
                deadline,
                draw_seed,
                report_number: format!("SC-{n:07}"),
            },
            &bidders,
            &mut details,
        )
        .await?;
        // About one job in three serves an approval case already registered by the officer.
        if n % 3 == 0 && job.end != JobState::Draft {
            cases += 1;
            generated_case(store, &catalogue, &job, id, enterprise, created, n).await?;
        }
        if (n + 1) % 10_000 == 0 {
            progress(&format!("{} jobs", n + 1));
        }
    }
    // The days before `now` are sealed as a server running all along would have sealed them.
    let sealed = store
        .seal_chain_roots(crate::clock::city_date(now).to_string(), now)
        .await
        .map_err(err)?;
    progress(&format!("{sealed} daily roots"));
    store.mark_initialised(now, false).await.map_err(err)?;
    Ok(Report {
        agencies: scale.agencies,
        enterprises: enterprises.len(),
        jobs: scale.jobs,
        cases,
    })
}

/// The approval case a generated job serves: received a week before the job was posted, and
/// under review or decided by now in proportion to how far the job has come.
async fn generated_case(
    store: &dyn Store,
    catalogue: &[market_domain::approval::ApprovalItem],
    job: &DemoJob,
    job_id: i64,
    enterprise: i64,
    created: OffsetDateTime,
    n: usize,
) -> Result<(), String> {
    let err = |e: crate::store::StoreError| e.to_string();
    let Some(item) = catalogue.iter().find(|i| i.name == job.item) else {
        return Ok(());
    };
    let received = created - Duration::days(7);
    let number = format!("SC-{}-{n:07}", &job.code[0..4]);
    let first = NewCaseEvent {
        event_id: format!("received-{number}"),
        at: received,
        kind: CaseEventKind::Status {
            status: CaseStatus::Received,
        },
        note: "窗口受理".into(),
        source: "approval_officer".into(),
    };
    let Some(case_id) = store
        .create_case(
            NewCase {
                case_number: number.clone(),
                project_code: job.code.clone(),
                project_name: job.name.clone(),
                item_code: item.code.clone(),
                applicant_user_id: enterprise,
            },
            first,
            received,
        )
        .await
        .map_err(err)?
    else {
        return Ok(());
    };
    store.link_job_to_case(job_id, case_id).await.map_err(err)?;
    let later: &[CaseStatus] = match job.end {
        JobState::Rated | JobState::Accepted => &[CaseStatus::UnderReview, CaseStatus::Approved],
        JobState::Delivered => &[CaseStatus::UnderReview],
        _ => &[],
    };
    for (k, status) in later.iter().enumerate() {
        let at = received + Duration::days(60 + 20 * k as i64);
        store
            .record_case_event(
                case_id,
                NewCaseEvent {
                    event_id: format!("gen-{number}-{k}"),
                    at,
                    kind: CaseEventKind::Status { status: *status },
                    note: "审查进展".into(),
                    source: "approval_officer".into(),
                },
                at,
            )
            .await
            .map_err(err)?;
    }
    Ok(())
}

/// One job of the data set: a plausible project, the approval item its service unblocks, a
/// valid 24-digit project code and an end state drawn from [`ENDS`].
fn synthetic_job(rng: &mut DemoRng, n: usize) -> DemoJob {
    let service = *rng.pick(ServiceType::ALL);
    let catalogue = default_catalogue();
    let item = catalogue
        .iter()
        .find(|i| i.required_services.contains(&service))
        .or(catalogue.first())
        .expect("the catalogue has items");
    let district = *rng.pick(District::ALL);
    let year = 2023 + rng.below(4);
    let code = format!(
        "{year}-{}-{:02}-{:02}-{:06}",
        district.division_code(),
        10 + rng.below(80),
        1 + rng.below(3),
        n % 1_000_000
    );
    let mut roll = rng.below(100);
    let end = ENDS
        .iter()
        .find(|(_, share)| {
            if roll < *share {
                true
            } else {
                roll -= share;
                false
            }
        })
        .map_or(JobState::Rated, |(state, _)| *state);
    let selection = match rng.below(10) {
        0..=3 => SelectionMethod::LowestPrice,
        4..=5 => SelectionMethod::RandomDraw,
        6..=7 => SelectionMethod::DirectPick,
        // Empty criteria: the walk scores by the demo's two weighted criteria.
        _ => SelectionMethod::CompositeScore { criteria: vec![] },
    };
    let investment_wan = 500 + rng.below(50_000) as i64;
    DemoJob {
        name: format!(
            "{}{}{}",
            district.name(market_domain::Locale::ZhCn),
            rng.pick(&PLACES),
            rng.pick(&WORKS)
        ),
        code,
        item: item.name.clone(),
        department: item.department.clone(),
        service,
        investment_wan,
        budget_wan: 5 + investment_wan / 1_000,
        // A random draw needs three bidders; generated jobs may get fewer.
        selection: if end == JobState::Unsuccessful {
            SelectionMethod::LowestPrice
        } else {
            selection
        },
        end,
    }
}
