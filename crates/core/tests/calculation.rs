//! The inventory calculation, checked against figures worked out by hand.

use chrono::NaiveDate;
use lingtan_core::calc::{ActivityInput, Catalog, Context, InventoryBuilder, MarketBasis};
use lingtan_core::factor::{
    EmissionFactor, FactorCategory, FuelProperty, FuelUse, GridRole, Origin, PropertyKind,
};
use lingtan_core::{Boundary, Decimal, GwpSet, Severity, Site, Source, SourceKind, Unit};
use std::collections::BTreeMap;

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn date(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

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
        gases: gases
            .iter()
            .map(|(g, v)| (g.to_string(), d(v)))
            .collect::<BTreeMap<_, _>>(),
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

fn grid(id: &str, region: &str, role: GridRole, year: i32, co2: &str) -> EmissionFactor {
    EmissionFactor {
        category: FactorCategory::Electricity,
        role: Some(role),
        region: Some(region.into()),
        year: Some(year),
        ..factor(id, Unit::KWh, &[("CO2", co2)])
    }
}

fn catalog() -> Catalog {
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
            grid(
                "EAST-2022",
                "CN-East",
                GridRole::GridAverage,
                2022,
                "0.5617",
            ),
            grid(
                "EAST-2023",
                "CN-East",
                GridRole::GridAverage,
                2023,
                "0.5500",
            ),
            grid("CN-2023", "CN", GridRole::GridAverage, 2023, "0.5306"),
            grid(
                "CN-RESIDUAL-2023",
                "CN",
                GridRole::ResidualMix,
                2023,
                "0.6096",
            ),
            factor("FREIGHT", Unit::TKm, &[]),
        ]
        .into_iter()
        .map(|mut f| {
            if f.id == "FREIGHT" {
                f.gases.clear();
                f.co2e = Some(d("0.1"));
            }
            f
        })
        .collect(),
        vec![ncv],
    )
}

fn site(id: i64, name: &str, region: Option<&str>) -> Site {
    Site {
        id,
        name: name.into(),
        grid_region: region.map(String::from),
        address: None,
        equity_pct: None,
    }
}

fn source(id: i64, name: &str, kind: SourceKind, fuel: Option<&str>) -> Source {
    Source {
        id,
        name: name.into(),
        site_id: 1,
        kind,
        fuel: fuel.map(String::from),
        factor_id: None,
        market_factor_id: None,
        unit: None,
        uncertainty_pct: None,
    }
}

fn activity(id: i64, source_id: i64, from: &str, to: &str, qty: &str, unit: Unit) -> ActivityInput {
    ActivityInput {
        id,
        version: 1,
        source_id,
        from: date(from),
        to: date(to),
        quantity: d(qty),
        unit,
    }
}

/// Natural gas: 100,000 m3 × NCV 389.31 GJ / 10^4 Nm3 = 3.8931 TJ;
/// CO2 3.8931 × 56,100 = 218,402.91 kg; CH4 3.8931 kg × 29.8 = 116.01438 kg CO2e;
/// N2O 0.38931 kg × 273 = 106.28163 kg CO2e; total 218.62520601 tCO2e (AR6).
#[test]
fn worked_example_natural_gas_ar6_to_the_last_digit() {
    let cat = catalog();
    let sites = [site(1, "Plant", Some("CN-East"))];
    let sources = [source(
        10,
        "Oven gas",
        SourceKind::StationaryCombustion,
        Some("natural-gas"),
    )];
    let ctx = Context {
        year: 2024,
        gwp: GwpSet::AR6,
        boundary: Boundary::OperationalControl,
        sites: &sites,
        sources: &sources,
        catalog: &cat,
    };
    let mut b = InventoryBuilder::new(ctx).keep_lines(true);
    b.push(&activity(
        1,
        10,
        "2024-03-01",
        "2024-03-31",
        "100000",
        Unit::M3,
    ));
    let inv = b.finish();
    let s = &inv.sources[0];
    assert_eq!(
        s.gases["CO2"],
        d("218.40291"),
        "worked example natural gas ar6 to the last digit"
    );
    assert_eq!(
        s.gases["CH4-fossil"],
        d("0.0038931"),
        "worked example natural gas ar6 to the last digit"
    );
    assert_eq!(
        s.gases["N2O"],
        d("0.00038931"),
        "worked example natural gas ar6 to the last digit"
    );
    assert_eq!(
        s.tco2e,
        d("218.62520601"),
        "worked example natural gas ar6 to the last digit"
    );
    assert_eq!(
        inv.totals.scope1,
        d("218.62520601"),
        "worked example natural gas ar6 to the last digit"
    );
    assert_eq!(
        inv.categories[&1],
        d("218.62520601"),
        "worked example natural gas ar6 to the last digit"
    );
    assert_eq!(inv.months[2].scope1, d("218.62520601"), "all in March");
    assert_eq!(
        s.quantity,
        d("100000"),
        "worked example natural gas ar6 to the last digit"
    );
    assert_eq!(
        s.unit,
        Unit::M3,
        "worked example natural gas ar6 to the last digit"
    );
    assert_eq!(s.properties[0].id, "CN-NCV-NG", "the NCV used is cited");
    assert_eq!(
        inv.lines.len(),
        1,
        "worked example natural gas ar6 to the last digit"
    );
    assert_eq!(
        inv.lines[0].tco2e,
        d("218.62520601"),
        "worked example natural gas ar6 to the last digit"
    );
    assert_eq!(
        inv.lines[0].factor.id, "IPCC-NG",
        "worked example natural gas ar6 to the last digit"
    );
    assert!(
        inv.issues.iter().all(|i| i.severity != Severity::Error),
        "worked example natural gas ar6 to the last digit: {:?}",
        inv.issues
    );
}

