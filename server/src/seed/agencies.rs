//! The demo agencies: names, qualifications, fee standards and listing histories, drawn from a
//! seeded generator so every start makes the same ones.

use super::*;
const BRAND_WORDS: [&str; 32] = [
    "绿源", "恒信", "华测", "中正", "博远", "瑞丰", "安泰", "宏图", "天衡", "诚达", "鼎元", "金石",
    "嘉禾", "正阳", "明德", "远航", "汇通", "立信", "泰和", "千里", "卓越", "国信", "同创", "方圆",
    "致远", "衡信", "北斗", "山海", "求实", "中诚", "信达", "启明",
];
const SURNAMES: [&str; 16] = [
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "马", "朱", "胡", "郭",
];
const GIVEN_NAMES: [&str; 16] = [
    "建国", "海燕", "志强", "丽华", "俊杰", "晓东", "雪梅", "文博", "国栋", "秀英", "子轩", "明轩",
    "玉兰", "新民", "立军", "春燕",
];
const STREETS: [&str; 10] = [
    "滨湖路",
    "翠湖北路",
    "望江大道",
    "人民中路",
    "科创大道",
    "临港大道",
    "青山东路",
    "南溪路",
    "金碧路",
    "学府路",
];

/// What an agency of a given type calls itself, who certifies it, and at which grades.
struct TypeProfile {
    suffix: &'static str,
    certificate: &'static str,
    authority: &'static str,
    levels: &'static [&'static str],
    related: &'static [ServiceType],
}

fn profile(service: ServiceType) -> TypeProfile {
    use ServiceType::*;
    let p = |suffix, certificate, authority, levels, related| TypeProfile {
        suffix,
        certificate,
        authority,
        levels,
        related,
    };
    match service {
        EnvironmentalImpact => p(
            "环境科技有限公司",
            "环境影响评价编制单位信用平台登记",
            "生态环境部",
            &["已登记"],
            &[SoilWaterConservation],
        ),
        SafetyAssessment => p(
            "安全技术咨询有限公司",
            "安全评价机构资质证书",
            "省应急管理厅",
            &["甲级", "乙级"],
            &[EnergyReview],
        ),
        EnergyReview => p(
            "节能技术服务有限公司",
            "节能评估机构能力评价证书",
            "省节能协会",
            &["一级", "二级"],
            &[FeasibilityStudy],
        ),
        SoilWaterConservation => p(
            "水土保持技术咨询有限公司",
            "生产建设项目水土保持方案编制单位水平评价证书",
            "中国水土保持学会",
            &["5星", "4星", "3星"],
            &[FloodImpact],
        ),
        GeohazardAssessment => p(
            "地质勘查有限公司",
            "地质灾害危险性评估单位资质证书",
            "省自然资源厅",
            &["甲级", "乙级", "丙级"],
            &[Surveying],
        ),
        Surveying => p(
            "测绘地理信息有限公司",
            "测绘资质证书",
            "省自然资源厅",
            &["甲级", "乙级"],
            &[GeohazardAssessment],
        ),
        CostConsulting => p(
            "工程造价咨询有限公司",
            "工程造价咨询企业资质证书",
            "省住房和城乡建设厅",
            &["甲级", "乙级"],
            &[FeasibilityStudy],
        ),
        DrawingReview => p(
            "建设工程施工图审查有限公司",
            "施工图审查机构认定书",
            "省住房和城乡建设厅",
            &["一类", "二类"],
            &[],
        ),
        PlanningDesign => p(
            "规划设计研究院有限公司",
            "城乡规划编制单位资质证书",
            "省自然资源厅",
            &["甲级", "乙级", "丙级"],
            &[HeritageImpact],
        ),
        AssetValuation => p(
            "资产评估有限公司",
            "资产评估机构备案公告",
            "省财政厅",
            &["已备案"],
            &[LandValuation, RealEstateAppraisal],
        ),
        LandValuation => p(
            "土地房地产评估有限公司",
            "土地估价机构备案证明",
            "中国土地估价师与土地登记代理人协会",
            &["已备案"],
            &[RealEstateAppraisal],
        ),
        RealEstateAppraisal => p(
            "房地产估价有限公司",
            "房地产估价机构备案证书",
            "省住房和城乡建设厅",
            &["一级", "二级", "三级"],
            &[LandValuation],
        ),
        SeismicSafety => p(
            "地震工程勘察有限公司",
            "地震安全性评价单位能力评价证书",
            "省地震局",
            &["甲级", "乙级"],
            &[GeohazardAssessment],
        ),
        LightningProtection => p(
            "防雷检测技术有限公司",
            "雷电防护装置检测资质证",
            "省气象局",
            &["甲级", "乙级"],
            &[],
        ),
        HeritageImpact => p(
            "文物保护研究院有限公司",
            "文物保护工程资质证书",
            "省文物局",
            &["甲级", "乙级", "丙级"],
            &[],
        ),
        FeasibilityStudy => p(
            "工程咨询有限公司",
            "工程咨询单位资信证书",
            "省工程咨询协会",
            &["甲级", "乙级"],
            &[SocialStabilityRisk, EnergyReview],
        ),
        SocialStabilityRisk => p(
            "社会风险评估咨询有限公司",
            "社会稳定风险评估机构备案",
            "云州市发展和改革委员会",
            &["已备案"],
            &[],
        ),
        FloodImpact => p(
            "水利水电勘测设计有限公司",
            "水利工程设计资质证书",
            "省水利厅",
            &["甲级", "乙级"],
            &[SoilWaterConservation],
        ),
    }
}

