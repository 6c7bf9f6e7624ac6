// Express 5 with iamport-billing/server (tests/stacks/express/server.mjs, installed from the packed
// tarball by tests/run-stacks.sh) against the sandbox, as docs/server.md tells a merchant to do it: the
// sandbox window issues a key, the app confirms it for the session's customer and charges the first
// month under a merchant_uid taken from the issuance (posted twice, also at once: charged once); the
// month's `paid` webhook schedules the next one from iamport's clock.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { STACKS, freePort } from './lib.mjs';
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
