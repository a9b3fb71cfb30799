//! The inventory calculation: activity × factor → tonnes per gas → tCO2e with the period's GWP
//! set, totalled by scope, ISO 14064-1 category, site, source, month and gas.
//!
//! Feed activity records one at a time into an [`InventoryBuilder`] (the store streams them, so
//! a million records never sit in memory) and call [`InventoryBuilder::finish`]. For each source
//! the factor is resolved once: the factor pinned on the source; else, for electricity, the
//! site's grid region at the nearest data year not after the inventory year; for fuels, the
//! default factor of the fuel and use; for refrigerants, the mass balance of the blend. A source
//! with no factor is an error issue that names it: never a silent zero.
//!
//! Emissions are linear in quantity for a fixed factor, so the builder sums each source's
//! pro-rated quantity per activity unit and month, and multiplies once per sum in `finish`.
//! Nothing is rounded: rounding is for display only.
//!
//! Market-based scope 2 after energy attribute certificates ([`InventoryBuilder::certificates`]):
//! the workbench passes the project's certificates and their checks
//! ([`crate::offset::eac::assess`]); in `finish` every electricity source's consumption of the
//! year becomes one slice per month, in kWh (the organisation's share under the equity-share
//! approach), and [`crate::offset::eac::allocate`] lets each retired certificate that passes its
//! ✗ checks cover the slices of its sites in (site, source, month) order, never more than a
//! slice holds. A covered kWh carries a zero-emission attribute: the month's market-based figure
//! loses the covered kWh × the source's market factor (a fully covered month is zero); the rest
//! keeps today's market basis (contractual factor, else the residual mix, else the grid with a
//! disclosure). The source's `market_basis` becomes [`MarketBasis::Eac`], `eac_kwh` holds the
//! covered kWh and `uncovered_basis` the basis of the rest; each kept [`Line`] names the
//! certificates that covered its kWh (the record's month shares filled in record order). A
//! source whose market factor is zero already has a zero-emission attribute and is not covered;
//! one whose records are not all in energy units cannot be counted in kWh and is not covered
//! (said). Location-based figures never change. Without certificates nothing of this runs and
//! every figure is what it was.

use crate::error::{Action, Field, Ref, Words};
use crate::factor::{
    Bridge, EmissionFactor, FactorCategory, FuelProperty, FuelUse, GridRole, Origin,
};
use crate::gas::{Basket, Gas, GwpSet, Substance, BLEND_CITATION};
use crate::issue::{Issue, Severity};
use crate::offset::coverage::GridCover;
use crate::offset::eac::{self, Allocation, ConsumptionSlice, Cover, Eac, EacAssessment};
use crate::period::split;
use crate::source::{Boundary, Scope, Site, Source, SourceKind};
use crate::units::{Unit, UnitError};
use crate::words;
use chrono::NaiveDate;
use rust_decimal::{Decimal, MathematicalOps};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// The factors and fuel properties of a project, latest version of each.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    factors: Vec<EmissionFactor>,
    by_id: HashMap<String, usize>,
    properties: Vec<FuelProperty>,
}

impl Catalog {
    /// Build from factor and property rows; when an id occurs in several versions the highest
    /// version wins.
    pub fn new(factors: Vec<EmissionFactor>, properties: Vec<FuelProperty>) -> Catalog {
        let mut latest: BTreeMap<String, EmissionFactor> = BTreeMap::new();
        for f in factors {
            match latest.get(&f.id) {
                Some(existing) if existing.version >= f.version => {}
                _ => {
                    latest.insert(f.id.clone(), f);
                }
            }
        }
        let mut props: BTreeMap<String, FuelProperty> = BTreeMap::new();
        for p in properties {
            match props.get(&p.id) {
                Some(existing) if existing.version >= p.version => {}
                _ => {
                    props.insert(p.id.clone(), p);
                }
            }
        }
        let factors: Vec<EmissionFactor> = latest.into_values().collect();
        let by_id = factors
            .iter()
            .enumerate()
            .map(|(i, f)| (f.id.clone(), i))
            .collect();
        Catalog {
            factors,
            by_id,
            properties: props.into_values().collect(),
        }
    }

    pub fn factors(&self) -> &[EmissionFactor] {
        &self.factors
    }

    pub fn properties(&self) -> &[FuelProperty] {
        &self.properties
    }

    pub fn factor(&self, id: &str) -> Option<&EmissionFactor> {
        self.by_id.get(id).map(|&i| &self.factors[i])
    }

    /// The grid factor of `role` for `region` whose data year is the latest not after `year`.
    pub fn grid(&self, region: &str, role: GridRole, year: i32) -> Option<&EmissionFactor> {
        self.factors
            .iter()
            .filter(|f| {
                f.category == FactorCategory::Electricity
                    && f.role == Some(role)
                    && f.region.as_deref() == Some(region)
                    && f.year.is_some_and(|y| y <= year)
            })
            .max_by_key(|f| (f.year, f.is_default, f.version))
    }

    /// The default factor for a fuel burnt in `fuel_use`.
    pub fn fuel_default(&self, fuel: &str, fuel_use: FuelUse) -> Option<&EmissionFactor> {
        let candidates = self.factors.iter().filter(|f| {
            f.category == FactorCategory::Fuel
                && f.fuel.as_deref() == Some(fuel)
                && f.fuel_use == Some(fuel_use)
        });
        let mut best: Option<&EmissionFactor> = None;
        for f in candidates {
            best = match best {
                None => Some(f),
                Some(b) if (f.is_default, f.year) > (b.is_default, b.year) => Some(f),
                keep => keep,
            };
        }
        best
    }

    /// Properties of a fuel, the default ones first.
    pub fn properties_of(&self, fuel: &str) -> Vec<&FuelProperty> {
        let mut v: Vec<&FuelProperty> = self.properties.iter().filter(|p| p.fuel == fuel).collect();
        v.sort_by_key(|p| std::cmp::Reverse(p.is_default));
        v
    }
}

/// What the inventory is computed for.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    pub year: i32,
    pub gwp: GwpSet,
    pub boundary: Boundary,
    pub sites: &'a [Site],
    pub sources: &'a [Source],
    pub catalog: &'a Catalog,
}

/// One activity record as the calculation needs it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ActivityInput {
    pub id: i64,
    pub version: u32,
    pub source_id: i64,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub quantity: Decimal,
    pub unit: Unit,
}

/// A factor as cited in results: id and version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FactorRef {
    pub id: String,
    pub version: u32,
}

/// How the market-based scope 2 figure of a source was obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum MarketBasis {
    /// A supplier-specific or contractual factor set on the source.
    Contractual,
    /// The residual mix (for China: the MEE proxy excluding market-traded non-fossil power).
    ResidualMix,
    /// No residual mix: the location-based factor, disclosed.
    GridFallback,
    /// Energy attribute certificates cover some or all of the source's kWh at zero emissions
    /// ([`SourceResult::eac_kwh`]); the rest keeps [`SourceResult::uncovered_basis`].
    Eac,
}

/// The calculation for one record, kept for drill-down: which record, which factor, how much.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Line {
    pub activity_id: i64,
    pub activity_version: u32,
    pub source_id: i64,
    /// The part of the record's quantity inside the inventory year.
    pub quantity: Decimal,
    pub unit: Unit,
    pub factor: FactorRef,
    pub market_factor: Option<FactorRef>,
    /// Fuel properties used to convert the unit, id and version.
    pub properties: Vec<FactorRef>,
    pub gwp: GwpSet,
    pub tco2e: Decimal,
    /// Market-based, after the certificates that cover this record's kWh.
    pub tco2e_market: Decimal,
    /// The record's part of each month of the year, split by days as the totals are: (month
    /// 1–12, quantity, tCO2e, tCO2e market-based). For `lingtan trace`; not serialised.
    #[serde(skip)]
    pub months: Vec<(u32, Decimal, Decimal, Decimal)>,
    /// Tonnes of each gas the record emits in the year (location-based), as the source's gases
    /// are summed; `CO2e` for amounts published only as CO2e. For `lingtan trace`; not
    /// serialised.
    #[serde(skip)]
    pub gases: Vec<(String, Decimal)>,
    /// kWh of this record covered by energy attribute certificates (the organisation's share).
    #[serde(skip_serializing_if = "Decimal::is_zero")]
    pub eac_kwh: Decimal,
    /// Which certificates covered them, in allocation order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub eac: Vec<Cover>,
}

