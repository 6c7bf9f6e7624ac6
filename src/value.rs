//! A JSON-like value: what crosses the boundary between the page and the core.
//!
//! Parameters from JavaScript and responses from the iamport SDK arrive as JSON text (see
//! [`crate::json`]) and are decoded into [`Value`]. Values that JSON cannot represent (a `BigInt`, a
//! `Symbol`, a function, `NaN`, a `Map`, a getter that throws…) arrive as [`Value::Unsupported`] so the
//! validator can name the offending field instead of silently dropping it.

use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};

/// A JSON value, plus a marker for JavaScript values JSON cannot carry.
///
/// Objects keep their keys in order (a `Vec` of pairs); when a key repeats, the last one wins, as in
/// JavaScript.
///
/// ```
/// use iamport_billing::Value;
/// let v = Value::object([("customer_uid", Value::from("cust-1")), ("amount", Value::from(0u64))]);
/// assert_eq!(v.get("customer_uid").and_then(Value::as_str), Some("cust-1"));
/// assert_eq!(v.get("amount").and_then(Value::as_safe_integer), Some(0));
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Value {
    /// `null`.
    #[default]
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A finite number, kept as its JSON text so nothing is lost in a round trip.
    Number(Number),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<Value>),
    /// An object, keys in order.
    Object(Vec<(String, Value)>),
    /// A JavaScript value JSON cannot represent.
    Unsupported(Unsupported),
}

/// What kind of JavaScript value could not be represented as JSON.
///
/// ```
/// use iamport_billing::Unsupported;
/// assert_eq!(Unsupported::BigInt.describe(), "a BigInt");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Unsupported {
    /// `undefined` where a value was required (top level or inside an array).
    Undefined,
    /// A `BigInt`.
    BigInt,
    /// A `Symbol`.
    Symbol,
    /// A function.
    Function,
    /// `NaN`, `Infinity` or `-Infinity`.
    NonFinite,
    /// An object that is not a plain object or array (`Map`, `Set`, a class instance…).
    NonPlainObject,
    /// A string with a lone UTF-16 surrogate.
    InvalidUnicode,
    /// The value could not be read: a getter or a Proxy trap threw, it is a revoked Proxy, or it is
    /// a cycle (an object inside itself). The npm package marks each such value where it is and
    /// says which.
    Unreadable,
    /// The value is too large (over 4 Mi characters of JSON) or nested too deeply.
    TooLarge,
}

impl Unsupported {
    /// A short English description, used in error messages.
    ///
    /// ```
    /// # use iamport_billing::Unsupported;
    /// assert_eq!(Unsupported::NonFinite.describe(), "NaN or Infinity");
    /// ```
    pub fn describe(self) -> &'static str {
        match self {
            Unsupported::Undefined => "undefined",
            Unsupported::BigInt => "a BigInt",
            Unsupported::Symbol => "a Symbol",
            Unsupported::Function => "a function",
            Unsupported::NonFinite => "NaN or Infinity",
            Unsupported::NonPlainObject => "an object that is not a plain object (Map, Set, class instance…)",
            Unsupported::InvalidUnicode => "a string with a lone surrogate (invalid Unicode)",
            Unsupported::Unreadable => "a value that could not be read",
            Unsupported::TooLarge => "too large (over 4 Mi characters of JSON) or nested too deeply",
        }
    }
}

/// The tags of the marker `{"\u0000iamport-billing": "<tag>"}` that the JavaScript encoders (the
/// browser's `js/glue.js`, the server's `js/server/api.js`) write in place of a value JSON cannot
/// carry, and the kind each names ([`crate::json::marker_kind`]). Defined here once: a test holds both
/// encoders to it.
pub const MARKER_TAGS: [(&str, Unsupported); 8] = [
    ("undefined", Unsupported::Undefined),
    ("bigint", Unsupported::BigInt),
    ("symbol", Unsupported::Symbol),
    ("function", Unsupported::Function),
    ("nonfinite", Unsupported::NonFinite),
    ("object", Unsupported::NonPlainObject),
    ("unreadable", Unsupported::Unreadable),
    ("toolarge", Unsupported::TooLarge),
];

/// A finite JSON number, kept as its (validated) JSON text.
///
/// ```
/// use iamport_billing::Number;
/// let n = Number::from(1004u64);
/// assert_eq!(n.as_str(), "1004");
/// assert_eq!(n.as_safe_integer(), Some(1004));
/// assert_eq!(Number::from_json_text("1.5").and_then(|n| n.as_safe_integer()), None);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Number(String);

