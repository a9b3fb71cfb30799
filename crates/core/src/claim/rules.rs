//! The rules of the certification step, each implemented once and keyed by its stable code.
//!
//! A rule reads the [`Facts`] (and its pack entry's parameters) and says whether it holds, what
//! it found and where. The pack decides whether the rule applies to a framework, its clause and
//! its severity; [`super::check::evaluate`] turns a finding into a pass, warn or fail.
//!
//! | code | holds when |
//! |---|---|
//! | `CLAIM_INVENTORY_NO_ERRORS` | the period's inventory has no error |
//! | `CLAIM_INVENTORY_EVERY_MONTH` | every energy source has data in every month of the period |
//! | `CLAIM_INVENTORY_BASE_YEAR` | a base year with emissions is set, not after the period |
//! | `CLAIM_SUBJECT_SCOPE12_COMPLETE` | every scope 1 and 2 source is in the subject |
//! | `CLAIM_SUBJECT_SCOPE3_MATERIAL` | no scope 3 source above `min_pct` % of the footprint is left out |
//! | `CLAIM_SUBJECT_FOOTPRINT_SHARE` | the subject is at least `min_pct` % of the footprint; every exclusion is justified |
//! | `CLAIM_SUBJECT_TRANSPORT_AND_PRODUCTS` | the subject holds transport (ISO 14064-1 category 3) and purchased products (category 4), and no source of either is left out |
//! | `CLAIM_PLAN_TARGETS_AND_MEASURES` | the plan has a target and a measure planned or done |
//! | `CLAIM_PLAN_REVIEWED` | the plan was reviewed within `months` before the statement date (or the period's end) |
//! | `CLAIM_REDUCTION_BEFORE_OFFSET` | a reduction is shown (base year or previous period) or planned |
//! | `CLAIM_OFFSET_ONLY_FIRST_PERIOD` | first period, or an absolute or intensity reduction against the previous period |
//! | `CLAIM_CREDITS_PASS_CHECKS` | every credit retired for the period passes the offset step's ✗ checks (warnings: caveat) |
//! | `CLAIM_CREDITS_RETIRED_AFTER_PERIOD_END` | every credit retired no later than `months` after the period's end |
//! | `CLAIM_CREDITS_RETIRED_AFTER_DECLARATION` | every credit retired no later than `months` after the declaration date |
//! | `CLAIM_COVERAGE_FULL` | the credits counted cover 100 % of the subject's emissions |
//! | `CLAIM_VERIFICATION_STATED` | the verification type is stated, with its body for third or other party (self: caveat) |
//! | `CLAIM_VALIDATION_STATED` | the validation type is stated, with its body for third or other party |
//! | `CLAIM_EVIDENCE_ATTACHED` | every record used has evidence |
//! | `CLAIM_STATEMENT_DATE` | the statement date is set, not before the period's end |
//! | `CLAIM_ZCF_SCORES_ENTERED` | the assessor's scoring table is entered and valid |
//! | `CLAIM_ZCF_STAR_LEVEL` | a star level is stated and meets the requirements published for it |

use super::facts::{Assurance, CreditFact, Facts};
use super::pack::{Pack, PackRule, Param};
use super::{pct, show, show_pct, zcf, Place, PlaceKind, Text};
use crate::source::Scope;
use chrono::{Datelike, Months, NaiveDate};
use rust_decimal::Decimal;

/// What a rule reads.
#[derive(Debug, Clone, Copy)]
pub struct Ctx<'a> {
    pub pack: &'a Pack,
    pub rule: &'a PackRule,
    pub facts: &'a Facts,
}

/// Whether a rule holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Holds {
    Yes,
    /// Does not hold: the pack's severity applies.
    No,
    /// Holds, with something a reviewer must read: a warning whatever the severity.
    Caveat,
}

/// What a rule found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub holds: Holds,
    pub found: Text,
    /// What to do, when more precise than the pack's.
    pub todo: Option<Text>,
    pub places: Vec<Place>,
}

impl Finding {
    fn yes(en: impl Into<String>, zh: impl Into<String>) -> Finding {
        Finding {
            holds: Holds::Yes,
            found: Text::new(en, zh),
            todo: None,
            places: Vec::new(),
        }
    }

    fn no(en: impl Into<String>, zh: impl Into<String>, places: Vec<Place>) -> Finding {
        Finding {
            holds: Holds::No,
            found: Text::new(en, zh),
            todo: None,
            places,
        }
    }

    fn todo(mut self, en: impl Into<String>, zh: impl Into<String>) -> Finding {
        self.todo = Some(Text::new(en, zh));
        self
    }
}

/// A rule: its code, the parameters its pack entry must give, and its implementation.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    pub code: &'static str,
    pub params: &'static [Param],
    pub eval: fn(&Ctx) -> Finding,
}

