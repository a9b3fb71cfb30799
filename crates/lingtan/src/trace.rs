//! Where a figure comes from (`lingtan trace`, the desktop's drill-down): every record's
//! contribution to one figure of the inventory, with its factor, citation and evidence, and the
//! proof that the contributions add up to the figure. Read-only.
//!
//! A record's contribution is the calculation's own: its share of the year for a yearly figure,
//! its days in the month for a month (a bill spanning two months is split by days exactly as the
//! inventory splits it), its tonnes of the gas times the gas's GWP for a gas. Nothing is rounded:
//! the sum of the contributions is compared with the figure exactly. Decimals keep 28 significant
//! digits, and the inventory sums a source's months before multiplying where the trace multiplies
//! each record, so the two can differ in the 28th digit (10^-27 t): that difference is shown as
//! the calculation's rounding ([`Trace::rounding`]); anything above [`ROUNDING`] would be a record
//! left out and is said loudly.

use crate::input::{check_year, names_hint};
use crate::{Error, Field, InventoryReport, Project, Result};
use chrono::NaiveDate;
use lingtan_core::calc::{refrigerant_factor, InventoryPeriod, Line, SourceResult};
use lingtan_core::claim::ClaimPeriod;
use lingtan_core::claim::Text;
use lingtan_core::factor::EmissionFactor;
use lingtan_core::gas::Gas;
use lingtan_core::gas::Substance;
use lingtan_core::period::split;
use lingtan_core::text::{closest, printable};
use lingtan_core::{Decimal, Unit};
use serde::Serialize;
use std::collections::HashMap;

/// A figure of the inventory that can be traced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Figure {
    /// Scope 1 + 2 (location-based) + 3.
    Total,
    /// Scope 1 + 2 (market-based) + 3.
    TotalMarket,
    Scope1,
    /// Location-based.
    Scope2,
    Scope2Market,
    Scope3,
    /// ISO 14064-1 category 1–6 (category 2 location-based).
    Category(u8),
    Site(String),
    Source(String),
    /// Scope 1 + 2 (location-based) + 3 of one month.
    Month(i32, u32),
    Gas(String),
}

/// The kinds of figure, as typed.
pub const FIGURES: &[&str] = &[
    "total",
    "total-market",
    "scope1",
    "scope2",
    "scope2-market",
    "scope3",
    "category:N",
    "site:NAME",
    "source:NAME",
    "month:YYYY-MM",
    "gas:NAME",
];

fn refuse(code: &'static str, en: String, zh: String) -> Error {
    Error::new(code, Field::Figure, en, zh)
}

