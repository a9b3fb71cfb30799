//! Coverage of the residual emissions and the shares certifiers and the press quote.
//!
//! For a claim year ([`offset`]):
//! - residual emissions = the chosen scopes: scope 1 + market-based scope 2 after the
//!   certificates (default), or also scope 3;
//! - credits counted = credits retired for that year that pass every ✗ check;
//! - coverage % = min(counted, residual) ÷ residual × 100, shortfall = residual − counted (not
//!   below 0); credit offset ratio = counted ÷ residual × 100 (may pass 100 %);
//! - renewable share of total energy = (on-site renewable electricity used + certificate-covered
//!   kWh) ÷ total final energy, in tce (GB/T 2589: fuels at their tabulated coefficients,
//!   electricity at the equivalent value) and in GJ;
//! - green-power share of electricity = (certificate-covered + on-site renewable kWh used) ÷ all
//!   electricity used;
//! - emission reduction by green power = Σ covered kWh × the site's grid (location-based) factor.
//!   It acts through the market-based scope 2 and is never counted again as an offset.
//!
//! Each figure comes with its formula in English and Chinese and the numbers that went in. A share
//! whose inputs are incomplete (a fuel without a standard-coal coefficient, nothing to divide by)
//! is `None` with an issue, never a guess.
//!
//! Standard-coal coefficients are the TABULATED values of GB/T 2589-2008 Annex A, kept as data with
//! their citation; kgce is never derived from kJ ÷ 29 307 (the table's kgce values are kcal-based
//! and differ from that division by up to 0.12 %). The electricity equivalent value 0.1229
//! kgce/kWh has one secondary source only: `confirmed: false`, disclosed with every figure.

use super::credit::{Credit, CreditType};
use super::eac::EacFigures;
use super::{Assessment, Rule, Status};
use crate::issue::{Issue, Severity};
use crate::units::Unit;
use rust_decimal::Decimal;
use serde::{Serialize, Serializer};
use std::collections::BTreeMap;

pub const COVERAGE_NO_RESIDUAL: Rule = Rule {
    code: "COVERAGE_NO_RESIDUAL",
    severity: Severity::Warning,
    excludes: false,
    refuses: false,
    confirmed: true,
    citation: "ISO 14068-1:2023 (offsetting neutralises the residual emissions of the period)",
    en: "The residual emissions of the chosen scopes are zero or negative: coverage cannot be computed.",
    zh: "所选范围的剩余排放为零或负数：无法计算抵消覆盖率。",
};
pub const COVERAGE_SHORTFALL: Rule = Rule {
    code: "COVERAGE_SHORTFALL",
    severity: Severity::Warning,
    excludes: false,
    refuses: false,
    confirmed: true,
    citation: "ISO 14068-1:2023 clause 11; PAS 2060:2014 clause 9 (residual emissions offset in full for a claim of carbon neutrality)",
    en: "The credits counted do not cover the residual emissions.",
    zh: "计入的碳信用不足以抵消剩余排放。",
};
pub const COVERAGE_CREDITS_EXCLUDED: Rule = Rule {
    code: "COVERAGE_CREDITS_EXCLUDED",
    severity: Severity::Info,
    excludes: false,
    refuses: false,
    confirmed: true,
    citation: "Lingtan: credits failing a ✗ check are shown, not counted",
    en: "Some credits retired for the year are not counted because of a ✗ check.",
    zh: "部分为该年注销的碳信用因未通过检查（✗）而不计入。",
};
pub const COVERAGE_CREDIT_SPLIT: Rule = Rule {
    code: "COVERAGE_CREDIT_SPLIT",
    severity: Severity::Info,
    excludes: false,
    refuses: false,
    confirmed: true,
    citation: "Oxford Offsetting Principles (2024 revision): disclose avoidance versus removal and shift toward removals",
    en: "The split of the counted credits into avoidance and removal.",
    zh: "计入碳信用中避免排放与清除的构成。",
};
pub const COVERAGE_GREEN_POWER_NOT_OFFSET: Rule = Rule {
    code: "COVERAGE_GREEN_POWER_NOT_OFFSET",
    severity: Severity::Info,
    excludes: false,
    refuses: false,
    confirmed: false,
    citation: "ISO 14068-1:2023: renewable energy purchases act through the quantification (market-based scope 2), not as offsets (two certifier pages, research notes §2.7)",
    en: "The reduction by green power is already in the market-based scope 2; it is not counted again as an offset.",
    zh: "绿电减排已体现在基于市场的范围二排放中，不再作为抵消重复计入。",
};
pub const ENERGY_COEFFICIENT_MISSING: Rule = Rule {
    code: "ENERGY_COEFFICIENT_MISSING",
    severity: Severity::Error,
    excludes: false,
    refuses: false,
    confirmed: true,
    citation: "GB/T 2589-2020 ch. 8 / GB/T 2589-2008 ch. 6 (every energy carrier converted to standard coal)",
    en: "An energy carrier has no standard-coal coefficient in its unit: the energy shares are not computed.",
    zh: "某能源品种没有对应单位的折标准煤系数：不计算能源占比。",
};
pub const ENERGY_COEFFICIENT_UNCONFIRMED: Rule = Rule {
    code: "ENERGY_COEFFICIENT_UNCONFIRMED",
    severity: Severity::Info,
    excludes: false,
    refuses: false,
    confirmed: false,
    citation: "GB/T 2589-2008 Annex A electricity equivalent value 0.1229 kgce/kWh (one secondary source; the 2020 edition's table not seen) — research notes §4",
    en: "A standard-coal coefficient used is not confirmed against the standard's text: disclosed with the figure.",
    zh: "所用折标准煤系数未与标准原文核对：随数据披露。",
};
pub const COVERAGE_INPUT_INCONSISTENT: Rule = Rule {
    code: "COVERAGE_INPUT_INCONSISTENT",
    severity: Severity::Error,
    excludes: false,
    refuses: false,
    confirmed: true,
    citation: "Lingtan: certificates never cover more than the consumption",
    en: "The certificate-covered kWh exceed the grid electricity used: the green-power shares are not computed.",
    zh: "证书覆盖电量超过外购电量：不计算绿电占比。",
};

