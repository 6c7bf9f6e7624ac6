// `make bench`, the server half: start-up of `iamport-billing/server` (pkg/server/), next to npm
// iamporter 1.4.2 (bench/server/, a Node client of the same REST API), and its first request in
// workerd. BENCHMARKS.md explains each figure. Nothing here fails on a figure.
//
//   node bench/server.mjs [--runs 20] [--workerd-runs 10]
//
// 1. Node, whole process: `node` starting, importing the client and creating one, then exiting;
//    ours (pkg/server/node.js: reads and compiles the .wasm) and iamporter (axios) in turn, A B A B …,
//    so a drift of the machine's speed hits both; the ratio is taken pair by pair. `node -e 0` is
//    shown for scale.
// 2. workerd (through Miniflare, tests/stacks/worker's bundle: run `STACKS=worker bash
//    tests/run-stacks.sh` first): a fresh workerd each run; start (the bundle loaded, the wasm
//    instantiated) and the first request, which creates the client and answers a refused param
//    (INVALID_PARAM, nothing sent), then a second request.

import { spawnSync, execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values: args } = parseArgs({ options: { runs: { type: 'string', default: '20' }, 'workerd-runs': { type: 'string', default: '10' } } });
const RUNS = Number(args.runs);
const WORKERD_RUNS = Number(args['workerd-runs']);

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const ms = (x) => `${x.toFixed(1)} ms`;
const row = (name, xs, unit = ms) => console.log(`  ${name.padEnd(44)} ${unit(median(xs)).padStart(10)}   (min ${unit(Math.min(...xs))}, max ${unit(Math.max(...xs))})`);

// ---- 1. Node --------------------------------------------------------------------------------------
const YARDSTICK = path.join(REPO, 'bench', 'server');
if (!existsSync(path.join(YARDSTICK, 'node_modules', 'iamporter', 'package.json'))) {
  execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: YARDSTICK, stdio: 'inherit' });
}
const ENTRY = path.join(REPO, 'pkg', 'server', 'node.js');
if (!existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: run make pkg`);
const SECRET = 'bench_secret_0123456789';
const COMMANDS = {
  ours: ['--input-type=module', '-e', `import { createIamportClient } from ${JSON.stringify(ENTRY)}; createIamportClient({ impKey: 'k', impSecret: '${SECRET}' });`],
  iamporter: ['-e', `const { Iamporter } = require(${JSON.stringify(path.join(YARDSTICK, 'node_modules', 'iamporter'))}); new Iamporter({ apiKey: 'k', secret: '${SECRET}' });`],
  empty: ['-e', '0'],
};

function wall(argv) {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, argv, { stdio: ['ignore', 'ignore', 'pipe'] });
  const took = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`node ${argv.join(' ')} failed (${r.status}): ${r.stderr}`);
  return took;
}

console.log(`server: Node ${process.version}, import + createIamportClient, whole process, ${RUNS} runs each (median)`);
for (const argv of Object.values(COMMANDS)) wall(argv); // warm the file cache
const times = { ours: [], iamporter: [], empty: [] };
const ratios = [];
for (let i = 0; i < RUNS; i++) {
  const ours = wall(COMMANDS.ours);
  const theirs = wall(COMMANDS.iamporter);
  times.ours.push(ours);
  times.iamporter.push(theirs);
  ratios.push(ours / theirs);
  times.empty.push(wall(COMMANDS.empty));
}
row('iamport-billing/server (node.js + .wasm)', times.ours);
row('iamporter 1.4.2 (axios)', times.iamporter);
row('node -e 0', times.empty);
row('ours / iamporter, pair by pair', ratios, (x) => `${x.toFixed(2)}×`);
// The target (reported, never enforced): start no slower than iamporter.
const TARGET = 1.0;
console.log(`  target: ours / iamporter ≤ ${TARGET.toFixed(2)}×: ${median(ratios).toFixed(2)}× ${median(ratios) <= TARGET ? '✓' : '✗'}`);

// ---- 2. workerd -----------------------------------------------------------------------------------
const WORKER = path.join(REPO, 'tests', 'stacks', 'worker');
const DIST = path.join(WORKER, 'dist');
if (!existsSync(path.join(DIST, 'index.js')) || !existsSync(path.join(WORKER, 'node_modules', 'miniflare'))) {
  console.log('\nserver: workerd figures skipped: tests/stacks/worker is not built (STACKS=worker bash tests/run-stacks.sh)');
  process.exit(0);
}
const { Miniflare } = await import(path.join(WORKER, 'node_modules', 'miniflare', 'dist', 'src', 'index.js'));
const wasm = readdirSync(DIST).find((f) => f.endsWith('.wasm'));
console.log(`\nserver: workerd (Miniflare, compatibility date 2025-01-01), ${WORKERD_RUNS} fresh starts (median); the bundle imports ${wasm}`);
const bad = { method: 'POST', body: JSON.stringify({ customer_uid: 'c', merchant_uid: 'm', amount: 1, nmae: 'n' }) };
const start = [];
const first = [];
const second = [];
for (let i = 0; i < WORKERD_RUNS; i++) {
  const t0 = performance.now();
  const mf = new Miniflare({
    modules: true,
    compatibilityDate: '2025-01-01',
    scriptPath: path.join(DIST, 'index.js'),
    modulesRules: [{ type: 'CompiledWasm', include: ['**/*.wasm'] }],
    bindings: { IAMPORT_KEY: 'k', IAMPORT_SECRET: SECRET, IAMPORT_BASE_URL: 'http://127.0.0.1:1' },
  });
  try {
    await mf.ready;
    const t1 = performance.now();
    const a = await mf.dispatchFetch('http://worker.test/charge', bad);
    const body = await a.json();
    const t2 = performance.now();
    if (body.code !== 'INVALID_PARAM') throw new Error(`the Worker answered ${JSON.stringify(body)}`);
    await (await mf.dispatchFetch('http://worker.test/charge', bad)).json();
    const t3 = performance.now();
    start.push(t1 - t0);
    first.push(t2 - t1);
    second.push(t3 - t2);
  } finally {
    await mf.dispose();
  }
}
row('start (workerd up, bundle and wasm loaded)', start);
row('first request (creates the client)', first);
row('second request', second);
