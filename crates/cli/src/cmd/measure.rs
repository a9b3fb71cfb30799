//! `lingtan measure`: the reduction measures the factory is weighing — add, set (a new version;
//! the old one is kept) and list. After a change the measure is shown as the step computes it:
//! the kind's formula, the annual changes, abatement, MAC, NPV and payback.

use crate::face::{open, open_ro, print_json, RunError};
use crate::text;
use clap::{Args, Subcommand};
use lingtan::core::reduction::measure::InputValue;
use lingtan::core::{Decimal, Lang};
use lingtan::{MeasureEntry, Project};
use std::path::PathBuf;
use std::process::ExitCode;

/// Everything a measure can be given (`add`: what is missing takes its default; `set`: what is
/// missing stays as it was, an empty text clears it).
#[derive(Args)]
pub struct MeasureFields {
    /// pv-rooftop, led, vsd-compressor, motor, heat-recovery, heat-pump, fuel-switch,
    /// electric-forklift, refrigerant-switch, insulation, other
    #[arg(long)]
    kind: Option<String>,
    /// An annual change of a source's activity, "SOURCE=QTY UNIT" (negative saves, positive
    /// adds); repeatable. On `set`, the changes given replace the measure's.
    #[arg(long, allow_hyphen_values = true)]
    change: Vec<String>,
    /// Investment, CNY
    #[arg(long, allow_hyphen_values = true)]
    capex: Option<String>,
    /// Change of running cost, CNY per year (negative when it falls)
    #[arg(long, allow_hyphen_values = true)]
    opex: Option<String>,
    /// Years (default: the kind's)
    #[arg(long, allow_hyphen_values = true)]
    lifetime: Option<String>,
    /// The month it starts (or started) working, YYYY-MM
    #[arg(long)]
    start: Option<String>,
    /// idea (default), planned, approved, in-progress or done
    #[arg(long)]
    status: Option<String>,
    /// The onsite-generation source that meters it (a PV inverter's export)
    #[arg(long)]
    meter: Option<String>,
    /// The electricity source the kind's formula changes (when the project has several)
    #[arg(long)]
    electricity_source: Option<String>,
    /// The fuel source the kind's formula changes (when the project has several)
    #[arg(long)]
    fuel_source: Option<String>,
    /// The source of the new energy of a fuel switch
    #[arg(long)]
    new_source: Option<String>,
    /// The refrigerant source of a refrigerant switch
    #[arg(long)]
    refrigerant_source: Option<String>,
    // the kinds' engineering inputs
    /// pv-rooftop: peak power, kWp
    #[arg(long, allow_hyphen_values = true, help_heading = "Kind inputs")]
    kwp: Option<String>,
    /// pv-rooftop: specific yield, kWh per kWp per year
    #[arg(
        long = "yield",
        allow_hyphen_values = true,
        help_heading = "Kind inputs"
    )]
    yield_: Option<String>,
    /// pv-rooftop: share of the generation used on site, %
    #[arg(long, allow_hyphen_values = true, help_heading = "Kind inputs")]
    self_consumption: Option<String>,
    /// led: number of fixtures
    #[arg(long, allow_hyphen_values = true, help_heading = "Kind inputs")]
    fixtures: Option<String>,
    /// led: watts per fixture before
    #[arg(long, allow_hyphen_values = true, help_heading = "Kind inputs")]
    watts_old: Option<String>,
    /// led: watts per fixture after
    #[arg(long, allow_hyphen_values = true, help_heading = "Kind inputs")]
    watts_new: Option<String>,
    /// led, motor: operating hours per year
    #[arg(long, allow_hyphen_values = true, help_heading = "Kind inputs")]
    hours: Option<String>,
    /// vsd-compressor: kWh per year before
    #[arg(long, allow_hyphen_values = true, help_heading = "Kind inputs")]
    kwh_before: Option<String>,
    /// vsd-compressor: saving, %
    #[arg(long, allow_hyphen_values = true, help_heading = "Kind inputs")]
    saving: Option<String>,
    /// vsd-compressor: specific power before, kW per m3/min
    #[arg(long, allow_hyphen_values = true, help_heading = "Kind inputs")]
    specific_power_before: Option<String>,
    /// vsd-compressor: specific power after, kW per m3/min
    #[arg(long, allow_hyphen_values = true, help_heading = "Kind inputs")]
    specific_power_after: Option<String>,
    /// vsd-compressor: air delivered, m3 per year
    #[arg(long, allow_hyphen_values = true, help_heading = "Kind inputs")]
    air: Option<String>,
    /// motor: rated power, kW
    #[arg(long, allow_hyphen_values = true, help_heading = "Kind inputs")]
    power: Option<String>,
    /// motor: load, %
    #[arg(long, allow_hyphen_values = true, help_heading = "Kind inputs")]
    load: Option<String>,
    /// motor, fuel-switch: efficiency before, %
    #[arg(long, allow_hyphen_values = true, help_heading = "Kind inputs")]
    efficiency_old: Option<String>,
    /// motor, fuel-switch: efficiency after, %
    #[arg(long, allow_hyphen_values = true, help_heading = "Kind inputs")]
    efficiency_new: Option<String>,
    /// heat-recovery, heat-pump, fuel-switch, insulation: heat per year, GJ
    #[arg(long, allow_hyphen_values = true, help_heading = "Kind inputs")]
    heat: Option<String>,
    /// heat-recovery, heat-pump, insulation: boiler efficiency, %
    #[arg(long, allow_hyphen_values = true, help_heading = "Kind inputs")]
    boiler_efficiency: Option<String>,
    /// heat-pump: coefficient of performance
    #[arg(long, allow_hyphen_values = true, help_heading = "Kind inputs")]
    cop: Option<String>,
    /// electric-forklift: diesel saved, L per year
    #[arg(long, allow_hyphen_values = true, help_heading = "Kind inputs")]
    diesel: Option<String>,
    /// electric-forklift: kWh added per year
    #[arg(long, allow_hyphen_values = true, help_heading = "Kind inputs")]
    kwh: Option<String>,
    /// refrigerant-switch: the new refrigerant (e.g. R-32)
    #[arg(long, allow_hyphen_values = true, help_heading = "Kind inputs")]
    refrigerant: Option<String>,
    /// refrigerant-switch: top-up per year, kg
    #[arg(long, allow_hyphen_values = true, help_heading = "Kind inputs")]
    top_up: Option<String>,
}

