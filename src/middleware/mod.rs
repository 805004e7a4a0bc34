//! Cross-cutting request handling: request ids, structured request logs, request metrics,
//! handler timeouts, security headers.

pub mod observe;
pub mod security;
