// The plain-HTML demo (www/) in Chromium, against the sandbox SDK: every way a person can go through it.
// Served by a plain static server (no sandbox server), so the sandbox window decides in the browser;
// flow.test.mjs runs the demo against the sandbox server.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './server.mjs';
import {
  launch, openPage, openDemo, fillForm, uniqueCustomer, resultField, resultState, shot, assertNoProblems, PHONE,
  NO_SANDBOX_SERVER,
} from './lib.mjs';

/** The static server answers the window's POST /__sandbox/window/pay with 405, once per page. */
const STATIC = [NO_SANDBOX_SERVER];

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** Runs `body(page)` in a fresh context, closing it afterwards. */
async function withPage(body, options) {
  const { context, page } = await openPage(browser, options);
  try {
    await body(page);
  } finally {
    await context.close();
  }
}

/** The JSON body of the curl shown in the server step. */
function curlBody(curl) {
  const match = /-d '(.*)'\s*$/s.exec(curl);
  assert.ok(match, `no -d '…' in:\n${curl}`);
  return JSON.parse(match[1].replaceAll("'\\''", "'"));
}

async function submitAndWaitForWindow(page) {
  await page.getByTestId('submit').click();
  const win = page.getByTestId('sandbox-window');
  await win.waitFor();
  return win;
}

