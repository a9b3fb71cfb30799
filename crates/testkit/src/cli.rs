//! The `lingtan` binary, run as a person would but at a fixed time.

use crate::NOW;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The `lingtan` binary under test (`Cli::new(env!("CARGO_BIN_EXE_lingtan"))`). Every run has
/// `LINGTAN_NOW` = [`NOW`] and `LINGTAN_LANG` = `en` unless the test sets them.
#[derive(Debug, Clone)]
pub struct Cli {
    bin: PathBuf,
    env: Vec<(String, String)>,
}

/// What one run gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ran {
    /// The exit status (`None`: ended by a signal).
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Ran {
    /// Both streams, for a failure message.
    pub fn shown(&self) -> String {
        format!(
            "exit {:?}\nstdout:\n{}\nstderr:\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

impl Cli {
    pub fn new(bin: impl AsRef<Path>) -> Cli {
        Cli {
            bin: bin.as_ref().to_path_buf(),
            env: vec![
                ("LINGTAN_NOW".into(), NOW.into()),
                ("LINGTAN_LANG".into(), "en".into()),
            ],
        }
    }

    /// The binary's path.
    pub fn bin(&self) -> &Path {
        &self.bin
    }

    /// The same binary with one more variable (or another value for one of the defaults).
    pub fn env(mut self, key: &str, value: &str) -> Cli {
        self.env.retain(|(k, _)| k != key);
        self.env.push((key.into(), value.into()));
        self
    }

    /// A command ready to run (for tests that need its handle: stdin, parallel runs).
    pub fn command<S: AsRef<OsStr>>(&self, args: &[S]) -> Command {
        let mut c = Command::new(&self.bin);
        c.args(args);
        for (k, v) in &self.env {
            c.env(k, v);
        }
        c
    }

    /// Run `lingtan ARGS` and wait for it.
    pub fn run<S: AsRef<OsStr>>(&self, args: &[S]) -> Ran {
        let out = self.command(args).output().unwrap_or_else(|e| {
            panic!("the lingtan binary {} must start: {e}", self.bin.display())
        });
        Ran {
            code: out.status.code(),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// Run a command that must succeed (set-up, or the step under test), and return its stdout.
    pub fn ok<S: AsRef<OsStr> + std::fmt::Debug>(&self, args: &[S]) -> String {
        let ran = self.run(args);
        assert_eq!(
            ran.code,
            Some(0),
            "lingtan {args:?} must succeed here: {}",
            ran.shown()
        );
        ran.stdout
    }

    /// The sample factory (sample-data/make-sample.sh run with this binary) at `dir/sample.lingtan`.
    pub fn sample(&self, dir: &Path) -> PathBuf {
        let out = dir.join("sample.lingtan");
        self.sample_at(&out);
        out
    }

    /// The sample factory at `path`.
    pub fn sample_at(&self, path: &Path) {
        let mut c = Command::new("bash");
        c.arg(crate::root().join("sample-data/make-sample.sh"))
            .arg(&self.bin)
            .arg(path)
            .stdout(std::process::Stdio::null());
        for (k, v) in &self.env {
            c.env(k, v);
        }
        let status = c
            .status()
            .unwrap_or_else(|e| panic!("bash must run make-sample.sh: {e}"));
        assert!(
            status.success(),
            "sample-data/make-sample.sh builds the sample every report test reads; it failed"
        );
    }
}
