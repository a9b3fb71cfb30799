//! Sites and emission sources: what a source is, its scope and its ISO 14064-1 category.

use crate::units::Unit;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::fmt;

/// GHG Protocol scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Scope {
    #[serde(rename = "1")]
    One,
    #[serde(rename = "2")]
    Two,
    #[serde(rename = "3")]
    Three,
}

impl Scope {
    pub fn number(self) -> u8 {
        match self {
            Scope::One => 1,
            Scope::Two => 2,
            Scope::Three => 3,
        }
    }
}

/// ISO 14064-1:2018 category (1 direct … 6 other).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct IsoCategory(pub u8);

impl IsoCategory {
    pub fn names(self) -> (&'static str, &'static str) {
        match self.0 {
            1 => (
                "Direct GHG emissions and removals",
                "直接温室气体排放和清除",
            ),
            2 => (
                "Indirect emissions from imported energy",
                "输入能源的间接温室气体排放",
            ),
            3 => (
                "Indirect emissions from transportation",
                "运输产生的间接温室气体排放",
            ),
            4 => (
                "Indirect emissions from products used by the organization",
                "组织使用的产品产生的间接温室气体排放",
            ),
            5 => (
                "Indirect emissions associated with the use of products from the organization",
                "与组织产品使用相关的间接温室气体排放",
            ),
            _ => (
                "Indirect emissions from other sources",
                "其他来源的间接温室气体排放",
            ),
        }
    }
}

/// The GHG Protocol's fifteen scope 3 categories (English, Chinese).
pub const SCOPE3_CATEGORIES: [(&str, &str); 15] = [
    ("Purchased goods and services", "外购商品和服务"),
    ("Capital goods", "资本货物"),
    ("Fuel- and energy-related activities", "燃料和能源相关活动"),
    ("Upstream transportation and distribution", "上游运输和配送"),
    ("Waste generated in operations", "运营中产生的废弃物"),
    ("Business travel", "商务差旅"),
    ("Employee commuting", "员工通勤"),
    ("Upstream leased assets", "上游租赁资产"),
    (
        "Downstream transportation and distribution",
        "下游运输和配送",
    ),
    ("Processing of sold products", "售出产品的加工"),
    ("Use of sold products", "售出产品的使用"),
    (
        "End-of-life treatment of sold products",
        "售出产品的报废处理",
    ),
    ("Downstream leased assets", "下游租赁资产"),
    ("Franchises", "特许经营"),
    ("Investments", "投资"),
];

/// What kind of emission source; its scope and category follow from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SourceKind {
    StationaryCombustion,
    MobileCombustion,
    Process,
    Fugitive,
    Electricity,
    Heat,
    Steam,
    Cooling,
    /// Electricity the organisation generates on site (rooftop PV): it emits nothing, and
    /// holds the kWh the plant made (imported from the inverter's export like any meter), so
    /// that a PV measure's achieved abatement is measured (the reduction step). Counted in
    /// scope 1 at zero: the plant is the organisation's own and burns nothing.
    OnsiteGeneration,
    /// GHG Protocol scope 3 category 1–15.
    Scope3(u8),
}

impl SourceKind {
    /// Every kind, for help texts and pickers.
    pub fn all() -> Vec<SourceKind> {
        let mut v = vec![
            SourceKind::StationaryCombustion,
            SourceKind::MobileCombustion,
            SourceKind::Process,
            SourceKind::Fugitive,
            SourceKind::Electricity,
            SourceKind::Heat,
            SourceKind::Steam,
            SourceKind::Cooling,
            SourceKind::OnsiteGeneration,
        ];
        v.extend((1..=15).map(SourceKind::Scope3));
        v
    }

    pub fn parse(text: &str) -> Option<SourceKind> {
        let t = text.trim().to_ascii_lowercase().replace('_', "-");
        let kind = match t.as_str() {
            "stationary-combustion" | "stationary" => SourceKind::StationaryCombustion,
            "mobile-combustion" | "mobile" => SourceKind::MobileCombustion,
            "process" => SourceKind::Process,
            "fugitive" => SourceKind::Fugitive,
            "electricity" => SourceKind::Electricity,
            "heat" => SourceKind::Heat,
            "steam" => SourceKind::Steam,
            "cooling" => SourceKind::Cooling,
            "onsite-generation" | "on-site-generation" => SourceKind::OnsiteGeneration,
            other => {
                let n: u8 = other.strip_prefix("scope3-")?.parse().ok()?;
                if !(1..=15).contains(&n) {
                    return None;
                }
                SourceKind::Scope3(n)
            }
        };
        Some(kind)
    }

