//! The documents' data: the management plan, ISO 14068-1's carbon neutrality statement (kept apart
//! from a commitment "by YEAR"), PAS 2060's declarations of commitment and achievement with the
//! qualifying explanatory statement (QES), and T/CECA-G 0171's self-evaluation.
//!
//! Typed data with English and Chinese labels; the report crate renders them. The wording is our
//! own and neutral; no standard's text is copied. While any check of the claim fails, a document
//! carries `draft: true` and the reasons (a QES also lists its missing elements as reasons).
//!
//! The QES elements are the pack's (`[[qes]]`): each names the normative clause behind it (PAS
//! 2060 Annex B, whose tables B.1–B.3 list the elements, is informative; the element lists
//! themselves were not found and ship `confirmed: false`) and takes its value from the facts, or
//! reads "missing". Each element key is implemented once here ([`QES_KEYS`]).

use super::check::{CheckStatus, Claim};
use super::facts::{Comparison, Facts, OffsetLine};
use super::pack::{Declaration, Framework, Pack, ZcfType};
use super::period::ClaimPeriod;
use super::zcf::{self, Figures, Scoring, Star};
use super::{rules, show, show_pct, ClaimError, Text};
use crate::offset::credit::CreditType;
use crate::reduction::measure::MeasureStatus;
use crate::reduction::target::TargetKind;
use crate::reduction::Month;
use crate::source::Scope;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

/// A part of a document: its label and its value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Field<T> {
    pub label: Text,
    pub value: T,
}

fn field<T>(en: &str, zh: &str, value: T) -> Field<T> {
    Field {
        label: Text::new(en, zh),
        value,
    }
}

/// Whether a document is a draft, and why.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Draft {
    pub draft: bool,
    pub reasons: Vec<Text>,
}

impl Draft {
    /// A draft while any check fails; each failing check is a reason.
    pub fn of(claim: &Claim) -> Draft {
        let reasons: Vec<Text> = claim
            .checks
            .iter()
            .filter(|c| c.status == CheckStatus::Fail)
            .map(|c| {
                Text::new(
                    format!("{} ({}): {}", c.title.en, c.code, c.found.en),
                    format!("{}（{}）：{}", c.title.zh, c.code, c.found.zh),
                )
            })
            .collect();
        Draft {
            draft: !reasons.is_empty(),
            reasons,
        }
    }

    fn with(mut self, reasons: impl IntoIterator<Item = Text>) -> Draft {
        self.reasons.extend(reasons);
        self.draft = !self.reasons.is_empty();
        self
    }
}

fn entity(facts: &Facts) -> Text {
    let e = &facts.settings.entity;
    if e.is_blank() {
        Text::new("(organisation not named)", "（未填写组织名称）")
    } else {
        e.clone()
    }
}

fn subject(facts: &Facts) -> Text {
    match &facts.settings.subject {
        Some(s) if !s.is_blank() => s.clone(),
        _ => entity(facts),
    }
}

/// The base year of the plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Baseline {
    pub year: i32,
    pub tco2e: Decimal,
}

/// A target as the plan shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlanTarget {
    pub label: String,
    pub kind: TargetKind,
    pub scopes: String,
    pub base_year: i32,
    pub target_year: i32,
    pub reduction_pct: Decimal,
    pub metric: Option<String>,
    /// `(year, allowed tCO2e)` on the way.
    pub milestones: Vec<(i32, Option<Decimal>)>,
}

/// A measure on the plan's timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlanMeasure {
    pub label: String,
    pub status: MeasureStatus,
    pub start: Option<Month>,
    pub planned_tco2e: Option<Decimal>,
    pub achieved_tco2e: Option<Decimal>,
}

/// The management plan (ISO 14068-1's carbon neutrality management plan; PAS 2060's carbon
/// management plan; the zero-carbon factory's reduction plan).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ManagementPlan {
    #[serde(flatten)]
    pub draft: Draft,
    pub heading: Text,
    pub entity: Text,
    pub subject: Text,
    pub edition: String,
    pub baseline: Field<Option<Baseline>>,
    pub targets: Field<Vec<PlanTarget>>,
    /// Ordered by start month (measures without one last).
    pub measures: Field<Vec<PlanMeasure>>,
    pub offset_strategy: Field<Vec<OffsetLine>>,
    pub offset_total_tco2e: Decimal,
    pub monitoring: Field<Vec<Text>>,
    pub removals_only_from: Field<Option<i32>>,
    pub commitment_year: Field<Option<i32>>,
    pub reviewed: Field<Option<NaiveDate>>,
}

