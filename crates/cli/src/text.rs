//! Human-readable output of the `lingtan` command, in Chinese or English. Figures are rounded
//! here, for display only (tCO2e to 3 decimals, quantities to 3 decimals, with separators).

use lingtan::core::factor::{EmissionFactor, FuelProperty, Origin};
use lingtan::core::source::{Basis, IsoCategory, Scope};
use lingtan::core::{Decimal, Lang, Source};
use lingtan::{InventoryReport, Verification};
use std::fmt::Write;

/// 1234567.891 → "1,234,567.891" (3 decimals, half to even).
pub fn fmt(d: Decimal) -> String {
    lingtan::core::text::grouped(d, 3)
}

fn pct(d: Option<Decimal>) -> String {
    d.map(|v| format!("±{}%", v.round_dp(1)))
        .unwrap_or_else(|| "—".into())
}

use lingtan::core::text::display_width as width;

/// Text from the project or a file as it can be printed on one line: line breaks, tabs, control
/// and bidirectional characters are shown as escapes, so a name cannot forge a line of output.
/// Every name, place, message and citation printed goes through it (cells through `pad`).
pub fn p(s: &str) -> std::borrow::Cow<'_, str> {
    lingtan::core::text::printable(s)
}

pub fn pad(s: &str, w: usize) -> String {
    let s = p(s);
    let n = width(&s);
    if n >= w {
        s.into_owned()
    } else {
        format!("{s}{}", " ".repeat(w - n))
    }
}

/// A column of figures by scope: `scope 2 loc`, `范围二位置`.
fn scope_head(lang: Lang, scope: Scope, basis: &str) -> String {
    let (en, zh) = scope.names();
    let zh_basis = match basis {
        "loc" => "位置",
        "mkt" => "市场",
        _ => "",
    };
    match (lang, basis) {
        (Lang::Zh, _) => format!("{zh}{zh_basis}"),
        (Lang::En, "") => en.to_lowercase(),
        (Lang::En, _) => format!("{} {basis}", en.to_lowercase()),
    }
}

pub fn lpad(s: &str, w: usize) -> String {
    let s = p(s);
    let n = width(&s);
    if n >= w {
        s.into_owned()
    } else {
        format!("{}{s}", " ".repeat(w - n))
    }
}

