//! The closing-day load `scripts/bench` measures: N agencies bid on one job in the 2 s before its
//! deadline and some more just after it, against a real `market-server` process. Prints what was
//! acknowledged, what the database holds afterwards, duplicates, late bids refused and latency.
//! With `--kill-at-ms` the server is killed with SIGKILL in the middle of the burst instead, then
//! the database is checked for every acknowledged bid and the restart is timed.
//!
//! Usage: deadline_burst --server target/release/market-server --dist dist [--agencies 1000]
//!        [--late 100] [--kill-at-ms 1000] [--port 18400] [--work DIR]

use market_domain::fee::{FeeStandardDraft, PricingModelDraft};
use market_domain::job::JobDraft;
use market_domain::listing::{ListingDraft, QualificationDraft};
use market_domain::selection::SelectionMethod;
use market_domain::wire::{BidRequest, JobView};
use market_domain::Role;
use market_server::auth::session::{new_token, token_hash};
use market_server::store::sqlite::SqliteStore;
use market_server::store::{NewAgency, NewUser, Organization, Store};
use rand::{Rng, SeedableRng};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};
use time::OffsetDateTime;

const WAN: i64 = 1_000_000;
/// Bids are spread over this window before the deadline.
const WINDOW_MS: u64 = 2_000;
/// Late bids arrive within this long after the deadline.
const LATE_WINDOW_MS: u64 = 500;

struct Args {
    server: PathBuf,
    dist: PathBuf,
    agencies: usize,
    late: usize,
    kill_at_ms: Option<u64>,
    port: u16,
    work: PathBuf,
}

fn args() -> Args {
    let mut args = Args {
        server: "target/release/market-server".into(),
        dist: "dist".into(),
        agencies: 1_000,
        late: 100,
        kill_at_ms: None,
        port: 18_400,
        work: std::env::temp_dir().join("market-deadline-burst"),
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().unwrap_or_else(|| panic!("{flag} needs a value"));
        match flag.as_str() {
            "--server" => args.server = value.into(),
            "--dist" => args.dist = value.into(),
            "--agencies" => args.agencies = value.parse().expect("--agencies N"),
            "--late" => args.late = value.parse().expect("--late N"),
            "--kill-at-ms" => args.kill_at_ms = Some(value.parse().expect("--kill-at-ms MS")),
            "--port" => args.port = value.parse().expect("--port N"),
            "--work" => args.work = value.into(),
            other => panic!("unknown argument {other}"),
        }
    }
    args
}

fn credit_code(n: usize) -> String {
    let body = format!("91539902MB{:07}", 2_000_000 + n);
    let check = market_domain::CreditCode::check_character(&body).expect("valid body");
    format!("{body}{check}")
}

fn listing(n: usize) -> ListingDraft {
    ListingDraft {
        name: format!("云州压测{n}号环境科技有限公司"),
        credit_code: credit_code(n),
        legal_representative: "张志强".into(),
        contact_person: "李海燕".into(),
        phone: format!("0870-62{n:05}"),
        email: format!("burst{n}@example.cn"),
        address: format!("云州市云湖区滨湖路 {} 号", 100 + n),
        district: "yunhu".into(),
        description: "专业从事环境影响评价十余年。".into(),
        service_types: vec!["env_impact".into()],
        qualifications: vec![QualificationDraft {
            name: "环境影响评价编制单位信用平台登记".into(),
            number: format!("EB2024-{n:05}"),
            level: "已登记".into(),
            authority: "生态环境部".into(),
            issued_on: "2024-01-01".into(),
            expires_on: "2029-01-01".into(),
            service_types: vec!["env_impact".into()],
        }],
        staff_count: 20,
        service_commitment: "严格执行公示收费标准,按期提交成果。".into(),
        fee_standards: vec![FeeStandardDraft {
            service_type: "env_impact".into(),
            basis: "market_regulated".into(),
            model: PricingModelDraft::Fixed { price: 10 * WAN },
            max_discount_bp: 2_000,
            effective_from: "2026-01-01".into(),
        }],
    }
}

