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

/// A figure of the JSON as a decimal.
fn dec(v: &serde_json::Value) -> rust_decimal::Decimal {
    v.as_str()
        .unwrap_or_else(|| panic!("a decimal string: {v}"))
        .parse()
        .unwrap()
}

/// The check `code` of a claim's JSON.
fn check_of<'a>(v: &'a serde_json::Value, code: &str) -> &'a serde_json::Value {
    v["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == code)
        .unwrap_or_else(|| panic!("the claim has the check {code}: {v}"))
}

/// The sample's PAS 2060 claim fails because its inbound freight (two scope 3 sources, 1.39 %
/// and 2.14 % of the footprint) is outside the subject, and its checks say how to fix it with
/// `claim subject`. Doing that makes CLAIM_SUBJECT_SCOPE3_MATERIAL and _FOOTPRINT_SHARE pass;
/// the subject grows by exactly the freight's tCO2e (the figures the inventory gives the two
/// sources), the credits now cover the larger subject, and the QES has no element MISSING once
/// the rationale and activities are set (the sample sets them).
#[test]
fn pas_2060_with_the_inbound_freight_in_the_subject_passes_and_counts_it() {
    let dir = tempfile::tempdir().unwrap();
    let p = copy(dir.path());
    let (before, code) = claim(&p, "pas2060");
    assert_eq!(code, Some(5), "the sample's PAS 2060 claim fails: {before}");
    for rule in [
        "CLAIM_SUBJECT_SCOPE3_MATERIAL",
        "CLAIM_SUBJECT_FOOTPRINT_SHARE",
    ] {
        let c = check_of(&before, rule);
        assert_eq!(c["status"], "fail", "{rule} fails on the sample: {c}");
        assert!(
            c["todo"]
                .as_str()
                .is_some_and(|t| t.contains("lingtan claim subject") && t.contains("--include")),
            "{rule}'s todo says how to fix it with the subject verb: {c}"
        );
    }
    // the freight's figures, as the inventory computes them
    let inv: serde_json::Value =
        serde_json::from_str(&lt(&["inventory", &p, "--year", "2025", "--json"])).unwrap();
    let freight: rust_decimal::Decimal = inv["sources"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| {
            s["source"]
                .as_str()
                .is_some_and(|n| n.starts_with("Inbound freight"))
        })
        .map(|s| dec(&s["tco2e"]))
        .sum();
    assert!(
        freight > rust_decimal::Decimal::from(49),
        "the sample's freight is about 49.7 t: {freight}"
    );
    for source in ["Inbound freight - timber", "Inbound freight - aluminium"] {
        lt(&[
            "claim",
            "subject",
            &p,
            "--framework",
            "pas2060",
            "--source",
            source,
            "--include",
        ]);
    }
    let (after, _) = claim(&p, "pas2060");
    for rule in [
        "CLAIM_SUBJECT_SCOPE3_MATERIAL",
        "CLAIM_SUBJECT_FOOTPRINT_SHARE",
    ] {
        assert_eq!(
            check_of(&after, rule)["status"],
            "pass",
            "{rule} passes with the freight in the subject: {after}"
        );
    }
    // the JSON's figures carry six decimals: the growth equals the freight to that precision
    let grown = dec(&after["subject_tco2e"]) - dec(&before["subject_tco2e"]);
    assert!(
        (grown - freight).abs() <= rust_decimal::Decimal::new(2, 6),
        "the subject grows by exactly the freight's tCO2e: {grown} against {freight}"
    );
    assert_eq!(
        grown.round_dp(4),
        "49.7190".parse().unwrap(),
        "the freight is 19.5479 + 30.1711 tCO2e in 2025"
    );
    assert_eq!(
        dec(&after["subject_tco2e"]).round_dp(4),
        "1411.3755".parse().unwrap(),
        "the subject is now the whole 2025 footprint (1,361.6565 + 19.5479 + 30.1711 t)"
    );
    assert_eq!(
        check_of(&after, "CLAIM_COVERAGE_FULL")["found"]
            .as_str()
            .map(|f| f.contains("1,411.3755")),
        Some(true),
        "the coverage is checked against the larger subject: {after}"
    );
    assert_eq!(
        after["ready"], true,
        "with the freight in the subject, the sample's PAS 2060 claim is ready: {after}"
    );
    // ISO 14068-1 has its own subject: unchanged
    let (iso, _) = claim(&p, "iso14068-1");
    assert_eq!(
        dec(&iso["subject_tco2e"]),
        dec(&before["subject_tco2e"]),
        "a decision is per framework: ISO 14068-1's subject stays scopes 1 and 2"
    );
    let docs = claim_cli().run(&[
        "claim",
        &p,
        "--framework",
        "pas2060",
        "--year",
        "2025",
        "--documents",
        "--lang",
        "en",
    ]);
    assert!(
        !docs.stdout.contains("MISSING"),
        "the QES has every element once the subject is decided and its rationale and activities stated:\n{}",
        docs.stdout
    );
    assert!(
        docs.stdout.contains("storing the finished goods"),
        "the activities set by the sample are in the QES"
    );
    // the decisions are listed, and every change is in the audit log
    let show = lt(&["claim", "show", &p, "--framework", "pas2060"]);
    assert!(
        show.contains("include  Anji plant / Inbound freight - timber"),
        "claim show lists the decisions:\n{show}"
    );
    let verify = lt(&["audit", &p, "--verify"]);
    assert!(
        verify.contains("chain intact"),
        "the decisions are in the audit chain: {verify}"
    );
}

