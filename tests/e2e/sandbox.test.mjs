// The sandbox SDK (www/sandbox/iamport-sandbox.js) on its own, driven like a page drives iamport's IMP.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './server.mjs';
import { launch, openPage, assertNoProblems } from './lib.mjs';

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

const PARAM = {
  pg: 'danal_tpay',
  pay_method: 'card',
  name: '최초인증결제',
  amount: 0,
  customer_uid: 'your-customer-unique-id',
  buyer_email: 'iamport@siot.do',
  buyer_name: '아임포트',
  buyer_tel: '02-1234-1234',
};

/** A page with nothing but the sandbox script (no library), optionally after `IMP.init`. */
async function sandboxPage({ init = true } = {}) {
  const { context, page } = await openPage(browser);
  await page.route(`${server.url}/blank.html`, (route) =>
    route.fulfill({ contentType: 'text/html', body: '<!doctype html><meta charset="utf-8"><title>blank</title>' }));
  await page.goto(`${server.url}/blank.html`);
  await page.addScriptTag({ url: '/sandbox/iamport-sandbox.js' });
  if (init) await page.evaluate(() => window.IMP.init('imp00000000'));
  return { context, page };
}

/** Calls IMP.request_pay; `choose` is the window's button to click (or null when no window should open). */
async function pay(page, param, choose) {
  await page.evaluate((p) => {
    window.__answers = [];
    window.IMP.request_pay(p, (rsp) => window.__answers.push(rsp));
  }, param);
  if (choose) await page.getByTestId(`sandbox-${choose}`).click();
  await page.waitForFunction(() => window.__answers.length > 0);
  await page.waitForTimeout(50); // a second callback would show up here
  const answers = await page.evaluate(() => window.__answers);
  assert.equal(answers.length, 1, 'exactly one callback');
  return answers[0];
}

test('request_pay before IMP.init calls back a failure, without a window', async () => {
  const { context, page } = await sandboxPage({ init: false });
  try {
    const rsp = await pay(page, { ...PARAM, merchant_uid: 'm_before_init' }, null);
    assert.deepEqual(Object.keys(rsp).sort(), ['error_code', 'error_msg', 'imp_uid', 'merchant_uid']);
    assert.equal(rsp.imp_uid, null);
    assert.equal(rsp.merchant_uid, 'm_before_init');
    assert.equal(rsp.error_code, 'NOT_INITIALIZED');
    assert.match(rsp.error_msg, /IMP\.init/);
    assert.equal(await page.getByTestId('sandbox-window').count(), 0);
    assertNoProblems(page);
  } finally {
    await context.close();
  }
});

test('approve answers like the newest v1 SDK: every documented field, and no success field', async () => {
  const { context, page } = await sandboxPage();
  try {
    const rsp = await pay(page, { ...PARAM, amount: 1004, merchant_uid: 'm_fields', custom_data: { plan: 'monthly' } }, 'approve');
    assert.equal('success' in rsp, false);
    assert.equal('imp_success' in rsp, false);
    assert.match(rsp.imp_uid, /^imps_\d{12}$/);
    assert.equal(rsp.merchant_uid, 'm_fields');
    assert.equal(rsp.pay_method, 'card');
    assert.equal(rsp.paid_amount, 1004);
    assert.equal(rsp.status, 'paid');
    assert.equal(rsp.pg_provider, 'danal_tpay');
    assert.match(rsp.pg_tid, /^\d{20}$/);
    assert.equal(rsp.name, '최초인증결제');
    assert.equal(rsp.card_name, '신한카드');
    assert.match(rsp.card_number, /\*/);
    assert.match(rsp.apply_num, /^\d{8}$/);
    assert.ok(Number.isInteger(rsp.paid_at) && Math.abs(rsp.paid_at - Date.now() / 1000) < 300);
    assert.equal(rsp.buyer_name, '아임포트');
    assert.equal(rsp.buyer_email, 'iamport@siot.do');
    assert.equal(rsp.buyer_tel, '02-1234-1234');
    assert.deepEqual(rsp.custom_data, { plan: 'monthly' });
    assert.equal('error_code' in rsp, false);
    assertNoProblems(page);
  } finally {
    await context.close();
  }
});

test('decline and cancel carry imp_uid, merchant_uid, error_code and error_msg only', async () => {
  const { context, page } = await sandboxPage();
  try {
    for (const [choice, code] of [['decline', /^\d{4}$/], ['cancel', /^USER_CANCEL$/]]) {
      const rsp = await pay(page, { ...PARAM, merchant_uid: `m_${choice}` }, choice);
      assert.deepEqual(Object.keys(rsp).sort(), ['error_code', 'error_msg', 'imp_uid', 'merchant_uid'], choice);
      assert.match(rsp.imp_uid, /^imps_\d{12}$/, choice);
      assert.equal(rsp.merchant_uid, `m_${choice}`);
      assert.match(rsp.error_code, code, choice);
      assert.ok(rsp.error_msg.length > 0, choice);
      const record = await page.evaluate((m) => window.IMP_SANDBOX.payment(m), `m_${choice}`);
      assert.equal(record.status, 'failed', choice);
    }
    assert.equal(await page.evaluate(() => window.IMP_SANDBOX.billingKey('your-customer-unique-id')), null);
    assertNoProblems(page);
  } finally {
    await context.close();
  }
});

