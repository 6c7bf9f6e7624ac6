//! [`Payment`], [`CancelHistory`], [`PaymentStatus`], [`CustomerUidUsage`].

use serde::{Deserialize, Serialize};

use super::{lenient, open_enum};

open_enum! {
    /// A payment's `status`.
    ///
    /// ```
    /// use iamport_billing_server::PaymentStatus;
    /// let s: PaymentStatus = serde_json::from_str(r#""partial_refunded""#).unwrap();
    /// assert_eq!(s, PaymentStatus::Unknown("partial_refunded".into()));
    /// assert_eq!(serde_json::to_string(&PaymentStatus::Paid).unwrap(), r#""paid""#);
    /// ```
    PaymentStatus {
        /// Not paid (yet).
        Ready => "ready",
        /// Paid.
        Paid => "paid",
        /// Cancelled (in full; a partial cancel leaves it `paid`).
        Cancelled => "cancelled",
        /// Failed (declined).
        Failed => "failed",
    }
}

open_enum! {
    /// How a payment used its `customer_uid`.
    CustomerUidUsage {
        /// The payment issued the billing key.
        Issue => "issue",
        /// A charge of the key (`POST /subscribe/payments/again`).
        Payment => "payment",
        /// A scheduled charge of the key.
        PaymentScheduled => "payment.scheduled",
    }
}

