//! `lingtan source`: add and list emission sources.

use crate::face::{open, open_ro, print_json, RunError};
use crate::text;
use anyhow::Context as _;
use clap::Subcommand;
use lingtan::SourceEntry;
use lingtan_core::Lang;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum SourceCmd {
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

pub fn run(cmd: SourceCmd, lang: Lang) -> Result<ExitCode, RunError> {
    match cmd {
        SourceCmd::Add {
            project,
            name,
            site,
            kind,
            fuel,
            factor,
            market_factor,
            unit,
            uncertainty,
        } => {
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
        SourceCmd::List { project, json } => {
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
    }
    Ok(ExitCode::SUCCESS)
}
