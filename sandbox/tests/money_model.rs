//! The sandbox's money rules at their edges, on an in-memory database (no HTTP): the bounds of a
//! cancel and its `checksum`, a `merchant_uid`'s length and reuse, the test keys' declines, and
//! Danal's 10 KRW check cancelled exactly 30 minutes after issuance. What mutation testing
//! (`make mutants-sandbox`) found the other tests did not tell apart.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)] // tests may panic

use iamport_sandbox::model::cancels::{cancel, has_due_cancel, run_due_cancels, CancelRequest};
use iamport_sandbox::model::payments::{again, check_charge, check_merchant_uid, payment, ChargeRequest};
use iamport_sandbox::model::window::{window_pay, WindowPay, TEST_CHARGE};
use iamport_sandbox::model::{billing_keys, tick, ErrorKind};
use rusqlite::Connection;
use serde_json::{json, Map, Value};

fn db() -> Connection {
    let db = Connection::open_in_memory().unwrap();
    iamport_sandbox::store::schema(&db).unwrap();
    db
}

fn map(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

/// The window's answer for a payment of `amount` (0: a key only, with the 10 KRW check).
fn window(db: &Connection, customer_uid: &str, merchant_uid: &str, amount: i64, now: i64) -> Value {
    let p = map(json!({ "merchant_uid": merchant_uid, "amount": amount, "customer_uid": customer_uid, "name": "n" }));
    window_pay(db, &WindowPay::from_map(&p, "approve", None).unwrap(), now).unwrap().0
}

fn charge(customer_uid: &str, merchant_uid: &str, amount: i64) -> ChargeRequest {
    ChargeRequest { customer_uid: customer_uid.into(), merchant_uid: merchant_uid.into(), amount, ..ChargeRequest::default() }
}

fn by_imp_uid(imp_uid: &str, amount: Option<i64>, checksum: Option<i64>) -> CancelRequest {
    CancelRequest { imp_uid: Some(imp_uid.into()), amount, checksum, reason: Some("r".into()), ..CancelRequest::default() }
}

/// A paid charge of 1000 KRW; its imp_uid.
fn paid_1000(db: &Connection) -> String {
    window(db, "cu_1", "issue_1", 0, 1);
    again(db, &charge("cu_1", "m_1", 1000), 2).unwrap().0.imp_uid
}

#[test]
fn a_cancel_stays_within_what_is_left_and_checksum_is_the_amount_left() {
    let db = db();
    let imp_uid = paid_1000(&db);
    let refused = |req: CancelRequest| {
        let e = cancel(&db, &req, 3).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Refused, "{e:?}");
        e.message
    };
    assert!(refused(by_imp_uid(&imp_uid, Some(1001), None)).contains("1 to 1000"));
    assert!(refused(by_imp_uid(&imp_uid, Some(0), None)).contains("1 to 1000"));
    assert!(refused(by_imp_uid(&imp_uid, Some(-5), None)).contains("1 to 1000"));
    let (p, notices) = cancel(&db, &by_imp_uid(&imp_uid, Some(300), Some(1000)), 3).unwrap();
    assert_eq!((p.status.as_str(), p.cancel_amount, notices.len()), ("paid", 300, 1));
    // After a part, the checksum is what is left: 700, not the amount paid.
    assert!(refused(by_imp_uid(&imp_uid, Some(100), Some(1000))).contains("checksum(1000)"));
    assert!(refused(by_imp_uid(&imp_uid, Some(100), Some(1300))).contains("checksum(1300)"));
    assert!(refused(by_imp_uid(&imp_uid, Some(701), Some(700))).contains("1 to 700"));
    let (p, _) = cancel(&db, &by_imp_uid(&imp_uid, Some(200), Some(700)), 4).unwrap();
    assert_eq!((p.status.as_str(), p.cancel_amount, p.cancelled_at), ("paid", 500, 0));
    // Exactly the rest: the payment is cancelled.
    let (p, notices) = cancel(&db, &by_imp_uid(&imp_uid, Some(500), Some(500)), 5).unwrap();
    assert_eq!((p.status.as_str(), p.cancel_amount, p.cancelled_at), ("cancelled", 1000, 5));
    assert_eq!(notices[0].status, "cancelled");
    assert_eq!(payment(&db, &imp_uid).unwrap().cancel_history.len(), 3);
    assert!(refused(by_imp_uid(&imp_uid, None, None)).contains("already fully cancelled"));
}

#[test]
fn only_a_paid_payment_can_be_cancelled() {
    let db = db();
    window(&db, "cu_1", "issue_1", 0, 1);
    let declined = billing_keys::DECLINING_SUFFIXES[0];
    window(&db, &format!("cu{}", declined.0), "issue_2", 0, 1);
    let (failed, _) = again(&db, &charge(&format!("cu{}", declined.0), "m_1", 1000), 2).unwrap();
    assert_eq!((failed.status.as_str(), failed.fail_reason.as_deref()), ("failed", Some(declined.1)));
    let e = cancel(&db, &by_imp_uid(&failed.imp_uid, None, None), 3).unwrap_err();
    assert_eq!((e.kind, e.message.as_str()), (ErrorKind::Refused, "취소할 결제건이 존재하지 않습니다."));
    assert_eq!(payment(&db, &failed.imp_uid).unwrap().cancel_amount, 0);
}

