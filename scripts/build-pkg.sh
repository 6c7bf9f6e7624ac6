#!/usr/bin/env bash
# Builds the npm package into pkg/: release wasm → wasm-bindgen (web target) → wasm-opt -Oz.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"

# Never Debian's binaryen (108): its output fails at instantiation. Use the npm package's.
WASM_OPT="$PWD/node_modules/.bin/wasm-opt"
[ -x "$WASM_OPT" ] || { echo "wasm-opt from npm 'binaryen' is missing: run scripts/setup.sh" >&2; exit 1; }

cargo build --lib --release --target wasm32-unknown-unknown
rm -rf pkg
wasm-bindgen --target web --no-typescript --out-dir pkg --out-name iamport_billing \
  target/wasm32-unknown-unknown/release/iamport_billing.wasm
"$WASM_OPT" -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals --enable-reference-types --enable-multivalue \
  pkg/iamport_billing_bg.wasm -o pkg/iamport_billing_bg.wasm
cp js/pkg/index.js js/pkg/index.d.ts js/pkg/package.json pkg/
cp README.md pkg/README.md 2>/dev/null || true
echo "pkg/ built:"; ls -l pkg pkg/snippets/*/js 2>/dev/null | sed 's/^/  /'
