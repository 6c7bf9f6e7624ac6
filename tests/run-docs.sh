#!/usr/bin/env bash
# Docs that cannot drift: CONTRIBUTING.md and README.md checked against the repository.
#
#   CONTRIBUTING.md  every repository path it names exists (generated folders aside: pkg/, target/,
#                    test-results/ …); every file of its "Layout" block exists under the folder it is
#                    listed in; every `--test X` names a test file (tests/X.rs, or with `-p NAME`
#                    X.rs under that workspace member's tests/); every `make X` is a Makefile
#                    target; every tests/*.rs and tests/run-*.sh is named in it; and the quick
#                    commands of "Running one test" run: the native `cargo test` lines and
#                    `tests/run-types.sh`.
#   README.md        at most 250 lines; its "Develop" section has exactly two commands, `make demo`
#                    and `make test`; its relative links resolve.
#   www/app.js       the demo's integration, which README.md points to as the part to copy: at most
#                    150 lines, importing the package, and no DOM building (that is ui.js's part).
#
# DOCS_RUN=0 checks without running the commands. Assumes pkg/ is built (make test builds it first).
set -euo pipefail
cd "$(dirname "$0")/.."

commands=$(mktemp)
trap 'rm -f "$commands"' EXIT

node --input-type=module - "$commands" <<'EOF'
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const problems = [];
const contributing = readFileSync('CONTRIBUTING.md', 'utf8');
const readme = readFileSync('README.md', 'utf8');
const makefile = readFileSync('Makefile', 'utf8');

// Folders the build or the tests write: named in the docs, absent from a fresh clone.
const GENERATED = /^(pkg|www\/pkg|target|test-results|mutants\.out|node_modules)(\/|$)/;
// Top-level folders and files of the repository a path may start with.
const roots = new Set(readdirSync('.').filter((f) => f !== '.git'));

/** A fenced block's lines, by the heading it follows. */
function block(text, heading) {
  const at = text.indexOf(`\n## ${heading}\n`);
  if (at < 0) { problems.push(`no "## ${heading}" section`); return []; }
  const fence = text.indexOf('```', at);
  const end = text.indexOf('```', fence + 3);
  return text.slice(text.indexOf('\n', fence) + 1, end).split('\n');
}

// 1. Repository paths named anywhere in CONTRIBUTING.md: `a/b.ext`, `a/b/`, `scripts/x`.
const pathLike = /(?<![\w./:-])((?:\.?[\w-]+\/)+[\w.*-]*)/g;
for (const [, raw] of contributing.matchAll(pathLike)) {
  const p = raw.replace(/[.,:;]+$/, '');
  if (p.includes('*') || GENERATED.test(p) || !roots.has(p.split('/')[0])) continue;
  if (!existsSync(p)) problems.push(`CONTRIBUTING.md names ${p}, which does not exist`);
}

// 2. The "Layout" block: each file name, under the top-level folder its entry belongs to.
const find = (dir, name) => {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (['node_modules', 'dist', '.next'].includes(entry.name)) continue;
    const full = path.join(dir, entry.name);
    if (entry.name === name) return true;
    if (entry.isDirectory() && find(full, name)) return true;
  }
  return false;
};
let folder = '.';
for (const line of block(contributing, 'Layout')) {
  const top = /^([\w.-]+\/)/.exec(line);
  if (top) folder = top[1];
  else if (/^[\w.-]/.test(line)) folder = '.';
  for (const [name] of line.matchAll(/(?<![\w/.-])[\w-]+\.(?:rs|js|mjs|ts|md|sh|json|toml|css|html)\b/g)) {
    if (/^[A-Z][a-z]+\.js$/.test(name)) continue; // a framework's name (Next.js), not a file
    if (roots.has(name)) continue; // a file at the root (README.md), named in passing
    if (!find(folder, name)) problems.push(`CONTRIBUTING.md's layout lists ${name} under ${folder}, where there is none`);
  }
}

