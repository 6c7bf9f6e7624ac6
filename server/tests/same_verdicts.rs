//! The two halves give the same verdict on the same value: the browser's params
//! (`BillingKeyRequest::from_value`, what `validateParams` runs) and the server client's charge
//! (`ChargeParams::from_json`), for every field they share, at the limit (accepted) and one past it
//! (refused, naming the field); URLs and amounts too; and each value JSON cannot carry, marked as
//! the npm package's JavaScript encoders mark it. Then a second PG profile, added as data, is
//! enforced by both.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)] // tests may panic

use iamport_billing::fields::{Field, Kind, Need, Profile, Request, DANAL_CARD};
use iamport_billing::internals::json;
use iamport_billing::BillingKeyRequest;
use iamport_billing_server::{ChargeParams, ScheduleParams};
use serde_json::{json, Value};

/// The window's params with `extra` set.
fn window(profile: &Profile<'_>, extra: &Value) -> Result<(), (Option<String>, String)> {
    let mut base = json!({ "customer_uid": "c1", "amount": 1000, "buyer_tel": "010-1234-5678" });
    merge(&mut base, extra);
    let params = json::parse(&base.to_string()).expect("JSON");
    BillingKeyRequest::from_value_in(profile, &params).map(drop).map_err(|e| (e.field().map(str::to_owned), e.to_string()))
}

/// The server's charge with `extra` set.
fn charge(profile: &Profile<'_>, extra: &Value) -> Result<(), (Option<String>, String)> {
    let mut base = json!({ "customer_uid": "c1", "merchant_uid": "m1", "amount": 1000, "name": "월 구독" });
    merge(&mut base, extra);
    ChargeParams::from_json_in(profile, base).map(drop).map_err(|e| (e.field().map(str::to_owned), e.to_string()))
}

fn merge(base: &mut Value, extra: &Value) {
    if let (Value::Object(b), Value::Object(e)) = (base, extra) {
        for (k, v) in e {
            b.insert(k.clone(), v.clone());
        }
    }
}

/// A valid value of `field`'s kind exactly `len` characters long.
fn of_length(field: &Field, len: usize) -> String {
    match field.kind {
        Kind::Tel { .. } => "0".repeat(len),
        Kind::Email { .. } => format!("{}@b.kr", "a".repeat(len - 5)),
        _ => "가".repeat(len),
    }
}

