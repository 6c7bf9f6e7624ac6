//! The confirmation rules: is this payment the billing key the browser claims? A pure function
//! of the payment and the claim, tested without HTTP.

use serde_json::{json, Value};

use crate::error::Error;
use crate::params::ConfirmParams;
use crate::types::{CustomerUidUsage, Payment, PaymentStatus};

/// What Danal charges to check a card when a key is issued with `amount: 0` (then cancels).
pub const DANAL_CHECK_AMOUNT: u64 = 10;

/// `Ok` if `payment` is the issuance `claim` describes; else `MISMATCH` naming the first field
/// that differs, in this order: `customer_uid`, `customer_uid_usage` (`issue`), `status`
/// (`paid`; for `amount: 0` also `cancelled`, since Danal cancels its check charge), `amount`
/// (0 → Danal's 10 KRW check), `merchant_uid` (when claimed).
///
/// ```
/// use iamport_billing_server::{check_confirm, ConfirmParams, Payment};
/// let payment: Payment = serde_json::from_value(serde_json::json!({
///     "imp_uid": "imps_1", "merchant_uid": "issue_1", "amount": 10, "cancel_amount": 0, "currency": "KRW",
///     "status": "paid", "sandbox": true, "customer_uid": "user_1_card", "customer_uid_usage": "issue",
/// }))?;
/// assert!(check_confirm(&payment, &ConfirmParams::new("imps_1", "user_1_card", 0)).is_ok());
/// let e = check_confirm(&payment, &ConfirmParams::new("imps_1", "user_1_card", 9900)).unwrap_err();
/// assert_eq!((e.field(), e.expected(), e.found()), (Some("amount"), Some(&serde_json::json!(9900)), Some(&serde_json::json!(10))));
/// # Ok::<(), serde_json::Error>(())
/// ```
pub fn check_confirm(payment: &Payment, claim: &ConfirmParams) -> Result<(), Error> {
    if payment.imp_uid != claim.imp_uid {
        return Err(Error::mismatch("imp_uid", json!(claim.imp_uid), json!(payment.imp_uid), ""));
    }
    if payment.customer_uid.as_deref() != Some(claim.customer_uid.as_str()) {
        return Err(Error::mismatch("customer_uid", json!(claim.customer_uid), json!(payment.customer_uid), ""));
    }
    if payment.customer_uid_usage != Some(CustomerUidUsage::Issue) {
        let found = payment.customer_uid_usage.as_ref().map_or(Value::Null, |u| json!(u.as_str()));
        return Err(Error::mismatch("customer_uid_usage", json!("issue"), found, " (the payment did not issue the key)"));
    }
    let key_only = claim.amount == 0;
    let status_ok = payment.status == PaymentStatus::Paid || (key_only && payment.status == PaymentStatus::Cancelled);
    if !status_ok {
        let expected = if key_only { json!(["paid", "cancelled"]) } else { json!("paid") };
        return Err(Error::mismatch("status", expected, json!(payment.status.as_str()), ""));
    }
    let expected = if key_only { DANAL_CHECK_AMOUNT } else { claim.amount };
    // Exact: both are whole numbers below 2⁵³.
    if payment.amount != expected as f64 {
        let why = if key_only { " (amount 0 issues the key with Danal's 10 KRW check charge)" } else { "" };
        return Err(Error::mismatch("amount", json!(claim.amount), number(payment.amount), why));
    }
    if let Some(m) = &claim.merchant_uid {
        if &payment.merchant_uid != m {
            return Err(Error::mismatch("merchant_uid", json!(m), json!(payment.merchant_uid), ""));
        }
    }
    Ok(())
}

/// An amount as JSON: an integer when it is whole.
fn number(x: f64) -> Value {
    if x.fract() == 0.0 && x.abs() < 9.0e15 {
        json!(x as i64)
    } else {
        json!(x)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn payment(patch: Value) -> Payment {
        let mut base = json!({
            "imp_uid": "imps_1", "merchant_uid": "issue_1", "amount": 10, "cancel_amount": 0, "currency": "KRW",
            "status": "paid", "sandbox": true, "customer_uid": "c1", "customer_uid_usage": "issue",
        });
        if let (Value::Object(b), Value::Object(p)) = (&mut base, patch) {
            b.extend(p);
        }
        serde_json::from_value(base).unwrap()
    }

    /// A payment's differences from the base, the claim, and the mismatch expected (field,
    /// expected, found), if any.
    type Case<'a> = (Value, &'a ConfirmParams, Option<(&'a str, Value, Value)>);

    #[test]
    fn the_table() {
        let key_only = ConfirmParams::new("imps_1", "c1", 0);
        let charged = ConfirmParams::new("imps_1", "c1", 9900);
        let cases: Vec<Case<'_>> = vec![
            (json!({}), &key_only, None),
            (json!({ "status": "cancelled" }), &key_only, None),
            (json!({ "amount": 9900 }), &charged, None),
            (json!({ "amount": 9900, "status": "cancelled" }), &charged, Some(("status", json!("paid"), json!("cancelled")))),
            (json!({ "status": "failed" }), &key_only, Some(("status", json!(["paid", "cancelled"]), json!("failed")))),
            (json!({ "status": "ready" }), &key_only, Some(("status", json!(["paid", "cancelled"]), json!("ready")))),
            (json!({ "customer_uid": "c2" }), &key_only, Some(("customer_uid", json!("c1"), json!("c2")))),
            (json!({ "customer_uid": null }), &key_only, Some(("customer_uid", json!("c1"), Value::Null))),
            (json!({ "customer_uid_usage": "payment" }), &key_only, Some(("customer_uid_usage", json!("issue"), json!("payment")))),
            (json!({ "customer_uid_usage": null }), &key_only, Some(("customer_uid_usage", json!("issue"), Value::Null))),
            (json!({ "amount": 100 }), &key_only, Some(("amount", json!(0), json!(100)))),
            (json!({ "amount": 10 }), &charged, Some(("amount", json!(9900), json!(10)))),
            (json!({ "amount": 9900.5 }), &charged, Some(("amount", json!(9900), json!(9900.5)))),
            (json!({ "imp_uid": "imps_2" }), &key_only, Some(("imp_uid", json!("imps_1"), json!("imps_2")))),
        ];
        for (patch, claim, want) in cases {
            let got = check_confirm(&payment(patch.clone()), claim);
            match want {
                None => assert!(got.is_ok(), "{patch}: {got:?}"),
                Some((field, expected, found)) => {
                    let e = got.unwrap_err();
                    assert_eq!(e.code(), crate::ErrorCode::Mismatch);
                    assert_eq!((e.field(), e.expected(), e.found()), (Some(field), Some(&expected), Some(&found)), "{patch}");
                }
            }
        }
        let with_uid = ConfirmParams::new("imps_1", "c1", 0).merchant_uid("other");
        let e = check_confirm(&payment(json!({})), &with_uid).unwrap_err();
        assert_eq!((e.field(), e.found()), (Some("merchant_uid"), Some(&json!("issue_1"))));
        assert!(check_confirm(&payment(json!({})), &ConfirmParams::new("imps_1", "c1", 0).merchant_uid("issue_1")).is_ok());
    }
}
