// The demo under a strict Content-Security-Policy (no 'unsafe-eval', no 'unsafe-inline'): the wasm
// still instantiates, the sandbox still issues a key, and nothing is blocked. A deliberate inline
// script at the end proves that a violation would have been seen.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, STRICT_CSP, LOCKED_CSP } from './server.mjs';
import {
  launch, openPage, openDemo, fillForm, uniqueCustomer, resultField, resultState, shot, assertNoProblems,
  NO_SANDBOX_SERVER,
} from './lib.mjs';

const browser = await launch();
after(() => browser.close());

for (const [label, policy] of [['strict', STRICT_CSP], ['locked', LOCKED_CSP]]) {
  test(`${label} CSP (${policy.split(';')[0]}…): the sandbox issues a key with no violation`, async () => {
    const server = await startServer({ csp: policy });
    const { context, page } = await openPage(browser);
    try {
      const response = await page.goto(`${server.url}/`);
      assert.equal(response.headers()['content-security-policy'], policy, 'the header is really sent');
      assert.doesNotMatch(policy, /'unsafe-(eval|inline)'/);
      await openDemo(page, server.url);

      const customer = uniqueCustomer(`csp-${label}`);
      await fillForm(page, { customer_uid: customer, amount: 0 });
      await page.getByTestId('submit').click();
      await page.getByTestId('sandbox-approve').click();
      assert.equal(await resultState(page), 'success');
      assert.match(await resultField(page, 'imp_uid'), /^imps_\d{12}$/);
      assert.equal(await resultField(page, 'customer_uid'), customer);
      // The window's POST to a sandbox server was allowed (same origin) and answered 405 here: the
      // browser decided, and the page says so.
      assert.ok(server.requests.some((r) => r.method === 'POST' && r.path === '/__sandbox/window/pay' && r.status === 405));
      await page.getByTestId('no-sandbox-server').waitFor();

      // The wasm came over the wire as application/wasm, and the sandbox's stylesheet applied.
      const wasm = server.requests.find((r) => r.path.endsWith('.wasm'));
      assert.equal(wasm?.type, 'application/wasm');
      assert.ok(server.requests.some((r) => r.path === '/sandbox/iamport-sandbox.css' && r.status === 200));
      await shot(page, `csp-${label}-success`);
      assertNoProblems(page, [NO_SANDBOX_SERVER]);
      assert.deepEqual(page.problems.csp, []);

      // The detector works: an inline script is blocked and reported.
      const ran = await page.evaluate(async () => {
        const s = document.createElement('script');
        s.textContent = 'window.__inlineRan = true;';
        document.head.append(s);
        await new Promise((r) => setTimeout(r, 100));
        return window.__inlineRan === true;
      });
      assert.equal(ran, false, 'the inline script did not run');
      await page.waitForTimeout(100);
      assert.ok(page.problems.csp.some((v) => /script-src/.test(v)), `the violation was seen: ${page.problems.csp}`);
    } finally {
      await context.close();
      await server.close();
    }
  });
}
