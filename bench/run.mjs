// `make bench`: size and speed of the npm package in pkg/, side by side with a plain-JS wrapper of
// the same rules (tests/reference/baseline.js), in headless Chromium over loopback. BENCHMARKS.md explains
// each figure.
//
//   node bench/run.mjs [--loads 30] [--calls 10000] [--warmup 2000] [--block 500] [--json FILE]
//                      [--md FILE]   (the figures as the Markdown of BENCHMARKS.md's "Current figures")
//                      [--pkg DIR]   (another build of the package, served at /pkg/; default pkg/)
//                      [--compare NAME=DIR]...  (other builds measured in the same run: see 6)
//
// The package's files are copied at the start and the copy is served and measured, so a rebuild of
// pkg/ during the run cannot mix two builds in one page.
//
// 1. Shipped bytes: every file one page load fetches for one import and one call (recorded by the
//    server), raw and gzip -9, and the entry (index.js and its static imports: what an importer
//    evaluates before its own code runs), each against its budget (enforced by tests/run-size.sh).
// 2. Wait before the importer's own code: a module that statically imports the package records
//    performance.now() at its first line; from the import's start (the entry's request, resource
//    timing) and from navigation start; beside the wasm's response end.
// 3. import → ready(): from the entry's request to ready() resolved.
// 4. First click → request_pay: a click handler calls requestBillingKey against a stand-in IMP, right
//    after the import (no `await ready()`) and after `await ready()`; whether request_pay ran inside
//    the handler.
// 5. Per call: call → IMP.request_pay, callback → settled, and the two together (the whole call)
//    over --calls calls, after the equivalence check of ours and the baseline on the cases in
//    bench/calls.js.
// 6. Targets: ours / the baseline for the importer's wait (2), import → ready() (3) and the whole
//    call (5), medians, each with its target and ✓/✗, and the shipped bytes against the budget. Each
//    build of --compare (e.g. a previous release's pkg/) is served from its own server (its own
//    origin) and loaded in the same interleaved rounds of 2–3; its per-call figures come from its
//    own calls page, against the baseline in that page; its ratios are printed beside ours.
//
// 2–4 use --loads fresh page loads per variant (a new browser context each, nothing cached; the
// server sends no-store), the variants interleaved. The click and per-call pages are cross-origin
// isolated (performance.now() at its 5 µs grain); the import pages are not, like a checkout page.
// Nothing here fails on a figure (a ✗ is reported, not enforced): the exit status is 1 only when
// the equivalence check finds a difference or a page fails.

import { createServer } from 'node:http';
import { cpSync, createReadStream, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHROMIUM_ARGS } from '../tests/e2e/lib.mjs'; // the same Chromium flags as the e2e tests

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SHIPPED_BUDGET = 26_624; // the budgets of tests/run-size.sh, in gzip -9 bytes
const ENTRY_BUDGET = 4_096;

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : dflt;
};
const LOADS = Number(opt('loads', 30));
const CALLS = Number(opt('calls', 10000));
const WARMUP = Number(opt('warmup', 2000));
const BLOCK = Number(opt('block', 500));
const JSON_OUT = opt('json', '');
const MD_OUT = opt('md', '');
const PKG_DIR = path.resolve(opt('pkg', path.join(REPO, 'pkg')));
// Other builds measured in the same run, interleaved with ours: --compare NAME=DIR (repeatable).
const COMPARE = args.flatMap((a, i) => (a === '--compare' && i + 1 < args.length ? [args[i + 1]] : [])).map((spec) => {
  const at = spec.indexOf('=');
  if (at < 1) throw new Error(`--compare ${spec}: expected NAME=DIR`);
  return { name: spec.slice(0, at), dir: path.resolve(spec.slice(at + 1)) };
});
// The targets `make bench` reports against (ours / the baseline, medians; bytes in gzip -9). Nothing
// fails on them: the exit status does not depend on a figure.
const TARGETS = { wait: 1.15, ready: 2.0, call: 2.0 };
const SHIPPED_AIM = 24_576;
// Served and measured: a copy of the package's files taken at the start, so a rebuild of pkg/ during
// the run cannot mix two builds in one page.
let PKG = PKG_DIR;

const require = createRequire(path.join(REPO, 'package.json'));
const { chromium } = require('playwright-core');

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json; charset=utf-8',
};
const ISOLATED = new Set(['/bench/calls.html', '/bench/click.html']);

// ---------------------------------------------------------------------------------------------
// A tiny static server for /pkg/, /bench/ and /tests/reference/ on 127.0.0.1, recording what is requested.

