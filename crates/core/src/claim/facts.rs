//! What the checks and the documents need to know about the project, for one claim period.
//!
//! The workbench computes these facts from the inventory of the period (pro-rated by days), the
//! reduction step (targets, measures, their planned and achieved abatement), the offset step
//! (certificates, credits and their checks), the evidence store and the claim settings the user
//! typed (`lingtan claim set`). The rules only read them: a fact is stored once, and every figure
//! derived from two facts (the subject's total, a share, a coverage, a change in per cent) is
//! computed here, never passed in beside its parts.

use super::period::ClaimPeriod;
use super::zcf::ScoreTable;
use super::{pct, Place, Text};
use crate::offset::credit::CreditType;
use crate::offset::YearMonth;
use crate::reduction::measure::MeasureStatus;
use crate::reduction::target::TargetKind;
use crate::reduction::Month;
use crate::source::{IsoCategory, Scope};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// Everything a claim is checked and written from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Facts {
    pub period: ClaimPeriod,
    pub settings: Settings,
    pub inventory: InventoryFacts,
    pub plan: PlanFacts,
    pub reductions: ReductionFacts,
    pub offset: OffsetFacts,
    pub energy: EnergyFacts,
    /// Records the claim's figures use (activity records, certificates, credits, measures with
    /// achieved abatement) that have no evidence attached.
    pub without_evidence: Vec<Place>,
    /// The assessor's zero-carbon-factory scoring table, when imported.
    pub scores: Option<ScoreTable>,
}

/// Who verified or validated the claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Assurance {
    /// Independent third-party verification or certification.
    ThirdParty,
    /// Validation by another party (a customer, a parent company …).
    OtherParty,
    /// Self-declared (self-validation).
    #[serde(rename = "self")]
    SelfDeclared,
}

impl Assurance {
    /// Read `third-party`, `other-party` or `self` (also 第三方, 其他方, 自我声明).
    pub fn parse(text: &str) -> Result<Assurance, super::ClaimError> {
        match text
            .trim()
            .to_ascii_lowercase()
            .replace(['_', ' '], "-")
            .as_str()
        {
            "third-party" | "第三方" => Ok(Assurance::ThirdParty),
            "other-party" | "其他方" => Ok(Assurance::OtherParty),
            "self" | "self-declared" | "self-validation" | "自我声明" => {
                Ok(Assurance::SelfDeclared)
            }
            _ => Err(super::ClaimError::UnknownVerification {
                input: text.to_string(),
            }),
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Assurance::ThirdParty => "third-party",
            Assurance::OtherParty => "other-party",
            Assurance::SelfDeclared => "self",
        }
    }

    pub fn text(self) -> Text {
        match self {
            Assurance::ThirdParty => Text::new("independent third-party", "独立第三方"),
            Assurance::OtherParty => Text::new("other-party", "其他方"),
            Assurance::SelfDeclared => Text::new("self-declared", "自我声明"),
        }
    }
}

/// The verification (ISO 14068-1) or validation (PAS 2060) of the claim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verification {
    pub kind: Assurance,
    /// The verifier or validator (required for third- and other-party).
    pub body: Option<String>,
}

/// What the user states beyond the data (`lingtan claim set`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Settings {
    /// The organisation making the claim.
    pub entity: Text,
    /// The subject of the claim (the factory, the site …) and why it was chosen.
    pub subject: Option<Text>,
    pub subject_rationale: Option<Text>,
    /// The activities carried out in the subject.
    pub activities: Option<Text>,
    /// The date of the statement (ISO 14068-1) or of the declaration of achievement (PAS 2060).
    pub statement_date: Option<NaiveDate>,
    pub verification: Option<Verification>,
    /// The senior representative who signs.
    pub senior: Option<String>,
    /// The year the organisation commits to be carbon neutral by (a commitment, not a claim).
    pub commitment_year: Option<i32>,
    /// Where the statement or QES is made public.
    pub published_at: Option<String>,
    /// The zero-carbon-factory star level applied for (3–6).
    pub star_level: Option<u8>,
}