/// The largest integer a JavaScript number holds exactly: 2⁵³ − 1.
///
/// ```
/// assert_eq!(iamport_billing::internals::MAX_SAFE_INTEGER, 9_007_199_254_740_991);
/// ```
pub const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;

impl Number {
    /// Accepts `text` if it is a JSON number literal (`-?int(.frac)?(e[+-]?exp)?`).
    ///
    /// ```
    /// # use iamport_billing::Number;
    /// assert!(Number::from_json_text("-0.5e3").is_some());
    /// assert!(Number::from_json_text("NaN").is_none());
    /// ```
    pub fn from_json_text(text: &str) -> Option<Number> {
        if number_len(text.as_bytes()) == Some(text.len()) {
            Some(Number(text.to_owned()))
        } else {
            None
        }
    }

    /// A number from JSON text already checked to be a number literal (the parser's).
    pub(crate) fn from_checked_text(text: &str) -> Number {
        Number(text.to_owned())
    }

    /// The JSON text.
    ///
    /// ```
    /// # use iamport_billing::Number;
    /// assert_eq!(Number::from(7u64).as_str(), "7");
    /// ```
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The value as an integer in `0..=2⁵³−1`, if it is one (`-0`, `1e3` and `10.0` count).
    ///
    /// ```
    /// # use iamport_billing::Number;
    /// assert_eq!(Number::from_json_text("1e3").and_then(|n| n.as_safe_integer()), Some(1000));
    /// assert_eq!(Number::from_json_text("-1").and_then(|n| n.as_safe_integer()), None);
    /// assert_eq!(Number::from_json_text("9007199254740992").and_then(|n| n.as_safe_integer()), None);
    /// ```
    pub fn as_safe_integer(&self) -> Option<u64> {
        let bytes = self.0.as_bytes();
        let (negative, rest) = match bytes.split_first() {
            Some((b'-', rest)) => (true, rest),
            _ => (false, bytes),
        };
        // Split into integer digits, fraction digits and exponent.
        let mut digits: Vec<u8> = Vec::new();
        let mut point: Option<usize> = None;
        let mut exponent: i64 = 0;
        let mut iter = rest.iter().copied().peekable();
        while let Some(b) = iter.next() {
            match b {
                b'0'..=b'9' => digits.push(b - b'0'),
                b'.' => point = Some(digits.len()),
                b'e' | b'E' => {
                    let mut sign = 1i64;
                    if let Some(&s) = iter.peek() {
                        if s == b'-' || s == b'+' {
                            if s == b'-' {
                                sign = -1;
                            }
                            iter.next();
                        }
                    }
                    let mut e: i64 = 0;
                    for d in iter.by_ref() {
                        e = e.saturating_mul(10).saturating_add(i64::from(d.wrapping_sub(b'0')));
                    }
                    exponent = sign.saturating_mul(e);
                }
                _ => return None,
            }
        }
        let int_len = point.unwrap_or(digits.len()) as i64;
        let shift = int_len.saturating_add(exponent);
        let mut value: u64 = 0;
        for (i, d) in digits.iter().enumerate() {
            let place = i as i64;
            if place < shift {
                value = value.checked_mul(10)?.checked_add(u64::from(*d))?;
                if value > MAX_SAFE_INTEGER {
                    return None;
                }
            } else if *d != 0 {
                return None; // a fractional part
            }
        }
        // Trailing zeros implied by a large exponent.
        let mut pad = shift.saturating_sub(digits.len() as i64);
        while pad > 0 && value != 0 {
            value = value.checked_mul(10)?;
            if value > MAX_SAFE_INTEGER {
                return None;
            }
            pad -= 1;
        }
        if negative && value != 0 {
            return None;
        }
        Some(value)
    }
}

impl From<u64> for Number {
    fn from(n: u64) -> Number {
        let mut s = String::new();
        crate::text::push_u64(&mut s, n);
        Number(s)
    }
}

impl From<u32> for Number {
    fn from(n: u32) -> Number {
        Number::from(u64::from(n))
    }
}

impl Value {
    /// Builds an object from `(key, value)` pairs.
    ///
    /// ```
    /// # use iamport_billing::Value;
    /// let v = Value::object([("a", Value::Null)]);
    /// assert!(matches!(v, Value::Object(ref fields) if fields.len() == 1));
    /// ```
    pub fn object<K: Into<String>, I: IntoIterator<Item = (K, Value)>>(pairs: I) -> Value {
        Value::Object(pairs.into_iter().map(|(k, v)| (k.into(), v)).collect())
    }

