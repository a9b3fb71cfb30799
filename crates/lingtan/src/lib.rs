//! lingtan: the workbench API that the `lingtan` command and the desktop app both call.
//!
//! It turns what a person typed (names, dates, decimals, unit spellings) into checked domain
//! values, refuses bad input with a message that names the field and the value (in English and
//! Chinese) before anything is written, and orchestrates the store and the calculation. It holds
//! no SQL (that is lingtan-store) and no formulas (that is lingtan-core).

pub mod files;
pub mod import;
pub mod json;
pub mod library;
pub mod limits;
pub mod offset;

use chrono::NaiveDate;
use limits::Field;
use lingtan_core::calc::{Catalog, Context, Inventory, InventoryBuilder};
use lingtan_core::factor::{EmissionFactor, FactorCategory, FuelProperty, Origin};
use lingtan_core::gas::Substance;
use lingtan_core::source::{parse_fuel, parse_grid_region, GRID_REGIONS};
use lingtan_core::text::closest;
use lingtan_core::{
    Boundary, Decimal, GwpSet, Issue, Lang, Severity, Site, Source, SourceKind, Unit,
};
pub use lingtan_store::{
    ActivityRow, AuditEntry, Batch, Evidence, Finding, ProjectInfo, Status, Verification,
    SCHEMA_VERSION,
};
use lingtan_store::{NewActivity, Store, StoreError};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use offset::{
    CreditEntry, CreditRecord, CreditRetirement, EacEntry, EacImportOptions, EacImportReport,
    EacRecord, OffsetReport,
};

/// Where timestamps come from (RFC 3339 UTC). Passed in so that logic never reads the clock.
pub type Clock = Arc<dyn Fn() -> String + Send + Sync>;

/// The variable that fixes the clock (tests, reproducible files). While it is set, every audit
/// entry written records that its time came from it, not from the computer's clock.
pub const FIXED_CLOCK: &str = "LINGTAN_NOW";

/// The time `LINGTAN_NOW` fixes, normalised to RFC 3339 UTC: `None` when it is not set (or
/// empty); a refusal naming the variable when it is not a valid RFC 3339 time.
pub fn fixed_time() -> Result<Option<String>> {
    let refuse = |shown: &str| {
        Error::new(
            "BAD_CLOCK",
            FIXED_CLOCK.to_string(),
            format!("{FIXED_CLOCK}='{shown}' is not a valid RFC 3339 time (e.g. 2025-03-15T09:00:00Z); fix or unset the variable — it sets the time of everything recorded"),
            format!("{FIXED_CLOCK}=“{shown}”不是有效的 RFC 3339 时间（如 2025-03-15T09:00:00Z）；请修正或删除该变量——它决定所有记录的时间"),
        )
    };
    let text = match std::env::var(FIXED_CLOCK) {
        Err(std::env::VarError::NotPresent) => return Ok(None),
        Err(std::env::VarError::NotUnicode(v)) => return Err(refuse(&v.to_string_lossy())),
        Ok(t) if t.trim().is_empty() => return Ok(None),
        Ok(t) => t,
    };
    let shown: String = text.chars().take(60).collect();
    let parsed = chrono::DateTime::parse_from_rfc3339(text.trim()).map_err(|_| refuse(&shown))?;
    Ok(Some(
        parsed
            .with_timezone(&chrono::Utc)
            .to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true),
    ))
}

/// The computer's clock, or the time `LINGTAN_NOW` fixes (checked first: an invalid value is a
/// refusal naming the variable). The command line and the desktop app both use it.
pub fn clock_from_env() -> Result<Clock> {
    Ok(match fixed_time()? {
        Some(fixed) => Arc::new(move || fixed.clone()),
        None => Arc::new(|| {
            let secs = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs() as i64)
                .unwrap_or(0);
            chrono::DateTime::from_timestamp(secs, 0)
                .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
                .unwrap_or_default()
        }),
    })
}

/// What the audit entries written now record about their time: `LINGTAN_NOW` while it fixes the
/// clock, nothing while the computer's clock is used.
fn clock_note() -> Result<Option<&'static str>> {
    Ok(fixed_time()?.map(|_| FIXED_CLOCK))
}

/// A refusal: a stable code, the field it concerns, and the message in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Error {
    pub code: &'static str,
    pub field: Option<String>,
    pub en: String,
    pub zh: String,
}

impl Error {
    pub fn new(
        code: &'static str,
        field: impl Into<Option<String>>,
        en: impl Into<String>,
        zh: impl Into<String>,
    ) -> Error {
        Error {
            code,
            field: field.into(),
            en: en.into(),
            zh: zh.into(),
        }
    }

    pub fn message(&self, lang: Lang) -> &str {
        lang.pick(&self.en, &self.zh)
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.en)
    }
}

impl std::error::Error for Error {}

