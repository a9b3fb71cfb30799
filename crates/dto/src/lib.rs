//! lingtan-dto: what crosses between the desktop app's Rust side and its UI.
//!
//! Plain data, no logic and no tauri: `cargo test -p lingtan-dto` writes one TypeScript file per
//! type into `ui/src/bindings/` (ts-rs), and the UI imports those, so a renamed field breaks the
//! UI's type check instead of a screen. Quantities and emissions cross as decimal *strings*
//! (exact, already rounded by the Rust side); the UI only groups their digits per locale.
//! Messages cross in the language the UI chose (`set_language`).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A refusal: a stable code, the field it concerns (the UI shows the message next to it), and the
/// message in the chosen language.
#[derive(Debug, Clone, Serialize, Deserialize, TS, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ApiError {
    pub code: String,
    pub field: Option<String>,
    pub message: String,
}

/// What the start screen needs.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AppState {
    /// `zh` or `en`.
    pub lang: String,
    pub recent: Vec<RecentProject>,
    /// Whether a sample project is available to open (a copy is opened, never the original).
    pub sample_available: bool,
    /// The project open now, if any.
    pub project: Option<ProjectSummary>,
    pub version: String,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RecentProject {
    pub path: String,
    pub name: String,
    pub exists: bool,
}

/// The open project, as the title bar and the journey show it.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ProjectSummary {
    pub path: String,
    pub file_name: String,
    pub org: String,
    pub org_zh: Option<String>,
    pub year: i32,
    pub base_year: Option<i32>,
    /// `AR6`, `AR5`, `AR4`
    pub gwp: String,
    /// `operational-control`, `financial-control`, `equity-share`
    pub boundary: String,
    pub prepared_by: Option<String>,
    pub report_date: Option<String>,
    pub created_at: String,
    pub sites: u32,
    pub sources: u32,
    pub records: u64,
}

/// The new-project wizard.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct NewProjectInput {
    pub path: String,
    pub org: String,
    pub org_zh: Option<String>,
    pub year: String,
    pub base_year: Option<String>,
    pub gwp: Option<String>,
    pub boundary: Option<String>,
}

