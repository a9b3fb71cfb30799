//! The reduction step through the workbench, on real project files: a target's trajectory and
//! status, the worked MAC example, a rooftop PV's achieved abatement from an imported inverter
//! export, the LMDI decomposition, every refusal (field named, project unchanged) and the audit
//! chain.
//!
//! The hand-made factory: grid power at 0.5 kg CO2/kWh (its own factor, also its market factor,
//! so both bases agree) and a gas boiler at 2 kg CO2/m³. 2024 (the base year): 1,200,000 kWh and
//! 120,000 m³ = 600 + 240 = 840 t. 2025: 1,000,000 kWh and 110,000 m³ = 500 + 220 = 720 t.
//! Product: 1,000 t in 2024, 1,100 t in 2025.

use lingtan::reduction::json;
use lingtan::{
    ActivityEntry, FactorEntry, MeasureEntry, NewProject, OutputEntry, Project,
    ReductionSettingsEntry, SourceEntry, TargetEntry,
};
use lingtan_core::reduction::progress::Method;
use lingtan_core::reduction::target::Status;
use lingtan_core::{Decimal, Lang};
use std::path::Path;
use std::sync::Arc;

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn clock() -> lingtan::Clock {
    Arc::new(|| "2026-03-01T00:00:00Z".to_string())
}

fn record(p: &mut Project, source: &str, year: i32, qty: &str, unit: &str) {
    p.add_activity(&ActivityEntry {
        source: source.into(),
        from: format!("{year}-01-01"),
        to: format!("{year}-12-31"),
        qty: qty.into(),
        unit: unit.into(),
        ..Default::default()
    })
    .expect("a year's record");
}

fn output(p: &mut Project, year: i32, qty: &str) {
    p.add_output(&OutputEntry {
        metric: "product".into(),
        year,
        qty: qty.into(),
        unit: "t".into(),
        ..Default::default()
    })
    .expect("output");
}

/// The factory, without output.
fn factory(dir: &Path) -> Project {
    let mut p = Project::create(
        &dir.join("factory.lingtan"),
        &NewProject {
            org: "Reduction Works".into(),
            year: 2025,
            base_year: Some(2024),
            ..Default::default()
        },
        clock(),
    )
    .expect("created");
    p.add_site("Plant", Some("CN-East"), None).expect("site");
    for (id, unit, co2) in [("MY-GRID", "kWh", "0.5"), ("MY-GAS", "m3", "2")] {
        p.add_factor(&FactorEntry {
            id: id.into(),
            unit: unit.into(),
            co2: Some(co2.into()),
            citation: "the factory's own test factor".into(),
            ..Default::default()
        })
        .expect("factor");
    }
    for (name, kind, factor, unit) in [
        ("Grid power", "electricity", Some("MY-GRID"), "kWh"),
        ("Boiler gas", "stationary-combustion", Some("MY-GAS"), "m3"),
        ("Rooftop PV", "onsite-generation", None, "kWh"),
    ] {
        p.add_source(&SourceEntry {
            name: name.into(),
            site: "Plant".into(),
            kind: kind.into(),
            factor: factor.map(String::from),
            market_factor: (kind == "electricity").then(|| "MY-GRID".to_string()),
            unit: Some(unit.into()),
            ..Default::default()
        })
        .expect("source");
    }
    record(&mut p, "Grid power", 2024, "1200000", "kWh");
    record(&mut p, "Boiler gas", 2024, "120000", "m3");
    record(&mut p, "Grid power", 2025, "1000000", "kWh");
    record(&mut p, "Boiler gas", 2025, "110000", "m3");
    p
}

fn near_term() -> TargetEntry {
    TargetEntry {
        name: "Near-term".into(),
        scopes: "1+2".into(),
        base_year: 2024,
        target_year: 2030,
        reduction: Some("42".into()),
        ..Default::default()
    }
}

fn led(status: &str, start: &str) -> MeasureEntry {
    MeasureEntry {
        name: "LED retrofit".into(),
        kind: Some("led".into()),
        inputs: vec![
            ("fixtures".into(), "500".into()),
            ("watts-old".into(), "36".into()),
            ("watts-new".into(), "16".into()),
            ("hours".into(), "4000".into()),
        ],
        capex: Some("60000".into()),
        status: Some(status.into()),
        start: Some(start.into()),
        ..Default::default()
    }
}

/// What "unchanged" means: every write appends an audit entry in its own transaction, so an
/// unchanged chain head (and the same records) is an unchanged project.
fn state(p: &Project) -> (String, String, String, usize, String) {
    (
        p.verify().expect("verify").head,
        format!("{:?}", p.outputs().expect("outputs")),
        format!("{:?}", p.targets().expect("targets")),
        p.measures().expect("measures").len(),
        format!("{:?}", p.reduction_settings().expect("settings")),
    )
}

