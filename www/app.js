// The demo page: the form → requestBillingKey() → the result panel.
// The DOM is built with createElement/textContent only: nothing from the form or the SDK becomes HTML.

const SANDBOX = { src: './sandbox/iamport-sandbox.js', merchantCode: 'imp00000000' };
/** The charge the server step makes (now, and monthly from the schedule). */
const CHARGE = { amount: 1004, name: '정기결제' };

/** Form fields that can show an error, by name; err.field names that differ from them. */
const FIELDS = ['merchant_code', 'customer_uid', 'amount', 'name', 'buyer_name', 'buyer_tel', 'buyer_email', 'merchant_uid'];
const FIELD_ALIASES = { merchantCode: 'merchant_code' };

const $ = (id) => document.getElementById(id);
const form = $('billing-form');
const submit = $('submit');
const resultPanel = $('result');
const mode = new URLSearchParams(window.location.search).get('mode') === 'live' ? 'live' : 'sandbox';

/** `h('p', { className: 'x', 'data-testid': 'y' }, 'text', child…)`: strings become text nodes. */
function h(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null) continue;
    if (key.startsWith('data-') || key.startsWith('aria-') || key === 'role') node.setAttribute(key, String(value));
    else node[key] = value;
  }
  node.append(...children.flat().filter((c) => c !== undefined && c !== null && c !== false));
  return node;
}

/** Korean text with its English beside it. */
const bi = (ko, en) => [ko, ' ', h('span', { className: 'en' }, en)];

// ---- status line and busy state -------------------------------------------------------------------

function setStatus(state, ko, en) {
  const status = $('sdk-status');
  status.dataset.state = state;
  status.replaceChildren(...bi(ko, en));
}

function setBusy(busy, ko = '결제창 진행 중…', en = 'Payment window open…') {
  submit.disabled = busy;
  submit.classList.toggle('busy', busy);
  form.setAttribute('aria-busy', String(busy));
  submit.querySelector('.label').replaceChildren(...(busy ? bi(ko, en) : bi('빌링키 발급', 'Issue billing key')));
}

// ---- inline field errors --------------------------------------------------------------------------

