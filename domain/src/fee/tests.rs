use super::*;
use proptest::prelude::*;

const WAN: i64 = 1_000_000; // 1万元 in fen

fn tiered() -> FeeStandard {
    FeeStandard::parse(
        &FeeStandardDraft {
            service_type: "env_impact".into(),
            basis: "market_regulated".into(),
            model: PricingModelDraft::InvestmentTiered {
                brackets: vec![
                    BracketDraft {
                        up_to: Some(1_000 * WAN),
                        rate_ppm: 5_000,
                    },
                    BracketDraft {
                        up_to: Some(10_000 * WAN),
                        rate_ppm: 3_000,
                    },
                    BracketDraft {
                        up_to: None,
                        rate_ppm: 1_000,
                    },
                ],
                minimum: 300_000,
            },
            max_discount_bp: 2_000,
            effective_from: "2026-01-01".into(),
        },
        "",
    )
    .unwrap()
}

fn invest(fen: i64) -> JobFacts {
    JobFacts {
        investment: Some(Money::from_fen(fen).unwrap()),
        quantity_milli: None,
    }
}

#[test]
fn the_first_bracket_charges_its_rate_up_to_its_bound() {
    // 1000万 × 0.5% = 5万.
    assert_eq!(tiered().quote(&invest(1_000 * WAN)).unwrap().fen(), 5 * WAN);
}

#[test]
fn one_fen_past_a_bound_is_charged_at_the_next_rate() {
    // 5万 + 0.01元 × 0.3% = 5万 + 0.003 fen → rounds to 5万.
    assert_eq!(
        tiered().quote(&invest(1_000 * WAN + 1)).unwrap().fen(),
        5 * WAN
    );
    // 5万 + 1万元 × 0.3% = 5万 + 30元.
    assert_eq!(
        tiered().quote(&invest(1_001 * WAN)).unwrap().fen(),
        5 * WAN + 3_000
    );
}

#[test]
fn every_bracket_is_charged_cumulatively() {
    // 1亿: 5万 + 9000万 × 0.3% = 5万 + 27万 = 32万.
    assert_eq!(
        tiered().quote(&invest(10_000 * WAN)).unwrap().fen(),
        32 * WAN
    );
    // 2亿: 32万 + 1亿 × 0.1% = 42万.
    assert_eq!(
        tiered().quote(&invest(20_000 * WAN)).unwrap().fen(),
        42 * WAN
    );
}

#[test]
fn small_projects_pay_the_minimum_charge() {
    // 10万 × 0.5% = 500元 < 3000元.
    assert_eq!(tiered().quote(&invest(10 * WAN)).unwrap().fen(), 300_000);
    assert_eq!(tiered().quote(&invest(0)).unwrap().fen(), 300_000);
    // 60万 × 0.5% = 3000元, exactly the minimum.
    assert_eq!(tiered().quote(&invest(60 * WAN)).unwrap().fen(), 300_000);
}

#[test]
fn a_tiered_standard_needs_the_investment() {
    assert_eq!(
        tiered().quote(&JobFacts::default()),
        Err(QuoteError::InvestmentRequired)
    );
}

fn per_unit() -> FeeStandard {
    FeeStandard::parse(
        &FeeStandardDraft {
            service_type: "surveying".into(),
            basis: "government_guided".into(),
            model: PricingModelDraft::PerUnit {
                unit: "平方公里".into(),
                unit_price: 1_200_000,
                minimum: 500_000,
            },
            max_discount_bp: 0,
            effective_from: "2026-01-01".into(),
        },
        "",
    )
    .unwrap()
}

#[test]
fn per_unit_charges_the_quantity_times_the_unit_price_above_the_minimum() {
    let facts = |milli| JobFacts {
        investment: None,
        quantity_milli: Some(milli),
    };
    // 2.5 km² × 12000元 = 30000元.
    assert_eq!(per_unit().quote(&facts(2_500)).unwrap().fen(), 3_000_000);
    // 0.1 km² × 12000元 = 1200元 < 5000元.
    assert_eq!(per_unit().quote(&facts(100)).unwrap().fen(), 500_000);
    assert_eq!(
        per_unit().quote(&JobFacts::default()),
        Err(QuoteError::QuantityRequired)
    );
}

#[test]
fn the_discount_floor_applies_the_committed_maximum_discount() {
    let quote = Money::from_yuan(10_000).unwrap();
    assert_eq!(tiered().discount_floor(quote).fen(), 800_000);
    assert_eq!(per_unit().discount_floor(quote), quote);
}

#[test]
fn descriptions_read_like_a_published_schedule() {
    assert_eq!(
        tiered().describe(Locale::ZhCn),
        "按项目总投资分档累进计费:1,000万元以下 0.5%,1,000万元–10,000万元 0.3%,10,000万元以上 0.1%;最低收费 3,000元"
    );
    assert_eq!(
        per_unit().describe(Locale::ZhCn),
        "按工作量计费:每平方公里 1.2万元;最低收费 5,000元"
    );
}

fn draft_with(brackets: Vec<BracketDraft>) -> FeeStandardDraft {
    FeeStandardDraft {
        service_type: "env_impact".into(),
        basis: "market_regulated".into(),
        model: PricingModelDraft::InvestmentTiered {
            brackets,
            minimum: 0,
        },
        max_discount_bp: 0,
        effective_from: "2026-01-01".into(),
    }
}

