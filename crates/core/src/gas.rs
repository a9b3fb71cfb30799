//! Greenhouse gases, their 100-year global warming potentials (IPCC AR4, AR5, AR6) and
//! refrigerant blends.
//!
//! GWPs are published constants, so they live here as code with their citations rather than in
//! the project file. A blend's GWP is never typed in: it is the mass-weighted sum of its
//! components, computed by [`Blend::gwp`], and a blend's emissions are reported per component gas.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The IPCC assessment whose 100-year GWPs convert gases to CO2e.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum GwpSet {
    AR4,
    AR5,
    AR6,
}

impl GwpSet {
    pub fn parse(text: &str) -> Option<GwpSet> {
        match text.trim().to_ascii_uppercase().as_str() {
            "AR4" => Some(GwpSet::AR4),
            "AR5" => Some(GwpSet::AR5),
            "AR6" => Some(GwpSet::AR6),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            GwpSet::AR4 => "AR4",
            GwpSet::AR5 => "AR5",
            GwpSet::AR6 => "AR6",
        }
    }

    /// Where this set's values come from, for the methodology section of a report.
    pub fn citation(self) -> &'static str {
        match self {
            GwpSet::AR4 => "IPCC AR4 (2007), WG1 Chapter 2, Table 2.14, 100-year GWP",
            GwpSet::AR5 => "IPCC AR5 (2013), WG1 Chapter 8, Appendix 8.A, Table 8.A.1, 100-year GWP (without climate-carbon feedbacks)",
            GwpSet::AR6 => "IPCC AR6 (2021), WG1 Chapter 7, Table 7.15 and Table 7.SM.7, 100-year GWP",
        }
    }

    fn index(self) -> usize {
        match self {
            GwpSet::AR4 => 0,
            GwpSet::AR5 => 1,
            GwpSet::AR6 => 2,
        }
    }
}

impl fmt::Display for GwpSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// How a gas is reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Basket {
    /// The seven gases of ISO 14064-1 / GB/T 32150: counted in the totals.
    Kyoto,
    /// Montreal-Protocol gases such as HCFC-22: reported apart, not in the totals.
    NonKyoto,
    /// CO2 from biomass: reported apart, not in the totals.
    Biogenic,
}

/// A greenhouse gas the calculation knows. Ids are stable and used in factor files and JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Gas(u8);

struct GasInfo {
    id: &'static str,
    basket: Basket,
    /// AR4, AR5, AR6 100-year GWPs as (mantissa, scale).
    gwp: [(i64, u32); 3],
}

/// The gas table, checked against reproductions of the IPCC tables (see [`Gas::gwp_caveat`] for
/// the two values still open). AR5 "CH4-fossil" (30) includes the CO2 from the methane's
/// oxidation; AR4 has no fossil / non-fossil split. AR6 HFC-134a is 1,530 as in Table 7.SM.7.
const GASES: &[GasInfo] = &[
    GasInfo {
        id: "CO2",
        basket: Basket::Kyoto,
        gwp: [(1, 0), (1, 0), (1, 0)],
    },
    GasInfo {
        id: "CH4-fossil",
        basket: Basket::Kyoto,
        gwp: [(25, 0), (30, 0), (298, 1)],
    },
    GasInfo {
        id: "CH4-nonfossil",
        basket: Basket::Kyoto,
        gwp: [(25, 0), (28, 0), (270, 1)],
    },
    GasInfo {
        id: "N2O",
        basket: Basket::Kyoto,
        gwp: [(298, 0), (265, 0), (273, 0)],
    },
    GasInfo {
        id: "SF6",
        basket: Basket::Kyoto,
        gwp: [(22_800, 0), (23_500, 0), (25_200, 0)],
    },
    GasInfo {
        id: "NF3",
        basket: Basket::Kyoto,
        gwp: [(17_200, 0), (16_100, 0), (17_400, 0)],
    },
    GasInfo {
        id: "HFC-23",
        basket: Basket::Kyoto,
        gwp: [(14_800, 0), (12_400, 0), (14_600, 0)],
    },
    GasInfo {
        id: "HFC-32",
        basket: Basket::Kyoto,
        gwp: [(675, 0), (677, 0), (771, 0)],
    },
    GasInfo {
        id: "HFC-125",
        basket: Basket::Kyoto,
        gwp: [(3_500, 0), (3_170, 0), (3_740, 0)],
    },
    GasInfo {
        id: "HFC-134a",
        basket: Basket::Kyoto,
        gwp: [(1_430, 0), (1_300, 0), (1_530, 0)],
    },
    GasInfo {
        id: "HFC-143a",
        basket: Basket::Kyoto,
        gwp: [(4_470, 0), (4_800, 0), (5_810, 0)],
    },
    GasInfo {
        id: "HFC-152a",
        basket: Basket::Kyoto,
        gwp: [(124, 0), (138, 0), (164, 0)],
    },
    GasInfo {
        id: "HFC-227ea",
        basket: Basket::Kyoto,
        gwp: [(3_220, 0), (3_350, 0), (3_600, 0)],
    },
    GasInfo {
        id: "CF4",
        basket: Basket::Kyoto,
        gwp: [(7_390, 0), (6_630, 0), (7_380, 0)],
    },
    GasInfo {
        id: "C2F6",
        basket: Basket::Kyoto,
        gwp: [(12_200, 0), (11_100, 0), (12_400, 0)],
    },
    GasInfo {
        id: "HCFC-22",
        basket: Basket::NonKyoto,
        gwp: [(1_810, 0), (1_760, 0), (1_960, 0)],
    },
    GasInfo {
        id: "CO2-biogenic",
        basket: Basket::Biogenic,
        gwp: [(1, 0), (1, 0), (1, 0)],
    },
];

