//! Every method of the client against the sandbox server, and every error code they can give.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)] // tests may panic

mod common;

use common::{client_at, Proxy, Sandbox};
use iamport_billing_server::{
    CancelParams, ChargeParams, ChargeResult, Client, ClientConfig, ConfirmParams, CustomerUidUsage, ErrorCode, PaymentStatus,
    ScheduleEntry, ScheduleParams, ScheduleStatus, UnscheduleParams, WebhookBody,
};
use serde_json::json;
use std::time::Duration;

#[tokio::test(flavor = "multi_thread")]
async fn the_billing_flow_end_to_end() {
    let sandbox = Sandbox::start();
    let iamport = sandbox.client();
    let issued = sandbox.issue_key("user_1_card", "issue_1", 0).await;
    let imp_uid = issued["imp_uid"].as_str().unwrap();

    // Confirm what the browser said.
    let confirmed = iamport
        .confirm_billing_key(ConfirmParams::new(imp_uid, "user_1_card", 0).merchant_uid("issue_1"))
        .await
        .unwrap();
    assert_eq!(confirmed.imp_uid, imp_uid);
    assert_eq!(confirmed.amount, 10.0);
    assert_eq!(confirmed.customer_uid_usage, Some(CustomerUidUsage::Issue));
    let key = iamport.get_billing_key("user_1_card").await.unwrap();
    assert_eq!(key.customer_uid, "user_1_card");
    assert!(key.card_number.is_some() && !key.card_name.is_empty(), "{key:?}");
    assert_eq!(iamport.get_payment(imp_uid).await.unwrap(), confirmed);

    // Charge it: paid, then declined (a result, not an error), then a refusal.
    let paid = iamport.charge_billing_key(ChargeParams::new("user_1_card", "order_1", 9900, "월 구독")).await.unwrap();
    let ChargeResult::Paid { payment } = &paid else { panic!("{paid:?}") };
    assert_eq!((payment.amount, payment.status.clone(), payment.merchant_uid.as_str()), (9900.0, PaymentStatus::Paid, "order_1"));
    assert_eq!(payment.customer_uid_usage, Some(CustomerUidUsage::Payment));
    let as_json = serde_json::to_value(&paid).unwrap();
    assert_eq!((as_json["status"].clone(), as_json["payment"]["amount"].clone()), (json!("paid"), json!(9900.0)));

    sandbox.decline_next("한도초과").await;
    let declined = iamport.charge_billing_key(ChargeParams::new("user_1_card", "order_2", 9900, "월 구독")).await.unwrap();
    match &declined {
        ChargeResult::Failed { fail_reason, payment } => {
            assert_eq!(fail_reason, "한도초과");
            assert_eq!(payment.status, PaymentStatus::Failed);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(serde_json::to_value(&declined).unwrap()["fail_reason"], "한도초과");

    let again = iamport.charge_billing_key(ChargeParams::new("user_1_card", "order_1", 9900, "월 구독")).await.unwrap_err();
    assert_eq!(again.code(), ErrorCode::ApiError, "{again}");
    assert_eq!(again.api_code(), Some(1));
    assert!(again.api_message().is_some_and(|m| !m.is_empty()));

    // Schedule next month by iamport's clock, look it up, revoke it.
    let now = iamport.iamport_now().await.unwrap();
    let month = 30 * 24 * 3600;
    let schedules = iamport
        .schedule_charges(ScheduleParams::new(
            "user_1_card",
            vec![
                ScheduleEntry::new("monthly_1", now + month, 9900, "월 구독"),
                ScheduleEntry::new("monthly_2", now + 2 * month, 9900, "월 구독"),
            ],
        ))
        .await
        .unwrap();
    assert_eq!(schedules.len(), 2);
    assert_eq!(schedules[0].schedule_status, ScheduleStatus::Scheduled);
    assert_eq!(schedules[0].schedule_at, now + month);
    let one = iamport.get_schedule("monthly_2").await.unwrap();
    assert_eq!((one.amount, one.imp_uid.clone()), (9900.0, None));
    let revoked = iamport.unschedule_charges(UnscheduleParams::new("user_1_card").merchant_uids(["monthly_2"])).await.unwrap();
    assert_eq!(revoked.len(), 1);
    assert_eq!(revoked[0].schedule_status, ScheduleStatus::Revoked);
    assert!(revoked[0].revoked_at > 0);

    // A scheduled run, then its webhook, verified by a fetch.
    sandbox.advance(month as u64).await;
    let ran = iamport.get_schedule("monthly_1").await.unwrap();
    assert_eq!((ran.schedule_status.clone(), ran.payment_status.clone()), (ScheduleStatus::Executed, Some(PaymentStatus::Paid)));
    let run_imp = ran.imp_uid.clone().unwrap();
    for body in [
        WebhookBody::parse(&format!(r#"{{"imp_uid":"{run_imp}","merchant_uid":"monthly_1","status":"failed"}}"#)).unwrap(),
        WebhookBody::parse(&format!("imp_uid={run_imp}&merchant_uid=monthly_1&status=failed")).unwrap(),
        WebhookBody::from_json(json!({ "imp_uid": run_imp, "status": "cancelled", "extra": 1 })).unwrap(),
    ] {
        let verified = iamport.verify_webhook(body).await.unwrap();
        assert_eq!(verified.status, PaymentStatus::Paid, "the body's status is not trusted");
        assert_eq!(verified.customer_uid_usage, Some(CustomerUidUsage::PaymentScheduled));
    }
    let forged = WebhookBody::from_json(json!({ "imp_uid": run_imp, "merchant_uid": "order_1", "status": "paid" })).unwrap();
    let e = iamport.verify_webhook(forged).await.unwrap_err();
    assert_eq!((e.code(), e.field()), (ErrorCode::Mismatch, Some("merchant_uid")));
    let e = iamport.verify_webhook(WebhookBody::new("imps_000000000000")).await.unwrap_err();
    assert_eq!(e.code(), ErrorCode::NotFound);

    // Cancel: part, then the rest (by merchant_uid).
    let ChargeResult::Paid { payment } = paid else { unreachable!() };
    let part = iamport.cancel_payment(CancelParams::by_imp_uid(&payment.imp_uid, "부분 환불").amount(900).checksum(9900)).await.unwrap();
    assert_eq!((part.cancel_amount, part.status.clone()), (900.0, PaymentStatus::Paid));
    assert_eq!(part.cancel_history.len(), 1);
    assert_eq!((part.cancel_history[0].amount, part.cancel_history[0].reason.as_str()), (900.0, "부분 환불"));
    assert!(!part.cancel_history[0].cancellation_id.is_empty(), "{:?}", part.cancel_history);
    let rest = iamport.cancel_payment(CancelParams::by_merchant_uid("order_1", "해지")).await.unwrap();
    assert_eq!((rest.cancel_amount, rest.status), (9900.0, PaymentStatus::Cancelled));
    let nothing = iamport.cancel_payment(CancelParams::by_merchant_uid("order_1", "해지")).await.unwrap_err();
    assert_eq!(nothing.code(), ErrorCode::ApiError, "{nothing}");

    // Delete the key: gone, and a confirmation of it fails.
    let deleted = iamport.delete_billing_key("user_1_card").await.unwrap();
    assert_eq!(deleted.customer_uid, "user_1_card");
    assert_eq!(iamport.get_billing_key("user_1_card").await.unwrap_err().code(), ErrorCode::NotFound);
    let e = iamport.confirm_billing_key(ConfirmParams::new(imp_uid, "user_1_card", 0)).await.unwrap_err();
    assert_eq!((e.code(), e.field()), (ErrorCode::Mismatch, Some("billing_key")));
    assert_eq!(iamport.get_schedule("nothing_here").await.unwrap_err().code(), ErrorCode::NotFound);
    assert_eq!(iamport.find_payment("nothing_here").await.unwrap_err().code(), ErrorCode::NotFound);
}

#[tokio::test(flavor = "multi_thread")]
async fn confirm_rejects_what_the_browser_did_not_do() {
    let sandbox = Sandbox::start();
    let iamport = sandbox.client();
    let key_only = sandbox.issue_key("c_0", "issue_0", 0).await["imp_uid"].as_str().unwrap().to_owned();
    let charged = sandbox.issue_key("c_1", "issue_1", 5000).await["imp_uid"].as_str().unwrap().to_owned();

    assert!(iamport.confirm_billing_key(ConfirmParams::new(&charged, "c_1", 5000)).await.is_ok());
    for (params, field, expected, found) in [
        (ConfirmParams::new(&charged, "c_1", 50000), "amount", json!(50000), json!(5000)),
        (ConfirmParams::new(&key_only, "c_0", 9900), "amount", json!(9900), json!(10)),
        (ConfirmParams::new(&charged, "c_0", 5000), "customer_uid", json!("c_0"), json!("c_1")),
        (ConfirmParams::new(&charged, "c_1", 5000).merchant_uid("issue_x"), "merchant_uid", json!("issue_x"), json!("issue_1")),
    ] {
        let e = iamport.confirm_billing_key(params).await.unwrap_err();
        assert_eq!(e.code(), ErrorCode::Mismatch, "{e}");
        assert_eq!((e.field(), e.expected(), e.found()), (Some(field), Some(&expected), Some(&found)), "{e}");
        let js = serde_json::to_value(&e).unwrap();
        assert_eq!((js["code"].clone(), js["field"].clone()), (json!("MISMATCH"), json!(field)));
    }
    // A charge of the key is not its issuance.
    let ChargeResult::Paid { payment } = iamport.charge_billing_key(ChargeParams::new("c_1", "o_1", 100, "x")).await.unwrap() else { panic!() };
    let e = iamport.confirm_billing_key(ConfirmParams::new(&payment.imp_uid, "c_1", 100)).await.unwrap_err();
    assert_eq!((e.field(), e.found()), (Some("customer_uid_usage"), Some(&json!("payment"))));
    let e = iamport.confirm_billing_key(ConfirmParams::new("imps_999999999999", "c_1", 0)).await.unwrap_err();
    assert_eq!(e.code(), ErrorCode::NotFound);

    // Danal cancels its 10 KRW check 30 minutes later: the issuance still confirms.
    sandbox.advance(31 * 60).await;
    let later = iamport.confirm_billing_key(ConfirmParams::new(&key_only, "c_0", 0)).await.unwrap();
    assert_eq!(later.status, PaymentStatus::Cancelled);
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_params_are_refused_before_anything_is_sent() {
    let sandbox = Sandbox::start();
    let proxy = Proxy::start(&sandbox.base).await;
    let iamport = client_at(&proxy.base, Duration::from_secs(10));
    let invalid = |e: iamport_billing_server::Error| {
        assert_eq!(e.code(), ErrorCode::InvalidParam, "{e}");
        e.field().unwrap_or_default().to_owned()
    };
    assert_eq!(invalid(iamport.charge_billing_key(ChargeParams::new("a/b", "o", 1, "n")).await.unwrap_err()), "customer_uid");
    assert_eq!(invalid(iamport.charge_billing_key(ChargeParams::new("c", "o".repeat(41), 1, "n")).await.unwrap_err()), "merchant_uid");
    assert_eq!(invalid(iamport.get_payment("").await.unwrap_err()), "imp_uid");
    assert_eq!(invalid(iamport.unschedule_charges(UnscheduleParams::new("")).await.unwrap_err()), "customer_uid");
    let ms = ScheduleParams::new(
        "c",
        vec![ScheduleEntry::new("m_1", 1_900_000_000, 100, "n"), ScheduleEntry::new("m_2", 1_900_000_000_000, 100, "n")],
    );
    let e = iamport.schedule_charges(ms).await.unwrap_err();
    assert_eq!(invalid(e.clone()), "schedules[1].schedule_at");
    assert!(e.to_string().contains("looks like milliseconds"), "{e}");
    assert_eq!(proxy.seen().len(), 0, "nothing is sent for bad params: {:?}", proxy.seen());

    // In the past by iamport's clock (the sandbox's, moved a year ahead): refused, nothing scheduled.
    sandbox.advance(365 * 24 * 3600).await;
    let fresh = client_at(&proxy.base, Duration::from_secs(10));
    let now = fresh.iamport_now().await.unwrap();
    let past = ScheduleParams::new("c", vec![ScheduleEntry::new("m_1", now - 10, 100, "n")]);
    assert_eq!(invalid(fresh.schedule_charges(past).await.unwrap_err()), "schedules[0].schedule_at");
    assert_eq!(proxy.count_prefix("/subscribe/"), 0);

    // Params from JSON: the JS layer's way in.
    let e = ScheduleParams::from_json(json!({ "customer_uid": "c", "schedules": [{ "merchant_uid": "m", "schedule_at": "soon", "amount": 1, "name": "n" }] }))
        .unwrap_err();
    assert_eq!(e.field(), Some("schedules[0].schedule_at"));
    let date = ScheduleParams::from_json(json!({ "customer_uid": "c", "schedules": [{ "merchant_uid": "m", "schedule_at": "2030-01-01T00:00:00.000Z", "amount": 1, "name": "n" }] }))
        .unwrap();
    assert_eq!(date.schedules[0].schedule_at, 1_893_456_000);
}

#[tokio::test(flavor = "multi_thread")]
async fn unauthorized_network_and_timeout() {
    let sandbox = Sandbox::start();
    let wrong = Client::new(ClientConfig::new(common::KEY, "wrong_secret").base_url(&sandbox.base)).unwrap();
    let e = wrong.get_payment("imps_1").await.unwrap_err();
    assert_eq!(e.code(), ErrorCode::Unauthorized, "{e}");
    assert!(!e.to_string().contains("wrong_secret"));

    // Nothing listens there (a port the OS just gave and took back).
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let nowhere = client_at(&format!("http://{closed}"), Duration::from_secs(5));
    assert_eq!(nowhere.get_billing_key("c").await.unwrap_err().code(), ErrorCode::Network);

    let proxy = Proxy::start(&sandbox.base).await;
    proxy.fault(common::Fault::HoldAnswer("/subscribe/customers/".into(), Duration::from_secs(60)));
    let impatient = client_at(&proxy.base, Duration::from_millis(2500));
    let e = impatient.get_billing_key("c").await.unwrap_err();
    assert_eq!(e.code(), ErrorCode::Timeout, "{e}");
    assert!(e.to_string().contains("2500 ms"), "{e}");
}
