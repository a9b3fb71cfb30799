//! The reduction sheets of the auditor's workbook: Targets and Measures.
//!
//! Targets: one row per target (base year, target year, reduction, base emissions and output)
//! whose base intensity and target-year figure are formulas, then the trajectory, one row per
//! target and year, where the allowed share `1 − pct/100 × (MIN(y, target) − base)/(target −
//! base)`, the allowed emissions and the gap are formulas over the target's row.
//!
//! Measures: the discount rate and the carbon price as input cells, then one row per measure
//! whose CRF `r(1+r)^n/((1+r)^n − 1)`, annualised cost `CRF × capex + opex − savings`, MAC
//! `annualised cost ÷ abatement`, NPV `−capex + (savings − opex) × (1 − (1+r)^−n)/r` and simple
//! payback `capex ÷ (savings − opex)` are live formulas over the row's inputs, and the MACC in
//! order, whose MAC, width and cumulative abatement are formulas over the measure rows. Change the
//! discount rate and every figure follows.
//!
//! Each formula's cached value is the app's own result (from lingtan-core, in exact decimals),
//! so the workbook shows the app's figures before recalculation and the same figures after
//! (LibreOffice recalculation is tested). Where the app has no figure (no price, no factor, no
//! output) the cell says why in words instead of holding a formula: never a zero.

use super::{MeasureData, ReductionData, TargetData};
use crate::{Langs, Result};
use lingtan_core::reduction::finance::NoMac;
use lingtan_core::reduction::target::{Status, TargetKind};
use lingtan_core::Decimal;
use lingtan_core::Lang as CoreLang;
use rust_xlsxwriter::{
    Color, DocProperties, ExcelDateTime, Format, FormatBorder, Workbook, Worksheet,
};

use crate::xlsx::{formula, num, xerr};

struct Formats {
    head: Format,
    title: Format,
    t3: Format,
    money: Format,
    ratio: Format,
    pct: Format,
    year: Format,
    text: Format,
    wrap: Format,
    input: Format,
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
        money: base.clone().set_num_format("#,##0.00"),
        ratio: base.clone().set_num_format("0.0000000000"),
        pct: base.clone().set_num_format("0.##"),
        year: base.clone().set_num_format("0"),
        text: base.clone(),
        wrap: base.clone().set_text_wrap(),
        input: base
            .set_num_format("0.####")
            .set_background_color(Color::RGB(0xFFF6D5)),
    }
}

/// The two sheets' names in the report's language (at most 31 characters).
pub fn names(lang: Langs) -> [String; 2] {
    [("Targets", "减排目标"), ("Measures", "减排措施")].map(|(en, zh)| match lang {
        Langs::One(CoreLang::En) => en.to_string(),
        Langs::One(CoreLang::Zh) => zh.to_string(),
        Langs::Both => format!("{zh} {en}"),
    })
}

fn heads(
    ws: &mut Worksheet,
    row: u32,
    f: &Formats,
    lang: Langs,
    cols: &[(&str, &str, f64)],
) -> Result<()> {
    for (i, (en, zh, width)) in cols.iter().enumerate() {
        let c = u16::try_from(i).unwrap_or(u16::MAX);
        ws.write_string_with_format(row, c, lang.stack(en, zh), &f.head)
            .map_err(xerr)?;
        ws.set_column_width(c, *width).map_err(xerr)?;
    }
    Ok(())
}

/// An A1 column name (0 → A).
fn col(c: u16) -> String {
    let mut n = u32::from(c) + 1;
    let mut s = Vec::new();
    while n > 0 {
        let r = (n - 1) % 26;
        s.push(char::from(b'A' + u8::try_from(r).unwrap_or(0)));
        n = (n - 1) / 26;
    }
    s.iter().rev().collect()
}

/// The A1 address of a cell (0-based row and column).
fn at(row: u32, c: u16) -> String {
    format!("{}{}", col(c), row + 1)
}

/// The absolute A1 address of a cell.
fn abs(row: u32, c: u16) -> String {
    format!("${}${}", col(c), row + 1)
}

fn text(ws: &mut Worksheet, row: u32, c: u16, s: &str, f: &Format) -> Result<()> {
    ws.write_string_with_format(row, c, s, f).map_err(xerr)?;
    Ok(())
}

