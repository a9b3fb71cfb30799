//! What a measure costs and earns, in CNY, with exact decimals.
//!
//! ```text
//! CRF(r, n)        = r (1+r)^n / ((1+r)^n − 1)          (r = 0: 1/n)
//! annualised cost  = CRF × capex + opex − savings        (CNY per year)
//! MAC              = annualised cost ÷ annual abatement  (CNY/tCO2e; none when abatement ≤ 0)
//! NPV              = −capex + Σ_{t=1..n} (savings − opex) / (1+r)^t
//! simple payback   = capex ÷ (savings − opex)             (years; only when savings − opex > 0)
//! ```
//!
//! `r` is the discount rate as a fraction (8 % = 0.08), `n` the lifetime in whole years, `opex`
//! the change in running cost per year (maintenance, the PV plant's upkeep; may be negative),
//! `savings` the energy cost saved per year (from the changes and the energy prices, see
//! [`super::abatement::energy_savings`]).
//!
//! Rounding: every figure is computed at the full precision of a `Decimal` (28 significant
//! digits) with integer powers only, and rounded only for display. `(1+r)^n` is exact while it
//! fits in 28 digits and correctly rounded after that; when it overflows (r near 100 % over
//! decades, beyond 7.9 × 10^28) CRF is taken at its limit `r`, which differs from the true value
//! by less than `r ÷ 7.9 × 10^28`, below a `Decimal`'s resolution.

use super::{fraction, Citation, ReductionError};
use rust_decimal::{Decimal, MathematicalOps};
use serde::Serialize;

/// The largest amount of money a measure may state (10^15 CNY), so that every product stays
/// inside a `Decimal`.
pub const MAX_AMOUNT: i64 = 1_000_000_000_000_000;

/// A discount rate, kept as a fraction in [0, 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct DiscountRate(Decimal);

/// Why 8 % is the default.
pub const DEFAULT_DISCOUNT_RATE_RULE: Citation = Citation {
    citation: "8 % is the rate commonly used in Chinese social-discount-rate studies (secondary sources, not confirmed); a project setting",
    confirmed: false,
};

impl Default for DiscountRate {
    /// 8 %.
    fn default() -> DiscountRate {
        DiscountRate(Decimal::new(8, 2))
    }
}

impl DiscountRate {
    /// From a percentage in [0, 100).
    pub fn from_pct(pct: Decimal) -> Result<DiscountRate, ReductionError> {
        if pct < Decimal::ZERO || pct >= Decimal::ONE_HUNDRED {
            return Err(ReductionError::DiscountRateOutOfRange { pct });
        }
        Ok(DiscountRate(fraction(pct)))
    }

    /// As a fraction (0.08).
    pub fn fraction(self) -> Decimal {
        self.0
    }

    /// As a percentage (8).
    pub fn pct(self) -> Decimal {
        (self.0 * Decimal::ONE_HUNDRED).normalize()
    }
}

impl Serialize for DiscountRate {
    /// As the percentage, a string (`"8"`), like every decimal in the JSON.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.pct())
    }
}

/// A lifetime in whole years, 1–100.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Lifetime(u32);

impl Lifetime {
    pub fn new(years: u32) -> Result<Lifetime, ReductionError> {
        if (1..=100).contains(&years) {
            Ok(Lifetime(years))
        } else {
            Err(ReductionError::LifetimeOutOfRange { years })
        }
    }

    pub fn years(self) -> u32 {
        self.0
    }
}

/// A measure's money: the investment, the change in running cost per year, the lifetime.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Costs {
    /// CNY, ≥ 0.
    pub capex: Decimal,
    /// CNY per year; negative when running costs fall.
    pub opex: Decimal,
    pub lifetime: Lifetime,
}

fn check_amount(field: &str, value: Decimal) -> Result<(), ReductionError> {
    if value.abs() > Decimal::from(MAX_AMOUNT) {
        return Err(ReductionError::AmountImplausible {
            field: field.to_string(),
            value,
        });
    }
    Ok(())
}

