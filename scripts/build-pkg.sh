#!/usr/bin/env bash
# Builds the npm package into pkg/:
#   release wasm (feature small-alloc) → wasm-bindgen (web target, into a staging folder)
#   → wasm-opt -Oz (npm binaryen) → one minified ES module (esbuild) + the .wasm + types.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"

# Never Debian's binaryen (108): its output passes silently and fails at instantiation.
WASM_OPT="$PWD/node_modules/.bin/wasm-opt"
ESBUILD="$PWD/node_modules/.bin/esbuild"
for tool in "$WASM_OPT" "$ESBUILD"; do
  [ -x "$tool" ] || { echo "$tool is missing: run scripts/setup.sh" >&2; exit 1; }
done

# The npm build uses a pinned nightly (scripts/setup.sh installs it) to rebuild std with
# `-C panic=immediate-abort`: a panic then traps at once, as `panic = "abort"` does, but without
# std's panic-message formatting (core::fmt) linked in: 3.1 KB less gzip wasm. PKG_STABLE=1
# builds with the stable toolchain instead (same behaviour, bigger wasm; the size test then fails).
# Legacy symbol mangling: nightly's v0 names would reach the export names (~0.5 KB of JS and wasm).
NIGHTLY=$(cat scripts/nightly-toolchain)
if [ "${PKG_STABLE:-}" = 1 ]; then
  cargo build --lib --release --target wasm32-unknown-unknown --features small-alloc --target-dir target/npm
else
  RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort -Csymbol-mangling-version=legacy" \
    cargo "+$NIGHTLY" build --lib --release --target wasm32-unknown-unknown --features small-alloc \
    -Zbuild-std=std,panic_abort --target-dir target/npm
fi

stage=target/pkg-stage
rm -rf "$stage" pkg
mkdir -p "$stage" pkg
wasm-bindgen --target web --no-typescript --out-dir "$stage" --out-name iamport_billing \
  target/npm/wasm32-unknown-unknown/release/iamport_billing.wasm
"$WASM_OPT" -Oz --converge --low-memory-unused --zero-filled-memory --strip-producers --strip-target-features \
  --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals --enable-reference-types --enable-multivalue \
  "$stage/iamport_billing_bg.wasm" -o pkg/iamport_billing_bg.wasm

# One module instead of a chain of four (entry → glue → snippet): fewer round trips before the
# wasm fetch starts, and minified. `new URL('./iamport_billing_bg.wasm', import.meta.url)` is kept
# as written, so browsers and bundlers (Vite, webpack 5) find the .wasm next to index.js. No
# --keep-names (0.6 KB gzip): the names users see (the exports', BillingKeyError's) are set in
# js/pkg/index.js and js/glue.js; internal functions, like the callback handed to IMP, are unnamed.
# (wasm-bindgen 0.2.130 lists the one snippet module under the same key once per import block;
# the entries are the same namespace object, so esbuild's duplicate-key warning is silenced.)
cp js/pkg/index.js "$stage/index.js"
"$ESBUILD" "$stage/index.js" --bundle --format=esm --platform=browser --target=es2022 \
  --minify --legal-comments=none --log-level=warning \
  --log-override:duplicate-object-key=silent --outfile=pkg/index.js

cp js/pkg/index.d.ts js/pkg/package.json pkg/
cp README.md README.ko.md pkg/
echo "pkg/ built:"; ls -l pkg | sed 's/^/  /'
