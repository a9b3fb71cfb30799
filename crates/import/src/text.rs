//! Stage two helpers: numbers, units and periods as clerks write them.

use crate::read::Value;
use chrono::{Datelike, NaiveDate};
use lingtan_core::number::{self, Mark, Sign};
use lingtan_core::Unit;
use rust_decimal::Decimal;

/// Full-width digits and punctuation to ASCII, ideographic and no-break spaces to spaces.
pub fn halfwidth(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' | '\u{00A0}' => ' ',
            _ => c,
        })
        .collect()
}

/// What a quantity cell holds.
#[derive(Debug, Clone, PartialEq)]
pub enum Number {
    /// Empty, `-`, `—`: no value.
    Missing,
    /// The value and how many decimals it was written with.
    Value(Decimal, u32),
    /// Text that is not a number.
    NotANumber(String),
}

/// The most decimals a [`Number::Value`] reports: a tolerance is half a unit of the decimal after
/// the last one written (`Decimal::new(5, decimals + 1)`), and a decimal has at most 28.
const MAX_DECIMALS: u32 = 27;

/// Read a quantity: a number cell as stored; text through the program's one decimal grammar
/// ([`lingtan_core::number`]: digits, one decimal point, commas only between thousands,
/// full-width digits) after a leading currency sign (`¥`, `￥`); `-`, `—`, `N/A`, `无` and empty
/// as missing. Anything else — `12,34`, `1 234,5`, `1.000,5`, `1e5` — is not a number: a file
/// written with decimal commas is recognised per column when it is read ([`crate::read`]).
pub fn number(value: &Value) -> Number {
    match value {
        Value::Empty => Number::Missing,
        Value::Number(d) => Number::Value(*d, d.normalize().scale().min(MAX_DECIMALS)),
        Value::Text(t) => {
            // a number first: the common case, and it allocates nothing
            let figure = t
                .trim()
                .trim_start_matches(['¥', '￥'])
                .trim_start_matches(char::is_whitespace);
            if let Ok(w) = number::parse_written(figure, Sign::Signed, Mark::Point) {
                return Number::Value(w.value, w.decimals.min(MAX_DECIMALS));
            }
            let trimmed = halfwidth(t);
            let trimmed = trimmed.trim();
            let bare: String = trimmed.chars().filter(|c| !c.is_whitespace()).collect();
            if matches!(
                bare.as_str(),
                "" | "-" | "—" | "——" | "–" | "/" | "--" | "n/a" | "N/A" | "无"
            ) {
                return Number::Missing;
            }
            Number::NotANumber(trimmed.to_string())
        }
        Value::Bool(_) | Value::DateTime(_) | Value::Error(_) => {
            Number::NotANumber(value.display())
        }
    }
}

/// Split a header into its name and the unit written inside it: `有功电量(kWh)` → (`有功电量`,
/// `kWh`), `用气量（万立方米）` → (`用气量`, `万立方米`).
pub fn header_parts(text: &str) -> (String, Option<String>) {
    let t = halfwidth(text).trim().to_string();
    for (open, close) in [('(', ')'), ('[', ']'), ('【', '】')] {
        if let (Some(a), Some(b)) = (t.find(open), t.rfind(close)) {
            if a < b {
                let name = format!("{}{}", &t[..a], &t[b + close.len_utf8()..])
                    .trim()
                    .to_string();
                let unit = t[a + open.len_utf8()..b].trim().to_string();
                return (name, (!unit.is_empty()).then_some(unit));
            }
        }
    }
    // a unit Lingtan knows after a slash or a space: `电量/kWh`, `电量 kWh`, `Consumption kWh`
    for sep in ['/', ' '] {
        if let Some((name, tail)) = t.rsplit_once(sep) {
            let (name, tail) = (name.trim(), tail.trim());
            if !name.is_empty() && is_unit_word(tail) {
                return (name.to_string(), Some(tail.to_string()));
            }
        }
    }
    (t, None)
}

/// A unit Lingtan reads, or a power unit (kW, MW) of a demand column.
fn is_unit_word(text: &str) -> bool {
    unit(text).is_some() || matches!(text.to_lowercase().as_str(), "kw" | "mw" | "千瓦" | "兆瓦")
}

