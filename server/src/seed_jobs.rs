//! Demo jobs in every state and for every selection method, on fixed dates, including a random
//! draw that anyone can verify. Built through the same store operations the API uses.

use crate::store::{BidWrite, JobLine, JobPatch, NewBid, Store};
use market_domain::award::AwardRecord;
use market_domain::draw::{commitment, Seed};
use market_domain::job::{Actor, JobDraft, JobEvent, JobState};
use market_domain::selection::{rank_by_price, Criterion, RankedBid, SelectionMethod};
use market_domain::wire::{AwardRequest, ContractTerms, DeliveryReport, RatingRequest, ScoreSheet};
use market_domain::{Money, ServiceType};
use sha2::{Digest, Sha256};
use time::macros::datetime;
use time::{Duration, OffsetDateTime};

const WAN: i64 = 1_000_000;

/// A job to walk through the store, from its draft to the state it ends in.
pub(crate) struct DemoJob {
    pub name: String,
    pub code: String,
    pub item: String,
    pub department: String,
    pub service: ServiceType,
    pub investment_wan: i64,
    pub budget_wan: i64,
    pub selection: SelectionMethod,
    /// How far the job has come.
    pub end: JobState,
}

fn jobs() -> Vec<DemoJob> {
    use ServiceType::*;
    let composite = SelectionMethod::CompositeScore {
        criteria: vec![
            Criterion {
                name: "技术方案".into(),
                weight: 50,
            },
            Criterion {
                name: "报价".into(),
                weight: 30,
            },
            Criterion {
                name: "业绩与信誉".into(),
                weight: 20,
            },
        ],
    };
    let job = |name: &str,
               code: &str,
               item: &str,
               department: &str,
               service,
               investment_wan,
               budget_wan,
               selection,
               end| {
        DemoJob {
            name: name.into(),
            code: code.into(),
            item: item.into(),
            department: department.into(),
            service,
            investment_wan,
            budget_wan,
            selection,
            end,
        }
    };
    vec![
        job(
            "云州市滨湖片区污水处理厂提标改造工程",
            "2025-539902-46-01-000118",
            "建设项目环境影响评价审批",
            "云州市生态环境局",
            EnvironmentalImpact,
            18_000,
            30,
            SelectionMethod::RandomDraw,
            JobState::Publicity,
        ),
        job(
            "临港物流园冷链仓储中心项目",
            "2025-539905-59-03-000233",
            "建设项目环境影响评价审批",
            "云州市生态环境局",
            EnvironmentalImpact,
            9_500,
            20,
            SelectionMethod::LowestPrice,
            JobState::Rated,
        ),
        job(
            "青山区化工园区危化品仓库扩建项目",
            "2025-539904-26-02-000057",
            "危险化学品建设项目安全条件审查",
            "云州市应急管理局",
            SafetyAssessment,
            12_000,
            25,
            SelectionMethod::CompositeScore { criteria: vec![] },
            JobState::Evaluating,
        ),
        job(
            "云州高新区数据中心二期工程",
            "2025-539971-65-01-000301",
            "固定资产投资项目节能审查",
            "云州市发展和改革委员会",
            EnergyReview,
            56_000,
            40,
            SelectionMethod::DirectPick,
            JobState::Publicity,
        ),
        job(
            "东川县城乡供水一体化工程",
            "2025-539921-46-01-000044",
            "生产建设项目水土保持方案审批",
            "云州市水务局",
            SoilWaterConservation,
            32_000,
            35,
            SelectionMethod::LowestPrice,
            JobState::Contracted,
        ),
        job(
            "西岭县文旅小镇一期建设项目",
            "2025-539922-78-03-000012",
            "建设用地规划许可证核发",
            "云州市自然资源和规划局",
            GeohazardAssessment,
            15_000,
            18,
            SelectionMethod::LowestPrice,
            JobState::Delivered,
        ),
        job(
            "南溪市工业园区道路改造工程",
            "2025-539981-48-01-000090",
            "建设工程规划许可",
            "南溪市自然资源局",
            Surveying,
            7_800,
            12,
            SelectionMethod::RandomDraw,
            JobState::Accepted,
        ),
        job(
            "望江区老旧小区改造项目造价审核",
            "2025-539903-47-01-000076",
            "政府投资项目概算审批",
            "云州市发展和改革委员会",
            CostConsulting,
            4_200,
            15,
            SelectionMethod::LowestPrice,
            JobState::Unsuccessful,
        ),
        job(
            "云湖区人民医院门诊楼施工图审查",
            "2025-539902-84-01-000021",
            "建设工程施工许可",
            "云州市住房和城乡建设局",
            DrawingReview,
            26_000,
            20,
            SelectionMethod::LowestPrice,
            JobState::Cancelled,
        ),
        job(
            "临港区新能源汽车零部件产业园",
            "2026-539905-36-02-000008",
            "建设项目环境影响评价审批",
            "云州市生态环境局",
            EnvironmentalImpact,
            48_000,
            45,
            SelectionMethod::RandomDraw,
            JobState::Published,
        ),
        job(
            "云州市城市防洪排涝提升工程",
            "2026-539902-48-01-000015",
            "洪水影响评价审批",
            "云州市水务局",
            FloodImpact,
            21_000,
            10,
            SelectionMethod::LowestPrice,
            JobState::Published,
        ),
        job(
            "青山区历史街区保护修缮项目",
            "2026-539904-89-01-000003",
            "文物保护单位建设控制地带内建设工程审批",
            "云州市文化和旅游局",
            HeritageImpact,
            6_800,
            12,
            composite,
            JobState::Draft,
        ),
        // Appended last so the earlier demo jobs keep their dates and draw seeds.
        job(
            "西岭县文旅小镇一期建设项目",
            "2025-539922-78-03-000012",
            "建设用地规划许可证核发",
            "云州市自然资源和规划局",
            Surveying,
            15_000,
            8,
            SelectionMethod::LowestPrice,
            JobState::Published,
        ),
    ]
}

