// `iamport-billing/pure` (pkg/pure.js) in Chromium: importing it starts nothing — no request for the
// .wasm or for the module that binds it — until ready() or the first Promise call; then it behaves
// as the default entry does. A page that imports both entries has one implementation: the same
// functions, one BillingKeyError class, one wasm fetched once. The default entry is the control:
// the same page importing /pkg/index.js requests the .wasm with no call at all (and no pure.js:
// the default entry is one file).
//
// Fixture pages (written to test-results/pure/) import the entries under a strict CSP.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startServer, REPO } from './server.mjs';
import { launch, openPage, assertNoProblems } from './lib.mjs';

const FIXTURE = path.join(REPO, 'test-results', 'pure');
const SEED = { customer_uid: 'c1', amount: 0, buyer_tel: '02-1234-1234', merchant_uid: 'merchant_1' };

// One page per way of importing; each records its module and a stub of IMP.
const PAGES = {
  pure: "import * as billing from '/pkg/pure.js';\nwindow.billing = billing;",
  index: "import * as billing from '/pkg/index.js';\nwindow.billing = billing;",
  both: "import * as billing from '/pkg/pure.js';\nimport * as main from '/pkg/index.js';\nwindow.billing = billing;\nwindow.main = main;",
};

let server;
let browser;