/// Results of one source.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SourceResult {
    pub source_id: i64,
    pub site: String,
    pub source: String,
    pub kind: String,
    pub scope: u8,
    pub category: u8,
    /// The year's pro-rated quantity, in `unit`.
    pub quantity: Decimal,
    pub unit: Unit,
    pub factor: Option<FactorRef>,
    pub market_factor: Option<FactorRef>,
    pub market_basis: Option<MarketBasis>,
    /// kWh covered by energy attribute certificates (market basis [`MarketBasis::Eac`]).
    #[serde(skip_serializing_if = "Decimal::is_zero")]
    pub eac_kwh: Decimal,
    /// With [`MarketBasis::Eac`]: the basis of the kWh the certificates do not cover (and the
    /// factor `market_factor` names).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uncovered_basis: Option<MarketBasis>,
    pub properties: Vec<FactorRef>,
    /// tCO2e (location-based for scope 2), Kyoto gases only.
    pub tco2e: Decimal,
    /// tCO2e market-based (equal to `tco2e` outside scope 2).
    pub tco2e_market: Decimal,
    /// Tonnes of each gas (location-based); `CO2e` holds amounts published only as CO2e.
    pub gases: BTreeMap<String, Decimal>,
    /// tCO2e of gases outside the Kyoto basket (HCFC-22 …), not in the totals.
    pub non_kyoto_tco2e: Decimal,
    /// Tonnes of biogenic CO2, not in the totals.
    pub biogenic_co2: Decimal,
    /// tCO2e per calendar month of the year (index 0 = January), location-based.
    pub months: Vec<Decimal>,
    pub months_market: Vec<Decimal>,
    pub records: u64,
    /// Combined ± % (IPCC Approach 1) where activity or factor uncertainty is given.
    pub uncertainty_pct: Option<Decimal>,
}

/// Totals in tCO2e.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Totals {
    pub scope1: Decimal,
    pub scope2_location: Decimal,
    pub scope2_market: Decimal,
    pub scope3: Decimal,
    pub total_location: Decimal,
    pub total_market: Decimal,
    /// Tonnes of biogenic CO2, reported apart.
    pub biogenic_co2: Decimal,
    /// tCO2e of non-Kyoto gases, reported apart.
    pub non_kyoto: Decimal,
}

/// A site's totals.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SiteTotal {
    pub site: String,
    pub scope1: Decimal,
    pub scope2_location: Decimal,
    pub scope2_market: Decimal,
    pub scope3: Decimal,
    pub total_location: Decimal,
    pub total_market: Decimal,
}

/// A month's totals by scope.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct MonthTotal {
    pub month: u32,
    /// The month's year, for a period that is not a calendar year.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
    pub scope1: Decimal,
    pub scope2_location: Decimal,
    pub scope2_market: Decimal,
    pub scope3: Decimal,
}

/// A gas's totals (location-based).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GasTotal {
    pub gas: String,
    pub basket: Option<Basket>,
    pub tonnes: Decimal,
    pub tco2e: Decimal,
    pub gwp: Option<Decimal>,
}

/// IPCC Approach 1 uncertainty of the totals (± %, 95 %).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Uncertainty {
    pub scope1_pct: Option<Decimal>,
    pub scope2_location_pct: Option<Decimal>,
    pub scope2_market_pct: Option<Decimal>,
    pub scope3_pct: Option<Decimal>,
    pub total_location_pct: Option<Decimal>,
    /// Sources with emissions but no stated uncertainty (counted as exact in the figures above).
    pub not_assessed: Vec<String>,
}

/// A computed inventory.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Inventory {
    /// The calendar year, or for another period the year it ends (whose factors and
    /// certificates are used).
    pub year: i32,
    /// The period, when it is not the calendar year `year`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub period: Option<InventoryPeriod>,
    pub gwp: GwpSet,
    pub totals: Totals,
    /// ISO 14064-1 category → tCO2e (category 2 location-based).
    pub categories: BTreeMap<u8, Decimal>,
    /// Category 2 market-based.
    pub category2_market: Decimal,
    pub sites: Vec<SiteTotal>,
    pub sources: Vec<SourceResult>,
    pub months: Vec<MonthTotal>,
    pub gases: Vec<GasTotal>,
    pub uncertainty: Uncertainty,
    pub issues: Vec<Issue>,
    /// Per-record lineage, when asked for.
    pub lines: Vec<Line>,
    /// The certificates' allocation, when certificates were given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub eac: Option<EacResult>,
}

/// What the energy attribute certificates did to the market-based scope 2.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EacResult {
    /// Market-based scope 2 as it would be without any certificate, tCO2e.
    pub scope2_market_before_eac: Decimal,
    /// The allocation: each consumption slice with the certificates covering it, and what each
    /// certificate used and left unused.
    pub allocation: Allocation,
    /// Each covered source's kWh with its location-based (grid) factor, for the emission
    /// reduction by green power (`site` is `site / source`).
    pub green_power: Vec<GridCover>,
    /// Each covered source's market-based figure before and after: the covered kWh, its
    /// market-based factor and the tCO2e the certificates took off (in source order), so that
    /// `scope2_market_before_eac − Σ tco2e = scope2_market` can be shown (the workbook's live
    /// formula).
    pub market: Vec<MarketCover>,
}

/// What the certificates took off one source's market-based figure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MarketCover {
    pub source_id: i64,
    /// `site / source`.
    pub place: String,
    pub kwh: Decimal,
    /// kg CO2e per kWh of the source's market-based factor (the organisation's share is in
    /// `kwh`).
    pub market_kgco2e_per_kwh: Decimal,
    /// The market-based tCO2e before the certificates minus after. Equal to
    /// `kwh × market_kgco2e_per_kwh ÷ 1000` (a month covered in full is set to exactly zero).
    pub tco2e: Decimal,
}

/// kg per one activity unit, for one factor.
#[derive(Debug, Clone, Default)]
pub(crate) struct Rates {
    pub(crate) gases: Vec<(Gas, Decimal)>,
    /// kg CO2e per unit given directly (no split by gas)
    pub(crate) co2e_given: Decimal,
    /// kg CO2e per unit, Kyoto basket, with the GWP set
    pub(crate) kyoto: Decimal,
    pub(crate) non_kyoto: Decimal,
    pub(crate) biogenic: Decimal,
}

/// How a factor's gases become CO2e: the kg of each gas (blends split into their components)
/// and the kg CO2e of the Kyoto basket, the non-Kyoto gases and biogenic CO2, per one activity
/// unit worth `per` units of the factor (the unit ratio times the equity share). The one place
/// this rule lives: the inventory and the reduction step's abatement both call it.
pub(crate) fn rates(
    factor: &EmissionFactor,
    gwp: GwpSet,
    per: Decimal,
) -> Result<Rates, UnitError> {
    let mut rates = Rates::default();
    for (substance, amount) in factor.substances() {
        let kg = amount.checked_mul(per).ok_or(UnitError::Overflow)?;
        for (gas, kg) in substance.split(kg) {
            let co2e = kg.checked_mul(gas.gwp(gwp)).ok_or(UnitError::Overflow)?;
            match gas.basket() {
                Basket::Kyoto => rates.kyoto += co2e,
                Basket::NonKyoto => rates.non_kyoto += co2e,
                Basket::Biogenic => rates.biogenic += kg,
            }
            rates.gases.push((gas, kg));
        }
    }
    if let Some(co2e) = factor.co2e {
        let kg = co2e.checked_mul(per).ok_or(UnitError::Overflow)?;
        rates.co2e_given = kg;
        rates.kyoto += kg;
    }
    Ok(rates)
}

#[derive(Debug, Clone)]
struct UnitPlan {
    loc: Rates,
    market: Rates,
    properties: Vec<(String, u32)>,
}

#[derive(Debug)]
struct Plan {
    source: usize,
    site: Option<usize>,
    location: Option<EmissionFactor>,
    market: Option<(EmissionFactor, MarketBasis)>,
    properties: Vec<FuelProperty>,
    report_unit: Option<Unit>,
    /// equity share multiplier
    share: Decimal,
    units: HashMap<Unit, Result<UnitPlan, UnitError>>,
    /// quantity per (activity unit, month index)
    sums: BTreeMap<Unit, Vec<Decimal>>,
    records: u64,
    periods: Vec<(NaiveDate, NaiveDate, i64, Decimal)>,
    unit_errors: Vec<(i64, Unit, UnitError)>,
    /// With certificates and kept lines, for an electricity source: (line index, month, kWh of
    /// the organisation's share) of each kept line, to say which certificate covered which
    /// record.
    line_kwh: Vec<(usize, u32, Decimal)>,
}

/// The part of a site's emissions the organisation reports: its equity share under the
/// equity-share approach (where one is recorded), else all of them.
pub fn equity_share(boundary: Boundary, site: Option<&Site>) -> Decimal {
    match (boundary, site.and_then(|s| s.equity_pct)) {
        (Boundary::EquityShare, Some(pct)) => pct / Decimal::ONE_HUNDRED,
        _ => Decimal::ONE,
    }
}

