//! The certification step (零碳认证): claim periods, a framework's checks on the project, the
//! claim settings and the documents' data.
//!
//! The rules are core's ([`lingtan_core::claim`]); here the project's inventory, reduction and
//! offset results for a period become [`Facts`], the framework's rule pack (embedded from
//! `assets/frameworks/`, parsed with `toml`) is loaded and validated, and the pack is evaluated.

use crate::{Error, Field, Words};
use lingtan_core::claim::{ClaimError, ClaimPeriod};

/// A refusal of the certification rules in the one error shape. The claim's fields that have no
/// [`Field`] of their own (`framework`, `statement-date` …) are named by their code.
pub fn refusal(e: &ClaimError) -> Error {
    let field = match e.field() {
        "from" => Field::From,
        "to" => Field::To,
        "year" => Field::Year,
        other => Field::from_code(other).unwrap_or(Field::Input(static_field(other))),
    };
    Error::new(
        e.code(),
        field,
        Words::from(e.message_en()),
        Words::from(e.message_zh()),
    )
}

/// The claim's fields, as `'static` names (a [`Field::Input`] needs one).
fn static_field(name: &str) -> &'static str {
    const NAMES: &[&str] = &[
        "verification",
        "star-level",
        "statement-date",
        "verifier",
        "senior",
        "commitment-year",
        "scores",
        "maximum",
        "score",
        "weight",
        "sub-item",
        "subject-rationale",
        "activities",
        "decision",
    ];
    NAMES
        .iter()
        .find(|n| **n == name)
        .copied()
        .unwrap_or("claim")
}

/// Read `--from` and `--to` (`YYYY-MM-DD`, both days included).
pub fn period(from: &str, to: &str) -> Result<ClaimPeriod, Error> {
    ClaimPeriod::parse(from, to).map_err(|e| refusal(&e))
}

/// Read `--year` as a claim period (1 January to 31 December).
pub fn year(year: i32) -> Result<ClaimPeriod, Error> {
    ClaimPeriod::calendar_year(year).map_err(|e| refusal(&e))
}

use crate::offset::OffsetReport;
use crate::{Project, Result};
use chrono::{Months, NaiveDate};
use lingtan_core::claim::facts::{
    Assurance, BaseYearFacts, Comparison, CreditFact, EnergyFacts, Gap, InventoryError,
    InventoryFacts, MeasureFact, Milestone, OffsetFacts, OffsetLine, PlanFacts, ReductionFacts,
    Settings, SourceFact, TargetFact, Verification,
};
use lingtan_core::claim::{evaluate, Claim, Facts, Framework, Pack, Place, PlaceKind, Text};
use lingtan_core::offset::YearMonth;
use lingtan_core::source::{IsoCategory, Scope};
use lingtan_core::{Decimal, Severity, SourceKind};
use lingtan_store::{ClaimSettingRow, ClaimSubjectRow, SubjectDecision};
use std::collections::{BTreeMap, BTreeSet};

/// The rule packs this Lingtan ships (`assets/frameworks/`), by edition.
const PACKS: &[(&str, &str)] = &[
    (
        "iso14068-1:2023",
        include_str!("../../../assets/frameworks/iso14068-1-2023.toml"),
    ),
    (
        "pas2060:2014",
        include_str!("../../../assets/frameworks/pas2060-2014.toml"),
    ),
    (
        "zcf-i:2022",
        include_str!("../../../assets/frameworks/zcf-i-2022.toml"),
    ),
    (
        "zcf-ii:2022",
        include_str!("../../../assets/frameworks/zcf-ii-2022.toml"),
    ),
];

/// Read `--framework` (`iso14068-1`, `pas2060`, `zcf-i`, `zcf-ii`, optionally `:EDITION`) and
/// load its edition's rule pack, validated: a pack this Lingtan cannot apply in full is refused,
/// never applied in part.
pub fn pack(framework: &str) -> Result<(Framework, Pack)> {
    let (framework, edition) = Framework::parse(framework).map_err(|e| refusal(&e))?;
    let text = PACKS
        .iter()
        .find(|(e, _)| *e == edition)
        .map(|(_, t)| *t)
        .ok_or_else(|| {
            refusal(&ClaimError::UnknownEdition {
                framework: framework.id(),
                input: edition.to_string(),
                known: framework.editions().to_vec(),
            })
        })?;
    let pack: Pack = toml::from_str(text).map_err(|e| {
        Error::new(
            "CLAIM_PACK_UNREADABLE",
            Field::Framework,
            Words::from(format!(
                "the rule pack of {edition} cannot be read ({e}); reinstall Lingtan"
            )),
            Words::from(format!(
                "{edition} 的规则包无法读取（{e}）；请重新安装 Lingtan"
            )),
        )
    })?;
    if let Some(e) = pack.validate(framework).first() {
        return Err(refusal(e));
    }
    Ok((framework, pack))
}