pub fn inventory(report: &InventoryReport, lang: Lang) -> String {
    let inv = &report.inventory;
    let t = &inv.totals;
    let l = |en: &'static str, zh: &'static str| lang.pick(en, zh);
    let line = |s: Scope, b: Basis| {
        let (en, zh) = s.line_names(b);
        lang.pick(en, zh)
    };
    let mut o = String::new();
    let _ = writeln!(
        o,
        "{} — {} {} ({} {})",
        p(&report.org_name),
        l("GHG inventory", "温室气体盘查"),
        match &inv.period {
            Some(p) => format!("{} – {}", p.from, p.to),
            None => inv.year.to_string(),
        },
        l("GWP", "GWP"),
        inv.gwp.code()
    );
    let _ = writeln!(o);
    let _ = writeln!(o, "{} (tCO2e)", l("Totals", "排放总量"));
    let rows = [
        (
            line(Scope::One, Basis::Location),
            t.scope1,
            inv.uncertainty.scope1_pct,
        ),
        (
            line(Scope::Two, Basis::Location),
            t.scope2_location,
            inv.uncertainty.scope2_location_pct,
        ),
        (
            line(Scope::Two, Basis::Market),
            t.scope2_market,
            inv.uncertainty.scope2_market_pct,
        ),
        (
            line(Scope::Three, Basis::Location),
            t.scope3,
            inv.uncertainty.scope3_pct,
        ),
        (
            l("Total, location-based", "合计（基于位置）"),
            t.total_location,
            inv.uncertainty.total_location_pct,
        ),
        (
            l("Total, market-based", "合计（基于市场）"),
            t.total_market,
            None,
        ),
    ];
    for (label, value, u) in rows {
        let _ = writeln!(
            o,
            "  {} {} {}",
            pad(label, 28),
            lpad(&fmt(value), 14),
            if u.is_some() { pct(u) } else { String::new() }
        );
    }
    let _ = writeln!(
        o,
        "  {} {}",
        pad(l("Biogenic CO2 (t, apart)", "生物质 CO2（吨，单列）"), 28),
        lpad(&fmt(t.biogenic_co2), 14)
    );
    let _ = writeln!(
        o,
        "  {} {}",
        pad(l("Non-Kyoto gases (apart)", "非京都气体（单列）"), 28),
        lpad(&fmt(t.non_kyoto), 14)
    );
    let _ = writeln!(o);
    let _ = writeln!(
        o,
        "{}",
        l(
            "By ISO 14064-1 category (tCO2e; category 2 location-based)",
            "按 ISO 14064-1 类别（tCO2e；类别 2 为基于位置）"
        )
    );
    for (cat, value) in &inv.categories {
        let names = IsoCategory(*cat).names();
        let _ = writeln!(
            o,
            "  {} {} {}",
            lpad(&cat.to_string(), 2),
            pad(lang.pick(names.0, names.1), 60),
            lpad(&fmt(*value), 14)
        );
    }
    let _ = writeln!(o);
    let _ = writeln!(o, "{}", l("By site (tCO2e)", "按场所（tCO2e）"));
    let _ = writeln!(
        o,
        "  {} {} {} {} {} {}",
        pad(l("site", "场所"), 24),
        lpad(&scope_head(lang, Scope::One, ""), 12),
        lpad(&scope_head(lang, Scope::Two, "loc"), 12),
        lpad(&scope_head(lang, Scope::Two, "mkt"), 12),
        lpad(&scope_head(lang, Scope::Three, ""), 12),
        lpad(l("total loc", "合计位置"), 12)
    );
    for s in &inv.sites {
        let _ = writeln!(
            o,
            "  {} {} {} {} {} {}",
            pad(&s.site, 24),
            lpad(&fmt(s.scope1), 12),
            lpad(&fmt(s.scope2_location), 12),
            lpad(&fmt(s.scope2_market), 12),
            lpad(&fmt(s.scope3), 12),
            lpad(&fmt(s.total_location), 12)
        );
    }
    let _ = writeln!(o);
    let _ = writeln!(o, "{}", l("By source", "按排放源"));
    let _ = writeln!(
        o,
        "  {} {} {} {} {} {}",
        pad(l("source", "排放源"), 34),
        lpad(l("scope", "范围"), 5),
        lpad(l("quantity", "活动量"), 18),
        pad(l("unit", "单位"), 6),
        pad(l("factor", "排放因子"), 34),
        lpad("tCO2e", 12)
    );
    for s in &inv.sources {
        let factor = s
            .factor
            .as_ref()
            .map(|f| format!("{} v{}", f.id, f.version))
            .unwrap_or_else(|| l("(none)", "（无）").to_string());
        let _ = writeln!(
            o,
            "  {} {} {} {} {} {}",
            pad(&s.source, 34),
            lpad(&s.scope.to_string(), 5),
            lpad(&fmt(s.quantity), 18),
            pad(s.unit.code(), 6),
            pad(&factor, 34),
            lpad(&fmt(s.tco2e), 12)
        );
        if s.scope == 2 {
            if let Some(m) = &s.market_factor {
                let _ = writeln!(
                    o,
                    "  {} {} {}",
                    pad("", 65),
                    pad(
                        &format!("{} {} v{}", l("market:", "市场："), m.id, m.version),
                        34
                    ),
                    lpad(&fmt(s.tco2e_market), 12)
                );
            }
        }
    }
    let _ = writeln!(o);
    let _ = writeln!(o, "{}", l("By month (tCO2e)", "按月份（tCO2e）"));
    let _ = writeln!(
        o,
        "  {} {} {} {} {}",
        lpad(l("month", "月"), 5),
        lpad(&scope_head(lang, Scope::One, ""), 12),
        lpad(&scope_head(lang, Scope::Two, "loc"), 12),
        lpad(&scope_head(lang, Scope::Two, "mkt"), 12),
        lpad(&scope_head(lang, Scope::Three, ""), 12)
    );
    for m in &inv.months {
        let _ = writeln!(
            o,
            "  {} {} {} {} {}",
            lpad(
                &m.year
                    .map(|y| format!("{y}-{:02}", m.month))
                    .unwrap_or_else(|| m.month.to_string()),
                5
            ),
            lpad(&fmt(m.scope1), 12),
            lpad(&fmt(m.scope2_location), 12),
            lpad(&fmt(m.scope2_market), 12),
            lpad(&fmt(m.scope3), 12)
        );
    }
    let _ = writeln!(o);
    let _ = writeln!(o, "{}", l("By gas (location-based)", "按气体（基于位置）"));
    for g in &inv.gases {
        let gwp = g
            .gwp
            .map(|v| format!("GWP {}", v.normalize()))
            .unwrap_or_default();
        let _ = writeln!(
            o,
            "  {} {} t {} tCO2e  {}",
            pad(&g.gas, 14),
            lpad(&fmt(g.tonnes), 14),
            lpad(&fmt(g.tco2e), 14),
            gwp
        );
    }
    if !inv.uncertainty.not_assessed.is_empty() {
        let _ = writeln!(o);
        let _ = writeln!(
            o,
            "{} {}",
            l("No uncertainty stated for:", "未给出不确定度的排放源："),
            p(&inv.uncertainty.not_assessed.join(", "))
        );
    }
    let _ = writeln!(o);
    let _ = writeln!(o, "{} ({})", l("Issues", "问题与披露"), inv.issues.len());
    for i in &inv.issues {
        let sev = match (i.severity, lang) {
            (lingtan::core::Severity::Error, Lang::En) => "error",
            (lingtan::core::Severity::Warning, Lang::En) => "warning",
            (lingtan::core::Severity::Info, Lang::En) => "info",
            (lingtan::core::Severity::Error, Lang::Zh) => "错误",
            (lingtan::core::Severity::Warning, Lang::Zh) => "警告",
            (lingtan::core::Severity::Info, Lang::Zh) => "说明",
        };
        let _ = writeln!(
            o,
            "  {sev} [{}] {}: {}",
            i.code,
            p(&i.place),
            p(&i.message(lang))
        );
    }
    let _ = writeln!(o);
    let _ = writeln!(
        o,
        "{} {}",
        l("Data fingerprint:", "数据指纹："),
        report.fingerprint
    );
    let _ = writeln!(
        o,
        "{} {}",
        l("Audit chain head:", "审计链头："),
        report.audit_head
    );
    o
}

