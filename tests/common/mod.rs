//! Shared helpers for the browser tests: the recording IMP stand-in (stub.js) and Promise plumbing.
#![allow(dead_code)]

use js_sys::Promise;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen(module = "/tests/common/stub.js")]
extern "C" {
    #[wasm_bindgen(js_name = installImp)]
    pub fn install_imp(mode: &str, response: &JsValue);
    #[wasm_bindgen(js_name = removeImp)]
    pub fn remove_imp();
    #[wasm_bindgen(js_name = setImp)]
    pub fn set_imp(value: &JsValue);
    pub fn respond(value: &JsValue) -> bool;
    #[wasm_bindgen(js_name = respondTo)]
    pub fn respond_to(index: u32, value: &JsValue) -> bool;
    #[wasm_bindgen(js_name = callCount)]
    pub fn call_count() -> u32;
    #[wasm_bindgen(js_name = lastCallJson)]
    pub fn last_call_json() -> String;
    #[wasm_bindgen(js_name = lastParam)]
    pub fn last_param() -> JsValue;
    pub fn inits() -> js_sys::Array;
    pub fn js(src: &str) -> JsValue;
    pub fn json(v: &JsValue) -> String;
    pub fn get(obj: &JsValue, key: &str) -> JsValue;
    #[wasm_bindgen(js_name = isInstanceOfError)]
    pub fn is_instance_of_error(v: &JsValue) -> bool;
    pub fn sleep(ms: u32) -> Promise;
    #[wasm_bindgen(js_name = scriptCount)]
    pub fn script_count(src: &str) -> u32;
}

/// Awaits a Promise: `Ok(value)` if it resolved, `Err(reason)` if it rejected.
pub async fn settle(p: Promise) -> Result<JsValue, JsValue> {
    JsFuture::from(p).await
}

pub async fn wait(ms: u32) {
    let _ = JsFuture::from(sleep(ms)).await;
}

/// Whether a Promise has settled by the end of the current microtask queue.
pub async fn is_settled(p: &Promise) -> bool {
    let marker = JsValue::from_str("__pending__");
    let race = Promise::race(&js_sys::Array::of2(p, &Promise::resolve(&marker)));
    match JsFuture::from(race).await {
        Ok(v) => v != marker,
        Err(_) => true,
    }
}

/// A valid params object (the seed, key only), as JS.
pub fn seed_params(amount: u32) -> JsValue {
    js(&format!(
        "({{ pg: 'danal_tpay', pay_method: 'card', merchant_uid: 'merchant_1700000000000', name: '최초인증결제', \
          amount: {amount}, customer_uid: 'your-customer-unique-id', buyer_email: 'iamport@siot.do', \
          buyer_name: '아임포트', buyer_tel: '02-1234-1234' }})"
    ))
}

/// A response like the newest v1 SDK's success callback (no `success` field).
pub fn success_response() -> JsValue {
    js("({ imp_uid: 'imps_123456789012', merchant_uid: 'merchant_1700000000000', pay_method: 'card', \
         paid_amount: 0, status: 'paid', pg_provider: 'danal_tpay', pg_tid: 'tid_1', name: '최초인증결제', \
         card_name: '신한카드', card_number: '4092-12**-****-1234', apply_num: '30012345', paid_at: 1700000000, \
         buyer_email: 'iamport@siot.do', buyer_name: '아임포트', buyer_tel: '02-1234-1234' })")
}

/// The rejection's `code`, or panics (test-only) with what settled instead.
pub fn code_of(r: &Result<JsValue, JsValue>) -> String {
    match r {
        Err(e) => get(e, "code").as_string().unwrap_or_default(),
        Ok(v) => panic!("expected a rejection, got {}", json(v)),
    }
}

pub fn field_of(r: &Result<JsValue, JsValue>) -> String {
    match r {
        Err(e) => get(e, "field").as_string().unwrap_or_default(),
        Ok(v) => panic!("expected a rejection, got {}", json(v)),
    }
}

#[wasm_bindgen(module = "/tests/common/stub.js")]
extern "C" {
    #[wasm_bindgen(js_name = jsonWithoutRaw)]
    pub fn json_without_raw(v: &JsValue) -> String;
    pub fn same(a: &JsValue, b: &JsValue) -> bool;
}