/// Organisation settings that can change after creation (`None` leaves a field as it is; an
/// empty text clears it).
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ProjectDetailsInput {
    pub base_year: Option<String>,
    pub prepared_by: Option<String>,
    pub report_date: Option<String>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SiteDto {
    pub id: i64,
    pub name: String,
    pub grid_region: Option<String>,
    pub address: Option<String>,
    pub sources: u32,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SiteInput {
    pub name: String,
    pub grid: Option<String>,
    pub address: Option<String>,
}

/// A choice in a form: the value sent back and its label in the chosen language.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Choice {
    pub value: String,
    pub label: String,
}

/// What the source form offers.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SourceChoices {
    pub kinds: Vec<Choice>,
    pub fuels: Vec<Choice>,
    pub refrigerants: Vec<Choice>,
    pub grid_regions: Vec<Choice>,
    pub units: Vec<Choice>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SourceDto {
    pub id: i64,
    pub name: String,
    pub site: String,
    /// `electricity`, `stationary-combustion`, …
    pub kind: String,
    pub kind_label: String,
    pub scope: u8,
    /// ISO 14064-1 category 1–6.
    pub category: u8,
    pub fuel: Option<String>,
    /// `id@version`, as pinned (None: the library default for its kind and fuel at calculation).
    pub factor: Option<String>,
    pub market_factor: Option<String>,
    pub unit: Option<String>,
    pub uncertainty_pct: Option<String>,
    pub records: u64,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SourceInput {
    pub name: String,
    pub site: String,
    pub kind: String,
    pub fuel: Option<String>,
    pub factor: Option<String>,
    pub market_factor: Option<String>,
    pub unit: Option<String>,
    pub uncertainty: Option<String>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct GasValue {
    pub gas: String,
    /// kg of the gas per unit of activity.
    pub kg_per_unit: String,
}

/// An emission factor with where it comes from.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct FactorDto {
    pub id: String,
    pub version: u32,
    /// In the chosen language when the factor has a Chinese name.
    pub name: String,
    pub dataset: String,
    pub category: String,
    pub region: Option<String>,
    pub fuel: Option<String>,
    pub year: Option<i32>,
    pub unit: String,
    pub gases: Vec<GasValue>,
    /// kg CO2e per unit, when the factor states it directly.
    pub co2e_per_unit: Option<String>,
    pub citation: String,
    pub licence: String,
    pub verified: bool,
    pub verification_note: Option<String>,
    pub uncertainty_pct: Option<String>,
    /// `library` or `user`
    pub origin: String,
    pub is_default: bool,
}

/// One page of activity records (the table asks for the rows it shows).
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RecordQuery {
    pub source: Option<i64>,
    /// `2024-03`: records whose period touches that month.
    pub month: Option<String>,
    pub offset: u32,
    pub limit: u32,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RecordRow {
    pub id: i64,
    pub version: u32,
    pub source_id: i64,
    pub source: String,
    pub from: String,
    pub to: String,
    pub quantity: String,
    pub unit: String,
    pub note: Option<String>,
    pub evidence: Option<String>,
    /// Where it came from: `file.xlsx / Sheet1 / row 5`.
    pub origin: Option<String>,
    /// Why this version exists (corrections).
    pub reason: Option<String>,
    pub batch: Option<i64>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RecordPage {
    /// Records matching the filter.
    pub total: u64,
    pub offset: u32,
    pub rows: Vec<RecordRow>,
}

/// A new record, or a correction of record `id` (then `reason` is required).
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RecordInput {
    pub id: Option<i64>,
    pub source: String,
    pub from: String,
    pub to: String,
    pub quantity: String,
    pub unit: String,
    pub note: Option<String>,
    pub reason: Option<String>,
    /// A file to keep as evidence (a path the open dialog or the path field gave).
    pub evidence: Option<String>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RecordVersion {
    pub version: u32,
    pub from: String,
    pub to: String,
    pub quantity: String,
    pub unit: String,
    pub status: String,
    pub reason: Option<String>,
    pub created_at: String,
}

/// What to import: a file into one source. `dryRun` shows the mapping and issues, writes nothing.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ImportRequest {
    pub path: String,
    pub source: String,
    pub sheet: Option<String>,
    pub dry_run: bool,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct IssueDto {
    pub code: String,
    /// `error`, `warning`, `info`
    pub severity: String,
    pub message: String,
    /// Where: `sheet`, `row`, `column`, `cell` (the UI shows `Sheet1!C5`).
    pub sheet: Option<String>,
    pub row: Option<u32>,
    pub column: Option<String>,
    pub cell: Option<String>,
    /// For inventory issues: the source or project it concerns.
    pub place: Option<String>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ColumnDto {
    pub column: String,
    pub header: String,
    pub role: String,
}

/// How a sheet was read: which row holds the headers and what each column was taken to be.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct MappingDto {
    pub sheet: String,
    pub header_row: u32,
    /// `bill` or `interval`
    pub kind: String,
    pub columns: Vec<ColumnDto>,
    /// One line that says the rest (periods, interval, timestamp convention, meters).
    pub detail: String,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct QuantityDto {
    pub unit: String,
    pub quantity: String,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ImportResult {
    /// The batch written; None for a dry run, a refusal or a cancel.
    pub batch: Option<i64>,
    pub file: String,
    pub sha256: String,
    pub kind: Option<String>,
    pub accepted: u32,
    pub rejected: u32,
    pub refused: bool,
    pub cancelled: bool,
    pub totals: Vec<QuantityDto>,
    pub mappings: Vec<MappingDto>,
    pub issues: Vec<IssueDto>,
}

/// Progress of a running import (event `import-progress`).
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ImportProgress {
    /// `read`, `check`, `write`, `done`
    pub stage: String,
    /// 0–1000.
    pub permille: u32,
    pub message: String,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct BatchDto {
    pub id: i64,
    pub label: String,
    pub file: Option<String>,
    /// What the batch wrote (activity rows, certificates, scoring rows) …
    pub records: u64,
    /// … and what they are, in the chosen language (`rows`, `张证书`).
    pub records_what: String,
    pub created_at: String,
    pub reverted_at: Option<String>,
    pub revert_reason: Option<String>,
}

/// One figure of the results: a label, tCO2e (3 decimals), and what to ask `drill` for.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Figure {
    pub key: String,
    pub label: String,
    pub tco2e: String,
    pub drill: DrillRequest,
}

/// Which records make up a figure.
#[derive(Debug, Clone, Serialize, Deserialize, TS, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct DrillRequest {
    /// `all`, `scope`, `category`, `site`, `source`, `month`, `gas`
    pub by: String,
    pub key: String,
    /// Scope 2 market-based instead of location-based.
    pub market: bool,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ChartSvg {
    pub title: String,
    pub svg: String,
}

/// The inventory's results, as the Results screen shows them.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ResultsDto {
    pub year: i32,
    pub gwp: String,
    pub total_location: Figure,
    pub total_market: Figure,
    pub scope1: Figure,
    pub scope2_location: Figure,
    pub scope2_market: Figure,
    pub scope3: Figure,
    pub categories: Vec<Figure>,
    pub sites: Vec<Figure>,
    pub sources: Vec<Figure>,
    pub months: Vec<Figure>,
    pub gases: Vec<Figure>,
    pub charts: Vec<ChartSvg>,
    pub issues: Vec<IssueDto>,
    pub records_read: u64,
    pub fingerprint: String,
    pub audit_head: String,
}

/// A record's share of a figure, with the factor that made it.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct DrillLine {
    pub record: i64,
    pub version: u32,
    pub source: String,
    pub from: String,
    pub to: String,
    pub quantity: String,
    pub unit: String,
    pub tco2e: String,
    pub factor: String,
    pub factor_citation: String,
    pub factor_verified: bool,
    pub evidence: Option<String>,
    pub origin: Option<String>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct DrillResult {
    pub title: String,
    pub tco2e: String,
    /// Lines shown (the first 2,000 by emissions); `total_lines` says how many there are.
    pub lines: Vec<DrillLine>,
    pub total_lines: u64,
    pub factors: Vec<FactorDto>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AuditEntryDto {
    pub seq: i64,
    pub at: String,
    pub action: String,
    pub entity: String,
    pub summary: String,
    pub hash: String,
    /// What set the entry's time when it was not the computer's clock (`LINGTAN_NOW`).
    pub clock: Option<String>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct VerifyDto {
    pub ok: bool,
    pub entries: u64,
    pub head: String,
    pub findings: Vec<String>,
}

/// One readiness check for the steps after the inventory.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ReadinessCheck {
    pub key: String,
    pub label: String,
    pub ok: bool,
    pub detail: String,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Readiness {
    pub checks: Vec<ReadinessCheck>,
    pub ready: u32,
    pub of: u32,
}

/// Export the report: either file may be left out.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ExportRequest {
    pub pdf: Option<String>,
    pub xlsx: Option<String>,
    /// `zh`, `en` or `zh+en`
    pub lang: String,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ExportResult {
    pub files: Vec<String>,
    pub warnings: Vec<String>,
}

/// What a native file dialog is for.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct DialogRequest {
    /// `open-project`, `save-project`, `import`, `evidence`, `save-pdf`, `save-xlsx`
    pub purpose: String,
    /// A suggested file name for save dialogs.
    pub suggested: Option<String>,
}

// ------------------------------------------------------------------------------ reduction

/// An output record (the denominators of intensity targets).
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct OutputDto {
    pub id: i64,
    pub metric: String,
    pub year: i32,
    /// 1–12, or none for the whole year.
    pub month: Option<u32>,
    pub quantity: String,
    pub unit: String,
    pub site: Option<String>,
}

/// Record output: as typed.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct OutputInput {
    pub metric: String,
    pub year: String,
    /// `YYYY-MM`, or empty for the whole year.
    pub month: Option<String>,
    pub quantity: String,
    pub unit: String,
    pub site: Option<String>,
}

/// Set a target: as typed (either `reduction` or `pathway`).
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TargetInput {
    pub name: String,
    /// `1+2`, `1+2+3`, `3`
    pub scopes: String,
    pub base_year: String,
    pub target_year: String,
    /// Per cent.
    pub reduction: Option<String>,
    /// `sbti-1.5c`, `sbti-wb2c`
    pub pathway: Option<String>,
    /// An output metric: an intensity target.
    pub metric: Option<String>,
    /// `market` (default) or `location`.
    pub scope2: Option<String>,
}

/// One input of a measure, by its name in the kind's catalogue (`kwp`, `yield` …).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct NamedValue {
    pub name: String,
    pub value: String,
}

/// Add a measure, change one (`set`), or preview either: as typed. On a change, what is null
/// or empty stays as it was.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct MeasureInput {
    pub name: String,
    pub kind: Option<String>,
    pub inputs: Vec<NamedValue>,
    /// `SOURCE=QTY UNIT` per year.
    pub changes: Vec<String>,
    pub electricity_source: Option<String>,
    pub fuel_source: Option<String>,
    pub new_source: Option<String>,
    pub refrigerant_source: Option<String>,
    pub capex: Option<String>,
    pub opex: Option<String>,
    pub lifetime: Option<String>,
    /// `YYYY-MM`
    pub start: Option<String>,
    /// `idea`, `planned`, `approved`, `in-progress`, `done`
    pub status: Option<String>,
    pub meter: Option<String>,
    pub reason: Option<String>,
}

/// One engineering input of a kind of measure.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct MeasureInputSpec {
    pub name: String,
    pub unit: String,
    pub label: String,
    pub required: bool,
    /// `number`, `count`, `percent`, `text`
    pub kind: String,
}

/// A kind of measure from the catalogue: its inputs and the sources its formula changes.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct MeasureKindDto {
    pub code: String,
    pub label: String,
    pub inputs: Vec<MeasureInputSpec>,
    /// The sources the formula changes (`electricity`, `fuel`, `new-energy`, `refrigerant`), each
    /// with the project's sources that can play it.
    pub roles: Vec<MeasureRoleDto>,
    pub default_lifetime: u32,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct MeasureRoleDto {
    pub role: String,
    /// The field of [`MeasureInput`] that names its source (`electricitySource` …).
    pub field: String,
    pub label: String,
    pub sources: Vec<String>,
}

/// What the Measures screen's form offers: the kinds, the statuses, the project's sources.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct MeasureChoices {
    pub kinds: Vec<MeasureKindDto>,
    pub statuses: Vec<Choice>,
    /// Every source (for a direct change), with its unit.
    pub sources: Vec<Choice>,
    /// The onsite-generation sources that can meter a measure.
    pub meters: Vec<String>,
}

/// A measure with what was computed for it (tonnes to 3 decimals, CNY to 2).
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct MeasureDto {
    pub name: String,
    pub kind: String,
    pub kind_label: String,
    pub status: String,
    pub status_label: String,
    pub start: Option<String>,
    pub meter: Option<String>,
    pub inputs: Vec<NamedValue>,
    /// The kind's formula with the inputs filled in.
    pub formula: Option<String>,
    /// The annual changes to the sources, as text (`Grid power: −120,000 kWh`).
    pub changes: Vec<String>,
    pub abatement_tco2e: Option<String>,
    pub capex: String,
    pub opex: String,
    pub savings: Option<String>,
    pub lifetime: u32,
    pub lifetime_is_default: bool,
    pub crf: String,
    pub annualised_cost: Option<String>,
    pub mac: Option<String>,
    /// Why the MAC is missing.
    pub no_mac: Option<String>,
    pub npv: Option<String>,
    pub payback_years: Option<String>,
    /// Planned measures: t a year on the first target's scopes and basis (its plan).
    pub planned_tco2e: Option<String>,
    pub achieved_tco2e: Option<String>,
    pub achieved_method: Option<String>,
    /// The measure's place on the MACC (1 = cheapest), if it is on it.
    pub macc_rank: Option<u32>,
    /// What could not be computed, and why (in the chosen language).
    pub notes: Vec<String>,
}

/// One year of a target's trajectory.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TrajectoryYearDto {
    pub year: i32,
    pub allowed_tco2e: Option<String>,
    pub actual_tco2e: Option<String>,
    /// With the planned measures.
    pub projected_tco2e: Option<String>,
    /// `on-track`, `off-track`, `no-data`
    pub status: String,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TargetDto {
    pub name: String,
    pub scopes: String,
    /// `absolute` or `intensity`
    pub kind: String,
    pub metric: Option<String>,
    pub pathway: Option<String>,
    pub base_year: i32,
    pub target_year: i32,
    pub base_tco2e: String,
    pub target_tco2e: Option<String>,
    pub reduction_pct: String,
    /// The reporting year's: `on-track`, `off-track`, `no-data`
    pub status: String,
    pub status_label: String,
    pub gap_tco2e: Option<String>,
    pub planned_tco2e: Option<String>,
    pub projected_tco2e: Option<String>,
    /// The base year's emissions changed since the target was set (the message).
    pub base_changed: Option<String>,
    pub trajectory: Vec<TrajectoryYearDto>,
    /// Allowed, actual and planned: the report's chart.
    pub chart: Option<ChartSvg>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct EffectsDto {
    pub source: String,
    pub change_tco2e: String,
    pub volume_tco2e: Option<String>,
    pub intensity_tco2e: Option<String>,
    pub activity_tco2e: Option<String>,
    pub factor_tco2e: String,
}

/// What changed between the base year and the reporting year, and why (LMDI).
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct DecompositionDto {
    pub from_year: i32,
    pub to_year: i32,
    pub from_tco2e: Option<String>,
    pub to_tco2e: Option<String>,
    /// The whole change, then one line per source.
    pub total: EffectsDto,
    pub sources: Vec<EffectsDto>,
    /// How it was split (production-normalised, or without output data).
    pub method: String,
}

/// The Reduction step for a year, on a basis.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ReductionDto {
    pub year: i32,
    /// `market` or `location`
    pub basis: String,
    pub base_year: Option<i32>,
    /// Per cent.
    pub discount_rate: String,
    pub carbon_price: Option<String>,
    pub targets: Vec<TargetDto>,
    pub measures: Vec<MeasureDto>,
    /// Measure names in MACC order.
    pub macc: Vec<String>,
    /// The MACC: each bar is a `rect` with `data-measure` (its name).
    pub macc_chart: Option<ChartSvg>,
    pub decomposition: Option<DecompositionDto>,
    pub waterfall: Option<ChartSvg>,
    /// What the step is missing.
    pub readiness: Readiness,
    pub issues: Vec<IssueDto>,
}

/// An energy price the step uses.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PriceDto {
    pub source: String,
    pub cny: String,
    pub per: String,
    /// Where it comes from (set on the project, or the bills of a year).
    pub origin: String,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ReductionSettingsDto {
    /// Per cent; null: the default 8 %.
    pub discount_rate: Option<String>,
    pub carbon_price: Option<String>,
    pub prices: Vec<PriceDto>,
}

/// Change the step's settings: null stays, empty clears. `prices`: `SOURCE=PRICE/UNIT`.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ReductionSettingsInput {
    pub discount_rate: Option<String>,
    pub carbon_price: Option<String>,
    pub prices: Vec<String>,
}

// ---------------------------------------------------------------------------------- offset

/// A check on a certificate or a block of credits: `excludes` (✗) leaves it out of the figures.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct OffsetCheckDto {
    pub code: String,
    /// `error`, `warning`, `info`
    pub severity: String,
    pub excludes: bool,
    pub message: String,
}

