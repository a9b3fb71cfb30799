//! The offset section (碳抵消): the report-model blocks of the PDF and text, and the workbook's
//! Certificates and Credits sheets.
//!
//! Everything here takes lingtan-core's types only — the inventory (its market-based scope 2
//! before and after the certificates, and what they took off each source), the offset summary
//! of the year, the certificates and the retired credit blocks each with its checks — so the
//! report does not depend on how the workbench gathers them. Phase B of issue 16 hooks
//! [`blocks`] into the document (doc.rs) and [`sheets`] into the workbook (xlsx.rs).
//!
//! In the workbook the market-based scope 2 after the certificates and the coverage are live
//! formulas: each source's covered kWh is the SUMIFS of the allocation rows (matched by the
//! source's id, a number, never a name), what the certificates took off it is kWh × its
//! market-based factor ÷ 1000, scope 2 after is before minus their sum, and the credits counted,
//! the coverage and the shortfall are formulas over the Credits sheet. Each formula's cached value
//! is the app's own figure; LibreOffice recalculates them to the same figures (tested).

use crate::doc::{t3, Align, Block, Column, Table};
use crate::xlsx::{formula, num, xerr};
use crate::{Lang, Langs, Result};
use lingtan_core::calc::Inventory;
use lingtan_core::offset::coverage::{Offset, Scopes};
use lingtan_core::offset::credit::{Credit, CreditType};
use lingtan_core::offset::eac::Eac;
use lingtan_core::offset::{Check, Status};
use lingtan_core::text::grouped;
use lingtan_core::Decimal;
use rust_decimal::RoundingStrategy;
use rust_xlsxwriter::{Color, Format, FormatBorder, Workbook, Worksheet};

/// The offset summary of a year as the report takes it: owned, gathered by the workbench
/// (`lingtan::Project::report_data`), only when the year has certificates claimed or credits
/// retired (without them the report is as before the offset step).
#[derive(Debug, Clone)]
pub struct OffsetData {
    pub summary: Offset,
    pub certificates: Vec<CertificateData>,
    pub credits: Vec<CreditData>,
}

/// A certificate claimed for the year and its checks, owned.
#[derive(Debug, Clone)]
pub struct CertificateData {
    pub record: i64,
    pub eac: Eac,
    pub checks: Vec<Check>,
    pub excluded: bool,
}

/// A credit block retired for the year and its checks, owned.
#[derive(Debug, Clone)]
pub struct CreditData {
    pub credit: Credit,
    pub checks: Vec<Check>,
    pub excluded: bool,
}

impl OffsetData {
    /// The section's borrowed views of the certificates and credits.
    pub fn parts(&self) -> (Vec<Certificate<'_>>, Vec<RetiredCredit<'_>>) {
        let certificates = self
            .certificates
            .iter()
            .map(|c| Certificate {
                record: c.record,
                eac: &c.eac,
                checks: &c.checks,
                excluded: c.excluded,
            })
            .collect();
        let credits = self
            .credits
            .iter()
            .map(|c| RetiredCredit {
                credit: &c.credit,
                checks: &c.checks,
                excluded: c.excluded,
            })
            .collect();
        (certificates, credits)
    }
}

/// A certificate claimed for the year, with its checks (`excluded`: a × check leaves it out of
/// the calculation).
#[derive(Debug, Clone, Copy)]
pub struct Certificate<'a> {
    /// The record's number (what `eac retire` and `eac void` take).
    pub record: i64,
    pub eac: &'a Eac,
    pub checks: &'a [Check],
    pub excluded: bool,
}

/// A credit block retired for the year (`credit.id` is its number), with its checks.
#[derive(Debug, Clone, Copy)]
pub struct RetiredCredit<'a> {
    pub credit: &'a Credit,
    pub checks: &'a [Check],
    pub excluded: bool,
}

/// What the offset section is made from.
#[derive(Debug, Clone, Copy)]
pub struct Section<'a> {
    /// The inventory of the year, computed with the certificates (its `eac` is `None` without).
    pub inventory: &'a Inventory,
    /// The offset summary of the same year.
    pub summary: &'a Offset,
    pub certificates: &'a [Certificate<'a>],
    pub credits: &'a [RetiredCredit<'a>],
}

impl Section<'_> {
    fn scope2_before(&self) -> Decimal {
        self.inventory
            .eac
            .as_ref()
            .map_or(self.inventory.totals.scope2_market, |e| {
                e.scope2_market_before_eac
            })
    }

    fn used_mwh(&self, eac: &Eac) -> Option<Decimal> {
        let e = self.inventory.eac.as_ref()?;
        e.allocation
            .certificates
            .iter()
            .find(|c| c.kind == eac.kind && c.id == eac.id)
            .map(|c| c.used_mwh)
    }
}

/// A percentage with 2 decimals (half to even), or "—".
fn pct(d: Option<Decimal>) -> String {
    match d {
        Some(v) => {
            let r = v.round_dp_with_strategy(2, RoundingStrategy::MidpointNearestEven);
            format!("{}%", grouped(r, 2))
        }
        None => "—".into(),
    }
}

/// A quantity as computed (at most 3 decimals shown), thousands separated.
fn amount(d: Decimal) -> String {
    let r = d
        .round_dp_with_strategy(3, RoundingStrategy::MidpointNearestEven)
        .normalize();
    grouped(r, r.scale())
}

