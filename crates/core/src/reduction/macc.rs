//! The marginal-abatement-cost curve as data: measures ordered by MAC (CNY/tCO2e, ties by name),
//! each a bar as wide as its annual abatement, placed one after the other from x = 0, so the
//! measures that pay for themselves (negative MAC, below the axis) come first. Measures without
//! a MAC (no abatement, more emissions, no price, no factor) are listed apart with the reason;
//! they are not drawn.
//!
//! ```text
//! x_from(k) = Σ_{j<k} abatement(j)     x_to(k) = x_from(k) + abatement(k)     height(k) = MAC(k)
//! ```

use super::abatement::MeasureResult;
use super::finance::NoMac;
use rust_decimal::Decimal;
use serde::Serialize;

/// What the curve needs of a measure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MaccInput {
    pub name: String,
    /// CNY/tCO2e on the curve's basis.
    pub mac: Option<Decimal>,
    /// tCO2e a year on the same basis.
    pub abatement_tco2e: Option<Decimal>,
    pub no_mac: Option<NoMac>,
}

impl From<&MeasureResult> for MaccInput {
    fn from(m: &MeasureResult) -> MaccInput {
        MaccInput {
            name: m.name.clone(),
            mac: m.mac,
            abatement_tco2e: m.abatement_tco2e,
            no_mac: m.no_mac,
        }
    }
}

/// One bar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MaccBar {
    pub name: String,
    /// The height, CNY/tCO2e.
    pub mac: Decimal,
    /// The width, tCO2e a year.
    pub abatement_tco2e: Decimal,
    pub x_from: Decimal,
    pub x_to: Decimal,
}

/// A measure left off the curve, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unranked {
    pub name: String,
    pub reason: NoMac,
}

/// The curve.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Macc {
    pub bars: Vec<MaccBar>,
    pub unranked: Vec<Unranked>,
    /// The sum of the widths.
    pub total_tco2e: Decimal,
}

/// Order the measures into a curve.
pub fn macc(items: &[MaccInput]) -> Macc {
    let mut ranked: Vec<(&str, Decimal, Decimal)> = Vec::new();
    let mut unranked = Vec::new();
    for item in items {
        match (item.mac, item.abatement_tco2e) {
            (Some(mac), Some(a)) if a > Decimal::ZERO => ranked.push((&item.name, mac, a)),
            _ => unranked.push(Unranked {
                name: item.name.clone(),
                reason: item.no_mac.unwrap_or(match item.abatement_tco2e {
                    None => NoMac::NoFactor,
                    Some(a) if a < Decimal::ZERO => NoMac::AddsEmissions,
                    Some(a) if a.is_zero() => NoMac::NoAbatement,
                    Some(_) => NoMac::NoPrice,
                }),
            }),
        }
    }
    ranked.sort_by(|a, b| a.1.cmp(&b.1).then_with(|| a.0.cmp(b.0)));
    unranked.sort_by(|a, b| a.name.cmp(&b.name));
    let mut x = Decimal::ZERO;
    let bars = ranked
        .into_iter()
        .map(|(name, mac, a)| {
            let from = x;
            x += a;
            MaccBar {
                name: name.to_string(),
                mac,
                abatement_tco2e: a,
                x_from: from,
                x_to: x,
            }
        })
        .collect();
    Macc {
        bars,
        unranked,
        total_tco2e: x,
    }
}

impl Macc {
    /// The measure names in curve order (the `macc` list of the reduction JSON).
    pub fn order(&self) -> Vec<String> {
        self.bars.iter().map(|b| b.name.clone()).collect()
    }

    /// The abatement available at a MAC at or below `price` CNY/t (the carbon price line).
    pub fn at_or_below(&self, price: Decimal) -> Decimal {
        self.bars
            .iter()
            .filter(|b| b.mac <= price)
            .map(|b| b.abatement_tco2e)
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn item(name: &str, mac: Option<&str>, a: Option<&str>, no: Option<NoMac>) -> MaccInput {
        MaccInput {
            name: name.into(),
            mac: mac.map(d),
            abatement_tco2e: a.map(d),
            no_mac: no,
        }
    }

    #[test]
    fn bars_in_mac_order_with_cumulative_offsets() {
        let m = macc(&[
            item("Heat pump", Some("180"), Some("40"), None),
            item("LED", Some("-320"), Some("6"), None),
            item("PV", Some("-66.34"), Some("64.26"), None),
            item("VSD", Some("-66.34"), Some("12"), None),
            item("Forklifts", None, Some("8"), Some(NoMac::NoPrice)),
            item(
                "Electric boiler",
                None,
                Some("-30"),
                Some(NoMac::AddsEmissions),
            ),
        ]);
        assert_eq!(
            m.order(),
            vec!["LED", "PV", "VSD", "Heat pump"],
            "by MAC, ties by name"
        );
        assert_eq!(
            (m.bars[0].x_from, m.bars[0].x_to),
            (d("0"), d("6")),
            "bars in mac order with cumulative offsets"
        );
        assert_eq!(
            (m.bars[1].x_from, m.bars[1].x_to),
            (d("6"), d("70.26")),
            "bars in mac order with cumulative offsets"
        );
        assert_eq!(
            (m.bars[3].x_from, m.bars[3].x_to),
            (d("82.26"), d("122.26")),
            "bars in mac order with cumulative offsets"
        );
        assert_eq!(
            m.total_tco2e,
            d("122.26"),
            "the widths add up to the end of the curve"
        );
        assert_eq!(
            m.unranked
                .iter()
                .map(|u| (u.name.as_str(), u.reason))
                .collect::<Vec<_>>(),
            vec![
                ("Electric boiler", NoMac::AddsEmissions),
                ("Forklifts", NoMac::NoPrice)
            ],
            "measures without a MAC are listed apart with their reason"
        );
        assert_eq!(m.at_or_below(d("0")), d("82.26"), "what pays for itself");
        assert_eq!(
            m.at_or_below(d("80")),
            d("82.26"),
            "a carbon price of 80 CNY/t adds nothing here"
        );
        assert_eq!(
            m.at_or_below(d("200")),
            d("122.26"),
            "bars in mac order with cumulative offsets"
        );
    }

    #[test]
    fn an_empty_curve() {
        let m = macc(&[]);
        assert!(m.bars.is_empty() && m.unranked.is_empty(), "an empty curve");
        assert_eq!(m.total_tco2e, Decimal::ZERO, "an empty curve");
    }
}
