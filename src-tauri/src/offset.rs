//! The Offset step's screens' data: from the workbench's certificate and credit records and its
//! `OffsetReport` (the figures `lingtan offset` prints) to the DTOs, rounded here once (tonnes to
//! 3 decimals, percentages to 2, half to even); the serial preview reads a pasted serial with the
//! core's parser and saves nothing; the Coverage chart is drawn by the report's chart code (the
//! reduction waterfall), as the Reduction step's charts are.

use crate::view::t3;
use lingtan::core::offset::coverage::Formula;
use lingtan::core::offset::serial::{self, Given, Registry, Serial, Vintage};
use lingtan::core::offset::{Check, Refusal, Status};
use lingtan::core::{Decimal, Issue, Lang};
use lingtan::export::reduction_section::{self as section, Figure, FigureKind};
use lingtan::{CreditRecord, EacImportReport, EacRecord, Field, OffsetReport, Project};
use lingtan_dto::*;
use rust_decimal::RoundingStrategy;

type Result<T> = lingtan::Result<T>;

/// Percentages: two decimals, half to even.
fn pct(d: Decimal) -> String {
    let r = d.round_dp_with_strategy(2, RoundingStrategy::MidpointNearestEven);
    format!("{r:.2}")
}

/// MWh, kWh, tce, GJ: as computed, up to 3 decimals.
fn amount(d: Decimal) -> String {
    d.round_dp_with_strategy(3, RoundingStrategy::MidpointNearestEven)
        .normalize()
        .to_string()
}

fn status_label(s: Status, lang: Lang) -> String {
    match s {
        Status::Held => lang.pick("held", "持有").to_string(),
        Status::Retired => lang.pick("retired", "已注销").to_string(),
        Status::Void => lang.pick("void", "已作废").to_string(),
    }
}

