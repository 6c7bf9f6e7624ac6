//! The numbers that cross between the wasm and its JavaScript glue are named once, in Rust
//! (src/web/exports.rs: the calls and reports; src/web/bindings.rs: the settle kinds and the page
//! and sessionStorage operations), and js/glue.js writes each number with its name beside it
//! (`wasm.call(/* VALIDATE_PARAMS */ 2, …)`, or `/* WATCH_SCRIPT = 2 */` on a branch taken by
//! elimination). This test fails when the two sides differ, or when the glue passes or compares an
//! operation number without its name. The marker both JavaScript encoders (the glue's, and
//! js/server/api.js's) write in place of a value JSON cannot carry is the core's too: its key, its
//! tags and its limits.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)] // tests may panic

use std::collections::BTreeMap;

const EXPORTS: &str = include_str!("../src/web/exports.rs");
const BINDINGS: &str = include_str!("../src/web/bindings.rs");
const GLUE: &str = include_str!("../js/glue.js");

/// `const NAME: u32 = N;` in Rust source.
fn rust_constants(source: &str) -> Vec<(String, u32)> {
    source
        .lines()
        .filter_map(|line| {
            let rest = line.trim().trim_start_matches("pub(crate) ").strip_prefix("const ")?;
            let (name, rest) = rest.split_once(": u32 = ")?;
            Some((name.to_owned(), rest.trim_end_matches(';').parse().ok()?))
        })
        .collect()
}

/// `/* NAME */ N` and `/* NAME = N */` in the glue.
fn glue_names(source: &str) -> Vec<(String, u32)> {
    let mut out = Vec::new();
    for piece in source.split("/* ").skip(1) {
        let Some((inside, after)) = piece.split_once(" */") else { continue };
        let named = |name: &str| !name.is_empty() && name.bytes().all(|b| b.is_ascii_uppercase() || b == b'_');
        if let Some((name, n)) = inside.split_once(" = ") {
            let n = n.split(|c: char| !c.is_ascii_digit()).next().unwrap_or("");
            if named(name) {
                out.push((name.to_owned(), n.parse().expect("a number after =")));
            }
        } else if named(inside) {
            let n: String = after.trim_start().chars().take_while(char::is_ascii_digit).collect();
            out.push((inside.to_owned(), n.parse().unwrap_or_else(|_| panic!("glue.js: /* {inside} */ is not followed by its number"))));
        }
    }
    out
}

#[test]
fn the_glue_names_every_number_the_wasm_defines() {
    let rust: BTreeMap<String, u32> = rust_constants(EXPORTS).into_iter().chain(rust_constants(BINDINGS)).collect();
    for name in ["REQUEST_BILLING_KEY", "VALIDATE_PARAMS", "ON_CALLBACK", "ON_SCRIPT", "REJECT", "RESOLVE_WITH_RAW", "REQUEST_PAY", "SESSION_REMOVE"] {
        assert!(rust.contains_key(name), "the Rust side defines {name}");
    }
    let glue = glue_names(GLUE);
    for (name, n) in &glue {
        assert_eq!(rust.get(name), Some(n), "js/glue.js says {name} is {n}; src/web says {:?}", rust.get(name));
    }
    for (name, n) in &rust {
        assert!(glue.iter().any(|(g, m)| g == name && m == n), "js/glue.js does not name {name} ({n})");
    }
}

#[test]
fn the_glue_passes_and_compares_no_bare_operation_number() {
    for needle in ["wasm.call(", "wasm.report(", "kind === ", "op === "] {
        for (i, piece) in GLUE.split(needle).enumerate().skip(1) {
            assert!(piece.starts_with("/* "), "js/glue.js: `{needle}` #{i} passes or compares a number without its name: {needle}{}", piece.lines().next().unwrap_or(""));
        }
    }
}

const SERVER_API: &str = include_str!("../js/server/api.js");

/// The marker tags a JavaScript encoder writes: `mark('object')`-style literals, and for
/// `mark(type)` the `type === '…'` values compared on its line.
fn written_tags(source: &str, mark: &str) -> Vec<String> {
    let mut tags = Vec::new();
    for line in source.lines() {
        for piece in line.split(&format!("{mark}(")).skip(1) {
            if let Some(tag) = piece.strip_prefix('\'').and_then(|rest| rest.split_once('\'')).map(|(tag, _)| tag) {
                tags.push(tag.to_owned());
            } else if piece.starts_with("type)") {
                let compared: Vec<&str> = line.split("type === '").skip(1).filter_map(|p| p.split_once('\'').map(|(t, _)| t)).collect();
                assert!(!compared.is_empty(), "{mark}(type) on a line that names no type: {line}");
                tags.extend(compared.iter().map(|t| (*t).to_owned()));
            } else {
                panic!("{mark}( with neither a tag nor `type`: {line}");
            }
        }
    }
    tags.sort();
    tags.dedup();
    tags
}

/// The number in `const NAME = N;` (or `1 << K`) in JavaScript source.
fn js_number(source: &str, name: &str) -> u64 {
    let line = source.lines().find(|l| l.starts_with(&format!("const {name} = "))).unwrap_or_else(|| panic!("no const {name}"));
    let value = line.split_once(" = ").unwrap().1.split(';').next().unwrap();
    match value.split_once(" << ") {
        Some((a, b)) => a.parse::<u64>().unwrap() << b.parse::<u32>().unwrap(),
        None => value.parse().unwrap(),
    }
}

#[test]
fn both_javascript_encoders_write_the_cores_markers() {
    use iamport_billing::internals::json::{marker_kind, MARKER_KEY, MARKER_TAGS, MAX_DEPTH};
    let rust: Vec<String> = {
        let mut t: Vec<String> = MARKER_TAGS.iter().map(|(tag, _)| (*tag).to_owned()).collect();
        t.sort();
        t
    };
    for (tag, kind) in MARKER_TAGS {
        assert_eq!(marker_kind(tag), kind, "{tag}");
    }
    let key = format!("'{}'", MARKER_KEY.replace('\0', "\\u0000"));
    // The depth: the server's encoder marks an object or array as deep as the core's JSON reader
    // (the browser's) makes TooLarge (`json::MAX_DEPTH` levels in); the glue one level deeper, which
    // that reader cuts anyway.
    for (file, source, mark, key_name, depth) in [
        ("js/glue.js", GLUE, "mark", "TAG", "holders.length > "),
        ("js/server/api.js", SERVER_API, "marker", "MARKER_KEY", "within.length >= "),
    ] {
        assert_eq!(written_tags(source, mark), rust, "{file} writes exactly the tags of src/value.rs MARKER_TAGS");
        assert!(source.contains(&format!("const {key_name} = {key};")), "{file}'s marker key is src/json.rs MARKER_KEY ({key})");
        assert_eq!(js_number(source, "MAX_JSON_CHARS"), 4 << 20, "{file}: 4 Mi characters, as the core's messages say");
        let depth_limit = source.split(depth).nth(1).and_then(|rest| rest.split(')').next()).unwrap_or_else(|| panic!("{file}: no `{depth}`"));
        let depth_limit = if depth_limit == "MAX_DEPTH" { js_number(source, "MAX_DEPTH") } else { depth_limit.parse().unwrap() };
        assert_eq!(depth_limit, MAX_DEPTH as u64, "{file}: `{depth}` the core's json::MAX_DEPTH");
    }
    assert!(iamport_billing::Unsupported::TooLarge.describe().contains("4 Mi characters"));
}
