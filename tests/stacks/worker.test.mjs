// A Cloudflare Worker with iamport-billing/server (tests/stacks/worker: src/index.js, installed from the
// packed tarball and bundled as wrangler bundles it by build.mjs in tests/run-stacks.sh), run
// in workerd through Miniflare against the sandbox, at two compatibility dates: 2025-01-01, where
// workerd refuses to compile wasm from bytes (the inlined build is shown to fail there), and a
// current one. The bundle must keep the .wasm a module of its own (CompiledWasm).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { STACKS, OUT } from './lib.mjs';
import { startSandbox, issueKey, IMP_KEY, IMP_SECRET } from '../e2e/sandbox-server.mjs';

const APP = path.join(STACKS, 'worker');
const DIST = path.join(APP, 'dist');
const { Miniflare } = await import(path.join(APP, 'node_modules', 'miniflare', 'dist', 'src', 'index.js'));

/** Where workerd refuses code generation from bytes, and a current date. */
const DATES = ['2025-01-01', '2026-07-01'];

let sandbox;

before(async () => {
  assert.ok(existsSync(path.join(DIST, 'index.js')), `tests/stacks/worker has no bundle: see ${path.join(OUT, 'worker-build.log')} (run tests/run-stacks.sh)`);
  sandbox = await startSandbox();
});

after(async () => {
  await sandbox?.stop();
});

/** Miniflare running `options`' Worker at `compatibilityDate`, with the sandbox's key and secret. */
function worker(compatibilityDate, options) {
  return new Miniflare({
    modules: true,
    compatibilityDate,
    bindings: { IAMPORT_KEY: IMP_KEY, IAMPORT_SECRET: IMP_SECRET, IAMPORT_BASE_URL: sandbox.url },
    ...options,
  });
}

const bundled = (compatibilityDate) => worker(compatibilityDate, {
  scriptPath: path.join(DIST, 'index.js'),
  modulesRules: [{ type: 'CompiledWasm', include: ['**/*.wasm'] }],
});

async function json(mf, urlPath, init) {
  const res = await mf.dispatchFetch(`http://worker.test${urlPath}`, init);
  return { status: res.status, body: await res.json() };
}

test('wrangler keeps the .wasm a module of its own: the bundle imports it, nothing inlines it', () => {
  const files = readdirSync(DIST);
  const wasm = files.filter((f) => f.endsWith('.wasm'));
  assert.equal(wasm.length, 1, `one .wasm in dist/: ${files.join(', ')}`);
  const code = readFileSync(path.join(DIST, 'index.js'), 'utf8');
  assert.match(code, new RegExp(`from "\\./${wasm[0].replace(/[.]/g, '\\.')}"`), 'index.js imports the .wasm module');
  assert.ok(code.length < 100_000, `index.js is JavaScript only (${code.length} B): no wasm inlined`);
});

for (const date of DATES) {
  test(`workerd at compatibility date ${date}: reads a payment, charges the key, refuses a bad param`, async () => {
    const customer_uid = `worker-${date}`;
    const issued = await issueKey(sandbox, { customer_uid, merchant_uid: `worker_issue_${date.replaceAll('-', '')}` });
    const mf = bundled(date);
    try {
      const payment = await json(mf, `/payments/${issued.imp_uid}`);
      assert.equal(payment.status, 200, JSON.stringify(payment.body));
      assert.equal(payment.body.imp_uid, issued.imp_uid);
      assert.equal(payment.body.customer_uid, customer_uid);
      assert.equal(payment.body.status, 'paid');

      const merchant_uid = `worker_charge_${date.replaceAll('-', '')}`;
      const charge = await json(mf, '/charge', {
        method: 'POST',
        body: JSON.stringify({ customer_uid, merchant_uid, amount: 9900, name: '월 구독' }),
      });
      assert.equal(charge.status, 200, JSON.stringify(charge.body));
      assert.equal(charge.body.status, 'paid');
      assert.equal(charge.body.payment.merchant_uid, merchant_uid);
      assert.equal(charge.body.payment.amount, 9900);
      const recorded = await json(mf, `/payments/${charge.body.payment.imp_uid}`);
      assert.deepEqual(
        [recorded.body.merchant_uid, recorded.body.status, recorded.body.amount],
        [merchant_uid, 'paid', 9900],
        'the sandbox has the charge',
      );

      const bad = await json(mf, '/charge', {
        method: 'POST',
        body: JSON.stringify({ customer_uid, merchant_uid: `${merchant_uid}_2`, amount: 9900, nmae: '월 구독' }),
      });
      assert.equal(bad.status, 400, JSON.stringify(bad.body));
      assert.equal(bad.body.code, 'INVALID_PARAM');
      assert.equal(bad.body.field, 'nmae');
      assert.match(bad.body.message, /did you mean name\?/);
    } finally {
      await mf.dispose();
    }
  });
}

// The control: the same API from the inlined build (`iamport-billing/server/inline`, the .wasm as
// bytes) cannot start at 2025-01-01, so the date above does enforce the rule the Worker passes.
test('the inlined build fails in workerd at 2025-01-01: code generation from bytes is refused', async () => {
  const inline = readFileSync(path.join(APP, 'node_modules', 'iamport-billing', 'server', 'inline.js'), 'utf8');
  const mf = worker(DATES[0], {
    modules: [
      { type: 'ESModule', path: 'main.js', contents: "import { createIamportClient } from './inline.js';\nexport default { fetch: () => new Response(typeof createIamportClient) };\n" },
      { type: 'ESModule', path: 'inline.js', contents: inline },
    ],
  });
  try {
    await assert.rejects(mf.ready, /code generation disallowed|Wasm code generation/i);
  } finally {
    await mf.dispose().catch(() => {});
  }
});
