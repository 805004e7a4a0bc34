//! An online copy of an SQLite database (`connect2030 backup`).

use super::connection::establish_sqlite;
use crate::config::DatabaseUrl;
use anyhow::{bail, Context};
use diesel::sql_types::Text;
use diesel::RunQueryDsl;
use std::path::Path;

/// Copies the SQLite database of `url` to the new file `to` with `VACUUM INTO`, and returns the
/// copy's size in bytes. It reads in one transaction, so the copy is consistent, holds every
/// committed write (also those still only in the `-wal` file, which a file copy loses), and
/// the service keeps serving meanwhile. PostgreSQL is backed up with its own tools.
pub fn backup(url: &DatabaseUrl, to: &Path) -> anyhow::Result<u64> {
    let DatabaseUrl::Sqlite(path) = url else {
        bail!("`backup` copies SQLite databases; back up PostgreSQL with `pg_dump -Fc` (README, Operations)");
    };
    // Opening a missing file would create an empty database, and back that up.
    if !path.is_file() {
        bail!("there is no SQLite database at {}", path.display());
    }
    if to.exists() {
        bail!("{} already exists: back up to a new file", to.display());
    }
    let target = to.to_str().with_context(|| format!("the backup path {} is not UTF-8", to.display()))?;
    let mut conn = establish_sqlite(path).with_context(|| format!("cannot open {url:?}"))?;
    diesel::sql_query("VACUUM INTO ?")
        .bind::<Text, _>(target)
        .execute(&mut conn)
        .with_context(|| format!("cannot back up {url:?} to {}", to.display()))?;
    Ok(std::fs::metadata(to).with_context(|| format!("cannot read the backup {}", to.display()))?.len())
}
