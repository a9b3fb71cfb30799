//! What a measure's changes abate and save, and its money figures.
//!
//! Abatement per year = −Σ change × the source's kg CO2e per unit ÷ 1000, per gas with the
//! project's GWPs, on the location and the market basis (equal outside scope 2). The factor's
//! gases become CO2e by the inventory's own rule (`calc::rates`, reused, not copied) through
//! [`BasisRate::new`], which takes the factor, the GWP set, the source's unit and fuel
//! properties and the equity share. A factor switch abates `activity × (old rate − new rate)`.
//! Each line names its change, its factors (id and version) and the fuel properties used.
//!
//! Energy cost savings = −Σ change × price, the change converted to the price's unit (any unit
//! of the source's dimension). A changed source without a factor or a price leaves the figures
//! that need it `None`, with an issue naming it: never zero.
//!
//! [`evaluate`] puts it all together for one measure: changes, abatement on both bases,
//! savings, CRF, annualised cost, MAC, NPV and payback ([`super::finance`]).

use super::finance::{economics, Costs, DiscountRate, Lifetime, NoMac};
use super::measure::{
    derive_changes, refs, Change, Changes, FactorSwitch, Formula, Measure, MeasureKind,
    MeasureStatus, SourceInfo, MAX_QUANTITY,
};
use super::target::Scopes;
use super::{Basis, Citation, Month, ReductionError};
use crate::calc::{rates, FactorRef, Inventory, Resolved};
use crate::error::Field;
use crate::factor::{Bridge, EmissionFactor, FuelProperty};
use crate::gas::GwpSet;
use crate::issue::{Issue, Severity};
use crate::source::Scope;
use crate::units::{Unit, UnitError};
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::BTreeMap;

/// A source's factor on one basis, per one unit of the source's activity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BasisRate {
    pub factor: FactorRef,
    /// Fuel properties that convert the source's unit to the factor's.
    pub properties: Vec<FactorRef>,
    /// kg CO2e (Kyoto basket, the project's GWPs) per unit.
    pub kg_co2e_per_unit: Decimal,
    /// kg CO2e of gases outside the Kyoto basket per unit (reported apart).
    pub kg_non_kyoto_co2e_per_unit: Decimal,
    /// kg of each gas per unit (`CO2e` for amounts published only as CO2e).
    pub kg_per_unit: BTreeMap<String, Decimal>,
}

impl BasisRate {
    /// The rate of `factor` per one `unit` of a source's activity, converted through the
    /// source's fuel properties where the dimensions differ, times the equity `share` (1 outside
    /// the equity-share approach): the inventory's own rule.
    pub fn new(
        factor: &EmissionFactor,
        gwp: GwpSet,
        unit: Unit,
        properties: &[FuelProperty],
        share: Decimal,
    ) -> Result<BasisRate, UnitError> {
        let props: Vec<&FuelProperty> = properties.iter().collect();
        let bridge = Bridge::find(unit, factor.unit, &props)?;
        let per = bridge.ratio.checked_mul(share).ok_or(UnitError::Overflow)?;
        let r = rates(factor, gwp, per)?;
        let mut kg_per_unit: BTreeMap<String, Decimal> = BTreeMap::new();
        for (gas, kg) in &r.gases {
            *kg_per_unit.entry(gas.id().to_string()).or_default() += *kg;
        }
        if !r.co2e_given.is_zero() {
            *kg_per_unit.entry("CO2e".to_string()).or_default() += r.co2e_given;
        }
        Ok(BasisRate {
            factor: FactorRef {
                id: factor.id.clone(),
                version: factor.version,
            },
            properties: refs(&bridge.properties),
            kg_co2e_per_unit: r.kyoto,
            kg_non_kyoto_co2e_per_unit: r.non_kyoto,
            kg_per_unit,
        })
    }
}

/// A source's factors as abatement needs them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SourceRate {
    pub source: String,
    pub scope: Scope,
    /// The unit the rates are per: the source's unit.
    pub unit: Unit,
    pub location: BasisRate,
    /// Equal to `location` outside scope 2.
    pub market: BasisRate,
    /// The equity share applied (1 outside the equity-share approach), for a factor switch.
    pub share: Decimal,
}

