//! The one routing table, documented with utoipa: every handler registered here appears in
//! the OpenAPI specification.

use crate::api::{
    countries, goals, groups, health, indicators, initiatives, observations, progress, reporters, sdmx, spec,
    submissions, targets,
};
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::App;
use utoipa::OpenApi;
use utoipa_actix_web::service_config::ServiceConfig;
use utoipa_actix_web::{scope, AppExt};

/// API prefix; a breaking change gets a new one.
pub const API_PREFIX: &str = "/api/v1";

/// Prefix of the SDMX 2.1 REST interface.
pub const SDMX_PREFIX: &str = "/sdmx/rest";

#[derive(OpenApi)]
#[openapi(
    info(
        title = "connect2030",
        description = "Tracks how the world, each region and each country progress toward the ITU \
                       Connect 2030 Agenda: 5 goals and 24 targets for telecommunication/ICT development.\n\n\
                       Every error is `application/problem+json` (RFC 9457) with a stable `code`. \
                       Reads send a strong `ETag` and answer `If-None-Match` with 304.",
        license(name = "MIT", identifier = "MIT")
    ),
    tags(
        (name = "catalogue", description = "Goals, targets, indicators, economies and groups"),
        (name = "progress", description = "Computed progress with provenance, cached by data version"),
        (name = "observations", description = "Member states' data: submissions, values, history"),
        (name = "administration", description = "Reporters and API keys (administrator key)"),
        (name = "operations", description = "Health, readiness and the specification"),
        (name = "sdmx", description = "SDMX 2.1 REST: the dataflow, its structures and data (economies and group aggregates) in SDMX-ML, SDMX-CSV and SDMX-JSON")
    ),
    modifiers(&BearerAuth),
    components(schemas(crate::error::Problem, crate::error::FieldError, crate::api::extract::Cursor))
)]
struct ApiDoc;

/// Declares the `Authorization: Bearer <key>` scheme that write operations require.
struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "api_key",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("An API key `c2030_…` issued to a reporter or administrator"))
                    .build(),
            ),
        );
    }
}

/// Operational endpoints at the root.
fn operations(cfg: &mut ServiceConfig) {
    cfg.service(health::health).service(health::ready).service(health::metrics);
}

/// The versioned API.
fn api_v1(cfg: &mut ServiceConfig) {
    cfg.service(goals::list_goals)
        .service(goals::get_goal)
        .service(targets::list_targets)
        .service(targets::get_target)
        .service(indicators::list_indicators)
        .service(indicators::get_indicator)
        .service(progress::indicator_aggregates)
        .service(progress::progress_overview)
        .service(progress::target_progress)
        .service(progress::country_progress)
        .service(crate::web::handlers::target_chart)
        .service(countries::list_countries)
        .service(countries::get_country)
        .service(countries::country_population)
        .service(groups::list_groups)
        .service(groups::get_group)
        .service(observations::submit_observations)
        .service(observations::list_observations)
        .service(observations::export_observations)
        .service(observations::observation_revisions)
        .service(observations::withdraw_observation)
        .service(submissions::get_submission)
        .service(initiatives::create_initiative)
        .service(initiatives::list_initiatives)
        .service(reporters::create_reporter)
        .service(reporters::list_reporters)
        .service(reporters::create_key)
        .service(reporters::revoke_key)
        .service(reporters::audit_trail)
        .service(spec::openapi_spec);
}

/// The SDMX 2.1 REST interface: data paths first, so that `/data/…` never reads as a structure.
fn sdmx_rest(cfg: &mut ServiceConfig) {
    cfg.service(sdmx::data::get_data)
        .configure(sdmx::data::other_data_paths)
        .service(sdmx::get_structure)
        .configure(sdmx::short_structure_paths);
}

/// The application's routes and the specification that documents them.
pub fn documented_app() -> (
    App<
        impl ServiceFactory<
            ServiceRequest,
            Config = (),
            Response = ServiceResponse<impl MessageBody>,
            Error = actix_web::Error,
            InitError = (),
        >,
    >,
    utoipa::openapi::OpenApi,
) {
    App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .configure(operations)
        .service(scope::scope(API_PREFIX).configure(api_v1))
        .service(scope::scope(SDMX_PREFIX).configure(sdmx_rest))
        .split_for_parts()
}

/// The OpenAPI specification.
pub fn openapi() -> utoipa::openapi::OpenApi {
    let mut spec = documented_app().1;
    spec::document_codes(&mut spec);
    crate::api::contract::apply(&mut spec);
    spec
}

/// The specification as pretty JSON, as committed in `openapi/openapi.json`.
pub fn openapi_json() -> String {
    openapi().to_pretty_json().expect("the specification serialises")
}