impl Costs {
    pub fn new(capex: Decimal, opex: Decimal, lifetime: Lifetime) -> Result<Costs, ReductionError> {
        check_amount("capex", capex)?;
        check_amount("opex", opex)?;
        if capex < Decimal::ZERO {
            return Err(ReductionError::NegativeCapex { capex });
        }
        Ok(Costs {
            capex,
            opex,
            lifetime,
        })
    }
}

/// `(1+r)^n`, or `None` when it exceeds a `Decimal`.
fn growth(rate: DiscountRate, years: u32) -> Option<Decimal> {
    (Decimal::ONE + rate.0).checked_powu(u64::from(years))
}

/// The capital recovery factor: the share of an investment to recover each year over the
/// lifetime at the discount rate.
pub fn crf(rate: DiscountRate, lifetime: Lifetime) -> Decimal {
    let r = rate.0;
    let n = Decimal::from(lifetime.0);
    if r.is_zero() {
        return Decimal::ONE / n;
    }
    match growth(rate, lifetime.0) {
        // x − 1 > 0 since r > 0 and n ≥ 1; r·x stays inside a Decimal because x does
        Some(x) => r * x / (x - Decimal::ONE),
        None => r,
    }
}

/// `CRF × capex + opex − savings`, CNY per year.
pub fn annualised_cost(crf: Decimal, costs: &Costs, savings: Decimal) -> Decimal {
    crf * costs.capex + costs.opex - savings
}

/// Why a measure has no MAC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum NoMac {
    /// The measure abates nothing on this basis.
    NoAbatement,
    /// The measure adds emissions on this basis (an electric boiler on a coal-heavy grid).
    AddsEmissions,
    /// The energy cost savings are unknown: a changed source has no price.
    NoPrice,
    /// The abatement is unknown: a changed source has no factor.
    NoFactor,
}

impl NoMac {
    pub fn code(self) -> &'static str {
        match self {
            NoMac::NoAbatement => "MAC_NO_ABATEMENT",
            NoMac::AddsEmissions => "MAC_ADDS_EMISSIONS",
            NoMac::NoPrice => "MAC_NO_PRICE",
            NoMac::NoFactor => "MAC_NO_FACTOR",
        }
    }

    pub fn message_en(self) -> &'static str {
        match self {
            NoMac::NoAbatement => "no MAC: the measure abates nothing on this basis",
            NoMac::AddsEmissions => "no MAC: the measure adds emissions on this basis (e.g. electric heat from a fossil-heavy grid); its cost per tonne is not defined",
            NoMac::NoPrice => "no MAC: a source the measure changes has no energy price; set one",
            NoMac::NoFactor => "no MAC: a source the measure changes has no emission factor",
        }
    }

    pub fn message_zh(self) -> &'static str {
        match self {
            NoMac::NoAbatement => "无边际减排成本：该措施在此口径下没有减排量",
            NoMac::AddsEmissions => "无边际减排成本：该措施在此口径下增加排放（如以化石能源为主的电网供热），单位减排成本无意义",
            NoMac::NoPrice => "无边际减排成本：措施影响的排放源没有能源价格；请设置",
            NoMac::NoFactor => "无边际减排成本：措施影响的排放源没有排放因子",
        }
    }
}

/// `annualised cost ÷ annual abatement`, CNY/tCO2e; refused (with the reason) when the
/// abatement is not positive.
pub fn mac(annualised_cost: Decimal, abatement_tco2e: Decimal) -> Result<Decimal, NoMac> {
    if abatement_tco2e.is_zero() {
        return Err(NoMac::NoAbatement);
    }
    if abatement_tco2e < Decimal::ZERO {
        return Err(NoMac::AddsEmissions);
    }
    annualised_cost
        .checked_div(abatement_tco2e)
        .ok_or(NoMac::NoAbatement)
}

