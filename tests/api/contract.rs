//! The checks that guard the contract: the committed specification and the migration trees.

use crate::support::TestApp;
use std::collections::BTreeSet;
use std::path::Path;

const SPEC_PATH: &str = "openapi/openapi.json";

#[test]
fn committed_openapi_matches_the_served_specification() {
    let app = TestApp::spawn();
    let served = app.get("/api/v1/openapi.json").json();
    if std::env::var("UPDATE_OPENAPI").is_ok_and(|v| v == "1") {
        std::fs::write(SPEC_PATH, connect2030::routes::openapi_json() + "\n").unwrap();
    }
    let committed: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(SPEC_PATH).expect("openapi/openapi.json is committed")).unwrap();
    assert!(
        committed == served,
        "openapi/openapi.json is stale: run `UPDATE_OPENAPI=1 cargo test committed_openapi` and commit it"
    );
}

#[test]
fn the_specification_documents_every_operation_with_responses_and_problem_errors() {
    let spec: serde_json::Value = serde_json::from_str(&connect2030::routes::openapi_json()).unwrap();
    assert!(spec["openapi"].as_str().unwrap().starts_with("3."));
    let paths = spec["paths"].as_object().unwrap();
    assert!(paths.len() >= 12, "{} paths", paths.len());
    for (path, item) in paths {
        for (method, operation) in item.as_object().unwrap() {
            let responses = operation["responses"].as_object().unwrap_or_else(|| panic!("{method} {path}"));
            assert!(responses.keys().any(|s| s.starts_with('2')), "{method} {path} has no success response");
            for (status, response) in responses.iter().filter(|(s, _)| s.starts_with('4') || s.starts_with('5')) {
                let response = match response["$ref"].as_str() {
                    Some(name) => &spec["components"]["responses"][name.trim_start_matches("#/components/responses/")],
                    None => response,
                };
                assert!(
                    response["content"]["application/problem+json"].is_object(),
                    "{method} {path} {status} is not documented as problem+json"
                );
            }
            assert!(operation["description"].is_string() || operation["summary"].is_string(), "{method} {path}");
        }
    }
}

fn migration_names(backend: &str) -> BTreeSet<String> {
    std::fs::read_dir(Path::new("migrations").join(backend))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect()
}

#[test]
fn both_migration_trees_have_the_same_folders() {
    let sqlite = migration_names("sqlite");
    assert!(!sqlite.is_empty());
    assert_eq!(sqlite, migration_names("postgres"));
    for name in &sqlite {
        for file in ["up.sql", "down.sql"] {
            for backend in ["sqlite", "postgres"] {
                assert!(
                    Path::new("migrations").join(backend).join(name).join(file).exists(),
                    "{backend}/{name}/{file}"
                );
            }
        }
    }
}

/// Checks an example against its schema's required fields, through references, objects and
/// arrays (what a linter validates first); returns the paths of missing fields.
fn missing_fields(
    spec: &serde_json::Value,
    schema: &serde_json::Value,
    example: &serde_json::Value,
    at: &str,
) -> Vec<String> {
    let schema = match schema["$ref"].as_str() {
        Some(reference) => &spec["components"]["schemas"][reference.trim_start_matches("#/components/schemas/")],
        None => schema,
    };
    let mut missing = Vec::new();
    if let Some(object) = example.as_object() {
        for field in schema["required"].as_array().into_iter().flatten().filter_map(|f| f.as_str()) {
            if !object.contains_key(field) {
                missing.push(format!("{at}.{field}"));
            }
        }
        for (field, value) in object {
            if let Some(property) = schema["properties"].get(field) {
                missing.extend(missing_fields(spec, property, value, &format!("{at}.{field}")));
            }
        }
    }
    if let (Some(items), Some(values)) = (schema.get("items"), example.as_array()) {
        for (index, value) in values.iter().enumerate() {
            missing.extend(missing_fields(spec, items, value, &format!("{at}[{index}]")));
        }
    }
    missing
}

#[test]
fn every_schema_example_has_the_fields_its_schema_requires() {
    let spec: serde_json::Value = serde_json::from_str(&connect2030::routes::openapi_json()).unwrap();
    let mut examples = 0;
    for (name, schema) in spec["components"]["schemas"].as_object().unwrap() {
        if let Some(example) = schema.get("example") {
            examples += 1;
            let missing = missing_fields(&spec, schema, example, name);
            assert!(missing.is_empty(), "the example of {name} lacks {missing:?}");
        }
    }
    assert!(examples >= 5, "{examples} examples");
}

#[test]
fn the_documented_submission_row_has_exactly_the_fields_the_parser_reads() {
    let spec: serde_json::Value = serde_json::from_str(&connect2030::routes::openapi_json()).unwrap();
    let documented: BTreeSet<String> =
        spec["components"]["schemas"]["ObservationInput"]["properties"].as_object().unwrap().keys().cloned().collect();
    let parsed: BTreeSet<String> = connect2030::domain::observation::FIELDS.iter().map(|f| f.to_string()).collect();
    assert_eq!(documented, parsed, "the OpenAPI row and the parser's FIELDS must name the same fields");
}
