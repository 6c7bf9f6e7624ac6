//! The rules the browser and the server share: what a `customer_uid` and a `merchant_uid` may be
//! (and [`Amount`](crate::Amount) for amounts). The browser's params and the server crate
//! (`iamport-billing-server`) both call these functions, so the two sides cannot drift apart.

use crate::error::{required, Error};
use crate::text::concat;

/// The longest `customer_uid`, in characters (the table's, [`crate::fields::DANAL_CARD`]).
pub const CUSTOMER_UID_MAX: usize = crate::fields::max_of(crate::fields::DANAL_CARD.fields, "customer_uid");

/// The longest `merchant_uid`, in characters (the table's: iamport's limit).
pub const MERCHANT_UID_MAX: usize = crate::fields::max_of(crate::fields::DANAL_CARD.fields, "merchant_uid");

/// The longest instalment plan, in months (the table's `card_quota`).
pub const CARD_QUOTA_MAX: u64 = crate::fields::max_of(crate::fields::DANAL_CARD.fields, "card_quota") as u64;

/// A `customer_uid`: 1–80 characters, no control characters, no leading or trailing whitespace,
/// none of `/ ? # % \` (it becomes a REST API path segment). `field` is the path named in the error.
///
/// ```
/// use iamport_billing::rules::check_customer_uid;
/// assert!(check_customer_uid("customer_uid", "user_1_card").is_ok());
/// let err = check_customer_uid("customer_uid", "a/b").unwrap_err();
/// assert_eq!(err.field(), Some("customer_uid"));
/// assert_eq!(check_customer_uid("customer_uid", "").unwrap_err().to_string(), "customer_uid is required");
/// ```
pub fn check_customer_uid(field: &str, uid: &str) -> Result<(), Error> {
    if uid.is_empty() {
        return Err(required(field));
    }
    check_path_segment(field, uid, CUSTOMER_UID_MAX)
}

/// Text of 1..=max characters that can be a REST API path segment.
pub(crate) fn check_path_segment(field: &str, uid: &str, max: usize) -> Result<(), Error> {
    crate::checks::check_text(field, uid, max)?;
    let space = |c: char| c.is_whitespace() || c == '\u{feff}';
    if uid.starts_with(space) || uid.ends_with(space) {
        return Err(Error::invalid(field, concat(&[field, " must not start or end with whitespace"])));
    }
    if uid.bytes().any(|b| matches!(b, b'/' | b'?' | b'#' | b'%' | b'\\')) {
        return Err(Error::invalid(
            field,
            concat(&[field, " must not contain / ? # % or \\ (it becomes a REST API path segment)"]),
        ));
    }
    Ok(())
}

/// A `merchant_uid`: 1–40 characters, no control characters. `field` is the path named in the
/// error.
///
/// ```
/// use iamport_billing::rules::check_merchant_uid;
/// assert!(check_merchant_uid("merchant_uid", "order_1").is_ok());
/// assert!(check_merchant_uid("merchant_uid", &"x".repeat(41)).is_err());
/// ```
pub fn check_merchant_uid(field: &str, uid: &str) -> Result<(), Error> {
    if uid.is_empty() {
        return Err(required(field));
    }
    crate::checks::check_text(field, uid, MERCHANT_UID_MAX)
}

/// Text of at most `max` characters with no control characters (the limit every text field of the
/// browser's params has). `field` is the path named in the error.
///
/// ```
/// use iamport_billing::rules::check_text;
/// assert!(check_text("name", "월 구독", 40).is_ok());
/// assert_eq!(check_text("name", "abc", 2).unwrap_err().to_string(), "name must be at most 2 characters (got 3)");
/// assert!(check_text("name", "a\u{7}", 40).is_err());
/// ```
pub fn check_text(field: &str, s: &str, max: usize) -> Result<(), Error> {
    crate::checks::check_text(field, s, max)
}

/// Whether a param's key names a server-side secret (`imp_key`, `imp_secret`, `access_token`,
/// `api_key`, …, compared lower-case without `_` and `-`): the browser refuses such keys, and the
/// server refuses them in a call's params (they belong in the client's config).
///
/// ```
/// use iamport_billing::rules::looks_like_secret;
/// assert!(looks_like_secret("imp_secret") && looks_like_secret("IMP-KEY") && looks_like_secret("accessToken"));
/// assert!(!looks_like_secret("customer_uid"));
/// ```
pub fn looks_like_secret(key: &str) -> bool {
    crate::checks::looks_like_secret(key)
}

pub use crate::checks::did_you_mean;
