//! connect2030: a REST API that tracks progress toward the ITU Connect 2030 Agenda.
//!
//! Layers, each naming only those before it: [`domain`] is pure code (the catalogue,
//! validation, ingest planning, progress methods and tracking); [`db`] holds the diesel
//! connection over SQLite or PostgreSQL, the schema, the queries and [`db::DbError`];
//! [`state`] is what one instance shares (pool, catalogue, progress cache, metrics, rate
//! limiter); [`auth`], [`api`] (one module per resource) and [`middleware`] serve HTTP, with
//! [`error::ApiError`] as the one error at the edge; [`sdmx`] is the pure SDMX mapping (it
//! names only `domain`), served by `api::sdmx`; [`routes`] is the one routing table and
//! [`startup`] builds the server. `tests/api/architecture.rs` keeps the direction.

pub mod admin;
pub mod api;
pub mod auth;
pub mod cli;
pub mod config;
pub mod db;
pub mod domain;
pub mod error;
pub mod middleware;
pub mod public_data;
pub mod reference;
pub mod routes;
pub mod sdmx;
pub mod startup;
pub mod state;
pub mod telemetry;
pub mod web;
