//! Writers at once (issue 12, item 11): cases that are more than one command.
//!
//! Every write begins IMMEDIATE and waits for the lock (busy timeout): sixteen `lingtan activity
//! add` at once all land and the chain verifies; a writer kept waiting past the timeout gets a
//! clear message naming what has the file open, and nothing changes.

use super::{cli, small_project};
use std::process::{Command, Stdio};

fn lingtan(args: &[&str]) -> Command {
    let mut cmd = cli().command(args);
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd
}

#[test]
fn sixteen_parallel_adds_all_land_and_the_chain_verifies() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let p = dir.path().join("p.lingtan");
    small_project(&p);
    let project = p.display().to_string();
    let children: Vec<_> = (0..16)
        .map(|i| {
            let day = format!("2024-03-{:02}", i + 1);
            lingtan(&[
                "activity",
                "add",
                &project,
                "--source",
                "Grid power",
                "--from",
                &day,
                "--to",
                &day,
                "--qty",
                &(100 + i).to_string(),
                "--unit",
                "kWh",
            ])
            .spawn()
            .expect("spawn lingtan")
        })
        .collect();
    let mut refused = Vec::new();
    for child in children {
        let out = child.wait_with_output().expect("wait for lingtan");
        if !out.status.success() {
            refused.push(String::from_utf8_lossy(&out.stderr).into_owned());
        }
    }
    assert!(
        refused.is_empty(),
        "each writer waits for the one before it, so none is refused; {} were:\n{}",
        refused.len(),
        refused.join("\n")
    );
    let out = lingtan(&["activity", "list", &project])
        .output()
        .expect("run lingtan");
    let listed = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        listed.lines().count(),
        17,
        "the small project's record and the sixteen new ones are there:\n{listed}"
    );
    let out = lingtan(&["audit", &project, "--verify"])
        .output()
        .expect("run lingtan");
    let verified = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && verified.contains("chain intact"),
        "sixteen writers at once leave an intact chain: {verified}"
    );
}

#[test]
fn a_writer_kept_waiting_is_told_what_holds_the_file_and_nothing_changes() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let p = dir.path().join("p.lingtan");
    small_project(&p);
    let project = p.display().to_string();
    // this test holds the write lock, as another program would
    let holder = rusqlite::Connection::open(&p).expect("open the project");
    holder
        .execute_batch("BEGIN IMMEDIATE;")
        .expect("take the write lock");
    let start = std::time::Instant::now();
    let out = lingtan(&["site", "add", &project, "Second plant"])
        .output()
        .expect("run lingtan");
    let waited = start.elapsed();
    holder.execute_batch("ROLLBACK;").expect("release the lock");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "refused: {stderr}");
    assert!(
        waited >= std::time::Duration::from_secs(4),
        "the writer waits for the lock before giving up (waited {waited:?})"
    );
    assert!(
        stderr.contains("PROJECT_BUSY")
            && stderr.contains(&format!("process {}", std::process::id())),
        "the message names the process that has the file open: {stderr}"
    );
    assert!(
        !stderr.contains("database is locked"),
        "no raw database error: {stderr}"
    );
    let out = lingtan(&["site", "list", &project])
        .output()
        .expect("run lingtan");
    assert!(
        !String::from_utf8_lossy(&out.stdout).contains("Second plant"),
        "nothing was written"
    );
}
