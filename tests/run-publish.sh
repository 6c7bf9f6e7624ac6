#!/usr/bin/env bash
# What would be published, checked before anyone publishes it:
#
#   crate   `cargo publish --dry-run` of the root crate (packages it, then builds the packaged copy
#           from its own files): no warning; the .crate holds the licence texts, its README
#           (Cargo.toml's `readme`), its sources, and nothing from the demo, the benchmarks or the
#           test apps; at most CRATE_BUDGET bytes compressed.
#   npm     `npm publish --dry-run` of pkg/: no warning; the tarball holds the licence texts, the
#           README, every file package.json's `files` and `exports` name (npm leaves a missing one
#           out without a word), and nothing else.
#
# Then the checks are run against copies with a licence file removed, and must fail: a check that
# cannot fail is no check. Needs the crates.io index (cargo verifies the dependencies), no token.
# Assumes pkg/ is built (make test builds it first).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

crate_budget=${CRATE_BUDGET:-153600} # 150 KiB
LICENSES=(LICENSE-MIT LICENSE-APACHE)
OUT=target/publish
rm -rf "$OUT" && mkdir -p "$OUT"

fail() { echo "publish: FAIL: $*" >&2; return 1; }

# Fails on any `warning` line of a command's output (cargo's "warning:", npm's "npm warn"), except
# those that say what was meant: the dry run itself; that a real publish would need a login; that
# the manifest names no documentation, homepage or repository (none exists yet, and crates.io links
# the crate's docs.rs page by itself); and the integration tests under tests/ left out of the crate
# on purpose (they need this repository's test harness: stubs, fixtures, browsers).
no_warnings() { # $1: what, $2: log file
  local warnings
  warnings=$(grep -iE '^(warning|npm warn)' "$2" \
    | grep -vE '^warning: aborting upload due to dry run$' \
    | grep -vE '^warning: manifest has no documentation, homepage or repository$' \
    | grep -vE '^npm warn publish This command requires you to be logged in to .* \(dry-run\)$' \
    | grep -vE '^warning: ignoring test `[a-z_]+` as `tests/[a-z_]+\.rs` is not included in the published package$' || true)
  [ -z "$warnings" ] || fail "$1 warned:"$'\n'"$warnings"
}

# ---- the crate ----------------------------------------------------------------------------------------

# $1: a file listing the crate's files (one path a line), $2: the package directory they came from.
check_crate_list() {
  local list=$1 dir=$2 readme f bad
  readme=$(sed -n 's/^readme *= *"\([^"]*\)".*/\1/p' "$dir/Cargo.toml.orig" 2>/dev/null || sed -n 's/^readme *= *"\([^"]*\)".*/\1/p' "$dir/Cargo.toml")
  [ -n "$readme" ] || fail "Cargo.toml names no readme" || return 1
  for f in "${LICENSES[@]}" "$readme" Cargo.toml src/lib.rs; do
    grep -qxF "$f" "$list" || fail "the crate does not hold $f" || return 1
  done
  # No address that does not exist yet: add `repository` when the repository is public.
  ! grep -qE '^(repository|homepage|documentation) *=' "$dir/Cargo.toml" || fail "Cargo.toml names a repository, homepage or documentation address: leave it out until there is one" || return 1
  # What a Rust user does not need: the demo, benchmarks, test apps, the sandbox, npm lockfiles.
  bad=$(grep -E '^(www|bench|tests|sandbox|server|scripts|target|pkg)/|package(-lock)?\.json$|node_modules' "$list" || true)
  [ -z "$bad" ] || fail "the crate holds files a Rust user does not need:"$'\n'"$bad" || return 1
}

echo "publish: cargo publish --dry-run (iamport-billing)"
log=$OUT/cargo-publish.log
rm -rf target/package
if ! cargo publish --dry-run --allow-dirty --package iamport-billing >"$log" 2>&1; then
  cat "$log" >&2; fail "cargo publish --dry-run failed"
fi
no_warnings "cargo publish --dry-run" "$log" || { cat "$log" >&2; exit 1; }
version=$(cargo pkgid --package iamport-billing | sed 's/.*[@#]//')
# (Where cargo leaves the .crate of a dry run has moved between versions: look for it.)
crate=$(find target/package -name "iamport-billing-$version.crate" | head -n 1)
[ -n "$crate" ] || fail "cargo publish --dry-run wrote no iamport-billing-$version.crate under target/package/"
tar tzf "$crate" | sed "s#^iamport-billing-$version/##" | grep -v '/$' | sort > "$OUT/crate-files.txt"
check_crate_list "$OUT/crate-files.txt" . || exit 1
size=$(wc -c < "$crate")
raw=$(tar xzOf "$crate" | wc -c)
echo "publish: crate ok: $(wc -l < "$OUT/crate-files.txt") files, $size B compressed ($raw B unpacked)"
[ "$size" -le "$crate_budget" ] || fail "the crate is $size B compressed, over the budget of $crate_budget B"
echo "publish: crate within $crate_budget B ($((crate_budget - size)) B to spare)"

# cargo verified the packaged copy for this machine; a Rust front end builds it for wasm32, which
# binds the JavaScript modules the crate holds (js/glue.js, js/error.js): check that build too.
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
tar xzf "$crate" -C "$scratch"
unpacked=$scratch/iamport-billing-$version
echo "publish: cargo check --target wasm32-unknown-unknown of the packaged crate"
if ! (cd "$unpacked" && CARGO_TARGET_DIR="$ROOT/target/publish-wasm" cargo check --quiet --offline --lib --target wasm32-unknown-unknown) >"$OUT/wasm-check.log" 2>&1; then
  cat "$OUT/wasm-check.log" >&2; fail "the packaged crate does not build for wasm32"
