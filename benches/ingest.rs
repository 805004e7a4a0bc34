//! Ingest throughput: one 50,000-row batch through the real HTTP stack (JSON and CSV), next to a
//! plain diesel multi-row insert of the same rows into the same tables.
//!
//! ```sh
//! cargo bench --bench ingest                                                       # SQLite
//! BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test cargo bench --bench ingest  # and PostgreSQL
//! ```
//!
//! Every case runs `BENCH_RUNS` times (default 3) on fresh databases; the table shows medians.
//! Cases: `json create` and `csv create` (50,000 new values), `json unchanged` (the same batch
//! again: nothing written), `json revise` (every value changed: 50,000 new revisions), and
//! `baseline` (one `submissions` row, then `observations` and `revisions` in chunks of 2,000
//! rows, one transaction; only the inserts and the commit are timed). Then memory: what one
//! 100,000-row JSON batch, and four at once, add to the process's resident set at their peak.
//! `RUST_LOG=info` shows
//! the server's log. `BENCH_PHASES=1` adds where a submission's time goes, by calling the
//! handler's steps directly (no HTTP) on fresh databases.

mod common;

use common::{Backend, FreshDb, Rng, Running};
use connect2030::api::observations::input;
use connect2030::config::Settings;
use connect2030::db::ingest::{self, Submitter};
use connect2030::db::schema::{api_keys, observations, revisions, submissions};
use connect2030::db::{write, DbConnection};
use connect2030::domain::catalogue::{Catalogue, Unit, ITU_MEMBERS};
use connect2030::domain::ingest::{Counts, Outcome, StoredRow};
use connect2030::domain::observation::{validate_batch, RawValue};
use connect2030::startup;
use connect2030::state::AppState;
use diesel::prelude::*;
use std::io::Read;
use std::time::{Duration, Instant};

const ROWS: usize = 50_000;
const CHUNK: usize = 2000;
const YEARS: std::ops::RangeInclusive<i32> = 1990..=2024;
const NATURES: [&str; 3] = ["reported", "estimated", "modelled"];
const SOURCE: &str = "National statistics office";

fn main() {
    if std::env::var_os("RUST_LOG").is_some() {
        tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
            .with_writer(std::io::stderr)
            .init();
    }
    let runs: usize = std::env::var("BENCH_RUNS").ok().and_then(|r| r.parse().ok()).unwrap_or(3).max(1);
    let backends = Backend::from_env("ingest");
    let started = Instant::now();
    let mut table = Vec::new();
    for backend in &backends {
        table.extend(bench_backend(backend, runs));
    }
    print_table(&table, runs);
    for backend in &backends {
        print_memory(backend);
    }
    if std::env::var("BENCH_PHASES").is_ok_and(|v| v == "1") {
        for backend in &backends {
            print_phases(backend, runs);
        }
    }
    let peak = table.iter().flat_map(|l| &l.samples).filter_map(|s| s.peak_rss_kib).max().or_else(vm_hwm_kib);
    let peak = peak.map_or("n/a".into(), |k| format!("{:.0} MiB", k as f64 / 1024.0));
    println!("total wall time {:.1} s; peak RSS of the process {peak}", started.elapsed().as_secs_f64());
}

/// The real server with an administrator key.
struct Server {
    running: Running,
    key: String,
    agent: ureq::Agent,
}

impl Server {
    fn start(db: &FreshDb) -> Self {
        let running = Running::start(Settings::for_database(&db.url).unwrap());
        let key = connect2030::admin::create_admin_key(&running.state, "bench secretariat").unwrap();
        let agent = ureq::AgentBuilder::new().timeout(Duration::from_secs(900)).redirects(0).build();
        Self { running, key, agent }
    }