/// A scope 3 source below 1 % of the footprint excluded with a reason passes. The sample's own
/// scope 3 sources are both above 1 %, so the test adds one: courier parcels, 10,000 t.km in
/// 2025 (well below 1 %), evidence attached; the freight is included. Left out without a reason
/// it fails FOOTPRINT_SHARE (exclusions justified); with a reason every subject check passes and
/// the QES gives the reason as written.
#[test]
fn a_scope_3_source_below_1_pct_excluded_with_a_reason_passes() {
    let dir = tempfile::tempdir().unwrap();
    let p = copy(dir.path());
    lt(&[
        "source",
        "add",
        &p,
        "Courier parcels",
        "--site",
        "Anji plant",
        "--kind",
        "scope3-4",
        "--factor",
        "SAMPLE-FREIGHT-HGV",
        "--unit",
        "t.km",
    ]);
    {
        let (from, to) = ("2025-01-01", "2025-12-31");
        lt(&[
            "activity",
            "add",
            &p,
            "--source",
            "Courier parcels",
            "--from",
            from,
            "--to",
            to,
            "--qty",
            "10000",
            "--unit",
            "t.km",
            "--evidence",
            lingtan_testkit::root()
                .join("sample-data/evidence/freight-tkm-2025.csv")
                .to_str()
                .unwrap(),
        ]);
    }
    for source in ["Inbound freight - timber", "Inbound freight - aluminium"] {
        lt(&[
            "claim",
            "subject",
            &p,
            "--framework",
            "pas2060",
            "--source",
            source,
            "--include",
        ]);
    }
    let (open, _) = claim(&p, "pas2060");
    let share = check_of(&open, "CLAIM_SUBJECT_FOOTPRINT_SHARE");
    assert_eq!(
        (
            share["status"].as_str(),
            check_of(&open, "CLAIM_SUBJECT_SCOPE3_MATERIAL")["status"].as_str()
        ),
        (Some("fail"), Some("pass")),
        "the parcels are below 1 % (material: pass) but left out without a reason (fail): {open}"
    );
    lt(&[
        "claim",
        "subject",
        &p,
        "--framework",
        "pas2060",
        "--source",
        "Courier parcels",
        "--exclude",
        "--reason",
        "below 1 % of the footprint; no carrier data 低于碳足迹 1%，无承运商数据",
    ]);
    let (v, _) = claim(&p, "pas2060");
    for rule in [
        "CLAIM_SUBJECT_SCOPE12_COMPLETE",
        "CLAIM_SUBJECT_SCOPE3_MATERIAL",
        "CLAIM_SUBJECT_FOOTPRINT_SHARE",
    ] {
        assert_eq!(
            check_of(&v, rule)["status"],
            "pass",
            "{rule} passes with the small source excluded with its reason: {v}"
        );
    }
    let docs = claim_cli()
        .run(&[
            "claim",
            &p,
            "--framework",
            "pas2060",
            "--year",
            "2025",
            "--documents",
            "--lang",
            "en",
        ])
        .stdout;
    assert!(
        docs.contains("no carrier data 低于碳足迹 1%"),
        "the QES's exclusions give the reason as written:\n{docs}"
    );
}

