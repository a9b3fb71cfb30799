//! The reduction step's rules, checked against figures worked out independently (Python's
//! `decimal` module at 40 significant digits, written out here by hand), and property tests.

use chrono::NaiveDate;
use lingtan_core::calc::{ActivityInput, Catalog, Context, Inventory, InventoryBuilder};
use lingtan_core::factor::{
    EmissionFactor, FactorCategory, FuelProperty, FuelUse, GridRole, Origin, PropertyKind,
};
use lingtan_core::reduction::abatement::{self, BasisRate, Price, SourceRate};
use lingtan_core::reduction::finance::{
    annualised_cost, crf, economics, mac, npv, simple_payback, Costs, DiscountRate, Lifetime,
};
use lingtan_core::reduction::lmdi::{self, SourcePair};
use lingtan_core::reduction::measure::{
    InputValue, Measure, MeasureKind, MeasureStatus, SourceInfo,
};
use lingtan_core::reduction::target::{
    Actual, Ambition, BaseYear, Scopes, Status, Target, TargetSpec,
};
use lingtan_core::reduction::{figure, Basis, Month};
use lingtan_core::{Boundary, Decimal, GwpSet, Site, Source, SourceKind, Unit};
use proptest::prelude::*;
use rust_decimal::MathematicalOps;
use std::collections::BTreeMap;

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

// ---------------------------------------------------------------------------------------------
// A hand-made factory: grid power in CN-East (0.55 kg/kWh; residual mix 0.6096) and a gas
// boiler (IPCC 56,100 kg CO2, 1 kg CH4, 0.1 kg N2O per TJ; NCV 389.31 GJ per 10^4 Nm3), AR6.

fn factor(id: &str, unit: Unit, gases: &[(&str, &str)]) -> EmissionFactor {
    EmissionFactor {
        id: id.into(),
        version: 1,
        name: id.into(),
        name_zh: None,
        dataset: "test".into(),
        category: FactorCategory::Other,
        role: None,
        region: None,
        fuel: None,
        fuel_use: None,
        year: None,
        published: None,
        unit,
        gases: gases.iter().map(|(g, v)| (g.to_string(), d(v))).collect(),
        co2e: None,
        licence: "test".into(),
        citation: "test".into(),
        verified: true,
        verification_note: None,
        uncertainty_pct: None,
        is_default: false,
        origin: Origin::Library,
    }
}

fn catalog() -> Catalog {
    let grid = |id: &str, region: &str, role, co2: &str| EmissionFactor {
        category: FactorCategory::Electricity,
        role: Some(role),
        region: Some(region.into()),
        year: Some(2023),
        ..factor(id, Unit::KWh, &[("CO2", co2)])
    };
    let ng = EmissionFactor {
        category: FactorCategory::Fuel,
        fuel: Some("natural-gas".into()),
        fuel_use: Some(FuelUse::Stationary),
        is_default: true,
        ..factor(
            "IPCC-NG",
            Unit::TJ,
            &[("CO2", "56100"), ("CH4", "1"), ("N2O", "0.1")],
        )
    };
    let ncv = FuelProperty {
        id: "CN-NCV-NG".into(),
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
    };
    Catalog::new(
        vec![
            ng,
            grid("EAST-2023", "CN-East", GridRole::GridAverage, "0.55"),
            grid("CN-RESIDUAL-2023", "CN", GridRole::ResidualMix, "0.6096"),
        ],
        vec![ncv],
    )
}

fn sites() -> Vec<Site> {
    vec![Site {
        id: 1,
        name: "Plant".into(),
        grid_region: Some("CN-East".into()),
        address: None,
        equity_pct: None,
    }]
}

fn project_sources() -> Vec<Source> {
    let source = |id, name: &str, kind, fuel: Option<&str>, unit| Source {
        id,
        name: name.into(),
        site_id: 1,
        kind,
        fuel: fuel.map(String::from),
        factor_id: None,
        market_factor_id: None,
        unit: Some(unit),
        uncertainty_pct: None,
    };
    vec![
        source(1, "Grid power", SourceKind::Electricity, None, Unit::KWh),
        source(
            2,
            "Boiler gas",
            SourceKind::StationaryCombustion,
            Some("natural-gas"),
            Unit::M3,
        ),
    ]
}

