//! Reading params given as JSON: unknown keys (with "did you mean"), types, and the field's path.
//! The value rules (limits, formats) are in `rules`, shared by JSON params and typed params.

use serde_json::{Map, Value};

use crate::error::Error;

/// "a number", "an array", … for messages.
pub(crate) fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// `parent.key`, or `key` at the top.
pub(crate) fn path(parent: &str, key: &str) -> String {
    if parent.is_empty() {
        key.to_owned()
    } else {
        format!("{parent}.{key}")
    }
}

/// `INVALID_PARAM`: `field must be <expected> (got <type>)`.
pub(crate) fn not_a(field: &str, expected: &str, got: &Value) -> Error {
    let mut msg = format!("{field} must be {expected} (got {})", type_name(got));
    if let Value::String(s) = got {
        if expected.contains("number") && !s.is_empty() && s.len() <= 20 && s.bytes().all(|b| b.is_ascii_digit()) {
            msg.push_str(&format!(": write {s}, not '{s}'"));
        }
    }
    Error::invalid(field, msg)
}

/// An object's fields, read with their paths. `null` counts as absent.
#[derive(Debug)]
pub(crate) struct Obj<'a> {
    map: &'a Map<String, Value>,
    parent: String,
}

impl<'a> Obj<'a> {
    /// `value` must be an object whose keys are all in `known`.
    pub(crate) fn new(value: &'a Value, parent: &str, known: &[&str]) -> Result<Obj<'a>, Error> {
        let Value::Object(map) = value else {
            let name = if parent.is_empty() { "params" } else { parent };
            return Err(not_a(name, "an object", value));
        };
        for key in map.keys() {
            if !known.contains(&key.as_str()) {
                return Err(unknown_key(key, known, parent));
            }
        }
        Ok(Obj { map, parent: parent.to_owned() })
    }

    pub(crate) fn path(&self, key: &str) -> String {
        path(&self.parent, key)
    }

    pub(crate) fn get(&self, key: &str) -> Option<&'a Value> {
        self.map.get(key).filter(|v| !v.is_null())
    }

    pub(crate) fn opt_str(&self, key: &str) -> Result<Option<&'a str>, Error> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(other) => Err(not_a(&self.path(key), "a string", other)),
        }
    }

    pub(crate) fn req_str(&self, key: &str) -> Result<&'a str, Error> {
        match self.opt_str(key)? {
            Some(s) if !s.is_empty() => Ok(s),
            _ => Err(required(&self.path(key))),
        }
    }

    /// A whole number from 0 to 2⁵³ − 1.
    pub(crate) fn opt_u64(&self, key: &str) -> Result<Option<u64>, Error> {
        match self.get(key) {
            None => Ok(None),
            Some(v @ Value::Number(n)) => match n.as_u64().or_else(|| whole_f64(n.as_f64())) {
                Some(x) if x <= iamport_billing::Amount::MAX.get() => Ok(Some(x)),
                _ => Err(Error::invalid(
                    &self.path(key),
                    format!("{} must be a whole number from 0 to 9007199254740991 (got {v})", self.path(key)),
                )),
            },
            Some(other) => Err(not_a(&self.path(key), "a number", other)),
        }
    }

    pub(crate) fn req_u64(&self, key: &str) -> Result<u64, Error> {
        self.opt_u64(key)?.ok_or_else(|| required(&self.path(key)))
    }

    /// Any JSON value except `null`.
    pub(crate) fn opt_any(&self, key: &str) -> Option<&'a Value> {
        self.get(key)
    }
}

/// `-0.0`, `5.0`: numbers JavaScript writes that are whole.
fn whole_f64(f: Option<f64>) -> Option<u64> {
    let f = f?;
    // The cast is exact: a finite whole number within u64's range.
    (f.is_finite() && f >= 0.0 && f.fract() == 0.0 && f < 18_446_744_073_709_551_616.0).then_some(f as u64)
}

pub(crate) fn required(field: &str) -> Error {
    Error::invalid(field, format!("{field} is required"))
}

/// The error for a key that is not known: a secret, a likely typo, or just unknown.
pub(crate) fn unknown_key(key: &str, known: &[&str], parent: &str) -> Error {
    let shown: String = if key.is_empty() { "\"\"".to_owned() } else { key.chars().take(64).collect() };
    let at = path(parent, &shown);
    // The browser's list of secret-like keys: they belong in the client's config, never in params.
    if iamport_billing::rules::looks_like_secret(key) {
        return Error::invalid(
            &at,
            format!("{at} looks like a secret: the imp_key and imp_secret go in the client's config, never in a call's params"),
        );
    }
    let best = known
        .iter()
        .map(|k| (strsim::levenshtein(&key.to_ascii_lowercase(), &k.to_ascii_lowercase()), k))
        .filter(|(d, _)| *d <= 2)
        .min_by_key(|(d, _)| *d);
    match best {
        Some((_, k)) => Error::invalid(&at, format!("{at} is not a known parameter; did you mean {k}?")),
        None => Error::invalid(&at, format!("{at} is not a known parameter (known: {})", known.join(", "))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_types_and_names_paths() {
        let v = json!({ "a": "x", "n": 5.0, "b": true, "z": null, "s": "1000" });
        let o = Obj::new(&v, "schedules[1]", &["a", "n", "b", "z", "s", "m"]).unwrap();
        assert_eq!(o.req_str("a").unwrap(), "x");
        assert_eq!(o.opt_u64("n").unwrap(), Some(5));
        assert_eq!(o.opt_str("z").unwrap(), None);
        assert_eq!(o.req_str("m").unwrap_err().to_string(), "schedules[1].m is required");
        let e = o.opt_u64("s").unwrap_err();
        assert_eq!(e.field(), Some("schedules[1].s"));
        assert_eq!(e.to_string(), "schedules[1].s must be a number (got a string): write 1000, not '1000'");
        for bad in [json!({ "n": -1 }), json!({ "n": 1.5 }), json!({ "n": 9007199254740992u64 })] {
            let o = Obj::new(&bad, "", &["n"]).unwrap();
            assert_eq!(o.opt_u64("n").unwrap_err().field(), Some("n"), "{bad}");
        }
    }

    #[test]
    fn unknown_keys() {
        let known = ["customer_uid", "merchant_uid", "amount"];
        assert_eq!(unknown_key("custmer_uid", &known, "").to_string(), "custmer_uid is not a known parameter; did you mean customer_uid?");
        assert_eq!(unknown_key("zzz", &known, "x").to_string(), "x.zzz is not a known parameter (known: customer_uid, merchant_uid, amount)");
        assert!(unknown_key("imp_secret", &known, "").to_string().contains("looks like a secret"));
        assert!(Obj::new(&json!([1]), "", &known).unwrap_err().to_string().contains("params must be an object (got an array)"));
    }
}