impl SourceRate {
    /// A source's rates; `market` is the location rate when `None` (outside scope 2, or no
    /// market factor).
    pub fn new(
        source: &str,
        scope: Scope,
        unit: Unit,
        location: BasisRate,
        market: Option<BasisRate>,
        share: Decimal,
    ) -> SourceRate {
        let market = match (scope, market) {
            (Scope::Two, Some(m)) => m,
            _ => location.clone(),
        };
        SourceRate {
            source: source.to_string(),
            scope,
            unit,
            location,
            market,
            share,
        }
    }
}

/// Each source's rates in a year, from the factors its inventory resolved ([`Resolved`], from
/// `InventoryBuilder::resolved`) and the unit the inventory reports it in: exactly the factors
/// the inventory used, per one unit of the source's activity. A source without a factor, or
/// whose unit its factor cannot take, has no rate (abatement then names it as missing).
pub fn rates_of(inventory: &Inventory, resolved: &[Resolved]) -> Vec<SourceRate> {
    let gwp = inventory.gwp;
    inventory
        .sources
        .iter()
        .filter_map(|s| {
            let r = resolved.iter().find(|r| r.source_id == s.source_id)?;
            let location =
                BasisRate::new(r.location.as_ref()?, gwp, s.unit, &r.properties, r.share).ok()?;
            let market = match &r.market {
                Some(f) => Some(BasisRate::new(f, gwp, s.unit, &r.properties, r.share).ok()?),
                None => None,
            };
            let scope = match s.scope {
                1 => Scope::One,
                2 => Scope::Two,
                _ => Scope::Three,
            };
            Some(SourceRate::new(
                &s.source, scope, s.unit, location, market, r.share,
            ))
        })
        .collect()
}

/// What a line of the abatement comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum LineKind {
    /// A change of activity × the source's factor.
    Activity,
    /// The source's activity × (old factor − new factor).
    FactorSwitch,
}

/// One source's part of a measure's abatement, with its lineage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AbatementLine {
    pub source: String,
    pub scope: Scope,
    pub kind: LineKind,
    /// The change (activity) or, for a switch, the activity it applies to, in `unit`.
    pub quantity: Decimal,
    pub unit: Unit,
    pub factor: FactorRef,
    pub market_factor: FactorRef,
    /// A switch's new factor.
    pub new_factor: Option<FactorRef>,
    pub properties: Vec<FactorRef>,
    pub location_tco2e: Decimal,
    pub market_tco2e: Decimal,
    pub non_kyoto_tco2e: Decimal,
    /// Tonnes of each gas avoided (location basis).
    pub gases: BTreeMap<String, Decimal>,
}

/// A measure's annual abatement (positive: emissions avoided).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Abatement {
    pub gwp: GwpSet,
    pub location_tco2e: Decimal,
    pub market_tco2e: Decimal,
    /// Outside the Kyoto basket, reported apart (switching away from R-22 shows here).
    pub non_kyoto_tco2e: Decimal,
    /// Tonnes of each gas avoided (location basis).
    pub gases: BTreeMap<String, Decimal>,
    pub lines: Vec<AbatementLine>,
}

impl Abatement {
    pub fn tco2e(&self, basis: Basis) -> Decimal {
        match basis {
            Basis::Location => self.location_tco2e,
            Basis::Market => self.market_tco2e,
        }
    }

    /// The abatement on the sources of `scopes`, on `basis` (what counts towards a target).
    pub fn in_scopes(&self, scopes: Scopes, basis: Basis) -> Decimal {
        self.lines
            .iter()
            .filter(|l| scopes.includes(l.scope))
            .map(|l| match basis {
                Basis::Location => l.location_tco2e,
                Basis::Market => l.market_tco2e,
            })
            .sum()
    }
}

