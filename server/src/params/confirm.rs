//! [`ConfirmParams`]: what the browser claims about a billing key it issued.

use serde_json::Value;

use iamport_billing::fields::Request;
use iamport_billing::Value as CoreValue;

use super::read;
use crate::error::Error;

/// The params of [`Client::confirm_billing_key`](crate::Client::confirm_billing_key): what the
/// browser reported after issuing a key.
///
/// ```
/// use iamport_billing_server::ConfirmParams;
/// let p = ConfirmParams::new("imps_123456789012", "user_1_card", 0).merchant_uid("issue_1");
/// assert_eq!(p.merchant_uid.as_deref(), Some("issue_1"));
/// let e = ConfirmParams::from_json(serde_json::json!({ "imp_uid": "imps_1", "customer_uid": "c", "amount": "0" })).unwrap_err();
/// assert_eq!(e.field(), Some("amount"));
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ConfirmParams {
    /// iamport's payment id, from the browser's result.
    pub imp_uid: String,
    /// The billing key's id the browser asked for.
    pub customer_uid: String,
    /// The amount the browser asked for: 0 to issue the key only (Danal then makes a 10 KRW check
    /// charge), or the amount charged with the issuance.
    pub amount: u64,
    /// The `merchant_uid` of the issuance, when you know it.
    pub merchant_uid: Option<String>,
}

impl ConfirmParams {
    /// The required params.
    pub fn new(imp_uid: impl Into<String>, customer_uid: impl Into<String>, amount: u64) -> ConfirmParams {
        ConfirmParams { imp_uid: imp_uid.into(), customer_uid: customer_uid.into(), amount, merchant_uid: None }
    }

    /// Also require this `merchant_uid`.
    pub fn merchant_uid(mut self, merchant_uid: impl Into<String>) -> ConfirmParams {
        self.merchant_uid = Some(merchant_uid.into());
        self
    }

    /// Reads and checks params given as JSON.
    pub fn from_json(value: Value) -> Result<ConfirmParams, Error> {
        let r = read::read(Request::Confirm, &value)?;
        Ok(ConfirmParams {
            imp_uid: r.str("imp_uid").unwrap_or_default().to_owned(),
            customer_uid: r.str("customer_uid").unwrap_or_default().to_owned(),
            amount: r.u64("amount").unwrap_or_default(),
            merchant_uid: r.str("merchant_uid").map(str::to_owned),
        })
    }

    /// Checks every field (by the package's table).
    pub fn check(&self) -> Result<(), Error> {
        let pairs = vec![
            ("imp_uid", CoreValue::from(self.imp_uid.as_str())),
            ("customer_uid", CoreValue::from(self.customer_uid.as_str())),
            ("amount", CoreValue::from(self.amount)),
            ("merchant_uid", read::text(self.merchant_uid.as_ref())),
        ];
        read::check(Request::Confirm, pairs).map(drop)
    }
}
