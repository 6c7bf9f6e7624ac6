//! Validation and normalisation of billing-key request parameters: the rules ([`RULES`], one line
//! per field, mirrored by docs/params.md), in one place, with no JavaScript in it.
//!
//! [`BillingKeyRequest::from_value`] checks, in this order: that the params are an object; that every
//! key is known (a typo guard that suggests the closest field, and refuses anything that looks like a
//! server secret); then each field in table order. The first problem is returned as
//! [`Error::InvalidParam`] with the field's path.

use crate::amount::{out_of_range, Amount};
use crate::checks::{check_json, check_text, check_url, parse_yyyymmdd, unknown_field};
use crate::error::{fixed, indexed, not_a, required, unreadable, Error};
use crate::text::concat;
use crate::value::{Unsupported, Value};

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

/// The default PG code: Danal credit card.
///
/// ```
/// assert_eq!(iamport_billing::internals::DEFAULT_PG, "danal_tpay");
/// ```
pub const DEFAULT_PG: &str = "danal_tpay";

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
        let pairs = match params {
            Value::Object(pairs) => pairs,
            // The whole params over the glue's cap: say so, rather than "not a plain object".
            // (A single long value under the cap reaches its own field's length check.)
            Value::Unsupported(Unsupported::TooLarge) => {
                return Err(fixed(
                    "params",
                    "params is too large to check: over 4 Mi characters of JSON, or nested deeper than 64 levels",
                ))
            }
            other => return Err(not_a("params", "plain object", other)),
        };
        for (key, _) in pairs {
            if !KNOWN_FIELDS.contains(&key.as_str()) {
                return Err(unknown_field(key, KNOWN_FIELDS, ""));
            }
        }
        let mut obj = Fields { params, out: Vec::new() };
        let mut checked = Checked::default();
        for (name, rule) in RULES {
            check_field(&mut obj, &mut checked, name, *rule).map_err(|fail| *fail.0)?;
        }
        let (Some(customer_uid), Some(amount)) = (checked.customer_uid, checked.amount) else {
            return Err(required("customer_uid")); // not reached: both rules refuse an absent value
        };

        // Checked in RULES order; sent in KNOWN_FIELDS order.
        // (Each key is pushed at most once; sort_by_key would pull in std's stable sort.)
        let mut fields = obj.out;
        let mut sorted: Vec<(&'static str, Value)> = Vec::with_capacity(fields.len());
        for known in KNOWN_FIELDS {
            if let Some(i) = fields.iter().position(|(key, _)| key == known) {
                sorted.push(fields.swap_remove(i));
            }
        }
        Ok(BillingKeyRequest {
            customer_uid: customer_uid.to_owned(),
            amount,
            merchant_uid: checked.merchant_uid.map(str::to_owned),
            m_redirect_url: checked.m_redirect_url.map(str::to_owned),
            fields: sorted,
        })
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

/// How a field is checked. The limits and allowed values live in [`RULES`], one line per field.
#[derive(Debug, Clone, Copy)]
enum Rule {
    /// Required text of 1..=max characters that can be a REST API path segment: the shared rule
    /// [`check_customer_uid`](crate::rules::check_customer_uid) (`max` states its limit for the
    /// docs' table).
    CustomerUid {
        #[cfg_attr(not(test), allow(dead_code))]
        max: usize,
    },
    /// Required: a whole number of KRW (a safe integer).
    Amount,
    /// Optional text that must be one of the [`Choice`]'s values.
    OneOf(&'static Choice),
    /// The PG code: one of [`ACCEPTED_PG`] or `danal_tpay.<CPID>`; [`DEFAULT_PG`] when absent and
    /// no `channelKey` is given; not both.
    Pg,
    /// Optional text of 1..=max characters, kept apart from the fields (it is placed at send
    /// time): the shared rule [`check_merchant_uid`](crate::rules::check_merchant_uid).
    MerchantUid {
        #[cfg_attr(not(test), allow(dead_code))]
        max: usize,
    },
    /// Optional text of 1..=max characters.
    Text { max: usize },
    /// Required phone number of 1..=max characters.
    Tel { max: usize },
    /// Optional e-mail address of 1..=max characters.
    Email { max: usize },
    /// Optional absolute http(s) URL.
    Url,
    /// Optional absolute http(s) URL the mobile window returns to, kept apart from the fields too
    /// (a request with one leaves a record for the redirect page).
    RedirectUrl,
    /// Optional URL or non-empty array of URLs.
    Urls,
    /// Optional: any JSON value.
    Json,
    /// Optional: a plain object of JSON values.
    Object,
    /// Optional boolean.
    Bool,
    /// Optional `{from, to}`, `YYYYMMDD` dates with `from` ≤ `to`.
    Period,
    /// Optional `{card_quota: [months 0..=36]}`.
    Display,
    /// Optional safe integer, at most `amount`.
    TaxFree,
}

/// The allowed values of a text field; `default` is sent when it is absent.
#[derive(Debug)]
struct Choice {
    values: &'static [&'static str],
    default: Option<&'static str>,
    message: &'static str,
}

/// Every field and its rule, in the order they are checked (the params table of the docs); the
/// first problem is reported. The order they are sent in is [`KNOWN_FIELDS`].
const RULES: &[(&str, Rule)] = &[
    ("customer_uid", Rule::CustomerUid { max: crate::rules::CUSTOMER_UID_MAX }),
    ("amount", Rule::Amount),
    ("pay_method", Rule::OneOf(&Choice {
        values: &["card"],
        default: Some("card"),
        message: "pay_method must be 'card': Danal billing keys are issued for credit cards only",
    })),
    ("pg", Rule::Pg),
    ("merchant_uid", Rule::MerchantUid { max: crate::rules::MERCHANT_UID_MAX }),
    ("name", Rule::Text { max: 40 }),
    ("buyer_tel", Rule::Tel { max: 20 }),
    ("buyer_email", Rule::Email { max: 64 }),
    ("buyer_name", Rule::Text { max: 40 }),
    ("buyer_addr", Rule::Text { max: 128 }),
    ("buyer_postcode", Rule::Text { max: 10 }),
    ("company", Rule::Text { max: 40 }),
    ("customer_id", Rule::Text { max: 80 }),
    ("m_redirect_url", Rule::RedirectUrl),
    ("notice_url", Rule::Urls),
    ("custom_data", Rule::Json),
    ("language", Rule::OneOf(&Choice { values: &["ko", "en", "zh"], default: None, message: "language must be 'ko', 'en' or 'zh'" })),
    ("currency", Rule::OneOf(&Choice {
        values: &["KRW"],
        default: None,
        message: "currency must be 'KRW' (Danal credit-card billing is in won)",
    })),
    ("popup", Rule::Bool),
    ("period", Rule::Period),
    ("display", Rule::Display),
    ("tax_free", Rule::TaxFree),
    ("app_scheme", Rule::Text { max: 200 }),
    ("confirm_url", Rule::Url),
    ("card", Rule::Object),
    ("bypass", Rule::Object),
];

/// The longest `channelKey` accepted (it is checked with `pg`).
const CHANNEL_KEY_MAX: usize = 200;

/// The PG codes accepted as given (besides `danal_tpay.<CPID>`).
const ACCEPTED_PG: &[&str] = &["danal_tpay"];

/// What the checks found that the request keeps apart from its fields.
#[derive(Default)]
struct Checked<'a> {
    customer_uid: Option<&'a str>,
    amount: Option<Amount>,
    merchant_uid: Option<&'a str>,
    m_redirect_url: Option<&'a str>,
}

