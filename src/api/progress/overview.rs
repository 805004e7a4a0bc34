//! `GET /progress`: every goal and target at a glance.

use super::params::Provenance;
use super::read::ProgressRead;
use crate::api::contract;
use crate::domain::catalogue::{Catalogue, Measure, RuleKind};
use crate::domain::language::Language;
use crate::domain::tracking::{self, GroupProgress, Inputs};
use crate::error::ApiError;
use crate::state::pieces::Pieces;
use crate::state::progress::Reads;
use actix_web::{get, HttpResponse};
use serde::Serialize;
use utoipa::ToSchema;

/// One target's line in the overview.
#[derive(Debug, Serialize, ToSchema)]
pub struct TargetLine {
    /// Target id.
    pub id: String,
    /// What the target says.
    pub text: String,
    /// Rule kind.
    pub kind: RuleKind,
    /// How its indicators combine.
    pub measure: Measure,
    /// Indicators read.
    pub indicators: Vec<String>,
    /// Its progress over its group: latest aggregate with coverage, assessment.
    pub progress: GroupProgress,
}

/// One goal in the overview.
#[derive(Debug, Serialize, ToSchema)]
pub struct GoalLine {
    /// Goal number.
    pub id: i32,
    /// Goal name.
    pub name: String,
    /// Its targets.
    pub targets: Vec<TargetLine>,
}

/// The dashboard overview.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProgressOverview {
    /// What it was computed from.
    pub provenance: Provenance,
    /// Language of the texts.
    pub language: Language,
    /// Goals with their targets.
    pub goals: Vec<GoalLine>,
}

/// The overview, computed from the inputs; each target's headline is taken from `pieces`
/// when the values it reads did not change.
pub fn overview(inputs: Inputs, provenance: Provenance, language: Language, pieces: &Pieces) -> ProgressOverview {
    let catalogue: &Catalogue = inputs.catalogue;
    let goals = catalogue
        .goals
        .iter()
        .map(|goal| GoalLine {
            id: goal.id,
            name: language.pick(&goal.name.en, &goal.name.zh).to_string(),
            targets: catalogue
                .targets_of_goal(goal.id)
                .filter_map(|target| {
                    Some(TargetLine {
                        id: target.id.clone(),
                        text: language.pick(&target.text.en, &target.text.zh).to_string(),
                        kind: target.rule.kind,
                        measure: target.rule.measure,
                        indicators: target.indicators.clone(),
                        progress: pieces.headline(
                            format!("{}|{:?}", target.id, inputs.options),
                            inputs.data.mark(&target.indicators),
                            || tracking::headline(inputs, target, false),
                        )?,
                    })
                })
                .collect(),
        })
        .collect();
    ProgressOverview { provenance, language, goals }
}

/// Progress overview for dashboards: every goal and target with its group's latest
/// aggregate, coverage, target value and status under the chosen method.
///
/// Answers carry a strong `ETag` derived from the stored data version and the query, so
/// `If-None-Match` is answered with 304 without computing, identically on every instance.
#[utoipa::path(
    tag = "progress",
    params(ProgressRead),
    responses(
        (status = 200, description = "The overview", body = ProgressOverview, headers(("stale-ms" = u64, description = "Milliseconds since a write superseded this answer, served while the next is computed"))),
        (status = 304, response = contract::NotModified),
        (status = 400, response = contract::BadRequest)
    )
)]
#[get("/progress")]
pub async fn progress_overview(read: ProgressRead) -> Result<HttpResponse, ApiError> {
    let progress = read.state.progress.clone();
    read.serve("overview".into(), Reads::All, move |inputs, provenance, language| {
        Ok(overview(inputs, provenance, language, &progress.pieces))
    })
    .await
}
