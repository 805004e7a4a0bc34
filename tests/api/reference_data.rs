//! The catalogue in the database equals `reference/`, and the specification's code lists come
//! from the same files.
//!
//! After editing a CSV file under `reference/`, generate the migration that brings every
//! database to it (the difference between the migrated database and the files, in both trees):
//!
//! ```sh
//! REFERENCE_MIGRATION=2027-01-15-000000_reference_data cargo test --test api reference_data
//! ```

use crate::reference_tables::{migration, Table, Value, TABLES};
use crate::support::TestApp;
use diesel::connection::{Connection, SimpleConnection};
use std::collections::{BTreeSet, HashMap};

/// LDC graduations inside the data period (UN CDP); `countries.csv` lists today's LDCs.
const LDC_GRADUATED: [(&str, &str); 6] = [
    ("MDV", "2011-01-01"),
    ("WSM", "2014-01-01"),
    ("GNQ", "2017-06-04"),
    ("VUT", "2020-12-04"),
    ("BTN", "2023-12-13"),
    ("STP", "2024-12-13"),
];
const INCOME: [(&str, &str); 4] =
    [("Low income", "LIC"), ("Lower middle income", "LMC"), ("Upper middle income", "UMC"), ("High income", "HIC")];
const TARGET_SOURCE_VERIFIED: &str = "ITU PP Resolution 200 (Rev. Dubai, 2018)";
const TARGET_SOURCE_SECONDARY: &str =
    "Secondary sources on ITU PP Resolution 200 (Rev. Dubai, 2018); wording to be checked against the resolution";
const ZH_NOTE: &str = "; Chinese text is the team's unofficial translation";

