//! The report as a typed document, in one language (or both): what the PDF and the plain text
//! render. Sections follow ISO 14064-1:2018 clause 9 (the content of a GHG report), with the GHG
//! Protocol scope view beside the ISO categories.

use crate::data::{Data, Record};
use crate::{Lang, Langs};
use lingtan_core::calc::{MarketBasis, MonthTotal};
use lingtan_core::gas::Basket;
use lingtan_core::source::{Basis, IsoCategory, Scope};
use lingtan_core::text::grouped;
use lingtan_core::{Boundary, Decimal, Severity};
use rust_decimal::RoundingStrategy;

/// Past this many records the lineage appendix lists import batches instead of records.
pub const LINEAGE_RECORD_LIMIT: usize = 3000;

#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub lang: Langs,
    pub title: String,
    pub subject: String,
    pub author: String,
    pub keywords: String,
    /// YYYY-MM-DD: the report date set in the project, else the end of the inventory year.
    pub date: String,
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// The cover: title and subtitle lines.
    Cover {
        title: String,
        lines: Vec<String>,
    },
    Heading {
        level: u8,
        text: String,
    },
    Paragraph(String),
    /// Label: value pairs.
    Fields(Vec<(String, String)>),
    Table(Table),
    Chart(Chart),
    /// A chart of the reduction section (trajectory, MACC, waterfall), laid out as [`Chart`].
    Figure(crate::reduction::Figure),
    PageBreak,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub title: String,
    pub align: Align,
    /// Relative width.
    pub weight: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<String>>,
    /// The last row is a total (drawn bold-ruled).
    pub total: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartKind {
    /// Stacked columns, one per category.
    StackedColumns,
    /// Horizontal bars, sorted by value.
    Bars,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    pub title: String,
    pub kind: ChartKind,
    pub unit: String,
    /// What the categories are (the x axis of stacked columns), if worth saying.
    pub x_title: Option<String>,
    pub categories: Vec<String>,
    /// (series name, one value per category)
    pub series: Vec<(String, Vec<Decimal>)>,
}

/// tCO2e and other figures: 3 decimals (half to even), thousands separated.
pub fn t3(d: Decimal) -> String {
    grouped(d, 3)
}

/// A quantity as recorded (at most 3 decimals shown), thousands separated.
pub fn qty(d: Decimal) -> String {
    let r = d
        .round_dp_with_strategy(3, RoundingStrategy::MidpointNearestEven)
        .normalize();
    grouped(r, r.scale())
}

fn pct(d: Option<Decimal>) -> String {
    d.map(|v| format!("±{}%", v.round_dp(1)))
        .unwrap_or_else(|| "—".into())
}

/// A share of a total in per cent, 1 decimal.
fn share(part: Decimal, total: Decimal) -> String {
    if total.is_zero() {
        return "—".into();
    }
    let p = (part * Decimal::ONE_HUNDRED / total)
        .round_dp_with_strategy(1, RoundingStrategy::MidpointNearestEven);
    format!("{p:.1}%")
}

fn col(title: String, align: Align, weight: u32) -> Column {
    Column {
        title,
        align,
        weight,
    }
}

struct Builder<'a> {
    d: &'a Data,
    lang: Langs,
    blocks: Vec<Block>,
}

impl Builder<'_> {
    fn s(&self, en: &str, zh: &str) -> String {
        self.lang.pick(en, zh)
    }
    /// A heading; a section number both languages share is written once ("1 摘要 / Summary").
    fn h(&mut self, level: u8, en: &str, zh: &str) {
        let text = match (en.split_once(' '), zh.split_once(' ')) {
            (Some((n, en_rest)), Some((m, zh_rest)))
                if n == m && n.starts_with(|c: char| c.is_ascii_digit()) =>
            {
                format!("{n} {}", self.s(en_rest, zh_rest))
            }
            _ => self.s(en, zh),
        };
        self.blocks.push(Block::Heading { level, text });
    }
    /// A paragraph: in both languages, the Chinese paragraph and then the English one.
    fn p(&mut self, en: &str, zh: &str) {
        match self.lang {
            Langs::One(Lang::Zh) => self.blocks.push(Block::Paragraph(zh.to_string())),
            Langs::One(Lang::En) => self.blocks.push(Block::Paragraph(en.to_string())),
            Langs::Both => {
                self.blocks.push(Block::Paragraph(zh.to_string()));
                self.blocks.push(Block::Paragraph(en.to_string()));
            }
        }
    }
    fn c(&self, en: &str, zh: &str, align: Align, weight: u32) -> Column {
        col(self.lang.stack(en, zh), align, weight)
    }
    fn table(&mut self, columns: Vec<Column>, rows: Vec<Vec<String>>, total: bool) {
        self.blocks.push(Block::Table(Table {
            columns,
            rows,
            total,
        }));
    }
}

/// The document for one language.
pub fn build(d: &Data, lang: Langs) -> Document {
    let mut b = Builder {
        d,
        lang,
        blocks: Vec::new(),
    };
    cover(&mut b);
    summary(&mut b);
    boundaries(&mut b);
    methodology(&mut b);
    results(&mut b);
    charts(&mut b);
    quality(&mut b);
    base_year(&mut b);
    reduction(&mut b);
    offset(&mut b);
    lineage(&mut b);
    integrity(&mut b);
    let info = &d.info;
    let org = org_name(d, lang);
    Document {
        lang,
        title: {
            let (en, zh) = d.titled("GHG inventory report", "温室气体排放报告");
            format!("{org} — {}", lang.pick(&en, &zh))
        },
        subject: lang.pick(
            "Greenhouse gas inventory following ISO 14064-1:2018 and the GHG Protocol Corporate Standard",
            "依据 ISO 14064-1:2018 与温室气体核算体系企业标准编制的温室气体盘查报告",
        ),
        author: info.prepared_by.clone().unwrap_or_else(|| info.org_name.clone()),
        keywords: "GHG inventory; ISO 14064-1; scope 1; scope 2; scope 3; 温室气体; 碳盘查".into(),
        date: report_date(d),
        blocks: b.blocks,
    }
}