pub const ENERGY_COEFFICIENT_CHOSEN: Rule = Rule {
    code: "ENERGY_COEFFICIENT_CHOSEN",
    severity: Severity::Info,
    excludes: false,
    refuses: false,
    confirmed: true,
    citation: "GB/T 2589-2008 Annex A tabulates natural gas twice: oil-field gas 1.3300 kgce/m³, gas-field gas 1.2143 kgce/m³ (research notes §4); the 2020 edition's range 1.1000–1.3300 is not confirmed",
    en: "A carrier with more than one tabulated coefficient was converted with the one Lingtan takes by default: disclosed with the alternative.",
    zh: "某能源品种有多个表列折标准煤系数，按 Lingtan 默认选用的系数折算：随替代值一并披露。",
};
pub const ENERGY_DENSITY_ASSUMED: Rule = Rule {
    code: "ENERGY_DENSITY_ASSUMED",
    severity: Severity::Info,
    excludes: false,
    refuses: false,
    confirmed: false,
    citation: "GB/T 2589 tabulates liquid fuels per kg: litres are turned into kg with a density; a default density is a typical value, not a published default (assets/factors/README.md)",
    en: "A volume of a liquid fuel was turned into mass with a default density, not one recorded for the project: disclosed.",
    zh: "液体燃料体积按默认密度换算为质量，而非项目登记的密度：予以披露。",
};
pub const ONSITE_EXPORT_UNKNOWN: Rule = Rule {
    code: "ONSITE_EXPORT_UNKNOWN",
    severity: Severity::Warning,
    excludes: false,
    refuses: false,
    confirmed: true,
    citation: "Only on-site renewable power used by the organisation counts in its energy shares; exported power is used by others (as the reduction step's achieved abatement counts generation − export)",
    en: "No export reading for an on-site generation source: all it generated is counted as used on site, which overstates the shares if power was exported.",
    zh: "自发电排放源无上网电量读数：发电量全部按自用计入，如有余电上网则高估占比。",
};
pub const ONSITE_METER_INCONSISTENT: Rule = Rule {
    code: "ONSITE_METER_INCONSISTENT",
    severity: Severity::Error,
    excludes: false,
    refuses: false,
    confirmed: true,
    citation: "Lingtan: on-site generation used = generation − export, never negative",
    en: "An on-site source's generation and export do not give the kWh used on site: it is not counted.",
    zh: "自发电排放源的发电量与上网电量无法得出自用电量：不予计入。",
};

/// The rules of this module.
pub const RULES: &[Rule] = &[
    COVERAGE_NO_RESIDUAL,
    COVERAGE_SHORTFALL,
    COVERAGE_CREDITS_EXCLUDED,
    COVERAGE_CREDIT_SPLIT,
    COVERAGE_GREEN_POWER_NOT_OFFSET,
    ENERGY_COEFFICIENT_MISSING,
    ENERGY_COEFFICIENT_UNCONFIRMED,
    COVERAGE_INPUT_INCONSISTENT,
    ENERGY_COEFFICIENT_CHOSEN,
    ENERGY_DENSITY_ASSUMED,
    ONSITE_EXPORT_UNKNOWN,
    ONSITE_METER_INCONSISTENT,
];

/// A tabulated standard-coal coefficient: per `unit` of the carrier, its reference net calorific
/// value in kJ and its standard-coal equivalent in kgce, both as printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct StandardCoal {
    pub id: &'static str,
    pub en: &'static str,
    pub zh: &'static str,
    pub unit: Unit,
    /// kJ per unit, as printed.
    pub kj: i64,
    /// kgce per unit as (mantissa, scale): (7143, 4) = 0.7143.
    #[serde(skip)]
    pub kgce_parts: (i64, u32),
    pub dataset: &'static str,
    pub citation: &'static str,
    pub confirmed: bool,
}

impl StandardCoal {
    pub fn kgce(&self) -> Decimal {
        Decimal::new(self.kgce_parts.0, self.kgce_parts.1)
    }

    pub fn kj(&self) -> Decimal {
        Decimal::from(self.kj)
    }
}

const GB2589_2008: &str = "GB/T 2589-2008 《综合能耗计算通则》 Annex A (reference NCVs and standard-coal coefficients), as reproduced by msthinker.com article 134429 and huatuo6.cn (identical) — research notes §4";

macro_rules! coal {
    ($id:literal, $en:literal, $zh:literal, $unit:ident, $kj:literal, ($m:literal, $s:literal)) => {
        StandardCoal {
            id: $id,
            en: $en,
            zh: $zh,
            unit: Unit::$unit,
            kj: $kj,
            kgce_parts: ($m, $s),
            dataset: "gb2589-2008-annexA",
            citation: GB2589_2008,
            confirmed: true,
        }
    };
}

/// GB/T 2589-2008 Annex A, as tabulated (confirmed by two independent reproductions). The 2020
/// edition modified Annex A; its table was not seen.
pub const GB2589_2008_ANNEX_A: &[StandardCoal] = &[
    coal!("raw-coal", "Raw coal", "原煤", Kg, 20_908, (7143, 4)),
    coal!("coke", "Coke", "焦炭", Kg, 28_435, (9714, 4)),
    coal!("crude-oil", "Crude oil", "原油", Kg, 41_816, (14286, 4)),
    coal!("fuel-oil", "Fuel oil", "燃料油", Kg, 41_816, (14286, 4)),
    coal!("gasoline", "Gasoline", "汽油", Kg, 43_070, (14714, 4)),
    coal!("kerosene", "Kerosene", "煤油", Kg, 43_070, (14714, 4)),
    coal!("diesel", "Diesel", "柴油", Kg, 42_652, (14571, 4)),
    coal!(
        "lpg",
        "Liquefied petroleum gas",
        "液化石油气",
        Kg,
        50_179,
        (17143, 4)
    ),
    coal!(
        "refinery-gas",
        "Refinery gas",
        "炼厂干气",
        Kg,
        46_055,
        (15714, 4)
    ),
    coal!(
        "natural-gas-oilfield",
        "Natural gas (oil field)",
        "油田天然气",
        M3,
        38_931,
        (13300, 4)
    ),
    coal!(
        "natural-gas-gasfield",
        "Natural gas (gas field)",
        "气田天然气",
        M3,
        35_544,
        (12143, 4)
    ),
];