fn number(ws: &mut Worksheet, row: u32, c: u16, d: Decimal, f: &Format) -> Result<()> {
    ws.write_number_with_format(row, c, num(d), f)
        .map_err(xerr)?;
    Ok(())
}

fn live(ws: &mut Worksheet, row: u32, c: u16, text: &str, v: Decimal, f: &Format) -> Result<()> {
    ws.write_formula_with_format(row, c, formula(text, v), f)
        .map_err(xerr)?;
    Ok(())
}

fn status(lang: Langs, s: Status) -> String {
    match s {
        Status::OnTrack => lang.pick("on track", "达标"),
        Status::OffTrack => lang.pick("off track", "未达标"),
        Status::NoData => lang.pick("no data", "无数据"),
    }
}

fn no_mac(lang: Langs, r: NoMac) -> String {
    lang.pick(r.message_en(), r.message_zh())
}

/// Add the Targets and Measures sheets to `book`.
pub fn sheets(book: &mut Workbook, d: &ReductionData, lang: Langs) -> Result<()> {
    let f = formats();
    let [n_targets, n_measures] = names(lang);
    {
        let ws = book.add_worksheet();
        ws.set_name(&n_targets).map_err(xerr)?;
        targets(ws, d, lang, &f)?;
    }
    {
        let ws = book.add_worksheet();
        ws.set_name(&n_measures).map_err(xerr)?;
        measures(ws, d, lang, &f)?;
    }
    Ok(())
}

/// A workbook with only the reduction sheets (a preview, and what the tests recalculate).
pub fn workbook(d: &ReductionData, lang: Langs) -> Result<Vec<u8>> {
    let mut book = Workbook::new();
    // dated by the data (the last day of its year), never by the clock: the same data give the
    // same bytes even when two calls fall either side of a second
    let created = ExcelDateTime::from_ymd(d.year.clamp(1900, 9999) as u16, 12, 31).map_err(xerr)?;
    book.set_properties(&DocProperties::new().set_creation_datetime(&created));
    sheets(&mut book, d, lang)?;
    book.save_to_buffer().map_err(xerr)
}

// Targets: columns of the target table
const T_NAME: u16 = 0;
const T_SCOPES: u16 = 1;
const T_KIND: u16 = 2;
const T_BASE_YEAR: u16 = 3;
const T_TARGET_YEAR: u16 = 4;
const T_PCT: u16 = 5;
const T_BASE_T: u16 = 6;
const T_BASE_OUTPUT: u16 = 7;
const T_BASE_INTENSITY: u16 = 8;
const T_TARGET_T: u16 = 9;
const T_TARGET_INTENSITY: u16 = 10;
const T_STATUS: u16 = 11;
const T_GAP: u16 = 12;
// ... and of the trajectory table
const Y_TARGET: u16 = 0;
const Y_YEAR: u16 = 1;
const Y_SHARE: u16 = 2;
const Y_OUTPUT: u16 = 3;
const Y_ALLOWED_INTENSITY: u16 = 4;
const Y_ALLOWED: u16 = 5;
const Y_ACTUAL: u16 = 6;
const Y_GAP: u16 = 7;
const Y_STATUS: u16 = 8;

fn output_in(t: &TargetData, year: i32) -> Option<Decimal> {
    t.outputs
        .iter()
        .find(|(y, _)| *y == year)
        .map(|(_, o)| *o)
        .filter(|o| *o > Decimal::ZERO)
}

