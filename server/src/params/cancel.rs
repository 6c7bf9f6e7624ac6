//! [`CancelParams`]: a full or partial cancel (`POST /payments/cancel`).

use serde_json::{Map, Value};

use iamport_billing::fields::{Read, Request};
use iamport_billing::Value as CoreValue;

use super::read;
use crate::error::Error;

/// Which payment to cancel: iamport's `imp_uid` or your `merchant_uid`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PaymentRef {
    /// iamport's payment id.
    ImpUid(String),
    /// Your order id.
    MerchantUid(String),
}

/// The params of [`Client::cancel_payment`](crate::Client::cancel_payment).
///
/// ```
/// use iamport_billing_server::CancelParams;
/// let full = CancelParams::by_imp_uid("imps_123456789012", "고객 요청");
/// let part = CancelParams::by_merchant_uid("order_1", "부분 환불").amount(1000).checksum(9900);
/// assert!(full.check().is_ok() && part.check().is_ok());
/// let e = CancelParams::from_json(serde_json::json!({ "reason": "x" })).unwrap_err();
/// assert_eq!(e.field(), Some("imp_uid"));
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct CancelParams {
    /// The payment.
    pub payment: PaymentRef,
    /// KRW to cancel; `None` cancels what is left.
    pub amount: Option<u64>,
    /// Why (shown in iamport's console and the cancel history).
    pub reason: String,
    /// The amount you believe is still cancellable: iamport refuses the cancel if it differs, so
    /// a repeated partial cancel cannot refund twice.
    pub checksum: Option<u64>,
    /// Tax-free part of `amount`.
    pub tax_free: Option<u64>,
    /// VAT part of `amount`.
    pub vat_amount: Option<u64>,
}

impl CancelParams {
    fn new(payment: PaymentRef, reason: impl Into<String>) -> CancelParams {
        CancelParams { payment, amount: None, reason: reason.into(), checksum: None, tax_free: None, vat_amount: None }
    }

    /// Cancels by `imp_uid`.
    pub fn by_imp_uid(imp_uid: impl Into<String>, reason: impl Into<String>) -> CancelParams {
        CancelParams::new(PaymentRef::ImpUid(imp_uid.into()), reason)
    }

    /// Cancels by `merchant_uid`.
    pub fn by_merchant_uid(merchant_uid: impl Into<String>, reason: impl Into<String>) -> CancelParams {
        CancelParams::new(PaymentRef::MerchantUid(merchant_uid.into()), reason)
    }

    /// A partial cancel of `amount` KRW.
    pub fn amount(mut self, amount: u64) -> CancelParams {
        self.amount = Some(amount);
        self
    }

    /// Sets `checksum`: the cancellable amount you expect.
    pub fn checksum(mut self, checksum: u64) -> CancelParams {
        self.checksum = Some(checksum);
        self
    }

    /// Reads and checks params given as JSON: exactly one of `imp_uid` and `merchant_uid`.
    pub fn from_json(value: Value) -> Result<CancelParams, Error> {
        let r = read::read(Request::Cancel, &value)?;
        let payment = match (r.str("imp_uid"), r.str("merchant_uid")) {
            (Some(i), None) => PaymentRef::ImpUid(i.to_owned()),
            (None, Some(m)) => PaymentRef::MerchantUid(m.to_owned()),
            (Some(_), Some(_)) => return Err(Error::invalid("merchant_uid", "give imp_uid or merchant_uid, not both")),
            (None, None) => return Err(Error::invalid("imp_uid", "imp_uid or merchant_uid is required")),
        };
        let params = CancelParams {
            payment,
            amount: r.u64("amount"),
            reason: r.str("reason").unwrap_or_default().to_owned(),
            checksum: r.u64("checksum"),
            tax_free: r.u64("tax_free"),
            vat_amount: r.u64("vat_amount"),
        };
        params.parts_within_checksum()?;
        Ok(params)
    }

    /// Checks every field (by the package's table).
    pub fn check(&self) -> Result<(), Error> {
        let (imp_uid, merchant_uid) = match &self.payment {
            PaymentRef::ImpUid(i) => (Some(i), None),
            PaymentRef::MerchantUid(m) => (None, Some(m)),
        };
        let pairs = vec![
            ("imp_uid", read::text(imp_uid)),
            ("merchant_uid", read::text(merchant_uid)),
            ("amount", read::num(self.amount)),
            ("reason", CoreValue::from(self.reason.as_str())),
            ("checksum", read::num(self.checksum)),
            ("tax_free", read::num(self.tax_free)),
            ("vat_amount", read::num(self.vat_amount)),
        ];
        let r: Read<'_> = read::check(Request::Cancel, pairs)?;
        if r.str("imp_uid").is_none() && r.str("merchant_uid").is_none() {
            return Err(Error::invalid("imp_uid", "imp_uid or merchant_uid is required"));
        }
        self.parts_within_checksum()
    }

    /// Without `amount`, the tax parts are parts of what is left: not more than `checksum`.
    fn parts_within_checksum(&self) -> Result<(), Error> {
        if let (None, Some(of)) = (self.amount, self.checksum) {
            for (key, v) in [("tax_free", self.tax_free), ("vat_amount", self.vat_amount)] {
                if v.is_some_and(|v| v > of) {
                    return Err(Error::invalid(key, format!("{key} must not be more than checksum ({of})")));
                }
            }
        }
        Ok(())
    }

    pub(crate) fn body(&self) -> Value {
        let mut body = Map::new();
        match &self.payment {
            PaymentRef::ImpUid(i) => body.insert("imp_uid".into(), Value::from(i.as_str())),
            PaymentRef::MerchantUid(m) => body.insert("merchant_uid".into(), Value::from(m.as_str())),
        };
        body.insert("reason".into(), Value::from(self.reason.as_str()));
        for (key, v) in [("amount", self.amount), ("checksum", self.checksum), ("tax_free", self.tax_free), ("vat_amount", self.vat_amount)] {
            if let Some(v) = v {
                body.insert(key.into(), Value::from(v));
            }
        }
        Value::Object(body)
    }
}