/// A year's inventory from one whole-year record per source.
fn inventory(year: i32, records: &[(i64, &str, Unit)]) -> Inventory {
    let catalog = catalog();
    let (sites, sources) = (sites(), project_sources());
    let mut b = InventoryBuilder::new(Context {
        year,
        gwp: GwpSet::AR6,
        boundary: Boundary::OperationalControl,
        sites: &sites,
        sources: &sources,
        catalog: &catalog,
    });
    for (i, (source_id, qty, unit)) in records.iter().enumerate() {
        b.push(&ActivityInput {
            id: i as i64 + 1,
            version: 1,
            source_id: *source_id,
            from: NaiveDate::from_ymd_opt(year, 1, 1).unwrap(),
            to: NaiveDate::from_ymd_opt(year, 12, 31).unwrap(),
            quantity: d(qty),
            unit: *unit,
        });
    }
    b.finish()
}

/// What the workbench will do: each source's factors, as the inventory resolved them, become
/// the rates abatement needs.
fn rates_of(inv: &Inventory) -> Vec<SourceRate> {
    let catalog = catalog();
    inv.sources
        .iter()
        .map(|s| {
            let props: Vec<FuelProperty> = catalog.properties().to_vec();
            let rate = |id: &str| {
                BasisRate::new(
                    catalog.factor(id).unwrap(),
                    inv.gwp,
                    s.unit,
                    &props,
                    Decimal::ONE,
                )
                .unwrap()
            };
            let location = rate(&s.factor.as_ref().unwrap().id);
            let market = s.market_factor.as_ref().map(|f| rate(&f.id));
            let scope = if s.scope == 2 {
                lingtan_core::Scope::Two
            } else {
                lingtan_core::Scope::One
            };
            SourceRate::new(&s.source, scope, s.unit, location, market, Decimal::ONE)
        })
        .collect()
}

fn infos(inv: &Inventory) -> Vec<SourceInfo> {
    let catalog = catalog();
    project_sources()
        .iter()
        .zip(&inv.sources)
        .map(|(src, res)| SourceInfo {
            name: src.name.clone(),
            kind: src.kind,
            unit: res.unit,
            annual_activity: res.quantity,
            properties: catalog.properties().to_vec(),
            fuel: src.fuel.clone(),
        })
        .collect()
}

fn base_2024() -> Inventory {
    inventory(2024, &[(1, "1000000", Unit::KWh), (2, "200000", Unit::M3)])
}

/// Base 2024: gas 200,000 m³ = 7.7862 TJ × 56,157.1 kg CO2e/TJ = 437.25041202 t; grid
/// 1,000,000 kWh × 0.6096 = 609.6 t market. 2025: 180,000 m³ → 393.525370818 t; 950,000 kWh →
/// 579.12 t. Target −42 % by 2030 on scopes 1+2 (market): allowed 2025 = 1,046.85041202 ×
/// (1 − 0.42/6) = 973.5708831786 t; actual 972.645370818 t, on track by 0.9255123606 t.
#[test]
fn a_target_on_a_hand_made_project() {
    let base = base_2024();
    let y2025 = inventory(2025, &[(1, "950000", Unit::KWh), (2, "180000", Unit::M3)]);
    let scopes = Scopes::OneTwo;
    let base_t = scopes.tco2e(&base.totals, Basis::Market);
    assert_eq!(
        base_t,
        d("1046.85041202"),
        "the base year as the inventory computes it"
    );
    let target = Target::new(
        TargetSpec {
            name: "2030 near-term".into(),
            scopes,
            scope2: Basis::Market,
            base_year: 2024,
            target_year: 2030,
            ambition: Ambition::Reduction(d("42")),
            metric: None,
        },
        BaseYear {
            tco2e: base_t,
            output: None,
            fingerprint: Some("fp-2024".into()),
        },
    )
    .unwrap();
    assert_eq!(target.target_tco2e(), Some(d("607.1732389716")));
    let actuals = BTreeMap::from([
        (
            2024,
            Actual {
                tco2e: Some(base_t),
                output: None,
            },
        ),
        (
            2025,
            Actual {
                tco2e: Some(scopes.tco2e(&y2025.totals, Basis::Market)),
                output: None,
            },
        ),
    ]);
    let a = target.assess(&actuals, 2025);
    let y = &a.trajectory[1];
    assert_eq!(y.allowed_tco2e, Some(d("973.5708831786")));
    assert_eq!(y.actual_tco2e, Some(d("972.645370818")));
    assert_eq!(
        (a.status, a.gap_tco2e),
        (Status::OnTrack, Some(d("-0.9255123606")))
    );
    assert_eq!(
        a.trajectory
            .iter()
            .filter(|t| t.status == Status::NoData)
            .count(),
        5,
        "2026–2030"
    );

    // a corrected 2024 gas bill: +10,000 m³ is +21.862520601 t, +2.09 %: below 5 %
    let corrected = inventory(2024, &[(1, "1000000", Unit::KWh), (2, "210000", Unit::M3)]);
    let now = scopes.tco2e(&corrected.totals, Basis::Market);
    let change = target.base_change(now, Default::default()).unwrap();
    assert_eq!(change.change_tco2e, d("21.862520601"));
    assert!(!change.significant);
    assert!(
        change
            .message_en()
            .starts_with("base year was 1,046.9 t, is now 1,068.7 t, +2.1 %"),
        "{}",
        change.message_en()
    );
}

