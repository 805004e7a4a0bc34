//! Dependencies point one way: `domain` <- `db` <- `state` <- `auth`/`api`/`middleware`, and
//! `domain` <- `sdmx` (pure SDMX mapping) <- `api`.
//! This reads every file under `src/` and fails on a `crate::` path that breaks the rule.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The top-level modules a layer may not name, with why.
const RULES: &[(&str, &[&str], &str)] = &[
    (
        "domain",
        &[
            "db",
            "api",
            "auth",
            "middleware",
            "error",
            "state",
            "startup",
            "routes",
            "admin",
            "public_data",
            "web",
            "sdmx",
        ],
        "domain is pure: no I/O layer",
    ),
    (
        "sdmx",
        &[
            "db",
            "api",
            "auth",
            "middleware",
            "error",
            "state",
            "startup",
            "routes",
            "admin",
            "public_data",
            "web",
            "config",
        ],
        "the SDMX mapping is pure: it names only domain; api::sdmx serves it",
    ),
    (
        "db",
        &["api", "auth", "middleware", "error", "state", "startup", "routes", "admin", "public_data", "web", "sdmx"],
        "db knows domain and config only; its errors are DbError",
    ),
    (
        "state",
        &["api", "auth", "middleware", "error", "startup", "routes", "web"],
        "shared state sits under the HTTP layers",
    ),
    ("middleware", &["api", "routes", "startup", "web"], "middleware sits beside api, not on it"),
    ("api", &["web", "routes", "startup"], "the dashboard (web) is drawn from api's views, never the reverse"),
];

/// Top-level modules named by `crate::` paths in a source text: `use crate::a::b;`,
/// `crate::a::f()`, `use crate::{a, b::c};` (and `$crate::` in macros).
fn imported_modules(text: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let ident = |s: &str| s.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect::<String>();
    for (at, _) in text.match_indices("crate::") {
        if text[..at].ends_with(|c: char| c.is_alphanumeric() || c == '_') {
            continue; // e.g. `mycrate::`
        }
        let rest = &text[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            // Nested braces only occur after a module name, so the first segment of each
            // top-level item is enough.
            for item in group[..end].split(',') {
                let name = ident(item.trim());
                if !name.is_empty() {
                    found.insert(name);
                }
            }
        } else {
            found.insert(ident(rest));
        }
    }
    found
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Every breach of [`RULES`] in `src/`, as `file: names module (why)`.
fn violations(src: &Path) -> Vec<String> {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    let mut found = Vec::new();
    for file in files {
        let relative = file.strip_prefix(src).unwrap();
        let layer =
            relative.components().next().unwrap().as_os_str().to_string_lossy().trim_end_matches(".rs").to_string();
        let Some((_, forbidden, why)) = RULES.iter().find(|(name, _, _)| *name == layer) else { continue };
        let text = std::fs::read_to_string(&file).unwrap();
        for module in imported_modules(&text) {
            if forbidden.contains(&module.as_str()) {
                found.push(format!("{}: names `crate::{module}` ({why})", relative.display()));
            }
        }
    }
    found
}

#[test]
fn the_import_reader_sees_every_form_of_crate_path() {
    let text = "use crate::db::Db;\nuse crate::{api, error::ApiError};\nlet x = crate::auth::f();\n\
                $crate::state::X; mycrate::api::Y;";
    let expected: BTreeSet<String> = ["db", "api", "error", "auth", "state"].map(String::from).into();
    assert_eq!(imported_modules(text), expected);
}

#[test]
fn dependencies_point_one_way() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let found = violations(&src);
    assert!(found.is_empty(), "modules import against the layering (see README, Layout):\n{}", found.join("\n"));
}
