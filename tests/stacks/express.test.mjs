// Express 5 with iamport-billing/server (tests/stacks/express/server.mjs, installed from the packed
// tarball by tests/run-stacks.sh) against the sandbox: the sandbox window issues a key, the app
// confirms it, charges it and schedules a month ahead; the sandbox clock advances a month; the
// scheduled charge's webhook reaches the app, which verifies it with iamport's record.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { STACKS, freePort } from './lib.mjs';
import { startSandbox, issueKey, eventually, IMP_KEY, IMP_SECRET, DAY } from '../e2e/sandbox-server.mjs';

const APP = path.join(STACKS, 'express');

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

async function json(method, url, body) {
  const res = await fetch(url, {
    method,
    headers: body ? { 'Content-Type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: await res.json() };
}

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

test('Express 5: confirm, charge, schedule a month ahead; the scheduled charge\'s webhook is verified', async () => {
  const customer_uid = 'express-customer-1';
  const issued = await issueKey(sandbox, { customer_uid, merchant_uid: 'express_issue_1' });

  const subscribed = await json('POST', `${app.url}/api/subscribe`, { imp_uid: issued.imp_uid, merchant_uid: issued.merchant_uid, customer_uid });
  assert.equal(subscribed.status, 200, JSON.stringify(subscribed.body));
  assert.equal(subscribed.body.status, 'subscribed');
  assert.match(subscribed.body.charged, /^imps_\d{12}$/);
  const { now } = await sandbox.control('GET', '/__sandbox/clock');
  assert.ok(Math.abs(subscribed.body.schedule_at - (now + 30 * DAY)) < 120, `scheduled a month ahead: ${subscribed.body.schedule_at} vs ${now}`);

  const before = (await json('GET', `${app.url}/api/subscriptions/${customer_uid}`)).body;
  assert.equal(before.scheduled.schedule_status, 'scheduled');
  assert.equal(before.charged.status, 'paid');
  assert.equal(before.charged.amount, 9900);
  assert.ok(!before.webhooks.some((w) => w.merchant_uid === subscribed.body.scheduled), 'no webhook for the schedule before it runs');

  await sandbox.control('POST', '/__sandbox/clock/advance', { seconds: 31 * DAY });

  const verified = await eventually(async () => {
    const { body } = await json('GET', `${app.url}/api/subscriptions/${customer_uid}`);
    return body.webhooks.find((w) => w.merchant_uid === subscribed.body.scheduled);
  }, 'the scheduled charge\'s webhook, verified by the app');
  assert.deepEqual({ ...verified, imp_uid: typeof verified.imp_uid }, {
    imp_uid: 'string', merchant_uid: subscribed.body.scheduled, status: 'paid', amount: 9900,
  });
  assert.match(verified.imp_uid, /^imps_\d{12}$/);
  assert.doesNotMatch(app.output.join(''), new RegExp(IMP_SECRET), 'the secret is never logged');
});

test('Express 5: a key that was never issued is refused with the client\'s error code', async () => {
  const res = await json('POST', `${app.url}/api/subscribe`, { imp_uid: 'imps_000000000000', merchant_uid: 'x', customer_uid: 'nobody' });
  assert.equal(res.status, 404, JSON.stringify(res.body));
  assert.equal(res.body.code, 'NOT_FOUND');
});

test('Express 5: a param the client refuses never reaches iamport', async () => {
  const res = await json('POST', `${app.url}/api/subscribe`, { imp_uid: 'imps_000000000000', customer_uid: 'bad/uid' });
  assert.equal(res.status, 400, JSON.stringify(res.body));
  assert.equal(res.body.code, 'INVALID_PARAM');
  assert.equal(res.body.field, 'customer_uid');
});
