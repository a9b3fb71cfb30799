//! `lingtan report` end to end: the sample factory's report as text against golden files, its
//! workbook recalculated by LibreOffice, byte-identical output, and bad input refused with
//! nothing left behind.

use super::*;

fn files_in(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn the_sample_report_matches_the_golden_text_and_its_workbook_recalculates_in_libreoffice() {
    let dir = tempfile::tempdir().unwrap();
    let sample = build_sample(dir.path());
    let s = sample.to_str().unwrap();
    golden("report-en.txt", &ok(&["report", s, "--lang", "en"]));
    golden("report-zh-en.txt", &ok(&["report", s, "--lang", "zh+en"]));

    let a = dir.path().join("a.xlsx");
    let b = dir.path().join("b.xlsx");
    let out = ok(&["report", s, "--lang", "en", "--xlsx", a.to_str().unwrap()]);
    assert!(out.contains("a.xlsx"), "{out}");
    ok(&["report", s, "--lang", "en", "--xlsx", b.to_str().unwrap()]);
    assert_eq!(
        std::fs::read(&a).unwrap(),
        std::fs::read(&b).unwrap(),
        "the same project must give the same bytes"
    );

    // every formula cell, its cached value replaced by 0, recalculated by LibreOffice Calc
    let work = dir.path().join("recalc");
    let check = Command::new("python3")
        .arg(root().join("tests/report/recalc.py"))
        .arg(&a)
        .arg(&work)
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&check.stdout);
    assert!(
        check.status.success(),
        "LibreOffice recalculation differs from the app:\n{said}{}",
        String::from_utf8_lossy(&check.stderr)
    );
    assert!(said.contains(" 0 differ"), "{said}");
}

#[test]
fn a_report_that_cannot_be_made_is_refused_and_leaves_nothing_behind() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let o = |name: &str| out.join(name).to_str().unwrap().to_string();

    // an empty project
    let empty = dir.path().join("empty.lingtan");
    let e = empty.to_str().unwrap();
    ok(&["new", e, "--org", "Empty", "--year", "2024"]);
    let r = lingtan(&["report", e, "--lang", "en", "--xlsx", &o("e.xlsx")]);
    assert_eq!(r.status.code(), Some(1));
    assert!(stderr(&r).contains("no emission sources"), "{}", stderr(&r));

    // a year with no data
    let sample = build_sample(dir.path());
    let s = sample.to_str().unwrap();
    let r = lingtan(&[
        "report",
        s,
        "--lang",
        "en",
        "--year",
        "2019",
        "--xlsx",
        &o("y.xlsx"),
    ]);
    assert_eq!(r.status.code(), Some(1));
    assert!(
        stderr(&r).contains("no activity data in 2019"),
        "{}",
        stderr(&r)
    );

    // a report date that is not a date: refused, named, nothing changed
    let before = std::fs::read(&sample).unwrap();
    let r = lingtan(&[
        "--lang",
        "en",
        "project",
        "set",
        s,
        "--report-date",
        "2025-13-45",
    ]);
    assert_eq!(r.status.code(), Some(1));
    assert!(stderr(&r).contains("report-date"), "{}", stderr(&r));
    assert_eq!(std::fs::read(&sample).unwrap(), before);

    // the output is the project file itself
    let before = std::fs::read(&sample).unwrap();
    let r = lingtan(&["report", s, "--lang", "en", "--xlsx", s]);
    assert_eq!(r.status.code(), Some(1));
    assert!(
        stderr(&r).contains("the project file itself"),
        "{}",
        stderr(&r)
    );
    assert_eq!(std::fs::read(&sample).unwrap(), before);

    // a folder that does not exist, and a "folder" that is a file
    let r = lingtan(&["report", s, "--lang", "en", "--xlsx", &o("missing/x.xlsx")]);
    assert_eq!(r.status.code(), Some(1));
    assert!(stderr(&r).contains("does not exist"), "{}", stderr(&r));
    std::fs::write(out.join("plain.txt"), "x").unwrap();
    let r = lingtan(&[
        "report",
        s,
        "--lang",
        "en",
        "--xlsx",
        &o("plain.txt/x.xlsx"),
    ]);
    assert_eq!(r.status.code(), Some(1));

    // the PDF is not built yet: refused before the workbook is written
    let r = lingtan(&[
        "report",
        s,
        "--lang",
        "en",
        "--xlsx",
        &o("r.xlsx"),
        "--pdf",
        &o("r.pdf"),
    ]);
    assert_eq!(r.status.code(), Some(1));
    assert!(stderr(&r).contains("later release"), "{}", stderr(&r));

    // a language that is not one
    let r = lingtan(&["report", s, "--lang", "fr"]);
    assert_eq!(r.status.code(), Some(1));
    assert!(stderr(&r).contains("zh, en or zh+en"), "{}", stderr(&r));

    assert_eq!(
        files_in(&out),
        vec!["plain.txt".to_string()],
        "no partial file may be left behind"
    );
}