/// Other names users and publishers write for the same gas.
const ALIASES: &[(&str, &str)] = &[
    ("CH4", "CH4-fossil"),
    ("CH4-FOSSIL", "CH4-fossil"),
    ("CH4-NON-FOSSIL", "CH4-nonfossil"),
    ("CH4-NONFOSSIL", "CH4-nonfossil"),
    ("CH4-BIOGENIC", "CH4-nonfossil"),
    ("R-22", "HCFC-22"),
    ("R22", "HCFC-22"),
    ("R-23", "HFC-23"),
    ("R-32", "HFC-32"),
    ("R32", "HFC-32"),
    ("R-125", "HFC-125"),
    ("R-134A", "HFC-134a"),
    ("R134A", "HFC-134a"),
    ("R-143A", "HFC-143a"),
    ("R-152A", "HFC-152a"),
    ("R-227EA", "HFC-227ea"),
    ("PFC-14", "CF4"),
    ("PFC-116", "C2F6"),
    ("BIOGENIC-CO2", "CO2-biogenic"),
    ("CO2-BIO", "CO2-biogenic"),
];

impl Gas {
    pub const CO2: Gas = Gas(0);
    pub const CH4_FOSSIL: Gas = Gas(1);
    pub const CH4_NONFOSSIL: Gas = Gas(2);
    pub const N2O: Gas = Gas(3);

    /// Every gas in table order.
    pub fn all() -> impl Iterator<Item = Gas> {
        (0..GASES.len()).map(|i| Gas(i as u8))
    }

    /// Look a single gas up by id or alias (case-insensitive). Blends are not gases: see
    /// [`Blend::parse`].
    pub fn parse(text: &str) -> Option<Gas> {
        let upper = text.trim().to_ascii_uppercase();
        let id = ALIASES
            .iter()
            .find(|(alias, _)| *alias == upper)
            .map(|(_, id)| *id)
            .unwrap_or(upper.as_str());
        GASES
            .iter()
            .position(|g| g.id.eq_ignore_ascii_case(id))
            .map(|i| Gas(i as u8))
    }

    fn info(self) -> &'static GasInfo {
        &GASES[self.0 as usize]
    }

    pub fn id(self) -> &'static str {
        self.info().id
    }

    pub fn basket(self) -> Basket {
        self.info().basket
    }

    /// A caveat on this gas's GWP in this set, where the value could not be confirmed against
    /// the primary table; reports disclose it and the inventory raises a warning when it is used.
    pub fn gwp_caveat(self, set: GwpSet) -> Option<&'static str> {
        match (self.id(), set) {
            ("SF6", GwpSet::AR6) => Some("AR6 SF6 = 25,200 follows the Chapter 7 data release (Table 7.SM.7); other reproductions print 24,300. Unverified against the primary table."),
            ("CH4-fossil", GwpSet::AR5) => Some("AR5 fossil CH4 = 30 follows the note to AR5 Table 8.7 (fossil methane +2 at 100 years); seen only in reproductions."),
            _ => None,
        }
    }

    /// The gas's 100-year GWP in the given set.
    pub fn gwp(self, set: GwpSet) -> Decimal {
        let (m, s) = self.info().gwp[set.index()];
        Decimal::new(m, s)
    }
}

impl fmt::Display for Gas {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl Serialize for Gas {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.id())
    }
}

/// A refrigerant blend: mass fractions of component gases (ASHRAE 34 compositions).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Blend {
    pub id: &'static str,
    /// (component gas id, mass fraction in per cent)
    components: &'static [(&'static str, u32)],
}

const BLENDS: &[Blend] = &[
    Blend {
        id: "R-410A",
        components: &[("HFC-32", 50), ("HFC-125", 50)],
    },
    Blend {
        id: "R-404A",
        components: &[("HFC-125", 44), ("HFC-143a", 52), ("HFC-134a", 4)],
    },
    Blend {
        id: "R-407C",
        components: &[("HFC-32", 23), ("HFC-125", 25), ("HFC-134a", 52)],
    },
    Blend {
        id: "R-507A",
        components: &[("HFC-125", 50), ("HFC-143a", 50)],
    },
];

/// The ASHRAE standard the blend compositions follow.
pub const BLEND_CITATION: &str = "ANSI/ASHRAE Standard 34, refrigerant blend compositions (mass %)";

