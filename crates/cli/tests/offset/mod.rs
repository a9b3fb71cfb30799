//! The offset step end to end through the real binary: the sample factory's 2025 offset story
//! (sample-data/offset-2025.sh) against golden files, text and JSON; the 2024 inventory's figures
//! unchanged by it; the inventory JSON's `eac_kwh` only where certificates cover a source.

use std::path::{Path, PathBuf};

use super::{build_sample, golden_sample, ok};

/// The sample project: make-sample.sh runs the offset story (offset-2025.sh) at its end. The
/// 2024 inventory is taken from the same file: the story adds only 2025 certificates and credits.
fn sample_with_offset(dir: &Path) -> (PathBuf, serde_json::Value) {
    let out = build_sample(dir);
    let p = out.to_str().unwrap().to_string();
    let before: serde_json::Value =
        serde_json::from_str(&ok(&["inventory", &p, "--json", "--year", "2024"])).unwrap();
    (out, before)
}

/// The inventory JSON without what ties it to the file's state (the audit head, the data
/// fingerprint): the figures only.
fn figures(mut v: serde_json::Value) -> serde_json::Value {
    if let Some(o) = v.as_object_mut() {
        o.remove("audit_head");
        o.remove("fingerprint");
    }
    v
}

#[test]
fn the_sample_offset_story_matches_the_golden_files_and_leaves_2024_alone() {
    let dir = tempfile::tempdir().unwrap();
    let (sample, before) = sample_with_offset(dir.path());
    let p = sample.to_str().unwrap();
    let after: serde_json::Value =
        serde_json::from_str(&ok(&["inventory", p, "--json", "--year", "2024"])).unwrap();
    let eacs: serde_json::Value = serde_json::from_str(&ok(&["eac", "list", p, "--json"])).unwrap();
    assert!(
        eacs.as_array().is_some_and(|a| a.len() == 3),
        "the story records three certificate records: {eacs}"
    );
    // when make-sample.sh already ran the story, `before` has it too: the comparison still
    // holds (2024 figures are the same with or without the 2025 certificates)
    assert_eq!(
        figures(before),
        figures(after.clone()),
        "2025 certificates and credits must not change any 2024 figure"
    );
    assert!(
        after["sources"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s.get("eac_kwh").is_none()),
        "no certificate covers 2024: no source of the 2024 inventory has eac_kwh"
    );

    let inv25: serde_json::Value =
        serde_json::from_str(&ok(&["inventory", p, "--json", "--year", "2025"])).unwrap();
    for s in inv25["sources"].as_array().unwrap() {
        let eac = s["market_basis"] == "eac";
        assert_eq!(
            s.get("eac_kwh").is_some(),
            eac,
            "eac_kwh is given exactly where the market basis is eac: {s}"
        );
        if s["source"] == "Grid electricity - warehouse" {
            assert!(
                !eac,
                "the certificates are limited to the Anji plant: the warehouse is not covered"
            );
        }
    }

    // the offset summary in English, Chinese and JSON, and both lists, against one golden file
    golden_sample(&sample).check("sample-offset-2025.txt");
    let json_text = ok(&["offset", p, "--year", "2025", "--json"]);

    // the JSON contract of `lingtan offset --json` (README)
    let o: serde_json::Value = serde_json::from_str(&json_text).unwrap();
    for key in [
        "year",
        "scopes",
        "residual_tco2e",
        "scope2_market_before_eac_tco2e",
        "scope2_market_tco2e",
        "eac",
        "credits",
        "coverage_pct",
        "shortfall_tco2e",
        "shares",
        "issues",
    ] {
        assert!(o.get(key).is_some(), "offset --json promises '{key}'");
    }
    assert_eq!(
        o["credits"]["retired_tco2e"], "2000",
        "800 t CCER retired whole + 1,200 t of the Verra block"
    );
    assert_eq!(
        o["eac"]["mwh_retired"], "1200",
        "1,200 MWh of wind GECs count; the PV's own 40 MWh are retired but not applied to grid electricity (its output is counted as used on site: EAC_OWN_GENERATION_ONSITE); the 500 held are not retired"
    );
    assert!(
        o["issues"]
            .as_array()
            .is_some_and(|a| a.iter().any(|i| i["code"] == "EAC_OWN_GENERATION_ONSITE")),
        "the summary says why the PV's own certificates are not counted"
    );
    let credits: serde_json::Value =
        serde_json::from_str(&ok(&["credit", "list", p, "--json"])).unwrap();
    let verra: Vec<&serde_json::Value> = credits
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["registry"] == "verra")
        .collect();
    assert_eq!(verra.len(), 2, "the partial retirement lists both parts");
    assert_eq!(
        verra
            .iter()
            .map(|c| c["quantity"].as_u64().unwrap())
            .sum::<u64>(),
        3000,
        "the parts add up to the 3,000 t block"
    );
}

/// The 2025 report of the sample with its certificates and credits: the workbook's Certificates
/// and Credits sheets and the Calculation sheet's market-based column (after the covered kWh)
/// recalculate in LibreOffice to the app's figures; the PDF has the offset section.
#[test]
fn the_offset_sheets_recalculate_in_libreoffice_and_the_pdf_has_the_section() {
    let dir = tempfile::tempdir().unwrap();
    let (sample, _) = sample_with_offset(dir.path());
    let p = sample.to_str().unwrap();
    let book = dir.path().join("offset.xlsx");
    let pdf = dir.path().join("offset.pdf");
    ok(&[
        "report",
        p,
        "--year",
        "2025",
        "--lang",
        "en",
        "--xlsx",
        book.to_str().unwrap(),
        "--pdf",
        pdf.to_str().unwrap(),
    ]);
    assert!(
        pdf.exists() && book.exists(),
        "both files are written together"
    );
    let text = ok(&["report", p, "--year", "2025", "--lang", "en"]);
    assert!(
        text.contains("9 Offset") && text.contains("Carbon credits retired"),
        "a year with certificates and credits has the offset section"
    );
    super::report::recalculates_in_libreoffice(&book, &dir.path().join("recalc"));
    // the 2024 report has no certificate claimed nor credit retired: no offset section
    let text24 = ok(&["report", p, "--year", "2024", "--lang", "en"]);
    assert!(
        !text24.contains("Offset") && !text24.contains("Carbon credits retired"),
        "a year without certificates or credits has no offset section"
    );
}
