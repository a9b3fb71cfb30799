//! Targets against the base year: absolute (tCO2e) or intensity (tCO2e per unit of output), on
//! scopes 1+2, 1+2+3 or 3, scope 2 on the market basis unless told otherwise.
//!
//! The ambition is a reduction in per cent, or a named, versioned pathway preset ([`PATHWAYS`]):
//! a linear annual reduction of `rate` % of base-year emissions, so that
//! `pct = rate × (target_year − base_year)`, refused when that exceeds 100 %.
//!
//! The trajectory is linear from the base year to the target year and flat after it:
//!
//! ```text
//! allowed(y) = base × (1 − pct/100 × (y − base_year) / (target_year − base_year))   base_year ≤ y ≤ target_year
//! allowed(y) = base × (1 − pct/100)                                                    y > target_year
//! ```
//!
//! For an intensity target `base` is the base-year intensity (base tCO2e ÷ base output) and the
//! allowed tonnes of a year are `allowed intensity × that year's output`. A year is on track
//! when its actual emissions are at most the allowed ones; the gap is `actual − allowed` in t
//! (positive: tonnes above the trajectory). A year without emissions (or, for an intensity
//! target, without output) has status `no-data`.
//!
//! A target keeps the base-year figures it was set with. When the base year's computed
//! emissions change later, [`Target::base_change`] says by how much and whether that passes the
//! significance threshold (default 5 %, SBTi near-term criterion C27 / common practice; the GHG
//! Protocol leaves the threshold to the company). [`Target::rebase`] makes the recalculated
//! target and the [`Recalculation`] entry of the base-year recalculation log (reason, old and new
//! figures, the time given by the caller).

use super::{fraction, Basis, Citation, ReductionError};
use crate::calc::Totals;
use crate::issue::{Issue, Severity};
use crate::source::Scope;
use crate::text::{closest, grouped};
use crate::units::Unit;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde::{Serialize, Serializer};
use std::collections::BTreeMap;

/// The scopes a target covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scopes {
    /// Scopes 1 and 2.
    OneTwo,
    /// Scopes 1, 2 and 3.
    OneTwoThree,
    /// Scope 3 only.
    Three,
}

impl Scopes {
    pub const ALL: [Scopes; 3] = [Scopes::OneTwo, Scopes::OneTwoThree, Scopes::Three];

    /// `1+2`, `1+2+3`, `3` (also `s1+s2`, `1,2`, `12`, `scope 3` …).
    pub fn parse(text: &str) -> Result<Scopes, ReductionError> {
        let lower = text.to_lowercase();
        let stripped = lower
            .replace("scopes", "")
            .replace("scope", "")
            .replace("范围", "");
        let kept: String = stripped
            .chars()
            .filter(|c| !c.is_whitespace() && *c != 's')
            .collect();
        let digits: String = kept.chars().filter(|c| c.is_ascii_digit()).collect();
        let only_digits_and_joins = kept
            .chars()
            .all(|c| c.is_ascii_digit() || "+,&/、".contains(c));
        match (digits.as_str(), only_digits_and_joins) {
            ("12", true) => Ok(Scopes::OneTwo),
            ("123", true) => Ok(Scopes::OneTwoThree),
            ("3", true) => Ok(Scopes::Three),
            _ => Err(ReductionError::UnknownScopes {
                input: text.to_string(),
            }),
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Scopes::OneTwo => "1+2",
            Scopes::OneTwoThree => "1+2+3",
            Scopes::Three => "3",
        }
    }

    pub fn includes(self, scope: Scope) -> bool {
        match self {
            Scopes::OneTwo => scope != Scope::Three,
            Scopes::OneTwoThree => true,
            Scopes::Three => scope == Scope::Three,
        }
    }

    /// The emissions these scopes cover in an inventory's totals, scope 2 on `basis`.
    pub fn tco2e(self, totals: &Totals, basis: Basis) -> Decimal {
        let scope2 = match basis {
            Basis::Location => totals.scope2_location,
            Basis::Market => totals.scope2_market,
        };
        match self {
            Scopes::OneTwo => totals.scope1 + scope2,
            Scopes::OneTwoThree => totals.scope1 + scope2 + totals.scope3,
            Scopes::Three => totals.scope3,
        }
    }
}

impl Serialize for Scopes {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

/// A named, versioned pathway: a linear annual reduction of a share of base-year emissions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Pathway {
    pub id: &'static str,
    pub version: &'static str,
    pub name_en: &'static str,
    pub name_zh: &'static str,
    /// Per cent of base-year emissions cut each year.
    pub annual_rate_pct: Decimal,
    pub source: Citation,
}

