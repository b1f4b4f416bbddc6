//! # iz-api: Iz over HTTP
//!
//! A plain, versioned HTTP API for integrators and the console: events in (`POST /v1/events`),
//! watch-lists managed, searched and imported from CSV (`/v1/watchlist`), alerts read, streamed
//! and reviewed (`/v1/alerts`), counts and their series over time (`/v1/stats`), the audit log
//! for oversight (`/v1/audit`), health and Prometheus metrics, and an OpenAPI document generated
//! from this code (`/v1/openapi.json`).
//!
//! The shape follows two rules. The server is [`router`] plus [`App::run`], so tests call the
//! router directly or bind port 0. And nothing here decides anything about matching: intake
//! goes through the in-process bus to the pipeline's workers, and every answer about watch
//! entries and alerts comes from the store; this crate adds authentication, roles and regions,
//! the audit records of reads, error mapping and streaming.

#![deny(clippy::unwrap_used)]

pub mod auth;
pub mod console;
pub mod error;
pub mod fraud;
pub mod fraud_stream;
mod openapi;
pub mod password;
mod routes;
pub mod supervision;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use iz_bus::{InProcessBus, InProcessIntake};
use iz_ingest::{IngestReport, Pipeline};
use iz_model::Clock;
use iz_store::{AlertChange, Store};
use metrics_exporter_prometheus::PrometheusHandle;
use tokio::net::TcpListener;
use tokio::sync::{broadcast, watch};

pub use auth::{hash_token, new_token};
pub use openapi::openapi;
/// The drone watch as the store left it (what a starting server loads).
pub use routes::drones::load as load_drone_watch;

/// Settings of the HTTP side.
#[derive(Debug, Clone)]
pub struct ApiConfig {
    /// Largest accepted request body; beyond it `POST /v1/events` answers 413.
    pub body_limit: usize,
    /// Intake workers (batches processed in parallel).
    pub workers: usize,
    /// Batches that may wait for a worker before submitters wait too.
    pub queue: usize,
    /// How often to look for watch-list changes made by another process and run the store's
    /// housekeeping.
    pub refresh_every: Duration,
    /// How long a console session lasts.
    pub session_ttl: chrono::Duration,
    /// When failed sign-ins lock an account.
    pub lockout: iz_store::LockoutPolicy,
    /// Mark the session cookie `Secure` (only sent over HTTPS): on when Iz sits behind TLS.
    pub secure_cookies: bool,
    /// The two-person rule: an alert raised by a face alone counts as located only after two
    /// different people confirm it.
    pub two_person_faces: bool,
    /// How long an alert may wait for its review; open alerts older than this are overdue.
    pub review_deadline: chrono::Duration,
    /// How cautious the supervision monitor is (grace, hysteresis, signal loss, …).
    pub supervision: iz_supervision::Policy,
    /// The social-services platform's webhook for sent referrals; none: they wait, queued.
    pub referral_webhook: Option<String>,
    /// Points of interest by category (bars, schools …) for orders that ban a category of
    /// place; empty: such orders are refused (`invalid_place_ban`).
    pub places: Vec<iz_supervision::Place>,
    /// How often due referral deliveries are attempted.
    pub delivery_every: Duration,
    /// The anti-fraud centre's configuration file (TOML), watched and hot-reloaded; none: the
    /// configuration is the store's latest (or the defaults) and changes through the API.
    pub fraud_config: Option<std::path::PathBuf>,
    /// How often the dropper scores are propagated over the transaction graph.
    pub fraud_propagate_every: Duration,
    /// Banks' and operators' events from NATS JetStream as well as over HTTP.
    pub fraud_stream: Option<fraud_stream::FraudStreamConfig>,
}

impl Default for ApiConfig {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        ApiConfig {
            body_limit: 32 * 1024 * 1024,
            workers: cores,
            queue: cores * 2,
            refresh_every: Duration::from_secs(1),
            session_ttl: chrono::Duration::hours(8),
            lockout: iz_store::LockoutPolicy::default(),
            secure_cookies: false,
            two_person_faces: false,
            review_deadline: chrono::Duration::hours(24),
            supervision: iz_supervision::Policy::default(),
            referral_webhook: None,
            places: Vec::new(),
            delivery_every: Duration::from_secs(5),
            fraud_config: None,
            fraud_propagate_every: Duration::from_secs(30),
            fraud_stream: None,
        }
    }
}

