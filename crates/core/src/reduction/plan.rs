//! The plan: the measures with status planned or later, applied from their start month and
//! projected to each year up to a target's year, against that target.
//!
//! A measure abates `A` t a year (on the target's scopes and scope 2 basis). In a year it counts
//! `A × months/12`, the months from its start month on (a measure starting in July counts 6/12
//! in its first year, all of it after). The projection starts from a reference year with actual
//! figures (the latest one) and holds that year's emissions and output flat (no growth assumed);
//! only what a measure adds beyond what the reference year already contains comes off:
//!
//! ```text
//! planned(y)   = Σ_m A_m × share_m(y)
//! projected(y) = actual(r) − Σ_m A_m × (share_m(y) − share_m(r))
//! gap(y)       = projected(y) − allowed(y)          (positive: tonnes still to cut)
//! ```
//!
//! For an intensity target the allowed tonnes are the allowed intensity × the reference year's
//! output. A measure without a start month counts from January of the year after the reference
//! year (a `done` one is taken as already in the reference year), disclosed. A measure whose
//! abatement is unknown (no factor) makes the projection of the years it would act in unknown
//! (`None`), with an issue: never a figure quietly left short.

use super::abatement::MeasureResult;
use super::measure::{MeasureStatus, SourceInfo};
use super::target::{Status, Target};
use super::Month;
use crate::issue::{Issue, Severity};
use crate::text::grouped;
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::BTreeMap;

/// The year the projection starts from, with its actual figures for the target's scopes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reference {
    pub year: i32,
    pub tco2e: Decimal,
    /// Output in the target's metric unit (intensity targets).
    pub output: Option<Decimal>,
}

/// One projected year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlanYear {
    pub year: i32,
    /// Abatement of the planned measures in this year, t (gross).
    pub planned_tco2e: Option<Decimal>,
    pub projected_tco2e: Option<Decimal>,
    pub allowed_tco2e: Option<Decimal>,
    pub gap_tco2e: Option<Decimal>,
    pub status: Status,
}

/// One measure's part in the plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlanMeasure {
    pub name: String,
    pub status: MeasureStatus,
    /// The start month used (given, or assumed).
    pub start: Month,
    pub start_assumed: bool,
    /// t a year on the target's scopes and basis; `None` when unknown.
    pub annual_tco2e: Option<Decimal>,
}

/// The plan against one target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Plan {
    pub target: String,
    pub reference_year: i32,
    pub measures: Vec<PlanMeasure>,
    /// From the year after the reference year to the target year.
    pub years: Vec<PlanYear>,
    pub planned_tco2e_in_target_year: Option<Decimal>,
    pub projected_tco2e_in_target_year: Option<Decimal>,
    pub gap_tco2e_in_target_year: Option<Decimal>,
    pub issues: Vec<Issue>,
}

/// `months/12` of a measure in `year`.
fn share(start: Month, year: i32) -> Decimal {
    Decimal::from(start.months_in(year)) / Decimal::from(12)
}

