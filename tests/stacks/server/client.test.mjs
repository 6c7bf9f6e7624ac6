// iamport-billing/server in Node, installed from the packed tarball (tests/run-stacks.sh), against the
// sandbox server: every method, every error code, the params' checks (nothing sent), unknown enum
// values kept, the secret never shown; then the same module in Bun and Deno (smoke.mjs).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { inspect, promisify } from 'node:util';
import { runInNewContext } from 'node:vm';
import { createIamportClient, IamportError } from 'iamport-billing/server';
import { startSandbox, issueKey, IMP_KEY, IMP_SECRET, DAY } from '../../e2e/sandbox-server.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const run = promisify(execFile);

let sandbox;
let iamport;

before(async () => {
  sandbox = await startSandbox();
  iamport = createIamportClient({ impKey: IMP_KEY, impSecret: IMP_SECRET, baseUrl: sandbox.url });
});

after(async () => {
  await sandbox?.stop();
});

/** Resolves the IamportError `promise` rejects with (fails when it resolves or rejects with something else). */
async function rejection(promise) {
  try {
    const value = await promise;
    assert.fail(`resolved: ${JSON.stringify(value)}`);
  } catch (err) {
    if (err instanceof assert.AssertionError) throw err;
    assert.ok(err instanceof IamportError, `an IamportError: ${inspect(err)}`);
    assert.ok(err instanceof Error);
    assert.equal(err.name, 'IamportError');
    return err;
  }
}

/** The JSON types of the published V1 description, field by field (null allowed where iamport sends it). */
function assertPaymentShape(p) {
  const types = {
    imp_uid: 'string', merchant_uid: 'string', amount: 'number', cancel_amount: 'number', currency: 'string',
    status: 'string', sandbox: 'boolean', pay_method: 'string?', channel: 'string?', pg_provider: 'string?', pg_tid: 'string?',
    name: 'string?', card_name: 'string?', card_number: 'string?', card_quota: 'number?', apply_num: 'string?',
    buyer_name: 'string?', buyer_email: 'string?', buyer_tel: 'string?', custom_data: 'string?', started_at: 'number?',
    paid_at: 'number?', failed_at: 'number?', cancelled_at: 'number?', fail_reason: 'string?', cancel_reason: 'string?',
    receipt_url: 'string?', customer_uid: 'string?', customer_uid_usage: 'string?',
  };
  for (const [key, type] of Object.entries(types)) {
    assert.ok(key in p, `payment.${key} is there: ${JSON.stringify(p)}`);
    const t = type.replace('?', '');
    assert.ok(typeof p[key] === t || (type.endsWith('?') && p[key] === null), `payment.${key} is ${type}: ${JSON.stringify(p[key])}`);
  }
  assert.ok(Array.isArray(p.cancel_history), 'cancel_history is an array');
}

