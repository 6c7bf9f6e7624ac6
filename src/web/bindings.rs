//! Every JavaScript binding of the crate, in one place. They come from `js/glue.js`, whose
//! functions never throw: calls into the page that can throw are wrapped there and report failures
//! as values. Only strings and numbers cross: arguments arrive as JSON text (the glue's `encode`),
//! answers leave as JSON text.
//!
//! JavaScript reaches the wasm through the two entry points in `exports` — `call` (the JavaScript
//! API) and `report` (an IMP callback, a timer, a script load, each with the id of the request or
//! load it belongs to) — never through a Rust closure per request. The npm package (feature `npm`)
//! exports them and its `core.js` hands the exports to the glue; the Rust API (feature `browser`)
//! hands the glue two closures made once, on first use (`api`).

use wasm_bindgen::prelude::*;

use crate::json;
use crate::value::{Unsupported, Value};

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

/// The glue's JSON text of a JS value (its `encode`) as a core [`Value`].
pub(crate) fn value_of(text: &str) -> Value {
    json::parse(text).unwrap_or(Value::Unsupported(Unsupported::Unreadable))
}
