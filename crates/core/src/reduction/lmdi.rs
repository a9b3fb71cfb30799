//! What changed and why: the additive LMDI-I decomposition (Ang 2005) of the change in emissions
//! between two years, per source, into what the factory did and what it did not control.
//!
//! With output `Q`, a source's activity `E_i` and emissions `C_i`, `C_i = Q × (E_i/Q) × (C_i/E_i)`
//! and, between years 0 and T, with the logarithmic mean `L(a, b) = (a − b)/(ln a − ln b)`,
//! `L(a, a) = a`:
//!
//! ```text
//! volume_i    = L(C_i^T, C_i^0) × ln(Q^T / Q^0)          production volume: not the factory's doing
//! intensity_i = L(C_i^T, C_i^0) × ln(I_i^T / I_i^0)      activity per unit of output (I = E/Q): the factory's doing
//! factor_i    = L(C_i^T, C_i^0) × ln(F_i^T / F_i^0)      emissions per unit of activity (F = C/E): the grid, a supplier
//! ```
//!
//! The three add up to `C_i^T − C_i^0`. Without output data (or with zero output in a year) the
//! decomposition is `activity_i = L × ln(E_i^T/E_i^0)` and `factor_i`: the factor effect and the
//! rest.
//!
//! Zero values follow the analytical limits (Ang & Liu 2007; Wood & Lenzen 2006), not a small
//! number put in for zero, which leaves a spurious effect behind (research notes section 10): a
//! source that appears (no activity in year 0) or disappears (none in year T) puts its whole
//! change in intensity (activity without output); a factor going to or coming from zero while
//! the activity continues (green power, a zero-factor supplier) puts it in factor.
//!
//! Precision. `ln` is the one approximation: rust_decimal's `ln` was measured against 40-digit
//! references over 10^-20 … 7.9 × 10^28 (crates/core/tests/reduction.rs) with an absolute error
//! of at most 2 × 10^-26. The factor's log ratio is taken as `ln(C^T/C^0) − ln(Q^T/Q^0) −
//! ln(I^T/I^0)` (the same number, since C = Q·I·F), so the three effects add up to the change
//! to about 28 significant digits whatever the error of each logarithm; `L(a, b)` for `a`
//! within 10^-6 of `b` uses its series `b (1 + x/2 − x²/12 + x³/24 − 19x⁴/720)`, x = a/b − 1,
//! where the quotient of two tiny numbers would lose digits. Effects are shown to 0.001 t; the
//! property test checks their sum equals the change to that precision.

use super::Citation;
use crate::issue::{Issue, Severity};
use rust_decimal::{Decimal, MathematicalOps};
use serde::Serialize;

/// The method and its zero-value rule.
pub const LMDI_RULE: Citation = Citation {
    citation: "LMDI-I additive decomposition (Ang 2005, Energy Policy 33, 867–871); zero values by analytical limits (Ang & Liu 2007, Energy Policy 35, 238–246; Wood & Lenzen 2006)",
    confirmed: true,
};

/// One source in both years. Activity in one unit for both years; emissions in t.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourcePair {
    pub source: String,
    pub activity_from: Decimal,
    pub activity_to: Decimal,
    pub tco2e_from: Decimal,
    pub tco2e_to: Decimal,
}

/// Which rule decomposed a source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rule {
    /// Emissions in both years: the logarithmic-mean formulas.
    LogMean,
    /// No emissions in either year.
    None,
    /// No activity in the first year: the whole change to intensity (or activity).
    Appears,
    /// No activity in the second year: the whole change to intensity (or activity).
    Disappears,
    /// Activity in both years, a zero factor in one of them: the whole change to factor.
    FactorZero,
    /// Records that cannot be decomposed (negative, or emissions without activity): the whole
    /// change to intensity (or activity), with an issue.
    Unexplained,
}

/// With output (three effects) or without (two).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Method {
    VolumeIntensityFactor,
    ActivityFactor,
}

/// One source's effects, t.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SourceEffects {
    pub source: String,
    pub change_tco2e: Decimal,
    /// With output only.
    pub volume_tco2e: Option<Decimal>,
    pub intensity_tco2e: Option<Decimal>,
    /// Without output only: everything but the factor.
    pub activity_tco2e: Option<Decimal>,
    pub factor_tco2e: Decimal,
    pub rule: Rule,
}

