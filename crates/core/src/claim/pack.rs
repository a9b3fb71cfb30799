//! A framework's rule pack: which rules apply to one edition of a framework, each with its
//! clause, whether it was confirmed, its source, its severity when it does not hold, and its
//! title and what to do in English and Chinese. The packs are data (`assets/frameworks/*.toml`,
//! described in that folder's README); the workbench parses them (core has no TOML parser) into
//! [`Pack`] and refuses one that [`Pack::validate`] finds wrong, so a pack can never name a rule
//! this Lingtan does not implement.
//!
//! Frameworks on the command line: `iso14068-1`, `pas2060`, `zcf-i`, `zcf-ii` (T/CECA-G
//! 0171-2022, Type I or II); an edition may be named after a colon (`iso14068-1:2023`). A later
//! edition (ISO/FDIS 14068, registered May 2026) will sit beside the current one as its own pack.

use super::error::ClaimError;
use super::{documents, rules, zcf, Text};
use crate::text::closest;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// A framework Lingtan can check a claim against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Framework {
    /// ISO 14068-1 carbon neutrality (the default).
    #[serde(rename = "iso14068-1")]
    Iso14068,
    /// PAS 2060 (withdrawn 30 Nov 2025; still asked for renewals).
    Pas2060,
    /// T/CECA-G 0171-2022 zero-carbon factory, Type I.
    #[serde(rename = "zcf-i")]
    ZcfType1,
    /// T/CECA-G 0171-2022 zero-carbon factory, Type II.
    #[serde(rename = "zcf-ii")]
    ZcfType2,
}

/// The T/CECA-G 0171-2022 type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum ZcfType {
    #[serde(rename = "I")]
    One,
    #[serde(rename = "II")]
    Two,
}

impl ZcfType {
    pub fn label(self) -> &'static str {
        match self {
            ZcfType::One => "I",
            ZcfType::Two => "II",
        }
    }
}

impl Framework {
    pub const ALL: [Framework; 4] = [
        Framework::Iso14068,
        Framework::Pas2060,
        Framework::ZcfType1,
        Framework::ZcfType2,
    ];

    /// As the command line writes it.
    pub fn id(self) -> &'static str {
        match self {
            Framework::Iso14068 => "iso14068-1",
            Framework::Pas2060 => "pas2060",
            Framework::ZcfType1 => "zcf-i",
            Framework::ZcfType2 => "zcf-ii",
        }
    }

    /// The editions this Lingtan ships, newest last.
    pub fn editions(self) -> &'static [&'static str] {
        match self {
            Framework::Iso14068 => &["iso14068-1:2023"],
            Framework::Pas2060 => &["pas2060:2014"],
            Framework::ZcfType1 => &["zcf-i:2022"],
            Framework::ZcfType2 => &["zcf-ii:2022"],
        }
    }

    /// The edition used when none is named: the newest shipped.
    pub fn edition(self) -> &'static str {
        let e = self.editions();
        e[e.len() - 1]
    }

    /// The pack's file in `assets/frameworks/` for `edition` (`iso14068-1:2023` →
    /// `iso14068-1-2023.toml`).
    pub fn asset(edition: &str) -> String {
        format!("{}.toml", edition.replace(':', "-"))
    }

    pub fn zcf_type(self) -> Option<ZcfType> {
        match self {
            Framework::ZcfType1 => Some(ZcfType::One),
            Framework::ZcfType2 => Some(ZcfType::Two),
            _ => None,
        }
    }

    /// Read `iso14068-1`, `pas2060`, `zcf-i`, `zcf-ii`, optionally with `:EDITION`; returns the
    /// framework and the edition (the newest when none is named).
    pub fn parse(text: &str) -> Result<(Framework, &'static str), ClaimError> {
        let t = text.trim().to_ascii_lowercase();
        let (name, edition) = match t.split_once(':') {
            Some((n, e)) => (n.trim().to_string(), Some(e.trim().to_string())),
            None => (t.clone(), None),
        };
        let known: Vec<&'static str> = Framework::ALL.iter().map(|f| f.id()).collect();
        let Some(framework) = Framework::ALL.into_iter().find(|f| f.id() == name) else {
            return Err(ClaimError::UnknownFramework {
                input: text.trim().to_string(),
                suggestions: closest(&name, known.iter().copied()),
                known,
            });
        };
        match edition {
            None => Ok((framework, framework.edition())),
            Some(e) => {
                let full = format!("{}:{e}", framework.id());
                framework
                    .editions()
                    .iter()
                    .find(|x| **x == full)
                    .map(|x| (framework, *x))
                    .ok_or_else(|| ClaimError::UnknownEdition {
                        framework: framework.id(),
                        input: full,
                        known: framework.editions().to_vec(),
                    })
            }
        }
    }
}

