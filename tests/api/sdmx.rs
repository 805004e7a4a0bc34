//! The SDMX 2.1 REST interface: structures with `references=`, data keys, periods,
//! `updatedAfter`, first/last observations, formats, group aggregates, errors.

use crate::support::{Resp, TestApp};
use serde_json::{json, Value};

const INTERNET: &str = "individuals_internet_pct";
const STRUCTURE_XML: &str = "application/vnd.sdmx.structure+xml; version=2.1";

/// A service with Internet use for KEN and UGA (2018–2022, KEN female in 2021) and KEN's
/// yes/no answer on `netp`.
fn app_with_data() -> (TestApp, String) {
    let app = TestApp::spawn();
    let key = app.admin_key();
    let mut rows: Vec<Value> = Vec::new();
    for (country, base) in [("KEN", 20.0), ("UGA", 10.0)] {
        for year in 2018..=2022 {
            rows.push(json!({"country": country, "indicator": INTERNET, "year": year,
                             "value": base + f64::from(year - 2018), "source": "NSO survey"}));
        }
    }
    rows.push(json!({"country": "KEN", "indicator": INTERNET, "year": 2021, "value": 21.5,
                     "disaggregation": {"sex": "female"}, "nature": "estimated"}));
    rows.push(json!({"country": "KEN", "indicator": "netp", "year": 2022, "value": "yes",
                     "evidence_url": "https://example.org/netp.pdf"}));
    let answer = app.post_json("/api/v1/observations", &key, &json!({"observations": rows}));
    assert_eq!(answer.status, 201, "{}", answer.body);
    (app, key)
}

fn xml(resp: &Resp) -> roxmltree::Document<'_> {
    roxmltree::Document::parse(&resp.body).unwrap_or_else(|e| panic!("not XML ({e}): {}", resp.body))
}

fn elements<'a>(doc: &'a roxmltree::Document, name: &str) -> Vec<roxmltree::Node<'a, 'a>> {
    doc.descendants().filter(|n| n.tag_name().name() == name).collect()
}

/// (REF_AREA, INDICATOR, SEX, TIME_PERIOD, OBS_VALUE, OBS_STATUS) of every observation of a
/// structure-specific message.
fn observations(resp: &Resp) -> Vec<(String, String, String, i32, f64, String)> {
    assert_eq!(resp.status, 200, "{}", resp.body);
    let doc = xml(resp);
    let mut found = Vec::new();
    for series in elements(&doc, "Series") {
        let dimension = |name: &str| series.attribute(name).unwrap_or_default().to_string();
        for obs in series.children().filter(|n| n.tag_name().name() == "Obs") {
            found.push((
                dimension("REF_AREA"),
                dimension("INDICATOR"),
                dimension("SEX"),
                obs.attribute("TIME_PERIOD").unwrap().parse().unwrap(),
                obs.attribute("OBS_VALUE").unwrap().parse().unwrap(),
                obs.attribute("OBS_STATUS").unwrap_or_default().to_string(),
            ));
        }
    }
    found
}

fn data(app: &TestApp, key: &str, query: &str) -> Resp {
    app.get(&format!("/sdmx/rest/data/CONNECT2030/{key}?{query}"))
}