/// Electricity at its equivalent value (当量值): 3 600 kJ and 0.1229 kgce per kWh. One secondary
/// source for the 2008 table (0.1229 = 860 kcal ÷ 7 000 kcal/kgce): `confirmed: false`.
pub const ELECTRICITY_EQUIVALENT: StandardCoal = StandardCoal {
    id: "electricity-equivalent",
    en: "Electricity (equivalent value)",
    zh: "电力（当量值）",
    unit: Unit::KWh,
    kj: 3_600,
    kgce_parts: (1229, 4),
    dataset: "gb2589-2008-annexA",
    citation: "GB/T 2589-2008 Annex A, electricity equivalent value 0.1229 kgce/kWh (nimonik.com.cn FAQ, one secondary source) — research notes §4",
    confirmed: false,
};

/// The tabulated coefficients for a fuel of the library (`diesel`, `natural-gas` …). Natural gas
/// has two rows (oil-field and gas-field gas): [`standard_coal_default`] says which one Lingtan
/// takes.
pub fn standard_coal_for_fuel(fuel: &str) -> Vec<&'static StandardCoal> {
    let ids: &[&str] = match fuel {
        "natural-gas" => &["natural-gas-oilfield", "natural-gas-gasfield"],
        "raw-coal" => &["raw-coal"],
        "coke" => &["coke"],
        "fuel-oil" => &["fuel-oil"],
        "gasoline" => &["gasoline"],
        "kerosene" => &["kerosene"],
        "diesel" => &["diesel"],
        "lpg" => &["lpg"],
        _ => &[],
    };
    GB2589_2008_ANNEX_A
        .iter()
        .filter(|c| ids.contains(&c.id))
        .collect()
}

/// The coefficient Lingtan takes for a fuel of the library, and why when the table offers more
/// than one: natural gas is converted at the gas-field row (1.2143 kgce/m³, 35 544 kJ/m³), the
/// gas China's pipelines mostly carry, disclosed with the oil-field row (1.3300 kgce/m³) as the
/// alternative ([`ENERGY_COEFFICIENT_CHOSEN`]). `None` for a fuel the table does not list.
pub fn standard_coal_default(fuel: &str) -> Option<Coefficient> {
    let rows = standard_coal_for_fuel(fuel);
    match rows.as_slice() {
        [one] => Some(Coefficient::from(*one)),
        _ if fuel == "natural-gas" => {
            let gas_field = rows.iter().find(|c| c.id == "natural-gas-gasfield")?;
            let oil_field = rows.iter().find(|c| c.id == "natural-gas-oilfield")?;
            let mut c = Coefficient::from(*gas_field);
            c.chosen = Some((
                format!("natural gas is converted at the gas-field row of GB/T 2589-2008 Annex A ({} kgce and {} kJ per m³); the table's oil-field row is {} kgce and {} kJ per m³, and the 2020 edition is reported to give a range of 1.1000–1.3300 kgce/m³ (not confirmed): if the gas supplied is oil-field gas, or its measured calorific value is known, the total energy and the renewable share change", gas_field.kgce(), gas_field.kj, oil_field.kgce(), oil_field.kj),
                format!("天然气按 GB/T 2589-2008 附录 A 气田天然气一行折算（每立方米 {} kgce、{} kJ）；油田天然气为每立方米 {} kgce、{} kJ，2020 版据称给出 1.1000–1.3300 kgce/m³ 的范围（未经确认）：如供气为油田天然气或已知实测热值，能源消费总量和可再生能源占比会随之变化", gas_field.kgce(), gas_field.kj, oil_field.kgce(), oil_field.kj),
            ));
            Some(c)
        }
        _ => None,
    }
}

/// A standard-coal coefficient as used: from the table or entered with its own citation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Coefficient {
    pub id: String,
    pub unit: Unit,
    pub kgce: Decimal,
    pub kj: Decimal,
    /// The dataset's tag, e.g. `gb2589-2008-annexA`.
    pub dataset: String,
    pub citation: String,
    pub confirmed: bool,
    /// Why this row of several (English, Chinese), disclosed with the figure.
    pub chosen: Option<(String, String)>,
}

impl From<&StandardCoal> for Coefficient {
    fn from(c: &StandardCoal) -> Coefficient {
        Coefficient {
            id: c.id.to_string(),
            unit: c.unit,
            kgce: c.kgce(),
            kj: c.kj(),
            dataset: c.dataset.to_string(),
            citation: c.citation.to_string(),
            confirmed: c.confirmed,
            chosen: None,
        }
    }
}

/// The density that turns a volume of a liquid fuel into the mass GB/T 2589 tabulates it by.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Density {
    /// The fuel property's id (`CN-DENSITY-DIESEL` …).
    pub id: String,
    pub kg_per_l: Decimal,
    pub citation: String,
    pub verified: bool,
    /// A default (the library's or Lingtan's), not one recorded for the project by its user.
    pub default: bool,
}

/// Lingtan's fallback density when a project holds none for the fuel: the values the factor
/// library ships (`CN-DENSITY-DIESEL` 0.84, `CN-DENSITY-GASOLINE` 0.74 kg/L; typical values
/// inside the GB 19147 / GB 17930 limits, not published defaults).
pub fn default_density(fuel: &str) -> Option<Density> {
    let (id, value, standard) = match fuel {
        "diesel" => (
            "CN-DENSITY-DIESEL",
            Decimal::new(84, 2),
            "GB 19147 《车用柴油》",
        ),
        "gasoline" => (
            "CN-DENSITY-GASOLINE",
            Decimal::new(74, 2),
            "GB 17930 《车用汽油》",
        ),
        _ => return None,
    };
    Some(Density {
        id: id.to_string(),
        kg_per_l: value,
        citation: format!("typical density at 20 °C within the limits of {standard}, not a published default (Lingtan's fallback; assets/factors/README.md)"),
        verified: false,
        default: true,
    })
}

/// On-site renewable generation of one source in the year and the part used on site.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OnsiteGeneration {
    /// `site / source`.
    pub place: String,
    pub generation_kwh: Decimal,
    /// Metered export to the grid; `None` when the project has no export reading.
    pub exported_kwh: Option<Decimal>,
    /// generation − export (all of it without an export reading); `None` when the readings do
    /// not give one (export above generation, a negative reading): not counted.
    pub used_kwh: Option<Decimal>,
    /// Activity records the generation comes from.
    pub records: u64,
}

