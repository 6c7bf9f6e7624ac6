// Next.js 16 with both entries (tests/stacks/next, the build next.test.mjs checks): on /subscribe the
// server decides the customer_uid (the app's stand-in session cookie) and hands it to a client component
// that issues the key in the sandbox window (its POST /__sandbox/window/pay reaches the sandbox server
// through the app's proxy.ts) and posts only the imp_uid; the route handler app/api/subscribe (the
// README's) confirms it, charges month 1 under a merchant_uid taken from the issuance; its `paid`
// webhook schedules month 2 30 days after paid_at; the sandbox clock advances; month 2's webhook
// reaches app/api/iamport/webhook, which verifies it; Chromium sees the page show it. Posting the same
// imp_uid again, also at once, is refused by iamport: one charge, one schedule.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO, STACKS, OUT, launch, openPage, assertNoProblems, shot, freePort } from './lib.mjs';
import {
  startSandbox, issueKey, eventually, rest as restCall, chargesOf, IMP_KEY, IMP_SECRET, DAY,
} from '../e2e/sandbox-server.mjs';

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

const rest = (method, urlPath, body) => restCall(sandbox, method, urlPath, body);

/** A post to the README's route handler as the customer `customer_uid` is logged in. */
async function subscribe(customer_uid, body) {
  const headers = { 'Content-Type': 'application/json' };
  if (customer_uid !== undefined) headers.Cookie = `session=${encodeURIComponent(customer_uid)}`;
  const res = await fetch(`${next.url}/api/subscribe`, { method: 'POST', headers, body: JSON.stringify(body) });
  return { status: res.status, body: await res.json() };
}

test('Next.js: the window issues the key for the session\'s customer, the route handler charges month 1; month 2, scheduled by its webhook, is verified', async () => {
  const customer_uid = 'next-customer-1';
  const { context, page } = await openPage(browser);
  try {
    await context.addCookies([{ name: 'session', value: customer_uid, url: next.url }]);
    await page.goto(`${next.url}/subscribe`);
    assert.equal(await page.getByTestId('customer_uid').textContent(), customer_uid, 'the server chose the customer_uid');
    await page.getByTestId('subscribe').and(page.locator(':enabled')).waitFor();
    await page.getByTestId('subscribe').click();
    await page.getByTestId('sandbox-window').waitFor();
    await page.getByTestId('sandbox-approve').click();

    const status = page.getByTestId('subscription');
    await page.locator('[data-testid="subscription"]:is([data-state="charged"], [data-state="error"])').waitFor();
    const detail = () => page.getByTestId('subscription-detail').textContent().then((t) => JSON.parse(t));
    assert.equal(await status.getAttribute('data-state'), 'charged', JSON.stringify(await detail()));
    const charged = await detail();
    assert.match(charged.charged, /^imps_\d{12}$/);
    const imp_uid = charged.merchant_uid.replace(/_m1$/, '');
    assert.match(imp_uid, /^imps_\d{12}$/, 'month 1\'s merchant_uid is the issuance\'s imp_uid and _m1');

    // The key and the first charge exist where iamport (the sandbox) keeps them; month 2 is scheduled
    // by month 1's `paid` webhook, 30 days after it was paid by iamport's clock.
    const first = (await rest('GET', `/payments/${charged.charged}`)).body.response;
    assert.deepEqual([first.status, first.amount, first.customer_uid], ['paid', 9900, customer_uid]);
    const month2 = await eventually(async () => (await rest('GET', `/subscribe/payments/schedule/${imp_uid}_m2`)).body.response, 'month 2 scheduled by the webhook');
    assert.equal(month2.schedule_at, charged.paid_at + 30 * DAY);
    await shot(page, 'next-server-charged');

    await sandbox.control('POST', '/__sandbox/clock/advance', { seconds: 30 * DAY });
    await page.locator('[data-testid="subscription"][data-state="verified"]').waitFor({ timeout: 20_000 });
    const verified = await detail();
    assert.deepEqual([verified.merchant_uid, verified.status, verified.amount], [`${imp_uid}_m2`, 'paid', 9900]);
    assert.match(verified.imp_uid, /^imps_\d{12}$/);
    assert.match(await status.textContent(), /verified with iamport/);
    await eventually(async () => (await rest('GET', `/subscribe/payments/schedule/${imp_uid}_m3`)).body.response, 'month 3 scheduled by month 2\'s webhook');
    await shot(page, 'next-server-verified');
    assertNoProblems(page);
    assert.doesNotMatch(next.output.join(''), new RegExp(IMP_SECRET), 'the secret is never logged');
  } finally {
    await context.close();
  }
});

