//! Cross-cutting request handling: request ids, structured request logs, metrics,
//! per-key write rate limits, handler timeouts.

pub mod metrics;
pub mod observe;
pub mod rate_limit;
