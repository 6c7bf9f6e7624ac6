// The sandbox SDK (www/sandbox/iamport-sandbox.js) on its own, driven like a page drives iamport's IMP:
// on a plain static server (no sandbox server: the window answers in the browser and keeps nothing), and with the
// sandbox server's POST /__sandbox/window/pay stood in by page.route (flow.test.mjs uses the real one).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './server.mjs';
import { launch, openPage, assertNoProblems, NO_SANDBOX_SERVER } from './lib.mjs';

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
    assertNoProblems(page, STATIC);
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
    assertNoProblems(page, STATIC);
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
    }
    assertNoProblems(page, STATIC);
  } finally {
    await context.close();
  }
});

test('without a server the browser keeps nothing: no storage, no accessors, the same merchant_uid answered again', async () => {
  const { context, page } = await sandboxPage();
  try {
    const customer_uid = 'reissue-me';
    const first = await pay(page, { ...PARAM, customer_uid, merchant_uid: 'm_first' }, 'approve');
    assert.equal(first.card_name, '신한카드');
    // The server is the one state: with none, a paid merchant_uid is not remembered, and nothing
    // is written to storage or offered as a store.
    const again = await pay(page, { ...PARAM, customer_uid, merchant_uid: 'm_first' }, 'approve');
    assert.equal(again.status, 'paid');
    assert.notEqual(again.imp_uid, first.imp_uid);
    assert.equal(await page.evaluate(() => window.localStorage.length + window.sessionStorage.length), 0);
    assert.deepEqual(await page.evaluate(() => Object.keys(window.IMP_SANDBOX).sort()), ['backend', 'version']);
    assert.equal(await page.evaluate(() => window.IMP_SANDBOX.version), 3);

    // The card picked in the window is the one answered.
    await page.evaluate(() => {
      window.__answers = [];
      window.IMP.request_pay({ pg: 'danal_tpay', pay_method: 'card', amount: 0, customer_uid: 'reissue-me',
        buyer_tel: '010-0000-0000', merchant_uid: 'm_second' }, (rsp) => window.__answers.push(rsp));
    });
    await page.getByTestId('sandbox-card').selectOption({ index: 2 });
    await page.getByTestId('sandbox-approve').click();
    await page.waitForFunction(() => window.__answers.length === 1);
    assert.equal(await page.evaluate(() => window.__answers[0].card_name), '삼성카드');

    // A merchant_uid that is a JavaScript property name is just a string.
    const proto = await pay(page, { ...PARAM, merchant_uid: '__proto__' }, 'approve');
    assert.equal(proto.merchant_uid, '__proto__');
    assertNoProblems(page, STATIC);
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
    assertNoProblems(page, STATIC);
  } finally {
    await context.close();
  }
});

// ---- with a sandbox server ----------------------------------------------------------------------

const SERVER_PATH = '/__sandbox/window/pay';

/** Answers the window's POST with `reply(body)` ({ status, json } or 'abort'), after `delay` ms; records the bodies. */
async function standInServer(page, reply, { delay = 0 } = {}) {
  const bodies = [];
  await page.route(`${server.url}${SERVER_PATH}`, async (route) => {
    const body = route.request().postDataJSON();
    bodies.push(body);
    await new Promise((r) => setTimeout(r, delay));
    const answer = reply(body);
    if (answer === 'abort') return route.abort('connectionrefused');
    return route.fulfill({ status: answer.status ?? 200, contentType: 'application/json', body: JSON.stringify(answer.json) });
  });
  return bodies;
}

