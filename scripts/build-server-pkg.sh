#!/usr/bin/env bash
# Builds the npm package's server entry, `iamport-billing/server`, into pkg/server/ (run by
# scripts/build-pkg.sh after the browser entry; alone it needs pkg/ to exist):
#   the crate iamport-billing-server (server/, with its wasm-bindgen layer server/src/js.rs) built for
#   wasm32 with the stable toolchain → wasm-bindgen (web target: no Node-only or bundler-only
#   loading code) → pkg/server/: one .wasm, the bindings, the shared API (js/server/api.js) and one
#   small entry per runtime, chosen by package.json's export conditions (js/pkg/package.json):
#     node.js        Node, Bun, Deno, Next.js's Node runtime: reads the .wasm beside it
#     workerd.js     Cloudflare Workers: imports the .wasm as a module (compiled by workerd)
#     edge-light.js  Next.js edge / Vercel Edge: imports the .wasm with `?module`
#     inline.js      `iamport-billing/server/inline`: workerd.js bundled by esbuild with the .wasm
#                    inlined as bytes, for a bundler that handles none of the above
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
# --omit-default-module-path: the bindings never look for a file; each entry hands them the module.
# --weak-refs: a client nobody references any more frees its wasm memory (FinalizationRegistry).
wasm-bindgen --target web --no-typescript --omit-default-module-path --weak-refs \
  --out-dir "$stage" --out-name bindings \
  target/npm-server/wasm32-unknown-unknown/release/iamport_billing_server.wasm

cp "$stage/bindings.js" "$stage/bindings_bg.wasm" pkg/server/
cp js/server/api.js js/server/node.js js/server/workerd.js js/server/edge-light.js js/server/index.d.ts pkg/server/
for entry in node workerd edge-light; do
  grep -q "^export \* from './api.js';$" "pkg/server/$entry.js" || { echo "build-server-pkg: $entry.js does not re-export api.js" >&2; exit 1; }
done
# The command line (`npx iamport-billing doctor`), beside the server entry it imports.
mkdir -p pkg/bin
cp js/bin/iamport-billing.js pkg/bin/
chmod +x pkg/bin/iamport-billing.js
# The inlined build: not minified (a server's stack traces stay readable); --platform=neutral: no
# Node built-in is imported, so any bundler takes it as it is.
"$ESBUILD" pkg/server/workerd.js --bundle --format=esm --platform=neutral --target=es2022 \
  --loader:.wasm=binary --legal-comments=none --log-level=warning --outfile=pkg/server/inline.js
echo "pkg/server/ built:"; ls -l pkg/server | sed 's/^/  /'
