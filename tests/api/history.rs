//! Looking into the past: `as_of` and `changed_since` answers at close instants, snapshots,
//! and revisions older than the history migrations (the query plans: `query_plans.rs`).

use crate::support::{self, TestApp};
use chrono::{NaiveDate, NaiveDateTime, SecondsFormat, TimeDelta};
use connect2030::api::observations::input::{self, BodyFormat};
use connect2030::db::history;
use connect2030::db::ingest::{self, Submitter};
use connect2030::db::observation_keys::ObservationKeys;
use connect2030::db::observations as store;
use connect2030::db::schema::{api_keys, observations, state_snapshots};
use connect2030::db::snapshots;
use connect2030::db::write::Actor;
use connect2030::db::DbConnection;
use connect2030::domain::observation::validate_batch;
use diesel::prelude::*;
use serde_json::{json, Value};

const INTERNET: &str = "individuals_internet_pct";

/// The administrator the tests write as (the one key they create).
fn administrator(app: &TestApp) -> Actor {
    let (key_id, reporter_id): (i64, i64) =
        api_keys::table.select((api_keys::id, api_keys::reporter_id)).first(&mut *app.state.db.get().unwrap()).unwrap();
    Actor { reporter_id, key_id }
}

/// Writes one value of KEN 2021 recorded at exactly `at`, as a batch committed then would.
fn write_at(app: &TestApp, value: f64, at: NaiveDateTime) {
    write_countries_at(app, &[("KEN", value)], at);
}

/// Writes these values of 2021 recorded at exactly `at`, as a batch committed then would.
fn write_countries_at(app: &TestApp, values: &[(&str, f64)], at: NaiveDateTime) {
    let rows: Vec<Value> = values
        .iter()
        .map(|(country, value)| json!({"country": country, "indicator": INTERNET, "year": 2021, "value": value}))
        .collect();
    let raw = input::parse(BodyFormat::Json, json!({ "observations": rows }).to_string().as_bytes()).unwrap().rows;
    let rows = validate_batch(&raw, &app.state.catalogue, 2026).unwrap();
    let Actor { reporter_id, key_id } = administrator(app);
    let submitter = Submitter { reporter_id, key_id: Some(key_id), format: "json".into() };
    app.state
        .db
        .write_blocking(|conn| ingest::apply(conn, &app.state.catalogue, &submitter, &rows, at, false))
        .unwrap();
}

/// Withdraws the value [`write_at`] writes, at `at`.
fn withdraw_at(app: &TestApp, at: NaiveDateTime) {
    let actor = administrator(app);
    app.state
        .db
        .write_blocking(|conn| {
            let id =
                observations::table.filter(observations::country.eq("KEN")).select(observations::id).first(conn)?;
            let current = store::current(conn, id)?.expect("the value written");
            store::withdraw(conn, current, actor, at)
        })
        .unwrap();
}

fn value_as_of(app: &TestApp, at: NaiveDateTime) -> Option<f64> {
    let instant = at.and_utc().to_rfc3339_opts(SecondsFormat::Micros, true);
    let page = app.get(&format!("/api/v1/observations?country=KEN&indicator={INTERNET}&as_of={instant}"));
    assert_eq!(page.status, 200, "{}", page.body);
    let found = page.json()["observations"].as_array().unwrap().clone();
    assert!(found.len() <= 1, "one value per key: {found:?}");
    found.first().map(|o| o["value"].as_f64().unwrap())
}

fn progress_value_as_of(app: &TestApp, at: NaiveDateTime) -> Option<f64> {
    let mut conn = app.state.db.get().unwrap();
    let keys = app.state.progress.observation_keys(&mut conn).unwrap();
    let data = history::as_of(&app.state.db, &mut conn, at, &keys).unwrap();
    data.country(INTERNET, "", "KEN").and_then(|years| years.get(&2021).copied())
}

