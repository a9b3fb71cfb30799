//! Units of activity data and their dimensions.
//!
//! Every unit belongs to one dimension and carries an exact decimal ratio to that dimension's
//! base unit. Converting within a dimension multiplies by the source ratio and divides by the
//! target ratio; the result is exact whenever it terminates in decimal (kWh → MJ, t → kg, 万千瓦时
//! → kWh) and otherwise correct to the 28 significant digits a `Decimal` holds (MJ → kWh divides
//! by 3.6). Converting across dimensions is an error here; only an explicit property of a fuel
//! (its net calorific value or density, see [`crate::factor::FuelProperty`]) can bridge them.
//!
//! `m3` and `Nm3` are one dimension at 1:1: Chinese gas bills state volumes at the supplier's
//! reference conditions and the Chinese accounting guidelines apply their per-Nm3 NCVs to them
//! directly. A user whose bills are at another reference state converts before entering them.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// What a unit measures. Quantities of different dimensions never mix silently.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Dimension {
    Energy,
    Volume,
    Mass,
    Distance,
    Freight,
    PassengerDistance,
    Money,
    /// Pieces of product: an output metric (intensity denominators), not activity.
    Count,
    /// Area (m2 of product or floor): an output metric, not activity.
    Area,
}

impl Dimension {
    /// English and Chinese names, for messages.
    pub fn names(self) -> (&'static str, &'static str) {
        match self {
            Dimension::Energy => ("energy", "能量"),
            Dimension::Volume => ("volume", "体积"),
            Dimension::Mass => ("mass", "质量"),
            Dimension::Distance => ("distance", "距离"),
            Dimension::Freight => ("freight (tonne-distance)", "货运周转量"),
            Dimension::PassengerDistance => ("passenger distance", "旅客周转量"),
            Dimension::Money => ("money (CNY)", "金额（人民币）"),
            Dimension::Count => ("count (pieces)", "数量（件）"),
            Dimension::Area => ("area", "面积"),
        }
    }
}

macro_rules! units {
    ($( $variant:ident => $code:literal, $dim:ident, ($num:expr, $scale:expr) ;)*) => {
        /// A unit of measure for activity data, factors and properties.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum Unit { $( $variant, )* }

        impl Unit {
            /// Every unit, in declaration order.
            pub const ALL: &'static [Unit] = &[ $( Unit::$variant, )* ];

            /// The canonical ASCII code used in the project file, JSON and the command line.
            pub fn code(self) -> &'static str {
                match self { $( Unit::$variant => $code, )* }
            }

            /// The unit's dimension.
            pub fn dimension(self) -> Dimension {
                match self { $( Unit::$variant => Dimension::$dim, )* }
            }

            /// How many base units (MJ, m3, kg, km, t.km, p.km, CNY, pcs, m2) one of this unit
            /// is. Exact.
            pub fn to_base(self) -> Decimal {
                match self { $( Unit::$variant => Decimal::new($num, $scale), )* }
            }
        }
    };
}

units! {
    // Energy, base MJ. 1 kWh = 3.6 MJ exactly. 1 tce (吨标准煤) = 29.307 GJ: GB/T 2589 defines
    // 1 kgce as the energy of a fuel with a net calorific value of 29 307 kJ (2008 text 6.2, kept
    // in the 2020 edition; research notes §4). 29.3076 GJ (7 000 kcal × 4.1868 kJ/kcal) is the
    // IEA/UN convention, not the standard's figure.
    KWh => "kWh", Energy, (36, 1);
    MWh => "MWh", Energy, (3600, 0);
    GWh => "GWh", Energy, (3_600_000, 0);
    TenThousandKWh => "10^4 kWh", Energy, (36_000, 0);
    MJ => "MJ", Energy, (1, 0);
    GJ => "GJ", Energy, (1_000, 0);
    TJ => "TJ", Energy, (1_000_000, 0);
    Tce => "tce", Energy, (29_307, 0);
    // Volume, base m3.
    M3 => "m3", Volume, (1, 0);
    Nm3 => "Nm3", Volume, (1, 0);
    TenThousandM3 => "10^4 m3", Volume, (10_000, 0);
    TenThousandNm3 => "10^4 Nm3", Volume, (10_000, 0);
    L => "L", Volume, (1, 3);
    KL => "kL", Volume, (1, 0);
    // Mass, base kg.
    G => "g", Mass, (1, 3);
    Kg => "kg", Mass, (1, 0);
    T => "t", Mass, (1_000, 0);
    Gg => "Gg", Mass, (1_000_000, 0);
    TenThousandT => "10^4 t", Mass, (10_000_000, 0);
    // Distance, base km.
    M => "m", Distance, (1, 3);
    Km => "km", Distance, (1, 0);
    // Freight, base tonne-kilometre.
    TKm => "t.km", Freight, (1, 0);
    // Passenger distance, base passenger-kilometre.
    PKm => "p.km", PassengerDistance, (1, 0);
    // Money, base yuan (CNY).
    Cny => "CNY", Money, (1, 0);
    TenThousandCny => "10^4 CNY", Money, (10_000, 0);
    // Output metrics of intensity targets (t of product is Mass; value added is Money).
    // Count, base piece (件).
    Pcs => "pcs", Count, (1, 0);
    TenThousandPcs => "10^4 pcs", Count, (10_000, 0);
    // Area, base m2.
    M2 => "m2", Area, (1, 0);
}