/// A unit inside a header or unit column, if it is one.
pub fn unit(text: &str) -> Option<Unit> {
    Unit::parse(text).ok()
}

/// A date read from a cell or text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeriodValue {
    Range(NaiveDate, NaiveDate),
    Month(i32, u32),
    Day(NaiveDate),
}

fn ymd(y: i64, m: i64, d: i64) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(
        i32::try_from(y).ok()?,
        u32::try_from(m).ok()?,
        u32::try_from(d).ok()?,
    )
}

/// Numbers in a string, in order (`2024年1月8日` → 2024, 1, 8).
pub(crate) fn numbers(text: &str) -> Vec<i64> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for c in text.chars() {
        if c.is_ascii_digit() {
            cur.push(c);
        } else if !cur.is_empty() {
            out.push(cur.parse().unwrap_or(-1));
            cur.clear();
        }
    }
    if !cur.is_empty() {
        out.push(cur.parse().unwrap_or(-1));
    }
    out
}

/// One date or month written as text: 2024-01-31, 2024/1/31, 2024.01.31, 2024年1月31日,
/// 20240131; months 2024-01, 2024/1, 2024.03, 2024年1月, 202401.
fn single(text: &str) -> Option<PeriodValue> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    let allowed = |c: char| {
        c.is_ascii_digit() || matches!(c, '-' | '/' | '.' | '年' | '月' | '日' | '号' | ' ')
    };
    if !t.chars().all(allowed) {
        return None;
    }
    let n = numbers(t);
    match n.as_slice() {
        [y, m, d] if *y >= 1900 => ymd(*y, *m, *d).map(PeriodValue::Day),
        [y, m] if *y >= 1900 && (1..=12).contains(m) => {
            Some(PeriodValue::Month(*y as i32, *m as u32))
        }
        [v] if t.len() == 8 => ymd(v / 10_000, v / 100 % 100, v % 100).map(PeriodValue::Day),
        [v] if t.len() == 6 && (1..=12).contains(&(v % 100)) => {
            Some(PeriodValue::Month((v / 100) as i32, (v % 100) as u32))
        }
        _ => None,
    }
}

fn first_day(p: PeriodValue) -> NaiveDate {
    match p {
        PeriodValue::Range(a, _) | PeriodValue::Day(a) => a,
        PeriodValue::Month(y, m) => NaiveDate::from_ymd_opt(y, m, 1).unwrap_or_default(),
    }
}

fn last_day(p: PeriodValue) -> NaiveDate {
    match p {
        PeriodValue::Range(_, b) | PeriodValue::Day(b) => b,
        PeriodValue::Month(y, m) => month_bounds(y, m).1,
    }
}

/// First and last day of a month.
pub fn month_bounds(y: i32, m: u32) -> (NaiveDate, NaiveDate) {
    lingtan_core::period::month_bounds(y, m).unwrap_or_else(|| {
        let first = NaiveDate::from_ymd_opt(y, m, 1).unwrap_or_default();
        (first, first)
    })
}