/** The form field an `err.field` path belongs to (`display.card_quota[2]` → `display`), or null. */
function fieldFor(path) {
  const head = String(path ?? '').split(/[.[]/)[0];
  const name = FIELD_ALIASES[head] ?? head;
  return FIELDS.includes(name) ? name : null;
}

function showFieldError(name, message) {
  const error = $(`err-${name}`);
  const input = $(name);
  error.textContent = message;
  error.hidden = false;
  input.setAttribute('aria-invalid', 'true');
  input.closest('.field')?.classList.add('invalid');
  if (!input.disabled) input.focus();
}

function clearFieldErrors() {
  for (const name of FIELDS) {
    const error = $(`err-${name}`);
    error.hidden = true;
    error.textContent = '';
    $(name).removeAttribute('aria-invalid');
    $(name).closest('.field')?.classList.remove('invalid');
  }
}

// ---- reading the form -----------------------------------------------------------------------------

function keyOnly() {
  return form.elements.amount_mode.value === 'key-only';
}

/** The amount as the person typed it: a number when it looks like one, else the text (the library says why). */
function typedAmount() {
  const text = $('amount').value.trim();
  if (text === '') return undefined;
  return /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text;
}

function readParams() {
  const value = (id) => $(id).value;
  return {
    pg: 'danal_tpay',
    pay_method: 'card',
    merchant_uid: value('merchant_uid'),
    name: value('name'),
    amount: keyOnly() ? 0 : typedAmount(),
    customer_uid: value('customer_uid'),
    buyer_email: value('buyer_email'),
    buyer_name: value('buyer_name'),
    buyer_tel: value('buyer_tel'),
  };
}

function syncAmount() {
  const only = keyOnly();
  $('amount').disabled = only;
  $('price-row').classList.toggle('off', only);
  $('amount-hint').hidden = !only;
}

// ---- the result panel -----------------------------------------------------------------------------

function showPanel(state, ...children) {
  resultPanel.dataset.state = state;
  resultPanel.replaceChildren(h('h2', { id: 'result-title' }, ...bi('결과', 'Result')), ...children.filter(Boolean));
  if (state === 'invalid') return; // the focus is on the field to fix
  // On a phone the panel is below the form: bring it into view.
  const top = resultPanel.getBoundingClientRect().top;
  if (top < 0 || top > window.innerHeight * 0.6) resultPanel.scrollIntoView({ block: 'start' });
}

/** A `<dl>` of the rows that have a value; each `<dd>` is `data-testid=PREFIX+key`. */
function list(rows, prefix = 'result-') {
  const dl = h('dl', { className: 'facts' });
  for (const [label, value, key] of rows) {
    if (value === undefined || value === null || value === '') continue;
    dl.append(h('dt', {}, label), h('dd', { 'data-testid': `${prefix}${key}` }, String(value)));
  }
  return dl;
}

function rawDetails(raw) {
  let text;
  try {
    text = JSON.stringify(raw, null, 2);
  } catch (_) {
    text = String(raw);
  }
  return h('details', { className: 'raw' },
    h('summary', {}, ...bi('SDK 원본 응답', 'Raw callback value (result.raw)')),
    h('pre', { 'data-testid': 'result-raw' }, text));
}

function paidAtText(seconds) {
  if (typeof seconds !== 'number') return undefined;
  return `${new Date(seconds * 1000).toLocaleString('ko-KR')} (${seconds})`;
}

function showSuccess(result, lib) {
  const rows = [
    ['imp_uid', result.imp_uid, 'imp_uid'],
    ['merchant_uid', result.merchant_uid, 'merchant_uid'],
    ['customer_uid', result.customer_uid, 'customer_uid'],
    ['카드 · card_name', result.card_name, 'card_name'],
    ['카드번호 · card_number', result.card_number, 'card_number'],
    ['결제액 · paid_amount', result.paid_amount, 'paid_amount'],
    ['상태 · status', result.status, 'status'],
    ['PG · pg_provider', result.pg_provider, 'pg_provider'],
    ['승인시각 · paid_at', paidAtText(result.paid_at), 'paid_at'],
  ];
  const children = [
    h('p', { className: 'verdict ok', 'data-testid': 'result-verdict' }, ...bi('✓ 빌링키 발급 성공', 'Billing key issued')),
    list(rows),
  ];
  if (result.amount === 0) {
    children.push(h('p', { className: 'note', 'data-testid': 'test-charge-note' }, ...bi(
      '금액 0원: 다날이 카드 확인을 위해 10원을 결제했고, 약 30분 뒤 자동으로 취소됩니다.',
      'Amount 0: Danal charged 10 KRW to check the card and cancels it automatically after about 30 minutes.',
    )));
  }
  children.push(
    h('p', { className: 'hint' }, ...bi(
      '먼저 서버에서 GET /payments/{imp_uid}로 이 결제를 확인하세요.',
      'First confirm this imp_uid on your server (GET /payments/{imp_uid}).',
    )),
    serverStep(result, lib),
    mode === 'sandbox' ? merchantPanel(result) : null,
    rawDetails(result.raw),
  );
  showPanel('success', ...children);
}

function showFailure(result) {
  showPanel('failure',
    h('p', { className: 'verdict fail', 'data-testid': 'result-verdict' }, ...bi('✗ 발급되지 않음', 'No billing key')),
    list([
      ['error_code', result.error_code ?? '(없음 · none)', 'error_code'],
      ['error_msg', result.error_msg, 'error_msg'],
      ['imp_uid', result.imp_uid ?? '(없음 · none)', 'imp_uid'],
      ['merchant_uid', result.merchant_uid, 'merchant_uid'],
      ['customer_uid', result.customer_uid, 'customer_uid'],
    ]),
    h('p', { className: 'hint' }, ...bi(
      '결제되지 않은 주문번호는 다시 시도할 수 있습니다.',
      'An unpaid merchant_uid may be tried again.',
    )),
    rawDetails(result.raw),
  );
}

function showError(err) {
  const field = err?.code === 'INVALID_PARAM' ? fieldFor(err.field) : null;
  if (field) {
    showFieldError(field, err.message);
    showPanel('invalid', h('p', { className: 'verdict warn', 'data-testid': 'result-verdict' }, ...bi(
      '요청하지 않았습니다: 표시된 항목을 고쳐 주세요.',
      'Nothing was sent: fix the field marked in red.',
    )));
    return;
  }
  showPanel('error',
    h('p', { className: 'verdict fail', 'data-testid': 'result-verdict' }, ...bi('연동 오류', 'Integration error')),
    list([
      ['code', err?.code ?? err?.name ?? 'Error', 'code'],
      ['field', err?.field, 'field'],
      ['message', err?.message ?? String(err), 'message'],
    ]));
}

// ---- the server step ------------------------------------------------------------------------------
// What a merchant's server does after the window: confirm the payment, charge the key, schedule the
// next charges, and receive iamport's webhooks. The curl commands are that step by hand; in sandbox mode
// the sandbox server (make demo) also runs an example merchant server under /merchant/, and the buttons
// below call it. Nothing here holds a secret: the sandbox's REST key is public by design.

const shellQuote = (text) => `'${text.replaceAll("'", `'\\''`)}'`;
const won = (amount) => `${Number(amount).toLocaleString('ko-KR')}원`;

/** Where the REST API is: the sandbox server itself in sandbox mode, iamport in live mode. */
function apiBase() {
  return mode === 'sandbox' ? window.location.origin : 'https://api.iamport.kr';
}

function curlCommands(result, lib) {
  const base = apiBase();
  const credentials = mode === 'sandbox'
    ? { imp_key: 'sandbox_key', imp_secret: 'sandbox_secret' }
    : { imp_key: 'YOUR_REST_API_KEY', imp_secret: 'YOUR_REST_API_SECRET' };
  const again = { customer_uid: result.customer_uid, merchant_uid: lib.newMerchantUid(), amount: CHARGE.amount, name: CHARGE.name };
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

function serverStep(result, lib) {
  const curl = curlCommands(result, lib);
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

// ---- wiring ---------------------------------------------------------------------------------------

function request(lib, params) {
  setBusy(true);
  let pending;
  try {
    pending = lib.requestBillingKey(params);
  } catch (err) {
    pending = Promise.reject(err);
  }
  pending
    .then((result) => {
      if (result.success) {
        showSuccess(result, lib);
        $('merchant_uid').value = lib.newMerchantUid(); // this one is paid now
      } else {
        showFailure(result);
      }
    }, showError)
    .finally(() => setBusy(false));
}

// The live SDK starts loading as soon as a merchant code is entered, so that on submit
// requestBillingKey (and IMP.request_pay) usually runs synchronously inside the click handler.
let liveReady = null; // the merchant code whose SDK load succeeded

function preloadLive(lib) {
  const merchantCode = $('merchant_code').value.trim();
  if (!/^imp[0-9]{8}$/.test(merchantCode) || liveReady === merchantCode) return;
  lib.loadIamport({ merchantCode }).then(
    () => {
      liveReady = merchantCode;
      setStatus('ready', `아임포트 SDK 준비됨 (${merchantCode})`, 'iamport SDK ready');
    },
    () => {}, // reported on submit, next to the field
  );
}

async function requestLive(lib, params) {
  const merchantCode = $('merchant_code').value.trim();
  if (merchantCode === '') {
    showFieldError('merchant_code', '가맹점 식별코드를 입력하세요. (Enter your merchant code: imp + 8 digits.)');
    return;
  }
  if (liveReady === merchantCode) {
    request(lib, params); // synchronous: still inside the click handler
    return;
  }
  setBusy(true, 'SDK 불러오는 중…', 'Loading the SDK…');
  try {
    await lib.loadIamport({ merchantCode });
  } catch (err) {
    setBusy(false);
    if (err?.code === 'SDK_LOAD_FAILED') {
      setStatus('error', '아임포트 SDK를 불러오지 못했습니다.', 'The iamport SDK did not load.');
    }
    showError(err);
    return;
  }
  liveReady = merchantCode;
  setStatus('ready', `아임포트 SDK 준비됨 (${merchantCode})`, 'iamport SDK ready');
  // First submit before the preload finished: still within the click's user activation (a few seconds): iamport opens an iframe on a PC and
  // redirects on a phone, so no popup blocker is involved.
  request(lib, params);
}

function setUpMode() {
  form.elements.mode.value = mode;
  for (const radio of form.elements.mode) {
    radio.addEventListener('change', () => {
      // One SDK per page: switching reloads with the other one.
      window.location.search = radio.value === 'live' ? '?mode=live' : '';
    });
  }
  if (mode === 'live') {
    $('merchant-code-field').hidden = false;
    $('mode-hint').replaceChildren(...bi(
      '실제 아임포트 SDK와 다날 결제창을 사용합니다. 실제 카드로 결제됩니다.',
      "Uses iamport's real SDK and Danal's window: a real card is charged.",
    ));
  }
}

async function main() {
  setUpMode();
  let lib;
  try {
    lib = await import('./pkg/index.js');
  } catch (err) {
    setStatus('error', 'pkg/를 불러오지 못했습니다: make demo로 실행하세요.', `Could not load ./pkg/index.js (run make demo): ${err}`);
    return;
  }

  try {
    await lib.ready(); // the synchronous exports (newMerchantUid, parseRedirect…) need the wasm
  } catch (err) {
    setStatus('error', 'WebAssembly를 불러오지 못했습니다.', `The WebAssembly module did not load: ${err.message ?? err}`);
    return;
  }

  $('merchant_uid').value = lib.newMerchantUid();
  $('renew-merchant-uid').addEventListener('click', () => {
    $('merchant_uid').value = lib.newMerchantUid();
  });
  for (const radio of form.elements.amount_mode) radio.addEventListener('change', syncAmount);
  syncAmount();

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (submit.disabled) return;
    clearFieldErrors();
    const params = readParams();
    if (mode === 'live') requestLive(lib, params);
    else request(lib, params);
  });

  if (mode === 'live') {
    setStatus('idle', '실결제 모드: 가맹점 식별코드를 입력하면 아임포트 SDK를 불러옵니다.', 'Live: the SDK loads once you enter your merchant code.');
    $('merchant_code').addEventListener('change', () => preloadLive(lib));
    submit.disabled = false;
    return;
  }
  try {
    await lib.loadIamport(SANDBOX);
    setStatus('ready', `샌드박스 SDK 준비됨 (${SANDBOX.merchantCode})`, 'Sandbox SDK ready');
    submit.disabled = false;
  } catch (err) {
    setStatus('error', '샌드박스 SDK를 불러오지 못했습니다.', `The sandbox SDK did not load: ${err.message ?? err}`);
  }
}

main();