impl OnsiteGeneration {
    /// The part used on site, with the issue that says what was assumed.
    pub fn of(
        place: String,
        generation_kwh: Decimal,
        exported_kwh: Option<Decimal>,
        records: u64,
        issues: &mut Vec<Issue>,
    ) -> OnsiteGeneration {
        let used = match exported_kwh {
            Some(e) => generation_kwh
                .checked_sub(e)
                .filter(|u| *u >= Decimal::ZERO && e >= Decimal::ZERO),
            None => Some(generation_kwh).filter(|g| *g >= Decimal::ZERO),
        };
        match (used, exported_kwh) {
            (None, _) => issues.push(issue(
                &ONSITE_METER_INCONSISTENT,
                &place,
                format!("generation {generation_kwh} kWh and export {} kWh do not give the kWh used on site (export above generation, or a negative reading): not counted in the shares; check the meter records", exported_kwh.unwrap_or_default()),
                format!("发电量 {generation_kwh} kWh 与上网电量 {} kWh 无法得出自用电量（上网电量大于发电量或读数为负）：不计入占比；请核对计量记录", exported_kwh.unwrap_or_default()),
            )),
            (Some(_), None) if generation_kwh > Decimal::ZERO => issues.push(issue(
                &ONSITE_EXPORT_UNKNOWN,
                &place,
                format!("no export reading: all {} kWh generated are counted as used on site, which overstates the renewable and green-power shares if power was exported", generation_kwh.normalize()),
                format!("无上网电量读数：发电量 {} kWh 全部按自用计入，如有余电上网则高估可再生能源占比和绿电占比", generation_kwh.normalize()),
            )),
            _ => {}
        }
        OnsiteGeneration {
            place,
            generation_kwh,
            exported_kwh,
            used_kwh: used,
            records,
        }
    }
}

/// One energy carrier used in the year, other than electricity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EnergyUse {
    pub name: String,
    pub quantity: Decimal,
    pub unit: Unit,
    pub coefficient: Option<Coefficient>,
    /// Turns a volume into the mass a per-kg coefficient needs (liquid fuels bought in litres).
    pub density: Option<Density>,
}

/// A carrier as converted: its quantity in the coefficient's unit, tce and GJ.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CarrierFigure {
    pub name: String,
    pub quantity: Decimal,
    pub unit: Unit,
    /// The quantity in the coefficient's unit (kg for a liquid fuel in litres).
    pub converted: Decimal,
    pub coefficient: Coefficient,
    pub density: Option<Density>,
    pub tce: Decimal,
    pub gj: Decimal,
}

/// The energy used in the claim year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Energy {
    /// Fuels and other carriers (not electricity).
    pub carriers: Vec<EnergyUse>,
    /// Electricity taken from the grid.
    pub grid_kwh: Decimal,
    /// On-site renewable generation used by the organisation (self-consumed PV …): the sum of
    /// `onsite`'s `used_kwh`.
    pub onsite_renewable_kwh: Decimal,
    /// Where it comes from: each on-site generation source with its generation and export.
    pub onsite: Vec<OnsiteGeneration>,
    /// Electricity's coefficient (default [`ELECTRICITY_EQUIVALENT`]).
    pub electricity: Coefficient,
}

/// Certificate-covered kWh of a site with that site's grid (location-based) factor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GridCover {
    pub site: String,
    pub kwh: Decimal,
    pub grid_kgco2e_per_kwh: Decimal,
}

/// Which scopes the residual emissions hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Scopes {
    /// Scope 1 + market-based scope 2 (after the certificates).
    #[default]
    OneTwo,
    OneTwoThree,
}

impl Scopes {
    pub fn code(self) -> &'static str {
        match self {
            Scopes::OneTwo => "1+2",
            Scopes::OneTwoThree => "1+2+3",
        }
    }

    pub fn parse(text: &str) -> Option<Scopes> {
        match text.trim().replace(' ', "").as_str() {
            "1+2" | "12" => Some(Scopes::OneTwo),
            "1+2+3" | "123" => Some(Scopes::OneTwoThree),
            _ => None,
        }
    }
}

impl Serialize for Scopes {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

/// The inventory's totals the coverage needs, tCO2e.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Emissions {
    pub scope1: Decimal,
    pub scope2_market_before_eac: Decimal,
    pub scope2_market: Decimal,
    pub scope3: Decimal,
}

/// The credits of the year, tCO2e.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct CreditFigures {
    /// Retired for the year (not void), whatever their checks.
    pub retired_tco2e: Decimal,
    /// Of those, passing every ✗ check.
    pub counted_tco2e: Decimal,
    pub removal_tco2e: Decimal,
    pub avoidance_tco2e: Decimal,
    /// Counted, with neither avoidance nor removal stated.
    pub untyped_tco2e: Decimal,
}

/// Sum the credits retired for `year` (`assessments[i]` belongs to `credits[i]`).
pub fn credit_figures(year: i32, credits: &[Credit], assessments: &[Assessment]) -> CreditFigures {
    let mut f = CreditFigures::default();
    for (c, a) in credits.iter().zip(assessments) {
        if c.status != Status::Retired || c.for_year != Some(year) {
            continue;
        }
        let t = Decimal::from(c.serial.quantity);
        f.retired_tco2e += t;
        if a.excluded {
            continue;
        }
        f.counted_tco2e += t;
        match c.kind {
            Some(CreditType::Removal) => f.removal_tco2e += t,
            Some(CreditType::Avoidance) => f.avoidance_tco2e += t,
            None => f.untyped_tco2e += t,
        }
    }
    f
}

/// The shares (percentages 0–100, tce, GJ, tCO2e); `None` where they cannot be computed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Shares {
    pub renewable_energy_pct: Option<Decimal>,
    /// The same share on a GJ basis.
    pub renewable_energy_gj_pct: Option<Decimal>,
    pub green_power_pct: Option<Decimal>,
    pub green_power_reduction_tco2e: Option<Decimal>,
    pub credit_offset_pct: Option<Decimal>,
    pub total_energy_tce: Option<Decimal>,
    pub total_energy_gj: Option<Decimal>,
}