/// The text fields both the window and the server's charge take.
fn shared(profile: &Profile<'static>) -> Vec<&'static Field> {
    profile
        .fields
        .iter()
        .filter(|f| f.need(Request::RequestPay).is_some() && f.need(Request::Charge).is_some() && f.max().is_some())
        .collect()
}

#[test]
fn both_halves_agree_at_each_published_limit_and_one_past_it() {
    let fields = shared(&DANAL_CARD);
    let names: Vec<&str> = fields.iter().map(|f| f.name).collect();
    for name in ["customer_uid", "merchant_uid", "name", "buyer_name", "buyer_email", "buyer_tel", "buyer_addr", "buyer_postcode"] {
        assert!(names.contains(&name), "{name} is shared by the window and the charge");
    }
    for field in fields {
        let max = field.max().unwrap() as usize;
        let at = json!({ field.name: of_length(field, max) });
        assert_eq!(window(&DANAL_CARD, &at), Ok(()), "window: {} at its limit {max}", field.name);
        assert_eq!(charge(&DANAL_CARD, &at), Ok(()), "charge: {} at its limit {max}", field.name);
        let past = json!({ field.name: of_length(field, max + 1) });
        let (w, c) = (window(&DANAL_CARD, &past).unwrap_err(), charge(&DANAL_CARD, &past).unwrap_err());
        assert_eq!(w.0.as_deref(), Some(field.name), "window: {} one past its limit: {}", field.name, w.1);
        assert_eq!(w, c, "{}: the same refusal on both halves", field.name);
    }
}

#[test]
fn both_halves_agree_on_urls_and_amounts() {
    for url in [
        "HTTPS://SHOP.EXAMPLE/hook",
        "https://h:abc/",
        "https://shop.example/hook",
        "http://localhost:3000/hook",
        "https://[::1]:8080/x",
        "https://@host/",
        "https://user@host/",
        "https://h:123456/",
        "ftp://shop.example/",
        "https://",
        "https:// x",
        "shop.example/hook",
        "javascript:alert(1)",
    ] {
        let v = json!({ "notice_url": url });
        let (w, c) = (window(&DANAL_CARD, &v), charge(&DANAL_CARD, &v));
        assert_eq!(w, c, "notice_url {url:?}: the same verdict on both halves");
    }
    assert!(window(&DANAL_CARD, &json!({ "notice_url": "HTTPS://SHOP.EXAMPLE/hook" })).is_ok());
    assert!(window(&DANAL_CARD, &json!({ "notice_url": "https://h:abc/" })).is_err());
    for amount in [json!(1), json!(9_007_199_254_740_991u64), json!(9_007_199_254_740_992u64), json!(1.5), json!(-1), json!("1000"), json!(1e3)] {
        let v = json!({ "amount": amount });
        assert_eq!(window(&DANAL_CARD, &v), charge(&DANAL_CARD, &v), "amount {amount}");
    }
    for tax_free in [json!(1000), json!(1001)] {
        let v = json!({ "tax_free": tax_free });
        assert_eq!(window(&DANAL_CARD, &v), charge(&DANAL_CARD, &v), "tax_free {tax_free}");
    }
}

/// The marker the JavaScript encoders write in place of a value JSON cannot carry.
fn marker(tag: &str) -> Value {
    json!({ json::MARKER_KEY: tag })
}

#[test]
fn both_halves_give_the_same_message_for_each_value_json_cannot_carry() {
    assert_eq!(json::MARKER_TAGS.len(), 8);
    for (tag, _) in json::MARKER_TAGS {
        for extra in [
            json!({ "amount": marker(tag) }),
            json!({ "buyer_name": marker(tag) }),
            json!({ "custom_data": { "plan": [1, marker(tag)] } }),
        ] {
            let (w, c) = (window(&DANAL_CARD, &extra), charge(&DANAL_CARD, &extra));
            assert_eq!(w, c, "{extra}: the same verdict on both halves");
            match w {
                // An optional field that is undefined is absent (inside an object the encoders
                // leave it out; marked, it is read the same).
                Ok(()) => assert_eq!((tag, extra.get("buyer_name").is_some()), ("undefined", true), "{extra}"),
                Err((field, message)) => assert!(message.starts_with(field.as_deref().unwrap()), "{tag}: {message}"),
            }
        }
        // The whole params: the browser's message, field `params`.
        let whole = BillingKeyRequest::from_value(&json::parse(&marker(tag).to_string()).unwrap()).unwrap_err();
        let server = ChargeParams::from_json(marker(tag)).unwrap_err();
        assert_eq!((server.field(), server.to_string()), (whole.field(), whole.to_string()), "params {tag}");
        assert_eq!(whole.field(), Some("params"));
        // In a schedule's entry: the window's message, at the entry's path.
        let entry = json!({ "customer_uid": "c1", "schedules": [{ "merchant_uid": "m1", "schedule_at": 2_000_000_000, "amount": marker(tag), "name": "n" }] });
        let e = ScheduleParams::from_json(entry).unwrap_err();
        let (field, message) = window(&DANAL_CARD, &json!({ "amount": marker(tag) })).unwrap_err();
        assert_eq!(field.as_deref(), Some("amount"));
        assert_eq!(e.field(), Some("schedules[0].amount"), "{tag}");
        assert_eq!(e.to_string(), message.replacen("amount", "schedules[0].amount", 1), "{tag}");
    }
    // What each says, as the browser's tests have it.
    let said = |tag: &str| charge(&DANAL_CARD, &json!({ "amount": marker(tag) })).unwrap_err().1;
    assert_eq!(said("bigint"), "amount must be a number (got a BigInt)");
    assert_eq!(said("nonfinite"), "amount must be a number (got NaN or Infinity)");
    assert_eq!(said("unreadable"), "amount could not be read");
    assert_eq!(said("object"), "amount must be a number (got an object that is not a plain object (Map, Set, class instance…))");
    // A tag no encoder writes reads as unreadable, as the browser's parser reads it; an object with
    // the key and more is data.
    assert_eq!(said("???"), "amount could not be read");
    let data = json!({ "custom_data": { json::MARKER_KEY: "bigint", "more": 1 } });
    assert_eq!(charge(&DANAL_CARD, &data), Ok(()));
}

#[test]
fn a_second_pg_profile_is_data_and_both_halves_enforce_it() {
    // Another PG: shorter buyer names, and an e-mail it requires in the window and in a charge.
    let fields: Vec<Field> = DANAL_CARD
        .fields
        .iter()
        .map(|f| match f.name {
            "buyer_name" => Field { kind: Kind::Text { max: 10 }, ..*f },
            "buyer_email" => Field { requests: &[(Request::RequestPay, Need::Required), (Request::Charge, Need::Required), (Request::ScheduleEntry, Need::Optional)], ..*f },
            _ => *f,
        })
        .collect();
    let other = Profile { name: "other_pg", pg: "Other", fields: &fields };
    let email = json!({ "buyer_email": "a@b.kr" });
    let both = |extra: Value| {
        let mut v = email.clone();
        merge(&mut v, &extra);
        (window(&other, &v), charge(&other, &v))
    };
    assert_eq!(both(json!({ "buyer_name": "가".repeat(10) })), (Ok(()), Ok(())));
    let (w, c) = both(json!({ "buyer_name": "가".repeat(11) }));
    assert_eq!(w.as_ref().unwrap_err().0.as_deref(), Some("buyer_name"));
    assert_eq!(w, c);
    // Danal's table still takes 11 (its limit is 16).
    assert!(window(&DANAL_CARD, &json!({ "buyer_name": "가".repeat(11) })).is_ok());
    // The required e-mail: refused without it on both halves, taken without it by Danal's.
    let (w, c) = (window(&other, &json!({})), charge(&other, &json!({})));
    assert_eq!(w.as_ref().unwrap_err().0.as_deref(), Some("buyer_email"));
    assert_eq!(c.as_ref().unwrap_err().0.as_deref(), Some("buyer_email"));
    assert!(charge(&DANAL_CARD, &json!({})).is_ok());
}