#[test]
fn revisions_at_close_instants_are_each_known_from_their_own_instant_on() {
    let app = TestApp::spawn();
    app.admin_key();
    let t = NaiveDate::from_ymd_opt(2026, 6, 1).unwrap().and_hms_micro_opt(10, 0, 0, 100).unwrap();
    let us = TimeDelta::microseconds;
    // 10.0, then 11.0 and 12.0 in the same millisecond (12.0 in the very same microsecond as
    // 11.0: the later commit wins), 13.0 two milliseconds on, 14.0 a second on.
    for (value, at) in
        [(10.0, t), (11.0, t + us(250)), (12.0, t + us(250)), (13.0, t + us(1900)), (14.0, t + us(999_900))]
    {
        write_at(&app, value, at);
    }
    let cases = [
        (t - us(1), None),
        (t, Some(10.0)),
        (t + us(249), Some(10.0)),
        (t + us(250), Some(12.0)),
        (t + us(1899), Some(12.0)),
        (t + us(1900), Some(13.0)),
        (t + us(999_899), Some(13.0)),
        (t + us(999_900), Some(14.0)),
        (t + TimeDelta::days(365), Some(14.0)),
    ];
    for (at, want) in cases {
        assert_eq!(value_as_of(&app, at), want, "listing as of {at}");
        assert_eq!(progress_value_as_of(&app, at), want, "progress values as of {at}");
    }
    let history = app.get("/api/v1/observations?country=KEN").json();
    assert_eq!(history["observations"][0]["value"], 14.0, "the current value is the last one written");
    assert_eq!(history["observations"][0]["revision_number"], 5);
}

#[test]
fn the_past_state_is_the_same_read_from_a_snapshot_or_from_the_first_revision() {
    let app = TestApp::spawn();
    app.admin_key();
    let t = NaiveDate::from_ymd_opt(2026, 6, 1).unwrap().and_hms_opt(10, 0, 0).unwrap();
    let minutes = TimeDelta::minutes;
    write_countries_at(&app, &[("KEN", 10.0), ("UGA", 20.0)], t);
    write_at(&app, 11.0, t + minutes(1));
    write_at(&app, 12.0, t + minutes(2));
    withdraw_at(&app, t + minutes(3));
    write_countries_at(&app, &[("KEN", 13.0), ("TZA", 30.0)], t + minutes(4));
    let expected = [
        (t - minutes(1), vec![]),
        (t, vec![("KEN", 10.0), ("UGA", 20.0)]),
        (t + minutes(1), vec![("KEN", 11.0), ("UGA", 20.0)]),
        (t + minutes(2), vec![("KEN", 12.0), ("UGA", 20.0)]),
        (t + minutes(3), vec![("UGA", 20.0)]),
        (t + minutes(5), vec![("KEN", 13.0), ("TZA", 30.0), ("UGA", 20.0)]),
    ];
    let mut conn = app.state.db.get().unwrap();
    let check = |conn: &mut DbConnection, how: &str| {
        for (at, want) in &expected {
            let known = history::last_known_at(conn, *at).unwrap();
            // With no key learned (every one read back), and with every key learned.
            let learned = app.state.progress.observation_keys(conn).unwrap();
            for keys in [ObservationKeys::default(), (*learned).clone()] {
                let data = history::past_state(&app.state.db, conn, known, &keys).unwrap();
                let mut found: Vec<(&str, f64)> = ["KEN", "TZA", "UGA"]
                    .into_iter()
                    .filter_map(|country| Some((country, *data.country(INTERNET, "", country)?.get(&2021)?)))
                    .collect();
                found.sort_by(|a, b| a.0.cmp(b.0));
                assert_eq!((&found, data.len()), (want, want.len()), "{how}, as of {at}");
            }
        }
    };
    // Three observations at most: a snapshot is due after every write, so each instant is read
    // from a snapshot of its own.
    let revisions: Vec<i64> = state_snapshots::table
        .select(state_snapshots::revision_id)
        .order(state_snapshots::revision_id)
        .load(&mut conn)
        .unwrap();
    assert_eq!(revisions, [2, 3, 4, 5, 7]);
    check(&mut conn, "from snapshots");
    // Only the first snapshot left: the revisions after it are read.
    diesel::delete(state_snapshots::table.filter(state_snapshots::revision_id.gt(2))).execute(&mut conn).unwrap();
    assert_eq!(snapshots::last_at(&mut conn, 6).unwrap().0, 2);
    check(&mut conn, "from the first snapshot");
    diesel::delete(state_snapshots::table).execute(&mut conn).unwrap();
    check(&mut conn, "from the first revision");
}

