//! Column values in and out: reading a stored value into its type (a value that cannot be read
//! names its field and record), reading it as stored for `verify`, and the audit payload's JSON.
//!
//! Every table module reads its rows with these, so a value edited with an outside tool into
//! something Lingtan never writes is always refused the same way: a [`StoreError::BadValue`]
//! naming the record, the field and the value.

use crate::error::{Result, StoreError};
use chrono::NaiveDate;
use lingtan_core::{Decimal, Unit};
use rusqlite::types::ValueRef;
use rusqlite::{Connection, Row};
use serde::Serialize;

/// A stored value that cannot be read (the record is named later by [`in_record`]).
pub(crate) fn bad(field: &'static str, value: &str, detail: impl ToString) -> StoreError {
    StoreError::BadValue {
        place: String::new(),
        field,
        value: value.chars().take(80).collect(),
        detail: detail.to_string(),
    }
}

/// Name the record a stored value that cannot be read belongs to.
pub(crate) fn in_record(e: StoreError, record: impl FnOnce() -> String) -> StoreError {
    match e {
        StoreError::BadValue {
            place,
            field,
            value,
            detail,
        } if place.is_empty() => StoreError::BadValue {
            place: record(),
            field,
            value,
            detail,
        },
        other => other,
    }
}

/// A TEXT column; a value that is not valid UTF-8 (written with an outside tool) is refused as a
/// bad stored value, not as a raw database error.
pub(crate) fn text(r: &Row<'_>, i: usize, field: &'static str) -> Result<String> {
    opt_text(r, i, field)?.ok_or_else(|| bad(field, "NULL", "it is empty"))
}

pub(crate) fn opt_text(r: &Row<'_>, i: usize, field: &'static str) -> Result<Option<String>> {
    match r.get_ref(i)? {
        ValueRef::Null => Ok(None),
        ValueRef::Text(t) => match std::str::from_utf8(t) {
            Ok(s) => Ok(Some(s.to_string())),
            Err(_) => Err(bad(
                field,
                &String::from_utf8_lossy(t),
                "it is not valid UTF-8 text",
            )),
        },
        other => Err(bad(field, &format!("{other:?}"), "it is not text")),
    }
}

pub(crate) fn dec(field: &'static str, text: &str) -> Result<Decimal> {
    text.parse::<Decimal>().map_err(|e| bad(field, text, e))
}

pub(crate) fn opt_dec(field: &'static str, text: Option<String>) -> Result<Option<Decimal>> {
    text.map(|t| dec(field, &t)).transpose()
}

pub(crate) fn unit(field: &'static str, text: &str) -> Result<Unit> {
    Unit::ALL
        .iter()
        .copied()
        .find(|u| u.code() == text)
        .map(Ok)
        .unwrap_or_else(|| Unit::parse(text).map_err(|e| bad(field, text, e)))
}

/// YYYY-MM-DD without chrono's general parser (this runs a million times for a big inventory).
pub(crate) fn date(field: &'static str, text: &str) -> Result<NaiveDate> {
    let b = text.as_bytes();
    let num = |s: &[u8]| -> Option<u32> {
        s.iter().try_fold(0u32, |acc, c| {
            c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
        })
    };
    if b.len() == 10 && b[4] == b'-' && b[7] == b'-' {
        if let (Some(y), Some(m), Some(d)) = (num(&b[0..4]), num(&b[5..7]), num(&b[8..10])) {
            if let Some(date) = NaiveDate::from_ymd_opt(y as i32, m, d) {
                return Ok(date);
            }
        }
    }
    Err(bad(field, text, "expected YYYY-MM-DD"))
}

/// A column's bytes as they are stored (TEXT or BLOB; a number as its digits), `None` for NULL:
/// a value that is not valid UTF-8 is still what it is, for hashing.
pub(crate) fn raw(r: &Row<'_>, i: usize) -> rusqlite::Result<Option<Vec<u8>>> {
    Ok(match r.get_ref(i)? {
        ValueRef::Null => None,
        ValueRef::Text(t) | ValueRef::Blob(t) => Some(t.to_vec()),
        ValueRef::Integer(n) => Some(n.to_string().into_bytes()),
        ValueRef::Real(x) => Some(format!("{x:?}").into_bytes()),
    })
}

