use super::*;
use market_domain::fee::{FeeStandardDraft, PricingModelDraft};
use market_domain::wire::AgencyFilter;

fn day(text: &str) -> CalendarDate {
    CalendarDate::parse(text).unwrap()
}

fn fixed_fee(service: ServiceType, yuan: i64) -> FeeStandard {
    FeeStandard::parse(
        &FeeStandardDraft {
            service_type: service.code().into(),
            basis: "market_regulated".into(),
            model: PricingModelDraft::Fixed { price: yuan * 100 },
            max_discount_bp: 0,
            effective_from: "2026-01-01".into(),
        },
        "",
    )
    .unwrap()
}

fn agency(id: i64, name: &str) -> AgencyRecord {
    AgencyRecord {
        id,
        name: name.into(),
        description: "提供专业技术咨询服务".into(),
        credit_code: format!("91530100MA6K{id:06}"),
        district: District::ALL[id as usize % 2],
        approved: true,
        listed_since: day("2026-01-01"),
        declared: vec![ServiceType::EnvironmentalImpact],
        qualifications: vec![HeldQualification {
            level: "甲级".into(),
            expires_on: day("2027-06-30"),
            covers: vec![ServiceType::EnvironmentalImpact],
        }],
        entries: Vec::new(),
        ratings: 0,
        average_hundredths: 0,
        upheld: Vec::new(),
        fee_flagged_awards: 0,
        fee_standards: vec![fixed_fee(
            ServiceType::EnvironmentalImpact,
            10_000 + id * 100,
        )],
    }
}

fn filter() -> AgencyFilter {
    AgencyFilter {
        page: 1,
        per_page: 20,
        ..AgencyFilter::default()
    }
}

fn ids(page: &Page<AgencySummary>) -> Vec<i64> {
    page.items.iter().map(|a| a.id).collect()
}

const TODAY: &str = "2026-12-01";

#[test]
fn name_matches_come_before_description_matches_each_by_credit() {
    let mut described = agency(1, "云岭咨询有限公司");
    described.description = "专做环评报告".into();
    let mut low = agency(2, "滇池环评有限公司");
    low.upheld = vec![(ComplaintCategory::Quality, day("2026-10-01"))];
    let high = agency(3, "昆明环评有限公司");
    let directory = Directory::build(vec![described, low, high], day(TODAY));
    let page = directory.query(&AgencyFilter {
        q: Some("环评".into()),
        ..filter()
    });
    assert_eq!(ids(&page), [3, 2, 1]);
    assert_eq!(page.total, 3);
    assert_eq!(page.items[0].credit_score, 80);
    assert_eq!(page.items[1].credit_score, 70);
}

#[test]
fn filters_combine_and_the_total_counts_every_match() {
    let mut rated = agency(4, "四号");
    rated.ratings = 2;
    rated.average_hundredths = 480;
    let mut flagged = agency(6, "六号");
    flagged.fee_flagged_awards = 1;
    let mut second_level = agency(8, "八号");
    second_level.qualifications[0].level = "乙级".into();
    let directory = Directory::build(
        vec![agency(2, "二号"), rated, flagged, second_level],
        day(TODAY),
    );
    let even_district = District::ALL[0];
    let clean = directory.query(&AgencyFilter {
        district: Some(even_district),
        clean: true,
        ..filter()
    });
    assert_eq!(ids(&clean), [2, 4, 8]);
    let first_level = directory.query(&AgencyFilter {
        level: Some("甲级".into()),
        service_type: Some(ServiceType::EnvironmentalImpact),
        ..filter()
    });
    assert_eq!(ids(&first_level), [2, 4, 6]);
    let none = directory.query(&AgencyFilter {
        level: Some("甲级".into()),
        service_type: Some(ServiceType::Surveying),
        ..filter()
    });
    assert_eq!(none.total, 0);
    let by_rating = directory.query(&AgencyFilter {
        sort: AgencySort::Rating,
        ..filter()
    });
    assert_eq!(ids(&by_rating)[0], 4);
}

