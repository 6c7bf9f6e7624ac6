//! `m_redirect_url` pages: on mobile the SDK leaves the page and comes back to `m_redirect_url` with
//! the result in the query string. The original Promise never settles in that case; the redirect
//! page reads the result with [`parse_redirect`](crate::parse_redirect).

use crate::amount::Amount;
use crate::json::{JsonObject, ObjectWriter, SerdeObject};
use crate::response::{is_success, DEFAULT_ERROR_MSG};
use crate::value::Value;
use crate::text::split_once_byte;

/// The `sessionStorage` key prefix under which a request with `m_redirect_url` records itself.
///
/// ```
/// assert_eq!(iamport_billing::internals::STORAGE_PREFIX, "iamport-billing:");
/// ```
pub const STORAGE_PREFIX: &str = "iamport-billing:";

/// The result of a redirect, read from the query string (and the request's record, when the same
/// tab made the request).
///
/// ```
/// use iamport_billing::internals::parse_redirect_query;
/// let r = parse_redirect_query("https://shop.example/done?imp_uid=imps_1&merchant_uid=m1&imp_success=true").unwrap();
/// assert!(r.success);
/// assert_eq!(r.merchant_uid.as_deref(), Some("m1"));
/// assert_eq!(r.customer_uid, None); // unknown until recovered from the request's record
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
#[non_exhaustive]
pub struct RedirectResult {
    /// Judged by the same rule as callbacks.
    pub success: bool,
    /// `imp_uid`, if present and non-empty.
    pub imp_uid: Option<String>,
    /// `merchant_uid` (the first, if repeated), if present and non-empty.
    pub merchant_uid: Option<String>,
    /// From the request's record in `sessionStorage`, when found.
    pub customer_uid: Option<String>,
    /// From the request's record in `sessionStorage`, when found.
    pub amount: Option<Amount>,
    /// `error_code`, on failure.
    pub error_code: Option<String>,
    /// `error_msg` (a default when absent), on failure.
    pub error_msg: Option<String>,
    /// The query's fields (first value of each).
    pub raw: Vec<(String, String)>,
}

/// Reads a redirect URL's query (full URL, or `location.search`). `None` when it holds neither
/// `imp_uid` nor `merchant_uid`.
///
/// ```
/// use iamport_billing::internals::parse_redirect_query;
/// assert!(parse_redirect_query("https://shop.example/done").is_none());
/// let r = parse_redirect_query("?merchant_uid=m1&imp_success=false&error_msg=%EC%B7%A8%EC%86%8C").unwrap();
/// assert!(!r.success);
/// assert_eq!(r.error_msg.as_deref(), Some("취소"));
/// ```
pub fn parse_redirect_query(url: &str) -> Option<RedirectResult> {
    let query = split_once_byte(url, b'?').map(|(_, q)| q)?;
    let mut rest = split_once_byte(query, b'#').map_or(query, |(q, _)| q);
    let mut raw: Vec<(String, String)> = Vec::new();
    while !rest.is_empty() {
        let (part, next) = split_once_byte(rest, b'&').unwrap_or((rest, ""));
        rest = next;
        if part.is_empty() {
            continue;
        }
        let (k, v) = split_once_byte(part, b'=').unwrap_or((part, ""));
        let (k, v) = (percent_decode(k), percent_decode(v));
        if !raw.iter().any(|(seen, _)| *seen == k) {
            raw.push((k, v));
        }
    }
    let get = |key: &str| raw.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone()).filter(|v| !v.is_empty());
    let imp_uid = get("imp_uid");
    let merchant_uid = get("merchant_uid");
    if imp_uid.is_none() && merchant_uid.is_none() {
        return None;
    }
    let as_value = Value::Object(raw.iter().map(|(k, v)| (k.clone(), Value::from(v.as_str()))).collect());
    let success = is_success(&as_value);
    Some(RedirectResult {
        success,
        imp_uid,
        merchant_uid,
        customer_uid: None,
        amount: None,
        error_code: if success { None } else { get("error_code") },
        error_msg: if success { None } else { Some(get("error_msg").unwrap_or_else(|| String::from(DEFAULT_ERROR_MSG))) },
        raw,
    })
}