impl Figure {
    /// Read a figure as typed: `total`, `scope2-market`, `category:4`, `site:Anji plant`,
    /// `month:2024-03`, `gas:CH4-fossil` …
    pub fn parse(text: &str) -> Result<Figure> {
        let t = text.trim();
        let shown = printable(t);
        let shown = shown.as_ref();
        let (kind, arg) = match t.split_once(':') {
            Some((k, a)) => (k.trim().to_ascii_lowercase(), Some(a.trim())),
            None => (t.to_ascii_lowercase(), None),
        };
        let fig = match (kind.as_str(), arg) {
            ("total", None) => Some(Figure::Total),
            ("total-market", None) => Some(Figure::TotalMarket),
            ("scope1", None) => Some(Figure::Scope1),
            ("scope2", None) => Some(Figure::Scope2),
            ("scope2-market", None) => Some(Figure::Scope2Market),
            ("scope3", None) => Some(Figure::Scope3),
            ("category", Some(n)) => {
                return match n.parse::<u8>() {
                    Ok(n @ 1..=6) => Ok(Figure::Category(n)),
                    _ => Err(refuse(
                        "UNKNOWN_FIGURE",
                        format!("figure '{shown}': the ISO 14064-1 categories are 1 to 6 (category:1 … category:6)"),
                        format!("数字“{shown}”：ISO 14064-1 类别为 1 至 6（category:1 … category:6）"),
                    )),
                };
            }
            ("site", Some(n)) if !n.is_empty() => Some(Figure::Site(n.to_string())),
            ("source", Some(n)) if !n.is_empty() => Some(Figure::Source(n.to_string())),
            ("gas", Some(n)) if !n.is_empty() => Some(Figure::Gas(n.to_string())),
            ("month", Some(m)) => {
                let parsed = m.split_once('-').and_then(|(y, mo)| {
                    let y: i32 = y.parse().ok()?;
                    let mo: u32 = mo.parse().ok()?;
                    (y.to_string().len() == 4 && (1..=12).contains(&mo)).then_some((y, mo))
                });
                return match parsed {
                    Some((y, mo)) => Ok(Figure::Month(y, mo)),
                    None => Err(refuse(
                        "UNKNOWN_MONTH",
                        format!("figure '{shown}': a month is written YYYY-MM, e.g. month:2024-03"),
                        format!("数字“{shown}”：月份写作 YYYY-MM，例如 month:2024-03"),
                    )),
                };
            }
            _ => None,
        };
        fig.ok_or_else(|| {
            let near = closest(
                &kind,
                FIGURES.iter().map(|f| f.split(':').next().unwrap_or(f)),
            );
            let (en, zh) = names_hint(&near);
            refuse(
                "UNKNOWN_FIGURE",
                format!(
                    "figure '{shown}': not a figure{en} (figures: {})",
                    FIGURES.join(", ")
                ),
                format!(
                    "数字“{shown}”：不是可追溯的数字{zh}（可用：{}）",
                    FIGURES.join("、")
                ),
            )
        })
    }

    /// The figure as typed back: `month:2024-03`.
    pub fn code(&self) -> String {
        match self {
            Figure::Total => "total".into(),
            Figure::TotalMarket => "total-market".into(),
            Figure::Scope1 => "scope1".into(),
            Figure::Scope2 => "scope2".into(),
            Figure::Scope2Market => "scope2-market".into(),
            Figure::Scope3 => "scope3".into(),
            Figure::Category(n) => format!("category:{n}"),
            Figure::Site(n) => format!("site:{n}"),
            Figure::Source(n) => format!("source:{n}"),
            Figure::Month(y, m) => format!("month:{y}-{m:02}"),
            Figure::Gas(g) => format!("gas:{g}"),
        }
    }

    fn market(&self) -> bool {
        matches!(self, Figure::TotalMarket | Figure::Scope2Market)
    }
}

/// One record's contribution to a figure.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TraceLine {
    pub record: i64,
    pub version: u32,
    pub source: String,
    pub site: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// The record's quantity as entered.
    pub quantity: Decimal,
    pub unit: Unit,
    /// The part of the record in the figure: of its quantity for the year or the month, of its
    /// tCO2e for a gas; none when the record's own figure is zero.
    pub share: Option<Decimal>,
    /// Days of the record's period in the year or month, and its days in all.
    pub days: Option<(i64, i64)>,
    pub factor: String,
    pub factor_version: u32,
    pub citation: String,
    pub verified: bool,
    /// The evidence file's name.
    pub evidence: Option<String>,
    /// Where in the file: `sheet!row`.
    pub place: Option<String>,
    /// The contribution, exact.
    pub tco2e: Decimal,
}

/// A figure and the records it is made of.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trace {
    pub figure: String,
    /// The calendar year, or for a claim period the year it ends.
    pub year: i32,
    /// The claim period, when the inventory is not the calendar year `year`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub period: Option<InventoryPeriod>,
    pub title: Text,
    /// The inventory's figure, exact.
    pub tco2e: Decimal,
    /// The sum of the lines' contributions, exact.
    pub sum: Decimal,
    /// Largest contribution first.
    pub lines: Vec<TraceLine>,
}

/// The largest difference between the lines' sum and the figure that is the calculation's own
/// rounding (decimals keep 28 significant digits; the inventory sums a source's months before
/// multiplying, the trace multiplies each record): 10^-12 tCO2e, a microgram.
pub const ROUNDING: Decimal = Decimal::from_parts(1, 0, 0, false, 12);

