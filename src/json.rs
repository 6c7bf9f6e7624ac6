//! JSON text ⇄ [`Value`], without panics and without `core::fmt`.
//!
//! The browser glue turns JavaScript values into JSON with `JSON.stringify` and a replacer that
//! marks what JSON cannot carry as `{"\u0000iamport-billing": "<kind>"}`; [`parse`] turns such
//! markers into [`Value::Unsupported`]. One string crosses the boundary instead of one call per
//! property, and a Proxy or a throwing getter can only make `JSON.stringify` throw (reported as
//! [`Unsupported::Unreadable`]), never trap the module.

use crate::value::{number_len, Number, Unsupported, Value};

/// The key of the marker object `{"\u0000iamport-billing": "<tag>"}` the JavaScript encoders write
/// in place of a value JSON cannot carry (the tags: [`MARKER_TAGS`](crate::value::MARKER_TAGS)).
pub const MARKER_KEY: &str = "\u{0}iamport-billing";

/// The kind of value a marker's tag stands for; a tag no encoder of this package writes is
/// [`Unsupported::Unreadable`]. The server crate reads the npm wrapper's markers with it from
/// serde_json's values, as [`parse`] reads them from text.
///
/// ```
/// use iamport_billing::Unsupported;
/// use iamport_billing::internals::json;
/// assert_eq!(json::marker_kind("bigint"), Unsupported::BigInt);
/// assert_eq!(json::marker_kind("???"), Unsupported::Unreadable);
/// ```
pub fn marker_kind(tag: &str) -> Unsupported {
    crate::value::MARKER_TAGS.iter().find(|(t, _)| *t == tag).map_or(Unsupported::Unreadable, |(_, kind)| *kind)
}

/// Deepest nesting accepted; deeper input parses as [`Unsupported::TooLarge`].
///
/// ```
/// use iamport_billing::{Unsupported, Value};
/// use iamport_billing::internals::json;
/// let deep = "[".repeat(json::MAX_DEPTH + 2) + &"]".repeat(json::MAX_DEPTH + 2);
/// assert!(matches!(json::parse(&deep), Ok(Value::Array(_))));
/// # let _ = Unsupported::TooLarge;
/// ```
pub const MAX_DEPTH: usize = 64;

/// Why a text is not JSON.
///
/// ```
/// use iamport_billing::internals::json;
/// assert_eq!(json::parse("[1,]"), Err(json::SyntaxError));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SyntaxError;

/// Parses JSON text into a [`Value`].
///
/// Lone surrogates in `\u` escapes become [`Unsupported::InvalidUnicode`]; nesting deeper than
/// [`MAX_DEPTH`] becomes [`Unsupported::TooLarge`].
///
/// ```
/// use iamport_billing::Value;
/// use iamport_billing::internals::json;
/// let v = json::parse(r#"{"amount":0,"name":"최초인증결제"}"#).unwrap();
/// assert_eq!(v.get("name").and_then(Value::as_str), Some("최초인증결제"));
/// assert!(json::parse("{").is_err());
/// ```
pub fn parse(text: &str) -> Result<Value, SyntaxError> {
    let mut p = Parser { text, bytes: text.as_bytes(), pos: 0 };
    p.skip_ws();
    let v = p.value(0)?;
    p.skip_ws();
    if p.pos != p.bytes.len() {
        return Err(SyntaxError);
    }
    Ok(v)
}

/// Writes `value` as compact JSON. [`Value::Unsupported`] is written as `null`.
///
/// ```
/// use iamport_billing::Value;
/// use iamport_billing::internals::json;
/// let v = Value::object([("a", Value::from("x\"y")), ("b", Value::from(1u64))]);
/// assert_eq!(json::to_string(&v), r#"{"a":"x\"y","b":1}"#);
/// ```
pub fn to_string(value: &Value) -> String {
    let mut out = String::new();
    write_value(&mut out, value);
    out
}

pub(crate) fn write_value(out: &mut String, value: &Value) {
    match value {
        Value::Null | Value::Unsupported(_) => out.push_str("null"),
        Value::Bool(true) => out.push_str("true"),
        Value::Bool(false) => out.push_str("false"),
        Value::Number(n) => out.push_str(n.as_str()),
        Value::String(s) => write_str(out, s),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_value(out, item);
            }
            out.push(']');
        }
        Value::Object(fields) => write_object(out, fields.iter().map(|(k, v)| (k.as_str(), v))),
    }
}

/// Writes an object from its `(key, value)` pairs, in order.
pub(crate) fn write_object<'a>(out: &mut String, fields: impl Iterator<Item = (&'a str, &'a Value)>) {
    out.push('{');
    for (i, (k, v)) in fields.enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_str(out, k);
        out.push(':');
        write_value(out, v);
    }
    out.push('}');
}

