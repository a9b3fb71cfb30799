//! The reduction step (碳减排) of the workbench: output (the denominators of intensity), targets
//! and their base-year recalculations, measures, energy prices and the step's settings, recorded
//! through the store and its audit chain; and [`Project::reduction`], which computes everything
//! `lingtan reduction` shows — each target's trajectory, status and base change, each measure's
//! abatement, money and achieved abatement, the MACC, the plan against each target and the LMDI
//! decomposition of the change since the base year — with the issues that explain every figure
//! that could not be computed (null, never zero).
//!
//! The rules are lingtan-core's (`reduction::*`): this file turns what a person typed into
//! checked values, refuses bad input before anything is written (the refusal names the field:
//! the command line's flag without its dashes), and feeds the rules with the project's own
//! inventories, factors, output and prices. Every year's inventory it needs is computed once,
//! all of them in one pass over the records ([`Project::inventories`]).
//!
//! Conventions a reader of the figures needs:
//! - A measure's changes are checked against each source's activity in the project's year (the
//!   reference year); `reduction` evaluates them on the reporting year's activity and factors.
//! - Energy prices: the price set on the project, else the factory's own bills where they carry
//!   a cost (Σ cost ÷ Σ quantity over the latest year whose bills carry one), else none (the
//!   MAC, NPV and payback are then null with an issue naming the source).
//! - Achieved abatement and the LMDI decomposition compare the reporting year with the base year
//!   (the project's, else the first target's); output is normalised on one metric: the first
//!   intensity target's, else the only metric recorded, else the first by name (disclosed).

pub mod json;
pub mod preview;

use crate::input::{check_year, same_name};
use crate::limits::{self, Field, REASON};
use crate::{
    parse_decimal, parse_unit, Action, Error, InventoryReport, Project, Ref, Result, Words,
};
use chrono::Datelike;
use lingtan_core::calc::{Context, InventoryBuilder, Resolved, SourceResult};
use lingtan_core::reduction::abatement::{
    self, evaluate, rates_of, MeasureResult, Price, SourceRate,
};
use lingtan_core::reduction::finance::DiscountRate;
use lingtan_core::reduction::lmdi::{self, Decomposition, SourcePair};
use lingtan_core::reduction::macc::{macc, Macc, MaccInput};
use lingtan_core::reduction::measure::{
    DirectChange, InputKind, InputValue, Measure, MeasureKind, MeasureStatus, Role, SourceInfo,
};
use lingtan_core::reduction::plan::{self, Plan, Reference};
use lingtan_core::reduction::progress::{self, Achieved, SourceYears};
use lingtan_core::reduction::target::{
    Actual, Ambition, Assessment, BaseChange, BaseYear, Metric, Recalculation, Scopes,
    Significance, Target, TargetSpec,
};
use lingtan_core::reduction::{Basis, Month, ReductionError};
use lingtan_core::text::{closest, grouped};
use lingtan_core::words;
use lingtan_core::{Decimal, Issue, Lang, Severity, Source, SourceKind, Unit};
use lingtan_store::{MeasureRecord, NewOutput, StoredChange};
pub use lingtan_store::{
    MeasureRow, OutputRow, PriceRow, RecalculationRow, ReductionSettings, TargetRow,
};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// The one place this step makes a refusal: a stable code, the field (the command line's flag
/// without its dashes, e.g. `target-year`), the message in English and Chinese.
fn refusal(code: &'static str, field: &str, en: String, zh: String) -> Error {
    refusal_words(code, field, en.into(), zh.into())
}

/// [`refusal`] with a message that names fields and actions (each face words them its way).
fn refusal_words(code: &'static str, field: &str, en: Words, zh: Words) -> Error {
    Error::new(code, Field::from_code(field), en, zh)
}

/// A refusal of a reduction rule (lingtan-core), as the workbench's refusal.
fn refused(e: ReductionError) -> Error {
    // the rules name an unknown input by what the person typed, which is no field of any form:
    // the field at fault is the measure's kind (the message lists the kind's inputs)
    let field = match &e {
        ReductionError::UnknownInput { .. } => Field::Kind.code().to_string(),
        _ => e.field(),
    };
    refusal(e.code(), &field, e.message_en(), e.message_zh())
}

fn hint(names: &[String]) -> (String, String) {
    if names.is_empty() {
        (String::new(), String::new())
    } else {
        let list = names
            .iter()
            .map(|n| format!("'{n}'"))
            .collect::<Vec<_>>()
            .join(", ");
        (
            format!("; did you mean {list}?"),
            format!("；是否指 {list}？"),
        )
    }
}

// --- what a person types ------------------------------------------------------------------------

/// An output record as typed: `output add --metric NAME --year YEAR [--month YYYY-MM] --qty Q
/// --unit U [--site SITE]`.
#[derive(Debug, Clone, Default)]
pub struct OutputEntry {
    pub metric: String,
    pub year: i32,
    pub month: Option<String>,
    pub qty: String,
    pub unit: String,
    pub site: Option<String>,
    pub note: Option<String>,
}

/// A target as typed: `target add NAME --scopes 1+2 --base-year Y --target-year Y (--reduction
/// PCT | --pathway ID) [--metric NAME] [--scope2 location|market]`.
#[derive(Debug, Clone, Default)]
pub struct TargetEntry {
    pub name: String,
    pub scopes: String,
    pub base_year: i32,
    pub target_year: i32,
    pub reduction: Option<String>,
    pub pathway: Option<String>,
    pub metric: Option<String>,
    pub scope2: Option<String>,
}

/// A measure as typed (`measure add`), or the fields to change (`measure set`: what is `None`
/// or empty stays as it was).
#[derive(Debug, Clone, Default)]
pub struct MeasureEntry {
    pub name: String,
    pub kind: Option<String>,
    /// `SOURCE=QTY UNIT`, per year (negative saves, positive adds). On `set`, any given replace
    /// the measure's changes.
    pub changes: Vec<String>,
    /// The kind's engineering inputs by name (`kwp`, `yield` …) as typed. On `set`, an empty
    /// value removes the input.
    pub inputs: Vec<(String, String)>,
    /// The sources the kind's formula changes, when the project has several candidates.
    pub electricity_source: Option<String>,
    pub fuel_source: Option<String>,
    pub new_source: Option<String>,
    pub refrigerant_source: Option<String>,
    pub capex: Option<String>,
    pub opex: Option<String>,
    pub lifetime: Option<String>,
    /// `YYYY-MM`; on `set`, empty clears it.
    pub start: Option<String>,
    pub status: Option<String>,
    /// The source that meters the measure (an `onsite-generation` source); on `set`, empty
    /// clears it.
    pub meter: Option<String>,
    /// Why the measure changed (`set`).
    pub reason: Option<String>,
}

/// The step's settings as typed (`project set`): what is `None` stays; an empty text clears.
#[derive(Debug, Clone, Default)]
pub struct ReductionSettingsEntry {
    /// Per cent, [0, 100).
    pub discount_rate: Option<String>,
    /// CNY per tCO2e.
    pub carbon_price: Option<String>,
    /// The base-year significance threshold, per cent, (0, 100].
    pub threshold: Option<String>,
    /// `SOURCE=PRICE/UNIT` (`Grid power=0.68/kWh`); `SOURCE=` clears the source's price.
    pub prices: Vec<String>,
}

// --- what the step shows ------------------------------------------------------------------------

/// An output record with its site's name.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OutputLine {
    #[serde(flatten)]
    pub row: OutputRow,
    pub site: Option<String>,
}

/// A measure as recorded, with the project's source names.
#[derive(Debug, Clone, PartialEq)]
pub struct MeasureLine {
    pub id: i64,
    pub version: u32,
    pub measure: Measure,
    pub reason: Option<String>,
    pub created_at: String,
}

/// Where a source's energy price comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "origin")]
pub enum PriceOrigin {
    /// Set on the project.
    Set,
    /// Σ cost ÷ Σ quantity of the bills of `year` that carry a cost.
    Bills { year: i32, records: usize },
}

/// A source's energy price as the step uses it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PriceLine {
    pub source: String,
    #[serde(with = "rust_decimal::serde::str")]
    pub cny: Decimal,
    pub per: Unit,
    #[serde(flatten)]
    pub origin: PriceOrigin,
}

/// The section's data from what the workbench computed (`lingtan::Project::reduction`), field
/// for field.
pub(crate) fn data_of(r: &ReductionReport) -> lingtan_report::reduction::ReductionData {
    lingtan_report::reduction::ReductionData {
        year: r.year,
        basis: r.basis,
        base_year: r.base_year,
        discount_rate: r.discount_rate,
        carbon_price: r.carbon_price,
        targets: r
            .targets
            .iter()
            .map(|t| lingtan_report::reduction::TargetData {
                target: t.target.clone(),
                assessment: t.assessment.clone(),
                base_change: t.base_change.clone(),
                plan: t.plan.clone(),
                target_tco2e: t.target_tco2e,
                outputs: t.outputs.clone(),
            })
            .collect(),
        measures: r
            .measures
            .iter()
            .map(|m| lingtan_report::reduction::MeasureData {
                name: m.name.clone(),
                kind: m.kind,
                status: m.status,
                start: m.start,
                meter: m.meter.clone(),
                inputs: m.inputs.clone(),
                result: m.result.clone(),
                achieved: m.achieved.clone(),
            })
            .collect(),
        macc: r.macc.clone(),
        decomposition: r.decomposition.clone(),
        decomposed_tco2e: r.decomposed_tco2e,
        recalculations: r.recalculations.clone(),
        issues: r.issues.clone(),
    }
}

/// The reduction section as text, in `lang` (what `lingtan reduction` prints).
pub fn text(r: &ReductionReport, lang: Lang) -> String {
    let langs = lang.into();
    let items = lingtan_report::reduction::section(&data_of(r), langs, "");
    lingtan_report::reduction::text(&items, langs)
}

pub use lingtan_core::record::Intensity;

