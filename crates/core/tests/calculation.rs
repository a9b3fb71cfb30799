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
        missing.iter().any(|i| i.place.contains("Office power")
            && i.message(lingtan_core::Lang::En).contains("grid region")),
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
        inv.issues.iter().any(|i| i.code == "ACTIVITY_DUPLICATE"
            && i.message(lingtan_core::Lang::En).contains("#1")
            && i.message(lingtan_core::Lang::En).contains("#2")),
        "overlapping records and missing months are reported"
    );
    assert!(
        inv.issues
            .iter()
            .any(|i| i.code == "ACTIVITY_OVERLAP"
                && i.message(lingtan_core::Lang::En).contains("#3")),
        "overlapping records and missing months are reported"
    );
    let gap = inv
        .issues
        .iter()
        .find(|i| i.code == "MONTHS_WITHOUT_DATA")
        .unwrap();
    assert!(
        gap.message(lingtan_core::Lang::En).contains("3, 4, 5"),
        "overlapping records and missing months are reported: {}",
        gap.message(lingtan_core::Lang::En)
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

// ---------------------------------------------------------------------------------------------
// Market-based scope 2 after energy attribute certificates

mod certificates {
    use super::*;
    use lingtan_core::calc::Inventory;
    use lingtan_core::offset::eac::{
        self, Acquisition, Eac, EacAssessment, EacContext, EacType, SiteMarket, Technology,
    };
    use lingtan_core::offset::{Status, YearMonth};

    fn gec(id: &str, mwh: &str, sites: &[&str], status: Status) -> Eac {
        let retired = status == Status::Retired;
        Eac {
            kind: EacType::Gec,
            id: id.into(),
            mwh: d(mwh),
            from: YearMonth::parse("2024-01").unwrap(),
            to: YearMonth::parse("2024-02").unwrap(),
            sites: sites.iter().map(|s| s.to_string()).collect(),
            technology: Some(Technology::Wind),
            plant: None,
            region: Some("内蒙古".into()),
            tradable: Some(true),
            subsidy: Some(false),
            acquired: Some(Acquisition::Purchase),
            status,
            retired: retired.then(|| date("2024-03-10")),
            beneficiary: retired.then(|| "Anji Demo Co".to_string()),
            for_year: None,
            evidence: None,
        }
    }

    fn assess(eacs: &[Eac], sites: &[Site]) -> Vec<EacAssessment> {
        let org = vec!["Anji Demo Co".to_string()];
        let markets: Vec<SiteMarket> = sites.iter().map(SiteMarket::of).collect();
        eac::assess(
            eacs,
            &EacContext {
                year: 2024,
                organisation: &org,
                sites: &markets,
                ccer_projects: &[],
            },
        )
    }

    fn two_sites() -> ([Site; 2], [Source; 2]) {
        let sites = [
            site(1, "A plant", Some("CN-East")),
            site(2, "B warehouse", Some("CN-East")),
        ];
        let sources = [
            source(20, "A grid", SourceKind::Electricity, None),
            Source {
                site_id: 2,
                ..source(21, "B grid", SourceKind::Electricity, None)
            },
        ];
        (sites, sources)
    }

    /// A: 10,000 kWh in January, 20,000 in February; B: 5,000 in January. Grid EAST-2023 0.55,
    /// residual mix CN-RESIDUAL-2023 0.6096 kg/kWh.
    fn run(eacs: &[Eac], with: bool, keep_lines: bool) -> Inventory {
        let cat = catalog();
        let (sites, sources) = two_sites();
        let assessments = assess(eacs, &sites);
        let ctx = Context {
            year: 2024,
            gwp: GwpSet::AR6,
            boundary: Boundary::OperationalControl,
            sites: &sites,
            sources: &sources,
            catalog: &cat,
        };
        let mut b = InventoryBuilder::new(ctx).keep_lines(keep_lines);
        if with {
            b = b.certificates(eacs, &assessments);
        }
        b.push(&activity(
            1,
            20,
            "2024-01-01",
            "2024-01-31",
            "10000",
            Unit::KWh,
        ));
        b.push(&activity(
            2,
            20,
            "2024-02-01",
            "2024-02-29",
            "20",
            Unit::MWh,
        ));
        b.push(&activity(
            3,
            21,
            "2024-01-01",
            "2024-01-31",
            "5000",
            Unit::KWh,
        ));
        b.finish()
    }

    /// Worked by hand. g1 (15 MWh, site A only) goes first (fewer sites): A January 10,000 kWh,
    /// then 5,000 of A February. g2 (8 MWh, any site) fills the rest of A February in site order
    /// (8,000 of its remaining 15,000). g3 (100 MWh) is held: ✗ EAC_NOT_RETIRED, left out. B is
    /// not covered: its 5,000 kWh keep the residual mix.
    ///   before: A 30,000 × 0.6096 / 1000 = 18.288; B 5,000 × 0.6096 / 1000 = 3.048; 21.336
    ///   after:  A January 0; A February (20,000 − 13,000) × 0.6096 / 1000 = 4.2672; B 3.048;
    ///           7.3152
    ///   location-based: 35,000 × 0.55 / 1000 = 19.25 before and after.
    #[test]
    fn partial_cover_of_one_site_another_uncovered_one_excluded_to_the_last_digit() {
        let eacs = [
            gec("g1", "15", &["A plant"], Status::Retired),
            gec("g2", "8", &[], Status::Retired),
            gec("g3", "100", &[], Status::Held),
        ];
        let inv = run(&eacs, true, true);
        let t = &inv.totals;
        assert_eq!(
            t.scope2_location,
            d("19.25"),
            "location-based never changes"
        );
        assert_eq!(
            t.scope2_market,
            d("7.3152"),
            "21.336 − 23,000 kWh × 0.6096 / 1000"
        );
        assert_eq!(t.total_market, d("7.3152"));
        assert_eq!(inv.category2_market, d("7.3152"));
        let a = &inv.sources[0];
        assert_eq!(a.market_basis, Some(MarketBasis::Eac));
        assert_eq!(
            a.uncovered_basis,
            Some(MarketBasis::ResidualMix),
            "the 7,000 uncovered kWh keep the residual mix"
        );
        assert_eq!(a.eac_kwh, d("23000"), "10,000 + 13,000 kWh covered");
        assert_eq!(a.tco2e_market, d("4.2672"));
        assert_eq!(a.tco2e, d("16.5"), "30,000 × 0.55 / 1000, unchanged");
        assert_eq!(a.months_market[0], Decimal::ZERO, "January fully covered");
        assert_eq!(a.months_market[1], d("4.2672"));
        let b = &inv.sources[1];
        assert_eq!(
            b.market_basis,
            Some(MarketBasis::ResidualMix),
            "B uncovered"
        );
        assert_eq!(b.eac_kwh, Decimal::ZERO);
        assert_eq!(b.tco2e_market, d("3.048"));
        assert_eq!(inv.months[0].scope2_market, d("3.048"), "January: B only");
        assert_eq!(inv.months[1].scope2_market, d("4.2672"));
        let site_a = inv.sites.iter().find(|s| s.site == "A plant").unwrap();
        assert_eq!(site_a.scope2_market, d("4.2672"));
        assert_eq!(site_a.total_market, d("4.2672"));

        let e = inv.eac.as_ref().expect("certificates were given");
        assert_eq!(e.scope2_market_before_eac, d("21.336"));
        let f = e.allocation.figures();
        assert_eq!(f.mwh_retired, d("23"), "g3 is held: not counted as retired");
        assert_eq!(f.mwh_used, d("23"));
        assert_eq!(f.mwh_unused, Decimal::ZERO);
        assert_eq!(f.kwh_covered, d("23000"));
        // what the certificates took off each source, as the workbook's live formula shows it
        let market: Vec<(&str, Decimal, Decimal, Decimal)> = e
            .market
            .iter()
            .map(|m| (m.place.as_str(), m.kwh, m.market_kgco2e_per_kwh, m.tco2e))
            .collect();
        assert_eq!(
            market,
            vec![("A plant / A grid", d("23000"), d("0.6096"), d("14.0208"))],
            "23,000 kWh × 0.6096 kg ÷ 1000 off A only (B is not covered)"
        );
        let taken: Decimal = e.market.iter().map(|m| m.tco2e).sum();
        assert_eq!(
            e.scope2_market_before_eac - taken,
            inv.totals.scope2_market,
            "before − what the certificates took off = after, exactly"
        );
        let ids: Vec<&str> = e
            .allocation
            .certificates
            .iter()
            .map(|c| c.id.as_str())
            .collect();
        assert_eq!(
            ids,
            vec!["g1", "g2"],
            "the one-site certificate first; g3 excluded"
        );
        assert!(
            inv.issues
                .iter()
                .any(|i| i.code == "S2_MARKET_EAC" && i.place == "A plant / A grid"),
            "the cover is disclosed on the source: {:?}",
            inv.issues
        );

        // each record says which certificate covered its kWh, and the lines add up
        let line = |id: i64| inv.lines.iter().find(|l| l.activity_id == id).unwrap();
        let jan = line(1);
        assert_eq!(jan.eac_kwh, d("10000"));
        assert_eq!(
            jan.eac
                .iter()
                .map(|c| (c.id.as_str(), c.kwh))
                .collect::<Vec<_>>(),
            vec![("g1", d("10000"))]
        );
        assert_eq!(jan.tco2e_market, Decimal::ZERO);
        let feb = line(2);
        assert_eq!(
            feb.eac
                .iter()
                .map(|c| (c.id.as_str(), c.kwh))
                .collect::<Vec<_>>(),
            vec![("g1", d("5000")), ("g2", d("8000"))],
            "20 MWh recorded in MWh, covered in kWh"
        );
        assert_eq!(feb.tco2e_market, d("4.2672"));
        assert!(line(3).eac.is_empty(), "B's record is not covered");
        let sum: Decimal = inv.lines.iter().map(|l| l.tco2e_market).sum();
        assert_eq!(
            sum, t.scope2_market,
            "the lines add up to the market-based total"
        );
        let location: Decimal = inv.lines.iter().map(|l| l.tco2e).sum();
        assert_eq!(location, t.scope2_location);
    }

    #[test]
    fn without_certificates_every_figure_is_what_it_was() {
        let held = [gec("g3", "100", &[], Status::Held)];
        let plain = run(&[], false, true);
        assert_eq!(
            run(&[], true, true),
            plain,
            "an empty list of certificates changes nothing"
        );
        let with_held = run(&held, true, true);
        assert_eq!(
            with_held.totals, plain.totals,
            "a held certificate covers nothing"
        );
        assert_eq!(with_held.sources, plain.sources);
        assert_eq!(with_held.lines, plain.lines);
        assert_eq!(with_held.months, plain.months);
        assert_eq!(
            with_held.eac.as_ref().unwrap().scope2_market_before_eac,
            plain.totals.scope2_market
        );
        assert!(plain.eac.is_none());
    }

    #[test]
    fn more_certificates_than_consumption_cover_it_all_and_report_the_rest_unused() {
        let eacs = [gec("big", "50", &[], Status::Retired)];
        let inv = run(&eacs, true, false);
        assert_eq!(
            inv.totals.scope2_market,
            Decimal::ZERO,
            "35,000 kWh all covered"
        );
        assert_eq!(inv.totals.scope2_location, d("19.25"));
        let e = inv.eac.unwrap();
        let f = e.allocation.figures();
        assert_eq!(f.kwh_covered, d("35000"), "never more than the consumption");
        assert_eq!(
            f.mwh_unused,
            d("15"),
            "50 − 35 MWh, not carried to another year"
        );
        assert_eq!(
            e.allocation.certificates[0].checks[0].code,
            "EAC_MWH_BEYOND_CONSUMPTION"
        );
    }

    /// Equity share 50 %: the organisation reports half of A's 10,000 kWh, so 5,000 kWh are its
    /// consumption; 3 MWh cover 3,000 of them. Before 10,000 × 0.6096 × 0.5 / 1000 = 3.048;
    /// after 3.048 − 3,000 × 0.6096 / 1000 = 1.2192.
    #[test]
    fn under_the_equity_share_approach_certificates_cover_the_organisations_share() {
        let cat = catalog();
        let sites = [Site {
            equity_pct: Some(d("50")),
            ..site(1, "A plant", Some("CN-East"))
        }];
        let sources = [source(20, "A grid", SourceKind::Electricity, None)];
        let eacs = [gec("g", "3", &[], Status::Retired)];
        let assessments = assess(&eacs, &sites);
        let ctx = Context {
            year: 2024,
            gwp: GwpSet::AR6,
            boundary: Boundary::EquityShare,
            sites: &sites,
            sources: &sources,
            catalog: &cat,
        };
        let mut b = InventoryBuilder::new(ctx).certificates(&eacs, &assessments);
        b.push(&activity(
            1,
            20,
            "2024-01-01",
            "2024-01-31",
            "10000",
            Unit::KWh,
        ));
        let inv = b.finish();
        assert_eq!(
            inv.eac.as_ref().unwrap().scope2_market_before_eac,
            d("3.048")
        );
        assert_eq!(inv.totals.scope2_market, d("1.2192"));
        assert_eq!(inv.sources[0].eac_kwh, d("3000"));
        assert_eq!(
            inv.totals.scope2_location,
            d("2.75"),
            "10,000 × 0.55 × 0.5 / 1000"
        );
    }

    #[test]
    fn a_zero_market_factor_is_not_covered_again() {
        let mut cat_factors: Vec<EmissionFactor> = catalog().factors().to_vec();
        cat_factors.push(factor("PPA-ZERO", Unit::KWh, &[("CO2", "0")]));
        let cat = Catalog::new(cat_factors, catalog().properties().to_vec());
        let (sites, mut sources) = two_sites();
        sources[0].market_factor_id = Some("PPA-ZERO".into());
        let eacs = [gec("g", "5", &["A plant"], Status::Retired)];
        let assessments = assess(&eacs, &sites);
        let ctx = Context {
            year: 2024,
            gwp: GwpSet::AR6,
            boundary: Boundary::OperationalControl,
            sites: &sites,
            sources: &sources,
            catalog: &cat,
        };
        let mut b = InventoryBuilder::new(ctx).certificates(&eacs, &assessments);
        b.push(&activity(
            1,
            20,
            "2024-01-01",
            "2024-01-31",
            "10000",
            Unit::KWh,
        ));
        let inv = b.finish();
        assert_eq!(inv.sources[0].market_basis, Some(MarketBasis::Contractual));
        assert!(inv.issues.iter().any(|i| i.code == "EAC_NOT_NEEDED"));
        assert_eq!(
            inv.eac.unwrap().allocation.figures().mwh_unused,
            d("5"),
            "a zero-emission contract leaves the certificate unused, not spent on nothing"
        );
    }
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

/// A claim period of twelve months from July: each record is pro-rated by days into the
/// period, exactly as a year takes its part; the months are the period's, in order, each with
/// its year; a month the period cuts takes its days' share. A calendar year given as a period
/// computes exactly as the year.
#[test]
fn a_non_calendar_twelve_month_period_takes_each_record_by_days() {
    let cat = catalog();
    let sites = [site(1, "Plant", Some("CN-East"))];
    let sources = [source(
        10,
        "Oven gas",
        SourceKind::StationaryCombustion,
        Some("natural-gas"),
    )];
    let ctx = Context {
        year: 2025,
        gwp: GwpSet::AR6,
        boundary: Boundary::OperationalControl,
        sites: &sites,
        sources: &sources,
        catalog: &cat,
    };
    // one bill per month from 2024-01 to 2025-12, 31,000 m3 each month whatever its length,
    // and a bill across the period's start: 2024-06-21..2024-07-10 (20 days, 10 in July)
    let mut records = Vec::new();
    let mut id = 1;
    for (y, m) in (2024..=2025).flat_map(|y| (1..=12u32).map(move |m| (y, m))) {
        let (first, last) = lingtan_core::period::month_bounds(y, m).unwrap();
        records.push(ActivityInput {
            id,
            version: 1,
            source_id: 10,
            from: first,
            to: last,
            quantity: d("31000"),
            unit: Unit::M3,
        });
        id += 1;
    }
    records.push(activity(
        id,
        10,
        "2024-06-21",
        "2024-07-10",
        "2000",
        Unit::M3,
    ));
    let run = |period: Option<(&str, &str)>| {
        let mut b = InventoryBuilder::new(ctx);
        if let Some((from, to)) = period {
            b = b.period(date(from), date(to));
        }
        for r in &records {
            b.push(r);
        }
        b.finish()
    };
    let july_june = run(Some(("2024-07-01", "2025-06-30")));
    let s = &july_june.sources[0];
    assert_eq!(
        s.quantity,
        d("373000"),
        "twelve whole months of 31,000 m3 and 10 of the bill's 20 days (1,000 m3)"
    );
    assert_eq!(
        july_june.months.len(),
        12,
        "the period touches twelve months"
    );
    assert_eq!(
        (july_june.months[0].year, july_june.months[0].month),
        (Some(2024), 7),
        "the first month is July 2024"
    );
    assert_eq!(
        (july_june.months[11].year, july_june.months[11].month),
        (Some(2025), 6),
        "the last month is June 2025"
    );
    assert_eq!(
        july_june.period.map(|p| (p.from, p.to)),
        Some((date("2024-07-01"), date("2025-06-30"))),
        "the inventory names its period"
    );
    // from the 15th: July 2024 keeps 17 of its 31 days, July 2025 14
    let mid = run(Some(("2024-07-15", "2025-07-14")));
    assert_eq!(
        mid.months.len(),
        13,
        "twelve months from the 15th touch 13 months"
    );
    let q = &mid.sources[0].quantity;
    // July 2024: 31,000 × 17/31 = 17,000 and the bill's 10 July days are before the 15th: 0;
    // Aug 2024 … Jun 2025: 11 × 31,000 = 341,000; July 2025: 31,000 × 14/31 = 14,000
    assert_eq!(*q, d("372000"), "the cut months take their days' share");
    // a calendar year as a period is the year, to the last digit
    let year = {
        let ctx2025 = Context { year: 2025, ..ctx };
        let mut b = InventoryBuilder::new(ctx2025);
        for r in &records {
            b.push(r);
        }
        b.finish()
    };
    let as_period = run(Some(("2025-01-01", "2025-12-31")));
    assert_eq!(
        as_period, year,
        "a calendar year given as a period computes as the year"
    );
    assert!(year.period.is_none(), "a calendar year names no period");
}