/// The factors an inventory resolved for one source, with what converts its unit to theirs:
/// what the reduction step turns into rates per unit of activity (`reduction::abatement`), so
/// that abatement uses exactly the factors the inventory used.
#[derive(Debug, Clone, PartialEq)]
pub struct Resolved {
    pub source_id: i64,
    pub location: Option<EmissionFactor>,
    /// Scope 2 only: the contractual, residual-mix or fallback factor.
    pub market: Option<EmissionFactor>,
    /// The fuel properties of the source's fuel (NCV, density).
    pub properties: Vec<FuelProperty>,
    /// The equity share applied (1 outside the equity-share approach).
    pub share: Decimal,
}

/// Streams activity records into an inventory for one year.
pub struct InventoryBuilder<'a> {
    ctx: Context<'a>,
    plans: HashMap<i64, Plan>,
    issues: Vec<Issue>,
    keep_lines: bool,
    lines: Vec<Line>,
    certificates: Option<(&'a [Eac], &'a [EacAssessment])>,
    window: Window,
}

/// The days an inventory covers (first and last included) and the calendar months they touch
/// (its slots, in order; the first and last may be partial). A calendar year's slots are January
/// to December, so slot `i` is month `i + 1`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Window {
    from: NaiveDate,
    to: NaiveDate,
    slots: Vec<(i32, u32)>,
    calendar: bool,
}

impl Window {
    fn year(year: i32) -> Window {
        let from = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(NaiveDate::MIN);
        let to = NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(NaiveDate::MIN);
        Window {
            from,
            to,
            slots: (1..=12).map(|m| (year, m)).collect(),
            calendar: true,
        }
    }

    fn period(from: NaiveDate, to: NaiveDate) -> Window {
        use chrono::Datelike;
        let calendar = from.month() == 1
            && from.day() == 1
            && to.month() == 12
            && to.day() == 31
            && from.year() == to.year();
        if calendar {
            return Window::year(from.year());
        }
        let mut slots = Vec::new();
        let mut m = (from.year(), from.month());
        let last = (to.year(), to.month());
        while m <= last {
            slots.push(m);
            m = if m.1 == 12 {
                (m.0 + 1, 1)
            } else {
                (m.0, m.1 + 1)
            };
        }
        Window {
            from,
            to,
            slots,
            calendar: false,
        }
    }

    fn slot(&self, year: i32, month: u32) -> Option<usize> {
        self.slots.iter().position(|s| *s == (year, month))
    }

    fn len(&self) -> usize {
        self.slots.len()
    }

    /// `2025`, or `2024-07-01 – 2025-06-30`.
    fn label(&self) -> String {
        if self.calendar {
            self.to.format("%Y").to_string()
        } else {
            format!("{} – {}", self.from, self.to)
        }
    }

    /// A slot's name in a sentence: its month number in a calendar year, else `2024-07`.
    fn slot_label(&self, i: usize) -> String {
        let (y, m) = self.slots[i];
        if self.calendar {
            m.to_string()
        } else {
            format!("{y}-{m:02}")
        }
    }

    /// The part of a record's month share inside the window: the share itself where the window
    /// holds the share's days (always so in a calendar year), else pro-rated by days.
    fn clip(
        &self,
        a_from: NaiveDate,
        a_to: NaiveDate,
        share: &crate::period::MonthShare,
    ) -> Decimal {
        let Some((first, last)) = crate::period::month_bounds(share.year, share.month) else {
            return Decimal::ZERO;
        };
        let start = first.max(a_from);
        let end = last.min(a_to);
        let (cs, ce) = (start.max(self.from), end.min(self.to));
        if cs == start && ce == end {
            return share.quantity;
        }
        if ce < cs || share.days <= 0 {
            return Decimal::ZERO;
        }
        let days = (ce - cs).num_days() + 1;
        share
            .quantity
            .checked_mul(Decimal::from(days))
            .and_then(|q| q.checked_div(Decimal::from(share.days)))
            .unwrap_or(Decimal::ZERO)
    }
}

/// The period of an inventory that is not a calendar year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct InventoryPeriod {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// Where an issue is, in a form that reads the same in Chinese and English: `site / source`.
fn place_of(source: &Source, site: Option<&Site>) -> String {
    match site {
        Some(site) => format!("{} / {}", site.name, source.name),
        None => source.name.clone(),
    }
}

/// The implied factor of a refrigerant topped up to replace what leaked: 1 kg of the substance
/// released per kg charged.
pub fn refrigerant_factor(substance: Substance) -> EmissionFactor {
    let id = substance.id();
    EmissionFactor {
        id: format!("REFRIGERANT-{id}"),
        version: 1,
        name: format!("{id} released, mass balance (1 kg per kg charged)"),
        name_zh: Some(format!("{id} 逸散（质量平衡法：补充量即排放量）")),
        dataset: "Lingtan refrigerant mass balance".into(),
        category: FactorCategory::Refrigerant,
        role: None,
        region: None,
        fuel: Some(id.to_string()),
        fuel_use: None,
        year: None,
        published: None,
        unit: Unit::Kg,
        gases: BTreeMap::from([(id.to_string(), Decimal::ONE)]),
        co2e: None,
        licence: "Method, not data".into(),
        citation: format!(
            "Mass-balance (screening) method of the GHG Protocol HFC tool: emissions equal the refrigerant charged to replace losses; blend composition per {BLEND_CITATION}; GWPs of the inventory's set"
        ),
        verified: true,
        verification_note: None,
        uncertainty_pct: None,
        is_default: true,
        origin: Origin::Library,
    }
}

/// The factor of electricity generated on site without burning anything (rooftop PV): zero
/// per kWh. An `onsite-generation` source holds the kWh the plant made so that the reduction
/// step can measure what it displaced; it adds nothing to the inventory.
pub fn onsite_generation_factor() -> EmissionFactor {
    EmissionFactor {
        id: "ONSITE-GENERATION".into(),
        version: 1,
        name: "On-site generation without combustion (PV): no direct emissions".into(),
        name_zh: Some("无燃烧的自发电（光伏）：无直接排放".into()),
        dataset: "Lingtan method".into(),
        category: FactorCategory::Other,
        role: None,
        region: None,
        fuel: None,
        fuel_use: None,
        year: None,
        published: None,
        unit: Unit::KWh,
        gases: BTreeMap::new(),
        co2e: Some(Decimal::ZERO),
        licence: "Method, not data".into(),
        citation: "Electricity generated on site from a source that burns nothing (solar PV) has no direct emissions (GHG Protocol Corporate Standard: scope 1 covers emissions from sources the company owns or controls; PV emits none in operation). The kWh are kept to measure the grid power they displace, not as emissions".into(),
        verified: true,
        verification_note: None,
        uncertainty_pct: None,
        is_default: true,
        origin: Origin::Library,
    }
}