/// What happens when a rule does not hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RuleSeverity {
    /// The claim is not ready.
    Fail,
    /// A reviewer must see it; the claim can go ahead.
    Warn,
}

/// A rule's numbers, where the rule takes any.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    /// A percentage threshold (a source's share, the footprint's coverage), in (0, 100].
    pub min_pct: Option<Decimal>,
    /// A window in months (retirement, plan review), 1–120.
    pub months: Option<u32>,
}

/// The parameters a rule may need.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Param {
    MinPct,
    Months,
}

impl Param {
    pub fn name(self) -> &'static str {
        match self {
            Param::MinPct => "min_pct",
            Param::Months => "months",
        }
    }
}

/// One rule as a pack applies it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PackRule {
    /// The rule's stable code, implemented in [`rules`].
    pub code: String,
    /// The clause, or the step's name where the clause number could not be confirmed, in
    /// English and Chinese (the Chinese as a Chinese user cites it: `第 7 章`).
    pub clause: Text,
    /// Confirmed against a primary source or two independent secondary ones.
    pub confirmed: bool,
    /// Where the rule comes from (and how sure that is).
    pub source: String,
    pub severity: RuleSeverity,
    pub title: Text,
    /// What to do when the rule does not hold.
    pub todo: Text,
    /// A conflict between sources or a caveat, shown with the check.
    #[serde(default)]
    pub note: Option<Text>,
    #[serde(default)]
    pub params: Params,
}

/// Which declaration a QES element supports (PAS 2060).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Declaration {
    Commitment,
    Achievement,
}

/// An element of PAS 2060's qualifying explanatory statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QesElement {
    /// Stable, implemented in [`documents`].
    pub key: String,
    pub label: Text,
    /// The normative clause behind it (Annex B is informative), in English and Chinese.
    pub clause: Text,
    pub confirmed: bool,
    pub declarations: Vec<Declaration>,
}

/// One figure a star level requires at least.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Requirement {
    /// A figure of [`zcf::Figures`] (`green_power_pct`, `offset_pct`, `removal_pct` …).
    pub figure: String,
    pub min_pct: Decimal,
}

/// A star level's published requirement (T/CECA-G 0171-2022).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StarRule {
    pub level: u8,
    pub confirmed: bool,
    pub source: String,
    pub requires: Vec<Requirement>,
}

/// A note shown with every claim under the pack (a withdrawal, a conflict between sources).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Note {
    pub text: Text,
    pub source: String,
}

/// A framework edition's rule pack.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pack {
    /// `iso14068-1`, `pas2060`, `zcf-i`, `zcf-ii`.
    pub framework: String,
    /// `iso14068-1:2023` …
    pub edition: String,
    pub title: Text,
    /// The document's designation (`ISO 14068-1:2023`), as sentences cite it.
    pub designation: String,
    /// The document's designation and title as published.
    pub standard: String,
    pub published: Option<NaiveDate>,
    #[serde(default)]
    pub withdrawn: Option<NaiveDate>,
    #[serde(default, rename = "note")]
    pub notes: Vec<Note>,
    #[serde(rename = "rule")]
    pub rules: Vec<PackRule>,
    /// PAS 2060's QES elements.
    #[serde(default)]
    pub qes: Vec<QesElement>,
    /// The star levels of a zero-carbon-factory evaluation.
    #[serde(default)]
    pub star_levels: Vec<u8>,
    #[serde(default, rename = "star_rule")]
    pub star_rules: Vec<StarRule>,
}

