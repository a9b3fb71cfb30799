//! `lingtan`: the command-line face of the Lingtan workbench.
//!
//! Thin glue: parse arguments, call the `lingtan` API, print the result as text or stable JSON.
//! Exit status: 0 done; 1 refused (bad input, nothing changed); 2 usage error; 3 the inventory
//! has error issues (a figure is missing until they are fixed); 4 `audit --verify` found
//! tampering, or `dossier verify` a difference; 5 `check` found a failing readiness check.
//! `reduction` exits 3 when one of its issues is an error (a figure is missing).
//!
//! `main` parses the command line and hands the command to its module in [`cmd`] (one per
//! command group); [`face`] holds what they share (language, clock, opening, refusals, the one
//! writer of standard output), [`text`] the human-readable forms.

/// Print to stdout through [`face::write_out`] (never `print!`, which panics when the reader has
/// gone).
macro_rules! out {
    ($($arg:tt)*) => { $crate::face::write_out(format_args!($($arg)*), false) };
}

/// [`out!`] and a new line.
macro_rules! outln {
    ($($arg:tt)*) => { $crate::face::write_out(format_args!($($arg)*), true) };
}

mod cmd;
mod face;
mod text;

use clap::{Parser, Subcommand};
use face::{
    lang_from_env, output_failed, refuse, RunError, CLOCK, LANG_FLAG, STDOUT_CLOSED, STDOUT_FAILED,
};
use lingtan::core::Lang;
use std::process::ExitCode;

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
    New(cmd::project::NewArgs),
    /// Sites (plants, buildings)
    #[command(subcommand)]
    Site(cmd::site::SiteCmd),
    /// Emission sources
    #[command(subcommand)]
    Source(cmd::source::SourceCmd),
    /// Activity data (bills, meter readings, purchase logs)
    #[command(subcommand)]
    Activity(cmd::activity::ActivityCmd),
    /// Add your own emission factor
    #[command(subcommand)]
    Factor(cmd::factor::FactorCmd),
    /// List the project's emission factors
    Factors(cmd::factor::FactorsArgs),
    /// Write the GHG inventory report: the certifier's PDF and an XLSX with live formulas for the
    /// auditor (without --pdf or --xlsx, print the report as text). --lang zh, en or zh+en.
    Report(cmd::report::ReportArgs),
    /// Compute the GHG inventory
    Inventory(cmd::inventory::InventoryArgs),
    /// Is the inventory ready to show a certifier? Each check passes, warns or fails (exit 5 when one fails)
    Check(cmd::check::CheckArgs),
    /// Where a figure comes from: every record's contribution, its factor and evidence, adding up exactly
    Trace(cmd::trace::TraceArgs),
    /// Show the audit log, or verify it
    Audit(cmd::audit::AuditArgs),
    /// Import bills from a spreadsheet (.xlsx, .xls, .ods, .csv in UTF-8 or GBK); `import undo` reverts a batch
    Import(cmd::import::ImportArgs),
    /// Output (product, value added, revenue): the denominators of intensity
    #[command(subcommand)]
    Output(cmd::output::OutputCmd),
    /// Reduction targets against the base year
    #[command(subcommand)]
    Target(cmd::target::TargetCmd),
    /// Reduction measures (PV, LED, heat pump …) with their inputs, costs and status
    #[command(subcommand)]
    Measure(Box<cmd::measure::MeasureCmd>),
    /// The reduction step (碳减排): targets, measures, the MACC, progress, what changed and why
    Reduction(cmd::reduction::ReductionArgs),
    /// Energy attribute certificates (green-electricity certificates 绿证, green-power trades,
    /// I-REC, GO, REC) for the market-based scope 2
    #[command(subcommand)]
    Eac(cmd::eac::EacCmd),
    /// Carbon credits by registry serial (CCER, Verra, Gold Standard, CDM): add, retire, list, void
    #[command(subcommand)]
    Credit(cmd::credit::CreditCmd),
    /// The offset summary of a year: residual emissions, credits retired against them, coverage,
    /// shortfall and the shares (碳抵消)
    Offset(cmd::offset::OffsetArgs),
    /// Certification (零碳认证): a framework's checks on a claim period (iso14068-1, pas2060,
    /// zcf-i, zcf-ii; exit 5 when a check fails), `claim set` and `claim show`
    Claim(cmd::claim::ClaimArgs),
    /// Project settings
    #[command(subcommand)]
    Project(cmd::project::ProjectCmd),
    /// Write a consistent copy of the project (SQLite VACUUM INTO)
    Backup(cmd::backup::BackupArgs),
    /// The certifier's dossier (零碳认证资料包): the PDF, the workbook, every evidence file, a
    /// snapshot of the project and a manifest with their SHA-256 and one root hash, in a new
    /// folder; `dossier verify DIR` checks one (exit 4 when anything differs)
    Dossier(cmd::dossier::DossierArgs),
    /// The zero-carbon-factory evaluation (零碳工厂, T/CECA-G 0171-2022): import the assessor's
    /// scoring table, show the total, the star levels and the figures from the project
    #[command(subcommand)]
    Zcf(cmd::zcf::ZcfCmd),
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

/// Hand the command to its module.
fn run(command: Command, lang: Lang, lang_flag: Option<&str>) -> Result<ExitCode, RunError> {
    match command {
        Command::New(args) => cmd::project::new(args, lang),
        Command::Site(c) => cmd::site::run(c, lang),
        Command::Source(c) => cmd::source::run(c, lang),
        Command::Activity(c) => cmd::activity::run(c, lang),
        Command::Factor(c) => cmd::factor::run(c, lang),
        Command::Factors(args) => cmd::factor::list(args, lang),
        Command::Report(args) => cmd::report::run(args, lang, lang_flag),
        Command::Inventory(args) => cmd::inventory::run(args, lang),
        Command::Check(args) => cmd::check::run(args, lang),
        Command::Trace(args) => cmd::trace::run(args, lang),
        Command::Audit(args) => cmd::audit::run(args, lang),
        Command::Import(args) => cmd::import::run(args, lang),
        Command::Output(c) => cmd::output::run(c, lang),
        Command::Target(c) => cmd::target::run(c, lang),
        Command::Measure(c) => cmd::measure::run(*c, lang),
        Command::Reduction(args) => cmd::reduction::run(args, lang),
        Command::Eac(c) => cmd::eac::run(c, lang),
        Command::Credit(c) => cmd::credit::run(c, lang),
        Command::Offset(args) => cmd::offset::run(args, lang),
        Command::Claim(args) => cmd::claim::run(args, lang, lang_flag),
        Command::Project(c) => cmd::project::run(c, lang),
        Command::Backup(args) => cmd::backup::run(args, lang),
        Command::Dossier(args) => cmd::dossier::run(args, lang, lang_flag),
        Command::Zcf(c) => cmd::zcf::run(c, lang),
    }
}
