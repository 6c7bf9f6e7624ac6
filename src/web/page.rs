//! What the page gives the core: a fresh `merchant_uid` from its clock and `crypto`, and the
//! result on an `m_redirect_url` page, with what the request left in `sessionStorage`.

use super::bindings;
use crate::error::Error;
use crate::merchant_uid::{format_merchant_uid, DEFAULT_PREFIX};
use crate::redirect::{parse_redirect_query, RedirectResult, STORAGE_PREFIX};
use crate::text::concat;

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