/// The indicators the plan is monitored by: derived from the facts, then the user's.
fn monitoring(facts: &Facts) -> Vec<Text> {
    let mut m = vec![Text::new(
        "Emissions of the subject each period (tCO2e), against each target's trajectory",
        "每期声明对象排放量（tCO2e），对照各目标的轨迹",
    )];
    for o in &facts.energy.outputs {
        m.push(Text::new(
            format!("Emission intensity (tCO2e per {} of {})", o.unit, o.metric),
            format!("排放强度（每 {} {} 的 tCO2e）", o.unit, o.metric),
        ));
    }
    if facts.energy.green_power_pct.is_some() {
        m.push(Text::new(
            "Green-power share of electricity (%)",
            "绿电占用电量比例（%）",
        ));
    }
    if !facts.plan.measures.is_empty() {
        m.push(Text::new(
            "Achieved abatement of each measure (tCO2e)",
            "各项措施的实际减排量（tCO2e）",
        ));
    }
    m.push(Text::new(
        "Credits retired and their coverage of the residual emissions (%)",
        "注销的碳信用及其对剩余排放的覆盖率（%）",
    ));
    m.extend(facts.plan.monitoring.iter().cloned());
    m
}

/// The management plan from the facts.
pub fn management_plan(pack: &Pack, claim: &Claim, facts: &Facts) -> ManagementPlan {
    let plan = &facts.plan;
    let mut measures: Vec<PlanMeasure> = plan
        .measures
        .iter()
        .map(|m| PlanMeasure {
            label: m.place.label.clone(),
            status: m.status,
            start: m.start,
            planned_tco2e: m.planned_tco2e,
            achieved_tco2e: m.achieved_tco2e,
        })
        .collect();
    measures.sort_by_key(|m| (m.start.is_none(), m.start));
    ManagementPlan {
        draft: Draft::of(claim),
        heading: Text::new("Management plan", "管理计划"),
        entity: entity(facts),
        subject: subject(facts),
        edition: pack.edition.clone(),
        baseline: field(
            "Baseline",
            "基准",
            facts.inventory.base_year.map(|b| Baseline {
                year: b.year,
                tco2e: b.tco2e,
            }),
        ),
        targets: field(
            "Targets",
            "目标",
            plan.targets
                .iter()
                .map(|t| PlanTarget {
                    label: t.place.label.clone(),
                    kind: t.kind,
                    scopes: t.scopes.clone(),
                    base_year: t.base_year,
                    target_year: t.target_year,
                    reduction_pct: t.reduction_pct,
                    metric: t.metric.clone(),
                    milestones: t
                        .milestones
                        .iter()
                        .map(|m| (m.year, m.allowed_tco2e))
                        .collect(),
                })
                .collect(),
        ),
        measures: field(
            "Reduction measures and timeline",
            "减排措施及时间表",
            measures,
        ),
        offset_strategy: field("Offset strategy", "抵消策略", plan.offset_strategy.clone()),
        offset_total_tco2e: plan.offset_strategy.iter().map(|l| l.tco2e).sum(),
        monitoring: field("Monitoring indicators", "监测指标", monitoring(facts)),
        removals_only_from: field(
            "Only removals used from",
            "仅使用碳清除的起始年份",
            plan.removals_only_from,
        ),
        commitment_year: field(
            "Carbon neutral by",
            "承诺实现碳中和的年份",
            facts.settings.commitment_year,
        ),
        reviewed: field("Plan last reviewed", "计划最近评审日期", plan.reviewed),
    }
}

/// A credit as the documents list it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CreditLine {
    pub label: String,
    pub serial: String,
    pub registry: Option<String>,
    pub project: Option<String>,
    pub kind: Option<CreditType>,
    pub vintage: Option<String>,
    pub tco2e: Decimal,
    pub retired: Option<NaiveDate>,
}

fn credit_lines(pack: &Pack, facts: &Facts) -> Vec<CreditLine> {
    rules::counted(pack, facts)
        .into_iter()
        .map(|c| CreditLine {
            label: c.place.label.clone(),
            serial: c.serial.clone(),
            registry: c.registry.clone(),
            project: c.project.clone(),
            kind: c.kind,
            vintage: c.vintage.clone(),
            tco2e: c.tco2e,
            retired: c.retired,
        })
        .collect()
}

fn assurance(facts: &Facts) -> Option<Text> {
    facts.settings.verification.as_ref().map(|v| {
        let k = v.kind.text();
        match v.body.as_deref().map(str::trim).filter(|b| !b.is_empty()) {
            Some(b) => Text::new(format!("{} ({b})", k.en), format!("{}（{b}）", k.zh)),
            None => k,
        }
    })
}

