//! Builds the application: database, migrations, catalogue, HTTP server on its own listener.

use crate::api::extract;
use crate::api::fallback::{self, KnownPaths};
use crate::api::observations::input;
use crate::api::query::{self, QueryRules};
use crate::api::spec::{self, SpecJson};
use crate::config::Settings;
use crate::db::{self, Db};
use crate::error::problem_json_errors;
use crate::middleware::head::head_as_get;
use crate::middleware::observe::{observe, HandlerTimeout};
use crate::middleware::security::security_headers;
use crate::routes;
use crate::state::progress::ProgressCache;
use crate::state::rate_limit::RateLimiter;
use crate::state::watch;
use crate::state::AppState;
use actix_web::dev::{Server, ServerHandle};
use actix_web::{middleware, web, HttpServer};
use std::net::{SocketAddr, TcpListener};
use std::sync::Arc;
use utoipa_swagger_ui::{Config, SwaggerUi};

/// Largest JSON body accepted by JSON-only endpoints (submissions have their own limit).
pub const JSON_LIMIT: usize = 64 * 1024;

/// A built, bound, not yet running service.
pub struct Application {
    server: Server,
    address: SocketAddr,
    state: AppState,
}

/// Opens the database, applies migrations and loads the catalogue.
pub fn prepare(settings: &Settings) -> anyhow::Result<AppState> {
    let db = Db::connect(&settings.database, settings.pool_size, settings.db_timeouts)?;
    let mut conn = db.get()?;
    let migrated = db::run_migrations(&mut conn, settings.allow_newer_schema)?;
    if !migrated.applied.is_empty() {
        tracing::info!(migrations = ?migrated.applied, "applied migrations");
    }
    if !migrated.unknown.is_empty() {
        tracing::warn!(
            migrations = ?migrated.unknown,
            version = env!("CARGO_PKG_VERSION"),
            "the database holds migrations this version does not know; starting because --allow-newer-schema says its schema is compatible"
        );
    }
    let catalogue = db::catalogue::load(&mut conn)?;
    drop(conn);
    take_due_snapshots(&db);
    let progress = Arc::new(ProgressCache::new(settings.max_stale, db.signals().clone()));
    Ok(AppState {
        db,
        catalogue: Arc::new(catalogue),
        progress,
        metrics: Default::default(),
        write_limiter: Arc::new(RateLimiter::new(settings.write_rate_limit)),
        whole_builds: Default::default(),
    })
}

/// Revisions recorded before snapshots existed get theirs now (each logged), instead of a
/// past state being read from the first revision. Only when some are due is the write lock
/// taken (another instance may be in a long write), and a failure only leaves the past slower
/// to read: it is logged, and start-up goes on.
fn take_due_snapshots(db: &Db) {
    let take = || -> db::DbResult<usize> {
        if !db::history::snapshot_due(&mut *db.get()?)? {
            return Ok(0);
        }
        db.write_blocking(|conn| {
            db::write::begin(conn)?;
            db::history::snapshot_history(conn)
        })
    };
    if let Err(error) = take() {
        tracing::warn!(%error, "state snapshots not taken at start-up; the next write takes one");
    }
}

/// `connect2030 migrate`.
pub fn migrate_only(settings: &Settings) -> anyhow::Result<()> {
    prepare(settings)?;
    tracing::info!(database = ?settings.database, "database is up to date");
    Ok(())
}

/// Cross-origin access for dashboards: reads from the configured origins; writes only when
/// explicitly allowed.
fn cors(settings: &Settings) -> actix_cors::Cors {
    use actix_web::http::{header, Method};
    let mut cors = actix_cors::Cors::default()
        .allowed_headers([header::ACCEPT, header::ACCEPT_LANGUAGE, header::IF_NONE_MATCH, header::CONTENT_TYPE])
        .expose_headers([header::ETAG, header::CONTENT_LANGUAGE, header::LOCATION, header::RETRY_AFTER])
        .expose_any_header()
        .max_age(3600);
    let mut methods = vec![Method::GET, Method::HEAD];
    if settings.cors_allow_writes {
        methods.extend([Method::POST, Method::DELETE]);
        cors = cors.allowed_header(header::AUTHORIZATION).allowed_header("idempotency-key");
    }
    cors = cors.allowed_methods(methods);
    for origin in &settings.cors_origins {
        cors = if origin == "*" { cors.allow_any_origin() } else { cors.allowed_origin(origin) };
    }
    cors
}

