//! Native, table-driven tests of the core: the params table, options, the success rule and the
//! result shape. No JavaScript involved.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)] // tests may panic

use iamport_billing::internals::{decode_response, json, RequestContext};
use iamport_billing::{Amount, BillingKeyRequest, BillingKeyResult, ErrorCode, LoadOptions, RequestOptions, Value};

const BASE: &str = r#""customer_uid":"c","amount":0,"buyer_tel":"010""#;

fn params(extra: &str) -> Value {
    let text = if extra.is_empty() { format!("{{{BASE}}}") } else { format!("{{{BASE},{extra}}}") };
    json::parse(&text).unwrap_or_else(|_| panic!("test JSON: {text}"))
}

fn field_of(v: &Value) -> Option<String> {
    BillingKeyRequest::from_value(v).err().map(|e| {
        assert_eq!(e.code(), ErrorCode::InvalidParam);
        assert!(!e.message().is_empty());
        e.field().unwrap_or_default().to_owned()
    })
}

#[test]
fn the_seed_objects_pass_unchanged() {
    for amount in [0, 1004] {
        let seed = json::parse(&format!(
            r#"{{"pg":"danal_tpay","pay_method":"card","merchant_uid":"merchant_1700000000000","name":"최초인증결제","amount":{amount},"customer_uid":"your-customer-unique-id","buyer_email":"iamport@siot.do","buyer_name":"아임포트","buyer_tel":"02-1234-1234"}}"#
        ))
        .unwrap();
        let req = BillingKeyRequest::from_value(&seed).unwrap();
        assert_eq!(req.amount().get(), amount);
        assert_eq!(req.merchant_uid(), Some("merchant_1700000000000"));
        // Same fields, same order as the guide.
        assert_eq!(json::to_string(&req.to_imp_value("merchant_1700000000000")), json::to_string(&seed));
    }
}