/// −42 % by 2030 from 840 t: 4.2 % of the base a year. 2025 allows 840 × 0.93 = 781.2 t; 720 t
/// is on track, 61.2 t below. A planned LED retrofit (500 × 20 W × 4,000 h = 40,000 kWh = 20 t
/// a year from 2026) leaves 700 t in 2030 against 487.2 t allowed: 212.8 t short.
#[test]
fn a_target_on_a_hand_made_project_has_its_trajectory_status_and_plan() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = factory(dir.path());
    let t = p.add_target(&near_term()).expect("target");
    assert_eq!(
        (t.target.base_tco2e, t.target.reduction_pct),
        (d("840"), d("42")),
        "the base year's scopes 1+2 as the inventory gives them"
    );
    assert_eq!(
        t.target.base_fingerprint.as_deref(),
        Some(p.inventory(Some(2024), false).unwrap().fingerprint.as_str()),
        "the target keeps the fingerprint of the inventory it was set on"
    );
    p.add_measure(&led("planned", "2026-01")).expect("measure");

    let r = p.reduction(None, None).expect("reduction");
    assert_eq!(r.year, 2025, "the project's year by default");
    let tr = &r.targets[0];
    assert_eq!(tr.target_tco2e, Some(d("487.2")), "840 × (1 − 0.42)");
    let y2025 = tr
        .assessment
        .trajectory
        .iter()
        .find(|y| y.year == 2025)
        .unwrap();
    assert_eq!(
        y2025.allowed_tco2e,
        Some(d("781.2")),
        "840 × (1 − 0.42 × 1/6)"
    );
    assert_eq!(y2025.actual_tco2e, Some(d("720")));
    assert_eq!(
        (tr.assessment.status, tr.assessment.gap_tco2e),
        (Status::OnTrack, Some(d("-61.2"))),
        "below the trajectory by 61.2 t"
    );
    assert_eq!(
        tr.assessment
            .trajectory
            .iter()
            .map(|y| y.year)
            .collect::<Vec<_>>(),
        (2024..=2030).collect::<Vec<_>>(),
        "base year to target year"
    );
    assert_eq!(
        tr.assessment.trajectory[2].status,
        Status::NoData,
        "2026 has no data yet"
    );
    assert!(
        tr.base_change.is_none(),
        "the base year is as it was: the inventories of the report agree with the one the target was set on"
    );
    assert_eq!(
        tr.plan.planned_tco2e_in_target_year,
        Some(d("20")),
        "the LED's 20 t"
    );
    assert_eq!(tr.plan.projected_tco2e_in_target_year, Some(d("700")));
    assert_eq!(tr.plan.gap_tco2e_in_target_year, Some(d("212.8")));
    assert!(
        r.issues.iter().any(|i| i.code == "PLAN_SHORT_OF_TARGET"),
        "the plan says it falls short: {:?}",
        r.issues
    );
    assert_eq!(
        r.fingerprint,
        p.inventory(Some(2025), false).unwrap().fingerprint,
        "the years read in one pass give each year the fingerprint of its own inventory"
    );

    let j = json::report(&r, Lang::En);
    let jt = &j["targets"][0];
    assert_eq!(jt["kind"], "absolute");
    assert_eq!(jt["scopes"], "1+2");
    assert_eq!(jt["base_tco2e"], "840");
    assert_eq!(jt["target_tco2e"], "487.2");
    assert_eq!(jt["status"], "on-track");
    assert_eq!(jt["gap_tco2e"], "-61.2");
    assert_eq!(jt["planned_tco2e_in_target_year"], "20");
    assert_eq!(jt["base_changed"], serde_json::Value::Null);
    assert_eq!(jt["trajectory"][1]["allowed_tco2e"], "781.2");
    assert_eq!(jt["trajectory"][1]["actual_tco2e"], "720");
    assert_eq!(
        jt["trajectory"][3]["actual_tco2e"],
        serde_json::Value::Null,
        "no data: null, never zero"
    );
    assert_eq!(jt["trajectory"][6]["projected_tco2e"], "700");
    assert_eq!(j["basis"], "market");
    assert_eq!(j["discount_rate"], "8");
    assert_eq!(j["carbon_price"], serde_json::Value::Null);
    assert_eq!(
        j["macc"],
        serde_json::json!([]),
        "no price for the grid power it saves: not on the curve"
    );
    assert_eq!(
        r.macc.unranked.first().map(|u| u.name.as_str()),
        Some("LED retrofit"),
        "listed apart, with its reason"
    );

    // a corrected base-year bill: the target says by how much, and a rebase records it
    let grid_2024 = p
        .activities(Some("Grid power"))
        .unwrap()
        .into_iter()
        .find(|a| a.from.to_string() == "2024-01-01")
        .unwrap();
    p.correct_activity(
        grid_2024.id,
        &ActivityEntry {
            source: "Grid power".into(),
            from: "2024-01-01".into(),
            to: "2024-12-31".into(),
            qty: "1300000".into(),
            unit: "kWh".into(),
            reason: Some("the December bill was missing".into()),
            ..Default::default()
        },
    )
    .unwrap();
    let r = p.reduction(None, None).unwrap();
    let c = r.targets[0]
        .base_change
        .as_ref()
        .expect("the base year changed");
    assert_eq!((c.was, c.now), (d("840"), d("890")), "650 + 240 now");
    assert!(c.significant, "+5.95 % passes the 5 % threshold");
    assert!(r.issues.iter().any(|i| i.code == "BASE_YEAR_CHANGED"
        && i.message(Lang::En)
            .starts_with("base year was 840.0 t, is now 890.0 t, +6.0 %")));
    let j = json::report(&r, Lang::En);
    assert_eq!(j["targets"][0]["base_changed"]["was"], "840");
    assert_eq!(j["targets"][0]["base_changed"]["now"], "890");
    let (rebased, log) = p
        .rebase_target("near-term", "corrected the December bill")
        .expect("a rebase (the name matched regardless of case)");
    assert_eq!((rebased.version, rebased.target.base_tco2e), (2, d("890")));
    assert_eq!(
        (log.recalculation.was_tco2e, log.recalculation.now_tco2e),
        (d("840"), d("890"))
    );
    let r = p.reduction(None, None).unwrap();
    assert!(
        r.targets[0].base_change.is_none(),
        "nothing left to recalculate"
    );
    assert_eq!(r.recalculations.len(), 1, "the log is in the report");
    assert_eq!(r.targets[0].target_tco2e, Some(d("516.2")), "890 × 0.58");
    assert!(p.verify().unwrap().ok());
}

