//! Validation and normalisation of billing-key request parameters: the rules are the window's
//! fields of the one table ([`crate::fields`], mirrored by docs/params.md), with no JavaScript in it.
//!
//! [`BillingKeyRequest::from_value`] checks, in this order: that the params are an object; that every
//! key is known (a typo guard that suggests the closest field, and refuses anything that looks like a
//! server secret); then each field in table order. The first problem is returned as
//! [`Error::InvalidParam`] with the field's path.

use crate::amount::Amount;
use crate::error::{required, Error};
use crate::fields::Profile;
use crate::value::Value;

/// The parameters we accept, in the order they are sent to `IMP.request_pay`.
///
/// ```
/// assert!(iamport_billing::internals::KNOWN_FIELDS.contains(&"customer_uid"));
/// ```
pub const KNOWN_FIELDS: &[&str] = &[
    "pg",
    "channelKey",
    "pay_method",
    "merchant_uid",
    "name",
    "amount",
    "customer_uid",
    "buyer_email",
    "buyer_name",
    "buyer_tel",
    "buyer_addr",
    "buyer_postcode",
    "company",
    "customer_id",
    "m_redirect_url",
    "notice_url",
    "confirm_url",
    "custom_data",
    "language",
    "currency",
    "popup",
    "period",
    "display",
    "tax_free",
    "app_scheme",
    "card",
    "bypass",
];

pub use crate::fields::DEFAULT_PG;

/// A validated, normalised Danal billing-key request, ready for `IMP.request_pay`.
///
/// Build one with [`BillingKeyRequest::builder`] (Rust) or [`BillingKeyRequest::from_value`]
/// (parameters that arrived as a JSON-like value).
///
/// ```
/// use iamport_billing::{BillingKeyRequest, Value};
/// let req = BillingKeyRequest::builder()
///     .customer_uid("your-customer-unique-id")
///     .amount(0)
///     .name("최초인증결제")
///     .buyer_tel("02-1234-1234")
///     .merchant_uid("merchant_1")
///     .build()?;
/// // What IMP.request_pay receives: the defaults filled, in iamport's order.
/// let Value::Object(fields) = req.to_imp_value("merchant_1") else { unreachable!() };
/// let keys: Vec<&str> = fields.iter().map(|(key, _)| key.as_str()).collect();
/// assert_eq!(keys, ["pg", "pay_method", "merchant_uid", "name", "amount", "customer_uid", "buyer_tel"]);
/// # Ok::<(), iamport_billing::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct BillingKeyRequest {
    customer_uid: String,
    amount: Amount,
    merchant_uid: Option<String>,
    m_redirect_url: Option<String>,
    /// Normalised fields in [`KNOWN_FIELDS`] order, without `merchant_uid`.
    fields: Vec<(&'static str, Value)>,
}

impl BillingKeyRequest {
    /// Validates params given as a JSON-like value (iamport's snake_case field names).
    ///
    /// ```
    /// use iamport_billing::{BillingKeyRequest, Value};
    /// let params = Value::object([("customer_uid", "c1"), ("amount", "1000"), ("buyer_tel", "02-1234-1234")].map(|(k, v)| (k, Value::from(v))));
    /// let err = BillingKeyRequest::from_value(&params).unwrap_err();
    /// assert_eq!(err.field(), Some("amount"));
    /// assert_eq!(err.to_string(), "amount must be a number (got a string): write 1000, not '1000'");
    /// ```
    pub fn from_value(params: &Value) -> Result<BillingKeyRequest, Error> {
        BillingKeyRequest::from_value_in(&crate::fields::DANAL_CARD_WINDOW, params)
    }

