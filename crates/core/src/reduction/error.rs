//! Refusals of the reduction step, as data: a stable code, the field (named as the workbench's
//! fields are, kebab-case, e.g. `target-year`; the CLI shows it as `--target-year`, the desktop as
//! its form field), and the message in English ([`std::fmt::Display`]) and Chinese
//! ([`ReductionError::message_zh`]). Each message says what happened and what to do.

use crate::units::Unit;
use rust_decimal::Decimal;

/// Bad input to a reduction rule. Refused before anything is written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ReductionError {
    #[error("{field}: a name is required")]
    NameRequired { field: &'static str },
    #[error("year {year} is outside 1900–2200; check the year")]
    YearOutOfRange { field: &'static str, year: i32 },
    #[error("the target year {target_year} must be after the base year {base_year}")]
    TargetYearNotAfterBase { base_year: i32, target_year: i32 },
    #[error(
        "a reduction of {pct} % is outside (0, 100]: give a percentage above 0 and at most 100"
    )]
    ReductionOutOfRange { pct: Decimal },
    #[error("unknown pathway '{input}'{}; the pathways are {}", hint(suggestions), known.join(", "))]
    UnknownPathway {
        input: String,
        suggestions: Vec<String>,
        known: Vec<&'static str>,
    },
    #[error("pathway {pathway} cuts {rate} % of base-year emissions a year: over {years} years that is {pct} %, more than 100 %; choose a target year no later than {latest_target_year}")]
    PathwayExceeds100 {
        pathway: &'static str,
        rate: Decimal,
        years: i32,
        pct: Decimal,
        latest_target_year: i32,
    },
    #[error("the base year {base_year} has no emissions for these scopes ({tco2e} t); a target needs base-year data: record that year's activity first")]
    BaseYearNoData { base_year: i32, tco2e: Decimal },
    #[error("the base year {base_year} has no output for metric '{metric}'; an intensity target needs it: record that year's output first")]
    BaseYearNoOutput { base_year: i32, metric: String },
    #[error("unknown scopes '{input}'; write 1+2, 1+2+3 or 3")]
    UnknownScopes { input: String },
    #[error("a significance threshold of {pct} % is outside (0, 100]")]
    ThresholdOutOfRange { pct: Decimal },
    #[error("a recalculation needs a reason (a structural change, a corrected error, a change of method or factor …)")]
    ReasonRequired,
    #[error("the base year's figures are unchanged ({tco2e} t): there is nothing to recalculate")]
    BaseYearUnchanged { tco2e: Decimal },
    #[error("a discount rate of {pct} % is outside [0, 100)")]
    DiscountRateOutOfRange { pct: Decimal },
    #[error("a lifetime of {years} years is outside 1–100 years")]
    LifetimeOutOfRange { years: u32 },
    #[error("capex {capex} CNY is negative; give the investment as a positive amount (savings go into the energy prices and opex)")]
    NegativeCapex { capex: Decimal },
    #[error("{field}: {value} is beyond 10^15; check the figure")]
    AmountImplausible { field: String, value: Decimal },
    #[error("unknown measure kind '{input}'{}; the kinds are {}", hint(suggestions), known.join(", "))]
    UnknownKind {
        input: String,
        suggestions: Vec<String>,
        known: Vec<&'static str>,
    },
    #[error(
        "unknown measure status '{input}'; write idea, planned, approved, in-progress or done"
    )]
    UnknownStatus { input: String },
    #[error("{field}: '{input}' is not a month; write YYYY-MM, e.g. 2025-07")]
    BadMonth { field: String, input: String },
    #[error("a {kind} measure has no input '{input}'{}; its inputs are {}", hint(suggestions), known.join(", "))]
    UnknownInput {
        kind: &'static str,
        input: String,
        suggestions: Vec<String>,
        known: Vec<&'static str>,
    },
    #[error("a {kind} measure needs '{input}' ({label}) to compute its changes; give it, or give the changes directly")]
    MissingInput {
        kind: &'static str,
        input: &'static str,
        label: &'static str,
    },
    #[error("{input} = {value} is outside {range}")]
    InputOutOfRange {
        input: &'static str,
        value: String,
        range: String,
    },
    #[error("{input} must be {expected}, not '{value}'")]
    InputType {
        input: &'static str,
        expected: &'static str,
        value: String,
    },
    #[error(
        "{field}: no emission source named '{input}'{}",
        hint_quoted(suggestions)
    )]
    UnknownSource {
        field: String,
        input: String,
        suggestions: Vec<String>,
    },
    #[error(
        "{field}: say which source the measure changes{}",
        candidates_en(candidates)
    )]
    MissingSource {
        field: &'static str,
        candidates: Vec<String>,
    },
    #[error("{field}: source '{source_name}' is a {kind} source; this needs {expected}")]
    WrongSourceKind {
        field: &'static str,
        source_name: String,
        kind: String,
        expected: &'static str,
    },
    #[error("change of '{source_name}' in {unit} ({}): the source is kept in {source_unit} ({}); give the change in a unit of {}", unit.dimension().names().0, source_unit.dimension().names().0, source_unit.dimension().names().0)]
    ChangeUnitMismatch {
        source_name: String,
        unit: Unit,
        source_unit: Unit,
    },
    #[error("{field}: the formula gives {unit} for '{source_name}', which is kept in {source_unit}, and no fuel property (net calorific value, density) of the source converts them; add one or give the change directly")]
    NoConversion {
        field: &'static str,
        source_name: String,
        unit: Unit,
        source_unit: Unit,
    },
    #[error("the changes of '{source_name}' add up to {change} {unit}, more than its annual activity of {activity} {unit}: a source's activity cannot go below zero; check the inputs")]
    ChangeExceedsActivity {
        source_name: String,
        change: Decimal,
        activity: Decimal,
        unit: Unit,
    },
    #[error("unknown refrigerant '{input}'; write it as R-32, R-410A, HFC-134a …")]
    UnknownRefrigerant { input: String },
    #[error("price of '{source_name}' per {unit} ({}): the source is kept in {source_unit} ({}); give the price per a unit of {}", unit.dimension().names().0, source_unit.dimension().names().0, source_unit.dimension().names().0)]
    PriceUnitMismatch {
        source_name: String,
        unit: Unit,
        source_unit: Unit,
    },
    #[error("price of '{source_name}' is negative ({price} CNY)")]
    NegativePrice { source_name: String, price: Decimal },
    #[error("{field}: the figures are too large to compute; check them")]
    Overflow { field: String },
}