test('key only (amount 0): approve issues a key and shows the server step', async () => {
  await withPage(async (page) => {
    await openDemo(page, server.url);
    const customer = uniqueCustomer('keyonly');
    await fillForm(page, { customer_uid: customer, amount: 0 });
    assert.equal(await page.getByTestId('amount').isDisabled(), true, 'the price is off for key only');
    assert.equal(await page.getByTestId('amount-hint').isVisible(), true, 'the 10 KRW hint shows for key only');
    const merchantUid = await page.getByTestId('merchant_uid').inputValue();
    assert.match(merchantUid, /^billing_[a-z0-9]{18,19}$/, 'merchant_uid is prefilled by newMerchantUid()');

    const win = await submitAndWaitForWindow(page);
    // While the window is open the button is disabled and shows progress.
    const submit = page.getByTestId('submit');
    assert.equal(await submit.isDisabled(), true);
    assert.match(await submit.textContent(), /결제창 진행 중/);
    assert.equal(await page.getByTestId('form').getAttribute('aria-busy'), 'true');
    // The window shows what is being authorised.
    assert.match(await win.textContent(), /다날 신용카드 \(SANDBOX\)/);
    assert.equal(await win.getByTestId('sandbox-name').textContent(), '최초인증결제');
    assert.match(await win.getByTestId('sandbox-amount').textContent(), /^0원/);
    assert.equal(await win.getByTestId('sandbox-customer_uid').textContent(), customer);
    assert.equal(await win.getByTestId('sandbox-merchant_uid').textContent(), merchantUid);
    assert.match(await win.getByTestId('sandbox-test-charge-note').textContent(), /10원.*30분.*10 KRW.*30 minutes/s);
    await shot(page, 'demo-key-only-window', { fullPage: false });

    await win.getByTestId('sandbox-approve').click();
    assert.equal(await resultState(page), 'success');
    assert.equal(await win.count(), 0, 'the window is gone');
    assert.equal(await submit.isEnabled(), true, 'the button is back');
    assert.match(await submit.textContent(), /빌링키 발급/);

    // The typed result.
    const impUid = await resultField(page, 'imp_uid');
    assert.match(impUid, /^imps_\d{12}$/);
    assert.equal(await resultField(page, 'merchant_uid'), merchantUid);
    assert.equal(await resultField(page, 'customer_uid'), customer);
    assert.equal(await resultField(page, 'card_name'), '신한카드');
    assert.match(await resultField(page, 'card_number'), /^\d{4}-\d{2}\*\*-\*{4}-\d{4}$/);
    assert.equal(await resultField(page, 'paid_amount'), '0');
    assert.equal(await resultField(page, 'status'), 'paid');
    assert.equal(await resultField(page, 'pg_provider'), 'danal_tpay');
    const note = page.getByTestId('test-charge-note');
    assert.match(await note.textContent(), /10원.*30분.*10 KRW.*30 minutes/s);

    // The raw callback looks like the newest v1 SDK's: no `success` field.
    const raw = JSON.parse(await page.getByTestId('result-raw').textContent());
    assert.equal('success' in raw, false, 'the SDK callback carries no success field');
    assert.equal(raw.imp_uid, impUid);
    assert.equal(raw.pg_provider, 'danal_tpay');
    assert.equal(raw.pay_method, 'card');
    assert.equal(raw.status, 'paid');
    assert.equal(raw.paid_amount, 0);
    assert.match(raw.apply_num, /^\d{8}$/);
    assert.match(raw.pg_tid, /^\d{20}$/);
    assert.equal(raw.buyer_tel, '02-1234-1234');
    assert.equal(raw.buyer_email, 'iamport@siot.do');
    assert.equal(raw.buyer_name, '아임포트');
    assert.ok(Number.isInteger(raw.paid_at) && Math.abs(raw.paid_at - Date.now() / 1000) < 300, 'paid_at is unix seconds');

    // The server step: the token, the check and payments/again for this customer with a fresh
    // merchant_uid, against the page's own origin (the sandbox server when there is one).
    assert.match(await page.getByTestId('curl-token').textContent(), new RegExp(`^curl -X POST ${server.url}/users/getToken \\\\\n`));
    assert.match(await page.getByTestId('curl-payment').textContent(), new RegExp(`^curl ${server.url}/payments/${impUid} \\\\\n`));
    const curl = await page.getByTestId('curl').textContent();
    assert.ok(curl.startsWith(`curl -X POST ${server.url}/subscribe/payments/again \\\n`), curl);
    assert.match(curl, /-H "Authorization: Bearer \$IAMPORT_ACCESS_TOKEN"/);
    assert.match(curl, /-H "Content-Type: application\/json"/);
    const body = curlBody(curl);
    assert.equal(body.customer_uid, customer);
    assert.match(body.merchant_uid, /^billing_[a-z0-9]{18,19}$/);
    assert.notEqual(body.merchant_uid, merchantUid, 'a fresh merchant_uid for the next charge');
    assert.equal(body.amount, 1004);
    assert.equal(typeof body.name, 'string');
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    await page.getByTestId('copy-curl').click();
    await page.getByTestId('copy-curl').filter({ hasText: '복사됨' }).waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), curl, 'Copy puts the exact curl on the clipboard');
    const warning = await page.getByTestId('server-warning').textContent();
    assert.match(warning, /access token/);
    assert.match(warning, /Never run these in the browser/);

    // The paid merchant_uid is replaced in the form for the next attempt.
    const next = await page.getByTestId('merchant_uid').inputValue();
    assert.notEqual(next, merchantUid);
    assert.match(next, /^billing_/);

    // No sandbox server answered: the window decided in the browser (which keeps nothing), and the
    // page says why the merchant server's buttons are not there.
    assert.equal(await page.evaluate(() => globalThis.IMP_SANDBOX.backend()), 'browser');
    assert.match(await page.getByTestId('no-sandbox-server').textContent(), /make demo/);
    assert.equal(await page.getByTestId('confirm').count(), 0, 'no merchant buttons without a sandbox server');

    await shot(page, 'demo-key-only-result');
    await page.setViewportSize(PHONE);
    await shot(page, 'demo-key-only-result-phone');
    assertNoProblems(page, STATIC);
  });
});

test('no sandbox server: the window asks once per page, then decides in the browser and says so', async () => {
  await withPage(async (page) => {
    const asked = [];
    page.on('response', (r) => {
      if (new URL(r.url()).pathname === '/__sandbox/window/pay') asked.push([r.request().method(), r.status()]);
    });
    await openDemo(page, server.url);
    await fillForm(page, { customer_uid: uniqueCustomer('noserver'), amount: 0 });
    let win = await submitAndWaitForWindow(page);
    assert.match(await win.textContent(), /Sandbox: no real payment/);
    await win.getByTestId('sandbox-cancel').click();
    assert.equal(await resultState(page), 'failure');
    assert.equal(await page.evaluate(() => globalThis.IMP_SANDBOX.backend()), 'browser');

    // The second window knows: it says so at the top, and nothing is sent.
    win = await submitAndWaitForWindow(page);
    assert.match(await win.textContent(), /No sandbox server: decided in this browser/);
    await shot(page, 'demo-no-server-window', { fullPage: false });
    await win.getByTestId('sandbox-approve').click();
    assert.equal(await resultState(page, 'failure'), 'success');
    assert.deepEqual(asked, [['POST', 405]], 'one request, answered 405 by the static server');
    assert.ok(page.problems.console.filter((m) => NO_SANDBOX_SERVER.test(m)).length <= 1, 'at most one console line');
    assertNoProblems(page, STATIC);
  });
});