impl RedirectResult {
    /// Fills `customer_uid` and `amount` from a request record written by [`record_json`].
    ///
    /// ```
    /// use iamport_billing::Amount;
    /// use iamport_billing::internals::{parse_redirect_query, record_json};
    /// let mut r = parse_redirect_query("?imp_uid=imps_1&merchant_uid=m1").unwrap();
    /// r.recover(&record_json("m1", "c1", Amount::ZERO));
    /// assert_eq!(r.customer_uid.as_deref(), Some("c1"));
    /// ```
    pub fn recover(&mut self, record: &str) {
        let Ok(v) = crate::json::parse(record) else { return };
        if v.get("merchant_uid").and_then(Value::as_str) != self.merchant_uid.as_deref() {
            return;
        }
        let customer_uid = v.get("customer_uid").and_then(Value::as_str);
        let amount = v.get("amount").and_then(Value::as_safe_integer).and_then(|a| Amount::new(a).ok());
        if let (Some(c), Some(a)) = (customer_uid, amount) {
            self.customer_uid = Some(c.to_owned());
            self.amount = Some(a);
        }
    }

    /// The JavaScript result object as JSON (with `raw`).
    #[cfg_attr(not(all(target_arch = "wasm32", any(feature = "browser", feature = "npm"))), allow(dead_code))]
    pub(crate) fn to_js_json(&self) -> String {
        let mut o = JsonObject::new();
        self.write(&mut o);
        o.finish()
    }

    /// The fields in the JavaScript result's order: the one field list of both
    /// [`to_js_json`](Self::to_js_json) and the `Serialize` impl.
    fn write(&self, o: &mut impl ObjectWriter) {
        o.bool("success", self.success);
        o.str("imp_uid", self.imp_uid.as_deref());
        o.str("merchant_uid", self.merchant_uid.as_deref());
        o.str("customer_uid", self.customer_uid.as_deref());
        match self.amount {
            Some(a) => o.num("amount", Some(a.get())),
            None => o.null("amount"),
        }
        if !self.success {
            o.str("error_code", self.error_code.as_deref());
            o.str("error_msg", self.error_msg.as_deref());
        }
        let raw = Value::Object(self.raw.iter().map(|(k, v)| (k.clone(), Value::from(v.as_str()))).collect());
        o.value("raw", &raw);
    }

}

/// Serializes exactly like the JavaScript result of `parseRedirect`.
impl serde::Serialize for RedirectResult {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut o = SerdeObject::new(serializer.serialize_map(None)?);
        self.write(&mut o);
        o.end()
    }
}

/// The record a request with `m_redirect_url` leaves in `sessionStorage`.
///
/// ```
/// use iamport_billing::Amount;
/// use iamport_billing::internals::record_json;
/// assert_eq!(record_json("m1", "c1", Amount::ZERO), r#"{"merchant_uid":"m1","customer_uid":"c1","amount":0}"#);
/// ```
pub fn record_json(merchant_uid: &str, customer_uid: &str, amount: Amount) -> String {
    let mut o = JsonObject::new();
    o.str("merchant_uid", Some(merchant_uid));
    o.str("customer_uid", Some(customer_uid));
    o.num("amount", Some(amount.get()));
    o.finish()
}

/// `application/x-www-form-urlencoded` decoding: `+` is a space, `%XX` a byte; malformed escapes
/// stay as written; invalid UTF-8 becomes U+FFFD.
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let hex = |j: usize| bytes.get(j).and_then(|c| char::from(*c).to_digit(16));
        match b {
            b'+' => out.push(b' '),
            b'%' => match (hex(i + 1), hex(i + 2)) {
                (Some(h), Some(l)) => {
                    out.push((h * 16 + l) as u8);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            _ => out.push(b),
        }
        i += 1;
    }
    utf8_lossy(&out)
}

