//! The rest of the billing API over real HTTP against the binary: a customer's schedules and
//! payments page by page, the 3-month limit, retry / reschedule / update and their state rules,
//! several billing keys at once, and the PG settings.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)] // tests may panic

mod common;

use common::{assert_error, eventually, receiver, temp_dir, Sandbox};
use serde_json::{json, Value};

const DAY: i64 = 24 * 3600;

fn ok(v: &(u16, Value)) -> &Value {
    assert_eq!((v.0, v.1["code"].as_i64()), (200, Some(0)), "{}", v.1);
    &v.1["response"]
}

async fn now(sb: &Sandbox) -> i64 {
    sb.get("/__sandbox/clock").await.1["response"]["now"]
        .as_i64()
        .unwrap()
}

async fn page_size(sb: &Sandbox, size: i64) {
    let r = sb
        .post("/__sandbox/page-size", json!({ "size": size }))
        .await;
    assert_eq!(ok(&r)["size"], size);
}

/// Schedules `merchant_uid`s of `customer_uid`, one a day from `first`.
async fn schedule_daily(sb: &Sandbox, t: &str, customer_uid: &str, uids: &[&str], first: i64) {
    let schedules: Vec<Value> = uids
        .iter()
        .enumerate()
        .map(|(i, m)| json!({"merchant_uid": m, "schedule_at": first + i as i64 * DAY, "amount": 9900, "name": "월 구독"}))
        .collect();
    let r = sb
        .authed_post(
            t,
            "/subscribe/payments/schedule",
            json!({"customer_uid": customer_uid, "schedules": schedules}),
        )
        .await;
    assert_eq!(ok(&r).as_array().map(Vec::len), Some(uids.len()));
}

/// Every `merchant_uid` of a paged list, following `next`.
async fn all_pages(sb: &Sandbox, t: &str, path: &str, key: &str) -> (i64, Vec<String>) {
    let mut out = Vec::new();
    let mut page = 1;
    let mut total;
    let sep = if path.contains('?') { '&' } else { '?' };
    loop {
        let r = sb.authed_get(t, &format!("{path}{sep}page={page}")).await;
        let body = ok(&r);
        total = body["total"].as_i64().unwrap();
        assert_eq!(
            body["previous"].as_i64(),
            Some(if page > 1 { page - 1 } else { 0 }),
            "{body}"
        );
        out.extend(
            body["list"]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x[key].as_str().unwrap().to_owned()),
        );
        match body["next"].as_i64().unwrap() {
            0 => break,
            n => {
                assert_eq!(n, page + 1);
                page = n;
            }
        }
    }
    (total, out)
}