/// The framework's default subject: scope 1 and scope 2 for every framework (the emissions the
/// credits must cover); for the zero-carbon factory's Type II also transport (ISO 14064-1
/// category 3) and purchased products (category 4). Scope 3 sources outside it are listed with
/// their estimate so that their share can be checked.
fn by_default(framework: Framework, scope: u8, category: u8) -> bool {
    match scope {
        1 | 2 => true,
        _ => framework == Framework::ZcfType2 && matches!(category, 3 | 4),
    }
}

/// A framework's subject: its default ([`by_default`]) changed by the user's decisions in force
/// (`lingtan claim subject`): a source included is in it, a source excluded is out of it with
/// the reason given (a scope 1 or 2 source excluded stays out, and the checks say so).
#[derive(Debug, Clone)]
pub struct Subject {
    framework: Framework,
    decisions: BTreeMap<i64, ClaimSubjectRow>,
}

impl Subject {
    fn contains(&self, source_id: i64, scope: u8, category: u8) -> bool {
        match self.decisions.get(&source_id).map(|d| d.decision) {
            Some(SubjectDecision::Include) => true,
            Some(SubjectDecision::Exclude) => false,
            _ => by_default(self.framework, scope, category),
        }
    }

    /// Why a source is left out, when the user said (as written: one text for both languages).
    fn exclusion(&self, source_id: i64) -> Option<Text> {
        self.decisions
            .get(&source_id)
            .filter(|d| d.decision == SubjectDecision::Exclude)
            .and_then(|d| d.reason.clone())
            .map(|r| Text::new(r.clone(), r))
    }
}

fn scope_of(n: u8) -> Scope {
    match n {
        1 => Scope::One,
        2 => Scope::Two,
        _ => Scope::Three,
    }
}

/// A source's emissions as the claim counts them: scope 2 market-based (after certificates).
fn counted(s: &lingtan_core::calc::SourceResult) -> Decimal {
    if s.scope == 2 {
        s.tco2e_market
    } else {
        s.tco2e
    }
}

fn subject_of(subject: &Subject, inv: &lingtan_core::calc::Inventory) -> Decimal {
    inv.sources
        .iter()
        .filter(|s| subject.contains(s.source_id, s.scope, s.category))
        .map(counted)
        .sum()
}

/// The subject's emissions before energy attribute certificates: what reductions are measured
/// on (certificates act through the market-based scope 2 and are never a reduction; the base
/// year and the previous period are compared on the same footing, with the same subject).
fn subject_before_certificates(subject: &Subject, inv: &lingtan_core::calc::Inventory) -> Decimal {
    let eac = inv.eac.as_ref().map_or(Decimal::ZERO, |e| {
        e.scope2_market_before_eac - inv.totals.scope2_market
    });
    subject_of(subject, inv) + eac
}

fn day(field: &'static str, text: &Option<String>) -> Result<Option<NaiveDate>> {
    match text {
        None => Ok(None),
        Some(t) => lingtan_core::claim::period::parse_date(field, t)
            .map(Some)
            .map_err(|e| refusal(&e)),
    }
}

/// The settings as the rules read them.
fn settings_of(row: &ClaimSettingRow, org: &str, org_zh: Option<&str>) -> Result<Settings> {
    let text = |t: &Option<String>| t.as_ref().map(|s| Text::new(s.clone(), s.clone()));
    Ok(Settings {
        entity: Text::new(org, org_zh.unwrap_or(org)),
        subject: text(&row.subject),
        subject_rationale: text(&row.subject_rationale),
        activities: text(&row.activities),
        statement_date: day("statement-date", &row.statement_date)?,
        verification: match &row.verification {
            None => None,
            Some(v) => Some(Verification {
                kind: Assurance::parse(v).map_err(|e| refusal(&e))?,
                body: row.verifier.clone(),
            }),
        },
        senior: row.senior.clone(),
        commitment_year: row.commitment_year.and_then(|y| i32::try_from(y).ok()),
        published_at: row.published_at.clone(),
        star_level: row.star_level.and_then(|l| u8::try_from(l).ok()),
    })
}

/// The period before `period`, of the same length (twelve months before twelve months).
fn previous(period: ClaimPeriod) -> Option<ClaimPeriod> {
    let to = period.from().pred_opt()?;
    let from = if period.is_twelve_months() {
        period.from().checked_sub_months(Months::new(12))?
    } else {
        to.checked_sub_signed(chrono::Duration::days(period.days() - 1))?
    };
    ClaimPeriod::new(from, to).ok()
}

impl Project {
    /// The claim settings of `framework` as stored (all `None` until `claim set`).
    pub fn claim_settings(&self, framework: Framework) -> Result<ClaimSettingRow> {
        Ok(self.store.claim_setting(framework.id())?)
    }

    /// `framework`'s subject: its default and the decisions in force.
    pub fn claim_subject(&self, framework: Framework) -> Result<Subject> {
        Ok(Subject {
            framework,
            decisions: self
                .store
                .claim_subject(framework.id())?
                .into_iter()
                .map(|d| (d.source_id, d))
                .collect(),
        })
    }

