//! The dashboard pages and the embeddable chart, through the real HTTP stack: what a reader
//! (or an `<img>` tag) receives.

use crate::support::TestApp;
use serde_json::json;

fn count(haystack: &str, needle: &str) -> usize {
    haystack.matches(needle).count()
}

#[test]
fn the_dashboard_shows_24_target_tiles_with_the_statuses_of_the_json_overview() {
    let app = TestApp::spawn_with_public_data();
    let page = app.get("/");
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.header("content-type").unwrap().starts_with("text/html"));
    assert_eq!(count(&page.body, "class=\"tile\""), 24);
    let overview = app.get("/api/v1/progress").json();
    for goal in overview["goals"].as_array().unwrap() {
        assert!(page.body.contains(goal["name"].as_str().unwrap()));
        for target in goal["targets"].as_array().unwrap() {
            let tile = format!(
                "data-target=\"{}\" data-status=\"{}\"",
                target["id"].as_str().unwrap(),
                target["progress"]["assessment"]["status"].as_str().unwrap()
            );
            assert!(page.body.contains(&tile), "missing {tile}");
        }
    }
    assert!(page.body.contains("href=\"/targets/1.2\""), "tiles link to their target page");
    assert!(page.body.contains("Target achieved"), "the status is written in words, not only colour");
}

#[test]
fn chinese_is_chosen_by_accept_language_or_by_the_lang_switch() {
    let app = TestApp::spawn();
    let by_header = app.get_with("/", &[("Accept-Language", "zh-CN,zh;q=0.9")]);
    assert!(by_header.body.contains("<html lang=\"zh\">") && by_header.body.contains("增长"), "goal 1 in Chinese");
    assert_eq!(by_header.header("content-language"), Some("zh"));
    let by_switch = app.get_with("/?lang=zh", &[("Accept-Language", "en")]);
    assert!(by_switch.body.contains("增长") && by_switch.body.contains("href=\"/targets/1.2?lang=zh\""));
    let english = app.get("/?lang=en");
    assert!(english.body.contains("Growth") && !english.body.contains("增长"));
    assert!(english.body.contains("href=\"/?lang=zh\""), "a visible switch to Chinese");
    app.get("/?lang=fr").assert_problem(400, "invalid_query");
    app.get("/?colour=red").assert_problem(400, "invalid_query");
}

#[test]
fn a_target_page_charts_every_year_of_the_world_series_and_lists_every_country() {
    let app = TestApp::spawn_with_public_data();
    let page = app.get("/targets/1.2");
    assert_eq!(page.status, 200, "{}", page.body);
    let json = app.get("/api/v1/progress/targets/1.2").json();
    let main = page.body.split("class=\"main-chart\"").nth(1).unwrap().split("</figure>").next().unwrap();
    let years = json["headline"]["series"].as_array().unwrap().len();
    assert_eq!(count(main, "<circle class=\"point"), years);
    assert!(main.contains("class=\"target\"") && main.contains("class=\"deadline\""));
    assert_eq!(count(&page.body, "class=\"multiple\""), json["groups"].as_array().unwrap().len());
    let countries = json["countries"].as_array().unwrap();
    assert_eq!(count(&page.body, "href=\"/countries/"), countries.len());
    assert!(page.body.len() < 200_000, "the page weighs {} bytes", page.body.len());
    app.get("/targets/9.9").assert_problem(404, "unknown_target");
}

