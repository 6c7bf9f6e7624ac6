//! Every JavaScript binding of the crate, in one place. They come from `js/glue.js`, whose functions
//! never throw: calls into the page that can throw are wrapped there and report failures as values
//! (a caught exception from a value-returning import leaks a table slot in wasm-bindgen 0.2.130).

use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/js/glue.js")]
extern "C" {
    /// Any JS value → JSON text, with markers for what JSON cannot carry.
    pub(crate) fn encode(value: &JsValue) -> String;

    /// The `BillingKeyError` class (an `Error` subclass).
    #[derive(Debug)]
    pub(crate) type BillingKeyError;

    #[wasm_bindgen(constructor)]
    pub(crate) fn new(
        code: &str,
        message: &str,
        field: Option<String>,
        merchant_uid: Option<String>,
        customer_uid: Option<String>,
    ) -> BillingKeyError;

    #[wasm_bindgen(js_name = errorClass)]
    pub(crate) fn error_class() -> JsValue;

    /// `globalThis.IMP` when it has `request_pay`, else `undefined`.
    #[wasm_bindgen(js_name = findImp)]
    pub(crate) fn find_imp() -> JsValue;

    #[wasm_bindgen(js_name = impDefined)]
    pub(crate) fn imp_defined() -> bool;

    /// `IMP.request_pay(JSON.parse(param_json), callback)`: `""` if it returned normally, else what
    /// went wrong ("it returned false", "it threw …").
    #[wasm_bindgen(js_name = callRequestPay)]
    pub(crate) fn call_request_pay(imp: &JsValue, param_json: &str, callback: &JsValue) -> String;

    /// `IMP.init(code)`: `""` on success, else what went wrong.
    #[wasm_bindgen(js_name = impInit)]
    pub(crate) fn imp_init(code: &str) -> String;

    #[wasm_bindgen(js_name = bindCallback)]
    pub(crate) fn bind_callback(f: &JsValue, id: u32) -> JsValue;

    /// A pending Promise with its resolve and reject functions (see glue.js `newDeferred`).
    pub(crate) type Deferred;

    #[wasm_bindgen(js_name = newDeferred)]
    pub(crate) fn new_deferred() -> Deferred;

    #[wasm_bindgen(method, getter)]
    pub(crate) fn promise(this: &Deferred) -> js_sys::Promise;

    /// Resolves (`ok`) or rejects the deferred Promise with `value`; never throws.
    #[wasm_bindgen(js_name = settleDeferred)]
    pub(crate) fn settle_deferred(deferred: &Deferred, ok: bool, value: &JsValue);

    #[wasm_bindgen(js_name = makeResult)]
    pub(crate) fn make_result(json: &str, raw: &JsValue) -> JsValue;

    /// Five random bytes as one whole number below 2⁴⁰ (see [`random_bytes`]).
    #[wasm_bindgen(js_name = randomBytes)]
    fn random_40_bits() -> f64;

    #[wasm_bindgen(js_name = parseJson)]
    pub(crate) fn parse_json(json: &str) -> JsValue;

    /// Starts one load attempt of the SDK script (see glue.js): `""` when started, `"src"` when
    /// `src` is not a URL, else why it could not start. Later calls `done(id, problem)` once.
    #[wasm_bindgen(js_name = watchScript)]
    pub(crate) fn watch_script(src: &str, timeout_ms: u32, id: u32, done: &JsValue) -> String;

    /// The page's `sessionStorage`, if it has one it may use. (Read in glue.js: reading it throws
    /// when storage is disabled.)
    #[wasm_bindgen(js_name = sessionStorageOrNone)]
    pub(crate) fn session_storage() -> Option<web_sys::Storage>;
}

/// Today's time in ms since the epoch.
pub(crate) fn now_ms() -> u64 {
    let now = js_sys::Date::now();
    if now.is_finite() && now >= 0.0 {
        now as u64
    } else {
        0
    }
}

/// Five random bytes from `crypto.getRandomValues`, or from `Math.random` where it is missing.
pub(crate) fn random_bytes() -> [u8; 5] {
    // One crossing: the glue packs the five bytes into a whole number below 2⁴⁰.
    let b = (random_40_bits() as u64).to_be_bytes();
    [b[3], b[4], b[5], b[6], b[7]]
}