#[test]
fn structures_resolve_references_and_wildcards() {
    let app = TestApp::spawn();
    let all = app.get("/sdmx/rest/dataflow/all/all/latest?references=all");
    assert_eq!(all.status, 200, "{}", all.body);
    assert_eq!(all.header("content-type"), Some(STRUCTURE_XML));
    let doc = xml(&all);
    assert_eq!(elements(&doc, "Dataflow")[0].attribute("id"), Some("CONNECT2030"));
    assert_eq!(elements(&doc, "Dataflow")[0].attribute("agencyID"), Some("C2030"));
    let dimensions: Vec<_> = elements(&doc, "Dimension")
        .iter()
        .chain(&elements(&doc, "TimeDimension"))
        .filter_map(|d| d.attribute("position").map(|p| (p.to_string(), d.attribute("id").unwrap().to_string())))
        .collect();
    let ids: Vec<&str> = dimensions.iter().map(|(_, id)| id.as_str()).collect();
    assert_eq!(ids, ["FREQ", "REF_AREA", "INDICATOR", "SEX", "URBANISATION", "TIME_PERIOD"]);
    let lists: Vec<_> = elements(&doc, "Codelist").iter().map(|l| l.attribute("id").unwrap().to_string()).collect();
    for id in ["CL_AREA", "CL_INDICATOR", "CL_SEX", "CL_URBANISATION", "CL_OBS_STATUS", "CL_UNIT_MEASURE", "CL_NATURE"]
    {
        assert!(lists.contains(&id.to_string()), "{id} in {lists:?}");
    }
    let codes: Vec<_> = elements(&doc, "Code").iter().map(|c| c.attribute("id").unwrap().to_string()).collect();
    for code in ["KEN", "WORLD", "LDC", INTERNET, "_T", "female", "urban"] {
        assert!(codes.contains(&code.to_string()), "{code}");
    }
    let female = elements(&doc, "Code").into_iter().find(|c| c.attribute("id") == Some("female")).unwrap();
    let names: Vec<_> = female.children().filter_map(|n| n.text().map(|t| t.to_string())).collect();
    assert_eq!(names, ["Female", "女性"]);
    assert_eq!(elements(&doc, "ConceptScheme").len(), 1);
    assert_eq!(elements(&doc, "DataStructure").len(), 1);

    // Without references: the dataflow alone; a code list by id; a DSD with its parents.
    assert_eq!(elements(&xml(&app.get("/sdmx/rest/dataflow")), "DataStructure").len(), 0);
    let sex = app.get("/sdmx/rest/codelist/C2030/CL_SEX/1.0");
    let sex_doc = xml(&sex);
    let lists: Vec<_> = elements(&sex_doc, "Codelist").iter().map(|l| l.attribute("id").unwrap()).collect();
    assert_eq!(lists, ["CL_SEX"]);
    let dsd = app.get("/sdmx/rest/datastructure/C2030/DSD_CONNECT2030?references=parents");
    let dsd_doc = xml(&dsd);
    assert_eq!(elements(&dsd_doc, "Dataflow").len(), 1);
    assert_eq!(elements(&dsd_doc, "Codelist").len(), 0);
    let children = app.get("/sdmx/rest/dataflow/C2030/CONNECT2030/latest?references=children");
    assert_eq!(elements(&xml(&children), "DataStructure").len(), 1);

    app.get("/sdmx/rest/dataflow/ESTAT/all/latest").assert_problem(404, "no_results_found");
    app.get("/sdmx/rest/codelist/all/CL_NOPE/latest").assert_problem(404, "no_results_found");
    app.get("/sdmx/rest/categoryscheme/all/all/latest").assert_problem(501, "not_implemented");
    app.get("/sdmx/rest/dataflow/all/all/latest?detail=allstubs").assert_problem(501, "not_implemented");
    app.get("/sdmx/rest/dataflow/all/all/latest?detail=some").assert_problem(400, "invalid_sdmx_query");
    app.get("/sdmx/rest/dataflow/all/all/latest?references=cousins").assert_problem(400, "invalid_sdmx_query");
    app.get_with("/sdmx/rest/dataflow", &[("Accept", "application/vnd.sdmx.structure+json")])
        .assert_problem(406, "not_acceptable");
}

#[test]
fn keys_select_series_with_wildcards_and_alternatives() {
    let (app, _) = app_with_data();
    let both = observations(&data(&app, &format!("A.KEN+UGA.{INTERNET}._T._T"), ""));
    let areas: std::collections::BTreeSet<_> = both.iter().map(|o| o.0.as_str()).collect();
    assert_eq!(areas, ["KEN", "UGA"].into());
    assert_eq!(both.len(), 10);
    assert!(both.contains(&("KEN".into(), INTERNET.into(), "_T".into(), 2020, 22.0, "A".into())));

    // An empty SEX position is a wildcard: KEN's female value comes too, estimated.
    let kenya = observations(&data(&app, &format!("A.KEN.{INTERNET}.."), ""));
    assert!(kenya.contains(&("KEN".into(), INTERNET.into(), "female".into(), 2021, 21.5, "E".into())));
    assert_eq!(kenya.len(), 6);
    // A yes/no value is 1 or 0.
    let netp = observations(&data(&app, "A.KEN.netp._T._T", ""));
    assert_eq!(netp, [("KEN".into(), "netp".into(), "_T".into(), 2022, 1.0, "A".into())]);
    assert!(data(&app, "A.KEN.netp._T._T", "").body.contains("EVIDENCE_URL=\"https://example.org/netp.pdf\""));

    data(&app, "A.KEN", "").assert_problem(400, "invalid_sdmx_query");
    data(&app, "A.KEN.individuals_internet_pct._T._T.X", "").assert_problem(400, "invalid_sdmx_query");
    data(&app, "A.TZA.individuals_internet_pct._T._T", "").assert_problem(404, "no_results_found");
    data(&app, "Q.KEN.individuals_internet_pct._T._T", "").assert_problem(404, "no_results_found");
    app.get("/sdmx/rest/data/OTHER/all").assert_problem(404, "no_results_found");
    assert_eq!(app.get("/sdmx/rest/data/C2030,CONNECT2030,latest/all/all").status, 200);
    assert_eq!(app.get("/sdmx/rest/data/CONNECT2030").status, 200);
}