/// Writes a JSON string literal: in one piece when nothing in `s` needs an escape (the usual case),
/// else character by character ([`write_str_escaped`]; a 0xE2 byte may start U+2028/U+2029).
pub(crate) fn write_str(out: &mut String, s: &str) {
    if s.bytes().all(|b| b >= 0x20 && b != b'"' && b != b'\\' && b != 0xE2) {
        out.push('"');
        out.push_str(s);
        out.push('"');
    } else {
        write_str_escaped(out, s);
    }
}

/// Writes a JSON string literal, escaping `"`, `\`, control characters and U+2028/U+2029.
fn write_str_escaped(out: &mut String, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || c == '\u{2028}' || c == '\u{2029}' => {
                let n = c as u32;
                out.push_str("\\u");
                for shift in [12u32, 8, 4, 0] {
                    let digit = HEX.get(((n >> shift) & 0xf) as usize).copied().unwrap_or(b'0');
                    out.push(char::from(digit));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn eat(&mut self, lit: &[u8]) -> Result<(), SyntaxError> {
        if self.bytes.get(self.pos..self.pos + lit.len()) == Some(lit) {
            self.pos += lit.len();
            Ok(())
        } else {
            Err(SyntaxError)
        }
    }

    fn value(&mut self, depth: usize) -> Result<Value, SyntaxError> {
        if depth > MAX_DEPTH && matches!(self.peek(), Some(b'[' | b'{')) {
            self.skip_nested()?;
            return Ok(Value::Unsupported(Unsupported::TooLarge));
        }
        match self.peek() {
            Some(b'n') => self.eat(b"null").map(|_| Value::Null),
            Some(b't') => self.eat(b"true").map(|_| Value::Bool(true)),
            Some(b'f') => self.eat(b"false").map(|_| Value::Bool(false)),
            Some(b'"') => Ok(match self.string()? {
                Ok(s) => Value::String(s),
                Err(kind) => Value::Unsupported(kind),
            }),
            Some(b'[') => self.array(depth),
            Some(b'{') => self.object(depth),
            Some(_) => {
                let rest = self.bytes.get(self.pos..).unwrap_or(&[]);
                let len = number_len(rest).ok_or(SyntaxError)?;
                // Number literals are ASCII, so this is a char boundary.
                let text = self.text.get(self.pos..self.pos + len).ok_or(SyntaxError)?;
                self.pos += len;
                Ok(Value::Number(Number::from_checked_text(text)))
            }
            None => Err(SyntaxError),
        }
    }

    fn array(&mut self, depth: usize) -> Result<Value, SyntaxError> {
        self.pos += 1;
        let mut items = Vec::new();
        self.skip_ws();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(too_deep_or(depth, Value::Array(items)));
        }
        loop {
            self.skip_ws();
            items.push(self.value(depth + 1)?);
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(too_deep_or(depth, Value::Array(items)));
                }
                _ => return Err(SyntaxError),
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<Value, SyntaxError> {
        self.pos += 1;
        let mut fields: Vec<(String, Value)> = Vec::new();
        self.skip_ws();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(too_deep_or(depth, Value::Object(fields)));
        }
        loop {
            self.skip_ws();
            if self.peek() != Some(b'"') {
                return Err(SyntaxError);
            }
            // A key with a lone surrogate keeps U+FFFD in its place: keys are only compared.
            let key = self.string()?.unwrap_or_else(|_| String::from("\u{fffd}"));
            self.skip_ws();
            self.eat(b":")?;
            self.skip_ws();
            let value = self.value(depth + 1)?;
            fields.push((key, value));
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    break;
                }
                _ => return Err(SyntaxError),
            }
        }
        // The glue's marker for a value JSON cannot carry.
        if let [(key, Value::String(tag))] = fields.as_slice() {
            if key == MARKER_KEY {
                return Ok(Value::Unsupported(marker_kind(tag)));
            }
        }
        Ok(too_deep_or(depth, Value::Object(fields)))
    }

    /// Parses a string literal. The inner `Err` reports a lone surrogate.
    fn string(&mut self) -> Result<Result<String, Unsupported>, SyntaxError> {
        self.pos += 1; // opening quote
        let mut out = String::new();
        let mut lone_surrogate = false;
        loop {
            let start = self.pos;
            while let Some(b) = self.peek() {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.pos += 1;
            }
            // The chunk ends before an ASCII byte or at the end, so it is a char boundary.
            out.push_str(self.text.get(start..self.pos).ok_or(SyntaxError)?);
            match self.peek() {
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(if lone_surrogate { Err(Unsupported::InvalidUnicode) } else { Ok(out) });
                }
                Some(b'\\') => {
                    self.pos += 1;
                    let esc = self.peek().ok_or(SyntaxError)?;
                    self.pos += 1;
                    match esc {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => {
                            let hi = self.hex4()?;
                            let code = if (0xD800..0xDC00).contains(&hi) {
                                // A high surrogate: a low one must follow.
                                if self.bytes.get(self.pos..self.pos + 2) == Some(b"\\u") {
                                    let save = self.pos;
                                    self.pos += 2;
                                    let lo = self.hex4()?;
                                    if (0xDC00..0xE000).contains(&lo) {
                                        Some(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00))
                                    } else {
                                        self.pos = save;
                                        None
                                    }
                                } else {
                                    None
                                }
                            } else if (0xDC00..0xE000).contains(&hi) {
                                None
                            } else {
                                Some(hi)
                            };
                            match code.and_then(char::from_u32) {
                                Some(c) => out.push(c),
                                None => {
                                    lone_surrogate = true;
                                    out.push('\u{fffd}');
                                }
                            }
                        }
                        _ => return Err(SyntaxError),
                    }
                }
                _ => return Err(SyntaxError),
            }
        }
    }

    /// Skips a nested array or object without recursion (so deep input cannot overflow the
    /// stack, which would trap in wasm). Checks brackets and strings, not the full grammar.
    fn skip_nested(&mut self) -> Result<(), SyntaxError> {
        let mut stack: Vec<u8> = Vec::new();
        while let Some(b) = self.peek() {
            self.pos += 1;
            match b {
                b'[' => stack.push(b']'),
                b'{' => stack.push(b'}'),
                b']' | b'}' => {
                    if stack.pop() != Some(b) {
                        return Err(SyntaxError);
                    }
                    if stack.is_empty() {
                        return Ok(());
                    }
                }
                b'"' => {
                    self.pos -= 1;
                    let _ = self.string()?;
                }
                _ => {}
            }
        }
        Err(SyntaxError)
    }

    fn hex4(&mut self) -> Result<u32, SyntaxError> {
        let mut n = 0u32;
        for _ in 0..4 {
            let b = self.peek().ok_or(SyntaxError)?;
            let d = match b {
                b'0'..=b'9' => b - b'0',
                b'a'..=b'f' => b - b'a' + 10,
                b'A'..=b'F' => b - b'A' + 10,
                _ => return Err(SyntaxError),
            };
            n = n * 16 + u32::from(d);
            self.pos += 1;
        }
        Ok(n)
    }
}

