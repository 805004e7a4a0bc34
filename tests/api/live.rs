//! Progress while members report: one computation per answer, the previous answer served
//! (bounded) while the next is computed, answers of untouched indicators kept, answers about
//! the past kept for good, gzip with its own tags, and instances that converge.

use crate::support::{data_version, get_concurrently, write_one, Resp, TestApp, WRITTEN};
use serde_json::Value;
use std::io::Read;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// `c2030_progress_computations_total` as `/metrics` says.
fn computations(app: &TestApp) -> u64 {
    let metrics = app.get("/metrics").body;
    metrics
        .lines()
        .find_map(|line| line.strip_prefix("c2030_progress_computations_total "))
        .and_then(|n| n.trim().parse().ok())
        .expect("the computations metric")
}

/// Polls until `done` (no timing is asserted; the deadline only stops a broken run).
fn eventually(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while !done() {
        assert!(Instant::now() < deadline, "never: {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn concurrent_identical_requests_after_a_write_compute_once() {
    let app = Arc::new(TestApp::spawn_with_public_data());
    let admin = app.admin_key();
    let path = "/api/v1/progress/targets/1.2";
    let before = app.get(path);
    let version = write_one(&app, &admin, 61.5);
    let computed = computations(&app);
    let answers = get_concurrently(&app, path, 16);
    assert_eq!(computations(&app), computed + 1, "16 concurrent requests, one computation");
    for answer in &answers {
        assert_eq!(answer.status, 200);
        assert_eq!(answer.body, answers[0].body);
        assert_eq!(data_version(answer), version, "computed from the new data");
    }
    assert_ne!(answers[0].header("etag"), before.header("etag"));
}

#[test]
fn a_superseded_answer_is_served_with_its_own_tag_until_the_next_is_ready() {
    let app = TestApp::spawn_with(|settings| {
        settings.load_public_data = true;
        // Long enough that the superseded answer is certainly served once, whatever the machine.
        settings.max_stale = Duration::from_secs(3600);
    });
    let admin = app.admin_key();
    let first = app.get("/api/v1/progress");
    let version = write_one(&app, &admin, 62.5);

    let stale = app.get("/api/v1/progress");
    assert_eq!(stale.body, first.body, "the previous answer, whole");
    assert_eq!(stale.header("etag"), first.header("etag"), "with its own tag");
    assert!(data_version(&stale) < version, "and its own data version");
    let age: u64 = stale.header("stale-ms").expect("saying how old it is").parse().unwrap();
    assert!(age <= 3_600_000, "never older than the bound");
    let revalidated = app.get_with("/api/v1/progress", &[("If-None-Match", first.header("etag").unwrap())]);
    match revalidated.status {
        304 => assert!(revalidated.header("stale-ms").is_some(), "still the superseded answer"),
        _ => assert_ne!(revalidated.header("etag"), first.header("etag"), "or already the new one"),
    }

    eventually("the new answer replaces it", || app.get("/api/v1/progress").header("stale-ms").is_none());
    let current = app.get("/api/v1/progress");
    assert_eq!(data_version(&current), version);
    assert_ne!(current.header("etag"), first.header("etag"));

    // A client that must see its own write asks for a fresh answer.
    let version = write_one(&app, &admin, 63.5);
    let own = app.get_with("/api/v1/progress", &[("Cache-Control", "no-cache")]);
    assert_eq!(data_version(&own), version);
    assert!(own.header("stale-ms").is_none());
}

/// The overview's targets, each with whether it reads the written indicator, and the overview.
fn targets(app: &TestApp) -> (Vec<(String, bool)>, Value) {
    let overview = app.get("/api/v1/progress").json();
    let targets = overview["goals"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|g| g["targets"].as_array().unwrap())
        .map(|t| {
            (t["id"].as_str().unwrap().to_string(), t["indicators"].as_array().unwrap().iter().any(|i| i == WRITTEN))
        })
        .collect();
    (targets, overview)
}

#[test]
fn a_write_to_one_indicator_leaves_answers_that_do_not_read_it_valid() {
    let app = TestApp::spawn_with_public_data();
    let admin = app.admin_key();
    let (targets, _) = targets(&app);
    let untouched = &targets.iter().find(|(_, reads)| !reads).expect("a target reading other indicators").0;
    let touched = &targets.iter().find(|(_, reads)| *reads).expect("a target reading the written indicator").0;
    let (untouched, touched) =
        (format!("/api/v1/progress/targets/{untouched}"), format!("/api/v1/progress/targets/{touched}"));
    let (other_before, same_before) = (app.get(&untouched), app.get(&touched));
    let computed = computations(&app);

    write_one(&app, &admin, 64.5);
    let other_after = app.get(&untouched);
    assert_eq!(other_after.body, other_before.body);
    assert_eq!(other_after.header("etag"), other_before.header("etag"));
    let revalidated = app.get_with(&untouched, &[("If-None-Match", other_before.header("etag").unwrap())]);
    assert_eq!(revalidated.status, 304, "still valid after a write to another indicator");
    assert_eq!(computations(&app), computed, "nothing recomputed for it");
    assert_ne!(app.get(&touched).header("etag"), same_before.header("etag"), "the target reading it moved");
    assert_eq!(computations(&app), computed + 1);
}

#[test]
fn the_overview_recomputes_only_the_targets_that_read_what_was_written() {
    let app = TestApp::spawn_with_public_data();
    let admin = app.admin_key();
    let (targets, overview) = targets(&app);
    let reading = targets.iter().filter(|(_, reads)| *reads).count();
    assert!(reading > 0 && reading < targets.len(), "{reading} of {} targets read {WRITTEN}", targets.len());
    let pieces = app.state.progress.pieces.computed();
    write_one(&app, &admin, 69.5);
    let after = app.get("/api/v1/progress");
    assert_eq!(after.status, 200);
    assert_ne!(after.json()["provenance"], overview["provenance"], "a new overview");
    assert_eq!(app.state.progress.pieces.computed() - pieces, reading as u64, "only the targets reading it");
}

#[test]
fn answers_about_a_settled_past_instant_are_computed_once() {
    let app = TestApp::spawn_with_public_data();
    let admin = app.admin_key();
    let path = "/api/v1/progress/targets/1.2?as_of=2020-01-01T00:00:00Z";
    let first = app.get(path);
    assert_eq!(first.status, 200);
    let computed = computations(&app);
    write_one(&app, &admin, 65.5);
    let again = app.get(path);
    assert_eq!(again.body, first.body);
    assert_eq!(again.header("etag"), first.header("etag"));
    assert_eq!(computations(&app), computed, "the past does not change: kept across writes");
}

/// A request with `Accept-Encoding: gzip`, its body as bytes.
fn get_gzip(app: &TestApp, path: &str, if_none_match: Option<&str>) -> (u16, Option<String>, Option<String>, Vec<u8>) {
    let mut request = app.request("GET", path).set("Accept-Encoding", "gzip");
    if let Some(tag) = if_none_match {
        request = request.set("If-None-Match", tag);
    }
    let response = match request.call() {
        Ok(response) | Err(ureq::Error::Status(_, response)) => response,
        Err(e) => panic!("transport error: {e}"),
    };
    let (status, etag, encoding) = (
        response.status(),
        response.header("etag").map(String::from),
        response.header("content-encoding").map(String::from),
    );
    let mut body = Vec::new();
    response.into_reader().read_to_end(&mut body).unwrap();
    (status, etag, encoding, body)
}

/// `path` plain and with gzip: the plain answer says it varies by encoding, and the gzip one
/// is the same bytes, compressed to under a third. Returns the plain answer and the gzip tag.
#[track_caller]
fn compressed_and_plain(app: &TestApp, path: &str) -> (Resp, Option<String>) {
    let identity = app.get(path);
    assert_eq!(identity.status, 200, "{path}: {}", identity.body);
    assert!(identity.header("content-encoding").is_none());
    assert!(identity.header("vary").unwrap().contains("Accept-Encoding"));
    let (status, etag, encoding, body) = get_gzip(app, path, None);
    assert_eq!((status, encoding.as_deref()), (200, Some("gzip")), "{path}");
    let mut unzipped = String::new();
    flate2::read::GzDecoder::new(&body[..]).read_to_string(&mut unzipped).unwrap();
    assert_eq!(unzipped, identity.body, "{path}: the same answer, compressed");
    assert!(body.len() < identity.body.len() / 3, "{} bytes for {}", body.len(), identity.body.len());
    (identity, etag)
}

#[test]
fn gzip_answers_have_their_own_strong_tag_and_revalidate() {
    let app = TestApp::spawn_with_public_data();
    let path = "/api/v1/progress/targets/1.2";
    let (identity, etag) = compressed_and_plain(&app, path);
    let etag = etag.unwrap();
    assert!(!etag.starts_with("W/"), "strong");
    assert_ne!(Some(etag.as_str()), identity.header("etag"), "another representation, another tag");

    let (status, again, _, body) = get_gzip(&app, path, Some(&etag));
    assert_eq!((status, again.as_deref(), body.len()), (304, Some(etag.as_str()), 0));
    let plain = app.get_with(path, &[("If-None-Match", &etag)]);
    assert_eq!(plain.status, 200, "the gzip tag does not validate the identity answer");
    let svg = get_gzip(&app, "/api/v1/progress/targets/1.2/chart.svg", None);
    assert_eq!(svg.2.as_deref(), Some("gzip"), "charts and pages too");
}

#[test]
fn csv_exports_and_json_listings_come_gzip_compressed_when_asked() {
    let app = TestApp::spawn_with_public_data();
    // Several pages of the export, so the compressed stream spans more than one chunk.
    for path in [
        "/api/v1/observations.csv?indicator=individuals_internet_pct",
        "/api/v1/observations?format=csv&indicator=individuals_internet_pct",
    ] {
        let (identity, _) = compressed_and_plain(&app, path);
        assert!(identity.body.lines().count() > 5001, "{} lines", identity.body.lines().count());
    }

    // A JSON listing: compressed on request, under a tag of its own, and revalidated.
    let path = "/api/v1/observations?indicator=individuals_internet_pct&limit=1000";
    let (identity, etag) = compressed_and_plain(&app, path);
    let etag = etag.unwrap();
    assert_ne!(Some(etag.as_str()), identity.header("etag"), "another representation, another tag");
    let (status, _, _, body) = get_gzip(&app, path, Some(&etag));
    assert_eq!((status, body.len()), (304, 0));
    assert_eq!(app.get_with(path, &[("If-None-Match", &etag)]).status, 200);
}

#[test]
fn two_instances_converge_after_writes_through_either() {
    let first = TestApp::spawn_with(|settings| {
        settings.load_public_data = true;
        settings.max_stale = Duration::from_secs(1);
    });
    if !first.is_postgres() {
        eprintln!("skipped: several instances need PostgreSQL (SQLite is for one instance)");
        return;
    }
    let second = first.second_instance();
    let admin = first.admin_key();
    let path = "/api/v1/progress/targets/1.2";
    assert_eq!(first.get(path).header("etag"), second.get(path).header("etag"));
    for (value, writer, reader) in [(66.5, &first, &second), (67.5, &second, &first), (68.5, &first, &second)] {
        let version = write_one(writer, &admin, value);
        let own = reader.get_with(path, &[("Cache-Control", "no-cache")]);
        assert_eq!(data_version(&own), version, "no-cache reads the other instance's write at once");
        eventually("both instances answer the same", || {
            let (a, b) = (first.get(path), second.get(path));
            a.header("stale-ms").is_none() && a.body == b.body && a.header("etag") == b.header("etag")
        });
        assert_eq!(data_version(&first.get(path)), version);
    }
}
