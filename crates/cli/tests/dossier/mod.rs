//! The certifier's dossier end to end through the real binary: what the folder holds, the same
//! bytes from two runs, refusals that write nothing, and `dossier verify` finding every kind of
//! tampering (file edited, added, removed, manifest edited, snapshot edited) without ever
//! changing the folder it checks.

use super::{build_sample, cli, lingtan, ok, stderr, stdout};
use lingtan_testkit::small;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Every file under `dir` (relative path → SHA-256 and size), and every folder: what "the folder
/// was not modified" compares.
fn tree(dir: &Path) -> BTreeMap<String, String> {
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<String, String>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let e = e.unwrap();
            let rel = e
                .path()
                .strip_prefix(base)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            let ty = e.file_type().unwrap();
            if ty.is_dir() {
                out.insert(rel, "folder".into());
                walk(base, &e.path(), out);
            } else {
                let bytes = std::fs::read(e.path()).unwrap();
                out.insert(rel, format!("{:x} {}", Sha256::digest(&bytes), bytes.len()));
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// The small project with a second record carrying a bill as evidence and a December record: its
/// dossier for 2024.
fn small_with_evidence(dir: &Path) -> String {
    let p = small()
        .create_file(dir)
        .to_str()
        .expect("a temporary path is UTF-8")
        .to_string();
    let bill = dir.join("february bill.pdf");
    std::fs::write(&bill, b"%PDF-1.4 the utility's February bill").unwrap();
    ok(&[
        "activity",
        "add",
        &p,
        "--source",
        "Grid power",
        "--from",
        "2024-02-01",
        "--to",
        "2024-02-29",
        "--qty",
        "900",
        "--unit",
        "kWh",
        "--evidence",
        bill.to_str().unwrap(),
    ]);
    // a December record: the data spans 2024, so the year can be claimed (a claim for a period
    // longer than the data is refused, and the dossier with it)
    ok(&[
        "activity",
        "add",
        &p,
        "--source",
        "Grid power",
        "--from",
        "2024-12-01",
        "--to",
        "2024-12-31",
        "--qty",
        "950",
        "--unit",
        "kWh",
    ]);
    p
}

fn make(p: &str, out: &Path) -> String {
    ok(&[
        "dossier",
        p,
        "--framework",
        "pas2060",
        "--year",
        "2024",
        "--out",
        out.to_str().unwrap(),
        "--lang",
        "en",
    ])
}

/// The text of a PDF (poppler's pdftotext), page by page.
fn pdf_text(pdf: &Path) -> String {
    let o = std::process::Command::new("pdftotext")
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler) runs");
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// `dossier verify` on `dir`: its exit status and JSON, the folder checked to be unchanged.
fn verify(dir: &Path) -> (Option<i32>, serde_json::Value) {
    verify_with(&cli(), dir)
}

/// [`verify`] with `cli`'s clock.
fn verify_with(cli: &lingtan_testkit::Cli, dir: &Path) -> (Option<i32>, serde_json::Value) {
    let before = tree(dir);
    let o = cli
        .command(&["dossier", "verify", dir.to_str().unwrap(), "--json"])
        .output()
        .expect("the lingtan binary must start");
    let after = tree(dir);
    assert_eq!(
        before, after,
        "dossier verify must never modify the folder it checks (every file and folder hashed before and after)"
    );
    let v: serde_json::Value = serde_json::from_str(&stdout(&o))
        .unwrap_or_else(|e| panic!("verify --json must print JSON ({e}): {}", stderr(&o)));
    (o.status.code(), v)
}

/// The differences of a verification as `(kind, what)`.
fn differences(v: &serde_json::Value) -> Vec<(String, String)> {
    v["differences"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["kind"].as_str().unwrap().to_string(),
                d["what"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// A fresh small dossier in its own folder (each tampering test edits its own copy).
fn fresh() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let p = small_with_evidence(dir.path());
    let out = dir.path().join("dossier");
    make(&p, &out);
    (dir, out)
}

#[test]
fn a_dossier_holds_its_files_and_verifies_clean() {
    let (_d, out) = fresh();
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    let paths: Vec<&str> = manifest["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        paths,
        vec![
            "dossier.pdf",
            "evidence/activity-2-february bill.pdf",
            "project.lingtan",
            "workbook.xlsx"
        ],
        "one PDF (the claim's documents, then the report), the evidence named by its record, the snapshot and the workbook, sorted by path"
    );
    assert_eq!(
        manifest["edition"], "pas2060:2014",
        "the manifest names the framework's edition"
    );
    assert_eq!(
        manifest["period"],
        serde_json::json!({"from": "2024-01-01", "to": "2024-12-31"}),
        "the manifest states the claim period"
    );
    // the claim's figures are `lingtan claim`'s: the small project (two months of data, no
    // credits) fails PAS 2060's checks, so the dossier says it is not ready and its claim
    // documents are a draft
    let project = out.parent().unwrap().join("small.lingtan");
    let claim: serde_json::Value = serde_json::from_str(&stdout(&lingtan(&[
        "claim",
        project.to_str().unwrap(),
        "--framework",
        "pas2060",
        "--year",
        "2024",
        "--json",
    ])))
    .unwrap();
    assert_eq!(
        manifest["figures"]["ready"],
        serde_json::json!(claim["ready"].to_string()),
        "the manifest's ready is the claim's"
    );
    assert_eq!(
        manifest["figures"]["ready"], "false",
        "a project with two months of data and no credits is not ready for PAS 2060"
    );
    let pdf = pdf_text(&out.join("dossier.pdf"));
    assert!(
        pdf.contains("DRAFT"),
        "the claim's documents are marked DRAFT while a check fails"
    );
    // one document: the claim's documents first (the declaration, the QES, the plan, the
    // checks), then the inventory report, under one page numbering
    let qes = pdf
        .find("Qualifying explanatory statement")
        .expect("dossier.pdf holds PAS 2060's QES");
    let report = pdf
        .find("Greenhouse gas inventory report 2024")
        .expect("dossier.pdf holds the inventory report");
    assert!(
        qes < report,
        "the claim's documents come before the inventory report"
    );
    let pages = pdf.matches("Page 1 of ").count();
    assert_eq!(
        pages, 1,
        "one page numbering: a single page 1 in the whole PDF"
    );
    // the root, recomputed here from the documented line format
    let mut files: Vec<&serde_json::Value> = manifest["files"].as_array().unwrap().iter().collect();
    files.sort_by_key(|f| f["path"].as_str().unwrap().as_bytes().to_vec());
    let lines: Vec<String> = files
        .iter()
        .map(|f| {
            format!(
                "{}  {}  {}\n",
                f["sha256"].as_str().unwrap(),
                f["bytes"],
                f["path"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        manifest["root"].as_str().unwrap(),
        format!("{:x}", Sha256::digest(lines.concat().as_bytes())),
        "root = SHA-256 over the sorted lines `SHA256  BYTES  PATH\\n`, as the README defines it"
    );
    let inventory: serde_json::Value = serde_json::from_str(&ok(&[
        "inventory",
        out.join("project.lingtan").to_str().unwrap(),
        "--json",
    ]))
    .unwrap();
    assert_eq!(
        manifest["created_from"]["fingerprint"], inventory["fingerprint"],
        "the manifest names the data fingerprint of the period's inventory"
    );
    let (code, v) = verify(&out);
    assert_eq!(code, Some(0), "an untouched dossier verifies: {v}");
    assert!(
        differences(&v).is_empty(),
        "an untouched dossier has no differences"
    );
}

#[test]
fn the_sample_dossier_is_byte_identical_from_two_runs() {
    let dir = tempfile::tempdir().unwrap();
    let sample = build_sample(dir.path());
    let p = sample.to_str().unwrap();
    // the sample's clock (2025-03-15) is before the end of 2025: the claim is made later
    let later = cli().env("LINGTAN_NOW", "2026-01-20T09:00:00Z");
    let run = |name: &str| {
        let out = dir.path().join(name);
        later.ok(&[
            "dossier",
            p,
            "--framework",
            "iso14068-1",
            "--year",
            "2025",
            "--out",
            out.to_str().unwrap(),
            "--lang",
            "zh+en",
        ]);
        out
    };
    let (a, b) = (run("a"), run("b"));
    let (ta, tb) = (tree(&a), tree(&b));
    assert!(
        ta.contains_key("dossier.pdf") && ta.keys().any(|k| k.starts_with("evidence/")),
        "the sample's dossier has its PDF and evidence: {ta:?}"
    );
    assert_eq!(
        ta, tb,
        "the same project and options give the same bytes, file by file"
    );
    let o = later.run(&["dossier", "verify", a.to_str().unwrap()]);
    assert_eq!(
        o.code,
        Some(0),
        "the sample's dossier verifies: {}",
        o.shown()
    );
    // a claim for a period that has not ended on the project's clock is refused
    let o = cli().run(&[
        "dossier",
        p,
        "--framework",
        "iso14068-1",
        "--year",
        "2025",
        "--out",
        dir.path().join("early").to_str().unwrap(),
    ]);
    assert_eq!(
        o.code,
        Some(1),
        "2025 has not ended on 2025-03-15: {}",
        o.shown()
    );
    assert!(
        o.stderr.contains("CLAIM_PERIOD_IN_FUTURE"),
        "the refusal names the period: {}",
        o.shown()
    );
}

#[test]
fn a_folder_that_is_not_empty_or_a_project_that_fails_its_audit_is_refused_and_nothing_written() {
    let dir = tempfile::tempdir().unwrap();
    let p = small_with_evidence(dir.path());
    let out = dir.path().join("busy");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("notes.txt"), b"mine").unwrap();
    let project_before = std::fs::read(&p).unwrap();
    let o = lingtan(&[
        "dossier",
        &p,
        "--framework",
        "pas2060",
        "--year",
        "2024",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "a folder that is not empty is refused"
    );
    assert!(
        stderr(&o).contains("OUTPUT_FOLDER_NOT_EMPTY"),
        "the refusal says why: {}",
        stderr(&o)
    );
    assert_eq!(
        tree(&out).len(),
        1,
        "the user's folder keeps only its own file"
    );
    // an empty folder is fine
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    make(&p, &empty);
    assert!(
        empty.join("manifest.json").is_file(),
        "an empty folder is filled"
    );
    // a project whose audit chain no longer matches its data
    let tampered = dir.path().join("tampered.lingtan");
    std::fs::copy(&p, &tampered).unwrap();
    let c = rusqlite::Connection::open(&tampered).unwrap();
    c.execute("UPDATE activity SET quantity = '5000' WHERE id = 1", [])
        .unwrap();
    drop(c);
    let out2 = dir.path().join("from-tampered");
    let o = lingtan(&[
        "dossier",
        tampered.to_str().unwrap(),
        "--framework",
        "pas2060",
        "--year",
        "2024",
        "--out",
        out2.to_str().unwrap(),
    ]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "a project that fails audit --verify is refused: {}",
        stderr(&o)
    );
    assert!(
        stderr(&o).contains("DOSSIER_AUDIT_FAILED"),
        "the refusal names the failed audit: {}",
        stderr(&o)
    );
    assert!(!out2.exists(), "nothing is written for a refused dossier");
    assert_eq!(
        std::fs::read(&p).unwrap(),
        project_before,
        "making a dossier never changes the project"
    );
    let leftovers: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("lingtan-"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "no temporary folder is left behind: {leftovers:?}"
    );
}

#[test]
fn verify_finds_an_edited_file() {
    let (_d, out) = fresh();
    let f = out.join("evidence/activity-2-february bill.pdf");
    let mut bytes = std::fs::read(&f).unwrap();
    bytes[0] ^= 1;
    std::fs::write(&f, bytes).unwrap();
    let (code, v) = verify(&out);
    assert_eq!(code, Some(4), "an edited file is a difference (exit 4)");
    assert_eq!(
        differences(&v),
        vec![(
            "changed".to_string(),
            "evidence/activity-2-february bill.pdf".to_string()
        )],
        "the edited file is named, and nothing else"
    );
}

#[test]
fn verify_finds_an_added_file() {
    let (_d, out) = fresh();
    std::fs::create_dir(out.join("extra")).unwrap();
    std::fs::write(out.join("extra/better-bill.pdf"), b"%PDF").unwrap();
    let (code, v) = verify(&out);
    assert_eq!(code, Some(4), "an added file is a difference (exit 4)");
    assert_eq!(
        differences(&v),
        vec![("added".to_string(), "extra/better-bill.pdf".to_string())],
        "the added file is named"
    );
}

#[test]
fn verify_finds_a_removed_file() {
    let (_d, out) = fresh();
    std::fs::remove_file(out.join("workbook.xlsx")).unwrap();
    let (code, v) = verify(&out);
    assert_eq!(code, Some(4), "a removed file is a difference (exit 4)");
    assert_eq!(
        differences(&v),
        vec![("missing".to_string(), "workbook.xlsx".to_string())],
        "the removed file is named"
    );
}

#[test]
fn verify_finds_an_edited_manifest() {
    // a figure edited: the snapshot gives another
    let (_d, out) = fresh();
    let path = out.join("manifest.json");
    let mut m: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    m["figures"]["subject_tco2e"] = serde_json::json!("0.5");
    std::fs::write(&path, serde_json::to_string_pretty(&m).unwrap() + "\n").unwrap();
    let (code, v) = verify(&out);
    assert_eq!(code, Some(4), "an edited figure is a difference (exit 4)");
    let d = differences(&v);
    assert!(
        d.contains(&("figure".to_string(), "subject_tco2e".to_string())),
        "the figure edited in the manifest is named: {d:?}"
    );
    assert!(
        d.contains(&("manifest".to_string(), "manifest.txt".to_string())),
        "manifest.txt no longer is manifest.json's text: {d:?}"
    );

    // a file's line edited to match an edited file: the root no longer matches
    let (_d2, out) = fresh();
    let path = out.join("manifest.json");
    std::fs::write(out.join("workbook.xlsx"), b"another workbook").unwrap();
    let mut m: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    for f in m["files"].as_array_mut().unwrap() {
        if f["path"] == "workbook.xlsx" {
            f["sha256"] = serde_json::json!(format!("{:x}", Sha256::digest(b"another workbook")));
            f["bytes"] = serde_json::json!(16);
        }
    }
    std::fs::write(&path, serde_json::to_string_pretty(&m).unwrap() + "\n").unwrap();
    let (code, v) = verify(&out);
    assert_eq!(code, Some(4), "a manifest edited to hide a change is found");
    let d = differences(&v);
    assert!(
        d.contains(&("manifest".to_string(), "root".to_string())),
        "the root is not the SHA-256 of the edited lines: {d:?}"
    );

    // the manifest replaced by something else
    let (_d3, out) = fresh();
    std::fs::write(out.join("manifest.json"), b"{}").unwrap();
    let (code, v) = verify(&out);
    assert_eq!(code, Some(4), "an unreadable manifest is a difference");
    assert!(
        differences(&v).contains(&("manifest".to_string(), "manifest.json".to_string())),
        "the manifest is named: {v}"
    );
}

#[test]
fn verify_finds_an_edited_snapshot() {
    let (_d, out) = fresh();
    let snap = out.join("project.lingtan");
    let c = rusqlite::Connection::open(&snap).unwrap();
    c.execute("UPDATE activity SET quantity = '5000' WHERE id = 1", [])
        .unwrap();
    drop(c);
    let (code, v) = verify(&out);
    assert_eq!(code, Some(4), "an edited snapshot is a difference (exit 4)");
    let d = differences(&v);
    assert!(
        d.contains(&("changed".to_string(), "project.lingtan".to_string())),
        "the snapshot's hash no longer matches: {d:?}"
    );
    assert!(
        d.iter().any(|(k, _)| k == "audit"),
        "the snapshot's audit chain no longer matches its data: {d:?}"
    );
    assert!(
        d.contains(&("figure".to_string(), "subject_tco2e".to_string())),
        "the snapshot's data give another subject total than the manifest: {d:?}"
    );
}

#[test]
fn verify_of_what_is_not_a_dossier_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let o = lingtan(&[
        "dossier",
        "verify",
        dir.path().join("nowhere").to_str().unwrap(),
    ]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "a folder that does not exist is refused"
    );
    assert!(
        stderr(&o).contains("DOSSIER_NOT_A_FOLDER"),
        "the refusal says why: {}",
        stderr(&o)
    );
}

#[test]
fn verify_names_a_named_pipe_added_to_a_dossier_without_reading_it() {
    let (_d, out) = fresh();
    let made = std::process::Command::new("mkfifo")
        .arg(out.join("pipe"))
        .status()
        .expect("mkfifo runs");
    assert!(made.success(), "a named pipe is made in the dossier");
    // a reader of the pipe would wait for a writer forever: verify must not open it
    let mut child = super::cli()
        .command(&["dossier", "verify", out.to_str().unwrap(), "--json"])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let start = std::time::Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if start.elapsed() > std::time::Duration::from_secs(60) {
            let _ = child.kill();
            panic!("dossier verify hangs on a named pipe in the folder");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    let mut text = String::new();
    std::io::Read::read_to_string(&mut child.stdout.take().unwrap(), &mut text).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(status.code(), Some(4), "an added pipe is a difference");
    assert_eq!(
        differences(&v),
        vec![("added".to_string(), "pipe".to_string())],
        "the pipe is named as added"
    );
}

/// A dossier for twelve months that are not a calendar year (July 2024 to June 2025 of the
/// sample): written, its manifest stating the period, byte-identical from two runs, verified
/// clean (exit 0), and an edited workbook found (exit 4).
#[test]
fn a_dossier_for_july_to_june_is_written_verified_and_found_tampered() {
    let dir = tempfile::tempdir().unwrap();
    let sample = build_sample(dir.path());
    let p = sample.to_str().unwrap();
    let later = cli().env("LINGTAN_NOW", "2026-03-20T09:00:00Z");
    let run = |name: &str| {
        let out = dir.path().join(name);
        later.ok(&[
            "dossier",
            p,
            "--framework",
            "iso14068-1",
            "--from",
            "2024-07-01",
            "--to",
            "2025-06-30",
            "--out",
            out.to_str().unwrap(),
            "--lang",
            "en",
        ]);
        out
    };
    let (a, b) = (run("a"), run("b"));
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(a.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(
        manifest["period"],
        serde_json::json!({"from": "2024-07-01", "to": "2025-06-30"}),
        "the manifest states the twelve months asked for"
    );
    // the figures are the period's: the subject is `claim --from --to`'s
    let claim: serde_json::Value = serde_json::from_str(&later.ok(&[
        "claim",
        p,
        "--framework",
        "iso14068-1",
        "--from",
        "2024-07-01",
        "--to",
        "2025-06-30",
        "--json",
    ]))
    .unwrap();
    let subject: lingtan_core::Decimal = manifest["figures"]["subject_tco2e"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let claimed: lingtan_core::Decimal = claim["subject_tco2e"].as_str().unwrap().parse().unwrap();
    assert_eq!(
        subject.round_dp(3),
        claimed.round_dp(3),
        "the manifest's subject is the period's claim subject"
    );
    assert!(
        a.join("dossier.pdf").is_file() && !a.join("claim.pdf").exists(),
        "one PDF in the dossier"
    );
    let pdf = pdf_text(&a.join("dossier.pdf"));
    assert!(
        pdf.contains("2024-07-01 — 2025-06-30"),
        "the report in the dossier is the period's (its cover's reporting period)"
    );
    assert_eq!(
        tree(&a),
        tree(&b),
        "the same project and options give the same bytes, file by file"
    );
    let (code, v) = verify_with(&later, &a);
    assert_eq!(code, Some(0), "the period's dossier verifies: {v}");
    assert_eq!(
        v["period"],
        serde_json::json!({"from": "2024-07-01", "to": "2025-06-30"}),
        "verify reports the manifest's period"
    );
    let book = a.join("workbook.xlsx");
    let mut bytes = std::fs::read(&book).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    std::fs::write(&book, bytes).unwrap();
    let (code, v) = verify_with(&later, &a);
    assert_eq!(code, Some(4), "an edited workbook is a difference (exit 4)");
    assert_eq!(
        differences(&v),
        vec![("changed".to_string(), "workbook.xlsx".to_string())],
        "the edited workbook is named, and nothing else"
    );
}

/// The snapshot is opened where it lies (read-only, immutable, through a `file:` URI): a folder
/// whose name holds what a URI gives a meaning to (space, `%`, `#`, `?`, `&`, `=`) must still open
/// exactly that file — a name cut at `?` or `#`, or `%` taken for an escape, opens another
/// file or none, and the snapshot could not be checked.
#[test]
fn verify_opens_the_snapshot_in_a_folder_whose_name_a_uri_would_misread() {
    let dir = tempfile::tempdir().unwrap();
    let p = small_with_evidence(dir.path());
    let out = dir.path().join("dossier 50%41 #1 ?mode=rwc&x=y");
    make(&p, &out);
    let (code, v) = verify(&out);
    assert_eq!(
        (code, differences(&v)),
        (Some(0), vec![]),
        "an untouched dossier verifies clean wherever it lies: {v}"
    );
    assert!(
        v["audit_entries"].as_u64().unwrap_or(0) > 0,
        "the snapshot itself was opened and its audit chain verified: {v}"
    );
    assert_ne!(
        v["figures_checked"].as_u64(),
        Some(0),
        "the figures were recomputed from the snapshot: {v}"
    );
}

/// A snapshot switched to WAL mode (its header changed: a difference) cannot be opened immutable
/// in place; it is read from a copy, still checked in full, and no -wal or -shm file is left in
/// the folder (the folder check of [`verify`]).
#[test]
fn verify_of_a_snapshot_in_wal_mode_checks_a_copy_and_leaves_the_folder_as_it_was() {
    let (_d, out) = fresh();
    let snap = out.join("project.lingtan");
    let c = rusqlite::Connection::open(&snap).unwrap();
    let mode: String = c
        .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal", "the snapshot is now in WAL mode");
    drop(c);
    let bytes = std::fs::read(&snap).unwrap();
    assert_eq!(
        (bytes[18], bytes[19]),
        (2, 2),
        "the header says WAL: the case under test"
    );
    let (code, v) = verify(&out);
    assert_eq!(code, Some(4), "a changed snapshot is a difference (exit 4)");
    assert_eq!(
        differences(&v),
        vec![("changed".to_string(), "project.lingtan".to_string())],
        "only its header changed: its audit chain and every figure still check, from the copy: {v}"
    );
    assert!(
        v["audit_entries"].as_u64().unwrap_or(0) > 0,
        "the snapshot was opened (from a copy) and verified: {v}"
    );
}
