//! The request flow: single flight, one long-lived callback, optional timeout.
//!
//! Layering as in gloo: [`request_with_callback`] is the callback-level API; [`request`] (a future)
//! and the JavaScript `requestBillingKey` (a Promise) are built on it.
//!
//! Only one request is pending at a time (iamport v1 keeps one pending callback; a second window
//! would orphan the first). IMP is handed a small JS function bound to the request's id that calls
//! one Rust closure living for the whole page: nothing is freed while IMP may still call it, a late
//! or repeated call finds no pending request with its id and is ignored, and no per-request closure
//! exists to leak.

use std::cell::RefCell;
use std::future::Future;

use gloo_timers::callback::Timeout;
use wasm_bindgen::prelude::*;

use super::{bindings, default_merchant_uid, to_value};
use crate::error::Error;
use crate::options::RequestOptions;
use crate::params::BillingKeyRequest;
use crate::redirect::{record_json, STORAGE_PREFIX};
use crate::response::{decode_response, BillingKeyResult, RequestContext};
use crate::text::{concat, truncate_chars};

/// What a request settles with on the JavaScript side: the typed result plus the raw callback value.
pub(crate) type Outcome = Result<(BillingKeyResult, JsValue), Error>;
pub(crate) type Settle = Box<dyn FnOnce(Outcome)>;

struct Pending {
    id: u32,
    context: RequestContext,
    settle: Settle,
    timeout: Option<Timeout>,
    timeout_ms: u32,
    /// Whether a redirect record was left in sessionStorage (only with `m_redirect_url`).
    redirect_record: bool,
}

#[derive(Default)]
struct State {
    pending: Option<Pending>,
    next_id: u32,
    /// The one closure IMP's callbacks reach, created on first use and kept for the page's life.
    callback: Option<Closure<dyn Fn(u32, JsValue)>>,
}

thread_local! {
    static STATE: RefCell<State> = RefCell::new(State::default());
}

/// Starts a request; `settle` runs exactly once (possibly before this returns).
///
/// Checks run in this order: a request already pending (`IN_PROGRESS`), IMP present
/// (`IMP_NOT_LOADED`). `IMP.request_pay` is called before this returns, so a click's user
/// activation carries over to the payment window.
pub(crate) fn start(request: &BillingKeyRequest, options: RequestOptions, settle: Settle) {
    let busy = STATE.with(|cell| cell.try_borrow().map(|s| s.pending.is_some()).unwrap_or(true));
    if busy {
        return settle(Err(Error::InProgress));
    }
    let imp = bindings::find_imp();
    if imp.is_undefined() {
        return settle(Err(Error::ImpNotLoaded));
    }
    let merchant_uid = request.merchant_uid().map_or_else(default_merchant_uid, str::to_owned);
    let context = RequestContext {
        merchant_uid,
        customer_uid: request.customer_uid().to_owned(),
        amount: request.amount(),
    };
    // Best effort: storage may be disabled; the redirect page then reports customer_uid: null.
    let redirect_record = request.m_redirect_url().is_some()
        && bindings::session_storage().is_some_and(|storage| {
            let key = concat(&[STORAGE_PREFIX, &context.merchant_uid]);
            storage.set_item(&key, &record_json(&context.merchant_uid, &context.customer_uid, context.amount)).is_ok()
        });
    let param_json = request.to_imp_json(&context.merchant_uid);

    let installed = STATE.with(|cell| match cell.try_borrow_mut() {
        Ok(mut state) => {
            state.next_id = state.next_id.wrapping_add(1);
            let id = state.next_id;
            let closure = state.callback.get_or_insert_with(|| Closure::new(on_callback));
            let callback = bindings::bind_callback(closure.as_ref(), id);
            let timeout = options.timeout_ms.map(|ms| Timeout::new(ms, move || on_timeout(id)));
            let timeout_ms = options.timeout_ms.unwrap_or(0);
            state.pending = Some(Pending { id, context, settle, timeout, timeout_ms, redirect_record });
            Ok((id, callback))
        }
        Err(_) => Err(settle),
    });
    let (id, callback) = match installed {
        Ok(installed) => installed,
        Err(settle) => return settle(Err(Error::InProgress)),
    };

    // No borrow is held here: IMP may call back synchronously.
    let problem = bindings::call_request_pay(&imp, &param_json, &callback);
    if !problem.is_empty() {
        fail(id, truncate_chars(&problem, 300));
    }
}

/// Drops the redirect record of a request that settled on this page (no redirect happened).
fn forget_redirect_record(pending: &Pending) {
    if pending.redirect_record {
        if let Some(storage) = bindings::session_storage() {
            let _ = storage.remove_item(&concat(&[STORAGE_PREFIX, &pending.context.merchant_uid]));
        }
    }
}

fn take_pending(id: u32) -> Option<Pending> {
    STATE.with(|cell| {
        let mut state = cell.try_borrow_mut().ok()?;
        if state.pending.as_ref().map(|p| p.id) == Some(id) {
            state.pending.take()
        } else {
            None
        }
    })
}

fn fail(id: u32, message: String) {
    if let Some(pending) = take_pending(id) {
        forget_redirect_record(&pending);
        let Pending { context, settle, .. } = pending;
        settle(Err(Error::SdkError { merchant_uid: context.merchant_uid, customer_uid: context.customer_uid, message }));
    }
}

fn on_callback(id: u32, response: JsValue) {
    let Some(pending) = take_pending(id) else {
        return; // a late or second callback: ignored
    };
    // The callback arrived on this page, so no redirect happened: the redirect record is not needed.
    forget_redirect_record(&pending);
    let Pending { context, settle, timeout, .. } = pending;
    drop(timeout);
    let result = decode_response(to_value(&response), &context);
    settle(Ok((result, response)));
}

fn on_timeout(id: u32) {
    if let Some(Pending { context, settle, timeout_ms, .. }) = take_pending(id) {
        settle(Err(Error::Timeout { merchant_uid: context.merchant_uid, customer_uid: context.customer_uid, timeout_ms }));
    }
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
    start(request, options, Box::new(move |outcome: Outcome| callback(outcome.map(|(result, _raw)| result))));
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