    /// POSTs a batch; returns the time from sending to the last byte of the answer, and the counts.
    fn submit(&self, content_type: &str, body: &[u8]) -> (Duration, Counts) {
        let request = self
            .agent
            .post(&format!("{}/api/v1/observations", self.running.base()))
            .set("Authorization", &format!("Bearer {}", self.key))
            .set("Content-Type", content_type);
        let started = Instant::now();
        let response = match request.send_bytes(body) {
            Ok(response) => response,
            Err(ureq::Error::Status(status, response)) => {
                let text = response.into_string().unwrap_or_default();
                panic!("status {status}: {}", text.chars().take(2000).collect::<String>())
            }
            Err(e) => panic!("transport error: {e}"),
        };
        let status = response.status();
        let mut answer = Vec::new();
        response.into_reader().read_to_end(&mut answer).expect("read the answer");
        let elapsed = started.elapsed();
        assert_eq!(status, 201, "{}", String::from_utf8_lossy(&answer[..answer.len().min(2000)]));
        // Only the counts are read: a tree of the whole report would weigh on the memory figures,
        // which are the server's.
        #[derive(serde::Deserialize)]
        struct Answer {
            counts: Counts,
        }
        let report: Answer = serde_json::from_slice(&answer).expect("a JSON report");
        (elapsed, report.counts)
    }
}

/// One generated observation (a total: no disaggregation).
struct Row {
    country: String,
    indicator: String,
    year: i32,
    /// Hundredths, 0..10_000: the value is `hundredths / 100`, in [0, 100).
    hundredths: u32,
    nature: &'static str,
    /// A count: whole values only.
    count: bool,
}

impl Row {
    fn value(&self, revised: bool) -> f64 {
        let h = if revised { (self.hundredths + 5000) % 10_000 } else { self.hundredths };
        if self.count {
            f64::from(h / 100)
        } else {
            f64::from(h) / 100.0
        }
    }
}

/// 50,000 distinct (country, indicator, year) keys of ITU member states and numeric indicators,
/// picked at random from every possible key, sorted as a country's file would be.
fn generate_rows(catalogue: &Catalogue) -> Vec<Row> {
    generate(catalogue, ROWS, YEARS)
}

/// `count` distinct keys in `years`, as [`generate_rows`] picks them.
fn generate(catalogue: &Catalogue, count: usize, years: std::ops::RangeInclusive<i32>) -> Vec<Row> {
    let countries: Vec<&str> =
        catalogue.group(ITU_MEMBERS).expect("the ITU_MEMBERS group").members.iter().map(|m| m.iso3.as_str()).collect();
    let indicators: Vec<&str> = catalogue
        .indicators
        .iter()
        .filter(|i| matches!(i.unit, Unit::Percent | Unit::Per100 | Unit::Count))
        .inspect(|i| {
            assert!(
                i.min_value.is_none_or(|min| min <= 0.0) && i.max_value.is_none_or(|max| max >= 100.0),
                "{}",
                i.code
            )
        })
        .map(|i| i.code.as_str())
        .collect();
    let mut keys: Vec<(&str, &str, i32)> = countries
        .iter()
        .flat_map(|c| {
            let years = &years;
            indicators.iter().flat_map(move |i| years.clone().map(move |y| (*c, *i, y)))
        })
        .collect();
    assert!(
        keys.len() >= count,
        "only {} possible keys ({} countries, {} indicators)",
        keys.len(),
        countries.len(),
        indicators.len()
    );
    let mut rng = Rng(2030);
    for i in (1..keys.len()).rev() {
        keys.swap(i, (rng.next() % (i as u64 + 1)) as usize);
    }
    keys.truncate(count);
    keys.sort_unstable();
    keys.into_iter()
        .map(|(country, indicator, year)| Row {
            country: country.to_string(),
            indicator: indicator.to_string(),
            year,
            hundredths: (rng.next() % 10_000) as u32,
            nature: NATURES[(rng.next() % 3) as usize],
            count: catalogue.indicator(indicator).is_some_and(|i| i.unit == Unit::Count),
        })
        .collect()
}

fn json_body(rows: &[Row], revised: bool) -> Vec<u8> {
    #[derive(serde::Serialize)]
    struct Item<'a> {
        country: &'a str,
        indicator: &'a str,
        year: i32,
        value: f64,
        source: &'a str,
        nature: &'a str,
    }
    let observations: Vec<Item> = rows
        .iter()
        .map(|r| Item {
            country: &r.country,
            indicator: &r.indicator,
            year: r.year,
            value: r.value(revised),
            source: SOURCE,
            nature: r.nature,
        })
        .collect();
    serde_json::to_vec(&serde_json::json!({ "observations": observations })).unwrap()
}

