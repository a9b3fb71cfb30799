//! The reduction section (碳减排) of the report: its model and renderers, made from lingtan-core's
//! reduction types only.
//!
//! [`ReductionData`] holds what the workbench computed (targets with their trajectory, plan and
//! base change; measures with their inputs, formula, abatement, money and achieved abatement; the
//! MACC; the LMDI decomposition; the recalculation log; the issues). [`section`] turns it into
//! the report's blocks and [`Figure`]s in one language or both: the targets with their
//! trajectory chart (allowed, actual, planned), the measures with their inputs and formulas, the
//! MACC, progress, and the waterfall of what changed and why. [`chart::draw`] draws a figure as
//! SVG (plotters, the inventory charts' style); [`text`] renders the section as plain text (what
//! golden tests compare); [`xlsx::sheets`] adds the Targets and Measures sheets, where CRF,
//! annualised cost, MAC, NPV, payback and the trajectory are live formulas.
//!
//! Hooked in: [`data_of`] fills [`ReductionData`] from the workbench's `lingtan::ReductionReport`
//! field for field; `data::Data::gather` does so when the project has a target, a measure or a
//! recalculation (otherwise the report is byte-identical to one made before the step existed);
//! `doc::build` appends the section as section 8 (an [`Item::Figure`] becomes
//! `Block::Figure`, laid out as the inventory's charts), and `xlsx::render` calls [`xlsx::sheets`]
//! after the inventory's sheets. `lingtan reduction` prints the section unnumbered.

pub mod chart;
pub mod xlsx;

use crate::doc::{t3, Align, Block, Column, Document, Table};
use crate::Langs;
use lingtan_core::reduction::abatement::MeasureResult;
use lingtan_core::reduction::finance::{DiscountRate, NoMac, DEFAULT_DISCOUNT_RATE_RULE};
use lingtan_core::reduction::lmdi::Decomposition;
use lingtan_core::reduction::macc::{Macc, MaccBar};
use lingtan_core::reduction::measure::{MeasureKind, MeasureStatus};
use lingtan_core::reduction::plan::Plan;
use lingtan_core::reduction::progress::{Achieved, Method};
use lingtan_core::reduction::target::{
    Assessment, BaseChange, Recalculation, Status, Target, TargetKind, PATHWAYS,
};
use lingtan_core::reduction::{figure, Basis, Month};
use lingtan_core::text::grouped;
use lingtan_core::Lang as CoreLang;
use lingtan_core::{Decimal, Issue, Severity};

/// A target with everything computed for it.
#[derive(Debug, Clone, PartialEq)]
pub struct TargetData {
    pub target: Target,
    pub assessment: Assessment,
    pub base_change: Option<BaseChange>,
    pub plan: Plan,
    /// The emissions allowed in the target year (an intensity target: at the reference
    /// year's output).
    pub target_tco2e: Option<Decimal>,
    /// The output in the metric's unit, per year with output (intensity targets; the
    /// workbook's allowed emissions are formulas over it).
    pub outputs: Vec<(i32, Decimal)>,
}

/// A measure with everything computed for it.
#[derive(Debug, Clone, PartialEq)]
pub struct MeasureData {
    pub name: String,
    pub kind: MeasureKind,
    pub status: MeasureStatus,
    pub start: Option<Month>,
    pub meter: Option<String>,
    /// The kind's inputs as recorded (name, value).
    pub inputs: Vec<(String, String)>,
    /// `None`: it could not be evaluated (the issues say why).
    pub result: Option<MeasureResult>,
    pub achieved: Option<Achieved>,
}

/// What the reduction section is made from.
#[derive(Debug, Clone, PartialEq)]
pub struct ReductionData {
    pub year: i32,
    pub basis: Basis,
    pub base_year: Option<i32>,
    pub discount_rate: DiscountRate,
    pub carbon_price: Option<Decimal>,
    pub targets: Vec<TargetData>,
    pub measures: Vec<MeasureData>,
    pub macc: Macc,
    pub decomposition: Option<Decomposition>,
    /// The totals (all scopes, on `basis`) of the decomposition's two years.
    pub decomposed_tco2e: Option<(Decimal, Decimal)>,
    pub recalculations: Vec<Recalculation>,
    pub issues: Vec<Issue>,
}

/// A part of the section: a block of the document, or a figure.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    Block(Block),
    Figure(Figure),
}

/// A chart of the section, with its title (printed above it as text, as the inventory's).
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    pub title: String,
    /// The y axis' unit.
    pub unit: String,
    pub kind: FigureKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum FigureKind {
    Trajectory(Trajectory),
    Macc(MaccFigure),
    Waterfall(Waterfall),
}

/// A target's trajectory: one value per year of each line (`None` where there is none).
#[derive(Debug, Clone, PartialEq)]
pub struct Trajectory {
    pub years: Vec<i32>,
    pub allowed: Vec<Option<Decimal>>,
    pub actual: Vec<Option<Decimal>>,
    /// Projected with the planned measures.
    pub planned: Vec<Option<Decimal>>,
    /// The three lines' names: allowed, actual, planned.
    pub labels: [String; 3],
}