fn check(c: &Check, lang: Lang) -> OffsetCheckDto {
    OffsetCheckDto {
        code: c.code.to_string(),
        severity: c.severity.code().to_string(),
        excludes: c.excludes,
        message: crate::issue_message(c.words(lang), lang),
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

pub fn eac(r: &EacRecord, lang: Lang) -> EacDto {
    let e = &r.eac;
    EacDto {
        record: r.record,
        kind: e.kind.code().to_string(),
        id: e.id.clone(),
        mwh: e.mwh.normalize().to_string(),
        from: e.from.to_string(),
        to: e.to.to_string(),
        sites: e.sites.clone(),
        technology: e.technology.map(|t| t.code().to_string()),
        plant: e.plant.clone(),
        region: e.region.clone(),
        status: e.status.code().to_string(),
        status_label: status_label(e.status, lang),
        retired: e.retired.map(|d| d.to_string()),
        beneficiary: e.beneficiary.clone(),
        claim_year: e.claim_year(),
        void_reason: r.void_reason.clone(),
        statement: r.statement.as_ref().map(|s| s.file_name.clone()),
        checks: r.checks.iter().map(|c| check(c, lang)).collect(),
        excluded: r.excluded,
    }
}

pub fn eacs(p: &Project, lang: Lang) -> Result<Vec<EacDto>> {
    Ok(p.eacs(None)?.iter().map(|r| eac(r, lang)).collect())
}

pub fn credit(r: &CreditRecord, lang: Lang) -> CreditDto {
    let c = &r.credit;
    let s = &c.serial;
    CreditDto {
        id: c.id,
        registry: s.registry.code().to_string(),
        registry_label: registry_label(s.registry, lang),
        serial: s.serial.clone(),
        first: s.first.map(|n| n.to_string()),
        last: s.last.map(|n| n.to_string()),
        quantity: s.quantity.to_string(),
        project_id: s.project_id.clone(),
        project: c.project.clone(),
        vintage: s.vintage.map(|v| v.to_string()),
        country: s.country.clone(),
        kind: c.kind.map(|k| k.code().to_string()),
        status: c.status.code().to_string(),
        status_label: status_label(c.status, lang),
        retired: c.retired.map(|d| d.to_string()),
        beneficiary: c.beneficiary.clone(),
        for_year: c.for_year,
        void_reason: r.reason_void.clone(),
        parent: r.parent,
        statement: r.statement.as_ref().map(|s| s.file_name.clone()),
        checks: r.checks.iter().map(|k| check(k, lang)).collect(),
        excluded: r.excluded,
    }
}

pub fn credits(p: &Project, lang: Lang) -> Result<Vec<CreditDto>> {
    Ok(p.credits()?.iter().map(|r| credit(r, lang)).collect())
}

fn registry_label(r: Registry, lang: Lang) -> String {
    let (en, zh) = r.names();
    lang.pick(en, zh).to_string()
}

pub fn import(r: &EacImportReport, dry_run: bool, lang: Lang) -> EacImportDto {
    EacImportDto {
        file: r.file.clone(),
        platform: r.platform.map(|p| {
            let (en, zh) = p.names();
            lang.pick(en, zh).to_string()
        }),
        accepted: r.rows.accepted,
        rejected: r.rows.rejected,
        mwh: r.mwh.normalize().to_string(),
        certificates: r
            .certificates
            .iter()
            .map(|c| EacImportLine {
                origin: c.origin.clone(),
                id: c.certificate.clone(),
                mwh: c.mwh.normalize().to_string(),
                month: c.month.to_string(),
            })
            .collect(),
        issues: r
            .issues
            .iter()
            .map(|i| IssueDto {
                code: i.code.to_string(),
                severity: i.severity.code().to_string(),
                message: crate::issue_message(i.words(lang), lang),
                sheet: i.sheet.clone(),
                row: i.row,
                column: i.column.clone(),
                cell: i.cell.clone(),
                place: None,
            })
            .collect(),
        batch: r.batch,
        dry_run,
    }
}

/// The form field a core refusal concerns, as the workbench names it (`project_id` →
/// `projectId`, `qty` → `quantity`).
fn refusal_field(r: &Refusal) -> Option<String> {
    let core = r.field.as_deref()?;
    let flag = match core {
        "project" => "project-name".to_string(),
        other => other.replace('_', "-"),
    };
    Some(
        Field::from_code(&flag)
            .map(|f| crate::form_field(f).to_string())
            .unwrap_or(flag),
    )
}

fn refusal(
    code: &str,
    field: Option<String>,
    position: Option<usize>,
    message: String,
) -> SerialReading {
    SerialReading {
        parsed: None,
        refusal: Some(SerialRefusal {
            code: code.to_string(),
            field,
            position: position.and_then(|p| u32::try_from(p).ok()),
            message,
        }),
    }
}

/// A pasted serial read by its registry's grammar, with what the form holds beside it (a
/// quantity, project id or vintage that disagrees with the serial is refused naming both): the
/// block's first and last unit, quantity, project, vintage and country, or where the serial stops
/// making sense. Nothing is read from or written to the project.
pub fn read_serial(input: &CreditInput, lang: Lang) -> SerialReading {
    let filled = |t: &Option<String>| {
        t.as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(String::from)
    };
    let Some(registry) = Registry::parse(&input.registry) else {
        return refusal(
            "UNKNOWN_REGISTRY",
            Some("registry".into()),
            None,
            lang.pick(
                &format!("Registry '{}': choose one of the list", input.registry),
                &format!("登记处“{}”：请从列表中选择", input.registry),
            )
            .to_string(),
        );
    };
    let qty = match filled(&input.quantity) {
        None => None,
        Some(q) => match q.parse::<Decimal>() {
            Ok(d) => Some(d),
            Err(_) => {
                return refusal(
                    "BAD_NUMBER",
                    Some("quantity".into()),
                    None,
                    lang.pick(
                        &format!("Quantity '{q}' is not a number"),
                        &format!("数量“{q}”不是数字"),
                    )
                    .to_string(),
                )
            }
        },
    };
    let vintage = match filled(&input.vintage) {
        None => None,
        Some(v) => match Vintage::parse(&v) {
            Some(v) => Some(v),
            None => {
                return refusal(
                    "BAD_VINTAGE",
                    Some("vintage".into()),
                    None,
                    lang.pick(
                        &format!(
                        "Vintage '{v}': write a year (2022) or a period (2022-01-01..2022-10-31)"
                    ),
                        &format!("年份“{v}”：请写年份（2022）或期间（2022-01-01..2022-10-31）"),
                    )
                    .to_string(),
                )
            }
        },
    };
    let project_id = filled(&input.project_id);
    let country = filled(&input.country);
    let read = serial::read(
        registry,
        &input.serial,
        &Given {
            qty,
            project_id: project_id.as_deref(),
            vintage,
            country: country.as_deref(),
            first: None,
            last: None,
            labels: &[],
        },
    );
    match read {
        Ok(s) => SerialReading {
            parsed: Some(preview(&s, lang)),
            refusal: None,
        },
        Err(r) => refusal(
            r.code,
            refusal_field(&r),
            r.position,
            r.message(lang).to_string(),
        ),
    }
}

fn preview(s: &Serial, lang: Lang) -> SerialPreview {
    SerialPreview {
        registry: s.registry.code().to_string(),
        reading: s.reading.code().to_string(),
        first: s.first.map(|n| n.to_string()),
        last: s.last.map(|n| n.to_string()),
        quantity: s.quantity.to_string(),
        project_id: s.project_id.clone(),
        vintage: s.vintage.map(|v| v.to_string()),
        country: s.country.clone(),
        fields: s
            .fields
            .iter()
            .map(|(name, value)| NamedValue {
                name: name.clone(),
                value: value.clone(),
            })
            .collect(),
        notes: s
            .notes
            .iter()
            .map(|c| crate::issue_message(c.words(lang), lang))
            .collect(),
    }
}

fn figure(f: &Formula, lang: Lang) -> OffsetFigureDto {
    let is_pct = f.figure.ends_with("_pct");
    OffsetFigureDto {
        key: f.figure.to_string(),
        value: f.value.map(|v| if is_pct { pct(v) } else { t3(v) }),
        unit: if is_pct { "%" } else { "tCO2e" }.to_string(),
        formula: lang.pick(&f.en, &f.zh).to_string(),
        inputs: f
            .inputs
            .iter()
            .map(|(name, value)| NamedValue {
                name: (*name).to_string(),
                value: amount(*value),
            })
            .collect(),
    }
}

/// The year's path to neutral as a waterfall (the reduction step's chart): the chosen scopes
/// before certificates, what the certificates took off, the residual, the credits counted
/// against it, and what is left (the shortfall).
fn chart(r: &OffsetReport, lang: Lang) -> Result<Option<ChartSvg>> {
    let s = &r.summary;
    let eac_cut = s.scope2_market_before_eac_tco2e - s.scope2_market_tco2e;
    let before = s.residual_tco2e + eac_cut;
    if before <= Decimal::ZERO {
        return Ok(None);
    }
    let counted = s.credits.counted_tco2e.min(s.residual_tco2e);
    let step = |en: &str, zh: &str, value: Decimal, total: bool| section::WaterfallStep {
        label: lang.pick(en, zh).to_string(),
        value,
        total,
    };
    let fig = Figure {
        title: lang
            .pick(
                &format!(
                    "{}: emissions, certificates and credits (scopes {})",
                    s.year,
                    s.scopes.code()
                ),
                &format!(
                    "{} 年：排放、绿证与碳信用（范围 {}）",
                    s.year,
                    s.scopes.code()
                ),
            )
            .to_string(),
        unit: "tCO2e".to_string(),
        kind: FigureKind::Waterfall(section::Waterfall {
            steps: vec![
                step("Before certificates", "绿证抵扣前", before, true),
                step("Certificates", "绿证", -eac_cut, false),
                step("Residual", "剩余排放", s.residual_tco2e, true),
                step("Credits counted", "计入的碳信用", -counted, false),
                step("Shortfall", "缺口", s.shortfall_tco2e, true),
            ],
        }),
    };
    let drawn = section::chart::draw(&fig)?;
    Ok(Some(ChartSvg {
        title: fig.title,
        svg: drawn.svg,
    }))
}

/// What the step still lacks for the year, each a check named by its key.
fn readiness(r: &OffsetReport, lang: Lang) -> Readiness {
    let year = r.summary.year;
    let mut checks = Vec::new();
    let label = |c: &lingtan::EacRecord| format!("#{} {}", c.record, c.eac.label());
    let counted_eacs = r
        .certificates
        .iter()
        .filter(|c| c.eac.status == Status::Retired && !c.excluded)
        .count();
    let excluded: Vec<String> = r
        .certificates
        .iter()
        .filter(|c| c.eac.status == Status::Retired && c.excluded)
        .map(label)
        .collect();
    checks.push(ReadinessCheck {
        key: "certificates".into(),
        ok: counted_eacs > 0,
        label: lang.pick(&format!("A retired certificate counts for {year}"),
            &format!("有计入 {year} 年的已注销绿证"),
        ).to_string(),
        detail: match (counted_eacs, excluded.is_empty()) {
            (0, true) => lang.pick("no certificate is retired for this year: the market-based scope 2 is not reduced",
                "本年没有已注销的证书：基于市场的范围二未扣减",
            ).to_string(),
            (0, false) => lang.pick(&format!(
                    "every retired certificate fails a ✗ check: {}",
                    excluded.join(", ")
                ),
                &format!("已注销的证书均未通过 ✗ 检查：{}", excluded.join("、")),
            ).to_string(),
            (n, _) => lang.pick(&format!(
                    "{n} certificate(s), {} MWh used",
                    amount(r.summary.eac.mwh_used)
                ),
                &format!("{n} 张证书，使用 {} MWh", amount(r.summary.eac.mwh_used)),
            ).to_string(),
        },
    });
    let held: Vec<String> = r
        .certificates
        .iter()
        .filter(|c| c.eac.status == Status::Held)
        .map(label)
        .collect();
    checks.push(ReadinessCheck {
        key: "held".into(),
        ok: held.is_empty(),
        label: lang
            .pick(
                "No certificate of the year is still held",
                "本年没有仍未注销的证书",
            )
            .to_string(),
        detail: if held.is_empty() {
            String::new()
        } else {
            lang.pick(
                &format!(
                    "held, not counted until retired for the organisation: {}",
                    held.join(", ")
                ),
                &format!("仍为持有状态，须为本组织注销后才计入：{}", held.join("、")),
            )
            .to_string()
        },
    });
    let counted_credits = r.credits.iter().filter(|c| !c.excluded).count();
    checks.push(ReadinessCheck {
        key: "credits".into(),
        ok: counted_credits > 0,
        label: lang
            .pick(
                &format!("Credits are retired for {year}"),
                &format!("有为 {year} 年注销的碳信用"),
            )
            .to_string(),
        detail: if counted_credits > 0 {
            lang.pick(
                &format!(
                    "{counted_credits} block(s), {} tCO2e counted",
                    t3(r.summary.credits.counted_tco2e)
                ),
                &format!(
                    "{counted_credits} 个区块，计入 {} tCO2e",
                    t3(r.summary.credits.counted_tco2e)
                ),
            )
            .to_string()
        } else if r.credits.is_empty() {
            lang.pick(
                "no block of credits is retired for this year",
                "本年没有已注销的碳信用区块",
            )
            .to_string()
        } else {
            lang.pick(
                "every block retired for this year fails a ✗ check",
                "为本年注销的区块均未通过 ✗ 检查",
            )
            .to_string()
        },
    });
    let short = r.summary.shortfall_tco2e;
    checks.push(ReadinessCheck {
        key: "shortfall".into(),
        ok: short.is_zero(),
        label: lang
            .pick("The residual emissions are covered", "剩余排放已全部抵消")
            .to_string(),
        detail: if short.is_zero() {
            String::new()
        } else {
            lang.pick(
                &format!(
                    "shortfall {} tCO2e of {} tCO2e residual",
                    t3(short),
                    t3(r.summary.residual_tco2e)
                ),
                &format!(
                    "缺口 {} tCO2e（剩余排放 {} tCO2e）",
                    t3(short),
                    t3(r.summary.residual_tco2e)
                ),
            )
            .to_string()
        },
    });
    let ready = u32::try_from(checks.iter().filter(|c| c.ok).count()).unwrap_or(0);
    let of = u32::try_from(checks.len()).unwrap_or(0);
    Readiness { checks, ready, of }
}

/// Everything the Coverage and Readiness screens show for `year` and `scopes`.
pub fn offset(
    p: &Project,
    year: Option<i32>,
    scopes: Option<&str>,
    lang: Lang,
) -> Result<OffsetDto> {
    let r = p.offset(year, scopes)?;
    let s = &r.summary;
    let sh = &s.shares;
    Ok(OffsetDto {
        year: s.year,
        scopes: s.scopes.code().to_string(),
        residual_tco2e: t3(s.residual_tco2e),
        scope2_market_before_eac_tco2e: t3(s.scope2_market_before_eac_tco2e),
        scope2_market_tco2e: t3(s.scope2_market_tco2e),
        mwh_retired: amount(s.eac.mwh_retired),
        mwh_used: amount(s.eac.mwh_used),
        mwh_unused: amount(s.eac.mwh_unused),
        kwh_covered: amount(s.eac.kwh_covered),
        credits_retired_tco2e: t3(s.credits.retired_tco2e),
        credits_counted_tco2e: t3(s.credits.counted_tco2e),
        removal_tco2e: t3(s.credits.removal_tco2e),
        avoidance_tco2e: t3(s.credits.avoidance_tco2e),
        coverage_pct: s.coverage_pct.map(pct),
        shortfall_tco2e: t3(s.shortfall_tco2e),
        renewable_energy_pct: sh.renewable_energy_pct.map(pct),
        green_power_pct: sh.green_power_pct.map(pct),
        green_power_reduction_tco2e: sh.green_power_reduction_tco2e.map(t3),
        credit_offset_pct: sh.credit_offset_pct.map(pct),
        total_energy_tce: sh.total_energy_tce.map(amount),
        total_energy_gj: sh.total_energy_gj.map(amount),
        figures: s.formulas.iter().map(|f| figure(f, lang)).collect(),
        chart: chart(&r, lang)?,
        readiness: readiness(&r, lang),
        issues: r.issues.iter().map(|i| issue(i, lang)).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use lingtan::{CreditEntry, CreditRetirement, EacEntry};

    const VERRA: &str = "19380-941382555-941382741-VCS-VCU-1310-VER-CN-13-3005-01012022-31102022-0";

    fn input(serial: &str) -> CreditInput {
        CreditInput {
            registry: "verra".into(),
            serial: serial.into(),
            quantity: None,
            project_id: None,
            project_name: None,
            methodology: None,
            kind: None,
            vintage: None,
            country: None,
            evidence: None,
        }
    }

    /// One plant on the East China grid, 1,000,000 kWh of grid power in 2025.
    fn project(dir: &std::path::Path) -> Project {
        lingtan_testkit::grid_plant("o.lingtan", "Offset Works", 2025, &[(2025, "1000000")])
            .now("2026-03-15T00:00:00Z")
            .create(dir)
    }

    #[test]
    fn a_pasted_verra_serial_is_read_into_its_fields_and_a_bad_one_is_refused_where_it_breaks() {
        let r = read_serial(&input(VERRA), Lang::En);
        let s = r.parsed.expect("the serial of OFFSET.md reads");
        assert_eq!(
            (s.first.as_deref(), s.last.as_deref(), s.quantity.as_str()),
            (Some("941382555"), Some("941382741"), "187"),
            "first and last unit of the block, quantity = last − first + 1"
        );
        assert_eq!(
            (s.project_id.as_deref(), s.country.as_deref()),
            (Some("3005"), Some("CN")),
            "the project id and the country are the serial's"
        );
        assert_eq!(
            s.vintage.as_deref(),
            Some("2022-01-01..2022-10-31"),
            "the vintage period is the serial's"
        );

        // the quantity typed beside it disagrees: refused next to the quantity, naming both
        let mut wrong = input(VERRA);
        wrong.quantity = Some("200".into());
        let refused = read_serial(&wrong, Lang::En)
            .refusal
            .expect("a quantity that disagrees with the serial is refused");
        assert_eq!(
            refused.field.as_deref(),
            Some("quantity"),
            "the form's quantity field: {refused:?}"
        );
        assert!(
            refused.message.contains("200") && refused.message.contains("187"),
            "both values are named: {}",
            refused.message
        );

        // the serial OFFSET.md says must be refused (a letter O for the final 0)
        let bad = "15312-681393912-681394011-VCS-VCU-208-VER-CA-3-929-01012018-31122018-O";
        let refused = read_serial(&input(bad), Lang::Zh)
            .refusal
            .expect("a serial that does not parse is refused");
        assert_eq!(refused.field.as_deref(), Some("serial"), "{refused:?}");
        assert!(
            refused.position.is_some(),
            "the refusal says where the serial stops making sense: {refused:?}"
        );
        assert!(
            !refused.message.contains("--"),
            "no flag on the desktop: {}",
            refused.message
        );
    }

    #[test]
    fn a_retired_certificate_lowers_the_market_based_scope_2_and_readiness_names_what_is_missing() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut p = project(dir.path());
        let before = offset(&p, None, None, Lang::En).expect("offset");
        let failing: Vec<&str> = before
            .readiness
            .checks
            .iter()
            .filter(|c| !c.ok)
            .map(|c| c.key.as_str())
            .collect();
        assert_eq!(
            failing,
            vec!["certificates", "credits", "shortfall"],
            "nothing retired: no certificate, no credits, a shortfall"
        );
        p.add_eac(&EacEntry {
            kind: "gec".into(),
            id: "GEC-E2E-1".into(),
            mwh: "200".into(),
            from: "2025-01".into(),
            to: "2025-06".into(),
            technology: Some("wind".into()),
            ..Default::default()
        })
        .expect("held certificate");
        let held = offset(&p, None, None, Lang::En).expect("offset");
        let check = held
            .readiness
            .checks
            .iter()
            .find(|c| c.key == "held")
            .expect("the held check");
        assert!(
            !check.ok && check.detail.contains("GEC-E2E-1"),
            "a held certificate is named: {}",
            check.detail
        );
        assert_eq!(
            held.scope2_market_tco2e, before.scope2_market_tco2e,
            "a held certificate changes nothing"
        );
        let listed = eacs(&p, Lang::En).expect("eacs");
        assert!(
            listed[0].excluded && listed[0].checks.iter().any(|c| c.excludes),
            "a held certificate carries its ✗ check: {:?}",
            listed[0].checks
        );
        p.retire_eac("GEC-E2E-1", "2026-01-10", "Offset Works", None)
            .expect("retire");
        let after = offset(&p, None, None, Lang::En).expect("offset");
        assert_eq!(after.kwh_covered, "200000", "200 MWh cover 200,000 kWh");
        let dec = |s: &str| s.parse::<Decimal>().expect("decimal");
        assert!(
            dec(&after.scope2_market_tco2e) < dec(&before.scope2_market_tco2e),
            "the market-based scope 2 falls: {} → {}",
            before.scope2_market_tco2e,
            after.scope2_market_tco2e
        );
        assert_eq!(
            after.scope2_market_before_eac_tco2e, before.scope2_market_tco2e,
            "before the certificates it is what it was"
        );
        assert!(
            after
                .readiness
                .checks
                .iter()
                .any(|c| c.key == "certificates" && c.ok),
            "a retired certificate counts"
        );
        let chart = after.chart.expect("a waterfall");
        assert!(
            chart.svg.starts_with("<svg"),
            "the report's chart code drew it"
        );
        assert!(
            after
                .figures
                .iter()
                .any(|f| f.key == "coverage_pct" && !f.formula.is_empty()),
            "each figure comes with its formula"
        );
    }

    #[test]
    fn a_partial_retirement_lists_both_parts_and_an_overlap_is_refused_naming_the_block() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut p = project(dir.path());
        let block = p
            .add_credit(&CreditEntry {
                registry: "verra".into(),
                serial: VERRA.into(),
                ..Default::default()
            })
            .expect("block");
        let overlap = p
            .add_credit(&CreditEntry {
                registry: "verra".into(),
                serial: "19380-941382700-941382800-VCS-VCU-1310-VER-CN-13-3005-01012022-31102022-0"
                    .into(),
                ..Default::default()
            })
            .expect_err("an overlapping block");
        let shown = crate::message(&overlap, Lang::En);
        assert!(
            shown.contains(&format!("#{}", block.credit.id)) || shown.contains("941382555"),
            "the refusal names the block already recorded: {shown}"
        );
        p.retire_credit(
            &block.credit.id.to_string(),
            &CreditRetirement {
                date: "2026-02-01".into(),
                beneficiary: "Offset Works".into(),
                for_year: "2025".into(),
                qty: Some("100".into()),
                ..Default::default()
            },
        )
        .expect("partial retirement");
        let listed = credits(&p, Lang::En).expect("credits");
        let parts: Vec<(&str, &str, Option<i64>)> = listed
            .iter()
            .map(|c| (c.status.as_str(), c.quantity.as_str(), c.parent))
            .collect();
        assert_eq!(
            parts,
            vec![
                ("retired", "100", Some(block.credit.id)),
                ("held", "87", Some(block.credit.id))
            ],
            "both parts are listed, each from the block, adding up to its 187"
        );
        let dto = offset(&p, None, None, Lang::En).expect("offset");
        assert_eq!(
            dto.credits_counted_tco2e, "100.000",
            "the retired part counts"
        );
    }

    #[test]
    fn the_offset_refusals_name_fields_never_flags() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut p = project(dir.path());
        let mut errors = vec![
            p.add_eac(&EacEntry {
                kind: "solar-panel".into(),
                id: "X".into(),
                mwh: "1".into(),
                from: "2025-01".into(),
                to: "2025-01".into(),
                ..Default::default()
            })
            .expect_err("unknown type"),
            p.add_eac(&EacEntry {
                kind: "gec".into(),
                id: "X".into(),
                mwh: "1".into(),
                from: "2025-01".into(),
                to: "2025-01".into(),
                technology: Some("coal".into()),
                ..Default::default()
            })
            .expect_err("unknown technology"),
            p.add_eac(&EacEntry {
                kind: "gec".into(),
                id: "X".into(),
                mwh: "1".into(),
                from: "2025-01".into(),
                to: "2025-01".into(),
                retired: Some("2025-03-01".into()),
                ..Default::default()
            })
            .expect_err("no beneficiary"),
            p.add_credit(&CreditEntry {
                registry: "nowhere".into(),
                serial: "1".into(),
                ..Default::default()
            })
            .expect_err("unknown registry"),
            p.add_credit(&CreditEntry {
                registry: "verra".into(),
                serial: VERRA.into(),
                vintage: Some("last year".into()),
                ..Default::default()
            })
            .expect_err("bad vintage"),
            p.offset(None, Some("3")).expect_err("bad scopes"),
        ];
        let eac = p
            .add_eac(&EacEntry {
                kind: "gec".into(),
                id: "X".into(),
                mwh: "1".into(),
                from: "2025-01".into(),
                to: "2025-01".into(),
                ..Default::default()
            })
            .expect("a certificate");
        errors.push(
            p.void_eac(&eac.record.to_string(), " ")
                .expect_err("no reason"),
        );
        for e in &errors {
            for lang in [Lang::En, Lang::Zh] {
                let shown = crate::message(e, lang);
                assert!(
                    !shown.contains("--") && e.field.is_some(),
                    "{}: the desktop names the field, never a flag: {shown}",
                    e.code
                );
            }
        }
    }
}
