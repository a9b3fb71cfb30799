//! The hostile-input suite: every case in `tests/hostile/*.toml` (at the repository root) runs the
//! real `lingtan` binary under a time and an address-space bound, and checks its exit status, what
//! it printed, and that the files it must not touch are byte-identical afterwards.
//!
//! A case that hangs is killed at its time bound and fails; one that tries to allocate beyond its
//! memory bound gets an allocation failure (an abort, exit 134) and fails. So a regression fails
//! the suite instead of hanging CI or exhausting the machine. Every case also fails on a panic
//! (exit 101) or an abort (134), whatever it expects.
//!
//! The format is documented in tests/hostile/README.md. Run one file or one case with
//! `HOSTILE=files cargo test -p lingtan-cli --test hostile` (a substring of the file name or of
//! the case name).

mod concurrent;
mod gen;
mod read_only;

use lingtan_testkit::{small, Cli};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

// the fixed clock every case runs with (as the golden tests)
use lingtan_testkit::NOW;

#[derive(Debug, Deserialize)]
struct CaseFile {
    case: Vec<Case>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    /// What the case is, in a line.
    name: String,
    /// The issue item it covers, e.g. "12.1".
    item: String,
    /// A project built before the case at {P}: "small" (see `small_project`) or "sample".
    #[serde(default)]
    project: Option<String>,
    /// Repository files copied into the case's folder {D}: name -> path from the repository root.
    #[serde(default)]
    copy: BTreeMap<String, String>,
    /// Files generated into {D}: name -> generator (see gen.rs).
    #[serde(default)]
    gen: BTreeMap<String, String>,
    /// Commands that must succeed before `run` (their output is not checked).
    #[serde(default)]
    before: Vec<Vec<String>>,
    /// SQL run on the project {P} with SQLite after `before` (what someone with sqlite3 does
    /// to the file): `["CREATE TRIGGER …"]`.
    #[serde(default)]
    sql: Vec<String>,
    /// The command under test (arguments after `lingtan`).
    run: Vec<String>,
    /// Extra environment for `run` (LINGTAN_NOW and LINGTAN_LANG=en are set unless given here;
    /// a value of "" removes the variable).
    #[serde(default)]
    env: BTreeMap<String, String>,
    /// The expected exit status.
    exit: i32,
    /// Substrings that must appear in stdout / stderr.
    #[serde(default)]
    stdout: Vec<String>,
    #[serde(default)]
    stderr: Vec<String>,
    /// Substrings that must not appear in stdout / stderr.
    #[serde(default)]
    not_stdout: Vec<String>,
    #[serde(default)]
    not_stderr: Vec<String>,
    /// Paths whose bytes (regular files) or file type (anything else) must be the same after
    /// `run` as before it. `{P}` is added whenever `exit` is not 0.
    #[serde(default)]
    unchanged: Vec<String>,
    /// Paths that must not exist after `run`.
    #[serde(default)]
    absent: Vec<String>,
    /// Paths that must exist after `run`.
    #[serde(default)]
    present: Vec<String>,
    /// Commands that must succeed after `run`, with substrings their stdout must contain:
    /// `[["audit", "{P}", "--verify"], ["ok"]]`.
    #[serde(default)]
    after: Vec<(Vec<String>, Vec<String>)>,
    /// Time bound in seconds (default 10) and address-space bound in MiB (default 512).
    #[serde(default)]
    seconds: Option<u64>,
    #[serde(default)]
    mib: Option<u64>,
}

fn root() -> PathBuf {
    lingtan_testkit::root()
}

/// The binary under test: this build's `lingtan`, or `HOSTILE_BIN` (e.g. an older build, to see
/// which cases fail without a fix).
fn bin() -> String {
    std::env::var("HOSTILE_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_lingtan").to_string())
}

/// The outcome of one command.
struct Ran {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    elapsed: Duration,
    timed_out: bool,
}

/// Run `lingtan ARGS` with an address-space bound (`ulimit -v`) and a time bound (killed after).
fn run_bounded(args: &[String], env: &BTreeMap<String, String>, seconds: u64, mib: u64) -> Ran {
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg(format!("ulimit -v {} && exec \"$0\" \"$@\"", mib * 1024))
        .arg(bin())
        .args(args)
        .env("LINGTAN_NOW", NOW)
        .env("LINGTAN_LANG", "en")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        if v.is_empty() {
            cmd.env_remove(k);
        } else {
            cmd.env(k, v);
        }
    }
    let start = Instant::now();
    let mut child = cmd.spawn().expect("spawn sh");
    // read both pipes on threads so a chatty child cannot block on a full pipe
    let mut out = child.stdout.take().expect("piped stdout");
    let mut err = child.stderr.take().expect("piped stderr");
    let out_t = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = out.read_to_end(&mut s);
        s
    });
    let err_t = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = err.read_to_end(&mut s);
        s
    });
    let limit = Duration::from_secs(seconds);
    let mut timed_out = false;
    let status = loop {
        match child.try_wait().expect("wait for lingtan") {
            Some(status) => break status,
            None if start.elapsed() > limit => {
                timed_out = true;
                let _ = child.kill();
                break child.wait().expect("reap lingtan");
            }
            None => std::thread::sleep(Duration::from_millis(10)),
        }
    };
    let elapsed = start.elapsed();
    let stdout = String::from_utf8_lossy(&out_t.join().unwrap_or_default()).into_owned();
    let stderr = String::from_utf8_lossy(&err_t.join().unwrap_or_default()).into_owned();
    Ran {
        code: status.code(),
        stdout,
        stderr,
        elapsed,
        timed_out,
    }
}

