//! Refusals of the certification step, as data: a stable code, the field (named as the workbench
//! names its fields, kebab-case: `from`, `to`, `framework`, `score`; the CLI shows it as `--to`,
//! the desktop as its form field), the place where there is one (a scoring table's row, a pack's
//! rule), and the message in English ([`std::fmt::Display`]) and Chinese
//! ([`ClaimError::message_zh`]). Each message says what happened and what to do.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Serialize, Serializer};

/// Bad input to a certification rule, or a rule pack that cannot be used. Refused before anything
/// is written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ClaimError {
    #[error("{field}: '{input}' is not a date; write YYYY-MM-DD, e.g. 2025-06-30")]
    BadDate { field: &'static str, input: String },
    #[error("{field}: '{input}' is not a year from 1900 to 2200; write it as 2025")]
    BadYear { field: &'static str, input: String },
    #[error("the period ends ({to}) before it starts ({from}); give the first day, then the last")]
    PeriodReversed { from: NaiveDate, to: NaiveDate },
    #[error("the period ends on {to}, after the project's today ({today}); a claim covers a period that is over: choose an earlier end")]
    PeriodInFuture { to: NaiveDate, today: NaiveDate },
    #[error("the project has no activity data yet, so no period can be claimed; record or import the period's data first")]
    PeriodNoData,
    #[error("the period {from} – {to} is longer than the data ({data_from} – {data_to}); record the missing data or choose a period inside the data")]
    PeriodBeyondData {
        field: &'static str,
        from: NaiveDate,
        to: NaiveDate,
        data_from: NaiveDate,
        data_to: NaiveDate,
    },
    #[error("unknown framework '{input}'{}; the frameworks are {}", hint(suggestions), known.join(", "))]
    UnknownFramework {
        input: String,
        suggestions: Vec<String>,
        known: Vec<&'static str>,
    },
    #[error("{framework} has no edition '{input}' in this Lingtan; the editions are {}", known.join(", "))]
    UnknownEdition {
        framework: &'static str,
        input: String,
        known: Vec<&'static str>,
    },
    #[error("unknown verification type '{input}'; write third-party, other-party or self")]
    UnknownVerification { input: String },
    #[error("star level '{input}' is not one of 3, 4, 5 or 6")]
    BadStarLevel { input: String },
    #[error("rule pack {field}: expected '{expected}', found '{found}'")]
    PackMismatch {
        field: String,
        expected: String,
        found: String,
    },
    #[error("rule pack {field}: Lingtan implements no rule '{code}'{}; use a Lingtan that knows it, or a pack for this Lingtan", hint(suggestions))]
    PackUnknownRule {
        field: String,
        code: String,
        suggestions: Vec<String>,
    },
    #[error("rule pack {field}: '{key}' appears twice; each rule, element or level appears once")]
    PackDuplicate { field: String, key: String },
    #[error("rule pack {field}: rule {code} needs the parameter '{param}'")]
    PackParamMissing {
        field: String,
        code: String,
        param: &'static str,
    },
    #[error("rule pack {field}: {value} is outside {range}")]
    PackParamOutOfRange {
        field: String,
        value: String,
        range: &'static str,
    },
    #[error("rule pack {field}: the text is missing (both English and Chinese are required)")]
    PackTextMissing { field: String },
    #[error("rule pack {field}: Lingtan knows no {what} '{key}'")]
    PackUnknownKey {
        field: String,
        what: &'static str,
        key: String,
    },
    #[error("the scoring table has no rows; import the assessor's table (indicator, sub-item, weight, maximum, score)")]
    ScoreTableEmpty,
    #[error("the scoring table's maximum is {maximum}; it must be above 0 (usually 100)")]
    ScoreTableMaximum { maximum: Decimal },
    #[error("{place}: the {field} is empty; every row names its indicator and sub-item")]
    ScoreNameMissing { place: String, field: &'static str },
    #[error("{place}: the {field} {value} is negative; weights, maxima and scores are 0 or more")]
    ScoreNegative {
        place: String,
        field: &'static str,
        value: Decimal,
    },
    #[error("{place}: the maximum is 0; a sub-item's maximum must be above 0 to weigh its score")]
    ScoreItemMaximumZero { place: String },
    #[error(
        "{place}: the score {score} is above the sub-item's maximum {maximum}; check the score"
    )]
    ScoreAboveMaximum {
        place: String,
        score: Decimal,
        maximum: Decimal,
    },
    #[error("{place}: the sub-item '{indicator} / {sub_item}' appears again (first at {first}); each sub-item is scored once")]
    ScoreDuplicate {
        place: String,
        first: String,
        indicator: String,
        sub_item: String,
    },
    #[error("{place}: the weights add up to {sum}, not the table's maximum {maximum}; check the weights")]
    ScoreWeightSum {
        place: String,
        sum: Decimal,
        maximum: Decimal,
    },
}