#[test]
fn periods_updates_and_observation_counts_narrow_the_answer() {
    let (app, key) = app_with_data();
    let key_ken = format!("A.KEN.{INTERNET}._T._T");
    let years = |resp: &Resp| observations(resp).iter().map(|o| o.3).collect::<Vec<_>>();
    assert_eq!(years(&data(&app, &key_ken, "startPeriod=2019&endPeriod=2020-12")), [2019, 2020]);
    assert_eq!(years(&data(&app, &key_ken, "startPeriod=2021-Q1")), [2021, 2022]);
    assert_eq!(years(&data(&app, &key_ken, "lastNObservations=2")), [2021, 2022]);
    assert_eq!(years(&data(&app, &key_ken, "firstNObservations=1")), [2018]);
    assert_eq!(years(&data(&app, &key_ken, "firstNObservations=1&lastNObservations=1")), [2018, 2022]);
    data(&app, &key_ken, "startPeriod=last-year").assert_problem(400, "invalid_sdmx_query");
    data(&app, &key_ken, "startPeriod=2021&endPeriod=2019").assert_problem(400, "invalid_sdmx_query");
    data(&app, &key_ken, "lastNObservations=0").assert_problem(400, "invalid_query");
    data(&app, &key_ken, "startPeriod=2030").assert_problem(404, "no_results_found");

    // updatedAfter: only what changed after the first batch, and the group series of its
    // indicator (their inputs changed).
    let first = app.get(&format!("/api/v1/observations?country=KEN&indicator={INTERNET}")).json();
    let first_recorded = first["observations"][0]["recorded_at"].as_str().unwrap().to_string();
    let revision = json!({"observations": [{"country": "UGA", "indicator": INTERNET, "year": 2022, "value": 15.5}]});
    assert_eq!(app.post_json("/api/v1/observations", &key, &revision).status, 201);
    let after = urlencode(&first_recorded);
    let changed = observations(&data(&app, &format!("A.KEN+UGA.{INTERNET}._T._T"), &format!("updatedAfter={after}")));
    assert_eq!(changed, [("UGA".into(), INTERNET.into(), "_T".into(), 2022, 15.5, "A".into())]);
    let with_groups =
        observations(&data(&app, &format!("A.UGA+WORLD.{INTERNET}._T._T"), &format!("updatedAfter={after}")));
    assert!(with_groups.iter().any(|o| o.0 == "WORLD"), "{with_groups:?}");
    let netp = data(&app, "A..netp._T._T", &format!("updatedAfter={after}"));
    netp.assert_problem(404, "no_results_found");
    data(&app, &key_ken, "updatedAfter=yesterday").assert_problem(400, "invalid_sdmx_query");

    // as_of: UGA 2022 as it was before the revision.
    let before = observations(&data(&app, &format!("A.UGA.{INTERNET}._T._T"), &format!("as_of={after}")));
    assert!(before.iter().any(|o| o.3 == 2022 && o.4 == 14.0), "{before:?}");
}

fn urlencode(text: &str) -> String {
    text.replace(':', "%3A").replace('+', "%2B")
}

