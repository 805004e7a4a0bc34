//! HTTP resources: one module per resource, request and response types next to their handlers.

pub mod countries;
pub mod extract;
pub mod fallback;
pub mod goals;
pub mod groups;
pub mod health;
pub mod indicators;
pub mod initiatives;
pub mod observations;
pub mod progress;
pub mod reporters;
pub mod respond;
pub mod spec;
pub mod submissions;
pub mod targets;

use crate::db::Db;
use crate::domain::catalogue::Catalogue;
use serde::Serialize;
use std::sync::Arc;
use utoipa::ToSchema;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    /// The database.
    pub db: Db,
    /// The catalogue, loaded at start-up (it only changes through migrations, which run then).
    pub catalogue: Arc<Catalogue>,
    /// Current values and computed progress, keyed by data version.
    pub progress: Arc<progress::cache::ProgressCache>,
    /// Request and submission metrics.
    pub metrics: Arc<crate::middleware::metrics::Metrics>,
    /// Per-key limit on write requests.
    pub write_limiter: Arc<crate::middleware::rate_limit::RateLimiter>,
}

/// Metadata of a collection answer.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Meta {
    /// Items in this answer.
    pub count: usize,
    /// Language of the texts in this answer (`en` or `zh`), for localised collections.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<crate::domain::language::Language>,
}
