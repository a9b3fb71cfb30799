//! The reduction section's model and renderers, fed with lingtan-core's types only: the
//! Targets and Measures sheets recalculated by LibreOffice must give lingtan-core's own figures
//! (CRF, annualised cost, MAC, NPV, payback, trajectory, MACC); the section renders every part
//! as text; the charts draw.

use lingtan_core::reduction::abatement::MeasureResult;
use lingtan_core::reduction::finance::{economics, Costs, DiscountRate, Lifetime};
use lingtan_core::reduction::lmdi::{decompose, SourcePair};
use lingtan_core::reduction::macc::{macc, MaccInput};
use lingtan_core::reduction::measure::{Formula, MeasureKind, MeasureStatus};
use lingtan_core::reduction::plan::{project, Reference};
use lingtan_core::reduction::progress::{Achieved, Method};
use lingtan_core::reduction::target::{
    Actual, Ambition, BaseYear, Metric, Scopes, Target, TargetSpec,
};
use lingtan_core::reduction::{Basis, Month};
use lingtan_core::{Decimal, Unit};
use lingtan_report::reduction::{
    chart, section, text, xlsx, FigureKind, Item, MeasureData, ReductionData, TargetData,
};
use lingtan_report::Lang;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

/// A measure's figures as lingtan-core computes them from its costs, savings and abatement.
#[allow(clippy::too_many_arguments)]
fn measure(
    name: &str,
    kind: MeasureKind,
    status: MeasureStatus,
    capex: &str,
    opex: &str,
    savings: Option<&str>,
    abatement: Option<&str>,
    lifetime: u32,
    rate: DiscountRate,
) -> MeasureResult {
    let costs = Costs::new(d(capex), d(opex), Lifetime::new(lifetime).unwrap()).unwrap();
    let savings = savings.map(d);
    let abatement = abatement.map(d);
    let e = economics(&costs, rate, savings, abatement);
    MeasureResult {
        name: name.into(),
        kind,
        status,
        start: Month::new(2025, 1),
        changes: Vec::new(),
        switches: Vec::new(),
        formula: Some(Formula {
            en: format!("{name}: the formula in English"),
            zh: format!("{name}：中文公式"),
        }),
        generation_kwh: None,
        basis: Basis::Market,
        abatement_tco2e: abatement,
        abatement_location_tco2e: abatement,
        abatement_market_tco2e: abatement,
        abatement: None,
        capex: d(capex),
        opex: d(opex),
        savings,
        savings_lines: Vec::new(),
        lifetime,
        lifetime_is_default: false,
        crf: e.crf,
        annualised_cost: e.annualised_cost,
        mac: e.mac,
        no_mac: e.no_mac,
        npv: e.npv,
        payback_years: e.payback_years,
        achieved_tco2e: None,
        notes: Vec::new(),
        issues: Vec::new(),
    }
}

