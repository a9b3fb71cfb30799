//! The importer on real files: the sample factory's workbooks read without errors and agree with
//! the sample's activity data; every deliberately broken file in tests/import gives exactly the
//! issues in its golden list (`tests/import/NAME.expected`; regenerate with
//! `LINGTAN_UPDATE_GOLDEN=1 cargo test -p lingtan-import` and review the diff). No file panics.

use lingtan_core::Severity;
use lingtan_import::{bills, detect_kind, interval, read_file, BillOptions, ImportIssue, Kind};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

fn render_issues(out: &mut String, issues: &[ImportIssue]) {
    for i in issues {
        out.push_str(&format!(
            "{} {} {} [{}]\n  {}\n  {}\n",
            i.severity.code(),
            i.code,
            i.location(),
            i.column.as_deref().unwrap_or(""),
            i.message(lingtan_core::Lang::En),
            i.message(lingtan_core::Lang::Zh)
        ));
    }
}

/// Interval data: the mapping, each meter's monthly roll-up, the issues.
fn render_interval(name: &str, bytes: &[u8]) -> String {
    let mut out = String::new();
    let read = interval::read(name, bytes, interval::IntervalOptions::default());
    for m in &read.mappings {
        let cols: Vec<String> = m
            .columns
            .iter()
            .map(|c| format!("{}={}", c.column, c.role))
            .collect();
        out.push_str(&format!(
            "interval {} header row {} {} {:?} unit {} every {} min, stamps {} ({} / {}){}: {}\n",
            m.sheet,
            m.header_row,
            m.layout,
            m.measure,
            m.unit.as_deref().unwrap_or("?"),
            m.interval_minutes
                .map(|i| i.to_string())
                .unwrap_or("?".into()),
            m.stamp.map(|s| s.code()).unwrap_or("?"),
            m.stamp_reason,
            m.stamp_reason_zh,
            m.multiplier
                .map(|x| format!(", multiplier {x}"))
                .unwrap_or_default(),
            cols.join(" ")
        ));
        out.push_str(&format!(
            "  readings {} from {} to {}, meters [{}]\n",
            m.readings,
            m.first.map(|d| d.to_string()).unwrap_or_default(),
            m.last.map(|d| d.to_string()).unwrap_or_default(),
            m.meters.join(", ")
        ));
    }
    for s in &read.series {
        for r in s.monthly() {
            out.push_str(&format!(
                "  {} {}-{:02}: {} {} in {} of {} intervals, rows {}..{}\n",
                s.meter.as_deref().unwrap_or("(meter)"),
                r.year,
                r.month,
                r.total,
                s.unit.code(),
                r.readings,
                r.expected,
                r.first_row,
                r.last_row
            ));
        }
    }
    out.push_str(&format!("rejected {}\n", read.rejected));
    render_issues(&mut out, &read.issues);
    out
}

/// Read and map a file; render the mapping, rows and issues as reviewable text.
fn render(path: &Path) -> String {
    let mut out = String::new();
    let name = path.file_name().unwrap().to_str().unwrap();
    let bytes = std::fs::read(path).unwrap();
    if let Ok(Kind::Interval) = detect_kind(name, &bytes, None) {
        return render_interval(name, &bytes);
    }
    match read_file(path) {
        Err(issue) => out.push_str(&format!(
            "{} {} {}\n  {}\n",
            issue.severity.code(),
            issue.code,
            issue.location(),
            issue.message(lingtan_core::Lang::En)
        )),
        Ok(sheets) => {
            let b = bills::read(&sheets, &BillOptions::default());
            for m in &b.mappings {
                let cols: Vec<String> = m
                    .columns
                    .iter()
                    .map(|c| format!("{}={:?}", c.column, c.role))
                    .collect();
                out.push_str(&format!(
                    "mapping {} header row {} periods {}: {}\n",
                    m.sheet,
                    m.header_row,
                    m.periods,
                    cols.join(" ")
                ));
            }
            out.push_str(&format!(
                "rows accepted {} rejected {}\n",
                b.rows.len(),
                b.rejected
            ));
            for i in &b.issues {
                out.push_str(&format!(
                    "{} {} {} [{}]\n  {}\n  {}\n",
                    i.severity.code(),
                    i.code,
                    i.location(),
                    i.column.as_deref().unwrap_or(""),
                    i.message(lingtan_core::Lang::En),
                    i.message(lingtan_core::Lang::Zh)
                ));
            }
        }
    }
    out
}

