//! The answers' shapes against PortOne's published V1 API description (`v1.openapi.json`, the
//! `definitions` named in each table below). The tables are this project's own transcription of the
//! facts that matter to a typed client: each field's name, its JSON type, and whether the definition
//! requires it. A field the sandbox answers must be in the table with that type (null only where the
//! field is not required); a required field must be there and not null; and the answer must carry
//! every field the table lists, except those listed as not answered for a Danal card payment.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)] // tests may panic

mod common;

use common::{temp_dir, Sandbox};
use serde_json::{json, Value};

/// A field: name, JSON type (`string`, `integer`, `number`, `boolean`, `array`, `object`), required.
type Field = (&'static str, &'static str, bool);

/// `AuthAnnotation` (the answer of `POST /users/getToken`).
const AUTH: &[Field] = &[
    ("access_token", "string", true),
    ("expired_at", "integer", true),
    ("now", "integer", true),
];

/// `PaymentAnnotation` (`GET /payments/{imp_uid}`, `again`, `cancel`, `find`).
const PAYMENT: &[Field] = &[
    ("imp_uid", "string", true),
    ("merchant_uid", "string", true),
    ("pay_method", "string", false),
    ("channel", "string", false),
    ("pg_provider", "string", false),
    ("emb_pg_provider", "string", false),
    ("pg_tid", "string", false),
    ("pg_id", "string", false),
    ("sandbox", "boolean", true),
    ("escrow", "boolean", false),
    ("apply_num", "string", false),
    ("bank_code", "string", false),
    ("bank_name", "string", false),
    ("card_code", "string", false),
    ("card_name", "string", false),
    ("card_issuer_code", "string", false),
    ("card_issuer_name", "string", false),
    ("card_publisher_code", "string", false),
    ("card_publisher_name", "string", false),
    ("card_quota", "integer", false),
    ("card_number", "string", false),
    ("card_type", "integer", false),
    ("vbank_code", "string", false),
    ("vbank_name", "string", false),
    ("vbank_num", "string", false),
    ("vbank_holder", "string", false),
    ("vbank_date", "integer", false),
    ("vbank_issued_at", "integer", false),
    ("name", "string", false),
    ("amount", "number", true),
    ("cancel_amount", "number", true),
    ("currency", "string", true),
    ("buyer_name", "string", false),
    ("buyer_email", "string", false),
    ("buyer_tel", "string", false),
    ("buyer_addr", "string", false),
    ("buyer_postcode", "string", false),
    ("custom_data", "string", false),
    ("user_agent", "string", false),
    ("status", "string", true),
    ("started_at", "integer", false),
    ("paid_at", "integer", false),
    ("failed_at", "integer", false),
    ("cancelled_at", "integer", false),
    ("fail_reason", "string", false),
    ("cancel_reason", "string", false),
    ("receipt_url", "string", false),
    ("cancel_history", "array", false),
    ("deposit_history", "array", false),
    ("cancel_receipt_urls", "array", false),
    ("cash_receipt_issued", "boolean", false),
    ("customer_uid", "string", false),
    ("customer_uid_usage", "string", false),
    ("promotion", "object", false),
];
/// Virtual-account deposits and promotions: not part of a Danal card payment's answer.
const PAYMENT_NOT_ANSWERED: &[&str] = &["deposit_history", "promotion"];

/// `PaymentCancelAnnotation` (each entry of `cancel_history`).
const CANCEL: &[Field] = &[
    ("pg_tid", "string", true),
    ("amount", "number", true),
    ("cancelled_at", "integer", true),
    ("reason", "string", true),
    ("cancellation_id", "string", true),
    ("receipt_url", "string", false),
];

/// `CustomerAnnotation` (`GET`/`DELETE /subscribe/customers/{customer_uid}`).
const CUSTOMER: &[Field] = &[
    ("customer_uid", "string", true),
    ("pg_provider", "string", true),
    ("pg_id", "string", true),
    ("sandbox", "boolean", true),
    ("customer_id", "string", false),
    ("card_name", "string", true),
    ("card_code", "string", false),
    ("card_issuer_code", "string", false),
    ("card_issuer_name", "string", false),
    ("card_publisher_code", "string", false),
    ("card_publisher_name", "string", false),
    ("card_number", "string", false),
    ("card_type", "integer", false),
    ("customer_name", "string", false),
    ("customer_tel", "string", false),
    ("customer_email", "string", false),
    ("customer_addr", "string", false),
    ("customer_postcode", "string", false),
    ("inserted", "integer", true),
    ("updated", "integer", true),
];

