//! The example merchant server (`/merchant/`) against the sandbox, over real HTTP.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)] // tests may panic

mod common;

use common::{eventually, temp_dir, Sandbox};
use serde_json::{json, Value};

#[tokio::test]
async fn the_example_merchant_confirms_charges_schedules_and_logs_webhooks() {
    let sb = Sandbox::start(&temp_dir("merchant"), &[]);
    let cb = sb.issue("cu_m", "issue_m", 0).await;
    let imp_uid = cb["imp_uid"].as_str().unwrap().to_owned();
    let (s, v) = sb.post("/merchant/confirm", json!({"imp_uid": imp_uid, "customer_uid": "cu_m", "merchant_uid": "issue_m", "amount": 0})).await;
    assert_eq!((s, v["ok"].as_bool()), (200, Some(true)), "{v}");
    assert!(v["checks"].as_array().unwrap().len() >= 5);
    let (_, v) = sb
        .post(
            "/merchant/confirm",
            json!({"imp_uid": imp_uid, "customer_uid": "someone_else", "amount": 0}),
        )
        .await;
    assert_eq!(v["ok"], false, "{v}");
    let (_, v) = sb
        .post(
            "/merchant/confirm",
            json!({"imp_uid": "imps_000000000000", "customer_uid": "cu_m", "amount": 0}),
        )
        .await;
    assert_eq!(v["ok"], false, "{v}");

    let (s, v) = sb
        .post(
            "/merchant/charge",
            json!({"customer_uid": "cu_m", "amount": 9900, "name": "월 구독"}),
        )
        .await;
    assert_eq!(
        (
            s,
            v["ok"].as_bool(),
            v["status"].as_str(),
            v["amount"].as_i64()
        ),
        (200, Some(true), Some("paid"), Some(9900)),
        "{v}"
    );
    let charged = v["imp_uid"].as_str().unwrap().to_owned();
    sb.post(
        "/__sandbox/next-outcome",
        json!({"outcome": "decline", "fail_reason": "한도초과"}),
    )
    .await;
    let (_, v) = sb
        .post(
            "/merchant/charge",
            json!({"customer_uid": "cu_m", "amount": 9900, "name": "월 구독"}),
        )
        .await;
    assert_eq!(
        (
            v["ok"].as_bool(),
            v["status"].as_str(),
            v["fail_reason"].as_str()
        ),
        (Some(false), Some("failed"), Some("한도초과")),
        "{v}"
    );
    let (_, v) = sb
        .post(
            "/merchant/charge",
            json!({"customer_uid": "nobody", "amount": 9900, "name": "월 구독"}),
        )
        .await;
    assert_eq!(v["ok"], false, "{v}");

    let (s, v) = sb
        .post(
            "/merchant/schedule",
            json!({"customer_uid": "cu_m", "amount": 9900, "name": "월 구독"}),
        )
        .await;
    assert_eq!((s, v["ok"].as_bool()), (200, Some(true)), "{v}");
    let scheduled = v["merchant_uid"].as_str().unwrap().to_owned();
    let now = sb.get("/__sandbox/clock").await.1["response"]["now"]
        .as_i64()
        .unwrap();
    assert!(v["schedule_at"].as_i64().unwrap() > now + 27 * 86400);
    // a month later the charge runs; the merchant's token has expired meanwhile and is renewed
    sb.advance(31 * 86400).await;
    eventually("the merchant's webhook log", || {
        let (sb, scheduled, charged, imp_uid) =
            (&sb, scheduled.clone(), charged.clone(), imp_uid.clone());
        async move {
            let (_, log) = sb.get("/merchant/webhooks").await;
            let log = log.as_array().cloned().unwrap_or_default();
            let seen = |f: &dyn Fn(&Value) -> bool| log.iter().any(f);
            seen(&|e| {
                e["merchant_uid"] == scheduled.as_str()
                    && e["status"] == "paid"
                    && e["verified_status"] == "paid"
            }) && seen(&|e| e["imp_uid"] == charged.as_str() && e["verified_status"] == "paid")
                && seen(&|e| {
                    e["imp_uid"] == imp_uid.as_str()
                        && e["status"] == "cancelled"
                        && e["verified_status"] == "cancelled"
                })
        }
    })
    .await;
}
