//! Billing keys (iamport's "customers"): issued by the window, read and deleted over REST, and the
//! test keys whose every charge is declined.

use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::{Buyer, ModelError, PG_ID, PG_PROVIDER};
use crate::store::rows;

/// The message iamport gives for an unknown customer on `again` / `schedule`.
pub const MSG_NO_CUSTOMER: &str = "등록된 고객정보가 없습니다.";

/// Test billing keys: a key whose `customer_uid` ends with one of these suffixes is issued as usual,
/// and every REST charge on it (`again`, a due schedule) fails with this `fail_reason`. Nothing has to
/// be set first, so declines can be tested in parallel with other charges.
pub const DECLINING_SUFFIXES: [(&str, &str); 4] = [
    ("_decline_limit", "한도초과"),
    ("_decline_balance", "잔액부족"),
    ("_decline_suspended", "정지된 카드"),
    ("_decline_expired", "유효기간 만료"),
];

/// The `fail_reason` every charge of this key gets, for the test keys of [`DECLINING_SUFFIXES`].
pub fn test_decline(customer_uid: &str) -> Option<&'static str> {
    DECLINING_SUFFIXES
        .iter()
        .find(|(suffix, _)| customer_uid.ends_with(suffix))
        .map(|(_, reason)| *reason)
}

/// A billing key as stored (iamport's CustomerAnnotation, less the fields that are constant here).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Customer {
    /// The merchant's key id.
    pub customer_uid: String,
    /// Always `danal_tpay`.
    pub pg_provider: String,
    /// PG merchant id (a sandbox placeholder).
    pub pg_id: String,
    /// Card company name.
    pub card_name: String,
    /// Card company code.
    pub card_code: String,
    /// Masked card number.
    pub card_number: String,
    /// 0 credit card, 1 check card.
    pub card_type: Option<i64>,
    /// From buyer_name at issuance.
    pub customer_name: Option<String>,
    /// From buyer_tel.
    pub customer_tel: Option<String>,
    /// From buyer_email.
    pub customer_email: Option<String>,
    /// From buyer_addr.
    pub customer_addr: Option<String>,
    /// From buyer_postcode.
    pub customer_postcode: Option<String>,
    /// First issued (unix seconds).
    pub inserted: i64,
    /// Last re-issued.
    pub updated: i64,
}

impl Customer {
    /// The object iamport answers with: the stored fields plus `sandbox` (every key here is a test
    /// channel's) and the issuer fields Danal does not report (null).
    pub fn to_api(&self) -> Value {
        let mut v = serde_json::to_value(self).unwrap_or(Value::Null);
        if let Value::Object(m) = &mut v {
            m.insert("sandbox".into(), json!(true));
            for k in [
                "customer_id",
                "card_issuer_code",
                "card_issuer_name",
                "card_publisher_code",
                "card_publisher_name",
            ] {
                m.insert(k.into(), Value::Null);
            }
        }
        v
    }
}

/// The billing key stored under customer_uid.
pub fn customer(db: &Connection, customer_uid: &str) -> Result<Customer, ModelError> {
    find(db, customer_uid)?.ok_or_else(|| {
        ModelError::not_found(format!(
            "요청하신 customer_uid({customer_uid})로 등록된 정보를 찾을 수 없습니다."
        ))
    })
}

fn find(db: &Connection, customer_uid: &str) -> Result<Option<Customer>, ModelError> {
    Ok(rows::one(
        db,
        "SELECT * FROM billing_keys WHERE customer_uid = ?1",
        [customer_uid],
    )?)
}

/// `GET /subscribe/customers?customer_uid[]=…`: the keys found, in the order asked (each once), and
/// whether every one was found. None found is not found.
pub fn customers(
    db: &Connection,
    customer_uids: &[String],
) -> Result<(Vec<Customer>, bool), ModelError> {
    if customer_uids.is_empty() {
        return Err(ModelError::invalid(
            "customer_uid[]은(는) 필수입니다. (customer_uid[] is required)",
        ));
    }
    let mut asked: Vec<&String> = Vec::with_capacity(customer_uids.len());
    for uid in customer_uids {
        if !asked.contains(&uid) {
            asked.push(uid);
        }
    }
    let mut found = Vec::with_capacity(asked.len());
    for uid in &asked {
        if let Some(c) = find(db, uid)? {
            found.push(c);
        }
    }
    if found.is_empty() {
        return Err(ModelError::not_found(
            "요청하신 customer_uid로 등록된 정보를 찾을 수 없습니다. (no billing key with any of these customer_uids)",
        ));
    }
    let all = found.len() == asked.len();
    Ok((found, all))
}

/// Whether a key is stored under customer_uid.
pub fn exists(db: &Connection, customer_uid: &str) -> Result<bool, ModelError> {
    Ok(db
        .prepare_cached("SELECT 1 FROM billing_keys WHERE customer_uid = ?1")?
        .exists([customer_uid])?)
}

/// Stores the key the window issued (issuing again keeps `inserted` and points it at the new card).
pub fn issue(
    db: &Connection,
    customer_uid: &str,
    card: (&str, &str, &str),
    buyer: &Buyer,
    now: i64,
) -> Result<(), ModelError> {
    let inserted = match customer(db, customer_uid) {
        Ok(c) => c.inserted,
        Err(_) => now,
    };
    Ok(rows::put(
        db,
        "billing_keys",
        &Customer {
            customer_uid: customer_uid.to_owned(),
            pg_provider: PG_PROVIDER.into(),
            pg_id: PG_ID.into(),
            card_name: card.0.into(),
            card_code: card.1.into(),
            card_number: card.2.into(),
            card_type: Some(0),
            customer_name: buyer.buyer_name.clone(),
            customer_tel: buyer.buyer_tel.clone(),
            customer_email: buyer.buyer_email.clone(),
            customer_addr: buyer.buyer_addr.clone(),
            customer_postcode: buyer.buyer_postcode.clone(),
            inserted,
            updated: now,
        },
    )?)
}

/// Removes the key stored under customer_uid and answers it. Its pending schedules are revoked
/// by the caller, [`super::delete_customer`], in the same change.
pub(super) fn remove(db: &Connection, customer_uid: &str) -> Result<Customer, ModelError> {
    let c = customer(db, customer_uid)?;
    db.prepare_cached("DELETE FROM billing_keys WHERE customer_uid = ?1")?
        .execute([customer_uid])?;
    Ok(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_keys_are_recognised_by_suffix_only() {
        assert_eq!(test_decline("user_1_decline_limit"), Some("한도초과"));
        assert_eq!(test_decline("x_decline_balance"), Some("잔액부족"));
        assert_eq!(test_decline("x_decline_suspended"), Some("정지된 카드"));
        assert_eq!(test_decline("x_decline_expired"), Some("유효기간 만료"));
        assert_eq!(test_decline("x_decline_limit_2"), None);
        assert_eq!(test_decline("user_1_card"), None);
    }
}
