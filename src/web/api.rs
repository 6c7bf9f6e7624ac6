//! The Rust API of the browser layer (feature `browser`): [`request_with_callback`], the future
//! [`request`] built on it, and [`load_iamport`].
//!
//! The glue reaches the wasm through two handlers (`exports::call` and `exports::report`). The npm
//! package's `core.js` hands it the wasm's exports; here the handlers are two closures over the
//! same functions, made once on first use and kept for the page's life ([`ensure_handlers`]).

use std::future::Future;

use wasm_bindgen::prelude::*;

use super::settle::Settle;
use super::{exports, loader, request as flow};
use crate::error::Error;
use crate::options::{LoadOptions, RequestOptions};
use crate::params::BillingKeyRequest;
use crate::response::BillingKeyResult;

#[wasm_bindgen(module = "/js/glue.js")]
extern "C" {
    #[wasm_bindgen(js_name = setHandlers)]
    fn set_handlers(handlers: &JsValue, error_class: &JsValue);
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

/// Hands the glue the two handlers, as closures (once; later calls do nothing).
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

/// Requests a billing key and calls `callback` once with the outcome.
///
/// `IMP.request_pay` is called before this returns (keep it inside the click handler, or
/// browsers block the popup). Payment outcomes (approved, declined, closed) are `Ok`; integration
/// problems are `Err` ([`Error::code`]).
///
/// ```no_run
/// use iamport_billing::{request_with_callback, BillingKeyRequest, RequestOptions};
/// let req = BillingKeyRequest::builder().customer_uid("c1").amount(0).buyer_tel("010-1234-5678").build()?;
/// request_with_callback(&req, RequestOptions::NONE, |outcome| match outcome {
///     Ok(result) if result.is_success() => { /* send ids to the server */ }
///     Ok(_) => { /* declined or cancelled */ }
///     Err(e) => { /* an integration problem: e.code(), e.to_string() */ }
/// });
/// # Ok::<(), iamport_billing::Error>(())
/// ```
pub fn request_with_callback(
    request: &BillingKeyRequest,
    options: RequestOptions,
    callback: impl FnOnce(Result<BillingKeyResult, Error>) + 'static,
) {
    ensure_handlers();
    flow::start(request, options, Settle::Rust(Box::new(callback)));
}

/// Requests a billing key; resolves with the typed result.
///
/// The request starts (and `IMP.request_pay` is called) when this function is called, not when
/// the future is first polled, so call it inside the click handler. When the SDK redirects
/// (mobile, `m_redirect_url`), the future never completes: read the result on the redirect page
/// with [`parse_redirect`](crate::parse_redirect).
///
/// ```no_run
/// # async fn run() -> Result<(), iamport_billing::Error> {
/// use iamport_billing::{request, BillingKeyRequest, BillingKeyResult, RequestOptions};
/// let req = BillingKeyRequest::builder()
///     .customer_uid("your-customer-unique-id").amount(0).name("최초인증결제").buyer_tel("02-1234-1234")
///     .build()?;
/// match request(&req, RequestOptions::NONE).await? {
///     BillingKeyResult::Success(ok) => { /* POST ok.customer_uid, ok.imp_uid to your server */ }
///     BillingKeyResult::Failure(no) => { /* show no.error_msg */ }
/// }
/// # Ok(()) }
/// ```
pub fn request(
    request: &BillingKeyRequest,
    options: RequestOptions,
) -> impl Future<Output = Result<BillingKeyResult, Error>> {
    let (sender, receiver) = futures_channel::oneshot::channel();
    request_with_callback(request, options, move |outcome| {
        let _ = sender.send(outcome);
    });
    let customer_uid = request.customer_uid().to_owned();
    async move {
        // `settle` always runs exactly once, so the sender is never dropped unsent.
        receiver.await.unwrap_or_else(|_| {
            Err(Error::SdkError {
                merchant_uid: String::new(),
                customer_uid,
                message: String::from("the request was dropped without an outcome"),
            })
        })
    }
}

/// Makes `globalThis.IMP` available, and optionally calls `IMP.init(merchant_code)` (once per page).
///
/// The options are checked first ([`ErrorCode::InvalidParam`](crate::ErrorCode::InvalidParam),
/// e.g. a `src` that is not an `https:` URL or a path on the page's origin). If `IMP` exists
/// nothing is injected; else an existing `<script>` with the same `src` is reused, else one is
/// added. Concurrent calls share one load. A load error, a timeout or a script that does not
/// define `IMP` fails with [`ErrorCode::SdkLoadFailed`](crate::ErrorCode::SdkLoadFailed) and a
/// later call retries.
///
/// ```no_run
/// # async fn run() -> Result<(), iamport_billing::Error> {
/// use iamport_billing::{load_iamport, LoadOptions};
/// load_iamport(LoadOptions::with_merchant_code("imp12345678")?).await?;
/// # Ok(()) }
/// ```
pub fn load_iamport(options: LoadOptions) -> impl Future<Output = Result<(), Error>> {
    let (sender, receiver) = futures_channel::oneshot::channel();
    let settle: Settle<()> = Settle::Rust(Box::new(move |outcome| {
        let _ = sender.send(outcome);
    }));
    // The fields are public: check them as `LoadOptions::from_value` checks JavaScript's options.
    match options.check() {
        Ok(()) => {
            ensure_handlers();
            loader::start(options, settle);
        }
        Err(e) => settle.send(Err(e)),
    }
    async move {
        receiver.await.unwrap_or_else(|_| Err(loader::failed(String::from("the load was dropped without an outcome"))))
    }
}
