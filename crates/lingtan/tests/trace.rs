//! `Project::trace` walks every figure of a project that has a bill spanning two months, a bill
//! spanning the year end, several gases, two sites, scope 3 and a market-based factor: each
//! figure's lines add up to it exactly, and a split bill's months are its days.

use lingtan::{ActivityEntry, FactorEntry, NewProject, Project, SourceEntry, Trace};
use lingtan_core::{Decimal, Lang};
use std::path::Path;
use std::sync::Arc;

/// name, site, kind, fuel, factor, market factor, unit
type Src = (
    &'static str,
    &'static str,
    &'static str,
    Option<&'static str>,
    Option<&'static str>,
    Option<&'static str>,
    &'static str,
);

fn d(s: &str) -> Decimal {
    s.parse().expect("decimal")
}

/// Sites Plant (East grid) and Depot (North grid). Sources: `Power` (electricity at Plant, with a
/// contractual market factor), `Depot power` (electricity at Depot, grid only), `Gas` (natural
/// gas: CO2, CH4 and N2O), `Freight` (scope 3 by a CO2e factor), `AC` (R-410A: HFC-32 and HFC-125).
pub fn project(dir: &Path) -> Project {
    let clock: lingtan::Clock = Arc::new(|| "2025-03-01T00:00:00Z".to_string());
    let mut p = Project::create(
        &dir.join("t.lingtan"),
        &NewProject {
            org: "Trace Co.".into(),
            year: 2024,
            base_year: Some(2024),
            ..Default::default()
        },
        clock,
    )
    .expect("create");
    p.add_site("Plant", Some("CN-East"), None).expect("site");
    p.add_site("Depot", Some("CN-North"), None).expect("site");
    for (id, unit, co2, co2e) in [
        ("GREEN-PPA", "kWh", Some("0.1"), None),
        ("FREIGHT-HGV", "t.km", None, Some("0.107")),
    ] {
        p.add_factor(&FactorEntry {
            id: id.into(),
            unit: unit.into(),
            co2: co2.map(String::from),
            co2e: co2e.map(String::from),
            citation: format!("{id}: a test factor"),
            ..Default::default()
        })
        .expect("factor");
    }
    let sources: [Src; 5] = [
        (
            "Power",
            "Plant",
            "electricity",
            None,
            None,
            Some("GREEN-PPA"),
            "kWh",
        ),
        (
            "Depot power",
            "Depot",
            "electricity",
            None,
            None,
            None,
            "kWh",
        ),
        (
            "Gas",
            "Plant",
            "stationary-combustion",
            Some("natural-gas"),
            None,
            None,
            "m3",
        ),
        (
            "Freight",
            "Plant",
            "scope3-4",
            None,
            Some("FREIGHT-HGV"),
            None,
            "t.km",
        ),
        ("AC", "Plant", "fugitive", Some("R-410A"), None, None, "kg"),
    ];
    for (name, site, kind, fuel, factor, market, unit) in sources {
        p.add_source(&SourceEntry {
            name: name.into(),
            site: site.into(),
            kind: kind.into(),
            fuel: fuel.map(String::from),
            factor: factor.map(String::from),
            market_factor: market.map(String::from),
            unit: Some(unit.into()),
            ..Default::default()
        })
        .expect("source");
    }
    for (source, from, to, qty, unit) in [
        // across the year end: 16 of its 31 days are in December 2023
        ("Power", "2023-12-16", "2024-01-15", "3100", "kWh"),
        ("Power", "2024-01-16", "2024-02-14", "3000", "kWh"),
        // across two months: 15 days of February, 14 of March
        ("Power", "2024-02-15", "2024-03-14", "2900", "kWh"),
        ("Depot power", "2024-01-10", "2024-02-09", "777.77", "kWh"),
        ("Gas", "2024-01-01", "2024-03-31", "12345.678", "m3"),
        ("Gas", "2024-04-01", "2024-04-30", "4000", "m3"),
        ("Freight", "2024-01-01", "2024-12-31", "50000", "t.km"),
        ("AC", "2024-07-01", "2024-07-01", "3.5", "kg"),
    ] {
        p.add_activity(&ActivityEntry {
            source: source.into(),
            from: from.into(),
            to: to.into(),
            qty: qty.into(),
            unit: unit.into(),
            ..Default::default()
        })
        .expect("record");
    }
    p
}

fn trace(p: &Project, figure: &str) -> Trace {
    p.trace(figure, None)
        .unwrap_or_else(|e| panic!("trace {figure}: {e}"))
}

