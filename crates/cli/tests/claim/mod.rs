//! The certification step end to end through the real binary: the sample factory's 2025 claim
//! (sample-data/claim-2025.sh) against golden files; ISO 14068-1 checks on the sample changed so
//! that exactly one rule no longer holds (one test per rule, named for it); a claim for a
//! non-calendar twelve months worked out. The claim is made in March 2026: every command here runs
//! with the clock at 2026-03-20, as claim-2025.sh does.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use lingtan_testkit::golden::Golden;
use lingtan_testkit::Cli;

use super::cli;

const CLAIM_NOW: &str = "2026-03-20T09:00:00Z";

fn claim_cli() -> Cli {
    cli().env("LINGTAN_NOW", CLAIM_NOW)
}

/// The sample, built once for the module (make-sample.sh runs claim-2025.sh at its end).
fn sample() -> &'static Path {
    static SAMPLE: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    &SAMPLE
        .get_or_init(|| {
            let dir = tempfile::tempdir().unwrap();
            let path = cli().sample(dir.path());
            (dir, path)
        })
        .1
}

/// A copy of the sample to change.
fn copy(dir: &Path) -> String {
    let to = dir.join("claim.lingtan");
    std::fs::copy(sample(), &to).unwrap();
    to.to_str().unwrap().to_string()
}

fn lt(args: &[&str]) -> String {
    claim_cli().ok(args)
}

/// `claim --json` of 2025 under `framework`, and its exit status.
fn claim(p: &str, framework: &str) -> (serde_json::Value, Option<i32>) {
    let ran = claim_cli().run(&[
        "claim",
        p,
        "--framework",
        framework,
        "--year",
        "2025",
        "--json",
    ]);
    let v = serde_json::from_str(&ran.stdout)
        .unwrap_or_else(|e| panic!("claim --json prints JSON ({e}): {}", ran.shown()));
    (v, ran.code)
}