/// Every rule this Lingtan implements.
pub const RULES: &[Rule] = &[
    Rule {
        code: "CLAIM_INVENTORY_NO_ERRORS",
        params: &[],
        eval: inventory_no_errors,
    },
    Rule {
        code: "CLAIM_INVENTORY_EVERY_MONTH",
        params: &[],
        eval: inventory_every_month,
    },
    Rule {
        code: "CLAIM_INVENTORY_BASE_YEAR",
        params: &[],
        eval: inventory_base_year,
    },
    Rule {
        code: "CLAIM_SUBJECT_SCOPE12_COMPLETE",
        params: &[],
        eval: subject_scope12_complete,
    },
    Rule {
        code: "CLAIM_SUBJECT_SCOPE3_MATERIAL",
        params: &[Param::MinPct],
        eval: subject_scope3_material,
    },
    Rule {
        code: "CLAIM_SUBJECT_FOOTPRINT_SHARE",
        params: &[Param::MinPct],
        eval: subject_footprint_share,
    },
    Rule {
        code: "CLAIM_SUBJECT_TRANSPORT_AND_PRODUCTS",
        params: &[],
        eval: subject_transport_and_products,
    },
    Rule {
        code: "CLAIM_PLAN_TARGETS_AND_MEASURES",
        params: &[],
        eval: plan_targets_and_measures,
    },
    Rule {
        code: "CLAIM_PLAN_REVIEWED",
        params: &[Param::Months],
        eval: plan_reviewed,
    },
    Rule {
        code: "CLAIM_REDUCTION_BEFORE_OFFSET",
        params: &[],
        eval: reduction_before_offset,
    },
    Rule {
        code: "CLAIM_OFFSET_ONLY_FIRST_PERIOD",
        params: &[],
        eval: offset_only_first_period,
    },
    Rule {
        code: "CLAIM_CREDITS_PASS_CHECKS",
        params: &[],
        eval: credits_pass_checks,
    },
    Rule {
        code: PERIOD_END_WINDOW,
        params: &[Param::Months],
        eval: credits_retired_in_window,
    },
    Rule {
        code: DECLARATION_WINDOW,
        params: &[Param::Months],
        eval: credits_retired_in_window,
    },
    Rule {
        code: "CLAIM_COVERAGE_FULL",
        params: &[],
        eval: coverage_full,
    },
    Rule {
        code: "CLAIM_VERIFICATION_STATED",
        params: &[],
        eval: verification_stated,
    },
    Rule {
        code: "CLAIM_VALIDATION_STATED",
        params: &[],
        eval: validation_stated,
    },
    Rule {
        code: "CLAIM_EVIDENCE_ATTACHED",
        params: &[],
        eval: evidence_attached,
    },
    Rule {
        code: "CLAIM_STATEMENT_DATE",
        params: &[],
        eval: statement_date,
    },
    Rule {
        code: "CLAIM_ZCF_SCORES_ENTERED",
        params: &[],
        eval: zcf_scores_entered,
    },
    Rule {
        code: "CLAIM_ZCF_STAR_LEVEL",
        params: &[],
        eval: zcf_star_level,
    },
];

const PERIOD_END_WINDOW: &str = "CLAIM_CREDITS_RETIRED_AFTER_PERIOD_END";
const DECLARATION_WINDOW: &str = "CLAIM_CREDITS_RETIRED_AFTER_DECLARATION";

/// The rule with `code`.
pub fn find(code: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.code == code)
}

/// At most five labels, then how many more.
fn listed(labels: impl IntoIterator<Item = String>) -> (String, String) {
    let all: Vec<String> = labels.into_iter().collect();
    let shown = all.iter().take(5).cloned().collect::<Vec<_>>().join("; ");
    if all.len() > 5 {
        let more = all.len() - 5;
        (
            format!("{shown} … and {more} more"),
            format!("{shown} … 等另 {more} 项"),
        )
    } else {
        (shown.clone(), shown)
    }
}

/// `1 credit`, `3 credits`.
fn n(count: usize, one: &str, many: &str) -> String {
    if count == 1 {
        format!("1 {one}")
    } else {
        format!("{count} {many}")
    }
}

/// `is` for one, `are` for more.
fn is_are(count: usize) -> &'static str {
    if count == 1 {
        "is"
    } else {
        "are"
    }
}