/// Everything a request handler may need.
#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    pub pipeline: Arc<Pipeline>,
    pub bus: InProcessBus,
    pub alerts: broadcast::Sender<Arc<AlertChange>>,
    pub clock: Arc<dyn Clock>,
    pub config: Arc<ApiConfig>,
    pub tokens: Arc<auth::TokenCache>,
    pub metrics: Option<PrometheusHandle>,
    /// Turns true when the server is shutting down (ends alert streams).
    pub shutdown: watch::Receiver<bool>,
    /// Probation supervision; `None` when it could not be loaded (its routes answer 503).
    pub supervision: Option<Arc<supervision::SupervisionService>>,
    /// Drone watch; `None` when it could not be loaded (its routes answer 503).
    pub drones: Option<routes::drones::DroneWatch>,
    /// The anti-fraud centre; `None` when it could not be loaded (its routes answer 503).
    pub fraud: Option<Arc<fraud::FraudService>>,
}

/// The application: state plus the intake side of its bus.
pub struct App {
    pub state: AppState,
    intake: InProcessIntake,
    shutdown_tx: watch::Sender<bool>,
}

impl App {
    pub fn new(
        pipeline: Arc<Pipeline>,
        config: ApiConfig,
        metrics: Option<PrometheusHandle>,
    ) -> App {
        let (bus, intake) = InProcessBus::new(config.queue);
        let (alerts, _) = broadcast::channel(4096);
        let (shutdown_tx, shutdown) = watch::channel(false);
        let store = Arc::clone(pipeline.store());
        let supervision = match supervision::SupervisionService::load(
            &*store,
            config.supervision.clone(),
            iz_supervision::Places::new(config.places.clone()).0,
            iz_supervision::referral::RulesTable::builtin(),
            config.referral_webhook.clone(),
            pipeline.clock().now(),
        ) {
            Ok(service) => Some(Arc::new(service)),
            Err(e) => {
                tracing::error!(error = %e, "supervision could not be loaded; its routes answer 503");
                None
            }
        };
        let drones = match routes::drones::load(&*store) {
            Ok(watch) => Some(Arc::new(parking_lot::Mutex::new(watch))),
            Err(e) => {
                tracing::error!(error = %e, "drone watch could not be loaded; its routes answer 503");
                None
            }
        };
        let fraud = match fraud::FraudService::load(
            &*store,
            config.fraud_config.clone(),
            pipeline.clock().now(),
        ) {
            Ok(service) => Some(Arc::new(service)),
            Err(e) => {
                tracing::error!(error = %e, "the anti-fraud centre could not be loaded; its routes answer 503");
                None
            }
        };
        let state = AppState {
            store: Arc::clone(pipeline.store()),
            clock: Arc::clone(pipeline.clock()),
            pipeline,
            bus,
            alerts,
            config: Arc::new(config),
            tokens: Arc::default(),
            metrics,
            shutdown,
            supervision,
            drones,
            fraud,
        };
        App {
            state,
            intake,
            shutdown_tx,
        }
    }

    /// Subscribes to every alert change (for `iz demo`'s printout, tests).
    pub fn subscribe(&self) -> broadcast::Receiver<Arc<AlertChange>> {
        self.state.alerts.subscribe()
    }

