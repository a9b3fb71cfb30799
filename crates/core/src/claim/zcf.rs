//! The zero-carbon-factory evaluation (T/CECA-G 0171-2022 《零碳工厂评价规范》): the assessor's
//! scoring table, its total, the star levels, and the figures the evaluation uses.
//!
//! The standard's indicators, sub-items, weights and score thresholds were not found in any source
//! we could read (research notes §3), so Lingtan invents none: the scoring table is the assessor's
//! data, imported by the workbench from their xlsx or csv with each row's place (file, sheet, row).
//! A row is an indicator, a sub-item, its weight, its maximum and its score; it contributes
//! `weight × score ÷ maximum` points (a table that gives points directly has weight = maximum), and
//! the total is the sum of the points, exact, shown to two decimals (the Schneider Electric Xi'an
//! press case: 91.29). The weights must add up to the table's maximum (usually 100).
//!
//! Star levels 3★–6★ exist for each type (one secondary source). The only requirement found is
//! 6★'s: 100 % renewable electricity and 100 % offset (Type I), or 100 % renewable electricity
//! and 100 % removals (Type II) — unconfirmed, and the Type I/II distinction itself is disputed
//! (boundary vs means of neutralisation). The pack carries it as data (`star_rule`); every other
//! level reads "threshold not published: the assessor decides".
//!
//! The figures (from the project itself): the renewable share of total energy and the green-power
//! share of electricity (offset step, GB/T 2589 standard coal); the credit offset ratio and the
//! removal ratio (credits counted ÷ the subject's emissions); the intensity per unit of each
//! output; the reduction against the base year.

use super::error::ClaimError;
use super::facts::Facts;
use super::pack::Pack;
use super::{pct, rules, show, show_pct, Text};
use crate::offset::credit::CreditType;
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::BTreeMap;

/// One row of the assessor's scoring table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScoreRow {
    pub indicator: String,
    pub sub_item: String,
    pub weight: Decimal,
    pub maximum: Decimal,
    pub score: Decimal,
    /// Where the row was read (`scores.xlsx, sheet 评分, row 7`); refusals name it.
    pub place: Option<String>,
}

impl ScoreRow {
    /// `weight × score ÷ maximum`; none for a maximum of 0 or figures too large.
    pub fn points(&self) -> Option<Decimal> {
        if self.maximum <= Decimal::ZERO {
            return None;
        }
        self.weight
            .checked_mul(self.score)?
            .checked_div(self.maximum)
    }
}

/// The assessor's scoring table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScoreTable {
    /// The table's maximum (usually 100): what the weights add up to.
    pub maximum: Decimal,
    pub rows: Vec<ScoreRow>,
}

fn place_of(row: &ScoreRow, index: usize) -> String {
    row.place
        .clone()
        .filter(|p| !p.trim().is_empty())
        .unwrap_or_else(|| format!("row {}", index + 1))
}

fn fold(text: &str) -> String {
    text.split_whitespace().collect::<String>().to_lowercase()
}

/// Every problem of the table, each naming its row's place: empty when the table can be scored.
pub fn validate(table: &ScoreTable) -> Vec<ClaimError> {
    let mut errors = Vec::new();
    if table.rows.is_empty() {
        return vec![ClaimError::ScoreTableEmpty];
    }
    if table.maximum <= Decimal::ZERO {
        errors.push(ClaimError::ScoreTableMaximum {
            maximum: table.maximum,
        });
    }
    let mut seen: BTreeMap<(String, String), String> = BTreeMap::new();
    for (i, row) in table.rows.iter().enumerate() {
        let place = place_of(row, i);
        for (field, text) in [("indicator", &row.indicator), ("sub-item", &row.sub_item)] {
            if text.trim().is_empty() {
                errors.push(ClaimError::ScoreNameMissing {
                    place: place.clone(),
                    field,
                });
            }
        }
        let mut negative = false;
        for (field, value) in [
            ("weight", row.weight),
            ("maximum", row.maximum),
            ("score", row.score),
        ] {
            if value < Decimal::ZERO {
                negative = true;
                errors.push(ClaimError::ScoreNegative {
                    place: place.clone(),
                    field,
                    value,
                });
            }
        }
        if row.maximum.is_zero() {
            errors.push(ClaimError::ScoreItemMaximumZero {
                place: place.clone(),
            });
        } else if !negative && row.score > row.maximum {
            errors.push(ClaimError::ScoreAboveMaximum {
                place: place.clone(),
                score: row.score,
                maximum: row.maximum,
            });
        }
        if !row.indicator.trim().is_empty() && !row.sub_item.trim().is_empty() {
            let key = (fold(&row.indicator), fold(&row.sub_item));
            if let Some(first) = seen.get(&key) {
                errors.push(ClaimError::ScoreDuplicate {
                    place: place.clone(),
                    first: first.clone(),
                    indicator: row.indicator.trim().to_string(),
                    sub_item: row.sub_item.trim().to_string(),
                });
            } else {
                seen.insert(key, place);
            }
        }
    }
    let sum = table
        .rows
        .iter()
        .try_fold(Decimal::ZERO, |acc, r| acc.checked_add(r.weight));
    if let Some(sum) = sum {
        if table.maximum > Decimal::ZERO && sum != table.maximum {
            let first = place_of(&table.rows[0], 0);
            let last_i = table.rows.len() - 1;
            let last = place_of(&table.rows[last_i], last_i);
            errors.push(ClaimError::ScoreWeightSum {
                place: if first == last {
                    first
                } else {
                    format!("{first} – {last}")
                },
                sum,
                maximum: table.maximum,
            });
        }
    }
    errors
}

