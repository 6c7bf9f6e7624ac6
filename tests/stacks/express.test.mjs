// Express 5 with iamport-billing/server (tests/stacks/express/server.mjs, installed from the packed
// tarball by tests/run-stacks.sh) against the sandbox, as docs/server.md tells a merchant to do it: the
// sandbox window issues a key, the app confirms it for the session's customer and charges the first
// month under a merchant_uid taken from the issuance (posted twice, also at once: charged once); the
// month's `paid` webhook schedules the next one from iamport's clock.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO, STACKS, freePort } from './lib.mjs';
import {
  startSandbox, issueKey, eventually, rest as restCall, chargesOf, IMP_KEY, IMP_SECRET, DAY,
} from '../e2e/sandbox-server.mjs';

const APP = path.join(STACKS, 'express');
const PRICE = 9900;

let sandbox;
let app; // { url, child, output }

async function startApp(port, env) {
  const child = spawn(process.execPath, ['server.mjs'], {
    cwd: APP,
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  process.once('exit', () => child.kill('SIGKILL'));
  const output = [];
  child.stdout.on('data', (d) => output.push(String(d)));
  child.stderr.on('data', (d) => output.push(String(d)));
  await eventually(() => child.exitCode !== null || output.join('').includes('listening on'), 'express listening', 30_000);
  assert.equal(child.exitCode, null, `the app exited:\n${output.join('')}`);
  return { url: `http://127.0.0.1:${port}`, child, output };
}

/** A request to the app as the customer `customer_uid` is logged in (the app's session cookie). */
async function asCustomer(customer_uid, method, urlPath, body) {
  const headers = { Cookie: `session=${encodeURIComponent(customer_uid)}` };
  if (body) headers['Content-Type'] = 'application/json';
  const res = await fetch(`${app.url}${urlPath}`, { method, headers, body: body ? JSON.stringify(body) : undefined });
  return { status: res.status, body: await res.json() };
}

const subscription = async (customer_uid) => (await asCustomer(customer_uid, 'GET', `/api/subscriptions/${customer_uid}`)).body;

const rest = (method, urlPath, body) => restCall(sandbox, method, urlPath, body);
const charges = (customer_uid) => chargesOf(sandbox, customer_uid);

before(async () => {
  const port = await freePort();
  sandbox = await startSandbox({ webhookUrl: `http://127.0.0.1:${port}/iamport/webhook` });
  app = await startApp(port, { IAMPORT_BASE_URL: sandbox.url, IAMPORT_KEY: IMP_KEY, IAMPORT_SECRET: IMP_SECRET });
});

after(async () => {
  if (app && app.child.exitCode === null) {
    const exited = new Promise((resolve) => app.child.once('exit', resolve));
    app.child.kill('SIGTERM');
    await exited;
  }
  await sandbox?.stop();
});

test('Express 5: confirm, charge month 1; its paid webhook schedules month 2 from paid_at, which renews the same way', async () => {
  const customer_uid = 'express-customer-1';
  const issued = await issueKey(sandbox, { customer_uid, merchant_uid: 'express_issue_1' });

  const subscribed = await asCustomer(customer_uid, 'POST', '/api/subscribe', { imp_uid: issued.imp_uid });
  assert.equal(subscribed.status, 200, JSON.stringify(subscribed.body));
  assert.equal(subscribed.body.status, 'subscribed');
  assert.equal(subscribed.body.merchant_uid, `${issued.imp_uid}_m1`, 'month 1\'s merchant_uid comes from the issuance');
  const month2 = await rest('GET', `/subscribe/payments/schedule/${issued.imp_uid}_m2`);
  assert.equal(month2.body.response?.schedule_status, 'scheduled', JSON.stringify(month2.body));
  assert.equal(month2.body.response.schedule_at, subscribed.body.paid_at + 30 * DAY, 'due 30 days after month 1 was paid, on iamport\'s clock');

  await sandbox.control('POST', '/__sandbox/clock/advance', { seconds: 30 * DAY });
  const renewed = await eventually(async () => (await subscription(customer_uid)).months[2]?.status === 'paid' && subscription(customer_uid), 'month 2 paid, by its webhook');
  assert.equal(renewed.status, 'active', 'the issuance\'s own `cancelled` webhook (Danal\'s 10 KRW check) did not end it');
  const month3 = await eventually(async () => (await rest('GET', `/subscribe/payments/schedule/${issued.imp_uid}_m3`)).body.response, 'month 3 scheduled by month 2\'s webhook');
  const paid2 = (await rest('GET', `/payments/${renewed.months[2].paid}`)).body.response;
  assert.equal(month3.schedule_at, paid2.paid_at + 30 * DAY);
  assert.deepEqual((await charges(customer_uid)).map((p) => [p.merchant_uid, p.status, p.amount]).sort(), [
    [`${issued.imp_uid}_m1`, 'paid', PRICE], [`${issued.imp_uid}_m2`, 'paid', PRICE],
  ]);
  assert.doesNotMatch(app.output.join(''), new RegExp(IMP_SECRET), 'the secret is never logged');
});

test('Express 5: the same post twice, one after the other, charges once and schedules once', async () => {
  const customer_uid = 'express-replay-1';
  const issued = await issueKey(sandbox, { customer_uid, merchant_uid: 'express_issue_2' });
  const first = await asCustomer(customer_uid, 'POST', '/api/subscribe', { imp_uid: issued.imp_uid });
  assert.equal(first.status, 200, JSON.stringify(first.body));
  const again = await asCustomer(customer_uid, 'POST', '/api/subscribe', { imp_uid: issued.imp_uid });
  assert.equal(again.status, 409, JSON.stringify(again.body));
  assert.equal(again.body.code, 'ALREADY_SUBSCRIBED');
  assert.equal((await charges(customer_uid)).length, 1, 'one charge');
  const scheduled = await rest('GET', `/subscribe/payments/schedule/customers/${customer_uid}?from=${first.body.paid_at}&to=${first.body.paid_at + 60 * DAY}`);
  assert.deepEqual(scheduled.body.response.list.map((s) => s.merchant_uid), [`${issued.imp_uid}_m2`], 'one schedule');
});

test('Express 5: the same post twice at once: iamport charges the issuance\'s merchant_uid once and refuses the other', async () => {
  const customer_uid = 'express-replay-2';
  const issued = await issueKey(sandbox, { customer_uid, merchant_uid: 'express_issue_3' });
  const posts = await Promise.all([1, 2, 3].map(() => asCustomer(customer_uid, 'POST', '/api/subscribe', { imp_uid: issued.imp_uid })));
  assert.deepEqual(posts.map((p) => p.status).sort(), [200, 409, 409], JSON.stringify(posts));
  const paid = (await charges(customer_uid)).filter((p) => p.status === 'paid');
  assert.deepEqual(paid.map((p) => p.merchant_uid), [`${issued.imp_uid}_m1`], 'one charge');
  const { paid_at } = posts.find((p) => p.status === 200).body;
  const scheduled = await rest('GET', `/subscribe/payments/schedule/customers/${customer_uid}?from=${paid_at}&to=${paid_at + 60 * DAY}`);
  assert.deepEqual(scheduled.body.response.list.map((s) => s.merchant_uid), [`${issued.imp_uid}_m2`], 'one schedule');
});

test('Express 5: a key that was never issued, or issued to another customer, is refused and nothing is charged', async () => {
  const res = await asCustomer('nobody', 'POST', '/api/subscribe', { imp_uid: 'imps_000000000000' });
  assert.equal(res.status, 404, JSON.stringify(res.body));
  assert.equal(res.body.code, 'NOT_FOUND');

  const issued = await issueKey(sandbox, { customer_uid: 'express-victim', merchant_uid: 'express_issue_4' });
  const stolen = await asCustomer('express-thief', 'POST', '/api/subscribe', { imp_uid: issued.imp_uid });
  assert.equal(stolen.status, 400, JSON.stringify(stolen.body));
  assert.deepEqual([stolen.body.code, stolen.body.field], ['MISMATCH', 'customer_uid']);
  assert.deepEqual(await charges('express-victim'), []);

  const anonymous = await fetch(`${app.url}/api/subscribe`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ imp_uid: issued.imp_uid }) });
  assert.equal(anonymous.status, 401);
});