impl<'a> InventoryBuilder<'a> {
    /// Resolve every source's factors for the year.
    pub fn new(ctx: Context<'a>) -> InventoryBuilder<'a> {
        let mut builder = InventoryBuilder {
            ctx,
            plans: HashMap::new(),
            issues: Vec::new(),
            keep_lines: false,
            lines: Vec::new(),
            certificates: None,
            window: Window::year(ctx.year),
        };
        for (index, source) in ctx.sources.iter().enumerate() {
            let plan = builder.plan(index, source);
            builder.plans.insert(source.id, plan);
        }
        builder
    }

    /// Compute for the days `from` to `to` (both included) instead of the calendar year of the
    /// context: records are pro-rated by days as for a year, and the months are the calendar
    /// months the period touches (the first and last may be partial). The context's `year` stays
    /// the year whose factors are used (the nearest data year not after it) and whose
    /// certificates are applied: the workbench passes the year the period ends. A calendar year
    /// given this way is computed exactly as without it.
    pub fn period(mut self, from: NaiveDate, to: NaiveDate) -> Self {
        if from <= to {
            self.window = Window::period(from, to);
        }
        self
    }

    /// Keep a [`Line`] per record for drill-down (costs memory on large projects).
    pub fn keep_lines(mut self, keep: bool) -> Self {
        self.keep_lines = keep;
        self
    }

    /// The project's energy attribute certificates and their checks for the inventory year
    /// (`assessments[i]` belongs to `eacs[i]`, from [`crate::offset::eac::assess`]): the
    /// market-based scope 2 is then computed after them (see the module doc). An empty list
    /// changes nothing.
    pub fn certificates(mut self, eacs: &'a [Eac], assessments: &'a [EacAssessment]) -> Self {
        self.certificates = (!eacs.is_empty()).then_some((eacs, assessments));
        self
    }

    /// The factors resolved for each source of the context, in the context's order.
    pub fn resolved(&self) -> Vec<Resolved> {
        let mut plans: Vec<(&i64, &Plan)> = self.plans.iter().collect();
        plans.sort_by_key(|(_, p)| p.source);
        plans
            .into_iter()
            .map(|(id, p)| Resolved {
                source_id: *id,
                location: p.location.clone(),
                market: p.market.as_ref().map(|(f, _)| f.clone()),
                properties: p.properties.clone(),
                share: p.share,
            })
            .collect()
    }

    fn issue(
        &mut self,
        code: &'static str,
        severity: Severity,
        place: String,
        en: impl Into<Words>,
        zh: impl Into<Words>,
    ) {
        self.issues.push(Issue::new(code, severity, place, en, zh));
    }

    fn plan(&mut self, index: usize, source: &Source) -> Plan {
        let ctx = self.ctx;
        let site_index = ctx.sites.iter().position(|s| s.id == source.site_id);
        let site = site_index.map(|i| &ctx.sites[i]);
        let place = place_of(source, site);
        let share = equity_share(ctx.boundary, site);
        let location = self.resolve_location(source, site, &place);
        let market = if source.kind.is_imported_energy() {
            self.resolve_market(source, site, &place, location.as_ref())
        } else {
            None
        };
        let mut properties: Vec<FuelProperty> = Vec::new();
        if let Some(fuel) = source.fuel.as_deref() {
            properties.extend(ctx.catalog.properties_of(fuel).into_iter().cloned());
        }
        for f in location.iter().chain(market.as_ref().map(|(f, _)| f)) {
            if !f.verified {
                self.issue(
                    "FACTOR_UNVERIFIED",
                    Severity::Warning,
                    place.clone(),
                    words![format!("uses factor {} v{} ('{}'), which is not verified against its publisher's document (its note says what was checked: ", f.id, f.version, f.name), Ref::ActionOn(Action::ListFactors, f.id.clone()), ")"],
                    words![format!("使用的排放因子 {} v{}（“{}”）尚未与发布机构原文核对（核对情况见 ", f.id, f.version, f.name_zh.as_deref().unwrap_or(&f.name)), Ref::ActionOn(Action::ListFactors, f.id.clone()), "）"],
                );
            }
        }
        Plan {
            source: index,
            site: site_index,
            location,
            market,
            properties,
            report_unit: source.unit,
            share,
            units: HashMap::new(),
            sums: BTreeMap::new(),
            records: 0,
            periods: Vec::new(),
            unit_errors: Vec::new(),
            line_kwh: Vec::new(),
        }
    }

    fn missing(&mut self, place: &str, en: Words, zh: Words) -> Option<EmissionFactor> {
        self.issue("FACTOR_MISSING", Severity::Error, place.to_string(), en, zh);
        None
    }

    fn resolve_location(
        &mut self,
        source: &Source,
        site: Option<&Site>,
        place: &str,
    ) -> Option<EmissionFactor> {
        let ctx = self.ctx;
        if let Some(id) = source.factor_id.as_deref() {
            return match ctx.catalog.factor(id) {
                Some(f) => Some(f.clone()),
                None => self.missing(
                    place,
                    words![
                        format!(
                            "factor '{id}' set on the source is not in the project; add it with "
                        ),
                        Action::AddFactor,
                        " or choose another"
                    ],
                    words![
                        format!("该排放源指定的排放因子“{id}”不在项目中；请用 "),
                        Action::AddFactor,
                        " 添加或改选其他因子"
                    ],
                ),
            };
        }
        match source.kind {
            SourceKind::Electricity => {
                let Some(region) = site.and_then(|s| s.grid_region.as_deref()) else {
                    return self.missing(
                        place,
                        words![
                            "no emission factor: the site has no grid region; set its ",
                            Field::Grid,
                            " (e.g. CN-East) or the source's ",
                            Field::Factor
                        ],
                        words![
                            "无排放因子：所在场所未设置电网区域；请设置 ",
                            Field::Grid,
                            "（如 华东）或为该排放源指定 ",
                            Field::Factor
                        ],
                    );
                };
                let region = region.to_string();
                let mut found = ctx
                    .catalog
                    .grid(&region, GridRole::GridAverage, ctx.year)
                    .cloned();
                if found.is_none() && region.starts_with("CN-") {
                    found = ctx
                        .catalog
                        .grid("CN", GridRole::GridAverage, ctx.year)
                        .cloned();
                    if let Some(f) = &found {
                        self.issue(
                            "GRID_REGION_FALLBACK",
                            Severity::Warning,
                            place.to_string(),
                            format!("no {region} grid factor published for {} or earlier; the national average {} ({}) is used", ctx.year, f.id, f.year.unwrap_or_default()),
                            format!("{region} 区域电网在 {} 年及以前无已发布因子；改用全国平均因子 {}（{} 年）", ctx.year, f.id, f.year.unwrap_or_default()),
                        );
                    }
                }
                match found {
                    Some(f) => {
                        self.year_note(place, &f);
                        Some(f)
                    }
                    None => self.missing(
                        place,
                        format!("no grid factor for region {region} with a data year of {} or earlier; add one or set a factor on the source", ctx.year).into(),
                        format!("电网区域 {region} 没有 {} 年及以前的排放因子；请添加或为该排放源指定因子", ctx.year).into(),
                    ),
                }
            }
            SourceKind::StationaryCombustion | SourceKind::MobileCombustion => {
                let fuel_use = if source.kind == SourceKind::MobileCombustion {
                    FuelUse::Mobile
                } else {
                    FuelUse::Stationary
                };
                let Some(fuel) = source.fuel.as_deref() else {
                    return self.missing(
                        place,
                        words![
                            "no emission factor: set the source's ",
                            Field::Fuel,
                            " (natural-gas, diesel …) or its ",
                            Field::Factor
                        ],
                        words![
                            "无排放因子：请为该排放源设置 ",
                            Field::Fuel,
                            "（天然气、柴油 …）或指定 ",
                            Field::Factor
                        ],
                    );
                };
                match ctx.catalog.fuel_default(fuel, fuel_use) {
                    Some(f) => Some(f.clone()),
                    None => self.missing(
                        place,
                        format!("no {} factor for fuel '{fuel}' in the project; set a factor on the source", fuel_use.code()).into(),
                        format!("项目中没有燃料“{fuel}”的{}燃烧排放因子；请为该排放源指定因子", if fuel_use == FuelUse::Mobile { "移动源" } else { "固定源" }).into(),
                    ),
                }
            }
            SourceKind::OnsiteGeneration => Some(onsite_generation_factor()),
            SourceKind::Fugitive => match source.fuel.as_deref().and_then(Substance::parse) {
                Some(substance) => Some(refrigerant_factor(substance)),
                None => self.missing(
                    place,
                    words![
                        "no emission factor: set the source's refrigerant or gas as its ",
                        Field::Fuel,
                        " (R-410A, SF6 …) or set its ",
                        Field::Factor
                    ],
                    words![
                        "无排放因子：请将制冷剂或气体设为 ",
                        Field::Fuel,
                        "（R-410A、SF6 …）或为该排放源指定 ",
                        Field::Factor
                    ],
                ),
            },
            _ => self.missing(
                place,
                words![
                    format!(
                        "no emission factor: a {} source needs its ",
                        source.kind.code()
                    ),
                    Field::Factor,
                    " set"
                ],
                words![
                    format!("无排放因子：{} 类排放源须指定 ", source.kind.code()),
                    Field::Factor
                ],
            ),
        }
    }

    fn year_note(&mut self, place: &str, f: &EmissionFactor) {
        let year = self.ctx.year;
        if let Some(fy) = f.year.filter(|fy| *fy != year) {
            self.issue(
                "FACTOR_YEAR_DIFFERS",
                Severity::Warning,
                place.to_string(),
                format!("uses {} with data year {fy} for the {year} inventory: the nearest published year not after {year}", f.id),
                format!("{year} 年盘查使用 {} 的 {fy} 年数据：不晚于 {year} 年的最近已发布年份", f.id),
            );
        }
    }

    fn resolve_market(
        &mut self,
        source: &Source,
        site: Option<&Site>,
        place: &str,
        location: Option<&EmissionFactor>,
    ) -> Option<(EmissionFactor, MarketBasis)> {
        let ctx = self.ctx;
        if let Some(id) = source.market_factor_id.as_deref() {
            return match ctx.catalog.factor(id) {
                Some(f) => {
                    self.issue(
                        "S2_MARKET_CONTRACTUAL",
                        Severity::Info,
                        place.to_string(),
                        format!("market-based scope 2 uses the supplier-specific / contractual factor {} ({})", f.id, f.citation),
                        format!("基于市场的范围二排放采用供应商特定或合同因子 {}（{}）", f.id, f.citation),
                    );
                    Some((f.clone(), MarketBasis::Contractual))
                }
                None => {
                    self.issue(
                        "FACTOR_MISSING",
                        Severity::Error,
                        place.to_string(),
                        format!("market factor '{id}' set on the source is not in the project"),
                        format!("该排放源指定的市场因子“{id}”不在项目中"),
                    );
                    None
                }
            };
        }
        let location = location?;
        if source.kind == SourceKind::Electricity {
            let region = site.and_then(|s| s.grid_region.as_deref()).unwrap_or("CN");
            let residual = ctx
                .catalog
                .grid(region, GridRole::ResidualMix, ctx.year)
                .or_else(|| {
                    region
                        .starts_with("CN")
                        .then(|| ctx.catalog.grid("CN", GridRole::ResidualMix, ctx.year))
                        .flatten()
                });
            if let Some(f) = residual {
                let f = f.clone();
                self.issue(
                    "S2_MARKET_RESIDUAL_MIX",
                    Severity::Info,
                    place.to_string(),
                    format!("market-based scope 2 uses the residual-mix proxy {} (data year {}): no contractual instrument is recorded for this source", f.id, f.year.unwrap_or_default()),
                    format!("基于市场的范围二排放采用剩余组合代理因子 {}（{} 年数据）：该排放源未登记合同工具", f.id, f.year.unwrap_or_default()),
                );
                return Some((f, MarketBasis::ResidualMix));
            }
        }
        self.issue(
            "S2_MARKET_GRID_FALLBACK",
            Severity::Warning,
            place.to_string(),
            format!("market-based scope 2 falls back to the location-based factor {}: no contractual factor and no residual mix; disclose this in the report", location.id),
            format!("基于市场的范围二排放退回使用基于位置的因子 {}：无合同因子且无剩余组合因子；须在报告中披露", location.id),
        );
        Some((location.clone(), MarketBasis::GridFallback))
    }

    fn rates(
        &self,
        factor: &EmissionFactor,
        ratio: Decimal,
        share: Decimal,
    ) -> Result<Rates, UnitError> {
        let per = ratio.checked_mul(share).ok_or(UnitError::Overflow)?;
        rates(factor, self.ctx.gwp, per)
    }

    fn unit_plan(&self, plan: &Plan, unit: Unit) -> Result<UnitPlan, UnitError> {
        let Some(location) = &plan.location else {
            return Err(UnitError::Overflow);
        };
        let props: Vec<&FuelProperty> = plan.properties.iter().collect();
        let bridge = Bridge::find(unit, location.unit, &props)?;
        let loc = self.rates(location, bridge.ratio, plan.share)?;
        let mut properties = bridge.properties.clone();
        let market = match &plan.market {
            Some((f, _)) => {
                let b = Bridge::find(unit, f.unit, &props)?;
                for p in b.properties.iter() {
                    if !properties.contains(p) {
                        properties.push(p.clone());
                    }
                }
                self.rates(f, b.ratio, plan.share)?
            }
            None => loc.clone(),
        };
        Ok(UnitPlan {
            loc,
            market,
            properties,
        })
    }

    /// Check that records in `unit` can be computed for `source_id`: the unit converts to the
    /// source's factor (directly or through a cited fuel property). `Ok` when the source has no
    /// factor yet (that is an inventory issue, not a reason to refuse the data).
    pub fn check_unit(&mut self, source_id: i64, unit: Unit) -> Result<(), UnitError> {
        let Some(plan) = self.plans.get(&source_id) else {
            return Ok(());
        };
        if let Some(report_unit) = plan.report_unit {
            let props: Vec<&FuelProperty> = plan.properties.iter().collect();
            Bridge::find(unit, report_unit, &props)?;
        }
        if plan.location.is_none() {
            return Ok(());
        }
        self.unit_plan(plan, unit).map(|_| ())
    }

    /// Add one activity record. Records of unknown sources are reported, not dropped silently.
    pub fn push(&mut self, a: &ActivityInput) {
        let Some(plan) = self.plans.get(&a.source_id) else {
            self.issue(
                "ACTIVITY_ORPHAN",
                Severity::Error,
                format!("activity #{}", a.id),
                format!(
                    "activity #{} refers to source #{} which does not exist",
                    a.id, a.source_id
                ),
                format!("活动数据 #{} 引用的排放源 #{} 不存在", a.id, a.source_id),
            );
            return;
        };
        // a record written outside Lingtan could hold anything: keep the arithmetic in range
        if a.quantity.abs() > Decimal::from(1_000_000_000_000_000i64) {
            self.issue(
                "ACTIVITY_IMPLAUSIBLE",
                Severity::Error,
                format!("activity #{}", a.id),
                format!(
                    "activity #{} holds {} — beyond 10^15, left out of the inventory; correct it",
                    a.id, a.quantity
                ),
                format!(
                    "活动数据 #{} 的数量为 {}，超过 10^15，未计入盘查；请更正",
                    a.id, a.quantity
                ),
            );
            return;
        }
        // (slot, quantity): the record's month shares inside the window
        let window = &self.window;
        let shares: Vec<(usize, Decimal)> = split(a.from, a.to, a.quantity)
            .into_iter()
            .filter_map(|s| {
                window
                    .slot(s.year, s.month)
                    .map(|i| (i, window.clip(a.from, a.to, &s)))
            })
            .collect();
        if shares.is_empty() {
            return;
        }
        if plan.location.is_some() && !plan.units.contains_key(&a.unit) {
            let up = self.unit_plan(plan, a.unit);
            if let Some(plan) = self.plans.get_mut(&a.source_id) {
                plan.units.insert(a.unit, up);
            }
        }
        let Some(plan) = self.plans.get_mut(&a.source_id) else {
            return;
        };
        plan.records += 1;
        let mut in_year = Decimal::ZERO;
        let slots = self.window.len();
        let sums = plan
            .sums
            .entry(a.unit)
            .or_insert_with(|| vec![Decimal::ZERO; slots]);
        for &(m, q) in &shares {
            if let Some(slot) = sums.get_mut(m) {
                *slot += q;
            }
            in_year += q;
        }
        plan.periods.push((a.from, a.to, a.id, a.quantity));
        match plan.units.get(&a.unit) {
            Some(Ok(up)) if self.keep_lines => {
                let factor = plan.location.as_ref().map(|f| FactorRef {
                    id: f.id.clone(),
                    version: f.version,
                });
                let market_factor = plan.market.as_ref().map(|(f, _)| FactorRef {
                    id: f.id.clone(),
                    version: f.version,
                });
                if let Some(factor) = factor {
                    if self.certificates.is_some()
                        && self.ctx.sources[plan.source].kind == SourceKind::Electricity
                    {
                        let index = self.lines.len();
                        for &(m, q) in &shares {
                            if let Some(kwh) = a
                                .unit
                                .convert(q, Unit::KWh)
                                .ok()
                                .and_then(|k| k.checked_mul(plan.share))
                            {
                                plan.line_kwh.push((index, m as u32 + 1, kwh));
                            }
                        }
                    }
                    self.lines.push(Line {
                        activity_id: a.id,
                        activity_version: a.version,
                        source_id: a.source_id,
                        quantity: in_year,
                        unit: a.unit,
                        factor,
                        market_factor,
                        properties: up
                            .properties
                            .iter()
                            .map(|(id, v)| FactorRef {
                                id: id.clone(),
                                version: *v,
                            })
                            .collect(),
                        gwp: self.ctx.gwp,
                        tco2e: in_year * up.loc.kyoto / Decimal::ONE_THOUSAND,
                        tco2e_market: in_year * up.market.kyoto / Decimal::ONE_THOUSAND,
                        months: shares
                            .iter()
                            .map(|&(m, q)| {
                                (
                                    m as u32 + 1,
                                    q,
                                    q * up.loc.kyoto / Decimal::ONE_THOUSAND,
                                    q * up.market.kyoto / Decimal::ONE_THOUSAND,
                                )
                            })
                            .collect(),
                        gases: up
                            .loc
                            .gases
                            .iter()
                            .map(|(g, kg)| {
                                (g.id().to_string(), in_year * *kg / Decimal::ONE_THOUSAND)
                            })
                            .chain((!up.loc.co2e_given.is_zero()).then(|| {
                                (
                                    "CO2e".to_string(),
                                    in_year * up.loc.co2e_given / Decimal::ONE_THOUSAND,
                                )
                            }))
                            .collect(),
                        eac_kwh: Decimal::ZERO,
                        eac: Vec::new(),
                    });
                }
            }
            Some(Err(e)) => {
                let e = e.clone();
                plan.unit_errors.push((a.id, a.unit, e));
            }
            _ => {}
        }
    }

    /// Total everything and collect the issues.
    pub fn finish(mut self) -> Inventory {
        let ctx = self.ctx;
        let gwp = ctx.gwp;
        let thousand = Decimal::ONE_THOUSAND;
        let mut sources = Vec::new();
        let mut totals = Totals::default();
        let mut categories: BTreeMap<u8, Decimal> = BTreeMap::new();
        let mut category2_market = Decimal::ZERO;
        let mut sites: BTreeMap<String, SiteTotal> = BTreeMap::new();
        let window = self.window.clone();
        let slots = window.len();
        let mut months: Vec<MonthTotal> = window
            .slots
            .iter()
            .map(|&(y, m)| MonthTotal {
                month: m,
                year: (!window.calendar).then_some(y),
                ..Default::default()
            })
            .collect();
        let mut gases: BTreeMap<String, (Decimal, Decimal)> = BTreeMap::new();
        let mut unc_sq: BTreeMap<&'static str, Decimal> = BTreeMap::new();
        let mut not_assessed = Vec::new();
        let mut caveats: Vec<Gas> = Vec::new();

        let mut plans: Vec<Plan> = self.plans.drain().map(|(_, p)| p).collect();
        plans.sort_by_key(|p| p.source);
        let (allocation, covers) = match self.allocate(&plans) {
            Some((a, c)) => (Some(a), c),
            None => (None, HashMap::new()),
        };
        let mut scope2_before = Decimal::ZERO;
        let mut market_covers: Vec<MarketCover> = Vec::new();
        for plan in plans {
            let source = &ctx.sources[plan.source];
            let site = plan.site.map(|i| &ctx.sites[i]);
            let site_name = site.map(|s| s.name.clone()).unwrap_or_default();
            let place = place_of(source, site);
            for (id, unit, e) in &plan.unit_errors {
                self.issues.push(Issue::new(
                    "UNIT_MISMATCH",
                    Severity::Error,
                    format!("activity #{id} of {place}"),
                    format!("cannot compute: {e}"),
                    format!("无法计算（单位 {unit}）：{}", e.message_zh()),
                ));
            }
            check_periods(
                &mut self.issues,
                &place,
                &plan.periods,
                &window,
                source.kind,
            );
            if plan.records == 0 {
                self.issues.push(Issue::new(
                    "NO_ACTIVITY",
                    Severity::Info,
                    place.clone(),
                    format!("no activity data in {}", window.label()),
                    if window.calendar {
                        format!("{} 年无活动数据", ctx.year)
                    } else {
                        format!("{} 期间无活动数据", window.label())
                    },
                ));
            }
            let scope = source.kind.scope();
            let category = source.kind.iso_category().0;
            let mut result = SourceResult {
                source_id: source.id,
                site: site_name.clone(),
                source: source.name.clone(),
                kind: source.kind.code(),
                scope: scope.number(),
                category,
                quantity: Decimal::ZERO,
                unit: plan
                    .report_unit
                    .or_else(|| plan.sums.keys().next().copied())
                    .or(plan.location.as_ref().map(|f| f.unit))
                    .unwrap_or(Unit::Kg),
                factor: plan.location.as_ref().map(|f| FactorRef {
                    id: f.id.clone(),
                    version: f.version,
                }),
                market_factor: plan.market.as_ref().map(|(f, _)| FactorRef {
                    id: f.id.clone(),
                    version: f.version,
                }),
                market_basis: plan.market.as_ref().map(|(_, b)| *b),
                eac_kwh: Decimal::ZERO,
                uncovered_basis: None,
                properties: Vec::new(),
                tco2e: Decimal::ZERO,
                tco2e_market: Decimal::ZERO,
                gases: BTreeMap::new(),
                non_kyoto_tco2e: Decimal::ZERO,
                biogenic_co2: Decimal::ZERO,
                months: vec![Decimal::ZERO; slots],
                months_market: vec![Decimal::ZERO; slots],
                records: plan.records,
                uncertainty_pct: None,
            };
            let report_unit = result.unit;
            let props: Vec<&FuelProperty> = plan.properties.iter().collect();
            for (unit, sums) in &plan.sums {
                let qty: Decimal = sums.iter().copied().sum();
                match Bridge::find(*unit, report_unit, &props) {
                    Ok(b) => result.quantity += qty * b.ratio,
                    Err(e) => self.issues.push(Issue::new(
                        "UNIT_MISMATCH",
                        Severity::Error,
                        place.clone(),
                        format!("records in {unit} cannot be added to the source's quantity in {report_unit}: {e}"),
                        format!("以 {unit} 计的记录无法并入该排放源以 {report_unit} 计的数量：{}", e.message_zh()),
                    )),
                }
                let Some(Ok(up)) = plan.units.get(unit) else {
                    continue;
                };
                for p in &up.properties {
                    let r = FactorRef {
                        id: p.0.clone(),
                        version: p.1,
                    };
                    if !result.properties.contains(&r) {
                        result.properties.push(r);
                    }
                }
                for (m, q) in sums.iter().enumerate() {
                    if q.is_zero() {
                        continue;
                    }
                    let loc = *q * up.loc.kyoto / thousand;
                    let mkt = *q * up.market.kyoto / thousand;
                    result.months[m] += loc;
                    result.months_market[m] += mkt;
                    let mt = &mut months[m];
                    match scope {
                        Scope::One => mt.scope1 += loc,
                        Scope::Two => {
                            mt.scope2_location += loc;
                            mt.scope2_market += mkt;
                        }
                        Scope::Three => mt.scope3 += loc,
                    }
                }
                result.tco2e += qty * up.loc.kyoto / thousand;
                result.tco2e_market += qty * up.market.kyoto / thousand;
                result.non_kyoto_tco2e += qty * up.loc.non_kyoto / thousand;
                result.biogenic_co2 += qty * up.loc.biogenic / thousand;
                for (gas, kg) in &up.loc.gases {
                    *result.gases.entry(gas.id().to_string()).or_default() += qty * *kg / thousand;
                    if gas.gwp_caveat(gwp).is_some() && !caveats.contains(gas) {
                        caveats.push(*gas);
                    }
                }
                if !up.loc.co2e_given.is_zero() {
                    *result.gases.entry("CO2e".to_string()).or_default() +=
                        qty * up.loc.co2e_given / thousand;
                }
            }
            for r in &result.properties {
                if let Some(p) = plan
                    .properties
                    .iter()
                    .find(|p| p.id == r.id && p.version == r.version && !p.verified)
                {
                    self.issues.push(Issue::new(
                        "PROPERTY_UNVERIFIED",
                        Severity::Warning,
                        place.clone(),
                        format!("converts {} with {} {} v{} = {} {} per {}, which is not verified against its document", result.unit.code(), p.kind.code().to_uppercase(), p.id, p.version, p.value, p.unit.code(), p.per_unit.code()),
                        format!("单位换算使用的燃料参数 {} v{}（{} {} / {}）尚未与原文核对", p.id, p.version, p.value, p.unit.code(), p.per_unit.code()),
                    ));
                }
            }
            if scope == Scope::Two {
                scope2_before += result.tco2e_market;
            }
            if let Some(cover) = covers.get(&source.id) {
                let before = result.tco2e_market;
                self.apply_cover(cover, &plan, &mut result, &mut months, &place);
                if !result.eac_kwh.is_zero() {
                    market_covers.push(MarketCover {
                        source_id: source.id,
                        place: cover.place.clone(),
                        kwh: result.eac_kwh,
                        market_kgco2e_per_kwh: cover.kg_per_kwh,
                        tco2e: before - result.tco2e_market,
                    });
                }
            }
            if scope != Scope::Two {
                result.tco2e_market = result.tco2e;
                result.months_market = result.months.clone();
            }
            // gases
            for (gas, tonnes) in &result.gases {
                let entry = gases.entry(gas.clone()).or_default();
                entry.0 += *tonnes;
                entry.1 += match Gas::parse(gas) {
                    Some(g) => *tonnes * g.gwp(gwp),
                    None => *tonnes,
                };
            }
            // uncertainty (IPCC Approach 1)
            let ua = source.uncertainty_pct;
            let uf = plan.location.as_ref().and_then(|f| f.uncertainty_pct);
            if ua.is_some() || uf.is_some() {
                let a = ua.unwrap_or_default();
                let f = uf.unwrap_or_default();
                result.uncertainty_pct = (a * a + f * f).sqrt();
            } else if !result.tco2e.is_zero() {
                not_assessed.push(source.name.clone());
            }
            let u = result.uncertainty_pct.unwrap_or_default();
            let (key_loc, key_mkt) = match scope {
                Scope::One => ("scope1", "scope1"),
                Scope::Two => ("scope2_location", "scope2_market"),
                Scope::Three => ("scope3", "scope3"),
            };
            let abs_loc = u * result.tco2e;
            let abs_mkt = u * result.tco2e_market;
            *unc_sq.entry(key_loc).or_default() += abs_loc * abs_loc;
            if key_mkt != key_loc {
                *unc_sq.entry(key_mkt).or_default() += abs_mkt * abs_mkt;
            }
            *unc_sq.entry("total_location").or_default() += abs_loc * abs_loc;
            // totals
            match scope {
                Scope::One => totals.scope1 += result.tco2e,
                Scope::Two => {
                    totals.scope2_location += result.tco2e;
                    totals.scope2_market += result.tco2e_market;
                    category2_market += result.tco2e_market;
                }
                Scope::Three => totals.scope3 += result.tco2e,
            }
            totals.biogenic_co2 += result.biogenic_co2;
            totals.non_kyoto += result.non_kyoto_tco2e;
            *categories.entry(category).or_default() += result.tco2e;
            let st = sites.entry(site_name.clone()).or_insert_with(|| SiteTotal {
                site: site_name.clone(),
                ..Default::default()
            });
            match scope {
                Scope::One => st.scope1 += result.tco2e,
                Scope::Two => {
                    st.scope2_location += result.tco2e;
                    st.scope2_market += result.tco2e_market;
                }
                Scope::Three => st.scope3 += result.tco2e,
            }
            st.total_location += result.tco2e;
            st.total_market += result.tco2e_market;
            if !result.non_kyoto_tco2e.is_zero() {
                self.issues.push(Issue::new(
                    "NON_KYOTO_REPORTED_APART",
                    Severity::Info,
                    place.clone(),
                    format!("{} tCO2e of gases outside the Kyoto basket (e.g. HCFC-22) are reported apart, not in the totals", result.non_kyoto_tco2e.round_dp(3)),
                    format!("{} tCO2e 非《京都议定书》管控气体（如 HCFC-22）单独报告，不计入总量", result.non_kyoto_tco2e.round_dp(3)),
                ));
            }
            sources.push(result);
        }
        totals.total_location = totals.scope1 + totals.scope2_location + totals.scope3;
        totals.total_market = totals.scope1 + totals.scope2_market + totals.scope3;
        for gas in caveats {
            if let Some(note) = gas.gwp_caveat(gwp) {
                self.issues.push(Issue::new(
                    "GWP_UNVERIFIED",
                    Severity::Warning,
                    format!("GWP of {} ({})", gas.id(), gwp.code()),
                    note.to_string(),
                    format!(
                        "{} 的 {} GWP 值尚未与 IPCC 原表核对：{}",
                        gas.id(),
                        gwp.code(),
                        note
                    ),
                ));
            }
        }
        let pct = |key: &str, total: Decimal| -> Option<Decimal> {
            let sq = unc_sq.get(key).copied().unwrap_or_default();
            if total.is_zero() || sq.is_zero() {
                return None;
            }
            sq.sqrt().map(|root| root / total.abs())
        };
        let uncertainty = Uncertainty {
            scope1_pct: pct("scope1", totals.scope1),
            scope2_location_pct: pct("scope2_location", totals.scope2_location),
            scope2_market_pct: pct("scope2_market", totals.scope2_market),
            scope3_pct: pct("scope3", totals.scope3),
            total_location_pct: pct("total_location", totals.total_location),
            not_assessed,
        };
        let gases = gases
            .into_iter()
            .map(|(gas, (tonnes, tco2e))| {
                let g = Gas::parse(&gas);
                GasTotal {
                    basket: g.map(Gas::basket),
                    gwp: g.map(|g| g.gwp(gwp)),
                    gas,
                    tonnes,
                    tco2e,
                }
            })
            .collect();
        let eac = allocation.map(|allocation| {
            self.issues.extend(allocation.issues.iter().cloned());
            let mut green_power: Vec<GridCover> = covers
                .values()
                .filter_map(|c| {
                    let kwh: Decimal = c.covered.iter().copied().sum();
                    (!kwh.is_zero()).then(|| GridCover {
                        site: c.place.clone(),
                        kwh,
                        grid_kgco2e_per_kwh: c.grid_kg_per_kwh,
                    })
                })
                .collect();
            green_power.sort_by(|a, b| a.site.cmp(&b.site));
            EacResult {
                scope2_market_before_eac: scope2_before,
                allocation,
                green_power,
                market: market_covers,
            }
        });
        self.issues
            .sort_by(|a, b| (a.severity, a.code, &a.place).cmp(&(b.severity, b.code, &b.place)));
        Inventory {
            year: ctx.year,
            period: (!window.calendar).then_some(InventoryPeriod {
                from: window.from,
                to: window.to,
            }),
            gwp,
            totals,
            categories,
            category2_market,
            sites: sites.into_values().collect(),
            sources,
            months,
            gases,
            uncertainty,
            issues: self.issues,
            lines: self.lines,
            eac,
        }
    }

    /// The certificates' allocation over the electricity consumption of the year, and each
    /// covered source's slices (`None` without certificates).
    fn allocate(&mut self, plans: &[Plan]) -> Option<(Allocation, HashMap<i64, SourceCover>)> {
        let (eacs, assessments) = self.certificates?;
        let ctx = self.ctx;
        let mut slices = Vec::new();
        let mut covers: HashMap<i64, SourceCover> = HashMap::new();
        for plan in plans {
            let source = &ctx.sources[plan.source];
            if source.kind != SourceKind::Electricity || plan.records == 0 {
                continue;
            }
            let (Some(site), Some((market, _))) = (plan.site.map(|i| &ctx.sites[i]), &plan.market)
            else {
                continue;
            };
            let place = place_of(source, Some(site));
            // the month's kWh of the records that are computed (a record whose unit does not
            // reach the factor is an error already and has no emissions to cover)
            let mut kwh = vec![Decimal::ZERO; self.window.len()];
            let mut not_energy = None;
            for (unit, sums) in &plan.sums {
                if !matches!(plan.units.get(unit), Some(Ok(_))) {
                    continue;
                }
                for (m, q) in sums.iter().enumerate() {
                    match unit
                        .convert(*q, Unit::KWh)
                        .ok()
                        .and_then(|k| k.checked_mul(plan.share))
                        .and_then(|k| kwh[m].checked_add(k))
                    {
                        Some(sum) => kwh[m] = sum,
                        None => not_energy = Some(*unit),
                    }
                }
            }
            if let Some(unit) = not_energy {
                self.issue(
                    "EAC_CONSUMPTION_NOT_KWH",
                    Severity::Warning,
                    place,
                    format!("records in {unit} cannot be counted in kWh: energy attribute certificates are not applied to this source, whose market-based scope 2 keeps its basis; record electricity in kWh or MWh"),
                    format!("以 {unit} 计的记录无法折算为千瓦时：绿证等能源属性证书不适用于该排放源，其基于市场的范围二排放保持原有依据；请以千瓦时或兆瓦时登记用电量"),
                );
                continue;
            }
            let props: Vec<&FuelProperty> = plan.properties.iter().collect();
            let rate = Bridge::find(Unit::KWh, market.unit, &props)
                .and_then(|b| rates(market, ctx.gwp, b.ratio))
                .map(|r| r.kyoto);
            let kg_per_kwh = match rate {
                Ok(r) if r > Decimal::ZERO => r,
                Ok(_) => {
                    self.issue(
                        "EAC_NOT_NEEDED",
                        Severity::Info,
                        place,
                        format!("the market-based factor {} is zero: this consumption already carries a zero-emission attribute, so no certificate is applied to it", market.id),
                        format!("基于市场的因子 {} 为零：该用电量已具有零排放属性，不再为其使用证书", market.id),
                    );
                    continue;
                }
                Err(e) => {
                    self.issue(
                        "EAC_CONSUMPTION_NOT_KWH",
                        Severity::Warning,
                        place,
                        format!("the market-based factor {} is not per unit of energy ({e}): energy attribute certificates are not applied to this source", market.id),
                        format!("基于市场的因子 {} 不是按能量单位计的（{}）：绿证等能源属性证书不适用于该排放源", market.id, e.message_zh()),
                    );
                    continue;
                }
            };
            for (m, k) in kwh.iter().enumerate() {
                if *k > Decimal::ZERO {
                    slices.push(ConsumptionSlice {
                        site: site.name.clone(),
                        source_id: source.id,
                        month: m as u32 + 1,
                        kwh: *k,
                    });
                }
            }
            // the grid factor of the same kWh, for the reduction by green power
            let grid = plan.location.as_ref().and_then(|f| {
                Bridge::find(Unit::KWh, f.unit, &props)
                    .and_then(|b| rates(f, ctx.gwp, b.ratio))
                    .ok()
                    .map(|r| r.kyoto)
            });
            covers.insert(
                source.id,
                SourceCover {
                    place: place_of(source, Some(site)),
                    kg_per_kwh,
                    grid_kg_per_kwh: grid.unwrap_or_default(),
                    kwh,
                    covered: vec![Decimal::ZERO; self.window.len()],
                    by: vec![Vec::new(); self.window.len()],
                },
            );
        }
        let slots = self.window.len();
        let allocation = eac::allocate_slots(ctx.year, slots as u32, eacs, assessments, &slices);
        for s in &allocation.slices {
            let m = (s.month as usize).wrapping_sub(1);
            if let Some(c) = covers.get_mut(&s.source_id).filter(|_| m < slots) {
                c.covered[m] += s.covered_kwh;
                c.by[m].extend(s.by.iter().cloned());
            }
        }
        Some((allocation, covers))
    }

    /// Take the covered kWh of a source out of its market-based figures, month by month, and
    /// say on its kept lines which certificates covered them.
    fn apply_cover(
        &mut self,
        cover: &SourceCover,
        plan: &Plan,
        result: &mut SourceResult,
        months: &mut [MonthTotal],
        place: &str,
    ) {
        let thousand = Decimal::ONE_THOUSAND;
        let covered: Decimal = cover.covered.iter().copied().sum();
        if covered.is_zero() {
            return;
        }
        for m in 0..cover.covered.len() {
            let c = cover.covered[m];
            if c.is_zero() {
                continue;
            }
            let before = result.months_market[m];
            // a month covered in full is zero, whatever the rounding of the products
            let after = if c >= cover.kwh[m] {
                Decimal::ZERO
            } else {
                before - c * cover.kg_per_kwh / thousand
            };
            result.months_market[m] = after;
            if let Some(mt) = months.get_mut(m) {
                mt.scope2_market -= before - after;
            }
        }
        result.tco2e_market = result.months_market.iter().copied().sum();
        result.eac_kwh = covered;
        result.uncovered_basis = result.market_basis;
        result.market_basis = Some(MarketBasis::Eac);
        let total: Decimal = cover.kwh.iter().copied().sum();
        let mut ids: Vec<String> = Vec::new();
        for c in cover.by.iter().flatten() {
            let label = format!("{} {}", c.kind.code(), c.id);
            if !ids.contains(&label) {
                ids.push(label);
            }
        }
        let rest_en = match result.uncovered_basis {
            Some(MarketBasis::Contractual) => "the contractual factor",
            Some(MarketBasis::ResidualMix) => "the residual mix",
            Some(MarketBasis::GridFallback) => "the grid average (disclosed)",
            _ => "its market basis",
        };
        let rest_zh = match result.uncovered_basis {
            Some(MarketBasis::Contractual) => "合同因子",
            Some(MarketBasis::ResidualMix) => "剩余组合因子",
            Some(MarketBasis::GridFallback) => "电网平均因子（须披露）",
            _ => "原有市场依据",
        };
        self.issue(
            "S2_MARKET_EAC",
            Severity::Info,
            place.to_string(),
            format!("market-based scope 2: {} of its {} kWh are covered by energy attribute certificates at zero emissions ({}); the rest uses {rest_en}", covered.normalize(), total.normalize(), ids.join(", ")),
            format!("基于市场的范围二：其 {} 千瓦时中有 {} 千瓦时由能源属性证书按零排放覆盖（{}）；其余采用{rest_zh}", total.normalize(), covered.normalize(), ids.join("、")),
        );
        // the kept lines: each month's covers fill the records' shares in record order
        if plan.line_kwh.is_empty() {
            return;
        }
        let mut per_month: Vec<Vec<(usize, Decimal)>> = vec![Vec::new(); cover.covered.len()];
        let mut line_total: BTreeMap<usize, Decimal> = BTreeMap::new();
        for &(index, month, kwh) in &plan.line_kwh {
            let m = (month as usize).wrapping_sub(1);
            if let Some(slot) = per_month.get_mut(m) {
                slot.push((index, kwh));
            }
            if kwh > Decimal::ZERO {
                *line_total.entry(index).or_default() += kwh;
            }
        }
        for (m, entries) in per_month.iter_mut().enumerate() {
            if cover.by[m].is_empty() {
                continue;
            }
            let lines = &self.lines;
            entries.sort_by_key(|&(i, _)| (lines[i].activity_id, lines[i].activity_version, i));
            let mut left: Vec<Decimal> = cover.by[m].iter().map(|c| c.kwh).collect();
            let mut next = 0;
            for &(index, kwh) in entries.iter() {
                let mut room = kwh;
                let mut took = Decimal::ZERO;
                while room > Decimal::ZERO && next < left.len() {
                    let take = room.min(left[next]);
                    if take > Decimal::ZERO {
                        let by = &cover.by[m][next];
                        let line = &mut self.lines[index];
                        line.eac_kwh += take;
                        match line
                            .eac
                            .iter_mut()
                            .find(|c| c.kind == by.kind && c.id == by.id)
                        {
                            Some(c) => c.kwh += take,
                            None => line.eac.push(Cover {
                                kind: by.kind,
                                id: by.id.clone(),
                                kwh: take,
                            }),
                        }
                        room -= take;
                        took += take;
                        left[next] -= take;
                    }
                    if left[next] <= Decimal::ZERO {
                        next += 1;
                    }
                }
                // the record's own month, as `lingtan trace` splits it: a month covered in full
                // is zero, as the source's month is
                if took > Decimal::ZERO {
                    let month = m as u32 + 1;
                    if let Some(slot) = self.lines[index].months.iter_mut().find(|e| e.0 == month) {
                        slot.3 = if took >= kwh {
                            Decimal::ZERO
                        } else {
                            slot.3 - took * cover.kg_per_kwh / thousand
                        };
                    }
                }
            }
        }
        for (index, total) in line_total {
            let line = &mut self.lines[index];
            if line.eac_kwh.is_zero() {
                continue;
            }
            line.tco2e_market = if line.eac_kwh >= total {
                Decimal::ZERO
            } else {
                line.tco2e_market - line.eac_kwh * cover.kg_per_kwh / thousand
            };
        }
    }
}

/// A source's consumption slices and the certificates' cover, month by month (index = the
/// window's slot; 0 = January in a calendar year).
#[derive(Debug)]
struct SourceCover {
    place: String,
    /// kg CO2e of its market-based factor per kWh (the organisation's share is in `kwh`).
    kg_per_kwh: Decimal,
    /// kg CO2e of its location-based factor per kWh.
    grid_kg_per_kwh: Decimal,
    kwh: Vec<Decimal>,
    covered: Vec<Decimal>,
    by: Vec<Vec<Cover>>,
}

/// Overlapping or duplicate records of one source, and months of the year no record covers.
fn check_periods(
    issues: &mut Vec<Issue>,
    place: &str,
    periods: &[(NaiveDate, NaiveDate, i64, Decimal)],
    window: &Window,
    kind: SourceKind,
) {
    if periods.is_empty() {
        return;
    }
    let mut sorted = periods.to_vec();
    sorted.sort_by_key(|p| (p.0, p.1, p.2));
    let mut reported = 0;
    let mut latest: Option<(NaiveDate, NaiveDate, i64, Decimal)> = None;
    for p in &sorted {
        if let Some(prev) = latest {
            if p.0 <= prev.1 && reported < 20 {
                reported += 1;
                let duplicate = p.0 == prev.0 && p.1 == prev.1 && p.3 == prev.3;
                let (code, en_word, zh_word) = if duplicate {
                    ("ACTIVITY_DUPLICATE", "duplicate", "重复")
                } else {
                    ("ACTIVITY_OVERLAP", "overlapping", "期间重叠")
                };
                issues.push(Issue::new(
                    code,
                    Severity::Warning,
                    place.to_string(),
                    format!("{en_word} records #{} ({}..{}) and #{} ({}..{}): check they are not the same consumption counted twice", prev.2, prev.0, prev.1, p.2, p.0, p.1),
                    format!("记录 #{}（{}至{}）与 #{}（{}至{}）{zh_word}：请确认未重复计量", prev.2, prev.0, prev.1, p.2, p.0, p.1),
                ));
            }
        }
        if latest.is_none_or(|l| p.1 > l.1) {
            latest = Some(*p);
        }
    }
    // months of the inventory's window with no record at all (inside the window's days)
    let slots = window.len();
    let mut covered = vec![false; slots];
    for (from, to, _, _) in periods {
        if *to < window.from || *from > window.to {
            continue;
        }
        for share in split(*from, *to, Decimal::ZERO) {
            let Some(i) = window.slot(share.year, share.month) else {
                continue;
            };
            let inside = crate::period::month_bounds(share.year, share.month).is_some_and(
                |(first, last)| first.max(*from).max(window.from) <= last.min(*to).min(window.to),
            );
            if inside {
                covered[i] = true;
            }
        }
    }
    let missing: Vec<String> = (0..slots)
        .filter(|m| !covered[*m])
        .map(|m| window.slot_label(m))
        .collect();
    // only sources that run continuously are expected in every month (not purchases or top-ups)
    let continuous = kind.is_imported_energy() || kind == SourceKind::StationaryCombustion;
    if continuous && !missing.is_empty() && missing.len() < slots {
        let year = window.label();
        let zh = if window.calendar {
            format!(
                "{year} 年第 {} 月无任何记录；如该排放源当月运行，请补充数据",
                missing.join("、")
            )
        } else {
            format!(
                "{year} 期间的 {} 月份无任何记录；如该排放源当月运行，请补充数据",
                missing.join("、")
            )
        };
        issues.push(Issue::new(
            "MONTHS_WITHOUT_DATA",
            Severity::Warning,
            place.to_string(),
            format!(
                "no record covers month(s) {} of {year}; if the source ran then, add the data",
                missing.join(", ")
            ),
            zh,
        ));
    }
}
