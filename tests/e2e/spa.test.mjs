// The package inside a Vite app: tests/e2e/spa depends on pkg/ as `file:../../../pkg`, is built with a
// plain `vite build` (no wasm plugin) by tests/run-e2e.sh, and its dist/ runs here in Chromium under
// the strict CSP. Two pages: index.html imports 'iamport-billing', pure.html 'iamport-billing/pure'
// (nothing loads until its Start button).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { startServer, REPO, STRICT_CSP } from './server.mjs';
import { launch, openPage, shot, assertNoProblems, NO_SANDBOX_SERVER } from './lib.mjs';

const DIST = path.join(REPO, 'tests/e2e/spa/dist');

let server;
let browser;

before(async () => {
  assert.ok(existsSync(path.join(DIST, 'index.html')), 'tests/e2e/spa/dist is missing: run tests/run-e2e.sh');
  server = await startServer({ mounts: { '/': DIST }, csp: STRICT_CSP });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

async function issue(page, { customer_uid, amount, buyer_tel = '02-1234-1234' }, choose) {
  await page.getByTestId('customer_uid').fill(customer_uid);
  await page.getByTestId('amount').fill(String(amount));
  await page.getByTestId('buyer_tel').fill(buyer_tel);
  await page.evaluate(() => { document.querySelector('[data-testid=result]').dataset.state = 'empty'; });
  await page.getByTestId('submit').click();
  if (choose) await page.getByTestId(`sandbox-${choose}`).click();
  const result = page.getByTestId('result');
  await result.and(page.locator(':not([data-state="empty"])')).waitFor();
  return { state: await result.getAttribute('data-state'), value: JSON.parse(await result.textContent()) };
}

test('the bundle ships the wasm as a hashed asset, and the sandbox', () => {
  const assets = readdirSync(path.join(DIST, 'assets'));
  assert.ok(assets.some((f) => /^iamport_billing_bg-.*\.wasm$/.test(f)), `a hashed wasm in dist/assets: ${assets}`);
  assert.ok(existsSync(path.join(DIST, 'sandbox/iamport-sandbox.js')), 'the sandbox was copied into public/');
});

test('Vite build: approve issues a key (0 and 1004), and integration errors are BillingKeyError', async () => {
  const { context, page } = await openPage(browser);
  try {
    await page.goto(`${server.url}/`);
    await page.getByTestId('sdk-status').and(page.locator('[data-state="ready"]')).waitFor();

    const keyOnly = await issue(page, { customer_uid: 'spa-customer', amount: 0 }, 'approve');
    assert.equal(keyOnly.state, 'success');
    assert.equal(keyOnly.value.success, true);
    assert.match(keyOnly.value.imp_uid, /^imps_\d{12}$/);
    assert.match(keyOnly.value.merchant_uid, /^spa_[a-z0-9]+$/);
    assert.equal(keyOnly.value.customer_uid, 'spa-customer');
    assert.equal(keyOnly.value.amount, 0);
    assert.equal(keyOnly.value.paid_amount, 0);
    assert.equal(keyOnly.value.pg_provider, 'danal_tpay');
    assert.equal(keyOnly.value.rawKeys.includes('success'), false, 'raw is the SDK value, without success');

    const charged = await issue(page, { customer_uid: 'spa-customer', amount: 1004 }, 'approve');
    assert.equal(charged.state, 'success');
    assert.equal(charged.value.paid_amount, 1004);
    await shot(page, 'spa-success');

    const declined = await issue(page, { customer_uid: 'spa-customer', amount: 1004 }, 'decline');
    assert.equal(declined.state, 'failure');
    assert.equal(declined.value.success, false);
    assert.ok(declined.value.error_msg.length > 0);

    const invalid = await issue(page, { customer_uid: 'spa-customer', amount: 0, buyer_tel: 'call me' }, null);
    assert.equal(invalid.state, 'error');
    assert.deepEqual(
      { ...invalid.value, message: undefined },
      { instanceOfBillingKeyError: true, names: 'requestBillingKey,loadIamport,newMerchantUid,parseRedirect,ready,BillingKeyError', classNameWritable: false, classKeys: 0, name: 'BillingKeyError', code: 'INVALID_PARAM', field: 'buyer_tel', message: undefined },
    );

    const wasm = server.requests.find((r) => r.path.endsWith('.wasm'));
    assert.match(wasm?.path ?? '', /^\/assets\/iamport_billing_bg-.*\.wasm$/);
    assert.equal(wasm.type, 'application/wasm');
    // The sandbox window asks for a sandbox server once (a static server here: 405) and then decides in the browser.
    const missing = server.requests.filter((r) => r.status !== 200 && r.path !== '/__sandbox/window/pay');
    assert.deepEqual(missing, [], 'every request was served');
    assertNoProblems(page, [NO_SANDBOX_SERVER]);
  } finally {
    await context.close();
  }
});

test('Vite build of iamport-billing/pure: no .wasm or chunk of the package before Start, then the same flow', async () => {
  const { context, page } = await openPage(browser);
  try {
    server.requests.length = 0;
    await page.goto(`${server.url}/pure.html`);
    await page.waitForLoadState('networkidle');
    const wasm = () => server.requests.filter((r) => r.path.endsWith('.wasm'));
    const core = () => server.requests.filter((r) => /^\/assets\/core-.*\.js$/.test(r.path));
    assert.deepEqual([...wasm(), ...core()], [], `nothing of the package's loading before Start: ${server.requests.map((r) => r.path)}`);
    assert.equal(await page.getByTestId('sdk-status').getAttribute('data-state'), 'idle');

    await page.getByTestId('start').click();
    await page.getByTestId('sdk-status').and(page.locator('[data-state="ready"]')).waitFor();
    assert.equal(wasm().length, 1, 'the wasm, fetched once, after Start');
    assert.equal(core().length, 1, 'the bound module, after Start');
    const keyOnly = await issue(page, { customer_uid: 'spa-pure', amount: 0 }, 'approve');
    assert.equal(keyOnly.state, 'success');
    assert.match(keyOnly.value.merchant_uid, /^pure_[a-z0-9]+$/);
    assert.equal(keyOnly.value.customer_uid, 'spa-pure');
    const invalid = await issue(page, { customer_uid: 'spa-pure', amount: 0, buyer_tel: 'call me' }, null);
    assert.equal(invalid.state, 'error');
    assert.equal(invalid.value.instanceOfBillingKeyError, true);
    assert.equal(invalid.value.names, 'requestBillingKey,loadIamport,newMerchantUid,parseRedirect,ready,BillingKeyError');
    assert.equal(invalid.value.field, 'buyer_tel');
    const missing = server.requests.filter((r) => r.status !== 200 && r.path !== '/__sandbox/window/pay');
    assert.deepEqual(missing, [], 'every request was served');
    assertNoProblems(page, [NO_SANDBOX_SERVER]);
  } finally {
    await context.close();
  }
});
