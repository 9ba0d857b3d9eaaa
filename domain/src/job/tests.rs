use super::*;
use proptest::prelude::*;

#[test]
fn only_a_published_job_before_its_deadline_takes_bids() {
    for state in JobState::ALL {
        assert_eq!(
            state.takes_bids(Some(100), 99),
            state == JobState::Published,
            "{state:?}"
        );
        assert!(
            !state.takes_bids(Some(100), 100),
            "{state:?} at the deadline"
        );
        assert!(!state.takes_bids(None, 0), "{state:?} without a deadline");
        assert_eq!(
            state.opening_due(Some(100), 100),
            state == JobState::Published,
            "{state:?}"
        );
        assert!(!state.opening_due(Some(100), 99));
    }
}

#[test]
fn bids_stay_sealed_for_drafts_open_and_cancelled_jobs_only() {
    let sealed: Vec<JobState> = JobState::ALL
        .into_iter()
        .filter(|s| !s.bids_opened())
        .collect();
    // server/src/store/sqlite/jobs_sql.rs PUBLIC_BID_COUNT lists the same three.
    assert_eq!(
        sealed,
        [JobState::Draft, JobState::Published, JobState::Cancelled]
    );
}

#[test]
fn an_english_reader_gets_the_event_name_and_no_chinese_detail() {
    let line = JobEvent::Delivered.line("提交成果,报告编号 A-1", Locale::En);
    assert_eq!(line, "Work delivered");
    assert_eq!(
        JobEvent::Delivered.line("提交成果,报告编号 A-1", Locale::ZhCn),
        "提交成果,报告编号 A-1"
    );
    assert_eq!(JobEvent::Created.line("", Locale::ZhCn), "创建草稿");
    for event in JobEvent::ALL {
        assert!(
            event.name(Locale::En).is_ascii(),
            "{event:?} has an English name"
        );
    }
}

#[test]
fn the_happy_path_runs_from_draft_to_rated() {
    use JobAction::*;
    let steps = [
        (Publish, Actor::Enterprise),
        (Open, Actor::System),
        (Award, Actor::Enterprise),
        (ConfirmContract, Actor::Agency),
        (Deliver, Actor::Agency),
        (ReturnDelivery, Actor::Enterprise),
        (Deliver, Actor::Agency),
        (Accept, Actor::Enterprise),
        (Rate, Actor::Enterprise),
    ];
    let end = steps
        .iter()
        .try_fold(JobState::Draft, |state, (action, actor)| {
            state.apply(*action, *actor)
        })
        .unwrap();
    assert_eq!(end, JobState::Rated);
}

#[test]
fn the_wrong_party_is_refused() {
    assert_eq!(
        JobState::Contracted.apply(JobAction::Deliver, Actor::Enterprise),
        Err(TransitionError::WrongActor)
    );
    assert_eq!(
        JobState::Published.apply(JobAction::Open, Actor::Enterprise),
        Err(TransitionError::WrongActor)
    );
    assert_eq!(
        JobState::Draft.apply(JobAction::Open, Actor::System),
        Err(TransitionError::NotAllowedInState)
    );
}

#[test]
fn state_codes_are_the_api_names() {
    let codes: Vec<_> = JobState::ALL.iter().map(|s| s.code()).collect();
    assert_eq!(
        codes,
        [
            "draft",
            "published",
            "evaluating",
            "publicity",
            "contracted",
            "delivered",
            "accepted",
            "rated",
            "unsuccessful",
            "cancelled"
        ]
    );
    for state in JobState::ALL {
        assert_eq!(JobState::parse(state.code()), Some(state));
    }
}

fn actor() -> impl Strategy<Value = Actor> {
    prop_oneof![
        Just(Actor::Enterprise),
        Just(Actor::Agency),
        Just(Actor::Regulator),
        Just(Actor::System)
    ]
}

proptest! {
    #[test]
    fn random_transitions_never_reach_a_forbidden_state(
        steps in proptest::collection::vec((0usize..JobAction::ALL.len(), actor()), 0..60)
    ) {
        let mut state = JobState::Draft;
        let mut history = vec![state];
        for (index, actor) in steps {
            let action = JobAction::ALL[index];
            let before = state;
            match state.apply(action, actor) {
                Ok(next) => {
                    // Nothing leaves a terminal state, and nobody returns to a draft.
                    prop_assert!(!before.is_terminal());
                    prop_assert_ne!(next, JobState::Draft);
                    // Regulators never drive a job.
                    prop_assert_ne!(actor, Actor::Regulator);
                    // No contract without an award in publicity, no rating without acceptance.
                    if next == JobState::Contracted {
                        prop_assert!(matches!(before, JobState::Publicity | JobState::Delivered));
                    }
                    if next == JobState::Rated {
                        prop_assert_eq!(before, JobState::Accepted);
                    }
                    if next == JobState::Publicity {
                        prop_assert!(history.contains(&JobState::Evaluating));
                    }
                    state = next;
                    history.push(state);
                }
                Err(_) => prop_assert_eq!(state, before),
            }
        }
    }
}
