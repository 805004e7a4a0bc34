//! `GET /progress/countries/{iso3}`: one country against every target.

use super::params::Provenance;
use super::read::ProgressRead;
use crate::api::contract;
use crate::api::lookup::{self, Named};
use crate::domain::catalogue::{Economy, RuleKind};
use crate::domain::language::Language;
use crate::domain::tracking::{self, CountryProgress, Inputs, MeasureSpec};
use crate::error::ApiError;
use crate::state::progress::Reads;
use actix_web::{get, web, HttpResponse};
use serde::Serialize;
use utoipa::ToSchema;

/// One target's progress for a country.
#[derive(Debug, Serialize, ToSchema)]
pub struct CountryTargetLine {
    /// Target id.
    pub target: String,
    /// What the target says.
    pub text: String,
    /// Rule kind.
    pub kind: RuleKind,
    /// The country's answer or assessment.
    pub progress: CountryProgress,
}

/// Every target for one country.
#[derive(Debug, Serialize, ToSchema)]
pub struct CountryProgressView {
    /// What it was computed from.
    pub provenance: Provenance,
    /// ISO alpha-3.
    pub country: String,
    /// Common name.
    pub name: String,
    /// Every target, in order.
    pub targets: Vec<CountryTargetLine>,
}

/// One country's assessment for every target: its latest yes/no answers, and its own
/// series held to each numeric target's rule.
#[utoipa::path(
    tag = "progress",
    params(
        ("iso3" = String, Path, description = "ISO 3166 alpha-3 code", example = "KEN"),
        ProgressRead
    ),
    responses(
        (status = 200, description = "The country's progress", body = CountryProgressView, headers(("stale-ms" = u64, description = "Milliseconds since a write superseded this answer, served while the next is computed"))),
        (status = 304, response = contract::NotModified),
        (status = 400, response = contract::BadRequest),
        (status = 404, response = contract::NotFound)
    )
)]
#[get("/progress/countries/{iso3}")]
pub async fn country_progress(path: web::Path<String>, read: ProgressRead) -> Result<HttpResponse, ApiError> {
    let economy = lookup::economy(&read.state.catalogue, &path, Named::InPath)?.clone();
    read.serve(format!("country:{}", economy.iso3), Reads::All, move |inputs, provenance, language| {
        Ok(country_view(inputs, provenance, &economy, language))
    })
    .await
}

/// One country's progress for every target, computed from the inputs.
pub fn country_view(
    inputs: Inputs,
    provenance: Provenance,
    economy: &Economy,
    language: Language,
) -> CountryProgressView {
    let targets = inputs
        .catalogue
        .targets
        .iter()
        .filter_map(|target| {
            let spec = MeasureSpec::of_target(target, inputs.catalogue)?;
            Some(CountryTargetLine {
                target: target.id.clone(),
                text: language.pick(&target.text.en, &target.text.zh).to_string(),
                kind: target.rule.kind,
                progress: tracking::country_progress(inputs, target, &spec, &economy.iso3, true),
            })
        })
        .collect();
    CountryProgressView { provenance, country: economy.iso3.clone(), name: economy.short_name.clone(), targets }
}