function startServer(pkgDir) {
  const requested = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    const rel = decodeURIComponent(url.pathname).replace(/^\/+/, '');
    const file = rel.startsWith('pkg/') ? path.resolve(pkgDir, rel.slice(4)) : path.resolve(REPO, rel);
    const allowed = [pkgDir, path.join(REPO, 'bench'), path.join(REPO, 'tests', 'reference')].some((dir) => file.startsWith(dir + path.sep));
    let ok = false;
    try {
      ok = allowed && statSync(file).isFile();
    } catch (_) {
      ok = false;
    }
    requested.push(url.pathname);
    if (url.pathname === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    if (!ok) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    const headers = {
      'content-type': MIME[path.extname(file)] ?? 'application/octet-stream',
      'cache-control': 'no-store',
      'cross-origin-resource-policy': 'same-origin',
    };
    if (ISOLATED.has(url.pathname)) {
      // Cross-origin isolation: performance.now() at its finest grain.
      headers['cross-origin-opener-policy'] = 'same-origin';
      headers['cross-origin-embedder-policy'] = 'require-corp';
    }
    res.writeHead(200, headers);
    createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve({
        base: `http://127.0.0.1:${server.address().port}`,
        requested,
        close: () => new Promise((r) => server.close(r)),
      });
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Figures.

const gzip9 = (file) => execFileSync('gzip', ['-9', '-c', file], { maxBuffer: 64 << 20 }).length;
const pad = (s, n) => String(s).padEnd(n);
const lpad = (s, n) => String(s).padStart(n);
const int = (n) => n.toLocaleString('en-US');
/** A duration in ms, in µs below 1 ms. */
const dur = (ms) => (Math.abs(ms) < 1 ? `${(ms * 1000).toFixed(1)} µs` : `${ms.toFixed(2)} ms`);
const us = (ms) => `${(ms * 1000).toFixed(1)} µs`;

function quantile(values, q) {
  const sorted = Float64Array.from(values).sort();
  if (sorted.length === 0) return NaN;
  const i = (sorted.length - 1) * q;
  const lo = Math.floor(i);
  const hi = Math.ceil(i);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (i - lo);
}
const mean = (values) => values.reduce((a, b) => a + b, 0) / values.length;
const stats = (values) => ({ median: quantile(values, 0.5), p90: quantile(values, 0.9), mean: mean(values), n: values.length });
/** Means of consecutive groups of `k` samples: below the clock's grain, their median is still exact. */
const groupMeans = (values, k) => {
  const out = [];
  for (let i = 0; i + k <= values.length; i += k) out.push(mean(values.slice(i, i + k)));
  return out;
};
const GROUP = 20;
const ratio = (a, b) => (b > 0 ? `${(a / b).toFixed(2)}×` : 'n/a');
const count = (flags) => `${flags.filter(Boolean).length}/${flags.length}`;

/** The *.js and *.wasm files in pkg/ (what a bundler could ship). */
function pkgFiles(dir = PKG, prefix = '') {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...pkgFiles(path.join(dir, entry.name), rel));
    else if (/\.(js|mjs|wasm)$/.test(entry.name)) out.push(rel);
  }
  return out.sort();
}

/** The entry's static module graph in pkg/ (`import … from './x'`, `export … from './x'`), as tests/run-size.sh reads it. */
function staticGraph(start, dir = PKG) {
  const seen = [];
  const todo = [start];
  while (todo.length) {
    const rel = todo.shift();
    if (seen.includes(rel)) continue;
    seen.push(rel);
    const text = readFileSync(path.join(dir, rel), 'utf8');
    for (const m of text.matchAll(/(?:import|export)[^'"();]*from\s*['"]\.\/([^'"]+)['"]/g)) todo.push(path.posix.normalize(path.posix.join(path.posix.dirname(rel), m[1])));
  }
  return seen;
}

function machine(browserVersion) {
  let model = 'unknown';
  try {
    model = /^Model name:\s*(.*)$/m.exec(execFileSync('lscpu', { encoding: 'utf8' }))?.[1].trim() ?? model;
  } catch (_) {
    model = os.cpus()[0]?.model ?? model;
  }
  let nproc = os.availableParallelism?.() ?? os.cpus().length;
  try {
    nproc = Number(execFileSync('nproc', { encoding: 'utf8' }).trim());
  } catch (_) {
    /* os figure */
  }
  return {
    date: new Date().toISOString(),
    nproc,
    model,
    memory: `${(os.totalmem() / 2 ** 30).toFixed(0)} GiB`,
    chromium: browserVersion,
    node: process.version,
    os: `${os.type()} ${os.release()}`,
    loadavg: os.loadavg().map((x) => x.toFixed(2)).join(' '),
  };
}

/** A copy of pkg/'s files in a temporary directory; taken again while pkg/ changes under it (a rebuild). */
function snapshot(source = PKG_DIR) {
  const state = () => {
    try {
      return JSON.stringify(readdirSync(source).map((f) => [f, statSync(path.join(source, f)).mtimeMs]));
    } catch (_) {
      return 'changing';
    }
  };
  for (let attempt = 0; ; attempt++) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'iamport-billing-bench-'));
    const before = state();
    try {
      cpSync(source, dir, { recursive: true, preserveTimestamps: true, filter: (src) => statSync(src).isDirectory() || /\.(js|mjs|wasm|json)$/.test(src) });
      if (before !== 'changing' && state() === before && statSync(path.join(dir, 'index.js'), { throwIfNoEntry: false })) return dir;
    } catch (_) {
      /* a file went away during the copy */
    }
    rmSync(dir, { recursive: true, force: true });
    if (attempt === 30) throw new Error(`${source} kept changing for a minute; run the bench when pkg/ is built`);
    execFileSync('sleep', ['2']);
  }
}