/// An energy attribute certificate as the Certificates table lists it.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct EacDto {
    /// The record's number: what retire and void take.
    pub record: i64,
    /// `gec`, `green-power`, `i-rec`, `go`, `rec`, `other`
    pub kind: String,
    /// The registry's id of the certificate.
    pub id: String,
    pub mwh: String,
    /// Generation months, `YYYY-MM`.
    pub from: String,
    pub to: String,
    /// Sites it may cover (empty: every site).
    pub sites: Vec<String>,
    pub technology: Option<String>,
    pub plant: Option<String>,
    pub region: Option<String>,
    /// `held`, `retired`, `void`
    pub status: String,
    pub status_label: String,
    pub retired: Option<String>,
    pub beneficiary: Option<String>,
    /// The year whose consumption it is claimed for.
    pub claim_year: i32,
    pub void_reason: Option<String>,
    /// The file name of the retirement statement attached, if any.
    pub statement: Option<String>,
    pub checks: Vec<OffsetCheckDto>,
    /// Left out of the market-based scope 2 by a ✗ check.
    pub excluded: bool,
}

/// The certificate form.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct EacInput {
    #[serde(rename = "type")]
    pub kind: String,
    pub id: String,
    pub mwh: String,
    pub from: String,
    pub to: String,
    pub sites: Vec<String>,
    pub technology: Option<String>,
    pub plant: Option<String>,
    pub region: Option<String>,
    /// `yes`, `no` or empty.
    pub tradable: Option<String>,
    pub subsidy: Option<String>,
    /// Retired already: the date and the beneficiary.
    pub retired: Option<String>,
    pub beneficiary: Option<String>,
    /// The certificate (or its retirement statement) to attach.
    pub evidence: Option<String>,
}

