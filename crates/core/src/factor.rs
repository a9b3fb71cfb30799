//! Emission factors and fuel properties: dated, cited rates.
//!
//! An [`EmissionFactor`] states the mass of each gas (kg) emitted per one unit of activity, or,
//! when the publisher gives only that, kg CO2e per unit. CO2e is computed with the inventory's
//! GWP set, never stored as the only truth. A [`FuelProperty`] (net calorific value, density) is
//! the only way to convert activity data across dimensions, and it is cited like a factor.

use crate::gas::Substance;
use crate::units::{Unit, UnitError};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What an emission factor applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FactorCategory {
    Electricity,
    Fuel,
    Refrigerant,
    Other,
}

impl FactorCategory {
    pub fn parse(text: &str) -> Option<FactorCategory> {
        match text.trim().to_ascii_lowercase().as_str() {
            "electricity" => Some(FactorCategory::Electricity),
            "fuel" => Some(FactorCategory::Fuel),
            "refrigerant" => Some(FactorCategory::Refrigerant),
            "other" => Some(FactorCategory::Other),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            FactorCategory::Electricity => "electricity",
            FactorCategory::Fuel => "fuel",
            FactorCategory::Refrigerant => "refrigerant",
            FactorCategory::Other => "other",
        }
    }
}

/// The role of a grid electricity factor in scope 2 accounting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum GridRole {
    /// Location-based: the average emission rate of the grid.
    GridAverage,
    /// Market-based for uncovered consumption: the residual mix or its documented proxy.
    ResidualMix,
    /// Fossil generation only (published alongside; not used by default).
    FossilOnly,
    /// Operational factors of the national carbon market (not used by default).
    Operational,
}

impl GridRole {
    pub fn parse(text: &str) -> Option<GridRole> {
        match text.trim().to_ascii_lowercase().as_str() {
            "grid-average" => Some(GridRole::GridAverage),
            "residual-mix" => Some(GridRole::ResidualMix),
            "fossil-only" => Some(GridRole::FossilOnly),
            "operational" => Some(GridRole::Operational),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            GridRole::GridAverage => "grid-average",
            GridRole::ResidualMix => "residual-mix",
            GridRole::FossilOnly => "fossil-only",
            GridRole::Operational => "operational",
        }
    }
}

/// Whether a fuel is burnt in a stationary or a mobile source (their CH4 and N2O differ).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FuelUse {
    Stationary,
    Mobile,
}

impl FuelUse {
    pub fn parse(text: &str) -> Option<FuelUse> {
        match text.trim().to_ascii_lowercase().as_str() {
            "stationary" => Some(FuelUse::Stationary),
            "mobile" => Some(FuelUse::Mobile),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            FuelUse::Stationary => "stationary",
            FuelUse::Mobile => "mobile",
        }
    }
}

/// Where a factor came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Origin {
    /// Shipped in the factor library (assets/factors).
    Library,
    /// Added by the user with their own citation.
    User,
}

/// A dated, cited emission rate per unit of activity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EmissionFactor {
    pub id: String,
    pub version: u32,
    pub name: String,
    pub name_zh: Option<String>,
    pub dataset: String,
    pub category: FactorCategory,
    pub role: Option<GridRole>,
    pub region: Option<String>,
    pub fuel: Option<String>,
    pub fuel_use: Option<FuelUse>,
    /// The year the data describes.
    pub year: Option<i32>,
    /// When it was published (YYYY-MM or YYYY-MM-DD).
    pub published: Option<String>,
    /// The activity unit the amounts are per.
    pub unit: Unit,
    /// kg of each gas (or blend) per one `unit`, keyed by gas id.
    pub gases: BTreeMap<String, Decimal>,
    /// kg CO2e per one `unit`, only when the publisher gives no split by gas.
    pub co2e: Option<Decimal>,
    pub licence: String,
    pub citation: String,
    pub verified: bool,
    pub verification_note: Option<String>,
    /// ± % (95 % confidence) of the factor, where stated.
    pub uncertainty_pct: Option<Decimal>,
    /// The default factor for its fuel and use.
    pub is_default: bool,
    pub origin: Origin,
}