/// The 9-character organisation code with its GB 11714 check character.
fn organisation_code(rng: &mut DemoRng) -> String {
    const WEIGHTS: [u32; 8] = [3, 7, 9, 10, 5, 8, 4, 2];
    let digits: Vec<u32> = (0..8).map(|_| rng.below(10) as u32).collect();
    let sum: u32 = digits.iter().zip(WEIGHTS).map(|(d, w)| d * w).sum();
    let check = match 11 - sum % 11 {
        10 => 'X',
        11 => '0',
        n => char::from_digit(n, 10).expect("below 10"),
    };
    digits
        .iter()
        .map(|d| char::from_digit(*d, 10).expect("digit"))
        .chain(std::iter::once(check))
        .collect()
}

fn credit_code(rng: &mut DemoRng, district: District, used: &mut HashSet<String>) -> String {
    loop {
        let first17 = format!("91{}{}", district.division_code(), organisation_code(rng));
        let check = CreditCode::check_character(&first17).expect("alphabet is valid");
        let code = format!("{first17}{check}");
        if used.insert(code.clone()) {
            return code;
        }
    }
}

fn date(year: u16, month: u8, day: u8) -> CalendarDate {
    CalendarDate::new(year, month, day).expect("valid demo date")
}

fn qualification(rng: &mut DemoRng, service: ServiceType, index: usize) -> QualificationDraft {
    let profile = profile(service);
    let issued = date(
        2022 + rng.below(4) as u16,
        1 + rng.below(12) as u8,
        1 + rng.below(28) as u8,
    );
    let expires = date(issued.year() + 5, issued.month(), issued.day());
    QualificationDraft {
        name: profile.certificate.to_owned(),
        number: format!(
            "{}{}-{:05}",
            service.code()[..2].to_uppercase(),
            issued.year(),
            1000 + index * 37 % 9000
        ),
        level: rng.pick(profile.levels).to_string(),
        authority: profile.authority.to_owned(),
        issued_on: issued.to_string(),
        expires_on: expires.to_string(),
        service_types: vec![service.code().to_owned()],
    }
}

const WAN: i64 = 1_000_000; // 1万元 in fen

