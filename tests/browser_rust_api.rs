//! Browser tests of the Rust API (for Yew/Leptos frontends): the same flow, typed end to end.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)] // tests may panic

mod common;

use std::cell::RefCell;
use std::rc::Rc;

use common::*;
use iamport_billing::{
    load_iamport, new_merchant_uid, parse_redirect, request, request_with_callback, BillingKeyRequest, BillingKeyResult, ErrorCode,
    LoadOptions, RequestOptions,
};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn seed(amount: u64) -> BillingKeyRequest {
    BillingKeyRequest::builder()
        .customer_uid("your-customer-unique-id")
        .amount(amount)
        .merchant_uid("merchant_1")
        .name("최초인증결제")
        .buyer_email("iamport@siot.do")
        .buyer_name("아임포트")
        .buyer_tel("02-1234-1234")
        .build()
        .expect("valid")
}

#[wasm_bindgen_test]
async fn request_future_resolves_typed_success() {
    install_imp("manual", &JsValue::UNDEFINED);
    let fut = request(&seed(1004), RequestOptions::NONE);
    // IMP.request_pay ran when `request` was called, before the first poll.
    assert_eq!(call_count(), 1);
    assert_eq!(
        last_call_json(),
        r#"{"pg":"danal_tpay","pay_method":"card","merchant_uid":"merchant_1","name":"최초인증결제","amount":1004,"customer_uid":"your-customer-unique-id","buyer_email":"iamport@siot.do","buyer_name":"아임포트","buyer_tel":"02-1234-1234"}"#
    );
    respond(&success_response());
    match fut.await.expect("no integration error") {
        BillingKeyResult::Success(ok) => {
            assert_eq!(ok.imp_uid, "imps_123456789012");
            assert_eq!(ok.customer_uid, "your-customer-unique-id");
            assert_eq!(ok.amount.get(), 1004);
            assert_eq!(ok.card_name.as_deref(), Some("신한카드"));
            assert_eq!(ok.paid_at, Some(1_700_000_000));
        }
        BillingKeyResult::Failure(no) => panic!("unexpected failure {no:?}"),
    }
}

#[wasm_bindgen_test]
async fn request_future_reports_errors_with_codes() {
    remove_imp();
    let err = request(&seed(0), RequestOptions::NONE).await.expect_err("no IMP");
    assert_eq!(err.code(), ErrorCode::ImpNotLoaded);

    install_imp("manual", &JsValue::UNDEFINED);
    let err = request(&seed(0), RequestOptions::with_timeout_ms(20).expect("valid")).await.expect_err("timeout");
    assert_eq!(err.code(), ErrorCode::Timeout);
    assert_eq!(err.request_ids(), Some(("merchant_1", "your-customer-unique-id")));

    let first = request(&seed(0), RequestOptions::NONE);
    let err = request(&seed(0), RequestOptions::NONE).await.expect_err("single flight");
    assert_eq!(err.code(), ErrorCode::InProgress);
    respond(&js("({ error_code: 'F400', error_msg: '사용자가 결제를 취소하셨습니다' })"));
    match first.await.expect("settles") {
        BillingKeyResult::Failure(no) => {
            assert_eq!(no.error_code.as_deref(), Some("F400"));
            assert_eq!(no.error_msg, "사용자가 결제를 취소하셨습니다");
        }
        other => panic!("unexpected {other:?}"),
    }
}

#[wasm_bindgen_test]
async fn callback_api_runs_exactly_once() {
    install_imp("sync-twice", &success_response());
    let seen: Rc<RefCell<Vec<bool>>> = Rc::default();
    let sink = seen.clone();
    request_with_callback(&seed(0), RequestOptions::NONE, move |outcome| {
        sink.borrow_mut().push(outcome.map(|r| r.is_success()).unwrap_or(false));
    });
    wait(10).await;
    assert_eq!(*seen.borrow(), vec![true]);
}

