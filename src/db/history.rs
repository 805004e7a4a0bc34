//! The past: which revision of each observation was known at an instant.
//!
//! Revision ids follow commit order and recording instants never go back (see
//! [`super::write::begin`]), so "known at t" is "id at most n", where n is the last revision
//! recorded by t. The revision an observation had then is the one with `id <= n` that was not
//! yet superseded at n (`superseded_by` empty, or after n): a condition on each row (its
//! validity interval), so the past is read without grouping over the history.

use super::schema::{observations, revisions};
use super::{DbConnection, DbResult};
use chrono::NaiveDateTime;
use diesel::dsl::max;
use diesel::prelude::*;

/// The last revision recorded at or before `at` (0 when none was): one seek of
/// `revisions_by_time`.
pub fn last_known_at(conn: &mut DbConnection, at: NaiveDateTime) -> DbResult<i64> {
    Ok(revisions::table
        .filter(revisions::recorded_at.le(at))
        .order((revisions::recorded_at.desc(), revisions::id.desc()))
        .select(revisions::id)
        .first(conn)
        .optional()?
        .unwrap_or(0))
}

/// SQL: revision `alias` held its observation's value when revision `known` was the last one
/// recorded: the one condition of the `as_of` listing and of [`super::dataset::past_state`]'s
/// forward read. `known` is an id read from the database, so formatting it in is safe.
pub(crate) fn valid_at(alias: &str, known: i64) -> String {
    format!("{alias}.id <= {known} AND ({alias}.superseded_by IS NULL OR {alias}.superseded_by > {known})")
}

/// How to read the whole state as of revision `known`, whichever reads fewer revisions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PastRead {
    /// Forward by id through the revisions up to `known`, keeping those still valid then:
    /// cheap for an early instant.
    Forward,
    /// From the present: current values recorded by then, and the revisions that were
    /// superseded after it (`revisions_by_supersession`): cheap for a recent instant.
    Backward,
}

/// Which way reads fewer revisions: forward reads about `known` of them (ids are dense), backward
/// about one per observation plus every revision recorded since.
pub fn past_read(conn: &mut DbConnection, known: i64) -> DbResult<PastRead> {
    let last_revision: Option<i64> = revisions::table.select(max(revisions::id)).first(conn)?;
    let last_observation: Option<i64> = observations::table.select(max(observations::id)).first(conn)?;
    let backward = last_observation.unwrap_or(0) + (last_revision.unwrap_or(0) - known);
    Ok(if known <= backward { PastRead::Forward } else { PastRead::Backward })
}