test('confirm, charge, schedule, look up, unschedule, cancel, delete: the whole server side against the sandbox', async () => {
  const customer_uid = 'node-customer-1';
  const issued = await issueKey(sandbox, { customer_uid, merchant_uid: 'node_issue_1' });

  const confirmed = await iamport.confirmBillingKey({ imp_uid: issued.imp_uid, customer_uid, amount: 0, merchant_uid: 'node_issue_1' });
  assertPaymentShape(confirmed);
  assert.equal(confirmed.imp_uid, issued.imp_uid);
  assert.equal(confirmed.status, 'paid');
  assert.equal(confirmed.customer_uid, customer_uid);
  assert.equal(confirmed.customer_uid_usage, 'issue');

  const mismatch = await rejection(iamport.confirmBillingKey({ imp_uid: issued.imp_uid, customer_uid, amount: 1004 }));
  assert.equal(mismatch.code, 'MISMATCH');
  assert.equal(mismatch.field, 'amount');
  assert.equal(mismatch.expected, 1004);
  const other = await rejection(iamport.confirmBillingKey({ imp_uid: issued.imp_uid, customer_uid: 'someone-else', amount: 0 }));
  assert.equal(other.code, 'MISMATCH');
  assert.equal(other.field, 'customer_uid');

  const key = await iamport.getBillingKey(customer_uid);
  assert.equal(key.customer_uid, customer_uid);
  assert.equal(key.pg_provider, 'danal_tpay');
  assert.equal(typeof key.inserted, 'number');
  assert.equal(typeof key.card_name, 'string');

  const paid = await iamport.chargeBillingKey({ customer_uid, merchant_uid: 'node_order_1', amount: 9900, name: '월 구독', custom_data: { plan: 'monthly' } });
  assert.equal(paid.status, 'paid');
  assertPaymentShape(paid.payment);
  assert.equal(paid.payment.amount, 9900);
  assert.equal(paid.payment.merchant_uid, 'node_order_1');
  assert.deepEqual(JSON.parse(paid.payment.custom_data), { plan: 'monthly' }, 'custom_data comes back as iamport stores it: text');
  assert.equal(paid.fail_reason, undefined);

  await sandbox.control('POST', '/__sandbox/next-outcome', { outcome: 'decline', fail_reason: '한도초과' });
  const declined = await iamport.chargeBillingKey({ customer_uid, merchant_uid: 'node_order_2', amount: 9900, name: '월 구독' });
  assert.equal(declined.status, 'failed', 'a declined card is an answer, not an error');
  assert.equal(declined.fail_reason, '한도초과');
  assert.equal(declined.payment.status, 'failed');

  const { now } = await sandbox.control('GET', '/__sandbox/clock');
  const at = new Date((now + 30 * DAY) * 1000 + 999); // a Date: unix seconds, the milliseconds dropped
  const scheduled = await iamport.scheduleCharges({
    customer_uid,
    schedules: [
      { merchant_uid: 'node_month_1', schedule_at: at, amount: 9900, name: '월 구독' },
      { merchant_uid: 'node_month_2', schedule_at: now + 60 * DAY, amount: 9900, name: '월 구독' },
      { merchant_uid: 'node_month_3', schedule_at: new Date((now + 90 * DAY) * 1000).toISOString().replace('.000Z', '+00:00'), amount: 9900, name: '월 구독' },
    ],
  });
  assert.deepEqual(scheduled.map((s) => [s.merchant_uid, s.schedule_at, s.schedule_status, s.imp_uid]), [
    ['node_month_1', now + 30 * DAY, 'scheduled', null],
    ['node_month_2', now + 60 * DAY, 'scheduled', null],
    ['node_month_3', now + 90 * DAY, 'scheduled', null],
  ]);
  const one = await iamport.getSchedule('node_month_2');
  assert.equal(one.amount, 9900);
  const revoked = await iamport.unscheduleCharges({ customer_uid, merchant_uid: ['node_month_2'] });
  assert.deepEqual(revoked.map((s) => [s.merchant_uid, s.schedule_status]), [['node_month_2', 'revoked']]);
  assert.equal(typeof revoked[0].revoked_at, 'number');

  const partly = await iamport.cancelPayment({ imp_uid: paid.payment.imp_uid, amount: 900, reason: '부분 환불' });
  assert.equal(partly.cancel_amount, 900);
  assert.equal(partly.cancel_history.length, 1);
  assert.equal(partly.cancel_history[0].amount, 900);
  assert.equal(typeof partly.cancel_history[0].cancelled_at, 'number');
  const looked = await iamport.getPayment(paid.payment.imp_uid);
  assert.equal(looked.cancel_amount, 900);
  const found = await iamport.findPayment('node_order_1');
  assert.equal(found.imp_uid, paid.payment.imp_uid);

  // A webhook's body, in every form a framework hands it over: iamport's record comes back.
  const body = { imp_uid: paid.payment.imp_uid, merchant_uid: 'node_order_1', status: 'paid' };
  const form = `imp_uid=${body.imp_uid}&merchant_uid=node_order_1&status=paid`;
  for (const given of [body, JSON.stringify(body), form, new URLSearchParams(form), Buffer.from(form), new TextEncoder().encode(JSON.stringify(body))]) {
    const verified = await iamport.verifyWebhook(given);
    assert.equal(verified.imp_uid, paid.payment.imp_uid, inspect(given));
    assert.equal(verified.cancel_amount, 900, 'the record, not the body');
  }

  const deleted = await iamport.deleteBillingKey(customer_uid);
  assert.equal(deleted.customer_uid, customer_uid);
  const gone = await rejection(iamport.getBillingKey(customer_uid));
  assert.equal(gone.code, 'NOT_FOUND');
  const left = await iamport.getSchedule('node_month_1');
  assert.equal(left.schedule_status, 'revoked', 'deleting the key revoked its pending schedule');
});

