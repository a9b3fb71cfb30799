//! A pack's checks on the facts: the claim (`lingtan claim --json`).
//!
//! Each rule of the pack, in the pack's order, is evaluated by its implementation
//! ([`super::rules`]): when it holds the check passes; when it does not, it fails or warns as the
//! pack says; a rule that holds with a caveat warns. The claim is ready when no check fails. A
//! pack naming a rule this Lingtan does not implement (a pack that skipped
//! [`Pack::validate`]) gets a failing check saying so — a rule is never skipped in silence.
//!
//! The claim's figures:
//! - subject = the emissions of the sources in the subject (scope 2 market-based, after
//!   certificates);
//! - reductions = the base year's emissions of the subject's scopes − the period's (negative for an
//!   increase; none without a base-year comparison);
//! - certificates = what the certificates took off the market-based scope 2, shown apart: they act
//!   through the quantification, never as a reduction or a credit;
//! - credits = the credits counted ([`super::rules::counted`]);
//! - coverage % = min(credits, subject) ÷ subject × 100, as the offset step computes it; none when
//!   the subject is not positive.

use super::facts::Facts;
use super::pack::{Note, Pack, RuleSeverity};
use super::period::ClaimPeriod;
use super::rules::{self, Ctx, Holds};
use super::{pct, Place, Text};
use rust_decimal::Decimal;
use serde::Serialize;

/// The outcome of a check: the readiness checks' type ([`crate::check::Status`]), so that a
/// face shows both the same way.
pub use crate::check::Status as CheckStatus;

/// One check of the claim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Check {
    pub code: String,
    pub title: Text,
    /// The clause, or the step's name where its number was not confirmed, in English and
    /// Chinese.
    pub clause: Text,
    pub confirmed: bool,
    pub source: String,
    /// What the pack makes of it when the rule does not hold.
    pub severity: RuleSeverity,
    pub status: CheckStatus,
    pub found: Text,
    /// What to do; none when the check passes.
    pub todo: Option<Text>,
    /// What the check concerns.
    #[serde(rename = "where")]
    pub places: Vec<Place>,
    /// A conflict between sources or a caveat the pack attaches to the rule.
    pub note: Option<Text>,
}

/// A claim checked against a framework edition for a period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Claim {
    /// `iso14068-1`, `pas2060`, `zcf-i`, `zcf-ii`.
    pub framework: String,
    /// `iso14068-1:2023` …
    pub edition: String,
    pub title: Text,
    /// `ISO 14068-1:2023` …
    pub designation: String,
    pub standard: String,
    pub period: ClaimPeriod,
    pub subject_tco2e: Decimal,
    pub reductions_tco2e: Option<Decimal>,
    pub eac_tco2e: Decimal,
    pub credits_tco2e: Decimal,
    pub coverage_pct: Option<Decimal>,
    /// No check fails.
    pub ready: bool,
    pub checks: Vec<Check>,
    /// The pack's notes (a withdrawn standard, a conflict between sources).
    pub notes: Vec<Note>,
}

impl Claim {
    pub fn failed(&self) -> impl Iterator<Item = &Check> {
        self.checks.iter().filter(|c| c.status == CheckStatus::Fail)
    }

    pub fn warned(&self) -> impl Iterator<Item = &Check> {
        self.checks.iter().filter(|c| c.status == CheckStatus::Warn)
    }

    pub fn check(&self, code: &str) -> Option<&Check> {
        self.checks.iter().find(|c| c.code == code)
    }
}

/// Check `facts` against every rule of `pack`.
pub fn evaluate(pack: &Pack, facts: &Facts) -> Claim {
    let checks: Vec<Check> = pack
        .rules
        .iter()
        .map(|rule| match rules::find(&rule.code) {
            None => Check {
                code: rule.code.clone(),
                title: rule.title.clone(),
                clause: rule.clause.clone(),
                confirmed: rule.confirmed,
                source: rule.source.clone(),
                severity: rule.severity,
                status: CheckStatus::Fail,
                found: Text::new(
                    format!(
                        "This Lingtan does not implement the rule {}: it cannot be checked.",
                        rule.code
                    ),
                    format!("本版 Lingtan 未实现规则 {}：无法检查。", rule.code),
                ),
                todo: Some(Text::new(
                    "Use a Lingtan that implements this pack's rules.",
                    "请使用实现了该规则包全部规则的 Lingtan 版本。",
                )),
                places: Vec::new(),
                note: rule.note.clone(),
            },
            Some(r) => {
                let finding = (r.eval)(&Ctx { pack, rule, facts });
                let status = match (finding.holds, rule.severity) {
                    (Holds::Yes, _) => CheckStatus::Pass,
                    (Holds::Caveat, _) | (Holds::No, RuleSeverity::Warn) => CheckStatus::Warn,
                    (Holds::No, RuleSeverity::Fail) => CheckStatus::Fail,
                };
                Check {
                    code: rule.code.clone(),
                    title: rule.title.clone(),
                    clause: rule.clause.clone(),
                    confirmed: rule.confirmed,
                    source: rule.source.clone(),
                    severity: rule.severity,
                    status,
                    found: finding.found,
                    todo: match status {
                        CheckStatus::Pass => None,
                        _ => Some(finding.todo.unwrap_or_else(|| rule.todo.clone())),
                    },
                    places: finding.places,
                    note: rule.note.clone(),
                }
            }
        })
        .collect();
    let subject = facts.inventory.subject_tco2e();
    let credits: Decimal = rules::counted(pack, facts).iter().map(|c| c.tco2e).sum();
    Claim {
        framework: pack.framework.clone(),
        edition: pack.edition.clone(),
        title: pack.title.clone(),
        designation: pack.designation.clone(),
        standard: pack.standard.clone(),
        period: facts.period,
        subject_tco2e: subject,
        reductions_tco2e: facts.reductions.base.as_ref().map(|b| b.reduction_tco2e()),
        eac_tco2e: facts.offset.eac_tco2e,
        credits_tco2e: credits,
        coverage_pct: pct(credits.min(subject), subject),
        ready: !checks.iter().any(|c| c.status == CheckStatus::Fail),
        checks,
        notes: pack.notes.clone(),
    }
}
