//! The one decimal grammar of the whole program: what the command line, the mapping profile and
//! the importer accept as a number, and what they refuse.
//!
//! ```text
//! number  = [sign] (int ["." digits] | "." digits)
//! int     = digits | group1 ("," group3)+        group1: 1–3 digits, not starting with 0
//! sign    = "+" | "-"                            only where the caller allows a sign
//! ```
//!
//! - Digits may be full-width (`１２３．４`), as Chinese input methods type them; the full-width
//!   point, comma, plus and minus count as theirs, and surrounding spaces are ignored.
//! - A comma separates thousands only: every three digits before the point (`12,345.6`).
//!   `1,2.3`, `1,,,,5`, `12,34`, `1 234,5`, `1.000,5`, `1_000`, `1e5` are refused.
//! - The value is exact or refused: a number with more digits than a decimal holds (28
//!   significant digits, 28 decimals — trailing zeros of the decimals aside) is refused, never
//!   rounded (a 32-decimal 0.000…1 does not become 0).
//!
//! A file written with decimal commas (`1.000,5`, `12,34`) is read with [`Mark::Comma`]: then
//! the comma is the decimal mark and thousands are separated by `.` or a space, every three
//! digits. The importer chooses it for a CSV column only when every number of the column reads
//! that way and some can only be read that way.
//!
//! Pure: no I/O, no allocation beyond the digits.

use rust_decimal::Decimal;

/// Whether a sign may be written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sign {
    /// `12.5`; `-12.5` and `+12.5` are refused.
    Unsigned,
    /// An optional leading `+` or `-`.
    Signed,
}

/// The decimal mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    /// `12,345.6`: point for decimals, comma between thousands.
    Point,
    /// `12.345,6` or `12 345,6`: comma for decimals, point or space between thousands.
    Comma,
}

/// A number as written: its exact value and how many decimals were written (`1,234.50` → 2),
/// which a control total's tolerance is taken from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Written {
    pub value: Decimal,
    pub decimals: u32,
}

/// Why a text is not a number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NumberError {
    /// Nothing but spaces.
    Empty,
    /// A character that is not part of a number (a letter, `_`, a currency sign …).
    Character(char),
    /// A sign where none is allowed, or a sign not at the start.
    Sign,
    /// Thousands separators not every three digits before the decimal mark.
    Grouping(Mark),
    /// A second decimal mark, or a mark without digits after it.
    Mark(Mark),
    /// More digits than a decimal holds exactly.
    TooManyDigits,
}

impl NumberError {
    /// What is wrong and what to write instead, in English.
    pub fn en(&self) -> String {
        match self {
            NumberError::Empty => "no number was written".into(),
            NumberError::Character(c) => format!(
                "'{c}' is not part of a number; write digits with an optional decimal point and commas only between thousands, e.g. 12,345.6"
            ),
            NumberError::Sign => "a sign is not allowed here (or not at the start); write the number without it".into(),
            NumberError::Grouping(Mark::Point) => "a comma may only separate thousands, every three digits before the decimal point (12,345.6); a decimal comma (12,34) is not read".into(),
            NumberError::Grouping(Mark::Comma) => "in a number written with a decimal comma, thousands are separated by '.' or a space every three digits (12.345,6)".into(),
            NumberError::Mark(Mark::Point) => "a number has at most one decimal point, with digits after it (12.5)".into(),
            NumberError::Mark(Mark::Comma) => "a number has at most one decimal comma, with digits after it (12,5)".into(),
            NumberError::TooManyDigits => "it has more digits than can be kept exactly (at most 28 significant digits and 28 decimals); round it to what the document shows".into(),
        }
    }

