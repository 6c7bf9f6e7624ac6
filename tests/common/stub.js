// A recording stand-in for iamport v1's `IMP`, for the browser tests.
// It records exactly what reached IMP.request_pay and lets a test decide how and when it calls back.

const rec = { calls: [], params: [], callbacks: [], inits: [], mode: 'manual', response: undefined, threw: [] };

export function installImp(mode, response) {
  rec.calls = []; rec.params = []; rec.callbacks = []; rec.inits = []; rec.threw = [];
  rec.mode = mode; rec.response = response;
  globalThis.IMP = {
    init(code) { rec.inits.push(code); },
    request_pay(param, callback) {
      rec.calls.push(JSON.stringify(param));
      rec.params.push(param);
      rec.callbacks.push(callback);
      switch (rec.mode) {
        case 'throw': throw new Error('boom from the SDK');
        case 'false': return false;
        case 'sync': callback(rec.response); return undefined;
        case 'sync-twice': callback(rec.response); callback(rec.response); return undefined;
        default: return undefined;
      }
    },
  };
}

export function removeImp() { delete globalThis.IMP; }
export function setImp(value) { globalThis.IMP = value; }

/** Calls the latest callback IMP received; returns true if that threw back into IMP. */
export function respond(value) {
  const cb = rec.callbacks[rec.callbacks.length - 1];
  try { cb(value); return false; } catch (_) { return true; }
}
export function respondTo(index, value) {
  try { rec.callbacks[index](value); return false; } catch (_) { return true; }
}

export function callCount() { return rec.calls.length; }
export function lastCallJson() { return rec.calls[rec.calls.length - 1] ?? ''; }
export function lastParam() { return rec.params[rec.params.length - 1]; }
export function inits() { return rec.inits.slice(); }

/** Evaluates a JS expression (to build values Rust cannot: Proxies, getters, BigInt…). */
export function js(src) { return (0, eval)(src); }

/** JSON.stringify for assertions. */
export function json(v) { return JSON.stringify(v); }

/** Property read for assertions. */
export function get(obj, key) { return obj == null ? undefined : obj[key]; }
export function isInstanceOfError(v) { return v instanceof Error && typeof v.stack === 'string'; }
export function sleep(ms) { return new Promise((r) => setTimeout(r, ms)); }
export function scriptCount(src) {
  const href = new URL(src, document.baseURI).href;
  return [...document.scripts].filter((s) => s.src === href).length;
}
/** JSON of a result without its `raw` field (checked separately, by identity). */
export function jsonWithoutRaw(v) { const { raw, ...rest } = v; return JSON.stringify(rest); }
export function same(a, b) { return Object.is(a, b); }

// ---- Additions for the hardening tests (tests/browser_faults.rs, loader.rs, leaks.rs, random_values.rs) ----

/** A settled value or error, for exact assertions: own enumerable fields plus message/isError. */
export function errorJson(e) {
  if (!(e instanceof Error)) return `not an Error: ${String(e)}`;
  return JSON.stringify({ ...e, message: e.message, isError: true, hasStack: typeof e.stack === 'string' });
}

/** Sets a global (to hand a Rust closure to JS code built with `js`). */
export function setGlobal(name, value) { globalThis[name] = value; }

/** Calls `fn(a, b)`; returns { threw, value } instead of throwing. */
export function callSafely(fn, a, b) {
  try { return { threw: false, value: fn(a, b) }; } catch (e) { return { threw: true, value: e }; }
}
export function isPromise(v) { return v instanceof Promise; }

/**
 * A lean IMP for long runs: no recording beyond a count and the last callback.
 * mode: 'sync' (calls back at once with `response`), 'manual', 'throw', 'false'.
 */
const lean = { count: 0, last: null, mode: 'sync', response: undefined };
export function installLeanImp(mode, response) {
  lean.mode = mode; lean.response = response;
  globalThis.IMP = {
    request_pay(_param, callback) {
      lean.count++; lean.last = callback;
      if (lean.mode === 'sync') callback(lean.response);
      else if (lean.mode === 'throw') throw new Error('lean boom');
      else if (lean.mode === 'false') return false;
      return undefined;
    },
  };
}
export function setLeanMode(mode, response) { lean.mode = mode; lean.response = response; }
export function leanCount() { return lean.count; }
export function leanRespond(value) { try { lean.last?.(value); return false; } catch (_) { return true; } }