/// A realistic fee standard for the service, varied by ±15% so agencies differ.
fn fee_standard(rng: &mut DemoRng, service: ServiceType) -> FeeStandardDraft {
    use ServiceType::*;
    let factor = 85 + rng.below(31) as i64; // percent
    let vary = |amount: i64| amount * factor / 100 / 10_000 * 10_000; // whole 100元
    let vary_rate = |ppm: i64| ppm * factor / 100;
    let tiered =
        |bounds: &[(Option<i64>, i64)], minimum: i64| PricingModelDraft::InvestmentTiered {
            brackets: bounds
                .iter()
                .map(|&(up_to, rate)| BracketDraft {
                    up_to,
                    rate_ppm: vary_rate(rate),
                })
                .collect(),
            minimum: vary(minimum),
        };
    let assessment = [
        (Some(1_000 * WAN), 4_000),
        (Some(5_000 * WAN), 2_000),
        (Some(20_000 * WAN), 1_000),
        (None, 500),
    ];
    let consulting = [
        (Some(500 * WAN), 6_000),
        (Some(2_000 * WAN), 4_000),
        (Some(10_000 * WAN), 2_500),
        (None, 1_200),
    ];
    let valuation = [
        (Some(100 * WAN), 10_000),
        (Some(1_000 * WAN), 5_000),
        (Some(5_000 * WAN), 2_000),
        (None, 800),
    ];
    let per_unit = |unit: &str, price: i64, minimum: i64| PricingModelDraft::PerUnit {
        unit: unit.to_owned(),
        unit_price: vary(price),
        minimum: vary(minimum),
    };
    let (basis, model) = match service {
        EnvironmentalImpact
        | SafetyAssessment
        | EnergyReview
        | SoilWaterConservation
        | SocialStabilityRisk => ("market_regulated", tiered(&assessment, 2 * WAN)),
        CostConsulting | FeasibilityStudy | PlanningDesign => {
            ("market_regulated", tiered(&consulting, 5_000 * 100))
        }
        AssetValuation | LandValuation | RealEstateAppraisal => {
            ("government_guided", tiered(&valuation, 3_000 * 100))
        }
        Surveying => (
            "government_guided",
            per_unit("平方公里", 12_000 * 100, 5_000 * 100),
        ),
        GeohazardAssessment => (
            "market_regulated",
            per_unit("平方公里", 8_000 * 100, 2 * WAN),
        ),
        DrawingReview => (
            "government_guided",
            per_unit("万平方米", 15_000 * 100, 3_000 * 100),
        ),
        LightningProtection => ("government_set", per_unit("处", 1_500 * 100, 1_500 * 100)),
        SeismicSafety => (
            "market_regulated",
            PricingModelDraft::Fixed {
                price: vary(12 * WAN),
            },
        ),
        HeritageImpact => (
            "market_regulated",
            PricingModelDraft::Fixed {
                price: vary(8 * WAN),
            },
        ),
        FloodImpact => (
            "market_regulated",
            PricingModelDraft::Fixed {
                price: vary(6 * WAN),
            },
        ),
    };
    FeeStandardDraft {
        service_type: service.code().to_owned(),
        basis: basis.to_owned(),
        model,
        max_discount_bp: [0, 500, 1_000, 1_500, 2_000][rng.below(5)],
        effective_from: if rng.below(2) == 0 {
            "2026-01-01"
        } else {
            "2025-07-01"
        }
        .to_owned(),
    }
}

