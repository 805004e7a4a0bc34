//! The binary as an operator runs it: settings from the environment without a sub-command,
//! one clear line on a start-up error, plain logs when not on a terminal, and the maintenance
//! commands for reporters and keys.

use crate::support::{send, TestDatabase};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

/// The binary with a database and no inherited settings.
pub(crate) fn connect2030(db: &TestDatabase) -> Command {
    connect2030_on(&db.url)
}

/// The binary with a database URL and no inherited settings.
pub(crate) fn connect2030_on(database_url: &str) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_connect2030"));
    for name in [
        "BIND_ADDR",
        "WORKERS",
        "CORS_ORIGINS",
        "LOG_FORMAT",
        "RUST_LOG",
        "NO_COLOR",
        "LOAD_PUBLIC_DATA",
        "ALLOW_NEWER_SCHEMA",
    ] {
        command.env_remove(name);
    }
    command.env("DATABASE_URL", database_url);
    command
}

pub(crate) fn run(command: &mut Command) -> Output {
    let output = command.output().expect("the binary runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    output
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

pub(crate) fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// A server process, killed when dropped (also when a test fails half-way).
pub(crate) struct Server(pub(crate) Option<Child>);

impl Server {
    /// Starts `serve` on `port` (logs piped, for [`Server::stop`]) and waits until it answers;
    /// returns the server and its base URL.
    pub(crate) fn start(command: &mut Command, port: u16) -> (Self, String) {
        let child = command.stdout(Stdio::null()).stderr(Stdio::piped()).spawn().unwrap();
        let mut server = Self(Some(child));
        let base = format!("http://127.0.0.1:{port}");
        server.wait_until_up(&base);
        (server, base)
    }

    fn wait_until_up(&mut self, base: &str) {
        let started = Instant::now();
        while ureq::get(&format!("{base}/health")).call().is_err() {
            if let Some(status) = self.0.as_mut().unwrap().try_wait().unwrap() {
                panic!("the server exited with {status}");
            }
            assert!(started.elapsed() < Duration::from_secs(120), "the server did not listen on {base}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Waits for a server that should refuse to start to exit, and returns what it wrote.
    pub(crate) fn refused(mut self) -> Output {
        let started = Instant::now();
        while self.0.as_mut().unwrap().try_wait().unwrap().is_none() {
            assert!(started.elapsed() < Duration::from_secs(60), "the service started, and should not have");
            std::thread::sleep(Duration::from_millis(100));
        }
        self.stop()
    }

    /// Kills the server and returns what it wrote.
    pub(crate) fn stop(mut self) -> Output {
        let mut child = self.0.take().unwrap();
        let _ = child.kill();
        child.wait_with_output().unwrap()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(child) = self.0.as_mut() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

#[test]
fn serve_settings_from_the_environment_apply_without_a_sub_command_and_logs_to_a_pipe_have_no_colour() {
    let db = TestDatabase::create();
    let port = free_port();
    let (server, base) = Server::start(
        connect2030(&db)
            .env("BIND_ADDR", format!("127.0.0.1:{port}"))
            .env("WORKERS", "1")
            .env("CORS_ORIGINS", "https://dashboard.example.org"),
        port,
    );
    let answer = send(ureq::get(&format!("{base}/api/v1/goals")).set("Origin", "https://dashboard.example.org"), None);
    assert_eq!(answer.status, 200);
    assert_eq!(answer.header("access-control-allow-origin"), Some("https://dashboard.example.org"));

    let logs = String::from_utf8(server.stop().stderr).unwrap();
    assert!(logs.contains(&format!("127.0.0.1:{port}")), "{logs}");
    assert!(!logs.contains('\u{1b}'), "ANSI escape codes in logs written to a pipe: {logs:?}");
}

#[test]
fn a_start_up_error_is_one_clear_line_without_a_backtrace() {
    let db = TestDatabase::create();
    let output = connect2030(&db).env("BIND_ADDR", "nonsense").env("RUST_BACKTRACE", "1").output().unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.starts_with("error: invalid listen address `nonsense`"), "{stderr}");
    assert!(!stderr.contains("backtrace"), "{stderr}");
}

#[test]
fn maintainers_list_reporters_add_keys_and_revoke_them_from_the_command_line() {
    let db = TestDatabase::create();
    let first = stdout(&run(connect2030(&db).args(["reporter", "create", "--country", "KEN", "--name", "KNBS"])));
    // Global options may come before the sub-command.
    let listing = stdout(&run(connect2030(&db).args(["--log-format", "json", "reporter", "list"])));
    let reporter_line = listing.lines().find(|l| l.contains("KNBS")).expect("the reporter is listed");
    assert!(reporter_line.starts_with("reporter 1\tKEN\t"), "{listing}");
    assert!(!listing.contains(first.trim()), "a listing never shows a secret");

    let second = stdout(&run(connect2030(&db).args(["key", "create", "--reporter", "1"])));
    let listing = stdout(&run(connect2030(&db).args(["reporter", "list"])));
    let keys: Vec<&str> = listing.lines().filter(|l| l.trim_start().starts_with("key ")).collect();
    assert_eq!(keys.len(), 2, "{listing}");
    assert!(keys.iter().all(|k| k.ends_with("active")), "{listing}");

    run(connect2030(&db).args(["key", "revoke", "1"]));
    let listing = stdout(&run(connect2030(&db).args(["reporter", "list"])));
    assert!(listing.contains("key 1\t") && listing.lines().nth(1).unwrap().contains("revoked"), "{listing}");

    let unknown = connect2030(&db).args(["key", "revoke", "99"]).output().unwrap();
    assert!(!unknown.status.success());
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("no key 99"));

    // Through HTTP: the revoked first key is refused, the second one writes.
    let app = crate::support::TestApp::spawn_on_shared(&db);
    let row = serde_json::json!({"observations": [
        {"country": "KEN", "indicator": "individuals_internet_pct", "year": 2020, "value": 40.5}]});
    app.post_json("/api/v1/observations", first.trim(), &row).assert_problem(401, "unauthorized");
    assert_eq!(app.post_json("/api/v1/observations", second.trim(), &row).status, 201);
}

/// Runs the binary as an unprivileged user when the tests run as root (root writes any file).
fn as_unprivileged(command: Command) -> Command {
    let uid = Command::new("id").arg("-u").output().expect("`id -u` runs").stdout;
    if uid.trim_ascii() != b"0" {
        return command;
    }
    let mut wrapped = Command::new("setpriv");
    wrapped.args(["--reuid=65534", "--regid=65534", "--clear-groups"]).arg(command.get_program());
    wrapped.args(command.get_args());
    for (name, value) in command.get_envs() {
        match value {
            Some(value) => wrapped.env(name, value),
            None => wrapped.env_remove(name),
        };
    }
    wrapped
}

#[test]
fn a_read_only_sqlite_file_is_refused_at_start_up_with_a_clear_line() {
    use std::os::unix::fs::PermissionsExt;
    let dir = std::env::temp_dir().join(format!("c2030_read_only_{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    // The folder stays writable (SQLite may create its -wal and -shm files); the file is not.
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o777)).unwrap();
    let file = dir.join("connect2030.db");
    let url = format!("sqlite://{}", file.display());
    let mut migrate = Command::new(env!("CARGO_BIN_EXE_connect2030"));
    run(migrate.arg("migrate").env("DATABASE_URL", &url));
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o444)).unwrap();

    let mut serve = Command::new(env!("CARGO_BIN_EXE_connect2030"));
    serve.env("DATABASE_URL", &url).env("BIND_ADDR", "127.0.0.1:0").env_remove("RUST_LOG");
    let child = as_unprivileged(serve).stdout(Stdio::null()).stderr(Stdio::piped()).spawn().unwrap();
    let output = Server(Some(child)).refused();
    let _ = std::fs::remove_dir_all(&dir);
    assert!(!output.status.success());
    let stderr = String::from_utf8(output.stderr).unwrap();
    let error = stderr.lines().last().unwrap_or_default();
    assert!(error.starts_with("error: the SQLite database") && error.contains("cannot be written"), "{stderr}");
}