test('a paid merchant_uid is refused; keys are kept per customer_uid across reloads, a new card replaces the old', async () => {
  const { context, page } = await sandboxPage();
  try {
    const customer_uid = 'reissue-me';
    const first = await pay(page, { ...PARAM, customer_uid, merchant_uid: 'm_first' }, 'approve');
    assert.equal(first.card_name, '신한카드');

    const again = await pay(page, { ...PARAM, customer_uid, merchant_uid: 'm_first' }, null);
    assert.equal(again.error_code, 'ALREADY_PAID');
    assert.equal(again.imp_uid, null);
    assert.equal(await page.getByTestId('sandbox-window').count(), 0);

    // A reload keeps the store (localStorage); a second key for the customer replaces the card.
    await page.reload();
    await page.addScriptTag({ url: '/sandbox/iamport-sandbox.js' });
    await page.evaluate(() => window.IMP.init('imp00000000'));
    assert.equal((await page.evaluate((c) => window.IMP_SANDBOX.billingKey(c), customer_uid)).card_name, '신한카드');
    const paidAgain = await pay(page, { ...PARAM, customer_uid, merchant_uid: 'm_first' }, null);
    assert.equal(paidAgain.error_code, 'ALREADY_PAID', 'the paid merchant_uid is remembered across reloads');

    await page.evaluate(() => {
      window.__answers = [];
      window.IMP.request_pay({ pg: 'danal_tpay', pay_method: 'card', amount: 0, customer_uid: 'reissue-me',
        buyer_tel: '010-0000-0000', merchant_uid: 'm_second' }, (rsp) => window.__answers.push(rsp));
    });
    await page.getByTestId('sandbox-card').selectOption({ index: 2 });
    await page.getByTestId('sandbox-approve').click();
    await page.waitForFunction(() => window.__answers.length === 1);
    const key = await page.evaluate((c) => window.IMP_SANDBOX.billingKey(c), customer_uid);
    assert.equal(key.card_name, '삼성카드');

    // A merchant_uid that is a JavaScript property name is just a key.
    const proto = await pay(page, { ...PARAM, merchant_uid: '__proto__' }, 'approve');
    assert.equal(proto.merchant_uid, '__proto__');
    assert.equal((await pay(page, { ...PARAM, merchant_uid: '__proto__' }, null)).error_code, 'ALREADY_PAID');
    assertNoProblems(page);
  } finally {
    await context.close();
  }
});

test('what iamport refuses before a window: wrong pg, pay_method, amount, missing customer_uid or buyer_tel', async () => {
  const { context, page } = await sandboxPage();
  try {
    const cases = [
      [{ pg: 'html5_inicis' }, 'INVALID_PG'],
      [{ pay_method: 'vbank' }, 'INVALID_PAY_METHOD'],
      [{ amount: '1000' }, 'INVALID_AMOUNT'],
      [{ amount: -1 }, 'INVALID_AMOUNT'],
      [{ customer_uid: undefined }, 'CUSTOMER_UID_REQUIRED'],
      [{ buyer_tel: undefined }, 'BUYER_TEL_REQUIRED'],
    ];
    for (const [change, code] of cases) {
      const rsp = await pay(page, { ...PARAM, merchant_uid: 'm_refused', ...change }, null);
      assert.equal(rsp.error_code, code, JSON.stringify(change));
      assert.equal(rsp.imp_uid, null);
    }
    // A second window while one is open is refused; the first still answers.
    await page.evaluate((p) => {
      window.__first = [];
      window.IMP.request_pay({ ...p, merchant_uid: 'm_open' }, (r) => window.__first.push(r));
    }, PARAM);
    await page.getByTestId('sandbox-window').waitFor();
    const second = await pay(page, { ...PARAM, merchant_uid: 'm_second_window' }, null);
    assert.equal(second.error_code, 'WINDOW_ALREADY_OPEN');
    await page.getByTestId('sandbox-approve').click();
    await page.waitForFunction(() => window.__first.length === 1);
    assert.equal(await page.evaluate(() => window.__first[0].status), 'paid');
    assertNoProblems(page);
  } finally {
    await context.close();
  }
});

test('the simulated payments/again charges a stored key and refuses what iamport refuses', async () => {
  const { context, page } = await sandboxPage();
  try {
    const again = (body) => page.evaluate((b) => window.IMP_SANDBOX.paymentsAgain(b), body);
    const body = { customer_uid: 'sim-customer', merchant_uid: 'm_again_1', amount: 9900, name: '정기결제' };

    const unknown = await again(body);
    assert.equal(unknown.simulation, true);
    assert.equal(unknown.code, 1);
    assert.equal(unknown.response, null);
    assert.match(unknown.message, /customer_uid/);

    await pay(page, { ...PARAM, customer_uid: 'sim-customer', merchant_uid: 'm_issue' }, 'approve');
    const ok = await again(body);
    assert.equal(ok.code, 0);
    assert.equal(ok.message, null);
    assert.equal(ok.response.status, 'paid');
    assert.equal(ok.response.amount, 9900);
    assert.equal(ok.response.customer_uid, 'sim-customer');
    assert.equal(ok.response.card_name, '신한카드');
    assert.match(ok.response.imp_uid, /^imps_\d{12}$/);

    assert.equal((await again(body)).code, 1, 'the same merchant_uid twice');
    assert.equal((await again({ ...body, merchant_uid: 'm_again_2', amount: 0 })).code, -1, 'amount 0');
    assert.equal((await again({ ...body, merchant_uid: 'm_again_3', name: '' })).code, -1, 'no name');
    assertNoProblems(page);
  } finally {
    await context.close();
  }
});