fn too_deep_or(depth: usize, v: Value) -> Value {
    if depth >= MAX_DEPTH {
        Value::Unsupported(Unsupported::TooLarge)
    } else {
        v
    }
}

/// Where an object's fields go, key by key: [`JsonObject`] (the JSON text for JavaScript) or
/// [`SerdeObject`] (any serde serializer). One field list serves both, so the two shapes cannot
/// differ.
pub(crate) trait ObjectWriter {
    /// A string, or `null` for `None`.
    fn str(&mut self, key: &'static str, value: Option<&str>);
    /// A number, left out for `None`.
    fn num(&mut self, key: &'static str, value: Option<u64>);
    fn bool(&mut self, key: &'static str, value: bool);
    fn null(&mut self, key: &'static str);
    /// Any JSON value.
    fn value(&mut self, key: &'static str, value: &Value);

    /// A string, left out for `None`.
    fn str_opt(&mut self, key: &'static str, value: Option<&str>) {
        if value.is_some() {
            self.str(key, value);
        }
    }
}

/// Writes one JSON object (no `core::fmt`). Keys are this crate's own field names, which need no
/// escape.
pub(crate) struct JsonObject(String);

impl JsonObject {
    pub(crate) fn new() -> JsonObject {
        // Room for a typical result, so the text is not regrown field by field.
        let mut out = String::with_capacity(512);
        out.push('{');
        JsonObject(out)
    }

    #[inline(never)]
    fn key(&mut self, key: &'static str) {
        debug_assert!(key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'));
        if self.0.len() > 1 {
            self.0.push(',');
        }
        self.0.push('"');
        self.0.push_str(key);
        self.0.push_str("\":");
    }

    pub(crate) fn finish(mut self) -> String {
        self.0.push('}');
        self.0
    }
}

impl ObjectWriter for JsonObject {
    #[inline(never)]
    fn str(&mut self, key: &'static str, value: Option<&str>) {
        self.key(key);
        match value {
            Some(s) => write_str(&mut self.0, s),
            None => self.0.push_str("null"),
        }
    }

    #[inline(never)]
    fn num(&mut self, key: &'static str, value: Option<u64>) {
        if let Some(n) = value {
            self.key(key);
            crate::text::push_u64(&mut self.0, n);
        }
    }

    fn bool(&mut self, key: &'static str, value: bool) {
        self.key(key);
        self.0.push_str(if value { "true" } else { "false" });
    }

    fn null(&mut self, key: &'static str) {
        self.key(key);
        self.0.push_str("null");
    }

    fn value(&mut self, key: &'static str, value: &Value) {
        self.key(key);
        write_value(&mut self.0, value);
    }
}

/// The same fields into a serde map; the first error is kept and returned by [`end`](Self::end).
pub(crate) struct SerdeObject<M: serde::ser::SerializeMap> {
    map: M,
    error: Option<M::Error>,
}

impl<M: serde::ser::SerializeMap> SerdeObject<M> {
    pub(crate) fn new(map: M) -> Self {
        SerdeObject { map, error: None }
    }

    fn entry<V: serde::Serialize + ?Sized>(&mut self, key: &'static str, value: &V) {
        if self.error.is_none() {
            if let Err(e) = self.map.serialize_entry(key, value) {
                self.error = Some(e);
            }
        }
    }

    pub(crate) fn end(self) -> Result<M::Ok, M::Error> {
        match self.error {
            Some(e) => Err(e),
            None => self.map.end(),
        }
    }
}

impl<M: serde::ser::SerializeMap> ObjectWriter for SerdeObject<M> {
    fn str(&mut self, key: &'static str, value: Option<&str>) {
        self.entry(key, &value);
    }

    fn num(&mut self, key: &'static str, value: Option<u64>) {
        if let Some(n) = value {
            self.entry(key, &n);
        }
    }

    fn bool(&mut self, key: &'static str, value: bool) {
        self.entry(key, &value);
    }

    fn null(&mut self, key: &'static str) {
        self.entry(key, &());
    }

    fn value(&mut self, key: &'static str, value: &Value) {
        self.entry(key, value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn write_str_in_one_piece_writes_what_the_escaping_writer_writes() {
        let check = |s: &str| {
            let (mut fast, mut reference) = (String::new(), String::new());
            write_str(&mut fast, s);
            write_str_escaped(&mut reference, s);
            assert_eq!(fast, reference, "{s:?}");
        };
        for s in ["", "plain", "최초인증결제", "a\"b", "back\\slash", "\n\t\r\u{1}\u{1f}", "\u{2028}x\u{2029}", "…\u{2027}\u{202a}", "😀", "\u{7f}\u{85}"] {
            check(s);
        }
        // Every character, alone and between others.
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            check(&c.to_string());
            check(&format!("a{c}가"));
        }
    }

    #[test]
    fn round_trips() {
        for text in [
            r#"{"a":[1,2.5,-0,1e+21],"b":{"c":null,"d":true,"e":false},"f":"가\"\\\n\u0001"}"#,
            "[]",
            "{}",
            r#""\u2028""#,
        ] {
            let v = parse(text).unwrap();
            assert_eq!(parse(&to_string(&v)).unwrap(), v, "{text}");
        }
    }

    #[test]
    fn surrogates() {
        assert_eq!(parse(r#""\ud83d\ude00""#).unwrap(), Value::from("😀"));
        assert_eq!(parse(r#""\ud83d""#).unwrap(), Value::Unsupported(Unsupported::InvalidUnicode));
        assert_eq!(parse(r#""\ude00x""#).unwrap(), Value::Unsupported(Unsupported::InvalidUnicode));
        assert_eq!(parse(r#""\ud83d\u0041""#).unwrap(), Value::Unsupported(Unsupported::InvalidUnicode));
    }

    #[test]
    fn markers() {
        assert_eq!(parse(r#"{"\u0000iamport-billing":"bigint"}"#).unwrap(), Value::Unsupported(Unsupported::BigInt));
        assert_eq!(parse(r#"{"\u0000iamport-billing":"???"}"#).unwrap(), Value::Unsupported(Unsupported::Unreadable));
    }

    #[test]
    fn depth_is_limited_without_recursion_blowup() {
        let deep = "[".repeat(MAX_DEPTH + 5) + &"]".repeat(MAX_DEPTH + 5);
        let v = parse(&deep).unwrap();
        assert!(v.find_unsupported("x").is_some());
    }

    #[test]
    fn rejects_bad_text() {
        for text in ["", "{", "[1,]", "{\"a\"}", "01", "1.", "-", "nul", "\"\\x\"", "\"a", "{} x", "\"\u{1}\""] {
            assert_eq!(parse(text), Err(SyntaxError), "{text:?}");
        }
    }
}
