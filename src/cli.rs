//! The command line: `serve` (the default, whose options also apply without the sub-command),
//! `migrate`, `openapi`, `backup`, and the administration of reporters and keys.

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Command-line interface of the `connect2030` binary.
#[derive(Debug, Clone, Parser)]
#[command(name = "connect2030", version, about = "Tracks progress toward the ITU Connect 2030 Agenda")]
pub struct Cli {
    /// Database URL: `sqlite://path`, a plain file path, or `postgres://…`.
    #[arg(long, env = "DATABASE_URL", global = true, default_value = "sqlite://data/connect2030.db")]
    pub database_url: String,
    /// Log format.
    #[arg(long, env = "LOG_FORMAT", global = true, value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
    /// Start even when the database holds migrations this version does not know (a newer
    /// version upgraded it), because that schema is known to be compatible. The variable takes
    /// `1`/`0`, `true`/`false`, `yes`/`no` or `on`/`off`.
    #[arg(long, env = "ALLOW_NEWER_SCHEMA", global = true, value_parser = clap::builder::BoolishValueParser::new())]
    pub allow_newer_schema: bool,
    /// What to do; `serve` when omitted.
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Options of `serve`, for when the sub-command is omitted.
    #[command(flatten)]
    pub serve: ServeArgs,
}

impl Cli {
    /// What to do, with `serve` and the top-level options when no sub-command is given.
    pub fn command(&self) -> Command {
        self.command.clone().unwrap_or_else(|| Command::Serve(self.serve.clone()))
    }
}

/// The sub-commands.
#[derive(Debug, Clone, Subcommand)]
pub enum Command {
    /// Run the HTTP service (migrations run first).
    Serve(ServeArgs),
    /// Apply pending database migrations and exit.
    Migrate,
    /// Print the OpenAPI specification as JSON.
    Openapi,
    /// Copy the SQLite database to a new file, consistently, while the service runs
    /// (PostgreSQL: use `pg_dump`).
    Backup {
        /// The new file (refused when it exists).
        #[arg(long)]
        to: std::path::PathBuf,
    },
    /// Administrator keys (the secretariat).
    AdminKey {
        /// What to do.
        #[command(subcommand)]
        action: AdminKeyAction,
    },
    /// Reporters of member states.
    Reporter {
        /// What to do.
        #[command(subcommand)]
        action: ReporterAction,
    },
    /// API keys of existing reporters and administrators.
    Key {
        /// What to do.
        #[command(subcommand)]
        action: KeyAction,
    },
}

/// `admin-key` actions.
#[derive(Debug, Clone, Subcommand)]
pub enum AdminKeyAction {
    /// Create an administrator and print its key once.
    Create {
        /// Who holds the key.
        #[arg(long, default_value = "ITU secretariat")]
        name: String,
    },
}

/// `reporter` actions.
#[derive(Debug, Clone, Subcommand)]
pub enum ReporterAction {
    /// Create a reporter for a member state and print its first key once.
    Create {
        /// ISO 3166 alpha-3 code of the member state.
        #[arg(long)]
        country: String,
        /// Name of the statistics office or ministry.
        #[arg(long)]
        name: String,
    },
    /// List reporters and administrators with their keys (never the secrets).
    List,
}

/// `key` actions.
#[derive(Debug, Clone, Subcommand)]
pub enum KeyAction {
    /// Issue another key to an existing reporter and print it once.
    Create {
        /// Reporter id (see `reporter list`).
        #[arg(long)]
        reporter: i64,
    },
    /// Revoke a key; it stops working at once.
    Revoke {
        /// Key id (see `reporter list`).
        id: i64,
    },
}

/// Options of `serve`.
#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Address to listen on; port 0 picks a free port (the chosen address is logged).
    #[arg(long, env = "BIND_ADDR", default_value = "127.0.0.1:8080")]
    pub bind: String,
    /// Worker threads (defaults to the number of cores).
    #[arg(long, env = "WORKERS")]
    pub workers: Option<usize>,
    /// Load the bundled public statistics (Internet use, 1990–2024) at start-up; idempotent.
    #[arg(long, env = "LOAD_PUBLIC_DATA")]
    pub load_public_data: bool,
    /// Write requests allowed per API key per minute (bursts up to that many); 0 disables.
    #[arg(long, env = "WRITE_RATE_LIMIT", default_value_t = 600)]
    pub write_rate_limit: u32,
    /// Origins allowed to read cross-origin (comma-separated, or `*`); empty: CORS off.
    #[arg(long, env = "CORS_ORIGINS", default_value = "")]
    pub cors_origins: String,
    /// Also allow cross-origin writes (POST, DELETE) from those origins.
    #[arg(long, env = "CORS_ALLOW_WRITES")]
    pub cors_allow_writes: bool,
    /// Longest a request may take, in seconds.
    #[arg(long, env = "REQUEST_TIMEOUT", default_value_t = 120)]
    pub request_timeout: u64,
    /// Longest a progress answer is served after newer data arrived, while the next one is
    /// computed, in milliseconds; 0 always waits for the current answer.
    #[arg(long, env = "MAX_STALE_MS", default_value_t = 1000)]
    pub max_stale_ms: u64,
    /// Longest wait to open a database connection, in seconds.
    #[arg(long, env = "DB_CONNECT_TIMEOUT", default_value_t = 5)]
    pub db_connect_timeout: u64,
    /// Longest wait for a free pooled connection, in seconds (503 beyond).
    #[arg(long, env = "DB_POOL_TIMEOUT", default_value_t = 5)]
    pub db_pool_timeout: u64,
    /// Longest one database statement may take, in seconds (503 beyond).
    #[arg(long, env = "DB_STATEMENT_TIMEOUT", default_value_t = 30)]
    pub db_statement_timeout: u64,
    /// SDMX agency id maintaining the dataflow, code lists and structures of `/sdmx/rest/`.
    #[arg(long, env = "SDMX_AGENCY", default_value = "C2030")]
    pub sdmx_agency: String,
}

/// How logs are written.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object per line.
    Json,
}
