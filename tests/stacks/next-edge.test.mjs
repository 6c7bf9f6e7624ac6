// Next.js 16 on the edge runtime: tests/stacks/next/app/api/edge/payments/[imp_uid]/route.ts has
// `export const runtime = 'edge'` and imports iamport-billing/server (its `edge-light` entry, the .wasm
// imported with `?module`). tests/run-stacks.sh builds the app twice, with Turbopack (.next/, the
// build the other Next stacks use) and with webpack (.next-webpack/). For each build: the edge
// function's manifest binds the package's .wasm as a file of its own (what Vercel hands the function
// compiled) and no JavaScript of the function carries it inlined; `next start` serves the route,
// which reads a payment from the sandbox and refuses a bad param, and the Node runtime's
// /api/subscribe beside it.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { STACKS, OUT, freePort } from './lib.mjs';
import { startSandbox, issueKey, eventually, IMP_KEY, IMP_SECRET } from '../e2e/sandbox-server.mjs';

const APP = path.join(STACKS, 'next');
const ROUTE = '/api/edge/payments/[imp_uid]/route';
const WASM = readFileSync(path.join(APP, 'node_modules', 'iamport-billing', 'server', 'bindings_bg.wasm'));
// "\0asm" in base64, at any of the three alignments: an inlined copy of any wasm holds one of them.
const WASM_IN_BASE64 = /AGFzbQ|Bhc20|YXNt/;

const BUILDS = [
  { name: 'Turbopack', distDir: '.next', log: 'next-build.log' },
  { name: 'webpack', distDir: '.next-webpack', log: 'next-webpack-build.log' },
];

let sandbox;

before(async () => {
  for (const { distDir, log } of BUILDS) {
    assert.ok(existsSync(path.join(APP, distDir, 'BUILD_ID')), `tests/stacks/next has no ${distDir} build: see ${path.join(OUT, log)} (run tests/run-stacks.sh)`);
  }
  sandbox = await startSandbox();
});

after(async () => {
  await sandbox?.stop();
});

/** `next start` serving `distDir`, in its own process group; resolves `{ url, stop }`. */
async function startNext(distDir) {
  const port = await freePort();
  const child = spawn(process.execPath, [path.join(APP, 'node_modules/next/dist/bin/next'), 'start', '-H', '127.0.0.1', '-p', String(port)], {
    cwd: APP,
    env: {
      ...process.env, NEXT_DIST_DIR: distDir, NEXT_TELEMETRY_DISABLED: '1',
      IAMPORT_BASE_URL: sandbox.url, IAMPORT_KEY: IMP_KEY, IAMPORT_SECRET: IMP_SECRET,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const kill = (signal) => { try { process.kill(-child.pid, signal); } catch { /* already gone */ } };
  process.once('exit', () => kill('SIGKILL'));
  const output = [];
  child.stdout.on('data', (d) => output.push(String(d)));
  child.stderr.on('data', (d) => output.push(String(d)));
  const url = `http://127.0.0.1:${port}`;
  await eventually(async () => {
    if (child.exitCode !== null) throw new Error(`next start exited with ${child.exitCode}:\n${output.join('')}`);
    try {
      return (await fetch(`${url}/`)).ok;
    } catch {
      return false; // not listening yet
    }
  }, 'next start answering', 30_000);
  async function stop() {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    kill('SIGTERM');
    await exited;
  }
  return { url, output, stop };
}

for (const { name, distDir } of BUILDS) {
  test(`${name}: the edge function binds the .wasm as a file of its own, inlined nowhere`, () => {
    const dir = path.join(APP, distDir);
    const manifest = JSON.parse(readFileSync(path.join(dir, 'server', 'middleware-manifest.json'), 'utf8'));
    const fn = manifest.functions?.[ROUTE];
    assert.ok(fn, `${ROUTE} is an edge function: ${JSON.stringify(Object.keys(manifest.functions ?? {}))}`);
    const wasm = (fn.wasm ?? []).filter((w) => readFileSync(path.join(dir, w.filePath)).equals(WASM));
    assert.equal(wasm.length, 1, `the function binds the package's .wasm once: ${JSON.stringify(fn.wasm)}`);
    for (const file of fn.files) {
      const code = readFileSync(path.join(dir, file), 'utf8');
      assert.doesNotMatch(code, WASM_IN_BASE64, `${file} inlines no wasm`);
    }
  });

  test(`${name}: next start serves the edge route, which reads a payment from the sandbox`, async () => {
    const customer_uid = `next-edge-${name.toLowerCase()}`;
    const issued = await issueKey(sandbox, { customer_uid, merchant_uid: `next_edge_${name.toLowerCase()}` });
    const next = await startNext(distDir);
    try {
      const res = await fetch(`${next.url}/api/edge/payments/${issued.imp_uid}`);
      const payment = await res.json();
      assert.equal(res.status, 200, JSON.stringify(payment));
      assert.deepEqual(
        [payment.imp_uid, payment.customer_uid, payment.status, payment.customer_uid_usage],
        [issued.imp_uid, customer_uid, 'paid', 'issue'],
      );

      const confirmed = await fetch(`${next.url}/api/edge/payments/${issued.imp_uid}?customer_uid=${customer_uid}&amount=0`);
      assert.equal(confirmed.status, 200, await confirmed.clone().text());
      assert.equal((await confirmed.json()).imp_uid, issued.imp_uid);

      const bad = await fetch(`${next.url}/api/edge/payments/${issued.imp_uid}?customer_uid=${customer_uid}&amount=-5`);
      const refused = await bad.json();
      assert.equal(bad.status, 400, JSON.stringify(refused));
      assert.deepEqual([refused.code, refused.field], ['INVALID_PARAM', 'amount']);

      // The Node runtime's route handler in the same build (webpack: the inlined entry).
      const subscribed = await fetch(`${next.url}/api/subscribe`, {
        // The app's stand-in session names the customer; the browser sends only the imp_uid.
        method: 'POST', headers: { 'content-type': 'application/json', cookie: `session=${encodeURIComponent(customer_uid)}` },
        body: JSON.stringify({ imp_uid: issued.imp_uid }),
      });
      const body = await subscribed.json();
      assert.equal(subscribed.status, 200, JSON.stringify(body));
      assert.match(body.charged, /^imps_\d{12}$/);
      assert.doesNotMatch(next.output.join(''), /wasm|WebAssembly/i, 'next start logged nothing about the wasm');
    } finally {
      await next.stop();
    }
  });
}
