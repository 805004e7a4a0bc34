//! Mixed traffic for a fixed time: 90 % reads (progress overview, a target, a country, a page of
//! a country's observations, an indicator's aggregates over a group) and 10 % submissions from
//! eight member states' reporters, on the real server with the bundled public data; then a
//! check that every acknowledged row is stored as acknowledged.
//!
//! ```sh
//! cargo bench --bench load                                                       # SQLite
//! BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test cargo bench --bench load  # and PostgreSQL
//! ```
//!
//! `LOAD_SECONDS` (default 20) is the duration, `LOAD_THREADS` (default 8) the client threads,
//! each with its own keep-alive `ureq` agent. The server runs 2 workers and no write rate limit
//! (`Settings::for_database`); client and server share the machine's cores.
//!
//! - Reads are spread evenly over the five kinds; progress reads send the ETag they last saw
//!   (`If-None-Match`), as a polling dashboard does, so 304 is a success.
//! - A submission is 20 distinct rows of the reporter's own country (percentages and rates,
//!   totals and their breakdowns, 2000–2024) with fresh values and an `Idempotency-Key`; a
//!   transport error or 5xx is retried with the same key and body (up to 3 times). Submissions
//!   of one reporter are sent one at a time (the order in which its rows commit is then known);
//!   reporters submit concurrently.
//! - An error is any answer other than 2xx/304, or a transport error; 429 cannot happen.
//! - At the end: every acknowledged row's value is the one `GET /api/v1/observations` returns,
//!   each value's revision number grew by exactly the acknowledged changes, and the database
//!   holds exactly the acknowledged new revisions and submissions. `LOST=0` is the bar.

mod common;

use common::{Backend, FreshDb, Rng, Running};
use connect2030::config::Settings;
use connect2030::db::schema::{revisions, submissions};
use connect2030::domain::catalogue::{Catalogue, Unit, ITU_MEMBERS};
use connect2030::state::AppState;
use diesel::prelude::*;
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const REPORTERS: [&str; 8] = ["KEN", "BRA", "IND", "DEU", "JPN", "NGA", "MEX", "FRA"];
const ROWS_PER_BATCH: usize = 20;
const YEARS: std::ops::RangeInclusive<i32> = 2000..=2024;
const RETRIES: usize = 3;
const CLASSES: [&str; 6] =
    ["progress overview", "progress target", "progress country", "observations", "aggregates", "submit"];
const SUBMIT: usize = 5;

fn main() {
    if std::env::var_os("RUST_LOG").is_some() {
        tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
            .with_writer(std::io::stderr)
            .init();
    }
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let seconds: f64 = env("LOAD_SECONDS").and_then(|s| s.parse().ok()).unwrap_or(20.0);
    let threads: usize = env("LOAD_THREADS").and_then(|s| s.parse().ok()).unwrap_or(8).max(1);
    let backends = Backend::from_env("load");
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let mut lost_total = 0;
    for backend in &backends {
        lost_total += run(backend, Duration::from_secs_f64(seconds), threads, cores);
    }
    if lost_total > 0 {
        std::process::exit(1);
    }
}

/// What identifies a value of one country: indicator, year, canonical disaggregation.
type Key = (String, i32, String);

/// A reporter's submissions and what the server acknowledged of them.
struct Reporter {
    iso3: &'static str,
    secret: String,
    /// Submissions sent (names the Idempotency-Key).
    sequence: u64,
    /// Every key it may send.
    keys: Arc<Vec<Key>>,
    /// The last acknowledged value of each key.
    last: HashMap<Key, f64>,
    /// New revisions acknowledged per key (created or revised rows).
    changes: HashMap<Key, i64>,
    /// Keys of a batch that was never acknowledged: either the earlier or the sent value.
    uncertain: HashMap<Key, Vec<f64>>,
    rows_acknowledged: usize,
    submissions_stored: usize,
}

/// Latencies and outcomes of one request class.
#[derive(Default)]
struct Stats {
    latencies: Vec<f64>,
    errors: usize,
    not_modified: usize,
}

/// Everything the workers share.
struct Shared {
    base: String,
    targets: Vec<String>,
    members: Vec<String>,
    groups: Vec<String>,
    reporters: Vec<Mutex<Reporter>>,
    error_samples: Mutex<Vec<String>>,
}

impl Shared {
    fn note_error(&self, what: String) {
        let mut samples = self.error_samples.lock().unwrap();
        if samples.len() < 10 {
            samples.push(what);
        }
    }
}

