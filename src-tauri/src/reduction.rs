//! The Reduction step's screens' data: from the workbench's `ReductionReport` (the figures
//! `lingtan reduction` prints) to the DTOs, rounded here once (tonnes to 3 decimals, CNY to 2,
//! half to even); the charts are the report's own (`lingtan::export::reduction_section::chart`), the SVG
//! the PDF embeds, with each MACC bar tagged with its measure so that a click opens it.

use crate::view::t3;
use lingtan::core::reduction::abatement::MeasureResult;
use lingtan::core::reduction::finance::NoMac;
use lingtan::core::reduction::measure::{InputKind, MeasureKind, MeasureStatus, Role};
use lingtan::core::reduction::progress::Method;
use lingtan::core::reduction::target::{Status, TargetKind};
use lingtan::core::reduction::Basis;
use lingtan::core::text::grouped;
use lingtan::core::{Decimal, Issue, Lang, SourceKind};
use lingtan::export::reduction_section::{
    self as section, FigureKind, Item, MeasureData, ReductionData,
};
use lingtan::reduction::preview::{readiness, StepCheck};
use lingtan::reduction::{MeasureReport, OutputLine, PriceLine, PriceOrigin, TargetReport};
use lingtan::{Project, ReductionReport};
use lingtan_dto::*;
use rust_decimal::RoundingStrategy;

type Result<T> = lingtan::Result<T>;

fn t3o(d: Option<Decimal>) -> Option<String> {
    d.map(t3)
}

/// CNY and CNY/t: two decimals, half to even.
pub fn money(d: Decimal) -> String {
    let r = d.round_dp_with_strategy(2, RoundingStrategy::MidpointNearestEven);
    format!("{r:.2}")
}

fn moneyo(d: Option<Decimal>) -> Option<String> {
    d.map(money)
}

fn report_lang(lang: Lang) -> lingtan::export::Langs {
    lang.into()
}

pub fn status_label(s: MeasureStatus, lang: Lang) -> String {
    match s {
        MeasureStatus::Idea => lang.pick("idea", "设想").to_string(),
        MeasureStatus::Planned => lang.pick("planned", "已计划").to_string(),
        MeasureStatus::Approved => lang.pick("approved", "已批准").to_string(),
        MeasureStatus::InProgress => lang.pick("in progress", "实施中").to_string(),
        MeasureStatus::Done => lang.pick("done", "已完成").to_string(),
    }
}

fn target_status(s: Status) -> (&'static str, &'static str, &'static str) {
    match s {
        Status::OnTrack => ("on-track", "on track", "达标"),
        Status::OffTrack => ("off-track", "off track", "未达标"),
        Status::NoData => ("no-data", "no data", "无数据"),
    }
}

fn no_mac(r: NoMac, lang: Lang) -> String {
    match r {
        NoMac::NoAbatement => lang.pick("no abatement", "无减排量").to_string(),
        NoMac::AddsEmissions => lang.pick("adds emissions", "增加排放").to_string(),
        NoMac::NoPrice => lang.pick("no energy price", "无能源价格").to_string(),
        NoMac::NoFactor => lang.pick("no emission factor", "无排放因子").to_string(),
    }
}

fn method(m: Method, lang: Lang) -> String {
    match m {
        Method::Metered => lang.pick("metered", "计量").to_string(),
        Method::ProductionNormalised => lang.pick("production-normalised", "产量归一").to_string(),
        Method::PlainDifference => lang
            .pick(
                "plain difference (no output data)",
                "直接差值（无产出数据）",
            )
            .to_string(),
    }
}

fn issue(i: &Issue, lang: Lang) -> IssueDto {
    IssueDto {
        code: i.code.to_string(),
        severity: i.severity.code().to_string(),
        message: crate::issue_message(i.words(lang), lang),
        sheet: None,
        row: None,
        column: None,
        cell: None,
        place: Some(i.place.clone()),
    }
}

fn check(c: StepCheck, lang: Lang) -> ReadinessCheck {
    ReadinessCheck {
        key: c.key.to_string(),
        ok: c.ok,
        label: lang.pick(&c.label_en, &c.label_zh).to_string(),
        detail: lang.pick(&c.detail_en, &c.detail_zh).to_string(),
    }
}

