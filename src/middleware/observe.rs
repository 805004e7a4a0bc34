//! Request ids, structured request logs, request metrics and the handler time limit, in one
//! middleware; errors that escape inner layers become problem+json here.

use crate::error::ApiError;
use crate::state::AppState;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::middleware::Next;
use actix_web::{web, HttpMessage};
use rand::RngCore;
use std::time::{Duration, Instant};

/// Header carrying the request id, echoed in every answer.
pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The route label of requests no route takes.
const OTHER_ROUTE: &str = "other";

/// The id of the request being served (from `X-Request-Id` when sane, else generated).
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

/// Longest a handler may take before the client gets 503 (the work itself is not undone:
/// a write that commits late is found again by retrying with the same Idempotency-Key).
#[derive(Debug, Clone, Copy)]
pub struct HandlerTimeout(pub Duration);

fn request_id(req: &ServiceRequest) -> String {
    let sent = req.headers().get(&REQUEST_ID).and_then(|v| v.to_str().ok()).filter(|v| {
        !v.is_empty() && v.len() <= 64 && v.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.:".contains(&b))
    });
    match sent {
        Some(id) => id.to_string(),
        None => {
            let mut bytes = [0u8; 8];
            rand::rng().fill_bytes(&mut bytes);
            hex::encode(bytes)
        }
    }
}

/// Tags the request with an id, bounds the handler's time, logs the request with its route,
/// status and duration, and counts it.
pub async fn observe(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let id = request_id(&req);
    req.extensions_mut().insert(RequestId(id.clone()));
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let limit = req.app_data::<HandlerTimeout>().map_or(Duration::from_secs(120), |t| t.0);
    let (method, path) = (req.method().as_str().to_string(), req.path().to_string());
    let started = Instant::now();
    let record = |route: &str, status: u16| {
        let elapsed = started.elapsed();
        if !route.starts_with("/docs") {
            let elapsed_ms = elapsed.as_secs_f64() * 1000.0;
            tracing::info!(request_id = %id, method = %method, path = %path, route, status, elapsed_ms, "request");
        }
        if let Some(state) = &state {
            state.metrics.observe(&method, route, status, elapsed);
        }
    };
    let result = actix_web::rt::time::timeout(limit, next.call(req)).await.unwrap_or_else(|_| {
        Err(ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "timeout", "the request took too long")
            .with_retry_after(5)
            .into())
    });
    // Errors that escape every layer are rendered by actix from their ResponseError (problem+json
    // for ours); they are still logged and counted.
    let mut response =
        result.inspect_err(|error| record(OTHER_ROUTE, error.as_response_error().status_code().as_u16()))?;
    // Route templates, not raw paths, keep metric labels bounded.
    let route = response.request().match_pattern().unwrap_or_else(|| OTHER_ROUTE.to_string());
    record(&route, response.status().as_u16());
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(REQUEST_ID, value);
    }
    Ok(response)
}