/// The decomposition of a change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Decomposition {
    pub from_year: i32,
    pub to_year: i32,
    pub method: Method,
    pub change_tco2e: Decimal,
    pub volume_tco2e: Option<Decimal>,
    pub intensity_tco2e: Option<Decimal>,
    pub activity_tco2e: Option<Decimal>,
    pub factor_tco2e: Decimal,
    pub sources: Vec<SourceEffects>,
    pub rule: Citation,
    pub issues: Vec<Issue>,
}

/// Below this relative difference `L(a, b)` uses its series.
fn series_threshold() -> Decimal {
    Decimal::new(1, 6)
}

/// The logarithmic mean of two positive numbers: `(a − b)/(ln a − ln b)`, `L(a, a) = a`.
/// `None` unless both are positive.
pub fn log_mean(a: Decimal, b: Decimal) -> Option<Decimal> {
    if a <= Decimal::ZERO || b <= Decimal::ZERO {
        return None;
    }
    if a == b {
        return Some(a);
    }
    // the same arithmetic whichever way round, so that L(a, b) = L(b, a) to the last digit
    let (a, b) = if a > b { (a, b) } else { (b, a) };
    let x = (a - b).checked_div(b)?;
    if x.abs() < series_threshold() {
        // x / ln(1 + x) = 1 + x/2 − x²/12 + x³/24 − 19x⁴/720 + O(x⁵)
        let x2 = x * x;
        let s = Decimal::ONE + x / Decimal::TWO - x2 / Decimal::from(12)
            + x2 * x / Decimal::from(24)
            - Decimal::from(19) * x2 * x2 / Decimal::from(720);
        return b.checked_mul(s);
    }
    let ln = a.checked_div(b)?.checked_ln()?;
    if ln.is_zero() {
        return Some((a + b) / Decimal::TWO);
    }
    (a - b).checked_div(ln)
}

/// `ln(to/from)` of two positive numbers.
fn ln_ratio(to: Decimal, from: Decimal) -> Option<Decimal> {
    to.checked_div(from)?.checked_ln()
}

struct Split {
    volume: Decimal,
    intensity: Decimal,
    factor: Decimal,
    rule: Rule,
}

/// One source, three effects; `lnq` is `ln(Q^T/Q^0)` or `None` without output (then
/// `intensity` holds the activity effect and `volume` is zero).
fn split(p: &SourcePair, lnq: Option<Decimal>) -> Split {
    let (e0, e1, c0, c1) = (p.activity_from, p.activity_to, p.tco2e_from, p.tco2e_to);
    let change = c1 - c0;
    let whole = |rule, to_factor: bool| {
        if to_factor {
            Split {
                volume: Decimal::ZERO,
                intensity: Decimal::ZERO,
                factor: change,
                rule,
            }
        } else {
            Split {
                volume: Decimal::ZERO,
                intensity: change,
                factor: Decimal::ZERO,
                rule,
            }
        }
    };
    let zero = Decimal::ZERO;
    if [e0, e1, c0, c1].iter().any(|v| *v < zero)
        || (c0 > zero && e0.is_zero())
        || (c1 > zero && e1.is_zero())
    {
        return whole(Rule::Unexplained, false);
    }
    if c0.is_zero() && c1.is_zero() {
        return whole(Rule::None, false);
    }
    if c0.is_zero() || c1.is_zero() {
        return match (e0.is_zero(), e1.is_zero()) {
            (true, _) => whole(Rule::Appears, false),
            (_, true) => whole(Rule::Disappears, false),
            // activity in both years, emissions in one: the factor went to or came from zero
            _ => whole(Rule::FactorZero, true),
        };
    }
    // c0, c1, e0, e1 > 0
    let computed = (|| {
        let w = log_mean(c1, c0)?;
        let lnc = ln_ratio(c1, c0)?;
        let lne = ln_ratio(e1, e0)?;
        let (lnv, lni) = match lnq {
            Some(lnq) => (lnq, lne - lnq),
            None => (Decimal::ZERO, lne),
        };
        // ln(F^T/F^0) = ln(C^T/C^0) − ln(E^T/E^0): the identity keeps the sum exact
        let lnf = lnc - lne;
        Some(Split {
            volume: w.checked_mul(lnv)?,
            intensity: w.checked_mul(lni)?,
            factor: w.checked_mul(lnf)?,
            rule: Rule::LogMean,
        })
    })();
    computed.unwrap_or_else(|| whole(Rule::Unexplained, false))
}

