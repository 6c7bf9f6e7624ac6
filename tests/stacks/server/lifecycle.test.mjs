// A subscription's later life with iamport-billing/server in Node, installed from the packed tarball,
// against the sandbox server: the lists as async iterables (several pages, a year of schedules in
// windows), retry, reschedule, move, several keys at once, checkSetup, and `npx iamport-billing
// doctor` passing and failing without ever printing the secret.

import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createIamportClient, IamportError } from 'iamport-billing/server';
import { startSandbox, issueKey, IMP_KEY, IMP_SECRET, DAY } from '../../e2e/sandbox-server.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const DOCTOR = path.join(HERE, 'node_modules', '.bin', 'iamport-billing');
const MONTH = 30 * DAY;
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

beforeEach(async () => {
  await sandbox.control('POST', '/__sandbox/reset', {});
});

async function rejection(promise) {
  try {
    const value = await promise;
    assert.fail(`resolved: ${JSON.stringify(value)}`);
  } catch (err) {
    if (err instanceof assert.AssertionError) throw err;
    assert.ok(err instanceof IamportError, `an IamportError: ${err}`);
    return err;
  }
}

/** Every item of an async iterable. */
async function all(iterable) {
  const items = [];
  for await (const item of iterable) items.push(item);
  return items;
}

/** Counts the requests the client makes (the wasm side calls the global fetch) while `body` runs. */
async function counting(body) {
  const original = globalThis.fetch;
  const urls = [];
  globalThis.fetch = (input, init) => {
    urls.push(typeof input === 'string' ? input : input.url);
    return original(input, init);
  };
  try {
    return { value: await body(), urls };
  } finally {
    globalThis.fetch = original;
  }
}

async function iamportNow() {
  return (await sandbox.control('GET', '/__sandbox/clock')).now;
}

test('listSchedules: a year of schedules, newest first, page by page and window by window', async () => {
  const customer_uid = 'node-list-1';
  await issueKey(sandbox, { customer_uid, merchant_uid: 'node_list_issue' });
  await sandbox.control('POST', '/__sandbox/page-size', { size: 2 });
  const now = await iamportNow();
  const schedules = Array.from({ length: 12 }, (_, i) => ({ merchant_uid: `node_month_${i + 1}`, schedule_at: now + (i + 1) * MONTH, amount: 9900, name: '월 구독' }));
  await iamport.scheduleCharges({ customer_uid, schedules });
  await iamport.unscheduleCharges({ customer_uid, merchant_uid: 'node_month_5' });

  const { value: listed, urls } = await counting(() => all(iamport.listSchedules({ customer_uid, from: now, to: new Date((now + 13 * MONTH) * 1000) })));
  assert.deepEqual(listed.map((s) => s.merchant_uid), schedules.map((s) => s.merchant_uid).reverse());
  const pages = urls.filter((u) => u.includes('/subscribe/payments/schedule/customers/'));
  assert.ok(pages.length > 5, `more than one page in some window: ${pages.length} requests`);
  for (const u of pages) {
    const q = new URL(u).searchParams;
    assert.ok(Number(q.get('to')) - Number(q.get('from')) <= 90 * DAY, `a window of at most 90 days: ${u}`);
  }

  const revoked = await all(iamport.listSchedules({ customer_uid, from: now, to: now + 13 * MONTH, status: 'revoked' }));
  assert.deepEqual(revoked.map((s) => [s.merchant_uid, s.schedule_status]), [['node_month_5', 'revoked']]);
  const edges = await all(iamport.listSchedules({ customer_uid, from: now + MONTH, to: now + 3 * MONTH }));
  assert.deepEqual(edges.map((s) => s.merchant_uid), ['node_month_3', 'node_month_2', 'node_month_1']);

  // Lazy: breaking out after the first schedule has asked for one page.
  const { urls: one } = await counting(async () => {
    for await (const s of iamport.listSchedules({ customer_uid, from: now, to: now + 13 * MONTH })) {
      assert.equal(s.merchant_uid, 'node_month_12');
      break;
    }
  });
  assert.equal(one.filter((u) => u.includes('/schedule/customers/')).length, 1);

  // Invalid params reject the first step; nothing is sent.
  const { value: err, urls: none } = await counting(() => rejection(all(iamport.listSchedules({ customer_uid, from: now + DAY, to: now }))));
  assert.equal(err.code, 'INVALID_PARAM');
  assert.equal(err.field, 'to');
  const ms = await rejection(all(iamport.listSchedules({ customer_uid, from: Date.now(), to: Date.now() })));
  assert.equal(ms.field, 'from');
  const typo = await rejection(all(iamport.listSchedules({ customer_uid, from: now, to: now + DAY, stauts: 'revoked' })));
  assert.match(typo.message, /did you mean status/);
  assert.deepEqual(none, []);
});

