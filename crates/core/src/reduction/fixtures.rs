//! Test fixtures shared by the reduction tests: a small factory's sources, factors and rates.

use super::abatement::{BasisRate, SourceRate};
use super::measure::{derive_changes, InputValue, Measure, MeasureKind, MeasureStatus, SourceInfo};
use crate::calc::refrigerant_factor;
use crate::factor::{EmissionFactor, FactorCategory, FuelProperty, Origin, PropertyKind};
use crate::gas::{GwpSet, Substance};
use crate::source::{Scope, SourceKind};
use crate::units::Unit;
use rust_decimal::Decimal;
use std::collections::BTreeMap;

pub(crate) fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

pub(crate) fn factor(id: &str, unit: Unit, gases: &[(&str, &str)]) -> EmissionFactor {
    EmissionFactor {
        id: id.into(),
        version: 2,
        name: id.into(),
        name_zh: None,
        dataset: "test".into(),
        category: FactorCategory::Other,
        role: None,
        region: None,
        fuel: None,
        fuel_use: None,
        year: Some(2024),
        published: None,
        unit,
        gases: gases.iter().map(|(g, v)| (g.to_string(), d(v))).collect(),
        co2e: None,
        licence: "test".into(),
        citation: "test".into(),
        verified: true,
        verification_note: None,
        uncertainty_pct: None,
        is_default: true,
        origin: Origin::User,
    }
}

pub(crate) fn ncv() -> FuelProperty {
    FuelProperty {
        id: "NCV-NG".into(),
        version: 1,
        fuel: "natural-gas".into(),
        kind: PropertyKind::Ncv,
        value: d("389.31"),
        unit: Unit::GJ,
        per_unit: Unit::TenThousandNm3,
        citation: "test".into(),
        verified: true,
        verification_note: None,
        is_default: true,
        origin: Origin::Library,
    }
}

pub(crate) fn source(name: &str, kind: SourceKind, unit: Unit, annual: &str) -> SourceInfo {
    SourceInfo {
        name: name.into(),
        kind,
        unit,
        annual_activity: d(annual),
        properties: if kind == SourceKind::StationaryCombustion {
            vec![ncv()]
        } else {
            vec![]
        },
        fuel: (kind == SourceKind::Fugitive).then(|| "R-410A".to_string()),
    }
}

pub(crate) fn sources() -> Vec<SourceInfo> {
    vec![
        source("Grid power", SourceKind::Electricity, Unit::KWh, "1000000"),
        source(
            "Boiler gas",
            SourceKind::StationaryCombustion,
            Unit::M3,
            "200000",
        ),
        source(
            "Forklift diesel",
            SourceKind::MobileCombustion,
            Unit::L,
            "30000",
        ),
        source("Chiller", SourceKind::Fugitive, Unit::Kg, "20"),
    ]
}

pub(crate) fn source_rates() -> Vec<SourceRate> {
    let gwp = GwpSet::AR6;
    let one = Decimal::ONE;
    let grid = factor("CN-GRID", Unit::KWh, &[("CO2", "0.5306")]);
    let residual = factor("CN-RESIDUAL", Unit::KWh, &[("CO2", "0.6")]);
    let gas = factor(
        "NG-STAT",
        Unit::GJ,
        &[("CO2", "56.1"), ("CH4", "0.001"), ("N2O", "0.0001")],
    );
    let diesel = factor("DIESEL-MOB", Unit::L, &[("CO2", "2.6")]);
    let r410a = refrigerant_factor(Substance::parse("R-410A").unwrap());
    let s = sources();
    vec![
        SourceRate::new(
            "Grid power",
            Scope::Two,
            Unit::KWh,
            BasisRate::new(&grid, gwp, Unit::KWh, &[], one).unwrap(),
            Some(BasisRate::new(&residual, gwp, Unit::KWh, &[], one).unwrap()),
            one,
        ),
        SourceRate::new(
            "Boiler gas",
            Scope::One,
            Unit::M3,
            BasisRate::new(&gas, gwp, Unit::M3, &s[1].properties, one).unwrap(),
            None,
            one,
        ),
        SourceRate::new(
            "Forklift diesel",
            Scope::One,
            Unit::L,
            BasisRate::new(&diesel, gwp, Unit::L, &[], one).unwrap(),
            None,
            one,
        ),
        SourceRate::new(
            "Chiller",
            Scope::One,
            Unit::Kg,
            BasisRate::new(&r410a, gwp, Unit::Kg, &[], one).unwrap(),
            None,
            one,
        ),
    ]
}

pub(crate) fn measure(kind: MeasureKind, inputs: &[(&str, &str)]) -> Measure {
    Measure {
        name: format!("{} test", kind.code()),
        kind,
        status: MeasureStatus::Planned,
        start: None,
        inputs: inputs
            .iter()
            .map(|(k, v)| {
                let value = match v.parse::<Decimal>() {
                    Ok(n) => InputValue::Number(n),
                    Err(_) => InputValue::Text(v.to_string()),
                };
                (k.to_string(), value)
            })
            .collect(),
        sources: BTreeMap::new(),
        changes: Vec::new(),
        capex: d("100000"),
        opex: Decimal::ZERO,
        lifetime: None,
        meter: None,
    }
}

pub(crate) fn only_change(m: &Measure, source: &str) -> Decimal {
    let c = derive_changes(m, &sources()).unwrap();
    c.changes
        .iter()
        .filter(|c| c.source == source)
        .map(|c| c.quantity)
        .sum()
}