fn draft_of(job: &DemoJob, deadline: OffsetDateTime) -> JobDraft {
    let selection = match &job.selection {
        SelectionMethod::CompositeScore { criteria } if criteria.is_empty() => {
            SelectionMethod::CompositeScore {
                criteria: vec![
                    Criterion {
                        name: "技术方案".into(),
                        weight: 60,
                    },
                    Criterion {
                        name: "报价".into(),
                        weight: 40,
                    },
                ],
            }
        }
        other => other.clone(),
    };
    JobDraft {
        project_code: job.code.clone(),
        project_name: job.name.clone(),
        approval_item: job.item.clone(),
        approving_department: job.department.clone(),
        service_type: job.service.code().into(),
        scope: format!(
            "为“{}”提供{}服务,按规范编制成果并配合审批部门技术审查,直至通过。",
            job.name,
            job.service.name(market_domain::Locale::ZhCn)
        ),
        investment: Some(job.investment_wan * WAN),
        quantity_milli: Some(2_500),
        budget_ceiling: job.budget_wan * WAN,
        fiscal_percent: if job.code.contains("-01-") { 100 } else { 0 },
        required_qualifications: vec![],
        avoidance: vec![],
        selection,
        deadline: crate::clock::to_rfc3339(deadline),
        min_bidders: 3,
        publicity_days: 5,
        contact_person: "王建国".into(),
        contact_phone: "0870-6123456".into(),
    }
}

fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

/// Seeds the demo jobs for `enterprise`, with bids from agencies that offer each service.
/// Demo data goes through the same rules as real data: bids carry the fee flags the domain
/// computes against the bidder's own standard, and a job still in publicity was awarded
/// recently enough that its publicity is really still running when the server first starts.
pub async fn seed_jobs(
    store: &dyn Store,
    enterprise: i64,
    offering: impl Fn(ServiceType) -> Vec<i64>,
    now: OffsetDateTime,
) -> Result<(), String> {
    let mut details = Bidders::new(store);
    for (index, job) in jobs().iter().enumerate() {
        let created = if job.end == JobState::Publicity {
            // Deadline a day ago, award two hours after opening: five days of publicity left.
            now - Duration::days(11) + Duration::minutes(index as i64)
        } else {
            datetime!(2025-09-01 09:00 +08:00) + Duration::days(index as i64 * 7)
        };
        let deadline = if job.end == JobState::Published {
            datetime!(2027-06-30 17:00 +08:00) + Duration::days(index as i64)
        } else {
            created + Duration::days(10)
        };
        let bidders: Vec<i64> = offering(job.service)
            .into_iter()
            .take(if job.end == JobState::Unsuccessful {
                2
            } else {
                4
            })
            .collect();
        let seed: Seed = Sha256::digest(format!("中介超市 demo draw {index}").as_bytes()).into();
        walk_job(
            store,
            enterprise,
            job,
            Walk {
                created,
                deadline,
                draw_seed: seed,
                report_number: format!("YZ-{}-{:03}", 2025, index + 100),
            },
            &bidders,
            &mut details,
        )
        .await?;
    }
    Ok(())
}

