//! Native tests of the one field table's reader as the server's requests use it
//! (`iamport_billing::fields::read`, `check_one`): the kinds only the server has (unix seconds,
//! RFC 3339 date-times, months, milliseconds, entries), one-or-many fields, what is kept and in
//! which order, and the constants that follow the table. The server crate's tests check the same
//! through its client; these hold the core's own reader (and `make mutants-core` runs them).
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)] // tests may panic

use iamport_billing::fields::{check_one, read, Read, Request, DANAL_CARD, SCHEDULE_AT_MAX};
use iamport_billing::internals::json;
use iamport_billing::rules::{CARD_QUOTA_MAX, CUSTOMER_UID_MAX, MERCHANT_UID_MAX};
use iamport_billing::{ErrorCode, Value};

fn value(text: &str) -> Value {
    json::parse(text).unwrap_or_else(|_| panic!("test JSON: {text}"))
}

fn ok(request: Request, text: &str) -> Read<'static> {
    read(&DANAL_CARD, request, &value(text), "").unwrap_or_else(|e| panic!("{text}: {}", e.message()))
}

/// The refusal's field and message.
fn refused(request: Request, text: &str) -> (String, String) {
    let e = read(&DANAL_CARD, request, &value(text), "").err().unwrap_or_else(|| panic!("{text} was accepted"));
    assert_eq!(e.code(), ErrorCode::InvalidParam, "{text}");
    (e.field().unwrap_or_default().to_owned(), e.message())
}

#[test]
fn requests_have_their_names_in_the_docs() {
    let names: Vec<&str> = Request::ALL.iter().map(|r| r.name()).collect();
    assert_eq!(
        names,
        [
            "request_pay",
            "charge",
            "schedule",
            "schedule entry",
            "unschedule",
            "confirm",
            "cancel",
            "client config",
            "list schedules",
            "list payments",
            "reschedule",
            "billing keys",
            "check setup"
        ]
    );
}

#[test]
fn the_exported_limits_are_the_tables() {
    let max = |request, name| DANAL_CARD.field(request, name).and_then(|f| f.max());
    assert_eq!(max(Request::Charge, "card_quota"), Some(36));
    assert_eq!(max(Request::Config, "timeout_ms"), Some(600_000));
    assert_eq!(max(Request::Charge, "customer_uid"), Some(80));
    assert_eq!(max(Request::Charge, "amount"), None);
    assert_eq!(CARD_QUOTA_MAX, 36);
    assert_eq!(CUSTOMER_UID_MAX, 80);
    assert_eq!(MERCHANT_UID_MAX, 40);
}