    /// Check a claim of carbon neutrality (or a zero-carbon-factory evaluation) for `period`
    /// against `framework`'s rule pack: the facts from the period's inventory, the reduction
    /// step, the offset step, the evidence and the claim settings. Refused (like
    /// [`Project::inventory_period`]) for a period in the future or beyond the data.
    pub fn claim(&self, framework: &str, period: ClaimPeriod) -> Result<(Pack, Facts, Claim)> {
        let (framework, pack) = pack(framework)?;
        self.check_period(period)?;
        let facts = self.facts(framework, period)?;
        let claim = evaluate(&pack, &facts);
        Ok((pack, facts, claim))
    }

    /// [`Project::claim`] and the offset summary of the period (scopes 1 and 2) its facts were
    /// taken from: one computation of the period's inventory and of the offset step for both
    /// (what the dossier states). The summary is the one [`Project::offset`] (a calendar year,
    /// whose year is checked first as it checks it) or [`Project::offset_period`] gives.
    pub fn claim_with_offset(
        &self,
        framework: &str,
        period: ClaimPeriod,
    ) -> Result<(Pack, Facts, Claim, OffsetReport)> {
        if let Some(year) = period.calendar() {
            crate::input::check_year(Field::Year, year)?;
        }
        let (framework, pack) = pack(framework)?;
        self.check_period(period)?;
        let (facts, offset) = self.facts_and_offset(framework, period)?;
        let claim = evaluate(&pack, &facts);
        Ok((pack, facts, claim, offset))
    }

    /// What the checks and documents need, for `period` (already checked).
    pub fn facts(&self, framework: Framework, period: ClaimPeriod) -> Result<Facts> {
        Ok(self.facts_and_offset(framework, period)?.0)
    }