/// When a walked job happens, and what makes it unique.
pub(crate) struct Walk {
    pub created: OffsetDateTime,
    pub deadline: OffsetDateTime,
    /// The random draw's seed, if the job is drawn. Demo and generated seeds are deterministic
    /// so a draw can be checked by hand; real draws use the operating system's randomness.
    pub draw_seed: Seed,
    pub report_number: String,
}

/// Bidders' details, read once each: the fee flags of a bid are computed against them.
pub(crate) struct Bidders<'a> {
    store: &'a dyn Store,
    read: std::collections::HashMap<i64, market_domain::wire::AgencyDetail>,
}

impl<'a> Bidders<'a> {
    pub fn new(store: &'a dyn Store) -> Self {
        Bidders {
            store,
            read: std::collections::HashMap::new(),
        }
    }

    async fn get(
        &mut self,
        agency: i64,
        on: OffsetDateTime,
    ) -> Result<&market_domain::wire::AgencyDetail, String> {
        if !self.read.contains_key(&agency) {
            let detail = self
                .store
                .agency_detail(agency, crate::clock::city_date(on))
                .await
                .map_err(err)?
                .ok_or("bidder is not listed")?;
            self.read.insert(agency, detail);
        }
        Ok(&self.read[&agency])
    }
}

/// Takes one job from its draft to `job.end` through the store operations the API uses, with
/// bids from `bidders`. Returns the job's id.
pub(crate) async fn walk_job(
    store: &dyn Store,
    enterprise: i64,
    job: &DemoJob,
    walk: Walk,
    bidders: &[i64],
    details: &mut Bidders<'_>,
) -> Result<i64, String> {
    let Walk {
        created,
        deadline,
        draw_seed: seed,
        report_number,
    } = walk;
    let open = job.end == JobState::Published;
    let draft = draft_of(job, deadline);
    let id = store
        .create_job(enterprise, draft.clone(), created)
        .await
        .map_err(err)?;
    if job.end == JobState::Draft {
        return Ok(id);
    }
    let draw = (draft.selection == SelectionMethod::RandomDraw)
        .then(|| (seed.to_vec(), commitment(&seed)));
    store
        .publish_job(id, deadline, draw, created + Duration::hours(1))
        .await
        .map_err(err)?;
    if job.end == JobState::Cancelled {
        store
            .cancel_job(
                id,
                "项目设计方案调整,暂停采购".into(),
                created + Duration::days(3),
            )
            .await
            .map_err(err)?;
        return Ok(id);
    }
    let terms = draft
        .parse()
        .map_err(|e| format!("demo job terms: {e:?}"))?;
    for (n, agency) in bidders.iter().enumerate() {
        let price =
            Money::from_fen(job.budget_wan * WAN * (80 + 5 * n as i64) / 100).map_err(err)?;
        let bidder = details.get(*agency, created).await?;
        let bid = NewBid {
            price,
            service_days: 30 + 10 * n as u32,
            commitment: "严格按公示收费标准报价,按期提交成果。".into(),
            proposal: "组建专项项目组,现场踏勘后编制技术方案,按节点提交成果并配合审查。".into(),
            flags: crate::jobs::bid_flags(bidder, &terms, price),
        };
        store
            .put_bid(
                id,
                *agency,
                bid,
                BidWrite::Place,
                created + Duration::days(2) + Duration::hours(n as i64),
            )
            .await
            .map_err(err)?
            .map_err(|r| format!("{r:?}"))?;
    }
    if open {
        return Ok(id);
    }
    let opened_at = deadline + Duration::minutes(1);
    store.settle_job(id, opened_at).await.map_err(err)?;
    if matches!(job.end, JobState::Unsuccessful | JobState::Evaluating)
        || draft.selection == SelectionMethod::RandomDraw && job.end == JobState::Publicity
    {
        return Ok(id);
    }
    let mut at = opened_at + Duration::hours(2);
    if draft.selection != SelectionMethod::RandomDraw {
        let bids: Vec<RankedBid> = store.valid_bids(id).await.map_err(err)?;
        // The owner's choice as the award screen would send it, decided by the same
        // domain rule as a real award: a direct pick of the second cheapest, and score
        // sheets that vary by bidder and criterion.
        let by_price = rank_by_price(&bids);
        let request = match &draft.selection {
            SelectionMethod::DirectPick => AwardRequest {
                agency_id: by_price.get(1).or(by_price.first()).copied(),
                reason: "该机构承担过本项目一期节能评估,熟悉用能情况".into(),
                ..AwardRequest::default()
            },
            SelectionMethod::CompositeScore { criteria } => AwardRequest {
                scores: bids
                    .iter()
                    .map(|b| ScoreSheet {
                        agency_id: b.agency_id,
                        scores: (0..criteria.len() as i64)
                            .map(|c| 60 + ((b.agency_id * 7 + c * 13) % 40) as u32)
                            .collect(),
                    })
                    .collect(),
                ..AwardRequest::default()
            },
            _ => AwardRequest::default(),
        };
        let award = AwardRecord::select(
            &draft.selection,
            &bids,
            &request,
            (at + Duration::days(5)).unix_timestamp(),
        )
        .map_err(|e| e.to_string())?;
        let reason = award.reason.clone();
        store
            .advance_job(
                JobLine::new(id, at, Actor::Enterprise, JobEvent::Awarded, reason).moving(
                    JobState::Evaluating,
                    JobState::Publicity,
                    JobPatch {
                        award: Some(award),
                        ..JobPatch::default()
                    },
                ),
            )
            .await
            .map_err(err)?;
    }
    if job.end == JobState::Publicity {
        return Ok(id);
    }
    at += Duration::days(6);
    let (award, _, _) = store.job_parts(id).await.map_err(err)?;
    let (winner, price) = award.and_then(|a| a.winner()).ok_or("demo award missing")?;
    let contract = ContractTerms {
        amount: price.fen(),
        over_reason: String::new(),
        starts_on: crate::clock::city_date(at).to_string(),
        ends_on: crate::clock::city_date(at + Duration::days(60)).to_string(),
    };
    let steps: [(JobState, JobState, JobPatch, Actor, JobEvent, &str); 3] = [
        (
            JobState::Publicity,
            JobState::Publicity,
            JobPatch {
                contract: Some(contract),
                ..JobPatch::default()
            },
            Actor::Enterprise,
            JobEvent::ContractProposed,
            "业主发出合同",
        ),
        (
            JobState::Publicity,
            JobState::Contracted,
            JobPatch::default(),
            Actor::Agency,
            JobEvent::Contracted,
            "中介机构确认合同,双方签约",
        ),
        (
            JobState::Contracted,
            JobState::Delivered,
            JobPatch {
                delivery: Some(DeliveryReport {
                    summary: "成果报告已编制完成并提交".into(),
                    report_number: report_number.clone(),
                }),
                ..JobPatch::default()
            },
            Actor::Agency,
            JobEvent::Delivered,
            "提交成果",
        ),
    ];
    for (from, to, patch, actor, event, detail) in steps {
        if job.end == JobState::Contracted && to == JobState::Delivered {
            break;
        }
        at += Duration::days(10);
        store
            .advance_job(JobLine::new(id, at, actor, event, detail).moving(from, to, patch))
            .await
            .map_err(err)?;
    }
    if matches!(job.end, JobState::Contracted | JobState::Delivered) {
        return Ok(id);
    }
    at += Duration::days(5);
    store
        .advance_job(
            JobLine::new(
                id,
                at,
                Actor::Enterprise,
                JobEvent::Accepted,
                "业主验收通过",
            )
            .moving(JobState::Delivered, JobState::Accepted, JobPatch::default()),
        )
        .await
        .map_err(err)?;
    if job.end == JobState::Rated {
        let rating = RatingRequest {
            quality: 5,
            timeliness: 4,
            attitude: 5,
            fee_compliance: 5,
            integrity: 5,
            comment: "报告质量高,按期完成,收费与公示标准一致。".into(),
        };
        store
            .rate_job(id, winner, rating, at + Duration::days(1))
            .await
            .map_err(err)?;
    }
    Ok(id)
}