#[test]
fn the_same_gas_under_ar5_and_ar4() {
    let cat = catalog();
    let sites = [site(1, "Plant", Some("CN-East"))];
    let sources = [source(
        10,
        "Oven gas",
        SourceKind::StationaryCombustion,
        Some("natural-gas"),
    )];
    for (gwp, expected) in [
        // 218.40291 + 0.0038931 × 30 (0.116793) + 0.00038931 × 265 (0.10316715)
        (GwpSet::AR5, "218.62287015"),
        // 218.40291 + 0.0038931 × 25 (0.0973275) + 0.00038931 × 298 (0.11601438)
        (GwpSet::AR4, "218.61625188"),
    ] {
        let ctx = Context {
            year: 2024,
            gwp,
            boundary: Boundary::OperationalControl,
            sites: &sites,
            sources: &sources,
            catalog: &cat,
        };
        let mut b = InventoryBuilder::new(ctx);
        b.push(&activity(
            1,
            10,
            "2024-03-01",
            "2024-03-31",
            "100000",
            Unit::M3,
        ));
        assert_eq!(
            b.finish().totals.scope1,
            d(expected),
            "the same gas under ar5 and ar4: {gwp}"
        );
    }
}

#[test]
fn electricity_both_ways_with_a_bill_across_the_year_end() {
    let cat = catalog();
    let sites = [site(1, "Plant", Some("CN-East"))];
    let sources = [source(20, "Grid power", SourceKind::Electricity, None)];
    let ctx = Context {
        year: 2024,
        gwp: GwpSet::AR6,
        boundary: Boundary::OperationalControl,
        sites: &sites,
        sources: &sources,
        catalog: &cat,
    };
    let mut b = InventoryBuilder::new(ctx);
    // 31 days, 11 in 2023 and 20 in 2024: 2024 takes 20,000 kWh
    b.push(&activity(
        1,
        20,
        "2023-12-21",
        "2024-01-20",
        "31000",
        Unit::KWh,
    ));
    b.push(&activity(
        2,
        20,
        "2024-01-21",
        "2024-02-20",
        "100",
        Unit::MWh,
    ));
    let inv = b.finish();
    let s = &inv.sources[0];
    assert_eq!(s.quantity, d("120000"), "20,000 kWh + 100 MWh in kWh");
    assert_eq!(
        s.factor.as_ref().unwrap().id,
        "EAST-2023",
        "nearest year not after 2024"
    );
    assert_eq!(
        inv.totals.scope2_location,
        d("66.0"),
        "electricity both ways with a bill across the year end: 120,000 × 0.55 / 1000"
    );
    assert_eq!(
        inv.totals.scope2_market,
        d("73.152"),
        "electricity both ways with a bill across the year end: 120,000 × 0.6096 / 1000"
    );
    assert_eq!(
        s.market_basis,
        Some(MarketBasis::ResidualMix),
        "electricity both ways with a bill across the year end"
    );
    assert_eq!(
        inv.totals.total_location,
        d("66.0"),
        "electricity both ways with a bill across the year end"
    );
    assert_eq!(
        inv.totals.total_market,
        d("73.152"),
        "electricity both ways with a bill across the year end"
    );
    assert!(
        inv.issues.iter().any(|i| i.code == "FACTOR_YEAR_DIFFERS"),
        "a 2023 factor for 2024 is disclosed"
    );
    assert!(
        inv.issues
            .iter()
            .any(|i| i.code == "S2_MARKET_RESIDUAL_MIX"),
        "electricity both ways with a bill across the year end"
    );
    // January: 20,000 + 100,000 × 11/31; February: 100,000 × 20/31
    let jan = inv.months[0].scope2_location;
    let feb = inv.months[1].scope2_location;
    assert_eq!(jan + feb, d("66.0"), "months add back to the total");
}