/// ISO 14068-1's statement that the subject was carbon neutral for the period (an achievement;
/// never a commitment).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Statement {
    #[serde(flatten)]
    pub draft: Draft,
    pub heading: Text,
    pub entity: Text,
    pub subject: Text,
    pub edition: String,
    pub standard: String,
    pub period: ClaimPeriod,
    pub subject_tco2e: Field<Decimal>,
    pub reductions_tco2e: Field<Option<Decimal>>,
    pub eac_tco2e: Field<Decimal>,
    pub credits_tco2e: Field<Decimal>,
    pub coverage_pct: Field<Option<Decimal>>,
    pub credits: Field<Vec<CreditLine>>,
    pub verification: Field<Option<Text>>,
    pub date: Field<Option<NaiveDate>>,
    pub senior: Field<Option<String>>,
    pub published_at: Field<Option<String>>,
    /// The statement in one paragraph.
    pub text: Text,
}

/// The statement for the claim's period.
pub fn statement(pack: &Pack, claim: &Claim, facts: &Facts) -> Statement {
    let e = entity(facts);
    let s = subject(facts);
    let p = &claim.period;
    let reduced = match claim.reductions_tco2e {
        Some(r) => Text::new(
            format!("a reduction of {} tCO2e against the base year", show(r)),
            format!("较基准年减排 {} tCO2e", show(r)),
        ),
        None => Text::new(
            "no reduction against a base year shown",
            "未体现相对基准年的减排",
        ),
    };
    let verified = match assurance(facts) {
        Some(a) => Text::new(
            format!(" Verification: {}.", a.en),
            format!("核查方式：{}。", a.zh),
        ),
        None => Text::new(" Verification: not stated.", "核查方式：未说明。"),
    };
    let text = Text::new(
        format!(
            "{} states that {} was carbon neutral for the period {} to {}, in line with {}. The period's emissions of the subject were {} tCO2e, with {}; they were offset with {} tCO2e of retired carbon credits ({} % coverage).{}",
            e.en,
            s.en,
            p.from(),
            p.to(),
            claim.designation,
            show(claim.subject_tco2e),
            reduced.en,
            show(claim.credits_tco2e),
            claim.coverage_pct.map(show_pct).unwrap_or_else(|| "—".into()),
            verified.en
        ),
        format!(
            "{}声明：{}在 {} 至 {} 期间实现碳中和，依据 {}。该期间声明对象排放 {} tCO2e，{}；已以注销的碳信用 {} tCO2e 予以抵消（覆盖率 {} %）。{}",
            e.zh,
            s.zh,
            p.from(),
            p.to(),
            claim.designation,
            show(claim.subject_tco2e),
            reduced.zh,
            show(claim.credits_tco2e),
            claim.coverage_pct.map(show_pct).unwrap_or_else(|| "—".into()),
            verified.zh
        ),
    );
    Statement {
        draft: Draft::of(claim),
        heading: Text::new("Carbon neutrality statement", "碳中和声明"),
        entity: e,
        subject: s,
        edition: claim.edition.clone(),
        standard: claim.standard.clone(),
        period: claim.period,
        subject_tco2e: field(
            "Emissions of the subject (tCO2e)",
            "声明对象排放量（tCO2e）",
            claim.subject_tco2e,
        ),
        reductions_tco2e: field(
            "Reduction against the base year (tCO2e)",
            "相对基准年的减排量（tCO2e）",
            claim.reductions_tco2e,
        ),
        eac_tco2e: field(
            "Taken off scope 2 by energy attribute certificates (tCO2e, in the market-based quantification)",
            "能源属性证书在范围二中的抵扣量（tCO2e，已计入基于市场的核算）",
            claim.eac_tco2e,
        ),
        credits_tco2e: field(
            "Carbon credits retired and counted (tCO2e)",
            "已注销并计入的碳信用（tCO2e）",
            claim.credits_tco2e,
        ),
        coverage_pct: field("Coverage (%)", "抵消覆盖率（%）", claim.coverage_pct),
        credits: field("Credits", "碳信用", credit_lines(pack, facts)),
        verification: field("Verification", "核查", assurance(facts)),
        date: field("Date", "日期", facts.settings.statement_date),
        senior: field(
            "Senior representative",
            "高级管理代表",
            facts.settings.senior.clone(),
        ),
        published_at: field("Published at", "公开渠道", facts.settings.published_at.clone()),
        text,
    }
}

/// A commitment to become carbon neutral by a year: a promise, kept apart from a statement
/// that a period was carbon neutral.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Commitment {
    pub heading: Text,
    pub entity: Text,
    pub subject: Text,
    pub edition: String,
    pub year: i32,
    pub targets: usize,
    pub measures: usize,
    pub text: Text,
}

