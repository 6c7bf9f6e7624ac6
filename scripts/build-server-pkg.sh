#!/usr/bin/env bash
# Builds the npm package's server entry, `iamport-billing/server`, into pkg/server/ (run by
# scripts/build-pkg.sh after the browser entry; alone it needs pkg/ to exist):
#   the crate iamport-billing-server (server/, with its wasm-bindgen layer server/src/js.rs) built for
#   wasm32 with the stable toolchain → wasm-bindgen (web target: no Node-only or bundler-only
#   loading code) → esbuild: js/server/index.js with the bindings and the .wasm inlined (esbuild's
#   binary loader), one ES module that Node, Bun, Deno and bundlers (a Next.js route handler) load
#   without finding a file at run time → pkg/server/index.js and its types.
# Nothing in pkg/index.js or pkg/core.js imports it: the browser entry's files and budgets are
# untouched (tests/run-size.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"

ESBUILD="$PWD/node_modules/.bin/esbuild"
[ -x "$ESBUILD" ] || { echo "$ESBUILD is missing: run scripts/setup.sh" >&2; exit 1; }
[ -d pkg ] || { echo "build-server-pkg: pkg/ is missing (scripts/build-pkg.sh builds it first)" >&2; exit 1; }

# No size budget here: the workspace's size-tuned release profile (opt-level z, fat LTO, one codegen
# unit) is traded for a build that takes a fraction of the time. `cargo rustc --crate-type cdylib`:
# the crate stays an rlib for Rust users. Its own target dir: the browser build's cache is untouched.
CARGO_PROFILE_RELEASE_OPT_LEVEL=2 CARGO_PROFILE_RELEASE_LTO=thin CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
  cargo rustc -p iamport-billing-server --lib --release --target wasm32-unknown-unknown \
  --crate-type cdylib --target-dir target/npm-server

stage=target/pkg-server-stage
rm -rf "$stage" pkg/server
mkdir -p "$stage" pkg/server
# --omit-default-module-path: the bindings never look for a file; the entry hands them the bytes.
# --weak-refs: a client nobody references any more frees its wasm memory (FinalizationRegistry).
wasm-bindgen --target web --no-typescript --omit-default-module-path --weak-refs \
  --out-dir "$stage" --out-name bindings \
  target/npm-server/wasm32-unknown-unknown/release/iamport_billing_server.wasm

sed -e "s#from './bindings.js'#from '$PWD/$stage/bindings.js'#" \
    -e "s#from './bindings_bg.wasm'#from '$PWD/$stage/bindings_bg.wasm'#" js/server/index.js > "$stage/index.js"
[ "$(grep -c "from '$PWD/$stage/" "$stage/index.js")" = 2 ] || { echo "build-server-pkg: js/server/index.js does not import the bindings and the wasm" >&2; exit 1; }
# Not minified: a server's stack traces stay readable. --platform=neutral: no Node built-in is
# imported, so Deno, Bun and edge bundlers take it as it is.
"$ESBUILD" "$stage/index.js" --bundle --format=esm --platform=neutral --target=es2022 \
  --loader:.wasm=binary --legal-comments=none --log-level=warning --outfile=pkg/server/index.js
cp js/server/index.d.ts pkg/server/
echo "pkg/server/ built:"; ls -l pkg/server | sed 's/^/  /'
