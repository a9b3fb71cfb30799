//! The `lingtan` command end to end: the sample factory's inventory against golden files, every
//! bad input refused with a message naming the field and value and the project left unchanged,
//! and tampering found by `audit --verify`.
//!
//! Golden files live in tests/golden/ at the repository root; regenerate them with
//! `LINGTAN_UPDATE_GOLDEN=1 cargo test -p lingtan-cli` and review the diff.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

mod layouts;
mod offset;
mod report;

const NOW: &str = "2025-03-15T09:00:00Z";

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

fn lingtan(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lingtan"))
        .args(args)
        .env("LINGTAN_NOW", NOW)
        .env("LINGTAN_LANG", "en")
        .output()
        .expect("run lingtan")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn ok(args: &[&str]) -> String {
    let o = lingtan(args);
    assert!(
        o.status.success(),
        "lingtan {args:?} failed: {}{}",
        stdout(&o),
        stderr(&o)
    );
    stdout(&o)
}

fn golden(name: &str, actual: &str) {
    let path = root().join("tests/golden").join(name);
    if std::env::var_os("LINGTAN_UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "{} missing: run with LINGTAN_UPDATE_GOLDEN=1",
            path.display()
        )
    });
    if expected != actual {
        let diff: Vec<String> = expected
            .lines()
            .zip(actual.lines())
            .enumerate()
            .filter(|(_, (e, a))| e != a)
            .take(5)
            .map(|(i, (e, a))| format!("line {}:\n  expected: {e}\n  actual:   {a}", i + 1))
            .collect();
        panic!(
            "{name} differs from the golden file ({} vs {} lines):\n{}\nregenerate with LINGTAN_UPDATE_GOLDEN=1 and review the diff",
            expected.lines().count(),
            actual.lines().count(),
            diff.join("\n")
        );
    }
}

fn build_sample(dir: &Path) -> PathBuf {
    let out = dir.join("sample.lingtan");
    let status = Command::new("bash")
        .arg(root().join("sample-data/make-sample.sh"))
        .arg(env!("CARGO_BIN_EXE_lingtan"))
        .arg(&out)
        .env("LINGTAN_NOW", NOW)
        .env("LINGTAN_LANG", "en")
        .status()
        .unwrap();
    assert!(status.success(), "make-sample.sh failed");
    out
}

#[test]
fn the_sample_factory_inventory_matches_the_golden_files() {
    let dir = tempfile::tempdir().unwrap();
    let sample = build_sample(dir.path());
    let p = sample.to_str().unwrap();
    golden("sample-inventory.txt", &ok(&["inventory", p]));
    golden("sample-inventory.json", &ok(&["inventory", p, "--json"]));
    golden(
        "sample-inventory.zh.txt",
        &ok(&["inventory", p, "--lang", "zh"]),
    );
    let json: serde_json::Value = serde_json::from_str(&ok(&["inventory", p, "--json"])).unwrap();
    // the stable keys the JSON contract promises
    for key in [
        "scope1",
        "scope2_location",
        "scope2_market",
        "scope3",
        "biogenic_co2",
    ] {
        assert!(
            json["totals"][key].is_string(),
            "totals.{key} is a decimal string"
        );
    }
    let s = &json["sources"][0];
    for key in [
        "site", "source", "kind", "scope", "category", "quantity", "unit", "factor", "tco2e",
        "gases",
    ] {
        assert!(!s[key].is_null(), "sources[].{key} present");
    }
    assert!(json["categories"]["1"].is_string());
    assert!(ok(&["audit", p, "--verify"]).contains("verified"));
}

#[test]
fn factors_json_has_the_documented_shape() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("f.lingtan");
    let p = p.to_str().unwrap();
    ok(&["new", p, "--org", "F", "--year", "2024"]);
    let json: serde_json::Value =
        serde_json::from_str(&ok(&["factors", p, "--search", "CN-GRID-2022", "--json"])).unwrap();
    let f = &json[0];
    assert_eq!(f["id"], "CN-GRID-2022");
    assert_eq!(f["gases"]["CO2"], "0.5366");
    assert_eq!(f["unit"], "kWh");
    assert_eq!(f["region"], "CN");
    assert_eq!(f["year"], 2022);
    for key in ["name", "dataset", "citation", "licence", "verified"] {
        assert!(!f[key].is_null(), "{key}");
    }
}

