//! The offset step (碳抵消): the pure rules for energy attribute certificates, carbon credits and
//! the coverage of residual emissions.
//!
//! - [`serial`] reads a carbon credit's registry serial (Verra VCU, Gold Standard VER, CDM CER
//!   ranges, ACR / CAR / ART "X to Y", CCER and others verbatim) into its block, range and fields.
//! - [`ledger`] holds the blocks of a project and refuses a block that overlaps one already
//!   recorded; a partial retirement splits a block into the retired sub-range and the rest.
//! - [`eac`] checks green-electricity certificates (GEC 绿证, green-power trades, I-REC, GO, REC)
//!   and allocates the valid, retired ones to the electricity consumption of the claim year for
//!   the market-based scope 2.
//! - [`credit`] checks retired credits (beneficiary, ex post, retirement window, vintage age).
//! - [`coverage`] computes the residual emissions, the credits counted against them, the coverage
//!   and the shares certifiers and the press quote, each with its formula.
//!
//! Every check is a rule in a table ([`serial::RULES`], [`ledger::RULES`], [`eac::RULES`],
//! [`credit::RULES`], [`coverage::RULES`]): a stable code, a severity, whether it excludes the
//! item from the figures, whether it refuses the input, a citation and whether that citation is
//! confirmed. A [`Check`] is always made from its rule, so the table and the behaviour cannot
//! drift apart. A refusal is a [`Refusal`] with the code, the field, and a message in English and
//! Chinese saying what happened and what to do.
//!
//! No I/O, no clock (dates are passed in), no floats.
//!
//! Sources (summaries in ../shared/domain/OFFSET.md and the research notes): GHG Protocol Scope 2
//! Guidance (2015) Table 7.1; NEA 《可再生能源绿色电力证书核发和交易规则》 (5 Sep 2024);
//! 发改能源〔2023〕1044号; 国能综通新能〔2024〕124号; I-TRACK notices on China (2024–25);
//! ISO 14068-1:2023 clause 11; PAS 2060:2014 clause 9.1.2; GB/T 2589-2008 Annex A; registry
//! exports of Verra, Gold Standard, ACR, CAR and ART (CarbonPlan offsets-db-data fixtures).

pub mod coverage;
pub mod credit;
pub mod eac;
pub mod ledger;
pub mod serial;

use crate::error::Words;
use crate::issue::{Issue, Lang, Severity};
use chrono::{Datelike, NaiveDate};
use serde::{Serialize, Serializer};
use std::fmt;

/// One rule of the offset step, as data: the certification step reads these tables into its rule
/// packs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Rule {
    /// Stable, e.g. `EAC_NOT_RETIRED`.
    pub code: &'static str,
    pub severity: Severity,
    /// The item is left out of the figures (a ✗ check).
    pub excludes: bool,
    /// The input is refused: nothing is written.
    pub refuses: bool,
    /// The citation was confirmed against a primary source or two independent secondary ones.
    pub confirmed: bool,
    pub citation: &'static str,
    /// What the rule checks, in English and Chinese.
    pub en: &'static str,
    pub zh: &'static str,
}

/// A check found on one certificate or credit: its rule's code, severity, exclusion, citation,
/// and a message in both languages naming the values involved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Check {
    pub code: &'static str,
    pub severity: Severity,
    pub excludes: bool,
    pub confirmed: bool,
    pub citation: &'static str,
    #[serde(serialize_with = "crate::issue::words_en")]
    pub en: Words,
    #[serde(serialize_with = "crate::issue::words_zh")]
    pub zh: Words,
}

impl Check {
    /// A check of `rule`, with a message that names the values.
    pub fn new(rule: &Rule, en: impl Into<Words>, zh: impl Into<Words>) -> Check {
        Check {
            code: rule.code,
            severity: rule.severity,
            excludes: rule.excludes,
            confirmed: rule.confirmed,
            citation: rule.citation,
            en: en.into(),
            zh: zh.into(),
        }
    }

    /// The message in `lang`, for a face to render.
    pub fn words(&self, lang: Lang) -> &Words {
        match lang {
            Lang::En => &self.en,
            Lang::Zh => &self.zh,
        }
    }

    /// The message in `lang` as the command line words it ([`Issue::message`]).
    pub fn message(&self, lang: Lang) -> String {
        self.words(lang).command_line(lang)
    }

    /// The check as an inventory-style issue at `place`.
    pub fn to_issue(&self, place: impl Into<String>) -> Issue {
        Issue::new(
            self.code,
            self.severity,
            place.into(),
            self.en.clone(),
            self.zh.clone(),
        )
    }
}