/// The pathway presets. A new version of a standard is a new entry beside the old one, never an
/// edit of it (targets name the id they were set with).
pub const PATHWAYS: &[Pathway] = &[
    Pathway {
        id: "sbti-1.5c",
        version: "SBTi near-term criteria v5 (2021-10)",
        name_en: "SBTi 1.5 °C, linear absolute contraction",
        name_zh: "SBTi 1.5 °C 线性绝对减排",
        annual_rate_pct: Decimal::from_parts(42, 0, 0, false, 1),
        source: Citation {
            citation: "SBTi Corporate Near-Term Criteria v5.0 (October 2021; v5.1 April 2023): minimum ambition for scope 1+2 is 1.5 °C, a linear annual reduction of 4.2 % of base-year emissions (confirmed: Salesforce Net Zero Cloud reference, SBTi community answer; research notes section 6)",
            confirmed: true,
        },
    },
    Pathway {
        id: "sbti-wb2c",
        version: "SBTi near-term criteria v5 (2021-10)",
        name_en: "SBTi well-below 2 °C, linear absolute contraction",
        name_zh: "SBTi 远低于 2 °C 线性绝对减排",
        annual_rate_pct: Decimal::from_parts(25, 0, 0, false, 1),
        source: Citation {
            citation: "SBTi Corporate Near-Term Criteria v5.0 (October 2021): well-below 2 °C, a linear annual reduction of 2.5 % of base-year emissions, the minimum for scope 3 near-term targets (confirmed: Salesforce Net Zero Cloud reference, SBTi community answer; research notes section 6)",
            confirmed: true,
        },
    },
];

/// The SBTi rule that a near-term target's base year is 2015 or later.
pub const SBTI_BASE_YEAR_RULE: Citation = Citation {
    citation: "SBTi near-term criteria v5: base year no earlier than 2015 (SBTi FAQ; research notes section 6)",
    confirmed: true,
};

/// Look a pathway up by id (case and surrounding spaces ignored); unknown ids are refused with
/// the nearest names.
pub fn pathway(id: &str) -> Result<&'static Pathway, ReductionError> {
    let wanted = id.trim();
    PATHWAYS
        .iter()
        .find(|p| p.id.eq_ignore_ascii_case(wanted))
        .ok_or_else(|| ReductionError::UnknownPathway {
            input: id.to_string(),
            suggestions: closest(wanted, PATHWAYS.iter().map(|p| p.id)),
            known: PATHWAYS.iter().map(|p| p.id).collect(),
        })
}

/// How ambitious a target is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ambition {
    /// A reduction in per cent, in (0, 100].
    Reduction(Decimal),
    /// A pathway preset by id.
    Pathway(String),
}

/// Absolute or per unit of output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TargetKind {
    Absolute,
    Intensity,
}

/// The output an intensity target divides by (`product` in t, pieces, m2; `value-added` in CNY).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Metric {
    pub name: String,
    pub unit: Unit,
}

/// What a person asks for when setting a target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetSpec {
    pub name: String,
    pub scopes: Scopes,
    /// Scope 2 basis (market unless `--scope2 location`).
    pub scope2: Basis,
    pub base_year: i32,
    pub target_year: i32,
    pub ambition: Ambition,
    /// Set for an intensity target.
    pub metric: Option<Metric>,
}

/// The base year's figures a target is set (or recalculated) with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseYear {
    /// Emissions of the target's scopes on its scope 2 basis.
    pub tco2e: Decimal,
    /// Output in the metric's unit (intensity targets).
    pub output: Option<Decimal>,
    /// The fingerprint of the inventory the figures came from, to show what changed.
    pub fingerprint: Option<String>,
}

/// The pathway a target follows, as it stores it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PathwayRef {
    pub id: &'static str,
    pub version: &'static str,
}

/// A checked target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Target {
    pub name: String,
    pub scopes: Scopes,
    pub scope2: Basis,
    pub kind: TargetKind,
    pub metric: Option<Metric>,
    pub base_year: i32,
    pub target_year: i32,
    /// The reduction in per cent by the target year (for a pathway: rate × years).
    pub reduction_pct: Decimal,
    pub pathway: Option<PathwayRef>,
    pub base_tco2e: Decimal,
    pub base_output: Option<Decimal>,
    pub base_fingerprint: Option<String>,
}

fn check_year(field: &'static str, year: i32) -> Result<(), ReductionError> {
    if (1900..=2200).contains(&year) {
        Ok(())
    } else {
        Err(ReductionError::YearOutOfRange { field, year })
    }
}

fn check_base(
    base_year: i32,
    metric: Option<&Metric>,
    base: &BaseYear,
) -> Result<(), ReductionError> {
    if base.tco2e <= Decimal::ZERO {
        return Err(ReductionError::BaseYearNoData {
            base_year,
            tco2e: base.tco2e,
        });
    }
    if let Some(metric) = metric {
        if base.output.is_none_or(|o| o <= Decimal::ZERO) {
            return Err(ReductionError::BaseYearNoOutput {
                base_year,
                metric: metric.name.clone(),
            });
        }
    }
    Ok(())
}

/// A target's status in one year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    OnTrack,
    OffTrack,
    NoData,
}

/// One year's actual figures, as the inventory gives them for the target's scopes and basis.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Actual {
    pub tco2e: Option<Decimal>,
    /// Output in the target's metric unit (intensity targets).
    pub output: Option<Decimal>,
}

/// One year of the trajectory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TrajectoryYear {
    pub year: i32,
    /// None for an intensity target in a year without output.
    pub allowed_tco2e: Option<Decimal>,
    pub actual_tco2e: Option<Decimal>,
    /// Intensity targets: tCO2e per unit of the metric.
    pub allowed_intensity: Option<Decimal>,
    pub actual_intensity: Option<Decimal>,
    pub status: Status,
    /// actual − allowed, t (positive: above the trajectory).
    pub gap_tco2e: Option<Decimal>,
}

/// A target against the actual figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Assessment {
    /// The reporting year whose status and gap are given.
    pub year: i32,
    pub status: Status,
    pub gap_tco2e: Option<Decimal>,
    /// Base year to target year, and any later year with data.
    pub trajectory: Vec<TrajectoryYear>,
}