pub(crate) fn org_name(d: &Data, lang: Langs) -> String {
    let info = &d.info;
    match (&info.org_name_zh, lang) {
        (Some(zh), Langs::One(Lang::Zh)) => zh.clone(),
        (Some(zh), Langs::Both) => format!("{zh} / {}", info.org_name),
        _ => info.org_name.clone(),
    }
}

/// The date the report carries: set in the project, else the last day of the inventory year
/// (or period).
pub fn report_date(d: &Data) -> String {
    d.info.report_date.clone().unwrap_or_else(|| d.last_day())
}

fn boundary_name(b: Boundary, lang: Langs) -> String {
    match b {
        Boundary::OperationalControl => lang.pick("operational control", "运营控制权法"),
        Boundary::FinancialControl => lang.pick("financial control", "财务控制权法"),
        Boundary::EquityShare => lang.pick("equity share", "股权比例法"),
    }
}

fn cover(b: &mut Builder<'_>) {
    let d = b.d;
    let info = &d.info;
    let mut lines = Vec::new();
    if let Some(zh) = &info.org_name_zh {
        if b.lang != Langs::One(Lang::En) {
            lines.push(zh.clone());
        }
        if b.lang != Langs::One(Lang::Zh) {
            lines.push(info.org_name.clone());
        }
    } else {
        lines.push(info.org_name.clone());
    }
    let (en, zh) = d.titled("Greenhouse gas inventory report", "温室气体排放报告");
    let title = b.s(&en, &zh);
    b.blocks.push(Block::Cover { title, lines });
    let sites: Vec<String> = d.sites.iter().map(|s| s.name.clone()).collect();
    let fields = vec![
        (
            b.s("Reporting period", "报告期"),
            match d.period() {
                None => format!("{}-01-01 — {}-12-31", d.year, d.year),
                Some((from, to)) => format!("{from} — {to}"),
            },
        ),
        (b.s("Sites", "场所"), sites.join("; ")),
        (
            b.s("Consolidation approach", "组织边界方法"),
            boundary_name(info.boundary, b.lang),
        ),
        (
            b.s("Prepared by", "编制人"),
            info.prepared_by.clone().unwrap_or_else(|| {
                b.s(
                    "(not set: lingtan project set --prepared-by)",
                    "（未设置：lingtan project set --prepared-by）",
                )
            }),
        ),
        (b.s("Report date", "报告日期"), report_date(d)),
        (
            b.s("Standards", "依据标准"),
            "ISO 14064-1:2018; GHG Protocol Corporate Standard (2004) & Scope 2 Guidance (2015)"
                .into(),
        ),
        (
            b.s("Verification", "核查状态"),
            b.s("not verified by a third party", "未经第三方核查"),
        ),
        (
            b.s("Data fingerprint", "数据指纹"),
            d.report.fingerprint.clone(),
        ),
    ];
    b.blocks.push(Block::Fields(fields));
    b.blocks.push(Block::PageBreak);
}