    /// The same in Chinese.
    pub fn zh(&self) -> String {
        match self {
            NumberError::Empty => "没有填写数字".into(),
            NumberError::Character(c) => format!(
                "“{c}”不是数字的一部分；请只写数字、可选的小数点，逗号只能用作千位分隔，如 12,345.6"
            ),
            NumberError::Sign => "此处不允许正负号（或符号不在开头）；请去掉符号".into(),
            NumberError::Grouping(Mark::Point) => {
                "逗号只能用作千位分隔，即小数点前每三位一个（12,345.6）；不识别小数逗号（12,34）"
                    .into()
            }
            NumberError::Grouping(Mark::Comma) => {
                "以逗号作小数点的数字，千位用“.”或空格每三位分隔（12.345,6）".into()
            }
            NumberError::Mark(Mark::Point) => {
                "数字最多一个小数点，且小数点后须有数字（12.5）".into()
            }
            NumberError::Mark(Mark::Comma) => "数字最多一个小数逗号，且其后须有数字（12,5）".into(),
            NumberError::TooManyDigits => {
                "位数超过可精确保存的范围（最多 28 位有效数字、28 位小数）；请按单据上的数值取整"
                    .into()
            }
        }
    }
}

impl std::fmt::Display for NumberError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.en())
    }
}

impl std::error::Error for NumberError {}

/// Read a number written with a decimal point (the grammar above).
pub fn parse(text: &str, sign: Sign) -> Result<Decimal, NumberError> {
    parse_written(text, sign, Mark::Point).map(|w| w.value)
}

/// A character as the grammar sees it: full-width forms folded to ASCII, the spaces people and
/// spreadsheets put between thousands folded to a space.
fn fold(c: char) -> char {
    match c {
        '\u{FF10}'..='\u{FF19}' | '\u{FF0B}' | '\u{FF0C}' | '\u{FF0D}' | '\u{FF0E}' => {
            char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)
        }
        '\u{2212}' => '-',
        '\u{3000}' | '\u{00A0}' | '\u{202F}' | '\u{2009}' | '\t' => ' ',
        _ => c,
    }
}

/// The largest mantissa a decimal holds (2^96 − 1) and its largest scale.
const MAX_MANTISSA: u128 = (1 << 96) - 1;
const MAX_SCALE: usize = 28;

/// What stands for a character outside ASCII once folded: never part of a number.
const OTHER: u8 = 0x80;

/// Read a number with the given decimal mark: its exact value and the decimals written. It runs
/// on every text cell of an imported CSV, so it works on bytes and allocates only for text that
/// is not plain ASCII.
pub fn parse_written(text: &str, sign: Sign, mark: Mark) -> Result<Written, NumberError> {
    // fold to ASCII; the first character outside it is remembered for the message
    let mut other: Option<char> = None;
    let folded: std::borrow::Cow<'_, [u8]> = if text.bytes().all(|b| b.is_ascii() && b != b'\t') {
        std::borrow::Cow::Borrowed(text.as_bytes())
    } else {
        let mut v = Vec::with_capacity(text.len());
        for c in text.chars().map(fold) {
            if c.is_ascii() {
                v.push(c as u8);
            } else {
                other.get_or_insert(c);
                v.push(OTHER);
            }
        }
        std::borrow::Cow::Owned(v)
    };
    let mut body: &[u8] = &folded;
    while let [b' ', rest @ ..] = body {
        body = rest;
    }
    while let [rest @ .., b' '] = body {
        body = rest;
    }
    if body.is_empty() {
        return Err(NumberError::Empty);
    }
    let (decimal, grouping): (u8, &[u8]) = match mark {
        Mark::Point => (b'.', b","),
        Mark::Comma => (b',', b". "),
    };
    // every character must be one the grammar knows before its place is looked at
    if let Some(&c) = body
        .iter()
        .find(|&&c| !(c.is_ascii_digit() || matches!(c, b'+' | b'-' | b'.' | b',' | b' ')))
    {
        return Err(NumberError::Character(if c == OTHER {
            other.unwrap_or(char::REPLACEMENT_CHARACTER)
        } else {
            char::from(c)
        }));
    }
    let negative = match body.first() {
        Some(&s @ (b'+' | b'-')) => {
            if sign == Sign::Unsigned {
                return Err(NumberError::Sign);
            }
            body = &body[1..];
            s == b'-'
        }
        _ => false,
    };
    if body.iter().any(|c| matches!(c, b'+' | b'-')) {
        return Err(NumberError::Sign);
    }
    let (int, frac) = match body.iter().position(|&c| c == decimal) {
        Some(i) => (&body[..i], Some(&body[i + 1..])),
        None => (body, None),
    };
    // the decimals: digits only
    if let Some(frac) = frac {
        if frac.is_empty() || frac.contains(&decimal) {
            return Err(NumberError::Mark(mark));
        }
        if frac.iter().any(|c| !c.is_ascii_digit()) {
            return Err(NumberError::Grouping(mark));
        }
    }
    // the whole part: digits, or groups of three after a first group of one to three
    if let Some(&first) = int.iter().find(|c| !c.is_ascii_digit()) {
        if !grouping.contains(&first) {
            return Err(NumberError::Grouping(mark));
        }
        let mut groups = int.split(|&c| c == first);
        let lead = groups.next().unwrap_or(&[]);
        if lead.is_empty() || lead.len() > 3 || lead[0] == b'0' {
            return Err(NumberError::Grouping(mark));
        }
        if groups.any(|g| g.len() != 3 || !g.iter().all(u8::is_ascii_digit)) {
            return Err(NumberError::Grouping(mark));
        }
    }
    let frac = frac.unwrap_or(&[]);
    if int.is_empty() && frac.is_empty() {
        return Err(NumberError::Mark(mark));
    }
    // exact or refused: the decimals' trailing zeros may go (fewest first), nothing else
    let trailing = frac.iter().rev().take_while(|&&c| c == b'0').count();
    let mut dropped = frac.len().saturating_sub(MAX_SCALE);
    while dropped <= trailing {
        let scale = frac.len() - dropped;
        if let Some(m) = mantissa(int, &frac[..scale]).filter(|&m| m <= MAX_MANTISSA) {
            let m = i128::try_from(m).map_err(|_| NumberError::TooManyDigits)?;
            let value =
                Decimal::try_from_i128_with_scale(if negative { -m } else { m }, scale as u32)
                    .map_err(|_| NumberError::TooManyDigits)?;
            return Ok(Written {
                value,
                decimals: u32::try_from(frac.len()).unwrap_or(u32::MAX),
            });
        }
        dropped += 1;
    }
    Err(NumberError::TooManyDigits)
}

