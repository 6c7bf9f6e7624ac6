//! The races of a charge whose answer is lost, against the sandbox through the fault proxy: a
//! first request that reaches iamport late, a repeat that iamport refuses, an answer lost twice
//! (a key's charge and a schedule's retry); and the calls that are never sent blindly again (a
//! cancel).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)] // tests may panic

mod common;

use std::time::Duration;

use common::{client_at, Fault, Proxy, Sandbox, Then};
use futures_util::TryStreamExt;
use iamport_billing_server::{
    CancelParams, ChargeParams, ChargeResult, Client, Error, ErrorCode, Payment, PaymentStatus, RescheduleParams, ScheduleEntry, ScheduleParams,
    ScheduleStatus, UnscheduleParams,
};

const AGAIN: &str = "/subscribe/payments/again";
const FIND: &str = "/payments/find/order_1";

/// A sandbox with the key `c_1`, a proxy in front of it, and a client of the proxy that gives up
/// after `timeout`.
async fn bed(timeout: Duration) -> (Sandbox, Proxy, Client) {
    let sandbox = Sandbox::start();
    sandbox.issue_key("c_1", "issue_1", 0).await;
    let proxy = Proxy::start(&sandbox.base).await;
    let iamport = client_at(&proxy.base, timeout);
    (sandbox, proxy, iamport)
}

fn order_1() -> ChargeParams {
    ChargeParams::new("c_1", "order_1", 9900, "월 구독")
}

/// The note a lost charge's error carries when its outcome is unknown.
fn says_unknown(e: &Error) -> bool {
    e.to_string().contains("whether merchant_uid order_1 was charged is unknown")
}