fn hint(suggestions: &[String]) -> String {
    if suggestions.is_empty() {
        String::new()
    } else {
        format!("; did you mean {}?", suggestions.join(", "))
    }
}

fn hint_quoted(suggestions: &[String]) -> String {
    if suggestions.is_empty() {
        String::new()
    } else {
        let q: Vec<String> = suggestions.iter().map(|s| format!("'{s}'")).collect();
        format!("; did you mean {}?", q.join(", "))
    }
}

fn hint_zh(suggestions: &[String]) -> String {
    if suggestions.is_empty() {
        String::new()
    } else {
        let q: Vec<String> = suggestions.iter().map(|s| format!("“{s}”")).collect();
        format!("；是否指：{}", q.join("、"))
    }
}

fn candidates_en(candidates: &[String]) -> String {
    if candidates.is_empty() {
        "; the project has no source of the kind it needs".to_string()
    } else {
        let q: Vec<String> = candidates.iter().map(|s| format!("'{s}'")).collect();
        format!(": one of {}", q.join(", "))
    }
}

impl ReductionError {
    /// The stable code the faces branch on.
    pub fn code(&self) -> &'static str {
        use ReductionError::*;
        match self {
            NameRequired { .. } => "NAME_REQUIRED",
            YearOutOfRange { .. } => "YEAR_OUT_OF_RANGE",
            TargetYearNotAfterBase { .. } => "TARGET_YEAR_NOT_AFTER_BASE",
            ReductionOutOfRange { .. } => "REDUCTION_OUT_OF_RANGE",
            UnknownPathway { .. } => "UNKNOWN_PATHWAY",
            PathwayExceeds100 { .. } => "PATHWAY_EXCEEDS_100",
            BaseYearNoData { .. } => "BASE_YEAR_NO_DATA",
            BaseYearNoOutput { .. } => "BASE_YEAR_NO_OUTPUT",
            UnknownScopes { .. } => "UNKNOWN_SCOPES",
            ThresholdOutOfRange { .. } => "THRESHOLD_OUT_OF_RANGE",
            ReasonRequired => "REASON_REQUIRED",
            BaseYearUnchanged { .. } => "BASE_YEAR_UNCHANGED",
            DiscountRateOutOfRange { .. } => "DISCOUNT_RATE_OUT_OF_RANGE",
            LifetimeOutOfRange { .. } => "LIFETIME_OUT_OF_RANGE",
            NegativeCapex { .. } => "NEGATIVE_CAPEX",
            AmountImplausible { .. } => "AMOUNT_IMPLAUSIBLE",
            UnknownKind { .. } => "UNKNOWN_MEASURE_KIND",
            UnknownStatus { .. } => "UNKNOWN_MEASURE_STATUS",
            BadMonth { .. } => "BAD_MONTH",
            UnknownInput { .. } => "UNKNOWN_INPUT",
            MissingInput { .. } => "MISSING_INPUT",
            InputOutOfRange { .. } => "INPUT_OUT_OF_RANGE",
            InputType { .. } => "INPUT_TYPE",
            UnknownSource { .. } => "UNKNOWN_SOURCE",
            MissingSource { .. } => "MISSING_SOURCE",
            WrongSourceKind { .. } => "WRONG_SOURCE_KIND",
            ChangeUnitMismatch { .. } => "CHANGE_UNIT_MISMATCH",
            NoConversion { .. } => "NO_CONVERSION",
            ChangeExceedsActivity { .. } => "CHANGE_EXCEEDS_ACTIVITY",
            UnknownRefrigerant { .. } => "UNKNOWN_REFRIGERANT",
            PriceUnitMismatch { .. } => "PRICE_UNIT_MISMATCH",
            NegativePrice { .. } => "NEGATIVE_PRICE",
            Overflow { .. } => "NUMBER_TOO_LARGE",
        }
    }

    /// The field the refusal concerns, kebab-case (`target-year`, `kwp`, `change` …).
    pub fn field(&self) -> String {
        use ReductionError::*;
        match self {
            NameRequired { field } | YearOutOfRange { field, .. } => field.to_string(),
            TargetYearNotAfterBase { .. } | PathwayExceeds100 { .. } => "target-year".into(),
            ReductionOutOfRange { .. } => "reduction".into(),
            UnknownPathway { .. } => "pathway".into(),
            BaseYearNoData { .. } | BaseYearUnchanged { .. } => "base-year".into(),
            BaseYearNoOutput { .. } => "metric".into(),
            UnknownScopes { .. } => "scopes".into(),
            ThresholdOutOfRange { .. } => "threshold".into(),
            ReasonRequired => "reason".into(),
            DiscountRateOutOfRange { .. } => "discount-rate".into(),
            LifetimeOutOfRange { .. } => "lifetime".into(),
            NegativeCapex { .. } => "capex".into(),
            AmountImplausible { field, .. }
            | BadMonth { field, .. }
            | UnknownSource { field, .. }
            | Overflow { field } => field.clone(),
            UnknownKind { .. } => "kind".into(),
            UnknownStatus { .. } => "status".into(),
            UnknownInput { input, .. } => input.clone(),
            MissingInput { input, .. }
            | InputOutOfRange { input, .. }
            | InputType { input, .. } => input.to_string(),
            MissingSource { field, .. }
            | WrongSourceKind { field, .. }
            | NoConversion { field, .. } => field.to_string(),
            ChangeUnitMismatch { .. } | ChangeExceedsActivity { .. } => "change".into(),
            UnknownRefrigerant { .. } => "refrigerant".into(),
            PriceUnitMismatch { .. } | NegativePrice { .. } => "price".into(),
        }
    }

    /// The message in English (the same as `Display`).
    pub fn message_en(&self) -> String {
        self.to_string()
    }

    /// The message in Chinese.
    pub fn message_zh(&self) -> String {
        use ReductionError::*;
        match self {
            NameRequired { field } => format!("{field}：须填写名称"),
            YearOutOfRange { year, .. } => format!("年份 {year} 超出 1900–2200 的范围；请检查"),
            TargetYearNotAfterBase {
                base_year,
                target_year,
            } => format!("目标年 {target_year} 须晚于基准年 {base_year}"),
            ReductionOutOfRange { pct } => {
                format!("减排比例 {pct} % 超出 (0, 100] 的范围：请填写大于 0 且不超过 100 的百分数")
            }
            UnknownPathway {
                input,
                suggestions,
                known,
            } => format!(
                "未知的减排路径“{input}”{}；可用路径：{}",
                hint_zh(suggestions),
                known.join("、")
            ),
            PathwayExceeds100 {
                pathway,
                rate,
                years,
                pct,
                latest_target_year,
            } => format!(
                "路径 {pathway} 每年减少基准年排放的 {rate} %：{years} 年共 {pct} %，超过 100 %；目标年请不晚于 {latest_target_year} 年"
            ),
            BaseYearNoData { base_year, tco2e } => format!(
                "基准年 {base_year} 在这些范围内没有排放（{tco2e} t）；设定目标需要基准年数据：请先录入该年的活动数据"
            ),
            BaseYearNoOutput { base_year, metric } => format!(
                "基准年 {base_year} 没有指标“{metric}”的产出数据；强度目标需要它：请先录入该年的产出"
            ),
            UnknownScopes { input } => format!("无法识别的范围“{input}”；请写 1+2、1+2+3 或 3"),
            ThresholdOutOfRange { pct } => format!("显著性阈值 {pct} % 超出 (0, 100] 的范围"),
            ReasonRequired => {
                "重新计算须注明原因（结构变化、发现的错误、方法或因子变更 …）".to_string()
            }
            BaseYearUnchanged { tco2e } => {
                format!("基准年数据未变化（{tco2e} t）：无需重新计算")
            }
            DiscountRateOutOfRange { pct } => format!("折现率 {pct} % 超出 [0, 100) 的范围"),
            LifetimeOutOfRange { years } => format!("寿命 {years} 年超出 1–100 年的范围"),
            NegativeCapex { capex } => format!(
                "投资额 {capex} 元为负数；请以正数填写投资（节省的费用体现在能源价格和运行费用中）"
            ),
            AmountImplausible { field, value } => {
                format!("{field}：{value} 超过 10^15；请检查数值")
            }
            UnknownKind {
                input,
                suggestions,
                known,
            } => format!(
                "未知的措施类型“{input}”{}；可用类型：{}",
                hint_zh(suggestions),
                known.join("、")
            ),
            UnknownStatus { input } => format!(
                "无法识别的措施状态“{input}”；请写 idea、planned、approved、in-progress 或 done"
            ),
            BadMonth { field, input } => {
                format!("{field}：“{input}”不是有效月份；请写成 YYYY-MM，如 2025-07")
            }
            UnknownInput {
                kind,
                input,
                suggestions,
                known,
            } => format!(
                "{kind} 类措施没有输入项“{input}”{}；其输入项为：{}",
                hint_zh(suggestions),
                known.join("、")
            ),
            MissingInput { kind, input, .. } => format!(
                "{kind} 类措施需要输入“{input}”才能计算变化量；请填写，或直接给出变化量"
            ),
            InputOutOfRange {
                input,
                value,
                range,
            } => format!("{input} = {value} 超出 {range} 的范围"),
            InputType {
                input,
                expected,
                value,
            } => format!("{input} 须为{}，而不是“{value}”", expected_zh(expected)),
            UnknownSource {
                field,
                input,
                suggestions,
            } => format!("{field}：没有名为“{input}”的排放源{}", hint_zh(suggestions)),
            MissingSource { field, candidates } => {
                if candidates.is_empty() {
                    format!("{field}：请指定措施影响的排放源；项目中没有所需类型的排放源")
                } else {
                    let q: Vec<String> = candidates.iter().map(|s| format!("“{s}”")).collect();
                    format!("{field}：请指定措施影响的排放源：{} 之一", q.join("、"))
                }
            }
            WrongSourceKind {
                field,
                source_name,
                kind,
                expected,
            } => format!(
                "{field}：排放源“{source_name}”的类型为 {kind}；此处需要 {}",
                expected_zh(expected)
            ),
            ChangeUnitMismatch {
                source_name,
                unit,
                source_unit,
            } => format!(
                "排放源“{source_name}”的变化量以 {unit}（{}）计，而该排放源以 {source_unit}（{}）计；请用{}单位填写变化量",
                unit.dimension().names().1,
                source_unit.dimension().names().1,
                source_unit.dimension().names().1
            ),
            NoConversion {
                field,
                source_name,
                unit,
                source_unit,
            } => format!(
                "{field}：公式得出排放源“{source_name}”的 {unit}，而该排放源以 {source_unit} 计，且没有可用于换算的燃料参数（低位发热量、密度）；请添加参数或直接给出变化量"
            ),
            ChangeExceedsActivity {
                source_name,
                change,
                activity,
                unit,
            } => format!(
                "排放源“{source_name}”的变化量合计 {change} {unit}，超过其年活动量 {activity} {unit}：活动量不能低于零；请检查输入"
            ),
            UnknownRefrigerant { input } => {
                format!("无法识别的制冷剂“{input}”；请写成 R-32、R-410A、HFC-134a 等")
            }
            PriceUnitMismatch {
                source_name,
                unit,
                source_unit,
            } => format!(
                "排放源“{source_name}”的价格按 {unit}（{}）计，而该排放源以 {source_unit}（{}）计；请按{}单位填写价格",
                unit.dimension().names().1,
                source_unit.dimension().names().1,
                source_unit.dimension().names().1
            ),
            NegativePrice { source_name, price } => {
                format!("排放源“{source_name}”的价格为负数（{price} 元）")
            }
            Overflow { field } => format!("{field}：数值过大，无法计算；请检查"),
        }
    }
}

