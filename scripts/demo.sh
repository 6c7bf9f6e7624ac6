#!/usr/bin/env bash
# Runs the local iamport sandbox (sandbox/) on 127.0.0.1: the demo page (www/), the npm package
# (pkg/, served at /pkg/), iamport's REST API (V1 paths), the sandbox controls (/__sandbox/) and the
# example merchant server (/merchant/), all on one origin. State is kept in target/sandbox-data.
set -euo pipefail
cd "$(dirname "$0")/.."
port="${1:-8080}"
# A debug build: the workspace's release profile is tuned for the wasm package's size (opt-level "z",
# fat LTO, one codegen unit, panic = "abort"), which takes minutes to build and buys a local sandbox
# nothing; a debug build is incremental and keeps the server's panic guard working.
cargo build -p iamport-sandbox
exec "${CARGO_TARGET_DIR:-target}/debug/iamport-sandbox" \
  --port "$port" --www www --pkg pkg --data-dir target/sandbox-data