    pub fn code(self) -> String {
        match self {
            SourceKind::StationaryCombustion => "stationary-combustion".into(),
            SourceKind::MobileCombustion => "mobile-combustion".into(),
            SourceKind::Process => "process".into(),
            SourceKind::Fugitive => "fugitive".into(),
            SourceKind::Electricity => "electricity".into(),
            SourceKind::Heat => "heat".into(),
            SourceKind::Steam => "steam".into(),
            SourceKind::Cooling => "cooling".into(),
            SourceKind::OnsiteGeneration => "onsite-generation".into(),
            SourceKind::Scope3(n) => format!("scope3-{n}"),
        }
    }

    /// The kind's name for people (English, Chinese); scope 3 kinds carry their GHG Protocol
    /// category's number and name.
    pub fn names(self) -> (String, String) {
        let (en, zh) = match self {
            SourceKind::StationaryCombustion => ("Stationary combustion", "固定燃烧"),
            SourceKind::MobileCombustion => ("Mobile combustion", "移动燃烧"),
            SourceKind::Process => ("Process emissions", "工艺排放"),
            SourceKind::Fugitive => ("Fugitive (refrigerants)", "逸散（制冷剂）"),
            SourceKind::Electricity => ("Purchased electricity", "外购电力"),
            SourceKind::Heat => ("Purchased heat", "外购热力"),
            SourceKind::Steam => ("Purchased steam", "外购蒸汽"),
            SourceKind::Cooling => ("Purchased cooling", "外购冷量"),
            SourceKind::OnsiteGeneration => (
                "On-site generation (PV; emits nothing)",
                "自发电（光伏等，不产生排放）",
            ),
            SourceKind::Scope3(n) => {
                let (en, zh) = SCOPE3_CATEGORIES
                    .get(usize::from(n).saturating_sub(1))
                    .copied()
                    .unwrap_or(("Other", "其他"));
                return (format!("Scope 3.{n} {en}"), format!("范围三 类别 {n} {zh}"));
            }
        };
        (en.to_string(), zh.to_string())
    }

    pub fn scope(self) -> Scope {
        match self {
            SourceKind::StationaryCombustion
            | SourceKind::MobileCombustion
            | SourceKind::Process
            | SourceKind::Fugitive
            | SourceKind::OnsiteGeneration => Scope::One,
            SourceKind::Electricity
            | SourceKind::Heat
            | SourceKind::Steam
            | SourceKind::Cooling => Scope::Two,
            SourceKind::Scope3(_) => Scope::Three,
        }
    }

    /// ISO 14064-1 category: 1 direct; 2 imported energy; 3 transport (scope 3 cats 4, 6, 7, 9);
    /// 4 products used (1, 2, 3, 5, 8); 5 use of the organisation's products (10–15).
    pub fn iso_category(self) -> IsoCategory {
        IsoCategory(match self {
            SourceKind::Scope3(4 | 6 | 7 | 9) => 3,
            SourceKind::Scope3(1 | 2 | 3 | 5 | 8) => 4,
            SourceKind::Scope3(_) => 5,
            other => other.scope().number(),
        })
    }

    /// Scope 2 kinds are computed both location- and market-based.
    pub fn is_imported_energy(self) -> bool {
        self.scope() == Scope::Two
    }
}

impl fmt::Display for SourceKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.code())
    }
}

/// Organisational boundary approach (GHG Protocol chapter 3, ISO 14064-1 5.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Boundary {
    OperationalControl,
    FinancialControl,
    EquityShare,
}

impl Boundary {
    pub fn parse(text: &str) -> Option<Boundary> {
        match text.trim().to_ascii_lowercase().replace('_', "-").as_str() {
            "operational-control" | "operational" => Some(Boundary::OperationalControl),
            "financial-control" | "financial" => Some(Boundary::FinancialControl),
            "equity-share" | "equity" => Some(Boundary::EquityShare),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Boundary::OperationalControl => "operational-control",
            Boundary::FinancialControl => "financial-control",
            Boundary::EquityShare => "equity-share",
        }
    }
}

/// China's grid regions as used by the MEE factors, with the names users type.
pub const GRID_REGIONS: &[(&str, &[&str])] = &[
    ("CN", &["china", "national", "全国", "中国"]),
    ("CN-North", &["north", "华北", "华北电网", "华北区域"]),
    (
        "CN-Northeast",
        &["northeast", "东北", "东北电网", "东北区域"],
    ),
    ("CN-East", &["east", "华东", "华东电网", "华东区域"]),
    ("CN-Central", &["central", "华中", "华中电网", "华中区域"]),
    (
        "CN-Northwest",
        &["northwest", "西北", "西北电网", "西北区域"],
    ),
    ("CN-South", &["south", "南方", "南方电网", "南方区域"]),
    (
        "CN-Southwest",
        &["southwest", "西南", "西南电网", "西南区域"],
    ),
];

