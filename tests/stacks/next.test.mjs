// Next.js 16, app router: tests/stacks/next is built by tests/run-stacks.sh (`next build`, its output in
// target/stacks/next-build.log) against the package installed from the packed tarball. app/page.tsx is
// a server component, pre-rendered at build time, that renders a 'use client' form importing the
// package at its top level. Here `next start` serves it and Chromium goes through the flow.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import {
  STACKS, OUT, launch, openPage, assertNoProblems, NO_SANDBOX_SERVER, assertServed, recordRequestPay, billingFlow, freePort,
} from './lib.mjs';

const APP = path.join(STACKS, 'next');
const BUILD = path.join(APP, '.next');
const LOG = path.join(OUT, 'next-build.log');

let next;
let output = '';
let url;
let browser;

async function startNext() {
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  next = spawn(process.execPath, [path.join(APP, 'node_modules/next/dist/bin/next'), 'start', '-H', '127.0.0.1', '-p', String(port)], {
    cwd: APP,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group, ended as a whole in after()
  });
  // Ended with the test process, whatever way it ends.
  process.once('exit', () => { try { process.kill(-next.pid, 'SIGKILL'); } catch { /* already gone */ } });
  next.stdout.on('data', (d) => { output += d; });
  next.stderr.on('data', (d) => { output += d; });
  const exited = new Promise((resolve) => next.once('exit', (code) => resolve(code)));
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r(undefined), 200))]);
    if (code !== undefined) throw new Error(`next start exited with ${code}:\n${output}`);
    try {
      const res = await fetch(`${url}/`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
  }
  throw new Error(`next start did not answer within 30 s:\n${output}`);
}

before(async () => {
  assert.ok(existsSync(path.join(BUILD, 'BUILD_ID')), `tests/stacks/next/.next has no build: see ${path.relative(process.cwd(), LOG)} (run tests/run-stacks.sh)`);
  await startNext();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  if (next && next.exitCode === null && next.signalCode === null) {
    const exited = new Promise((resolve) => next.once('exit', resolve));
    process.kill(-next.pid, 'SIGTERM');
    await exited;
  }
});

test('next build pre-rendered / as a static page, the form included', () => {
  const manifest = JSON.parse(readFileSync(path.join(BUILD, 'prerender-manifest.json'), 'utf8'));
  assert.ok(manifest.routes['/'], `/ is in prerender-manifest.json: ${Object.keys(manifest.routes)}`);
  const html = readFileSync(path.join(BUILD, 'server/app/index.html'), 'utf8');
  assert.match(html, /iamport-billing · Next\.js app router/);
  assert.match(html, /data-testid="submit"/, 'the client component was rendered on the server');
  assert.match(html, /data-testid="wasm-status" data-state="loading"/);
  const log = readFileSync(LOG, 'utf8');
  assert.match(log, /^[┌├└]\s*○\s+\/\s*$/m, `the build output lists / as static (○):\n${log}`);
  assert.match(log, /○\s+\(Static\)\s+prerendered as static content/);
});

test('a server component validated params with the Rust rules while next build pre-rendered it', () => {
  const manifest = JSON.parse(readFileSync(path.join(BUILD, 'prerender-manifest.json'), 'utf8'));
  assert.ok(manifest.routes['/server-check'], `/server-check is in prerender-manifest.json: ${Object.keys(manifest.routes)}`);
  const html = readFileSync(path.join(BUILD, 'server/app/server-check.html'), 'utf8');
  const expected = '{"pg":"danal_tpay","pay_method":"card","merchant_uid":"merchant_server_1","amount":1004,"customer_uid":"server-side-check","buyer_tel":"02-1234-1234"}';
  // React escapes the quotes in the pre-rendered text.
  assert.ok(html.includes(expected.replaceAll('"', '&quot;')), `the pre-rendered page shows the normalised params:\n${html.slice(0, 2000)}`);
});

test('next start serves the pre-rendered HTML', async () => {
  const res = await fetch(`${url}/`);
  assert.equal(res.status, 200);
  const html = await res.text();
  assert.match(html, /data-testid="submit"/);
  assert.match(html, /\/sandbox\/iamport-sandbox\.js/, 'next/script includes the sandbox SDK');
});

test('Next.js app in Chromium: a key, a charge, a decline, a refused param', async () => {
  const { context, page } = await openPage(browser);
  const responses = [];
  page.on('response', (r) => responses.push({
    method: r.request().method(), path: new URL(r.url()).pathname, status: r.status(), type: r.headers()['content-type'] ?? '',
  }));
  try {
    await recordRequestPay(page);
    await page.goto(`${url}/`);
    await billingFlow(page, { prefix: 'next', name: 'next' });

    const wasm = responses.filter((r) => r.path.endsWith('.wasm'));
    assert.equal(wasm.length, 1, `the wasm, fetched once: ${responses.map((r) => r.path)}`);
    assert.match(wasm[0].path, /^\/_next\/static\/media\/iamport_billing_bg\.[^/]+\.wasm$/);
    assert.equal(wasm[0].status, 200);
    assert.match(wasm[0].type, /^application\/wasm\b/);
    assertServed(responses.filter((r) => r.status !== 304));
    assertNoProblems(page, [NO_SANDBOX_SERVER]);
  } finally {
    await context.close();
  }
});
