//! Dashboards while members report: 145,112 observations (194 ITU member states × 22
//! indicators × 34 years), 32 concurrent readers (`wrk -t2 -c32`) of the overview and of a
//! target detail, first with no writes, then while one reporter writes one row every 100 ms,
//! next to `/health` on the same server, on each backend.
//!
//! ```sh
//! cargo bench --bench live                                                       # SQLite
//! BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test cargo bench --bench live  # and PostgreSQL
//! ```
//!
//! - Needs `wrk` (Debian: `apt-get install wrk`); without it the benchmark says so and stops.
//! - The server runs as `serve` would by default (2 workers here, `MAX_STALE_MS` 1000), in
//!   this process, on a fresh database loaded through `POST /api/v1/observations` (batches of
//!   50,000 rows). `BENCH_SECONDS` (default 20) per case; wrk shares the 2 cores with the
//!   server, so read the ratios measured in the same run.
//! - Writes: new values of `individuals_internet_pct` (read by the overview and by target 1.2)
//!   for years before the generated ones, one single-row batch every 100 ms with an
//!   administrator key.
//! - Then the overview with `Accept-Encoding: gzip` (as browsers send), no writes: the same
//!   answer compressed once when computed, a seventh of the bytes.
//! - Aims (issue 13), as ratios: overview under writes ≥ 50 % of the overview with no writes
//!   and p99 under writes < 50 ms; overview with no writes ≥ 50 % of `/health` on PostgreSQL,
//!   ≥ 80 % on SQLite.

mod common;

use common::{Backend, FreshDb, Running};
use connect2030::config::Settings;
use std::process::Command;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const YEARS: std::ops::RangeInclusive<i32> = 1991..=2024;
const BATCH: usize = 50_000;
const OVERVIEW: &str = "/api/v1/progress";
const TARGET: &str = "/api/v1/progress/targets/1.2";
const HEALTH: &str = "/health";

