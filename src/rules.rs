//! The rules the browser and the server share: what a `customer_uid` and a `merchant_uid` may be
//! (and [`Amount`](crate::Amount) for amounts). The browser's params and the server crate
//! (`iamport-billing-server`) both call these functions, so the two sides cannot drift apart.

use crate::error::{required, Error};
use crate::text::concat;

/// The longest `customer_uid`, in characters.
pub const CUSTOMER_UID_MAX: usize = 80;

/// The longest `merchant_uid`, in characters (iamport's limit).
pub const MERCHANT_UID_MAX: usize = 40;

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
    crate::checks::check_text(field, uid, CUSTOMER_UID_MAX)?;
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