/// An error of the inventory the claim rests on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InventoryError {
    /// The inventory issue's code (`FACTOR_MISSING` …).
    pub code: String,
    pub place: Place,
    pub text: Text,
}

/// An energy source with months of the period without any data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Gap {
    pub source: Place,
    pub months: Vec<YearMonth>,
}

/// The base year and its emissions of the subject's scopes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct BaseYearFacts {
    pub year: i32,
    pub tco2e: Decimal,
}

/// One emission source in the period: its emissions (scope 2 market-based, after certificates)
/// and whether it is in the subject of the claim. Scope 3 sources left out of the subject carry
/// their estimate, so that their share can be checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SourceFact {
    pub place: Place,
    pub scope: Scope,
    pub category: IsoCategory,
    pub tco2e: Decimal,
    pub in_subject: bool,
    /// Why a source left out of the subject is left out.
    pub exclusion: Option<Text>,
}

/// The inventory of the period.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct InventoryFacts {
    pub errors: Vec<InventoryError>,
    /// Energy sources (fuels, electricity, heat, steam) missing months of the period.
    pub gaps: Vec<Gap>,
    pub base_year: Option<BaseYearFacts>,
    pub sources: Vec<SourceFact>,
    /// The method: the standards, GWP set and factor datasets used.
    pub method: Option<Text>,
}

impl InventoryFacts {
    /// The subject's emissions: the sources in the subject (scope 2 market-based after
    /// certificates) — what the credits must cover.
    pub fn subject_tco2e(&self) -> Decimal {
        self.sources
            .iter()
            .filter(|s| s.in_subject)
            .map(|s| s.tco2e)
            .sum()
    }

    /// The whole footprint: every source, in the subject or not.
    pub fn footprint_tco2e(&self) -> Decimal {
        self.sources.iter().map(|s| s.tco2e).sum()
    }

    /// The subject's share of the footprint, per cent.
    pub fn subject_share_pct(&self) -> Option<Decimal> {
        pct(self.subject_tco2e(), self.footprint_tco2e())
    }
}

/// An intermediate point of a target's trajectory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Milestone {
    pub year: i32,
    pub allowed_tco2e: Option<Decimal>,
}

/// A target of the management plan (from the reduction step).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TargetFact {
    pub place: Place,
    pub kind: TargetKind,
    /// `1+2`, `1+2+3` …
    pub scopes: String,
    pub base_year: i32,
    pub target_year: i32,
    pub reduction_pct: Decimal,
    pub base_tco2e: Decimal,
    /// The metric of an intensity target (`product (t)`).
    pub metric: Option<String>,
    /// Intermediate years on the trajectory.
    pub milestones: Vec<Milestone>,
}

/// A reduction measure of the plan (from the reduction step).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MeasureFact {
    pub place: Place,
    pub status: MeasureStatus,
    pub start: Option<Month>,
    /// Expected abatement, tCO2e a year, when estimated.
    pub planned_tco2e: Option<Decimal>,
    /// Achieved abatement in the period, when measured.
    pub achieved_tco2e: Option<Decimal>,
}

/// A line of the offset strategy: the credits the organisation plans to use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OffsetLine {
    pub kind: Option<CreditType>,
    /// The scheme or project type (`CCER forestry`, `VCS cookstoves`).
    pub description: String,
    pub tco2e: Decimal,
    pub year: Option<i32>,
}

/// The management plan.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PlanFacts {
    pub targets: Vec<TargetFact>,
    pub measures: Vec<MeasureFact>,
    /// When the plan was last reviewed.
    pub reviewed: Option<NaiveDate>,
    pub offset_strategy: Vec<OffsetLine>,
    /// Monitoring indicators the user added to the ones derived from the facts.
    pub monitoring: Vec<Text>,
    /// The year from which only removals will be used, when stated.
    pub removals_only_from: Option<i32>,
}

