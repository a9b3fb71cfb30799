//! Readiness (`Project::check`) on a project built by hand, against the result a person expects
//! from what was entered — not a recount of the rules' own list.

use lingtan::{ActivityEntry, FactorEntry, NewProject, Project, SourceEntry};
use lingtan_core::check::Status;
use std::path::Path;
use std::sync::Arc;

/// Base year 2023, inventory 2024. `Power` (electricity) has a bill for every month but March,
/// the January bill with its scan attached; `Freight` (scope 3) uses a user factor (not
/// verified) and has one yearly record; `AC` (R-410A) has no top-up recorded.
fn project(dir: &Path) -> Project {
    let clock: lingtan::Clock = Arc::new(|| "2025-03-01T00:00:00Z".to_string());
    let mut p = Project::create(
        &dir.join("p.lingtan"),
        &NewProject {
            org: "Check Co.".into(),
            year: 2024,
            base_year: Some(2023),
            ..Default::default()
        },
        clock,
    )
    .expect("create");
    p.add_site("Plant", Some("CN-East"), None).expect("site");
    p.add_factor(&FactorEntry {
        id: "FREIGHT-HGV".into(),
        unit: "t.km".into(),
        co2e: Some("0.107".into()),
        citation: "Illustrative freight factor for a test".into(),
        ..Default::default()
    })
    .expect("factor");
    for (name, kind, fuel, factor, unit) in [
        ("Power", "electricity", None, None, "kWh"),
        ("Freight", "scope3-4", None, Some("FREIGHT-HGV"), "t.km"),
        ("AC", "fugitive", Some("R-410A"), None, "kg"),
    ] {
        p.add_source(&SourceEntry {
            name: name.into(),
            site: "Plant".into(),
            kind: kind.into(),
            fuel: fuel.map(String::from),
            factor: factor.map(String::from),
            unit: Some(unit.into()),
            ..Default::default()
        })
        .expect("source");
    }
    let scan = dir.join("bill-2024-01.pdf");
    std::fs::write(&scan, b"%PDF-1.4 a bill").expect("scan");
    for m in [1u32, 2, 4, 5, 6, 7, 8, 9, 10, 11, 12] {
        let last = chrono::NaiveDate::from_ymd_opt(2024, m, 1)
            .and_then(|d| d.checked_add_months(chrono::Months::new(1)))
            .and_then(|d| d.pred_opt())
            .expect("month end");
        p.add_activity(&ActivityEntry {
            source: "Power".into(),
            from: format!("2024-{m:02}-01"),
            to: last.to_string(),
            qty: "1000".into(),
            unit: "kWh".into(),
            evidence: (m == 1).then(|| scan.clone()),
            ..Default::default()
        })
        .expect("bill");
    }
    p.add_activity(&ActivityEntry {
        source: "Freight".into(),
        from: "2024-01-01".into(),
        to: "2024-12-31".into(),
        qty: "10000".into(),
        unit: "t.km".into(),
        ..Default::default()
    })
    .expect("freight");
    p
}

#[test]
fn readiness_of_a_hand_built_project_is_what_was_entered() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = project(dir.path());
    let r = p.check(None).expect("check");
    let got: Vec<(&str, Status)> = r.checks.iter().map(|c| (c.code, c.status)).collect();
    assert_eq!(
        got,
        vec![
            ("CHECK_BASE_YEAR", Status::Pass),
            ("CHECK_EVERY_MONTH", Status::Fail),
            ("CHECK_YEARLY_RECORDS", Status::Warn),
            ("CHECK_FACTORS_VERIFIED", Status::Warn),
            ("CHECK_EVIDENCE", Status::Warn),
            ("CHECK_NO_ERRORS", Status::Pass),
        ],
        "base year set; March missing for Power; no AC top-up; the user factor unverified; 11 of 12 \
         records without a scan; nothing that stops the calculation: {:#?}",
        r.checks
    );
    assert!(!r.ready, "a failing check makes the year not ready");
    let by = |code: &str| r.checks.iter().find(|c| c.code == code).expect(code);
    let months = by("CHECK_EVERY_MONTH");
    assert_eq!(
        months.found.en, "Months without data: Power: 2024-03",
        "names the source and the one missing month"
    );
    assert_eq!(
        months
            .places
            .iter()
            .map(|p| p.label.as_str())
            .collect::<Vec<_>>(),
        ["Power"]
    );
    let yearly = by("CHECK_YEARLY_RECORDS");
    assert_eq!(
        yearly.found.en, "No record in 2024: AC",
        "the refrigerant without a top-up is named, Freight is not (it has its record)"
    );
    let factors = by("CHECK_FACTORS_VERIFIED");
    assert_eq!(
        factors
            .places
            .iter()
            .map(|p| p.label.as_str())
            .collect::<Vec<_>>(),
        ["FREIGHT-HGV@1"],
        "only the user factor is unverified; the grid factor of the library is verified"
    );
    let evidence = by("CHECK_EVIDENCE");
    assert_eq!(
        evidence.found.en,
        "1 of 12 records of 2024 have a bill or file attached"
    );
    assert_eq!(
        evidence.places.len(),
        11,
        "every record without a scan is listed"
    );
    assert!(
        by("CHECK_BASE_YEAR").todo.is_none() && months.todo.is_some(),
        "what to do is said only where something is to do"
    );
}

#[test]
fn another_year_is_checked_on_its_own_data() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = project(dir.path());
    let r = p.check(Some(2023)).expect("check");
    assert_eq!(r.year, 2023);
    let status = |code: &str| r.checks.iter().find(|c| c.code == code).map(|c| c.status);
    assert_eq!(
        status("CHECK_EVIDENCE"),
        Some(Status::Fail),
        "no record touches 2023"
    );
    assert_eq!(status("CHECK_NO_ERRORS"), Some(Status::Fail));
    assert!(
        r.checks[1].found.en.contains("Power: 2023-01, 2023-02"),
        "every month of 2023 is missing: {}",
        r.checks[1].found.en
    );
    let refused = p
        .check(Some(1800))
        .expect_err("a year out of range is refused");
    assert_eq!(refused.code, "BAD_YEAR");
}