fn csv_body(rows: &[Row]) -> Vec<u8> {
    use std::fmt::Write;
    let mut out = String::from("country,indicator,year,value,source,nature\n");
    for r in rows {
        writeln!(out, "{},{},{},{},{SOURCE},{}", r.country, r.indicator, r.year, r.value(false), r.nature).unwrap();
    }
    out.into_bytes()
}

#[derive(Insertable)]
#[diesel(table_name = observations)]
struct BaselineObservation<'a> {
    id: i64,
    country: &'a str,
    indicator: &'a str,
    year: i32,
    disaggregation: &'a str,
    current_revision_id: i64,
}

#[derive(Insertable)]
#[diesel(table_name = revisions)]
struct BaselineRevision<'a> {
    id: i64,
    observation_id: i64,
    number: i32,
    value: Option<f64>,
    withdrawn: bool,
    source: Option<&'a str>,
    nature: &'a str,
    note: Option<&'a str>,
    evidence_url: Option<&'a str>,
    reporter_id: i64,
    key_id: Option<i64>,
    submission_id: Option<i64>,
    recorded_at: chrono::NaiveDateTime,
}

/// The same rows written by hand on a migrated database: what the API's writes cost at least.
/// The submission carries the same report the API would store (built before the clock starts).
fn baseline(db: &FreshDb, rows: &[Row]) -> Duration {
    let state = startup::prepare(&Settings::for_database(&db.url).unwrap()).expect("migrate the database");
    connect2030::admin::create_admin_key(&state, "bench secretariat").unwrap();
    let mut pooled = state.db.get().unwrap();
    let conn: &mut DbConnection = &mut pooled;
    let (key_id, reporter_id): (i64, i64) =
        api_keys::table.select((api_keys::id, api_keys::reporter_id)).first(conn).expect("the admin key");
    let at = write::now();
    let submission_id = 1;
    let n = rows.len() as i64;
    let new_observations: Vec<BaselineObservation> = rows
        .iter()
        .zip(1..=n)
        .map(|(r, id)| BaselineObservation {
            id,
            country: &r.country,
            indicator: &r.indicator,
            year: r.year,
            disaggregation: "",
            current_revision_id: id,
        })
        .collect();
    let new_revisions: Vec<BaselineRevision> = rows
        .iter()
        .zip(1..=n)
        .map(|(r, id)| BaselineRevision {
            id,
            observation_id: id,
            number: 1,
            value: Some(r.value(false)),
            withdrawn: false,
            source: Some(SOURCE),
            nature: r.nature,
            note: None,
            evidence_url: None,
            reporter_id,
            key_id: Some(key_id),
            submission_id: Some(submission_id),
            recorded_at: at,
        })
        .collect();
    let stored: Vec<StoredRow> =
        (1..=n).enumerate().map(|(index, id)| StoredRow(index, id, id, Outcome::Created)).collect();
    let report_json = serde_json::to_string(&stored).unwrap();

    macro_rules! insert_all {
        ($c:expr) => {{
            let c = $c;
            let started = Instant::now();
            c.transaction::<_, diesel::result::Error, _>(|c| {
                diesel::insert_into(submissions::table)
                    .values((
                        submissions::id.eq(submission_id),
                        submissions::reporter_id.eq(reporter_id),
                        submissions::key_id.eq(Some(key_id)),
                        submissions::format.eq("json"),
                        submissions::row_count.eq(rows.len() as i32),
                        submissions::created.eq(rows.len() as i32),
                        submissions::revised.eq(0),
                        submissions::unchanged.eq(0),
                        submissions::data_version.eq(1_i64),
                        submissions::received_at.eq(at),
                        submissions::report.eq(&report_json),
                    ))
                    .execute(c)?;
                for chunk in new_observations.chunks(CHUNK) {
                    diesel::insert_into(observations::table).values(chunk).execute(c)?;
                }
                for chunk in new_revisions.chunks(CHUNK) {
                    diesel::insert_into(revisions::table).values(chunk).execute(c)?;
                }
                Ok(())
            })
            .expect("the baseline inserts");
            started.elapsed()
        }};
    }
    let elapsed = match conn {
        DbConnection::Sqlite(c) => insert_all!(c),
        DbConnection::Postgresql(c) => insert_all!(c),
    };
    let stored: i64 = revisions::table.count().get_result(conn).unwrap();
    assert_eq!(stored, n, "the baseline stored every revision");
    elapsed
}

