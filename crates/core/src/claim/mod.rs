//! The certification step (零碳认证): the pure rules behind a claim of carbon neutrality or a
//! zero-carbon-factory evaluation.
//!
//! Nothing here reads a file, the clock or the store. The workbench reads a framework's rule pack
//! (`assets/frameworks/*.toml`, parsed with `toml` into [`pack::Pack`]), computes the project's
//! [`facts::Facts`] from the inventory, reduction and offset results and the claim settings, and
//! calls [`check::evaluate`]; the documents' data ([`documents`]) and the zero-carbon-factory
//! scoring ([`zcf`]) are computed from the same facts. Every figure is a `Decimal`; dates are
//! passed in.
//!
//! | file | what it decides |
//! |---|---|
//! | [`period`] | claim periods of whole days: a calendar year, twelve months from a day, any `from ≤ to`; refusal of a period in the future or beyond the data |
//! | [`pack`] | the typed rule pack of a framework edition and its consistency (every rule code implemented, parameters present, both languages) |
//! | [`facts`] | what the checks and documents need from the project |
//! | [`rules`] | each rule, implemented once and keyed by its code |
//! | [`check`] | a pack's checks on the facts: pass, warn or fail, what was found, what to do, where |
//! | [`documents`] | the management plan, the ISO 14068-1 statement and commitment, PAS 2060's declarations and QES, the T/CECA-G self-evaluation |
//! | [`zcf`] | the assessor's scoring table (validation, total), the star levels, the figures the evaluation uses |
//!
//! A pack says which rules apply to its framework, with each rule's clause (or the step's name
//! where the clause number could not be confirmed), whether the rule was confirmed against a
//! primary source or two independent secondary ones, its source, its severity when it does not
//! hold, and its title and what to do in English and Chinese. The rule itself lives here, once.
//!
//! Sources (our own summaries in ../shared/domain/CERTIFICATION.md and the research notes; no
//! standard's text is copied): ISO 14068-1:2023 (clause 11 on credits; the other steps cited by
//! name); PAS 2060:2014 (clauses 5–11, Annex A normative, Annex B informative QES checklists
//! B.1/B.2/B.3, 9.1.2 credit criteria); T/CECA-G 0171-2022 《零碳工厂评价规范》 (types, star levels;
//! its indicators, weights and thresholds were not found and are the assessor's data).

pub mod check;
pub mod documents;
pub mod error;
pub mod facts;
pub mod pack;
pub mod period;
pub mod rules;
pub mod zcf;

pub use check::{evaluate, Check, CheckStatus, Claim};
pub use error::ClaimError;
pub use facts::Facts;
pub use pack::{Framework, Pack};
pub use period::ClaimPeriod;

use crate::issue::Lang;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// Text in English and Chinese; a face picks the language.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Text {
    pub en: String,
    pub zh: String,
}

impl Text {
    pub fn new(en: impl Into<String>, zh: impl Into<String>) -> Text {
        Text {
            en: en.into(),
            zh: zh.into(),
        }
    }

    pub fn pick(&self, lang: Lang) -> &str {
        lang.pick(&self.en, &self.zh)
    }

    /// Either language empty (after trimming).
    pub fn is_blank(&self) -> bool {
        self.en.trim().is_empty() || self.zh.trim().is_empty()
    }
}

/// What a place in the project is, so a face can open it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PlaceKind {
    /// The inventory as a whole (its issues, its months).
    Inventory,
    Site,
    Source,
    /// An activity record.
    Activity,
    /// An emission factor (`id@version` in the label).
    Factor,
    /// An energy attribute certificate.
    Eac,
    Credit,
    Target,
    Measure,
    /// The management plan as a whole.
    Plan,
    /// A claim setting (statement date, verification …): `label` names the setting.
    Setting,
    /// A row of the zero-carbon-factory scoring table.
    Score,
}

/// What a check or a document line concerns: its kind, its id in the project where it has one,
/// and a label a person recognises (`credit #4 (VCS 1234…)`, `source 'Grid power'`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Place {
    pub kind: PlaceKind,
    pub id: Option<i64>,
    pub label: String,
}

impl Place {
    pub fn new(kind: PlaceKind, id: Option<i64>, label: impl Into<String>) -> Place {
        Place {
            kind,
            id,
            label: label.into(),
        }
    }

    /// A claim setting, named as the workbench names the field (`statement-date`, `verification`).
    pub fn setting(name: &str) -> Place {
        Place::new(PlaceKind::Setting, None, name)
    }
}

/// `part ÷ whole × 100`; `None` when `whole` is not positive or the figures overflow.
pub fn pct(part: Decimal, whole: Decimal) -> Option<Decimal> {
    if whole <= Decimal::ZERO {
        return None;
    }
    part.checked_mul(Decimal::ONE_HUNDRED)?.checked_div(whole)
}

/// A figure for a sentence: without trailing zeros, at most four decimals, thousands separated
/// (`1,468`, `2,298.48`, `91.29`, `0.1223`); a small figure never reads as 0. Display only.
pub fn show(d: Decimal) -> String {
    let r = d.round_dp(4).normalize();
    if r.is_zero() && !d.is_zero() {
        return d.normalize().to_string();
    }
    crate::text::grouped(r, r.scale())
}

/// A percentage for a sentence, to two decimals at most (`100`, `69.61`). Display only.
pub fn show_pct(d: Decimal) -> String {
    crate::reduction::figure(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_are_exact_and_refuse_an_empty_whole() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        assert_eq!(
            pct(d("1468"), d("1468")),
            Some(d("100")),
            "shares are exact and refuse an empty whole"
        );
        assert_eq!(
            pct(d("1"), d("3")).map(|p| p.round_dp(4)),
            Some(d("33.3333")),
            "shares are exact and refuse an empty whole"
        );
        assert_eq!(pct(d("1"), Decimal::ZERO), None, "nothing to divide by");
        assert_eq!(pct(d("1"), d("-5")), None, "a negative whole is no whole");
        assert_eq!(show(d("2298.480")), "2,298.48", "no trailing zeros");
        assert_eq!(
            show(d("1468")),
            "1,468",
            "shares are exact and refuse an empty whole"
        );
        assert_eq!(
            show(d("1468") / d("12000")),
            "0.1223",
            "four decimals at most"
        );
        assert_eq!(
            show(d("0.00001")),
            "0.00001",
            "a small figure is not shown as 0"
        );
        assert_eq!(
            show(d("10.00001")),
            "10",
            "no trailing zeros after rounding"
        );
        assert_eq!(
            show_pct(d("69.6123")),
            "69.61",
            "shares are exact and refuse an empty whole"
        );
    }
}
