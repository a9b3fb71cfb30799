//! `lingtan`: the command-line face of the Lingtan workbench.
//!
//! Thin glue: parse arguments, call the `lingtan` API, print the result as text or stable JSON.
//! Exit status: 0 done; 1 refused (bad input, nothing changed); 2 usage error; 3 the inventory
//! has error issues (a figure is missing until they are fixed); 4 `audit --verify` found
//! tampering.

mod text;

/// Print to stdout through [`write_out`] (never `print!`, which panics when the reader has gone).
macro_rules! out {
    ($($arg:tt)*) => { $crate::write_out(format_args!($($arg)*), false) };
}

/// [`out!`] and a new line.
macro_rules! outln {
    ($($arg:tt)*) => { $crate::write_out(format_args!($($arg)*), true) };
}

use anyhow::Context as _;
use clap::{Args, Parser, Subcommand};
use lingtan::{ActivityEntry, Clock, FactorEntry, NewProject, Project, SourceEntry};
use lingtan_core::{Lang, Severity};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

#[derive(Parser)]
#[command(
    name = "lingtan",
    version,
    about = "Lingtan 零碳 — carbon inventory workbench (碳盘查 → 碳减排 → 碳抵消 → 零碳认证)"
)]
struct Cli {
    /// Language of messages: zh or en (default: from LINGTAN_LANG / LANG)
    #[arg(long, global = true)]
    lang: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create a project file with the factor library loaded
    New {
        project: PathBuf,
        #[arg(long)]
        org: String,
        /// The organisation's name in Chinese
        #[arg(long)]
        org_zh: Option<String>,
        #[arg(long)]
        year: i32,
        #[arg(long)]
        base_year: Option<i32>,
        /// AR6 (default), AR5 or AR4
        #[arg(long)]
        gwp: Option<String>,
        /// operational-control (default), financial-control or equity-share
        #[arg(long)]
        boundary: Option<String>,
    },
    /// Sites (plants, buildings)
    #[command(subcommand)]
    Site(SiteCmd),
    /// Emission sources
    #[command(subcommand)]
    Source(SourceCmd),
    /// Activity data (bills, meter readings, purchase logs)
    #[command(subcommand)]
    Activity(ActivityCmd),
    /// Add your own emission factor
    #[command(subcommand)]
    Factor(FactorCmd),
    /// List the project's emission factors
    Factors {
        project: PathBuf,
        #[arg(long)]
        search: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Write the GHG inventory report: the certifier's PDF and an XLSX with live formulas for the
    /// auditor (without --pdf or --xlsx, print the report as text). --lang zh, en or zh+en.
    Report {
        project: PathBuf,
        #[arg(long)]
        year: Option<i32>,
        #[arg(long)]
        pdf: Option<PathBuf>,
        #[arg(long)]
        xlsx: Option<PathBuf>,
    },
    /// Compute the GHG inventory
    Inventory {
        project: PathBuf,
        #[arg(long)]
        year: Option<i32>,
        #[arg(long)]
        json: bool,
        /// Also list every record's calculation (lineage)
        #[arg(long)]
        lines: bool,
    },
    /// Show the audit log, or verify it
    Audit {
        project: PathBuf,
        /// Check the hash chain and that every record matches the log
        #[arg(long)]
        verify: bool,
        #[arg(long)]
        json: bool,
        /// Show only the last N entries
        #[arg(long)]
        limit: Option<i64>,
    },
    /// Import bills from a spreadsheet (.xlsx, .xls, .ods, .csv in UTF-8 or GBK); `import undo` reverts a batch
    Import(ImportArgs),
    /// Project settings
    #[command(subcommand)]
    Project(ProjectCmd),
    /// Write a consistent copy of the project (SQLite VACUUM INTO)
    Backup { project: PathBuf, dest: PathBuf },
}

#[derive(Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
struct ImportArgs {
    #[command(subcommand)]
    cmd: Option<ImportCmd>,
    #[arg(required = true)]
    project: Option<PathBuf>,
    #[arg(required = true)]
    file: Option<PathBuf>,
    /// The emission source the bills belong to
    #[arg(long)]
    source: Option<String>,
    /// The source's site (checked against the source)
    #[arg(long)]
    site: Option<String>,
    /// Only this sheet
    #[arg(long)]
    sheet: Option<String>,
    /// bill, interval or auto (default)
    #[arg(long)]
    kind: Option<String>,
    /// A saved mapping profile (see --save-mapping): its source, sheet, kind, header names and
    /// interval options are used unless given here
    #[arg(long)]
    mapping: Option<PathBuf>,
    /// Save the mapping of this import as a profile for the same supplier's next file
    #[arg(long, value_name = "FILE")]
    save_mapping: Option<PathBuf>,
    /// Interval data: the timestamps mark the `beginning` or the `ending` of each interval
    /// (overrides what is detected)
    #[arg(long)]
    timestamps: Option<String>,
    /// Interval data: the register multiplier (倍率), overriding the file: N for a file of one
    /// meter, METER=N for each meter of a file of several (repeat it)
    #[arg(long, value_name = "N | METER=N")]
    multiplier: Vec<String>,
    /// Show the mapping and every issue; write nothing
    #[arg(long)]
    dry_run: bool,
    /// Import even if the same file (and sheet) was imported before
    #[arg(long)]
    force: bool,
    #[arg(long)]
    json: bool,
}

#[derive(Subcommand)]
enum ImportCmd {
    /// Revert an import batch: its records are voided (kept) and the undo is logged
    Undo {
        project: PathBuf,
        batch: i64,
        #[arg(long, default_value = "import undone")]
        reason: String,
    },
    /// List import batches
    List { project: PathBuf },
}

#[derive(Subcommand)]
enum ProjectCmd {
    /// Show the settings and the file's schema version
    Show { project: PathBuf },
    /// Change settings
    Set {
        project: PathBuf,
        #[arg(long)]
        base_year: Option<i32>,
        /// Who prepared the report (printed on its cover); "" clears it
        #[arg(long)]
        prepared_by: Option<String>,
        /// The date the report carries, YYYY-MM-DD (never taken from the clock); "" clears it
        #[arg(long)]
        report_date: Option<String>,
    },
}

#[derive(Subcommand)]
enum SiteCmd {
    /// Add a site
    Add {
        project: PathBuf,
        name: String,
        /// Grid region: CN, CN-North, CN-Northeast, CN-East, CN-Central, CN-Northwest, CN-South, CN-Southwest (华北, 华东 … accepted)
        #[arg(long)]
        grid: Option<String>,
        #[arg(long)]
        address: Option<String>,
    },
    /// List sites
    List {
        project: PathBuf,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum SourceCmd {
    /// Add an emission source
    Add {
        project: PathBuf,
        name: String,
        #[arg(long)]
        site: String,
        /// stationary-combustion, mobile-combustion, process, fugitive, electricity, heat, steam, cooling, scope3-1 … scope3-15
        #[arg(long)]
        kind: String,
        /// Fuel (natural-gas, diesel, lpg …) or refrigerant (R-410A, R-22 …)
        #[arg(long)]
        fuel: Option<String>,
        /// Pin a factor (for electricity: the location-based factor)
        #[arg(long)]
        factor: Option<String>,
        /// Supplier-specific or contractual factor for market-based scope 2
        #[arg(long)]
        market_factor: Option<String>,
        /// The unit results are reported in
        #[arg(long)]
        unit: Option<String>,
        /// ± % (95 %) of the activity data
        #[arg(long)]
        uncertainty: Option<String>,
    },
    /// List sources
    List {
        project: PathBuf,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args)]
struct ActivityFields {
    #[arg(long)]
    source: Option<String>,
    #[arg(long)]
    from: Option<String>,
    #[arg(long)]
    to: Option<String>,
    #[arg(long, allow_hyphen_values = true)]
    qty: Option<String>,
    #[arg(long)]
    unit: Option<String>,
    #[arg(long)]
    note: Option<String>,
    /// A file to keep inside the project as evidence (bill scan, ledger export)
    #[arg(long)]
    evidence: Option<PathBuf>,
    /// Why: required for a negative quantity and for corrections
    #[arg(long)]
    reason: Option<String>,
    /// Record it even if it overlaps another record of the same source
    #[arg(long)]
    allow_overlap: bool,
}

#[derive(Subcommand)]
enum ActivityCmd {
    /// Add a record
    Add {
        project: PathBuf,
        #[command(flatten)]
        fields: ActivityFields,
    },
    /// Correct a record: a new version with a reason (the old one is kept)
    Correct {
        project: PathBuf,
        id: i64,
        #[command(flatten)]
        fields: ActivityFields,
    },
    /// Void a record with a reason (it is kept, marked void)
    Void {
        project: PathBuf,
        id: i64,
        #[arg(long)]
        reason: String,
    },
    /// List current records
    List {
        project: PathBuf,
        #[arg(long)]
        source: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Every version of a record
    History { project: PathBuf, id: i64 },
}

#[derive(Subcommand)]
enum FactorCmd {
    /// Add a factor: kg of gas per one UNIT of activity, with a citation
    Add {
        project: PathBuf,
        id: String,
        #[arg(long)]
        unit: String,
        #[arg(long)]
        co2: Option<String>,
        #[arg(long)]
        ch4: Option<String>,
        #[arg(long)]
        n2o: Option<String>,
        /// Another gas: NAME=KG (e.g. SF6=0.001, HFC-134a=1)
        #[arg(long = "gas")]
        gases: Vec<String>,
        /// kg CO2e per unit, when only that is published
        #[arg(long, conflicts_with_all = ["co2", "ch4", "n2o", "gases"])]
        co2e: Option<String>,
        #[arg(long)]
        citation: String,
        #[arg(long)]
        name: Option<String>,
        #[arg(long)]
        dataset: Option<String>,
        #[arg(long)]
        region: Option<String>,
        #[arg(long)]
        year: Option<i32>,
        /// ± % (95 %) of the factor
        #[arg(long)]
        uncertainty: Option<String>,
    },
}

fn lang_from_env(flag: Option<&str>) -> Lang {
    if let Some(lang) = flag.and_then(Lang::parse) {
        return lang;
    }
    for var in ["LINGTAN_LANG", "LC_ALL", "LC_MESSAGES", "LANG"] {
        if let Ok(value) = std::env::var(var) {
            if value.is_empty() {
                continue;
            }
            return if value.to_ascii_lowercase().starts_with("zh") {
                Lang::Zh
            } else {
                Lang::En
            };
        }
    }
    Lang::En
}

/// The clock: the computer's, or LINGTAN_NOW when set (checked once, in `main`).
static CLOCK: std::sync::OnceLock<Clock> = std::sync::OnceLock::new();

fn clock() -> Clock {
    CLOCK
        .get_or_init(|| lingtan::clock_from_env().unwrap_or_else(|_| Arc::new(String::new)))
        .clone()
}

/// A refusal, printed in the chosen language with its code and field.
struct Refusal(lingtan::Error);

fn refuse(lang: Lang, e: &lingtan::Error) -> ExitCode {
    let label = lang.pick("error", "错误");
    let field = e
        .field
        .as_deref()
        .map(|f| format!(" ({f})"))
        .unwrap_or_default();
    // the message's own lines are kept; anything else that could change the output is escaped
    let message: Vec<String> = e
        .message(lang)
        .split('\n')
        .map(|l| text::p(l).into_owned())
        .collect();
    eprintln!("{label}[{}]{field}: {}", e.code, message.join("\n"));
    eprintln!(
        "{}",
        lang.pick(
            "nothing was changed in the project file",
            "项目文件未作任何修改"
        )
    );
    ExitCode::from(1)
}

fn report_error(e: lingtan_report::Error) -> lingtan::Error {
    lingtan::Error::new(e.code, e.field, e.en, e.zh)
}

/// Open a project to change it; an upgrade of an older file is said on stderr.
fn open(path: &Path) -> Result<Project, Refusal> {
    let p = Project::open(path, clock()).map_err(Refusal)?;
    if let Some(from) = p.upgraded_from() {
        let lang = lang_from_env(LANG_FLAG.get().and_then(|l| l.as_deref()));
        eprintln!(
            "{}",
            match lang {
                Lang::En => format!(
                    "note: {} was upgraded from schema {from} to {} (logged in its audit log)",
                    path.display(),
                    lingtan::SCHEMA_VERSION
                ),
                Lang::Zh => format!(
                    "注意：{} 已从结构版本 {from} 升级到 {}（已记入审计日志）",
                    path.display(),
                    lingtan::SCHEMA_VERSION
                ),
            }
        );
    }
    Ok(p)
}

/// Open a project only to read it: the file is opened read-only and stays byte-identical.
fn open_ro(path: &Path) -> Result<Project, Refusal> {
    Project::open_for(path, clock(), lingtan::Access::Read).map_err(Refusal)
}

/// The `--lang` flag, for messages printed outside `run`.
static LANG_FLAG: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();

fn print_json(value: &serde_json::Value) -> anyhow::Result<()> {
    outln!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

/// Set when the reader of stdout has gone (`lingtan audit P | head -1`): the rest of the output
/// is dropped quietly and the command ends as it would have.
static STDOUT_CLOSED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Another failure to write stdout (a full disk): said once, at the end, with exit status 1.
static STDOUT_FAILED: std::sync::Mutex<Option<String>> = std::sync::Mutex::new(None);

/// The one place the command writes to stdout (through `out!` and `outln!`).
fn write_out(args: std::fmt::Arguments<'_>, newline: bool) {
    use std::io::Write as _;
    use std::sync::atomic::Ordering;
    if STDOUT_CLOSED.load(Ordering::Relaxed) {
        return;
    }
    let mut o = std::io::stdout().lock();
    let written = o
        .write_fmt(args)
        .and_then(|_| if newline { o.write_all(b"\n") } else { Ok(()) });
    if let Err(e) = written {
        output_failed(e);
    }
}

fn output_failed(e: std::io::Error) {
    use std::sync::atomic::Ordering;
    STDOUT_CLOSED.store(true, Ordering::Relaxed);
    if e.kind() != std::io::ErrorKind::BrokenPipe {
        if let Ok(mut failed) = STDOUT_FAILED.lock() {
            failed.get_or_insert_with(|| e.to_string());
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let lang = lang_from_env(cli.lang.as_deref());
    let _ = LANG_FLAG.set(cli.lang.clone());
    // an invalid LINGTAN_NOW is refused before anything: it would set every recorded time
    match lingtan::clock_from_env() {
        Ok(c) => {
            let _ = CLOCK.set(c);
        }
        Err(e) => return refuse(lang, &e),
    }
    let code = match run(cli.command, lang, cli.lang.as_deref()) {
        Ok(code) => code,
        Err(RunError::Refused(e)) => refuse(lang, &e),
        Err(RunError::Other(e)) => {
            eprintln!("{}: {e:#}", lang.pick("error", "错误"));
            ExitCode::from(1)
        }
    };
    if !STDOUT_CLOSED.load(std::sync::atomic::Ordering::Relaxed) {
        if let Err(e) = std::io::Write::flush(&mut std::io::stdout()) {
            output_failed(e);
        }
    }
    let failed = STDOUT_FAILED.lock().ok().and_then(|mut f| f.take());
    match failed {
        Some(e) => {
            eprintln!(
                "{}: {}: {e}",
                lang.pick("error", "错误"),
                lang.pick("cannot write the output", "无法写出输出")
            );
            ExitCode::from(1)
        }
        None => code,
    }
}

enum RunError {
    Refused(lingtan::Error),
    Other(anyhow::Error),
}

impl From<lingtan::Error> for RunError {
    fn from(e: lingtan::Error) -> Self {
        RunError::Refused(e)
    }
}

impl From<Refusal> for RunError {
    fn from(e: Refusal) -> Self {
        RunError::Refused(e.0)
    }
}

impl From<anyhow::Error> for RunError {
    fn from(e: anyhow::Error) -> Self {
        RunError::Other(e)
    }
}

impl From<serde_json::Error> for RunError {
    fn from(e: serde_json::Error) -> Self {
        RunError::Other(e.into())
    }
}

fn run(command: Command, lang: Lang, lang_flag: Option<&str>) -> Result<ExitCode, RunError> {
    let ok = ExitCode::SUCCESS;
    match command {
        Command::Report {
            project,
            year,
            pdf,
            xlsx,
        } => {
            let report_lang = match lang_flag {
                Some(flag) => lingtan_report::Lang::parse(flag).ok_or_else(|| {
                    lingtan::Error::new(
                        "BAD_LANG",
                        "lang".to_string(),
                        format!("--lang '{flag}': choose zh, en or zh+en"),
                        format!("--lang “{flag}”：请选择 zh、en 或 zh+en"),
                    )
                })?,
                None if lang == Lang::Zh => lingtan_report::Lang::Zh,
                None => lingtan_report::Lang::En,
            };
            let p = open_ro(&project)?;
            let options = lingtan_report::Options {
                year,
                lang: report_lang,
                pdf,
                xlsx,
            };
            let made = lingtan_report::make(&p, &project, &options).map_err(report_error)?;
            if made.files.is_empty() {
                out!("{}", made.text);
            }
            for w in &made.warnings {
                eprintln!(
                    "{}: {}",
                    lang.pick("warning", "警告"),
                    text::p(&w.to_string())
                );
            }
            for (path, bytes) in &made.files {
                outln!(
                    "{} {} ({} bytes)",
                    lang.pick("written", "已写入"),
                    path.display(),
                    bytes
                );
            }
        }
        Command::New {
            project,
            org,
            org_zh,
            year,
            base_year,
            gwp,
            boundary,
        } => {
            let p = Project::create(
                &project,
                &NewProject {
                    org,
                    org_zh,
                    year,
                    base_year,
                    gwp,
                    boundary,
                },
                clock(),
            )?;
            let factors = p.factors(None)?.len();
            outln!(
                "{}",
                match lang {
                    Lang::En => format!(
                        "created {} ({factors} emission factors loaded from the library)",
                        project.display()
                    ),
                    Lang::Zh => format!(
                        "已创建 {}（已载入因子库中 {factors} 个排放因子）",
                        project.display()
                    ),
                }
            );
        }
        Command::Site(SiteCmd::Add {
            project,
            name,
            grid,
            address,
        }) => {
            let mut p = open(&project)?;
            let site = p.add_site(&name, grid.as_deref(), address.as_deref())?;
            outln!(
                "{} #{} '{}'{}",
                lang.pick("added site", "已添加场所"),
                site.id,
                text::p(&site.name),
                site.grid_region
                    .map(|g| format!(" ({g})"))
                    .unwrap_or_default()
            );
        }
        Command::Site(SiteCmd::List { project, json }) => {
            let p = open_ro(&project)?;
            let sites = p.sites()?;
            if json {
                print_json(&serde_json::to_value(&sites).context("sites")?)?;
            } else {
                for s in sites {
                    outln!(
                        "#{} {}\t{}\t{}",
                        s.id,
                        text::p(&s.name),
                        text::p(&s.grid_region.unwrap_or_else(|| "-".into())),
                        text::p(&s.address.unwrap_or_default())
                    );
                }
            }
        }
        Command::Source(SourceCmd::Add {
            project,
            name,
            site,
            kind,
            fuel,
            factor,
            market_factor,
            unit,
            uncertainty,
        }) => {
            let mut p = open(&project)?;
            let s = p.add_source(&SourceEntry {
                name,
                site,
                kind,
                fuel,
                factor,
                market_factor,
                unit,
                uncertainty,
            })?;
            outln!(
                "{} #{} '{}' ({}, {} {})",
                lang.pick("added source", "已添加排放源"),
                s.id,
                text::p(&s.name),
                s.kind,
                lang.pick("scope", "范围"),
                s.kind.scope().number()
            );
        }
        Command::Source(SourceCmd::List { project, json }) => {
            let p = open_ro(&project)?;
            let sources = p.sources()?;
            if json {
                print_json(&serde_json::to_value(&sources).context("sources")?)?;
            } else {
                for s in sources {
                    outln!(
                        "#{} {}\t{}\t{}\t{}",
                        s.id,
                        text::p(&s.name),
                        s.kind,
                        text::p(&s.fuel.unwrap_or_else(|| "-".into())),
                        text::p(&s.factor_id.unwrap_or_else(|| "-".into()))
                    );
                }
            }
        }
        Command::Activity(ActivityCmd::Add { project, fields }) => {
            let mut p = open(&project)?;
            let missing = |flag: &str| {
                lingtan::Error::new(
                    "MISSING_FIELD",
                    flag.to_string(),
                    format!("--{flag} is required"),
                    format!("必须提供 --{flag}"),
                )
            };
            let entry = ActivityEntry {
                source: fields.source.ok_or_else(|| missing("source"))?,
                from: fields.from.ok_or_else(|| missing("from"))?,
                to: fields.to.ok_or_else(|| missing("to"))?,
                qty: fields.qty.ok_or_else(|| missing("qty"))?,
                unit: fields.unit.ok_or_else(|| missing("unit"))?,
                note: fields.note,
                evidence: fields.evidence,
                reason: fields.reason,
                allow_overlap: fields.allow_overlap,
            };
            let row = p.add_activity(&entry)?;
            outln!(
                "{} #{} {}..{} {} {}",
                lang.pick("added activity", "已添加活动数据"),
                row.id,
                row.from,
                row.to,
                row.quantity,
                row.unit.code()
            );
        }
        Command::Activity(ActivityCmd::Correct {
            project,
            id,
            fields,
        }) => {
            let mut p = open(&project)?;
            let old = p.activity_history(id)?.into_iter().last().ok_or_else(|| {
                lingtan::Error::new(
                    "UNKNOWN_ACTIVITY",
                    "id".to_string(),
                    format!("activity #{id}: no such record"),
                    format!("活动数据 #{id}：没有该记录"),
                )
            })?;
            let sources = p.sources()?;
            let old_source = sources
                .iter()
                .find(|s| s.id == old.source_id)
                .map(|s| s.name.clone())
                .unwrap_or_default();
            let entry = ActivityEntry {
                source: fields.source.unwrap_or(old_source),
                from: fields.from.unwrap_or_else(|| old.from.to_string()),
                to: fields.to.unwrap_or_else(|| old.to.to_string()),
                qty: fields.qty.unwrap_or_else(|| old.quantity.to_string()),
                unit: fields.unit.unwrap_or_else(|| old.unit.code().to_string()),
                note: fields.note.or(old.note),
                evidence: fields.evidence,
                reason: fields.reason,
                allow_overlap: fields.allow_overlap,
            };
            let row = p.correct_activity(id, &entry)?;
            outln!(
                "{} #{} v{}: {}..{} {} {}",
                lang.pick("corrected activity", "已更正活动数据"),
                row.id,
                row.version,
                row.from,
                row.to,
                row.quantity,
                row.unit.code()
            );
        }
        Command::Activity(ActivityCmd::Void {
            project,
            id,
            reason,
        }) => {
            let mut p = open(&project)?;
            let row = p.void_activity(id, &reason)?;
            outln!(
                "{} #{} (v{})",
                lang.pick("voided activity", "已作废活动数据"),
                row.id,
                row.version
            );
        }
        Command::Activity(ActivityCmd::List {
            project,
            source,
            json,
        }) => {
            let p = open_ro(&project)?;
            let rows = p.activities(source.as_deref())?;
            if json {
                print_json(&serde_json::to_value(&rows).context("activities")?)?;
            } else {
                let sources = p.sources()?;
                for r in rows {
                    let name = sources
                        .iter()
                        .find(|s| s.id == r.source_id)
                        .map(|s| s.name.as_str())
                        .unwrap_or("?");
                    outln!(
                        "#{} v{}\t{}\t{}..{}\t{} {}\t{}",
                        r.id,
                        r.version,
                        text::p(name),
                        r.from,
                        r.to,
                        r.quantity,
                        r.unit.code(),
                        text::p(&r.note.unwrap_or_default())
                    );
                }
            }
        }
        Command::Activity(ActivityCmd::History { project, id }) => {
            let p = open_ro(&project)?;
            for r in p.activity_history(id)? {
                outln!(
                    "#{} v{} [{:?}] {}..{} {} {} {} {}",
                    r.id,
                    r.version,
                    r.status,
                    r.from,
                    r.to,
                    r.quantity,
                    r.unit.code(),
                    text::p(&r.created_at),
                    text::p(&r.reason.unwrap_or_default())
                );
            }
        }
        Command::Factor(FactorCmd::Add {
            project,
            id,
            unit,
            co2,
            ch4,
            n2o,
            gases,
            co2e,
            citation,
            name,
            dataset,
            region,
            year,
            uncertainty,
        }) => {
            let mut p = open(&project)?;
            let mut pairs = Vec::new();
            for g in gases {
                let (name, value) = g.split_once('=').ok_or_else(|| {
                    lingtan::Error::new(
                        "BAD_GAS",
                        "gas".to_string(),
                        format!("--gas '{g}': write NAME=KG, e.g. SF6=0.001"),
                        format!("--gas “{g}”：请写成 气体=千克，如 SF6=0.001"),
                    )
                })?;
                pairs.push((name.trim().to_string(), value.trim().to_string()));
            }
            if co2.is_none() && ch4.is_none() && n2o.is_none() && pairs.is_empty() && co2e.is_none()
            {
                return Err(lingtan::Error::new("MISSING_FIELD", "co2".to_string(), "give the kg of each gas per unit (--co2, --ch4, --n2o, --gas NAME=KG) or --co2e", "请给出每单位各气体的千克数（--co2、--ch4、--n2o、--gas 气体=千克）或 --co2e").into());
            }
            let f = p.add_factor(&FactorEntry {
                id,
                unit,
                co2,
                ch4,
                n2o,
                gases: pairs,
                co2e,
                citation,
                name,
                dataset,
                region,
                year,
                uncertainty,
            })?;
            outln!(
                "{} {} v{} ({} {})",
                lang.pick("added factor", "已添加排放因子"),
                text::p(&f.id),
                f.version,
                lang.pick("per", "每"),
                f.unit.code()
            );
        }
        Command::Factors {
            project,
            search,
            json,
        } => {
            let p = open_ro(&project)?;
            let factors = p.factors(search.as_deref())?;
            if json {
                print_json(&serde_json::Value::Array(
                    factors.iter().map(lingtan::json::factor).collect(),
                ))?;
            } else {
                out!("{}", text::factors(&factors, lang));
                let needle = search.as_deref().map(str::to_lowercase);
                let props: Vec<_> = p
                    .properties()?
                    .into_iter()
                    .filter(|q| {
                        needle.as_ref().is_none_or(|n| {
                            [&q.id, &q.fuel, &q.citation]
                                .iter()
                                .any(|t| t.to_lowercase().contains(n.as_str()))
                        })
                    })
                    .collect();
                out!("{}", text::properties(&props, lang));
            }
        }
        Command::Inventory {
            project,
            year,
            json,
            lines,
        } => {
            let p = open_ro(&project)?;
            let report = p.inventory(year, lines)?;
            if json {
                let mut v = lingtan::json::inventory(&report, lang);
                if lines {
                    v["lines"] = serde_json::to_value(&report.inventory.lines)?;
                }
                print_json(&v)?;
            } else {
                out!("{}", text::inventory(&report, lang));
                if lines {
                    out!("{}", text::lines(&report, &p.sources()?, lang));
                }
            }
            if report
                .inventory
                .issues
                .iter()
                .any(|i| i.severity == Severity::Error)
            {
                return Ok(ExitCode::from(3));
            }
        }
        Command::Audit {
            project,
            verify,
            json,
            limit,
        } => {
            // verifying reports a schema changed outside Lingtan instead of refusing the file
            let access = if verify {
                lingtan::Access::Verify
            } else {
                lingtan::Access::Read
            };
            let p = Project::open_for(&project, clock(), access)?;
            if verify {
                let v = p.verify()?;
                if json {
                    print_json(&serde_json::to_value(&v)?)?;
                } else {
                    out!("{}", text::verification(&v, lang));
                }
                if !v.ok() {
                    return Ok(ExitCode::from(4));
                }
            } else {
                let entries = p.audit(limit)?;
                if json {
                    print_json(&serde_json::to_value(&entries)?)?;
                } else {
                    for e in entries {
                        let hash: String = e.hash.chars().take(16).collect();
                        let clock = e
                            .clock
                            .as_deref()
                            .map(|c| format!(" [{} {c}]", lang.pick("time set by", "时间来自")))
                            .unwrap_or_default();
                        outln!(
                            "#{:<5} {} {:<13} {:<14} {:<28} {hash}{clock}",
                            e.seq,
                            text::p(&e.at),
                            text::p(&e.action),
                            text::p(&e.entity),
                            text::p(&e.entity_key),
                        );
                    }
                }
            }
        }
        Command::Import(args) => return import(args, lang),
        Command::Project(ProjectCmd::Show { project }) => {
            let version = lingtan::inspect(&project)?;
            let p = open_ro(&project)?;
            let info = p.info()?;
            outln!(
                "{}",
                serde_json::to_string_pretty(
                    &serde_json::json!({"schema_version": version, "project": info})
                )?
            );
        }
        Command::Project(ProjectCmd::Set {
            project,
            base_year,
            prepared_by,
            report_date,
        }) => {
            let mut p = open(&project)?;
            if let Some(year) = base_year {
                p.set_base_year(year)?;
                outln!("{} {year}", lang.pick("base year set to", "基准年已设为"));
            }
            if prepared_by.is_some() || report_date.is_some() {
                p.set_report_details(prepared_by.as_deref(), report_date.as_deref())?;
                outln!("{}", lang.pick("report details set", "报告信息已设置"));
            }
        }
        Command::Backup { project, dest } => {
            let p = open_ro(&project)?;
            p.backup(&dest)?;
            outln!(
                "{} {}",
                lang.pick("backup written to", "备份已写入"),
                dest.display()
            );
        }
    }
    Ok(ok)
}

/// `--multiplier N` (one meter) or `--multiplier METER=N` (each meter of a file of several),
/// repeatable.
type Multipliers = (
    Option<lingtan_core::Decimal>,
    Vec<(String, lingtan_core::Decimal)>,
);

fn multipliers(given: &[String]) -> Result<Multipliers, lingtan::Error> {
    let mut single = None;
    let mut each: Vec<(String, lingtan_core::Decimal)> = Vec::new();
    for text in given {
        let (meter, number) = match text.rsplit_once('=') {
            Some((meter, n)) => (Some(meter.trim()), n),
            None => (None, text.as_str()),
        };
        let d = lingtan::parse_decimal("multiplier", number)?;
        if !d.is_sign_positive() || d.is_zero() || meter == Some("") {
            return Err(lingtan::Error::new(
                "BAD_NUMBER",
                "multiplier".to_string(),
                format!("--multiplier '{text}': give a positive number (80) or a meter and its number (00000330012345=8000)"),
                format!("--multiplier “{text}”：请填写正数（如 80）或表计及其倍率（如 00000330012345=8000）"),
            ));
        }
        match meter {
            Some(m) if each.iter().any(|(x, _)| x == m) => {
                return Err(lingtan::Error::new(
                    "BAD_VALUE",
                    "multiplier".to_string(),
                    format!("--multiplier {m}=…: given twice; give each meter's multiplier once"),
                    format!("--multiplier {m}=…：重复指定；每个表计只给一次倍率"),
                ));
            }
            Some(m) => each.push((m.to_string(), d)),
            None if single.is_some() => {
                return Err(lingtan::Error::new(
                    "BAD_VALUE",
                    "multiplier".to_string(),
                    format!("--multiplier {text}: a second multiplier without a meter; for a file of several meters give METER=N for each"),
                    format!("--multiplier {text}：第二个倍率未注明表计；多表文件请逐表写 表计=倍率"),
                ));
            }
            None => single = Some(d),
        }
    }
    Ok((single, each))
}

fn import(args: ImportArgs, lang: Lang) -> Result<ExitCode, RunError> {
    match args.cmd {
        Some(ImportCmd::Undo {
            project,
            batch,
            reason,
        }) => {
            let mut p = open(&project)?;
            let n = p.undo_import(batch, &reason)?;
            outln!("{}", match lang {
                Lang::En => format!("import batch #{batch} undone: {n} records voided (kept in the project, logged)"),
                Lang::Zh => format!("已撤销导入批次 #{batch}：{n} 条记录已作废（仍保留在项目中，并记入审计日志）"),
            });
            Ok(ExitCode::SUCCESS)
        }
        Some(ImportCmd::List { project }) => {
            let p = open_ro(&project)?;
            for b in p.batches()? {
                let state = b
                    .reverted_at
                    .as_ref()
                    .map(|at| format!("{} {at}", lang.pick("undone", "已撤销")))
                    .unwrap_or_default();
                outln!(
                    "#{} {} {} {} {} {}",
                    b.id,
                    text::p(&b.created_at),
                    text::p(&b.label),
                    b.rows,
                    lang.pick("rows", "行"),
                    text::p(&state)
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        None => {
            let (Some(project), Some(file)) = (args.project, args.file) else {
                return Err(lingtan::Error::new(
                    "MISSING_FIELD",
                    "file".to_string(),
                    "give PROJECT and FILE",
                    "请给出项目文件和要导入的文件",
                )
                .into());
            };
            // every output is checked before anything is read or written: a profile goes only
            // to a new file or over a profile Lingtan wrote, never over the project, its
            // journal files or a file this import reads
            let mut inputs: Vec<&Path> = vec![&file];
            if let Some(m) = &args.mapping {
                inputs.push(m);
            }
            let profile_out = args
                .save_mapping
                .as_deref()
                .map(|path| {
                    lingtan::files::check(
                        &[lingtan::files::Output::new(
                            path,
                            Some("save-mapping"),
                            lingtan::files::Replace::MappingProfile { force: args.force },
                        )],
                        Some(&project),
                        &inputs,
                    )
                })
                .transpose()?;
            let stamp = match args.timestamps.as_deref() {
                None => None,
                Some(t) => Some(lingtan::import::TimeStamps::parse(t).ok_or_else(|| {
                    lingtan::Error::new(
                        "BAD_VALUE",
                        "timestamps".to_string(),
                        format!("--timestamps '{t}': write beginning or ending"),
                        format!("--timestamps “{t}”：请写 beginning 或 ending"),
                    )
                })?),
            };
            let (multiplier, multipliers) = multipliers(&args.multiplier)?;
            let mut options = lingtan::import::ImportOptions {
                source: args.source.clone(),
                sheet: args.sheet,
                kind: args.kind,
                dry_run: args.dry_run,
                force: args.force,
                stamp,
                multiplier,
                multipliers,
                headers: Vec::new(),
                watch: None,
            };
            if let Some(path) = &args.mapping {
                lingtan::import::MappingProfile::load(path)?.apply(&mut options);
            }
            // a dry run writes nothing at all: the project is opened read-only
            let mut p = if args.dry_run {
                open_ro(&project)?
            } else {
                open(&project)?
            };
            if let (Some(site), Some(source)) = (&args.site, &args.source) {
                let s = p.find_source(source)?;
                let actual = p
                    .sites()?
                    .into_iter()
                    .find(|x| x.id == s.site_id)
                    .map(|x| x.name)
                    .unwrap_or_default();
                if &actual != site {
                    return Err(lingtan::Error::new(
                        "SITE_MISMATCH",
                        "site".to_string(),
                        format!("--site '{site}': source '{source}' is at site '{actual}'"),
                        format!("--site “{site}”：排放源“{source}”属于场所“{actual}”"),
                    )
                    .into());
                }
            }
            let report = p.import(&file, &options)?;
            if args.json {
                print_json(&lingtan::json::import(&report, lang))?;
            } else {
                out!("{}", text::import(&report, args.dry_run, &project, lang));
            }
            if let (Some(checked), Some(path)) = (profile_out, &args.save_mapping) {
                if args.dry_run {
                    // a dry run writes nothing at all
                    eprintln!(
                        "{}",
                        match lang {
                            Lang::En => format!("note: the mapping was not saved to {}: a dry run writes nothing; it is saved when you import without --dry-run", path.display()),
                            Lang::Zh => format!("注意：映射未保存到 {}：试运行不写入任何文件；去掉 --dry-run 导入时才会保存", path.display()),
                        }
                    );
                } else if !report.refused() {
                    let name = path
                        .file_stem()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default();
                    let bytes =
                        lingtan::import::MappingProfile::from_import(&name, &report, &options)
                            .to_bytes();
                    if let Err(e) = checked.write(vec![lingtan::files::Fill::Bytes(&bytes)]) {
                        // checked before the import, so rare; the import itself stands
                        eprintln!(
                            "{}[{}]: {}",
                            lang.pick("error", "错误"),
                            e.code,
                            e.message(lang)
                        );
                        return Ok(ExitCode::from(1));
                    }
                }
            }
            Ok(if report.refused() {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
    }
}
