//! The browser layer (wasm32 only): the request flow, the SDK loader, redirects, and the
//! JavaScript exports of the npm package.

mod bindings;
pub mod exports;
mod loader;
mod request;

pub use loader::load_iamport;
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
    if let (Some(merchant_uid), Some(storage)) = (result.merchant_uid.as_deref(), bindings::session_storage()) {
        if let Ok(Some(record)) = storage.get_item(&concat(&[STORAGE_PREFIX, merchant_uid])) {
            result.recover(&record);
        }
    }
    Some(result)
}

/// Any JS value as a core [`Value`].
pub(crate) fn to_value(v: &wasm_bindgen::JsValue) -> Value {
    // An omitted argument (options, prefix): what the glue's marker for `undefined` parses to,
    // without the round trip through JSON text.
    if v.is_undefined() {
        return Value::Unsupported(Unsupported::Undefined);
    }
    json::parse(&bindings::encode(v)).unwrap_or(Value::Unsupported(Unsupported::Unreadable))
}

// The npm package's allocator (feature `small-alloc`, set by scripts/build-pkg.sh): lol_alloc's
// free list instead of std's dlmalloc, ~8 KB less wasm.
// SAFETY: wasm32-unknown-unknown without the atomics target feature runs on exactly one thread,
// which is what `AssumeSingleThreaded` requires.
#[cfg(feature = "small-alloc")]
#[global_allocator]
static ALLOCATOR: lol_alloc::AssumeSingleThreaded<lol_alloc::FreeListAllocator> =
    unsafe { lol_alloc::AssumeSingleThreaded::new(lol_alloc::FreeListAllocator::new()) };

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen::JsValue;
    use wasm_bindgen_test::*;

    wasm_bindgen_test_configure!(run_in_browser);

    #[wasm_bindgen_test]
    fn undefined_is_what_the_glue_marker_parses_to() {
        let via_glue = json::parse(&bindings::encode(&JsValue::UNDEFINED));
        assert_eq!(via_glue, Ok(Value::Unsupported(Unsupported::Undefined)));
        assert_eq!(Ok(to_value(&JsValue::UNDEFINED)), via_glue);
    }
}
