//! What Lingtan's tests share, so that each test says only what it is about:
//!
//! - [`Build`]: a small project described once (organisation, year, sites, sources, records) and
//!   built either through the workbench ([`Build::create`], a real SQLite file) or through the
//!   real `lingtan` binary ([`Build::create_with`]); [`small`] is the project most tests start
//!   from.
//! - [`Cli`]: the `lingtan` binary run with the fixed clock ([`NOW`]) and English messages.
//! - [`golden`]: the golden files of tests/golden/, each block a command, its output and its exit
//!   status (hledger's `.test` format).
//! - [`sha256`], [`root`], [`tempdir`], [`clock`].
//!
//! A dev-dependency only (`publish = false`): nothing here is part of the product.

mod build;
mod cli;
pub mod golden;

pub use build::{grid_plant, small, Build};
pub use cli::{Cli, Ran};

use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The fixed time every test runs at (`LINGTAN_NOW` for the binary, [`clock`] for the workbench),
/// so that audit entries and golden files do not depend on the day the tests run.
pub const NOW: &str = "2025-03-15T09:00:00Z";

/// The repository's root folder (where tests/, sample-data/ and ui/ are).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("the repository root holds crates/testkit")
}

/// A fixed clock for the workbench: always `at`.
pub fn clock(at: &str) -> lingtan::Clock {
    let at = at.to_string();
    Arc::new(move || at.clone())
}

/// The SHA-256 of a file's bytes, in hex (what "byte-identical" compares).
pub fn sha256(path: &Path) -> String {
    let bytes = std::fs::read(path).unwrap_or_else(|e| {
        panic!(
            "{} must be readable to take its digest: {e}",
            path.display()
        )
    });
    format!("{:x}", Sha256::digest(bytes))
}

/// A temporary folder, removed when dropped.
pub fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().expect("the system's temporary folder must be writable for tests")
}