/// Abatement must be what the inventory would lose if the change happened: the same factors,
/// units, properties and GWPs, through the same rule.
#[test]
fn abatement_equals_the_inventory_difference() {
    let base = base_2024();
    let rates = rates_of(&base);
    let sources = infos(&base);
    let prices = vec![
        Price::new(&sources[0], d("0.68"), Unit::KWh).unwrap(),
        Price::new(&sources[1], d("3.6"), Unit::M3).unwrap(),
    ];
    let ctx = abatement::Context {
        sources: &sources,
        rates: &rates,
        prices: &prices,
        gwp: GwpSet::AR6,
        discount_rate: DiscountRate::default(),
        basis: Basis::Market,
    };
    let inputs = |pairs: &[(&str, &str)]| -> BTreeMap<String, InputValue> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), InputValue::Number(d(v))))
            .collect()
    };
    let hp = Measure {
        name: "Heat pump for the paint oven".into(),
        kind: MeasureKind::HeatPump,
        status: MeasureStatus::Planned,
        start: Month::new(2026, 7),
        inputs: inputs(&[("heat", "1000"), ("boiler-efficiency", "90"), ("cop", "3")]),
        sources: BTreeMap::new(),
        changes: vec![],
        capex: d("800000"),
        opex: d("5000"),
        lifetime: None,
        meter: None,
    };
    let r = abatement::evaluate(&hp, &ctx).unwrap();
    let gas = r
        .changes
        .iter()
        .find(|c| c.source == "Boiler gas")
        .unwrap()
        .quantity;
    let kwh = r
        .changes
        .iter()
        .find(|c| c.source == "Grid power")
        .unwrap()
        .quantity;
    let after = inventory(
        2024,
        &[
            (1, &(d("1000000") + kwh).to_string(), Unit::KWh),
            (2, &(d("200000") + gas).to_string(), Unit::M3),
        ],
    );
    let tol = d("0.000000000001");
    let loc = base.totals.total_location - after.totals.total_location;
    let mkt = base.totals.total_market - after.totals.total_market;
    assert!(
        (r.abatement_location_tco2e.unwrap() - loc).abs() < tol,
        "{:?} vs {loc}",
        r.abatement_location_tco2e
    );
    assert!(
        (r.abatement_market_tco2e.unwrap() - mkt).abs() < tol,
        "{:?} vs {mkt}",
        r.abatement_market_tco2e
    );
    // per gas too: the CO2 the inventory loses
    let co2 = |inv: &Inventory| inv.gases.iter().find(|g| g.gas == "CO2").unwrap().tonnes;
    let a = r.abatement.as_ref().unwrap();
    assert!((a.gases["CO2"] - (co2(&base) - co2(&after))).abs() < tol);
    let lines: Vec<_> = a
        .lines
        .iter()
        .map(|l| (l.source.as_str(), l.factor.id.as_str(), l.properties.len()))
        .collect();
    assert!(
        lines.contains(&("Boiler gas", "IPCC-NG", 1)),
        "the gas line names its factor and the NCV: {lines:?}"
    );
    assert!(r
        .formula
        .as_ref()
        .unwrap()
        .en
        .contains("through CN-NCV-NG v1"));
    assert!(r.mac.is_some() && r.savings.is_some());
}