#[tokio::test]
async fn a_customers_schedules_page_by_page_newest_first_within_3_months() {
    let sb = Sandbox::start(&temp_dir("list-schedules"), &[]);
    let t = sb.token().await;
    sb.issue("cu_list", "m_list_issue", 0).await;
    sb.issue("cu_other", "m_other_issue", 0).await;
    page_size(&sb, 2).await;
    let start = now(&sb).await + DAY;
    let uids = ["s_1", "s_2", "s_3", "s_4", "s_5"];
    schedule_daily(&sb, &t, "cu_list", &uids, start).await;
    schedule_daily(&sb, &t, "cu_other", &["o_1"], start).await;

    let path = format!(
        "/subscribe/payments/schedule/customers/cu_list?from={start}&to={}",
        start + 30 * DAY
    );
    let (total, got) = all_pages(&sb, &t, &path, "merchant_uid").await;
    assert_eq!(total, 5);
    assert_eq!(
        got,
        ["s_5", "s_4", "s_3", "s_2", "s_1"],
        "newest first, 3 pages"
    );

    // `from <= schedule_at < to`, a status, and the other path and spellings
    let path = format!(
        "/subscribe/customers/cu_list/schedules?schedule_from={}&schedule_to={}&schedule_status=scheduled",
        start + DAY,
        start + 3 * DAY
    );
    let (total, got) = all_pages(&sb, &t, &path, "merchant_uid").await;
    assert_eq!((total, got), (2, vec!["s_3".to_owned(), "s_2".to_owned()]));
    sb.authed_post(
        &t,
        "/subscribe/payments/unschedule",
        json!({"customer_uid": "cu_list", "merchant_uid": ["s_1"]}),
    )
    .await;
    let revoked = sb
        .authed_get(
            &t,
            &format!(
                "/subscribe/payments/schedule/customers/cu_list?from={start}&to={}&schedule-status=revoked",
                start + DAY
            ),
        )
        .await;
    assert_eq!(ok(&revoked)["total"], 1);
    assert_eq!(ok(&revoked)["list"][0]["merchant_uid"], "s_1");
    let nobody = sb
        .authed_get(
            &t,
            &format!(
                "/subscribe/payments/schedule/customers/nobody?from={start}&to={}",
                start + DAY
            ),
        )
        .await;
    assert_eq!(
        ok(&nobody),
        &json!({"total": 0, "previous": 0, "next": 0, "list": []})
    );

    // 90 days is the most one query may span; refused like a bad parameter beyond that
    let base = "/subscribe/payments/schedule/customers/cu_list";
    let at_most = sb
        .authed_get(&t, &format!("{base}?from={start}&to={}", start + 90 * DAY))
        .await;
    assert_eq!(ok(&at_most)["total"], 5, "the revoked one too");
    for query in [
        format!("from={start}&to={}", start + 90 * DAY + 1),
        format!("from={start}&to={start}"),
        format!("from={start}"),
        format!("to={start}"),
        format!("from=x&to={start}"),
        format!("from={start}&to={}&schedule-status=paid", start + DAY),
        format!("from={start}&to={}&page=0", start + DAY),
    ] {
        let (s, v) = sb.authed_get(&t, &format!("{base}?{query}")).await;
        assert_error(s, &v, 400);
        assert_eq!(v["code"], -1, "{query}: {v}");
    }
    let (s, v) = sb
        .authed_get(&t, &format!("{base}?from={start}&to={}", start + 91 * DAY))
        .await;
    assert!(v["message"].as_str().unwrap().contains("3개월"), "{s} {v}");
}

#[tokio::test]
async fn a_customers_payments_page_by_page_newest_first() {
    let sb = Sandbox::start(&temp_dir("list-payments"), &[]);
    let t = sb.token().await;
    sb.issue("cu_pay", "m_pay_issue", 0).await;
    sb.issue("cu_pay_other", "m_other", 0).await;
    page_size(&sb, 2).await;
    for (i, m) in ["o_1", "o_2", "o_3", "o_4"].iter().enumerate() {
        sb.advance(60).await;
        if i == 2 {
            sb.post("/__sandbox/next-outcome", json!({"outcome": "decline"}))
                .await;
        }
        let r = sb
            .authed_post(
                &t,
                "/subscribe/payments/again",
                json!({"customer_uid": "cu_pay", "merchant_uid": m, "amount": 1000, "name": "n"}),
            )
            .await;
        ok(&r);
    }
    let (total, got) = all_pages(
        &sb,
        &t,
        "/subscribe/customers/cu_pay/payments",
        "merchant_uid",
    )
    .await;
    assert_eq!(total, 5);
    assert_eq!(
        got,
        ["o_4", "o_3", "o_2", "o_1", "m_pay_issue"],
        "failed ones too, the issuance last"
    );
    let past = sb
        .authed_get(&t, "/subscribe/customers/cu_pay/payments?page=9")
        .await;
    assert_eq!(
        (ok(&past)["previous"].as_i64(), ok(&past)["next"].as_i64()),
        (Some(3), Some(0))
    );
    assert!(ok(&past)["list"].as_array().unwrap().is_empty());
    // a deleted key's payments are still there; a key that never was is not found
    sb.send(
        sb.http
            .delete(sb.url("/subscribe/customers/cu_pay"))
            .bearer_auth(&t),
    )
    .await;
    let after = sb
        .authed_get(&t, "/subscribe/customers/cu_pay/payments")
        .await;
    assert_eq!(ok(&after)["total"], 5);
    let (s, v) = sb
        .authed_get(&t, "/subscribe/customers/nobody/payments")
        .await;
    assert_error(s, &v, 404);
    let (s, v) = sb
        .authed_get(&t, "/subscribe/customers/cu_pay_other/payments?page=0")
        .await;
    assert_error(s, &v, 400);
    let (s, v) = sb.get("/subscribe/customers/cu_pay_other/payments").await;
    assert_error(s, &v, 401);
}

