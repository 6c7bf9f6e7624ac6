//! The server's types (js/server/index.d.ts) and docs (docs/server.md) state the table's limits
//! (src/fields.rs in the core crate) and what `schedule_at` takes: a limit changed in the table
//! without them fails here, naming the file and the field.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)] // tests may panic

use iamport_billing::fields::{Field, Kind, Request, DANAL_CARD};

const TYPES: &str = include_str!("../../js/server/index.d.ts");
const DOCS: &str = include_str!("../../docs/server.md");

/// The doc comment right above `name:` / `name?:` inside `interface <within>`.
fn type_doc(within: &str, name: &str) -> Option<String> {
    let start = TYPES.find(&format!("export interface {within} "))?;
    let block = &TYPES[start..start + TYPES[start..].find("\n}")?];
    let lines: Vec<&str> = block.lines().collect();
    let at = lines.iter().position(|l| {
        let l = l.trim_start();
        l.starts_with(&format!("{name}:")) || l.starts_with(&format!("{name}?:"))
    })?;
    // The comment may span lines: take everything from its `/**`.
    let open = lines[..at].iter().rposition(|l| l.trim_start().starts_with("/**"))?;
    lines[at - 1].trim_end().ends_with("*/").then(|| lines[open..at].join(" "))
}

fn limit_text(field: &Field) -> Vec<String> {
    let max = field.max().unwrap_or_default();
    match field.kind {
        Kind::Months { .. } => vec![format!("0–{max}")],
        _ => vec![format!("1–{max} characters"), format!("at most {max} characters")],
    }
}

#[test]
fn the_server_types_and_docs_state_each_charge_limit() {
    let charge: Vec<&Field> = DANAL_CARD.fields.iter().filter(|f| f.need(Request::Charge).is_some() && f.max().is_some()).collect();
    assert!(charge.len() >= 8, "the charge's limited fields");
    for field in charge {
        let doc = ["ChargeParams", "OrderDetails"]
            .iter()
            .find_map(|i| type_doc(i, field.name))
            .unwrap_or_else(|| panic!("js/server/index.d.ts: {} has no doc comment in ChargeParams/OrderDetails", field.name))
            .to_lowercase();
        assert!(limit_text(field).iter().any(|l| doc.contains(l.as_str())), "js/server/index.d.ts: {}'s doc must state {:?}: {doc}", field.name, limit_text(field));
        let max = field.max().unwrap_or_default();
        let stated = match field.kind {
            Kind::Months { .. } => format!("`{}` 0–{max}", field.name),
            _ => format!("`{}` {max}", field.name),
        };
        assert!(DOCS.contains(&stated) || DOCS.contains(&format!("{stated} characters")), "docs/server.md must state {stated}");
    }
}

#[test]
fn schedule_at_takes_what_the_code_takes_in_types_and_docs() {
    let field = DANAL_CARD.field(Request::ScheduleEntry, "schedule_at").expect("schedule_at");
    assert_eq!(field.kind, Kind::UnixSeconds, "the table reads unix seconds or an RFC 3339 date-time");
    let doc = type_doc("ScheduleEntry", "schedule_at").expect("js/server/index.d.ts: schedule_at's doc");
    let para = DOCS.split("**`scheduleCharges`.**").nth(1).and_then(|p| p.split("\n\n").next()).expect("docs/server.md: scheduleCharges");
    for (what, text) in [("js/server/index.d.ts", doc.as_str()), ("docs/server.md", para)] {
        for says in ["unix", "seconds", "`Date`", "RFC 3339"] {
            assert!(text.contains(says), "{what}: schedule_at must say {says:?}: {text}");
        }
    }
    assert!(TYPES.contains("schedule_at: number | Date | Rfc3339;"), "js/server/index.d.ts: schedule_at's type");
}
