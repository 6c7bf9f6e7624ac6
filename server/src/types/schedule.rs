//! [`Schedule`] and [`ScheduleStatus`].

use serde::{Deserialize, Serialize};

use super::{lenient, open_enum, PaymentStatus};

open_enum! {
    /// A scheduled charge's `schedule_status`.
    ScheduleStatus {
        /// Waiting for `schedule_at`.
        Scheduled => "scheduled",
        /// Ran (see `payment_status`).
        Executed => "executed",
        /// Revoked before it ran.
        Revoked => "revoked",
    }
}

/// A scheduled charge (`GET /subscribe/payments/schedule/{merchant_uid}`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Schedule {
    /// The billing key.
    pub customer_uid: String,
    /// The charge's order id.
    pub merchant_uid: String,
    /// The payment, once the charge ran.
    #[serde(default, deserialize_with = "lenient")]
    pub imp_uid: Option<String>,
    /// The PG that ran it.
    #[serde(default, deserialize_with = "lenient")]
    pub pg_provider: Option<String>,
    /// The PG's merchant id.
    #[serde(default, deserialize_with = "lenient")]
    pub pg_id: Option<String>,
    /// Your id of the buyer.
    #[serde(default, deserialize_with = "lenient")]
    pub customer_id: Option<String>,
    /// When it is due (unix seconds).
    pub schedule_at: i64,
    /// When it ran (unix seconds; 0 if not).
    #[serde(default, deserialize_with = "lenient")]
    pub executed_at: i64,
    /// When it was revoked (unix seconds; 0 if not).
    #[serde(default, deserialize_with = "lenient")]
    pub revoked_at: i64,
    /// The amount to charge.
    pub amount: f64,
    /// `KRW`, …
    #[serde(default, deserialize_with = "lenient")]
    pub currency: String,
    /// The order name.
    #[serde(default, deserialize_with = "lenient")]
    pub name: Option<String>,
    /// Buyer's name.
    #[serde(default, deserialize_with = "lenient")]
    pub buyer_name: Option<String>,
    /// Buyer's e-mail.
    #[serde(default, deserialize_with = "lenient")]
    pub buyer_email: Option<String>,
    /// Buyer's phone number.
    #[serde(default, deserialize_with = "lenient")]
    pub buyer_tel: Option<String>,
    /// Buyer's address.
    #[serde(default, deserialize_with = "lenient")]
    pub buyer_addr: Option<String>,
    /// Buyer's postcode.
    #[serde(default, deserialize_with = "lenient")]
    pub buyer_postcode: Option<String>,
    /// Custom data for the payment (JSON text).
    #[serde(default, deserialize_with = "lenient")]
    pub custom_data: Option<String>,
    /// `scheduled`, `executed` or `revoked` (or a later one, kept).
    pub schedule_status: ScheduleStatus,
    /// The run's payment: null until it ran, then `paid`, `failed` or `cancelled`.
    #[serde(default, deserialize_with = "lenient")]
    pub payment_status: Option<PaymentStatus>,
    /// Why the run failed.
    #[serde(default, deserialize_with = "lenient")]
    pub fail_reason: Option<String>,
    /// The promotion applied.
    #[serde(default, deserialize_with = "lenient")]
    pub promotion_id: Option<String>,
}