pub fn lines(report: &InventoryReport, sources: &[Source], lang: Lang) -> String {
    let mut o = String::new();
    let _ = writeln!(o);
    let _ = writeln!(
        o,
        "{}",
        lang.pick(
            "Lineage: each record's share of the year",
            "溯源：每条记录在本年度的份额"
        )
    );
    for line in &report.inventory.lines {
        let name = sources
            .iter()
            .find(|s| s.id == line.source_id)
            .map(|s| s.name.as_str())
            .unwrap_or("?");
        let props = if line.properties.is_empty() {
            String::new()
        } else {
            format!(
                " via {}",
                line.properties
                    .iter()
                    .map(|p| format!("{} v{}", p.id, p.version))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        let _ = writeln!(
            o,
            "  #{} v{} {} {} {} × {} v{}{} ({}) = {} tCO2e",
            line.activity_id,
            line.activity_version,
            p(name),
            fmt(line.quantity),
            line.unit.code(),
            p(&line.factor.id),
            line.factor.version,
            p(&props),
            line.gwp.code(),
            fmt(line.tco2e)
        );
    }
    o
}

pub fn factors(factors: &[EmissionFactor], lang: Lang) -> String {
    let mut o = String::new();
    for f in factors {
        let gases = if f.gases.is_empty() {
            f.co2e
                .map(|c| format!("CO2e {}", c.normalize()))
                .unwrap_or_default()
        } else {
            f.gases
                .iter()
                .map(|(g, v)| format!("{g} {}", v.normalize()))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let flag = match (f.verified, f.origin) {
            (_, Origin::User) => lang.pick("user factor", "用户因子"),
            (true, _) => lang.pick("verified", "已核对"),
            (false, _) => lang.pick("UNVERIFIED", "未核对"),
        };
        let name = match lang {
            Lang::Zh => f.name_zh.as_deref().unwrap_or(&f.name),
            Lang::En => &f.name,
        };
        let _ = writeln!(o, "{} v{}  [{}]  {}", p(&f.id), f.version, flag, p(name));
        let _ = writeln!(
            o,
            "    kg/{}: {}   {} {}  {} {}",
            f.unit.code(),
            gases,
            lang.pick("dataset", "数据集"),
            p(&f.dataset),
            lang.pick("year", "年份"),
            f.year.map(|y| y.to_string()).unwrap_or_else(|| "—".into())
        );
        let _ = writeln!(
            o,
            "    {} {}",
            lang.pick("source:", "出处："),
            p(&f.citation)
        );
        if let Some(note) = &f.verification_note {
            let _ = writeln!(o, "    {} {}", lang.pick("checked:", "核对："), p(note));
        }
    }
    let _ = writeln!(
        o,
        "{} {}",
        factors.len(),
        lang.pick("factors", "个排放因子")
    );
    o
}

pub fn verification(v: &Verification, lang: Lang) -> String {
    let mut o = String::new();
    if v.ok() {
        let _ = writeln!(
            o,
            "{}",
            match lang {
                Lang::En => format!(
                    "audit log verified: {} entries, chain intact, {} records match the log",
                    v.entries, v.records_checked
                ),
                Lang::Zh => format!(
                    "审计日志校验通过：{} 条记录，哈希链完整，{} 条数据与日志一致",
                    v.entries, v.records_checked
                ),
            }
        );
    } else {
        let _ = writeln!(
            o,
            "{}",
            match lang {
                Lang::En => format!(
                    "AUDIT VERIFICATION FAILED: {} problem(s) in {} entries / {} records",
                    v.findings.len(),
                    v.entries,
                    v.records_checked
                ),
                Lang::Zh => format!(
                    "审计校验未通过：{} 条记录 / {} 条数据中发现 {} 个问题",
                    v.entries,
                    v.records_checked,
                    v.findings.len()
                ),
            }
        );
        for f in &v.findings {
            let _ = writeln!(o, "  {}: {}", p(&f.place), p(lang.pick(&f.en, &f.zh)));
        }
    }
    let _ = writeln!(o, "{} {}", lang.pick("chain head:", "链头："), v.head);
    o
}

pub fn properties(props: &[FuelProperty], lang: Lang) -> String {
    let mut o = String::new();
    if props.is_empty() {
        return o;
    }
    let _ = writeln!(o);
    let _ = writeln!(
        o,
        "{}",
        lang.pick("Fuel properties (unit conversions)", "燃料参数（单位换算）")
    );
    let esc = p;
    for q in props {
        let flag = match (q.verified, q.origin) {
            (_, Origin::User) => lang.pick("user", "用户"),
            (true, _) => lang.pick("verified", "已核对"),
            (false, _) => lang.pick("UNVERIFIED", "未核对"),
        };
        let default = if q.is_default {
            lang.pick(", default", "，默认")
        } else {
            ""
        };
        let _ = writeln!(
            o,
            "{} v{}  [{}{}]  {} {}: {} {} / {}",
            esc(&q.id),
            q.version,
            flag,
            default,
            esc(&q.fuel),
            q.kind.code().to_uppercase(),
            q.value,
            q.unit.code(),
            q.per_unit.code()
        );
        let _ = writeln!(
            o,
            "    {} {}",
            lang.pick("source:", "出处："),
            esc(&q.citation)
        );
        if let Some(note) = &q.verification_note {
            let _ = writeln!(o, "    {} {}", lang.pick("checked:", "核对："), esc(note));
        }
    }
    o
}

pub fn import(
    report: &lingtan::import::ImportReport,
    dry_run: bool,
    project: &std::path::Path,
    lang: Lang,
) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "{} {} (SHA-256 {})",
        lang.pick("file", "文件"),
        p(&report.file),
        &report.sha256[..16.min(report.sha256.len())]
    );
    for m in &report.mappings {
        let _ = writeln!(
            o,
            "{} '{}', {} ({}: {})",
            lang.pick("sheet", "工作表"),
            p(&m.sheet),
            header_row(m.header_row, lang),
            lang.pick("periods", "期间"),
            {
                let (en, zh) = lingtan_import_periods(&m.periods);
                lang.pick(en, zh).to_string()
            }
        );
        for c in &m.columns {
            let (en, zh) = c.role.names();
            let unit = c
                .unit
                .map(|u| format!(" [{}]", u.code()))
                .unwrap_or_default();
            let _ = writeln!(
                o,
                "  {} {} → {}{}",
                c.column,
                p(&c.header),
                lang.pick(en, zh),
                unit
            );
        }
    }
    for m in &report.intervals {
        let layout = match (m.layout, lang) {
            ("long", Lang::En) => "long: one reading per row",
            ("long", Lang::Zh) => "长表：每行一个读数",
            (_, Lang::En) => "wide: one day per row",
            (_, Lang::Zh) => "宽表：每行一天",
        };
        let _ = writeln!(
            o,
            "{} '{}', {} ({layout})",
            lang.pick("sheet", "工作表"),
            p(&m.sheet),
            header_row(m.header_row, lang),
        );
        for c in &m.columns {
            let role = match (c.role, lang) {
                ("export", Lang::En) => "export (kept apart, not imported)",
                (role, Lang::En) => role,
                ("time", Lang::Zh) => "时间",
                ("date", Lang::Zh) => "日期",
                ("meter", Lang::Zh) => "表计",
                ("value", Lang::Zh) => "数值",
                ("multiplier", Lang::Zh) => "倍率",
                ("export", Lang::Zh) => "反向（单列说明，不导入）",
                ("slots", Lang::Zh) => "各时段",
                ("total", Lang::Zh) => "合计",
                (role, Lang::Zh) => role,
            };
            let _ = writeln!(o, "  {} {} → {role}", c.column, p(&c.header));
        }
        let measure = match (m.measure, lang) {
            (lingtan::import::Measure::Energy, Lang::En) => "energy per interval",
            (lingtan::import::Measure::Energy, Lang::Zh) => "区间电量",
            (lingtan::import::Measure::Register, Lang::En) => {
                "register readings (differences × multiplier)"
            }
            (lingtan::import::Measure::Register, Lang::Zh) => "表码读数（差值 × 倍率）",
            (lingtan::import::Measure::Demand, Lang::En) => "demand (kW × interval length)",
            (lingtan::import::Measure::Demand, Lang::Zh) => "功率（kW × 区间长度）",
        };
        let _ = writeln!(
            o,
            "  {}: {measure}, {} {}, {} {} {}",
            lang.pick("values", "数值"),
            lang.pick("unit", "单位"),
            p(m.unit.as_deref().unwrap_or("?")),
            lang.pick("every", "间隔"),
            m.interval_minutes
                .map(|i| i.to_string())
                .unwrap_or_else(|| "?".into()),
            lang.pick("min", "分钟"),
        );
        if !m.multipliers.is_empty() {
            let each: Vec<String> = m
                .multipliers
                .iter()
                .map(|(meter, x)| format!("{meter} ×{x}"))
                .collect();
            let _ = writeln!(
                o,
                "  {}: {}",
                lang.pick("multipliers", "倍率"),
                each.join(", ")
            );
        } else if let Some(x) = m.multiplier {
            let _ = writeln!(o, "  {}: {x}", lang.pick("multiplier", "倍率"));
        }
        if let Some(s) = m.stamp {
            let _ = writeln!(
                o,
                "  {}: {} — {}",
                lang.pick("timestamps", "时间戳"),
                match (s, lang) {
                    (lingtan::import::TimeStamps::Beginning, Lang::En) => "start of interval",
                    (lingtan::import::TimeStamps::Beginning, Lang::Zh) => "区间开始",
                    (lingtan::import::TimeStamps::Ending, Lang::En) => "end of interval",
                    (lingtan::import::TimeStamps::Ending, Lang::Zh) => "区间结束",
                },
                p(lang.pick(&m.stamp_reason, &m.stamp_reason_zh))
            );
        }
        let meters = if m.meters.iter().all(String::is_empty) {
            "1".to_string()
        } else {
            format!("{} ({})", m.meters.len(), p(&m.meters.join(", ")))
        };
        let _ = writeln!(
            o,
            "  {}: {}, {} {meters}, {} {} … {}",
            lang.pick("readings", "读数"),
            m.readings,
            lang.pick("meters", "表计"),
            lang.pick("from", "从"),
            m.first
                .map(|d| d.format("%Y-%m-%d %H:%M").to_string())
                .unwrap_or_default(),
            m.last
                .map(|d| d.format("%Y-%m-%d %H:%M").to_string())
                .unwrap_or_default(),
        );
    }
    if !report.months.is_empty() {
        let _ = writeln!(o, "{}", lang.pick("Months", "月度汇总"));
        for m in &report.months {
            let action = match (m.action, lang) {
                ("record", Lang::En) => "→ month record".to_string(),
                ("record", Lang::Zh) => "→ 月度记录".to_string(),
                ("bills", Lang::En) => "kept with the bills (compared, not added)".to_string(),
                ("bills", Lang::Zh) => "以账单为准（已核对，不重复计入）".to_string(),
                (_, Lang::En) => "refused".to_string(),
                (_, Lang::Zh) => "拒绝".to_string(),
            };
            let recon = m
                .reconciliation
                .as_ref()
                .map(|r| {
                    format!(
                        "; {} {} {}: {}{} %",
                        lang.pick("bills", "账单"),
                        fmt(r.billed),
                        m.unit,
                        if r.percent.is_sign_positive() {
                            "+"
                        } else {
                            ""
                        },
                        r.percent
                    )
                })
                .unwrap_or_default();
            let _ = writeln!(
                o,
                "  {} {}..{}: {} {} ({} / {} {}) {action}{recon}",
                m.month,
                m.from,
                m.to,
                fmt(m.quantity),
                m.unit,
                m.readings,
                m.expected,
                lang.pick("intervals", "个区间"),
            );
            if m.meters.len() > 1 || m.meters.keys().any(|k| !k.is_empty()) {
                for (meter, q) in &m.meters {
                    let q = q.parse().map(fmt).unwrap_or_else(|_| q.clone());
                    let meter = if meter.is_empty() {
                        lang.pick("(unnamed meter)", "（未命名表计）")
                    } else {
                        meter.as_str()
                    };
                    let _ = writeln!(o, "    {meter}: {q} {}", m.unit);
                }
            }
        }
    }
    if !report.issues.is_empty() {
        let _ = writeln!(
            o,
            "{} ({})",
            lang.pick("Issues", "问题"),
            report.issues.len()
        );
        for i in &report.issues {
            let column = i
                .column
                .as_ref()
                .map(|c| format!(" ({c})"))
                .unwrap_or_default();
            let place = p(&format!("{}{column}", i.location())).into_owned();
            let _ = writeln!(
                o,
                "  {} [{}] {}{}",
                i.severity.code(),
                i.code,
                if place.is_empty() {
                    String::new()
                } else {
                    format!("{place}: ")
                },
                p(&i.message(lang))
            );
        }
    }
    let _ = writeln!(
        o,
        "{}: {} {}, {} {}",
        lang.pick("rows", "行"),
        report.rows.accepted,
        lang.pick("accepted", "接受"),
        report.rows.rejected,
        lang.pick("rejected", "拒绝")
    );
    for t in &report.totals {
        let _ = writeln!(
            o,
            "  {} {} {} → {}",
            lang.pick("total", "合计"),
            fmt(t.quantity),
            t.unit,
            p(&t.source)
        );
    }
    let outcome = match (report.batch, report.refused(), dry_run) {
        (Some(b), _, _) => match lang {
            Lang::En => format!(
                "imported as batch #{b} (undo: lingtan import undo {} {b})",
                project.display()
            ),
            Lang::Zh => format!(
                "已导入为批次 #{b}（撤销：lingtan import undo {} {b}）",
                project.display()
            ),
        },
        (None, true, _) => lang
            .pick(
                "REFUSED: fix the errors above; nothing was written",
                "已拒绝：请修正以上错误；未写入任何数据",
            )
            .to_string(),
        (None, false, true) => lang
            .pick("dry run: nothing was written", "试运行：未写入任何数据")
            .to_string(),
        (None, false, false) => String::new(),
    };
    let _ = writeln!(o, "{outcome}");
    o
}

/// How a sheet's periods were read, in English and Chinese.
fn lingtan_import_periods(code: &str) -> (&str, &str) {
    lingtan::import::periods_names(code)
}

fn header_row(row: u32, lang: Lang) -> String {
    match lang {
        Lang::En => format!("header on row {row}"),
        Lang::Zh => format!("表头在第 {row} 行"),
    }
}
