//! An in-memory database with the schema, and helpers for the rules' tests.

use rusqlite::Connection;
use serde_json::{json, Map, Value};

use super::payments::ChargeRequest;
use super::window;

pub const KEYS: (&str, &str) = ("k", "s");

pub fn db() -> Connection {
    let db = Connection::open_in_memory().unwrap();
    crate::store::schema(&db).unwrap();
    db
}

pub fn params(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

pub fn issue(
    db: &Connection,
    customer_uid: &str,
    merchant_uid: &str,
    amount: i64,
    now: i64,
) -> Value {
    let p = params(
        json!({"merchant_uid": merchant_uid, "amount": amount, "customer_uid": customer_uid, "name": "n"}),
    );
    let req = window::WindowPay::from_map(&p, "approve", None).unwrap();
    window::window_pay(db, &req, now).unwrap().0
}

pub fn charge(customer_uid: &str, merchant_uid: &str, amount: i64) -> ChargeRequest {
    ChargeRequest {
        customer_uid: customer_uid.into(),
        merchant_uid: merchant_uid.into(),
        amount,
        name: Some("월 구독".into()),
        ..ChargeRequest::default()
    }
}
