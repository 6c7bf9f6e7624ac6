// iamport-billing/pure: the package's implementation, and the entry that starts nothing. Importing
// it only defines the functions below; the wasm (and the module that binds it) loads on the first
// `ready()` or Promise call, in a browser from the .wasm next to this file, in Node (SSR, tests)
// from this package's own file. The default entry (index.js) is this module plus a `ready()` at
// import time in a browser. Both share this one module, so a page that imports both has one wasm,
// one BillingKeyError class and one request at a time. Every rule runs in the wasm; this file only
// loads it and forwards calls.
//
// Promise functions wait for the wasm by themselves. Synchronous functions cannot wait: before the
// wasm is ready they throw a BillingKeyError with code NOT_READY (`await ready()` first).
import { BillingKeyError } from '../error.js';

let api; // the bound module (core.js) once the wasm is instantiated
let loading; // the load in progress, or undefined (none yet, or the last one failed)

// Node ≥ 20.16, Deno and Bun have it; browsers and workers do not.
const builtin = globalThis.process?.getBuiltinModule;

const wasmUrl = () => new URL('./iamport_billing_bg.wasm', import.meta.url);

// In a browser, the response (checked here, compiled by core.js); in Node, nothing: core.js reads the file.
async function fetchWasm(url) {
  if (builtin) return;
  const response = await fetch(url);
  const type = response.headers.get('content-type');
  if (!response.ok) throw Error(`HTTP ${response.status}`);
  if (!/^application\/wasm\b/.test(type)) throw Error(`served as ${type}, not application/wasm`);
  return response; // compiled as it streams in
}

/** Resolves when the wasm is usable; rejects WASM_LOAD_FAILED (and a later call tries again). */
export function ready() {
  return (loading ??= (async () => {
    let url = '';
    try {
      url = wasmUrl();
      const [core, source] = await Promise.all([import('./core.js'), fetchWasm(url)]);
      await core.init(source, url);
      api = core;
    } catch (e) {
      loading = undefined;
      throw new BillingKeyError('WASM_LOAD_FAILED', `could not load iamport-billing's wasm (${url}): ${e?.message ?? e}`);
    }
  })());
}

const later = (name) => (...args) => (api ? api[name](...args) : ready().then(() => api[name](...args)));
const now = (name) => (...args) => {
  if (!api) throw new BillingKeyError('NOT_READY', `iamport-billing's wasm is not loaded yet: await ready() before calling ${name}()`);
  return api[name](...args);
};

export const requestBillingKey = later('requestBillingKey');
export const loadIamport = later('loadIamport');
export const validateParams = now('validateParams');
export const parseRedirect = now('parseRedirect');
export const newMerchantUid = now('newMerchantUid');
export { BillingKeyError };

// The functions' names as written, through minification.
for (const [name, fn] of Object.entries({ ready, requestBillingKey, loadIamport, validateParams, parseRedirect, newMerchantUid })) {
  Object.defineProperty(fn, 'name', { value: name });
}