/// Retire a certificate, or a block of credits (whole, or `quantity` of it).
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RetireInput {
    /// The record's or block's number.
    pub id: i64,
    pub date: String,
    pub beneficiary: String,
    /// Credits only: the year they are retired for.
    pub for_year: Option<String>,
    /// Credits only: part of the block (whole tonnes); empty: all of it.
    pub quantity: Option<String>,
    pub reason: Option<String>,
    /// The registry's retirement statement.
    pub evidence: Option<String>,
}

/// A platform export of certificates, read (a dry run) or imported.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct EacImportDto {
    pub file: String,
    /// The platform recognised, in the chosen language.
    pub platform: Option<String>,
    pub accepted: u32,
    pub rejected: u32,
    pub mwh: String,
    /// Certificates read: where, id, MWh, month.
    pub certificates: Vec<EacImportLine>,
    pub issues: Vec<IssueDto>,
    /// The batch written; none on a preview or a refusal.
    pub batch: Option<i64>,
    pub dry_run: bool,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct EacImportLine {
    /// `sheet!A5`
    pub origin: String,
    pub id: String,
    pub mwh: String,
    pub month: String,
}

/// A block of carbon credits as the Credits table lists it.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CreditDto {
    /// The block's number: what retire and void take.
    pub id: i64,
    pub registry: String,
    pub registry_label: String,
    pub serial: String,
    pub first: Option<String>,
    pub last: Option<String>,
    pub quantity: String,
    pub project_id: Option<String>,
    pub project: Option<String>,
    pub vintage: Option<String>,
    pub country: Option<String>,
    /// `avoidance`, `removal` or none.
    pub kind: Option<String>,
    /// `held`, `retired`, `void`
    pub status: String,
    pub status_label: String,
    pub retired: Option<String>,
    pub beneficiary: Option<String>,
    pub for_year: Option<i32>,
    pub void_reason: Option<String>,
    /// Split from this block by a partial retirement.
    pub parent: Option<i64>,
    pub statement: Option<String>,
    pub checks: Vec<OffsetCheckDto>,
    /// Left out of the coverage by a ✗ check.
    pub excluded: bool,
}

