//! The entry points of the browser layer on targets without a browser (a server-side render, a
//! native test): they exist with the same signatures on every target, so a component that is
//! compiled for the server too (Leptos SSR or hydration, Yew SSR) builds unchanged, and each
//! answers with a typed result instead of a missing symbol.
//!
//! - [`request`] and [`request_with_callback`] answer [`Error::ImpNotLoaded`]: there is no `IMP`
//!   here (open the window from the browser build).
//! - [`load_iamport`] answers [`Error::SdkLoadFailed`]: there is no page to load the SDK into.
//! - [`parse_redirect`] reads the URL (there is no `sessionStorage` to recover `customer_uid` and
//!   `amount` from, so they stay `None`).
//! - [`new_merchant_uid`] works: the time from the system clock, the random part from the
//!   standard library's per-process random hasher keys.

use std::future::Future;
use std::hash::{BuildHasher, Hasher};

use crate::error::Error;
use crate::merchant_uid::format_merchant_uid;
use crate::options::{LoadOptions, RequestOptions};
use crate::params::BillingKeyRequest;
use crate::redirect::{parse_redirect_query, RedirectResult};
use crate::response::BillingKeyResult;

/// A fresh `merchant_uid`: `{prefix}_{time}{random}`, at most 40 characters, `^[A-Za-z0-9_-]+$`.
///
/// ```
/// let uid = iamport_billing::new_merchant_uid("order")?;
/// assert!(uid.starts_with("order_") && uid.len() <= 40);
/// assert_ne!(uid, iamport_billing::new_merchant_uid("order")?);
/// # Ok::<(), iamport_billing::Error>(())
/// ```
pub fn new_merchant_uid(prefix: &str) -> Result<String, Error> {
    let now_ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX));
    // Each `RandomState` has fresh keys (random per process, then incremented), so the hash of
    // the same input differs from call to call.
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u64(now_ms);
    let b = hasher.finish().to_be_bytes();
    format_merchant_uid(prefix, now_ms, [b[0], b[1], b[2], b[3], b[4]])
}

/// Reads the result from an `m_redirect_url` address; `None` when it carries neither `imp_uid`
/// nor `merchant_uid`. (Off the browser nothing is recovered from `sessionStorage`.)
///
/// ```
/// let r = iamport_billing::parse_redirect("https://shop.example/done?imp_uid=imps_1&imp_success=true").unwrap();
/// assert_eq!(r.imp_uid.as_deref(), Some("imps_1"));
/// assert_eq!(r.customer_uid, None);
/// ```
pub fn parse_redirect(url: &str) -> Option<RedirectResult> {
    parse_redirect_query(url)
}

/// Calls `callback` at once with [`Error::ImpNotLoaded`]: there is no payment window off the
/// browser.
///
/// ```
/// use iamport_billing::{request_with_callback, BillingKeyRequest, ErrorCode, RequestOptions};
/// let req = BillingKeyRequest::builder().customer_uid("c1").amount(0).buyer_tel("010").build()?;
/// request_with_callback(&req, RequestOptions::NONE, |outcome| {
///     assert_eq!(outcome.unwrap_err().code(), ErrorCode::ImpNotLoaded);
/// });
/// # Ok::<(), iamport_billing::Error>(())
/// ```
pub fn request_with_callback(
    request: &BillingKeyRequest,
    options: RequestOptions,
    callback: impl FnOnce(Result<BillingKeyResult, Error>) + 'static,
) {
    let _ = (request, options);
    callback(Err(Error::ImpNotLoaded));
}

/// A future that resolves at once to [`Error::ImpNotLoaded`]: there is no payment window off the
/// browser.
///
/// ```
/// # use iamport_billing::{request, BillingKeyRequest, RequestOptions};
/// let req = BillingKeyRequest::builder().customer_uid("c1").amount(0).buyer_tel("010").build()?;
/// let _pending = request(&req, RequestOptions::NONE); // Err(ImpNotLoaded) when awaited
/// # Ok::<(), iamport_billing::Error>(())
/// ```
pub fn request(
    request: &BillingKeyRequest,
    options: RequestOptions,
) -> impl Future<Output = Result<BillingKeyResult, Error>> {
    let _ = (request, options);
    std::future::ready(Err(Error::ImpNotLoaded))
}

