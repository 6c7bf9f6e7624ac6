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

# Never Debian's binaryen (108): its output passes silently and fails at instantiation.
WASM_OPT="$PWD/node_modules/.bin/wasm-opt"
ESBUILD="$PWD/node_modules/.bin/esbuild"
for tool in "$WASM_OPT" "$ESBUILD"; do
  [ -x "$tool" ] || { echo "$tool is missing: run scripts/setup.sh" >&2; exit 1; }
done
[ -d pkg ] || { echo "build-server-pkg: pkg/ is missing (scripts/build-pkg.sh builds it first)" >&2; exit 1; }

# The workspace's size-tuned release profile (opt-level z, fat LTO, one codegen unit, panic =
# abort), then wasm-opt -Oz: tests/run-size.sh holds the server entry to its budget. `cargo rustc
# --crate-type cdylib`: the crate stays an rlib for Rust users. Its own target dir: the browser
# build's cache is untouched.
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

"$WASM_OPT" -Oz --strip-debug --strip-producers \
  --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals --enable-reference-types --enable-multivalue \
  "$stage/bindings_bg.wasm" -o pkg/server/bindings_bg.wasm
# initSync takes a WebAssembly.Module as it is only when `instanceof` says so; the Module an edge
# runtime hands over may come from another realm (Next's edge sandbox compiles it outside the
# function's context), and would then be "compiled" again from bytes it is not. Recognise it by its
# tag as well (the one check replaced, or the build fails).
node -e '
  const fs = require("node:fs");
  const [file, out] = process.argv.slice(1);
  const from = "if (!(module instanceof WebAssembly.Module)) {";
  const to = "if (!(module instanceof WebAssembly.Module || Object.prototype.toString.call(module) === \"[object WebAssembly.Module]\")) {";
  const text = fs.readFileSync(file, "utf8");
  if (text.split(from).length !== 2) { console.error(`build-server-pkg: ${file} has not one "${from}"`); process.exit(1); }
  fs.writeFileSync(out, text.replace(from, to));
' "$stage/bindings.js" pkg/server/bindings.js
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