/// The accounts, written straight into a fresh database before the server starts: signing
/// 1,000 agencies up through the API would measure Argon2, not the closing day.
async fn prepare(data: &Path, agencies: usize) -> (i64, Vec<i64>) {
    let store: Arc<dyn Store> = Arc::new(SqliteStore::open(data).expect("open store"));
    let hash = market_server::auth::password::hash("burst password".into())
        .await
        .expect("hash");
    let now = OffsetDateTime::now_utc();
    let enterprise = store
        .create_user(NewUser {
            username: "burst_enterprise".into(),
            password_hash: hash.clone(),
            role: Role::Enterprise,
            organization: Organization {
                name: "云州压测建设集团有限公司".into(),
                credit_code: Some(credit_code(0)),
                contact_person: None,
                phone: None,
                email: None,
            },
            agency: None,
            created_at: now,
        })
        .await
        .expect("enterprise");
    let mut users = Vec::with_capacity(agencies);
    for n in 1..=agencies {
        let draft = listing(n);
        let parsed = draft.parse().expect("valid listing");
        users.push(
            store
                .create_user(NewUser {
                    username: format!("burst_agency_{n}"),
                    password_hash: hash.clone(),
                    role: Role::Agency,
                    organization: Organization {
                        name: draft.name.clone(),
                        credit_code: Some(draft.credit_code.clone()),
                        contact_person: None,
                        phone: None,
                        email: None,
                    },
                    agency: Some(NewAgency::from_listing(&parsed)),
                    created_at: now,
                })
                .await
                .expect("agency"),
        );
    }
    (enterprise, users)
}

/// Sessions begin at the server's (test) clock, which the burst has moved to the deadline.
async fn sessions(data: &Path, users: &[i64], at: OffsetDateTime) -> Vec<String> {
    let store: Arc<dyn Store> = Arc::new(SqliteStore::open(data).expect("open store"));
    let mut tokens = Vec::with_capacity(users.len());
    for user in users {
        let token = new_token();
        store
            .create_session(token_hash(&token), *user, at, "127.0.0.1")
            .await
            .expect("session");
        tokens.push(token);
    }
    tokens
}

fn start_server(args: &Args, data: &Path) -> Child {
    Command::new(&args.server)
        .args(["serve", "--test-clock", "--no-demo", "--addr"])
        .arg(format!("127.0.0.1:{}", args.port))
        .arg("--data-dir")
        .arg(data)
        .arg("--dist")
        .arg(&args.dist)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start market-server")
}

