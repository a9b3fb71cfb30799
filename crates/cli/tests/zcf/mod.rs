//! The zero-carbon-factory evaluation end to end: the assessor's scoring table imported with
//! every problem at its cell, the total (91.29 for the fixture, as in the Schneider Electric
//! Xi'an press case), the star levels and the figures from the project; the rows audited.

use super::{lingtan, ok, root, stderr, stdout};
use lingtan_testkit::small;

fn fixture(name: &str) -> String {
    root()
        .join("tests/zcf")
        .join(name)
        .to_str()
        .unwrap()
        .to_string()
}

fn small_project(dir: &std::path::Path) -> String {
    small().create_file(dir).to_str().unwrap().to_string()
}

#[test]
fn the_fixture_table_scores_91_29_and_is_shown_with_the_star_levels() {
    let dir = tempfile::tempdir().unwrap();
    let p = small_project(dir.path());
    let before = std::fs::read(&p).unwrap();
    let dry: serde_json::Value = serde_json::from_str(&ok(&[
        "zcf",
        "scores",
        &p,
        "--file",
        &fixture("scores-91.29.csv"),
        "--dry-run",
        "--json",
    ]))
    .unwrap();
    assert_eq!(dry["total"], "91.29", "the fixture's total: {dry}");
    assert_eq!(
        dry["rows"].as_array().unwrap().len(),
        11,
        "eleven sub-items: the title and 合计 rows are not sub-items"
    );
    assert!(dry["batch"].is_null(), "a dry run writes no batch");
    assert_eq!(
        std::fs::read(&p).unwrap(),
        before,
        "a dry run leaves the project byte-identical"
    );
    let imported: serde_json::Value = serde_json::from_str(&ok(&[
        "zcf",
        "scores",
        &p,
        "--file",
        &fixture("scores-91.29.csv"),
        "--json",
    ]))
    .unwrap();
    assert!(
        imported["batch"].is_i64(),
        "the table is written as a batch"
    );
    let shown: serde_json::Value =
        serde_json::from_str(&ok(&["zcf", "show", &p, "--type", "i", "--json"])).unwrap();
    assert_eq!(
        shown["scoring"]["total"], "91.29",
        "the stored table gives the same total"
    );
    assert_eq!(
        shown["edition"], "zcf-i:2022",
        "the pack's edition is named"
    );
    let star = |level: u64| {
        shown["stars"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["level"] == level)
            .cloned()
            .unwrap()
    };
    let six = star(6);
    assert_eq!(
        (six["status"].as_str(), six["confirmed"].as_bool()),
        (Some("not-met"), Some(false)),
        "6★ needs 100 % green power and 100 % offset, and the rule is flagged unconfirmed: {six}"
    );
    assert_eq!(
        star(3)["status"],
        "assessor-decides",
        "no threshold is published for 3★: none is invented"
    );
    assert!(
        shown["figures"]["subject_tco2e"].is_string(),
        "the figures from the project are shown: {shown}"
    );
    let text = ok(&["--lang", "en", "zcf", "show", &p, "--type", "ii"]);
    assert!(
        text.contains("Total: 91.29 / 100"),
        "the text shows the total: {text}"
    );
    let audit = ok(&["audit", &p, "--verify"]);
    assert!(
        audit.contains("chain intact"),
        "the import is in the audit chain: {audit}"
    );
    // a score changed outside Lingtan is found by the audit
    let c = rusqlite::Connection::open(&p).unwrap();
    c.execute("UPDATE zcf_score SET score = '15' WHERE position = 1", [])
        .unwrap();
    drop(c);
    let o = lingtan(&["audit", &p, "--verify"]);
    assert_eq!(
        o.status.code(),
        Some(4),
        "a score edited outside Lingtan is tampering: {}",
        stdout(&o)
    );
    assert!(
        stdout(&o).contains("zcf score #1"),
        "the edited row is named: {}",
        stdout(&o)
    );
}

#[test]
fn a_bad_table_is_refused_with_every_problem_at_its_cell_and_nothing_written() {
    let dir = tempfile::tempdir().unwrap();
    let p = small_project(dir.path());
    let before = std::fs::read(&p).unwrap();
    let o = lingtan(&[
        "zcf",
        "scores",
        &p,
        "--file",
        &fixture("scores-bad.csv"),
        "--json",
    ]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "a bad table is refused: {}",
        stderr(&o)
    );
    let r: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let found: Vec<(String, String)> = r["issues"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["code"].as_str().unwrap().to_string(),
                i["cell"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    for (code, cell) in [
        ("ZCF_NOT_A_NUMBER", "E3"),
        ("ZCF_SCORE_ABOVE_MAXIMUM", "E2"),
        ("ZCF_WEIGHT_SUM", ""),
    ] {
        assert!(
            found.contains(&(code.to_string(), cell.to_string())),
            "{code} is named at {cell:?}: {found:?}"
        );
    }
    assert!(r["batch"].is_null(), "nothing is imported");
    assert_eq!(
        std::fs::read(&p).unwrap(),
        before,
        "a refused import leaves the project byte-identical"
    );
}
