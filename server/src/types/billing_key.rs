//! [`BillingKey`]: iamport's Customer object.

use serde::{Deserialize, Serialize};

use super::lenient;

/// A billing key as iamport describes it (`GET /subscribe/customers/{customer_uid}`): the card
/// behind it, never the key itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct BillingKey {
    /// Your id of the billing key.
    pub customer_uid: String,
    /// The PG the key is registered with.
    #[serde(default, deserialize_with = "lenient")]
    pub pg_provider: String,
    /// The PG's merchant id.
    #[serde(default, deserialize_with = "lenient")]
    pub pg_id: String,
    /// `true` when issued through a test channel.
    #[serde(default, deserialize_with = "lenient")]
    pub sandbox: bool,
    /// Your id of the buyer.
    #[serde(default, deserialize_with = "lenient")]
    pub customer_id: Option<String>,
    /// Card company name.
    #[serde(default, deserialize_with = "lenient")]
    pub card_name: String,
    /// Card company code.
    #[serde(default, deserialize_with = "lenient")]
    pub card_code: Option<String>,
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
    /// The masked card number.
    #[serde(default, deserialize_with = "lenient")]
    pub card_number: Option<String>,
    /// 0 credit card, 1 check card (null where the PG does not say).
    #[serde(default, deserialize_with = "lenient")]
    pub card_type: Option<i64>,
    /// The card holder's name.
    #[serde(default, deserialize_with = "lenient")]
    pub customer_name: Option<String>,
    /// The card holder's phone number.
    #[serde(default, deserialize_with = "lenient")]
    pub customer_tel: Option<String>,
    /// The card holder's e-mail.
    #[serde(default, deserialize_with = "lenient")]
    pub customer_email: Option<String>,
    /// The card holder's address.
    #[serde(default, deserialize_with = "lenient")]
    pub customer_addr: Option<String>,
    /// The card holder's postcode.
    #[serde(default, deserialize_with = "lenient")]
    pub customer_postcode: Option<String>,
    /// When the key was first registered (unix seconds).
    #[serde(default, deserialize_with = "lenient")]
    pub inserted: i64,
    /// When it was last updated (unix seconds).
    #[serde(default, deserialize_with = "lenient")]
    pub updated: i64,
}
