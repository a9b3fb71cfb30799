//! `lingtan factor add` and `lingtan factors`: a user's own factor, and the list.

use crate::face::{open, open_ro, print_json, RunError};
use crate::text;
use clap::{Args, Subcommand};
use lingtan::FactorEntry;
use lingtan_core::Lang;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum FactorCmd {
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

pub fn run(cmd: FactorCmd, lang: Lang) -> Result<ExitCode, RunError> {
    match cmd {
        FactorCmd::Add {
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
        } => {
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
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(Args)]
pub struct FactorsArgs {
    project: PathBuf,
    #[arg(long)]
    search: Option<String>,
    #[arg(long)]
    json: bool,
}

pub fn list(args: FactorsArgs, lang: Lang) -> Result<ExitCode, RunError> {
    let FactorsArgs {
        project,
        search,
        json,
    } = args;
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
    Ok(ExitCode::SUCCESS)
}
