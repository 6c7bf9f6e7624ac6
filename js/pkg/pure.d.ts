// Types of `iamport-billing/pure`: the same exports as `iamport-billing` (index.d.ts). Importing this
// entry starts nothing: the wasm loads on the first `ready()`, `requestBillingKey` or `loadIamport`.
export * from './index.js';