// Timers: counts what is set, cleared and fired, and which handles are still live.
const timers = { installed: false, live: new Set(), set: 0, cleared: 0, fired: 0 };
export function installTimerSpy() {
  if (timers.installed) return;
  timers.installed = true;
  const realSet = globalThis.setTimeout;
  const realClear = globalThis.clearTimeout;
  globalThis.setTimeout = function setTimeout(fn, ms, ...args) {
    let id;
    const wrapped = typeof fn === 'function'
      ? function (...a) { timers.live.delete(id); timers.fired++; return fn.apply(this, a); }
      : fn;
    id = realSet.call(globalThis, wrapped, ms, ...args);
    timers.live.add(id);
    timers.set++;
    return id;
  };
  globalThis.clearTimeout = function clearTimeout(id) {
    if (timers.live.delete(id)) timers.cleared++;
    return realClear.call(globalThis, id);
  };
}
export function liveTimers() { return timers.live.size; }
export function timerStats() {
  return JSON.stringify({ live: timers.live.size, set: timers.set, cleared: timers.cleared, fired: timers.fired });
}

// Event listeners on <script> elements: every add must be matched by a remove.
const listeners = { installed: false, live: [], adds: 0, removes: 0 };
export function installListenerSpy() {
  if (listeners.installed) return;
  listeners.installed = true;
  const proto = EventTarget.prototype;
  const add = proto.addEventListener;
  const remove = proto.removeEventListener;
  const capture = (o) => (typeof o === 'boolean' ? o : !!(o && o.capture));
  proto.addEventListener = function (type, cb, options) {
    if (this instanceof HTMLScriptElement && cb) {
      const c = capture(options);
      if (!listeners.live.some((l) => l.t === this && l.type === type && l.cb === cb && l.c === c)) {
        listeners.live.push({ t: this, type, cb, c });
        listeners.adds++;
      }
    }
    return add.call(this, type, cb, options);
  };
  proto.removeEventListener = function (type, cb, options) {
    if (this instanceof HTMLScriptElement && cb) {
      const c = capture(options);
      const i = listeners.live.findIndex((l) => l.t === this && l.type === type && l.cb === cb && l.c === c);
      if (i >= 0) { listeners.live.splice(i, 1); listeners.removes++; }
    }
    return remove.call(this, type, cb, options);
  };
}
export function liveScriptListeners() { return listeners.live.length; }
export function listenerStats() {
  return JSON.stringify({ live: listeners.live.length, adds: listeners.adds, removes: listeners.removes });
}

/** All <script> elements in the document. */
export function allScriptCount() { return document.scripts.length; }
/** A `data:` URL running `code` as a classic script. */
/**
 * A script on the test page's own origin (where loadIamport may load scripts from) that runs `code`:
 * tests/common/run-code.js with the code in its query, a different URL for each code.
 */
export function pageScript(code) { return '/tests/common/run-code.js?code=' + encodeURIComponent(code); }
/** Adds `<script type="text/plain" src=…>`: it is never fetched, so it never fires load or error. */
export function addInertScript(src) {
  const s = document.createElement('script');
  s.type = 'text/plain';
  s.src = src;
  document.head.appendChild(s);
  return s;
}
/** Removes every <script> whose src resolves to `src`. */
export function removeScripts(src) {
  const href = new URL(src, document.baseURI).href;
  for (const s of [...document.scripts]) if (s.src === href) s.remove();
}
/** iamport-billing records left in sessionStorage. */
export function storedRecords() {
  let n = 0;
  for (let i = 0; i < sessionStorage.length; i++) if (sessionStorage.key(i)?.startsWith('iamport-billing:')) n++;
  return n;
}
/** The lengths of the wasm instance's tables (the externref table grows when JS values leak). */
export function tableLengths(exports) {
  const out = {};
  for (const [name, v] of Object.entries(exports)) if (v instanceof WebAssembly.Table) out[name] = v.length;
  return JSON.stringify(out);
}
export function tableTotal(exports) {
  let n = 0;
  for (const v of Object.values(exports)) if (v instanceof WebAssembly.Table) n += v.length;
  return n;
}
/** Chrome's JS heap figure (0 where unavailable). */
export function jsHeapBytes() { return globalThis.performance?.memory?.usedJSHeapSize ?? 0; }
/** `p`, or the string '__still_pending__' if it has not settled within `ms`. */
export function raceTimeout(p, ms) {
  let timer;
  const late = new Promise((r) => { timer = setTimeout(() => r('__still_pending__'), ms); });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}
/** Like `respond`, but does nothing when IMP has received no callback yet. */
export function respondIfAny(value) {
  const cb = rec.callbacks[rec.callbacks.length - 1];
  if (!cb) return false;
  try { cb(value); return false; } catch (_) { return true; }
}
