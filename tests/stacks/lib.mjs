// Shared by the stack tests (tests/run-stacks.sh): the browser helpers come from tests/e2e/lib.mjs;
// this adds screenshots under test-results/stacks/, a record of every IMP.request_pay call, and the
// billing flow every stack's page goes through against the sandbox SDK.

import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import assert from 'node:assert/strict';
import { REPO } from '../e2e/server.mjs';

export { REPO, startServer, STRICT_CSP } from '../e2e/server.mjs';
export { launch, openPage, assertNoProblems, NO_SANDBOX_SERVER } from '../e2e/lib.mjs';

export const STACKS = path.join(REPO, 'tests', 'stacks');
export const SANDBOX = path.join(REPO, 'www', 'sandbox');
export const SHOTS = path.join(REPO, 'test-results', 'stacks');
/** Where tests/run-stacks.sh packs the tarball and keeps the build logs. */
export const OUT = path.join(REPO, 'target', 'stacks');

/** Saves test-results/stacks/NAME.png. */
export async function shot(page, name, { fullPage = true } = {}) {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage });
}

/** The order of the keys IMP.request_pay receives for the pages' params. */
export const IMP_KEYS = ['pg', 'pay_method', 'merchant_uid', 'name', 'amount', 'customer_uid', 'buyer_email', 'buyer_name', 'buyer_tel'];

/**
 * Wraps `IMP.request_pay` as soon as a page script assigns `window.IMP`, before anything can call it.
 * `requestPayCalls(page)` then returns `{ keys, param, callback, argc }` per call, `param` a JSON copy.
 */
export async function recordRequestPay(page) {
  await page.addInitScript(() => {
    const calls = [];
    Object.defineProperty(window, '__requestPayCalls', { value: calls });
    let imp;
    Object.defineProperty(window, 'IMP', {
      configurable: true,
      enumerable: true,
      get: () => imp,
      set(value) {
        if (value && typeof value.request_pay === 'function') {
          const original = value.request_pay;
          value.request_pay = function request_pay(param, callback) {
            calls.push({
              keys: Object.keys(param),
              param: JSON.parse(JSON.stringify(param)),
              callback: typeof callback,
              argc: arguments.length,
            });
            return original.apply(this, arguments);
          };
        }
        imp = value;
      },
    });
  });
}

export const requestPayCalls = (page) => page.evaluate(() => window.__requestPayCalls);

/**
 * The sandbox window first asks for a sandbox server (POST /__sandbox/window/pay, same origin); a static
 * server or Next answers 404 or 405 and the window decides in the browser. Asserts that it asked at
 * most once per page and that every other request (`{ method, path, status }`) was served.
 */
export function assertServed(requests, message = 'every request was served') {
  const probe = (r) => r.method === 'POST' && r.path === '/__sandbox/window/pay';
  const probes = requests.filter(probe);
  assert.ok(probes.length <= 1, `the sandbox asked for its server at most once: ${JSON.stringify(probes)}`);
  assert.ok(probes.every((r) => r.status === 404 || r.status === 405), `no sandbox server here: ${JSON.stringify(probes)}`);
  assert.deepEqual(requests.filter((r) => !probe(r) && r.status !== 200), [], message);
}

/** Waits until the page has the package ready, the sandbox SDK loaded and the button enabled. */
export async function waitUntilReady(page) {
  await page.getByTestId('wasm-status').and(page.locator('[data-state="ready"]')).waitFor();
  await page.getByTestId('sdk-status').and(page.locator('[data-state="ready"]')).waitFor();
  await page.getByTestId('submit').and(page.locator(':enabled')).waitFor();
}

/**
 * Fills the form, submits, clicks the sandbox window's `choose` button (approve, decline, cancel;
 * null when no window should open) and returns the result panel's next `{ state, value }`.
 */
