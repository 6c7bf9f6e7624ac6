//! The loader's fault matrix: SDK script 404, a script that hangs, a script that loads
//! but defines no `IMP`, then a successful retry; 20 concurrent `loadIamport` calls (one
//! `<script>`, one `IMP.init`); merchant codes. Each asserts the exact settled value, that the
//! loader leaves no listener or failed `<script>` behind, and that a later call works.
//!
//! `IMP.init` happens at most once per page, and all tests of this file share one page, so every
//! step that initialises runs in order inside [`the_loader_fault_sequence`]; the other tests never
//! pass a valid `merchantCode`.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)] // tests may panic

mod common;

use common::*;
use iamport_billing::js::{load_iamport_js, request_billing_key};
use js_sys::Promise;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// An SDK stand-in served from the test page's origin (`page_script`): counts its runs and `IMP.init` calls, and calls back
/// synchronously with a success.
const GOOD_SDK: &str = "window.__sdkRuns = (window.__sdkRuns || 0) + 1; \
    window.IMP = { init(code) { (window.__sdkInits = window.__sdkInits || []).push(code); }, \
    request_pay(p, cb) { cb({ imp_uid: 'imps_data_sdk', merchant_uid: p.merchant_uid }); } };";

fn error(code: &str, field: Option<&str>, message: &str) -> String {
    let field = field.map(|f| format!(r#""field":"{f}","#)).unwrap_or_default();
    format!(r#"{{"name":"BillingKeyError","code":"{code}",{field}"message":"{message}","isError":true,"hasStack":true}}"#)
}

fn load_failed(why: &str) -> String {
    error("SDK_LOAD_FAILED", None, &format!("could not load the iamport SDK: {why}"))
}

fn load(options: &str) -> Promise {
    load_iamport_js(js(&format!("({options})")))
}

async fn loaded(p: Promise, what: &str) -> Result<JsValue, JsValue> {
    settle_within(p, 5000, what).await
}

/// A JS string literal.
fn q(s: &str) -> String {
    json(&JsValue::from_str(s))
}

fn no_imp() {
    js("delete globalThis.IMP");
}

/// A later load (no merchant code) still works: it injects the script and resolves.
async fn assert_a_later_load_works() {
    no_imp();
    let src = page_script("window.IMP = { request_pay() {} }; window.__laterLoads = (window.__laterLoads || 0) + 1;");
    let runs = js("window.__laterLoads || 0").as_f64().unwrap_or(0.0);
    let r = loaded(load(&format!("{{ src: {} }}", q(&src))), "a later load").await;
    assert!(r.as_ref().is_ok_and(JsValue::is_undefined), "a later load resolves: {r:?}");
    assert_eq!(js("window.__laterLoads").as_f64(), Some(runs + 1.0), "the later load injected and ran its script");
    remove_scripts(&src);
    no_imp();
}

#[wasm_bindgen_test]
async fn the_loader_fault_sequence() {
    install_listener_spy();
    no_imp();
    let listeners = live_script_listeners();
    let scripts = all_script_count();

    // 1. The SDK script is a 404: rejected, the injected <script> is removed, a retry injects anew.
    let missing = "/no-such-iamport-sdk.js";
    let p = load(&format!("{{ src: '{missing}', timeoutMs: 5000 }}"));
    assert_eq!(script_count(missing), 1, "injected while loading");
    let r = loaded(p, "404").await;
    assert_eq!(rejection(&r), load_failed(&format!("the script {missing} failed to load")));
    assert_eq!(script_count(missing), 0, "a failed <script> is removed");
    assert_eq!(live_script_listeners(), listeners, "load/error listeners removed");
    let r = loaded(load(&format!("{{ src: '{missing}', timeoutMs: 5000 }}")), "404 again").await;
    assert_eq!(code_of(&r), "SDK_LOAD_FAILED", "the failed attempt was not cached");
    assert_eq!(script_count(missing), 0);

    // 2. A script that hangs (an existing <script> that never fires load): the timeout rejects; the
    //    page's own element is left alone; a retry does not wait on it again.
    let hanging = "/hanging-iamport-sdk.js";
    add_inert_script(hanging);
    let started = js_sys::Date::now();
    let r = loaded(load(&format!("{{ src: '{hanging}', timeoutMs: 60 }}")), "hang").await;
    assert!(js_sys::Date::now() - started >= 59.0, "rejected by the timeout");
    assert_eq!(rejection(&r), load_failed("the script did not load within 60 ms"));
    assert_eq!(script_count(hanging), 1, "the page's element is not ours to remove");
    assert_eq!(live_script_listeners(), listeners);
    let started = js_sys::Date::now();
    let r = loaded(load(&format!("{{ src: '{hanging}', timeoutMs: 3000 }}")), "hang retry").await;
    assert_eq!(rejection(&r), load_failed(&format!("the script {hanging} failed to load")), "a fresh <script> (404 here), not the dead one");
    assert!(js_sys::Date::now() - started < 2900.0, "did not wait for the timeout again");
    assert_eq!(script_count(hanging), 1);
    remove_scripts(hanging);

    // 3. A script that loads but defines no IMP.
    let empty = page_script("window.__emptyRuns = (window.__emptyRuns || 0) + 1;");
    let r = loaded(load(&format!("{{ src: {}, merchantCode: 'imp12345678' }}", q(&empty))), "no IMP").await;
    assert_eq!(rejection(&r), load_failed("the script loaded but did not define IMP"));
    assert_eq!(js("window.__emptyRuns"), JsValue::from(1), "the script ran");
    assert_eq!(script_count(&empty), 0);
    assert_eq!(live_script_listeners(), listeners);

    // 4. IMP is there but IMP.init fails: SDK_LOAD_FAILED, and nothing counts as initialised.
    js("globalThis.IMP = { init() { throw new Error('init boom') }, request_pay() {} }");
    let r = loaded(load("{ merchantCode: 'imp12345678' }"), "init throws").await;
    assert_eq!(rejection(&r), load_failed("IMP.init threw Error: init boom"));
    js("globalThis.IMP = { request_pay() {} }");
    let r = loaded(load("{ merchantCode: 'imp12345678' }"), "no init").await;
    assert_eq!(rejection(&r), load_failed("IMP.init is not a function"));
    no_imp();

    // 5. The successful retry, as 20 concurrent calls (plus one with another merchant code, which
    //    joins the same load and is refused once the first code is initialised).
    let good = page_script(GOOD_SDK);
    let calls: Vec<Promise> = (0..20).map(|_| load(&format!("{{ src: {}, merchantCode: 'imp12345678' }}", q(&good)))).collect();
    let other = load(&format!("{{ src: {}, merchantCode: 'imp87654321' }}", q(&good)));
    assert_eq!(script_count(&good), 1, "one <script> for all the concurrent calls");
    for (i, p) in calls.into_iter().enumerate() {
        let r = loaded(p, "concurrent").await;
        assert!(r.as_ref().is_ok_and(JsValue::is_undefined), "call {i} resolves with undefined: {r:?}");
    }
    let different = error(
        "INVALID_PARAM",
        Some("merchantCode"),
        "merchantCode: IMP.init was already called with imp12345678 on this page; iamport must be initialised once per page",
    );
    assert_eq!(rejection(&loaded(other, "other code").await), different);
    assert_eq!(script_count(&good), 1);
    assert_eq!(json(&js("window.__sdkInits")), r#"["imp12345678"]"#, "IMP.init exactly once");
    assert_eq!(js("window.__sdkRuns"), JsValue::from(1), "the SDK ran once");
    assert_eq!(live_script_listeners(), listeners);
    assert_eq!(all_script_count(), scripts + 1, "only the SDK's <script> was added");

    // 6. Later calls: nothing injected, no second init; another code is refused.
    for options in ["undefined", "{}", "{ merchantCode: 'imp12345678' }", "{ src: '/never-fetched.js', merchantCode: 'imp12345678' }"] {
        let r = loaded(load(options), options).await;
        assert!(r.as_ref().is_ok_and(JsValue::is_undefined), "{options}: {r:?}");
    }
    assert_eq!(script_count("/never-fetched.js"), 0, "IMP exists: nothing is injected");
    assert_eq!(json(&js("window.__sdkInits")), r#"["imp12345678"]"#);
    assert_eq!(rejection(&loaded(load("{ merchantCode: 'imp87654321' }"), "other code").await), different);
    // Even with IMP gone, a different code is refused before anything is injected.
    no_imp();
    assert_eq!(rejection(&loaded(load(&format!("{{ src: '{missing}', merchantCode: 'imp00000000' }}")), "other code, no IMP").await), different);
    assert_eq!(script_count(missing), 0);

    // 7. The loaded SDK works for a request.
    js(GOOD_SDK);
    let r = settle_within(request_billing_key(seed_params(0), JsValue::UNDEFINED), 2000, "request").await.expect("resolves");
    assert_eq!(get(&r, "success"), JsValue::TRUE);
    assert_eq!(get(&r, "imp_uid").as_string().as_deref(), Some("imps_data_sdk"));
}

const SRC_RULE: &str = "src must be an https: URL, an http: URL of localhost, or a path on the page's own origin";

#[wasm_bindgen_test]
async fn invalid_options_reject_before_anything_is_injected() {
    no_imp();
    let scripts = all_script_count();
    let code_msg = "merchantCode must be 'imp' followed by 8 digits (your iamport merchant code, e.g. imp12345678)";
    for (options, field, message) in [
        ("{ merchantCode: 'IMP12345678' }", "merchantCode", code_msg),
        ("{ merchantCode: 'imp1234567' }", "merchantCode", code_msg),
        ("{ merchantCode: 'imp123456789' }", "merchantCode", code_msg),
        ("{ merchantCode: 'imp1234567a' }", "merchantCode", code_msg),
        ("{ merchantCode: ' imp12345678' }", "merchantCode", code_msg),
        ("{ merchantCode: '' }", "merchantCode", code_msg),
        ("{ merchantCode: 12345678 }", "merchantCode", "merchantCode must be a string (got a number)"),
        ("{ src: 'a b.js' }", "src", "src must be a script URL without spaces"),
        ("{ src: 'data:text/javascript,window.IMP={}' }", "src", SRC_RULE),
        ("{ src: 'blob:' + location.origin + '/0b3c' }", "src", SRC_RULE),
        ("{ src: 'javascript:void(0)' }", "src", SRC_RULE),
        ("{ src: 'http://cdn.iamport.kr/v1/iamport.js' }", "src", SRC_RULE),
        ("{ src: '//cdn.iamport.kr/v1/iamport.js' }", "src", SRC_RULE),
        ("{ src: 'http://[' }", "src", SRC_RULE),
        ("{ src: 5 }", "src", "src must be a string (got a number)"),
        ("{ timeoutMs: 0 }", "timeoutMs", "timeoutMs must be a positive whole number of milliseconds"),
        ("{ timeoutMs: 1.5 }", "timeoutMs", "timeoutMs must be a positive whole number of milliseconds"),
        ("{ merchant_code: 'imp12345678' }", "merchant_code", "merchant_code is not a known parameter; did you mean merchantCode?"),
        ("'imp12345678'", "options", "options must be an object (got a string)"),
    ] {
        let r = loaded(load(options), options).await;
        assert_eq!(rejection(&r), error("INVALID_PARAM", Some(field), message), "{options}");
    }
    assert_eq!(all_script_count(), scripts, "nothing injected");
    assert_a_later_load_works().await;
}

#[wasm_bindgen_test]
async fn concurrent_failing_loads_share_one_attempt_and_clear_it() {
    install_listener_spy();
    install_timer_spy();
    no_imp();
    let listeners = live_script_listeners();
    let src = "/also-missing-iamport-sdk.js";
    for round in 0..3 {
        let calls: Vec<Promise> = (0..5).map(|_| load(&format!("{{ src: '{src}' }}"))).collect();
        assert_eq!(script_count(src), 1, "round {round}: one <script> for five calls");
        for p in calls {
            let r = loaded(p, "shared failure").await;
            assert_eq!(rejection(&r), load_failed(&format!("the script {src} failed to load")));
        }
        assert_eq!(script_count(src), 0);
        assert_eq!(live_script_listeners(), listeners);
    }
    wait(1).await;
    assert_eq!(live_timers(), 0, "every attempt's timer cleared: {}", timer_stats());
    assert_a_later_load_works().await;
}

#[wasm_bindgen_test]
async fn an_existing_imp_means_nothing_is_injected_and_requests_work() {
    install_imp("sync", &success_response());
    let scripts = all_script_count();
    let r = loaded(load("{ src: '/never-injected.js', timeoutMs: 1 }"), "existing IMP").await;
    assert!(r.as_ref().is_ok_and(JsValue::is_undefined), "{r:?}");
    assert_eq!(all_script_count(), scripts);
    let r = settle_within(request_billing_key(seed_params(0), JsValue::UNDEFINED), 1000, "request").await.expect("resolves");
    assert_eq!(get(&r, "success"), JsValue::TRUE);
}
