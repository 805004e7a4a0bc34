//! `GET /groups`, `GET /groups/{code}`.

use super::{respond, Meta};
use crate::api::contract;
use crate::domain::catalogue::{Catalogue, Group};
use crate::error::ApiError;
use crate::state::AppState;
use actix_web::{get, web, HttpRequest, HttpResponse};
use chrono::{NaiveDate, Utc};
use serde::Serialize;
use utoipa::ToSchema;

/// A country group without its members.
#[derive(Debug, Serialize, ToSchema)]
pub struct GroupSummary {
    /// e.g. `LDC`.
    pub code: String,
    /// Name.
    pub name: String,
    /// `world`, `membership`, `itu_region`, `development`, `un_category` or `income`.
    pub kind: String,
    /// What the group is.
    pub description: String,
    /// Where the list comes from.
    pub source: String,
    /// Members today.
    pub current_members: usize,
}

impl GroupSummary {
    fn new(group: &Group, today: NaiveDate) -> Self {
        Self {
            code: group.code.clone(),
            name: group.name.clone(),
            kind: group.kind.clone(),
            description: group.description.clone(),
            source: group.source.clone(),
            current_members: group.members.iter().filter(|m| m.is_active_on(today)).count(),
        }
    }
}

/// A member with the dates of its membership.
#[derive(Debug, Serialize, ToSchema)]
pub struct GroupMember {
    /// ISO 3166 alpha-3.
    pub iso3: String,
    /// Common name.
    pub name: String,
    /// First day of membership, when known to fall inside the data period.
    pub valid_from: Option<NaiveDate>,
    /// First day no longer a member (e.g. LDC graduation).
    pub valid_to: Option<NaiveDate>,
    /// Whether it is a member today.
    pub current: bool,
}

/// A group with every member it has had.
#[derive(Debug, Serialize, ToSchema)]
pub struct GroupDetail {
    /// The group.
    #[serde(flatten)]
    pub group: GroupSummary,
    /// Members, past and present, by ISO code.
    pub members: Vec<GroupMember>,
}

/// The list of groups.
#[derive(Debug, Serialize, ToSchema)]
pub struct GroupList {
    /// Groups in display order.
    pub groups: Vec<GroupSummary>,
    /// Count.
    pub meta: Meta,
}

/// Country groups: world, ITU member states, the six ITU regions, developing/developed,
/// LDC, LLDC, SIDS and World Bank income groups.
#[utoipa::path(tag = "catalogue", responses((status = 200, description = "The groups", body = GroupList), (status = 304, response = contract::NotModified)))]
#[get("/groups")]
pub async fn list_groups(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    let today = Utc::now().date_naive();
    let groups: Vec<_> = state.catalogue.groups.iter().map(|g| GroupSummary::new(g, today)).collect();
    let meta = Meta { count: groups.len(), language: None };
    respond::json(&req, None, &GroupList { groups, meta })
}

fn detail(group: &Group, catalogue: &Catalogue, today: NaiveDate) -> GroupDetail {
    let members = group
        .members
        .iter()
        .map(|m| GroupMember {
            iso3: m.iso3.clone(),
            name: catalogue.economy(&m.iso3).map(|e| e.short_name.clone()).unwrap_or_default(),
            valid_from: m.valid_from,
            valid_to: m.valid_to,
            current: m.is_active_on(today),
        })
        .collect();
    GroupDetail { group: GroupSummary::new(group, today), members }
}

/// One group with its members and their effective dates (case-insensitive code).
#[utoipa::path(
    tag = "catalogue",
    params(("code" = String, Path, description = "Group code", example = "LDC")),
    responses(
        (status = 200, description = "The group", body = GroupDetail),
        (status = 304, response = contract::NotModified),
        (status = 404, response = contract::NotFound)
    )
)]
#[get("/groups/{code}")]
pub async fn get_group(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let code = path.into_inner();
    let group = state
        .catalogue
        .group(&code)
        .ok_or_else(|| ApiError::not_found("unknown_group", format!("no group `{code}`")))?;
    Ok(respond::json(&req, None, &detail(group, &state.catalogue, Utc::now().date_naive())))
}
