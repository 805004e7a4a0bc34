//! Progress at scale: 200 economies × 30 series × 25 years (150,000 values), loaded through the
//! API, then `GET /api/v1/progress` (the overview), `/progress/targets/1.2` and
//! `/progress/countries/KEN` timed cold, after a one-row write and warm, and the warm overview's
//! throughput under concurrent load next to `GET /health` on the same server.
//!
//! ```sh
//! cargo bench --bench progress                                                       # SQLite
//! BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test cargo bench --bench progress  # and PostgreSQL
//! ```
//!
//! - The catalogue has 22 indicators; the 8 `sex=female` / `sex=male` breakdowns the catalogue
//!   allows make 30 series. It has 194 ITU member states; the first 6 other economies with a
//!   population figure make 200 countries. Years 2000–2024. Values follow plausible trends.
//! - Data goes in through `POST /api/v1/observations` in batches of 50,000 rows with an
//!   administrator key, into a fresh database (SQLite file; a fresh PostgreSQL database too when
//!   `BENCH_DATABASE_URL` or `TEST_DATABASE_URL` is set), dropped at the end.
//! - Single requests (one keep-alive connection, median of `BENCH_RUNS`, default 5):
//!   `cold` is the first request of a fresh server on that database (nothing in memory: the
//!   whole data set is read and the answer computed); `compute` is the first request for that
//!   answer once the data is in memory (another endpoint loaded it); `after write` follows a
//!   one-row `POST` (a new value: delta refresh + compute, since answers are keyed by data
//!   version); `warm` is served from the answer cache (median of 50); `304` sends the ETag back.
//! - Throughput: `BENCH_THREADS` (default `2,4,8`) client threads, each with its own keep-alive
//!   connection and a minimal HTTP/1.1 client over `TcpStream`, for `BENCH_SECONDS` (default 5)
//!   against `GET /health` (the trivial static endpoint), the warm overview with its ETag (304:
//!   everything but the body) and without (200), and, for scale, a bare actix-web server (2
//!   workers, no middleware) answering the same 15 bytes and the same overview bytes. The
//!   server runs 2 workers (`Settings::for_database`); client and server share the machine's
//!   cores, so the numbers are a floor for the server and the ratios are what to read.
//! - Phases: the same work called on the library (no HTTP): the version query (direct, and
//!   through `Db::read` from an actix runtime as a handler runs it), a pool checkout and the
//!   `SELECT 1` r2d2 runs to test it, reading every value (the join alone, numeric columns
//!   only, every column, then into a `DataSet`), computing and serialising each answer, and
//!   the delta query after one write (the server's query and a primary-key-driven variant).
//!   `BENCH_KEEP_DB=1` keeps the loaded databases (their URLs are printed) for `EXPLAIN`.

mod common;

use common::data::{observation, series};
use common::{Backend, FreshDb, Running};
use connect2030::api::progress::{self, CountryProgressView, Provenance, TargetProgressView};
use connect2030::config::Settings;
use connect2030::db::dataset::{self, ValueRow};
use connect2030::db::observation_keys::ObservationKeys;
use connect2030::db::schema::{observations, revisions};
use connect2030::db::{write, DbConnection};
use connect2030::domain::catalogue::{Catalogue, ITU_MEMBERS};
use connect2030::domain::estimation::Estimation;
use connect2030::domain::language::Language;
use connect2030::domain::progress::Method;
use connect2030::domain::tracking::{self, DataSet, Inputs, Options};
use connect2030::startup;
use connect2030::state::pieces::Pieces;
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

const COUNTRIES: usize = 200;
const YEARS: std::ops::RangeInclusive<i32> = 2000..=2024;
const BATCH: usize = 50_000;
const WARM_SAMPLES: usize = 50;
const OVERVIEW: &str = "/api/v1/progress";
const TARGET: &str = "/api/v1/progress/targets/1.2";
const COUNTRY: &str = "/api/v1/progress/countries/KEN";
const HEALTH: &str = "/health";
const WARM: &str = "progress (warm)";
const WARM_304: &str = "progress 304";
const BARE_SMALL: &str = "bare actix 15 B";
const BARE_BIG: &str = "bare actix overview";