/// The total: the sum of the rows' points (rows that cannot be weighed count 0 — a table that
/// [`validate`] refuses has no meaningful total).
pub fn total(table: &ScoreTable) -> Decimal {
    table
        .rows
        .iter()
        .filter_map(ScoreRow::points)
        .fold(Decimal::ZERO, |acc, p| acc.checked_add(p).unwrap_or(acc))
}

/// One indicator's points and weight.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IndicatorScore {
    pub indicator: String,
    pub points: Decimal,
    pub weight: Decimal,
}

/// A scored table: the rows' points, each indicator's, and the total.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Scoring {
    pub maximum: Decimal,
    pub total: Decimal,
    /// `(indicator, sub-item, points)` in the table's order.
    pub rows: Vec<(String, String, Decimal)>,
    pub indicators: Vec<IndicatorScore>,
    pub formula: Text,
}

/// Score a table, or every reason it cannot be scored.
pub fn score(table: &ScoreTable) -> Result<Scoring, Vec<ClaimError>> {
    let errors = validate(table);
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut rows = Vec::with_capacity(table.rows.len());
    let mut indicators: Vec<IndicatorScore> = Vec::new();
    for r in &table.rows {
        let p = r.points().unwrap_or(Decimal::ZERO);
        rows.push((r.indicator.clone(), r.sub_item.clone(), p));
        let name = r.indicator.trim();
        match indicators
            .iter_mut()
            .find(|x| fold(&x.indicator) == fold(name))
        {
            Some(x) => {
                x.points += p;
                x.weight += r.weight;
            }
            None => indicators.push(IndicatorScore {
                indicator: name.to_string(),
                points: p,
                weight: r.weight,
            }),
        }
    }
    Ok(Scoring {
        maximum: table.maximum,
        total: total(table),
        rows,
        indicators,
        formula: Text::new(
            "total = Σ weight × score ÷ maximum over the sub-items (the assessor's table)",
            "总分 = Σ 权重 × 得分 ÷ 满分（按评价机构评分表的各子项求和）",
        ),
    })
}

/// The figures a star-level requirement can name.
pub const FIGURES: &[&str] = &[
    "renewable_energy_pct",
    "green_power_pct",
    "offset_pct",
    "removal_pct",
];

fn figure_name(figure: &str) -> Text {
    match figure {
        "renewable_energy_pct" => Text::new(
            "renewable share of total energy",
            "可再生能源占综合能耗比例",
        ),
        "green_power_pct" => Text::new(
            "renewable (green-power) share of electricity",
            "绿电占用电量比例",
        ),
        "offset_pct" => Text::new("credit offset ratio", "碳信用抵消比例"),
        "removal_pct" => Text::new("removal ratio", "碳清除抵消比例"),
        other => Text::new(other, other),
    }
}

/// An intensity of the period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Intensity {
    pub metric: String,
    /// tCO2e per `unit`.
    pub unit: String,
    pub tco2e_per_unit: Decimal,
}

/// A figure's formula, in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Formula {
    pub figure: &'static str,
    pub text: Text,
}

/// The figures the evaluation uses, from the project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Figures {
    pub subject_tco2e: Decimal,
    pub credits_tco2e: Decimal,
    pub removals_tco2e: Decimal,
    pub renewable_energy_pct: Option<Decimal>,
    pub green_power_pct: Option<Decimal>,
    /// Credits counted ÷ the subject's emissions × 100 (may pass 100).
    pub offset_pct: Option<Decimal>,
    /// Removal credits counted ÷ the subject's emissions × 100.
    pub removal_pct: Option<Decimal>,
    pub intensities: Vec<Intensity>,
    pub reduction_tco2e: Option<Decimal>,
    pub reduction_pct: Option<Decimal>,
    pub formulas: Vec<Formula>,
}

