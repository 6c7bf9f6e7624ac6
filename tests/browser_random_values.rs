//! A seeded, reproducible randomized run: ≥ 2,000 arbitrary JavaScript values — nested
//! objects, getters and Proxy traps that throw, `__proto__` keys, 5 MB strings, lone surrogates,
//! BigInt, Symbols, frozen objects, cycles, class instances, arrays with holes, re-entrant getters —
//! through `requestBillingKey` as params, as options and as callback responses. Every call returns
//! a Promise without throwing, every Promise settles (a result, or a `BillingKeyError` with a
//! code), nothing throws back into IMP, and a valid call still succeeds afterwards (no trap).
//!
//! The values are built in `tests/common/random.js`; set `RANDOM_VALUES_SEED=<u32>` when building
//! the test to run another seed (a failure message names the case to replay).
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)] // tests may panic

mod common;

use std::collections::BTreeMap;

use common::*;
use iamport_billing::js::request_billing_key;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen(module = "/tests/common/random.js")]
extern "C" {
    #[wasm_bindgen(js_name = randomCase)]
    fn random_case(seed: u32, index: u32) -> JsValue;
    fn catalogue() -> js_sys::Array;
}

const DEFAULT_SEED: u32 = 0x1a3b_2026;
const DEFAULT_CASES: u32 = 2400;
const CODES: &[&str] = &["INVALID_PARAM", "IMP_NOT_LOADED", "SDK_LOAD_FAILED", "IN_PROGRESS", "TIMEOUT", "SDK_ERROR"];

/// `RANDOM_VALUES_CASES=<n>` (at build time) runs more (or, to replay one failure, fewer) cases.
fn cases() -> u32 {
    option_env!("RANDOM_VALUES_CASES").and_then(|s| s.parse().ok()).unwrap_or(DEFAULT_CASES)
}

fn seed() -> u32 {
    option_env!("RANDOM_VALUES_SEED").and_then(|s| s.parse().ok()).unwrap_or(DEFAULT_SEED)
}

/// Checks a rejection: a real `BillingKeyError` with a known code (and a field for INVALID_PARAM).
fn check_error(e: &JsValue, label: &str) -> String {
    assert!(is_instance_of_error(e), "{label}: rejected with a non-Error {}", json(e));
    assert_eq!(get(e, "name").as_string().as_deref(), Some("BillingKeyError"), "{label}");
    let code = get(e, "code").as_string().unwrap_or_default();
    assert!(CODES.contains(&code.as_str()), "{label}: unknown code {code:?}");
    assert!(get(e, "message").as_string().is_some_and(|m| !m.is_empty()), "{label}: a message");
    if code == "INVALID_PARAM" {
        // (An empty field for an empty key is a known bug, pinned on its own below.)
        assert!(get(e, "field").is_string(), "{label}: INVALID_PARAM names a field: {}", error_json(e));
    }
    code
}

/// Checks a result: a typed object with `success`, the request's ids, and `raw`.
fn check_result(r: &JsValue, label: &str) -> bool {
    let success = get(r, "success").as_bool().unwrap_or_else(|| panic!("{label}: success must be a boolean"));
    assert!(get(r, "merchant_uid").as_string().is_some_and(|m| !m.is_empty()), "{label}: merchant_uid");
    assert!(get(r, "customer_uid").is_string(), "{label}: customer_uid");
    if !success {
        assert!(get(r, "error_msg").as_string().is_some_and(|m| !m.is_empty()), "{label}: error_msg");
    }
    success
}

/// One value through `requestBillingKey` in `role` (params, options or response), checked.
async fn one_case(api: &JsValue, role: &str, value: JsValue, label: &str, outcomes: &mut BTreeMap<String, u32>) {
    let (params, options) = match role {
        "params" => (value.clone(), JsValue::UNDEFINED),
        "options" => (seed_params(0), value.clone()),
        _ => (seed_params(0), JsValue::UNDEFINED),
    };
    let calls = call_count();
    let out = call_safely(api, &params, &options);
    assert_eq!(get(&out, "threw"), JsValue::FALSE, "{label}: requestBillingKey threw synchronously: {:?}", get(&out, "value"));
    let promise = get(&out, "value");
    assert!(is_promise(&promise), "{label}: requestBillingKey must return a Promise");
    let promise: js_sys::Promise = promise.into();
    if role == "response" {
        assert!(call_count() > calls, "{label}: the seed request reaches IMP");
        assert!(!respond(&value), "{label}: nothing may be thrown back into IMP");
        let r = settle_within(promise, 10_000, label).await;
        let r = r.unwrap_or_else(|e| panic!("{label}: a callback value must resolve, it rejected {}", error_json(&e)));
        let success = check_result(&r, label);
        assert!(same(&get(&r, "raw"), &value), "{label}: raw is the value as received");
        assert_eq!(get(&r, "customer_uid").as_string().as_deref(), Some("your-customer-unique-id"), "{label}");
        *outcomes.entry(format!("response → success: {success}")).or_default() += 1;
    } else {
        // If IMP was called (the value was valid), the window answers with a success.
        assert!(!respond_if_any(&success_response()), "{label}: nothing may be thrown back into IMP");
        let r = settle_within(promise, 10_000, label).await;
        let key = match r {
            Ok(v) => format!("{role} → success: {}", check_result(&v, label)),
            Err(e) => format!("{role} → {}", check_error(&e, label)),
        };

        *outcomes.entry(key).or_default() += 1;
    }
    // A re-entrant getter may have left a request open: settle it, so the next case starts clean.
    assert!(!respond_if_any(&success_response()), "{label}");
    let _ = settle(js_sys::Promise::resolve(&JsValue::UNDEFINED)).await;
}