/// iamport's Payment (`GET /payments/{imp_uid}` and every call that answers with a payment).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Payment {
    /// iamport's payment id.
    pub imp_uid: String,
    /// Your order id.
    pub merchant_uid: String,
    /// The amount of the payment.
    pub amount: f64,
    /// The amount cancelled so far.
    #[serde(default, deserialize_with = "lenient")]
    pub cancel_amount: f64,
    /// `KRW`, …
    #[serde(default, deserialize_with = "lenient")]
    pub currency: String,
    /// `ready`, `paid`, `cancelled` or `failed` (or a status added later, kept as [`PaymentStatus::Unknown`]).
    pub status: PaymentStatus,
    /// `true` for a test channel's payment.
    #[serde(default, deserialize_with = "lenient")]
    pub sandbox: bool,
    /// `card`, …
    #[serde(default, deserialize_with = "lenient")]
    pub pay_method: Option<String>,
    /// `pc`, `mobile` or `api`.
    #[serde(default, deserialize_with = "lenient")]
    pub channel: Option<String>,
    /// The PG (`danal_tpay`, …).
    #[serde(default, deserialize_with = "lenient")]
    pub pg_provider: Option<String>,
    /// The PG behind a hub PG.
    #[serde(default, deserialize_with = "lenient")]
    pub emb_pg_provider: Option<String>,
    /// The PG's transaction id.
    #[serde(default, deserialize_with = "lenient")]
    pub pg_tid: Option<String>,
    /// The PG's merchant id.
    #[serde(default, deserialize_with = "lenient")]
    pub pg_id: Option<String>,
    /// Whether it is an escrow payment.
    #[serde(default, deserialize_with = "lenient")]
    pub escrow: bool,
    /// The card approval number.
    #[serde(default, deserialize_with = "lenient")]
    pub apply_num: Option<String>,
    /// Bank code (transfers).
    #[serde(default, deserialize_with = "lenient")]
    pub bank_code: Option<String>,
    /// Bank name (transfers).
    #[serde(default, deserialize_with = "lenient")]
    pub bank_name: Option<String>,
    /// Card company code.
    #[serde(default, deserialize_with = "lenient")]
    pub card_code: Option<String>,
    /// Card company name.
    #[serde(default, deserialize_with = "lenient")]
    pub card_name: Option<String>,
    /// Card issuer code.
    #[serde(default, deserialize_with = "lenient")]
    pub card_issuer_code: Option<String>,
    /// Card issuer name.
    #[serde(default, deserialize_with = "lenient")]
    pub card_issuer_name: Option<String>,
    /// Card publisher code.
    #[serde(default, deserialize_with = "lenient")]
    pub card_publisher_code: Option<String>,
    /// Card publisher name.
    #[serde(default, deserialize_with = "lenient")]
    pub card_publisher_name: Option<String>,
    /// Instalment months (0: lump sum).
    #[serde(default, deserialize_with = "lenient")]
    pub card_quota: Option<i64>,
    /// The masked card number.
    #[serde(default, deserialize_with = "lenient")]
    pub card_number: Option<String>,
    /// 0 credit card, 1 check card (null where the PG does not say).
    #[serde(default, deserialize_with = "lenient")]
    pub card_type: Option<i64>,
    /// Virtual account bank code.
    #[serde(default, deserialize_with = "lenient")]
    pub vbank_code: Option<String>,
    /// Virtual account bank name.
    #[serde(default, deserialize_with = "lenient")]
    pub vbank_name: Option<String>,
    /// Virtual account number.
    #[serde(default, deserialize_with = "lenient")]
    pub vbank_num: Option<String>,
    /// Virtual account holder.
    #[serde(default, deserialize_with = "lenient")]
    pub vbank_holder: Option<String>,
    /// Virtual account deadline (unix seconds).
    #[serde(default, deserialize_with = "lenient")]
    pub vbank_date: Option<i64>,
    /// When the virtual account was issued (unix seconds).
    #[serde(default, deserialize_with = "lenient")]
    pub vbank_issued_at: Option<i64>,
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
    /// Your custom data, as iamport stores it (JSON text).
    #[serde(default, deserialize_with = "lenient")]
    pub custom_data: Option<String>,
    /// The buyer's user agent.
    #[serde(default, deserialize_with = "lenient")]
    pub user_agent: Option<String>,
    /// When the payment started (unix seconds).
    #[serde(default, deserialize_with = "lenient")]
    pub started_at: i64,
    /// When it was paid (unix seconds; 0 if not).
    #[serde(default, deserialize_with = "lenient")]
    pub paid_at: i64,
    /// When it failed (unix seconds; 0 if not).
    #[serde(default, deserialize_with = "lenient")]
    pub failed_at: i64,
    /// When it was cancelled (unix seconds; 0 if not).
    #[serde(default, deserialize_with = "lenient")]
    pub cancelled_at: i64,
    /// Why it failed.
    #[serde(default, deserialize_with = "lenient")]
    pub fail_reason: Option<String>,
    /// Why it was cancelled.
    #[serde(default, deserialize_with = "lenient")]
    pub cancel_reason: Option<String>,
    /// The sales slip.
    #[serde(default, deserialize_with = "lenient")]
    pub receipt_url: Option<String>,
    /// Every cancel (full or partial), oldest first.
    #[serde(default, deserialize_with = "lenient")]
    pub cancel_history: Vec<CancelHistory>,
    /// Deprecated by iamport: use `cancel_history`.
    #[serde(default, deserialize_with = "lenient")]
    pub cancel_receipt_urls: Vec<String>,
    /// Whether a cash receipt was issued.
    #[serde(default, deserialize_with = "lenient")]
    pub cash_receipt_issued: bool,
    /// The billing key this payment issued or used.
    #[serde(default, deserialize_with = "lenient")]
    pub customer_uid: Option<String>,
    /// How `customer_uid` was used (null: an ordinary payment).
    #[serde(default, deserialize_with = "lenient")]
    pub customer_uid_usage: Option<CustomerUidUsage>,
    /// The promotion applied, as iamport sends it.
    #[serde(default, deserialize_with = "lenient")]
    pub promotion: Option<serde_json::Value>,
}

/// One cancel in [`Payment::cancel_history`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CancelHistory {
    /// The PG's cancel id.
    #[serde(default, deserialize_with = "lenient")]
    pub pg_tid: String,
    /// The amount cancelled.
    pub amount: f64,
    /// When (unix seconds).
    #[serde(default, deserialize_with = "lenient")]
    pub cancelled_at: i64,
    /// Why.
    #[serde(default, deserialize_with = "lenient")]
    pub reason: String,
    /// iamport's id of this cancel.
    #[serde(default, deserialize_with = "lenient")]
    pub cancellation_id: String,
    /// The cancel's sales slip.
    #[serde(default, deserialize_with = "lenient")]
    pub receipt_url: Option<String>,
}

impl Payment {
    /// Whether the payment is `paid`.
    pub fn is_paid(&self) -> bool {
        self.status == PaymentStatus::Paid
    }
}