/// The commitment, when the settings give a year.
pub fn commitment(pack: &Pack, facts: &Facts) -> Option<Commitment> {
    let year = facts.settings.commitment_year?;
    let e = entity(facts);
    let s = subject(facts);
    let targets = facts.plan.targets.len();
    let measures = facts.plan.planned().count();
    Some(Commitment {
        heading: Text::new("Commitment to carbon neutrality", "碳中和承诺"),
        text: Text::new(
            format!(
                "{} commits to making {} carbon neutral by {year}, in line with {}, following its management plan ({targets} targets, {measures} measures). This is a commitment, not a statement that carbon neutrality has been achieved.",
                e.en, s.en, pack.designation
            ),
            format!(
                "{}承诺于 {year} 年前使{}实现碳中和，依据 {}，并按其管理计划（{targets} 个目标、{measures} 项措施）实施。此为承诺，并非已实现碳中和的声明。",
                e.zh, s.zh, pack.designation
            ),
        ),
        entity: e,
        subject: s,
        edition: pack.edition.clone(),
        year,
        targets,
        measures,
    })
}

/// PAS 2060's declaration of commitment or of achievement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeclarationDoc {
    #[serde(flatten)]
    pub draft: Draft,
    pub kind: Declaration,
    pub heading: Text,
    pub entity: Text,
    pub subject: Text,
    pub edition: String,
    pub period: Option<ClaimPeriod>,
    pub commitment_year: Option<i32>,
    pub date: Field<Option<NaiveDate>>,
    pub validation: Field<Option<Text>>,
    pub senior: Field<Option<String>>,
    pub text: Text,
}

/// The declaration of `kind`. A declaration of achievement is a draft while a check fails; a
/// declaration of commitment while it has no year.
pub fn declaration(pack: &Pack, claim: &Claim, facts: &Facts, kind: Declaration) -> DeclarationDoc {
    let e = entity(facts);
    let s = subject(facts);
    let v =
        assurance(facts).unwrap_or_else(|| Text::new("validation not stated", "确认方式未说明"));
    let year = facts.settings.commitment_year;
    let (heading, text, draft, period) = match kind {
        Declaration::Achievement => (
            Text::new("Declaration of achievement", "达成声明"),
            Text::new(
                format!(
                    "{} declares that {} was carbon neutral for the period {} to {}, as demonstrated under {} ({}).",
                    e.en,
                    s.en,
                    claim.period.from(),
                    claim.period.to(),
                    pack.designation,
                    v.en
                ),
                format!(
                    "{}声明：{}在 {} 至 {} 期间实现碳中和，依据 {} 证明（{}）。",
                    e.zh,
                    s.zh,
                    claim.period.from(),
                    claim.period.to(),
                    pack.designation,
                    v.zh
                ),
            ),
            Draft::of(claim),
            Some(claim.period),
        ),
        Declaration::Commitment => {
            let by = year.map_or_else(
                || Text::new("by a year not yet stated", "于尚未说明的年份"),
                |y| Text::new(format!("by {y}"), format!("于 {y} 年前")),
            );
            let draft = if year.is_some() {
                Draft::default()
            } else {
                Draft::default().with([Text::new(
                    "The year of the commitment is not stated.",
                    "未说明承诺的年份。",
                )])
            };
            (
                Text::new("Declaration of commitment", "承诺声明"),
                Text::new(
                    format!(
                        "{} commits to making {} carbon neutral {}, under {} and following its carbon management plan.",
                        e.en, s.en, by.en, pack.designation
                    ),
                    format!(
                        "{}承诺{}使{}实现碳中和，依据 {} 并按其碳管理计划实施。",
                        e.zh, by.zh, s.zh, pack.designation
                    ),
                ),
                draft,
                None,
            )
        }
    };
    DeclarationDoc {
        draft,
        kind,
        heading,
        entity: e,
        subject: s,
        edition: pack.edition.clone(),
        period,
        commitment_year: year,
        date: field("Date", "日期", facts.settings.statement_date),
        validation: field("Validation", "确认方式", assurance(facts)),
        senior: field(
            "Senior representative",
            "高级管理代表",
            facts.settings.senior.clone(),
        ),
        text,
    }
}

/// An element's value, or what is missing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "lowercase")]
pub enum QesValue {
    Given { text: Text },
    Missing { what: Text },
}

impl QesValue {
    pub fn is_missing(&self) -> bool {
        matches!(self, QesValue::Missing { .. })
    }
}

/// An element of the QES.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QesItem {
    pub key: String,
    pub label: Text,
    pub clause: Text,
    pub confirmed: bool,
    pub value: QesValue,
}

/// PAS 2060's qualifying explanatory statement for a declaration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Qes {
    #[serde(flatten)]
    pub draft: Draft,
    pub kind: Declaration,
    pub heading: Text,
    pub edition: String,
    pub elements: Vec<QesItem>,
    pub note: Text,
}

/// Every QES element key this Lingtan fills.
pub const QES_KEYS: &[&str] = &[
    "entity",
    "subject",
    "subject_rationale",
    "boundary",
    "activities",
    "method",
    "period",
    "baseline",
    "footprint",
    "exclusions",
    "commitment",
    "targets",
    "reduction_means",
    "offset_strategy",
    "reductions_achieved",
    "credits",
    "validation",
    "date",
    "senior",
    "published_at",
];