fn summary(b: &mut Builder<'_>) {
    let d = b.d;
    let inv = &d.report.inventory;
    let t = &inv.totals;
    b.h(1, "1 Summary", "1 摘要");
    let (when_en, when_zh) = match d.period() {
        None => (format!("In {}", d.year), format!("{} 年", d.year)),
        Some((from, to)) => (
            format!("From {from} to {to}"),
            format!("{from} 至 {to} 期间"),
        ),
    };
    b.p(
        &format!(
            "{when_en} the organisation emitted {} tCO2e (location-based scope 2) or {} tCO2e (market-based scope 2), counting the seven Kyoto gases with {} GWP values. Biogenic CO2 and gases outside the Kyoto basket are reported apart and not included.",
            t3(t.total_location), t3(t.total_market), inv.gwp.code()
        ),
        &format!(
            "{when_zh}，组织温室气体排放总量为 {} tCO2e（范围二按基于位置法）或 {} tCO2e（范围二按基于市场法），涵盖《京都议定书》七种温室气体，采用 {} 全球变暖潜势值。生物源 CO2 及京都篮子以外的气体单独报告，不计入总量。",
            t3(t.total_location), t3(t.total_market), inv.gwp.code()
        ),
    );
    let total = t.total_location;
    let rows = vec![
        vec![
            line(b, Scope::One, Basis::Location),
            t3(t.scope1),
            share(t.scope1, total),
            pct(inv.uncertainty.scope1_pct),
        ],
        vec![
            line(b, Scope::Two, Basis::Location),
            t3(t.scope2_location),
            share(t.scope2_location, total),
            pct(inv.uncertainty.scope2_location_pct),
        ],
        vec![
            line(b, Scope::Two, Basis::Market),
            t3(t.scope2_market),
            "—".into(),
            pct(inv.uncertainty.scope2_market_pct),
        ],
        vec![
            line(b, Scope::Three, Basis::Location),
            t3(t.scope3),
            share(t.scope3, total),
            pct(inv.uncertainty.scope3_pct),
        ],
        vec![
            b.s("Total, market-based", "合计（基于市场）"),
            t3(t.total_market),
            "—".into(),
            "—".into(),
        ],
        vec![
            b.s("Total, location-based", "合计（基于位置）"),
            t3(t.total_location),
            "100.0%".into(),
            pct(inv.uncertainty.total_location_pct),
        ],
    ];
    let cols = vec![
        b.c(
            "Scope (GHG Protocol)",
            "范围（温室气体核算体系）",
            Align::Left,
            5,
        ),
        b.c("tCO2e", "tCO2e", Align::Right, 3),
        b.c("Share", "占比", Align::Right, 2),
        b.c("Uncertainty (95%)", "不确定性（95%）", Align::Right, 3),
    ];
    b.table(cols, rows, true);
    let mut rows = Vec::new();
    for cat in 1..=6u8 {
        let v = inv.categories.get(&cat).copied().unwrap_or_default();
        let (en, zh) = IsoCategory(cat).names();
        rows.push(vec![cat.to_string(), b.s(en, zh), t3(v), share(v, total)]);
    }
    rows.push(vec![
        String::new(),
        b.s(
            "Total (category 2 location-based)",
            "合计（类别二按基于位置）",
        ),
        t3(total),
        "100.0%".into(),
    ]);
    let cols = vec![
        b.c("Cat.", "类别", Align::Left, 1),
        b.c(
            "ISO 14064-1 category",
            "ISO 14064-1 排放类别",
            Align::Left,
            8,
        ),
        b.c("tCO2e", "tCO2e", Align::Right, 3),
        b.c("Share", "占比", Align::Right, 2),
    ];
    b.table(cols, rows, true);
    let mut fields = vec![
        (
            b.s(
                "Biogenic CO2 (t, reported apart)",
                "生物源 CO2（吨，单独报告）",
            ),
            t3(t.biogenic_co2),
        ),
        (
            b.s(
                "Non-Kyoto gases (tCO2e, reported apart)",
                "京都篮子以外气体（tCO2e，单独报告）",
            ),
            t3(t.non_kyoto),
        ),
    ];
    if d.intensity.is_empty() {
        fields.push((
            b.s("Intensity", "排放强度"),
            b.s(
                "no intensity denominator (output, area, revenue) is recorded in the project",
                "项目中未登记强度分母（产量、面积或营收）",
            ),
        ));
    }
    for i in &d.intensity {
        // per unit to 6 decimals (a tonne per piece is small); a smaller figure in full, never 0
        let per = |v: Option<Decimal>| {
            v.map_or_else(
                || "—".to_string(),
                |v| {
                    let r = v.round_dp(6);
                    if r.is_zero() && !v.is_zero() {
                        v.normalize().to_string()
                    } else {
                        r.normalize().to_string()
                    }
                },
            )
        };
        fields.push((
            format!(
                "{} ({} {} {})",
                b.s("Intensity", "排放强度"),
                i.metric,
                lingtan_core::text::grouped(i.quantity, 3),
                i.unit.code()
            ),
            format!(
                "{} tCO2e/{} ({}); {} tCO2e/{} ({})",
                per(i.tco2e_location_per_unit),
                i.unit.code(),
                b.s("scope 2 location-based", "范围二基于位置"),
                per(i.tco2e_market_per_unit),
                i.unit.code(),
                b.s("scope 2 market-based", "范围二基于市场"),
            ),
        ));
    }
    match &d.base_year {
        None => fields.push((
            b.s("Change against the base year", "较基准年变化"),
            b.s("no base year set", "未设置基准年"),
        )),
        Some(by) if by.year == d.year && d.period().is_none() => fields.push((
            b.s("Change against the base year", "较基准年变化"),
            b.s(
                &format!("{} is the base year", d.year),
                &format!("{} 年即基准年", d.year),
            ),
        )),
        Some(by) => match &by.totals {
            Some(base) => fields.push((
                b.s(
                    &format!("Change against the base year {}", by.year),
                    &format!("较基准年 {} 变化", by.year),
                ),
                format!(
                    "{} → {} tCO2e ({})",
                    t3(base.total_location),
                    t3(t.total_location),
                    change(base.total_location, t.total_location)
                ),
            )),
            None => fields.push((
                b.s(
                    &format!("Change against the base year {}", by.year),
                    &format!("较基准年 {} 变化", by.year),
                ),
                b.s(
                    "the base year has no activity data in the project",
                    "项目中没有基准年的活动数据",
                ),
            )),
        },
    }
    b.blocks.push(Block::Fields(fields));
}

fn change(from: Decimal, to: Decimal) -> String {
    if from.is_zero() {
        return "—".into();
    }
    let p = ((to - from) * Decimal::ONE_HUNDRED / from)
        .round_dp_with_strategy(1, RoundingStrategy::MidpointNearestEven);
    if p.is_sign_negative() {
        format!("{p}%")
    } else {
        format!("+{p}%")
    }
}

