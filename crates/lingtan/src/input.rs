//! What a person typed, checked: decimals, dates, units, percentages, years and periods, and
//! names that could not be told apart.

use crate::{Error, Result};
use chrono::NaiveDate;
use lingtan_core::{Decimal, Unit};
use std::path::Path;

pub(crate) fn names_hint(names: &[String]) -> (String, String) {
    if names.is_empty() {
        (String::new(), String::new())
    } else {
        let list = names
            .iter()
            .map(|n| format!("'{n}'"))
            .collect::<Vec<_>>()
            .join(", ");
        (
            format!("; did you mean {list}?"),
            format!("；是否指 {list}？"),
        )
    }
}

/// The largest quantity one record may hold (10^15 of its unit). Far above any real bill, and low
/// enough that sums of a million such records times any factor stay inside a `Decimal`.
pub const MAX_QUANTITY: i64 = 1_000_000_000_000_000;

/// Parse a decimal as typed; names the field and value on failure.
pub fn parse_decimal(field: &str, text: &str) -> Result<Decimal> {
    // the one grammar of the program (lingtan_core::number): a sign, digits, one decimal point,
    // commas only between thousands; anything else refused with the value and the reason
    lingtan_core::number::parse(text, lingtan_core::number::Sign::Signed).map_err(|e| {
        Error::new(
            "BAD_DECIMAL",
            field.to_string(),
            format!("{field}: '{text}' is not a decimal number: {}", e.en()),
            format!("{field}：“{text}”不是有效的数字：{}", e.zh()),
        )
    })
}

/// Whether two names are the same to a reader: equal after NFKC (full-width and half-width
/// forms, ligatures and the like fold together) and in lower case. Two sites or two sources may
/// not be named so: a person could not tell them apart in a list or a report.
pub(crate) fn same_name(a: &str, b: &str) -> bool {
    use unicode_normalization::UnicodeNormalization;
    let key = |s: &str| s.nfkc().collect::<String>().to_lowercase();
    a == b || key(a) == key(b)
}

/// A new site or source named like an existing one: the same name, or one differing only in
/// letter case or character width — refused, suggesting the existing one.
pub(crate) fn duplicate(what: &str, what_zh: &str, existing: &str, name: &str) -> Error {
    if existing == name {
        return Error::new(
            "DUPLICATE",
            "name".to_string(),
            format!("{what} '{name}' already exists"),
            format!("{what_zh}“{name}”已存在"),
        );
    }
    Error::new(
        "DUPLICATE",
        "name".to_string(),
        format!("{what} '{name}' differs from the existing '{existing}' only in letter case or character width (全角/半角), so the two could not be told apart; use '{existing}', or a name that differs in more than that"),
        format!("{what_zh}“{name}”与已有的“{existing}”仅大小写或全角/半角不同，二者无法区分；请使用“{existing}”，或取一个有实质区别的名称"),
    )
}

/// Parse a YYYY-MM-DD date; names the field and value on failure.
pub fn parse_date(field: &str, text: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| {
        Error::new(
            "BAD_DATE",
            field.to_string(),
            format!("{field}: '{text}' is not a date; write YYYY-MM-DD, e.g. 2024-01-31"),
            format!("{field}：“{text}”不是有效日期；请写成 YYYY-MM-DD，如 2024-01-31"),
        )
    })
}

/// Parse a unit as typed; names the field and value and suggests close units on failure.
pub fn parse_unit(field: &str, text: &str) -> Result<Unit> {
    Unit::parse(text).map_err(|e| {
        Error::new(
            "UNKNOWN_UNIT",
            field.to_string(),
            format!("{field}: {e}"),
            format!("{field}：{}", e.message_zh()),
        )
    })
}

pub(crate) fn parse_pct(field: &str, text: &str) -> Result<Decimal> {
    let value = parse_decimal(field, text.trim().trim_end_matches('%'))?;
    if value.is_sign_negative() || value > Decimal::from(1000) {
        return Err(Error::new(
            "BAD_PERCENT",
            field.to_string(),
            format!("{field}: '{text}' must be a percentage between 0 and 1000"),
            format!("{field}：“{text}”须为 0 到 1000 之间的百分数"),
        ));
    }
    Ok(value)
}

/// The years a record's period may fall in: a factory's bills, not a typo's century.
pub const PERIOD_YEARS: std::ops::RangeInclusive<i32> = 1990..=2100;

/// A record's date must fall in [`PERIOD_YEARS`].
pub(crate) fn check_period_years(field: &str, date: NaiveDate) -> Result<()> {
    use chrono::Datelike;
    if PERIOD_YEARS.contains(&date.year()) {
        return Ok(());
    }
    Err(Error::new(
        "PERIOD_IMPLAUSIBLE",
        field.to_string(),
        format!(
            "--{field} {date}: a record's period must fall between {} and {}; check the year",
            PERIOD_YEARS.start(),
            PERIOD_YEARS.end()
        ),
        format!(
            "--{field} {date}：记录期间须在 {} 至 {} 年之间；请检查年份",
            PERIOD_YEARS.start(),
            PERIOD_YEARS.end()
        ),
    ))
}

pub(crate) fn check_year(field: &str, year: i32) -> Result<()> {
    if (1990..=2100).contains(&year) {
        Ok(())
    } else {
        Err(Error::new(
            "BAD_YEAR",
            field.to_string(),
            format!("--{field} {year}: expected a year between 1990 and 2100"),
            format!("--{field} {year}：年份须在 1990 到 2100 之间"),
        ))
    }
}

/// A file's name as shown in messages and kept with its evidence.
pub(crate) fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}
