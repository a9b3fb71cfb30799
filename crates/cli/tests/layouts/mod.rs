//! The exports factories really have (tests/import/make_real_layouts.py): each imports to the
//! total the script worked out from the values it wrote (tests/import/real-layouts.json), not to
//! what Lingtan said the last time; files that are not activity data are refused at their cell.

use super::*;

/// A project with one site and an electricity source in kWh, nothing else.
fn fresh(dir: &Path, name: &str) -> String {
    lingtan_testkit::Build::new(&format!("{name}.lingtan"), "Layouts", 2024)
        .site("Main plant", Some("华东"))
        .source("Grid power", "Main plant", "electricity", "kWh")
        .create_file(dir)
        .to_str()
        .expect("a temporary path is UTF-8")
        .to_string()
}

fn layouts() -> serde_json::Map<String, serde_json::Value> {
    let text = std::fs::read_to_string(root().join("tests/import/real-layouts.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn dec(v: &serde_json::Value) -> rust_decimal::Decimal {
    v.as_str()
        .unwrap_or_else(|| panic!("{v} is not a decimal string"))
        .parse()
        .unwrap()
}

#[test]
fn every_real_layout_imports_to_its_independently_worked_total_or_is_refused_at_its_cell() {
    let dir = tempfile::tempdir().unwrap();
    let all = layouts();
    assert!(all.len() >= 13, "the real layouts are missing");
    for (k, (file, want)) in all.iter().enumerate() {
        let p = fresh(dir.path(), &format!("p{k}"));
        let path = root().join("tests/import").join(file);
        let path = path.to_str().unwrap();
        let mut args = vec![
            "import".to_string(),
            p.clone(),
            path.to_string(),
            "--source".into(),
            "Grid power".into(),
            "--json".into(),
        ];
        if let Some(m) = want.get("multipliers").and_then(|m| m.as_object()) {
            for (meter, n) in m {
                args.push("--multiplier".into());
                args.push(format!("{meter}={n}"));
            }
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let o = lingtan(&args);
        let json: serde_json::Value = serde_json::from_str(&stdout(&o))
            .unwrap_or_else(|e| panic!("{file}: not JSON ({e}): {}{}", stdout(&o), stderr(&o)));
        let codes: Vec<&str> = json["issues"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["code"].as_str().unwrap())
            .collect();
        if want["kind"] == "refused" {
            assert_eq!(o.status.code(), Some(1), "{file} must be refused: {json}");
            let issue = json["issues"]
                .as_array()
                .unwrap()
                .iter()
                .find(|i| i["code"] == want["code"])
                .unwrap_or_else(|| panic!("{file}: no {} in {codes:?}", want["code"]));
            if let Some(cell) = want.get("cell") {
                assert_eq!(&issue["cell"], cell, "{file}: the refusal names the cell");
            }
            assert!(json["batch"].is_null(), "{file}: nothing written");
            continue;
        }
        assert!(
            o.status.success(),
            "{file} ({}) must import: {codes:?}\n{}",
            want["layout"],
            stdout(&o)
        );
        assert_eq!(json["kind"], want["kind"], "{file}: read as the wrong kind");
        assert_eq!(
            dec(&json["totals"][0]["quantity"]),
            dec(&want["total"]),
            "{file} ({}): the imported total must be the one worked out from the values written",
            want["layout"]
        );
        assert_eq!(json["totals"][0]["unit"], want["unit"], "every real layout imports to its independently worked total or is refused at its cell: {file}");
        if let Some(difference) = want.get("total_row_difference") {
            // MyEMS writes the total as the rounded sum of unrounded values: within the rounding
            // of the rows it is said (info), never refused
            let said = codes.contains(&"TOTAL_ROUNDED") || codes.contains(&"TOTAL_CHECKED");
            assert!(
                dec(difference).is_zero() || said,
                "{file}: a total row off by {difference} from rounding is said: {codes:?}"
            );
        }
        if let Some(year) = want.get("year_2024") {
            // the bills run 26th to 25th: the year takes each bill's days in 2024
            let inv: serde_json::Value =
                serde_json::from_str(&stdout(&lingtan(&["inventory", &p, "--json"]))).unwrap();
            let got = dec(&inv["sources"][0]["quantity"]).round_dp(3);
            assert_eq!(
                got,
                dec(year).round_dp(3),
                "{file}: the 2024 quantity is each bill prorated by its days in 2024"
            );
            assert_ne!(
                got,
                dec(&want["year_2024_as_single_days"]).round_dp(3),
                "{file}: not each bill as one day on its start date"
            );
            // the 退补 row is a negative record, with its remark and a reason
            let list: serde_json::Value =
                serde_json::from_str(&ok(&["activity", "list", &p, "--json"])).unwrap();
            let refund = list
                .as_array()
                .unwrap()
                .iter()
                .find(|a| a["quantity"].as_str().is_some_and(|q| q.starts_with('-')))
                .unwrap_or_else(|| panic!("{file}: the 退补 row was not imported: {list}"));
            assert_eq!(refund["note"], "退补", "{file}: the remark is kept");
            assert!(
                codes.contains(&"ADJUSTMENT_ROW"),
                "{file}: the refund is said: {codes:?}"
            );
        }
    }
}

#[test]
fn one_multiplier_for_the_state_grid_export_of_two_meters_is_refused_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let p = fresh(dir.path(), "p");
    let file = root().join("tests/import/sg-96pt-registers.xlsx");
    let before = state(&p);
    let o = lingtan(&[
        "import",
        &p,
        file.to_str().unwrap(),
        "--source",
        "Grid power",
        "--multiplier",
        "8000",
    ]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "one multiplier for the state grid export of two meters is refused and changes nothing: {}",
        stdout(&o)
    );
    let out = stdout(&o);
    assert!(
        out.contains("MULTIPLIER_AMBIGUOUS")
            && out.contains("--multiplier 00000330012345=N --multiplier 00000330012346=N"),
        "the refusal says how to give each meter its own: {out}"
    );
    assert_eq!(state(&p), before, "a refused import changes nothing");
    // a meter the file does not have is refused too, naming the meters it has
    let o = lingtan(&[
        "import",
        &p,
        file.to_str().unwrap(),
        "--source",
        "Grid power",
        "--multiplier",
        "00000330099999=80",
    ]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "a multiplier for a meter the file does not have is refused (exit 1)"
    );
    assert!(
        stdout(&o).contains("MULTIPLIER_METER_UNKNOWN") && stdout(&o).contains("00000330012346"),
        "one multiplier for the state grid export of two meters is refused and changes nothing: {}",
        stdout(&o)
    );
}

#[test]
fn a_multiplier_that_makes_a_meter_draw_more_than_any_factory_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let p = fresh(dir.path(), "p");
    let file = root().join("tests/import/sg-96pt-registers.xlsx");
    // ×880000 on the big meter: 12.07 register units → 10.6 GWh in two days, ×10^7 on the small
    // one: 5.5 TWh — beyond any factory in a month
    let o = lingtan(&[
        "import",
        &p,
        file.to_str().unwrap(),
        "--source",
        "Grid power",
        "--multiplier",
        "00000330012345=880000",
        "--multiplier",
        "00000330012346=10000000",
        "--dry-run",
    ]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "a multiplier that makes a meter draw more than any factory is refused: {}",
        stdout(&o)
    );
    assert!(
        stdout(&o).contains("METER_IMPLAUSIBLE") && stdout(&o).contains("00000330012346"),
        "the meter and its figure are named: {}",
        stdout(&o)
    );
}

/// 13.11: `lingtan activity list P | head -1` panicked on the closed pipe (exit 101). The reader
/// here closes its end before the command writes anything, so every write meets the closed pipe.
#[test]
fn a_closed_stdout_ends_every_verb_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let p = small_project(dir.path());
    for args in [
        vec!["activity", "list", &p],
        vec!["audit", &p],
        vec!["inventory", &p],
        vec!["factors", &p, "--json"],
        vec!["source", "list", &p],
        vec!["report", &p],
    ] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_lingtan"))
            .args(&args)
            .env("LINGTAN_NOW", NOW)
            .env("LINGTAN_LANG", "en")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let o = child.wait_with_output().unwrap();
        let err = stderr(&o);
        assert!(
            !err.contains("panicked") && !err.contains("Broken pipe"),
            "lingtan {args:?}: {err}"
        );
        assert!(
            matches!(o.status.code(), Some(0 | 3)),
            "lingtan {args:?} ends as it would have, not 101: {:?} {err}",
            o.status
        );
    }
}