/// A future that resolves at once: to [`Error::InvalidParam`] when the options are not valid (as
/// in the browser, they are checked first), else to [`Error::SdkLoadFailed`]: there is no page to
/// load the SDK into off the browser.
///
/// ```
/// let _pending = iamport_billing::load_iamport(iamport_billing::LoadOptions::default());
/// ```
pub fn load_iamport(options: LoadOptions) -> impl Future<Output = Result<(), Error>> {
    std::future::ready(options.check().and(Err(Error::SdkLoadFailed {
        message: String::from("there is no browser here (this build is not for wasm32): load the SDK in the browser"),
    })))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;
    use std::pin::pin;
    use std::task::{Context, Poll, Waker};

    fn now<T>(f: impl Future<Output = T>) -> T {
        match pin!(f).poll(&mut Context::from_waker(Waker::noop())) {
            Poll::Ready(v) => v,
            Poll::Pending => panic!("the future must be ready at once"),
        }
    }

    fn seed() -> BillingKeyRequest {
        BillingKeyRequest::builder().customer_uid("c1").amount(0).buyer_tel("02-1234-1234").build().unwrap()
    }

    #[test]
    fn request_off_the_browser_answers_imp_not_loaded_at_once() {
        assert_eq!(now(request(&seed(), RequestOptions::NONE)).unwrap_err().code(), ErrorCode::ImpNotLoaded);
        let got = std::rc::Rc::new(std::cell::Cell::new(None));
        let sink = got.clone();
        request_with_callback(&seed(), RequestOptions::NONE, move |o| sink.set(Some(o.map(|_| ()))));
        assert_eq!(got.take().map(|o| o.unwrap_err().code()), Some(ErrorCode::ImpNotLoaded));
    }

    #[test]
    fn load_iamport_off_the_browser_answers_sdk_load_failed_saying_why() {
        let e = now(load_iamport(LoadOptions::default())).unwrap_err();
        assert_eq!(e.code(), ErrorCode::SdkLoadFailed);
        assert!(e.to_string().contains("there is no browser here"), "{e}");
    }

    #[test]
    fn load_iamport_off_the_browser_checks_the_options_first() {
        let options = LoadOptions { src: String::from("data:text/javascript,window.IMP={}"), ..LoadOptions::default() };
        let e = now(load_iamport(options)).unwrap_err();
        assert_eq!((e.code(), e.field()), (ErrorCode::InvalidParam, Some("src")), "{e}");
        let options = LoadOptions { merchant_code: Some(String::from("imp1")), ..LoadOptions::default() };
        assert_eq!(now(load_iamport(options)).unwrap_err().field(), Some("merchantCode"));
        let options = LoadOptions { timeout_ms: 0, ..LoadOptions::default() };
        assert_eq!(now(load_iamport(options)).unwrap_err().field(), Some("timeoutMs"));
    }

    #[test]
    fn new_merchant_uid_off_the_browser_is_valid_and_fresh_each_call() {
        let a = new_merchant_uid("order").unwrap();
        let b = new_merchant_uid("order").unwrap();
        assert_ne!(a, b);
        assert!(a.starts_with("order_") && a.len() <= 40, "{a}");
        assert!(a.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'-'), "{a}");
        assert_eq!(new_merchant_uid("bad prefix!").unwrap_err().code(), ErrorCode::InvalidParam);
    }

    #[test]
    fn parse_redirect_off_the_browser_reads_the_query_only() {
        let r = parse_redirect("https://x.example/?imp_uid=imps_1&merchant_uid=m1&imp_success=true").unwrap();
        assert_eq!((r.imp_uid.as_deref(), r.merchant_uid.as_deref(), r.customer_uid), (Some("imps_1"), Some("m1"), None));
        assert!(parse_redirect("https://x.example/").is_none());
    }
}