    /// [`Project::facts`] and the period's offset summary (scopes 1 and 2) they were taken from.
    fn facts_and_offset(
        &self,
        framework: Framework,
        period: ClaimPeriod,
    ) -> Result<(Facts, OffsetReport)> {
        let info = self.store.project()?;
        let report = self.compute_period(period, false)?;
        let inv = &report.inventory;
        let sources = self.store.sources()?;
        let sites = self.store.sites()?;
        let row = self.claim_settings(framework)?;
        let settings = settings_of(&row, &info.org_name, info.org_name_zh.as_deref())?;
        let subject_set = self.claim_subject(framework)?;

        // --- the inventory
        let errors = inv
            .issues
            .iter()
            .filter(|i| i.severity == Severity::Error)
            .map(|i| InventoryError {
                code: i.code.to_string(),
                place: Place::new(PlaceKind::Inventory, None, i.place.clone()),
                text: Text::new(
                    i.en.plain(lingtan_core::Lang::En),
                    i.zh.plain(lingtan_core::Lang::Zh),
                ),
            })
            .collect();
        let label = |source_id: i64| -> String {
            let source = sources.iter().find(|s| s.id == source_id);
            let site = source.and_then(|s| sites.iter().find(|x| x.id == s.site_id));
            match (site, source) {
                (Some(site), Some(s)) => format!("{} / {}", site.name, s.name),
                (None, Some(s)) => s.name.clone(),
                _ => format!("source #{source_id}"),
            }
        };
        // energy sources that run continuously (fuels burnt on site, electricity, heat, steam,
        // cooling) are expected in every month of the period; the months each record touches
        // inside the period
        let energy: BTreeSet<i64> = sources
            .iter()
            .filter(|s| s.kind.is_imported_energy() || s.kind == SourceKind::StationaryCombustion)
            .map(|s| s.id)
            .collect();
        let months = period.months();
        let mut covered: BTreeMap<i64, BTreeSet<YearMonth>> = BTreeMap::new();
        let mut without_evidence = Vec::new();
        for a in self.store.activity_covers(period.from(), period.to())? {
            let (from, to) = (a.from.max(period.from()), a.to.min(period.to()));
            let set = covered.entry(a.source_id).or_default();
            let mut m = YearMonth::of(from);
            while m <= YearMonth::of(to) {
                set.insert(m);
                m = m.plus_months(1);
            }
            // an imported record's evidence is its import file (kept with its batch)
            if a.evidence_id.is_none() && a.batch_id.is_none() {
                without_evidence.push(Place::new(
                    PlaceKind::Activity,
                    Some(a.id),
                    format!(
                        "activity #{} ({}, {}..{})",
                        a.id,
                        label(a.source_id),
                        a.from,
                        a.to
                    ),
                ));
            }
        }
        let gaps = energy
            .iter()
            .filter_map(|id| {
                let set = covered.get(id);
                // a source with no record in the period at all is not running: no gap
                let set = set?;
                let missing: Vec<YearMonth> = months
                    .iter()
                    .filter(|m| !set.contains(m))
                    .copied()
                    .collect();
                (!missing.is_empty()).then(|| Gap {
                    source: Place::new(PlaceKind::Source, Some(*id), label(*id)),
                    months: missing,
                })
            })
            .collect();
        let base_year = match info.base_year {
            // the base year is the period itself: its inventory is the one computed above
            Some(year) if year_period(year)? == period => Some(BaseYearFacts {
                year,
                tco2e: subject_before_certificates(&subject_set, inv),
            }),
            Some(year) => {
                let base = self.compute_period(year_period(year)?, false)?;
                Some(BaseYearFacts {
                    year,
                    tco2e: subject_before_certificates(&subject_set, &base.inventory),
                })
            }
            None => None,
        };
        let source_facts = inv
            .sources
            .iter()
            .map(|s| SourceFact {
                place: Place::new(PlaceKind::Source, Some(s.source_id), label(s.source_id)),
                scope: scope_of(s.scope),
                category: IsoCategory(s.category),
                tco2e: counted(s),
                in_subject: subject_set.contains(s.source_id, s.scope, s.category),
                exclusion: subject_set.exclusion(s.source_id),
            })
            .collect();
        let mut datasets: Vec<String> = inv
            .sources
            .iter()
            .filter_map(|s| s.factor.as_ref().map(|f| f.id.clone()))
            .collect();
        datasets.sort();
        datasets.dedup();
        let method = Text::new(
            format!(
                "ISO 14064-1:2018 quantification; GWP {}; factors {}; scope 2 market-based after energy attribute certificates",
                inv.gwp.code(),
                datasets.join(", ")
            ),
            format!(
                "依据 ISO 14064-1:2018 量化；GWP {}；排放因子 {}；范围二按市场法计（已计入能源属性证书）",
                inv.gwp.code(),
                datasets.join("、")
            ),
        );
        // reductions are measured before certificates (see subject_before_certificates)
        let subject = subject_before_certificates(&subject_set, inv);

        // --- the plan (the reduction step, for the year the period ends): its targets and
        // measures, one for each stored. Without either, the step's own pass over the records
        // (its inventories are before certificates: not the period's above) would give nothing
        // the facts take, so it is not run; its year is still checked as it checks it.
        let planned = !self.store.targets()?.is_empty() || !self.store.measures()?.is_empty();
        let reduction = if planned {
            Some(self.reduction(Some(inv.year), None)?)
        } else {
            crate::input::check_year(Field::Year, inv.year)?;
            None
        };
        let targets = reduction
            .iter()
            .flat_map(|r| &r.targets)
            .enumerate()
            .map(|(i, t)| TargetFact {
                place: Place::new(PlaceKind::Target, Some(i as i64 + 1), t.target.name.clone()),
                kind: t.target.kind,
                scopes: t.target.scopes.code().to_string(),
                base_year: t.target.base_year,
                target_year: t.target.target_year,
                reduction_pct: t.target.reduction_pct,
                base_tco2e: t.target.base_tco2e,
                metric: t
                    .target
                    .metric
                    .as_ref()
                    .map(|m| format!("{} ({})", m.name, m.unit.code())),
                milestones: t
                    .assessment
                    .trajectory
                    .iter()
                    .filter(|y| y.year > t.target.base_year && y.year < t.target.target_year)
                    .map(|y| Milestone {
                        year: y.year,
                        allowed_tco2e: y.allowed_tco2e,
                    })
                    .collect(),
            })
            .collect();
        let measures = reduction
            .iter()
            .flat_map(|r| &r.measures)
            .map(|m| MeasureFact {
                place: Place::new(PlaceKind::Measure, None, m.name.clone()),
                status: m.status,
                start: m.start,
                planned_tco2e: m.result.as_ref().and_then(|r| r.abatement_tco2e),
                achieved_tco2e: m.achieved.as_ref().and_then(|a| a.market_tco2e),
            })
            .collect();

        // --- the offset step, for the period
        let offset = self.offset_of(
            report.clone(),
            lingtan_core::offset::coverage::Scopes::OneTwo,
        )?;
        let credits: Vec<CreditFact> = offset
            .credits
            .iter()
            .map(|c| {
                let k = &c.credit;
                CreditFact {
                    place: Place::new(
                        PlaceKind::Credit,
                        Some(k.id),
                        format!("credit #{} ({})", k.id, k.serial.label()),
                    ),
                    serial: k.serial.serial.clone(),
                    registry: Some(k.serial.registry.code().to_string()),
                    project: k.project.clone(),
                    kind: k.kind,
                    tco2e: Decimal::from(k.serial.quantity),
                    vintage: k.serial.vintage.as_ref().map(|v| v.to_string()),
                    retired: k.retired,
                    failed: c
                        .checks
                        .iter()
                        .filter(|x| x.excludes)
                        .map(|x| x.code.to_string())
                        .collect(),
                    warnings: c
                        .checks
                        .iter()
                        .filter(|x| !x.excludes && x.severity == Severity::Warning)
                        .map(|x| x.code.to_string())
                        .collect(),
                }
            })
            .collect();
        for c in &offset.credits {
            if c.statement.is_none() && c.credit.evidence.is_none() {
                without_evidence.push(Place::new(
                    PlaceKind::Credit,
                    Some(c.credit.id),
                    format!("credit #{} ({})", c.credit.id, c.credit.serial.label()),
                ));
            }
        }
        for e in &offset.certificates {
            if e.document.is_none() && e.statement.is_none() {
                without_evidence.push(Place::new(
                    PlaceKind::Eac,
                    Some(e.record),
                    format!("certificate #{} ({})", e.record, e.eac.label()),
                ));
            }
        }
        // the offset strategy: the credits retired for the period, by registry and type
        let mut strategy: BTreeMap<(String, String), OffsetLine> = BTreeMap::new();
        for c in &credits {
            let registry = c.registry.clone().unwrap_or_default();
            let kind = c.kind.map(|k| k.code().to_string()).unwrap_or_default();
            let line = strategy
                .entry((registry.clone(), kind.clone()))
                .or_insert_with(|| OffsetLine {
                    kind: c.kind,
                    description: format!("{registry} {kind}").trim().to_string(),
                    tco2e: Decimal::ZERO,
                    year: Some(inv.year),
                });
            line.tco2e += c.tco2e;
        }

        // --- reductions: against the base year (twelve months only) and the previous period
        let base = match (&base_year, period.is_twelve_months()) {
            (Some(b), true) => Some(Comparison {
                reference: b.year.to_string(),
                reference_tco2e: b.tco2e,
                current_tco2e: subject,
                intensity: None,
            }),
            _ => None,
        };
        let span = self.store.activity_span()?;
        let previous = match (previous(period), span) {
            (Some(p), Some((first, _))) if p.from() >= first => {
                let prev = self.compute_period(p, false)?;
                Some(Comparison {
                    reference: p.label(),
                    reference_tco2e: subject_before_certificates(&subject_set, &prev.inventory),
                    current_tco2e: subject,
                    intensity: None,
                })
            }
            _ => None,
        };
        let shares = &offset.summary.shares;
        let facts = Facts {
            period,
            settings,
            inventory: InventoryFacts {
                errors,
                gaps,
                base_year,
                sources: source_facts,
                method: Some(method),
            },
            plan: PlanFacts {
                targets,
                measures,
                reviewed: day("plan-reviewed", &row.plan_reviewed)?,
                offset_strategy: strategy.into_values().collect(),
                monitoring: Vec::new(),
                removals_only_from: None,
            },
            reductions: ReductionFacts {
                first_period: row.first_period.unwrap_or(true),
                base,
                previous,
            },
            offset: OffsetFacts {
                eac_tco2e: offset.summary.scope2_market_before_eac_tco2e
                    - offset.summary.scope2_market_tco2e,
                credits,
            },
            energy: EnergyFacts {
                renewable_energy_pct: shares.renewable_energy_pct,
                green_power_pct: shares.green_power_pct,
                // output is recorded by year (or month of a year): a calendar year's is known,
                // another period's intensity is not given
                outputs: match period.calendar() {
                    Some(year) => self.outputs_of_year(year)?,
                    None => Vec::new(),
                },
            },
            without_evidence,
            scores: None,
        };
        Ok((facts, offset))
    }
}