/// Keys a reporter may send: percentages and rates whose valid range includes 0..100, totals
/// and each single breakdown the catalogue allows, 2000–2024.
fn keys(catalogue: &Catalogue) -> Vec<Key> {
    let mut keys = Vec::new();
    for indicator in &catalogue.indicators {
        let numeric = matches!(indicator.unit, Unit::Percent | Unit::Per100);
        let range = indicator.min_value.is_none_or(|m| m <= 0.0) && indicator.max_value.is_none_or(|m| m >= 100.0);
        if !(numeric && range) {
            continue;
        }
        let mut breakdowns = vec![String::new()];
        for d in &indicator.disaggregations {
            breakdowns.extend(d.values.iter().map(|v| format!("{}={v}", d.dimension)));
        }
        for breakdown in &breakdowns {
            for year in YEARS {
                keys.push((indicator.code.clone(), year, breakdown.clone()));
            }
        }
    }
    keys
}

/// Outcome of one request: status (0 for a transport error) and body.
fn call(request: ureq::Request, body: Option<&[u8]>) -> (u16, Option<String>, String) {
    let result = match body {
        Some(bytes) => request.send_bytes(bytes),
        None => request.call(),
    };
    match result {
        Ok(response) => {
            let status = response.status();
            let etag = response.header("etag").map(str::to_string);
            (status, etag, response.into_string().unwrap_or_default())
        }
        Err(ureq::Error::Status(status, response)) => (status, None, response.into_string().unwrap_or_default()),
        Err(e) => (0, None, e.to_string()),
    }
}

fn worker(shared: Arc<Shared>, seed: u64, deadline: Instant) -> Vec<Stats> {
    let agent = ureq::AgentBuilder::new().timeout(Duration::from_secs(60)).redirects(0).build();
    let mut rng = Rng(seed);
    let mut stats: Vec<Stats> = (0..CLASSES.len()).map(|_| Stats::default()).collect();
    let mut etags: HashMap<String, String> = HashMap::new();
    while Instant::now() < deadline {
        let roll = rng.below(100);
        if roll < 10 {
            submit(&shared, &agent, &mut rng, &mut stats[SUBMIT]);
            continue;
        }
        let class = (roll - 10) * 5 / 90;
        let path = match class {
            0 => "/api/v1/progress".to_string(),
            1 => format!("/api/v1/progress/targets/{}", shared.targets[rng.below(shared.targets.len())]),
            2 => format!("/api/v1/progress/countries/{}", shared.members[rng.below(shared.members.len())]),
            3 => format!("/api/v1/observations?country={}&limit=100", shared.members[rng.below(shared.members.len())]),
            _ => format!(
                "/api/v1/indicators/individuals_internet_pct/aggregates?group={}",
                shared.groups[rng.below(shared.groups.len())]
            ),
        };
        let mut request = agent.get(&format!("{}{path}", shared.base));
        if class <= 2 {
            if let Some(etag) = etags.get(&path) {
                request = request.set("If-None-Match", etag);
            }
        }
        let started = Instant::now();
        let (status, etag, body) = call(request, None);
        let seconds = started.elapsed().as_secs_f64();
        let s = &mut stats[class];
        s.latencies.push(seconds);
        match status {
            200..=299 => {
                if let (Some(etag), true) = (etag, class <= 2) {
                    etags.insert(path, etag);
                }
            }
            304 => s.not_modified += 1,
            _ => {
                s.errors += 1;
                shared.note_error(format!("GET {path}: {status} {}", body.chars().take(300).collect::<String>()));
            }
        }
    }
    stats
}

