// The demo's form and result panel: status line, busy state, inline field errors, reading the form,
// and the result as the person sees it (bilingual). Presentation only: app.js does the integration.
import { h, bi, list } from './dom.js';

/** Form fields that can show an error, by name; err.field names that differ from them. */
const FIELDS = ['merchant_code', 'customer_uid', 'amount', 'name', 'buyer_name', 'buyer_tel', 'buyer_email', 'merchant_uid'];
const FIELD_ALIASES = { merchantCode: 'merchant_code' };

const $ = (id) => document.getElementById(id);
export const form = $('billing-form');
export const submit = $('submit');
const resultPanel = $('result');
export const mode = new URLSearchParams(window.location.search).get('mode') === 'live' ? 'live' : 'sandbox';

// ---- status line and busy state -------------------------------------------------------------------

export function setStatus(state, ko, en) {
  const status = $('sdk-status');
  status.dataset.state = state;
  status.replaceChildren(...bi(ko, en));
}

export function setBusy(busy, ko = '결제창 진행 중…', en = 'Payment window open…') {
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

export function showFieldError(name, message) {
  const error = $(`err-${name}`);
  const input = $(name);
  error.textContent = message;
  error.hidden = false;
  input.setAttribute('aria-invalid', 'true');
  input.closest('.field')?.classList.add('invalid');
  if (!input.disabled) input.focus();
}

export function clearFieldErrors() {
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

export function readParams() {
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

export function syncAmount() {
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

/** The success panel; `server` is what happens next on the server (server-panel.js). */
export function showSuccess(result, ...server) {
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
    ...server,
    rawDetails(result.raw),
  );
  showPanel('success', ...children);
}

export function showFailure(result) {
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

export function showError(err) {
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

/** The mode switch: sandbox (the stand-in SDK and server) or live (iamport's SDK, a real card). */
export function setUpMode() {
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

/** The merchant code typed in live mode. */
export const merchantCode = () => $('merchant_code').value.trim();

/** A fresh merchant_uid in the form (`newMerchantUid` from the package). */
export function renewMerchantUid(newMerchantUid) {
  $('merchant_uid').value = newMerchantUid();
}

/** Wires the form's own controls: the renew button and the amount switch. */
export function wireForm(newMerchantUid) {
  renewMerchantUid(newMerchantUid);
  $('renew-merchant-uid').addEventListener('click', () => renewMerchantUid(newMerchantUid));
  for (const radio of form.elements.amount_mode) radio.addEventListener('change', syncAmount);
  syncAmount();
}