fn months_text(months: &[crate::offset::YearMonth]) -> String {
    months
        .iter()
        .map(|m| m.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

fn inventory_no_errors(c: &Ctx) -> Finding {
    let errors = &c.facts.inventory.errors;
    if errors.is_empty() {
        return Finding::yes(
            format!("The inventory of {} has no errors.", c.facts.period.label()),
            format!("{} 的盘查没有错误。", c.facts.period.label()),
        );
    }
    let (en, zh): (Vec<String>, Vec<String>) = errors
        .iter()
        .map(|e| {
            (
                format!("{} at {}: {}", e.code, e.place.label, e.text.en),
                format!("{}（{}）：{}", e.code, e.place.label, e.text.zh),
            )
        })
        .unzip();
    Finding::no(
        format!(
            "{}: {}",
            n(errors.len(), "inventory error", "inventory errors"),
            listed(en).0
        ),
        format!("盘查有 {} 个错误：{}", errors.len(), listed(zh).1),
        errors.iter().map(|e| e.place.clone()).collect(),
    )
}

fn inventory_every_month(c: &Ctx) -> Finding {
    let gaps: Vec<_> = c
        .facts
        .inventory
        .gaps
        .iter()
        .filter(|g| !g.months.is_empty())
        .collect();
    let months = c.facts.period.months().len();
    if gaps.is_empty() {
        return Finding::yes(
            format!("Every energy source has data in each of the period's {months} months."),
            format!("每个能源类排放源在该期间的 {months} 个月均有数据。"),
        );
    }
    let missing: usize = gaps.iter().map(|g| g.months.len()).sum();
    let lines = gaps
        .iter()
        .map(|g| format!("{}: {}", g.source.label, months_text(&g.months)));
    let (en, zh) = listed(lines);
    Finding::no(
        format!(
            "{} {} {} of data: {en}",
            n(gaps.len(), "energy source", "energy sources"),
            if gaps.len() == 1 { "misses" } else { "miss" },
            n(missing, "month", "months")
        ),
        format!(
            "{} 个能源类排放源共缺 {missing} 个月的数据：{zh}",
            gaps.len()
        ),
        gaps.iter().map(|g| g.source.clone()).collect(),
    )
}

fn inventory_base_year(c: &Ctx) -> Finding {
    let place = || vec![Place::setting("base-year")];
    match c.facts.inventory.base_year {
        None => Finding::no("No base year is set.", "未设定基准年。", place()),
        Some(b) if b.tco2e <= Decimal::ZERO => Finding::no(
            format!(
                "The base year {} has no emissions recorded ({} tCO2e).",
                b.year,
                show(b.tco2e)
            ),
            format!(
                "基准年 {} 没有排放数据（{} tCO2e）。",
                b.year,
                show(b.tco2e)
            ),
            place(),
        ),
        Some(b) if b.year > c.facts.period.to().year() => Finding::no(
            format!(
                "The base year {} is after the period {}.",
                b.year,
                c.facts.period.label()
            ),
            format!(
                "基准年 {} 晚于声明期间 {}。",
                b.year,
                c.facts.period.label()
            ),
            place(),
        ),
        Some(b) => Finding::yes(
            format!("Base year {}: {} tCO2e.", b.year, show(b.tco2e)),
            format!("基准年 {}：{} tCO2e。", b.year, show(b.tco2e)),
        ),
    }
}

fn subject_scope12_complete(c: &Ctx) -> Finding {
    let s12: Vec<_> = c
        .facts
        .inventory
        .sources
        .iter()
        .filter(|s| s.scope != Scope::Three)
        .collect();
    if s12.is_empty() {
        return Finding::no(
            "No scope 1 or scope 2 source is recorded.",
            "没有记录任何范围一或范围二排放源。",
            vec![Place::new(PlaceKind::Inventory, None, "sources")],
        );
    }
    let out: Vec<_> = s12.iter().filter(|s| !s.in_subject).collect();
    if out.is_empty() {
        let t: Decimal = s12.iter().map(|s| s.tco2e).sum();
        return Finding::yes(
            format!(
                "Every scope 1 and 2 source ({} of them, {} tCO2e) is in the subject.",
                s12.len(),
                show(t)
            ),
            format!(
                "全部 {} 个范围一、二排放源（{} tCO2e）均在声明对象内。",
                s12.len(),
                show(t)
            ),
        );
    }
    let t: Decimal = out.iter().map(|s| s.tco2e).sum();
    let (en, zh) = listed(
        out.iter()
            .map(|s| format!("{} ({} t)", s.place.label, show(s.tco2e))),
    );
    let excluded = out.iter().filter(|s| s.exclusion.is_some()).count();
    let (why_en, why_zh) = match excluded {
        0 => (String::new(), String::new()),
        1 => (
            " (one excluded with a reason: a reason does not make a scope 1 or 2 exclusion acceptable)".to_string(),
            "（其中 1 个已注明排除理由：范围一、二排放源有理由也不得排除）".to_string(),
        ),
        k => (
            format!(" ({k} excluded with a reason: a reason does not make a scope 1 or 2 exclusion acceptable)"),
            format!("（其中 {k} 个已注明排除理由：范围一、二排放源有理由也不得排除）"),
        ),
    };
    let names = out
        .iter()
        .map(|s| format!("'{}'", s.place.label))
        .collect::<Vec<_>>();
    Finding::no(
        format!(
            "{} ({} tCO2e) {} outside the subject{why_en}: {en}",
            n(out.len(), "scope 1 or 2 source", "scope 1 or 2 sources"),
            show(t),
            is_are(out.len())
        ),
        format!(
            "{} 个范围一或范围二排放源（{} tCO2e）不在声明对象内{why_zh}：{zh}",
            out.len(),
            show(t)
        ),
        out.iter().map(|s| s.place.clone()).collect(),
    )
    .todo(
        format!(
            "Include {} in the subject (lingtan claim subject PROJECT --framework {} --source NAME --include or --clear, or the claim settings' Subject part).",
            names.join(" and "),
            c.pack.framework
        ),
        format!(
            "将 {} 纳入声明对象（lingtan claim subject 项目 --framework {} --source 名称 --include 或 --clear，或在声明设置的“声明主体”部分操作）。",
            names.join("、"),
            c.pack.framework
        ),
    )
}

/// A pack entry without the parameter its rule needs (a pack that skipped [`Pack::validate`]):
/// the rule cannot be checked, and says so.
fn no_param(c: &Ctx, param: Param) -> Finding {
    Finding::no(
        format!(
            "The rule pack gives no '{}' for {}: it cannot be checked.",
            param.name(),
            c.rule.code
        ),
        format!(
            "规则包未给出 {} 的参数“{}”：无法检查。",
            c.rule.code,
            param.name()
        ),
        Vec::new(),
    )
    .todo(
        "Use a rule pack that passes validation.",
        "请使用通过校验的规则包。",
    )
}

fn subject_scope3_material(c: &Ctx) -> Finding {
    let inv = &c.facts.inventory;
    let total = inv.footprint_tco2e();
    let Some(threshold) = c.rule.params.min_pct else {
        return no_param(c, Param::MinPct);
    };
    if total <= Decimal::ZERO {
        return Finding::no(
            format!(
                "The footprint is {} tCO2e: shares cannot be computed.",
                show(total)
            ),
            format!("碳足迹为 {} tCO2e：无法计算占比。", show(total)),
            vec![Place::new(PlaceKind::Inventory, None, "sources")],
        );
    }
    let material: Vec<_> = inv
        .sources
        .iter()
        .filter(|s| s.scope == Scope::Three && !s.in_subject)
        .filter_map(|s| {
            let share = pct(s.tco2e, total)?;
            (share > threshold).then_some((s, share))
        })
        .collect();
    if material.is_empty() {
        return Finding::yes(
            format!(
                "No scope 3 source above {} % of the footprint ({} tCO2e) is left out of the subject.",
                show(threshold),
                show(total)
            ),
            format!(
                "没有占碳足迹（{} tCO2e）{} % 以上的范围三排放源被排除在声明对象之外。",
                show(total),
                show(threshold)
            ),
        );
    }
    let (en, zh) = listed(material.iter().map(|(s, p)| {
        format!(
            "{} ({} t, {} %)",
            s.place.label,
            show(s.tco2e),
            show_pct(*p)
        )
    }));
    let names = material
        .iter()
        .map(|(s, _)| format!("'{}'", s.place.label))
        .collect::<Vec<_>>();
    Finding::no(
        format!(
            "{} above {} % of the footprint {} left out of the subject: {en}",
            n(material.len(), "scope 3 source", "scope 3 sources"),
            show(threshold),
            is_are(material.len())
        ),
        format!(
            "{} 个占碳足迹 {} % 以上的范围三排放源不在声明对象内：{zh}",
            material.len(),
            show(threshold)
        ),
        material.iter().map(|(s, _)| s.place.clone()).collect(),
    )
    .todo(
        format!(
            "Include {} in the subject (lingtan claim subject PROJECT --framework {} --source NAME --include, or Include in the claim settings' Subject part); a source above {} % cannot be excluded, even with a reason.",
            names.join(" and "),
            c.pack.framework,
            show(threshold)
        ),
        format!(
            "将 {} 纳入声明对象（lingtan claim subject 项目 --framework {} --source 名称 --include，或在声明设置的“声明主体”部分点“纳入”）；占比超过 {} % 的排放源即使说明理由也不能排除。",
            names.join("、"),
            c.pack.framework,
            show(threshold)
        ),
    )
}

fn subject_footprint_share(c: &Ctx) -> Finding {
    let inv = &c.facts.inventory;
    let Some(threshold) = c.rule.params.min_pct else {
        return no_param(c, Param::MinPct);
    };
    let Some(share) = inv.subject_share_pct() else {
        return Finding::no(
            format!(
                "The footprint is {} tCO2e: the subject's share cannot be computed.",
                show(inv.footprint_tco2e())
            ),
            format!(
                "碳足迹为 {} tCO2e：无法计算声明对象的占比。",
                show(inv.footprint_tco2e())
            ),
            vec![Place::new(PlaceKind::Inventory, None, "sources")],
        );
    };
    let unjustified: Vec<_> = inv
        .sources
        .iter()
        .filter(|s| !s.in_subject && s.exclusion.as_ref().is_none_or(Text::is_blank))
        .collect();
    let share_text = (
        format!(
            "The subject ({} tCO2e) is {} % of the footprint ({} tCO2e)",
            show(inv.subject_tco2e()),
            show_pct(share),
            show(inv.footprint_tco2e())
        ),
        format!(
            "声明对象（{} tCO2e）占碳足迹（{} tCO2e）的 {} %",
            show(inv.subject_tco2e()),
            show(inv.footprint_tco2e()),
            show_pct(share)
        ),
    );
    if share < threshold {
        return Finding::no(
            format!("{}, below {} %.", share_text.0, show(threshold)),
            format!("{}，低于 {} %。", share_text.1, show(threshold)),
            inv.sources
                .iter()
                .filter(|s| !s.in_subject)
                .map(|s| s.place.clone())
                .collect(),
        );
    }
    if !unjustified.is_empty() {
        let (en, zh) = listed(unjustified.iter().map(|s| s.place.label.clone()));
        return Finding::no(
            format!(
                "{}; {} no justification: {en}",
                share_text.0,
                n(unjustified.len(), "exclusion has", "exclusions have")
            ),
            format!(
                "{}；{} 项排除没有说明理由：{zh}",
                share_text.1,
                unjustified.len()
            ),
            unjustified.iter().map(|s| s.place.clone()).collect(),
        )
        .todo(
            format!(
                "For each of {en}: include it in the subject, or exclude it with the reason it is left out (lingtan claim subject PROJECT --framework {} --source NAME --include, or --exclude --reason TEXT; or the claim settings' Subject part).",
                c.pack.framework
            ),
            format!(
                "对 {zh} 逐一处理：纳入声明对象，或排除并说明理由（lingtan claim subject 项目 --framework {} --source 名称 --include，或 --exclude --reason 理由；或在声明设置的“声明主体”部分操作）。",
                c.pack.framework
            ),
        );
    }
    Finding::yes(
        format!("{}; every exclusion is justified.", share_text.0),
        format!("{}；每项排除均已说明理由。", share_text.1),
    )
}

fn subject_transport_and_products(c: &Ctx) -> Finding {
    let inv = &c.facts.inventory;
    // Type II covers every transport and purchased-products source: one left out fails, with a
    // reason or without
    let out: Vec<_> = inv
        .sources
        .iter()
        .filter(|s| !s.in_subject && matches!(s.category.0, 3 | 4))
        .collect();
    if !out.is_empty() {
        let t: Decimal = out.iter().map(|s| s.tco2e).sum();
        let (en, zh) = listed(out.iter().map(|s| {
            format!(
                "{} (category {}, {} t)",
                s.place.label,
                s.category.0,
                show(s.tco2e)
            )
        }));
        let names = out
            .iter()
            .map(|s| format!("'{}'", s.place.label))
            .collect::<Vec<_>>();
        return Finding::no(
            format!(
                "{} of transport or purchased products ({} tCO2e) {} outside the subject: {en}",
                n(out.len(), "source", "sources"),
                show(t),
                is_are(out.len())
            ),
            format!(
                "{} 个运输或外购产品排放源（{} tCO2e）不在声明对象内：{zh}",
                out.len(),
                show(t)
            ),
            out.iter().map(|s| s.place.clone()).collect(),
        )
        .todo(
            format!(
                "Include {} in the subject (lingtan claim subject PROJECT --framework {} --source NAME --include or --clear, or the claim settings' Subject part).",
                names.join(" and "),
                c.pack.framework
            ),
            format!(
                "将 {} 纳入声明对象（lingtan claim subject 项目 --framework {} --source 名称 --include 或 --clear，或在声明设置的“声明主体”部分操作）。",
                names.join("、"),
                c.pack.framework
            ),
        );
    }
    let has = |cat: u8| {
        inv.sources
            .iter()
            .any(|s| s.in_subject && s.category.0 == cat)
    };
    let mut missing_en = Vec::new();
    let mut missing_zh = Vec::new();
    if !has(3) {
        missing_en.push("transport (ISO 14064-1 category 3)");
        missing_zh.push("运输（ISO 14064-1 类别 3）");
    }
    if !has(4) {
        missing_en.push("purchased products (ISO 14064-1 category 4)");
        missing_zh.push("外购产品（ISO 14064-1 类别 4）");
    }
    if missing_en.is_empty() {
        return Finding::yes(
            "The subject holds transport (category 3) and purchased products (category 4) sources.",
            "声明对象包含运输（类别 3）和外购产品（类别 4）排放源。",
        );
    }
    Finding::no(
        format!(
            "The subject holds no {} source.",
            missing_en.join(" and no ")
        ),
        format!("声明对象不含{}排放源。", missing_zh.join("和")),
        vec![Place::new(PlaceKind::Inventory, None, "sources")],
    )
}

fn plan_targets_and_measures(c: &Ctx) -> Finding {
    let plan = &c.facts.plan;
    let targets = plan.targets.len();
    let measures = plan.planned().count();
    if targets == 0 || measures == 0 {
        let mut en = Vec::new();
        let mut zh = Vec::new();
        if targets == 0 {
            en.push("no target");
            zh.push("没有减排目标");
        }
        if measures == 0 {
            en.push("no measure planned, approved, in progress or done");
            zh.push("没有已计划、已批准、实施中或已完成的减排措施");
        }
        return Finding::no(
            format!("The management plan has {}.", en.join(" and ")),
            format!("管理计划{}。", zh.join("，")),
            vec![Place::new(PlaceKind::Plan, None, "management plan")],
        );
    }
    Finding::yes(
        format!(
            "The management plan has {} and {} (expected abatement {} tCO2e a year).",
            n(targets, "target", "targets"),
            n(measures, "measure", "measures"),
            show(plan.planned_tco2e())
        ),
        format!(
            "管理计划有 {targets} 个目标和 {measures} 项措施（预计每年减排 {} tCO2e）。",
            show(plan.planned_tco2e())
        ),
    )
}

fn plus_months(date: NaiveDate, months: u32) -> Option<NaiveDate> {
    date.checked_add_months(Months::new(months))
}

fn minus_months(date: NaiveDate, months: u32) -> Option<NaiveDate> {
    date.checked_sub_months(Months::new(months))
}

fn plan_reviewed(c: &Ctx) -> Finding {
    let Some(months) = c.rule.params.months else {
        return no_param(c, Param::Months);
    };
    let (reference, ref_en, ref_zh) = match c.facts.settings.statement_date {
        Some(d) => (d, "the declaration date", "声明日期"),
        None => (c.facts.period.to(), "the end of the period", "期间结束日"),
    };
    let place = vec![Place::setting("plan-reviewed")];
    let Some(reviewed) = c.facts.plan.reviewed else {
        return Finding::no(
            "The management plan has no review date.",
            "管理计划没有评审日期。",
            place,
        );
    };
    let earliest = minus_months(reference, months).unwrap_or(NaiveDate::MIN);
    if reviewed < earliest {
        return Finding::no(
            format!("The management plan was last reviewed on {reviewed}, more than {months} months before {ref_en} ({reference})."),
            format!("管理计划最近一次评审于 {reviewed}，早于{ref_zh}（{reference}）{months} 个月以上。"),
            place,
        );
    }
    Finding::yes(
        format!("The management plan was reviewed on {reviewed}, within {months} months before {ref_en} ({reference})."),
        format!("管理计划于 {reviewed} 评审，在{ref_zh}（{reference}）前 {months} 个月内。"),
    )
}

fn comparison_text(c: &super::facts::Comparison) -> (String, String) {
    let mut en = format!(
        "{} tCO2e against {} tCO2e in {} ({} tCO2e",
        show(c.current_tco2e),
        show(c.reference_tco2e),
        c.reference,
        show(-c.reduction_tco2e())
    );
    let mut zh = format!(
        "{} tCO2e，对比 {} 的 {} tCO2e（{} tCO2e",
        show(c.current_tco2e),
        c.reference,
        show(c.reference_tco2e),
        show(-c.reduction_tco2e())
    );
    if let Some(p) = c.reduction_pct() {
        en.push_str(&format!(", {} %", show_pct(-p)));
        zh.push_str(&format!("，{} %", show_pct(-p)));
    }
    en.push(')');
    zh.push('）');
    if let (Some(i), Some(p)) = (&c.intensity, c.intensity_reduction_pct()) {
        en.push_str(&format!(
            "; intensity {} against {} {} ({} %)",
            show(i.current),
            show(i.reference),
            i.metric,
            show_pct(-p)
        ));
        zh.push_str(&format!(
            "；强度 {} 对比 {} {}（{} %）",
            show(i.current),
            show(i.reference),
            i.metric,
            show_pct(-p)
        ));
    }
    (en, zh)
}

fn reduction_before_offset(c: &Ctx) -> Finding {
    let r = &c.facts.reductions;
    let shown: Vec<_> = [&r.base, &r.previous]
        .into_iter()
        .flatten()
        .filter(|x| x.shows_reduction())
        .collect();
    if let Some(first) = shown.first() {
        let (en, zh) = comparison_text(first);
        return Finding::yes(
            format!("A reduction is shown: {en}."),
            format!("已体现减排：{zh}。"),
        );
    }
    let planned = c.facts.plan.planned_tco2e();
    if planned > Decimal::ZERO {
        return Finding::yes(
            format!(
                "No reduction is shown yet; the plan's measures expect {} tCO2e a year.",
                show(planned)
            ),
            format!(
                "尚未体现减排；管理计划中的措施预计每年减排 {} tCO2e。",
                show(planned)
            ),
        );
    }
    Finding::no(
        "No reduction is shown against the base year or the previous period, and no measure of the plan has an expected abatement: the emissions would be offset without reducing them first.",
        "与基准年或上一期间相比未体现减排，且管理计划中没有预计减排量的措施：排放将在未先减排的情况下被抵消。",
        vec![Place::new(PlaceKind::Plan, None, "management plan")],
    )
}

fn offset_only_first_period(c: &Ctx) -> Finding {
    let r = &c.facts.reductions;
    if r.first_period {
        return Finding::yes(
            "This is the first claimed period: achievement by offsetting alone is allowed for it.",
            "这是首个声明期间：该期间允许仅通过抵消实现。",
        );
    }
    let place = vec![Place::new(PlaceKind::Inventory, None, "previous period")];
    let Some(prev) = &r.previous else {
        return Finding::no(
            "This is not the first claimed period, and the previous period's figures are not known: the reduction required after the first period cannot be shown.",
            "这不是首个声明期间，且上一期间的数据未知：无法证明首个期间之后所需的减排。",
            place,
        );
    };
    let (en, zh) = comparison_text(prev);
    if prev.shows_reduction() {
        Finding::yes(
            format!("Reduction against the previous period: {en}."),
            format!("与上一期间相比已减排：{zh}。"),
        )
    } else {
        Finding::no(
            format!("No absolute or intensity reduction against the previous period: {en}."),
            format!("与上一期间相比没有绝对量或强度减排：{zh}。"),
            place,
        )
    }
}

fn credit_label(c: &CreditFact) -> String {
    format!("{} ({} t)", c.place.label, show(c.tco2e))
}

fn credits_pass_checks(c: &Ctx) -> Finding {
    let credits = &c.facts.offset.credits;
    if credits.is_empty() {
        return Finding::yes(
            "No credit is retired for the period.",
            "没有为该期间注销的碳信用。",
        );
    }
    let failing: Vec<_> = credits.iter().filter(|x| !x.passes()).collect();
    if !failing.is_empty() {
        let (en, zh) = listed(
            failing
                .iter()
                .map(|x| format!("{}: {}", credit_label(x), x.failed.join(", "))),
        );
        let t: Decimal = failing.iter().map(|x| x.tco2e).sum();
        return Finding::no(
            format!(
                "{} ({} tCO2e) failing the offset step's checks {} not counted: {en}",
                n(failing.len(), "credit", "credits"),
                show(t),
                is_are(failing.len())
            ),
            format!(
                "{} 笔碳信用（{} tCO2e）未通过抵消步骤的检查，不计入：{zh}",
                failing.len(),
                show(t)
            ),
            failing.iter().map(|x| x.place.clone()).collect(),
        );
    }
    let t: Decimal = credits.iter().map(|x| x.tco2e).sum();
    let warned: Vec<_> = credits.iter().filter(|x| !x.warnings.is_empty()).collect();
    if !warned.is_empty() {
        let (en, zh) = listed(
            warned
                .iter()
                .map(|x| format!("{}: {}", credit_label(x), x.warnings.join(", "))),
        );
        return Finding {
            holds: Holds::Caveat,
            found: Text::new(
                format!("{} ({} tCO2e) {} the offset step's checks; {} with warnings: {en}", n(credits.len(), "credit", "credits"), show(t), if credits.len() == 1 { "passes" } else { "pass" }, n(warned.len(), "credit", "credits")),
                format!("{} 笔碳信用（{} tCO2e）通过抵消步骤的检查；其中 {} 笔有警告：{zh}", credits.len(), show(t), warned.len()),
            ),
            todo: Some(Text::new(
                "Read each warning in the offset step and resolve it or explain it to the verifier.",
                "请在抵消步骤中查看每条警告，予以处理或向核查机构说明。",
            )),
            places: warned.iter().map(|x| x.place.clone()).collect(),
        };
    }
    Finding::yes(
        format!(
            "{} ({} tCO2e) {} every check of the offset step.",
            n(credits.len(), "credit", "credits"),
            show(t),
            if credits.len() == 1 { "passes" } else { "pass" }
        ),
        format!(
            "{} 笔碳信用（{} tCO2e）通过抵消步骤的全部检查。",
            credits.len(),
            show(t)
        ),
    )
}

/// The retirement window a pack applies: the event it counts from and the last day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub code: &'static str,
    pub months: Option<u32>,
    /// The period's end, or the declaration date (`None` when not set).
    pub event: Option<NaiveDate>,
    pub deadline: Option<NaiveDate>,
}

/// The pack's retirement window for these facts, when the pack has one.
pub fn window(pack: &Pack, facts: &Facts) -> Option<Window> {
    [PERIOD_END_WINDOW, DECLARATION_WINDOW]
        .into_iter()
        .find_map(|code| {
            let rule = pack.rule(code)?;
            // without its parameter the window cannot be computed: no credit is counted late
            // here, and the window's check fails saying why
            let months = rule.params.months;
            let event = if code == PERIOD_END_WINDOW {
                Some(facts.period.to())
            } else {
                facts.settings.statement_date
            };
            Some(Window {
                code,
                months,
                event,
                deadline: event.zip(months).and_then(|(e, m)| plus_months(e, m)),
            })
        })
}

/// The credits counted against the subject: they pass the offset step's ✗ checks, carry a
/// retirement date, and were retired within the pack's window where the window can be
/// computed. (Where it cannot — a PAS 2060 declaration date not set — they are counted and the
/// window's check fails, saying why.)
pub fn counted<'a>(pack: &Pack, facts: &'a Facts) -> Vec<&'a CreditFact> {
    let deadline = window(pack, facts).and_then(|w| w.deadline);
    facts
        .offset
        .credits
        .iter()
        .filter(|c| c.passes())
        .filter(|c| match (c.retired, deadline) {
            (None, _) => false,
            (Some(r), Some(d)) => r <= d,
            (Some(_), None) => true,
        })
        .collect()
}