/// The MACC: bars in order, the carbon price line.
#[derive(Debug, Clone, PartialEq)]
pub struct MaccFigure {
    pub bars: Vec<MaccBar>,
    pub carbon_price: Option<Decimal>,
    pub x_title: String,
    /// Names of: measures that pay for themselves, that cost money, the carbon price.
    pub labels: [String; 3],
}

/// What changed: the base year's total, the effects, the reporting year's total.
#[derive(Debug, Clone, PartialEq)]
pub struct Waterfall {
    pub steps: Vec<WaterfallStep>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct WaterfallStep {
    pub label: String,
    pub value: Decimal,
    /// A total (drawn from zero), else a change (drawn from the running level).
    pub total: bool,
}

struct Builder {
    lang: Langs,
    items: Vec<Item>,
}

impl Builder {
    fn s(&self, en: &str, zh: &str) -> String {
        self.lang.pick(en, zh)
    }
    fn block(&mut self, b: Block) {
        self.items.push(Item::Block(b));
    }
    /// A heading numbered `number` ("6.1"); unnumbered when the section has no number (the
    /// command line's `reduction`, where `number` is "" and sub-headings come as ".1").
    fn h(&mut self, level: u8, number: &str, en: &str, zh: &str) {
        let text = if number.is_empty() || number.starts_with('.') {
            self.s(en, zh)
        } else {
            format!("{number} {}", self.s(en, zh))
        };
        self.block(Block::Heading { level, text });
    }
    /// A paragraph: in both languages, the Chinese one then the English one.
    fn p(&mut self, en: &str, zh: &str) {
        match self.lang {
            Langs::One(CoreLang::Zh) => self.block(Block::Paragraph(zh.to_string())),
            Langs::One(CoreLang::En) => self.block(Block::Paragraph(en.to_string())),
            Langs::Both => {
                self.block(Block::Paragraph(zh.to_string()));
                self.block(Block::Paragraph(en.to_string()));
            }
        }
    }
    fn c(&self, en: &str, zh: &str, align: Align, weight: u32) -> Column {
        Column {
            title: self.lang.stack(en, zh),
            align,
            weight,
        }
    }
    fn table(&mut self, columns: Vec<Column>, rows: Vec<Vec<String>>, total: bool) {
        self.block(Block::Table(Table {
            columns,
            rows,
            total,
        }));
    }
}

fn dash() -> String {
    "—".to_string()
}

fn opt_t3(d: Option<Decimal>) -> String {
    d.map_or_else(dash, t3)
}

/// Money and MAC: whole numbers as they are, else two decimals.
fn money(d: Option<Decimal>) -> String {
    d.map_or_else(dash, figure)
}

fn pct(d: Decimal) -> String {
    format!("{} %", figure(d))
}

fn status(lang: Langs, s: Status) -> String {
    match s {
        Status::OnTrack => lang.pick("on track", "达标"),
        Status::OffTrack => lang.pick("off track", "未达标"),
        Status::NoData => lang.pick("no data", "无数据"),
    }
}

fn measure_status(lang: Langs, s: MeasureStatus) -> String {
    match s {
        MeasureStatus::Idea => lang.pick("idea", "设想"),
        MeasureStatus::Planned => lang.pick("planned", "已计划"),
        MeasureStatus::Approved => lang.pick("approved", "已批准"),
        MeasureStatus::InProgress => lang.pick("in progress", "实施中"),
        MeasureStatus::Done => lang.pick("done", "已完成"),
    }
}

fn no_mac(lang: Langs, r: NoMac) -> String {
    match r {
        NoMac::NoAbatement => lang.pick("no abatement", "无减排量"),
        NoMac::AddsEmissions => lang.pick("adds emissions", "增加排放"),
        NoMac::NoPrice => lang.pick("no energy price", "无能源价格"),
        NoMac::NoFactor => lang.pick("no emission factor", "无排放因子"),
    }
}

fn method(lang: Langs, m: Method) -> String {
    match m {
        Method::Metered => lang.pick("metered", "计量"),
        Method::ProductionNormalised => lang.pick("production-normalised", "产量归一"),
        Method::PlainDifference => lang.pick(
            "plain difference (no output data)",
            "直接差值（无产出数据）",
        ),
    }
}

fn basis_name(lang: Langs, b: Basis) -> String {
    match b {
        Basis::Location => lang.pick("location-based", "基于位置"),
        Basis::Market => lang.pick("market-based", "基于市场"),
    }
}

/// The reduction section in `lang`, numbered `number` ("6").
pub fn section(d: &ReductionData, lang: Langs, number: &str) -> Vec<Item> {
    let mut b = Builder {
        lang,
        items: Vec::new(),
    };
    let year = d.year;
    b.h(1, number, "Reduction", "碳减排");
    b.p(
        &format!("Targets against the base year, the measures the organisation is weighing with their annual abatement, cost per tonne, NPV and payback, the marginal-abatement-cost curve that ranks them, the abatement the finished measures achieved, measured from the organisation's own records, and what changed since the base year. Figures for {year}; abatement and MAC on {} scope 2 emissions, with the project's own factors and energy prices.", basis_name(Langs::One(CoreLang::En), d.basis)),
        &format!("相对基准年的减排目标；备选减排措施的年减排量、单位减排成本、净现值与回收期；按边际减排成本排序的曲线；由组织自身数据计量的已完成措施实际减排量；以及自基准年以来排放变化的原因。数据年份 {year}；减排量与边际减排成本按{}范围二排放计算，采用项目自身的排放因子与能源价格。", basis_name(Langs::One(CoreLang::Zh), d.basis)),
    );
    let rate_note = if d.discount_rate == DiscountRate::default() {
        lang.pick(
            &format!(" (default; {})", DEFAULT_DISCOUNT_RATE_RULE.citation),
            "（默认值；中国社会折现率研究常用值，未经一手来源证实）",
        )
    } else {
        String::new()
    };
    let fields = vec![
        (b.s("Reporting year", "报告年份"), year.to_string()),
        (
            b.s("Scope 2 basis", "范围二口径"),
            basis_name(lang, d.basis),
        ),
        (
            b.s("Base year", "基准年"),
            d.base_year.map_or_else(dash, |y| y.to_string()),
        ),
        (
            b.s("Discount rate", "折现率"),
            format!("{}{rate_note}", pct(d.discount_rate.pct())),
        ),
        (
            b.s("Carbon price", "碳价"),
            d.carbon_price
                .map_or_else(dash, |p| format!("{} CNY/tCO2e", figure(p))),
        ),
    ];
    b.block(Block::Fields(fields));
    targets(&mut b, d, number);
    measures(&mut b, d, number);
    curve(&mut b, d, number);
    progress(&mut b, d, number);
    changes(&mut b, d, number);
    issues(&mut b, d, number);
    b.items
}

fn targets(b: &mut Builder, d: &ReductionData, number: &str) {
    let lang = b.lang;
    let year = d.year;
    b.h(2, &format!("{number}.1"), "Targets", "减排目标");
    if d.targets.is_empty() {
        b.p(
            "No target is set. Set one against the base year (`lingtan target add`).",
            "尚未设定目标。请相对基准年设定目标（`lingtan target add`）。",
        );
        return;
    }
    let rows: Vec<Vec<String>> = d
        .targets
        .iter()
        .map(|t| {
            let x = &t.target;
            vec![
                x.name.clone(),
                x.scopes.code().to_string(),
                match x.kind {
                    TargetKind::Absolute => lang.pick("absolute", "绝对"),
                    TargetKind::Intensity => format!(
                        "{} ({})",
                        lang.pick("intensity", "强度"),
                        x.metric
                            .as_ref()
                            .map_or(String::new(), |m| format!("t/{}", m.unit))
                    ),
                },
                format!("{} → {}", x.base_year, x.target_year),
                t3(x.base_tco2e),
                format!("−{}", pct(x.reduction_pct)),
                opt_t3(t.target_tco2e),
                status(lang, t.assessment.status),
                opt_t3(t.assessment.gap_tco2e),
            ]
        })
        .collect();
    let columns = vec![
        b.c("Target", "目标", Align::Left, 16),
        b.c("Scopes", "范围", Align::Left, 7),
        b.c("Kind", "类型", Align::Left, 10),
        b.c("Years", "年份", Align::Left, 11),
        b.c("Base tCO2e", "基准年 tCO2e", Align::Right, 11),
        b.c("Reduction", "减排幅度", Align::Right, 9),
        b.c("Target tCO2e", "目标年 tCO2e", Align::Right, 11),
        b.c(
            &format!("Status {year}"),
            &format!("{year} 状态"),
            Align::Left,
            9,
        ),
        b.c("Gap t", "差距 t", Align::Right, 10),
    ];
    b.table(columns, rows, false);
    for t in &d.targets {
        let x = &t.target;
        let years: Vec<i32> = t.assessment.trajectory.iter().map(|y| y.year).collect();
        let planned: Vec<Option<Decimal>> = years
            .iter()
            .map(|y| {
                t.plan
                    .years
                    .iter()
                    .find(|p| p.year == *y)
                    .and_then(|p| p.projected_tco2e)
                    // the line starts from the reference year's actual figure
                    .or_else(|| {
                        (*y == t.plan.reference_year)
                            .then(|| {
                                t.assessment
                                    .trajectory
                                    .iter()
                                    .find(|a| a.year == *y)
                                    .and_then(|a| a.actual_tco2e)
                            })
                            .flatten()
                    })
            })
            .collect();
        let chart = Figure {
            title: lang.pick(
                &format!("Trajectory of the target '{}'", x.name),
                &format!("目标“{}”的减排轨迹", x.name),
            ),
            unit: "tCO2e".into(),
            kind: FigureKind::Trajectory(Trajectory {
                allowed: t
                    .assessment
                    .trajectory
                    .iter()
                    .map(|y| y.allowed_tco2e)
                    .collect(),
                actual: t
                    .assessment
                    .trajectory
                    .iter()
                    .map(|y| y.actual_tco2e)
                    .collect(),
                planned,
                years,
                labels: [
                    lang.pick("allowed", "目标轨迹"),
                    lang.pick("actual", "实际"),
                    lang.pick("planned", "计划"),
                ],
            }),
        };
        b.items.push(Item::Figure(chart));
        let ambition_en = match &x.pathway {
            Some(p) => {
                let rule = PATHWAYS.iter().find(|q| q.id == p.id);
                format!(
                    "pathway {} ({}): {} % of base-year emissions a year, {} % by {}{}",
                    p.id,
                    p.version,
                    rule.map_or(String::new(), |r| figure(r.annual_rate_pct)),
                    figure(x.reduction_pct),
                    x.target_year,
                    rule.map_or(String::new(), |r| format!("; {}", r.source.citation))
                )
            }
            None => format!(
                "a reduction of {} % from {} to {}, linear",
                figure(x.reduction_pct),
                x.base_year,
                x.target_year
            ),
        };
        let ambition_zh = match &x.pathway {
            Some(p) => format!(
                "路径 {}（{}）：每年减少基准年排放的 {} %，至 {} 年共 {} %",
                p.id,
                p.version,
                PATHWAYS
                    .iter()
                    .find(|q| q.id == p.id)
                    .map_or(String::new(), |r| figure(r.annual_rate_pct)),
                x.target_year,
                figure(x.reduction_pct)
            ),
            None => format!(
                "{} 年至 {} 年线性减排 {} %",
                x.base_year,
                x.target_year,
                figure(x.reduction_pct)
            ),
        };
        let plan_en = format!(
            "The planned measures abate {} t in {}; projected emissions {} t against {} t allowed (gap {} t; from the {} figures, output and emissions held flat).",
            opt_t3(t.plan.planned_tco2e_in_target_year),
            x.target_year,
            opt_t3(t.plan.projected_tco2e_in_target_year),
            opt_t3(t.target_tco2e),
            opt_t3(t.plan.gap_tco2e_in_target_year),
            t.plan.reference_year
        );
        let plan_zh = format!(
            "计划措施在 {} 年减排 {} t；预测排放 {} t，目标允许 {} t（差距 {} t；以 {} 年数据为参照，产量与排放保持不变）。",
            x.target_year,
            opt_t3(t.plan.planned_tco2e_in_target_year),
            opt_t3(t.plan.projected_tco2e_in_target_year),
            opt_t3(t.target_tco2e),
            opt_t3(t.plan.gap_tco2e_in_target_year),
            t.plan.reference_year
        );
        b.p(
            &format!("{}: {ambition_en}. {plan_en}", x.name),
            &format!("{}：{ambition_zh}。{plan_zh}", x.name),
        );
        if let Some(c) = &t.base_change {
            b.p(
                &format!("{}: {}.", x.name, c.message_en()),
                &format!("{}：{}。", x.name, c.message_zh()),
            );
        }
    }
    if !d.recalculations.is_empty() {
        b.p(
            "Base-year recalculations (GHG Protocol Corporate Standard ch. 5; the recalculation log ISO 14064-1 asks for):",
            "基准年重新计算记录（GHG Protocol 企业标准第 5 章；ISO 14064-1 要求的重新计算记录）：",
        );
        let rows = d
            .recalculations
            .iter()
            .map(|r| {
                vec![
                    r.recorded_at.clone(),
                    r.target.clone(),
                    t3(r.was_tco2e),
                    t3(r.now_tco2e),
                    format!("{} %", grouped(r.change_pct, 1)),
                    if r.significant {
                        lang.pick("yes", "是")
                    } else {
                        lang.pick("no", "否")
                    },
                    r.reason.clone(),
                ]
            })
            .collect();
        let columns = vec![
            b.c("Recorded", "记录时间", Align::Left, 12),
            b.c("Target", "目标", Align::Left, 12),
            b.c("Was t", "原值 t", Align::Right, 10),
            b.c("Now t", "新值 t", Align::Right, 10),
            b.c("Change", "变化", Align::Right, 8),
            b.c("Significant", "显著", Align::Left, 7),
            b.c("Reason", "原因", Align::Left, 24),
        ];
        b.table(columns, rows, false);
    }
}

fn measures(b: &mut Builder, d: &ReductionData, number: &str) {
    let lang = b.lang;
    b.h(2, &format!("{number}.2"), "Measures", "减排措施");
    if d.measures.is_empty() {
        b.p(
            "No measure is recorded yet (`lingtan measure add`).",
            "尚未登记减排措施（`lingtan measure add`）。",
        );
        return;
    }
    let rows: Vec<Vec<String>> = d
        .measures
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let r = m.result.as_ref();
            let (kind_en, kind_zh) = (m.kind.spec().name_en, m.kind.spec().name_zh);
            vec![
                (i + 1).to_string(),
                m.name.clone(),
                lang.pick(kind_en, kind_zh),
                measure_status(lang, m.status),
                m.start.map_or_else(dash, |s| s.to_string()),
                opt_t3(r.and_then(|r| r.abatement_tco2e)),
                money(r.map(|r| r.capex)),
                money(r.and_then(|r| r.savings)),
                match r {
                    Some(r) => match (r.mac, r.no_mac) {
                        (Some(mac), _) => figure(mac),
                        (None, Some(why)) => no_mac(lang, why),
                        (None, None) => dash(),
                    },
                    None => dash(),
                },
                money(r.and_then(|r| r.npv)),
                r.and_then(|r| r.payback_years)
                    .map_or_else(dash, |p| grouped(p, 1)),
            ]
        })
        .collect();
    let columns = vec![
        // widths for the PDF: a month (2025-07) and a seven-figure NPV on one line
        b.c("#", "#", Align::Right, 2),
        b.c("Measure", "措施", Align::Left, 14),
        b.c("Kind", "类型", Align::Left, 13),
        b.c("Status", "状态", Align::Left, 8),
        b.c("Start", "开始", Align::Left, 9),
        b.c("Abatement t/yr", "年减排量 t", Align::Right, 10),
        b.c("Capex CNY", "投资 元", Align::Right, 11),
        b.c("Savings CNY/yr", "年节省 元", Align::Right, 11),
        b.c("MAC CNY/t", "边际成本 元/t", Align::Right, 9),
        b.c("NPV CNY", "净现值 元", Align::Right, 13),
        b.c("Payback yr", "回收期 年", Align::Right, 7),
    ];
    b.table(columns, rows, false);
    b.p(
        &format!("Abatement = −Σ change × the source's factor ({} scope 2); energy cost savings = −Σ change × the energy price; CRF = r(1+r)^n/((1+r)^n − 1); annualised cost = CRF × capex + opex − savings; MAC = annualised cost ÷ annual abatement; NPV = −capex + Σ_(t=1..n) (savings − opex)/(1+r)^t; simple payback = capex ÷ (savings − opex).", basis_name(Langs::One(CoreLang::En), d.basis)),
        &format!("减排量 = −Σ 变化量 × 排放源排放因子（{}范围二）；节能收益 = −Σ 变化量 × 能源单价；资本回收系数 CRF = r(1+r)^n/((1+r)^n − 1)；年化成本 = CRF × 投资 + 运行费用 − 节能收益；边际减排成本 = 年化成本 ÷ 年减排量；净现值 = −投资 + Σ_(t=1..n)（节能收益 − 运行费用）/(1+r)^t；静态回收期 = 投资 ÷（节能收益 − 运行费用）。", basis_name(Langs::One(CoreLang::Zh), d.basis)),
    );
    for (i, m) in d.measures.iter().enumerate() {
        let inputs = m
            .inputs
            .iter()
            .map(|(k, v)| format!("{k} = {v}"))
            .collect::<Vec<_>>()
            .join(", ");
        let Some(r) = &m.result else {
            b.p(
                &format!(
                    "{}. {}: {inputs}; it cannot be evaluated (see the issues).",
                    i + 1,
                    m.name
                ),
                &format!("{}. {}：{inputs}；无法计算（见问题清单）。", i + 1, m.name),
            );
            continue;
        };
        let formula = r.formula.as_ref();
        let changes_en = r
            .changes
            .iter()
            .map(|c| format!("'{}' {} {}", c.source, figure(c.quantity), c.unit))
            .collect::<Vec<_>>()
            .join(", ");
        let lifetime_en = format!(
            "{} years{}",
            r.lifetime,
            if r.lifetime_is_default {
                " (the kind's default)"
            } else {
                ""
            }
        );
        let lifetime_zh = format!(
            "{} 年{}",
            r.lifetime,
            if r.lifetime_is_default {
                "（该类型默认值）"
            } else {
                ""
            }
        );
        let en = format!(
            "{}. {}{}: {}; lifetime {lifetime_en}, CRF {}; abatement {} t/yr ({} t location-based, {} t market-based).{}",
            i + 1,
            m.name,
            if inputs.is_empty() { String::new() } else { format!(" ({inputs})") },
            formula.map_or_else(|| format!("changes given directly: {changes_en}"), |f| f.en.clone()),
            grouped(r.crf, 6),
            opt_t3(r.abatement_tco2e),
            opt_t3(r.abatement_location_tco2e),
            opt_t3(r.abatement_market_tco2e),
            if r.notes.iter().any(|n| !n.confirmed) {
                format!(
                    " Unconfirmed rules used: {}.",
                    r.notes.iter().filter(|n| !n.confirmed).map(|n| n.citation).collect::<Vec<_>>().join("; ")
                )
            } else {
                String::new()
            }
        );
        let zh = format!(
            "{}. {}{}：{}；寿命 {lifetime_zh}，资本回收系数 {}；年减排量 {} t（基于位置 {} t，基于市场 {} t）。{}",
            i + 1,
            m.name,
            if inputs.is_empty() { String::new() } else { format!("（{inputs}）") },
            formula.map_or_else(|| format!("直接给出的变化量：{changes_en}"), |f| f.zh.clone()),
            grouped(r.crf, 6),
            opt_t3(r.abatement_tco2e),
            opt_t3(r.abatement_location_tco2e),
            opt_t3(r.abatement_market_tco2e),
            if r.notes.iter().any(|n| !n.confirmed) {
                "所用部分规则尚未经一手来源证实（见英文说明）。".to_string()
            } else {
                String::new()
            }
        );
        b.p(&en, &zh);
    }
}