/// A project with one site and two sources; returns its path.
fn small_project(dir: &Path) -> String {
    let p = dir.join("small.lingtan");
    let p = p.to_str().unwrap().to_string();
    ok(&[
        "new",
        &p,
        "--org",
        "Small Works",
        "--year",
        "2024",
        "--base-year",
        "2024",
    ]);
    ok(&["site", "add", &p, "Main plant", "--grid", "华东"]);
    ok(&[
        "source",
        "add",
        &p,
        "Grid power",
        "--site",
        "Main plant",
        "--kind",
        "electricity",
        "--unit",
        "kWh",
    ]);
    ok(&[
        "source",
        "add",
        &p,
        "Boiler gas",
        "--site",
        "Main plant",
        "--kind",
        "stationary-combustion",
        "--fuel",
        "natural-gas",
        "--unit",
        "m3",
    ]);
    ok(&[
        "activity",
        "add",
        &p,
        "--source",
        "Grid power",
        "--from",
        "2024-01-01",
        "--to",
        "2024-01-31",
        "--qty",
        "1000",
        "--unit",
        "kWh",
    ]);
    p
}

/// What must not change when a command is refused: the audit log and the data fingerprint.
fn state(p: &str) -> (String, String) {
    let audit = ok(&["audit", p, "--json"]);
    let inv: serde_json::Value =
        serde_json::from_str(&stdout(&lingtan(&["inventory", p, "--json"]))).unwrap();
    (audit, inv["fingerprint"].as_str().unwrap().to_string())
}

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