fn boundaries(b: &mut Builder<'_>) {
    let d = b.d;
    b.h(1, "2 Boundaries", "2 边界");
    b.h(2, "2.1 Organisational boundary", "2.1 组织边界");
    let (approach_en, approach_zh) = (
        boundary_name(d.info.boundary, Langs::One(Lang::En)),
        boundary_name(d.info.boundary, Langs::One(Lang::Zh)),
    );
    b.p(
        &format!("Emissions are consolidated by the {approach_en} approach: every site below is included in full{}.", if d.info.boundary == Boundary::EquityShare { ", multiplied by the equity share shown" } else { "" }),
        &format!("采用{approach_zh}合并排放：下列场所全部纳入{}。", if d.info.boundary == Boundary::EquityShare { "，并乘以所示股权比例" } else { "" }),
    );
    let rows = d
        .sites
        .iter()
        .map(|s| {
            vec![
                s.name.clone(),
                s.address.clone().unwrap_or_default(),
                s.grid_region.clone().unwrap_or_else(|| "—".into()),
                s.equity_pct
                    .map(|p| format!("{}%", p.normalize()))
                    .unwrap_or_else(|| "100%".into()),
            ]
        })
        .collect();
    let cols = vec![
        b.c("Site", "场所", Align::Left, 3),
        b.c("Address", "地址", Align::Left, 7),
        b.c("Grid region", "电网区域", Align::Left, 2),
        b.c("Share", "比例", Align::Right, 2),
    ];
    b.table(cols, rows, false);
    b.h(2, "2.2 Reporting boundary", "2.2 报告边界");
    b.p(
        "The reporting boundary holds the emission sources below, with their GHG Protocol scope and ISO 14064-1 category. Indirect emissions (categories 3–6) are included where activity data was recorded; the significance assessment of the categories not quantified is not recorded in the project.",
        "报告边界包括下列排放源及其所属范围与 ISO 14064-1 类别。间接排放（类别三至六）在有活动数据的情况下纳入；项目中未记录对未量化类别的重要性评估。",
    );
    let rows = d
        .sources
        .iter()
        .map(|s| {
            let site = d
                .sites
                .iter()
                .find(|x| x.id == s.site_id)
                .map(|x| x.name.clone())
                .unwrap_or_default();
            vec![
                s.name.clone(),
                site,
                s.kind.code(),
                s.kind.scope().number().to_string(),
                s.kind.iso_category().0.to_string(),
            ]
        })
        .collect();
    let cols = vec![
        b.c("Source", "排放源", Align::Left, 5),
        b.c("Site", "场所", Align::Left, 3),
        b.c("Kind", "类型", Align::Left, 4),
        b.c("Scope", "范围", Align::Right, 1),
        b.c("Cat.", "类别", Align::Right, 1),
    ];
    b.table(cols, rows, false);
    b.h(2, "2.3 Exclusions", "2.3 排除项");
    b.p(
        "No source inside the boundary is excluded. Removals are not quantified.",
        "边界内没有被排除的排放源。未量化温室气体清除量。",
    );
}

fn methodology(b: &mut Builder<'_>) {
    let d = b.d;
    let gwp = d.report.inventory.gwp;
    b.h(1, "3 Methodology", "3 量化方法");
    b.p(
        "Each activity record is pro-rated by days into the inventory year. Its emissions are: quantity × conversion to the factor's unit (fuel density or net calorific value, where the units differ) × the factor's mass of each gas per unit × that gas's GWP, summed over the gases and divided by 1,000 for tonnes. Scope 2 is computed twice: location-based with the grid average factor of the site's region, market-based with a contractual factor where one is recorded, else the residual mix.",
        "每条活动数据按天数分摊到盘查年度。排放量 = 活动量 × 换算到因子单位的系数（单位不同时采用燃料密度或低位发热量）× 因子中每种气体的单位质量 × 该气体的全球变暖潜势，对各气体求和后除以 1000 得到吨。范围二分别计算两次：基于位置法采用场所所在区域电网平均因子；基于市场法采用已登记的合同因子，否则采用剩余组合因子。",
    );
    if let Some((from, to)) = d.period() {
        b.p(
            &format!("The reporting period is {from} to {to}, not a calendar year: each record is pro-rated by days into the period (a record outside it counts nothing, one that straddles its first or last day counts its days inside), and the months are the calendar months the period touches. The emission factors, the energy attribute certificates and carbon credits (claimed for a year) and the reduction step are those of {y}, the year the period ends.", y = d.year),
            &format!("报告期为 {from} 至 {to}，不是日历年：每条活动数据按天数分摊到该期间（期间之外的记录不计，跨越期间首日或末日的记录只计期间内的天数），月份为该期间涉及的日历月。排放因子、能源属性证书与碳信用（按年度申报）及减排部分均取期间结束之年 {y} 年的。", y = d.year),
        );
    }
    b.blocks.push(Block::Fields(vec![(
        b.s("GWP values", "全球变暖潜势"),
        format!("{} — {}", gwp.code(), gwp.citation()),
    )]));
    b.h(2, "3.1 Emission factors", "3.1 排放因子");
    let rows = d
        .factors
        .iter()
        .map(|f| {
            let value = d
                .factor_gases
                .iter()
                .filter(|g| g.factor == f.id && g.version == f.version)
                .map(|g| format!("{} {}", g.gas, qty(g.kg_per_unit)))
                .collect::<Vec<_>>()
                .join("; ");
            let name = match (b.lang, &f.name_zh) {
                (Langs::One(Lang::Zh), Some(zh)) => zh.clone(),
                _ => f.name.clone(),
            };
            let mut flags = Vec::new();
            flags.push(if f.verified {
                b.s("verified", "已核对")
            } else {
                b.s("UNVERIFIED", "未核对")
            });
            if crate::data::Data::is_user_factor(f) {
                flags.push(b.s("user factor", "用户因子"));
            }
            vec![
                format!("{} v{}\n{name}", f.id, f.version),
                format!(
                    "{}\n{}",
                    f.dataset,
                    f.year.map(|y| y.to_string()).unwrap_or_else(|| "—".into())
                ),
                format!("{value}\nkg / {}", f.unit.code()),
                f.citation.clone(),
                f.licence.clone(),
                flags.join("\n"),
            ]
        })
        .collect();
    let cols = vec![
        b.c("Factor", "因子", Align::Left, 5),
        b.c("Dataset, year", "数据集、年份", Align::Left, 3),
        b.c("Value", "数值", Align::Left, 3),
        b.c("Citation", "出处", Align::Left, 8),
        b.c("Licence", "许可", Align::Left, 2),
        b.c("Status", "状态", Align::Left, 2),
    ];
    b.table(cols, rows, false);
    if !d.properties.is_empty() {
        b.h(2, "3.2 Fuel properties", "3.2 燃料参数");
        let rows = d
            .properties
            .iter()
            .map(|p| {
                vec![
                    format!("{} v{}", p.id, p.version),
                    format!("{} {}/{}", qty(p.value), p.unit.code(), p.per_unit.code()),
                    p.citation.clone(),
                    if p.verified {
                        b.s("verified", "已核对")
                    } else {
                        b.s("UNVERIFIED", "未核对")
                    },
                ]
            })
            .collect();
        let cols = vec![
            b.c("Property", "参数", Align::Left, 4),
            b.c("Value", "数值", Align::Left, 3),
            b.c("Citation", "出处", Align::Left, 9),
            b.c("Status", "状态", Align::Left, 2),
        ];
        b.table(cols, rows, false);
    }
}