    /// Serves until `shutdown` resolves, then stops taking requests, lets queued batches finish
    /// and returns.
    pub async fn run(
        self,
        listener: TcpListener,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let App {
            state,
            intake,
            shutdown_tx,
        } = self;
        let alerts = state.alerts.clone();
        let publish: Arc<dyn Fn(&IngestReport) + Send + Sync> =
            Arc::new(move |report: &IngestReport| {
                for change in &report.alerts {
                    // No subscriber is fine: the alert is in the store.
                    let _ = alerts.send(Arc::new(change.clone()));
                }
            });
        let workers = tokio::spawn(iz_bus::run_workers(
            intake,
            Arc::clone(&state.pipeline),
            state.config.workers,
            publish,
        ));
        let refresher = tokio::spawn(refresh_loop(
            Arc::clone(&state.pipeline),
            state.config.refresh_every,
            state.shutdown.clone(),
        ));
        let supervision_loops = state.supervision.clone().map(|service| {
            let ticks = tokio::spawn(supervision::tick_loop(
                Arc::clone(&state.store),
                Arc::clone(&service),
                Arc::clone(&state.clock),
                state.shutdown.clone(),
            ));
            let deliveries = tokio::spawn(supervision::delivery_loop(
                Arc::clone(&state.store),
                service,
                Arc::clone(&state.clock),
                state.config.delivery_every,
                state.shutdown.clone(),
            ));
            (ticks, deliveries)
        });
        let fraud_stream = match (&state.config.fraud_stream, &state.fraud) {
            (Some(config), Some(service)) => Some(tokio::spawn(fraud_stream::run(
                config.clone(),
                Arc::clone(service),
                Arc::clone(&state.store),
                Arc::clone(&state.clock),
                state.shutdown.clone(),
            ))),
            _ => None,
        };
        let fraud_loop = state.fraud.clone().map(|service| {
            tokio::spawn(fraud_loop(
                Arc::clone(&state.store),
                service,
                Arc::clone(&state.clock),
                state.config.fraud_propagate_every,
                state.shutdown.clone(),
            ))
        });
        let bus = state.bus.clone();
        let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
        let served = axum::serve(listener, app)
            .with_graceful_shutdown(async move {
                shutdown.await;
                let _ = shutdown_tx.send(true);
            })
            .await;
        bus.close();
        let _ = workers.await;
        refresher.abort();
        if let Some((ticks, deliveries)) = supervision_loops {
            ticks.abort();
            deliveries.abort();
        }
        if let Some(f) = fraud_loop {
            f.abort();
        }
        if let Some(f) = fraud_stream {
            let _ = f.await;
        }
        served
    }
}

/// Every second: the fraud configuration file, if it changed; every `propagate_every`: the
/// dropper scores over the transaction graph.
async fn fraud_loop(
    store: Arc<dyn Store>,
    service: Arc<fraud::FraudService>,
    clock: Arc<dyn iz_model::Clock>,
    propagate_every: Duration,
    mut shutdown: watch::Receiver<bool>,
) {
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    let mut last_propagation = std::time::Instant::now();
    loop {
        tokio::select! {
            _ = tick.tick() => {}
            _ = shutdown.changed() => return,
        }
        let propagate = last_propagation.elapsed() >= propagate_every;
        if propagate {
            last_propagation = std::time::Instant::now();
        }
        let (store, service, now) = (Arc::clone(&store), Arc::clone(&service), clock.now());
        let done = tokio::task::spawn_blocking(move || {
            service.reload_file(&*store, now);
            if propagate {
                service.propagate();
            }
        })
        .await;
        if let Err(e) = done {
            tracing::error!(error = %e, "the fraud housekeeping panicked");
        }
    }
}

async fn refresh_loop(
    pipeline: Arc<Pipeline>,
    every: Duration,
    mut shutdown: watch::Receiver<bool>,
) {
    let mut tick = tokio::time::interval(every);
    loop {
        tokio::select! {
            _ = tick.tick() => {}
            _ = shutdown.changed() => return,
        }
        let p = Arc::clone(&pipeline);
        match tokio::task::spawn_blocking(move || p.store().maintain().and_then(|()| p.refresh()))
            .await
        {
            Ok(Ok(true)) => tracing::info!("watch-list changed elsewhere; matchers reloaded"),
            Ok(Ok(false)) => {}
            Ok(Err(e)) => tracing::warn!(error = %e, "could not check the watch-list version"),
            Err(e) => tracing::error!(error = %e, "watch-list refresh panicked"),
        }
    }
}

