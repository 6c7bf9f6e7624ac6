//! The params of each call: a typed constructor for Rust and `from_json` for params that arrive
//! as JSON (the JavaScript layer). Both end in the same `check`, run before anything is sent.

pub(crate) mod cancel;
mod charge;
mod confirm;
mod details;
pub(crate) mod lifecycle;
pub(crate) mod read;
mod schedule;

/// The checks of a single id given alone (`get_payment(imp_uid)`, …): its field in the core's
/// table ([`iamport_billing::fields`]).
pub(crate) mod rules {
    use crate::error::Error;

    pub(crate) fn imp_uid(path: &str, uid: &str) -> Result<(), Error> {
        super::read::id(path, uid)
    }

    pub(crate) fn merchant_uid(path: &str, uid: &str) -> Result<(), Error> {
        super::read::id(path, uid)
    }

    pub(crate) fn customer_uid(path: &str, uid: &str) -> Result<(), Error> {
        super::read::id(path, uid)
    }
}

pub use cancel::{CancelParams, PaymentRef};
pub use charge::ChargeParams;
pub use confirm::ConfirmParams;
pub use details::OrderDetails;
pub use lifecycle::{ListSchedulesParams, RescheduleParams, BILLING_KEYS_MAX};
pub use schedule::{ScheduleEntry, ScheduleParams, UnscheduleParams};

/// What stays as is in a path segment: RFC 3986's unreserved characters.
const SEGMENT: &percent_encoding::AsciiSet =
    &percent_encoding::NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// Percent-encodes one path segment (an id placed in a URL path).
pub(crate) fn segment(id: &str) -> String {
    percent_encoding::utf8_percent_encode(id, SEGMENT).to_string()
}

#[cfg(test)]
mod tests {
    #[test]
    fn segments() {
        assert_eq!(super::segment("user_1-card.x~"), "user_1-card.x~");
        assert_eq!(super::segment("a b/가"), "a%20b%2F%EA%B0%80");
    }
}
