//! [`Settle`]: whom the outcome of a request or a load goes to — a JavaScript Promise (the npm
//! package's API), or a Rust callback (the Rust API, feature `browser`).

use super::bindings::{self, REJECT, RESOLVE, RESOLVE_WITH_RAW};
use crate::error::Error;
use crate::response::BillingKeyResult;

/// A value a Promise resolves with, handed to the glue.
pub(crate) trait Resolve {
    /// Resolves the Promise of `token` with this value.
    fn resolve(self, token: u32);
}

/// `loadIamport`: `undefined`.
impl Resolve for () {
    fn resolve(self, token: u32) {
        bindings::settle(token, RESOLVE, "");
    }
}

/// `requestBillingKey`: the result object (typed fields plus `raw`, the callback's value as given).
impl Resolve for BillingKeyResult {
    fn resolve(self, token: u32) {
        bindings::settle(token, RESOLVE_WITH_RAW, &self.to_js_json());
    }
}

/// Whom an outcome goes to; [`send`](Settle::send) is called exactly once.
pub(crate) enum Settle<T> {
    /// The token of a Promise made by the glue (`js/glue.js`): resolved with the value, rejected
    /// with a `BillingKeyError`.
    Promise(u32),
    /// The Rust API's callback.
    #[cfg(feature = "browser")]
    Rust(Box<dyn FnOnce(Result<T, Error>)>),
    /// Without the Rust API there is no callback; this variant cannot be made, it only uses `T`.
    #[cfg(not(feature = "browser"))]
    #[allow(dead_code)]
    Never(core::convert::Infallible, core::marker::PhantomData<T>),
}

impl<T: Resolve> Settle<T> {
    pub(crate) fn send(self, outcome: Result<T, Error>) {
        match self {
            Settle::Promise(token) => match outcome {
                Ok(value) => value.resolve(token),
                Err(e) => reject(token, &e),
            },
            #[cfg(feature = "browser")]
            Settle::Rust(callback) => callback(outcome),
            #[cfg(not(feature = "browser"))]
            Settle::Never(never, _) => match never {},
        }
    }
}

/// Rejects the Promise of `token` with the `BillingKeyError` of `e`.
pub(crate) fn reject(token: u32, e: &Error) {
    bindings::settle(token, REJECT, &e.to_js_json());
}