#[test]
fn bad_input_is_refused_with_the_field_and_value_and_nothing_changes() {
    let dir = tempfile::tempdir().unwrap();
    let p = small_project(dir.path());
    let before = state(&p);
    let add = |extra: &[&str]| -> Vec<String> {
        let mut v = strings(&["activity", "add", &p]);
        let mut fields: Vec<(&str, &str)> = vec![
            ("--source", "Grid power"),
            ("--from", "2024-02-01"),
            ("--to", "2024-02-29"),
            ("--qty", "500"),
            ("--unit", "kWh"),
        ];
        for pair in extra.chunks(2) {
            if let Some(f) = fields.iter_mut().find(|(k, _)| *k == pair[0]) {
                f.1 = pair[1];
            } else {
                fields.push((pair[0], pair[1]));
            }
        }
        for (k, val) in fields {
            v.push(k.to_string());
            v.push(val.to_string());
        }
        v
    };
    let cases: Vec<(&str, Vec<String>, &str)> = vec![
        (
            "unknown unit",
            add(&["--unit", "kwhh"]),
            "unknown unit 'kwhh'; did you mean kWh",
        ),
        (
            "unit of the wrong dimension",
            add(&["--unit", "m3"]),
            "--unit 'm3': does not fit source 'Grid power'",
        ),
        (
            "gas in kilometres",
            add(&["--source", "Boiler gas", "--unit", "km"]),
            "--unit 'km': does not fit source 'Boiler gas'",
        ),
        (
            "negative quantity without a reason",
            add(&["--qty", "-20"]),
            "--qty -20: a negative quantity is only accepted as a correction",
        ),
        (
            "end before start",
            add(&["--from", "2024-02-10", "--to", "2024-02-01"]),
            "--to 2024-02-01 is before --from 2024-02-10",
        ),
        (
            "unknown source",
            add(&["--source", "Grid pwer"]),
            "--source 'Grid pwer': no such emission source; did you mean 'Grid power'?",
        ),
        (
            "overlapping record",
            add(&["--from", "2024-01-15", "--to", "2024-02-14"]),
            "overlaps record #1 of source 'Grid power'",
        ),
        (
            "duplicate record",
            add(&[
                "--from",
                "2024-01-01",
                "--to",
                "2024-01-31",
                "--qty",
                "1000",
            ]),
            "duplicates record #1",
        ),
        (
            "malformed decimal",
            add(&["--qty", "12.3.4"]),
            "qty: '12.3.4' is not a decimal number",
        ),
        (
            "malformed date",
            add(&["--from", "2024-02-30"]),
            "from: '2024-02-30' is not a date",
        ),
        (
            "missing evidence file",
            add(&["--evidence", "/nonexistent/bill.pdf"]),
            "--evidence /nonexistent/bill.pdf: no such file",
        ),
        (
            "unknown site",
            strings(&[
                "source",
                "add",
                &p,
                "Kiln",
                "--site",
                "Main plnt",
                "--kind",
                "process",
            ]),
            "--site 'Main plnt': no such site; did you mean 'Main plant'?",
        ),
        (
            "unknown kind",
            strings(&[
                "source",
                "add",
                &p,
                "Kiln",
                "--site",
                "Main plant",
                "--kind",
                "scope3-16",
            ]),
            "--kind 'scope3-16': unknown kind",
        ),
        (
            "unknown grid region",
            strings(&["site", "add", &p, "Annex", "--grid", "Mars"]),
            "--grid 'Mars': unknown grid region",
        ),
        (
            "unknown factor",
            strings(&[
                "source",
                "add",
                &p,
                "Kiln",
                "--site",
                "Main plant",
                "--kind",
                "process",
                "--factor",
                "CN-GRID-2O22",
            ]),
            "--factor 'CN-GRID-2O22': no such factor in the project; did you mean 'CN-GRID-2022'",
        ),
        (
            "factor without citation",
            strings(&[
                "factor",
                "add",
                &p,
                "MY-STEAM",
                "--unit",
                "GJ",
                "--co2",
                "80",
                "--citation",
                " ",
            ]),
            "--citation: a factor needs a citation",
        ),
        (
            "factor with an unknown gas",
            strings(&[
                "factor",
                "add",
                &p,
                "MY-X",
                "--unit",
                "kg",
                "--gas",
                "FOO=1",
                "--citation",
                "x",
            ]),
            "unknown gas 'FOO'",
        ),
        (
            "correction without a reason",
            strings(&["activity", "correct", &p, "1", "--qty", "1200"]),
            "--reason: a correction needs a reason",
        ),
    ];
    let mut transcript = String::new();
    for (what, args, expected) in &cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let o = lingtan(&args);
        assert_eq!(
            o.status.code(),
            Some(1),
            "{what}: exit status (stderr: {})",
            stderr(&o)
        );
        let err = stderr(&o);
        assert!(
            err.contains(expected),
            "{what}: expected '{expected}' in:\n{err}"
        );
        assert!(err.contains("nothing was changed"), "{what}");
        assert_eq!(state(&p), before, "{what}: the project changed");
        let mut zh_args = args.clone();
        zh_args.extend(["--lang", "zh"]);
        let zh = stderr(&lingtan(&zh_args));
        assert!(
            zh.contains("错误") && zh.contains("项目文件未作任何修改"),
            "{what}: Chinese message: {zh}"
        );
        let shown = err.replace(&p, "PROJECT");
        let shown_zh = zh.replace(&p, "PROJECT");
        transcript.push_str(&format!("## {what}\n{shown}{shown_zh}\n"));
    }
    golden("bad-input.txt", &transcript);
}

