//! `lingtan new` and `lingtan project`: create a project, show and change its settings.

use crate::face::clock;
use crate::face::{open, open_ro, RunError};
use clap::{Args, Subcommand};
use lingtan::{NewProject, Project};
use lingtan_core::Lang;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args)]
pub struct NewArgs {
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
}

pub fn new(args: NewArgs, lang: Lang) -> Result<ExitCode, RunError> {
    let NewArgs {
        project,
        org,
        org_zh,
        year,
        base_year,
        gwp,
        boundary,
    } = args;
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
    Ok(ExitCode::SUCCESS)
}

#[derive(Subcommand)]
pub enum ProjectCmd {
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

pub fn run(cmd: ProjectCmd, lang: Lang) -> Result<ExitCode, RunError> {
    match cmd {
        ProjectCmd::Show { project } => {
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
        ProjectCmd::Set {
            project,
            base_year,
            prepared_by,
            report_date,
        } => {
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
    }
    Ok(ExitCode::SUCCESS)
}