/// A claim whose checks all pass but whose QES lacks an element is still a DRAFT: the documents
/// say which element is missing (PAS 2060's QES is what the certifier reads; a final one with a
/// MISSING line cannot be handed over). With the element given again, the documents are final.
#[test]
fn a_ready_pas_2060_claim_whose_qes_lacks_an_element_is_a_draft() {
    let dir = tempfile::tempdir().unwrap();
    let p = copy(dir.path());
    for source in ["Inbound freight - timber", "Inbound freight - aluminium"] {
        lt(&[
            "claim",
            "subject",
            &p,
            "--framework",
            "pas2060",
            "--source",
            source,
            "--include",
        ]);
    }
    let docs = |p: &str| {
        claim_cli()
            .run(&[
                "claim",
                p,
                "--framework",
                "pas2060",
                "--year",
                "2025",
                "--documents",
                "--lang",
                "en",
            ])
            .stdout
    };
    let (v, _) = claim(&p, "pas2060");
    assert_eq!(v["ready"], true, "every check passes: {v}");
    let full = docs(&p);
    assert!(
        !full.contains("DRAFT") && !full.contains("MISSING"),
        "every check passes and every element is given: final documents\n{full}"
    );
    lt(&[
        "claim",
        "set",
        &p,
        "--framework",
        "pas2060",
        "--activities",
        "",
    ]);
    let (v, _) = claim(&p, "pas2060");
    assert_eq!(
        v["ready"], true,
        "the checks do not read the QES: the claim stays ready: {v}"
    );
    let lacking = docs(&p);
    assert!(
        lacking.contains("DRAFT") && lacking.contains("QES element missing"),
        "a QES without its activities is a draft, and says which element is missing:\n{lacking}"
    );
}

/// A scope 1 source excluded (with a reason) is recorded as asked, and the SCOPE12 check fails
/// naming it — under PAS 2060 and under ISO 14068-1 — and the subject shrinks by its tCO2e;
/// `--clear` returns it to the subject.
#[test]
fn an_excluded_scope_1_source_fails_scope12_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let p = copy(dir.path());
    let (before, _) = claim(&p, "iso14068-1");
    let out = claim_cli().run(&[
        "claim",
        "subject",
        &p,
        "--framework",
        "iso14068-1",
        "--source",
        "LPG - canteen",
        "--exclude",
        "--reason",
        "the canteen is run by a caterer",
    ]);
    assert_eq!(
        out.code,
        Some(0),
        "the exclusion is recorded: {}",
        out.shown()
    );
    let (v, code) = claim(&p, "iso14068-1");
    let c = check_of(&v, "CLAIM_SUBJECT_SCOPE12_COMPLETE");
    assert_ne!(
        c["status"], "pass",
        "a scope 1 source outside the subject does not pass: {c}"
    );
    assert!(
        c["where"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w == "Anji plant / LPG - canteen")
            && c["found"]
                .as_str()
                .unwrap()
                .contains("excluded with a reason"),
        "the check names the excluded source and says a reason does not help: {c}"
    );
    assert!(
        dec(&v["subject_tco2e"]) < dec(&before["subject_tco2e"]),
        "the subject shrinks by the canteen's LPG"
    );
    assert_eq!(
        code,
        Some(0),
        "ISO 14068-1's SCOPE12 rule is a warning (unconfirmed): the claim does not fail on it"
    );
    lt(&[
        "claim",
        "subject",
        &p,
        "--framework",
        "pas2060",
        "--source",
        "LPG - canteen",
        "--exclude",
        "--reason",
        "the canteen is run by a caterer",
    ]);
    let (pas, code) = claim(&p, "pas2060");
    assert_eq!(
        check_of(&pas, "CLAIM_SUBJECT_SCOPE12_COMPLETE")["status"],
        "fail",
        "PAS 2060: 100 % of scope 1 and 2, whatever the reason: {pas}"
    );
    assert_eq!(code, Some(5), "a failing claim exits 5");
    lt(&[
        "claim",
        "subject",
        &p,
        "--framework",
        "iso14068-1",
        "--source",
        "LPG - canteen",
        "--clear",
    ]);
    let (cleared, code) = claim(&p, "iso14068-1");
    assert_eq!(
        (code, dec(&cleared["subject_tco2e"])),
        (Some(0), dec(&before["subject_tco2e"])),
        "--clear returns the source to the default subject: {cleared}"
    );
    let show = lt(&["claim", "show", &p, "--framework", "iso14068-1"]);
    assert!(
        !show.contains("LPG - canteen"),
        "a cleared decision is no longer in force:\n{show}"
    );
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
