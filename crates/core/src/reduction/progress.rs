//! Progress: the abatement a finished measure actually achieved in a year, measured from the
//! factory's own records.
//!
//! - **Metered** (a measure with a meter, e.g. the PV inverter's generation): the self-consumed
//!   kWh (generation − export) × the factor of the grid power it displaced, that year's factor:
//!   `achieved = (generation − exported) × rate ÷ 1000`.
//! - **Production-normalised** (other finished measures, with output in both years): per source
//!   the measure changes, the base year's activity per unit of output scaled to this year's
//!   output, minus this year's activity, × this year's factor:
//!   `achieved = ((E_base ÷ Q_base) × Q_year − E_year) × rate ÷ 1000`.
//! - **Plain difference** (no output data): `(E_base − E_year) × rate ÷ 1000`, flagged in the
//!   result: a change of production shows up as abatement or as its loss.
//!
//! A source's change between two years is the sum of everything that happened to it: when
//! several finished measures act on one source, each one's figure holds all of them, and
//! [`overlaps`] says so.

use super::abatement::SourceRate;
use super::{Basis, Citation};
use crate::calc::FactorRef;
use crate::issue::{Issue, Severity};
use crate::text::grouped;
use crate::units::Unit;
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::BTreeMap;

/// How an achieved figure was obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Method {
    Metered,
    ProductionNormalised,
    PlainDifference,
}

/// The production-normalised baseline.
pub const NORMALISED_RULE: Citation = Citation {
    citation: "production-normalised baseline: base-year activity per unit of output × this year's output (the approach of DOE Better Plants' VERIFI tool; regression on production and weather is the fuller form; IPMVP option C) — method choice, not confirmed against those documents",
    confirmed: false,
};

/// One source's part of an achieved figure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AchievedLine {
    pub source: String,
    pub unit: Unit,
    /// Metered: the self-consumed kWh; else the activity expected without the measure.
    pub expected_activity: Decimal,
    /// Metered: zero; else this year's activity.
    pub actual_activity: Decimal,
    /// expected − actual, in `unit`.
    pub avoided_activity: Decimal,
    pub factor: FactorRef,
    pub market_factor: FactorRef,
    pub location_tco2e: Decimal,
    pub market_tco2e: Decimal,
}

/// A measure's achieved abatement in one year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Achieved {
    pub measure: String,
    pub year: i32,
    pub method: Method,
    /// `None` when the records cannot give it (see the issues).
    pub location_tco2e: Option<Decimal>,
    pub market_tco2e: Option<Decimal>,
    pub lines: Vec<AchievedLine>,
    pub rule: Option<Citation>,
    pub issues: Vec<Issue>,
}

impl Achieved {
    pub fn tco2e(&self, basis: Basis) -> Option<Decimal> {
        match basis {
            Basis::Location => self.location_tco2e,
            Basis::Market => self.market_tco2e,
        }
    }
}

fn tonnes(activity: Decimal, rate_kg: Decimal) -> Option<Decimal> {
    Some(activity.checked_mul(rate_kg)? / Decimal::ONE_THOUSAND)
}

/// Metered achieved abatement: `(generation − exported)` kWh × the displaced source's rate (its
/// factor of `year`). Without an export reading all the generation counts as self-consumed,
/// disclosed; an export above the generation is an error in the records.
pub fn metered(
    measure: &str,
    year: i32,
    generation_kwh: Decimal,
    exported_kwh: Option<Decimal>,
    displaced: &SourceRate,
) -> Achieved {
    let place = format!("measure {measure}");
    let mut issues = Vec::new();
    let mut out = Achieved {
        measure: measure.to_string(),
        year,
        method: Method::Metered,
        location_tco2e: None,
        market_tco2e: None,
        lines: Vec::new(),
        rule: None,
        issues: Vec::new(),
    };
    let exported = match exported_kwh {
        Some(e) => e,
        None => {
            issues.push(Issue::new(
                "ACHIEVED_EXPORT_UNKNOWN",
                Severity::Warning,
                place.clone(),
                format!("{year}: no export reading; all {} kWh generated are counted as self-consumed, which overstates the abatement if power was exported", grouped(generation_kwh, 0)),
                format!("{year} 年：无上网电量读数；发电量 {} kWh 全部按自发自用计，如有余电上网则高估减排量", grouped(generation_kwh, 0)),
            ));
            Decimal::ZERO
        }
    };
    let own = generation_kwh - exported;
    if generation_kwh < Decimal::ZERO || exported < Decimal::ZERO || own < Decimal::ZERO {
        issues.push(Issue::new(
            "ACHIEVED_METER_INCONSISTENT",
            Severity::Error,
            place,
            format!("{year}: generation {} kWh and export {} kWh do not give a self-consumption (export above generation, or a negative reading); check the meter records", generation_kwh, exported),
            format!("{year} 年：发电量 {} kWh 与上网电量 {} kWh 无法得出自用电量（上网电量大于发电量或读数为负）；请核对计量记录", generation_kwh, exported),
        ));
        out.issues = issues;
        return out;
    }
    let Ok(avoided) = Unit::KWh.convert(own, displaced.unit) else {
        issues.push(Issue::new(
            "ACHIEVED_UNIT_MISMATCH",
            Severity::Error,
            place,
            format!(
                "the displaced source '{}' is not kept in an energy unit",
                displaced.source
            ),
            format!("被替代的排放源“{}”不以能量单位计量", displaced.source),
        ));
        out.issues = issues;
        return out;
    };
    let loc = tonnes(avoided, displaced.location.kg_co2e_per_unit);
    let mkt = tonnes(avoided, displaced.market.kg_co2e_per_unit);
    if let (Some(loc), Some(mkt)) = (loc, mkt) {
        out.lines.push(AchievedLine {
            source: displaced.source.clone(),
            unit: displaced.unit,
            expected_activity: avoided,
            actual_activity: Decimal::ZERO,
            avoided_activity: avoided,
            factor: displaced.location.factor.clone(),
            market_factor: displaced.market.factor.clone(),
            location_tco2e: loc,
            market_tco2e: mkt,
        });
        out.location_tco2e = Some(loc);
        out.market_tco2e = Some(mkt);
    }
    out.issues = issues;
    out
}

