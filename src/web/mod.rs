//! The browser layer (wasm32 only): the request flow, the SDK loader, redirects, and the
//! JavaScript exports of the npm package.

mod bindings;
mod exports;
mod loader;
mod request;

#[cfg(not(feature = "npm"))]
pub use loader::load_iamport;
#[cfg(not(feature = "npm"))]
pub use request::{request, request_with_callback};

use crate::error::Error;
use crate::json;
use crate::merchant_uid::{format_merchant_uid, DEFAULT_PREFIX};
use crate::redirect::{parse_redirect_query, RedirectResult, STORAGE_PREFIX};
use crate::text::concat;
use crate::value::{Unsupported, Value};

/// A fresh `merchant_uid`: `{prefix}_{time}{random}`, unique (time + `crypto.getRandomValues`), at
/// most 40 characters, `^[A-Za-z0-9_-]+$`. The prefix is 1–20 of those characters.
///
/// ```no_run
/// let uid = iamport_billing::new_merchant_uid("order")?;
/// assert!(uid.starts_with("order_") && uid.len() <= 40);
/// # Ok::<(), iamport_billing::Error>(())
/// ```
pub fn new_merchant_uid(prefix: &str) -> Result<String, Error> {
    format_merchant_uid(prefix, bindings::now_ms(), bindings::random_bytes())
}

pub(crate) fn default_merchant_uid() -> String {
    // The default prefix is valid, so this is never the fallback in practice.
    new_merchant_uid(DEFAULT_PREFIX).unwrap_or_else(|_| String::from("billing"))
}

/// Reads the result on an `m_redirect_url` page (mobile flow), recovering `customer_uid` and
/// `amount` from the record the request left in `sessionStorage` (same tab). `None` when the URL
/// carries neither `imp_uid` nor `merchant_uid`.
///
/// When the SDK redirects, the original request never completes: the redirect page is where the
/// result arrives.
///
/// ```no_run
/// // On the m_redirect_url page, with the page's address (e.g. from `window.location.href`):
/// let href = "https://shop.example/done?imp_uid=imps_123456789012&merchant_uid=merchant_1&imp_success=true";
/// if let Some(result) = iamport_billing::parse_redirect(href) {
///     // confirm result.imp_uid on your server
/// }
/// ```
pub fn parse_redirect(url: &str) -> Option<RedirectResult> {
    let mut result = parse_redirect_query(url)?;
    if let Some(record) = result.merchant_uid.as_deref().and_then(|m| bindings::session_get(&concat(&[STORAGE_PREFIX, m]))) {
        result.recover(&record);
    }
    Some(result)
}

/// The glue's JSON text of a JS value (its `encode`) as a core [`Value`].
pub(crate) fn value_of(text: &str) -> Value {
    json::parse(text).unwrap_or(Value::Unsupported(Unsupported::Unreadable))
}

/// The npm package's JavaScript API, called from Rust with JavaScript values: the same glue
/// functions the package exports (`js/glue.js`), over the same entry points. For the crate's
/// browser tests; a Rust app uses [`request`](crate::request) and the other typed functions.
#[cfg(not(feature = "npm"))]
#[doc(hidden)]
pub mod js {
    use wasm_bindgen::{JsCast, JsValue};

    use super::bindings::{ensure_handlers, rust_app as glue};

    /// `requestBillingKey(params, options)`.
    pub fn request_billing_key(params: JsValue, options: JsValue) -> js_sys::Promise {
        ensure_handlers();
        glue::request_billing_key(&params, &options).unchecked_into()
    }

    /// `loadIamport(options)`.
    pub fn load_iamport_js(options: JsValue) -> js_sys::Promise {
        ensure_handlers();
        glue::load_iamport(&options).unchecked_into()
    }

    /// `validateParams(params)`.
    pub fn validate_params_js(params: JsValue) -> Result<JsValue, JsValue> {
        ensure_handlers();
        glue::validate_params(&params)
    }

    /// `parseRedirect(url)`.
    pub fn parse_redirect_js(url: JsValue) -> Result<JsValue, JsValue> {
        ensure_handlers();
        glue::parse_redirect(&url)
    }

    /// `newMerchantUid(prefix)`.
    pub fn new_merchant_uid_js(prefix: JsValue) -> Result<String, JsValue> {
        ensure_handlers();
        glue::new_merchant_uid(&prefix).map(|uid| uid.as_string().unwrap_or_default())
    }
}

// The npm package's allocator (feature `small-alloc`, set by scripts/build-pkg.sh): lol_alloc's
// free list instead of std's dlmalloc: less wasm.
// SAFETY: wasm32-unknown-unknown without the atomics target feature runs on exactly one thread,
// which is what `AssumeSingleThreaded` requires.
#[cfg(feature = "small-alloc")]
#[global_allocator]
static ALLOCATOR: lol_alloc::AssumeSingleThreaded<lol_alloc::FreeListAllocator> =
    unsafe { lol_alloc::AssumeSingleThreaded::new(lol_alloc::FreeListAllocator::new()) };
