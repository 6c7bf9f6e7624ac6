//! Params given as JSON, table-driven: every refusal names its field by path and says why, and
//! nothing here needs HTTP.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)] // tests may panic

use iamport_billing_server::{
    CancelParams, ChargeParams, ClientConfig, ConfirmParams, Error, ErrorCode, ScheduleParams, UnscheduleParams, WebhookBody,
};
use serde_json::{json, Value};

fn charge(patch: Value) -> Result<ChargeParams, Error> {
    ChargeParams::from_json(merged(json!({ "customer_uid": "c1", "merchant_uid": "m1", "amount": 9900, "name": "월 구독" }), patch))
}

fn schedule(entry_patch: Value) -> Result<ScheduleParams, Error> {
    let entry = merged(json!({ "merchant_uid": "m1", "schedule_at": 1_900_000_000, "amount": 9900, "name": "월 구독" }), entry_patch);
    ScheduleParams::from_json(json!({ "customer_uid": "c1", "schedules": [
        { "merchant_uid": "m0", "schedule_at": 1_900_000_000, "amount": 1, "name": "n" }, entry,
    ] }))
}

/// `base` with `patch`'s keys set (`null` in the patch removes the key).
fn merged(mut base: Value, patch: Value) -> Value {
    if let (Value::Object(b), Value::Object(p)) = (&mut base, patch) {
        for (k, v) in p {
            if v == Value::Null {
                b.remove(&k);
            } else {
                b.insert(k, v);
            }
        }
    }
    base
}

#[track_caller]
fn refused<T: std::fmt::Debug>(result: Result<T, Error>, field: &str, says: &str) {
    let e = result.unwrap_err();
    assert_eq!(e.code(), ErrorCode::InvalidParam, "{e}");
    assert_eq!(e.field(), Some(field), "{e}");
    assert!(e.to_string().contains(says), "{e:?} should say {says:?}");
    let js = serde_json::to_value(&e).unwrap();
    assert_eq!((js["code"].as_str(), js["field"].as_str()), (Some("INVALID_PARAM"), Some(field)));
}

#[test]
fn charge_params() {
    assert!(charge(json!({})).is_ok());
    assert!(charge(json!({ "buyer_email": "a@b.example", "tax_free": 900, "vat_amount": 818, "card_quota": 3, "custom_data": { "plan": 1 }, "notice_url": "https://shop.example/hook", "amount": 9900.0 })).is_ok());
    for (patch, field, says) in [
        (json!({ "custmer_uid": "c" }), "custmer_uid", "did you mean customer_uid?"),
        (json!({ "merchantUid": "m" }), "merchantUid", "did you mean merchant_uid?"),
        (json!({ "imp_secret": "s" }), "imp_secret", "looks like a server secret"),
        (json!({ "customer_uid": null }), "customer_uid", "customer_uid is required"),
        (json!({ "customer_uid": "" }), "customer_uid", "customer_uid is required"),
        (json!({ "customer_uid": 5 }), "customer_uid", "must be a string (got a number)"),
        (json!({ "customer_uid": "a/b" }), "customer_uid", "must not contain /"),
        (json!({ "customer_uid": " c" }), "customer_uid", "whitespace"),
        (json!({ "customer_uid": "c".repeat(81) }), "customer_uid", "at most 80 characters"),
        (json!({ "merchant_uid": "m".repeat(41) }), "merchant_uid", "at most 40 characters"),
        (json!({ "amount": "9900" }), "amount", "write 9900, not '9900'"),
        (json!({ "amount": 0 }), "amount", "at least 1 KRW"),
        (json!({ "amount": -1 }), "amount", "whole number"),
        (json!({ "amount": 99.5 }), "amount", "whole number"),
        (json!({ "amount": 9_007_199_254_740_992u64 }), "amount", "whole number"),
        (json!({ "name": "" }), "name", "name is required"),
        (json!({ "name": "n".repeat(41) }), "name", "at most 40 characters"),
        (json!({ "name": "a\u{0}b" }), "name", "control characters"),
        (json!({ "tax_free": 9901 }), "tax_free", "not be more than amount"),
        (json!({ "vat_amount": 10000 }), "vat_amount", "not be more than amount"),
        (json!({ "card_quota": 37 }), "card_quota", "from 0 to 36"),
        (json!({ "notice_url": "shop.example/hook" }), "notice_url", "absolute http(s) URL"),
        (json!({ "buyer_tel": ["010"] }), "buyer_tel", "must be a string (got an array)"),
    ] {
        refused(charge(patch.clone()), field, says);
    }
    refused(ChargeParams::from_json(json!("c1")), "params", "params must be a plain object (got a string)");
}