export async function issue(page, { customer_uid, amount, buyer_tel = '02-1234-1234' }, choose, windowShot) {
  await page.getByTestId('customer_uid').fill(customer_uid);
  await page.getByTestId('amount').fill(String(amount));
  await page.getByTestId('buyer_tel').fill(buyer_tel);
  const result = page.getByTestId('result');
  const seq = Number(await result.getAttribute('data-seq'));
  await page.getByTestId('submit').click();
  if (choose) {
    await page.getByTestId('sandbox-window').waitFor();
    if (windowShot) await shot(page, windowShot, { fullPage: false });
    await page.getByTestId(`sandbox-${choose}`).click();
  }
  await page.locator(`[data-testid="result"][data-seq="${seq + 1}"]`).waitFor();
  return { state: await result.getAttribute('data-state'), value: JSON.parse(await result.textContent()) };
}

/**
 * The flow every stack's page goes through: a key only (amount 0), a key with a charge, a decline,
 * and a param the package refuses before IMP. Checks what the page shows and what reached IMP.
 * `prefix`: the page's newMerchantUid prefix; `name`: the screenshots' prefix.
 */
export async function billingFlow(page, { prefix, name }) {
  await waitUntilReady(page);
  const merchantUid = new RegExp(`^${prefix}_[A-Za-z0-9_-]+$`);
  const customer = `${name}-customer`;
  const expected = (merchant_uid, amount) => ({
    pg: 'danal_tpay',
    pay_method: 'card',
    merchant_uid,
    name: '최초인증결제',
    amount,
    customer_uid: customer,
    buyer_email: 'iamport@siot.do',
    buyer_name: '아임포트',
    buyer_tel: '02-1234-1234',
  });

  const keyOnly = await issue(page, { customer_uid: customer, amount: 0 }, 'approve', `${name}-window`);
  assert.equal(keyOnly.state, 'success', JSON.stringify(keyOnly.value));
  assert.equal(keyOnly.value.success, true);
  assert.match(keyOnly.value.imp_uid, /^imps_\d{12}$/);
  assert.match(keyOnly.value.merchant_uid, merchantUid);
  assert.equal(keyOnly.value.customer_uid, customer);
  assert.equal(keyOnly.value.amount, 0);
  assert.equal(keyOnly.value.paid_amount, 0);
  assert.equal(keyOnly.value.pg_provider, 'danal_tpay');
  let calls = await requestPayCalls(page);
  assert.equal(calls.length, 1, 'one IMP.request_pay call');
  assert.deepEqual(calls[0].keys, IMP_KEYS, 'the keys IMP received, in order');
  assert.deepEqual(calls[0].param, expected(keyOnly.value.merchant_uid, 0), 'the object IMP received');
  assert.equal(calls[0].callback, 'function');
  assert.equal(calls[0].argc, 2);

  const charged = await issue(page, { customer_uid: customer, amount: 1004 }, 'approve');
  assert.equal(charged.state, 'success', JSON.stringify(charged.value));
  assert.equal(charged.value.amount, 1004);
  assert.equal(charged.value.paid_amount, 1004);
  assert.notEqual(charged.value.merchant_uid, keyOnly.value.merchant_uid);
  calls = await requestPayCalls(page);
  assert.equal(calls.length, 2);
  assert.deepEqual(calls[1].param, expected(charged.value.merchant_uid, 1004));
  await shot(page, `${name}-success`);

  const declined = await issue(page, { customer_uid: customer, amount: 1004 }, 'decline');
  assert.equal(declined.state, 'failure', JSON.stringify(declined.value));
  assert.equal(declined.value.success, false);
  assert.equal(declined.value.customer_uid, customer);
  assert.equal(typeof declined.value.error_msg, 'string');
  assert.ok(declined.value.error_msg.length > 0);
  assert.equal((await requestPayCalls(page)).length, 3);

  const invalid = await issue(page, { customer_uid: customer, amount: 0, buyer_tel: 'call me' }, null);
  assert.equal(invalid.state, 'error', JSON.stringify(invalid.value));
  assert.deepEqual(
    { ...invalid.value, message: typeof invalid.value.message },
    { instanceOfBillingKeyError: true, name: 'BillingKeyError', code: 'INVALID_PARAM', field: 'buyer_tel', message: 'string' },
  );
  assert.equal((await requestPayCalls(page)).length, 3, 'a refused param never reaches IMP');
  await shot(page, `${name}-error`);
}

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}
