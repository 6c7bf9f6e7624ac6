#!/usr/bin/env bash
# The size budgets of the npm package, product properties checked in `make test` (after `make pkg`),
# in gzip -9 bytes:
#   - shipped: every file a browser fetches for one import and one call — the entry, what it imports
#     statically and dynamically, and the .wasm — at most SHIPPED_BUDGET;
#   - entry: what an importer evaluates before its own code runs (the entry and its static imports,
#     with the bound module; nothing there waits for the wasm) — at most ENTRY_BUDGET;
#   - pure: the same for `iamport-billing/pure` (pure.js and its static imports), which must reach
#     neither the bound module nor the .wasm statically — at most PURE_BUDGET.
# Prints the figures per file; exits 1 over a budget. `make bench` measures the same files from a
# real page load (bench/run.mjs).
set -euo pipefail
cd "$(dirname "$0")/.."

shipped_budget=${SHIPPED_BUDGET:-26624}
# The entry holds the bound module (core.js) too: ready() waits for one module less. What the entry
# may weigh is set by the importer's wait, which `make bench` holds to 1.15× the plain-JS baseline's
# (whose entry is 7 KB).
entry_budget=${ENTRY_BUDGET:-4096}
pure_budget=${PURE_BUDGET:-1024}
pkg=pkg

[ -f "$pkg/index.js" ] || { echo "run-size: $pkg/index.js is missing (run make pkg first)" >&2; exit 1; }

# The module graph from the entry: static imports (`import … from './x.js'`) and dynamic ones
# (`import('./x.js')`), followed through every file; the .wasm the entry names.
static_imports() { grep -oE "(import|export)[^'\"();]*from[[:space:]]*['\"]\./[^'\"]+['\"]" "$pkg/$1" | grep -oE "\./[^'\"]+" | sed 's#^\./##' || true; }
dynamic_imports() { grep -oE "import\([[:space:]]*['\"]\./[^'\"]+['\"]" "$pkg/$1" | grep -oE "\./[^'\"]+" | sed 's#^\./##' || true; }
closure() { # $1: dynamic (1) or not (0); the rest: start files
  local dyn=$1; shift
  local -a todo=("$@") seen=()
  while [ ${#todo[@]} -gt 0 ]; do
    local f=${todo[0]}; todo=("${todo[@]:1}")
    [[ " ${seen[*]} " == *" $f "* ]] && continue
    [ -f "$pkg/$f" ] || { echo "run-size: an import names $f, which is not in $pkg/" >&2; exit 1; }
    seen+=("$f")
    mapfile -t next < <(static_imports "$f"; [ "$dyn" = 1 ] && dynamic_imports "$f")
    todo+=("${next[@]}")
  done
  printf '%s\n' "${seen[@]}"
}

[ -f "$pkg/pure.js" ] || { echo "run-size: $pkg/pure.js is missing (run make pkg first)" >&2; exit 1; }
mapfile -t entry < <(closure 0 index.js)
mapfile -t pure < <(closure 0 pure.js)
mapfile -t js < <(closure 1 index.js)
wasm=$(for f in "${js[@]}"; do grep -oE "new URL\(['\"]\./[^'\"]+\.wasm['\"]" "$pkg/$f" | grep -oE "[^/'\"]+\.wasm"; done | sort -u || true)
[ -n "$wasm" ] && [ "$(wc -l <<<"$wasm")" = 1 ] && [ -f "$pkg/$wasm" ] || { echo "run-size: the entry's modules name no .wasm in $pkg/ (or more than one): $wasm" >&2; exit 1; }

gz() { gzip -9 -c "$pkg/$1" | wc -c; }
total=0 entry_total=0 pure_total=0
printf '%-32s %9s %9s  %s\n' 'file' 'raw' 'gzip -9' 'part'
for f in "${js[@]}" "$wasm"; do
  raw=$(wc -c < "$pkg/$f"); g=$(gz "$f"); total=$((total + g))
  part=loaded
  if [[ " ${entry[*]} " == *" $f "* ]]; then part=entry; entry_total=$((entry_total + g)); fi
  if [[ " ${pure[*]} " == *" $f "* ]]; then part+=",pure"; fi
  printf '%-32s %9d %9d  %s\n' "$f" "$raw" "$g" "$part"
done
# The pure entry is its own file (the same implementation as index.js, without the load at import).
for f in "${pure[@]}"; do
  g=$(gz "$f"); pure_total=$((pure_total + g))
  [[ " ${js[*]} " == *" $f "* ]] || printf '%-32s %9d %9d  %s\n' "$f" "$(wc -c < "$pkg/$f")" "$g" 'pure entry'
done
printf '%-32s %9s %9d\n' 'shipped' '' "$total"
printf '%-32s %9s %9d\n' 'entry (+ static imports)' '' "$entry_total"
printf '%-32s %9s %9d\n' 'pure (+ static imports)' '' "$pure_total"

status=0
if [ "$total" -gt "$shipped_budget" ]; then
  echo "run-size: FAIL: ${total} B gzip -9 shipped, over the budget of ${shipped_budget} B by $((total - shipped_budget)) B" >&2; status=1
else
  echo "run-size: ok: ${total} B shipped, within ${shipped_budget} B ($((shipped_budget - total)) B to spare)"
fi
if [ "$entry_total" -gt "$entry_budget" ]; then
  echo "run-size: FAIL: the entry is ${entry_total} B gzip -9 with its static imports, over the budget of ${entry_budget} B by $((entry_total - entry_budget)) B" >&2; status=1
else
  echo "run-size: ok: entry ${entry_total} B, within ${entry_budget} B ($((entry_budget - entry_total)) B to spare)"
fi
if [ "$pure_total" -gt "$pure_budget" ]; then
  echo "run-size: FAIL: the pure entry is ${pure_total} B gzip -9 with its static imports, over the budget of ${pure_budget} B by $((pure_total - pure_budget)) B" >&2; status=1
else
  echo "run-size: ok: pure entry ${pure_total} B, within ${pure_budget} B ($((pure_budget - pure_total)) B to spare)"
fi
# Importing the pure entry evaluates nothing that loads: the bound module is only imported dynamically.
[[ " ${pure[*]} " != *" core.js "* ]] || { echo "run-size: FAIL: pure.js imports core.js statically" >&2; status=1; }
# Every .js/.wasm in pkg/ is one of these: nothing shipped is left out of the count.
mapfile -t pure_js < <(closure 1 pure.js)
for f in "$pkg"/*.js "$pkg"/*.wasm; do
  b=$(basename "$f")
  [[ " ${js[*]} ${pure_js[*]} $wasm " == *" $b "* ]] || { echo "run-size: FAIL: $b is in $pkg/ but not reached from index.js or pure.js" >&2; status=1; }
done
exit "$status"
