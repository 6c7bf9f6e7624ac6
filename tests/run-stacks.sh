#!/usr/bin/env bash
# Every stack, tested for real: pkg/ is packed with `npm pack` into target/stacks/, and the tarball is
# installed, as a user would install it, into small apps under tests/stacks/:
#
#   html         a plain HTML page with a module script, no bundler, under a strict CSP
#   webpack      webpack 5 production build, minimal config, under a strict CSP
#   next         Next.js 16 app router: a pre-rendered page with a 'use client' form, `next start`
#   node         node:test in an app folder: import, ready(), validateParams, errors, the pure entry
#   server       iamport-billing/server in node:test against the sandbox server, then in Bun and Deno
#   express      an Express 5 merchant server with iamport-billing/server, against the sandbox
#   next-server  the same Next.js app (one build): /subscribe issues a key, its route handlers confirm,
#                charge, schedule and verify the webhook with iamport-billing/server, against the sandbox
#
# The server stacks start the sandbox server (target/debug/iamport-sandbox, built here first).
#
# Each app's framework comes from its committed package-lock.json (`npm ci`, only when node_modules is
# missing or older than the lockfile); the tarball goes in with `npm install --no-save`, which leaves
# package.json and package-lock.json alone (skipped when that same tarball is already installed). A
# build is skipped when its inputs (the tarball, the app's files) are those of the last successful one.
# Then the node:test files run, one stack at a time.
#
#   STACKS="html node" bash tests/run-stacks.sh   only those stacks
#   STACKS_REBUILD=1 bash tests/run-stacks.sh     reinstall the tarball and build even when nothing changed
#
# Assumes pkg/ is built and the root node_modules installed (make test does both first). Screenshots
# and TAP files go to test-results/stacks/, the tarball and build logs to target/stacks/.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

[ -f pkg/index.js ] && [ -f pkg/package.json ] || { echo "pkg/ is missing: run make pkg" >&2; exit 1; }
[ -d node_modules/playwright-core ] || { echo "playwright-core is missing: run scripts/setup.sh" >&2; exit 1; }
CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
[ -x "$CHROMIUM" ] || { echo "$CHROMIUM is missing: run scripts/setup.sh" >&2; exit 1; }
export CHROMIUM NEXT_TELEMETRY_DISABLED=1

STACKS="${STACKS:-html webpack next node server express next-server}"
OUT=target/stacks
RESULTS=test-results/stacks
mkdir -p "$OUT"
rm -rf "$RESULTS" && mkdir -p "$RESULTS"
started=$SECONDS

# ---- the tarball ------------------------------------------------------------------------------------
# pkg/ may be rebuilt while this runs: pack again when it changed during the pack.
pkg_state() { ls -l --time-style=+%s.%N pkg 2>/dev/null | sha256sum; }
for attempt in 1 2 3; do
  rm -f "$OUT"/*.tgz
  state=$(pkg_state)
  name=$(npm pack ./pkg --pack-destination "$OUT" --silent 2>"$OUT/pack.log" | tail -n 1)
  [ "$(pkg_state)" = "$state" ] && break
  echo "stacks: pkg/ changed while packing; packing again in 5 s"
  sleep 5
done
if [ -z "$name" ] || [ ! -f "$OUT/$name" ]; then
  echo "stacks: npm pack ./pkg failed" >&2; cat "$OUT/pack.log" >&2; exit 1
fi
TGZ="$ROOT/$OUT/$name"
TGZ_SHA=$(sha256sum "$TGZ" | cut -d' ' -f1)
echo "stacks: packed pkg/ into $OUT/$name ($(tar tzf "$TGZ" | sed 's#^package/##' | sort | tr '\n' ' '))"

# ---- the sandbox server, for the server stacks -----------------------------------------------------------
if [[ " $STACKS " =~ \ (server|express|next-server)\  ]]; then
  echo "stacks: cargo build -p iamport-sandbox"
  cargo build --quiet -p iamport-sandbox || { echo "stacks: the sandbox server did not build" >&2; exit 1; }
fi

# ---- per stack ----------------------------------------------------------------------------------------
declare -A status

# Framework dependencies from the lockfile, then the tarball without touching package.json or the lock.
install_app() {
  local app=$1
  if [ -f "$app/package-lock.json" ] && { [ ! -f "$app/node_modules/.package-lock.json" ] || [ "$app/package-lock.json" -nt "$app/node_modules/.package-lock.json" ]; }; then
    echo "stacks: npm ci in $app"
    (cd "$app" && npm ci --no-audit --no-fund --loglevel=error) || return 1
  fi
  local stamp="$app/node_modules/.iamport-billing.sha256"
  if [ -n "${STACKS_REBUILD:-}" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$TGZ_SHA" ] || [ ! -f "$app/node_modules/iamport-billing/package.json" ]; then
    rm -rf "$app/node_modules/iamport-billing" "$stamp"
    (cd "$app" && npm install --no-save --no-audit --no-fund --loglevel=error "$TGZ") || return 1
    echo "$TGZ_SHA" > "$stamp"
  fi
}

# A digest of the tarball and of every file the build reads (dependencies aside).
inputs_of() {
  {
    echo "$TGZ_SHA"
    find "$@" \( -name node_modules -o -name .next -o -name dist -o -path '*/public/sandbox' -o -name next-env.d.ts -o -name '*.tsbuildinfo' \) -prune \
      -o -type f -print0 | sort -z | xargs -0 sha256sum
  } | sha256sum | cut -d' ' -f1
}

