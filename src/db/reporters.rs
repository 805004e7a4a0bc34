//! Reporters, their keys, and the audit trail of administrative actions.

use super::schema::{api_keys, audit_events, reporters};
use super::write::{self, next_id};
use super::DbConnection;
use crate::auth::{generate_key, Caller};
use crate::error::ApiError;
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// A stored reporter.
#[derive(Debug, Clone, Queryable)]
pub struct ReporterRecord {
    /// Id.
    pub id: i64,
    /// Name (e.g. the statistics office).
    pub name: String,
    /// Its member state; none for the secretariat.
    pub country: Option<String>,
    /// Administrator.
    pub is_admin: bool,
    /// When it was created.
    pub created_at: NaiveDateTime,
}

/// A stored key (its hash is never returned).
#[derive(Debug, Clone, Queryable)]
pub struct KeyRecord {
    /// Id.
    pub id: i64,
    /// Owner.
    pub reporter_id: i64,
    /// Identifying prefix.
    pub prefix: String,
    /// When it was created.
    pub created_at: NaiveDateTime,
    /// When it was revoked.
    pub revoked_at: Option<NaiveDateTime>,
}

const KEY_COLUMNS: (api_keys::id, api_keys::reporter_id, api_keys::prefix, api_keys::created_at, api_keys::revoked_at) =
    (api_keys::id, api_keys::reporter_id, api_keys::prefix, api_keys::created_at, api_keys::revoked_at);

/// Records an administrative action.
pub fn audit(
    conn: &mut DbConnection,
    actor: Option<&Caller>,
    action: &str,
    subject: &str,
    detail: &str,
    at: NaiveDateTime,
) -> Result<(), ApiError> {
    let id = next_id!(conn, audit_events)?;
    diesel::insert_into(audit_events::table)
        .values((
            audit_events::id.eq(id),
            audit_events::at.eq(at),
            audit_events::actor_reporter_id.eq(actor.map(|a| a.reporter_id)),
            audit_events::actor_key_id.eq(actor.map(|a| a.key_id)),
            audit_events::action.eq(action),
            audit_events::subject.eq(subject),
            audit_events::detail.eq(detail),
        ))
        .execute(conn)?;
    Ok(())
}

/// Creates a reporter (inside a write transaction).
pub fn create_reporter(
    conn: &mut DbConnection,
    name: &str,
    country: Option<&str>,
    is_admin: bool,
    actor: Option<&Caller>,
) -> Result<ReporterRecord, ApiError> {
    let at = write::begin(conn)?;
    let id = next_id!(conn, reporters)?;
    let record =
        ReporterRecord { id, name: name.to_string(), country: country.map(str::to_string), is_admin, created_at: at };
    diesel::insert_into(reporters::table)
        .values((
            reporters::id.eq(id),
            reporters::name.eq(&record.name),
            reporters::country.eq(&record.country),
            reporters::is_admin.eq(is_admin),
            reporters::created_at.eq(at),
        ))
        .execute(conn)?;
    let detail = format!("name={name} country={} admin={is_admin}", country.unwrap_or("-"));
    audit(conn, actor, "reporter.create", &format!("reporter:{id}"), &detail, at)?;
    Ok(record)
}

/// Issues a new key to a reporter; returns it with its secret (shown once).
pub fn create_key(
    conn: &mut DbConnection,
    reporter_id: i64,
    actor: Option<&Caller>,
) -> Result<(KeyRecord, String), ApiError> {
    let at = write::begin(conn)?;
    let exists = reporters::table.find(reporter_id).select(reporters::id).first::<i64>(conn).optional()?;
    if exists.is_none() {
        return Err(ApiError::not_found("unknown_reporter", format!("no reporter {reporter_id}")));
    }
    let id = next_id!(conn, api_keys)?;
    let key = generate_key();
    diesel::insert_into(api_keys::table)
        .values((
            api_keys::id.eq(id),
            api_keys::reporter_id.eq(reporter_id),
            api_keys::prefix.eq(&key.prefix),
            api_keys::key_hash.eq(&key.hash),
            api_keys::created_at.eq(at),
        ))
        .execute(conn)?;
    audit(
        conn,
        actor,
        "key.create",
        &format!("key:{id}"),
        &format!("reporter={reporter_id} prefix={}", key.prefix),
        at,
    )?;
    let record = KeyRecord { id, reporter_id, prefix: key.prefix.clone(), created_at: at, revoked_at: None };
    Ok((record, key.secret))
}