/// Read a period: an Excel date, an Excel serial number, or text — single dates, months, and
/// ranges `2024-01-01至2024-01-31`, `2024.01.01-2024.01.31`, `2024/1/1~2024/1/31`.
pub fn period(value: &Value) -> Option<PeriodValue> {
    match value {
        Value::DateTime(d) => Some(PeriodValue::Day(d.date())),
        Value::Number(n) => {
            let serial = i64::try_from(n.trunc().mantissa())
                .ok()
                .filter(|_| n.fract().is_zero() && n.scale() == 0)?;
            if (20_000..80_000).contains(&serial) {
                // Excel's 1900 date system (with its 1900 leap-year bug): serial 1 = 1900-01-01
                NaiveDate::from_ymd_opt(1899, 12, 30)?
                    .checked_add_days(chrono::Days::new(serial as u64))
                    .map(PeriodValue::Day)
            } else if (190_001..=210_012).contains(&serial)
                || (19_000_101..=21_001_231).contains(&serial)
            {
                single(&serial.to_string())
            } else {
                None
            }
        }
        Value::Text(t) => {
            let t = halfwidth(t).trim().to_string();
            if let Some(p) = single(&t) {
                return Some(p);
            }
            for sep in ["至", "~", "～", "到", "—", "–", "--", " - "] {
                if let Some((a, b)) = t.split_once(sep) {
                    let (a, b) = (single(a)?, single(b)?);
                    let (from, to) = (first_day(a), last_day(b));
                    return (from <= to).then_some(PeriodValue::Range(from, to));
                }
            }
            // `2024.01.01-2024.01.31` or `2024-01-01-2024-01-31`: try every '-' as the split
            for (i, _) in t.match_indices('-') {
                if let (Some(a), Some(b)) = (single(&t[..i]), single(&t[i + 1..])) {
                    if matches!(a, PeriodValue::Day(_)) && matches!(b, PeriodValue::Day(_)) {
                        let (from, to) = (first_day(a), last_day(b));
                        return (from <= to).then_some(PeriodValue::Range(from, to));
                    }
                }
            }
            None
        }
        _ => None,
    }
}

/// What a total label says: `Some(true)` for a grand total (合计, 总计, Total, Sum),
/// `Some(false)` for a subtotal (小计, Subtotal), `None` for anything else. It runs on every data
/// row of a meter export, so plain ASCII text that is not a Latin label costs no allocation.
pub fn total_label(v: &Value) -> Option<bool> {
    let Value::Text(t) = v else { return None };
    let t = t.trim();
    if t.is_ascii() {
        let starts =
            |word: &str| t.len() >= word.len() && t[..word.len()].eq_ignore_ascii_case(word);
        if starts("subtotal") || starts("sub total") {
            return Some(false);
        }
        return (starts("total") || t.eq_ignore_ascii_case("sum")).then_some(true);
    }
    if !t.contains('计') {
        return None;
    }
    let t: String = t.chars().filter(|c| !c.is_whitespace()).collect();
    if t.contains("小计") {
        Some(false)
    } else {
        (t.contains("合计") || t.contains("总计")).then_some(true)
    }
}