/// The credit form.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CreditInput {
    pub registry: String,
    pub serial: String,
    pub quantity: Option<String>,
    pub project_id: Option<String>,
    pub project_name: Option<String>,
    pub methodology: Option<String>,
    /// `avoidance`, `removal` or empty.
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub vintage: Option<String>,
    pub country: Option<String>,
    pub evidence: Option<String>,
}

/// A serial read by its registry's grammar, without saving anything.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SerialPreview {
    pub registry: String,
    /// The grammar it was read by (`verra`, `gold-standard`, `cdm-range`, `verbatim` …).
    pub reading: String,
    pub first: Option<String>,
    pub last: Option<String>,
    pub quantity: String,
    pub project_id: Option<String>,
    pub vintage: Option<String>,
    pub country: Option<String>,
    /// Every other field the serial holds, by name.
    pub fields: Vec<NamedValue>,
    /// What the reading notes (a serial kept verbatim, a value not checkable).
    pub notes: Vec<String>,
}

/// The serial's reading, or where and why it stops making sense.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SerialReading {
    pub parsed: Option<SerialPreview>,
    pub refusal: Option<SerialRefusal>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SerialRefusal {
    pub code: String,
    /// The form field it concerns (`serial`, `quantity`, `projectId`, `vintage` …).
    pub field: Option<String>,
    /// The character (0-based) of the serial where it stops making sense.
    pub position: Option<u32>,
    pub message: String,
}