#[test]
fn a_merchant_uid_is_1_to_40_characters_and_paid_once() {
    let db = db();
    assert!(check_merchant_uid(&db, &"가".repeat(40)).is_ok(), "40 characters (not bytes)");
    assert_eq!(check_merchant_uid(&db, &"x".repeat(41)).unwrap_err().kind, ErrorKind::Invalid);
    assert_eq!(check_merchant_uid(&db, "").unwrap_err().kind, ErrorKind::Invalid);
    let imp_uid = paid_1000(&db);
    assert_eq!(check_merchant_uid(&db, "m_1").unwrap_err().kind, ErrorKind::Refused);
    assert_eq!(check_charge(&db, &charge("cu_1", "m_1", 1000)).unwrap_err().kind, ErrorKind::Refused);
    assert!(check_charge(&db, &charge("cu_1", "m_2", 1)).is_ok());
    assert_eq!(check_charge(&db, &charge("nobody", "m_2", 1)).unwrap_err().kind, ErrorKind::Refused);
    // Cancelled in full, the merchant_uid is still used.
    cancel(&db, &by_imp_uid(&imp_uid, None, None), 3).unwrap();
    assert_eq!(check_merchant_uid(&db, "m_1").unwrap_err().kind, ErrorKind::Refused);
}

#[test]
fn the_test_keys_decline_with_their_reason_and_nothing_else_does() {
    for (suffix, reason) in billing_keys::DECLINING_SUFFIXES {
        assert_eq!(billing_keys::test_decline(&format!("user_7{suffix}")), Some(reason));
        assert!(!reason.is_empty());
    }
    assert_eq!(billing_keys::test_decline("user_7_card"), None);
    assert_eq!(billing_keys::test_decline("_decline_limit_not"), None);
}

#[test]
fn danal_s_check_is_cancelled_thirty_minutes_after_issuance_not_a_second_earlier() {
    let db = db();
    let cb = window(&db, "cu_1", "issue_1", 0, 1_000);
    assert_eq!(cb["paid_amount"], json!(TEST_CHARGE));
    let imp_uid = cb["imp_uid"].as_str().unwrap().to_owned();
    assert!(!has_due_cancel(&db, 1_000 + 1_799).unwrap());
    assert!(tick(&db, 1_000 + 1_799).unwrap().is_empty());
    assert_eq!(payment(&db, &imp_uid).unwrap().status, "paid");
    assert!(has_due_cancel(&db, 1_000 + 1_800).unwrap());
    let notices = tick(&db, 1_000 + 1_800).unwrap();
    assert_eq!((notices.len(), notices[0].status.as_str()), (1, "cancelled"));
    let p = payment(&db, &imp_uid).unwrap();
    assert_eq!((p.status.as_str(), p.cancel_amount, p.cancelled_at), ("cancelled", 10, 2_800));
    assert!(!has_due_cancel(&db, 1_000_000).unwrap());
    // A charge with an amount is not a check: never cancelled by itself.
    let cb = window(&db, "cu_2", "issue_2", 5_000, 1_000);
    assert!(!has_due_cancel(&db, 1_000_000).unwrap());
    assert_eq!(payment(&db, cb["imp_uid"].as_str().unwrap()).unwrap().status, "paid");
}

#[test]
fn a_storage_failure_during_the_check_s_cancel_is_an_error_not_a_skipped_cancel() {
    let db = db();
    let cb = window(&db, "cu_1", "issue_1", 0, 1_000);
    let imp_uid = cb["imp_uid"].as_str().unwrap().to_owned();
    // The disk refuses the cancel's row.
    db.execute_batch("CREATE TRIGGER full BEFORE INSERT ON cancels BEGIN SELECT RAISE(ABORT, 'disk full'); END;").unwrap();
    let e = run_due_cancels(&db, 1_000 + 1_800).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Storage, "{e:?}");
    assert_eq!(
        db.query_row("SELECT auto_cancel_at FROM payments WHERE imp_uid = ?1", [&imp_uid], |r| r.get::<_, Option<i64>>(0)).unwrap(),
        Some(2_800),
        "still due: it runs again on the next tick"
    );
}

#[test]
fn a_due_check_that_cannot_be_cancelled_any_more_leaves_the_due_list() {
    // A row no cancel can apply to (an imported state): dropped from the due list, no webhook,
    // and the next tick has nothing to do.
    let db = db();
    let cb = window(&db, "cu_1", "issue_1", 0, 1_000);
    let imp_uid = cb["imp_uid"].as_str().unwrap().to_owned();
    db.execute("UPDATE payments SET status = 'failed' WHERE imp_uid = ?1", [&imp_uid]).unwrap();
    assert!(run_due_cancels(&db, 2_800).unwrap().is_empty());
    assert!(!has_due_cancel(&db, 2_800).unwrap());
    assert_eq!(payment(&db, &imp_uid).unwrap().auto_cancel_at, None);
}
