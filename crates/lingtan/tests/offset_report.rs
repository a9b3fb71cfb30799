//! The offset section from a real project (made through the workbench, like the worked example
//! of crates/lingtan/tests/offset.rs): its blocks rendered as text show the figures, the
//! certificates with their checks and the credits with their serials; its two sheets, written into
//! a workbook of their own, recalculate in LibreOffice to the app's figures.

use lingtan::{CreditEntry, CreditRetirement, EacEntry, NewProject, Project, SourceEntry};
use lingtan_report::doc::Document;
use lingtan_report::offset::{self, Certificate, Links, RetiredCredit, Section};
use lingtan_report::{Lang, Langs};
use std::path::Path;
use std::process::Command;
use std::sync::Arc;

const ORG: &str = "Anji Demo Co";

/// Two sites on the East China grid: A 10,000 kWh in January and 20,000 in February, B 5,000
/// in January (residual mix 0.6096 kg/kWh). g1 15 MWh for Plant A, g2 8 MWh for any site, a
/// Norwegian GO excluded (✗ market); 5 t of a Verra block and 2 t of a CCER block retired for
/// 2025. By hand: scope 2 market 21.336 before, 23,000 kWh × 0.6096 ÷ 1000 = 14.0208 taken off,
/// 7.3152 after; credits counted 7; coverage 700 ÷ 7.3152 = 95.6911636… %; shortfall 0.3152.
fn project(dir: &Path) -> Project {
    let clock: lingtan::Clock = Arc::new(|| "2026-03-01T08:00:00Z".to_string());
    let mut p = Project::create(
        &dir.join("offset.lingtan"),
        &NewProject {
            org: ORG.into(),
            org_zh: Some("安吉示范制造有限公司".into()),
            year: 2025,
            base_year: Some(2025),
            ..Default::default()
        },
        clock,
    )
    .expect("create");
    for (site, source) in [("Plant A", "A grid"), ("Warehouse B", "B grid")] {
        p.add_site(site, Some("CN-East"), None).expect("site");
        p.add_source(&SourceEntry {
            name: source.into(),
            site: site.into(),
            kind: "electricity".into(),
            unit: Some("kWh".into()),
            ..Default::default()
        })
        .expect("source");
    }
    for (source, from, to, qty) in [
        ("A grid", "2025-01-01", "2025-01-31", "10000"),
        ("A grid", "2025-02-01", "2025-02-28", "20000"),
        ("B grid", "2025-01-01", "2025-01-31", "5000"),
    ] {
        p.add_activity(&lingtan::ActivityEntry {
            source: source.into(),
            from: from.into(),
            to: to.into(),
            qty: qty.into(),
            unit: "kWh".into(),
            ..Default::default()
        })
        .expect("record");
    }
    let gec = |id: &str, mwh: &str, sites: &[&str]| EacEntry {
        kind: "gec".into(),
        id: id.into(),
        mwh: mwh.into(),
        from: "2025-01".into(),
        to: "2025-02".into(),
        sites: sites.iter().map(|s| s.to_string()).collect(),
        technology: Some("wind".into()),
        region: Some("内蒙古".into()),
        retired: Some("2025-12-20".into()),
        beneficiary: Some(ORG.into()),
        ..Default::default()
    };
    p.add_eac(&gec("g1", "15", &["Plant A"])).expect("g1");
    p.add_eac(&gec("g2", "8", &[])).expect("g2");
    p.add_eac(&EacEntry {
        kind: "go".into(),
        technology: Some("hydro".into()),
        region: Some("NO".into()),
        ..gec("GO-NO-1", "50", &[])
    })
    .expect("go");
    p.add_credit(&CreditEntry {
        registry: "verra".into(),
        serial: "19309-936487628-936491271-VCS-VCU-1491-VER-RW-3-4150-01102024-31122024-1".into(),
        kind: Some("avoidance".into()),
        ..Default::default()
    })
    .expect("a Verra block");
    p.retire_credit(
        "1",
        &CreditRetirement {
            date: "2026-01-15".into(),
            beneficiary: ORG.into(),
            for_year: "2025".into(),
            qty: Some("5".into()),
            ..Default::default()
        },
    )
    .expect("5 t of it");
    p.add_credit(&CreditEntry {
        registry: "ccer".into(),
        serial: "CCER-2025-000123".into(),
        qty: Some("100".into()),
        kind: Some("removal".into()),
        vintage: Some("2025".into()),
        ..Default::default()
    })
    .expect("a CCER block");
    p.retire_credit(
        "4",
        &CreditRetirement {
            date: "2026-02-01".into(),
            beneficiary: "安吉示范制造有限公司".into(),
            for_year: "2025".into(),
            qty: Some("2".into()),
            ..Default::default()
        },
    )
    .expect("2 t of it");
    p
}

