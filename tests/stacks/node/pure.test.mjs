// `iamport-billing/pure` in Node, installed from the packed tarball (tests/run-stacks.sh): the
// subpath resolves through the package's `exports`, with the same exports as the default entry, one
// implementation shared with it, and its types file in the tarball.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const PACKAGE = path.join(import.meta.dirname, 'node_modules', 'iamport-billing');
const PARAMS = { customer_uid: 'c1', amount: 0, buyer_tel: '02-1234-1234', merchant_uid: 'merchant_1' };

test('the subpath resolves through exports, to pure.js with its types', () => {
  const manifest = JSON.parse(readFileSync(path.join(PACKAGE, 'package.json'), 'utf8'));
  assert.deepEqual(manifest.exports['./pure'], { types: './pure.d.ts', default: './pure.js' });
  assert.equal(import.meta.resolve('iamport-billing/pure'), new URL('pure.js', `file://${PACKAGE}/`).href);
  for (const f of ['pure.js', 'pure.d.ts', 'LICENSE-MIT', 'LICENSE-APACHE']) assert.ok(existsSync(path.join(PACKAGE, f)), f);
});

test('the same exports as the default entry, the same objects, and they work after ready()', async () => {
  const pure = await import('iamport-billing/pure');
  const main = await import('iamport-billing');
  assert.deepEqual(Object.keys(pure).sort(), Object.keys(main).sort());
  for (const key of Object.keys(main)) assert.equal(pure[key], main[key], key);
  assert.throws(() => pure.validateParams(PARAMS), (e) => e instanceof main.BillingKeyError && e.code === 'NOT_READY');
  await pure.ready();
  assert.equal(pure.validateParams(PARAMS).merchant_uid, 'merchant_1');
  assert.equal(main.validateParams(PARAMS).pg, 'danal_tpay', 'loaded once, for both entries');
});
