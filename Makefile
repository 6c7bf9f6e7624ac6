# iamport-billing — build, test, demo. Every target installs what is missing (scripts/setup.sh).
SHELL := /bin/bash
.DEFAULT_GOAL := help
PORT ?= 8080
export PATH := $(HOME)/.cargo/bin:$(CURDIR)/node_modules/.bin:$(PATH)
export CHROMEDRIVER ?= /usr/bin/chromedriver

.PHONY: help setup pkg test test-native test-browser lint demo bench bench-sandbox fuzz mutants mutants-tool mutants-core mutants-server mutants-sandbox clean

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

# Mutation testing (cargo-mutants) of every money rule, crate by crate: mutants-core (the field
# table and its reader, which both halves read, and the browser core's rules and checks),
# mutants-server (confirmation, charge and retry recovery, schedule_at, webhook verification, the
# token cache and clock), mutants-sandbox (the sandbox's money model:
# paid merchant_uids refused, decline keys, cancels and checksum, the 10 KRW check's cancel).
# `make mutants` runs all three. Each runs two passes: every mutant against the crate's quick tests,
# then only the survivors (--iterate) against all of its tests. It fails when a mutant survives both
# (timeouts count as caught). Results: mutants.out/<crate>/mutants.out/ (missed.txt is the list to
# act on). The server and sandbox runs mutate the tree in place (a copy would rebuild every
# dependency): do not edit the tree while they run. Mutants that no test can tell apart from the
# original are excluded in .cargo/mutants.toml and explained in CONTRIBUTING.md.
# MUTANTS_FILES, MUTANTS_SERVER_FILES, MUTANTS_SANDBOX_FILES narrow a run, e.g.
# MUTANTS_SERVER_FILES="server/src/client.rs".
MUTANTS_FILES ?= src/fields.rs src/rules.rs src/params.rs src/checks.rs src/amount.rs src/merchant_uid.rs src/options.rs src/redirect.rs src/response.rs src/error.rs src/text.rs src/builder.rs
MUTANTS_SERVER_FILES ?= server/src/client.rs server/src/confirm.rs server/src/webhook.rs server/src/token.rs server/src/clock.rs server/src/params/schedule.rs server/src/params/cancel.rs
MUTANTS_SANDBOX_FILES ?= sandbox/src/model/payments.rs sandbox/src/model/cancels.rs sandbox/src/model/billing_keys.rs sandbox/src/model/window.rs sandbox/src/model/schedules.rs
MUTANTS_ARGS = --no-shuffle --timeout 60 $(foreach f,$(MUTANTS_FILES),-f $(f))
MUTANTS_SERVER_ARGS = --in-place --no-shuffle -p iamport-billing-server -o mutants.out/server $(foreach f,$(MUTANTS_SERVER_FILES),-f $(f))
MUTANTS_SANDBOX_ARGS = --in-place --no-shuffle -p iamport-sandbox -o mutants.out/sandbox $(foreach f,$(MUTANTS_SANDBOX_FILES),-f $(f))
# The first pass may leave survivors (2) for the second; the second may not.
MUTANTS_FIRST = rc=$$?; case $$rc in 0|2|3) ;; *) exit $$rc ;; esac
# cargo-mutants answers 3 when a mutant timed out even if another was missed: the second pass also
# reads its list of missed mutants ($(1): the crate's output folder).
MUTANTS_LAST = rc=$$?; case $$rc in 0|3) ;; *) exit $$rc ;; esac; \
	if [ -s $(1)/mutants.out/missed.txt ]; then echo "missed:"; cat $(1)/mutants.out/missed.txt; exit 2; fi
mutants: mutants-core mutants-server mutants-sandbox
mutants-tool:
	@command -v cargo-mutants >/dev/null || cargo install cargo-mutants --locked --version 27.1.0
mutants-core: mutants-tool
	mkdir -p mutants.out/core
	cargo mutants $(MUTANTS_ARGS) -o mutants.out/core -- --lib --test native_core_table --test native_fields; $(MUTANTS_FIRST)
	cargo mutants $(MUTANTS_ARGS) -o mutants.out/core --iterate -- --lib --tests; $(call MUTANTS_LAST,mutants.out/core)
# The server's sandbox tests start the sandbox binary: built from the unmutated tree and set aside
# first (the sandbox links the server crate, which the run mutates).
mutants-server: mutants-tool
	cargo build -p iamport-sandbox
	cp target/debug/iamport-sandbox target/mutants-sandbox
	mkdir -p mutants.out/server
	cargo mutants $(MUTANTS_SERVER_ARGS) -- --lib --test params_table --test money_rules; $(MUTANTS_FIRST)
	SANDBOX_BIN=$(CURDIR)/target/mutants-sandbox cargo mutants $(MUTANTS_SERVER_ARGS) --iterate -- --lib --tests; $(call MUTANTS_LAST,mutants.out/server)
mutants-sandbox: mutants-tool
	mkdir -p mutants.out/sandbox
	cargo mutants $(MUTANTS_SANDBOX_ARGS) -- --lib; $(MUTANTS_FIRST)
	cargo mutants $(MUTANTS_SANDBOX_ARGS) --iterate -- --lib --tests; $(call MUTANTS_LAST,mutants.out/sandbox)

clean:
	rm -rf pkg www/pkg target test-results