/// Project the planned measures against `target` from `reference`.
pub fn project(target: &Target, reference: Reference, measures: &[MeasureResult]) -> Plan {
    let mut issues = Vec::new();
    let place = format!("target {}", target.name);
    let mut plan_measures = Vec::new();
    for m in measures.iter().filter(|m| m.status.is_planned()) {
        let (start, assumed) = match m.start {
            Some(s) => (s, false),
            None if m.status == MeasureStatus::Done => (
                Month {
                    year: reference.year,
                    month: 1,
                },
                true,
            ),
            None => (
                Month {
                    year: reference.year.saturating_add(1),
                    month: 1,
                },
                true,
            ),
        };
        if assumed {
            issues.push(Issue::new(
                "PLAN_START_ASSUMED",
                Severity::Info,
                format!("measure {}", m.name),
                format!(
                    "no start month: counted from {start}{}",
                    if m.status == MeasureStatus::Done {
                        " (done: taken as already in the reference year's figures)"
                    } else {
                        ""
                    }
                ),
                format!(
                    "未填写开始月份：自 {start} 起计{}",
                    if m.status == MeasureStatus::Done {
                        "（已完成：视为已包含在参照年数据中）"
                    } else {
                        ""
                    }
                ),
            ));
        }
        let annual = m
            .abatement
            .as_ref()
            .map(|a| a.in_scopes(target.scopes, target.scope2));
        if annual.is_none() {
            issues.push(Issue::new(
                "PLAN_MEASURE_UNKNOWN",
                Severity::Error,
                format!("measure {}", m.name),
                format!(
                    "its abatement is unknown (no factor), so the plan of target {} cannot be projected for the years it acts in",
                    target.name
                ),
                format!(
                    "该措施的减排量未知（无排放因子），目标“{}”在其实施年份的预测无法计算",
                    target.name
                ),
            ));
        }
        plan_measures.push(PlanMeasure {
            name: m.name.clone(),
            status: m.status,
            start,
            start_assumed: assumed,
            annual_tco2e: annual,
        });
    }
    let output = reference.output.filter(|o| *o > Decimal::ZERO);
    let years: Vec<PlanYear> = (reference.year.saturating_add(1)..=target.target_year)
        .map(|y| {
            let mut planned = Some(Decimal::ZERO);
            let mut incremental = Some(Decimal::ZERO);
            for pm in &plan_measures {
                let s_y = share(pm.start, y);
                let s_r = share(pm.start, reference.year);
                match pm.annual_tco2e {
                    Some(a) => {
                        planned = planned.map(|p| p + a * s_y);
                        incremental = incremental.map(|i| i + a * (s_y - s_r));
                    }
                    None => {
                        if !s_y.is_zero() {
                            planned = None;
                        }
                        if s_y != s_r {
                            incremental = None;
                        }
                    }
                }
            }
            let projected = incremental.map(|i| reference.tco2e - i);
            let allowed = target.allowed_tco2e(y, output);
            let gap = projected.zip(allowed).map(|(p, a)| p - a);
            PlanYear {
                year: y,
                planned_tco2e: planned,
                projected_tco2e: projected,
                allowed_tco2e: allowed,
                gap_tco2e: gap,
                status: match gap {
                    None => Status::NoData,
                    Some(g) if g <= Decimal::ZERO => Status::OnTrack,
                    Some(_) => Status::OffTrack,
                },
            }
        })
        .collect();
    let last = years.iter().find(|y| y.year == target.target_year);
    let planned_in_target_year = match last {
        Some(y) => y.planned_tco2e,
        // the reference year is at or after the target year: the gross figure still holds
        None => plan_measures.iter().try_fold(Decimal::ZERO, |acc, pm| {
            pm.annual_tco2e
                .map(|a| acc + a * share(pm.start, target.target_year))
        }),
    };
    if let Some(g) = last
        .and_then(|y| y.gap_tco2e)
        .filter(|g| *g > Decimal::ZERO)
    {
        issues.push(Issue::new(
            "PLAN_SHORT_OF_TARGET",
            Severity::Warning,
            place.clone(),
            format!(
                "the planned measures leave {} t above the target in {}",
                grouped(g, 1),
                target.target_year
            ),
            format!(
                "按计划措施，{} 年仍比目标高 {} t",
                target.target_year,
                grouped(g, 1)
            ),
        ));
    }
    Plan {
        target: target.name.clone(),
        reference_year: reference.year,
        measures: plan_measures,
        planned_tco2e_in_target_year: planned_in_target_year,
        projected_tco2e_in_target_year: last.and_then(|y| y.projected_tco2e),
        gap_tco2e_in_target_year: last.and_then(|y| y.gap_tco2e),
        years,
        issues,
    }
}