/// What a path is now: the SHA-256 of a regular file's bytes, or its kind, or "absent".
fn snapshot(path: &Path) -> String {
    match std::fs::symlink_metadata(path) {
        Err(_) => "absent".into(),
        Ok(m) if m.file_type().is_symlink() => format!(
            "symlink -> {}",
            std::fs::read_link(path)
                .map(|p| p.display().to_string())
                .unwrap_or_default()
        ),
        Ok(m) if m.is_file() => match std::fs::read(path) {
            Ok(bytes) => format!("file {:x}", Sha256::digest(&bytes)),
            Err(e) => format!("unreadable file: {e}"),
        },
        Ok(m) if m.is_dir() => "directory".into(),
        Ok(m) => {
            use std::os::unix::fs::FileTypeExt;
            let t = m.file_type();
            if t.is_char_device() {
                "char device".into()
            } else if t.is_block_device() {
                "block device".into()
            } else if t.is_fifo() {
                "fifo".into()
            } else if t.is_socket() {
                "socket".into()
            } else {
                "other".into()
            }
        }
    }
}

/// Replace {P} (the project), {D} (the case's folder) and {ROOT} (the repository), and
/// `{repeat:N:TEXT}` with TEXT N times (an argument too long to write out).
fn expand(text: &str, p: &Path, d: &Path) -> String {
    let mut out = text
        .replace("{P}", &p.display().to_string())
        .replace("{D}", &d.display().to_string())
        .replace("{ROOT}", &root().display().to_string());
    while let Some(start) = out.find("{repeat:") {
        let Some(len) = out[start..].find('}') else {
            break;
        };
        let spec = &out[start + "{repeat:".len()..start + len];
        let (n, what) = spec.split_once(':').expect("{repeat:N:TEXT}");
        let n: usize = n.parse().expect("{repeat:N:TEXT}: N is a number");
        out = format!(
            "{}{}{}",
            &out[..start],
            what.repeat(n),
            &out[start + len + 1..]
        );
    }
    out
}

/// The binary under test, run at the fixed clock (testkit).
fn cli() -> Cli {
    Cli::new(bin())
}

/// Run a command that must succeed (project set-up, `before`, `after`).
fn must(args: &[String]) -> String {
    cli().ok(args)
}

/// The small project (testkit `small()`), built with the binary under test so that an older
/// `HOSTILE_BIN` reads a file it made.
fn small_project(p: &Path) {
    small().create_at_with(&cli(), p);
}

fn sample_project(p: &Path) {
    cli().sample_at(p);
}

/// Projects are built once and copied into each case that asks for one.
struct Templates {
    dir: tempfile::TempDir,
    built: BTreeMap<String, PathBuf>,
}

impl Templates {
    fn get(&mut self, kind: &str) -> PathBuf {
        if let Some(p) = self.built.get(kind) {
            return p.clone();
        }
        let p = self.dir.path().join(format!("{kind}.lingtan"));
        match kind {
            "small" => small_project(&p),
            "sample" => sample_project(&p),
            other => panic!("unknown project template '{other}' (small or sample)"),
        }
        self.built.insert(kind.to_string(), p.clone());
        p
    }
}

/// What became of a case.
enum Outcome {
    /// The problems found (none: it holds).
    Ran(Vec<String>),
    /// The machine cannot make one of its inputs (why).
    Skipped(String),
}

