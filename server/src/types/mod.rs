//! What iamport answers, typed: [`Payment`] (with its [`CancelHistory`]), [`BillingKey`],
//! [`Schedule`], the [`ChargeResult`] of a charge, and the account's PG channels ([`PgSetting`])
//! with the [`SetupReport`] made of them.
//!
//! Field names are iamport's (snake_case) and their JSON types are those of the published V1 API
//! description: amounts are numbers (`f64`), times are unix seconds (`i64`, 0 when not yet).
//! `Serialize` writes every field, `null` for an absent value.
//!
//! Decoding is strict only where a wrong value would mislead (ids, amounts, statuses, times of a
//! schedule). Any other field that iamport leaves out, or sends with another type than the
//! description says, decodes as its default (`None`, `0`, `""`, `false`) rather than failing the
//! whole answer: a payment that was charged must never be lost to a cosmetic field. Statuses keep
//! values added after this crate was written (`Unknown("…")`).

mod billing_key;
mod charge;
mod payment;
mod schedule;
mod setup;

pub use billing_key::BillingKey;
pub use charge::ChargeResult;
pub use payment::{CancelHistory, CustomerUidUsage, Payment, PaymentStatus};
pub use schedule::{Schedule, ScheduleStatus};
pub use setup::{DanalChannel, PgSetting, SetupProblem, SetupProblemCode, SetupReport, DANAL_CARD_PG};

/// Decodes a field, or gives its default when it has another shape.
pub(crate) fn lenient<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::de::DeserializeOwned + Default,
{
    let value = <serde_json::Value as serde::Deserialize>::deserialize(d)?;
    Ok(T::deserialize(value).unwrap_or_default())
}

/// A string enum that keeps values it does not know.
macro_rules! open_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident => $text:literal,)* }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vdoc])* $variant,)*
            /// A value this crate does not know yet, as iamport sent it.
            Unknown(String),
        }

        impl $name {
            /// The value as iamport writes it.
            pub fn as_str(&self) -> &str {
                match self {
                    $($name::$variant => $text,)*
                    $name::Unknown(s) => s,
                }
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> $name {
                match s {
                    $($text => $name::$variant,)*
                    other => $name::Unknown(other.to_owned()),
                }
            }
        }

        impl core::fmt::Display for $name {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<$name, D::Error> {
                let s = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(d)?;
                Ok($name::from(&*s))
            }
        }
    };
}
pub(crate) use open_enum;

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn unknown_values_are_kept_and_odd_fields_do_not_lose_the_payment() {
        let p: Payment = serde_json::from_value(json!({
            "imp_uid": "imps_1", "merchant_uid": "m", "amount": 9900, "cancel_amount": 0, "currency": "KRW",
            "status": "partial_cancelled", "sandbox": true, "customer_uid_usage": "payment.subscription",
            "card_type": "credit", "card_quota": null, "paid_at": "soon", "cancel_history": [
                { "pg_tid": "t", "amount": 100, "cancelled_at": 1, "reason": "r", "cancellation_id": "c_1", "receipt_url": null }
            ],
            "new_field_from_iamport": 1,
        }))
        .unwrap();
        assert_eq!(p.status, PaymentStatus::Unknown("partial_cancelled".into()));
        assert_eq!(p.customer_uid_usage, Some(CustomerUidUsage::Unknown("payment.subscription".into())));
        assert_eq!((p.card_type, p.card_quota, p.paid_at), (None, None, 0));
        assert_eq!(p.cancel_history[0].cancellation_id, "c_1");
        let back = serde_json::to_value(&p).unwrap();
        assert_eq!(back["status"], "partial_cancelled");
        assert_eq!(back["card_type"], serde_json::Value::Null, "absent values are written as null");
        assert!(back.as_object().unwrap().contains_key("buyer_email"));
    }

    #[test]
    fn what_must_not_be_guessed_is_strict() {
        for missing in ["imp_uid", "merchant_uid", "amount", "status"] {
            let mut v = json!({ "imp_uid": "imps_1", "merchant_uid": "m", "amount": 1, "status": "paid" });
            v.as_object_mut().unwrap().remove(missing);
            assert!(serde_json::from_value::<Payment>(v).is_err(), "{missing}");
        }
        assert!(serde_json::from_value::<Payment>(json!({ "imp_uid": "i", "merchant_uid": "m", "amount": "1", "status": "paid" })).is_err());
        let s: Schedule = serde_json::from_value(json!({
            "customer_uid": "c", "merchant_uid": "m", "schedule_at": 1_900_000_000, "amount": 9900,
            "schedule_status": "scheduled", "payment_status": null, "imp_uid": null,
        }))
        .unwrap();
        assert_eq!((s.schedule_status, s.payment_status), (ScheduleStatus::Scheduled, None));
        let charge = ChargeResult::Failed { fail_reason: "x".into(), payment: serde_json::from_value(json!({ "imp_uid": "i", "merchant_uid": "m", "amount": 1, "status": "failed" })).unwrap() };
        let v = serde_json::to_value(&charge).unwrap();
        assert_eq!((v["status"].as_str(), v["fail_reason"].as_str(), v["payment"]["imp_uid"].as_str()), (Some("failed"), Some("x"), Some("i")));
        assert_eq!(serde_json::from_value::<ChargeResult>(v).unwrap(), charge);
    }
}
