//! Embedded migrations, one tree per backend with the same folder names.

use super::DbConnection;
use anyhow::anyhow;
use diesel::connection::SimpleConnection;
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

const SQLITE: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const POSTGRES: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// Serialises concurrent start-ups of several instances on one PostgreSQL database.
const POSTGRES_MIGRATION_LOCK: i64 = 20_302_030;

/// Reverts the last applied migration; returns its version. For a downgrade, and for the
/// tests that prove a migration carries existing data over (revert, then apply again).
pub fn revert_last_migration(conn: &mut DbConnection) -> anyhow::Result<String> {
    let reverted = match conn {
        DbConnection::Sqlite(conn) => conn.revert_last_migration(SQLITE),
        DbConnection::Postgresql(conn) => conn.revert_last_migration(POSTGRES),
    };
    Ok(reverted.map_err(|e| anyhow!(e))?.to_string())
}

/// Applies pending migrations; returns the versions applied.
pub fn run_migrations(conn: &mut DbConnection) -> anyhow::Result<Vec<String>> {
    fn versions<C: MigrationHarness<B>, B: diesel::backend::Backend>(
        conn: &mut C,
        source: EmbeddedMigrations,
    ) -> anyhow::Result<Vec<String>> {
        let applied = conn.run_pending_migrations(source).map_err(|e| anyhow!(e))?;
        Ok(applied.into_iter().map(|v| v.to_string()).collect())
    }
    match conn {
        DbConnection::Sqlite(conn) => versions(conn, SQLITE),
        DbConnection::Postgresql(conn) => {
            conn.batch_execute(&format!("SELECT pg_advisory_lock({POSTGRES_MIGRATION_LOCK})"))?;
            let result = versions(conn, POSTGRES);
            conn.batch_execute(&format!("SELECT pg_advisory_unlock({POSTGRES_MIGRATION_LOCK})"))?;
            result
        }
    }
}