fn given(en: impl Into<String>, zh: impl Into<String>) -> QesValue {
    QesValue::Given {
        text: Text::new(en, zh),
    }
}

fn missing(en: &str, zh: &str) -> QesValue {
    QesValue::Missing {
        what: Text::new(en, zh),
    }
}

fn stated_text(t: &Option<Text>, en: &str, zh: &str) -> QesValue {
    match t {
        Some(t) if !t.is_blank() => QesValue::Given { text: t.clone() },
        _ => missing(en, zh),
    }
}

fn stated_string(t: &Option<String>, en: &str, zh: &str) -> QesValue {
    match t.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => given(s, s),
        None => missing(en, zh),
    }
}

/// One comparison of the reductions achieved; `against` names the reference (the base year, the
/// previous period, or both when they are the same period).
fn comparison_line(c: &Comparison, against: (&str, &str)) -> (String, String) {
    let mut en = format!(
        "against {} {}: {} tCO2e",
        against.0,
        c.reference,
        show(c.reduction_tco2e())
    );
    let mut zh = format!(
        "较{} {}：{} tCO2e",
        against.1,
        c.reference,
        show(c.reduction_tco2e())
    );
    if let Some(p) = c.reduction_pct() {
        en.push_str(&format!(" ({} %)", show_pct(p)));
        zh.push_str(&format!("（{} %）", show_pct(p)));
    }
    if let (Some(i), Some(p)) = (&c.intensity, c.intensity_reduction_pct()) {
        en.push_str(&format!("; intensity ({}) {} %", i.metric, show_pct(p)));
        zh.push_str(&format!("；强度（{}）{} %", i.metric, show_pct(p)));
    }
    (en, zh)
}

