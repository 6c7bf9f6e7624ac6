//! Params given as JSON are read by the core's one table and reader
//! ([`iamport_billing::fields`]): the same paths, type messages, "did you mean" and refusal of
//! secret-looking keys as the browser's `validateParams`. This module only hands serde_json's
//! values to it.

use iamport_billing::fields::{Profile, Read, Request, DANAL_CARD};
use iamport_billing::internals::json::{marker_kind, MARKER_KEY};
use iamport_billing::{Number, Unsupported, Value};

use crate::error::Error;

/// serde_json's value as the core's (numbers kept as their JSON text). The npm wrapper's marker for a
/// value JSON cannot carry (`{"\u0000iamport-billing": "bigint"}`, as the browser's glue writes it)
/// becomes [`Value::Unsupported`], as the browser's reader reads it: the same message, at the same path.
pub(crate) fn core_value(v: &serde_json::Value) -> Value {
    if let Some(kind) = marker(v) {
        return Value::Unsupported(kind);
    }
    match v {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        // serde_json writes every number it holds as a JSON number literal.
        serde_json::Value::Number(n) => Number::from_json_text(&n.to_string()).map_or(Value::Null, Value::Number),
        serde_json::Value::String(s) => Value::String(s.clone()),
        serde_json::Value::Array(items) => Value::Array(items.iter().map(core_value).collect()),
        serde_json::Value::Object(map) => Value::Object(map.iter().map(|(k, v)| (k.clone(), core_value(v))).collect()),
    }
}

/// The kind of value the npm wrapper's marker `v` stands for; `None` when `v` is not a marker.
pub(crate) fn marker(v: &serde_json::Value) -> Option<Unsupported> {
    match v {
        serde_json::Value::Object(map) if map.len() == 1 => match map.get(MARKER_KEY) {
            Some(serde_json::Value::String(tag)) => Some(marker_kind(tag)),
            _ => None,
        },
        _ => None,
    }
}

/// The core's value as serde_json's (for `custom_data`, kept as given).
pub(crate) fn json_value(v: &Value) -> serde_json::Value {
    serde_json::to_value(v).unwrap_or(serde_json::Value::Null)
}

/// Reads `value` as `request`'s params by the package's table ([`DANAL_CARD`]).
pub(crate) fn read(request: Request, value: &serde_json::Value) -> Result<Read<'static>, Error> {
    read_in(&DANAL_CARD, request, value)
}

/// [`read`] by another PG's table.
pub(crate) fn read_in<'p>(profile: &Profile<'p>, request: Request, value: &serde_json::Value) -> Result<Read<'p>, Error> {
    Ok(iamport_billing::fields::read(profile, request, &core_value(value), "")?)
}

/// Checks typed params (Rust's constructors) by the same table: `pairs` are the fields that are
/// set, as JSON values.
pub(crate) fn check(request: Request, pairs: Vec<(&str, Value)>) -> Result<Read<'static>, Error> {
    let object = Value::Object(pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect());
    Ok(iamport_billing::fields::read(&DANAL_CARD, request, &object, "")?)
}

/// [`check`] for an entry or object below the top: errors name `path.field`.
pub(crate) fn check_at(request: Request, pairs: Vec<(&str, Value)>, path: &str) -> Result<Read<'static>, Error> {
    let object = Value::Object(pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect());
    Ok(iamport_billing::fields::read(&DANAL_CARD, request, &object, path)?)
}

/// Checks one id given alone (`getPayment(imp_uid)`) by its field in the table.
pub(crate) fn id(name: &str, value: &str) -> Result<(), Error> {
    Ok(iamport_billing::fields::check_one(&DANAL_CARD, name, &Value::from(value))?)
}

/// The package's type error for a serde_json value (`expected` may start with "a " or "an ").
pub(crate) fn not_a(field: &str, expected: &str, got: &serde_json::Value) -> Error {
    let expected = expected.strip_prefix("an ").or_else(|| expected.strip_prefix("a ")).unwrap_or(expected);
    Error::from(iamport_billing::fields::type_error(field, expected, &core_value(got)))
}

/// A text value, or nothing.
pub(crate) fn text(s: Option<&String>) -> Value {
    s.map_or(Value::Null, |s| Value::from(s.as_str()))
}

/// A number value, or nothing.
pub(crate) fn num(n: Option<u64>) -> Value {
    n.map_or(Value::Null, Value::from)
}
