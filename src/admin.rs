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

/// Issues another key to an existing reporter; returns the secret.
pub fn create_key(state: &AppState, reporter_id: i64) -> anyhow::Result<String> {
    let GeneratedKey { secret, stored } = generate_key();
    let key = state
        .db
        .write_blocking(|conn| reporters::create_key(conn, reporter_id, &stored, None))
        .with_context(|| format!("issuing a key to reporter {reporter_id}"))?
        .ok_or_else(|| anyhow!("no reporter {reporter_id} (see `reporter list`)"))?;
    tracing::info!(reporter_id, key_id = key.id, prefix = %key.prefix, "key created");
    Ok(secret)
}

/// Revokes a key; returns a line saying which.
pub fn revoke_key(state: &AppState, key_id: i64) -> anyhow::Result<String> {
    let key = state
        .db
        .write_blocking(|conn| reporters::revoke_key(conn, key_id, None))
        .with_context(|| format!("revoking key {key_id}"))?
        .ok_or_else(|| anyhow!("no key {key_id} (see `reporter list`)"))?;
    let at = key.revoked_at.map(|t| t.and_utc().to_rfc3339()).unwrap_or_default();
    Ok(format!("key {} ({}) of reporter {} revoked at {at}", key.id, key.prefix, key.reporter_id))
}

/// Every reporter and administrator with its keys, one line each (never a secret).
pub fn list_reporters(state: &AppState) -> anyhow::Result<String> {
    let mut conn = state.db.get()?;
    let all = reporters::list(&mut conn).context("listing reporters")?;
    let mut out = String::new();
    for (reporter, keys) in all {
        let role = reporter.country.as_deref().unwrap_or("admin");
        out += &format!("reporter {}\t{role}\t{}\n", reporter.id, reporter.name);
        for key in keys {
            let status =
                key.revoked_at.map_or("active".to_string(), |t| format!("revoked {}", t.and_utc().to_rfc3339()));
            out += &format!("  key {}\t{}…\t{status}\n", key.id, key.prefix);
        }
    }
    Ok(out)
}