/// The whole HTTP surface.
pub fn router(state: AppState) -> Router {
    let body_limit = state.config.body_limit;
    Router::new()
        .route("/healthz", get(routes::health))
        .route("/metrics", get(routes::metrics))
        .route("/v1/openapi.json", get(routes::openapi_json))
        .route(
            "/v1/events",
            post(routes::events::post_events).layer(DefaultBodyLimit::max(body_limit)),
        )
        .route(
            "/v1/watchlist",
            post(routes::watch::add).get(routes::watch::list),
        )
        .route(
            "/v1/watchlist/import",
            post(routes::import::import).layer(DefaultBodyLimit::max(body_limit)),
        )
        .route(
            "/v1/watchlist/{id}",
            get(routes::watch::get_one).delete(routes::watch::withdraw),
        )
        .route("/v1/alerts", get(routes::alerts::list))
        .route("/v1/alerts/stream", get(routes::alerts::stream))
        .route("/v1/alerts/{id}", get(routes::alerts::get_one))
        .route("/v1/alerts/{id}/review", post(routes::alerts::review))
        .route("/v1/stats", get(routes::stats))
        .route("/v1/stats/series", get(routes::series::series))
        .route("/v1/audit", get(routes::audit::search))
        .route("/v1/audit/verify", get(routes::audit::verify))
        .route("/v1/audit/access", get(routes::audit::access))
        .route(
            "/v1/session",
            post(routes::session::sign_in)
                .get(routes::session::current)
                .delete(routes::session::sign_out),
        )
        .route(
            "/v1/supervision/persons",
            post(routes::supervision::enrol_person).get(routes::supervision::caseload),
        )
        .route(
            "/v1/supervision/persons/{id}",
            get(routes::supervision::person),
        )
        .route(
            "/v1/supervision/persons/{id}/restrictions",
            get(routes::supervision::restrictions),
        )
        .route(
            "/v1/supervision/persons/{id}/release",
            post(routes::supervision::release),
        )
        .route(
            "/v1/supervision/pings",
            post(routes::supervision::pings).layer(DefaultBodyLimit::max(body_limit)),
        )
        .route(
            "/v1/supervision/sightings",
            post(routes::supervision::sightings).layer(DefaultBodyLimit::max(body_limit)),
        )
        .route(
            "/v1/supervision/check-ins",
            post(routes::supervision::check_ins).layer(DefaultBodyLimit::max(body_limit)),
        )
        .route(
            "/v1/supervision/violations",
            get(routes::supervision::violations),
        )
        .route(
            "/v1/supervision/violations/{id}",
            post(routes::supervision::handle_violation),
        )
        .route(
            "/v1/supervision/referrals",
            get(routes::supervision::referrals),
        )
        .route(
            "/v1/supervision/referrals/{id}",
            post(routes::supervision::move_referral),
        )
        .route(
            "/v1/drones/licences",
            get(routes::drones::get_licences)
                .put(routes::drones::put_licences)
                .layer(DefaultBodyLimit::max(body_limit)),
        )
        .route(
            "/v1/drones/detections",
            post(routes::drones::detections).layer(DefaultBodyLimit::max(body_limit)),
        )
        .route(
            "/v1/fraud/events",
            post(routes::fraud::events).layer(DefaultBodyLimit::max(body_limit)),
        )
        .route("/v1/fraud/decide", post(routes::fraud::decide))
        .route("/v1/fraud/cases", get(routes::fraud::cases))
        .route("/v1/fraud/cases/{id}", post(routes::fraud::handle_case))
        .route(
            "/v1/fraud/listings",
            post(routes::fraud::add_listing).get(routes::fraud::listings),
        )
        .route(
            "/v1/fraud/listings/{id}/withdraw",
            post(routes::fraud::withdraw_listing),
        )
        .route("/v1/fraud/overview", get(routes::fraud::overview))
        .route(
            "/v1/fraud/config",
            get(routes::fraud::get_config).put(routes::fraud::put_config),
        )
        .route(
            "/v1/fraud/config/dry-run",
            axum::routing::delete(routes::fraud::stop_dry_run),
        )
        .route("/v1/drones/incidents", get(routes::drones::incidents))
        .route(
            "/v1/drones/incidents/{id}/close",
            post(routes::drones::close_incident),
        )
        .merge(console::routes())
        .fallback(routes::not_found)
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(|_| {
            use axum::response::IntoResponse;
            error::ApiError::internal().into_response()
        }))
        .with_state(state)
}

/// Installs the process-wide Prometheus recorder once and returns its handle.
pub fn metrics_handle() -> Option<PrometheusHandle> {
    static HANDLE: std::sync::OnceLock<Option<PrometheusHandle>> = std::sync::OnceLock::new();
    HANDLE
        .get_or_init(|| {
            let recorder = metrics_exporter_prometheus::PrometheusBuilder::new()
                .set_buckets(&[
                    0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0,
                ])
                .ok()?
                .build_recorder();
            let handle = recorder.handle();
            metrics::set_global_recorder(recorder).ok()?;
            Some(handle)
        })
        .clone()
}