fn main() {
    if std::env::var_os("RUST_LOG").is_some() {
        tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
            .with_writer(std::io::stderr)
            .init();
    }
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let runs: usize = env("BENCH_RUNS").and_then(|r| r.parse().ok()).unwrap_or(5).max(1);
    let seconds: f64 = env("BENCH_SECONDS").and_then(|s| s.parse().ok()).unwrap_or(5.0);
    let threads: Vec<usize> = env("BENCH_THREADS")
        .unwrap_or_else(|| "2,4,8".into())
        .split(',')
        .filter_map(|t| t.trim().parse().ok())
        .filter(|t| *t > 0)
        .collect();
    let backends = Backend::from_env("progress");
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let started = Instant::now();
    let mut reports = Vec::new();
    for backend in &backends {
        reports.push(bench_backend(backend, runs, Duration::from_secs_f64(seconds), &threads));
    }
    println!();
    println!(
        "{COUNTRIES} countries x 30 series x {} years; {runs} runs; {cores} cores shared by server (2 workers) and client",
        YEARS.count()
    );
    for report in &reports {
        report.print(runs);
    }
    let peak = vm_hwm_kib().map_or("n/a".into(), |k| format!("{:.0} MiB", k as f64 / 1024.0));
    println!("\ntotal wall time {:.1} s; peak RSS of the process {peak}", started.elapsed().as_secs_f64());
}

/// A minimal keep-alive HTTP/1.1 client: cheap enough not to be what is measured.
struct Client {
    reader: BufReader<TcpStream>,
    host: String,
}

/// A response read in full.
struct Reply {
    status: u16,
    etag: Option<String>,
    body: Vec<u8>,
}

impl Client {
    fn connect(address: SocketAddr) -> std::io::Result<Self> {
        let stream = TcpStream::connect(address)?;
        stream.set_nodelay(true)?;
        stream.set_read_timeout(Some(Duration::from_secs(300)))?;
        Ok(Self { reader: BufReader::with_capacity(64 * 1024, stream), host: address.to_string() })
    }

    fn get(&mut self, path: &str) -> std::io::Result<Reply> {
        self.send("GET", path, &[], &[])
    }

    fn send(&mut self, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> std::io::Result<Reply> {
        use std::fmt::Write as _;
        let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {}\r\n", self.host);
        for (name, value) in headers {
            let _ = write!(head, "{name}: {value}\r\n");
        }
        if method != "GET" {
            let _ = write!(head, "Content-Length: {}\r\n", body.len());
        }
        head.push_str("\r\n");
        let mut request = head.into_bytes();
        request.extend_from_slice(body);
        self.reader.get_mut().write_all(&request)?;
        read_reply(&mut self.reader)
    }
}

fn bad(message: String) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidData, message)
}

fn read_reply(reader: &mut BufReader<TcpStream>) -> std::io::Result<Reply> {
    let mut line = String::new();
    if reader.read_line(&mut line)? == 0 {
        return Err(std::io::ErrorKind::UnexpectedEof.into());
    }
    let status: u16 =
        line.split_whitespace().nth(1).and_then(|s| s.parse().ok()).ok_or_else(|| bad(format!("status {line:?}")))?;
    let (mut length, mut chunked, mut etag) = (None, false, None);
    loop {
        line.clear();
        if reader.read_line(&mut line)? == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        let header = line.trim_end();
        if header.is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            let value = value.trim();
            if name.eq_ignore_ascii_case("content-length") {
                length = Some(value.parse::<usize>().map_err(|e| bad(e.to_string()))?);
            } else if name.eq_ignore_ascii_case("transfer-encoding") {
                chunked = value.eq_ignore_ascii_case("chunked");
            } else if name.eq_ignore_ascii_case("etag") {
                etag = Some(value.to_string());
            }
        }
    }
    let mut body = Vec::new();
    if chunked {
        loop {
            line.clear();
            reader.read_line(&mut line)?;
            let size = usize::from_str_radix(line.trim().split(';').next().unwrap_or(""), 16)
                .map_err(|e| bad(format!("chunk size {line:?}: {e}")))?;
            let start = body.len();
            body.resize(start + size, 0);
            reader.read_exact(&mut body[start..])?;
            line.clear();
            reader.read_line(&mut line)?;
            if size == 0 {
                break;
            }
        }
    } else if let Some(length) = length {
        body.resize(length, 0);
        reader.read_exact(&mut body)?;
    }
    Ok(Reply { status, etag, body })
}

