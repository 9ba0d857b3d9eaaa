use super::*;
use CaseStatus::*;

#[test]
fn the_blocker_names_every_unfinished_service_with_its_stage() {
    let services = [
        (
            ServiceType::EnvironmentalImpact,
            ServiceProgress::Job {
                state: JobState::Evaluating,
                review: None,
            },
        ),
        (ServiceType::EnergyReview, ServiceProgress::NotProcured),
        (
            ServiceType::FeasibilityStudy,
            ServiceProgress::Job {
                state: JobState::Accepted,
                review: Some(ReviewResult::Passed),
            },
        ),
    ];
    assert_eq!(
        blocker(UnderReview, &services, Locale::ZhCn).unwrap(),
        "等待中介服务:环境影响评价(评审中)、节能评估(尚未委托)"
    );
    assert_eq!(blocker(Approved, &services, Locale::ZhCn), None);
    let done = [services[2]];
    assert_eq!(
        blocker(UnderReview, &done, Locale::ZhCn).unwrap(),
        "等待审批部门:审查中"
    );
}

#[test]
fn a_case_in_review_without_a_procured_service_is_flagged_off_platform() {
    let services = [
        (
            ServiceType::EnvironmentalImpact,
            ServiceProgress::NotProcured,
        ),
        (
            ServiceType::EnergyReview,
            ServiceProgress::Job {
                state: JobState::Published,
                review: None,
            },
        ),
    ];
    assert!(off_platform(Received, &services).is_empty());
    assert_eq!(
        off_platform(UnderReview, &services),
        [ServiceType::EnvironmentalImpact]
    );
    assert_eq!(
        off_platform(Approved, &services),
        [ServiceType::EnvironmentalImpact]
    );
}

#[test]
fn a_case_runs_from_received_through_correction_to_approval() {
    assert_eq!(
        replay(&[Received, UnderReview, Correction, UnderReview, Approved]),
        Ok(Approved)
    );
    assert_eq!(replay(&[Received, Denied]), Ok(Denied));
}

#[test]
fn a_concluded_case_does_not_move_again() {
    for concluded in [Approved, Denied] {
        for next in CaseStatus::ALL {
            assert!(
                !next.may_follow(Some(concluded)),
                "{concluded:?} → {next:?}"
            );
        }
    }
}

#[test]
fn a_history_must_start_with_received_and_names_the_bad_step() {
    assert_eq!(
        replay(&[UnderReview]),
        Err(CaseHistoryError::MustStartReceived)
    );
    assert_eq!(replay(&[]), Err(CaseHistoryError::MustStartReceived));
    let error = replay(&[Received, Approved]).unwrap_err();
    assert_eq!(error.to_string(), "办件状态不能从“受理”变为“办结:准予”");
}

#[test]
fn every_status_code_round_trips() {
    for status in CaseStatus::ALL {
        assert_eq!(CaseStatus::parse(status.code()), Some(status));
    }
    assert_eq!(CaseStatus::parse("pending"), None);
}

#[test]
fn every_catalogue_item_requires_at_least_one_service_and_codes_are_unique() {
    let catalogue = default_catalogue();
    let mut codes: Vec<_> = catalogue.iter().map(|i| i.code.as_str()).collect();
    codes.sort_unstable();
    codes.dedup();
    assert_eq!(codes.len(), catalogue.len());
    assert!(catalogue.iter().all(|i| !i.required_services.is_empty()));
    let eia = catalogue.iter().find(|i| i.code == "eia_approval").unwrap();
    assert_eq!(eia.required_services, [ServiceType::EnvironmentalImpact]);
}

#[test]
fn events_are_read_from_the_integration_wire_shape() {
    let status: CaseEventRequest = serde_json::from_str(
        r#"{"event_id":"evt-1","at":"2026-12-01T09:00:00+08:00","kind":"status","status":"under_review"}"#,
    )
    .unwrap();
    assert_eq!(
        status.kind,
        CaseEventKind::Status {
            status: UnderReview
        }
    );
    assert!(status.check().is_ok());
    let review: CaseEventRequest = serde_json::from_str(
        r#"{"event_id":"evt-2","at":"2026-12-02T09:00:00Z","kind":"technical_review","service_type":"env_impact","result":"returned","note":""}"#,
    )
    .unwrap();
    let fields: Vec<_> = review
        .check()
        .unwrap_err()
        .into_iter()
        .map(|e| e.field)
        .collect();
    assert_eq!(fields, ["note"]);
}

#[test]
fn malformed_ids_and_times_are_named() {
    let bad = CaseEventRequest {
        event_id: "evt 1; drop".into(),
        at: "yesterday".into(),
        kind: CaseEventKind::Status { status: Received },
        note: String::new(),
    };
    let fields: Vec<_> = bad
        .check()
        .unwrap_err()
        .into_iter()
        .map(|e| e.field)
        .collect();
    assert_eq!(fields, ["event_id", "at"]);
}
