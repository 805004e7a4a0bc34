//! Embedded migrations, one tree per backend with the same folder names.

use super::DbConnection;
use anyhow::{anyhow, bail};
use diesel::backend::Backend;
use diesel::connection::SimpleConnection;
use diesel::migration::MigrationSource;
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

const SQLITE: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const POSTGRES: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// Serialises concurrent start-ups of several instances on one PostgreSQL database.
const POSTGRES_MIGRATION_LOCK: i64 = 20_302_030;

/// What [`run_migrations`] did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Migrated {
    /// Versions applied now, oldest first.
    pub applied: Vec<String>,
    /// Versions the database holds that this binary does not know (a newer binary applied
    /// them); non-empty only when the caller allowed a newer schema.
    pub unknown: Vec<String>,
}

/// Reverts the last applied migration; returns its version. For a downgrade, and for the
/// tests that prove a migration carries existing data over (revert, then apply again).
pub fn revert_last_migration(conn: &mut DbConnection) -> anyhow::Result<String> {
    let reverted = match conn {
        DbConnection::Sqlite(conn) => conn.revert_last_migration(SQLITE),
        DbConnection::Postgresql(conn) => conn.revert_last_migration(POSTGRES),
    };
    Ok(reverted.map_err(|e| anyhow!(e))?.to_string())
}

/// Applies pending migrations. A database holding migrations this binary does not know was
/// upgraded by a newer binary, whose schema this one may misread or corrupt: refused unless
/// `allow_newer` (the operator knows the schema is compatible).
pub fn run_migrations(conn: &mut DbConnection, allow_newer: bool) -> anyhow::Result<Migrated> {
    fn migrate<C: MigrationHarness<B>, B: Backend>(
        conn: &mut C,
        source: EmbeddedMigrations,
        allow_newer: bool,
    ) -> anyhow::Result<Migrated> {
        let known: Vec<String> = MigrationSource::<B>::migrations(&source)
            .map_err(|e| anyhow!(e))?
            .iter()
            .map(|m| m.name().version().to_string())
            .collect();
        let mut unknown: Vec<String> = conn
            .applied_migrations()
            .map_err(|e| anyhow!(e))?
            .into_iter()
            .map(|v| v.to_string())
            .filter(|v| !known.contains(v))
            .collect();
        unknown.sort();
        if !unknown.is_empty() && !allow_newer {
            bail!(
                "the database holds migration{} {} that connect2030 {} does not know (a newer version upgraded it): \
                 run that version, restore a backup taken before the upgrade, or start with --allow-newer-schema \
                 if this version is known to work with that schema",
                if unknown.len() == 1 { "" } else { "s" },
                unknown.join(", "),
                env!("CARGO_PKG_VERSION"),
            );
        }
        let applied = conn.run_pending_migrations(source).map_err(|e| anyhow!(e))?;
        Ok(Migrated { applied: applied.into_iter().map(|v| v.to_string()).collect(), unknown })
    }
    match conn {
        DbConnection::Sqlite(conn) => migrate(conn, SQLITE, allow_newer),
        DbConnection::Postgresql(conn) => {
            // The check runs under the lock too: an instance starting while a newer one
            // migrates sees the schema before or after, never half of it.
            conn.batch_execute(&format!("SELECT pg_advisory_lock({POSTGRES_MIGRATION_LOCK})"))?;
            let result = migrate(conn, POSTGRES, allow_newer);
            conn.batch_execute(&format!("SELECT pg_advisory_unlock({POSTGRES_MIGRATION_LOCK})"))?;
            result
        }
    }
}
