//! The staleness bound counts from the write: an answer superseded longer ago than
//! `MAX_STALE_MS` is never served (without `no-cache`), however long nobody asked, on the
//! writing instance and on another one; a superseded answer says its true age.

use crate::support::{data_version, write_one, TestApp};
use std::time::Duration;

const PATH: &str = "/api/v1/progress/targets/1.2";

fn with_bound(bound: Duration) -> TestApp {
    TestApp::spawn_with(|settings| {
        settings.load_public_data = true;
        settings.max_stale = bound;
    })
}

#[test]
fn after_a_quiet_period_longer_than_the_bound_the_first_read_is_current() {
    let app = with_bound(Duration::from_secs(1));
    let admin = app.admin_key();
    let second = app.is_postgres().then(|| app.second_instance());
    let before = app.get(PATH);
    if let Some(second) = &second {
        assert_eq!(second.get(PATH).header("etag"), before.header("etag"));
    }
    let version = write_one(&app, &admin, 61.25);
    std::thread::sleep(Duration::from_millis(1500));
    for (instance, reader) in std::iter::once(("writing", &app)).chain(second.iter().map(|s| ("other", s))) {
        let answer = reader.get(PATH);
        assert_eq!(answer.header("stale-ms"), None, "{instance} instance: superseded 1.5 s ago, beyond the bound");
        assert_eq!(data_version(&answer), version, "{instance} instance: the answer from the new data");
        assert_ne!(answer.header("etag"), before.header("etag"));
    }
}

#[test]
fn a_superseded_answer_says_how_long_ago_the_write_was() {
    let app = with_bound(Duration::from_secs(3600));
    let admin = app.admin_key();
    let before = app.get(PATH);
    write_one(&app, &admin, 62.25);
    std::thread::sleep(Duration::from_millis(400));
    let stale = app.get(PATH);
    assert_eq!(stale.body, before.body, "within the bound the previous answer is served");
    let age: u64 = stale.header("stale-ms").expect("saying how old it is").parse().unwrap();
    assert!(age >= 400, "superseded at the write, 400 ms before this read, not at the read: {age} ms");
}