/// `−capex + Σ_{t=1..n} (savings − opex) / (1+r)^t`, CNY. Each year's discount factor is
/// `1/(1+r)^t` from the exact integer power.
pub fn npv(rate: DiscountRate, costs: &Costs, savings: Decimal) -> Decimal {
    let net = savings - costs.opex;
    let base = Decimal::ONE + rate.0;
    let mut total = -costs.capex;
    for t in 1..=costs.lifetime.0 {
        let discounted = match base.checked_powu(u64::from(t)) {
            Some(g) => net.checked_div(g).unwrap_or(Decimal::ZERO),
            // (1+r)^t beyond 7.9e28: the term is below a Decimal's resolution
            None => Decimal::ZERO,
        };
        total += discounted;
    }
    total
}

/// `capex ÷ (savings − opex)` years, when the measure saves more than it costs to run.
pub fn simple_payback(costs: &Costs, savings: Decimal) -> Option<Decimal> {
    let net = savings - costs.opex;
    (net > Decimal::ZERO).then(|| costs.capex / net)
}

/// A measure's money figures on one basis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Economics {
    pub crf: Decimal,
    /// Energy cost saved per year, CNY; `None` when a changed source has no price.
    pub savings: Option<Decimal>,
    pub annualised_cost: Option<Decimal>,
    /// CNY/tCO2e.
    pub mac: Option<Decimal>,
    /// Why `mac` is missing.
    pub no_mac: Option<NoMac>,
    pub npv: Option<Decimal>,
    pub payback_years: Option<Decimal>,
}

