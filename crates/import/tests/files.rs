//! The importer on real files: the sample factory's workbooks read without errors and agree with
//! the sample's activity data; every deliberately broken file in tests/import gives exactly the
//! issues in its golden list (`tests/import/NAME.expected`; regenerate with
//! `LINGTAN_UPDATE_GOLDEN=1 cargo test -p lingtan-import` and review the diff). No file panics.

use lingtan_core::Severity;
use lingtan_import::{bills, read_file, BillOptions};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

/// Read and map a file; render the mapping, rows and issues as reviewable text.
fn render(path: &Path) -> String {
    let mut out = String::new();
    match read_file(path) {
        Err(issue) => out.push_str(&format!(
            "{} {} {}\n  {}\n",
            issue.severity.code(),
            issue.code,
            issue.location(),
            issue.en
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
                    i.en,
                    i.zh
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
    assert!(failures.is_empty(), "{}", failures.join("\n"));
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
        let sheets = read_file(&dir.join(name)).unwrap_or_else(|e| panic!("{name}: {}", e.en));
        let b = bills::read(&sheets, &BillOptions::default());
        let errors: Vec<_> = b
            .issues
            .iter()
            .filter(|i| i.severity == Severity::Error)
            .collect();
        assert!(errors.is_empty(), "{name}: {errors:#?}");
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
    let path = root().join("tests/import/sample-workbooks.expected");
    if std::env::var_os("LINGTAN_UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, &all).unwrap();
    }
    assert_eq!(std::fs::read_to_string(&path).unwrap_or_default(), all);
}

mod fuzz {
    use super::*;
    use lingtan_import::read_bytes;
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
        }
    }
}