#[tokio::test]
async fn retry_charges_a_failed_schedule_once_and_only_then() {
    let sb = Sandbox::start(&temp_dir("retry"), &[]);
    let (hook, got) = receiver(0).await;
    let t = sb.token().await;
    sb.issue("cu_retry", "m_retry_issue", 0).await;
    let at = now(&sb).await + 3600;
    let body = |m: &str, at: i64| {
        json!({"customer_uid": "cu_retry", "schedules": [
        {"merchant_uid": m, "schedule_at": at, "amount": 9900, "name": "월 구독", "notice_url": hook}]})
    };
    ok(&sb
        .authed_post(&t, "/subscribe/payments/schedule", body("r_1", at))
        .await);
    ok(&sb
        .authed_post(&t, "/subscribe/payments/schedule", body("r_2", at + 3600))
        .await);
    let retry = |m: &str| format!("/subscribe/payments/schedule/{m}/retry");

    // still pending: refused, nothing charged
    let (s, v) = sb.authed_post(&t, &retry("r_1"), json!({})).await;
    assert_error(s, &v, 400);
    assert_eq!(v["code"], 1);
    let (s, v) = sb.authed_post(&t, &retry("nope"), json!({})).await;
    assert_error(s, &v, 404);

    // both fail when they run (the next-outcome control decides one charge at a time)
    for _ in 0..2 {
        sb.post(
            "/__sandbox/next-outcome",
            json!({"outcome": "decline", "fail_reason": "한도초과"}),
        )
        .await;
        sb.advance(3600).await;
    }
    let t = sb.token().await;
    let failed = sb.authed_get(&t, "/subscribe/payments/schedule/r_1").await;
    assert_eq!(ok(&failed)["payment_status"], "failed", "{}", failed.1);
    let first_imp_uid = ok(&failed)["imp_uid"].as_str().unwrap().to_owned();
    eventually("the failed run's webhook", || async {
        got.lock()
            .unwrap()
            .iter()
            .any(|(_, v)| v["merchant_uid"] == "r_1")
    })
    .await;

    // a failed one: charged now; the schedule shows the new payment; a webhook as for `again`
    let paid = sb.authed_post(&t, &retry("r_1"), json!({})).await;
    let p = ok(&paid);
    assert_eq!(
        (p["status"].as_str(), p["merchant_uid"].as_str()),
        (Some("paid"), Some("r_1")),
        "{p}"
    );
    assert_eq!(p["customer_uid_usage"], "payment.scheduled");
    assert_ne!(p["imp_uid"].as_str(), Some(first_imp_uid.as_str()));
    let s1 = sb.authed_get(&t, "/subscribe/payments/schedule/r_1").await;
    assert_eq!(ok(&s1)["schedule_status"], "executed");
    assert_eq!(ok(&s1)["payment_status"], "paid");
    assert_eq!(ok(&s1)["imp_uid"], p["imp_uid"]);
    eventually("the paid retry's webhook", || async {
        got.lock()
            .unwrap()
            .iter()
            .any(|(_, v)| v["imp_uid"] == p["imp_uid"] && v["status"] == "paid")
    })
    .await;

    // paid: never again
    let (s, v) = sb.authed_post(&t, &retry("r_1"), json!({})).await;
    assert_error(s, &v, 400);
    assert_eq!(v["code"], 1);

    // r_2 failed too: many retries at once charge it once
    let mut tries = Vec::new();
    for _ in 0..8 {
        let req = sb
            .http
            .post(sb.url(&retry("r_2")))
            .bearer_auth(&t)
            .json(&json!({}));
        tries.push(tokio::spawn(async move {
            let res = req.send().await.unwrap();
            (res.status().as_u16(), res.json::<Value>().await.unwrap())
        }));
    }
    let mut answers = Vec::new();
    for task in tries {
        answers.push(task.await.unwrap());
    }
    let paid: Vec<_> = answers
        .iter()
        .filter(|(s, v)| *s == 200 && v["code"] == 0)
        .collect();
    assert_eq!(paid.len(), 1, "{answers:?}");
    for (s, v) in answers.iter().filter(|(_, v)| v["code"] != 0) {
        assert_error(*s, v, 400);
    }
    let history = sb
        .authed_get(&t, "/subscribe/customers/cu_retry/payments")
        .await;
    let r2_paid = ok(&history)["list"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["merchant_uid"] == "r_2" && x["status"] == "paid")
        .count();
    assert_eq!(r2_paid, 1);

    // a merchant_uid paid by anything is not charged by a retry
    sb.issue("cu_retry_2", "m_retry_issue_2", 0).await;
    let at = now(&sb).await + 60;
    ok(&sb
        .authed_post(
            &t,
            "/subscribe/payments/schedule",
            json!({"customer_uid": "cu_retry_2", "schedules": [{"merchant_uid": "r_3", "schedule_at": at, "amount": 500, "name": "n"}]}),
        )
        .await);
    ok(&sb
        .authed_post(
            &t,
            "/subscribe/payments/unschedule",
            json!({"customer_uid": "cu_retry_2"}),
        )
        .await);
    ok(&sb
        .authed_post(
            &t,
            "/subscribe/payments/again",
            json!({"customer_uid": "cu_retry_2", "merchant_uid": "r_3", "amount": 500, "name": "n"}),
        )
        .await);
    let (s, v) = sb.authed_post(&t, &retry("r_3"), json!({})).await;
    assert_error(s, &v, 400);

    // a revoked one whose key was deleted: not found
    ok(&sb
        .authed_post(
            &t,
            "/subscribe/payments/schedule",
            json!({"customer_uid": "cu_retry_2", "schedules": [{"merchant_uid": "r_4", "schedule_at": at, "amount": 500, "name": "n"}]}),
        )
        .await);
    sb.send(
        sb.http
            .delete(sb.url("/subscribe/customers/cu_retry_2"))
            .bearer_auth(&t),
    )
    .await;
    let (s, v) = sb.authed_post(&t, &retry("r_4"), json!({})).await;
    assert_error(s, &v, 404);
}