impl PlanFacts {
    /// Measures planned, approved, in progress or done.
    pub fn planned(&self) -> impl Iterator<Item = &MeasureFact> {
        self.measures.iter().filter(|m| m.status.is_planned())
    }

    /// Their expected abatement, tCO2e a year.
    pub fn planned_tco2e(&self) -> Decimal {
        self.planned().filter_map(|m| m.planned_tco2e).sum()
    }
}

/// An intensity before and after.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IntensityPair {
    /// `tCO2e per t of product` …
    pub metric: String,
    pub reference: Decimal,
    pub current: Decimal,
}

/// The period's emissions of the subject's scopes against a reference (the base year, or the
/// previous claimed period), both for periods of the same length.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Comparison {
    /// `2024`, or `2022-07-01 – 2023-06-30`.
    pub reference: String,
    pub reference_tco2e: Decimal,
    pub current_tco2e: Decimal,
    pub intensity: Option<IntensityPair>,
}

impl Comparison {
    /// The absolute reduction (negative for an increase).
    pub fn reduction_tco2e(&self) -> Decimal {
        self.reference_tco2e - self.current_tco2e
    }

    /// The absolute reduction in per cent of the reference.
    pub fn reduction_pct(&self) -> Option<Decimal> {
        pct(self.reduction_tco2e(), self.reference_tco2e)
    }

    /// The intensity reduction in per cent of the reference intensity.
    pub fn intensity_reduction_pct(&self) -> Option<Decimal> {
        let i = self.intensity.as_ref()?;
        pct(i.reference - i.current, i.reference)
    }

    /// An absolute or an intensity reduction is shown.
    pub fn shows_reduction(&self) -> bool {
        self.reduction_tco2e() > Decimal::ZERO
            || self
                .intensity_reduction_pct()
                .is_some_and(|p| p > Decimal::ZERO)
    }
}

/// Reductions achieved.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ReductionFacts {
    /// No period was claimed before this one.
    pub first_period: bool,
    pub base: Option<Comparison>,
    pub previous: Option<Comparison>,
}

/// A credit retired for the claim period, with the offset step's checks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CreditFact {
    pub place: Place,
    /// As the registry writes it.
    pub serial: String,
    /// Programme or registry (Verra, Gold Standard, CCER …).
    pub registry: Option<String>,
    pub project: Option<String>,
    pub kind: Option<CreditType>,
    pub tco2e: Decimal,
    pub vintage: Option<String>,
    pub retired: Option<NaiveDate>,
    /// Codes of the offset step's ✗ checks it fails (it is not counted).
    pub failed: Vec<String>,
    /// Codes of the offset step's warnings.
    pub warnings: Vec<String>,
}

impl CreditFact {
    pub fn passes(&self) -> bool {
        self.failed.is_empty()
    }
}

/// The offset step's results for the period.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct OffsetFacts {
    /// What the certificates took off the market-based scope 2 (before − after), tCO2e. Shown
    /// apart: certificates act through the quantification, never as a reduction or a credit.
    pub eac_tco2e: Decimal,
    pub credits: Vec<CreditFact>,
}

/// Output of the period, for intensities.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Output {
    /// `product`, `value-added` …
    pub metric: String,
    pub unit: String,
    pub quantity: Decimal,
}

/// The energy figures of the offset step (GB/T 2589 standard coal, certificates).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct EnergyFacts {
    /// Renewable share of total final energy, per cent (tce basis).
    pub renewable_energy_pct: Option<Decimal>,
    /// Renewable (green-power) share of electricity: certificate-covered and on-site renewable
    /// kWh ÷ all electricity used, per cent.
    pub green_power_pct: Option<Decimal>,
    pub outputs: Vec<Output>,
}
