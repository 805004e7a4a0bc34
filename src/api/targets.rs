//! `GET /targets`, `GET /targets/{target}`.

use super::extract::LocalisedRead;
use super::lookup::{self, Named};
use super::{contract, Meta};
use crate::domain::catalogue::{Rule, Target};
use crate::domain::language::Language;
use crate::error::ApiError;
use actix_web::{get, web, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// A target in the negotiated language, with its rule as data.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "2.1.A", "goal": 2, "text": "In the developing world, 60% of households should have access to the Internet",
    "rule": {"kind": "level", "target_value": 60.0, "comparator": ">=", "direction": "higher_is_better",
             "group": "DEVELOPING", "comparison_group": null, "deadline_year": 2023, "baseline_year": null,
             "measure": "single"},
    "indicators": ["households_internet_pct"], "priority": false,
    "source": "ITU PP Resolution 200 (Rev. Dubai, 2018)", "wording_verified": true, "language": "en"}))]
pub struct TargetView {
    /// e.g. `2.1.A`.
    pub id: String,
    /// Its goal.
    pub goal: i32,
    /// What the target says.
    pub text: String,
    /// How it is assessed.
    pub rule: Rule,
    /// Indicators the rule reads.
    pub indicators: Vec<String>,
    /// One of the targets the agenda singles out as driving digital transformation
    /// (1.4, 1.7, 3.1, 3.5, 4.1, 5.1).
    pub priority: bool,
    /// Where the wording comes from.
    pub source: String,
    /// Whether the wording was checked against the resolution text.
    pub wording_verified: bool,
    /// Language of `text`.
    pub language: Language,
}

/// Targets the agenda asks member states to report on with special attention.
const PRIORITY_TARGETS: [&str; 6] = ["1.4", "1.7", "3.1", "3.5", "4.1", "5.1"];

impl TargetView {
    /// The view of a target in a language.
    pub fn new(target: &Target, language: Language) -> Self {
        Self {
            id: target.id.clone(),
            goal: target.goal,
            text: language.pick(&target.text.en, &target.text.zh).to_string(),
            rule: target.rule.clone(),
            indicators: target.indicators.clone(),
            priority: PRIORITY_TARGETS.contains(&target.id.as_str()),
            source: target.source.clone(),
            wording_verified: target.wording_verified,
            language,
        }
    }
}

/// The list of targets.
#[derive(Debug, Serialize, ToSchema)]
pub struct TargetList {
    /// Targets in goal order.
    pub targets: Vec<TargetView>,
    /// Count and language.
    pub meta: Meta,
}

/// Filters of `GET /targets`.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct TargetFilter {
    /// Only the targets of this goal (1 to 5).
    #[param(minimum = 1, maximum = 5)]
    pub goal: Option<i32>,
}

/// The 24 targets, each with its rule (kind, value, comparator, direction, group, deadline,
/// baseline year) and indicators.
#[utoipa::path(
    tag = "catalogue",
    params(TargetFilter, LocalisedRead),
    responses(
        (status = 200, description = "The targets", body = TargetList),
        (status = 304, response = contract::NotModified),
        (status = 400, response = contract::BadRequest)
    )
)]
#[get("/targets")]
pub async fn list_targets(read: LocalisedRead, filter: web::Query<TargetFilter>) -> Result<HttpResponse, ApiError> {
    let catalogue = &read.state.catalogue;
    let targets: Vec<_> = catalogue
        .targets
        .iter()
        .filter(|t| filter.goal.is_none_or(|g| t.goal == g))
        .map(|t| TargetView::new(t, read.language))
        .collect();
    let meta = Meta { count: targets.len(), language: Some(read.language) };
    Ok(read.json(&TargetList { targets, meta }))
}

/// One target, by id (case-insensitive, e.g. `2.1.A`).
#[utoipa::path(
    tag = "catalogue",
    params(
        ("target" = String, Path, description = "Target id", example = "2.1.A"),
        LocalisedRead
    ),
    responses(
        (status = 200, description = "The target", body = TargetView),
        (status = 304, response = contract::NotModified),
        (status = 404, response = contract::NotFound)
    )
)]
#[get("/targets/{target}")]
pub async fn get_target(read: LocalisedRead, path: web::Path<String>) -> Result<HttpResponse, ApiError> {
    let target = lookup::target(&read.state.catalogue, &path, Named::InPath)?;
    Ok(read.json(&TargetView::new(target, read.language)))
}
