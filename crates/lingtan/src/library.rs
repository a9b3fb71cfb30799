//! The factor library shipped in `assets/factors/*.toml`, loaded into every new project.
//!
//! Each file has one `[dataset]` (publisher, licence) and `[[factor]]` / `[[property]]` tables;
//! decimals are quoted strings so nothing passes through a float. A Chinese-method factor may
//! give carbon content (tC/TJ) and oxidation rate instead of gases; CO2 per TJ is then computed
//! here as carbon content × oxidation × 44/12 × 1000 kg, in decimal.

use lingtan_core::factor::{
    EmissionFactor, FactorCategory, FuelProperty, FuelUse, GridRole, Origin, PropertyKind,
};
use lingtan_core::gas::Substance;
use lingtan_core::{Decimal, Unit};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};

/// The library files, compiled in so the app works offline from a single binary.
pub const FILES: &[(&str, &str)] = &[
    (
        "cn-grid.toml",
        include_str!("../../../assets/factors/cn-grid.toml"),
    ),
    (
        "ipcc-2006-stationary.toml",
        include_str!("../../../assets/factors/ipcc-2006-stationary.toml"),
    ),
    (
        "ipcc-2006-mobile.toml",
        include_str!("../../../assets/factors/ipcc-2006-mobile.toml"),
    ),
    (
        "cn-fuel-defaults.toml",
        include_str!("../../../assets/factors/cn-fuel-defaults.toml"),
    ),
];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    dataset: Dataset,
    #[serde(default)]
    factor: Vec<Factor>,
    #[serde(default)]
    property: Vec<Property>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Dataset {
    id: String,
    name: String,
    name_zh: Option<String>,
    publisher: String,
    licence: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Factor {
    id: String,
    name: String,
    name_zh: Option<String>,
    category: String,
    role: Option<String>,
    region: Option<String>,
    fuel: Option<String>,
    #[serde(rename = "use")]
    fuel_use: Option<String>,
    year: Option<i32>,
    published: Option<String>,
    unit: String,
    gases: Option<BTreeMap<String, String>>,
    co2e: Option<String>,
    carbon_content_tc_per_tj: Option<String>,
    oxidation: Option<String>,
    citation: String,
    verified: bool,
    verification_note: Option<String>,
    uncertainty_pct: Option<String>,
    default: Option<bool>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Property {
    id: String,
    fuel: String,
    kind: String,
    value: String,
    unit: String,
    per_unit: String,
    citation: String,
    verified: bool,
    verification_note: Option<String>,
    default: Option<bool>,
}

/// The parsed library.
#[derive(Debug, Clone)]
pub struct Library {
    pub factors: Vec<EmissionFactor>,
    pub properties: Vec<FuelProperty>,
}

fn dec(file: &str, id: &str, field: &str, text: &str) -> Result<Decimal, String> {
    text.trim()
        .parse::<Decimal>()
        .map_err(|e| format!("{file}: {id}: {field} '{text}' is not a decimal: {e}"))
}

/// Parse one library file.
pub fn parse(file: &str, text: &str) -> Result<Library, String> {
    let parsed: File = toml::from_str(text).map_err(|e| format!("{file}: {e}"))?;
    let mut factors = Vec::new();
    for f in parsed.factor {
        let id = f.id.clone();
        let unit = Unit::parse(&f.unit).map_err(|e| format!("{file}: {id}: {e}"))?;
        let mut gases = BTreeMap::new();
        for (gas, value) in f.gases.unwrap_or_default() {
            if Substance::parse(&gas).is_none() {
                return Err(format!("{file}: {id}: unknown gas '{gas}'"));
            }
            gases.insert(gas, dec(file, &id, "gases", &value)?);
        }
        if let (Some(cc), Some(ox)) = (&f.carbon_content_tc_per_tj, &f.oxidation) {
            let cc = dec(file, &id, "carbon_content_tc_per_tj", cc)?;
            let ox = dec(file, &id, "oxidation", ox)?;
            // tC/TJ × oxidation × 44/12 → tCO2/TJ; × 1000 → kg/TJ; then into the factor's unit
            let per_tj = cc * ox * Decimal::from(44_000) / Decimal::from(12);
            let per_unit = Unit::TJ
                .convert(Decimal::ONE, unit)
                .map_err(|e| format!("{file}: {id}: carbon content needs an energy unit: {e}"))?;
            gases.insert("CO2".to_string(), per_tj / per_unit);
        } else if f.carbon_content_tc_per_tj.is_some() || f.oxidation.is_some() {
            return Err(format!(
                "{file}: {id}: give both carbon_content_tc_per_tj and oxidation"
            ));
        }
        let factor = EmissionFactor {
            id: f.id,
            version: 1,
            name: f.name,
            name_zh: f.name_zh,
            dataset: parsed.dataset.id.clone(),
            category: FactorCategory::parse(&f.category)
                .ok_or_else(|| format!("{file}: {id}: unknown category '{}'", f.category))?,
            role: f
                .role
                .map(|r| {
                    GridRole::parse(&r).ok_or_else(|| format!("{file}: {id}: unknown role '{r}'"))
                })
                .transpose()?,
            region: f.region,
            fuel: f.fuel,
            fuel_use: f
                .fuel_use
                .map(|u| {
                    FuelUse::parse(&u).ok_or_else(|| format!("{file}: {id}: unknown use '{u}'"))
                })
                .transpose()?,
            year: f.year,
            published: f.published,
            unit,
            gases,
            co2e: f.co2e.map(|v| dec(file, &id, "co2e", &v)).transpose()?,
            licence: parsed.dataset.licence.clone(),
            citation: f.citation,
            verified: f.verified,
            verification_note: f.verification_note,
            uncertainty_pct: f
                .uncertainty_pct
                .map(|v| dec(file, &id, "uncertainty_pct", &v))
                .transpose()?,
            is_default: f.default.unwrap_or(false),
            origin: Origin::Library,
        };
        factor.validate().map_err(|e| format!("{file}: {e}"))?;
        factors.push(factor);
    }
    let mut properties = Vec::new();
    for p in parsed.property {
        let id = p.id.clone();
        properties.push(FuelProperty {
            id: p.id,
            version: 1,
            fuel: p.fuel,
            kind: PropertyKind::parse(&p.kind)
                .ok_or_else(|| format!("{file}: {id}: unknown kind '{}'", p.kind))?,
            value: dec(file, &id, "value", &p.value)?,
            unit: Unit::parse(&p.unit).map_err(|e| format!("{file}: {id}: {e}"))?,
            per_unit: Unit::parse(&p.per_unit).map_err(|e| format!("{file}: {id}: {e}"))?,
            citation: p.citation,
            verified: p.verified,
            verification_note: p.verification_note,
            is_default: p.default.unwrap_or(false),
            origin: Origin::Library,
        });
    }
    Ok(Library {
        factors,
        properties,
    })
}

/// The whole shipped library, checked: unique ids, at most one default per fuel and use, at
/// most one default property per fuel and kind.
pub fn load() -> Result<Library, String> {
    let mut all = Library {
        factors: Vec::new(),
        properties: Vec::new(),
    };
    for (file, text) in FILES {
        let lib = parse(file, text)?;
        all.factors.extend(lib.factors);
        all.properties.extend(lib.properties);
    }
    let mut ids = BTreeSet::new();
    for id in all
        .factors
        .iter()
        .map(|f| &f.id)
        .chain(all.properties.iter().map(|p| &p.id))
    {
        if !ids.insert(id.clone()) {
            return Err(format!("factor library: id '{id}' is used twice"));
        }
    }
    let mut defaults = BTreeSet::new();
    for f in all
        .factors
        .iter()
        .filter(|f| f.is_default && f.category == FactorCategory::Fuel)
    {
        if !defaults.insert((f.fuel.clone(), f.fuel_use.map(FuelUse::code))) {
            return Err(format!(
                "factor library: two default factors for {:?} {:?}",
                f.fuel, f.fuel_use
            ));
        }
    }
    let mut default_props = BTreeSet::new();
    for p in all.properties.iter().filter(|p| p.is_default) {
        if !default_props.insert((p.fuel.clone(), p.kind.code())) {
            return Err(format!(
                "factor library: two default {} properties for {}",
                p.kind.code(),
                p.fuel
            ));
        }
    }
    Ok(all)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn the_shipped_library_loads_and_is_consistent() {
        let lib = load().expect("library loads");
        assert!(lib.factors.len() >= 30, "{} factors", lib.factors.len());
        let get = |id: &str| {
            lib.factors
                .iter()
                .find(|f| f.id == id)
                .unwrap_or_else(|| panic!("{id} missing"))
        };
        assert_eq!(
            get("CN-GRID-2022").gases["CO2"],
            d("0.5366"),
            "the shipped library loads and is consistent"
        );
        assert_eq!(
            get("CN-GRID-2023").gases["CO2"],
            d("0.5306"),
            "the shipped library loads and is consistent"
        );
        assert!(
            lib.factors
                .iter()
                .all(|f| !f.citation.trim().is_empty() && !f.licence.trim().is_empty()),
            "the shipped library loads and is consistent"
        );
        assert!(
            lib.properties.iter().all(|p| !p.citation.trim().is_empty()),
            "the shipped library loads and is consistent"
        );
    }

    #[test]
    fn carbon_content_becomes_co2_per_tj() {
        let lib = load().unwrap();
        let ng = lib
            .factors
            .iter()
            .find(|f| f.id == "CN-GUIDE-NATURAL-GAS")
            .unwrap();
        // 15.3 tC/TJ × 0.99 × 44/12 × 1000 = 55,539 kg CO2/TJ
        assert_eq!(
            ng.gases["CO2"],
            d("55539"),
            "carbon content becomes co2 per tj"
        );
    }

    #[test]
    fn a_typo_in_a_library_file_is_named() {
        let bad = "[dataset]\nid='X'\nname='x'\npublisher='p'\nlicence='l'\n[[factor]]\nid='A'\nname='a'\ncategory='fuel'\nunit='TJ'\ngases={CO2='1.2.3'}\ncitation='c'\nverified=false\n";
        let err = parse("bad.toml", bad).unwrap_err();
        assert!(
            err.contains("bad.toml") && err.contains("A") && err.contains("1.2.3"),
            "a typo in a library file is named: {err}"
        );
    }
}
