//! The payment rules (window, charges, cancels) on an in-memory database.

use rusqlite::Connection;
use serde_json::{json, Value};

use super::billing_keys::{self, MSG_NO_CUSTOMER};
use super::cancels::{cancel, CancelRequest, MSG_NOTHING_TO_CANCEL};
use super::payments::{again, find_payment, payment, DECLINED};
use super::schedules;
use super::testing::{charge, db, issue, params};
use super::window::{window_pay, WindowPay, TEST_CHARGE, TEST_CHARGE_CANCEL_AFTER};
use super::{delete_customer, set_next_outcome, tick, ErrorKind, Outcome};

#[test]
fn amount_zero_issues_with_a_test_charge_cancelled_30_minutes_later() {
    let db = db();
    let cb = issue(&db, "cu_1", "m_1", 0, 1000);
    assert_eq!(cb["success"], true);
    assert_eq!(cb["paid_amount"], TEST_CHARGE);
    let imp_uid = cb["imp_uid"].as_str().unwrap().to_owned();
    let p = payment(&db, &imp_uid).unwrap();
    assert_eq!((p.status.as_str(), p.amount), ("paid", TEST_CHARGE));
    assert_eq!(p.customer_uid_usage.as_deref(), Some("issue"));
    assert!(billing_keys::customer(&db, "cu_1").is_ok());
    assert!(tick(&db, 1000 + TEST_CHARGE_CANCEL_AFTER - 1)
        .unwrap()
        .is_empty());
    let n = tick(&db, 1000 + TEST_CHARGE_CANCEL_AFTER).unwrap();
    assert_eq!(n.len(), 1);
    assert_eq!(n[0].status, "cancelled");
    let p = payment(&db, &imp_uid).unwrap();
    assert_eq!(
        (p.status.as_str(), p.cancel_amount),
        ("cancelled", TEST_CHARGE)
    );
    assert_eq!(p.cancel_history.len(), 1);
    assert!(
        billing_keys::customer(&db, "cu_1").is_ok(),
        "the key outlives its test charge"
    );
    assert!(tick(&db, 1000 + 10 * TEST_CHARGE_CANCEL_AFTER)
        .unwrap()
        .is_empty());
}

#[test]
fn the_window_card_is_kept() {
    let db = db();
    let p = params(
        json!({"merchant_uid": "m", "amount": 0, "customer_uid": "c",
        "card_name": "현대카드", "card_number": "4092-20**-****-1536"}),
    );
    let req = WindowPay::from_map(&p, "approve", None).unwrap();
    let (cb, _) = window_pay(&db, &req, 1).unwrap();
    assert_eq!(
        (cb["card_name"].as_str(), cb["card_number"].as_str()),
        (Some("현대카드"), Some("409220******1536"))
    );
    let c = billing_keys::customer(&db, "c").unwrap();
    assert_eq!(
        (c.card_code.as_str(), c.card_number.as_str()),
        ("367", "409220******1536")
    );
}

#[test]
fn a_payment_and_its_cancel_carry_pg_tids() {
    let db = db();
    let cb = issue(&db, "cu_1", "m_1", 9900, 1000);
    let imp_uid = cb["imp_uid"].as_str().unwrap();
    let paid = payment(&db, imp_uid).unwrap();
    let is_pg_tid = |t: &str| {
        t.strip_prefix("sbx1000")
            .is_some_and(|d| d.len() == 6 && d.bytes().all(|b| b.is_ascii_digit()))
    };
    assert!(is_pg_tid(&paid.pg_tid), "{}", paid.pg_tid);
    let req = CancelRequest {
        imp_uid: Some(imp_uid.to_owned()),
        amount: Some(1000),
        ..Default::default()
    };
    let (cancelled, _) = cancel(&db, &req, 1000).unwrap();
    let entry = &cancelled.cancel_history[0];
    assert!(is_pg_tid(&entry.pg_tid), "{}", entry.pg_tid);
}

#[test]
fn without_a_window_card_the_customer_uid_picks_one_of_the_sandbox_s_cards() {
    // FNV-1a (64-bit) of the customer_uid, modulo the four cards: c_0..c_3 pick each once.
    let db = db();
    let picked: Vec<String> = (0..4)
        .map(|i| {
            let cb = issue(&db, &format!("c_{i}"), &format!("m_{i}"), 0, 1);
            cb["card_name"].as_str().unwrap().to_owned()
        })
        .collect();
    assert_eq!(picked, ["KB국민카드", "삼성카드", "현대카드", "신한카드"]);
    // A card name longer than 40 characters is not a card the window picked.
    let p = params(json!({"merchant_uid": "m_9", "amount": 0, "customer_uid": "c_0",
        "card_name": "카".repeat(41), "card_number": "4092-20**-****-1536"}));
    let req = WindowPay::from_map(&p, "approve", None).unwrap();
    assert_eq!(window_pay(&db, &req, 1).unwrap().0["card_name"], "KB국민카드");
}

