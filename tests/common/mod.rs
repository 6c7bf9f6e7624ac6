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
