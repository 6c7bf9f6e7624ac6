#!/usr/bin/env bash
# Builds the npm package into pkg/:
#   release wasm (feature small-alloc) → wasm-bindgen (web target, into a staging folder)
#   → wasm-opt (npm binaryen) → esbuild: the entries index.js and pure.js (one file each) and the
#   bound module core.js they import dynamically → pkg/ with the .wasm, the types, the READMEs and the licences.
#   Then scripts/build-server-pkg.sh adds the server entry (iamport-billing/server) under pkg/server/.
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
# std's panic-message formatting (core::fmt) linked in. PKG_STABLE=1
# builds with the stable toolchain instead (same behaviour, bigger wasm; the size test then fails).
# Legacy symbol mangling: nightly's v0 names would reach the export names (longer JS and wasm).
NIGHTLY=$(cat scripts/nightly-toolchain)
if [ "${PKG_STABLE:-}" = 1 ]; then
  cargo build --lib --release --target wasm32-unknown-unknown --no-default-features --features npm,small-alloc --target-dir target/npm
else
  # -Z flags: MIR inlining at its highest level, generics shared across crates, no file/line
  # locations and no Debug formatting compiled in (nothing prints them: a panic traps at once).
  # No reference types: only strings and numbers cross between the wasm and JavaScript in the npm
  # build, so the externref table (its export, and its set-up in the bindings) would be unused.
  RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort -Csymbol-mangling-version=legacy \
    -Zmir-opt-level=4 -Zshare-generics=y -Zlocation-detail=none -Zfmt-debug=none -Ctarget-feature=-reference-types" \
    cargo "+$NIGHTLY" build --lib --release --target wasm32-unknown-unknown --no-default-features --features npm,small-alloc \
    -Zbuild-std=std,panic_abort --target-dir target/npm
fi

stage=target/pkg-stage
rm -rf "$stage" pkg
mkdir -p "$stage" pkg
# --omit-default-module-path: the bindings name no .wasm of their own (the entry passes it in), so a
# bundler sees one asset reference, the entry's.
wasm-bindgen --target web --no-typescript --omit-default-module-path --encode-into always \
  --out-dir "$stage" --out-name bindings target/npm/wasm32-unknown-unknown/release/iamport_billing.wasm
# What the package never runs out of the bindings (the glue's namespace objects, initSync's warning
# about an old argument form, a string-passing branch): scripts/trim-bindings.mjs says which.
node scripts/trim-bindings.mjs "$stage/bindings.js" "$stage/bindings_bg.wasm"
# --flatten --rereloop -O3 before -Oz, and inlining of small single-caller functions: smaller than -Oz
# alone on this crate (BENCHMARKS.md has the figures).
"$WASM_OPT" --flatten --rereloop -O3 -Oz --converge --one-caller-inline-max-function-size 10 \
  --low-memory-unused --zero-filled-memory --strip-producers --strip-target-features \
  --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals --enable-reference-types --enable-multivalue \
  "$stage/bindings_bg.wasm" -o pkg/iamport_billing_bg.wasm

# Three modules, each bundled and minified:
# - pure.js, the implementation and the entry that starts nothing (`iamport-billing/pure`):
#   js/pkg/pure.js with BillingKeyError from js/error.js, one file, so nothing delays the start of
#   the wasm's fetch;
# - index.js, the default entry: the same bundle plus the wasm's load started at import time, one
#   file: an importer without a bundler waits for one request (a static import of pure.js would be
#   a second one, made only once index.js has arrived). The two files share one implementation at
#   run time (js/pkg/pure.js keeps it under a registered symbol named with the package's version);
# - core.js, what the entries load in the background (js/pkg/core.js: wasm-bindgen's bindings,
#   js/glue.js with the JavaScript API, the hand-over of the wasm's two exports to the glue; the npm
#   build has no closures). The entry hands it its BillingKeyError, so `instanceof` holds for every
#   error, and its compiled wasm.
# No --keep-names: the names users see are set in pure.js and js/error.js.
version=$(node -p "require('./js/pkg/package.json').version")
sed "s#from '../error.js'#from '$PWD/js/error.js'#" js/pkg/pure.js > "$stage/pure.js"
grep -q "from '$PWD/js/error.js'" "$stage/pure.js" || { echo "build-pkg: pure.js does not import error.js" >&2; exit 1; }
cp js/pkg/index.js "$stage/index.js"
glue=$(cd "$stage" && ls snippets/*/js/glue.js)
sed "s#from '../glue.js'#from './$glue'#" js/pkg/core.js > "$stage/core.js"
[ "$(grep -c "from './$glue'" "$stage/core.js")" = 2 ] || { echo "build-pkg: core.js does not import the glue" >&2; exit 1; }
# index.js holds core.js too, imported statically by its copy of pure.js (smaller than esbuild's
# inlining of the dynamic import): each module a page loads waits a while between its response and
# its evaluation, and core.js's wait was on ready()'s path (BENCHMARKS.md has the figures).
{ echo "import * as boundCore from './core.js';"; sed "s#import('./core.js')#boundCore#" "$stage/pure.js"; } > "$stage/pure-bound.js"
sed -i "s#from './pure.js'#from './pure-bound.js'#g" "$stage/index.js"
[ "$(grep -c boundCore "$stage/pure-bound.js")" = 2 ] && ! grep -q "'./pure.js'" "$stage/index.js" \
  || { echo "build-pkg: index.js's copy of pure.js does not import core.js statically" >&2; exit 1; }
for entry in index pure core; do
  external=--external:./core.js
  [ "$entry" = index ] && external=
  "$ESBUILD" "$stage/$entry.js" --bundle $external --define:PACKAGE_VERSION="'$version'" \
    --format=esm --platform=neutral --target=es2022 \
    --minify --legal-comments=none --log-level=warning --outfile="pkg/$entry.js"
done
for f in index.js pure.js core.js; do
  [ -f "pkg/$f" ] || { echo "build-pkg: pkg/$f was not produced" >&2; ls pkg >&2; exit 1; }
done
# Each entry is one file (nothing to fetch before the importer's code runs); pure.js loads core.js
# on the first ready(), index.js holds it.
for f in index.js pure.js; do
  ! grep -qE "from\"\./" "pkg/$f" || { echo "build-pkg: pkg/$f imports another file statically" >&2; exit 1; }
done
grep -q 'import("./core.js")' pkg/pure.js || { echo "build-pkg: pkg/pure.js does not load core.js" >&2; exit 1; }
! grep -q 'core.js' pkg/index.js || { echo "build-pkg: pkg/index.js loads core.js instead of holding it" >&2; exit 1; }
grep -q "iamport-billing $version" pkg/pure.js || { echo "build-pkg: pure.js does not name version $version" >&2; exit 1; }

cp js/pkg/index.d.ts js/pkg/pure.d.ts js/pkg/package.json pkg/
cp README.md README.ko.md LICENSE-MIT LICENSE-APACHE pkg/
# The reference the READMEs link to, readable from node_modules and the npm page (tests/run-publish.sh).
mkdir -p pkg/docs && cp docs/api.md docs/params.md docs/server.md docs/redirects.md pkg/docs/ && cp CHANGELOG.md pkg/
echo "pkg/ built:"; ls -l pkg | sed 's/^/  /'

# The server entry, iamport-billing/server, into pkg/server/ (its own wasm and module).
bash scripts/build-server-pkg.sh