test('Express 5: a param the client refuses never reaches iamport', async () => {
  const res = await asCustomer('bad/uid', 'POST', '/api/subscribe', { imp_uid: 'imps_000000000000' });
  assert.equal(res.status, 400, JSON.stringify(res.body));
  assert.equal(res.body.code, 'INVALID_PARAM');
  assert.equal(res.body.field, 'customer_uid');
});

test('docs/server.md\'s "Renewals and failed charges" shows this app\'s recipe, as it is', () => {
  const app = readFileSync(path.join(APP, 'server.mjs'), 'utf8');
  const recipe = /\/\/ ---- renewals[^\n]*\n([\s\S]*?)\/\/ ---- end of the recipe/.exec(app)?.[1];
  assert.ok(recipe, 'server.mjs marks its recipe');
  const docs = readFileSync(path.join(REPO, 'docs', 'server.md'), 'utf8');
  const section = docs.slice(docs.indexOf('## Renewals and failed charges'));
  assert.equal(/```js\n([\s\S]*?)```/.exec(section)?.[1], recipe);
});

// ---- a year on the sandbox clock ------------------------------------------------------------------

/** The schedules of `customer_uid` still to run, on iamport's (the sandbox's) clock. */
async function pending(customer_uid) {
  const { now } = await sandbox.control('GET', '/__sandbox/clock');
  const { body } = await rest('GET', `/subscribe/payments/schedule/customers/${customer_uid}?from=${now}&to=${now + 89 * DAY}&schedule-status=scheduled`);
  assert.equal(body.code, 0, JSON.stringify(body));
  return body.response.list;
}

