//! The JavaScript API of the npm package (`iamport_billing::js` from Rust): thin entry points over the Rust core. Arguments are
//! taken as `JsValue` and converted inside, so bad input is an ordinary `BillingKeyError`, never a
//! trap. Precise TypeScript types live in the package's `index.d.ts`.

use js_sys::Promise;
use wasm_bindgen::prelude::*;

use super::{bindings, loader, parse_redirect, request, to_value};
use crate::error::Error;
use crate::merchant_uid::DEFAULT_PREFIX;
use crate::options::{LoadOptions, RequestOptions};
use crate::params::{not_a, BillingKeyRequest};
use crate::value::Value;

/// An [`Error`] as a JavaScript `BillingKeyError`.
pub(crate) fn to_js_error(e: &Error) -> JsValue {
    let ids = e.request_ids();
    bindings::BillingKeyError::new(
        e.code().as_str(),
        &e.message(),
        e.field().map(str::to_owned),
        ids.map(|(m, _)| m.to_owned()),
        ids.map(|(_, c)| c.to_owned()),
    )
    .into()
}

/// `requestBillingKey(params, options?)`: validates `params`, calls `IMP.request_pay` before
/// returning, and settles from the callback (see the README for the full contract).
///
/// ```no_run
/// use wasm_bindgen::JsValue;
/// let params = js_sys::JSON::parse(r#"{"customer_uid":"c1","amount":0,"buyer_tel":"010"}"#).unwrap();
/// let promise = iamport_billing::js::request_billing_key(params, JsValue::UNDEFINED);
/// ```
#[wasm_bindgen(js_name = requestBillingKey)]
pub fn request_billing_key(params: JsValue, options: JsValue) -> Promise {
    let checked = BillingKeyRequest::from_value(&to_value(&params))
        .and_then(|request| RequestOptions::from_value(&to_value(&options)).map(|options| (request, options)));
    let (request, options) = match checked {
        Ok(checked) => checked,
        Err(e) => return Promise::reject(&to_js_error(&e)),
    };
    let deferred = bindings::new_deferred();
    let promise = deferred.promise();
    request::start(
        &request,
        options,
        Box::new(move |outcome| match outcome {
            Ok((result, raw)) => {
                bindings::settle_deferred(&deferred, true, &bindings::make_result(&result.to_js_json(), &raw))
            }
            Err(e) => bindings::settle_deferred(&deferred, false, &to_js_error(&e)),
        }),
    );
    promise
}

/// `loadIamport(options?)`: makes `globalThis.IMP` available.
///
/// ```no_run
/// let promise = iamport_billing::js::load_iamport_js(wasm_bindgen::JsValue::UNDEFINED);
/// ```
#[wasm_bindgen(js_name = loadIamport)]
pub fn load_iamport_js(options: JsValue) -> Promise {
    let options = match LoadOptions::from_value(&to_value(&options)) {
        Ok(options) => options,
        Err(e) => return Promise::reject(&to_js_error(&e)),
    };
    let deferred = bindings::new_deferred();
    let promise = deferred.promise();
    loader::start(
        options,
        Box::new(move |outcome| match outcome {
            Ok(()) => bindings::settle_deferred(&deferred, true, &JsValue::UNDEFINED),
            Err(e) => bindings::settle_deferred(&deferred, false, &to_js_error(&e)),
        }),
    );
    promise
}

/// `parseRedirect(url)`: the result on an `m_redirect_url` page, or `null`.
///
/// ```no_run
/// let r = iamport_billing::js::parse_redirect_js("https://x.example/?imp_uid=imps_1".into());
/// ```
#[wasm_bindgen(js_name = parseRedirect)]
pub fn parse_redirect_js(url: JsValue) -> Result<JsValue, JsValue> {
    let Some(url) = url.as_string() else {
        return Err(to_js_error(&not_a("url", "string", &to_value(&url))));
    };
    Ok(match parse_redirect(&url) {
        Some(result) => bindings::parse_json(&result.to_js_json()),
        None => JsValue::NULL,
    })
}

/// `newMerchantUid(prefix = 'billing')`.
///
/// ```no_run
/// let uid = iamport_billing::js::new_merchant_uid_js("order".into());
/// ```
#[wasm_bindgen(js_name = newMerchantUid)]
pub fn new_merchant_uid_js(prefix: JsValue) -> Result<String, JsValue> {
    let prefix = match to_value(&prefix) {
        v if v.is_nullish() => String::from(DEFAULT_PREFIX),
        Value::String(s) => s,
        other => return Err(to_js_error(&not_a("prefix", "string", &other))),
    };
    super::new_merchant_uid(&prefix).map_err(|e| to_js_error(&e))
}

/// The `BillingKeyError` class, re-exported by the package entry.
///
/// ```no_run
/// let class = iamport_billing::js::billing_key_error_class();
/// ```
#[wasm_bindgen(js_name = billingKeyErrorClass)]
pub fn billing_key_error_class() -> JsValue {
    bindings::error_class()
}