/// The significance threshold of a base-year change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Significance {
    pub threshold_pct: Decimal,
    pub rule: Citation,
}

/// The default threshold's rule.
pub const SIGNIFICANCE_RULE: Citation = Citation {
    citation: "SBTi near-term criterion C27 / common practice: recalculate when triggers change base-year emissions by 5 % or more (cumulative); GHG Protocol Corporate Standard ch. 5 leaves the threshold to the company's recalculation policy (research notes section 7)",
    confirmed: true,
};

/// A threshold the user set.
pub const USER_SIGNIFICANCE_RULE: Citation = Citation {
    citation: "significance threshold set in the project's recalculation policy (GHG Protocol Corporate Standard ch. 5)",
    confirmed: true,
};

/// When a base year is recalculated: structural changes, changes of method or factors,
/// significant errors; not organic growth or decline.
pub const RECALCULATION_TRIGGERS: Citation = Citation {
    citation: "GHG Protocol Corporate Standard ch. 5 'Tracking emissions over time': recalculate for structural changes (acquisitions, divestments, outsourcing, insourcing), changes of calculation method or emission factors, and discovered significant errors, not for organic growth or decline; ISO 14064-1:2018 base-year clause (number unconfirmed)",
    confirmed: true,
};

impl Default for Significance {
    fn default() -> Significance {
        Significance {
            threshold_pct: Decimal::from(5),
            rule: SIGNIFICANCE_RULE,
        }
    }
}

impl Significance {
    /// A threshold the user set, in per cent, in (0, 100].
    pub fn new(pct: Decimal) -> Result<Significance, ReductionError> {
        if pct <= Decimal::ZERO || pct > Decimal::ONE_HUNDRED {
            return Err(ReductionError::ThresholdOutOfRange { pct });
        }
        Ok(Significance {
            threshold_pct: pct,
            rule: USER_SIGNIFICANCE_RULE,
        })
    }
}

/// The base year's emissions now differ from those the target was set with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BaseChange {
    pub was: Decimal,
    pub now: Decimal,
    pub change_tco2e: Decimal,
    /// (now − was) ÷ was × 100, full precision.
    pub change_pct: Decimal,
    /// |change_pct| ≥ the threshold: a recalculation is due.
    pub significant: bool,
    pub threshold: Significance,
}

impl BaseChange {
    /// "base year was 1,234.5 t, is now 1,301.2 t, +5.4 %" (t to 0.1, % to 0.1).
    pub fn message_en(&self) -> String {
        let mut m = format!(
            "base year was {} t, is now {} t, {} %",
            grouped(self.was, 1),
            grouped(self.now, 1),
            signed(self.change_pct)
        );
        if self.significant {
            m.push_str(&format!(
                ": at or above the {} % threshold, recalculate the target (`target rebase` with the reason)",
                self.threshold.threshold_pct.normalize()
            ));
        }
        m
    }

    pub fn message_zh(&self) -> String {
        let mut m = format!(
            "基准年排放原为 {} t，现为 {} t，{} %",
            grouped(self.was, 1),
            grouped(self.now, 1),
            signed(self.change_pct)
        );
        if self.significant {
            m.push_str(&format!(
                "：达到 {} % 的显著性阈值，请重新计算目标（`target rebase` 并注明原因）",
                self.threshold.threshold_pct.normalize()
            ));
        }
        m
    }

    /// As an issue of the target (a warning when significant, else information).
    pub fn issue(&self, target: &str) -> Issue {
        Issue::new(
            "BASE_YEAR_CHANGED",
            if self.significant {
                Severity::Warning
            } else {
                Severity::Info
            },
            format!("target {target}"),
            self.message_en(),
            self.message_zh(),
        )
    }
}

fn signed(pct: Decimal) -> String {
    let text = grouped(pct, 1);
    if pct > Decimal::ZERO && !text.starts_with('-') && text != "0.0" {
        format!("+{text}")
    } else {
        text
    }
}

/// An entry of the base-year recalculation log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Recalculation {
    pub target: String,
    pub base_year: i32,
    pub was_tco2e: Decimal,
    pub now_tco2e: Decimal,
    pub change_pct: Decimal,
    pub was_output: Option<Decimal>,
    pub now_output: Option<Decimal>,
    pub was_fingerprint: Option<String>,
    pub now_fingerprint: Option<String>,
    /// Whether the change passed the threshold (a recalculation below it is allowed, and shown).
    pub significant: bool,
    pub threshold_pct: Decimal,
    pub reason: String,
    /// When it was recorded, as the caller gives it (RFC 3339); logic never reads the clock.
    pub recorded_at: String,
    pub triggers: Citation,
}

