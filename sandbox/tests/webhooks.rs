//! Webhooks over real HTTP: delivered, retried, to notice_url, never off this machine.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)] // tests may panic

mod common;

use common::{eventually, receiver, temp_dir, Sandbox};
use serde_json::json;

#[tokio::test]
async fn webhooks_are_delivered_and_retried() {
    let (url, got) = receiver(1).await;
    let sb = Sandbox::start(&temp_dir("webhooks"), &["--webhook-url", &url]);
    let cb = sb.issue("cu_h", "m_h", 0).await;
    let imp_uid = cb["imp_uid"].as_str().unwrap().to_owned();
    eventually("the paid webhook, after one failed attempt", || {
        let got = got.clone();
        async move { got.lock().unwrap().len() >= 2 }
    })
    .await;
    {
        let got = got.lock().unwrap();
        assert_eq!(got[0].0, 500);
        assert_eq!(
            got[1],
            (
                200,
                json!({"imp_uid": imp_uid, "merchant_uid": "m_h", "status": "paid"})
            )
        );
    }
    // the test charge's cancel and a scheduled charge's failure are notified too
    let t = sb.token().await;
    let now = sb.get("/__sandbox/clock").await.1["response"]["now"]
        .as_i64()
        .unwrap();
    let (_, v) = sb
        .authed_post(
            &t,
            "/subscribe/payments/schedule",
            json!({"customer_uid": "cu_h", "schedules": [
            {"merchant_uid": "s_h", "schedule_at": now + 3600, "amount": 500, "name": "n"}]}),
        )
        .await;
    assert_eq!(v["code"], 0);
    sb.post(
        "/__sandbox/next-outcome",
        json!({"outcome": "decline", "fail_reason": "잔액부족"}),
    )
    .await;
    sb.advance(3600).await;
    eventually("cancelled and failed webhooks", || {
        let got = got.clone();
        async move {
            let got = got.lock().unwrap();
            let has = |st: &str, m: &str| {
                got.iter()
                    .any(|(c, v)| *c == 200 && v["status"] == st && v["merchant_uid"] == m)
            };
            has("cancelled", "m_h") && has("failed", "s_h")
        }
    })
    .await;
    // notice_url wins over the configured URL
    let (url2, got2) = receiver(0).await;
    let (_, v) = sb
        .post("/__sandbox/window/pay", json!({"merchant_uid": "m_n", "amount": 100, "customer_uid": "cu_n", "notice_url": url2, "outcome": "approve"}))
        .await;
    assert_eq!(v["success"], true);
    eventually("the notice_url webhook", || {
        let got2 = got2.clone();
        async move {
            got2.lock()
                .unwrap()
                .iter()
                .any(|(_, v)| v["merchant_uid"] == "m_n")
        }
    })
    .await;
}

#[tokio::test]
async fn webhooks_to_remote_addresses_are_not_sent() {
    let (url, got) = receiver(0).await;
    let sb = Sandbox::start(&temp_dir("remote"), &["--webhook-url", &url]);
    // a notice_url off this machine is refused (nothing is sent; the payment itself goes through)
    let (_, v) = sb
        .post("/__sandbox/window/pay", json!({"merchant_uid": "m_x", "amount": 100, "customer_uid": "cu_x", "notice_url": "http://192.0.2.1/hook", "outcome": "approve"}))
        .await;
    assert_eq!(v["success"], true);
    sb.issue("cu_y", "m_y", 100).await;
    eventually("the loopback webhook", || {
        let got = got.clone();
        async move {
            got.lock()
                .unwrap()
                .iter()
                .any(|(_, v)| v["merchant_uid"] == "m_y")
        }
    })
    .await;
    assert!(!got
        .lock()
        .unwrap()
        .iter()
        .any(|(_, v)| v["merchant_uid"] == "m_x"));
}
