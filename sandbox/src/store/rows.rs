//! Rows to structs and back through serde: a struct's fields are a table's columns (same names), so
//! each table is read and written by one generic pair of functions instead of hand-kept column lists.

use rusqlite::types::{Value as Sql, ValueRef};
use rusqlite::{Connection, Params, Row};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{Map, Number, Value};

/// Why a row could not be written or read: the database failed, or a row did not fit its struct.
#[derive(Debug)]
pub enum RowError {
    /// SQLite failed.
    Sql(rusqlite::Error),
    /// A row is not the struct's shape (or a struct is not an object).
    Shape(serde_json::Error),
}

impl std::fmt::Display for RowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RowError::Sql(e) => write!(f, "the sandbox's database failed: {e}"),
            RowError::Shape(e) => write!(f, "a stored row could not be read: {e}"),
        }
    }
}

impl std::error::Error for RowError {}

impl From<rusqlite::Error> for RowError {
    fn from(e: rusqlite::Error) -> Self {
        RowError::Sql(e)
    }
}

impl From<serde_json::Error> for RowError {
    fn from(e: serde_json::Error) -> Self {
        RowError::Shape(e)
    }
}

/// Columns that hold a boolean (SQLite keeps 0 / 1).
const BOOLEAN_COLUMNS: [&str; 3] = ["escrow", "cash_receipt_issued", "sandbox"];

fn to_sql(v: &Value) -> Sql {
    match v {
        Value::Null => Sql::Null,
        Value::Bool(b) => Sql::Integer(i64::from(*b)),
        Value::Number(n) => n
            .as_i64()
            .map(Sql::Integer)
            .unwrap_or_else(|| Sql::Real(n.as_f64().unwrap_or(0.0))),
        Value::String(s) => Sql::Text(s.clone()),
        other => Sql::Text(other.to_string()),
    }
}

/// Inserts (or replaces, by primary key) `row` into `table`: every field that is not an array is a
/// column. Only that row is written.
pub fn put(db: &Connection, table: &str, row: &impl Serialize) -> Result<(), RowError> {
    let Value::Object(map) = serde_json::to_value(row)? else {
        return Err(RowError::Shape(serde::ser::Error::custom(
            "a row must be an object",
        )));
    };
    let fields: Vec<(&String, &Value)> = map.iter().filter(|(_, v)| !v.is_array()).collect();
    let names: Vec<&str> = fields.iter().map(|(k, _)| k.as_str()).collect();
    let marks: Vec<String> = (1..=fields.len()).map(|i| format!("?{i}")).collect();
    let sql = format!(
        "INSERT OR REPLACE INTO {table} ({}) VALUES ({})",
        names.join(", "),
        marks.join(", ")
    );
    let values: Vec<Sql> = fields.iter().map(|(_, v)| to_sql(v)).collect();
    db.prepare_cached(&sql)?
        .execute(rusqlite::params_from_iter(values))?;
    Ok(())
}

/// A row as a JSON object (column name → value).
pub fn row_map(row: &Row<'_>) -> rusqlite::Result<Map<String, Value>> {
    let stmt = row.as_ref();
    let mut map = Map::new();
    for i in 0..stmt.column_count() {
        let name = stmt.column_name(i)?.to_owned();
        let value = match row.get_ref(i)? {
            ValueRef::Null => Value::Null,
            ValueRef::Integer(n) if BOOLEAN_COLUMNS.contains(&name.as_str()) => Value::Bool(n != 0),
            ValueRef::Integer(n) => Value::from(n),
            ValueRef::Real(f) => Number::from_f64(f).map_or(Value::Null, Value::Number),
            ValueRef::Text(t) | ValueRef::Blob(t) => {
                Value::String(String::from_utf8_lossy(t).into_owned())
            }
        };
        map.insert(name, value);
    }
    Ok(map)
}

/// The rows `sql` selects, as `T`s.
pub fn all<T: DeserializeOwned>(
    db: &Connection,
    sql: &str,
    params: impl Params,
) -> Result<Vec<T>, RowError> {
    let mut stmt = db.prepare_cached(sql)?;
    let maps = stmt
        .query_map(params, row_map)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    maps.into_iter()
        .map(|m| serde_json::from_value(Value::Object(m)).map_err(RowError::from))
        .collect()
}

/// The first row `sql` selects, as a `T`.
pub fn one<T: DeserializeOwned>(
    db: &Connection,
    sql: &str,
    params: impl Params,
) -> Result<Option<T>, RowError> {
    let mut stmt = db.prepare_cached(sql)?;
    let mut rows = stmt.query(params)?;
    match rows.next()? {
        Some(row) => Ok(Some(serde_json::from_value(Value::Object(row_map(row)?))?)),
        None => Ok(None),
    }
}