impl Target {
    /// Check a target and resolve its ambition to a reduction in per cent.
    pub fn new(spec: TargetSpec, base: BaseYear) -> Result<Target, ReductionError> {
        if spec.name.trim().is_empty() {
            return Err(ReductionError::NameRequired { field: "name" });
        }
        check_year("base-year", spec.base_year)?;
        check_year("target-year", spec.target_year)?;
        if spec.target_year <= spec.base_year {
            return Err(ReductionError::TargetYearNotAfterBase {
                base_year: spec.base_year,
                target_year: spec.target_year,
            });
        }
        let years = spec.target_year - spec.base_year;
        let (reduction_pct, pathway_ref) = match &spec.ambition {
            Ambition::Reduction(pct) => {
                if *pct <= Decimal::ZERO || *pct > Decimal::ONE_HUNDRED {
                    return Err(ReductionError::ReductionOutOfRange { pct: *pct });
                }
                (*pct, None)
            }
            Ambition::Pathway(id) => {
                let p = pathway(id)?;
                let pct = p.annual_rate_pct * Decimal::from(years);
                if pct > Decimal::ONE_HUNDRED {
                    // the last whole year whose cumulative cut stays within 100 %
                    let max_years = (Decimal::ONE_HUNDRED / p.annual_rate_pct)
                        .floor()
                        .to_i32()
                        .unwrap_or(i32::MAX);
                    return Err(ReductionError::PathwayExceeds100 {
                        pathway: p.id,
                        rate: p.annual_rate_pct,
                        years,
                        pct,
                        latest_target_year: spec.base_year.saturating_add(max_years),
                    });
                }
                (
                    pct,
                    Some(PathwayRef {
                        id: p.id,
                        version: p.version,
                    }),
                )
            }
        };
        check_base(spec.base_year, spec.metric.as_ref(), &base)?;
        let base_output = base.output.filter(|_| spec.metric.is_some());
        Ok(Target {
            name: spec.name.trim().to_string(),
            scopes: spec.scopes,
            scope2: spec.scope2,
            kind: if spec.metric.is_some() {
                TargetKind::Intensity
            } else {
                TargetKind::Absolute
            },
            metric: spec.metric,
            base_year: spec.base_year,
            target_year: spec.target_year,
            reduction_pct,
            pathway: pathway_ref,
            base_tco2e: base.tco2e,
            base_output,
            base_fingerprint: base.fingerprint,
        })
    }

    /// Disclosures about the target: a pathway target whose base year is before 2015 does not
    /// meet the SBTi base-year rule.
    pub fn notes(&self) -> Vec<Issue> {
        let mut notes = Vec::new();
        if let Some(p) = &self.pathway {
            if p.id.starts_with("sbti") && self.base_year < 2015 {
                notes.push(Issue::new(
                    "SBTI_BASE_YEAR_BEFORE_2015",
                    Severity::Warning,
                    format!("target {}", self.name),
                    format!(
                        "the SBTi pathway expects a base year of 2015 or later, this target's is {} ({})",
                        self.base_year, SBTI_BASE_YEAR_RULE.citation
                    ),
                    format!(
                        "SBTi 路径要求基准年不早于 2015 年，该目标的基准年为 {}（{}）",
                        self.base_year, SBTI_BASE_YEAR_RULE.citation
                    ),
                ));
            }
        }
        notes
    }

    /// The base-year intensity (tCO2e per unit of the metric), intensity targets only.
    pub fn base_intensity(&self) -> Option<Decimal> {
        let output = self.base_output.filter(|o| !o.is_zero())?;
        self.metric.as_ref()?;
        self.base_tco2e.checked_div(output)
    }

    /// The share of the base figure allowed in `year`: `1 − pct/100 × (y − b)/(t − b)`, held at
    /// `1 − pct/100` after the target year; `None` before the base year.
    pub fn allowed_share(&self, year: i32) -> Option<Decimal> {
        if year < self.base_year {
            return None;
        }
        let span = Decimal::from(self.target_year - self.base_year);
        let elapsed = Decimal::from(year.min(self.target_year) - self.base_year);
        Some(Decimal::ONE - fraction(self.reduction_pct) * elapsed / span)
    }

    /// The allowed intensity in `year` (intensity targets).
    pub fn allowed_intensity(&self, year: i32) -> Option<Decimal> {
        Some(self.base_intensity()? * self.allowed_share(year)?)
    }

    /// The allowed emissions in `year`, t: for an intensity target, the allowed intensity times
    /// that year's output (`None` without it).
    pub fn allowed_tco2e(&self, year: i32, output: Option<Decimal>) -> Option<Decimal> {
        match self.kind {
            TargetKind::Absolute => Some(self.base_tco2e * self.allowed_share(year)?),
            TargetKind::Intensity => self.allowed_intensity(year)?.checked_mul(output?),
        }
    }

    /// The target-year emissions of an absolute target, t.
    pub fn target_tco2e(&self) -> Option<Decimal> {
        match self.kind {
            TargetKind::Absolute => self.allowed_tco2e(self.target_year, None),
            TargetKind::Intensity => None,
        }
    }

    /// The target-year intensity of an intensity target.
    pub fn target_intensity(&self) -> Option<Decimal> {
        self.allowed_intensity(self.target_year)
    }

    /// One year of the trajectory against its actual figures.
    pub fn year(&self, year: i32, actual: Actual) -> TrajectoryYear {
        let output = actual.output.filter(|o| *o > Decimal::ZERO);
        let allowed = self.allowed_tco2e(year, output);
        let (allowed_intensity, actual_intensity) = match self.kind {
            TargetKind::Absolute => (None, None),
            TargetKind::Intensity => (
                self.allowed_intensity(year),
                actual.tco2e.zip(output).and_then(|(t, o)| t.checked_div(o)),
            ),
        };
        let gap = allowed.zip(actual.tco2e).map(|(a, t)| t - a);
        let status = match gap {
            None => Status::NoData,
            Some(g) if g <= Decimal::ZERO => Status::OnTrack,
            Some(_) => Status::OffTrack,
        };
        TrajectoryYear {
            year,
            allowed_tco2e: allowed,
            actual_tco2e: actual.tco2e,
            allowed_intensity,
            actual_intensity,
            status,
            gap_tco2e: gap,
        }
    }