/// One batch from a random reporter, retried with the same key on transport errors and 5xx.
fn submit(shared: &Shared, agent: &ureq::Agent, rng: &mut Rng, stats: &mut Stats) {
    let mut reporter = shared.reporters[rng.below(shared.reporters.len())].lock().unwrap();
    reporter.sequence += 1;
    let idempotency_key = format!("load-{}-{}", reporter.iso3, reporter.sequence);
    let keys = reporter.keys.clone();
    let mut chosen: Vec<&Key> = Vec::with_capacity(ROWS_PER_BATCH);
    while chosen.len() < ROWS_PER_BATCH {
        let key = &keys[rng.below(keys.len())];
        if !chosen.contains(&key) {
            chosen.push(key);
        }
    }
    let rows: Vec<(&Key, f64)> = chosen
        .into_iter()
        .map(|key| {
            let previous = reporter.last.get(key).copied();
            let mut value = (rng.below(10_000) as f64) / 100.0;
            while Some(value) == previous {
                value = (rng.below(10_000) as f64) / 100.0;
            }
            (key, value)
        })
        .collect();
    let observations: Vec<Value> = rows
        .iter()
        .map(|((indicator, year, breakdown), value)| {
            let mut row = json!({"country": reporter.iso3, "indicator": indicator, "year": year, "value": value,
                                 "source": "National statistics office", "nature": "reported"});
            if let Some((dimension, v)) = breakdown.split_once('=') {
                row["disaggregation"] = Value::Object([(dimension.to_string(), json!(v))].into_iter().collect());
            }
            row
        })
        .collect();
    let body = serde_json::to_vec(&json!({ "observations": observations })).unwrap();
    let url = format!("{}/api/v1/observations", shared.base);
    for _attempt in 0..=RETRIES {
        let request = agent
            .post(&url)
            .set("Authorization", &format!("Bearer {}", reporter.secret))
            .set("Content-Type", "application/json")
            .set("Idempotency-Key", &idempotency_key);
        let started = Instant::now();
        let response = request.send_bytes(&body);
        let (status, replayed, text) = match response {
            Ok(r) => (r.status(), r.header("Idempotent-Replayed").is_some(), r.into_string().unwrap_or_default()),
            Err(ureq::Error::Status(status, r)) => (status, false, r.into_string().unwrap_or_default()),
            Err(e) => (0, false, e.to_string()),
        };
        stats.latencies.push(started.elapsed().as_secs_f64());
        if status == 201 {
            let report: Value = serde_json::from_str(&text).expect("a submission report");
            let reported = report["rows"].as_array().expect("rows");
            assert_eq!(reported.len(), rows.len(), "every row is reported");
            for (row, (key, value)) in reported.iter().zip(&rows) {
                assert_eq!(row["indicator"], key.0.as_str(), "rows are reported in order");
                let outcome = row["outcome"].as_str().unwrap_or_default();
                if outcome == "created" || outcome == "revised" {
                    *reporter.changes.entry((*key).clone()).or_default() += 1;
                }
                reporter.last.insert((*key).clone(), *value);
            }
            reporter.rows_acknowledged += rows.len();
            if !replayed {
                reporter.submissions_stored += 1;
            }
            return;
        }
        stats.errors += 1;
        shared.note_error(format!(
            "POST /api/v1/observations ({}): {status} {}",
            reporter.iso3,
            text.chars().take(300).collect::<String>()
        ));
        if status != 0 && status < 500 {
            return; // refused: nothing was written
        }
    }
    // Never acknowledged: the batch may or may not have committed.
    for (key, value) in &rows {
        let before = reporter.last.get(*key).copied();
        let options = reporter.uncertain.entry((*key).clone()).or_default();
        options.extend(before);
        options.push(*value);
    }
}

/// What the API returns for a country: key -> (value, revision number).
fn stored(agent: &ureq::Agent, base: &str, iso3: &str) -> HashMap<Key, (Option<f64>, i64)> {
    let mut all = HashMap::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut url = format!("{base}/api/v1/observations?country={iso3}&limit=1000");
        if let Some(c) = &cursor {
            url.push_str(&format!("&cursor={c}"));
        }
        let (status, _, body) = call(agent.get(&url), None);
        assert_eq!(status, 200, "{body}");
        let page: Value = serde_json::from_str(&body).unwrap();
        for o in page["observations"].as_array().unwrap() {
            let breakdown: BTreeMap<String, String> = serde_json::from_value(o["disaggregation"].clone()).unwrap();
            let breakdown: Vec<String> = breakdown.iter().map(|(d, v)| format!("{d}={v}")).collect();
            let key =
                (o["indicator"].as_str().unwrap().to_string(), o["year"].as_i64().unwrap() as i32, breakdown.join(";"));
            all.insert(key, (o["value"].as_f64(), o["revision_number"].as_i64().unwrap()));
        }
        cursor = page["meta"]["next_cursor"].as_str().map(str::to_string);
        if cursor.is_none() {
            return all;
        }
    }
}

fn counts(state: &AppState) -> (i64, i64) {
    let mut conn = state.db.get().unwrap();
    let revisions: i64 = revisions::table.count().get_result(&mut *conn).unwrap();
    let submissions: i64 = submissions::table.count().get_result(&mut *conn).unwrap();
    (revisions, submissions)
}

fn percentile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted[((sorted.len() as f64 * q).ceil() as usize).clamp(1, sorted.len()) - 1]
}