fn listing_draft(
    rng: &mut DemoRng,
    index: usize,
    name: String,
    primary: ServiceType,
    used_codes: &mut HashSet<String>,
) -> ListingDraft {
    let district = *rng.pick(District::ALL);
    let profile = profile(primary);
    let mut service_types = vec![primary];
    for related in profile.related {
        if rng.below(3) != 0 {
            service_types.push(*related);
        }
    }
    let qualifications = service_types
        .iter()
        .enumerate()
        .map(|(i, s)| qualification(rng, *s, index * 5 + i))
        .collect();
    let fee_standards = service_types
        .iter()
        .map(|s| fee_standard(rng, *s))
        .collect();
    let staff_count = 12 + rng.below(170) as i64;
    let projects = 20 + rng.below(400);
    let person = |rng: &mut DemoRng| format!("{}{}", rng.pick(&SURNAMES), rng.pick(&GIVEN_NAMES));
    let names: Vec<&str> = service_types.iter().map(|s| s.name(Locale::ZhCn)).collect();
    ListingDraft {
        description: format!(
            "本机构专业从事{}等中介服务,现有专业技术人员 {staff_count} 人,近三年承接项目 {projects} 个。坚持依法执业、明码标价,不指定、不捆绑收费。",
            names.join("、")
        ),
        credit_code: credit_code(rng, district, used_codes),
        district: district.code().to_owned(),
        address: format!(
            "云州市{}{}{}号{}楼",
            district.name(Locale::ZhCn),
            rng.pick(&STREETS),
            1 + rng.below(399),
            1 + rng.below(22)
        ),
        legal_representative: person(rng),
        contact_person: person(rng),
        phone: if rng.below(2) == 0 {
            format!("1{}{:09}", [3, 5, 7, 8, 9][rng.below(5)], rng.next() % 1_000_000_000)
        } else {
            format!("0870-{}", 6_000_000 + rng.below(3_999_999))
        },
        email: format!("service{index:02}@yz-agency{index:02}.cn"),
        name,
        staff_count,
        service_types: service_types.iter().map(|s| s.code().to_owned()).collect(),
        qualifications,
        service_commitment: "严格执行公示的收费标准,不在标准之外另行收费;按合同约定时限提交成果,对成果质量负责;不转包、不挂靠,不参与指定中介。".into(),
        fee_standards,
    }
}

/// An agency with its listing history: the projection of its newest approved version (or of
/// its only submission, for a pending agency) and every version.
fn agency_from(versions: Vec<(VersionStatus, ListingDraft)>) -> NewAgency {
    let approved = versions
        .iter()
        .rev()
        .find(|(s, _)| *s == VersionStatus::Approved);
    let (public, is_approved) = match approved {
        Some((_, draft)) => (draft, true),
        None => (&versions[0].1, false),
    };
    let listing = public.parse().expect("demo listings obey the rules");
    NewAgency {
        approved: is_approved,
        versions: versions.clone(),
        ..NewAgency::from_listing(&listing)
    }
}

/// A plausible update an agency might send for review: new phone, dearer first fee standard.
fn update_of(draft: &ListingDraft) -> ListingDraft {
    let mut update = draft.clone();
    update.phone = "0870-6888123".into();
    if let Some(standard) = update.fee_standards.first_mut() {
        standard.model = match &standard.model {
            PricingModelDraft::Fixed { price } => PricingModelDraft::Fixed {
                price: price * 12 / 10,
            },
            PricingModelDraft::InvestmentTiered { brackets, minimum } => {
                PricingModelDraft::InvestmentTiered {
                    brackets: brackets.clone(),
                    minimum: minimum * 15 / 10,
                }
            }
            PricingModelDraft::PerUnit {
                unit,
                unit_price,
                minimum,
            } => PricingModelDraft::PerUnit {
                unit: unit.clone(),
                unit_price: unit_price * 12 / 10,
                minimum: *minimum,
            },
        };
        standard.effective_from = "2027-01-01".into();
    }
    update
}