fn line_for(
    rate: &SourceRate,
    kind: LineKind,
    quantity: Decimal,
    unit: Unit,
    per_loc: &BasisRate,
    per_mkt: &BasisRate,
    new: Option<&BasisRate>,
) -> Option<AbatementLine> {
    let thousand = Decimal::ONE_THOUSAND;
    // kg per unit avoided: the rate itself for a change (× −change), old − new for a switch
    let diff = |old: Decimal, new_rate: Option<Decimal>| old - new_rate.unwrap_or_default();
    let sign = match kind {
        LineKind::Activity => -quantity,
        LineKind::FactorSwitch => quantity,
    };
    let loc = diff(per_loc.kg_co2e_per_unit, new.map(|n| n.kg_co2e_per_unit));
    let mkt = diff(per_mkt.kg_co2e_per_unit, new.map(|n| n.kg_co2e_per_unit));
    let nk = diff(
        per_loc.kg_non_kyoto_co2e_per_unit,
        new.map(|n| n.kg_non_kyoto_co2e_per_unit),
    );
    let mut gases: BTreeMap<String, Decimal> = BTreeMap::new();
    for (gas, kg) in &per_loc.kg_per_unit {
        *gases.entry(gas.clone()).or_default() += sign.checked_mul(*kg)? / thousand;
    }
    if let Some(n) = new {
        for (gas, kg) in &n.kg_per_unit {
            *gases.entry(gas.clone()).or_default() -= sign.checked_mul(*kg)? / thousand;
        }
    }
    let mut properties = per_loc.properties.clone();
    for p in &per_mkt.properties {
        if !properties.contains(p) {
            properties.push(p.clone());
        }
    }
    Some(AbatementLine {
        source: rate.source.clone(),
        scope: rate.scope,
        kind,
        quantity,
        unit,
        factor: per_loc.factor.clone(),
        market_factor: per_mkt.factor.clone(),
        new_factor: new.map(|n| n.factor.clone()),
        properties,
        location_tco2e: sign.checked_mul(loc)? / thousand,
        market_tco2e: sign.checked_mul(mkt)? / thousand,
        non_kyoto_tco2e: sign.checked_mul(nk)? / thousand,
        gases,
    })
}

/// Why an abatement cannot be computed: the sources without a factor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingFactors(pub Vec<String>);

/// The abatement of a measure's changes: `−change × rate` per change, `activity × (old − new)`
/// per factor switch, each line naming its change and factors. `Err` lists the changed sources
/// without a usable factor (none, one per a unit of another dimension, or figures beyond a
/// `Decimal`): the figure is then unknown, never zero.
pub fn abatement(
    changes: &Changes,
    rates: &[SourceRate],
    gwp: GwpSet,
) -> Result<Abatement, MissingFactors> {
    let mut missing: Vec<String> = Vec::new();
    let mut lines = Vec::new();
    let rate_of = |name: &str| rates.iter().find(|r| r.source == name);
    for c in &changes.changes {
        let Some(rate) = rate_of(&c.source).filter(|r| r.unit.dimension() == c.unit.dimension())
        else {
            missing.push(c.source.clone());
            continue;
        };
        let Ok(q) = c.unit.convert(c.quantity, rate.unit) else {
            missing.push(c.source.clone());
            continue;
        };
        match line_for(
            rate,
            LineKind::Activity,
            q,
            rate.unit,
            &rate.location,
            &rate.market,
            None,
        ) {
            Some(l) => lines.push(l),
            None => missing.push(c.source.clone()),
        }
    }
    for s in &changes.switches {
        let Some(rate) = rate_of(&s.source) else {
            missing.push(s.source.clone());
            continue;
        };
        let new = BasisRate::new(&s.to_factor, gwp, s.unit, &[], rate.share);
        let old_per = s.unit.ratio_to(rate.unit);
        let (Ok(new), Ok(ratio)) = (new, old_per) else {
            missing.push(s.source.clone());
            continue;
        };
        // the old rates per the switch's unit
        let scale = |b: &BasisRate| BasisRate {
            kg_co2e_per_unit: b.kg_co2e_per_unit * ratio,
            kg_non_kyoto_co2e_per_unit: b.kg_non_kyoto_co2e_per_unit * ratio,
            kg_per_unit: b
                .kg_per_unit
                .iter()
                .map(|(g, v)| (g.clone(), *v * ratio))
                .collect(),
            ..b.clone()
        };
        let (loc, mkt) = (scale(&rate.location), scale(&rate.market));
        match line_for(
            rate,
            LineKind::FactorSwitch,
            s.activity,
            s.unit,
            &loc,
            &mkt,
            Some(&new),
        ) {
            Some(l) => lines.push(l),
            None => missing.push(s.source.clone()),
        }
    }
    if !missing.is_empty() {
        let mut unique: Vec<String> = Vec::new();
        for m in missing {
            if !unique.contains(&m) {
                unique.push(m);
            }
        }
        return Err(MissingFactors(unique));
    }
    let mut out = Abatement {
        gwp,
        location_tco2e: Decimal::ZERO,
        market_tco2e: Decimal::ZERO,
        non_kyoto_tco2e: Decimal::ZERO,
        gases: BTreeMap::new(),
        lines: Vec::new(),
    };
    for l in &lines {
        out.location_tco2e += l.location_tco2e;
        out.market_tco2e += l.market_tco2e;
        out.non_kyoto_tco2e += l.non_kyoto_tco2e;
        for (g, t) in &l.gases {
            *out.gases.entry(g.clone()).or_default() += *t;
        }
    }
    out.lines = lines;
    Ok(out)
}

