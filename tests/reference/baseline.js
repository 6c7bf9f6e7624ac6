// tests/reference/baseline.js — the plain-JS wrapper `make bench` compares iamport-billing against.
//
// The same contract as the package's `requestBillingKey(params, options)`, written by hand in JS:
// the same validation rules in the same order (src/params.rs, src/options.rs), the same defaults and
// the same object handed to `IMP.request_pay` (key order included), a generated `merchant_uid`, the
// `sessionStorage` record for `m_redirect_url`, single flight, an optional timeout, and the callback
// decoded with the same success rule and result fields (src/response.rs). It is meant to be a fair
// baseline — what a careful developer would write without WebAssembly — not a strawman. It is not
// shipped and not tested beyond the benchmark's own equivalence check.

const KNOWN_FIELDS = [
  'pg', 'channelKey', 'pay_method', 'merchant_uid', 'name', 'amount', 'customer_uid', 'buyer_email',
  'buyer_name', 'buyer_tel', 'buyer_addr', 'buyer_postcode', 'company', 'customer_id', 'm_redirect_url',
  'notice_url', 'confirm_url', 'custom_data', 'language', 'currency', 'popup', 'period', 'display',
  'tax_free', 'app_scheme', 'card', 'bypass',
];
const KNOWN = new Set(KNOWN_FIELDS);
const SECRET_LIKE = new Set(['impkey', 'impsecret', 'apikey', 'apisecret', 'secret', 'accesstoken',
  'restapikey', 'restapisecret', 'secretkey']);
const DEFAULT_PG = 'danal_tpay';
const MAX_SAFE = Number.MAX_SAFE_INTEGER;
const STORAGE_PREFIX = 'iamport-billing:';
const DEFAULT_ERROR_MSG = '결제가 완료되지 않았습니다. (The payment window reported no billing key and gave no reason.)';
const MALFORMED_MSG = "결제창의 응답을 해석할 수 없습니다. (The payment window's response was not an object.)";
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const WS = /\s/;

export class BillingKeyError extends Error {
  constructor(code, message, field, merchant_uid, customer_uid) {
    super(message);
    this.name = 'BillingKeyError';
    this.code = code;
    if (field !== undefined) this.field = field;
    if (merchant_uid !== undefined) this.merchant_uid = merchant_uid;
    if (customer_uid !== undefined) this.customer_uid = customer_uid;
  }
}

const invalid = (field, message) => new BillingKeyError('INVALID_PARAM', message, field);

const isPlain = (v) => {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
};

function typeName(v) {
  switch (typeof v) {
    case 'undefined': return 'undefined';
    case 'boolean': return 'a boolean';
    case 'string': return 'a string';
    case 'bigint': return 'a BigInt';
    case 'symbol': return 'a Symbol';
    case 'function': return 'a function';
    case 'number': return Number.isFinite(v) ? 'a number' : 'NaN or Infinity';
    default:
      if (v === null) return 'null';
      if (Array.isArray(v)) return 'an array';
      return isPlain(v) ? 'an object' : 'an object that is not a plain object (Map, Set, class instance…)';
  }
}

function notA(field, expected, got) {
  const article = /^[aeiou]/.test(expected) ? 'an ' : 'a ';
  let msg = `${field} must be ${article}${expected} (got ${typeName(got)})`;
  if (expected === 'number' && typeof got === 'string' && got.length <= 20 && /^[0-9]+$/.test(got)) {
    msg += `: write ${got}, not '${got}'`;
  }
  return invalid(field, msg);
}

const required = (field) => invalid(field, `${field} is required`);
const absent = (v) => v === undefined || v === null || v === '';
const charCount = (s) => { let n = 0; for (const _ of s) n++; return n; };

function optString(params, key) {
  const v = params[key];
  if (absent(v)) return undefined;
  if (typeof v !== 'string') throw notA(key, 'string', v);
  return v;
}

function checkText(field, s, max) {
  const n = charCount(s);
  if (n > max) throw invalid(field, `${field} must be at most ${max} characters (got ${n})`);
  if (CONTROL.test(s)) throw invalid(field, `${field} must not contain control characters`);
}