#[test]
fn formats_follow_accept_and_the_format_parameter() {
    let (app, _) = app_with_data();
    let path = format!("/sdmx/rest/data/CONNECT2030/A.KEN.{INTERNET}._T._T?lastNObservations=1");
    let get = |accept: &str| app.get_with(&path, &[("Accept", accept)]);

    let specific = app.get(&path);
    assert_eq!(specific.header("content-type"), Some("application/vnd.sdmx.structurespecificdata+xml; version=2.1"));
    assert_eq!(xml(&specific).root_element().tag_name().name(), "StructureSpecificData");

    let generic = get("application/vnd.sdmx.genericdata+xml;version=2.1");
    assert_eq!(xml(&generic).root_element().tag_name().name(), "GenericData");
    let doc = xml(&generic);
    let values: Vec<_> = elements(&doc, "ObsValue").iter().map(|v| v.attribute("value").unwrap().to_string()).collect();
    assert_eq!(values, ["24"]);

    let csv1 = get("application/vnd.sdmx.data+csv;version=1.0.0");
    assert!(csv1.header("content-type").unwrap().starts_with("application/vnd.sdmx.data+csv; version=1.0.0"));
    let lines: Vec<&str> = csv1.body.lines().collect();
    assert_eq!(
        lines[0],
        "DATAFLOW,FREQ,REF_AREA,INDICATOR,SEX,URBANISATION,TIME_PERIOD,OBS_VALUE,UNIT_MEASURE,OBS_STATUS,NATURE,SOURCE_DETAIL,COMMENT_OBS,EVIDENCE_URL"
    );
    assert_eq!(lines[1], format!("C2030:CONNECT2030(1.0),A,KEN,{INTERNET},_T,_T,2022,24,percent,A,C,NSO survey,,"));

    let csv2 = get("application/vnd.sdmx.data+csv; version=2.0.0");
    assert!(csv2.body.starts_with("STRUCTURE,STRUCTURE_ID,ACTION,FREQ,"), "{}", csv2.body);
    assert!(csv2.body.contains(&format!("dataflow,C2030:CONNECT2030(1.0),I,A,KEN,{INTERNET},_T,_T,2022,24,")));
    assert_eq!(app.get(&format!("{path}&format=csv2")).body, csv2.body, "format= stands for Accept");

    let json = get("application/vnd.sdmx.data+json;version=1.0.0").json();
    let series = &json["dataSets"][0]["series"]["0:0:0:0:0"];
    assert_eq!(series["observations"]["0"][0], 24.0);
    assert_eq!(json["structure"]["dimensions"]["series"][1]["values"][0]["id"], "KEN");
    assert_eq!(json["structure"]["dimensions"]["observation"][0]["values"][0]["id"], "2022");

    let flat = app.get(&format!("{path}&dimensionAtObservation=AllDimensions"));
    let flat_doc = xml(&flat);
    let obs = elements(&flat_doc, "Obs");
    assert_eq!(obs.len(), 1);
    assert_eq!(obs[0].attribute("REF_AREA"), Some("KEN"));
    assert_eq!(elements(&flat_doc, "Series").len(), 0);
    let keys_only = app.get(&format!("{path}&detail=serieskeysonly"));
    assert_eq!(elements(&xml(&keys_only), "Obs").len(), 0);
    assert_eq!(elements(&xml(&keys_only), "Series").len(), 1);

    // A full export streams: no length known in advance.
    for format in ["structurespecificdata", "csv"] {
        let export = app.get(&format!("/sdmx/rest/data/CONNECT2030/all?format={format}"));
        assert_eq!(export.status, 200);
        assert_eq!(export.header("transfer-encoding"), Some("chunked"), "{format}");
        assert!(export.body.contains("UGA") && export.body.contains("netp") && export.body.contains("WORLD"));
    }

    get("text/html").assert_problem(406, "not_acceptable");
    app.get(&format!("{path}&format=excel")).assert_problem(400, "invalid_format");
    app.get(&format!("{path}&dimensionAtObservation=REF_AREA")).assert_problem(501, "not_implemented");
    app.get(&format!("{path}&includeHistory=true")).assert_problem(501, "not_implemented");
}

#[test]
fn group_aggregates_are_series_of_the_group_code_as_the_json_api_computes_them() {
    let (app, _) = app_with_data();
    let found = observations(&data(&app, &format!("A.WORLD+AFR.{INTERNET}._T._T"), "startPeriod=2020&endPeriod=2020"));
    let json = app.get(&format!("/api/v1/indicators/{INTERNET}/aggregates?group=WORLD&year=2020")).json();
    let point = &json["series"][0];
    let world = found.iter().find(|o| o.0 == "WORLD").expect("a WORLD series");
    assert_eq!(world.4, point["value"].as_f64().unwrap());
    // Two economies are far below the coverage floor: the aggregate rests on estimates.
    assert_eq!(point["meets_min_reported"], false);
    assert_eq!(world.5, "E");
    assert!(found.iter().any(|o| o.0 == "AFR"));
    // No group series for a breakdown no group has data for.
    data(&app, &format!("A.WORLD.{INTERNET}.male._T"), "").assert_problem(404, "no_results_found");
}

