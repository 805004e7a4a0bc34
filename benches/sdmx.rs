//! SDMX data at scale: 194 member states × 22 percentage series × 25 years (106,700 values) loaded
//! through the API, then the full export `GET /sdmx/rest/data/CONNECT2030/all` in each format
//! (time to the first byte, total time, bytes, and how far the process's resident memory
//! high-water mark rose), and one targeted key (`A.KEN+WORLD.individuals_internet_pct._T._T`,
//! median of `BENCH_RUNS`, default 5).
//!
//! ```sh
//! cargo bench --bench sdmx                                                       # SQLite
//! BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test cargo bench --bench sdmx  # and PostgreSQL
//! ```
//!
//! - Series: every percentage indicator of the catalogue, its total and each single
//!   breakdown it allows (22 series); every ITU member state; years 2000–2024.
//! - The full export holds these values and every group's aggregates of every series (17
//!   groups), computed from the values in memory.
//! - SDMX-ML and SDMX-CSV stream one indicator at a time; SDMX-JSON is built whole (its
//!   series refer to value lists written before them). The memory figure is the rise of
//!   `VmHWM` (the process's peak resident set) during each export, run in this order, so a
//!   later format shows a rise only if it needs more than every earlier one did.

mod common;

use common::{Backend, FreshDb, Running};
use connect2030::config::Settings;
use connect2030::domain::catalogue::{Unit, ITU_MEMBERS};
use serde_json::json;
use std::io::Read;
use std::time::Instant;

const YEARS: std::ops::RangeInclusive<i32> = 2000..=2024;

fn peak_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let line = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap_or("VmHWM: 0 kB");
    line.split_whitespace().nth(1).and_then(|n| n.parse().ok()).unwrap_or(0)
}

fn load(server: &Running, key: &str) -> usize {
    let catalogue = &server.state.catalogue;
    let members = catalogue.group(ITU_MEMBERS).expect("the member states");
    let countries: Vec<&str> = members.members.iter().map(|m| m.iso3.as_str()).collect();
    let mut rows = Vec::new();
    for indicator in catalogue.indicators.iter().filter(|i| i.unit == Unit::Percent) {
        let mut breakdowns = vec![json!(null)];
        for d in &indicator.disaggregations {
            breakdowns.extend(d.values.iter().map(|v| json!({ d.dimension.as_str(): v })));
        }
        for (n, country) in countries.iter().enumerate() {
            for breakdown in &breakdowns {
                for year in YEARS {
                    let value = (10.0 + (n % 50) as f64 + 1.5 * f64::from(year - 2000)).min(99.9);
                    rows.push(json!({"country": country, "indicator": indicator.code, "year": year,
                                     "value": value, "disaggregation": breakdown, "source": "bench"}));
                }
            }
        }
    }
    let agent = ureq::AgentBuilder::new().build();
    for chunk in rows.chunks(50_000) {
        let answer = agent
            .post(&format!("{}/api/v1/observations", server.base()))
            .set("Authorization", &format!("Bearer {key}"))
            .send_json(json!({ "observations": chunk }))
            .expect("the batch is accepted");
        assert_eq!(answer.status(), 201);
    }
    rows.len()
}

/// (seconds to the first byte, seconds in all, bytes) of one GET read to the end.
fn fetch(agent: &ureq::Agent, url: &str) -> (f64, f64, usize) {
    let started = Instant::now();
    let answer = agent.get(url).call().expect("the export answers");
    let first = started.elapsed().as_secs_f64();
    let mut reader = answer.into_reader();
    let mut buffer = vec![0; 64 * 1024];
    let mut bytes = 0;
    loop {
        let n = reader.read(&mut buffer).expect("the body reads");
        if n == 0 {
            break;
        }
        bytes += n;
    }
    (first, started.elapsed().as_secs_f64(), bytes)
}

fn main() {
    let runs: usize = std::env::var("BENCH_RUNS").ok().and_then(|v| v.parse().ok()).unwrap_or(5);
    for backend in Backend::from_env("sdmx") {
        let db = FreshDb::create(&backend);
        let server = Running::start(Settings::for_database(&db.url).unwrap());
        let key = connect2030::admin::create_admin_key(&server.state, "bench").unwrap();
        let values = load(&server, &key);
        println!("== {}: {values} values", backend.name());
        let agent = ureq::AgentBuilder::new().build();
        let base = format!("{}/sdmx/rest/data/CONNECT2030", server.base());
        println!(
            "{:<24} {:>10} {:>10} {:>12} {:>14}",
            "full export", "first (s)", "total (s)", "bytes", "peak rise (MiB)"
        );
        for format in ["csv", "csv2", "structurespecificdata", "genericdata", "jsondata"] {
            let before = peak_kib();
            let (first, total, bytes) = fetch(&agent, &format!("{base}/all?format={format}"));
            let rise = peak_kib().saturating_sub(before) as f64 / 1024.0;
            println!("{format:<24} {first:>10.3} {total:>10.3} {bytes:>12} {rise:>14.1}");
        }
        let mut times: Vec<f64> =
            (0..runs).map(|_| fetch(&agent, &format!("{base}/A.KEN+WORLD.individuals_internet_pct._T._T")).1).collect();
        times.sort_by(f64::total_cmp);
        println!("targeted key (KEN and WORLD, one series each): median {:.4} s of {runs}", times[runs / 2]);
    }
}