impl Pack {
    /// The pack's rule with `code`.
    pub fn rule(&self, code: &str) -> Option<&PackRule> {
        self.rules.iter().find(|r| r.code == code)
    }

    pub fn has(&self, code: &str) -> bool {
        self.rule(code).is_some()
    }

    /// Every problem that makes the pack unusable as `framework`'s: empty when it can be used.
    pub fn validate(&self, framework: Framework) -> Vec<ClaimError> {
        let mut errors = Vec::new();
        if self.framework != framework.id() {
            errors.push(ClaimError::PackMismatch {
                field: "framework".into(),
                expected: framework.id().into(),
                found: self.framework.clone(),
            });
        }
        if !framework.editions().contains(&self.edition.as_str()) {
            errors.push(ClaimError::PackMismatch {
                field: "edition".into(),
                expected: framework.editions().join(" | "),
                found: self.edition.clone(),
            });
        }
        if self.title.is_blank() {
            errors.push(ClaimError::PackTextMissing {
                field: "title".into(),
            });
        }
        for (field, text) in [
            ("designation", &self.designation),
            ("standard", &self.standard),
        ] {
            if text.trim().is_empty() {
                errors.push(ClaimError::PackTextMissing {
                    field: field.into(),
                });
            }
        }
        for (i, n) in self.notes.iter().enumerate() {
            if n.text.is_blank() || n.source.trim().is_empty() {
                errors.push(ClaimError::PackTextMissing {
                    field: format!("note[{i}]"),
                });
            }
        }
        let mut seen = BTreeSet::new();
        for (i, r) in self.rules.iter().enumerate() {
            let at = |what: &str| format!("rule[{i}].{what}");
            if !seen.insert(r.code.as_str()) {
                errors.push(ClaimError::PackDuplicate {
                    field: at("code"),
                    key: r.code.clone(),
                });
            }
            for (what, text) in [
                ("title", &r.title),
                ("todo", &r.todo),
                ("clause", &r.clause),
            ] {
                if text.is_blank() {
                    errors.push(ClaimError::PackTextMissing { field: at(what) });
                }
            }
            if r.note.as_ref().is_some_and(Text::is_blank) {
                errors.push(ClaimError::PackTextMissing { field: at("note") });
            }
            if r.source.trim().is_empty() {
                errors.push(ClaimError::PackTextMissing {
                    field: at("source"),
                });
            }
            let Some(rule) = rules::find(&r.code) else {
                errors.push(ClaimError::PackUnknownRule {
                    field: at("code"),
                    code: r.code.clone(),
                    suggestions: closest(&r.code, rules::RULES.iter().map(|x| x.code)),
                });
                continue;
            };
            for p in rule.params {
                match p {
                    Param::MinPct => match r.params.min_pct {
                        None => errors.push(ClaimError::PackParamMissing {
                            field: at("params"),
                            code: r.code.clone(),
                            param: p.name(),
                        }),
                        Some(v) if v <= Decimal::ZERO || v > Decimal::ONE_HUNDRED => {
                            errors.push(ClaimError::PackParamOutOfRange {
                                field: at("params.min_pct"),
                                value: v.to_string(),
                                range: "(0, 100]",
                            })
                        }
                        Some(_) => {}
                    },
                    Param::Months => match r.params.months {
                        None => errors.push(ClaimError::PackParamMissing {
                            field: at("params"),
                            code: r.code.clone(),
                            param: p.name(),
                        }),
                        Some(m) if !(1..=120).contains(&m) => {
                            errors.push(ClaimError::PackParamOutOfRange {
                                field: at("params.months"),
                                value: m.to_string(),
                                range: "1–120 months",
                            })
                        }
                        Some(_) => {}
                    },
                }
            }
        }
        let mut keys = BTreeSet::new();
        for (i, q) in self.qes.iter().enumerate() {
            let at = |what: &str| format!("qes[{i}].{what}");
            if !keys.insert(q.key.as_str()) {
                errors.push(ClaimError::PackDuplicate {
                    field: at("key"),
                    key: q.key.clone(),
                });
            }
            if !documents::QES_KEYS.contains(&q.key.as_str()) {
                errors.push(ClaimError::PackUnknownKey {
                    field: at("key"),
                    what: "QES element",
                    key: q.key.clone(),
                });
            }
            if q.label.is_blank() {
                errors.push(ClaimError::PackTextMissing { field: at("label") });
            }
            if q.clause.is_blank() {
                errors.push(ClaimError::PackTextMissing {
                    field: at("clause"),
                });
            }
            if q.declarations.is_empty() {
                errors.push(ClaimError::PackTextMissing {
                    field: at("declarations"),
                });
            }
        }
        let mut levels = BTreeSet::new();
        for (i, level) in self.star_levels.iter().enumerate() {
            if !(1..=6).contains(level) || !levels.insert(*level) {
                errors.push(ClaimError::PackParamOutOfRange {
                    field: format!("star_levels[{i}]"),
                    value: level.to_string(),
                    range: "distinct levels 1–6",
                });
            }
        }
        let mut ruled = BTreeSet::new();
        for (i, s) in self.star_rules.iter().enumerate() {
            let at = |what: &str| format!("star_rule[{i}].{what}");
            if !levels.contains(&s.level) {
                errors.push(ClaimError::PackParamOutOfRange {
                    field: at("level"),
                    value: s.level.to_string(),
                    range: "the pack's star_levels",
                });
            }
            if !ruled.insert(s.level) {
                errors.push(ClaimError::PackDuplicate {
                    field: at("level"),
                    key: s.level.to_string(),
                });
            }
            if s.source.trim().is_empty() {
                errors.push(ClaimError::PackTextMissing {
                    field: at("source"),
                });
            }
            for (j, req) in s.requires.iter().enumerate() {
                if !zcf::FIGURES.contains(&req.figure.as_str()) {
                    errors.push(ClaimError::PackUnknownKey {
                        field: at(&format!("requires[{j}].figure")),
                        what: "figure",
                        key: req.figure.clone(),
                    });
                }
                if req.min_pct <= Decimal::ZERO || req.min_pct > Decimal::ONE_HUNDRED {
                    errors.push(ClaimError::PackParamOutOfRange {
                        field: at(&format!("requires[{j}].min_pct")),
                        value: req.min_pct.to_string(),
                        range: "(0, 100]",
                    });
                }
            }
        }
        errors
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frameworks_parse_by_name_or_edition() {
        assert_eq!(
            Framework::parse("ISO14068-1").unwrap(),
            (Framework::Iso14068, "iso14068-1:2023"),
            "frameworks parse by name or edition"
        );
        assert_eq!(
            Framework::parse("pas2060:2014").unwrap(),
            (Framework::Pas2060, "pas2060:2014"),
            "frameworks parse by name or edition"
        );
        assert_eq!(
            Framework::parse(" zcf-ii ").unwrap().0,
            Framework::ZcfType2,
            "frameworks parse by name or edition"
        );
        let e = Framework::parse("pas2060:2010").unwrap_err();
        assert_eq!(e.code(), "CLAIM_UNKNOWN_EDITION", "an edition not shipped");
        assert!(
            e.message_en().contains("pas2060:2014"),
            "names the editions"
        );
        let e = Framework::parse("pas206").unwrap_err();
        assert_eq!(
            e.code(),
            "CLAIM_UNKNOWN_FRAMEWORK",
            "frameworks parse by name or edition"
        );
        assert!(
            e.message_en().contains("did you mean 'pas2060'"),
            "frameworks parse by name or edition: {}",
            e.message_en()
        );
        assert_eq!(
            e.field(),
            "framework",
            "frameworks parse by name or edition"
        );
        assert_eq!(
            Framework::asset("zcf-i:2022"),
            "zcf-i-2022.toml",
            "frameworks parse by name or edition"
        );
    }

    #[test]
    fn the_framework_serialises_as_the_command_line_writes_it() {
        for f in Framework::ALL {
            assert_eq!(
                serde_json::to_value(f).unwrap(),
                serde_json::Value::String(f.id().into()),
                "the JSON and the CLI use one name"
            );
        }
    }
}