/// Every money figure of a measure: `savings` is `None` when a price is missing, `abatement`
/// `None` when a factor is.
pub fn economics(
    costs: &Costs,
    rate: DiscountRate,
    savings: Option<Decimal>,
    abatement_tco2e: Option<Decimal>,
) -> Economics {
    let crf = crf(rate, costs.lifetime);
    let annualised = savings.map(|s| annualised_cost(crf, costs, s));
    let mac = match (annualised, abatement_tco2e) {
        (_, None) => Err(NoMac::NoFactor),
        (None, Some(a)) => mac(Decimal::ZERO, a).and(Err(NoMac::NoPrice)),
        (Some(c), Some(a)) => mac(c, a),
    };
    Economics {
        crf,
        savings,
        annualised_cost: annualised,
        mac: mac.ok(),
        no_mac: mac.err(),
        npv: savings.map(|s| npv(rate, costs, s)),
        payback_years: savings.and_then(|s| simple_payback(costs, s)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn costs(capex: &str, opex: &str, years: u32) -> Costs {
        Costs::new(d(capex), d(opex), Lifetime::new(years).unwrap()).unwrap()
    }

    #[test]
    fn crf_at_zero_rate_is_one_over_n() {
        let zero = DiscountRate::from_pct(Decimal::ZERO).unwrap();
        assert_eq!(
            crf(zero, Lifetime::new(4).unwrap()),
            d("0.25"),
            "crf at zero rate is one over n"
        );
        assert_eq!(
            crf(zero, Lifetime::new(1).unwrap()),
            Decimal::ONE,
            "crf at zero rate is one over n"
        );
    }

    #[test]
    fn crf_over_one_year_is_one_plus_r() {
        // r(1+r)/((1+r) − 1) = 1 + r: the whole investment and a year's interest
        let r = DiscountRate::from_pct(d("8")).unwrap();
        assert_eq!(
            crf(r, Lifetime::new(1).unwrap()),
            d("1.08"),
            "crf over one year is one plus r"
        );
    }

    #[test]
    fn an_overflowing_power_takes_the_limit() {
        // 1.99^100 ≈ 8.9e29 does not fit a Decimal: CRF is r to within 1e-29
        let r = DiscountRate::from_pct(d("99")).unwrap();
        assert_eq!(
            crf(r, Lifetime::new(100).unwrap()),
            d("0.99"),
            "an overflowing power takes the limit"
        );
        let c = costs("1000", "0", 100);
        let v = npv(r, &c, d("990"));
        // an annuity of 990 at 99 % is worth 990/0.99 = 1000 to within the tiny tail
        assert!(
            (v - Decimal::ZERO).abs() < d("0.000001"),
            "an overflowing power takes the limit: {v}"
        );
    }

    #[test]
    fn bad_money_inputs_are_refused() {
        assert_eq!(
            DiscountRate::from_pct(d("100")).map_err(|e| e.code()),
            Err("DISCOUNT_RATE_OUT_OF_RANGE"),
            "bad money inputs are refused"
        );
        assert_eq!(
            DiscountRate::from_pct(d("-1")).map_err(|e| e.field()),
            Err("discount-rate".to_string()),
            "bad money inputs are refused"
        );
        assert_eq!(
            Lifetime::new(0).map_err(|e| e.code()),
            Err("LIFETIME_OUT_OF_RANGE"),
            "bad money inputs are refused"
        );
        assert_eq!(
            Lifetime::new(101).map_err(|e| e.field()),
            Err("lifetime".to_string()),
            "bad money inputs are refused"
        );
        let l = Lifetime::new(10).unwrap();
        assert_eq!(
            Costs::new(d("-1"), d("0"), l).map_err(|e| e.code()),
            Err("NEGATIVE_CAPEX"),
            "bad money inputs are refused"
        );
        assert_eq!(
            Costs::new(d("1e16"), d("0"), l).map_err(|e| e.field()),
            Err("capex".to_string()),
            "bad money inputs are refused"
        );
        assert_eq!(
            Costs::new(d("0"), d("-1e16"), l).map_err(|e| e.field()),
            Err("opex".to_string()),
            "bad money inputs are refused"
        );
        assert!(
            Costs::new(d("0"), d("-5000"), l).is_ok(),
            "running costs may fall"
        );
    }

    #[test]
    fn mac_needs_positive_abatement() {
        assert_eq!(
            mac(d("-33170"), d("500")),
            Ok(d("-66.34")),
            "mac needs positive abatement"
        );
        assert_eq!(
            mac(d("100"), Decimal::ZERO),
            Err(NoMac::NoAbatement),
            "mac needs positive abatement"
        );
        assert_eq!(
            mac(d("100"), d("-3")),
            Err(NoMac::AddsEmissions),
            "mac needs positive abatement"
        );
    }

    #[test]
    fn payback_only_when_net_savings_are_positive() {
        assert_eq!(
            simple_payback(&costs("300000", "10000", 10), d("70000")),
            Some(d("5")),
            "payback only when net savings are positive"
        );
        assert_eq!(
            simple_payback(&costs("300000", "70000", 10), d("70000")),
            None,
            "never pays back"
        );
    }

    #[test]
    fn economics_say_why_a_figure_is_missing() {
        let c = costs("1000", "0", 10);
        let r = DiscountRate::default();
        let e = economics(&c, r, None, Some(d("5")));
        assert_eq!(
            (e.mac, e.no_mac, e.npv, e.annualised_cost),
            (None, Some(NoMac::NoPrice), None, None),
            "economics say why a figure is missing"
        );
        let e = economics(&c, r, Some(d("100")), None);
        assert_eq!(
            (e.mac, e.no_mac),
            (None, Some(NoMac::NoFactor)),
            "economics say why a figure is missing"
        );
        assert!(e.npv.is_some(), "NPV needs no abatement");
        let e = economics(&c, r, None, Some(d("-5")));
        assert_eq!(
            e.no_mac,
            Some(NoMac::AddsEmissions),
            "a measure that adds emissions says so even without a price"
        );
        assert_eq!(r.pct(), d("8"), "economics say why a figure is missing");
    }
}