before(async () => {
  mkdirSync(FIXTURE, { recursive: true });
  for (const [name, body] of Object.entries(PAGES)) {
    writeFileSync(path.join(FIXTURE, `${name}.html`), `<!doctype html><title>${name}</title><link rel="icon" href="data:,"><script type="module" src="./${name}.js"></script>\n`);
    writeFileSync(
      path.join(FIXTURE, `${name}.js`),
      `${body}
window.calls = [];
window.IMP = { request_pay(param, callback) { window.calls.push(param.merchant_uid); callback({ imp_uid: 'imps_1', merchant_uid: param.merchant_uid }); } };
`,
    );
  }
  server = await startServer({ mounts: { '/': FIXTURE, '/pkg/': path.join(REPO, 'pkg') }, csp: true });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** Opens a fixture page and waits until its module ran and the network is quiet; returns what it requested. */
async function open(name) {
  const { context, page } = await openPage(browser);
  const requested = [];
  page.on('request', (r) => requested.push(new URL(r.url()).pathname));
  await page.goto(`${server.url}/${name}.html`);
  await page.waitForFunction(() => window.billing !== undefined);
  await page.waitForLoadState('networkidle');
  return { context, page, requested };
}

const loads = (requested) => requested.filter((p) => p.endsWith('.wasm') || p.endsWith('/core.js'));

/** What a call settled with, in the page. */
const outcome = (page, expression) =>
  page.evaluate(
    (src) =>
      Promise.resolve()
        .then(() => (0, eval)(src))
        .then(
          (value) => ({ ok: true, value }),
          (e) => ({ ok: false, code: e?.code, isError: e instanceof window.billing.BillingKeyError }),
        ),
    expression,
  );

test('the default entry (the control) requests the wasm at import, with no call', async () => {
  const { context, page, requested } = await open('index');
  // The default entry holds the bound module (core.js's code): the .wasm is its one load.
  assert.deepEqual(loads(requested), ['/pkg/iamport_billing_bg.wasm']);
  // One file: no second request (pure.js) before the importer's code can run.
  assert.ok(!requested.includes('/pkg/pure.js'), 'the default entry does not import pure.js');
  assertNoProblems(page);
  await context.close();
});

test('importing pure starts nothing; ready() loads the wasm once; then every export works', async () => {
  const { context, page, requested } = await open('pure');
  assert.deepEqual(loads(requested), [], 'no .wasm and no core.js before ready()');
  assert.ok(requested.includes('/pkg/pure.js'));
  assert.ok(!requested.includes('/pkg/index.js'), 'pure.js does not import the default entry');
  // The same exports as the default entry.
  const names = await page.evaluate(() => Object.keys(window.billing).sort());
  assert.deepEqual(names, ['BillingKeyError', 'loadIamport', 'newMerchantUid', 'parseRedirect', 'ready', 'requestBillingKey', 'validateParams']);
  // Synchronous functions cannot load it: NOT_READY, and still nothing requested.
  assert.deepEqual(await outcome(page, 'window.billing.newMerchantUid()'), { ok: false, code: 'NOT_READY', isError: true });
  await page.waitForLoadState('networkidle');
  assert.deepEqual(loads(requested), [], 'a synchronous call does not start the load');

  assert.deepEqual(await outcome(page, 'window.billing.ready()'), { ok: true, value: undefined });
  assert.deepEqual(loads(requested).sort(), ['/pkg/core.js', '/pkg/iamport_billing_bg.wasm']);
  const uid = await outcome(page, "window.billing.newMerchantUid('order')");
  assert.match(uid.value, /^order_[a-z0-9]+$/);
  const r = await outcome(page, `window.billing.requestBillingKey(${JSON.stringify(SEED)}).then((r) => [r.success, r.imp_uid])`);
  assert.deepEqual(r, { ok: true, value: [true, 'imps_1'] });
  assert.deepEqual(await outcome(page, 'window.billing.ready()'), { ok: true, value: undefined });
  assert.equal(loads(requested).length, 2, 'loaded once');
  assertNoProblems(page);
  await context.close();
});

test('from pure, the first Promise call loads the wasm by itself and then calls request_pay', async () => {
  const { context, page, requested } = await open('pure');
  assert.deepEqual(loads(requested), []);
  const r = await outcome(page, `window.billing.requestBillingKey(${JSON.stringify(SEED)}).then((r) => r.success)`);
  assert.deepEqual(r, { ok: true, value: true });
  assert.deepEqual(await page.evaluate(() => window.calls), ['merchant_1']);
  assert.deepEqual(loads(requested).sort(), ['/pkg/core.js', '/pkg/iamport_billing_bg.wasm']);
  // An integration error from pure is a BillingKeyError of pure's class.
  const bad = await outcome(page, "window.billing.requestBillingKey({ custmer_uid: 'c1' })");
  assert.deepEqual(bad, { ok: false, code: 'INVALID_PARAM', isError: true });
  assertNoProblems(page);
  await context.close();
});

test('a page importing both entries has one implementation: same functions, one class, one wasm', async () => {
  const { context, page, requested } = await open('both');
  const same = await page.evaluate(() => Object.keys(window.main).every((k) => window.main[k] === window.billing[k]));
  assert.equal(same, true, 'every export is the same object');
  // The default entry started the load; pure shares it.
  assert.deepEqual(await outcome(page, 'window.billing.ready()'), { ok: true, value: undefined });
  assert.deepEqual(loads(requested).sort(), ['/pkg/core.js', '/pkg/iamport_billing_bg.wasm']);
  const crossed = await page.evaluate(async () => {
    try {
      await window.main.requestBillingKey({ custmer_uid: 'c1' });
      return 'resolved';
    } catch (e) {
      return e instanceof window.billing.BillingKeyError && e.code;
    }
  });
  assert.equal(crossed, 'INVALID_PARAM');
  // One request at a time across both entries.
  const second = await page.evaluate((seed) => {
    window.IMP.request_pay = (param, callback) => { window.calls.push(param.merchant_uid); window.finish = () => callback({ imp_uid: 'imps_2', merchant_uid: param.merchant_uid }); };
    const first = window.main.requestBillingKey(seed);
    const other = window.billing.requestBillingKey({ ...seed, merchant_uid: 'merchant_2' }).then(() => 'resolved', (e) => e.code);
    window.finish();
    return Promise.all([first.then((r) => r.success), other]);
  }, SEED);
  assert.deepEqual(second, [true, 'IN_PROGRESS']);
  assertNoProblems(page);
  await context.close();
});
