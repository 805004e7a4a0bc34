//! History at scale: 194 member states × 22 indicators × 34 years (145,112 values) loaded
//! through the API, then every value revised 9 more times (1,451,120 revisions); then the
//! past next to the present, on the same database.
//!
//! ```sh
//! cargo bench --bench history                                                       # SQLite
//! BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test cargo bench --bench history  # and PostgreSQL
//! ```
//!
//! - Rounds go in through `POST /api/v1/observations` in batches of 50,000 rows with an
//!   administrator key; `as_of` is an instant after the first round, `changed_since` the
//!   instant before the last one.
//! - Each figure is the median of `BENCH_RUNS` (default 3) single requests on one keep-alive
//!   connection. `cold overview` and `first as_of overview` are the first request of a freshly
//!   started server on that database (no answer cached: the current overview is computed from
//!   the current values the server loads before serving; the first as_of one reads the past
//!   state, then computes); `before the last round` is the same for a recent instant, with
//!   every value revised once since. `changed_since` is the first page (1,000 values) of what
//!   the last round changed. The three first requests are measured in turn, each by a server
//!   started just before it, in an order that rotates run by run.
//! - Size: the whole database, the revisions with their indexes, the submissions (each
//!   stores its report) and the state snapshots, each divided by the number of revisions.
//! - Aims, as ratios of the same run: the `as_of` listing of one series within 5× of its current
//!   listing; the first `as_of` overview within 3× of the cold current overview.
//!   `BENCH_KEEP_DB=1` keeps the databases (their URLs are printed) for `EXPLAIN`.

mod common;

use common::{Backend, FreshDb, Running};
use connect2030::config::Settings;
use connect2030::db::DbConnection;
use connect2030::domain::catalogue::{Catalogue, Unit, ITU_MEMBERS};
use diesel::prelude::*;
use diesel::sql_types::BigInt;
use std::io::Read;
use std::time::{Duration, Instant};

const YEARS: std::ops::RangeInclusive<i32> = 1990..=2023;
const ROUNDS: u32 = 10;
const BATCH: usize = 50_000;
const SERIES: &str = "/api/v1/observations?country=KEN&indicator=individuals_internet_pct";
const OVERVIEW: &str = "/api/v1/progress";

fn main() {
    let runs: usize = std::env::var("BENCH_RUNS").ok().and_then(|r| r.parse().ok()).unwrap_or(3).max(1);
    let started = Instant::now();
    let reports: Vec<Report> = Backend::from_env("history").iter().map(|b| bench_backend(b, runs)).collect();
    println!("\n194 member states x 22 indicators x {} years, {ROUNDS} rounds; median of {runs} runs", YEARS.count());
    for report in &reports {
        report.print();
    }
    println!("\ntotal wall time {:.0} s", started.elapsed().as_secs_f64());
}

/// Every key of the data set with the value of its first round.
fn keys(catalogue: &Catalogue) -> Vec<(String, String, i32, Unit)> {
    let members = &catalogue.group(ITU_MEMBERS).expect("the ITU_MEMBERS group").members;
    let mut keys = Vec::new();
    for member in members {
        for indicator in &catalogue.indicators {
            for year in YEARS {
                keys.push((member.iso3.clone(), indicator.code.clone(), year, indicator.unit));
            }
        }
    }
    keys
}

/// A value every round changes: yes/no alternates, numbers grow by one per round (all
/// numeric indicators accept 0..=100).
fn value(key: &(String, String, i32, Unit), index: usize, round: u32) -> serde_json::Value {
    let base = (index * 7919 % 80) as f64;
    match key.3 {
        Unit::Boolean => serde_json::json!(if (index as u32 + round).is_multiple_of(2) { "yes" } else { "no" }),
        Unit::Count => serde_json::json!(base + f64::from(round)),
        _ => serde_json::json!(base + f64::from(round) + 0.25),
    }
}