fn main() {
    if Command::new("wrk").arg("--version").output().is_err() {
        println!("wrk is not installed: `apt-get install wrk` (Debian), then run this benchmark again");
        return;
    }
    let seconds: u64 = std::env::var("BENCH_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(20);
    let mut tables = Vec::new();
    for backend in Backend::from_env("live") {
        tables.push(bench_backend(&backend, seconds));
    }
    println!();
    for table in tables {
        println!("{table}");
    }
}

/// One wrk run.
struct Run {
    case: String,
    requests_per_second: f64,
    p50_ms: f64,
    p99_ms: f64,
    failed: u64,
    writes: usize,
}

fn bench_backend(backend: &Backend, seconds: u64) -> String {
    let db = FreshDb::create(backend);
    let settings = Settings {
        write_rate_limit: 0,
        max_stale: Duration::from_millis(1000),
        ..Settings::for_database(&db.url).expect("settings")
    };
    let server = Running::start(settings);
    let key = connect2030::admin::create_admin_key(&server.state, "bench secretariat").unwrap();
    let started = Instant::now();
    let rows = common::load_member_states(&server, &key, YEARS, BATCH);
    eprintln!("[{}] {rows} observations loaded in {:.1} s", backend.name(), started.elapsed().as_secs_f64());
    let base = server.base();
    for path in [OVERVIEW, TARGET] {
        let answer = ureq::get(&format!("{base}{path}")).call().expect("a warm-up read");
        assert_eq!(answer.status(), 200);
    }
    let duration = Duration::from_secs(seconds);
    let mut runs = vec![wrk("/health", &base, HEALTH, duration, None, None)];
    for (name, path) in [("overview", OVERVIEW), ("target 1.2", TARGET)] {
        runs.push(wrk(&format!("{name}, no writes"), &base, path, duration, None, None));
        runs.push(wrk(&format!("{name}, one write / 100 ms"), &base, path, duration, Some(&key), None));
    }
    // As a browser asks for it: the same answer, compressed once when computed.
    runs.push(wrk(GZIP_CASE, &base, OVERVIEW, duration, None, Some("Accept-Encoding: gzip")));
    let computed = server.state.progress.answers.counts();
    report(backend.name(), rows, &runs, computed.computations)
}

/// One new value every 100 ms until `stop`; returns how many were written.
fn writer(base: String, key: String, stop: Arc<AtomicBool>, written: Arc<AtomicUsize>) {
    let countries = ["KEN", "BRA", "IND", "DEU", "JPN", "NGA", "MEX", "FRA", "EGY", "IDN", "PER", "VNM"];
    let url = format!("{base}/api/v1/observations");
    let mut next = Instant::now();
    while !stop.load(Ordering::SeqCst) {
        let n = written.load(Ordering::SeqCst);
        let row = serde_json::json!({"observations": [{
            "country": countries[n % countries.len()], "indicator": "individuals_internet_pct",
            "year": 1990 - (n / countries.len()) as i32, "value": 1.0 + (n % 500) as f64 / 10.0,
            "source": "Bench", "nature": "reported"}]});
        let answer = ureq::post(&url).set("Authorization", &format!("Bearer {key}")).send_json(row);
        assert!(answer.is_ok_and(|a| a.status() == 201), "a write is accepted");
        written.fetch_add(1, Ordering::SeqCst);
        next += Duration::from_millis(100);
        std::thread::sleep(next.saturating_duration_since(Instant::now()));
    }
}

/// The overview asked for gzip, as browsers do.
const GZIP_CASE: &str = "overview (gzip), no writes";

/// `wrk -t2 -c32 --latency` on `path` for `duration`, with a writer when `key` is given and
/// the request header `header`.
fn wrk(case: &str, base: &str, path: &str, duration: Duration, key: Option<&str>, header: Option<&str>) -> Run {
    let (stop, written) = (Arc::new(AtomicBool::new(false)), Arc::new(AtomicUsize::new(0)));
    let writing = key.map(|key| {
        let (base, key, stop, written) = (base.to_string(), key.to_string(), stop.clone(), written.clone());
        std::thread::spawn(move || writer(base, key, stop, written))
    });
    eprintln!("{case}: {} s", duration.as_secs());
    let mut command = Command::new("wrk");
    command.args(["-t2", "-c32", "--latency", &format!("-d{}s", duration.as_secs())]);
    if let Some(header) = header {
        command.args(["-H", header]);
    }
    let output = command.arg(format!("{base}{path}")).output().expect("wrk runs");
    stop.store(true, Ordering::SeqCst);
    if let Some(writing) = writing {
        writing.join().expect("the writer");
    }
    let text = String::from_utf8_lossy(&output.stdout);
    let field = |prefix: &str| {
        text.lines()
            .find_map(|line| line.trim().strip_prefix(prefix).map(|rest| rest.trim().to_string()))
            .unwrap_or_else(|| panic!("wrk printed no `{prefix}`:\n{text}"))
    };
    let numbers =
        |line: &str| line.split(|c: char| !c.is_ascii_digit()).filter_map(|n| n.parse::<u64>().ok()).sum::<u64>();
    let failed = text
        .lines()
        .filter_map(|line| {
            let line = line.trim();
            line.strip_prefix("Non-2xx or 3xx responses:").or_else(|| line.strip_prefix("Socket errors:"))
        })
        .map(numbers)
        .sum();
    Run {
        case: case.to_string(),
        requests_per_second: field("Requests/sec:").parse().unwrap_or(f64::NAN),
        p50_ms: millis(&field("50%")),
        p99_ms: millis(&field("99%")),
        failed,
        writes: written.load(Ordering::SeqCst),
    }
}

/// wrk's latency (`812.00us`, `3.20ms`, `1.02s`) in milliseconds.
fn millis(text: &str) -> f64 {
    let split = text.find(|c: char| c.is_ascii_alphabetic()).unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let value: f64 = number.parse().unwrap_or(f64::NAN);
    match unit {
        "us" => value / 1000.0,
        "ms" => value,
        "s" => value * 1000.0,
        "m" => value * 60_000.0,
        _ => f64::NAN,
    }
}

fn report(backend: &str, rows: usize, runs: &[Run], computations: u64) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let _ =
        writeln!(out, "{backend}: {rows} observations, wrk -t2 -c32, server 2 workers, {computations} computations");
    let _ = writeln!(out, "| case | req/s | p50 ms | p99 ms | non-2xx | writes |");
    let _ = writeln!(out, "|---|---|---|---|---|---|");
    for run in runs {
        let _ = writeln!(
            out,
            "| {} | {:.0} | {:.2} | {:.2} | {} | {} |",
            run.case, run.requests_per_second, run.p50_ms, run.p99_ms, run.failed, run.writes
        );
    }
    let rate = |case: &str| runs.iter().find(|r| r.case == case).map_or(f64::NAN, |r| r.requests_per_second);
    let health = rate("/health");
    let (quiet, busy) = (rate("overview, no writes"), rate("overview, one write / 100 ms"));
    let busy_p99 = runs.iter().find(|r| r.case == "overview, one write / 100 ms").map_or(f64::NAN, |r| r.p99_ms);
    let floor = if backend == "sqlite" { 0.8 } else { 0.5 };
    let verdict = |met: bool| if met { "met" } else { "MISSED" };
    let _ = writeln!(
        out,
        "aims: overview under writes / no writes = {:.2} (>= 0.50: {}); overview p99 under writes = {busy_p99:.1} ms (< 50: {}); \
         overview no writes / health = {:.2} (>= {floor:.2}: {})",
        busy / quiet,
        verdict(busy / quiet >= 0.5),
        verdict(busy_p99 < 50.0),
        quiet / health,
        verdict(quiet / health >= floor),
    );
    let _ = writeln!(out, "(overview with gzip, no writes / health = {:.2})", rate(GZIP_CASE) / health);
    out
}