/// A figure of the Coverage screen with its formula.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct OffsetFigureDto {
    /// `residual_tco2e`, `coverage_pct`, `green_power_pct` …
    pub key: String,
    pub value: Option<String>,
    /// `tCO2e` or `%`
    pub unit: String,
    pub formula: String,
    /// The numbers that went in: name = value.
    pub inputs: Vec<NamedValue>,
}

/// The Offset step for a year: the certificates, the credits, the coverage and the shares.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct OffsetDto {
    pub year: i32,
    /// `1+2` or `1+2+3`
    pub scopes: String,
    pub residual_tco2e: String,
    pub scope2_market_before_eac_tco2e: String,
    pub scope2_market_tco2e: String,
    pub mwh_retired: String,
    pub mwh_used: String,
    pub mwh_unused: String,
    pub kwh_covered: String,
    pub credits_retired_tco2e: String,
    pub credits_counted_tco2e: String,
    pub removal_tco2e: String,
    pub avoidance_tco2e: String,
    pub coverage_pct: Option<String>,
    pub shortfall_tco2e: String,
    pub renewable_energy_pct: Option<String>,
    pub green_power_pct: Option<String>,
    pub green_power_reduction_tco2e: Option<String>,
    pub credit_offset_pct: Option<String>,
    pub total_energy_tce: Option<String>,
    pub total_energy_gj: Option<String>,
    /// Every figure's formula, in the order the summary states them.
    pub figures: Vec<OffsetFigureDto>,
    /// Scope 1 + 2 before certificates → certificates → residual → credits → what is left.
    pub chart: Option<ChartSvg>,
    pub readiness: Readiness,
    pub issues: Vec<IssueDto>,
}

