//! The numbers that cross between the wasm and its JavaScript glue are named once, in Rust
//! (src/web/exports.rs: the calls and reports; src/web/bindings.rs: the settle kinds and the page
//! and sessionStorage operations), and js/glue.js writes each number with its name beside it
//! (`wasm.call(/* VALIDATE_PARAMS */ 2, …)`, or `/* WATCH_SCRIPT = 2 */` on a branch taken by
//! elimination). This test fails when the two sides differ, or when the glue passes or compares an
//! operation number without its name.
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
