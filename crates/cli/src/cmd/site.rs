//! `lingtan site`: add and list sites.

use crate::face::{open, open_ro, print_json, RunError};
use crate::text;
use anyhow::Context as _;
use clap::Subcommand;
use lingtan_core::Lang;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum SiteCmd {
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

pub fn run(cmd: SiteCmd, lang: Lang) -> Result<ExitCode, RunError> {
    match cmd {
        SiteCmd::Add {
            project,
            name,
            grid,
            address,
        } => {
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
        SiteCmd::List { project, json } => {
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
    }
    Ok(ExitCode::SUCCESS)
}