/** Waits until the app has acted on what ran: each subscription has a schedule to come, or has ended. */
async function settled(customers) {
  return eventually(async () => {
    for (const customer_uid of customers) {
      const sub = await subscription(customer_uid);
      if (sub.status === 'active' && (await pending(customer_uid)).length === 0) return false;
    }
    return true;
  }, 'the app scheduled what comes next', 20_000);
}

/** Advances the sandbox clock to `at` (runs what is due by then). */
async function advanceTo(at) {
  const { now } = await sandbox.control('GET', '/__sandbox/clock');
  if (at > now) await sandbox.control('POST', '/__sandbox/clock/advance', { seconds: at - now });
}

test('Express 5: a year on the sandbox clock, every webhook twice and out of order: a good card renews twelve times; a declining one is tried again, paid now, rescheduled, and ends', async () => {
  const good = 'express-year-good';
  const declining = 'express-year-declining';
  // A sandbox of its own: the other tests' schedules would take the next-outcome meant for this card.
  await sandbox.control('POST', '/__sandbox/reset');
  await sandbox.control('POST', '/__sandbox/webhooks', { copies: 2, out_of_order: true });
  try {
    const g = await issueKey(sandbox, { customer_uid: good, merchant_uid: 'express_year_issue_1' });
    const started = await asCustomer(good, 'POST', '/api/subscribe', { imp_uid: g.imp_uid });
    assert.equal(started.status, 200, JSON.stringify(started.body));
    await advanceTo(started.body.paid_at + 10 * DAY); // the declining card starts ten days later: their charges never meet
    const d = await issueKey(sandbox, { customer_uid: declining, merchant_uid: 'express_year_issue_2' });
    const startedD = await asCustomer(declining, 'POST', '/api/subscribe', { imp_uid: d.imp_uid });
    assert.equal(startedD.status, 200, JSON.stringify(startedD.body));
    await settled([good, declining]);

    const end = started.body.paid_at + 365 * DAY;
    let paidNow = false;
    for (let step = 0; step < 40; step += 1) {
      const next = [...await pending(good), ...await pending(declining)].sort((a, b) => a.schedule_at - b.schedule_at)[0];
      if (!next || next.schedule_at > end) break;
      // The declining card: every charge of it declines (the sandbox's next-outcome: the next charge only).
      if (next.customer_uid === declining) await sandbox.control('POST', '/__sandbox/next-outcome', { outcome: 'decline', fail_reason: '한도초과' });
      await advanceTo(next.schedule_at);
      await settled([good, declining]);
      const sub = await subscription(declining);
      if (sub.status === 'ended') {
        // Out of order, a lone webhook waits up to 2 s for the next one: the rest of the year in order.
        await sandbox.control('POST', '/__sandbox/webhooks', { out_of_order: false });
      }
      if (!paidNow && sub.status === 'active' && Object.values(sub.months).some((m) => m.status === 'rescheduled')) {
        // The customer "registers a new card" and pays the failed month now: declined again.
        paidNow = true;
        await sandbox.control('POST', '/__sandbox/next-outcome', { outcome: 'decline', fail_reason: '한도초과' });
        const now = await asCustomer(declining, 'POST', '/api/subscription/pay-now');
        assert.deepEqual(now, { status: 402, body: { status: 'failed', fail_reason: '한도초과' } });
      }
    }

    // The good card: month 1 and twelve renewals, each month paid once, the next one scheduled.
    const goodCharges = await charges(good);
    const months = goodCharges.filter((p) => p.status === 'paid').map((p) => p.merchant_uid).sort((a, b) => Number(a.split('_m')[1]) - Number(b.split('_m')[1]));
    assert.deepEqual(months, Array.from({ length: 13 }, (_, i) => `${g.imp_uid}_m${i + 1}`), 'months 1 to 13 paid, each once');
    assert.equal(goodCharges.length, 13, 'no other charge');
    assert.deepEqual((await pending(good)).map((s) => s.merchant_uid), [`${g.imp_uid}_m14`]);
    const goodSub = await subscription(good);
    assert.equal(goodSub.status, 'active', 'the issuance\'s `cancelled` (Danal\'s 10 KRW check) ended nothing');
    assert.deepEqual(goodSub.notices, []);

    // The declining card: month 1 paid; month 2 declined three times (the schedule, the customer's
    // pay-now, the rescheduled attempt); then the key is deleted and the customer told.
    const declined = await charges(declining);
    assert.deepEqual(declined.map((p) => [p.merchant_uid, p.status]).sort(), [
      [`${d.imp_uid}_m1`, 'paid'], [`${d.imp_uid}_m2`, 'failed'], [`${d.imp_uid}_m2`, 'failed'], [`${d.imp_uid}_m2`, 'failed'],
    ]);
    assert.ok(paidNow, 'the customer paid now once (retrySchedule)');
    const ended = await subscription(declining);
    assert.equal(ended.status, 'ended');
    assert.deepEqual(ended.notices, ['Your subscription has ended: month 2 was declined 3 times (한도초과). Register a card again to resubscribe.']);
    assert.equal((await rest('GET', `/subscribe/customers/${declining}`)).status, 404, 'the key is deleted');
    assert.deepEqual(await pending(declining), []);
    const m2 = (await rest('GET', `/subscribe/payments/schedule/${d.imp_uid}_m2`)).body.response;
    assert.equal(m2.payment_status, 'failed');
  } finally {
    await sandbox.control('POST', '/__sandbox/webhooks', { copies: 1, out_of_order: false });
  }
});
