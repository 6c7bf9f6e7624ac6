//! [`ChargeResult`]: what a charge of a billing key came to.

use serde::{Deserialize, Serialize};

use super::Payment;

/// The outcome of [`Client::charge_billing_key`](crate::Client::charge_billing_key). A declined
/// card is an outcome, not an error.
///
/// Serializes as `{ "status": "paid", "payment": … }` or `{ "status": "failed", "fail_reason":
/// "…", "payment": … }`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "lowercase")]
pub enum ChargeResult {
    /// The card was charged.
    Paid {
        /// The payment (`status` `paid`).
        payment: Payment,
    },
    /// The card was declined (or the charge failed at the PG).
    Failed {
        /// Why, as iamport says it.
        fail_reason: String,
        /// The payment (`status` `failed`).
        payment: Payment,
    },
}

impl ChargeResult {
    /// The payment, paid or failed.
    pub fn payment(&self) -> &Payment {
        match self {
            ChargeResult::Paid { payment } | ChargeResult::Failed { payment, .. } => payment,
        }
    }

    /// Whether the card was charged.
    pub fn is_paid(&self) -> bool {
        matches!(self, ChargeResult::Paid { .. })
    }
}