/// One backend: returns the number of lost or wrong rows.
fn run(backend: &Backend, duration: Duration, threads: usize, cores: usize) -> usize {
    let name = backend.name();
    let db = FreshDb::create(backend);
    let settings = Settings { load_public_data: true, ..Settings::for_database(&db.url).unwrap() };
    assert_eq!(settings.write_rate_limit, 0, "the write rate limit is off");
    let workers = settings.workers;
    let setup = Instant::now();
    let server = Running::start(settings);
    eprintln!("[{name}] server with the bundled public data up in {:.1} s", setup.elapsed().as_secs_f64());
    let catalogue = server.state.catalogue.clone();
    let keys = Arc::new(keys(&catalogue));
    let reporters = REPORTERS
        .iter()
        .map(|iso3| {
            let secret = connect2030::admin::create_reporter(&server.state, iso3, &format!("{iso3} statistics office"))
                .expect("a reporter");
            Mutex::new(Reporter {
                iso3,
                secret,
                sequence: 0,
                keys: keys.clone(),
                last: HashMap::new(),
                changes: HashMap::new(),
                uncertain: HashMap::new(),
                rows_acknowledged: 0,
                submissions_stored: 0,
            })
        })
        .collect();
    let members: Vec<String> =
        catalogue.group(ITU_MEMBERS).expect("the ITU_MEMBERS group").members.iter().map(|m| m.iso3.clone()).collect();
    let shared = Arc::new(Shared {
        base: server.base(),
        targets: catalogue.targets.iter().map(|t| t.id.clone()).collect(),
        members,
        groups: catalogue.groups.iter().map(|g| g.code.clone()).collect(),
        reporters,
        error_samples: Mutex::new(Vec::new()),
    });
    let agent = ureq::AgentBuilder::new().timeout(Duration::from_secs(60)).build();
    let before: HashMap<&str, HashMap<Key, (Option<f64>, i64)>> =
        REPORTERS.iter().map(|iso3| (*iso3, stored(&agent, &server.base(), iso3))).collect();
    let mut unloaded = Vec::new();
    for (label, path) in [
        ("overview cold", "/api/v1/progress"),
        ("overview warm", "/api/v1/progress"),
        ("target 1.2 compute", "/api/v1/progress/targets/1.2"),
        ("country KEN compute", "/api/v1/progress/countries/KEN"),
        ("aggregates WORLD compute", "/api/v1/indicators/individuals_internet_pct/aggregates?group=WORLD"),
        ("observations page", "/api/v1/observations?country=KEN&limit=100"),
    ] {
        let started = Instant::now();
        let (status, _, body) = call(agent.get(&format!("{}{path}", server.base())), None);
        assert_eq!(status, 200, "{body}");
        unloaded.push(format!("{label} {:.1} ms", started.elapsed().as_secs_f64() * 1000.0));
    }
    let (revisions_before, submissions_before) = counts(&server.state);
    let cache_before = server.state.progress.answers.counts();
    let (hits_before, misses_before) = (cache_before.hits + cache_before.stale, cache_before.misses);

    eprintln!("[{name}] {threads} clients for {:.0} s", duration.as_secs_f64());
    let started = Instant::now();
    let deadline = started + duration;
    let handles: Vec<_> = (0..threads)
        .map(|i| {
            let shared = shared.clone();
            std::thread::spawn(move || worker(shared, 2030 + i as u64, deadline))
        })
        .collect();
    let mut stats: Vec<Stats> = (0..CLASSES.len()).map(|_| Stats::default()).collect();
    for handle in handles {
        for (total, part) in stats.iter_mut().zip(handle.join().expect("a worker")) {
            total.latencies.extend(part.latencies);
            total.errors += part.errors;
            total.not_modified += part.not_modified;
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    let cache_after = server.state.progress.answers.counts();
    let (hits, misses) = (cache_after.hits + cache_after.stale, cache_after.misses);

    // Verification.
    let (revisions_after, submissions_after) = counts(&server.state);
    let (mut lost, mut wrong_revisions, mut uncertain, mut rows_acknowledged, mut changes, mut stored_submissions) =
        (0, 0, 0, 0, 0, 0);
    let mut examples = Vec::new();
    for reporter in &shared.reporters {
        let reporter = reporter.lock().unwrap();
        let now = stored(&agent, &server.base(), reporter.iso3);
        let then = &before[reporter.iso3];
        rows_acknowledged += reporter.rows_acknowledged;
        stored_submissions += reporter.submissions_stored;
        changes += reporter.changes.values().sum::<i64>();
        for (key, value) in &reporter.last {
            if let Some(options) = reporter.uncertain.get(key) {
                uncertain += 1;
                if !now.get(key).and_then(|(v, _)| *v).is_some_and(|v| options.contains(&v)) {
                    lost += 1;
                }
                continue;
            }
            let found = now.get(key).copied();
            if found.and_then(|(v, _)| v) != Some(*value) {
                lost += 1;
                if examples.len() < 5 {
                    examples.push(format!("{} {key:?}: acknowledged {value}, stored {found:?}", reporter.iso3));
                }
            }
            let expected = then.get(key).map_or(0, |(_, n)| *n) + reporter.changes.get(key).copied().unwrap_or(0);
            if found.map(|(_, n)| n) != Some(expected) {
                wrong_revisions += 1;
                if examples.len() < 5 {
                    examples.push(format!("{} {key:?}: revision {found:?}, expected number {expected}", reporter.iso3));
                }
            }
        }
    }
    let exact = uncertain == 0;
    let revisions_ok = !exact || revisions_after - revisions_before == changes;
    let submissions_ok = !exact || submissions_after - submissions_before == stored_submissions as i64;

    // Report.
    println!();
    println!(
        "== {name}: {threads} client threads for {elapsed:.1} s; server {workers} workers; {cores} cores shared by \
         server and clients; bundled public data; write rate limit off"
    );
    println!("one request at a time before the run: {}", unloaded.join(", "));
    println!(
        "{:<18} {:>7} {:>8} {:>8} {:>8} {:>8} {:>7} {:>6}",
        "class", "count", "req/s", "p50 ms", "p99 ms", "max ms", "errors", "304"
    );
    let mut all = Vec::new();
    let (mut errors, mut not_modified) = (0, 0);
    for (class, s) in CLASSES.iter().zip(stats.iter_mut()) {
        s.latencies.sort_by(f64::total_cmp);
        all.extend_from_slice(&s.latencies);
        errors += s.errors;
        not_modified += s.not_modified;
        print_line(class, &s.latencies, s.errors, s.not_modified, elapsed);
    }
    all.sort_by(f64::total_cmp);
    print_line("all", &all, errors, not_modified, elapsed);
    let writes = stats[SUBMIT].latencies.len() as f64;
    println!(
        "submissions: {:.1} % of requests; {rows_acknowledged} rows acknowledged in {stored_submissions} stored \
         submissions ({changes} new revisions, {:.0} rows/s)",
        100.0 * writes / all.len().max(1) as f64,
        rows_acknowledged as f64 / elapsed
    );
    println!(
        "progress answer cache during the run: {} hits, {} computed (every write moves the data version)",
        hits - hits_before,
        misses - misses_before
    );
    for sample in shared.error_samples.lock().unwrap().iter() {
        println!("error: {sample}");
    }
    println!(
        "revisions in the database: +{} (acknowledged changes {changes}) {}; submissions: +{} (acknowledged {}) {}",
        revisions_after - revisions_before,
        if revisions_ok { "ok" } else { "MISMATCH" },
        submissions_after - submissions_before,
        stored_submissions,
        if submissions_ok { "ok" } else { "MISMATCH" }
    );
    if uncertain > 0 {
        println!("{uncertain} keys were in batches never acknowledged (either value accepted; totals not checked)");
    }
    for example in &examples {
        println!("  {example}");
    }
    let bad = lost + wrong_revisions + usize::from(!revisions_ok) + usize::from(!submissions_ok);
    println!(
        "{name}: LOST={lost} (keys checked {}, wrong revision numbers {wrong_revisions}); errors {errors}; {}",
        shared.reporters.iter().map(|r| r.lock().unwrap().last.len()).sum::<usize>(),
        if bad == 0 && errors == 0 { "bar met: zero errors, zero lost rows" } else { "BAR NOT MET" }
    );
    drop(server);
    bad
}

fn print_line(class: &str, sorted: &[f64], errors: usize, not_modified: usize, seconds: f64) {
    let ms = |s: f64| if s.is_nan() { "n/a".to_string() } else { format!("{:.1}", s * 1000.0) };
    println!(
        "{class:<18} {:>7} {:>8.1} {:>8} {:>8} {:>8} {:>7} {:>6}",
        sorted.len(),
        sorted.len() as f64 / seconds,
        ms(percentile(sorted, 0.5)),
        ms(percentile(sorted, 0.99)),
        ms(sorted.last().copied().unwrap_or(f64::NAN)),
        errors,
        not_modified
    );
}