#[test]
fn valid_inputs() {
    for extra in [
        "",
        r#""pay_method":"card""#,
        r#""pay_method":"""#,
        r#""pg":"danal_tpay.A010002002""#,
        r#""pg":"danal_tpay.a_b-C""#,
        r#""channelKey":"channel-key-1""#,
        r#""pg":null,"channelKey":"k""#,
        r#""merchant_uid":"가가가가가가가가가가가가가가가가가가가가가가가가가가가가가가가가가가가가가가가가""#,
        r#""name":"최초인증결제""#,
        r#""buyer_email":"a.b+c@d.co.kr""#,
        r#""buyer_tel":"+82 (10)1234-567""#,
        r#""buyer_name":null,"buyer_addr":"","company":"회사""#,
        r#""m_redirect_url":"HTTPS://shop.example/done?x=1#y""#,
        r#""notice_url":"http://localhost:3000/hook""#,
        r#""notice_url":["https://a.kr/1","https://b.kr/2"]"#,
        r#""custom_data":{"a":[1,2.5,-3e2,null,true,"x"]}"#,
        r#""custom_data":"just a string""#,
        r#""language":"en","currency":"KRW","popup":true"#,
        r#""period":{"from":"20240229","to":"20240229"}"#,
        r#""display":{"card_quota":[]}"#,
        r#""display":{"card_quota":[0,36]}"#,
        r#""tax_free":0"#,
        r#""app_scheme":"myapp://""#,
        r#""confirm_url":"https://shop.example/confirm""#,
        r#""card":{"direct":{"code":"367","quota":3}}"#,
        r#""bypass":{}"#,
    ] {
        assert_eq!(field_of(&params(extra)), None, "{extra}");
    }
    let big = json::parse(r#"{"customer_uid":"c","amount":9007199254740991,"buyer_tel":"010","tax_free":9007199254740991}"#).unwrap();
    assert_eq!(field_of(&big), None);
}

#[test]
fn each_rule_names_its_field() {
    let cases: &[(&str, &str)] = &[
        (r#"{"amount":0,"buyer_tel":"010"}"#, "customer_uid"),
        (r#"{"customer_uid":"","amount":0,"buyer_tel":"010"}"#, "customer_uid"),
        (r#"{"customer_uid":null,"amount":0,"buyer_tel":"010"}"#, "customer_uid"),
        (r#"{"customer_uid":"\t c","amount":0,"buyer_tel":"010"}"#, "customer_uid"),
        (r#"{"customer_uid":"c\u3000","amount":0,"buyer_tel":"010"}"#, "customer_uid"),
        (r#"{"customer_uid":"c\u009f","amount":0,"buyer_tel":"010"}"#, "customer_uid"),
        (r#"{"customer_uid":"c\u007f","amount":0,"buyer_tel":"010"}"#, "customer_uid"),
        (r#"{"customer_uid":"c","buyer_tel":"010"}"#, "amount"),
        (r#"{"customer_uid":"c","amount":"0","buyer_tel":"010"}"#, "amount"),
        (r#"{"customer_uid":"c","amount":0.5,"buyer_tel":"010"}"#, "amount"),
        (r#"{"customer_uid":"c","amount":-0.0001,"buyer_tel":"010"}"#, "amount"),
        (r#"{"customer_uid":"c","amount":9007199254740992,"buyer_tel":"010"}"#, "amount"),
        (r#"{"customer_uid":"c","amount":1e400,"buyer_tel":"010"}"#, "amount"),
        (r#"{"customer_uid":"c","amount":true,"buyer_tel":"010"}"#, "amount"),
        (r#"{"customer_uid":"c","amount":0}"#, "buyer_tel"),
        (r#"{"customer_uid":"c","amount":0,"buyer_tel":"010","custom_data":{"x":{"\u0000iamport-billing":"bigint"}}}"#, "custom_data.x"),
        (r#"{"customer_uid":"c","amount":0,"buyer_tel":"010","custom_data":[1,{"\u0000iamport-billing":"nonfinite"}]}"#, "custom_data[1]"),
        (r#"{"customer_uid":"c","amount":0,"buyer_tel":"010","period":"20260101-20260201"}"#, "period"),
        (r#"{"customer_uid":"c","amount":0,"buyer_tel":"010","period":{"from":"2026011","to":"20260201"}}"#, "period.from"),
        (r#"{"customer_uid":"c","amount":0,"buyer_tel":"010","period":{"from":"20260101","to":"20261301"}}"#, "period.to"),
        (r#"{"customer_uid":"c","amount":0,"buyer_tel":"010","period":{"from":"20230229","to":"20230301"}}"#, "period.from"),
        (r#"{"customer_uid":"c","amount":0,"buyer_tel":"010","period":{"from":"20260101","to":"20260201","x":1}}"#, "period.x"),
        (r#"{"customer_uid":"c","amount":0,"buyer_tel":"010","display":{"card_quota":"0,2"}}"#, "display.card_quota"),
        (r#"{"customer_uid":"c","amount":0,"buyer_tel":"010","display":{"card_quota":[1.5]}}"#, "display.card_quota[0]"),
        (r#"{"customer_uid":"c","amount":0,"buyer_tel":"010","notice_url":[""]}"#, "notice_url[0]"),
        (r#"{"customer_uid":"c","amount":0,"buyer_tel":"010","notice_url":{}}"#, "notice_url"),
        (r#"{"customer_uid":"c","amount":0,"buyer_tel":"010","m_redirect_url":"https://"}"#, "m_redirect_url"),
        (r#"{"customer_uid":"c","amount":0,"buyer_tel":"010","m_redirect_url":"https://a b.kr"}"#, "m_redirect_url"),
        (r#"{"customer_uid":"c","amount":0,"buyer_tel":"010","channelKey":" "}"#, ""),
        (r#"{"customer_uid":"c","amount":0,"buyer_tel":"010","IMP_KEY":"x"}"#, "IMP_KEY"),
        (r#"{"customer_uid":"c","amount":0,"buyer_tel":"010","accessToken":"x"}"#, "accessToken"),
        (r#"{"customer_uid":"c","amount":0,"buyer_tel":"010","secret":"x"}"#, "secret"),
        (r#"{"customer_uid":"c","amount":0,"buyer_tel":"010","amout":1}"#, "amout"),
        (r#"{"customer_uid":"c","amount":0,"buyer_tel":"010","__proto__":{}}"#, "__proto__"),
    ];
    for (text, field) in cases {
        let v = json::parse(text).unwrap_or_else(|_| panic!("test JSON: {text}"));
        if field.is_empty() {
            assert_eq!(field_of(&v), None, "{text}");
        } else {
            assert_eq!(field_of(&v).as_deref(), Some(*field), "{text}");
        }
    }
}

#[test]
fn unknown_keys_come_before_field_rules_and_suggest_the_closest() {
    let v = json::parse(r#"{"custmer_uid":"c","amount":0,"buyer_tel":"010"}"#).unwrap();
    let e = BillingKeyRequest::from_value(&v).unwrap_err();
    assert_eq!(e.field(), Some("custmer_uid"));
    assert_eq!(e.to_string(), "custmer_uid is not a known parameter; did you mean customer_uid?");
    let v = json::parse(r#"{"customer_uid":"c","amount":0,"buyer_tel":"010","zzzzzzzz":1}"#).unwrap();
    assert_eq!(
        BillingKeyRequest::from_value(&v).unwrap_err().to_string(),
        "zzzzzzzz is not a known parameter of a Danal billing-key request"
    );
    let long_key = "k".repeat(5000);
    let v = Value::object([(long_key.as_str(), Value::Null)]);
    let e = BillingKeyRequest::from_value(&v).unwrap_err();
    assert!(e.field().is_some_and(|f| f.chars().count() <= 65));
}

#[test]
fn lengths_count_code_points() {
    let forty = "가".repeat(40);
    let ok = Value::object([
        ("customer_uid", Value::from("c")),
        ("amount", Value::from(0u64)),
        ("buyer_tel", Value::from("010")),
        ("name", Value::from(forty.as_str())),
        ("buyer_name", Value::from("😀".repeat(16))),
        ("merchant_uid", Value::from(forty.as_str())),
    ]);
    assert!(BillingKeyRequest::from_value(&ok).is_ok());
    let over = Value::object([
        ("customer_uid", Value::from("c")),
        ("amount", Value::from(0u64)),
        ("buyer_tel", Value::from("010")),
        ("name", Value::from("가".repeat(41))),
    ]);
    assert_eq!(BillingKeyRequest::from_value(&over).unwrap_err().to_string(), "name must be at most 40 characters (got 41)");
}

#[test]
fn builder_and_amount() {
    let req = BillingKeyRequest::builder()
        .customer_uid("c")
        .amount(1004)
        .buyer_tel("010")
        .merchant_uid("m")
        .card_quota(&[0, 3])
        .period("20260101", "20261231")
        .notice_urls(["https://a.kr/h"])
        .build()
        .unwrap();
    assert_eq!(
        json::to_string(&req.to_imp_value("m")),
        r#"{"pg":"danal_tpay","pay_method":"card","merchant_uid":"m","amount":1004,"customer_uid":"c","buyer_tel":"010","notice_url":["https://a.kr/h"],"period":{"from":"20260101","to":"20261231"},"display":{"card_quota":[0,3]}}"#
    );
    // Setters replace; the first invalid field (table order) is reported.
    let e = BillingKeyRequest::builder().customer_uid("a/b").amount(1 << 60).build().unwrap_err();
    assert_eq!(e.field(), Some("customer_uid"));
    assert_eq!(Amount::try_from(f64::NAN).unwrap_err().field(), Some("amount"));
    assert_eq!(Amount::try_from(-0.0f64), Ok(Amount::ZERO));
    assert!(Amount::try_from(9007199254740991.0f64).is_ok());
}

#[test]
fn options() {
    for (text, field) in [
        ("null", None),
        (r#"{}"#, None),
        (r#"{"timeoutMs":1}"#, None),
        (r#"{"timeoutMs":2147483647}"#, None),
        (r#"{"timeoutMs":null}"#, None),
        (r#"{"timeoutMs":0}"#, Some("timeoutMs")),
        (r#"{"timeoutMs":2147483648}"#, None),
        (r#"{"timeoutMs":9007199254740992}"#, Some("timeoutMs")),
        (r#"{"timeoutMs":"5"}"#, Some("timeoutMs")),
        (r#"{"timeoutMS":5}"#, Some("timeoutMS")),
        (r#"[]"#, Some("options")),
    ] {
        let v = json::parse(text).unwrap();
        assert_eq!(RequestOptions::from_value(&v).err().and_then(|e| e.field().map(str::to_owned)).as_deref(), field, "{text}");
    }
    for (text, field) in [
        (r#"{"src":"./sandbox/iamport-sandbox.js","merchantCode":"imp00000000","timeoutMs":500}"#, None),
        (r#"{"merchantCode":null,"src":""}"#, None),
        (r#"{"merchantCode":""}"#, Some("merchantCode")),
        (r#"{"merchantCode":"imp1234567"}"#, Some("merchantCode")),
        (r#"{"merchantCode":"imp123456789"}"#, Some("merchantCode")),
        (r#"{"merchantCode":"imp1234567a"}"#, Some("merchantCode")),
        (r#"{"merchantCode":12345678}"#, Some("merchantCode")),
        (r#"{"src":"a b.js"}"#, Some("src")),
        (r#"{"timeoutMs":-5}"#, Some("timeoutMs")),
        (r#"{"merchant_code":"imp12345678"}"#, Some("merchant_code")),
    ] {
        let v = json::parse(text).unwrap();
        assert_eq!(LoadOptions::from_value(&v).err().and_then(|e| e.field().map(str::to_owned)).as_deref(), field, "{text}");
    }
    // An empty src or timeoutMs (an empty form field) is the default, not an empty script URL.
    assert_eq!(LoadOptions::from_value(&json::parse(r#"{"src":"","timeoutMs":""}"#).unwrap()), Ok(LoadOptions::default()));
}

/// Where `loadIamport` may load a script from: `https:`, `http:` of this computer (a local
/// sandbox), or a path on the page's own origin; everything else is refused naming `src`.
#[test]
fn script_sources_table() {
    const RULE: &str = "src must be an https: URL, an http: URL of localhost, or a path on the page's own origin";
    for ok in [
        "https://cdn.iamport.kr/v1/iamport.js",
        "HTTPS://cdn.iamport.kr/v1/iamport.js",
        "https://[2001:db8::1]:8443/iamport.js",
        "http://localhost:8080/sandbox/iamport-sandbox.js",
        "http://127.0.0.1:3000/x.js",
        "http://[::1]:8080/x.js",
        "/sandbox/iamport-sandbox.js",
        "./iamport.js",
        "../sdk/iamport.js",
        "iamport.js",
        "sdk/iamport.js?v=1",
        "/x.js#a:b",
        "./a:b.js",
        "?v=2",
    ] {
        let v = Value::object([("src", Value::from(ok))]);
        let o = LoadOptions::from_value(&v).unwrap_or_else(|e| panic!("{ok}: {e}"));
        assert_eq!(o.src, ok);
    }
    for src in [
        "data:text/javascript,window.IMP={}",
        "DATA:text/javascript,x",
        "blob:https://shop.example/0b3c",
        "javascript:alert(1)",
        "file:///etc/iamport.js",
        "ftp://shop.example/iamport.js",
        "ws://127.0.0.1/x",
        "view-source:https://x.example/",
        "a:b.js",
        "http:localhost/x.js",
        "http://cdn.iamport.kr/v1/iamport.js",
        "http://127.0.0.1.evil.example/x.js",
        "http://localhost.evil.example/x.js",
        "http://127.0.0.2/x.js",
        "http://user@127.0.0.1/x.js",
        "http://LOCALHOST/x.js",
        "http://[::2]/x.js",
        "//cdn.iamport.kr/v1/iamport.js",
        "\\\\evil.example/x.js",
        "/\\evil.example/x.js",
    ] {
        let v = Value::object([("src", Value::from(src))]);
        let e = LoadOptions::from_value(&v).expect_err(src);
        assert_eq!((e.field(), e.to_string().as_str()), (Some("src"), RULE), "{src}");
    }
    for bad in ["http://[", "https://", "https://@x/iamport.js", "https:/x.example/iamport.js", "http://localhost:8x/"] {
        let e = LoadOptions::from_value(&Value::object([("src", Value::from(bad))])).expect_err(bad);
        assert_eq!((e.field(), e.to_string().as_str()), (Some("src"), RULE), "{bad}");
    }
}

fn ctx() -> RequestContext {
    RequestContext { merchant_uid: "m-req".into(), customer_uid: "c-req".into(), amount: Amount::new(1004).unwrap() }
}

#[test]
fn success_rule_table() {
    for (text, success) in [
        (r#"{"imp_uid":"imps_1"}"#, true),
        (r#"{"imp_uid":"imps_1","success":true}"#, true),
        (r#"{"imp_uid":"imps_1","imp_success":"true"}"#, true),
        (r#"{"imp_uid":"imps_1","error_code":""}"#, true),
        (r#"{"imp_uid":"imps_1","error_code":null}"#, true),
        (r#"{"imp_uid":"imps_1","success":"false"}"#, false),
        (r#"{"imp_uid":"imps_1","success":false}"#, false),
        (r#"{"imp_uid":"imps_1","imp_success":false}"#, false),
        (r#"{"imp_uid":"imps_1","error_code":"F1"}"#, false),
        (r#"{"imp_uid":"","imp_success":"true"}"#, false),
        (r#"{"imp_uid":5,"success":true}"#, false),
        (r#"{"success":true}"#, false),
        (r#"{}"#, false),
    ] {
        let r = decode_response(json::parse(text).unwrap(), &ctx());
        assert_eq!(r.is_success(), success, "{text}");
    }
}

#[test]
fn results_are_decoded_defensively() {
    let raw = json::parse(
        r#"{"imp_uid":"imps_1","paid_amount":"1004","status":"weird","paid_at":1.5,"card_quota":3,"card_name":7,"custom_data":{"a":1}}"#,
    )
    .unwrap();
    let BillingKeyResult::Success(ok) = decode_response(raw.clone(), &ctx()) else { panic!("success expected") };
    assert_eq!(ok.merchant_uid, "m-req", "falls back to the request");
    assert_eq!(ok.customer_uid, "c-req");
    assert_eq!(ok.paid_amount, None, "ill-typed fields are left out");
    assert_eq!(ok.status, None);
    assert_eq!(ok.paid_at, None);
    assert_eq!(ok.card_quota, Some(3));
    assert_eq!(ok.card_name, None);
    assert_eq!(ok.custom_data, Some(json::parse(r#"{"a":1}"#).unwrap()));
    assert_eq!(ok.raw, raw);
    // custom_data that is null, or holds what JSON cannot carry, is left out of the typed field.
    for data in [r#"null"#, r#"{"x":{"\u0000iamport-billing":"bigint"}}"#] {
        let raw = json::parse(&format!(r#"{{"imp_uid":"imps_1","custom_data":{data}}}"#)).unwrap();
        let BillingKeyResult::Success(ok) = decode_response(raw, &ctx()) else { panic!("success expected") };
        assert_eq!(ok.custom_data, None, "{data}");
    }

    let BillingKeyResult::Failure(no) = decode_response(json::parse(r#"{"merchant_uid":"m-resp"}"#).unwrap(), &ctx()) else {
        panic!("failure expected")
    };
    assert_eq!(no.merchant_uid, "m-resp");
    assert_eq!(no.error_code, None);
    assert!(!no.error_msg.is_empty());
    for malformed in [Value::Null, Value::from("x"), Value::Array(vec![]), Value::Bool(true)] {
        let BillingKeyResult::Failure(no) = decode_response(malformed, &ctx()) else { panic!("failure expected") };
        assert_eq!(no.error_code.as_deref(), Some("MALFORMED_RESPONSE"));
        assert_eq!((no.merchant_uid.as_str(), no.amount.get()), ("m-req", 1004));
    }
}

#[test]
fn long_timeouts_are_capped_not_rejected() {
    let v = json::parse(r#"{"timeoutMs":9007199254740991}"#).unwrap();
    assert_eq!(RequestOptions::from_value(&v).unwrap().timeout_ms, Some(iamport_billing::internals::MAX_TIMEOUT_MS));
    let v = json::parse(r#"{"timeoutMs":4294967296}"#).unwrap();
    assert_eq!(LoadOptions::from_value(&v).unwrap().timeout_ms, iamport_billing::internals::MAX_TIMEOUT_MS);
}

fn message_of(extra: &str) -> String {
    BillingKeyRequest::from_value(&params(extra)).map(|_| String::from("valid")).unwrap_or_else(|e| e.to_string())
}

#[test]
fn a_bracketed_host_must_be_an_ipv6_address() {
    for ok in ["https://[::1]/", "https://[2001:db8::1]:8443/done", "http://[::ffff:127.0.0.1]/x", "https://user@[::1]/"] {
        assert_eq!(message_of(&format!(r#""m_redirect_url":"{ok}""#)), "valid", "{ok}");
    }
    for bad in ["https://[zz]/", "https://[]/", "https://[::1/", "https://[::1]x/", "https://[::1]:80a/", "https://a[b]/"] {
        assert_eq!(
            message_of(&format!(r#""m_redirect_url":"{bad}""#)),
            "m_redirect_url must be an absolute http(s) URL, like https://shop.example/path",
            "{bad}"
        );
    }
}

#[test]
fn type_names_and_the_number_hint_in_messages() {
    for (value, got) in [
        ("null", "valid"), // absent
        ("true", "amount must be a number (got a boolean)"),
        (r#""""#, "amount must be a number (got a string)"),
        (r#""12a""#, "amount must be a number (got a string)"),
        (r#""123456789012345678901""#, "amount must be a number (got a string)"), // over 20 digits: no hint
        (r#""12345678901234567890""#, "amount must be a number (got a string): write 12345678901234567890, not '12345678901234567890'"),
        ("[0]", "amount must be a number (got an array)"),
        ("{}", "amount must be a number (got an object)"),
        ("1.5", "amount must be a whole number of KRW from 0 to 9007199254740991"),
    ] {
        let text = format!(r#"{{"customer_uid":"c","buyer_tel":"010","amount":{value}}}"#);
        let got_message = BillingKeyRequest::from_value(&json::parse(&text).unwrap()).map(|_| String::from("valid")).unwrap_or_else(|e| e.to_string());
        if value == "null" {
            assert_eq!(got_message, "amount is required");
        } else {
            assert_eq!(got_message, got, "{value}");
        }
    }
    assert_eq!(message_of(r#""popup":"yes""#), "popup must be a boolean (got a string)");
    assert_eq!(message_of(r#""notice_url":5"#), "notice_url must be a string or an array of strings (got a number)");
    assert_eq!(message_of(r#""card":[1]"#), "card must be an object (got an array)");
}

#[test]
fn unknown_options_list_the_known_ones() {
    let e = RequestOptions::from_value(&json::parse(r#"{"timeout":5}"#).unwrap()).unwrap_err();
    assert_eq!(e.to_string(), "timeout is not a known parameter; did you mean timeoutMs?");
    let e = RequestOptions::from_value(&json::parse(r#"{"zzzzzz":5}"#).unwrap()).unwrap_err();
    assert_eq!(e.to_string(), "zzzzzz is not a known parameter (options are: timeoutMs)");
    let e = LoadOptions::from_value(&json::parse(r#"{"zzzzzz":5}"#).unwrap()).unwrap_err();
    assert_eq!(e.to_string(), "zzzzzz is not a known parameter (options are: src, merchantCode, timeoutMs)");
}

#[test]
fn keys_that_look_like_server_secrets_are_refused_as_such() {
    for key in ["imp_key", "IMP-SECRET", "impSecret", "api_key", "apiSecret", "secret", "access_token", "rest_api_key", "REST-API-SECRET", "secret_key"] {
        let e = BillingKeyRequest::from_value(&params(&format!(r#""{key}":"x""#))).unwrap_err();
        assert_eq!(e.field(), Some(key));
        assert!(e.to_string().starts_with(&format!("{key} looks like a server secret")), "{key}: {e}");
    }
    // Not a secret: an ordinary unknown key, with a suggestion when one is close.
    assert_eq!(message_of(r#""secrets_of_the_trade":"x""#), "secrets_of_the_trade is not a known parameter of a Danal billing-key request");
    assert_eq!(message_of(r#""custmer_uid":"x""#), "custmer_uid is not a known parameter; did you mean customer_uid?");
}

#[test]
fn merchant_uid_prefixes_are_1_to_20_of_letters_digits_underscore_and_hyphen() {
    use iamport_billing::internals::check_merchant_uid_prefix;
    for ok in ["a", "order_2026", "order-2026", "_", "-", "ABCDEFGHIJ0123456789"] {
        assert!(check_merchant_uid_prefix(ok).is_ok(), "{ok}");
    }
    for bad in ["", "ABCDEFGHIJ01234567890", "a b", "주문", "a.b", "a/b"] {
        assert_eq!(check_merchant_uid_prefix(bad).unwrap_err().field(), Some("prefix"), "{bad}");
    }
}

#[test]
fn merchant_codes_are_imp_and_8_digits() {
    assert_eq!(LoadOptions::with_merchant_code("imp12345678").unwrap().merchant_code.as_deref(), Some("imp12345678"));
    for bad in ["IMP12345678", "imp1234567", "imp123456789", "imp1234567a", "xmp12345678", ""] {
        assert_eq!(LoadOptions::with_merchant_code(bad).unwrap_err().field(), Some("merchantCode"), "{bad}");
    }
}

#[test]
fn amounts_convert_both_ways_within_the_safe_range() {
    let max = (1u64 << 53) - 1;
    assert_eq!(Amount::try_from(1004u64).map(u64::from), Ok(1004));
    assert_eq!(Amount::try_from(max).map(u64::from), Ok(max));
    assert_eq!(Amount::try_from(max + 1).unwrap_err().field(), Some("amount"));
    assert_eq!(u64::from(Amount::ZERO), 0);
    assert!(Amount::ZERO.is_key_only());
    assert!(!Amount::try_from(1u64).unwrap().is_key_only());
    // From a JavaScript number: finite whole numbers in the safe range only.
    assert_eq!(Amount::try_from(1004.0).map(u64::from), Ok(1004));
    assert_eq!(Amount::try_from(-0.0).map(u64::from), Ok(0));
    assert_eq!(Amount::try_from(max as f64).map(u64::from), Ok(max));
    for bad in [-1.0, 1.5, (max + 1) as f64, 1e300, f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        assert_eq!(Amount::try_from(bad).unwrap_err().field(), Some("amount"), "{bad}");
    }
}

#[test]
fn a_success_has_its_imp_uid_and_a_failure_may_not() {
    let ok = decode_response(json::parse(r#"{"imp_uid":"imps_9","merchant_uid":"m1"}"#).unwrap(), &ctx());
    assert!(ok.is_success());
    assert_eq!(ok.imp_uid(), Some("imps_9"));
    let no = decode_response(json::parse(r#"{"success":false,"merchant_uid":"m1"}"#).unwrap(), &ctx());
    assert_eq!(no.imp_uid(), None);
    let declined = decode_response(json::parse(r#"{"success":false,"imp_uid":"imps_8"}"#).unwrap(), &ctx());
    assert_eq!(declined.imp_uid(), Some("imps_8"));
}

#[test]
fn merchant_uids_are_prefix_base36_time_and_hex_randomness() {
    use iamport_billing::internals::format_merchant_uid;
    assert_eq!(format_merchant_uid("billing", 1_800_000_000_000, [0, 1, 2, 0xab, 0xff]).unwrap(), "billing_mywpiww0000102abff");
    assert_eq!(format_merchant_uid("o", 0, [0; 5]).unwrap(), "o_00000000000");
    assert_eq!(format_merchant_uid("o", 35, [0xff; 5]).unwrap(), "o_zffffffffff");
    assert_eq!(format_merchant_uid("o", 36, [0x10; 5]).unwrap(), "o_101010101010");
    // After 2059 the newest 9 base-36 digits are kept, so the id stays within 40 characters.
    let late = format_merchant_uid("abcdefghij0123456789", u64::MAX, [0; 5]).unwrap();
    assert_eq!(late.len(), 40, "{late}");
}

#[test]
fn a_timeout_from_rust_is_kept_or_refused() {
    assert_eq!(RequestOptions::with_timeout_ms(5000).unwrap().timeout_ms, Some(5000));
    assert_eq!(RequestOptions::with_timeout_ms(0).unwrap_err().field(), Some("timeoutMs"));
}

#[test]
fn the_closest_known_field_is_suggested_and_the_first_of_equals_wins() {
    // customer_uid (distance 2) comes first in the list, customer_id (distance 1) wins.
    assert_eq!(message_of(r#""customer_i":"x""#), "customer_i is not a known parameter; did you mean customer_id?");
    // buyer_tel and buyer_addr are both 2 away: the first in the list wins.
    assert_eq!(message_of(r#""buyer_adl":"x""#), "buyer_adl is not a known parameter; did you mean buyer_tel?");
    // An empty key suggests nothing (pg is 2 edits from it).
    assert_eq!(message_of(r#""":"x""#), r#""" is not a known parameter of a Danal billing-key request"#);
    // Inside an object field the message names the path and adds nothing.
    assert_eq!(message_of(r#""period":{"from":"20260101","to":"20260102","zzzz":1}"#), "period.zzzz is not a known parameter");
    assert_eq!(message_of(r#""display":{"card_quot":[0]}"#), "display.card_quot is not a known parameter; did you mean card_quota?");
}

#[test]
fn error_codes_are_stable_strings() {
    use iamport_billing::Error;
    let timeout = Error::Timeout { merchant_uid: "m1".into(), customer_uid: "c1".into(), timeout_ms: 5 };
    let sdk = Error::SdkError { merchant_uid: "m2".into(), customer_uid: "c2".into(), message: "x".into() };
    for (code, text) in [
        (ErrorCode::InvalidParam, "INVALID_PARAM"),
        (ErrorCode::ImpNotLoaded, "IMP_NOT_LOADED"),
        (ErrorCode::SdkLoadFailed, "SDK_LOAD_FAILED"),
        (ErrorCode::InProgress, "IN_PROGRESS"),
        (ErrorCode::Timeout, "TIMEOUT"),
        (ErrorCode::SdkError, "SDK_ERROR"),
        (ErrorCode::NotReady, "NOT_READY"),
        (ErrorCode::WasmLoadFailed, "WASM_LOAD_FAILED"),
    ] {
        assert_eq!(code.as_str(), text);
        assert_eq!(code.to_string(), text);
    }
    assert_eq!((timeout.code(), timeout.request_ids()), (ErrorCode::Timeout, Some(("m1", "c1"))));
    assert_eq!((sdk.code(), sdk.request_ids()), (ErrorCode::SdkError, Some(("m2", "c2"))));
    assert_eq!(Error::ImpNotLoaded.request_ids(), None);
}

#[test]
fn a_request_keeps_what_it_was_given() {
    let req = BillingKeyRequest::builder()
        .customer_uid("c1")
        .amount(1004)
        .buyer_tel("010")
        .m_redirect_url("https://shop.example/done")
        .custom_data(Value::object([("plan", Value::from("monthly"))]))
        .popup(true)
        .tax_free(4)
        .card(Value::object([("direct", Value::object([("code", Value::from("361"))]))]))
        .bypass(Value::object([("danal_tpay", Value::Object(Vec::new()))]))
        .build()
        .unwrap();
    assert_eq!((req.customer_uid(), req.amount().get(), req.merchant_uid()), ("c1", 1004, None));
    assert_eq!(req.m_redirect_url(), Some("https://shop.example/done"));
    assert_eq!(
        json::to_string(&req.to_imp_value("m")),
        r#"{"pg":"danal_tpay","pay_method":"card","merchant_uid":"m","amount":1004,"customer_uid":"c1","buyer_tel":"010","m_redirect_url":"https://shop.example/done","custom_data":{"plan":"monthly"},"popup":true,"tax_free":4,"card":{"direct":{"code":"361"}},"bypass":{"danal_tpay":{}}}"#
    );
}

#[test]
fn the_result_accessors_read_either_outcome() {
    let ok = decode_response(json::parse(r#"{"imp_uid":"imps_9","merchant_uid":"m9"}"#).unwrap(), &ctx());
    let no = decode_response(json::parse(r#"{"success":false}"#).unwrap(), &ctx());
    assert_eq!((ok.merchant_uid(), ok.customer_uid(), ok.imp_uid()), ("m9", "c-req", Some("imps_9")));
    assert_eq!((no.merchant_uid(), no.customer_uid(), no.imp_uid()), ("m-req", "c-req", None));
    assert_eq!(json::to_string(ok.raw()), r#"{"imp_uid":"imps_9","merchant_uid":"m9"}"#);
    assert_eq!(json::to_string(no.raw()), r#"{"success":false}"#);
}

#[test]
fn field_rules_refuse_their_edge_cases() {
    let valid = "valid";
    for (extra, want) in [
        (r#""language":"ko""#, valid),
        (r#""language":"jp""#, "language must be 'ko', 'en' or 'zh'"),
        (r#""pg":"danal_tpay.A-1_b""#, valid),
        (r#""pg":"danal_tpay.""#, "pg must be 'danal_tpay' or 'danal_tpay.<CPID>' (this library issues Danal credit-card billing keys)"),
        (r#""pg":"danal_tpay.a b""#, "pg must be 'danal_tpay' or 'danal_tpay.<CPID>' (this library issues Danal credit-card billing keys)"),
        (r#""pg":"danal""#, "pg must be 'danal_tpay' or 'danal_tpay.<CPID>' (this library issues Danal credit-card billing keys)"),
        (r#""buyer_email":"a@b.kr""#, valid),
        (r#""buyer_email":"a@b@c""#, "buyer_email must look like name@example.com (one @, no spaces)"),
        (r#""buyer_email":"@b.kr""#, "buyer_email must look like name@example.com (one @, no spaces)"),
        (r#""buyer_email":"a@""#, "buyer_email must look like name@example.com (one @, no spaces)"),
        (r#""buyer_email":"a b@c.kr""#, "buyer_email must look like name@example.com (one @, no spaces)"),
        (r#""buyer_email":"ab.kr""#, "buyer_email must look like name@example.com (one @, no spaces)"),
        (r#""notice_url":"""#, valid),
        (r#""notice_url":"nope""#, "notice_url must be an absolute http(s) URL, like https://shop.example/path"),
        // BASE's amount is 0: a tax_free equal to it passes, one more is refused.
        (r#""tax_free":0"#, valid),
        (r#""tax_free":1"#, "tax_free must not be more than amount"),
    ] {
        assert_eq!(message_of(extra), want, "{extra}");
    }
    for (tel, ok) in [("010-1234-5678", true), ("+82 (10) 1234", true), ("---", false), ("010.1234", false), ("O1O", false)] {
        let text = format!(r#"{{"customer_uid":"c","amount":0,"buyer_tel":"{tel}"}}"#);
        let result = BillingKeyRequest::from_value(&json::parse(&text).unwrap());
        assert_eq!(result.is_ok(), ok, "{tel}");
        if !ok {
            assert_eq!(result.unwrap_err().to_string(), "buyer_tel must be a phone number: digits, spaces and + - ( ) only");
        }
    }
}

/// A value that could not be read (the glue marks it where it is: a cycle, a getter or a Proxy
/// trap that threw, a revoked Proxy; its messages add which) is reported at its own path,
/// whatever the field expects.
#[test]
fn unreadable_values_are_reported_at_their_own_path() {
    let mark = |kind: &str| format!(r#"{{"\u0000iamport-billing":"{kind}"}}"#);
    {
        let m = mark("unreadable");
        for (extra, field) in [
            (format!(r#""custom_data":{{"ok":1,"self":{m}}}"#), "custom_data.self"),
            (format!(r#""custom_data":{m}"#), "custom_data"),
            (format!(r#""custom_data":[1,{{"a":[{m}]}}]"#), "custom_data[1].a[0]"),
            (format!(r#""card":{{"nested":{{"x":{m}}}}}"#), "card.nested.x"),
            (format!(r#""card":{m}"#), "card"),
            (format!(r#""bypass":{{"danal":{m}}}"#), "bypass.danal"),
            (format!(r#""period":{{"from":{m},"to":"20260101"}}"#), "period.from"),
            (format!(r#""period":{m}"#), "period"),
            (format!(r#""display":{{"card_quota":[0,{m}]}}"#), "display.card_quota[1]"),
            (format!(r#""display":{{"card_quota":{m}}}"#), "display.card_quota"),
            (format!(r#""display":{m}"#), "display"),
            (format!(r#""amount":{m},"customer_uid":"c2""#), "amount"),
            (format!(r#""buyer_name":{m}"#), "buyer_name"),
            (format!(r#""notice_url":["https://a.example/",{m}]"#), "notice_url[1]"),
        ] {
            let text = format!(r#"{{"customer_uid":"c","amount":0,"buyer_tel":"010",{extra}}}"#);
            let v = json::parse(&text).unwrap();
            let e = BillingKeyRequest::from_value(&v).expect_err(&text);
            assert_eq!((e.field(), e.to_string()), (Some(field), format!("{field} could not be read")), "{text}");
        }
        let params = json::parse(&m).unwrap();
        let e = BillingKeyRequest::from_value(&params).unwrap_err();
        assert_eq!((e.field(), e.to_string().as_str()), (Some("params"), "params could not be read"));

        for (text, field) in [(format!(r#"{{"timeoutMs":{m}}}"#), "timeoutMs"), (m.clone(), "options")] {
            let v = json::parse(&text).unwrap();
            let e = RequestOptions::from_value(&v).expect_err(&text);
            assert_eq!((e.field(), e.to_string()), (Some(field), format!("{field} could not be read")), "{text}");
        }
        for (text, field) in [
            (format!(r#"{{"src":{m}}}"#), "src"),
            (format!(r#"{{"merchantCode":{m}}}"#), "merchantCode"),
            (format!(r#"{{"timeoutMs":{m}}}"#), "timeoutMs"),
            (m.clone(), "options"),
        ] {
            let v = json::parse(&text).unwrap();
            let e = LoadOptions::from_value(&v).expect_err(&text);
            assert_eq!((e.field(), e.to_string()), (Some(field), format!("{field} could not be read")), "{text}");
        }
    }
    // A BigInt stays "must be JSON data" at its own path, as before.
    let v = json::parse(&format!(r#"{{"customer_uid":"c","amount":0,"buyer_tel":"010","custom_data":{{"big":{}}}}}"#, mark("bigint"))).unwrap();
    let e = BillingKeyRequest::from_value(&v).unwrap_err();
    assert_eq!((e.field(), e.to_string().as_str()), (Some("custom_data.big"), "custom_data.big must be JSON data (got a BigInt)"));
}