/// The value of the element `key` (one of [`QES_KEYS`]).
fn qes_value(key: &str, pack: &Pack, claim: &Claim, facts: &Facts) -> QesValue {
    let st = &facts.settings;
    let inv = &facts.inventory;
    match key {
        "entity" => stated_text(
            &Some(st.entity.clone()),
            "the organisation's name",
            "组织名称",
        ),
        "subject" => stated_text(&st.subject, "the subject of the claim", "声明对象"),
        "subject_rationale" => stated_text(
            &st.subject_rationale,
            "why the subject was chosen",
            "选择该声明对象的理由",
        ),
        "boundary" => {
            let mut en = Vec::new();
            let mut zh = Vec::new();
            for (scope, n) in [(Scope::One, "1"), (Scope::Two, "2"), (Scope::Three, "3")] {
                let in_scope: Vec<_> = inv
                    .sources
                    .iter()
                    .filter(|s| s.in_subject && s.scope == scope)
                    .collect();
                if in_scope.is_empty() {
                    continue;
                }
                let t: Decimal = in_scope.iter().map(|s| s.tco2e).sum();
                en.push(format!(
                    "scope {n}: {} {}, {} tCO2e",
                    in_scope.len(),
                    if in_scope.len() == 1 {
                        "source"
                    } else {
                        "sources"
                    },
                    show(t)
                ));
                zh.push(format!(
                    "范围{n}：{} 个排放源，{} tCO2e",
                    in_scope.len(),
                    show(t)
                ));
            }
            if en.is_empty() {
                missing("the sources in the subject", "声明对象包含的排放源")
            } else {
                given(
                    format!(
                        "{} (scope 2 market-based, after certificates)",
                        en.join("; ")
                    ),
                    format!("{}（范围二按市场法、扣除证书后）", zh.join("；")),
                )
            }
        }
        "activities" => stated_text(&st.activities, "the subject's activities", "声明对象的活动"),
        "method" => stated_text(
            &inv.method,
            "the quantification method and standards",
            "量化方法及所用标准",
        ),
        "period" => given(
            format!(
                "{} to {} ({} days)",
                claim.period.from(),
                claim.period.to(),
                claim.period.days()
            ),
            format!(
                "{} 至 {}（{} 天）",
                claim.period.from(),
                claim.period.to(),
                claim.period.days()
            ),
        ),
        "baseline" => match inv.base_year {
            Some(b) => given(
                format!("base year {}: {} tCO2e", b.year, show(b.tco2e)),
                format!("基准年 {}：{} tCO2e", b.year, show(b.tco2e)),
            ),
            None => missing("the base year", "基准年"),
        },
        "footprint" => {
            if inv.sources.is_empty() {
                return missing("the footprint", "碳足迹");
            }
            let share = inv
                .subject_share_pct()
                .map(show_pct)
                .unwrap_or_else(|| "—".into());
            given(
                format!(
                    "footprint {} tCO2e; subject {} tCO2e ({share} %)",
                    show(inv.footprint_tco2e()),
                    show(inv.subject_tco2e())
                ),
                format!(
                    "碳足迹 {} tCO2e；声明对象 {} tCO2e（{share} %）",
                    show(inv.footprint_tco2e()),
                    show(inv.subject_tco2e())
                ),
            )
        }
        "exclusions" => {
            let out: Vec<_> = inv.sources.iter().filter(|s| !s.in_subject).collect();
            if out.is_empty() {
                return given("none", "无");
            }
            if out
                .iter()
                .any(|s| s.exclusion.as_ref().is_none_or(Text::is_blank))
            {
                return missing(
                    "the justification of every excluded source",
                    "每个被排除排放源的理由",
                );
            }
            let (en, zh): (Vec<String>, Vec<String>) = out
                .iter()
                .map(|s| {
                    let why = s.exclusion.clone().unwrap_or_default();
                    (
                        format!("{} ({} tCO2e): {}", s.place.label, show(s.tco2e), why.en),
                        format!("{}（{} tCO2e）：{}", s.place.label, show(s.tco2e), why.zh),
                    )
                })
                .unzip();
            given(en.join("; "), zh.join("；"))
        }
        "commitment" => match st.commitment_year {
            Some(y) => given(
                format!("carbon neutrality by {y}"),
                format!("于 {y} 年前实现碳中和"),
            ),
            None => missing("the commitment and its timescale", "承诺及其时间表"),
        },
        "targets" => {
            if facts.plan.targets.is_empty() {
                return missing("the reduction targets", "减排目标");
            }
            let (en, zh): (Vec<String>, Vec<String>) = facts
                .plan
                .targets
                .iter()
                .map(|t| {
                    let kind = match t.kind {
                        TargetKind::Absolute => ("absolute", "绝对量"),
                        TargetKind::Intensity => ("intensity", "强度"),
                    };
                    (
                        format!(
                            "{}: {} −{} % from {} to {} (scopes {})",
                            t.place.label,
                            kind.0,
                            show(t.reduction_pct),
                            t.base_year,
                            t.target_year,
                            t.scopes
                        ),
                        format!(
                            "{}：{} {} 年至 {} 年降低 {} %（范围 {}）",
                            t.place.label,
                            kind.1,
                            t.base_year,
                            t.target_year,
                            show(t.reduction_pct),
                            t.scopes
                        ),
                    )
                })
                .unzip();
            given(en.join("; "), zh.join("；"))
        }
        "reduction_means" => {
            let planned: Vec<_> = facts.plan.planned().collect();
            if planned.is_empty() {
                return missing("the planned means of reduction", "计划的减排手段");
            }
            let (en, zh): (Vec<String>, Vec<String>) = planned
                .iter()
                .map(|m| {
                    let start = m.start.map(|s| s.to_string()).unwrap_or_else(|| "—".into());
                    let t = m.planned_tco2e.map(show).unwrap_or_else(|| "—".into());
                    (
                        format!(
                            "{} ({}, from {start}, {t} tCO2e/yr expected)",
                            m.place.label,
                            m.status.code()
                        ),
                        format!(
                            "{}（{}，{start} 起，预计每年 {t} tCO2e）",
                            m.place.label,
                            m.status.code()
                        ),
                    )
                })
                .unzip();
            given(en.join("; "), zh.join("；"))
        }
        "offset_strategy" => {
            if facts.plan.offset_strategy.is_empty() {
                return missing(
                    "the offset strategy (credit types and quantities)",
                    "抵消策略（碳信用类型和数量）",
                );
            }
            let (en, zh): (Vec<String>, Vec<String>) = facts
                .plan
                .offset_strategy
                .iter()
                .map(|l| {
                    let kind = match l.kind {
                        Some(CreditType::Removal) => ("removal", "清除类"),
                        Some(CreditType::Avoidance) => ("avoidance", "避免排放类"),
                        None => ("type not stated", "类型未说明"),
                    };
                    (
                        format!("{} ({}): {} tCO2e", l.description, kind.0, show(l.tco2e)),
                        format!("{}（{}）：{} tCO2e", l.description, kind.1, show(l.tco2e)),
                    )
                })
                .unzip();
            given(en.join("; "), zh.join("；"))
        }
        "reductions_achieved" => {
            // the base year and the previous period are often the same year: one line then
            let base = facts.reductions.base.as_ref();
            let previous = facts.reductions.previous.as_ref();
            let same = matches!((base, previous), (Some(b), Some(p)) if b == p);
            let mut lines: Vec<(String, String)> = Vec::new();
            if let Some(b) = base {
                lines.push(if same {
                    comparison_line(b, ("the base year and previous period", "基准年及上一期间"))
                } else {
                    comparison_line(b, ("the base year", "基准年"))
                });
            }
            if let Some(p) = previous.filter(|_| !same) {
                lines.push(comparison_line(p, ("the previous period", "上一期间")));
            }
            if lines.is_empty() {
                return missing(
                    "the reductions achieved (absolute and intensity)",
                    "已实现的减排量（绝对量和强度）",
                );
            }
            let (en, zh): (Vec<String>, Vec<String>) = lines.into_iter().unzip();
            given(en.join("; "), zh.join("；"))
        }
        "credits" => {
            let lines = credit_lines(pack, facts);
            if lines.is_empty() {
                return missing("the credits retired", "已注销的碳信用");
            }
            let (en, zh): (Vec<String>, Vec<String>) = lines
                .iter()
                .map(|c| {
                    let reg = c.registry.clone().unwrap_or_else(|| "—".into());
                    let proj = c.project.clone().unwrap_or_else(|| "—".into());
                    let kind = match c.kind {
                        Some(CreditType::Removal) => ("removal", "清除类"),
                        Some(CreditType::Avoidance) => ("avoidance", "避免排放类"),
                        None => ("type not stated", "类型未说明"),
                    };
                    let when = c.retired.map(|d| d.to_string()).unwrap_or_default();
                    (
                        format!(
                            "{reg}, {proj}, {}, {} tCO2e, serial {}, retired {when}",
                            kind.0,
                            show(c.tco2e),
                            c.serial
                        ),
                        format!(
                            "{reg}，{proj}，{}，{} tCO2e，序列号 {}，{when} 注销",
                            kind.1,
                            show(c.tco2e),
                            c.serial
                        ),
                    )
                })
                .unzip();
            given(en.join("; "), zh.join("；"))
        }
        "validation" => match assurance(facts) {
            Some(t) => QesValue::Given { text: t },
            None => missing(
                "the type of validation and who performed it",
                "确认方式及执行机构",
            ),
        },
        "date" => match st.statement_date {
            Some(d) => given(d.to_string(), d.to_string()),
            None => missing("the date of the declaration", "声明日期"),
        },
        "senior" => stated_string(
            &st.senior,
            "the senior representative who signs",
            "签署的高级管理代表",
        ),
        "published_at" => stated_string(
            &st.published_at,
            "where the declaration is made public",
            "声明的公开渠道",
        ),
        other => missing(
            &format!("'{other}': this Lingtan does not fill this element"),
            &format!("“{other}”：本版 Lingtan 不填写该要素"),
        ),
    }
}