fn results(b: &mut Builder<'_>) {
    let d = b.d;
    let inv = &d.report.inventory;
    b.h(1, "4 Results", "4 盘查结果");
    b.h(2, "4.1 By source", "4.1 按排放源");
    let mut rows = Vec::new();
    for s in &inv.sources {
        let basis = match s.market_basis {
            Some(MarketBasis::Contractual) => b.s("contractual", "合同因子"),
            Some(MarketBasis::ResidualMix) => b.s("residual mix", "剩余组合"),
            Some(MarketBasis::GridFallback) => b.s("grid average (fallback)", "电网平均（替代）"),
            // the offset section (issue 16, phase B) shows the certificates; here the basis
            Some(MarketBasis::Eac) => b.s("certificates (EAC)", "能源属性证书"),
            None => String::new(),
        };
        let factor = match (&s.factor, &s.market_factor) {
            (Some(f), Some(m)) => format!(
                "{} v{}\n{}: {} v{}",
                f.id, f.version, basis, m.id, m.version
            ),
            (Some(f), None) => format!("{} v{}", f.id, f.version),
            _ => b.s("MISSING", "缺失"),
        };
        rows.push(vec![
            format!("{}\n{}", s.source, s.site),
            format!("{} / {}", s.scope, s.category),
            format!("{} {}", qty(s.quantity), s.unit.code()),
            factor,
            t3(s.tco2e),
            if s.scope == 2 {
                t3(s.tco2e_market)
            } else {
                "—".into()
            },
        ]);
    }
    rows.push(vec![
        b.s("Total", "合计"),
        String::new(),
        String::new(),
        String::new(),
        t3(inv.totals.total_location),
        t3(inv.totals.total_market),
    ]);
    let cols = vec![
        b.c("Source, site", "排放源、场所", Align::Left, 5),
        b.c("Scope / cat.", "范围/类别", Align::Left, 2),
        b.c("Quantity", "活动量", Align::Right, 4),
        b.c("Factor", "排放因子", Align::Left, 5),
        b.c("tCO2e", "tCO2e", Align::Right, 3),
        b.c("tCO2e market", "tCO2e（市场）", Align::Right, 3),
    ];
    b.table(cols, rows, true);

    b.h(2, "4.2 By site", "4.2 按场所");
    let mut rows: Vec<Vec<String>> = inv
        .sites
        .iter()
        .map(|s| {
            vec![
                s.site.clone(),
                t3(s.scope1),
                t3(s.scope2_location),
                t3(s.scope2_market),
                t3(s.scope3),
                t3(s.total_location),
            ]
        })
        .collect();
    let t = &inv.totals;
    rows.push(vec![
        b.s("Total", "合计"),
        t3(t.scope1),
        t3(t.scope2_location),
        t3(t.scope2_market),
        t3(t.scope3),
        t3(t.total_location),
    ]);
    let cols = scope_columns(b, "Site", "场所");
    b.table(cols, rows, true);

    b.h(2, "4.3 By month", "4.3 按月份");
    let mut rows: Vec<Vec<String>> = inv
        .months
        .iter()
        .map(|m| {
            vec![
                format!("{}-{:02}", m.year.unwrap_or(d.year), m.month),
                t3(m.scope1),
                t3(m.scope2_location),
                t3(m.scope2_market),
                t3(m.scope3),
                t3(m.scope1 + m.scope2_location + m.scope3),
            ]
        })
        .collect();
    rows.push(vec![
        b.s("Total", "合计"),
        t3(t.scope1),
        t3(t.scope2_location),
        t3(t.scope2_market),
        t3(t.scope3),
        t3(t.total_location),
    ]);
    let cols = scope_columns(b, "Month", "月份");
    b.table(cols, rows, true);

    b.h(2, "4.4 By gas", "4.4 按气体");
    let mut rows = Vec::new();
    for g in &inv.gases {
        let basket = match g.basket {
            Some(Basket::Kyoto) | None => b.s("Kyoto", "京都"),
            Some(Basket::NonKyoto) => b.s("non-Kyoto (apart)", "非京都（单列）"),
            Some(Basket::Biogenic) => b.s("biogenic (apart)", "生物源（单列）"),
        };
        rows.push(vec![
            gas_label(&g.gas),
            basket,
            qty(g.tonnes),
            g.gwp.map(qty).unwrap_or_else(|| "—".into()),
            t3(g.tco2e),
        ]);
    }
    let cols = vec![
        b.c("Gas", "气体", Align::Left, 3),
        b.c("Basket", "类别", Align::Left, 3),
        b.c("Tonnes", "吨", Align::Right, 3),
        b.c("GWP", "GWP", Align::Right, 2),
        b.c("tCO2e", "tCO2e", Align::Right, 3),
    ];
    b.table(cols, rows, false);
    b.p(
        &format!(
            "Biogenic CO2: {} t. Gases outside the Kyoto basket: {} tCO2e. Neither is included in the totals.",
            t3(t.biogenic_co2),
            t3(t.non_kyoto)
        ),
        &format!(
            "生物源 CO2：{} 吨；京都篮子以外气体：{} tCO2e。二者均不计入总量。",
            t3(t.biogenic_co2),
            t3(t.non_kyoto)
        ),
    );
}