/// Input refused before anything is written: a stable code, the field it concerns (named as the
/// domain names it: `serial`, `qty`, `project_id`, `vintage`, `mwh`, `from` …; a face maps it to
/// its flag or form field), the character position in the field where reading stopped (1-based,
/// counted in characters) when there is one, and the message in English and Chinese.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{en}")]
pub struct Refusal {
    pub code: &'static str,
    pub field: Option<String>,
    pub position: Option<usize>,
    pub en: String,
    pub zh: String,
}

impl Refusal {
    pub fn new(
        code: &'static str,
        field: &str,
        en: impl Into<String>,
        zh: impl Into<String>,
    ) -> Refusal {
        Refusal {
            code,
            field: Some(field.to_string()),
            position: None,
            en: en.into(),
            zh: zh.into(),
        }
    }

    /// A refusal of `rule` (which must be a refusing rule of one of the tables).
    pub fn of(rule: &Rule, field: &str, en: impl Into<String>, zh: impl Into<String>) -> Refusal {
        Refusal::new(rule.code, field, en, zh)
    }

    pub fn at(mut self, position: usize) -> Refusal {
        self.position = Some(position);
        self
    }

    pub fn message(&self, lang: Lang) -> &str {
        lang.pick(&self.en, &self.zh)
    }
}

/// Where a certificate or a credit stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Bought or issued, not yet retired (cancelled) for a claim.
    Held,
    /// Retired (cancelled, 核销/注销) for a beneficiary.
    Retired,
    /// Recorded by mistake: kept, never counted.
    Void,
}

impl Status {
    pub fn code(self) -> &'static str {
        match self {
            Status::Held => "held",
            Status::Retired => "retired",
            Status::Void => "void",
        }
    }
}

/// The checks of one certificate or credit, and whether any of them leaves it out of the figures.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Assessment {
    pub checks: Vec<Check>,
    pub excluded: bool,
}

impl Assessment {
    pub fn push(&mut self, check: Check) {
        self.excluded |= check.excludes;
        self.checks.push(check);
    }

    /// The codes, in order (for tests and summaries).
    pub fn codes(&self) -> Vec<&'static str> {
        self.checks.iter().map(|c| c.code).collect()
    }
}

/// A calendar month, `YYYY-MM` in JSON and on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct YearMonth {
    pub year: i32,
    /// 1–12
    pub month: u32,
}

impl YearMonth {
    /// A month, when `month` is 1–12 and the year is 1900–2999.
    pub fn new(year: i32, month: u32) -> Option<YearMonth> {
        ((1..=12).contains(&month) && (1900..=2999).contains(&year))
            .then_some(YearMonth { year, month })
    }

    /// Read `YYYY-MM`, `YYYYMM` (the platforms' production month) or `YYYY年M月`.
    pub fn parse(text: &str) -> Option<YearMonth> {
        let t = text.trim();
        let (y, m) = if let Some((y, m)) = t.split_once('-') {
            (y, m)
        } else if let Some(rest) = t.strip_suffix('月') {
            rest.split_once('年')?
        } else if t.len() == 6 && t.is_ascii() {
            t.split_at(4)
        } else {
            return None;
        };
        if y.len() != 4 || m.is_empty() || m.len() > 2 {
            return None;
        }
        if !y.bytes().chain(m.bytes()).all(|b| b.is_ascii_digit()) {
            return None;
        }
        YearMonth::new(y.parse().ok()?, m.parse().ok()?)
    }

    pub fn of(date: NaiveDate) -> YearMonth {
        YearMonth {
            year: date.year(),
            month: date.month(),
        }
    }

    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).unwrap_or(NaiveDate::MIN)
    }

    pub fn last_day(self) -> NaiveDate {
        self.plus_months(1)
            .first_day()
            .pred_opt()
            .unwrap_or(NaiveDate::MAX)
    }

    /// The month `n` months later (n may be 0).
    pub fn plus_months(self, n: u32) -> YearMonth {
        let index = i64::from(self.year) * 12 + i64::from(self.month) - 1 + i64::from(n);
        YearMonth {
            year: i32::try_from(index.div_euclid(12)).unwrap_or(i32::MAX),
            month: u32::try_from(index.rem_euclid(12)).unwrap_or(0) + 1,
        }
    }
}

impl fmt::Display for YearMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl Serialize for YearMonth {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// How a beneficiary written on a retirement matches the organisation's names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum NameMatch {
    /// Equal to one of the names (ignoring case, spaces, full-width forms and punctuation).
    Exact,
    /// Contains one of the names (a registry field holding the Chinese and the English name
    /// together): accepted, with a warning so that a reviewer reads it.
    Contains,
    None,
}