/// The rates the workbench takes from an inventory (`InventoryBuilder::resolved` then
/// `abatement::rates_of`) are exactly the hand-built ones: the factors the inventory used,
/// converted to the unit it reports each source in.
#[test]
fn rates_come_from_the_factors_the_inventory_resolved() {
    let catalog = catalog();
    let (sites, sources) = (sites(), project_sources());
    let mut b = InventoryBuilder::new(Context {
        year: 2024,
        gwp: GwpSet::AR6,
        boundary: Boundary::OperationalControl,
        sites: &sites,
        sources: &sources,
        catalog: &catalog,
    });
    for (i, (source_id, qty, unit)) in [(1, "1000000", Unit::KWh), (2, "200000", Unit::M3)]
        .iter()
        .enumerate()
    {
        b.push(&ActivityInput {
            id: i as i64 + 1,
            version: 1,
            source_id: *source_id,
            from: NaiveDate::from_ymd_opt(2024, 1, 1).unwrap(),
            to: NaiveDate::from_ymd_opt(2024, 12, 31).unwrap(),
            quantity: d(qty),
            unit: *unit,
        });
    }
    let resolved = b.resolved();
    assert_eq!(
        resolved.iter().map(|r| r.source_id).collect::<Vec<_>>(),
        [1, 2],
        "one per source, in the project's order"
    );
    assert_eq!(
        resolved[0].market.as_ref().map(|f| f.id.as_str()),
        Some("CN-RESIDUAL-2023"),
        "the market factor the inventory chose"
    );
    let inv = b.finish();
    let from_inventory = abatement::rates_of(&inv, &resolved);
    assert_eq!(from_inventory, rates_of(&base_2024()));
    // a source whose factor is missing has no rate: abatement names it instead of using zero
    let mut no_factor = resolved.clone();
    no_factor[1].location = None;
    let partial = abatement::rates_of(&inv, &no_factor);
    assert_eq!(
        partial
            .iter()
            .map(|r| r.source.as_str())
            .collect::<Vec<_>>(),
        ["Grid power"]
    );
}

// ---------------------------------------------------------------------------------------------
// LMDI

/// rust_decimal's `ln` against 40-digit values from Python's decimal module: the absolute error
/// stays below 2 × 10^-26 over 10^-20 … 7.9 × 10^28 (measured maximum 1.8 × 10^-26, at the top).
#[test]
fn ln_precision_is_measured() {
    let references = [
        (
            "0.00000000000000000001",
            "-46.0517018598809136803598290936872841520220",
        ),
        (
            "0.0000000001",
            "-23.0258509299404568401799145468436420760110",
        ),
        ("0.001", "-6.9077552789821370520539743640530926228033"),
        ("0.123456789", "-2.0918640707783931229679897441960736586962"),
        ("0.5", "-0.6931471805599453094172321214581765680755"),
        ("0.75", "-0.2876820724517809274392190059938274315035"),
        ("0.9", "-0.1053605156578263012275009808393127983061"),
        ("0.999999", "-0.0000010000005000003333335833335333335000"),
        (
            "0.9999999999",
            "-0.0000000001000000000050000000003333333334",
        ),
        ("1.0000000001", "0.0000000000999999999950000000003333333333"),
        ("1.000001", "0.0000009999995000003333330833335333331667"),
        ("1.08", "0.0769610411361283249842170443152018348913"),
        ("1.5", "0.4054651081081643819780131154643491365720"),
        ("2", "0.6931471805599453094172321214581765680755"),
        ("3.5", "1.2527629684953679956881206219850031615616"),
        ("10", "2.3025850929940456840179914546843642076011"),
        ("12345.678", "9.4210613212918319765267839910714460489418"),
        ("10000000000", "23.0258509299404568401799145468436420760110"),
        (
            "100000000000000000000",
            "46.0517018598809136803598290936872841520220",
        ),
        (
            "79228162514264337593543950335",
            "66.5421293337547497040542836599723287607645",
        ),
    ];
    let mut worst = Decimal::ZERO;
    for (x, reference) in references {
        let err = (d(x).ln() - d(reference)).abs();
        worst = worst.max(err);
        assert!(
            err <= d("0.00000000000000000000000002"),
            "ln({x}) is off by {err}"
        );
    }
    assert!(
        worst > Decimal::ZERO,
        "the references are precise enough to see the error"
    );
}

