//! How PostgreSQL instances learn about each other's writes without asking the database on
//! every read: writers `NOTIFY` a channel in their write transaction ([`write::CHANNEL`]),
//! and every instance keeps one connection that `LISTEN`s to it.

use super::connection::establish_postgres;
use super::write::{self, CHANNEL};
use super::{Db, DbConnection, DbError, DbResult};
use crate::config::DatabaseUrl;
use diesel::connection::SimpleConnection;

/// A dedicated connection listening for writes (always the PostgreSQL variant).
pub struct Listener {
    conn: DbConnection,
}

impl Listener {
    /// Writes announced since the last call (never blocks: it reads what the socket holds).
    pub fn poll(&mut self) -> DbResult<usize> {
        let DbConnection::Postgresql(conn) = &mut self.conn else { return Ok(0) };
        let mut count = 0;
        for notification in conn.notifications_iter() {
            notification.map_err(|e| DbError::Unavailable(e.to_string()))?;
            count += 1;
        }
        Ok(count)
    }

    /// The data version, read through this connection (the periodic safety net).
    pub fn version(&mut self) -> DbResult<i64> {
        write::current_version(&mut self.conn)
    }
}

impl Db {
    /// A new listening connection, on PostgreSQL only (`None` on SQLite).
    pub fn listen(&self) -> Option<DbResult<Listener>> {
        let DatabaseUrl::Postgres(url) = &self.url else { return None };
        Some(establish_postgres(url, self.timeouts).map_err(|e| DbError::Unavailable(e.to_string())).and_then(
            |mut conn| {
                conn.batch_execute(&format!("LISTEN {CHANNEL}"))?;
                Ok(Listener { conn: DbConnection::Postgresql(conn) })
            },
        ))
    }
}
