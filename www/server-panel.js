// The demo's server panel: what a merchant's server does after the window. It confirms the payment,
// charges the key, schedules the next charges and receives iamport's webhooks. The curl commands are
// that step by hand; in sandbox mode the sandbox server (make demo) also runs an example merchant
// server under /merchant/, and the buttons call it. Nothing here holds a secret: the sandbox's REST
// key is public by design. None of this belongs in a real page: it is your server's part.
import { h, bi, list } from './dom.js';

/** The charge the server step makes (now, and monthly from the schedule). */
const CHARGE = { amount: 1004, name: '정기결제' };

const shellQuote = (text) => `'${text.replaceAll("'", `'\\''`)}'`;
const won = (amount) => `${Number(amount).toLocaleString('ko-KR')}원`;

/** Where the REST API is: the sandbox server itself in sandbox mode, iamport in live mode. */
function apiBase(mode) {
  return mode === 'sandbox' ? window.location.origin : 'https://api.iamport.kr';
}

function curlCommands(result, { mode, newMerchantUid }) {
  const base = apiBase(mode);
  const credentials = mode === 'sandbox'
    ? { imp_key: 'sandbox_key', imp_secret: 'sandbox_secret' }
    : { imp_key: 'YOUR_REST_API_KEY', imp_secret: 'YOUR_REST_API_SECRET' };
  const again = { customer_uid: result.customer_uid, merchant_uid: newMerchantUid(), amount: CHARGE.amount, name: CHARGE.name };
  return {
    token: [
      `curl -X POST ${base}/users/getToken \\`,
      '  -H "Content-Type: application/json" \\',
      `  -d ${shellQuote(JSON.stringify(credentials))}`,
    ].join('\n'),
    payment: [
      `curl ${base}/payments/${encodeURIComponent(result.imp_uid ?? '')} \\`,
      '  -H "Authorization: Bearer $IAMPORT_ACCESS_TOKEN"',
    ].join('\n'),
    again: [
      `curl -X POST ${base}/subscribe/payments/again \\`,
      '  -H "Authorization: Bearer $IAMPORT_ACCESS_TOKEN" \\',
      '  -H "Content-Type: application/json" \\',
      `  -d ${shellQuote(JSON.stringify(again))}`,
    ].join('\n'),
  };
}

/** A command with its own Copy button. */
function codeBlock(testid, label, text) {
  const copy = h('button', { type: 'button', className: 'ghost small', 'data-testid': `copy-${testid}`, 'aria-label': `복사 Copy: ${label}` },
    ...bi('복사', 'Copy'));
  copy.addEventListener('click', () => {
    const write = navigator.clipboard ? navigator.clipboard.writeText(text) : Promise.reject(new Error('no clipboard'));
    // The accessible name keeps starting with the visible words.
    const say = (ko, en) => {
      copy.replaceChildren(...bi(ko, en));
      copy.setAttribute('aria-label', `${ko} ${en}: ${label}`);
    };
    write.then(() => say('복사됨', 'Copied'), () => say('복사 실패', 'Copy failed'));
  });
  return h('div', { className: 'code' }, h('pre', { 'data-testid': testid }, text), copy);
}

function serverStep(result, { mode, newMerchantUid }) {
  const curl = curlCommands(result, { mode, newMerchantUid });
  const section = h('section', { className: 'server-step', 'data-testid': 'server-step', 'aria-labelledby': 'server-step-title' },
    h('h3', { id: 'server-step-title' }, ...bi('다음 단계: 서버', 'Next: your server')),
    h('p', {}, ...bi(
      `빌링키가 customer_uid "${result.customer_uid}"로 저장되었습니다. 확인과 다음 결제는 서버가 REST API로 요청합니다:`,
      'The key is stored under this customer_uid. Checking and charging are requests from your server:',
    )),
    h('ol', { className: 'steps' },
      h('li', {}, ...bi('토큰 발급', 'Get an access token'), codeBlock('curl-token', 'POST /users/getToken', curl.token)),
      h('li', {}, ...bi('결제 확인', 'Confirm the payment'), codeBlock('curl-payment', `GET /payments/${result.imp_uid}`, curl.payment)),
      h('li', {}, ...bi('빌링키로 결제', 'Charge the billing key'), codeBlock('curl', 'POST /subscribe/payments/again', curl.again))),
    h('p', { className: 'warning', 'data-testid': 'server-warning' }, ...bi(
      mode === 'sandbox'
        ? '⚠ 샌드박스의 키(sandbox_key)는 공개용입니다. 실서비스의 REST API 키·시크릿과 access token은 서버에만 두고, 절대 브라우저에서 실행하지 마세요.'
        : '⚠ 서버의 access token이 필요합니다 (REST API 키·시크릿으로 POST /users/getToken에서 발급). 절대 브라우저에서 실행하지 마세요.',
      mode === 'sandbox'
        ? "The sandbox's key is public. A real REST API key, secret and access token live on your server only. Never run these in the browser."
        : "Needs your server's access token (from POST /users/getToken with your REST API key and secret). Never run it in the browser.",
    )),
  );
  return section;
}

// ---- the example merchant server (sandbox mode) ---------------------------------------------------

/** JSON from the sandbox server's example merchant endpoints; rejects with a readable message. */
async function merchant(method, path, body) {
  let response;
  try {
    response = await fetch(path, {
      method,
      headers: body ? { 'Content-Type': 'application/json', Accept: 'application/json' } : { Accept: 'application/json' },
      body: body ? JSON.stringify(body) : undefined,
      cache: 'no-store',
    });
  } catch (err) {
    throw new Error(`샌드박스 서버에 연결하지 못했습니다 (could not reach the sandbox server: ${err.message ?? err})`);
  }
  let data;
  try {
    data = await response.json();
  } catch (_) {
    throw new Error(`${method} ${path}: HTTP ${response.status} (JSON이 아님 · not JSON)`);
  }
  if (!response.ok && !(data && typeof data === 'object' && 'ok' in data)) {
    throw new Error(`${method} ${path}: HTTP ${response.status} ${data?.message ?? ''}`.trim());
  }
  return data;
}

const dateText = (seconds) => (typeof seconds === 'number' && seconds > 0
  ? `${new Date(seconds * 1000).toLocaleString('ko-KR')} (${seconds})` : String(seconds ?? ''));

/** The JSON itself, folded, under a human summary. */
function rawJson(testid, data) {
  return h('details', { className: 'raw' },
    h('summary', {}, ...bi('응답 JSON', 'Response JSON')),
    h('pre', { 'data-testid': testid }, JSON.stringify(data, null, 2)));
}

function verdict(ok, testid, ...text) {
  return h('p', { className: `verdict small ${ok ? 'ok' : 'fail'}`, 'data-testid': testid }, ok ? '✓ ' : '✗ ', ...text);
}

function showConfirm(out, data) {
  const checks = Array.isArray(data.checks) ? data.checks : [];
  out.replaceChildren(
    verdict(data.ok === true, 'confirm-verdict', ...(data.ok ? bi('결제 확인됨', 'Payment confirmed') : bi('확인 실패', 'Not confirmed'))),
    h('ul', { className: 'checks', 'data-testid': 'confirm-checks' }, checks.map((c) =>
      h('li', { className: c.ok ? 'ok' : 'fail', 'data-testid': 'confirm-check', 'data-ok': String(c.ok === true) },
        h('span', { className: 'mark', 'aria-hidden': 'true' }, c.ok ? '✓' : '✗'),
        h('span', { className: 'visually-hidden' }, c.ok ? '통과 passed: ' : '실패 failed: '),
        h('code', {}, String(c.name)), ' ', String(c.detail ?? '')))),
    rawJson('confirm-raw', data));
}

function showCharge(out, data) {
  const paid = data.ok === true && data.status === 'paid';
  out.dataset.status = String(data.status ?? 'error');
  out.replaceChildren(
    verdict(paid, 'charge-verdict', ...(paid
      ? bi(`${won(data.amount)} 결제됨`, `paid ${won(data.amount)}`)
      : [...bi('결제 실패', 'failed'), `: ${data.fail_reason ?? data.status ?? '(사유 없음 · no reason given)'}`])),
    list([
      ['status', data.status, 'charge-status'],
      ['imp_uid', data.imp_uid, 'charge-imp_uid'],
      ['merchant_uid', data.merchant_uid, 'charge-merchant_uid'],
      ['amount', data.amount, 'charge-amount'],
      ['fail_reason', data.fail_reason, 'charge-fail_reason'],
    ], ''),
    rawJson('charge-raw', data));
}

function showSchedule(out, data) {
  out.replaceChildren(
    verdict(data.ok === true, 'schedule-verdict', ...(data.ok
      ? bi(`다음 결제 예약됨: ${dateText(data.schedule_at)}`, `next charge scheduled for ${dateText(data.schedule_at)}`)
      : bi('예약 실패', 'Not scheduled'))),
    list([
      ['merchant_uid', data.merchant_uid, 'schedule-merchant_uid'],
      ['schedule_at', dateText(data.schedule_at), 'schedule-at'],
    ], ''),
    rawJson('schedule-raw', data));
}

function showWebhooks(out, rows) {
  if (!Array.isArray(rows) || rows.length === 0) {
    out.replaceChildren(h('p', { className: 'hint', 'data-testid': 'webhook-empty' }, ...bi('아직 받은 웹훅이 없습니다.', 'No webhook received yet.')));
    return;
  }
  // Newest first; each entry: what iamport said (status) and what the merchant server found when it
  // looked the payment up (verified_status).
  const items = [...rows].reverse().map((row) => {
    const verified = row.verified_status ?? '';
    const ok = verified === 'paid';
    return h('li', { 'data-testid': 'webhook-row', 'data-merchant_uid': String(row.merchant_uid ?? ''), 'data-status': String(verified || row.status || '') },
      h('span', { className: `pill ${ok ? 'ok' : verified === 'failed' ? 'fail' : ''}` }, String(verified || row.status || '?')),
      ' ',
      h('code', {}, String(row.merchant_uid ?? '')),
      h('span', { className: 'webhook-meta' },
        `imp_uid ${row.imp_uid ?? '-'} · status ${row.status ?? '-'} · verified ${verified || '-'} · ${dateText(row.received_at)}`));
  });
  out.replaceChildren(
    h('p', { className: 'hint' }, ...bi(
      `예제 가맹점 서버가 받은 웹훅 ${rows.length}건 (모든 고객, 최신 순)`,
      `${rows.length} received by the example merchant (every customer), newest first`,
    )),
    h('ol', { className: 'webhooks' }, items));
}

function showMerchantError(out, err) {
  out.dataset.status = 'error';
  out.replaceChildren(h('p', { className: 'verdict small fail', 'data-testid': 'merchant-error' }, '✗ ', String(err?.message ?? err)));
}

function merchantPanel(result) {
  const customer = result.customer_uid;
  const section = h('section', { className: 'merchant', 'data-testid': 'merchant', 'aria-labelledby': 'merchant-title' },
    h('h3', { id: 'merchant-title' }, ...bi('예제 가맹점 서버 (샌드박스)', 'Example merchant server (sandbox)')));

  const sandbox = globalThis.IMP_SANDBOX;
  if (sandbox?.backend?.() === 'browser') {
    // The window decided in the browser: the sandbox server knows nothing of this key.
    section.append(h('p', { className: 'note', 'data-testid': 'no-sandbox-server' }, ...bi(
      '샌드박스 서버가 없어 결제창이 브라우저 안에서 처리했습니다. make demo로 서버와 함께 실행하면 확인·결제·예약·웹훅을 해 볼 수 있습니다.',
      'No sandbox server answered, so the window decided in this browser. Run make demo to try confirm, charge, schedule and webhooks against the sandbox server.',
    )));
    return section;
  }

  const outputs = {};
  const actions = h('div', { className: 'merchant-actions' });
  const results = h('div', { className: 'merchant-results' });
  const webhookOut = h('div', { className: 'merchant-out', 'data-testid': 'webhook-log' });

  async function refreshWebhooks() {
    webhookOut.setAttribute('aria-busy', 'true');
    try {
      showWebhooks(webhookOut, await merchant('GET', '/merchant/webhooks'));
    } catch (err) {
      showMerchantError(webhookOut, err);
    } finally {
      webhookOut.removeAttribute('aria-busy');
    }
  }

  function action(key, ko, en, run, show) {
    const out = h('div', { className: 'merchant-out', 'data-testid': `${key}-result`, hidden: true });
    outputs[key] = out;
    const button = h('button', { type: 'button', className: 'ghost', 'data-testid': key }, ...bi(ko, en));
    button.addEventListener('click', async () => {
      button.disabled = true;
      out.hidden = false;
      out.setAttribute('aria-busy', 'true');
      out.replaceChildren(h('p', { className: 'hint' }, ...bi('요청 중…', 'Requesting…')));
      try {
        show(out, await run());
      } catch (err) {
        showMerchantError(out, err);
      } finally {
        out.removeAttribute('aria-busy');
        button.disabled = false;
        await refreshWebhooks();
      }
    });
    actions.append(button);
    results.append(out);
  }

  action('confirm', '결제 확인', 'Confirm', () => merchant('POST', '/merchant/confirm', {
    imp_uid: result.imp_uid, customer_uid: customer, merchant_uid: result.merchant_uid, amount: result.amount,
  }), showConfirm);
  action('charge', `지금 ${won(CHARGE.amount)} 결제`, `Charge ${won(CHARGE.amount)} now`,
    () => merchant('POST', '/merchant/charge', { customer_uid: customer, amount: CHARGE.amount, name: CHARGE.name }), showCharge);
  action('schedule', '매월 결제 예약', 'Schedule monthly',
    () => merchant('POST', '/merchant/schedule', { customer_uid: customer, amount: CHARGE.amount, name: CHARGE.name }), showSchedule);

  const refresh = h('button', { type: 'button', className: 'ghost small', 'data-testid': 'refresh-webhooks' }, ...bi('새로고침', 'Refresh'));
  refresh.addEventListener('click', refreshWebhooks);

  section.append(
    h('p', { className: 'hint' }, ...bi(
      '샌드박스 서버 안의 예제 가맹점 서버가 위 REST API를 호출합니다 (/merchant/…).',
      'An example merchant server inside the sandbox server makes the REST calls above (/merchant/…).',
    )),
    actions,
    results,
    h('div', { className: 'webhooks-head' }, h('h4', { id: 'webhooks-title' }, ...bi('웹훅 기록', 'Webhook log')), refresh),
    webhookOut,
  );
  refreshWebhooks();
  return section;
}

/**
 * What follows a success, for the result panel: the server step (curl by hand), and in sandbox mode
 * the example merchant server's buttons. `newMerchantUid` makes the merchant_uid of the next charge.
 */
export function serverPanel(result, { mode, newMerchantUid }) {
  return [serverStep(result, { mode, newMerchantUid }), mode === 'sandbox' ? merchantPanel(result) : null];
}