impl Figures {
    /// A figure by the name a star-level requirement uses.
    pub fn get(&self, figure: &str) -> Option<Decimal> {
        match figure {
            "renewable_energy_pct" => self.renewable_energy_pct,
            "green_power_pct" => self.green_power_pct,
            "offset_pct" => self.offset_pct,
            "removal_pct" => self.removal_pct,
            _ => None,
        }
    }
}

/// The figures of `facts` under `pack` (its retirement window decides which credits count).
pub fn figures(pack: &Pack, facts: &Facts) -> Figures {
    let subject = facts.inventory.subject_tco2e();
    let counted = rules::counted(pack, facts);
    let credits: Decimal = counted.iter().map(|c| c.tco2e).sum();
    let removals: Decimal = counted
        .iter()
        .filter(|c| c.kind == Some(CreditType::Removal))
        .map(|c| c.tco2e)
        .sum();
    let intensities = facts
        .energy
        .outputs
        .iter()
        .filter(|o| o.quantity > Decimal::ZERO)
        .filter_map(|o| {
            Some(Intensity {
                metric: o.metric.clone(),
                unit: o.unit.clone(),
                tco2e_per_unit: subject.checked_div(o.quantity)?,
            })
        })
        .collect();
    let base = facts.reductions.base.as_ref();
    Figures {
        subject_tco2e: subject,
        credits_tco2e: credits,
        removals_tco2e: removals,
        renewable_energy_pct: facts.energy.renewable_energy_pct,
        green_power_pct: facts.energy.green_power_pct,
        offset_pct: pct(credits, subject),
        removal_pct: pct(removals, subject),
        intensities,
        reduction_tco2e: base.map(|b| b.reduction_tco2e()),
        reduction_pct: base.and_then(|b| b.reduction_pct()),
        formulas: vec![
            Formula {
                figure: "renewable_energy_pct",
                text: Text::new(
                    "renewable share = (on-site renewable electricity used + certificate-covered kWh) ÷ total final energy, in tce (GB/T 2589)",
                    "可再生能源占比 = (自用可再生电力 + 绿证覆盖电量) ÷ 综合能耗，按标准煤计（GB/T 2589）",
                ),
            },
            Formula {
                figure: "green_power_pct",
                text: Text::new(
                    "green-power share = (certificate-covered + on-site renewable kWh used) ÷ all electricity used",
                    "绿电占比 = (绿证覆盖电量 + 自用可再生电量) ÷ 全部用电量",
                ),
            },
            Formula {
                figure: "offset_pct",
                text: Text::new(
                    "credit offset ratio = credits counted ÷ the subject's emissions × 100",
                    "碳信用抵消比例 = 计入的碳信用 ÷ 声明对象排放 × 100",
                ),
            },
            Formula {
                figure: "removal_pct",
                text: Text::new(
                    "removal ratio = removal credits counted ÷ the subject's emissions × 100",
                    "碳清除抵消比例 = 计入的清除类碳信用 ÷ 声明对象排放 × 100",
                ),
            },
            Formula {
                figure: "intensities",
                text: Text::new(
                    "intensity = the subject's emissions ÷ the period's output",
                    "排放强度 = 声明对象排放 ÷ 期间产出",
                ),
            },
            Formula {
                figure: "reduction_tco2e",
                text: Text::new(
                    "reduction = base-year emissions − the period's emissions (subject's scopes)",
                    "减排量 = 基准年排放 − 本期排放（声明对象范围）",
                ),
            },
        ],
    }
}

/// Whether a star level's requirements are met.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum StarStatus {
    Met,
    NotMet,
    /// No threshold was published for this level: the assessor decides.
    AssessorDecides,
}

/// One requirement of a level against its figure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RequirementCheck {
    pub figure: String,
    pub min_pct: Decimal,
    pub found: Option<Decimal>,
    pub met: bool,
}

/// A star level and what is known of its requirements.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Star {
    pub level: u8,
    pub status: StarStatus,
    /// Whether the requirement was confirmed (none when no requirement is published).
    pub confirmed: Option<bool>,
    pub source: Option<String>,
    pub requirements: Vec<RequirementCheck>,
    pub found: Text,
}

