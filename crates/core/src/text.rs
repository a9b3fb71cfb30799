//! Small text helpers for messages and reports: edit distance and "did you mean" suggestions,
//! figures for display (rounded, thousands separated), widths in terminal columns, and the
//! characters a name must not hold or a text output must not print as they are.

use rust_decimal::{Decimal, RoundingStrategy};

/// A figure for display: `dp` decimals (half to even), thousands separated:
/// 1234567.891 → "1,234,567.891". Display only — sums always use the exact decimal.
pub fn grouped(d: Decimal, dp: u32) -> String {
    let r = d.round_dp_with_strategy(dp, RoundingStrategy::MidpointNearestEven);
    let r = if r.is_zero() { Decimal::ZERO } else { r };
    let text = format!("{:.*}", dp as usize, r);
    let (sign, digits) = match text.strip_prefix('-') {
        Some(t) => ("-", t),
        None => ("", text.as_str()),
    };
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let mut out = String::from(sign);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if !frac.is_empty() {
        out.push('.');
        out.push_str(frac);
    }
    out
}

/// Width of a string in terminal columns (CJK and other wide characters count double).
pub fn display_width(s: &str) -> usize {
    s.chars()
        .map(|c| if (c as u32) >= 0x1100 { 2 } else { 1 })
        .sum()
}

/// Levenshtein distance between two strings, counted in characters (so Chinese names work).
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// The names closest to `wanted` (case-insensitive; a name that contains what was typed counts
/// as close), best first, at most three.
pub fn closest<'a>(wanted: &str, names: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let w = wanted.to_lowercase();
    let mut scored: Vec<(usize, String)> = names
        .into_iter()
        .filter_map(|name| {
            let n = name.to_lowercase();
            let distance = if !w.is_empty() && (n.contains(&w) || w.contains(&n)) {
                0
            } else {
                edit_distance(&w, &n)
            };
            let limit = (w.chars().count().max(n.chars().count()) / 2).max(2);
            (distance <= limit).then(|| (distance, name.to_string()))
        })
        .collect();
    scored.sort();
    scored.into_iter().take(3).map(|(_, n)| n).collect()
}

/// What a character is when it must not stand in a name, or be printed as it is: a control
/// character (line breaks, tabs, escapes …) or an invisible formatting character that changes
/// how text around it is displayed (bidirectional overrides and isolates, marks, zero-width
/// space, byte-order mark, line and paragraph separators). `None` for anything else.
pub fn hidden_char(c: char) -> Option<(&'static str, &'static str)> {
    match c {
        '\n' | '\r' | '\u{2028}' | '\u{2029}' | '\u{85}' => Some(("a line break", "换行符")),
        '\t' => Some(("a tab", "制表符")),
        c if c.is_control() => Some(("a control character", "控制字符")),
        '\u{202A}'..='\u{202E}'
        | '\u{2066}'..='\u{2069}'
        | '\u{200E}'
        | '\u{200F}'
        | '\u{061C}' => Some((
            "a bidirectional control (it can make text display in another order than it is stored)",
            "双向文字控制符（可使文字的显示顺序与存储顺序不同）",
        )),
        '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' => {
            Some(("an invisible character", "不可见字符"))
        }
        _ => None,
    }
}

/// Text as it can be printed on one line without changing what is around it: line breaks, tabs
/// and other control characters, and invisible formatting characters ([`hidden_char`]) are
/// shown as escapes (`\n`, `\t`, `\u{202E}`), so a name cannot forge a line of a report or
/// reorder what follows it on the terminal.
pub fn printable(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(|c| hidden_char(c).is_some()) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if hidden_char(c).is_some() => {
                use std::fmt::Write;
                let _ = write!(out, "\\u{{{:04X}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printable_text_cannot_forge_a_line_or_reorder_what_follows() {
        assert_eq!(printable("Meter B"), "Meter B", "plain text is left alone");
        assert_eq!(
            printable("Meter B\n  Total, location-based 0.000"),
            "Meter B\\n  Total, location-based 0.000",
            "a line break is shown, not printed"
        );
        assert_eq!(
            printable("a\u{202E}b\tc\u{1b}"),
            "a\\u{202E}b\\tc\\u{001B}",
            "printable text cannot forge a line or reorder what follows"
        );
        assert_eq!(
            printable("主厂区 电表"),
            "主厂区 电表",
            "Chinese text is left alone"
        );
    }

    #[test]
    fn distances() {
        assert_eq!(edit_distance("kitten", "sitting"), 3, "the edit distance counts characters, not bytes: it ranks the suggestions a refusal offers");
        assert_eq!(edit_distance("", "abc"), 3, "the edit distance counts characters, not bytes: it ranks the suggestions a refusal offers");
        assert_eq!(edit_distance("主厂区", "主厂房"), 1, "the edit distance counts characters, not bytes: it ranks the suggestions a refusal offers");
    }

    #[test]
    fn closest_names_first() {
        let names = [
            "Grid electricity - plant",
            "Natural gas - oven",
            "Diesel - forklifts",
        ];
        assert_eq!(
            closest("diesel", names),
            vec!["Diesel - forklifts".to_string()],
            "closest names first"
        );
        assert_eq!(
            closest("Natural gaz - oven", names),
            vec!["Natural gas - oven".to_string()],
            "closest names first"
        );
        assert!(
            closest("zzzzzzzzzzzzzzz", names).is_empty(),
            "closest names first"
        );
    }
}