// --------------------------------------------------------------------------- certification

/// The claim asked for: a framework (`iso14068-1`, `pas2060`, `zcf-i`, `zcf-ii`, optionally
/// `:EDITION`) and a period, a calendar year (the project's by default) or its first and last day.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ClaimRequest {
    pub framework: String,
    /// A calendar year as typed; ignored when `from` and `to` are given.
    pub year: Option<String>,
    /// `YYYY-MM-DD`, with `to`.
    pub from: Option<String>,
    /// `YYYY-MM-DD`, with `from`.
    pub to: Option<String>,
}

/// What a check concerns: its kind (`activity`, `credit`, `target`, `setting` …), its id in the
/// project where it has one, and a label a person recognises.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ClaimPlaceDto {
    pub kind: String,
    pub id: Option<i64>,
    pub label: String,
}

/// One check of a framework on the claim.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ClaimCheckDto {
    pub code: String,
    pub title: String,
    /// The clause, or the step's name where its number was not confirmed.
    pub clause: String,
    pub confirmed: bool,
    /// `pass`, `warn` or `fail`.
    pub status: String,
    pub found: String,
    /// What to do; none when the check passes.
    pub todo: Option<String>,
    pub places: Vec<ClaimPlaceDto>,
    pub note: Option<String>,
}

/// The claim: the headline figures (tCO2e as decimal text, 3 decimals; coverage 2) and every
/// check.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ClaimDto {
    pub framework: String,
    pub edition: String,
    /// `ISO 14068-1:2023` …
    pub designation: String,
    pub title: String,
    pub from: String,
    pub to: String,
    pub days: i64,
    pub subject_tco2e: String,
    pub reductions_tco2e: Option<String>,
    pub eac_tco2e: String,
    pub credits_tco2e: String,
    pub coverage_pct: Option<String>,
    /// No check fails.
    pub ready: bool,
    pub checks: Vec<ClaimCheckDto>,
    /// The pack's notes (a withdrawn standard, a conflict between sources), with their source.
    pub notes: Vec<String>,
}

/// What a framework's documents need beyond the data, as stored (read) or as typed (written:
/// `None` keeps what is stored, an empty text clears it).
#[derive(Debug, Clone, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ClaimSettingsDto {
    pub framework: String,
    /// `YYYY-MM-DD`
    pub statement_date: Option<String>,
    /// `third-party`, `other-party` or `self`
    pub verification: Option<String>,
    pub verifier: Option<String>,
    pub senior: Option<String>,
    pub commitment_year: Option<String>,
    pub subject: Option<String>,
    pub published_at: Option<String>,
    /// `YYYY-MM-DD`
    pub plan_reviewed: Option<String>,
    /// `yes` or `no` (`None`: yes by default)
    pub first_period: Option<String>,
    /// 3, 4, 5 or 6
    pub star_level: Option<String>,
    /// Why the subject was chosen (PAS 2060's QES).
    pub subject_rationale: Option<String>,
    /// The activities carried out in the subject (PAS 2060's QES).
    pub activities: Option<String>,
}

