//! `lingtan offset`: the year's residual emissions, the credits retired against them, coverage,
//! shortfall and the shares, each with its formula.

use crate::face::{open_ro, print_json, RunError};
use crate::text;
use clap::Args;
use lingtan::core::{Decimal, Lang};
use lingtan::OffsetReport;
use std::fmt::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args)]
pub struct OffsetArgs {
    project: PathBuf,
    /// The calendar year (the project's year by default)
    #[arg(long, conflicts_with_all = ["from", "to"])]
    year: Option<i32>,
    /// First day of a claim period (YYYY-MM-DD), with --to; credits and certificates claimed for
    /// the year the period ends are counted
    #[arg(long, requires = "to")]
    from: Option<String>,
    /// Last day of a claim period (YYYY-MM-DD), with --from
    #[arg(long, requires = "from")]
    to: Option<String>,
    /// 1+2 (default: scope 1 + scope 2 market-based after certificates) or 1+2+3
    #[arg(long)]
    scopes: Option<String>,
    #[arg(long)]
    json: bool,
}

pub fn run(args: OffsetArgs, lang: Lang) -> Result<ExitCode, RunError> {
    let p = open_ro(&args.project)?;
    let report = match (&args.from, &args.to) {
        (Some(from), Some(to)) => {
            p.offset_period(lingtan::claim::period(from, to)?, args.scopes.as_deref())?
        }
        _ => p.offset(args.year, args.scopes.as_deref())?,
    };
    if args.json {
        print_json(&lingtan::offset::json::offset(&report, lang))?;
    } else {
        out!("{}", summary(&report, lang));
    }
    Ok(ExitCode::SUCCESS)
}

fn pct(d: Option<Decimal>) -> String {
    d.map(|v| format!("{} %", lingtan::core::text::grouped(v, 1)))
        .unwrap_or_else(|| "—".into())
}

fn t(d: Option<Decimal>) -> String {
    d.map(text::fmt).unwrap_or_else(|| "—".into())
}

/// The summary as text: the figures, then each formula, then the issues.
pub fn summary(r: &OffsetReport, lang: Lang) -> String {
    let o = &r.summary;
    let l = |en: &'static str, zh: &'static str| lang.pick(en, zh);
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{} — {} {} ({} {})",
        text::p(&r.org_name),
        l("Offset summary", "碳抵消汇总"),
        match &r.period {
            Some(p) => format!("{} – {}", p.from, p.to),
            None => o.year.to_string(),
        },
        l("scopes", "范围"),
        o.scopes.code()
    );
    let _ = writeln!(s);
    let rows: [(&str, String); 13] = [
        (
            l("Residual emissions (tCO2e)", "剩余排放（tCO2e）"),
            text::fmt(o.residual_tco2e),
        ),
        (
            l(
                "Scope 2 market-based before certificates",
                "范围二（基于市场）证书抵扣前",
            ),
            text::fmt(o.scope2_market_before_eac_tco2e),
        ),
        (
            l(
                "Scope 2 market-based after certificates",
                "范围二（基于市场）证书抵扣后",
            ),
            text::fmt(o.scope2_market_tco2e),
        ),
        (
            l(
                "Certificates: retired / used / unused (MWh)",
                "证书：已注销 / 已使用 / 未使用（MWh）",
            ),
            format!(
                "{} / {} / {}",
                text::fmt(o.eac.mwh_retired),
                text::fmt(o.eac.mwh_used),
                text::fmt(o.eac.mwh_unused)
            ),
        ),
        (
            l(
                "Electricity covered by certificates (kWh)",
                "证书覆盖电量（千瓦时）",
            ),
            text::fmt(o.eac.kwh_covered),
        ),
        (
            l(
                "On-site renewable generation used (kWh)",
                "自发自用可再生电量（千瓦时）",
            ),
            text::fmt(r.energy.onsite_renewable_kwh),
        ),
        (
            l(
                "Credits retired / counted (tCO2e)",
                "碳信用已注销 / 计入（tCO2e）",
            ),
            format!(
                "{} / {} ({} {}, {} {})",
                text::fmt(o.credits.retired_tco2e),
                text::fmt(o.credits.counted_tco2e),
                l("removal", "清除类"),
                text::fmt(o.credits.removal_tco2e),
                l("avoidance", "避免类"),
                text::fmt(o.credits.avoidance_tco2e)
            ),
        ),
        (l("Coverage", "抵消覆盖率"), pct(o.coverage_pct)),
        (
            l("Shortfall (tCO2e)", "缺口（tCO2e）"),
            text::fmt(o.shortfall_tco2e),
        ),
        (
            l(
                "Renewable share of total energy",
                "可再生能源占能源消费比例",
            ),
            format!(
                "{} ({} {} tce, {} GJ)",
                pct(o.shares.renewable_energy_pct),
                l("total", "总量"),
                t(o.shares.total_energy_tce),
                t(o.shares.total_energy_gj)
            ),
        ),
        (
            l("Green-power share of electricity", "绿电占用电量比例"),
            pct(o.shares.green_power_pct),
        ),
        (
            l(
                "Emission reduction by green power (tCO2e)",
                "绿电减排量（tCO2e）",
            ),
            t(o.shares.green_power_reduction_tco2e),
        ),
        (
            l("Credit offset ratio", "碳信用抵消比例"),
            pct(o.shares.credit_offset_pct),
        ),
    ];
    let w = rows
        .iter()
        .map(|(k, _)| lingtan::core::text::display_width(k))
        .max()
        .unwrap_or(0);
    for (k, v) in &rows {
        let pad = w - lingtan::core::text::display_width(k);
        let _ = writeln!(s, "  {k}{}  {v}", " ".repeat(pad));
    }
    energy(&mut s, r, lang);
    let _ = writeln!(s);
    let _ = writeln!(s, "{}", l("Formulas", "计算公式"));
    for f in &o.formulas {
        let _ = writeln!(s, "  {}: {}", f.figure, text::p(lang.pick(&f.en, &f.zh)));
    }
    if !r.issues.is_empty() {
        let _ = writeln!(s);
        let _ = writeln!(s, "{}", l("Issues", "问题"));
        for i in &r.issues {
            let _ = writeln!(
                s,
                "  {} [{}] {}: {}",
                i.severity.code(),
                i.code,
                text::p(&i.place),
                text::p(&i.message(lang))
            );
        }
    }
    let _ = writeln!(s);
    let _ = writeln!(
        s,
        "{}: {}",
        l("Data fingerprint", "数据指纹"),
        r.fingerprint
    );
    let _ = writeln!(s, "{}: {}", l("Audit chain head", "审计链头"), r.audit_head);
    s
}