test('Next.js route handler: the same imp_uid posted again, and three times at once, is charged once: iamport refuses the rest', async () => {
  for (const [customer_uid, posts] of [['next-replay-1', 'one after the other'], ['next-replay-2', 'at once']]) {
    const issued = await issueKey(sandbox, { customer_uid, merchant_uid: `${customer_uid.replaceAll('-', '_')}_issue` });
    const answers = posts === 'at once'
      ? await Promise.all([1, 2, 3].map(() => subscribe(customer_uid, { imp_uid: issued.imp_uid })))
      : [await subscribe(customer_uid, { imp_uid: issued.imp_uid }), await subscribe(customer_uid, { imp_uid: issued.imp_uid })];
    const ok = answers.filter((a) => a.status === 200);
    assert.equal(ok.length, 1, `${posts}: ${JSON.stringify(answers)}`);
    for (const refused of answers.filter((a) => a.status !== 200)) {
      assert.deepEqual([refused.status, refused.body.code], [409, 'API_ERROR'], JSON.stringify(refused.body));
    }
    const charges = await chargesOf(sandbox, customer_uid);
    assert.deepEqual(charges.map((p) => [p.merchant_uid, p.status]), [[`${issued.imp_uid}_m1`, 'paid']], `${posts}: one charge`);
    const { paid_at } = ok[0].body;
    const schedules = () => rest('GET', `/subscribe/payments/schedule/customers/${customer_uid}?from=${paid_at}&to=${paid_at + 60 * DAY}`);
    await eventually(async () => (await schedules()).body.response.total > 0, 'month 2 scheduled');
    await new Promise((r) => setTimeout(r, 500)); // the webhook's repeats, if any, would have scheduled by now
    assert.deepEqual((await schedules()).body.response.list.map((s) => s.merchant_uid), [`${issued.imp_uid}_m2`], `${posts}: one schedule`);
  }
});

test('Next.js route handler: no session, a key never issued, or issued to another customer: refused, nothing charged', async () => {
  assert.equal((await subscribe(undefined, { imp_uid: 'imps_000000000000' })).status, 401);
  const unknown = await subscribe('nobody', { imp_uid: 'imps_000000000000' });
  assert.deepEqual([unknown.status, unknown.body.code], [400, 'NOT_FOUND'], JSON.stringify(unknown.body));
  const issued = await issueKey(sandbox, { customer_uid: 'next-victim', merchant_uid: 'next_victim_issue' });
  const stolen = await subscribe('next-thief', { imp_uid: issued.imp_uid });
  assert.deepEqual([stolen.status, stolen.body.code, stolen.body.field], [400, 'MISMATCH', 'customer_uid'], JSON.stringify(stolen.body));
  assert.deepEqual(await chargesOf(sandbox, 'next-victim'), []);
  const bad = await subscribe('bad/uid', { imp_uid: 'imps_000000000000' });
  assert.equal(bad.status, 400);
  assert.deepEqual(Object.keys(bad.body).sort(), ['code', 'field', 'message']);
});

test('the READMEs\' "The full flow" show this app\'s route handler, as it is; their Next.js component posts what it reads', () => {
  const route = readFileSync(path.join(APP, 'app/api/subscribe/route.ts'), 'utf8').replace(/^(\/\/.*\n)+/, '');
  assert.ok(route.trimEnd().split('\n').length <= 30, 'at most 30 lines');
  for (const [file, heading] of [['README.md', '## The full flow'], ['README.ko.md', '## 전체 흐름']]) {
    const readme = readFileSync(path.join(REPO, file), 'utf8');
    assert.ok(readme.includes(heading), `${file} has ${heading}`);
    const shown = /```ts\n([\s\S]*?)```/.exec(readme.slice(readme.indexOf(heading)))?.[1];
    assert.equal(shown, route, file);
    // The component: the customer_uid comes from the server, only the imp_uid goes back, to this route.
    const component = /```tsx\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    assert.match(component, /fetch\('\/api\/subscribe', \{[^\n]*body: JSON\.stringify\(\{ imp_uid: r\.imp_uid \}\)/, `${file}: the component posts { imp_uid } to /api/subscribe`);
    assert.match(component, /\{ customerUid \}: \{ customerUid: string \}/, `${file}: the component is given the customer_uid`);
    assert.match(route, /const \{ imp_uid \} = await request\.json\(\)/);
  }
});