/// A factor that cannot be used as written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FactorError {
    #[error("factor '{id}': unknown gas '{gas}' (known: CO2, CH4, CH4-fossil, CH4-nonfossil, N2O, SF6, NF3, HFC-…, CF4, C2F6, HCFC-22, CO2-biogenic, R-410A …)")]
    UnknownGas { id: String, gas: String },
    #[error(
        "factor '{id}': give either amounts per gas or a CO2e amount, not both and not neither"
    )]
    GasesOrCo2e { id: String },
    #[error("factor '{id}': amount for {gas} is negative ({value})")]
    Negative {
        id: String,
        gas: String,
        value: Decimal,
    },
    #[error("factor '{id}': a citation is required")]
    NoCitation { id: String },
    #[error("factor id '{id}' must be 1–64 characters of letters, digits, '-', '_' or '.'")]
    BadId { id: String },
}

impl FactorError {
    pub fn message_zh(&self) -> String {
        match self {
            FactorError::UnknownGas { id, gas } => {
                format!("排放因子“{id}”：未知气体“{gas}”（可用：CO2、CH4、N2O、SF6、NF3、HFC-…、HCFC-22、CO2-biogenic、R-410A 等）")
            }
            FactorError::GasesOrCo2e { id } => {
                format!("排放因子“{id}”：请给出各气体的量或一个 CO2e 量，二者只能选其一")
            }
            FactorError::Negative { id, gas, value } => {
                format!("排放因子“{id}”：{gas} 的量为负数（{value}）")
            }
            FactorError::NoCitation { id } => format!("排放因子“{id}”：必须注明出处"),
            FactorError::BadId { id } => {
                format!("因子编号“{id}”须为 1–64 个字母、数字或 - _ . 字符")
            }
        }
    }
}

impl EmissionFactor {
    /// Check the factor can be used: known gases, non-negative amounts, a citation.
    pub fn validate(&self) -> Result<(), FactorError> {
        let id_ok = !self.id.is_empty()
            && self.id.chars().count() <= 64
            && self
                .id
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'));
        if !id_ok {
            return Err(FactorError::BadId {
                id: self.id.clone(),
            });
        }
        if self.gases.is_empty() == self.co2e.is_none() {
            return Err(FactorError::GasesOrCo2e {
                id: self.id.clone(),
            });
        }
        for (gas, value) in &self.gases {
            if Substance::parse(gas).is_none() {
                return Err(FactorError::UnknownGas {
                    id: self.id.clone(),
                    gas: gas.clone(),
                });
            }
            if value.is_sign_negative() && !value.is_zero() {
                return Err(FactorError::Negative {
                    id: self.id.clone(),
                    gas: gas.clone(),
                    value: *value,
                });
            }
        }
        if let Some(value) = self.co2e {
            if value.is_sign_negative() && !value.is_zero() {
                return Err(FactorError::Negative {
                    id: self.id.clone(),
                    gas: "CO2e".into(),
                    value,
                });
            }
        }
        if self.citation.trim().is_empty() {
            return Err(FactorError::NoCitation {
                id: self.id.clone(),
            });
        }
        Ok(())
    }

    /// The amounts as (substance, kg per unit), skipping what does not parse (validated earlier).
    pub fn substances(&self) -> impl Iterator<Item = (Substance, Decimal)> + '_ {
        self.gases
            .iter()
            .filter_map(|(g, v)| Substance::parse(g).map(|s| (s, *v)))
    }
}

/// What kind of property converts between dimensions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PropertyKind {
    /// Net calorific value: energy per mass or volume.
    Ncv,
    /// Density: mass per volume.
    Density,
}

impl PropertyKind {
    pub fn parse(text: &str) -> Option<PropertyKind> {
        match text.trim().to_ascii_lowercase().as_str() {
            "ncv" => Some(PropertyKind::Ncv),
            "density" => Some(PropertyKind::Density),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            PropertyKind::Ncv => "ncv",
            PropertyKind::Density => "density",
        }
    }
}

/// A cited property of a fuel: `value` `unit` per one `per_unit` (e.g. 389.31 GJ per 10^4 Nm3).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FuelProperty {
    pub id: String,
    pub version: u32,
    pub fuel: String,
    pub kind: PropertyKind,
    pub value: Decimal,
    pub unit: Unit,
    pub per_unit: Unit,
    pub citation: String,
    pub verified: bool,
    pub verification_note: Option<String>,
    pub is_default: bool,
    pub origin: Origin,
}

/// How one unit of activity becomes units of a factor's denominator: a ratio and the
/// properties used (none when the dimensions already match).
#[derive(Debug, Clone, PartialEq)]
pub struct Bridge {
    /// Factor units per one activity unit.
    pub ratio: Decimal,
    /// Ids and versions of the fuel properties applied, in order.
    pub properties: Vec<(String, u32)>,
}

