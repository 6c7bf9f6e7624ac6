//! Malformed input to the REST and sandbox handlers, driven in-process through the router: never a
//! panic or a 500, always JSON, and every error an iamport envelope.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)] // tests may panic

mod common;

use std::sync::Arc;

use axum::body::Body;
use axum::http::Request;
use http_body_util::BodyExt;
use iamport_sandbox::config::Config;
use iamport_sandbox::merchant::Merchant;
use iamport_sandbox::server::router;
use iamport_sandbox::state::Shared;
use proptest::prelude::*;
use serde_json::{json, Map, Value};
use tower::ServiceExt;

const PATHS: &[&str] = &[
    "/users/getToken",
    "/payments/{}",
    "/payments/find/{}",
    "/payments/find/{}/{}",
    "/payments/cancel",
    "/subscribe/customers/{}",
    "/subscribe/payments/again",
    "/subscribe/payments/onetime",
    "/subscribe/payments/schedule",
    "/subscribe/payments/schedule/{}",
    "/subscribe/payments/unschedule",
    "/__sandbox/window/pay",
    "/__sandbox/clock",
    "/__sandbox/clock/advance",
    "/__sandbox/next-outcome",
    "/{}/{}",
    "/{}",
];

const FIELDS: &[&str] = &[
    "imp_key",
    "imp_secret",
    "imp_uid",
    "merchant_uid",
    "customer_uid",
    "amount",
    "name",
    "checksum",
    "reason",
    "schedules",
    "schedule_at",
    "seconds",
    "outcome",
    "fail_reason",
    "notice_url",
    "custom_data",
    "buyer_tel",
    "card_quota",
];

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>().prop_map(|f| json!(f)),
        Just(json!(0)),
        Just(json!(10)),
        Just(json!("approve")),
        Just(json!("decline")),
        Just(json!("cu_1")),
        Just(json!("sandbox_key")),
        Just(json!("sandbox_secret")),
        "[a-z0-9_가-힣]{0,50}".prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(
                prop::sample::select(FIELDS).prop_map(str::to_owned),
                inner,
                0..6
            )
            .prop_map(|m| Value::Object(m.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// A body: random bytes, any JSON, or an object of the API's field names with values of any type.
fn body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..200),
        json_value().prop_map(|v| v.to_string().into_bytes()),
        prop::collection::btree_map(
            prop::sample::select(FIELDS).prop_map(str::to_owned),
            json_value(),
            0..8
        )
        .prop_map(|m| Value::Object(m.into_iter().collect::<Map<_, _>>())
            .to_string()
            .into_bytes()),
        "[a-z_=&%\\[\\]0-9]{0,80}".prop_map(String::into_bytes),
    ]
}

fn harness() -> (tokio::runtime::Runtime, axum::Router, String) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let config = Config {
        data_dir: common::temp_dir("fuzz"),
        www: "/nonexistent-www".into(),
        pkg: "/nonexistent-pkg".into(),
        webhook_attempts: 1,
        ..Config::default()
    };
    let shared =
        Arc::new(Shared::open(config, "http://127.0.0.1:1/merchant/webhook".into()).unwrap());
    let merchant =
        Arc::new(Merchant::new("http://127.0.0.1:1".into(), "k".into(), "sandbox_secret".into()).unwrap());
    let app = router(shared, merchant);
    let token = rt.block_on(async {
        let req = Request::post("/users/getToken")
            .header("content-type", "application/json")
            .body(Body::from(
                r#"{"imp_key":"sandbox_key","imp_secret":"sandbox_secret"}"#,
            ))
            .unwrap();
        let res = app.clone().oneshot(req).await.unwrap();
        let v: Value =
            serde_json::from_slice(&res.into_body().collect().await.unwrap().to_bytes()).unwrap();
        v["response"]["access_token"].as_str().unwrap().to_owned()
    });
    (rt, app, token)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn malformed_requests_always_get_an_envelope(
        method in prop::sample::select(&["GET", "POST", "DELETE", "PUT", "PATCH"][..]),
        template in prop::sample::select(PATHS),
        segments in prop::collection::vec("[a-zA-Z0-9_.%~-]{0,14}", 2),
        auth in 0..3u8,
        content_type in prop::sample::select(&["application/json", "application/x-www-form-urlencoded", "", "text/plain"][..]),
        body in body(),
    ) {
        thread_local!(static H: (tokio::runtime::Runtime, axum::Router, String) = harness());
        H.with(|(rt, app, token)| {
            let mut path = template.to_owned();
            for s in &segments {
                path = path.replacen("{}", s, 1);
            }
            let mut req = Request::builder().method(method).uri(&path);
            match auth {
                1 => req = req.header("authorization", format!("Bearer {token}")),
                2 => req = req.header("authorization", "Bearer garbage"),
                _ => {}
            }
            if !content_type.is_empty() {
                req = req.header("content-type", content_type);
            }
            let Ok(req) = req.body(Body::from(body)) else { return Ok(()) }; // not a valid URI at all
            let res = rt.block_on(app.clone().oneshot(req)).unwrap();
            let status = res.status();
            let bytes = rt.block_on(res.into_body().collect()).unwrap().to_bytes();
            prop_assert!(status.as_u16() < 500, "{method} {path}: HTTP {status}: {bytes:?}");
            let v: Value = serde_json::from_slice(&bytes)
                .map_err(|e| TestCaseError::fail(format!("{method} {path}: not JSON ({e}): {bytes:?}")))?;
            if status.is_success() && path == "/__sandbox/window/pay" {
                prop_assert!(v["success"].is_boolean(), "{v}");
            } else {
                prop_assert!(v["code"].is_i64(), "{method} {path}: {v}");
                prop_assert!(v.get("message").is_some() && v.get("response").is_some(), "{v}");
                if v["code"] != 0 {
                    prop_assert!(v["message"].is_string() && v["response"].is_null(), "{v}");
                } else {
                    prop_assert!(status.is_success(), "{v}");
                }
            }
            Ok(())
        })?;
    }
}