// ---------------------------------------------------------------------------------------------

/** One page load in a new context (nothing cached); the page's `window.__bench`. */
async function load(browser, server, pathAndQuery) {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    page.setDefaultTimeout(60_000);
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await page.goto(`${server.base}${pathAndQuery}`);
    try {
      await page.waitForFunction(() => window.__bench !== undefined, null, { timeout: 20_000 });
    } catch (e) {
      const stage = await page.evaluate(() => window.__stage).catch(() => undefined);
      throw new Error(`${pathAndQuery}: no result within 20 s (stage: ${JSON.stringify(stage)}; page errors: ${errors.join('; ') || 'none'})`);
    }
    const r = await page.evaluate(() => window.__bench);
    if (!r.ok) throw new Error(`${pathAndQuery}: ${r.error}`);
    if (errors.length) throw new Error(`${pathAndQuery}: the page reported ${errors.join('; ')}`);
    return r;
  } finally {
    await context.close();
  }
}

/** `rounds` loads of each variant ([server, path]), interleaved (one of each per round). */
async function interleaved(browser, variants, rounds) {
  const out = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
  for (let i = 0; i < rounds; i++) {
    for (const [k, [server, url]] of Object.entries(variants)) out[k].push(await load(browser, server, url));
  }
  return out;
}

/** gzip -9 bytes of the package files one page load of `server` fetched for one import and one call. */
async function shippedBy(browser, server, dir) {
  server.requested.length = 0;
  await load(browser, server, '/bench/click.html?target=ours&mode=early');
  const fetched = [...new Set(server.requested.filter((p) => p.startsWith('/pkg/')).map((p) => p.slice(5)))];
  return { fetched, shipped: fetched.reduce((a, rel) => a + gzip9(path.join(dir, rel)), 0) };
}

/** The calls page on `server`: the equivalence check, then --calls calls of ours and of the baseline. */
async function callsOn(browser, server) {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    page.setDefaultTimeout(120_000);
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (msg) => {
      if (msg.type() === 'error') errors.push(msg.text());
    });
    await page.goto(`${server.base}/bench/calls.html`);
    await page.waitForFunction(() => window.__benchReady === true);
    const eq = await page.evaluate(() => window.__equivalence());
    const calls = await page.evaluate((opts) => window.__runCalls(opts), { calls: CALLS, warmup: WARMUP, block: BLOCK });
    if (errors.length) throw new Error(`the calls page reported ${errors.join('; ')}`);
    const cs = {};
    for (const impl of ['ours', 'baseline']) {
      // A whole call: call → IMP.request_pay, plus callback → settled.
      const c = calls[impl];
      c.total = c.toImp.map((t, i) => t + c.settle[i]);
      cs[impl] = {};
      for (const key of ['toImp', 'settle', 'total']) cs[impl][key] = { ...stats(c[key]), grouped: stats(groupMeans(c[key], GROUP)) };
    }
    return { eq, calls, cs };
  } finally {
    await context.close();
  }
}

/** The three speed ratios (ours / the baseline, medians) and shipped bytes, each with its target. */
function targets(wait, ready, call, shipped) {
  const row = (label, value, target, text) => ({ label, value, target, ok: value <= target, text });
  return [
    row('importer waits (import began → its first line)', wait, TARGETS.wait, `${wait.toFixed(2)}×`),
    row('import → ready() resolved', ready, TARGETS.ready, `${ready.toFixed(2)}×`),
    row('per call (call → IMP.request_pay → settled)', call, TARGETS.call, `${call.toFixed(2)}×`),
    row('shipped bytes (gzip -9)', shipped, SHIPPED_BUDGET, `${int(shipped)} B`),
  ];
}
const mark = (ok) => (ok ? '✓' : '✗');
const targetText = (t) => (t.label.startsWith('shipped') ? `≤ ${int(t.target)} B (aim ${int(SHIPPED_AIM)} B${t.value <= SHIPPED_AIM ? ', met' : ''})` : `≤ ${t.target.toFixed(2)}×`);

