//! Reporters, their keys, and the audit trail of administrative actions.

use super::schema::{api_keys, audit_events, reporters};
use super::write::{self, next_id, Actor};
use super::DbConnection;
use super::{DbError, DbResult};
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
    actor: Option<Actor>,
    action: &str,
    subject: &str,
    detail: &str,
    at: NaiveDateTime,
) -> DbResult<()> {
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
    actor: Option<Actor>,
) -> DbResult<ReporterRecord> {
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

/// A key as stored: the secret itself never reaches the database.
#[derive(Debug, Clone)]
pub struct StoredKey {
    /// The identifying prefix, kept in clear.
    pub prefix: String,
    /// SHA-256 of the secret, hex.
    pub hash: String,
}

/// Stores a new key of a reporter; none if there is no such reporter.
pub fn create_key(
    conn: &mut DbConnection,
    reporter_id: i64,
    key: &StoredKey,
    actor: Option<Actor>,
) -> DbResult<Option<KeyRecord>> {
    let at = write::begin(conn)?;
    let exists = reporters::table.find(reporter_id).select(reporters::id).first::<i64>(conn).optional()?;
    if exists.is_none() {
        return Ok(None);
    }
    let id = next_id!(conn, api_keys)?;
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
    Ok(Some(KeyRecord { id, reporter_id, prefix: key.prefix.clone(), created_at: at, revoked_at: None }))
}

/// Creates a reporter and its first key.
pub fn create_reporter_with_key(
    conn: &mut DbConnection,
    name: &str,
    country: Option<&str>,
    is_admin: bool,
    key: &StoredKey,
    actor: Option<Actor>,
) -> DbResult<(ReporterRecord, KeyRecord)> {
    let reporter = create_reporter(conn, name, country, is_admin, actor)?;
    let key = create_key(conn, reporter.id, key, actor)?
        .ok_or_else(|| DbError::Inconsistent(format!("reporter {} vanished in its own transaction", reporter.id)))?;
    Ok((reporter, key))
}

/// Revokes a key (revoking twice keeps the first revocation time); none if there is no such key.
pub fn revoke_key(conn: &mut DbConnection, key_id: i64, actor: Option<Actor>) -> DbResult<Option<KeyRecord>> {
    let at = write::begin(conn)?;
    let Some(key) = api_keys::table.find(key_id).select(KEY_COLUMNS).first::<KeyRecord>(conn).optional()? else {
        return Ok(None);
    };
    if key.revoked_at.is_some() {
        return Ok(Some(key));
    }
    diesel::update(api_keys::table.find(key_id)).set(api_keys::revoked_at.eq(Some(at))).execute(conn)?;
    audit(conn, actor, "key.revoke", &format!("key:{key_id}"), &format!("prefix={}", key.prefix), at)?;
    Ok(Some(KeyRecord { revoked_at: Some(at), ..key }))
}

/// Every reporter with its keys.
pub fn list(conn: &mut DbConnection) -> DbResult<Vec<(ReporterRecord, Vec<KeyRecord>)>> {
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

/// An unrevoked key and the reporter it belongs to.
#[derive(Debug, Clone, Queryable)]
pub struct ActiveKey {
    /// The stored hash (compared again in constant time by the caller).
    pub hash: String,
    /// The key.
    pub key_id: i64,
    /// Its reporter.
    pub reporter_id: i64,
    /// The reporter's name.
    pub reporter_name: String,
    /// The reporter's member state (none for the secretariat).
    pub country: Option<String>,
    /// Whether the reporter is an administrator.
    pub is_admin: bool,
}

/// Finds an unrevoked key by hash.
pub fn find_active_key(conn: &mut DbConnection, hash: &str) -> DbResult<Option<ActiveKey>> {
    Ok(api_keys::table
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
        .first::<ActiveKey>(conn)
        .optional()?)
}

/// The administrator reporter of this name (the system reporters that own bundled data).
pub fn find_admin_by_name(conn: &mut DbConnection, name: &str) -> DbResult<Option<i64>> {
    Ok(reporters::table
        .filter(reporters::name.eq(name).and(reporters::is_admin.eq(true)))
        .select(reporters::id)
        .first::<i64>(conn)
        .optional()?)
}

/// A reporter by id.
pub fn find(conn: &mut DbConnection, id: i64) -> DbResult<Option<ReporterRecord>> {
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
pub fn audit_trail(conn: &mut DbConnection, after_id: i64, limit: i64) -> DbResult<Vec<AuditRecord>> {
    Ok(audit_events::table
        .filter(audit_events::id.gt(after_id))
        .order(audit_events::id)
        .limit(limit)
        .load::<AuditRecord>(conn)?)
}
