//! Cross-cutting request handling: request ids, structured request logs, request metrics,
//! handler timeouts, security headers, `HEAD` as `GET`.

pub mod head;
pub mod observe;
pub mod security;
