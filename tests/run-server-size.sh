#!/usr/bin/env bash
# The size budget of the server entry `iamport-billing/server`, a product property checked in
# `make test` (after `make pkg`), in gzip -9 bytes: for each runtime's entry (pkg/server/node.js,
# workerd.js, edge-light.js), every file a server loads — the entry, what it imports, followed
# through every file, and the one .wasm it imports or reads — at most SERVER_BUDGET. The inlined
# build (inline.js) has no budget of its own: it is the same files, the .wasm as bytes.
# Prints the figures per file; exits 1 over the budget. BENCHMARKS.md explains the figures.
set -euo pipefail
cd "$(dirname "$0")/.."

budget=${SERVER_BUDGET:-153600} # 150 KiB
dir=pkg/server
[ -f "$dir/node.js" ] || { echo "run-server-size: $dir/node.js is missing (run make pkg first)" >&2; exit 1; }

# `import … from './x'` / `export … from './x'` (a `?module` suffix dropped), and the .wasm a
# `new URL('./x.wasm', import.meta.url)` names.
imports() {
  grep -oE "(import|export)[^'\"();]*from[[:space:]]*['\"]\./[^'\"]+['\"]" "$dir/$1" | grep -oE "\./[^'\"]+" | sed -e 's#^\./##' -e 's#?module$##' || true
  grep -oE "new URL\(['\"]\./[^'\"]+\.wasm['\"]" "$dir/$1" | grep -oE "\./[^'\"]+" | sed 's#^\./##' || true
}
closure() {
  local -a todo=("$1") seen=()
  while [ ${#todo[@]} -gt 0 ]; do
    local f=${todo[0]}; todo=("${todo[@]:1}")
    [[ " ${seen[*]} " == *" $f "* ]] && continue
    [ -f "$dir/$f" ] || { echo "run-server-size: an import names $f, which is not in $dir/" >&2; exit 1; }
    seen+=("$f")
    [[ $f == *.js ]] && { mapfile -t next < <(imports "$f"); todo+=("${next[@]}"); }
  done
  printf '%s\n' "${seen[@]}"
}

failed=0
for entry in node.js workerd.js edge-light.js; do
  mapfile -t files < <(closure "$entry")
  wasm=$(printf '%s\n' "${files[@]}" | grep -c '\.wasm$' || true)
  [ "$wasm" = 1 ] || { echo "run-server-size: $entry loads $wasm .wasm files, not one: ${files[*]}" >&2; exit 1; }
  if printf '%s\n' "${files[@]}" | grep -qx inline.js; then
    echo "run-server-size: $entry loads inline.js" >&2; exit 1
  fi
  total=0
  echo "server entry $entry:"
  printf '  %-24s %9s %9s\n' 'file' 'raw' 'gzip -9'
  for f in "${files[@]}"; do
    raw=$(wc -c < "$dir/$f"); g=$(gzip -9 -c "$dir/$f" | wc -c); total=$((total + g))
    printf '  %-24s %9d %9d\n' "$f" "$raw" "$g"
  done
  printf '  %-24s %9s %9d  (budget %d)\n' 'loaded' '' "$total" "$budget"
  if [ "$total" -gt "$budget" ]; then
    echo "run-server-size: FAIL: $entry loads $total B gzip -9, over the budget of $budget B" >&2
    failed=1
  fi
done
[ "$failed" = 0 ] && echo "run-server-size: every server entry within $budget B"
exit "$failed"
