// Loading the package in a browser: importing never waits for the wasm and never throws; the wasm
// loads in the background; synchronous functions throw NOT_READY until it is there, Promise
// functions wait for it; when it cannot be fetched or instantiated (404, wrong MIME type, a
// truncated file, a CSP without 'wasm-unsafe-eval') ready() and every call reject WASM_LOAD_FAILED
// saying what failed, and the next call tries again. Also in a module worker.
//
// A fixture page (written to test-results/loading/) imports /pkg/index.js; faults are injected
// with page.route on the .wasm request.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startServer, REPO } from './server.mjs';
import { launch, openPage, assertNoProblems } from './lib.mjs';

const FIXTURE = path.join(REPO, 'test-results', 'loading');
const WASM = readFileSync(path.join(REPO, 'pkg', 'iamport_billing_bg.wasm'));
const SEED = {
  pg: 'danal_tpay',
  pay_method: 'card',
  merchant_uid: 'merchant_1700000000000',
  name: '최초인증결제',
  amount: 0,
  customer_uid: 'your-customer-unique-id',
  buyer_email: 'iamport@siot.do',
  buyer_name: '아임포트',
  buyer_tel: '02-1234-1234',
};

let server;
let noWasmCsp;
let browser;

before(async () => {
  mkdirSync(FIXTURE, { recursive: true });
  writeFileSync(path.join(FIXTURE, 'index.html'), '<!doctype html><title>loading</title><link rel="icon" href="data:,"><script type="module" src="./main.js"></script>\n');
  // The module's own code runs right after the import: it records when, and what it sees.
  writeFileSync(
    path.join(FIXTURE, 'main.js'),
    `import * as billing from '/pkg/index.js';
window.billing = billing;
window.importedAt = performance.now();
window.calls = [];
window.IMP = { request_pay(param, callback) { window.calls.push(JSON.stringify(param)); callback({ imp_uid: 'imps_1', merchant_uid: param.merchant_uid }); } };
`,
  );
  writeFileSync(
    path.join(FIXTURE, 'worker.js'),
    `import { ready, validateParams, BillingKeyError } from '/pkg/index.js';
let before;
try { validateParams({}); } catch (e) { before = e instanceof BillingKeyError ? e.code : String(e); }
ready().then(
  () => postMessage({ before, param: validateParams(${JSON.stringify(SEED)}) }),
  (e) => postMessage({ before, error: e.code + ': ' + e.message }),
);
`,
  );
  const mounts = { '/': FIXTURE, '/pkg/': path.join(REPO, 'pkg') };
  server = await startServer({ mounts, csp: "script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'" });
  noWasmCsp = await startServer({ mounts, csp: "script-src 'self'" });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
  await noWasmCsp?.close();
});

/** Holds the .wasm response until `release()` is called (then serves it as usual). */
async function holdWasm(page) {
  let release;
  const released = new Promise((resolve) => (release = resolve));
  await page.route('**/iamport_billing_bg.wasm', async (route) => {
    await released;
    await route.continue();
  });
  return release;
}

/** What a Promise settled with, in the page: `{ ok, value }` or `{ ok: false, name, code, message, isError }`. */
const outcome = (page, expression) =>
  page.evaluate(
    (src) =>
      Promise.resolve()
        .then(() => (0, eval)(src))
        .then(
          (value) => ({ ok: true, value }),
          (e) => ({ ok: false, name: e?.name, code: e?.code, message: e?.message, isError: e instanceof window.billing.BillingKeyError }),
        ),
    expression,
  );

test('importing does not wait for the wasm; sync functions throw NOT_READY until ready(), then work', async () => {
  const { context, page } = await openPage(browser);
  const release = await holdWasm(page);
  await page.goto(`${server.url}/`);
  await page.waitForFunction(() => window.billing !== undefined);
  // The importer ran while the wasm was still held back.
  const early = await outcome(page, "window.billing.validateParams({ customer_uid: 'c1', amount: 0, buyer_tel: '010' })");
  assert.deepEqual(early, {
    ok: false,
    name: 'BillingKeyError',
    code: 'NOT_READY',
    message: "iamport-billing's wasm is not loaded yet: await ready() before calling validateParams()",
    isError: true,
  });
  const uid = await outcome(page, 'window.billing.newMerchantUid()');
  assert.equal(uid.code, 'NOT_READY');
  release();
  assert.deepEqual(await outcome(page, 'window.billing.ready()'), { ok: true, value: undefined });
  const param = await outcome(page, `window.billing.validateParams(${JSON.stringify(SEED)})`);
  assert.deepEqual(param, { ok: true, value: SEED });
  assert.equal(JSON.stringify(param.value), JSON.stringify(SEED), 'the keys in the order IMP receives them');
  assertNoProblems(page);
  await context.close();
});

