//! Values that cannot be read, in params and options: a cycle, a getter or a Proxy trap that
//! throws, a revoked Proxy. Each is reported at its own path with its cause (and what was thrown),
//! never as "params must be a plain object"; IMP is never called and nothing is injected.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)] // tests may panic

mod common;

use common::*;
use iamport_billing::js::{load_iamport_js, parse_redirect_js, request_billing_key, validate_params_js};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const CYCLE: &str = "a cycle (it is inside itself)";
const REVOKED: &str = "a revoked Proxy";

/// JS that builds each kind of unreadable value: an object with a cycle, a throwing getter, a Proxy
/// whose `get` trap throws for one key, one whose `ownKeys` trap throws, a revoked Proxy, a getter that throws
/// a string. The last four give no key to check before the value (what `period` and `display`
/// check first).
const KINDS: [&str; 6] = [
    "(() => { const o = { ok: 1 }; o.self = o; return o; })()",
    "({ ok: 1, get boom() { throw new Error('boom') } })",
    "new Proxy({ a: 1 }, { get(t, k) { if (k === 'a') throw new Error('trap boom'); return t[k]; } })",
    "new Proxy({}, { ownKeys() { throw new TypeError('no keys') } })",
    "(() => { const r = Proxy.revocable({}, {}); r.revoke(); return r.proxy; })()",
    "({ get s() { throw 'a string' } })",
];

/// The path below the value `KINDS[i]` builds, and the message's end, for a value at `at`.
fn expected(i: usize, at: &str) -> (String, String) {
    let (path, why) = match i {
        0 => (format!("{at}.self"), CYCLE.to_owned()),
        1 => (format!("{at}.boom"), String::from("a getter threw: boom")),
        2 => (format!("{at}.a"), String::from("a Proxy trap threw: trap boom")),
        3 => (at.to_owned(), String::from("a Proxy trap threw: no keys")),
        4 => (at.to_owned(), REVOKED.to_owned()),
        _ => (format!("{at}.s"), String::from("a getter threw: a string")),
    };
    let message = format!("{path} could not be read: {why}");
    (path, message)
}