/// Run one case.
fn check(file: &str, case: &Case, templates: &mut Templates) -> Outcome {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let d = dir.path().to_path_buf();
    let p = d.join("p.lingtan");
    if let Some(kind) = &case.project {
        std::fs::copy(templates.get(kind), &p).expect("copy the template project");
    }
    for (name, from) in &case.copy {
        std::fs::copy(root().join(from), d.join(name))
            .unwrap_or_else(|e| panic!("{file}: '{}': copy {from}: {e}", case.name));
    }
    for (name, generator) in &case.gen {
        match gen::make(generator, &d.join(name)) {
            Ok(()) => {}
            Err(e) if e.starts_with("skip:") => return Outcome::Skipped(e),
            Err(e) => panic!("{file}: '{}': generate {name}: {e}", case.name),
        }
    }
    let x = |s: &String| expand(s, &p, &d);
    for args in &case.before {
        must(&args.iter().map(x).collect::<Vec<_>>());
    }
    if !case.sql.is_empty() {
        let conn = rusqlite::Connection::open(&p)
            .unwrap_or_else(|e| panic!("{file}: '{}': open {}: {e}", case.name, p.display()));
        for sql in &case.sql {
            conn.execute_batch(sql)
                .unwrap_or_else(|e| panic!("{file}: '{}': {sql}: {e}", case.name));
        }
    }
    let mut unchanged: Vec<String> = case.unchanged.iter().map(x).collect();
    if case.exit != 0 && case.project.is_some() {
        unchanged.push(p.display().to_string());
    }
    let before: Vec<(String, String)> = unchanged
        .iter()
        .map(|u| (u.clone(), snapshot(Path::new(u))))
        .collect();
    let args: Vec<String> = case.run.iter().map(x).collect();
    let env: BTreeMap<String, String> = case.env.iter().map(|(k, v)| (k.clone(), x(v))).collect();
    let seconds = case.seconds.unwrap_or(10);
    let ran = run_bounded(&args, &env, seconds, case.mib.unwrap_or(512));
    let mut problems = Vec::new();
    if ran.timed_out {
        problems.push(format!("still running after {seconds} s: killed"));
    }
    match ran.code {
        Some(101) => problems.push("panicked (exit 101)".into()),
        Some(134) => problems.push("aborted (exit 134): an allocation beyond the bound?".into()),
        Some(c) if c != case.exit => problems.push(format!("exit {c}, expected {}", case.exit)),
        None if !ran.timed_out => problems.push("killed by a signal".into()),
        _ => {}
    }
    if ran.stderr.contains("panicked") {
        problems.push("stderr shows a panic".into());
    }
    for want in &case.stdout {
        if !ran.stdout.contains(&x(want)) {
            problems.push(format!("stdout lacks {want:?}"));
        }
    }
    for want in &case.stderr {
        if !ran.stderr.contains(&x(want)) {
            problems.push(format!("stderr lacks {want:?}"));
        }
    }
    for bad in &case.not_stdout {
        if ran.stdout.contains(&x(bad)) {
            problems.push(format!("stdout shows {bad:?}"));
        }
    }
    for bad in &case.not_stderr {
        if ran.stderr.contains(&x(bad)) {
            problems.push(format!("stderr shows {bad:?}"));
        }
    }
    for (path, was) in &before {
        let now = snapshot(Path::new(path));
        if &now != was {
            problems.push(format!("{path} changed: was {was}, is {now}"));
        }
    }
    for a in &case.absent {
        let a = x(a);
        if std::fs::symlink_metadata(&a).is_ok() {
            problems.push(format!("{a} exists and must not"));
        }
    }
    for a in &case.present {
        let a = x(a);
        if std::fs::symlink_metadata(&a).is_err() {
            problems.push(format!("{a} is missing"));
        }
    }
    for (args, wants) in &case.after {
        let args: Vec<String> = args.iter().map(x).collect();
        let out = run_bounded(&args, &BTreeMap::new(), 30, 1024);
        if out.code != Some(0) {
            problems.push(format!(
                "after: lingtan {args:?} exited {:?}: {}",
                out.code, out.stderr
            ));
        }
        for w in wants {
            if !out.stdout.contains(&x(w)) {
                problems.push(format!("after: lingtan {args:?} stdout lacks {w:?}"));
            }
        }
    }
    if !problems.is_empty() {
        problems.push(format!(
            "ran lingtan {} in {:.2} s\n      stdout: {}\n      stderr: {}",
            args.join(" "),
            ran.elapsed.as_secs_f64(),
            ran.stdout.trim_end(),
            ran.stderr.trim_end()
        ));
    }
    Outcome::Ran(problems)
}

fn case_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("tests/hostile"))
        .expect("tests/hostile exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    files
}

#[test]
fn every_hostile_case_holds() {
    let filter = std::env::var("HOSTILE").ok();
    let mut templates = Templates {
        dir: tempfile::tempdir().expect("a temporary folder"),
        built: BTreeMap::new(),
    };
    let mut failures = Vec::new();
    let mut ran = 0;
    let mut names = std::collections::BTreeSet::new();
    for path in case_files() {
        let file = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let text = std::fs::read_to_string(&path).expect("read a case file");
        let cases: CaseFile = toml::from_str(&text)
            .unwrap_or_else(|e| panic!("tests/hostile/{file} does not parse: {e}"));
        for case in &cases.case {
            assert!(
                names.insert(case.name.clone()),
                "two cases are named '{}': names must be unique so a failure is found by name",
                case.name
            );
            if let Some(f) = &filter {
                if !file.contains(f.as_str()) && !case.name.contains(f.as_str()) {
                    continue;
                }
            }
            let problems = match check(&file, case, &mut templates) {
                Outcome::Ran(problems) => problems,
                Outcome::Skipped(why) => {
                    eprintln!("skipped {file}: [{}] {}: {why}", case.item, case.name);
                    continue;
                }
            };
            ran += 1;
            if !problems.is_empty() {
                failures.push(format!(
                    "{file}: [{}] {}\n    - {}",
                    case.item,
                    case.name,
                    problems.join("\n    - ")
                ));
            }
        }
    }
    assert!(
        ran > 0 || filter.is_some(),
        "no hostile case ran: tests/hostile/*.toml must hold cases"
    );
    assert!(
        failures.is_empty(),
        "{} of {ran} hostile cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