/// The codes of the checks with `status`.
fn with_status(v: &serde_json::Value, status: &str) -> Vec<String> {
    v["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["status"] == status)
        .map(|c| c["code"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn the_sample_claim_matches_the_golden_files() {
    let g = Golden::new(&claim_cli()).with("SAMPLE", sample());
    g.check("sample-claim-2025.txt");
    g.check("sample-claim-2025.json.txt");
}

#[test]
fn the_sample_is_carbon_neutral_for_2025_under_iso_14068_1() {
    let (v, code) = claim(sample().to_str().unwrap(), "iso14068-1");
    assert_eq!(code, Some(0), "a ready claim exits 0: {v}");
    assert_eq!(v["ready"], true, "no check fails on the sample's 2025");
    assert!(
        with_status(&v, "fail").is_empty() && with_status(&v, "warn").is_empty(),
        "every ISO 14068-1 check passes on the sample: {v}"
    );
    assert_eq!(
        v["edition"], "iso14068-1:2023",
        "the JSON names the edition"
    );
    assert_eq!(v["coverage_pct"], "100", "the credits cover the subject");
    // the subject is scope 1 + scope 2 market-based after certificates, as `offset` counts it
    let offset: serde_json::Value = serde_json::from_str(&lt(&[
        "offset",
        sample().to_str().unwrap(),
        "--year",
        "2025",
        "--json",
    ]))
    .unwrap();
    assert_eq!(
        v["subject_tco2e"], offset["residual_tco2e"],
        "the claim's subject is the offset step's residual (scopes 1+2): the same figure"
    );
}

/// The sample changed by `change`, then the ISO 14068-1 claim: exactly `rule` has `status`,
/// every other check passes.
fn only(rule: &str, status: &str, change: &[&[&str]]) {
    let dir = tempfile::tempdir().unwrap();
    let p = copy(dir.path());
    for args in change {
        let args: Vec<&str> = args
            .iter()
            .map(|a| if *a == "P" { p.as_str() } else { *a })
            .collect();
        lt(&args);
    }
    let (v, code) = claim(&p, "iso14068-1");
    let not_passing: Vec<String> = v["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["status"] != "pass")
        .map(|c| format!("{} {}", c["code"].as_str().unwrap(), c["status"]))
        .collect();
    assert_eq!(
        not_passing,
        vec![format!("{rule} \"{status}\"")],
        "only {rule} changes: {v}"
    );
    let expected = if status == "fail" { 5 } else { 0 };
    assert_eq!(code, Some(expected), "exit 5 exactly when a check fails");
    assert_eq!(v["ready"], status != "fail", "ready unless a check fails");
}

#[test]
fn claim_evidence_attached_fails_for_a_record_without_evidence() {
    only(
        "CLAIM_EVIDENCE_ATTACHED",
        "fail",
        &[&[
            "activity",
            "add",
            "P",
            "--source",
            "Diesel - forklifts",
            "--from",
            "2025-06-02",
            "--to",
            "2025-06-02",
            "--qty",
            "100",
            "--unit",
            "L",
        ]],
    );
}

#[test]
fn claim_coverage_full_fails_when_the_credits_cover_less_than_the_subject() {
    // the 1,200 t Verra block voided: 800 t of CCER left against about 1,337 t
    only(
        "CLAIM_COVERAGE_FULL",
        "fail",
        &[&["credit", "void", "P", "3", "--reason", "test: withdrawn"]],
    );
}

#[test]
fn claim_inventory_every_month_fails_for_an_energy_source_missing_a_month() {
    // June 2025's gas statement voided: the curing oven has no data in June
    only(
        "CLAIM_INVENTORY_EVERY_MONTH",
        "fail",
        &[&[
            "activity",
            "void",
            "P",
            "116",
            "--reason",
            "test: wrong meter",
        ]],
    );
}

#[test]
fn claim_verification_stated_warns_for_a_self_declared_claim() {
    only(
        "CLAIM_VERIFICATION_STATED",
        "warn",
        &[&[
            "claim",
            "set",
            "P",
            "--framework",
            "iso14068-1",
            "--validation",
            "self",
            "--verifier",
            "",
        ]],
    );
}

#[test]
fn claim_statement_date_warns_when_it_is_not_set() {
    only(
        "CLAIM_STATEMENT_DATE",
        "warn",
        &[&[
            "claim",
            "set",
            "P",
            "--framework",
            "iso14068-1",
            "--statement-date",
            "",
        ]],
    );
}

#[test]
fn claim_statement_date_warns_when_it_is_inside_the_period() {
    only(
        "CLAIM_STATEMENT_DATE",
        "warn",
        &[&[
            "claim",
            "set",
            "P",
            "--framework",
            "iso14068-1",
            "--statement-date",
            "2025-12-01",
        ]],
    );
}

/// July 2024 – June 2025 (as a pet-food maker claimed July 2022 – June 2023): the inventory of
/// the period is the sum of its months, taken from the calendar years' monthly figures (each
/// month of a calendar year is computed as in that year, so the period's scope 1 is January–June
/// 2025 plus July–December 2024 of the same figures); the claim's subject is scope 1 + scope 2
/// market-based after the 2025 certificates (the year the period ends).
#[test]
fn a_claim_for_july_to_june_is_worked_out_from_the_months() {
    let p = sample().to_str().unwrap();
    let json = |args: &[&str]| -> serde_json::Value { serde_json::from_str(&lt(args)).unwrap() };
    let y24 = json(&["inventory", p, "--year", "2024", "--json"]);
    let y25 = json(&["inventory", p, "--year", "2025", "--json"]);
    let period = json(&[
        "inventory",
        p,
        "--from",
        "2024-07-01",
        "--to",
        "2025-06-30",
        "--json",
    ]);
    let d = |v: &serde_json::Value| {
        v.as_str()
            .unwrap()
            .parse::<rust_decimal::Decimal>()
            .unwrap()
    };
    let months = |v: &serde_json::Value, key: &str, range: std::ops::Range<usize>| {
        v["months"].as_array().unwrap()[range]
            .iter()
            .map(|m| d(&m[key]))
            .sum::<rust_decimal::Decimal>()
    };
    let scope1 = months(&y24, "scope1", 6..12) + months(&y25, "scope1", 0..6);
    let got = d(&period["totals"]["scope1"]);
    assert!(
        (got - scope1).abs() < rust_decimal::Decimal::new(1, 5),
        "the period's scope 1 ({got}) is July–December 2024 plus January–June 2025 ({scope1})"
    );
    let loc = months(&y24, "scope2_location", 6..12) + months(&y25, "scope2_location", 0..6);
    let got = d(&period["totals"]["scope2_location"]);
    assert!(
        (got - loc).abs() < rust_decimal::Decimal::new(1, 5),
        "location-based scope 2 ({got}) is the sum of the period's months ({loc})"
    );
    assert_eq!(
        period["period"]["from"], "2024-07-01",
        "the JSON names the period"
    );
    assert_eq!(period["period"]["days"], 365, "twelve months of 365 days");
    assert_eq!(
        period["months"][0]["year"], 2024,
        "the first month is July 2024"
    );
    assert_eq!(
        period["months"][0]["month"], 7,
        "the first month is July 2024"
    );
    let ran = claim_cli().run(&[
        "claim",
        p,
        "--framework",
        "iso14068-1",
        "--from",
        "2024-07-01",
        "--to",
        "2025-06-30",
        "--json",
    ]);
    let claim: serde_json::Value = serde_json::from_str(&ran.stdout).unwrap();
    let subject = d(&period["totals"]["scope1"]) + d(&period["totals"]["scope2_market"]);
    assert_eq!(
        d(&claim["subject_tco2e"]),
        subject,
        "the subject is the period's scope 1 + scope 2 market-based"
    );
    assert_eq!(claim["period"]["to"], "2025-06-30", "the claim's period");
}

/// PAS 2060's documents: the QES lists every element the rule pack lists (its label and the
/// normative clause behind it), and while a check fails (the sample's freight is outside the
/// subject) the documents say DRAFT with the reasons; ISO 14068-1's passing claim is no draft.
/// The PDF is written and reads back with the same words.
#[test]
fn the_qes_lists_every_element_of_the_pack_and_a_failing_claim_is_a_draft() {
    let p = sample().to_str().unwrap();
    let pack: toml::Value = toml::from_str(
        &std::fs::read_to_string(
            lingtan_testkit::root().join("assets/frameworks/pas2060-2014.toml"),
        )
        .unwrap(),
    )
    .unwrap();
    let elements = pack["qes"].as_array().unwrap();
    assert!(elements.len() >= 15, "the pack lists the QES elements");
    let ran = claim_cli().run(&[
        "claim",
        p,
        "--framework",
        "pas2060",
        "--year",
        "2025",
        "--documents",
        "--lang",
        "en",
    ]);
    assert_eq!(
        ran.code,
        Some(5),
        "a failing claim exits 5 with its documents"
    );
    let text = ran.stdout;
    for e in elements {
        let label = e["label"]["en"].as_str().unwrap();
        assert!(
            text.contains(label),
            "the QES lists the pack's element '{label}':\n{text}"
        );
    }
    assert!(
        text.contains("DRAFT"),
        "a failing claim's documents say DRAFT"
    );
    assert!(
        text.contains("CLAIM_SUBJECT_SCOPE3_MATERIAL"),
        "the draft gives the failing check as its reason"
    );
    let iso = claim_cli().ok(&[
        "claim",
        p,
        "--framework",
        "iso14068-1",
        "--year",
        "2025",
        "--documents",
        "--lang",
        "en",
    ]);
    assert!(
        !iso.contains("DRAFT"),
        "a ready claim's documents are no draft"
    );
    assert!(
        iso.contains("Carbon neutrality statement") && iso.contains("Management plan"),
        "ISO 14068-1: the statement and the management plan"
    );
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("pas2060.pdf");
    let ran = claim_cli().run(&[
        "claim",
        p,
        "--framework",
        "pas2060",
        "--year",
        "2025",
        "--pdf",
        pdf.to_str().unwrap(),
        "--lang",
        "zh+en",
    ]);
    assert_eq!(
        ran.code,
        Some(5),
        "the PDF is written for a draft too: {}",
        ran.shown()
    );
    let bytes = std::fs::read(&pdf).expect("the PDF is written");
    assert!(bytes.starts_with(b"%PDF"), "a PDF file");
}

/// A figure of a JSON document as a decimal rounded as `claim --json` rounds (six places).
fn figure(v: &serde_json::Value, what: &str) -> rust_decimal::Decimal {
    let text = v
        .as_str()
        .unwrap_or_else(|| panic!("{what} is a decimal string: {v}"));
    let d: rust_decimal::Decimal = text
        .parse()
        .unwrap_or_else(|e| panic!("{what} '{text}' is a decimal: {e}"));
    d.round_dp_with_strategy(6, rust_decimal::RoundingStrategy::MidpointNearestEven)
        .normalize()
}

#[test]
fn zcf_show_gives_the_figures_of_the_claims_self_evaluation() {
    // issue 17: `zcf show` assembled its figures from the offset summary (credits claimed for
    // the year, scope 1 + market-based scope 2 after certificates) while the claim's
    // self-evaluation takes core `zcf::figures` (the subject of the type, credits retired within
    // the pack's window): the two could show the assessor different figures for one year
    let p = sample().to_str().unwrap();
    for (framework, kind) in [("zcf-i", "i"), ("zcf-ii", "ii")] {
        let (claim, _) = claim(p, framework);
        let shown: serde_json::Value = serde_json::from_str(&lt(&[
            "zcf", "show", p, "--type", kind, "--year", "2025", "--json",
        ]))
        .unwrap_or_else(|e| panic!("zcf show --json prints JSON: {e}"));
        let f = &shown["figures"];
        for (zcf, claimed) in [
            ("subject_tco2e", "subject_tco2e"),
            ("credits_tco2e", "credits_tco2e"),
            ("reduction_tco2e", "reductions_tco2e"),
        ] {
            assert_eq!(
                figure(&f[zcf], zcf),
                figure(&claim[claimed], claimed),
                "{framework} 2025: zcf show's {zcf} must be the claim's {claimed}, or the evaluation and the claim disagree"
            );
        }
        assert!(
            f["intensities"].as_array().is_some_and(|i| !i.is_empty()),
            "{framework} 2025: the sample records its output, so the evaluation gives the intensities: {f}"
        );
    }
}