fn credits_retired_in_window(c: &Ctx) -> Finding {
    let credits = &c.facts.offset.credits;
    let Some(months) = c.rule.params.months else {
        return no_param(c, Param::Months);
    };
    let from_declaration = c.rule.code == DECLARATION_WINDOW;
    let (event, ev_en, ev_zh) = if from_declaration {
        (
            c.facts.settings.statement_date,
            "the declaration of achievement",
            "达成声明日期",
        )
    } else {
        (
            Some(c.facts.period.to()),
            "the end of the period",
            "期间结束日",
        )
    };
    if credits.is_empty() {
        return Finding::yes(
            "No credit is retired for the period.",
            "没有为该期间注销的碳信用。",
        );
    }
    let Some(deadline) = event.and_then(|e| plus_months(e, months)) else {
        return Finding::no(
            format!("The date of {ev_en} is not set: the {months}-month retirement window cannot be checked."),
            format!("未设定{ev_zh}：无法核对 {months} 个月的注销期限。"),
            vec![Place::setting("statement-date")],
        )
        .todo(
            "Set the date of the declaration of achievement (statement date).",
            "请设定达成声明日期（声明日期）。",
        );
    };
    let late: Vec<_> = credits
        .iter()
        .filter(|x| x.retired.is_none_or(|r| r > deadline))
        .collect();
    if late.is_empty() {
        return Finding::yes(
            format!(
                "Every credit ({} of them) was retired by {deadline}, within {months} months of {ev_en}.",
                credits.len()
            ),
            format!(
                "全部 {} 笔碳信用均在 {deadline} 前注销，即{ev_zh}后 {months} 个月内。",
                credits.len()
            ),
        );
    }
    let (en, zh) = listed(late.iter().map(|x| {
        let when = x
            .retired
            .map(|r| r.to_string())
            .unwrap_or_else(|| "no date".into());
        format!("{} retired {when}", credit_label(x))
    }));
    Finding::no(
        format!(
            "{} retired after {deadline}, more than {months} months after {ev_en}: {en}",
            n(late.len(), "credit was", "credits were")
        ),
        format!(
            "{} 笔碳信用在 {deadline} 之后注销，超过{ev_zh}后 {months} 个月：{zh}",
            late.len()
        ),
        late.iter().map(|x| x.place.clone()).collect(),
    )
}

