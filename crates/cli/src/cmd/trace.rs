//! `lingtan trace`: where a figure comes from — every record's contribution with its factor,
//! citation and evidence, and a last line proving the contributions add up to the figure.

use crate::face::{open_ro, print_json, RunError};
use crate::text::{fmt, p};
use clap::Args;
use lingtan::core::{Decimal, Lang};
use lingtan::json::num;
use lingtan::Trace;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args)]
pub struct TraceArgs {
    project: PathBuf,
    /// total, total-market, scope1, scope2, scope2-market, scope3, category:N, site:NAME,
    /// source:NAME, month:YYYY-MM, gas:NAME
    figure: String,
    /// The inventory year (default: the project's, or the month's)
    #[arg(long, conflicts_with_all = ["from", "to"])]
    year: Option<i32>,
    /// First day of a claim period (YYYY-MM-DD), with --to
    #[arg(long, requires = "to")]
    from: Option<String>,
    /// Last day of a claim period (YYYY-MM-DD), with --from
    #[arg(long, requires = "from")]
    to: Option<String>,
    #[arg(long)]
    json: bool,
}

pub fn run(args: TraceArgs, lang: Lang) -> Result<ExitCode, RunError> {
    let p = open_ro(&args.project)?;
    let t = match (&args.from, &args.to) {
        (Some(from), Some(to)) => {
            p.trace_period(&args.figure, lingtan::claim::period(from, to)?)?
        }
        _ => p.trace(&args.figure, args.year)?,
    };
    if args.json {
        print_json(&to_json(&t, lang))?;
    } else {
        out!("{}", text(&t, lang));
    }
    Ok(ExitCode::SUCCESS)
}

/// An exact decimal as a string, without trailing zeros.
fn exact(d: Decimal) -> String {
    let n = d.normalize();
    if n.is_zero() {
        "0".into()
    } else {
        n.to_string()
    }
}

/// `lingtan trace --json`: `{figure, year, [period: {from, to}], title, tco2e, tco2e_exact, sum_exact, rounding, exact,
/// lines}`; `tco2e` rounded as in the inventory JSON, `*_exact` unrounded; `sum_exact + rounding =
/// tco2e_exact` exactly, `rounding` being the calculation's at the 28th digit ("0" when `exact`).
pub fn to_json(t: &Trace, lang: Lang) -> Value {
    let mut v = json!({
        "figure": t.figure,
        "year": t.year,
        "title": t.title.pick(lang),
        "tco2e": num(t.tco2e),
        "tco2e_exact": exact(t.tco2e),
        "sum_exact": exact(t.sum),
        "rounding": exact(t.rounding()),
        "exact": t.exact(),
        "lines": t.lines.iter().map(|l| json!({
            "record": l.record,
            "version": l.version,
            "source": l.source,
            "site": l.site,
            "from": l.from.to_string(),
            "to": l.to.to_string(),
            "quantity": exact(l.quantity),
            "unit": l.unit.code(),
            "share": l.share.map(exact),
            "factor": l.factor,
            "factor_version": l.factor_version,
            "citation": l.citation,
            "evidence": l.evidence,
            "place": l.place,
            "tco2e": num(l.tco2e),
            "tco2e_exact": exact(l.tco2e),
        })).collect::<Vec<_>>(),
    });
    // a claim period's days (a calendar year's JSON is as before)
    if let Some(p) = t.period {
        v["period"] = json!({"from": p.from.to_string(), "to": p.to.to_string()});
    }
    v
}

fn quantity(d: Decimal) -> String {
    let n = d.normalize();
    lingtan::core::text::grouped(n, n.scale())
}

