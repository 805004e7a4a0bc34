//! What a browser is told about the pages, the docs and the charts: a Content-Security-Policy
//! each, frame protection on pages, charts embeddable anywhere.

use crate::support::TestApp;

fn directives(policy: &str) -> Vec<String> {
    policy.split(';').map(|d| d.trim().to_string()).filter(|d| !d.is_empty()).collect()
}

#[test]
fn pages_get_a_strict_policy_they_actually_satisfy_and_may_not_be_framed() {
    let app = TestApp::spawn();
    for path in ["/", "/targets/1.2", "/countries/KEN", "/?lang=zh"] {
        let page = app.get(path);
        assert_eq!(page.status, 200, "{path}");
        let policy = directives(page.header("content-security-policy").unwrap_or_else(|| panic!("{path}: no CSP")));
        for wanted in ["default-src 'none'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'"] {
            assert!(policy.iter().any(|d| d == wanted), "{path}: {policy:?} lacks {wanted}");
        }
        assert!(!policy.iter().any(|d| d.contains("unsafe")), "{path}: {policy:?}");
        assert_eq!(page.header("x-frame-options"), Some("DENY"), "{path}");
        // The policy holds only if the page needs nothing it forbids.
        let doc = scan_page(&page.body);
        assert!(doc.inline_scripts == 0 && doc.style_elements == 0 && doc.style_attributes == 0, "{path}: {doc:?}");
        assert!(doc.handlers == 0, "{path}: inline event handlers");
        for url in doc.loaded {
            assert!(url.starts_with('/') && !url.starts_with("//") || url == "data:,", "{path}: loads {url}");
        }
    }
}

#[test]
fn the_docs_get_their_own_policy_and_charts_stay_embeddable() {
    let app = TestApp::spawn();
    let docs = app.get("/docs/");
    let policy = directives(docs.header("content-security-policy").unwrap());
    assert!(policy.iter().any(|d| d == "frame-ancestors 'none'"), "{policy:?}");
    assert!(policy.iter().any(|d| d == "script-src 'self'"), "Swagger UI runs its own bundle only: {policy:?}");
    assert!(policy.iter().any(|d| d == "connect-src 'self'"), "it fetches the specification: {policy:?}");
    assert_eq!(docs.header("x-frame-options"), Some("DENY"));
    assert!(docs.body.contains("swagger-ui-bundle.js"));
    let init = app.get("/docs/swagger-initializer.js");
    assert!(init.body.contains("\"validatorUrl\": \"none\""), "no badge from another host: {}", init.body);

    let chart = app.get("/api/v1/progress/targets/1.2/chart.svg");
    assert_eq!(chart.status, 200);
    let policy = directives(chart.header("content-security-policy").expect("an SVG policy"));
    assert!(policy.iter().any(|d| d == "default-src 'none'"), "{policy:?}");
    assert!(!policy.iter().any(|d| d.starts_with("frame-ancestors")), "embeddable from any origin: {policy:?}");
    assert_eq!(chart.header("x-frame-options"), None);
    assert!(!chart.body.contains("<script"));
    assert_eq!(app.get("/api/v1/goals").header("content-security-policy"), None, "JSON needs none");
}

/// What an HTML page runs and loads, counted from its text.
#[derive(Debug, Default)]
struct Scan {
    inline_scripts: usize,
    style_elements: usize,
    style_attributes: usize,
    handlers: usize,
    loaded: Vec<String>,
}

fn scan_page(html: &str) -> Scan {
    let mut scan = Scan::default();
    for tag in html.split('<').skip(1) {
        let tag = tag.split('>').next().unwrap_or_default();
        let name = tag.split_whitespace().next().unwrap_or_default().to_ascii_lowercase();
        let attribute = |wanted: &str| {
            tag.split_whitespace()
                .find_map(|a| a.strip_prefix(&format!("{wanted}=\"")))
                .map(|v| v.trim_end_matches('/').trim_end_matches('"').to_string())
        };
        match name.as_str() {
            "script" => match attribute("src") {
                Some(src) => scan.loaded.push(src),
                None => scan.inline_scripts += 1,
            },
            "style" => scan.style_elements += 1,
            "link" | "img" => scan.loaded.extend(attribute("href").or_else(|| attribute("src"))),
            _ => {}
        }
        let lower = tag.to_ascii_lowercase();
        scan.style_attributes += lower.matches(" style=").count();
        scan.handlers += lower.split_whitespace().filter(|a| a.starts_with("on") && a.contains('=')).count();
    }
    scan
}
