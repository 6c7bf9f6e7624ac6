#!/usr/bin/env bash
# The size budget of the npm package, a product property checked in `make test` (after `make pkg`):
# the gzip -9 total of what pkg/ ships to a browser — the .wasm and the bundled entry pkg/index.js
# (plus any other JS it imports) — must not exceed SIZE_BUDGET bytes. Prints the figures per file;
# exits 1 over budget. `make bench` measures the same files from a real page load (bench/run.mjs).
#
# The product target is 20 KB (issue 4) and the goal 10 KB; the package is not there yet (see
# BENCHMARKS.md), so the default budget here is a ratchet at the current size plus a small margin:
# it stops regressions now and is lowered as the size comes down. SIZE_BUDGET=20480 checks the target.
set -euo pipefail
cd "$(dirname "$0")/.."

budget=${SIZE_BUDGET:-33280}
pkg=pkg

for f in index.js iamport_billing_bg.wasm; do
  [ -f "$pkg/$f" ] || { echo "run-size: $pkg/$f is missing (run make pkg first)" >&2; exit 1; }
done

# What the browser fetches: the entry (wasm-bindgen's glue and our glue.js bundled into it) and the
# .wasm — i.e. every .js/.mjs/.wasm file in pkg/ (index.d.ts, package.json, README.md are not fetched).
mapfile -t files < <(find "$pkg" -type f \( -name '*.js' -o -name '*.mjs' -o -name '*.wasm' \) | LC_ALL=C sort)

# Each import in the entry and the glue must resolve to one of these files, so nothing is missed.
for js in "$pkg"/*.js; do
  while read -r spec; do
    target=$(realpath -m "$(dirname "$js")/$spec")
    [ -f "$target" ] || { echo "run-size: $js imports $spec, which is not in $pkg/" >&2; exit 1; }
  done < <(grep -oE "(from|import)[[:space:]]*\(?[[:space:]]*['\"]\./[^'\"]+['\"]" "$js" | grep -oE "\./[^'\"]+")
done

total_raw=0
total_gz=0
printf '%-64s %9s %9s\n' 'file' 'raw' 'gzip -9'
for f in "${files[@]}"; do
  raw=$(wc -c < "$f")
  gz=$(gzip -9 -c "$f" | wc -c)
  total_raw=$((total_raw + raw))
  total_gz=$((total_gz + gz))
  printf '%-64s %9d %9d\n' "$f" "$raw" "$gz"
done
printf '%-64s %9d %9d\n' 'total' "$total_raw" "$total_gz"

if [ "$total_gz" -gt "$budget" ]; then
  echo "run-size: FAIL: ${total_gz} B gzip -9 shipped, over the budget of ${budget} B by $((total_gz - budget)) B" >&2
  exit 1
fi
echo "run-size: ok: ${total_gz} B gzip -9 shipped, within the budget of ${budget} B ($((budget - total_gz)) B to spare)"