#[tokio::test]
async fn reschedule_and_update_move_only_the_schedules_they_may() {
    let sb = Sandbox::start(&temp_dir("reschedule"), &[]);
    let t = sb.token().await;
    sb.issue("cu_move", "m_move_issue", 0).await;
    let t0 = now(&sb).await;
    schedule_daily(&sb, &t, "cu_move", &["v_1", "v_2", "v_3"], t0 + DAY).await;
    let put = |m: &str, at: i64| {
        sb.http
            .put(sb.url(&format!("/subscribe/payments/schedule/{m}")))
            .bearer_auth(&t)
            .json(&json!({ "schedule_at": at }))
    };
    let reschedule = |m: &str| format!("/subscribe/payments/schedule/{m}/reschedule");

    // a pending one moves; its charge happens at the new time, not the old
    let moved = sb.send(put("v_1", t0 + 10 * DAY)).await;
    assert_eq!(ok(&moved)["schedule_at"], t0 + 10 * DAY);
    assert_eq!(ok(&moved)["schedule_status"], "scheduled");
    let (s, v) = sb.send(put("v_1", t0 - 1)).await;
    assert_error(s, &v, 400);
    assert_eq!(v["code"], 1, "a past time");
    let (s, v) = sb
        .send(
            sb.http
                .put(sb.url("/subscribe/payments/schedule/v_1"))
                .bearer_auth(&t)
                .json(&json!({})),
        )
        .await;
    assert_error(s, &v, 400);
    assert_eq!(v["code"], -1, "no schedule_at");
    let (s, v) = sb.send(put("nope", t0 + DAY)).await;
    assert_error(s, &v, 404);
    // a pending one cannot be rescheduled (it has not failed)
    let (s, v) = sb
        .authed_post(&t, &reschedule("v_2"), json!({"schedule_at": t0 + 5 * DAY}))
        .await;
    assert_error(s, &v, 400);
    assert_eq!(v["code"], 1);

    // v_2 fails, v_3 is paid, v_1 (moved) has not run
    sb.post("/__sandbox/next-outcome", json!({"outcome": "decline"}))
        .await;
    sb.advance(3 * DAY + 60).await;
    let t = sb.token().await;
    let get = |m: &'static str| {
        let t = t.clone();
        let sb = &sb;
        async move {
            sb.authed_get(&t, &format!("/subscribe/payments/schedule/{m}"))
                .await
        }
    };
    assert_eq!(ok(&get("v_1").await)["schedule_status"], "scheduled");
    assert_eq!(ok(&get("v_2").await)["payment_status"], "failed");
    assert_eq!(ok(&get("v_3").await)["payment_status"], "paid");
    let put = |m: &str, at: i64| {
        sb.http
            .put(sb.url(&format!("/subscribe/payments/schedule/{m}")))
            .bearer_auth(&t)
            .json(&json!({ "schedule_at": at }))
    };
    let later = now(&sb).await + DAY;
    // an executed one cannot be moved; a paid one cannot be rescheduled
    let (s, v) = sb.send(put("v_2", later)).await;
    assert_error(s, &v, 400);
    let (s, v) = sb
        .authed_post(&t, &reschedule("v_3"), json!({"schedule_at": later}))
        .await;
    assert_error(s, &v, 400);
    let (s, v) = sb
        .authed_post(
            &t,
            &reschedule("v_2"),
            json!({"schedule_at": later - 2 * DAY}),
        )
        .await;
    assert_error(s, &v, 400);
    // the failed one, rescheduled: pending again, and charged when due
    let again = sb
        .authed_post(&t, &reschedule("v_2"), json!({"schedule_at": later}))
        .await;
    let r = ok(&again);
    assert_eq!(
        (
            r["schedule_status"].as_str(),
            r["schedule_at"].as_i64(),
            r["executed_at"].as_i64()
        ),
        (Some("scheduled"), Some(later), Some(0))
    );
    assert!(
        r["payment_status"].is_null() && r["imp_uid"].is_null() && r["fail_reason"].is_null(),
        "{r}"
    );
    let (s, v) = sb
        .authed_post(&t, &reschedule("v_2"), json!({"schedule_at": later}))
        .await;
    assert_error(s, &v, 400);
    sb.advance(DAY).await;
    let t = sb.token().await;
    let ran = sb.authed_get(&t, "/subscribe/payments/schedule/v_2").await;
    assert_eq!(ok(&ran)["payment_status"], "paid");
    // a revoked one may be rescheduled too
    ok(&sb
        .authed_post(
            &t,
            "/subscribe/payments/unschedule",
            json!({"customer_uid": "cu_move", "merchant_uid": "v_1"}),
        )
        .await);
    let back = sb
        .authed_post(
            &t,
            &reschedule("v_1"),
            json!({"schedule_at": now(&sb).await + DAY}),
        )
        .await;
    assert_eq!(ok(&back)["schedule_status"], "scheduled");
    assert_eq!(ok(&back)["revoked_at"], 0);
}