fn targets(ws: &mut Worksheet, d: &ReductionData, lang: Langs, f: &Formats) -> Result<()> {
    let dash = "—";
    text(
        ws,
        0,
        0,
        &lang.pick(
            &format!("Reduction targets, {}", d.year),
            &format!("{} 年减排目标", d.year),
        ),
        &f.title,
    )?;
    text(
        ws,
        1,
        0,
        &lang.pick(
            "Allowed emissions in year y = base × (1 − reduction/100 × (MIN(y, target year) − base year)/(target year − base year)); an intensity target: base intensity × that share × the year's output. Formulas are live: change a reduction and its trajectory follows.",
            "第 y 年允许排放 = 基准年排放 × (1 − 减排幅度/100 × (MIN(y, 目标年) − 基准年)/(目标年 − 基准年))；强度目标：基准年强度 × 该比例 × 当年产出。公式可实时重算：修改减排幅度，轨迹随之变化。",
        ),
        &f.text,
    )?;
    let top = 3u32;
    heads(
        ws,
        top,
        f,
        lang,
        &[
            ("Target", "目标", 22.0),
            ("Scopes", "范围", 8.0),
            ("Kind", "类型", 14.0),
            ("Base year", "基准年", 9.0),
            ("Target year", "目标年", 9.0),
            ("Reduction %", "减排幅度 %", 10.0),
            ("Base tCO2e", "基准年 tCO2e", 13.0),
            ("Base output", "基准年产出", 12.0),
            ("Base intensity t/unit", "基准年强度 t/单位", 13.0),
            ("Target-year tCO2e", "目标年 tCO2e", 13.0),
            ("Target intensity t/unit", "目标强度 t/单位", 13.0),
            ("Status", "状态", 10.0),
            ("Gap t", "差距 t", 12.0),
        ],
    )?;
    let first_year_row = top + 1 + u32::try_from(d.targets.len()).unwrap_or(0) + 2;
    // trajectory rows of each target, to point the status' gap at the reporting year's row
    let mut year_row = first_year_row + 1;
    let mut gap_rows: Vec<Option<u32>> = Vec::new();
    for t in &d.targets {
        let mut gap_row = None;
        for y in &t.assessment.trajectory {
            if y.year == d.year && y.gap_tco2e.is_some() {
                gap_row = Some(year_row);
            }
            year_row += 1;
        }
        gap_rows.push(gap_row);
    }
    for (i, t) in d.targets.iter().enumerate() {
        let row = top + 1 + u32::try_from(i).unwrap_or(0);
        let x = &t.target;
        text(ws, row, T_NAME, &x.name, &f.text)?;
        text(ws, row, T_SCOPES, x.scopes.code(), &f.text)?;
        let kind = match (x.kind, &x.metric) {
            (TargetKind::Intensity, Some(m)) => {
                format!("{} (t/{})", lang.pick("intensity", "强度"), m.unit)
            }
            (TargetKind::Intensity, None) => lang.pick("intensity", "强度"),
            (TargetKind::Absolute, _) => lang.pick("absolute", "绝对"),
        };
        text(ws, row, T_KIND, &kind, &f.text)?;
        number(ws, row, T_BASE_YEAR, Decimal::from(x.base_year), &f.year)?;
        number(
            ws,
            row,
            T_TARGET_YEAR,
            Decimal::from(x.target_year),
            &f.year,
        )?;
        number(ws, row, T_PCT, x.reduction_pct, &f.input)?;
        number(ws, row, T_BASE_T, x.base_tco2e, &f.t3)?;
        let cut = format!("(1-{}/100)", at(row, T_PCT));
        match x.kind {
            TargetKind::Absolute => {
                text(ws, row, T_BASE_OUTPUT, dash, &f.text)?;
                text(ws, row, T_BASE_INTENSITY, dash, &f.text)?;
                match x.target_tco2e() {
                    Some(v) => live(
                        ws,
                        row,
                        T_TARGET_T,
                        &format!("={}*{cut}", at(row, T_BASE_T)),
                        v,
                        &f.t3,
                    )?,
                    None => text(ws, row, T_TARGET_T, dash, &f.text)?,
                }
                text(ws, row, T_TARGET_INTENSITY, dash, &f.text)?;
            }
            TargetKind::Intensity => {
                match x.base_output {
                    Some(o) => number(ws, row, T_BASE_OUTPUT, o, &f.t3)?,
                    None => text(ws, row, T_BASE_OUTPUT, dash, &f.text)?,
                }
                match x.base_intensity() {
                    Some(v) => live(
                        ws,
                        row,
                        T_BASE_INTENSITY,
                        &format!("={}/{}", at(row, T_BASE_T), at(row, T_BASE_OUTPUT)),
                        v,
                        &f.ratio,
                    )?,
                    None => text(ws, row, T_BASE_INTENSITY, dash, &f.text)?,
                }
                // the emissions allowed in the target year at the reference year's output
                match t.target_tco2e {
                    Some(v) => number(ws, row, T_TARGET_T, v, &f.t3)?,
                    None => text(ws, row, T_TARGET_T, dash, &f.text)?,
                }
                match x.target_intensity() {
                    Some(v) => live(
                        ws,
                        row,
                        T_TARGET_INTENSITY,
                        &format!("={}*{cut}", at(row, T_BASE_INTENSITY)),
                        v,
                        &f.ratio,
                    )?,
                    None => text(ws, row, T_TARGET_INTENSITY, dash, &f.text)?,
                }
            }
        }
        text(
            ws,
            row,
            T_STATUS,
            &format!("{} {}", d.year, status(lang, t.assessment.status)),
            &f.text,
        )?;
        match (t.assessment.gap_tco2e, gap_rows.get(i).copied().flatten()) {
            (Some(g), Some(r)) => live(ws, row, T_GAP, &format!("={}", at(r, Y_GAP)), g, &f.t3)?,
            (Some(g), None) => number(ws, row, T_GAP, g, &f.t3)?,
            (None, _) => text(ws, row, T_GAP, dash, &f.text)?,
        }
    }

    // the trajectory, one row per target and year
    text(
        ws,
        first_year_row - 1,
        0,
        &lang.pick("Trajectory", "减排轨迹"),
        &f.title,
    )?;
    heads(
        ws,
        first_year_row,
        f,
        lang,
        &[
            ("Target", "目标", 22.0),
            ("Year", "年份", 8.0),
            ("Allowed share", "允许比例", 14.0),
            ("Output", "产出", 10.0),
            ("Allowed intensity t/unit", "允许强度 t/单位", 14.0),
            ("Allowed tCO2e", "允许排放 tCO2e", 13.0),
            ("Actual tCO2e", "实际排放 tCO2e", 13.0),
            ("Gap t", "差距 t", 12.0),
            ("Status", "状态", 12.0),
            ("", "", 10.0),
            ("", "", 13.0),
            ("", "", 10.0),
            ("", "", 12.0),
        ],
    )?;
    let mut row = first_year_row + 1;
    for (i, t) in d.targets.iter().enumerate() {
        let tr = top + 1 + u32::try_from(i).unwrap_or(0);
        let x = &t.target;
        for y in &t.assessment.trajectory {
            text(ws, row, Y_TARGET, &x.name, &f.text)?;
            number(ws, row, Y_YEAR, Decimal::from(y.year), &f.year)?;
            let share_f = format!(
                "=1-{pct}/100*(MIN({yr},{ty})-{by})/({ty}-{by})",
                pct = abs(tr, T_PCT),
                yr = at(row, Y_YEAR),
                ty = abs(tr, T_TARGET_YEAR),
                by = abs(tr, T_BASE_YEAR)
            );
            match x.allowed_share(y.year) {
                Some(s) => live(ws, row, Y_SHARE, &share_f, s, &f.ratio)?,
                None => text(ws, row, Y_SHARE, dash, &f.text)?,
            }
            let output = output_in(t, y.year);
            match (x.kind, y.allowed_tco2e) {
                (TargetKind::Absolute, Some(a)) => {
                    text(ws, row, Y_OUTPUT, dash, &f.text)?;
                    text(ws, row, Y_ALLOWED_INTENSITY, dash, &f.text)?;
                    live(
                        ws,
                        row,
                        Y_ALLOWED,
                        &format!("={}*{}", abs(tr, T_BASE_T), at(row, Y_SHARE)),
                        a,
                        &f.t3,
                    )?;
                }
                (TargetKind::Intensity, allowed) => {
                    match output {
                        Some(o) => number(ws, row, Y_OUTPUT, o, &f.t3)?,
                        None => text(ws, row, Y_OUTPUT, dash, &f.text)?,
                    }
                    match y.allowed_intensity {
                        Some(v) => live(
                            ws,
                            row,
                            Y_ALLOWED_INTENSITY,
                            &format!("={}*{}", abs(tr, T_BASE_INTENSITY), at(row, Y_SHARE)),
                            v,
                            &f.ratio,
                        )?,
                        None => text(ws, row, Y_ALLOWED_INTENSITY, dash, &f.text)?,
                    }
                    match (allowed, output) {
                        (Some(a), Some(_)) => live(
                            ws,
                            row,
                            Y_ALLOWED,
                            &format!("={}*{}", at(row, Y_ALLOWED_INTENSITY), at(row, Y_OUTPUT)),
                            a,
                            &f.t3,
                        )?,
                        _ => text(
                            ws,
                            row,
                            Y_ALLOWED,
                            &lang.pick("no output", "无产出数据"),
                            &f.text,
                        )?,
                    }
                }
                (TargetKind::Absolute, None) => {
                    text(ws, row, Y_ALLOWED, dash, &f.text)?;
                }
            }
            match y.actual_tco2e {
                Some(a) => number(ws, row, Y_ACTUAL, a, &f.t3)?,
                None => text(ws, row, Y_ACTUAL, dash, &f.text)?,
            }
            match y.gap_tco2e {
                Some(g) => live(
                    ws,
                    row,
                    Y_GAP,
                    &format!("={}-{}", at(row, Y_ACTUAL), at(row, Y_ALLOWED)),
                    g,
                    &f.t3,
                )?,
                None => text(ws, row, Y_GAP, dash, &f.text)?,
            }
            text(ws, row, Y_STATUS, &status(lang, y.status), &f.text)?;
            row += 1;
        }
    }
    ws.set_freeze_panes(top + 1, 1).map_err(xerr)?;
    Ok(())
}

