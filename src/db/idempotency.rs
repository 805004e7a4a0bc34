//! Idempotency records: a reporter's `Idempotency-Key`, the hash of the request it came
//! with, and the submission it produced.

use super::schema::idempotency_records;
use super::DbConnection;
use super::DbResult;
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// A stored key: the request hash and the submission it produced.
pub fn find(conn: &mut DbConnection, reporter_id: i64, key: &str) -> DbResult<Option<(String, i64)>> {
    Ok(idempotency_records::table
        .find((reporter_id, key))
        .select((idempotency_records::request_hash, idempotency_records::submission_id))
        .first(conn)
        .optional()?)
}

/// Remembers a key (inside the submission's transaction).
pub fn store(
    conn: &mut DbConnection,
    reporter_id: i64,
    key: &str,
    request_hash: &str,
    submission_id: i64,
    at: NaiveDateTime,
) -> DbResult<()> {
    diesel::insert_into(idempotency_records::table)
        .values((
            idempotency_records::reporter_id.eq(reporter_id),
            idempotency_records::idempotency_key.eq(key),
            idempotency_records::request_hash.eq(request_hash),
            idempotency_records::submission_id.eq(submission_id),
            idempotency_records::created_at.eq(at),
        ))
        .execute(conn)?;
    Ok(())
}