/// An energy price: `cny` per one `per` of a source (any unit of its dimension).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Price {
    pub source: String,
    pub cny: Decimal,
    pub per: Unit,
}

impl Price {
    /// A price for `source`, refused in a unit of another dimension, negative or implausible.
    pub fn new(source: &SourceInfo, cny: Decimal, per: Unit) -> Result<Price, ReductionError> {
        if per.dimension() != source.unit.dimension() {
            return Err(ReductionError::PriceUnitMismatch {
                source_name: source.name.clone(),
                unit: per,
                source_unit: source.unit,
            });
        }
        if cny < Decimal::ZERO {
            return Err(ReductionError::NegativePrice {
                source_name: source.name.clone(),
                price: cny,
            });
        }
        if cny > MAX_QUANTITY {
            return Err(ReductionError::AmountImplausible {
                field: "price".into(),
                value: cny,
            });
        }
        Ok(Price {
            source: source.name.clone(),
            cny,
            per,
        })
    }
}

/// One change priced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SavingLine {
    pub source: String,
    pub quantity: Decimal,
    pub unit: Unit,
    pub price: Option<Price>,
    /// CNY saved per year (positive: less spent).
    pub cny: Option<Decimal>,
}

/// The energy cost a measure saves per year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Savings {
    /// `None` when a changed source has no price.
    pub total_cny: Option<Decimal>,
    pub lines: Vec<SavingLine>,
    /// Changed sources without a price.
    pub unpriced: Vec<String>,
}

/// `−Σ change × price`, the change converted to the price's unit.
pub fn energy_savings(changes: &[Change], prices: &[Price]) -> Savings {
    let mut total = Some(Decimal::ZERO);
    let mut lines = Vec::new();
    let mut unpriced: Vec<String> = Vec::new();
    for c in changes {
        let price = prices.iter().find(|p| p.source == c.source);
        let cny = price.and_then(|p| {
            let q = c.unit.convert(c.quantity, p.per).ok()?;
            Some(-(q.checked_mul(p.cny)?))
        });
        match cny {
            Some(v) => total = total.map(|t| t + v),
            None => {
                total = None;
                if !unpriced.contains(&c.source) {
                    unpriced.push(c.source.clone());
                }
            }
        }
        lines.push(SavingLine {
            source: c.source.clone(),
            quantity: c.quantity,
            unit: c.unit,
            price: price.cloned(),
            cny,
        });
    }
    Savings {
        total_cny: total,
        lines,
        unpriced,
    }
}