/// `ScheduleResultAnnotation` (`schedule`, `unschedule`, `GET …/schedule/{merchant_uid}`).
const SCHEDULE: &[Field] = &[
    ("customer_uid", "string", false),
    ("merchant_uid", "string", false),
    ("imp_uid", "string", false),
    ("pg_provider", "string", false),
    ("pg_id", "string", false),
    ("customer_id", "string", false),
    ("schedule_at", "integer", false),
    ("executed_at", "integer", false),
    ("revoked_at", "integer", false),
    ("amount", "number", false),
    ("currency", "string", false),
    ("name", "string", false),
    ("buyer_name", "string", false),
    ("buyer_email", "string", false),
    ("buyer_tel", "string", false),
    ("buyer_addr", "string", false),
    ("buyer_postcode", "string", false),
    ("custom_data", "string", false),
    ("schedule_status", "string", false),
    ("payment_status", "string", false),
    ("fail_reason", "string", false),
    ("promotion_id", "string", false),
];
/// Promotions are not part of the sandbox.
const SCHEDULE_NOT_ANSWERED: &[&str] = &["promotion_id"];

/// `PagedPaymentAnnotation` (`GET /subscribe/customers/{customer_uid}/payments`; the sandbox pages a
/// customer's schedules the same way, as iamport's Java client reads them).
const PAGED: &[Field] = &[
    ("total", "integer", true),
    ("previous", "integer", true),
    ("next", "integer", true),
    ("list", "array", false),
];

/// `PgSettingAnnotation` (each entry of `GET /users/pg`).
const PG_SETTING: &[Field] = &[
    ("pg_provider", "string", true),
    ("pg_id", "string", true),
    ("sandbox", "boolean", true),
    ("type", "string", true),
    ("channel_name", "string", false),
    ("channel_key", "string", false),
];

fn type_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Checks `answer` against `definition` (named `name`), as the module's doc says.
fn check(name: &str, definition: &[Field], not_answered: &[&str], answer: &Value) {
    let obj = answer
        .as_object()
        .unwrap_or_else(|| panic!("{name}: not an object: {answer}"));
    for (key, value) in obj {
        let Some((_, want, required)) = definition.iter().find(|f| f.0 == key) else {
            panic!("{name}: `{key}` is not in the definition: {answer}");
        };
        let got = type_of(value);
        let fits = got == *want || (*want == "number" && got == "integer");
        assert!(
            fits || (got == "null" && !required),
            "{name}.{key}: {got}, the definition says {want}{}: {answer}",
            if *required { " (required)" } else { "" }
        );
    }
    for (key, _, required) in definition {
        if not_answered.contains(key) {
            assert!(
                !obj.contains_key(*key),
                "{name}.{key} is answered: update the list"
            );
            continue;
        }
        assert!(
            obj.contains_key(*key),
            "{name}: `{key}` is missing: {answer}"
        );
        if *required {
            assert!(!obj[*key].is_null(), "{name}.{key} is required: {answer}");
        }
    }
}

fn ok(v: &(u16, Value)) -> &Value {
    assert_eq!((v.0, v.1["code"].as_i64()), (200, Some(0)), "{}", v.1);
    &v.1["response"]
}