    /// [`from_value`](Self::from_value) by another PG's table (a [`Profile`]): its limits and
    /// required fields. (The window's kinds only: a window field of a server kind, such as
    /// [`Kind::UnixSeconds`](crate::fields::Kind::UnixSeconds), is refused.)
    pub fn from_value_in(profile: &Profile<'_>, params: &Value) -> Result<BillingKeyRequest, Error> {
        let read = crate::fields::read_window(profile, params)?;
        // One function for the three texts kept apart (less wasm than three copies inlined).
        #[inline(never)]
        fn owned(read: &crate::fields::Read<'_>, name: &str) -> Option<String> {
            read.str(name).map(String::from)
        }
        let (customer_uid, amount) = match (owned(&read, "customer_uid"), read.u64("amount")) {
            (Some(uid), Some(krw)) => (uid, Amount::new(krw)?),
            // Not reached with a table that requires both; refused rather than assumed.
            (None, _) => return Err(required("customer_uid")),
            (_, None) => return Err(required("amount")),
        };
        let merchant_uid = owned(&read, "merchant_uid");
        let m_redirect_url = owned(&read, "m_redirect_url");
        // Checked in table order; sent in KNOWN_FIELDS order, without merchant_uid (placed at
        // send time). (Read::get and a clone: less wasm than moving each value out of the read.)
        let mut fields: Vec<(&'static str, Value)> = Vec::new();
        for known in KNOWN_FIELDS {
            match read.get(known) {
                Some(value) if *known != "merchant_uid" => fields.push((known, value.clone())),
                _ => {}
            }
        }
        Ok(BillingKeyRequest { customer_uid, amount, merchant_uid, m_redirect_url, fields })
    }

    /// The customer's unique id: iamport stores the billing key under it.
    ///
    /// ```
    /// # use iamport_billing::BillingKeyRequest;
    /// let req = BillingKeyRequest::builder().customer_uid("c1").amount(0).buyer_tel("010").build().unwrap();
    /// assert_eq!(req.customer_uid(), "c1");
    /// ```
    pub fn customer_uid(&self) -> &str {
        &self.customer_uid
    }

    /// The amount: 0 issues the key only, more charges it at once.
    ///
    /// ```
    /// # use iamport_billing::{Amount, BillingKeyRequest};
    /// let req = BillingKeyRequest::builder().customer_uid("c1").amount(1004).buyer_tel("010").build().unwrap();
    /// assert_eq!(req.amount(), Amount::new(1004).unwrap());
    /// ```
    pub fn amount(&self) -> Amount {
        self.amount
    }

    /// The `merchant_uid` given, if any (when absent, one is generated at request time).
    ///
    /// ```
    /// # use iamport_billing::BillingKeyRequest;
    /// let req = BillingKeyRequest::builder().customer_uid("c1").amount(0).buyer_tel("010").build().unwrap();
    /// assert_eq!(req.merchant_uid(), None);
    /// ```
    pub fn merchant_uid(&self) -> Option<&str> {
        self.merchant_uid.as_deref()
    }

    /// The `m_redirect_url` given, if any.
    ///
    /// ```
    /// # use iamport_billing::BillingKeyRequest;
    /// let req = BillingKeyRequest::builder().customer_uid("c1").amount(0).buyer_tel("010")
    ///     .m_redirect_url("https://shop.example/done").build().unwrap();
    /// assert_eq!(req.m_redirect_url(), Some("https://shop.example/done"));
    /// ```
    pub fn m_redirect_url(&self) -> Option<&str> {
        self.m_redirect_url.as_deref()
    }

    /// The object handed to `IMP.request_pay`, with `merchant_uid` set: plain JSON, absent fields
    /// omitted, defaults filled (`pg: 'danal_tpay'` unless `channelKey`, `pay_method: 'card'`).
    ///
    /// ```
    /// # use iamport_billing::BillingKeyRequest;
    /// let req = BillingKeyRequest::builder().customer_uid("c1").amount(0).buyer_tel("010").build().unwrap();
    /// let v = req.to_imp_value("m1");
    /// assert_eq!(v.get("merchant_uid").and_then(|v| v.as_str()), Some("m1"));
    /// ```
    pub fn to_imp_value(&self, merchant_uid: &str) -> Value {
        let merchant_uid = Value::from(merchant_uid);
        Value::Object(self.imp_fields(&merchant_uid).map(|(key, value)| (key.to_owned(), value.clone())).collect())
    }

    /// [`to_imp_value`](Self::to_imp_value) as JSON text, written straight from the fields (no copy
    /// of them): what the click path hands to `IMP.request_pay`.
    #[cfg_attr(not(all(target_arch = "wasm32", any(feature = "browser", feature = "npm"))), allow(dead_code))]
    pub(crate) fn to_imp_json(&self, merchant_uid: &str) -> String {
        let merchant_uid = Value::from(merchant_uid);
        let mut out = String::new();
        crate::json::write_object(&mut out, self.imp_fields(&merchant_uid));
        out
    }

    /// The fields for IMP in [`KNOWN_FIELDS`] order: `merchant_uid` goes before `name`, or before
    /// `amount` (always present) when there is no `name`.
    fn imp_fields<'a>(&'a self, merchant_uid: &'a Value) -> impl Iterator<Item = (&'a str, &'a Value)> {
        let at = self.fields.iter().position(|(key, _)| *key == "name" || *key == "amount").unwrap_or(self.fields.len());
        let (head, tail) = (self.fields.get(..at).unwrap_or(&[]), self.fields.get(at..).unwrap_or(&[]));
        let pair = |(key, value): &'a (&'static str, Value)| (*key, value);
        head.iter().map(pair).chain(std::iter::once(("merchant_uid", merchant_uid))).chain(tail.iter().map(pair))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::fields::{Field, Kind, Request, DANAL_CARD};