#[test]
fn a_negative_correction_with_a_reason_is_accepted_and_corrections_keep_history() {
    let dir = tempfile::tempdir().unwrap();
    let p = small_project(dir.path());
    ok(&[
        "activity",
        "add",
        &p,
        "--source",
        "Grid power",
        "--from",
        "2024-01-01",
        "--to",
        "2024-01-31",
        "--qty",
        "-100",
        "--unit",
        "kWh",
        "--reason",
        "credit note CN-031: over-billed",
    ]);
    let inv: serde_json::Value = serde_json::from_str(&ok(&["inventory", &p, "--json"])).unwrap();
    let power = inv["sources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["source"] == "Grid power")
        .unwrap();
    assert_eq!(power["quantity"], "900");
    ok(&[
        "activity",
        "correct",
        &p,
        "1",
        "--qty",
        "1100",
        "--reason",
        "meter re-read",
    ]);
    let history = ok(&["activity", "history", &p, "1"]);
    assert!(
        history.contains("v1 [Superseded]")
            && history.contains("v2 [Current]")
            && history.contains("meter re-read"),
        "{history}"
    );
    ok(&[
        "activity",
        "void",
        &p,
        "2",
        "--reason",
        "credit note reversed",
    ]);
    let inv: serde_json::Value = serde_json::from_str(&ok(&["inventory", &p, "--json"])).unwrap();
    let power = inv["sources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["source"] == "Grid power")
        .unwrap();
    assert_eq!(power["quantity"], "1100");
    assert!(ok(&["audit", &p, "--verify"]).contains("verified"));
}

#[test]
fn tampering_with_sqlite3_is_found_and_named_by_audit_verify() {
    let dir = tempfile::tempdir().unwrap();
    let p = small_project(dir.path());
    {
        let conn = rusqlite::Connection::open(&p).unwrap();
        conn.execute("UPDATE activity SET quantity = '10' WHERE id = 1", [])
            .unwrap();
    }
    let o = lingtan(&["audit", &p, "--verify"]);
    assert_eq!(o.status.code(), Some(4));
    assert!(
        stdout(&o).contains("activity #1 v1: differs from what audit entry #"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn refused_files_are_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let text = dir.path().join("bills.xlsx");
    std::fs::write(&text, "PK not really a project".repeat(10)).unwrap();
    let before = std::fs::read(&text).unwrap();
    let o = lingtan(&["inventory", text.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("not a Lingtan project file"),
        "{}",
        stderr(&o)
    );
    assert_eq!(std::fs::read(&text).unwrap(), before);
    let o = lingtan(&[
        "new",
        text.to_str().unwrap(),
        "--org",
        "X",
        "--year",
        "2024",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("a file already exists there"));
    assert_eq!(std::fs::read(&text).unwrap(), before);
}

#[test]
fn a_source_without_a_factor_makes_the_inventory_exit_3_and_names_it() {
    let dir = tempfile::tempdir().unwrap();
    let p = small_project(dir.path());
    ok(&[
        "source",
        "add",
        &p,
        "Kiln CO2",
        "--site",
        "Main plant",
        "--kind",
        "process",
        "--unit",
        "t",
    ]);
    ok(&[
        "activity",
        "add",
        &p,
        "--source",
        "Kiln CO2",
        "--from",
        "2024-03-01",
        "--to",
        "2024-03-31",
        "--qty",
        "5",
        "--unit",
        "t",
    ]);
    let o = lingtan(&["inventory", &p]);
    assert_eq!(o.status.code(), Some(3));
    assert!(
        stdout(&o).contains("[FACTOR_MISSING] Main plant / Kiln CO2"),
        "{}",
        stdout(&o)
    );
}

fn excel(name: &str) -> String {
    root()
        .join("sample-data/excel")
        .join(name)
        .to_str()
        .unwrap()
        .to_string()
}

fn broken(name: &str) -> String {
    root()
        .join("tests/import")
        .join(name)
        .to_str()
        .unwrap()
        .to_string()
}

#[test]
fn importing_the_state_grid_ledger_gives_the_same_inventory_as_typing_the_bills() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("imp.lingtan");
    let p = p.to_str().unwrap();
    ok(&["new", p, "--org", "Anji Greenleaf", "--year", "2024"]);
    ok(&["site", "add", p, "Anji plant", "--grid", "CN-East"]);
    ok(&["site", "add", p, "Dipu warehouse", "--grid", "CN-East"]);
    ok(&[
        "source",
        "add",
        p,
        "Grid electricity - plant",
        "--site",
        "Anji plant",
        "--kind",
        "electricity",
        "--unit",
        "kWh",
    ]);
    ok(&[
        "source",
        "add",
        p,
        "Grid electricity - warehouse",
        "--site",
        "Dipu warehouse",
        "--kind",
        "electricity",
        "--unit",
        "kWh",
    ]);
    let ledger = excel("electricity-ledger-2024.xlsx");
    // the dry run shows the mapping and writes nothing
    let before = state(p);
    let dry = ok(&[
        "import",
        p,
        &ledger,
        "--source",
        "Grid electricity - plant",
        "--sheet",
        "主厂区 3301512846071",
        "--dry-run",
    ]);
    assert!(
        dry.contains("C 有功电量(kWh) → quantity [kWh]")
            && dry.contains("dry run: nothing was written"),
        "{dry}"
    );
    assert_eq!(state(p), before);
    let json: serde_json::Value = serde_json::from_str(&ok(&[
        "import",
        p,
        &ledger,
        "--source",
        "Grid electricity - plant",
        "--sheet",
        "主厂区 3301512846071",
        "--json",
    ]))
    .unwrap();
    assert_eq!(json["batch"], 1);
    assert_eq!(json["rows"]["accepted"], 13);
    assert_eq!(json["totals"][0]["quantity"], "2290870");
    assert_eq!(json["sha256"].as_str().unwrap().len(), 64);
    ok(&[
        "import",
        p,
        &ledger,
        "--source",
        "Grid electricity - warehouse",
        "--sheet",
        "递铺仓库 3301512846159",
    ]);
    // the same inventory as the sample, whose bills were typed in
    let inv: serde_json::Value = serde_json::from_str(&ok(&["inventory", p, "--json"])).unwrap();
    let sample = build_sample(dir.path());
    let typed: serde_json::Value =
        serde_json::from_str(&ok(&["inventory", sample.to_str().unwrap(), "--json"])).unwrap();
    assert_eq!(
        inv["totals"]["scope2_location"],
        typed["totals"]["scope2_location"]
    );
    assert_eq!(
        inv["totals"]["scope2_market"],
        typed["totals"]["scope2_market"]
    );
    // every record points to its sheet and row, and to the file kept as evidence
    let rows: serde_json::Value = serde_json::from_str(&ok(&[
        "activity",
        "list",
        p,
        "--source",
        "Grid electricity - plant",
        "--json",
    ]))
    .unwrap();
    assert_eq!(rows[0]["origin_ref"], "主厂区 3301512846071!6");
    assert!(rows[0]["evidence_id"].is_number());
    assert!(rows[0]["detail"]
        .as_str()
        .unwrap()
        .contains("\"peak\":\"64168\""));
    // importing the same file and sheet again is refused, and changes nothing
    let before = state(p);
    let again = lingtan(&[
        "import",
        p,
        &ledger,
        "--source",
        "Grid electricity - plant",
        "--sheet",
        "主厂区 3301512846071",
    ]);
    assert_eq!(again.status.code(), Some(1));
    assert!(stdout(&again).contains("FILE_ALREADY_IMPORTED"));
    assert_eq!(state(p), before);
    // undo reverts the batch, logged, and the log still verifies
    assert!(ok(&["import", "undo", p, "1"]).contains("13 records voided"));
    let inv: serde_json::Value = serde_json::from_str(&ok(&["inventory", p, "--json"])).unwrap();
    let plant = inv["sources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["source"] == "Grid electricity - plant")
        .unwrap();
    assert_eq!(plant["quantity"], "0");
    assert!(ok(&["audit", p, "--verify"]).contains("verified"));
}

#[test]
fn a_bad_workbook_is_refused_with_its_cells_and_the_project_is_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let p = small_project(dir.path());
    let before = state(&p);
    for (file, expected) in [
        ("text-in-quantity.xlsx", "电费台账!B7"),
        ("total-mismatch.xlsx", "电费台账!B8"),
        ("unknown-unit.xlsx", "电费台账!C4"),
        ("bad-period.xlsx", "2024年7-12月!A7"),
        ("overlapping-periods.xlsx", "电费台账!A5"),
        ("not-a-spreadsheet.xlsx", "FILE_NOT_SPREADSHEET"),
        ("truncated.xlsx", "FILE_DAMAGED"),
        ("password.xlsx", "FILE_PASSWORD"),
        ("empty-sheet.xlsx", "SHEET_EMPTY"),
        ("no-header.xlsx", "HEADER_NOT_FOUND"),
        ("interval-problems.xlsx", "负荷数据!C79"),
        ("register-readings.xlsx", "表码!B11"),
    ] {
        let o = lingtan(&["import", &p, &broken(file), "--source", "Grid power"]);
        assert_eq!(o.status.code(), Some(1), "{file}: {}", stdout(&o));
        assert!(
            stdout(&o).contains(expected),
            "{file}: expected {expected} in {}",
            stdout(&o)
        );
        assert!(stdout(&o).contains("REFUSED"), "{file}");
        let json: serde_json::Value = serde_json::from_str(&stdout(&lingtan(&[
            "import",
            &p,
            &broken(file),
            "--source",
            "Grid power",
            "--json",
        ])))
        .unwrap();
        assert!(json["batch"].is_null(), "{file}: no batch on a refusal");
        assert_eq!(state(&p), before, "{file}: the project changed");
    }
}

fn scope_totals(p: &str) -> serde_json::Value {
    let inv: serde_json::Value =
        serde_json::from_str(&stdout(&lingtan(&["inventory", p, "--json"]))).unwrap();
    inv["totals"].clone()
}

#[test]
fn a_meter_export_is_kept_at_full_resolution_and_reconciled_with_the_bills() {
    let dir = tempfile::tempdir().unwrap();
    let sample = build_sample(dir.path());
    let p = sample.to_str().unwrap();
    let meter = excel("main-meter-96pt-2024-06.xlsx");
    let totals = scope_totals(p);
    let dry = ok(&[
        "import",
        p,
        &meter,
        "--source",
        "Grid electricity - plant",
        "--dry-run",
    ]);
    golden("import-main-meter.txt", &dry.replace(p, "sample.lingtan"));
    let json: serde_json::Value = serde_json::from_str(&ok(&[
        "import",
        p,
        &meter,
        "--source",
        "Grid electricity - plant",
        "--json",
    ]))
    .unwrap();
    assert!(json["batch"].is_i64(), "{json}");
    assert_eq!(json["kind"], "interval");
    assert_eq!(json["rows"]["accepted"], 2880);
    let june = &json["months"][0];
    assert_eq!(june["month"], "2024-06");
    assert_eq!(june["quantity"], "188553.24");
    assert_eq!(
        june["action"], "bills",
        "June has bills: compared, not added"
    );
    assert_eq!(june["reconciliation"]["percent"], "0.90");
    assert_eq!(june["reconciliation"]["prorated"], true);
    // the readings are kept, the inventory does not count June twice
    assert_eq!(scope_totals(p), totals);
    let verify = ok(&["audit", p, "--verify"]);
    assert!(verify.contains("chain intact"), "{verify}");
    // a reading changed with sqlite3 is found
    {
        let conn = rusqlite::Connection::open(p).unwrap();
        conn.execute(
            "UPDATE interval_reading SET value = '0.00' WHERE id = 100",
            [],
        )
        .unwrap();
    }
    let o = lingtan(&["audit", p, "--verify"]);
    assert_eq!(o.status.code(), Some(4));
    assert!(
        stdout(&o).contains("interval series #1: differs from what audit entry #"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn a_pv_export_becomes_a_month_record_and_its_saved_mapping_imports_the_next_file() {
    let dir = tempfile::tempdir().unwrap();
    let p = small_project(dir.path());
    let pv = excel("pv-15min-2024-06.xlsx");
    let profile = dir.path().join("inverters.json");
    // a profile that cannot be saved refuses the import before anything is written
    let before = state(&p);
    let nowhere = dir.path().join("no/such/folder/inverters.json");
    let o = lingtan(&[
        "import",
        &p,
        &pv,
        "--source",
        "Grid power",
        "--save-mapping",
        nowhere.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("OUTPUT_FOLDER_MISSING") && stderr(&o).contains("no/such/folder"),
        "the missing folder is named: {}",
        stderr(&o)
    );
    assert_eq!(state(&p), before);
    let out = ok(&[
        "import",
        &p,
        &pv,
        "--source",
        "Grid power",
        "--save-mapping",
        profile.to_str().unwrap(),
    ]);
    assert!(out.contains("imported as batch #1"), "{out}");
    assert!(
        out.contains("2024-07-01 00:00 belongs to 2024-06-30"),
        "the interval-ending convention is stated: {out}"
    );
    let list = ok(&["activity", "list", &p]);
    assert!(
        list.contains("2024-06-01..2024-06-30\t38064.10 kWh"),
        "{list}"
    );
    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&profile).unwrap()).unwrap();
    assert_eq!(saved["source"], "Grid power");
    assert_eq!(saved["kind"], "interval");
    assert_eq!(saved["timestamps"], "ending");
    // importing it again is refused: June is already there
    let o = lingtan(&["import", &p, &pv, "--mapping", profile.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stdout(&o).contains("FILE_ALREADY_IMPORTED"),
        "{}",
        stdout(&o)
    );
    // undo, then the profile alone is enough: no --source, no questions
    ok(&["import", "undo", &p, "1"]);
    let again = ok(&["import", &p, &pv, "--mapping", profile.to_str().unwrap()]);
    assert!(again.contains("imported as batch #2"), "{again}");
    let verify = ok(&["audit", &p, "--verify"]);
    assert!(verify.contains("chain intact"), "{verify}");
    // a bad profile names itself
    std::fs::write(
        &profile,
        "{\"lingtan_mapping\": 1, \"name\": \"x\", \"columns\": {\"用量\": \"amount\"}}",
    )
    .unwrap();
    let o = lingtan(&["import", &p, &pv, "--mapping", profile.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("inverters.json") && stderr(&o).contains("amount"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn demand_in_kw_is_converted_with_the_interval_length_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let p = small_project(dir.path());
    let json: serde_json::Value = serde_json::from_str(&ok(&[
        "import",
        &p,
        &broken("demand-kw.xlsx"),
        "--source",
        "Grid power",
        "--json",
    ]))
    .unwrap();
    // 96 quarter-hours of average kW × 0.25 h: the main meter's 3 June total (CT5 of the wide file)
    assert_eq!(json["months"][0]["quantity"], "6897.51");
    let codes: Vec<&str> = json["issues"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"DEMAND_CONVERTED"), "{codes:?}");
    assert!(codes.contains(&"MONTH_PARTIAL"), "{codes:?}");
}

#[test]
fn a_mapping_profile_names_a_header_lingtan_does_not_know() {
    let dir = tempfile::tempdir().unwrap();
    let p = small_project(dir.path());
    let csv = dir.path().join("月度电量.csv");
    std::fs::write(&csv, "月份,本月实用(kWh)\n2024-11,100\n2024-12,120.5\n").unwrap();
    let csv = csv.to_str().unwrap();
    let o = lingtan(&["import", &p, csv, "--source", "Grid power"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("HEADER_NOT_FOUND"), "{}", stdout(&o));
    let profile = dir.path().join("supplier.json");
    std::fs::write(
        &profile,
        r#"{"lingtan_mapping": 1, "name": "supplier", "source": "Grid power", "columns": {"本月实用(kWh)": "quantity"}}"#,
    )
    .unwrap();
    let out = ok(&["import", &p, csv, "--mapping", profile.to_str().unwrap()]);
    assert!(out.contains("rows: 2 accepted"), "{out}");
    assert!(out.contains("total 220.500 kWh"), "{out}");
}