// ---- Additions for the hardening tests (tests/browser_faults.rs, loader.rs, leaks.rs, random_values.rs) ----

#[wasm_bindgen(module = "/tests/common/stub.js")]
extern "C" {
    /// A rejection as JSON: its own fields plus `message`, `isError`, `hasStack`.
    #[wasm_bindgen(js_name = errorJson)]
    pub fn error_json(e: &JsValue) -> String;
    #[wasm_bindgen(js_name = setGlobal)]
    pub fn set_global(name: &str, value: &JsValue);
    #[wasm_bindgen(js_name = callSafely)]
    pub fn call_safely(f: &JsValue, a: &JsValue, b: &JsValue) -> JsValue;
    #[wasm_bindgen(js_name = isPromise)]
    pub fn is_promise(v: &JsValue) -> bool;
    #[wasm_bindgen(js_name = installLeanImp)]
    pub fn install_lean_imp(mode: &str, response: &JsValue);
    #[wasm_bindgen(js_name = setLeanMode)]
    pub fn set_lean_mode(mode: &str, response: &JsValue);
    #[wasm_bindgen(js_name = leanCount)]
    pub fn lean_count() -> u32;
    #[wasm_bindgen(js_name = leanRespond)]
    pub fn lean_respond(value: &JsValue) -> bool;
    #[wasm_bindgen(js_name = installTimerSpy)]
    pub fn install_timer_spy();
    #[wasm_bindgen(js_name = liveTimers)]
    pub fn live_timers() -> u32;
    #[wasm_bindgen(js_name = timerStats)]
    pub fn timer_stats() -> String;
    #[wasm_bindgen(js_name = installListenerSpy)]
    pub fn install_listener_spy();
    #[wasm_bindgen(js_name = liveScriptListeners)]
    pub fn live_script_listeners() -> u32;
    #[wasm_bindgen(js_name = listenerStats)]
    pub fn listener_stats() -> String;
    #[wasm_bindgen(js_name = allScriptCount)]
    pub fn all_script_count() -> u32;
    #[wasm_bindgen(js_name = pageScript)]
    pub fn page_script(code: &str) -> String;
    #[wasm_bindgen(js_name = addInertScript)]
    pub fn add_inert_script(src: &str) -> JsValue;
    #[wasm_bindgen(js_name = removeScripts)]
    pub fn remove_scripts(src: &str);
    #[wasm_bindgen(js_name = storedRecords)]
    pub fn stored_records() -> u32;
    #[wasm_bindgen(js_name = tableLengths)]
    pub fn table_lengths(exports: &JsValue) -> String;
    #[wasm_bindgen(js_name = tableTotal)]
    pub fn table_total(exports: &JsValue) -> u32;
    #[wasm_bindgen(js_name = jsHeapBytes)]
    pub fn js_heap_bytes() -> f64;
}

/// The rejection as JSON ([`error_json`]), or panics (test-only) with what resolved instead.
pub fn rejection(r: &Result<JsValue, JsValue>) -> String {
    match r {
        Err(e) => error_json(e),
        Ok(v) => panic!("expected a rejection, got {}", json(v)),
    }
}

/// The wasm linear memory's size in bytes.
pub fn wasm_memory_bytes() -> f64 {
    use wasm_bindgen::JsCast;
    wasm_bindgen::memory()
        .unchecked_into::<js_sys::WebAssembly::Memory>()
        .buffer()
        .unchecked_into::<js_sys::ArrayBuffer>()
        .byte_length() as f64
}

/// Awaits a Promise, failing (test-only) if it has not settled within `ms`.
pub async fn settle_within(p: Promise, ms: u32, what: &str) -> Result<JsValue, JsValue> {
    let raced = JsFuture::from(race_timeout(&p, ms)).await;
    if raced.as_ref().ok().and_then(JsValue::as_string).as_deref() == Some("__still_pending__") {
        panic!("{what}: the Promise did not settle within {ms} ms");
    }
    raced
}

#[wasm_bindgen(module = "/tests/common/stub.js")]
extern "C" {
    #[wasm_bindgen(js_name = raceTimeout)]
    fn race_timeout(p: &Promise, ms: u32) -> Promise;
    /// Like [`respond`], but does nothing when IMP has received no callback yet.
    #[wasm_bindgen(js_name = respondIfAny)]
    pub fn respond_if_any(value: &JsValue) -> bool;
}