#[wasm_bindgen_test]
async fn arbitrary_values_always_settle_and_never_trap() {
    let seed = seed();
    // Re-entrant getters call this while the library reads a value.
    let reenter = Closure::<dyn FnMut(bool) -> JsValue>::new(|valid: bool| {
        let params = if valid { seed_params(0) } else { JsValue::NULL };
        JsValue::from(request_billing_key(params, JsValue::UNDEFINED))
    });
    set_global("__reenter", reenter.as_ref());
    // requestBillingKey as a JS function, so a synchronous throw would be caught and reported.
    let api = Closure::<dyn FnMut(JsValue, JsValue) -> JsValue>::new(|p: JsValue, o: JsValue| JsValue::from(request_billing_key(p, o)));

    install_imp("manual", &JsValue::UNDEFINED);
    let mut outcomes: BTreeMap<String, u32> = BTreeMap::new();
    let started = js_sys::Date::now();
    let cases = cases();
    let catalogue_len = catalogue().length();
    // First every kind of value in the catalogue, in each role; then the seeded random run.
    let mut total = 0;
    for i in 0..catalogue_len * 3 {
        let entry: js_sys::Array = catalogue().get(i / 3).into();
        let role = ["params", "options", "response"][(i % 3) as usize];
        let label = format!("catalogue {role}: {}", entry.get(0).as_string().unwrap_or_default());
        one_case(api.as_ref(), role, entry.get(1), &label, &mut outcomes).await;
        total += 1;
    }
    for i in 0..cases {
        let case = random_case(seed, i);
        let role = get(&case, "role").as_string().unwrap_or_default();
        let label = format!("RANDOM_VALUES_SEED={seed} {}", get(&case, "label").as_string().unwrap_or_default());
        one_case(api.as_ref(), &role, get(&case, "value"), &label, &mut outcomes).await;
        total += 1;
    }
    let elapsed = js_sys::Date::now() - started;
    console_log!("random values: {total} cases ({catalogue_len} catalogued × 3 roles, then {cases} random) (RANDOM_VALUES_SEED={seed}) in {elapsed:.0} ms: {outcomes:?}");
    assert!(outcomes.values().sum::<u32>() == total && total >= 2000);
    assert!(outcomes.keys().any(|k| k.starts_with("params → success")), "some random params must be valid: {outcomes:?}");
    assert!(outcomes.keys().any(|k| k.starts_with("params → INVALID_PARAM")), "{outcomes:?}");

    // Still works: a valid call reaches IMP and resolves.
    install_imp("manual", &JsValue::UNDEFINED);
    let p = request_billing_key(seed_params(0), JsValue::UNDEFINED);
    assert_eq!(call_count(), 1, "no request left open, no trap");
    respond(&success_response());
    let r = settle_within(p, 2000, "the valid call afterwards").await.expect("resolves");
    assert_eq!(get(&r, "success"), JsValue::TRUE);
    js("delete globalThis.__reenter");
    drop(reenter);
    drop(api);
}

/// js/glue.js `encode`: `JSON.stringify` calls `toJSON` *before* the replacer sees a value, so a
/// non-plain object with a `toJSON` method is judged by what `toJSON` returns: a class instance
/// whose `toJSON` returns a plain object passes as params, and a `Date` passes as `customer_uid`
/// (IMP receives `"1970-01-01T00:00:00.000Z"`). The table requires a plain object and a string.
#[wasm_bindgen_test]
async fn regression_to_json_no_longer_hides_non_plain_objects_and_non_strings() {
    let mut wrong = Vec::new();
    for (expr, field) in [
        ("new (class Params { toJSON() { return { customer_uid: 'c', amount: 0, buyer_tel: '010' } } })()", "params"),
        ("({ customer_uid: new Date(0), amount: 0, buyer_tel: '010' })", "customer_uid"),
        ("({ customer_uid: 'c', amount: { toJSON() { return 1004 } }, buyer_tel: '010' })", "amount"),
    ] {
        install_imp("manual", &JsValue::UNDEFINED);
        let p = request_billing_key(js(&format!("({expr})")), JsValue::UNDEFINED);
        let sent = if call_count() > 0 { last_call_json() } else { String::new() };
        respond_if_any(&JsValue::NULL); // settles it if IMP was called, so no request stays open
        let r = settle_within(p, 1000, expr).await;
        if !sent.is_empty() || r.as_ref().err().map(|e| get(e, "field").as_string()) != Some(Some(field.to_owned())) {
            wrong.push(format!("{expr}: expected INVALID_PARAM on {field}; IMP received {sent}"));
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

/// src/params.rs `unknown_field`, reached from JavaScript: a params (or options) object with an
/// empty key rejects with `field: ""` (see tests/native_fuzz.rs for the native pin).
#[wasm_bindgen_test]
async fn regression_an_empty_key_is_reported_by_name() {
    install_imp("manual", &JsValue::UNDEFINED);
    let r = settle_within(request_billing_key(js("({ customer_uid: 'c', amount: 0, buyer_tel: '010', '': 1 })"), JsValue::UNDEFINED), 1000, "params").await;
    assert_eq!(code_of(&r), "INVALID_PARAM");
    assert!(!field_of(&r).is_empty(), "params: {}", rejection(&r));
    let r = settle_within(request_billing_key(seed_params(0), js("({ '': 1 })")), 1000, "options").await;
    assert!(!field_of(&r).is_empty(), "options: {}", rejection(&r));
}