// 3. `--test X` names a test file; `make X` a target.
// Each workspace member's folder by its package name, for `-p NAME --test X`.
const members = /members\s*=\s*\[([^\]]*)\]/.exec(readFileSync('Cargo.toml', 'utf8'))?.[1].match(/"[^"]+"/g).map((m) => m.slice(1, -1)) ?? ['.'];
const folderOf = new Map(members.map((dir) => [/^name\s*=\s*"([^"]+)"/m.exec(readFileSync(path.join(dir, 'Cargo.toml'), 'utf8'))?.[1], dir]));
for (const m of contributing.matchAll(/^.*cargo [^`\n]*--test ([\w-]+).*$/gm)) {
  const crate = /(?:-p|--package) ([\w-]+)/.exec(m[0])?.[1];
  if (crate && !folderOf.has(crate)) { problems.push(`CONTRIBUTING.md runs -p ${crate}, which is not a workspace member`); continue; }
  const file = path.join(crate ? folderOf.get(crate) : '.', 'tests', `${m[1]}.rs`);
  if (!existsSync(file)) problems.push(`CONTRIBUTING.md runs --test ${m[1]}, but ${file} does not exist`);
}
const targets = new Set([...makefile.matchAll(/^([\w-]+):/gm)].map((m) => m[1]));
for (const [, target] of [...contributing, readme].flatMap((text) => [...text.matchAll(/(?:`|^)make ([\w-]+)/gm)])) {
  if (!targets.has(target)) problems.push(`the docs name make ${target}, which the Makefile does not define`);
}

// 4. Every test file and suite is named.
for (const f of readdirSync('tests')) {
  if ((/\.rs$/.test(f) || /^run-.*\.sh$/.test(f)) && !contributing.includes(f)) {
    problems.push(`tests/${f} is not named in CONTRIBUTING.md`);
  }
}

// 5. The quick commands of "Running one test": native cargo tests and the type tests.
const quick = block(contributing, 'Running one test')
  .map((line) => line.replace(/\s+#.*$/, '').trim())
  .filter((c) => /^cargo test\b/.test(c) && !/--target|(-p|--package) |</.test(c));
if (quick.length < 3) problems.push(`"Running one test" has ${quick.length} quick cargo commands, expected several`);
quick.push('bash tests/run-types.sh');
writeFileSync(process.argv[2], quick.join('\n') + '\n');

// 6. README.md: short, two set-up commands, links that resolve.
const lines = readme.split('\n').length - (readme.endsWith('\n') ? 1 : 0);
if (lines > 250) problems.push(`README.md has ${lines} lines; keep it within 250 (the reference lives in docs/)`);
const develop = block(readme, 'Develop').map((l) => l.replace(/\s+#.*$/, '').trim()).filter(Boolean);
if (JSON.stringify(develop) !== JSON.stringify(['make demo', 'make test'])) {
  problems.push(`README.md's "Develop" block must be exactly \`make demo\` and \`make test\`, not ${JSON.stringify(develop)}`);
}
for (const [, target] of readme.matchAll(/\]\(((?!https?:|#|mailto:)[^)#\s]+)(#[^)]*)?\)/g)) {
  if (!existsSync(target)) problems.push(`README.md links to ${target}, which does not exist`);
}

// 7. The demo's integration stays a file a person can read and copy.
const app = readFileSync('www/app.js', 'utf8');
const appLines = app.split('\n').length - 1;
if (appLines > 150) problems.push(`www/app.js has ${appLines} lines; keep the integration within 150 (presentation goes in ui.js, the server's part in server-panel.js)`);
if (!/from '\.\/pkg\/index\.js'/.test(app)) problems.push("www/app.js does not import './pkg/index.js'");
if (/createElement|replaceChildren|innerHTML|\bfetch\(/.test(app)) problems.push('www/app.js builds DOM or calls a server itself: keep that in ui.js and server-panel.js');

if (problems.length) {
  for (const p of problems) console.log(`docs: FAIL: ${p}`);
  process.exit(1);
}
console.log(`docs: ok: CONTRIBUTING.md's paths, layout, tests and targets; README.md (${lines} lines, two set-up commands, links)`);
EOF

if [ "${DOCS_RUN:-1}" = 0 ]; then echo "docs: DOCS_RUN=0: the commands were not run"; exit 0; fi
while IFS= read -r cmd; do
  [ -n "$cmd" ] || continue
  echo "docs: running \`$cmd\`"
  log=$(mktemp)
  if ! bash -c "$cmd" >"$log" 2>&1; then
    tail -n 30 "$log" >&2; rm -f "$log"
    echo "docs: FAIL: CONTRIBUTING.md's \`$cmd\` failed" >&2; exit 1
  fi
  # A filter that matches no test passes silently: each cargo line must have run at least one test.
  if [[ $cmd == cargo\ test* ]] && ! grep -qE '^test result: ok\. [1-9]' "$log"; then
    tail -n 30 "$log" >&2; rm -f "$log"
    echo "docs: FAIL: CONTRIBUTING.md's \`$cmd\` ran no test" >&2; exit 1
  fi
  rm -f "$log"
done < "$commands"
echo "docs: all green"