/// The year-month of a date, for messages.
pub fn ym(d: NaiveDate) -> String {
    format!("{}-{:02}", d.year(), d.month())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn t(s: &str) -> Value {
        Value::Text(s.into())
    }

    #[test]
    fn numbers_as_clerks_write_them() {
        let dec = |s: &str| s.parse::<Decimal>().unwrap();
        assert_eq!(
            number(&t("168,420")),
            Number::Value(dec("168420"), 0),
            "numbers as clerks write them"
        );
        assert_eq!(
            number(&t(" 1,234.50 ")),
            Number::Value(dec("1234.50"), 2),
            "numbers as clerks write them"
        );
        assert_eq!(
            number(&t("¥1,234.50")),
            Number::Value(dec("1234.50"), 2),
            "numbers as clerks write them"
        );
        assert_eq!(
            number(&t("１２３．４")),
            Number::Value(dec("123.4"), 1),
            "numbers as clerks write them"
        );
        assert_eq!(
            number(&t("—")),
            Number::Missing,
            "numbers as clerks write them"
        );
        assert_eq!(
            number(&t("-")),
            Number::Missing,
            "numbers as clerks write them"
        );
        assert_eq!(
            number(&Value::Empty),
            Number::Missing,
            "numbers as clerks write them"
        );
        assert_eq!(
            number(&t("约一万二")),
            Number::NotANumber("约一万二".into()),
            "numbers as clerks write them"
        );
        assert_eq!(
            number(&Value::Number(dec("12.34"))),
            Number::Value(dec("12.34"), 2),
            "numbers as clerks write them"
        );
    }

    #[test]
    fn text_that_is_not_the_grammar_is_not_a_number() {
        // each was read before as another number: 12345, 1234, 1.0005, 12.3, 15, 1000, 100000
        for text in [
            "1 234,5", "12,34", "1.000,5", "1,2.3", "1,,,,5", "1_000", "1e5", "1 234.50",
        ] {
            assert_eq!(
                number(&t(text)),
                Number::NotANumber(text.into()),
                "{text:?} must not be read as a number"
            );
        }
        assert_eq!(
            number(&t(&format!("0.{}1", "0".repeat(31)))),
            Number::NotANumber(format!("0.{}1", "0".repeat(31))),
            "32 decimals are refused, not rounded to 0"
        );
    }

    #[test]
    fn decimals_reported_leave_room_for_a_tolerance() {
        // a tolerance is Decimal::new(5, decimals + 1), which panics past 28 decimals
        let tiny: Decimal = "0.0000000000000000000000000001".parse().unwrap();
        let Number::Value(_, d) = number(&Value::Number(tiny)) else {
            panic!("a number cell is a number")
        };
        assert!(d < 28, "{d} decimals would make the tolerance panic");
        let Number::Value(_, d) = number(&t(&format!("1.{}", "0".repeat(40)))) else {
            panic!("1.000… is a number")
        };
        assert!(d < 28, "{d} decimals would make the tolerance panic");
    }

    #[test]
    fn headers_with_units_inside() {
        assert_eq!(
            header_parts("有功电量(kWh)"),
            ("有功电量".into(), Some("kWh".into())),
            "headers with units inside"
        );
        assert_eq!(
            header_parts("用气量（万立方米）"),
            ("用气量".into(), Some("万立方米".into())),
            "headers with units inside"
        );
        assert_eq!(
            header_parts("电费(元)"),
            ("电费".into(), Some("元".into())),
            "headers with units inside"
        );
        assert_eq!(
            header_parts("峰"),
            ("峰".into(), None),
            "headers with units inside"
        );
        assert_eq!(
            unit("万千瓦时"),
            Some(Unit::TenThousandKWh),
            "headers with units inside"
        );
    }

    #[test]
    fn periods_in_every_spelling() {
        assert_eq!(
            period(&t("2024-01")),
            Some(PeriodValue::Month(2024, 1)),
            "periods in every spelling"
        );
        assert_eq!(
            period(&t("2024年1月")),
            Some(PeriodValue::Month(2024, 1)),
            "periods in every spelling"
        );
        assert_eq!(
            period(&t("2024.03")),
            Some(PeriodValue::Month(2024, 3)),
            "periods in every spelling"
        );
        assert_eq!(
            period(&t("2024/1/1")),
            Some(PeriodValue::Day(d("2024-01-01"))),
            "periods in every spelling"
        );
        assert_eq!(
            period(&t("2024年1月8日")),
            Some(PeriodValue::Day(d("2024-01-08"))),
            "periods in every spelling"
        );
        assert_eq!(
            period(&t("2024-01-01至2024-01-31")),
            Some(PeriodValue::Range(d("2024-01-01"), d("2024-01-31"))),
            "periods in every spelling"
        );
        assert_eq!(
            period(&t("2024.01.01-2024.01.31")),
            Some(PeriodValue::Range(d("2024-01-01"), d("2024-01-31"))),
            "periods in every spelling"
        );
        assert_eq!(
            period(&t("2023-12-21至2024-01-20")),
            Some(PeriodValue::Range(
                d("2023-12-21"),
                d("2023-12-21") + chrono::Days::new(30)
            )),
            "periods in every spelling"
        );
        assert_eq!(
            period(&t("2024-01-01-2024-01-31")),
            Some(PeriodValue::Range(d("2024-01-01"), d("2024-01-31"))),
            "periods in every spelling"
        );
        assert_eq!(
            period(&Value::Number(Decimal::from(45292))),
            Some(PeriodValue::Day(d("2024-01-01"))),
            "periods in every spelling"
        );
        assert_eq!(period(&t("2024年13月")), None, "periods in every spelling");
        assert_eq!(period(&t("2024-02-30")), None, "periods in every spelling");
        assert_eq!(period(&t("last month")), None, "periods in every spelling");
        assert_eq!(
            period(&t("2024-01-31至2024-01-01")),
            None,
            "a reversed range is not a period"
        );
    }
}
