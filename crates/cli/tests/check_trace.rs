//! `lingtan check` and `lingtan trace` end to end on the sample factory (issue 14 item 1): golden
//! text and JSON, exit statuses, and refusals.
//!
//! Golden files live in tests/golden/ at the repository root; regenerate them with
//! `LINGTAN_UPDATE_GOLDEN=1 cargo test -p lingtan-cli --test check_trace` and review the diff.

use lingtan_testkit::golden::Golden;
use lingtan_testkit::Cli;
use std::path::{Path, PathBuf};
use std::process::Output;

fn cli() -> Cli {
    Cli::new(env!("CARGO_BIN_EXE_lingtan"))
}

fn lingtan(args: &[&str]) -> Output {
    cli()
        .command(args)
        .output()
        .expect("the lingtan binary must start")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// Run and expect exit status `code`; stdout.
fn run(args: &[&str], code: i32) -> String {
    let o = lingtan(args);
    assert_eq!(
        o.status.code(),
        Some(code),
        "lingtan {args:?}: {}{}",
        text(&o.stdout),
        text(&o.stderr)
    );
    text(&o.stdout)
}

fn build_sample(dir: &Path) -> PathBuf {
    cli().sample(dir)
}

fn golden_sample(sample: &Path) -> Golden {
    Golden::new(&cli()).with("SAMPLE", sample)
}

#[test]
fn check_on_the_sample_matches_the_golden_files_and_exits_5() {
    let dir = tempfile::tempdir().expect("tempdir");
    let sample = build_sample(dir.path());
    let p = sample.to_str().expect("utf-8 path");
    // the sample's forklift diesel is logged by delivery and none came in February 2024
    golden_sample(&sample).check("check-sample.txt");
    let json = run(&["check", p, "--json"], 5);
    let v: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    assert_eq!(v["ready"], false, "a failing check: not ready");
    let checks = v["checks"].as_array().expect("checks");
    let month = checks
        .iter()
        .find(|c| c["code"] == "CHECK_EVERY_MONTH")
        .expect("the month check");
    assert_eq!(month["status"], "fail");
    assert_eq!(month["where"][0]["label"], "Diesel - forklifts");
    for c in checks {
        for key in ["code", "status", "title", "found", "todo", "where"] {
            assert!(c.get(key).is_some(), "checks[].{key} is always present");
        }
    }
}

#[test]
fn check_exits_0_when_nothing_fails() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = dir.path().join("p.lingtan");
    let p = p.to_str().expect("utf-8 path");
    run(
        &[
            "new",
            p,
            "--org",
            "Zero Co.",
            "--year",
            "2024",
            "--base-year",
            "2024",
        ],
        0,
    );
    run(&["site", "add", p, "Plant", "--grid", "CN-East"], 0);
    run(
        &[
            "source",
            "add",
            p,
            "Power",
            "--site",
            "Plant",
            "--kind",
            "electricity",
            "--unit",
            "kWh",
        ],
        0,
    );
    let bill = dir.path().join("bill.pdf");
    std::fs::write(&bill, b"%PDF-1.4 the year's bill").expect("bill");
    let bill = bill.to_str().expect("utf-8 path");
    run(
        &[
            "activity",
            "add",
            p,
            "--source",
            "Power",
            "--from",
            "2024-01-01",
            "--to",
            "2024-12-31",
            "--qty",
            "120000",
            "--unit",
            "kWh",
            "--evidence",
            bill,
        ],
        0,
    );
    let out = run(&["check", p], 0);
    assert!(
        out.contains("6 of 6 checks pass, 0 warn, 0 fail: ready"),
        "a year billed in full with evidence, a verified grid factor and a base year is ready:\n{out}"
    );
}

#[test]
fn trace_on_the_sample_matches_the_golden_files() {
    let dir = tempfile::tempdir().expect("tempdir");
    let sample = build_sample(dir.path());
    let p = sample.to_str().expect("utf-8 path");
    // February: bills spanning January–February and February–March, split by days;
    // scope 3: the inventory's own sum differs from the records' in the 28th digit, and says so
    golden_sample(&sample).check("trace-sample.txt");
    let json = run(&["trace", p, "gas:N2O", "--json"], 0);
    let v: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    for key in ["figure", "tco2e", "lines"] {
        assert!(v.get(key).is_some(), "{key} is promised");
    }
    for key in [
        "record",
        "version",
        "source",
        "site",
        "from",
        "to",
        "quantity",
        "unit",
        "share",
        "factor",
        "factor_version",
        "citation",
        "evidence",
        "place",
        "tco2e",
    ] {
        assert!(
            v["lines"][0].get(key).is_some(),
            "lines[].{key} is promised"
        );
    }
    // the JSON's exact figures add up: sum + rounding = the figure, for every figure kind
    let inv: serde_json::Value =
        serde_json::from_str(&run(&["inventory", p, "--json"], 0)).expect("inventory JSON");
    let mut figures: Vec<String> = [
        "total",
        "total-market",
        "scope1",
        "scope2",
        "scope2-market",
        "scope3",
        "category:1",
        "category:3",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    figures.push("site:Dipu warehouse".into());
    figures.push("source:Natural gas - curing oven".into());
    figures.push("month:2024-07".into());
    figures.push("gas:HFC-32".into());
    for f in &figures {
        let v: serde_json::Value =
            serde_json::from_str(&run(&["trace", p, f, "--json"], 0)).expect("trace JSON");
        let dec = |k: &str| -> rust_decimal::Decimal {
            v[k].as_str()
                .and_then(|s| s.parse().ok())
                .unwrap_or_else(|| panic!("{f}: {k}"))
        };
        let lines: rust_decimal::Decimal = v["lines"]
            .as_array()
            .expect("lines")
            .iter()
            .map(|l| {
                l["tco2e_exact"]
                    .as_str()
                    .and_then(|s| s.parse::<rust_decimal::Decimal>().ok())
                    .expect("tco2e_exact")
            })
            .sum();
        assert_eq!(lines, dec("sum_exact"), "{f}: sum_exact is the lines' sum");
        assert_eq!(
            dec("sum_exact") + dec("rounding"),
            dec("tco2e_exact"),
            "{f}: the lines and the calculation's rounding make the figure exactly"
        );
        assert!(
            dec("rounding").abs() < rust_decimal::Decimal::new(1, 20),
            "{f}: only the 28th digit may differ, never a record"
        );
    }
    assert_eq!(
        v["tco2e"],
        inv["gases"]
            .as_array()
            .and_then(|g| g.iter().find(|g| g["gas"] == "N2O"))
            .map(|g| g["tco2e"].clone())
            .unwrap_or_default(),
        "the traced gas figure is the inventory's"
    );
}

#[test]
fn trace_refuses_an_unknown_figure_naming_the_nearest() {
    let dir = tempfile::tempdir().expect("tempdir");
    let sample = build_sample(dir.path());
    let p = sample.to_str().expect("utf-8 path");
    let o = lingtan(&["trace", p, "site:Anji"]);
    assert_eq!(o.status.code(), Some(1), "refused like any bad input");
    let err = text(&o.stderr);
    assert!(
        err.contains("UNKNOWN_SITE") && err.contains("site:Anji") && err.contains("'Anji plant'"),
        "names the value and the nearest site: {err}"
    );
}