/// Times one GET; panics unless it answers `expect`.
fn timed_get(client: &mut Client, path: &str, headers: &[(&str, &str)], expect: u16) -> (f64, Reply) {
    let started = Instant::now();
    let reply = client.send("GET", path, headers, &[]).expect("the request succeeds");
    let seconds = started.elapsed().as_secs_f64();
    assert_eq!(reply.status, expect, "{path}: {}", String::from_utf8_lossy(&reply.body[..reply.body.len().min(500)]));
    (seconds, reply)
}

/// 194 member states, then the first other economies with a population figure, 200 in all.
fn countries(catalogue: &Catalogue) -> Vec<String> {
    let members = &catalogue.group(ITU_MEMBERS).expect("the ITU_MEMBERS group").members;
    let mut all: Vec<String> = members.iter().map(|m| m.iso3.clone()).collect();
    let has_population = |iso3: &str| catalogue.population.get(iso3).is_some_and(|years| years.contains_key(&2020));
    for economy in &catalogue.economies {
        if all.len() == COUNTRIES {
            break;
        }
        if !members.iter().any(|m| m.iso3 == economy.iso3) && has_population(&economy.iso3) {
            all.push(economy.iso3.clone());
        }
    }
    assert_eq!(all.len(), COUNTRIES);
    all
}

/// Every value, in batches of 50,000, through the API; returns the seconds each batch took.
fn load(server: &Running, key: &str) -> Vec<f64> {
    let catalogue = &server.state.catalogue;
    let (all_series, countries) = (series(catalogue), countries(catalogue));
    let mut rows = Vec::with_capacity(COUNTRIES * 30 * YEARS.count());
    for country in 0..countries.len() {
        for s in &all_series {
            for year in YEARS {
                rows.push(observation(&countries, s, country, year, *YEARS.start()));
            }
        }
    }
    assert_eq!(rows.len(), 150_000);
    let auth = format!("Bearer {key}");
    let mut client = Client::connect(server.address).expect("connect to the server");
    rows.chunks(BATCH)
        .map(|chunk| {
            let body = serde_json::to_vec(&serde_json::json!({ "observations": chunk })).unwrap();
            let started = Instant::now();
            let reply = client
                .send(
                    "POST",
                    "/api/v1/observations",
                    &[("Authorization", &auth), ("Content-Type", "application/json")],
                    &body,
                )
                .expect("the batch is sent");
            let seconds = started.elapsed().as_secs_f64();
            assert_eq!(reply.status, 201, "{}", String::from_utf8_lossy(&reply.body[..reply.body.len().min(2000)]));
            let report: serde_json::Value = serde_json::from_slice(&reply.body).unwrap();
            assert_eq!(report["counts"]["created"], chunk.len(), "{}", report["counts"]);
            seconds
        })
        .collect()
}

