//! The crate's modules depend on each other in one direction only. This test reads every file
//! under `src/`, collects the modules each one names (`crate::x`, and `super::y` for a sibling in
//! `src/web/`), and fails on a cycle, naming it, and on a module that uses one listed after it in
//! [`ORDER`].
//!
//! `ORDER` is the layering, lowest first: a module may use only modules before it. A new module
//! goes into it at the place its dependencies allow (a module of rules built on `params`, for
//! instance, goes right after `params`).
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)] // tests may panic

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The modules in dependency order, lowest first.
const ORDER: &[&str] = &[
    // Text helpers; the JSON-like value; JSON text ⇄ value.
    "text",
    "value",
    "json",
    // Errors (and the JSON the glue makes a BillingKeyError of); the checks rules are made of.
    "error",
    "checks",
    // Single values and options.
    "amount",
    "options",
    "merchant_uid",
    // The one table of every field (the window's and the server client's requests) and its reader.
    "fields",
    // The id rules shared with the server crate (customer_uid, merchant_uid), from the table.
    "rules",
    // The params and their builder.
    "params",
    "builder",
    // What comes back: the callback's result, the redirect page's result.
    "response",
    "redirect",
    // The entry points: off the browser; in the browser.
    "native",
    "web::bindings",
    "web::page",
    "web::settle",
    "web::request",
    "web::loader",
    "web::exports",
    "web::api",
    "web::js",
    "web",
];

/// Every `.rs` file under `src/` as (module path, text), the crate root left out (it declares and
/// re-exports everything).
fn modules() -> BTreeMap<String, String> {
    fn walk(dir: &Path, prefix: &str, out: &mut BTreeMap<String, String>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir).expect("src/ is readable").map(|e| e.expect("a dir entry").path()).collect();
        entries.sort();
        for path in entries {
            let name = path.file_stem().and_then(|s| s.to_str()).expect("a UTF-8 file name").to_owned();
            if path.is_dir() {
                let inner = if prefix.is_empty() { name.clone() } else { format!("{prefix}::{name}") };
                walk(&path, &inner, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let module = match (prefix, name.as_str()) {
                    ("", "lib") => continue,
                    (p, "mod") => p.to_owned(),
                    ("", n) => n.to_owned(),
                    (p, n) => format!("{p}::{n}"),
                };
                out.insert(module, std::fs::read_to_string(&path).expect("a readable source file"));
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), "", &mut out);
    out
}

/// The code of a file: without its comment lines (doc examples name the public API) and without
/// its unit tests (the `#[cfg(test)]` module at the end, which may use anything).
fn code(text: &str) -> String {
    let body = text.split("#[cfg(test)]\nmod tests").next().unwrap_or(text);
    body.lines().filter(|l| !l.trim_start().starts_with("//")).map(|l| l.split(" //").next().unwrap_or(l)).collect::<Vec<_>>().join("\n")
}

/// The identifiers that follow each occurrence of `prefix` (`crate::`, `super::`), and those
/// inside a `{…}` group right after it (`use crate::{a, b::c}`).
fn names_after(code: &str, prefix: &str) -> Vec<Vec<String>> {
    let ident = |s: &str| s.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect::<String>();
    let mut out = Vec::new();
    for (at, _) in code.match_indices(prefix) {
        // Skip `…crate::` inside a longer path (`$crate::`, `mycrate::`).
        if code[..at].chars().next_back().is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$') {
            continue;
        }
        let rest = &code[at + prefix.len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let inner = group.split('}').next().unwrap_or("");
            for item in inner.split(',') {
                let path: Vec<String> = item.trim().split("::").map(ident).collect();
                out.push(path);
            }
        } else {
            out.push(rest.split("::").map(ident).take(2).collect());
        }
    }
    out
}

