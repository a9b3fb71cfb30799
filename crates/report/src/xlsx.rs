//! The auditor's workbook (rust_xlsxwriter): Summary, Activity data, Factors, Gases,
//! Calculation, Lineage, Audit. Every emission figure is a live formula — a calculation line is
//! quantity × conversion × share × the factor's kg CO2e per unit ÷ 1000, a factor's kg CO2e per
//! unit is the SUMIFS of its gases' kg × GWP, and the totals are SUMIFS over the calculation
//! lines, matched by number (a factor's row, a source's or site's id), never by a name, which
//! SUMIFS would read as a pattern — and each formula's cached value is the app's own result, so the workbook shows the
//! app's figures before it is recalculated and the same figures after (LibreOffice recalculation
//! is tested). Numbers are written as doubles (Excel has no decimals); the app's exact figures
//! are in the PDF and the project.

use crate::data::Data;
use crate::doc::report_date;
use crate::{Error, Lang, Langs, Result};
use lingtan_core::gas::Basket;
use lingtan_core::source::{Basis, Scope};
use lingtan_core::Decimal;
use rust_xlsxwriter::{
    Color, DocProperties, ExcelDateTime, Format, FormatBorder, Formula, Workbook, Worksheet,
};
use std::collections::HashMap;

pub(crate) fn xerr(e: rust_xlsxwriter::XlsxError) -> Error {
    Error::new(
        "XLSX_FAILED",
        crate::Field::Xlsx,
        format!("the workbook could not be written: {e}"),
        format!("无法生成工作簿：{e}"),
    )
}

/// A decimal as the double Excel stores (the nearest one; formatting is by the cell format).
pub(crate) fn num(d: Decimal) -> f64 {
    d.to_string().parse::<f64>().unwrap_or_default()
}

/// A formula with its cached result (the app's value).
pub(crate) fn formula(text: &str, result: Decimal) -> Formula {
    Formula::new(text).set_result(result.normalize().to_string())
}

struct Formats {
    head: Format,
    title: Format,
    t3: Format,
    qty: Format,
    ratio: Format,
    text: Format,
    wrap: Format,
    date: Format,
}

fn formats() -> Formats {
    // no font name: Excel and Calc then use their default, with the system's CJK fallback
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
        text: base.clone(),
        wrap: base.clone().set_text_wrap(),
        date: base.set_num_format("yyyy-mm-dd"),
    }
}

/// Sheet names in the report's language (at most 31 characters, no `[]:*?/\`).
fn names(lang: Langs) -> [String; 7] {
    let pairs = [
        ("Summary", "汇总"),
        ("Activity data", "活动数据"),
        ("Factors", "排放因子"),
        ("Gases", "气体与GWP"),
        ("Calculation", "计算"),
        ("Lineage", "溯源"),
        ("Audit", "审计"),
    ];
    pairs.map(|(en, zh)| match lang {
        Langs::One(Lang::En) => en.to_string(),
        Langs::One(Lang::Zh) => zh.to_string(),
        Langs::Both => format!("{zh} {en}"),
    })
}

