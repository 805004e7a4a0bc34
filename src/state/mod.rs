//! What one instance shares between its workers: the database pool, the catalogue, the
//! progress cache, metrics and the write rate limiter. `api`, `auth` and `middleware` use it;
//! it uses only `db` and `domain`.

pub mod answers;
pub mod metrics;
pub mod pieces;
pub mod progress;
pub mod rate_limit;
pub mod watch;
pub mod whole;

use crate::db::Db;
use crate::domain::catalogue::Catalogue;
use std::sync::Arc;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    /// The database.
    pub db: Db,
    /// The catalogue, loaded at start-up (it only changes through migrations, which run then).
    pub catalogue: Arc<Catalogue>,
    /// Current values and computed progress, keyed by data version.
    pub progress: Arc<progress::ProgressCache>,
    /// Request and submission metrics.
    pub metrics: Arc<metrics::Metrics>,
    /// Per-key limit on write requests.
    pub write_limiter: Arc<rate_limit::RateLimiter>,
    /// Turns for answers built whole in memory (SDMX-JSON).
    pub whole_builds: Arc<whole::WholeBuilds>,
}