/// A column as it is stored, as text: invalid UTF-8 shown with U+FFFD (for verify: a changed text
/// then differs from what the log recorded; for listings: shown, never refused). `None` for NULL.
pub(crate) fn lossy(r: &Row<'_>, i: usize) -> rusqlite::Result<Option<String>> {
    Ok(match r.get_ref(i)? {
        ValueRef::Null => None,
        ValueRef::Text(t) | ValueRef::Blob(t) => Some(String::from_utf8_lossy(t).into_owned()),
        ValueRef::Integer(n) => Some(n.to_string()),
        ValueRef::Real(x) => Some(format!("{x:?}")),
    })
}

/// [`lossy`], NULL as the empty text.
pub(crate) fn lossy_text(r: &Row<'_>, i: usize) -> Result<String> {
    Ok(lossy(r, i)?.unwrap_or_default())
}

/// Every row of `sql` with `params`, parsed; the first row that cannot be read is an error
/// naming it.
pub(crate) fn read_rows<T>(
    conn: &Connection,
    sql: &str,
    params: impl rusqlite::Params,
    parse: impl Fn(&Row<'_>) -> Result<T>,
) -> Result<Vec<T>> {
    let mut stmt = conn.prepare(sql)?;
    let mut rows = stmt.query(params)?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        out.push(parse(r)?);
    }
    Ok(out)
}

/// [`payload`] of a JSON value built for it (`json!`): the same text, without first copying the
/// value through serde (verify and the data fingerprint make one for every row).
pub(crate) fn payload_value(mut value: serde_json::Value) -> String {
    if let serde_json::Value::Object(map) = &mut value {
        map.retain(|_, v| !v.is_null());
    }
    value.to_string()
}

/// The content of a row as the audit log records it: compact JSON with null fields left out, so
/// that a migration adding a nullable column does not change the payload of existing records.
/// Writes a payload directly, `{"key":value,…}` as serde_json writes an object (no spaces),
/// for the tables with a row per record: the caller gives the keys in serde_json's order
/// (sorted) and a test holds its text equal to [`payload_value`]'s.
#[derive(Default)]
pub(crate) struct PayloadWriter {
    out: Vec<u8>,
}

impl PayloadWriter {
    /// `key` and its value; nothing for `None` (a null is left out of a payload).
    pub(crate) fn field<T: Serialize + ?Sized>(
        &mut self,
        key: &str,
        value: Option<&T>,
    ) -> serde_json::Result<()> {
        let Some(value) = value else {
            return Ok(());
        };
        self.out.push(if self.out.is_empty() { b'{' } else { b',' });
        serde_json::to_writer(&mut self.out, key)?;
        self.out.push(b':');
        serde_json::to_writer(&mut self.out, value)
    }

    /// The payload, when every field was written (`written`) as UTF-8.
    pub(crate) fn finish(mut self, written: serde_json::Result<()>) -> Option<String> {
        written.ok()?;
        if self.out.is_empty() {
            self.out.push(b'{');
        }
        self.out.push(b'}');
        String::from_utf8(self.out).ok()
    }
}

pub(crate) fn payload<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::Object(map)) => {
            let kept: serde_json::Map<String, serde_json::Value> =
                map.into_iter().filter(|(_, v)| !v.is_null()).collect();
            serde_json::Value::Object(kept).to_string()
        }
        Ok(other) => other.to_string(),
        Err(_) => String::new(),
    }
}

#[cfg(test)]
mod payload_tests {
    use super::*;

    #[test]
    fn payload_value_is_the_payload_of_the_same_value() {
        // every row's audit payload goes through payload_value now: a byte of difference from
        // the payloads already in projects' logs would make every row a finding of verify
        let values = [
            serde_json::json!({"id": 1, "note": null, "name": "引号 \"x\" \\ \n", "q": "1.50", "z": null, "a": [null, 1], "o": {"k": null}}),
            serde_json::json!({}),
            serde_json::json!({"only": null}),
            serde_json::json!([1, null, "x"]),
            serde_json::json!("text"),
            serde_json::json!(null),
            serde_json::json!(-12),
        ];
        for v in values {
            assert_eq!(
                payload_value(v.clone()),
                payload(&v),
                "payload_value must give payload's text for {v}"
            );
        }
    }
}