/// `'Sheet name'!` for formulas.
fn r(sheet: &str) -> String {
    format!("'{}'!", sheet.replace('\'', "''"))
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

/// The workbook's bytes.
pub fn render(d: &Data, lang: Langs) -> Result<Vec<u8>> {
    let f = formats();
    let [n_sum, n_act, n_fac, n_gas, n_calc, n_lin, n_aud] = names(lang);
    let mut book = Workbook::new();
    let date = report_date(d);
    let created = ExcelDateTime::parse_from_str(&format!("{date}T00:00:00Z"))
        .or_else(|_| ExcelDateTime::parse_from_str(&format!("{}T00:00:00Z", d.last_day())))
        .map_err(xerr)?;
    let (title_en, title_zh) = d.titled("GHG inventory", "温室气体盘查计算工作簿");
    book.set_properties(
        &DocProperties::new()
            .set_title(lang.pick(&format!("{title_en} — calculation workbook"), &title_zh))
            .set_author(
                d.info
                    .prepared_by
                    .clone()
                    .unwrap_or_else(|| d.info.org_name.clone()),
            )
            .set_company(d.info.org_name.clone())
            .set_comment(format!("data fingerprint {}", d.report.fingerprint))
            .set_creation_datetime(&created),
    );

    // --- Gases: one row per gas of each factor -------------------------------------------------
    // columns: A factor, B version, C substance, D gas, E kg/unit, F GWP, G kg CO2e/unit, H basket
    let gas_rows: Vec<u32> = (0..d.factor_gases.len() as u32).map(|i| i + 1).collect();
    let gas_last = d.factor_gases.len() as u32 + 1;
    // --- Factors: one row per factor ------------------------------------------------------------
    let factor_row: HashMap<(String, u32), u32> = d
        .factors
        .iter()
        .enumerate()
        .map(|(i, x)| ((x.id.clone(), x.version), i as u32 + 1))
        .collect();
    let lines = &d.report.inventory.lines;
    let calc_last = lines.len() as u32 + 1;

    // Summary first so it is the first sheet
    {
        let ws = book.add_worksheet();
        ws.set_name(&n_sum).map_err(xerr)?;
        summary(ws, d, lang, &f, &n_calc, calc_last)?;
    }
    {
        // one row per record: streamed to a temporary file row by row (constant memory); every
        // write below goes in row order, which that mode requires
        let ws = book.add_worksheet_with_constant_memory().map_err(xerr)?;
        ws.set_name(&n_act).map_err(xerr)?;
        activity(ws, d, lang, &f)?;
    }
    {
        let ws = book.add_worksheet();
        ws.set_name(&n_fac).map_err(xerr)?;
        heads(
            ws,
            0,
            &f,
            lang,
            &[
                ("Factor", "因子", 28.0),
                ("Version", "版本", 7.0),
                ("Name", "名称", 40.0),
                ("Dataset", "数据集", 24.0),
                ("Data year", "数据年份", 9.0),
                ("Per unit", "单位", 8.0),
                ("kg CO2e per unit (Kyoto)", "每单位 kg CO2e（京都）", 16.0),
                ("Citation", "出处", 60.0),
                ("Licence", "许可", 16.0),
                ("Verified", "已核对", 8.0),
                ("User factor", "用户因子", 8.0),
            ],
        )?;
        for (i, x) in d.factors.iter().enumerate() {
            let row = i as u32 + 1;
            ws.write_string_with_format(row, 0, &x.id, &f.text)
                .map_err(xerr)?;
            ws.write_number_with_format(row, 1, f64::from(x.version), &f.text)
                .map_err(xerr)?;
            let name = match (lang, &x.name_zh) {
                (Langs::One(Lang::Zh), Some(zh)) => zh.clone(),
                _ => x.name.clone(),
            };
            ws.write_string_with_format(row, 2, name, &f.text)
                .map_err(xerr)?;
            ws.write_string_with_format(row, 3, &x.dataset, &f.text)
                .map_err(xerr)?;
            if let Some(y) = x.year {
                ws.write_number_with_format(row, 4, f64::from(y), &f.text)
                    .map_err(xerr)?;
            }
            ws.write_string_with_format(row, 5, x.unit.code(), &f.text)
                .map_err(xerr)?;
            let g = r(&n_gas);
            // keyed by this row's number in the Gases sheet's column I: an id as a criterion
            // would be a pattern to SUMIFS (a user's factor id "CN*" matches every CN factor)
            let text = format!(
                "=SUMIFS({g}$G$2:$G${gas_last},{g}$I$2:$I${gas_last},{n},{g}$H$2:$H${gas_last},\"Kyoto\")",
                n = row + 1
            );
            ws.write_formula_with_format(
                row,
                6,
                formula(&text, d.kyoto_per_unit(&x.id, x.version)),
                &f.ratio,
            )
            .map_err(xerr)?;
            ws.write_string_with_format(row, 7, &x.citation, &f.wrap)
                .map_err(xerr)?;
            ws.write_string_with_format(row, 8, &x.licence, &f.text)
                .map_err(xerr)?;
            ws.write_string_with_format(row, 9, if x.verified { "yes" } else { "NO" }, &f.text)
                .map_err(xerr)?;
            ws.write_string_with_format(
                row,
                10,
                if crate::data::Data::is_user_factor(x) {
                    "yes"
                } else {
                    ""
                },
                &f.text,
            )
            .map_err(xerr)?;
        }
        ws.set_freeze_panes(1, 1).map_err(xerr)?;
    }
    {
        let ws = book.add_worksheet();
        ws.set_name(&n_gas).map_err(xerr)?;
        heads(
            ws,
            0,
            &f,
            lang,
            &[
                ("Factor", "因子", 28.0),
                ("Version", "版本", 7.0),
                ("Substance", "物质", 12.0),
                ("Gas", "气体", 12.0),
                ("kg per unit", "每单位 kg", 14.0),
                ("GWP", "GWP", 8.0),
                ("kg CO2e per unit", "每单位 kg CO2e", 16.0),
                ("Basket", "类别", 10.0),
                ("Factor row", "因子所在行", 10.0),
            ],
        )?;
        for (g, row) in d.factor_gases.iter().zip(&gas_rows) {
            let row = *row;
            ws.write_string_with_format(row, 0, &g.factor, &f.text)
                .map_err(xerr)?;
            ws.write_number_with_format(row, 1, f64::from(g.version), &f.text)
                .map_err(xerr)?;
            ws.write_string_with_format(row, 2, &g.substance, &f.text)
                .map_err(xerr)?;
            ws.write_string_with_format(row, 3, &g.gas, &f.text)
                .map_err(xerr)?;
            ws.write_number_with_format(row, 4, num(g.kg_per_unit), &f.ratio)
                .map_err(xerr)?;
            ws.write_number_with_format(row, 5, num(g.gwp), &f.ratio)
                .map_err(xerr)?;
            let n = row + 1;
            ws.write_formula_with_format(
                row,
                6,
                formula(&format!("=E{n}*F{n}"), g.kg_per_unit * g.gwp),
                &f.ratio,
            )
            .map_err(xerr)?;
            let basket = match g.basket {
                Basket::Kyoto => "Kyoto",
                Basket::NonKyoto => "non-Kyoto",
                Basket::Biogenic => "biogenic",
            };
            ws.write_string_with_format(row, 7, basket, &f.text)
                .map_err(xerr)?;
            // the row of this gas's factor on the Factors sheet: what its SUMIFS matches
            let factor_at = factor_row
                .get(&(g.factor.clone(), g.version))
                .map_or(0, |r| r + 1);
            ws.write_number_with_format(row, 8, f64::from(factor_at), &f.text)
                .map_err(xerr)?;
        }
        let note = format!(
            "GWP: {} — {}",
            d.report.inventory.gwp.code(),
            d.report.inventory.gwp.citation()
        );
        ws.write_string_with_format(gas_last + 1, 0, note, &f.text)
            .map_err(xerr)?;
        ws.set_freeze_panes(1, 0).map_err(xerr)?;
    }
    {
        // one row per record: streamed to a temporary file row by row (constant memory); every
        // write below goes in row order, which that mode requires
        let ws = book.add_worksheet_with_constant_memory().map_err(xerr)?;
        ws.set_name(&n_calc).map_err(xerr)?;
        calculation(ws, d, lang, &f, &n_fac, &factor_row)?;
    }
    {
        // one row per record: streamed to a temporary file row by row (constant memory); every
        // write below goes in row order, which that mode requires
        let ws = book.add_worksheet_with_constant_memory().map_err(xerr)?;
        ws.set_name(&n_lin).map_err(xerr)?;
        lineage(ws, d, lang, &f)?;
    }
    {
        let ws = book.add_worksheet();
        ws.set_name(&n_aud).map_err(xerr)?;
        let v = &d.verification;
        let rows = [
            (
                lang.pick("Audit chain head", "审计链头"),
                d.report.audit_head.clone(),
            ),
            (
                lang.pick("Audit log entries", "审计日志条数"),
                v.entries.to_string(),
            ),
            (
                lang.pick("Audit log verified", "审计日志校验"),
                if v.ok() {
                    lang.pick("intact", "完整")
                } else {
                    lang.pick("NOT intact", "不完整")
                },
            ),
            (
                lang.pick("Data fingerprint (SHA-256)", "数据指纹（SHA-256）"),
                d.report.fingerprint.clone(),
            ),
            (
                lang.pick("Records read", "读取记录数"),
                d.report.records_read.to_string(),
            ),
            (lang.pick("Report date", "报告日期"), date.clone()),
        ];
        ws.set_column_width(0, 30).map_err(xerr)?;
        ws.set_column_width(1, 70).map_err(xerr)?;
        for (i, (k, v)) in rows.iter().enumerate() {
            ws.write_string_with_format(i as u32, 0, k, &f.head)
                .map_err(xerr)?;
            ws.write_string_with_format(i as u32, 1, v, &f.text)
                .map_err(xerr)?;
        }
    }
    // the reduction step's Targets and Measures sheets, after the inventory's, when it has data
    if let Some(r) = &d.reduction {
        crate::reduction::xlsx::sheets(&mut book, r, lang)?;
    }
    // the offset step's sheets, only when the year has certificates claimed or credits retired;
    // scope 1 and scope 3 linked to the Summary, scope 2 market-based before the certificates
    // to the Calculation sheet's column W
    if let Some(o) = &d.offset {
        let (certificates, credits) = o.parts();
        let section = crate::offset::Section {
            inventory: &d.report.inventory,
            summary: &o.summary,
            certificates: &certificates,
            credits: &credits,
        };
        let sum = r(&n_sum);
        let calc = r(&n_calc);
        let links = crate::offset::Links {
            scope1: Some(format!("{sum}$C$5")),
            scope2_market_before: Some(format!(
                "SUMIFS({calc}$W$2:$W${calc_last},{calc}$D$2:$D${calc_last},2)"
            )),
            scope3: Some(format!("{sum}$C$7")),
        };
        crate::offset::sheets(&mut book, &section, lang, &links)?;
    }
    for (i, ws) in book.worksheets_mut().iter_mut().enumerate() {
        // printed: one page wide; the wide sheets (activity data onwards, not Audit) landscape
        ws.set_print_fit_to_pages(1, 0);
        if (1..6).contains(&i) {
            ws.set_landscape();
        }
    }
    book.save_to_buffer().map_err(xerr)
}

fn summary(
    ws: &mut Worksheet,
    d: &Data,
    lang: Langs,
    f: &Formats,
    n_calc: &str,
    last: u32,
) -> Result<()> {
    let inv = &d.report.inventory;
    let t = &inv.totals;
    let c = r(n_calc);
    ws.set_column_width(0, 64).map_err(xerr)?;
    ws.set_column_width(1, 18).map_err(xerr)?;
    ws.set_column_width(2, 18).map_err(xerr)?;
    ws.write_string_with_format(
        0,
        0,
        format!("{} — {}", d.info.org_name, {
            let (en, zh) = d.titled("GHG inventory", "温室气体盘查");
            lang.pick(&en, &zh)
        }),
        &f.title,
    )
    .map_err(xerr)?;
    ws.write_string_with_format(
        1,
        0,
        lang.pick(
            &format!(
                "GWP {}; totals are SUMIFS over the calculation sheet, sources and sites matched by their id (column D)",
                inv.gwp.code()
            ),
            &format!(
                "GWP {}；合计为计算表的 SUMIFS 公式，排放源和场所按编号（D 列）匹配",
                inv.gwp.code()
            ),
        ),
        &f.text,
    )
    .map_err(xerr)?;
    heads(
        ws,
        3,
        f,
        lang,
        &[
            ("Scope (GHG Protocol)", "范围", 64.0),
            ("tCO2e location-based", "tCO2e（基于位置）", 18.0),
            ("tCO2e market-based", "tCO2e（基于市场）", 18.0),
        ],
    )?;
    // calculation columns: D scope, E category, F site, G source, N tCO2e, S tCO2e market,
    // T site id, U source id. A name is never a criterion: SUMIFS reads * ? ~ and a leading
    // < > = in it as a pattern and ignores letter case, so "Grid*" would sum every source whose
    // name begins with Grid; the ids are numbers and match exactly.
    let sum = |col: &str, crit_col: &str, crit: &str| {
        format!("=SUMIFS({c}${col}$2:${col}${last},{c}${crit_col}$2:${crit_col}${last},{crit})")
    };
    let rows: [(String, String, Decimal, String, Decimal); 4] = [
        (
            {
                let (en, zh) = Scope::One.line_names(Basis::Location);
                lang.pick(en, zh)
            },
            sum("N", "D", "1"),
            t.scope1,
            sum("S", "D", "1"),
            t.scope1,
        ),
        (
            lang.pick("Scope 2 (imported energy)", "范围二（外购能源）"),
            sum("N", "D", "2"),
            t.scope2_location,
            sum("S", "D", "2"),
            t.scope2_market,
        ),
        (
            lang.pick(Scope::Three.names().0, Scope::Three.names().1),
            sum("N", "D", "3"),
            t.scope3,
            sum("S", "D", "3"),
            t.scope3,
        ),
        (
            lang.pick("Total", "合计"),
            "=SUM(B5:B7)".into(),
            t.total_location,
            "=SUM(C5:C7)".into(),
            t.total_market,
        ),
    ];
    for (i, (label, loc, loc_v, mkt, mkt_v)) in rows.iter().enumerate() {
        let row = 4 + i as u32;
        let fmt = if i == 3 { &f.head } else { &f.text };
        ws.write_string_with_format(row, 0, label, fmt)
            .map_err(xerr)?;
        ws.write_formula_with_format(row, 1, formula(loc, *loc_v), &f.t3)
            .map_err(xerr)?;
        ws.write_formula_with_format(row, 2, formula(mkt, *mkt_v), &f.t3)
            .map_err(xerr)?;
    }
    heads(
        ws,
        9,
        f,
        lang,
        &[
            ("ISO 14064-1 category", "ISO 14064-1 类别", 64.0),
            (
                "tCO2e (cat. 2 location-based)",
                "tCO2e（类别二基于位置）",
                18.0,
            ),
        ],
    )?;
    for cat in 1..=6u8 {
        let row = 9 + u32::from(cat);
        let (en, zh) = lingtan_core::source::IsoCategory(cat).names();
        ws.write_string_with_format(row, 0, format!("{cat} {}", lang.pick(en, zh)), &f.text)
            .map_err(xerr)?;
        let v = inv.categories.get(&cat).copied().unwrap_or_default();
        ws.write_formula_with_format(row, 1, formula(&sum("N", "E", &cat.to_string()), v), &f.t3)
            .map_err(xerr)?;
    }
    heads(
        ws,
        17,
        f,
        lang,
        &[
            ("Source", "排放源", 64.0),
            ("tCO2e location-based", "tCO2e（基于位置）", 18.0),
            ("tCO2e market-based", "tCO2e（基于市场）", 18.0),
            ("Source id", "排放源编号", 10.0),
        ],
    )?;
    for (i, s) in inv.sources.iter().enumerate() {
        let row = 18 + i as u32;
        ws.write_string_with_format(row, 0, &s.source, &f.text)
            .map_err(xerr)?;
        ws.write_number_with_format(row, 3, s.source_id as f64, &f.text)
            .map_err(xerr)?;
        let crit = format!("D{}", row + 1);
        ws.write_formula_with_format(row, 1, formula(&sum("N", "U", &crit), s.tco2e), &f.t3)
            .map_err(xerr)?;
        ws.write_formula_with_format(
            row,
            2,
            formula(&sum("S", "U", &crit), s.tco2e_market),
            &f.t3,
        )
        .map_err(xerr)?;
    }
    let mut row = 19 + inv.sources.len() as u32;
    heads(
        ws,
        row,
        f,
        lang,
        &[
            ("Site", "场所", 64.0),
            ("tCO2e location-based", "tCO2e（基于位置）", 18.0),
            ("tCO2e market-based", "tCO2e（基于市场）", 18.0),
            ("Site id", "场所编号", 10.0),
        ],
    )?;
    for s in &inv.sites {
        row += 1;
        ws.write_string_with_format(row, 0, &s.site, &f.text)
            .map_err(xerr)?;
        let id = d
            .sites
            .iter()
            .find(|x| x.name == s.site)
            .map_or(0, |x| x.id);
        ws.write_number_with_format(row, 3, id as f64, &f.text)
            .map_err(xerr)?;
        let crit = format!("D{}", row + 1);
        ws.write_formula_with_format(
            row,
            1,
            formula(&sum("N", "T", &crit), s.total_location),
            &f.t3,
        )
        .map_err(xerr)?;
        ws.write_formula_with_format(
            row,
            2,
            formula(&sum("S", "T", &crit), s.total_market),
            &f.t3,
        )
        .map_err(xerr)?;
    }
    row += 2;
    let fields = [
        (
            lang.pick("Biogenic CO2 (t, apart)", "生物源 CO2（吨，单列）"),
            t.biogenic_co2,
        ),
        (
            lang.pick(
                "Non-Kyoto gases (tCO2e, apart)",
                "京都以外气体（tCO2e，单列）",
            ),
            t.non_kyoto,
        ),
    ];
    for (k, v) in fields {
        ws.write_string_with_format(row, 0, k, &f.text)
            .map_err(xerr)?;
        ws.write_number_with_format(row, 1, num(v), &f.t3)
            .map_err(xerr)?;
        row += 1;
    }
    ws.write_string_with_format(row, 0, lang.pick("Data fingerprint", "数据指纹"), &f.text)
        .map_err(xerr)?;
    ws.write_string_with_format(row, 1, &d.report.fingerprint, &f.text)
        .map_err(xerr)?;
    Ok(())
}

fn activity(ws: &mut Worksheet, d: &Data, lang: Langs, f: &Formats) -> Result<()> {
    heads(
        ws,
        0,
        f,
        lang,
        &[
            ("Record", "记录", 8.0),
            ("Version", "版本", 7.0),
            ("Source", "排放源", 30.0),
            ("From", "起", 11.0),
            ("To", "止", 11.0),
            ("Quantity", "数量", 14.0),
            ("Unit", "单位", 7.0),
            ("Note", "备注", 30.0),
        ],
    )?;
    for (i, rec) in d.records.iter().enumerate() {
        let row = i as u32 + 1;
        let a = &rec.row;
        record_key(ws, row, rec, f)?;
        ws.write_datetime_with_format(row, 3, a.from, &f.date)
            .map_err(xerr)?;
        ws.write_datetime_with_format(row, 4, a.to, &f.date)
            .map_err(xerr)?;
        ws.write_number_with_format(row, 5, num(a.quantity), &f.qty)
            .map_err(xerr)?;
        ws.write_string_with_format(row, 6, a.unit.code(), &f.text)
            .map_err(xerr)?;
        if let Some(note) = &a.note {
            ws.write_string_with_format(row, 7, note, &f.text)
                .map_err(xerr)?;
        }
    }
    ws.set_freeze_panes(1, 0).map_err(xerr)?;
    ws.autofilter(0, 0, d.records.len().max(1) as u32, 7)
        .map_err(xerr)?;
    Ok(())
}

/// Columns A–C of a per-record sheet: the record, its version, its source.
fn record_key(ws: &mut Worksheet, row: u32, rec: &crate::data::Record, f: &Formats) -> Result<()> {
    let a = &rec.row;
    ws.write_number_with_format(row, 0, a.id as f64, &f.text)
        .map_err(xerr)?;
    ws.write_number_with_format(row, 1, f64::from(a.version), &f.text)
        .map_err(xerr)?;
    ws.write_string_with_format(row, 2, &rec.source, &f.text)
        .map_err(xerr)?;
    Ok(())
}

fn calculation(
    ws: &mut Worksheet,
    d: &Data,
    lang: Langs,
    f: &Formats,
    n_fac: &str,
    factor_row: &HashMap<(String, u32), u32>,
) -> Result<()> {
    heads(
        ws,
        0,
        f,
        lang,
        &[
            ("Line", "行", 6.0),        // A
            ("Record", "记录", 8.0),    // B
            ("Version", "版本", 7.0),   // C
            ("Scope", "范围", 6.0),     // D
            ("Category", "类别", 7.0),  // E
            ("Site", "场所", 18.0),     // F
            ("Source", "排放源", 28.0), // G
            if d.period().is_none() {
                ("Quantity in year", "年内活动量", 14.0) // H
            } else {
                ("Quantity in period", "期间内活动量", 14.0)
            },
            ("Unit", "单位", 7.0),                                         // I
            ("Conversion to factor unit", "换算系数", 14.0),               // J
            ("Share", "比例", 7.0),                                        // K
            ("Factor", "因子", 26.0),                                      // L
            ("kg CO2e per factor unit", "每因子单位 kg CO2e", 14.0),       // M
            ("tCO2e", "tCO2e", 12.0),                                      // N
            ("Market factor", "市场因子", 26.0),                           // O
            ("Conversion (market)", "换算系数（市场）", 14.0),             // P
            ("kg CO2e per unit (market)", "每单位 kg CO2e（市场）", 14.0), // Q
            ("Fuel properties", "燃料参数", 26.0),                         // R
            ("tCO2e market", "tCO2e（市场）", 12.0),                       // S
            ("Site id", "场所编号", 8.0),                                  // T
            ("Source id", "排放源编号", 8.0),                              // U
        ],
    )?;
    // with the offset step: V the kWh certificates cover (what the market-based figure leaves
    // out), W the market-based tCO2e before them; S is then W less the covered kWh at the
    // market factor. Without certificates or credits the sheet is as before.
    let covered = d.offset.is_some();
    if covered {
        for (c, en, zh, w) in [
            (
                21u16,
                "kWh covered by certificates",
                "证书覆盖电量（千瓦时）",
                14.0,
            ),
            (
                22u16,
                "tCO2e market before certificates",
                "tCO2e（市场，证书前）",
                14.0,
            ),
        ] {
            ws.write_string_with_format(0, c, lang.stack(en, zh), &f.head)
                .map_err(xerr)?;
            ws.set_column_width(c, w).map_err(xerr)?;
        }
    }
    let fac = r(n_fac);
    for (i, line) in d.report.inventory.lines.iter().enumerate() {
        let row = i as u32 + 1;
        let n = row + 1;
        let source = d.source(line.source_id);
        let site = source
            .and_then(|s| d.sites.iter().find(|x| x.id == s.site_id))
            .map(|s| s.name.clone())
            .unwrap_or_default();
        let (scope, category) = source
            .map(|s| (s.kind.scope().number(), s.kind.iso_category().0))
            .unwrap_or((0, 0));
        let conv = d
            .conversions
            .get(&(line.source_id, line.unit.code().to_string()));
        let share = d
            .shares
            .get(&line.source_id)
            .copied()
            .unwrap_or(Decimal::ONE);
        ws.write_number_with_format(row, 0, f64::from(row), &f.text)
            .map_err(xerr)?;
        ws.write_number_with_format(row, 1, line.activity_id as f64, &f.text)
            .map_err(xerr)?;
        ws.write_number_with_format(row, 2, f64::from(line.activity_version), &f.text)
            .map_err(xerr)?;
        ws.write_number_with_format(row, 3, f64::from(scope), &f.text)
            .map_err(xerr)?;
        ws.write_number_with_format(row, 4, f64::from(category), &f.text)
            .map_err(xerr)?;
        ws.write_string_with_format(row, 5, &site, &f.text)
            .map_err(xerr)?;
        ws.write_string_with_format(
            row,
            6,
            source.map(|s| s.name.as_str()).unwrap_or("?"),
            &f.text,
        )
        .map_err(xerr)?;
        ws.write_number_with_format(row, 7, num(line.quantity), &f.qty)
            .map_err(xerr)?;
        ws.write_string_with_format(row, 8, line.unit.code(), &f.text)
            .map_err(xerr)?;
        ws.write_number_with_format(
            row,
            9,
            num(conv.map(|c| c.ratio).unwrap_or(Decimal::ONE)),
            &f.ratio,
        )
        .map_err(xerr)?;
        ws.write_number_with_format(row, 10, num(share), &f.ratio)
            .map_err(xerr)?;
        ws.write_string_with_format(
            row,
            11,
            format!("{} v{}", line.factor.id, line.factor.version),
            &f.text,
        )
        .map_err(xerr)?;
        let loc_row = factor_row
            .get(&(line.factor.id.clone(), line.factor.version))
            .copied()
            .unwrap_or(0)
            + 1;
        ws.write_formula_with_format(
            row,
            12,
            formula(
                &format!("={fac}$G${loc_row}"),
                d.kyoto_per_unit(&line.factor.id, line.factor.version),
            ),
            &f.ratio,
        )
        .map_err(xerr)?;
        ws.write_formula_with_format(
            row,
            13,
            formula(&format!("=H{n}*J{n}*K{n}*M{n}/1000"), line.tco2e),
            &f.t3,
        )
        .map_err(xerr)?;
        let market = line.market_factor.as_ref().unwrap_or(&line.factor);
        ws.write_string_with_format(
            row,
            14,
            format!("{} v{}", market.id, market.version),
            &f.text,
        )
        .map_err(xerr)?;
        ws.write_number_with_format(
            row,
            15,
            num(conv.map(|c| c.ratio_market).unwrap_or(Decimal::ONE)),
            &f.ratio,
        )
        .map_err(xerr)?;
        let mkt_row = factor_row
            .get(&(market.id.clone(), market.version))
            .copied()
            .unwrap_or(0)
            + 1;
        ws.write_formula_with_format(
            row,
            16,
            formula(
                &format!("={fac}$G${mkt_row}"),
                d.kyoto_per_unit(&market.id, market.version),
            ),
            &f.ratio,
        )
        .map_err(xerr)?;
        ws.write_string_with_format(
            row,
            17,
            conv.map(|c| c.properties.join("; ")).unwrap_or_default(),
            &f.text,
        )
        .map_err(xerr)?;
        if covered {
            // factor units per kWh of the market factor (1 for a factor per kWh)
            let per_kwh = d
                .factor(&market.id, market.version)
                .and_then(|x| lingtan_core::Unit::KWh.convert(Decimal::ONE, x.unit).ok())
                .unwrap_or(Decimal::ONE);
            ws.write_formula_with_format(
                row,
                18,
                formula(
                    &format!("=MAX(0,W{n}-V{n}*{}*Q{n}/1000)", per_kwh.normalize()),
                    line.tco2e_market,
                ),
                &f.t3,
            )
            .map_err(xerr)?;
        } else {
            ws.write_formula_with_format(
                row,
                18,
                formula(&format!("=H{n}*P{n}*K{n}*Q{n}/1000"), line.tco2e_market),
                &f.t3,
            )
            .map_err(xerr)?;
        }
        // the keys the Summary's totals match (see `summary`)
        let site_id = source.map_or(0, |s| s.site_id);
        ws.write_number_with_format(row, 19, site_id as f64, &f.text)
            .map_err(xerr)?;
        ws.write_number_with_format(row, 20, line.source_id as f64, &f.text)
            .map_err(xerr)?;
        if covered {
            let q = d.kyoto_per_unit(&market.id, market.version);
            let before = if line.eac_kwh.is_zero() {
                line.tco2e_market
            } else {
                line.quantity * conv.map(|c| c.ratio_market).unwrap_or(Decimal::ONE) * share * q
                    / Decimal::ONE_THOUSAND
            };
            ws.write_number_with_format(row, 21, num(line.eac_kwh), &f.qty)
                .map_err(xerr)?;
            ws.write_formula_with_format(
                row,
                22,
                formula(&format!("=H{n}*P{n}*K{n}*Q{n}/1000"), before),
                &f.t3,
            )
            .map_err(xerr)?;
        }
    }
    ws.set_freeze_panes(1, 0).map_err(xerr)?;
    let last_col = if covered { 22 } else { 20 };
    ws.autofilter(0, 0, d.report.inventory.lines.len().max(1) as u32, last_col)
        .map_err(xerr)?;
    Ok(())
}

fn lineage(ws: &mut Worksheet, d: &Data, lang: Langs, f: &Formats) -> Result<()> {
    heads(
        ws,
        0,
        f,
        lang,
        &[
            ("Record", "记录", 8.0),
            ("Version", "版本", 7.0),
            ("Source", "排放源", 28.0),
            ("Evidence file", "证据文件", 30.0),
            ("SHA-256", "SHA-256", 66.0),
            ("Import batch", "导入批次", 30.0),
            ("Place in file", "文件中位置", 24.0),
            ("Entered", "录入时间", 20.0),
        ],
    )?;
    for (i, rec) in d.records.iter().enumerate() {
        let row = i as u32 + 1;
        let a = &rec.row;
        record_key(ws, row, rec, f)?;
        if let Some(e) = &rec.evidence {
            ws.write_string_with_format(row, 3, &e.file_name, &f.text)
                .map_err(xerr)?;
            ws.write_string_with_format(row, 4, &e.sha256, &f.text)
                .map_err(xerr)?;
        }
        if let Some(b) = &rec.batch {
            ws.write_string_with_format(row, 5, b, &f.text)
                .map_err(xerr)?;
        }
        if let Some(o) = &a.origin_ref {
            ws.write_string_with_format(row, 6, o, &f.text)
                .map_err(xerr)?;
        }
        ws.write_string_with_format(row, 7, &a.created_at, &f.text)
            .map_err(xerr)?;
    }
    ws.set_freeze_panes(1, 0).map_err(xerr)?;
    ws.autofilter(0, 0, d.records.len().max(1) as u32, 7)
        .map_err(xerr)?;
    Ok(())
}
