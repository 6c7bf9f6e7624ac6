// Plain HTML, no bundler: tests/stacks/html/index.html loads main.js, which imports
// ./node_modules/iamport-billing/index.js (installed from the packed tarball), served as static files
// under the strict CSP.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import {
  STACKS, SANDBOX, startServer, STRICT_CSP, launch, openPage, assertNoProblems, recordRequestPay, billingFlow,
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
    assert.deepEqual(server.requests.filter((r) => r.status !== 200), [], 'every request was served');
    assert.deepEqual(page.problems.csp, []);
    assertNoProblems(page);
  } finally {
    await context.close();
  }
});