impl Trace {
    /// The lines add up to the figure exactly.
    pub fn exact(&self) -> bool {
        self.sum == self.tco2e
    }

    /// The figure minus the lines' sum (zero when exact).
    pub fn rounding(&self) -> Decimal {
        self.tco2e - self.sum
    }

    /// The difference, if any, is rounding at the 28th significant digit — not a record left out.
    pub fn explained(&self) -> bool {
        self.rounding().abs() < ROUNDING
    }
}

fn days_of(from: NaiveDate, to: NaiveDate, year: i32, month: Option<u32>) -> (i64, i64) {
    let shares = split(from, to, Decimal::ZERO);
    let all: i64 = shares.iter().map(|s| s.days).sum();
    let inside: i64 = shares
        .iter()
        .filter(|s| s.year == year && month.is_none_or(|m| s.month == m))
        .map(|s| s.days)
        .sum();
    (inside, all)
}

/// Days of the record `from..=to` inside `window` (its first and last day), and its days in all:
/// the days a claim period's inventory pro-rates by.
fn days_within(from: NaiveDate, to: NaiveDate, window: (NaiveDate, NaiveDate)) -> (i64, i64) {
    let all = (to - from).num_days() + 1;
    let (a, b) = (from.max(window.0), to.min(window.1));
    let inside = if b >= a { (b - a).num_days() + 1 } else { 0 };
    (inside, all.max(0))
}

/// A factor version the inventory used: stored, or (for a refrigerant) built from the gas table
/// as the calculation builds it.
pub fn factor_version(stored: &[EmissionFactor], id: &str, version: u32) -> Option<EmissionFactor> {
    stored
        .iter()
        .find(|f| f.id == id && f.version == version)
        .cloned()
        .or_else(|| {
            Substance::parse(id.strip_prefix("REFRIGERANT-")?)
                .map(refrigerant_factor)
                .filter(|f| f.id == id && f.version == version)
        })
}

fn ratio(part: Decimal, whole: Decimal) -> Option<Decimal> {
    if whole.is_zero() {
        None
    } else {
        part.checked_div(whole)
    }
}

impl Project {
    /// Trace `figure` (as typed, see [`Figure::parse`]) in the inventory of `year` (the project's
    /// year by default; a `month:` outside that year is refused).
    pub fn trace(&self, figure: &str, year: Option<i32>) -> Result<Trace> {
        let figure = Figure::parse(figure)?;
        let info = self.store.project()?;
        let year = year.unwrap_or(info.year);
        check_year(Field::Year, year)?;
        let report = self.inventory(Some(year), true)?;
        self.trace_in(&report, &figure)
    }

    /// [`Project::trace`] in the inventory of a claim period (`--from` … `--to`), refused as
    /// [`Project::inventory_period`] refuses the period; a `month:` outside the period is
    /// refused. A calendar year traces exactly as [`Project::trace`].
    pub fn trace_period(&self, figure: &str, period: ClaimPeriod) -> Result<Trace> {
        let figure = Figure::parse(figure)?;
        let report = self.inventory_period(period, true)?;
        self.trace_in(&report, &figure)
    }

