//! Builds the application from its config: storage, demo data, routes and the listener.

use crate::clock::{Clock, ManualClock, SystemClock};
use crate::config::Config;
use crate::error::ApiError;
use crate::http::csrf::require_csrf_header;
use crate::http::{assets, headers};
use crate::state::AppState;
use crate::store::{PgStore, SqliteStore, Store};
use crate::{first_screen, openapi, seed, test_clock, transparency};
use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderValue};
use axum::response::IntoResponse;
use axum::{middleware, Router};
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::net::TcpListener;
use tower_http::compression::CompressionLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

pub struct Application {
    listener: TcpListener,
    router: Router,
    state: AppState,
}

impl Application {
    /// Opens the database, applies migrations, seeds demo data on first start and binds.
    pub async fn build(config: Config) -> Result<Application, String> {
        if config.test_clock {
            tracing::warn!("test clock enabled: anyone can move this server's time; never use it in production");
            let manual = ManualClock::new(SystemClock.now());
            return Self::assemble(config, Arc::new(manual.clone()), Some(manual)).await;
        }
        Self::assemble(config, Arc::new(SystemClock), None).await
    }

    pub async fn build_with_clock(
        config: Config,
        clock: Arc<dyn Clock>,
    ) -> Result<Application, String> {
        Self::assemble(config, clock, None).await
    }

    async fn assemble(
        config: Config,
        clock: Arc<dyn Clock>,
        test_clock: Option<ManualClock>,
    ) -> Result<Application, String> {
        let mut config = config;
        let listener = TcpListener::bind(config.addr)
            .await
            .map_err(|e| format!("cannot listen on {}: {e}", config.addr))?;
        if config.public_url.is_empty() {
            let bound = listener.local_addr().map_err(|e| e.to_string())?;
            config.public_url = format!("http://{bound}");
        }
        let opening = std::time::Instant::now();
        let store: Arc<dyn Store> = match &config.database_url {
            Some(url) => Arc::new(PgStore::open(url).await.map_err(|e| e.to_string())?),
            None => Arc::new(SqliteStore::open(&config.data_dir).map_err(|e| e.to_string())?),
        };
        tracing::info!(
            seconds = opening.elapsed().as_secs_f64(),
            postgres = config.database_url.is_some(),
            "opened the database"
        );
        let writes = Arc::new(crate::http::rate::WriteLimiter::new(config.write_burst));
        let state = AppState {
            store,
            clock,
            config: Arc::new(config),
            test_clock,
            closing: Arc::new(tokio::sync::watch::channel(false).0),
            writes,
            streams: Arc::default(),
            due: Arc::default(),
        };
        let seeding = std::time::Instant::now();
        seed::initialise(&state).await.map_err(|e| e.to_string())?;
        tracing::info!(
            seconds = seeding.elapsed().as_secs_f64(),
            "checked the demo data"
        );
        // Built before the first request, so no visitor waits for it.
        let started = std::time::Instant::now();
        let agencies = state
            .store
            .prepare_search(state.today())
            .await
            .map_err(|e| e.to_string())?;
        tracing::info!(
            agencies,
            seconds = started.elapsed().as_secs_f64(),
            "built the directory index"
        );
        let router = router(state.clone());
        spawn_deadline_watch(state.clone());
        spawn_backups(&state);
        Ok(Application {
            listener,
            router,
            state,
        })
    }

