//! Money rules without HTTP that mutation testing found untested: `schedule_at` given as a whole
//! float (a number written `1.7672256e9`, or JavaScript's `Math.floor(Date.now() / 1000)` after a
//! trip through a float), a webhook body's empty fields, a confirmation's mismatched amount, a
//! schedule entry checked on its own.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)] // tests may panic

use iamport_billing_server::{check_confirm, CancelParams, ConfirmParams, Error, ErrorCode, Payment, ScheduleEntry, ScheduleParams, WebhookBody};
use serde_json::{json, Value};

fn schedule_at(at: Value) -> Result<i64, Error> {
    let params = json!({ "customer_uid": "c1", "schedules": [{ "merchant_uid": "m1", "schedule_at": at, "amount": 9900, "name": "n" }] });
    ScheduleParams::from_json(params).map(|p| p.schedules[0].schedule_at)
}

#[track_caller]
fn refused(at: Value, says: &str) {
    let e = schedule_at(at.clone()).unwrap_err();
    assert_eq!((e.code(), e.field()), (ErrorCode::InvalidParam, Some("schedules[0].schedule_at")), "{at}: {e}");
    assert!(e.to_string().contains(says), "{at}: {e} should say {says:?}");
}

#[test]
fn a_whole_float_schedule_at_is_unix_seconds() {
    assert_eq!(schedule_at(json!(1.7672256e9)).unwrap(), 1_767_225_600);
    assert_eq!(schedule_at(json!(1_767_225_600.0)).unwrap(), 1_767_225_600);
    assert_eq!(schedule_at(json!(1_767_225_600)).unwrap(), 1_767_225_600);
    refused(json!(1_767_225_600.5), "must be whole unix seconds after 1970 (got 1767225600.5)");
    // Read whole, then judged by the seconds rule: milliseconds are refused as such.
    refused(json!(1.7672256e12), "looks like milliseconds");
    refused(json!(8.0e15), "looks like milliseconds");
    // Past 2⁵³ a float is not read as an integer at all (it may have lost digits).
    refused(json!(9.0e15), "looks like milliseconds");
    refused(json!(1.0e16), "must be whole unix seconds");
    refused(json!(-9.0e15), "must be whole unix seconds");
    refused(json!(1.0e300), "must be whole unix seconds");
    refused(json!(-1.0), "after 1970");
}

#[test]
fn a_webhook_body_s_empty_fields_are_absent() {
    // iamport's form posts carry every key; an empty merchant_uid must not read as an order
    // named "" (which verify_webhook would report as another order).
    let form = WebhookBody::parse("imp_uid=imps_123456789012&merchant_uid=&status=&cancellation_id=").unwrap();
    assert_eq!(form, WebhookBody::new("imps_123456789012"));
    let json = WebhookBody::from_json(json!({ "imp_uid": "imps_123456789012", "merchant_uid": "", "status": "paid" })).unwrap();
    assert_eq!((json.merchant_uid, json.status.as_deref()), (None, Some("paid")));
}

#[test]
fn a_mismatched_amount_is_reported_as_iamport_wrote_it() {
    // Whole amounts read back as integers; beyond 9·10¹⁵ (where a float no longer holds every
    // integer) and with a fraction, as the float iamport sent.
    let found = |amount: f64| {
        let payment: Payment = serde_json::from_value(json!({
            "imp_uid": "imps_1", "merchant_uid": "issue_1", "amount": amount, "cancel_amount": 0, "currency": "KRW",
            "status": "paid", "sandbox": true, "customer_uid": "c1", "customer_uid_usage": "issue",
        }))
        .unwrap();
        let e = check_confirm(&payment, &ConfirmParams::new("imps_1", "c1", 9900)).unwrap_err();
        assert_eq!((e.code(), e.field()), (ErrorCode::Mismatch, Some("amount")));
        e.found().cloned().unwrap()
    };
    assert_eq!(found(9901.0), json!(9901));
    assert_eq!(found(-9901.0), json!(-9901));
    assert_eq!(found(9900.5), json!(9900.5));
    assert_eq!(found(8.0e15), json!(8_000_000_000_000_000_i64));
    assert_eq!(found(9.0e15), json!(9.0e15));
    assert_eq!(found(-9.0e15), json!(-9.0e15));
}

#[test]
fn a_schedule_entry_checked_alone_names_its_path() {
    let next_month = ScheduleEntry::new("m1", 1_798_761_600, 9900, "n");
    assert!(next_month.check("schedules[0]").is_ok());
    let ms = ScheduleEntry::new("m1", 1_798_761_600_000, 9900, "n");
    assert_eq!(ms.check("schedules[2]").unwrap_err().field(), Some("schedules[2].schedule_at"));
    let free = ScheduleEntry::new("m1", 1_798_761_600, 0, "n");
    assert_eq!(free.check("schedules[0]").unwrap_err().field(), Some("schedules[0].amount"));
}

#[test]
fn a_cancel_s_tax_parts_fit_in_the_checksum_when_no_amount_is_given() {
    let with = |tax_free: u64, vat_amount: u64| {
        let mut p = CancelParams::by_imp_uid("imps_000000000001", "환불").checksum(1000);
        (p.tax_free, p.vat_amount) = (Some(tax_free), Some(vat_amount));
        p
    };
    // At the checksum: taken.
    with(1000, 1000).check().unwrap();
    // One past it: refused, naming the part.
    for (params, field) in [(with(1001, 0), "tax_free"), (with(0, 1001), "vat_amount")] {
        let e = params.check().unwrap_err();
        assert_eq!((e.code(), e.field()), (ErrorCode::InvalidParam, Some(field)), "{e}");
        assert!(e.to_string().contains(&format!("{field} must not be more than checksum (1000)")), "{e}");
    }
    // The same read from JSON.
    let e = CancelParams::from_json(json!({ "imp_uid": "imps_000000000001", "reason": "환불", "checksum": 1000, "tax_free": 1001 })).unwrap_err();
    assert_eq!(e.field(), Some("tax_free"), "{e}");
    CancelParams::from_json(json!({ "imp_uid": "imps_000000000001", "reason": "환불", "checksum": 1000, "tax_free": 1000 })).unwrap();
}

#[test]
fn a_cancel_built_in_rust_is_checked_by_the_table() {
    // '' is absent: neither id given.
    let e = CancelParams::by_imp_uid("", "환불").check().unwrap_err();
    assert_eq!((e.code(), e.field()), (ErrorCode::InvalidParam, Some("imp_uid")), "{e}");
    let e = CancelParams::by_merchant_uid("m".repeat(41), "환불").check().unwrap_err();
    assert_eq!((e.code(), e.field()), (ErrorCode::InvalidParam, Some("merchant_uid")), "{e}");
    CancelParams::by_merchant_uid("m".repeat(40), "환불").amount(1000).check().unwrap();
}
