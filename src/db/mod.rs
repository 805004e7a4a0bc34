//! Persistence: one diesel connection type over SQLite or PostgreSQL, a pool, the schema,
//! embedded migrations and the queries, grouped by aggregate.

pub mod backup;
pub mod catalogue;
mod connection;
pub mod dataset;
mod error;
pub mod explain;
pub mod history;
pub mod idempotency;
pub mod ingest;
pub mod initiatives;
mod migrations;
pub mod notify;
pub mod observation_keys;
pub mod observations;
pub mod reporters;
pub mod schema;
pub mod signals;
pub mod snapshots;
pub mod submissions;
pub mod write;

pub use connection::{Backend, Db, DbConnection};
pub use error::{DbError, DbResult};
pub use migrations::{revert_last_migration, run_migrations, Migrated};