fn curve(b: &mut Builder, d: &ReductionData, number: &str) {
    let lang = b.lang;
    b.h(
        2,
        &format!("{number}.3"),
        "Marginal abatement cost curve",
        "边际减排成本曲线",
    );
    let index = |name: &str| {
        d.measures
            .iter()
            .position(|m| m.name == name)
            .map_or_else(dash, |i| (i + 1).to_string())
    };
    if d.macc.bars.is_empty() {
        b.p(
            "No measure has a MAC yet: each needs an abatement and a price for the energy it changes.",
            "尚无措施可计算边际减排成本：每项措施都需要减排量及其所涉能源的价格。",
        );
    } else {
        b.items.push(Item::Figure(Figure {
            title: lang.pick(
                &format!("Marginal abatement cost curve, {} (bar width = abatement a year, height = cost per tonne)", d.year),
                &format!("{} 年边际减排成本曲线（柱宽 = 年减排量，柱高 = 单位减排成本）", d.year),
            ),
            unit: "CNY/tCO2e".into(),
            kind: FigureKind::Macc(MaccFigure {
                bars: d.macc.bars.clone(),
                carbon_price: d.carbon_price,
                x_title: lang.pick("tCO2e a year", "年减排量 tCO2e"),
                labels: [
                    lang.pick("pays for itself", "可盈利"),
                    lang.pick("costs per tonne", "需投入"),
                    lang.pick("carbon price", "碳价"),
                ],
            }),
        }));
        let rows: Vec<Vec<String>> = d
            .macc
            .bars
            .iter()
            .map(|bar| {
                vec![
                    index(&bar.name),
                    bar.name.clone(),
                    figure(bar.mac),
                    t3(bar.abatement_tco2e),
                    t3(bar.x_to),
                ]
            })
            .collect();
        let columns = vec![
            b.c("#", "#", Align::Right, 3),
            b.c("Measure", "措施", Align::Left, 20),
            b.c("MAC CNY/t", "边际成本 元/t", Align::Right, 10),
            b.c("Abatement t/yr", "年减排量 t", Align::Right, 10),
            b.c("Cumulative t/yr", "累计 t", Align::Right, 10),
        ];
        b.table(columns, rows, false);
        if let Some(price) = d.carbon_price {
            let below = d.macc.at_or_below(price);
            b.p(
                &format!("At a carbon price of {} CNY/t, {} t a year can be abated at a cost per tonne at or below it.", figure(price), t3(below)),
                &format!("碳价为 {} 元/t 时，单位减排成本不高于碳价的措施每年可减排 {} t。", figure(price), t3(below)),
            );
        }
    }
    if !d.macc.unranked.is_empty() {
        let en = d
            .macc
            .unranked
            .iter()
            .map(|u| {
                format!(
                    "{} ({})",
                    u.name,
                    no_mac(Langs::One(CoreLang::En), u.reason)
                )
            })
            .collect::<Vec<_>>()
            .join(", ");
        let zh = d
            .macc
            .unranked
            .iter()
            .map(|u| {
                format!(
                    "{}（{}）",
                    u.name,
                    no_mac(Langs::One(CoreLang::Zh), u.reason)
                )
            })
            .collect::<Vec<_>>()
            .join("、");
        b.p(
            &format!("Not on the curve: {en}."),
            &format!("未列入曲线：{zh}。"),
        );
    }
}

