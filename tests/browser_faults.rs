//! The fault matrix of `requestBillingKey`: every way the SDK (or the page) can
//! misbehave, each asserting the exact settled value and that a later call still works.
//! (The loader's faults are in `tests/browser_loader.rs`; what `tests/browser_api.rs` already pins is not
//! repeated verbatim: this file adds exact values, more variants and the interleavings.)
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)] // tests may panic

mod common;

use std::cell::RefCell;
use std::rc::Rc;

use common::*;
use iamport_billing::js::request_billing_key;
use iamport_billing::internals::DEFAULT_ERROR_MSG;
use iamport_billing::{request_with_callback, BillingKeyRequest, ErrorCode, RequestOptions};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const MERCHANT_UID: &str = "merchant_1700000000000";
const CUSTOMER_UID: &str = "your-customer-unique-id";
const MALFORMED_MSG: &str = "결제창의 응답을 해석할 수 없습니다. (The payment window's response was not an object.)";
const NOT_LOADED_MSG: &str = "the iamport SDK is not loaded (globalThis.IMP.request_pay is not a function): call loadIamport() or add <script src=\\\"https://cdn.iamport.kr/v1/iamport.js\\\"> first";
const IN_PROGRESS_MSG: &str = "another billing-key request is still open; wait for it to settle before starting a new one";

fn none() -> JsValue {
    JsValue::UNDEFINED
}