#[test]
fn a_country_page_lists_every_target_and_escapes_what_reporters_wrote() {
    let app = TestApp::spawn_with_public_data();
    let admin = app.admin_key();
    let initiative = json!({"country": "KEN", "kind": "strategy", "title": "<script>alert(1)</script> & plan",
        "summary": "Digital <b>master</b> plan", "url": "https://example.org/a?b=1&c=\"2\"", "targets": ["1.2"], "year": 2022});
    assert_eq!(app.post_json("/api/v1/initiatives", &admin, &initiative).status, 201);
    let page = app.get("/countries/ken");
    assert_eq!(page.status, 200, "{}", page.body);
    assert_eq!(count(&page.body, "<tr data-target="), 24);
    assert!(page.body.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; plan"));
    assert!(page.body.contains("Digital &lt;b&gt;master&lt;/b&gt; plan"));
    assert!(page.body.contains("href=\"https://example.org/a?b=1&amp;c=&quot;2&quot;\""));
    assert!(!page.body.contains("<script>alert"));
    app.get("/countries/XXX").assert_problem(404, "unknown_country");
}

#[test]
fn a_new_initiative_changes_the_country_page_etag() {
    let app = TestApp::spawn();
    let first = app.get("/countries/KEN");
    let etag = first.header("etag").unwrap().to_string();
    assert_eq!(app.get_with("/countries/KEN", &[("If-None-Match", &etag)]).status, 304);
    let admin = app.admin_key();
    let initiative = json!({"country": "KEN", "kind": "policy", "title": "Open access", "summary": "Shared ducts",
        "targets": ["2.4"]});
    assert_eq!(app.post_json("/api/v1/initiatives", &admin, &initiative).status, 201);
    let second = app.get_with("/countries/KEN", &[("If-None-Match", &etag)]);
    assert_eq!(second.status, 200);
    assert!(second.body.contains("Open access"));
}

#[test]
fn the_country_progress_answer_carries_each_numeric_target_series() {
    let app = TestApp::spawn_with_public_data();
    let body = app.get("/api/v1/progress/countries/KEN").json();
    let internet = body["targets"].as_array().unwrap().iter().find(|t| t["target"] == "1.2").unwrap();
    let series = internet["progress"]["series"].as_array().unwrap();
    let last = series.last().unwrap();
    assert_eq!(last["year"], internet["progress"]["assessment"]["current_year"]);
    assert_eq!(last["value"], internet["progress"]["assessment"]["current_value"]);
    let target = app.get("/api/v1/progress/targets/1.2").json();
    assert!(target["countries"][0].get("series").is_none(), "the target answer stays lean");
}

#[test]
fn the_svg_chart_is_tagged_titled_and_answers_304() {
    let app = TestApp::spawn_with_public_data();
    let chart = app.get("/api/v1/progress/targets/1.2/chart.svg");
    assert_eq!(chart.status, 200, "{}", chart.body);
    assert_eq!(chart.header("content-type"), Some("image/svg+xml"));
    assert!(chart.body.starts_with("<?xml") && chart.body.contains("<title id=\"chart-title\">1.2 · World</title>"));
    // With the default estimates (trend), the world in 2023 (India estimated).
    assert!(chart.body.contains("<desc id=\"chart-desc\">Latest: 70.2% in 2023"), "{}", chart.body);
    let etag = chart.header("etag").unwrap().to_string();
    let again = app.get_with("/api/v1/progress/targets/1.2/chart.svg", &[("If-None-Match", &etag)]);
    assert_eq!(again.status, 304);
    assert!(again.body.is_empty());

    let chinese = app.get("/api/v1/progress/targets/1.2/chart.svg?lang=zh");
    assert!(chinese.body.contains("最新值") && chinese.header("etag").unwrap() != etag);
    let kenya = app.get("/api/v1/progress/targets/1.2/chart.svg?country=KEN");
    assert!(kenya.body.contains("1.2 · Kenya"), "{}", kenya.body);
    app.get("/api/v1/progress/targets/1.2/chart.svg?country=XYZ").assert_problem(400, "unknown_country");
    let answer = app.get("/api/v1/progress/targets/1.4/chart.svg?country=KEN");
    assert!(answer.body.contains("<desc id=\"chart-desc\">Answer: No data.</desc>"), "{}", answer.body);
    app.get("/api/v1/progress/targets/1.2/chart.svg?method=nope").assert_problem(400, "invalid_query");
    app.get("/api/v1/progress/targets/0.0/chart.svg").assert_problem(404, "unknown_target");
}

#[test]
fn pages_need_nothing_from_another_host() {
    let app = TestApp::spawn_with_public_data();
    for path in ["/", "/targets/2.2.A", "/countries/KEN"] {
        let page = app.get(path);
        for attribute in ["src=\"", "href=\""] {
            for reference in page.body.split(attribute).skip(1) {
                let url = reference.split('"').next().unwrap();
                assert!(
                    url.starts_with('/') || url.starts_with('#') || url.starts_with('?') || url == "data:,",
                    "{path} refers to {url}"
                );
            }
        }
    }
    let css = app.get("/assets/dashboard.css");
    assert!(css.header("content-type").unwrap().starts_with("text/css") && !css.body.contains("url("));
    let etag = css.header("etag").unwrap().to_string();
    assert_eq!(app.get_with("/assets/dashboard.css", &[("If-None-Match", &etag)]).status, 304);
    assert!(app.get("/assets/dashboard.js").header("content-type").unwrap().starts_with("text/javascript"));
}

#[test]
fn points_resting_mostly_on_estimates_are_drawn_hollow() {
    let app = TestApp::spawn_with_public_data();
    let json = app.get("/api/v1/progress/targets/1.2?carry_forward=10").json();
    let page = app.get("/targets/1.2?carry_forward=10");
    let main = page.body.split("class=\"main-chart\"").nth(1).unwrap().split("</figure>").next().unwrap();
    let mut estimated = 0;
    for point in json["headline"]["series"].as_array().unwrap() {
        let coverage = &point["coverage"];
        let mostly = coverage["imputed_weight_share"].as_f64().unwrap_or(0.0)
            > coverage["reported_weight_share"].as_f64().unwrap_or(0.0);
        let circle = main
            .split("<circle ")
            .find(|c| c.contains(&format!("<title>{}:", point["year"])))
            .unwrap_or_else(|| panic!("no point for {}", point["year"]));
        assert_eq!(circle.contains("class=\"point estimated"), mostly, "{}: {circle}", point["year"]);
        estimated += usize::from(mostly);
    }
    assert!(estimated > 0, "carrying values ten years forward makes the latest year mostly estimated");
}

#[test]
fn a_country_page_lists_the_newest_initiatives_and_says_how_many_exist() {
    let app = TestApp::spawn();
    let admin = app.admin_key();
    let share = |n: usize| {
        let initiative = json!({"country": "KEN", "kind": "policy", "title": format!("Plan [{n:03}]"),
            "summary": "Shared ducts", "targets": ["2.4"]});
        assert_eq!(app.post_json("/api/v1/initiatives", &admin, &initiative).status, 201);
    };
    share(1);
    let one = app.get("/countries/KEN");
    assert!(one.body.contains("Plan [001]") && !one.body.contains("class=\"more\""), "all shown, nothing to say");
    for n in 2..=203 {
        share(n);
    }
    let page = app.get("/countries/KEN");
    assert_eq!(page.status, 200);
    assert_eq!(count(&page.body, "Plan ["), 200);
    let at = |n: usize| page.body.find(&format!("Plan [{n:03}]"));
    assert!(at(203).unwrap() < at(202).unwrap() && at(5).unwrap() < at(4).unwrap(), "newest first");
    assert!(at(3).is_none() && at(1).is_none(), "the oldest are left out");
    assert!(page.body.contains("The 200 newest of 203 initiatives are listed"), "says more exist");
    assert!(page.body.contains("href=\"/api/v1/initiatives?country=KEN\""), "links to the full list");
    assert_eq!(
        app.get("/api/v1/initiatives?country=KEN&limit=1000").json()["initiatives"].as_array().unwrap().len(),
        203
    );
    let chinese = app.get("/countries/KEN?lang=zh");
    assert!(chinese.body.contains("203项举措中最新的200项"));
}
