// The package in Node, installed from the packed tarball into this folder's node_modules by
// tests/run-stacks.sh: what SSR and server-side code see. Every `import('iamport-billing')` here and in
// the child processes resolves to that install.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const APP = import.meta.dirname;
const PACKAGE = path.join(APP, 'node_modules', 'iamport-billing');

/** iamport's own example params for a Danal billing key, in the order IMP receives them. */
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

/** Runs `code` as an ES module in a fresh `node` in this folder: `{ code, stdout, stderr }`. */
function runNode(code) {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--input-type=module', '-e', code], { cwd: APP, timeout: 20_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? error.code ?? error.signal : 0, stdout, stderr });
    });
  });
}

/** What a thrown or rejected value looks like, for comparison. */
const errorShape = (m, e) => ({ instance: e instanceof m.BillingKeyError, name: e?.name, code: e?.code, field: e?.field });

test('the tarball ships every file its entry refers to', () => {
  const manifest = JSON.parse(readFileSync(path.join(PACKAGE, 'package.json'), 'utf8'));
  assert.equal(manifest.name, 'iamport-billing');
  assert.equal(manifest.dependencies, undefined, 'no runtime dependencies');
  const entry = manifest.exports?.['.']?.default ?? manifest.main;
  const seen = new Set();
  const visit = (file) => {
    if (seen.has(file)) return;
    seen.add(file);
    assert.ok(existsSync(path.join(PACKAGE, file)), `${file} is in the tarball`);
    if (!file.endsWith('.js')) return;
    const source = readFileSync(path.join(PACKAGE, file), 'utf8');
    const references = /(?:\bfrom\s*|\bimport\s*\(\s*|\bnew URL\(\s*)(["'])(\.{1,2}\/[^"']+)\1/g;
    for (const [, , spec] of source.matchAll(references)) visit(path.posix.join(path.posix.dirname(file), spec));
  };
  visit(path.posix.normalize(entry));
  assert.ok([...seen].some((f) => f.endsWith('.wasm')), `the wasm is referred to: ${[...seen]}`);
});

test('importing prints nothing, throws nothing, and lets the process end', async () => {
  const run = await runNode("await import('iamport-billing');");
  assert.deepEqual(run, { code: 0, stdout: '', stderr: '' });
});

test('in a fresh process, before ready(): sync exports throw NOT_READY, requestBillingKey still returns a Promise', async () => {
  const run = await runNode(`
    const m = await import('iamport-billing');
    const d = (e) => ({ instance: e instanceof m.BillingKeyError, name: e?.name, code: e?.code });
    const attempt = (f) => { try { f(); return 'returned'; } catch (e) { return d(e); } };
    const out = {
      validateParams: attempt(() => m.validateParams(${JSON.stringify(SEED)})),
      newMerchantUid: attempt(() => m.newMerchantUid()),
      parseRedirect: attempt(() => m.parseRedirect('https://example.com/?imp_uid=imps_1&merchant_uid=m_1&imp_success=true')),
    };
    let pending;
    out.requestBillingKeySync = attempt(() => { pending = m.requestBillingKey(${JSON.stringify(SEED)}); });
    out.isPromise = pending instanceof Promise;
    out.requestBillingKey = await pending.then(() => 'resolved', d);
    console.log(JSON.stringify(out));
  `);
  assert.equal(run.stderr, '');
  assert.equal(run.code, 0, run.stdout);
  const notReady = { instance: true, name: 'BillingKeyError', code: 'NOT_READY' };
  assert.deepEqual(JSON.parse(run.stdout), {
    validateParams: notReady,
    newMerchantUid: notReady,
    parseRedirect: notReady,
    requestBillingKeySync: 'returned',
    isPromise: true,
    requestBillingKey: { instance: true, name: 'BillingKeyError', code: 'IMP_NOT_LOADED' },
  });
});

test('ready() resolves, and twice', { timeout: 10_000 }, async () => {
  const m = await import('iamport-billing');
  assert.equal(await m.ready(), undefined);
  assert.equal(await m.ready(), undefined);
  assert.match(m.newMerchantUid('node'), /^node_[A-Za-z0-9_-]+$/);
});

test('validateParams returns the exact object IMP.request_pay would receive', async () => {
  const m = await import('iamport-billing');
  await m.ready();
  const input = structuredClone(SEED);
  const out = m.validateParams(input);
  assert.deepStrictEqual(out, SEED);
  assert.deepEqual(Object.keys(out), Object.keys(SEED), 'the keys in IMP order');
  assert.notEqual(out, input, 'a new object');
  assert.deepStrictEqual(input, SEED, 'the input is left alone');
  const reversed = Object.fromEntries(Object.entries(SEED).reverse());
  assert.deepEqual(Object.keys(m.validateParams(reversed)), Object.keys(SEED), 'the same order from any input order');
});

test('an invalid param throws a BillingKeyError with code INVALID_PARAM and the field', async () => {
  const m = await import('iamport-billing');
  await m.ready();
  for (const [change, field] of [[{ amount: '1000' }, 'amount'], [{ buyer_tel: 'call me' }, 'buyer_tel'], [{ customer_uid: '' }, 'customer_uid']]) {
    assert.throws(() => m.validateParams({ ...SEED, ...change }), (e) => {
      assert.ok(e instanceof Error);
      assert.deepEqual(errorShape(m, e), { instance: true, name: 'BillingKeyError', code: 'INVALID_PARAM', field });
      assert.equal(typeof e.message, 'string');
      assert.ok(e.message.length > 0);
      return true;
    }, JSON.stringify(change));
  }
});

test('requestBillingKey in Node (no window, no IMP) rejects IMP_NOT_LOADED and never throws', async () => {
  const m = await import('iamport-billing');
  await m.ready();
  assert.equal(globalThis.IMP, undefined);
  let pending;
  assert.doesNotThrow(() => { pending = m.requestBillingKey(SEED); });
  assert.ok(pending instanceof Promise);
  await assert.rejects(pending, (e) => {
    assert.deepEqual(errorShape(m, e), { instance: true, name: 'BillingKeyError', code: 'IMP_NOT_LOADED', field: undefined });
    return true;
  });
  // Whatever it is given, it answers with a rejected Promise, never a synchronous throw.
  for (const args of [[], [undefined], ['params'], [{ ...SEED, amount: '1000' }], [SEED, { timeoutMs: -1 }]]) {
    let p;
    assert.doesNotThrow(() => { p = m.requestBillingKey(...args); }, JSON.stringify(args));
    await assert.rejects(p, (e) => e instanceof m.BillingKeyError, JSON.stringify(args));
  }
});

test('loadIamport in Node checks its options before it looks for a document', async () => {
  const m = await import('iamport-billing');
  await m.ready();
  const rule = "src must be an https: URL, an http: URL of localhost, or a path on the page's own origin";
  for (const [options, field, message] of [
    [{ src: 'data:text/javascript,window.IMP={}' }, 'src', rule],
    [{ src: 'javascript:void(0)' }, 'src', rule],
    [{ src: 'http://cdn.iamport.kr/v1/iamport.js' }, 'src', rule],
    [{ src: 'http://[' }, 'src', rule],
    [{ merchantCode: 'imp1' }, 'merchantCode', undefined],
    [{ timeoutMs: 0 }, 'timeoutMs', undefined],
  ]) {
    await assert.rejects(m.loadIamport(options), (e) => {
      assert.deepEqual(errorShape(m, e), { instance: true, name: 'BillingKeyError', code: 'INVALID_PARAM', field }, JSON.stringify(options));
      if (message !== undefined) assert.equal(e.message, message);
      return true;
    });
  }
  // Valid options: only then the missing document.
  for (const options of [undefined, { src: '/sdk/iamport.js' }, { src: 'http://127.0.0.1:8080/iamport.js', merchantCode: 'imp12345678' }]) {
    await assert.rejects(m.loadIamport(options), (e) => {
      assert.deepEqual(errorShape(m, e), { instance: true, name: 'BillingKeyError', code: 'SDK_LOAD_FAILED', field: undefined });
      assert.match(e.message, /there is no document/);
      return true;
    });
  }
});
