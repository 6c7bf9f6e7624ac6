#!/usr/bin/env bash
# Installs what `make test` / `make demo` need, skipping whatever is already here (idempotent).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

say() { printf '[setup] %s\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# 1. The wasm32 target.
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# 1b. The pinned nightly the npm build uses (scripts/build-pkg.sh): rust-src for -Zbuild-std.
nightly=$(cat scripts/nightly-toolchain)
if [ "${PKG_STABLE:-}" != 1 ] && ! { rustup run "$nightly" rustc --version >/dev/null 2>&1 \
    && rustup component list --toolchain "$nightly" --installed 2>/dev/null | grep -q '^rust-src' \
    && rustup target list --toolchain "$nightly" --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; }; then
  say "installing the $nightly toolchain (rust-src, wasm32) for the npm build"
  rustup toolchain install "$nightly" --profile minimal --component rust-src --target wasm32-unknown-unknown
fi

# 2. wasm-bindgen-cli, exactly the version in Cargo.lock (without --locked: the CLI's own lockfile
#    does not resolve on this registry mirror).
want=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/version = |"/,""); print; exit}' Cargo.lock)
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have" != "$want" ]; then
  say "installing wasm-bindgen-cli $want (found: ${have:-none}); about 2 minutes"
  cargo install wasm-bindgen-cli --version "$want" --force
fi

# 3. Debian's Chromium and ChromeDriver for browser tests.
if [ "${1:-}" != "--no-browser" ] && { ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; }; then
  say "installing chromium and chromium-driver"
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get install -y chromium chromium-driver >/dev/null 2>&1 \
    || { as_root apt-get update >/dev/null && as_root apt-get install -y chromium chromium-driver >/dev/null; }
fi

# Korean glyphs for the demo's screenshots (tests pass without them; screenshots are unreadable).
if [ "${1:-}" != "--no-browser" ] && ! fc-list 2>/dev/null | grep -qi nanum; then
  say "installing fonts-nanum (Korean glyphs for screenshots)"
  as_root apt-get install -y fonts-nanum >/dev/null 2>&1 || say "fonts-nanum not installed (screenshots only)"
fi

# 4. Node tooling (binaryen's wasm-opt, esbuild, TypeScript, playwright-core), from package-lock.json.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing node tooling (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
fi