/// What evaluating a measure needs from the project.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    pub sources: &'a [SourceInfo],
    pub rates: &'a [SourceRate],
    pub prices: &'a [Price],
    pub gwp: GwpSet,
    pub discount_rate: DiscountRate,
    /// The basis of `abatement_tco2e` and `mac`.
    pub basis: Basis,
}

/// A measure with every figure the reduction JSON shows (`achieved_tco2e` is filled by
/// progress).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MeasureResult {
    pub name: String,
    pub kind: MeasureKind,
    pub status: MeasureStatus,
    pub start: Option<Month>,
    pub changes: Vec<Change>,
    pub switches: Vec<FactorSwitch>,
    pub formula: Option<Formula>,
    pub generation_kwh: Option<Decimal>,
    pub basis: Basis,
    /// On `basis`; `None` when a changed source has no factor.
    pub abatement_tco2e: Option<Decimal>,
    pub abatement_location_tco2e: Option<Decimal>,
    pub abatement_market_tco2e: Option<Decimal>,
    pub abatement: Option<Abatement>,
    pub capex: Decimal,
    pub opex: Decimal,
    pub savings: Option<Decimal>,
    pub savings_lines: Vec<SavingLine>,
    pub lifetime: u32,
    pub lifetime_is_default: bool,
    pub crf: Decimal,
    pub annualised_cost: Option<Decimal>,
    pub mac: Option<Decimal>,
    pub no_mac: Option<NoMac>,
    pub npv: Option<Decimal>,
    pub payback_years: Option<Decimal>,
    pub achieved_tco2e: Option<Decimal>,
    pub notes: Vec<Citation>,
    pub issues: Vec<Issue>,
}