test('iamport\'s refusals: NOT_FOUND, API_ERROR with iamport\'s code and message, UNAUTHORIZED', async () => {
  const missing = await rejection(iamport.getPayment('imps_000000000000'));
  assert.equal(missing.code, 'NOT_FOUND');
  const refused = await rejection(iamport.chargeBillingKey({ customer_uid: 'nobody', merchant_uid: 'node_order_x', amount: 1000, name: 'n' }));
  assert.equal(refused.code, 'API_ERROR');
  assert.equal(refused.api_code, 1);
  assert.equal(refused.api_message, '등록된 고객정보가 없습니다.');
  const wrong = createIamportClient({ impKey: IMP_KEY, impSecret: 'not-the-secret-1234', baseUrl: sandbox.url });
  const unauthorized = await rejection(wrong.getPayment('imps_000000000000'));
  assert.equal(unauthorized.code, 'UNAUTHORIZED');
  assert.doesNotMatch(`${unauthorized.message} ${inspect(unauthorized)}`, /not-the-secret-1234/);
});

/** A local server that records every request and answers with `handler` (or never, when it returns undefined). */
async function fakeApi(handler) {
  const requests = [];
  const server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    const answer = handler(req);
    if (answer === undefined) return; // never answers
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(answer));
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    requests,
    close: () => new Promise((r) => { server.closeAllConnections(); server.close(r); }),
  };
}

/** A secret long enough to be accepted (createIamportClient refuses one under 12 characters). */
const SECRET = 'test_secret_0123';
const TOKEN = { code: 0, message: null, response: { access_token: 'tok_SECRET_TOKEN_42', now: 1_900_000_000, expired_at: 1_900_001_800 } };

test('every param is checked before anything is sent: unknown keys, types, limits, the field\'s path', async () => {
  const api = await fakeApi(() => TOKEN);
  const client = createIamportClient({ impKey: 'k', impSecret: SECRET, baseUrl: api.url });
  try {
    const cases = [
      [() => client.chargeBillingKey({ customer_uid: 'c1', merchant_uid: 'm1', amount: 9900, nmae: 'n' }), 'nmae', /did you mean name\?/],
      [() => client.chargeBillingKey({ customer_uid: 'c1', merchant_uid: 'm1', amount: '9900', name: 'n' }), 'amount', /number/],
      [() => client.chargeBillingKey({ customer_uid: 'c1', merchant_uid: 'm1', amount: 9900.5, name: 'n' }), 'amount', /whole/],
      [() => client.chargeBillingKey({ customer_uid: 'c1', merchant_uid: 'm1', amount: NaN, name: 'n' }), 'amount', /^amount must be a number \(got NaN or Infinity\)$/],
      [() => client.chargeBillingKey({ customer_uid: 'c1', merchant_uid: 'x'.repeat(41), amount: 1, name: 'n' }), 'merchant_uid', /40/],
      [() => client.chargeBillingKey({ customer_uid: 'c1', merchant_uid: 'm1', amount: 1, name: 'n', custom_data: { f: () => 1 } }), 'custom_data.f', /function/],
      [() => client.chargeBillingKey({ customer_uid: 'c1', merchant_uid: 'm1', amount: 1, name: 'n', imp_secret: 's' }), 'imp_secret', /secret/],
      [() => client.scheduleCharges({ customer_uid: 'c1', schedules: [{ merchant_uid: 'm1', schedule_at: 1_900_000_000, amount: 1, name: 'n' }, { merchant_uid: 'm2', schedule_at: '2030-01-01', amount: 1, name: 'n' }] }), 'schedules[1].schedule_at', /unix seconds/],
      [() => client.scheduleCharges({ customer_uid: 'c1', schedules: [{ merchant_uid: 'm1', schedule_at: Date.now(), amount: 1, name: 'n' }] }), 'schedules[0].schedule_at', /millisecond/],
      [() => client.scheduleCharges({ customer_uid: 'c1', schedules: [{ merchant_uid: 'm1', schedule_at: new Date('not a date'), amount: 1, name: 'n' }] }), 'schedules[0].schedule_at', /or a Date \(got NaN or Infinity\)/],
      [() => client.scheduleCharges({ customer_uid: 'c1', schedules: [] }), 'schedules', /./],
      [() => client.confirmBillingKey({ imp_uid: 'imps_1', customer_uid: 'c1' }), 'amount', /required/],
      [() => { const data = { a: [] }; data.a.push(data); return client.chargeBillingKey({ customer_uid: 'c1', merchant_uid: 'm1', amount: 1, name: 'n', custom_data: data }); }, 'custom_data.a[0]', /itself/],
      [() => client.getPayment(42), 'imp_uid', /string/],
      [() => client.cancelPayment({ imp_uid: 'imps_1', reason: 'r', amount: -1 }), 'amount', /./],
      [() => client.cancelPayment({ imp_uid: 'imps_1', merchant_uid: 'm1', reason: 'r' }), 'merchant_uid', /not both/],
      [() => client.unscheduleCharges({ customer_uid: 'c1', merchant_uid: ['m1', 7] }), 'merchant_uid[1]', /string/],
      [() => client.verifyWebhook(42), 'body', /^body must be an object, JSON text or form text \(got a number\)$/],
      [() => client.verifyWebhook(undefined), 'body', /no body parser ran.*express\.json\(\) and express\.urlencoded\(\).*request\.text\(\)/],
    ];
    for (const [call, field, message] of cases) {
      const err = await rejection(call());
      assert.equal(err.code, 'INVALID_PARAM', `${call}: ${err.message}`);
      assert.equal(err.field, field, `${call}: ${err.message}`);
      assert.match(err.message, message, String(call));
    }
    assert.deepEqual(api.requests, [], 'nothing was sent');
  } finally {
    await api.close();
  }
});