fn post_sdmx(app: &TestApp, key: &str, version: &str, query: &str, body: &str) -> Resp {
    let request = app
        .request("POST", &format!("/api/v1/observations{query}"))
        .set("Authorization", &format!("Bearer {key}"))
        .set("Idempotency-Key", &format!("sdmx-{version}"));
    crate::support::send(request, Some((&format!("application/vnd.sdmx.data+csv; version={version}"), body.as_bytes())))
}

#[test]
fn sdmx_csv_exports_come_back_unchanged_through_the_same_checks() {
    let (app, key) = app_with_data();
    let before = app.get("/api/v1/observations?limit=1000").body;
    for (version, format) in [("1.0.0", "csv"), ("2.0.0", "csv2")] {
        let export = data(&app, "A.KEN+UGA..._T", &format!("format={format}"));
        assert_eq!(export.status, 200, "{}", export.body);
        let dry = post_sdmx(&app, &key, version, "?dry_run=true", &export.body);
        assert_eq!(dry.status, 200, "{version}: {}", dry.body);
        let sent = post_sdmx(&app, &key, version, "", &export.body);
        assert_eq!(sent.status, 201, "{version}: {}", sent.body);
        let counts = &sent.json()["counts"];
        assert_eq!((counts["created"].as_u64(), counts["revised"].as_u64()), (Some(0), Some(0)), "{version}: {counts}");
        assert_eq!(counts["unchanged"], 12, "{version}: every value of KEN and UGA, netp included");
        let again = post_sdmx(&app, &key, version, "", &export.body);
        assert_eq!(again.header("idempotent-replayed"), Some("true"), "{version}");
    }
    assert_eq!(app.get("/api/v1/observations?limit=1000").body, before, "the round trips changed nothing");

    // A bad line rejects the batch and names its line and SDMX column, with every problem.
    let body = format!(
        "DATAFLOW,FREQ,REF_AREA,INDICATOR,SEX,URBANISATION,TIME_PERIOD,OBS_VALUE,NATURE\n\
         C2030:CONNECT2030(1.0),A,KEN,{INTERNET},_T,_T,2023,30.5,C\n\
         C2030:CONNECT2030(1.0),A,KEN,{INTERNET},_T,_T,2023,130,C\n\
         C2030:CONNECT2030(1.0),A,WORLD,{INTERNET},_T,_T,2023,60,X\n"
    );
    let rejected = post_sdmx(&app, &key, "1.0.0", "", &body);
    let problem = rejected.assert_problem(422, "validation_failed");
    let errors: Vec<_> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["index"].as_u64().unwrap(), e["field"].as_str().unwrap().to_string()))
        .collect();
    assert!(errors.contains(&(3, "OBS_VALUE".into())), "{problem}");
    assert!(errors.contains(&(4, "REF_AREA".into())) && errors.contains(&(4, "NATURE".into())), "{problem}");
    assert!(!errors.iter().any(|(line, _)| *line == 2), "{problem}");
    assert_eq!(app.get("/api/v1/observations?limit=1000").body, before, "nothing was written");
    let unknown = post_sdmx(&app, &key, "3.0.0", "", &body);
    unknown.assert_problem(415, "unsupported_media_type");
}

#[test]
fn the_agency_id_is_a_setting() {
    let app = TestApp::spawn_with(|settings| settings.sdmx_agency = "ITU".into());
    let flow = app.get("/sdmx/rest/dataflow/ITU/CONNECT2030/latest");
    assert_eq!(elements(&xml(&flow), "Dataflow")[0].attribute("agencyID"), Some("ITU"));
    app.get("/sdmx/rest/dataflow/C2030/CONNECT2030/latest").assert_problem(404, "no_results_found");
    app.get("/sdmx/rest/data/C2030,CONNECT2030/all").assert_problem(404, "no_results_found");
    let key = app.admin_key();
    let upload = |flow: &str, query: &str| {
        let body = format!(
            "DATAFLOW,FREQ,REF_AREA,INDICATOR,SEX,URBANISATION,TIME_PERIOD,OBS_VALUE\n{flow},A,KEN,{INTERNET},_T,_T,2020,20\n"
        );
        post_sdmx(&app, &key, "1.0.0", query, &body)
    };
    let problem = upload("C2030:CONNECT2030(1.0)", "").assert_problem(422, "validation_failed");
    assert_eq!(problem["errors"][0]["code"], "unknown_dataflow", "{problem}");
    assert_eq!(upload("ITU:CONNECT2030(1.0)", "").status, 201);
    let csv = data(&app, "all", "format=csv");
    assert!(csv.body.lines().nth(1).unwrap().starts_with("ITU:CONNECT2030(1.0),"), "{}", csv.body);
}
