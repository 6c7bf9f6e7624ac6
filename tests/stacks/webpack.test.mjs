// webpack 5, production mode, no wasm plugin: tests/stacks/webpack is built by tests/run-stacks.sh
// (`webpack` with a minimal config) against the package installed from the packed tarball; public/ holds
// the HTML pages, dist/ the output (main.js for 'iamport-billing', pure.js for 'iamport-billing/pure').
// Served as static files under the strict CSP.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import {
  STACKS, SANDBOX, startServer, STRICT_CSP, launch, openPage, assertNoProblems, NO_SANDBOX_SERVER, assertServed, recordRequestPay, billingFlow,
} from './lib.mjs';

const APP = path.join(STACKS, 'webpack');
const DIST = path.join(APP, 'dist');
const PACKAGE = path.join(APP, 'node_modules/iamport-billing');

let server;
let browser;

before(async () => {
  assert.ok(existsSync(path.join(DIST, 'main.js')), 'tests/stacks/webpack/dist is missing: run tests/run-stacks.sh');
  server = await startServer({ mounts: { '/': path.join(APP, 'public'), '/dist/': DIST, '/sandbox/': SANDBOX }, csp: STRICT_CSP });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

test('the wasm comes out as an asset, byte for byte', () => {
  const wasm = readdirSync(DIST).filter((f) => f.endsWith('.wasm'));
  assert.equal(wasm.length, 1, `one wasm asset in dist/: ${readdirSync(DIST)}`);
  assert.match(wasm[0], /^[0-9a-f]{20}\.wasm$/, 'named by content hash (webpack\'s asset/resource default)');
  assert.ok(readFileSync(path.join(DIST, wasm[0])).equals(readFileSync(path.join(PACKAGE, 'iamport_billing_bg.wasm'))));
});

const ENTRIES = ['main.js', 'pure.js'];

test("iamport-billing/pure's dynamic import() comes out as a chunk of its own", () => {
  const chunks = readdirSync(DIST).filter((f) => f.endsWith('.js') && !ENTRIES.includes(f));
  assert.equal(chunks.length, 1, `one chunk besides ${ENTRIES} in dist/: ${readdirSync(DIST)}`);
});

test('webpack build under the strict CSP: a key, a charge, a decline, a refused param', async () => {
  const { context, page } = await openPage(browser);
  try {
    await recordRequestPay(page);
    const response = await page.goto(`${server.url}/`);
    assert.equal(response.headers()['content-security-policy'], STRICT_CSP);
    await billingFlow(page, { prefix: 'webpack', name: 'webpack' });

    const wasm = server.requests.filter((r) => r.path.endsWith('.wasm'));
    assert.equal(wasm.length, 1, 'the wasm, fetched once');
    assert.match(wasm[0].path, /^\/dist\/[0-9a-f]{20}\.wasm$/);
    assert.equal(wasm[0].type, 'application/wasm');
    // The default entry holds the bound module: no chunk to load before ready().
    const chunks = server.requests.filter((r) => r.path.startsWith('/dist/') && r.path.endsWith('.js') && !ENTRIES.includes(r.path.slice(6)));
    assert.equal(chunks.length, 0, `no chunk was loaded: ${server.requests.map((r) => r.path)}`);
    assertServed(server.requests);
    assert.deepEqual(page.problems.csp, []);
    assertNoProblems(page, [NO_SANDBOX_SERVER]);
  } finally {
    await context.close();
  }
});

test('iamport-billing/pure: nothing is fetched until Start, then the same flow', async () => {
  const { context, page } = await openPage(browser);
  try {
    server.requests.length = 0;
    await recordRequestPay(page);
    await page.goto(`${server.url}/pure.html`);
    await page.waitForLoadState('networkidle');
    const loads = () => server.requests.filter((r) => r.path.endsWith('.wasm') || (r.path.startsWith('/dist/') && !ENTRIES.includes(r.path.slice(6))));
    assert.deepEqual(loads(), [], `no .wasm and no chunk before Start: ${server.requests.map((r) => r.path)}`);
    assert.equal(await page.getByTestId('wasm-status').getAttribute('data-state'), 'idle');
    await page.getByTestId('start').click();
    await billingFlow(page, { prefix: 'pure', name: 'webpack-pure' });
    const wasm = server.requests.filter((r) => r.path.endsWith('.wasm'));
    assert.equal(wasm.length, 1, 'the wasm, fetched once, after Start');
    assert.match(wasm[0].path, /^\/dist\/[0-9a-f]{20}\.wasm$/);
    assert.equal(loads().length, 2, `the wasm and the chunk of the bound module, after Start: ${server.requests.map((r) => r.path)}`);
    assertServed(server.requests);
    assert.deepEqual(page.problems.csp, []);
    assertNoProblems(page, [NO_SANDBOX_SERVER]);
  } finally {
    await context.close();
  }
});
