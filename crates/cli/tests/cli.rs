//! The `lingtan` command end to end: the sample factory's inventory against golden files, every
//! bad input refused with a message naming the field and value and the project left unchanged,
//! and tampering found by `audit --verify`.
//!
//! Golden files live in tests/golden/ at the repository root; regenerate them with
//! `LINGTAN_UPDATE_GOLDEN=1 cargo test -p lingtan-cli` and review the diff.

use lingtan_testkit::golden::Golden;
use lingtan_testkit::{small, Build, Cli, NOW};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

mod claim;
mod dossier;
mod layouts;
mod offset;
mod report;
mod zcf;

fn cli() -> Cli {
    Cli::new(env!("CARGO_BIN_EXE_lingtan"))
}

fn root() -> PathBuf {
    lingtan_testkit::root()
}

fn lingtan(args: &[&str]) -> Output {
    cli()
        .command(args)
        .output()
        .expect("the lingtan binary must start")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn ok(args: &[&str]) -> String {
    cli().ok(args)
}

fn build_sample(dir: &Path) -> PathBuf {
    cli().sample(dir)
}

/// The golden files' runner, with SAMPLE standing for the sample factory at `sample`.
fn golden_sample(sample: &Path) -> Golden {
    Golden::new(&cli()).with("SAMPLE", sample)
}

#[test]
fn the_sample_factory_inventory_matches_the_golden_files() {
    let dir = tempfile::tempdir().unwrap();
    let sample = build_sample(dir.path());
    let p = sample.to_str().unwrap();
    let g = golden_sample(&sample);
    g.check("sample-inventory.txt");
    g.check("sample-inventory.json.txt");
    g.check("sample-inventory.zh.txt");
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
    assert!(
        json["categories"]["1"].is_string(),
        "category totals are decimal strings in the JSON contract, like the scope totals"
    );
    assert!(
        json["intensity"].is_array() && json["intensity"][0]["metric"] == "product",
        "inventory --json gains intensity per output metric: {}",
        json["intensity"]
    );
    assert!(
        ok(&["audit", p, "--verify"]).contains("verified"),
        "building the sample through the commands must leave an intact audit chain"
    );

    // the sample's reduction story, in 2025: text in each language and the stable JSON
    g.check("sample-reduction.txt");
    let text = ok(&["reduction", p, "--year", "2025", "--json"]);
    let r: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        r["macc"][0], "LED retrofit, workshops",
        "the MACC starts with the cheapest tonne"
    );
    let pv = r["measures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["name"] == "Rooftop PV 300 kWp")
        .unwrap();
    assert_eq!(
        pv["achieved_method"], "metered",
        "the PV's achieved abatement comes from its imported inverter export"
    );
}

/// A bill that runs past the end of the reporting year puts a few records into the next year:
/// they are not that year's emissions, and a target's trajectory must not show them as its
/// actual (it read as far below the allowed line: "on track" on one bill).
#[test]
fn a_bill_running_into_the_next_year_is_not_that_years_actual_emissions() {
    let dir = tempfile::tempdir().unwrap();
    let p = small_project(dir.path());
    ok(&[
        "activity",
        "add",
        &p,
        "--source",
        "Grid power",
        "--from",
        "2024-12-21",
        "--to",
        "2025-01-20",
        "--qty",
        "3100",
        "--unit",
        "kWh",
    ]);
    ok(&[
        "target",
        "add",
        &p,
        "T",
        "--scopes",
        "1+2",
        "--base-year",
        "2024",
        "--target-year",
        "2030",
        "--reduction",
        "42",
    ]);
    let r: serde_json::Value =
        serde_json::from_str(&ok(&["reduction", &p, "--year", "2024", "--json"])).unwrap();
    let trajectory = r["targets"][0]["trajectory"].as_array().unwrap();
    let y2025 = trajectory.iter().find(|y| y["year"] == 2025).unwrap();
    assert!(
        y2025["actual_tco2e"].is_null(),
        "2025 has only the tail of a 2024 bill, after the reporting year: no actual, got {y2025}"
    );
    let y2024 = trajectory.iter().find(|y| y["year"] == 2024).unwrap();
    assert!(
        y2024["actual_tco2e"].is_string(),
        "the reporting year's actual is shown: {y2024}"
    );
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
    assert_eq!(
        f["id"], "CN-GRID-2022",
        "factors --search finds the factor by its id"
    );
    assert_eq!(f["gases"]["CO2"], "0.5366", "the JSON gives each gas's factor as written in the library (a decimal string, not a float)");
    assert_eq!(
        f["unit"], "kWh",
        "the factor's unit is the unit its activity data must be in"
    );
    assert_eq!(
        f["region"], "CN",
        "the region is part of the documented shape: it decides which grid factor a site gets"
    );
    assert_eq!(
        f["year"], 2022,
        "the data year is a number in the documented shape: the inventory warns when it differs"
    );
    for key in ["name", "dataset", "citation", "licence", "verified"] {
        assert!(
            !f[key].is_null(),
            "factors json has the documented shape: {key}"
        );
    }
}

/// The small project (testkit `small()`), built through the workbench; returns its path.
fn small_project(dir: &Path) -> String {
    small()
        .create_file(dir)
        .to_str()
        .expect("a temporary path is UTF-8")
        .to_string()
}

#[test]
fn the_small_project_is_the_same_built_by_the_workbench_or_by_the_commands() {
    // the tests build it through the workbench (fast); the hostile suite through the binary (an
    // older HOSTILE_BIN must read it): both must give the project the golden files describe
    let dir = tempfile::tempdir().unwrap();
    let by_workbench = small().file("w.lingtan").create_file(dir.path());
    let by_commands = small().file("c.lingtan").create_with(&cli(), dir.path());
    for verb in [
        &["inventory", "--json"][..],
        &["activity", "list", "--json"][..],
        &["source", "list", "--json"][..],
        &["site", "list", "--json"][..],
    ] {
        let run = |p: &Path| {
            let mut args: Vec<&str> = verb.to_vec();
            let at = if verb[0] == "inventory" { 1 } else { 2 };
            args.insert(at, p.to_str().expect("a temporary path is UTF-8"));
            let mut json: serde_json::Value =
                serde_json::from_str(&ok(&args)).expect("--json prints JSON");
            // the audit chain differs by design: entries written by the binary under
            // LINGTAN_NOW record that their time was fixed; the data (fingerprint) may not
            if let Some(o) = json.as_object_mut() {
                o.remove("audit_head");
            }
            json
        };
        assert_eq!(
            run(&by_workbench),
            run(&by_commands),
            "{verb:?}: the same description must give the same project, whichever way it is built"
        );
    }
}

/// What must not change when a command is refused: the audit log and the data fingerprint.
fn state(p: &str) -> (String, String) {
    let audit = ok(&["audit", p, "--json"]);
    let inv: serde_json::Value =
        serde_json::from_str(&stdout(&lingtan(&["inventory", p, "--json"]))).unwrap();
    (audit, inv["fingerprint"].as_str().unwrap().to_string())
}

#[test]
fn bad_input_is_refused_with_the_field_and_value_and_nothing_changes() {
    let dir = tempfile::tempdir().unwrap();
    let p = small_project(dir.path());
    let before = state(&p);
    // the commands, their messages in English and Chinese and their exit status are the file
    Golden::new(&cli())
        .with("PROJECT", &p)
        .check_each("bad-input.txt", |block, ran| {
            assert_eq!(
                state(&p),
                before,
                "bad-input.txt:{}: `{}` was refused, so the project must be as it was ({})",
                block.line,
                block.command,
                ran.stderr
            );
        });
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
    assert_eq!(
        power["quantity"], "900",
        "a negative record with a reason is a correction that subtracts: 1000 - 100 kWh"
    );
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
        "a negative correction with a reason is accepted and corrections keep history: {history}"
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
    assert_eq!(
        power["quantity"], "1100",
        "voiding the credit note leaves the corrected 1100 kWh as the only current record"
    );
    assert!(
        ok(&["audit", &p, "--verify"]).contains("verified"),
        "corrections and voids go through the store, so the audit chain still verifies"
    );
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
    assert_eq!(
        o.status.code(),
        Some(4),
        "a row changed behind Lingtan's back must make audit --verify exit 4 (tampering found)"
    );
    assert!(
        stdout(&o).contains("activity #1 v1: differs from what audit entry #"),
        "tampering with sqlite3 is found and named by audit verify: {}",
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
    assert_eq!(
        o.status.code(),
        Some(1),
        "a file that is not a project is refused (exit 1), not opened"
    );
    assert!(
        stderr(&o).contains("not a Lingtan project file"),
        "refused files are left alone: {}",
        stderr(&o)
    );
    assert_eq!(
        std::fs::read(&text).unwrap(),
        before,
        "a refused file is left byte-identical"
    );
    let o = lingtan(&[
        "new",
        text.to_str().unwrap(),
        "--org",
        "X",
        "--year",
        "2024",
    ]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "`new` over an existing file is refused (exit 1): it would destroy the file"
    );
    assert!(
        stderr(&o).contains("a file already exists there"),
        "the refusal says why: a file is already there"
    );
    assert_eq!(
        std::fs::read(&text).unwrap(),
        before,
        "a refused `new` leaves the existing file byte-identical"
    );
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
    assert_eq!(
        o.status.code(),
        Some(3),
        "an inventory that leaves a source out for want of a factor exits 3, so scripts notice"
    );
    assert!(
        stdout(&o).contains("[FACTOR_MISSING] Main plant / Kiln CO2"),
        "a source without a factor makes the inventory exit 3 and names it: {}",
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
    let p = Build::new("imp.lingtan", "Anji Greenleaf", 2024)
        .site("Anji plant", Some("CN-East"))
        .site("Dipu warehouse", Some("CN-East"))
        .source(
            "Grid electricity - plant",
            "Anji plant",
            "electricity",
            "kWh",
        )
        .source(
            "Grid electricity - warehouse",
            "Dipu warehouse",
            "electricity",
            "kWh",
        )
        .create_file(dir.path());
    let p = p.to_str().expect("a temporary path is UTF-8");
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
        "importing the state grid ledger gives the same inventory as typing the bills: {dry}"
    );
    assert_eq!(
        state(p),
        before,
        "a dry run writes nothing: the project is unchanged"
    );
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
    assert_eq!(
        json["batch"], 1,
        "the first import of a project is batch 1 (what `import undo 1` names)"
    );
    assert_eq!(
        json["rows"]["accepted"], 13,
        "the ledger sheet holds 13 bill rows, all valid"
    );
    assert_eq!(
        json["totals"][0]["quantity"], "2290870",
        "the plant's 2024 consumption in the ledger is 2,290,870 kWh (the sum of its rows)"
    );
    assert_eq!(
        json["sha256"].as_str().unwrap().len(),
        64,
        "the file's SHA-256 is kept as evidence of what was imported: 64 hex digits"
    );
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
        inv["totals"]["scope2_location"], typed["totals"]["scope2_location"],
        "importing the ledger must give the same location-based scope 2 as typing its bills"
    );
    assert_eq!(
        inv["totals"]["scope2_market"], typed["totals"]["scope2_market"],
        "importing the ledger must give the same market-based scope 2 as typing its bills"
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
    assert_eq!(
        rows[0]["origin_ref"], "主厂区 3301512846071!6",
        "each imported record points to its sheet and row, so a certifier can find it"
    );
    assert!(
        rows[0]["evidence_id"].is_number(),
        "each imported record points to the file kept as evidence"
    );
    assert!(
        rows[0]["detail"]
            .as_str()
            .unwrap()
            .contains("\"peak\":\"64168\""),
        "the time-of-use parts (峰) are kept with the record"
    );
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
    assert_eq!(
        again.status.code(),
        Some(1),
        "importing the same file and sheet twice is refused (exit 1): it would count it twice"
    );
    assert!(
        stdout(&again).contains("FILE_ALREADY_IMPORTED"),
        "the refusal names its code"
    );
    assert_eq!(state(p), before, "a refused import changes nothing");
    // undo reverts the batch, logged, and the log still verifies
    assert!(
        ok(&["import", "undo", p, "1"]).contains("13 records voided"),
        "undo voids the batch's 13 records"
    );
    let inv: serde_json::Value = serde_json::from_str(&ok(&["inventory", p, "--json"])).unwrap();
    let plant = inv["sources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["source"] == "Grid electricity - plant")
        .unwrap();
    assert_eq!(
        plant["quantity"], "0",
        "after undo the plant's quantity is back to nothing"
    );
    assert!(
        ok(&["audit", p, "--verify"]).contains("verified"),
        "undo goes through the store, so the audit chain still verifies"
    );
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
        assert_eq!(
            o.status.code(),
            Some(1),
            "a bad workbook is refused with its cells and the project is unchanged: {file}: {}",
            stdout(&o)
        );
        assert!(
            stdout(&o).contains(expected),
            "{file}: expected {expected} in {}",
            stdout(&o)
        );
        assert!(
            stdout(&o).contains("REFUSED"),
            "a bad workbook is refused with its cells and the project is unchanged: {file}"
        );
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
    golden_sample(&sample).check("import-main-meter.txt");
    let json: serde_json::Value = serde_json::from_str(&ok(&[
        "import",
        p,
        &meter,
        "--source",
        "Grid electricity - plant",
        "--json",
    ]))
    .unwrap();
    assert!(
        json["batch"].is_i64(),
        "a meter export is kept at full resolution and reconciled with the bills: {json}"
    );
    assert_eq!(
        json["kind"], "interval",
        "a meter export is interval data, kept as readings"
    );
    assert_eq!(
        json["rows"]["accepted"], 2880,
        "30 days of 96 quarter-hours: every reading is accepted"
    );
    let june = &json["months"][0];
    assert_eq!(june["month"], "2024-06", "the readings fall in June 2024");
    assert_eq!(
        june["quantity"], "188553.24",
        "June's readings add up to 188,553.24 kWh"
    );
    assert_eq!(
        june["action"], "bills",
        "June has bills: compared, not added"
    );
    assert_eq!(
        june["reconciliation"]["percent"], "0.90",
        "the readings differ from the prorated bills by +0.90 %, within the ±2 % tolerance"
    );
    assert_eq!(
        june["reconciliation"]["prorated"], true,
        "the June bill covers other days too: it is prorated by days before comparing"
    );
    // the readings are kept, the inventory does not count June twice
    assert_eq!(
        scope_totals(p),
        totals,
        "readings of a month that has bills are compared, not added: the totals must not move"
    );
    let verify = ok(&["audit", p, "--verify"]);
    assert!(
        verify.contains("chain intact"),
        "a meter export is kept at full resolution and reconciled with the bills: {verify}"
    );
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
    assert_eq!(
        o.status.code(),
        Some(4),
        "a reading changed behind Lingtan's back must make audit --verify exit 4"
    );
    assert!(
        stdout(&o).contains("interval series #1: differs from what audit entry #"),
        "a meter export is kept at full resolution and reconciled with the bills: {}",
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
    assert_eq!(
        o.status.code(),
        Some(1),
        "a mapping profile that cannot be saved refuses the import (exit 1)"
    );
    assert!(
        stderr(&o).contains("OUTPUT_FOLDER_MISSING") && stderr(&o).contains("no/such/folder"),
        "the missing folder is named: {}",
        stderr(&o)
    );
    assert_eq!(
        state(&p),
        before,
        "a refused import changes nothing, the profile's folder missing or not"
    );
    let out = ok(&[
        "import",
        &p,
        &pv,
        "--source",
        "Grid power",
        "--save-mapping",
        profile.to_str().unwrap(),
    ]);
    assert!(
        out.contains("imported as batch #1"),
        "a pv export becomes a month record and its saved mapping imports the next file: {out}"
    );
    assert!(
        out.contains("2024-07-01 00:00 belongs to 2024-06-30"),
        "the interval-ending convention is stated: {out}"
    );
    let list = ok(&["activity", "list", &p]);
    assert!(
        list.contains("2024-06-01..2024-06-30\t38064.10 kWh"),
        "a pv export becomes a month record and its saved mapping imports the next file: {list}"
    );
    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&profile).unwrap()).unwrap();
    assert_eq!(
        saved["source"], "Grid power",
        "the saved profile names the source it imports into"
    );
    assert_eq!(
        saved["kind"], "interval",
        "the saved profile remembers the file is interval data"
    );
    assert_eq!(
        saved["timestamps"], "ending",
        "the saved profile remembers the interval-ending timestamp convention"
    );
    // importing it again is refused: June is already there
    let o = lingtan(&["import", &p, &pv, "--mapping", profile.to_str().unwrap()]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "June is already imported: the same file again is refused (exit 1)"
    );
    assert!(
        stdout(&o).contains("FILE_ALREADY_IMPORTED"),
        "a pv export becomes a month record and its saved mapping imports the next file: {}",
        stdout(&o)
    );
    // undo, then the profile alone is enough: no --source, no questions
    ok(&["import", "undo", &p, "1"]);
    let again = ok(&["import", &p, &pv, "--mapping", profile.to_str().unwrap()]);
    assert!(
        again.contains("imported as batch #2"),
        "a pv export becomes a month record and its saved mapping imports the next file: {again}"
    );
    let verify = ok(&["audit", &p, "--verify"]);
    assert!(
        verify.contains("chain intact"),
        "a pv export becomes a month record and its saved mapping imports the next file: {verify}"
    );
    // a bad profile names itself
    std::fs::write(
        &profile,
        "{\"lingtan_mapping\": 1, \"name\": \"x\", \"columns\": {\"用量\": \"amount\"}}",
    )
    .unwrap();
    let o = lingtan(&["import", &p, &pv, "--mapping", profile.to_str().unwrap()]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "a bad mapping profile refuses the import (exit 1)"
    );
    assert!(
        stderr(&o).contains("inverters.json") && stderr(&o).contains("amount"),
        "a pv export becomes a month record and its saved mapping imports the next file: {}",
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
    assert_eq!(
        json["months"][0]["quantity"], "6897.51",
        "96 quarter-hours of average kW × 0.25 h give the day's 6897.51 kWh"
    );
    let codes: Vec<&str> = json["issues"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["code"].as_str().unwrap())
        .collect();
    assert!(
        codes.contains(&"DEMAND_CONVERTED"),
        "demand in kw is converted with the interval length and says so: {codes:?}"
    );
    assert!(
        codes.contains(&"MONTH_PARTIAL"),
        "demand in kw is converted with the interval length and says so: {codes:?}"
    );
}

#[test]
fn a_mapping_profile_names_a_header_lingtan_does_not_know() {
    let dir = tempfile::tempdir().unwrap();
    let p = small_project(dir.path());
    let csv = dir.path().join("月度电量.csv");
    std::fs::write(&csv, "月份,本月实用(kWh)\n2024-11,100\n2024-12,120.5\n").unwrap();
    let csv = csv.to_str().unwrap();
    let o = lingtan(&["import", &p, csv, "--source", "Grid power"]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "a header Lingtan does not know is refused (exit 1) until a profile names it"
    );
    assert!(
        stdout(&o).contains("HEADER_NOT_FOUND"),
        "a mapping profile names a header lingtan does not know: {}",
        stdout(&o)
    );
    let profile = dir.path().join("supplier.json");
    std::fs::write(
        &profile,
        r#"{"lingtan_mapping": 1, "name": "supplier", "source": "Grid power", "columns": {"本月实用(kWh)": "quantity"}}"#,
    )
    .unwrap();
    let out = ok(&["import", &p, csv, "--mapping", profile.to_str().unwrap()]);
    assert!(
        out.contains("rows: 2 accepted"),
        "a mapping profile names a header lingtan does not know: {out}"
    );
    assert!(
        out.contains("total 220.500 kWh"),
        "a mapping profile names a header lingtan does not know: {out}"
    );
}
