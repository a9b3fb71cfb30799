//! The reduction step (碳减排): the pure rules behind targets, measures, their cost, the
//! marginal-abatement-cost curve, the plan, progress and the decomposition of a change.
//!
//! Nothing here reads a file, the clock or the store: the workbench feeds these functions with
//! the project's inventory, factors, output, prices and settings, and stores what they return.
//! Every figure is a `Decimal`, computed at full precision and rounded only for display
//! ([`crate::text::grouped`]). The one documented approximation is the natural logarithm of
//! the LMDI decomposition ([`lmdi`]).
//!
//! | file | what it decides |
//! |---|---|
//! | [`target`] | absolute and intensity targets, pathway presets (SBTi), the linear trajectory `allowed(y) = base × (1 − pct × (y − base_year)/(target_year − base_year))`, status per year, base-year change and its recalculation log entry |
//! | [`finance`] | CRF `r(1+r)^n/((1+r)^n − 1)`, annualised cost `CRF × capex + opex − savings`, MAC `annualised cost ÷ annual abatement`, NPV `−capex + Σ (savings − opex)/(1+r)^t`, simple payback `capex ÷ (savings − opex)` |
//! | [`measure`] | the catalogue of measure kinds, their inputs and formulas, the annual changes of sources' activity |
//! | [`abatement`] | abatement `−Σ change × factor` per gas on both bases, energy cost savings `−Σ change × price`, a measure's figures |
//! | [`macc`] | the marginal-abatement-cost curve: order, widths and offsets |
//! | [`plan`] | planned measures projected year by year to each target year |
//! | [`progress`] | achieved abatement: metered, production-normalised, or the plain difference |
//! | [`lmdi`] | LMDI-I additive decomposition into volume, intensity and factor effects |
//!
//! Refusals of bad input are [`ReductionError`]s: a stable code, the field, the message in English
//! and Chinese. A figure that cannot be computed (no factor, no price) is `None` with the reason,
//! never zero. A rule that rests on a fact not confirmed against a primary source carries a
//! [`Citation`] with `confirmed: false`.

pub mod abatement;
pub mod error;
pub mod finance;
#[cfg(test)]
pub(crate) mod fixtures;
pub mod lmdi;
pub mod macc;
pub mod measure;
pub mod plan;
pub mod progress;
pub mod target;

pub use error::ReductionError;

use crate::text::grouped;
use rust_decimal::Decimal;
use serde::{Serialize, Serializer};
use std::fmt;

/// Where a rule or a number comes from, and whether that was confirmed against a primary source
/// (or two independent reliable ones). Reports show unconfirmed rules as such.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Citation {
    pub citation: &'static str,
    pub confirmed: bool,
}

/// Which scope 2 figure a target, an abatement or a MAC is read on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Basis {
    Location,
    /// The default: what a certifier checks a claim against.
    #[default]
    Market,
}

impl Basis {
    pub fn parse(text: &str) -> Option<Basis> {
        match text.trim().to_ascii_lowercase().as_str() {
            "location" | "location-based" | "基于位置" => Some(Basis::Location),
            "market" | "market-based" | "基于市场" => Some(Basis::Market),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Basis::Location => "location",
            Basis::Market => "market",
        }
    }
}

/// A calendar month, `YYYY-MM`: when a measure starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Month {
    pub year: i32,
    /// 1–12
    pub month: u32,
}

impl Month {
    /// A month from its parts; `None` outside 1–12 or years 1900–2200.
    pub fn new(year: i32, month: u32) -> Option<Month> {
        ((1..=12).contains(&month) && (1900..=2200).contains(&year))
            .then_some(Month { year, month })
    }

    /// Parse `2025-07` (also `2025-7`, `2025/07`, `2025年7月`); `field` names the field in the
    /// refusal.
    pub fn parse(field: &str, text: &str) -> Result<Month, ReductionError> {
        let bad = || ReductionError::BadMonth {
            field: field.to_string(),
            input: text.to_string(),
        };
        let t = text.trim().trim_end_matches('月');
        let (y, m) = t.split_once(['-', '/', '年']).ok_or_else(bad)?;
        let year: i32 = y.trim().parse().map_err(|_| bad())?;
        let month: u32 = m.trim().parse().map_err(|_| bad())?;
        Month::new(year, month).ok_or_else(bad)
    }