/// Checks one field by its rule, keeping its normalised value in `obj`.
#[inline(never)]
fn check_field<'a>(obj: &mut Fields<'a>, checked: &mut Checked<'a>, name: &'static str, rule: Rule) -> Check<()> {
    match rule {
        Rule::CustomerUid { .. } => {
            let uid = obj.opt_string(name)?.ok_or_else(|| required(name))?;
            crate::rules::check_customer_uid(name, uid)?;
            obj.push(name, Value::from(uid));
            checked.customer_uid = Some(uid);
        }
        Rule::Amount => {
            let amount = match obj.present(name) {
                None => return Err(required(name).into()),
                Some(Value::Number(n)) => n.as_safe_integer().map(Amount::new).ok_or_else(|| out_of_range(name))??,
                Some(other) => return Err(not_a(name, "number", other).into()),
            };
            obj.push(name, Value::from(amount.get()));
            checked.amount = Some(amount);
        }
        Rule::OneOf(choice) => match obj.opt_string(name)?.or(choice.default) {
            None => {}
            Some(v) if choice.values.contains(&v) => obj.push(name, Value::from(v)),
            Some(_) => return Err(fixed(name, choice.message).into()),
        },
        Rule::Pg => {
            let pg = obj.opt_string(name)?;
            let channel_key = obj.opt_string("channelKey")?;
            if let Some(pg) = pg {
                let ok = ACCEPTED_PG.contains(&pg)
                    || pg.strip_prefix("danal_tpay.").is_some_and(|cpid| {
                        !cpid.is_empty() && cpid.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
                    });
                if !ok {
                    return Err(fixed(
                        name,
                        "pg must be 'danal_tpay' or 'danal_tpay.<CPID>' (this library issues Danal credit-card billing keys)",
                    ).into());
                }
            }
            match (pg, channel_key) {
                (Some(_), Some(_)) => {
                    return Err(fixed(
                        "channelKey",
                        "channelKey and pg select the same thing: give one of them, not both",
                    ).into())
                }
                (None, Some(_)) => {
                    obj.text("channelKey", CHANNEL_KEY_MAX)?;
                }
                (pg, None) => obj.push(name, Value::from(pg.unwrap_or(DEFAULT_PG))),
            }
        }
        Rule::MerchantUid { .. } => {
            let uid = obj.opt_string(name)?;
            if let Some(uid) = uid {
                crate::rules::check_merchant_uid(name, uid)?;
            }
            checked.merchant_uid = uid;
        }
        Rule::Text { max } => {
            obj.text(name, max)?;
        }
        Rule::Tel { max } => {
            let tel = obj
                .text(name, max)?
                .ok_or_else(|| fixed(name, "buyer_tel is required (Danal's payment window can fail without it)"))?;
            if !tel.chars().all(|c| c.is_ascii_digit() || matches!(c, ' ' | '+' | '-' | '(' | ')'))
                || !tel.chars().any(|c| c.is_ascii_digit())
            {
                return Err(fixed(name, "buyer_tel must be a phone number: digits, spaces and + - ( ) only").into());
            }
        }
        Rule::Email { max } => {
            if let Some(email) = obj.text(name, max)? {
                // One '@' (ASCII, so byte positions are char boundaries), not first or last.
                let ok = email.bytes().filter(|&b| b == b'@').count() == 1
                    && !email.starts_with('@')
                    && !email.ends_with('@')
                    && !email.chars().any(char::is_whitespace);
                if !ok {
                    return Err(fixed(name, "buyer_email must look like name@example.com (one @, no spaces)").into());
                }
            }
        }
        Rule::Url => {
            obj.url(name)?;
        }
        Rule::RedirectUrl => checked.m_redirect_url = obj.url(name)?,
        Rule::Urls => match obj.present(name) {
            None => {}
            // `''` is absent, as for any string field.
            Some(Value::String(_)) => {
                obj.url(name)?;
            }
            Some(Value::Array(urls)) => {
                if urls.is_empty() {
                    return Err(fixed(name, "notice_url must be a URL or a non-empty array of URLs").into());
                }
                for (i, url) in urls.iter().enumerate() {
                    let path = indexed(name, i);
                    match url {
                        Value::String(u) => check_url(&path, u)?,
                        other => return Err(not_a(&path, "string", other).into()),
                    }
                }
                obj.push(name, Value::Array(urls.clone()));
            }
            Some(other) => return Err(not_a(name, "string or an array of strings", other).into()),
        },
        // Any JSON value; given as '' it is a string, and '' strings are absent.
        Rule::Json => {
            if let Some(data) = obj.present(name).filter(|d| d.as_str() != Some("")) {
                obj.json(name, data)?;
            }
        }
        Rule::Object => match obj.present(name) {
            None => {}
            Some(v @ Value::Object(_)) => obj.json(name, v)?,
            Some(other) => return Err(not_a(name, "object", other).into()),
        },
        Rule::Bool => match obj.present(name) {
            None => {}
            Some(Value::Bool(b)) => obj.push(name, Value::Bool(*b)),
            Some(other) => return Err(not_a(name, "boolean", other).into()),
        },
        Rule::Period => {
            if let Some(period) = obj.present(name) {
                let period = check_period(period)?;
                obj.push(name, period);
            }
        }
        Rule::Display => {
            if let Some(display) = obj.present(name) {
                let display = check_display(display)?;
                obj.push(name, display);
            }
        }
        Rule::TaxFree => match obj.present(name) {
            None => {}
            Some(Value::Number(n)) => match (n.as_safe_integer(), checked.amount) {
                (Some(t), Some(amount)) if t <= amount.get() => obj.push(name, Value::from(t)),
                (Some(_), _) => return Err(fixed(name, "tax_free must not be more than amount").into()),
                (None, _) => return Err(out_of_range(name).into()),
            },
            Some(other) => return Err(not_a(name, "number", other).into()),
        },
    }
    Ok(())
}