/// Every page of `GET /observations?changed_since=…`, following the cursors: (country, year,
/// value or none when withdrawn) in the order listed.
fn changed_since(app: &TestApp, since: NaiveDateTime, filter: &str) -> Vec<(String, i64, Option<f64>)> {
    let since = since.and_utc().to_rfc3339_opts(SecondsFormat::Micros, true).replace('+', "%2B");
    let mut listed = Vec::new();
    let mut path = format!("/api/v1/observations?changed_since={since}&limit=7{filter}");
    loop {
        let page = app.get(&path);
        assert_eq!(page.status, 200, "{}", page.body);
        let page = page.json();
        for o in page["observations"].as_array().unwrap() {
            let value = if o["withdrawn"] == true { None } else { o["value"].as_f64() };
            listed.push((o["country"].as_str().unwrap().to_string(), o["year"].as_i64().unwrap(), value));
        }
        match page["meta"]["next_cursor"].as_str() {
            Some(cursor) => {
                path = format!("/api/v1/observations?changed_since={since}&limit=7{filter}&cursor={cursor}")
            }
            None => return listed,
        }
    }
}

#[test]
fn changed_since_lists_the_same_whether_few_or_many_values_changed() {
    let app = TestApp::spawn();
    let admin = app.admin_key();
    let countries = ["KEN", "UGA", "TZA", "RWA"];
    let batch = |value: f64, years: std::ops::Range<i64>| {
        let rows: Vec<Value> = countries
            .iter()
            .flat_map(|country| years.clone().map(move |year| (country, year)))
            .map(|(country, year)| json!({"country": country, "indicator": INTERNET, "year": year, "value": value}))
            .collect();
        json!({ "observations": rows })
    };
    assert_eq!(app.post_json("/api/v1/observations", &admin, &batch(1.0, 2010..2020)).status, 201);
    let before_all = chrono::Utc::now().naive_utc();
    assert_eq!(app.post_json("/api/v1/observations", &admin, &batch(2.0, 2010..2020)).status, 201);
    let before_few = chrono::Utc::now().naive_utc();
    assert_eq!(app.post_json("/api/v1/observations", &admin, &batch(3.0, 2012..2013)).status, 201);
    let ken_2015 =
        app.get(&format!("/api/v1/observations?country=KEN&indicator={INTERNET}&year_from=2015&year_to=2015"));
    let id = ken_2015.json()["observations"][0]["id"].as_i64().unwrap();
    assert_eq!(app.delete(&format!("/api/v1/observations/{id}"), &admin).status, 200);

    // Few changed since (5 revisions among 40 observations): the revisions since lead.
    let few = changed_since(&app, before_few, "");
    let mut expected: Vec<_> = countries.iter().map(|c| (c.to_string(), 2012, Some(3.0))).collect();
    expected.insert(1, ("KEN".into(), 2015, None));
    assert_eq!(few, expected, "in observation id order, the withdrawal included");
    // Every value changed since: the observations lead. Same answers, same order.
    let all = changed_since(&app, before_all, "");
    assert_eq!(all.len(), 40, "{all:?}");
    let mut by_id = all.clone();
    by_id.sort_by_key(|(country, year, _)| (countries.iter().position(|c| c == country), *year));
    assert_eq!(all, by_id, "in observation id order across pages");
    for (country, year, value) in &all {
        let want = match (country.as_str(), year) {
            ("KEN", 2015) => None,
            (_, 2012) => Some(3.0),
            _ => Some(2.0),
        };
        assert_eq!(*value, want, "{country} {year}");
    }
    let uganda = changed_since(&app, before_all, "&country=UGA&year_from=2012");
    let expected: Vec<_> = all.iter().filter(|(country, year, _)| country == "UGA" && *year >= 2012).cloned().collect();
    assert_eq!((uganda.len(), &uganda), (8, &expected), "filters apply on either path");
    let uganda_few = changed_since(&app, before_few, "&country=UGA");
    assert_eq!(uganda_few, [("UGA".to_string(), 2012, Some(3.0))]);
}