/// A target against the project's figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TargetReport {
    pub target: Target,
    /// The trajectory and the reporting year's status and gap.
    pub assessment: Assessment,
    /// The base year's emissions now, when they differ from those the target was set with.
    pub base_change: Option<BaseChange>,
    /// The planned measures projected to the target year.
    pub plan: Plan,
    /// The emissions allowed in the target year: for an intensity target, its target
    /// intensity × the reference year's output.
    pub target_tco2e: Option<Decimal>,
    /// The output in the metric's unit, per trajectory year that has it (intensity targets;
    /// empty for an absolute one): what the report's allowed emissions are formulas over.
    pub outputs: Vec<(i32, Decimal)>,
}

/// A measure with everything computed for it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MeasureReport {
    pub name: String,
    pub kind: MeasureKind,
    pub status: MeasureStatus,
    pub start: Option<Month>,
    pub meter: Option<String>,
    /// The inputs as recorded, for display.
    pub inputs: Vec<(String, String)>,
    /// `None` when the measure can no longer be evaluated (see the issues).
    pub result: Option<MeasureResult>,
    /// The abatement it achieved in the reporting year (done or metered measures).
    pub achieved: Option<Achieved>,
}

/// Everything `lingtan reduction` shows for a year, on a basis.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReductionReport {
    pub year: i32,
    pub basis: Basis,
    /// The year achieved abatement and the decomposition compare with.
    pub base_year: Option<i32>,
    pub discount_rate: DiscountRate,
    pub carbon_price: Option<Decimal>,
    pub significance: Significance,
    pub targets: Vec<TargetReport>,
    pub measures: Vec<MeasureReport>,
    pub macc: Macc,
    pub decomposition: Option<Decomposition>,
    /// The emissions (all scopes, on `basis`) of the base year and the reporting year the
    /// decomposition splits the change between.
    pub decomposed_tco2e: Option<(Decimal, Decimal)>,
    /// The base-year recalculation log.
    pub recalculations: Vec<Recalculation>,
    /// The prices used, per source.
    pub prices: Vec<PriceLine>,
    /// The reporting year's intensity per metric.
    pub intensity: Vec<Intensity>,
    pub issues: Vec<Issue>,
    /// The fingerprint of the reporting year's inventory, and the audit chain head.
    pub fingerprint: String,
    pub audit_head: String,
}

/// A year's inventory with the factors it resolved.
pub(crate) struct YearData {
    pub(crate) report: InventoryReport,
    pub(crate) resolved: Vec<Resolved>,
}

// --- output -------------------------------------------------------------------------------------

/// A metric's rows converted to its unit (the unit of its first record).
struct MetricTotals {
    unit: Unit,
    /// year → quantity in `unit`
    years: BTreeMap<i32, Decimal>,
}

fn metric_totals(outputs: &[OutputRow], metric: &str) -> Option<MetricTotals> {
    let rows: Vec<&OutputRow> = outputs.iter().filter(|o| o.metric == metric).collect();
    let unit = rows.first()?.unit;
    let mut years: BTreeMap<i32, Decimal> = BTreeMap::new();
    for o in rows {
        if let Ok(q) = o.unit.convert(o.quantity, unit) {
            *years.entry(o.year).or_default() += q;
        }
    }
    Some(MetricTotals { unit, years })
}

/// The metric names recorded, in the order first recorded.
fn metrics(outputs: &[OutputRow]) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for o in outputs {
        if !names.contains(&o.metric) {
            names.push(o.metric.clone());
        }
    }
    names
}

/// Output recorded month by month that does not cover the year, per metric, year and site.
fn incomplete_output(outputs: &[OutputRow], sites: &BTreeMap<i64, String>) -> Vec<Issue> {
    let mut months: BTreeMap<(&str, i32, Option<i64>), BTreeSet<u32>> = BTreeMap::new();
    for o in outputs {
        if let Some(m) = o.month {
            months
                .entry((o.metric.as_str(), o.year, o.site_id))
                .or_default()
                .insert(m);
        }
    }
    months
        .into_iter()
        .filter(|(_, m)| m.len() < 12)
        .map(|((metric, year, site), m)| {
            let at = match site.and_then(|s| sites.get(&s)) {
                Some(s) => format!("output {metric} {year} / {s}"),
                None => format!("output {metric} {year}"),
            };
            Issue::new(
                "OUTPUT_MONTHS_MISSING",
                Severity::Warning,
                at,
                format!("output is recorded for {} of 12 months: the year's output is understated until the others are added", m.len()),
                format!("仅录入了 12 个月中 {} 个月的产出：补齐前该年产出偏低", m.len()),
            )
        })
        .collect()
}

// --- helpers on the project ---------------------------------------------------------------------

impl Project {
    /// The project's sources by name: exact, else the one equal but for letter case or width.
    fn source_named(&self, sources: &[Source], field: &str, name: &str) -> Result<Source> {
        let wanted = name.trim();
        if let Some(s) = sources.iter().find(|s| s.name == wanted) {
            return Ok(s.clone());
        }
        let mut loose = sources.iter().filter(|s| same_name(&s.name, wanted));
        if let (Some(s), None) = (loose.next(), loose.next()) {
            return Ok(s.clone());
        }
        let (en, zh) = hint(&closest(wanted, sources.iter().map(|s| s.name.as_str())));
        Err(refusal(
            "UNKNOWN_SOURCE",
            field,
            format!("{field}: no emission source named '{wanted}'{en}"),
            format!("{field}：没有名为“{wanted}”的排放源{zh}"),
        ))
    }

    /// Each source as a measure sees it: its unit, its activity in the year of `inv`, its fuel
    /// properties.
    fn source_infos(&self, sources: &[Source], inv: &InventoryReport) -> Result<Vec<SourceInfo>> {
        let catalog = self.catalog()?;
        Ok(sources
            .iter()
            .map(|s| {
                let result = inv.inventory.sources.iter().find(|r| r.source_id == s.id);
                SourceInfo {
                    name: s.name.clone(),
                    kind: s.kind,
                    unit: result.map(|r| r.unit).or(s.unit).unwrap_or(Unit::KWh),
                    annual_activity: result.map(|r| r.quantity).unwrap_or_default(),
                    properties: s
                        .fuel
                        .as_deref()
                        .map(|f| catalog.properties_of(f).into_iter().cloned().collect())
                        .unwrap_or_default(),
                    fuel: s.fuel.clone(),
                }
            })
            .collect())
    }

    /// The inventories of several years in one pass over the records: each year of `wanted`,
    /// and every other year from `from` on that has records. Each is what
    /// [`Project::inventory`] gives for that year (same figures, same fingerprint), with the
    /// factors it resolved.
    pub(crate) fn inventories(
        &self,
        wanted: &BTreeSet<i32>,
        from: i32,
    ) -> Result<BTreeMap<i32, YearData>> {
        let info = self.store.project()?;
        let sites = self.store.sites()?;
        let sources = self.store.sources()?;
        let catalog = self.catalog()?;
        let to = *crate::PERIOD_YEARS.end();
        let from = from.max(*crate::PERIOD_YEARS.start());
        let ctx = |year: i32| Context {
            year,
            gwp: info.gwp,
            boundary: info.boundary,
            sites: &sites,
            sources: &sources,
            catalog: &catalog,
        };
        let mut builders: BTreeMap<i32, InventoryBuilder> = wanted
            .iter()
            .map(|y| (*y, InventoryBuilder::new(ctx(*y))))
            .collect();
        let digests = self.store.for_each_activity_by_year(from, to, |a| {
            let first = a.from.year().max(from);
            let last = a.to.year().min(to);
            for year in first..=last {
                builders
                    .entry(year)
                    .or_insert_with(|| InventoryBuilder::new(ctx(year)))
                    .push(a);
            }
        })?;
        let head = self.store.audit_head()?;
        let empty = lingtan_store::sha256_hex(b"");
        let mut out = BTreeMap::new();
        for (year, builder) in builders {
            let resolved = builder.resolved();
            let inventory = builder.finish();
            let (read, digest) = digests
                .get(&year)
                .cloned()
                .unwrap_or_else(|| (0, empty.clone()));
            out.insert(
                year,
                YearData {
                    report: InventoryReport {
                        inventory,
                        org_name: info.org_name.clone(),
                        fingerprint: self.store.data_fingerprint(&digest)?,
                        audit_head: head.clone(),
                        records_read: read,
                    },
                    resolved,
                },
            );
        }
        Ok(out)
    }

    // --- output ---------------------------------------------------------------------------------

    /// The current output records with their sites' names.
    pub fn outputs(&self) -> Result<Vec<OutputLine>> {
        let sites = self.store.sites()?;
        Ok(self
            .store
            .outputs()?
            .into_iter()
            .map(|row| OutputLine {
                site: row
                    .site_id
                    .and_then(|id| sites.iter().find(|s| s.id == id))
                    .map(|s| s.name.clone()),
                row,
            })
            .collect())
    }

