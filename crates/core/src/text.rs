//! Small text helpers for messages and reports: edit distance and "did you mean" suggestions,
//! figures for display (rounded, thousands separated) and widths in terminal columns.

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("主厂区", "主厂房"), 1);
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
            vec!["Diesel - forklifts".to_string()]
        );
        assert_eq!(
            closest("Natural gaz - oven", names),
            vec!["Natural gas - oven".to_string()]
        );
        assert!(closest("zzzzzzzzzzzzzzz", names).is_empty());
    }
}