/// Creates a reporter and its first key; returns the key's secret (shown once).
pub fn create_reporter_with_key(
    conn: &mut DbConnection,
    name: &str,
    country: Option<&str>,
    is_admin: bool,
    actor: Option<&Caller>,
) -> Result<(ReporterRecord, KeyRecord, String), ApiError> {
    let reporter = create_reporter(conn, name, country, is_admin, actor)?;
    let (key, secret) = create_key(conn, reporter.id, actor)?;
    Ok((reporter, key, secret))
}

/// Revokes a key (revoking twice keeps the first revocation time).
pub fn revoke_key(conn: &mut DbConnection, key_id: i64, actor: &Caller) -> Result<KeyRecord, ApiError> {
    let at = write::begin(conn)?;
    let key = api_keys::table
        .find(key_id)
        .select(KEY_COLUMNS)
        .first::<KeyRecord>(conn)
        .optional()?
        .ok_or_else(|| ApiError::not_found("unknown_key", format!("no key {key_id}")))?;
    if key.revoked_at.is_some() {
        return Ok(key);
    }
    diesel::update(api_keys::table.find(key_id)).set(api_keys::revoked_at.eq(Some(at))).execute(conn)?;
    audit(conn, Some(actor), "key.revoke", &format!("key:{key_id}"), &format!("prefix={}", key.prefix), at)?;
    Ok(KeyRecord { revoked_at: Some(at), ..key })
}

/// Every reporter with its keys.
pub fn list(conn: &mut DbConnection) -> Result<Vec<(ReporterRecord, Vec<KeyRecord>)>, ApiError> {
    let all_reporters = reporters::table.order(reporters::id).load::<ReporterRecord>(conn)?;
    let keys = api_keys::table.order(api_keys::id).select(KEY_COLUMNS).load::<KeyRecord>(conn)?;
    Ok(all_reporters
        .into_iter()
        .map(|r| {
            let own = keys.iter().filter(|k| k.reporter_id == r.id).cloned().collect();
            (r, own)
        })
        .collect())
}

/// Finds an unrevoked key by hash; returns the stored hash and the caller it identifies.
pub fn find_active_key(conn: &mut DbConnection, hash: &str) -> Result<Option<(String, Caller)>, ApiError> {
    let found = api_keys::table
        .inner_join(reporters::table)
        .filter(api_keys::key_hash.eq(hash))
        .filter(api_keys::revoked_at.is_null())
        .select((
            api_keys::key_hash,
            api_keys::id,
            reporters::id,
            reporters::name,
            reporters::country,
            reporters::is_admin,
        ))
        .first::<(String, i64, i64, String, Option<String>, bool)>(conn)
        .optional()?;
    Ok(found.map(|(stored, key_id, reporter_id, reporter_name, country, is_admin)| {
        (stored, Caller { reporter_id, reporter_name, key_id, country, is_admin })
    }))
}

/// A reporter by id.
pub fn find(conn: &mut DbConnection, id: i64) -> Result<Option<ReporterRecord>, ApiError> {
    Ok(reporters::table.find(id).first::<ReporterRecord>(conn).optional()?)
}

/// A recorded administrative action.
#[derive(Debug, Clone, Queryable)]
pub struct AuditRecord {
    /// Id.
    pub id: i64,
    /// When.
    pub at: NaiveDateTime,
    /// Acting reporter (none: the command line).
    pub actor_reporter_id: Option<i64>,
    /// Acting key.
    pub actor_key_id: Option<i64>,
    /// e.g. `key.revoke`.
    pub action: String,
    /// e.g. `key:12`.
    pub subject: String,
    /// What changed.
    pub detail: String,
}

/// Administrative actions after an id, oldest first.
pub fn audit_trail(conn: &mut DbConnection, after_id: i64, limit: i64) -> Result<Vec<AuditRecord>, ApiError> {
    Ok(audit_events::table
        .filter(audit_events::id.gt(after_id))
        .order(audit_events::id)
        .limit(limit)
        .load::<AuditRecord>(conn)?)
}