fn coverage_full(c: &Ctx) -> Finding {
    let subject = c.facts.inventory.subject_tco2e();
    let counted: Decimal = counted(c.pack, c.facts).iter().map(|x| x.tco2e).sum();
    let place = vec![Place::new(PlaceKind::Inventory, None, "subject")];
    let Some(coverage) = pct(counted.min(subject), subject) else {
        return Finding::no(
            format!("The subject's emissions are {} tCO2e: there is nothing to cover, so no coverage can be computed.", show(subject)),
            format!("声明对象的排放为 {} tCO2e：没有需要抵消的排放，无法计算覆盖率。", show(subject)),
            place,
        );
    };
    if coverage < Decimal::ONE_HUNDRED {
        let short = subject - counted;
        return Finding::no(
            format!(
                "The credits counted ({} tCO2e) cover {} % of the subject's {} tCO2e; {} tCO2e are not covered.",
                show(counted),
                show_pct(coverage),
                show(subject),
                show(short)
            ),
            format!(
                "计入的碳信用（{} tCO2e）覆盖声明对象 {} tCO2e 的 {} %；尚有 {} tCO2e 未覆盖。",
                show(counted),
                show(subject),
                show_pct(coverage),
                show(short)
            ),
            place,
        );
    }
    Finding::yes(
        format!(
            "The credits counted ({} tCO2e) cover 100 % of the subject's {} tCO2e.",
            show(counted),
            show(subject)
        ),
        format!(
            "计入的碳信用（{} tCO2e）覆盖声明对象 {} tCO2e 的 100 %。",
            show(counted),
            show(subject)
        ),
    )
}

