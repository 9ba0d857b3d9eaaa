//! The directory's own search index against SQL `LIKE` over a generated 10,000-agency data
//! set: the same agencies for 1-, 2- and 4-character terms, before and after an approval, a
//! suspension and qualifications expiring.

use crate::helpers::{json, spawn_app_in, Options, TestApp};
use market_domain::account::Role;
use market_domain::wire::{AgencySummary, Page};
use market_server::generate::{generate, Scale};
use market_server::store::{AccountStore, AgencyStore, NewUser, Organization, SqliteStore};
use reqwest::StatusCode;
use std::collections::BTreeSet;
use time::macros::datetime;
use time::{Duration, OffsetDateTime};

const AS_OF: OffsetDateTime = datetime!(2026-11-27 00:00 +08:00);
const REGULATOR: (&str, &str) = ("gen_regulator", "Jianguan@2026scale");
const TERMS: [&str; 6] = ["环", "测绘", "环评", "环境", "技术咨询", "滇中环评"];

/// The 10,000 generated agencies, plus a regulator and one agency's renamed listing awaiting
/// review (its version id).
async fn generated_set(dir: &std::path::Path) -> i64 {
    let store = SqliteStore::open_bulk(dir).expect("open");
    let scale = Scale {
        agencies: 10_000,
        jobs: 40,
        seed: 5,
    };
    generate(&store, scale, AS_OF, |_| {})
        .await
        .expect("generate");
    store.finish_bulk().expect("commit");
    drop(store);
    let store = SqliteStore::open(dir).expect("open");
    let regulator = store
        .create_user(NewUser {
            username: REGULATOR.0.into(),
            password_hash: market_server::auth::password::hash(REGULATOR.1.into())
                .await
                .unwrap(),
            role: Role::Regulator,
            organization: Organization {
                name: "云州市发展和改革委员会".into(),
                credit_code: None,
                contact_person: None,
                phone: None,
                email: None,
            },
            agency: None,
            created_at: AS_OF,
        })
        .await
        .unwrap();
    let mut draft = store.agency_as_draft(17).await.unwrap().unwrap();
    draft.name = "滇中环评测绘技术有限公司".into();
    store
        .submit_listing(17, regulator, draft, AS_OF)
        .await
        .unwrap()
        .id
}

/// Every agency the API lists for `query`, following `next` to the end.
async fn listed(app: &TestApp, query: &str) -> (Vec<i64>, u64) {
    let mut ids = Vec::new();
    let mut after = String::new();
    loop {
        let page: Page<AgencySummary> = json(
            app.get(&format!("/api/agencies?per_page=100&{query}{after}"))
                .await,
        )
        .await;
        ids.extend(page.items.iter().map(|a| a.id));
        match page.next {
            Some(next) => after = format!("&after={next}"),
            None => return (ids, page.total),
        }
    }
}

/// The same search as SQL: approved, not suspended today, offering `service` today if given,
/// and the term anywhere in the name or the description. Plain SQL, the same on both backends.
async fn like(app: &TestApp, term: &str, service: Option<&str>) -> BTreeSet<i64> {
    use crate::helpers::quoted;
    use market_server::clock::Clock;
    let today = quoted(&market_server::clock::city_date(app.clock.now()).to_string());
    let service = service.map_or("NULL".to_owned(), quoted);
    let pattern = quoted(&format!("%{term}%"));
    let sql = format!(
        "SELECT a.id FROM agencies a
         WHERE a.listing_status = 'approved'
           AND NOT EXISTS (SELECT 1 FROM suspensions x WHERE x.agency_id = a.id
               AND x.lifted_at IS NULL AND x.starts_on <= {today} AND x.ends_on >= {today})
           AND ({service} IS NULL OR EXISTS (SELECT 1 FROM agency_service_types s
               WHERE s.agency_id = a.id AND s.service_type = {service}
                 AND (NOT EXISTS (SELECT 1 FROM qualification_services q
                          WHERE q.agency_id = a.id AND q.service_type = {service})
                      OR EXISTS (SELECT 1 FROM qualification_services q
                          WHERE q.agency_id = a.id AND q.service_type = {service}
                            AND q.expires_on >= {today}))))
           AND (a.name LIKE {pattern} OR a.description LIKE {pattern})"
    );
    crate::helpers::ids_behind_the_back(app, &sql, &sql).await
}