/// A source's activity in the base year and the year assessed, in one unit, and its rates of
/// the year assessed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceYears {
    pub base_activity: Decimal,
    pub year_activity: Decimal,
    pub rate: SourceRate,
}

/// Achieved abatement of a finished, unmetered measure from the records of the sources it
/// changes: production-normalised when both years have output (> 0), else the plain
/// difference, flagged.
pub fn from_records(
    measure: &str,
    year: i32,
    sources: &[SourceYears],
    base_output: Option<Decimal>,
    year_output: Option<Decimal>,
) -> Achieved {
    let place = format!("measure {measure}");
    let mut issues = Vec::new();
    let output = base_output
        .zip(year_output)
        .filter(|(b, y)| *b > Decimal::ZERO && *y > Decimal::ZERO);
    let method = if output.is_some() {
        Method::ProductionNormalised
    } else {
        issues.push(Issue::new(
            "ACHIEVED_NOT_NORMALISED",
            Severity::Warning,
            place.clone(),
            format!("{year}: no output for the base year and {year}; achieved abatement is the plain difference of activity, so a change of production counts as abatement (or hides it)"),
            format!("{year} 年：缺少基准年与当年的产出数据；实际减排量按活动量直接差值计算，产量变化会被计为减排（或掩盖减排）"),
        ));
        Method::PlainDifference
    };
    let mut lines = Vec::new();
    let mut totals = Some((Decimal::ZERO, Decimal::ZERO));
    for s in sources {
        let expected = match output {
            Some((qb, qy)) => s
                .base_activity
                .checked_div(qb)
                .and_then(|per| per.checked_mul(qy)),
            None => Some(s.base_activity),
        };
        let line = expected.and_then(|expected| {
            let avoided = expected - s.year_activity;
            Some(AchievedLine {
                source: s.rate.source.clone(),
                unit: s.rate.unit,
                expected_activity: expected,
                actual_activity: s.year_activity,
                avoided_activity: avoided,
                factor: s.rate.location.factor.clone(),
                market_factor: s.rate.market.factor.clone(),
                location_tco2e: tonnes(avoided, s.rate.location.kg_co2e_per_unit)?,
                market_tco2e: tonnes(avoided, s.rate.market.kg_co2e_per_unit)?,
            })
        });
        match line {
            Some(l) => {
                totals = totals.map(|(a, b)| (a + l.location_tco2e, b + l.market_tco2e));
                lines.push(l);
            }
            None => {
                totals = None;
                issues.push(Issue::new(
                    "NUMBER_TOO_LARGE",
                    Severity::Error,
                    place.clone(),
                    format!(
                        "the records of '{}' are too large to compute",
                        s.rate.source
                    ),
                    format!("排放源“{}”的数据过大，无法计算", s.rate.source),
                ));
            }
        }
    }
    Achieved {
        measure: measure.to_string(),
        year,
        method,
        location_tco2e: totals.map(|t| t.0),
        market_tco2e: totals.map(|t| t.1),
        lines,
        rule: (method == Method::ProductionNormalised).then_some(NORMALISED_RULE),
        issues,
    }
}