fn year_period(year: i32) -> Result<ClaimPeriod> {
    self::year(year)
}

/// What `claim set` changes for a framework: `None` keeps what is stored; an empty text clears
/// it.
#[derive(Debug, Clone, Default)]
pub struct ClaimSettingsEntry {
    /// `YYYY-MM-DD`: the statement (ISO 14068-1) or the declaration of achievement (PAS 2060).
    pub statement_date: Option<String>,
    /// `third-party`, `other-party` or `self`.
    pub verification: Option<String>,
    pub verifier: Option<String>,
    pub senior: Option<String>,
    pub commitment_year: Option<String>,
    pub subject: Option<String>,
    pub published_at: Option<String>,
    /// `YYYY-MM-DD`: the management plan's last review.
    pub plan_reviewed: Option<String>,
    /// `yes`: no period was claimed before; `no`: one was.
    pub first_period: Option<String>,
    /// The zero-carbon-factory star level applied for: 3, 4, 5 or 6.
    pub star_level: Option<String>,
    /// Why the subject was chosen (PAS 2060's QES).
    pub subject_rationale: Option<String>,
    /// The activities carried out in the subject (PAS 2060's QES).
    pub activities: Option<String>,
}

const STATEMENT_DATE: Field = Field::Input("statement-date");
const VERIFIER: Field = Field::Input("verifier");
const SENIOR: Field = Field::Input("senior");
const COMMITMENT_YEAR: Field = Field::Input("commitment-year");
const SUBJECT: Field = Field::Input("subject");
const PUBLISHED_AT: Field = Field::Input("published-at");
const PLAN_REVIEWED: Field = Field::Input("plan-reviewed");
const FIRST_PERIOD: Field = Field::Input("first-period");
const SUBJECT_RATIONALE: Field = Field::Input("subject-rationale");
const ACTIVITIES: Field = Field::Input("activities");
const DECISION: Field = Field::Input("decision");

