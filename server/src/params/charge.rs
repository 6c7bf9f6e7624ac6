//! [`ChargeParams`]: one charge of a billing key (`POST /subscribe/payments/again`).

use serde_json::{Map, Value};

use iamport_billing::fields::Request;
use iamport_billing::Value as CoreValue;

use super::details::OrderDetails;
use super::read;
use crate::error::Error;

/// The params of [`Client::charge_billing_key`](crate::Client::charge_billing_key).
///
/// `merchant_uid` is the charge's identity: a charge whose answer was lost is looked up by it, and
/// iamport refuses a `merchant_uid` already paid, so one `merchant_uid` is never paid twice. Make
/// it once per order (store it before you charge) and reuse it when you try the same order again.
///
/// ```
/// use iamport_billing_server::{ChargeParams, OrderDetails};
/// let p = ChargeParams::new("user_1_card", "order_2026_12", 9900, "월 구독")
///     .details(OrderDetails::default().buyer_email("buyer@example.com"));
/// assert!(p.check().is_ok());
/// assert_eq!(ChargeParams::new("user_1_card", "order_1", 0, "x").check().unwrap_err().field(), Some("amount"));
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ChargeParams {
    /// The billing key.
    pub customer_uid: String,
    /// The order's unique id (at most 40 characters).
    pub merchant_uid: String,
    /// KRW to charge, at least 1.
    pub amount: u64,
    /// The order name (at most 40 characters).
    pub name: String,
    /// Buyer, tax, instalments, custom data, webhook URL.
    pub details: OrderDetails,
}

impl ChargeParams {
    /// The required params.
    pub fn new(customer_uid: impl Into<String>, merchant_uid: impl Into<String>, amount: u64, name: impl Into<String>) -> ChargeParams {
        ChargeParams {
            customer_uid: customer_uid.into(),
            merchant_uid: merchant_uid.into(),
            amount,
            name: name.into(),
            details: OrderDetails::default(),
        }
    }

    /// Sets the optional fields.
    pub fn details(mut self, details: OrderDetails) -> ChargeParams {
        self.details = details;
        self
    }

    /// Reads and checks params given as JSON.
    ///
    /// ```
    /// use iamport_billing_server::ChargeParams;
    /// let e = ChargeParams::from_json(serde_json::json!({ "customer_uid": "c", "merchant_uid": "m", "amount": 100, "name": "n", "buyer_tel": 1 })).unwrap_err();
    /// assert_eq!(e.to_string(), "buyer_tel must be a string (got a number)");
    /// ```
    pub fn from_json(value: Value) -> Result<ChargeParams, Error> {
        let r = read::read(Request::Charge, &value)?;
        Ok(ChargeParams {
            customer_uid: r.str("customer_uid").unwrap_or_default().to_owned(),
            merchant_uid: r.str("merchant_uid").unwrap_or_default().to_owned(),
            amount: r.u64("amount").unwrap_or_default(),
            name: r.str("name").unwrap_or_default().to_owned(),
            details: OrderDetails::from_read(&r),
        })
    }

    /// Checks every field (by the package's table, as [`from_json`](Self::from_json) does).
    pub fn check(&self) -> Result<(), Error> {
        let mut pairs = vec![
            ("customer_uid", CoreValue::from(self.customer_uid.as_str())),
            ("merchant_uid", CoreValue::from(self.merchant_uid.as_str())),
            ("amount", CoreValue::from(self.amount)),
            ("name", CoreValue::from(self.name.as_str())),
        ];
        self.details.pairs(&mut pairs);
        read::check(Request::Charge, pairs).map(drop)
    }

    /// The request body.
    pub(crate) fn body(&self) -> Value {
        let mut body = Map::new();
        body.insert("customer_uid".into(), Value::from(self.customer_uid.as_str()));
        body.insert("merchant_uid".into(), Value::from(self.merchant_uid.as_str()));
        body.insert("amount".into(), Value::from(self.amount));
        body.insert("name".into(), Value::from(self.name.as_str()));
        self.details.write(&mut body);
        Value::Object(body)
    }
}
