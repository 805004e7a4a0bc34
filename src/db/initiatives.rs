//! Stored initiatives.

use super::schema::initiatives;
use super::write::{self, next_id, Actor};
use super::DbConnection;
use super::DbResult;
use crate::domain::initiative::ValidInitiative;
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// A stored initiative.
#[derive(Debug, Clone, Queryable)]
pub struct InitiativeRecord {
    /// Id.
    pub id: i64,
    /// ISO alpha-3.
    pub country: String,
    /// Kind.
    pub kind: String,
    /// Title.
    pub title: String,
    /// Summary.
    pub summary: String,
    /// Link.
    pub url: Option<String>,
    /// Year.
    pub year: Option<i32>,
    /// Target ids, comma-separated.
    pub targets: String,
    /// Who shared it.
    pub reporter_id: i64,
    /// With which key.
    pub key_id: Option<i64>,
    /// When.
    pub created_at: NaiveDateTime,
}

/// Stores an initiative.
pub fn create(conn: &mut DbConnection, initiative: &ValidInitiative, actor: Actor) -> DbResult<InitiativeRecord> {
    let at = write::begin(conn)?;
    let id = next_id!(conn, initiatives)?;
    let record = InitiativeRecord {
        id,
        country: initiative.country.clone(),
        kind: initiative.kind.as_str().to_string(),
        title: initiative.title.clone(),
        summary: initiative.summary.clone(),
        url: initiative.url.clone(),
        year: initiative.year,
        targets: initiative.targets.join(","),
        reporter_id: actor.reporter_id,
        key_id: Some(actor.key_id),
        created_at: at,
    };
    diesel::insert_into(initiatives::table)
        .values((
            initiatives::id.eq(record.id),
            initiatives::country.eq(&record.country),
            initiatives::kind.eq(&record.kind),
            initiatives::title.eq(&record.title),
            initiatives::summary.eq(&record.summary),
            initiatives::url.eq(&record.url),
            initiatives::year.eq(record.year),
            initiatives::targets.eq(&record.targets),
            initiatives::reporter_id.eq(record.reporter_id),
            initiatives::key_id.eq(record.key_id),
            initiatives::created_at.eq(at),
        ))
        .execute(conn)?;
    Ok(record)
}

/// Initiatives filtered by country and kind, by id, after a cursor; the target filter is
/// applied by the caller on the parsed list of targets.
pub fn list(
    conn: &mut DbConnection,
    country: Option<&str>,
    kind: Option<&str>,
    target: Option<&str>,
    after_id: i64,
    limit: i64,
) -> DbResult<Vec<InitiativeRecord>> {
    let mut query = initiatives::table.filter(initiatives::id.gt(after_id)).order(initiatives::id).into_boxed();
    if let Some(country) = country {
        query = query.filter(initiatives::country.eq(country.to_string()));
    }
    if let Some(kind) = kind {
        query = query.filter(initiatives::kind.eq(kind.to_string()));
    }
    if let Some(target) = target {
        // Targets are stored comma-separated and ids contain no commas: match whole items.
        let wrapped = format!("%,{target},%");
        query = query.filter(
            diesel::dsl::sql::<diesel::sql_types::Bool>("(',' || targets || ',') LIKE ")
                .bind::<diesel::sql_types::Text, _>(wrapped),
        );
    }
    Ok(query.limit(limit).load::<InitiativeRecord>(conn)?)
}

/// The newest `limit` initiatives of a country, newest first, and how many it has in all.
pub fn newest_of_country(conn: &mut DbConnection, country: &str, limit: i64) -> DbResult<(Vec<InitiativeRecord>, i64)> {
    let of_country = || initiatives::table.filter(initiatives::country.eq(country.to_string()));
    let total = of_country().count().get_result::<i64>(conn)?;
    let newest = of_country().order(initiatives::id.desc()).limit(limit).load::<InitiativeRecord>(conn)?;
    Ok((newest, total))
}
