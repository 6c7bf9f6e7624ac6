// iamport-billing: the JavaScript side of the bindings in src/web/bindings.rs, and the JavaScript
// API over them. Only strings and numbers cross into the wasm: every argument goes in as JSON text
// (`encode`), every answer comes back as JSON text. Nothing here judges a value; the rules and the
// decoding are in the wasm. Nothing here throws, except the synchronous API functions, which throw
// the BillingKeyError the wasm described.
// State: the wasm's handlers (set once), the open Promises by token, the request timers, the
// loader's set of dead scripts, and scratch values (randomBytes' buffer, the callback value being
// reported).

// The wasm's two entry points, `call(op, arg, options, token)` (the API below) and
// `report(kind, id, text)` (an IMP callback, a timer, a script load), numbered as in
// src/web/exports.rs: the npm package's core.js passes the wasm's exports; a Rust app (or the
// crate's browser tests) passes closures. And the error class every failure is an instance of.
let wasm;
let ErrorClass;

/** Sets the wasm's entry points and the error class (once, before any call). */
export function setHandlers(handlers, errorClass) {
  wasm = handlers;
  ErrorClass = errorClass;
}

// Why values of the current call's arguments could not be read (`readable`), by path: the wasm's
// error about such a value ("<path> could not be read") says why.
let thrown = new Map();

const error = (json) => {
  const e = JSON.parse(json);
  const note = e.message.endsWith(' could not be read') && thrown.get(e.field);
  return new ErrorClass(e.code, note ? `${e.message}: ${note}` : e.message, e.field, e.merchant_uid, e.customer_uid);
};

// Promises by token: the wasm settles one with `settle(token, kind, json)`.
const open = new Map();
let lastToken = 0;

function promise(start) {
  thrown = new Map();
  return new Promise((resolve, reject) => {
    const token = ++lastToken;
    open.set(token, [resolve, reject]);
    start(token);
  });
}

// The callback value being reported to the wasm, handed back as the result's `raw`.
let reporting;

/**
 * Settles the Promise of `token`: kind 0 rejects with the error `json` describes; 1 resolves with
 * `json`'s value (`undefined` for ''); 2 resolves with `json`'s value plus `raw`, the callback value
 * as the SDK gave it. A token already settled is ignored.
 */
export function settle(token, kind, json) {
  const functions = open.get(token);
  if (functions === undefined) return;
  open.delete(token);
  if (kind === /* REJECT */ 0) return functions[1](error(json));
  const value = json ? JSON.parse(json) : undefined; /* RESOLVE = 1, or: */
  if (kind === /* RESOLVE_WITH_RAW */ 2) value.raw = reporting;
  functions[0](value);
}

// The synchronous answers: '!' and an error's JSON, or a value's JSON.
const answer = (text) => {
  if (text[0] === '!') throw error(text.slice(1));
  return JSON.parse(text);
};

// Each argument is encoded with its name (what the wasm calls it in errors).
export const requestBillingKey = (params, options) =>
  promise((token) => wasm.call(/* REQUEST_BILLING_KEY */ 0, encode(params, 'params'), encode(options, 'options'), token));
export const loadIamport = (options) => promise((token) => wasm.call(/* LOAD_IAMPORT */ 1, encode(options, 'options'), '', token));
export const validateParams = (params) => answer(wasm.call(/* VALIDATE_PARAMS */ 2, encode(params, 'params'), '', 0));
export const parseRedirect = (url) => answer(wasm.call(/* PARSE_REDIRECT */ 3, encode(url, 'url'), '', 0));
export const newMerchantUid = (prefix) => answer(wasm.call(/* NEW_MERCHANT_UID */ 4, encode(prefix, 'prefix'), '', 0));

const TAG = '\u0000iamport-billing';
const MAX_JSON_CHARS = 1 << 22; // params or responses over 4 Mi characters of JSON are refused whole

const mark = (kind) => ({ [TAG]: kind });

/**
 * Any JS value → JSON text for the Rust core: the value copied into plain JSON data (`readable`), with
 * a marker in place of each value JSON cannot carry, so the Rust side names it instead of it being
 * dropped or turned into null. An argument (named `name`: 'params', 'options'…) is marked where it
 * cannot be read; an SDK callback's value (no name) that cannot be read is marked as a whole: it is not
 * ours to fix.
 */
export function encode(value, name) {
  if (name !== 'options') thrown = new Map(); // a new call (a Promise function's call starts in `promise`)
  let text;
  try {
    text = JSON.stringify(readable(value, '', name, []));
  } catch (_) {
    return JSON.stringify(mark('unreadable'));
  }
  return text.length > MAX_JSON_CHARS ? JSON.stringify(mark('toolarge')) : text;
}