/// A small factory: an absolute and an intensity target from 2020, five measures (one pays for
/// itself, one without a price, one that never pays back), a metered achieved abatement, and
/// the change from 2020 to 2024 decomposed with output.
fn data(rate_pct: &str) -> ReductionData {
    let rate = DiscountRate::from_pct(d(rate_pct)).unwrap();
    let absolute = Target::new(
        TargetSpec {
            name: "Scope 1+2 −42 %".into(),
            scopes: Scopes::parse("1+2").unwrap(),
            scope2: Basis::Market,
            base_year: 2020,
            target_year: 2030,
            ambition: Ambition::Reduction(d("42")),
            metric: None,
        },
        BaseYear {
            tco2e: d("1000"),
            output: None,
            fingerprint: None,
        },
    )
    .unwrap();
    let intensity = Target::new(
        TargetSpec {
            name: "Per tonne −30 %".into(),
            scopes: Scopes::parse("1+2").unwrap(),
            scope2: Basis::Market,
            base_year: 2020,
            target_year: 2030,
            ambition: Ambition::Reduction(d("30")),
            metric: Some(Metric {
                name: "product".into(),
                unit: Unit::T,
            }),
        },
        BaseYear {
            tco2e: d("1000"),
            output: Some(d("480")),
            fingerprint: None,
        },
    )
    .unwrap();
    let emissions = [
        (2020, "1000"),
        (2021, "985.5"),
        (2022, "930.25"),
        (2023, "961"),
        (2024, "880.125"),
    ];
    let outputs = [
        (2020, "480"),
        (2021, "470"),
        (2022, "495.5"),
        (2023, "510"),
        (2024, "530"),
    ];
    let actuals: BTreeMap<i32, Actual> = emissions
        .iter()
        .zip(outputs)
        .map(|((y, t), (_, o))| {
            (
                *y,
                Actual {
                    tco2e: Some(d(t)),
                    output: Some(d(o)),
                },
            )
        })
        .collect();
    let measures = vec![
        measure(
            "LED lighting",
            MeasureKind::Led,
            MeasureStatus::Done,
            "50000",
            "0",
            Some("31234.56"),
            Some("40.321"),
            10,
            rate,
        ),
        measure(
            "Rooftop PV 400 kWp",
            MeasureKind::PvRooftop,
            MeasureStatus::Planned,
            "1400000",
            "14000",
            Some("201000"),
            Some("239.77"),
            25,
            rate,
        ),
        measure(
            "Boiler to heat pump",
            MeasureKind::HeatPump,
            MeasureStatus::Idea,
            "900000",
            "5000",
            None,
            Some("310.5"),
            15,
            rate,
        ),
        measure(
            "Compressor VSD",
            MeasureKind::VsdCompressor,
            MeasureStatus::Approved,
            "120000",
            "1500",
            Some("48000"),
            Some("62.125"),
            12,
            rate,
        ),
        measure(
            "Wall insulation",
            MeasureKind::Insulation,
            MeasureStatus::Idea,
            "300000",
            "2000",
            Some("1800"),
            Some("3.5"),
            30,
            rate,
        ),
    ];
    let curve = macc(
        &measures
            .iter()
            .map(|m| MaccInput {
                name: m.name.clone(),
                mac: m.mac,
                abatement_tco2e: m.abatement_tco2e,
                no_mac: m.no_mac,
            })
            .collect::<Vec<_>>(),
    );
    let targets = [absolute, intensity]
        .into_iter()
        .map(|t| {
            let output = t.metric.as_ref().map(|_| d("530"));
            let plan = project(
                &t,
                Reference {
                    year: 2024,
                    tco2e: d("880.125"),
                    output,
                },
                &measures,
            );
            let target_tco2e = t
                .target_tco2e()
                .or_else(|| t.allowed_tco2e(t.target_year, output));
            TargetData {
                assessment: t.assess(&actuals, 2024),
                base_change: None,
                plan,
                target_tco2e,
                outputs: outputs.iter().map(|(y, o)| (*y, d(o))).collect(),
                target: t,
            }
        })
        .collect();
    let decomposition = decompose(
        2020,
        2024,
        &[
            SourcePair {
                source: "Grid power".into(),
                activity_from: d("1200000"),
                activity_to: d("1150000"),
                tco2e_from: d("700"),
                tco2e_to: d("620.125"),
            },
            SourcePair {
                source: "Natural gas".into(),
                activity_from: d("140000"),
                activity_to: d("120000"),
                tco2e_from: d("300"),
                tco2e_to: d("260"),
            },
        ],
        Some((d("480"), d("530"))),
    );
    let data_measures = measures
        .into_iter()
        .map(|m| MeasureData {
            name: m.name.clone(),
            kind: m.kind,
            status: m.status,
            start: m.start,
            meter: None,
            inputs: vec![("capex".into(), m.capex.to_string())],
            achieved: (m.status == MeasureStatus::Done).then(|| Achieved {
                measure: m.name.clone(),
                year: 2024,
                method: Method::Metered,
                location_tco2e: Some(d("41.5")),
                market_tco2e: Some(d("39.875")),
                lines: Vec::new(),
                rule: None,
                issues: Vec::new(),
            }),
            result: Some(m),
        })
        .collect();
    ReductionData {
        year: 2024,
        basis: Basis::Market,
        base_year: Some(2020),
        discount_rate: rate,
        carbon_price: Some(d("95.5")),
        targets,
        measures: data_measures,
        macc: curve,
        decomposition: Some(decomposition),
        decomposed_tco2e: Some((d("1000"), d("880.125"))),
        recalculations: Vec::new(),
        issues: Vec::new(),
    }
}

fn recalc_script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/report/recalc.py")
}

