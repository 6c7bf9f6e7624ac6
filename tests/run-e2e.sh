#!/usr/bin/env bash
# End-to-end tests in Debian's Chromium (driven by playwright-core): the plain-HTML demo with the
# sandbox SDK, the sandbox itself, the demo under a strict CSP, an axe-core accessibility audit, the
# whole flow against the sandbox server (sandbox/, built here unless SANDBOX_BIN names a binary), the
# pure entry (no wasm request before ready()), and a Vite app built from pkg/.
# Assumes pkg/ is built and the root node_modules installed (make test does both first).
# Screenshots go to test-results/e2e/.
set -euo pipefail
cd "$(dirname "$0")/.."

[ -f pkg/index.js ] || { echo "pkg/ is missing: run make pkg" >&2; exit 1; }
[ -d node_modules/playwright-core ] || { echo "playwright-core is missing: run scripts/setup.sh" >&2; exit 1; }
CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
[ -x "$CHROMIUM" ] || { echo "$CHROMIUM is missing: run scripts/setup.sh" >&2; exit 1; }
export CHROMIUM

# The Vite app: install its locked dependencies when missing or older than the lockfile, then build.
spa=tests/e2e/spa
if [ ! -f "$spa/node_modules/.package-lock.json" ] || [ "$spa/package-lock.json" -nt "$spa/node_modules/.package-lock.json" ]; then
  echo "e2e: npm ci in $spa"
  (cd "$spa" && npm ci --no-audit --no-fund --loglevel=error)
fi
echo "e2e: vite build in $spa"
(cd "$spa" && npm run --silent build -- --logLevel warn)

# The sandbox server for flow.test.mjs. A failed build does not stop the other tests, but fails the run
# (flow.test.mjs may then have used an older binary, or said that there is none).
build_status=0
if [ -z "${SANDBOX_BIN:-}" ]; then
  echo "e2e: cargo build -p iamport-sandbox"
  cargo build --quiet -p iamport-sandbox || { build_status=$?; echo "e2e: the sandbox server did not build" >&2; }
  SANDBOX_BIN=target/debug/iamport-sandbox
fi
export SANDBOX_BIN

rm -rf test-results/e2e && mkdir -p test-results/e2e
tap=test-results/e2e/results.tap
echo "e2e: node --test (Chromium: $CHROMIUM)"
status=0
node --test --test-concurrency=1 \
  --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="$tap" \
  tests/e2e/demo.test.mjs tests/e2e/loading.test.mjs tests/e2e/sandbox.test.mjs tests/e2e/csp.test.mjs tests/e2e/a11y.test.mjs \
  tests/e2e/flow.test.mjs tests/e2e/pure.test.mjs tests/e2e/spa.test.mjs || status=$?
echo "e2e: $(sed -n 's/^# pass //p' "$tap") passed, $(sed -n 's/^# fail //p' "$tap") failed (screenshots in test-results/e2e/)"
[ "$build_status" -eq 0 ] || { echo "e2e: failed: cargo build -p iamport-sandbox" >&2; exit "$build_status"; }
exit "$status"