/// A measure's figures, as computed (a recorded measure, or a preview of the form).
pub fn measure(
    name: &str,
    kind: MeasureKind,
    status: MeasureStatus,
    inputs: Vec<NamedValue>,
    result: Option<&MeasureResult>,
    lang: Lang,
) -> MeasureDto {
    let spec = kind.spec();
    let mut notes: Vec<String> = Vec::new();
    if let Some(r) = result {
        notes.extend(
            r.issues
                .iter()
                .map(|i| crate::issue_message(i.words(lang), lang)),
        );
    }
    MeasureDto {
        name: name.to_string(),
        kind: spec.code.to_string(),
        kind_label: lang.pick(spec.name_en, spec.name_zh).to_string(),
        status: status.code().to_string(),
        status_label: status_label(status, lang),
        start: result.and_then(|r| r.start).map(|m| m.to_string()),
        meter: None,
        inputs,
        formula: result
            .and_then(|r| r.formula.as_ref())
            .map(|f| lang.pick(&f.en, &f.zh).to_string()),
        changes: result
            .map(|r| {
                r.changes
                    .iter()
                    .map(|c| {
                        let q = c.quantity.normalize();
                        format!("{}: {} {}", c.source, grouped(q, q.scale()), c.unit.code())
                    })
                    .chain(r.switches.iter().map(|s| {
                        format!(
                            "{}: {} → {}",
                            s.source,
                            s.from.as_deref().unwrap_or("—"),
                            s.to.id
                        )
                    }))
                    .collect()
            })
            .unwrap_or_default(),
        abatement_tco2e: result
            .and_then(|r| r.abatement.as_ref())
            .map(|a| t3(a.tco2e(result.map_or(Basis::Market, |r| r.basis)))),
        capex: result.map_or_else(String::new, |r| money(r.capex)),
        opex: result.map_or_else(String::new, |r| money(r.opex)),
        savings: result.and_then(|r| moneyo(r.savings)),
        lifetime: result.map_or(spec.default_lifetime_years, |r| r.lifetime),
        lifetime_is_default: result.is_none_or(|r| r.lifetime_is_default),
        crf: result.map_or_else(String::new, |r| {
            r.crf
                .round_dp_with_strategy(6, RoundingStrategy::MidpointNearestEven)
                .to_string()
        }),
        annualised_cost: result.and_then(|r| moneyo(r.annualised_cost)),
        mac: result.and_then(|r| moneyo(r.mac)),
        no_mac: result.and_then(|r| r.no_mac).map(|n| no_mac(n, lang)),
        npv: result.and_then(|r| moneyo(r.npv)),
        payback_years: result.and_then(|r| {
            r.payback_years.map(|p| {
                p.round_dp_with_strategy(1, RoundingStrategy::MidpointNearestEven)
                    .to_string()
            })
        }),
        planned_tco2e: None,
        achieved_tco2e: None,
        achieved_method: None,
        macc_rank: None,
        notes,
    }
}

fn recorded_measure(
    m: &MeasureReport,
    report: &ReductionReport,
    first: Option<&TargetReport>,
    lang: Lang,
) -> MeasureDto {
    let mut dto = measure(
        &m.name,
        m.kind,
        m.status,
        m.inputs
            .iter()
            .map(|(name, value)| NamedValue {
                name: name.clone(),
                value: value.clone(),
            })
            .collect(),
        m.result.as_ref(),
        lang,
    );
    dto.start = m.start.map(|s| s.to_string());
    dto.meter = m.meter.clone();
    if m.result.is_none() {
        dto.notes.extend(
            report
                .issues
                .iter()
                .filter(|i| i.place == format!("measure {}", m.name))
                .map(|i| crate::issue_message(i.words(lang), lang)),
        );
    }
    dto.achieved_tco2e = m
        .achieved
        .as_ref()
        .and_then(|a| a.tco2e(report.basis))
        .map(t3);
    dto.achieved_method = m.achieved.as_ref().map(|a| method(a.method, lang));
    dto.planned_tco2e = first.and_then(|t| {
        t.plan
            .measures
            .iter()
            .find(|p| p.name == m.name)
            .and_then(|p| p.annual_tco2e)
            .map(t3)
    });
    dto.macc_rank = report
        .macc
        .bars
        .iter()
        .position(|b| b.name == m.name)
        .and_then(|i| u32::try_from(i + 1).ok());
    dto
}