/// A source of the period and its place in the claim's subject.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SubjectSourceDto {
    pub source_id: Option<i64>,
    /// `site / source`, as the checks name it.
    pub label: String,
    pub scope: u8,
    /// ISO 14064-1 category.
    pub category: u8,
    /// tCO2e (scope 2 market-based), 3 decimals.
    pub tco2e: String,
    /// Share of the footprint, per cent, 2 decimals (none when the footprint is not positive).
    pub share_pct: Option<String>,
    pub in_subject: bool,
    /// The user's decision in force: `include` or `exclude` (none: the framework's default).
    pub decision: Option<String>,
    /// Why it is excluded, as written.
    pub reason: Option<String>,
}

/// The claim's subject for a framework and a period: every source with its share and its place.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ClaimSubjectDto {
    pub framework: String,
    pub subject_tco2e: String,
    pub footprint_tco2e: String,
    pub subject_share_pct: Option<String>,
    pub sources: Vec<SubjectSourceDto>,
}

/// A subject decision: `include`, `exclude` (with its reason) or `clear`, for a source (by its
/// label or name) of the claim asked for.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ClaimSubjectChange {
    pub claim: ClaimRequest,
    pub source: String,
    pub decision: String,
    pub reason: Option<String>,
}

/// The claim's documents as the report renders them (the management plan, the statement, QES or
/// self-evaluation), DRAFT while a check fails or an element of the QES is missing.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ClaimDocumentsDto {
    /// The documents are final: every check passes and no element of the QES is missing.
    pub ready: bool,
    /// Why the documents are a draft: each failing check, with what to do, then each missing
    /// element of the QES.
    pub draft_reasons: Vec<String>,
    /// The documents' text, as the report writes it (what `lingtan claim --documents` prints).
    pub text: String,
    /// The documents as the report's model holds them, for the screen to lay out: headings,
    /// paragraphs, label–value fields and tables as data (a table as cells, never padded text,
    /// whose columns cannot line up with Chinese characters in a proportional face).
    pub blocks: Vec<DocBlockDto>,
}

/// One block of a document: `kind` is `cover` (`text` the title, `lines`), `heading` (`level`,
/// `text`), `paragraph` (`text`), `fields` (`fields`) or `table` (`columns`, `rows`, `total`).
#[derive(Debug, Clone, Default, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct DocBlockDto {
    pub kind: String,
    pub level: Option<u8>,
    pub text: Option<String>,
    pub lines: Vec<String>,
    pub fields: Vec<DocFieldDto>,
    pub columns: Vec<DocColumnDto>,
    pub rows: Vec<Vec<String>>,
    /// The last row is a total.
    pub total: bool,
}

/// A label and its value.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct DocFieldDto {
    pub label: String,
    pub value: String,
}

/// A table's column: its title, whether its cells are figures (right-aligned), and its share of
/// the table's width in per cent (the report's relative widths, as the PDF lays them out).
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct DocColumnDto {
    pub title: String,
    pub right: bool,
    pub width_pct: u32,
}

/// Make the certifier's dossier of a claim in `dir` (new, or empty).
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct DossierRequest {
    pub claim: ClaimRequest,
    pub dir: String,
    /// `zh`, `en` or `zh+en`: the documents' language.
    pub lang: String,
}

/// A file of a dossier.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct DossierFileDto {
    pub path: String,
    pub bytes: u64,
}

/// The dossier written: its folder, the manifest's files and root hash.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct DossierDto {
    pub dir: String,
    pub root: String,
    pub files: Vec<DossierFileDto>,
    pub warnings: Vec<String>,
}

/// A difference `dossier verify` found.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct DossierDifferenceDto {
    /// `added`, `missing`, `changed`, `manifest`, `snapshot`, `audit`, `figure`
    pub kind: String,
    pub kind_label: String,
    /// The file's path, the figure's name, or the audit finding's place.
    pub what: String,
    pub expected: Option<String>,
    pub found: Option<String>,
    pub message: String,
}

/// The result of verifying a dossier folder.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct DossierCheckDto {
    pub ok: bool,
    pub dir: String,
    pub framework: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub root: Option<String>,
    pub files_checked: u32,
    pub figures_checked: u32,
    pub audit_entries: Option<u32>,
    pub differences: Vec<DossierDifferenceDto>,
}