/// A figure's formula and the numbers that went in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Formula {
    /// The field it explains, e.g. `green_power_pct`.
    pub figure: &'static str,
    pub en: String,
    pub zh: String,
    pub inputs: BTreeMap<&'static str, Decimal>,
    pub value: Option<Decimal>,
}

/// The offset summary of a year (`lingtan offset --json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Offset {
    pub year: i32,
    pub scopes: Scopes,
    pub residual_tco2e: Decimal,
    pub scope2_market_before_eac_tco2e: Decimal,
    pub scope2_market_tco2e: Decimal,
    pub eac: EacFigures,
    pub credits: CreditFigures,
    pub coverage_pct: Option<Decimal>,
    pub shortfall_tco2e: Decimal,
    pub shares: Shares,
    pub formulas: Vec<Formula>,
    /// The carriers as converted to standard coal (empty when one cannot be).
    pub carriers: Vec<CarrierFigure>,
    pub issues: Vec<Issue>,
}

/// What [`offset`] computes from.
#[derive(Debug, Clone, Copy)]
pub struct OffsetInput<'a> {
    pub year: i32,
    pub scopes: Scopes,
    pub emissions: Emissions,
    pub eac: &'a EacFigures,
    pub credits: CreditFigures,
    pub energy: &'a Energy,
    pub green_power: &'a [GridCover],
}

fn mul_div(a: Decimal, b: Decimal, c: Decimal) -> Option<Decimal> {
    a.checked_mul(b)?.checked_div(c)
}

fn pct(part: Decimal, whole: Decimal) -> Option<Decimal> {
    if whole <= Decimal::ZERO {
        return None;
    }
    part.checked_mul(Decimal::ONE_HUNDRED)?.checked_div(whole)
}

fn issue(rule: &Rule, place: &str, en: String, zh: String) -> Issue {
    Issue::new(rule.code, rule.severity, place.to_string(), en, zh)
}

/// The quantity of a carrier in its coefficient's unit: directly, or a volume through the
/// density to a mass.
fn in_coefficient_unit(c: &EnergyUse, k: &Coefficient) -> Option<Decimal> {
    if let Ok(q) = c.unit.convert(c.quantity, k.unit) {
        return Some(q);
    }
    let density = c.density.as_ref()?;
    let litres = c.unit.convert(c.quantity, Unit::L).ok()?;
    let kg = litres.checked_mul(density.kg_per_l)?;
    Unit::Kg.convert(kg, k.unit).ok()
}

/// tce and GJ of the carriers (with each one's figures), or `None` when one cannot be
/// converted (its issue says why).
fn carriers(
    energy: &Energy,
    issues: &mut Vec<Issue>,
) -> (Option<(Decimal, Decimal)>, Vec<CarrierFigure>) {
    let mut tce = Some(Decimal::ZERO);
    let mut gj = Some(Decimal::ZERO);
    let mut ok = true;
    let mut figures = Vec::new();
    for c in &energy.carriers {
        let converted = c.coefficient.as_ref().and_then(|k| {
            let q = in_coefficient_unit(c, k)?;
            Some((
                q,
                mul_div(q, k.kgce, Decimal::ONE_THOUSAND)?,
                mul_div(q, k.kj, Decimal::from(1_000_000))?,
                k,
            ))
        });
        match converted {
            Some((q, t, g, k)) => {
                tce = tce.and_then(|sum| sum.checked_add(t));
                gj = gj.and_then(|sum| sum.checked_add(g));
                if !k.confirmed {
                    issues.push(issue(
                        &ENERGY_COEFFICIENT_UNCONFIRMED,
                        &c.name,
                        format!("converted at {} kgce and {} kJ per {} ({}), not confirmed against the standard's text", k.kgce, k.kj, k.unit, k.citation),
                        format!("按每 {} {} kgce、{} kJ 折算（{}），该系数未与标准原文核对", k.unit, k.kgce, k.kj, k.citation),
                    ));
                }
                if let Some((en, zh)) = &k.chosen {
                    issues.push(issue(
                        &ENERGY_COEFFICIENT_CHOSEN,
                        &c.name,
                        en.clone(),
                        zh.clone(),
                    ));
                }
                let through_density = c.unit.convert(c.quantity, k.unit).is_err();
                if let Some(d) = c.density.as_ref().filter(|d| through_density && d.default) {
                    issues.push(issue(
                        &ENERGY_DENSITY_ASSUMED,
                        &c.name,
                        format!("{} {} turned into {} kg at the default density {} kg/L ({}: {}; {}), not one recorded for the project; record the supplier's density as the fuel's own property to replace it", c.quantity.normalize(), c.unit, q.normalize(), d.kg_per_l, d.id, d.citation, if d.verified { "verified" } else { "not verified" }),
                        format!("{} {} 按默认密度 {} kg/L 换算为 {} kg（{}：{}；{}），并非项目登记的密度；请将供应商提供的密度登记为该燃料的属性以替换", c.quantity.normalize(), c.unit, d.kg_per_l, q.normalize(), d.id, d.citation, if d.verified { "已核实" } else { "未核实" }),
                    ));
                }
                figures.push(CarrierFigure {
                    name: c.name.clone(),
                    quantity: c.quantity,
                    unit: c.unit,
                    converted: q,
                    coefficient: k.clone(),
                    density: if through_density {
                        c.density.clone()
                    } else {
                        None
                    },
                    tce: t,
                    gj: g,
                });
            }
            None => {
                ok = false;
                let (en, zh) = match &c.coefficient {
                    None => (
                        "no standard-coal coefficient; choose a tabulated one (GB/T 2589) or enter the measured one with its source".to_string(),
                        "无折标准煤系数；请选用 GB/T 2589 表列系数或填写实测系数及其来源".to_string(),
                    ),
                    Some(k) if c.density.is_none() && c.unit.convert(Decimal::ONE, Unit::L).is_ok() => (
                        format!("{} {} cannot be converted with a coefficient per {}: the project has no density for this fuel; record one as the fuel's property", c.quantity, c.unit, k.unit),
                        format!("{} {} 无法用每 {} 的系数折算：项目中没有该燃料的密度；请登记为燃料属性", c.quantity, c.unit, k.unit),
                    ),
                    Some(k) => (
                        format!("{} {} cannot be converted with a coefficient per {}", c.quantity, c.unit, k.unit),
                        format!("{} {} 无法用每 {} 的系数折算", c.quantity, c.unit, k.unit),
                    ),
                };
                issues.push(issue(&ENERGY_COEFFICIENT_MISSING, &c.name, en, zh));
            }
        }
    }
    if ok {
        let totals = tce.zip(gj);
        (
            totals,
            if totals.is_some() {
                figures
            } else {
                Vec::new()
            },
        )
    } else {
        (None, Vec::new())
    }
}