/// capex 1,000,000 CNY, 8 %, 15 years; the measure takes 1,000,000 kWh off the grid (500 t at
/// 0.5 kg/kWh) at a price of 0.15 CNY/kWh (150,000 CNY a year). CRF 0.1168295449360200440374265556,
/// MAC −66.3409101279599119251468888 CNY/t, NPV 283,921.80318895584526514491 (Python decimal,
/// 40 digits, correctly rounded to what a Decimal keeps).
#[test]
fn the_worked_mac_example_to_the_last_digit_through_the_workbench() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = factory(dir.path());
    p.set_reduction_settings(&ReductionSettingsEntry {
        prices: vec!["Grid power=0.15/kWh".into()],
        ..Default::default()
    })
    .expect("price");
    p.add_measure(&MeasureEntry {
        name: "Everything off the grid".into(),
        kind: Some("other".into()),
        changes: vec!["Grid power=-1000000 kWh".into()],
        capex: Some("1000000".into()),
        lifetime: Some("15".into()),
        status: Some("planned".into()),
        ..Default::default()
    })
    .expect("measure");
    let r = p.reduction(Some(2025), Some("market")).unwrap();
    let m = r.measures[0].result.as_ref().expect("evaluated");
    assert_eq!(m.abatement_tco2e, Some(d("500")));
    assert_eq!(m.savings, Some(d("150000")));
    assert_eq!(m.crf, d("0.1168295449360200440374265556"));
    assert_eq!(m.annualised_cost, Some(d("-33170.45506397995596257344440")));
    assert_eq!(m.mac, Some(d("-66.3409101279599119251468888")));
    assert_eq!(
        m.npv.map(|v| v.round_dp(20)),
        Some(d("283921.80318895584526514491"))
    );
    assert_eq!(
        m.payback_years.map(|v| v.round_dp(27)),
        Some(d("6.666666666666666666666666667"))
    );
    let j = json::report(&r, Lang::En);
    let jm = &j["measures"][0];
    assert_eq!(
        jm["mac"], "-66.34091",
        "6 decimals in the JSON (trailing zeros dropped), as every figure"
    );
    assert_eq!(jm["crf"], "0.11683");
    assert_eq!(jm["savings"], "150000");
    assert_eq!(jm["changes"][0]["quantity"], "-1000000");
    assert_eq!(jm["achieved_tco2e"], serde_json::Value::Null);
    assert_eq!(
        r.prices.first().map(|p| p.source.as_str()),
        Some("Grid power"),
        "the price used is listed"
    );
}

/// Without a price set, the price comes from the factory's bills that carry a cost; without
/// either, the money figures are null with an issue naming the source, never zero.
#[test]
fn a_measure_without_a_price_has_no_mac_and_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = factory(dir.path());
    p.add_measure(&MeasureEntry {
        name: "Boiler tune-up".into(),
        kind: Some("other".into()),
        changes: vec!["Boiler gas=-10000 m3".into()],
        capex: Some("20000".into()),
        ..Default::default()
    })
    .unwrap();
    let r = p.reduction(None, None).unwrap();
    let m = r.measures[0].result.as_ref().unwrap();
    assert_eq!(m.abatement_tco2e, Some(d("20")), "10,000 m³ × 2 kg");
    assert_eq!((m.mac, m.npv, m.savings), (None, None, None));
    assert!(
        r.issues.iter().any(|i| i.code == "PRICE_MISSING"
            && i.message(lingtan_core::Lang::En).contains("Boiler gas")),
        "{:?}",
        r.issues
    );
    let j = json::report(&r, Lang::En);
    assert_eq!(j["measures"][0]["mac"], serde_json::Value::Null);
    assert_eq!(j["measures"][0]["abatement_tco2e"], "20");
    assert!(
        r.macc.order().is_empty() && r.macc.unranked.len() == 1,
        "left off the curve, with its reason"
    );
}

/// Fifteen-minute generation of a July written as an inverter exports it (interval-ending
/// stamps from 00:15): 8:00–16:00 at 1.25 + (k mod 7) × 0.5 kWh a quarter hour.
fn inverter_export(path: &Path) -> Decimal {
    use rust_xlsxwriter::{Format, Workbook};
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let stamp = Format::new().set_num_format("yyyy-mm-dd hh:mm");
    sheet.write_string(0, 0, "时间").unwrap();
    sheet.write_string(0, 1, "发电量(kWh)").unwrap();
    let start = chrono::NaiveDate::from_ymd_opt(2025, 7, 1)
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap();
    let mut total = Decimal::ZERO;
    for k in 0..(31 * 96u32) {
        let end = start + chrono::Duration::minutes(15 * (i64::from(k) + 1));
        let slot = k % 96;
        let value = if (32..64).contains(&slot) {
            d("1.25") + Decimal::from(k % 7) * d("0.5")
        } else {
            Decimal::ZERO
        };
        total += value;
        let row = k + 1;
        sheet
            .write_datetime_with_format(row, 0, end, &stamp)
            .unwrap();
        sheet
            .write_number(row, 1, value.to_string().parse::<f64>().unwrap())
            .unwrap();
    }
    book.save(path).unwrap();
    total
}