    /// The trajectory from the base year to the target year (and any later year with data),
    /// each year against its actual figures, and the status and gap of `reporting_year`.
    pub fn assess(&self, actuals: &BTreeMap<i32, Actual>, reporting_year: i32) -> Assessment {
        let last_data = actuals
            .iter()
            .filter(|(_, a)| a.tco2e.is_some())
            .map(|(y, _)| *y)
            .max()
            .unwrap_or(self.target_year);
        let end = self.target_year.max(last_data).max(reporting_year);
        let trajectory: Vec<TrajectoryYear> = (self.base_year..=end)
            .map(|y| self.year(y, actuals.get(&y).copied().unwrap_or_default()))
            .collect();
        let current = if reporting_year < self.base_year {
            None
        } else {
            trajectory.iter().find(|t| t.year == reporting_year)
        };
        Assessment {
            year: reporting_year,
            status: current.map(|t| t.status).unwrap_or(Status::NoData),
            gap_tco2e: current.and_then(|t| t.gap_tco2e),
            trajectory,
        }
    }

    /// How the base year's emissions now differ from those the target was set with; `None` when
    /// they are equal.
    pub fn base_change(&self, now_tco2e: Decimal, threshold: Significance) -> Option<BaseChange> {
        if now_tco2e == self.base_tco2e {
            return None;
        }
        let change = now_tco2e - self.base_tco2e;
        let pct = change * Decimal::ONE_HUNDRED / self.base_tco2e;
        Some(BaseChange {
            was: self.base_tco2e,
            now: now_tco2e,
            change_tco2e: change,
            change_pct: pct,
            significant: pct.abs() >= threshold.threshold_pct,
            threshold,
        })
    }

    /// Recalculate the target on the base year's figures as they are now, with the reason: the
    /// new target (same ambition) and the log entry. Refused without a reason, without base-year
    /// data, or when nothing changed.
    pub fn rebase(
        &self,
        now: BaseYear,
        reason: &str,
        recorded_at: &str,
        threshold: Significance,
    ) -> Result<(Target, Recalculation), ReductionError> {
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(ReductionError::ReasonRequired);
        }
        check_base(self.base_year, self.metric.as_ref(), &now)?;
        let now_output = now.output.filter(|_| self.metric.is_some());
        if now.tco2e == self.base_tco2e
            && now_output == self.base_output
            && now.fingerprint == self.base_fingerprint
        {
            return Err(ReductionError::BaseYearUnchanged { tco2e: now.tco2e });
        }
        let change_pct = (now.tco2e - self.base_tco2e) * Decimal::ONE_HUNDRED / self.base_tco2e;
        let entry = Recalculation {
            target: self.name.clone(),
            base_year: self.base_year,
            was_tco2e: self.base_tco2e,
            now_tco2e: now.tco2e,
            change_pct,
            was_output: self.base_output,
            now_output,
            was_fingerprint: self.base_fingerprint.clone(),
            now_fingerprint: now.fingerprint.clone(),
            significant: change_pct.abs() >= threshold.threshold_pct,
            threshold_pct: threshold.threshold_pct,
            reason: reason.to_string(),
            recorded_at: recorded_at.to_string(),
            triggers: RECALCULATION_TRIGGERS,
        };
        let target = Target {
            base_tco2e: now.tco2e,
            base_output: now_output,
            base_fingerprint: now.fingerprint,
            ..self.clone()
        };
        Ok((target, entry))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn spec(base_year: i32, target_year: i32, ambition: Ambition) -> TargetSpec {
        TargetSpec {
            name: "Near-term".into(),
            scopes: Scopes::OneTwo,
            scope2: Basis::Market,
            base_year,
            target_year,
            ambition,
            metric: None,
        }
    }

    fn base(t: &str) -> BaseYear {
        BaseYear {
            tco2e: d(t),
            output: None,
            fingerprint: Some("fp-2024".into()),
        }
    }

    #[test]
    fn scopes_parse_and_select_totals() {
        assert_eq!(
            Scopes::parse("1+2"),
            Ok(Scopes::OneTwo),
            "scopes parse and select totals"
        );
        assert_eq!(
            Scopes::parse("s1+s2+s3"),
            Ok(Scopes::OneTwoThree),
            "scopes parse and select totals"
        );
        assert_eq!(
            Scopes::parse("3"),
            Ok(Scopes::Three),
            "scopes parse and select totals"
        );
        assert_eq!(
            Scopes::parse("1, 2"),
            Ok(Scopes::OneTwo),
            "scopes parse and select totals"
        );
        assert_eq!(
            Scopes::parse("Scope 1 + 2"),
            Ok(Scopes::OneTwo),
            "scopes parse and select totals"
        );
        assert_eq!(
            Scopes::parse("范围1+2+3"),
            Ok(Scopes::OneTwoThree),
            "scopes parse and select totals"
        );
        for bad in ["2", "1+3", "4", "", "x12", "1e2", "1.2"] {
            assert_eq!(
                Scopes::parse(bad).map_err(|e| e.code()),
                Err("UNKNOWN_SCOPES"),
                "'{bad}' is not a target's scopes"
            );
        }
        let totals = Totals {
            scope1: d("100"),
            scope2_location: d("50"),
            scope2_market: d("60"),
            scope3: d("1000"),
            ..Default::default()
        };
        assert_eq!(
            Scopes::OneTwo.tco2e(&totals, Basis::Market),
            d("160"),
            "scopes parse and select totals"
        );
        assert_eq!(
            Scopes::OneTwo.tco2e(&totals, Basis::Location),
            d("150"),
            "scopes parse and select totals"
        );
        assert_eq!(
            Scopes::OneTwoThree.tco2e(&totals, Basis::Market),
            d("1160"),
            "scopes parse and select totals"
        );
        assert_eq!(
            Scopes::Three.tco2e(&totals, Basis::Market),
            d("1000"),
            "scopes parse and select totals"
        );
        assert!(
            Scopes::OneTwo.includes(Scope::Two) && !Scopes::OneTwo.includes(Scope::Three),
            "scopes parse and select totals"
        );
    }