/// How long until the server answers its health check.
async fn wait_healthy(client: &reqwest::Client, base: &str) -> Duration {
    let started = Instant::now();
    loop {
        if let Ok(response) = client.get(format!("{base}/api/health")).send().await {
            if response.status().is_success() {
                return started.elapsed();
            }
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "server did not start"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

fn with_session(request: reqwest::RequestBuilder, token: &str) -> reqwest::RequestBuilder {
    request
        .header("cookie", format!("market_session={token}"))
        .header("x-requested-with", "market-app")
}

async fn server_now(client: &reqwest::Client, base: &str) -> OffsetDateTime {
    let clock: serde_json::Value = client
        .get(format!("{base}/api/test/clock"))
        .send()
        .await
        .expect("clock")
        .json()
        .await
        .expect("clock json");
    OffsetDateTime::parse(
        clock["now"].as_str().expect("now"),
        &time::format_description::well_known::Rfc3339,
    )
    .expect("rfc3339")
}

async fn advance(client: &reqwest::Client, base: &str, seconds: i64) {
    let response = with_session(client.post(format!("{base}/api/test/clock")), "")
        .json(&serde_json::json!({ "seconds": seconds }))
        .send()
        .await
        .expect("advance");
    assert!(
        response.status().is_success(),
        "advance: {}",
        response.status()
    );
}

fn job_draft(deadline: OffsetDateTime) -> JobDraft {
    let deadline = deadline
        .format(&time::format_description::well_known::Rfc3339)
        .expect("format");
    JobDraft {
        project_code: "2026-539902-48-01-000321".into(),
        project_name: "云州市滨湖片区污水处理厂提标改造工程".into(),
        approval_item: "建设项目环境影响评价审批".into(),
        approving_department: "云州市生态环境局".into(),
        service_type: "env_impact".into(),
        scope: "编制建设项目环境影响报告表,配合技术评审并按意见修改至通过。".into(),
        investment: Some(8_000 * WAN),
        quantity_milli: None,
        budget_ceiling: 15 * WAN,
        fiscal_percent: 100,
        required_qualifications: vec![],
        avoidance: vec![],
        selection: SelectionMethod::LowestPrice,
        deadline,
        min_bidders: 3,
        publicity_days: 5,
        contact_person: "王建国".into(),
        contact_phone: "0870-6123456".into(),
    }
}

struct Outcome {
    late: bool,
    status: Option<u16>,
    code: String,
    latency: Duration,
}

#[tokio::main]
async fn main() {
    let args = args();
    let _ = std::fs::remove_dir_all(&args.work);
    let data = args.work.join("data");
    let (enterprise, agencies) = prepare(&data, args.agencies + args.late).await;
    let base = format!("http://127.0.0.1:{}", args.port);
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(2_000)
        .timeout(Duration::from_secs(30))
        .build()
        .expect("client");
    let mut server = start_server(&args, &data);
    wait_healthy(&client, &base).await;

    // The job closes at 09:00 a week from the server's today; the clock then jumps to 2 s before.
    let now = server_now(&client, &base).await;
    let deadline = (now + time::Duration::days(7))
        .to_offset(time::macros::offset!(+8))
        .replace_time(time::macros::time!(09:00));
    let owner = sessions(&data, &[enterprise], now).await.remove(0);
    let created: JobView = with_session(client.post(format!("{base}/api/jobs")), &owner)
        .json(&job_draft(deadline))
        .send()
        .await
        .expect("create job")
        .json()
        .await
        .expect("job");
    let published = with_session(
        client.post(format!("{base}/api/jobs/{}/publish", created.id)),
        &owner,
    )
    .send()
    .await
    .expect("publish");
    assert!(
        published.status().is_success(),
        "publish: {}",
        published.status()
    );
    advance(&client, &base, (deadline - now).whole_seconds() - 2).await;
    let at = server_now(&client, &base).await;
    let tokens = sessions(&data, &agencies, at).await;

    // Each agency's moment in the window, fixed by the seed so runs compare.
    let mut rng = rand::rngs::StdRng::seed_from_u64(20_261_206);
    let plan: Vec<(u64, bool)> = (0..tokens.len())
        .map(|i| {
            if i < args.agencies {
                (rng.gen_range(0..WINDOW_MS), false)
            } else {
                (WINDOW_MS + rng.gen_range(50..LATE_WINDOW_MS), true)
            }
        })
        .collect();
    let path = format!("{base}/api/jobs/{}/bids", created.id);
    let start = tokio::time::Instant::now();
    let mut tasks = Vec::with_capacity(tokens.len());
    for (token, (offset, late)) in tokens.into_iter().zip(plan) {
        let (client, path) = (client.clone(), path.clone());
        tasks.push(tokio::spawn(async move {
            tokio::time::sleep_until(start + Duration::from_millis(offset)).await;
            let bid = BidRequest {
                price: 9 * WAN,
                service_days: 45,
                commitment: "按期提交报告,通过技术评审。".into(),
                proposal: "现场踏勘、监测布点、预测评价、编制报告表。".into(),
            };
            let sent = Instant::now();
            let response = with_session(client.post(&path), &token)
                .json(&bid)
                .send()
                .await;
            let (status, code) = match response {
                Ok(response) => {
                    let status = response.status().as_u16();
                    let body = response.text().await.unwrap_or_default();
                    let code = serde_json::from_str::<serde_json::Value>(&body)
                        .ok()
                        .and_then(|v| v["error"]["code"].as_str().map(str::to_owned))
                        .unwrap_or_default();
                    (Some(status), code)
                }
                Err(_) => (None, String::new()),
            };
            Outcome {
                late,
                status,
                code,
                latency: sent.elapsed(),
            }
        }));
    }
    let killed = Arc::new(std::sync::Mutex::new(None::<Instant>));
    match args.kill_at_ms {
        None => {
            // The clock follows real time in whole seconds, as the deadline watch would see it.
            for _ in 0..2 {
                tokio::time::sleep(Duration::from_millis(1_000)).await;
                advance(&client, &base, 1).await;
            }
        }
        Some(ms) => {
            tokio::time::sleep(Duration::from_millis(ms)).await;
            server.kill().expect("kill -9");
            *killed.lock().unwrap() = Some(Instant::now());
        }
    }
    let mut outcomes = Vec::with_capacity(tasks.len());
    for task in tasks {
        outcomes.push(task.await.expect("bid task"));
    }
    let acknowledged: Vec<usize> = outcomes
        .iter()
        .enumerate()
        .filter(|(_, o)| o.status == Some(201))
        .map(|(i, _)| i)
        .collect();

    let restart = if args.kill_at_ms.is_some() {
        server.wait().expect("reap");
        let started = Instant::now();
        server = start_server(&args, &data);
        wait_healthy(&client, &base).await;
        Some(started.elapsed())
    } else {
        None
    };
    // What the database holds, read after the burst (after the restart, when killed).
    let store: Arc<dyn Store> = Arc::new(SqliteStore::open(&data).expect("open store"));
    let stored = store.bids(created.id).await.expect("bids");
    let _ = server.kill();
    let _ = server.wait();
    let mut seen = HashSet::new();
    let duplicates = stored.iter().filter(|b| !seen.insert(b.agency_id)).count();
    let agency_ids: Vec<i64> = {
        let mut ids = Vec::with_capacity(agencies.len());
        for user in &agencies {
            ids.push(
                store
                    .agency_of_owner(*user)
                    .await
                    .expect("agency")
                    .expect("agency"),
            );
        }
        ids
    };
    let lost = acknowledged
        .iter()
        .filter(|i| !seen.contains(&agency_ids[**i]))
        .count();
    let late_sent = outcomes.iter().filter(|o| o.late).count();
    let late_refused = outcomes
        .iter()
        .filter(|o| o.late && o.status == Some(409) && o.code == "deadline_passed")
        .count();
    let late_stored = outcomes
        .iter()
        .enumerate()
        .filter(|(i, o)| o.late && seen.contains(&agency_ids[*i]))
        .count();
    let mut latencies: Vec<Duration> = outcomes
        .iter()
        .filter(|o| o.status.is_some())
        .map(|o| o.latency)
        .collect();
    latencies.sort();
    let pct = |p: f64| -> f64 {
        if latencies.is_empty() {
            return 0.0;
        }
        let i = ((latencies.len() as f64 * p).ceil() as usize).clamp(1, latencies.len()) - 1;
        latencies[i].as_secs_f64() * 1000.0
    };
    let mut others: Vec<String> = outcomes
        .iter()
        .filter(|o| !(o.status == Some(201) || o.late && o.status == Some(409)))
        .map(|o| match o.status {
            Some(s) => format!("{s} {}", o.code),
            None => "no answer".into(),
        })
        .collect();
    others.sort();
    others.dedup();

    let label = match args.kill_at_ms {
        None => "deadline burst".to_owned(),
        Some(ms) => format!("deadline burst, kill -9 at {ms} ms"),
    };
    println!(
        "{label}: {} bids in the {} ms before the deadline, {} in the {} ms after",
        args.agencies, WINDOW_MS, args.late, LATE_WINDOW_MS
    );
    println!("  acknowledged (201)      {}", acknowledged.len());
    println!("  stored                  {}", stored.len());
    println!("  lost (acknowledged, not stored) {lost}");
    println!("  duplicates              {duplicates}");
    println!(
        "  late refused            {late_refused} of {late_sent} (late stored: {late_stored})"
    );
    println!(
        "  latency ms              p50 {:.1}  p95 {:.1}  p99 {:.1}  max {:.1}  ({} answered)",
        pct(0.50),
        pct(0.95),
        pct(0.99),
        pct(1.0),
        latencies.len()
    );
    if !others.is_empty() {
        println!("  other answers           {}", others.join(", "));
    }
    if let Some(restart) = restart {
        println!("  restart to healthy      {:.2} s", restart.as_secs_f64());
    }
    let ok = lost == 0
        && duplicates == 0
        && late_stored == 0
        && (args.kill_at_ms.is_some() || late_refused == late_sent);
    if !ok {
        println!("  FAILED: acknowledged bids lost, duplicated or late bids stored");
        std::process::exit(1);
    }
}
