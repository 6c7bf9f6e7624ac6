//! The wasm's entry points for JavaScript: the calls behind the npm package's API
//! (`requestBillingKey` → [`request_billing_key`], …) and the reports the glue makes
//! ([`on_callback`], [`on_timeout`], [`on_script`]). Thin: each reads its JSON text arguments,
//! calls the core, and answers as JSON text. Arguments arrive as text, so bad input is an ordinary
//! `BillingKeyError`, never a trap.
//!
//! With the feature `npm` these are the wasm's exports; otherwise the glue reaches them through
//! closures (see `bindings`). The JavaScript signatures, with precise types, are in the package's
//! `index.d.ts`; the Promises and the error objects are made in `js/glue.js`.

#[cfg(feature = "npm")]
use wasm_bindgen::prelude::*;

use super::bindings::{self, REJECT};
use super::{default_merchant_uid, loader, request, value_of};
use crate::error::Error;
use crate::json;
use crate::merchant_uid::DEFAULT_PREFIX;
use crate::options::{LoadOptions, RequestOptions};
use crate::params::{not_a, BillingKeyRequest};
use crate::value::Value;

/// An [`Error`] as the JSON the glue turns into a `BillingKeyError`.
pub(crate) fn error_json(e: &Error) -> String {
    let mut out = String::from("{\"code\":");
    json::write_str(&mut out, e.code().as_str());
    out.push_str(",\"message\":");
    json::write_str(&mut out, &e.message());
    if let Some(field) = e.field() {
        out.push_str(",\"field\":");
        json::write_str(&mut out, field);
    }
    if let Some((merchant_uid, customer_uid)) = e.request_ids() {
        out.push_str(",\"merchant_uid\":");
        json::write_str(&mut out, merchant_uid);
        out.push_str(",\"customer_uid\":");
        json::write_str(&mut out, customer_uid);
    }
    out.push('}');
    out
}

/// A synchronous answer: the value's JSON, or `!` and the error's JSON (the glue throws it).
fn answer(result: Result<String, Error>) -> String {
    result.unwrap_or_else(|e| {
        let mut out = String::from("!");
        out.push_str(&error_json(&e));
        out
    })
}

/// `requestBillingKey(params, options)`: validates, calls `IMP.request_pay` before returning, and
/// settles the Promise of `token` (see the README for the full contract).
#[cfg_attr(feature = "npm", wasm_bindgen)]
pub fn request_billing_key(params: String, options: String, token: u32) {
    let checked = BillingKeyRequest::from_value(&value_of(&params))
        .and_then(|request| RequestOptions::from_value(&value_of(&options)).map(|options| (request, options)));
    match checked {
        Ok((request, options)) => request::start(&request, options, request::Settle::Promise(token)),
        Err(e) => bindings::settle(token, REJECT, &error_json(&e)),
    }
}

/// `loadIamport(options)`: makes `globalThis.IMP` available, then settles the Promise of `token`.
#[cfg_attr(feature = "npm", wasm_bindgen)]
pub fn load_iamport(options: String, token: u32) {
    match LoadOptions::from_value(&value_of(&options)) {
        Ok(options) => loader::start(options, loader::Settle::Promise(token)),
        Err(e) => bindings::settle(token, REJECT, &error_json(&e)),
    }
}

/// `validateParams(params)`: the exact object `requestBillingKey` would hand to `IMP.request_pay`
/// (with a fresh `merchant_uid` when none is given), without opening a window; or the same
/// `INVALID_PARAM` error `requestBillingKey` would reject with.
#[cfg_attr(feature = "npm", wasm_bindgen)]
pub fn validate_params(params: String) -> String {
    answer(BillingKeyRequest::from_value(&value_of(&params)).map(|request| {
        let merchant_uid = request.merchant_uid().map_or_else(default_merchant_uid, str::to_owned);
        request.to_imp_json(&merchant_uid)
    }))
}

/// `parseRedirect(url)`: the result on an `m_redirect_url` page, or `null`.
#[cfg_attr(feature = "npm", wasm_bindgen)]
pub fn parse_redirect(url: String) -> String {
    answer(match value_of(&url) {
        Value::String(url) => {
            Ok(super::parse_redirect(&url).map_or_else(|| String::from("null"), |result| result.to_js_json()))
        }
        other => Err(not_a("url", "string", &other)),
    })
}

/// `newMerchantUid(prefix = 'billing')`.
#[cfg_attr(feature = "npm", wasm_bindgen)]
pub fn new_merchant_uid(prefix: String) -> String {
    answer(match value_of(&prefix) {
        v if v.is_nullish() => super::new_merchant_uid(DEFAULT_PREFIX),
        Value::String(s) => super::new_merchant_uid(&s),
        other => Err(not_a("prefix", "string", &other)),
    }
    .map(|uid| json::to_string(&Value::String(uid))))
}

/// IMP called back for request `id`, with its value as JSON text.
#[cfg_attr(feature = "npm", wasm_bindgen)]
pub fn on_callback(id: u32, response: String) {
    request::on_callback(id, &response);
}

/// The timer of request `id` expired.
#[cfg_attr(feature = "npm", wasm_bindgen)]
pub fn on_timeout(id: u32) {
    request::on_timeout(id);
}

/// Load attempt `id` of the SDK script ended: `problem` is `""` when it loaded and defined `IMP`.
#[cfg_attr(feature = "npm", wasm_bindgen)]
pub fn on_script(id: u32, problem: String) {
    loader::on_script(id, problem);
}
