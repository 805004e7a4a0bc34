//! Dependencies point one way: `domain` <- `db` <- `state` <- `auth`/`api`/`middleware`, and
//! `domain` <- `sdmx` (pure SDMX mapping) <- `api`.
//! This reads every file under `src/` and fails on a `crate::` path that breaks the rule.

use std::collections::{BTreeMap, BTreeSet};
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
    named_after(text, "crate::")
}

/// The first segment of every path that starts with `prefix` (`crate::`, `super::`,
/// `crate::db::`) in a source text, braced groups included.
fn named_after(text: &str, prefix: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let ident = |s: &str| s.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect::<String>();
    for (at, _) in text.match_indices(prefix) {
        if text[..at].ends_with(|c: char| c.is_alphanumeric() || c == '_') {
            continue; // e.g. `mycrate::`
        }
        let rest = &text[at + prefix.len()..];
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

/// Which sibling modules each module of `src/db/` names (`super::x`, `crate::db::x`).
fn db_imports(db: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let mut files = Vec::new();
    rust_files(db, &mut files);
    let name = |file: &Path| file.file_stem().unwrap().to_string_lossy().to_string();
    let modules: BTreeSet<String> = files.iter().map(|f| name(f)).filter(|m| m != "mod").collect();
    let mut graph = BTreeMap::new();
    for file in &files {
        let module = name(file);
        if module == "mod" {
            continue;
        }
        // Doc links (`[x](super::y)`) name a module without depending on it.
        let text: String = std::fs::read_to_string(file)
            .unwrap()
            .lines()
            .filter(|line| !line.trim_start().starts_with("//"))
            .collect::<Vec<_>>()
            .join("\n");
        let mut named = named_after(&text, "super::");
        named.extend(named_after(&text, "crate::db::"));
        named.retain(|m| modules.contains(m) && *m != module);
        graph.insert(module, named);
    }
    graph
}

/// A cycle of the graph, as the modules along it with the first repeated at the end, if any.
fn cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|n| n == node) {
            let mut found = path[at..].to_vec();
            found.push(node.to_string());
            return Some(found);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(found) = visit(next, graph, path, done) {
                return Some(found);
            }
        }
        path.pop();
        done.insert(node.to_string());
        None
    }
    let mut done = BTreeSet::new();
    graph.keys().find_map(|node| visit(node, graph, &mut Vec::new(), &mut done))
}

#[test]
fn the_cycle_finder_finds_a_cycle_and_only_a_cycle() {
    let graph = |edges: &[(&str, &str)]| {
        let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for (from, to) in edges {
            graph.entry(from.to_string()).or_default().insert(to.to_string());
            graph.entry(to.to_string()).or_default();
        }
        graph
    };
    assert_eq!(cycle(&graph(&[("a", "b"), ("b", "c"), ("a", "c")])), None);
    let found = cycle(&graph(&[("a", "b"), ("b", "c"), ("c", "b")])).unwrap();
    assert_eq!(found, ["b", "c", "b"]);
    let text = "use super::write::{self, next_id};\nuse super::{DbError, observations::X};\n\
                $crate::db::schema::t; super::history::f()";
    let expected: BTreeSet<String> = ["write", "DbError", "observations", "history"].map(String::from).into();
    assert_eq!(named_after(text, "super::"), expected);
    assert_eq!(named_after(text, "crate::db::"), ["schema".to_string()].into());
}

#[test]
fn the_modules_of_db_name_each_other_without_a_cycle() {
    let db = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/db");
    let graph = db_imports(&db);
    assert!(graph.contains_key("ingest") && graph["ingest"].contains("write"), "{graph:?}");
    if let Some(found) = cycle(&graph) {
        panic!("modules of src/db import each other in a circle: {}", found.join(" -> "));
    }
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
    assert!(found.is_empty(), "modules import against the layering (see docs/ARCHITECTURE.md):\n{}", found.join("\n"));
}
