// The demo page: the form → requestBillingKey() → the result panel.
// The DOM is built with createElement/textContent only: nothing from the form or the SDK becomes HTML.

const SANDBOX = { src: './sandbox/iamport-sandbox.js', merchantCode: 'imp00000000' };
const AGAIN_URL = 'https://api.iamport.kr/subscribe/payments/again';
const DEFAULT_AGAIN_AMOUNT = 1004;

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
    if (key.startsWith('data-') || key.startsWith('aria-')) node.setAttribute(key, String(value));
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
  resultPanel.replaceChildren(h('h2', { id: 'result-title' }, ...bi('결과', 'Result')), ...children);
  if (state === 'invalid') return; // the focus is on the field to fix
  // On a phone the panel is below the form: bring it into view.
  const top = resultPanel.getBoundingClientRect().top;
  if (top < 0 || top > window.innerHeight * 0.6) resultPanel.scrollIntoView({ block: 'start' });
}

function list(rows) {
  const dl = h('dl', { className: 'facts' });
  for (const [label, value, key] of rows) {
    if (value === undefined || value === null || value === '') continue;
    dl.append(h('dt', {}, label), h('dd', { 'data-testid': `result-${key}` }, String(value)));
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

const shellQuote = (text) => `'${text.replaceAll("'", `'\\''`)}'`;

function againBody(result, lib) {
  const typed = Number($('amount').value);
  const amount = result.amount > 0 ? result.amount
    : Number.isSafeInteger(typed) && typed > 0 ? typed : DEFAULT_AGAIN_AMOUNT;
  return { customer_uid: result.customer_uid, merchant_uid: lib.newMerchantUid(), amount, name: '정기결제' };
}

function curlFor(body) {
  return [
    `curl -X POST ${AGAIN_URL} \\`,
    '  -H "Authorization: Bearer $IAMPORT_ACCESS_TOKEN" \\',
    '  -H "Content-Type: application/json" \\',
    `  -d ${shellQuote(JSON.stringify(body))}`,
  ].join('\n');
}

function serverStep(result, lib) {
  const body = againBody(result, lib);
  const curl = curlFor(body);
  const copy = h('button', { type: 'button', className: 'ghost small', 'data-testid': 'copy-curl' }, ...bi('복사', 'Copy'));
  copy.addEventListener('click', () => {
    const write = navigator.clipboard ? navigator.clipboard.writeText(curl) : Promise.reject(new Error('no clipboard'));
    write.then(
      () => copy.replaceChildren(...bi('복사됨', 'Copied')),
      () => copy.replaceChildren(...bi('복사 실패', 'Copy failed')),
    );
  });
  const section = h('section', { className: 'server-step', 'data-testid': 'server-step' },
    h('h3', {}, ...bi('다음 단계: 서버에서 결제', 'Next: charge from your server')),
    h('p', {}, ...bi(
      `빌링키가 customer_uid "${result.customer_uid}"로 저장되었습니다. 다음 결제는 서버가 REST API로 요청합니다:`,
      'The key is stored under this customer_uid. Later charges are requests from your server:',
    )),
    h('div', { className: 'code' }, h('pre', { 'data-testid': 'curl' }, curl), copy),
    h('p', { className: 'warning', 'data-testid': 'server-warning' }, ...bi(
      '⚠ 서버의 access token이 필요합니다 (REST API 키·시크릿으로 POST /users/getToken에서 발급). 절대 브라우저에서 실행하지 마세요.',
      "Needs your server's access token (from POST /users/getToken with your REST API key and secret). Never run it in the browser.",
    )),
  );
  const sandbox = globalThis.IMP_SANDBOX;
  if (mode === 'sandbox' && sandbox && typeof sandbox.paymentsAgain === 'function') {
    section.append(simulation(sandbox, body));
  }
  return section;
}

/** Runs the curl's request against the sandbox's store, labelled as the simulation it is. */
function simulation(sandbox, body) {
  const output = h('pre', { 'data-testid': 'again-result', hidden: true });
  const run = h('button', { type: 'button', className: 'ghost', 'data-testid': 'simulate-again' },
    ...bi('시뮬레이션 실행', 'Run the simulation'));
  run.addEventListener('click', async () => {
    run.disabled = true;
    const reply = await sandbox.paymentsAgain(body);
    output.textContent = JSON.stringify(reply, null, 2);
    output.hidden = false;
    run.disabled = false;
  });
  return h('div', { className: 'simulation' },
    h('p', {}, h('strong', { className: 'badge' }, 'SIMULATION'), ' ', ...bi(
      '샌드박스가 서버 호출을 흉내 냅니다. 실제로 전송되는 것은 없습니다.',
      "The sandbox imitates the server's call against its own store; nothing is sent anywhere.",
    )),
    run,
    output);
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