fn column(lang: Langs, en: &str, zh: &str, align: Align, weight: u32) -> Column {
    Column {
        title: lang.stack(en, zh),
        align,
        weight,
    }
}

/// The checks of a record, one per line: × for one that excludes, ! for a warning, i otherwise.
fn checks_text(checks: &[Check], lang: Langs) -> String {
    if checks.is_empty() {
        return lang.pick("√ no finding", "√ 无问题");
    }
    checks
        .iter()
        .map(|c| {
            let mark = if c.excludes {
                "×"
            } else if c.severity == lingtan_core::Severity::Info {
                "i"
            } else {
                "!"
            };
            format!(
                "{mark} {}: {}",
                c.code,
                glyphs(&lang.pick(&c.message(Lang::En), &c.message(Lang::Zh)))
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A table of each record's checks: its number and the checks, one per line.
fn checks_table(rows: Vec<(String, String)>, lang: Langs) -> Block {
    Block::Table(Table {
        columns: vec![
            column(lang, "No.", "编号", Align::Left, 4),
            column(lang, "Checks", "检查", Align::Left, 60),
        ],
        rows: rows.into_iter().map(|(n, c)| vec![n, c]).collect(),
        total: false,
    })
}

/// The core's texts as the PDF font prints them: its ✗ (which the font lacks) as ×.
fn glyphs(text: &str) -> String {
    text.replace('✗', "×").replace('✓', "√")
}

fn status_text(s: Status, lang: Langs) -> String {
    match s {
        Status::Held => lang.pick("held", "持有"),
        Status::Retired => lang.pick("retired", "已注销"),
        Status::Void => lang.pick("void", "作废"),
    }
}

fn kind_text(k: Option<CreditType>, lang: Langs) -> String {
    match k {
        Some(CreditType::Avoidance) => lang.pick("avoidance", "减排类"),
        Some(CreditType::Removal) => lang.pick("removal", "移除类"),
        None => "—".into(),
    }
}

fn scopes_text(s: Scopes, lang: Langs) -> String {
    match s {
        Scopes::OneTwo => lang.pick(
            "scope 1 + scope 2 market-based after the certificates",
            "范围一 + 范围二（基于市场，证书之后）",
        ),
        Scopes::OneTwoThree => lang.pick(
            "scope 1 + scope 2 market-based after the certificates + scope 3",
            "范围一 + 范围二（基于市场，证书之后）+ 范围三",
        ),
    }
}

fn date_text(d: Option<chrono::NaiveDate>) -> String {
    d.map_or_else(|| "—".into(), |d| d.to_string())
}

/// The section's blocks for the document, under the heading `number` ("8 Offset").
pub fn blocks(s: &Section<'_>, lang: Langs, number: &str) -> Vec<Block> {
    let sum = s.summary;
    let mut out = Vec::new();
    let heading = |level: u8, en: &str, zh: &str| Block::Heading {
        level,
        text: if number.is_empty() {
            lang.pick(en, zh)
        } else {
            format!("{number} {}", lang.pick(en, zh))
        },
    };
    let para = |out: &mut Vec<Block>, en: String, zh: String| match lang {
        Langs::One(Lang::Zh) => out.push(Block::Paragraph(zh)),
        Langs::One(Lang::En) => out.push(Block::Paragraph(en)),
        Langs::Both => {
            out.push(Block::Paragraph(zh));
            out.push(Block::Paragraph(en));
        }
    };
    out.push(heading(1, "Offset", "碳抵消"));

    // --- certificates and the market-based scope 2 ----------------------------------------------
    out.push(Block::Heading {
        level: 2,
        text: lang.pick(
            "Energy attribute certificates and the market-based scope 2",
            "能源属性证书与基于市场的范围二",
        ),
    });
    para(
        &mut out,
        format!("Each certificate retired for {year} for the organisation and passing every × check covers electricity consumption of its sites at zero emissions, in (site, source, month) order and never beyond the consumption; the consumption it does not cover keeps its market basis. The location-based figure does not change. Unused MWh are not carried to another year.", year = sum.year),
        format!("注销给本组织、归属 {year} 年且通过全部 × 检查的证书，按零排放覆盖其适用场所的用电量（按场所、排放源、月份顺序，不超过用电量）；未覆盖的用电量沿用原有的市场依据。基于位置的数值不变。未使用的 MWh 不结转至其他年份。", year = sum.year),
    );
    let before = s.scope2_before();
    let after = s.inventory.totals.scope2_market;
    out.push(Block::Fields(vec![
        (
            lang.pick(
                "Scope 2 market-based before the certificates (tCO2e)",
                "证书前范围二（基于市场，tCO2e）",
            ),
            t3(before),
        ),
        (
            lang.pick("Taken off by the certificates (tCO2e)", "证书抵扣（tCO2e）"),
            t3(before - after),
        ),
        (
            lang.pick(
                "Scope 2 market-based after the certificates (tCO2e)",
                "证书后范围二（基于市场，tCO2e）",
            ),
            t3(after),
        ),
        (
            lang.pick("MWh retired and counted", "已注销并计入的 MWh"),
            amount(sum.eac.mwh_retired),
        ),
        (
            lang.pick("MWh used / unused", "已使用 / 未使用的 MWh"),
            format!(
                "{} / {}",
                amount(sum.eac.mwh_used),
                amount(sum.eac.mwh_unused)
            ),
        ),
        (
            lang.pick("kWh covered", "覆盖的千瓦时"),
            amount(sum.eac.kwh_covered),
        ),
    ]));
    if s.certificates.is_empty() {
        para(
            &mut out,
            format!("No certificate is claimed for {}.", sum.year),
            format!("{} 年没有申报证书。", sum.year),
        );
    } else {
        let rows = s
            .certificates
            .iter()
            .map(|c| {
                let e = c.eac;
                vec![
                    format!("#{}", c.record),
                    e.kind.code().to_string(),
                    e.id.clone(),
                    amount(e.mwh),
                    format!("{} – {}", e.from, e.to),
                    if e.sites.is_empty() {
                        lang.pick("all sites", "全部场所")
                    } else {
                        e.sites.join(", ")
                    },
                    [
                        e.technology.map(|t| t.code().to_string()),
                        e.plant.clone(),
                        e.region.clone(),
                    ]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(" · "),
                    status_text(e.status, lang),
                    date_text(e.retired),
                    e.beneficiary.clone().unwrap_or_else(|| "—".into()),
                    s.used_mwh(e).map_or_else(|| "—".into(), amount),
                ]
            })
            .collect();
        out.push(Block::Table(Table {
            columns: vec![
                column(lang, "No.", "编号", Align::Left, 4),
                column(lang, "Type", "类型", Align::Left, 6),
                column(lang, "Certificate", "证书", Align::Left, 14),
                column(lang, "MWh", "MWh", Align::Right, 9),
                column(lang, "Generation", "发电期", Align::Left, 11),
                column(lang, "Sites", "场所", Align::Left, 9),
                column(
                    lang,
                    "Technology · plant · region",
                    "技术 · 电站 · 地区",
                    Align::Left,
                    12,
                ),
                column(lang, "Status", "状态", Align::Left, 8),
                column(lang, "Retired on", "注销日期", Align::Left, 9),
                column(lang, "Beneficiary", "受益方", Align::Left, 11),
                column(lang, "MWh used", "已用 MWh", Align::Right, 9),
            ],
            rows,
            total: false,
        }));
        // each certificate's checks in a table of their own: beside eleven columns they would
        // be a narrow strip
        out.push(checks_table(
            s.certificates
                .iter()
                .map(|c| (format!("#{}", c.record), checks_text(c.checks, lang)))
                .collect(),
            lang,
        ));
    }
    if let Some(e) = s.inventory.eac.as_ref().filter(|e| !e.market.is_empty()) {
        let mut rows: Vec<Vec<String>> = e
            .market
            .iter()
            .map(|m| {
                vec![
                    m.place.clone(),
                    amount(m.kwh),
                    m.market_kgco2e_per_kwh.normalize().to_string(),
                    t3(m.tco2e),
                ]
            })
            .collect();
        rows.push(vec![
            lang.pick("Total", "合计"),
            amount(e.market.iter().map(|m| m.kwh).sum()),
            String::new(),
            t3(e.market.iter().map(|m| m.tco2e).sum()),
        ]);
        out.push(Block::Table(Table {
            columns: vec![
                column(lang, "Site / source", "场所 / 排放源", Align::Left, 30),
                column(lang, "kWh covered", "覆盖千瓦时", Align::Right, 14),
                column(
                    lang,
                    "Market-based factor (kg CO2e/kWh)",
                    "市场因子（kg CO2e/千瓦时）",
                    Align::Right,
                    16,
                ),
                column(lang, "tCO2e taken off", "抵扣 tCO2e", Align::Right, 14),
            ],
            rows,
            total: true,
        }));
    }

    // --- credits --------------------------------------------------------------------------------
    out.push(Block::Heading {
        level: 2,
        text: lang.pick("Carbon credits retired", "已注销的碳信用"),
    });
    if s.credits.is_empty() {
        para(
            &mut out,
            format!("No credit is retired for {}.", sum.year),
            format!("没有为 {} 年注销的碳信用。", sum.year),
        );
    } else {
        let rows = s
            .credits
            .iter()
            .map(|r| {
                let c = r.credit;
                let units = match (c.serial.first, c.serial.last) {
                    (Some(a), Some(b)) => format!("{a} – {b}"),
                    _ => "—".into(),
                };
                vec![
                    format!("#{}", c.id),
                    c.serial.registry.to_string(),
                    c.serial.serial.clone(),
                    units,
                    grouped(Decimal::from(c.serial.quantity), 0),
                    c.serial
                        .vintage
                        .as_ref()
                        .map_or_else(|| "—".into(), |v| v.to_string()),
                    kind_text(c.kind, lang),
                    date_text(c.retired),
                    c.beneficiary.clone().unwrap_or_else(|| "—".into()),
                    c.for_year.map_or_else(|| "—".into(), |y| y.to_string()),
                ]
            })
            .collect();
        out.push(Block::Table(Table {
            columns: vec![
                column(lang, "No.", "编号", Align::Left, 4),
                column(lang, "Registry", "登记簿", Align::Left, 8),
                column(lang, "Serial", "序列号", Align::Left, 26),
                column(lang, "Units", "单位区间", Align::Left, 14),
                column(lang, "tCO2e", "tCO2e", Align::Right, 9),
                column(lang, "Vintage", "年份", Align::Left, 8),
                column(lang, "Type", "类型", Align::Left, 7),
                column(lang, "Retired on", "注销日期", Align::Left, 9),
                column(lang, "Beneficiary", "受益方", Align::Left, 11),
                column(lang, "For year", "抵消年度", Align::Left, 7),
            ],
            rows,
            total: false,
        }));
        out.push(checks_table(
            s.credits
                .iter()
                .map(|r| (format!("#{}", r.credit.id), checks_text(r.checks, lang)))
                .collect(),
            lang,
        ));
    }

    // --- coverage and the shares -----------------------------------------------------------------
    out.push(Block::Heading {
        level: 2,
        text: lang.pick("Coverage and the shares", "抵消覆盖率与占比"),
    });
    out.push(Block::Fields(vec![
        (
            lang.pick("Residual emissions (tCO2e)", "剩余排放（tCO2e）"),
            format!(
                "{} ({})",
                t3(sum.residual_tco2e),
                scopes_text(sum.scopes, lang)
            ),
        ),
        (
            lang.pick(
                "Credits retired for the year (t)",
                "为该年度注销的碳信用（吨）",
            ),
            amount(sum.credits.retired_tco2e),
        ),
        (
            lang.pick(
                "Credits counted (passing every × check, t)",
                "计入的碳信用（通过全部 × 检查，吨）",
            ),
            amount(sum.credits.counted_tco2e),
        ),
        (
            lang.pick(
                "of which removal / avoidance / not stated (t)",
                "其中移除类 / 减排类 / 未说明（吨）",
            ),
            format!(
                "{} / {} / {}",
                amount(sum.credits.removal_tco2e),
                amount(sum.credits.avoidance_tco2e),
                amount(sum.credits.untyped_tco2e)
            ),
        ),
        (lang.pick("Coverage", "抵消覆盖率"), pct(sum.coverage_pct)),
        (
            lang.pick("Shortfall (tCO2e)", "缺口（tCO2e）"),
            t3(sum.shortfall_tco2e),
        ),
    ]));
    let value_of = |figure: &str, v: Option<Decimal>| -> String {
        match v {
            None => "—".into(),
            Some(v) if figure.ends_with("_pct") => pct(Some(v)),
            Some(v) => amount(v),
        }
    };
    let rows = sum
        .formulas
        .iter()
        .map(|f| {
            let inputs = f
                .inputs
                .iter()
                .map(|(k, v)| format!("{k} = {}", amount(*v)))
                .collect::<Vec<_>>()
                .join("; ");
            vec![
                f.figure.to_string(),
                value_of(f.figure, f.value),
                glyphs(&lang.pick(&f.en, &f.zh)),
                inputs,
            ]
        })
        .collect();
    out.push(Block::Table(Table {
        columns: vec![
            column(lang, "Figure", "指标", Align::Left, 14),
            column(lang, "Value", "数值", Align::Right, 10),
            column(lang, "Formula", "公式", Align::Left, 36),
            column(lang, "Inputs", "输入", Align::Left, 24),
        ],
        rows,
        total: false,
    }));
    out
}

// -------------------------------------------------------------------------------------------------
// The workbook's sheets

struct Formats {
    head: Format,
    title: Format,
    t3: Format,
    qty: Format,
    ratio: Format,
    pct: Format,
    text: Format,
    wrap: Format,
    bold: Format,
}

fn formats() -> Formats {
    let base = Format::new().set_font_size(10);
    Formats {
        head: base
            .clone()
            .set_bold()
            .set_background_color(Color::RGB(0xE8EEF0))
            .set_border_bottom(FormatBorder::Thin)
            .set_text_wrap(),
        title: base.clone().set_bold().set_font_size(14),
        t3: base.clone().set_num_format("#,##0.000"),
        qty: base.clone().set_num_format("#,##0.###"),
        ratio: base.clone().set_num_format("0.##########"),
        pct: base.clone().set_num_format("0.00"),
        text: base.clone(),
        wrap: base.clone().set_text_wrap(),
        bold: base.set_bold(),
    }
}

/// The two sheet names in the report's language.
pub fn sheet_names(lang: Langs) -> [String; 2] {
    [("Certificates", "证书"), ("Credits", "碳信用")].map(|(en, zh)| match lang {
        Langs::One(Lang::En) => en.to_string(),
        Langs::One(Lang::Zh) => zh.to_string(),
        Langs::Both => format!("{zh} {en}"),
    })
}

/// Formulas (without the `=`) for the figures another sheet of the workbook already holds:
/// `None` writes the app's value instead. Phase B links them to the Summary sheet.
#[derive(Debug, Clone, Default)]
pub struct Links {
    pub scope1: Option<String>,
    /// Scope 2 market-based before the certificates.
    pub scope2_market_before: Option<String>,
    pub scope3: Option<String>,
}

/// Where the sheets put their key figures (0-based row, column on their sheet), for links and
/// tests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cells {
    /// On Certificates: scope 2 market-based after the certificates.
    pub scope2_market_after: (u32, u16),
    /// On Credits: residual, counted, coverage % (when computed), shortfall.
    pub residual: (u32, u16),
    pub counted: (u32, u16),
    pub coverage_pct: Option<(u32, u16)>,
    pub shortfall: (u32, u16),
}

fn a1(row: u32, col: u16) -> String {
    let mut letters = String::new();
    let mut n = u32::from(col) + 1;
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.insert(0, char::from(b'A' + rem as u8));
        n = (n - 1) / 26;
    }
    format!("{letters}{}", row + 1)
}

fn heads(
    ws: &mut Worksheet,
    row: u32,
    f: &Formats,
    lang: Langs,
    cols: &[(&str, &str, f64)],
) -> Result<()> {
    for (i, (en, zh, width)) in cols.iter().enumerate() {
        let c = i as u16;
        ws.write_string_with_format(row, c, lang.stack(en, zh), &f.head)
            .map_err(xerr)?;
        ws.set_column_width(c, *width).map_err(xerr)?;
    }
    Ok(())
}

/// A labelled figure in columns A (label) and B (value or formula).
fn figure_row(
    ws: &mut Worksheet,
    row: u32,
    label: String,
    value: FigureValue<'_>,
    f: &Formats,
    fmt: &Format,
) -> Result<()> {
    ws.write_string_with_format(row, 0, label, &f.bold)
        .map_err(xerr)?;
    match value {
        FigureValue::Value(v) => ws.write_number_with_format(row, 1, num(v), fmt),
        FigureValue::Formula(text, v) => {
            ws.write_formula_with_format(row, 1, formula(text, v), fmt)
        }
        FigureValue::Text(t) => ws.write_string_with_format(row, 1, t, &f.text),
    }
    .map_err(xerr)?;
    Ok(())
}

enum FigureValue<'a> {
    Value(Decimal),
    Formula(&'a str, Decimal),
    Text(String),
}

/// A figure that is a link when given, else the app's value.
fn linked<'a>(link: &'a Option<String>, holder: &'a mut String, v: Decimal) -> FigureValue<'a> {
    match link {
        Some(l) => {
            *holder = format!("={l}");
            FigureValue::Formula(holder.as_str(), v)
        }
        None => FigureValue::Value(v),
    }
}

/// Add the sheets Certificates and Credits to `book` (after the sheets already in it).
pub fn sheets(book: &mut Workbook, s: &Section<'_>, lang: Langs, links: &Links) -> Result<Cells> {
    let f = formats();
    let [n_cert, n_cred] = sheet_names(lang);
    let ws = book.add_worksheet();
    ws.set_name(&n_cert).map_err(xerr)?;
    let after = certificates(ws, s, lang, links, &f)?;
    let ws = book.add_worksheet();
    ws.set_name(&n_cred).map_err(xerr)?;
    credits(ws, s, lang, links, &f, &n_cert, after)
}

fn certificates(
    ws: &mut Worksheet,
    s: &Section<'_>,
    lang: Langs,
    links: &Links,
    f: &Formats,
) -> Result<(u32, u16)> {
    let year = s.summary.year;
    ws.write_string_with_format(
        0,
        0,
        lang.pick(
            &format!("Energy attribute certificates claimed for {year}"),
            &format!("{year} 年申报的能源属性证书"),
        ),
        &f.title,
    )
    .map_err(xerr)?;
    ws.write_string_with_format(
        1,
        0,
        lang.pick(
            "Counted = 1: retired for the organisation and passing every × check. Below: each allocation of a certificate to a source's month, each source's covered kWh (SUMIFS by the source's id, column B) and what it takes off the market-based scope 2.",
            "计入 = 1：注销给本组织且通过全部 × 检查。下方：每张证书对排放源各月的分配、各排放源的覆盖千瓦时（按排放源编号即 B 列 SUMIFS）及其对基于市场的范围二的抵扣。",
        ),
        &f.text,
    )
    .map_err(xerr)?;
    // A No., B type, C certificate, D MWh, E from, F to, G sites, H technology, I region,
    // J status, K retired on, L beneficiary, M counted, N MWh used, O MWh unused, P checks
    heads(
        ws,
        3,
        f,
        lang,
        &[
            ("No.", "编号", 8.0),
            ("Type", "类型", 12.0),
            ("Certificate", "证书", 22.0),
            ("MWh", "MWh", 10.0),
            ("Generation from", "发电起", 10.0),
            ("Generation to", "发电止", 10.0),
            ("Sites", "场所", 18.0),
            ("Technology", "技术", 10.0),
            ("Region", "地区", 10.0),
            ("Status", "状态", 8.0),
            ("Retired on", "注销日期", 11.0),
            ("Beneficiary", "受益方", 20.0),
            ("Counted", "计入", 8.0),
            ("MWh used", "已用 MWh", 10.0),
            ("MWh unused", "未用 MWh", 10.0),
            ("Checks", "检查", 60.0),
        ],
    )?;
    let mut row = 4u32;
    for c in s.certificates {
        let e = c.eac;
        let used = s.used_mwh(e);
        let counted = used.is_some();
        ws.write_number_with_format(row, 0, c.record as f64, &f.text)
            .map_err(xerr)?;
        ws.write_string_with_format(row, 1, e.kind.code(), &f.text)
            .map_err(xerr)?;
        ws.write_string_with_format(row, 2, &e.id, &f.text)
            .map_err(xerr)?;
        ws.write_number_with_format(row, 3, num(e.mwh), &f.qty)
            .map_err(xerr)?;
        ws.write_string_with_format(row, 4, e.from.to_string(), &f.text)
            .map_err(xerr)?;
        ws.write_string_with_format(row, 5, e.to.to_string(), &f.text)
            .map_err(xerr)?;
        ws.write_string_with_format(
            row,
            6,
            if e.sites.is_empty() {
                lang.pick("all sites", "全部场所")
            } else {
                e.sites.join(", ")
            },
            &f.text,
        )
        .map_err(xerr)?;
        ws.write_string_with_format(row, 7, e.technology.map_or("", |t| t.code()), &f.text)
            .map_err(xerr)?;
        ws.write_string_with_format(row, 8, e.region.clone().unwrap_or_default(), &f.text)
            .map_err(xerr)?;
        ws.write_string_with_format(row, 9, status_text(e.status, lang), &f.text)
            .map_err(xerr)?;
        ws.write_string_with_format(row, 10, date_text(e.retired), &f.text)
            .map_err(xerr)?;
        ws.write_string_with_format(row, 11, e.beneficiary.clone().unwrap_or_default(), &f.text)
            .map_err(xerr)?;
        ws.write_number_with_format(row, 12, if counted { 1.0 } else { 0.0 }, &f.text)
            .map_err(xerr)?;
        let used = used.unwrap_or_default();
        ws.write_number_with_format(row, 13, num(used), &f.qty)
            .map_err(xerr)?;
        let n = row + 1;
        ws.write_formula_with_format(
            row,
            14,
            formula(
                &format!("=IF(M{n}=1,D{n}-N{n},0)"),
                if counted { e.mwh - used } else { Decimal::ZERO },
            ),
            &f.qty,
        )
        .map_err(xerr)?;
        ws.write_string_with_format(row, 15, checks_text(c.checks, lang), &f.wrap)
            .map_err(xerr)?;
        row += 1;
    }

    // the allocation: one row per certificate's kWh in one source's month
    row += 1;
    ws.write_string_with_format(row, 0, lang.pick("Allocation", "分配明细"), &f.bold)
        .map_err(xerr)?;
    row += 1;
    // A site / source, B source id, C month, D certificate type, E certificate, F kWh covered
    for (i, (en, zh)) in [
        ("Site", "场所"),
        ("Source id", "排放源编号"),
        ("Month", "月份"),
        ("Type", "类型"),
        ("Certificate", "证书"),
        ("kWh covered", "覆盖千瓦时"),
    ]
    .iter()
    .enumerate()
    {
        ws.write_string_with_format(row, i as u16, lang.stack(en, zh), &f.head)
            .map_err(xerr)?;
    }
    row += 1;
    let first_alloc = row + 1;
    let empty = lingtan_core::offset::eac::Allocation::default();
    let eac = s.inventory.eac.as_ref();
    let allocation = eac.map_or(&empty, |e| &e.allocation);
    for slice in &allocation.slices {
        for by in &slice.by {
            ws.write_string_with_format(row, 0, &slice.site, &f.text)
                .map_err(xerr)?;
            ws.write_number_with_format(row, 1, slice.source_id as f64, &f.text)
                .map_err(xerr)?;
            // a calendar year's slices are its months 1–12; a period's are numbered 1… in the
            // period's order: the inventory's months give each its year and month
            let month = match s.inventory.period {
                None => format!("{year}-{:02}", slice.month),
                Some(_) => (slice.month as usize)
                    .checked_sub(1)
                    .and_then(|i| s.inventory.months.get(i))
                    .map_or_else(
                        || format!("#{}", slice.month),
                        |m| format!("{}-{:02}", m.year.unwrap_or(year), m.month),
                    ),
            };
            ws.write_string_with_format(row, 2, month, &f.text)
                .map_err(xerr)?;
            ws.write_string_with_format(row, 3, by.kind.code(), &f.text)
                .map_err(xerr)?;
            ws.write_string_with_format(row, 4, &by.id, &f.text)
                .map_err(xerr)?;
            ws.write_number_with_format(row, 5, num(by.kwh), &f.qty)
                .map_err(xerr)?;
            row += 1;
        }
    }
    // an empty range still sums to 0
    let last_alloc = row.max(first_alloc);

    // market-based scope 2: before, each covered source, after
    row += 1;
    ws.write_string_with_format(
        row,
        0,
        lang.pick(
            "Market-based scope 2 after the certificates",
            "证书后的基于市场的范围二",
        ),
        &f.bold,
    )
    .map_err(xerr)?;
    row += 1;
    // A site / source, B source id, C kWh covered, D market kg CO2e/kWh, E tCO2e taken off
    for (i, (en, zh)) in [
        ("Site / source", "场所 / 排放源"),
        ("Source id", "排放源编号"),
        ("kWh covered", "覆盖千瓦时"),
        ("Market-based kg CO2e/kWh", "市场因子 kg CO2e/千瓦时"),
        ("tCO2e taken off", "抵扣 tCO2e"),
    ]
    .iter()
    .enumerate()
    {
        ws.write_string_with_format(row, i as u16, lang.stack(en, zh), &f.head)
            .map_err(xerr)?;
    }
    row += 1;
    let first_cover = row + 1;
    for m in eac.map_or(&[][..], |e| e.market.as_slice()) {
        let n = row + 1;
        ws.write_string_with_format(row, 0, &m.place, &f.text)
            .map_err(xerr)?;
        ws.write_number_with_format(row, 1, m.source_id as f64, &f.text)
            .map_err(xerr)?;
        ws.write_formula_with_format(
            row,
            2,
            formula(
                &format!("=SUMIFS($F${first_alloc}:$F${last_alloc},$B${first_alloc}:$B${last_alloc},B{n})"),
                m.kwh,
            ),
            &f.qty,
        )
        .map_err(xerr)?;
        ws.write_number_with_format(row, 3, num(m.market_kgco2e_per_kwh), &f.ratio)
            .map_err(xerr)?;
        ws.write_formula_with_format(row, 4, formula(&format!("=C{n}*D{n}/1000"), m.tco2e), &f.t3)
            .map_err(xerr)?;
        row += 1;
    }
    let last_cover = row.max(first_cover);
    row += 1;
    let before = s.scope2_before();
    let taken: Decimal = eac.map_or(Decimal::ZERO, |e| e.market.iter().map(|m| m.tco2e).sum());
    let mut holder = String::new();
    let before_row = row;
    figure_row(
        ws,
        row,
        lang.pick(
            "Scope 2 market-based before the certificates (tCO2e)",
            "证书前范围二（基于市场，tCO2e）",
        ),
        linked(&links.scope2_market_before, &mut holder, before),
        f,
        &f.t3,
    )?;
    row += 1;
    let taken_formula = format!("=SUM(E{first_cover}:E{last_cover})");
    figure_row(
        ws,
        row,
        lang.pick("Taken off by the certificates (tCO2e)", "证书抵扣（tCO2e）"),
        FigureValue::Formula(&taken_formula, taken),
        f,
        &f.t3,
    )?;
    row += 1;
    let after_formula = format!("=B{}-B{}", before_row + 1, before_row + 2);
    figure_row(
        ws,
        row,
        lang.pick(
            "Scope 2 market-based after the certificates (tCO2e)",
            "证书后范围二（基于市场，tCO2e）",
        ),
        FigureValue::Formula(&after_formula, before - taken),
        f,
        &f.t3,
    )?;
    ws.set_column_width(0, 48).map_err(xerr)?;
    Ok((row, 1))
}

fn credits(
    ws: &mut Worksheet,
    s: &Section<'_>,
    lang: Langs,
    links: &Links,
    f: &Formats,
    n_cert: &str,
    after: (u32, u16),
) -> Result<Cells> {
    let sum = s.summary;
    let year = sum.year;
    ws.write_string_with_format(
        0,
        0,
        lang.pick(
            &format!("Carbon credits retired for {year}"),
            &format!("为 {year} 年注销的碳信用"),
        ),
        &f.title,
    )
    .map_err(xerr)?;
    ws.write_string_with_format(
        1,
        0,
        lang.pick(
            "Quantity = last unit − first unit + 1 where the serial gives a range. Counted = 1: passing every × check.",
            "序列号给出区间时，数量 = 末单位 − 首单位 + 1。计入 = 1：通过全部 × 检查。",
        ),
        &f.text,
    )
    .map_err(xerr)?;
    // A No., B registry, C serial, D first, E last, F quantity, G project id, H vintage,
    // I country, J type, K retired on, L beneficiary, M for year, N counted, O checks
    heads(
        ws,
        3,
        f,
        lang,
        &[
            ("No.", "编号", 8.0),
            ("Registry", "登记簿", 12.0),
            ("Serial", "序列号", 50.0),
            ("First unit", "首单位", 14.0),
            ("Last unit", "末单位", 14.0),
            ("Quantity t", "数量（吨）", 10.0),
            ("Project id", "项目编号", 10.0),
            ("Vintage", "年份", 12.0),
            ("Country", "国家", 8.0),
            ("Type", "类型", 10.0),
            ("Retired on", "注销日期", 11.0),
            ("Beneficiary", "受益方", 20.0),
            ("For year", "抵消年度", 8.0),
            ("Counted", "计入", 8.0),
            ("Checks", "检查", 60.0),
        ],
    )?;
    let mut row = 4u32;
    let first = row + 1;
    for r in s.credits {
        let c = r.credit;
        let n = row + 1;
        let q = Decimal::from(c.serial.quantity);
        ws.write_number_with_format(row, 0, c.id as f64, &f.text)
            .map_err(xerr)?;
        ws.write_string_with_format(row, 1, c.serial.registry.code(), &f.text)
            .map_err(xerr)?;
        ws.write_string_with_format(row, 2, &c.serial.serial, &f.text)
            .map_err(xerr)?;
        match (c.serial.first, c.serial.last) {
            (Some(a), Some(b)) => {
                ws.write_number_with_format(row, 3, a as f64, &f.text)
                    .map_err(xerr)?;
                ws.write_number_with_format(row, 4, b as f64, &f.text)
                    .map_err(xerr)?;
                ws.write_formula_with_format(row, 5, formula(&format!("=E{n}-D{n}+1"), q), &f.qty)
                    .map_err(xerr)?;
            }
            _ => {
                ws.write_number_with_format(row, 5, num(q), &f.qty)
                    .map_err(xerr)?;
            }
        }
        ws.write_string_with_format(
            row,
            6,
            c.serial.project_id.clone().unwrap_or_default(),
            &f.text,
        )
        .map_err(xerr)?;
        ws.write_string_with_format(
            row,
            7,
            c.serial
                .vintage
                .as_ref()
                .map(|v| v.to_string())
                .unwrap_or_default(),
            &f.text,
        )
        .map_err(xerr)?;
        ws.write_string_with_format(
            row,
            8,
            c.serial.country.clone().unwrap_or_default(),
            &f.text,
        )
        .map_err(xerr)?;
        // the type's code, a fixed word the coverage formulas match
        ws.write_string_with_format(row, 9, c.kind.map_or("", |k| k.code()), &f.text)
            .map_err(xerr)?;
        ws.write_string_with_format(row, 10, date_text(c.retired), &f.text)
            .map_err(xerr)?;
        ws.write_string_with_format(row, 11, c.beneficiary.clone().unwrap_or_default(), &f.text)
            .map_err(xerr)?;
        if let Some(y) = c.for_year {
            ws.write_number_with_format(row, 12, f64::from(y), &f.text)
                .map_err(xerr)?;
        }
        ws.write_number_with_format(row, 13, if r.excluded { 0.0 } else { 1.0 }, &f.text)
            .map_err(xerr)?;
        ws.write_string_with_format(row, 14, checks_text(r.checks, lang), &f.wrap)
            .map_err(xerr)?;
        row += 1;
    }
    let last = row.max(first);
    let range = |col: &str| format!("${col}${first}:${col}${last}");

    row += 1;
    ws.write_string_with_format(row, 0, lang.pick("Coverage", "抵消覆盖率"), &f.bold)
        .map_err(xerr)?;
    row += 1;
    // residual = scope 1 + scope 2 market after (+ scope 3)
    let t = &s.inventory.totals;
    let mut h1 = String::new();
    let scope1_row = row;
    figure_row(
        ws,
        row,
        lang.pick("Scope 1 (tCO2e)", "范围一（tCO2e）"),
        linked(&links.scope1, &mut h1, t.scope1),
        f,
        &f.t3,
    )?;
    row += 1;
    let s2 = format!("={}{}", sheet_ref(n_cert), a1(after.0, after.1));
    let scope2_row = row;
    figure_row(
        ws,
        row,
        lang.pick(
            "Scope 2 market-based after the certificates (tCO2e)",
            "证书后范围二（基于市场，tCO2e）",
        ),
        FigureValue::Formula(&s2, t.scope2_market),
        f,
        &f.t3,
    )?;
    row += 1;
    let three = sum.scopes == Scopes::OneTwoThree;
    let mut residual_formula = format!("=B{}+B{}", scope1_row + 1, scope2_row + 1);
    if three {
        let mut h3 = String::new();
        figure_row(
            ws,
            row,
            lang.pick("Scope 3 (tCO2e)", "范围三（tCO2e）"),
            linked(&links.scope3, &mut h3, t.scope3),
            f,
            &f.t3,
        )?;
        residual_formula.push_str(&format!("+B{}", row + 1));
        row += 1;
    }
    let residual = (row, 1u16);
    figure_row(
        ws,
        row,
        format!(
            "{} — {}",
            lang.pick("Residual emissions (tCO2e)", "剩余排放（tCO2e）"),
            scopes_text(sum.scopes, lang)
        ),
        FigureValue::Formula(&residual_formula, sum.residual_tco2e),
        f,
        &f.t3,
    )?;
    let rr = row + 1;
    row += 1;
    let retired_formula = format!("=SUM({})", range("F"));
    figure_row(
        ws,
        row,
        lang.pick(
            "Credits retired for the year (t)",
            "为该年度注销的碳信用（吨）",
        ),
        FigureValue::Formula(&retired_formula, sum.credits.retired_tco2e),
        f,
        &f.qty,
    )?;
    row += 1;
    let counted = (row, 1u16);
    let counted_formula = format!("=SUMIFS({},{},1)", range("F"), range("N"));
    figure_row(
        ws,
        row,
        lang.pick(
            "Credits counted (passing every × check, t)",
            "计入的碳信用（通过全部 × 检查，吨）",
        ),
        FigureValue::Formula(&counted_formula, sum.credits.counted_tco2e),
        f,
        &f.qty,
    )?;
    let cr = row + 1;
    row += 1;
    for (en, zh, code, v) in [
        (
            "of which removal (t)",
            "其中移除类（吨）",
            "removal",
            sum.credits.removal_tco2e,
        ),
        (
            "of which avoidance (t)",
            "其中减排类（吨）",
            "avoidance",
            sum.credits.avoidance_tco2e,
        ),
    ] {
        let text = format!(
            "=SUMIFS({},{},1,{},\"{code}\")",
            range("F"),
            range("N"),
            range("J")
        );
        figure_row(
            ws,
            row,
            lang.pick(en, zh),
            FigureValue::Formula(&text, v),
            f,
            &f.qty,
        )?;
        row += 1;
    }
    let coverage_pct = match sum.coverage_pct {
        Some(v) => {
            let text = format!("=MIN(B{cr},B{rr})/B{rr}*100");
            figure_row(
                ws,
                row,
                lang.pick("Coverage %", "抵消覆盖率 %"),
                FigureValue::Formula(&text, v),
                f,
                &f.pct,
            )?;
            Some((row, 1u16))
        }
        None => {
            figure_row(
                ws,
                row,
                lang.pick("Coverage %", "抵消覆盖率 %"),
                FigureValue::Text(lang.pick(
                    "not computed: the residual emissions are not above 0",
                    "不计算：剩余排放不大于 0",
                )),
                f,
                &f.pct,
            )?;
            None
        }
    };
    row += 1;
    let shortfall = (row, 1u16);
    let shortfall_formula = format!("=MAX(0,B{rr}-B{cr})");
    figure_row(
        ws,
        row,
        lang.pick("Shortfall (tCO2e)", "缺口（tCO2e）"),
        FigureValue::Formula(&shortfall_formula, sum.shortfall_tco2e),
        f,
        &f.t3,
    )?;
    ws.set_column_width(0, 48).map_err(xerr)?;
    Ok(Cells {
        scope2_market_after: after,
        residual,
        counted,
        coverage_pct,
        shortfall,
    })
}

/// `'Sheet name'!` for formulas.
fn sheet_ref(sheet: &str) -> String {
    format!("'{}'!", sheet.replace('\'', "''"))
}
