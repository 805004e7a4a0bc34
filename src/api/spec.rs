//! `GET /api/v1/openapi.json`.

use super::respond;
use crate::api::contract;
use actix_web::{get, web, HttpRequest, HttpResponse};

/// The specification, serialised once at start-up.
pub struct SpecJson(pub serde_json::Value);

/// This API's OpenAPI 3 specification (what `/docs` renders).
#[utoipa::path(tag = "operations", responses((status = 200, description = "The OpenAPI specification", content_type = "application/json", body = Object), (status = 304, response = contract::NotModified)))]
#[get("/openapi.json")]
pub async fn openapi_spec(req: HttpRequest, spec: web::Data<SpecJson>) -> HttpResponse {
    respond::json(&req, None, &spec.0)
}

use crate::reference;
use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Schema, SchemaType, Type};
use utoipa::openapi::{OpenApi, RefOr};

fn code_list(values: Vec<String>, description: &str) -> Schema {
    Schema::Object(
        ObjectBuilder::new()
            .schema_type(SchemaType::new(Type::String))
            .enum_values(Some(values))
            .description(Some(description))
            .build(),
    )
}

/// The valid codes for a parameter, by path and name.
fn codes_for(path: &str, name: &str) -> Option<Schema> {
    match name {
        "country" | "iso3" => Some(code_list(reference::economies(), "ISO 3166 alpha-3 code")),
        "indicator" => Some(code_list(reference::indicators(), "Indicator code")),
        "code" if path.starts_with("/api/v1/indicators/") => Some(code_list(reference::indicators(), "Indicator code")),
        "target" => Some(code_list(reference::targets(), "Target id")),
        "group" => Some(code_list(reference::groups(), "Group code")),
        "code" if path.starts_with("/api/v1/groups/") => Some(code_list(reference::groups(), "Group code")),
        _ => None,
    }
}

/// Documents the valid codes (economies, indicators, targets, groups) wherever a parameter
/// or body field takes one, from the reference lists the binary is built with, so clients
/// and generated tests know the valid values. The server also accepts lower case.
pub fn document_codes(openapi: &mut OpenApi) {
    for (path, item) in openapi.paths.paths.iter_mut() {
        let operations = [&mut item.get, &mut item.post, &mut item.delete, &mut item.put, &mut item.patch];
        for operation in operations.into_iter().flatten() {
            for parameter in operation.parameters.iter_mut().flatten() {
                if let Some(schema) = codes_for(path, &parameter.name) {
                    parameter.schema = Some(RefOr::T(schema));
                }
            }
        }
    }
    let Some(components) = openapi.components.as_mut() else { return };
    let mut set = |component: &str, field: &str, schema: Schema| {
        if let Some(RefOr::T(Schema::Object(object))) = components.schemas.get_mut(component) {
            if object.properties.contains_key(field) {
                object.properties.insert(field.to_string(), RefOr::T(schema));
            }
        }
    };
    set(
        "NewReporter",
        "country",
        code_list(reference::member_states(), "ISO 3166 alpha-3 code of an ITU member state"),
    );
    set(
        "InitiativeInput",
        "country",
        code_list(reference::member_states(), "ITU member state (a reporter may name only its own)"),
    );
    set(
        "InitiativeInput",
        "targets",
        Schema::Array(
            ArrayBuilder::new()
                .items(RefOr::T(code_list(reference::targets(), "Target id")))
                .min_items(Some(1))
                .description(Some("Targets it contributes to (at least one)"))
                .build(),
        ),
    );
    set("ObservationInput", "country", code_list(reference::economies(), "ISO 3166 alpha-3 code of the economy"));
    set("ObservationInput", "indicator", code_list(reference::indicators(), "Indicator code"));
}

/// `GET /docs/`: Swagger UI's page (assets compiled into the binary), titled with this
/// service's name rather than "Swagger UI".
pub async fn docs_page(spec: web::Data<SpecJson>) -> HttpResponse {
    let config = std::sync::Arc::new(utoipa_swagger_ui::Config::new(["/api/v1/openapi.json"]));
    match utoipa_swagger_ui::serve("index.html", config) {
        Ok(Some(file)) => {
            let name = spec.0["info"]["title"].as_str().unwrap_or("API");
            let page = String::from_utf8_lossy(&file.bytes)
                .replace("<title>Swagger UI</title>", &format!("<title>{name} API documentation</title>"));
            HttpResponse::Ok().content_type(file.content_type).body(page)
        }
        _ => actix_web::ResponseError::error_response(&crate::error::ApiError::internal(anyhow::anyhow!(
            "the documentation page is missing from the binary"
        ))),
    }
}