test('a call made before the wasm arrived waits for it, then calls request_pay with the same object', async () => {
  const { context, page } = await openPage(browser);
  const release = await holdWasm(page);
  await page.goto(`${server.url}/`);
  await page.waitForFunction(() => window.billing !== undefined);
  await page.evaluate((seed) => {
    window.pending = window.billing.requestBillingKey(seed).then(
      (r) => ({ ok: true, success: r.success, imp_uid: r.imp_uid }),
      (e) => ({ ok: false, code: e.code }),
    );
  }, SEED);
  assert.equal(await page.evaluate(() => window.calls.length), 0, 'request_pay waits for the wasm');
  release();
  assert.deepEqual(await page.evaluate(() => window.pending), { ok: true, success: true, imp_uid: 'imps_1' });
  assert.deepEqual(await page.evaluate(() => window.calls), [JSON.stringify(SEED)]);
  // Once ready, request_pay runs before requestBillingKey returns (inside the click).
  const sync = await page.evaluate((seed) => {
    const before = window.calls.length;
    const p = window.billing.requestBillingKey({ ...seed, merchant_uid: 'merchant_2' });
    const called = window.calls.length - before;
    return p.then(() => called);
  }, SEED);
  assert.equal(sync, 1);
  assertNoProblems(page);
  await context.close();
});

const FAULTS = [
  {
    name: 'a 404',
    fulfill: { status: 404, contentType: 'text/plain', body: 'not found' },
    message: /^could not load iamport-billing's wasm \(http:\/\/127\.0\.0\.1:\d+\/pkg\/iamport_billing_bg\.wasm\): HTTP 404$/,
    allow: [/Failed to load resource.*404/],
  },
  {
    name: 'a wrong MIME type',
    fulfill: { status: 200, contentType: 'text/plain', body: WASM },
    message: /: served as text\/plain, not application\/wasm$/,
    allow: [],
  },
  {
    name: 'a truncated file',
    fulfill: { status: 200, contentType: 'application/wasm', body: WASM.subarray(0, 1000) },
    message: /: WebAssembly\.compileStreaming\(\): .+/,
    allow: [],
  },
];

for (const fault of FAULTS) {
  test(`${fault.name}: ready() and every call reject WASM_LOAD_FAILED saying so; the next call tries again`, async () => {
    const { context, page } = await openPage(browser);
    let served = 0;
    await page.route('**/iamport_billing_bg.wasm', (route) => {
      served += 1;
      return route.fulfill(fault.fulfill);
    });
    await page.goto(`${server.url}/`);
    await page.waitForFunction(() => window.billing !== undefined);
    for (const call of ['window.billing.ready()', `window.billing.requestBillingKey(${JSON.stringify(SEED)})`, 'window.billing.loadIamport()']) {
      const r = await outcome(page, call);
      assert.equal(r.ok, false, call);
      assert.equal(r.code, 'WASM_LOAD_FAILED', call);
      assert.equal(r.isError, true, call);
      assert.match(r.message, fault.message, call);
    }
    assert.equal(await page.evaluate(() => window.calls.length), 0);
    assert.ok(served >= 2, `each call tries again (fetched ${served} times)`);
    // Fixed on the server: the next call loads it.
    await page.unroute('**/iamport_billing_bg.wasm');
    assert.deepEqual(await outcome(page, 'window.billing.ready()'), { ok: true, value: undefined });
    const r = await outcome(page, `window.billing.requestBillingKey(${JSON.stringify(SEED)}).then((r) => r.success)`);
    assert.deepEqual(r, { ok: true, value: true });
    assertNoProblems(page, fault.allow);
    await context.close();
  });
}

test("a CSP without 'wasm-unsafe-eval': WASM_LOAD_FAILED, and the import itself still works", async () => {
  const { context, page } = await openPage(browser);
  await page.goto(`${noWasmCsp.url}/`);
  await page.waitForFunction(() => window.billing !== undefined);
  const r = await outcome(page, 'window.billing.ready()');
  assert.equal(r.code, 'WASM_LOAD_FAILED');
  assert.match(r.message, /could not load iamport-billing's wasm .*: WebAssembly\.compileStreaming\(\): .*(Content Security Policy|unsafe-eval)/);
  const sync = await outcome(page, "window.billing.parseRedirect('https://x.example/?imp_uid=1')");
  assert.equal(sync.code, 'NOT_READY');
  assert.equal(page.problems.errors.length, 0, `no uncaught error: ${page.problems.errors}`);
  await context.close();
});

test('in a module worker: import, NOT_READY before ready(), then the same normalised object', async () => {
  const { context, page } = await openPage(browser);
  await page.goto(`${server.url}/`);
  const answer = await page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const worker = new Worker('/worker.js', { type: 'module' });
        worker.onmessage = (e) => resolve(e.data);
        worker.onerror = (e) => reject(new Error(e.message));
      }),
  );
  assert.deepEqual(answer, { before: 'NOT_READY', param: SEED });
  assertNoProblems(page);
  await context.close();
});