/// Gas ids as printed: chemical subscripts written out (the renderer lowers the digits).
pub fn gas_label(id: &str) -> String {
    match id {
        "CO2" => "CO₂".into(),
        "CH4" => "CH₄".into(),
        "CH4-fossil" => "CH₄ (fossil)".into(),
        "N2O" => "N₂O".into(),
        "SF6" => "SF₆".into(),
        "NF3" => "NF₃".into(),
        "CO2-biogenic" => "CO₂ (biogenic)".into(),
        other => other.to_string(),
    }
}

/// A line of the totals, named by the scope.
fn line(b: &Builder<'_>, scope: Scope, basis: Basis) -> String {
    let (en, zh) = scope.line_names(basis);
    b.s(en, zh)
}

fn scope_columns(b: &Builder<'_>, en: &str, zh: &str) -> Vec<Column> {
    vec![
        b.c(en, zh, Align::Left, 4),
        b.c(Scope::One.names().0, Scope::One.names().1, Align::Right, 3),
        b.c(
            &format!("{} loc.", Scope::Two.names().0),
            &format!("{}（位置）", Scope::Two.names().1),
            Align::Right,
            3,
        ),
        b.c(
            &format!("{} mkt.", Scope::Two.names().0),
            &format!("{}（市场）", Scope::Two.names().1),
            Align::Right,
            3,
        ),
        b.c(
            Scope::Three.names().0,
            Scope::Three.names().1,
            Align::Right,
            3,
        ),
        b.c("Total (loc.)", "合计（位置）", Align::Right, 3),
    ]
}

fn charts(b: &mut Builder<'_>) {
    b.h(1, "5 Charts", "5 图表");
    for chart in inventory_charts(&b.d.report.inventory, b.lang) {
        b.blocks.push(Block::Chart(chart));
    }
}

/// The report's three charts of an inventory, in `lang`: monthly emissions stacked by scope,
/// emissions by source, emissions by site. The desktop app draws the same charts.
pub fn inventory_charts(inv: &lingtan_core::calc::Inventory, lang: Langs) -> Vec<Chart> {
    let s = |en: &str, zh: &str| lang.pick(en, zh);
    let names = |scope: Scope| {
        let (en, zh) = scope.names();
        s(en, zh)
    };
    // a calendar year: January to December by number; a claim period: its months in order,
    // each with its year (2022-07 … 2023-06)
    let slots: Vec<(String, Option<&MonthTotal>)> = match inv.period {
        None => (1..=12u32)
            .map(|m| (m.to_string(), inv.months.iter().find(|x| x.month == m)))
            .collect(),
        Some(_) => inv
            .months
            .iter()
            .map(|m| {
                (
                    format!("{}-{:02}", m.year.unwrap_or(inv.year), m.month),
                    Some(m),
                )
            })
            .collect(),
    };
    let months: Vec<String> = slots.iter().map(|(l, _)| l.clone()).collect();
    let pick = |f: fn(&MonthTotal) -> Decimal| -> Vec<Decimal> {
        slots
            .iter()
            .map(|(_, m)| m.map(f).unwrap_or_default())
            .collect()
    };
    let monthly = Chart {
        title: s(
            "Monthly emissions by scope (scope 2 location-based)",
            "各月排放量（按范围，范围二基于位置）",
        ),
        kind: ChartKind::StackedColumns,
        unit: "tCO2e".into(),
        x_title: Some(s("Month", "月份")),
        categories: months,
        series: vec![
            (names(Scope::One), pick(|m| m.scope1)),
            (names(Scope::Two), pick(|m| m.scope2_location)),
            (names(Scope::Three), pick(|m| m.scope3)),
        ],
    };
    let sources = inv.sources.iter().map(|s| (s.source.clone(), s.tco2e));
    let sites = inv.sites.iter().map(|s| (s.site.clone(), s.total_location));
    vec![
        monthly,
        bars(
            lang,
            ("Emissions by source", "各排放源排放量"),
            sources,
            ("sources", "个排放源"),
        ),
        bars(
            lang,
            ("Emissions by site", "各场所排放量"),
            sites,
            ("sites", "个场所"),
        ),
    ]
}

