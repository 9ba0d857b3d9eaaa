//! `market-server`: serve the marketplace, or administer accounts.

use clap::{Parser, Subcommand};
use market_domain::{CreditCode, Email, Password, Phone, Role, Username};
use market_server::auth::{create_account, NewAccount};
use market_server::store::{Organization, PgStore, SqliteStore};
use market_server::{shutdown_signal, Application, Config};
use std::io::BufRead;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use tracing_subscriber::EnvFilter;

mod sqlite_alloc;

#[derive(Parser)]
#[command(
    name = "market-server",
    version,
    about = "中介超市 API and static file server"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the API and the built app.
    Serve {
        #[arg(long, env = "MARKET_ADDR", default_value = "127.0.0.1:8080")]
        addr: SocketAddr,
        #[arg(long, env = "MARKET_DATA_DIR", default_value = "./data")]
        data_dir: PathBuf,
        /// Serve from PostgreSQL (postgres://user@host:port/database) instead of the SQLite
        /// database in the data folder; several instances may share one.
        #[arg(long, env = "MARKET_DATABASE_URL", hide_env_values = true)]
        database_url: Option<String>,
        #[arg(long, env = "MARKET_DIST", default_value = "./dist")]
        dist: PathBuf,
        /// Start without demo data (for real use). Only matters on the first start.
        #[arg(long, env = "MARKET_NO_DEMO")]
        no_demo: bool,
        /// Clients reach the server over TLS: mark cookies `Secure` with the `__Host-` prefix.
        #[arg(long, env = "MARKET_TLS_COOKIES")]
        tls_cookies: bool,
        /// Testing only: time stands still unless `POST /api/test/clock` moves it forward.
        #[arg(long, env = "MARKET_TEST_CLOCK", hide = true)]
        test_clock: bool,
        /// The address the public reaches this server at, for absolute links in open data
        /// (e.g. https://zjcs.yunzhou.gov.cn). Defaults to http://<addr>.
        #[arg(long, env = "MARKET_PUBLIC_URL")]
        public_url: Option<String>,
        /// Take a verified backup of the SQLite database into this folder on a schedule
        /// (PostgreSQL deployments use pg_dump or archiving instead).
        #[arg(long, env = "MARKET_BACKUP_DIR")]
        backup_dir: Option<PathBuf>,
        /// Hours between scheduled backups.
        #[arg(long, env = "MARKET_BACKUP_EVERY_HOURS", default_value_t = 24, value_parser = clap::value_parser!(u64).range(1..))]
        backup_every_hours: u64,
        /// Scheduled backups kept in the backup folder; older ones are removed.
        #[arg(long, env = "MARKET_BACKUP_KEEP", default_value_t = 14, value_parser = clap::value_parser!(u64).range(1..))]
        backup_keep: u64,
        /// Days the audit log is kept (at least 180, as 等保 2.0 level 3 asks; it may only be
        /// longer).
        #[arg(long, env = "MARKET_AUDIT_RETENTION_DAYS", default_value_t = market_server::audit::MIN_RETENTION_DAYS, value_parser = clap::value_parser!(u32).range(i64::from(market_server::audit::MIN_RETENTION_DAYS)..))]
        audit_retention_days: u32,
        /// State-changing requests one account may make at once; past it, two a second.
        #[arg(long, env = "MARKET_WRITE_BURST", default_value_t = market_server::http::rate::BURST, value_parser = clap::value_parser!(u32).range(1..))]
        write_burst: u32,
    },
    /// Copy the SQLite database to FILE while the server keeps serving, then verify the copy
    /// (integrity check, row counts, every job's hash chain).
    Backup {
        #[arg(long)]
        to: PathBuf,
        #[arg(long, env = "MARKET_DATA_DIR", default_value = "./data")]
        data_dir: PathBuf,
    },
    /// Verify a backup and make it the data folder's database. Stop the server first; the
    /// database it replaces is kept beside it.
    Restore {
        #[arg(long)]
        from: PathBuf,
        #[arg(long, env = "MARKET_DATA_DIR", default_value = "./data")]
        data_dir: PathBuf,
    },
    /// Fill a new data folder with a large synthetic data set through the store's own write
    /// paths, for measuring the server at scale (`scripts/bench --scale`).
    Generate {
        #[arg(long, default_value_t = 100_000)]
        agencies: usize,
        #[arg(long, default_value_t = 1_000_000)]
        jobs: usize,
        /// The same seed and `--as-of` give the same data.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// The moment the data set is generated as of (RFC 3339); defaults to the start of
        /// today (UTC), so open jobs are still open when the server starts on it.
        #[arg(long)]
        as_of: Option<String>,
        #[arg(long, env = "MARKET_DATA_DIR", default_value = "./data")]
        data_dir: PathBuf,
    },
    /// Copy everything in a SQLite data folder into an empty PostgreSQL database, then verify
    /// every table's row count and every job's hash chain on the copy.
    Migrate {
        /// The data folder holding `market.sqlite3`.
        #[arg(long)]
        from: PathBuf,
        /// The PostgreSQL database, e.g. postgres://market@db.internal:5432/market.
        #[arg(long)]
        to: String,
    },
    /// Create an account of any role, e.g. a regulator, which cannot self-register.
    CreateUser {
        #[arg(long, value_parser = ["enterprise", "agency", "regulator", "approval_officer"])]
        role: String,
        #[arg(long)]
        username: String,
        /// 单位名称, e.g. 云州市市场监督管理局.
        #[arg(long)]
        organization: String,
        /// Read the password from the first line of standard input instead of this flag.
        #[arg(long, conflicts_with = "password")]
        password_stdin: bool,
        #[arg(long, env = "MARKET_NEW_USER_PASSWORD", hide_env_values = true)]
        password: Option<String>,
        #[arg(long)]
        credit_code: Option<String>,
        #[arg(long)]
        contact_person: Option<String>,
        #[arg(long)]
        phone: Option<String>,
        #[arg(long)]
        email: Option<String>,
        #[arg(long, env = "MARKET_DATA_DIR", default_value = "./data")]
        data_dir: PathBuf,
        /// The PostgreSQL database to create the account in, instead of the data folder's.
        #[arg(long, env = "MARKET_DATABASE_URL", hide_env_values = true)]
        database_url: Option<String>,
    },
}

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| EnvFilter::new("info,tower_http=info")),
        )
        .init();
    sqlite_alloc::use_mimalloc();
    match run(Cli::parse().command).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("market-server: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run(command: Command) -> Result<(), String> {
    match command {
        Command::Serve {
            addr,
            data_dir,
            database_url,
            dist,
            no_demo,
            tls_cookies,
            test_clock,
            public_url,
            backup_dir,
            backup_every_hours,
            backup_keep,
            audit_retention_days,
            write_burst,
        } => {
            if !dist.join("index.html").exists() {
                tracing::warn!(
                    ?dist,
                    "no index.html in the dist folder; build the app with `trunk build --release`"
                );
            }
            let mut config = Config::new(addr, data_dir, dist);
            config.database_url = database_url;
            config.demo = !no_demo;
            config.tls_cookies = tls_cookies;
            config.test_clock = test_clock;
            if let Some(url) = public_url {
                config.public_url = url.trim_end_matches('/').to_owned();
            }
            config.backups = backup_dir.map(|dir| market_server::backup::Schedule {
                dir,
                every: std::time::Duration::from_secs(backup_every_hours * 3600),
                keep: usize::try_from(backup_keep).unwrap_or(usize::MAX),
            });
            config.audit_retention_days = audit_retention_days;
            config.write_burst = write_burst;
            let app = Application::build(config).await?;
            app.run_until(shutdown_signal())
                .await
                .map_err(|e| e.to_string())
        }
        Command::Backup { to, data_dir } => {
            let summary = tokio::task::spawn_blocking(move || {
                market_server::backup::backup(&data_dir, &to).map(|s| (s, to))
            })
            .await
            .map_err(|e| e.to_string())??;
            for line in summary.0.lines() {
                println!("{line}");
            }
            println!("backed up to {}", summary.1.display());
            Ok(())
        }
        Command::Restore { from, data_dir } => {
            let now = time::OffsetDateTime::now_utc().unix_timestamp();
            let summary = market_server::backup::restore(&from, &data_dir, now)?;
            for line in summary.lines() {
                println!("{line}");
            }
            println!("restored {} into {}", from.display(), data_dir.display());
            Ok(())
        }
        Command::Migrate { from, to } => {
            let report = market_server::migrate::sqlite_to_postgres(&from, &to).await?;
            for line in report.lines() {
                println!("{line}");
            }
            Ok(())
        }
        Command::Generate {
            agencies,
            jobs,
            seed,
            as_of,
            data_dir,
        } => {
            if data_dir.join("market.sqlite3").exists() {
                return Err(format!(
                    "{} already holds a database; generate into a new folder",
                    data_dir.display()
                ));
            }
            let now = match as_of {
                Some(text) => time::OffsetDateTime::parse(
                    &text,
                    &time::format_description::well_known::Rfc3339,
                )
                .map_err(|e| format!("--as-of: {e}"))?,
                None => time::OffsetDateTime::now_utc().replace_time(time::Time::MIDNIGHT),
            };
            let started = std::time::Instant::now();
            let store = SqliteStore::open_bulk(&data_dir).map_err(|e| e.to_string())?;
            let scale = market_server::generate::Scale {
                agencies,
                jobs,
                seed,
            };
            let report = market_server::generate::generate(&store, scale, now, |step| {
                tracing::info!("generated {step}");
            })
            .await?;
            store.finish_bulk().map_err(|e| e.to_string())?;
            println!(
                "generated {} agencies, {} enterprises, {} jobs and {} cases in {:.1} s",
                report.agencies,
                report.enterprises,
                report.jobs,
                report.cases,
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
        Command::CreateUser {
            role,
            username,
            organization,
            password_stdin,
            password,
            credit_code,
            contact_person,
            phone,
            email,
            data_dir,
            database_url,
        } => {
            let role = Role::parse(&role).ok_or("unknown role")?;
            let password = match (password_stdin, password) {
                (true, _) => {
                    let mut line = String::new();
                    std::io::stdin()
                        .lock()
                        .read_line(&mut line)
                        .map_err(|e| e.to_string())?;
                    line.trim_end_matches(['\r', '\n']).to_owned()
                }
                (false, Some(password)) => password,
                (false, None) => return Err("give --password-stdin or --password".into()),
            };
            let parse_optional =
                |value: Option<String>, parse: fn(&str) -> Result<String, String>| {
                    value.map(|v| parse(&v)).transpose()
                };
            let account = NewAccount {
                role,
                username: Username::parse(&username).map_err(|e| e.to_string())?,
                password: Password::parse(&password).map_err(|e| e.to_string())?,
                organization: Organization {
                    name: market_domain::OrgName::parse(&organization)
                        .map_err(|e| e.to_string())?
                        .as_str()
                        .to_owned(),
                    credit_code: parse_optional(credit_code, |v| {
                        CreditCode::parse(v)
                            .map(String::from)
                            .map_err(|e| e.to_string())
                    })?,
                    contact_person,
                    phone: parse_optional(phone, |v| {
                        Phone::parse(v).map(String::from).map_err(|e| e.to_string())
                    })?,
                    email: parse_optional(email, |v| {
                        Email::parse(v).map(String::from).map_err(|e| e.to_string())
                    })?,
                },
                agency: None,
            };
            if role == Role::Agency {
                return Err("agency accounts register in the app, with their agency".into());
            }
            let store: Box<dyn market_server::store::Store> = match database_url {
                Some(url) => Box::new(PgStore::open(&url).await.map_err(|e| e.to_string())?),
                None => Box::new(SqliteStore::open(&data_dir).map_err(|e| e.to_string())?),
            };
            let id = create_account(store.as_ref(), account, time::OffsetDateTime::now_utc())
                .await
                .map_err(|e| e.user_message())?;
            println!("created {role} account {username} (id {id})");
            Ok(())
        }
    }
}
