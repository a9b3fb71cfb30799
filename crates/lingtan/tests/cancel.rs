//! A cancelled import leaves the project exactly as it was, whether it is cancelled while the
//! file is read or in the middle of the write (the transaction is interrupted and rolled back).

use lingtan::import::{ImportOptions, Stage, Watch};
use lingtan::Project;
use std::io::Write;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

fn project(dir: &Path) -> Project {
    lingtan_testkit::Build::new("p.lingtan", "Cancel Co.", 2023)
        .now("2025-03-01T00:00:00Z")
        .site("Plant", Some("CN-East"))
        .source("Meters", "Plant", "electricity", "kWh")
        .create(dir)
}

/// Two meters × 61 days of quarter-hours: 11,712 readings (the write reports every 8,192).
fn meter_csv(dir: &Path) -> std::path::PathBuf {
    let path = dir.join("meters.csv");
    let mut out = std::io::BufWriter::new(std::fs::File::create(&path).expect("csv"));
    writeln!(out, "时间,表计,电量(kWh)").expect("write");
    let start = chrono::NaiveDate::from_ymd_opt(2023, 6, 1)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .expect("date");
    for i in 1..=(61 * 96) {
        let stamp = (start + chrono::Duration::minutes(15 * i)).format("%Y-%m-%d %H:%M");
        for m in 1..=2 {
            writeln!(out, "{stamp},M{m},1.{:02}", (i * m) % 100).expect("write");
        }
    }
    out.flush().expect("flush");
    path
}

/// Audit head, records and batches: what "unchanged" means.
fn state(p: &Project) -> (String, usize, usize) {
    (
        p.verify().expect("verify").head,
        p.activities(None).expect("records").len(),
        p.batches().expect("batches").len(),
    )
}

fn watch(cancel_at: Stage) -> (Watch, Arc<Mutex<Vec<Stage>>>) {
    let cancel = Arc::new(AtomicBool::new(false));
    let seen = Arc::new(Mutex::new(Vec::new()));
    let (flag, log) = (cancel.clone(), seen.clone());
    let progress = move |stage: Stage, n: u64| {
        if let Ok(mut l) = log.lock() {
            l.push(stage);
        }
        if stage == cancel_at && n > 0 {
            flag.store(true, Ordering::SeqCst);
        }
    };
    (
        Watch {
            cancel,
            progress: Arc::new(progress),
        },
        seen,
    )
}

#[test]
fn an_import_cancelled_while_reading_writes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut p = project(dir.path());
    let file = meter_csv(dir.path());
    let before = state(&p);
    let (w, seen) = watch(Stage::Read);
    let report = p
        .import(
            &file,
            &ImportOptions {
                source: Some("Meters".into()),
                watch: Some(w),
                ..Default::default()
            },
        )
        .expect("import");
    assert!(
        report.batch.is_none(),
        "a cancelled import creates no batch"
    );
    assert!(
        report.issues.iter().any(|i| i.code == "IMPORT_CANCELLED"),
        "a cancelled import says it was cancelled"
    );
    assert!(
        !seen.lock().expect("log").contains(&Stage::Write),
        "cancelled while reading: the write never starts"
    );
    assert_eq!(state(&p), before, "the project is unchanged");
    // and the same file imports when not cancelled
    let report = p
        .import(
            &file,
            &ImportOptions {
                source: Some("Meters".into()),
                ..Default::default()
            },
        )
        .expect("import");
    assert!(
        report.batch.is_some(),
        "an import cancelled while reading writes nothing: {:?}",
        report.issues
    );
}

#[test]
fn an_import_cancelled_during_the_write_is_rolled_back() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut p = project(dir.path());
    let file = meter_csv(dir.path());
    let before = state(&p);
    let (w, seen) = watch(Stage::Write);
    let report = p
        .import(
            &file,
            &ImportOptions {
                source: Some("Meters".into()),
                watch: Some(w),
                ..Default::default()
            },
        )
        .expect("import");
    assert!(
        seen.lock()
            .expect("log")
            .iter()
            .filter(|s| **s == Stage::Write)
            .count()
            >= 2,
        "the write reported progress before it was cancelled"
    );
    assert!(report.batch.is_none(), "no batch after a cancelled write");
    assert!(
        report.issues.iter().any(|i| i.code == "IMPORT_CANCELLED"),
        "a cancelled write reports that it was cancelled"
    );
    assert_eq!(state(&p), before, "the project is unchanged");
    assert!(
        p.verify().expect("verify").ok(),
        "the rolled-back write leaves the audit chain intact"
    );
}