fn rows(file: &str) -> Vec<HashMap<String, String>> {
    let path = format!("{}/reference/{file}", env!("CARGO_MANIFEST_DIR"));
    let mut reader = csv::Reader::from_path(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let headers = reader.headers().unwrap().clone();
    reader
        .records()
        .map(|r| headers.iter().map(String::from).zip(r.unwrap().iter().map(String::from)).collect())
        .collect()
}

fn text(value: &str) -> Value {
    Value::Text(value.to_string())
}

fn optional(value: &str) -> Value {
    if value.is_empty() {
        Value::Null
    } else {
        text(value)
    }
}

fn int(value: &str) -> Value {
    if value.is_empty() {
        return Value::Null;
    }
    Value::Int(value.parse::<f64>().unwrap_or_else(|_| panic!("`{value}` is not a number")) as i64)
}

fn float(value: &str) -> Value {
    if value.is_empty() {
        return Value::Null;
    }
    Value::Float(value.parse().unwrap_or_else(|_| panic!("`{value}` is not a number")))
}

/// The catalogue tables as the files under `reference/` define them.
pub fn reference_tables() -> Vec<Table> {
    let mut tables: HashMap<&str, Table> = TABLES.iter().map(|(name, ..)| (*name, Table::empty(name))).collect();
    let mut add = |table: &str, row: Vec<Value>| tables.get_mut(table).unwrap().insert(row);
    for g in rows("catalogue/goals.csv") {
        let row = vec![int(&g["id"]), text(&g["name_en"]), text(&g["name_zh"])];
        add("goals", [row, vec![text(&g["statement_en"]), text(&g["statement_zh"])]].concat());
    }
    for i in rows("catalogue/indicators.csv") {
        let row = vec![text(&i["code"]), text(&i["name"]), text(&i["unit"]), int(&i["first_year"])];
        let range = vec![float(&i["min_value"]), float(&i["max_value"]), text(&i["direction"])];
        let rest = vec![text(&i["aggregation"]), text(&i["disaggregations"]), optional(&i["note"])];
        add("indicators", [row, range, rest].concat());
    }
    for (n, g) in rows("catalogue/groups.csv").iter().enumerate() {
        let row =
            vec![text(&g["code"]), text(&g["name"]), text(&g["kind"]), text(&g["description"]), text(&g["source"])];
        add("country_groups", [row, vec![Value::Int(n as i64)]].concat());
    }
    let countries = rows("data/countries.csv");
    for c in &countries {
        let name = if c["cldr_name"].is_empty() { &c["name"] } else { &c["cldr_name"] };
        let codes = vec![text(&c["iso3"]), optional(&c["iso2"]), optional(&c["m49"]), text(&c["name"]), text(name)];
        let rest = vec![optional(&c["un_region"]), optional(&c["un_subregion"]), optional(&c["is_independent"])];
        add("economies", [codes, rest].concat());
    }
    for t in rows("catalogue/targets.csv") {
        let verified = t["wording_verified"] == "true";
        let source = if verified { TARGET_SOURCE_VERIFIED } else { TARGET_SOURCE_SECONDARY };
        let rule =
            vec![text(&t["id"]), int(&t["goal"]), int(&t["position"]), text(&t["kind"]), float(&t["target_value"])];
        let groups =
            vec![text(&t["comparator"]), text(&t["direction"]), text(&t["group"]), optional(&t["comparison_group"])];
        let years =
            vec![int(&t["deadline_year"]), int(&t["baseline_year"]), text(&t["measure"]), Value::Bool(verified)];
        let texts = vec![text(&t["text_en"]), text(&t["text_zh"]), Value::Text(format!("{source}{ZH_NOTE}"))];
        add("targets", [rule, groups, years, texts].concat());
        for (n, code) in t["indicators"].split(';').enumerate() {
            add("target_indicators", vec![text(&t["id"]), text(code), Value::Int(n as i64)]);
        }
    }
    let member = |group: &str, iso3: &str, from: Value, to: Value| vec![text(group), text(iso3), from, to];
    for c in &countries {
        let iso3 = c["iso3"].as_str();
        add("group_members", member("WORLD", iso3, Value::Null, Value::Null));
        if !c["m49_developed_developing_2020"].is_empty() {
            add(
                "group_members",
                member(&c["m49_developed_developing_2020"].to_uppercase(), iso3, Value::Null, Value::Null),
            );
        }
        let graduated = LDC_GRADUATED.iter().find(|(g, _)| *g == iso3).map(|(_, date)| text(date));
        if c["ldc"] == "1" || graduated.is_some() {
            add("group_members", member("LDC", iso3, Value::Null, graduated.unwrap_or(Value::Null)));
        }
        for (flag, group) in [("lldc", "LLDC"), ("sids", "SIDS")] {
            if c[flag] == "1" {
                add("group_members", member(group, iso3, Value::Null, Value::Null));
            }
        }
        if let Some((_, group)) = INCOME.iter().find(|(name, _)| *name == c["wb_income_group"]) {
            add("group_members", member(group, iso3, Value::Null, Value::Null));
        }
    }
    for m in rows("data/itu_members.csv") {
        add("group_members", member("ITU_MEMBERS", &m["iso3"], optional(&m["member_since"]), Value::Null));
        add("group_members", member(&m["itu_region_code"], &m["iso3"], optional(&m["member_since"]), Value::Null));
    }
    for p in rows("data/population.csv") {
        add("population", vec![text(&p["iso3"]), int(&p["year"]), int(&p["value"])]);
    }
    TABLES.iter().map(|(name, ..)| tables.remove(name).unwrap()).collect()
}

fn stored_tables(app: &TestApp) -> Vec<Table> {
    let mut conn = app.state.db.get().unwrap();
    TABLES.iter().map(|(name, ..)| Table::load(name, &mut conn)).collect()
}

fn write_migration(folder: &str, up: &str, down: &str) {
    for backend in ["sqlite", "postgres"] {
        let dir = format!("{}/migrations/{backend}/{folder}", env!("CARGO_MANIFEST_DIR"));
        std::fs::create_dir_all(&dir).unwrap();
        let header = "-- Generated from reference/ by tests/api/reference_data.rs; do not edit by hand.\n";
        std::fs::write(format!("{dir}/up.sql"), format!("{header}{up}")).unwrap();
        std::fs::write(format!("{dir}/down.sql"), format!("{header}{down}")).unwrap();
    }
}

#[test]
fn the_catalogue_in_the_database_equals_the_reference_files() {
    let app = TestApp::spawn();
    let (stored, expected) = (stored_tables(&app), reference_tables());
    let up = migration(&stored, &expected);
    if let Some(folder) = std::env::var("REFERENCE_MIGRATION").ok().filter(|f| !f.is_empty()) {
        if !up.is_empty() {
            write_migration(&folder, &up, &migration(&expected, &stored));
            eprintln!("wrote migrations/{{sqlite,postgres}}/{folder}: {} statements", up.lines().count());
        }
        return;
    }
    let preview: String = up.lines().take(20).map(|l| format!("{l}\n")).collect();
    assert!(
        up.is_empty(),
        "the catalogue in the database differs from reference/ ({} statements); generate a migration with \
         REFERENCE_MIGRATION=<new folder> cargo test --test api reference_data\n{preview}",
        up.lines().count()
    );
}

#[test]
fn a_generated_reference_migration_applies_updates_additions_and_deletions_and_reverts() {
    let app = TestApp::spawn();
    let stored = stored_tables(&app);
    let mut edited = stored.clone();
    let table = |tables: &mut Vec<Table>, name: &str| tables.iter_mut().position(|t| t.name == name).unwrap();
    let targets = table(&mut edited, "targets");
    let row = edited[targets].rows.get_mut(&vec!["1.2".to_string()]).unwrap();
    row[13] = Value::Text("Worldwide, 70% of individuals will be using the Internet (it's checked)".into());
    let groups = table(&mut edited, "country_groups");
    edited[groups].insert(vec![
        text("G77"),
        text("Group of 77"),
        text("membership"),
        text("d"),
        text("UN"),
        Value::Int(99),
    ]);
    edited[groups].rows.remove(&vec!["SIDS".to_string()]);
    let members = table(&mut edited, "group_members");
    edited[members].rows.retain(|key, _| key[0] != "SIDS");
    edited[members].insert(vec![text("G77"), text("KEN"), text("1964-06-15"), Value::Null]);
    let population = table(&mut edited, "population");
    edited[population].rows.remove(&vec!["KEN".to_string(), "1960".to_string()]);
    let indicators = table(&mut edited, "indicators");
    edited[indicators].rows.get_mut(&vec!["netp".to_string()]).unwrap()[3] = Value::Int(2005);

    let apply = |sql: &str| {
        let mut conn = app.state.db.get().unwrap();
        conn.transaction::<_, diesel::result::Error, _>(|conn| conn.batch_execute(sql)).unwrap();
    };
    apply(&migration(&stored, &edited));
    assert_eq!(stored_tables(&app), edited);
    apply(&migration(&edited, &stored));
    assert_eq!(stored_tables(&app), stored);
}

#[test]
fn the_specification_lists_exactly_the_codes_of_the_reference_files() {
    let app = TestApp::spawn();
    let spec = app.get("/api/v1/openapi.json").json();
    let tables = reference_tables();
    let keys = |name: &str| tables.iter().find(|t| t.name == name).unwrap().keys();
    let listed = |value: &serde_json::Value| -> BTreeSet<String> {
        value["enum"].as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_string()).collect()
    };
    let schemas = &spec["components"]["schemas"];
    assert_eq!(listed(&schemas["ObservationInput"]["properties"]["country"]), keys("economies"));
    assert_eq!(listed(&schemas["ObservationInput"]["properties"]["indicator"]), keys("indicators"));
    assert_eq!(listed(&schemas["InitiativeInput"]["properties"]["targets"]["items"]), keys("targets"));
    let members = tables.iter().find(|t| t.name == "group_members").unwrap();
    let member_states: BTreeSet<String> =
        members.rows.keys().filter(|k| k[0] == "ITU_MEMBERS").map(|k| k[1].clone()).collect();
    assert_eq!(listed(&schemas["NewReporter"]["properties"]["country"]), member_states);
    let aggregates = &spec["paths"]["/api/v1/indicators/{code}/aggregates"]["get"]["parameters"];
    let group = aggregates.as_array().unwrap().iter().find(|p| p["name"] == "group").unwrap();
    assert_eq!(listed(&group["schema"]), keys("country_groups"));
}