/// A bar chart of (name, tCO2e): the largest first, folded past [`CHART_BARS`].
fn bars(
    lang: Langs,
    (title_en, title_zh): (&str, &str),
    rows: impl Iterator<Item = (String, Decimal)>,
    (what_en, what_zh): (&str, &str),
) -> Chart {
    let mut rows: Vec<(String, Decimal)> = rows.collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let rows = fold(lang, rows, what_en, what_zh);
    Chart {
        title: lang.pick(title_en, title_zh),
        kind: ChartKind::Bars,
        unit: "tCO2e".into(),
        x_title: None,
        categories: rows.iter().map(|r| r.0.clone()).collect(),
        series: vec![("tCO2e".into(), rows.iter().map(|r| r.1).collect())],
    }
}

/// A bar chart shows at most this many bars: the largest, then one bar for all the others.
pub const CHART_BARS: usize = 20;

/// Sorted (name, value) pairs cut to [`CHART_BARS`], the rest summed into one last bar.
fn fold(
    lang: Langs,
    mut rows: Vec<(String, Decimal)>,
    en: &str,
    zh: &str,
) -> Vec<(String, Decimal)> {
    if rows.len() > CHART_BARS {
        let rest = rows.split_off(CHART_BARS - 1);
        let n = rest.len();
        let sum: Decimal = rest.iter().map(|r| r.1).sum();
        rows.push((
            lang.pick(&format!("{n} other {en}"), &format!("其他 {n} {zh}")),
            sum,
        ));
    }
    rows
}

fn quality(b: &mut Builder<'_>) {
    let d = b.d;
    let inv = &d.report.inventory;
    b.h(1, "6 Data quality and uncertainty", "6 数据质量与不确定性");
    b.p(
        "Uncertainty is combined by IPCC Approach 1 (error propagation): each source's activity-data and factor uncertainties (95 % confidence) combine as the root of the sum of squares, and sources combine weighted by their emissions.",
        "不确定性采用 IPCC 方法 1（误差传递）合成：各排放源活动数据与排放因子的不确定性（95% 置信度）按平方和开方合成，各排放源再按排放量加权合成。",
    );
    let rows = inv
        .sources
        .iter()
        .map(|s| {
            vec![
                s.source.clone(),
                s.records.to_string(),
                pct(s.uncertainty_pct),
            ]
        })
        .collect();
    let cols = vec![
        b.c("Source", "排放源", Align::Left, 6),
        b.c("Records", "记录数", Align::Right, 2),
        b.c("Uncertainty", "不确定性", Align::Right, 3),
    ];
    b.table(cols, rows, false);
    if !inv.uncertainty.not_assessed.is_empty() {
        let list = inv.uncertainty.not_assessed.join(", ");
        b.p(
            &format!("No uncertainty is stated for: {list} (counted as exact above)."),
            &format!("以下排放源未给出不确定性：{list}（上表按精确值计）。"),
        );
    }
    let issues: Vec<Vec<String>> = inv
        .issues
        .iter()
        .filter(|i| i.severity != Severity::Info || i.code.starts_with("S2_"))
        .map(|i| {
            let sev = match i.severity {
                Severity::Error => b.s("error", "错误"),
                Severity::Warning => b.s("warning", "警告"),
                Severity::Info => b.s("note", "说明"),
            };
            vec![
                format!("{sev}\n{}", i.code),
                i.place.clone(),
                // a document is read beside the file, without a window: the command line's words
                b.lang.stack(&i.message(Lang::En), &i.message(Lang::Zh)),
            ]
        })
        .collect();
    if !issues.is_empty() {
        b.h(
            2,
            "6.1 Disclosures and open issues",
            "6.1 披露事项与待解决问题",
        );
        let cols = vec![
            b.c("Kind, code", "类型、代码", Align::Left, 3),
            b.c("Where", "位置", Align::Left, 4),
            b.c("What", "内容", Align::Left, 10),
        ];
        b.table(cols, issues, false);
    }
}

fn base_year(b: &mut Builder<'_>) {
    let d = b.d;
    b.h(1, "7 Base year and recalculations", "7 基准年与重新计算");
    match &d.base_year {
        None => b.p(
            "No base year is set in the project.",
            "项目中未设置基准年。",
        ),
        Some(by) => {
            let en = format!("The base year is {}. The base-year inventory is recalculated for structural changes (acquisitions, divestments, outsourcing), changes of method or factors, and significant errors; not for organic growth. No recalculation is recorded in the project.", by.year);
            let zh = format!("基准年为 {} 年。发生结构性变化（收购、剥离、外包）、方法或因子变更以及重大错误时重新计算基准年排放，有机增长不触发重新计算。项目中没有重新计算记录。", by.year);
            b.p(&en, &zh);
        }
    }
}

/// Section 8, the reduction step (碳减排), when the project has one: the section's blocks and
/// figures, after a page break.
fn reduction(b: &mut Builder<'_>) {
    let Some(r) = &b.d.reduction else {
        return;
    };
    b.blocks.push(Block::PageBreak);
    for item in crate::reduction::section(r, b.lang, "8") {
        b.blocks.push(match item {
            crate::reduction::Item::Block(block) => block,
            crate::reduction::Item::Figure(f) => Block::Figure(f),
        });
    }
}

/// Section 9 (8 without a reduction section), the offset step (certificates, credits,
/// coverage), only when the year has certificates claimed or credits retired: without them the
/// document is as before.
fn offset(b: &mut Builder<'_>) {
    let d = b.d;
    let Some(o) = &d.offset else {
        return;
    };
    let (certificates, credits) = o.parts();
    let section = crate::offset::Section {
        inventory: &d.report.inventory,
        summary: &o.summary,
        certificates: &certificates,
        credits: &credits,
    };
    b.blocks.push(Block::PageBreak);
    let number = if d.reduction.is_some() { "9" } else { "8" };
    let blocks = crate::offset::blocks(&section, b.lang, number);
    b.blocks.extend(blocks);
}

