use crate::support::TestApp;

#[test]
fn serves_the_five_goals_with_their_targets() {
    let app = TestApp::spawn();
    let response = app.get("/api/v1/goals");
    assert_eq!(response.status, 200);
    let body = response.json();
    let goals = body["goals"].as_array().unwrap();
    assert_eq!(goals.len(), 5);
    assert_eq!(goals[0]["name"], "Growth");
    assert_eq!(goals[4]["name"], "Partnership");
    assert_eq!(body["meta"]["count"], 5);
    let all_targets: usize = goals.iter().map(|g| g["targets"].as_array().unwrap().len()).sum();
    assert_eq!(all_targets, 24);
    assert_eq!(app.get("/api/v1/goals/3").json()["targets"], serde_json::json!(["3.1", "3.2", "3.3", "3.4", "3.5"]));
}

#[test]
fn serves_the_twenty_four_targets_with_their_rules() {
    let app = TestApp::spawn();
    let body = app.get("/api/v1/targets").json();
    let targets = body["targets"].as_array().unwrap();
    assert_eq!(targets.len(), 24);
    let ids: Vec<_> = targets.iter().map(|t| t["id"].as_str().unwrap()).collect();
    for id in ["1.4", "1.7", "2.1.A", "3.1", "3.5", "4.1", "5.1"] {
        assert!(ids.contains(&id), "missing {id}");
    }
    let affordability = app.get("/api/v1/targets/2.3.b").json();
    assert_eq!(affordability["id"], "2.3.B");
    assert_eq!(affordability["rule"]["kind"], "level");
    assert_eq!(affordability["rule"]["target_value"], 3.0);
    assert_eq!(affordability["rule"]["comparator"], "<=");
    assert_eq!(affordability["rule"]["direction"], "lower_is_better");
    assert_eq!(affordability["rule"]["group"], "DEVELOPING");
    assert_eq!(affordability["rule"]["deadline_year"], 2023);
    let cyber = app.get("/api/v1/targets/3.1").json();
    assert_eq!(cyber["rule"]["kind"], "share_of_countries");
    assert_eq!(cyber["priority"], true);
    assert_eq!(cyber["indicators"].as_array().unwrap().len(), 3);
    let goal_two = app.get("/api/v1/targets?goal=2").json();
    assert_eq!(goal_two["targets"].as_array().unwrap().len(), 10);
}

#[test]
fn chinese_is_chosen_by_accept_language_and_english_is_the_fallback() {
    let app = TestApp::spawn();
    let zh = app.get_with("/api/v1/goals/1", &[("Accept-Language", "zh-CN,zh;q=0.9,en;q=0.5")]);
    assert_eq!(zh.header("content-language"), Some("zh"));
    assert_eq!(zh.json()["name"], "增长");
    assert_eq!(zh.json()["language"], "zh");
    let fallback = app.get_with("/api/v1/targets/1.2", &[("Accept-Language", "fr")]);
    assert_eq!(fallback.header("content-language"), Some("en"));
    assert_eq!(fallback.json()["language"], "en");
    assert!(fallback.json()["text"].as_str().unwrap().contains("70%"));
    let list = app.get_with("/api/v1/targets", &[("Accept-Language", "zh")]).json();
    assert_eq!(list["meta"]["language"], "zh");
    assert_eq!(list["targets"][0]["text"], "全球65%的家庭应接入互联网");
}

#[test]
fn lists_member_states_with_region_and_groups() {
    let app = TestApp::spawn();
    let members = app.get("/api/v1/countries?member=true").json();
    assert_eq!(members["countries"].as_array().unwrap().len(), 194);
    let kenya = app.get("/api/v1/countries/ken").json();
    assert_eq!(kenya["iso3"], "KEN");
    assert_eq!(kenya["itu_member"], true);
    assert_eq!(kenya["itu_region"]["code"], "AFR");
    let groups: Vec<_> = kenya["groups"].as_array().unwrap().iter().map(|g| g.as_str().unwrap()).collect();
    assert!(groups.contains(&"DEVELOPING") && groups.contains(&"WORLD"), "{groups:?}");
    let palau = app.get("/api/v1/countries/PLW").json();
    assert_eq!(palau["itu_member_since"], "2024-09-19");
    let palestine = app.get("/api/v1/countries/PSE").json();
    assert_eq!(palestine["itu_member"], false, "non-member economies still appear in statistics");
    let sids = app.get("/api/v1/countries?group=sids").json();
    assert!(sids["countries"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["groups"].as_array().unwrap().contains(&"SIDS".into())));
}

#[test]
fn groups_list_their_members_with_effective_dates() {
    let app = TestApp::spawn();
    let groups = app.get("/api/v1/groups").json();
    let codes: Vec<_> = groups["groups"].as_array().unwrap().iter().map(|g| g["code"].as_str().unwrap()).collect();
    for code in [
        "WORLD",
        "AFR",
        "AMS",
        "ARB",
        "ASP",
        "CIS",
        "EUR",
        "DEVELOPING",
        "DEVELOPED",
        "LDC",
        "LLDC",
        "SIDS",
        "LIC",
        "HIC",
    ] {
        assert!(codes.contains(&code), "missing group {code}");
    }
    let ldc = app.get("/api/v1/groups/LDC").json();
    let members = ldc["members"].as_array().unwrap();
    let vanuatu = members.iter().find(|m| m["iso3"] == "VUT").expect("Vanuatu was an LDC");
    assert_eq!(vanuatu["valid_to"], "2020-12-04");
    assert_eq!(vanuatu["current"], false);
    let afghanistan = members.iter().find(|m| m["iso3"] == "AFG").unwrap();
    assert_eq!(afghanistan["current"], true);
    assert_eq!(ldc["current_members"], members.iter().filter(|m| m["current"] == true).count());
}

#[test]
fn indicators_carry_unit_range_direction_and_aggregation() {
    let app = TestApp::spawn();
    let list = app.get("/api/v1/indicators").json();
    assert!(list["indicators"].as_array().unwrap().len() >= 20);
    let internet = app.get("/api/v1/indicators/individuals_internet_pct").json();
    assert_eq!(internet["unit"], "percent");
    assert_eq!(internet["min_value"], 0.0);
    assert_eq!(internet["max_value"], 100.0);
    assert_eq!(internet["direction"], "higher_is_better");
    assert_eq!(internet["aggregation"], "population_weighted_mean");
    assert_eq!(internet["disaggregations"][0]["dimension"], "sex");
    let netp = app.get("/api/v1/indicators/netp").json();
    assert_eq!(netp["unit"], "boolean");
    assert_eq!(netp["aggregation"], "share_of_countries");
}

#[test]
fn unchanged_catalogue_answers_304_to_its_etag() {
    let app = TestApp::spawn();
    let first = app.get("/api/v1/targets");
    let etag = first.header("etag").expect("an ETag").to_string();
    assert!(etag.starts_with('"'), "strong ETag: {etag}");
    let again = app.get_with("/api/v1/targets", &[("If-None-Match", &etag)]);
    assert_eq!(again.status, 304);
    assert!(again.body.is_empty());
    let chinese = app.get_with("/api/v1/targets", &[("If-None-Match", &etag), ("Accept-Language", "zh")]);
    assert_eq!(chinese.status, 200, "another language is another representation");
}

#[test]
fn health_and_readiness_answer() {
    let app = TestApp::spawn();
    assert_eq!(app.get("/health").json()["status"], "ok");
    assert_eq!(app.get("/ready").json()["status"], "ready");
}