fi
no_warnings "cargo check of the packaged crate for wasm32" "$OUT/wasm-check.log" || exit 1

# ---- the npm package ----------------------------------------------------------------------------------

# $1: the package folder. Runs `npm publish --dry-run` there and checks what it would publish.
check_npm() {
  local dir=$1 log=$ROOT/$1.publish.log json=$ROOT/$1.pack.json files
  (cd "$dir" && npm publish --dry-run --ignore-scripts --loglevel=warn >"$log" 2>&1) || { cat "$log" >&2; fail "npm publish --dry-run failed in $dir"; return 1; }
  no_warnings "npm publish --dry-run ($dir)" "$log" || return 1
  (cd "$dir" && npm pack --dry-run --json --ignore-scripts >"$json" 2>/dev/null) || fail "npm pack --dry-run failed in $dir" || return 1
  files=$(node --input-type=module - "$dir/package.json" "$json" "${LICENSES[@]}" <<'EOF'
import { readFileSync } from 'node:fs';
const [manifestPath, packPath, ...licences] = process.argv.slice(2);
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
const packed = new Set(JSON.parse(readFileSync(packPath, 'utf8'))[0].files.map((f) => f.path));
const problems = [];
// npm always adds package.json; everything else must be named in `files`, and be there.
const named = new Set([...manifest.files, 'package.json']);
for (const f of named) if (!packed.has(f)) problems.push(`"files" names ${f}, which is not in the tarball (missing from the folder)`);
for (const f of packed) if (!named.has(f)) problems.push(`the tarball holds ${f}, which "files" does not name`);
for (const f of [...licences, 'README.md']) if (!packed.has(f)) problems.push(`the tarball does not hold ${f}`);
// Every target of `exports` (and main/types) is in the tarball.
const targets = [manifest.main, manifest.types, manifest.module];
const walk = (v) => (typeof v === 'string' ? targets.push(v) : v && Object.values(v).forEach(walk));
walk(manifest.exports);
for (const t of targets.filter(Boolean)) {
  const f = t.replace(/^\.\//, '');
  if (!packed.has(f)) problems.push(`package.json points at ${t}, which is not in the tarball`);
}
if ('repository' in manifest) problems.push('package.json names a repository: leave it out until there is one');
// The READMEs' relative links resolve inside the package (a reader of node_modules or the npm page
// has nothing else), except those about the repository itself: building and testing it, its demo,
// its sandbox, the Rust crate.
const REPOSITORY_ONLY = new Set(['www/app.js', 'sandbox/README.md', 'README.rust.md', 'CONTRIBUTING.md', 'BENCHMARKS.md']);
for (const readme of ['README.md', 'README.ko.md'].filter((f) => packed.has(f))) {
  const text = readFileSync(manifestPath.replace(/package\.json$/, readme), 'utf8');
  for (const [, target] of text.matchAll(/\]\(([^)#\s]+)(#[^)]*)?\)/g)) {
    if (/^[a-z]+:/.test(target) || REPOSITORY_ONLY.has(target)) continue;
    const problem = `${readme} links to ${target}, which is not in the tarball`;
    if (!packed.has(target) && !problems.includes(problem)) problems.push(problem);
  }
}
if (problems.length) { console.log(problems.join('\n')); process.exit(1); }
console.log([...packed].sort().join(' '));
EOF
) || { fail "npm package in $dir:"$'\n'"$files"; return 1; }
  echo "$files"
}

echo "publish: npm publish --dry-run (pkg/)"
[ -f pkg/package.json ] || fail "pkg/ is missing: run make pkg"
rm -rf "$OUT/npm" && cp -r pkg "$OUT/npm"
files=$(check_npm "$OUT/npm") || exit 1
echo "publish: npm package ok: $files"

# ---- the checks themselves ----------------------------------------------------------------------------
# Each licence file removed in turn, from the crate's files and from the npm package: both must fail.
# (The crate's copies live outside this workspace: inside it, cargo would take them for stray members.)
echo "publish: the checks fail without a licence file"
for licence in "${LICENSES[@]}"; do
  rm -rf "$scratch/without" && cp -r "$unpacked" "$scratch/without" && rm "$scratch/without/$licence"
  (cd "$scratch/without" && cargo package --list --allow-dirty --offline 2>/dev/null | sort) > "$OUT/without-files.txt"
  grep -qxF src/lib.rs "$OUT/without-files.txt" || fail "cargo package --list of the copy without $licence listed nothing"
  if check_crate_list "$OUT/without-files.txt" "$scratch/without" 2>"$OUT/why.txt"; then
    fail "the crate check passed without $licence"
  fi
  rm -rf "$OUT/npm-without" && cp -r pkg "$OUT/npm-without" && rm "$OUT/npm-without/$licence"
  if check_npm "$OUT/npm-without" >/dev/null 2>>"$OUT/why.txt"; then
    fail "the npm check passed without $licence"
  fi
  echo "publish: ok: without $licence both checks fail:"; sed 's/^/  /' "$OUT/why.txt"; rm -f "$OUT/why.txt"
done
rm -rf "$OUT/npm-without"
echo "publish: all green"