    /// The docs' params table (docs/params.md) and the package's types (index.d.ts) state the
    /// window's rules of the table: each field's row in table order, whether it is required, its
    /// length limit, its allowed values and its default. A rule changed in the table without them
    /// fails this test, naming the file and row.
    #[test]
    fn the_docs_and_the_types_state_the_rules() {
        const DOC: &str = include_str!("../docs/params.md");
        const TYPES: &str = include_str!("../js/pkg/index.d.ts");
        let table = DOC.split("## Params").nth(1).and_then(|t| t.split("\n## ").next()).unwrap_or("");
        let rows: Vec<Vec<&str>> = table
            .lines()
            .filter(|l| l.starts_with("| `"))
            .map(|l| l.split(" | ").map(|c| c.trim_matches(|c| c == '|' || c == ' ')).collect())
            .collect();
        let row = |name: &str| {
            rows.iter()
                .find(|r| r.first() == Some(&format!("`{name}`").as_str()))
                .unwrap_or_else(|| panic!("docs/params.md: no row for {name}"))
        };
        // One row per field, in the order the table checks them.
        let order: Vec<&str> = rows.iter().filter_map(|r| r.first().map(|f| f.trim_matches('`'))).collect();
        let names: Vec<&str> = DANAL_CARD.names(Request::RequestPay).collect();
        assert_eq!(order, names, "docs/params.md: the rows must follow the table (src/fields.rs)");

        // The doc comment right above a field of BillingKeyParamsBase in index.d.ts.
        let type_doc = |name: &str| {
            let lines: Vec<&str> = TYPES.lines().collect();
            let at = lines
                .iter()
                .position(|l| l.trim_start().starts_with(&format!("{name}:")) || l.trim_start().starts_with(&format!("{name}?:")))
                .unwrap_or_else(|| panic!("index.d.ts: no field {name}"));
            lines.get(at.wrapping_sub(1)).copied().unwrap_or("")
        };

        for field in DANAL_CARD.fields.iter().filter(|f| f.need(Request::RequestPay).is_some()) {
            let name = field.name;
            let r = row(name);
            let (rule_text, default) = (r[3], r[4]);
            let required = field.need(Request::RequestPay).is_some_and(|n| n.is_required());
            assert_eq!(r[2], if required { "yes" } else { "no" }, "docs/params.md: {name} required");
            if let Some(max) = field.max() {
                let limit = [format!("1–{max} characters"), format!("at most {max} characters")];
                assert!(limit.iter().any(|l| rule_text.contains(l.as_str())), "docs/params.md: {name} must state its limit {max}: {rule_text}");
                let doc = type_doc(name).to_lowercase();
                assert!(limit.iter().any(|l| doc.contains(l.as_str())), "index.d.ts: {name}'s doc must state its limit {max}: {doc}");
            }
            match field.kind {
                Kind::OneOf(choice) => {
                    for value in choice.values {
                        assert!(rule_text.contains(&format!("'{value}'")), "docs/params.md: {name} must list '{value}'");
                    }
                    match choice.default {
                        Some(d) => assert_eq!(default, format!("`'{d}'`"), "docs/params.md: {name}'s default"),
                        None => assert_eq!(default, "—", "docs/params.md: {name} has no default"),
                    }
                }
                Kind::Pg => {
                    assert!(rule_text.contains(&format!("'{DEFAULT_PG}'")), "docs/params.md: pg must list '{DEFAULT_PG}'");
                    assert!(default.starts_with(&format!("`'{DEFAULT_PG}'`")), "docs/params.md: pg's default is {DEFAULT_PG}: {default}");
                    assert!(TYPES.contains(&format!("Give `pg` (default `'{DEFAULT_PG}'`)")), "index.d.ts: the default pg");
                }
                _ => {}
            }
        }
    }