/// Planned measures that together take more from a source than it uses in a year: each one
/// passes on its own, the plan does not add up.
pub fn overcommitted(measures: &[MeasureResult], sources: &[SourceInfo]) -> Vec<Issue> {
    let mut totals: BTreeMap<&str, (Decimal, Vec<&str>)> = BTreeMap::new();
    for m in measures.iter().filter(|m| m.status.is_planned()) {
        for c in &m.changes {
            let entry = totals.entry(c.source.as_str()).or_default();
            entry.0 += c.quantity;
            if !entry.1.contains(&m.name.as_str()) {
                entry.1.push(m.name.as_str());
            }
        }
    }
    let mut issues = Vec::new();
    for (name, (change, names)) in totals {
        let Some(s) = sources.iter().find(|s| s.name == name) else {
            continue;
        };
        if s.annual_activity + change < Decimal::ZERO && names.len() > 1 {
            issues.push(Issue::new(
                "PLAN_EXCEEDS_ACTIVITY",
                Severity::Warning,
                format!("source {name}"),
                format!(
                    "the planned measures {} together change it by {} {}, more than its annual activity of {} {}: their abatement is counted twice",
                    names.join(", "),
                    grouped(change, 1),
                    s.unit,
                    grouped(s.annual_activity, 1),
                    s.unit
                ),
                format!(
                    "计划措施 {} 合计使其变化 {} {}，超过其年活动量 {} {}：减排量被重复计算",
                    names.join("、"),
                    grouped(change, 1),
                    s.unit,
                    grouped(s.annual_activity, 1),
                    s.unit
                ),
            ));
        }
    }
    issues
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gas::GwpSet;
    use crate::reduction::abatement::{evaluate, Context};
    use crate::reduction::finance::DiscountRate;
    use crate::reduction::fixtures::*;
    use crate::reduction::measure::{DirectChange, Measure, MeasureKind};
    use crate::reduction::target::{Ambition, BaseYear, Scopes, TargetSpec};
    use crate::reduction::Basis;
    use crate::units::Unit;

    fn target() -> Target {
        Target::new(
            TargetSpec {
                name: "2030".into(),
                scopes: Scopes::OneTwo,
                scope2: Basis::Location,
                base_year: 2024,
                target_year: 2030,
                ambition: Ambition::Reduction(d("42")),
                metric: None,
            },
            BaseYear {
                tco2e: d("1000"),
                output: None,
                fingerprint: None,
            },
        )
        .unwrap()
    }

    /// A measure that takes `kwh` off the grid (0.5306 kg/kWh location).
    fn grid_measure(
        name: &str,
        kwh: &str,
        status: MeasureStatus,
        start: Option<(i32, u32)>,
    ) -> MeasureResult {
        let m = Measure {
            name: name.into(),
            kind: MeasureKind::Other,
            status,
            start: start.and_then(|(y, mo)| Month::new(y, mo)),
            inputs: BTreeMap::new(),
            sources: BTreeMap::new(),
            changes: vec![DirectChange {
                source: "Grid power".into(),
                quantity: d(kwh),
                unit: Unit::KWh,
            }],
            capex: d("0"),
            opex: d("0"),
            lifetime: None,
            meter: None,
        };
        let s = sources();
        let r = source_rates();
        let ctx = Context {
            sources: &s,
            rates: &r,
            prices: &[],
            gwp: GwpSet::AR6,
            discount_rate: DiscountRate::default(),
            basis: Basis::Location,
        };
        evaluate(&m, &ctx).unwrap()
    }

    #[test]
    fn a_mid_year_start_counts_pro_rata_then_in_full() {
        // −200,000 kWh × 0.5306 = 106.12 t a year, from July 2026
        let m = grid_measure("PV", "-200000", MeasureStatus::Planned, Some((2026, 7)));
        let plan = project(
            &target(),
            Reference {
                year: 2025,
                tco2e: d("950"),
                output: None,
            },
            &[m],
        );
        let y = |year: i32| plan.years.iter().find(|p| p.year == year).unwrap();
        assert_eq!(y(2026).planned_tco2e, Some(d("53.06")), "6 of 12 months");
        assert_eq!(
            y(2027).planned_tco2e,
            Some(d("106.12")),
            "a mid year start counts pro rata then in full"
        );
        assert_eq!(
            y(2026).projected_tco2e,
            Some(d("896.94")),
            "a mid year start counts pro rata then in full: 950 − 53.06"
        );
        // allowed 2030: 1000 × 0.58 = 580; projected 843.88 → 263.88 t short
        assert_eq!(
            plan.gap_tco2e_in_target_year,
            Some(d("263.88")),
            "a mid year start counts pro rata then in full"
        );
        assert_eq!(
            plan.planned_tco2e_in_target_year,
            Some(d("106.12")),
            "a mid year start counts pro rata then in full"
        );
        assert_eq!(
            y(2030).status,
            Status::OffTrack,
            "a mid year start counts pro rata then in full"
        );
        assert!(
            plan.issues.iter().any(|i| i.code == "PLAN_SHORT_OF_TARGET"),
            "a mid year start counts pro rata then in full"
        );
        assert_eq!(
            plan.years.first().map(|p| p.year),
            Some(2026),
            "from the year after the reference year"
        );
    }

    #[test]
    fn what_the_reference_year_already_holds_is_not_counted_twice() {
        // done in April 2025: 9/12 of it is already in 2025's actual emissions
        let m = grid_measure("LED", "-120000", MeasureStatus::Done, Some((2025, 4)));
        let plan = project(
            &target(),
            Reference {
                year: 2025,
                tco2e: d("900"),
                output: None,
            },
            &[m],
        );
        // 63.672 t a year; 2026 adds the 3/12 not yet in 2025
        assert_eq!(
            plan.years[0].planned_tco2e,
            Some(d("63.672")),
            "gross: the whole year"
        );
        assert_eq!(
            plan.years[0].projected_tco2e,
            Some(d("884.082")),
            "what the reference year already holds is not counted twice: 900 − 63.672 × 3/12"
        );
    }

    #[test]
    fn ideas_do_not_count_and_unknown_abatement_is_not_zero() {
        let idea = grid_measure("Idea", "-100000", MeasureStatus::Idea, Some((2026, 1)));
        let plan = project(
            &target(),
            Reference {
                year: 2025,
                tco2e: d("900"),
                output: None,
            },
            &[idea],
        );
        assert!(plan.measures.is_empty(), "an idea is not in the plan");
        assert_eq!(
            plan.years[0].projected_tco2e,
            Some(d("900")),
            "ideas do not count and unknown abatement is not zero"
        );

        let mut unknown = grid_measure(
            "No factor",
            "-100000",
            MeasureStatus::Planned,
            Some((2027, 1)),
        );
        unknown.abatement = None;
        let plan = project(
            &target(),
            Reference {
                year: 2025,
                tco2e: d("900"),
                output: None,
            },
            &[unknown],
        );
        assert_eq!(
            plan.years[0].projected_tco2e,
            Some(d("900")),
            "2026: the measure has not started"
        );
        assert_eq!(
            plan.years[1].projected_tco2e, None,
            "2027: unknown, not 900"
        );
        assert_eq!(
            plan.planned_tco2e_in_target_year, None,
            "ideas do not count and unknown abatement is not zero"
        );
        assert!(
            plan.issues
                .iter()
                .any(|i| i.code == "PLAN_MEASURE_UNKNOWN" && i.severity == Severity::Error),
            "ideas do not count and unknown abatement is not zero"
        );
    }

    #[test]
    fn a_missing_start_is_assumed_and_disclosed() {
        let m = grid_measure("VSD", "-100000", MeasureStatus::Approved, None);
        let plan = project(
            &target(),
            Reference {
                year: 2025,
                tco2e: d("900"),
                output: None,
            },
            &[m],
        );
        assert_eq!(
            plan.measures[0].start,
            Month::new(2026, 1).unwrap(),
            "a missing start is assumed and disclosed"
        );
        assert!(
            plan.measures[0].start_assumed,
            "a missing start is assumed and disclosed"
        );
        assert_eq!(
            plan.years[0].planned_tco2e,
            Some(d("53.06")),
            "a missing start is assumed and disclosed"
        );
        assert!(
            plan.issues.iter().any(|i| i.code == "PLAN_START_ASSUMED"),
            "a missing start is assumed and disclosed"
        );
    }

    #[test]
    fn scope_3_measures_do_not_count_for_a_scope_1_2_target() {
        let mut m = grid_measure("PV", "-200000", MeasureStatus::Planned, Some((2026, 1)));
        if let Some(a) = m.abatement.as_mut() {
            for l in &mut a.lines {
                l.scope = crate::source::Scope::Three;
            }
        }
        let plan = project(
            &target(),
            Reference {
                year: 2025,
                tco2e: d("900"),
                output: None,
            },
            &[m],
        );
        assert_eq!(
            plan.measures[0].annual_tco2e,
            Some(Decimal::ZERO),
            "scope 3 measures do not count for a scope 1 2 target"
        );
    }

    #[test]
    fn measures_that_together_exceed_a_source_are_flagged() {
        let a = grid_measure("A", "-600000", MeasureStatus::Planned, None);
        let b = grid_measure("B", "-500000", MeasureStatus::Planned, None);
        let issues = overcommitted(&[a.clone(), b], &sources());
        assert_eq!(
            issues.iter().map(|i| i.code).collect::<Vec<_>>(),
            vec!["PLAN_EXCEEDS_ACTIVITY"],
            "measures that together exceed a source are flagged"
        );
        assert!(
            issues[0].message(crate::Lang::En).contains("A, B"),
            "measures that together exceed a source are flagged: {}",
            issues[0].message(crate::Lang::En)
        );
        assert!(
            overcommitted(&[a], &sources()).is_empty(),
            "measures that together exceed a source are flagged"
        );
    }
}