    /// The months of `year` from this month on, 0–12: 12 for a year after this one's, the rest of
    /// the year (including this month) in this one's, 0 before.
    pub fn months_in(self, year: i32) -> u32 {
        match year.cmp(&self.year) {
            std::cmp::Ordering::Less => 0,
            std::cmp::Ordering::Equal => 13 - self.month,
            std::cmp::Ordering::Greater => 12,
        }
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl Serialize for Month {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// A figure for a formula shown to a person: whole numbers as they are, others to at most two
/// decimals, thousands separated (`107,100`, `1,333.33`, `0.85`). Display only.
pub fn figure(d: Decimal) -> String {
    let dp = if d.fract().is_zero() {
        0
    } else {
        let r = d.round_dp(2).normalize();
        r.scale().min(2)
    };
    let text = grouped(d, dp);
    if text == "0" && !d.is_zero() {
        // a small figure must not read as zero
        return d.normalize().to_string();
    }
    text
}

/// `pct` % as a fraction (42 → 0.42).
pub(crate) fn fraction(pct: Decimal) -> Decimal {
    pct / Decimal::ONE_HUNDRED
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn months_parse_in_the_ways_people_write_them() {
        for text in ["2025-07", "2025-7", "2025/07", "2025年7月", " 2025-07 "] {
            assert_eq!(
                Month::parse("start", text),
                Ok(Month {
                    year: 2025,
                    month: 7
                }),
                "'{text}' is July 2025"
            );
        }
        for text in ["2025-13", "2025-00", "2025", "July", "", "99999-01"] {
            let e = Month::parse("start", text).unwrap_err();
            assert_eq!(e.code(), "BAD_MONTH", "'{text}' is not a month");
            assert_eq!(
                e.field(),
                "start",
                "the refusal names the field it was given"
            );
        }
        assert_eq!(
            Month::new(2025, 7).map(|m| m.to_string()).as_deref(),
            Some("2025-07"),
            "months parse in the ways people write them"
        );
    }

    #[test]
    fn months_in_a_year_count_the_start_month() {
        let m = Month::new(2025, 7).unwrap();
        assert_eq!(m.months_in(2024), 0, "nothing before the start year");
        assert_eq!(m.months_in(2025), 6, "July to December is six months");
        assert_eq!(m.months_in(2026), 12, "every month after the start year");
        assert_eq!(
            Month::new(2025, 1).unwrap().months_in(2025),
            12,
            "months in a year count the start month"
        );
        assert_eq!(
            Month::new(2025, 12).unwrap().months_in(2025),
            1,
            "months in a year count the start month"
        );
    }

    #[test]
    fn figures_read_as_a_person_writes_them() {
        assert_eq!(
            figure(d("107100")),
            "107,100",
            "figures read as a person writes them"
        );
        assert_eq!(
            figure(d("107100.000")),
            "107,100",
            "trailing zeros are not shown"
        );
        assert_eq!(
            figure(d("1333.3333333")),
            "1,333.33",
            "figures read as a person writes them"
        );
        assert_eq!(
            figure(d("0.85")),
            "0.85",
            "figures read as a person writes them"
        );
        assert_eq!(
            figure(d("-66.3409")),
            "-66.34",
            "figures read as a person writes them"
        );
        assert_eq!(
            figure(d("1.5")),
            "1.5",
            "figures read as a person writes them"
        );
        assert_eq!(
            figure(d("0.0004")),
            "0.0004",
            "a small figure is not shown as 0"
        );
    }

    #[test]
    fn basis_defaults_to_market_and_parses() {
        assert_eq!(
            Basis::default(),
            Basis::Market,
            "basis defaults to market and parses"
        );
        assert_eq!(
            Basis::parse("Location"),
            Some(Basis::Location),
            "basis defaults to market and parses"
        );
        assert_eq!(
            Basis::parse("market-based"),
            Some(Basis::Market),
            "basis defaults to market and parses"
        );
        assert_eq!(
            Basis::parse("grid"),
            None,
            "basis defaults to market and parses"
        );
    }
}