fn hint(suggestions: &[String]) -> String {
    match suggestions.first() {
        Some(s) => format!(" (did you mean '{s}'?)"),
        None => String::new(),
    }
}

fn hint_zh(suggestions: &[String]) -> String {
    match suggestions.first() {
        Some(s) => format!("（是否为“{s}”？）"),
        None => String::new(),
    }
}

impl ClaimError {
    /// Stable, for the faces to branch on.
    pub fn code(&self) -> &'static str {
        use ClaimError::*;
        match self {
            BadDate { .. } => "CLAIM_BAD_DATE",
            BadYear { .. } => "CLAIM_BAD_YEAR",
            PeriodReversed { .. } => "CLAIM_PERIOD_REVERSED",
            PeriodInFuture { .. } => "CLAIM_PERIOD_IN_FUTURE",
            PeriodNoData => "CLAIM_PERIOD_NO_DATA",
            PeriodBeyondData { .. } => "CLAIM_PERIOD_BEYOND_DATA",
            UnknownFramework { .. } => "CLAIM_UNKNOWN_FRAMEWORK",
            UnknownEdition { .. } => "CLAIM_UNKNOWN_EDITION",
            UnknownVerification { .. } => "CLAIM_UNKNOWN_VERIFICATION",
            BadStarLevel { .. } => "CLAIM_BAD_STAR_LEVEL",
            PackMismatch { .. } => "CLAIM_PACK_MISMATCH",
            PackUnknownRule { .. } => "CLAIM_PACK_UNKNOWN_RULE",
            PackDuplicate { .. } => "CLAIM_PACK_DUPLICATE",
            PackParamMissing { .. } => "CLAIM_PACK_PARAM_MISSING",
            PackParamOutOfRange { .. } => "CLAIM_PACK_PARAM_RANGE",
            PackTextMissing { .. } => "CLAIM_PACK_TEXT_MISSING",
            PackUnknownKey { .. } => "CLAIM_PACK_UNKNOWN_KEY",
            ScoreTableEmpty => "ZCF_TABLE_EMPTY",
            ScoreTableMaximum { .. } => "ZCF_TABLE_MAXIMUM",
            ScoreNameMissing { .. } => "ZCF_NAME_MISSING",
            ScoreNegative { .. } => "ZCF_NEGATIVE",
            ScoreItemMaximumZero { .. } => "ZCF_ITEM_MAXIMUM_ZERO",
            ScoreAboveMaximum { .. } => "ZCF_SCORE_ABOVE_MAXIMUM",
            ScoreDuplicate { .. } => "ZCF_DUPLICATE_ROW",
            ScoreWeightSum { .. } => "ZCF_WEIGHT_SUM",
        }
    }

    /// The field concerned, kebab-case.
    pub fn field(&self) -> &str {
        use ClaimError::*;
        match self {
            BadDate { field, .. } | BadYear { field, .. } | PeriodBeyondData { field, .. } => field,
            PeriodReversed { .. } | PeriodInFuture { .. } => "to",
            PeriodNoData => "from",
            UnknownFramework { .. } | UnknownEdition { .. } => "framework",
            UnknownVerification { .. } => "verification",
            BadStarLevel { .. } => "star-level",
            PackMismatch { field, .. }
            | PackUnknownRule { field, .. }
            | PackDuplicate { field, .. }
            | PackParamMissing { field, .. }
            | PackParamOutOfRange { field, .. }
            | PackTextMissing { field }
            | PackUnknownKey { field, .. } => field,
            ScoreTableEmpty => "scores",
            ScoreTableMaximum { .. } | ScoreItemMaximumZero { .. } => "maximum",
            ScoreAboveMaximum { .. } => "score",
            ScoreNameMissing { field, .. } | ScoreNegative { field, .. } => field,
            ScoreDuplicate { .. } => "sub-item",
            ScoreWeightSum { .. } => "weight",
        }
    }

    /// Where in an imported table or a pack, when the refusal concerns one place.
    pub fn place(&self) -> Option<&str> {
        use ClaimError::*;
        match self {
            ScoreNameMissing { place, .. }
            | ScoreNegative { place, .. }
            | ScoreItemMaximumZero { place }
            | ScoreAboveMaximum { place, .. }
            | ScoreDuplicate { place, .. }
            | ScoreWeightSum { place, .. } => Some(place),
            _ => None,
        }
    }

    pub fn message_en(&self) -> String {
        self.to_string()
    }

    pub fn message_zh(&self) -> String {
        use ClaimError::*;
        match self {
            BadDate { field, input } => {
                format!("{field}：“{input}”不是日期；请写成 YYYY-MM-DD，如 2025-06-30")
            }
            BadYear { field, input } => {
                format!("{field}：“{input}”不是 1900 至 2200 之间的年份；请写成 2025")
            }
            PeriodReversed { from, to } => {
                format!("期间结束日期（{to}）早于开始日期（{from}）；请先写第一天，再写最后一天")
            }
            PeriodInFuture { to, today } => format!(
                "期间结束于 {to}，晚于项目当前日期（{today}）；声明只能覆盖已结束的期间：请选择更早的结束日期"
            ),
            PeriodNoData => {
                "项目尚无活动数据，无法声明任何期间；请先录入或导入该期间的数据".to_string()
            }
            PeriodBeyondData {
                from,
                to,
                data_from,
                data_to,
                ..
            } => format!(
                "期间 {from} 至 {to} 超出了数据范围（{data_from} 至 {data_to}）；请补录缺少的数据，或选择数据范围内的期间"
            ),
            UnknownFramework {
                input,
                suggestions,
                known,
            } => format!(
                "无法识别的框架“{input}”{}；可用的框架为 {}",
                hint_zh(suggestions),
                known.join("、")
            ),
            UnknownEdition {
                framework,
                input,
                known,
            } => format!(
                "本版 Lingtan 没有 {framework} 的“{input}”版本；可用版本为 {}",
                known.join("、")
            ),
            UnknownVerification { input } => format!(
                "无法识别的核查类型“{input}”；请写 third-party（第三方）、other-party（其他方）或 self（自我声明）"
            ),
            BadStarLevel { input } => format!("星级“{input}”不是 3、4、5、6 之一"),
            PackMismatch {
                field,
                expected,
                found,
            } => format!("规则包 {field}：应为“{expected}”，实为“{found}”"),
            PackUnknownRule {
                field,
                code,
                suggestions,
            } => format!(
                "规则包 {field}：Lingtan 未实现规则“{code}”{}；请使用支持该规则的 Lingtan 版本，或适用于本版本的规则包",
                hint_zh(suggestions)
            ),
            PackDuplicate { field, key } => {
                format!("规则包 {field}：“{key}”出现两次；每条规则、要素或星级只能出现一次")
            }
            PackParamMissing { field, code, param } => {
                format!("规则包 {field}：规则 {code} 需要参数“{param}”")
            }
            PackParamOutOfRange {
                field,
                value,
                range,
            } => format!("规则包 {field}：{value} 超出 {range}"),
            PackTextMissing { field } => {
                format!("规则包 {field}：缺少文字（英文和中文均为必填）")
            }
            PackUnknownKey { field, what, key } => {
                format!("规则包 {field}：Lingtan 不认识{}“{key}”", what_zh(what))
            }
            ScoreTableEmpty => {
                "评分表没有任何行；请导入评价机构的评分表（指标、子项、权重、满分、得分）".to_string()
            }
            ScoreTableMaximum { maximum } => {
                format!("评分表总分为 {maximum}；总分必须大于 0（通常为 100）")
            }
            ScoreNameMissing { place, field } => format!(
                "{place}：{}为空；每行都须写明指标和子项",
                field_zh(field)
            ),
            ScoreNegative {
                place,
                field,
                value,
            } => format!(
                "{place}：{} {value} 为负数；权重、满分和得分均须不小于 0",
                field_zh(field)
            ),
            ScoreItemMaximumZero { place } => {
                format!("{place}：满分为 0；子项满分须大于 0，才能按权重折算得分")
            }
            ScoreAboveMaximum {
                place,
                score,
                maximum,
            } => format!("{place}：得分 {score} 高于该子项满分 {maximum}；请核对得分"),
            ScoreDuplicate {
                place,
                first,
                indicator,
                sub_item,
            } => format!(
                "{place}：子项“{indicator} / {sub_item}”重复出现（首次在 {first}）；每个子项只评分一次"
            ),
            ScoreWeightSum {
                place,
                sum,
                maximum,
            } => format!("{place}：权重合计为 {sum}，不等于评分表总分 {maximum}；请核对权重"),
        }
    }
}

