//! The certification step (零碳认证): claim periods, a framework's checks on the project, the
//! claim settings and the documents' data.
//!
//! The rules are core's ([`lingtan_core::claim`]); here the project's inventory, reduction and
//! offset results for a period become [`Facts`], the framework's rule pack (embedded from
//! `assets/frameworks/`, parsed with `toml`) is loaded and validated, and the pack is evaluated.

use crate::{Error, Field, Words};
use lingtan_core::claim::{ClaimError, ClaimPeriod};

/// A refusal of the certification rules in the one error shape. The claim's fields that have no
/// [`Field`] of their own (`framework`, `statement-date` …) are named by their code.
pub fn refusal(e: &ClaimError) -> Error {
    let field = match e.field() {
        "from" => Field::From,
        "to" => Field::To,
        "year" => Field::Year,
        other => Field::from_code(other).unwrap_or(Field::Input(static_field(other))),
    };
    Error::new(
        e.code(),
        field,
        Words::from(e.message_en()),
        Words::from(e.message_zh()),
    )
}

/// The claim's fields, as `'static` names (a [`Field::Input`] needs one).
fn static_field(name: &str) -> &'static str {
    const NAMES: &[&str] = &[
        "framework",
        "verification",
        "star-level",
        "statement-date",
        "verifier",
        "senior",
        "commitment-year",
        "scores",
        "maximum",
        "score",
        "weight",
        "sub-item",
    ];
    NAMES
        .iter()
        .find(|n| **n == name)
        .copied()
        .unwrap_or("claim")
}

/// Read `--from` and `--to` (`YYYY-MM-DD`, both days included).
pub fn period(from: &str, to: &str) -> Result<ClaimPeriod, Error> {
    ClaimPeriod::parse(from, to).map_err(|e| refusal(&e))
}

/// Read `--year` as a claim period (1 January to 31 December).
pub fn year(year: i32) -> Result<ClaimPeriod, Error> {
    ClaimPeriod::calendar_year(year).map_err(|e| refusal(&e))
}