async fn search_agrees_with_like(app: &TestApp, service: Option<&str>) {
    for term in TERMS {
        let encoded = market_domain::wire::percent_encode(term);
        let query = match service {
            Some(code) => format!("q={encoded}&service_type={code}"),
            None => format!("q={encoded}"),
        };
        let (ids, total) = listed(app, &query).await;
        let unique: BTreeSet<i64> = ids.iter().copied().collect();
        assert_eq!(unique.len(), ids.len(), "{term}: an agency listed twice");
        assert_eq!(
            ids.len() as u64,
            total,
            "{term}: the total counts the matches"
        );
        assert_eq!(unique, like(app, term, service).await, "{term} {service:?}");
    }
}

#[tokio::test]
async fn search_finds_exactly_what_like_finds_through_approval_suspension_and_expiry() {
    let dir = crate::helpers::sqlite_dir();
    let version = generated_set(dir.path()).await;
    // The generator writes SQLite; on a PostgreSQL run the set moves there as a city's would.
    let dir = if crate::helpers::postgres_backend() {
        let db = crate::helpers::postgres_database().await.keep();
        market_server::migrate::sqlite_to_postgres(dir.path(), &db)
            .await
            .expect("migrate");
        let moved = tempfile::tempdir().unwrap();
        std::fs::write(moved.path().join("postgres-url"), db).unwrap();
        moved
    } else {
        dir
    };
    let app = spawn_app_in(dir, Options { demo: false }).await;
    // 1-, 2- and 4-character terms each match many agencies, one term none yet.
    for (term, least) in [("环", 500), ("测绘", 200), ("技术咨询", 200)] {
        assert!(like(&app, term, None).await.len() > least, "{term}");
    }
    assert!(like(&app, "滇中环评", None).await.is_empty());
    search_agrees_with_like(&app, None).await;

    let regulator = app.signed_in(REGULATOR).await;
    let decided = app
        .post_as(
            &regulator,
            &format!("/api/review/versions/{version}/decision"),
            &serde_json::json!({"decision": "approve", "reason": "更名材料齐全"}),
        )
        .await;
    assert_eq!(decided.status(), StatusCode::OK);
    assert_eq!(
        listed(&app, "q=%E6%BB%87%E4%B8%AD%E7%8E%AF%E8%AF%84")
            .await
            .0,
        [17]
    );
    search_agrees_with_like(&app, None).await;

    let (surveyors, _) = listed(&app, "q=%E6%B5%8B%E7%BB%98").await;
    for id in &surveyors[..3] {
        let response = app
            .post_as(
                &regulator,
                &format!("/api/agencies/{id}/suspensions"),
                &serde_json::json!({"reason": "出具虚假测绘报告,经查属实", "starts_on": "2026-11-28", "ends_on": "2027-11-27", "blacklist": false}),
            )
            .await;
        assert_eq!(response.status(), StatusCode::CREATED);
    }
    let (after, _) = listed(&app, "q=%E6%B5%8B%E7%BB%98").await;
    assert!(surveyors[..3].iter().all(|id| !after.contains(id)));
    search_agrees_with_like(&app, None).await;

    // Qualifications run out over the year: services they cover leave the directory at midnight.
    let before = like(&app, "环境", Some("env_impact")).await.len();
    app.clock.advance(Duration::days(200));
    assert!(like(&app, "环境", Some("env_impact")).await.len() < before);
    search_agrees_with_like(&app, Some("env_impact")).await;
    search_agrees_with_like(&app, None).await;
}