#[tokio::test]
async fn answers_have_the_published_schema_shapes() {
    let sb = Sandbox::start(&temp_dir("shapes"), &[]);
    let token = sb
        .post(
            "/users/getToken",
            json!({"imp_key": common::KEY, "imp_secret": common::SECRET}),
        )
        .await;
    check("AuthAnnotation", AUTH, &[], ok(&token));
    let t = token.1["response"]["access_token"]
        .as_str()
        .unwrap()
        .to_owned();

    let cb = sb.issue("cu_shape", "m_shape", 0).await;
    let imp_uid = cb["imp_uid"].as_str().unwrap();
    let issued = sb.authed_get(&t, &format!("/payments/{imp_uid}")).await;
    check(
        "PaymentAnnotation",
        PAYMENT,
        PAYMENT_NOT_ANSWERED,
        ok(&issued),
    );
    assert_eq!(ok(&issued)["card_type"], 0, "a credit card");

    let customer = sb.authed_get(&t, "/subscribe/customers/cu_shape").await;
    check("CustomerAnnotation", CUSTOMER, &[], ok(&customer));
    assert_eq!(ok(&customer)["card_type"], 0, "a credit card");

    let charge = |m: &str, cu: &str| json!({"customer_uid": cu, "merchant_uid": m, "amount": 1000, "name": "n", "custom_data": {"a": 1}});
    let paid = sb
        .authed_post(
            &t,
            "/subscribe/payments/again",
            charge("o_shape", "cu_shape"),
        )
        .await;
    check(
        "PaymentAnnotation",
        PAYMENT,
        PAYMENT_NOT_ANSWERED,
        ok(&paid),
    );
    let cancelled = sb
        .authed_post(
            &t,
            "/payments/cancel",
            json!({"imp_uid": ok(&paid)["imp_uid"], "amount": 300, "reason": "partial"}),
        )
        .await;
    let p = ok(&cancelled);
    check("PaymentAnnotation", PAYMENT, PAYMENT_NOT_ANSWERED, p);
    let history = p["cancel_history"].as_array().unwrap();
    assert_eq!(history.len(), 1);
    for entry in history {
        check("PaymentCancelAnnotation", CANCEL, &[], entry);
    }
    assert_eq!(p["cancel_receipt_urls"].as_array().map(Vec::len), Some(1));
    let found = sb.authed_get(&t, "/payments/find/o_shape").await;
    check(
        "PaymentAnnotation",
        PAYMENT,
        PAYMENT_NOT_ANSWERED,
        ok(&found),
    );

    sb.issue("cu_decline_limit", "m_shape_2", 0).await;
    let failed = sb
        .authed_post(
            &t,
            "/subscribe/payments/again",
            charge("o_shape_2", "cu_decline_limit"),
        )
        .await;
    check(
        "PaymentAnnotation",
        PAYMENT,
        PAYMENT_NOT_ANSWERED,
        ok(&failed),
    );
    assert_eq!(ok(&failed)["status"], "failed");

    let (_, now) = sb.get("/__sandbox/clock").await;
    let at = now["response"]["now"].as_i64().unwrap() + 3600;
    let body = json!({"customer_uid": "cu_shape", "schedules": [
        {"merchant_uid": "s_shape_1", "schedule_at": at, "amount": 900, "name": "n"},
        {"merchant_uid": "s_shape_2", "schedule_at": at, "amount": 900, "name": "n"}]});
    let made = sb
        .authed_post(&t, "/subscribe/payments/schedule", body)
        .await;
    for s in ok(&made).as_array().unwrap() {
        check(
            "ScheduleResultAnnotation",
            SCHEDULE,
            SCHEDULE_NOT_ANSWERED,
            s,
        );
    }
    let revoked = sb
        .authed_post(
            &t,
            "/subscribe/payments/unschedule",
            json!({"customer_uid": "cu_shape", "merchant_uid": "s_shape_2"}),
        )
        .await;
    for s in ok(&revoked).as_array().unwrap() {
        check(
            "ScheduleResultAnnotation",
            SCHEDULE,
            SCHEDULE_NOT_ANSWERED,
            s,
        );
    }
    sb.advance(3601).await;
    let t = sb.token().await;
    let executed = sb
        .authed_get(&t, "/subscribe/payments/schedule/s_shape_1")
        .await;
    check(
        "ScheduleResultAnnotation",
        SCHEDULE,
        SCHEDULE_NOT_ANSWERED,
        ok(&executed),
    );
    assert_eq!(ok(&executed)["payment_status"], "paid");

    let deleted = sb
        .send(
            sb.http
                .delete(sb.url("/subscribe/customers/cu_shape"))
                .bearer_auth(&t),
        )
        .await;
    check("CustomerAnnotation", CUSTOMER, &[], ok(&deleted));
}

/// Checks a page and each entry on it; answers the entries.
fn check_page<'a>(
    name: &str,
    definition: &[Field],
    not_answered: &[&str],
    page: &'a Value,
) -> &'a Vec<Value> {
    check("PagedPaymentAnnotation", PAGED, &[], page);
    let list = page["list"].as_array().expect("list");
    assert!(
        !list.is_empty(),
        "{name}: an empty page checks nothing: {page}"
    );
    for entry in list {
        check(name, definition, not_answered, entry);
    }
    list
}

