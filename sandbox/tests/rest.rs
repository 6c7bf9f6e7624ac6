//! The REST API, the sandbox endpoints and the example merchant, over real HTTP against the binary.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)] // tests may panic

mod common;

use std::sync::Arc;

use common::{assert_error, temp_dir, Sandbox, KEY, SECRET};
use serde_json::{json, Value};

#[tokio::test]
async fn get_token_json_form_reuse_and_errors() {
    let sb = Sandbox::start(&temp_dir("token"), &[]);
    let (s, a) = sb
        .post(
            "/users/getToken",
            json!({"imp_key": KEY, "imp_secret": SECRET}),
        )
        .await;
    assert_eq!(
        (s, a["code"].as_i64(), a["message"].clone()),
        (200, Some(0), Value::Null),
        "{a}"
    );
    let r = &a["response"];
    assert_eq!(
        r["expired_at"].as_i64().unwrap() - r["now"].as_i64().unwrap(),
        1800
    );
    let form = sb
        .http
        .post(sb.url("/users/getToken"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("imp_key={KEY}&imp_secret={SECRET}"));
    let (s, b) = sb.send(form).await;
    assert_eq!(s, 200);
    assert_eq!(
        a["response"]["access_token"], b["response"]["access_token"],
        "the same token before it expires"
    );
    let (s, v) = sb
        .post(
            "/users/getToken",
            json!({"imp_key": KEY, "imp_secret": "wrong"}),
        )
        .await;
    assert_error(s, &v, 401);
    let (s, v) = sb.post("/users/getToken", json!({"imp_key": KEY})).await;
    assert_error(s, &v, 400);
    let (s, v) = sb
        .post(
            "/users/getToken",
            json!({"imp_key": 5, "imp_secret": SECRET}),
        )
        .await;
    assert_error(s, &v, 400);
    // configurable key and secret
    let sb2 = Sandbox::start(
        &temp_dir("token2"),
        &["--imp-key", "k2", "--imp-secret", "second_secret"],
    );
    let (s, v) = sb2
        .post(
            "/users/getToken",
            json!({"imp_key": KEY, "imp_secret": SECRET}),
        )
        .await;
    assert_error(s, &v, 401);
    let (s, _) = sb2
        .post(
            "/users/getToken",
            json!({"imp_key": "k2", "imp_secret": "second_secret"}),
        )
        .await;
    assert_eq!(s, 200);
}

#[tokio::test]
async fn auth_bearer_bare_missing_and_expired() {
    let sb = Sandbox::start(&temp_dir("auth"), &[]);
    let token = sb.token().await;
    let paid = sb.issue("cu_auth", "m_auth", 1000).await;
    let path = format!("/payments/{}", paid["imp_uid"].as_str().unwrap());
    let (s, v) = sb.get(&path).await;
    assert_error(s, &v, 401);
    let (s, v) = sb
        .send(
            sb.http
                .get(sb.url(&path))
                .header("Authorization", "Bearer nope"),
        )
        .await;
    assert_error(s, &v, 401);
    let (s, v) = sb.authed_get(&token, &path).await;
    assert_eq!((s, v["code"].as_i64()), (200, Some(0)));
    let (s, v) = sb
        .send(
            sb.http
                .get(sb.url(&path))
                .header("Authorization", token.clone()),
        )
        .await;
    assert_eq!(
        (s, v["code"].as_i64()),
        (200, Some(0)),
        "the bare token works too"
    );
    sb.advance(31 * 60).await;
    let (s, v) = sb.authed_get(&token, &path).await;
    assert_error(s, &v, 401);
    let fresh = sb.token().await;
    assert_ne!(fresh, token);
    assert_eq!(sb.authed_get(&fresh, &path).await.0, 200);
}

#[tokio::test]
async fn the_whole_billing_flow() {
    let sb = Sandbox::start(&temp_dir("flow"), &[]);
    let t = sb.token().await;
    // amount 0: a 10 KRW test charge, the key stored
    let cb = sb.issue("cu_1", "issue_1", 0).await;
    assert_eq!(
        (cb["paid_amount"].as_i64(), cb["pg_provider"].as_str()),
        (Some(10), Some("danal_tpay"))
    );
    let imp_uid = cb["imp_uid"].as_str().unwrap().to_owned();
    assert!(
        imp_uid.starts_with("imps_") && imp_uid.len() == 17,
        "{imp_uid}"
    );
    let (s, p) = sb.authed_get(&t, &format!("/payments/{imp_uid}")).await;
    assert_eq!(s, 200);
    let p = &p["response"];
    assert_eq!(
        (
            p["status"].as_str(),
            p["amount"].as_i64(),
            p["customer_uid"].as_str(),
            p["customer_uid_usage"].as_str()
        ),
        (Some("paid"), Some(10), Some("cu_1"), Some("issue"))
    );
    assert!(p.get("auto_cancel_at").is_none() && p.get("notice_url").is_none());
    let (s, f) = sb.authed_get(&t, "/payments/find/issue_1").await;
    assert_eq!(
        (s, f["response"]["imp_uid"].as_str()),
        (200, Some(imp_uid.as_str()))
    );
    let (s, f) = sb.authed_get(&t, "/payments/find/issue_1/paid").await;
    assert_eq!(
        (s, f["response"]["imp_uid"].as_str()),
        (200, Some(imp_uid.as_str()))
    );
    let (s, v) = sb.authed_get(&t, "/payments/find/issue_1/cancelled").await;
    assert_error(s, &v, 404);
    let (s, c) = sb.authed_get(&t, "/subscribe/customers/cu_1").await;
    assert_eq!(
        (s, c["response"]["pg_provider"].as_str()),
        (200, Some("danal_tpay"))
    );

    // charge now
    let again = json!({"customer_uid": "cu_1", "merchant_uid": "order_1", "amount": 9900, "name": "월 구독"});
    let (s, v) = sb
        .authed_post(&t, "/subscribe/payments/again", again.clone())
        .await;
    assert_eq!(
        (s, v["code"].as_i64(), v["response"]["status"].as_str()),
        (200, Some(0), Some("paid")),
        "{v}"
    );
    assert_eq!(v["response"]["customer_uid_usage"], "payment");
    // a reused merchant_uid, an unknown customer: error envelopes
    let (s, v) = sb.authed_post(&t, "/subscribe/payments/again", again).await;
    assert_error(s, &v, 200);
    let (s, v) = sb
        .authed_post(
            &t,
            "/subscribe/payments/again",
            json!({"customer_uid": "nobody", "merchant_uid": "o_x", "amount": 1, "name": "n"}),
        )
        .await;
    assert_error(s, &v, 200);
    assert_eq!(v["message"], "등록된 고객정보가 없습니다.");
    // a declined card: code 0, status failed
    let (s, v) = sb
        .post(
            "/__sandbox/next-outcome",
            json!({"outcome": "decline", "fail_reason": "한도초과"}),
        )
        .await;
    assert_eq!((s, v["code"].as_i64()), (200, Some(0)));
    let (s, v) = sb
        .authed_post(
            &t,
            "/subscribe/payments/again",
            json!({"customer_uid": "cu_1", "merchant_uid": "order_2", "amount": 9900, "name": "n"}),
        )
        .await;
    assert_eq!((s, v["code"].as_i64()), (200, Some(0)));
    assert_eq!(
        (
            v["response"]["status"].as_str(),
            v["response"]["fail_reason"].as_str()
        ),
        (Some("failed"), Some("한도초과"))
    );

    // schedule, look it up, revoke one, run the other
    let now = sb.get("/__sandbox/clock").await.1["response"]["now"]
        .as_i64()
        .unwrap();
    let sched = json!({"customer_uid": "cu_1", "schedules": [
        {"merchant_uid": "month_1", "schedule_at": now + 86400, "amount": 9900, "name": "1월"},
        {"merchant_uid": "month_2", "schedule_at": now + 2 * 86400, "amount": 9900, "name": "2월"}]});
    let (s, v) = sb
        .authed_post(&t, "/subscribe/payments/schedule", sched.clone())
        .await;
    assert_eq!(
        (
            s,
            v["code"].as_i64(),
            v["response"].as_array().map(Vec::len)
        ),
        (200, Some(0), Some(2)),
        "{v}"
    );
    let (s, v) = sb
        .authed_post(&t, "/subscribe/payments/schedule", sched)
        .await;
    assert_error(s, &v, 200);
    let (s, v) = sb
        .authed_get(&t, "/subscribe/payments/schedule/month_1")
        .await;
    assert_eq!(
        (s, v["response"]["schedule_status"].as_str()),
        (200, Some("scheduled"))
    );
    let (s, v) = sb.authed_get(&t, "/subscribe/payments/schedule/nope").await;
    assert_error(s, &v, 404);
    let (s, v) = sb
        .authed_post(
            &t,
            "/subscribe/payments/unschedule",
            json!({"customer_uid": "cu_1", "merchant_uid": ["month_2"]}),
        )
        .await;
    assert_eq!(
        (s, v["response"][0]["schedule_status"].as_str()),
        (200, Some("revoked"))
    );
    let (s, v) = sb
        .authed_post(
            &t,
            "/subscribe/payments/unschedule",
            json!({"customer_uid": "cu_1", "merchant_uid": "month_2"}),
        )
        .await;
    assert_error(s, &v, 200);
    assert_eq!(v["message"], "취소할 예약결제 기록이 존재하지 않습니다.");

    // 30 minutes later the 10 KRW test charge is cancelled; a day later month_1 runs
    sb.advance(30 * 60).await;
    let t = sb.token().await;
    let (_, p) = sb.authed_get(&t, &format!("/payments/{imp_uid}")).await;
    assert_eq!(
        (
            p["response"]["status"].as_str(),
            p["response"]["cancel_amount"].as_i64()
        ),
        (Some("cancelled"), Some(10))
    );
    sb.advance(86400).await;
    let t = sb.token().await;
    let (_, v) = sb
        .authed_get(&t, "/subscribe/payments/schedule/month_1")
        .await;
    let r = &v["response"];
    assert_eq!(
        (r["schedule_status"].as_str(), r["payment_status"].as_str()),
        (Some("executed"), Some("paid")),
        "{v}"
    );
    let (_, p) = sb
        .authed_get(&t, &format!("/payments/{}", r["imp_uid"].as_str().unwrap()))
        .await;
    assert_eq!(p["response"]["customer_uid_usage"], "payment.scheduled");

    // cancel
    let (s, v) = sb
        .authed_post(
            &t,
            "/payments/cancel",
            json!({"merchant_uid": "order_1", "reason": "환불"}),
        )
        .await;
    assert_eq!(
        (s, v["response"]["status"].as_str()),
        (200, Some("cancelled")),
        "{v}"
    );
    let (s, v) = sb
        .authed_post(&t, "/payments/cancel", json!({"merchant_uid": "order_1"}))
        .await;
    assert_error(s, &v, 200);
    let (s, v) = sb
        .authed_post(
            &t,
            "/payments/cancel",
            json!({"imp_uid": "imps_000000000000"}),
        )
        .await;
    assert_error(s, &v, 200);
    assert_eq!(v["message"], "취소할 결제건이 존재하지 않습니다.");

    // delete the key
    let (s, v) = sb
        .send(
            sb.http
                .delete(sb.url("/subscribe/customers/cu_1"))
                .bearer_auth(&t),
        )
        .await;
    assert_eq!(
        (s, v["response"]["customer_uid"].as_str()),
        (200, Some("cu_1"))
    );
    let (s, v) = sb.authed_get(&t, "/subscribe/customers/cu_1").await;
    assert_error(s, &v, 404);
    let (s, v) = sb
        .send(
            sb.http
                .delete(sb.url("/subscribe/customers/cu_1"))
                .bearer_auth(&t),
        )
        .await;
    assert_error(s, &v, 404);
}

#[tokio::test]
async fn danal_refuses_rest_issuance_and_onetime() {
    let sb = Sandbox::start(&temp_dir("danal"), &[]);
    let t = sb.token().await;
    let card = json!({"card_number": "1234-1234-1234-1234", "expiry": "2030-12", "birth": "900101", "pwd_2digit": "00"});
    let (s, v) = sb
        .authed_post(&t, "/subscribe/customers/cu_9", card.clone())
        .await;
    assert_error(s, &v, 200);
    let mut onetime = card;
    onetime["merchant_uid"] = json!("o1");
    onetime["amount"] = json!(1000);
    let (s, v) = sb
        .authed_post(&t, "/subscribe/payments/onetime", onetime)
        .await;
    assert_error(s, &v, 200);
    let (s, v) = sb.post("/subscribe/payments/onetime", json!({})).await;
    assert_error(s, &v, 401);
}

#[tokio::test]
async fn unknown_ids_and_malformed_requests_get_envelopes() {
    let sb = Sandbox::start(&temp_dir("malformed"), &[]);
    let t = sb.token().await;
    let (s, v) = sb.authed_get(&t, "/payments/imps_000000000000").await;
    assert_error(s, &v, 404);
    let (s, v) = sb.authed_get(&t, "/subscribe/customers/nobody").await;
    assert_error(s, &v, 404);
    let bad_json = sb
        .http
        .post(sb.url("/subscribe/payments/again"))
        .bearer_auth(&t)
        .header("content-type", "application/json")
        .body("{\"customer_uid\":");
    let (s, v) = sb.send(bad_json).await;
    assert_error(s, &v, 400);
    let (s, v) = sb
        .authed_post(
            &t,
            "/subscribe/payments/again",
            json!({"customer_uid": "c", "merchant_uid": "m", "amount": "lots", "name": "n"}),
        )
        .await;
    assert_error(s, &v, 400);
    let (s, v) = sb
        .authed_post(
            &t,
            "/subscribe/payments/again",
            json!({"customer_uid": "c", "merchant_uid": "m", "name": "n"}),
        )
        .await;
    assert_error(s, &v, 400);
    let (s, v) = sb
        .authed_post(&t, "/subscribe/payments/again", json!([1, 2]))
        .await;
    assert_error(s, &v, 400);
    let (s, v) = sb
        .authed_post(
            &t,
            "/subscribe/payments/schedule",
            json!({"customer_uid": "c", "schedules": "soon"}),
        )
        .await;
    assert_error(s, &v, 400);
    let huge = sb
        .http
        .post(sb.url("/users/getToken"))
        .header("content-type", "application/json")
        // over the limit, yet small enough for loopback socket buffers: with a far bigger body the
        // server's early 413 can race the client's write and reach it as a reset
        .body(vec![b' '; 100 * 1024]);
    let (s, v) = sb.send(huge).await;
    assert_error(s, &v, 413);
    let (s, v) = sb.get("/no/such/path").await;
    assert_error(s, &v, 404);
    let (s, v) = sb
        .authed_post(&t, "/subscribe/payments/nope", json!({}))
        .await;
    assert_error(s, &v, 404);
    let (s, v) = sb.send(sb.http.delete(sb.url("/pkg/x.js"))).await;
    assert_error(s, &v, 404);
    let (s, v) = sb.get("/users/getToken").await;
    assert_error(s, &v, 405);
    let (s, v) = sb
        .send(sb.http.put(sb.url("/payments/imps_1")).bearer_auth(&t))
        .await;
    assert_error(s, &v, 405);
    let (s, v) = sb
        .post("/__sandbox/clock/advance", json!({"seconds": -5}))
        .await;
    assert_error(s, &v, 400);
    let (s, v) = sb
        .post("/__sandbox/next-outcome", json!({"outcome": "maybe"}))
        .await;
    assert_error(s, &v, 400);
    let (s, v) = sb
        .post(
            "/__sandbox/window/pay",
            json!({"merchant_uid": 5, "amount": 0, "outcome": "approve"}),
        )
        .await;
    assert_error(s, &v, 400);
    let (s, v) = sb
        .post("/merchant/charge", json!({"customer_uid": "c"}))
        .await;
    assert_eq!((s, v["ok"].as_bool()), (400, Some(false)), "{v}");
}

#[tokio::test]
async fn the_window_refuses_paid_merchant_uids_and_reports_declines() {
    let sb = Sandbox::start(&temp_dir("window"), &[]);
    sb.issue("cu_w", "m_w", 0).await;
    let base =
        json!({"merchant_uid": "m_w", "amount": 0, "customer_uid": "cu_w", "outcome": "approve"});
    let (s, v) = sb.post("/__sandbox/window/pay", base).await;
    assert_eq!((s, v["success"].as_bool()), (200, Some(false)), "{v}");
    assert_eq!(v["error_code"], "ALREADY_PAID", "{v}");
    assert!(
        v["error_msg"].as_str().unwrap().contains("merchant_uid"),
        "{v}"
    );
    let (_, v) = sb
        .post("/__sandbox/window/pay", json!({"merchant_uid": "m_d", "amount": 0, "customer_uid": "cu_d", "outcome": "decline", "fail_reason": "분실카드"}))
        .await;
    assert_eq!(
        (v["success"].as_bool(), v["error_msg"].as_str()),
        (Some(false), Some("분실카드")),
        "{v}"
    );
    assert!(v["imp_uid"].is_string());
    let (_, v) = sb.post("/__sandbox/window/pay", json!({"merchant_uid": "m_c", "amount": 0, "customer_uid": "cu_c", "outcome": "cancel"})).await;
    assert_eq!(
        (v["success"].as_bool(), v["error_code"].as_str()),
        (Some(false), Some("USER_CANCEL"))
    );
    let t = sb.token().await;
    let (s, _) = sb.authed_get(&t, "/subscribe/customers/cu_d").await;
    assert_eq!(s, 404, "a declined window stores no key");
    // no customer_uid: a plain payment
    let (_, v) = sb
        .post(
            "/__sandbox/window/pay",
            json!({"merchant_uid": "m_p", "amount": 500, "outcome": "approve"}),
        )
        .await;
    assert_eq!(
        (v["success"].as_bool(), v["customer_uid"].clone()),
        (Some(true), Value::Null)
    );
    let (_, p) = sb.authed_get(&t, "/payments/find/m_p").await;
    assert_eq!(
        (
            p["response"]["amount"].as_i64(),
            p["response"]["customer_uid_usage"].clone()
        ),
        (Some(500), Value::Null)
    );
    // reset forgets everything
    let (s, v) = sb.post("/__sandbox/reset", json!({})).await;
    assert_eq!((s, v["code"].as_i64()), (200, Some(0)));
    let t = sb.token().await;
    let (s, _) = sb.authed_get(&t, "/subscribe/customers/cu_w").await;
    assert_eq!(s, 404);
}

#[tokio::test]
async fn state_survives_a_restart() {
    let dir = temp_dir("restart");
    let sb = Sandbox::start(&dir, &[]);
    let t = sb.token().await;
    let cb = sb.issue("cu_r", "m_r", 0).await;
    sb.advance(600).await;
    let (_, v) = sb
        .authed_post(
            &t,
            "/subscribe/payments/again",
            json!({"customer_uid": "cu_r", "merchant_uid": "o_r", "amount": 100, "name": "n"}),
        )
        .await;
    assert_eq!(v["response"]["status"], "paid");
    sb.stop();
    assert!(dir.join("sandbox.db").exists());
    let sb = Sandbox::start(&dir, &[]);
    let (s, p) = sb
        .authed_get(
            &t,
            &format!("/payments/{}", cb["imp_uid"].as_str().unwrap()),
        )
        .await;
    assert_eq!(
        (s, p["response"]["status"].as_str()),
        (200, Some("paid")),
        "the token and the payment survive"
    );
    let (s, _) = sb.authed_get(&t, "/subscribe/customers/cu_r").await;
    assert_eq!(s, 200);
    let (s, v) = sb
        .authed_post(
            &t,
            "/subscribe/payments/again",
            json!({"customer_uid": "cu_r", "merchant_uid": "o_r", "amount": 100, "name": "n"}),
        )
        .await;
    assert_error(s, &v, 200);
    // the clock offset survives too: 20 more minutes reach the test charge's cancel
    sb.advance(20 * 60).await;
    let t = sb.token().await;
    let (_, p) = sb
        .authed_get(
            &t,
            &format!("/payments/{}", cb["imp_uid"].as_str().unwrap()),
        )
        .await;
    assert_eq!(p["response"]["status"], "cancelled");
}

#[tokio::test]
async fn concurrent_charges_of_one_key_charge_each_merchant_uid_once() {
    let sb = Arc::new(Sandbox::start(&temp_dir("concurrent"), &[]));
    let t = sb.token().await;
    sb.issue("cu_c", "m_c", 0).await;
    let mut tasks = Vec::new();
    for i in 0..40 {
        let (sb, t) = (sb.clone(), t.clone());
        tasks.push(tokio::spawn(async move {
            let merchant_uid = format!("o_{}", i % 8);
            let body = json!({"customer_uid": "cu_c", "merchant_uid": merchant_uid, "amount": 1000, "name": "n"});
            let (_, v) = sb.authed_post(&t, "/subscribe/payments/again", body).await;
            (merchant_uid, v)
        }));
    }
    let mut paid = std::collections::BTreeMap::<String, u32>::new();
    for task in tasks {
        let (m, v) = task.await.unwrap();
        if v["code"] == 0 {
            assert_eq!(v["response"]["status"], "paid");
            *paid.entry(m).or_default() += 1;
        } else {
            assert_eq!(v["code"], 1, "{v}");
        }
    }
    assert_eq!(paid.len(), 8, "{paid:?}");
    assert!(paid.values().all(|n| *n == 1), "{paid:?}");
}