test('key + first charge: approve charges the typed amount with the chosen card', async () => {
  await withPage(async (page) => {
    await openDemo(page, server.url);
    const customer = uniqueCustomer('charge');
    await fillForm(page, { customer_uid: customer, amount: 5000, name: '월간 구독 1개월' });
    const win = await submitAndWaitForWindow(page);
    assert.equal(await win.getByTestId('sandbox-amount').textContent(), '5,000원');
    assert.equal(await win.getByTestId('sandbox-name').textContent(), '월간 구독 1개월');
    assert.equal(await win.getByTestId('sandbox-test-charge-note').count(), 0, 'no 10 KRW note above 0');
    await win.getByTestId('sandbox-card').selectOption({ index: 1 });
    assert.match(await win.getByTestId('sandbox-card').locator('option:checked').textContent(), /KB국민카드/);
    await shot(page, 'demo-charge-window', { fullPage: false });
    await win.getByTestId('sandbox-approve').click();

    assert.equal(await resultState(page), 'success');
    assert.equal(await resultField(page, 'paid_amount'), '5000');
    assert.equal(await resultField(page, 'card_name'), 'KB국민카드');
    assert.equal(await resultField(page, 'customer_uid'), customer);
    assert.equal(await page.getByTestId('test-charge-note').count(), 0, 'no 10 KRW note above 0');
    const raw = JSON.parse(await page.getByTestId('result-raw').textContent());
    assert.equal(raw.paid_amount, 5000);
    assert.equal(raw.name, '월간 구독 1개월');
    assert.equal('success' in raw, false);
    assert.equal(curlBody(await page.getByTestId('curl').textContent()).amount, 1004, 'the server step charges 1,004원');
    await shot(page, 'demo-charge-result');
    assertNoProblems(page, STATIC);
  });
});

test('the window at phone width', async () => {
  await withPage(async (page) => {
    await openDemo(page, server.url);
    const win = await submitAndWaitForWindow(page);
    const box = await win.boundingBox();
    assert.ok(box.x >= 0 && box.x + box.width <= PHONE.width, `the window fits 375 px (x ${box.x}, width ${box.width})`);
    for (const id of ['sandbox-approve', 'sandbox-decline', 'sandbox-cancel']) {
      assert.equal(await win.getByTestId(id).isVisible(), true, `${id} is visible`);
    }
    await shot(page, 'demo-window-phone', { fullPage: false });
    await win.getByTestId('sandbox-approve').click();
    assert.equal(await resultState(page), 'success');
    // The result panel is scrolled into view below the form.
    const top = await page.getByTestId('result').evaluate((el) => el.getBoundingClientRect().top);
    assert.ok(top >= 0 && top < PHONE.height, `the result is in view (top ${top})`);
    await shot(page, 'demo-result-phone-viewport', { fullPage: false });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.equal(overflow, 0, 'no horizontal scrolling at 375 px');
    assertNoProblems(page, STATIC);
  }, { viewport: PHONE });
});

test('decline: a failure with Danal-style code and message, and the same merchant_uid can be retried', async () => {
  await withPage(async (page) => {
    await openDemo(page, server.url);
    const customer = uniqueCustomer('decline');
    await fillForm(page, { customer_uid: customer });
    const merchantUid = await page.getByTestId('merchant_uid').inputValue();
    const win = await submitAndWaitForWindow(page);
    await win.getByTestId('sandbox-decline').click();

    assert.equal(await resultState(page), 'failure');
    assert.match(await resultField(page, 'error_code'), /^\d{4}$/);
    assert.match(await resultField(page, 'error_msg'), /승인 거절/);
    assert.match(await resultField(page, 'imp_uid'), /^imps_\d{12}$/);
    assert.equal(await resultField(page, 'merchant_uid'), merchantUid);
    assert.equal(await resultField(page, 'customer_uid'), customer);
    assert.equal(await page.getByTestId('server-step').count(), 0, 'no server step without a key');
    assert.equal(await page.getByTestId('submit').isEnabled(), true);
    assert.equal(await page.getByTestId('merchant_uid').inputValue(), merchantUid, 'an unpaid merchant_uid stays');
    await shot(page, 'demo-decline');

    // Retrying the unpaid merchant_uid works.
    await (await submitAndWaitForWindow(page)).getByTestId('sandbox-approve').click();
    assert.equal(await resultState(page, 'failure'), 'success');
    assert.equal(await resultField(page, 'merchant_uid'), merchantUid);
    assertNoProblems(page, STATIC);
  });
});