/// 2024 → 2025 of the hand-made factory, output 400,000 → 420,000 pcs: the grid factor is the
/// same both years, so the grid line has no factor effect; the three effects add up.
#[test]
fn the_change_between_two_inventories_decomposes() {
    let base = base_2024();
    let y2025 = inventory(2025, &[(1, "950000", Unit::KWh), (2, "180000", Unit::M3)]);
    let pairs: Vec<SourcePair> = base
        .sources
        .iter()
        .zip(&y2025.sources)
        .map(|(a, b)| SourcePair {
            source: a.source.clone(),
            activity_from: a.quantity,
            activity_to: b.quantity,
            tco2e_from: a.tco2e_market,
            tco2e_to: b.tco2e_market,
        })
        .collect();
    let dcmp = lmdi::decompose(2024, 2025, &pairs, Some((d("400000"), d("420000"))));
    let change = y2025.totals.total_market - base.totals.total_market;
    assert_eq!(dcmp.change_tco2e, change);
    let sum = dcmp.volume_tco2e.unwrap() + dcmp.intensity_tco2e.unwrap() + dcmp.factor_tco2e;
    assert!(
        (sum - change).abs() < d("0.000000000000000001"),
        "{sum} vs {change}"
    );
    assert!(
        dcmp.factor_tco2e.abs() < d("0.000000000000000001"),
        "same factors both years: {}",
        dcmp.factor_tco2e
    );
    assert!(
        dcmp.volume_tco2e.unwrap() > Decimal::ZERO && dcmp.intensity_tco2e.unwrap() < Decimal::ZERO
    );
}

/// Activity over realistic magnitudes with zeros: 0 in about one case in six, else up to 10^9
/// with up to 3 decimals.
fn activity() -> impl Strategy<Value = Decimal> {
    prop_oneof![
        1 => Just(Decimal::ZERO),
        5 => (1i64..1_000_000_000_000i64, 0u32..4).prop_map(|(m, s)| Decimal::new(m, s)),
    ]
}

/// kg CO2e per unit: 0 in about one case in eight, else 0.0001 … 100.
fn kg_per_unit() -> impl Strategy<Value = Decimal> {
    prop_oneof![
        1 => Just(Decimal::ZERO),
        7 => (1i64..1_000_000i64).prop_map(|m| Decimal::new(m, 4)),
    ]
}

fn source_pair() -> impl Strategy<Value = SourcePair> {
    (activity(), activity(), kg_per_unit(), kg_per_unit()).prop_map(|(e0, e1, f0, f1)| SourcePair {
        source: String::new(),
        activity_from: e0,
        activity_to: e1,
        tco2e_from: e0 * f0 / Decimal::ONE_THOUSAND,
        tco2e_to: e1 * f1 / Decimal::ONE_THOUSAND,
    })
}

