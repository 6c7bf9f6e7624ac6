//! Browser tests of the JavaScript API (`requestBillingKey` & co.) against a recording IMP stand-in.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)] // tests may panic

mod common;

use common::*;
use iamport_billing::js::{new_merchant_uid_js, parse_redirect_js, request_billing_key, validate_params_js};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const SEED_0: &str = r#"{"pg":"danal_tpay","pay_method":"card","merchant_uid":"merchant_1700000000000","name":"최초인증결제","amount":0,"customer_uid":"your-customer-unique-id","buyer_email":"iamport@siot.do","buyer_name":"아임포트","buyer_tel":"02-1234-1234"}"#;

fn none() -> JsValue {
    JsValue::UNDEFINED
}

/// A valid call still works: IMP receives the object and the Promise resolves with success.
async fn assert_still_works() {
    install_imp("manual", &JsValue::UNDEFINED);
    let p = request_billing_key(seed_params(0), none());
    assert_eq!(call_count(), 1, "IMP.request_pay must be called");
    assert!(!respond(&success_response()));
    let r = settle(p).await.expect("resolves");
    assert_eq!(get(&r, "success"), JsValue::TRUE);
}

#[wasm_bindgen_test]
async fn seed_key_only_reaches_imp_exactly_and_resolves_typed() {
    install_imp("manual", &JsValue::UNDEFINED);
    let p = request_billing_key(seed_params(0), none());
    // Called before requestBillingKey returned (same task: the click's user activation is kept).
    assert_eq!(call_count(), 1);
    assert_eq!(last_call_json(), SEED_0);
    assert!(!is_settled(&p).await);
    let response = success_response();
    assert!(!respond(&response));
    let r = settle(p).await.expect("resolves");
    assert_eq!(
        json_without_raw(&r),
        r#"{"success":true,"imp_uid":"imps_123456789012","merchant_uid":"merchant_1700000000000","customer_uid":"your-customer-unique-id","amount":0,"pay_method":"card","paid_amount":0,"status":"paid","name":"최초인증결제","pg_provider":"danal_tpay","pg_tid":"tid_1","card_name":"신한카드","card_number":"4092-12**-****-1234","apply_num":"30012345","paid_at":1700000000,"buyer_name":"아임포트","buyer_email":"iamport@siot.do","buyer_tel":"02-1234-1234"}"#
    );
    assert!(same(&get(&r, "raw"), &response), "raw is the callback's object as received");
}

