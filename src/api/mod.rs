//! HTTP resources: one module per resource, request and response types next to their handlers.

pub mod contract;
pub mod countries;
pub mod csv_cell;
pub mod encoding;
pub mod extract;
pub mod fallback;
pub mod goals;
pub mod groups;
pub mod health;
pub mod indicators;
pub mod initiatives;
pub mod lookup;
pub mod observations;
pub mod progress;
pub mod query;
pub mod reporters;
pub mod respond;
pub mod sdmx;
pub mod spec;
pub mod submissions;
pub mod targets;

use serde::Serialize;
use utoipa::ToSchema;

/// Metadata of a collection answer.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Meta {
    /// Items in this answer.
    pub count: usize,
    /// Language of the texts in this answer (`en` or `zh`), for localised collections.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<crate::domain::language::Language>,
}