/// The offset summary of the year.
pub fn offset(input: &OffsetInput) -> Offset {
    let e = input.emissions;
    let mut issues = Vec::new();
    let mut formulas = Vec::new();
    let place = format!("{}", input.year);

    // residual, coverage, shortfall
    let residual = match input.scopes {
        Scopes::OneTwo => e.scope1 + e.scope2_market,
        Scopes::OneTwoThree => e.scope1 + e.scope2_market + e.scope3,
    };
    let counted = input.credits.counted_tco2e;
    let (scopes_en, scopes_zh) = match input.scopes {
        Scopes::OneTwo => (
            "scope 1 + market-based scope 2 after certificates",
            "范围一 + 扣除绿证后的基于市场的范围二",
        ),
        Scopes::OneTwoThree => (
            "scope 1 + market-based scope 2 after certificates + scope 3",
            "范围一 + 扣除绿证后的基于市场的范围二 + 范围三",
        ),
    };
    let mut inputs = BTreeMap::from([
        ("scope1_tco2e", e.scope1),
        ("scope2_market_tco2e", e.scope2_market),
    ]);
    if input.scopes == Scopes::OneTwoThree {
        inputs.insert("scope3_tco2e", e.scope3);
    }
    formulas.push(Formula {
        figure: "residual_tco2e",
        en: format!("residual emissions = {scopes_en}"),
        zh: format!("剩余排放 = {scopes_zh}"),
        inputs,
        value: Some(residual),
    });
    let coverage_pct = pct(counted.min(residual), residual);
    let credit_offset_pct = pct(counted, residual);
    let shortfall = (residual - counted).max(Decimal::ZERO);
    formulas.push(Formula {
        figure: "coverage_pct",
        en: "coverage % = min(credits counted, residual emissions) ÷ residual emissions × 100; credits counted = credits retired for the year that pass every ✗ check".into(),
        zh: "抵消覆盖率 = min(计入的碳信用, 剩余排放) ÷ 剩余排放 × 100；计入的碳信用 = 为该年注销且通过全部 ✗ 检查的碳信用".into(),
        inputs: BTreeMap::from([("counted_tco2e", counted), ("residual_tco2e", residual)]),
        value: coverage_pct,
    });
    formulas.push(Formula {
        figure: "shortfall_tco2e",
        en: "shortfall = residual emissions − credits counted, not below 0".into(),
        zh: "缺口 = 剩余排放 − 计入的碳信用（不低于 0）".into(),
        inputs: BTreeMap::from([("counted_tco2e", counted), ("residual_tco2e", residual)]),
        value: Some(shortfall),
    });
    formulas.push(Formula {
        figure: "credit_offset_pct",
        en: "credit offset ratio = credits counted ÷ residual emissions × 100 (may exceed 100 %)"
            .into(),
        zh: "碳信用抵消比例 = 计入的碳信用 ÷ 剩余排放 × 100（可超过 100%）".into(),
        inputs: BTreeMap::from([("counted_tco2e", counted), ("residual_tco2e", residual)]),
        value: credit_offset_pct,
    });
    if residual <= Decimal::ZERO {
        issues.push(issue(
            &COVERAGE_NO_RESIDUAL,
            &place,
            format!("residual emissions ({scopes_en}) are {residual} tCO2e: coverage and the credit offset ratio are not computed"),
            format!("剩余排放（{scopes_zh}）为 {residual} tCO2e：不计算抵消覆盖率和碳信用抵消比例"),
        ));
    } else if shortfall > Decimal::ZERO {
        // shown to 3 decimals (the figures keep every digit)
        let (shortfall, residual) = (
            shortfall.round_dp(3).normalize(),
            residual.round_dp(3).normalize(),
        );
        issues.push(issue(
            &COVERAGE_SHORTFALL,
            &place,
            format!("credits counted ({counted} t) leave {shortfall} tCO2e of the {residual} tCO2e residual uncovered"),
            format!("计入的碳信用（{counted} 吨）未能覆盖剩余排放 {residual} tCO2e 中的 {shortfall} tCO2e"),
        ));
    }
    let cf = input.credits;
    let left_out = cf.retired_tco2e - cf.counted_tco2e;
    if left_out > Decimal::ZERO {
        issues.push(issue(
            &COVERAGE_CREDITS_EXCLUDED,
            &place,
            format!("{left_out} t of the {} t retired for {} fail a ✗ check and are not counted (see each credit's checks)", cf.retired_tco2e, input.year),
            format!("为 {} 年注销的 {} 吨中，有 {left_out} 吨未通过 ✗ 检查而不计入（见各信用的检查结果）", input.year, cf.retired_tco2e),
        ));
    }
    if counted > Decimal::ZERO {
        issues.push(issue(
            &COVERAGE_CREDIT_SPLIT,
            &place,
            format!(
                "credits counted: {} t avoidance, {} t removal, {} t not stated",
                cf.avoidance_tco2e, cf.removal_tco2e, cf.untyped_tco2e
            ),
            format!(
                "计入的碳信用：避免排放 {} 吨，清除 {} 吨，未注明 {} 吨",
                cf.avoidance_tco2e, cf.removal_tco2e, cf.untyped_tco2e
            ),
        ));
    }

    // energy shares
    let energy = input.energy;
    let covered = input.eac.kwh_covered;
    let onsite = energy.onsite_renewable_kwh;
    // checked: a figure written outside Lingtan could hold anything; a share is then None
    let electricity = energy.grid_kwh.checked_add(onsite);
    let consistent = covered <= energy.grid_kwh;
    if !consistent {
        issues.push(issue(
            &COVERAGE_INPUT_INCONSISTENT,
            &place,
            format!("certificates cover {covered} kWh but only {} kWh came from the grid: the green-power shares are not computed", energy.grid_kwh),
            format!("证书覆盖 {covered} 千瓦时，但外购电量仅 {} 千瓦时：不计算绿电占比", energy.grid_kwh),
        ));
    }
    let green = covered.checked_add(onsite);
    let green_power_pct = match (consistent, green, electricity) {
        (true, Some(g), Some(e)) => pct(g, e),
        _ => None,
    };
    formulas.push(Formula {
        figure: "green_power_pct",
        en: "green-power share of electricity = (certificate-covered kWh + on-site renewable kWh used) ÷ (grid kWh + on-site renewable kWh used) × 100".into(),
        zh: "绿电占用电量比例 = (证书覆盖电量 + 自发自用可再生电量) ÷ (外购电量 + 自发自用可再生电量) × 100".into(),
        inputs: BTreeMap::from([
            ("kwh_covered", covered),
            ("onsite_renewable_kwh", onsite),
            ("grid_kwh", energy.grid_kwh),
        ]),
        value: green_power_pct,
    });
    let el = &energy.electricity;
    if !el.confirmed {
        issues.push(issue(
            &ENERGY_COEFFICIENT_UNCONFIRMED,
            &place,
            format!("electricity is converted at {} kgce/kWh ({}), not confirmed against the standard's text", el.kgce, el.citation),
            format!("电力按 {} kgce/千瓦时折算（{}），该系数未与标准原文核对", el.kgce, el.citation),
        ));
    }
    let thousand = Decimal::ONE_THOUSAND;
    let million = Decimal::from(1_000_000);
    let el_tce = electricity.and_then(|e| mul_div(e, el.kgce, thousand));
    let el_gj = electricity.and_then(|e| mul_div(e, el.kj, million));
    let green_tce = green.and_then(|g| mul_div(g, el.kgce, thousand));
    let green_gj = green.and_then(|g| mul_div(g, el.kj, million));
    let (carrier_totals, carrier_figures) = carriers(energy, &mut issues);
    let total_tce = carrier_totals.and_then(|(t, _)| t.checked_add(el_tce?));
    let total_gj = carrier_totals.and_then(|(_, g)| g.checked_add(el_gj?));
    let renewable_pct = match (consistent, green_tce, total_tce) {
        (true, Some(g), Some(t)) => pct(g, t),
        _ => None,
    };
    let renewable_gj_pct = match (consistent, green_gj, total_gj) {
        (true, Some(g), Some(t)) => pct(g, t),
        _ => None,
    };
    formulas.push(Formula {
        figure: "renewable_energy_pct",
        en: format!("renewable share of total energy = (on-site renewable kWh used + certificate-covered kWh) × {} kgce/kWh ÷ total final energy in kgce × 100; total final energy = Σ carriers × tabulated coefficient (GB/T 2589) + all electricity used × {} kgce/kWh", el.kgce, el.kgce),
        zh: format!("可再生能源占能源消费总量比例 = (自发自用可再生电量 + 证书覆盖电量) × {} kgce/千瓦时 ÷ 能源消费总量（kgce）× 100；能源消费总量 = Σ 各能源 × 折标准煤系数（GB/T 2589）+ 全部用电量 × {} kgce/千瓦时", el.kgce, el.kgce),
        inputs: BTreeMap::from([
            ("renewable_tce", green_tce.unwrap_or_default()),
            ("electricity_tce", el_tce.unwrap_or_default()),
            ("total_energy_tce", total_tce.unwrap_or_default()),
        ]),
        value: renewable_pct,
    });
    formulas.push(Formula {
        figure: "renewable_energy_gj_pct",
        en: format!("renewable share of total energy in GJ = (on-site renewable kWh used + certificate-covered kWh) × {} kJ/kWh ÷ total final energy in GJ × 100 (carriers at their tabulated NCV)", el.kj),
        zh: format!("可再生能源占比（按 GJ）= (自发自用可再生电量 + 证书覆盖电量) × {} kJ/千瓦时 ÷ 能源消费总量（GJ）× 100（各能源按表列低位发热量）", el.kj),
        inputs: BTreeMap::from([
            ("renewable_gj", green_gj.unwrap_or_default()),
            ("electricity_gj", el_gj.unwrap_or_default()),
            ("total_energy_gj", total_gj.unwrap_or_default()),
        ]),
        value: renewable_gj_pct,
    });
    let reduction = input.green_power.iter().try_fold(Decimal::ZERO, |sum, g| {
        sum.checked_add(mul_div(g.kwh, g.grid_kgco2e_per_kwh, thousand)?)
    });
    let reduction_inputs = BTreeMap::from([
        ("kwh_covered", covered),
        ("reduction_tco2e", reduction.unwrap_or_default()),
    ]);
    formulas.push(Formula {
        figure: "green_power_reduction_tco2e",
        en: "emission reduction by green power = Σ over sites (certificate-covered kWh × the site's location-based grid factor in kgCO2e/kWh) ÷ 1000; already in the market-based scope 2, not an offset".into(),
        zh: "绿电减排量 = Σ 各场所（证书覆盖电量 × 该场所基于位置的电网排放因子 kgCO2e/千瓦时）÷ 1000；已体现在基于市场的范围二中，不作为抵消".into(),
        inputs: reduction_inputs,
        value: reduction,
    });
    if reduction.is_none() || electricity.is_none() || green.is_none() {
        issues.push(issue(
            &COVERAGE_INPUT_INCONSISTENT,
            &place,
            "an energy or certificate figure is too large to compute with (beyond 10^28): the shares it enters are not computed; correct the record".into(),
            "某能源或证书数据过大（超过 10^28），无法计算：相关占比不予计算；请更正记录".into(),
        ));
    }
    if let Some(reduction) = reduction.filter(|r| *r > Decimal::ZERO) {
        // shown to 3 decimals (the figure keeps every digit)
        let reduction = reduction.round_dp(3).normalize();
        issues.push(issue(
            &COVERAGE_GREEN_POWER_NOT_OFFSET,
            &place,
            format!("the {reduction} tCO2e reduced by green power are in the market-based scope 2 and are not counted again as an offset"),
            format!("绿电减排的 {reduction} tCO2e 已体现在基于市场的范围二中，不再作为抵消计入"),
        ));
    }

    Offset {
        year: input.year,
        scopes: input.scopes,
        residual_tco2e: residual,
        scope2_market_before_eac_tco2e: e.scope2_market_before_eac,
        scope2_market_tco2e: e.scope2_market,
        eac: input.eac.clone(),
        credits: input.credits,
        coverage_pct,
        shortfall_tco2e: shortfall,
        shares: Shares {
            renewable_energy_pct: renewable_pct,
            renewable_energy_gj_pct: renewable_gj_pct,
            green_power_pct,
            green_power_reduction_tco2e: reduction,
            credit_offset_pct,
            total_energy_tce: total_tce,
            total_energy_gj: total_gj,
        },
        formulas,
        carriers: carrier_figures,
        issues,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn the_table_is_the_printed_one_not_kj_over_29307() {
        let diesel = standard_coal_for_fuel("diesel")[0];
        assert_eq!(diesel.kgce(), d("1.4571"), "tabulated");
        let derived = diesel.kj() / Decimal::from(29_307);
        assert_ne!(
            diesel.kgce(),
            derived.round_dp(4),
            "kJ ÷ 29 307 gives 1.4553: the table must not be recomputed"
        );
        assert_eq!(
            standard_coal_for_fuel("natural-gas").len(),
            2,
            "natural gas has two rows and no default"
        );
        let electricity: Coefficient = (&ELECTRICITY_EQUIVALENT).into();
        assert!(
            !electricity.confirmed,
            "0.1229 kgce/kWh has one secondary source: it ships unconfirmed"
        );
    }

    #[test]
    fn more_credits_than_residual_cover_100_pct_the_ratio_says_how_much_more() {
        let energy = Energy {
            carriers: Vec::new(),
            grid_kwh: d("1000"),
            onsite_renewable_kwh: Decimal::ZERO,
            onsite: Vec::new(),
            electricity: (&ELECTRICITY_EQUIVALENT).into(),
        };
        let eac = EacFigures::default();
        let credits = CreditFigures {
            retired_tco2e: d("150"),
            counted_tco2e: d("150"),
            avoidance_tco2e: d("150"),
            ..Default::default()
        };
        let o = offset(&OffsetInput {
            year: 2025,
            scopes: Scopes::OneTwoThree,
            emissions: Emissions {
                scope1: d("40"),
                scope2_market: d("50"),
                scope3: d("10"),
                ..Default::default()
            },
            eac: &eac,
            credits,
            energy: &energy,
            green_power: &[],
        });
        assert_eq!(
            o.residual_tco2e,
            d("100"),
            "more credits than residual cover 100 pct the ratio says how much more: 1+2+3"
        );
        assert_eq!(o.coverage_pct, Some(d("100")), "coverage stops at 100 %");
        assert_eq!(
            o.shares.credit_offset_pct,
            Some(d("150")),
            "the ratio does not"
        );
        assert_eq!(
            o.shortfall_tco2e,
            Decimal::ZERO,
            "more credits than residual cover 100 pct the ratio says how much more"
        );
        assert!(
            !o.issues.iter().any(|i| i.code == "COVERAGE_SHORTFALL"),
            "more credits than residual cover 100 pct the ratio says how much more"
        );
    }

    #[test]
    fn absurd_energy_figures_leave_the_shares_unset_not_a_panic() {
        let energy = Energy {
            carriers: vec![EnergyUse {
                name: "Diesel".into(),
                quantity: Decimal::MAX,
                unit: Unit::T,
                coefficient: Some((standard_coal_for_fuel("diesel")[0]).into()),
                density: None,
            }],
            grid_kwh: Decimal::MAX,
            onsite_renewable_kwh: Decimal::ONE,
            onsite: Vec::new(),
            electricity: (&ELECTRICITY_EQUIVALENT).into(),
        };
        let eac = EacFigures::default();
        let green = [GridCover {
            site: "A".into(),
            kwh: Decimal::MAX,
            grid_kgco2e_per_kwh: Decimal::MAX,
        }];
        let o = offset(&OffsetInput {
            year: 2025,
            scopes: Scopes::OneTwo,
            emissions: Emissions::default(),
            eac: &eac,
            credits: CreditFigures::default(),
            energy: &energy,
            green_power: &green,
        });
        assert_eq!(
            o.shares.total_energy_tce, None,
            "absurd energy figures leave the shares unset not a panic"
        );
        assert_eq!(
            o.shares.green_power_pct, None,
            "absurd energy figures leave the shares unset not a panic"
        );
        assert_eq!(
            o.shares.green_power_reduction_tco2e, None,
            "absurd energy figures leave the shares unset not a panic"
        );
        assert!(
            o.issues
                .iter()
                .any(|i| i.code == "COVERAGE_INPUT_INCONSISTENT"),
            "absurd energy figures leave the shares unset not a panic"
        );
    }

    #[test]
    fn a_fuel_without_a_coefficient_leaves_the_energy_shares_unset() {
        let energy = Energy {
            carriers: vec![EnergyUse {
                name: "Natural gas - oven".into(),
                quantity: d("1000"),
                unit: Unit::M3,
                coefficient: None,
                density: None,
            }],
            grid_kwh: d("100000"),
            onsite_renewable_kwh: Decimal::ZERO,
            onsite: Vec::new(),
            electricity: (&ELECTRICITY_EQUIVALENT).into(),
        };
        let eac = EacFigures::default();
        let o = offset(&OffsetInput {
            year: 2025,
            scopes: Scopes::OneTwo,
            emissions: Emissions {
                scope1: d("10"),
                scope2_market: d("50"),
                ..Default::default()
            },
            eac: &eac,
            credits: CreditFigures::default(),
            energy: &energy,
            green_power: &[],
        });
        assert_eq!(o.shares.renewable_energy_pct, None, "never a guess");
        assert_eq!(
            o.shares.total_energy_tce, None,
            "a fuel without a coefficient leaves the energy shares unset"
        );
        assert!(
            o.issues
                .iter()
                .any(|i| i.code == "ENERGY_COEFFICIENT_MISSING"),
            "a fuel without a coefficient leaves the energy shares unset"
        );
        assert_eq!(
            o.shares.green_power_pct,
            Some(Decimal::ZERO),
            "electricity alone is known"
        );
        assert_eq!(
            o.shortfall_tco2e,
            d("60"),
            "a fuel without a coefficient leaves the energy shares unset"
        );
        assert_eq!(
            o.coverage_pct,
            Some(Decimal::ZERO),
            "a fuel without a coefficient leaves the energy shares unset"
        );
    }
}
