//! The wasm's two entry points for JavaScript: [`call`], behind the npm package's API
//! (`requestBillingKey` → [`request_billing_key`], …), and [`report`], what the glue reports (an
//! IMP callback, a timer, a script load). Thin: each reads its JSON text arguments, calls the core,
//! and answers as JSON text. Arguments arrive as text, so bad input is an ordinary
//! `BillingKeyError`, never a trap. (Two entry points rather than one per function: each export
//! costs its own marshalling code in the wasm and in the JavaScript bindings.)
//!
//! With the feature `npm` these are the wasm's exports; the Rust API (feature `browser`) hands
//! them to the glue as closures (see `api`). The JavaScript signatures, with precise types, are in the package's
//! `index.d.ts`; the Promises and the error objects are made in `js/glue.js`, which numbers the
//! calls and reports as [`op`] does.

#[cfg(feature = "npm")]
use wasm_bindgen::prelude::*;

use super::bindings::value_of;
use super::page::{self, default_merchant_uid};
use super::settle::{self, Settle};
use super::{loader, request};
use crate::error::{not_a, Error};
use crate::json;
use crate::merchant_uid::DEFAULT_PREFIX;
use crate::options::{LoadOptions, RequestOptions};
use crate::params::BillingKeyRequest;
use crate::value::Value;

/// A synchronous answer: the value's JSON, or `!` and the error's JSON (the glue throws it).
fn answer(result: Result<String, Error>) -> String {
    result.unwrap_or_else(|e| {
        let mut out = String::from("!");
        out.push_str(&e.to_js_json());
        out
    })
}

/// The numbers of [`call`]'s and [`report`]'s operations (the same in `js/glue.js`).
pub(crate) mod op {
    pub(crate) const REQUEST_BILLING_KEY: u32 = 0;
    pub(crate) const LOAD_IAMPORT: u32 = 1;
    pub(crate) const VALIDATE_PARAMS: u32 = 2;
    pub(crate) const PARSE_REDIRECT: u32 = 3;
    pub(crate) const NEW_MERCHANT_UID: u32 = 4;
    pub(crate) const ON_CALLBACK: u32 = 0;
    pub(crate) const ON_TIMEOUT: u32 = 1;
    pub(crate) const ON_SCRIPT: u32 = 2;
}

/// A JavaScript API call: `op` names it, `arg` and `options` are its arguments as JSON text
/// (`options` only for the Promise functions), `token` its Promise's (settled through the glue's
/// `settle`; the answer is then `""`). A synchronous call answers with its value as JSON text, or
/// `!` and the error's JSON.
#[cfg_attr(feature = "npm", wasm_bindgen)]
pub fn call(op: u32, arg: String, options: String, token: u32) -> String {
    match op {
        op::REQUEST_BILLING_KEY => request_billing_key(&arg, &options, token),
        op::LOAD_IAMPORT => load_iamport(&arg, token),
        op::VALIDATE_PARAMS => return validate_params(&arg),
        op::PARSE_REDIRECT => return parse_redirect(&arg),
        op::NEW_MERCHANT_UID => return new_merchant_uid(&arg),
        _ => {}
    }
    String::new()
}

/// What the glue reports for request or load `id`: [`op::ON_CALLBACK`] (IMP called back; `text`
/// is its value as JSON text), [`op::ON_TIMEOUT`] (the request's timer expired),
/// [`op::ON_SCRIPT`] (the SDK script's load attempt ended; `text` is `""` when it loaded and
/// defined `IMP`, else why not).
#[cfg_attr(feature = "npm", wasm_bindgen)]
pub fn report(kind: u32, id: u32, text: String) {
    match kind {
        op::ON_CALLBACK => request::on_callback(id, &text),
        op::ON_TIMEOUT => request::on_timeout(id),
        op::ON_SCRIPT => loader::on_script(id, text),
        _ => {}
    }
}

/// `requestBillingKey(params, options)`: validates, calls `IMP.request_pay` before returning, and
/// settles the Promise of `token` (docs/api.md has the full contract).
fn request_billing_key(params: &str, options: &str, token: u32) {
    let checked = BillingKeyRequest::from_value(&value_of(params))
        .and_then(|request| RequestOptions::from_value(&value_of(options)).map(|options| (request, options)));
    match checked {
        Ok((request, options)) => request::start(&request, options, Settle::Promise(token)),
        Err(e) => settle::reject(token, &e),
    }
}

/// `loadIamport(options)`: makes `globalThis.IMP` available, then settles the Promise of `token`.
fn load_iamport(options: &str, token: u32) {
    match LoadOptions::from_value(&value_of(options)) {
        Ok(options) => loader::start(options, Settle::Promise(token)),
        Err(e) => settle::reject(token, &e),
    }
}

/// `validateParams(params)`: the exact object `requestBillingKey` would hand to `IMP.request_pay`
/// (with a fresh `merchant_uid` when none is given), without opening a window; or the same
/// `INVALID_PARAM` error `requestBillingKey` would reject with.
fn validate_params(params: &str) -> String {
    answer(BillingKeyRequest::from_value(&value_of(params)).map(|request| {
        let merchant_uid = request.merchant_uid().map_or_else(default_merchant_uid, str::to_owned);
        request.to_imp_json(&merchant_uid)
    }))
}

/// `parseRedirect(url)`: the result on an `m_redirect_url` page, or `null`.
fn parse_redirect(url: &str) -> String {
    answer(match value_of(url) {
        Value::String(url) => {
            Ok(page::parse_redirect(&url).map_or_else(|| String::from("null"), |result| result.to_js_json()))
        }
        other => Err(not_a("url", "string", &other)),
    })
}

/// `newMerchantUid(prefix = 'billing')`.
fn new_merchant_uid(prefix: &str) -> String {
    answer(match value_of(prefix) {
        v if v.is_nullish() => page::new_merchant_uid(DEFAULT_PREFIX),
        Value::String(s) => page::new_merchant_uid(&s),
        other => Err(not_a("prefix", "string", &other)),
    }
    .map(|uid| json::to_string(&Value::String(uid))))
}