test('cancel: the button and the Escape key both report that the person closed the window', async () => {
  await withPage(async (page) => {
    await openDemo(page, server.url);
    await fillForm(page, { customer_uid: uniqueCustomer('cancel'), amount: 0 });
    const win = await submitAndWaitForWindow(page);
    await win.getByTestId('sandbox-cancel').click();
    assert.equal(await resultState(page), 'failure');
    assert.equal(await resultField(page, 'error_code'), 'USER_CANCEL');
    assert.match(await resultField(page, 'error_msg'), /사용자가 결제를 취소/);
    assert.equal(await page.getByTestId('server-step').count(), 0);
    await shot(page, 'demo-cancel');

    // Escape: reset the panel's state to tell the two answers apart.
    await page.getByTestId('result').evaluate((el) => { el.dataset.state = 'empty'; });
    await submitAndWaitForWindow(page);
    await page.keyboard.press('Escape');
    assert.equal(await resultState(page), 'failure');
    assert.equal(await resultField(page, 'error_code'), 'USER_CANCEL');
    assert.equal(await page.getByTestId('sandbox-window').count(), 0);
    assertNoProblems(page, STATIC);
  });
});

const INVALID = [
  { why: 'an empty customer_uid', fields: { customer_uid: '' }, field: 'customer_uid', says: /customer_uid/ },
  { why: 'a slash in customer_uid', fields: { customer_uid: 'team/42' }, field: 'customer_uid', says: /\// },
  { why: 'a missing buyer_tel', fields: { buyer_tel: '' }, field: 'buyer_tel', says: /required/ },
  { why: 'letters in buyer_tel', fields: { buyer_tel: 'call me' }, field: 'buyer_tel', says: /phone number/ },
  { why: 'an email without @', fields: { buyer_email: 'iamport.siot.do' }, field: 'buyer_email', says: /@/ },
  { why: 'a fractional amount', fields: { amount: '10.5' }, field: 'amount', says: /amount/ },
  { why: 'an amount in words', fields: { amount: '천원' }, field: 'amount', says: /number/ },
  { why: 'a negative amount', fields: { amount: '-1' }, field: 'amount', says: /amount/ },
  { why: 'a 41-character merchant_uid', fields: { merchant_uid: 'm'.repeat(41) }, field: 'merchant_uid', says: /40/ },
  { why: 'a 41-character name', fields: { name: '가'.repeat(41) }, field: 'name', says: /40/ },
];

test('invalid fields: the library\'s error appears next to the field and no window opens', async () => {
  await withPage(async (page) => {
    for (const { why, fields, field, says } of INVALID) {
      await openDemo(page, server.url);
      await fillForm(page, fields);
      await page.getByTestId('submit').click();
      assert.equal(await resultState(page), 'invalid', why);
      const error = page.getByTestId(`error-${field}`);
      assert.equal(await error.isVisible(), true, `${why}: error-${field} is shown`);
      assert.match(await error.textContent(), says, why);
      const input = page.getByTestId(field === 'amount' ? 'amount' : field);
      assert.equal(await input.getAttribute('aria-invalid'), 'true', why);
      assert.equal(await input.evaluate((el) => el === document.activeElement), true, `${why}: the field has focus`);
      const shown = await page.locator('.field-error:not([hidden])').count();
      assert.equal(shown, 1, `${why}: only one field shows an error`);
      assert.equal(await page.getByTestId('sandbox-window').count(), 0, `${why}: no window`);
      assert.equal(await page.getByTestId('submit').isEnabled(), true, why);
      if (field === 'buyer_tel' && fields.buyer_tel === 'call me') await shot(page, 'demo-invalid-buyer_tel');
    }

    // Fixing the field clears the error and the window opens.
    await openDemo(page, server.url);
    await fillForm(page, { buyer_tel: 'abc' });
    await page.getByTestId('submit').click();
    await page.getByTestId('error-buyer_tel').waitFor();
    await fillForm(page, { buyer_tel: '010-1234-5678' });
    const win = await submitAndWaitForWindow(page);
    assert.equal(await page.getByTestId('error-buyer_tel').isVisible(), false);
    assert.equal(await page.getByTestId('buyer_tel').getAttribute('aria-invalid'), null);
    await win.getByTestId('sandbox-cancel').click();
    assertNoProblems(page, STATIC);
  });
});

test('without a sandbox server nothing is remembered: a paid merchant_uid opens a window again', async () => {
  // The sandbox server is the one state (flow.test.mjs: it refuses a paid merchant_uid with
  // ALREADY_PAID); the browser keeps no payments of its own.
  await withPage(async (page) => {
    await openDemo(page, server.url);
    const customer = uniqueCustomer('paid');
    await fillForm(page, { customer_uid: customer, amount: 0 });
    const paid = await page.getByTestId('merchant_uid').inputValue();
    await (await submitAndWaitForWindow(page)).getByTestId('sandbox-approve').click();
    assert.equal(await resultState(page), 'success');
    const first = await resultField(page, 'imp_uid');

    await page.getByTestId('merchant_uid').fill(paid);
    await (await submitAndWaitForWindow(page)).getByTestId('sandbox-approve').click();
    const second = page.getByTestId('result').getByTestId('result-imp_uid').filter({ hasNotText: first });
    await second.waitFor();
    assert.equal(await resultState(page), 'success', 'a window, and a new answer');
    assert.equal(await resultField(page, 'merchant_uid'), paid);
    assertNoProblems(page, STATIC);
  });
});

test('live mode: the merchant code is checked inline and an unreachable SDK is reported', async () => {
  await withPage(async (page) => {
    const sdkRequests = [];
    await page.route('https://cdn.iamport.kr/**', (route) => {
      sdkRequests.push(route.request().url());
      return route.abort('internetdisconnected');
    });
    await page.goto(`${server.url}/`);
    await page.getByTestId('mode-live').check();
    await page.waitForURL(/\?mode=live$/);
    await page.getByTestId('sdk-status').and(page.locator('[data-state="idle"]')).waitFor();
    assert.equal(await page.getByTestId('merchant_code').isVisible(), true);
    assert.equal(await page.getByTestId('mode-live').isChecked(), true);

    // Empty: the page asks for it.
    await page.getByTestId('submit').click();
    await page.getByTestId('error-merchant_code').waitFor();
    assert.match(await page.getByTestId('error-merchant_code').textContent(), /merchant code/);

    // Malformed: the library's INVALID_PARAM (field merchantCode) lands on the same field.
    await page.getByTestId('merchant_code').fill('imp123');
    await page.getByTestId('submit').click();
    await page.waitForFunction(() => /8 digits/.test(document.querySelector('[data-testid=error-merchant_code]').textContent));
    assert.equal(sdkRequests.length, 0, 'nothing was loaded for a malformed code');
    assert.equal(await page.getByTestId('sdk-status').getAttribute('data-state'), 'idle', 'no load was tried');
    await shot(page, 'demo-live-invalid-code');

    // Well-formed but offline: SDK_LOAD_FAILED in the result panel.
    await page.getByTestId('merchant_code').fill('imp12345678');
    await page.getByTestId('submit').click();
    assert.equal(await resultState(page, 'invalid'), 'error');
    assert.equal(await resultField(page, 'code'), 'SDK_LOAD_FAILED');
    assert.equal(await page.getByTestId('sdk-status').getAttribute('data-state'), 'error');
    assert.deepEqual(sdkRequests, ['https://cdn.iamport.kr/v1/iamport.js']);
    assert.equal(await page.getByTestId('submit').isEnabled(), true, 'a retry is possible');
    await shot(page, 'demo-live-sdk-unreachable');

    // Back to the sandbox.
    await page.getByTestId('mode-sandbox').check();
    await page.waitForURL((url) => url.search === '');
    await page.getByTestId('sdk-status').and(page.locator('[data-state="ready"]')).waitFor();
    assertNoProblems(page, [/cdn\.iamport\.kr|ERR_INTERNET_DISCONNECTED|Failed to load resource/]);
  });
});