#[tokio::test]
async fn each_card_shows_the_credit_score_and_rating_of_the_agency_s_own_page() {
    let app = crate::helpers::spawn_app().await;
    let agencies = app.all_agencies().await;
    assert!(agencies
        .iter()
        .any(|a| a.credit_score != 80 || a.ratings > 0));
    for agency in agencies {
        let record: market_domain::credit::CreditRecord = json(
            app.get(&format!("/api/agencies/{}/credit", agency.id))
                .await,
        )
        .await;
        assert_eq!(
            (
                agency.credit_score,
                agency.credit_grade,
                agency.ratings,
                agency.average_hundredths
            ),
            (
                record.score.score,
                record.score.grade,
                record.ratings,
                record.average_hundredths
            ),
            "{}",
            agency.name
        );
    }
}

/// Every job `/api/jobs` lists for `query`, following `next` to the end.
async fn listed_jobs(app: &TestApp, client: &reqwest::Client, query: &str) -> (Vec<i64>, u64) {
    let mut ids = Vec::new();
    let mut after = String::new();
    loop {
        let page: Page<market_domain::wire::JobSummary> = json(
            app.get_as(client, &format!("/api/jobs?per_page=7&{query}{after}"))
                .await,
        )
        .await;
        ids.extend(page.items.iter().map(|j| j.id));
        match page.next {
            Some(next) => after = format!("&after={next}"),
            None => return (ids, page.total),
        }
    }
}

#[tokio::test]
async fn notices_search_names_scopes_and_owners_exactly_as_like_does() {
    let app = crate::helpers::spawn_app().await;
    let like = |term: &str| {
        let pattern = crate::helpers::quoted(&format!("%{term}%"));
        let sqlite = format!(
            "SELECT j.id FROM jobs j JOIN users u ON u.id = j.enterprise_user_id
             WHERE j.state <> 'draft' AND (json_extract(j.content, '$.project_name') LIKE {pattern}
                OR json_extract(j.content, '$.scope') LIKE {pattern}
                OR u.organization_name LIKE {pattern})"
        );
        let postgres = format!(
            "SELECT j.id FROM jobs j JOIN users u ON u.id = j.enterprise_user_id
             WHERE j.state <> 'draft' AND ((j.content::jsonb ->> 'project_name') LIKE {pattern}
                OR (j.content::jsonb ->> 'scope') LIKE {pattern}
                OR u.organization_name LIKE {pattern})"
        );
        let app = &app;
        async move { crate::helpers::ids_behind_the_back(app, &sqlite, &postgres).await }
    };
    let anonymous = crate::helpers::new_client();
    for term in ["测", "环评", "测绘", "钢铁", "建设项目", "没有这个词"] {
        let (ids, total) = listed_jobs(
            &app,
            &anonymous,
            &format!("q={}", market_domain::wire::percent_encode(term)),
        )
        .await;
        assert_eq!(ids.len() as u64, total, "{term}");
        assert_eq!(
            ids.iter().copied().collect::<BTreeSet<_>>(),
            like(term).await,
            "{term}"
        );
    }
    // Cursors reach every public job once, newest first.
    let (all, total) = listed_jobs(&app, &anonymous, "").await;
    assert_eq!(all.len() as u64, total);
    assert_eq!(all.iter().collect::<BTreeSet<_>>().len(), all.len());

    // `mine=1`: an enterprise's own jobs, drafts included; signed out it is refused.
    let enterprise = app.signed_in(crate::helpers::ENTERPRISE).await;
    let (mine, _) = listed_jobs(&app, &enterprise, "mine=1").await;
    let owned: market_domain::wire::MyJobs =
        json(app.get_as(&enterprise, "/api/my/jobs").await).await;
    assert_eq!(owned.owned_total, mine.len() as u64);
    assert_eq!(
        owned.owned.iter().map(|j| j.id).collect::<Vec<_>>(),
        mine[..owned.owned.len()]
    );
    assert!(owned
        .owned
        .iter()
        .any(|j| j.state == market_domain::job::JobState::Draft));
    let refused = app.get("/api/jobs?mine=1").await;
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
    crate::helpers::assert_error(
        app.get("/api/jobs?after=nope").await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "bad_cursor",
    )
    .await;
}