/// A rooftop PV commissioned in July 2025, its inverter's 15-minute export imported into an
/// `onsite-generation` source: the achieved abatement of 2025 is the metered generation × the
/// grid factor it displaced (0.5 kg/kWh), with the disclosure that no export reading was given.
#[test]
fn pv_achieved_abatement_is_measured_from_the_imported_inverter_export() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = factory(dir.path());
    let file = dir.path().join("inverter-2025-07.xlsx");
    let generated = inverter_export(&file);
    let report = p
        .import(
            &file,
            &lingtan::import::ImportOptions {
                source: Some("Rooftop PV".into()),
                ..Default::default()
            },
        )
        .expect("imported");
    assert!(!report.refused(), "{:?}", report.issues);
    p.add_measure(&MeasureEntry {
        name: "Rooftop PV 400 kWp".into(),
        kind: Some("pv-rooftop".into()),
        inputs: vec![
            ("kwp".into(), "400".into()),
            ("yield".into(), "1100".into()),
            ("self-consumption".into(), "85%".into()),
        ],
        capex: Some("1400000".into()),
        opex: Some("8000".into()),
        status: Some("done".into()),
        start: Some("2025-07".into()),
        meter: Some("Rooftop PV".into()),
        ..Default::default()
    })
    .expect("the PV measure");
    let inv = p.inventory(Some(2025), false).unwrap();
    let pv = inv
        .inventory
        .sources
        .iter()
        .find(|s| s.source == "Rooftop PV")
        .unwrap();
    assert_eq!(
        pv.quantity, generated,
        "the whole export, every quarter hour"
    );
    assert_eq!(
        pv.tco2e,
        Decimal::ZERO,
        "the generation itself emits nothing"
    );

    let r = p.reduction(Some(2025), None).unwrap();
    let m = &r.measures[0];
    let planned = m.result.as_ref().unwrap();
    assert_eq!(
        planned.abatement_tco2e,
        Some(d("187")),
        "planned: 400 × 1,100 × 85 % = 374,000 kWh × 0.5 kg"
    );
    let a = m.achieved.as_ref().expect("metered");
    assert_eq!(a.method, Method::Metered);
    let expected = generated * d("0.5") / d("1000");
    assert_eq!(
        (a.location_tco2e, a.market_tco2e),
        (Some(expected), Some(expected)),
        "{generated} kWh × 0.5 kg/kWh"
    );
    assert_eq!(planned.achieved_tco2e, Some(expected));
    assert!(
        r.issues.iter().any(|i| i.code == "ACHIEVED_EXPORT_UNKNOWN"),
        "all generation counted as self-consumed is disclosed: {:?}",
        r.issues
    );
    let j = json::report(&r, Lang::En);
    assert_eq!(
        j["measures"][0]["achieved_tco2e"],
        lingtan::json::num(expected)
    );
    assert_eq!(j["measures"][0]["achieved_method"], "metered");
    assert!(p.verify().unwrap().ok());
}

/// Output 1,000 t → 1,100 t and the same factors: the change of −120 t splits into a volume
/// effect (more product) and an intensity effect (less energy per tonne) with no factor
/// effect, and the three add up to the change. A finished LED retrofit's achieved abatement is
/// production-normalised: (1,200,000 ÷ 1,000 × 1,100 − 1,000,000) kWh × 0.5 kg = 160 t.
#[test]
fn the_change_since_the_base_year_decomposes_and_done_measures_are_normalised() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = factory(dir.path());
    output(&mut p, 2024, "1000");
    output(&mut p, 2025, "1100");
    p.add_measure(&led("done", "2025-01")).unwrap();
    let r = p.reduction(None, None).unwrap();
    let dcp = r.decomposition.as_ref().expect("decomposed");
    assert_eq!((dcp.from_year, dcp.to_year), (2024, 2025));
    assert_eq!(dcp.change_tco2e, d("-120"));
    let (v, i, f) = (
        dcp.volume_tco2e.unwrap(),
        dcp.intensity_tco2e.unwrap(),
        dcp.factor_tco2e,
    );
    assert_eq!(f, Decimal::ZERO, "the factors did not change");
    assert!(v > Decimal::ZERO, "more product: a volume effect up");
    assert!(
        i < Decimal::ZERO,
        "less energy per tonne: an intensity effect down"
    );
    assert!(
        (v + i + f - dcp.change_tco2e).abs() < d("0.000000000000000001"),
        "the effects add up to the change: {v} + {i} + {f}"
    );
    for s in &dcp.sources {
        assert!(
            (s.volume_tco2e.unwrap() + s.intensity_tco2e.unwrap() + s.factor_tco2e
                - s.change_tco2e)
                .abs()
                < d("0.000000000000000001"),
            "{}: its effects add up too",
            s.source
        );
    }
    // printed to 0.001 t, the sum of the printed effects is the printed change to that precision
    let t3 = |x: Decimal| x.round_dp(3);
    assert!((t3(v) + t3(i) + t3(f) - t3(dcp.change_tco2e)).abs() <= d("0.002"));

    let led = r.measures[0].achieved.as_ref().expect("done: measured");
    assert_eq!(led.method, Method::ProductionNormalised);
    assert_eq!(led.market_tco2e, Some(d("160")));
    assert!(
        r.issues
            .iter()
            .any(|i| i.code == "ACHIEVED_WHOLE_SOURCE" && i.place == "measure LED retrofit"),
        "measured on the whole grid source, which holds everything else that changed it: said so"
    );
    let j = json::report(&r, Lang::En);
    assert_eq!(j["decomposition"]["change_tco2e"], "-120");
    assert_eq!(
        (
            &j["decomposition"]["from_tco2e"],
            &j["decomposition"]["to_tco2e"]
        ),
        (&serde_json::json!("840"), &serde_json::json!("720")),
        "the totals the change is between"
    );
    assert_eq!(j["decomposition"]["factor_tco2e"], "0");
    assert_eq!(j["measures"][0]["achieved_tco2e"], "160");

    // without output: factor and the rest, disclosed
    let dir2 = tempfile::tempdir().unwrap();
    let p2 = factory(dir2.path());
    let r2 = p2.reduction(None, None).unwrap();
    let d2 = r2.decomposition.as_ref().unwrap();
    assert_eq!((d2.volume_tco2e, d2.intensity_tco2e), (None, None));
    assert!(
        (d2.activity_tco2e.unwrap() + d2.factor_tco2e - d2.change_tco2e).abs()
            < d("0.000000000000000001"),
        "activity and factor add up to the change: {:?} + {}",
        d2.activity_tco2e,
        d2.factor_tco2e
    );
    assert_eq!(
        d2.activity_tco2e.map(|a| a.round_dp(3)),
        Some(d("-120")),
        "all of it is activity (the logarithms are the one approximation: printed to 0.001 t)"
    );
    assert!(r2.issues.iter().any(|i| i.code == "LMDI_NO_OUTPUT"));
}

