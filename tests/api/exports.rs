//! Answers built whole in memory (SDMX-JSON data messages) take turns: concurrent exports
//! all answer, each whole and with the same data, while only one is built at a time.

use crate::support::{get_concurrently, TestApp};
use std::sync::Arc;

#[test]
fn concurrent_full_sdmx_json_exports_all_answer_in_turn() {
    let app = Arc::new(TestApp::spawn_with_public_data());
    let path = "/sdmx/rest/data/CONNECT2030/all?format=jsondata";
    let answers = get_concurrently(&app, path, 8);
    let message = answers[0].json();
    for answer in &answers {
        assert_eq!(answer.status, 200, "{}", answer.body);
        let (this, first) = (answer.json(), &message);
        // The header names the instant it was prepared; the data and structure are the same.
        assert_eq!(this["dataSets"], first["dataSets"], "every export whole and the same");
        assert_eq!(this["structure"], first["structure"]);
    }
    let series = message["dataSets"][0]["series"].as_object().expect("series");
    assert!(series.len() > 100, "the bundled data's series: {}", series.len());
}