/// What `String::from_utf8_lossy` gives (each maximal invalid subsequence becomes one U+FFFD, as
/// the Encoding Standard decodes), without std's UTF-8 chunk iterator, which costs more wasm.
fn utf8_lossy(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&lead) = bytes.get(i) {
        // The sequence's length, and the range its first continuation byte must fall in.
        let (len, lo, hi) = match lead {
            0x00..=0x7f => (1, 0x80, 0xbf),
            0xc2..=0xdf => (2, 0x80, 0xbf),
            0xe0 => (3, 0xa0, 0xbf),
            0xe1..=0xec | 0xee..=0xef => (3, 0x80, 0xbf),
            0xed => (3, 0x80, 0x9f),
            0xf0 => (4, 0x90, 0xbf),
            0xf1..=0xf3 => (4, 0x80, 0xbf),
            0xf4 => (4, 0x80, 0x8f),
            _ => (0, 0, 0),
        };
        let mut code = u32::from(lead) & if len == 1 { 0x7f } else { 0x7f >> len };
        let mut n = 1;
        while n < len {
            let (lo, hi) = if n == 1 { (lo, hi) } else { (0x80, 0xbf) };
            match bytes.get(i + n) {
                Some(&b) if (lo..=hi).contains(&b) => code = code << 6 | u32::from(b & 0x3f),
                _ => break,
            }
            n += 1;
        }
        out.push(if n == len { char::from_u32(code).unwrap_or('\u{fffd}') } else { '\u{fffd}' });
        i += n.max(1);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_lossy_is_std_from_utf8_lossy() {
        let cases: &[&[u8]] = &[
            b"", b"plain", "한글 €𝄞".as_bytes(), b"\xff", b"a\xffb", b"\xe2\x82", b"a\xe2\x82", b"\xe2\x82z",
            b"\xf0\x9f\x98", b"\xed\xa0\x80", b"\xc0\xaf", b"\xc1\xbf", b"\xf4\x90\x80\x80", b"\xf5\x80",
            b"\x80\x80\xff\xfe", b"ok\xf0\x9f\x98\x80ok\xf0", b"\xe0\x80\x80", b"\xe0\xa0\x80", b"\xef\xbf\xbf",
        ];
        for bytes in cases {
            assert_eq!(utf8_lossy(bytes), String::from_utf8_lossy(bytes), "{bytes:?}");
        }
        // Seeded random byte strings weighted towards lead and continuation bytes.
        let mut next = crate::text::seeded(0x2026);
        for _ in 0..50_000 {
            let len = next() % 12;
            let bytes: Vec<u8> = (0..len)
                .map(|_| {
                    let pick = [0x41, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc2, 0xdf, 0xe0, 0xe1, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff];
                    let r = next();
                    if r % 4 == 0 { r as u8 } else { pick[(r >> 8) as usize % pick.len()] }
                })
                .collect();
            assert_eq!(utf8_lossy(&bytes), String::from_utf8_lossy(&bytes), "{bytes:?}");
        }
    }

    #[test]
    fn decodes_and_takes_first_value() {
        let r = parse_redirect_query("https://x.example/r?merchant_uid=a%20b&merchant_uid=zzz&imp_uid=imps_1&x=%zz+1#frag=1").unwrap();
        assert_eq!(r.merchant_uid.as_deref(), Some("a b"));
        assert!(r.success);
        assert_eq!(r.raw.iter().find(|(k, _)| k == "x").map(|(_, v)| v.as_str()), Some("%zz 1"));
        assert!(!r.raw.iter().any(|(k, _)| k == "frag"));
    }

    #[test]
    fn success_rule_matches_callbacks() {
        for (q, want) in [
            ("?imp_uid=i&imp_success=true", true),
            ("?imp_uid=i&success=true", true),
            ("?imp_uid=i", true),
            ("?imp_uid=i&imp_success=false", false),
            ("?imp_uid=i&success=false", false),
            ("?imp_uid=i&error_code=F100", false),
            ("?merchant_uid=m&imp_success=true", false),
        ] {
            assert_eq!(parse_redirect_query(q).map(|r| r.success), Some(want), "{q}");
        }
    }

    /// The JavaScript result of `parseRedirect` and the `Serialize` impl write the same object, in
    /// the order written out here by hand.
    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn both_serialisations_write_the_js_result() {
        let mut recovered = parse_redirect_query("?imp_uid=imps_1&merchant_uid=m1&imp_success=true").unwrap();
        recovered.recover(&record_json("m1", "c1", Amount::new(1004).unwrap()));
        for (result, want) in [
            (
                recovered,
                r#"{"success":true,"imp_uid":"imps_1","merchant_uid":"m1","customer_uid":"c1","amount":1004,"raw":{"imp_uid":"imps_1","merchant_uid":"m1","imp_success":"true"}}"#,
            ),
            (
                parse_redirect_query("?merchant_uid=m2&imp_success=false&error_code=F1&error_msg=%EC%B7%A8%EC%86%8C").unwrap(),
                r#"{"success":false,"imp_uid":null,"merchant_uid":"m2","customer_uid":null,"amount":null,"error_code":"F1","error_msg":"취소","raw":{"merchant_uid":"m2","imp_success":"false","error_code":"F1","error_msg":"취소"}}"#,
            ),
        ] {
            assert_eq!(result.to_js_json(), want);
            assert_eq!(serde_json::to_string(&result).ok().as_deref(), Some(want));
        }
    }

    #[test]
    fn record_recovery_needs_matching_merchant_uid() {
        let mut r = parse_redirect_query("?imp_uid=i&merchant_uid=m1").unwrap();
        r.recover(&record_json("other", "c1", Amount::ZERO));
        assert_eq!(r.customer_uid, None);
        r.recover("not json");
        assert_eq!(r.amount, None);
        r.recover(&record_json("m1", "c1", Amount::new(5).unwrap()));
        assert_eq!((r.customer_uid.as_deref(), r.amount.map(Amount::get)), (Some("c1"), Some(5)));
    }
}