fn xml_attr(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

/// The MACC's SVG with its bars tagged: the chart draws the bars as `rect`s filled in the
/// "pays for itself" or "costs" colour, in MACC order, before its legend (whose swatches come
/// last). The i-th such `rect` gets `data-measure` (the i-th name) and a `<title>` (its tooltip).
pub fn tag_bars(svg: &str, names: &[String]) -> String {
    const BAR_FILLS: [&str; 2] = ["#2e6f57", "#3a78b5"];
    let mut out = String::with_capacity(svg.len() + names.len() * 64);
    let mut rest = svg;
    let mut i = 0usize;
    while let Some(at) = rest.find("<rect") {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        let Some(end) = tail.find('>') else {
            out.push_str(tail);
            rest = "";
            break;
        };
        let tag = &tail[..=end];
        let lower = tag.to_ascii_lowercase();
        let is_bar = BAR_FILLS
            .iter()
            .any(|c| lower.contains(&format!("fill=\"{c}\"")));
        match (is_bar, names.get(i), tag.strip_suffix("/>")) {
            (true, Some(name), Some(open)) => {
                let name = xml_attr(name);
                out.push_str(&format!(
                    "{} class=\"macc-bar\" data-measure=\"{name}\"><title>{name}</title></rect>",
                    open.trim_end()
                ));
                i += 1;
            }
            _ => out.push_str(tag),
        }
        rest = &tail[end + 1..];
    }
    out.push_str(rest);
    out
}

fn chart(figure: &section::Figure) -> Result<ChartSvg> {
    let drawn = section::chart::draw(figure)?;
    Ok(ChartSvg {
        title: figure.title.clone(),
        svg: drawn.svg,
    })
}

/// The report's figures for `r`: one trajectory per target (in order), the MACC, the waterfall.
fn figures(r: &ReductionReport, lang: Lang) -> Vec<section::Figure> {
    let data = ReductionData {
        year: r.year,
        basis: r.basis,
        base_year: r.base_year,
        discount_rate: r.discount_rate,
        carbon_price: r.carbon_price,
        targets: r
            .targets
            .iter()
            .map(|t| section::TargetData {
                target: t.target.clone(),
                assessment: t.assessment.clone(),
                base_change: t.base_change.clone(),
                plan: t.plan.clone(),
                target_tco2e: t.target_tco2e,
                outputs: t.outputs.clone(),
            })
            .collect(),
        measures: r
            .measures
            .iter()
            .map(|m| MeasureData {
                name: m.name.clone(),
                kind: m.kind,
                status: m.status,
                start: m.start,
                meter: m.meter.clone(),
                inputs: m.inputs.clone(),
                result: m.result.clone(),
                achieved: m.achieved.clone(),
            })
            .collect(),
        macc: r.macc.clone(),
        decomposition: r.decomposition.clone(),
        decomposed_tco2e: r.decomposed_tco2e,
        recalculations: r.recalculations.clone(),
        issues: r.issues.clone(),
    };
    section::section(&data, report_lang(lang), "")
        .into_iter()
        .filter_map(|i| match i {
            Item::Figure(f) => Some(f),
            Item::Block(_) => None,
        })
        .collect()
}

/// Everything the Reduction step's screens show for `year` on `basis`.
pub fn reduction(
    p: &Project,
    year: Option<i32>,
    basis: Option<&str>,
    lang: Lang,
) -> Result<ReductionDto> {
    let r = p.reduction(year, basis)?;
    let figs = figures(&r, lang);
    let mut trajectories = figs
        .iter()
        .filter(|f| matches!(f.kind, FigureKind::Trajectory(_)));
    let first = r.targets.first();
    let mut targets = Vec::new();
    for t in &r.targets {
        let x = &t.target;
        let (code, en, zh) = target_status(t.assessment.status);
        let trajectory = t
            .assessment
            .trajectory
            .iter()
            .map(|y| TrajectoryYearDto {
                year: y.year,
                allowed_tco2e: t3o(y.allowed_tco2e),
                actual_tco2e: t3o(y.actual_tco2e),
                projected_tco2e: t3o(t
                    .plan
                    .years
                    .iter()
                    .find(|p| p.year == y.year)
                    .and_then(|p| p.projected_tco2e)),
                status: target_status(y.status).0.to_string(),
            })
            .collect();
        targets.push(TargetDto {
            name: x.name.clone(),
            scopes: x.scopes.code().to_string(),
            kind: match x.kind {
                TargetKind::Absolute => "absolute",
                TargetKind::Intensity => "intensity",
            }
            .to_string(),
            metric: x.metric.as_ref().map(|m| m.name.clone()),
            pathway: x.pathway.as_ref().map(|p| p.id.to_string()),
            base_year: x.base_year,
            target_year: x.target_year,
            base_tco2e: t3(x.base_tco2e),
            target_tco2e: t3o(t.target_tco2e),
            reduction_pct: x.reduction_pct.normalize().to_string(),
            status: code.to_string(),
            status_label: lang.pick(en, zh).to_string(),
            gap_tco2e: t3o(t.assessment.gap_tco2e),
            planned_tco2e: t3o(t.plan.planned_tco2e_in_target_year),
            projected_tco2e: t3o(t.plan.projected_tco2e_in_target_year),
            base_changed: t
                .base_change
                .as_ref()
                .map(|c| crate::issue_message(c.issue(&x.name).words(lang), lang)),
            trajectory,
            chart: trajectories.next().map(chart).transpose()?,
        });
    }
    let macc_chart = match figs.iter().find(|f| matches!(f.kind, FigureKind::Macc(_))) {
        Some(f) => {
            let mut c = chart(f)?;
            let names: Vec<String> = r.macc.bars.iter().map(|b| b.name.clone()).collect();
            c.svg = tag_bars(&c.svg, &names);
            Some(c)
        }
        None => None,
    };
    let waterfall = figs
        .iter()
        .find(|f| matches!(f.kind, FigureKind::Waterfall(_)))
        .map(chart)
        .transpose()?;
    let decomposition = r.decomposition.as_ref().map(|d| DecompositionDto {
        from_year: d.from_year,
        to_year: d.to_year,
        from_tco2e: r.decomposed_tco2e.map(|(a, _)| t3(a)),
        to_tco2e: r.decomposed_tco2e.map(|(_, b)| t3(b)),
        total: EffectsDto {
            source: lang.pick("All sources", "全部排放源").to_string(),
            change_tco2e: t3(d.change_tco2e),
            volume_tco2e: t3o(d.volume_tco2e),
            intensity_tco2e: t3o(d.intensity_tco2e),
            activity_tco2e: t3o(d.activity_tco2e),
            factor_tco2e: t3(d.factor_tco2e),
        },
        sources: d
            .sources
            .iter()
            .map(|s| EffectsDto {
                source: s.source.clone(),
                change_tco2e: t3(s.change_tco2e),
                volume_tco2e: t3o(s.volume_tco2e),
                intensity_tco2e: t3o(s.intensity_tco2e),
                activity_tco2e: t3o(s.activity_tco2e),
                factor_tco2e: t3(s.factor_tco2e),
            })
            .collect(),
        method: if d.volume_tco2e.is_some() {
            lang.pick(
                "volume, intensity and factor effects (additive LMDI-I, production-normalised)",
                "产量、强度和因子效应（加法 LMDI-I，产量归一）",
            )
            .to_string()
        } else {
            lang.pick(
                "activity and factor effects (additive LMDI-I; no output data)",
                "活动量和因子效应（加法 LMDI-I；无产出数据）",
            )
            .to_string()
        },
    });
    let checks: Vec<ReadinessCheck> = readiness(&r).into_iter().map(|c| check(c, lang)).collect();
    let ready = u32::try_from(checks.iter().filter(|c| c.ok).count()).unwrap_or(0);
    let of = u32::try_from(checks.len()).unwrap_or(0);
    Ok(ReductionDto {
        year: r.year,
        basis: r.basis.code().to_string(),
        base_year: r.base_year,
        discount_rate: r.discount_rate.pct().normalize().to_string(),
        carbon_price: moneyo(r.carbon_price),
        measures: r
            .measures
            .iter()
            .map(|m| recorded_measure(m, &r, first, lang))
            .collect(),
        targets,
        macc: r.macc.bars.iter().map(|b| b.name.clone()).collect(),
        macc_chart,
        decomposition,
        waterfall,
        readiness: Readiness { checks, ready, of },
        issues: r.issues.iter().map(|i| issue(i, lang)).collect(),
    })
}

pub fn outputs(p: &Project) -> Result<Vec<OutputDto>> {
    Ok(p.outputs()?.into_iter().map(output).collect())
}

pub fn output(o: OutputLine) -> OutputDto {
    OutputDto {
        id: o.row.id,
        metric: o.row.metric,
        year: o.row.year,
        month: o.row.month,
        quantity: o.row.quantity.normalize().to_string(),
        unit: o.row.unit.code().to_string(),
        site: o.site,
    }
}

/// The catalogue's English labels are written to follow a flag ("number of fixtures
/// replaced"); as a form's label they start with a capital.
fn sentence(text: &str) -> String {
    let mut c = text.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn role_label(role: Role, lang: Lang) -> String {
    match role {
        Role::Electricity => lang.pick("Electricity source", "电力排放源").to_string(),
        Role::Fuel => lang.pick("Fuel source", "燃料排放源").to_string(),
        Role::NewEnergy => lang.pick("New energy source", "替代能源排放源").to_string(),
        Role::Refrigerant => lang.pick("Refrigerant source", "制冷剂排放源").to_string(),
    }
}

fn role_field(role: Role) -> &'static str {
    match role {
        Role::Electricity => "electricitySource",
        Role::Fuel => "fuelSource",
        Role::NewEnergy => "newSource",
        Role::Refrigerant => "refrigerantSource",
    }
}

/// What the measure form offers.
pub fn measure_choices(p: &Project, lang: Lang) -> Result<MeasureChoices> {
    let sources = p.sources()?;
    let kinds = MeasureKind::ALL
        .iter()
        .map(|k| {
            let spec = k.spec();
            MeasureKindDto {
                code: spec.code.to_string(),
                label: lang.pick(spec.name_en, spec.name_zh).to_string(),
                inputs: spec
                    .inputs
                    .iter()
                    .map(|i| MeasureInputSpec {
                        name: i.name.to_string(),
                        unit: i.unit.to_string(),
                        label: sentence(lang.pick(i.label_en, i.label_zh)),
                        required: i.required,
                        kind: match i.kind {
                            InputKind::Number => "number",
                            InputKind::Count => "count",
                            InputKind::Percent => "percent",
                            InputKind::Text => "text",
                        }
                        .to_string(),
                    })
                    .collect(),
                roles: spec
                    .roles
                    .iter()
                    .map(|r| MeasureRoleDto {
                        role: r.code().to_string(),
                        field: role_field(*r).to_string(),
                        label: role_label(*r, lang),
                        sources: sources
                            .iter()
                            .filter(|s| r.accepts(*k, s.kind))
                            .map(|s| s.name.clone())
                            .collect(),
                    })
                    .collect(),
                default_lifetime: spec.default_lifetime_years,
            }
        })
        .collect();
    let statuses = [
        MeasureStatus::Idea,
        MeasureStatus::Planned,
        MeasureStatus::Approved,
        MeasureStatus::InProgress,
        MeasureStatus::Done,
    ]
    .iter()
    .map(|s| Choice {
        value: s.code().to_string(),
        label: status_label(*s, lang),
    })
    .collect();
    Ok(MeasureChoices {
        kinds,
        statuses,
        sources: sources
            .iter()
            .map(|s| Choice {
                value: s.name.clone(),
                label: match s.unit {
                    Some(u) => format!("{} ({})", s.name, u.code()),
                    None => s.name.clone(),
                },
            })
            .collect(),
        meters: sources
            .iter()
            .filter(|s| s.kind == SourceKind::OnsiteGeneration)
            .map(|s| s.name.clone())
            .collect(),
    })
}

fn price(l: PriceLine, lang: Lang) -> PriceDto {
    PriceDto {
        source: l.source,
        cny: l.cny.normalize().to_string(),
        per: l.per.code().to_string(),
        origin: match l.origin {
            PriceOrigin::Set => lang.pick("set on the project", "项目设置").to_string(),
            PriceOrigin::Bills { year, records } => lang
                .pick(
                    &format!("from {records} bill(s) of {year}"),
                    &format!("来自 {year} 年 {records} 张账单"),
                )
                .to_string(),
        },
    }
}

pub fn settings(p: &Project, lang: Lang) -> Result<ReductionSettingsDto> {
    let s = p.reduction_settings()?;
    Ok(ReductionSettingsDto {
        discount_rate: s.discount_rate_pct.map(|d| d.normalize().to_string()),
        carbon_price: s.carbon_price.map(|d| d.normalize().to_string()),
        prices: p.prices()?.into_iter().map(|l| price(l, lang)).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use lingtan::{MeasureEntry, TargetEntry};

    /// One plant, grid power billed for 2023 and 2024 (less in 2024), base year 2023.
    fn project(dir: &std::path::Path) -> Project {
        lingtan_testkit::grid_plant(
            "r.lingtan",
            "Reduction Co.",
            2024,
            &[(2023, "100000"), (2024, "90000")],
        )
        .base_year(2023)
        .now("2025-03-01T00:00:00Z")
        .create(dir)
    }

    fn led(name: &str, capex: &str) -> MeasureEntry {
        MeasureEntry {
            name: name.into(),
            kind: Some("led".into()),
            inputs: vec![
                ("fixtures".into(), "200".into()),
                ("watts-old".into(), "40".into()),
                ("watts-new".into(), "18".into()),
                ("hours".into(), "3000".into()),
            ],
            capex: Some(capex.into()),
            status: Some("planned".into()),
            ..Default::default()
        }
    }

    #[test]
    fn the_preview_is_what_recording_gives_and_records_nothing() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut p = project(dir.path());
        p.set_reduction_settings(&lingtan::ReductionSettingsEntry {
            prices: vec!["Grid power=0.7/kWh".into()],
            ..Default::default()
        })
        .expect("price");
        let head = p.audit(Some(1)).expect("audit");
        let preview = p
            .preview_measure(&led("LED hall", "30000"), false, None)
            .expect("preview");
        assert_eq!(
            p.audit(Some(1)).expect("audit"),
            head,
            "a preview writes nothing: the audit chain has no new entry"
        );
        assert!(
            p.measures().expect("measures").is_empty(),
            "a preview records no measure"
        );
        // 200 × (40 − 18) W × 3000 h = 13,200 kWh a year saved
        let shown = measure(
            "LED hall",
            preview.kind,
            preview.status,
            vec![],
            Some(&preview),
            Lang::En,
        );
        assert_eq!(
            shown.changes,
            vec!["Grid power: -13,200 kWh".to_string()],
            "the LED formula: fixtures × (old − new) W × hours"
        );
        p.add_measure(&led("LED hall", "30000")).expect("add");
        let dto = reduction(&p, None, None, Lang::En).expect("reduction");
        let recorded = dto
            .measures
            .iter()
            .find(|m| m.name == "LED hall")
            .expect("listed");
        assert_eq!(
            (
                &recorded.abatement_tco2e,
                &recorded.mac,
                &recorded.npv,
                &recorded.savings
            ),
            (
                &shown.abatement_tco2e,
                &shown.mac,
                &shown.npv,
                &shown.savings
            ),
            "the form's preview shows the figures the recorded measure gets"
        );
        assert_eq!(
            recorded.savings.as_deref(),
            Some("9240.00"),
            "13,200 kWh × 0.7 CNY"
        );

        // a refusal of the preview is the refusal of recording, with its field
        let mut bad = led("LED bad", "30000");
        bad.inputs[3].1 = "9000".into();
        let e = p
            .preview_measure(&bad, false, None)
            .expect_err("hours over a year");
        assert_eq!(
            e.field.map(|f| f.code()),
            Some("hours"),
            "the refusal names the input: {e:?}"
        );
    }

    #[test]
    fn the_macc_bars_name_their_measures_and_readiness_says_what_is_missing() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut p = project(dir.path());
        let before = reduction(&p, None, None, Lang::En).expect("reduction");
        let failing: Vec<&str> = before
            .readiness
            .checks
            .iter()
            .filter(|c| !c.ok)
            .map(|c| c.key.as_str())
            .collect();
        assert_eq!(
            failing,
            vec!["target", "measures"],
            "an empty step lacks a target and measures"
        );
        p.add_measure(&led("LED hall", "30000")).expect("add");
        p.add_measure(&led("LED office", "90000")).expect("add");
        let unpriced = reduction(&p, None, None, Lang::En).expect("reduction");
        let prices = unpriced
            .readiness
            .checks
            .iter()
            .find(|c| c.key == "prices")
            .expect("prices check");
        assert!(
            !prices.ok && prices.detail.contains("Grid power"),
            "a measure whose energy has no price is named, with the source: {}",
            prices.detail
        );
        assert!(unpriced.macc_chart.is_none(), "no MAC, no curve");
        p.set_reduction_settings(&lingtan::ReductionSettingsEntry {
            prices: vec!["Grid power=0.7/kWh".into()],
            ..Default::default()
        })
        .expect("price");
        p.add_target(&TargetEntry {
            name: "SBT".into(),
            scopes: "1+2".into(),
            base_year: 2023,
            target_year: 2030,
            reduction: Some("42".into()),
            ..Default::default()
        })
        .expect("target");
        let dto = reduction(&p, None, None, Lang::Zh).expect("reduction");
        assert!(
            dto.readiness.checks.iter().all(|c| c.ok),
            "a target, priced measures, no intensity target: ready: {:?}",
            dto.readiness.checks
        );
        assert_eq!(dto.macc, vec!["LED hall", "LED office"], "cheaper first");
        let svg = &dto.macc_chart.as_ref().expect("a MACC").svg;
        let tagged: Vec<&str> = svg
            .split("data-measure=\"")
            .skip(1)
            .filter_map(|s| s.split('"').next())
            .collect();
        assert_eq!(
            tagged,
            vec!["LED hall", "LED office"],
            "every bar of the report's SVG carries its measure, in MACC order"
        );
        let target = &dto.targets[0];
        assert!(
            target
                .chart
                .as_ref()
                .is_some_and(|c| c.svg.starts_with("<svg")),
            "the target has its trajectory chart"
        );
        assert!(dto.waterfall.is_some(), "2023 → 2024 has a waterfall");
    }

    #[test]
    fn an_intensity_target_without_this_years_output_is_named() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut p = project(dir.path());
        p.add_output(&lingtan::OutputEntry {
            metric: "product".into(),
            year: 2023,
            qty: "1000".into(),
            unit: "t".into(),
            ..Default::default()
        })
        .expect("output");
        p.add_target(&TargetEntry {
            name: "Per tonne".into(),
            scopes: "1+2".into(),
            base_year: 2023,
            target_year: 2030,
            reduction: Some("30".into()),
            metric: Some("product".into()),
            ..Default::default()
        })
        .expect("target");
        let check = |p: &Project| {
            reduction(p, None, None, Lang::En)
                .expect("reduction")
                .readiness
                .checks
                .into_iter()
                .find(|c| c.key == "output")
                .expect("the output check")
        };
        let missing = check(&p);
        assert!(
            !missing.ok && missing.detail.contains("Per tonne (product, 2024)"),
            "the target and the year without output are named: {}",
            missing.detail
        );
        p.add_output(&lingtan::OutputEntry {
            metric: "product".into(),
            year: 2024,
            qty: "950".into(),
            unit: "t".into(),
            ..Default::default()
        })
        .expect("output");
        assert!(check(&p).ok, "with both years' output nothing is missing");
    }

    #[test]
    fn macc_bars_are_tagged_in_order_and_the_legend_is_left_alone() {
        let svg = r##"<svg><rect x="0" y="0" width="9" height="9" fill="#FFFFFF"/><rect x="1" fill="#2E6F57" stroke="none"/><rect x="2" fill="#3A78B5"/><rect x="80" fill="#2E6F57"/></svg>"##;
        let names = vec!["LED <hall>".to_string(), "PV".to_string()];
        let out = tag_bars(svg, &names);
        assert!(
            out.contains(r##"<rect x="1" fill="#2E6F57" stroke="none" class="macc-bar" data-measure="LED &lt;hall&gt;"><title>LED &lt;hall&gt;</title></rect>"##),
            "the first bar carries the first name, escaped: {out}"
        );
        assert!(
            out.contains(r#"data-measure="PV""#),
            "the second bar carries the second name: {out}"
        );
        assert!(
            out.ends_with(r##"<rect x="80" fill="#2E6F57"/></svg>"##),
            "a swatch after the bars (the legend) is not a bar: {out}"
        );
        assert!(
            out.contains(r##"<rect x="0" y="0" width="9" height="9" fill="#FFFFFF"/>"##),
            "the background is untouched"
        );
    }
}
