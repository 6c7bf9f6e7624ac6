//! Every JavaScript binding of the crate, in one place. They come from `js/glue.js`, whose
//! functions never throw: calls into the page that can throw are wrapped there and report failures
//! as values. Only strings and numbers cross: arguments arrive as JSON text (the glue's `encode`),
//! answers leave as JSON text.
//!
//! JavaScript reaches the wasm through the two entry points in [`super::exports`] — `call` (the
//! JavaScript API) and `report` (an IMP callback, a timer, a script load, each with the id of the
//! request or load it belongs to) — never through a Rust closure per request. The npm package
//! (feature `npm`) exports them and its `core.js` hands the exports to the glue; any other build
//! (a Rust app, the crate's browser tests) hands the glue two closures made once, on first use
//! ([`ensure_handlers`]).

use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/js/glue.js")]
extern "C" {
    /// `globalThis.IMP`: 0 when absent, 1 when it exists, 2 when `IMP.request_pay` is a function.
    #[wasm_bindgen(js_name = impState)]
    fn imp_state() -> u32;

    /// Page work that can fail, answering `""` on success, else what went wrong: [`REQUEST_PAY`],
    /// [`IMP_INIT`], [`WATCH_SCRIPT`] (see their wrappers below).
    fn page(op: u32, text: &str, a: u32, b: u32) -> String;

    /// Reports the timeout of request `id` after `ms`; `ms` 0 stops the timer of `id`.
    fn timer(id: u32, ms: u32);

    /// `Date.now()`.
    #[wasm_bindgen(js_name = now)]
    fn date_now() -> f64;

    /// Settles the Promise of `token`: kind [`REJECT`] with the error `json` describes,
    /// [`RESOLVE`] with `json`'s value (`undefined` for `""`), [`RESOLVE_WITH_RAW`] with `json`'s
    /// value plus `raw` (the callback value being reported).
    pub(crate) fn settle(token: u32, kind: u32, json: &str);

    /// Five random bytes as one whole number below 2⁴⁰ (see [`random_bytes`]).
    #[wasm_bindgen(js_name = randomBytes)]
    fn random_40_bits() -> f64;

    /// `sessionStorage`: [`SESSION_GET`] answers the item (`None` when absent or when storage is
    /// unusable), [`SESSION_SET`] answers `Some("")` when stored, [`SESSION_REMOVE`] `None`.
    fn session(op: u32, key: &str, value: &str) -> Option<String>;
}

const REQUEST_PAY: u32 = 0;
const IMP_INIT: u32 = 1;
const WATCH_SCRIPT: u32 = 2;

/// `IMP.request_pay(JSON.parse(param_json), callback)` with a callback that reports to `report`
/// with `id`: `""` if it returned normally, else what went wrong ("it returned false", "it threw
/// …").
pub(crate) fn call_request_pay(param_json: &str, id: u32) -> String {
    page(REQUEST_PAY, param_json, id, 0)
}

/// `IMP.init(code)`: `""` on success, else what went wrong.
pub(crate) fn imp_init(code: &str) -> String {
    page(IMP_INIT, code, 0, 0)
}

/// Starts one load attempt of the SDK script (see glue.js): `""` when started, `"src"` when `src`
/// is not a URL, else why it could not start. Later reports with `id` once.
pub(crate) fn watch_script(src: &str, timeout_ms: u32, id: u32) -> String {
    page(WATCH_SCRIPT, src, timeout_ms, id)
}

const SESSION_GET: u32 = 0;
const SESSION_SET: u32 = 1;
const SESSION_REMOVE: u32 = 2;

/// Whether `globalThis.IMP.request_pay` is a function.
pub(crate) fn imp_loaded() -> bool {
    imp_state() == 2
}

/// Whether `globalThis.IMP` exists at all.
pub(crate) fn imp_defined() -> bool {
    imp_state() != 0
}

/// Reports the timeout of request `id` after `ms` (a positive number), unless [`stop_timer`]
/// comes first.
pub(crate) fn start_timer(id: u32, ms: u32) {
    timer(id, ms);
}

pub(crate) fn stop_timer(id: u32) {
    timer(id, 0);
}

/// `sessionStorage.getItem(key)`; `None` when absent or when storage is unusable.
pub(crate) fn session_get(key: &str) -> Option<String> {
    session(SESSION_GET, key, "")
}

/// `sessionStorage.setItem(key, value)`: whether it was stored.
pub(crate) fn session_set(key: &str, value: &str) -> bool {
    session(SESSION_SET, key, value).is_some()
}

pub(crate) fn session_remove(key: &str) {
    session(SESSION_REMOVE, key, "");
}

/// [`settle`]'s kinds.
pub(crate) const REJECT: u32 = 0;
pub(crate) const RESOLVE: u32 = 1;
pub(crate) const RESOLVE_WITH_RAW: u32 = 2;

/// Makes sure the glue can reach the wasm. The npm package's core.js sets the handlers before any
/// call; other builds hand over closures, made once and kept for the page's life.
pub(crate) fn ensure_handlers() {
    #[cfg(not(feature = "npm"))]
    rust_app::ensure_handlers();
}

/// Today's time in ms since the epoch.
pub(crate) fn now_ms() -> u64 {
    let now = date_now();
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

/// The bindings of builds other than the npm package's: the handlers as closures, and the glue's
/// JavaScript API for the crate's browser tests (`iamport_billing::js`).
#[cfg(not(feature = "npm"))]
pub(crate) mod rust_app {
    use wasm_bindgen::prelude::*;

    use super::super::exports;

    #[wasm_bindgen(module = "/js/glue.js")]
    extern "C" {
        #[wasm_bindgen(js_name = setHandlers)]
        fn set_handlers(handlers: &JsValue, error_class: &JsValue);

        #[wasm_bindgen(js_name = requestBillingKey)]
        pub(crate) fn request_billing_key(params: &JsValue, options: &JsValue) -> JsValue;
        #[wasm_bindgen(js_name = loadIamport)]
        pub(crate) fn load_iamport(options: &JsValue) -> JsValue;
        #[wasm_bindgen(js_name = validateParams, catch)]
        pub(crate) fn validate_params(params: &JsValue) -> Result<JsValue, JsValue>;
        #[wasm_bindgen(js_name = parseRedirect, catch)]
        pub(crate) fn parse_redirect(url: &JsValue) -> Result<JsValue, JsValue>;
        #[wasm_bindgen(js_name = newMerchantUid, catch)]
        pub(crate) fn new_merchant_uid(prefix: &JsValue) -> Result<JsValue, JsValue>;
    }

    #[wasm_bindgen(module = "/js/error.js")]
    extern "C" {
        #[wasm_bindgen(thread_local_v2, js_name = BillingKeyError)]
        static ERROR_CLASS: JsValue;
    }

    thread_local! {
        static MADE: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    }

    fn set(target: &js_sys::Object, key: &str, f: &JsValue) {
        let _ = js_sys::Reflect::set(target, &JsValue::from_str(key), f);
    }

    pub(crate) fn ensure_handlers() {
        if MADE.with(|made| made.replace(true)) {
            return;
        }
        let handlers = js_sys::Object::new();
        let f = Closure::<dyn Fn(u32, String, String, u32) -> String>::new(exports::call).into_js_value();
        set(&handlers, "call", &f);
        let f = Closure::<dyn Fn(u32, u32, String)>::new(exports::report).into_js_value();
        set(&handlers, "report", &f);
        ERROR_CLASS.with(|class| set_handlers(&handlers, class));
    }
}