#[tokio::test]
async fn the_lifecycle_answers_have_the_published_schema_shapes() {
    let sb = Sandbox::start(&temp_dir("shapes-lifecycle"), &[]);
    let t = sb.token().await;
    sb.issue("cu_life", "m_life", 0).await;
    sb.issue("cu_life_2", "m_life_2", 0).await;
    let (_, now) = sb.get("/__sandbox/clock").await;
    let at = now["response"]["now"].as_i64().unwrap() + 3600;
    let body = json!({"customer_uid": "cu_life", "schedules": [
        {"merchant_uid": "s_life_1", "schedule_at": at, "amount": 900, "name": "n"},
        {"merchant_uid": "s_life_2", "schedule_at": at + 60, "amount": 900, "name": "n"}]});
    ok(&sb
        .authed_post(&t, "/subscribe/payments/schedule", body)
        .await);

    let listed = sb
        .authed_get(
            &t,
            &format!(
                "/subscribe/payments/schedule/customers/cu_life?from={}&to={}",
                at - 10,
                at + 3600
            ),
        )
        .await;
    let list = check_page(
        "ScheduleResultAnnotation",
        SCHEDULE,
        SCHEDULE_NOT_ANSWERED,
        ok(&listed),
    );
    assert_eq!(list.len(), 2);

    let moved = sb
        .send(
            sb.http
                .put(sb.url("/subscribe/payments/schedule/s_life_2"))
                .bearer_auth(&t)
                .json(&json!({"schedule_at": at + 120})),
        )
        .await;
    check(
        "ScheduleResultAnnotation",
        SCHEDULE,
        SCHEDULE_NOT_ANSWERED,
        ok(&moved),
    );

    sb.post("/__sandbox/next-outcome", json!({"outcome": "decline"}))
        .await;
    sb.advance(3601).await;
    let t = sb.token().await;
    let retried = sb
        .authed_post(&t, "/subscribe/payments/schedule/s_life_1/retry", json!({}))
        .await;
    check(
        "PaymentAnnotation",
        PAYMENT,
        PAYMENT_NOT_ANSWERED,
        ok(&retried),
    );
    sb.advance(120).await;
    let t = sb.token().await;
    let revoked_at = at + 7200;
    let body = json!({"customer_uid": "cu_life_2", "schedules": [
        {"merchant_uid": "s_life_3", "schedule_at": revoked_at, "amount": 900, "name": "n"}]});
    ok(&sb
        .authed_post(&t, "/subscribe/payments/schedule", body)
        .await);
    ok(&sb
        .authed_post(
            &t,
            "/subscribe/payments/unschedule",
            json!({"customer_uid": "cu_life_2"}),
        )
        .await);
    let rescheduled = sb
        .authed_post(
            &t,
            "/subscribe/payments/schedule/s_life_3/reschedule",
            json!({"schedule_at": revoked_at + 60}),
        )
        .await;
    check(
        "ScheduleResultAnnotation",
        SCHEDULE,
        SCHEDULE_NOT_ANSWERED,
        ok(&rescheduled),
    );

    let payments = sb
        .authed_get(&t, "/subscribe/customers/cu_life/payments")
        .await;
    let list = check_page(
        "PaymentAnnotation",
        PAYMENT,
        PAYMENT_NOT_ANSWERED,
        ok(&payments),
    );
    assert_eq!(
        list.len(),
        4,
        "the issuance, a failed run, its retry, and s_life_2"
    );

    let keys = sb
        .authed_get(
            &t,
            "/subscribe/customers?customer_uid[]=cu_life&customer_uid[]=cu_life_2",
        )
        .await;
    let keys = ok(&keys).as_array().unwrap();
    assert_eq!(keys.len(), 2);
    for k in keys {
        check("CustomerAnnotation", CUSTOMER, &[], k);
    }

    let pg = sb.authed_get(&t, "/users/pg").await;
    let pg = ok(&pg).as_array().unwrap();
    assert_eq!(pg.len(), 1);
    check("PgSettingAnnotation", PG_SETTING, &[], &pg[0]);
}
