//! The reduction step's rules, checked against figures worked out independently (Python's
//! `decimal` module at 40 significant digits, written out here by hand), and property tests.

use lingtan_core::reduction::figure;
use lingtan_core::reduction::finance::{
    annualised_cost, crf, economics, mac, npv, simple_payback, Costs, DiscountRate, Lifetime,
};
use lingtan_core::Decimal;
use rust_decimal::MathematicalOps;

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

/// capex 1,000,000 CNY, 8 %, 15 years, savings 150,000 CNY/yr, no opex, abatement 500 t/yr.
///
/// At 40 digits: 1.08^15 = 3.172169114198268924301601144832 (exact),
/// CRF = 0.1168295449360200440374265555964081292141,
/// annualised cost = −33,170.4550639799559625734444035918707859,
/// MAC = −66.3409101279599119251468888071837415718,
/// NPV = 283,921.803188955845265144907630298033698.
/// A Decimal holds 28 decimal places: each figure must be the 40-digit value correctly rounded
/// to the places the Decimal keeps (NPV, a sum of 15 rounded quotients, to 20 places).
#[test]
fn the_worked_mac_example_to_the_last_digit() {
    let rate = DiscountRate::from_pct(d("8")).unwrap();
    let life = Lifetime::new(15).unwrap();
    let costs = Costs::new(d("1000000"), Decimal::ZERO, life).unwrap();

    let growth = (Decimal::ONE + rate.fraction()).powu(15);
    assert_eq!(
        growth,
        d("3.1721691141982689243016011448"),
        "1.08^15 rounded at the 28th place"
    );

    let k = crf(rate, life);
    assert_eq!(
        k,
        d("0.1168295449360200440374265556"),
        "CRF(8 %, 15) rounded at the 28th place"
    );

    let cost = annualised_cost(k, &costs, d("150000"));
    assert_eq!(
        cost,
        d("-33170.45506397995596257344440"),
        "116,829.54… − 150,000"
    );

    let m = mac(cost, d("500")).unwrap();
    assert_eq!(
        m,
        d("-66.3409101279599119251468888"),
        "(116,829.54… − 150,000) ÷ 500"
    );
    assert_eq!(figure(m), "-66.34", "shown to the fen");

    let v = npv(rate, &costs, d("150000"));
    assert_eq!(
        v.round_dp(20),
        d("283921.80318895584526514491"),
        "NPV to 20 places"
    );

    assert_eq!(
        simple_payback(&costs, d("150000")).map(|p| p.round_dp(27)),
        Some(d("6.666666666666666666666666667"))
    );

    let e = economics(&costs, rate, Some(d("150000")), Some(d("500")));
    assert_eq!(
        (e.crf, e.mac, e.npv),
        (k, Some(m), Some(v)),
        "economics() is the same arithmetic"
    );
}