async function main() {
  const began = Date.now();
  if (!statSync(path.join(PKG_DIR, 'index.js'), { throwIfNoEntry: false })) {
    if (!statSync(PKG_DIR, { throwIfNoEntry: false })) {
      console.error(`${PKG_DIR} is missing: run \`make pkg\` first`);
      process.exit(2);
    }
    // scripts/build-pkg.sh empties pkg/ first: wait for a build in progress (up to 5 minutes).
    console.log(`${path.join(PKG_DIR, 'index.js')} is missing: waiting for a build of pkg/ to finish…`);
    for (let i = 0; i < 150 && !statSync(path.join(PKG_DIR, 'index.js'), { throwIfNoEntry: false }); i++) execFileSync('sleep', ['2']);
    if (!statSync(path.join(PKG_DIR, 'index.js'), { throwIfNoEntry: false })) {
      console.error(`${path.join(PKG_DIR, 'index.js')} is still missing: run \`make pkg\` first`);
      process.exit(2);
    }
    execFileSync('sleep', ['3']); // the rest of the build's files
  }
  PKG = snapshot();
  const built = new Date(statSync(path.join(PKG, 'index.js')).mtimeMs).toISOString();
  process.on('exit', () => rmSync(PKG, { recursive: true, force: true }));
  const server = await startServer(PKG);
  // The builds to compare, each a copy served from its own server (own origin), like ours.
  const others = [];
  for (const c of COMPARE) {
    if (!statSync(path.join(c.dir, 'index.js'), { throwIfNoEntry: false })) throw new Error(`--compare ${c.name}: ${c.dir}/index.js is missing`);
    const copy = snapshot(c.dir);
    process.on('exit', () => rmSync(copy, { recursive: true, force: true }));
    others.push({ ...c, copy, server: await startServer(copy) });
  }
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
    timeout: 60_000,
  });
  const report = { machine: machine(browser.version()), package: { dir: path.relative(REPO, PKG_DIR) || '.', built }, options: { loads: LOADS, calls: CALLS, warmup: WARMUP, block: BLOCK } };
  let failed = false;
  try {
    const m = report.machine;
    console.log('iamport-billing benchmark (ours = pkg/, baseline = tests/reference/baseline.js, plain JS)');
    console.log(`  date      ${m.date}`);
    console.log(`  machine   ${m.nproc} × ${m.model}, ${m.memory}, ${m.os}`);
    console.log(`  browser   Chromium ${m.chromium} (headless, loopback), node ${m.node}`);
    console.log(`  load avg  ${m.loadavg} (1, 5, 15 min, at the start: other work on the machine skews the timings)`);
    console.log(`  package   ${path.relative(REPO, PKG_DIR) || '.'}/ (index.js written ${built}; a copy taken at the start is served)`);
    console.log('');

    // 1. Shipped bytes: what one page load fetches for one import and one call.
    server.requested.length = 0;
    await load(browser, server, '/bench/click.html?target=ours&mode=early');
    const pkgRequests = server.requested.filter((p) => p.startsWith('/pkg/'));
    const fetched = [...new Set(pkgRequests.map((p) => p.slice(5)))];
    const entry = staticGraph('index.js');
    const order = (f) => (entry.includes(f) ? entry.indexOf(f) : f.endsWith('.wasm') ? 1e6 : 1e3);
    fetched.sort((a, b) => order(a) - order(b) || a.localeCompare(b));
    const files = fetched.map((rel) => {
      const file = path.join(PKG, rel);
      return { file: rel, raw: statSync(file).size, gzip: gzip9(file), part: entry.includes(rel) ? 'entry' : 'background' };
    });
    const shipped = files.reduce((a, f) => a + f.gzip, 0);
    const entryGzip = files.filter((f) => f.part === 'entry').reduce((a, f) => a + f.gzip, 0);
    const entryMissing = entry.filter((f) => !fetched.includes(f));
    const unfetched = pkgFiles().filter((rel) => !fetched.includes(rel));
    // The baseline as written and minified (esbuild, as a bundler would ship it); all of it is entry.
    const baseSrc = readFileSync(path.join(REPO, 'tests/reference/baseline.js'));
    const baseMin = Buffer.from(require('esbuild').transformSync(baseSrc.toString(), { minify: true, format: 'esm' }).code);
    const baseline = { raw: baseSrc.length, gzip: gzip9(path.join(REPO, 'tests/reference/baseline.js')), minRaw: baseMin.length, minGzip: execFileSync('gzip', ['-9', '-c'], { input: baseMin }).length };
    // What the browser had finished when the importer's code began (one load).
    const probe = await load(browser, server, '/bench/load.html?target=ours');
    report.size = { files, shipped, entry: entryGzip, entryFiles: entry, budgets: { shipped: SHIPPED_BUDGET, entry: ENTRY_BUDGET }, notFetched: unfetched, baseline, doneAtFirstLine: probe.doneAtFirstLine };
    const budget = (n, b) => (n <= b ? `within (${int(b - n)} B to spare)` : `OVER by ${int(n - b)} B`);
    console.log('1. Shipped bytes: every file one page load fetched for one import and one call');
    const w = Math.max(...files.map((f) => f.file.length), 30) + 2;
    console.log(`    ${pad('file', w)}${lpad('raw', 9)}${lpad('gzip -9', 9)}  part`);
    for (const f of files) console.log(`    ${pad(`pkg/${f.file}`, w)}${lpad(int(f.raw), 9)}${lpad(int(f.gzip), 9)}  ${f.part}`);
    console.log(`    ${pad('shipped', w)}${lpad('', 9)}${lpad(int(shipped), 9)}  budget ${int(SHIPPED_BUDGET)}: ${budget(shipped, SHIPPED_BUDGET)}`);
    console.log(`    ${pad('entry (index.js + static imports)', w)}${lpad('', 9)}${lpad(int(entryGzip), 9)}  budget ${int(ENTRY_BUDGET)}: ${budget(entryGzip, ENTRY_BUDGET)}`);
    console.log(`    ${pad('baseline.js as written', w)}${lpad(int(baseline.raw), 9)}${lpad(int(baseline.gzip), 9)}  (all entry)`);
    console.log(`    ${pad('baseline.js minified (esbuild)', w)}${lpad(int(baseline.minRaw), 9)}${lpad(int(baseline.minGzip), 9)}  (all entry)`);
    console.log(`    finished by the browser when the importer's code began: ${probe.doneAtFirstLine.map((p) => p.replace('/pkg/', '')).join(', ') || 'none'}`);
    if (entryMissing.length) console.log(`    NOTE: the entry's static imports ${entryMissing.join(', ')} were not fetched`);
    if (pkgRequests.length !== fetched.length) console.log(`    NOTE: some files were requested more than once: ${pkgRequests.join(', ')}`);
    if (unfetched.length) console.log(`    NOTE: in pkg/ but not fetched: ${unfetched.join(', ')}`);
    console.log('');

    // 2 and 3: fresh loads of a page whose module statically imports the library.
    // The builds of --compare are loaded in the same rounds, each from its own server.
    const LOAD = { ours: 'ours', baseline: 'baseline', empty: 'empty module' };
    const loadVariants = {
      ...Object.fromEntries(Object.keys(LOAD).map((t) => [t, [server, `/bench/load.html?target=${t}`]])),
      ...Object.fromEntries(others.map((o) => [`pkg ${o.name}`, [o.server, '/bench/load.html?target=ours']])),
    };
    for (const [srv, url] of Object.values(loadVariants)) await load(browser, srv, url); // one unrecorded load each
    const loads = await interleaved(browser, loadVariants, LOADS);
    const L = {};
    for (const [t, rs] of Object.entries(loads)) {
      L[t] = {
        wait: stats(rs.map((r) => r.firstLine - r.importStart)),
        firstLine: stats(rs.map((r) => r.firstLine)),
        ready: stats(rs.map((r) => r.readyAt - r.importStart)),
        syncAtFirstLine: [...new Set(rs.map((r) => r.syncAtFirstLine))],
      };
      if (t === 'ours') {
        Object.assign(L[t], {
          wasmEnd: stats(rs.map((r) => r.wasmEnd - r.importStart)),
          afterWasm: stats(rs.map((r) => r.readyAt - r.wasmEnd)),
          wasmEndAfterFirstLine: stats(rs.map((r) => r.wasmEnd - r.firstLine)),
          ranBeforeWasmEnd: count(rs.map((r) => r.firstLine < r.wasmEnd)),
          wasmRequestToFirstLine: stats(rs.map((r) => r.firstLine - r.wasmStart)),
        });
      }
    }
    report.load = { loads: LOADS, ...L, samples: loads };
    const ms2 = (s) => `${lpad(dur(s.median), 10)}${lpad(dur(s.p90), 10)}`;
    console.log(`2. Wait before the importing module's own code runs (${LOADS} fresh loads each; median, p90)`);
    console.log(`    ${pad('', 14)}${lpad('import began → its first line', 30)}${lpad('navigation start → first line', 33)}`);
    for (const [t, label] of Object.entries(LOAD)) console.log(`    ${pad(label, 14)}${lpad('', 10)}${ms2(L[t].wait)}${lpad('', 13)}${ms2(L[t].firstLine)}`);
    const o = L.ours;
    console.log(`    ours: the wasm's response ended ${dur(o.wasmEnd.median)} after the import began (median; p90 ${dur(o.wasmEnd.p90)}), ${dur(o.wasmEndAfterFirstLine.median)} after the importer's first line`);
    console.log(`    ours: the importer's code ran before the wasm's response ended in ${o.ranBeforeWasmEnd} loads; the wasm was requested ${dur(o.wasmRequestToFirstLine.median)} before it (median; clock 100 µs grain)`);
    console.log(`    sync API (newMerchantUid) at the first line: ours ${o.syncAtFirstLine.join('/')}, baseline ${L.baseline.syncAtFirstLine.join('/')}`);
    console.log('');
    console.log(`3. import → ready() (the same ${LOADS} loads: the entry's request → ready() resolved; the baseline is ready when its import is)`);
    console.log(`    ${pad('', 14)}${lpad('median', 10)}${lpad('p90', 10)}`);
    for (const [t, label] of Object.entries(LOAD)) console.log(`    ${pad(label, 14)}${ms2(L[t].ready)}`);
    const fileOrder = [...new Set(loads.ours.flatMap((r) => Object.keys(r.files)))];
    L.ours.waterfall = fileOrder.map((f) => {
      const at = (i) => quantile(loads.ours.filter((r) => r.files[f]).map((r) => r.files[f][i] - r.importStart), 0.5);
      return { file: f.replace('/pkg/', ''), requested: at(0), ended: at(1) };
    });
    const fall = L.ours.waterfall.map((w) => `${w.file} ${w.requested.toFixed(1)}–${w.ended.toFixed(1)}`);
    console.log(`    ours, medians in ms from the import's start: ${fall.join(', ')}; first line ${o.wait.median.toFixed(1)}, ready ${o.ready.median.toFixed(1)}`);
    console.log(`    ours: until the wasm's response ended ${dur(o.wasmEnd.median)}, after it until ready() ${dur(o.afterWasm.median)} (medians)`);
    console.log('');

    // 4. First click → request_pay.
    const CLICK = { early: ['ours', 'early', 'ours, right after import'], ready: ['ours', 'ready', 'ours, after await ready()'], baseline: ['baseline', 'early', 'baseline, right after import'] };
    for (const [t, mode] of Object.values(CLICK)) await load(browser, server, `/bench/click.html?target=${t}&mode=${mode}`);
    const clicks = await interleaved(browser, Object.fromEntries(Object.entries(CLICK).map(([k, [t, mode]]) => [k, [server, `/bench/click.html?target=${t}&mode=${mode}`]])), LOADS);
    const C = {};
    for (const [k, rs] of Object.entries(clicks)) {
      C[k] = {
        ...stats(rs.map((r) => r.clickToImp)),
        inHandler: count(rs.map((r) => r.inHandler === true)),
        second: stats(rs.map((r) => r.second)),
        secondInHandler: count(rs.map((r) => r.secondInHandler === true)),
        isolated: rs.every((r) => r.isolated),
      };
    }
    report.click = { loads: LOADS, ...C, samples: clicks };
    console.log(`4. First click → IMP.request_pay (${LOADS} fresh loads each, one click per page; clock ${C.early.isolated ? '5 µs grain' : 'NOT isolated, 100 µs grain'})`);
    console.log(`    ${pad('', 30)}${lpad('median', 11)}${lpad('p90', 11)}   inside the handler │ 2nd click: median  inside`);
    for (const [k, [, , label]] of Object.entries(CLICK)) {
      console.log(`    ${pad(label, 30)}${lpad(dur(C[k].median), 11)}${lpad(dur(C[k].p90), 11)}   ${lpad(C[k].inHandler, 9)} loads │ ${lpad(dur(C[k].second.median), 17)}  ${lpad(C[k].secondInHandler, 6)}`);
    }
    console.log('');

    // 5. Per call, after the equivalence check (each build of --compare in its own page, against the baseline there).
    const { eq, calls, cs } = await callsOn(browser, server);
    report.equivalence = eq;
    report.calls = { calls: CALLS, warmup: WARMUP, block: BLOCK, isolated: calls.isolated, ...cs };
    console.log(`5. Per call, after ready() (${CALLS} calls each in one page after ${WARMUP} warm-up calls each, alternating blocks of ${BLOCK})`);
    console.log(`    equivalence check: ${eq.cases - eq.differences.length}/${eq.cases} cases treated alike (same object to IMP, same result or error)`);
    for (const d of eq.differences) console.log(`      DIFFERS: ${d.label}: ours ${JSON.stringify(d.ours)} / baseline ${JSON.stringify(d.baseline)}`);
    if (eq.differences.length) failed = true;
    console.log(`    clock ${calls.isolated ? '5 µs grain' : 'NOT isolated, 100 µs grain'}    ${pad('', 10)}${lpad('median', 10)}${lpad('p90', 10)}${lpad('mean', 10)} │ median of ${GROUP}-call means`);
    for (const [key, label] of [['toImp', 'call → IMP.request_pay'], ['settle', 'callback → settled'], ['total', 'the whole call']]) {
      for (const impl of ['ours', 'baseline']) {
        const s = cs[impl][key];
        console.log(`    ${pad(impl === 'ours' ? label : '', 24)}${pad(impl, 10)}${lpad(us(s.median), 10)}${lpad(us(s.p90), 10)}${lpad(us(s.mean), 10)} │ ${lpad(us(s.grouped.median), 9)}`);
      }
      console.log(`    ${pad('', 24)}${pad('ours/base', 10)}${lpad('', 30)} │ ${lpad(ratio(cs.ours[key].grouped.median, cs.baseline[key].grouped.median), 9)}`);
    }
    console.log('');

    // 6. The targets: ours / the baseline in this run (medians; per call: of 20-call means).
    const callRatio = (c) => c.ours.total.grouped.median / c.baseline.total.grouped.median;
    const builds = [];
    for (const other of others) {
      const size = await shippedBy(browser, other.server, other.copy);
      const oc = await callsOn(browser, other.server);
      const ol = L[`pkg ${other.name}`];
      builds.push({ name: other.name, dir: other.dir, wait: ol.wait.median, ready: ol.ready.median, call: oc.cs.ours.total.grouped.median, baseCall: oc.cs.baseline.total.grouped.median,
        targets: targets(ol.wait.median / L.baseline.wait.median, ol.ready.median / L.baseline.ready.median, callRatio(oc.cs), size.shipped) });
    }
    builds.push({ name: 'this build', dir: path.relative(REPO, PKG_DIR) || '.', wait: o.wait.median, ready: o.ready.median, call: cs.ours.total.grouped.median, baseCall: cs.baseline.total.grouped.median,
      targets: targets(o.wait.median / L.baseline.wait.median, o.ready.median / L.baseline.ready.median, callRatio(cs), shipped) });
    report.targets = { targets: TARGETS, shippedBudget: SHIPPED_BUDGET, shippedAim: SHIPPED_AIM, baseline: { wait: L.baseline.wait.median, ready: L.baseline.ready.median }, builds };
    const mine = builds.at(-1).targets;
    console.log('6. Targets: ours / the baseline, in this run (medians; per call: median of 20-call means of a whole call)');
    for (const t of mine) console.log(`    ${mark(t.ok)} ${pad(t.label, 50)}${lpad(t.text, 10)}   target ${targetText(t)}`);
    if (others.length) {
      console.log(`    side by side (the same rounds; per call: each build's own page, against the baseline there):`);
      console.log(`    ${pad('build', 16)}${lpad('importer waits', 16)}${lpad('ready()', 16)}${lpad('per call', 16)}${lpad('shipped', 10)}`);
      for (const b of builds) console.log(`    ${pad(b.name, 16)}${b.targets.map((t, i) => lpad(`${t.text} ${mark(t.ok)}`, i === 3 ? 12 : 16)).join('')}`);
    }
  } finally {
    await browser.close();
    await server.close();
    for (const other of others) await other.server.close();
  }
  const seconds = Math.round((Date.now() - began) / 1000);
  report.seconds = seconds;
  report.loadavgAtEnd = os.loadavg().map((x) => x.toFixed(2)).join(' ');
  console.log('');
  console.log(`run took ${seconds} s; load avg at the end ${report.loadavgAtEnd}${failed ? '; FAILED: ours and the baseline differ on the cases above' : ''}`);
  if (JSON_OUT) {
    writeFileSync(JSON_OUT, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`figures written to ${JSON_OUT}`);
  }
  if (MD_OUT) {
    writeFileSync(MD_OUT, markdown(report));
    console.log(`Markdown written to ${MD_OUT}`);
  }
  if (failed) process.exit(1);
}

