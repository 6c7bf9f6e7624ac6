// Per-call figures of iamport-billing (pkg/index.js, after `await ready()`) and of the plain-JS
// baseline (tests/reference/baseline.js), in one page, against one recording stand-in for IMP; and the
// equivalence check of the two on CASES.
//
// Two segments per call, timed with performance.now() (the page is cross-origin isolated, so
// Chromium's clock has a 5 µs grain with jitter; see bench/run.mjs):
//   call → IMP:     from calling requestBillingKey to the stand-in IMP.request_pay receiving the object;
//   callback → settled: from the stand-in calling back to the returned Promise's reaction running.

import * as ours from '../pkg/index.js';
import * as baseline from '../tests/reference/baseline.js';

const IMPLS = { ours, baseline };

const rec = { t: 0, param: undefined, callback: undefined, calls: 0 };
globalThis.IMP = {
  init() {},
  request_pay(param, callback) {
    rec.t = performance.now();
    rec.param = param;
    rec.callback = callback;
    rec.calls++;
  },
};

/** A typical request: a billing key only, generated merchant_uid. */
const PARAMS = {
  customer_uid: 'cust_0001_bench',
  amount: 0,
  name: '최초인증결제',
  buyer_email: 'iamport@siot.do',
  buyer_name: '아임포트',
  buyer_tel: '02-1234-1234',
};

/** What the SDK calls back with after a Danal billing-key window succeeds. */
const RESPONSE = {
  success: true,
  imp_uid: 'imps_000000000001',
  merchant_uid: 'billing_bench',
  pay_method: 'card',
  paid_amount: 0,
  status: 'paid',
  name: '최초인증결제',
  pg_provider: 'danal_tpay',
  pg_tid: '202601010000000000',
  pg_type: 'payment',
  currency: 'KRW',
  card_name: '신한카드',
  card_number: '1234-****-****-5678',
  card_quota: 0,
  apply_num: '12345678',
  paid_at: 1767225600,
  receipt_url: 'https://example.invalid/receipt',
  buyer_name: '아임포트',
  buyer_email: 'iamport@siot.do',
  buyer_tel: '02-1234-1234',
  custom_data: null,
};

async function once(impl) {
  const t0 = performance.now();
  const promise = impl.requestBillingKey(PARAMS);
  const tImp = rec.t;
  let tSettled = 0;
  const done = promise.then(() => {
    tSettled = performance.now();
  });
  const callback = rec.callback;
  rec.callback = undefined;
  const tCallback = performance.now();
  callback(RESPONSE);
  await done;
  return [tImp - t0, tSettled - tCallback];
}

/** Runs `warmup` then `calls` calls of each implementation, alternating blocks of `block`. */
window.__runCalls = async ({ calls, warmup, block }) => {
  const out = {};
  for (const name of Object.keys(IMPLS)) {
    out[name] = { toImp: new Float64Array(calls), settle: new Float64Array(calls), n: 0 };
    for (let i = 0; i < warmup; i++) await once(IMPLS[name]);
  }
  while (Object.values(out).some((o) => o.n < calls)) {
    for (const [name, o] of Object.entries(out)) {
      const end = Math.min(calls, o.n + block);
      for (; o.n < end; o.n++) {
        const [toImp, settle] = await once(IMPLS[name]);
        o.toImp[o.n] = toImp;
        o.settle[o.n] = settle;
      }
    }
  }
  const result = { isolated: crossOriginIsolated, impCalls: rec.calls };
  for (const [name, o] of Object.entries(out)) result[name] = { toImp: Array.from(o.toImp), settle: Array.from(o.settle) };
  return result;
};

/** Settles one request of `impl` with `params`, answering with `response`; a plain summary. */
async function outcome(impl, params, options, response) {
  rec.param = undefined;
  rec.callback = undefined;
  let promise;
  try {
    promise = impl.requestBillingKey(params, options);
  } catch (e) {
    return { threw: String(e) };
  }
  const param = rec.param === undefined ? undefined : JSON.parse(JSON.stringify(rec.param));
  if (rec.callback) rec.callback(response);
  try {
    const value = await promise;
    const { raw, ...rest } = value;
    return { param, result: rest, rawIsSame: raw === response };
  } catch (e) {
    return { param, error: { name: e.name, code: e.code, field: e.field, message: e.message } };
  }
}

const strip = (o) => {
  if (o && o.param) delete o.param.merchant_uid;
  if (o && o.result) delete o.result.merchant_uid;
  return o;
};