/// Read a grid region: `CN-East`, `cn-east`, `East`, `华东` all give `CN-East`.
pub fn parse_grid_region(text: &str) -> Option<&'static str> {
    let t = text.trim().to_lowercase();
    GRID_REGIONS.iter().find_map(|(code, names)| {
        (code.to_lowercase() == t || names.iter().any(|n| *n == t)).then_some(*code)
    })
}

/// The fuels the factor library knows, with Chinese names users may type.
pub const FUELS: &[(&str, &str, &[&str])] = &[
    ("natural-gas", "天然气", &["natural gas", "ng", "gas"]),
    (
        "diesel",
        "柴油",
        &["gas/diesel oil", "gasoil", "diesel oil"],
    ),
    ("gasoline", "汽油", &["petrol", "motor gasoline"]),
    ("lpg", "液化石油气", &["liquefied petroleum gas", "液化气"]),
    (
        "fuel-oil",
        "燃料油",
        &["residual fuel oil", "heavy fuel oil", "重油"],
    ),
    ("anthracite", "无烟煤", &[]),
    (
        "bituminous-coal",
        "烟煤",
        &["bituminous", "other bituminous coal"],
    ),
    ("raw-coal", "原煤", &["coal"]),
    ("coke", "焦炭", &[]),
    ("kerosene", "煤油", &[]),
];

/// Read a fuel name: its id, its Chinese name or a common synonym.
pub fn parse_fuel(text: &str) -> Option<&'static str> {
    let t = text.trim().to_lowercase();
    FUELS.iter().find_map(|(id, zh, names)| {
        (*id == t || *zh == t || names.iter().any(|n| *n == t)).then_some(*id)
    })
}

/// A site (plant, building) inside the organisational boundary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Site {
    pub id: i64,
    pub name: String,
    /// Grid region code (`CN-East`), for location-based electricity.
    pub grid_region: Option<String>,
    pub address: Option<String>,
    /// Equity share in per cent, for the equity-share approach (100 when absent).
    pub equity_pct: Option<Decimal>,
}

/// An emission source at a site.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Source {
    pub id: i64,
    pub name: String,
    pub site_id: i64,
    #[serde(with = "kind_serde")]
    pub kind: SourceKind,
    /// Fuel id (`natural-gas`) or refrigerant (`R-410A`) for combustion and fugitive sources.
    pub fuel: Option<String>,
    /// The factor pinned on this source (for electricity: the location-based factor).
    pub factor_id: Option<String>,
    /// Supplier-specific or contractual factor for market-based scope 2.
    pub market_factor_id: Option<String>,
    /// The unit results are reported in for this source.
    pub unit: Option<Unit>,
    /// ± % (95 %) of the activity data.
    pub uncertainty_pct: Option<Decimal>,
}

mod kind_serde {
    use super::SourceKind;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(kind: &SourceKind, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&kind.code())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<SourceKind, D::Error> {
        let text = String::deserialize(d)?;
        SourceKind::parse(&text)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown source kind '{text}'")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scope_and_category_follow_from_kind() {
        let cases = [
            ("stationary-combustion", 1, 1),
            ("fugitive", 1, 1),
            ("electricity", 2, 2),
            ("steam", 2, 2),
            ("scope3-1", 3, 4),
            ("scope3-4", 3, 3),
            ("scope3-6", 3, 3),
            ("scope3-7", 3, 3),
            ("scope3-9", 3, 3),
            ("scope3-3", 3, 4),
            ("scope3-11", 3, 5),
            ("scope3-15", 3, 5),
            ("onsite-generation", 1, 1),
        ];
        for (code, scope, cat) in cases {
            let kind = SourceKind::parse(code).unwrap();
            assert_eq!(kind.scope().number(), scope, "{code}");
            assert_eq!(kind.iso_category().0, cat, "{code}");
            assert_eq!(kind.code(), code);
        }
        assert!(SourceKind::parse("scope3-16").is_none());
        assert!(SourceKind::parse("scope3-0").is_none());
        assert_eq!(
            SourceKind::parse("On-site generation".replace(' ', "-").as_str()),
            Some(SourceKind::OnsiteGeneration)
        );
        assert!(
            !SourceKind::OnsiteGeneration.is_imported_energy(),
            "own generation is not purchased energy: it has no market-based figure"
        );
        assert!(
            SourceKind::all().contains(&SourceKind::OnsiteGeneration),
            "pickers list it"
        );
    }

    #[test]
    fn grid_regions_in_chinese_and_english() {
        assert_eq!(parse_grid_region("华东"), Some("CN-East"));
        assert_eq!(parse_grid_region("cn-east"), Some("CN-East"));
        assert_eq!(parse_grid_region("南方电网"), Some("CN-South"));
        assert_eq!(parse_grid_region("Mars"), None);
        assert_eq!(parse_fuel("天然气"), Some("natural-gas"));
    }
}