/// The inventory's intensity: the year's total per unit of each metric recorded for it.
#[test]
fn intensity_is_the_total_per_unit_of_output() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = factory(dir.path());
    output(&mut p, 2025, "1100");
    p.add_output(&OutputEntry {
        metric: "value-added".into(),
        year: 2025,
        month: Some("2025-01".into()),
        qty: "120".into(),
        unit: "万元".into(),
        ..Default::default()
    })
    .unwrap();
    let inv = p.inventory(Some(2025), false).unwrap();
    let list = p.intensity(&inv).unwrap();
    let j = json::intensity(&list);
    assert_eq!(j[0]["metric"], "product");
    assert_eq!(j[0]["quantity"], "1100");
    assert_eq!(j[0]["tco2e_market_per_unit"], "0.654545", "720 ÷ 1,100");
    assert_eq!(
        j[1]["unit"], "10^4 CNY",
        "a metric keeps the unit it was recorded in"
    );
    assert_eq!(j[1]["tco2e_location_per_unit"], "6", "720 ÷ 120");
    let r = p.reduction(None, None).unwrap();
    assert!(
        r.issues
            .iter()
            .any(|i| i.code == "OUTPUT_MONTHS_MISSING" && i.place.contains("value-added")),
        "one month of value added is not the year's: {:?}",
        r.issues
    );
}