#[test]
fn broken_files_give_their_golden_issue_lists() {
    let dir = root().join("tests/import");
    let mut names: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            matches!(
                p.extension().and_then(|e| e.to_str()),
                Some("xlsx" | "xls" | "ods" | "csv")
            )
        })
        .collect();
    names.sort();
    assert!(names.len() >= 10, "the broken files are missing");
    let mut failures = Vec::new();
    for path in names {
        let actual = render(&path);
        let expected_path = path.with_extension(format!(
            "{}.expected",
            path.extension().unwrap().to_str().unwrap()
        ));
        if std::env::var_os("LINGTAN_UPDATE_GOLDEN").is_some() {
            std::fs::write(&expected_path, &actual).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        if expected != actual {
            failures.push(format!(
                "{}:\n--- expected\n{expected}--- actual\n{actual}",
                path.display()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "broken files give their golden issue lists: {}",
        failures.join("\n")
    );
}

#[test]
fn the_sample_workbooks_read_cleanly() {
    let dir = root().join("sample-data/excel");
    for name in [
        "electricity-ledger-2024.xlsx",
        "gas-statements-2024.xlsx",
        "diesel-purchases-2024.xls",
        "lpg-purchases-2024.csv",
    ] {
        let sheets = read_file(&dir.join(name))
            .unwrap_or_else(|e| panic!("{name}: {}", e.message(lingtan_core::Lang::En)));
        let b = bills::read(&sheets, &BillOptions::default());
        let errors: Vec<_> = b
            .issues
            .iter()
            .filter(|i| i.severity == Severity::Error)
            .collect();
        assert!(
            errors.is_empty(),
            "the sample workbooks read cleanly: {name}: {errors:#?}"
        );
        assert!(!b.rows.is_empty(), "{name}: no rows");
    }
}

#[test]
fn the_sample_workbooks_map_as_expected() {
    let dir = root().join("sample-data/excel");
    let mut all = String::new();
    for name in [
        "electricity-ledger-2024.xlsx",
        "gas-statements-2024.xlsx",
        "diesel-purchases-2024.xls",
        "lpg-purchases-2024.csv",
    ] {
        all.push_str(&format!("# {name}\n{}", render(&dir.join(name))));
        let sheets = read_file(&dir.join(name)).unwrap();
        let b = bills::read(&sheets, &BillOptions::default());
        let total: rust_decimal::Decimal = b.rows.iter().map(|r| r.quantity).sum();
        all.push_str(&format!("total quantity {total}\n"));
    }
    for name in ["pv-15min-2024-06.xlsx", "main-meter-96pt-2024-06.xlsx"] {
        let bytes = std::fs::read(dir.join(name)).unwrap();
        assert_eq!(
            detect_kind(name, &bytes, None).unwrap(),
            Kind::Interval,
            "the sample workbooks map as expected: {name}"
        );
        all.push_str(&format!("# {name}\n{}", render(&dir.join(name))));
    }
    let path = root().join("tests/import/sample-workbooks.expected");
    if std::env::var_os("LINGTAN_UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, &all).unwrap();
    }
    assert_eq!(
        std::fs::read_to_string(&path).unwrap_or_default(),
        all,
        "the sample workbooks map as expected"
    );
}

mod fuzz {
    use super::*;
    use lingtan_import::{read_bytes, Value};
    use proptest::prelude::*;

    fn sample_bytes() -> Vec<u8> {
        std::fs::read(root().join("sample-data/excel/gas-statements-2024.xlsx")).unwrap()
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 200, .. ProptestConfig::default() })]

        /// Random bytes under any spreadsheet name: an issue, never a panic.
        #[test]
        fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048), ext in prop::sample::select(vec!["xlsx", "xls", "ods", "csv"])) {
            if let Ok(sheets) = read_bytes(&format!("f.{ext}"), &bytes) {
                let _ = bills::read(&sheets, &BillOptions::default());
            }
            let _ = detect_kind(&format!("f.{ext}"), &bytes, None);
            let _ = interval::read(&format!("f.{ext}"), &bytes, interval::IntervalOptions::default());
        }

        /// A real workbook with bytes flipped or cut: an issue, never a panic.
        #[test]
        fn mutated_workbooks_never_panic(flips in proptest::collection::vec((any::<usize>(), any::<u8>()), 1..8), cut in proptest::option::of(any::<usize>())) {
            let mut bytes = sample_bytes();
            for (at, value) in flips {
                let i = at % bytes.len();
                bytes[i] = value;
            }
            if let Some(c) = cut {
                bytes.truncate(c % bytes.len());
            }
            if let Ok(sheets) = read_bytes("f.xlsx", &bytes) {
                let _ = bills::read(&sheets, &BillOptions::default());
            }
            let _ = detect_kind("f.xlsx", &bytes, None);
        }

        /// A real meter export (streamed) with bytes flipped or cut: never a panic.
        #[test]
        fn mutated_meter_exports_never_panic(flips in proptest::collection::vec((any::<usize>(), any::<u8>()), 1..8), cut in proptest::option::of(any::<usize>())) {
            let mut bytes = std::fs::read(root().join("tests/import/demand-kw.xlsx")).unwrap();
            for (at, value) in flips {
                let i = at % bytes.len();
                bytes[i] = value;
            }
            if let Some(c) = cut {
                bytes.truncate(c % bytes.len());
            }
            let _ = interval::read("f.xlsx", &bytes, interval::IntervalOptions::default());
        }

        /// Random cells under an interval header: issues, never a panic.
        #[test]
        fn random_interval_rows_never_panic(rows in proptest::collection::vec(proptest::collection::vec(cell(), 0..5), 0..60), wide in any::<bool>()) {
            let mut reader = interval::IntervalReader::new(interval::IntervalOptions::default());
            reader.sheet("S");
            let header: Vec<Value> = if wide {
                std::iter::once(Value::Text("日期".into())).chain((1..=24).map(|h| Value::Text(format!("{h}:00")))).collect()
            } else {
                vec![Value::Text("时间".into()), Value::Text("表计".into()), Value::Text("表码(kWh)".into()), Value::Text("倍率".into())]
            };
            reader.row(0, 0, &header);
            for (i, r) in rows.iter().enumerate() {
                reader.row(i as u32 + 1, 0, r);
            }
            let out = reader.finish();
            for s in &out.series {
                let _ = s.monthly();
            }
        }
    }

    fn cell() -> impl Strategy<Value = Value> {
        prop_oneof![
            Just(Value::Empty),
            (-1000i64..100_000).prop_map(|n| Value::Number(rust_decimal::Decimal::new(n, 2))),
            "[0-9:. -]{0,20}".prop_map(Value::Text),
            (0i64..3_000_000).prop_map(|m| Value::DateTime(
                chrono::NaiveDate::from_ymd_opt(2024, 1, 1)
                    .unwrap()
                    .and_hms_opt(0, 0, 0)
                    .unwrap()
                    + chrono::Duration::minutes(m)
            )),
            prop::sample::select(vec![
                "2024-06-01 00:15",
                "2024-06-01 00:30",
                "2024/6/1 24:00",
                "合计",
                "—"
            ])
            .prop_map(|t| Value::Text(t.to_string())),
        ]
    }
}
