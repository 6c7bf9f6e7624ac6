// Next.js 16 with both entries (tests/stacks/next, the build next.test.mjs checks): on /subscribe a
// client component issues the key in the sandbox window (its POST /__sandbox/window/pay reaches the
// sandbox server through the app's proxy.ts), the route handler app/api/subscribe confirms it with
// iamport-billing/server, charges it and schedules a month ahead; the sandbox clock advances a month;
// the scheduled charge's webhook reaches app/api/iamport/webhook, which verifies it; Chromium sees
// the page show the verified charge.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO, STACKS, OUT, launch, openPage, assertNoProblems, shot, freePort } from './lib.mjs';
import { startSandbox, eventually, IMP_KEY, IMP_SECRET, DAY } from '../e2e/sandbox-server.mjs';

const APP = path.join(STACKS, 'next');

let sandbox;
let next; // { url, child, output }
let browser;

async function startNext(port, env) {
  const child = spawn(process.execPath, [path.join(APP, 'node_modules/next/dist/bin/next'), 'start', '-H', '127.0.0.1', '-p', String(port)], {
    cwd: APP,
    env: { ...process.env, ...env, NEXT_TELEMETRY_DISABLED: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group, ended as a whole in after()
  });
  process.once('exit', () => { try { process.kill(-child.pid, 'SIGKILL'); } catch { /* already gone */ } });
  const output = [];
  child.stdout.on('data', (d) => output.push(String(d)));
  child.stderr.on('data', (d) => output.push(String(d)));
  const url = `http://127.0.0.1:${port}`;
  await eventually(async () => {
    if (child.exitCode !== null) throw new Error(`next start exited with ${child.exitCode}:\n${output.join('')}`);
    try {
      return (await fetch(`${url}/subscribe`)).ok;
    } catch {
      return false; // not listening yet
    }
  }, 'next start answering', 30_000);
  return { url, child, output };
}

before(async () => {
  assert.ok(existsSync(path.join(APP, '.next', 'BUILD_ID')), `tests/stacks/next has no build: see ${path.join(OUT, 'next-build.log')} (run tests/run-stacks.sh)`);
  const port = await freePort();
  sandbox = await startSandbox({ webhookUrl: `http://127.0.0.1:${port}/api/iamport/webhook` });
  next = await startNext(port, { SANDBOX_URL: sandbox.url, IAMPORT_BASE_URL: sandbox.url, IAMPORT_KEY: IMP_KEY, IAMPORT_SECRET: IMP_SECRET });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  if (next && next.child.exitCode === null && next.child.signalCode === null) {
    const exited = new Promise((resolve) => next.child.once('exit', resolve));
    process.kill(-next.child.pid, 'SIGTERM');
    await exited;
  }
  await sandbox?.stop();
});

test('Next.js: the window issues the key, a route handler confirms, charges and schedules; the scheduled charge\'s webhook is verified', async () => {
  const { context, page } = await openPage(browser);
  try {
    await page.goto(`${next.url}/subscribe`);
    await page.getByTestId('subscribe').and(page.locator(':enabled')).waitFor();
    const customer_uid = 'next-customer-1';
    await page.getByTestId('customer_uid').fill(customer_uid);
    await page.getByTestId('subscribe').click();
    await page.getByTestId('sandbox-window').waitFor();
    await page.getByTestId('sandbox-approve').click();

    const status = page.getByTestId('subscription');
    await page.locator('[data-testid="subscription"]:is([data-state="scheduled"], [data-state="error"])').waitFor();
    const detail = () => page.getByTestId('subscription-detail').textContent().then((t) => JSON.parse(t));
    assert.equal(await status.getAttribute('data-state'), 'scheduled', JSON.stringify(await detail()));
    const scheduled = await detail();
    assert.match(scheduled.charged, /^imps_\d{12}$/);
    assert.match(scheduled.scheduled, /^month_[0-9a-f]+$/);
    const { now } = await sandbox.control('GET', '/__sandbox/clock');
    assert.ok(Math.abs(scheduled.schedule_at - (now + 30 * DAY)) < 120, `a month ahead: ${scheduled.schedule_at} vs ${now}`);
    await shot(page, 'next-server-scheduled');

    // The key and the first charge exist where iamport (the sandbox) keeps them.
    const token = (await sandbox.control('POST', '/users/getToken', { imp_key: IMP_KEY, imp_secret: IMP_SECRET })).access_token;
    const charged = await fetch(`${sandbox.url}/payments/${scheduled.charged}`, { headers: { Authorization: `Bearer ${token}` } }).then((r) => r.json());
    assert.deepEqual([charged.response.status, charged.response.amount, charged.response.customer_uid], ['paid', 9900, customer_uid]);

    await sandbox.control('POST', '/__sandbox/clock/advance', { seconds: 31 * DAY });
    await page.locator('[data-testid="subscription"][data-state="verified"]').waitFor({ timeout: 20_000 });
    const verified = await detail();
    assert.equal(verified.merchant_uid, scheduled.scheduled);
    assert.equal(verified.status, 'paid');
    assert.equal(verified.amount, 9900);
    assert.match(verified.imp_uid, /^imps_\d{12}$/);
    assert.match(await status.textContent(), /verified with iamport/);
    await shot(page, 'next-server-verified');
    assertNoProblems(page);
    assert.doesNotMatch(next.output.join(''), new RegExp(IMP_SECRET), 'the secret is never logged');
  } finally {
    await context.close();
  }
});

test('Next.js route handler: a key that was never issued is refused with the client\'s code, nothing charged', async () => {
  const res = await fetch(`${next.url}/api/subscribe`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ imp_uid: 'imps_000000000000', customer_uid: 'nobody' }),
  });
  const body = await res.json();
  assert.equal(res.status, 400, JSON.stringify(body));
  assert.equal(body.code, 'NOT_FOUND');
  const bad = await fetch(`${next.url}/api/subscribe`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ imp_uid: 'imps_000000000000', customer_uid: 'bad/uid' }),
  });
  assert.equal(bad.status, 400);
  assert.deepEqual(Object.keys(await bad.json()).sort(), ['code', 'field', 'message']);
});

test('the READMEs\' "The full flow" show this app\'s route handler, as it is', () => {
  const route = readFileSync(path.join(APP, 'app/api/subscribe/route.ts'), 'utf8').replace(/^(\/\/.*\n)+/, '');
  assert.ok(route.trimEnd().split('\n').length <= 30, 'at most 30 lines');
  for (const [file, heading] of [['README.md', '## The full flow'], ['README.ko.md', '## 전체 흐름']]) {
    const readme = readFileSync(path.join(REPO, file), 'utf8');
    assert.ok(readme.includes(heading), `${file} has ${heading}`);
    const shown = /```ts\n([\s\S]*?)```/.exec(readme.slice(readme.indexOf(heading)))?.[1];
    assert.equal(shown, route, file);
  }
});