impl Project {
    /// Store what `framework`'s documents need beyond the data (logged with the whole row).
    /// Every value is checked before anything is written; a refusal changes nothing. A date in
    /// the future of the project's clock is refused (a statement is dated when it is made).
    pub fn set_claim(
        &mut self,
        framework: &str,
        entry: &ClaimSettingsEntry,
    ) -> Result<ClaimSettingRow> {
        let (framework, _) = Framework::parse(framework).map_err(|e| refusal(&e))?;
        let mut row = self.store.claim_setting(framework.id())?;
        let today = self.today()?;
        let given = |t: &Option<String>| t.as_deref().map(str::trim).map(str::to_string);
        let date = |field: Field, code: &'static str, t: &str| -> Result<Option<String>> {
            if t.is_empty() {
                return Ok(None);
            }
            let d = lingtan_core::claim::period::parse_date(code, t).map_err(|e| refusal(&e))?;
            if d > today {
                return Err(Error::new(
                    "CLAIM_DATE_IN_FUTURE",
                    field,
                    crate::words![field, format!(" {d} is after the project's today ({today}); give the date it was (or is) made")],
                    crate::words![field, format!(" {d} 晚于项目当前日期（{today}）；请填写实际日期")],
                ));
            }
            Ok(Some(d.to_string()))
        };
        if let Some(t) = given(&entry.statement_date) {
            row.statement_date = date(STATEMENT_DATE, "statement-date", &t)?;
        }
        if let Some(t) = given(&entry.plan_reviewed) {
            row.plan_reviewed = date(PLAN_REVIEWED, "plan-reviewed", &t)?;
        }
        if let Some(t) = given(&entry.verification) {
            row.verification = if t.is_empty() {
                None
            } else {
                Some(
                    Assurance::parse(&t)
                        .map_err(|e| refusal(&e))?
                        .code()
                        .to_string(),
                )
            };
        }
        for (field, value, slot) in [
            (VERIFIER, &entry.verifier, &mut row.verifier),
            (SENIOR, &entry.senior, &mut row.senior),
            (SUBJECT, &entry.subject, &mut row.subject),
            (PUBLISHED_AT, &entry.published_at, &mut row.published_at),
            (
                SUBJECT_RATIONALE,
                &entry.subject_rationale,
                &mut row.subject_rationale,
            ),
            (ACTIVITIES, &entry.activities, &mut row.activities),
        ] {
            if let Some(t) = value {
                *slot = crate::limits::optional_text(field, Some(t))?;
            }
        }
        if let Some(t) = given(&entry.commitment_year) {
            row.commitment_year = if t.is_empty() {
                None
            } else {
                let year = t
                    .parse::<i64>()
                    .ok()
                    .filter(|y| (1900..=2200).contains(y) && t.len() == 4)
                    .ok_or_else(|| {
                        Error::new(
                            "CLAIM_BAD_YEAR",
                            COMMITMENT_YEAR,
                            crate::words![
                                COMMITMENT_YEAR,
                                format!(" '{t}' is not a year from 1900 to 2200; write it as 2030")
                            ],
                            crate::words![
                                COMMITMENT_YEAR,
                                format!(" “{t}”不是 1900 至 2200 之间的年份；请写成 2030")
                            ],
                        )
                    })?;
                Some(year)
            };
        }
        if let Some(t) = given(&entry.first_period) {
            row.first_period = match t.to_ascii_lowercase().as_str() {
                "" => None,
                "yes" | "y" | "true" | "是" => Some(true),
                "no" | "n" | "false" | "否" => Some(false),
                _ => {
                    return Err(Error::new(
                        "BAD_CHOICE",
                        FIRST_PERIOD,
                        crate::words![
                            FIRST_PERIOD,
                            format!(" '{t}': answer yes (no period was claimed before) or no")
                        ],
                        crate::words![
                            FIRST_PERIOD,
                            format!(" “{t}”：请填写 yes（此前未声明过期间）或 no")
                        ],
                    ))
                }
            };
        }
        if let Some(t) = given(&entry.star_level) {
            row.star_level = if t.is_empty() {
                None
            } else {
                let level = t
                    .trim_end_matches('★')
                    .trim()
                    .parse::<i64>()
                    .ok()
                    .filter(|l| (3..=6).contains(l))
                    .ok_or_else(|| refusal(&ClaimError::BadStarLevel { input: t.clone() }))?;
                Some(level)
            };
        }
        let now = self.now();
        self.store.set_claim_setting(&row, &now)?;
        Ok(row)
    }
}

/// A subject decision in force, as `claim show` lists it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SubjectLine {
    pub source_id: i64,
    /// `site / source`.
    pub source: String,
    /// `include` or `exclude`.
    pub decision: SubjectDecision,
    pub reason: Option<String>,
    /// When it was recorded.
    pub at: String,
}