    #[test]
    fn a_pathway_resolves_to_rate_times_years() {
        let t = Target::new(
            spec(2024, 2030, Ambition::Pathway("SBTi-1.5C".into())),
            base("1000"),
        )
        .unwrap();
        // 4.2 %/yr × 6 years
        assert_eq!(
            t.reduction_pct,
            d("25.2"),
            "a pathway resolves to rate times years"
        );
        assert_eq!(
            t.pathway.as_ref().map(|p| p.id),
            Some("sbti-1.5c"),
            "a pathway resolves to rate times years"
        );
        assert_eq!(
            t.target_tco2e(),
            Some(d("748.000")),
            "a pathway resolves to rate times years"
        );
        let wb2c = Target::new(
            spec(2020, 2030, Ambition::Pathway("sbti-wb2c".into())),
            base("1000"),
        )
        .unwrap();
        assert_eq!(wb2c.reduction_pct, d("25.0"), "2.5 %/yr × 10 years");
        assert!(
            PATHWAYS.iter().all(|p| p.source.confirmed),
            "research section 6 confirms both"
        );
    }

    #[test]
    fn a_pathway_beyond_100_percent_is_refused_with_the_latest_target_year() {
        // 4.2 × 24 = 100.8 %
        let e = Target::new(
            spec(2020, 2044, Ambition::Pathway("sbti-1.5c".into())),
            base("10"),
        )
        .unwrap_err();
        assert_eq!(
            e.code(),
            "PATHWAY_EXCEEDS_100",
            "a pathway beyond 100 percent is refused with the latest target year"
        );
        assert_eq!(
            e.field(),
            "target-year",
            "a pathway beyond 100 percent is refused with the latest target year"
        );
        // 100 / 4.2 = 23.8 → 23 whole years → 2043
        assert!(
            e.to_string().contains("2043"),
            "a pathway beyond 100 percent is refused with the latest target year: {e}"
        );
        assert!(
            e.message_zh().contains("2043"),
            "a pathway beyond 100 percent is refused with the latest target year"
        );
        // exactly at the edge is allowed: 2.5 × 40 = 100 %
        let t = Target::new(
            spec(2020, 2060, Ambition::Pathway("sbti-wb2c".into())),
            base("10"),
        )
        .unwrap();
        assert_eq!(
            t.reduction_pct,
            d("100.0"),
            "a pathway beyond 100 percent is refused with the latest target year"
        );
    }

    #[test]
    fn bad_targets_are_refused_with_their_field() {
        let cases: Vec<(TargetSpec, BaseYear, &str, &str)> = vec![
            (
                spec(2024, 2024, Ambition::Reduction(d("42"))),
                base("10"),
                "TARGET_YEAR_NOT_AFTER_BASE",
                "target-year",
            ),
            (
                spec(2030, 2024, Ambition::Reduction(d("42"))),
                base("10"),
                "TARGET_YEAR_NOT_AFTER_BASE",
                "target-year",
            ),
            (
                spec(2024, 2030, Ambition::Reduction(d("0"))),
                base("10"),
                "REDUCTION_OUT_OF_RANGE",
                "reduction",
            ),
            (
                spec(2024, 2030, Ambition::Reduction(d("100.01"))),
                base("10"),
                "REDUCTION_OUT_OF_RANGE",
                "reduction",
            ),
            (
                spec(2024, 2030, Ambition::Reduction(d("-5"))),
                base("10"),
                "REDUCTION_OUT_OF_RANGE",
                "reduction",
            ),
            (
                spec(2024, 2030, Ambition::Pathway("sbti-1.5".into())),
                base("10"),
                "UNKNOWN_PATHWAY",
                "pathway",
            ),
            (
                spec(2024, 2030, Ambition::Reduction(d("42"))),
                base("0"),
                "BASE_YEAR_NO_DATA",
                "base-year",
            ),
            (
                spec(1800, 2030, Ambition::Reduction(d("42"))),
                base("10"),
                "YEAR_OUT_OF_RANGE",
                "base-year",
            ),
        ];
        for (s, b, code, field) in cases {
            let e = Target::new(s.clone(), b).unwrap_err();
            assert_eq!(
                (e.code(), e.field().as_str()),
                (code, field),
                "bad targets are refused with their field: {s:?}"
            );
        }
        let e = pathway("sbti-1.5").unwrap_err();
        assert!(
            e.to_string().contains("did you mean sbti-1.5c"),
            "bad targets are refused with their field: {e}"
        );
        let mut intensity = spec(2024, 2030, Ambition::Reduction(d("20")));
        intensity.metric = Some(Metric {
            name: "product".into(),
            unit: Unit::T,
        });
        let e = Target::new(intensity, base("10")).unwrap_err();
        assert_eq!(
            (e.code(), e.field().as_str()),
            ("BASE_YEAR_NO_OUTPUT", "metric"),
            "bad targets are refused with their field"
        );
        assert_eq!(
            Target::new(spec(2024, 2030, Ambition::Reduction(d("100"))), base("10"))
                .map(|t| t.reduction_pct),
            Ok(d("100")),
            "100 % is allowed"
        );
    }