impl Unit {
    /// The unit as a person reads it (t·km, m³), for reports and messages.
    pub fn display(self) -> &'static str {
        match self {
            Unit::TKm => "t·km",
            Unit::PKm => "p·km",
            Unit::M3 => "m³",
            Unit::Nm3 => "Nm³",
            Unit::TenThousandM3 => "10⁴ m³",
            Unit::TenThousandNm3 => "10⁴ Nm³",
            Unit::TenThousandKWh => "10⁴ kWh",
            Unit::TenThousandT => "10⁴ t",
            Unit::TenThousandCny => "10⁴ CNY",
            Unit::TenThousandPcs => "10⁴ pcs",
            Unit::M2 => "m²",
            other => other.code(),
        }
    }

    /// Parse what a user types: `kwh`, `KWH`, `千瓦时`, `度`, `万千瓦时`, `m³`, `立方米`, `方`,
    /// `吨`, `升`, `公斤`, `t·km` … Case, spaces and full-width forms do not matter.
    pub fn parse(input: &str) -> Result<Unit, UnitError> {
        let key = normalise(input);
        if let Some(unit) = lookup(&key) {
            return Ok(unit);
        }
        Err(UnitError::Unknown {
            input: input.to_string(),
            suggestions: suggest(&key),
        })
    }

    /// The factor that turns an amount in `self` into an amount in `to`, when both share a
    /// dimension. Exact when the ratio terminates in decimal.
    pub fn ratio_to(self, to: Unit) -> Result<Decimal, UnitError> {
        if self.dimension() != to.dimension() {
            return Err(UnitError::DimensionMismatch { from: self, to });
        }
        if self == to {
            return Ok(Decimal::ONE);
        }
        self.to_base()
            .checked_div(to.to_base())
            .ok_or(UnitError::Overflow)
    }

    /// Convert `value` from `self` to `to` (same dimension only). Multiplies before dividing so
    /// that a terminating result is exact.
    pub fn convert(self, value: Decimal, to: Unit) -> Result<Decimal, UnitError> {
        if self.dimension() != to.dimension() {
            return Err(UnitError::DimensionMismatch { from: self, to });
        }
        if self == to {
            return Ok(value);
        }
        value
            .checked_mul(self.to_base())
            .and_then(|v| v.checked_div(to.to_base()))
            .ok_or(UnitError::Overflow)
    }
}

impl fmt::Display for Unit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.display())
    }
}

impl FromStr for Unit {
    type Err = UnitError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Unit::parse(s)
    }
}

