//! Command-line administration: keys are printed once on standard output, nothing else is.

use crate::auth::{generate_key, GeneratedKey};
use crate::db::reporters;
use crate::domain::validation::reporter_name;
use crate::state::AppState;
use anyhow::{anyhow, bail, Context};

/// Creates an administrator with a key; returns the secret.
pub fn create_admin_key(state: &AppState, name: &str) -> anyhow::Result<String> {
    let name = reporter_name(name).map_err(|e| anyhow!(e.detail))?;
    let GeneratedKey { secret, stored } = generate_key();
    let (reporter, key) = state
        .db
        .write_blocking(|conn| reporters::create_reporter_with_key(conn, &name, None, true, &stored, None))
        .context("creating the administrator")?;
    tracing::info!(reporter_id = reporter.id, key_id = key.id, prefix = %key.prefix, "administrator key created");
    Ok(secret)
}

/// Creates a reporter for a member state with a key; returns the secret.
pub fn create_reporter(state: &AppState, country: &str, name: &str) -> anyhow::Result<String> {
    let Some(economy) = state.catalogue.member_state(country) else {
        bail!("`{country}` is not an ITU member state (use an ISO 3166 alpha-3 code such as KEN)");
    };
    let name = reporter_name(name).map_err(|e| anyhow!(e.detail))?;
    let iso3 = economy.iso3.clone();
    let GeneratedKey { secret, stored } = generate_key();
    let (reporter, key) = state
        .db
        .write_blocking(|conn| reporters::create_reporter_with_key(conn, &name, Some(&iso3), false, &stored, None))
        .context("creating the reporter")?;
    tracing::info!(reporter_id = reporter.id, key_id = key.id, prefix = %key.prefix, country = %iso3, "reporter created");
    Ok(secret)
}