impl MeasureFields {
    fn entry(self, name: String, reason: Option<String>) -> MeasureEntry {
        let inputs: Vec<(String, String)> = [
            ("kwp", self.kwp),
            ("yield", self.yield_),
            ("self-consumption", self.self_consumption),
            ("fixtures", self.fixtures),
            ("watts-old", self.watts_old),
            ("watts-new", self.watts_new),
            ("hours", self.hours),
            ("kwh-before", self.kwh_before),
            ("saving", self.saving),
            ("specific-power-before", self.specific_power_before),
            ("specific-power-after", self.specific_power_after),
            ("air", self.air),
            ("power", self.power),
            ("load", self.load),
            ("efficiency-old", self.efficiency_old),
            ("efficiency-new", self.efficiency_new),
            ("heat", self.heat),
            ("boiler-efficiency", self.boiler_efficiency),
            ("cop", self.cop),
            ("diesel", self.diesel),
            ("kwh", self.kwh),
            ("refrigerant", self.refrigerant),
            ("top-up", self.top_up),
        ]
        .into_iter()
        .filter_map(|(k, v)| v.map(|v| (k.to_string(), v)))
        .collect();
        MeasureEntry {
            name,
            kind: self.kind,
            changes: self.change,
            inputs,
            electricity_source: self.electricity_source,
            fuel_source: self.fuel_source,
            new_source: self.new_source,
            refrigerant_source: self.refrigerant_source,
            capex: self.capex,
            opex: self.opex,
            lifetime: self.lifetime,
            start: self.start,
            status: self.status,
            meter: self.meter,
            reason,
        }
    }
}

#[derive(Subcommand)]
pub enum MeasureCmd {
    /// Add a measure (its effect: the kind's formula from its inputs, or --change)
    Add {
        project: PathBuf,
        name: String,
        #[command(flatten)]
        fields: MeasureFields,
    },
    /// Change a measure: a new version (the old one is kept); what is not given stays
    Set {
        project: PathBuf,
        name: String,
        #[command(flatten)]
        fields: MeasureFields,
        /// Why it changed (kept with the version and in the audit log)
        #[arg(long)]
        reason: Option<String>,
    },
    /// List the measures as recorded (their figures: `lingtan reduction`)
    List {
        project: PathBuf,
        #[arg(long)]
        json: bool,
    },
}