impl Application {
    /// Prepares the database and binds the listener (port 0 picks a free one).
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        let state = prepare(&settings)?;
        watch::spawn(&state.db, &state.progress);
        if settings.load_public_data {
            let summary = crate::public_data::load(&state)?;
            tracing::info!(rows = summary.rows, changed = summary.changed, "bundled public data loaded");
        }
        // Load the values progress is computed from before serving, so the first dashboard
        // request computes from memory instead of reading every value.
        let started = std::time::Instant::now();
        let (version, values) = {
            let mut conn = state.db.get()?;
            let (versions, data) = state.progress.current(&mut conn)?;
            (versions.global, data.len())
        };
        tracing::info!(
            values,
            data_version = version,
            elapsed_ms = started.elapsed().as_millis() as u64,
            "values loaded"
        );
        let listener = TcpListener::bind(settings.bind)?;
        let address = listener.local_addr()?;
        let openapi = routes::openapi();
        let spec = web::Data::new(SpecJson(serde_json::to_value(&openapi)?));
        let known_paths = web::Data::new(KnownPaths::from_openapi(&openapi));
        let agency = web::Data::new(crate::api::sdmx::Agency(settings.sdmx_agency.clone()));
        let query_rules = web::Data::new(QueryRules::from_openapi(&openapi));
        let app_state = state.clone();
        let (workers, database) = (settings.workers, settings.database.clone());
        let server = HttpServer::new(move || {
            let (app, _) = routes::documented_app();
            app.app_data(web::Data::new(app_state.clone()))
                .app_data(known_paths.clone())
                .app_data(query_rules.clone())
                .app_data(spec.clone())
                .app_data(agency.clone())
                .app_data(extract::query_config())
                .app_data(extract::path_config())
                .app_data(extract::json_config(JSON_LIMIT))
                .app_data(web::PayloadConfig::new(input::MAX_BODY_BYTES))
                .route("/docs/", web::get().to(spec::docs_page))
                .route("/docs/index.html", web::get().to(spec::docs_page))
                // No badge from validator.swagger.io: the docs load nothing from another host.
                .service(
                    SwaggerUi::new("/docs/{_:.*}").config(Config::new(["/api/v1/openapi.json"]).validator_url("none")),
                )
                .service(web::redirect("/docs", "/docs/"))
                .configure(crate::web::handlers::configure)
                .default_service(web::to(fallback::unmatched))
                .app_data(HandlerTimeout(settings.request_timeout))
                .wrap(middleware::from_fn(head_as_get))
                .wrap(middleware::from_fn(query::checked))
                .wrap(middleware::Condition::new(!settings.cors_origins.is_empty(), cors(&settings)))
                .wrap(problem_json_errors())
                .wrap(middleware::from_fn(security_headers))
                .wrap(middleware::from_fn(observe))
        })
        .client_request_timeout(std::time::Duration::from_secs(30))
        .workers(workers)
        .shutdown_timeout(30)
        .listen(listener)?
        .run();
        tracing::info!(%address, database = ?database, "listening");
        Ok(Self { server, address, state })
    }

    /// The bound address.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// A handle to stop the server.
    pub fn handle(&self) -> ServerHandle {
        self.server.handle()
    }

    /// Shared state (for tools and tests).
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until stopped; in-flight requests finish on shutdown.
    pub async fn run(self) -> anyhow::Result<()> {
        self.server.await?;
        Ok(())
    }
}