fn field_zh(field: &str) -> &str {
    match field {
        "indicator" => "指标",
        "sub-item" => "子项",
        "weight" => "权重",
        "maximum" => "满分",
        "score" => "得分",
        other => other,
    }
}

fn what_zh(what: &str) -> &str {
    match what {
        "QES element" => "QES 要素",
        "figure" => "指标数据",
        other => other,
    }
}

impl Serialize for ClaimError {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("ClaimError", 5)?;
        st.serialize_field("code", self.code())?;
        st.serialize_field("field", self.field())?;
        st.serialize_field("place", &self.place())?;
        st.serialize_field("en", &self.message_en())?;
        st.serialize_field("zh", &self.message_zh())?;
        st.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn samples() -> Vec<ClaimError> {
        let day = |s: &str| s.parse::<NaiveDate>().unwrap();
        vec![
            ClaimError::BadDate {
                field: "from",
                input: "2025-13-01".into(),
            },
            ClaimError::PeriodReversed {
                from: day("2025-07-01"),
                to: day("2025-06-30"),
            },
            ClaimError::PeriodInFuture {
                to: day("2026-12-31"),
                today: day("2026-11-28"),
            },
            ClaimError::PeriodNoData,
            ClaimError::PeriodBeyondData {
                field: "to",
                from: day("2025-01-01"),
                to: day("2025-12-31"),
                data_from: day("2025-01-01"),
                data_to: day("2025-11-30"),
            },
            ClaimError::UnknownFramework {
                input: "pas206".into(),
                suggestions: vec!["pas2060".into()],
                known: vec!["iso14068-1", "pas2060"],
            },
            ClaimError::ScoreAboveMaximum {
                place: "scores.xlsx 评分!F7".into(),
                score: Decimal::from(11),
                maximum: Decimal::from(10),
            },
            ClaimError::ScoreWeightSum {
                place: "scores.xlsx 评分!D2:D20".into(),
                sum: Decimal::from(99),
                maximum: Decimal::from(100),
            },
            ClaimError::PackUnknownRule {
                field: "rule[2].code".into(),
                code: "CLAIM_NOPE".into(),
                suggestions: vec![],
            },
        ]
    }