fn output() -> impl Strategy<Value = Option<(Decimal, Decimal)>> {
    prop_oneof![
        1 => Just(None),
        4 => ((1i64..10_000_000_000i64), (1i64..10_000_000_000i64), 0u32..3)
            .prop_map(|(a, b, s)| Some((Decimal::new(a, s), Decimal::new(b, s)))),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    /// The effects add up to the change, per source and in total, to 0.001 t (the precision
    /// they are shown at), for random projects of 1–30 sources with zeros.
    #[test]
    fn lmdi_effects_add_up_to_the_change(sources in prop::collection::vec(source_pair(), 1..=30), q in output()) {
        let dcmp = lmdi::decompose(2024, 2025, &sources, q);
        let tol = Decimal::new(1, 3);
        let total: Decimal = sources.iter().map(|s| s.tco2e_to - s.tco2e_from).sum();
        prop_assert_eq!(dcmp.change_tco2e, total);
        let effects = dcmp.volume_tco2e.unwrap_or_default() + dcmp.intensity_tco2e.unwrap_or_default()
            + dcmp.activity_tco2e.unwrap_or_default() + dcmp.factor_tco2e;
        prop_assert!((effects - total).abs() <= tol, "effects {} vs change {}", effects, total);
        for line in &dcmp.sources {
            let sum = line.volume_tco2e.unwrap_or_default() + line.intensity_tco2e.unwrap_or_default()
                + line.activity_tco2e.unwrap_or_default() + line.factor_tco2e;
            prop_assert!((sum - line.change_tco2e).abs() <= tol, "{:?}", line);
        }
        prop_assert!(dcmp.issues.iter().all(|i| i.code != "LMDI_UNEXPLAINED"), "consistent data decomposes: {:?}", dcmp.issues);
    }

    /// One source whose activity and output stay while its factor changes: the whole change is
    /// the factor effect, volume and intensity exactly zero.
    #[test]
    fn lmdi_a_factor_change_alone_is_all_factor(e in 1i64..1_000_000_000_000i64, f0 in 1i64..1_000_000i64, f1 in 1i64..1_000_000i64, q in 1i64..1_000_000_000i64) {
        let e = Decimal::new(e, 2);
        let pair = SourcePair {
            source: "s".into(),
            activity_from: e,
            activity_to: e,
            tco2e_from: e * Decimal::new(f0, 4) / Decimal::ONE_THOUSAND,
            tco2e_to: e * Decimal::new(f1, 4) / Decimal::ONE_THOUSAND,
        };
        let change = pair.tco2e_to - pair.tco2e_from;
        let q = Decimal::from(q);
        let dcmp = lmdi::decompose(2024, 2025, &[pair], Some((q, q)));
        prop_assert_eq!(dcmp.volume_tco2e, Some(Decimal::ZERO));
        prop_assert_eq!(dcmp.intensity_tco2e, Some(Decimal::ZERO));
        prop_assert!((dcmp.factor_tco2e - change).abs() <= Decimal::new(1, 12), "{} vs {}", dcmp.factor_tco2e, change);
    }
}

// ---------------------------------------------------------------------------------------------
// The JSON names of issue 15 (`lingtan reduction --json`)

#[test]
fn results_serialise_with_the_reduction_json_names() {
    let base = base_2024();
    let rates = rates_of(&base);
    let sources = infos(&base);
    let prices = vec![Price::new(&sources[0], d("0.68"), Unit::KWh).unwrap()];
    let ctx = abatement::Context {
        sources: &sources,
        rates: &rates,
        prices: &prices,
        gwp: GwpSet::AR6,
        discount_rate: DiscountRate::default(),
        basis: Basis::Market,
    };
    let pv = Measure {
        name: "Rooftop PV".into(),
        kind: MeasureKind::PvRooftop,
        status: MeasureStatus::InProgress,
        start: Month::new(2025, 7),
        inputs: [
            ("kwp", "120"),
            ("yield", "1050"),
            ("self-consumption", "85"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), InputValue::Number(d(v))))
        .collect(),
        sources: BTreeMap::new(),
        changes: vec![],
        capex: d("480000"),
        opex: d("2400"),
        lifetime: None,
        meter: None,
    };
    let r = abatement::evaluate(&pv, &ctx).unwrap();
    let json: serde_json::Value = serde_json::to_value(&r).unwrap();
    for key in [
        "name",
        "kind",
        "status",
        "start",
        "changes",
        "abatement_tco2e",
        "capex",
        "opex",
        "savings",
        "lifetime",
        "crf",
        "annualised_cost",
        "mac",
        "npv",
        "payback_years",
        "achieved_tco2e",
    ] {
        assert!(json.get(key).is_some(), "measure JSON has '{key}': {json}");
    }
    assert_eq!(json["kind"], "pv-rooftop");
    assert_eq!(json["status"], "in-progress");
    assert_eq!(json["start"], "2025-07");
    assert_eq!(json["changes"][0]["source"], "Grid power");
    assert_eq!(
        json["changes"][0]["quantity"], "-107100.00",
        "decimals as strings"
    );
    assert_eq!(json["changes"][0]["unit"], "kWh");
    assert_eq!(
        json["abatement_tco2e"], "65.288160",
        "market basis: 107,100 kWh × 0.6096"
    );
    assert!(
        json["achieved_tco2e"].is_null(),
        "filled by progress, null until then"
    );
}