/// One round: every value, in batches; returns the seconds it took.
fn round(server: &Running, agent: &ureq::Agent, key: &str, keys: &[(String, String, i32, Unit)], round: u32) -> f64 {
    let rows: Vec<serde_json::Value> = keys
        .iter()
        .enumerate()
        .map(|(i, k)| {
            serde_json::json!({"country": k.0, "indicator": k.1, "year": k.2, "value": value(k, i, round),
                "source": "National statistics office", "nature": "reported"})
        })
        .collect();
    let started = Instant::now();
    for chunk in rows.chunks(BATCH) {
        let body = serde_json::to_vec(&serde_json::json!({ "observations": chunk })).unwrap();
        let response = agent
            .post(&format!("{}/api/v1/observations", server.base()))
            .set("Authorization", &format!("Bearer {key}"))
            .set("Content-Type", "application/json")
            .send_bytes(&body)
            .unwrap_or_else(|e| panic!("round {round}: {e}"));
        let report: serde_json::Value = response.into_json().unwrap();
        let changed = report["counts"]["created"].as_u64().unwrap() + report["counts"]["revised"].as_u64().unwrap();
        assert_eq!(changed as usize, chunk.len(), "round {round} changes every value: {}", report["counts"]);
    }
    started.elapsed().as_secs_f64()
}

/// GET a path; returns the seconds to the last byte and the body.
fn get(agent: &ureq::Agent, server: &Running, path: &str) -> (f64, Vec<u8>) {
    let started = Instant::now();
    let response = agent.get(&format!("{}{path}", server.base())).call().unwrap_or_else(|e| panic!("{path}: {e}"));
    let mut body = Vec::new();
    response.into_reader().read_to_end(&mut body).unwrap();
    (started.elapsed().as_secs_f64(), body)
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn instant() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true).replace('+', "%2B")
}

#[derive(QueryableByName)]
struct Bytes {
    #[diesel(sql_type = BigInt)]
    bytes: i64,
}

/// Bytes of the whole database, of the revisions with their indexes, of the submissions and of
/// the state snapshots.
fn sizes(conn: &mut DbConnection) -> [Option<i64>; 4] {
    let one =
        |conn: &mut DbConnection, sql: &str| diesel::sql_query(sql).get_result::<Bytes>(conn).ok().map(|b| b.bytes);
    match conn {
        DbConnection::Sqlite(_) => {
            let dbstat = |table: &str| {
                format!("SELECT CAST(SUM(pgsize) AS BIGINT) AS bytes FROM dbstat WHERE name = '{table}' OR name IN (SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = '{table}')")
            };
            [
                one(conn, "SELECT page_count * page_size AS bytes FROM pragma_page_count(), pragma_page_size()"),
                one(conn, &dbstat("revisions")),
                one(conn, &dbstat("submissions")),
                one(conn, &dbstat("state_snapshots")),
            ]
        }
        DbConnection::Postgresql(_) => [
            one(conn, "SELECT pg_database_size(current_database()) AS bytes"),
            one(conn, "SELECT pg_total_relation_size('revisions') AS bytes"),
            one(conn, "SELECT pg_total_relation_size('submissions') AS bytes"),
            one(conn, "SELECT pg_total_relation_size('state_snapshots') AS bytes"),
        ],
    }
}

struct Report {
    backend: &'static str,
    round_seconds: Vec<f64>,
    revisions: i64,
    series_current: f64,
    series_as_of: f64,
    series_rows: (usize, usize),
    cold_overview: f64,
    first_as_of_overview: f64,
    recent_as_of_overview: f64,
    changed_since_page: f64,
    current_page: f64,
    sizes: [Option<i64>; 4],
    snapshots: i64,
}