fn document(blocks: Vec<lingtan_report::doc::Block>, lang: Lang) -> Document {
    Document {
        lang: Langs::One(lang),
        title: "offset".into(),
        subject: String::new(),
        author: String::new(),
        keywords: String::new(),
        date: "2025-12-31".into(),
        blocks,
    }
}

#[test]
fn the_offset_section_shows_the_figures_the_certificates_and_the_credits() {
    let dir = tempfile::tempdir().expect("dir");
    let p = project(dir.path());
    let o = p.offset(None, None).expect("offset");
    let inv = p.inventory(None, false).expect("inventory").inventory;
    let certificates: Vec<Certificate<'_>> = o
        .certificates
        .iter()
        .map(|c| Certificate {
            record: c.record,
            eac: &c.eac,
            checks: &c.checks,
            excluded: c.excluded,
        })
        .collect();
    let credits: Vec<RetiredCredit<'_>> = o
        .credits
        .iter()
        .map(|c| RetiredCredit {
            credit: &c.credit,
            checks: &c.checks,
            excluded: c.excluded,
        })
        .collect();
    let section = Section {
        inventory: &inv,
        summary: &o.summary,
        certificates: &certificates,
        credits: &credits,
    };

    let text = lingtan_report::text::render(&document(
        offset::blocks(&section, Langs::One(Lang::En), "9"),
        Lang::En,
    ));
    for (what, why) in [
        ("9 Offset", "the heading with the number phase B gives it"),
        ("21.336", "scope 2 market-based before the certificates"),
        ("14.021", "23,000 kWh × 0.6096 ÷ 1000 taken off"),
        ("7.315", "scope 2 market-based after"),
        ("Plant A / A grid", "the source the certificates covered"),
        ("GO-NO-1", "the excluded certificate is listed"),
        ("× EAC_MARKET_MISMATCH", "with the ✗ check that excludes it"),
        (
            "19309-936487628-936487632-VCS-VCU-1491-VER-RW-3-4150-01102024-31122024-1",
            "the retired part of the Verra block, by its own serial (5 units)",
        ),
        ("936487628 – 936487632", "its units"),
        ("2026-01-15", "its retirement date"),
        ("CCER-2025-000123", "the CCER block kept verbatim"),
        ("95.69%", "coverage 700 ÷ 7.3152"),
        ("0.315", "the shortfall"),
        (
            "coverage % = min(credits counted",
            "each share with its formula",
        ),
    ] {
        assert!(text.contains(what), "{why}: '{what}' missing from\n{text}");
    }
    let zh = lingtan_report::text::render(&document(
        offset::blocks(&section, Langs::One(Lang::Zh), "9"),
        Lang::Zh,
    ));
    assert!(
        zh.contains("9 碳抵消") && zh.contains("证书后范围二"),
        "the Chinese section: {zh}"
    );

    // the sheets in a workbook of their own, recalculated by LibreOffice
    let mut book = rust_xlsxwriter::Workbook::new();
    let cells = offset::sheets(&mut book, &section, Langs::One(Lang::En), &Links::default())
        .expect("sheets");
    assert_eq!(
        cells.coverage_pct.map(|c| c.1),
        Some(1),
        "the coverage is a figure (the residual is above 0)"
    );
    let path = dir.path().join("offset.xlsx");
    book.save(&path).expect("save");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let check = Command::new("python3")
        .arg(root.join("tests/report/recalc.py"))
        .arg(&path)
        .arg(dir.path().join("recalc"))
        .output()
        .expect("python3");
    let said = String::from_utf8_lossy(&check.stdout);
    assert!(
        check.status.success(),
        "LibreOffice recalculation differs from the app:\n{said}{}",
        String::from_utf8_lossy(&check.stderr)
    );
    // the unused-MWh column (3), the covered kWh and what it takes off (2), before/taken/after
    // (2: before is a value without a link), the two quantities from a range (1: the CCER
    // block has none), scope 2 after, residual, retired, counted, removal, avoidance, coverage,
    // shortfall (8)
    assert!(
        said.contains("16 formula cells recalculated by LibreOffice, 0 differ"),
        "every live formula recalculates to the app's figure: {said}"
    );
}