/// The Chinese for the few English descriptions that appear inside messages.
fn expected_zh(expected: &str) -> &str {
    match expected {
        "a number" => "数字",
        "a refrigerant or gas name" => "制冷剂或气体名称",
        "an electricity source" => "外购电力类排放源",
        "a stationary combustion source" => "固定燃烧类排放源",
        "a mobile combustion source" => "移动燃烧类排放源",
        "a fugitive (refrigerant) source" => "逸散（制冷剂）类排放源",
        "an energy source (fuel, electricity, heat or steam)" => {
            "能源类排放源（燃料、电力、热力或蒸汽）"
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_refusal_has_a_code_a_field_and_both_languages() {
        let samples = vec![
            ReductionError::TargetYearNotAfterBase {
                base_year: 2024,
                target_year: 2024,
            },
            ReductionError::ReasonRequired,
            ReductionError::ChangeUnitMismatch {
                source_name: "Grid power".into(),
                unit: Unit::M3,
                source_unit: Unit::KWh,
            },
            ReductionError::MissingSource {
                field: "electricity-source",
                candidates: vec![],
            },
        ];
        for e in samples {
            assert!(
                !e.code().is_empty() && e.code() == e.code().to_ascii_uppercase(),
                "every refusal has a code a field and both languages"
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
    fn a_unit_mismatch_names_both_units_and_dimensions() {
        let e = ReductionError::ChangeUnitMismatch {
            source_name: "Grid power".into(),
            unit: Unit::M3,
            source_unit: Unit::KWh,
        };
        let en = e.message_en();
        for part in ["Grid power", "m³", "volume", "kWh", "energy"] {
            assert!(en.contains(part), "'{en}' should name {part}");
        }
        let zh = e.message_zh();
        for part in ["Grid power", "m³", "体积", "kWh", "能量"] {
            assert!(zh.contains(part), "'{zh}' should name {part}");
        }
    }
}