    /// Check an output entry against the records already there (`except`: the record being
    /// corrected).
    fn output_from_entry(&self, entry: &OutputEntry, except: Option<i64>) -> Result<NewOutput> {
        let metric = limits::name(Field::Metric, &entry.metric)?;
        check_year(Field::Year, entry.year)?;
        let month = match entry
            .month
            .as_deref()
            .map(str::trim)
            .filter(|m| !m.is_empty())
        {
            None => None,
            Some(text) => {
                let m = Month::parse("month", text).map_err(refused)?;
                if m.year != entry.year {
                    return Err(refusal(
                        "BAD_MONTH",
                        "month",
                        format!("month {m} is not in the year {}: give a month of that year, or change the year", entry.year),
                        format!("月份 {m} 不在 {} 年内：请填写该年的月份，或更改年份", entry.year),
                    ));
                }
                Some(m.month)
            }
        };
        let quantity = parse_decimal(Field::Qty, &entry.qty)?;
        if quantity.is_sign_negative() && !quantity.is_zero() {
            return Err(refusal(
                "NEGATIVE_OUTPUT",
                "qty",
                format!("output {quantity} is negative: give what was produced (0 for a month without production)"),
                format!("产出 {quantity} 为负数：请填写实际产出（停产月份填 0）"),
            ));
        }
        if quantity > Decimal::from(crate::MAX_QUANTITY) {
            return Err(refusal(
                "QUANTITY_IMPLAUSIBLE",
                "qty",
                format!("output {quantity} is larger than 10^15: check the unit"),
                format!("产出 {quantity} 超过 10^15：请检查单位"),
            ));
        }
        let unit = parse_unit(Field::Unit, &entry.unit)?;
        let site_id = match entry
            .site
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            Some(name) => Some(self.find_site(name)?.id),
            None => None,
        };
        let existing: Vec<OutputRow> = self
            .store
            .outputs()?
            .into_iter()
            .filter(|o| Some(o.id) != except)
            .collect();
        // a metric typed differently only in letter case or width is the same metric
        let metric = existing
            .iter()
            .find(|o| same_name(&o.metric, &metric))
            .map(|o| o.metric.clone())
            .unwrap_or(metric);
        let same_metric: Vec<&OutputRow> = existing.iter().filter(|o| o.metric == metric).collect();
        if let Some(first) = same_metric.first() {
            if first.unit.dimension() != unit.dimension() {
                let (d_en, d_zh) = first.unit.dimension().names();
                let (u_en, u_zh) = unit.dimension().names();
                return Err(refusal(
                    "OUTPUT_UNIT_MISMATCH",
                    "unit",
                    format!("metric '{metric}' is recorded in {} ({d_en}); {unit} is {u_en}: a metric keeps one dimension — use a unit of {d_en}, or another metric name", first.unit),
                    format!("产出指标“{metric}”以 {}（{d_zh}）记录；{unit} 属于{u_zh}：同一指标只能使用一种量纲——请使用{d_zh}单位，或另取指标名称", first.unit),
                ));
            }
        }
        let same_year: Vec<&&OutputRow> = same_metric
            .iter()
            .filter(|o| o.year == entry.year)
            .collect();
        if let Some(dup) = same_year
            .iter()
            .find(|o| o.month == month && o.site_id == site_id)
        {
            let period = month.map_or(entry.year.to_string(), |m| format!("{}-{m:02}", entry.year));
            return Err(refusal(
                "OUTPUT_DUPLICATE",
                if month.is_some() { "month" } else { "year" },
                format!("output #{} already records '{metric}' for {period} ({} {}); correct that record instead of adding another", dup.id, dup.quantity, dup.unit),
                format!("产出记录 #{} 已登记“{metric}”{period} 的数据（{} {}）；请更正该记录，不要重复添加", dup.id, dup.quantity, dup.unit),
            ));
        }
        if let Some(other) = same_year.iter().find(|o| {
            o.month.is_some() != month.is_some() || o.site_id.is_some() != site_id.is_some()
        }) {
            return Err(refusal(
                "OUTPUT_MIXED",
                if other.month.is_some() != month.is_some() { "month" } else { "site" },
                format!("'{metric}' for {} is already recorded {} (output #{}): record a year either as a whole or month by month, for the whole organisation or site by site, so that nothing is counted twice", entry.year, describe_output(other), other.id),
                format!("“{metric}”{} 年已按{}登记（产出记录 #{}）：同一年请统一按全年或逐月、按全组织或逐场所登记，以免重复计算", entry.year, describe_output_zh(other), other.id),
            ));
        }
        Ok(NewOutput {
            metric,
            year: entry.year,
            month,
            site_id,
            quantity,
            unit,
            note: limits::optional_text(Field::Note, entry.note.as_deref())?,
        })
    }

    /// Record output (production, value added …) for a year or a month, logged.
    pub fn add_output(&mut self, entry: &OutputEntry) -> Result<OutputRow> {
        let new = self.output_from_entry(entry, None)?;
        let now = self.now();
        Ok(self.store.add_output(&new, &now)?)
    }

    /// Correct output record `id`: a new version with the reason; the old one is kept.
    pub fn correct_output(
        &mut self,
        id: i64,
        entry: &OutputEntry,
        reason: &str,
    ) -> Result<OutputRow> {
        let reason = limits::text(REASON, reason)?;
        if reason.is_empty() {
            return Err(refusal(
                "MISSING_REASON",
                "reason",
                "a correction needs a reason (it is kept with the record and in the audit log)"
                    .into(),
                "更正必须说明原因（原因会保存在记录和审计日志中）".into(),
            ));
        }
        if !self.store.outputs()?.iter().any(|o| o.id == id) {
            return Err(refusal(
                "UNKNOWN_OUTPUT",
                "id",
                format!("output #{id}: no such current record"),
                format!("产出记录 #{id}：没有该有效记录"),
            ));
        }
        let new = self.output_from_entry(entry, Some(id))?;
        let now = self.now();
        Ok(self.store.correct_output(id, &new, &reason, &now)?)
    }

    /// The output recorded for `year`, per metric (in the unit the metric was first recorded
    /// in): what the zero-carbon-factory evaluation's intensities divide by.
    pub fn outputs_of_year(&self, year: i32) -> Result<Vec<lingtan_core::claim::facts::Output>> {
        let outputs = self.store.outputs()?;
        Ok(metrics(&outputs)
            .into_iter()
            .filter_map(|m| {
                let totals = metric_totals(&outputs, &m)?;
                let quantity = *totals.years.get(&year)?;
                Some(lingtan_core::claim::facts::Output {
                    metric: m,
                    unit: totals.unit.code().to_string(),
                    quantity,
                })
            })
            .collect())
    }

    /// The year's output per unit of emissions, per metric recorded for that year, from an
    /// inventory already computed (the inventory JSON's `intensity`).
    pub fn intensity(&self, report: &InventoryReport) -> Result<Vec<Intensity>> {
        let outputs = self.store.outputs()?;
        Ok(intensity_of(&outputs, report))
    }

    // --- settings and prices --------------------------------------------------------------------

    pub fn reduction_settings(&self) -> Result<ReductionSettings> {
        Ok(self.store.reduction_settings()?)
    }

    /// Set the discount rate, the carbon price, the significance threshold and energy prices.
    /// Everything is checked before anything is written.
    pub fn set_reduction_settings(
        &mut self,
        entry: &ReductionSettingsEntry,
    ) -> Result<ReductionSettings> {
        let mut settings = self.store.reduction_settings()?;
        let blank = |t: &Option<String>| {
            t.as_deref()
                .map(str::trim)
                .map(|t| t.trim_end_matches('%').trim().to_string())
        };
        if let Some(text) = blank(&entry.discount_rate) {
            settings.discount_rate_pct = if text.is_empty() {
                None
            } else {
                let pct = parse_decimal(Field::DiscountRate, &text)?;
                DiscountRate::from_pct(pct).map_err(refused)?;
                Some(pct)
            };
        }
        if let Some(text) = blank(&entry.carbon_price) {
            settings.carbon_price = if text.is_empty() {
                None
            } else {
                let text = text
                    .trim_end_matches("/t")
                    .trim_end_matches("CNY")
                    .trim_end_matches('元')
                    .trim();
                let price = parse_decimal(Field::CarbonPrice, text)?;
                if price.is_sign_negative() && !price.is_zero() {
                    return Err(refusal(
                        "NEGATIVE_CARBON_PRICE",
                        "carbon-price",
                        format!("a carbon price of {price} CNY/t is negative"),
                        format!("碳价 {price} 元/吨为负数"),
                    ));
                }
                if price > Decimal::from(1_000_000) {
                    return Err(refusal("CARBON_PRICE_IMPLAUSIBLE", "carbon-price", format!("a carbon price of {price} CNY/t is beyond 1,000,000 CNY/t; check the figure"), format!("碳价 {price} 元/吨超过 1,000,000 元/吨；请检查数值")));
                }
                Some(price)
            };
        }
        if let Some(text) = blank(&entry.threshold) {
            settings.significance_pct = if text.is_empty() {
                None
            } else {
                let pct = parse_decimal(Field::Threshold, &text)?;
                Significance::new(pct).map_err(refused)?;
                Some(pct)
            };
        }
        let sources = self.store.sources()?;
        let mut prices: Vec<(i64, Option<(Decimal, Unit)>)> = Vec::new();
        if !entry.prices.is_empty() {
            let inv = self.inventory(None, false)?;
            let infos = self.source_infos(&sources, &inv)?;
            for text in &entry.prices {
                let (source, price) = self.parse_price(&sources, &infos, text)?;
                if prices.iter().any(|(id, _)| *id == source.id) {
                    return Err(refusal(
                        "PRICE_TWICE",
                        "price",
                        format!("two prices for '{}' in one command: give one", source.name),
                        format!("同一命令中为“{}”给出了两个价格：请只给一个", source.name),
                    ));
                }
                prices.push((source.id, price));
            }
        }
        let now = self.now();
        for (id, price) in prices {
            self.store.set_price(id, price, &now)?;
        }
        if entry.discount_rate.is_some()
            || entry.carbon_price.is_some()
            || entry.threshold.is_some()
        {
            self.store.set_reduction_settings(&settings, &now)?;
        }
        Ok(settings)
    }

    /// `Grid power=0.68/kWh` (also `0.68 CNY/kWh`, `0.68元/度`); `Grid power=` clears.
    fn parse_price(
        &self,
        sources: &[Source],
        infos: &[SourceInfo],
        text: &str,
    ) -> Result<(Source, Option<(Decimal, Unit)>)> {
        let bad = || {
            refusal(
                "BAD_PRICE",
                "price",
                format!("price '{text}': write SOURCE=PRICE/UNIT in CNY, e.g. \"Grid power=0.68/kWh\" (SOURCE= clears it)"),
                format!("价格“{text}”：请写成 排放源=单价/单位（元），如 \"Grid power=0.68/kWh\"（“排放源=”表示清除）"),
            )
        };
        let (name, value) = text.rsplit_once('=').ok_or_else(bad)?;
        let source = self.source_named(sources, "price", name)?;
        let value = value.trim();
        if value.is_empty() {
            return Ok((source, None));
        }
        let (number, per) = value.split_once('/').ok_or_else(bad)?;
        let number = number.trim();
        let number = number
            .strip_suffix("CNY")
            .or_else(|| number.strip_suffix('元'))
            .unwrap_or(number)
            .trim();
        let cny = parse_decimal(Field::Price, number)?;
        let per = parse_unit(Field::Price, per)?;
        let info = infos
            .iter()
            .find(|i| i.name == source.name)
            .ok_or_else(bad)?;
        let price = Price::new(info, cny, per).map_err(refused)?;
        Ok((source, Some((price.cny, price.per))))
    }

    /// The prices the step uses for `wanted` sources: set on the project, else from the bills.
    fn prices_for(
        &self,
        sources: &[Source],
        infos: &[SourceInfo],
        wanted: &BTreeSet<String>,
        issues: &mut Vec<Issue>,
    ) -> Result<(Vec<Price>, Vec<PriceLine>)> {
        let set = self.store.prices()?;
        let mut prices = Vec::new();
        let mut lines = Vec::new();
        for s in sources.iter().filter(|s| wanted.contains(&s.name)) {
            let Some(info) = infos.iter().find(|i| i.name == s.name) else {
                continue;
            };
            if let Some(p) = set.iter().find(|p| p.source_id == s.id) {
                match Price::new(info, p.cny, p.per) {
                    Ok(price) => {
                        lines.push(PriceLine {
                            source: s.name.clone(),
                            cny: p.cny,
                            per: p.per,
                            origin: PriceOrigin::Set,
                        });
                        prices.push(price);
                        continue;
                    }
                    Err(e) => issues.push(Issue::new(
                        "PRICE_UNUSABLE",
                        Severity::Warning,
                        format!("source {}", s.name),
                        format!("the price set on the source cannot be used ({}); its bills are used where they carry a cost — set the price again", e.message_en()),
                        format!("为该排放源设置的价格无法使用（{}）；改用带金额的账单——请重新设置价格", e.message_zh()),
                    )),
                }
            }
            if let Some((cny, year, records)) = self.bill_price(s, info)? {
                if let Ok(price) = Price::new(info, cny, info.unit) {
                    lines.push(PriceLine {
                        source: s.name.clone(),
                        cny,
                        per: info.unit,
                        origin: PriceOrigin::Bills { year, records },
                    });
                    issues.push(Issue::new(
                        "PRICE_FROM_BILLS",
                        Severity::Info,
                        format!("source {}", s.name),
                        format!("energy price {} CNY/{} from the factory's {records} bills of {year} that carry a cost (Σ cost ÷ Σ quantity); set a price to use another", grouped(cny, 4), info.unit),
                        format!("能源单价 {} 元/{} 取自工厂 {year} 年 {records} 张带金额的账单（金额合计 ÷ 用量合计）；如需其他价格请设置", grouped(cny, 4), info.unit),
                    ));
                    prices.push(price);
                }
            }
        }
        Ok((prices, lines))
    }

    /// Σ cost ÷ Σ quantity over the bills of the latest year whose bills carry a cost, per the
    /// source's unit; `None` without such bills or when their quantity is not positive.
    fn bill_price(
        &self,
        source: &Source,
        info: &SourceInfo,
    ) -> Result<Option<(Decimal, i32, usize)>> {
        let rows = self.store.activities_with_detail(source.id)?;
        let mut by_year: BTreeMap<i32, (Decimal, Decimal, usize)> = BTreeMap::new();
        for r in rows {
            let Some(detail) = r.detail.as_deref() else {
                continue;
            };
            let Ok(serde_json::Value::Object(map)) =
                serde_json::from_str::<serde_json::Value>(detail)
            else {
                continue;
            };
            let cost = map
                .get("cost")
                .and_then(|v| v.as_str())
                .and_then(|t| t.parse::<Decimal>().ok());
            let currency_ok = map
                .get("cost_unit")
                .and_then(|v| v.as_str())
                .is_none_or(|c| c == "CNY");
            let (Some(cost), true) = (cost, currency_ok) else {
                continue;
            };
            let Ok(q) = r.unit.convert(r.quantity, info.unit) else {
                continue;
            };
            let e = by_year.entry(r.to.year()).or_default();
            e.0 += cost;
            e.1 += q;
            e.2 += 1;
        }
        Ok(by_year
            .into_iter()
            .next_back()
            .and_then(|(year, (cost, qty, n))| {
                (qty > Decimal::ZERO && cost >= Decimal::ZERO)
                    .then(|| cost.checked_div(qty))
                    .flatten()
                    .map(|p| (p, year, n))
            }))
    }

    /// The prices the step uses for every source that has one (set, or from the bills).
    pub fn prices(&self) -> Result<Vec<PriceLine>> {
        let sources = self.store.sources()?;
        let inv = self.inventory(None, false)?;
        let infos = self.source_infos(&sources, &inv)?;
        let all: BTreeSet<String> = sources.iter().map(|s| s.name.clone()).collect();
        let mut issues = Vec::new();
        Ok(self.prices_for(&sources, &infos, &all, &mut issues)?.1)
    }

    // --- targets --------------------------------------------------------------------------------

    pub fn targets(&self) -> Result<Vec<TargetRow>> {
        Ok(self.store.targets()?)
    }

    pub fn recalculations(&self) -> Result<Vec<RecalculationRow>> {
        Ok(self.store.recalculations()?)
    }

    fn significance(&self) -> Result<Significance> {
        Ok(self
            .store
            .reduction_settings()?
            .significance_pct
            .and_then(|p| Significance::new(p).ok())
            .unwrap_or_default())
    }

    /// The base-year figures of a target on `scopes`, `scope2` and `metric`, as the project's
    /// inventory of `year` gives them now.
    fn base_year_figures(
        &self,
        year: i32,
        scopes: Scopes,
        scope2: Basis,
        metric: Option<&Metric>,
    ) -> Result<BaseYear> {
        let inv = self.inventory(Some(year), false)?;
        let output = match metric {
            Some(m) => {
                let outputs = self.store.outputs()?;
                metric_totals(&outputs, &m.name).and_then(|t| {
                    t.years
                        .get(&year)
                        .and_then(|q| t.unit.convert(*q, m.unit).ok())
                })
            }
            None => None,
        };
        Ok(BaseYear {
            tco2e: if inv.records_read == 0 {
                Decimal::ZERO
            } else {
                scopes.tco2e(&inv.inventory.totals, scope2)
            },
            output,
            fingerprint: Some(inv.fingerprint),
        })
    }

    fn find_target(&self, name: &str) -> Result<TargetRow> {
        let targets = self.store.targets()?;
        let wanted = name.trim();
        if let Some(t) = targets
            .iter()
            .find(|t| t.target.name == wanted || same_name(&t.target.name, wanted))
        {
            return Ok(t.clone());
        }
        let (en, zh) = hint(&closest(
            wanted,
            targets.iter().map(|t| t.target.name.as_str()),
        ));
        Err(refusal(
            "UNKNOWN_TARGET",
            "name",
            format!("no target named '{wanted}'{en}"),
            format!("没有名为“{wanted}”的目标{zh}"),
        ))
    }

    /// Set a target against the base year: its base-year emissions (and output, for an intensity
    /// target) are taken from the project's inventory of that year now, with its fingerprint.
    pub fn add_target(&mut self, entry: &TargetEntry) -> Result<TargetRow> {
        let name = limits::name(Field::Name, &entry.name)?;
        if let Some(t) = self
            .store
            .targets()?
            .iter()
            .find(|t| same_name(&t.target.name, &name))
        {
            return Err(refusal_words(
                "DUPLICATE",
                "name",
                words![
                    format!(
                        "target '{}' already exists; to change its base year, ",
                        t.target.name
                    ),
                    Action::RebaseTarget
                ],
                words![
                    format!("目标“{}”已存在；如需调整基准年，请", t.target.name),
                    Action::RebaseTarget
                ],
            ));
        }
        let scopes = Scopes::parse(&entry.scopes).map_err(refused)?;
        let scope2 = match entry
            .scope2
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => Basis::Market,
            Some(text) => Basis::parse(text).ok_or_else(|| {
                refusal(
                    "UNKNOWN_BASIS",
                    "scope2",
                    format!("scope 2 basis '{text}': write location or market"),
                    format!("范围二口径“{text}”：请写 location（基于位置）或 market（基于市场）"),
                )
            })?,
        };
        check_year(Field::BaseYear, entry.base_year)?;
        check_year(Field::TargetYear, entry.target_year)?;
        let reduction = entry
            .reduction
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty());
        let pathway = entry
            .pathway
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty());
        let ambition = match (reduction, pathway) {
            (Some(pct), None) => Ambition::Reduction(parse_decimal(
                Field::Reduction,
                pct.trim_end_matches('%').trim(),
            )?),
            (None, Some(p)) => Ambition::Pathway(p.to_string()),
            (None, None) => {
                return Err(refusal_words(
                    "MISSING_FIELD",
                    "reduction",
                    words![
                        "a target needs its ambition: a ",
                        Field::Reduction,
                        " in per cent (42) or a ",
                        Field::Pathway,
                        " (sbti-1.5c)"
                    ],
                    words![
                        "目标须给出减排幅度：",
                        Field::Reduction,
                        "（百分比，如 42）或",
                        Field::Pathway,
                        "（如 sbti-1.5c）"
                    ],
                ))
            }
            (Some(_), Some(_)) => {
                return Err(refusal(
                    "AMBITION_TWICE",
                    "pathway",
                    "give either a reduction in per cent or a pathway, not both".into(),
                    "减排百分比与路径只能二选一".into(),
                ))
            }
        };
        let outputs = self.store.outputs()?;
        let metric = match entry
            .metric
            .as_deref()
            .map(str::trim)
            .filter(|m| !m.is_empty())
        {
            None => None,
            Some(m) => {
                let names = metrics(&outputs);
                let Some(found) = names.iter().find(|n| n.as_str() == m || same_name(n, m)) else {
                    let (en, zh) = hint(&closest(m, names.iter().map(String::as_str)));
                    let (then_en, then_zh) = if names.is_empty() {
                        (
                            words!["; first ", Action::AddOutput],
                            words!["；请先", Action::AddOutput],
                        )
                    } else {
                        (Words::default(), Words::default())
                    };
                    let mut en_w =
                        Words::from(format!("no output is recorded for metric '{m}'{en}"));
                    en_w.append(then_en);
                    let mut zh_w = Words::from(format!("没有指标“{m}”的产出记录{zh}"));
                    zh_w.append(then_zh);
                    return Err(refusal_words("UNKNOWN_METRIC", "metric", en_w, zh_w));
                };
                metric_totals(&outputs, found).map(|t| Metric {
                    name: found.clone(),
                    unit: t.unit,
                })
            }
        };
        // the ambition and the years first: a target refused for them needs no inventory
        let probe = Target::new(
            TargetSpec {
                name: name.clone(),
                scopes,
                scope2,
                base_year: entry.base_year,
                target_year: entry.target_year,
                ambition: ambition.clone(),
                metric: None,
            },
            BaseYear {
                tco2e: Decimal::ONE,
                output: None,
                fingerprint: None,
            },
        );
        if let Err(e) = probe {
            if e.code() != "BASE_YEAR_NO_DATA" {
                return Err(refused(e));
            }
        }
        let base = self.base_year_figures(entry.base_year, scopes, scope2, metric.as_ref())?;
        let target = Target::new(
            TargetSpec {
                name,
                scopes,
                scope2,
                base_year: entry.base_year,
                target_year: entry.target_year,
                ambition,
                metric,
            },
            base,
        )
        .map_err(refused)?;
        let now = self.now();
        Ok(self.store.add_target(&target, &now)?)
    }

    /// Recalculate a target on its base year's figures as they are now, with the reason: a new
    /// version of the target and an entry in the base-year recalculation log.
    pub fn rebase_target(
        &mut self,
        name: &str,
        reason: &str,
    ) -> Result<(TargetRow, RecalculationRow)> {
        let row = self.find_target(name)?;
        let reason = limits::text(REASON, reason)?;
        let t = &row.target;
        let now_base =
            self.base_year_figures(t.base_year, t.scopes, t.scope2, t.metric.as_ref())?;
        let now = self.now();
        let (target, entry) = t
            .rebase(now_base, &reason, &now, self.significance()?)
            .map_err(refused)?;
        Ok(self.store.rebase_target(row.id, &target, &entry, &now)?)
    }

    // --- measures -------------------------------------------------------------------------------

    /// The current measures with the project's source names.
    pub fn measures(&self) -> Result<Vec<MeasureLine>> {
        let sources = self.store.sources()?;
        self.store
            .measures()?
            .into_iter()
            .map(|row| {
                Ok(MeasureLine {
                    id: row.id,
                    version: row.version,
                    measure: named(&row.measure, &sources),
                    reason: row.reason,
                    created_at: row.created_at,
                })
            })
            .collect()
    }

    fn find_measure(&self, name: &str) -> Result<MeasureRow> {
        let measures = self.store.measures()?;
        let wanted = name.trim();
        if let Some(m) = measures
            .iter()
            .find(|m| m.measure.name == wanted || same_name(&m.measure.name, wanted))
        {
            return Ok(m.clone());
        }
        let (en, zh) = hint(&closest(
            wanted,
            measures.iter().map(|m| m.measure.name.as_str()),
        ));
        Err(refusal(
            "UNKNOWN_MEASURE",
            "name",
            format!("no measure named '{wanted}'{en}"),
            format!("没有名为“{wanted}”的措施{zh}"),
        ))
    }

    /// A measure as the store keeps it, from an entry applied over `base` (a new measure: an
    /// empty one); every field checked, and the whole measure checked by the rules against the
    /// project's sources and their activity in the project's year.
    fn measure_from_entry(
        &self,
        entry: &MeasureEntry,
        base: Option<&MeasureRecord>,
        name: String,
    ) -> Result<MeasureRecord> {
        let sources = self.store.sources()?;
        let kind = match (
            entry
                .kind
                .as_deref()
                .map(str::trim)
                .filter(|k| !k.is_empty()),
            base,
        ) {
            (Some(k), _) => MeasureKind::parse(k).map_err(refused)?,
            (None, Some(b)) => b.kind,
            (None, None) => {
                return Err(refusal(
                    "MISSING_FIELD",
                    "kind",
                    format!(
                        "a measure needs its kind: one of {}",
                        MeasureKind::ALL
                            .iter()
                            .map(|k| k.code())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                    format!(
                        "措施须指定类型：{}",
                        MeasureKind::ALL
                            .iter()
                            .map(|k| k.code())
                            .collect::<Vec<_>>()
                            .join("、")
                    ),
                ))
            }
        };
        let status = match entry
            .status
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            Some(s) => MeasureStatus::parse(s).map_err(refused)?,
            None => base.map_or(MeasureStatus::Idea, |b| b.status),
        };
        let start = match entry.start.as_deref().map(str::trim) {
            Some("") => None,
            Some(s) => Some(Month::parse("start", s).map_err(refused)?),
            None => base.and_then(|b| b.start),
        };
        // inputs: over the old ones unless the kind changed
        let mut inputs: BTreeMap<String, InputValue> = match base {
            Some(b) if b.kind == kind => b.inputs.clone(),
            _ => BTreeMap::new(),
        };
        for (input, text) in &entry.inputs {
            let input_name = input.trim().trim_start_matches("--").to_string();
            let text = text.trim();
            if text.is_empty() {
                inputs.remove(&input_name);
                continue;
            }
            let spec = kind.spec().inputs.iter().find(|i| i.name == input_name);
            let value = match spec.map(|s| s.kind) {
                Some(InputKind::Text) => InputValue::Text(text.to_string()),
                Some(_) => InputValue::Number(parse_decimal(
                    Field::from_code(&input_name).unwrap_or(Field::Kind),
                    text.trim_end_matches('%').trim(),
                )?),
                // unknown to the kind: the rules refuse it with the kind's inputs
                None => {
                    match parse_decimal(Field::from_code(&input_name).unwrap_or(Field::Kind), text)
                    {
                        Ok(n) => InputValue::Number(n),
                        Err(_) => InputValue::Text(text.to_string()),
                    }
                }
            };
            inputs.insert(input_name, value);
        }
        let mut roles: BTreeMap<Role, i64> = match base {
            Some(b) if b.kind == kind => b.sources.clone(),
            _ => BTreeMap::new(),
        };
        for (role, given) in [
            (Role::Electricity, &entry.electricity_source),
            (Role::Fuel, &entry.fuel_source),
            (Role::NewEnergy, &entry.new_source),
            (Role::Refrigerant, &entry.refrigerant_source),
        ] {
            match given.as_deref().map(str::trim) {
                Some("") => {
                    roles.remove(&role);
                }
                Some(n) => {
                    let s = self.source_named(&sources, role.field(), n)?;
                    roles.insert(role, s.id);
                }
                None => {}
            }
        }
        let changes = if entry.changes.is_empty() {
            base.map(|b| b.changes.clone()).unwrap_or_default()
        } else {
            entry
                .changes
                .iter()
                .map(|c| self.parse_change(&sources, c))
                .collect::<Result<Vec<_>>>()?
        };
        let money = |field: Field,
                     text: &Option<String>,
                     old: Option<Decimal>,
                     default: Decimal|
         -> Result<Decimal> {
            match text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
                Some(t) => parse_decimal(
                    field,
                    t.trim_end_matches("CNY").trim_end_matches('元').trim(),
                ),
                None => Ok(old.unwrap_or(default)),
            }
        };
        if entry
            .capex
            .as_deref()
            .map(str::trim)
            .is_none_or(str::is_empty)
            && base.is_none()
        {
            return Err(refusal("MISSING_FIELD", "capex", "a measure needs its investment (capex, CNY; 0 when it costs nothing to put in place)".into(), "措施须填写投资额（元；无投资填 0）".into()));
        }
        let capex = money(
            Field::Capex,
            &entry.capex,
            base.map(|b| b.capex),
            Decimal::ZERO,
        )?;
        let opex = money(
            Field::Opex,
            &entry.opex,
            base.map(|b| b.opex),
            Decimal::ZERO,
        )?;
        let lifetime = match entry.lifetime.as_deref().map(str::trim) {
            Some("") => None,
            Some(t) => Some(t.parse::<u32>().map_err(|_| {
                refusal(
                    "BAD_LIFETIME",
                    "lifetime",
                    format!("lifetime '{t}': give whole years, e.g. 15"),
                    format!("寿命“{t}”：请填写整数年，如 15"),
                )
            })?),
            None => base.and_then(|b| b.lifetime),
        };
        let meter = match entry.meter.as_deref().map(str::trim) {
            Some("") => None,
            Some(n) => {
                let s = self.source_named(&sources, "meter", n)?;
                if s.kind != SourceKind::OnsiteGeneration {
                    return Err(refusal_words("WRONG_SOURCE_KIND", "meter", words![Field::Meter, format!(": source '{}' is a {} source; a measure is metered by an onsite-generation source holding what the plant made (", s.name, s.kind.code()), Action::AddSource, " of kind onsite-generation and import the inverter's export into it)"], words![Field::Meter, format!("：排放源“{}”为 {} 类型；措施的计量须为 onsite-generation（自发电）类型的排放源，记录电站的发电量（", s.name, s.kind.code()), Action::AddSource, "，类型选 onsite-generation，并导入逆变器数据）"]));
                }
                Some(s.id)
            }
            None => base.and_then(|b| b.meter_source_id),
        };
        let record = MeasureRecord {
            name,
            kind,
            status,
            start,
            inputs,
            sources: roles,
            changes,
            capex,
            opex,
            lifetime,
            meter_source_id: meter,
        };
        // the rules check everything else: inputs, sources, units, costs, lifetime, activity
        let measure = named(&record, &sources);
        let inv = self.inventory(None, false)?;
        let infos = self.source_infos(&sources, &inv)?;
        let info = self.store.project()?;
        let result = evaluate(
            &measure,
            &abatement::Context {
                sources: &infos,
                rates: &[],
                prices: &[],
                gwp: info.gwp,
                discount_rate: DiscountRate::default(),
                basis: Basis::Market,
            },
        )
        .map_err(refused)?;
        if let Some(meter) = &measure.meter {
            let displaces = result.changes.iter().any(|c| {
                c.quantity < Decimal::ZERO
                    && sources
                        .iter()
                        .any(|s| s.name == c.source && s.kind == SourceKind::Electricity)
            });
            if !displaces {
                return Err(refusal_words("METER_DISPLACES_NOTHING", "meter", words![Field::Meter, format!(": '{meter}' measures generation that displaces grid power, but the measure takes no electricity away from a source: give its change of the grid power source (a pv-rooftop's formula, or a "), Field::Change, " such as \"Grid power=-… kWh\")"], words![Field::Meter, format!("：“{meter}”计量的发电量用于替代电网购电，但该措施未减少任何电力排放源的用电：请给出电网电力排放源的变化（pv-rooftop 的公式，或"), Field::Change, "，如 \"Grid power=-… kWh\"）"]));
            }
        }
        Ok(record)
    }

    /// `SOURCE=QTY UNIT` (`Boiler gas=-20000 m3`, `Grid power=65000kWh`).
    fn parse_change(&self, sources: &[Source], text: &str) -> Result<StoredChange> {
        let bad = || {
            refusal(
                "BAD_CHANGE",
                "change",
                format!("change '{text}': write SOURCE=QUANTITY UNIT per year, e.g. \"Boiler gas=-20000 m3\" (negative saves, positive adds)"),
                format!("变化量“{text}”：请写成 排放源=年变化量 单位，如 \"Boiler gas=-20000 m3\"（负数为减少，正数为增加）"),
            )
        };
        let (name, value) = text.rsplit_once('=').ok_or_else(bad)?;
        let value = value.trim();
        let split = value
            .char_indices()
            .find(|(i, c)| {
                !(c.is_ascii_digit()
                    || *c == '.'
                    || *c == ','
                    || ((*c == '-' || *c == '+') && *i == 0))
            })
            .map_or(value.len(), |(i, _)| i);
        let (number, unit) = value.split_at(split);
        if number.is_empty() || unit.trim().is_empty() {
            return Err(bad());
        }
        let source = self.source_named(sources, "change", name)?;
        Ok(StoredChange {
            source_id: source.id,
            quantity: parse_decimal(Field::Change, number)?,
            unit: parse_unit(Field::Change, unit)?,
        })
    }

    /// Add a measure. Everything is checked before anything is written.
    pub fn add_measure(&mut self, entry: &MeasureEntry) -> Result<MeasureRow> {
        let name = limits::name(Field::Name, &entry.name)?;
        if let Some(m) = self
            .store
            .measures()?
            .iter()
            .find(|m| same_name(&m.measure.name, &name))
        {
            return Err(refusal_words(
                "DUPLICATE",
                "name",
                words![
                    format!("measure '{}' already exists; ", m.measure.name),
                    Action::SetMeasure
                ],
                words![
                    format!("措施“{}”已存在；请", m.measure.name),
                    Action::SetMeasure
                ],
            ));
        }
        let record = self.measure_from_entry(entry, None, name)?;
        let now = self.now();
        Ok(self.store.add_measure(&record, &now)?)
    }

    /// Change a measure (its status, start, inputs, changes, costs, meter): a new version with
    /// the reason, if any; the old one is kept. Nothing is written when nothing changed.
    pub fn set_measure(&mut self, entry: &MeasureEntry) -> Result<MeasureRow> {
        let row = self.find_measure(&entry.name)?;
        let reason = limits::optional_text(REASON, entry.reason.as_deref())?;
        let record =
            self.measure_from_entry(entry, Some(&row.measure), row.measure.name.clone())?;
        if record == row.measure {
            return Ok(row);
        }
        let now = self.now();
        Ok(self
            .store
            .update_measure(row.id, &record, reason.as_deref(), &now)?)
    }

    // --- the report -----------------------------------------------------------------------------

    /// Everything the reduction step shows for `year` (the project's year by default) on `basis`
    /// (market by default). Bad input (an unknown basis, a year out of range) is refused; a figure
    /// that cannot be computed is `None` with an issue saying why.
    pub fn reduction(&self, year: Option<i32>, basis: Option<&str>) -> Result<ReductionReport> {
        let info = self.store.project()?;
        let year = year.unwrap_or(info.year);
        check_year(Field::Year, year)?;
        let basis = match basis.map(str::trim).filter(|b| !b.is_empty()) {
            None => Basis::Market,
            Some(text) => Basis::parse(text).ok_or_else(|| {
                refusal(
                    "UNKNOWN_BASIS",
                    "basis",
                    format!("basis '{text}': write location or market"),
                    format!("口径“{text}”：请写 location（基于位置）或 market（基于市场）"),
                )
            })?,
        };
        let mut issues: Vec<Issue> = Vec::new();
        let settings = self.store.reduction_settings()?;
        let discount_rate = match settings.discount_rate_pct.map(DiscountRate::from_pct) {
            None => DiscountRate::default(),
            Some(Ok(r)) => r,
            Some(Err(e)) => {
                issues.push(Issue::new(
                    "SETTING_UNUSABLE",
                    Severity::Warning,
                    "reduction settings".into(),
                    format!("{}; the default 8 % is used", e.message_en()),
                    format!("{}；改用默认值 8 %", e.message_zh()),
                ));
                DiscountRate::default()
            }
        };
        let significance = self.significance()?;
        let targets = self.store.targets()?;
        let rows = self.store.measures()?;
        let outputs = self.store.outputs()?;
        let sources = self.store.sources()?;
        let sites: BTreeMap<i64, String> = self
            .store
            .sites()?
            .into_iter()
            .map(|s| (s.id, s.name))
            .collect();
        issues.extend(incomplete_output(&outputs, &sites));

        // the base year progress and the decomposition compare with
        let base_year = info
            .base_year
            .or_else(|| targets.first().map(|t| t.target.base_year));
        let mut wanted: BTreeSet<i32> = BTreeSet::from([year]);
        wanted.extend(base_year);
        wanted.extend(targets.iter().map(|t| t.target.base_year));
        let from = wanted.iter().copied().min().unwrap_or(year);
        let years = self.inventories(&wanted, from)?;
        let (Some(this), Some(audit_head)) = (
            years.get(&year),
            years.get(&year).map(|y| y.report.audit_head.clone()),
        ) else {
            return Err(refusal(
                "NO_INVENTORY",
                "year",
                format!("the inventory of {year} could not be computed"),
                format!("无法计算 {year} 年的盘查"),
            ));
        };
        let has_data = |y: i32| years.get(&y).is_some_and(|d| d.report.records_read > 0);
        // a year whose inventory has errors (a source without a factor …) is understated: every
        // figure taken from it says so
        let mut used: BTreeSet<i32> = wanted.clone();
        used.retain(|y| has_data(*y));
        for y in used {
            let Some(d) = years.get(&y) else { continue };
            // a source without a factor matters in a year it has records
            let unfactored: Vec<&str> = d
                .report
                .inventory
                .sources
                .iter()
                .filter(|s| s.records > 0 && s.factor.is_none())
                .map(|s| s.source.as_str())
                .collect();
            let mut codes: Vec<&str> = d
                .report
                .inventory
                .issues
                .iter()
                .filter(|i| i.severity == Severity::Error && i.code != "FACTOR_MISSING")
                .map(|i| i.code)
                .collect();
            let count = codes.len() + unfactored.len();
            if !unfactored.is_empty() {
                codes.push("FACTOR_MISSING");
            }
            codes.sort_unstable();
            codes.dedup();
            if count > 0 {
                issues.push(Issue::new(
                    "INVENTORY_HAS_ERRORS",
                    Severity::Error,
                    format!("inventory {y}"),
                    words![format!("the {y} inventory has {count} error(s) ({}): its emissions are incomplete, and so is every figure of this step taken from them; see ", codes.join(", ")), Ref::ActionOn(Action::ShowInventory, y.to_string())],
                    words![format!("{y} 年盘查有 {count} 个错误（{}）：其排放量不完整，本步骤由其得出的数字同样不完整；请查看 ", codes.join("、")), Ref::ActionOn(Action::ShowInventory, y.to_string())],
                ));
            }
        }
        if !has_data(year) {
            issues.push(Issue::new("NO_DATA_IN_YEAR", Severity::Warning, format!("{year}"), format!("{year} has no activity data: targets have no status, achieved abatement and the decomposition cannot be computed for it"), format!("{year} 年无活动数据：目标无状态，实际减排量与变化分解均无法计算")));
        }

        // the normalising metric
        let names = metrics(&outputs);
        let metric = targets
            .iter()
            .find_map(|t| t.target.metric.as_ref().map(|m| m.name.clone()))
            .or_else(|| (names.len() == 1).then(|| names[0].clone()))
            .or_else(|| {
                let mut sorted = names.clone();
                sorted.sort();
                let first = sorted.first().cloned();
                if let Some(m) = &first {
                    issues.push(Issue::new("OUTPUT_METRIC_CHOSEN", Severity::Info, "output".into(), format!("several output metrics are recorded and no intensity target names one: '{m}' normalises achieved abatement and the decomposition"), format!("登记了多个产出指标且无强度目标指定：以“{m}”对实际减排量和变化分解进行产量归一")));
                }
                first
            });
        let metric_totals_of = metric.as_deref().and_then(|m| metric_totals(&outputs, m));
        let output_in = |y: i32| {
            metric_totals_of
                .as_ref()
                .and_then(|t| t.years.get(&y).copied())
        };

        // sources as measures see them, rates and prices, in the reporting year
        let infos = self.source_infos(&sources, &this.report)?;
        let rates = rates_of(&this.report.inventory, &this.resolved);
        let measures: Vec<(MeasureRow, Measure)> = rows
            .into_iter()
            .map(|r| {
                let m = named(&r.measure, &sources);
                (r, m)
            })
            .collect();
        let mut changed: BTreeSet<String> = BTreeSet::new();
        for (_, m) in &measures {
            changed.extend(m.changes.iter().map(|c| c.source.clone()));
            changed.extend(m.sources.values().cloned());
        }
        // a kind's formula may bind the only candidate source: price every source it could bind
        for s in &sources {
            if measures.iter().any(|(_, m)| {
                m.kind
                    .spec()
                    .roles
                    .iter()
                    .any(|r| r.accepts(m.kind, s.kind))
            }) {
                changed.insert(s.name.clone());
            }
        }
        let (prices, price_lines) = self.prices_for(&sources, &infos, &changed, &mut issues)?;
        let ctx = abatement::Context {
            sources: &infos,
            rates: &rates,
            prices: &prices,
            gwp: info.gwp,
            discount_rate,
            basis,
        };
        let base = base_year.filter(|b| *b < year).and_then(|b| years.get(&b));
        let mut reports: Vec<MeasureReport> = Vec::new();
        for (row, m) in &measures {
            let place = format!("measure {}", m.name);
            let result = match evaluate(m, &ctx) {
                Ok(r) => Some(r),
                Err(e) => {
                    issues.push(Issue::new("MEASURE_INVALID", Severity::Error, place.clone(), format!("cannot be evaluated against the {year} figures: {}; change it with `measure set`", e.message_en()), format!("无法按 {year} 年的数据计算：{}；请用 `measure set` 修改", e.message_zh())));
                    None
                }
            };
            let achieved = result.as_ref().and_then(|r| {
                self.achieved(
                    m,
                    row,
                    r,
                    year,
                    this,
                    base,
                    &rates,
                    (output_in(base_year.unwrap_or(year)), output_in(year)),
                    &sources,
                    &mut issues,
                )
            });
            let mut result = result;
            if let (Some(r), Some(a)) = (result.as_mut(), achieved.as_ref()) {
                r.achieved_tco2e = a.tco2e(basis);
            }
            if let Some(r) = &result {
                issues.extend(r.issues.iter().cloned());
            }
            reports.push(MeasureReport {
                name: m.name.clone(),
                kind: m.kind,
                status: m.status,
                start: m.start,
                meter: m.meter.clone(),
                inputs: m
                    .inputs
                    .iter()
                    .map(|(k, v)| {
                        (
                            k.clone(),
                            match v {
                                InputValue::Number(n) => n.normalize().to_string(),
                                InputValue::Text(t) => t.clone(),
                            },
                        )
                    })
                    .collect(),
                result,
                achieved,
            });
        }
        let results: Vec<MeasureResult> = reports.iter().filter_map(|r| r.result.clone()).collect();
        issues.extend(plan::overcommitted(&results, &infos));
        let done: Vec<(&str, Vec<String>)> = reports
            .iter()
            .filter(|r| r.meter.is_none())
            .filter_map(|r| r.result.as_ref())
            .filter(|r| r.status == MeasureStatus::Done)
            .map(|r| {
                (
                    r.name.as_str(),
                    r.changes.iter().map(|c| c.source.clone()).collect(),
                )
            })
            .collect();
        issues.extend(progress::overlaps(&done));
        let curve = macc(&results.iter().map(MaccInput::from).collect::<Vec<_>>());

        // targets
        let mut target_reports = Vec::new();
        for row in &targets {
            let t = &row.target;
            let t_output = |y: i32| -> Option<Decimal> {
                let m = t.metric.as_ref()?;
                let totals = metric_totals(&outputs, &m.name)?;
                totals.unit.convert(*totals.years.get(&y)?, m.unit).ok()
            };
            // actual emissions up to the reporting year: a later year's records (a bill that
            // runs past the year's end) are a part of that year, not its emissions
            let actuals: BTreeMap<i32, Actual> = years
                .iter()
                .filter(|(y, d)| **y >= t.base_year && **y <= year && d.report.records_read > 0)
                .map(|(y, d)| {
                    (
                        *y,
                        Actual {
                            tco2e: Some(t.scopes.tco2e(&d.report.inventory.totals, t.scope2)),
                            output: t_output(*y),
                        },
                    )
                })
                .collect();
            let assessment = t.assess(&actuals, year);
            let base_change = years
                .get(&t.base_year)
                .filter(|d| d.report.records_read > 0)
                .and_then(|d| {
                    t.base_change(
                        t.scopes.tco2e(&d.report.inventory.totals, t.scope2),
                        significance,
                    )
                });
            if let Some(c) = &base_change {
                issues.push(c.issue(&t.name));
            }
            if !has_data(t.base_year) {
                issues.push(Issue::new("BASE_YEAR_NO_DATA", Severity::Error, format!("target {}", t.name), format!("the base year {} has no activity data any more: its emissions cannot be checked against the {} t the target was set with", t.base_year, grouped(t.base_tco2e, 1)), format!("基准年 {} 已无活动数据：无法与目标设定时的 {} t 核对", t.base_year, grouped(t.base_tco2e, 1))));
            }
            issues.extend(t.notes());
            // the projection starts from the latest year with data, not after the reporting year
            let reference_year = actuals.keys().copied().filter(|y| *y <= year).max();
            let reference = match reference_year {
                Some(y) => Reference {
                    year: y,
                    tco2e: actuals.get(&y).and_then(|a| a.tco2e).unwrap_or_default(),
                    output: t_output(y),
                },
                None => Reference {
                    year: t.base_year,
                    tco2e: t.base_tco2e,
                    output: t.base_output,
                },
            };
            let plan = plan::project(t, reference, &results);
            issues.extend(plan.issues.iter().cloned());
            let target_tco2e = match t.kind {
                lingtan_core::reduction::target::TargetKind::Absolute => t.target_tco2e(),
                lingtan_core::reduction::target::TargetKind::Intensity => {
                    let v = t.allowed_tco2e(t.target_year, reference.output);
                    if v.is_none() {
                        issues.push(Issue::new("TARGET_TONNES_UNKNOWN", Severity::Info, format!("target {}", t.name), format!("an intensity target's tonnes depend on output: no {} output is recorded for the reference year {}, so its target-year emissions are not given", t.metric.as_ref().map_or("", |m| m.name.as_str()), reference.year), format!("强度目标的排放量取决于产出：参照年 {} 无“{}”产出记录，故不给出目标年排放量", reference.year, t.metric.as_ref().map_or("", |m| m.name.as_str()))));
                    }
                    v
                }
            };
            if assessment.status == lingtan_core::reduction::target::Status::NoData
                && year >= t.base_year
            {
                issues.push(Issue::new(
                    "TARGET_NO_STATUS",
                    Severity::Info,
                    format!("target {}", t.name),
                    format!(
                        "no status for {year}: {}",
                        if has_data(year) {
                            "no output of the target's metric is recorded for it"
                        } else {
                            "it has no activity data"
                        }
                    ),
                    format!(
                        "{year} 年无状态：{}",
                        if has_data(year) {
                            "未登记目标指标的产出"
                        } else {
                            "该年无活动数据"
                        }
                    ),
                ));
            }
            let outputs = actuals
                .iter()
                .filter_map(|(y, a)| Some((*y, a.output?)))
                .collect();
            target_reports.push(TargetReport {
                target: t.clone(),
                assessment,
                base_change,
                plan,
                target_tco2e,
                outputs,
            });
        }

        // what changed and why
        let pair = base_year
            .filter(|b| *b < year && has_data(*b) && has_data(year))
            .and_then(|b| Some((b, years.get(&b)?, years.get(&year)?)));
        let total = |d: &YearData| match basis {
            Basis::Location => d.report.inventory.totals.total_location,
            Basis::Market => d.report.inventory.totals.total_market,
        };
        let decomposed_tco2e = pair.map(|(_, from_d, to_d)| (total(from_d), total(to_d)));
        let decomposition = match pair {
            Some((b, from_d, to_d)) => {
                let both = output_in(b).zip(output_in(year));
                let d = decompose(
                    b,
                    year,
                    &from_d.report.inventory.sources,
                    &to_d.report.inventory.sources,
                    basis,
                    both,
                );
                if both.is_none() {
                    issues.push(Issue::new("LMDI_NO_OUTPUT", Severity::Info, format!("{b}–{year}"), "no output of both years: the change is split into the factor effect and the rest (activity), not into volume and intensity", "缺少两年的产出数据：变化仅分解为因子效应与其余（活动量）效应，不区分产量效应与强度效应"));
                }
                issues.extend(d.issues.iter().cloned());
                Some(d)
            }
            None => {
                issues.push(Issue::new("LMDI_NO_BASE_YEAR", Severity::Info, "decomposition".into(), match base_year {
                    None => "no base year is set: there is no change to decompose".to_string(),
                    Some(b) if b >= year => format!("the reporting year {year} is not after the base year {b}: there is no change to decompose"),
                    Some(b) => format!("the base year {b} or {year} has no activity data: the change cannot be decomposed"),
                }, match base_year {
                    None => "未设置基准年：无变化可分解".to_string(),
                    Some(b) if b >= year => format!("报告年 {year} 不晚于基准年 {b}：无变化可分解"),
                    Some(b) => format!("基准年 {b} 或 {year} 年无活动数据：无法分解变化"),
                }));
                None
            }
        };
        let recalculations = self
            .store
            .recalculations()?
            .into_iter()
            .map(|r| r.recalculation)
            .collect();
        let intensity = intensity_of(&outputs, &this.report);
        dedup(&mut issues);
        issues.sort_by(|a, b| (a.severity, a.code, &a.place).cmp(&(b.severity, b.code, &b.place)));
        Ok(ReductionReport {
            year,
            basis,
            base_year,
            discount_rate,
            carbon_price: settings.carbon_price,
            significance,
            targets: target_reports,
            measures: reports,
            macc: curve,
            decomposition,
            decomposed_tco2e,
            recalculations,
            prices: price_lines,
            intensity,
            issues,
            fingerprint: this.report.fingerprint.clone(),
            audit_head,
        })
    }

    /// The abatement a measure achieved in `year`: metered from its meter, else (done measures)
    /// from the records of the sources it changes against the base year.
    #[allow(clippy::too_many_arguments)]
    fn achieved(
        &self,
        m: &Measure,
        row: &MeasureRow,
        result: &MeasureResult,
        year: i32,
        this: &YearData,
        base: Option<&YearData>,
        rates: &[SourceRate],
        outputs: (Option<Decimal>, Option<Decimal>),
        sources: &[Source],
        issues: &mut Vec<Issue>,
    ) -> Option<Achieved> {
        let place = format!("measure {}", m.name);
        if m.start.is_some_and(|s| s.year > year) {
            return None;
        }
        if let Some(meter_id) = row.measure.meter_source_id {
            if m.status < MeasureStatus::InProgress {
                return None;
            }
            let generation = this
                .report
                .inventory
                .sources
                .iter()
                .find(|s| s.source_id == meter_id && s.records > 0)
                .and_then(|s| s.unit.convert(s.quantity, Unit::KWh).ok());
            let Some(generation) = generation else {
                issues.push(Issue::new("ACHIEVED_NO_METER_DATA", Severity::Warning, place, format!("its meter '{}' has no records in {year}: import the generation to measure what it achieved", m.meter.as_deref().unwrap_or_default()), format!("其计量“{}”在 {year} 年无记录：请导入发电量以计量实际减排", m.meter.as_deref().unwrap_or_default())));
                return None;
            };
            // the grid power the generation displaces: the electricity source it takes power from
            let displaced = result
                .changes
                .iter()
                .filter(|c| c.quantity < Decimal::ZERO)
                .find(|c| {
                    sources
                        .iter()
                        .any(|s| s.name == c.source && s.kind == SourceKind::Electricity)
                })
                .and_then(|c| rates.iter().find(|r| r.source == c.source));
            let Some(displaced) = displaced else {
                issues.push(Issue::new("ACHIEVED_NO_FACTOR", Severity::Error, place, format!("the grid power it displaces has no emission factor in {year}: its achieved abatement cannot be computed"), format!("其替代的电网电力在 {year} 年无排放因子：无法计算实际减排量")));
                return None;
            };
            let a = progress::metered(&m.name, year, generation, None, displaced);
            issues.extend(a.issues.iter().cloned());
            return Some(a);
        }
        if m.status != MeasureStatus::Done {
            return None;
        }
        if result.changes.is_empty() {
            issues.push(Issue::new("ACHIEVED_NOT_MEASURED", Severity::Info, place, "a change of factor (a refrigerant, a supplier) is not measured from activity: its achieved abatement is not given", "因子变化（制冷剂、供应商）无法由活动量计量：不给出实际减排量"));
            return None;
        }
        let Some(base) = base else {
            issues.push(Issue::new("ACHIEVED_NO_BASE_YEAR", Severity::Info, place, format!("no base year before {year} with data: its achieved abatement cannot be measured"), format!("{year} 年之前没有有数据的基准年：无法计量实际减排量")));
            return None;
        };
        let mut lines = Vec::new();
        let mut seen: BTreeSet<&str> = BTreeSet::new();
        for c in &result.changes {
            if !seen.insert(c.source.as_str()) {
                continue;
            }
            let Some(src) = sources.iter().find(|s| s.name == c.source) else {
                continue;
            };
            let Some(rate) = rates.iter().find(|r| r.source == c.source) else {
                issues.push(Issue::new("ACHIEVED_NO_FACTOR", Severity::Error, place.clone(), format!("source '{}' has no emission factor in {year}: the achieved abatement cannot be computed", c.source), format!("排放源“{}”在 {year} 年无排放因子：无法计算实际减排量", c.source)));
                return None;
            };
            let of = |d: &YearData| -> Option<Decimal> {
                let s = d
                    .report
                    .inventory
                    .sources
                    .iter()
                    .find(|s| s.source_id == src.id)?;
                s.unit.convert(s.quantity, rate.unit).ok()
            };
            let (Some(b), Some(y)) = (of(base), of(this)) else {
                issues.push(Issue::new("ACHIEVED_UNIT_MISMATCH", Severity::Error, place.clone(), format!("the records of '{}' in the base year and {year} are in units that do not convert", c.source), format!("排放源“{}”基准年与 {year} 年的记录单位无法换算", c.source)));
                return None;
            };
            lines.push(SourceYears {
                base_activity: b,
                year_activity: y,
                rate: rate.clone(),
            });
        }
        let a = progress::from_records(&m.name, year, &lines, outputs.0, outputs.1);
        issues.extend(a.issues.iter().cloned());
        let names: Vec<&str> = lines.iter().map(|l| l.rate.source.as_str()).collect();
        issues.push(Issue::new(
            "ACHIEVED_WHOLE_SOURCE",
            Severity::Info,
            place,
            format!("achieved abatement in {year} is measured on the whole of {} against {}: everything else that changed {} is in it too", names.join(", "), base.report.inventory.year, if names.len() > 1 { "them" } else { "it" }),
            format!("{year} 年实际减排量按 {} 整体与 {} 年比较计量：其他影响该排放源的变化也包含在内", names.join("、"), base.report.inventory.year),
        ));
        Some(a)
    }
}