/// A failed check: the error, boxed, so that each `?` in the checks moves one pointer rather
/// than a whole [`Error`] (less wasm).
struct Fail(Box<Error>);

impl From<Error> for Fail {
    #[inline(never)]
    fn from(e: Error) -> Fail {
        Fail(Box::new(e))
    }
}

type Check<T> = Result<T, Fail>;

/// Read access to an object's fields with the "absent" rule (`undefined`, `null` and `''` are
/// absent), and the normalised fields collected so far.
struct Fields<'a> {
    params: &'a Value,
    out: Vec<(&'static str, Value)>,
}

impl<'a> Fields<'a> {
    /// The value unless it is `undefined` or `null`.
    fn present(&self, key: &str) -> Option<&'a Value> {
        self.params.get(key).filter(|v| !v.is_nullish())
    }

    /// A string field: `undefined`, `null` and `''` are absent.
    #[inline(never)]
    fn opt_string(&self, key: &str) -> Check<Option<&'a str>> {
        match self.present(key) {
            None => Ok(None),
            Some(Value::String(s)) if s.is_empty() => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(other) => Err(not_a(key, "string", other).into()),
        }
    }

    #[inline(never)]
    fn push(&mut self, key: &'static str, value: Value) {
        self.out.push((key, value));
    }

    /// An optional text field of at most `max` characters, kept when present.
    #[inline(never)]
    fn text(&mut self, key: &'static str, max: usize) -> Check<Option<&'a str>> {
        let text = self.opt_string(key)?;
        if let Some(text) = text {
            check_text(key, text, max)?;
            self.push(key, Value::from(text));
        }
        Ok(text)
    }

    /// An optional URL field, kept when present.
    #[inline(never)]
    fn url(&mut self, key: &'static str) -> Check<Option<&'a str>> {
        let url = self.opt_string(key)?;
        if let Some(url) = url {
            check_url(key, url)?;
            self.push(key, Value::from(url));
        }
        Ok(url)
    }

    /// A field that may hold any JSON data, kept as given.
    #[inline(never)]
    fn json(&mut self, key: &'static str, value: &Value) -> Check<()> {
        check_json(key, value)?;
        self.push(key, value.clone());
        Ok(())
    }
}

fn check_period(v: &Value) -> Result<Value, Error> {
    let Value::Object(pairs) = v else {
        return Err(not_a("period", "object like {from: 'YYYYMMDD', to: 'YYYYMMDD'}", v));
    };
    for (key, _) in pairs {
        if key != "from" && key != "to" {
            return Err(unknown_field(key, &["from", "to"], "period"));
        }
    }
    let obj = Fields { params: v, out: Vec::new() };
    let mut dates = [0u32; 2];
    for (slot, key) in dates.iter_mut().zip(["from", "to"]) {
        let path = concat(&["period.", key]);
        let s = match obj.present(key) {
            None => return Err(required(&path)),
            Some(Value::String(s)) => s,
            Some(other) => return Err(not_a(&path, "string", other)),
        };
        *slot = parse_yyyymmdd(s)
            .ok_or_else(|| Error::invalid(&path, concat(&[&path, " must be a date written YYYYMMDD, like 20260101"])))?;
    }
    let [from, to] = dates;
    if from > to {
        return Err(Error::invalid("period.from", String::from("period.from must not be after period.to")));
    }
    Ok(v.clone())
}

fn check_display(v: &Value) -> Result<Value, Error> {
    let Value::Object(pairs) = v else {
        return Err(not_a("display", "object like {card_quota: [0, 2, 3]}", v));
    };
    for (key, _) in pairs {
        if key != "card_quota" {
            return Err(unknown_field(key, &["card_quota"], "display"));
        }
    }
    match (Fields { params: v, out: Vec::new() }).present("card_quota") {
        None => Ok(Value::Object(Vec::new())),
        Some(Value::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                if !matches!(item.as_safe_integer(), Some(0..=36)) {
                    let path = indexed("display.card_quota", i);
                    if let Some(e) = unreadable(&path, item) {
                        return Err(e);
                    }
                    return Err(Error::invalid(
                        &path,
                        concat(&[&path, " must be a whole number of months from 0 to 36"]),
                    ));
                }
            }
            Ok(Value::object([("card_quota", Value::Array(items.clone()))]))
        }
        Some(other) => Err(not_a("display.card_quota", "array of months", other)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The docs' params table (docs/params.md) and the package's types (index.d.ts) state the
    /// rules of [`RULES`]: each field's row in RULES order, its length limit, its allowed values
    /// and its default. A rule changed here without them fails this test, naming the file and row.
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
        // One row per rule (plus channelKey, checked with pg), in the order the rules run.
        let order: Vec<&str> = rows.iter().filter_map(|r| r.first().map(|f| f.trim_matches('`'))).filter(|f| *f != "channelKey").collect();
        let names: Vec<&str> = RULES.iter().map(|(name, _)| *name).collect();
        assert_eq!(order, names, "docs/params.md: the rows must follow RULES");
        assert!(row("channelKey")[3].contains(&format!("1–{CHANNEL_KEY_MAX} characters")), "docs/params.md: channelKey's limit");

        // The doc comment right above a field of BillingKeyParamsBase in index.d.ts.
        let type_doc = |name: &str| {
            let lines: Vec<&str> = TYPES.lines().collect();
            let at = lines
                .iter()
                .position(|l| l.trim_start().starts_with(&format!("{name}:")) || l.trim_start().starts_with(&format!("{name}?:")))
                .unwrap_or_else(|| panic!("index.d.ts: no field {name}"));
            lines.get(at.wrapping_sub(1)).copied().unwrap_or("")
        };

        for (name, rule) in RULES {
            let r = row(name);
            let (rule_text, default) = (r[3], r[4]);
            let required = matches!(rule, Rule::CustomerUid { .. } | Rule::Amount | Rule::Tel { .. });
            assert_eq!(r[2], if required { "yes" } else { "no" }, "docs/params.md: {name} required");
            match rule {
                Rule::CustomerUid { max } | Rule::MerchantUid { max } | Rule::Text { max } | Rule::Tel { max } | Rule::Email { max } => {
                    let limit = [format!("1–{max} characters"), format!("at most {max} characters")];
                    assert!(limit.iter().any(|l| rule_text.contains(l.as_str())), "docs/params.md: {name} must state its limit {max}: {rule_text}");
                    let doc = type_doc(name).to_lowercase();
                    assert!(limit.iter().any(|l| doc.contains(l.as_str())), "index.d.ts: {name}'s doc must state its limit {max}: {doc}");
                }
                Rule::OneOf(choice) => {
                    for value in choice.values {
                        assert!(rule_text.contains(&format!("'{value}'")), "docs/params.md: {name} must list '{value}'");
                    }
                    match choice.default {
                        Some(d) => assert_eq!(default, format!("`'{d}'`"), "docs/params.md: {name}'s default"),
                        None => assert_eq!(default, "—", "docs/params.md: {name} has no default"),
                    }
                }
                Rule::Pg => {
                    for pg in ACCEPTED_PG {
                        assert!(rule_text.contains(&format!("'{pg}'")), "docs/params.md: pg must list '{pg}'");
                    }
                    assert!(default.starts_with(&format!("`'{DEFAULT_PG}'`")), "docs/params.md: pg's default is {DEFAULT_PG}: {default}");
                    assert!(TYPES.contains(&format!("Give `pg` (default `'{DEFAULT_PG}'`)")), "index.d.ts: the default pg");
                }
                _ => {}
            }
        }
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