/**
 * A copy of `value` as plain JSON data: plain objects and arrays copied property by property, and a
 * marker for each value JSON cannot carry — 'undefined' (at the top), 'bigint', 'symbol', 'function',
 * 'nonfinite', 'object' (not a plain object or array, or one with toJSON), 'toolarge' (too deep) —
 * or 'unreadable' for a value that cannot be read: a cycle, a revoked Proxy, a getter or Proxy trap
 * that threw (`thrown` gets its path and why, with what was thrown). `path` is where `value` is,
 * written as the Rust core writes paths (`a.b[2]`; the argument itself is `name`); `holders` are the
 * objects it is inside. Without a name (a callback's value) a value that cannot be read throws.
 */
function readable(value, path, name, holders) {
  // Marks the value at `at` unreadable, noting why (and what was thrown, `e`, if anything was).
  const fail = (at, why, e) => {
    if (name === undefined) throw 0;
    if (e !== undefined) {
      let message = 'an unprintable value';
      try {
        message = String(e?.message ?? e); // an Error's message, or the value thrown
      } catch (_) {
        // a revoked Proxy, or a value whose toString throws
      }
      why += `: ${message}`;
    }
    thrown.set(at || name, why);
    return mark('unreadable');
  };
  const type = typeof value;
  if (type === 'undefined') return holders.length ? value : mark(type); // inside: left out (null in an array), as JSON does
  if (type === 'number') return Number.isFinite(value) ? value : mark('nonfinite');
  if (type === 'bigint' || type === 'symbol' || type === 'function') return mark(type);
  if (type !== 'object' || value === null) return value;
  let array;
  try {
    array = Array.isArray(value);
  } catch (e) {
    return fail(path, 'a revoked Proxy'); // IsArray throws only for a revoked Proxy
  }
  if (holders.includes(value)) return fail(path, 'a cycle (it is inside itself)');
  if (holders.length > 64) return mark('toolarge');
  let keys;
  let length;
  try {
    const proto = Object.getPrototypeOf(value);
    if ((!array && proto !== Object.prototype && proto !== null) || typeof value.toJSON === 'function') return mark('object');
    keys = Object.keys(value);
    if (array) length = value.length;
  } catch (e) {
    return fail(path, 'a Proxy trap threw', e);
  }
  holders.push(value);
  // A plain object (V8 builds and stringifies it faster), or one without a prototype when a key is
  // named __proto__, so that key stays a key.
  const copy = array ? Array(length) : keys.includes('__proto__') ? Object.create(null) : {};
  for (const key of keys) {
    const at = array ? `${path}[${key}]` : path ? `${path}.${key}` : key;
    let item;
    try {
      item = value[key];
    } catch (e) {
      let by = 'a Proxy trap';
      try {
        if (Object.getOwnPropertyDescriptor(value, key).get) by = 'a getter';
      } catch (_) {
        // a Proxy's getOwnPropertyDescriptor trap threw too
      }
      copy[key] = fail(at, `${by} threw`, e);
      continue;
    }
    copy[key] = readable(item, at, name, holders);
  }
  holders.pop();
  return copy;
}

/**
 * Page work that can fail, answering '' on success, else what went wrong: op 0 calls
 * IMP.request_pay (`text`: the params' JSON, `a`: the request id), op 1 IMP.init (`text`: the
 * merchant code), op 2 starts loading the SDK script (`text`: src, `a`: timeout in ms, `b`: id).
 */
export function page(op, text, a, b) {
  return op === /* REQUEST_PAY */ 0 ? callRequestPay(text, a) : op === /* IMP_INIT */ 1 ? impInit(text) : /* WATCH_SCRIPT = 2 */ watchScript(text, a, b);
}

/**
 * `globalThis.IMP`, looked up at each call: 0 when absent (or reading it throws), 1 when it exists,
 * 2 when `IMP.request_pay` is a function.
 */
export function impState() {
  let state = 0;
  try {
    if (globalThis.IMP != null) state = 1;
    if (typeof globalThis.IMP.request_pay === 'function') state = 2;
  } catch (_) {
    // IMP (or IMP.request_pay) cannot be read: as far as it was read
  }
  return state;
}

/**
 * Calls IMP.request_pay with a fresh plain object and a callback for request `id`. Returns '' when
 * it returned normally, else what went wrong. (No exception crosses into wasm: a caught exception
 * from an import that returns a value leaks a slot of wasm-bindgen's value table in 0.2.130.)
 * The callback reports to the wasm and never throws back into the SDK; a late or
 * second call is ignored there.
 */
function callRequestPay(paramJson, id) {
  const callback = function (response) {
    try {
      reporting = response;
      wasm.report(/* ON_CALLBACK */ 0, id, encode(response));
    } catch (_) {
      // never throw back into the SDK
    } finally {
      reporting = undefined;
    }
  };
  try {
    // Read again (impState checked it a moment ago): a getter that throws now is reported.
    return globalThis.IMP.request_pay(JSON.parse(paramJson), callback) === false ? 'it returned false' : '';
  } catch (e) {
    return `it threw ${describeError(e)}`;
  }
}