#[test]
fn each_meters_multiplier_is_saved_in_the_mapping_profile_and_used_next_time() {
    let dir = tempfile::tempdir().unwrap();
    let p = fresh(dir.path(), "p");
    let file = root().join("tests/import/sg-96pt-registers.xlsx");
    let profile = dir.path().join("国网-96点.json");
    ok(&[
        "import",
        &p,
        file.to_str().unwrap(),
        "--source",
        "Grid power",
        "--multiplier",
        "00000330012345=8000",
        "--multiplier",
        "00000330012346=1",
        "--save-mapping",
        profile.to_str().unwrap(),
    ]);
    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&profile).unwrap()).unwrap();
    assert_eq!(
        saved["multipliers"],
        serde_json::json!({"00000330012345": "8000", "00000330012346": "1"}),
        "each meter's multiplier is kept: {saved}"
    );
    // next time, into another project: the profile alone says it all
    let p = fresh(dir.path(), "next");
    let json: serde_json::Value = serde_json::from_str(&ok(&[
        "import",
        &p,
        file.to_str().unwrap(),
        "--mapping",
        profile.to_str().unwrap(),
        "--json",
    ]))
    .unwrap();
    assert_eq!(
        dec(&json["totals"][0]["quantity"]),
        dec(&layouts()["sg-96pt-registers.xlsx"]["total"]),
        "the profile alone gives the same total"
    );
}