    pub fn port(&self) -> u16 {
        self.listener.local_addr().map(|a| a.port()).unwrap_or(0)
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    pub fn store(&self) -> Arc<dyn Store> {
        Arc::clone(&self.state.store)
    }

    /// Serves until `shutdown` resolves, then finishes in-flight requests.
    pub async fn run_until(
        self,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        tracing::info!(addr = %self.listener.local_addr()?, "中介超市 server listening");
        let closing = Arc::clone(&self.state.closing);
        let shutdown = async move {
            shutdown.await;
            closing.send_replace(true);
        };
        axum::serve(
            self.listener,
            self.router
                .into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(shutdown)
        .await
    }
}

/// Takes the scheduled backups, the first one period after the start.
fn spawn_backups(state: &AppState) {
    let Some(schedule) = state.config.backups.clone() else {
        return;
    };
    if state.config.database_url.is_some() {
        tracing::warn!("scheduled backups are for the SQLite database; back PostgreSQL up with pg_dump or archiving");
        return;
    }
    let data_dir = state.config.data_dir.clone();
    let clock = Arc::clone(&state.clock);
    tokio::spawn(async move {
        let mut tick =
            tokio::time::interval_at(tokio::time::Instant::now() + schedule.every, schedule.every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            let (data_dir, schedule) = (data_dir.clone(), schedule.clone());
            let now = clock.now().unix_timestamp();
            let started = std::time::Instant::now();
            match tokio::task::spawn_blocking(move || {
                crate::backup::scheduled(&data_dir, &schedule, now)
            })
            .await
            {
                Ok(Ok(file)) => tracing::info!(
                    file = %file.display(),
                    seconds = started.elapsed().as_secs_f64(),
                    "took the scheduled backup"
                ),
                Ok(Err(error)) => tracing::error!(%error, "the scheduled backup failed"),
                Err(error) => tracing::error!(%error, "the scheduled backup stopped"),
            }
        }
    });
}

/// Opens jobs as their deadlines pass, so results appear without anyone asking, and seals the
/// daily root of the job log once each city day ends. The only writer of due work: a reader
/// that finds a job due asks for a run (`crate::due`) instead of opening it itself.
fn spawn_deadline_watch(state: AppState) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(5));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut sealed_through = None;
        loop {
            tokio::select! {
                _ = tick.tick() => {}
                () = state.due.asked() => {}
            }
            let run = state.due.start();
            crate::due::run_due_work(&state).await;
            crate::audit::prune(&state).await;
            if let Err(error) = state.store.prune_search_feed().await {
                tracing::warn!(?error, "pruning the directory's change feed failed");
            }
            let today = state.today();
            if sealed_through != Some(today) {
                let started = std::time::Instant::now();
                match transparency::seal_past_days(&state).await {
                    Ok(days) => {
                        if days > 0 {
                            tracing::info!(
                                days,
                                seconds = started.elapsed().as_secs_f64(),
                                "sealed daily roots"
                            );
                        }
                        sealed_through = Some(today);
                    }
                    Err(error) => tracing::warn!(?error, "sealing daily roots failed"),
                }
            }
            state.due.finish(run);
        }
    });
}

async fn api_not_found() -> impl IntoResponse {
    ApiError::UnknownEndpoint
}

async fn api_method_not_allowed() -> impl IntoResponse {
    ApiError::MethodNotAllowed
}

fn router(state: AppState) -> Router {
    let mut api = Router::new();
    if state.test_clock.is_some() {
        api = api.merge(test_clock::router());
    }
    let api = api
        .merge(Router::from(openapi::routes()))
        .route("/api", axum::routing::any(api_not_found))
        .route("/api/{*rest}", axum::routing::any(api_not_found))
        .method_not_allowed_fallback(api_method_not_allowed)
        // Inside the CSRF check: a request it refuses changed nothing.
        .layer(middleware::from_fn_with_state(
            state.clone(),
            crate::audit::record_changes,
        ))
        .layer(middleware::from_fn(require_csrf_header))
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
        .layer(DefaultBodyLimit::max(state.config.body_limit))
        // JSON is compressed per response; static files were compressed at build time.
        .layer(CompressionLayer::new())
        .with_state(state.clone());

    let index_html =
        std::fs::read_to_string(state.config.dist.join("index.html")).unwrap_or_default();
    // The two pages people share by link carry their first screen; their HTML is written per
    // request, so it is compressed per request, unlike the files built beside it. Without a
    // build there is no page to fill in, and those links answer as every other path does.
    let mut static_files = Router::new();
    if !index_html.is_empty() {
        static_files = static_files.merge(
            first_screen::router(Arc::new(first_screen::Shell::parse(index_html.clone())))
                .layer(CompressionLayer::new())
                .with_state(state.clone()),
        );
    }
    let static_files = static_files
        .fallback_service(assets::service(&state.config.dist))
        .layer(middleware::from_fn(assets::cache_control));

    let csp = HeaderValue::from_str(&headers::content_security_policy(&index_html))
        .expect("the policy is ASCII");
    let mut router = Router::new()
        .merge(api)
        .merge(static_files)
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            csp,
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static(headers::REFERRER_POLICY),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::HeaderName::from_static("permissions-policy"),
            HeaderValue::from_static(headers::PERMISSIONS_POLICY),
        ));
    if state.config.tls_cookies {
        router = router.layer(SetResponseHeaderLayer::if_not_present(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(headers::STRICT_TRANSPORT_SECURITY),
        ));
    }
    router
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(TraceLayer::new_for_http())
}

/// Resolves on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut signal) =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            signal.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutting down");
}
