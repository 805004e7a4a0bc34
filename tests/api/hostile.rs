//! Hostile and malformed input: every case is a clear problem+json 4xx and writes nothing.

use crate::support::{send, TestApp};
use serde_json::json;

#[test]
fn malformed_and_hostile_batches_are_refused_and_write_nothing() {
    let app = TestApp::spawn();
    let admin = app.admin_key();
    let auth = format!("Bearer {admin}");
    let header = "country,indicator,year,value\n";
    let row = |value: &str| {
        format!(
            r#"{{"observations": [{{"country": "KEN", "indicator": "individuals_internet_pct", "year": 2020, "value": {value}}}]}}"#
        )
    };
    let long = "x".repeat(100_000);
    let nested = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let cases: Vec<(&str, &str, Vec<u8>, u16, &str)> = vec![
        ("deeply nested JSON", "application/json", nested.into_bytes(), 400, "invalid_json"),
        ("truncated JSON", "application/json", b"{\"observations\": [{\"country\":".to_vec(), 400, "invalid_json"),
        ("JSON array at the top", "application/json", b"[1, 2]".to_vec(), 400, "invalid_json"),
        ("NaN literal", "application/json", row("NaN").into_bytes(), 400, "invalid_json"),
        ("1e400", "application/json", row("1e400").into_bytes(), 400, "invalid_json"),
        ("NaN as text", "application/json", row("\"NaN\"").into_bytes(), 422, "validation_failed"),
        ("infinity as text", "application/json", row("\"inf\"").into_bytes(), 422, "validation_failed"),
        ("number as object", "application/json", row("{\"a\": 1}").into_bytes(), 422, "validation_failed"),
        (
            "Latin-1 CSV",
            "text/csv",
            [header.as_bytes(), b"C\xf4te,individuals_internet_pct,2020,1\n"].concat(),
            400,
            "invalid_encoding",
        ),
        (
            "UTF-16 CSV",
            "text/csv",
            "country".encode_utf16().flat_map(|u| u.to_le_bytes()).collect(),
            400,
            "invalid_encoding",
        ),
        ("CSV without required columns", "text/csv", b"country,year\nKEN,2020\n".to_vec(), 422, "validation_failed"),
        (
            "CSV with a repeated header",
            "text/csv",
            b"country,country,indicator,year,value\nKEN,KEN,netp,2020,yes\n".to_vec(),
            422,
            "validation_failed",
        ),
        (
            "CSV with an unknown column",
            "text/csv",
            b"country,indicator,year,value,colour\nKEN,netp,2020,yes,red\n".to_vec(),
            422,
            "validation_failed",
        ),
        ("CSV ragged row", "text/csv", format!("{header}KEN,netp,2020\n").into_bytes(), 422, "validation_failed"),
        (
            "CSV year 99999",
            "text/csv",
            format!("{header}KEN,individuals_internet_pct,99999,1\n").into_bytes(),
            422,
            "validation_failed",
        ),
        (
            "CSV value 1e400",
            "text/csv",
            format!("{header}KEN,individuals_internet_pct,2020,1e400\n").into_bytes(),
            422,
            "validation_failed",
        ),
        (
            "CSV NaN",
            "text/csv",
            format!("{header}KEN,individuals_internet_pct,2020,NaN\n").into_bytes(),
            422,
            "validation_failed",
        ),
        (
            "unknown codes",
            "text/csv",
            format!("{header}XYZ,no_such_indicator,2020,1\n").into_bytes(),
            422,
            "validation_failed",
        ),
        (
            "SQL in a code",
            "text/csv",
            format!("{header}\"KEN'; DROP TABLE observations;--\",netp,2020,yes\n").into_bytes(),
            422,
            "validation_failed",
        ),
        (
            "a 100 kB note",
            "text/csv",
            format!("country,indicator,year,value,note\nKEN,netp,2020,yes,{long}\n").into_bytes(),
            422,
            "validation_failed",
        ),
        (
            "a 100 kB country",
            "text/csv",
            format!("{header}{long},netp,2020,yes\n").into_bytes(),
            422,
            "validation_failed",
        ),
        ("empty CSV", "text/csv", Vec::new(), 422, "validation_failed"),
        ("header only", "text/csv", header.as_bytes().to_vec(), 422, "validation_failed"),
        ("XML", "application/xml", b"<observations/>".to_vec(), 415, "unsupported_media_type"),
        ("no content type", "", b"{}".to_vec(), 415, "unsupported_media_type"),
        ("40 MB body", "text/csv", vec![b'a'; 40 * 1024 * 1024], 413, "payload_too_large"),
    ];
    for (name, content_type, body, status, code) in cases {
        let request = app.request("POST", "/api/v1/observations").set("Authorization", &auth);
        let answer =
            if content_type.is_empty() { send(request, None) } else { send(request, Some((content_type, &body))) };
        assert_eq!(answer.status, status, "{name}: {}", &answer.body[..answer.body.len().min(400)]);
        let problem = answer.assert_problem(status, code);
        assert!(answer.body.len() < 20_000, "{name}: the answer does not echo the whole input");
        assert!(problem["detail"].as_str().unwrap().len() < 500, "{name}");
    }
    let stored = app.get("/api/v1/observations").json();
    assert!(stored["observations"].as_array().unwrap().is_empty(), "nothing was written");
}

#[test]
fn odd_but_valid_input_is_accepted_exactly() {
    let app = TestApp::spawn();
    let admin = app.admin_key();
    let csv = "\u{feff}Country,Indicator,Year,Value,Note\r\nken,individuals_internet_pct,2020,-0,\"line one\r\nline two, with comma\"\r\nKEN,netp,2020,YES,\"'; DROP TABLE observations;--\"\r\n";
    let answer = app.post_csv("/api/v1/observations", &admin, csv);
    assert_eq!(answer.status, 201, "{}", answer.body);
    let stored = app.get("/api/v1/observations?country=KEN").json();
    let rows = stored["observations"].as_array().unwrap();
    assert_eq!(rows.len(), 2);
    let internet = rows.iter().find(|o| o["indicator"] == "individuals_internet_pct").unwrap();
    assert_eq!(internet["value"], 0.0);
    assert_eq!(internet["note"], "line one\r\nline two, with comma");
    let netp = rows.iter().find(|o| o["indicator"] == "netp").unwrap();
    assert_eq!(netp["value"], "yes");
    assert_eq!(netp["note"], "'; DROP TABLE observations;--", "stored as text, never run");
    let minus_zero = json!({"observations": [{"country": "KEN", "indicator": "individuals_internet_pct", "year": 2020, "value": -0.0}]});
    assert_eq!(
        app.post_json("/api/v1/observations", &admin, &minus_zero).json()["counts"]["unchanged"],
        1,
        "-0 is the stored 0, and the note left out stays"
    );
}