#[wasm_bindgen_test]
async fn load_iamport_with_an_existing_imp_inits_once() {
    install_imp("manual", &JsValue::UNDEFINED);
    load_iamport(LoadOptions::with_merchant_code("imp12345678").expect("valid")).await.expect("loads");
    load_iamport(LoadOptions::with_merchant_code("imp12345678").expect("valid")).await.expect("loads");
    assert_eq!(inits().length(), 1);
    let err = load_iamport(LoadOptions::with_merchant_code("imp87654321").expect("valid")).await.expect_err("other code");
    assert_eq!(err.code(), ErrorCode::InvalidParam);
    assert_eq!(err.field(), Some("merchantCode"));
}

/// Options made in Rust (the fields are public) are checked before anything else, as those from
/// JavaScript are: a script from a `data:` URL is refused naming `src`, and nothing is injected.
#[wasm_bindgen_test]
async fn load_iamport_checks_options_made_in_rust_first() {
    remove_imp();
    let scripts = all_script_count();
    let mut options = LoadOptions::default();
    options.src = String::from("data:text/javascript,window.IMP={request_pay(){}}");
    let e = load_iamport(options).await.expect_err("a data: URL is refused");
    assert_eq!((e.code(), e.field()), (ErrorCode::InvalidParam, Some("src")), "{e}");
    let mut options = LoadOptions::default();
    options.timeout_ms = 0;
    assert_eq!(load_iamport(options).await.expect_err("timeout 0").field(), Some("timeoutMs"));
    assert_eq!(all_script_count(), scripts, "nothing injected");
}

#[wasm_bindgen_test]
fn merchant_uid_from_rust() {
    let a = new_merchant_uid("order").expect("valid");
    let b = new_merchant_uid("order").expect("valid");
    assert_ne!(a, b);
    assert!(a.starts_with("order_") && a.len() <= 40);
    assert_eq!(new_merchant_uid("").expect_err("empty").field(), Some("prefix"));
}

/// A Rust result handed to JavaScript with serde-wasm-bindgen has exactly the shape
/// `requestBillingKey` resolves with, `raw` included (for a plain JSON response).
#[wasm_bindgen_test]
async fn serde_shape_matches_the_javascript_result() {
    use serde::Serialize;
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    for response in [
        "({ imp_uid: 'imps_123456789012', merchant_uid: 'merchant_1', paid_amount: 1004, status: 'paid', card_name: '신한카드', paid_at: 1700000000, custom_data: { plan: 'pro', ratio: 2.5 } })",
        "({ imp_uid: 'imps_1', error_code: 'F400', error_msg: '취소' })",
        "({})",
        "'not an object'",
    ] {
        install_imp("manual", &JsValue::UNDEFINED);
        let rust = request(&seed(1004), RequestOptions::NONE);
        respond(&js(response));
        let rust = rust.await.expect("settles").serialize(&serializer).expect("serializes");

        install_imp("manual", &JsValue::UNDEFINED);
        let params = js("({ customer_uid: 'your-customer-unique-id', amount: 1004, merchant_uid: 'merchant_1', name: '최초인증결제', buyer_email: 'iamport@siot.do', buyer_name: '아임포트', buyer_tel: '02-1234-1234' })");
        let from_js = iamport_billing::js::request_billing_key(params, JsValue::UNDEFINED);
        respond(&js(response));
        let from_js = settle(from_js).await.expect("resolves");
        assert_eq!(json(&rust), json(&from_js), "{response}");
    }
}

/// A Rust redirect result handed to JavaScript with serde-wasm-bindgen has exactly the shape
/// `parseRedirect` returns (`null` amount and customer_uid when not recovered, `raw` an object).
#[wasm_bindgen_test]
fn serde_shape_of_a_redirect_matches_parse_redirect() {
    use serde::Serialize;
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    for url in [
        "https://shop.example/done?imp_uid=imps_5&merchant_uid=m-serde-1&imp_success=true",
        "https://shop.example/done?merchant_uid=m-serde-2&imp_success=false&error_code=F400&error_msg=%EC%B7%A8%EC%86%8C",
    ] {
        let rust = parse_redirect(url).expect("a redirect").serialize(&serializer).expect("serializes");
        let from_js = iamport_billing::js::parse_redirect_js(url.into()).expect("parses");
        assert_eq!(json(&rust), json(&from_js), "{url}");
    }
}