#[test]
fn market_based_falls_back_to_the_grid_with_a_disclosure() {
    let cat = Catalog::new(
        vec![grid(
            "EAST-2023",
            "CN-East",
            GridRole::GridAverage,
            2023,
            "0.55",
        )],
        vec![],
    );
    let sites = [site(1, "Plant", Some("CN-East"))];
    let sources = [source(20, "Grid power", SourceKind::Electricity, None)];
    let ctx = Context {
        year: 2023,
        gwp: GwpSet::AR6,
        boundary: Boundary::OperationalControl,
        sites: &sites,
        sources: &sources,
        catalog: &cat,
    };
    let mut b = InventoryBuilder::new(ctx);
    b.push(&activity(
        1,
        20,
        "2023-05-01",
        "2023-05-31",
        "1000",
        Unit::KWh,
    ));
    let inv = b.finish();
    assert_eq!(
        inv.totals.scope2_market,
        d("0.55"),
        "market based falls back to the grid with a disclosure"
    );
    assert_eq!(
        inv.sources[0].market_basis,
        Some(MarketBasis::GridFallback),
        "market based falls back to the grid with a disclosure"
    );
    assert!(
        inv.issues
            .iter()
            .any(|i| i.code == "S2_MARKET_GRID_FALLBACK" && i.severity == Severity::Warning),
        "market based falls back to the grid with a disclosure"
    );
}

#[test]
fn refrigerant_blends_split_into_their_gases_and_r22_is_reported_apart() {
    let cat = catalog();
    let sites = [site(1, "Plant", Some("CN-East"))];
    let sources = [
        source(30, "Split AC", SourceKind::Fugitive, Some("R-410A")),
        source(31, "Old chiller", SourceKind::Fugitive, Some("R-22")),
    ];
    let ctx = Context {
        year: 2024,
        gwp: GwpSet::AR6,
        boundary: Boundary::OperationalControl,
        sites: &sites,
        sources: &sources,
        catalog: &cat,
    };
    let mut b = InventoryBuilder::new(ctx);
    b.push(&activity(
        1,
        30,
        "2024-06-18",
        "2024-06-18",
        "3.5",
        Unit::Kg,
    ));
    b.push(&activity(2, 31, "2024-07-01", "2024-07-01", "2", Unit::Kg));
    let inv = b.finish();
    // 1.75 kg HFC-32 × 771 + 1.75 kg HFC-125 × 3740 = 7,894.25 kg
    assert_eq!(
        inv.sources[0].tco2e,
        d("7.89425"),
        "refrigerant blends split into their gases and r22 is reported apart"
    );
    assert_eq!(
        inv.sources[0].gases["HFC-32"],
        d("0.00175"),
        "refrigerant blends split into their gases and r22 is reported apart"
    );
    assert_eq!(inv.totals.scope1, d("7.89425"), "R-22 is not in the total");
    assert_eq!(inv.totals.non_kyoto, d("3.92"), "2 kg × 1960");
    assert!(
        inv.issues
            .iter()
            .any(|i| i.code == "NON_KYOTO_REPORTED_APART"),
        "refrigerant blends split into their gases and r22 is reported apart"
    );
}

#[test]
fn a_source_without_a_factor_is_an_error_that_names_it() {
    let cat = catalog();
    let sites = [site(1, "Plant", None)];
    let sources = [
        source(40, "Kiln process CO2", SourceKind::Process, None),
        source(41, "Office power", SourceKind::Electricity, None),
    ];
    let ctx = Context {
        year: 2024,
        gwp: GwpSet::AR6,
        boundary: Boundary::OperationalControl,
        sites: &sites,
        sources: &sources,
        catalog: &cat,
    };
    let mut b = InventoryBuilder::new(ctx);
    b.push(&activity(1, 40, "2024-01-01", "2024-01-31", "10", Unit::T));
    b.push(&activity(
        2,
        41,
        "2024-01-01",
        "2024-01-31",
        "10",
        Unit::KWh,
    ));
    let inv = b.finish();
    let missing: Vec<_> = inv
        .issues
        .iter()
        .filter(|i| i.code == "FACTOR_MISSING")
        .collect();
    assert_eq!(
        missing.len(),
        2,
        "a source without a factor is an error that names it: {:?}",
        inv.issues
    );
    assert!(
        missing.iter().all(|i| i.severity == Severity::Error),
        "a source without a factor is an error that names it"
    );
    assert!(
        missing.iter().any(|i| i.place.contains("Kiln process CO2")),
        "a source without a factor is an error that names it"
    );
    assert!(
        missing
            .iter()
            .any(|i| i.place.contains("Office power") && i.en.contains("grid region")),
        "a source without a factor is an error that names it"
    );
    assert_eq!(
        inv.sources[0].quantity,
        d("10"),
        "the quantity is still reported"
    );
}

