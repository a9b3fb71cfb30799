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
    pub records: u64,
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
