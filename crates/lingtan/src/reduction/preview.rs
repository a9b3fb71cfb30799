//! What a form shows before anything is recorded, and what the step still lacks.
//!
//! [`Project::preview_measure`] checks and evaluates a measure exactly as
//! [`Project::add_measure`] (or [`Project::set_measure`]) would record it — the same refusals,
//! the project's year's activity, factors and energy prices, the discount rate set — and writes
//! nothing: the desktop's measure form shows the kind's formula and the result as the person
//! types. [`readiness`] names what the reduction step is missing for a report: a target, a price
//! for every source a measure changes, output data for an intensity target.

use super::{named, refused, BTreeSet, DiscountRate, MeasureEntry, MeasureResult, ReductionReport};
use crate::{Project, Result};
use lingtan_core::reduction::abatement::{self, evaluate, rates_of};
use lingtan_core::reduction::finance::NoMac;
use lingtan_core::reduction::target::TargetKind;
use lingtan_core::reduction::Basis;

impl Project {
    /// `entry` evaluated as `add_measure` (`existing`: as `set_measure` over the recorded
    /// measure of that name) would record it, on `basis` (market by default), against the
    /// project's year. The same refusals as recording it, with the field named; nothing is
    /// written. A name is not needed yet.
    pub fn preview_measure(
        &self,
        entry: &MeasureEntry,
        existing: bool,
        basis: Option<Basis>,
    ) -> Result<MeasureResult> {
        let base = if existing {
            Some(self.find_measure(&entry.name)?.measure)
        } else {
            None
        };
        let name = match (&base, entry.name.trim()) {
            (Some(b), _) => b.name.clone(),
            (None, "") => "—".to_string(),
            (None, n) => n.to_string(),
        };
        let record = self.measure_from_entry(entry, base.as_ref(), name)?;
        let info = self.store.project()?;
        let sources = self.store.sources()?;
        let measure = named(&record, &sources);
        let years = self.inventories(&BTreeSet::from([info.year]), info.year)?;
        let Some(this) = years.get(&info.year) else {
            return Err(super::refusal(
                "NO_INVENTORY",
                "year",
                format!("the inventory of {} could not be computed", info.year),
                format!("无法计算 {} 年的盘查", info.year),
            ));
        };
        let infos = self.source_infos(&sources, &this.report)?;
        let rates = rates_of(&this.report.inventory, &this.resolved);
        let all: BTreeSet<String> = sources.iter().map(|s| s.name.clone()).collect();
        let mut issues = Vec::new();
        let (prices, _) = self.prices_for(&sources, &infos, &all, &mut issues)?;
        let discount_rate = self
            .store
            .reduction_settings()?
            .discount_rate_pct
            .and_then(|p| DiscountRate::from_pct(p).ok())
            .unwrap_or_default();
        evaluate(
            &measure,
            &abatement::Context {
                sources: &infos,
                rates: &rates,
                prices: &prices,
                gwp: info.gwp,
                discount_rate,
                basis: basis.unwrap_or(Basis::Market),
            },
        )
        .map_err(refused)
    }
}

/// One thing the reduction step needs, found or missing, in both languages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepCheck {
    /// Stable: `target`, `measures`, `prices`, `output`.
    pub key: &'static str,
    pub ok: bool,
    pub label_en: String,
    pub label_zh: String,
    pub detail_en: String,
    pub detail_zh: String,
}