#[test]
fn co2e_only_factors_and_approach_1_uncertainty() {
    let mut cat_factors = vec![EmissionFactor {
        co2e: Some(d("0.1")),
        ..factor("FREIGHT", Unit::TKm, &[])
    }];
    cat_factors[0].uncertainty_pct = Some(d("30"));
    cat_factors.push(grid(
        "EAST-2024",
        "CN-East",
        GridRole::GridAverage,
        2024,
        "0.5",
    ));
    let cat = Catalog::new(cat_factors, vec![]);
    let sites = [site(1, "Plant", Some("CN-East"))];
    let mut freight = source(50, "Inbound freight", SourceKind::Scope3(4), None);
    freight.factor_id = Some("FREIGHT".into());
    freight.uncertainty_pct = Some(d("40"));
    let mut power = source(51, "Power", SourceKind::Electricity, None);
    power.uncertainty_pct = Some(d("2"));
    let sources = [freight, power];
    let ctx = Context {
        year: 2024,
        gwp: GwpSet::AR6,
        boundary: Boundary::OperationalControl,
        sites: &sites,
        sources: &sources,
        catalog: &cat,
    };
    let mut b = InventoryBuilder::new(ctx);
    b.push(&activity(
        1,
        50,
        "2024-01-01",
        "2024-12-31",
        "1000000",
        Unit::TKm,
    ));
    b.push(&activity(
        2,
        51,
        "2024-01-01",
        "2024-12-31",
        "600000",
        Unit::KWh,
    ));
    let inv = b.finish();
    assert_eq!(
        inv.totals.scope3,
        d("100"),
        "co2e only factors and approach 1 uncertainty"
    );
    assert_eq!(
        inv.categories[&3],
        d("100"),
        "scope 3 cat 4 is ISO category 3"
    );
    assert_eq!(
        inv.sources[0].gases["CO2e"],
        d("100"),
        "co2e only factors and approach 1 uncertainty"
    );
    // freight: sqrt(40² + 30²) = 50 %; power 2 %
    assert_eq!(
        inv.sources[0].uncertainty_pct,
        Some(d("50")),
        "co2e only factors and approach 1 uncertainty"
    );
    // total: sqrt((50 × 100)² + (2 × 300)²) / 400 = sqrt(25,360,000) / 400 = 12.5897…%
    let total = inv.uncertainty.total_location_pct.unwrap();
    assert_eq!(
        total.round_dp(4),
        d("12.5897"),
        "co2e only factors and approach 1 uncertainty"
    );
    assert!(
        inv.uncertainty.not_assessed.is_empty(),
        "co2e only factors and approach 1 uncertainty"
    );
}

#[test]
fn overlapping_records_and_missing_months_are_reported() {
    let cat = catalog();
    let sites = [site(1, "Plant", Some("CN-East"))];
    let sources = [source(20, "Grid power", SourceKind::Electricity, None)];
    let ctx = Context {
        year: 2024,
        gwp: GwpSet::AR6,
        boundary: Boundary::OperationalControl,
        sites: &sites,
        sources: &sources,
        catalog: &cat,
    };
    let mut b = InventoryBuilder::new(ctx);
    b.push(&activity(
        1,
        20,
        "2024-01-01",
        "2024-01-31",
        "1000",
        Unit::KWh,
    ));
    b.push(&activity(
        2,
        20,
        "2024-01-01",
        "2024-01-31",
        "1000",
        Unit::KWh,
    ));
    b.push(&activity(
        3,
        20,
        "2024-01-15",
        "2024-02-14",
        "1000",
        Unit::KWh,
    ));
    let inv = b.finish();
    assert!(
        inv.issues
            .iter()
            .any(|i| i.code == "ACTIVITY_DUPLICATE" && i.en.contains("#1") && i.en.contains("#2")),
        "overlapping records and missing months are reported"
    );
    assert!(
        inv.issues
            .iter()
            .any(|i| i.code == "ACTIVITY_OVERLAP" && i.en.contains("#3")),
        "overlapping records and missing months are reported"
    );
    let gap = inv
        .issues
        .iter()
        .find(|i| i.code == "MONTHS_WITHOUT_DATA")
        .unwrap();
    assert!(
        gap.en.contains("3, 4, 5"),
        "overlapping records and missing months are reported: {}",
        gap.en
    );
}