    /// `from_value` reads the table's window rows (copied out of the one table at compile time so
    /// that the browser's wasm holds no server rows): every row of `request_pay`, and the
    /// `card_quota` row whose limit `display` applies, as they are in the table (their window entry
    /// only), in its order.
    #[test]
    fn the_window_reads_the_tables_rows() {
        use crate::fields::DANAL_CARD_WINDOW;
        let row = |f: &Field| (f.name, f.kind, f.source, f.need(Request::RequestPay));
        let expected: Vec<_> = DANAL_CARD
            .fields
            .iter()
            .filter(|f| f.need(Request::RequestPay).is_some() || f.name == "card_quota")
            .map(row)
            .collect();
        assert_eq!(DANAL_CARD_WINDOW.fields.iter().map(row).collect::<Vec<_>>(), expected);
        // Only the window's entry of each request list.
        assert!(DANAL_CARD_WINDOW.fields.iter().all(|f| f.requests.iter().all(|(r, _)| *r == Request::RequestPay)));
        assert_eq!((DANAL_CARD_WINDOW.name, DANAL_CARD_WINDOW.pg), (DANAL_CARD.name, DANAL_CARD.pg));
        let names: Vec<&str> = DANAL_CARD_WINDOW.names(Request::RequestPay).collect();
        assert_eq!(names, DANAL_CARD.names(Request::RequestPay).collect::<Vec<_>>());
    }

    /// The window reads its kinds only: a window field of a server kind (a profile's mistake) is
    /// refused, naming it, as the window's reader keeps the server's checks out of its wasm.
    #[test]
    fn a_window_field_of_a_server_kind_is_refused() {
        let mut rows: Vec<Field> = DANAL_CARD.fields.iter().filter(|f| f.need(Request::RequestPay).is_some()).copied().collect();
        rows.push(Field { name: "schedule_at", kind: Kind::UnixSeconds, requests: &[(Request::RequestPay, crate::fields::Need::Optional)], ..rows[0] });
        let profile = crate::fields::Profile { fields: &rows, ..DANAL_CARD };
        let params = crate::json::parse(r#"{"customer_uid":"c1","amount":0,"buyer_tel":"010","schedule_at":1767225600}"#).unwrap_or(Value::Null);
        let e = BillingKeyRequest::from_value_in(&profile, &params).unwrap_err();
        assert_eq!((e.field(), e.to_string().as_str()), (Some("schedule_at"), "schedule_at is a server field: the browser does not check it"));
        // Absent, it is no problem.
        let params = crate::json::parse(r#"{"customer_uid":"c1","amount":0,"buyer_tel":"010"}"#).unwrap_or(Value::Null);
        assert!(BillingKeyRequest::from_value_in(&profile, &params).is_ok());
    }

    #[test]
    fn imp_json_is_the_imp_value_written_out() {
        for params in [
            r#"{"customer_uid":"c1","amount":0,"buyer_tel":"010"}"#,
            r#"{"customer_uid":"c1","amount":1004,"name":"최초인증결제","buyer_tel":"02-1234-1234","merchant_uid":"m9"}"#,
            r#"{"customer_uid":"c\"1","amount":5,"channelKey":"ck","buyer_tel":"010","custom_data":{"a":[1,"x\n"]},"display":{"card_quota":[0,2]},"popup":true,"tax_free":5,"bypass":{"b":null}}"#,
            r#"{"pg":"danal_tpay.CPID_1","customer_uid":"c1","amount":0,"buyer_tel":"010","notice_url":["https://a.example/","http://b.example:8080/x"],"period":{"from":"20260101","to":"20260201"},"m_redirect_url":"https://shop.example/done","language":"en","currency":"KRW"}"#,
        ] {
            let parsed = crate::json::parse(params).unwrap_or(Value::Null);
            let req = BillingKeyRequest::from_value(&parsed).unwrap_or_else(|e| panic!("{params}: {e}"));
            assert_eq!(req.to_imp_json("m_1"), crate::json::to_string(&req.to_imp_value("m_1")), "{params}");
        }
    }
}