/// One new value (a year before the generated ones), as a member state's office would send.
fn write_one(client: &mut Client, key: &str, n: usize) -> f64 {
    let countries = ["KEN", "BRA", "IND", "DEU", "JPN", "NGA", "MEX", "FRA", "EGY", "IDN", "PER", "VNM"];
    let country = countries[n % countries.len()];
    let year = 1999 - (n / countries.len()) as i32;
    let body = serde_json::json!({"observations": [{
        "country": country, "indicator": "individuals_internet_pct", "year": year,
        "value": 1.0 + n as f64 / 10.0, "source": "Bench", "nature": "reported"}]});
    let auth = format!("Bearer {key}");
    let started = Instant::now();
    let reply = client
        .send(
            "POST",
            "/api/v1/observations",
            &[("Authorization", &auth), ("Content-Type", "application/json")],
            body.to_string().as_bytes(),
        )
        .expect("the write is sent");
    let seconds = started.elapsed().as_secs_f64();
    assert_eq!(reply.status, 201, "{}", String::from_utf8_lossy(&reply.body));
    seconds
}

/// Named samples in seconds, in insertion order.
#[derive(Default)]
struct Samples(Vec<(String, Vec<f64>)>);

impl Samples {
    fn push(&mut self, name: &str, seconds: f64) {
        match self.0.iter_mut().find(|(n, _)| n == name) {
            Some((_, values)) => values.push(seconds),
            None => self.0.push((name.to_string(), vec![seconds])),
        }
    }

    fn median(&self, name: &str) -> f64 {
        self.0.iter().find(|(n, _)| n == name).map_or(f64::NAN, |(_, v)| median(v.clone()))
    }
}

/// Throughput of one endpoint at one concurrency.
struct Load {
    name: &'static str,
    threads: usize,
    requests: usize,
    errors: usize,
    seconds: f64,
    p50: f64,
    p99: f64,
    max: f64,
}

/// `threads` clients, one keep-alive connection each, GET `path` (with `If-None-Match: etag`
/// when given) for `duration`; any status but `expect` is an error.
fn hammer(
    name: &'static str,
    address: SocketAddr,
    path: &str,
    etag: Option<&str>,
    threads: usize,
    duration: Duration,
) -> Load {
    let expect = if etag.is_some() { 304 } else { 200 };
    let barrier = Arc::new(Barrier::new(threads + 1));
    let workers: Vec<_> = (0..threads)
        .map(|_| {
            let barrier = barrier.clone();
            let (path, etag) = (path.to_string(), etag.map(str::to_string));
            std::thread::spawn(move || {
                let headers: Vec<(&str, &str)> = etag.iter().map(|e| ("If-None-Match", e.as_str())).collect();
                let mut client = Client::connect(address).expect("connect");
                // One request before the clock starts: the connection is open and the answer cached.
                let _ = client.send("GET", &path, &headers, &[]);
                barrier.wait();
                let (mut latencies, mut errors) = (Vec::with_capacity(200_000), 0);
                let deadline = Instant::now() + duration;
                while Instant::now() < deadline {
                    let started = Instant::now();
                    match client.send("GET", &path, &headers, &[]) {
                        Ok(reply) if reply.status == expect => latencies.push(started.elapsed().as_secs_f64()),
                        Ok(_) => errors += 1,
                        Err(_) => {
                            errors += 1;
                            client = Client::connect(address).expect("reconnect");
                        }
                    }
                }
                (latencies, errors)
            })
        })
        .collect();
    barrier.wait();
    let started = Instant::now();
    let mut latencies = Vec::new();
    let mut errors = 0;
    for worker in workers {
        let (l, e) = worker.join().expect("a client thread");
        latencies.extend(l);
        errors += e;
    }
    let seconds = started.elapsed().as_secs_f64();
    latencies.sort_by(f64::total_cmp);
    Load {
        name,
        threads,
        requests: latencies.len(),
        errors,
        seconds,
        p50: percentile(&latencies, 0.50),
        p99: percentile(&latencies, 0.99),
        max: latencies.last().copied().unwrap_or(f64::NAN),
    }
}