fn lineage(b: &mut Builder<'_>) {
    let d = b.d;
    b.blocks.push(Block::PageBreak);
    b.h(
        1,
        "Appendix A Lineage of the activity data",
        "附录 A 活动数据溯源",
    );
    if d.records.len() <= LINEAGE_RECORD_LIMIT {
        b.p(
            "Every activity record the inventory used, with the file it came from (SHA-256 prefix) and its place in that file.",
            "盘查使用的每条活动数据，及其来源文件（SHA-256 前缀）和在文件中的位置。",
        );
        let rows = d.records.iter().map(|r| lineage_row(b, r)).collect();
        let cols = vec![
            b.c("Record", "记录", Align::Left, 2),
            b.c("Source", "排放源", Align::Left, 5),
            b.c("Period", "期间", Align::Left, 4),
            b.c("Quantity", "数量", Align::Right, 4),
            b.c("Evidence (SHA-256)", "证据（SHA-256）", Align::Left, 6),
            b.c("Batch, place", "批次、位置", Align::Left, 5),
        ];
        b.table(cols, rows, false);
    } else {
        b.p(
            &format!("{} records: listed per import batch. Each record's lineage is in the XLSX workbook (sheet Lineage) and in the project file.", d.records.len()),
            &format!("共 {} 条记录，按导入批次列出。每条记录的溯源信息见 XLSX 工作簿（溯源表）及项目文件。", d.records.len()),
        );
        let rows = d
            .batches
            .iter()
            .filter(|x| x.reverted_at.is_none())
            .map(|x| {
                vec![
                    format!("#{}", x.id),
                    x.label.clone(),
                    x.rows.to_string(),
                    x.sha256
                        .as_deref()
                        .map(|h| h[..h.len().min(16)].to_string())
                        .unwrap_or_default(),
                ]
            })
            .collect();
        let cols = vec![
            b.c("Batch", "批次", Align::Left, 2),
            b.c("File", "文件", Align::Left, 8),
            b.c("Records", "记录数", Align::Right, 2),
            b.c("SHA-256", "SHA-256", Align::Left, 4),
        ];
        b.table(cols, rows, false);
    }
}

fn lineage_row(b: &Builder<'_>, r: &Record) -> Vec<String> {
    let row = &r.row;
    let evidence = match &r.evidence {
        Some(e) => format!("{}\n{}", e.file_name, &e.sha256[..e.sha256.len().min(16)]),
        None => b.s("(none)", "（无）"),
    };
    let place = match (&r.batch, &row.origin_ref) {
        (Some(batch), Some(o)) => format!("{batch}\n{o}"),
        (Some(batch), None) => batch.clone(),
        (None, Some(o)) => o.clone(),
        (None, None) => b.s("entered by hand", "手工录入"),
    };
    vec![
        format!("{} v{}", row.id, row.version),
        r.source.clone(),
        format!("{}\n{}", row.from, row.to),
        format!("{} {}", qty(row.quantity), row.unit.code()),
        evidence,
        place,
    ]
}

fn integrity(b: &mut Builder<'_>) {
    let d = b.d;
    let v = &d.verification;
    b.h(
        1,
        "Appendix B Integrity and conformity",
        "附录 B 完整性与符合性声明",
    );
    let status = if v.ok() {
        b.s(
            &format!(
                "intact: {} entries, {} records match the log",
                v.entries, v.records_checked
            ),
            &format!(
                "完整：{} 条日志，{} 条记录与日志一致",
                v.entries, v.records_checked
            ),
        )
    } else {
        b.s(
            &format!(
                "NOT intact: {} findings (run lingtan audit --verify)",
                v.findings.len()
            ),
            &format!(
                "不完整：{} 项问题（请运行 lingtan audit --verify）",
                v.findings.len()
            ),
        )
    };
    b.blocks.push(Block::Fields(vec![
        (
            b.s("Audit chain head", "审计链头"),
            d.report.audit_head.clone(),
        ),
        (b.s("Audit log", "审计日志"), status),
        (
            b.s("Data fingerprint (SHA-256)", "数据指纹（SHA-256）"),
            d.report.fingerprint.clone(),
        ),
        (
            b.s("Records read", "读取记录数"),
            d.report.records_read.to_string(),
        ),
    ]));
    b.p(
        "The data fingerprint is the SHA-256 of the settings, sites, sources, factors and records this report was computed from; `lingtan inventory` prints the same value for unchanged data. The audit chain head seals the project's change log.",
        "数据指纹是本报告所依据的设置、场所、排放源、因子和活动数据的 SHA-256 值；数据未变时 `lingtan inventory` 输出相同的值。审计链头封存项目的变更日志。",
    );
    b.h(2, "Statement of conformity", "符合性声明");
    b.p(
        "This GHG inventory was prepared following the requirements of ISO 14064-1:2018 for the quantification and reporting of greenhouse gas emissions at the organisation level, with scope 2 reported location- and market-based following the GHG Protocol Scope 2 Guidance. It has not been verified by a third party; it is not a verification statement.",
        "本温室气体清单依据 ISO 14064-1:2018 关于组织层次温室气体排放量化与报告的要求编制，范围二按温室气体核算体系范围二指南分别以基于位置法和基于市场法报告。本报告未经第三方核查，不构成核查声明。",
    );
}
