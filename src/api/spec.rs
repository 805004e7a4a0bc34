//! `GET /api/v1/openapi.json`.

use super::respond;
use actix_web::{get, web, HttpRequest, HttpResponse};

/// The specification, serialised once at start-up.
pub struct SpecJson(pub serde_json::Value);

/// This API's OpenAPI 3 specification (what `/docs` renders).
#[utoipa::path(tag = "operations", responses((status = 200, description = "The OpenAPI specification", content_type = "application/json", body = Object)))]
#[get("/openapi.json")]
pub async fn openapi_spec(req: HttpRequest, spec: web::Data<SpecJson>) -> HttpResponse {
    respond::json(&req, None, &spec.0)
}