#[tokio::test]
async fn several_billing_keys_at_once() {
    let sb = Sandbox::start(&temp_dir("customers"), &[]);
    let t = sb.token().await;
    sb.issue("cu_a", "m_a", 0).await;
    sb.issue("cu_b", "m_b", 0).await;
    let uids = |r: &(u16, Value)| -> Vec<String> {
        r.1["response"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["customer_uid"].as_str().unwrap().to_owned())
            .collect()
    };
    let both = sb
        .authed_get(
            &t,
            "/subscribe/customers?customer_uid[]=cu_b&customer_uid[]=cu_a&customer_uid[]=cu_b",
        )
        .await;
    ok(&both);
    assert_eq!(
        uids(&both),
        ["cu_b", "cu_a"],
        "in the order asked, once each"
    );
    let some = sb
        .authed_get(
            &t,
            "/subscribe/customers?customer_uid%5B%5D=cu_a&customer_uid%5B%5D=nobody",
        )
        .await;
    assert_eq!(
        (some.0, some.1["code"].as_i64()),
        (207, Some(0)),
        "{}",
        some.1
    );
    assert_eq!(uids(&some), ["cu_a"]);
    let (s, v) = sb
        .authed_get(&t, "/subscribe/customers?customer_uid[]=nobody")
        .await;
    assert_error(s, &v, 404);
    let (s, v) = sb.authed_get(&t, "/subscribe/customers").await;
    assert_error(s, &v, 400);
    let (s, v) = sb.get("/subscribe/customers?customer_uid[]=cu_a").await;
    assert_error(s, &v, 401);
}