/// Every refusal the issue lists, and the others of the step: a stable code, the field named,
/// the message in both languages, and nothing written.
#[test]
fn every_bad_input_is_refused_with_its_field_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = factory(dir.path());
    output(&mut p, 2024, "1000");
    p.add_target(&near_term()).unwrap();
    p.add_measure(&led("planned", "2026-01")).unwrap();
    let before = state(&p);

    type Attempt = Box<dyn Fn(&mut Project) -> Result<(), lingtan::Error>>;
    let target = |f: fn(&mut TargetEntry)| -> Attempt {
        Box::new(move |p: &mut Project| {
            let mut t = near_term();
            t.name = "Another".into();
            f(&mut t);
            p.add_target(&t).map(|_| ())
        })
    };
    let measure = |f: fn(&mut MeasureEntry)| -> Attempt {
        Box::new(move |p: &mut Project| {
            let mut m = MeasureEntry {
                name: "Compressor".into(),
                kind: Some("other".into()),
                changes: vec!["Grid power=-5000 kWh".into()],
                capex: Some("10000".into()),
                ..Default::default()
            };
            f(&mut m);
            p.add_measure(&m).map(|_| ())
        })
    };
    let settings = |f: fn(&mut ReductionSettingsEntry)| -> Attempt {
        Box::new(move |p: &mut Project| {
            let mut s = ReductionSettingsEntry::default();
            f(&mut s);
            p.set_reduction_settings(&s).map(|_| ())
        })
    };
    let out = |f: fn(&mut OutputEntry)| -> Attempt {
        Box::new(move |p: &mut Project| {
            let mut o = OutputEntry {
                metric: "product".into(),
                year: 2025,
                qty: "10".into(),
                unit: "t".into(),
                ..Default::default()
            };
            f(&mut o);
            p.add_output(&o).map(|_| ())
        })
    };
    let cases: Vec<(&str, &str, &str, Option<&str>, Attempt)> = vec![
        // (what, code, field, a word the message must hold, attempt)
        (
            "target year not after the base year",
            "TARGET_YEAR_NOT_AFTER_BASE",
            "target-year",
            None,
            target(|t| t.target_year = 2024),
        ),
        (
            "a base year without data",
            "BASE_YEAR_NO_DATA",
            "base-year",
            None,
            target(|t| t.base_year = 2020),
        ),
        (
            "a reduction of 0",
            "REDUCTION_OUT_OF_RANGE",
            "reduction",
            None,
            target(|t| t.reduction = Some("0".into())),
        ),
        (
            "a reduction above 100 %",
            "REDUCTION_OUT_OF_RANGE",
            "reduction",
            None,
            target(|t| t.reduction = Some("100.5".into())),
        ),
        (
            "an unknown pathway",
            "UNKNOWN_PATHWAY",
            "pathway",
            Some("sbti-1.5c"),
            target(|t| {
                t.reduction = None;
                t.pathway = Some("sbti-1.5".into());
            }),
        ),
        (
            "an unknown metric",
            "UNKNOWN_METRIC",
            "metric",
            Some("'product'"),
            target(|t| t.metric = Some("prodcut".into())),
        ),
        (
            "unknown scopes",
            "UNKNOWN_SCOPES",
            "scopes",
            None,
            target(|t| t.scopes = "2".into()),
        ),
        (
            "a target named like another",
            "DUPLICATE",
            "name",
            None,
            target(|t| t.name = "near-term".into()),
        ),
        (
            "a reduction and a pathway",
            "AMBITION_TWICE",
            "pathway",
            None,
            target(|t| t.pathway = Some("sbti-1.5c".into())),
        ),
        (
            "an unknown source in a change",
            "UNKNOWN_SOURCE",
            "change",
            Some("'Grid power'"),
            measure(|m| m.changes = vec!["Grid pwr=-5 kWh".into()]),
        ),
        (
            "a change in a unit of another dimension",
            "CHANGE_UNIT_MISMATCH",
            "change",
            None,
            measure(|m| m.changes = vec!["Boiler gas=-5 kWh".into()]),
        ),
        (
            "a change that takes a source below zero",
            "CHANGE_EXCEEDS_ACTIVITY",
            "change",
            None,
            measure(|m| m.changes = vec!["Grid power=-2000000 kWh".into()]),
        ),
        (
            "a change without a unit",
            "BAD_CHANGE",
            "change",
            None,
            measure(|m| m.changes = vec!["Grid power=-5".into()]),
        ),
        (
            "a lifetime of 0",
            "LIFETIME_OUT_OF_RANGE",
            "lifetime",
            None,
            measure(|m| m.lifetime = Some("0".into())),
        ),
        (
            "negative capex",
            "NEGATIVE_CAPEX",
            "capex",
            None,
            measure(|m| m.capex = Some("-5".into())),
        ),
        (
            "no capex",
            "MISSING_FIELD",
            "capex",
            None,
            measure(|m| m.capex = None),
        ),
        (
            "an unknown kind",
            "UNKNOWN_MEASURE_KIND",
            "kind",
            Some("led"),
            measure(|m| m.kind = Some("leds".into())),
        ),
        (
            "an input the kind does not have",
            "UNKNOWN_INPUT",
            "kind",
            None,
            measure(|m| {
                m.kind = Some("led".into());
                m.changes.clear();
                m.inputs = vec![("watts".into(), "5".into())];
            }),
        ),
        (
            "a start that is not a month",
            "BAD_MONTH",
            "start",
            None,
            measure(|m| m.start = Some("July".into())),
        ),
        (
            "an unknown status",
            "UNKNOWN_MEASURE_STATUS",
            "status",
            None,
            measure(|m| m.status = Some("finished".into())),
        ),
        (
            "a meter that is not on-site generation",
            "WRONG_SOURCE_KIND",
            "meter",
            None,
            measure(|m| m.meter = Some("Grid power".into())),
        ),
        (
            "a meter on a measure that displaces no grid power",
            "METER_DISPLACES_NOTHING",
            "meter",
            None,
            measure(|m| {
                m.changes = vec!["Boiler gas=-5 m3".into()];
                m.meter = Some("Rooftop PV".into());
            }),
        ),
        (
            "a measure named like another",
            "DUPLICATE",
            "name",
            None,
            measure(|m| m.name = "led retrofit".into()),
        ),
        (
            "a discount rate of 100 %",
            "DISCOUNT_RATE_OUT_OF_RANGE",
            "discount-rate",
            None,
            settings(|s| s.discount_rate = Some("100".into())),
        ),
        (
            "a negative discount rate",
            "DISCOUNT_RATE_OUT_OF_RANGE",
            "discount-rate",
            None,
            settings(|s| s.discount_rate = Some("-1".into())),
        ),
        (
            "a price in the wrong unit",
            "PRICE_UNIT_MISMATCH",
            "price",
            None,
            settings(|s| s.prices = vec!["Grid power=0.68/m3".into()]),
        ),
        (
            "a price of an unknown source",
            "UNKNOWN_SOURCE",
            "price",
            Some("'Boiler gas'"),
            settings(|s| s.prices = vec!["Boiler gaz=3.5/m3".into()]),
        ),
        (
            "a negative price",
            "NEGATIVE_PRICE",
            "price",
            None,
            settings(|s| s.prices = vec!["Grid power=-1/kWh".into()]),
        ),
        (
            "a price and a bad rate together: nothing is written",
            "DISCOUNT_RATE_OUT_OF_RANGE",
            "discount-rate",
            None,
            settings(|s| {
                s.prices = vec!["Grid power=0.68/kWh".into()];
                s.discount_rate = Some("150".into());
            }),
        ),
        (
            "a negative carbon price",
            "NEGATIVE_CARBON_PRICE",
            "carbon-price",
            None,
            settings(|s| s.carbon_price = Some("-80".into())),
        ),
        (
            "a threshold of 0",
            "THRESHOLD_OUT_OF_RANGE",
            "threshold",
            None,
            settings(|s| s.threshold = Some("0".into())),
        ),
        (
            "negative output",
            "NEGATIVE_OUTPUT",
            "qty",
            None,
            out(|o| o.qty = "-3".into()),
        ),
        (
            "output in another dimension than its metric",
            "OUTPUT_UNIT_MISMATCH",
            "unit",
            None,
            out(|o| o.unit = "pcs".into()),
        ),
        (
            "the same year's output twice",
            "OUTPUT_DUPLICATE",
            "year",
            None,
            out(|o| o.year = 2024),
        ),
        (
            "a month beside the year's output",
            "OUTPUT_MIXED",
            "month",
            None,
            out(|o| {
                o.year = 2024;
                o.month = Some("2024-03".into());
            }),
        ),
        (
            "a month of another year",
            "BAD_MONTH",
            "month",
            None,
            out(|o| o.month = Some("2024-03".into())),
        ),
        (
            "an unknown site",
            "UNKNOWN_SITE",
            "site",
            None,
            out(|o| o.site = Some("Mars".into())),
        ),
    ];
    for (what, code, field, word, attempt) in &cases {
        let e = attempt(&mut p).expect_err(what);
        assert_eq!(
            (e.code, e.field.map(|f| f.code())),
            (*code, Some(*field)),
            "{what}: {}",
            e.message(Lang::En)
        );
        assert!(
            !e.message(Lang::En).is_empty() && !e.message(Lang::Zh).is_empty(),
            "{what}: both languages"
        );
        assert_ne!(
            e.message(Lang::En),
            e.message(Lang::Zh),
            "{what}: the Chinese message is Chinese"
        );
        if let Some(word) = word {
            assert!(
                e.message(Lang::En).contains(word),
                "{what}: '{}' should name {word}",
                e.message(Lang::En)
            );
        }
        assert_eq!(state(&p), before, "{what}: the project is unchanged");
    }
    // the other verbs
    let e = p
        .set_measure(&MeasureEntry {
            name: "LED retrofitt".into(),
            status: Some("done".into()),
            ..Default::default()
        })
        .unwrap_err();
    assert_eq!(
        (e.code, e.field.map(|f| f.code())),
        ("UNKNOWN_MEASURE", Some("name"))
    );
    assert!(
        e.message(Lang::En).contains("did you mean 'LED retrofit'"),
        "{}",
        e.message(Lang::En)
    );
    let e = p.rebase_target("Near term 2030", "x").unwrap_err();
    assert_eq!(
        (e.code, e.field.map(|f| f.code())),
        ("UNKNOWN_TARGET", Some("name"))
    );
    let e = p.rebase_target("Near-term", "  ").unwrap_err();
    assert_eq!(
        (e.code, e.field.map(|f| f.code())),
        ("REASON_REQUIRED", Some("reason"))
    );
    let e = p.rebase_target("Near-term", "nothing changed").unwrap_err();
    assert_eq!(e.code, "BASE_YEAR_UNCHANGED");
    let e = p.reduction(None, Some("grid")).unwrap_err();
    assert_eq!(
        (e.code, e.field.map(|f| f.code())),
        ("UNKNOWN_BASIS", Some("basis"))
    );
    assert_eq!(state(&p), before, "still unchanged");
    assert!(p.verify().unwrap().ok());
}