impl Project {
    /// Include a source (by its name, or `site / source` as the checks name it) in
    /// `framework`'s subject, exclude it with `reason`, or clear the decision
    /// (`decision`: `include`, `exclude`, `clear`): a new row, superseding any earlier decision on
    /// the source, logged. Every value is checked before anything is written: an unknown
    /// framework, source or decision, an exclusion without a reason or a reason for anything
    /// else is refused and changes nothing. An exclusion of a scope 1 or 2 source is recorded as
    /// asked; the claim's checks then fail naming it.
    pub fn set_claim_subject(
        &mut self,
        framework: &str,
        source: &str,
        decision: &str,
        reason: Option<&str>,
    ) -> Result<ClaimSubjectRow> {
        let (framework, _) = Framework::parse(framework).map_err(|e| refusal(&e))?;
        // by its name, or by the label the checks print (`site / source`)
        let source = match self.find_source(source) {
            Ok(s) => s,
            Err(e) => {
                let sites = self.store.sites()?;
                let by_label = source.split_once(" / ").and_then(|(site, name)| {
                    let site = sites.iter().find(|x| x.name == site.trim())?;
                    self.sources()
                        .ok()?
                        .into_iter()
                        .find(|s| s.site_id == site.id && s.name == name.trim())
                });
                by_label.ok_or(e)?
            }
        };
        let decision = match decision.trim().to_ascii_lowercase().as_str() {
            "include" | "in" | "纳入" => SubjectDecision::Include,
            "exclude" | "out" | "排除" => SubjectDecision::Exclude,
            "clear" | "清除" => SubjectDecision::Clear,
            other => {
                return Err(Error::new(
                    "BAD_CHOICE",
                    DECISION,
                    crate::words![
                        DECISION,
                        format!(" '{other}': choose include, exclude (with a reason) or clear")
                    ],
                    crate::words![
                        DECISION,
                        format!(" “{other}”：请选择 include（纳入）、exclude（排除，须说明理由）或 clear（清除）")
                    ],
                ))
            }
        };
        let reason = crate::limits::optional_text(Field::Reason, reason)?;
        match (decision, &reason) {
            (SubjectDecision::Exclude, None) => {
                return Err(Error::new(
                    "CLAIM_SUBJECT_REASON_MISSING",
                    Field::Reason,
                    crate::words![
                        Field::Reason,
                        format!(
                            " is missing: say why '{}' is left out of the {} subject (PAS 2060 asks every exclusion to be justified)",
                            source.name,
                            framework.id()
                        )
                    ],
                    crate::words![
                        Field::Reason,
                        format!(
                            " 缺失：请说明为何将“{}”排除在 {} 声明对象之外（PAS 2060 要求每项排除均说明理由）",
                            source.name,
                            framework.id()
                        )
                    ],
                ))
            }
            (SubjectDecision::Include | SubjectDecision::Clear, Some(_)) => {
                return Err(Error::new(
                    "CLAIM_SUBJECT_REASON_UNUSED",
                    Field::Reason,
                    crate::words![
                        Field::Reason,
                        format!(
                            " is given for '{}', which is not being excluded: a reason goes with an exclusion only",
                            source.name
                        )
                    ],
                    crate::words![
                        Field::Reason,
                        format!(" 仅用于排除：“{}”并未被排除", source.name)
                    ],
                ))
            }
            _ => {}
        }
        let now = self.now();
        Ok(self.store.add_claim_subject(
            framework.id(),
            source.id,
            decision,
            reason.as_deref(),
            &now,
        )?)
    }

    /// The subject decisions in force for `framework`, in source order.
    pub fn claim_subject_lines(&self, framework: Framework) -> Result<Vec<SubjectLine>> {
        let sources = self.store.sources()?;
        let sites = self.store.sites()?;
        Ok(self
            .store
            .claim_subject(framework.id())?
            .into_iter()
            .map(|d| {
                let source = sources.iter().find(|s| s.id == d.source_id);
                let site = source.and_then(|s| sites.iter().find(|x| x.id == s.site_id));
                SubjectLine {
                    source_id: d.source_id,
                    source: match (site, source) {
                        (Some(site), Some(s)) => format!("{} / {}", site.name, s.name),
                        (None, Some(s)) => s.name.clone(),
                        _ => format!("source #{}", d.source_id),
                    },
                    decision: d.decision,
                    reason: d.reason,
                    at: d.created_at,
                }
            })
            .collect())
    }
}