fn names(list: &[&str]) -> String {
    list.iter()
        .map(|n| format!("'{n}'"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn names_zh(list: &[&str]) -> String {
    list.iter()
        .map(|n| format!("“{n}”"))
        .collect::<Vec<_>>()
        .join("、")
}

/// What the reduction step is missing, from what it computed: no target, no measure, a measure
/// whose savings cannot be priced (its MAC is then missing), an intensity target without output
/// in its base year or the reporting year.
pub fn readiness(r: &ReductionReport) -> Vec<StepCheck> {
    let mut out = Vec::new();
    let targets: Vec<&str> = r.targets.iter().map(|t| t.target.name.as_str()).collect();
    out.push(StepCheck {
        key: "target",
        ok: !targets.is_empty(),
        label_en: "A reduction target is set".into(),
        label_zh: "已设定减排目标".into(),
        detail_en: if targets.is_empty() {
            "No target yet: set one against the base year under Targets.".into()
        } else {
            format!("{} target(s): {}", targets.len(), names(&targets))
        },
        detail_zh: if targets.is_empty() {
            "尚无目标：请在“目标”中相对基准年设定。".into()
        } else {
            format!("{} 个目标：{}", targets.len(), names_zh(&targets))
        },
    });
    out.push(StepCheck {
        key: "measures",
        ok: !r.measures.is_empty(),
        label_en: "Reduction measures are listed".into(),
        label_zh: "已列出减排措施".into(),
        detail_en: if r.measures.is_empty() {
            "No measure yet: add the ones the factory is weighing under Measures.".into()
        } else {
            format!("{} measure(s)", r.measures.len())
        },
        detail_zh: if r.measures.is_empty() {
            "尚无措施：请在“措施”中添加工厂正在考虑的措施。".into()
        } else {
            format!("{} 项措施", r.measures.len())
        },
    });
    let unpriced: Vec<&str> = r
        .measures
        .iter()
        .filter(|m| {
            m.result
                .as_ref()
                .is_some_and(|x| x.no_mac == Some(NoMac::NoPrice) || x.savings.is_none())
        })
        .map(|m| m.name.as_str())
        .collect();
    let sources: BTreeSet<&str> = r
        .measures
        .iter()
        .filter_map(|m| m.result.as_ref())
        .flat_map(|x| x.savings_lines.iter())
        .filter(|l| l.price.is_none())
        .map(|l| l.source.as_str())
        .collect();
    let sources: Vec<&str> = sources.into_iter().collect();
    out.push(StepCheck {
        key: "prices",
        ok: unpriced.is_empty(),
        label_en: "Every measure's energy is priced".into(),
        label_zh: "每项措施涉及的能源都有价格".into(),
        detail_en: if unpriced.is_empty() {
            "Savings, MAC, NPV and payback can be computed for every measure.".into()
        } else {
            format!(
                "No energy price for {} (measures {}): their MAC, NPV and payback are missing — set a price under Measures, or import bills that carry a cost.",
                names(&sources),
                names(&unpriced)
            )
        },
        detail_zh: if unpriced.is_empty() {
            "每项措施的节省、边际减排成本、净现值和回收期都可计算。".into()
        } else {
            format!(
                "{} 无能源价格（措施 {}）：其边际减排成本、净现值和回收期缺失——请在“措施”中设置价格，或导入带金额的账单。",
                names_zh(&sources),
                names_zh(&unpriced)
            )
        },
    });
    let mut lacking: Vec<String> = Vec::new();
    for t in &r.targets {
        if t.target.kind != TargetKind::Intensity {
            continue;
        }
        let metric = t.target.metric.as_ref().map_or("", |m| m.name.as_str());
        for year in [t.target.base_year, r.year] {
            if !t.outputs.iter().any(|(y, _)| *y == year) {
                lacking.push(format!("{} ({metric}, {year})", t.target.name));
            }
        }
    }
    let intensity = r
        .targets
        .iter()
        .any(|t| t.target.kind == TargetKind::Intensity);
    out.push(StepCheck {
        key: "output",
        ok: lacking.is_empty(),
        label_en: "Output data for intensity targets".into(),
        label_zh: "强度目标有产出数据".into(),
        detail_en: if !intensity {
            "No intensity target: output is optional (it normalises achieved abatement).".into()
        } else if lacking.is_empty() {
            "Every intensity target has output in its base year and this year.".into()
        } else {
            format!(
                "No output recorded for {}: record it under Targets (output).",
                lacking.join(", ")
            )
        },
        detail_zh: if !intensity {
            "无强度目标：产出数据可选（用于实际减排量的产量归一）。".into()
        } else if lacking.is_empty() {
            "每个强度目标在基准年和本年度都有产出数据。".into()
        } else {
            format!("{} 无产出记录：请在“目标”中登记产出。", lacking.join("、"))
        },
    });
    out
}
