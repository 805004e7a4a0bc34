//! The persistence layer's own error: what went wrong in terms a caller can act on, mapped to
//! an HTTP answer only at the edge (`impl From<DbError> for ApiError`).

use diesel::result::{DatabaseErrorKind, Error};

/// A failure of the database layer.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// No usable connection: the database is down or unreachable, the connection was lost
    /// mid-request, or no pooled connection came free in time. Retrying later may succeed.
    #[error("the database is not reachable now: {0}")]
    Unavailable(String),
    /// The database refused this transaction for now (SQLite busy, a PostgreSQL serialisation
    /// conflict); retrying shortly succeeds.
    #[error("{0}")]
    Busy(&'static str),
    /// Stored data the code cannot read back (a bug or a hand edit of the database).
    #[error("inconsistent stored data: {0}")]
    Inconsistent(String),
    /// Any other failure of a statement.
    #[error(transparent)]
    Query(Error),
    /// The blocking task running the work failed (it panicked or the runtime stopped).
    #[error("the database task failed: {0}")]
    Task(String),
}

/// Result of a database function.
pub type DbResult<T> = Result<T, DbError>;

impl From<Error> for DbError {
    fn from(error: Error) -> Self {
        match &error {
            Error::DatabaseError(
                DatabaseErrorKind::ClosedConnection | DatabaseErrorKind::UnableToSendCommand,
                info,
            ) => Self::Unavailable(info.message().to_string()),
            Error::BrokenTransactionManager => Self::Unavailable("the connection broke inside a transaction".into()),
            Error::DatabaseError(DatabaseErrorKind::Unknown, info) if info.message().contains("locked") => {
                Self::Busy("the database is busy, retry shortly")
            }
            Error::DatabaseError(DatabaseErrorKind::SerializationFailure, _) => {
                Self::Busy("a concurrent write conflicted, retry shortly")
            }
            _ => Self::Query(error),
        }
    }
}

impl From<r2d2::Error> for DbError {
    fn from(error: r2d2::Error) -> Self {
        Self::Unavailable(error.to_string())
    }
}

impl From<diesel::ConnectionError> for DbError {
    fn from(error: diesel::ConnectionError) -> Self {
        Self::Unavailable(error.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lost_connections_and_conflicts_are_told_apart_from_other_failures() {
        let closed = Error::DatabaseError(
            DatabaseErrorKind::ClosedConnection,
            Box::new("server closed the connection".to_string()),
        );
        assert!(matches!(DbError::from(closed), DbError::Unavailable(m) if m.contains("server closed")));
        let conflict = Error::DatabaseError(DatabaseErrorKind::SerializationFailure, Box::new(String::new()));
        assert!(matches!(DbError::from(conflict), DbError::Busy(_)));
        let locked = Error::DatabaseError(DatabaseErrorKind::Unknown, Box::new("database is locked".to_string()));
        assert!(matches!(DbError::from(locked), DbError::Busy(_)));
        let unique = Error::DatabaseError(DatabaseErrorKind::UniqueViolation, Box::new(String::new()));
        assert!(matches!(DbError::from(unique), DbError::Query(_)));
        assert!(matches!(DbError::from(Error::NotFound), DbError::Query(Error::NotFound)));
    }
}