test('listPayments: every payment of a key, newest first, over several pages', async () => {
  const customer_uid = 'node-pay-1';
  const issued = await issueKey(sandbox, { customer_uid, merchant_uid: 'node_pay_issue' });
  await sandbox.control('POST', '/__sandbox/page-size', { size: 2 });
  for (let n = 1; n <= 4; n++) {
    await sandbox.control('POST', '/__sandbox/clock/advance', { seconds: 60 });
    await iamport.chargeBillingKey({ customer_uid, merchant_uid: `node_pay_${n}`, amount: 1000 * n, name: '월 구독' });
  }
  const { value: payments, urls } = await counting(() => all(iamport.listPayments({ customer_uid })));
  assert.deepEqual(payments.map((p) => p.merchant_uid), ['node_pay_4', 'node_pay_3', 'node_pay_2', 'node_pay_1', 'node_pay_issue']);
  assert.equal(payments.at(-1).imp_uid, issued.imp_uid);
  assert.equal(payments[0].amount, 4000);
  assert.equal(urls.filter((u) => u.includes('/payments?page=')).length, 3, 'three pages of two');
  // The same list can be read again from the start.
  const list = iamport.listPayments({ customer_uid });
  assert.equal((await all(list)).length, 5);
  assert.equal((await all(list)).length, 5);
  assert.equal((await rejection(all(iamport.listPayments({ customer_uid: 'a/b' })))).field, 'customer_uid');
  assert.equal((await rejection(all(iamport.listPayments({ customer_uid: 'nobody' })))).code, 'NOT_FOUND');
});

test('retrySchedule, reschedule, updateSchedule: a failed month charged again or moved, a pending one moved', async () => {
  const customer_uid = 'node-retry-1';
  await issueKey(sandbox, { customer_uid, merchant_uid: 'node_retry_issue' });
  const now = await iamportNow();
  await iamport.scheduleCharges({
    customer_uid,
    schedules: [
      { merchant_uid: 'node_run_1', schedule_at: now + DAY, amount: 9900, name: '월 구독' },
      { merchant_uid: 'node_run_2', schedule_at: now + DAY + 60, amount: 9900, name: '월 구독' },
      { merchant_uid: 'node_run_3', schedule_at: now + 5 * DAY, amount: 9900, name: '월 구독' },
    ],
  });
  const moved = await iamport.updateSchedule({ merchant_uid: 'node_run_3', schedule_at: new Date((now + 10 * DAY) * 1000) });
  assert.equal(moved.schedule_at, now + 10 * DAY);
  assert.equal(moved.schedule_status, 'scheduled');
  const past = await rejection(iamport.updateSchedule({ merchant_uid: 'node_run_3', schedule_at: now - 60 }));
  assert.equal(past.field, 'schedule_at');

  for (const reason of ['한도초과', '잔액부족']) {
    await sandbox.control('POST', '/__sandbox/next-outcome', { outcome: 'decline', fail_reason: reason });
    await sandbox.control('POST', '/__sandbox/clock/advance', { seconds: reason === '한도초과' ? DAY + 30 : 60 });
  }
  assert.equal((await iamport.getSchedule('node_run_1')).payment_status, 'failed');

  const retried = await iamport.retrySchedule('node_run_1');
  assert.equal(retried.status, 'paid');
  assert.equal(retried.payment.merchant_uid, 'node_run_1');
  assert.equal((await rejection(iamport.retrySchedule('node_run_1'))).code, 'API_ERROR');
  await sandbox.control('POST', '/__sandbox/next-outcome', { outcome: 'decline', fail_reason: '정지된 카드' });
  const declined = await iamport.retrySchedule('node_run_2');
  assert.equal(declined.status, 'failed');
  assert.equal(declined.fail_reason, '정지된 카드');

  const later = (await iamportNow()) + 3 * DAY;
  const back = await iamport.reschedule({ merchant_uid: 'node_run_2', schedule_at: later });
  assert.deepEqual([back.schedule_status, back.schedule_at, back.payment_status], ['scheduled', later, null]);
  assert.equal((await rejection(iamport.retrySchedule('nothing_here'))).code, 'NOT_FOUND');
  assert.equal((await rejection(iamport.retrySchedule(42))).field, 'merchant_uid');
});