fn bench_backend(backend: &Backend, runs: usize) -> Report {
    let db = FreshDb::create(backend);
    let settings = || Settings::for_database(&db.url).unwrap();
    let server = Running::start(settings());
    let key = connect2030::admin::create_admin_key(&server.state, "bench secretariat").unwrap();
    let agent = ureq::AgentBuilder::new().timeout(Duration::from_secs(900)).build();
    let keys = keys(&server.state.catalogue);
    assert_eq!(keys.len(), 145_112);
    let mut round_seconds = Vec::new();
    let (mut as_of, mut before_last) = (String::new(), String::new());
    for r in 0..ROUNDS {
        if r == ROUNDS - 1 {
            before_last = instant();
        }
        round_seconds.push(round(&server, &agent, &key, &keys, r));
        if r == 0 {
            as_of = instant();
        }
        println!("{} round {} of {ROUNDS}: {:.1} s", backend.name(), r + 1, round_seconds.last().unwrap());
    }
    let series_as_of_path = format!("{SERIES}&as_of={as_of}");
    let count = |body: &[u8]| {
        serde_json::from_slice::<serde_json::Value>(body).unwrap()["observations"].as_array().unwrap().len()
    };
    let series_rows = (count(&get(&agent, &server, SERIES).1), count(&get(&agent, &server, &series_as_of_path).1));
    let series_current = median((0..runs).map(|_| get(&agent, &server, SERIES).0).collect());
    let series_as_of = median((0..runs).map(|_| get(&agent, &server, &series_as_of_path).0).collect());
    let changed_path = format!("/api/v1/observations?changed_since={before_last}&limit=1000");
    let changed_since_page = median((0..runs).map(|_| get(&agent, &server, &changed_path).0).collect());
    let current_page = median((0..runs).map(|_| get(&agent, &server, "/api/v1/observations?limit=1000").0).collect());
    // In turn, the order rotating run by run (each kind follows each, as the last server's
    // leftovers differ), so that a slow spell of this shared machine weighs on each alike; each
    // server stops before the next starts, and its first request follows its start-up.
    let firsts = [OVERVIEW.to_string(), format!("{OVERVIEW}?as_of={as_of}"), format!("{OVERVIEW}?as_of={before_last}")];
    let mut seconds: [Vec<f64>; 3] = Default::default();
    let mut server = Some(server);
    for run in 0..runs {
        for turn in 0..firsts.len() {
            let kind = (run + turn) % firsts.len();
            drop(server.take());
            let fresh = server.insert(Running::start(settings()));
            seconds[kind].push(get(&agent, fresh, &firsts[kind]).0);
        }
    }
    let server = server.expect("the last server");
    let [cold_overview, first_as_of_overview, recent_as_of_overview] = seconds.map(median);
    let mut conn = server.state.db.get().unwrap();
    let revisions =
        diesel::sql_query("SELECT COUNT(*) AS bytes FROM revisions").get_result::<Bytes>(&mut *conn).unwrap().bytes;
    let sizes = sizes(&mut conn);
    let snapshots = diesel::sql_query("SELECT COUNT(*) AS bytes FROM state_snapshots")
        .get_result::<Bytes>(&mut *conn)
        .unwrap()
        .bytes;
    Report {
        backend: backend.name(),
        round_seconds,
        revisions,
        series_current,
        series_as_of,
        series_rows,
        cold_overview,
        first_as_of_overview,
        recent_as_of_overview,
        changed_since_page,
        current_page,
        sizes,
        snapshots,
    }
}

impl Report {
    fn print(&self) {
        let ms = |s: f64| format!("{:.1} ms", s * 1000.0);
        let per =
            |bytes: Option<i64>| bytes.map_or("n/a".into(), |b| format!("{:.0} B", b as f64 / self.revisions as f64));
        let aim = |ratio: f64, bound: f64| if ratio <= bound { "met" } else { "MISSED" };
        println!(
            "\n{}: {} revisions; rounds took {:.1}-{:.1} s",
            self.backend,
            self.revisions,
            self.round_seconds.iter().copied().fold(f64::MAX, f64::min),
            self.round_seconds.iter().copied().fold(0.0, f64::max)
        );
        let listing = self.series_as_of / self.series_current;
        println!("  one series ({} values): current {}, as_of after round 1 ({} values) {}  -> {listing:.1}x (aim <= 5x: {})",
            self.series_rows.0, ms(self.series_current), self.series_rows.1, ms(self.series_as_of), aim(listing, 5.0));
        let overview = self.first_as_of_overview / self.cold_overview;
        println!(
            "  overview: cold current {}, first as_of {}  -> {overview:.1}x (aim <= 3x: {})",
            ms(self.cold_overview),
            ms(self.first_as_of_overview),
            aim(overview, 3.0)
        );
        println!("  first as_of overview before the last round: {}", ms(self.recent_as_of_overview));
        println!(
            "  changed_since the last round, first 1,000: {} (first 1,000 current values: {})",
            ms(self.changed_since_page),
            ms(self.current_page)
        );
        println!(
            "  size per revision: database {}, revisions with indexes {}, submissions (stored reports) {}, {} state snapshots {}",
            per(self.sizes[0]),
            per(self.sizes[1]),
            per(self.sizes[2]),
            self.snapshots,
            per(self.sizes[3])
        );
    }
}