# Runs `build_cmd` in the app unless `output` exists and the inputs are unchanged; logs to target/stacks/.
build_app() {
  local stack=$1 app=$2 output=$3 build_cmd=$4; shift 4
  local inputs stamp="$OUT/$stack.inputs" log="$OUT/$stack-build.log"
  inputs=$(inputs_of "$app" "$@")
  if [ -z "${STACKS_REBUILD:-}" ] && [ -e "$app/$output" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$inputs" ]; then
    echo "stacks: $stack build is up to date (inputs unchanged; $log)"
    return 0
  fi
  rm -f "$stamp"
  echo "stacks: building $app ($build_cmd)"
  local t=$SECONDS
  if (cd "$app" && bash -c "$build_cmd") >"$log" 2>&1; then
    sed 's/^/  | /' "$log"
    echo "$inputs" > "$stamp"
    echo "stacks: $stack built in $((SECONDS - t)) s"
  else
    sed 's/^/  | /' "$log"
    echo "stacks: $stack build FAILED (log: $log)"
    return 1
  fi
}

run_tests() {
  local stack=$1; shift
  echo "stacks: node --test $*"
  node --test --test-concurrency=1 \
    --test-reporter=spec --test-reporter-destination=stdout \
    --test-reporter=tap --test-reporter-destination="$RESULTS/$stack.tap" \
    "$@"
}

for stack in $STACKS; do
  echo
  echo "== stack: $stack"
  t=$SECONDS
  app=tests/stacks/$stack
  [ "$stack" = next-server ] && app=tests/stacks/next # one app, one build, two test files
  if ! install_app "$app"; then
    status[$stack]="FAIL (install)"; continue
  fi
  case $stack in
    html) tests=(tests/stacks/html.test.mjs) ;;
    webpack)
      build_app webpack "$app" dist/main.js "npm run --silent build" || { status[$stack]="FAIL (build: $OUT/webpack-build.log)"; continue; }
      tests=(tests/stacks/webpack.test.mjs) ;;
    next|next-server) # one build for both (skipped the second time: its inputs are unchanged)
      build_app next "$app" .next/BUILD_ID "npm run --silent build" www/sandbox || { status[$stack]="FAIL (build: $OUT/next-build.log)"; continue; }
      tests=("tests/stacks/$stack.test.mjs") ;;
    node) tests=(tests/stacks/node/billing.test.mjs tests/stacks/node/pure.test.mjs) ;;
    server) tests=(tests/stacks/server/client.test.mjs tests/stacks/server/lifecycle.test.mjs) ;;
    express) tests=(tests/stacks/express.test.mjs) ;;
    *) echo "stacks: unknown stack $stack" >&2; status[$stack]="FAIL (unknown)"; continue ;;
  esac
  if run_tests "$stack" "${tests[@]}"; then
    status[$stack]="PASS"
  else
    status[$stack]="FAIL (tests)"
  fi
  tap="$RESULTS/$stack.tap"
  status[$stack]+=" $(sed -n 's/^# pass //p' "$tap") passed, $(sed -n 's/^# fail //p' "$tap") failed, $((SECONDS - t)) s"
done

echo
echo "stacks: results ($name, $((SECONDS - started)) s; screenshots in $RESULTS/)"
failed=0
for stack in $STACKS; do
  printf '  %-12s %s\n' "$stack" "${status[$stack]}"
  [[ ${status[$stack]} == PASS* ]] || failed=1
done
exit "$failed"