/** Calls IMP.init(code). Returns '' on success, else what went wrong. */
function impInit(code) {
  try {
    const imp = globalThis.IMP;
    if (typeof imp.init !== 'function') return 'IMP.init is not a function';
    imp.init(code);
    return '';
  } catch (e) {
    return `IMP.init threw ${describeError(e)}`;
  }
}

/** A short description of a thrown value. */
function describeError(e) {
  try {
    return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  } catch (_) {
    return 'an unprintable value';
  }
}

// The timers of requests with `timeoutMs`, by request id (a Map: Node's timers are objects).
const timers = new Map();

/** Reports the timeout of request `id` after `ms`; `ms` 0 stops the timer of `id`. */
export function timer(id, ms) {
  clearTimeout(timers.get(id));
  timers.delete(id);
  if (ms > 0) {
    timers.set(
      id,
      setTimeout(() => {
        timers.delete(id);
        wasm.report(/* ON_TIMEOUT */ 1, id, '');
      }, ms),
    );
  }
}

/** Today's time in ms since the epoch. */
export function now() {
  return Date.now();
}

/**
 * sessionStorage: op 0 answers getItem(key) (undefined when absent or unusable); op 1 setItem(key,
 * value), answering '' when stored; op 2 removeItem(key). Storage full, disabled or absent: undefined.
 */
export function session(op, key, value) {
  try {
    const s = globalThis.sessionStorage; // storage disabled: reading the property throws a SecurityError
    if (op === /* SESSION_GET */ 0) return s?.getItem(key) ?? undefined;
    if (op === /* SESSION_REMOVE */ 2) return void s?.removeItem(key);
    if (s != null) {
      /* SESSION_SET = 1 */
      s.setItem(key, value);
      return '';
    }
  } catch (_) {
    // nothing stored, nothing to read
  }
  return undefined;
}

// Random bytes are drawn 320 at a time (one crypto.getRandomValues call for 64 merchant_uids): in
// Chromium the call is one of a request's costliest steps. Each byte is handed out once.
const randomBuffer = new Uint8Array(320);
let randomAt = 320;

/** Five random bytes (crypto.getRandomValues, else Math.random) as one whole number below 2^40. */
export function randomBytes() {
  if (randomAt > 315) {
    randomAt = 0;
    try {
      crypto.getRandomValues(randomBuffer);
    } catch (_) {
      try {
        for (let i = 0; i < 320; i++) randomBuffer[i] = Math.random() * 256;
      } catch (_) {
        // a page that broke Math.random too: the bytes stay as they were; the time part still differs
      }
    }
  }
  let n = 0;
  for (const end = randomAt + 5; randomAt < end; ) n = n * 256 + randomBuffer[randomAt++];
  return n;
}


// Existing <script> elements that failed us once: a retry injects a fresh one instead of waiting
// again for a load event that will not come. (Weak: the page may remove them.)
const deadScripts = new WeakSet();

/**
 * One attempt at loading the iamport SDK script: reuses a live <script> with the same resolved src
 * or injects one, and reports `(id, problem)` to the wasm exactly once — `problem` is '' when the script
 * loaded and defined `IMP`, else why not. Listeners and the timer are removed when it settles; an
 * injected script that failed is removed from the page. Returns '' when the attempt started,
 * 'src' when `src` is not a URL, or why it could not start.
 */
function watchScript(src, timeoutMs, id) {
  if (typeof document === 'undefined') return 'there is no document to add the script to';
  let href;
  try {
    href = new URL(src, document.baseURI).href;
  } catch (_) {
    return 'src';
  }
  let script = null;
  for (const s of document.scripts) {
    if (s.src === href && !deadScripts.has(s)) {
      script = s;
      break;
    }
  }
  const injected = script === null;
  if (injected) {
    script = document.createElement('script');
    script.src = src;
    script.async = true;
  }
  let timer;
  const finish = (problem) => {
    clearTimeout(timer);
    script.removeEventListener('load', onLoad);
    script.removeEventListener('error', onError);
    if (problem) {
      if (injected) script.remove();
      else deadScripts.add(script);
    }
    try {
      wasm.report(/* ON_SCRIPT */ 2, id, problem);
    } catch (_) {
      // the outcome is delivered; nothing to report back into the page
    }
  };
  const onLoad = () => finish(impState() ? '' : 'the script loaded but did not define IMP');
  const onError = () => finish(`the script ${src.slice(0, 200)} failed to load`);
  script.addEventListener('load', onLoad);
  script.addEventListener('error', onError);
  timer = setTimeout(() => finish(`the script did not load within ${timeoutMs} ms`), timeoutMs);
  if (injected) (document.head || document.documentElement).appendChild(script);
  return '';
}
