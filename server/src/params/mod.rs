//! The params of each call: a typed constructor for Rust and `from_json` for params that arrive
//! as JSON (the JavaScript layer). Both end in the same `check`, run before anything is sent.

pub(crate) mod cancel;
mod charge;
mod confirm;
mod details;
pub(crate) mod read;
pub mod rules;
mod schedule;

pub use cancel::{CancelParams, PaymentRef};
pub use charge::ChargeParams;
pub use confirm::ConfirmParams;
pub use details::OrderDetails;
pub use schedule::{ScheduleEntry, ScheduleParams, UnscheduleParams};

/// Percent-encodes one path segment (an id placed in a URL path).
pub(crate) fn segment(id: &str) -> String {
    percent_encoding::utf8_percent_encode(id, percent_encoding::NON_ALPHANUMERIC).to_string()
}