/// A name folded for comparison: full-width forms to half-width, lower case, without spaces and
/// punctuation (brackets, dots, commas, hyphens, Chinese punctuation).
pub fn fold_name(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            c => c,
        })
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Does `beneficiary` name the organisation (any of `names`)?
pub fn match_beneficiary(names: &[String], beneficiary: &str) -> NameMatch {
    let b = fold_name(beneficiary);
    if b.is_empty() {
        return NameMatch::None;
    }
    let folded: Vec<String> = names
        .iter()
        .map(|n| fold_name(n))
        .filter(|n| !n.is_empty())
        .collect();
    if folded.contains(&b) {
        NameMatch::Exact
    } else if folded.iter().any(|n| b.contains(n.as_str())) {
        NameMatch::Contains
    } else {
        NameMatch::None
    }
}

/// Every rule of the offset step, module by module.
pub fn all_rules() -> impl Iterator<Item = &'static Rule> {
    serial::RULES
        .iter()
        .chain(ledger::RULES)
        .chain(eac::RULES)
        .chain(credit::RULES)
        .chain(coverage::RULES)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn rule_codes_are_unique_and_well_formed() {
        let mut seen = BTreeSet::new();
        for rule in all_rules() {
            assert!(
                seen.insert(rule.code),
                "{} appears twice: codes are the stable key the certification packs use",
                rule.code
            );
            assert!(
                rule.code
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_'),
                "{} is not SCREAMING_SNAKE_CASE",
                rule.code
            );
            assert!(
                !rule.citation.is_empty() && !rule.en.is_empty() && !rule.zh.is_empty(),
                "{}: every rule carries its citation and both languages",
                rule.code
            );
            if rule.refuses {
                assert_eq!(
                    rule.severity,
                    Severity::Error,
                    "{}: a refusal is an error",
                    rule.code
                );
            }
            if rule.excludes && !rule.refuses {
                assert_ne!(
                    rule.severity,
                    Severity::Warning,
                    "{}: a check that excludes is an error or a disclosure, not a warning",
                    rule.code
                );
            }
        }
    }

    #[test]
    fn year_months_read_the_platform_forms_and_count_months() {
        let m = YearMonth::parse("2024-01").unwrap();
        assert_eq!(
            YearMonth::parse("202401"),
            Some(m),
            "the platforms write YYYYMM"
        );
        assert_eq!(
            YearMonth::parse("2024年1月"),
            Some(m),
            "year months read the platform forms and count months"
        );
        assert_eq!(YearMonth::parse("2024-13"), None, "month 13 does not exist");
        assert_eq!(
            YearMonth::parse("24-01"),
            None,
            "year months read the platform forms and count months"
        );
        assert_eq!(
            YearMonth::parse("２０２４-01"),
            None,
            "year months read the platform forms and count months"
        );
        assert_eq!(
            m.plus_months(23).to_string(),
            "2025-12",
            "year months read the platform forms and count months"
        );
        let odd = YearMonth {
            year: 2024,
            month: 0,
        };
        assert_eq!(
            odd.plus_months(1).to_string(),
            "2024-01",
            "a month 0 built by hand counts as the December before, never a panic"
        );
        assert_eq!(
            YearMonth::new(2024, 2).unwrap().last_day().to_string(),
            "2024-02-29",
            "leap February"
        );
    }

    #[test]
    fn beneficiaries_match_ignoring_case_width_and_punctuation() {
        let names = vec![
            "浙江安吉示范制造有限公司".to_string(),
            "Anji Demo Manufacturing Co., Ltd.".to_string(),
        ];
        assert_eq!(
            match_beneficiary(&names, "ANJI DEMO MANUFACTURING CO LTD"),
            NameMatch::Exact,
            "beneficiaries match ignoring case width and punctuation"
        );
        assert_eq!(
            match_beneficiary(
                &names,
                "浙江安吉示范制造有限公司（Anji Demo Manufacturing Co., Ltd.）"
            ),
            NameMatch::Contains,
            "Chinese and English in one field, as seen in a real Verra retirement"
        );
        assert_eq!(
            match_beneficiary(&names, "Another Trading Co."),
            NameMatch::None,
            "beneficiaries match ignoring case width and punctuation"
        );
        assert_eq!(
            match_beneficiary(&names, "  "),
            NameMatch::None,
            "beneficiaries match ignoring case width and punctuation"
        );
    }
}
