//! Failures on demand: test keys that decline without a control call (in parallel with plain
//! charges), and webhooks sent twice and out of order; webhooks not delivered before a kill are sent
//! after the restart.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)] // tests may panic

mod common;

use std::sync::Arc;

use common::{eventually, receiver, temp_dir, Got, Sandbox};
use serde_json::{json, Value};

#[tokio::test]
async fn test_keys_decline_in_parallel_with_plain_charges() {
    let sb = Arc::new(Sandbox::start(&temp_dir("declines"), &[]));
    let t = sb.token().await;
    let keys = [
        ("cu_decline_limit", Some("한도초과")),
        ("cu_decline_balance", Some("잔액부족")),
        ("cu_decline_suspended", Some("정지된 카드")),
        ("cu_decline_expired", Some("유효기간 만료")),
        ("cu_plain", None),
    ];
    for (i, (cu, _)) in keys.iter().enumerate() {
        sb.issue(cu, &format!("issue_{i}"), 0).await;
    }
    let mut tasks = Vec::new();
    for round in 0..8 {
        for (cu, want) in keys {
            let (sb, t) = (sb.clone(), t.clone());
            tasks.push(tokio::spawn(async move {
                let body = json!({"customer_uid": cu, "merchant_uid": format!("{cu}_{round}"), "amount": 1000, "name": "n"});
                let (s, v) = sb.authed_post(&t, "/subscribe/payments/again", body).await;
                assert_eq!((s, v["code"].as_i64()), (200, Some(0)), "{v}");
                let p = &v["response"];
                match want {
                    Some(reason) => assert_eq!(
                        (p["status"].as_str(), p["fail_reason"].as_str()),
                        (Some("failed"), Some(reason)),
                        "{v}"
                    ),
                    None => assert_eq!(p["status"], "paid", "{v}"),
                }
            }));
        }
    }
    for task in tasks {
        task.await.unwrap();
    }
}

fn received(got: &Got, status: &str) -> usize {
    got.lock()
        .unwrap()
        .iter()
        .filter(|(code, v)| *code == 200 && v["status"] == status)
        .count()
}

#[tokio::test]
async fn webhooks_can_come_twice_and_out_of_order() {
    let (url, got) = receiver(0).await;
    let sb = Sandbox::start(&temp_dir("hookmode"), &["--webhook-url", &url]);
    let (s, v) = sb
        .post(
            "/__sandbox/webhooks",
            json!({"copies": 2, "out_of_order": true}),
        )
        .await;
    assert_eq!(
        (s, v["response"].clone()),
        (200, json!({"copies": 2, "out_of_order": true}))
    );
    let (s, _) = sb.post("/__sandbox/webhooks", json!({"copies": 9})).await;
    assert_eq!(s, 400);
    let t = sb.token().await;
    let cb = sb.issue("cu_w", "m_w", 1000).await;
    let (_, v) = sb
        .authed_post(
            &t,
            "/payments/cancel",
            json!({"imp_uid": cb["imp_uid"], "reason": "r"}),
        )
        .await;
    assert_eq!(v["response"]["status"], "cancelled");
    eventually("two copies of each webhook", || {
        let got = got.clone();
        async move { received(&got, "paid") == 2 && received(&got, "cancelled") == 2 }
    })
    .await;
    let order: Vec<Value> = got
        .lock()
        .unwrap()
        .iter()
        .map(|(_, v)| v["status"].clone())
        .collect();
    assert_eq!(
        order,
        ["cancelled", "cancelled", "paid", "paid"],
        "the cancel overtakes the payment"
    );
    // back to normal: one copy, in order
    sb.post(
        "/__sandbox/webhooks",
        json!({"copies": 1, "out_of_order": false}),
    )
    .await;
    sb.issue("cu_w2", "m_w2", 1000).await;
    eventually("one more paid webhook", || {
        let got = got.clone();
        async move { received(&got, "paid") == 3 }
    })
    .await;
}

#[tokio::test]
async fn webhooks_not_delivered_before_a_kill_are_sent_after_the_restart() {
    let dir = temp_dir("hookresume");
    // Nothing listens on port 9 of loopback: every attempt fails until the restart.
    let sb = Sandbox::start(&dir, &["--webhook-url", "http://127.0.0.1:9/hook"]);
    sb.issue("cu_r", "m_r", 1000).await;
    sb.stop();
    let (url, got) = receiver(0).await;
    let _sb = Sandbox::start(&dir, &["--webhook-url", &url]);
    eventually("the paid webhook, after the restart", || {
        let got = got.clone();
        async move { received(&got, "paid") == 1 }
    })
    .await;
    assert_eq!(got.lock().unwrap()[0].1["merchant_uid"], "m_r");
}