#[test]
fn fields_are_kept_in_table_order_normalised() {
    let r = ok(Request::Charge, r#"{"name":"n","merchant_uid":"m","amount":1000.0,"customer_uid":"c","card_quota":3}"#);
    let names: Vec<&str> = r.fields().iter().map(|(k, _)| *k).collect();
    assert_eq!(names, ["customer_uid", "amount", "merchant_uid", "name", "card_quota"]);
    assert_eq!(r.u64("amount"), Some(1000));
    assert_eq!(r.str("name"), Some("n"));
    assert_eq!(r.u64("card_quota"), Some(3));
    // The text fields of a request that moves money are checked as the window's are.
    let (field, _) = refused(Request::Charge, r#"{"customer_uid":"c","amount":1000,"merchant_uid":"m","name":"n","buyer_tel":"01012345678901234"}"#);
    assert_eq!(field, "buyer_tel");
}

#[test]
fn one_or_many_fields_take_one_value_or_a_non_empty_array() {
    let one = ok(Request::BillingKeys, r#"{"customer_uid":"c1"}"#);
    assert_eq!(one.strs("customer_uid"), ["c1"]);
    let many = ok(Request::BillingKeys, r#"{"customer_uid":["c1","c2"]}"#);
    assert_eq!(many.strs("customer_uid"), ["c1", "c2"]);
    assert!(ok(Request::Unschedule, r#"{"customer_uid":"c"}"#).strs("merchant_uid").is_empty());
    let (field, message) = refused(Request::BillingKeys, r#"{"customer_uid":[]}"#);
    assert_eq!((field.as_str(), message.as_str()), ("customer_uid", "customer_uid must be a value or a non-empty array of values"));
    let (field, _) = refused(Request::BillingKeys, r#"{"customer_uid":["c1","a/b"]}"#);
    assert_eq!(field, "customer_uid[1]");
    let (field, message) = refused(Request::BillingKeys, r#"{"customer_uid":7}"#);
    assert_eq!(field, "customer_uid");
    assert!(message.contains("string or an array of strings"), "{message}");
}

#[test]
fn timeouts_are_whole_milliseconds_within_the_limit() {
    let config = |ms: &str| format!(r#"{{"imp_key":"k","imp_secret":"s","timeout_ms":{ms}}}"#);
    for ms in ["1", "600000", "1500.0"] {
        assert!(ok(Request::Config, &config(ms)).u64("timeout_ms").is_some(), "{ms}");
    }
    for ms in ["0", "600001", "1.5"] {
        let (field, message) = refused(Request::Config, &config(ms));
        assert_eq!((field.as_str(), message.as_str()), ("timeout_ms", "timeout_ms must be a whole number of milliseconds from 1 to 600000"), "{ms}");
    }
    let (field, message) = refused(Request::Config, &config(r#""5000""#));
    assert_eq!(field, "timeout_ms");
    assert!(message.contains("number of milliseconds") && message.contains("string"), "{message}");
}

#[test]
fn months_are_whole_numbers_up_to_the_limit() {
    let charge = |m: &str| format!(r#"{{"customer_uid":"c","amount":1000,"merchant_uid":"m","name":"n","card_quota":{m}}}"#);
    assert_eq!(ok(Request::Charge, &charge("0")).u64("card_quota"), Some(0));
    assert_eq!(ok(Request::Charge, &charge("36")).u64("card_quota"), Some(36));
    for m in ["37", "-1", "2.5"] {
        let (field, message) = refused(Request::Charge, &charge(m));
        assert_eq!((field.as_str(), message.as_str()), ("card_quota", "card_quota must be a whole number of months from 0 to 36"), "{m}");
    }
}

/// `schedule_at` as unix seconds or an RFC 3339 date-time, as the reschedule request reads it.
fn schedule_at(at: &str) -> Result<u64, (String, String)> {
    let text = format!(r#"{{"merchant_uid":"m","schedule_at":{at}}}"#);
    match read(&DANAL_CARD, Request::Reschedule, &value(&text), "") {
        Ok(r) => Ok(r.u64("schedule_at").expect("kept as unix seconds")),
        Err(e) => Err((e.field().unwrap_or_default().to_owned(), e.message())),
    }
}

#[test]
fn date_times_become_unix_seconds() {
    for (at, secs) in [
        ("1970-01-01T00:00:01Z", 1),
        ("2000-02-29T12:34:56Z", 951_827_696),
        ("2024-02-29T23:59:59z", 1_709_251_199),
        ("2026-01-31 10:00:00Z", 1_769_853_600),
        ("2026-02-28T00:00:00Z", 1_772_236_800),
        ("2026-03-01T00:00:00Z", 1_772_323_200),
        ("2026-10-15T08:30:00Z", 1_792_053_000),
        ("2026-12-03T09:00:00+09:00", 1_796_256_000),
        ("2026-12-03T09:00:00.123-05:30", 1_796_308_200),
        ("2100-03-01T00:00:00Z", 4_107_542_400),
        ("2026-12-03T09:00:00+23:59", 1_796_202_060),
        // A leap second: the next second's count.
        ("2026-12-31T23:59:60Z", 1_798_761_600),
    ] {
        assert_eq!(schedule_at(&format!("{at:?}")), Ok(secs), "{at}");
    }
    for bad in [
        "2026-02-29T00:00:00Z",
        "2026-12-03T24:00:00Z",
        "2026-12-03T09:60:00Z",
        "2026-12-03T09:00:61Z",
        "2026-12-03T09:00:00",
        "2026-12-03T09:00:00+9:00",
        "2026-12-03T09:00:00+24:00",
        "2026-12-03T09:00:00+00:60",
        "2026-12-03T09:00:00Zjunk",
        "2026-12-03T09:00:00+09:00junk",
        "2026-12-03T09:00:00.Z",
        "1969-12-31T23:59:59Z",
        "2026-12-03",
        // Each separator in its place.
        "2026/12-03T09:00:00Z",
        "2026-12/03T09:00:00Z",
        "2026-12-03X09:00:00Z",
        "2026-12-03T09-00:00Z",
        "2026-12-03T09:00-00Z",
        "2026-12-03T09:00:00+09-00",
    ] {
        let (field, message) = schedule_at(&format!("{bad:?}")).expect_err(bad);
        assert_eq!(field, "schedule_at", "{bad}");
        assert!(message.starts_with("schedule_at must be unix seconds or a date like"), "{bad}: {message}");
    }
}

#[test]
fn unix_seconds_stop_where_milliseconds_begin() {
    assert_eq!(schedule_at(&SCHEDULE_AT_MAX.to_string()), Ok(SCHEDULE_AT_MAX));
    assert_eq!(schedule_at("1767225600.0"), Ok(1_767_225_600));
    let (field, message) = schedule_at("1767225600123").expect_err("milliseconds");
    assert_eq!(field, "schedule_at");
    assert_eq!(message, "schedule_at looks like milliseconds (1767225600123): iamport wants unix seconds, like 1767225600");
    let (_, message) = schedule_at(&(SCHEDULE_AT_MAX + 1).to_string()).expect_err("one past");
    assert!(message.contains("looks like milliseconds"), "{message}");
    assert_eq!(schedule_at("0").expect_err("0").1, "schedule_at must be unix seconds after 1970 (got 0)");
    assert!(schedule_at("1.5").expect_err("1.5").1.starts_with("schedule_at must be whole unix seconds"));
    assert!(schedule_at("true").expect_err("a boolean").1.contains("number of unix seconds or a Date"));
}

#[test]
fn check_one_reads_one_value_by_its_own_row() {
    assert!(check_one(&DANAL_CARD, "imp_uid", &Value::from("imps_1")).is_ok());
    // merchant_uid's own limit (40), not the first row's (customer_uid: 80).
    let long = Value::from("m".repeat(41));
    assert_eq!(check_one(&DANAL_CARD, "merchant_uid", &long).map_err(|e| e.field().map(str::to_owned)), Err(Some("merchant_uid".to_owned())));
    assert!(check_one(&DANAL_CARD, "customer_uid", &long).is_ok());
    for absent in [Value::Null, Value::from("")] {
        let e = check_one(&DANAL_CARD, "imp_uid", &absent).expect_err("absent");
        assert_eq!(e.message(), "imp_uid is required");
    }
    let e = check_one(&DANAL_CARD, "imp_uuid", &Value::from("x")).expect_err("not a field");
    assert_eq!(e.message(), "imp_uuid is not a field of the table");
}

#[test]
fn requests_that_move_money_take_at_least_1_krw() {
    let (field, message) = refused(Request::Charge, r#"{"customer_uid":"c","amount":0,"merchant_uid":"m","name":"n"}"#);
    assert_eq!((field.as_str(), message.as_str()), ("amount", "amount must be at least 1 KRW"));
    assert_eq!(ok(Request::Charge, r#"{"customer_uid":"c","amount":1,"merchant_uid":"m","name":"n"}"#).u64("amount"), Some(1));
    let (field, message) = refused(Request::Cancel, r#"{"imp_uid":"i","reason":"r","amount":0}"#);
    assert_eq!((field.as_str(), message.as_str()), ("amount", "amount must be at least 1 KRW (leave it out to cancel what is left)"));
    let (field, _) = refused(Request::Cancel, r#"{"imp_uid":"i","reason":"r","checksum":0}"#);
    assert_eq!(field, "checksum");
    // The window and a confirmation take 0 (0 issues the key only).
    assert_eq!(ok(Request::Confirm, r#"{"customer_uid":"c","amount":0,"imp_uid":"i"}"#).u64("amount"), Some(0));
    assert_eq!(ok(Request::RequestPay, r#"{"customer_uid":"c","amount":0,"buyer_tel":"010"}"#).u64("amount"), Some(0));
    assert_eq!(Request::Charge.min_amount(), 1);
    assert_eq!(Request::ScheduleEntry.min_amount(), 1);
    assert_eq!(Request::Cancel.min_amount(), 1);
    assert_eq!(Request::Confirm.min_amount(), 0);
    assert_eq!(Request::RequestPay.min_amount(), 0);
}

#[test]
fn schedule_entries_are_each_read_at_their_own_path() {
    let entry = |n: u32| format!(r#"{{"merchant_uid":"m_{n}","schedule_at":1800000000,"amount":1000,"name":"n"}}"#);
    let r = ok(Request::Schedule, &format!(r#"{{"customer_uid":"c","schedules":[{},{}]}}"#, entry(1), entry(2)));
    let entries = r.entries("schedules");
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[1].str("merchant_uid"), Some("m_2"));
    assert_eq!(entries[0].u64("schedule_at"), Some(1_800_000_000));
    assert!(r.entries("other").is_empty());
    assert!(r.fields().iter().all(|(k, _)| *k != "schedules"), "entries are kept apart from the fields");
    let bad = format!(r#"{{"customer_uid":"c","schedules":[{},{{"merchant_uid":"m","schedule_at":1800000000,"amount":1000,"name":"n","buyer_tel":"x"}}]}}"#, entry(1));
    assert_eq!(refused(Request::Schedule, &bad).0, "schedules[1].buyer_tel");
    let (field, message) = refused(Request::Schedule, r#"{"customer_uid":"c","schedules":[]}"#);
    assert_eq!((field.as_str(), message.as_str()), ("schedules", "schedules must hold at least one entry"));
    let (field, message) = refused(Request::Schedule, r#"{"customer_uid":"c","schedules":{}}"#);
    assert_eq!(field, "schedules");
    assert!(message.contains("array"), "{message}");
    let (field, _) = refused(Request::Schedule, &format!(r#"{{"customer_uid":"c","schedules":[{}]}}"#, entry(1).replace("1000", "0")));
    assert_eq!(field, "schedules[0].amount");
}

/// The id rules the server checks one value at a time with (`rules::check_customer_uid`, …).
#[test]
fn id_rules_name_their_field() {
    use iamport_billing::rules::{check_customer_uid, check_merchant_uid, check_text, looks_like_secret};
    let message = |r: Result<(), iamport_billing::Error>| r.map_err(|e| (e.field().unwrap_or_default().to_owned(), e.message()));
    assert_eq!(message(check_customer_uid("uid", "user_1_card")), Ok(()));
    assert_eq!(message(check_customer_uid("uid", &"c".repeat(80))), Ok(()));
    assert_eq!(message(check_customer_uid("uid", "")), Err(("uid".into(), "uid is required".into())));
    assert_eq!(message(check_customer_uid("uid", &"c".repeat(81))), Err(("uid".into(), "uid must be at most 80 characters (got 81)".into())));
    for bad in ["a/b", "a?b", "a#b", "a%b", "a\\b"] {
        assert_eq!(
            message(check_customer_uid("uid", bad)),
            Err(("uid".into(), "uid must not contain / ? # % or \\ (it becomes a REST API path segment)".into())),
            "{bad}"
        );
    }
    for bad in [" a", "a ", "\u{feff}a"] {
        assert_eq!(message(check_customer_uid("uid", bad)), Err(("uid".into(), "uid must not start or end with whitespace".into())), "{bad:?}");
    }
    assert_eq!(message(check_customer_uid("uid", "a\u{7}")), Err(("uid".into(), "uid must not contain control characters".into())));
    assert_eq!(message(check_merchant_uid("m", &"m".repeat(40))), Ok(()));
    assert_eq!(message(check_merchant_uid("m", "a/b")), Ok(()), "a merchant_uid is not a path segment");
    assert_eq!(message(check_merchant_uid("m", "")), Err(("m".into(), "m is required".into())));
    assert_eq!(message(check_merchant_uid("m", &"m".repeat(41))), Err(("m".into(), "m must be at most 40 characters (got 41)".into())));
    assert_eq!(message(check_text("name", "월 구독", 4)), Ok(()));
    assert_eq!(message(check_text("name", "abc", 2)), Err(("name".into(), "name must be at most 2 characters (got 3)".into())));
    assert!(looks_like_secret("imp_secret") && looks_like_secret("IMP-KEY") && looks_like_secret("accessToken"));
    assert!(!looks_like_secret("customer_uid") && !looks_like_secret("merchant_uid"));
}

#[test]
fn each_limit_says_where_it_is_published() {
    use iamport_billing::fields::Source;
    let source = |name| DANAL_CARD.field(Request::Charge, name).map(|f| f.source.describe());
    assert_eq!(source("buyer_name"), Some("PortOne V1 API, POST /subscribe/payments/again"));
    assert_eq!(source("name"), Some("PortOne V1 API, POST /subscribe/payments/again; PortOne V1 JavaScript SDK, IMP.request_pay"));
    assert_eq!(source("card_quota"), Some("this package"));
    assert_eq!(Source::Package.describe(), "this package");
}

#[test]
fn parts_of_the_amount_stay_within_it() {
    let charge = |extra: &str| format!(r#"{{"customer_uid":"c","amount":1000,"merchant_uid":"m","name":"n","buyer_name":"b"{extra}}}"#);
    assert_eq!(ok(Request::Charge, &charge(r#","tax_free":1000,"vat_amount":90"#)).u64("tax_free"), Some(1000));
    for part in ["tax_free", "vat_amount"] {
        let (field, message) = refused(Request::Charge, &charge(&format!(r#","{part}":1001"#)));
        assert_eq!((field.as_str(), message), (part, format!("{part} must not be more than amount")));
    }
    // The window's amount (0 and more) is held the same way, whatever field follows it.
    let window = r#"{"customer_uid":"c","amount":1000,"buyer_tel":"010","name":"n","tax_free":1001}"#;
    assert_eq!(refused(Request::RequestPay, window).0, "tax_free");
    assert_eq!(ok(Request::RequestPay, &window.replace("1001", "1000")).u64("tax_free"), Some(1000));
}

#[test]
fn a_required_field_left_out_is_named() {
    for (request, text, missing) in [
        (Request::Charge, r#"{"customer_uid":"c","amount":1000,"merchant_uid":"m"}"#, "name"),
        (Request::Charge, r#"{"customer_uid":"c","merchant_uid":"m","name":"n"}"#, "amount"),
        (Request::Cancel, r#"{"imp_uid":"i"}"#, "reason"),
        (Request::Config, r#"{"imp_key":"k","imp_secret":null}"#, "imp_secret"),
        (Request::Reschedule, r#"{"merchant_uid":"m"}"#, "schedule_at"),
    ] {
        let (field, message) = refused(request, text);
        assert_eq!((field.as_str(), message), (missing, format!("{missing} is required")), "{text}");
    }
    let (field, message) = refused(Request::RequestPay, r#"{"customer_uid":"c","amount":0}"#);
    assert_eq!((field.as_str(), message.as_str()), ("buyer_tel", "buyer_tel is required (Danal's payment window can fail without it)"));
}

#[test]
fn an_unknown_key_inside_display_is_named_as_the_window_names_it() {
    let (field, message) = refused(Request::RequestPay, r#"{"customer_uid":"c","amount":0,"buyer_tel":"010","display":{"card_qouta":[0,2]}}"#);
    assert_eq!(field, "display.card_qouta");
    assert_eq!(message, "display.card_qouta is not a known parameter; did you mean card_quota?");
    let (field, message) = refused(Request::RequestPay, r#"{"customer_uid":"c","amount":0,"buyer_tel":"010","display":{"zzz":1}}"#);
    assert_eq!(field, "display.zzz");
    assert_eq!(message, "display.zzz is not a known parameter", "the window names no list of keys");
}