impl From<StoreError> for Error {
    fn from(e: StoreError) -> Error {
        Error {
            code: e.code(),
            field: None,
            zh: e.message_zh(),
            en: e.to_string(),
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

fn names_hint(names: &[String]) -> (String, String) {
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

/// The largest quantity one record may hold (10^15 of its unit). Far above any real bill, and low
/// enough that sums of a million such records times any factor stay inside a `Decimal`.
pub const MAX_QUANTITY: i64 = 1_000_000_000_000_000;

/// Parse a decimal as typed; names the field and value on failure.
pub fn parse_decimal(field: &str, text: &str) -> Result<Decimal> {
    // the one grammar of the program (lingtan_core::number): a sign, digits, one decimal point,
    // commas only between thousands; anything else refused with the value and the reason
    lingtan_core::number::parse(text, lingtan_core::number::Sign::Signed).map_err(|e| {
        Error::new(
            "BAD_DECIMAL",
            field.to_string(),
            format!("{field}: '{text}' is not a decimal number: {}", e.en()),
            format!("{field}：“{text}”不是有效的数字：{}", e.zh()),
        )
    })
}

/// Whether two names are the same to a reader: equal after NFKC (full-width and half-width
/// forms, ligatures and the like fold together) and in lower case. Two sites or two sources may
/// not be named so: a person could not tell them apart in a list or a report.
fn same_name(a: &str, b: &str) -> bool {
    use unicode_normalization::UnicodeNormalization;
    let key = |s: &str| s.nfkc().collect::<String>().to_lowercase();
    a == b || key(a) == key(b)
}

/// A new site or source named like an existing one: the same name, or one differing only in
/// letter case or character width — refused, suggesting the existing one.
fn duplicate(what: &str, what_zh: &str, existing: &str, name: &str) -> Error {
    if existing == name {
        return Error::new(
            "DUPLICATE",
            "name".to_string(),
            format!("{what} '{name}' already exists"),
            format!("{what_zh}“{name}”已存在"),
        );
    }
    Error::new(
        "DUPLICATE",
        "name".to_string(),
        format!("{what} '{name}' differs from the existing '{existing}' only in letter case or character width (全角/半角), so the two could not be told apart; use '{existing}', or a name that differs in more than that"),
        format!("{what_zh}“{name}”与已有的“{existing}”仅大小写或全角/半角不同，二者无法区分；请使用“{existing}”，或取一个有实质区别的名称"),
    )
}

/// Parse a YYYY-MM-DD date; names the field and value on failure.
pub fn parse_date(field: &str, text: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| {
        Error::new(
            "BAD_DATE",
            field.to_string(),
            format!("{field}: '{text}' is not a date; write YYYY-MM-DD, e.g. 2024-01-31"),
            format!("{field}：“{text}”不是有效日期；请写成 YYYY-MM-DD，如 2024-01-31"),
        )
    })
}

/// Parse a unit as typed; names the field and value and suggests close units on failure.
pub fn parse_unit(field: &str, text: &str) -> Result<Unit> {
    Unit::parse(text).map_err(|e| {
        Error::new(
            "UNKNOWN_UNIT",
            field.to_string(),
            format!("{field}: {e}"),
            format!("{field}：{}", e.message_zh()),
        )
    })
}

fn parse_pct(field: &str, text: &str) -> Result<Decimal> {
    let value = parse_decimal(field, text.trim().trim_end_matches('%'))?;
    if value.is_sign_negative() || value > Decimal::from(1000) {
        return Err(Error::new(
            "BAD_PERCENT",
            field.to_string(),
            format!("{field}: '{text}' must be a percentage between 0 and 1000"),
            format!("{field}：“{text}”须为 0 到 1000 之间的百分数"),
        ));
    }
    Ok(value)
}

/// What `lingtan new` asks for.
#[derive(Debug, Clone, Default)]
pub struct NewProject {
    pub org: String,
    pub org_zh: Option<String>,
    pub year: i32,
    pub base_year: Option<i32>,
    pub gwp: Option<String>,
    pub boundary: Option<String>,
}

/// A source as typed.
#[derive(Debug, Clone, Default)]
pub struct SourceEntry {
    pub name: String,
    pub site: String,
    pub kind: String,
    pub fuel: Option<String>,
    pub factor: Option<String>,
    pub market_factor: Option<String>,
    pub unit: Option<String>,
    pub uncertainty: Option<String>,
}

/// An activity record as typed.
#[derive(Debug, Clone, Default)]
pub struct ActivityEntry {
    pub source: String,
    pub from: String,
    pub to: String,
    pub qty: String,
    pub unit: String,
    pub note: Option<String>,
    pub evidence: Option<PathBuf>,
    pub reason: Option<String>,
    /// Record it even when it overlaps another record of the same source.
    pub allow_overlap: bool,
}

/// A user factor as typed (kg of gas per one unit of activity).
#[derive(Debug, Clone, Default)]
pub struct FactorEntry {
    pub id: String,
    pub unit: String,
    pub co2: Option<String>,
    pub ch4: Option<String>,
    pub n2o: Option<String>,
    pub gases: Vec<(String, String)>,
    pub co2e: Option<String>,
    pub citation: String,
    pub name: Option<String>,
    pub dataset: Option<String>,
    pub region: Option<String>,
    pub year: Option<i32>,
    pub uncertainty: Option<String>,
}

/// An inventory with what a certifier needs to tie it to the data.
#[derive(Debug, Clone, Serialize)]
pub struct InventoryReport {
    pub inventory: Inventory,
    pub org_name: String,
    /// SHA-256 of the settings, sites, sources, factors and current records it was computed from.
    pub fingerprint: String,
    /// The audit chain head at the time.
    pub audit_head: String,
    pub records_read: u64,
}

/// An open project.
pub struct Project {
    store: Store,
    clock: Clock,
}

/// How a project is opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// To change it: an older file is upgraded in place (logged).
    Write,
    /// Only to read it: the file is opened read-only and its bytes stay as they are.
    Read,
    /// To verify it: read-only, and a schema changed outside Lingtan is reported by `verify`
    /// instead of refused.
    Verify,
}

impl Project {
    /// Create a project file, loading the factor library into it.
    pub fn create(path: &Path, new: &NewProject, clock: Clock) -> Result<Project> {
        if new.org.trim().is_empty() {
            return Err(Error::new(
                "MISSING_FIELD",
                "org".to_string(),
                "--org: the organisation's name is required",
                "--org：必须填写组织名称",
            ));
        }
        let org = limits::name(Field::new("org", "--org", "--org"), &new.org)?;
        let org_zh = limits::optional_name(
            Field::new("org-zh", "--org-zh", "--org-zh"),
            new.org_zh.as_deref(),
        )?;
        check_year("year", new.year)?;
        if let Some(base) = new.base_year {
            check_year("base-year", base)?;
            if base > new.year {
                return Err(Error::new(
                    "BAD_YEAR",
                    "base-year".to_string(),
                    format!(
                        "--base-year {base} is after the inventory year {}",
                        new.year
                    ),
                    format!("--base-year {base} 晚于盘查年份 {}", new.year),
                ));
            }
        }
        let gwp = match &new.gwp {
            None => GwpSet::AR6,
            Some(text) => GwpSet::parse(text).ok_or_else(|| {
                Error::new(
                    "BAD_GWP",
                    "gwp".to_string(),
                    format!("--gwp '{text}': choose AR6, AR5 or AR4"),
                    format!("--gwp “{text}”：请选择 AR6、AR5 或 AR4"),
                )
            })?,
        };
        let boundary = match &new.boundary {
            None => Boundary::OperationalControl,
            Some(text) => Boundary::parse(text).ok_or_else(|| {
                Error::new(
                    "BAD_BOUNDARY",
                    "boundary".to_string(),
                    format!("--boundary '{text}': choose operational-control, financial-control or equity-share"),
                    format!("--boundary “{text}”：请选择 operational-control（运营控制）、financial-control（财务控制）或 equity-share（股权比例）"),
                )
            })?,
        };
        let library = library::load().map_err(|e| Error::new("LIBRARY", None, e.clone(), e))?;
        let now = clock();
        let info = ProjectInfo {
            org_name: org,
            org_name_zh: org_zh,
            year: new.year,
            base_year: new.base_year,
            gwp,
            boundary,
            created_at: now.clone(),
            prepared_by: None,
            report_date: None,
        };
        // built in a new temporary file beside the target and moved into place by the one
        // writer: a failure leaves nothing behind, and nothing is ever overwritten
        let checked = files::check(
            &[files::Output::new(path, None, files::Replace::Never)],
            None,
            &[],
        )?;
        let note = clock_note()?;
        checked.write(vec![files::Fill::File(Box::new(|tmp: &Path| {
            let mut store = Store::create(tmp, &info, note)?;
            store.add_factors(&library.factors, &library.properties, "library-load", &now)?;
            Ok(())
        }))])?;
        Project::open(path, clock)
    }

    /// Open a project file to change it (checks it first; never modifies a file it refuses; an
    /// older file is upgraded in place and the upgrade logged).
    pub fn open(path: &Path, clock: Clock) -> Result<Project> {
        Project::open_for(path, clock, Access::Write)
    }

    /// Open a project file as `access` says: a command that only reads opens it read-only.
    pub fn open_for(path: &Path, clock: Clock, access: Access) -> Result<Project> {
        let note = clock_note()?;
        let store = match access {
            Access::Write => {
                let now = clock();
                Store::open(path, &now, note)?
            }
            Access::Read => Store::open_read_only(path)?,
            Access::Verify => Store::open_to_verify(path)?,
        };
        Ok(Project { store, clock })
    }

    /// The schema version the file was upgraded from when it was opened, if it was older: an
    /// opening to write upgrades the file; an opening to read reads an upgraded copy.
    pub fn upgraded_from(&self) -> Option<i64> {
        let v = self.store.opened_version();
        (v < lingtan_store::SCHEMA_VERSION).then_some(v)
    }

    fn now(&self) -> String {
        (self.clock)()
    }

    pub fn path(&self) -> &Path {
        self.store.path()
    }

    pub fn info(&self) -> Result<ProjectInfo> {
        Ok(self.store.project()?)
    }

    pub fn sites(&self) -> Result<Vec<Site>> {
        Ok(self.store.sites()?)
    }

    pub fn sources(&self) -> Result<Vec<Source>> {
        Ok(self.store.sources()?)
    }

    /// Set the base year (must not be after the inventory year), logged.
    pub fn set_base_year(&mut self, year: i32) -> Result<()> {
        check_year("base-year", year)?;
        let mut info = self.store.project()?;
        if year > info.year {
            return Err(Error::new(
                "BAD_YEAR",
                "base-year".to_string(),
                format!("base year {year} is after the inventory year {}", info.year),
                format!("基准年 {year} 晚于盘查年份 {}", info.year),
            ));
        }
        info.base_year = Some(year);
        let now = self.now();
        Ok(self.store.update_project(&info, &now)?)
    }

    /// Set who prepared the report and the date it carries (reports never take the date from
    /// the clock, so the same project always gives the same report), logged. An empty text
    /// clears the field.
    pub fn set_report_details(
        &mut self,
        prepared_by: Option<&str>,
        report_date: Option<&str>,
    ) -> Result<()> {
        let mut info = self.store.project()?;
        if let Some(by) = prepared_by {
            info.prepared_by = limits::optional_name(
                Field::new("prepared-by", "--prepared-by", "--prepared-by"),
                Some(by),
            )?;
        }
        if let Some(date) = report_date {
            let date = date.trim();
            info.report_date = if date.is_empty() {
                None
            } else {
                Some(parse_date("report-date", date)?.to_string())
            };
        }
        let now = self.now();
        Ok(self.store.update_project(&info, &now)?)
    }

    /// Add a site. `grid` accepts CN, CN-East, East, 华东 …
    pub fn add_site(
        &mut self,
        name: &str,
        grid: Option<&str>,
        address: Option<&str>,
    ) -> Result<Site> {
        let name = limits::name(Field::new("name", "site name", "场所名称"), name)?;
        let name = name.as_str();
        let address =
            limits::optional_text(Field::new("address", "--address", "--address"), address)?;
        let grid_region = grid
            .map(|g| {
                parse_grid_region(g).map(String::from).ok_or_else(|| {
                    let known: Vec<&str> = GRID_REGIONS.iter().map(|(c, _)| *c).collect();
                    Error::new(
                        "UNKNOWN_GRID_REGION",
                        "grid".to_string(),
                        format!("--grid '{g}': unknown grid region; use one of {} (华北, 东北, 华东, 华中, 西北, 南方, 西南 accepted)", known.join(", ")),
                        format!("--grid “{g}”：未知电网区域；可用 {}（也可写 华北、东北、华东、华中、西北、南方、西南）", known.join("、")),
                    )
                })
            })
            .transpose()?;
        if let Some(existing) = self.sites()?.iter().find(|s| same_name(&s.name, name)) {
            return Err(duplicate("site", "场所", &existing.name, name));
        }
        let site = Site {
            id: 0,
            name: name.to_string(),
            grid_region,
            address,
            equity_pct: None,
        };
        let now = self.now();
        Ok(self.store.add_site(&site, &now)?)
    }

    fn find_site(&self, name: &str) -> Result<Site> {
        let sites = self.sites()?;
        if let Some(site) = sites.iter().find(|s| s.name == name.trim()) {
            return Ok(site.clone());
        }
        let names: Vec<String> = sites.iter().map(|s| s.name.clone()).collect();
        let (en, zh) = names_hint(&closest(name, names.iter().map(String::as_str)));
        Err(Error::new(
            "UNKNOWN_SITE",
            "site".to_string(),
            format!(
                "--site '{name}': no such site{en}{}",
                if names.is_empty() {
                    "; add one with `lingtan site add`"
                } else {
                    ""
                }
            ),
            format!(
                "--site “{name}”：没有该场所{zh}{}",
                if names.is_empty() {
                    "；请先用 `lingtan site add` 添加"
                } else {
                    ""
                }
            ),
        ))
    }

    /// Find a source by name, suggesting the closest names when there is none.
    pub fn find_source(&self, name: &str) -> Result<Source> {
        let sources = self.sources()?;
        if let Some(source) = sources.iter().find(|s| s.name == name.trim()) {
            return Ok(source.clone());
        }
        let names: Vec<String> = sources.iter().map(|s| s.name.clone()).collect();
        let (en, zh) = names_hint(&closest(name, names.iter().map(String::as_str)));
        Err(Error::new(
            "UNKNOWN_SOURCE",
            "source".to_string(),
            format!("--source '{name}': no such emission source{en}"),
            format!("--source “{name}”：没有该排放源{zh}"),
        ))
    }

    fn catalog(&self) -> Result<Catalog> {
        Ok(Catalog::new(
            self.store.factors()?,
            self.store.properties()?,
        ))
    }

    /// Add an emission source, checking the kind, fuel, factor and unit fit together.
    pub fn add_source(&mut self, entry: &SourceEntry) -> Result<Source> {
        let name = limits::name(Field::new("name", "source name", "排放源名称"), &entry.name)?;
        let name = name.as_str();
        if let Some(existing) = self.sources()?.iter().find(|s| same_name(&s.name, name)) {
            return Err(duplicate("source", "排放源", &existing.name, name));
        }
        let site = self.find_site(&entry.site)?;
        let kind = SourceKind::parse(&entry.kind).ok_or_else(|| {
            Error::new(
                "UNKNOWN_KIND",
                "kind".to_string(),
                format!("--kind '{}': unknown kind; use stationary-combustion, mobile-combustion, process, fugitive, electricity, heat, steam, cooling or scope3-1 … scope3-15", entry.kind),
                format!("--kind “{}”：未知类型；可用 stationary-combustion（固定燃烧）、mobile-combustion（移动燃烧）、process（工艺）、fugitive（逸散）、electricity（电力）、heat（热力）、steam（蒸汽）、cooling（冷量）或 scope3-1 … scope3-15", entry.kind),
            )
        })?;
        let fuel = match (&entry.fuel, kind) {
            (None, _) => None,
            (Some(f), SourceKind::Fugitive) => Some(
                Substance::parse(f)
                    .map(|s| s.id().to_string())
                    .ok_or_else(|| Error::new("UNKNOWN_FUEL", "fuel".to_string(), format!("--fuel '{f}': unknown refrigerant or gas; use R-410A, R-404A, R-407C, R-507A, HFC-134a, HFC-32, R-22, SF6 …"), format!("--fuel “{f}”：未知制冷剂或气体；可用 R-410A、R-404A、R-407C、R-507A、HFC-134a、HFC-32、R-22、SF6 等")))?,
            ),
            (Some(f), _) => Some(
                parse_fuel(f).map(String::from).ok_or_else(|| {
                    let names: Vec<&str> = lingtan_core::source::FUELS.iter().map(|(id, _, _)| *id).collect();
                    let (en, zh) = names_hint(&closest(f, names.iter().copied()));
                    Error::new("UNKNOWN_FUEL", "fuel".to_string(), format!("--fuel '{f}': unknown fuel{en} (known: {})", names.join(", ")), format!("--fuel “{f}”：未知燃料{zh}（可用：{}）", names.join("、")))
                })?,
            ),
        };
        let catalog = self.catalog()?;
        for (flag, id) in [
            ("factor", &entry.factor),
            ("market-factor", &entry.market_factor),
        ] {
            if let Some(id) = id {
                if catalog.factor(id).is_none() {
                    let (en, zh) = names_hint(&closest(
                        id,
                        catalog.factors().iter().map(|f| f.id.as_str()),
                    ));
                    return Err(Error::new("UNKNOWN_FACTOR", flag.to_string(), format!("--{flag} '{id}': no such factor in the project{en}; see `lingtan factors`"), format!("--{flag} “{id}”：项目中没有该因子{zh}；可用 `lingtan factors` 查看")));
                }
            }
        }
        let unit = entry
            .unit
            .as_deref()
            .map(|u| parse_unit("unit", u))
            .transpose()?;
        let uncertainty_pct = entry
            .uncertainty
            .as_deref()
            .map(|u| parse_pct("uncertainty", u))
            .transpose()?;
        let source = Source {
            id: 0,
            name: name.to_string(),
            site_id: site.id,
            kind,
            fuel,
            factor_id: entry.factor.clone(),
            market_factor_id: entry.market_factor.clone(),
            unit,
            uncertainty_pct,
        };
        // the source's own unit must fit its factor
        if let Some(unit) = unit {
            self.check_unit(&source, &site, unit, &catalog, "--unit")?;
        }
        let now = self.now();
        Ok(self.store.add_source(&source, &now)?)
    }

    /// The site a source belongs to.
    fn site_of(&self, source: &Source) -> Result<Site> {
        self.sites()?
            .into_iter()
            .find(|s| s.id == source.site_id)
            .ok_or_else(|| {
                Error::new(
                    "UNKNOWN_SITE",
                    "site".to_string(),
                    "the source's site is missing",
                    "排放源所属场所缺失",
                )
            })
    }

    /// Whether records in `unit` can be computed for `source` (its factor, through a cited fuel
    /// property where needed); refuses with the field and the reason otherwise.
    fn check_unit(
        &self,
        source: &Source,
        site: &Site,
        unit: Unit,
        catalog: &Catalog,
        field: &str,
    ) -> Result<()> {
        let info = self.store.project()?;
        let sources = [source.clone()];
        let sites = [site.clone()];
        let ctx = Context {
            year: info.year,
            gwp: info.gwp,
            boundary: info.boundary,
            sites: &sites,
            sources: &sources,
            catalog,
        };
        let mut builder = InventoryBuilder::new(ctx);
        builder.check_unit(source.id, unit).map_err(|e| {
            Error::new(
                "UNIT_MISMATCH",
                field.trim_start_matches('-').to_string(),
                format!(
                    "{field} '{}': does not fit source '{}': {e}",
                    unit.code(),
                    source.name
                ),
                format!(
                    "{field} “{}”：与排放源“{}”不匹配：{}",
                    unit.code(),
                    source.name,
                    e.message_zh()
                ),
            )
        })
    }

    fn activity_from_entry(
        &self,
        entry: &ActivityEntry,
        correcting: Option<&ActivityRow>,
    ) -> Result<(Source, NewActivity)> {
        let source = self.find_source(&entry.source)?;
        let from = parse_date("from", &entry.from)?;
        let to = parse_date("to", &entry.to)?;
        if to < from {
            return Err(Error::new(
                "PERIOD_REVERSED",
                "to".to_string(),
                format!(
                    "--to {to} is before --from {from}: the period must end on or after its start"
                ),
                format!("--to {to} 早于 --from {from}：结束日期不能早于开始日期"),
            ));
        }
        check_period_years("from", from)?;
        check_period_years("to", to)?;
        let quantity = parse_decimal("qty", &entry.qty)?;
        if quantity.abs() > Decimal::from(MAX_QUANTITY) {
            return Err(Error::new(
                "QUANTITY_IMPLAUSIBLE",
                "qty".to_string(),
                format!("--qty {quantity}: larger than {MAX_QUANTITY} — check the unit (e.g. 万千瓦时 instead of kWh) or split the record"),
                format!("--qty {quantity}：超过 {MAX_QUANTITY}——请检查单位（如应为万千瓦时而非千瓦时）或拆分记录"),
            ));
        }
        let reason = limits::optional_text(REASON, entry.reason.as_deref())?;
        if quantity.is_sign_negative() && !quantity.is_zero() && reason.is_none() {
            return Err(Error::new(
                "NEGATIVE_QUANTITY",
                "qty".to_string(),
                format!("--qty {quantity}: a negative quantity is only accepted as a correction; give --reason (e.g. \"credit note 2024-031 for over-billing\")"),
                format!("--qty {quantity}：负数仅可作为更正录入；请用 --reason 说明原因（如“2024-031 号红字发票冲减多计电量”）"),
            ));
        }
        let unit = parse_unit("unit", &entry.unit)?;
        let site = self.site_of(&source)?;
        let catalog = self.catalog()?;
        self.check_unit(&source, &site, unit, &catalog, "--unit")?;
        let existing = self.store.activities(Some(source.id))?;
        // a negative adjustment (credit note) overlaps the record it adjusts by nature
        let adjustment = quantity.is_sign_negative();
        if !entry.allow_overlap && !adjustment {
            if let Some(other) = overlapping(&existing, from, to, correcting.map(|c| c.id)) {
                let same = other.from == from && other.to == to && other.quantity == quantity;
                let (en, zh) = if same {
                    ("duplicates", "重复")
                } else {
                    ("overlaps", "期间重叠于")
                };
                return Err(Error::new(
                    if same { "ACTIVITY_DUPLICATE" } else { "ACTIVITY_OVERLAP" },
                    "from".to_string(),
                    format!("--from {from} --to {to}: {en} record #{} of source '{}' ({}..{}, {} {}); if both are real (e.g. a supplementary bill), add --allow-overlap; to fix the old one use `lingtan activity correct`", other.id, source.name, other.from, other.to, other.quantity, other.unit.code()),
                    format!("--from {from} --to {to}：{zh}排放源“{}”的记录 #{}（{}至{}，{} {}）；如两条都真实（如补充账单）请加 --allow-overlap；如需修改原记录请用 `lingtan activity correct`", source.name, other.id, other.from, other.to, other.quantity, other.unit.code()),
                ));
            }
        }
        Ok((
            source.clone(),
            NewActivity {
                source_id: source.id,
                from,
                to,
                quantity,
                unit,
                note: limits::optional_text(
                    Field::new("note", "--note", "--note"),
                    entry.note.as_deref(),
                )?,
                evidence_id: None,
                reason,
                origin_ref: None,
                detail: None,
            },
        ))
    }

    fn store_evidence(&mut self, path: &Path) -> Result<Evidence> {
        let content = files::read(path, files::Input::Evidence)?;
        let name = file_name(path);
        let now = self.now();
        Ok(self.store.add_evidence(&name, &content, &now)?)
    }

    /// Add an activity record. Everything is checked before anything is written.
    pub fn add_activity(&mut self, entry: &ActivityEntry) -> Result<ActivityRow> {
        let (_, mut new) = self.activity_from_entry(entry, None)?;
        if let Some(path) = &entry.evidence {
            new.evidence_id = Some(self.store_evidence(path)?.id);
        }
        let now = self.now();
        Ok(self.store.add_activity(&new, &now)?)
    }

    /// Add many records of one batch in one transaction (bulk loads, benchmarks, imports).
    pub fn add_activity_batch(&mut self, label: &str, rows: &[NewActivity]) -> Result<i64> {
        let now = self.now();
        Ok(self.store.add_activity_batch(label, None, rows, &now)?)
    }

    /// Correct record `id`: a new version with a reason; the old one is kept.
    pub fn correct_activity(&mut self, id: i64, entry: &ActivityEntry) -> Result<ActivityRow> {
        let reason = limits::optional_text(REASON, entry.reason.as_deref())?;
        let reason = reason.as_deref().ok_or_else(|| {
            Error::new("MISSING_REASON", "reason".to_string(), "--reason: a correction needs a reason (it is kept in the record and the audit log)", "--reason：更正必须说明原因（原因会保存在记录和审计日志中）")
        })?;
        let old = self.store.activity(id).map_err(|_| {
            Error::new(
                "UNKNOWN_ACTIVITY",
                "id".to_string(),
                format!("activity #{id}: no such record"),
                format!("活动数据 #{id}：没有该记录"),
            )
        })?;
        let (_, mut new) = self.activity_from_entry(entry, Some(&old))?;
        new.evidence_id = match &entry.evidence {
            Some(path) => Some(self.store_evidence(path)?.id),
            None => old.evidence_id,
        };
        let now = self.now();
        Ok(self.store.correct_activity(id, &new, reason, &now)?)
    }

    /// Void record `id` with a reason (kept, not deleted).
    pub fn void_activity(&mut self, id: i64, reason: &str) -> Result<ActivityRow> {
        let reason = limits::text(REASON, reason)?;
        if reason.is_empty() {
            return Err(Error::new(
                "MISSING_REASON",
                "reason".to_string(),
                "--reason: voiding a record needs a reason",
                "--reason：作废记录必须说明原因",
            ));
        }
        self.store.activity(id).map_err(|_| {
            Error::new(
                "UNKNOWN_ACTIVITY",
                "id".to_string(),
                format!("activity #{id}: no such record"),
                format!("活动数据 #{id}：没有该记录"),
            )
        })?;
        let now = self.now();
        Ok(self.store.void_activity(id, &reason, &now)?)
    }

    /// Current records, optionally of one source.
    pub fn activities(&self, source: Option<&str>) -> Result<Vec<ActivityRow>> {
        let id = source
            .map(|s| self.find_source(s))
            .transpose()?
            .map(|s| s.id);
        Ok(self.store.activities(id)?)
    }

    pub fn activity_history(&self, id: i64) -> Result<Vec<ActivityRow>> {
        Ok(self.store.activity_history(id)?)
    }

    pub fn evidence(&self) -> Result<Vec<Evidence>> {
        Ok(self.store.evidence()?)
    }

    /// Add a user factor with its citation (version 1, or the next version of an existing id).
    pub fn add_factor(&mut self, entry: &FactorEntry) -> Result<EmissionFactor> {
        // trimmed first, so " CN-GRID-2022 " is recognised as the library's id
        let id = limits::id(Field::new("id", "factor id", "因子编号"), &entry.id)?;
        let name = limits::optional_name(
            Field::new("name", "--name", "--name"),
            entry.name.as_deref(),
        )?;
        let dataset = limits::optional_name(
            Field::new("dataset", "--dataset", "--dataset"),
            entry.dataset.as_deref(),
        )?;
        let region = limits::optional_name(
            Field::new("region", "--region", "--region"),
            entry.region.as_deref(),
        )?;
        let citation = limits::text(
            Field::new("citation", "--citation", "--citation"),
            &entry.citation,
        )?;
        if let Some(year) = entry.year {
            check_year("year", year)?;
        }
        let unit = parse_unit("unit", &entry.unit)?;
        let mut gases = BTreeMap::new();
        for (flag, gas, value) in [
            ("co2", "CO2", &entry.co2),
            ("ch4", "CH4", &entry.ch4),
            ("n2o", "N2O", &entry.n2o),
        ] {
            if let Some(v) = value {
                gases.insert(gas.to_string(), parse_decimal(flag, v)?);
            }
        }
        for (gas, value) in &entry.gases {
            let substance = Substance::parse(gas).ok_or_else(|| {
                Error::new("UNKNOWN_GAS", "gas".to_string(), format!("--gas {gas}={value}: unknown gas '{gas}' (known: CO2, CH4, CH4-nonfossil, N2O, SF6, NF3, HFC-32, HFC-125, HFC-134a, HFC-143a, CF4, C2F6, HCFC-22, CO2-biogenic, R-410A …)"), format!("--gas {gas}={value}：未知气体“{gas}”"))
            })?;
            gases.insert(substance.id().to_string(), parse_decimal("gas", value)?);
        }
        let co2e = entry
            .co2e
            .as_deref()
            .map(|v| parse_decimal("co2e", v))
            .transpose()?;
        let limit = Decimal::from(1_000_000_000i64);
        if let Some((gas, value)) = gases
            .iter()
            .map(|(g, v)| (g.as_str(), *v))
            .chain(co2e.map(|v| ("CO2e", v)))
            .find(|(_, v)| v.abs() > limit)
        {
            return Err(Error::new(
                "FACTOR_IMPLAUSIBLE",
                gas.to_lowercase(),
                format!("{gas} {value} kg per {}: larger than 10^9 kg per unit — check the unit of the factor", unit.code()),
                format!("{gas} 每 {} {value} 千克：超过 10^9 千克——请检查因子的单位", unit.code()),
            ));
        }
        if citation.is_empty() {
            return Err(Error::new(
                "MISSING_FIELD",
                "citation".to_string(),
                "--citation: a factor needs a citation a certifier can look up",
                "--citation：排放因子必须注明审核员可查证的出处",
            ));
        }
        let existing = self.store.factors()?;
        let version = existing
            .iter()
            .filter(|f| f.id == id)
            .map(|f| f.version)
            .max()
            .unwrap_or(0)
            + 1;
        if existing
            .iter()
            .any(|f| f.id == id && f.origin == Origin::Library)
        {
            return Err(Error::new(
                "FACTOR_ID_TAKEN",
                "id".to_string(),
                format!("factor id '{id}' belongs to the shipped library; choose your own id (e.g. MY-{id})"),
                format!("因子编号“{id}”属于内置因子库；请使用自己的编号（如 MY-{id}）"),
            ));
        }
        let factor = EmissionFactor {
            id: id.clone(),
            version,
            name: name.unwrap_or_else(|| id.clone()),
            name_zh: None,
            dataset: dataset.unwrap_or_else(|| "user".to_string()),
            category: FactorCategory::Other,
            role: None,
            region,
            fuel: None,
            fuel_use: None,
            year: entry.year,
            published: None,
            unit,
            gases,
            co2e,
            licence: "user-supplied".into(),
            citation,
            verified: false,
            verification_note: Some("User factor: verify against the cited document.".into()),
            uncertainty_pct: entry
                .uncertainty
                .as_deref()
                .map(|u| parse_pct("uncertainty", u))
                .transpose()?,
            is_default: false,
            origin: Origin::User,
        };
        factor
            .validate()
            .map_err(|e| Error::new("BAD_FACTOR", None, format!("{e}"), e.message_zh()))?;
        let now = self.now();
        self.store
            .add_factors(std::slice::from_ref(&factor), &[], "create", &now)?;
        Ok(factor)
    }

    /// The latest version of every factor, optionally filtered by a search text (id, name,
    /// dataset, region, fuel, citation).
    pub fn factors(&self, search: Option<&str>) -> Result<Vec<EmissionFactor>> {
        let catalog = self.catalog()?;
        let needle = search.map(|s| s.to_lowercase());
        Ok(catalog
            .factors()
            .iter()
            .filter(|f| match &needle {
                None => true,
                Some(n) => [
                    Some(&f.id),
                    Some(&f.name),
                    f.name_zh.as_ref(),
                    Some(&f.dataset),
                    f.region.as_ref(),
                    f.fuel.as_ref(),
                    Some(&f.citation),
                ]
                .into_iter()
                .flatten()
                .any(|t| t.to_lowercase().contains(n.as_str())),
            })
            .cloned()
            .collect())
    }

    /// Every version of every factor (a calculation line names the version it used).
    pub fn factor_versions(&self) -> Result<Vec<EmissionFactor>> {
        Ok(self.store.factors()?)
    }

    /// How many current activity records the project holds.
    pub fn activity_count(&self) -> Result<u64> {
        Ok(self.store.activity_count()?.max(0) as u64)
    }

    pub fn properties(&self) -> Result<Vec<FuelProperty>> {
        Ok(self.catalog()?.properties().to_vec())
    }

    /// Compute the inventory of `year` (the project's year by default).
    pub fn inventory(&self, year: Option<i32>, keep_lines: bool) -> Result<InventoryReport> {
        let info = self.store.project()?;
        let year = year.unwrap_or(info.year);
        check_year("year", year)?;
        let sites = self.store.sites()?;
        let sources = self.store.sources()?;
        let catalog = self.catalog()?;
        let ctx = Context {
            year,
            gwp: info.gwp,
            boundary: info.boundary,
            sites: &sites,
            sources: &sources,
            catalog: &catalog,
        };
        // the market-based scope 2 after the energy attribute certificates (the offset step)
        let (eacs, assessments) = self.certificates_for(year, &sites)?;
        let mut builder = InventoryBuilder::new(ctx)
            .keep_lines(keep_lines)
            .certificates(&eacs, &assessments);
        let start = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or_default();
        let end = NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or_default();
        let (read, records_digest) = self
            .store
            .for_each_activity(start, end, |a| builder.push(a))?;
        let mut inventory = builder.finish();
        if sources.is_empty() {
            inventory.issues.insert(
                0,
                Issue::new(
                    "NO_SOURCES",
                    Severity::Warning,
                    "project".into(),
                    "the project has no emission sources yet; add them with `lingtan source add`"
                        .into(),
                    "项目尚无排放源；请用 `lingtan source add` 添加".into(),
                ),
            );
        }
        if info.base_year.is_none() {
            inventory.issues.push(Issue::new("NO_BASE_YEAR", Severity::Info, "project".into(), "no base year is set (ISO 14064-1 clause 6.4.1); set one with `lingtan new --base-year` or `lingtan project set --base-year`".into(), "未设置基准年（ISO 14064-1 第 6.4.1 条）；请设置基准年".into()));
        }
        Ok(InventoryReport {
            inventory,
            org_name: info.org_name,
            fingerprint: self.store.data_fingerprint(&records_digest)?,
            audit_head: self.store.audit_head()?,
            records_read: read,
        })
    }

    pub fn audit(&self, limit: Option<i64>) -> Result<Vec<AuditEntry>> {
        Ok(self.store.audit_entries(limit)?)
    }

    pub fn verify(&self) -> Result<Verification> {
        Ok(self.store.verify()?)
    }

    /// A consistent copy of the project at `dest`, written by the one writer: never over an
    /// existing file, the project or its journal files.
    pub fn backup(&self, dest: &Path) -> Result<()> {
        let checked = files::check(
            &[files::Output::new(dest, None, files::Replace::Never)],
            Some(self.path()),
            &[],
        )?;
        checked.write(vec![files::Fill::File(Box::new(|tmp: &Path| {
            Ok(self.store.copy_into(tmp)?)
        }))])?;
        Ok(())
    }
}

/// The field of a reason (corrections, voids, negative quantities, undoing an import).
pub(crate) const REASON: Field = Field::new("reason", "--reason", "--reason");

/// The years a record's period may fall in: a factory's bills, not a typo's century.
pub const PERIOD_YEARS: std::ops::RangeInclusive<i32> = 1990..=2100;

/// A record's date must fall in [`PERIOD_YEARS`].
fn check_period_years(field: &str, date: NaiveDate) -> Result<()> {
    use chrono::Datelike;
    if PERIOD_YEARS.contains(&date.year()) {
        return Ok(());
    }
    Err(Error::new(
        "PERIOD_IMPLAUSIBLE",
        field.to_string(),
        format!(
            "--{field} {date}: a record's period must fall between {} and {}; check the year",
            PERIOD_YEARS.start(),
            PERIOD_YEARS.end()
        ),
        format!(
            "--{field} {date}：记录期间须在 {} 至 {} 年之间；请检查年份",
            PERIOD_YEARS.start(),
            PERIOD_YEARS.end()
        ),
    ))
}

fn check_year(field: &str, year: i32) -> Result<()> {
    if (1990..=2100).contains(&year) {
        Ok(())
    } else {
        Err(Error::new(
            "BAD_YEAR",
            field.to_string(),
            format!("--{field} {year}: expected a year between 1990 and 2100"),
            format!("--{field} {year}：年份须在 1990 到 2100 之间"),
        ))
    }
}

/// The record of the same source whose period overlaps `from..=to` (negative adjustments, which
/// overlap what they adjust by nature, and record `except` are not counted).
pub(crate) fn overlapping(
    existing: &[ActivityRow],
    from: NaiveDate,
    to: NaiveDate,
    except: Option<i64>,
) -> Option<&ActivityRow> {
    overlaps(existing, from, to).find(|a| Some(a.id) != except)
}

/// Every record (not a credit note) whose period overlaps `from..=to`.
pub(crate) fn overlaps(
    existing: &[ActivityRow],
    from: NaiveDate,
    to: NaiveDate,
) -> impl Iterator<Item = &ActivityRow> {
    existing
        .iter()
        .filter(move |a| !a.quantity.is_sign_negative() && a.from <= to && from <= a.to)
}

/// A file's name as shown in messages and kept with its evidence.
pub(crate) fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// Check a file without opening it for writing: its schema version, or why it is refused.
pub fn inspect(path: &Path) -> Result<i64> {
    Ok(Store::inspect(path)?)
}

pub use lingtan_store::NewActivity as BulkActivity;