fn stated(c: &Ctx, word_en: &str, word_zh: &str) -> Result<(Assurance, String), Box<Finding>> {
    let place = vec![Place::setting("verification")];
    let Some(v) = &c.facts.settings.verification else {
        return Err(Box::new(Finding::no(
            format!("The {word_en} type is not stated."),
            format!("未说明{word_zh}类型。"),
            place,
        )));
    };
    let body = v.body.as_deref().map(str::trim).unwrap_or("");
    if v.kind != Assurance::SelfDeclared && body.is_empty() {
        return Err(Box::new(
            Finding::no(
                format!(
                    "{} {word_en} is stated without naming who performs it.",
                    v.kind.text().en
                ),
                format!("已说明为{}{word_zh}，但未写明执行机构。", v.kind.text().zh),
                vec![Place::setting("verifier")],
            )
            .todo(
                format!("Name the {word_en} body."),
                format!("请写明{word_zh}机构。"),
            ),
        ));
    }
    Ok((v.kind, body.to_string()))
}

fn verification_stated(c: &Ctx) -> Finding {
    match stated(c, "verification", "核查") {
        Err(f) => *f,
        Ok((Assurance::SelfDeclared, _)) => Finding {
            holds: Holds::Caveat,
            found: Text::new(
                "The claim is self-declared. Sources disagree on whether independent verification is required for this framework; Lingtan does not refuse a self-declared claim.",
                "该声明为自我声明。各来源对该框架是否要求独立核查说法不一；Lingtan 不拒绝自我声明。",
            ),
            todo: Some(Text::new(
                "Confirm with the intended audience (customer, certifier) whether independent verification is expected.",
                "请与声明的使用方（客户、认证机构）确认是否需要独立核查。",
            )),
            places: vec![Place::setting("verification")],
        },
        Ok((kind, body)) => Finding::yes(
            format!("Verification: {} ({body}).", kind.text().en),
            format!("核查：{}（{body}）。", kind.text().zh),
        ),
    }
}