/// Recalculate a workbook in LibreOffice (every cached value poisoned first); return what the
/// script said, and the CSV of each sheet.
fn recalculate(book: &Path, work: &Path) -> (String, BTreeMap<String, Vec<Vec<String>>>) {
    let out = Command::new("python3")
        .arg(recalc_script())
        .arg(book)
        .arg(work)
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "LibreOffice recalculation differs from the app:\n{said}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut sheets = BTreeMap::new();
    for name in ["Targets", "Measures"] {
        let csv = std::fs::read_to_string(work.join(format!("csv/poisoned-{name}.csv"))).unwrap();
        sheets.insert(name.to_string(), parse_csv(&csv));
    }
    (said, sheets)
}

/// RFC 4180 CSV as LibreOffice writes it: quoted fields may hold commas, doubled quotes and
/// newlines.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let (mut rows, mut row, mut cell) = (Vec::new(), Vec::new(), String::new());
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                cell.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => row.push(std::mem::take(&mut cell)),
            ('\n', false) => {
                row.push(std::mem::take(&mut cell));
                rows.push(std::mem::take(&mut row));
            }
            ('\r', false) => {}
            (c, _) => cell.push(c),
        }
    }
    if !cell.is_empty() || !row.is_empty() {
        row.push(cell);
        rows.push(row);
    }
    rows
}

fn formula_cells(said: &str) -> usize {
    said.split_whitespace()
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

#[test]
fn the_reduction_sheets_recalculate_in_libreoffice_to_lingtan_cores_figures() {
    let dir = tempfile::tempdir().unwrap();
    for rate in ["8", "0", "12.5"] {
        let data = data(rate);
        let bytes = xlsx::workbook(&data, Lang::En).unwrap();
        assert_eq!(
            bytes,
            xlsx::workbook(&data, Lang::En).unwrap(),
            "the same data must give the same bytes"
        );
        let book = dir.path().join(format!("r{rate}.xlsx"));
        std::fs::write(&book, &bytes).unwrap();
        let (said, sheets) = recalculate(&book, &dir.path().join(format!("work{rate}")));
        assert!(said.contains(" 0 differ"), "rate {rate}: {said}");
        // targets: 2 × (trajectory 11 years × (share, allowed, …)); measures: CRF, annualised,
        // MAC, NPV, payback; the MACC's MAC, width, from and to
        assert!(
            formula_cells(&said) >= 80,
            "rate {rate}: the live figures must be formulas, not numbers: {said}"
        );
        let measures = &sheets["Measures"];
        let row = |name: &str| {
            measures
                .iter()
                .find(|r| r.get(1).map(String::as_str) == Some(name))
                .unwrap_or_else(|| panic!("{name} has a row: {measures:?}"))
                .clone()
        };
        let boiler = row("Boiler to heat pump");
        assert!(
            boiler[11].contains("no MAC") && boiler[11].contains("price"),
            "a measure without an energy price has no MAC, and says why instead of a zero: {boiler:?}"
        );
        assert!(
            boiler[7].contains("price"),
            "its savings cell says the price is missing: {boiler:?}"
        );
        let insulation = row("Wall insulation");
        assert!(
            insulation[13].contains("never"),
            "a measure that saves less than it costs to run never pays back (words, not a number): {insulation:?}"
        );
        let led = row("LED lighting");
        let led_mac: f64 = led[11].parse().unwrap();
        assert!(
            led_mac < 0.0,
            "LED pays for itself at {rate} %: a negative MAC, recalculated: {led:?}"
        );
    }
}

#[test]
fn the_workbook_in_chinese_and_in_both_languages_writes_and_recalculates() {
    let dir = tempfile::tempdir().unwrap();
    for (lang, tag) in [(Lang::Zh, "zh"), (Lang::Both, "both")] {
        let book = dir.path().join(format!("{tag}.xlsx"));
        std::fs::write(&book, xlsx::workbook(&data("8"), lang).unwrap()).unwrap();
        let out = Command::new("python3")
            .arg(recalc_script())
            .arg(&book)
            .arg(dir.path().join(tag))
            .output()
            .unwrap();
        let said = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success() && said.contains(" 0 differ"),
            "{tag}: the sheets' names and headers change, not the figures: {said}"
        );
    }
}