/// Rows of a big batch (the largest a batch may carry).
const BIG: usize = 100_000;

/// What big batches add to the resident set: one 100,000-row JSON batch, then four different
/// ones sent at once from four client threads, each case on a fresh database with the bodies
/// built beforehand. Growth = the process's peak during the case − its resident set before.
fn print_memory(backend: &Backend) {
    let growth = |batches: usize| {
        let db = FreshDb::create(backend);
        let server = Server::start(&db);
        // Years from 1960 (the catalogue's first year), so that 100,000 distinct keys exist.
        let rows = generate(&server.running.state.catalogue, BIG, 1960..=2024);
        // Concurrent batches alternate two sets of values for the same keys, so that most of
        // them are written (created, or revised) rather than found unchanged.
        let bodies: Vec<Vec<u8>> = (0..batches).map(|k| json_body(&rows, k % 2 == 1)).collect();
        let body_mib = bodies[0].len() / (1024 * 1024);
        let before = vm_rss_kib().unwrap_or(0);
        let sample = measure(|| {
            let started = Instant::now();
            std::thread::scope(|scope| {
                for body in &bodies {
                    let server = &server;
                    scope.spawn(move || server.submit("application/json", body));
                }
            });
            started.elapsed()
        });
        (sample.time, sample.peak_rss_kib.map(|peak| peak.saturating_sub(before)), body_mib)
    };
    let mib = |kib: Option<u64>| kib.map_or("n/a".into(), |k| format!("{:.0} MiB", k as f64 / 1024.0));
    let (one_time, one, body_mib) = growth(1);
    let (four_time, four, _) = growth(4);
    println!(
        "[{}] memory: one {BIG}-row JSON batch ({body_mib} MiB body) adds {} to the resident set ({:.1} s); \
         four at once add {} ({:.1} s); aim: one batch adds at most 100 MiB",
        backend.name(),
        mib(one),
        one_time.as_secs_f64(),
        mib(four),
        four_time.as_secs_f64()
    );
}

fn vm_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// One measurement: a case's time and the process's peak RSS while it ran.
struct Sample {
    time: Duration,
    peak_rss_kib: Option<u64>,
}

/// Resets the peak-RSS counter (Linux `clear_refs` 5); false where unavailable.
fn reset_peak_rss() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

fn vm_hwm_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn measure(f: impl FnOnce() -> Duration) -> Sample {
    let resettable = reset_peak_rss();
    let time = f();
    Sample { time, peak_rss_kib: if resettable { vm_hwm_kib() } else { None } }
}

struct Line {
    backend: &'static str,
    case: &'static str,
    samples: Vec<Sample>,
}