    #[test]
    fn the_trajectory_is_linear_then_flat() {
        // 42 % from 2020 to 2030 on 1,000 t: 4.2 % of the base a year
        let t = Target::new(spec(2020, 2030, Ambition::Reduction(d("42"))), base("1000")).unwrap();
        assert_eq!(
            t.allowed_tco2e(2019, None),
            None,
            "no trajectory before the base year"
        );
        assert_eq!(
            t.allowed_tco2e(2020, None),
            Some(d("1000")),
            "the trajectory is linear then flat"
        );
        assert_eq!(
            t.allowed_tco2e(2025, None),
            Some(d("790")),
            "the trajectory is linear then flat"
        );
        assert_eq!(
            t.allowed_tco2e(2030, None),
            Some(d("580")),
            "the trajectory is linear then flat"
        );
        assert_eq!(
            t.allowed_tco2e(2035, None),
            Some(d("580")),
            "held at the target after it"
        );
        // a span that does not divide evenly keeps full precision: 10 % over 3 years
        let t3 = Target::new(spec(2024, 2027, Ambition::Reduction(d("10"))), base("1000")).unwrap();
        assert_eq!(
            t3.allowed_tco2e(2025, None).map(|a| a.round_dp(10)),
            Some(d("966.6666666667")),
            "the trajectory is linear then flat"
        );
    }

    #[test]
    fn status_and_gap_per_year() {
        let t = Target::new(spec(2020, 2030, Ambition::Reduction(d("42"))), base("1000")).unwrap();
        let actuals = BTreeMap::from([
            (
                2020,
                Actual {
                    tco2e: Some(d("1000")),
                    output: None,
                },
            ),
            (
                2021,
                Actual {
                    tco2e: Some(d("950")),
                    output: None,
                },
            ),
            (
                2022,
                Actual {
                    tco2e: Some(d("930")),
                    output: None,
                },
            ),
        ]);
        let a = t.assess(&actuals, 2022);
        assert_eq!(
            a.trajectory.len(),
            11,
            "status and gap per year: 2020..=2030"
        );
        let y2021 = &a.trajectory[1];
        // allowed 958; 950 is 8 t below
        assert_eq!(
            (y2021.status, y2021.gap_tco2e),
            (Status::OnTrack, Some(d("-8.000"))),
            "status and gap per year"
        );
        // allowed 916; 930 is 14 t above
        assert_eq!(
            (a.status, a.gap_tco2e),
            (Status::OffTrack, Some(d("14.000"))),
            "status and gap per year"
        );
        assert_eq!(a.trajectory[5].status, Status::NoData, "2025 has no data");
        assert_eq!(
            t.assess(&actuals, 2024).status,
            Status::NoData,
            "status and gap per year"
        );
        assert_eq!(
            a.trajectory[0].status,
            Status::OnTrack,
            "the base year meets itself"
        );
    }

    #[test]
    fn an_intensity_target_scales_allowed_tonnes_with_output() {
        let mut s = spec(2024, 2030, Ambition::Reduction(d("30")));
        s.metric = Some(Metric {
            name: "product".into(),
            unit: Unit::Pcs,
        });
        let t = Target::new(
            s,
            BaseYear {
                tco2e: d("1200"),
                output: Some(d("400000")),
                fingerprint: None,
            },
        )
        .unwrap();
        assert_eq!(
            t.kind,
            TargetKind::Intensity,
            "an intensity target scales allowed tonnes with output"
        );
        assert_eq!(
            t.base_intensity(),
            Some(d("0.003")),
            "an intensity target scales allowed tonnes with output"
        );
        // 2026: 1 − 0.30 × 2/6 = 0.9 → 0.0027 t/pc; output 500,000 → 1,350 t allowed
        let y = t.year(
            2026,
            Actual {
                tco2e: Some(d("1300")),
                output: Some(d("500000")),
            },
        );
        assert_eq!(
            y.allowed_intensity,
            Some(d("0.0027")),
            "an intensity target scales allowed tonnes with output"
        );
        assert_eq!(
            y.allowed_tco2e,
            Some(d("1350")),
            "an intensity target scales allowed tonnes with output"
        );
        assert_eq!(
            (y.status, y.gap_tco2e),
            (Status::OnTrack, Some(d("-50"))),
            "emissions grew, intensity fell"
        );
        assert_eq!(
            y.actual_intensity,
            Some(d("0.0026")),
            "an intensity target scales allowed tonnes with output"
        );
        let no_output = t.year(
            2026,
            Actual {
                tco2e: Some(d("1300")),
                output: None,
            },
        );
        assert_eq!(
            (no_output.status, no_output.allowed_tco2e),
            (Status::NoData, None),
            "no output, no comparison"
        );
        assert_eq!(
            t.target_intensity(),
            Some(d("0.00210")),
            "an intensity target scales allowed tonnes with output"
        );
        assert_eq!(
            t.target_tco2e(),
            None,
            "an intensity target scales allowed tonnes with output"
        );
    }