    /// [`Project::trace`] in an inventory already computed (with its lines).
    pub fn trace_in(&self, report: &InventoryReport, figure: &Figure) -> Result<Trace> {
        let inv = &report.inventory;
        let year = inv.year;
        let t = &inv.totals;
        // a gas as the inventory spells it (`co2` is `CO2`)
        let canonical = match figure {
            Figure::Gas(g) => inv
                .gases
                .iter()
                .find(|x| x.gas.eq_ignore_ascii_case(g))
                .map(|x| Figure::Gas(x.gas.clone())),
            _ => None,
        };
        let figure = canonical.as_ref().unwrap_or(figure);
        let sources: HashMap<i64, &SourceResult> =
            inv.sources.iter().map(|s| (s.source_id, s)).collect();
        let scope_of = |l: &Line| sources.get(&l.source_id).map(|s| s.scope).unwrap_or(0);
        // the figure, its title, and which lines it holds
        let (value, title): (Decimal, Text) = match figure {
            Figure::Total => (
                t.total_location,
                Text::new("Total (scope 2 location-based)", "合计（范围二基于位置）"),
            ),
            Figure::TotalMarket => (
                t.total_market,
                Text::new("Total (scope 2 market-based)", "合计（范围二基于市场）"),
            ),
            Figure::Scope1 => (t.scope1, Text::new("Scope 1 — direct", "范围一 — 直接排放")),
            Figure::Scope2 => (
                t.scope2_location,
                Text::new("Scope 2 — location-based", "范围二 — 基于位置"),
            ),
            Figure::Scope2Market => (
                t.scope2_market,
                Text::new("Scope 2 — market-based", "范围二 — 基于市场"),
            ),
            Figure::Scope3 => (
                t.scope3,
                Text::new("Scope 3 — other indirect", "范围三 — 其他间接排放"),
            ),
            Figure::Category(n) => {
                let (en, zh) = lingtan_core::source::IsoCategory(*n).names();
                (
                    inv.categories.get(n).copied().unwrap_or_default(),
                    Text::new(format!("Category {n} — {en}"), format!("类别 {n} — {zh}")),
                )
            }
            Figure::Site(name) => {
                let sites = self.store.sites()?;
                let shown = printable(name);
                if !sites.iter().any(|s| &s.name == name) {
                    let near = closest(name, sites.iter().map(|s| s.name.as_str()));
                    let (en, zh) = names_hint(&near);
                    return Err(refuse(
                        "UNKNOWN_SITE",
                        format!("figure 'site:{shown}': no such site{en}"),
                        format!("数字“site:{shown}”：没有该场所{zh}"),
                    ));
                }
                (
                    inv.sites
                        .iter()
                        .find(|s| &s.site == name)
                        .map(|s| s.total_location)
                        .unwrap_or_default(),
                    Text::new(
                        format!("Site {name} (scope 2 location-based)"),
                        format!("场所 {name}（范围二基于位置）"),
                    ),
                )
            }
            Figure::Source(name) => {
                let all = self.store.sources()?;
                let shown = printable(name);
                let Some(src) = all.iter().find(|s| &s.name == name) else {
                    let near = closest(name, all.iter().map(|s| s.name.as_str()));
                    let (en, zh) = names_hint(&near);
                    return Err(refuse(
                        "UNKNOWN_SOURCE",
                        format!("figure 'source:{shown}': no such emission source{en}"),
                        format!("数字“source:{shown}”：没有该排放源{zh}"),
                    ));
                };
                (
                    sources.get(&src.id).map(|s| s.tco2e).unwrap_or_default(),
                    Text::new(
                        format!("Source {name} (scope 2 location-based)"),
                        format!("排放源 {name}（范围二基于位置）"),
                    ),
                )
            }
            Figure::Month(y, m) if inv.period.is_some() => {
                let first = inv.months.first();
                let last = inv.months.last();
                let ym = |x: Option<&lingtan_core::calc::MonthTotal>| {
                    x.map(|x| format!("{}-{:02}", x.year.unwrap_or(year), x.month))
                        .unwrap_or_default()
                };
                let Some(mt) = inv
                    .months
                    .iter()
                    .find(|x| x.year.unwrap_or(year) == *y && x.month == *m)
                else {
                    let (a, b) = (ym(first), ym(last));
                    let days = inv
                        .period
                        .map(|p| format!("{} – {}", p.from, p.to))
                        .unwrap_or_default();
                    return Err(refuse(
                        "UNKNOWN_MONTH",
                        format!(
                            "figure 'month:{y}-{m:02}': not a month of the period {days} (month:{a} … month:{b})"
                        ),
                        format!(
                            "数字“month:{y}-{m:02}”：不在期间 {days} 之内（month:{a} … month:{b}）"
                        ),
                    ));
                };
                (
                    mt.scope1 + mt.scope2_location + mt.scope3,
                    Text::new(
                        format!("{y}-{m:02}: each record's days in the month within the period (a bill spanning months is split by days; scope 2 location-based)"),
                        format!("{y} 年 {m} 月：各记录在该月（期间之内）的天数份额（跨月账单按天数分摊；范围二基于位置）"),
                    ),
                )
            }
            Figure::Month(y, m) => {
                if *y != year {
                    return Err(refuse(
                        "UNKNOWN_MONTH",
                        format!(
                            "figure 'month:{y}-{m:02}': not a month of the {year} inventory (month:{year}-01 … month:{year}-12)"
                        ),
                        format!(
                            "数字“month:{y}-{m:02}”：不在 {year} 年盘查之内（month:{year}-01 … month:{year}-12）"
                        ),
                    ));
                }
                let mt = inv.months.iter().find(|x| x.month == *m);
                (
                    mt.map(|x| x.scope1 + x.scope2_location + x.scope3)
                        .unwrap_or_default(),
                    Text::new(
                        format!("{year}-{m:02}: each record's days in the month (a bill spanning months is split by days; scope 2 location-based)"),
                        format!("{year} 年 {m} 月：各记录在该月的天数份额（跨月账单按天数分摊；范围二基于位置）"),
                    ),
                )
            }
            Figure::Gas(g) => {
                let Some(gt) = inv.gases.iter().find(|x| &x.gas == g) else {
                    let shown = printable(g);
                    let near = closest(g, inv.gases.iter().map(|x| x.gas.as_str()));
                    let near = if near.is_empty() {
                        inv.gases.iter().map(|x| x.gas.clone()).collect()
                    } else {
                        near
                    };
                    let (en, zh) = names_hint(&near);
                    return Err(refuse(
                        "UNKNOWN_GAS",
                        format!("figure 'gas:{shown}': no emissions of this gas in {year}{en}"),
                        format!("数字“gas:{shown}”：{year} 年无该气体的排放{zh}"),
                    ));
                };
                (
                    gt.tco2e,
                    Text::new(
                        format!(
                            "{g}: each record's tonnes of the gas × its GWP ({:?})",
                            inv.gwp
                        ),
                        format!("{g}：各记录中该气体的吨数 × 其 GWP（{:?}）", inv.gwp),
                    ),
                )
            }
        };
        let gwp_of = |gas: &str| {
            Gas::parse(gas)
                .map(|x| x.gwp(inv.gwp))
                .unwrap_or(Decimal::ONE)
        };
        // a line's months are numbered 1–12 for a calendar year, 1… in the period's order for
        // a claim period: the number of the figure's month among them
        let slot = |y: i32, m: u32| -> u32 {
            if inv.period.is_none() {
                return m;
            }
            inv.months
                .iter()
                .position(|x| x.year.unwrap_or(year) == y && x.month == m)
                .map_or(0, |i| i as u32 + 1)
        };
        // the days a yearly figure (the period's) and a month (within the period) cover
        let window = |month: Option<(i32, u32)>| -> Option<(NaiveDate, NaiveDate)> {
            let p = inv.period?;
            match month {
                None => Some((p.from, p.to)),
                Some((y, m)) => {
                    let first = NaiveDate::from_ymd_opt(y, m, 1)?;
                    let next = if m == 12 {
                        NaiveDate::from_ymd_opt(y + 1, 1, 1)?
                    } else {
                        NaiveDate::from_ymd_opt(y, m + 1, 1)?
                    };
                    Some((first.max(p.from), next.pred_opt()?.min(p.to)))
                }
            }
        };
        // each line's contribution, or None when it is not in the figure
        let contribution = |l: &Line| -> Option<Decimal> {
            let src = sources.get(&l.source_id)?;
            let market = figure.market() && src.scope == 2;
            let whole = if market { l.tco2e_market } else { l.tco2e };
            match figure {
                Figure::Total | Figure::TotalMarket => Some(whole),
                Figure::Scope1 => (src.scope == 1).then_some(whole),
                Figure::Scope2 | Figure::Scope2Market => (src.scope == 2).then_some(whole),
                Figure::Scope3 => (src.scope == 3).then_some(whole),
                Figure::Category(n) => (src.category == *n).then_some(whole),
                Figure::Site(name) => (&src.site == name).then_some(whole),
                Figure::Source(name) => (&src.source == name).then_some(whole),
                Figure::Month(y, m) => {
                    let m = slot(*y, *m);
                    let parts: Vec<_> = l.months.iter().filter(|x| x.0 == m).collect();
                    (!parts.is_empty()).then(|| parts.iter().map(|x| x.2).sum())
                }
                Figure::Gas(g) => {
                    let tonnes: Vec<Decimal> = l
                        .gases
                        .iter()
                        .filter(|(x, _)| x == g)
                        .map(|(_, t)| *t)
                        .collect();
                    (!tonnes.is_empty())
                        .then(|| tonnes.iter().map(|t| *t * gwp_of(g)).sum::<Decimal>())
                }
            }
        };
        let records: HashMap<i64, lingtan_store::ActivityRow> = self
            .store
            .activities(None)?
            .into_iter()
            .map(|a| (a.id, a))
            .collect();
        let evidence: HashMap<i64, String> = self
            .store
            .evidence()?
            .into_iter()
            .map(|e| (e.id, e.file_name))
            .collect();
        let factors = self.store.factors()?;
        let find = |id: &str, version: u32| factor_version(&factors, id, version);
        let mut lines = Vec::new();
        for l in &inv.lines {
            let Some(c) = contribution(l) else {
                continue;
            };
            let src = sources.get(&l.source_id);
            let market = figure.market() && scope_of(l) == 2;
            let fref = match (&l.market_factor, market) {
                (Some(m), true) => m,
                _ => &l.factor,
            };
            let f = find(&fref.id, fref.version);
            let a = records.get(&l.activity_id);
            let (from, to) = a.map(|a| (a.from, a.to)).unwrap_or_default();
            let (quantity, share, days) = match (figure, a) {
                (Figure::Month(y, m), Some(a)) => {
                    let q: Decimal = l
                        .months
                        .iter()
                        .filter(|x| x.0 == slot(*y, *m))
                        .map(|x| x.1)
                        .sum();
                    let days = match window(Some((*y, *m))) {
                        Some(w) => days_within(a.from, a.to, w),
                        None => days_of(a.from, a.to, year, Some(*m)),
                    };
                    (a.quantity, ratio(q, a.quantity), Some(days))
                }
                (Figure::Gas(_), Some(a)) => (a.quantity, ratio(c, l.tco2e), None),
                (_, Some(a)) => (
                    a.quantity,
                    ratio(l.quantity, a.quantity),
                    Some(match window(None) {
                        Some(w) => days_within(a.from, a.to, w),
                        None => days_of(a.from, a.to, year, None),
                    }),
                ),
                (_, None) => (l.quantity, None, None),
            };
            lines.push(TraceLine {
                record: l.activity_id,
                version: l.activity_version,
                source: src.map(|s| s.source.clone()).unwrap_or_default(),
                site: src.map(|s| s.site.clone()).unwrap_or_default(),
                from,
                to,
                quantity,
                unit: a.map(|a| a.unit).unwrap_or(l.unit),
                share,
                days,
                factor: fref.id.clone(),
                factor_version: fref.version,
                citation: f.as_ref().map(|f| f.citation.clone()).unwrap_or_default(),
                verified: f.as_ref().is_some_and(|f| f.verified),
                evidence: a
                    .and_then(|a| a.evidence_id)
                    .and_then(|id| evidence.get(&id).cloned()),
                place: a.and_then(|a| a.origin_ref.clone()),
                tco2e: c,
            });
        }
        lines.sort_by(|a, b| b.tco2e.cmp(&a.tco2e).then(a.record.cmp(&b.record)));
        // summed in the order shown, so that a reader adding the lines down gets this sum
        let sum = lines.iter().map(|l| l.tco2e).sum();
        Ok(Trace {
            figure: figure.code(),
            year,
            period: inv.period,
            title,
            tco2e: value,
            sum,
            lines,
        })
    }
}
