//! The token rules and lost answers, proven from the outside by a proxy that counts requests and
//! loses answers; and answers the sandbox never gives (a refusal inside HTTP 200, another key, a
//! 404 for an empty window), which the proxy gives instead.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)] // tests may panic

mod common;

use std::time::Duration;

use common::{client_at, Fault, Proxy, Sandbox};
use futures_util::StreamExt;
use iamport_billing_server::{
    ChargeParams, ChargeResult, ClientConfig, ConfirmParams, ErrorCode, ListSchedulesParams, PaymentStatus, ScheduleEntry, ScheduleParams,
};
use serde_json::json;

#[tokio::test(flavor = "multi_thread")]
async fn fifty_concurrent_calls_share_one_token_request() {
    let sandbox = Sandbox::start();
    sandbox.issue_key("c_1", "issue_1", 0).await;
    let proxy = Proxy::start(&sandbox.base).await;
    let iamport = client_at(&proxy.base, Duration::from_secs(10));
    let calls = (0..50).map(|_| {
        let c = iamport.clone();
        tokio::spawn(async move { c.get_billing_key("c_1").await })
    });
    for r in futures_util::future::join_all(calls).await {
        assert_eq!(r.unwrap().unwrap().customer_uid, "c_1");
    }
    assert_eq!(proxy.count("POST", "/users/getToken"), 1);
    assert_eq!(proxy.count("GET", "/subscribe/customers/c_1"), 50);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failed_token_request_is_shared_by_its_waiters_and_tried_again_later() {
    let sandbox = Sandbox::start();
    let proxy = Proxy::start(&sandbox.base).await;
    // The refusal of the first fetch is held long enough for every call to be waiting for it
    // (without it, on a busy machine each call may find the previous fetch already over).
    proxy.fault(Fault::HoldAnswer("/users/getToken".into(), Duration::from_millis(1500)));
    let wrong = iamport_billing_server::Client::new(ClientConfig::new(common::KEY, "not_the_secret").base_url(&proxy.base)).unwrap();
    let calls = (0..20).map(|_| {
        let c = wrong.clone();
        tokio::spawn(async move { c.get_billing_key("c_1").await })
    });
    for r in futures_util::future::join_all(calls).await {
        assert_eq!(r.unwrap().unwrap_err().code(), ErrorCode::Unauthorized);
    }
    let first = proxy.count("POST", "/users/getToken");
    assert!(first < 20, "waiters share a failed fetch ({first} fetches for 20 calls)");
    assert_eq!(wrong.get_billing_key("c_1").await.unwrap_err().code(), ErrorCode::Unauthorized);
    assert_eq!(proxy.count("POST", "/users/getToken"), first + 1, "a later call tries again");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_token_is_renewed_before_it_expires_by_iamport_s_clock() {
    let sandbox = Sandbox::start();
    sandbox.issue_key("c_1", "issue_1", 0).await;
    let proxy = Proxy::start(&sandbox.base).await;
    let iamport = client_at(&proxy.base, Duration::from_secs(10));
    iamport.get_billing_key("c_1").await.unwrap();
    let t0 = iamport.iamport_now().await.unwrap();

    // 28 minutes pass for both clocks: two minutes left, the token is kept.
    sandbox.advance(28 * 60).await;
    iamport.advance_clock_for_tests(Duration::from_secs(28 * 60));
    iamport.get_billing_key("c_1").await.unwrap();
    assert_eq!(proxy.count("POST", "/users/getToken"), 1);
    assert!(iamport.iamport_now().await.unwrap() - t0 >= 28 * 60);

    // 90 seconds more: 30 s left, under the minute's margin: a new token first, no 401 on the way.
    sandbox.advance(90).await;
    iamport.advance_clock_for_tests(Duration::from_secs(90));
    iamport.get_billing_key("c_1").await.unwrap();
    assert_eq!(proxy.count("POST", "/users/getToken"), 2);
    assert_eq!(proxy.statuses(401), 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_401_gets_one_new_token_and_one_retry() {
    let sandbox = Sandbox::start();
    sandbox.issue_key("c_1", "issue_1", 0).await;
    let proxy = Proxy::start(&sandbox.base).await;
    let iamport = client_at(&proxy.base, Duration::from_secs(10));
    iamport.get_billing_key("c_1").await.unwrap();
    // iamport's clock jumps past the token's expiry without this client noticing: a 401.
    sandbox.advance(31 * 60).await;
    assert_eq!(iamport.get_billing_key("c_1").await.unwrap().customer_uid, "c_1");
    assert_eq!(proxy.statuses(401), 1);
    assert_eq!(proxy.count("POST", "/users/getToken"), 2);
    assert_eq!(proxy.count("GET", "/subscribe/customers/c_1"), 3);

    // Refused again with the new token: UNAUTHORIZED, after exactly one retry.
    proxy.fault(Fault::Always401("/subscribe/customers/".into()));
    let e = iamport.get_billing_key("c_1").await.unwrap_err();
    assert_eq!(e.code(), ErrorCode::Unauthorized, "{e}");
    assert_eq!(proxy.count("GET", "/subscribe/customers/c_1"), 5);
    assert_eq!(proxy.count("POST", "/users/getToken"), 3);
}

async fn charge_through(fault: Fault, timeout: Duration) -> (Sandbox, Proxy, Result<ChargeResult, iamport_billing_server::Error>) {
    let sandbox = Sandbox::start();
    sandbox.issue_key("c_1", "issue_1", 0).await;
    let proxy = Proxy::start(&sandbox.base).await;
    let iamport = client_at(&proxy.base, timeout);
    proxy.fault(fault);
    let result = iamport.charge_billing_key(ChargeParams::new("c_1", "order_1", 9900, "월 구독")).await;
    (sandbox, proxy, result)
}

#[tokio::test(flavor = "multi_thread")]
async fn no_double_charge_when_the_answer_is_dropped_after_the_charge() {
    let (sandbox, proxy, result) = charge_through(Fault::DropAnswer("/subscribe/payments/again".into()), Duration::from_secs(10)).await;
    let ChargeResult::Paid { payment } = result.unwrap() else { panic!("paid") };
    assert_eq!((payment.merchant_uid.as_str(), payment.amount), ("order_1", 9900.0));
    assert_eq!(proxy.count("POST", "/subscribe/payments/again"), 1, "charged once: {:?}", proxy.seen());
    assert_eq!(proxy.count("GET", "/payments/find/order_1"), 1, "looked up before any retry");
    // The sandbox holds one payment for the order: the one answered.
    let found = sandbox.client().find_payment("order_1").await.unwrap();
    assert_eq!(found.imp_uid, payment.imp_uid);
}

#[tokio::test(flavor = "multi_thread")]
async fn no_double_charge_when_the_answer_comes_after_the_timeout() {
    let hold = Fault::HoldAnswer("/subscribe/payments/again".into(), Duration::from_secs(60));
    let (_sandbox, proxy, result) = charge_through(hold, Duration::from_millis(2500)).await;
    let ChargeResult::Paid { payment } = result.unwrap() else { panic!("paid") };
    assert_eq!(payment.status, PaymentStatus::Paid);
    assert_eq!(proxy.count("POST", "/subscribe/payments/again"), 1);
    assert_eq!(proxy.count("GET", "/payments/find/order_1"), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_charge_lost_before_iamport_saw_it_is_sent_once_more() {
    let (_sandbox, proxy, result) = charge_through(Fault::DropRequest("/subscribe/payments/again".into()), Duration::from_secs(10)).await;
    assert!(result.unwrap().is_paid());
    assert_eq!(proxy.count("POST", "/subscribe/payments/again"), 2, "{:?}", proxy.seen());
    assert_eq!(proxy.count("GET", "/payments/find/order_1"), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn when_the_lookup_fails_too_the_outcome_is_reported_unknown() {
    let sandbox = Sandbox::start();
    sandbox.issue_key("c_1", "issue_1", 0).await;
    let proxy = Proxy::start(&sandbox.base).await;
    let iamport = client_at(&proxy.base, Duration::from_secs(10));
    iamport.get_billing_key("c_1").await.unwrap();
    proxy.fault(Fault::DropAnswer("/subscribe/payments/again".into()));
    proxy.fault(Fault::Always401("/payments/find/".into()));
    let e = iamport.charge_billing_key(ChargeParams::new("c_1", "order_1", 9900, "월 구독")).await.unwrap_err();
    assert_eq!(e.code(), ErrorCode::Network, "{e}");
    assert!(e.to_string().contains("whether merchant_uid order_1 was charged is unknown"), "{e}");
    assert!(e.is_outcome_unknown(), "a field a program can test");
    assert_eq!(serde_json::to_value(&e).unwrap()["outcome_unknown"], true);
    assert_eq!(proxy.count("POST", "/subscribe/payments/again"), 1, "no blind retry");
}

#[tokio::test(flavor = "multi_thread")]
async fn no_secret_or_token_in_any_error_or_debug_output() {
    let sandbox = Sandbox::start();
    sandbox.issue_key("c_1", "issue_1", 0).await;
    let proxy = Proxy::start(&sandbox.base).await;
    let secret = common::SECRET;
    let config = ClientConfig::new(common::KEY, secret).base_url(&proxy.base).timeout(Duration::from_millis(2500));
    let iamport = iamport_billing_server::Client::new(config.clone()).unwrap();
    let mut outputs = vec![format!("{config:?}"), format!("{iamport:?}"), format!("{iamport:#?}")];
    assert!(outputs[1].starts_with("Client {") && outputs[1].contains(common::KEY), "the key, not the secret: {}", outputs[1]);
    iamport.get_billing_key("c_1").await.unwrap();
    proxy.fault(Fault::HoldAnswer("/payments/".into(), Duration::from_secs(60)));
    proxy.fault(Fault::DropAnswer("/subscribe/payments/again".into()));
    proxy.fault(Fault::Always401("/subscribe/payments/schedule/".into()));
    let charged = iamport.charge_billing_key(ChargeParams::new("c_1", "o_1", 1, "n")).await;
    outputs.push(format!("{charged:?}"));
    let errors = vec![
        iamport.get_payment("imps_1").await.unwrap_err(),
        iamport.get_schedule("m_1").await.unwrap_err(),
        iamport.get_billing_key("nobody").await.unwrap_err(),
        iamport_billing_server::Client::new(ClientConfig::new(common::KEY, "not_the_secret").base_url(&sandbox.base)).unwrap().get_payment("imps_1").await.unwrap_err(),
    ];
    for e in &errors {
        outputs.push(e.to_string());
        outputs.push(format!("{e:?}"));
        outputs.push(serde_json::to_string(e).unwrap());
    }
    let tokens: Vec<String> = proxy.seen().iter().filter_map(|s| s.authorization.clone()).map(|a| a.trim_start_matches("Bearer ").to_owned()).collect();
    assert!(!tokens.is_empty());
    for out in &outputs {
        assert!(!out.contains(secret), "the secret leaked: {out}");
        for t in &tokens {
            assert!(!out.contains(t.as_str()), "a token leaked: {out}");
        }
    }
}

/// A sandbox with the key `c_1`, a proxy in front of it, and a client of the proxy.
async fn through_proxy() -> (Sandbox, Proxy, iamport_billing_server::Client) {
    let sandbox = Sandbox::start();
    sandbox.issue_key("c_1", "issue_1", 0).await;
    let proxy = Proxy::start(&sandbox.base).await;
    let iamport = client_at(&proxy.base, Duration::from_secs(10));
    (sandbox, proxy, iamport)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_read_whose_request_is_lost_is_sent_once_more_and_only_once() {
    let (_sandbox, proxy, iamport) = through_proxy().await;
    let key = "/subscribe/customers/c_1";
    proxy.fault(Fault::DropRequest(key.into()));
    assert_eq!(iamport.get_billing_key("c_1").await.unwrap().customer_uid, "c_1");
    assert_eq!(proxy.count("GET", key), 2, "{:?}", proxy.seen());
    for _ in 0..3 {
        proxy.fault(Fault::DropRequest(key.into()));
    }
    assert_eq!(iamport.get_billing_key("c_1").await.unwrap_err().code(), ErrorCode::Network);
    assert_eq!(proxy.count("GET", key), 4, "one more send, not two");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_token_refusal_answered_with_http_200_is_unauthorized() {
    let (_sandbox, proxy, iamport) = through_proxy().await;
    let refusal = json!({ "code": -1, "message": "imp_key, imp_secret 정보가 올바르지 않습니다.", "response": null });
    proxy.fault(Fault::Answer("/users/getToken".into(), 200, refusal));
    let e = iamport.get_billing_key("c_1").await.unwrap_err();
    assert_eq!(e.code(), ErrorCode::Unauthorized, "{e}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_confirmation_whose_key_lookup_answers_another_key_or_fails_is_not_confirmed() {
    let (sandbox, proxy, iamport) = through_proxy().await;
    let issued = sandbox.issue_key("c_2", "issue_2", 0).await;
    let params = || ConfirmParams::new(issued["imp_uid"].as_str().unwrap(), "c_2", 0);
    let key = "/subscribe/customers/c_2";
    let other = sandbox.client().get_billing_key("c_1").await.unwrap();
    proxy.fault(Fault::Answer(key.into(), 200, json!({ "code": 0, "message": null, "response": other })));
    let e = iamport.confirm_billing_key(params()).await.unwrap_err();
    assert_eq!((e.code(), e.field()), (ErrorCode::Mismatch, Some("customer_uid")), "{e}");
    proxy.fault(Fault::DropRequest(key.into()));
    proxy.fault(Fault::DropRequest(key.into()));
    assert_eq!(iamport.confirm_billing_key(params()).await.unwrap_err().code(), ErrorCode::Network);
    assert!(iamport.confirm_billing_key(params()).await.is_ok());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_list_window_iamport_answers_404_has_none_and_a_failed_one_is_the_error() {
    let (sandbox, proxy, iamport) = through_proxy().await;
    let now = iamport.iamport_now().await.unwrap();
    let entries = vec![ScheduleEntry::new("run_1", now + 3600, 9900, "월 구독")];
    iamport.schedule_charges(ScheduleParams::new("c_1", entries)).await.unwrap();
    let list = "/subscribe/payments/schedule/customers/c_1";
    let range = || ListSchedulesParams::new("c_1", now, now + 7200);
    proxy.fault(Fault::Answer(list.into(), 404, json!({ "code": 1, "message": "예약결제 정보가 존재하지 않습니다.", "response": null })));
    let none: Vec<_> = iamport.list_schedules(range()).collect().await;
    assert!(none.is_empty(), "{none:?}");
    proxy.fault(Fault::DropRequest(list.into()));
    proxy.fault(Fault::DropRequest(list.into()));
    let failed: Vec<_> = iamport.list_schedules(range()).collect().await;
    assert_eq!(failed.len(), 1, "{failed:?}");
    assert_eq!(failed[0].as_ref().unwrap_err().code(), ErrorCode::Network);
    let one: Vec<_> = iamport.list_schedules(range()).collect().await;
    assert_eq!(one[0].as_ref().unwrap().merchant_uid, "run_1");

    // Several keys at once: a failed lookup is the error, not "none of them".
    proxy.fault(Fault::DropRequest("/subscribe/customers".into()));
    proxy.fault(Fault::DropRequest("/subscribe/customers".into()));
    assert_eq!(iamport.get_billing_keys(&["c_1"]).await.unwrap_err().code(), ErrorCode::Network);
    assert_eq!(sandbox.client().get_billing_keys(&["c_1"]).await.unwrap().len(), 1);
}