fn progress(b: &mut Builder, d: &ReductionData, number: &str) {
    let lang = b.lang;
    let year = d.year;
    b.h(2, &format!("{number}.4"), "Progress", "减排进展");
    let rows: Vec<Vec<String>> = d
        .measures
        .iter()
        .filter(|m| m.status >= MeasureStatus::InProgress || m.achieved.is_some())
        .map(|m| {
            vec![
                m.name.clone(),
                measure_status(lang, m.status),
                opt_t3(m.result.as_ref().and_then(|r| r.abatement_tco2e)),
                opt_t3(m.achieved.as_ref().and_then(|a| a.tco2e(d.basis))),
                m.achieved
                    .as_ref()
                    .map_or_else(dash, |a| method(lang, a.method)),
            ]
        })
        .collect();
    if rows.is_empty() {
        b.p(
            "No measure is in progress or done yet.",
            "尚无实施中或已完成的措施。",
        );
        return;
    }
    let columns = vec![
        b.c("Measure", "措施", Align::Left, 18),
        b.c("Status", "状态", Align::Left, 9),
        b.c("Planned t/yr", "计划年减排 t", Align::Right, 10),
        b.c(
            &format!("Achieved {year} t"),
            &format!("{year} 实际减排 t"),
            Align::Right,
            10,
        ),
        b.c("Measured", "计量方式", Align::Left, 14),
    ];
    b.table(columns, rows, false);
    b.p(
        "Metered: the generation the meter recorded × the factor of the grid power it displaced. Production-normalised: the base year's activity per unit of output × this year's output − this year's activity, × this year's factor (the whole source: everything else that changed it is in the figure too). Without output data: the plain difference, which counts a change of production as abatement.",
        "计量：电表记录的发电量 × 所替代电网电力的排放因子。产量归一：基准年单位产出活动量 × 当年产出 − 当年活动量，再乘以当年排放因子（按整个排放源计，其他影响该排放源的变化也包含在内）。无产出数据时按直接差值计算，产量变化会被计为减排。",
    );
}