#[test]
fn the_section_renders_targets_measures_the_curve_progress_and_the_waterfall() {
    let data = data("8");
    let items = section(&data, Lang::En, "6");
    let t = text(&items, Lang::En);
    for part in [
        "6 Reduction",
        "6.1 Targets",
        "6.2 Measures",
        "6.3 Marginal abatement cost curve",
        "6.4 Progress",
        "6.5 What changed and why",
    ] {
        assert!(t.contains(part), "the section has the part {part:?}:\n{t}");
    }
    assert!(
        t.contains("[Trajectory of the target 'Scope 1+2 −42 %'] (tCO2e)")
            && t.contains("2030: allowed 580.000"),
        "the absolute target's trajectory ends at 1000 × (1 − 0.42) = 580 t:\n{t}"
    );
    assert!(
        t.contains("Not on the curve: Boiler to heat pump (no energy price)"),
        "the measure without a price is named off the curve with its reason:\n{t}"
    );
    assert!(
        t.contains("LED lighting: the formula in English"),
        "each measure's formula is printed:\n{t}"
    );
    assert!(
        t.contains("2020 emissions: 1,000.000") && t.contains("2024 emissions: 880.125"),
        "the waterfall starts and ends on the two years' totals:\n{t}"
    );
    // the waterfall's steps add up: base + effects = reporting year
    let wf = items
        .iter()
        .find_map(|i| match i {
            Item::Figure(f) => match &f.kind {
                FigureKind::Waterfall(w) => Some(w.clone()),
                _ => None,
            },
            _ => None,
        })
        .expect("a waterfall figure");
    let effects: Decimal = wf.steps.iter().filter(|s| !s.total).map(|s| s.value).sum();
    let (first, last) = (wf.steps[0].value, wf.steps[wf.steps.len() - 1].value);
    assert!(
        (first + effects - last).abs() < d("0.000001"),
        "the effects add up to the change (LMDI-I is exact up to the logarithms): {first} + {effects} ≠ {last}"
    );
    // the MACC: cheapest first, LED first (it pays for itself)
    let macc_line = t.lines().position(|l| l.contains("1. LED lighting"));
    assert!(macc_line.is_some(), "LED is first on the curve:\n{t}");

    // every figure draws as SVG, in both languages
    for lang in [Lang::En, Lang::Zh, Lang::Both] {
        let items = section(&data, lang, "6");
        let figures: Vec<_> = items
            .iter()
            .filter_map(|i| match i {
                Item::Figure(f) => Some(f),
                _ => None,
            })
            .collect();
        assert_eq!(
            figures.len(),
            4,
            "two trajectories, the MACC and the waterfall"
        );
        for f in figures {
            let drawn = chart::draw(f).unwrap();
            assert!(
                drawn.svg.starts_with("<svg") && drawn.svg.len() > 1000,
                "{}: an SVG with content",
                f.title
            );
        }
        assert!(!text(&items, lang).is_empty());
    }
}

#[test]
fn the_macc_chart_draws_negative_bars_below_the_axis_and_the_carbon_price_line() {
    let data = data("8");
    let items = section(&data, Lang::En, "6");
    let m = items
        .iter()
        .find_map(|i| match i {
            Item::Figure(f) if matches!(f.kind, FigureKind::Macc(_)) => Some(f),
            _ => None,
        })
        .unwrap();
    let svg = chart::draw(m).unwrap().svg;
    assert!(
        svg.contains("carbon price 95.50"),
        "the carbon price line is labelled with the price"
    );
    // a bar below the axis is drawn in the 'pays for itself' colour
    assert!(
        svg.contains("#2E6F57") || svg.contains("#2e6f57"),
        "LED's negative MAC is a green bar"
    );
}

#[test]
fn a_project_without_targets_measures_or_a_base_year_still_renders_and_says_so() {
    let empty = ReductionData {
        year: 2024,
        basis: Basis::Location,
        base_year: None,
        discount_rate: DiscountRate::default(),
        carbon_price: None,
        targets: Vec::new(),
        measures: Vec::new(),
        macc: macc(&[]),
        decomposition: None,
        decomposed_tco2e: None,
        recalculations: Vec::new(),
        issues: Vec::new(),
    };
    for lang in [Lang::En, Lang::Zh, Lang::Both] {
        let items = section(&empty, lang, "6");
        assert!(
            !items.iter().any(|i| matches!(i, Item::Figure(_))),
            "nothing to draw without targets, measures or a base year"
        );
        let t = text(&items, lang);
        assert!(!t.is_empty(), "the section still has its headings");
        xlsx::workbook(&empty, lang).expect("the sheets write with only their headers");
    }
    let t = text(&section(&empty, Lang::En, "6"), Lang::En);
    for said in [
        "No target is set",
        "No measure is recorded yet",
        "No measure has a MAC yet",
        "There is no change to decompose",
        "(default; ",
    ] {
        assert!(t.contains(said), "the empty section says {said:?}:\n{t}");
    }
}