/// Where the energy shares' figures come from: each carrier with its coefficient (and density),
/// the electricity, and each on-site generation source with its generation, export and use.
fn energy(s: &mut String, r: &OffsetReport, lang: Lang) {
    let l = |en: &'static str, zh: &'static str| lang.pick(en, zh);
    let e = &r.energy;
    let _ = writeln!(s);
    let _ = writeln!(
        s,
        "{}",
        l(
            "Energy (standard coal per GB/T 2589)",
            "能源（按 GB/T 2589 折标准煤）"
        )
    );
    for c in &r.summary.carriers {
        let k = &c.coefficient;
        let via = match &c.density {
            Some(d) => format!(
                " = {} kg ({} {} kg/L)",
                text::fmt(c.converted),
                d.id,
                d.kg_per_l
            ),
            None => String::new(),
        };
        let _ = writeln!(
            s,
            "  {}: {} {}{via} × {} kgce/{} = {} tce, {} GJ [{} {}, {}]",
            text::p(&c.name),
            text::fmt(c.quantity),
            c.unit,
            k.kgce,
            k.unit,
            text::fmt(c.tce),
            text::fmt(c.gj),
            k.dataset,
            k.id,
            if k.confirmed {
                l("confirmed", "已确认")
            } else {
                l("not confirmed", "未确认")
            }
        );
    }
    let el = &e.electricity;
    let _ = writeln!(
        s,
        "  {}: {} {} + {} {} × {} kgce/kWh [{} {}, {}]",
        l("Electricity", "电力"),
        text::fmt(e.grid_kwh),
        l("kWh from the grid", "千瓦时外购"),
        text::fmt(e.onsite_renewable_kwh),
        l("kWh on-site renewable used", "千瓦时自发自用可再生电量"),
        el.kgce,
        el.dataset,
        el.id,
        if el.confirmed {
            l("confirmed", "已确认")
        } else {
            l("not confirmed", "未确认")
        }
    );
    for o in &e.onsite {
        let export = match o.exported_kwh {
            Some(x) => format!("{} {} kWh", l("export", "上网"), text::fmt(x)),
            None => l("export not metered", "上网电量未计量").to_string(),
        };
        let _ = writeln!(
            s,
            "  {}: {} {} kWh ({} {}), {}, {} {} kWh",
            text::p(&o.place),
            l("generated", "发电"),
            text::fmt(o.generation_kwh),
            o.records,
            l("records", "条记录"),
            export,
            l("used on site", "自用"),
            o.used_kwh.map(text::fmt).unwrap_or_else(|| "—".into())
        );
    }
}