test('with a sandbox server: the window posts its decision and the callback gets the answer as is', async () => {
  const { context, page } = await sandboxPage();
  try {
    const answer = {
      success: true, imp_uid: 'imps_123456789012', merchant_uid: 'm_server', pay_method: 'card', paid_amount: 1004,
      status: 'paid', name: '최초인증결제', pg_provider: 'danal_tpay', pg_tid: '20261202000000123456', card_name: '삼성카드',
      card_number: '531057******4407', apply_num: '12345678', paid_at: 1796000000, customer_uid: 'server-customer',
      buyer_tel: '02-1234-1234', custom_data: null,
    };
    const bodies = await standInServer(page, () => ({ json: answer }), { delay: 400 });
    await page.evaluate((p) => {
      window.__answers = [];
      window.IMP.request_pay(p, (rsp) => window.__answers.push(rsp));
    }, { ...PARAM, amount: 1004, customer_uid: 'server-customer', merchant_uid: 'm_server', custom_data: { plan: 'monthly' } });
    await page.getByTestId('sandbox-card').selectOption({ index: 2 });
    await page.getByTestId('sandbox-approve').click();

    // While the server decides: the window stays, busy, and says what it is doing.
    const win = page.getByTestId('sandbox-window');
    assert.equal(await win.getAttribute('aria-busy'), 'true');
    assert.match(await win.getByTestId('sandbox-status').textContent(), /Sending to the sandbox server/);
    assert.equal(await win.getByTestId('sandbox-status').getAttribute('role'), 'status');
    for (const id of ['sandbox-approve', 'sandbox-decline', 'sandbox-cancel', 'sandbox-card']) {
      assert.equal(await win.getByTestId(id).isDisabled(), true, `${id} is disabled`);
    }

    await page.waitForFunction(() => window.__answers.length > 0);
    assert.deepEqual(await page.evaluate(() => window.__answers), [answer], "exactly one callback, the server's answer");
    assert.equal(await win.count(), 0, 'the window closed');
    assert.equal(await page.evaluate(() => window.IMP_SANDBOX.backend()), 'server');
    assert.equal(bodies.length, 1);
    assert.deepEqual(bodies[0], {
      ...PARAM, amount: 1004, customer_uid: 'server-customer', merchant_uid: 'm_server', custom_data: { plan: 'monthly' },
      outcome: 'approve', card_name: '삼성카드', card_number: '5310-57**-****-4407',
    }, 'the param IMP.request_pay received, plus the decision and the card picked');
    assert.equal(await page.evaluate(() => window.localStorage.length), 0, 'nothing was stored in the browser');

    // Decline and cancel (the Escape key) are the server's to answer too.
    for (const [outcome, press] of [['decline', null], ['cancel', 'Escape']]) {
      const failed = { success: false, imp_uid: 'imps_000000000001', merchant_uid: `m_${outcome}`, error_code: 'F400', error_msg: `server says ${outcome}` };
      await page.unroute(`${server.url}${SERVER_PATH}`);
      const sent = await standInServer(page, () => ({ json: failed }));
      await page.evaluate((p) => {
        window.__answers = [];
        window.IMP.request_pay(p, (rsp) => window.__answers.push(rsp));
      }, { ...PARAM, merchant_uid: `m_${outcome}` });
      if (press) {
        await page.getByTestId('sandbox-window').waitFor();
        await page.keyboard.press(press);
      } else {
        await page.getByTestId(`sandbox-${outcome}`).click();
      }
      await page.waitForFunction(() => window.__answers.length > 0);
      assert.deepEqual(await page.evaluate(() => window.__answers), [failed], outcome);
      assert.equal(sent[0].outcome, outcome);
    }
    assertNoProblems(page);
  } finally {
    await context.close();
  }
});

test('with a sandbox server: its refusals become failures, and a server gone quiet is not replaced by the browser', async () => {
  const { context, page } = await sandboxPage();
  try {
    let reply = () => ({ status: 400, json: { code: -1, message: 'amount must be a whole number of KRW', response: null } });
    await standInServer(page, (body) => reply(body));
    const refused = await pay(page, { ...PARAM, merchant_uid: 'm_refused_by_server' }, 'approve');
    assert.deepEqual(Object.keys(refused).sort(), ['error_code', 'error_msg', 'imp_uid', 'merchant_uid']);
    assert.equal(refused.error_code, 'SANDBOX_SERVER_ERROR');
    assert.match(refused.error_msg, /amount must be a whole number of KRW/);
    assert.equal(refused.merchant_uid, 'm_refused_by_server');

    reply = () => 'abort';
    const gone = await pay(page, { ...PARAM, merchant_uid: 'm_server_gone' }, 'approve');
    assert.equal(gone.error_code, 'SANDBOX_SERVER_UNREACHABLE');
    assert.equal(await page.evaluate(() => window.IMP_SANDBOX.backend()), 'server', 'still the server');
    assertNoProblems(page, [/Failed to load resource: the server responded with a status of 400|net::ERR_CONNECTION_REFUSED/]);
  } finally {
    await context.close();
  }
});

test('no sandbox server (404, or nothing listening): the window decides in the browser', async () => {
  for (const reply of [() => ({ status: 404, json: { error: 'not found' } }), () => 'abort']) {
    const { context, page } = await sandboxPage();
    try {
      const bodies = await standInServer(page, reply);
      const first = await pay(page, { ...PARAM, merchant_uid: 'm_local_1' }, 'approve');
      assert.equal('success' in first, false, "the browser's answer, like the newest v1 SDK");
      assert.equal(first.status, 'paid');
      assert.equal(await page.evaluate(() => window.IMP_SANDBOX.backend()), 'browser');
      await pay(page, { ...PARAM, merchant_uid: 'm_local_2' }, 'decline');
      assert.equal(bodies.length, 1, 'asked once');
      assertNoProblems(page, [/status of 404|net::ERR_CONNECTION_REFUSED/]);
    } finally {
      await context.close();
    }
  }
});