#[test]
fn a_storage_failure_in_the_window_is_an_error_not_a_refused_merchant_uid() {
    let db = db();
    db.execute_batch("DROP TABLE payments").unwrap();
    let p = params(json!({"merchant_uid": "m_1", "amount": 0, "customer_uid": "c"}));
    let req = WindowPay::from_map(&p, "approve", None).unwrap();
    assert_eq!(window_pay(&db, &req, 1).unwrap_err().kind, ErrorKind::Storage);
}

#[test]
fn amount_positive_charges_at_once_and_is_not_cancelled() {
    let db = db();
    let cb = issue(&db, "cu_1", "m_1", 9900, 1000);
    let p = payment(&db, cb["imp_uid"].as_str().unwrap()).unwrap();
    assert_eq!(
        (p.status.as_str(), p.amount, p.auto_cancel_at),
        ("paid", 9900, None)
    );
    assert!(tick(&db, 1000 + 100 * TEST_CHARGE_CANCEL_AFTER)
        .unwrap()
        .is_empty());
}

#[test]
fn window_refuses_a_paid_merchant_uid_and_records_declines() {
    let db = db();
    issue(&db, "cu_1", "m_1", 0, 1);
    assert_eq!(
        issue_result(&db, "cu_1", "m_1", "approve", 2)["success"],
        false
    );
    let p = params(json!({"merchant_uid": "m_2", "amount": 0, "customer_uid": "cu_2"}));
    let req = WindowPay::from_map(&p, "decline", Some("한도초과".into())).unwrap();
    let (cb, n) = window_pay(&db, &req, 3).unwrap();
    assert_eq!(
        (cb["success"].clone(), cb["error_msg"].clone()),
        (json!(false), json!("한도초과"))
    );
    assert!(n.is_empty());
    assert!(billing_keys::customer(&db, "cu_2").is_err());
    // a declined merchant_uid may be retried
    assert_eq!(issue(&db, "cu_2", "m_2", 0, 4)["success"], true);
    let plain = params(json!({"merchant_uid": "m_3", "amount": 500}));
    let (cb, _) = window_pay(
        &db,
        &WindowPay::from_map(&plain, "approve", None).unwrap(),
        5,
    )
    .unwrap();
    assert_eq!(cb["customer_uid"], Value::Null);
    assert!(WindowPay::from_map(&params(json!({"amount": 1})), "approve", None).is_err());
    assert!(WindowPay::from_map(&plain, "maybe", None).is_err());
}

fn issue_result(
    db: &Connection,
    customer_uid: &str,
    merchant_uid: &str,
    outcome: &str,
    now: i64,
) -> Value {
    let p =
        params(json!({"merchant_uid": merchant_uid, "amount": 0, "customer_uid": customer_uid}));
    window_pay(db, &WindowPay::from_map(&p, outcome, None).unwrap(), now)
        .unwrap()
        .0
}

#[test]
fn again_charges_once_per_merchant_uid_and_reports_declines_as_failed() {
    let db = db();
    issue(&db, "cu_1", "m_0", 0, 1);
    let (p, n) = again(&db, &charge("cu_1", "m_1", 9900), 2).unwrap();
    assert_eq!((p.status.as_str(), n.len()), ("paid", 1));
    assert_eq!(p.customer_uid_usage.as_deref(), Some("payment"));
    assert_eq!(
        again(&db, &charge("cu_1", "m_1", 9900), 3)
            .unwrap_err()
            .kind,
        ErrorKind::Refused
    );
    let decline = Outcome {
        approve: false,
        fail_reason: Some("잔액부족".into()),
    };
    set_next_outcome(&db, &decline).unwrap();
    let (p, n) = again(&db, &charge("cu_1", "m_2", 9900), 4).unwrap();
    assert_eq!(
        (p.status.as_str(), p.fail_reason.as_deref(), n.len()),
        ("failed", Some("잔액부족"), 0)
    );
    let (p, _) = again(&db, &charge("cu_1", "m_2", 9900), 5).unwrap();
    assert_eq!(
        p.status, "paid",
        "the outcome applies once; a failed merchant_uid may be retried"
    );
    let e = again(&db, &charge("nobody", "m_3", 1), 6).unwrap_err();
    assert_eq!(
        (e.kind, e.message.as_str()),
        (ErrorKind::Refused, MSG_NO_CUSTOMER)
    );
    assert_eq!(
        again(&db, &charge("cu_1", "m_4", 0), 6).unwrap_err().kind,
        ErrorKind::Invalid
    );
    let long = charge("cu_1", &"x".repeat(41), 1);
    assert_eq!(again(&db, &long, 6).unwrap_err().kind, ErrorKind::Invalid);
}

