//! Persistence: one diesel connection type over SQLite or PostgreSQL, a pool, the schema,
//! embedded migrations and the queries, grouped by aggregate.

pub mod catalogue;
mod connection;
mod migrations;
pub mod schema;

pub use connection::{Backend, Db, DbConnection};
pub use migrations::run_migrations;
