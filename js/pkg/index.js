// iamport-billing: the package entry. Instantiates the wasm once, at import time (top-level await,
// which Vite, webpack 5 and browsers handle), so every export works without an init call.
import init, {
  requestBillingKey,
  loadIamport,
  parseRedirect,
  newMerchantUid,
  billingKeyErrorClass,
} from './iamport_billing.js';

const loaded = init({ module_or_path: new URL('./iamport_billing_bg.wasm', import.meta.url) });
await loaded;

/** The class every integration error is an instance of (`err instanceof BillingKeyError`). */
export const BillingKeyError = billingKeyErrorClass();

/** Resolves once the wasm is ready: already true when this module has been imported. Idempotent. */
export function ready() {
  return loaded.then(() => undefined);
}

// The functions' names as written, through minification (the package is built without --keep-names).
for (const [name, fn] of Object.entries({ requestBillingKey, loadIamport, parseRedirect, newMerchantUid, ready })) {
  Object.defineProperty(fn, 'name', { value: name });
}

export { requestBillingKey, loadIamport, parseRedirect, newMerchantUid };
