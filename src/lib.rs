//! connect2030: a REST API that tracks progress toward the ITU Connect 2030 Agenda.
//!
//! Layout: [`domain`] is pure code (typed codes, the catalogue); [`db`] holds the
//! diesel connection over SQLite or PostgreSQL, the schema and the queries; [`api`] has one
//! module per resource; [`routes`] is the one routing table; [`startup`] builds the server.

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
pub mod startup;
pub mod telemetry;