fn changes(b: &mut Builder, d: &ReductionData, number: &str) {
    let lang = b.lang;
    b.h(
        2,
        &format!("{number}.5"),
        "What changed and why",
        "排放变化及其原因",
    );
    let Some(dc) = &d.decomposition else {
        b.p(
            "There is no change to decompose: no base year before the reporting year with data.",
            "无可分解的变化：报告年之前没有有数据的基准年。",
        );
        return;
    };
    let with_output = dc.volume_tco2e.is_some();
    let mut steps = Vec::new();
    if let Some((from, _)) = d.decomposed_tco2e {
        steps.push(WaterfallStep {
            label: format!("{} {}", dc.from_year, lang.pick("emissions", "排放")),
            value: from,
            total: true,
        });
    }
    if with_output {
        steps.push(WaterfallStep {
            label: lang.pick("Volume (output)", "产量效应"),
            value: dc.volume_tco2e.unwrap_or_default(),
            total: false,
        });
        steps.push(WaterfallStep {
            label: lang.pick("Intensity (the factory)", "强度效应（工厂）"),
            value: dc.intensity_tco2e.unwrap_or_default(),
            total: false,
        });
    } else {
        steps.push(WaterfallStep {
            label: lang.pick("Activity", "活动量效应"),
            value: dc.activity_tco2e.unwrap_or_default(),
            total: false,
        });
    }
    steps.push(WaterfallStep {
        label: lang.pick("Factor (grid, suppliers)", "因子效应（电网、供应商）"),
        value: dc.factor_tco2e,
        total: false,
    });
    if let Some((_, to)) = d.decomposed_tco2e {
        steps.push(WaterfallStep {
            label: format!("{} {}", dc.to_year, lang.pick("emissions", "排放")),
            value: to,
            total: true,
        });
    }
    b.items.push(Item::Figure(Figure {
        title: lang.pick(
            &format!(
                "What changed from {} to {} and why ({} scope 2)",
                dc.from_year,
                dc.to_year,
                basis_name(Langs::One(CoreLang::En), d.basis)
            ),
            &format!(
                "{} 年至 {} 年排放变化及其原因（{}范围二）",
                dc.from_year,
                dc.to_year,
                basis_name(Langs::One(CoreLang::Zh), d.basis)
            ),
        ),
        unit: "tCO2e".into(),
        kind: FigureKind::Waterfall(Waterfall { steps }),
    }));
    let mut rows: Vec<Vec<String>> = dc
        .sources
        .iter()
        .map(|s| {
            let mut row = vec![s.source.clone(), t3(s.change_tco2e)];
            if with_output {
                row.push(opt_t3(s.volume_tco2e));
                row.push(opt_t3(s.intensity_tco2e));
            } else {
                row.push(opt_t3(s.activity_tco2e));
            }
            row.push(t3(s.factor_tco2e));
            row
        })
        .collect();
    let mut total = vec![lang.pick("Total", "合计"), t3(dc.change_tco2e)];
    if with_output {
        total.push(opt_t3(dc.volume_tco2e));
        total.push(opt_t3(dc.intensity_tco2e));
    } else {
        total.push(opt_t3(dc.activity_tco2e));
    }
    total.push(t3(dc.factor_tco2e));
    rows.push(total);
    let mut columns = vec![
        b.c("Source", "排放源", Align::Left, 20),
        b.c("Change t", "变化 t", Align::Right, 10),
    ];
    if with_output {
        columns.push(b.c("Volume t", "产量效应 t", Align::Right, 10));
        columns.push(b.c("Intensity t", "强度效应 t", Align::Right, 10));
    } else {
        columns.push(b.c("Activity t", "活动量效应 t", Align::Right, 10));
    }
    columns.push(b.c("Factor t", "因子效应 t", Align::Right, 10));
    b.table(columns, rows, true);
    b.p(
        &format!("Additive LMDI-I decomposition ({}): the volume effect (output) and the factor effect (the grid getting cleaner, a supplier) are not the organisation's doing; the intensity effect (energy and materials per unit of output) is. The effects add up to the change; the logarithms are the one approximation, and the figures are shown to 0.001 t.", dc.rule.citation),
        "加法 LMDI-I 分解：产量效应（产出变化）与因子效应（电网清洁化、供应商）不取决于组织自身；强度效应（单位产出的能源与物料消耗）体现组织的减排成效。各效应之和等于排放变化；对数运算是唯一的近似，数值显示至 0.001 t。",
    );
}