/// Every change of the step is an audit entry, the chain verifies, and a measure's change of
/// status is a new version whose old one stays.
#[test]
fn every_change_is_in_the_audit_chain_and_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = factory(dir.path());
    let entries = |p: &Project| p.audit(None).unwrap().len();
    let mut n = entries(&p);
    output(&mut p, 2024, "1000");
    assert_eq!(entries(&p), n + 1, "output");
    n += 1;
    p.add_target(&near_term()).unwrap();
    assert_eq!(entries(&p), n + 1, "target");
    n += 1;
    p.add_measure(&led("planned", "2026-01")).unwrap();
    assert_eq!(entries(&p), n + 1, "measure");
    n += 1;
    let done = p
        .set_measure(&MeasureEntry {
            name: "LED retrofit".into(),
            status: Some("done".into()),
            start: Some("2025-01".into()),
            reason: Some("finished early".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(done.version, 2);
    assert_eq!(
        entries(&p),
        n + 2,
        "the old version superseded, the new one added"
    );
    n += 2;
    let unchanged = p
        .set_measure(&MeasureEntry {
            name: "LED retrofit".into(),
            status: Some("done".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(
        (unchanged.version, entries(&p)),
        (2, n),
        "nothing changed: nothing written"
    );
    p.set_reduction_settings(&ReductionSettingsEntry {
        discount_rate: Some("6%".into()),
        carbon_price: Some("80".into()),
        prices: vec!["Grid power=0.7/kWh".into(), "Boiler gas=3.6/m3".into()],
        ..Default::default()
    })
    .unwrap();
    assert_eq!(entries(&p), n + 3, "two prices and the settings");
    let logged: Vec<String> = p
        .audit(None)
        .unwrap()
        .into_iter()
        .map(|e| e.entity)
        .collect();
    for entity in [
        "output",
        "target",
        "measure",
        "energy_price",
        "reduction_setting",
    ] {
        assert!(logged.iter().any(|e| e == entity), "{entity} is in the log");
    }
    let r = p.reduction(None, None).unwrap();
    assert_eq!(r.discount_rate.pct(), d("6"));
    assert_eq!(r.carbon_price, Some(d("80")));
    assert_eq!(
        p.prices().unwrap().len(),
        2,
        "both prices, set on the project"
    );
    assert!(
        p.verify().unwrap().ok(),
        "{:?}",
        p.verify().unwrap().findings
    );
}

/// A year whose inventory is incomplete (a source without a factor) makes every figure taken
/// from it incomplete: the step says so instead of showing a quietly low number as on track.
#[test]
fn an_incomplete_inventory_is_an_error_of_the_step_too() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = factory(dir.path());
    p.add_target(&near_term()).unwrap();
    p.add_source(&SourceEntry {
        name: "Waste".into(),
        site: "Plant".into(),
        kind: "scope3-5".into(),
        unit: Some("t".into()),
        ..Default::default()
    })
    .unwrap();
    record(&mut p, "Waste", 2025, "12", "t");
    let r = p.reduction(None, None).unwrap();
    let found: Vec<&str> = r
        .issues
        .iter()
        .filter(|i| i.code == "INVENTORY_HAS_ERRORS")
        .map(|i| i.place.as_str())
        .collect();
    assert_eq!(
        found,
        ["inventory 2025"],
        "the 2025 inventory lacks a factor; 2024 is complete"
    );
}

/// What `Project::reduction` costs next to the inventory on a larger project (a measurement,
/// not a timed assertion: the machine is shared). Run with
/// `cargo test -p lingtan --release --test reduction -- --ignored --nocapture measure`; the
/// figures it prints go to the phase-B benchmark. The step reads the records once for all the
/// years it needs ([`Project::reduction`] → `inventories`), so on a two-year project it should
/// cost about one pass over the records plus the measures, not one pass per year.
#[test]
#[ignore]
fn measure_the_reduction_against_the_inventory_on_a_larger_project() {
    let records: usize = std::env::var("RECORDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200_000);
    let dir = tempfile::tempdir().unwrap();
    let mut p = factory(dir.path());
    let sources: Vec<(i64, lingtan_core::Unit)> = p
        .sources()
        .unwrap()
        .into_iter()
        .filter(|s| s.name != "Rooftop PV")
        .map(|s| (s.id, s.unit.unwrap()))
        .collect();
    let mut batch = Vec::with_capacity(100_000);
    for n in 0..records {
        let (source_id, unit) = sources[n % sources.len()];
        let year = if n % 2 == 0 { 2024 } else { 2025 };
        let day = chrono::NaiveDate::from_ymd_opt(year, 1, 1).unwrap()
            + chrono::Duration::days(((n / 4) % 365) as i64);
        batch.push(lingtan::BulkActivity {
            source_id,
            from: day,
            to: day,
            quantity: Decimal::new((n % 9_999 + 1) as i64, 2),
            unit,
            note: None,
            evidence_id: None,
            reason: None,
            origin_ref: Some(format!("bench!{}", n + 2)),
            detail: None,
        });
        if batch.len() == batch.capacity() {
            p.add_activity_batch("benchmark", &batch).unwrap();
            batch.clear();
        }
    }
    if !batch.is_empty() {
        p.add_activity_batch("benchmark", &batch).unwrap();
    }
    output(&mut p, 2024, "1000");
    output(&mut p, 2025, "1100");
    p.add_target(&near_term()).unwrap();
    p.set_reduction_settings(&ReductionSettingsEntry {
        prices: vec!["Grid power=0.7/kWh".into(), "Boiler gas=3.2/m3".into()],
        ..Default::default()
    })
    .unwrap();
    for i in 0..200 {
        let mut m = led(if i % 3 == 0 { "done" } else { "planned" }, "2025-01");
        m.name = format!("LED retrofit {i:03}");
        m.inputs[0].1 = format!("{}", 1 + i % 7);
        p.add_measure(&m).unwrap();
    }
    let best = |f: &dyn Fn()| {
        (0..3)
            .map(|_| {
                let t = std::time::Instant::now();
                f();
                t.elapsed().as_secs_f64()
            })
            .fold(f64::INFINITY, f64::min)
    };
    let inventory = best(&|| {
        p.inventory(Some(2025), false).unwrap();
    });
    let both = best(&|| {
        p.inventory(Some(2024), false).unwrap();
        p.inventory(Some(2025), false).unwrap();
    });
    let reduction = best(&|| {
        p.reduction(Some(2025), None).unwrap();
    });
    println!(
        "{records} records over 2024–2025, 200 measures: inventory 2025 {inventory:.3} s, inventories 2024 and 2025 {both:.3} s, reduction 2025 {reduction:.3} s, ratio to one inventory {:.2}",
        reduction / inventory
    );
}

/// An intensity target: −30 % per tonne of product by 2030 from 2024 (840 t ÷ 1,000 t = 0.84
/// t/t). 2025 allows 0.84 × (1 − 0.30 × 1/6) = 0.798 t/t × 1,100 t = 877.8 t; 720 t is on track,
/// 157.8 t below. The report gets each year's output, which its workbook's allowed emissions
/// are formulas over.
#[test]
fn an_intensity_target_is_assessed_at_each_years_output() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = factory(dir.path());
    output(&mut p, 2024, "1000");
    output(&mut p, 2025, "1100");
    p.add_target(&TargetEntry {
        name: "Per tonne".into(),
        scopes: "1+2".into(),
        base_year: 2024,
        target_year: 2030,
        reduction: Some("30".into()),
        metric: Some("product".into()),
        ..Default::default()
    })
    .expect("intensity target");
    let r = p.reduction(None, None).expect("reduction");
    let t = &r.targets[0];
    assert_eq!(
        t.outputs,
        vec![(2024, d("1000")), (2025, d("1100"))],
        "each year's output in the metric's unit"
    );
    let y2025 = t
        .assessment
        .trajectory
        .iter()
        .find(|y| y.year == 2025)
        .unwrap();
    assert_eq!(
        (y2025.allowed_tco2e, y2025.gap_tco2e, y2025.status),
        (Some(d("877.8")), Some(d("-157.8")), Status::OnTrack),
        "0.798 t/t × 1,100 t allowed, 720 t emitted"
    );
}