/// The QES for a declaration of `kind`: every element the pack lists for it, in the pack's order.
/// Each element of a QES that is missing, as a reason for the documents to be a draft.
fn missing_reasons(elements: &[QesItem]) -> Vec<Text> {
    elements
        .iter()
        .filter_map(|e| match &e.value {
            QesValue::Missing { what } => Some(Text::new(
                format!("QES element missing: {} ({})", e.label.en, what.en),
                format!("QES 要素缺失：{}（{}）", e.label.zh, what.zh),
            )),
            QesValue::Given { .. } => None,
        })
        .collect()
}

impl Qes {
    /// Each missing element, as a reason for the documents to be a draft.
    pub fn missing_reasons(&self) -> Vec<Text> {
        missing_reasons(&self.elements)
    }
}

pub fn qes(pack: &Pack, claim: &Claim, facts: &Facts, kind: Declaration) -> Qes {
    let elements: Vec<QesItem> = pack
        .qes
        .iter()
        .filter(|e| e.declarations.contains(&kind))
        .map(|e| QesItem {
            key: e.key.clone(),
            label: e.label.clone(),
            clause: e.clause.clone(),
            confirmed: e.confirmed,
            value: qes_value(&e.key, pack, claim, facts),
        })
        .collect();
    let missing_reasons = missing_reasons(&elements);
    let draft = match kind {
        Declaration::Achievement => Draft::of(claim),
        Declaration::Commitment => Draft::default(),
    }
    .with(missing_reasons);
    Qes {
        draft,
        kind,
        heading: match kind {
            Declaration::Commitment => Text::new(
                "Qualifying explanatory statement (declaration of commitment)",
                "合格解释声明（承诺声明）",
            ),
            Declaration::Achievement => Text::new(
                "Qualifying explanatory statement (declaration of achievement)",
                "合格解释声明（达成声明）",
            ),
        },
        edition: pack.edition.clone(),
        elements,
        note: Text::new(
            "The elements follow the checklists of PAS 2060 Annex B (informative); each cites the normative clause behind it. The element list could not be confirmed against the text of the tables.",
            "各要素参照 PAS 2060 附录 B（资料性）的核对表，并注明其所依据的规范性条款。要素清单未能与该表原文核对。",
        ),
    }
}

/// The checks as the self-evaluation lists them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CheckLine {
    pub code: String,
    pub title: Text,
    pub status: CheckStatus,
}