/// Everything about one measure: its changes, abatement on both bases, savings, CRF, annualised
/// cost, MAC, NPV and payback. Bad input is refused; a missing factor or price leaves the
/// figures that need it `None` with an issue naming the sources.
pub fn evaluate(m: &Measure, ctx: &Context) -> Result<MeasureResult, ReductionError> {
    if m.name.trim().is_empty() {
        return Err(ReductionError::NameRequired { field: "name" });
    }
    let spec = m.kind.spec();
    let lifetime = Lifetime::new(m.lifetime.unwrap_or(spec.default_lifetime_years))?;
    let costs = Costs::new(m.capex, m.opex, lifetime)?;
    let changes = derive_changes(m, ctx.sources)?;
    let place = format!("measure {}", m.name);
    let mut issues = Vec::new();
    let abatement = match abatement(&changes, ctx.rates, ctx.gwp) {
        Ok(a) => Some(a),
        Err(MissingFactors(sources)) => {
            issues.push(Issue::new(
                "FACTOR_MISSING",
                Severity::Error,
                place.clone(),
                format!(
                    "no abatement: no emission factor for {}",
                    sources.join(", ")
                ),
                format!("无法计算减排量：{} 没有排放因子", sources.join("、")),
            ));
            None
        }
    };
    let savings = energy_savings(&changes.changes, ctx.prices);
    if !savings.unpriced.is_empty() {
        issues.push(Issue::new(
            "PRICE_MISSING",
            Severity::Warning,
            place.clone(),
            crate::words![
                format!(
                    "no energy cost savings, MAC, NPV or payback: no price for {}; set its ",
                    savings.unpriced.join(", ")
                ),
                Field::Price,
                " (e.g. SOURCE=0.68/kWh)"
            ],
            crate::words![
                format!(
                    "无法计算节能收益、边际减排成本、净现值和回收期：{} 没有价格；请设置 ",
                    savings.unpriced.join("、")
                ),
                Field::Price,
                "（如 排放源=0.68/kWh）"
            ],
        ));
    }
    let on_basis = abatement.as_ref().map(|a| a.tco2e(ctx.basis));
    let e = economics(&costs, ctx.discount_rate, savings.total_cny, on_basis);
    if let Some(reason) = e
        .no_mac
        .filter(|r| matches!(r, NoMac::AddsEmissions | NoMac::NoAbatement))
    {
        issues.push(Issue::new(
            reason.code(),
            if reason == NoMac::AddsEmissions {
                Severity::Warning
            } else {
                Severity::Info
            },
            place.clone(),
            format!("{} ({} basis)", reason.message_en(), ctx.basis.code()),
            format!(
                "{}（{}口径）",
                reason.message_zh(),
                if ctx.basis == Basis::Market {
                    "基于市场"
                } else {
                    "基于位置"
                }
            ),
        ));
    }
    let mut notes = changes.notes.clone();
    if m.lifetime.is_none() {
        notes.push(spec.lifetime_rule);
    }
    Ok(MeasureResult {
        name: m.name.trim().to_string(),
        kind: m.kind,
        status: m.status,
        start: m.start,
        changes: changes.changes.clone(),
        switches: changes.switches.clone(),
        formula: changes.formula.clone(),
        generation_kwh: changes.generation_kwh,
        basis: ctx.basis,
        abatement_tco2e: on_basis,
        abatement_location_tco2e: abatement.as_ref().map(|a| a.location_tco2e),
        abatement_market_tco2e: abatement.as_ref().map(|a| a.market_tco2e),
        abatement,
        capex: costs.capex,
        opex: costs.opex,
        savings: savings.total_cny,
        savings_lines: savings.lines,
        lifetime: lifetime.years(),
        lifetime_is_default: m.lifetime.is_none(),
        crf: e.crf,
        annualised_cost: e.annualised_cost,
        mac: e.mac,
        no_mac: e.no_mac,
        npv: e.npv,
        payback_years: e.payback_years,
        achieved_tco2e: None,
        notes,
        issues,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reduction::fixtures::*;
    use crate::reduction::measure::{ChangeOrigin, MeasureKind, Role, LIFETIME_RULE};

    #[test]
    fn an_electric_boiler_on_a_fossil_grid_adds_emissions_and_says_so() {
        let mut m = measure(
            MeasureKind::FuelSwitch,
            &[
                ("heat", "1000"),
                ("efficiency-old", "90"),
                ("efficiency-new", "99"),
            ],
        );
        m.sources.insert(Role::NewEnergy, "Grid power".into());
        let ctx_rates = source_rates();
        let prices = vec![
            Price::new(&sources()[0], d("0.68"), Unit::KWh).unwrap(),
            Price::new(&sources()[1], d("3.5"), Unit::M3).unwrap(),
        ];
        let ctx = Context {
            sources: &sources(),
            rates: &ctx_rates,
            prices: &prices,
            gwp: GwpSet::AR6,
            discount_rate: DiscountRate::default(),
            basis: Basis::Location,
        };
        let r = evaluate(&m, &ctx).unwrap();
        assert!(
            r.abatement_tco2e.unwrap() < Decimal::ZERO,
            "1 GJ: 62 kg from gas vs 149 kg from the grid"
        );
        assert_eq!(
            (r.mac, r.no_mac),
            (None, Some(NoMac::AddsEmissions)),
            "an electric boiler on a fossil grid adds emissions and says so"
        );
        assert!(
            r.issues.iter().any(|i| i.code == "MAC_ADDS_EMISSIONS"),
            "an electric boiler on a fossil grid adds emissions and says so: {:?}",
            r.issues
        );
    }

    #[test]
    fn savings_use_the_price_in_any_unit_of_the_dimension() {
        let s = sources();
        let changes = vec![
            Change {
                source: "Grid power".into(),
                quantity: d("-10800"),
                unit: Unit::KWh,
                origin: ChangeOrigin::Formula,
                properties: vec![],
            },
            Change {
                source: "Boiler gas".into(),
                quantity: d("-20000"),
                unit: Unit::M3,
                origin: ChangeOrigin::Direct,
                properties: vec![],
            },
        ];
        let prices = vec![
            Price::new(&s[0], d("680"), Unit::MWh).unwrap(),
            Price::new(&s[1], d("35000"), Unit::TenThousandM3).unwrap(),
        ];
        let sv = energy_savings(&changes, &prices);
        // 10.8 MWh × 680 + 2 × 35,000
        assert_eq!(
            sv.total_cny,
            Some(d("77344")),
            "savings use the price in any unit of the dimension"
        );
        let sv = energy_savings(&changes, &prices[..1]);
        assert_eq!(
            (sv.total_cny, sv.unpriced.clone()),
            (None, vec!["Boiler gas".to_string()]),
            "a missing price is missing, not zero"
        );
        let e = Price::new(&s[0], d("3.5"), Unit::M3).unwrap_err();
        assert_eq!(
            (e.code(), e.field().as_str()),
            ("PRICE_UNIT_MISMATCH", "price"),
            "savings use the price in any unit of the dimension"
        );
        assert_eq!(
            Price::new(&s[0], d("-1"), Unit::KWh).map_err(|e| e.code()),
            Err("NEGATIVE_PRICE"),
            "savings use the price in any unit of the dimension"
        );
    }

    #[test]
    fn evaluate_gives_every_figure_or_says_why_not() {
        let m = measure(
            MeasureKind::PvRooftop,
            &[
                ("kwp", "120"),
                ("yield", "1050"),
                ("self-consumption", "85"),
            ],
        );
        let s = sources();
        let r = source_rates();
        let prices = vec![Price::new(&s[0], d("0.68"), Unit::KWh).unwrap()];
        let ctx = Context {
            sources: &s,
            rates: &r,
            prices: &prices,
            gwp: GwpSet::AR6,
            discount_rate: DiscountRate::default(),
            basis: Basis::Market,
        };
        let res = evaluate(&m, &ctx).unwrap();
        assert_eq!(
            res.abatement_tco2e,
            Some(d("64.26")),
            "market basis by default"
        );
        assert_eq!(res.savings, Some(d("72828.00")), "107,100 kWh × 0.68");
        assert_eq!(
            res.lifetime, 25,
            "evaluate gives every figure or says why not"
        );
        assert!(
            res.lifetime_is_default && res.notes.contains(&LIFETIME_RULE),
            "evaluate gives every figure or says why not"
        );
        assert!(
            res.mac.is_some() && res.npv.is_some() && res.payback_years.is_some(),
            "evaluate gives every figure or says why not"
        );
        assert!(
            res.issues.is_empty(),
            "evaluate gives every figure or says why not: {:?}",
            res.issues
        );

        let no_price = Context { prices: &[], ..ctx };
        let res = evaluate(&m, &no_price).unwrap();
        assert_eq!(
            (res.savings, res.mac, res.no_mac),
            (None, None, Some(NoMac::NoPrice)),
            "evaluate gives every figure or says why not"
        );
        assert!(
            res.issues
                .iter()
                .any(|i| i.code == "PRICE_MISSING"
                    && i.message(crate::Lang::En).contains("Grid power")),
            "evaluate gives every figure or says why not"
        );

        let no_factor = Context {
            rates: &r[1..],
            ..ctx
        };
        let res = evaluate(&m, &no_factor).unwrap();
        assert_eq!(
            (res.abatement_tco2e, res.no_mac),
            (None, Some(NoMac::NoFactor)),
            "evaluate gives every figure or says why not"
        );
        assert!(
            res.issues
                .iter()
                .any(|i| i.code == "FACTOR_MISSING"
                    && i.message(crate::Lang::En).contains("Grid power")),
            "evaluate gives every figure or says why not"
        );

        let mut bad = m.clone();
        bad.lifetime = Some(0);
        assert_eq!(
            evaluate(&bad, &ctx).map_err(|e| e.code()),
            Err("LIFETIME_OUT_OF_RANGE"),
            "evaluate gives every figure or says why not"
        );
        bad.lifetime = None;
        bad.capex = d("-1");
        assert_eq!(
            evaluate(&bad, &ctx).map_err(|e| e.code()),
            Err("NEGATIVE_CAPEX"),
            "evaluate gives every figure or says why not"
        );
    }
}