/// Decompose the change between `from_year` and `to_year`; `output` is the output of both years
/// (in one unit), `None` without output data.
pub fn decompose(
    from_year: i32,
    to_year: i32,
    sources: &[SourcePair],
    output: Option<(Decimal, Decimal)>,
) -> Decomposition {
    let mut issues = Vec::new();
    let lnq = match output {
        Some((q0, q1)) if q0 > Decimal::ZERO && q1 > Decimal::ZERO => ln_ratio(q1, q0),
        Some(_) => {
            issues.push(Issue::new(
                "LMDI_OUTPUT_ZERO",
                Severity::Warning,
                format!("{from_year}–{to_year}"),
                "output is zero or negative in one of the years: the change is split into factor and activity only".to_string(),
                "其中一年的产出为零或负数：变化仅分解为因子效应和活动量效应".to_string(),
            ));
            None
        }
        None => None,
    };
    let method = if lnq.is_some() {
        Method::VolumeIntensityFactor
    } else {
        Method::ActivityFactor
    };
    let mut lines = Vec::new();
    let (mut total, mut volume, mut intensity, mut factor) =
        (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO, Decimal::ZERO);
    for p in sources {
        let s = split(p, lnq);
        if s.rule == Rule::Unexplained {
            issues.push(Issue::new(
                "LMDI_UNEXPLAINED",
                Severity::Warning,
                p.source.clone(),
                format!("the records of {from_year} and {to_year} cannot be decomposed (a negative figure, emissions without activity, or figures too far apart); the whole change is put in {}", if lnq.is_some() { "intensity" } else { "activity" }),
                format!("{from_year} 年与 {to_year} 年的数据无法分解（存在负数、有排放无活动量或数值相差过大）；全部变化计入{}", if lnq.is_some() { "强度效应" } else { "活动量效应" }),
            ));
        }
        let change = p.tco2e_to - p.tco2e_from;
        total += change;
        volume += s.volume;
        intensity += s.intensity;
        factor += s.factor;
        let with_output = lnq.is_some();
        lines.push(SourceEffects {
            source: p.source.clone(),
            change_tco2e: change,
            volume_tco2e: with_output.then_some(s.volume),
            intensity_tco2e: with_output.then_some(s.intensity),
            activity_tco2e: (!with_output).then_some(s.intensity),
            factor_tco2e: s.factor,
            rule: s.rule,
        });
    }
    let with_output = lnq.is_some();
    Decomposition {
        from_year,
        to_year,
        method,
        change_tco2e: total,
        volume_tco2e: with_output.then_some(volume),
        intensity_tco2e: with_output.then_some(intensity),
        activity_tco2e: (!with_output).then_some(intensity),
        factor_tco2e: factor,
        sources: lines,
        rule: LMDI_RULE,
        issues,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn pair(name: &str, e0: &str, e1: &str, c0: &str, c1: &str) -> SourcePair {
        SourcePair {
            source: name.into(),
            activity_from: d(e0),
            activity_to: d(e1),
            tco2e_from: d(c0),
            tco2e_to: d(c1),
        }
    }

    fn close(a: Decimal, b: Decimal, tol: &str) -> bool {
        (a - b).abs() <= d(tol)
    }

    #[test]
    fn the_logarithmic_mean() {
        assert_eq!(log_mean(d("5"), d("5")), Some(d("5")), "L(a, a) = a");
        // L(2, 1) = 1/ln 2 = 1.442695040888963407359924681…
        assert!(
            close(
                log_mean(d("2"), d("1")).unwrap(),
                d("1.4426950408889634073599246810"),
                "1e-25"
            ),
            "the logarithmic mean"
        );
        assert_eq!(
            log_mean(d("2"), d("1")),
            log_mean(d("1"), d("2")),
            "symmetric"
        );
        assert_eq!(log_mean(d("0"), d("1")), None, "the logarithmic mean");
        // a within 1e-6 of b: the series, between b and a and close to their mean
        let (a, b) = (d("1000000.0000001"), d("1000000"));
        let l = log_mean(a, b).unwrap();
        assert!(
            l > b && l < a && close(l, (a + b) / Decimal::TWO, "1e-18"),
            "the logarithmic mean: {l}"
        );
    }

    #[test]
    fn a_pure_factor_change_is_all_factor() {
        // same activity and output, the grid got cleaner: 530.6 t → 500 t
        let dcmp = decompose(
            2024,
            2025,
            &[pair("Grid", "1000000", "1000000", "530.6", "500")],
            Some((d("100"), d("100"))),
        );
        assert_eq!(
            dcmp.volume_tco2e,
            Some(Decimal::ZERO),
            "a pure factor change is all factor"
        );
        assert_eq!(
            dcmp.intensity_tco2e,
            Some(Decimal::ZERO),
            "a pure factor change is all factor"
        );
        assert!(
            close(dcmp.factor_tco2e, d("-30.6"), "1e-20"),
            "a pure factor change is all factor: {}",
            dcmp.factor_tco2e
        );
    }

    #[test]
    fn three_effects_of_a_worked_case() {
        // output +25 %, activity +5 % (intensity −16 %), factor −4.7 %
        let dcmp = decompose(
            2024,
            2025,
            &[pair("Grid", "1000000", "1050000", "530.6", "530.985")],
            Some((d("400"), d("500"))),
        );
        let sum = dcmp.volume_tco2e.unwrap() + dcmp.intensity_tco2e.unwrap() + dcmp.factor_tco2e;
        assert!(close(sum, d("0.385"), "1e-20"), "sum {sum}");
        assert!(
            dcmp.volume_tco2e.unwrap() > d("100"),
            "more product pushed emissions up"
        );
        assert!(
            dcmp.intensity_tco2e.unwrap() < d("-80"),
            "the factory used less per product"
        );
        assert!(dcmp.factor_tco2e < Decimal::ZERO, "the grid got cleaner");
        assert_eq!(
            dcmp.method,
            Method::VolumeIntensityFactor,
            "three effects of a worked case"
        );
    }

    #[test]
    fn zeros_follow_the_analytical_limits() {
        let dcmp = decompose(
            2024,
            2025,
            &[
                pair("New oven", "0", "5000", "0", "10"),
                pair("Old boiler", "3000", "0", "6", "0"),
                pair("Green power", "1000", "1000", "0.53", "0"),
                pair("Supplier back to grid", "1000", "1000", "0", "0.53"),
                pair("Idle", "0", "0", "0", "0"),
            ],
            Some((d("10"), d("12"))),
        );
        let rules: Vec<(Rule, Option<Decimal>, Option<Decimal>, Decimal)> = dcmp
            .sources
            .iter()
            .map(|s| (s.rule, s.volume_tco2e, s.intensity_tco2e, s.factor_tco2e))
            .collect();
        let z = Some(Decimal::ZERO);
        assert_eq!(
            rules[0],
            (Rule::Appears, z, Some(d("10")), Decimal::ZERO),
            "a new source: all intensity"
        );
        assert_eq!(
            rules[1],
            (Rule::Disappears, z, Some(d("-6")), Decimal::ZERO),
            "a source that stopped: all intensity"
        );
        assert_eq!(
            rules[2],
            (Rule::FactorZero, z, z, d("-0.53")),
            "a zero factor: all factor"
        );
        assert_eq!(
            rules[3],
            (Rule::FactorZero, z, z, d("0.53")),
            "zeros follow the analytical limits"
        );
        assert_eq!(
            rules[4],
            (Rule::None, z, z, Decimal::ZERO),
            "zeros follow the analytical limits"
        );
        assert!(dcmp.issues.is_empty(), "zeros follow the analytical limits");
    }

    #[test]
    fn without_output_the_factor_and_the_rest() {
        let dcmp = decompose(
            2024,
            2025,
            &[pair("Grid", "1000000", "900000", "530.6", "450")],
            None,
        );
        assert_eq!(
            dcmp.method,
            Method::ActivityFactor,
            "without output the factor and the rest"
        );
        assert_eq!(
            (dcmp.volume_tco2e, dcmp.intensity_tco2e),
            (None, None),
            "without output the factor and the rest"
        );
        let sum = dcmp.activity_tco2e.unwrap() + dcmp.factor_tco2e;
        assert!(
            close(sum, d("-80.6"), "1e-20"),
            "without output the factor and the rest"
        );
        let zero_q = decompose(
            2024,
            2025,
            &[pair("Grid", "1", "1", "1", "1")],
            Some((d("0"), d("5"))),
        );
        assert_eq!(
            (zero_q.method, zero_q.issues[0].code),
            (Method::ActivityFactor, "LMDI_OUTPUT_ZERO"),
            "without output the factor and the rest"
        );
    }

    #[test]
    fn inconsistent_records_are_not_hidden() {
        let dcmp = decompose(
            2024,
            2025,
            &[pair("Odd", "0", "10", "5", "7")],
            Some((d("1"), d("1"))),
        );
        assert_eq!(
            dcmp.sources[0].rule,
            Rule::Unexplained,
            "inconsistent records are not hidden"
        );
        assert_eq!(
            dcmp.sources[0].intensity_tco2e,
            Some(d("2")),
            "the change is kept whole"
        );
        assert_eq!(
            dcmp.issues[0].code, "LMDI_UNEXPLAINED",
            "inconsistent records are not hidden"
        );
    }
}