test('getBillingKeys: several keys in the order asked, unknown ones left out', async () => {
  await issueKey(sandbox, { customer_uid: 'node-key-a', merchant_uid: 'node_key_issue_a' });
  await issueKey(sandbox, { customer_uid: 'node-key-b', merchant_uid: 'node_key_issue_b' });
  const keys = await iamport.getBillingKeys(['node-key-b', 'node-key-a', 'nobody']);
  assert.deepEqual(keys.map((k) => k.customer_uid), ['node-key-b', 'node-key-a']);
  assert.deepEqual(await iamport.getBillingKeys(['nobody']), []);
  assert.equal((await rejection(iamport.getBillingKeys([]))).field, 'customer_uid');
  assert.equal((await rejection(iamport.getBillingKeys(['a', 1]))).field, 'customer_uid[1]');
  assert.equal((await rejection(iamport.getBillingKeys('node-key-a'))).field, 'customer_uid');
});

test('checkSetup: the Danal channel and its channelKey; each problem with its code', async () => {
  const report = await iamport.checkSetup();
  assert.equal(report.ok, true);
  assert.deepEqual(report.problems, []);
  assert.equal(report.danal.length, 1);
  assert.equal(report.danal[0].type, 'payment');
  assert.equal(report.danal[0].sandbox, true);
  assert.equal(typeof report.danal[0].channel_key, 'string');
  const live = await iamport.checkSetup({ live: true });
  assert.equal(live.ok, false);
  assert.deepEqual(live.problems.map((p) => p.code), ['DANAL_TEST_ONLY']);
  await sandbox.control('POST', '/__sandbox/pg-settings', []);
  const none = await iamport.checkSetup();
  assert.deepEqual(none.problems.map((p) => p.code), ['NO_DANAL_CHANNEL']);
  assert.equal((await rejection(iamport.checkSetup({ live: 'yes' }))).field, 'live');
});

/** Runs the doctor with `env` (nothing else of this process's environment but PATH); its exit code and output. */
async function doctor(env, args = ['doctor']) {
  try {
    const { stdout, stderr } = await run(DOCTOR, args, { env: { PATH: process.env.PATH, ...env } });
    return { code: 0, out: stdout + stderr };
  } catch (err) {
    return { code: err.code, out: `${err.stdout}${err.stderr}` };
  }
}

test('npx iamport-billing doctor: passes against the sandbox, fails with a clear ✗, never prints the secret', async () => {
  const env = { IAMPORT_KEY: IMP_KEY, IAMPORT_SECRET: IMP_SECRET, IAMPORT_BASE_URL: sandbox.url };
  const { channel_key } = (await iamport.checkSetup()).danal[0];

  const good = await doctor(env);
  assert.equal(good.code, 0, good.out);
  assert.match(good.out, /✓ credentials accepted/);
  assert.match(good.out, /✓ a Danal credit-card channel for the window/);
  assert.match(good.out, /✓ test mode/);
  assert.ok(good.out.includes(`channelKey to use: ${channel_key}`), good.out);
  assert.doesNotMatch(good.out, /✗/);

  const live = await doctor(env, ['doctor', '--live']);
  assert.equal(live.code, 1, live.out);
  assert.match(live.out, /✗ test mode only/);

  await sandbox.control('POST', '/__sandbox/pg-settings', []);
  const none = await doctor(env);
  assert.equal(none.code, 1, none.out);
  assert.match(none.out, /✗ no Danal credit-card channel for the window/);
  assert.match(none.out, /PG설정\(인증방식결제\)/);

  const refused = await doctor({ ...env, IAMPORT_SECRET: 'wrong-secret-5e1d' });
  assert.equal(refused.code, 1, refused.out);
  assert.match(refused.out, /✗ credentials refused/);
  assert.match(refused.out, /내 식별코드・API Keys/);

  const missing = await doctor({ IAMPORT_BASE_URL: sandbox.url });
  assert.equal(missing.code, 1, missing.out);
  assert.match(missing.out, /✗ IAMPORT_KEY and IAMPORT_SECRET not set/);

  const args = await doctor(env, ['doctor', '--secret', IMP_SECRET]);
  assert.equal(args.code, 2, 'no secret on the command line');
  assert.match(args.out, /usage: npx iamport-billing doctor/);

  for (const { out } of [good, live, none, refused, missing, args]) {
    assert.ok(!out.includes(IMP_SECRET) && !out.includes('wrong-secret-5e1d'), out);
  }
});