/** The figures of `report` as Markdown tables (BENCHMARKS.md's "Current figures"). */
function markdown(r) {
  const m = r.machine;
  const ms = (s) => `${dur(s.median)} | ${dur(s.p90)}`;
  const L = r.load;
  const C = r.click;
  const o = L.ours;
  const budget = (n, b) => (n <= b ? `${int(b - n)} B under the budget of ${int(b)}` : `**over** the budget of ${int(b)} by ${int(n - b)} B`);
  const load = [Number(m.loadavg.split(' ')[0]), Number(r.loadavgAtEnd.split(' ')[0])];
  const lines = [
    `Run of ${m.date.slice(0, 16).replace('T', ' ')} UTC on ${m.nproc} CPUs (\`nproc\`), ${m.model} (\`lscpu\`),`,
    `${m.memory}, ${m.os}; Chromium ${m.chromium} headless over loopback; node ${m.node}.`,
    `Package: \`${r.package.dir}/\` as built at ${r.package.built.slice(0, 19).replace('T', ' ')} UTC. Options: --loads ${r.options.loads}`,
    `--calls ${r.options.calls} --warmup ${r.options.warmup} --block ${r.options.block}; the run took ${r.seconds} s. Load average (1 min)`,
    `${load[0]} at the start, ${load[1]} at the end (the bench's own work included).`,
    ...(load[0] > m.nproc / 2
      ? ['The machine was busy with other work during the run: absolute times are higher and noisier than', 'on an idle machine; compare ours and the baseline within the run.']
      : []),
    '',
    '**1. Shipped bytes** (one page load: one import, one call)',
    '',
    '| file | raw | gzip -9 | part |',
    '| --- | --: | --: | --- |',
    ...r.size.files.map((f) => `| \`${f.file}\` | ${int(f.raw)} | ${int(f.gzip)} | ${f.part} |`),
    `| **shipped** | | **${int(r.size.shipped)}** | ${budget(r.size.shipped, r.size.budgets.shipped)} |`,
    `| **entry** (${r.size.entryFiles.map((f) => `\`${f}\``).join(' + ')}) | | **${int(r.size.entry)}** | ${budget(r.size.entry, r.size.budgets.entry)} |`,
    `| baseline: \`tests/reference/baseline.js\` as written | ${int(r.size.baseline.raw)} | ${int(r.size.baseline.gzip)} | all entry |`,
    `| baseline minified (esbuild) | ${int(r.size.baseline.minRaw)} | ${int(r.size.baseline.minGzip)} | all entry |`,
    '',
    `**2. Wait before the importing module's own code runs** (${L.loads} fresh loads each)`,
    '',
    '| importer of | import began → first line: median | p90 | navigation start → first line: median | p90 |',
    '| --- | --: | --: | --: | --: |',
    `| ours (\`pkg/index.js\`) | ${ms(o.wait)} | ${ms(o.firstLine)} |`,
    `| baseline | ${ms(L.baseline.wait)} | ${ms(L.baseline.firstLine)} |`,
    `| an empty module | ${ms(L.empty.wait)} | ${ms(L.empty.firstLine)} |`,
    `| ours: the wasm's response ended (for comparison) | ${ms(o.wasmEnd)} | | |`,
    '',
    `Ours: the importer's code ran before the wasm's response ended in ${o.ranBeforeWasmEnd} loads (the wasm ended ${dur(o.wasmEndAfterFirstLine.median)}`,
    `after the first line, median); the wasm had been requested ${o.wasmRequestToFirstLine.median.toFixed(1)} ms before it. At the first line ours' synchronous`,
    `API throws ${o.syncAtFirstLine.join('/')}; the baseline's is ${L.baseline.syncAtFirstLine.join('/')}.`,
    '',
    `**3. import → ready()** (the same loads: the entry's request → \`ready()\` resolved; the baseline is ready when imported)`,
    '',
    '| | median | p90 |',
    '| --- | --: | --: |',
    `| ours | ${ms(o.ready)} |`,
    `| baseline | ${ms(L.baseline.ready)} |`,
    `| an empty module | ${ms(L.empty.ready)} |`,
    '',
    '| ours, from the import\'s start (medians) | requested | response ended |',
    '| --- | --: | --: |',
    ...o.waterfall.map((w) => `| \`${w.file}\` | ${w.requested.toFixed(1)} ms | ${w.ended.toFixed(1)} ms |`),
    `| the importer's first line | ${o.wait.median.toFixed(1)} ms | |`,
    `| \`ready()\` resolved | ${o.ready.median.toFixed(1)} ms | |`,
    '',
    `**4. First click → \`IMP.request_pay\`** (${C.loads} fresh loads each, one click per page, then a second click)`,
    '',
    '| | first click: median | p90 | request_pay inside the click handler | second click: median |',
    '| --- | --: | --: | --: | --: |',
    `| ours, click right after import | ${ms(C.early)} | ${C.early.inHandler} | ${dur(C.early.second.median)} |`,
    `| ours, click after \`await ready()\` | ${ms(C.ready)} | ${C.ready.inHandler} | ${dur(C.ready.second.median)} |`,
    `| baseline, click right after import | ${ms(C.baseline)} | ${C.baseline.inHandler} | ${dur(C.baseline.second.median)} |`,
    '',
    `**5. Per call, after \`ready()\`** (${int(r.calls.calls)} calls each; equivalence check ${r.equivalence.cases - r.equivalence.differences.length}/${r.equivalence.cases})`,
    '',
    `| | ours: median | mean | median of ${GROUP}-call means | baseline: median | mean | median of ${GROUP}-call means |`,
    '| --- | --: | --: | --: | --: | --: | --: |',
    ...[['toImp', 'call → `IMP.request_pay`'], ['settle', 'callback → Promise settled'], ['total', 'the whole call']].map(([k, label]) => {
      const a = r.calls.ours[k];
      const b = r.calls.baseline[k];
      return `| ${label} | ${us(a.median)} | ${us(a.mean)} | ${us(a.grouped.median)} | ${us(b.median)} | ${us(b.mean)} | ${us(b.grouped.median)} |`;
    }),
    '',
    `**6. Targets** (ours / the baseline in this run: medians of 2 and 3, median of ${GROUP}-call means of a whole call; ✓ within the target)`,
    '',
    `| build | importer waits (≤ ${r.targets.targets.wait.toFixed(2)}×) | import → \`ready()\` (≤ ${r.targets.targets.ready.toFixed(2)}×) | per call (≤ ${r.targets.targets.call.toFixed(2)}×) | shipped (≤ ${int(r.targets.shippedBudget)} B, aim ${int(r.targets.shippedAim)} B) |`,
    '| --- | --: | --: | --: | --: |',
    ...r.targets.builds.map((b) => `| ${b.name} (\`${b.dir}\`) | ${b.targets.map((t) => `${t.text} ${mark(t.ok)}`).join(' | ')} |`),
    '',
    `Medians behind the ratios (ms; per call µs): the baseline waits ${r.targets.baseline.wait.toFixed(2)} and is ready at ${r.targets.baseline.ready.toFixed(2)};`,
    ...r.targets.builds.map((b) => `${b.name}: waits ${b.wait.toFixed(2)}, ready ${b.ready.toFixed(2)}, a whole call ${us(b.call / 1)} (the baseline in its page ${us(b.baseCall)});`),
    '',
  ];
  return lines.join('\n');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