fn issues(b: &mut Builder, d: &ReductionData, number: &str) {
    let lang = b.lang;
    let shown: Vec<&Issue> = d
        .issues
        .iter()
        .filter(|i| i.severity != Severity::Info)
        .collect();
    if shown.is_empty() {
        return;
    }
    b.h(2, &format!("{number}.6"), "Issues", "问题");
    let rows = shown
        .iter()
        .map(|i| {
            vec![
                match i.severity {
                    Severity::Error => lang.pick("error", "错误"),
                    Severity::Warning => lang.pick("warning", "警告"),
                    Severity::Info => lang.pick("info", "说明"),
                },
                i.code.to_string(),
                i.place.clone(),
                match lang {
                    Langs::One(l) => i.message(l),
                    Langs::Both => {
                        format!("{}\n{}", i.message(CoreLang::Zh), i.message(CoreLang::En))
                    }
                },
            ]
        })
        .collect();
    let columns = vec![
        b.c("Severity", "级别", Align::Left, 6),
        b.c("Code", "代码", Align::Left, 14),
        b.c("Where", "位置", Align::Left, 14),
        b.c("Message", "说明", Align::Left, 40),
    ];
    b.table(columns, rows, false);
}

/// A figure as plain text: its title and unit, then one line per point.
pub fn figure_text(f: &Figure) -> String {
    let mut o = format!("\n[{}] ({})\n", f.title, f.unit);
    match &f.kind {
        FigureKind::Trajectory(t) => {
            for (i, y) in t.years.iter().enumerate() {
                let v = |s: &[Option<Decimal>]| s.get(i).copied().flatten().map_or_else(dash, t3);
                o.push_str(&format!(
                    "  {y}: {} {}; {} {}; {} {}\n",
                    t.labels[0],
                    v(&t.allowed),
                    t.labels[1],
                    v(&t.actual),
                    t.labels[2],
                    v(&t.planned)
                ));
            }
        }
        FigureKind::Macc(m) => {
            for (i, bar) in m.bars.iter().enumerate() {
                o.push_str(&format!(
                    "  {}. {}: {} × {} ({} → {})\n",
                    i + 1,
                    bar.name,
                    figure(bar.mac),
                    t3(bar.abatement_tco2e),
                    t3(bar.x_from),
                    t3(bar.x_to)
                ));
            }
            if let Some(p) = m.carbon_price {
                o.push_str(&format!("  {}: {}\n", m.labels[2], figure(p)));
            }
        }
        FigureKind::Waterfall(w) => {
            for s in &w.steps {
                let v = if s.total || s.value <= Decimal::ZERO {
                    t3(s.value)
                } else {
                    format!("+{}", t3(s.value))
                };
                o.push_str(&format!("  {}: {v}\n", s.label));
            }
        }
    }
    o
}

/// The section as plain text, as [`crate::text`] renders a document's blocks.
pub fn text(items: &[Item], lang: Langs) -> String {
    let mut out = String::new();
    let mut blocks: Vec<Block> = Vec::new();
    let flush = |blocks: &mut Vec<Block>, out: &mut String| {
        if blocks.is_empty() {
            return;
        }
        let doc = Document {
            lang,
            title: String::new(),
            subject: String::new(),
            author: String::new(),
            keywords: String::new(),
            date: String::new(),
            blocks: std::mem::take(blocks),
        };
        let rendered = crate::text::render(&doc);
        // the document's own two header lines (title, author · date) are not the section's
        let body = rendered.splitn(3, '\n').nth(2).unwrap_or_default();
        out.push_str(body);
    };
    for item in items {
        match item {
            Item::Block(b) => blocks.push(b.clone()),
            Item::Figure(f) => {
                flush(&mut blocks, &mut out);
                out.push_str(&figure_text(f));
            }
        }
    }
    flush(&mut blocks, &mut out);
    out
}