// Measures: the input cells
const RATE_ROW: u32 = 2;
const PRICE_ROW: u32 = 3;
// ... and the columns of the measure table
const M_NO: u16 = 0;
const M_NAME: u16 = 1;
const M_KIND: u16 = 2;
const M_STATUS: u16 = 3;
const M_ABATEMENT: u16 = 4;
const M_CAPEX: u16 = 5;
const M_OPEX: u16 = 6;
const M_SAVINGS: u16 = 7;
const M_LIFETIME: u16 = 8;
const M_CRF: u16 = 9;
const M_ANNUALISED: u16 = 10;
const M_MAC: u16 = 11;
const M_NPV: u16 = 12;
const M_PAYBACK: u16 = 13;
const M_ACHIEVED: u16 = 14;
const M_FORMULA: u16 = 15;

fn measure_status(lang: Langs, m: &MeasureData) -> String {
    use lingtan_core::reduction::measure::MeasureStatus as S;
    match m.status {
        S::Idea => lang.pick("idea", "设想"),
        S::Planned => lang.pick("planned", "已计划"),
        S::Approved => lang.pick("approved", "已批准"),
        S::InProgress => lang.pick("in progress", "实施中"),
        S::Done => lang.pick("done", "已完成"),
    }
}

fn measures(ws: &mut Worksheet, d: &ReductionData, lang: Langs, f: &Formats) -> Result<()> {
    let dash = "—";
    text(
        ws,
        0,
        0,
        &lang.pick(
            &format!("Reduction measures, {}", d.year),
            &format!("{} 年减排措施", d.year),
        ),
        &f.title,
    )?;
    text(
        ws,
        1,
        0,
        &lang.pick(
            "r = the discount rate / 100. CRF = r(1+r)^n/((1+r)^n − 1) (1/n when r = 0); annualised cost = CRF × capex + opex − savings; MAC = annualised cost ÷ abatement; NPV = −capex + (savings − opex) × (1 − (1+r)^−n)/r; payback = capex ÷ (savings − opex). Change the discount rate and every figure follows.",
            "r = 折现率 / 100。资本回收系数 CRF = r(1+r)^n/((1+r)^n − 1)（r = 0 时为 1/n）；年化成本 = CRF × 投资 + 运行费用 − 节能收益；边际减排成本 = 年化成本 ÷ 年减排量；净现值 = −投资 + (节能收益 − 运行费用) × (1 − (1+r)^−n)/r；静态回收期 = 投资 ÷ (节能收益 − 运行费用)。修改折现率，各项数值随之变化。",
        ),
        &f.text,
    )?;
    text(
        ws,
        RATE_ROW,
        0,
        &lang.pick("Discount rate %", "折现率 %"),
        &f.text,
    )?;
    number(ws, RATE_ROW, 1, d.discount_rate.pct(), &f.input)?;
    text(
        ws,
        PRICE_ROW,
        0,
        &lang.pick("Carbon price CNY/tCO2e", "碳价 元/tCO2e"),
        &f.text,
    )?;
    match d.carbon_price {
        Some(p) => number(ws, PRICE_ROW, 1, p, &f.input)?,
        None => text(ws, PRICE_ROW, 1, dash, &f.text)?,
    }
    let r = format!("({}/100)", abs(RATE_ROW, 1));
    let rate = abs(RATE_ROW, 1);
    let top = 5u32;
    heads(
        ws,
        top,
        f,
        lang,
        &[
            ("#", "#", 4.0),
            ("Measure", "措施", 24.0),
            ("Kind", "类型", 18.0),
            ("Status", "状态", 10.0),
            ("Abatement t/yr", "年减排量 t", 12.0),
            ("Capex CNY", "投资 元", 13.0),
            ("Opex CNY/yr", "运行费用 元/年", 12.0),
            ("Savings CNY/yr", "节能收益 元/年", 13.0),
            ("Lifetime yr", "寿命 年", 8.0),
            ("CRF", "资本回收系数", 13.0),
            ("Annualised cost CNY/yr", "年化成本 元/年", 14.0),
            ("MAC CNY/t", "边际减排成本 元/t", 13.0),
            ("NPV CNY", "净现值 元", 14.0),
            ("Payback yr", "回收期 年", 10.0),
            (
                &format!("Achieved {} t", d.year),
                &format!("{} 年实际减排 t", d.year),
                12.0,
            ),
            ("Formula", "计算公式", 60.0),
        ],
    )?;
    let mut rows_of: Vec<(String, u32)> = Vec::new();
    for (i, m) in d.measures.iter().enumerate() {
        let row = top + 1 + u32::try_from(i).unwrap_or(0);
        rows_of.push((m.name.clone(), row));
        number(
            ws,
            row,
            M_NO,
            Decimal::from(u32::try_from(i + 1).unwrap_or(0)),
            &f.year,
        )?;
        text(ws, row, M_NAME, &m.name, &f.text)?;
        let spec = m.kind.spec();
        text(
            ws,
            row,
            M_KIND,
            &lang.pick(spec.name_en, spec.name_zh),
            &f.text,
        )?;
        text(ws, row, M_STATUS, &measure_status(lang, m), &f.text)?;
        match m.achieved.as_ref().and_then(|a| a.tco2e(d.basis)) {
            Some(a) => number(ws, row, M_ACHIEVED, a, &f.t3)?,
            None => text(ws, row, M_ACHIEVED, dash, &f.text)?,
        }
        let Some(x) = &m.result else {
            text(
                ws,
                row,
                M_ABATEMENT,
                &lang.pick(
                    "cannot be evaluated (see the issues)",
                    "无法计算（见问题清单）",
                ),
                &f.text,
            )?;
            continue;
        };
        match x.abatement_tco2e {
            Some(a) => number(ws, row, M_ABATEMENT, a, &f.t3)?,
            None => text(
                ws,
                row,
                M_ABATEMENT,
                &no_mac(lang, NoMac::NoFactor),
                &f.wrap,
            )?,
        }
        number(ws, row, M_CAPEX, x.capex, &f.money)?;
        number(ws, row, M_OPEX, x.opex, &f.money)?;
        match x.savings {
            Some(s) => number(ws, row, M_SAVINGS, s, &f.money)?,
            None => text(ws, row, M_SAVINGS, &no_mac(lang, NoMac::NoPrice), &f.wrap)?,
        }
        number(ws, row, M_LIFETIME, Decimal::from(x.lifetime), &f.year)?;
        let n = at(row, M_LIFETIME);
        live(
            ws,
            row,
            M_CRF,
            &format!("=IF({rate}=0,1/{n},{r}*(1+{r})^{n}/((1+{r})^{n}-1))"),
            x.crf,
            &f.ratio,
        )?;
        let (capex, opex, savings) = (at(row, M_CAPEX), at(row, M_OPEX), at(row, M_SAVINGS));
        match x.annualised_cost {
            Some(v) => live(
                ws,
                row,
                M_ANNUALISED,
                &format!("={}*{capex}+{opex}-{savings}", at(row, M_CRF)),
                v,
                &f.money,
            )?,
            None => text(ws, row, M_ANNUALISED, dash, &f.text)?,
        }
        match (x.mac, x.no_mac) {
            (Some(v), _) => live(
                ws,
                row,
                M_MAC,
                &format!("={}/{}", at(row, M_ANNUALISED), at(row, M_ABATEMENT)),
                v,
                &f.money,
            )?,
            (None, Some(why)) => text(ws, row, M_MAC, &no_mac(lang, why), &f.wrap)?,
            (None, None) => text(ws, row, M_MAC, dash, &f.text)?,
        }
        match x.npv {
            Some(v) => live(
                ws,
                row,
                M_NPV,
                &format!("=-{capex}+({savings}-{opex})*IF({rate}=0,{n},(1-(1+{r})^-{n})/{r})"),
                v,
                &f.money,
            )?,
            None => text(ws, row, M_NPV, dash, &f.text)?,
        }
        match x.payback_years {
            Some(v) => live(
                ws,
                row,
                M_PAYBACK,
                &format!("={capex}/({savings}-{opex})"),
                v,
                &f.pct,
            )?,
            None => text(
                ws,
                row,
                M_PAYBACK,
                &lang.pick(
                    "never (it saves less than it costs to run)",
                    "无法回收（节能收益不高于运行费用）",
                ),
                &f.wrap,
            )?,
        }
        let formula_text = match (&x.formula, lang) {
            (Some(fm), Langs::One(CoreLang::Zh)) => fm.zh.clone(),
            (Some(fm), Langs::One(CoreLang::En)) => fm.en.clone(),
            (Some(fm), Langs::Both) => format!("{}\n{}", fm.zh, fm.en),
            (None, _) => lang.pick("changes given directly", "直接给出的变化量"),
        };
        text(ws, row, M_FORMULA, &formula_text, &f.text)?;
    }

    // the MACC, in order: its MAC, width and cumulative abatement follow the measure rows
    if !d.macc.bars.is_empty() {
        let start = top + 1 + u32::try_from(d.measures.len()).unwrap_or(0) + 2;
        text(
            ws,
            start,
            0,
            &lang.pick(
                "Marginal abatement cost curve (cheapest first)",
                "边际减排成本曲线（由低到高）",
            ),
            &f.title,
        )?;
        let h = start + 1;
        for (c, (en, zh)) in [
            ("#", "#"),
            ("Measure", "措施"),
            ("MAC CNY/t", "边际减排成本 元/t"),
            ("Abatement t/yr", "年减排量 t"),
            ("From t/yr", "起点 t"),
            ("To t/yr", "终点 t"),
        ]
        .iter()
        .enumerate()
        {
            let c = u16::try_from(c).unwrap_or(0);
            ws.write_string_with_format(h, c, lang.stack(en, zh), &f.head)
                .map_err(xerr)?;
        }
        for (i, bar) in d.macc.bars.iter().enumerate() {
            let row = h + 1 + u32::try_from(i).unwrap_or(0);
            let source = rows_of
                .iter()
                .find(|(n, _)| *n == bar.name)
                .map(|(_, r)| *r);
            number(
                ws,
                row,
                0,
                Decimal::from(u32::try_from(i + 1).unwrap_or(0)),
                &f.year,
            )?;
            text(ws, row, 1, &bar.name, &f.text)?;
            match source {
                Some(sr) => {
                    live(
                        ws,
                        row,
                        2,
                        &format!("={}", at(sr, M_MAC)),
                        bar.mac,
                        &f.money,
                    )?;
                    live(
                        ws,
                        row,
                        3,
                        &format!("={}", at(sr, M_ABATEMENT)),
                        bar.abatement_tco2e,
                        &f.t3,
                    )?;
                }
                None => {
                    number(ws, row, 2, bar.mac, &f.money)?;
                    number(ws, row, 3, bar.abatement_tco2e, &f.t3)?;
                }
            }
            if i == 0 {
                number(ws, row, 4, bar.x_from, &f.t3)?;
            } else {
                live(
                    ws,
                    row,
                    4,
                    &format!("={}", at(row - 1, 5)),
                    bar.x_from,
                    &f.t3,
                )?;
            }
            live(
                ws,
                row,
                5,
                &format!("={}+{}", at(row, 4), at(row, 3)),
                bar.x_to,
                &f.t3,
            )?;
        }
    }
    ws.set_freeze_panes(top + 1, 2).map_err(xerr)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_named_as_a1_names() {
        assert_eq!(col(0), "A", "the first column");
        assert_eq!(col(25), "Z", "the last single letter");
        assert_eq!(col(26), "AA", "two letters after Z");
        assert_eq!(at(5, 2), "C6", "0-based row 5 is row 6");
        assert_eq!(abs(2, 1), "$B$3", "an absolute address");
    }
}