/// The measure as the rules see it: the project's source names for its ids (an id that no
/// longer names a source is kept as `#id`, which the rules refuse as unknown).
fn named(m: &MeasureRecord, sources: &[Source]) -> Measure {
    let name_of = |id: i64| {
        sources
            .iter()
            .find(|s| s.id == id)
            .map_or_else(|| format!("#{id}"), |s| s.name.clone())
    };
    Measure {
        name: m.name.clone(),
        kind: m.kind,
        status: m.status,
        start: m.start,
        inputs: m.inputs.clone(),
        sources: m.sources.iter().map(|(r, id)| (*r, name_of(*id))).collect(),
        changes: m
            .changes
            .iter()
            .map(|c| DirectChange {
                source: name_of(c.source_id),
                quantity: c.quantity,
                unit: c.unit,
            })
            .collect(),
        capex: m.capex,
        opex: m.opex,
        lifetime: m.lifetime,
        meter: m.meter_source_id.map(name_of),
    }
}

fn describe_output(o: &OutputRow) -> &'static str {
    match (o.month.is_some(), o.site_id.is_some()) {
        (true, true) => "month by month for a site",
        (true, false) => "month by month for the whole organisation",
        (false, true) => "for the whole year for a site",
        (false, false) => "for the whole year for the whole organisation",
    }
}