#[tokio::test(flavor = "multi_thread")]
async fn a_first_request_paid_after_the_timeout_and_the_lookup_is_the_answer_to_the_refused_repeat() {
    // The first request is held until the repeat arrives: it reaches iamport after the client
    // timed out and after its lookup found nothing, so iamport refuses the repeat as already paid.
    let (sandbox, proxy, iamport) = bed(Duration::from_millis(2500)).await;
    proxy.fault(Fault::late(AGAIN));
    let result = iamport.charge_billing_key(order_1()).await;
    let ChargeResult::Paid { payment } = result.unwrap() else { panic!("paid") };
    assert_eq!((payment.merchant_uid.as_str(), payment.amount, payment.status), ("order_1", 9900.0, PaymentStatus::Paid));
    assert_eq!(payment.customer_uid.as_deref(), Some("c_1"));
    assert_eq!(proxy.count("POST", AGAIN), 2, "two sends: {:?}", proxy.seen());
    assert_eq!(proxy.count("GET", FIND), 2, "a lookup before the repeat and one after its refusal");
    // The repeat was refused (code 1, no payment): the sandbox's only payment of the order is
    // the late first request's, and none of it failed.
    let direct = sandbox.client();
    assert_eq!(direct.find_payment("order_1").await.unwrap().imp_uid, payment.imp_uid);
    let refused = direct.charge_billing_key(order_1()).await.unwrap_err();
    assert_eq!(refused.code(), ErrorCode::ApiError, "{refused}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_merchant_uid_paid_by_an_earlier_order_gets_iamport_s_refusal_not_that_payment() {
    let (sandbox, proxy, iamport) = bed(Duration::from_secs(10)).await;
    // An earlier order of the same key paid order_1 (another amount): the merchant reused the id.
    let earlier = sandbox.client().charge_billing_key(ChargeParams::new("c_1", "order_1", 5000, "지난 주문")).await.unwrap();
    assert!(earlier.is_paid());
    // This charge reaches iamport, which refuses it; the answer is lost.
    proxy.fault(Fault::DropAnswer(AGAIN.into()));
    let e = iamport.charge_billing_key(order_1()).await.unwrap_err();
    assert_eq!(e.code(), ErrorCode::ApiError, "{e}");
    assert!(e.to_string().contains("already paid"), "iamport's refusal: {e}");
    assert!(!says_unknown(&e), "{e}");
    assert_eq!(proxy.count("POST", AGAIN), 2, "{:?}", proxy.seen());
    assert_eq!(proxy.count("GET", FIND), 2);
    let only = sandbox.client().find_payment("order_1").await.unwrap();
    assert_eq!((only.imp_uid.as_str(), only.amount), (earlier.payment().imp_uid.as_str(), 5000.0));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_merchant_uid_another_key_pays_meanwhile_gets_iamport_s_refusal_not_that_payment() {
    // While this charge's first request is late, another customer's order pays the same
    // merchant_uid and amount; then the late request and the repeat are both refused.
    let (sandbox, proxy, iamport) = bed(Duration::from_millis(2500)).await;
    sandbox.issue_key("c_2", "issue_2", 0).await;
    let direct = sandbox.client();
    let other_pays = Then::new(move || {
        let direct = direct.clone();
        async move {
            assert!(direct.charge_billing_key(ChargeParams::new("c_2", "order_1", 9900, "n")).await.unwrap().is_paid());
        }
    });
    proxy.fault(Fault::Late { path: AGAIN.into(), before: Some(other_pays), after: None });
    let e = iamport.charge_billing_key(order_1()).await.unwrap_err();
    assert_eq!(e.code(), ErrorCode::ApiError, "{e}");
    assert!(e.to_string().contains("already paid"), "iamport's refusal: {e}");
    assert_eq!(proxy.count("POST", AGAIN), 2, "{:?}", proxy.seen());
    assert_eq!(proxy.count("GET", FIND), 2);
    let only = sandbox.client().find_payment("order_1").await.unwrap();
    assert_eq!(only.customer_uid.as_deref(), Some("c_2"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_repeat_refused_for_an_unknown_customer_is_the_answer_not_the_failed_first_attempt() {
    // The first request is late and declined; before the repeat reaches iamport the key is
    // deleted, so the repeat is refused and the lookup after it finds the declined attempt.
    let (sandbox, proxy, iamport) = bed(Duration::from_millis(2500)).await;
    sandbox.decline_next("한도초과").await;
    let direct = sandbox.client();
    let delete_key = Then::new(move || {
        let direct = direct.clone();
        async move {
            direct.delete_billing_key("c_1").await.unwrap();
        }
    });
    proxy.fault(Fault::Late { path: AGAIN.into(), before: None, after: Some(delete_key) });
    let e = iamport.charge_billing_key(order_1()).await.unwrap_err();
    assert_eq!(e.code(), ErrorCode::ApiError, "{e}");
    assert!(!says_unknown(&e), "{e}");
    assert_eq!(proxy.count("POST", AGAIN), 2, "{:?}", proxy.seen());
    assert_eq!(proxy.count("GET", FIND), 2);
    let found = sandbox.client().find_payment("order_1").await.unwrap();
    assert_eq!((found.status, found.fail_reason.as_deref()), (PaymentStatus::Failed, Some("한도초과")));
}

#[tokio::test(flavor = "multi_thread")]
async fn an_answer_lost_twice_is_network_with_the_outcome_unknown_and_no_third_send() {
    // The first request never reaches iamport; the repeat does (and is paid), but its answer is
    // lost: the client cannot know, says so, and sends nothing more.
    let (sandbox, proxy, iamport) = bed(Duration::from_secs(10)).await;
    proxy.fault(Fault::DropRequest(AGAIN.into()));
    proxy.fault(Fault::DropAnswer(AGAIN.into()));
    let e = iamport.charge_billing_key(order_1()).await.unwrap_err();
    assert_eq!(e.code(), ErrorCode::Network, "{e}");
    assert!(says_unknown(&e), "{e}");
    assert!(e.to_string().contains("the answer was lost twice"), "{e}");
    assert_eq!(proxy.count("POST", AGAIN), 2, "no third send: {:?}", proxy.seen());
    assert_eq!(proxy.count("GET", FIND), 1);
    assert_eq!(sandbox.client().find_payment("order_1").await.unwrap().status, PaymentStatus::Paid, "the repeat was paid");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_repeat_refused_with_401_is_unauthorized_not_an_unknown_outcome() {
    // The first request never reaches iamport; the repeat is refused at the door (401 with a
    // new token too): nothing was charged, and the error says what happened.
    let (sandbox, proxy, iamport) = bed(Duration::from_secs(10)).await;
    proxy.fault(Fault::DropRequest(AGAIN.into()));
    proxy.fault(Fault::Always401(AGAIN.into()));
    let e = iamport.charge_billing_key(order_1()).await.unwrap_err();
    assert_eq!(e.code(), ErrorCode::Unauthorized, "{e}");
    assert!(!says_unknown(&e), "{e}");
    assert_eq!(proxy.statuses(401), 2, "{:?}", proxy.seen());
    assert_eq!(proxy.count("GET", FIND), 1);
    assert_eq!(sandbox.client().find_payment("order_1").await.unwrap_err().code(), ErrorCode::NotFound);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refused_charge_is_neither_looked_up_nor_sent_again() {
    let (_sandbox, proxy, iamport) = bed(Duration::from_secs(10)).await;
    let e = iamport.charge_billing_key(ChargeParams::new("nobody", "order_1", 9900, "n")).await.unwrap_err();
    assert_eq!(e.code(), ErrorCode::ApiError, "{e}");
    assert_eq!(proxy.count("POST", AGAIN), 1);
    assert_eq!(proxy.count("GET", FIND), 0);
}

/// A paid charge of order_1, made straight to the sandbox; its imp_uid.
async fn paid_order_1(sandbox: &Sandbox) -> String {
    sandbox.client().charge_billing_key(order_1()).await.unwrap().payment().imp_uid.clone()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_cancel_whose_answer_is_lost_is_never_sent_again() {
    let (sandbox, proxy, iamport) = bed(Duration::from_secs(10)).await;
    let imp_uid = paid_order_1(&sandbox).await;
    // It reached iamport (and cancelled 1000 of it); the answer is lost.
    proxy.fault(Fault::DropAnswer("/payments/cancel".into()));
    let e = iamport.cancel_payment(CancelParams::by_imp_uid(&imp_uid, "부분 환불").amount(1000)).await.unwrap_err();
    assert_eq!(e.code(), ErrorCode::Network, "{e}");
    assert_eq!(proxy.count("POST", "/payments/cancel"), 1, "{:?}", proxy.seen());
    assert_eq!(proxy.count_prefix("/payments/"), 1, "not even looked up");
    let p = sandbox.client().get_payment(&imp_uid).await.unwrap();
    assert_eq!((p.status, p.cancel_amount), (PaymentStatus::Paid, 1000.0), "cancelled once");

    // It never reached iamport: still one send, nothing cancelled.
    proxy.fault(Fault::DropRequest("/payments/cancel".into()));
    let e = iamport.cancel_payment(CancelParams::by_imp_uid(&imp_uid, "부분 환불").amount(1000)).await.unwrap_err();
    assert_eq!(e.code(), ErrorCode::Network, "{e}");
    assert_eq!(proxy.count("POST", "/payments/cancel"), 2);
    assert_eq!(sandbox.client().get_payment(&imp_uid).await.unwrap().cancel_amount, 1000.0);

    // Its answer comes after the timeout: TIMEOUT, one send, and it did cancel.
    let slow = client_at(&proxy.base, Duration::from_millis(2500));
    proxy.fault(Fault::HoldAnswer("/payments/cancel".into(), Duration::from_secs(60)));
    let e = slow.cancel_payment(CancelParams::by_imp_uid(&imp_uid, "부분 환불").amount(1000)).await.unwrap_err();
    assert_eq!(e.code(), ErrorCode::Timeout, "{e}");
    assert_eq!(proxy.count("POST", "/payments/cancel"), 3);
    assert_eq!(sandbox.client().get_payment(&imp_uid).await.unwrap().cancel_amount, 2000.0);
}

// --- a schedule's retry ---

const RETRY: &str = "/subscribe/payments/schedule/run_1/retry";
const FIND_RUN: &str = "/payments/find/run_1";
const DAY: i64 = 24 * 3600;

/// The schedule `run_1` (9900 KRW of `c_1`, a day ahead), made straight to the sandbox and left
/// retryable: `failed` (its run declined: a failed payment of run_1 exists) or revoked (never
/// run: no payment of run_1 exists).
async fn retryable_run_1(sandbox: &Sandbox, failed: bool) {
    let direct = sandbox.client();
    let now = direct.iamport_now().await.unwrap();
    direct.schedule_charges(ScheduleParams::new("c_1", vec![ScheduleEntry::new("run_1", now + DAY, 9900, "월 구독")])).await.unwrap();
    if failed {
        sandbox.decline_next("한도초과").await;
        sandbox.advance((DAY + 30) as u64).await;
        assert_eq!(direct.find_payment("run_1").await.unwrap().status, PaymentStatus::Failed);
    } else {
        direct.unschedule_charges(UnscheduleParams::new("c_1").merchant_uids(["run_1"])).await.unwrap();
        assert_eq!(direct.find_payment("run_1").await.unwrap_err().code(), ErrorCode::NotFound);
    }
}

/// How many payments of run_1 the sandbox holds with this status.
async fn run_1_payments(sandbox: &Sandbox, status: PaymentStatus) -> usize {
    let all: Vec<Payment> = sandbox.client().list_payments("c_1").try_collect().await.unwrap();
    all.iter().filter(|p| p.merchant_uid == "run_1" && p.status == status).count()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_retry_whose_answer_is_lost_is_the_paid_payment_the_lookup_finds() {
    // The schedule's run failed; the retry is paid but its answer is lost: the lookup finds the
    // retry's payment (not the failed run's), and nothing is sent again.
    let (sandbox, proxy, iamport) = bed(Duration::from_secs(10)).await;
    retryable_run_1(&sandbox, true).await;
    proxy.fault(Fault::DropAnswer(RETRY.into()));
    let ChargeResult::Paid { payment } = iamport.retry_schedule("run_1").await.unwrap() else { panic!("paid") };
    assert_eq!((payment.merchant_uid.as_str(), payment.amount, payment.status), ("run_1", 9900.0, PaymentStatus::Paid));
    assert_eq!(payment.customer_uid.as_deref(), Some("c_1"));
    assert_eq!(proxy.count("POST", RETRY), 1, "charged once: {:?}", proxy.seen());
    assert_eq!(proxy.count("GET", FIND_RUN), 1);
    assert_eq!(run_1_payments(&sandbox, PaymentStatus::Paid).await, 1);
    let s = sandbox.client().get_schedule("run_1").await.unwrap();
    assert_eq!((s.payment_status, s.imp_uid.as_deref()), (Some(PaymentStatus::Paid), Some(payment.imp_uid.as_str())));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_retry_that_never_reached_iamport_is_the_failed_run_the_lookup_finds() {
    // The lookup finds the schedule's failed run: that is the answer (retrying again is safe),
    // and nothing is sent again.
    let (sandbox, proxy, iamport) = bed(Duration::from_secs(10)).await;
    retryable_run_1(&sandbox, true).await;
    proxy.fault(Fault::DropRequest(RETRY.into()));
    match iamport.retry_schedule("run_1").await.unwrap() {
        ChargeResult::Failed { fail_reason, payment } => assert_eq!((fail_reason.as_str(), payment.merchant_uid.as_str()), ("한도초과", "run_1")),
        other => panic!("{other:?}"),
    }
    assert_eq!(proxy.count("POST", RETRY), 1, "{:?}", proxy.seen());
    assert_eq!(proxy.count("GET", FIND_RUN), 1);
    assert_eq!(run_1_payments(&sandbox, PaymentStatus::Paid).await, 0);
    assert!(iamport.retry_schedule("run_1").await.unwrap().is_paid(), "retrying again is safe");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_first_retry_paid_after_the_timeout_and_the_lookup_is_the_answer_to_the_refused_repeat() {
    // A revoked schedule (no payment yet): the first retry reaches iamport after the client timed
    // out and its lookup found nothing; the repeat is refused as already paid.
    let (sandbox, proxy, iamport) = bed(Duration::from_millis(2500)).await;
    retryable_run_1(&sandbox, false).await;
    proxy.fault(Fault::late(RETRY));
    let ChargeResult::Paid { payment } = iamport.retry_schedule("run_1").await.unwrap() else { panic!("paid") };
    assert_eq!((payment.merchant_uid.as_str(), payment.amount, payment.status), ("run_1", 9900.0, PaymentStatus::Paid));
    assert_eq!(proxy.count("POST", RETRY), 2, "two sends: {:?}", proxy.seen());
    assert_eq!(proxy.count("GET", FIND_RUN), 2, "a lookup before the repeat and one after its refusal");
    assert_eq!(run_1_payments(&sandbox, PaymentStatus::Paid).await, 1);
    assert_eq!(sandbox.client().find_payment("run_1").await.unwrap().imp_uid, payment.imp_uid);
    let refused = sandbox.client().retry_schedule("run_1").await.unwrap_err();
    assert_eq!(refused.code(), ErrorCode::ApiError, "the repeat was refused the same way: {refused}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_retry_whose_answer_is_lost_twice_is_network_with_the_outcome_unknown_and_no_third_send() {
    let (sandbox, proxy, iamport) = bed(Duration::from_secs(10)).await;
    retryable_run_1(&sandbox, false).await;
    proxy.fault(Fault::DropRequest(RETRY.into()));
    proxy.fault(Fault::DropAnswer(RETRY.into()));
    let e = iamport.retry_schedule("run_1").await.unwrap_err();
    assert_eq!(e.code(), ErrorCode::Network, "{e}");
    assert!(e.is_outcome_unknown(), "{e}");
    assert!(e.to_string().contains("whether merchant_uid run_1 was charged is unknown"), "{e}");
    assert_eq!(proxy.count("POST", RETRY), 2, "no third send: {:?}", proxy.seen());
    assert_eq!(proxy.count("GET", FIND_RUN), 1);
    assert_eq!(run_1_payments(&sandbox, PaymentStatus::Paid).await, 1, "the repeat was paid");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_repeat_refused_because_the_schedule_is_pending_again_is_the_refusal_not_the_failed_run() {
    // The first retry is late and declined; before the repeat reaches iamport the schedule is
    // rescheduled (pending), so the repeat is refused and the lookup after it finds the declined
    // retry: the refusal is the answer.
    let (sandbox, proxy, iamport) = bed(Duration::from_millis(2500)).await;
    retryable_run_1(&sandbox, false).await;
    sandbox.decline_next("잔액부족").await;
    let direct = sandbox.client();
    let reschedule = Then::new(move || {
        let direct = direct.clone();
        async move {
            let now = direct.iamport_now().await.unwrap();
            direct.reschedule(RescheduleParams::new("run_1", now + DAY)).await.unwrap();
        }
    });
    proxy.fault(Fault::Late { path: RETRY.into(), before: None, after: Some(reschedule) });
    let e = iamport.retry_schedule("run_1").await.unwrap_err();
    assert_eq!(e.code(), ErrorCode::ApiError, "{e}");
    assert!(e.to_string().contains("has not run yet"), "iamport's refusal: {e}");
    assert!(!e.is_outcome_unknown(), "{e}");
    assert_eq!(proxy.count("POST", RETRY), 2, "{:?}", proxy.seen());
    assert_eq!(proxy.count("GET", FIND_RUN), 2);
    let found = sandbox.client().find_payment("run_1").await.unwrap();
    assert_eq!((found.status, found.fail_reason.as_deref()), (PaymentStatus::Failed, Some("잔액부족")));
    assert_eq!(sandbox.client().get_schedule("run_1").await.unwrap().schedule_status, ScheduleStatus::Scheduled);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refused_retry_is_neither_looked_up_nor_sent_again() {
    // A pending schedule cannot be retried: iamport's refusal is the answer at once.
    let (sandbox, proxy, iamport) = bed(Duration::from_secs(10)).await;
    let now = sandbox.client().iamport_now().await.unwrap();
    sandbox.client().schedule_charges(ScheduleParams::new("c_1", vec![ScheduleEntry::new("run_1", now + DAY, 9900, "n")])).await.unwrap();
    let e = iamport.retry_schedule("run_1").await.unwrap_err();
    assert_eq!(e.code(), ErrorCode::ApiError, "{e}");
    assert_eq!(proxy.count("POST", RETRY), 1);
    assert_eq!(proxy.count("GET", FIND_RUN), 0);
}
