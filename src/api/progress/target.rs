//! `GET /progress/targets/{target}`: one target over every group and country.

use super::params::Provenance;
use super::read::ProgressRead;
use crate::api::contract;
use crate::api::lookup::{self, Named};
use crate::api::targets::TargetView;
use crate::domain::catalogue::Target;
use crate::domain::language::Language;
use crate::domain::tracking::{self, Inputs};
use crate::error::ApiError;
use crate::state::progress::Reads;
use actix_web::{get, web, HttpResponse};
use serde::Serialize;
use utoipa::ToSchema;

/// One target's progress in full.
#[derive(Debug, Serialize, ToSchema)]
pub struct TargetProgressView {
    /// What it was computed from.
    pub provenance: Provenance,
    /// The target and its rule.
    pub target: TargetView,
    /// Headline, other groups, components and countries.
    #[serde(flatten)]
    pub breakdown: tracking::TargetBreakdown,
}

/// One target: its group's aggregate series and assessment, the same for the ITU regions,
/// development groups, LDC/LLDC/SIDS and income groups, and every country's assessment.
#[utoipa::path(
    tag = "progress",
    params(
        ("target" = String, Path, description = "Target id", example = "1.2"),
        ProgressRead
    ),
    responses(
        (status = 200, description = "The target's progress", body = TargetProgressView, headers(("stale-ms" = u64, description = "Milliseconds since a write superseded this answer, served while the next is computed"))),
        (status = 304, response = contract::NotModified),
        (status = 400, response = contract::BadRequest),
        (status = 404, response = contract::NotFound)
    )
)]
#[get("/progress/targets/{target}")]
pub async fn target_progress(path: web::Path<String>, read: ProgressRead) -> Result<HttpResponse, ApiError> {
    let target = lookup::target(&read.state.catalogue, &path, Named::InPath)?.clone();
    let reads = Reads::Indicators(target.indicators.clone());
    read.serve(format!("target:{}", target.id), reads, move |inputs, provenance, language| {
        target_view(inputs, provenance, &target, language)
    })
    .await
}

/// One target's progress, computed from the inputs.
pub fn target_view(
    inputs: Inputs,
    provenance: Provenance,
    target: &Target,
    language: Language,
) -> Result<TargetProgressView, ApiError> {
    let breakdown = tracking::breakdown(inputs, target)
        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("target {} has no measurable indicator", target.id)))?;
    Ok(TargetProgressView { provenance, target: TargetView::new(target, language), breakdown })
}