    #[test]
    fn base_change_and_its_significance() {
        let t = Target::new(
            spec(2024, 2030, Ambition::Reduction(d("42"))),
            base("1234.5"),
        )
        .unwrap();
        assert_eq!(
            t.base_change(d("1234.5"), Significance::default()),
            None,
            "base change and its significance"
        );
        let c = t.base_change(d("1301.2"), Significance::default()).unwrap();
        // 66.7 / 1234.5 = 5.403 %
        assert!(c.significant, "5.4 % passes 5 %");
        assert!(
            c.message_en()
                .starts_with("base year was 1,234.5 t, is now 1,301.2 t, +5.4 %"),
            "base change and its significance: {}",
            c.message_en()
        );
        assert!(
            c.message_zh()
                .starts_with("基准年排放原为 1,234.5 t，现为 1,301.2 t，+5.4 %"),
            "base change and its significance"
        );
        assert_eq!(
            c.issue("Near-term").severity,
            Severity::Warning,
            "base change and its significance"
        );
        let small = t.base_change(d("1200"), Significance::default()).unwrap();
        assert!(
            !small.significant && small.message_en().contains("-2.8 %"),
            "base change and its significance: {}",
            small.message_en()
        );
        assert_eq!(
            small.issue("x").severity,
            Severity::Info,
            "base change and its significance"
        );
        let strict = t
            .base_change(d("1200"), Significance::new(d("2")).unwrap())
            .unwrap();
        assert!(strict.significant, "2.8 % passes a 2 % policy");
        assert_eq!(
            Significance::new(d("0")).map_err(|e| e.code()),
            Err("THRESHOLD_OUT_OF_RANGE"),
            "base change and its significance"
        );
    }

    #[test]
    fn rebase_records_the_recalculation() {
        let t = Target::new(
            spec(2024, 2030, Ambition::Reduction(d("42"))),
            base("1234.5"),
        )
        .unwrap();
        let now = BaseYear {
            tco2e: d("1301.2"),
            output: None,
            fingerprint: Some("fp-new".into()),
        };
        assert_eq!(
            t.rebase(
                now.clone(),
                "  ",
                "2026-03-01T00:00:00Z",
                Significance::default()
            )
            .map_err(|e| e.code()),
            Err("REASON_REQUIRED"),
            "rebase records the recalculation"
        );
        assert_eq!(
            t.rebase(
                base("1234.5"),
                "again",
                "2026-03-01T00:00:00Z",
                Significance::default()
            )
            .map_err(|e| e.code()),
            Err("BASE_YEAR_UNCHANGED"),
            "same figures and fingerprint: nothing to record"
        );
        let (t2, log) = t
            .rebase(
                now,
                "acquired the paint shop",
                "2026-03-01T00:00:00Z",
                Significance::default(),
            )
            .unwrap();
        assert_eq!(
            t2.base_tco2e,
            d("1301.2"),
            "rebase records the recalculation"
        );
        assert_eq!(t2.reduction_pct, t.reduction_pct, "the ambition stays");
        assert_eq!(
            t2.target_tco2e(),
            Some(d("754.696")),
            "rebase records the recalculation"
        );
        assert_eq!(
            (log.was_tco2e, log.now_tco2e),
            (d("1234.5"), d("1301.2")),
            "rebase records the recalculation"
        );
        assert_eq!(
            log.was_fingerprint.as_deref(),
            Some("fp-2024"),
            "rebase records the recalculation"
        );
        assert_eq!(
            log.now_fingerprint.as_deref(),
            Some("fp-new"),
            "rebase records the recalculation"
        );
        assert!(log.significant, "rebase records the recalculation");
        assert_eq!(
            log.reason, "acquired the paint shop",
            "rebase records the recalculation"
        );
        assert_eq!(
            log.recorded_at, "2026-03-01T00:00:00Z",
            "rebase records the recalculation"
        );
        assert_eq!(
            t2.base_change(d("1301.2"), Significance::default()),
            None,
            "no change left after the rebase"
        );
    }

    #[test]
    fn sbti_base_year_before_2015_is_noted() {
        let t = Target::new(
            spec(2012, 2030, Ambition::Pathway("sbti-wb2c".into())),
            base("10"),
        )
        .unwrap();
        assert_eq!(
            t.notes().iter().map(|i| i.code).collect::<Vec<_>>(),
            vec!["SBTI_BASE_YEAR_BEFORE_2015"],
            "sbti base year before 2015 is noted"
        );
        let own = Target::new(spec(2012, 2030, Ambition::Reduction(d("40"))), base("10")).unwrap();
        assert!(
            own.notes().is_empty(),
            "an own target is not held to SBTi's rule"
        );
    }

    #[test]
    fn targets_serialise_with_the_json_names() {
        let t = Target::new(
            spec(2024, 2030, Ambition::Pathway("sbti-1.5c".into())),
            base("1000"),
        )
        .unwrap();
        let json = serde_json::to_string(&t).unwrap();
        for key in [
            "\"scopes\":\"1+2\"",
            "\"kind\":\"absolute\"",
            "\"base_year\":2024",
            "\"reduction_pct\":\"25.2\"",
            "\"scope2\":\"market\"",
        ] {
            assert!(json.contains(key), "{json} should hold {key}");
        }
    }
}
