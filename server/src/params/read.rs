//! Params given as JSON are read by the core's one table and reader
//! ([`iamport_billing::fields`]): the same paths, type messages, "did you mean" and refusal of
//! secret-looking keys as the browser's `validateParams`. This module only hands serde_json's
//! values to it.

use iamport_billing::fields::{Read, Request, DANAL_CARD};
use iamport_billing::{Number, Value};

use crate::error::Error;

/// serde_json's value as the core's (numbers kept as their JSON text).
pub(crate) fn core_value(v: &serde_json::Value) -> Value {
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

/// The core's value as serde_json's (for `custom_data`, kept as given).
pub(crate) fn json_value(v: &Value) -> serde_json::Value {
    serde_json::to_value(v).unwrap_or(serde_json::Value::Null)
}

/// Reads `value` as `request`'s params by the package's table ([`DANAL_CARD`]).
pub(crate) fn read(request: Request, value: &serde_json::Value) -> Result<Read<'static>, Error> {
    Ok(iamport_billing::fields::read(&DANAL_CARD, request, &core_value(value), "")?)
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
