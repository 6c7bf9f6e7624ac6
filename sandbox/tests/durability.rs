//! What the database promises: nothing answered is lost when the process is killed (SIGKILL) in the
//! middle of charges, and concurrent charges of one merchant_uid pay it once.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)] // tests may panic

mod common;

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use common::{temp_dir, Sandbox};
use serde_json::json;

#[tokio::test]
async fn a_kill_during_charges_loses_nothing_that_was_answered() {
    let dir = temp_dir("kill");
    let sb = Arc::new(Sandbox::start(&dir, &[]));
    let t = sb.token().await;
    sb.issue("cu_kill", "m_kill", 0).await;
    let answered = Arc::new(Mutex::new(Vec::<(String, String)>::new()));
    let count = Arc::new(AtomicUsize::new(0));
    let mut workers = Vec::new();
    for w in 0..32 {
        let (sb, t, answered, count) = (sb.clone(), t.clone(), answered.clone(), count.clone());
        workers.push(tokio::spawn(async move {
            for i in 0..1000 {
                let merchant_uid = format!("kill_{w}_{i}");
                let body = json!({"customer_uid": "cu_kill", "merchant_uid": merchant_uid, "amount": 100, "name": "n"});
                let sent = sb
                    .http
                    .post(sb.url("/subscribe/payments/again"))
                    .bearer_auth(&t)
                    .json(&body)
                    .send()
                    .await;
                // After the kill, requests fail: that worker is done.
                let Ok(res) = sent else { return };
                let Ok(v) = res.json::<serde_json::Value>().await else { return };
                assert_eq!(v["response"]["status"], "paid", "{v}");
                let imp_uid = v["response"]["imp_uid"].as_str().unwrap().to_owned();
                answered.lock().unwrap().push((imp_uid, merchant_uid));
                count.fetch_add(1, Ordering::Relaxed);
            }
        }));
    }
    while count.load(Ordering::Relaxed) < 300 {
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    let killed = std::process::Command::new("kill")
        .args(["-9", &sb.pid().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    for w in workers {
        w.await.unwrap();
    }
    let answered = answered.lock().unwrap().clone();
    assert!(
        answered.len() >= 300 && answered.len() < 32_000,
        "{}",
        answered.len()
    );

    let sb = Sandbox::start(&dir, &[]);
    let t = sb.token().await;
    for (imp_uid, merchant_uid) in &answered {
        let (s, v) = sb.authed_get(&t, &format!("/payments/{imp_uid}")).await;
        assert_eq!(
            (s, v["response"]["status"].as_str()),
            (200, Some("paid")),
            "{imp_uid}: {v}"
        );
        assert_eq!(
            v["response"]["merchant_uid"].as_str(),
            Some(merchant_uid.as_str())
        );
    }
}

#[tokio::test]
async fn two_hundred_concurrent_charges_of_one_merchant_uid_pay_once() {
    let sb = Arc::new(Sandbox::start(&temp_dir("once"), &[]));
    let t = sb.token().await;
    sb.issue("cu_once", "m_once", 0).await;
    let mut tasks = Vec::new();
    for _ in 0..200 {
        let (sb, t) = (sb.clone(), t.clone());
        tasks.push(tokio::spawn(async move {
            let body = json!({"customer_uid": "cu_once", "merchant_uid": "order_once", "amount": 5000, "name": "n"});
            sb.authed_post(&t, "/subscribe/payments/again", body).await
        }));
    }
    let mut paid = BTreeSet::new();
    let mut refused = 0;
    for task in tasks {
        let (s, v) = task.await.unwrap();
        assert_eq!(s, 200, "{v}");
        match v["code"].as_i64() {
            Some(0) => {
                assert_eq!(v["response"]["status"], "paid", "{v}");
                paid.insert(v["response"]["imp_uid"].as_str().unwrap().to_owned());
            }
            Some(1) => refused += 1,
            _ => panic!("{v}"),
        }
    }
    assert_eq!((paid.len(), refused), (1, 199), "{paid:?}");
    let (_, found) = sb.authed_get(&t, "/payments/find/order_once/all").await;
    assert!(paid.contains(found["response"]["imp_uid"].as_str().unwrap()));
}