/// A bare actix-web server (2 workers, no middleware, no state) answering `/small` with the
/// same 15 bytes as `/health` and `/big` with fixed bytes: the framework's own limit for a
/// body of that size on this machine.
struct BareServer {
    address: SocketAddr,
    handle: actix_web::dev::ServerHandle,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl BareServer {
    fn start(big: Vec<u8>) -> Self {
        use actix_web::{web, App, HttpResponse, HttpServer};
        let big = web::Bytes::from(big);
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let address = listener.local_addr().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        let thread = std::thread::spawn(move || {
            actix_web::rt::System::new().block_on(async move {
                let server = HttpServer::new(move || {
                    let big = big.clone();
                    App::new()
                        .route(
                            "/small",
                            web::get().to(|| async {
                                HttpResponse::Ok().content_type("application/json").body(r#"{"status":"ok"}"#)
                            }),
                        )
                        .route(
                            "/big",
                            web::get().to(move || {
                                let big = big.clone();
                                async move { HttpResponse::Ok().content_type("application/json").body(big) }
                            }),
                        )
                })
                .workers(2)
                .listen(listener)
                .unwrap()
                .run();
                tx.send(server.handle()).unwrap();
                server.await.unwrap();
            })
        });
        let handle = rx.recv().expect("the bare server starts");
        Self { address, handle, thread: Some(thread) }
    }
}

impl Drop for BareServer {
    fn drop(&mut self) {
        drop(self.handle.stop(false));
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn percentile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted[((sorted.len() as f64 * q).ceil() as usize).clamp(1, sorted.len()) - 1]
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    if values.is_empty() {
        f64::NAN
    } else if values.len() % 2 == 1 {
        values[mid]
    } else {
        (values[mid - 1] + values[mid]) / 2.0
    }
}

/// Everything measured on one backend.
struct Report {
    backend: &'static str,
    load_batches: Vec<f64>,
    bytes: [usize; 3],
    http: Samples,
    loads: Vec<Load>,
    phases: Samples,
}

fn bench_backend(backend: &Backend, runs: usize, duration: Duration, threads: &[usize]) -> Report {
    let name = backend.name();
    let db = FreshDb::create(backend);
    let (key, load_batches) = {
        let server = Running::start(Settings::for_database(&db.url).unwrap());
        let key = connect2030::admin::create_admin_key(&server.state, "bench secretariat").unwrap();
        eprintln!("[{name}] loading 150,000 values through POST /api/v1/observations");
        let batches = load(&server, &key);
        eprintln!("[{name}] loaded in {:.1} s", batches.iter().sum::<f64>());
        (key, batches)
    };
    let mut http = Samples::default();
    let mut bytes = [0; 3];
    let paths = [OVERVIEW, TARGET, COUNTRY];
    let label = |path: &str| match path {
        OVERVIEW => "overview",
        TARGET => "target 1.2",
        _ => "country KEN",
    };
    let mut writes = 0;
    for run in 1..=runs {
        eprintln!("[{name}] single requests, run {run}/{runs}");
        // Three fresh servers, each asked first for a different answer: every answer is timed
        // cold once (fresh process) and twice with the data already in memory (compute only).
        for first in 0..3 {
            let server = Running::start(Settings::for_database(&db.url).unwrap());
            let mut client = Client::connect(server.address).expect("connect to the server");
            for i in 0..3 {
                let path = paths[(first + i) % 3];
                let (seconds, reply) = timed_get(&mut client, path, &[], 200);
                bytes[(first + i) % 3] = reply.body.len();
                let case = if i == 0 { "cold (fresh process)" } else { "compute (data in memory)" };
                http.push(&format!("{} {case}", label(path)), seconds);
            }
            if first < 2 {
                continue;
            }
            for path in paths {
                let mut etag = None;
                for _ in 0..WARM_SAMPLES {
                    let (seconds, reply) = timed_get(&mut client, path, &[], 200);
                    http.push(&format!("{} warm", label(path)), seconds);
                    etag = reply.etag;
                }
                let etag = etag.expect("an ETag");
                for _ in 0..WARM_SAMPLES {
                    let (seconds, _) = timed_get(&mut client, path, &[("If-None-Match", &etag)], 304);
                    http.push(&format!("{} 304", label(path)), seconds);
                }
            }
            for _ in 0..WARM_SAMPLES {
                http.push("/health", timed_get(&mut client, HEALTH, &[], 200).0);
            }
            for path in paths {
                http.push("POST 1 row", write_one(&mut client, &key, writes));
                writes += 1;
                http.push(&format!("{} after 1-row write", label(path)), timed_get(&mut client, path, &[], 200).0);
            }
        }
    }
    let mut loads = Vec::new();
    {
        let server = Running::start(Settings::for_database(&db.url).unwrap());
        let mut client = Client::connect(server.address).expect("connect to the server");
        let warm = client.get(OVERVIEW).expect("the overview");
        let etag = warm.etag.clone().expect("an ETag");
        let bare = BareServer::start(warm.body);
        for &n in threads {
            let cases: [(&'static str, SocketAddr, &str, Option<&str>); 5] = [
                (HEALTH, server.address, HEALTH, None),
                (WARM_304, server.address, OVERVIEW, Some(&etag)),
                (WARM, server.address, OVERVIEW, None),
                (BARE_SMALL, bare.address, "/small", None),
                (BARE_BIG, bare.address, "/big", None),
            ];
            for (label, address, path, etag) in cases {
                eprintln!("[{name}] {n} clients x {:.0} s on {label}", duration.as_secs_f64());
                loads.push(hammer(label, address, path, etag, n, duration));
            }
        }
    }
    eprintln!("[{name}] phases on the library");
    let phases = phases(&db, runs);
    Report { backend: name, load_batches, bytes, http, loads, phases }
}

fn options() -> Options {
    Options {
        method: Method::default(),
        estimation: Estimation::default(),
        min_coverage: tracking::DEFAULT_MIN_COVERAGE,
        min_reported: tracking::DEFAULT_MIN_REPORTED,
        as_of_year: chrono::Datelike::year(&chrono::Utc::now()),
    }
}

fn provenance(data: &DataSet, version: i64) -> Provenance {
    let options = options();
    Provenance {
        method: options.method,
        estimation: options.estimation,
        carry_forward: Provenance::carried_years(&options.estimation),
        min_coverage: options.min_coverage,
        min_reported: options.min_reported,
        as_of: None,
        as_of_year: options.as_of_year,
        data_version: version,
        values: data.len(),
        weights: "population".into(),
    }
}

fn target_view(inputs: Inputs, provenance: Provenance) -> TargetProgressView {
    let target = inputs.catalogue.target("1.2").expect("target 1.2");
    progress::target_view(inputs, provenance, target, Language::En).expect("a breakdown")
}

fn country_view(inputs: Inputs, provenance: Provenance) -> CountryProgressView {
    let economy = inputs.catalogue.economy("KEN").expect("Kenya");
    progress::country_view(inputs, provenance, economy, Language::En)
}

fn timed<T>(f: impl FnOnce() -> T) -> (f64, T) {
    let started = Instant::now();
    let out = f();
    (started.elapsed().as_secs_f64(), out)
}

/// The server's steps called on the library, on the loaded database.
fn phases(db: &FreshDb, runs: usize) -> Samples {
    let state = startup::prepare(&Settings::for_database(&db.url).unwrap()).expect("open the database");
    let catalogue = state.catalogue.clone();
    let mut pooled = state.db.get().unwrap();
    let conn: &mut DbConnection = &mut pooled;
    let mut s = Samples::default();
    for _ in 0..200 {
        s.push("version query (per request)", timed(|| write::current_version(conn).unwrap()).0);
    }
    // A pooled connection is tested with `SELECT 1` on every checkout (r2d2's default).
    for _ in 0..200 {
        s.push("SELECT 1 (r2d2 checkout test)", timed(|| conn.batch_execute("SELECT 1").unwrap()).0);
        s.push("pool checkout (db.get)", timed(|| drop(state.db.get().unwrap())).0);
    }
    // What a cached answer pays before its lookup: a hop to the blocking pool and back, and
    // the version query through it (`state.db.read`), from an actix worker as in the server.
    actix_web::rt::System::new().block_on(async {
        for _ in 0..200 {
            let started = Instant::now();
            actix_web::web::block(|| ()).await.unwrap();
            s.push("web::block round trip (empty)", started.elapsed().as_secs_f64());
            let started = Instant::now();
            state.db.read(write::current_version).await.unwrap();
            s.push("db.read(current_version)", started.elapsed().as_secs_f64());
        }
    });
    let version = write::current_version(conn).unwrap();
    let mut data = DataSet::default();
    let mut last = 0;
    for _ in 0..runs {
        let (seconds, rows) = timed(|| {
            observations::table
                .inner_join(revisions::table.on(revisions::id.eq(observations::current_revision_id)))
                .filter(revisions::id.gt(0))
                .select(ValueRow::as_select())
                .load::<ValueRow>(conn)
                .unwrap()
        });
        assert!(rows.len() >= 150_000);
        drop(rows);
        s.push("load: query only", seconds);
        let (seconds, n) = timed(|| {
            observations::table
                .inner_join(revisions::table.on(revisions::id.eq(observations::current_revision_id)))
                .count()
                .get_result::<i64>(conn)
                .unwrap()
        });
        assert!(n >= 150_000);
        s.push("load: SQL join only (count)", seconds);
        let (seconds, rows) = timed(|| {
            observations::table
                .inner_join(revisions::table.on(revisions::id.eq(observations::current_revision_id)))
                .select((observations::id, observations::year, revisions::value, revisions::withdrawn))
                .load::<(i64, i32, Option<f64>, bool)>(conn)
                .unwrap()
        });
        assert!(rows.len() >= 150_000);
        s.push("load: query, numeric columns only", seconds);
        drop(rows);
        data = DataSet::default();
        let (seconds, l) = timed(|| dataset::refresh(conn, &mut data, &mut ObservationKeys::default(), 0).unwrap());
        last = l;
        s.push("load: query + DataSet", seconds);
    }
    for _ in 0..runs {
        let (seconds, copy) = timed(|| data.clone());
        s.push("DataSet clone (make_mut)", seconds);
        drop(copy);
        let mut copy = data.clone();
        let mut keys = ObservationKeys::default();
        s.push("delta: server query", timed(|| dataset::refresh(conn, &mut copy, &mut keys, last - 1).unwrap()).0);
        let (seconds, rows) = timed(|| {
            revisions::table
                .inner_join(
                    observations::table.on(observations::id
                        .eq(revisions::observation_id)
                        .and(observations::current_revision_id.eq(revisions::id))),
                )
                .filter(revisions::id.gt(last - 1))
                .select(ValueRow::as_select())
                .load::<ValueRow>(conn)
                .unwrap()
        });
        assert_eq!(rows.len(), 1, "the primary-key-driven delta finds the one new value");
        s.push("delta: PK-driven query", seconds);
    }
    let inputs = Inputs { catalogue: &catalogue, data: &data, options: options() };
    for _ in 0..runs {
        let (seconds, view) =
            timed(|| progress::overview(inputs, provenance(&data, version), Language::En, &Pieces::default()));
        s.push("overview: compute", seconds);
        s.push("overview: serialise", timed(|| serde_json::to_vec(&view).unwrap()).0);
        let (seconds, view) = timed(|| target_view(inputs, provenance(&data, version)));
        s.push("target 1.2: compute", seconds);
        s.push("target 1.2: serialise", timed(|| serde_json::to_vec(&view).unwrap()).0);
        let (seconds, view) = timed(|| country_view(inputs, provenance(&data, version)));
        s.push("country KEN: compute", seconds);
        s.push("country KEN: serialise", timed(|| serde_json::to_vec(&view).unwrap()).0);
    }
    s
}

fn ms(seconds: f64) -> String {
    if seconds.is_nan() {
        "n/a".into()
    } else if seconds < 0.001 {
        format!("{:.3}", seconds * 1000.0)
    } else {
        format!("{:.2}", seconds * 1000.0)
    }
}

impl Report {
    fn print(&self, runs: usize) {
        let b = self.backend;
        let total: f64 = self.load_batches.iter().sum();
        let batches: Vec<String> = self.load_batches.iter().map(|s| format!("{s:.2}")).collect();
        println!();
        println!(
            "== {b}: load 150,000 values in {} POSTs: {total:.2} s ({:.0} rows/s; batches {} s)",
            self.load_batches.len(),
            150_000.0 / total,
            batches.join(", ")
        );
        println!(
            "   answer sizes: overview {} B, target 1.2 {} B, country KEN {} B",
            self.bytes[0], self.bytes[1], self.bytes[2]
        );
        println!("{b}: single requests over one keep-alive connection, median ms (n = samples)");
        println!("{:<40} {:>9} {:>9} {:>9} {:>6}", "case", "median", "min", "max", "n");
        for (name, values) in &self.http.0 {
            let min = values.iter().copied().fold(f64::INFINITY, f64::min);
            let max = values.iter().copied().fold(0.0, f64::max);
            println!("{name:<40} {:>9} {:>9} {:>9} {:>6}", ms(median(values.clone())), ms(min), ms(max), values.len());
        }
        let cold = self.http.median("overview cold (fresh process)");
        let after_write = self.http.median("overview after 1-row write");
        let warm = self.http.median("overview warm");
        let health = self.http.median("/health");
        println!(
            "aim cold overview < 100 ms: cold {} ms ({}), after a write {} ms ({}); warm/health latency {:.2}x",
            ms(cold),
            if cold < 0.1 { "met" } else { "NOT met" },
            ms(after_write),
            if after_write < 0.1 { "met" } else { "NOT met" },
            warm / health
        );
        println!();
        println!("{b}: concurrent GETs, one keep-alive connection per client, one timed window per line");
        println!(
            "{:<20} {:>7} {:>9} {:>9} {:>8} {:>8} {:>8} {:>7} {:>8}",
            "endpoint", "clients", "requests", "req/s", "p50 ms", "p99 ms", "max ms", "errors", "vs health"
        );
        for load in &self.loads {
            let rate = load.requests as f64 / load.seconds;
            let health = self
                .loads
                .iter()
                .find(|l| l.threads == load.threads && l.name == HEALTH)
                .map(|l| l.requests as f64 / l.seconds);
            let ratio = health.map_or("n/a".into(), |h| format!("{:.2}", rate / h));
            println!(
                "{:<20} {:>7} {:>9} {:>9.0} {:>8} {:>8} {:>8} {:>7} {:>8}",
                load.name,
                load.threads,
                load.requests,
                rate,
                ms(load.p50),
                ms(load.p99),
                ms(load.max),
                load.errors,
                ratio
            );
        }
        let best = |name: &str| {
            self.loads.iter().filter(|l| l.name == name).map(|l| l.requests as f64 / l.seconds).fold(0.0, f64::max)
        };
        let (health, warm) = (best(HEALTH), best(WARM));
        if health > 0.0 {
            println!(
                "aim warm within 2x of /health: best {warm:.0} vs {health:.0} req/s = {:.2}x ({}); 304 {:.0} req/s; \
                 bare actix: 15 B {:.0}, same {} B body {:.0} req/s",
                health / warm,
                if health / warm <= 2.0 { "met" } else { "NOT met" },
                best(WARM_304),
                best(BARE_SMALL),
                self.bytes[0],
                best(BARE_BIG)
            );
        }
        println!();
        println!("{b}: the same steps on the library (no HTTP), median ms of {runs} runs (per-request steps: 200)");
        for (name, values) in &self.phases.0 {
            println!("{name:<40} {:>9}", ms(median(values.clone())));
        }
        let p = |name: &str| self.phases.median(name);
        println!(
            "cold overview = load {} + compute {} + serialise {} = {} ms",
            ms(p("load: query + DataSet")),
            ms(p("overview: compute")),
            ms(p("overview: serialise")),
            ms(p("load: query + DataSet") + p("overview: compute") + p("overview: serialise"))
        );
    }
}

fn vm_hwm_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
