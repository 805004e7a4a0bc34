//! What anonymous reads can do to the resident set: 145,112 values (194 ITU member states × 22
//! indicators × 34 years), then 1,500 distinct valid questions (`min_coverage=0.5…`, each a
//! new answer to compute and cache), then 8 concurrent full SDMX-JSON exports, on each
//! backend. Each figure is the rise of the process's resident set (`VmRSS`, the server runs in
//! this process) over the figure measured just before, in the same run.
//!
//! ```sh
//! cargo bench --bench memory                                                       # SQLite
//! BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test cargo bench --bench memory  # and PostgreSQL
//! ```
//!
//! Aims (issue 23): ≤ 150 MB after the 1,500 questions; ≤ 200 MB after the 8 exports.

mod common;

use common::{Backend, FreshDb, Running};
use connect2030::config::Settings;
use std::io::Read;
use std::time::Instant;

const YEARS: std::ops::RangeInclusive<i32> = 1991..=2024;
const QUESTIONS: usize = 1_500;
const EXPORTS: usize = 8;

fn rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let line = status.lines().find(|l| l.starts_with("VmRSS:")).unwrap_or("VmRSS: 0 kB");
    let kib: f64 = line.split_whitespace().nth(1).and_then(|n| n.parse().ok()).unwrap_or(0.0);
    kib / 1024.0
}

/// Reads a GET to the end; returns the status and the number of bytes.
fn fetch(agent: &ureq::Agent, url: &str) -> (u16, usize) {
    let answer = match agent.get(url).call() {
        Ok(answer) => answer,
        Err(ureq::Error::Status(_, answer)) => answer,
        Err(error) => panic!("{url}: {error}"),
    };
    let status = answer.status();
    let mut body = Vec::new();
    answer.into_reader().read_to_end(&mut body).expect("the body reads");
    (status, body.len())
}

fn main() {
    for backend in Backend::from_env("memory") {
        let db = FreshDb::create(&backend);
        let server = Running::start(Settings { write_rate_limit: 0, ..Settings::for_database(&db.url).unwrap() });
        let key = connect2030::admin::create_admin_key(&server.state, "bench").unwrap();
        let values = common::load_member_states(&server, &key, YEARS, 50_000);
        let agent = ureq::AgentBuilder::new().build();
        let base = server.base();
        let target = format!("{base}/api/v1/progress/targets/1.2");
        assert_eq!(fetch(&agent, &target).0, 200);
        println!("== {}: {values} values; resident set {:.0} MiB after loading", backend.name(), rss_mib());

        let before = rss_mib();
        let started = Instant::now();
        for n in 0..QUESTIONS {
            let (status, _) = fetch(&agent, &format!("{target}?min_coverage=0.5{n:04}"));
            assert_eq!(status, 200, "a valid question");
        }
        let after = rss_mib();
        println!(
            "{QUESTIONS} distinct target questions: {:.1} s, resident set {before:.0} → {after:.0} MiB (+{:.0} MiB; aim ≤ 150)",
            started.elapsed().as_secs_f64(),
            after - before
        );

        let before = rss_mib();
        let started = Instant::now();
        let url = format!("{base}/sdmx/rest/data/CONNECT2030/all?format=jsondata");
        let exports: Vec<_> = (0..EXPORTS)
            .map(|_| {
                let (agent, url) = (agent.clone(), url.clone());
                std::thread::spawn(move || fetch(&agent, &url))
            })
            .collect();
        let answers: Vec<(u16, usize)> = exports.into_iter().map(|e| e.join().expect("an export thread")).collect();
        let after = rss_mib();
        let statuses: Vec<u16> = answers.iter().map(|(s, _)| *s).collect();
        println!(
            "{EXPORTS} concurrent full SDMX-JSON exports ({} bytes each, statuses {statuses:?}): {:.1} s, resident set {before:.0} → {after:.0} MiB (+{:.0} MiB; aim ≤ 200)",
            answers[0].1,
            started.elapsed().as_secs_f64(),
            after - before
        );
    }
}