/// Finished measures that change the same source: each one's achieved figure holds the others'.
pub fn overlaps(measures: &[(&str, Vec<String>)]) -> Vec<Issue> {
    let mut by_source: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (name, sources) in measures {
        for s in sources {
            let names = by_source.entry(s.as_str()).or_default();
            if !names.contains(name) {
                names.push(name);
            }
        }
    }
    by_source
        .into_iter()
        .filter(|(_, names)| names.len() > 1)
        .map(|(source, names)| {
            Issue::new(
                "ACHIEVED_OVERLAP",
                Severity::Warning,
                format!("source {source}"),
                format!(
                    "the measures {} all change it: the achieved figure of each holds the change of all of them, do not add them up",
                    names.join(", ")
                ),
                format!(
                    "措施 {} 均作用于该排放源：每项措施的实际减排量都包含全部措施的变化，不可相加",
                    names.join("、")
                ),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reduction::fixtures::*;

    fn grid() -> SourceRate {
        source_rates().remove(0)
    }

    #[test]
    fn metered_pv_counts_the_self_consumed_kwh() {
        // 126,000 kWh generated, 18,900 exported: 107,100 self-consumed × 0.5306 / 0.6
        let a = metered("PV", 2025, d("126000"), Some(d("18900")), &grid());
        assert_eq!(
            a.method,
            Method::Metered,
            "metered pv counts the self consumed kwh"
        );
        assert_eq!(
            a.location_tco2e,
            Some(d("56.82726")),
            "metered pv counts the self consumed kwh"
        );
        assert_eq!(
            a.market_tco2e,
            Some(d("64.26")),
            "metered pv counts the self consumed kwh"
        );
        assert_eq!(
            a.lines[0].factor.id, "CN-GRID",
            "names the factor it displaced"
        );
        assert!(
            a.issues.is_empty(),
            "metered pv counts the self consumed kwh"
        );

        let all = metered("PV", 2025, d("126000"), None, &grid());
        assert_eq!(
            all.location_tco2e,
            Some(d("66.8556")),
            "all generation, disclosed"
        );
        assert_eq!(
            all.issues[0].code, "ACHIEVED_EXPORT_UNKNOWN",
            "metered pv counts the self consumed kwh"
        );

        let bad = metered("PV", 2025, d("1000"), Some(d("2000")), &grid());
        assert_eq!(
            (bad.location_tco2e, bad.issues[0].code),
            (None, "ACHIEVED_METER_INCONSISTENT"),
            "no figure from inconsistent meters"
        );
    }

    #[test]
    fn production_normalised_and_plain_difference() {
        // base 1,000,000 kWh for 400,000 pcs; this year 1,050,000 kWh for 500,000 pcs:
        // expected 1,250,000, avoided 200,000 kWh
        let s = [SourceYears {
            base_activity: d("1000000"),
            year_activity: d("1050000"),
            rate: grid(),
        }];
        let a = from_records("LED", 2025, &s, Some(d("400000")), Some(d("500000")));
        assert_eq!(
            a.method,
            Method::ProductionNormalised,
            "production normalised and plain difference"
        );
        assert_eq!(
            a.lines[0].avoided_activity,
            d("200000"),
            "production normalised and plain difference"
        );
        assert_eq!(
            a.location_tco2e,
            Some(d("106.12")),
            "production normalised and plain difference"
        );
        assert!(
            a.rule.is_some_and(|r| !r.confirmed),
            "production normalised and plain difference"
        );
        assert!(
            a.issues.is_empty(),
            "production normalised and plain difference"
        );

        let plain = from_records("LED", 2025, &s, None, Some(d("500000")));
        assert_eq!(
            plain.method,
            Method::PlainDifference,
            "production normalised and plain difference"
        );
        assert_eq!(
            plain.lines[0].avoided_activity,
            d("-50000"),
            "more production reads as lost abatement"
        );
        assert_eq!(
            plain.location_tco2e,
            Some(d("-26.53")),
            "production normalised and plain difference"
        );
        assert_eq!(
            plain.issues[0].code, "ACHIEVED_NOT_NORMALISED",
            "flagged as such"
        );
        let zero_output = from_records("LED", 2025, &s, Some(d("0")), Some(d("500000")));
        assert_eq!(
            zero_output.method,
            Method::PlainDifference,
            "no division by a zero output"
        );
    }

    #[test]
    fn overlapping_measures_are_flagged() {
        let issues = overlaps(&[
            ("LED", vec!["Grid power".to_string()]),
            ("VSD", vec!["Grid power".to_string()]),
            ("Heat recovery", vec!["Boiler gas".to_string()]),
        ]);
        assert_eq!(issues.len(), 1, "overlapping measures are flagged");
        assert_eq!(
            issues[0].place, "source Grid power",
            "overlapping measures are flagged"
        );
    }
}
