// Only an import: what the module sees right after it, before anything awaits the package.
import * as billing from './node_modules/iamport-billing/index.js';

let syncCall;
try {
  syncCall = { returned: billing.newMerchantUid('html') };
} catch (e) {
  syncCall = { instance: e instanceof billing.BillingKeyError, name: e.name, code: e.code };
}
window.__importOnly = { exports: Object.keys(billing).sort(), syncCall };
window.__billing = billing;