#[test]
fn unordered_or_overlapping_brackets_are_refused_at_the_offending_bracket() {
    let errors = FeeStandard::parse(
        &draft_with(vec![
            BracketDraft {
                up_to: Some(1_000 * WAN),
                rate_ppm: 5_000,
            },
            BracketDraft {
                up_to: Some(500 * WAN),
                rate_ppm: 3_000,
            },
            BracketDraft {
                up_to: None,
                rate_ppm: 1_000,
            },
        ]),
        "fee_standards[0]",
    )
    .unwrap_err();
    assert_eq!(errors[0].field, "fee_standards[0].model.brackets[1].up_to");
    assert_eq!(errors[0].code, "brackets_unordered");
    let equal = FeeStandard::parse(
        &draft_with(vec![
            BracketDraft {
                up_to: Some(1_000 * WAN),
                rate_ppm: 5_000,
            },
            BracketDraft {
                up_to: Some(1_000 * WAN),
                rate_ppm: 3_000,
            },
            BracketDraft {
                up_to: None,
                rate_ppm: 1_000,
            },
        ]),
        "",
    )
    .unwrap_err();
    assert_eq!(equal[0].code, "brackets_unordered");
}

#[test]
fn only_the_last_bracket_is_open_ended() {
    let errors = FeeStandard::parse(
        &draft_with(vec![
            BracketDraft {
                up_to: None,
                rate_ppm: 5_000,
            },
            BracketDraft {
                up_to: Some(WAN),
                rate_ppm: 3_000,
            },
        ]),
        "",
    )
    .unwrap_err();
    let codes: Vec<_> = errors.iter().map(|e| e.code.as_str()).collect();
    assert_eq!(codes, ["brackets_open_end", "brackets_open_end"]);
}

#[test]
fn negative_prices_and_silly_rates_are_refused() {
    let negative = FeeStandardDraft {
        model: PricingModelDraft::Fixed { price: -100 },
        ..draft_with(vec![])
    };
    let errors = FeeStandard::parse(&negative, "fee_standards[2]").unwrap_err();
    assert_eq!(errors[0].field, "fee_standards[2].model.price");
    assert_eq!(errors[0].code, "money_negative");
    let zero_rate = draft_with(vec![BracketDraft {
        up_to: None,
        rate_ppm: 0,
    }]);
    assert_eq!(
        FeeStandard::parse(&zero_rate, "").unwrap_err()[0].code,
        "rate_out_of_range"
    );
}

#[test]
fn a_fee_standard_cannot_be_deserialised_around_the_rules() {
    let json = serde_json::json!({
        "service_type": "surveying", "basis": "market_regulated",
        "model": { "kind": "fixed", "price": -1 },
        "max_discount_bp": 0, "effective_from": "2026-01-01"
    });
    assert!(serde_json::from_value::<FeeStandard>(json).is_err());
    let round_trip: FeeStandard =
        serde_json::from_value(serde_json::to_value(tiered()).unwrap()).unwrap();
    assert_eq!(round_trip, tiered());
}

#[test]
fn percent_and_quantity_text_parse_exactly() {
    assert_eq!(parse_percent("0.5"), Some(5_000));
    assert_eq!(parse_percent("12.3456%"), Some(123_456));
    assert_eq!(parse_percent("100"), Some(1_000_000));
    assert_eq!(parse_percent("100.01"), None);
    assert_eq!(parse_percent("0.12345"), None);
    assert_eq!(format_rate(5_000), "0.5%");
    assert_eq!(format_rate(30_000), "3%");
    assert_eq!(parse_quantity("2.5"), Some(2_500));
    assert_eq!(parse_quantity("3"), Some(3_000));
    assert_eq!(parse_quantity("-1"), None);
}

proptest! {
    #[test]
    fn a_tiered_quote_never_falls_as_the_investment_grows(
        a in 0i64..5_000_000 * WAN, b in 0i64..5_000_000 * WAN
    ) {
        let (low, high) = (a.min(b), a.max(b));
        let standard = tiered();
        prop_assert!(standard.quote(&invest(low)).unwrap() <= standard.quote(&invest(high)).unwrap());
    }

    #[test]
    fn no_quote_is_below_the_minimum_charge(
        investment in 0i64..5_000_000 * WAN,
        quantity in 0u64..10_000_000,
    ) {
        prop_assert!(tiered().quote(&invest(investment)).unwrap().fen() >= 300_000);
        let facts = JobFacts { investment: None, quantity_milli: Some(quantity) };
        prop_assert!(per_unit().quote(&facts).unwrap().fen() >= 500_000);
    }

    #[test]
    fn random_valid_schedules_are_monotone(
        bounds in proptest::collection::btree_set(1i64..1_000_000 * WAN, 0..5),
        rates in proptest::collection::vec(1i64..=1_000_000, 6),
        minimum in 0i64..10 * WAN,
        a in 0i64..2_000_000 * WAN, b in 0i64..2_000_000 * WAN,
    ) {
        let mut brackets: Vec<BracketDraft> = bounds
            .iter()
            .zip(&rates)
            .map(|(&up, &rate)| BracketDraft { up_to: Some(up), rate_ppm: rate })
            .collect();
        brackets.push(BracketDraft { up_to: None, rate_ppm: rates[5] });
        let draft = FeeStandardDraft {
            model: PricingModelDraft::InvestmentTiered { brackets, minimum },
            ..draft_with(vec![])
        };
        let standard = FeeStandard::parse(&draft, "").unwrap();
        let (low, high) = (a.min(b), a.max(b));
        let (q_low, q_high) = (standard.quote(&invest(low)).unwrap(), standard.quote(&invest(high)).unwrap());
        prop_assert!(q_low <= q_high);
        prop_assert!(q_low.fen() >= minimum);
    }
}
