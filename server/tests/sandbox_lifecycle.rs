//! A subscription's later life against the sandbox server: the lists (several pages, ranges longer
//! than three months), retry, reschedule, move, several keys at once, the account's setup; and
//! retry's never-charge-twice rule after a lost answer.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)] // tests may panic

mod common;

use std::time::Duration;

use common::{client_at, Fault, Proxy, Sandbox};
use futures_util::{StreamExt, TryStreamExt};
use iamport_billing_server::{
    ChargeParams, ChargeResult, CustomerUidUsage, ErrorCode, ListSchedulesParams, PaymentStatus, RescheduleParams, ScheduleEntry,
    ScheduleParams, ScheduleStatus, SetupProblemCode, UnscheduleParams, SCHEDULE_WINDOW,
};
use serde_json::json;

const DAY: i64 = 24 * 3600;
const MONTH: i64 = 30 * DAY;

#[tokio::test(flavor = "multi_thread")]
async fn the_schedule_list_pages_and_splits_a_year_into_windows_newest_first() {
    let sandbox = Sandbox::start();
    sandbox.issue_key("c_list", "issue_1", 0).await;
    sandbox.control("page-size", json!({ "size": 2 })).await;
    let proxy = Proxy::start(&sandbox.base).await;
    let iamport = client_at(&proxy.base, Duration::from_secs(10));
    let now = iamport.iamport_now().await.unwrap();
    // Twelve months, some within one window (more than one page of two each).
    let entries: Vec<ScheduleEntry> = (1..=12).map(|m| ScheduleEntry::new(format!("month_{m}"), now + m * MONTH, 9900, "월 구독")).collect();
    iamport.schedule_charges(ScheduleParams::new("c_list", entries)).await.unwrap();
    iamport.unschedule_charges(UnscheduleParams::new("c_list").merchant_uids(["month_5"])).await.unwrap();

    let all: Vec<_> = iamport.list_schedules(ListSchedulesParams::new("c_list", now, now + 13 * MONTH)).try_collect().await.unwrap();
    let ids: Vec<&str> = all.iter().map(|s| s.merchant_uid.as_str()).collect();
    let expected: Vec<String> = (1..=12).rev().map(|m| format!("month_{m}")).collect();
    assert_eq!(ids, expected, "every schedule once, newest first");
    let requests = proxy.count_prefix("/subscribe/payments/schedule/customers/c_list");
    let windows = (13 * MONTH + SCHEDULE_WINDOW - 1) / SCHEDULE_WINDOW;
    assert!(requests as i64 > windows, "{requests} requests: more than one page in some of the {windows} windows");

    // The edges are included, and a status narrows the list.
    let edges: Vec<_> =
        iamport.list_schedules(ListSchedulesParams::new("c_list", now + MONTH, now + 3 * MONTH)).try_collect().await.unwrap();
    let ids: Vec<&str> = edges.iter().map(|s| s.merchant_uid.as_str()).collect();
    assert_eq!(ids, ["month_3", "month_2", "month_1"]);
    let revoked: Vec<_> = iamport
        .list_schedules(ListSchedulesParams::new("c_list", now, now + 13 * MONTH).status(ScheduleStatus::Revoked))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(revoked.len(), 1);
    assert_eq!((revoked[0].merchant_uid.as_str(), &revoked[0].schedule_status), ("month_5", &ScheduleStatus::Revoked));

    // Lazy: reading one schedule asks for one page.
    let before = proxy.count_prefix("/subscribe/payments/schedule/customers/");
    let first = std::pin::pin!(iamport.list_schedules(ListSchedulesParams::new("c_list", now, now + 13 * MONTH))).next().await;
    assert_eq!(first.unwrap().unwrap().merchant_uid, "month_12");
    assert_eq!(proxy.count_prefix("/subscribe/payments/schedule/customers/") - before, 1);

    // Invalid params are the only item, and nothing is sent.
    let before = proxy.seen().len();
    let bad: Vec<_> = iamport.list_schedules(ListSchedulesParams::new("c_list", now + DAY, now)).collect().await;
    assert_eq!(bad.len(), 1);
    let e = bad.into_iter().next().unwrap().unwrap_err();
    assert_eq!((e.code(), e.field()), (ErrorCode::InvalidParam, Some("to")));
    let ms: Vec<_> = iamport.list_schedules(ListSchedulesParams::new("c_list", now * 1000, now * 1000)).collect().await;
    assert_eq!(ms[0].as_ref().unwrap_err().field(), Some("from"));
    assert_eq!(proxy.seen().len(), before, "nothing sent");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_payment_list_pages_newest_first() {
    let sandbox = Sandbox::start();
    sandbox.control("page-size", json!({ "size": 2 })).await;
    let issued = sandbox.issue_key("c_pay", "issue_1", 0).await;
    let iamport = sandbox.client();
    for n in 1..=4 {
        sandbox.advance(60).await;
        iamport.charge_billing_key(ChargeParams::new("c_pay", format!("order_{n}"), 1000 * n, "월 구독")).await.unwrap();
    }
    let payments: Vec<_> = iamport.list_payments("c_pay").try_collect().await.unwrap();
    let ids: Vec<&str> = payments.iter().map(|p| p.merchant_uid.as_str()).collect();
    assert_eq!(ids, ["order_4", "order_3", "order_2", "order_1", "issue_1"]);
    assert_eq!(payments[4].imp_uid, issued["imp_uid"].as_str().unwrap());
    assert_eq!(payments[4].customer_uid_usage, Some(CustomerUidUsage::Issue));
    assert_eq!(payments[0].amount, 4000.0);
    let bad: Vec<_> = iamport.list_payments("a/b").collect().await;
    assert_eq!(bad.len(), 1);
    assert_eq!(bad[0].as_ref().unwrap_err().field(), Some("customer_uid"));
    let none: Vec<_> = iamport.list_payments("nobody").collect().await;
    assert_eq!(none[0].as_ref().unwrap_err().code(), ErrorCode::NotFound);
}

#[tokio::test(flavor = "multi_thread")]
async fn retry_reschedule_and_move_a_schedule() {
    let sandbox = Sandbox::start();
    sandbox.issue_key("c_retry", "issue_1", 0).await;
    let iamport = sandbox.client();
    let now = iamport.iamport_now().await.unwrap();
    let entries = vec![
        ScheduleEntry::new("run_1", now + DAY, 9900, "월 구독"),
        ScheduleEntry::new("run_2", now + DAY + 60, 9900, "월 구독"),
        ScheduleEntry::new("run_3", now + 5 * DAY, 9900, "월 구독"),
    ];
    iamport.schedule_charges(ScheduleParams::new("c_retry", entries)).await.unwrap();

    // Move a pending one; a time not ahead of iamport's clock is refused before anything is sent.
    let moved = iamport.update_schedule(RescheduleParams::new("run_3", now + 10 * DAY)).await.unwrap();
    assert_eq!((moved.schedule_at, moved.schedule_status.clone()), (now + 10 * DAY, ScheduleStatus::Scheduled));
    let e = iamport.update_schedule(RescheduleParams::new("run_3", now - 1)).await.unwrap_err();
    assert_eq!((e.code(), e.field()), (ErrorCode::InvalidParam, Some("schedule_at")));
    let e = iamport.reschedule(RescheduleParams::new("run_3", (now + DAY) * 1000)).await.unwrap_err();
    assert!(e.to_string().contains("milliseconds"), "{e}");

    // Both due runs decline.
    sandbox.decline_next("한도초과").await;
    sandbox.advance((DAY + 30) as u64).await;
    sandbox.decline_next("잔액부족").await;
    sandbox.advance(60).await;
    for id in ["run_1", "run_2"] {
        let s = iamport.get_schedule(id).await.unwrap();
        assert_eq!((s.schedule_status, s.payment_status), (ScheduleStatus::Executed, Some(PaymentStatus::Failed)), "{id}");
    }

    // Retry one now: paid; a second retry is refused.
    let retried = iamport.retry_schedule("run_1").await.unwrap();
    let ChargeResult::Paid { payment } = &retried else { panic!("{retried:?}") };
    assert_eq!((payment.merchant_uid.as_str(), payment.amount), ("run_1", 9900.0));
    let again = iamport.retry_schedule("run_1").await.unwrap_err();
    assert_eq!(again.code(), ErrorCode::ApiError, "{again}");
    // A declined retry is a result.
    sandbox.decline_next("정지된 카드").await;
    match iamport.retry_schedule("run_2").await.unwrap() {
        ChargeResult::Failed { fail_reason, payment } => assert_eq!((fail_reason.as_str(), payment.status), ("정지된 카드", PaymentStatus::Failed)),
        other => panic!("{other:?}"),
    }

    // Reschedule the failed one: pending again at the new time; then it runs and is paid.
    let now = iamport.iamport_now().await.unwrap();
    let back = iamport.reschedule(RescheduleParams::new("run_2", now + 3 * DAY)).await.unwrap();
    assert_eq!((back.schedule_status.clone(), back.schedule_at, back.payment_status.clone()), (ScheduleStatus::Scheduled, now + 3 * DAY, None));
    sandbox.advance((3 * DAY + 30) as u64).await;
    let ran = iamport.get_schedule("run_2").await.unwrap();
    assert_eq!(ran.payment_status, Some(PaymentStatus::Paid));
    // A pending schedule cannot be retried; an unknown one is NOT_FOUND; a bad id is never sent.
    assert_eq!(iamport.retry_schedule("run_3").await.unwrap_err().code(), ErrorCode::ApiError);
    assert_eq!(iamport.retry_schedule("nothing_here").await.unwrap_err().code(), ErrorCode::NotFound);
    assert_eq!(iamport.retry_schedule("").await.unwrap_err().field(), Some("merchant_uid"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_retry_whose_answer_is_lost_is_looked_up_not_sent_twice() {
    let sandbox = Sandbox::start();
    sandbox.issue_key("c_lost", "issue_1", 0).await;
    let iamport = sandbox.client();
    let now = iamport.iamport_now().await.unwrap();
    iamport.schedule_charges(ScheduleParams::new("c_lost", vec![ScheduleEntry::new("run_1", now + DAY, 9900, "월 구독")])).await.unwrap();
    sandbox.decline_next("한도초과").await;
    sandbox.advance((DAY + 30) as u64).await;

    let proxy = Proxy::start(&sandbox.base).await;
    let through = client_at(&proxy.base, Duration::from_secs(10));
    proxy.fault(Fault::DropAnswer("/subscribe/payments/schedule/run_1/retry".into()));
    let result = through.retry_schedule("run_1").await.unwrap();
    assert!(result.is_paid(), "{result:?}");
    assert_eq!(proxy.count("POST", "/subscribe/payments/schedule/run_1/retry"), 1, "charged once: {:?}", proxy.seen());
    assert_eq!(proxy.count("GET", "/payments/find/run_1"), 1, "looked up before any repeat");
    let payments: Vec<_> = iamport.list_payments("c_lost").try_collect().await.unwrap();
    assert_eq!(payments.iter().filter(|p| p.merchant_uid == "run_1" && p.status == PaymentStatus::Paid).count(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn several_billing_keys_at_once() {
    let sandbox = Sandbox::start();
    sandbox.issue_key("c_a", "issue_a", 0).await;
    sandbox.issue_key("c_b", "issue_b", 0).await;
    let iamport = sandbox.client();
    let keys = iamport.get_billing_keys(&["c_b", "c_a"]).await.unwrap();
    assert_eq!(keys.iter().map(|k| k.customer_uid.as_str()).collect::<Vec<_>>(), ["c_b", "c_a"]);
    let some = iamport.get_billing_keys(&["c_a", "nobody"]).await.unwrap();
    assert_eq!(some.len(), 1);
    assert!(iamport.get_billing_keys(&["nobody"]).await.unwrap().is_empty());
    let e = iamport.get_billing_keys::<&str>(&[]).await.unwrap_err();
    assert_eq!((e.code(), e.field()), (ErrorCode::InvalidParam, Some("customer_uid")));
    assert_eq!(iamport.get_billing_keys(&["c_a", "c_a"]).await.unwrap_err().field(), Some("customer_uid[1]"));
}

#[tokio::test(flavor = "multi_thread")]
async fn check_setup_reports_the_danal_channel_and_each_problem() {
    let sandbox = Sandbox::start();
    let iamport = sandbox.client();
    let report = iamport.check_setup(false).await.unwrap();
    assert!(report.ok, "{report:?}");
    assert_eq!(report.danal.len(), 1);
    assert!(report.danal[0].sandbox);
    assert!(report.danal[0].channel_key.as_deref().is_some_and(|k| !k.is_empty()), "{report:?}");
    let live = iamport.check_setup(true).await.unwrap();
    assert!(!live.ok);
    assert_eq!(live.problems.iter().map(|p| p.code.clone()).collect::<Vec<_>>(), [SetupProblemCode::DanalTestOnly]);

    sandbox.control("pg-settings", json!([])).await;
    let none = iamport.check_setup(false).await.unwrap();
    assert!(!none.ok && none.danal.is_empty());
    assert_eq!(none.problems[0].code, SetupProblemCode::NoDanalChannel);
    assert!(none.problems[0].message.contains("PG설정(인증방식결제)"), "{}", none.problems[0].message);

    sandbox
        .control(
            "pg-settings",
            json!([{ "pg_provider": "danal_tpay", "pg_id": "mid", "sandbox": false, "type": "certification", "channel_key": "k", "channel_name": "본인인증" }]),
        )
        .await;
    let identity = iamport.check_setup(false).await.unwrap();
    assert_eq!(identity.problems[0].code, SetupProblemCode::NoDanalPaymentChannel);

    let refused = iamport_billing_server::Client::new(
        iamport_billing_server::ClientConfig::new(common::KEY, "wrong_secret").base_url(&sandbox.base),
    )
    .unwrap()
    .check_setup(false)
    .await
    .unwrap_err();
    assert_eq!(refused.code(), ErrorCode::Unauthorized);
    assert!(!refused.to_string().contains("wrong_secret"));
}
