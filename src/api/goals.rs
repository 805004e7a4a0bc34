//! `GET /goals`, `GET /goals/{goal}`.

use super::extract::LocalisedRead;
use super::Meta;
use crate::api::contract;
use crate::domain::catalogue::{Catalogue, Goal};
use crate::domain::language::Language;
use crate::error::ApiError;
use actix_web::{get, web, HttpResponse};
use serde::Serialize;
use utoipa::ToSchema;

/// A strategic goal in the negotiated language.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": 1, "name": "Growth", "statement": "Enable and foster access to and increased use of telecommunications/ICTs in support of the digital economy and society", "targets": ["1.1", "1.2"], "language": "en"}))]
pub struct GoalView {
    /// 1..5.
    pub id: i32,
    /// Short name.
    pub name: String,
    /// The goal's statement.
    pub statement: String,
    /// Ids of its targets, in order.
    pub targets: Vec<String>,
    /// Language of `name` and `statement`.
    pub language: Language,
}

impl GoalView {
    fn new(goal: &Goal, catalogue: &Catalogue, language: Language) -> Self {
        Self {
            id: goal.id,
            name: language.pick(&goal.name.en, &goal.name.zh).to_string(),
            statement: language.pick(&goal.statement.en, &goal.statement.zh).to_string(),
            targets: catalogue.targets_of_goal(goal.id).map(|t| t.id.clone()).collect(),
            language,
        }
    }
}

/// The list of goals.
#[derive(Debug, Serialize, ToSchema)]
pub struct GoalList {
    /// The 5 goals.
    pub goals: Vec<GoalView>,
    /// Count and language.
    pub meta: Meta,
}

/// The 5 strategic goals of the Connect 2030 Agenda.
///
/// Texts are in English, or Chinese with `Accept-Language: zh`; `Content-Language` says which.
#[utoipa::path(
    tag = "catalogue",
    params(LocalisedRead),
    responses((status = 200, description = "The goals", body = GoalList), (status = 304, response = contract::NotModified))
)]
#[get("/goals")]
pub async fn list_goals(read: LocalisedRead) -> HttpResponse {
    let catalogue = &read.state.catalogue;
    let goals: Vec<_> = catalogue.goals.iter().map(|g| GoalView::new(g, catalogue, read.language)).collect();
    let meta = Meta { count: goals.len(), language: Some(read.language) };
    read.json(&GoalList { goals, meta })
}

/// One goal.
#[utoipa::path(
    tag = "catalogue",
    params(
        ("goal" = String, Path, description = "Goal number, 1 to 5", example = "1"),
        LocalisedRead
    ),
    responses(
        (status = 200, description = "The goal", body = GoalView),
        (status = 304, response = contract::NotModified),
        (status = 404, response = contract::NotFound)
    )
)]
#[get("/goals/{goal}")]
pub async fn get_goal(read: LocalisedRead, path: web::Path<String>) -> Result<HttpResponse, ApiError> {
    let raw = path.into_inner();
    let catalogue = &read.state.catalogue;
    let goal =
        raw.trim().parse::<i32>().ok().and_then(|id| catalogue.goal(id)).ok_or_else(|| {
            ApiError::not_found("unknown_goal", format!("no goal `{raw}`: goals are numbered 1 to 5"))
        })?;
    Ok(read.json(&GoalView::new(goal, catalogue, read.language)))
}
