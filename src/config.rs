//! Typed settings, parsed once at the edge from the command line and environment.

use crate::cli::{Cli, ServeArgs};
use anyhow::{bail, Context};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// A duration from whole seconds, at least one.
fn seconds(value: u64) -> Duration {
    Duration::from_secs(value.max(1))
}

/// Where the data lives; the backend is chosen from the URL's scheme.
#[derive(Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    /// An SQLite file (created when missing).
    Sqlite(PathBuf),
    /// A PostgreSQL connection URL.
    Postgres(String),
}

impl DatabaseUrl {
    /// Parses `sqlite://path`, `sqlite:path`, a plain path, or `postgres://…`/`postgresql://…`.
    pub fn parse(raw: &str) -> anyhow::Result<Self> {
        let raw = raw.trim();
        if raw.is_empty() {
            bail!("the database URL is empty");
        }
        if raw.starts_with("postgres://") || raw.starts_with("postgresql://") {
            return Ok(Self::Postgres(raw.to_string()));
        }
        if let Some(path) = raw.strip_prefix("sqlite://").or_else(|| raw.strip_prefix("sqlite:")) {
            if path.is_empty() || path.contains(":memory:") {
                bail!("an SQLite database URL needs a file path (an in-memory database is one per connection)");
            }
            return Ok(Self::Sqlite(PathBuf::from(path)));
        }
        if let Some((scheme, _)) = raw.split_once("://") {
            bail!("unsupported database URL scheme `{scheme}`: use sqlite://path or postgres://…");
        }
        Ok(Self::Sqlite(PathBuf::from(raw)))
    }
}

impl std::fmt::Debug for DatabaseUrl {
    // A PostgreSQL URL may carry passwords (of the user, or `sslpassword` of a client key):
    // never print them; the other libpq parameters (`sslmode`, …) help an operator.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Sqlite(path) => write!(f, "sqlite://{}", path.display()),
            Self::Postgres(url) => {
                let host = url.rsplit_once('@').map(|(_, host)| host).unwrap_or("…");
                let (host, query) = host.split_once('?').unwrap_or((host, ""));
                write!(f, "postgres://…@{host}")?;
                for (i, parameter) in query.split('&').filter(|p| !p.is_empty()).enumerate() {
                    let name = parameter.split_once('=').map_or(parameter, |(name, _)| name);
                    let shown = if name.contains("password") { format!("{name}=…") } else { parameter.to_string() };
                    write!(f, "{}{shown}", if i == 0 { '?' } else { '&' })?;
                }
                Ok(())
            }
        }
    }
}

/// How long the service waits for the database before answering 503.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DbTimeouts {
    /// Opening a connection (PostgreSQL `connect_timeout`).
    pub connect: Duration,
    /// Waiting for a free pooled connection.
    pub checkout: Duration,
    /// One statement (PostgreSQL `statement_timeout`); a read waits at most checkout + statement.
    pub statement: Duration,
}

impl Default for DbTimeouts {
    fn default() -> Self {
        Self { connect: Duration::from_secs(5), checkout: Duration::from_secs(5), statement: Duration::from_secs(30) }
    }
}

/// Everything the service needs to start.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The database.
    pub database: DatabaseUrl,
    /// Listening address.
    pub bind: SocketAddr,
    /// Worker threads.
    pub workers: usize,
    /// Connections in the pool.
    pub pool_size: u32,
    /// Database timeouts.
    pub db_timeouts: DbTimeouts,
    /// Load the bundled public statistics at start-up.
    pub load_public_data: bool,
    /// Write requests per key per minute (0: unlimited).
    pub write_rate_limit: u32,
    /// Origins allowed cross-origin reads; `*` for any; empty: CORS off.
    pub cors_origins: Vec<String>,
    /// Whether those origins may also write.
    pub cors_allow_writes: bool,
    /// Longest a request may take.
    pub request_timeout: Duration,
    /// SDMX agency id of the artefacts under `/sdmx/rest/`.
    pub sdmx_agency: String,
    /// Longest a superseded progress answer is served while the next one is computed.
    pub max_stale: Duration,
    /// Start on a database holding migrations this binary does not know.
    pub allow_newer_schema: bool,
}

/// The SDMX agency id the service uses unless told otherwise.
pub const DEFAULT_SDMX_AGENCY: &str = "C2030";