/** Cases both must treat alike: valid requests (same object to IMP, same result) and invalid ones (same error). */
const CASES = [
  ['typical', PARAMS, undefined, RESPONSE],
  ['everything', {
    customer_uid: 'c-2', amount: 1004, pg: 'danal_tpay.CPID_1', merchant_uid: 'm_fixed', name: 'n',
    buyer_email: 'a@b.c', buyer_name: 'b', buyer_tel: '+82 (10)234-5678', buyer_addr: 'addr', buyer_postcode: '06000',
    company: 'co', customer_id: 'cid', m_redirect_url: 'https://shop.example/done', notice_url: ['https://shop.example/hook'],
    custom_data: { a: [1, 'x', null, { b: true }] }, language: 'en', currency: 'KRW', popup: false,
    period: { from: '20260101', to: '20261231' }, display: { card_quota: [0, 2, 3] }, tax_free: 4,
    app_scheme: 'myapp', confirm_url: 'https://shop.example/confirm', card: { direct: { code: '361' } }, bypass: { x: 1 },
  }, { timeoutMs: 60000 }, { imp_uid: 'imps_2', merchant_uid: 'm_fixed', status: 'paid', custom_data: { k: 1 } }],
  ['channelKey', { customer_uid: 'c', amount: 0, channelKey: 'channel-key-1', buyer_tel: '010' }, undefined,
    { error_code: 'F400', error_msg: '사용자가 결제를 취소하셨습니다', imp_uid: 'imps_3' }],
  ['failure without message', PARAMS, undefined, { success: false, imp_uid: '' }],
  ['malformed response', PARAMS, undefined, 'nope'],
  ['not an object', 'x', undefined, null],
  ['typo', { custmer_uid: 'c', amount: 0, buyer_tel: '010' }, undefined, null],
  ['secret', { customer_uid: 'c', amount: 0, buyer_tel: '010', imp_secret: 'x' }, undefined, null],
  ['amount as string', { customer_uid: 'c', amount: '1000', buyer_tel: '010' }, undefined, null],
  ['amount fraction', { customer_uid: 'c', amount: 1.5, buyer_tel: '010' }, undefined, null],
  ['no tel', { customer_uid: 'c', amount: 0 }, undefined, null],
  ['bad tel', { customer_uid: 'c', amount: 0, buyer_tel: 'call me' }, undefined, null],
  ['long name', { customer_uid: 'c', amount: 0, buyer_tel: '010', name: 'x'.repeat(41) }, undefined, null],
  ['slash uid', { customer_uid: 'a/b', amount: 0, buyer_tel: '010' }, undefined, null],
  ['vbank', { customer_uid: 'c', amount: 0, buyer_tel: '010', pay_method: 'vbank' }, undefined, null],
  ['pg and channelKey', { customer_uid: 'c', amount: 0, buyer_tel: '010', pg: 'danal_tpay', channelKey: 'k' }, undefined, null],
  ['bad email', { customer_uid: 'c', amount: 0, buyer_tel: '010', buyer_email: 'a@b@c' }, undefined, null],
  ['bad url', { customer_uid: 'c', amount: 0, buyer_tel: '010', m_redirect_url: '/done' }, undefined, null],
  ['bigint in custom_data', { customer_uid: 'c', amount: 0, buyer_tel: '010', custom_data: { n: [1, 2n] } }, undefined, null],
  ['bad period', { customer_uid: 'c', amount: 0, buyer_tel: '010', period: { from: '20260230', to: '20260301' } }, undefined, null],
  ['bad quota', { customer_uid: 'c', amount: 0, buyer_tel: '010', display: { card_quota: [0, 37] } }, undefined, null],
  ['tax_free > amount', { customer_uid: 'c', amount: 0, buyer_tel: '010', tax_free: 1 }, undefined, null],
  ['bad timeout', PARAMS, { timeoutMs: 0 }, null],
  ['unknown option', PARAMS, { timeout: 5 }, null],
];

/** Compares the two implementations on CASES; returns the cases where they differ. */
window.__equivalence = async () => {
  const differences = [];
  for (const [label, params, options, response] of CASES) {
    const a = strip(await outcome(ours, params, options, response));
    const b = strip(await outcome(baseline, params, options, response));
    if (JSON.stringify(a) !== JSON.stringify(b)) differences.push({ label, ours: a, baseline: b });
  }
  return { cases: CASES.length, differences };
};

await ours.ready(); // the synchronous path: calls before it would wait for the wasm
window.__benchReady = true;