/// T/CECA-G 0171-2022's self-evaluation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SelfEvaluation {
    #[serde(flatten)]
    pub draft: Draft,
    pub heading: Text,
    pub entity: Text,
    pub edition: String,
    pub zcf_type: Option<ZcfType>,
    pub period: ClaimPeriod,
    pub figures: Field<Figures>,
    pub scoring: Field<Option<Scoring>>,
    pub scoring_errors: Vec<ClaimError>,
    pub star_level: Field<Option<u8>>,
    pub stars: Field<Vec<Star>>,
    pub checks: Field<Vec<CheckLine>>,
    pub note: Text,
}

/// The self-evaluation: the figures, the assessor's scores, the star levels and the checks.
pub fn self_evaluation(pack: &Pack, claim: &Claim, facts: &Facts) -> SelfEvaluation {
    let figures = zcf::figures(pack, facts);
    let (scoring, scoring_errors) = match &facts.scores {
        None => (None, Vec::new()),
        Some(t) => match zcf::score(t) {
            Ok(s) => (Some(s), Vec::new()),
            Err(e) => (None, e),
        },
    };
    let stars = zcf::stars(pack, &figures);
    let mut draft = Draft::of(claim);
    if !scoring_errors.is_empty() {
        draft = draft.with([Text::new(
            format!("The scoring table has {} problems.", scoring_errors.len()),
            format!("评分表有 {} 处问题。", scoring_errors.len()),
        )]);
    }
    let zcf_type = Framework::parse(&pack.framework)
        .ok()
        .and_then(|(f, _)| f.zcf_type());
    SelfEvaluation {
        draft,
        heading: Text::new(
            "Zero-carbon factory self-evaluation",
            "零碳工厂自评价",
        ),
        entity: entity(facts),
        edition: pack.edition.clone(),
        zcf_type,
        period: claim.period,
        figures: field("Figures from the project", "项目数据计算的指标", figures),
        scoring: field("The assessor's scoring table", "评价机构评分表", scoring),
        scoring_errors,
        star_level: field("Star level applied for", "申请星级", facts.settings.star_level),
        stars: field("Star levels", "星级要求", stars),
        checks: field(
            "Checks",
            "检查结果",
            claim
                .checks
                .iter()
                .map(|c| CheckLine {
                    code: c.code.clone(),
                    title: c.title.clone(),
                    status: c.status,
                })
                .collect(),
        ),
        note: Text::new(
            "The standard's indicators, weights and thresholds were not available to Lingtan: the scores are the assessor's table, and only the published star-level requirement is applied. Sources disagree on what distinguishes Type I from Type II (the boundary, or the means of neutralisation).",
            "Lingtan 未能获得该标准的指标、权重和门槛：得分取自评价机构的评分表，仅应用已公开的星级要求。各来源对 I 型与 II 型的区别（核算边界还是中和方式）说法不一。",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::claim::pack::QesElement;

    #[test]
    fn every_qes_key_is_filled_by_its_own_arm() {
        // a key listed in QES_KEYS but missing from qes_value would fall to the last arm
        let p: Pack = Pack {
            framework: "pas2060".into(),
            edition: "pas2060:2014".into(),
            title: Text::new("t", "t"),
            designation: "PAS 2060:2014".into(),
            standard: "PAS 2060:2014".into(),
            published: None,
            withdrawn: None,
            notes: vec![],
            rules: vec![],
            qes: QES_KEYS
                .iter()
                .map(|k| QesElement {
                    key: k.to_string(),
                    label: Text::new(*k, *k),
                    clause: Text::new("PAS 2060:2014 clause 10", "PAS 2060:2014 第 10 章"),
                    confirmed: false,
                    declarations: vec![Declaration::Achievement],
                })
                .collect(),
            star_levels: vec![],
            star_rules: vec![],
        };
        assert!(
            p.validate(Framework::Pas2060).is_empty(),
            "every qes key is filled by its own arm"
        );
        let facts = Facts {
            period: ClaimPeriod::calendar_year(2025).unwrap(),
            settings: Default::default(),
            inventory: Default::default(),
            plan: Default::default(),
            reductions: Default::default(),
            offset: Default::default(),
            energy: Default::default(),
            without_evidence: vec![],
            scores: None,
        };
        let claim = crate::claim::evaluate(&p, &facts);
        let q = qes(&p, &claim, &facts, Declaration::Achievement);
        assert_eq!(
            q.elements.len(),
            QES_KEYS.len(),
            "every qes key is filled by its own arm"
        );
        for e in &q.elements {
            if let QesValue::Missing { what } = &e.value {
                assert!(
                    !what.en.contains("does not fill"),
                    "{}: implemented in qes_value",
                    e.key
                );
            }
        }
    }
}