#[test]
fn test_keys_decline_every_charge_and_leave_the_next_outcome_alone() {
    let db = db();
    for (suffix, reason) in billing_keys::DECLINING_SUFFIXES {
        let cu = format!("u{suffix}");
        issue(&db, &cu, &format!("i{suffix}"), 0, 1);
        for n in 0..2 {
            let (p, notices) = again(&db, &charge(&cu, &format!("o{suffix}{n}"), 100), 2).unwrap();
            assert_eq!(
                (p.status.as_str(), p.fail_reason.as_deref()),
                ("failed", Some(reason))
            );
            assert!(notices.is_empty());
        }
    }
    let decline = Outcome {
        approve: false,
        fail_reason: None,
    };
    set_next_outcome(&db, &decline).unwrap();
    again(&db, &charge("u_decline_limit", "o_x", 100), 3).unwrap();
    issue(&db, "plain", "i_plain", 0, 1);
    let (p, _) = again(&db, &charge("plain", "o_plain", 100), 3).unwrap();
    assert_eq!(
        p.fail_reason.as_deref(),
        Some(DECLINED),
        "the control still applies to the next plain charge"
    );
}

#[test]
fn cancel_partial_then_full_and_checksum() {
    let db = db();
    let cb = issue(&db, "cu_1", "m_1", 1000, 1);
    let imp_uid = cb["imp_uid"].as_str().unwrap().to_owned();
    let req = |amount, checksum| CancelRequest {
        imp_uid: Some(imp_uid.clone()),
        amount,
        checksum,
        ..Default::default()
    };
    assert_eq!(
        cancel(&db, &req(Some(100), Some(999)), 2).unwrap_err().kind,
        ErrorKind::Refused
    );
    let (p, n) = cancel(&db, &req(Some(100), Some(1000)), 2).unwrap();
    assert_eq!(
        (p.status.as_str(), p.cancel_amount, n.len()),
        ("paid", 100, 1)
    );
    let by_merchant_uid = CancelRequest {
        merchant_uid: Some("m_1".into()),
        ..Default::default()
    };
    let (p, _) = cancel(&db, &by_merchant_uid, 3).unwrap();
    assert_eq!(
        (p.status.as_str(), p.cancel_amount, p.cancel_history.len()),
        ("cancelled", 1000, 2)
    );
    let stored = payment(&db, &imp_uid).unwrap();
    assert_eq!(
        stored.cancel_history, p.cancel_history,
        "the history is stored as answered"
    );
    assert_ne!(
        stored.cancel_history[0].cancellation_id,
        stored.cancel_history[1].cancellation_id
    );
    assert_eq!(
        cancel(&db, &req(None, None), 4).unwrap_err().kind,
        ErrorKind::Refused
    );
    let none = CancelRequest {
        imp_uid: Some("imps_0".into()),
        ..Default::default()
    };
    assert_eq!(
        cancel(&db, &none, 4).unwrap_err().message,
        MSG_NOTHING_TO_CANCEL
    );
    assert_eq!(
        cancel(&db, &CancelRequest::default(), 4).unwrap_err().kind,
        ErrorKind::Invalid
    );
    // a cancelled merchant_uid is not reusable
    assert_eq!(
        issue_result(&db, "cu_1", "m_1", "approve", 5)["success"],
        false
    );
}

#[test]
fn find_payment_takes_the_newest_with_the_status() {
    let db = db();
    let failed = issue_result(&db, "cu_1", "m_1", "decline", 1);
    let paid = issue(&db, "cu_1", "m_1", 0, 2);
    assert_eq!(
        find_payment(&db, "m_1", None).unwrap().imp_uid,
        paid["imp_uid"].as_str().unwrap()
    );
    assert_eq!(
        find_payment(&db, "m_1", Some("all")).unwrap().imp_uid,
        paid["imp_uid"].as_str().unwrap()
    );
    assert_eq!(
        find_payment(&db, "m_1", Some("failed")).unwrap().imp_uid,
        failed["imp_uid"].as_str().unwrap()
    );
    assert_eq!(
        find_payment(&db, "m_1", Some("cancelled"))
            .unwrap_err()
            .kind,
        ErrorKind::NotFound
    );
}

#[test]
fn delete_customer_revokes_its_schedules_and_reissue_keeps_inserted() {
    let db = db();
    issue(&db, "cu_1", "m_1", 0, 1);
    issue(&db, "cu_1", "m_2", 0, 7);
    let c = billing_keys::customer(&db, "cu_1").unwrap();
    assert_eq!((c.inserted, c.updated, c.card_type), (1, 7, Some(0)));
    schedules::schedule(&db, &[(charge("cu_1", "s_1", 10), 100)], 10).unwrap();
    delete_customer(&db, "cu_1", 11).unwrap();
    assert_eq!(
        billing_keys::customer(&db, "cu_1").unwrap_err().kind,
        ErrorKind::NotFound
    );
    assert_eq!(
        schedules::schedule_of(&db, "s_1").unwrap().schedule_status,
        "revoked"
    );
    assert_eq!(
        delete_customer(&db, "cu_1", 12).unwrap_err().kind,
        ErrorKind::NotFound
    );
}