fn bench_backend(backend: &Backend, runs: usize) -> Vec<Line> {
    let name = backend.name();
    let mut json_create = Vec::new();
    let mut json_unchanged = Vec::new();
    let mut json_revise = Vec::new();
    let mut csv_create = Vec::new();
    let mut baseline_samples = Vec::new();
    let mut bodies = None;
    for run in 1..=runs {
        eprintln!("[{name}] run {run}/{runs}");
        {
            let db = FreshDb::create(backend);
            let server = Server::start(&db);
            if bodies.is_none() {
                let rows = generate_rows(&server.running.state.catalogue);
                let (json, json_revised, csv) = (json_body(&rows, false), json_body(&rows, true), csv_body(&rows));
                eprintln!(
                    "[{name}] {} rows: JSON {:.1} MiB, CSV {:.1} MiB",
                    rows.len(),
                    json.len() as f64 / 1048576.0,
                    csv.len() as f64 / 1048576.0
                );
                bodies = Some((rows, json, json_revised, csv));
            }
            let (rows, json, json_revised, _) = bodies.as_ref().unwrap();
            let n = rows.len();
            json_create.push(measure(|| {
                let (time, counts) = server.submit("application/json", json);
                assert_eq!((counts.created, counts.revised, counts.unchanged), (n, 0, 0));
                time
            }));
            json_unchanged.push(measure(|| {
                let (time, counts) = server.submit("application/json", json);
                assert_eq!((counts.created, counts.revised, counts.unchanged), (0, 0, n));
                time
            }));
            json_revise.push(measure(|| {
                let (time, counts) = server.submit("application/json", json_revised);
                assert_eq!((counts.created, counts.revised, counts.unchanged), (0, n, 0));
                time
            }));
            drop(server);
        }
        {
            let db = FreshDb::create(backend);
            let server = Server::start(&db);
            let (_, _, _, csv) = bodies.as_ref().unwrap();
            csv_create.push(measure(|| {
                let (time, counts) = server.submit("text/csv", csv);
                assert_eq!((counts.created, counts.revised, counts.unchanged), (ROWS, 0, 0));
                time
            }));
            drop(server);
        }
        {
            let db = FreshDb::create(backend);
            let (rows, ..) = bodies.as_ref().unwrap();
            baseline_samples.push(measure(|| baseline(&db, rows)));
        }
    }
    vec![
        Line { backend: name, case: "baseline insert", samples: baseline_samples },
        Line { backend: name, case: "json create", samples: json_create },
        Line { backend: name, case: "csv create", samples: csv_create },
        Line { backend: name, case: "json unchanged", samples: json_unchanged },
        Line { backend: name, case: "json revise", samples: json_revise },
    ]
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    if values.len() % 2 == 1 {
        values[mid]
    } else {
        (values[mid - 1] + values[mid]) / 2.0
    }
}

fn print_table(lines: &[Line], runs: usize) {
    println!();
    println!("{ROWS} rows per batch, median of {runs} runs, each on a fresh database");
    println!(
        "{:<9} {:<16} {:>9} {:>10} {:>12} {:>9}  runs (s)",
        "backend", "case", "median s", "rows/s", "vs baseline", "peak RSS"
    );
    for line in lines {
        let seconds = median(line.samples.iter().map(|s| s.time.as_secs_f64()).collect());
        let rate = ROWS as f64 / seconds;
        let baseline = lines
            .iter()
            .find(|l| l.backend == line.backend && l.case == "baseline insert")
            .map(|l| median(l.samples.iter().map(|s| s.time.as_secs_f64()).collect()));
        let ratio = baseline.map_or("n/a".into(), |b| format!("{:.2}", b / seconds));
        let peak = line
            .samples
            .iter()
            .filter_map(|s| s.peak_rss_kib)
            .max()
            .map_or("n/a".into(), |k| format!("{:.0} MiB", k as f64 / 1024.0));
        let all: Vec<String> = line.samples.iter().map(|s| format!("{:.3}", s.time.as_secs_f64())).collect();
        println!(
            "{:<9} {:<16} {:>9.3} {:>10.0} {:>12} {:>9}  {}",
            line.backend,
            line.case,
            seconds,
            rate,
            ratio,
            peak,
            all.join(" ")
        );
    }
    println!("(vs baseline = baseline seconds / case seconds, i.e. the ratio of rows/s; peak RSS = whole process,");
    println!(" server and client, highest over the runs of the case)");
}

/// Seconds of each step of `POST /observations`, run directly on the library.
#[derive(Default)]
struct Phases {
    parse: f64,
    country_check: f64,
    validate: f64,
    body_hash: f64,
    load_current: f64,
    transaction: f64,
    report_json: f64,
}

