// Plain HTML, no bundler: tests/stacks/html/index.html loads main.js, which imports
// ./node_modules/iamport-billing/index.js (installed from the packed tarball), served as static files
// under the strict CSP; import-only.html imports the package and calls nothing until the test does.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import path from 'node:path';
import {
  STACKS, SANDBOX, startServer, STRICT_CSP, launch, openPage, assertNoProblems, NO_SANDBOX_SERVER, assertServed, recordRequestPay, billingFlow, IMP_KEYS,
} from './lib.mjs';

const APP = path.join(STACKS, 'html');

let server;
let browser;

before(async () => {
  assert.ok(existsSync(path.join(APP, 'node_modules/iamport-billing/index.js')), 'the tarball is not installed: run tests/run-stacks.sh');
  server = await startServer({ mounts: { '/': APP, '/sandbox/': SANDBOX }, csp: STRICT_CSP });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

test('plain HTML under the strict CSP: a key, a charge, a decline, a refused param', async () => {
  const { context, page } = await openPage(browser);
  try {
    await recordRequestPay(page);
    const response = await page.goto(`${server.url}/`);
    assert.equal(response.headers()['content-security-policy'], STRICT_CSP);
    await billingFlow(page, { prefix: 'html', name: 'html' });

    const wasm = server.requests.filter((r) => r.path.endsWith('.wasm'));
    assert.deepEqual(wasm.map((r) => [r.path, r.status, r.type]),
      [['/node_modules/iamport-billing/iamport_billing_bg.wasm', 200, 'application/wasm']], 'the wasm, fetched once');
    const scripts = server.requests.filter((r) => r.path.startsWith('/node_modules/') && r.path.endsWith('.js'));
    assert.ok(scripts.length >= 1, 'the package was loaded from node_modules');
    assertServed(server.requests);
    assert.deepEqual(page.problems.csp, []);
    assertNoProblems(page, [NO_SANDBOX_SERVER]);
  } finally {
    await context.close();
  }
});

test('importing never blocks: sync calls throw NOT_READY at first, the wasm loads in the background, then they work', async () => {
  const { context, page } = await openPage(browser);
  try {
    const before = server.requests.length;
    await page.goto(`${server.url}/import-only.html`);
    const imported = await page.waitForFunction(() => window.__importOnly).then((h) => h.jsonValue());
    assert.deepEqual(imported, {
      exports: ['BillingKeyError', 'loadIamport', 'newMerchantUid', 'parseRedirect', 'ready', 'requestBillingKey', 'validateParams'],
      syncCall: { instance: true, name: 'BillingKeyError', code: 'NOT_READY' },
    });
    // Nobody called ready() or anything else: the import alone starts loading the wasm.
    const wasmRequested = () => server.requests.slice(before).some((r) => r.path.endsWith('/iamport_billing_bg.wasm') && r.status === 200);
    for (let i = 0; i < 50 && !wasmRequested(); i++) await sleep(100);
    assert.ok(wasmRequested(), `the wasm was requested: ${server.requests.slice(before).map((r) => r.path)}`);

    const after = await page.evaluate(async () => {
      const b = window.__billing;
      await b.ready();
      const seed = {
        pg: 'danal_tpay', pay_method: 'card', merchant_uid: 'merchant_1700000000000', name: '최초인증결제', amount: 0,
        customer_uid: 'your-customer-unique-id', buyer_email: 'iamport@siot.do', buyer_name: '아임포트', buyer_tel: '02-1234-1234',
      };
      const out = b.validateParams(seed);
      return { uid: b.newMerchantUid('html'), keys: Object.keys(out), out, same: out === seed };
    });
    assert.match(after.uid, /^html_[A-Za-z0-9_-]+$/);
    assert.deepEqual(after.keys, IMP_KEYS);
    assert.equal(after.same, false);
    assert.deepEqual(after.out, {
      pg: 'danal_tpay', pay_method: 'card', merchant_uid: 'merchant_1700000000000', name: '최초인증결제', amount: 0,
      customer_uid: 'your-customer-unique-id', buyer_email: 'iamport@siot.do', buyer_name: '아임포트', buyer_tel: '02-1234-1234',
    });
    assert.equal(server.requests.slice(before).filter((r) => r.path.endsWith('.wasm')).length, 1, 'the wasm, fetched once');
    assertNoProblems(page);
  } finally {
    await context.close();
  }
});