    /// The value of `key` if this is an object holding it (the last one if repeated).
    ///
    /// ```
    /// # use iamport_billing::Value;
    /// assert_eq!(Value::Null.get("a"), None);
    /// ```
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Object(fields) => fields.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The string, if this is one.
    ///
    /// ```
    /// # use iamport_billing::Value;
    /// assert_eq!(Value::from("x").as_str(), Some("x"));
    /// ```
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The integer in `0..=2⁵³−1`, if this is such a number.
    ///
    /// ```
    /// # use iamport_billing::Value;
    /// assert_eq!(Value::from(5u64).as_safe_integer(), Some(5));
    /// ```
    pub fn as_safe_integer(&self) -> Option<u64> {
        match self {
            Value::Number(n) => n.as_safe_integer(),
            _ => None,
        }
    }

    /// `true` for `null` and `undefined`: what an optional field treats as absent.
    ///
    /// ```
    /// # use iamport_billing::Value;
    /// assert!(Value::Null.is_nullish());
    /// assert!(!Value::from(false).is_nullish());
    /// ```
    pub fn is_nullish(&self) -> bool {
        matches!(self, Value::Null | Value::Unsupported(Unsupported::Undefined))
    }

    /// The first value JSON cannot carry inside this one, with its path below `path`.
    pub(crate) fn find_unsupported(&self, path: &str) -> Option<(String, Unsupported)> {
        match self {
            Value::Unsupported(kind) => Some((path.to_owned(), *kind)),
            Value::Array(items) => items.iter().enumerate().find_map(|(i, v)| {
                let mut p = String::from(path);
                p.push('[');
                crate::text::push_u64(&mut p, i as u64);
                p.push(']');
                v.find_unsupported(&p)
            }),
            Value::Object(fields) => fields.iter().find_map(|(k, v)| {
                let mut p = String::from(path);
                p.push('.');
                p.push_str(k);
                v.find_unsupported(&p)
            }),
            _ => None,
        }
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::String(s.to_owned())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Value {
        Value::String(s)
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Value {
        Value::Bool(b)
    }
}

impl From<u64> for Value {
    fn from(n: u64) -> Value {
        Value::Number(Number::from(n))
    }
}

impl From<u32> for Value {
    fn from(n: u32) -> Value {
        Value::Number(Number::from(n))
    }
}

impl From<Number> for Value {
    fn from(n: Number) -> Value {
        Value::Number(n)
    }
}

impl<T: Into<Value>> From<Vec<T>> for Value {
    fn from(items: Vec<T>) -> Value {
        Value::Array(items.into_iter().map(Into::into).collect())
    }
}

/// Serializes as the JSON value it is (numbers as integers when they are safe integers, else as
/// floats; unsupported values as `null`).
impl Serialize for Value {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Null | Value::Unsupported(_) => serializer.serialize_unit(),
            Value::Bool(b) => serializer.serialize_bool(*b),
            Value::Number(n) => match n.as_safe_integer() {
                Some(i) => serializer.serialize_u64(i),
                // Valid JSON number text always parses; 0.0 is only a formal fallback.
                None => serializer.serialize_f64(n.as_str().parse::<f64>().unwrap_or(0.0)),
            },
            Value::String(s) => serializer.serialize_str(s),
            Value::Array(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Value::Object(fields) => {
                let mut map = serializer.serialize_map(Some(fields.len()))?;
                for (k, v) in fields {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
        }
    }
}

/// Length of the JSON number literal at the start of `b`, if there is one.
pub(crate) fn number_len(b: &[u8]) -> Option<usize> {
    let at = |i: usize| b.get(i).copied();
    let digits = |mut i: usize| {
        let start = i;
        while matches!(at(i), Some(b'0'..=b'9')) {
            i += 1;
        }
        (i > start).then_some(i)
    };
    let mut i = 0;
    if at(i) == Some(b'-') {
        i += 1;
    }
    i = match at(i) {
        Some(b'0') => i + 1,
        Some(b'1'..=b'9') => digits(i)?,
        _ => return None,
    };
    if at(i) == Some(b'.') {
        i = digits(i + 1)?;
    }
    if matches!(at(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(at(i), Some(b'+' | b'-')) {
            i += 1;
        }
        i = digits(i)?;
    }
    Some(i)
}