test('params made in another realm (a vm context) are plain objects too; class instances are not', async () => {
  const api = await fakeApi(() => TOKEN);
  const client = createIamportClient({ impKey: 'k', impSecret: SECRET, baseUrl: api.url });
  try {
    const foreign = runInNewContext("({ customer_uid: 'c1', merchant_uid: 'm1', amount: 1, name: 'n', nmae: 'x' })");
    const typo = await rejection(client.chargeBillingKey(foreign));
    assert.equal(typo.field, 'nmae', 'read as params: the crate found the typo');
    const when = runInNewContext('new Date(2000000000000)');
    const late = await rejection(client.scheduleCharges({ customer_uid: 'c1', schedules: [{ merchant_uid: 'm1', schedule_at: when, amount: 1, name: 'n', nmae: 'x' }] }));
    assert.equal(late.field, 'schedules[0].nmae', 'the foreign Date became unix seconds; the typo was found next');
    const instance = await rejection(client.chargeBillingKey(new (class Order { constructor() { this.customer_uid = 'c1'; } })()));
    assert.equal(instance.message, 'params must be a plain object (got an object that is not a plain object (Map, Set, class instance…))');
    assert.deepEqual(api.requests, []);
  } finally {
    await api.close();
  }
});

test('a value JSON cannot carry gets the message the browser\'s validateParams gives it, at the same path', async () => {
  const browser = await import('iamport-billing');
  await browser.ready();
  const api = await fakeApi(() => TOKEN);
  const client = createIamportClient({ impKey: 'k', impSecret: SECRET, baseUrl: api.url });
  // [field, message] of the browser's refusal of `params`, or null when it takes them.
  const inBrowser = (params) => {
    try {
      browser.validateParams(params);
      return null;
    } catch (e) {
      assert.ok(e instanceof browser.BillingKeyError, inspect(e));
      return [e.field, e.message];
    }
  };
  const onServer = async (promise) => {
    const e = await rejection(promise);
    assert.equal(e.code, 'INVALID_PARAM', e.message);
    return [e.field, e.message];
  };
  const window = (amount, more) => ({ customer_uid: 'c1', amount, buyer_tel: '010-1234-5678', ...more });
  const charge = (amount, more) => ({ customer_uid: 'c1', merchant_uid: 'm1', amount, name: 'n', ...more });
  const entry = (amount) => ({ customer_uid: 'c1', schedules: [{ merchant_uid: 'm1', schedule_at: 2_000_000_000, amount, name: 'n' }] });
  class Order {
    constructor() {
      this.amount = 1;
    }
  }
  let deep = 1;
  for (let i = 0; i < 70; i++) deep = { a: deep };
  const values = {
    'a BigInt': () => 10n,
    'a function': () => () => 1,
    NaN: () => NaN,
    '-Infinity': () => -Infinity,
    'a Symbol': () => Symbol('s'),
    'a class instance': () => new Order(),
    'a Map': () => new Map([[1, 2]]),
    'a Date': () => new Date(0),
    'an object with toJSON': () => ({ toJSON: () => 1 }),
    'a revoked Proxy': () => {
      const { proxy, revoke } = Proxy.revocable({}, {});
      revoke();
      return proxy;
    },
    'a Proxy whose trap throws': () => new Proxy({}, { ownKeys() { throw new Error('trap!'); } }),
    'nested 70 deep': () => deep,
  };
  try {
    for (const [what, make] of Object.entries(values)) {
      const said = inBrowser(window(make()));
      assert.equal(said?.[0], 'amount', `${what}: the browser refuses it at amount: ${said}`);
      assert.deepEqual(await onServer(client.chargeBillingKey(charge(make()))), said, `${what} at amount`);
      const inEntry = ['schedules[0].amount', said[1].replace('amount', 'schedules[0].amount')];
      assert.deepEqual(await onServer(client.scheduleCharges(entry(make()))), inEntry, `${what} at schedules[0].amount`);
      const data = { custom_data: { plan: [1, make()] } };
      const dataSaid = inBrowser(window(1, data));
      assert.equal(dataSaid?.[0].startsWith('custom_data.plan[1]'), true, `${what} in custom_data: ${dataSaid}`);
      assert.deepEqual(await onServer(client.chargeBillingKey(charge(1, data))), dataSaid, `${what} in custom_data`);
      if (what === 'nested 70 deep') continue; // a plain object: read as params (of different requests)
      assert.deepEqual(await onServer(client.chargeBillingKey(make())), inBrowser(make()), `${what} as the params`);
    }
    for (const params of [undefined, null, 42, 'c1', [], [charge(1)]]) {
      assert.deepEqual(await onServer(client.chargeBillingKey(params)), inBrowser(params), `${inspect(params)} as the params`);
    }
    // A cycle, and a getter that throws: "could not be read", and why.
    const cyclic = (params) => Object.assign(params, { amount: params });
    const said = inBrowser(cyclic(window()));
    assert.deepEqual(said, ['amount', 'amount could not be read: a cycle (it is inside itself)']);
    assert.deepEqual(await onServer(client.chargeBillingKey(cyclic(charge()))), said);
    const schedule = entry(1);
    schedule.schedules[0].amount = schedule.schedules;
    assert.deepEqual(await onServer(client.scheduleCharges(schedule)), ['schedules[0].amount', 'schedules[0].amount could not be read: a cycle (it is inside itself)']);
    const throwing = (params) => Object.defineProperty(params, 'amount', { enumerable: true, get() { throw new Error('boom'); } });
    const thrown = inBrowser(throwing(window()));
    assert.deepEqual(thrown, ['amount', 'amount could not be read: a getter threw: boom']);
    assert.deepEqual(await onServer(client.chargeBillingKey(throwing(charge()))), thrown);
    // Inside an object `undefined` is absent, in an array null, on both halves.
    assert.equal(inBrowser(window(1, { buyer_name: undefined })), null);
    assert.deepEqual(await onServer(client.chargeBillingKey(charge(undefined))), inBrowser(window(undefined)));
    const holes = { customer_uid: 'c1', merchant_uid: ['m1', undefined] };
    assert.deepEqual(await onServer(client.unscheduleCharges(holes)), ['merchant_uid[1]', 'merchant_uid[1] must be a string (got null)']);
    assert.deepEqual(api.requests, [], 'nothing was sent');
  } finally {
    await api.close();
  }
});