/// The claim as `lingtan claim --json` prints it: `{framework, edition, period, subject_tco2e,
/// reductions_tco2e, eac_tco2e, credits_tco2e, coverage_pct, ready, checks: [{code, clause,
/// status, found, todo, where}]}` — figures as decimal strings (at most six decimals, like every
/// JSON of the command line), texts in `lang`, `where` the labels of what a check concerns.
pub fn json(claim: &Claim, lang: lingtan_core::Lang) -> serde_json::Value {
    use crate::json::num;
    use serde_json::json;
    let checks: Vec<serde_json::Value> = claim
        .checks
        .iter()
        .map(|c| {
            json!({
                "code": c.code,
                "clause": c.clause.pick(lang),
                "status": c.status.code(),
                "found": c.found.pick(lang),
                "todo": c.todo.as_ref().map(|t| t.pick(lang).to_string()),
                "where": c.places.iter().map(|p| p.label.clone()).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({
        "framework": claim.framework,
        "edition": claim.edition,
        "period": {
            "from": claim.period.from().to_string(),
            "to": claim.period.to().to_string(),
            "days": claim.period.days(),
        },
        "subject_tco2e": num(claim.subject_tco2e),
        "reductions_tco2e": claim.reductions_tco2e.map(num),
        "eac_tco2e": num(claim.eac_tco2e),
        "credits_tco2e": num(claim.credits_tco2e),
        "coverage_pct": claim.coverage_pct.map(num),
        "ready": claim.ready,
        "checks": checks,
    })
}

/// The claim's documents, rendered: the text always, the PDF when asked.
#[derive(Debug, Clone)]
pub struct ClaimDocuments {
    pub text: String,
    /// The documents' model, which the text and the PDF render (a screen lays it out itself).
    pub doc: lingtan_report::doc::Document,
    /// The PDF written, with its size.
    pub pdf: Option<(std::path::PathBuf, usize)>,
    pub warnings: Vec<Error>,
    /// Whether the documents are a draft, and why: every failing check, then every missing
    /// element of the QES.
    pub draft: lingtan_core::claim::documents::Draft,
}

impl Project {
    /// The documents' data of a checked claim: the management plan; for ISO 14068-1 the
    /// statement; for PAS 2060 the declaration of achievement and its QES; for the zero-carbon
    /// factory the self-evaluation; the commitment when a year is stated. Dated by the statement
    /// date, else the period's end (never the clock).
    pub fn claim_docs(
        &self,
        pack: &Pack,
        facts: &Facts,
        claim: &Claim,
    ) -> Result<lingtan_report::claim::ClaimDocs> {
        use lingtan_core::claim::documents;
        use lingtan_core::claim::pack::Declaration;
        let info = self.store.project()?;
        let framework = Framework::parse(&claim.framework)
            .map_err(|e| refusal(&e))?
            .0;
        let (statement, declaration, qes, self_evaluation) = match framework {
            Framework::Iso14068 => (
                Some(documents::statement(pack, claim, facts)),
                None,
                None,
                None,
            ),
            Framework::Pas2060 => (
                None,
                Some(documents::declaration(
                    pack,
                    claim,
                    facts,
                    Declaration::Achievement,
                )),
                Some(documents::qes(pack, claim, facts, Declaration::Achievement)),
                None,
            ),
            Framework::ZcfType1 | Framework::ZcfType2 => (
                None,
                None,
                None,
                Some(documents::self_evaluation(pack, claim, facts)),
            ),
        };
        Ok(lingtan_report::claim::ClaimDocs {
            org: info.org_name,
            claim: claim.clone(),
            plan: documents::management_plan(pack, claim, facts),
            statement,
            commitment: documents::commitment(pack, facts),
            declaration,
            qes,
            self_evaluation,
            date: facts
                .settings
                .statement_date
                .unwrap_or(claim.period.to())
                .to_string(),
        })
    }

    /// Render the claim's documents in `lang` (text always; the PDF to `pdf` through the one
    /// writer, checked before any work; `project_path` may not be overwritten).
    pub fn claim_documents(
        &self,
        project_path: &std::path::Path,
        pack: &Pack,
        facts: &Facts,
        claim: &Claim,
        lang: lingtan_report::Langs,
        pdf: Option<&std::path::Path>,
    ) -> Result<ClaimDocuments> {
        use crate::files::{Fill, Output, Replace};
        let outputs: Vec<Output> = pdf
            .map(|p| Output::new(p, Some(Field::Pdf), Replace::Any))
            .into_iter()
            .collect();
        let checked = crate::files::check(&outputs, Some(project_path), &[])?;
        let docs = self.claim_docs(pack, facts, claim)?;
        let doc = lingtan_report::claim::document(&docs, lang);
        let draft = docs.draft();
        let text = lingtan_report::text::render(&doc);
        let mut warnings = Vec::new();
        let mut written = None;
        if let Some(path) = pdf {
            let r = lingtan_report::pdf::render(&doc)?;
            if !r.missing.is_empty() {
                let list = r
                    .missing
                    .iter()
                    .map(|(c, t)| format!("{c} (U+{:04X}) “{t}”", *c as u32))
                    .collect::<Vec<_>>()
                    .join("; ");
                warnings.push(Error::new(
                    "PDF_MISSING_GLYPH",
                    Field::Pdf,
                    Words::from(format!(
                        "the PDF font has no glyph for {list}: printed as □"
                    )),
                    Words::from(format!("PDF 字体中没有以下字符的字形：{list}；以 □ 代替")),
                ));
            }
            let w = checked.write(vec![Fill::Bytes(&r.bytes)])?;
            written = w
                .into_iter()
                .next()
                .map(|w| (path.to_path_buf(), w.bytes as usize));
        }
        Ok(ClaimDocuments {
            text,
            doc,
            pdf: written,
            warnings,
            draft,
        })
    }
}
