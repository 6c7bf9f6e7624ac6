#!/usr/bin/env bash
# The big fuzz run (`make fuzz`): the property tests of tests/native_fuzz.rs with many more cases and
# fresh seeds, optimised but with overflow checks and debug assertions on, then the browser
# randomized run (tests/browser_random_values.rs) with fresh seeds and more values. Every test of
# tests/native_fuzz.rs runs, the regression_* tests (fixed bugs the fuzzer found) included; no known bug
# remains, so nothing is skipped. Every seed is printed:
# a failure is replayed with `FUZZ_SEED=<seed> cargo test --test native_fuzz` (native) or
# `RANDOM_VALUES_SEED=<seed> cargo test --target wasm32-unknown-unknown --test random_values`.
#
#   FUZZ_CASES      multiplier of each property's case count (default 50: about 6.5 million cases)
#   FUZZ_ROUNDS     native rounds, one seed each (default 2)
#   FUZZ_SEED       first native seed (default: random)
#   BROWSER_ROUNDS  browser rounds (default 2; 0 skips the browser), RANDOM_VALUES_CASES (default 20000)
#
# Builds go to target/fuzz, so the everyday `make test` artifacts are not rebuilt afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-target/fuzz}"
# The test profile optimised, keeping its overflow checks and debug assertions (they find bugs).
export CARGO_PROFILE_TEST_OPT_LEVEL=2

random_u32() { od -An -N4 -tu4 /dev/urandom | tr -d ' '; }

cases="${FUZZ_CASES:-50}"
rounds="${FUZZ_ROUNDS:-2}"
seed="${FUZZ_SEED:-$(random_u32)}"
status=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT
for ((i = 0; i < rounds; i++)); do
  s=$((seed + i))
  echo "== fuzz (native): FUZZ_SEED=$s FUZZ_CASES=$cases"
  rc=0
  FUZZ_SEED=$s FUZZ_CASES=$cases cargo test --test native_fuzz -- --nocapture --test-threads=2 >"$log" 2>&1 || rc=$?
  grep -E '^fuzz |^test |minimal failing|test result' "$log" || true
  if [ "$rc" != 0 ]; then
    sed -n '/^failures:/,$p' "$log" | grep -vE '^ +[0-9]+: |^ +at ' | head -80 >&2
    echo "fuzz (native): FAILED with FUZZ_SEED=$s FUZZ_CASES=$cases" >&2
    status=1
  fi
done

browser_rounds="${BROWSER_ROUNDS:-2}"
browser_cases="${RANDOM_VALUES_CASES:-20000}"
# A long run takes longer than wasm-bindgen-test-runner's default 20 s.
export WASM_BINDGEN_TEST_TIMEOUT="${WASM_BINDGEN_TEST_TIMEOUT:-900}"
for ((i = 0; i < browser_rounds; i++)); do
  s=$(random_u32)
  echo "== fuzz (browser): RANDOM_VALUES_SEED=$s RANDOM_VALUES_CASES=$browser_cases"
  rc=0
  RANDOM_VALUES_SEED=$s RANDOM_VALUES_CASES=$browser_cases \
    cargo test --target wasm32-unknown-unknown --test random_values -- --nocapture arbitrary_values >"$log" 2>&1 || rc=$?
  grep -E 'random values:|^test |test result' "$log" | sort -u || true
  if [ "$rc" != 0 ]; then
    grep -E 'panicked|RANDOM_VALUES_SEED' "$log" | head -20 >&2
    echo "fuzz (browser): FAILED with RANDOM_VALUES_SEED=$s RANDOM_VALUES_CASES=$browser_cases" >&2
    status=1
  fi
done

[ "$status" = 0 ] && echo "make fuzz: no failure"
exit "$status"