function checkUrl(field, url) {
  const m = /^https?:\/\/([^/?#]*)/i.exec(url);
  const host = m ? m[1] : undefined;
  const ok = host !== undefined && host !== '' && host[0] !== '@' && host[0] !== ':'
    && charCount(url) <= 2048 && !WS.test(url) && !CONTROL.test(url);
  if (!ok) throw invalid(field, `${field} must be an absolute http(s) URL, like https://shop.example/path`);
}

const isSafeAmount = (v) => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const outOfRange = (field) => invalid(field, `${field} must be a whole number of KRW from 0 to 9007199254740991`);

/** The first value JSON cannot carry inside `v` (what the package's glue marks), as [path, kind]. */
function findUnsupported(v, path) {
  switch (typeof v) {
    case 'bigint': case 'symbol': case 'function': case 'undefined':
      return [path, typeName(v)];
    case 'number':
      return Number.isFinite(v) ? null : [path, 'NaN or Infinity'];
    case 'object':
      if (v === null) return null;
      if (Array.isArray(v)) {
        for (let i = 0; i < v.length; i++) {
          const found = findUnsupported(v[i], `${path}[${i}]`);
          if (found) return found;
        }
        return null;
      }
      if (!isPlain(v)) return [path, typeName(v)];
      for (const k of Object.keys(v)) {
        if (v[k] === undefined) continue; // JSON.stringify drops it
        const found = findUnsupported(v[k], `${path}.${k}`);
        if (found) return found;
      }
      return null;
    default:
      return null;
  }
}

function checkJson(field, v) {
  const found = findUnsupported(v, field);
  if (found) throw invalid(found[0], `${found[0]} must be JSON data (got ${found[1]})`);
}

function editDistanceWithin(a, b, limit) {
  a = [...a.toLowerCase()]; b = [...b.toLowerCase()];
  if (Math.abs(a.length - b.length) > limit) return null;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  let cur = new Array(b.length + 1).fill(0);
  for (let i = 0; i < a.length; i++) {
    cur[0] = i + 1;
    for (let j = 0; j < b.length; j++) {
      cur[j + 1] = Math.min(prev[j] + (a[i] !== b[j] ? 1 : 0), prev[j + 1] + 1, cur[j] + 1);
    }
    [prev, cur] = [cur, prev];
  }
  const d = prev[b.length];
  return d <= limit ? d : null;
}

function unknownField(key, known, parent) {
  const shown = charCount(key) > 64 ? `${[...key].slice(0, 64).join('')}…` : key;
  const path = parent ? `${parent}.${shown}` : shown;
  const folded = key.replace(/[_-]/g, '').toLowerCase();
  if (!parent && SECRET_LIKE.has(folded)) {
    return invalid(path, `${path} looks like a server secret: REST API keys, secrets and access tokens belong in the server client's config only, never in a request's params, and never in the browser`);
  }
  let best = null;
  if (charCount(key) <= 64) {
    for (const candidate of known) {
      const d = editDistanceWithin(key, candidate, 2);
      if (d !== null && (best === null || d < best[0])) best = [d, candidate];
    }
  }
  let msg = `${path} is not a known parameter`;
  if (best) msg += `; did you mean ${best[1]}?`;
  else if (!parent) msg += ' of a Danal billing-key request';
  return invalid(path, msg);
}

function parseYmd(s) {
  if (!/^[0-9]{8}$/.test(s)) return null;
  const n = Number(s);
  const year = Math.floor(n / 10000), month = Math.floor(n / 100) % 100, day = n % 100;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [0, 31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month];
  return days && year >= 1900 && day >= 1 && day <= days ? n : null;
}

function checkPeriod(v) {
  if (!isPlain(v)) throw notA('period', "object like {from: 'YYYYMMDD', to: 'YYYYMMDD'}", v);
  for (const k of Object.keys(v)) if (v[k] !== undefined && k !== 'from' && k !== 'to') throw unknownField(k, ['from', 'to'], 'period');
  const dates = [];
  for (const key of ['from', 'to']) {
    const path = `period.${key}`;
    const s = v[key];
    if (absent(s)) throw required(path);
    if (typeof s !== 'string') throw notA(path, 'string', s);
    const n = parseYmd(s);
    if (n === null) throw invalid(path, `${path} must be a date written YYYYMMDD, like 20260101`);
    dates.push(n);
  }
  if (dates[0] > dates[1]) throw invalid('period.from', 'period.from must not be after period.to');
}

function checkDisplay(v) {
  if (!isPlain(v)) throw notA('display', 'object like {card_quota: [0, 2, 3]}', v);
  for (const k of Object.keys(v)) if (v[k] !== undefined && k !== 'card_quota') throw unknownField(k, ['card_quota'], 'display');
  const q = v.card_quota;
  if (absent(q)) return;
  if (!Array.isArray(q)) throw notA('display.card_quota', 'array of months', q);
  q.forEach((m, i) => {
    if (!(Number.isSafeInteger(m) && m >= 0 && m <= 36)) {
      throw invalid(`display.card_quota[${i}]`, `display.card_quota[${i}] must be a whole number of months from 0 to 36`);
    }
  });
}

const copy = (v) => (v === undefined ? undefined : JSON.parse(JSON.stringify(v)));

/** Validates `params` (the package's rules, in its order); returns [fields in IMP order, ids]. */
export function validate(params) {
  if (!isPlain(params)) throw invalid('params', `params must be a plain object (got ${typeName(params)})`);
  for (const key of Object.keys(params)) {
    if (params[key] !== undefined && !KNOWN.has(key)) throw unknownField(key, KNOWN_FIELDS, '');
  }
  const out = {};

  const customer_uid = optString(params, 'customer_uid');
  if (customer_uid === undefined) throw required('customer_uid');
  checkText('customer_uid', customer_uid, 80);
  if (WS.test(customer_uid[0]) || WS.test(customer_uid[customer_uid.length - 1])) {
    throw invalid('customer_uid', 'customer_uid must not start or end with whitespace');
  }
  if (/[/?#%\\]/.test(customer_uid)) {
    throw invalid('customer_uid', 'customer_uid must not contain / ? # % or \\ (it becomes a REST API path segment)');
  }
  out.customer_uid = customer_uid;

  const amount = params.amount;
  if (absent(amount)) throw required('amount');
  if (typeof amount !== 'number') throw notA('amount', 'number', amount);
  if (!isSafeAmount(amount)) throw outOfRange('amount');
  out.amount = amount;

  const payMethod = optString(params, 'pay_method');
  if (payMethod !== undefined && payMethod !== 'card') {
    throw invalid('pay_method', "pay_method must be 'card': Danal billing keys are issued for credit cards only");
  }
  out.pay_method = 'card';

  const pg = optString(params, 'pg');
  const channelKey = optString(params, 'channelKey');
  if (pg !== undefined && pg !== DEFAULT_PG && !/^danal_tpay\.[A-Za-z0-9_-]+$/.test(pg)) {
    throw invalid('pg', "pg must be 'danal_tpay' or 'danal_tpay.<CPID>' (this library issues Danal credit-card billing keys)");
  }
  if (pg !== undefined && channelKey !== undefined) {
    throw invalid('channelKey', 'channelKey and pg select the same thing: give one of them, not both');
  }
  if (channelKey !== undefined) {
    checkText('channelKey', channelKey, 55);
    out.channelKey = channelKey;
  } else {
    out.pg = pg ?? DEFAULT_PG;
  }

  const merchant_uid = optString(params, 'merchant_uid');
  if (merchant_uid !== undefined) checkText('merchant_uid', merchant_uid, 40);
  const name = optString(params, 'name');
  if (name !== undefined) { checkText('name', name, 40); out.name = name; }

  const tel = optString(params, 'buyer_tel');
  if (tel === undefined) throw invalid('buyer_tel', "buyer_tel is required (Danal's payment window can fail without it)");
  checkText('buyer_tel', tel, 16);
  if (!/^[0-9 +\-()]*$/.test(tel) || !/[0-9]/.test(tel)) {
    throw invalid('buyer_tel', 'buyer_tel must be a phone number: digits, spaces and + - ( ) only');
  }
  out.buyer_tel = tel;

  const email = optString(params, 'buyer_email');
  if (email !== undefined) {
    checkText('buyer_email', email, 64);
    const parts = email.split('@');
    if (parts.length !== 2 || !parts[0] || !parts[1] || WS.test(email)) {
      throw invalid('buyer_email', 'buyer_email must look like name@example.com (one @, no spaces)');
    }
    out.buyer_email = email;
  }
  for (const [key, max] of [['buyer_name', 16], ['buyer_addr', 128], ['buyer_postcode', 8], ['company', 40], ['customer_id', 80]]) {
    const v = optString(params, key);
    if (v !== undefined) { checkText(key, v, max); out[key] = v; }
  }

  const m_redirect_url = optString(params, 'm_redirect_url');
  if (m_redirect_url !== undefined) { checkUrl('m_redirect_url', m_redirect_url); out.m_redirect_url = m_redirect_url; }

  const notice = params.notice_url;
  if (!absent(notice)) {
    if (typeof notice === 'string') {
      checkUrl('notice_url', notice);
    } else if (Array.isArray(notice)) {
      if (notice.length === 0) throw invalid('notice_url', 'notice_url must be a URL or a non-empty array of URLs');
      notice.forEach((u, i) => {
        if (typeof u !== 'string') throw notA(`notice_url[${i}]`, 'string', u);
        checkUrl(`notice_url[${i}]`, u);
      });
    } else {
      throw notA('notice_url', 'string or an array of strings', notice);
    }
    out.notice_url = copy(notice);
  }

  const data = params.custom_data;
  if (data !== undefined && data !== null && data !== '') { checkJson('custom_data', data); out.custom_data = copy(data); }

  const language = optString(params, 'language');
  if (language !== undefined) {
    if (language !== 'ko' && language !== 'en' && language !== 'zh') throw invalid('language', "language must be 'ko', 'en' or 'zh'");
    out.language = language;
  }
  const currency = optString(params, 'currency');
  if (currency !== undefined) {
    if (currency !== 'KRW') throw invalid('currency', "currency must be 'KRW' (Danal credit-card billing is in won)");
    out.currency = currency;
  }
  const popup = params.popup;
  if (!absent(popup)) {
    if (typeof popup !== 'boolean') throw notA('popup', 'boolean', popup);
    out.popup = popup;
  }
  if (!absent(params.period)) { checkPeriod(params.period); out.period = copy(params.period); }
  if (!absent(params.display)) { checkDisplay(params.display); out.display = copy(params.display); }

  const taxFree = params.tax_free;
  if (!absent(taxFree)) {
    if (typeof taxFree !== 'number') throw notA('tax_free', 'number', taxFree);
    if (!isSafeAmount(taxFree)) throw outOfRange('tax_free');
    if (taxFree > amount) throw invalid('tax_free', 'tax_free must not be more than amount');
    out.tax_free = taxFree;
  }
  const scheme = optString(params, 'app_scheme');
  if (scheme !== undefined) { checkText('app_scheme', scheme, 200); out.app_scheme = scheme; }
  const confirm = optString(params, 'confirm_url');
  if (confirm !== undefined) { checkUrl('confirm_url', confirm); out.confirm_url = confirm; }
  for (const key of ['card', 'bypass']) {
    const v = params[key];
    if (absent(v)) continue;
    if (!isPlain(v)) throw notA(key, 'object', v);
    checkJson(key, v);
    out[key] = copy(v);
  }
  return { out, customer_uid, amount, merchant_uid, m_redirect_url };
}

function readOptions(options) {
  if (options === undefined || options === null) return undefined;
  if (!isPlain(options)) throw invalid('options', `options must be an object (got ${typeName(options)})`);
  let timeoutMs;
  for (const key of Object.keys(options)) {
    const v = options[key];
    if (v === undefined) continue;
    if (key !== 'timeoutMs') throw unknownField(key, ['timeoutMs'], '');
    if (v === null) continue;
    if (!(Number.isSafeInteger(v) && v >= 1)) {
      throw invalid('timeoutMs', 'timeoutMs must be a positive whole number of milliseconds');
    }
    timeoutMs = Math.min(v, 2147483647); // the browser timer limit
  }
  return timeoutMs;
}

const DIGITS = '0123456789abcdefghijklmnopqrstuvwxyz';

/** `{prefix}_{time in base 36}{10 hex digits of randomness}`, like the package's. */
export function newMerchantUid(prefix = 'billing') {
  if (typeof prefix !== 'string' || !/^[A-Za-z0-9_-]{1,20}$/.test(prefix)) {
    throw invalid('prefix', 'prefix must be 1-20 characters of A-Z, a-z, 0-9, _ or -');
  }
  const random = new Uint8Array(5);
  try { crypto.getRandomValues(random); } catch (_) { for (let i = 0; i < 5; i++) random[i] = Math.random() * 256; }
  let hex = '';
  for (const b of random) hex += DIGITS[b >> 4] + DIGITS[b & 15];
  return `${prefix}_${Date.now().toString(36).slice(-9)}${hex}`;
}

const nonEmpty = (r, k) => (typeof r[k] === 'string' && r[k] !== '' ? r[k] : undefined);
const isFalse = (v) => v === false || v === 'false';

/** iamport's success rule (src/response.rs `is_success`). */
export function isSuccess(r) {
  if (nonEmpty(r, 'error_code') !== undefined || isFalse(r.success) || isFalse(r.imp_success)) return false;
  return nonEmpty(r, 'imp_uid') !== undefined;
}

const OPTIONAL_STRINGS = ['pay_method', 'paid_amount', 'status', 'name', 'pg_provider', 'pg_tid', 'pg_type',
  'currency', 'card_name', 'card_number', 'card_quota', 'apply_num', 'paid_at', 'receipt_url', 'buyer_name',
  'buyer_email', 'buyer_tel', 'buyer_addr', 'buyer_postcode'];
const NUMBERS = new Set(['paid_amount', 'card_quota', 'paid_at']);
const STATUSES = new Set(['ready', 'paid', 'failed', 'cancelled']);

function decode(raw, ctx) {
  if (!isPlain(raw)) {
    return { success: false, imp_uid: null, merchant_uid: ctx.merchant_uid, customer_uid: ctx.customer_uid,
      amount: ctx.amount, error_code: 'MALFORMED_RESPONSE', error_msg: MALFORMED_MSG, raw };
  }
  const merchant_uid = nonEmpty(raw, 'merchant_uid') ?? ctx.merchant_uid;
  if (!isSuccess(raw)) {
    return { success: false, imp_uid: nonEmpty(raw, 'imp_uid') ?? null, merchant_uid, customer_uid: ctx.customer_uid,
      amount: ctx.amount, error_code: nonEmpty(raw, 'error_code') ?? null,
      error_msg: nonEmpty(raw, 'error_msg') ?? DEFAULT_ERROR_MSG, raw };
  }
  const result = { success: true, imp_uid: raw.imp_uid, merchant_uid, customer_uid: ctx.customer_uid, amount: ctx.amount };
  for (const key of OPTIONAL_STRINGS) {
    const v = raw[key];
    if (NUMBERS.has(key)) {
      if (Number.isSafeInteger(v) && v >= 0) result[key] = v;
    } else if (key === 'status') {
      if (STATUSES.has(v)) result.status = v;
    } else if (typeof v === 'string' && v !== '') {
      result[key] = v;
    }
  }
  const data = raw.custom_data;
  if (data !== undefined && data !== null && findUnsupported(data, '') === null) result.custom_data = copy(data);
  result.raw = raw;
  return result;
}

let pending = null; // { id, ctx, resolve, reject, timer }
let nextId = 0;

function take(id) {
  if (pending === null || pending.id !== id) return null;
  const p = pending;
  pending = null;
  if (p.timer !== undefined) clearTimeout(p.timer);
  return p;
}

function sdkError(p, message) {
  p.reject(new BillingKeyError('SDK_ERROR', `IMP.request_pay failed: ${message}`, undefined, p.ctx.merchant_uid, p.ctx.customer_uid));
}

/** The baseline `requestBillingKey(params, options?)`. */
export function requestBillingKey(params, options) {
  let checked, timeoutMs;
  try {
    checked = validate(params);
    timeoutMs = readOptions(options);
  } catch (e) {
    return Promise.reject(e);
  }
  if (pending !== null) {
    return Promise.reject(new BillingKeyError('IN_PROGRESS', 'another billing-key request is still open; wait for it to settle before starting a new one'));
  }
  let imp;
  try { imp = globalThis.IMP; } catch (_) { imp = undefined; }
  if (imp == null || typeof imp.request_pay !== 'function') {
    return Promise.reject(new BillingKeyError('IMP_NOT_LOADED', 'the iamport SDK is not loaded (globalThis.IMP.request_pay is not a function): call loadIamport() or add <script src="https://cdn.iamport.kr/v1/iamport.js"> first'));
  }
  const merchant_uid = checked.merchant_uid ?? newMerchantUid();
  const ctx = { merchant_uid, customer_uid: checked.customer_uid, amount: checked.amount };
  if (checked.m_redirect_url !== undefined) {
    try { sessionStorage.setItem(STORAGE_PREFIX + merchant_uid, JSON.stringify(ctx)); } catch (_) { /* best effort */ }
  }
  // The object IMP receives, in the package's key order, merchant_uid included.
  const param = {};
  for (const key of KNOWN_FIELDS) {
    if (key === 'merchant_uid') param.merchant_uid = merchant_uid;
    else if (checked.out[key] !== undefined) param[key] = checked.out[key];
  }
  const id = ++nextId;
  return new Promise((resolve, reject) => {
    pending = { id, ctx, resolve, reject, timer: undefined };
    if (timeoutMs !== undefined) {
      pending.timer = setTimeout(() => {
        const p = take(id);
        if (p) p.reject(new BillingKeyError('TIMEOUT', `no response from the payment window within ${timeoutMs} ms (merchant_uid ${merchant_uid}); the payment may still complete: confirm it on your server`, undefined, merchant_uid, ctx.customer_uid));
      }, timeoutMs);
    }
    const callback = (response) => {
      const p = take(id);
      if (p === null) return; // late or repeated: ignored
      try { p.resolve(decode(response, p.ctx)); } catch (_) { /* never throw into the SDK */ }
    };
    let returned;
    try {
      returned = imp.request_pay(param, callback);
    } catch (e) {
      const p = take(id);
      if (p) sdkError(p, `it threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
      return;
    }
    if (returned === false) {
      const p = take(id);
      if (p) sdkError(p, 'it returned false');
    }
  });
}