/// The modules `module` uses.
fn uses(module: &str, text: &str, all: &BTreeSet<String>) -> BTreeSet<String> {
    let code = code(text);
    let parent = module.rsplit_once("::").map(|(p, _)| p.to_owned());
    let mut out = BTreeSet::new();
    let mut add = |candidate: String| {
        if candidate != module && all.contains(&candidate) {
            out.insert(candidate);
        }
    };
    for path in names_after(&code, "crate::") {
        let first = path.first().cloned().unwrap_or_default();
        match path.get(1) {
            Some(second) if all.contains(&format!("{first}::{second}")) => add(format!("{first}::{second}")),
            _ => add(first),
        }
    }
    // `super::x` in a file of `src/web/` is the sibling `web::x`, or else the parent `web` itself.
    if let Some(parent) = parent {
        for path in names_after(&code, "super::") {
            let sibling = format!("{parent}::{}", path.first().cloned().unwrap_or_default());
            if all.contains(&sibling) {
                add(sibling);
            } else {
                add(parent.clone());
            }
        }
    }
    // A module's `mod.rs` uses the children it re-exports (`pub use api::…`), not those it declares.
    for line in code.lines().map(str::trim) {
        if let Some(rest) = line.strip_prefix("pub use ").or_else(|| line.strip_prefix("use ")) {
            let child = format!("{module}::{}", rest.split("::").next().unwrap_or(""));
            add(child);
        }
    }
    out
}

fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let modules = modules();
    let all: BTreeSet<String> = modules.keys().cloned().collect();
    modules.iter().map(|(m, text)| (m.clone(), uses(m, text, &all))).collect()
}

/// A cycle in `graph`, as the path of modules that closes it, if there is one.
fn find_cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        done: &mut BTreeSet<String>,
        path: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|p| p == node) {
            let mut cycle = path[at..].to_vec();
            cycle.push(node.to_owned());
            return Some(cycle);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_owned());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, graph, done, path) {
                return Some(cycle);
            }
        }
        path.pop();
        done.insert(node.to_owned());
        None
    }
    let mut done = BTreeSet::new();
    graph.keys().find_map(|start| visit(start, graph, &mut done, &mut Vec::new()))
}

#[test]
fn the_module_graph_has_no_cycle() {
    let graph = graph();
    assert!(graph.len() >= ORDER.len() - 1, "the source files were not found: {graph:?}");
    if let Some(cycle) = find_cycle(&graph) {
        panic!("src/ has a cycle of modules: {}", cycle.join(" → "));
    }
}

#[test]
fn every_module_uses_only_modules_before_it_in_the_order() {
    let graph = graph();
    let place = |m: &str| ORDER.iter().position(|o| *o == m);
    let mut problems = Vec::new();
    for (module, uses) in &graph {
        let Some(at) = place(module) else {
            problems.push(format!("{module} is not in ORDER: add it where its dependencies allow"));
            continue;
        };
        for used in uses {
            match place(used) {
                Some(u) if u < at => {}
                _ => problems.push(format!("{module} uses {used}, which does not come before it in ORDER")),
            }
        }
    }
    for listed in ORDER {
        if !graph.contains_key(*listed) {
            problems.push(format!("ORDER lists {listed}, which is not a file under src/"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The reader itself: it sees `use crate::` lines, `{…}` groups, inline paths and `super::`, and
/// ignores comments, doc examples and unit tests.
#[test]
fn the_reader_finds_what_a_file_uses() {
    let all: BTreeSet<String> =
        ["text", "value", "json", "error", "web", "web::bindings", "web::page"].iter().map(|s| s.to_string()).collect();
    let text = "//! see [`crate::json`]\n\
        use crate::{text::concat, value::Value};\n\
        use super::bindings;\n\
        fn f() { let _ = crate::error::Error::InProgress; super::helper(); }\n\
        /// ```\n/// crate::json::parse(\"1\");\n/// ```\n\
        #[cfg(test)]\nmod tests {\n    use crate::json;\n}\n";
    let got = uses("web::page", text, &all);
    let want: BTreeSet<String> = ["text", "value", "error", "web::bindings", "web"].iter().map(|s| s.to_string()).collect();
    assert_eq!(got, want);

    let looped: BTreeMap<String, BTreeSet<String>> = [("a", "b"), ("b", "c"), ("c", "a")]
        .iter()
        .map(|(m, u)| (m.to_string(), BTreeSet::from([u.to_string()])))
        .collect();
    assert_eq!(find_cycle(&looped), Some(["a", "b", "c", "a"].map(String::from).to_vec()));
    let chain: BTreeMap<String, BTreeSet<String>> =
        [("a", "b"), ("b", "c")].iter().map(|(m, u)| (m.to_string(), BTreeSet::from([u.to_string()]))).collect();
    assert_eq!(find_cycle(&chain), None);
}
