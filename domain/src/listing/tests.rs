use super::*;
use crate::fee::{BracketDraft, PricingModelDraft};

pub fn valid_draft() -> ListingDraft {
    ListingDraft {
        name: "云州恒信测绘地理信息有限公司".into(),
        credit_code: "91350100M000100Y43".into(),
        legal_representative: "张志强".into(),
        contact_person: "李海燕".into(),
        phone: "0870-6123456".into(),
        email: "service@example.cn".into(),
        address: "云州市云湖区滨湖路 88 号 6 楼".into(),
        district: "yunhu".into(),
        description: "专业从事测绘与地理信息服务十余年。".into(),
        service_types: vec!["surveying".into()],
        qualifications: vec![QualificationDraft {
            name: "测绘资质证书".into(),
            number: "甲测资字 5300123".into(),
            level: "甲级".into(),
            authority: "省自然资源厅".into(),
            issued_on: "2024-01-01".into(),
            expires_on: "2029-01-01".into(),
            service_types: vec!["surveying".into()],
        }],
        staff_count: 58,
        service_commitment: "按合同约定时限完成,成果质量终身负责。".into(),
        fee_standards: vec![FeeStandardDraft {
            service_type: "surveying".into(),
            basis: "government_guided".into(),
            model: PricingModelDraft::PerUnit {
                unit: "平方公里".into(),
                unit_price: 1_200_000,
                minimum: 500_000,
            },
            max_discount_bp: 1_000,
            effective_from: "2026-01-01".into(),
        }],
    }
}

#[test]
fn a_complete_listing_parses() {
    let listing = valid_draft().parse().unwrap();
    assert_eq!(listing.service_types, [ServiceType::Surveying]);
    assert_eq!(listing.fee_standards.len(), 1);
}

#[test]
fn an_expiry_before_the_issue_date_is_refused_on_that_qualification() {
    let mut draft = valid_draft();
    draft.qualifications[0].expires_on = "2023-12-31".into();
    let errors = draft.parse().unwrap_err();
    assert_eq!(errors[0].field, "qualifications[0].expires_on");
    assert_eq!(errors[0].code, "expiry_before_issue");
}

#[test]
fn every_offered_service_needs_a_fee_standard_and_vice_versa() {
    let mut draft = valid_draft();
    draft.service_types.push("geohazard".into());
    assert_eq!(draft.parse().unwrap_err()[0].code, "fee_standard_missing");
    let mut draft = valid_draft();
    draft.fee_standards[0].service_type = "geohazard".into();
    let codes: Vec<_> = draft
        .parse()
        .unwrap_err()
        .into_iter()
        .map(|e| e.code)
        .collect();
    assert_eq!(codes, ["service_not_offered", "fee_standard_missing"]);
}

#[test]
fn bad_credit_codes_and_bracket_errors_keep_their_paths() {
    let mut draft = valid_draft();
    draft.credit_code = "91350100M000100Y44".into();
    draft.fee_standards[0].model = PricingModelDraft::InvestmentTiered {
        brackets: vec![
            BracketDraft {
                up_to: Some(2_000),
                rate_ppm: 5_000,
            },
            BracketDraft {
                up_to: Some(1_000),
                rate_ppm: 3_000,
            },
            BracketDraft {
                up_to: None,
                rate_ppm: 1_000,
            },
        ],
        minimum: 0,
    };
    let fields: Vec<_> = draft
        .parse()
        .unwrap_err()
        .into_iter()
        .map(|e| e.field)
        .collect();
    assert_eq!(
        fields,
        ["credit_code", "fee_standards[0].model.brackets[1].up_to"]
    );
}

#[test]
fn a_service_whose_only_qualification_expired_is_no_longer_offered() {
    let listing = valid_draft().parse().unwrap();
    let before = CalendarDate::parse("2028-12-31").unwrap();
    let after = CalendarDate::parse("2029-01-02").unwrap();
    assert_eq!(listing.offered_on(before), [ServiceType::Surveying]);
    assert!(listing.offered_on(after).is_empty());
}

#[test]
fn qualifications_are_flagged_thirty_days_before_expiry() {
    let listing = valid_draft().parse().unwrap();
    let q = &listing.qualifications;
    assert!(expiring_qualifications(q, CalendarDate::parse("2028-12-01").unwrap()).is_empty());
    assert_eq!(
        expiring_qualifications(q, CalendarDate::parse("2028-12-02").unwrap()).len(),
        1
    );
}

#[test]
fn the_diff_marks_changed_fields_and_fee_rows() {
    let before = valid_draft();
    let mut after = valid_draft();
    after.phone = "13800138000".into();
    after.fee_standards[0].model = PricingModelDraft::PerUnit {
        unit: "平方公里".into(),
        unit_price: 1_500_000,
        minimum: 500_000,
    };
    let changes = diff(Some(&before), &after, Locale::ZhCn);
    let changed: Vec<_> = changes
        .iter()
        .filter(|c| c.changed())
        .map(|c| (c.key.as_str(), c.fee))
        .collect();
    assert_eq!(changed, [("phone", false), ("fee:surveying:1", true)]);
    let fee = changes.iter().find(|c| c.fee).unwrap();
    assert!(fee.after.as_deref().unwrap().contains("1.5万元"));
}

#[test]
fn a_first_submission_shows_every_field_as_new() {
    let changes = diff(None, &valid_draft(), Locale::ZhCn);
    assert!(changes.iter().all(|c| c.before.is_none() && c.changed()));
}

#[test]
fn a_decision_needs_a_reason() {
    let request = DecisionRequest {
        decision: "request_changes".into(),
        reason: " ".into(),
    };
    assert_eq!(request.parse().unwrap_err()[0].code, "reason_required");
    let ok = DecisionRequest {
        decision: "approve".into(),
        reason: "材料齐全".into(),
    };
    assert_eq!(ok.parse().unwrap().0, ReviewDecision::Approve);
}

#[test]
fn a_blacklist_entry_needs_its_basis_and_sane_dates() {
    let request = SuspensionRequest {
        reason: "超标准收费".into(),
        starts_on: "2026-12-01".into(),
        ends_on: "2026-11-01".into(),
        blacklist: true,
        basis: String::new(),
    };
    let codes: Vec<_> = request
        .parse()
        .unwrap_err()
        .into_iter()
        .map(|e| e.code)
        .collect();
    assert_eq!(codes, ["end_before_start", "basis_required"]);
}