#[test]
fn cursors_walk_every_agency_once_in_every_order() {
    let records: Vec<AgencyRecord> = (1..=95)
        .map(|id| {
            let mut record = agency(id, &format!("第{id}号测绘公司"));
            record.ratings = (id % 7) as u32;
            record.average_hundredths = if id % 7 == 0 {
                0
            } else {
                300 + (id % 5) as u32 * 40
            };
            record.listed_since =
                CalendarDate::parse(&format!("2026-0{}-1{}", 1 + id % 9, id % 10)).unwrap();
            record
        })
        .collect();
    let directory = Directory::build(records, day(TODAY));
    for sort in [
        AgencySort::Relevance,
        AgencySort::Credit,
        AgencySort::Rating,
        AgencySort::Newest,
    ] {
        for q in [None, Some("测绘".to_string()), Some("1".to_string())] {
            let mut seen = Vec::new();
            let mut after = None;
            loop {
                let page = directory.query(&AgencyFilter {
                    sort,
                    q: q.clone(),
                    after: after.clone(),
                    per_page: 10,
                    ..filter()
                });
                seen.extend(ids(&page));
                match page.next {
                    Some(next) => after = Some(next),
                    None => break,
                }
            }
            let total = directory
                .query(&AgencyFilter {
                    sort,
                    q: q.clone(),
                    ..filter()
                })
                .total as usize;
            let mut unique = seen.clone();
            unique.sort_unstable();
            unique.dedup();
            assert_eq!((seen.len(), unique.len()), (total, total), "{sort:?} {q:?}");
            // Page numbers reach the same agencies as cursors.
            let third = directory.query(&AgencyFilter {
                sort,
                q: q.clone(),
                page: 3,
                per_page: 10,
                ..filter()
            });
            let expected: Vec<i64> = seen.iter().skip(20).take(10).copied().collect();
            assert_eq!(ids(&third), expected, "{sort:?} {q:?}");
        }
    }
}

#[test]
fn the_fee_sort_orders_by_each_agency_s_own_quote() {
    let directory = Directory::build(
        vec![agency(3, "三号"), agency(1, "一号"), agency(2, "二号")],
        day(TODAY),
    );
    let page = directory.query(&AgencyFilter {
        service_type: Some(ServiceType::EnvironmentalImpact),
        investment: Some(Money::from_yuan(5_000_000).unwrap()),
        sort: AgencySort::Fee,
        ..filter()
    });
    assert_eq!(ids(&page), [1, 2, 3]);
    assert_eq!(page.items[0].quote, Some(Money::from_yuan(10_100).unwrap()));
}

#[test]
fn a_kept_fee_order_and_the_fee_standard_count_follow_every_write() {
    let mut directory = Directory::build(
        vec![agency(1, "一号"), agency(2, "二号"), agency(3, "三号")],
        day(TODAY),
    );
    let by_fee = AgencyFilter {
        service_type: Some(ServiceType::EnvironmentalImpact),
        investment: Some(Money::from_yuan(5_000_000).unwrap()),
        sort: AgencySort::Fee,
        ..filter()
    };
    let standards = |directory: &Directory| {
        directory
            .fee_standards(ServiceType::EnvironmentalImpact, None, 1, 20)
            .total
    };
    assert_eq!(ids(&directory.query(&by_fee)), [1, 2, 3]);
    assert_eq!(standards(&directory), 3);

    // Agency 3 lowers its fee below everyone's; agency 1 withdraws its standard.
    let mut cheaper = agency(3, "三号");
    cheaper.fee_standards = vec![fixed_fee(ServiceType::EnvironmentalImpact, 5_000)];
    directory.upsert(3, Some(cheaper));
    let mut unpriced = agency(1, "一号");
    unpriced.fee_standards.clear();
    directory.upsert(1, Some(unpriced));
    let page = directory.query(&by_fee);
    assert_eq!(ids(&page), [3, 2, 1]);
    assert_eq!(page.items[0].quote, Some(Money::from_yuan(5_000).unwrap()));
    assert_eq!(page.items[2].quote, None);
    assert_eq!(standards(&directory), 2);
}

#[test]
fn writes_and_new_days_change_what_the_directory_shows() {
    let mut directory = Directory::build(
        vec![agency(1, "一号环评"), agency(2, "二号环评")],
        day(TODAY),
    );
    let mut suspended = agency(2, "二号环评");
    suspended.entries.push(Entry {
        starts_on: day(TODAY),
        ends_on: day("2026-12-31"),
        blacklist: false,
        lifted_on: None,
    });
    directory.upsert(2, Some(suspended));
    let search = AgencyFilter {
        q: Some("环评".into()),
        ..filter()
    };
    assert_eq!(ids(&directory.query(&search)), [1]);

    let mut renamed = agency(1, "一号测绘");
    renamed.qualifications[0].expires_on = day("2026-12-01");
    directory.upsert(1, Some(renamed));
    assert_eq!(directory.query(&search).total, 0);
    let env = AgencyFilter {
        service_type: Some(ServiceType::EnvironmentalImpact),
        ..filter()
    };
    assert_eq!(ids(&directory.query(&env)), [1]);

    // The qualification's last day passes: the service is no longer offered.
    directory.roll_to(day("2026-12-02"));
    assert_eq!(directory.query(&env).total, 0);
    // The suspension ends.
    directory.roll_to(day("2027-01-01"));
    assert_eq!(ids(&directory.query(&filter())), [1, 2]);
    directory.upsert(1, None);
    assert_eq!(ids(&directory.query(&filter())), [2]);
}