    #[test]
    fn every_refusal_has_a_code_a_field_and_both_languages() {
        for e in samples() {
            assert!(
                e.code().chars().all(|c| c.is_ascii_uppercase() || c == '_'),
                "{e:?}: codes are SCREAMING_SNAKE_CASE, stable for the faces"
            );
            assert!(!e.field().is_empty(), "{e:?} names its field");
            assert!(
                !e.message_en().is_empty() && !e.message_zh().is_empty(),
                "every refusal has a code a field and both languages"
            );
            assert_ne!(
                e.message_en(),
                e.message_zh(),
                "{e:?}: Chinese is not a copy"
            );
        }
    }

    #[test]
    fn a_scoring_refusal_names_its_place_in_both_languages() {
        let e = &samples()[6];
        assert_eq!(
            e.place(),
            Some("scores.xlsx 评分!F7"),
            "a scoring refusal names its place in both languages"
        );
        assert_eq!(e.field(), "score", "the column at fault");
        for m in [e.message_en(), e.message_zh()] {
            assert!(
                m.contains("scores.xlsx 评分!F7") && m.contains("11") && m.contains("10"),
                "'{m}' names the cell, the score and the maximum"
            );
        }
        let json = serde_json::to_value(e).unwrap();
        assert_eq!(
            json["code"], "ZCF_SCORE_ABOVE_MAXIMUM",
            "a scoring refusal names its place in both languages"
        );
        assert_eq!(
            json["place"], "scores.xlsx 评分!F7",
            "a scoring refusal names its place in both languages"
        );
    }
}
