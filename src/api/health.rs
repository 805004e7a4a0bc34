//! `GET /health` (the process answers) and `GET /ready` (the database answers).

use crate::api::contract;
use crate::error::ApiError;
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};
use serde::Serialize;
use utoipa::ToSchema;

/// Health answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    /// `ok`.
    pub status: String,
}

/// Liveness: the process is up.
#[utoipa::path(tag = "operations", responses((status = 200, description = "Up", body = Health)))]
#[get("/health")]
pub async fn health() -> HttpResponse {
    HttpResponse::Ok().json(Health { status: "ok".into() })
}

/// Prometheus metrics of this instance: requests and latency by route, submissions and
/// rows accepted or rejected, rate-limited writes, progress cache hits.
#[utoipa::path(
    tag = "operations",
    responses((status = 200, description = "Prometheus text exposition", content_type = "text/plain", body = String))
)]
#[get("/metrics")]
pub async fn metrics(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(state.metrics.render(state.progress.answers.counts()))
}

/// How long readiness waits for the database: load balancers expect a prompt answer.
const READY_DEADLINE: std::time::Duration = std::time::Duration::from_secs(2);

/// Readiness: the database answers a query within 2 s.
#[utoipa::path(
    tag = "operations",
    responses(
        (status = 200, description = "Ready", body = Health),
        (status = 503, response = contract::ServiceUnavailable)
    )
)]
#[get("/ready")]
pub async fn ready(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    state.db.ping(READY_DEADLINE).await?;
    Ok(HttpResponse::Ok().json(Health { status: "ready".into() }))
}