impl Blend {
    pub fn all() -> &'static [Blend] {
        BLENDS
    }

    pub fn parse(text: &str) -> Option<Blend> {
        let upper = text.trim().to_ascii_uppercase().replace(' ', "");
        let upper = if upper.starts_with('R') && !upper.starts_with("R-") {
            format!("R-{}", &upper[1..])
        } else {
            upper
        };
        BLENDS.iter().copied().find(|b| b.id == upper)
    }

    /// Components with their mass fractions (0–1), exact.
    pub fn components(self) -> impl Iterator<Item = (Gas, Decimal)> {
        self.components.iter().map(|(id, pct)| {
            let gas = Gas::parse(id).unwrap_or(Gas::CO2);
            (gas, Decimal::new(i64::from(*pct), 2))
        })
    }

    /// The blend's GWP: the mass-weighted sum of its components' GWPs.
    pub fn gwp(self, set: GwpSet) -> Decimal {
        self.components()
            .map(|(gas, fraction)| gas.gwp(set) * fraction)
            .sum()
    }
}

/// A gas or a blend, as written in a factor or typed as a source's refrigerant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Substance {
    Gas(Gas),
    Blend(Blend),
}

impl Substance {
    pub fn parse(text: &str) -> Option<Substance> {
        Blend::parse(text)
            .map(Substance::Blend)
            .or_else(|| Gas::parse(text).map(Substance::Gas))
    }

    pub fn id(self) -> &'static str {
        match self {
            Substance::Gas(g) => g.id(),
            Substance::Blend(b) => b.id,
        }
    }

    /// The mass of each gas in `mass` of this substance.
    pub fn split(self, mass: Decimal) -> Vec<(Gas, Decimal)> {
        match self {
            Substance::Gas(g) => vec![(g, mass)],
            Substance::Blend(b) => b.components().map(|(g, f)| (g, mass * f)).collect(),
        }
    }
}

/// The refrigerants and gases a fugitive source usually holds, offered first (any other
/// [`Substance`] is accepted too).
pub const COMMON_REFRIGERANTS: &[&str] = &[
    "R-410A", "R-404A", "R-407C", "R-507A", "HFC-134a", "HFC-32", "SF6",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn every_blend_component_is_a_known_gas_and_fractions_sum_to_one() {
        for blend in Blend::all() {
            for (id, _) in blend.components {
                assert!(
                    Gas::parse(id).is_some(),
                    "{} component {id} unknown",
                    blend.id
                );
            }
            let total: Decimal = blend.components().map(|(_, f)| f).sum();
            assert_eq!(total, Decimal::ONE, "{} fractions", blend.id);
        }
    }

    #[test]
    fn blend_gwps_follow_from_their_components() {
        let r410a = Blend::parse("R410A").unwrap();
        // 0.5 × 675 + 0.5 × 3500; 0.5 × 677 + 0.5 × 3170; 0.5 × 771 + 0.5 × 3740
        assert_eq!(
            r410a.gwp(GwpSet::AR4),
            d("2087.5"),
            "blend gwps follow from their components"
        );
        assert_eq!(
            r410a.gwp(GwpSet::AR5),
            d("1923.5"),
            "blend gwps follow from their components"
        );
        assert_eq!(
            r410a.gwp(GwpSet::AR6),
            d("2255.5"),
            "blend gwps follow from their components"
        );
        let r404a = Blend::parse("R-404A").unwrap();
        // 0.44 × 3500 + 0.52 × 4470 + 0.04 × 1430 = 1540 + 2324.4 + 57.2
        assert_eq!(
            r404a.gwp(GwpSet::AR4),
            d("3921.6"),
            "blend gwps follow from their components"
        );
        let r407c = Blend::parse("r-407c").unwrap();
        // 0.23 × 675 + 0.25 × 3500 + 0.52 × 1430 = 155.25 + 875 + 743.6
        assert_eq!(
            r407c.gwp(GwpSet::AR4),
            d("1773.85"),
            "blend gwps follow from their components"
        );
    }

    #[test]
    fn aliases_and_baskets() {
        assert_eq!(
            Gas::parse("ch4"),
            Some(Gas::CH4_FOSSIL),
            "aliases and baskets"
        );
        assert_eq!(
            Gas::parse("R-22").map(Gas::basket),
            Some(Basket::NonKyoto),
            "aliases and baskets"
        );
        assert_eq!(
            Gas::parse("R-134a").map(Gas::id),
            Some("HFC-134a"),
            "aliases and baskets"
        );
        assert_eq!(
            Gas::CH4_FOSSIL.gwp(GwpSet::AR6),
            d("29.8"),
            "aliases and baskets"
        );
        assert_eq!(
            Gas::CH4_NONFOSSIL.gwp(GwpSet::AR6),
            d("27.0"),
            "aliases and baskets"
        );
        assert_eq!(Gas::N2O.gwp(GwpSet::AR5), d("265"), "aliases and baskets");
        assert!(
            Gas::parse("R-410A").is_none(),
            "a blend is not a single gas"
        );
        assert!(
            matches!(Substance::parse("R-410A"), Some(Substance::Blend(_))),
            "aliases and baskets"
        );
    }
}