/// The handler's steps for one body, in order, on the database of `state`.
fn phases(state: &AppState, format: input::BodyFormat, body: &[u8]) -> Phases {
    use sha2::Digest;
    let catalogue = state.catalogue.clone();
    let mut p = Phases::default();
    let clock = Instant::now();
    let raw = input::parse(format, body).expect("the body parses").rows;
    p.parse = clock.elapsed().as_secs_f64();
    let clock = Instant::now();
    let known = raw
        .iter()
        .filter(|r| matches!(r.fields.get("country"), Some(RawValue::Text(c)) if catalogue.economy(c).is_some()))
        .count();
    p.country_check = clock.elapsed().as_secs_f64();
    assert_eq!(known, raw.len());
    let clock = Instant::now();
    let valid = validate_batch(&raw, &catalogue, chrono::Datelike::year(&chrono::Utc::now())).expect("valid rows");
    p.validate = clock.elapsed().as_secs_f64();
    let clock = Instant::now();
    let hash = sha2::Sha256::new().chain_update(format.as_str()).chain_update([0]).chain_update(body).finalize();
    p.body_hash = clock.elapsed().as_secs_f64();
    std::hint::black_box(hash);
    {
        let mut conn = state.db.get().unwrap();
        let clock = Instant::now();
        ingest::load_current(&mut conn, &catalogue, &valid).expect("current values");
        p.load_current = clock.elapsed().as_secs_f64();
    }
    let (key_id, reporter_id): (i64, i64) = api_keys::table
        .select((api_keys::id, api_keys::reporter_id))
        .first(&mut *state.db.get().unwrap())
        .expect("the admin key");
    let submitter = Submitter { reporter_id, key_id: Some(key_id), format: format.as_str().to_string() };
    let clock = Instant::now();
    let report = state
        .db
        .write_blocking(|conn| {
            let at = write::begin(conn)?;
            ingest::apply(conn, &catalogue, &submitter, &valid, at, false)
        })
        .expect("the batch applies");
    p.transaction = clock.elapsed().as_secs_f64();
    let clock = Instant::now();
    std::hint::black_box(serde_json::to_string(&report).unwrap());
    p.report_json = clock.elapsed().as_secs_f64();
    p
}

fn print_phases(backend: &Backend, runs: usize) {
    let name = backend.name();
    let mut cases: Vec<(&str, Vec<Phases>)> =
        ["json create", "csv create", "json unchanged", "json revise"].iter().map(|c| (*c, Vec::new())).collect();
    let mut bodies = None;
    for _ in 0..runs {
        for with_csv in [false, true] {
            let db = FreshDb::create(backend);
            let state = startup::prepare(&Settings::for_database(&db.url).unwrap()).expect("migrate the database");
            connect2030::admin::create_admin_key(&state, "bench secretariat").unwrap();
            let (_, json, json_revised, csv) = bodies.get_or_insert_with(|| {
                let rows = generate_rows(&state.catalogue);
                let bodies = (json_body(&rows, false), json_body(&rows, true), csv_body(&rows));
                (rows, bodies.0, bodies.1, bodies.2)
            });
            if with_csv {
                cases[1].1.push(phases(&state, input::BodyFormat::Csv, csv));
            } else {
                cases[0].1.push(phases(&state, input::BodyFormat::Json, json));
                cases[2].1.push(phases(&state, input::BodyFormat::Json, json));
                cases[3].1.push(phases(&state, input::BodyFormat::Json, json_revised));
            }
        }
    }
    println!();
    println!("{name}: steps of POST /observations called directly, median seconds of {runs} runs");
    println!("(transaction = write lock, load_current, plan, report JSON, inserts, pointer updates, commit)");
    println!(
        "{:<16} {:>7} {:>9} {:>9} {:>7} {:>9} {:>11} {:>9} {:>7}",
        "case", "parse", "403 check", "validate", "sha256", "load cur", "transaction", "rep. json", "sum"
    );
    for (case, samples) in &cases {
        let m = |f: fn(&Phases) -> f64| median(samples.iter().map(f).collect());
        let cols = [
            m(|p| p.parse),
            m(|p| p.country_check),
            m(|p| p.validate),
            m(|p| p.body_hash),
            m(|p| p.load_current),
            m(|p| p.transaction),
            m(|p| p.report_json),
        ];
        let sum = cols[0] + cols[1] + cols[2] + cols[3] + cols[5];
        println!(
            "{case:<16} {:>7.3} {:>9.3} {:>9.3} {:>7.3} {:>9.3} {:>11.3} {:>9.3} {:>7.3}",
            cols[0], cols[1], cols[2], cols[3], cols[4], cols[5], cols[6], sum
        );
    }
    println!("(sum = parse + 403 check + validate + sha256 + transaction; load cur and rep. json are inside the");
    println!(" transaction, timed separately; the rest of the HTTP time is body transfer and the answer)");
}