/// Checks an SDMX agency id: letters, digits, `_` and `-`, starting with a letter (SDMX's
/// `NCNameIDType`), so it can stand in URNs and XML attributes as it is.
fn sdmx_agency(raw: &str) -> anyhow::Result<String> {
    let id = raw.trim();
    let mut chars = id.chars();
    let valid = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if !valid {
        bail!("invalid SDMX agency id `{raw}`: a letter, then letters, digits, `_` or `-`");
    }
    Ok(id.to_string())
}

impl Settings {
    /// Builds settings from parsed command-line arguments.
    pub fn from_cli(cli: &Cli, serve: &ServeArgs) -> anyhow::Result<Self> {
        let database = DatabaseUrl::parse(&cli.database_url)?;
        let bind = serve
            .bind
            .parse()
            .with_context(|| format!("invalid listen address `{}` (expected host:port)", serve.bind))?;
        let workers =
            serve.workers.unwrap_or_else(|| std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2));
        let cors_origins =
            serve.cors_origins.split(',').map(|o| o.trim().to_string()).filter(|o| !o.is_empty()).collect();
        Ok(Self {
            database,
            bind,
            workers,
            pool_size: 8,
            db_timeouts: DbTimeouts {
                connect: seconds(serve.db_connect_timeout),
                checkout: seconds(serve.db_pool_timeout),
                statement: seconds(serve.db_statement_timeout),
            },
            load_public_data: serve.load_public_data,
            write_rate_limit: serve.write_rate_limit,
            cors_origins,
            cors_allow_writes: serve.cors_allow_writes,
            request_timeout: seconds(serve.request_timeout),
            sdmx_agency: sdmx_agency(&serve.sdmx_agency)?,
            max_stale: Duration::from_millis(serve.max_stale_ms),
            allow_newer_schema: cli.allow_newer_schema,
        })
    }

    /// Settings for a database URL with a free port on loopback (used by tests and tools).
    pub fn for_database(url: &str) -> anyhow::Result<Self> {
        Ok(Self {
            database: DatabaseUrl::parse(url)?,
            bind: "127.0.0.1:0".parse()?,
            workers: 2,
            pool_size: 8,
            db_timeouts: DbTimeouts::default(),
            load_public_data: false,
            write_rate_limit: 0,
            cors_origins: Vec::new(),
            cors_allow_writes: false,
            request_timeout: Duration::from_secs(120),
            sdmx_agency: DEFAULT_SDMX_AGENCY.to_string(),
            // Tests and tools read their own writes at once unless they ask for staleness.
            max_stale: Duration::ZERO,
            allow_newer_schema: false,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::DatabaseUrl;
    use std::path::PathBuf;

    #[test]
    fn database_urls_choose_the_backend_from_the_scheme() {
        let sqlite = |p: &str| DatabaseUrl::Sqlite(PathBuf::from(p));
        assert_eq!(DatabaseUrl::parse("sqlite://data/x.db").unwrap(), sqlite("data/x.db"));
        assert_eq!(DatabaseUrl::parse("sqlite:///tmp/x.db").unwrap(), sqlite("/tmp/x.db"));
        assert_eq!(DatabaseUrl::parse("./x.db").unwrap(), sqlite("./x.db"));
        assert!(matches!(DatabaseUrl::parse("postgres://u@h/db").unwrap(), DatabaseUrl::Postgres(_)));
        assert!(matches!(DatabaseUrl::parse("postgresql://u@h/db").unwrap(), DatabaseUrl::Postgres(_)));
        let err = DatabaseUrl::parse("mysql://u@h/db").unwrap_err().to_string();
        assert!(err.contains("mysql"), "{err}");
        assert!(DatabaseUrl::parse("sqlite::memory:").is_err());
        assert!(DatabaseUrl::parse("").is_err());
    }

    #[test]
    fn sdmx_agency_ids_are_ncnames() {
        assert_eq!(super::sdmx_agency(" ITU ").unwrap(), "ITU");
        assert_eq!(super::sdmx_agency("C2030_x-1").unwrap(), "C2030_x-1");
        for bad in ["", "2030", "C 2030", "C2030\"", "ITU.DATA"] {
            assert!(super::sdmx_agency(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn debug_output_hides_postgres_credentials() {
        let url = DatabaseUrl::parse("postgres://user:secret@db:5432/c2030").unwrap();
        assert_eq!(format!("{url:?}"), "postgres://…@db:5432/c2030");
        let tls =
            DatabaseUrl::parse("postgres://u@db/c2030?sslmode=verify-full&sslpassword=key-secret&password=pw").unwrap();
        assert_eq!(format!("{tls:?}"), "postgres://…@db/c2030?sslmode=verify-full&sslpassword=…&password=…");
    }
}