fn validation_stated(c: &Ctx) -> Finding {
    match stated(c, "validation", "确认") {
        Err(f) => *f,
        Ok((Assurance::SelfDeclared, _)) => Finding::yes(
            "Validation: self-validation, which this framework allows.",
            "确认方式：自我确认，该框架允许。",
        ),
        Ok((kind, body)) => Finding::yes(
            format!("Validation: {} ({body}).", kind.text().en),
            format!("确认方式：{}（{body}）。", kind.text().zh),
        ),
    }
}

fn evidence_attached(c: &Ctx) -> Finding {
    let missing = &c.facts.without_evidence;
    if missing.is_empty() {
        return Finding::yes(
            "Every record the claim uses has evidence attached.",
            "声明所用的每条记录均附有证据。",
        );
    }
    let (en, zh) = listed(missing.iter().map(|p| p.label.clone()));
    Finding::no(
        format!(
            "{} no evidence: {en}",
            n(
                missing.len(),
                "record the claim uses has",
                "records the claim uses have"
            )
        ),
        format!("声明所用的 {} 条记录没有附证据：{zh}", missing.len()),
        missing.clone(),
    )
}

fn statement_date(c: &Ctx) -> Finding {
    let place = vec![Place::setting("statement-date")];
    let end = c.facts.period.to();
    match c.facts.settings.statement_date {
        None => Finding::no(
            "The statement (declaration) date is not set.",
            "未设定声明日期。",
            place,
        ),
        Some(d) if d <= end => Finding::no(
            format!("The statement is dated {d}, not after the period's last day ({end})."),
            format!("声明日期 {d} 不晚于期间最后一天（{end}）。"),
            place,
        )
        .todo(
            "Date the statement after the last day of the period.",
            "声明日期应在期间最后一天之后。",
        ),
        Some(d) => Finding::yes(
            format!("The statement is dated {d}, after the period ended ({end})."),
            format!("声明日期为 {d}，在期间结束（{end}）之后。"),
        ),
    }
}

