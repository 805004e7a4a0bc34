//! Snapshots of the whole state: every value as known at a revision, stored whole, so that a
//! past state is read from the last snapshot before it plus the revisions recorded after that
//! one, never the whole history (when they are taken: [`super::history::snapshot_if_due`]).
//!
//! A snapshot is one blob: for each observation id from 0 up, its value as an 8-byte
//! little-endian IEEE 754 double, `NO_VALUE` (a NaN) where there was none (not reported yet, or
//! withdrawn). Ids are dense, so this is 8 bytes per observation, read back with no parsing.

use super::schema::state_snapshots;
use super::{DbConnection, DbError, DbResult};
use diesel::prelude::*;

/// The bits standing for "no value": a NaN, which no stored value is (values are finite).
const NO_VALUE: u64 = u64::MAX;

/// Every value by observation id (index), none where there was no value.
pub type Values = Vec<Option<f64>>;

/// The last snapshot taken at or before revision `known`: its revision and values (revision
/// 0 and no values when there is none). One seek of the primary key.
pub fn last_at(conn: &mut DbConnection, known: i64) -> DbResult<(i64, Values)> {
    let found: Option<(i64, Vec<u8>)> = state_snapshots::table
        .filter(state_snapshots::revision_id.le(known))
        .order(state_snapshots::revision_id.desc())
        .select((state_snapshots::revision_id, state_snapshots::value_bits))
        .first(conn)
        .optional()?;
    match found {
        Some((revision, bits)) => Ok((revision, decode(&bits).map_err(|problem| snapshot_error(revision, problem))?)),
        None => Ok((0, Values::new())),
    }
}

/// Stores the values as known at revision `revision`.
pub fn store(conn: &mut DbConnection, revision: i64, values: &[Option<f64>]) -> DbResult<()> {
    diesel::insert_into(state_snapshots::table)
        .values((state_snapshots::revision_id.eq(revision), state_snapshots::value_bits.eq(encode(values))))
        .execute(conn)?;
    Ok(())
}

fn snapshot_error(revision: i64, problem: &str) -> DbError {
    DbError::Inconsistent(format!("the snapshot at revision {revision} {problem}"))
}

fn encode(values: &[Option<f64>]) -> Vec<u8> {
    values.iter().flat_map(|value| value.map_or(NO_VALUE, f64::to_bits).to_le_bytes()).collect()
}

fn decode(bits: &[u8]) -> Result<Values, &'static str> {
    let (doubles, rest) = bits.as_chunks::<8>();
    if !rest.is_empty() {
        return Err("is not a whole number of 8-byte values");
    }
    Ok(doubles
        .iter()
        .map(|double| match u64::from_le_bytes(*double) {
            NO_VALUE => None,
            value => Some(f64::from_bits(value)),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::{decode, encode};

    #[test]
    fn values_come_back_as_they_were_stored() {
        let values = [None, Some(0.0), Some(-0.0), Some(12.345_678_9), None, Some(f64::MAX), Some(1e-300)];
        let back = decode(&encode(&values)).unwrap();
        assert_eq!(back.len(), values.len());
        for (stored, read) in values.iter().zip(&back) {
            assert_eq!(stored.map(f64::to_bits), read.map(f64::to_bits));
        }
        assert!(decode(&[0; 9]).is_err(), "a torn blob is refused, not read short");
    }
}
