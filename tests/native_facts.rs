//! The table (src/fields.rs) holds PortOne's published limits: tests/data/portone-limits.json
//! keeps them (names and numbers, with where they are published). A limit changed in the table or
//! in the facts without the other fails here. (scripts/check-portone-limits.py compares the facts
//! with a newer copy of the published description.)
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)] // tests may panic

use iamport_billing::fields::{Request, Source, DANAL_CARD};

const FACTS: &str = include_str!("data/portone-limits.json");

/// The table's name for a published one (the window's SDK writes `channelKey`).
fn ours(published: &str) -> &str {
    if published == "channel_key" {
        "channelKey"
    } else {
        published
    }
}

#[test]
fn the_table_holds_portone_s_published_limits() {
    let facts: serde_json::Value = serde_json::from_str(FACTS).expect("tests/data/portone-limits.json is JSON");
    let rest = facts["limits"]["rest"].as_object().expect("limits.rest");
    assert!(rest.len() >= 9, "the facts list the published REST limits");
    for (name, limit) in rest {
        let limit = limit.as_u64().expect("a number");
        let fields: Vec<_> = DANAL_CARD.fields.iter().filter(|f| f.name == ours(name)).collect();
        assert!(!fields.is_empty(), "the table has no field {name}");
        for f in fields {
            assert_eq!(f.max(), Some(limit), "{name}: the table says {:?}, PortOne publishes {limit}", f.max());
            assert!(f.source.describe().contains("/subscribe/payments/again"), "{name}: its source names where the limit is published");
        }
    }
    for (name, limit) in facts["limits"]["sdk"].as_object().expect("limits.sdk") {
        let field = DANAL_CARD.field(Request::RequestPay, name).unwrap_or_else(|| panic!("the window has no field {name}"));
        assert_eq!(field.max(), limit.as_u64(), "{name}: the window's limit");
        assert!(field.source.describe().contains("request_pay"), "{name}: its source names the SDK");
    }
    // And the other way: every limit the table says is PortOne's is in the facts.
    for f in DANAL_CARD.fields.iter().filter(|f| f.source != Source::Package) {
        let published = if f.name == "channelKey" { "channel_key" } else { f.name };
        assert!(rest.contains_key(published), "{}: the table cites PortOne, but the facts do not list it", f.name);
    }
}