#[tokio::test]
async fn pg_settings_are_what_the_sandbox_is_given_until_a_reset() {
    let sb = Sandbox::start(&temp_dir("pg"), &[]);
    let t = sb.token().await;
    let danal = sb.authed_get(&t, "/users/pg").await;
    let list = ok(&danal).as_array().unwrap().clone();
    assert_eq!(list.len(), 1);
    assert_eq!(
        (
            list[0]["pg_provider"].as_str(),
            list[0]["sandbox"].as_bool(),
            list[0]["type"].as_str()
        ),
        (Some("danal_tpay"), Some(true), Some("payment"))
    );
    let key = list[0]["channel_key"].as_str().unwrap();
    assert!(!key.is_empty() && key.len() <= 55, "{key}");

    let live = json!([
        {"pg_provider": "danal_tpay", "pg_id": "A010002002", "sandbox": false, "type": "payment",
         "channel_key": "channel-key-live", "channel_name": "다날 라이브"},
        {"pg_provider": "kcp_billing", "pg_id": "IP0001", "sandbox": true, "type": "api_payment",
         "channel_key": null, "channel_name": null}
    ]);
    let set = sb.post("/__sandbox/pg-settings", live.clone()).await;
    assert_eq!(ok(&set), &live);
    assert_eq!(ok(&sb.authed_get(&t, "/users/pg").await), &live);
    assert_eq!(ok(&sb.get("/__sandbox/pg-settings").await), &live);
    let none = sb.post("/__sandbox/pg-settings", json!([])).await;
    assert_eq!(ok(&none), &json!([]));
    assert_eq!(ok(&sb.authed_get(&t, "/users/pg").await), &json!([]));
    for bad in [
        json!({"pg_provider": "danal_tpay"}),
        json!([{"pg_provider": "danal_tpay", "pg_id": "x", "type": "payment"}]),
        json!([{"pg_provider": "danal_tpay", "pg_id": "x", "sandbox": true, "type": "popup"}]),
    ] {
        let (s, v) = sb.post("/__sandbox/pg-settings", bad).await;
        assert_error(s, &v, 400);
    }
    assert_eq!(
        ok(&sb.authed_get(&t, "/users/pg").await),
        &json!([]),
        "a refused body changes nothing"
    );
    let (s, v) = sb.get("/users/pg").await;
    assert_error(s, &v, 401);
    sb.post("/__sandbox/reset", json!({})).await;
    let t = sb.token().await;
    assert_eq!(
        ok(&sb.authed_get(&t, "/users/pg").await),
        &Value::Array(list)
    );
    assert_eq!(ok(&sb.get("/__sandbox/page-size").await)["size"], 20);
}
