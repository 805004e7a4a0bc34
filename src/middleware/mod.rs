//! Cross-cutting request handling: request ids, structured request logs, request metrics,
//! handler timeouts.

pub mod observe;
