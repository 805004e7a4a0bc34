//! Query plans, so tests and benchmarks can show which indexes a query runs on, on either
//! backend, for exactly the query the application sends.

use super::connection::MultiBackend;
use super::{DbConnection, DbResult};
use diesel::prelude::*;
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::sql_types::{Integer, Text};
use std::marker::PhantomData;

/// `EXPLAIN …` around a query; `ST` is the shape of the backend's plan rows.
struct Explain<Q, ST> {
    query: Q,
    prefix: &'static str,
    row: PhantomData<ST>,
}

impl<Q, ST> QueryId for Explain<Q, ST> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<Q, ST: diesel::sql_types::SqlType> Query for Explain<Q, ST> {
    type SqlType = ST;
}

impl<Q: QueryFragment<MultiBackend>, ST> QueryFragment<MultiBackend> for Explain<Q, ST> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, MultiBackend>) -> QueryResult<()> {
        out.push_sql(self.prefix);
        self.query.walk_ast(out.reborrow())
    }
}

impl<Q, ST> RunQueryDsl<DbConnection> for Explain<Q, ST> {}

/// The plan of `query`, one line per step: SQLite's `EXPLAIN QUERY PLAN` details, or
/// PostgreSQL's `EXPLAIN` text.
pub fn plan<Q: QueryFragment<MultiBackend>>(conn: &mut DbConnection, query: Q) -> DbResult<Vec<String>> {
    Ok(match conn {
        DbConnection::Sqlite(_) => {
            let explain =
                Explain { query, prefix: "EXPLAIN QUERY PLAN ", row: PhantomData::<(Integer, Integer, Integer, Text)> };
            explain.load::<(i32, i32, i32, String)>(conn)?.into_iter().map(|(_, _, _, detail)| detail).collect()
        }
        DbConnection::Postgresql(_) => {
            Explain { query, prefix: "EXPLAIN ", row: PhantomData::<Text> }.load::<String>(conn)?
        }
    })
}
