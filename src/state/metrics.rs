//! Prometheus metrics, kept in memory and rendered as text at `GET /metrics`.

use super::answers::Counts;
use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Duration;

/// Upper bounds of the latency histogram, in seconds.
const BUCKETS: [f64; 12] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0];

#[derive(Default)]
struct RouteStats {
    buckets: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

/// Method labels; any other method is counted as `other`, so no request can add series.
const METHODS: [&str; 7] = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

fn method_label(method: &str) -> &'static str {
    METHODS.into_iter().find(|known| *known == method).unwrap_or("other")
}

/// Counters and histograms of one instance. Every label comes from a closed set: methods
/// from [`METHODS`] or `other`, routes from the routing table's templates or `other`.
#[derive(Default)]
pub struct Metrics {
    requests: Mutex<BTreeMap<(String, String, u16), u64>>,
    latency: Mutex<BTreeMap<(String, String), RouteStats>>,
    /// Submissions applied.
    pub submissions: AtomicU64,
    /// Rows accepted in applied submissions (created, revised or unchanged).
    pub rows_accepted: AtomicU64,
    /// Submissions rejected for invalid rows.
    pub submissions_rejected: AtomicU64,
    /// Rows named in rejections.
    pub rows_rejected: AtomicU64,
    /// Write requests refused by the rate limit.
    pub rate_limited: AtomicU64,
}

impl Metrics {
    /// Records one answered request; `route` is a template of the routing table or `other`.
    pub fn observe(&self, method: &str, route: &str, status: u16, elapsed: Duration) {
        let method = method_label(method);
        if let Ok(mut requests) = self.requests.lock() {
            *requests.entry((method.to_string(), route.to_string(), status)).or_default() += 1;
        }
        let seconds = elapsed.as_secs_f64();
        if let Ok(mut latency) = self.latency.lock() {
            let stats = latency.entry((method.to_string(), route.to_string())).or_default();
            stats.count += 1;
            stats.sum += seconds;
            for (bucket, bound) in stats.buckets.iter_mut().zip(BUCKETS) {
                if seconds <= bound {
                    *bucket += 1;
                }
            }
        }
    }

    /// Adds one to a counter.
    pub fn add(counter: &AtomicU64, n: u64) {
        counter.fetch_add(n, Ordering::Relaxed);
    }

    /// The Prometheus text exposition, with the counts of the progress answer cache.
    pub fn render(&self, cache: Counts) -> String {
        let mut out = String::new();
        out.push_str(
            "# HELP c2030_http_requests_total HTTP requests answered.\n# TYPE c2030_http_requests_total counter\n",
        );
        if let Ok(requests) = self.requests.lock() {
            for ((method, route, status), n) in requests.iter() {
                let _ = writeln!(
                    out,
                    "c2030_http_requests_total{{method=\"{method}\",route=\"{}\",status=\"{status}\"}} {n}",
                    escape(route)
                );
            }
        }
        out.push_str(
            "# HELP c2030_http_request_duration_seconds Time to answer, by route.\n\
             # TYPE c2030_http_request_duration_seconds histogram\n",
        );
        if let Ok(latency) = self.latency.lock() {
            for ((method, route), stats) in latency.iter() {
                let labels = format!("method=\"{method}\",route=\"{}\"", escape(route));
                for (bound, n) in BUCKETS.iter().zip(stats.buckets) {
                    let _ = writeln!(out, "c2030_http_request_duration_seconds_bucket{{{labels},le=\"{bound}\"}} {n}");
                }
                let _ =
                    writeln!(out, "c2030_http_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {}", stats.count);
                let _ = writeln!(out, "c2030_http_request_duration_seconds_sum{{{labels}}} {}", stats.sum);
                let _ = writeln!(out, "c2030_http_request_duration_seconds_count{{{labels}}} {}", stats.count);
            }
        }
        let counters = [
            ("c2030_submissions_total", "Submissions applied.", &self.submissions),
            ("c2030_rows_accepted_total", "Rows accepted in applied submissions.", &self.rows_accepted),
            ("c2030_submissions_rejected_total", "Submissions rejected for invalid rows.", &self.submissions_rejected),
            ("c2030_rows_rejected_total", "Rows named in rejected submissions.", &self.rows_rejected),
            ("c2030_rate_limited_total", "Write requests refused by the rate limit.", &self.rate_limited),
        ];
        for (name, help, counter) in counters {
            let _ = writeln!(
                out,
                "# HELP {name} {help}\n# TYPE {name} counter\n{name} {}",
                counter.load(Ordering::Relaxed)
            );
        }
        let Counts { hits, stale, misses, computations } = cache;
        let _ = writeln!(
            out,
            "# HELP c2030_progress_cache_total Computed answers served from memory (hit: current; stale: \
             superseded, while the next is computed) or not (miss).\n\
             # TYPE c2030_progress_cache_total counter\n\
             c2030_progress_cache_total{{result=\"hit\"}} {hits}\n\
             c2030_progress_cache_total{{result=\"stale\"}} {stale}\n\
             c2030_progress_cache_total{{result=\"miss\"}} {misses}\n\
             # HELP c2030_progress_computations_total Progress answers computed (concurrent requests for \
             the same answer share one).\n\
             # TYPE c2030_progress_computations_total counter\n\
             c2030_progress_computations_total {computations}"
        );
        out
    }
}

fn escape(label: &str) -> String {
    label.replace('\\', "\\\\").replace('"', "\\\"")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_counts_and_cumulative_histograms() {
        let metrics = Metrics::default();
        metrics.observe("GET", "/api/v1/goals", 200, Duration::from_millis(3));
        metrics.observe("GET", "/api/v1/goals", 200, Duration::from_millis(30));
        Metrics::add(&metrics.rows_accepted, 5);
        let text = metrics.render(Counts { hits: 7, stale: 1, misses: 2, computations: 2 });
        assert!(text.contains("c2030_http_requests_total{method=\"GET\",route=\"/api/v1/goals\",status=\"200\"} 2"));
        assert!(text.contains("le=\"0.005\"} 1"), "{text}");
        assert!(text.contains("le=\"0.05\"} 2"));
        assert!(text.contains("le=\"+Inf\"} 2"));
        assert!(text.contains("c2030_rows_accepted_total 5"));
        assert!(text.contains("c2030_progress_cache_total{result=\"hit\"} 7"));
        assert!(text.contains("c2030_progress_computations_total 2"), "{text}");
    }
}