fn error(code: &str, message: &str) -> String {
    format!(r#"{{"name":"BillingKeyError","code":"{code}","message":"{message}","isError":true,"hasStack":true}}"#)
}

fn error_with_ids(code: &str, message: &str) -> String {
    format!(
        r#"{{"name":"BillingKeyError","code":"{code}","merchant_uid":"{MERCHANT_UID}","customer_uid":"{CUSTOMER_UID}","message":"{message}","isError":true,"hasStack":true}}"#
    )
}

/// The failure result (without `raw`) for the seed request.
fn failure(imp_uid: Option<&str>, error_code: Option<&str>, error_msg: &str) -> String {
    let q = |v: Option<&str>| v.map_or_else(|| String::from("null"), |s| format!("\"{s}\""));
    format!(
        r#"{{"success":false,"imp_uid":{},"merchant_uid":"{MERCHANT_UID}","customer_uid":"{CUSTOMER_UID}","amount":0,"error_code":{},"error_msg":"{error_msg}"}}"#,
        q(imp_uid),
        q(error_code)
    )
}

const SUCCESS: &str = r#"{"success":true,"imp_uid":"imps_123456789012","merchant_uid":"merchant_1700000000000","customer_uid":"your-customer-unique-id","amount":0,"pay_method":"card","paid_amount":0,"status":"paid","name":"최초인증결제","pg_provider":"danal_tpay","pg_tid":"tid_1","card_name":"신한카드","card_number":"4092-12**-****-1234","apply_num":"30012345","paid_at":1700000000,"buyer_name":"아임포트","buyer_email":"iamport@siot.do","buyer_tel":"02-1234-1234"}"#;

/// A valid call still works: IMP receives the object and the Promise resolves with success.
async fn assert_still_works() {
    install_imp("manual", &JsValue::UNDEFINED);
    let p = request_billing_key(seed_params(0), none());
    assert_eq!(call_count(), 1, "IMP.request_pay must be called");
    let response = success_response();
    assert!(!respond(&response));
    let r = settle_within(p, 2000, "the later valid call").await.expect("resolves");
    assert_eq!(json_without_raw(&r), SUCCESS);
    assert!(same(&get(&r, "raw"), &response));
}

#[wasm_bindgen_test]
async fn no_imp_in_every_shape_rejects_imp_not_loaded() {
    for (setup, what) in [
        ("delete globalThis.IMP", "no IMP"),
        ("globalThis.IMP = null", "IMP null"),
        ("globalThis.IMP = 42", "IMP a number"),
        ("globalThis.IMP = 'IMP'", "IMP a string"),
        ("globalThis.IMP = {}", "IMP without request_pay"),
        ("globalThis.IMP = { init() {}, request_pay: 'x' }", "request_pay not a function"),
        ("globalThis.IMP = { get request_pay() { throw new Error('getter') } }", "request_pay getter throws"),
        ("Object.defineProperty(globalThis, 'IMP', { get() { throw new Error('IMP getter') }, configurable: true })", "IMP getter throws"),
        ("(() => { const { proxy, revoke } = Proxy.revocable({}, {}); revoke(); globalThis.IMP = proxy })()", "IMP a revoked Proxy"),
    ] {
        js(&format!("delete globalThis.IMP; {setup}"));
        let r = settle_within(request_billing_key(seed_params(0), none()), 1000, what).await;
        assert_eq!(rejection(&r), error("IMP_NOT_LOADED", NOT_LOADED_MSG), "{what}");
        js("delete globalThis.IMP");
    }
    assert_still_works().await;
}

#[wasm_bindgen_test]
async fn request_pay_throwing_anything_is_sdk_error_with_ids() {
    let long = "x".repeat(400);
    for (thrown, described) in [
        ("new Error('boom from the SDK')".to_owned(), "Error: boom from the SDK".to_owned()),
        ("new TypeError('t')".to_owned(), "TypeError: t".to_owned()),
        ("'a string'".to_owned(), "a string".to_owned()),
        ("null".to_owned(), "null".to_owned()),
        ("undefined".to_owned(), "undefined".to_owned()),
        ("42".to_owned(), "42".to_owned()),
        ("Symbol('s')".to_owned(), "Symbol(s)".to_owned()),
        ("({ toString() { throw new Error('nope') } })".to_owned(), "an unprintable value".to_owned()),
        ("(() => { const { proxy, revoke } = Proxy.revocable({}, {}); revoke(); return proxy })()".to_owned(), "an unprintable value".to_owned()),
        ("Object.assign(new Error('m'), { name: 'Custom' })".to_owned(), "Custom: m".to_owned()),
        // Long messages are cut to 300 characters ("it threw Error: " included).
        (format!("new Error('{long}')"), format!("Error: {}…", "x".repeat(284))),
    ] {
        install_imp("manual", &JsValue::UNDEFINED);
        js(&format!("globalThis.IMP.request_pay = function (p, cb) {{ globalThis.__cb = cb; throw {thrown}; }}"));
        let r = settle_within(request_billing_key(seed_params(0), none()), 1000, &thrown).await;
        assert_eq!(rejection(&r), error_with_ids("SDK_ERROR", &format!("IMP.request_pay failed: it threw {described}")), "{thrown}");
        // A callback after the SDK_ERROR is ignored and does not throw into IMP.
        assert_eq!(js("(() => { try { globalThis.__cb({ imp_uid: 'late' }); return 'ok' } catch (e) { return 'threw' } })()"), JsValue::from_str("ok"));
    }
    assert_still_works().await;
}

#[wasm_bindgen_test]
async fn request_pay_returning_false_is_sdk_error_but_other_falsy_values_wait() {
    install_imp("false", &JsValue::UNDEFINED);
    let r = settle_within(request_billing_key(seed_params(0), none()), 1000, "false").await;
    assert_eq!(rejection(&r), error_with_ids("SDK_ERROR", "IMP.request_pay failed: it returned false"));
    assert!(!respond(&success_response()), "a late callback does not throw into IMP");
    for returned in ["0", "''", "null", "undefined", "Promise.resolve(false)", "new Boolean(false)", "'false'"] {
        install_imp("manual", &JsValue::UNDEFINED);
        js(&format!("(() => {{ const real = globalThis.IMP.request_pay; globalThis.IMP.request_pay = function (p, cb) {{ real.call(this, p, cb); return {returned}; }} }})()"));
        let p = request_billing_key(seed_params(0), none());
        wait(5).await;
        assert!(!is_settled(&p).await, "returning {returned} is not a failure: the callback is awaited");
        assert!(!respond(&success_response()));
        let r = settle_within(p, 1000, returned).await.expect("resolves");
        assert_eq!(json_without_raw(&r), SUCCESS, "{returned}");
    }
    assert_still_works().await;
}

#[wasm_bindgen_test]
async fn never_calling_back_without_a_timeout_stays_pending_and_blocks_the_next() {
    install_imp("manual", &JsValue::UNDEFINED);
    let first = request_billing_key(seed_params(0), none());
    wait(300).await;
    assert!(!is_settled(&first).await, "no timeout by default: a person may take minutes in the window");
    // While it is pending: IN_PROGRESS, IMP untouched; params are still checked first.
    let second = settle_within(request_billing_key(seed_params(1004), none()), 1000, "second").await;
    assert_eq!(rejection(&second), error("IN_PROGRESS", IN_PROGRESS_MSG));
    let bad = settle_within(request_billing_key(js("({ amount: 0 })"), none()), 1000, "bad").await;
    assert_eq!(code_of(&bad), "INVALID_PARAM");
    let bad_options = settle_within(request_billing_key(seed_params(0), js("({ timeoutMs: -1 })")), 1000, "bad options").await;
    assert_eq!(field_of(&bad_options), "timeoutMs");
    remove_imp();
    let missing = settle_within(request_billing_key(seed_params(0), none()), 1000, "missing").await;
    assert_eq!(rejection(&missing), error("IN_PROGRESS", IN_PROGRESS_MSG), "in-progress is checked before IMP");
    assert_eq!(call_count(), 1);
    // Then it settles normally, with the callback's value.
    assert!(!respond_to(0, &success_response()));
    let r = settle_within(first, 1000, "first").await.expect("resolves");
    assert_eq!(json_without_raw(&r), SUCCESS);
    assert_still_works().await;
}

#[wasm_bindgen_test]
async fn never_calling_back_with_a_timeout_rejects_timeout_with_ids() {
    install_imp("manual", &JsValue::UNDEFINED);
    let started = js_sys::Date::now();
    let p = request_billing_key(seed_params(0), js("({ timeoutMs: 25 })"));
    let blocked = settle_within(request_billing_key(seed_params(0), none()), 1000, "blocked").await;
    assert_eq!(code_of(&blocked), "IN_PROGRESS");
    let r = settle_within(p, 2000, "timeout").await;
    assert!(js_sys::Date::now() - started >= 24.0, "not before the timeout");
    assert_eq!(
        rejection(&r),
        error_with_ids(
            "TIMEOUT",
            "no response from the payment window within 25 ms (merchant_uid merchant_1700000000000); the payment may still complete: confirm it on your server"
        )
    );
    // The late callback is ignored, does not throw, and does not settle the next request.
    assert!(!respond(&success_response()));
    install_imp("manual", &JsValue::UNDEFINED);
    let next = request_billing_key(seed_params(0), none());
    assert_eq!(call_count(), 1, "the next call is not IN_PROGRESS");
    assert!(!respond(&js("({ error_code: 'F400', error_msg: '취소' })")));
    let r = settle_within(next, 1000, "next").await.expect("resolves");
    assert_eq!(json_without_raw(&r), failure(None, Some("F400"), "취소"));
    assert_still_works().await;
}

#[wasm_bindgen_test]
async fn a_callback_of_an_earlier_request_never_settles_a_later_one() {
    install_imp("manual", &JsValue::UNDEFINED);
    let a = request_billing_key(seed_params(0), none());
    assert!(!respond_to(0, &success_response()));
    assert_eq!(json_without_raw(&settle_within(a, 1000, "a").await.expect("resolves")), SUCCESS);
    // B is pending; A's callback fires again (twice, late): B must stay pending.
    let b = request_billing_key(seed_params(0), none());
    assert_eq!(call_count(), 2);
    assert!(!respond_to(0, &js("({ error_code: 'LATE_A', error_msg: 'late' })")));
    assert!(!respond_to(0, &JsValue::NULL));
    wait(5).await;
    assert!(!is_settled(&b).await, "A's callback must not settle B");
    assert!(!respond_to(1, &js("({ imp_uid: 'imps_b' })")));
    let r = settle_within(b, 1000, "b").await.expect("resolves");
    assert_eq!(get(&r, "imp_uid").as_string().as_deref(), Some("imps_b"));
    assert_eq!(get(&r, "success"), JsValue::TRUE);
    assert_still_works().await;
}

#[wasm_bindgen_test]
async fn calling_back_twice_keeps_the_first_outcome() {
    for (first, second, want) in [
        ("SUCCESS", "({ error_code: 'F1', error_msg: 'second' })", SUCCESS.to_owned()),
        ("({ error_code: 'F1', error_msg: 'first' })", "SUCCESS", failure(None, Some("F1"), "first")),
        ("null", "SUCCESS", failure(None, Some("MALFORMED_RESPONSE"), MALFORMED_MSG)),
    ] {
        install_imp("manual", &JsValue::UNDEFINED);
        let p = request_billing_key(seed_params(0), none());
        let value = |expr: &str| if expr == "SUCCESS" { success_response() } else { js(&format!("({expr})")) };
        let first_value = value(first);
        assert!(!respond(&first_value));
        assert!(!respond(&value(second)), "the second call must not throw into IMP");
        // A third call from a later task, too.
        let r = settle_within(p, 1000, first).await.expect("resolves");
        assert!(!respond(&value(second)));
        assert_eq!(json_without_raw(&r), want, "{first} then {second}");
        assert!(same(&get(&r, "raw"), &first_value));
    }
    assert_still_works().await;
}

#[wasm_bindgen_test]
async fn calling_back_synchronously_inside_request_pay() {
    // Plain synchronous success and failure.
    install_imp("sync", &success_response());
    let r = settle_within(request_billing_key(seed_params(0), none()), 1000, "sync success").await.expect("resolves");
    assert_eq!(json_without_raw(&r), SUCCESS);
    install_imp("sync", &js("({ error_code: 'F0005', error_msg: '카드 한도 초과', imp_uid: 'imps_f' })"));
    let r = settle_within(request_billing_key(seed_params(0), js("({ timeoutMs: 1 })")), 1000, "sync failure").await.expect("resolves");
    assert_eq!(json_without_raw(&r), failure(Some("imps_f"), Some("F0005"), "카드 한도 초과"));
    // Calls back, then throws or returns false: the callback's outcome stands.
    for after in ["throw new Error('after the callback')", "return false"] {
        install_imp("manual", &JsValue::UNDEFINED);
        js(&format!("globalThis.IMP.request_pay = function (p, cb) {{ cb({{ imp_uid: 'imps_123456789012' }}); {after}; }}"));
        let r = settle_within(request_billing_key(seed_params(0), none()), 1000, after).await.expect("resolves");
        assert_eq!(get(&r, "success"), JsValue::TRUE, "{after}");
        assert_eq!(get(&r, "imp_uid").as_string().as_deref(), Some("imps_123456789012"));
    }
    // A synchronous callback with a timeout: the timer must not fire later into another request.
    install_imp("sync", &success_response());
    settle_within(request_billing_key(seed_params(0), js("({ timeoutMs: 20 })")), 1000, "sync + timeout").await.expect("resolves");
    install_imp("manual", &JsValue::UNDEFINED);
    let later = request_billing_key(seed_params(0), none());
    wait(60).await;
    assert!(!is_settled(&later).await, "the cleared timer must not settle the next request");
    respond(&success_response());
    settle_within(later, 1000, "later").await.expect("resolves");
    assert_still_works().await;
}

#[wasm_bindgen_test]
async fn malformed_callback_values_resolve_with_exact_failures() {
    let malformed = failure(None, Some("MALFORMED_RESPONSE"), MALFORMED_MSG);
    let no_reason = failure(None, None, DEFAULT_ERROR_MSG);
    for (expr, want) in [
        ("null", malformed.clone()),
        ("undefined", malformed.clone()),
        ("'imps_123456789012'", malformed.clone()),
        ("[{ imp_uid: 'imps_1' }]", malformed.clone()),
        ("[]", malformed.clone()),
        ("42", malformed.clone()),
        ("true", malformed.clone()),
        ("new Map([['imp_uid', 'imps_1']])", malformed.clone()),
        ("({ get imp_uid() { throw new Error('x') } })", malformed.clone()),
        ("({ success: 'false' })", no_reason.clone()),
        ("({ success: 'false', imp_uid: 'imps_1' })", failure(Some("imps_1"), None, DEFAULT_ERROR_MSG)),
        ("({ imp_success: 'true', imp_uid: '' })", no_reason.clone()),
        ("({ imp_success: false, imp_uid: 'imps_1', error_msg: '' })", failure(Some("imps_1"), None, DEFAULT_ERROR_MSG)),
        ("({ success: true, imp_uid: 'imps_1', error_code: 'F9' })", failure(Some("imps_1"), Some("F9"), DEFAULT_ERROR_MSG)),
        ("({ imp_uid: 42 })", no_reason.clone()),
        ("({})", no_reason.clone()),
        ("({ merchant_uid: 'from_the_response', error_msg: 'x' })", failure(None, None, "x").replace(MERCHANT_UID, "from_the_response")),
    ] {
        install_imp("manual", &JsValue::UNDEFINED);
        let p = request_billing_key(seed_params(0), none());
        let response = js(&format!("({expr})"));
        assert!(!respond(&response));
        let r = settle_within(p, 1000, expr).await.expect("a callback value always resolves");
        assert_eq!(json_without_raw(&r), want, "{expr}");
        assert!(same(&get(&r, "raw"), &response), "{expr}: raw is the value as received");
    }
    assert_still_works().await;
}

#[wasm_bindgen_test]
async fn two_concurrent_calls_one_window() {
    install_imp("manual", &JsValue::UNDEFINED);
    let a = request_billing_key(seed_params(0), none());
    let b = request_billing_key(js("({ customer_uid: 'other', amount: 5, buyer_tel: '010' })"), none());
    assert_eq!(call_count(), 1, "only one window");
    // B settles at once, while A is still open.
    assert_eq!(rejection(&settle_within(b, 1000, "b").await), error("IN_PROGRESS", IN_PROGRESS_MSG));
    assert!(!is_settled(&a).await);
    respond(&success_response());
    assert_eq!(json_without_raw(&settle_within(a, 1000, "a").await.expect("resolves")), SUCCESS);
    assert_still_works().await;
}

#[wasm_bindgen_test]
async fn a_request_started_from_inside_request_pay_is_in_progress() {
    install_imp("manual", &JsValue::UNDEFINED);
    // IMP.request_pay re-enters requestBillingKey synchronously.
    let reenter = wasm_bindgen::closure::Closure::<dyn FnMut() -> JsValue>::new(|| JsValue::from(request_billing_key(seed_params(0), JsValue::UNDEFINED)));
    set_global("__reenter", reenter.as_ref());
    js("(() => { const real = globalThis.IMP.request_pay; globalThis.IMP.request_pay = function (p, cb) { real.call(this, p, cb); globalThis.__nested = globalThis.__reenter(); } })()");
    let outer = request_billing_key(seed_params(0), none());
    let nested: js_sys::Promise = js("globalThis.__nested").into();
    assert_eq!(rejection(&settle_within(nested, 1000, "nested").await), error("IN_PROGRESS", IN_PROGRESS_MSG));
    assert_eq!(call_count(), 1);
    respond(&success_response());
    assert_eq!(json_without_raw(&settle_within(outer, 1000, "outer").await.expect("resolves")), SUCCESS);
    drop(reenter);
    js("delete globalThis.__reenter; delete globalThis.__nested");
    assert_still_works().await;
}

#[wasm_bindgen_test]
async fn a_new_request_from_inside_the_settle_callback_is_not_in_progress() {
    // Rust callback API: the callback runs synchronously inside IMP's callback; the request is
    // already finished by then, so a new one may start.
    install_imp("manual", &JsValue::UNDEFINED);
    let request = BillingKeyRequest::builder().customer_uid("c-1").amount(0).buyer_tel("010").merchant_uid("m-1").build().expect("valid");
    let log: Rc<RefCell<Vec<String>>> = Rc::default();
    let sink = log.clone();
    let again = request.clone();
    request_with_callback(&request, RequestOptions::NONE, move |outcome| {
        sink.borrow_mut().push(format!("first: {}", outcome.map(|r| r.is_success()).unwrap_or(false)));
        let inner = sink.clone();
        request_with_callback(&again, RequestOptions::NONE, move |outcome| {
            inner.borrow_mut().push(format!("second: {:?}", outcome.map(|r| r.is_success()).map_err(|e| e.code())));
        });
    });
    respond(&js("({ imp_uid: 'imps_1' })"));
    assert_eq!(call_count(), 2, "the nested request reached IMP");
    respond(&js("({ error_code: 'F1' })"));
    wait(1).await;
    assert_eq!(*log.borrow(), vec![String::from("first: true"), String::from("second: Ok(false)")]);
    // And IN_PROGRESS from the callback API when one is open.
    let request2 = request.clone();
    let codes: Rc<RefCell<Vec<ErrorCode>>> = Rc::default();
    let sink = codes.clone();
    request_with_callback(&request2, RequestOptions::NONE, |_| {});
    request_with_callback(&request2, RequestOptions::NONE, move |outcome| {
        if let Err(e) = outcome {
            sink.borrow_mut().push(e.code());
        }
    });
    assert_eq!(*codes.borrow(), vec![ErrorCode::InProgress]);
    respond(&JsValue::NULL);
    assert_still_works().await;
}

#[wasm_bindgen_test]
async fn imp_is_looked_up_at_each_call_and_request_pay_at_call_time() {
    install_imp("sync", &success_response());
    settle_within(request_billing_key(seed_params(0), none()), 1000, "first IMP").await.expect("resolves");
    // Replaced by another object: the new one is used.
    js("globalThis.__second = 0; globalThis.IMP = { request_pay(p, cb) { globalThis.__second++; cb({ imp_uid: 'imps_second' }); } }");
    let r = settle_within(request_billing_key(seed_params(0), none()), 1000, "second IMP").await.expect("resolves");
    assert_eq!(get(&r, "imp_uid").as_string().as_deref(), Some("imps_second"));
    assert_eq!(js("globalThis.__second"), JsValue::from(1));
    // request_pay looks like a function when checked, then throws when read for the call.
    js("globalThis.__reads = 0; globalThis.IMP = { get request_pay() { if (++globalThis.__reads > 1) throw new Error('gone'); return function () {}; } }");
    let r = settle_within(request_billing_key(seed_params(0), none()), 1000, "getter").await;
    assert_eq!(code_of(&r), "SDK_ERROR");
    assert_eq!(rejection(&r), error_with_ids("SDK_ERROR", "IMP.request_pay failed: it threw Error: gone"));
    // request_pay replaced by a non-function between the check and the call.
    js("globalThis.__reads = 0; globalThis.IMP = { get request_pay() { return ++globalThis.__reads > 1 ? 5 : function () {}; } }");
    let r = settle_within(request_billing_key(seed_params(0), none()), 1000, "non-function").await;
    assert_eq!(code_of(&r), "SDK_ERROR");
    js("delete globalThis.__second; delete globalThis.__reads");
    assert_still_works().await;
}

#[wasm_bindgen_test]
async fn the_object_given_to_imp_is_fresh_and_mutations_do_not_matter() {
    // IMP mutates (or freezes) the object it received, and the callback arrives later: the
    // result still reports the request's own ids.
    install_imp("manual", &JsValue::UNDEFINED);
    js("(() => { const real = globalThis.IMP.request_pay; globalThis.IMP.request_pay = function (p, cb) { real.call(this, p, cb); p.merchant_uid = 'changed'; p.customer_uid = 'changed'; Object.freeze(p); } })()");
    let params = seed_params(0);
    let p = request_billing_key(params.clone(), none());
    assert!(!same(&last_param(), &params), "IMP gets its own object, not the caller's");
    assert_eq!(get(&params, "merchant_uid").as_string().as_deref(), Some(MERCHANT_UID), "the caller's object is untouched");
    respond(&js("({ error_code: 'F1', error_msg: 'm' })"));
    assert_eq!(json_without_raw(&settle_within(p, 1000, "mutated").await.expect("resolves")), failure(None, Some("F1"), "m"));
    assert_still_works().await;
}

/// Storage disabled (reading `sessionStorage` throws, as with blocked site data), missing, or full
/// (`setItem` throws): a request with `m_redirect_url` still reaches IMP and settles, and
/// `parseRedirect` still parses, without the request's record (`customer_uid: null`). With working
/// storage the same steps find the record, so the checks can tell the cases apart.
#[wasm_bindgen_test]
async fn disabled_or_full_session_storage_changes_nothing_but_the_redirect_record() {
    js("globalThis.__storageDescriptor = Object.getOwnPropertyDescriptor(globalThis, 'sessionStorage')");
    for (setup, what, recovered) in [
        ("", "working storage", Some("c-79")),
        (
            "Object.defineProperty(globalThis, 'sessionStorage', { get() { throw new DOMException('denied', 'SecurityError') }, configurable: true })",
            "reading sessionStorage throws",
            None,
        ),
        (
            "Object.defineProperty(globalThis, 'sessionStorage', { value: null, configurable: true, writable: true })",
            "sessionStorage is null",
            None,
        ),
        (
            "globalThis.__setItem = Storage.prototype.setItem; Storage.prototype.setItem = function () { throw new DOMException('full', 'QuotaExceededError') }",
            "setItem throws",
            None,
        ),
    ] {
        js(setup);
        install_imp("manual", &JsValue::UNDEFINED);
        let p = request_billing_key(
            js("({ customer_uid: 'c-79', amount: 0, buyer_tel: '010', merchant_uid: 'm-storage-1', m_redirect_url: 'https://shop.example/done' })"),
            none(),
        );
        assert_eq!(call_count(), 1, "{what}: IMP.request_pay must be called");
        // As on the redirect page, while the request is open (a callback here drops the record).
        let r = iamport_billing::js::parse_redirect_js("https://shop.example/done?imp_uid=imps_7&merchant_uid=m-storage-1".into())
            .expect("parses");
        assert_eq!(get(&r, "imp_uid").as_string().as_deref(), Some("imps_7"), "{what}");
        assert_eq!(get(&r, "customer_uid").as_string().as_deref(), recovered, "{what}");
        respond(&js("({ imp_uid: 'imps_7', merchant_uid: 'm-storage-1' })"));
        let r = settle_within(p, 1000, what).await.expect("resolves");
        assert_eq!(get(&r, "customer_uid").as_string().as_deref(), Some("c-79"), "{what}");
        js("if (globalThis.__setItem) { Storage.prototype.setItem = globalThis.__setItem; delete globalThis.__setItem }");
        js("Object.defineProperty(globalThis, 'sessionStorage', globalThis.__storageDescriptor)");
        assert!(js("sessionStorage.getItem('iamport-billing:m-storage-1')").is_null(), "{what}: no record left");
    }
    assert_still_works().await;
}
