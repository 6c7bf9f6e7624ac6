//! Features only add. Cargo unifies features across a build, so a feature that took an API away
//! would break every other crate in that build; these tests build the two crates of
//! `tests/features/`, with the feature sets users have, in a target directory of their own:
//!
//! - `rust-app`: the whole Rust API (`request`, `load_iamport`, …) on wasm32 with the npm build's
//!   features (`npm`, `small-alloc`) also on;
//! - `core-only`: `default-features = false`, the rules and types on the host and on wasm32, with
//!   nothing of the browser layer linked.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)] // tests may panic

use std::path::Path;
use std::process::Command;

const WASM: &str = "wasm32-unknown-unknown";

/// Runs `cargo <args>` in the workspace; its stdout, or a failure with what it printed.
fn cargo(args: &[&str]) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = Command::new(std::env::var("CARGO").unwrap_or_else(|_| String::from("cargo")))
        .args(args)
        .current_dir(root)
        // Its own target directory: the `cargo test` running this holds the lock of the usual one.
        .env("CARGO_TARGET_DIR", root.join("target").join("feature-check"))
        .env_remove("RUSTFLAGS")
        .output()
        .expect("cargo runs");
    assert!(
        out.status.success(),
        "cargo {} failed:\n{}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn a_rust_app_keeps_the_whole_rust_api_with_the_npm_features_also_on() {
    cargo(&["check", "--locked", "-p", "feature-check-rust-app", "--target", WASM]);
    // The same crate for a server-side render (the API's stand-ins off the browser).
    cargo(&["check", "--locked", "-p", "feature-check-rust-app"]);
}

#[test]
fn the_core_alone_builds_on_every_target_without_the_browser_layer() {
    for target in [None, Some(WASM)] {
        let mut args = vec!["check", "--locked", "-p", "feature-check-core-only"];
        args.extend(target.map(|t| ["--target", t]).into_iter().flatten());
        cargo(&args);

        let mut tree = vec!["tree", "--locked", "-p", "feature-check-core-only", "-e", "normal", "--prefix", "none"];
        tree.extend(target.map(|t| ["--target", t]).into_iter().flatten());
        let deps = cargo(&tree);
        assert!(deps.contains("iamport-billing"), "{deps}");
        for browser_only in ["wasm-bindgen", "js-sys", "futures-channel", "lol_alloc"] {
            assert!(!deps.contains(browser_only), "{target:?}: the core alone links {browser_only}:\n{deps}");
        }
    }
    // And the default build does link the browser layer on wasm32 (what the check above rules out
    // is really there to find).
    let deps = cargo(&["tree", "--locked", "-p", "feature-check-rust-app", "-e", "normal", "--prefix", "none", "--target", WASM]);
    assert!(deps.contains("wasm-bindgen") && deps.contains("js-sys"), "{deps}");
}