/// The digits of the whole part (separators skipped) and of the decimals as one integer, or
/// None past u128 (refused anyway).
fn mantissa(int: &[u8], frac: &[u8]) -> Option<u128> {
    int.iter()
        .chain(frac)
        .filter(|c| c.is_ascii_digit())
        .try_fold(0u128, |m, &d| {
            m.checked_mul(10)?.checked_add(u128::from(d - b'0'))
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn dec(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn ok(text: &str) -> Decimal {
        parse(text, Sign::Signed).unwrap_or_else(|e| panic!("{text:?} must be read: {e}"))
    }

    fn refused(text: &str, mark: Mark) -> NumberError {
        match parse_written(text, Sign::Signed, mark) {
            Ok(w) => panic!("{text:?} must be refused, was read as {}", w.value),
            Err(e) => e,
        }
    }

    #[test]
    fn what_the_grammar_reads() {
        assert_eq!(ok("168420"), dec("168420"), "what the grammar reads");
        assert_eq!(ok("168,420"), dec("168420"), "what the grammar reads");
        assert_eq!(
            ok("1,234,567.891"),
            dec("1234567.891"),
            "what the grammar reads"
        );
        assert_eq!(ok(" 12.5 "), dec("12.5"), "what the grammar reads");
        assert_eq!(ok(".5"), dec("0.5"), "what the grammar reads");
        assert_eq!(ok("007"), dec("7"), "what the grammar reads");
        assert_eq!(ok("-12.5"), dec("-12.5"), "what the grammar reads");
        assert_eq!(ok("+12.5"), dec("12.5"), "what the grammar reads");
        assert_eq!(
            ok("１２３．４"),
            dec("123.4"),
            "full-width digits and point"
        );
        assert_eq!(ok("１２，３４５"), dec("12345"), "full-width comma");
        assert_eq!(ok("−3"), dec("-3"), "the typographic minus");
        assert_eq!(
            parse_written("1,234.50", Sign::Unsigned, Mark::Point).unwrap(),
            Written {
                value: dec("1234.50"),
                decimals: 2
            },
            "what the grammar reads"
        );
    }

    #[test]
    fn what_the_grammar_refuses() {
        // each of these was read as something else before: 12.3, 15, 1000, 100000, 1234,
        // 12345, 1.0005
        for (text, why) in [
            ("1,2.3", NumberError::Grouping(Mark::Point)),
            ("1,,,,5", NumberError::Grouping(Mark::Point)),
            ("1_000", NumberError::Character('_')),
            ("1e5", NumberError::Character('e')),
            ("1e-30", NumberError::Character('e')),
            ("12,34", NumberError::Grouping(Mark::Point)),
            ("1 234,5", NumberError::Grouping(Mark::Point)),
            ("1 234.5", NumberError::Grouping(Mark::Point)),
            ("1.000,5", NumberError::Grouping(Mark::Point)),
            ("1,234,56", NumberError::Grouping(Mark::Point)),
            ("01,234", NumberError::Grouping(Mark::Point)),
            (",123", NumberError::Grouping(Mark::Point)),
            ("1234,567", NumberError::Grouping(Mark::Point)),
            ("1.2.3", NumberError::Mark(Mark::Point)),
            ("12.", NumberError::Mark(Mark::Point)),
            (".", NumberError::Mark(Mark::Point)),
            ("-", NumberError::Mark(Mark::Point)),
            ("1-2", NumberError::Sign),
            ("--5", NumberError::Sign),
            ("", NumberError::Empty),
            ("   ", NumberError::Empty),
            ("NaN", NumberError::Character('N')),
            ("¥12", NumberError::Character('¥')),
            ("12kWh", NumberError::Character('k')),
        ] {
            assert_eq!(
                refused(text, Mark::Point),
                why,
                "what the grammar refuses: {text:?}"
            );
        }
        assert_eq!(
            parse("-5", Sign::Unsigned),
            Err(NumberError::Sign),
            "a sign where the caller allows none is refused, not dropped"
        );
    }

    #[test]
    fn more_digits_than_a_decimal_holds_are_refused_never_rounded() {
        let tiny = format!("0.{}1", "0".repeat(31));
        assert_eq!(
            refused(&tiny, Mark::Point),
            NumberError::TooManyDigits,
            "32 decimals must not become 0"
        );
        assert_eq!(
            refused("123456789012345678901234567890", Mark::Point),
            NumberError::TooManyDigits,
            "more digits than a decimal holds are refused never rounded"
        );
        assert_eq!(
            refused("1.23456789012345678901234567891", Mark::Point),
            NumberError::TooManyDigits,
            "29 significant digits are rounded by a plain parse; here refused"
        );
        // exact values with removable zeros are read
        assert_eq!(
            ok(&format!("1.5{}", "0".repeat(40))),
            dec("1.5"),
            "more digits than a decimal holds are refused never rounded"
        );
        assert_eq!(
            ok(&format!("{}1", "0".repeat(60))),
            dec("1"),
            "more digits than a decimal holds are refused never rounded"
        );
        assert_eq!(
            ok("79228162514264337593543950335"),
            Decimal::MAX,
            "the largest decimal"
        );
        assert_eq!(
            refused("79228162514264337593543950336", Mark::Point),
            NumberError::TooManyDigits,
            "more digits than a decimal holds are refused never rounded"
        );
        assert_eq!(
            ok("0.0000000000000000000000000001"),
            dec("1e-28"),
            "more digits than a decimal holds are refused never rounded"
        );
    }

    #[test]
    fn decimal_commas_when_asked() {
        let c = |t: &str| parse_written(t, Sign::Signed, Mark::Comma).map(|w| w.value);
        assert_eq!(c("1.000,5"), Ok(dec("1000.5")), "decimal commas when asked");
        assert_eq!(c("12,34"), Ok(dec("12.34")), "decimal commas when asked");
        assert_eq!(c("1 234,5"), Ok(dec("1234.5")), "decimal commas when asked");
        assert_eq!(c("1\u{a0}234,5"), Ok(dec("1234.5")), "a no-break space");
        assert_eq!(
            c("1.234.567"),
            Ok(dec("1234567")),
            "decimal commas when asked"
        );
        assert_eq!(c("-0,5"), Ok(dec("-0.5")), "decimal commas when asked");
        assert_eq!(
            c("1,5,0"),
            Err(NumberError::Mark(Mark::Comma)),
            "decimal commas when asked"
        );
        assert_eq!(
            c("1.5"),
            Err(NumberError::Grouping(Mark::Comma)),
            "decimal commas when asked"
        );
        assert_eq!(
            c("1.234 567"),
            Err(NumberError::Grouping(Mark::Comma)),
            "decimal commas when asked"
        );
        assert_eq!(
            c("1,234.5"),
            Err(NumberError::Grouping(Mark::Comma)),
            "decimal commas when asked"
        );
    }

    #[test]
    fn every_refusal_says_what_to_do_in_both_languages() {
        for e in [
            NumberError::Empty,
            NumberError::Character('e'),
            NumberError::Sign,
            NumberError::Grouping(Mark::Point),
            NumberError::Grouping(Mark::Comma),
            NumberError::Mark(Mark::Point),
            NumberError::Mark(Mark::Comma),
            NumberError::TooManyDigits,
        ] {
            assert!(
                !e.en().is_empty() && !e.zh().is_empty(),
                "every refusal says what to do in both languages: {e:?}"
            );
            assert!(
                e.zh().chars().any(|c| c as u32 >= 0x4E00),
                "{e:?} in Chinese"
            );
        }
    }

    /// `1234567` → `1,234,567`
    fn group(int: &str) -> String {
        let mut out = String::new();
        for (i, c) in int.chars().enumerate() {
            if i > 0 && (int.len() - i) % 3 == 0 {
                out.push(',');
            }
            out.push(c);
        }
        out
    }

    fn any_decimal() -> impl Strategy<Value = Decimal> {
        (any::<i128>(), 0u32..=28).prop_map(|(m, s)| {
            Decimal::try_from_i128_with_scale(m % (MAX_MANTISSA as i128), s).unwrap()
        })
    }

    proptest! {
        #[test]
        fn every_decimals_canonical_form_is_read_back_exactly(d in any_decimal()) {
            let text = d.to_string();
            let read = parse_written(&text, Sign::Signed, Mark::Point);
            prop_assert_eq!(read.map(|w| (w.value, w.value.scale())), Ok((d, d.scale())));
        }

        #[test]
        fn what_the_grammar_accepts_is_the_value_its_digits_say(
            int in "[1-9][0-9]{0,14}", frac in proptest::option::of("[0-9]{1,12}"),
            grouped in any::<bool>(), negative in any::<bool>(), wide in any::<bool>(),
        ) {
            let plain = match &frac { Some(f) => format!("{int}.{f}"), None => int.clone() };
            let written = match &frac {
                Some(f) if grouped => format!("{}.{f}", group(&int)),
                None if grouped => group(&int),
                _ => plain.clone(),
            };
            let mut written = if negative { format!("-{written}") } else { written };
            if wide {
                written = written.chars().map(|c| match c {
                    '0'..='9' | '.' | ',' | '-' => char::from_u32(c as u32 + 0xFEE0).unwrap(),
                    c => c,
                }).collect();
            }
            let expected: Decimal = if negative { format!("-{plain}") } else { plain }.parse().unwrap();
            let read = parse_written(&written, Sign::Signed, Mark::Point).unwrap();
            prop_assert_eq!(read.value, expected);
            prop_assert_eq!(read.decimals, frac.map_or(0, |f| f.len() as u32));
        }

        #[test]
        fn what_is_read_is_what_its_digits_say_or_it_is_refused(text in "[-+0-9.,e_ ]{0,12}") {
            // whatever comes back, the value is the digits' own: the text without its
            // thousands commas, parsed the strict way
            if let Ok(w) = parse_written(&text, Sign::Signed, Mark::Point) {
                let bare: String = text.trim().chars().filter(|&c| c != ',').collect();
                let bare = bare.strip_prefix('+').unwrap_or(&bare);
                prop_assert_eq!(Ok(w.value), bare.parse::<Decimal>());
                prop_assert!(!text.contains('e') && !text.contains('_'));
            }
        }
    }
}
