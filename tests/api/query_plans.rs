//! The query plans that keep the answers about the past proportional to what they return:
//! `as_of` listings, `changed_since` and the whole past state run on indexes, never on the
//! whole history.

use crate::support::TestApp;
use connect2030::db::history;
use connect2030::db::observations::{list_plan, ObservationQuery};
use connect2030::db::DbConnection;
use diesel::connection::SimpleConnection;
use serde_json::{json, Value};

const INTERNET: &str = "individuals_internet_pct";

/// The plan of the listing for these filters, on a connection where PostgreSQL may not pick a
/// sequential scan: on a test's few hundred rows a scan is cheaper than any index, so
/// PostgreSQL's plan says which index the query *can* run on, which is what the shape of the
/// query decides (at scale the planner prefers it on its own; see `cargo bench --bench history`).
fn plan(conn: &mut DbConnection, q: &ObservationQuery) -> String {
    if let DbConnection::Postgresql(pg) = conn {
        pg.batch_execute("ANALYZE; SET enable_seqscan = off").unwrap();
    }
    list_plan(conn, q).unwrap().join("\n")
}

/// Steps that read a whole table: SQLite's `SCAN t`; PostgreSQL's `Seq Scan on t`, or an
/// index scan without an `Index Cond` (every entry of the index, in its order).
fn scans(plan: &str) -> Vec<&str> {
    let steps: Vec<&str> = plan.lines().map(|step| step.trim_start_matches(['|', '-', '`', ' ', '>'])).collect();
    let unbounded = |i: usize| !steps.get(i + 1).is_some_and(|next| next.starts_with("Index Cond"));
    (0..steps.len())
        .filter(|&i| {
            let step = steps[i];
            step.starts_with("SCAN ")
                || step.starts_with("Seq Scan")
                || (step.contains("Index") && step.contains(" on ") && unbounded(i))
        })
        .map(|i| steps[i])
        .collect()
}

/// The plan seeks one of `indexes` (names differ between backends) and never reads the
/// revisions whole.
#[track_caller]
fn assert_indexed(plan: &str, indexes: &[&str]) {
    assert!(indexes.iter().any(|index| plan.contains(index)), "the plan uses one of {indexes:?}:\n{plan}");
    let revisions_read_whole = scans(plan).iter().any(|s| s.contains("revisions") || s.contains("latest"));
    assert!(!revisions_read_whole, "no revision is read but those asked for:\n{plan}");
}

#[test]
fn as_of_listings_and_changed_since_run_on_indexes_not_on_the_whole_history() {
    let app = TestApp::spawn();
    let admin = app.admin_key();
    let rows = |round: f64| -> Value {
        let mut rows = Vec::new();
        for country in app.state.catalogue.group("ITU_MEMBERS").unwrap().members.iter().take(30).map(|m| &m.iso3) {
            for indicator in [INTERNET, "households_internet_pct", "mobile_broadband_price_gni_pct"] {
                for year in 2000..2024 {
                    rows.push(json!({"country": country, "indicator": indicator, "year": year, "value": round + f64::from(year - 2000)}));
                }
            }
        }
        json!({ "observations": rows })
    };
    let mut between = Vec::new();
    for round in 0..3 {
        let sent = app.post_json("/api/v1/observations", &admin, &rows(f64::from(round)));
        assert_eq!(sent.status, 201, "{}", sent.body);
        between.push(chrono::Utc::now().naive_utc());
    }
    let mut conn = app.state.db.get().unwrap();
    let one_series = ObservationQuery {
        country: Some("KEN".into()),
        indicators: Some(vec![INTERNET.into()]),
        as_of: Some(between[0]),
        limit: 1000,
        ..Default::default()
    };
    let series_plan = plan(&mut conn, &one_series);
    // Each observation seeks its revisions by (observation_id, id): on SQLite the UNIQUE
    // (observation_id, number) index, which ends with the id (the rowid).
    assert_indexed(&series_plan, &["sqlite_autoindex_revisions_1", "revisions_by_observation"]);
    assert!(scans(&series_plan).is_empty(), "one series reads only its own rows:\n{series_plan}");
    // The first page of everything reads the observations in id order, each seeking its
    // current revision (not every revision ever recorded, sorted).
    let first_page = plan(&mut conn, &ObservationQuery { limit: 1000, ..Default::default() });
    assert_indexed(&first_page, &["INTEGER PRIMARY KEY", "revisions_pkey"]);
    assert!(!first_page.contains("TEMP B-TREE") && !first_page.contains("Sort"), "{first_page}");
    // Changed since an instant: when every value changed since, the observations lead in id
    // order (a page is found at once); when few did, the revisions recorded since lead.
    let many =
        plan(&mut conn, &ObservationQuery { changed_since: Some(between[1]), limit: 1000, ..Default::default() });
    assert_indexed(&many, &["INTEGER PRIMARY KEY", "observations_pkey"]);
    assert!(!many.contains("TEMP B-TREE") && !many.contains("Sort"), "{many}");
    let one_more = json!({"observations": [{"country": "KEN", "indicator": INTERNET, "year": 2000, "value": 99.0}]});
    assert_eq!(app.post_json("/api/v1/observations", &admin, &one_more).status, 201);
    let few = plan(&mut conn, &ObservationQuery { changed_since: Some(between[2]), limit: 1000, ..Default::default() });
    assert_indexed(&few, &["revisions_by_time"]);

    // The whole state as of an instant reads the revisions after its snapshot by id: never
    // the whole history.
    let known = history::last_known_at(&mut conn, between[0]).unwrap();
    assert!(known > 0);
    if let DbConnection::Postgresql(pg) = &mut *conn {
        pg.batch_execute("SET enable_seqscan = off").unwrap();
    }
    assert_indexed(
        &history::past_state_plan(&mut conn, known).unwrap().join("\n"),
        &["INTEGER PRIMARY KEY", "revisions_pkey"],
    );
}