#[test]
fn schedule_params() {
    assert!(schedule(json!({})).is_ok());
    for (patch, field, says) in [
        (json!({ "schedule_at": 1_900_000_000_000u64 }), "schedules[1].schedule_at", "looks like milliseconds"),
        (json!({ "schedule_at": 0 }), "schedules[1].schedule_at", "after 1970"),
        (json!({ "schedule_at": 1.5 }), "schedules[1].schedule_at", "whole unix seconds"),
        (json!({ "schedule_at": "tomorrow" }), "schedules[1].schedule_at", "2026-12-03T09:00:00Z"),
        (json!({ "schedule_at": true }), "schedules[1].schedule_at", "a number of unix seconds or a Date"),
        (json!({ "schedule_at": null }), "schedules[1].schedule_at", "is required"),
        (json!({ "amount": 0 }), "schedules[1].amount", "at least 1 KRW"),
        (json!({ "merchant_uid": "m0" }), "schedules[1].merchant_uid", "repeats an earlier merchant_uid"),
        (json!({ "schedule_att": 1 }), "schedules[1].schedule_att", "did you mean schedule_at?"),
        (json!({ "tax_free": 10000 }), "schedules[1].tax_free", "not be more than amount"),
    ] {
        refused(schedule(patch.clone()), field, says);
    }
    // A Date as JSON.stringify writes it; an offset is honoured.
    let at = |s: &str| schedule(json!({ "schedule_at": s })).map(|p| p.schedules[1].schedule_at);
    assert_eq!(at("2030-01-01T00:00:00.000Z").unwrap(), 1_893_456_000);
    assert_eq!(at("2030-01-01T09:00:00+09:00").unwrap(), 1_893_456_000);
    refused(ScheduleParams::from_json(json!({ "customer_uid": "c1", "schedules": [] })), "schedules", "at least one");
    refused(ScheduleParams::from_json(json!({ "customer_uid": "c1", "schedules": {} })), "schedules", "must be an array");
    refused(ScheduleParams::from_json(json!({ "customer_uid": "c1", "schedules": [1] })), "schedules[0]", "must be a plain object (got a number)");
}

#[test]
fn the_other_params() {
    assert!(ConfirmParams::from_json(json!({ "imp_uid": "imps_1", "customer_uid": "c1", "amount": 0 })).is_ok());
    refused(ConfirmParams::from_json(json!({ "imp_uid": "imps_1", "customer_uid": "c1" })), "amount", "amount is required");
    // '' is absent, as in the browser's params.
    assert_eq!(ConfirmParams::from_json(json!({ "imp_uid": "imps_1", "customer_uid": "c1", "amount": 0, "merchant_uid": "" })).unwrap().merchant_uid, None);
    refused(ConfirmParams::from_json(json!({ "impUid": "imps_1" })), "impUid", "did you mean imp_uid?");

    let un = UnscheduleParams::from_json(json!({ "customer_uid": "c1", "merchant_uid": ["m1", "m2"] })).unwrap();
    assert_eq!(un.merchant_uid, ["m1", "m2"]);
    refused(UnscheduleParams::from_json(json!({ "customer_uid": "c1", "merchant_uid": ["m1", 2] })), "merchant_uid[1]", "must be a string");

    assert!(CancelParams::from_json(json!({ "merchant_uid": "m1", "reason": "r", "amount": 100, "checksum": 9900 })).is_ok());
    refused(CancelParams::from_json(json!({ "imp_uid": "i", "merchant_uid": "m", "reason": "r" })), "merchant_uid", "not both");
    refused(CancelParams::from_json(json!({ "imp_uid": "i" })), "reason", "reason is required");
    refused(CancelParams::from_json(json!({ "imp_uid": "i", "reason": "r", "amount": 0 })), "amount", "leave it out");

    refused(WebhookBody::parse("merchant_uid=m&status=paid"), "imp_uid", "imp_uid is required");
    refused(WebhookBody::parse("{not json"), "body", "not valid JSON");
    refused(WebhookBody::from_json(json!([1])), "body", "must be an object");
    let cancelled = WebhookBody::parse(r#"{"imp_uid":"imps_1","merchant_uid":"m","status":"cancelled","cancellation_id":"c_1"}"#).unwrap();
    assert_eq!(cancelled.cancellation_id.as_deref(), Some("c_1"));

    refused(ClientConfig::from_json(json!({ "imp_key": "k", "imp_secret": "s", "timeout_ms": "5" })), "timeout_ms", "must be a number");
    refused(iamport_billing_server::Client::new(ClientConfig::new("k", "sandbox_secret").base_url("ftp://x")), "base_url", "absolute http(s) URL");
}