#[test]
fn a_unit_of_the_wrong_dimension_is_refused_for_the_source() {
    let cat = catalog();
    let sites = [site(1, "Plant", Some("CN-East"))];
    let sources = [source(20, "Grid power", SourceKind::Electricity, None)];
    let ctx = Context {
        year: 2024,
        gwp: GwpSet::AR6,
        boundary: Boundary::OperationalControl,
        sites: &sites,
        sources: &sources,
        catalog: &cat,
    };
    let mut b = InventoryBuilder::new(ctx);
    assert!(
        b.check_unit(20, Unit::MWh).is_ok(),
        "a unit of the wrong dimension is refused for the source"
    );
    assert!(
        b.check_unit(20, Unit::M3).is_err(),
        "m3 of electricity makes no sense"
    );
}

#[test]
fn equity_share_scales_a_site() {
    let cat = catalog();
    let mut s = site(1, "JV plant", Some("CN-East"));
    s.equity_pct = Some(d("40"));
    let sites = [s];
    let sources = [source(20, "Grid power", SourceKind::Electricity, None)];
    let ctx = Context {
        year: 2024,
        gwp: GwpSet::AR6,
        boundary: Boundary::EquityShare,
        sites: &sites,
        sources: &sources,
        catalog: &cat,
    };
    let mut b = InventoryBuilder::new(ctx);
    b.push(&activity(
        1,
        20,
        "2024-01-01",
        "2024-01-31",
        "1000",
        Unit::KWh,
    ));
    assert_eq!(
        b.finish().totals.scope2_location,
        d("0.22"),
        "equity share scales a site: 1000 × 0.55 × 40 %"
    );
}

/// A rooftop PV's generation is recorded on an `onsite-generation` source: its kWh are kept (the
/// reduction step measures what they displaced) and it adds nothing to any total, with no
/// missing-factor error and nothing on the market basis.
#[test]
fn onsite_generation_holds_its_kwh_and_emits_nothing() {
    let cat = catalog();
    let sites = [site(1, "Plant", Some("CN-East"))];
    let sources = [
        source(1, "Grid power", SourceKind::Electricity, None),
        source(2, "Rooftop PV", SourceKind::OnsiteGeneration, None),
    ];
    let ctx = Context {
        year: 2024,
        gwp: GwpSet::AR6,
        boundary: Boundary::OperationalControl,
        sites: &sites,
        sources: &sources,
        catalog: &cat,
    };
    let mut b = InventoryBuilder::new(ctx).keep_lines(true);
    b.push(&activity(
        1,
        1,
        "2024-07-01",
        "2024-07-31",
        "10000",
        Unit::KWh,
    ));
    b.push(&activity(
        2,
        2,
        "2024-07-01",
        "2024-07-31",
        "3.5",
        Unit::MWh,
    ));
    let inv = b.finish();
    let pv = inv
        .sources
        .iter()
        .find(|s| s.source == "Rooftop PV")
        .unwrap();
    assert_eq!(
        (pv.quantity, pv.unit),
        (d("3.5"), Unit::MWh),
        "the generation is kept as recorded"
    );
    assert_eq!(
        (pv.tco2e, pv.tco2e_market),
        (Decimal::ZERO, Decimal::ZERO),
        "PV burns nothing"
    );
    assert_eq!(
        pv.factor.as_ref().map(|f| f.id.as_str()),
        Some("ONSITE-GENERATION"),
        "the zero factor is named, so the line is traceable"
    );
    assert!(pv.gases.is_empty(), "no gas of zero tonnes is listed");
    assert_eq!(inv.totals.scope1, Decimal::ZERO, "nothing added to scope 1");
    assert_eq!(
        inv.totals.total_location,
        d("5.5"),
        "only the grid's 10,000 × 0.55"
    );
    assert!(
        !inv.issues
            .iter()
            .any(|i| i.place.contains("Rooftop PV") && i.severity == Severity::Error),
        "no missing-factor error for the generation: {:?}",
        inv.issues
    );
    assert!(
        !inv.issues
            .iter()
            .any(|i| i.place.contains("Rooftop PV") && i.code == "MONTHS_WITHOUT_DATA"),
        "a plant commissioned mid-year is not asked for the months before"
    );
}