test('the config is checked at once: unknown keys with a "did you mean", required keys, types, limits', () => {
  const cases = [
    [{ impkey: 'k', impSecret: SECRET }, 'impkey', /did you mean impKey\?/],
    [{ imp_key: 'k', imp_secret: SECRET }, 'imp_key', /did you mean impKey\?/],
    [{ impKey: 'k' }, 'impSecret', /required/],
    [{ impKey: 'k', impSecret: 's' }, 'impSecret', /^impSecret is too short to be a REST API secret \(at least 12 characters; iamport's have 80\): copy it whole/],
    [{ impKey: 'k', impSecret: 'sk_test_123' }, 'impSecret', /too short/],
    [{ impKey: 'k', impSecret: SECRET, baseUrl: 'api.iamport.kr' }, 'baseUrl', /http/],
    [{ impKey: 'k', impSecret: SECRET, timeoutMs: 0 }, 'timeoutMs', /1 to 600000/],
    [{ impKey: 'k', impSecret: SECRET, timeoutMs: '30s' }, 'timeoutMs', /number/],
    [{ impKey: 42, impSecret: SECRET }, 'impKey', /string/],
    [{ impKey: 42n, impSecret: SECRET }, 'impKey', /^impKey must be a string \(got a BigInt\)$/],
    [{ impKey: 'k', impSecret: SECRET, timeoutMs: NaN }, 'timeoutMs', /^timeoutMs must be a number of milliseconds \(got NaN or Infinity\)$/],
    [new Map(), 'config', /^config must be a plain object \{ impKey, impSecret, baseUrl\?, timeoutMs\? \} \(got an object that is not a plain object/],
  ];
  for (const [config, field, message] of cases) {
    assert.throws(() => createIamportClient(config), (err) => {
      assert.ok(err instanceof IamportError, inspect(err));
      assert.equal(err.code, 'INVALID_PARAM');
      assert.equal(err.field, field, err.message);
      assert.match(err.message, message);
      return true;
    }, inspect(config));
  }
  assert.throws(() => createIamportClient(), (err) => err instanceof IamportError && err.code === 'INVALID_PARAM');
});

test('the secret and the token never appear in an error, inspect(), String() or JSON of the client', async () => {
  const secret = 'sk_live_do_not_print_7f3a';
  const api = await fakeApi((req) => (req.url === '/users/getToken' ? TOKEN : { code: -1, message: `bad token tok_SECRET_TOKEN_42 and ${secret}`, response: null }));
  try {
    const client = createIamportClient({ impKey: 'k', impSecret: secret, baseUrl: api.url });
    const err = await rejection(client.getPayment('imps_000000000001'));
    const shown = [inspect(client, { showHidden: true, depth: 5 }), String(client), JSON.stringify(client), err.message, inspect(err), String(err), JSON.stringify(err)].join('\n');
    assert.doesNotMatch(shown, new RegExp(secret));
    assert.doesNotMatch(shown, /tok_SECRET_TOKEN_42/);
    assert.match(String(client), /IamportClient/);
  } finally {
    await api.close();
  }
});

test('an unknown status from iamport is kept as it is, not a failure', async () => {
  const payment = {
    imp_uid: 'imps_000000000001', merchant_uid: 'm1', amount: 1000, cancel_amount: 0, currency: 'KRW', status: 'partial_refund_pending',
    sandbox: true, customer_uid: 'c1', customer_uid_usage: 'payment.someday', channel: 'kiosk', cancel_history: [],
  };
  const api = await fakeApi((req) => (req.url === '/users/getToken' ? TOKEN : { code: 0, message: null, response: payment }));
  try {
    const client = createIamportClient({ impKey: 'k', impSecret: SECRET, baseUrl: api.url });
    const got = await client.getPayment('imps_000000000001');
    assert.equal(got.status, 'partial_refund_pending');
    assert.equal(got.customer_uid_usage, 'payment.someday');
    assert.equal(got.channel, 'kiosk');
  } finally {
    await api.close();
  }
});

test('NETWORK when nothing answers at baseUrl, with the cause (refused, DNS, TLS); TIMEOUT after timeoutMs', async () => {
  const closed = await fakeApi(() => TOKEN);
  const url = closed.url;
  await closed.close();
  const failed = (baseUrl) => rejection(createIamportClient({ impKey: 'k', impSecret: SECRET, baseUrl }).getPayment('imps_000000000001'));
  const network = await failed(url);
  assert.equal(network.code, 'NETWORK');
  const lost = 'POST /users/getToken: the request failed or its answer was lost';
  assert.equal(network.message, `${lost} (TypeError: fetch failed: connect ECONNREFUSED ${url.slice('http://'.length)})`);
  const dns = await failed('http://no-such-host.invalid');
  assert.equal(dns.code, 'NETWORK');
  assert.match(dns.message, /^POST \/users\/getToken: .* \(TypeError: fetch failed: getaddrinfo (ENOTFOUND|EAI_AGAIN) no-such-host\.invalid\)$/);
  const plain = await fakeApi(() => TOKEN); // https:// to an http server: the TLS handshake fails
  try {
    const tls = await failed(plain.url.replace('http:', 'https:'));
    assert.equal(tls.code, 'NETWORK');
    assert.match(tls.message, /\(TypeError: fetch failed: .*(SSL|TLS|wrong version number|EPROTO)/i);
  } finally {
    await plain.close();
  }

  const silent = await fakeApi(() => undefined);
  try {
    const started = Date.now();
    const timeout = await rejection(createIamportClient({ impKey: 'k', impSecret: SECRET, baseUrl: silent.url, timeoutMs: 300 }).getPayment('imps_000000000001'));
    assert.equal(timeout.code, 'TIMEOUT');
    assert.equal(timeout.message, 'POST /users/getToken: no answer within 300 ms');
    assert.ok(Date.now() - started < 10_000, 'it gave up');
  } finally {
    await silent.close();
  }
});

test('a short token is starred out only where it stands as a word; messages stay readable', async () => {
  const token = { ...TOKEN, response: { ...TOKEN.response, access_token: 'ab' } };
  const api = await fakeApi((req) => (req.url === '/users/getToken' ? token : { code: -1, message: 'abort: token ab (ab) is not valid', response: null }));
  try {
    const client = createIamportClient({ impKey: 'k', impSecret: SECRET, baseUrl: api.url });
    const err = await rejection(client.getPayment('imps_000000000001'));
    assert.equal(err.code, 'API_ERROR');
    assert.equal(err.api_message, 'abort: token *** (***) is not valid');
    assert.equal(err.message, 'GET /payments/{imp_uid}: iamport refused (code -1): abort: token *** (***) is not valid');
  } finally {
    await api.close();
  }
});

test('a charge whose answer and lookup are both lost: outcome_unknown, and the message names findPayment', async () => {
  const api = await fakeApi((req) => (req.url === '/users/getToken' ? TOKEN : undefined)); // nothing else ever answers
  try {
    const client = createIamportClient({ impKey: 'k', impSecret: SECRET, baseUrl: api.url, timeoutMs: 300 });
    const err = await rejection(client.chargeBillingKey({ customer_uid: 'c1', merchant_uid: 'order_lost', amount: 9900, name: '월 구독' }));
    assert.equal(err.code, 'TIMEOUT');
    assert.equal(err.outcome_unknown, true);
    assert.match(err.message, /whether merchant_uid order_lost was charged is unknown/);
    assert.match(err.message, /findPayment/);
    assert.doesNotMatch(err.message, /find_payment/);
    assert.deepEqual(api.requests.filter((r) => !r.startsWith('POST /users')), ['POST /subscribe/payments/again', 'GET /payments/find/order_lost']);
    // Any other error has no such field.
    const network = await rejection(client.getPayment('imps_000000000001'));
    assert.equal(network.outcome_unknown, undefined);
    assert.equal('outcome_unknown' in network, false);
  } finally {
    await api.close();
  }
});

test('the browser entry imports nothing of the server entry', () => {
  const root = path.join(HERE, 'node_modules', 'iamport-billing');
  for (const file of ['index.js', 'core.js']) {
    assert.doesNotMatch(readFileSync(path.join(root, file), 'utf8'), /server\//, `${file} names no server/ file`);
  }
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  assert.deepEqual(pkg.exports['./server'], {
    types: './server/index.d.ts',
    'edge-light': './server/edge-light.js',
    workerd: './server/workerd.js',
    worker: './server/workerd.js',
    webpack: './server/inline.js',
    default: './server/node.js',
  });
});

// The same module in Bun and Deno (both from npm, in this app's package-lock.json): smoke.mjs does a
// call against the sandbox and prints what came back.
for (const [runtime, args] of [['bun', ['smoke.mjs']], ['deno', ['run', '--allow-net', '--allow-env', '--allow-read=node_modules/iamport-billing/server/bindings_bg.wasm', 'smoke.mjs']]]) {
  test(`${runtime}: the same module confirms a key against the sandbox and refuses a bad param`, async () => {
    const customer_uid = `${runtime}-customer`;
    const issued = await issueKey(sandbox, { customer_uid, merchant_uid: `${runtime}_issue_1` });
    const { stdout } = await run(path.join(HERE, 'node_modules', '.bin', runtime), args, {
      cwd: HERE,
      env: { ...process.env, SANDBOX_URL: sandbox.url, IMP_UID: issued.imp_uid, CUSTOMER_UID: customer_uid, NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1' },
      timeout: 60_000,
    });
    const out = JSON.parse(stdout.trim().split('\n').pop());
    assert.deepEqual(out, {
      runtime,
      confirmed: { imp_uid: issued.imp_uid, status: 'paid', customer_uid_usage: 'issue' },
      refused: { instanceOfIamportError: true, code: 'INVALID_PARAM', field: 'nmae' },
    });
  });
}