fn zcf_scores_entered(c: &Ctx) -> Finding {
    let Some(table) = &c.facts.scores else {
        return Finding::no(
            "No scoring table is entered.",
            "尚未录入评分表。",
            vec![Place::new(PlaceKind::Score, None, "scores")],
        );
    };
    let errors = zcf::validate(table);
    if !errors.is_empty() {
        let en = listed(errors.iter().map(|e| e.message_en())).0;
        let zh = listed(errors.iter().map(|e| e.message_zh())).1;
        return Finding::no(
            format!(
                "The scoring table has {}: {en}",
                n(errors.len(), "problem", "problems")
            ),
            format!("评分表有 {} 处问题：{zh}", errors.len()),
            errors
                .iter()
                .map(|e| Place::new(PlaceKind::Score, None, e.place().unwrap_or("scores")))
                .collect(),
        );
    }
    let total = zcf::total(table);
    Finding::yes(
        format!(
            "Scoring table: {} rows, total {} of {}.",
            table.rows.len(),
            show(total.round_dp(2)),
            show(table.maximum)
        ),
        format!(
            "评分表：{} 行，总分 {}（满分 {}）。",
            table.rows.len(),
            show(total.round_dp(2)),
            show(table.maximum)
        ),
    )
}

fn zcf_star_level(c: &Ctx) -> Finding {
    let place = vec![Place::setting("star-level")];
    let Some(level) = c.facts.settings.star_level else {
        return Finding::no("No star level is stated.", "未说明申请的星级。", place);
    };
    if !c.pack.star_levels.contains(&level) {
        return Finding::no(
            format!("{level}★ is not a level of this evaluation."),
            format!("{level} 星不是该评价的等级。"),
            place,
        );
    }
    let figures = zcf::figures(c.pack, c.facts);
    let star = zcf::star(c.pack, &figures, level);
    match star.status {
        zcf::StarStatus::Met => Finding::yes(
            format!(
                "{level}★: the published requirements are met ({}).",
                star.found.en
            ),
            format!("{level} 星：已满足公开的要求（{}）。", star.found.zh),
        ),
        zcf::StarStatus::NotMet => Finding::no(
            format!("{level}★ requires {}.", star.found.en),
            format!("{level} 星要求{}。", star.found.zh),
            place,
        ),
        zcf::StarStatus::AssessorDecides => Finding::yes(
            format!("{level}★: {}", star.found.en),
            format!("{level} 星：{}", star.found.zh),
        ),
    }
}
