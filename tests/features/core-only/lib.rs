//! Checks a billing-key request with the crate's rules, without any JavaScript.

use iamport_billing::{Amount, BillingKeyRequest, Error, Value};

/// The rules, applied to params that arrived as JSON-like data.
pub fn check(params: &Value) -> Result<BillingKeyRequest, Error> {
    BillingKeyRequest::from_value(params)
}

/// A charge's amount, checked.
pub fn amount(krw: u64) -> Result<Amount, Error> {
    Amount::new(krw)
}