fn text(t: &Trace, lang: Lang) -> String {
    let mut s = String::new();
    let (when, when_zh) = match t.period {
        None => (t.year.to_string(), format!("{} 年", t.year)),
        Some(p) => (
            format!("{} – {}", p.from, p.to),
            format!("{} 至 {} 期间", p.from, p.to),
        ),
    };
    let _ = writeln!(
        s,
        "{}",
        match lang {
            Lang::En => format!(
                "Trace of {} in the {} inventory — {}: {} tCO2e",
                p(&t.figure),
                when,
                p(t.title.pick(lang)),
                fmt(t.tco2e)
            ),
            Lang::Zh => format!(
                "{}盘查中 {} 的来源 — {}：{} 吨二氧化碳当量",
                when_zh,
                p(&t.figure),
                p(t.title.pick(lang)),
                fmt(t.tco2e)
            ),
        }
    );
    let mut factors: BTreeMap<(String, u32), (&str, bool)> = BTreeMap::new();
    for l in &t.lines {
        factors
            .entry((l.factor.clone(), l.factor_version))
            .or_insert((l.citation.as_str(), l.verified));
        let share = match (l.share, l.days) {
            (Some(sh), Some((inside, all))) if inside != all => match lang {
                Lang::En => format!(" × {}% ({inside} of {all} days)", sh_pct(sh)),
                Lang::Zh => format!(" × {}%（{all} 天中 {inside} 天）", sh_pct(sh)),
            },
            (Some(sh), None) if sh != Decimal::ONE => format!(" × {}%", sh_pct(sh)),
            _ => String::new(),
        };
        let _ = writeln!(
            s,
            "  #{} v{}  {} · {} · {}..{} · {} {}{share} · {}@{} → {} tCO2e",
            l.record,
            l.version,
            p(&l.source),
            p(&l.site),
            l.from,
            l.to,
            quantity(l.quantity),
            l.unit.code(),
            p(&l.factor),
            l.factor_version,
            fmt(l.tco2e)
        );
        if l.evidence.is_some() || l.place.is_some() {
            let _ = writeln!(
                s,
                "      {}{}",
                lang.pick("evidence: ", "凭证："),
                [l.evidence.as_deref(), l.place.as_deref()]
                    .into_iter()
                    .flatten()
                    .map(|x| p(x).into_owned())
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
    }
    if !factors.is_empty() {
        let _ = writeln!(s, "{}", lang.pick("Factors:", "排放因子："));
        for ((id, v), (citation, verified)) in &factors {
            let _ = writeln!(
                s,
                "  {}@{v} ({}): {}",
                p(id),
                match (verified, lang) {
                    (true, Lang::En) => "verified",
                    (false, Lang::En) => "not verified",
                    (true, Lang::Zh) => "已核实",
                    (false, Lang::Zh) => "未核实",
                },
                p(citation)
            );
        }
    }
    let n = t.lines.len();
    let (sum, fig, r, code) = (
        exact(t.sum),
        exact(t.tco2e),
        exact(t.rounding()),
        p(&t.figure),
    );
    let _ = writeln!(
        s,
        "{}",
        match (t.exact(), t.explained(), lang) {
            (true, _, Lang::En) => format!(
                "Sum of the {n} lines: {} tCO2e; exactly {sum} = {fig} ({code}): the lines add up to the figure exactly",
                fmt(t.sum)
            ),
            (true, _, Lang::Zh) => format!(
                "{n} 行合计：{} 吨二氧化碳当量；精确值 {sum} = {fig}（{code}）：各行之和与该数字完全相等",
                fmt(t.sum)
            ),
            (false, true, Lang::En) => format!(
                "Sum of the {n} lines: {} tCO2e; exactly {sum} + the calculation's rounding at the 28th digit {r} = {fig} ({code})",
                fmt(t.sum)
            ),
            (false, true, Lang::Zh) => format!(
                "{n} 行合计：{} 吨二氧化碳当量；精确值 {sum} + 计算在第 28 位有效数字的舍入 {r} = {fig}（{code}）",
                fmt(t.sum)
            ),
            (false, false, Lang::En) => format!(
                "WARNING: the {n} lines add up to {sum}, the figure {code} is {fig}: {r} tCO2e is not explained by the records — report this"
            ),
            (false, false, Lang::Zh) => format!(
                "警告：{n} 行合计 {sum}，而数字 {code} 为 {fig}：有 {r} 吨二氧化碳当量无法由记录解释——请报告此问题"
            ),
        }
    );
    s
}

/// A share as a percentage for display, 2 decimals.
fn sh_pct(d: Decimal) -> String {
    lingtan::core::text::grouped(d * Decimal::ONE_HUNDRED, 2)
}
