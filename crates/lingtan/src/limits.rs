//! Limits at entry for the texts people type: names, identifiers, and longer texts (notes,
//! reasons, citations, addresses). One check for each, used by every command and screen that
//! takes one, so a name is the same kind of thing wherever it comes from.
//!
//! - A **name** (organisation, site, source, factor name, dataset, region, who prepared the
//!   report …) is one line of visible text: trimmed, not empty, at most [`NAME_MAX`] characters,
//!   with no control character (line break, tab, escape …) and no invisible formatting character
//!   (bidirectional overrides and isolates U+202A–202E and U+2066–2069, the marks U+200E/200F,
//!   zero-width characters): such a character would let a name forge a line of a report or show
//!   something else than what is stored.
//! - An **identifier** (a factor id) is a name of at most [`ID_MAX`] characters.
//! - A **text** (note, reason, citation, address) may have several lines and tabs, at most
//!   [`TEXT_MAX`] characters, and no other control or invisible formatting character.
//!
//! The limits are far below Excel's 32,767 characters per cell, so every stored text fits the
//! auditor's workbook; they are listed in the README.

use crate::{Error, Result};
use lingtan_core::text::hidden_char;

/// The field of a reason (corrections, voids, negative quantities, undoing an import).
pub(crate) const REASON: Field = Field::new("reason", "--reason", "--reason");

/// The most characters a name may have.
pub const NAME_MAX: usize = 200;
/// The most characters an identifier may have.
pub const ID_MAX: usize = 64;
/// The most characters a note, reason, citation or address may have.
pub const TEXT_MAX: usize = 2000;

/// Which field a text is: its name for the error (`org`), and how messages call it, in English
/// and Chinese (`--org`, `site name` / `场所名称`).
#[derive(Debug, Clone, Copy)]
pub struct Field {
    pub field: &'static str,
    pub en: &'static str,
    pub zh: &'static str,
}

impl Field {
    pub const fn new(field: &'static str, en: &'static str, zh: &'static str) -> Field {
        Field { field, en, zh }
    }

    fn error(&self, code: &'static str, en: String, zh: String) -> Error {
        Error::new(
            code,
            self.field.to_string(),
            format!("{}: {en}", self.en),
            format!("{}：{zh}", self.zh),
        )
    }
}

/// The first character `allowed` refuses, with its position (1-based, in characters).
fn first_hidden(value: &str, allowed: impl Fn(char) -> bool) -> Option<(usize, char)> {
    value
        .chars()
        .enumerate()
        .find(|(_, c)| hidden_char(*c).is_some() && !allowed(*c))
        .map(|(i, c)| (i + 1, c))
}

fn check(f: Field, value: &str, max: usize, multiline: bool, kind: (&str, &str)) -> Result<()> {
    let n = value.chars().count();
    if n > max {
        return Err(f.error(
            "TEXT_TOO_LONG",
            format!(
                "{n} characters; {} takes at most {max} — shorten it",
                kind.0
            ),
            format!("共 {n} 个字符；{}最多 {max} 个字符——请缩短", kind.1),
        ));
    }
    let allowed = |c: char| multiline && (c == '\n' || c == '\t');
    if let Some((at, c)) = first_hidden(value, allowed) {
        let (en, zh) = hidden_char(c).unwrap_or(("a control character", "控制字符"));
        return Err(f.error(
            "TEXT_HIDDEN_CHARACTER",
            format!(
                "character {at} is {en} (U+{:04X}); {} is {} — remove it",
                c as u32,
                kind.0,
                if multiline {
                    "visible text"
                } else {
                    "one line of visible text"
                }
            ),
            format!(
                "第 {at} 个字符是{zh}（U+{:04X}）；{}须为{}——请删除",
                c as u32,
                kind.1,
                if multiline {
                    "可见文字"
                } else {
                    "单行可见文字"
                }
            ),
        ));
    }
    Ok(())
}

/// A name as typed: trimmed, not empty, one line of visible text, at most [`NAME_MAX`]
/// characters.
pub fn name(f: Field, value: &str) -> Result<String> {
    let value = value.trim();
    if value.is_empty() {
        return Err(f.error(
            "MISSING_FIELD",
            "must not be empty".into(),
            "不能为空".into(),
        ));
    }
    check(f, value, NAME_MAX, false, ("a name", "名称"))?;
    Ok(value.to_string())
}

/// An optional name: absent or blank is `None`.
pub fn optional_name(f: Field, value: Option<&str>) -> Result<Option<String>> {
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => name(f, v).map(Some),
    }
}

/// An identifier as typed: a name of at most [`ID_MAX`] characters.
pub fn id(f: Field, value: &str) -> Result<String> {
    let value = name(f, value)?;
    check(f, &value, ID_MAX, false, ("an identifier", "编号"))?;
    Ok(value)
}

/// A note, reason, citation or address as typed: trimmed, at most [`TEXT_MAX`] characters,
/// lines and tabs allowed, no other control or invisible formatting character. May be empty.
pub fn text(f: Field, value: &str) -> Result<String> {
    let value = value.trim();
    check(f, value, TEXT_MAX, true, ("a text", "文字"))?;
    Ok(value.to_string())
}

/// An optional text: absent or blank is `None`.
pub fn optional_text(f: Field, value: Option<&str>) -> Result<Option<String>> {
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => text(f, v).map(Some),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const F: Field = Field::new("name", "source name", "排放源名称");

    #[test]
    fn a_name_is_one_line_of_visible_text_within_its_limit() {
        assert_eq!(name(F, "  Meter B  ").unwrap(), "Meter B", "trimmed");
        assert_eq!(name(F, "主厂区 1#变压器").unwrap(), "主厂区 1#变压器");
        let forged = name(F, "Meter B\n  Total, location-based 0.000").unwrap_err();
        assert_eq!(forged.code, "TEXT_HIDDEN_CHARACTER");
        assert!(
            forged.en.contains("character 8 is a line break"),
            "{}",
            forged.en
        );
        let bidi = name(F, "Grid\u{202E}rewop").unwrap_err();
        assert!(bidi.en.contains("U+202E"), "{}", bidi.en);
        assert_eq!(
            name(F, "\u{2066}x").unwrap_err().code,
            "TEXT_HIDDEN_CHARACTER"
        );
        let long = name(F, &"x".repeat(100_000)).unwrap_err();
        assert_eq!(long.code, "TEXT_TOO_LONG");
        assert!(long.en.contains("100000 characters"), "{}", long.en);
        assert!(
            name(F, &"名".repeat(NAME_MAX)).is_ok(),
            "the limit counts characters"
        );
        assert_eq!(name(F, "   ").unwrap_err().code, "MISSING_FIELD");
    }

    #[test]
    fn a_text_may_have_lines_but_nothing_hidden() {
        assert!(text(F, "line one\nline two\tend").is_ok());
        assert_eq!(
            text(F, "pay \u{202E}0001").unwrap_err().code,
            "TEXT_HIDDEN_CHARACTER"
        );
        assert_eq!(
            text(F, "\u{1b}[2J").unwrap_err().code,
            "TEXT_HIDDEN_CHARACTER"
        );
        assert_eq!(
            text(F, &"x".repeat(120_000)).unwrap_err().code,
            "TEXT_TOO_LONG"
        );
        assert_eq!(optional_text(F, Some("  ")).unwrap(), None);
    }
}