impl Bridge {
    /// Find the conversion from `from` to `to`, directly or through one or two of `props`
    /// (e.g. litres → kg by density, then kg → TJ by NCV).
    pub fn find(from: Unit, to: Unit, props: &[&FuelProperty]) -> Result<Bridge, UnitError> {
        if from.dimension() == to.dimension() {
            return Ok(Bridge {
                ratio: from.ratio_to(to)?,
                properties: Vec::new(),
            });
        }
        for p in props {
            if let Some(ratio) = step(from, to, p)? {
                return Ok(Bridge {
                    ratio,
                    properties: vec![(p.id.clone(), p.version)],
                });
            }
        }
        for p1 in props {
            for p2 in props {
                if p1.id == p2.id {
                    continue;
                }
                // through the intermediate dimension p1 leads to
                for mid in [p1.unit, p1.per_unit] {
                    if mid.dimension() == from.dimension() || mid.dimension() == to.dimension() {
                        continue;
                    }
                    if let (Some(a), Some(b)) = (step(from, mid, p1)?, step(mid, to, p2)?) {
                        return Ok(Bridge {
                            ratio: a.checked_mul(b).ok_or(UnitError::Overflow)?,
                            properties: vec![
                                (p1.id.clone(), p1.version),
                                (p2.id.clone(), p2.version),
                            ],
                        });
                    }
                }
            }
        }
        Err(UnitError::DimensionMismatch { from, to })
    }
}

/// One property step, forwards (per_unit → unit) or backwards; None when it does not fit.
fn step(from: Unit, to: Unit, p: &FuelProperty) -> Result<Option<Decimal>, UnitError> {
    let overflow = || UnitError::Overflow;
    if from.dimension() == p.per_unit.dimension() && to.dimension() == p.unit.dimension() {
        let r = from
            .ratio_to(p.per_unit)?
            .checked_mul(p.value)
            .and_then(|v| v.checked_mul(p.unit.ratio_to(to).ok()?))
            .ok_or_else(overflow)?;
        return Ok(Some(r));
    }
    if from.dimension() == p.unit.dimension()
        && to.dimension() == p.per_unit.dimension()
        && !p.value.is_zero()
    {
        let r = from
            .ratio_to(p.unit)?
            .checked_div(p.value)
            .and_then(|v| v.checked_mul(p.per_unit.ratio_to(to).ok()?))
            .ok_or_else(overflow)?;
        return Ok(Some(r));
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn prop(id: &str, kind: PropertyKind, value: &str, unit: Unit, per: Unit) -> FuelProperty {
        FuelProperty {
            id: id.into(),
            version: 1,
            fuel: "diesel".into(),
            kind,
            value: d(value),
            unit,
            per_unit: per,
            citation: "test".into(),
            verified: true,
            verification_note: None,
            is_default: true,
            origin: Origin::Library,
        }
    }

    #[test]
    fn natural_gas_volume_to_energy_by_ncv() {
        let ncv = prop(
            "NCV",
            PropertyKind::Ncv,
            "389.31",
            Unit::GJ,
            Unit::TenThousandNm3,
        );
        let b = Bridge::find(Unit::M3, Unit::TJ, &[&ncv]).unwrap();
        // 1 m3 = 10^-4 × 389.31 GJ = 0.038931 GJ = 0.000038931 TJ
        assert_eq!(
            b.ratio,
            d("0.000038931"),
            "natural gas volume to energy by ncv"
        );
        assert_eq!(
            b.properties,
            vec![("NCV".to_string(), 1)],
            "natural gas volume to energy by ncv"
        );
    }

    #[test]
    fn litres_to_energy_through_density_then_ncv() {
        let density = prop("RHO", PropertyKind::Density, "0.84", Unit::Kg, Unit::L);
        let ncv = prop("NCV", PropertyKind::Ncv, "42.652", Unit::GJ, Unit::T);
        let b = Bridge::find(Unit::L, Unit::GJ, &[&ncv, &density]).unwrap();
        // 1 L = 0.84 kg = 0.00084 t; × 42.652 GJ/t = 0.03582768 GJ
        assert_eq!(
            b.ratio,
            d("0.03582768"),
            "litres to energy through density then ncv"
        );
        assert_eq!(
            b.properties.len(),
            2,
            "litres to energy through density then ncv"
        );
    }

    #[test]
    fn no_property_no_conversion() {
        assert!(
            matches!(
                Bridge::find(Unit::KWh, Unit::Kg, &[]),
                Err(UnitError::DimensionMismatch { .. })
            ),
            "no property no conversion"
        );
    }
}
