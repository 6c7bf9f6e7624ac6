//! The request flow: single flight, one long-lived callback, optional timeout.
//!
//! Layering as in gloo: [`start`] runs a request and hands its outcome to a [`Settle`]; the
//! callback-level [`request_with_callback`], the future [`request`] and the JavaScript
//! `requestBillingKey` (a Promise) are built on it.
//!
//! Only one request is pending at a time (iamport v1 keeps one pending callback; a second window
//! would orphan the first). IMP is handed a small JS function bound to the request's id that
//! reports to [`on_callback`] (through the glue's handlers, see `bindings`): nothing is freed while
//! IMP may still call it, a late or repeated call finds no pending request with its id and is
//! ignored, and no per-request closure exists to leak. The optional timeout is a glue timer that
//! reports to [`on_timeout`] the same way.
//!
//! A request settles either a JavaScript Promise (`requestBillingKey`: its token is kept here, and
//! the glue resolves it with the typed result plus the raw callback value) or, for the Rust API, a
//! Rust callback.

use std::cell::RefCell;

use super::bindings::{self, value_of};
use super::page::default_merchant_uid;
use super::settle::Settle;
use crate::error::Error;
use crate::options::RequestOptions;
use crate::params::BillingKeyRequest;
use crate::redirect::{record_json, STORAGE_PREFIX};
use crate::response::{decode_response, BillingKeyResult, RequestContext};
use crate::text::{concat, truncate_chars};

struct Pending {
    id: u32,
    context: RequestContext,
    settle: Settle<BillingKeyResult>,
    /// The timeout, when the request has one (its glue timer has the request's id).
    timeout_ms: Option<u32>,
    /// Whether a redirect record was left in sessionStorage (only with `m_redirect_url`).
    redirect_record: bool,
}

struct State {
    pending: Option<Pending>,
    next_id: u32,
}

thread_local! {
    static STATE: RefCell<State> = const { RefCell::new(State { pending: None, next_id: 0 }) };
}

/// Starts a request; `settle` runs exactly once (possibly before this returns).
///
/// Checks run in this order: a request already pending (`IN_PROGRESS`), IMP present
/// (`IMP_NOT_LOADED`). `IMP.request_pay` is called before this returns, so a click's user
/// activation carries over to the payment window.
pub(crate) fn start(request: &BillingKeyRequest, options: RequestOptions, settle: Settle<BillingKeyResult>) {
    let busy = STATE.with(|cell| cell.try_borrow().map(|s| s.pending.is_some()).unwrap_or(true));
    if busy {
        return settle.send(Err(Error::InProgress));
    }
    if !bindings::imp_loaded() {
        return settle.send(Err(Error::ImpNotLoaded));
    }
    let merchant_uid = request.merchant_uid().map_or_else(default_merchant_uid, str::to_owned);
    let context = RequestContext {
        merchant_uid,
        customer_uid: request.customer_uid().to_owned(),
        amount: request.amount(),
    };
    // Best effort: storage may be disabled; the redirect page then reports customer_uid: null.
    let redirect_record = request.m_redirect_url().is_some()
        && bindings::session_set(
            &concat(&[STORAGE_PREFIX, &context.merchant_uid]),
            &record_json(&context.merchant_uid, &context.customer_uid, context.amount),
        );
    let param_json = request.to_imp_json(&context.merchant_uid);

    let installed = STATE.with(|cell| match cell.try_borrow_mut() {
        Ok(mut state) => {
            state.next_id = state.next_id.wrapping_add(1);
            let id = state.next_id;
            let timeout_ms = options.timeout_ms;
            state.pending = Some(Pending { id, context, settle, timeout_ms, redirect_record });
            Ok(id)
        }
        Err(_) => Err(settle),
    });
    let id = match installed {
        Ok(id) => id,
        Err(settle) => return settle.send(Err(Error::InProgress)),
    };
    if let Some(ms) = options.timeout_ms {
        bindings::start_timer(id, ms);
    }

    // No borrow is held here: IMP may call back synchronously.
    let problem = bindings::call_request_pay(&param_json, id);
    if !problem.is_empty() {
        fail(id, truncate_chars(&problem, 300));
    }
}

/// Drops the redirect record of a request that settled on this page (no redirect happened).
fn forget_redirect_record(pending: &Pending) {
    if pending.redirect_record {
        bindings::session_remove(&concat(&[STORAGE_PREFIX, &pending.context.merchant_uid]));
    }
}

/// Ends request `id` if it is the pending one, and stops its timer.
fn take_pending(id: u32) -> Option<Pending> {
    let pending = STATE.with(|cell| {
        let mut state = cell.try_borrow_mut().ok()?;
        if state.pending.as_ref().map(|p| p.id) == Some(id) {
            state.pending.take()
        } else {
            None
        }
    })?;
    if pending.timeout_ms.is_some() {
        bindings::stop_timer(id);
    }
    Some(pending)
}

fn fail(id: u32, message: String) {
    if let Some(pending) = take_pending(id) {
        forget_redirect_record(&pending);
        let Pending { context, settle, .. } = pending;
        settle.send(Err(Error::SdkError { merchant_uid: context.merchant_uid, customer_uid: context.customer_uid, message }));
    }
}

/// IMP called back for request `id`, with its value as JSON text (reported through `exports::report`).
pub(crate) fn on_callback(id: u32, response: &str) {
    let Some(pending) = take_pending(id) else {
        return; // a late or second callback: ignored
    };
    // The callback arrived on this page, so no redirect happened: the redirect record is not needed.
    forget_redirect_record(&pending);
    let Pending { context, settle, .. } = pending;
    settle.send(Ok(decode_response(value_of(response), &context)));
}

/// The timer of request `id` expired (reported through `exports::report`).
pub(crate) fn on_timeout(id: u32) {
    if let Some(Pending { context, settle, timeout_ms, .. }) = take_pending(id) {
        settle.send(Err(Error::Timeout {
            merchant_uid: context.merchant_uid,
            customer_uid: context.customer_uid,
            timeout_ms: timeout_ms.unwrap_or(0),
        }));
    }
}
