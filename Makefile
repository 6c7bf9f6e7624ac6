# iamport-billing — build, test, demo. Every target installs what is missing (scripts/setup.sh).
SHELL := /bin/bash
.DEFAULT_GOAL := help
PORT ?= 8080
export PATH := $(HOME)/.cargo/bin:$(CURDIR)/node_modules/.bin:$(PATH)
export CHROMEDRIVER ?= /usr/bin/chromedriver

.PHONY: help setup pkg test test-native test-browser lint demo bench bench-sandbox fuzz mutants clean

help:
	@echo "make demo   build pkg/ and run the demo on the local iamport sandbox: http://127.0.0.1:$(PORT)/"
	@echo "make test   the whole test suite (installs what is missing)"
	@echo "make pkg    build the npm package into pkg/"
	@echo "make bench  print size and speed figures (the browser entry, then the server entry)"
	@echo "make bench-sandbox  the local iamport sandbox under load (the debug build make demo runs)"

setup:
	@bash scripts/setup.sh

pkg: setup
	@bash scripts/build-pkg.sh

test-native:
	cargo test
	cargo test -p iamport-sandbox
	# The server client's tests start the sandbox binary (built once here), one per test, on port 0.
	cargo build -p iamport-sandbox
	SANDBOX_BIN=$(CURDIR)/target/debug/iamport-sandbox cargo test -p iamport-billing-server

lint:
	cargo clippy --all-targets -- -D warnings
	cargo clippy --target wasm32-unknown-unknown --all-targets --features small-alloc -- -D warnings
	cargo clippy --target wasm32-unknown-unknown --lib --no-default-features --features npm,small-alloc -- -D warnings
	# The core alone (a server or a Node crate with default-features = false), and every feature at once.
	cargo clippy --lib --no-default-features -- -D warnings
	cargo clippy --target wasm32-unknown-unknown --lib --no-default-features -- -D warnings
	cargo clippy --target wasm32-unknown-unknown --lib --all-features -- -D warnings
	cargo clippy -p iamport-sandbox --all-targets -- -D warnings
	cargo clippy -p iamport-billing-server --all-targets -- -D warnings
	# wasm32: also the npm entry's wasm-bindgen layer (src/js.rs).
	cargo clippy -p iamport-billing-server --target wasm32-unknown-unknown --lib -- -D warnings

test-browser:
	cargo test --target wasm32-unknown-unknown
	# The leak test again with the npm package's allocator (lol_alloc, feature small-alloc).
	cargo test --target wasm32-unknown-unknown --features small-alloc --test browser_leaks
	# The Rust API with the npm build's features also on (features only add).
	cargo test --target wasm32-unknown-unknown --features npm,small-alloc --test browser_rust_api

test: pkg
	$(MAKE) --no-print-directory test-native lint test-browser
	@for t in tests/run-*.sh; do [ -e "$$t" ] || continue; echo "== $$t"; bash "$$t" || exit 1; done
	@echo "make test: all green"

demo: pkg
	@bash scripts/demo.sh $(PORT)

bench: pkg
	@if [ -f bench/run.mjs ]; then node bench/run.mjs; else echo "no benchmark yet"; fi
	@# The server entry: start-up beside iamporter in Node, first request in workerd (bench/server.mjs).
	@node bench/server.mjs

# The sandbox's figures on the build `make demo` runs (debug; SQLite itself optimised, see Cargo.toml).
# BENCH_SANDBOX_ARGS, e.g. "--charges 3000 --in-flight 32 --reads 1000".
bench-sandbox:
	cargo build -p iamport-sandbox
	@node bench/sandbox.mjs $(BENCH_SANDBOX_ARGS)

fuzz:
	@if [ -f scripts/fuzz.sh ]; then bash scripts/fuzz.sh; else echo "no fuzz target yet"; fi

# Mutation testing of the native core (cargo-mutants). Two passes: every mutant against the quick
# tests (unit tests and the core table: seconds each), then only the survivors against every
# native test (the seeded fuzzing too). MUTANTS_FILES narrows it, e.g. MUTANTS_FILES="src/checks.rs".
# It fails when a mutant survives both passes (timeouts count as caught). Mutants that no test can
# tell apart from the original are excluded in .cargo/mutants.toml and explained in CONTRIBUTING.md.
MUTANTS_FILES ?= src/params.rs src/checks.rs src/amount.rs src/merchant_uid.rs src/options.rs src/redirect.rs src/response.rs src/error.rs src/text.rs src/builder.rs
MUTANTS_ARGS = --no-shuffle --timeout 60 $(foreach f,$(MUTANTS_FILES),-f $(f))
mutants:
	@command -v cargo-mutants >/dev/null || cargo install cargo-mutants
	cargo mutants $(MUTANTS_ARGS) -- --lib --test native_core_table; rc=$$?; case $$rc in 0|2|3) ;; *) exit $$rc ;; esac
	cargo mutants $(MUTANTS_ARGS) --iterate -- --lib --tests; rc=$$?; case $$rc in 0|3) ;; *) exit $$rc ;; esac

clean:
	rm -rf pkg www/pkg target test-results
