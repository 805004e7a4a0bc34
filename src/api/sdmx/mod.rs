//! The SDMX 2.1 REST interface under `/sdmx/rest/`: structures (dataflow, data structure
//! definition, code lists, concept scheme) and data. The mapping itself is pure
//! ([`crate::sdmx`]); this module reads the database, negotiates formats and maps SDMX
//! errors (404 `NoResultsFound`, 501 not implemented) to problem+json.

pub mod data;
pub mod negotiate;

use crate::error::{ApiError, Problem};
use crate::sdmx::structure::{codelists, Resource, StructureQuery};
use crate::sdmx::{structure_xml, Context, QueryError};
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{get, web, HttpRequest, HttpResponse};
use serde::Deserialize;
use utoipa::IntoParams;

/// The SDMX agency id that maintains the artefacts (setting `SDMX_AGENCY`, `C2030` by default).
#[derive(Debug, Clone)]
pub struct Agency(pub String);

/// The SDMX context of one answer: the agency, and now as the preparation time.
pub fn context(agency: &Agency) -> Context {
    Context {
        agency: agency.0.clone(),
        prepared: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
    }
}

/// SDMX REST errors as problem+json: 400 for syntax, 404 `no_results_found` (SDMX
/// `NoResultsFound`), 501 `not_implemented`.
pub fn sdmx_error(error: QueryError) -> ApiError {
    match error {
        QueryError::Syntax(detail) => ApiError::bad_request("invalid_sdmx_query", detail),
        QueryError::NoResults(detail) => ApiError::not_found("no_results_found", format!("NoResultsFound: {detail}")),
        QueryError::NotImplemented(detail) => {
            ApiError::new(StatusCode::NOT_IMPLEMENTED, "not_implemented", format!("NotImplemented: {detail}"))
        }
    }
}

/// Query of structure requests.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct StructureParams {
    /// Artefacts referenced by the ones selected: `none` (default), `parents`,
    /// `parentsandsiblings`, `children`, `descendants`, `all`, or a structure type
    /// (`dataflow`, `datastructure`, `conceptscheme`, `codelist`).
    pub references: Option<String>,
    /// `full` (default); the stub details of SDMX (`allstubs`, `referencestubs`…) are not
    /// implemented (501).
    pub detail: Option<String>,
    /// `structure`: the same as `Accept: application/vnd.sdmx.structure+xml;version=2.1`.
    pub format: Option<String>,
}

async fn structures(
    req: HttpRequest,
    state: web::Data<AppState>,
    agency: web::Data<Agency>,
    params: web::Query<StructureParams>,
) -> Result<HttpResponse, ApiError> {
    let content_type = negotiate::structure_format(&req, params.format.as_deref())?;
    match params.detail.as_deref().unwrap_or("full") {
        "full" => {}
        stubs
        @ ("allstubs" | "referencestubs" | "allcompletestubs" | "referencecompletestubs" | "referencepartial") => {
            return Err(sdmx_error(QueryError::NotImplemented(format!("detail={stubs}: only detail=full"))));
        }
        other => return Err(sdmx_error(QueryError::Syntax(format!("`detail={other}` is not an SDMX detail")))),
    }
    let segment = |name: &str| req.match_info().get(name).unwrap_or("all").to_string();
    let resource = Resource::parse(&segment("resource"))
        .map_err(sdmx_error)?
        .ok_or_else(|| ApiError::not_found("not_found", format!("no SDMX resource `{}`", segment("resource"))))?;
    let (owner, id, version) = (segment("agency"), segment("id"), segment("version"));
    let query = StructureQuery {
        resource,
        agency: &owner,
        id: &id,
        version: &version,
        references: params.references.as_deref().unwrap_or("none"),
    };
    let lists = codelists(&state.catalogue);
    let selection = query.select(&agency.0, &lists).map_err(sdmx_error)?;
    let body = structure_xml::message(&context(&agency), &selection, &lists);
    Ok(HttpResponse::Ok().content_type(content_type).body(body))
}

/// SDMX structures: the dataflow `CONNECT2030`, its data structure definition
/// `DSD_CONNECT2030`, the code lists (`CL_AREA`: economies by ISO 3166 alpha-3 and the
/// service's group codes; `CL_INDICATOR`; `CL_SEX`, `CL_URBANISATION` with `_T` for totals;
/// `CL_UNIT_MEASURE`, `CL_OBS_STATUS`, `CL_NATURE`, `CL_FREQ`) and the concept scheme
/// `CS_CONNECT2030`, as an SDMX-ML 2.1 structure message. `all` and `latest` work as in SDMX
/// 2.1 paths (`/sdmx/rest/dataflow/all/all/latest?references=all`); the shorter paths
/// `/sdmx/rest/{resource}`, `…/{agency}` and `…/{agency}/{id}` work too.
#[utoipa::path(
    tag = "sdmx",
    params(
        ("resource" = String, Path, description = "`dataflow`, `datastructure`, `codelist` or `conceptscheme` (other SDMX structure types: 501)", example = "dataflow"),
        ("agency" = String, Path, description = "`all` or the agency id", example = "all"),
        ("id" = String, Path, description = "`all` or an artefact id", example = "CONNECT2030"),
        ("version" = String, Path, description = "`all`, `latest` or `1.0`", example = "latest"),
        StructureParams
    ),
    responses(
        (status = 200, description = "An SDMX-ML 2.1 structure message",
         content((String = "application/vnd.sdmx.structure+xml; version=2.1"))),
        (status = 400, description = "Bad parameter", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "NoResultsFound: no such artefact, or an unknown resource", body = Problem, content_type = "application/problem+json"),
        (status = 406, description = "Structures are served as SDMX-ML 2.1 only", body = Problem, content_type = "application/problem+json"),
        (status = 501, description = "A structure type or detail this service does not implement", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/{resource}/{agency}/{id}/{version}")]
pub async fn get_structure(
    req: HttpRequest,
    state: web::Data<AppState>,
    agency: web::Data<Agency>,
    params: web::Query<StructureParams>,
) -> Result<HttpResponse, ApiError> {
    structures(req, state, agency, params).await
}

/// The shorter structure paths (`/{resource}`, `/{resource}/{agency}`,
/// `/{resource}/{agency}/{id}`): the same answers, `all`/`latest` standing for the missing parts.
pub fn short_structure_paths(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    for path in ["/{resource}", "/{resource}/{agency}", "/{resource}/{agency}/{id}"] {
        cfg.route(path, web::get().to(structures));
    }
}