impl DemoData {
    pub fn generate() -> DemoData {
        let mut rng = DemoRng(0x5EED_2026_CAFE_F00D);
        let mut used_codes = HashSet::new();
        let mut used_names = HashSet::new();
        let mut agencies = Vec::with_capacity(DEMO_AGENCY_COUNT);
        for index in 0..DEMO_AGENCY_COUNT {
            let primary = ServiceType::ALL[index % ServiceType::ALL.len()];
            let name = loop {
                let prefix = if rng.below(3) == 0 {
                    rng.pick(District::ALL)
                        .name(Locale::ZhCn)
                        .trim_end_matches(['区', '县', '市'])
                        .to_owned()
                } else {
                    "云州".to_owned()
                };
                let candidate = format!(
                    "{prefix}{}{}",
                    rng.pick(&BRAND_WORDS),
                    profile(primary).suffix
                );
                if used_names.insert(candidate.clone()) {
                    break candidate;
                }
            };
            let draft = listing_draft(&mut rng, index, name, primary, &mut used_codes);
            // A few approved agencies have an update waiting for the regulator.
            let versions = if index % 30 == 7 {
                let update = update_of(&draft);
                vec![
                    (VersionStatus::Approved, draft),
                    (VersionStatus::Submitted, update),
                ]
            } else {
                vec![(VersionStatus::Approved, draft)]
            };
            agencies.push(agency_from(versions));
        }
        let own_draft = listing_draft(
            &mut rng,
            DEMO_AGENCY_COUNT,
            DEMO_ACCOUNTS[1].3.to_owned(),
            ServiceType::EnvironmentalImpact,
            &mut used_codes,
        );
        let own_agency = agency_from(vec![(VersionStatus::Approved, own_draft)]);
        let pending = [
            (
                "云州新启航安全技术咨询有限公司",
                ServiceType::SafetyAssessment,
            ),
            ("望江精诚测绘有限公司", ServiceType::Surveying),
            ("南溪众合工程造价咨询有限公司", ServiceType::CostConsulting),
        ]
        .iter()
        .enumerate()
        .map(|(i, (name, service))| {
            let draft = listing_draft(
                &mut rng,
                DEMO_AGENCY_COUNT + 1 + i,
                (*name).to_owned(),
                *service,
                &mut used_codes,
            );
            agency_from(vec![(VersionStatus::Submitted, draft)])
        })
        .collect();
        let account_credit_codes = Role::ALL
            .iter()
            .map(|role| match role {
                Role::Agency => own_agency.profile.credit_code.clone(),
                _ => credit_code(&mut rng, District::Yunhu, &mut used_codes),
            })
            .collect();
        // Drawn last, so that adding them left every earlier demo record unchanged.
        let extra_agencies = DEMO_EXTRA_AGENCIES
            .iter()
            .enumerate()
            .map(|(i, (_, name))| {
                let draft = listing_draft(
                    &mut rng,
                    DEMO_AGENCY_COUNT + 4 + i,
                    (*name).to_owned(),
                    ServiceType::EnvironmentalImpact,
                    &mut used_codes,
                );
                agency_from(vec![(VersionStatus::Approved, draft)])
            })
            .collect();
        DemoData {
            agencies,
            own_agency,
            pending,
            account_credit_codes,
            extra_agencies,
        }
    }
}

/// Characters agencies build their trade names from (字号), two at a time: with the district
/// prefixes and the service suffixes this gives over 300,000 distinct names.
const NAME_CHARACTERS: [&str; 64] = [
    "源", "信", "华", "中", "博", "瑞", "安", "宏", "天", "诚", "鼎", "金", "嘉", "正", "明", "远",
    "汇", "立", "泰", "千", "卓", "国", "同", "方", "致", "衡", "北", "山", "求", "启", "恒", "达",
    "成", "清", "绿", "新", "精", "众", "合", "德", "和", "鑫", "科", "创", "兴", "盛", "通", "路",
    "海", "峰", "景", "润", "晟", "昊", "铭", "聚", "辰", "弘", "毅", "泽", "坤", "锦", "宇", "越",
];

/// One agency of the scale data set (`market-server generate`): the demo's listing generator
/// with a name space large enough for a province. `used_names` and `used_codes` keep names and
/// credit codes unique across the whole set.
pub(crate) fn synthetic_agency(
    rng: &mut DemoRng,
    index: usize,
    used_names: &mut HashSet<String>,
    used_codes: &mut HashSet<String>,
) -> NewAgency {
    let primary = *rng.pick(ServiceType::ALL);
    let name = loop {
        let prefix = if rng.below(2) == 0 {
            "云州".to_owned()
        } else {
            rng.pick(District::ALL)
                .name(Locale::ZhCn)
                .trim_end_matches(['区', '县', '市'])
                .to_owned()
        };
        let candidate = format!(
            "{prefix}{}{}{}",
            rng.pick(&NAME_CHARACTERS),
            rng.pick(&NAME_CHARACTERS),
            profile(primary).suffix
        );
        if used_names.insert(candidate.clone()) {
            break candidate;
        }
    };
    let draft = listing_draft(rng, index, name, primary, used_codes);
    agency_from(vec![(VersionStatus::Approved, draft)])
}