impl Serialize for Unit {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

impl<'de> Deserialize<'de> for Unit {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Unit::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// A unit could not be read or two units do not fit together.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum UnitError {
    #[error("unknown unit '{input}'{}", hint(suggestions))]
    Unknown {
        input: String,
        suggestions: Vec<&'static str>,
    },
    #[error("cannot convert {from} ({}) to {to} ({}) without a fuel property such as its net calorific value or density", from.dimension().names().0, to.dimension().names().0)]
    DimensionMismatch { from: Unit, to: Unit },
    #[error("the number is too large to convert")]
    Overflow,
}

impl UnitError {
    /// The same message in Chinese.
    pub fn message_zh(&self) -> String {
        match self {
            UnitError::Unknown { input, suggestions } => {
                let mut m = format!("无法识别的单位“{input}”");
                if !suggestions.is_empty() {
                    m.push_str(&format!("；是否指：{}", suggestions.join("、")));
                }
                m
            }
            UnitError::DimensionMismatch { from, to } => format!(
                "无法将 {from}（{}）换算为 {to}（{}）：需要燃料的低位发热量或密度等参数",
                from.dimension().names().1,
                to.dimension().names().1
            ),
            UnitError::Overflow => "数值过大，无法换算".to_string(),
        }
    }
}

fn hint(suggestions: &[&'static str]) -> String {
    if suggestions.is_empty() {
        String::new()
    } else {
        format!("; did you mean {}?", suggestions.join(", "))
    }
}

/// Lower-case ASCII, fold full-width forms and superscripts, drop spaces and separators.
fn normalise(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    for c in input.trim().chars() {
        let c = match c {
            // Full-width ASCII (ｋＷｈ) to half-width.
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            '³' => '3',
            '⁴' => '4',
            '²' => '2',
            _ => c,
        };
        match c {
            ' ' | '\t' | '·' | '•' | '⋅' | '.' | '*' | '-' | '_' | '(' | ')' | '[' | ']' => {}
            _ => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// The lenient spellings, already normalised (see [`normalise`]).
const SPELLINGS: &[(&str, Unit)] = &[
    ("kwh", Unit::KWh),
    ("kw/h", Unit::KWh),
    ("千瓦时", Unit::KWh),
    ("千瓦小时", Unit::KWh),
    ("度", Unit::KWh),
    ("mwh", Unit::MWh),
    ("兆瓦时", Unit::MWh),
    ("gwh", Unit::GWh),
    ("吉瓦时", Unit::GWh),
    ("万kwh", Unit::TenThousandKWh),
    ("万千瓦时", Unit::TenThousandKWh),
    ("万度", Unit::TenThousandKWh),
    ("10^4kwh", Unit::TenThousandKWh),
    ("104kwh", Unit::TenThousandKWh),
    ("mj", Unit::MJ),
    ("兆焦", Unit::MJ),
    ("gj", Unit::GJ),
    ("吉焦", Unit::GJ),
    ("tj", Unit::TJ),
    ("太焦", Unit::TJ),
    ("tce", Unit::Tce),
    ("吨标准煤", Unit::Tce),
    ("吨标煤", Unit::Tce),
    ("tec", Unit::Tce),
    ("m3", Unit::M3),
    ("立方米", Unit::M3),
    ("立方", Unit::M3),
    ("方", Unit::M3),
    ("cbm", Unit::M3),
    ("nm3", Unit::Nm3),
    ("标准立方米", Unit::Nm3),
    ("标立方米", Unit::Nm3),
    ("标方", Unit::Nm3),
    ("万m3", Unit::TenThousandM3),
    ("万立方米", Unit::TenThousandM3),
    ("万方", Unit::TenThousandM3),
    ("10^4m3", Unit::TenThousandM3),
    ("104m3", Unit::TenThousandM3),
    ("万nm3", Unit::TenThousandNm3),
    ("万标准立方米", Unit::TenThousandNm3),
    ("万标方", Unit::TenThousandNm3),
    ("10^4nm3", Unit::TenThousandNm3),
    ("104nm3", Unit::TenThousandNm3),
    ("l", Unit::L),
    ("升", Unit::L),
    ("公升", Unit::L),
    ("litre", Unit::L),
    ("liter", Unit::L),
    ("litres", Unit::L),
    ("liters", Unit::L),
    ("kl", Unit::KL),
    ("千升", Unit::KL),
    ("g", Unit::G),
    ("克", Unit::G),
    ("kg", Unit::Kg),
    ("公斤", Unit::Kg),
    ("千克", Unit::Kg),
    ("kgs", Unit::Kg),
    ("t", Unit::T),
    ("吨", Unit::T),
    ("tonne", Unit::T),
    ("tonnes", Unit::T),
    ("公吨", Unit::T),
    ("gg", Unit::Gg),
    ("kt", Unit::Gg),
    ("千吨", Unit::Gg),
    ("万吨", Unit::TenThousandT),
    ("10^4t", Unit::TenThousandT),
    ("m", Unit::M),
    ("米", Unit::M),
    ("km", Unit::Km),
    ("公里", Unit::Km),
    ("千米", Unit::Km),
    ("tkm", Unit::TKm),
    ("吨公里", Unit::TKm),
    ("吨千米", Unit::TKm),
    ("pkm", Unit::PKm),
    ("人公里", Unit::PKm),
    ("人千米", Unit::PKm),
    ("cny", Unit::Cny),
    ("rmb", Unit::Cny),
    ("元", Unit::Cny),
    ("yuan", Unit::Cny),
    ("¥", Unit::Cny),
    ("万元", Unit::TenThousandCny),
    ("10^4cny", Unit::TenThousandCny),
    ("pc", Unit::Pcs),
    ("piece", Unit::Pcs),
    ("pieces", Unit::Pcs),
    ("件", Unit::Pcs),
    ("万件", Unit::TenThousandPcs),
    ("10^4pcs", Unit::TenThousandPcs),
    ("平方米", Unit::M2),
    ("㎡", Unit::M2),
    ("sqm", Unit::M2),
];

fn lookup(key: &str) -> Option<Unit> {
    if key.is_empty() {
        return None;
    }
    SPELLINGS
        .iter()
        .find(|(spelling, _)| *spelling == key)
        .map(|(_, unit)| *unit)
        .or_else(|| {
            Unit::ALL
                .iter()
                .copied()
                .find(|u| normalise(u.code()) == key)
        })
}

/// Up to three canonical codes closest to what was typed.
fn suggest(key: &str) -> Vec<&'static str> {
    let mut scored: Vec<(usize, &'static str)> = Unit::ALL
        .iter()
        .map(|u| {
            (
                crate::text::edit_distance(key, &normalise(u.code())),
                u.code(),
            )
        })
        .filter(|(d, code)| *d <= 2.max(code.len() / 2))
        .collect();
    scored.sort();
    scored.dedup_by(|a, b| a.1 == b.1);
    scored.into_iter().take(3).map(|(_, c)| c).collect()
}

/// An amount with its unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quantity {
    #[serde(with = "rust_decimal::serde::str")]
    pub value: Decimal,
    pub unit: Unit,
}

impl Quantity {
    pub fn new(value: Decimal, unit: Unit) -> Quantity {
        Quantity { value, unit }
    }

    /// The same amount in another unit of the same dimension.
    pub fn to(self, unit: Unit) -> Result<Quantity, UnitError> {
        Ok(Quantity::new(self.unit.convert(self.value, unit)?, unit))
    }
}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.value.normalize(), self.unit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn lenient_spellings_reach_the_canonical_unit() {
        for (typed, unit) in [
            ("kwh", Unit::KWh),
            ("KWH", Unit::KWh),
            ("kW·h", Unit::KWh),
            ("千瓦时", Unit::KWh),
            ("度", Unit::KWh),
            ("万千瓦时", Unit::TenThousandKWh),
            ("m³", Unit::M3),
            ("立方米", Unit::M3),
            ("方", Unit::M3),
            ("吨", Unit::T),
            ("升", Unit::L),
            ("公斤", Unit::Kg),
            ("ｋＷｈ", Unit::KWh),
            ("t·km", Unit::TKm),
            ("t.km", Unit::TKm),
            ("10^4 Nm3", Unit::TenThousandNm3),
            ("tce", Unit::Tce),
            ("吨标准煤", Unit::Tce),
            ("件", Unit::Pcs),
            ("pieces", Unit::Pcs),
            ("万件", Unit::TenThousandPcs),
            ("m²", Unit::M2),
            ("平方米", Unit::M2),
        ] {
            assert_eq!(
                Unit::parse(typed),
                Ok(unit),
                "'{typed}' should parse as {unit:?}"
            );
        }
    }

    #[test]
    fn every_canonical_code_parses_back_to_its_unit() {
        for unit in Unit::ALL {
            assert_eq!(
                Unit::parse(unit.code()),
                Ok(*unit),
                "every canonical code parses back to its unit"
            );
        }
    }

    #[test]
    fn an_unknown_unit_is_an_error_with_suggestions() {
        let err = Unit::parse("kwhh").unwrap_err();
        match &err {
            UnitError::Unknown { suggestions, .. } => assert!(
                suggestions.contains(&"kWh"),
                "an unknown unit is an error with suggestions"
            ),
            other => panic!("expected Unknown, got {other:?}"),
        }
        assert!(
            err.to_string().contains("kwhh"),
            "an unknown unit is an error with suggestions"
        );
        assert!(
            err.message_zh().contains("kwhh"),
            "an unknown unit is an error with suggestions"
        );
        assert!(Unit::parse("").is_err(), "an empty unit is not a unit");
    }

    #[test]
    fn known_conversions_are_exact() {
        assert_eq!(
            Unit::KWh.convert(d("1"), Unit::MJ),
            Ok(d("3.6")),
            "known conversions are exact"
        );
        assert_eq!(
            Unit::TenThousandKWh.convert(d("1.5"), Unit::KWh),
            Ok(d("15000")),
            "known conversions are exact"
        );
        assert_eq!(
            Unit::MWh.convert(d("1"), Unit::GJ),
            Ok(d("3.6")),
            "known conversions are exact"
        );
        assert_eq!(
            Unit::L.convert(d("1250"), Unit::M3),
            Ok(d("1.25")),
            "known conversions are exact"
        );
        assert_eq!(
            Unit::T.convert(d("0.0125"), Unit::Kg),
            Ok(d("12.5")),
            "known conversions are exact"
        );
        assert_eq!(
            Unit::Tce.convert(d("1"), Unit::GJ),
            Ok(d("29.307")),
            "GB/T 2589: 1 kgce = 29 307 kJ, not the IEA's 29.3076 GJ/tce"
        );
        assert_eq!(
            Unit::TenThousandNm3.convert(d("1"), Unit::M3),
            Ok(d("10000")),
            "known conversions are exact"
        );
        assert_eq!(
            Unit::TenThousandPcs.convert(d("2.5"), Unit::Pcs),
            Ok(d("25000")),
            "known conversions are exact"
        );
    }

    #[test]
    fn converting_across_dimensions_is_an_error() {
        assert_eq!(
            Unit::KWh.convert(d("1"), Unit::Kg),
            Err(UnitError::DimensionMismatch {
                from: Unit::KWh,
                to: Unit::Kg
            }),
            "converting across dimensions is an error"
        );
        assert!(
            Unit::M3.ratio_to(Unit::GJ).is_err(),
            "converting across dimensions is an error"
        );
        // output metrics are dimensions of their own: pieces are not tonnes, m2 are not m3
        assert!(
            Unit::Pcs.convert(d("1"), Unit::T).is_err(),
            "converting across dimensions is an error"
        );
        assert!(
            Unit::M2.convert(d("1"), Unit::M3).is_err(),
            "converting across dimensions is an error"
        );
    }

    /// Whether the ratio a → b is a terminating decimal (2^i 5^j denominators only).
    fn terminates(a: Unit, b: Unit) -> bool {
        (a.to_base() / b.to_base()).normalize().scale() <= 20
    }

    /// Two units of one dimension.
    fn same_dimension() -> impl Strategy<Value = (Unit, Unit)> {
        proptest::sample::select(Unit::ALL.to_vec()).prop_flat_map(|a| {
            let same: Vec<Unit> = Unit::ALL
                .iter()
                .copied()
                .filter(|u| u.dimension() == a.dimension())
                .collect();
            (Just(a), proptest::sample::select(same))
        })
    }

    proptest! {
        /// Through the base unit and back: exact when the first leg terminates (multiplying by a
        /// ratio whose inverse is applied next), and within 28-digit rounding otherwise.
        #[test]
        fn conversions_round_trip((a, b) in same_dimension(), mantissa in -1_000_000_000_000i64..1_000_000_000_000i64, scale in 0u32..6) {
            let value = Decimal::new(mantissa, scale);
            let there = a.convert(value, b).unwrap();
            let back = b.convert(there, a).unwrap();
            if terminates(a, b) {
                // a terminating ratio: the first leg is exact, so the way back is too
                prop_assert_eq!(back, value);
            } else {
                let err = (back - value).abs();
                let bound = value.abs() * Decimal::new(1, 20) + Decimal::new(1, 20);
                prop_assert!(err <= bound, "{} {} -> {} {} -> {} (err {})", value, a.code(), there, b.code(), back, err);
            }
        }

        #[test]
        fn conversion_is_linear((a, b) in same_dimension(), x in -1_000_000i64..1_000_000, y in -1_000_000i64..1_000_000) {
            prop_assume!(terminates(a, b));
            let (x, y) = (Decimal::from(x), Decimal::from(y));
            let sum = a.convert(x + y, b).unwrap();
            prop_assert_eq!(sum, a.convert(x, b).unwrap() + a.convert(y, b).unwrap());
        }
    }
}