#[test]
fn every_figure_of_every_kind_adds_up_exactly() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = project(dir.path());
    let inv = p.inventory(None, false).expect("inventory").inventory;
    let mut figures: Vec<String> = [
        "total",
        "total-market",
        "scope1",
        "scope2",
        "scope2-market",
        "scope3",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    figures.extend((1..=6).map(|n| format!("category:{n}")));
    figures.extend(["site:Plant".to_string(), "site:Depot".to_string()]);
    figures.extend(inv.sources.iter().map(|s| format!("source:{}", s.source)));
    figures.extend((1..=12).map(|m| format!("month:2024-{m:02}")));
    figures.extend(inv.gases.iter().map(|g| format!("gas:{}", g.gas)));
    assert!(
        inv.gases.len() >= 5,
        "CO2, CH4, N2O, CO2e and the HFCs of R-410A: {:?}",
        inv.gases
    );
    for f in &figures {
        let t = trace(&p, f);
        assert!(
            t.exact(),
            "{f}: the lines add up to {} but the figure is {}",
            t.sum,
            t.tco2e
        );
        assert!(
            t.lines
                .iter()
                .all(|l| !l.factor.is_empty() && !l.citation.is_empty()),
            "{f}: every line names its factor and citation"
        );
    }
    // the traces themselves partition: months and scopes add up to the totals
    let sum = |fs: &[String]| -> Decimal { fs.iter().map(|f| trace(&p, f).tco2e).sum() };
    let months: Vec<String> = (1..=12).map(|m| format!("month:2024-{m:02}")).collect();
    // the inventory computes its months and its year each from unrounded sums: they agree to the
    // 27th decimal (decimals keep 28 significant digits), each trace exactly to its own figure
    let tiny = Decimal::new(1, 20);
    assert!(
        (sum(&months) - trace(&p, "total").tco2e).abs() < tiny,
        "the months make the year"
    );
    let scopes = ["scope1", "scope2", "scope3"].map(String::from);
    assert_eq!(
        sum(&scopes),
        trace(&p, "total").tco2e,
        "the scopes make the total"
    );
    assert_ne!(
        trace(&p, "scope2").tco2e,
        trace(&p, "scope2-market").tco2e,
        "the contractual factor makes the market-based figure differ"
    );
}

#[test]
fn a_bill_spanning_two_months_is_split_by_its_days() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = project(dir.path());
    let year = trace(&p, "source:Power");
    let whole = year
        .lines
        .iter()
        .find(|l| l.from.to_string() == "2024-02-15")
        .expect("the Feb–Mar bill");
    let feb = trace(&p, "month:2024-02");
    let mar = trace(&p, "month:2024-03");
    let in_feb = feb
        .lines
        .iter()
        .find(|l| l.record == whole.record)
        .expect("in February");
    let in_mar = mar
        .lines
        .iter()
        .find(|l| l.record == whole.record)
        .expect("in March");
    assert_eq!(
        in_feb.days,
        Some((15, 29)),
        "15 of its 29 days are in February"
    );
    assert_eq!(in_mar.days, Some((14, 29)));
    assert_eq!(
        in_feb.share,
        Some(d("1500") / d("2900")),
        "2,900 kWh × 15/29 = 1,500"
    );
    assert_eq!(
        in_feb.tco2e + in_mar.tco2e,
        whole.tco2e,
        "the two months are the whole bill"
    );
    assert_eq!(
        in_feb.tco2e * d("14"),
        in_mar.tco2e * d("15"),
        "in proportion to the days"
    );
    // the bill across the year end counts 15 of its 31 days in 2024
    let jan = year
        .lines
        .iter()
        .find(|l| l.from.to_string() == "2023-12-16")
        .expect("the December–January bill");
    assert_eq!(jan.days, Some((15, 31)));
    assert_eq!(
        jan.share,
        Some(d("1500") / d("3100")),
        "3,100 kWh × 15/31 in 2024"
    );
    // market-based, the Power lines use the contractual factor
    let market = trace(&p, "scope2-market");
    assert!(market
        .lines
        .iter()
        .filter(|l| l.source == "Power")
        .all(|l| l.factor == "GREEN-PPA"));
    assert!(market
        .lines
        .iter()
        .filter(|l| l.source == "Depot power")
        .all(|l| l.factor != "GREEN-PPA"));
}

#[test]
fn a_gas_is_each_records_tonnes_of_it_times_its_gwp() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = project(dir.path());
    let ch4 = trace(&p, "gas:ch4-fossil");
    assert_eq!(
        ch4.figure, "gas:CH4-fossil",
        "the gas as the inventory spells it"
    );
    assert_eq!(
        ch4.lines
            .iter()
            .map(|l| l.source.as_str())
            .collect::<Vec<_>>(),
        ["Gas", "Gas"],
        "only natural gas emits methane here"
    );
    let gas = trace(&p, "source:Gas");
    for l in &ch4.lines {
        let whole = gas
            .lines
            .iter()
            .find(|x| x.record == l.record)
            .expect("record");
        assert!(
            l.tco2e > Decimal::ZERO && l.tco2e < whole.tco2e,
            "methane is a part of the record's emissions"
        );
        assert_eq!(l.share, Some(l.tco2e / whole.tco2e));
    }
}

#[test]
fn unknown_figures_are_refused_naming_the_nearest() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = project(dir.path());
    for (figure, code, names) in [
        ("scope4", "UNKNOWN_FIGURE", "'scope1'"),
        ("site:Plnt", "UNKNOWN_SITE", "'Plant'"),
        ("source:Powr", "UNKNOWN_SOURCE", "'Power'"),
        ("gas:SF6", "UNKNOWN_GAS", "'CO2'"),
        ("month:2023-05", "UNKNOWN_MONTH", "month:2024-01"),
        ("month:May", "UNKNOWN_MONTH", "YYYY-MM"),
        ("category:7", "UNKNOWN_FIGURE", "1 to 6"),
    ] {
        let e = p.trace(figure, None).expect_err(figure);
        assert_eq!(e.code, code, "{figure}: {e}");
        assert!(
            e.message(Lang::En).contains(figure) && e.message(Lang::En).contains(names),
            "{figure}: the message names the value and the nearest valid ones: {e}"
        );
        assert!(!e.message(Lang::Zh).is_empty(), "a Chinese message too");
    }
}
