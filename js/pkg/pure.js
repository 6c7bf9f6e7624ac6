// iamport-billing/pure: the package's implementation, and the entry that starts nothing. Importing
// it only defines the functions below; the wasm (and the module that binds it) loads on the first
// `ready()` or Promise call, in a browser from the .wasm next to this file, in Node (SSR, tests)
// from this package's own file. Every rule runs in the wasm; this file only loads it and forwards
// calls.
//
// The default entry (index.js) is this module bundled into it, with core.js imported statically,
// plus a `ready()` at import time in a browser: one file, so an importer without a bundler waits for
// one request, not two in a row, and `ready()` for the .wasm alone.
// The implementation is still one per page: the first of the two files to run makes it and keeps
// it on `globalThis` under a registered symbol named with this version; the other exports that one
// (the same functions, one BillingKeyError class, one wasm, one request at a time).
//
// Promise functions wait for the wasm by themselves. Synchronous functions cannot wait: before the
// wasm is ready they throw a BillingKeyError with code NOT_READY (`await ready()` first).
import { BillingKeyError as ErrorClass } from '../error.js';

function implementation() {
  let api; // the bound module (core.js) once the wasm is instantiated
  let loading; // the load in progress, or undefined (none yet, or the last one failed)

  // Node ≥ 20.16, Deno and Bun have it; browsers and workers do not.
  const builtin = globalThis.process?.getBuiltinModule;

  // In a browser, the compiled module: compiled as the response streams in, while core.js loads
  // beside it. In Node, nothing: core.js reads the package's file.
  async function compile(url) {
    if (builtin) return;
    const response = await fetch(url);
    const type = response.headers.get('content-type');
    if (!response.ok) throw Error(`HTTP ${response.status}`);
    if (!/^application\/wasm\b/.test(type)) throw Error(`served as ${type}, not application/wasm`);
    return WebAssembly.compileStreaming(response);
  }

  /** Resolves when the wasm is usable; rejects WASM_LOAD_FAILED (and a later call tries again). */
  function ready() {
    return (loading ??= (async () => {
      let url = '';
      try {
        url = new URL('./iamport_billing_bg.wasm', import.meta.url);
        // The wasm's request first: it is the larger file and the longer wait.
        const [module, core] = await Promise.all([compile(url), import('./core.js')]);
        await core.init(module, url, ErrorClass);
        api = core;
      } catch (e) {
        loading = undefined;
        throw new ErrorClass('WASM_LOAD_FAILED', `could not load iamport-billing's wasm (${url}): ${e?.message ?? e}`);
      }
    })());
  }

  const later = (name) => (...args) => (api ? api[name](...args) : ready().then(() => api[name](...args)));
  const now = (name) => (...args) => {
    if (!api) throw new ErrorClass('NOT_READY', `iamport-billing's wasm is not loaded yet: await ready() before calling ${name}()`);
    return api[name](...args);
  };

  const exports = {
    ready,
    requestBillingKey: later('requestBillingKey'),
    loadIamport: later('loadIamport'),
    validateParams: now('validateParams'),
    parseRedirect: now('parseRedirect'),
    newMerchantUid: now('newMerchantUid'),
  };
  // The functions' names as written, through minification.
  for (const [name, fn] of Object.entries(exports)) Object.defineProperty(fn, 'name', { value: name });
  return Object.freeze({ ...exports, BillingKeyError: ErrorClass });
}

// PACKAGE_VERSION: package.json's version, written in by scripts/build-pkg.sh.
const KEY = Symbol.for(`iamport-billing ${PACKAGE_VERSION}`);
let shared;
try {
  shared = globalThis[KEY] ??= implementation();
} catch (_) {
  shared = implementation(); // a global object that takes no new property: this file's own
}

export const { ready, requestBillingKey, loadIamport, validateParams, parseRedirect, newMerchantUid, BillingKeyError } = shared;