#[wasm_bindgen_test]
async fn seed_with_charge_reaches_imp_exactly() {
    install_imp("manual", &JsValue::UNDEFINED);
    let p = request_billing_key(seed_params(1004), none());
    assert_eq!(last_call_json(), SEED_0.replace(r#""amount":0"#, r#""amount":1004"#));
    respond(&js("({ imp_uid: 'imps_1', merchant_uid: 'merchant_1700000000000', paid_amount: 1004 })"));
    let r = settle(p).await.expect("resolves");
    assert_eq!(get(&r, "amount").as_f64(), Some(1004.0));
    assert_eq!(get(&r, "paid_amount").as_f64(), Some(1004.0));
}

#[wasm_bindgen_test]
async fn defaults_are_filled_and_the_object_is_plain_json() {
    install_imp("manual", &JsValue::UNDEFINED);
    let p = request_billing_key(
        js("({ customer_uid: 'c-1', amount: 0, buyer_tel: '010-1234-5678', name: undefined, buyer_email: null, company: '' })"),
        none(),
    );
    let sent = last_call_json();
    assert!(sent.starts_with(r#"{"pg":"danal_tpay","pay_method":"card","merchant_uid":"billing_"#), "{sent}");
    assert!(sent.ends_with(r#","amount":0,"customer_uid":"c-1","buyer_tel":"010-1234-5678"}"#), "{sent}");
    let param = last_param();
    let merchant_uid = get(&param, "merchant_uid").as_string().unwrap_or_default();
    assert!(merchant_uid.len() <= 40 && merchant_uid.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-'));
    assert_eq!(js("(o) => Object.getPrototypeOf(o) === Object.prototype && Object.values(o).every(v => v !== undefined)").dyn_call1(&param), JsValue::TRUE);
    respond(&js("({ imp_uid: 'imps_2' })"));
    let r = settle(p).await.expect("resolves");
    assert_eq!(get(&r, "merchant_uid").as_string(), Some(merchant_uid), "merchant_uid falls back to the request's");
}

trait DynCall {
    fn dyn_call1(&self, arg: &JsValue) -> JsValue;
}
impl DynCall for JsValue {
    fn dyn_call1(&self, arg: &JsValue) -> JsValue {
        use wasm_bindgen::JsCast;
        self.unchecked_ref::<js_sys::Function>().call1(&JsValue::NULL, arg).unwrap_or(JsValue::UNDEFINED)
    }
}

#[wasm_bindgen_test]
async fn channel_key_replaces_pg_and_cpid_pg_passes() {
    install_imp("manual", &JsValue::UNDEFINED);
    let p = request_billing_key(js("({ channelKey: 'channel-key-1', customer_uid: 'c', amount: 0, buyer_tel: '010', merchant_uid: 'm1' })"), none());
    assert_eq!(last_call_json(), r#"{"channelKey":"channel-key-1","pay_method":"card","merchant_uid":"m1","amount":0,"customer_uid":"c","buyer_tel":"010"}"#);
    respond(&js("({ error_code: 'F400', error_msg: '취소' })"));
    settle(p).await.expect("resolves");
    install_imp("manual", &JsValue::UNDEFINED);
    let p = request_billing_key(js("({ pg: 'danal_tpay.A010002002', customer_uid: 'c', amount: 0, buyer_tel: '010', merchant_uid: 'm1' })"), none());
    assert!(last_call_json().starts_with(r#"{"pg":"danal_tpay.A010002002","#));
    respond(&JsValue::NULL);
    settle(p).await.expect("resolves");
}

/// (params expression, field the rejection must name)
const INVALID: &[(&str, &str)] = &[
    ("null", "params"),
    ("undefined", "params"),
    ("[]", "params"),
    ("'customer_uid=c'", "params"),
    ("new Map([['customer_uid','c']])", "params"),
    ("({ amount: 0, buyer_tel: '010' })", "customer_uid"),
    ("({ customer_uid: '', amount: 0, buyer_tel: '010' })", "customer_uid"),
    ("({ customer_uid: 12, amount: 0, buyer_tel: '010' })", "customer_uid"),
    ("({ customer_uid: ' c', amount: 0, buyer_tel: '010' })", "customer_uid"),
    ("({ customer_uid: 'c ', amount: 0, buyer_tel: '010' })", "customer_uid"),
    ("({ customer_uid: 'a/b', amount: 0, buyer_tel: '010' })", "customer_uid"),
    ("({ customer_uid: 'a?b', amount: 0, buyer_tel: '010' })", "customer_uid"),
    ("({ customer_uid: 'a#b', amount: 0, buyer_tel: '010' })", "customer_uid"),
    ("({ customer_uid: 'a%b', amount: 0, buyer_tel: '010' })", "customer_uid"),
    ("({ customer_uid: 'a\\\\b', amount: 0, buyer_tel: '010' })", "customer_uid"),
    ("({ customer_uid: 'a\\u0001b', amount: 0, buyer_tel: '010' })", "customer_uid"),
    ("({ customer_uid: 'a\\u0085b', amount: 0, buyer_tel: '010' })", "customer_uid"),
    ("({ customer_uid: 'x'.repeat(81), amount: 0, buyer_tel: '010' })", "customer_uid"),
    ("({ customer_uid: 'a\\ud800', amount: 0, buyer_tel: '010' })", "customer_uid"),
    ("({ customer_uid: Symbol('c'), amount: 0, buyer_tel: '010' })", "customer_uid"),
    ("({ customer_uid: 'c', buyer_tel: '010' })", "amount"),
    ("({ customer_uid: 'c', amount: '1000', buyer_tel: '010' })", "amount"),
    ("({ customer_uid: 'c', amount: 1.5, buyer_tel: '010' })", "amount"),
    ("({ customer_uid: 'c', amount: -1, buyer_tel: '010' })", "amount"),
    ("({ customer_uid: 'c', amount: NaN, buyer_tel: '010' })", "amount"),
    ("({ customer_uid: 'c', amount: Infinity, buyer_tel: '010' })", "amount"),
    ("({ customer_uid: 'c', amount: 2 ** 53, buyer_tel: '010' })", "amount"),
    ("({ customer_uid: 'c', amount: 10n, buyer_tel: '010' })", "amount"),
    ("({ customer_uid: 'c', amount: null, buyer_tel: '010' })", "amount"),
    ("({ customer_uid: 'c', amount: 0, buyer_tel: '010', pay_method: 'vbank' })", "pay_method"),
    ("({ customer_uid: 'c', amount: 0, buyer_tel: '010', pg: 'html5_inicis' })", "pg"),
    ("({ customer_uid: 'c', amount: 0, buyer_tel: '010', pg: 'danal_tpay.' })", "pg"),
    ("({ customer_uid: 'c', amount: 0, buyer_tel: '010', pg: 'danal_tpay.a b' })", "pg"),
    ("({ customer_uid: 'c', amount: 0, buyer_tel: '010', pg: 'danal' })", "pg"),
    ("({ customer_uid: 'c', amount: 0, buyer_tel: '010', pg: 'danal_tpay', channelKey: 'k' })", "channelKey"),
    ("({ customer_uid: 'c', amount: 0, buyer_tel: '010', merchant_uid: 'm'.repeat(41) })", "merchant_uid"),
    ("({ customer_uid: 'c', amount: 0, buyer_tel: '010', merchant_uid: 'm\\n' })", "merchant_uid"),
    ("({ customer_uid: 'c', amount: 0, buyer_tel: '010', name: '가'.repeat(41) })", "name"),
    ("({ customer_uid: 'c', amount: 0 })", "buyer_tel"),
    ("({ customer_uid: 'c', amount: 0, buyer_tel: '' })", "buyer_tel"),
    ("({ customer_uid: 'c', amount: 0, buyer_tel: 'call me' })", "buyer_tel"),
    ("({ customer_uid: 'c', amount: 0, buyer_tel: '+-()' })", "buyer_tel"),
    ("({ customer_uid: 'c', amount: 0, buyer_tel: '0'.repeat(21) })", "buyer_tel"),
    ("({ customer_uid: 'c', amount: 0, buyer_tel: '010', buyer_email: 'a@b@c' })", "buyer_email"),
    ("({ customer_uid: 'c', amount: 0, buyer_tel: '010', buyer_email: '@b' })", "buyer_email"),
    ("({ customer_uid: 'c', amount: 0, buyer_tel: '010', buyer_email: 'a @b' })", "buyer_email"),
    ("({ customer_uid: 'c', amount: 0, buyer_tel: '010', buyer_email: 'a'.repeat(60) + '@b.kr' })", "buyer_email"),
    ("({ customer_uid: 'c', amount: 0, buyer_tel: '010', buyer_name: 'n'.repeat(41) })", "buyer_name"),
    ("({ customer_uid: 'c', amount: 0, buyer_tel: '010', buyer_addr: 'a'.repeat(129) })", "buyer_addr"),
    ("({ customer_uid: 'c', amount: 0, buyer_tel: '010', buyer_postcode: '1'.repeat(11) })", "buyer_postcode"),
    ("({ customer_uid: 'c', amount: 0, buyer_tel: '010', company: 'c'.repeat(41) })", "company"),
    ("({ customer_uid: 'c', amount: 0, buyer_tel: '010', customer_id: 'c'.repeat(81) })", "customer_id"),
    ("({ customer_uid: 'c', amount: 0, buyer_tel: '010', m_redirect_url: '/done' })", "m_redirect_url"),
    ("({ customer_uid: 'c', amount: 0, buyer_tel: '010', m_redirect_url: 'javascript:alert(1)' })", "m_redirect_url"),
    ("({ customer_uid: 'c', amount: 0, buyer_tel: '010', notice_url: [] })", "notice_url"),
    ("({ customer_uid: 'c', amount: 0, buyer_tel: '010', notice_url: ['https://a.kr', 'ftp://b'] })", "notice_url[1]"),
    ("({ customer_uid: 'c', amount: 0, buyer_tel: '010', custom_data: { f() {} } })", "custom_data.f"),
    ("({ customer_uid: 'c', amount: 0, buyer_tel: '010', language: 'ja' })", "language"),
    ("({ customer_uid: 'c', amount: 0, buyer_tel: '010', currency: 'USD' })", "currency"),
    ("({ customer_uid: 'c', amount: 0, buyer_tel: '010', popup: 'yes' })", "popup"),
    ("({ customer_uid: 'c', amount: 0, buyer_tel: '010', period: { from: '20260230', to: '20260301' } })", "period.from"),
    ("({ customer_uid: 'c', amount: 0, buyer_tel: '010', period: { from: '20260301', to: '20260201' } })", "period.from"),
    ("({ customer_uid: 'c', amount: 0, buyer_tel: '010', period: { from: '20260101' } })", "period.to"),
    ("({ customer_uid: 'c', amount: 0, buyer_tel: '010', display: { card_quota: [0, 2, 37] } })", "display.card_quota[2]"),
    ("({ customer_uid: 'c', amount: 0, buyer_tel: '010', display: { card_qouta: [0] } })", "display.card_qouta"),
    ("({ customer_uid: 'c', amount: 100, buyer_tel: '010', tax_free: 101 })", "tax_free"),
    ("({ customer_uid: 'c', amount: 100, buyer_tel: '010', tax_free: 1.5 })", "tax_free"),
    ("({ customer_uid: 'c', amount: 0, buyer_tel: '010', app_scheme: 5 })", "app_scheme"),
    ("({ customer_uid: 'c', amount: 0, buyer_tel: '010', confirm_url: 'nope' })", "confirm_url"),
    ("({ customer_uid: 'c', amount: 0, buyer_tel: '010', card: 'x' })", "card"),
    ("({ customer_uid: 'c', amount: 0, buyer_tel: '010', bypass: [1] })", "bypass"),
    ("({ custmer_uid: 'c', amount: 0, buyer_tel: '010' })", "custmer_uid"),
    ("({ customer_uid: 'c', amount: 0, buyer_tel: '010', imp_secret: 's' })", "imp_secret"),
    ("({ customer_uid: 'c', amount: 0, buyer_tel: '010', get name() { throw new Error('x') } })", "name"),
];

#[wasm_bindgen_test]
async fn every_invalid_param_rejects_with_its_field_and_imp_is_untouched() {
    install_imp("manual", &JsValue::UNDEFINED);
    for (expr, field) in INVALID {
        let r = settle(request_billing_key(js(&format!("({expr})")), none())).await;
        assert_eq!(code_of(&r), "INVALID_PARAM", "{expr}");
        assert_eq!(field_of(&r), *field, "{expr}");
        let e = r.unwrap_err();
        assert!(is_instance_of_error(&e), "{expr}: a real Error with a stack");
        assert_eq!(get(&e, "name").as_string().as_deref(), Some("BillingKeyError"));
        assert!(get(&e, "message").as_string().is_some_and(|m| !m.is_empty()));
        assert_eq!(call_count(), 0, "{expr}: IMP must not be called");
    }
    assert_still_works().await;
}

#[wasm_bindgen_test]
async fn typo_suggestion_and_secret_messages_are_clear() {
    install_imp("manual", &JsValue::UNDEFINED);
    let r = settle(request_billing_key(js("({ custmer_uid: 'c', amount: 0, buyer_tel: '010' })"), none())).await;
    let msg = get(&r.unwrap_err(), "message").as_string().unwrap_or_default();
    assert!(msg.contains("did you mean customer_uid?"), "{msg}");
    let r = settle(request_billing_key(js("({ customer_uid: 'c', amount: 0, buyer_tel: '010', api_key: 'k' })"), none())).await;
    let msg = get(&r.unwrap_err(), "message").as_string().unwrap_or_default();
    assert!(msg.contains("secret") && msg.contains("server"), "{msg}");
    let r = settle(request_billing_key(js("({ customer_uid: 'c', amount: '1000', buyer_tel: '010' })"), none())).await;
    let msg = get(&r.unwrap_err(), "message").as_string().unwrap_or_default();
    assert!(msg.contains("write 1000, not '1000'"), "{msg}");
}

#[wasm_bindgen_test]
async fn optional_fields_pass_through_typed() {
    install_imp("manual", &JsValue::UNDEFINED);
    let p = request_billing_key(
        js("({ customer_uid: '고객-1', amount: 1000, buyer_tel: '+82 (10)234-5678', merchant_uid: 'm-2', \
              notice_url: ['https://a.example/hook'], m_redirect_url: 'https://shop.example/done?x=1', \
              custom_data: { plan: 'pro', n: [1, 2.5, null, true] }, language: 'ko', currency: 'KRW', popup: false, \
              period: { from: '20260101', to: '20261231' }, display: { card_quota: [0, 2, 3] }, tax_free: 100, \
              app_scheme: 'myapp', confirm_url: 'https://shop.example/confirm', card: { direct: { code: '367' } }, bypass: { danal: { x: 1 } } })"),
        none(),
    );
    assert_eq!(
        last_call_json(),
        r#"{"pg":"danal_tpay","pay_method":"card","merchant_uid":"m-2","amount":1000,"customer_uid":"고객-1","buyer_tel":"+82 (10)234-5678","m_redirect_url":"https://shop.example/done?x=1","notice_url":["https://a.example/hook"],"confirm_url":"https://shop.example/confirm","custom_data":{"plan":"pro","n":[1,2.5,null,true]},"language":"ko","currency":"KRW","popup":false,"period":{"from":"20260101","to":"20261231"},"display":{"card_quota":[0,2,3]},"tax_free":100,"app_scheme":"myapp","card":{"direct":{"code":"367"}},"bypass":{"danal":{"x":1}}}"#
    );
    respond(&js("({ imp_uid: 'imps_9', custom_data: { plan: 'pro' } })"));
    let r = settle(p).await.expect("resolves");
    assert_eq!(json(&get(&r, "custom_data")), r#"{"plan":"pro"}"#);
}

#[wasm_bindgen_test]
async fn characters_are_counted_not_bytes_forty_hangul_in_name_sixteen_emoji_in_buyer_name() {
    install_imp("manual", &JsValue::UNDEFINED);
    let p = request_billing_key(js("({ customer_uid: 'c', amount: 0, buyer_tel: '010', name: '가'.repeat(40), buyer_name: '😀'.repeat(16) })"), none());
    assert_eq!(call_count(), 1);
    respond(&JsValue::NULL);
    settle(p).await.expect("resolves");
}

#[wasm_bindgen_test]
async fn imp_not_loaded_and_imp_without_request_pay() {
    remove_imp();
    let r = settle(request_billing_key(seed_params(0), none())).await;
    assert_eq!(code_of(&r), "IMP_NOT_LOADED");
    set_imp(&js("({ init() {} })"));
    let r = settle(request_billing_key(seed_params(0), none())).await;
    assert_eq!(code_of(&r), "IMP_NOT_LOADED");
    set_imp(&js("({ get request_pay() { throw new Error('getter') } })"));
    let r = settle(request_billing_key(seed_params(0), none())).await;
    assert_eq!(code_of(&r), "IMP_NOT_LOADED");
    assert_still_works().await;
}

#[wasm_bindgen_test]
async fn request_pay_throwing_or_returning_false_is_sdk_error_with_ids() {
    install_imp("throw", &JsValue::UNDEFINED);
    let r = settle(request_billing_key(seed_params(0), none())).await;
    assert_eq!(code_of(&r), "SDK_ERROR");
    let e = r.unwrap_err();
    assert_eq!(get(&e, "merchant_uid").as_string().as_deref(), Some("merchant_1700000000000"));
    assert_eq!(get(&e, "customer_uid").as_string().as_deref(), Some("your-customer-unique-id"));
    assert!(get(&e, "message").as_string().unwrap_or_default().contains("boom from the SDK"));
    install_imp("false", &JsValue::UNDEFINED);
    let r = settle(request_billing_key(seed_params(0), none())).await;
    assert_eq!(code_of(&r), "SDK_ERROR");
    // A callback after SDK_ERROR is ignored and does not throw into IMP.
    assert!(!respond(&success_response()));
    assert_still_works().await;
}

#[wasm_bindgen_test]
async fn single_flight_rejects_in_progress_without_touching_imp() {
    install_imp("manual", &JsValue::UNDEFINED);
    let first = request_billing_key(seed_params(0), none());
    let second = settle(request_billing_key(seed_params(0), none())).await;
    assert_eq!(code_of(&second), "IN_PROGRESS");
    assert_eq!(call_count(), 1);
    // Order of checks: params first, then in-progress, then IMP.
    let bad = settle(request_billing_key(js("({})"), none())).await;
    assert_eq!(code_of(&bad), "INVALID_PARAM");
    remove_imp();
    let while_missing = settle(request_billing_key(seed_params(0), none())).await;
    assert_eq!(code_of(&while_missing), "IN_PROGRESS");
    // The pending one still settles normally.
    assert!(!respond_to(0, &success_response()));
    let r = settle(first).await.expect("resolves");
    assert_eq!(get(&r, "success"), JsValue::TRUE);
    assert_still_works().await;
}

#[wasm_bindgen_test]
async fn a_second_callback_is_ignored_and_never_throws_into_imp() {
    install_imp("manual", &JsValue::UNDEFINED);
    let p = request_billing_key(seed_params(0), none());
    assert!(!respond(&success_response()));
    assert!(!respond(&js("({ error_code: 'LATE', error_msg: 'late' })")));
    let r = settle(p).await.expect("resolves");
    assert_eq!(get(&r, "success"), JsValue::TRUE);
    assert!(!respond(&JsValue::NULL));
    install_imp("sync-twice", &success_response());
    let r = settle(request_billing_key(seed_params(0), none())).await.expect("resolves");
    assert_eq!(get(&r, "imp_uid").as_string().as_deref(), Some("imps_123456789012"));
    assert_still_works().await;
}

#[wasm_bindgen_test]
async fn synchronous_callback_inside_request_pay() {
    install_imp("sync", &js("({ error_code: 'F0005', error_msg: '카드 한도 초과' })"));
    let r = settle(request_billing_key(seed_params(0), none())).await.expect("resolves");
    assert_eq!(
        json_without_raw(&r),
        r#"{"success":false,"imp_uid":null,"merchant_uid":"merchant_1700000000000","customer_uid":"your-customer-unique-id","amount":0,"error_code":"F0005","error_msg":"카드 한도 초과"}"#
    );
    assert_still_works().await;
}

#[wasm_bindgen_test]
async fn timeout_rejects_with_ids_and_a_late_callback_is_ignored() {
    install_imp("manual", &JsValue::UNDEFINED);
    let p = request_billing_key(seed_params(0), js("({ timeoutMs: 30 })"));
    let r = settle(p).await;
    assert_eq!(code_of(&r), "TIMEOUT");
    let e = r.unwrap_err();
    assert_eq!(get(&e, "merchant_uid").as_string().as_deref(), Some("merchant_1700000000000"));
    assert_eq!(get(&e, "customer_uid").as_string().as_deref(), Some("your-customer-unique-id"));
    assert!(!respond(&success_response()), "a late callback must not throw into IMP");
    assert_still_works().await;
}

#[wasm_bindgen_test]
async fn a_callback_before_the_timeout_wins_and_clears_it() {
    install_imp("manual", &JsValue::UNDEFINED);
    install_timer_spy();
    let live_before = live_timers();
    let p = request_billing_key(seed_params(0), js("({ timeoutMs: 40 })"));
    assert_eq!(live_timers(), live_before + 1, "the timeout is armed");
    respond(&success_response());
    assert_eq!(live_timers(), live_before, "the callback clears the timeout");
    let r = settle(p).await.expect("resolves");
    assert_eq!(get(&r, "success"), JsValue::TRUE);
    wait(60).await; // and nothing from the first request reaches a later one
    install_imp("manual", &JsValue::UNDEFINED);
    let p2 = request_billing_key(seed_params(0), none());
    wait(60).await;
    assert!(!is_settled(&p2).await);
    respond(&success_response());
    settle(p2).await.expect("resolves");
}

#[wasm_bindgen_test]
async fn invalid_timeouts_are_invalid_param() {
    install_imp("manual", &JsValue::UNDEFINED);
    for expr in ["0", "-1", "1.5", "'100'", "NaN", "Infinity", "2 ** 53", "-0.5"] {
        let r = settle(request_billing_key(seed_params(0), js(&format!("({{ timeoutMs: {expr} }})")))).await;
        assert_eq!(code_of(&r), "INVALID_PARAM", "{expr}");
        assert_eq!(field_of(&r), "timeoutMs", "{expr}");
    }
    let r = settle(request_billing_key(seed_params(0), js("({ timeout: 5 })"))).await;
    assert_eq!(field_of(&r), "timeout");
    let r = settle(request_billing_key(seed_params(0), js("'fast'"))).await;
    assert_eq!(field_of(&r), "options");
    assert_eq!(call_count(), 0);
    assert_still_works().await;
}

#[wasm_bindgen_test]
async fn malformed_callback_values_resolve_as_failures() {
    for (expr, code) in [
        ("null", Some("MALFORMED_RESPONSE")),
        ("undefined", Some("MALFORMED_RESPONSE")),
        ("'success'", Some("MALFORMED_RESPONSE")),
        ("[{ imp_uid: 'imps_1' }]", Some("MALFORMED_RESPONSE")),
        ("({ success: 'false', imp_uid: 'imps_1' })", None),
        ("({ success: false, imp_uid: 'imps_1' })", None),
        ("({ imp_success: 'true', imp_uid: '' })", None),
        ("({ imp_success: 'false', imp_uid: 'imps_1' })", None),
        ("({ imp_uid: 'imps_1', error_code: 'F1' })", None),
        ("({})", None),
        ("({ get imp_uid() { throw new Error('x') } })", Some("MALFORMED_RESPONSE")),
    ] {
        install_imp("manual", &JsValue::UNDEFINED);
        let p = request_billing_key(seed_params(0), none());
        let response = js(&format!("({expr})"));
        assert!(!respond(&response));
        let r = settle(p).await.expect("resolves");
        assert_eq!(get(&r, "success"), JsValue::FALSE, "{expr}");
        assert_eq!(get(&r, "error_code").as_string().as_deref(), code.or(get(&response, "error_code").as_string().as_deref()), "{expr}");
        assert!(get(&r, "error_msg").as_string().is_some_and(|m| !m.is_empty()), "{expr}");
        assert_eq!(get(&r, "customer_uid").as_string().as_deref(), Some("your-customer-unique-id"));
        assert!(same(&get(&r, "raw"), &response), "{expr}: raw as received");
    }
    assert_still_works().await;
}

#[wasm_bindgen_test]
fn new_merchant_uid_is_unique_and_well_formed() {
    let mut seen = std::collections::HashSet::new();
    for _ in 0..2000 {
        let uid = new_merchant_uid_js(JsValue::UNDEFINED).expect("valid");
        assert!(uid.starts_with("billing_") && uid.len() <= 40);
        assert!(uid.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-'));
        assert!(seen.insert(uid));
    }
    let uid = new_merchant_uid_js("order-2026".into()).expect("valid");
    assert!(uid.starts_with("order-2026_"));
    assert!(new_merchant_uid_js("abcdefghij0123456789".into()).is_ok_and(|u| u.len() <= 40));
    for bad in ["''", "'주문'", "'a b'", "'x'.repeat(21)", "12", "({})"] {
        let e = new_merchant_uid_js(js(&format!("({bad})"))).expect_err(bad);
        assert_eq!(get(&e, "code").as_string().as_deref(), Some("INVALID_PARAM"), "{bad}");
        assert_eq!(get(&e, "field").as_string().as_deref(), Some("prefix"), "{bad}");
    }
}

/// Where `crypto.getRandomValues` is missing (or `crypto` or it throws), the random part comes
/// from `Math.random`: still well formed and unique.
#[wasm_bindgen_test]
fn new_merchant_uid_falls_back_to_math_random_without_crypto() {
    js("globalThis.__savedCrypto = Object.getOwnPropertyDescriptor(globalThis, 'crypto')");
    for (setup, what) in [
        ("Object.defineProperty(globalThis, 'crypto', { value: undefined, configurable: true, writable: true })", "no crypto"),
        ("Object.defineProperty(globalThis, 'crypto', { get() { throw new Error('crypto getter') }, configurable: true })", "crypto getter throws"),
        ("Object.defineProperty(globalThis, 'crypto', { value: { getRandomValues() { throw new Error('no entropy') } }, configurable: true, writable: true })", "getRandomValues throws"),
    ] {
        js(setup);
        // Math.random is what fills the random part now: 0.5 gives the byte 0x80 five times. Bytes
        // are drawn 320 at a time, so the uids of bytes drawn before come first (at most 64).
        js("globalThis.__savedRandom = Math.random; Math.random = () => 0.5");
        let fallback = |uid: &str| uid.get(uid.len() - 10..) == Some("8080808080");
        let first = (0..65).map(|_| new_merchant_uid_js(JsValue::UNDEFINED).expect(what)).position(|uid| fallback(&uid));
        js("Math.random = globalThis.__savedRandom; delete globalThis.__savedRandom");
        assert!(first.is_some(), "{what}: the fallback was not used within 65 uids");
        // The rest of the bytes drawn from the stand-in, then fresh ones from Math.random.
        let rest = (0..65).map(|_| new_merchant_uid_js(JsValue::UNDEFINED).expect(what)).position(|uid| !fallback(&uid));
        assert!(rest.is_some_and(|n| n < 64), "{what}: drawn again after 64 uids: {rest:?}");
        let mut seen = std::collections::HashSet::new();
        for _ in 0..200 {
            let uid = new_merchant_uid_js(JsValue::UNDEFINED).expect(what);
            assert!(uid.starts_with("billing_") && uid.len() <= 40, "{what}: {uid}");
            // `billing_`, the time in base 36, then 10 hex digits of randomness.
            let random = &uid.as_bytes()[uid.len() - 10..];
            assert!(random.iter().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(b)), "{what}: {uid}");
            assert!(seen.insert(uid), "{what}");
        }
        js("Object.defineProperty(globalThis, 'crypto', globalThis.__savedCrypto)");
    }
    js("delete globalThis.__savedCrypto");
    assert!(js("typeof globalThis.crypto.getRandomValues").as_string().as_deref() == Some("function"));
}

#[wasm_bindgen_test]
async fn parse_redirect_reads_the_query_and_recovers_the_request() {
    install_imp("manual", &JsValue::UNDEFINED);
    // The SDK redirects (mobile): this page never hears a callback. A timeout ends the request here
    // so the next tests can run; the record the request left survives for the redirect page.
    let p = request_billing_key(
        js("({ customer_uid: 'c-77', amount: 1004, buyer_tel: '010', merchant_uid: 'm-redirect-1', m_redirect_url: 'https://shop.example/done' })"),
        js("({ timeoutMs: 20 })"),
    );
    assert_eq!(code_of(&settle(p).await), "TIMEOUT");
    let r = parse_redirect_js("https://shop.example/done?imp_uid=imps_5&merchant_uid=m-redirect-1&merchant_uid=zzz&imp_success=true".into()).expect("parses");
    assert_eq!(
        json(&r),
        r#"{"success":true,"imp_uid":"imps_5","merchant_uid":"m-redirect-1","customer_uid":"c-77","amount":1004,"raw":{"imp_uid":"imps_5","merchant_uid":"m-redirect-1","imp_success":"true"}}"#
    );
    let r = parse_redirect_js("https://shop.example/done?merchant_uid=unknown&imp_success=false&error_code=F400&error_msg=%EC%B7%A8%EC%86%8C".into()).expect("parses");
    assert_eq!(
        json(&r),
        r#"{"success":false,"imp_uid":null,"merchant_uid":"unknown","customer_uid":null,"amount":null,"error_code":"F400","error_msg":"취소","raw":{"merchant_uid":"unknown","imp_success":"false","error_code":"F400","error_msg":"취소"}}"#
    );
    assert_eq!(parse_redirect_js("https://shop.example/done?x=1".into()).expect("parses"), JsValue::NULL);
    let e = parse_redirect_js(JsValue::from(5)).expect_err("not a string");
    assert_eq!(get(&e, "field").as_string().as_deref(), Some("url"));
}

#[wasm_bindgen_test]
async fn a_callback_on_the_page_drops_the_redirect_record() {
    install_imp("manual", &JsValue::UNDEFINED);
    let p = request_billing_key(
        js("({ customer_uid: 'c-78', amount: 0, buyer_tel: '010', merchant_uid: 'm-redirect-2', m_redirect_url: 'https://shop.example/done' })"),
        none(),
    );
    assert!(js("sessionStorage.getItem('iamport-billing:m-redirect-2')").is_string());
    respond(&js("({ imp_uid: 'imps_6', merchant_uid: 'm-redirect-2' })"));
    settle(p).await.expect("resolves");
    assert!(js("sessionStorage.getItem('iamport-billing:m-redirect-2')").is_null());
    let r = parse_redirect_js("https://shop.example/done?imp_uid=imps_6&merchant_uid=m-redirect-2".into()).expect("parses");
    assert_eq!(get(&r, "customer_uid"), JsValue::NULL);
}

/// validateParams answers exactly the object requestBillingKey hands to IMP.request_pay, and the
/// same error it rejects with.
#[wasm_bindgen_test]
async fn validate_params_answers_what_request_pay_receives() {
    let validated = validate_params_js(seed_params(1004)).expect("valid");
    install_imp("manual", &JsValue::UNDEFINED);
    let p = request_billing_key(seed_params(1004), none());
    assert_eq!(json(&validated), last_call_json());
    respond(&success_response());
    settle(p).await.expect("resolves");

    // Without a merchant_uid, each answer carries a fresh one, as each request would.
    let params = js("({ customer_uid: 'c1', amount: 0, buyer_tel: '010' })");
    let (a, b) = (validate_params_js(params.clone()).expect("valid"), validate_params_js(params).expect("valid"));
    assert_ne!(get(&a, "merchant_uid"), get(&b, "merchant_uid"));
    assert_eq!(json(&a).replace(&get(&a, "merchant_uid").as_string().unwrap_or_default(), "M"), r#"{"pg":"danal_tpay","pay_method":"card","merchant_uid":"M","amount":0,"customer_uid":"c1","buyer_tel":"010"}"#);

    let bad = js("({ customer_uid: 'c1', amount: '1000', buyer_tel: '010' })");
    let thrown = validate_params_js(bad.clone()).expect_err("amount is a string");
    let rejected = settle(request_billing_key(bad, none())).await;
    assert_eq!(error_json(&thrown), rejection(&rejected));
    assert_eq!(get(&thrown, "field").as_string().as_deref(), Some("amount"));
}

/// A key named `__proto__` (as `JSON.parse` makes one) is read as a key, not as the prototype: an
/// unknown parameter at the top, kept as given inside `custom_data`.
#[wasm_bindgen_test]
fn a_key_named_proto_stays_a_key() {
    let top = js(r#"JSON.parse('{"__proto__": {"customer_uid": "x"}, "customer_uid": "c", "amount": 0, "buyer_tel": "010"}')"#);
    let e = validate_params_js(top).expect_err("__proto__ is not a parameter");
    assert_eq!(get(&e, "field").as_string().as_deref(), Some("__proto__"));
    let inside = js(r#"JSON.parse('{"customer_uid": "c", "amount": 0, "buyer_tel": "010", "merchant_uid": "m", "custom_data": {"__proto__": {"x": 1}, "y": 2}}')"#);
    assert_eq!(
        json(&validate_params_js(inside).expect("valid")),
        r#"{"pg":"danal_tpay","pay_method":"card","merchant_uid":"m","amount":0,"customer_uid":"c","buyer_tel":"010","custom_data":{"__proto__":{"x":1},"y":2}}"#
    );
}

/// A value far over its field's limit is reported against that field with its limit; params over
/// the whole-size cap get a message that says so.
#[wasm_bindgen_test]
async fn an_oversized_value_names_its_field_and_an_oversized_params_says_so() {
    let long = js("({ customer_uid: 'x'.repeat(1 << 20), amount: 0, buyer_tel: '010' })");
    let r = settle(request_billing_key(long, none())).await;
    assert_eq!(
        rejection(&r),
        r#"{"name":"BillingKeyError","code":"INVALID_PARAM","field":"customer_uid","message":"customer_uid must be at most 80 characters (got 1048576)","isError":true,"hasStack":true}"#
    );
    let huge = js("({ customer_uid: 'c1', amount: 0, buyer_tel: '010', custom_data: 'x'.repeat(5 << 20) })");
    let r = settle(request_billing_key(huge, none())).await;
    assert_eq!(
        rejection(&r),
        r#"{"name":"BillingKeyError","code":"INVALID_PARAM","field":"params","message":"params is too large to check: over 4 Mi characters of JSON, or nested deeper than 64 levels","isError":true,"hasStack":true}"#
    );
    assert_still_works().await;
}