fn invalid(field: &str, message: &str) -> String {
    format!(r#"{{"name":"BillingKeyError","code":"INVALID_PARAM","field":{},"message":{},"isError":true,"hasStack":true}}"#, json(&JsValue::from_str(field)), json(&JsValue::from_str(message)))
}

const BASE: &str = "customer_uid: 'c', amount: 0, buyer_tel: '010'";

#[wasm_bindgen_test]
async fn in_params_each_unreadable_value_is_reported_at_its_own_path() {
    install_imp("manual", &JsValue::UNDEFINED);
    for (i, value) in KINDS.iter().enumerate() {
        for (template, at) in [
            ("custom_data: {v}", "custom_data"),
            ("custom_data: { plan: 'pro', deep: [1, {v}] }", "custom_data.deep[1]"),
            ("card: {v}", "card"),
            ("card: { nested: {v} }", "card.nested"),
            ("bypass: { danal: {v} }", "bypass.danal"),
            ("period: {v}", "period"),
            ("display: {v}", "display"),
        ] {
            if matches!(at, "period" | "display") && !matches!(i, 3 | 4) {
                continue; // their keys are checked first (see the next test for their fields)
            }
            let expr = format!("({{ {BASE}, {} }})", template.replace("{v}", value));
            let (field, message) = expected(i, at);
            let r = settle(request_billing_key(js(&expr), JsValue::UNDEFINED)).await;
            assert_eq!(rejection(&r), invalid(&field, &message), "{expr}");
            let thrown = validate_params_js(js(&expr)).expect_err("validateParams throws");
            assert_eq!(error_json(&thrown), invalid(&field, &message), "validateParams {expr}");
        }
    }
    assert_eq!(call_count(), 0, "IMP is never called");
}

#[wasm_bindgen_test]
async fn in_the_fields_of_period_and_display_too() {
    install_imp("manual", &JsValue::UNDEFINED);
    for (expr, field, message) in [
        (
            "({ BASE, period: { get from() { throw new Error('boom') }, to: '20260101' } })",
            "period.from",
            "period.from could not be read: a getter threw: boom",
        ),
        // A `get` trap that throws for every key throws for `toJSON` too: the object itself cannot be read.
        (
            "({ BASE, period: new Proxy({ from: '20260101', to: '20260201' }, { get() { throw new Error('trap') } }) })",
            "period",
            "period could not be read: a Proxy trap threw: trap",
        ),
        (
            "({ BASE, period: new Proxy({ from: '20260101', to: '20260201' }, { get(t, k) { if (k === 'to') throw new Error('no to'); return t[k]; } }) })",
            "period.to",
            "period.to could not be read: a Proxy trap threw: no to",
        ),
        (
            "({ BASE, display: { card_quota: [0, 2, { get x() { throw 1 } }] }, get custom_data() { return 5n } })",
            "custom_data",
            "custom_data must be JSON data (got a BigInt)",
        ),
        (
            "({ BASE, display: { get card_quota() { throw new Error('q') } } })",
            "display.card_quota",
            "display.card_quota could not be read: a getter threw: q",
        ),
        (
            "(() => { const q = [0, 2]; q.push(q); return { BASE, display: { card_quota: q } }; })()",
            "display.card_quota[2]",
            "display.card_quota[2] could not be read: a cycle (it is inside itself)",
        ),
        (
            "(() => { const p = { BASE }; p.custom_data = p; return p; })()",
            "custom_data",
            "custom_data could not be read: a cycle (it is inside itself)",
        ),
        ("({ BASE, custom_data: { big: 1n, get boom() { throw 0 } } })", "custom_data.big", "custom_data.big must be JSON data (got a BigInt)"),
        (
            "({ BASE, get buyer_name() { throw new Error('no name') } })",
            "buyer_name",
            "buyer_name could not be read: a getter threw: no name",
        ),
        (
            "(() => { const r = Proxy.revocable({}, {}); r.revoke(); return r.proxy; })()",
            "params",
            "params could not be read: a revoked Proxy",
        ),
        (
            "new Proxy({}, { getPrototypeOf() { throw new Error('proto') } })",
            "params",
            "params could not be read: a Proxy trap threw: proto",
        ),
    ] {
        let expr = expr.replace("BASE", BASE);
        let r = settle(request_billing_key(js(&expr), JsValue::UNDEFINED)).await;
        assert_eq!(rejection(&r), invalid(field, message), "{expr}");
    }
    assert_eq!(call_count(), 0, "IMP is never called");
}

#[wasm_bindgen_test]
async fn in_options_each_unreadable_value_is_reported_at_its_own_path() {
    install_imp("manual", &JsValue::UNDEFINED);
    let scripts = all_script_count();
    for (options, field, message) in [
        ("({ get timeoutMs() { throw new Error('boom') } })", "timeoutMs", "timeoutMs could not be read: a getter threw: boom"),
        ("new Proxy({}, { ownKeys() { throw new Error('keys') } })", "options", "options could not be read: a Proxy trap threw: keys"),
        ("(() => { const r = Proxy.revocable({}, {}); r.revoke(); return r.proxy; })()", "options", "options could not be read: a revoked Proxy"),
    ] {
        let r = settle(request_billing_key(seed_params(0), js(options))).await;
        assert_eq!(rejection(&r), invalid(field, message), "requestBillingKey {options}");
        let r = settle(load_iamport_js(js(options))).await;
        assert_eq!(rejection(&r), invalid(field, message), "loadIamport {options}");
    }
    for (options, field, message) in [
        ("({ get src() { throw new Error('src?') } })", "src", "src could not be read: a getter threw: src?"),
        ("({ merchantCode: new Proxy({}, { getPrototypeOf() { throw 'p' } }) })", "merchantCode", "merchantCode could not be read: a Proxy trap threw: p"),
        ("(() => { const o = {}; o.src = o; return o; })()", "src", "src could not be read: a cycle (it is inside itself)"),
    ] {
        let r = settle(load_iamport_js(js(options))).await;
        assert_eq!(rejection(&r), invalid(field, message), "loadIamport {options}");
    }
    assert_eq!(all_script_count(), scripts, "nothing injected");
    assert_eq!(call_count(), 0, "IMP is never called");

    let url = js("new Proxy({}, { getPrototypeOf() { throw new Error('url?') } })");
    let thrown = parse_redirect_js(url).expect_err("parseRedirect throws");
    assert_eq!(error_json(&thrown), invalid("url", "url could not be read: a Proxy trap threw: url?"));
}

/// Each value is read once: a getter that works runs once, and the call goes on as usual.
#[wasm_bindgen_test]
async fn a_readable_value_is_read_once_and_valid_calls_still_work() {
    install_imp("manual", &JsValue::UNDEFINED);
    js("globalThis.__reads = 0");
    let params = js(&format!("({{ {BASE}, custom_data: {{ get n() {{ globalThis.__reads++; return 1 }} }} }})"));
    let p = request_billing_key(params, JsValue::UNDEFINED);
    assert_eq!(js("globalThis.__reads").as_f64(), Some(1.0));
    assert_eq!(last_call_json(), r#"{"pg":"danal_tpay","pay_method":"card","merchant_uid":"#.to_owned() + &json(&get(&last_param(), "merchant_uid")) + r#","amount":0,"customer_uid":"c","buyer_tel":"010","custom_data":{"n":1}}"#);
    assert!(!respond(&success_response()));
    let r = settle(p).await.expect("resolves");
    assert_eq!(get(&r, "success"), JsValue::TRUE);
}
