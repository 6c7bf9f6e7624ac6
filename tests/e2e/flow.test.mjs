// The whole flow against the sandbox server (the iamport-sandbox binary, which serves www/ and pkg/ and
// answers the window, iamport's REST API and an example merchant server): issue a key in the sandbox
// window, confirm it, charge it, schedule monthly charges, move the sandbox clock and see the scheduled
// charge arrive as a webhook; and a declined charge.
//
// Builds nothing: expects the binary at $SANDBOX_BIN (default target/debug/iamport-sandbox; tests/run-e2e.sh
// builds it with `cargo build -p iamport-sandbox`).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSandbox, DAY } from './sandbox-server.mjs';
import {
  launch, openPage, openDemo, fillForm, uniqueCustomer, resultField, resultState, shot, assertNoProblems,
  assertAccessible, PHONE,
} from './lib.mjs';

let sandbox; // { url, control, stop }
let browser;

before(async () => {
  sandbox = await startSandbox();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await sandbox?.stop();
});

/** A control or REST call to the sandbox server from the test (never from the page). */
async function call(method, urlPath, body) {
  const response = await fetch(`${sandbox.url}${urlPath}`, {
    method,
    headers: body ? { 'Content-Type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  let data;
  try {
    data = JSON.parse(text);
  } catch {
    assert.fail(`${method} ${urlPath}: HTTP ${response.status}, not JSON: ${text.slice(0, 200)}`);
  }
  assert.ok(response.ok, `${method} ${urlPath}: HTTP ${response.status} ${text.slice(0, 300)}`);
  return data;
}

/** The sandbox clock in unix seconds (GET /__sandbox/clock, iamport's envelope). */
async function clockNow() {
  const { code, response } = await call('GET', '/__sandbox/clock');
  assert.equal(code, 0);
  const now = typeof response === 'number' ? response : response?.now;
  assert.ok(Number.isInteger(now), `GET /__sandbox/clock: no unix seconds in ${JSON.stringify(response)}`);
  return now;
}

async function withPage(body, options) {
  const { context, page } = await openPage(browser, options);
  // What the sandbox window sent the server: the object IMP.request_pay received, plus the outcome.
  page.windowRequests = [];
  page.on('request', (request) => {
    if (request.method() === 'POST' && new URL(request.url()).pathname === '/__sandbox/window/pay') {
      page.windowRequests.push(request.postDataJSON());
    }
  });
  try {
    await body(page);
  } finally {
    await context.close();
  }
}

/** Fills the form, opens the window, checks what it shows, clicks `choice`; resolves what IMP.request_pay got. */
async function issue(page, { customer, amount, choice = 'approve', card }) {
  await fillForm(page, { customer_uid: customer, amount });
  const merchantUid = await page.getByTestId('merchant_uid').inputValue();
  const before = await page.getByTestId('result').getAttribute('data-state');
  await page.getByTestId('submit').click();
  const win = page.getByTestId('sandbox-window');
  await win.waitFor();
  assert.equal(await win.getByTestId('sandbox-customer_uid').textContent(), customer);
  assert.equal(await win.getByTestId('sandbox-merchant_uid').textContent(), merchantUid);
  assert.match(await win.getByTestId('sandbox-amount').textContent(), amount === 0 ? /^0원/ : /^1,004원$/);
  if (card !== undefined) await win.getByTestId('sandbox-card').selectOption({ index: card });
  const sent = page.windowRequests.length;
  await win.getByTestId(`sandbox-${choice}`).click();
  await resultState(page, before);
  assert.equal(page.windowRequests.length, sent + 1, 'the window posted its decision to the sandbox server once');
  const param = page.windowRequests.at(-1);
  // What reached IMP.request_pay: the library's params for Danal, unchanged.
  assert.equal(param.outcome, choice);
  assert.equal(param.pg, 'danal_tpay');
  assert.equal(param.pay_method, 'card');
  assert.equal(param.customer_uid, customer);
  assert.equal(param.merchant_uid, merchantUid);
  assert.equal(param.amount, amount);
  assert.equal(param.name, '최초인증결제');
  assert.equal(param.buyer_tel, '02-1234-1234');
  assert.equal(param.buyer_email, 'iamport@siot.do');
  assert.equal(param.buyer_name, '아임포트');
  assert.equal(await page.evaluate(() => globalThis.IMP_SANDBOX.backend()), 'server');
  return { merchantUid, param };
}

/** Clicks a merchant button and waits for its output to settle; resolves the output's locator. */
async function merchantAction(page, key) {
  const out = page.getByTestId(`${key}-result`);
  await page.getByTestId(key).click();
  await out.and(page.locator(':not([aria-busy])')).waitFor();
  await page.getByTestId(key).and(page.locator(':enabled')).waitFor();
  return out;
}

/** Refreshes the webhook log until a row for `merchantUid` has `status`, for up to 10 s. */
async function waitForWebhook(page, merchantUid, status) {
  const row = page.getByTestId('webhook-log').locator(`[data-testid=webhook-row][data-merchant_uid="${merchantUid}"]`);
  for (let i = 0; i < 20; i++) {
    if (await row.count()) {
      const statuses = await row.evaluateAll((rows) => rows.map((r) => r.dataset.status));
      if (statuses.includes(status)) return row;
    }
    await page.getByTestId('refresh-webhooks').click();
    await page.getByTestId('webhook-log').and(page.locator(':not([aria-busy])')).waitFor();
    await page.waitForTimeout(500);
  }
  assert.fail(`no webhook with status ${status} for ${merchantUid}; the log shows:\n${await page.getByTestId('webhook-log').textContent()}`);
}

test('key only (amount 0): confirm, charge 1,004원, schedule monthly, and the clock runs the schedule', async () => {
  await withPage(async (page) => {
    await openDemo(page, sandbox.url);
    const customer = uniqueCustomer('flow-keyonly');
    await fillForm(page, { customer_uid: customer, amount: 0 });
    await page.getByTestId('submit').click();
    await page.getByTestId('sandbox-window').waitFor();
    await shot(page, 'flow-key-only-window', { fullPage: false });
    await page.getByTestId('sandbox-cancel').click(); // closes; the same merchant_uid is tried again below
    assert.equal(await resultState(page), 'failure');
    assert.equal(await resultField(page, 'error_code'), 'USER_CANCEL');

    const { merchantUid } = await issue(page, { customer, amount: 0 });
    assert.equal(await page.getByTestId('result').getAttribute('data-state'), 'success');
    const impUid = await resultField(page, 'imp_uid');
    assert.match(impUid, /^imps_\d{12}$/);
    assert.equal(await resultField(page, 'merchant_uid'), merchantUid);
    assert.equal(await resultField(page, 'customer_uid'), customer);
    const raw = JSON.parse(await page.getByTestId('result-raw').textContent());
    assert.equal(raw.success, true, "the server's answer");
    assert.equal(raw.pg_provider, 'danal_tpay');
    assert.equal(raw.customer_uid, customer);
    assert.match(await page.getByTestId('test-charge-note').textContent(), /10원/);

    // The server step's commands point at the sandbox server.
    assert.match(await page.getByTestId('curl-token').textContent(), new RegExp(`^curl -X POST ${sandbox.url}/users/getToken `));
    assert.match(await page.getByTestId('curl-token').textContent(), /"imp_key":"sandbox_key"/);
    assert.match(await page.getByTestId('curl-payment').textContent(), new RegExp(`^curl ${sandbox.url}/payments/${impUid} `));
    assert.match(await page.getByTestId('curl').textContent(), new RegExp(`^curl -X POST ${sandbox.url}/subscribe/payments/again `));
    // The window's own approval arrives as a webhook.
    await waitForWebhook(page, merchantUid, 'paid');

    // Confirm: the example merchant server checked the payment through GET /payments/{imp_uid}.
    const confirm = await merchantAction(page, 'confirm');
    assert.match(await confirm.getByTestId('confirm-verdict').textContent(), /✓/);
    const checks = confirm.getByTestId('confirm-check');
    assert.ok(await checks.count() > 0, 'the checks are listed');
    assert.deepEqual(await checks.evaluateAll((li) => li.map((l) => l.dataset.ok)).then((oks) => [...new Set(oks)]), ['true']);

    // Charge 1,004원 now with the key.
    const charge = await merchantAction(page, 'charge');
    assert.equal(await charge.getAttribute('data-status'), 'paid');
    assert.match(await charge.getByTestId('charge-verdict').textContent(), /1,004원 결제됨.*paid 1,004원/s);
    assert.equal(await charge.getByTestId('charge-amount').textContent(), '1004');
    const chargeUid = await charge.getByTestId('charge-merchant_uid').textContent();
    await waitForWebhook(page, chargeUid, 'paid');

    // Schedule monthly: the date of the next charge.
    const schedule = await merchantAction(page, 'schedule');
    assert.match(await schedule.getByTestId('schedule-verdict').textContent(), /✓ 다음 결제 예약됨/);
    const scheduled = JSON.parse(await schedule.getByTestId('schedule-raw').textContent());
    assert.equal(scheduled.ok, true);
    const now = await clockNow();
    assert.ok(scheduled.schedule_at > now, `schedule_at ${scheduled.schedule_at} is after the sandbox's now ${now}`);
    assert.ok(scheduled.schedule_at - now <= 32 * DAY, 'about a month ahead');
    // Shown as the page's local date with the unix seconds beside it.
    const shown = await schedule.getByTestId('schedule-at').textContent();
    assert.ok(shown.endsWith(`(${scheduled.schedule_at})`), shown);
    assert.ok(shown.startsWith(String(new Date(scheduled.schedule_at * 1000).getFullYear())), shown);
    await shot(page, 'flow-key-only-merchant');

    // Move the sandbox's clock past schedule_at: the scheduled charge runs and its webhook shows up.
    const advanced = await call('POST', '/__sandbox/clock/advance', { seconds: scheduled.schedule_at - now + 60 });
    assert.equal(advanced.code, 0);
    const row = await waitForWebhook(page, scheduled.merchant_uid, 'paid');
    assert.match(await row.first().textContent(), /paid/);
    await shot(page, 'flow-key-only-scheduled-paid');
    assertNoProblems(page);
  });
});

test('key + first charge (1,004원): the server answers the window, confirm passes, charging again works', async () => {
  await withPage(async (page) => {
    await openDemo(page, sandbox.url);
    const customer = uniqueCustomer('flow-charge');
    const { merchantUid, param } = await issue(page, { customer, amount: 1004, card: 1 });
    assert.equal(param.card_name, 'KB국민카드', 'the card picked in the window goes along');
    assert.equal(await resultField(page, 'card_name'), 'KB국민카드');
    assert.equal(await resultField(page, 'paid_amount'), '1004');
    const raw = JSON.parse(await page.getByTestId('result-raw').textContent());
    assert.equal(raw.success, true);
    assert.equal(raw.paid_amount, 1004);

    const confirm = await merchantAction(page, 'confirm');
    assert.match(await confirm.getByTestId('confirm-verdict').textContent(), /✓/);
    const charge = await merchantAction(page, 'charge');
    assert.equal(await charge.getAttribute('data-status'), 'paid');
    await shot(page, 'flow-charge-merchant');

    // The paid merchant_uid again: the window opens (the server decides) and the server refuses it.
    await page.getByTestId('merchant_uid').fill(merchantUid);
    await issue(page, { customer, amount: 1004 });
    assert.equal(await page.getByTestId('result').getAttribute('data-state'), 'failure');
    assert.equal(await resultField(page, 'error_code'), 'ALREADY_PAID');
    assert.equal(await resultField(page, 'merchant_uid'), merchantUid);
    assertNoProblems(page);
  });
});

test('decline: the window declines, then a declined charge shows failed with its reason', async () => {
  await withPage(async (page) => {
    await openDemo(page, sandbox.url);
    const customer = uniqueCustomer('flow-decline');
    const declined = await issue(page, { customer, amount: 1004, choice: 'decline' });
    assert.equal(await page.getByTestId('result').getAttribute('data-state'), 'failure');
    assert.ok((await resultField(page, 'error_msg')).length > 0);
    assert.equal(await resultField(page, 'merchant_uid'), declined.merchantUid);
    assert.equal(await page.getByTestId('server-step').count(), 0, 'no server step without a key');

    // The unpaid merchant_uid is approved on the second try.
    await issue(page, { customer, amount: 1004 });
    assert.equal(await resultField(page, 'merchant_uid'), declined.merchantUid);

    const reason = '한도 초과 (e2e: card limit exceeded)';
    assert.equal((await call('POST', '/__sandbox/next-outcome', { outcome: 'decline', fail_reason: reason })).code, 0);
    const charge = await merchantAction(page, 'charge');
    assert.equal(await charge.getAttribute('data-status'), 'failed');
    const verdict = await charge.getByTestId('charge-verdict').textContent();
    assert.match(verdict, /✗ 결제 실패 failed: /);
    assert.ok(verdict.includes(reason), `the reason is shown: ${verdict}`);
    assert.equal(await charge.getByTestId('charge-fail_reason').textContent(), reason);
    assert.match(await charge.getByTestId('charge-merchant_uid').textContent(), /\S/);
    await shot(page, 'flow-decline');

    // The next charge is approved again (the outcome applied once).
    const again = await merchantAction(page, 'charge');
    assert.equal(await again.getAttribute('data-status'), 'paid');
    assertNoProblems(page);
  });
});

test('a test key declines every charge with its reason, no control call needed', async () => {
  await withPage(async (page) => {
    await openDemo(page, sandbox.url);
    const customer = `${uniqueCustomer('flow-testkey')}_decline_balance`;
    await issue(page, { customer, amount: 0 });
    assert.equal(await page.getByTestId('result').getAttribute('data-state'), 'success', 'the key itself is issued');
    for (let i = 0; i < 2; i += 1) {
      const charge = await merchantAction(page, 'charge');
      assert.equal(await charge.getAttribute('data-status'), 'failed');
      assert.equal(await charge.getByTestId('charge-fail_reason').textContent(), '잔액부족');
    }
    assertNoProblems(page);
  });
});

test('axe (WCAG 2.1 A/AA): the result panel with the merchant results, at desktop and phone widths', async () => {
  for (const viewport of [undefined, PHONE]) {
    await withPage(async (page) => {
      await openDemo(page, sandbox.url);
      await issue(page, { customer: uniqueCustomer('flow-a11y'), amount: 0 });
      for (const key of ['confirm', 'charge', 'schedule']) await merchantAction(page, key);
      await page.locator('[data-testid=result] details').evaluateAll((all) => all.forEach((d) => { d.open = true; }));
      const width = viewport ? 'phone' : 'desktop';
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.equal(overflow, 0, `${width}: no horizontal scrolling`);
      const minor = await assertAccessible(page, `${width}: the merchant results`);
      if (minor.length) console.log(`# ${width}: minor or moderate: ${minor.map((v) => v.id).join(', ')}`);
      await shot(page, `flow-a11y-${width}`);
    }, viewport ? { viewport } : undefined);
  }
});