#[test]
fn a_snapshot_is_taken_whenever_half_as_many_revisions_as_observations_were_recorded() {
    let app = TestApp::spawn();
    let admin = app.admin_key();
    let countries = ["KEN", "UGA", "TZA", "RWA", "BDI", "ETH", "SOM", "SSD", "COD", "ZMB"];
    let batch = |countries: &[&str], value: f64| {
        let rows: Vec<Value> = countries
            .iter()
            .map(|country| json!({"country": country, "indicator": INTERNET, "year": 2021, "value": value}))
            .collect();
        json!({ "observations": rows })
    };
    let taken = || -> Vec<i64> {
        state_snapshots::table
            .select(state_snapshots::revision_id)
            .order(state_snapshots::revision_id)
            .load(&mut *app.state.db.get().unwrap())
            .unwrap()
    };
    let send = |path: &str, body: &Value| {
        let sent = app.post_json(path, &admin, body);
        assert!(sent.status == 200 || sent.status == 201, "{}", sent.body);
    };
    // Ten observations: a snapshot once five revisions or more were recorded since the last,
    // at the end of the write (where a past state can be asked for).
    send("/api/v1/observations", &batch(&countries, 1.0));
    assert_eq!(taken(), [10]);
    send("/api/v1/observations", &batch(&countries[..3], 2.0));
    assert_eq!(taken(), [10], "three revisions since the last snapshot: not yet");
    send("/api/v1/observations?dry_run=true", &batch(&countries[3..], 2.0));
    assert_eq!(taken(), [10], "a dry run leaves none");
    send("/api/v1/observations", &batch(&countries[3..6], 2.0));
    assert_eq!(taken(), [10, 16], "six since");
}

#[test]
fn revisions_written_before_the_history_migrations_keep_their_past() {
    let app = TestApp::spawn();
    app.admin_key();
    let t = NaiveDate::from_ymd_opt(2026, 6, 1).unwrap().and_hms_opt(10, 0, 0).unwrap();
    for (value, at) in [(10.0, t), (11.0, t + TimeDelta::minutes(1)), (12.0, t + TimeDelta::minutes(2))] {
        write_at(&app, value, at);
    }
    let mut conn = app.state.db.get().unwrap();
    // Back to revisions without validity intervals, then forward through them (added, then
    // dropped for insert-only revisions) and through snapshots (none yet: taken at start-up).
    support::migrate_again(
        &mut conn,
        &["20261202001000", "20261202002000", "20261203001000", "20261204001000", "20261208001000"],
    );
    assert_eq!(snapshots::last_at(&mut conn, i64::MAX).unwrap().0, 0, "no snapshot yet");
    drop(conn);
    assert_eq!(progress_value_as_of(&app, t + TimeDelta::seconds(30)), Some(10.0));
    assert_eq!(value_as_of(&app, t + TimeDelta::seconds(90)), Some(11.0));
    assert_eq!(value_as_of(&app, t + TimeDelta::minutes(3)), Some(12.0));
    // The next start takes the snapshots due over the whole history (one observation: one
    // every revision); the past reads the same.
    let restarted = app.second_instance();
    let taken: Vec<i64> = state_snapshots::table
        .select(state_snapshots::revision_id)
        .order(state_snapshots::revision_id)
        .load(&mut *restarted.state.db.get().unwrap())
        .unwrap();
    assert_eq!(taken, [1, 2, 3]);
    assert_eq!(progress_value_as_of(&restarted, t + TimeDelta::seconds(30)), Some(10.0));
    assert_eq!(progress_value_as_of(&restarted, t + TimeDelta::minutes(3)), Some(12.0));
}
