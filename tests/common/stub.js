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
