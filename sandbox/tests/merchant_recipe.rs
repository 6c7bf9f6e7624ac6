//! The example merchant (`/merchant/…`) runs docs/server.md's renewal recipe from its webhooks: a good
//! card renews month after month, each month scheduled from the previous one's `paid_at`; a declining
//! card is charged again a few days later, and after the last attempt the subscription ends with its
//! key deleted.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)] // tests may panic

mod common;

use common::{holds_within, temp_dir, Sandbox};
use iamport_sandbox::merchant::{ATTEMPTS, RETRY_AFTER};
use serde_json::{json, Value};

const MONTH: i64 = 30 * 24 * 3600;

/// Polls until `f` holds: a month's webhook goes through the sandbox's ticker, its delivery and the
/// merchant's own calls back to the API, which take long on a busy machine.
async fn until<F, Fut>(sb: &Sandbox, merchant_uid: &str, what: &str, f: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    if !holds_within(600, f).await {
        panic!("timed out waiting for: {what}; rows: {:?}", rows(sb, merchant_uid).await);
    }
}

/// The merchant's webhook log rows for `merchant_uid`.
async fn rows(sb: &Sandbox, merchant_uid: &str) -> Vec<Value> {
    let (s, v) = sb.get("/merchant/webhooks").await;
    assert_eq!(s, 200, "{v}");
    v.as_array().unwrap().iter().filter(|r| r["merchant_uid"] == merchant_uid).cloned().collect()
}

/// Waits for the merchant's row of `merchant_uid` verified as `status` with `action` starting so,
/// and gives its action.
async fn acted(sb: &Sandbox, merchant_uid: &str, status: &str, action: &str) -> String {
    for _ in 0..600 {
        let hit = rows(sb, merchant_uid).await.into_iter().find(|r| {
            r["verified_status"] == status && r["action"].as_str().is_some_and(|a| a.starts_with(action))
        });
        if let Some(r) = hit {
            return r["action"].as_str().unwrap().to_owned();
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("timed out waiting for {merchant_uid} {status}: {action}; rows: {:?}", rows(sb, merchant_uid).await);
}

async fn now(sb: &Sandbox) -> i64 {
    sb.get("/__sandbox/clock").await.1["response"]["now"].as_i64().unwrap()
}

/// Starts a subscription through the merchant: its first month's merchant_uid and time.
async fn subscribe(sb: &Sandbox, customer_uid: &str) -> (String, i64) {
    sb.issue(customer_uid, &format!("{customer_uid}_issue"), 0).await;
    let (s, v) = sb.post("/merchant/schedule", json!({ "customer_uid": customer_uid, "amount": 9900, "name": "월 구독" })).await;
    assert_eq!((s, &v["ok"]), (200, &json!(true)), "{v}");
    let m1 = v["merchant_uid"].as_str().unwrap().to_owned();
    assert!(m1.ends_with("_m1"), "{m1}");
    (m1, v["schedule_at"].as_i64().unwrap())
}

#[tokio::test]
async fn a_good_card_renews_twelve_times_each_month_from_the_last_paid_at() {
    let sb = Sandbox::start(&temp_dir("recipe-good"), &[]);
    let (m1, mut due) = subscribe(&sb, "recipe_good").await;
    let base = m1.trim_end_matches("_m1").to_owned();
    for n in 1..=12 {
        let month = format!("{base}_m{n}");
        sb.advance(due - now(&sb).await + 60).await;
        let action = acted(&sb, &month, "paid", "scheduled").await;
        let next = format!("{base}_m{}", n + 1);
        assert!(action.starts_with(&format!("scheduled {next} at ")), "{action}");
        let paid = sb.authed_get(&sb.token().await, &format!("/payments/find/{month}")).await.1["response"].clone();
        let schedule = sb.authed_get(&sb.token().await, &format!("/subscribe/payments/schedule/{next}")).await.1["response"].clone();
        assert_eq!(schedule["schedule_at"].as_i64(), Some(paid["paid_at"].as_i64().unwrap() + MONTH), "{schedule}");
        due = schedule["schedule_at"].as_i64().unwrap();
    }
    // Twelve months paid once each (the issuance's 10 KRW check is the key's only other payment).
    let paid: Vec<Value> = {
        // (A token lives 30 minutes of the sandbox's clock: one is asked for after each move.)
        let t = sb.token().await;
        let v = sb.authed_get(&t, "/subscribe/customers/recipe_good/payments?page=1").await.1;
        let mut all = v["response"]["list"].as_array().unwrap().clone();
        if v["response"]["next"].as_i64().unwrap_or(0) > 0 {
            let v2 = sb.authed_get(&t, "/subscribe/customers/recipe_good/payments?page=2").await.1;
            all.extend(v2["response"]["list"].as_array().unwrap().iter().cloned());
        }
        all.into_iter().filter(|p| p["status"] == "paid" && p["merchant_uid"].as_str().unwrap().starts_with(&base)).collect()
    };
    assert_eq!(paid.len(), 12, "{paid:?}");
}

#[tokio::test]
async fn a_declining_card_is_retried_then_the_subscription_ends_with_its_key() {
    let sb = Sandbox::start(&temp_dir("recipe-decline"), &[]);
    let customer_uid = "recipe_decline_limit";
    let (m1, due) = subscribe(&sb, customer_uid).await;
    sb.advance(due - now(&sb).await + 60).await;
    for attempt in 1..ATTEMPTS {
        // Each failed attempt (one imp_uid, whatever the number of its webhooks) is one retry.
        let what = format!("attempt {attempt}'s failed webhook and its retry");
        until(&sb, &m1, &what, || async {
            let retries: std::collections::BTreeSet<String> = rows(&sb, &m1)
                .await
                .iter()
                .filter(|r| r["verified_status"] == "failed" && r["action"].as_str().is_some_and(|a| a.starts_with("retry at ")))
                .map(|r| r["imp_uid"].as_str().unwrap().to_owned())
                .collect();
            retries.len() == attempt
        })
        .await;
        let schedule = sb.authed_get(&sb.token().await, &format!("/subscribe/payments/schedule/{m1}")).await.1["response"].clone();
        assert_eq!(schedule["schedule_status"], "scheduled", "{schedule}");
        // A few days after the failed attempt (iamport's clock): ahead, and not more than that.
        let (at, n) = (schedule["schedule_at"].as_i64().unwrap(), now(&sb).await);
        assert!(at > n && at <= n + RETRY_AFTER, "{schedule} (now {n})");
        sb.advance(RETRY_AFTER + 60).await;
    }
    let action = acted(&sb, &m1, "failed", "ended").await;
    assert_eq!(action, format!("ended after {ATTEMPTS} failed attempts: key deleted"));
    let (s, v) = sb.authed_get(&sb.token().await, &format!("/subscribe/customers/{customer_uid}")).await;
    assert_eq!(s, 404, "the key is deleted: {v}");
    // No month after m1 was ever scheduled, and m1 never paid.
    let base = m1.trim_end_matches("_m1");
    let (s, _) = sb.authed_get(&sb.token().await, &format!("/subscribe/payments/schedule/{base}_m2")).await;
    assert_eq!(s, 404);
}
