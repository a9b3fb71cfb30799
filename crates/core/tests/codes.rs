//! Every code used anywhere in the workspace is listed once in `lingtan_core::codes`, and every
//! code listed is used: a new refusal or issue cannot ship with a code nobody can look up.
//!
//! The test reads the source of every crate and of the desktop (tests left out) and takes each
//! string literal written like a code (`"UNKNOWN_SITE"`, `"IO"`). What looks like a code but is
//! not one (a gas, a country, a registry, an environment variable) is named in [`NOT_CODES`].

use lingtan_core::codes;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Literals written like codes that are not codes.
const NOT_CODES: &[&str] = &[
    // a check's status as the command line prints it, and the golden files' placeholders
    "FAIL",
    // capital recovery factor, a column of the Measures sheet
    "CRF",
    // the mark of a claim document while a check fails
    "DRAFT",
    // columns of the Credits sheet
    "F",
    "J",
    "WARN",
    "ROOT",
    "LINGTAN_UPDATE_GOLDEN",
    // gases, refrigerants and GWP sets
    "CO2",
    "CH4",
    "N2O",
    "SF6",
    "NF3",
    "CF4",
    "C2F6",
    "R22",
    "R32",
    "R134A",
    "GWP",
    "AR4",
    "AR5",
    "AR6",
    // units and currencies
    "GJ",
    "MJ",
    "TJ",
    "MT",
    "MW",
    "CNY",
    "RMB",
    // registries, programmes and standards
    "ACR",
    "ART",
    "ARTICLE6",
    "CAR",
    "CCB",
    "CCER",
    "CDM",
    "CDR",
    "CORSIA",
    "FCPF",
    "GS",
    "LTNSSC",
    "SDVISTA",
    "VCS",
    "VERRA",
    "ROC",
    // countries and regions
    "AT",
    "BE",
    "BG",
    "CA",
    "CH",
    "CN",
    "CY",
    "CZ",
    "DE",
    "DK",
    "EE",
    "ES",
    "FI",
    "FR",
    "GR",
    "HR",
    "HU",
    "IE",
    "IS",
    "IT",
    "LI",
    "LT",
    "LU",
    "LV",
    "NL",
    "NO",
    "PL",
    "PT",
    "RO",
    "SE",
    "SI",
    "SK",
    "US",
    // environment variables
    "CARGO_MANIFEST_DIR",
    "CARGO_PKG_VERSION",
    "LANG",
    "LC_ALL",
    "LC_MESSAGES",
    "LINGTAN_LANG",
    "LINGTAN_NOW",
    "LINGTAN_SAMPLE",
    // words and letters of formats and texts
    "D",
    "E",
    "I",
    "II",
    "L",
    "N",
    "S",
    "T",
    "U",
    "W",
    "ID",
    "FILE",
    "PDF",
    "NULL",
    "MISSING",
    "UNVERIFIED",
    "DIFAT",
    "LGTN",
    "XML",
    // a prefix of codes (`S2_MARKET_…`)
    "S2_",
];

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The source without its test module (`#[cfg(test)]` followed by `mod …`), which by custom ends
/// the file.
fn without_tests(text: &str) -> &str {
    let mut at = 0;
    while let Some(i) = text[at..].find("#[cfg(test)]") {
        let start = at + i;
        let rest = text[start + "#[cfg(test)]".len()..].trim_start();
        if rest.starts_with("mod ")
            || rest.starts_with("pub mod ")
            || rest.starts_with("pub(crate) mod ")
        {
            let line = rest.lines().next().unwrap_or("");
            if line.trim_end().ends_with('{') {
                return &text[..start];
            }
        }
        at = start + 1;
    }
    text
}

/// The string literals of `text` written like a code: capitals, digits and underscores, starting
/// with a capital.
fn code_like(text: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find('"') {
        let after = &rest[i + 1..];
        let len = after
            .bytes()
            .take_while(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || *b == b'_')
            .count();
        if len > 0
            && after.as_bytes().get(len) == Some(&b'"')
            && after.as_bytes()[0].is_ascii_uppercase()
        {
            found.push(&after[..len]);
            rest = &after[len + 1..];
        } else {
            rest = after;
        }
    }
    found
}

#[test]
fn every_code_used_is_listed_and_every_code_listed_is_used() {
    let root = workspace();
    let mut files = Vec::new();
    let crates = std::fs::read_dir(root.join("crates")).expect("the workspace has crates/");
    for c in crates.flatten() {
        rust_files(&c.path().join("src"), &mut files);
    }
    rust_files(&root.join("src-tauri/src"), &mut files);
    assert!(
        files.len() > 50,
        "the workspace's source was found ({} files)",
        files.len()
    );
    let mut used: BTreeMap<&str, String> = BTreeMap::new();
    let texts: Vec<(PathBuf, String)> = files
        .into_iter()
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            // modules compiled for tests only
            name != "testkit.rs" && name != "fixtures.rs"
        })
        .map(|p| {
            let t = std::fs::read_to_string(&p).unwrap_or_default();
            (p, t)
        })
        .collect();
    let not_codes: BTreeSet<&str> = NOT_CODES.iter().copied().collect();
    for (path, text) in &texts {
        // the list itself is not a use
        if path.ends_with("core/src/codes.rs") {
            continue;
        }
        for code in code_like(without_tests(text)) {
            if !not_codes.contains(code) {
                used.entry(code).or_insert_with(|| {
                    path.strip_prefix(&root)
                        .unwrap_or(path)
                        .display()
                        .to_string()
                });
            }
        }
    }
    let missing: Vec<String> = used
        .iter()
        .filter(|(c, _)| codes::find(c).is_none())
        .map(|(c, p)| format!("{c} ({p})"))
        .collect();
    assert!(
        missing.is_empty(),
        "codes used but not listed in crates/core/src/codes.rs (add each with its meaning, or to NOT_CODES of this test if it is not a code): {missing:?}"
    );
    let unused: Vec<&str> = codes::ALL
        .iter()
        .map(|c| c.code)
        .filter(|c| !used.contains_key(c))
        .collect();
    assert!(
        unused.is_empty(),
        "codes listed in crates/core/src/codes.rs but used nowhere (remove them): {unused:?}"
    );
}

#[test]
fn the_scan_finds_a_code_and_skips_tests() {
    let text = "fn f() { Error::new(\"UNKNOWN_SITE\", x) }\n#[cfg(test)]\nmod tests {\n  \"NOT_A_REAL_CODE\"\n}\n";
    assert_eq!(
        code_like(without_tests(text)),
        vec!["UNKNOWN_SITE"],
        "a code in the source is found, one in its tests is not"
    );
}