fn describe_output_zh(o: &OutputRow) -> &'static str {
    match (o.month.is_some(), o.site_id.is_some()) {
        (true, true) => "场所逐月",
        (true, false) => "全组织逐月",
        (false, true) => "场所全年",
        (false, false) => "全组织全年",
    }
}

fn intensity_of(outputs: &[OutputRow], report: &InventoryReport) -> Vec<Intensity> {
    let year = report.inventory.year;
    let t = &report.inventory.totals;
    metrics(outputs)
        .into_iter()
        .filter_map(|m| {
            let totals = metric_totals(outputs, &m)?;
            let q = *totals.years.get(&year)?;
            Some(Intensity {
                tco2e_location_per_unit: t.total_location.checked_div(q),
                tco2e_market_per_unit: t.total_market.checked_div(q),
                metric: m,
                unit: totals.unit,
                quantity: q,
            })
        })
        .collect()
}

/// The LMDI decomposition of the change between two inventories, per source, on `basis`; each
/// source's activity in the later year's unit.
fn decompose(
    from_year: i32,
    to_year: i32,
    from: &[SourceResult],
    to: &[SourceResult],
    basis: Basis,
    output: Option<(Decimal, Decimal)>,
) -> Decomposition {
    let on = |s: &SourceResult| match basis {
        Basis::Location => s.tco2e,
        Basis::Market => s.tco2e_market,
    };
    let mut ids: Vec<i64> = Vec::new();
    for s in to.iter().chain(from) {
        if !ids.contains(&s.source_id) {
            ids.push(s.source_id);
        }
    }
    let pairs: Vec<SourcePair> = ids
        .into_iter()
        .filter_map(|id| {
            let a = from.iter().find(|s| s.source_id == id);
            let b = to.iter().find(|s| s.source_id == id);
            let named = b.or(a)?;
            let unit = named.unit;
            let act = |s: Option<&SourceResult>| {
                s.map_or(Some(Decimal::ZERO), |s| {
                    s.unit.convert(s.quantity, unit).ok()
                })
            };
            // records in units that do not convert: negative activity makes the rule flag it
            let (ea, eb) = match (act(a), act(b)) {
                (Some(x), Some(y)) => (x, y),
                _ => (-Decimal::ONE, -Decimal::ONE),
            };
            Some(SourcePair {
                source: named.source.clone(),
                activity_from: ea,
                activity_to: eb,
                tco2e_from: a.map(on).unwrap_or_default(),
                tco2e_to: b.map(on).unwrap_or_default(),
            })
        })
        .collect();
    lmdi::decompose(from_year, to_year, &pairs, output)
}

fn dedup(issues: &mut Vec<Issue>) {
    let mut seen: BTreeSet<(String, String, String)> = BTreeSet::new();
    issues.retain(|i| seen.insert((i.code.to_string(), i.place.clone(), i.message(Lang::En))));
}