fn money(d: Option<Decimal>) -> String {
    d.map(|v| lingtan::core::text::grouped(v, 0))
        .unwrap_or_else(|| "—".into())
}

/// The measure as the step computes it now (on the market basis, the project's year).
fn show(p: &Project, name: &str, lang: Lang) -> Result<(), RunError> {
    let l = |en: &'static str, zh: &'static str| lang.pick(en, zh);
    let r = p.reduction(None, None)?;
    let Some(m) = r.measures.iter().find(|m| m.name == name) else {
        return Ok(());
    };
    let Some(x) = &m.result else {
        return Ok(());
    };
    if let Some(f) = &x.formula {
        outln!(
            "  {}: {}",
            l("formula", "公式"),
            text::p(lang.pick(&f.en, &f.zh))
        );
    }
    for c in &x.changes {
        outln!(
            "  {} {}: {:+} {}/{}",
            l("change of", "变化"),
            text::p(&c.source),
            c.quantity.round_dp(3).normalize(),
            c.unit.code(),
            l("yr", "年")
        );
    }
    outln!(
        "  {} {} tCO2e/{} ({}), MAC {} CNY/t, NPV {} CNY, {} {}",
        l("abatement", "减排量"),
        x.abatement_tco2e
            .map(text::fmt)
            .unwrap_or_else(|| "—".into()),
        l("yr", "年"),
        r.basis.code(),
        money(x.mac),
        money(x.npv),
        l("payback (years)", "回收期（年）"),
        x.payback_years
            .map(|y| y.round_dp(1).to_string())
            .unwrap_or_else(|| "—".into())
    );
    for i in r
        .issues
        .iter()
        .filter(|i| i.place == format!("measure {name}"))
    {
        outln!("  {}: {}", i.severity.code(), text::p(&i.message(lang)));
    }
    Ok(())
}

pub fn run(cmd: MeasureCmd, lang: Lang) -> Result<ExitCode, RunError> {
    let l = |en: &'static str, zh: &'static str| lang.pick(en, zh);
    match cmd {
        MeasureCmd::Add {
            project,
            name,
            fields,
        } => {
            let mut p = open(&project)?;
            let row = p.add_measure(&fields.entry(name, None))?;
            let m = &row.measure;
            outln!(
                "{} '{}' ({}, {})",
                l("added measure", "已添加措施"),
                text::p(&m.name),
                m.kind.code(),
                m.status.code()
            );
            show(&p, &m.name, lang)?;
        }
        MeasureCmd::Set {
            project,
            name,
            fields,
            reason,
        } => {
            let mut p = open(&project)?;
            let row = p.set_measure(&fields.entry(name, reason))?;
            let m = &row.measure;
            outln!(
                "{} '{}' ({}, {}; {} {})",
                l("measure", "措施"),
                text::p(&m.name),
                m.kind.code(),
                m.status.code(),
                l("version", "版本"),
                row.version
            );
            show(&p, &m.name, lang)?;
        }
        MeasureCmd::List { project, json } => {
            let p = open_ro(&project)?;
            let list = p.measures()?;
            if json {
                print_json(&lingtan::reduction::json::measures(&list))?;
            } else if list.is_empty() {
                outln!(
                    "{}",
                    l(
                        "no measure recorded (add one with `lingtan measure add`)",
                        "尚未登记措施（用 `lingtan measure add` 添加）"
                    )
                );
            } else {
                for line in list {
                    let m = &line.measure;
                    let inputs: Vec<String> = m
                        .inputs
                        .iter()
                        .map(|(k, v)| match v {
                            InputValue::Number(d) => format!("{k}={}", d.normalize()),
                            InputValue::Text(t) => format!("{k}={}", text::p(t)),
                        })
                        .chain(m.changes.iter().map(|c| {
                            format!(
                                "{}={} {}",
                                text::p(&c.source),
                                c.quantity.normalize(),
                                c.unit.code()
                            )
                        }))
                        .collect();
                    outln!(
                        "{}\t{}\t{}\t{}\tcapex {}\t{}",
                        text::p(&m.name),
                        m.kind.code(),
                        m.status.code(),
                        m.start.map(|s| s.to_string()).unwrap_or_else(|| "-".into()),
                        text::fmt(m.capex),
                        inputs.join(", ")
                    );
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
