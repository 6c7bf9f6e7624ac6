// iamport-billing: the error class, in a module of its own so that the package entry (which
// throws NOT_READY and WASM_LOAD_FAILED before the wasm is there) and the wasm's bindings (every
// other code) share one class, and the entry stays small.

/** The error every integration failure rejects with. */
export class BillingKeyError extends Error {
  static {
    // The class's name as written, through minification (the package is built without --keep-names).
    Object.defineProperty(this, 'name', { value: 'BillingKeyError' });
  }
  constructor(code, message, field, merchant_uid, customer_uid) {
    super(message);
    this.name = 'BillingKeyError';
    this.code = code;
    if (field !== undefined) this.field = field;
    if (merchant_uid !== undefined) this.merchant_uid = merchant_uid;
    if (customer_uid !== undefined) this.customer_uid = customer_uid;
  }
}
