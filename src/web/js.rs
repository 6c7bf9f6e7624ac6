//! The npm package's JavaScript API, called from Rust with JavaScript values: the same glue
//! functions the package exports (`js/glue.js`), over the same entry points. For the crate's
//! browser tests (`iamport_billing::js`, feature `browser`); a Rust app uses
//! [`request`](crate::request) and the other typed functions.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::api::ensure_handlers;

#[wasm_bindgen(module = "/js/glue.js")]
extern "C" {
    #[wasm_bindgen(js_name = requestBillingKey)]
    fn glue_request_billing_key(params: &JsValue, options: &JsValue) -> JsValue;
    #[wasm_bindgen(js_name = loadIamport)]
    fn glue_load_iamport(options: &JsValue) -> JsValue;
    #[wasm_bindgen(js_name = validateParams, catch)]
    fn glue_validate_params(params: &JsValue) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_name = parseRedirect, catch)]
    fn glue_parse_redirect(url: &JsValue) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_name = newMerchantUid, catch)]
    fn glue_new_merchant_uid(prefix: &JsValue) -> Result<JsValue, JsValue>;
}

/// `requestBillingKey(params, options)`.
pub fn request_billing_key(params: JsValue, options: JsValue) -> js_sys::Promise {
    ensure_handlers();
    glue_request_billing_key(&params, &options).unchecked_into()
}

/// `loadIamport(options)`.
pub fn load_iamport_js(options: JsValue) -> js_sys::Promise {
    ensure_handlers();
    glue_load_iamport(&options).unchecked_into()
}

/// `validateParams(params)`.
pub fn validate_params_js(params: JsValue) -> Result<JsValue, JsValue> {
    ensure_handlers();
    glue_validate_params(&params)
}

/// `parseRedirect(url)`.
pub fn parse_redirect_js(url: JsValue) -> Result<JsValue, JsValue> {
    ensure_handlers();
    glue_parse_redirect(&url)
}

/// `newMerchantUid(prefix)`.
pub fn new_merchant_uid_js(prefix: JsValue) -> Result<String, JsValue> {
    ensure_handlers();
    glue_new_merchant_uid(&prefix).map(|uid| uid.as_string().unwrap_or_default())
}