/// The level `level` of the pack against the figures.
pub fn star(pack: &Pack, figures: &Figures, level: u8) -> Star {
    let Some(rule) = pack.star_rules.iter().find(|s| s.level == level) else {
        return Star {
            level,
            status: StarStatus::AssessorDecides,
            confirmed: None,
            source: None,
            requirements: Vec::new(),
            found: Text::new(
                "threshold not published: the assessor decides.",
                "门槛未公开：由评价机构判定。",
            ),
        };
    };
    let requirements: Vec<RequirementCheck> = rule
        .requires
        .iter()
        .map(|r| {
            let found = figures.get(&r.figure);
            RequirementCheck {
                figure: r.figure.clone(),
                min_pct: r.min_pct,
                found,
                met: found.is_some_and(|f| f >= r.min_pct),
            }
        })
        .collect();
    let met = requirements.iter().all(|r| r.met);
    let (en, zh): (Vec<String>, Vec<String>) = requirements
        .iter()
        .map(|r| {
            let name = figure_name(&r.figure);
            let (f_en, f_zh) = match r.found {
                Some(f) => (format!("{} %", show_pct(f)), format!("{} %", show_pct(f))),
                None => ("not known".to_string(), "未知".to_string()),
            };
            (
                format!("{} ≥ {} % (found {f_en})", name.en, show(r.min_pct)),
                format!("{} ≥ {} %（实际 {f_zh}）", name.zh, show(r.min_pct)),
            )
        })
        .unzip();
    let caveat = if rule.confirmed {
        Text::default()
    } else {
        Text::new(
            "; this requirement is not confirmed against the standard's text",
            "；该要求未与标准原文核对",
        )
    };
    Star {
        level,
        status: if met {
            StarStatus::Met
        } else {
            StarStatus::NotMet
        },
        confirmed: Some(rule.confirmed),
        source: Some(rule.source.clone()),
        requirements,
        found: Text::new(
            format!("{}{}", en.join(" and "), caveat.en),
            format!("{}{}", zh.join("且"), caveat.zh),
        ),
    }
}

/// Every level of the pack, lowest first.
pub fn stars(pack: &Pack, figures: &Figures) -> Vec<Star> {
    let mut levels = pack.star_levels.clone();
    levels.sort_unstable();
    levels.into_iter().map(|l| star(pack, figures, l)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn row(ind: &str, sub: &str, w: &str, m: &str, s: &str, place: &str) -> ScoreRow {
        ScoreRow {
            indicator: ind.into(),
            sub_item: sub.into(),
            weight: d(w),
            maximum: d(m),
            score: d(s),
            place: Some(place.into()),
        }
    }

    #[test]
    fn a_row_weighs_its_score() {
        assert_eq!(
            row("A", "a", "20", "10", "9", "r2").points(),
            Some(d("18")),
            "a row weighs its score"
        );
        assert_eq!(
            row("A", "a", "10", "10", "7.5", "r2").points(),
            Some(d("7.5")),
            "weight = maximum: the score is the points"
        );
        assert_eq!(
            row("A", "a", "10", "0", "0", "r2").points(),
            None,
            "a row weighs its score"
        );
    }

    #[test]
    fn every_problem_is_named_by_its_place() {
        let table = ScoreTable {
            maximum: d("100"),
            rows: vec![
                row("A", "a", "50", "10", "11", "s.xlsx 评分 row 2"),
                row("A", "b", "-5", "10", "5", "s.xlsx 评分 row 3"),
                row("", "c", "10", "0", "0", "s.xlsx 评分 row 4"),
                row("A", " a ", "10", "10", "5", "s.xlsx 评分 row 5"),
            ],
        };
        let errors = validate(&table);
        let found: Vec<(&str, Option<&str>)> =
            errors.iter().map(|e| (e.code(), e.place())).collect();
        assert_eq!(
            found,
            vec![
                ("ZCF_SCORE_ABOVE_MAXIMUM", Some("s.xlsx 评分 row 2")),
                ("ZCF_NEGATIVE", Some("s.xlsx 评分 row 3")),
                ("ZCF_NAME_MISSING", Some("s.xlsx 评分 row 4")),
                ("ZCF_ITEM_MAXIMUM_ZERO", Some("s.xlsx 评分 row 4")),
                ("ZCF_DUPLICATE_ROW", Some("s.xlsx 评分 row 5")),
                (
                    "ZCF_WEIGHT_SUM",
                    Some("s.xlsx 评分 row 2 – s.xlsx 评分 row 5")
                ),
            ],
            "all problems at once, each where it is"
        );
        assert!(score(&table).is_err(), "a refused table has no score");
        let empty = ScoreTable {
            maximum: d("100"),
            rows: vec![],
        };
        assert_eq!(
            validate(&empty)[0].code(),
            "ZCF_TABLE_EMPTY",
            "every problem is named by its place"
        );
    }

    #[test]
    fn a_row_without_a_place_is_named_by_its_number() {
        let mut r = row("A", "a", "100", "10", "12", "");
        r.place = None;
        let t = ScoreTable {
            maximum: d("100"),
            rows: vec![r],
        };
        assert_eq!(
            validate(&t)[0].place(),
            Some("row 1"),
            "a row without a place is named by its number"
        );
    }
}
