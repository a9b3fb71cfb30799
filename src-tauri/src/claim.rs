//! The Certification step's screens' data: the workbench's claim (`Project::claim`, the figures
//! and checks `lingtan claim` prints), its settings, its documents (the report's blocks, tables
//! as cells; DRAFT while a check fails), and the dossier and its verification, to the DTOs. Figures are
//! rounded here once (tonnes to 3 decimals, percentages to 2, half to even).

use lingtan::claim::ClaimSettingsEntry;
use lingtan::core::claim::{CheckStatus, Claim, ClaimPeriod};
use lingtan::core::{Decimal, Lang};
use lingtan::dossier::{DifferenceKind, DossierCheck, Made};
use lingtan::report::doc::{Align, Block};
use lingtan::Project;
use lingtan_dto::*;
use rust_decimal::RoundingStrategy;

type Result<T> = lingtan::Result<T>;

fn t3(d: Decimal) -> String {
    let r = d.round_dp_with_strategy(3, RoundingStrategy::MidpointNearestEven);
    format!("{r:.3}")
}

fn pct(d: Decimal) -> String {
    let r = d.round_dp_with_strategy(2, RoundingStrategy::MidpointNearestEven);
    format!("{r:.2}")
}

fn filled(t: &Option<String>) -> Option<String> {
    t.as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(String::from)
}

/// The claim period asked for: from/to when both are given, else the year typed, else the
/// project's year. A year that is not a number is refused naming the year field.
pub fn period(p: &Project, r: &ClaimRequest) -> Result<ClaimPeriod> {
    match (filled(&r.from), filled(&r.to)) {
        (Some(from), Some(to)) => lingtan::claim::period(&from, &to),
        (Some(_), None) | (None, Some(_)) => Err(lingtan::Error::new(
            "MISSING_FIELD",
            if filled(&r.from).is_none() {
                lingtan::Field::From
            } else {
                lingtan::Field::To
            },
            "Give both the first and the last day of the claim period (YYYY-MM-DD), or a year.",
            "请同时填写声明期间的第一天和最后一天（YYYY-MM-DD），或填写年份。",
        )),
        (None, None) => match filled(&r.year) {
            None => lingtan::claim::year(p.info()?.year),
            Some(y) => match y.parse::<i32>() {
                Ok(y) => lingtan::claim::year(y),
                Err(_) => Err(lingtan::Error::new(
                    "BAD_YEAR",
                    lingtan::Field::Year,
                    format!("Year '{y}' is not a year: write it as 2025."),
                    format!("年份“{y}”不是年份：请写成 2025。"),
                )),
            },
        },
    }
}

fn status(s: CheckStatus) -> &'static str {
    s.code()
}

pub fn claim_dto(c: &Claim, lang: Lang) -> ClaimDto {
    ClaimDto {
        framework: c.framework.clone(),
        edition: c.edition.clone(),
        designation: c.designation.clone(),
        title: c.title.pick(lang).to_string(),
        from: c.period.from().to_string(),
        to: c.period.to().to_string(),
        days: c.period.days(),
        subject_tco2e: t3(c.subject_tco2e),
        reductions_tco2e: c.reductions_tco2e.map(t3),
        eac_tco2e: t3(c.eac_tco2e),
        credits_tco2e: t3(c.credits_tco2e),
        coverage_pct: c.coverage_pct.map(pct),
        ready: c.ready,
        checks: c
            .checks
            .iter()
            .map(|k| ClaimCheckDto {
                code: k.code.clone(),
                title: k.title.pick(lang).to_string(),
                clause: k.clause.pick(lang).to_string(),
                confirmed: k.confirmed,
                status: status(k.status).to_string(),
                found: k.found.pick(lang).to_string(),
                todo: k.todo.as_ref().map(|t| t.pick(lang).to_string()),
                places: k
                    .places
                    .iter()
                    .map(|p| ClaimPlaceDto {
                        kind: serde_json::to_value(p.kind)
                            .ok()
                            .and_then(|v| v.as_str().map(String::from))
                            .unwrap_or_default(),
                        id: p.id,
                        label: p.label.clone(),
                    })
                    .collect(),
                note: k.note.as_ref().map(|t| t.pick(lang).to_string()),
            })
            .collect(),
        notes: c
            .notes
            .iter()
            .map(|n| format!("{} ({})", n.text.pick(lang), n.source))
            .collect(),
    }
}

/// The claim for a framework and a period.
pub fn claim(p: &Project, r: &ClaimRequest, lang: Lang) -> Result<ClaimDto> {
    let period = period(p, r)?;
    let (_, _, c) = p.claim(r.framework.trim(), period)?;
    Ok(claim_dto(&c, lang))
}

/// The documents of the claim as the report renders them, in `lang`; DRAFT with the failing
/// checks' reasons while one fails.
pub fn documents(p: &Project, r: &ClaimRequest, lang: Lang) -> Result<ClaimDocumentsDto> {
    let period = period(p, r)?;
    let (pack, facts, c) = p.claim(r.framework.trim(), period)?;
    let path = p.path().to_path_buf();
    let docs = p.claim_documents(&path, &pack, &facts, &c, lang.into(), None)?;
    // a draft while a check fails (each with its clause and what to do) or an element of the
    // QES is missing (each named)
    let missing = docs
        .draft
        .reasons
        .iter()
        .skip(c.failed().count())
        .map(|r| r.pick(lang).to_string());
    Ok(ClaimDocumentsDto {
        ready: !docs.draft.draft,
        draft_reasons: c
            .failed()
            .map(|k| {
                let mut s = format!(
                    "{} — {}: {}",
                    k.clause.pick(lang),
                    k.title.pick(lang),
                    k.found.pick(lang)
                );
                if let Some(t) = &k.todo {
                    s.push_str(lang.pick(" To do: ", " 待办："));
                    s.push_str(t.pick(lang));
                }
                s
            })
            .chain(missing)
            .collect(),
        text: docs.text,
        blocks: docs.doc.blocks.iter().filter_map(block).collect(),
    })
}

/// A block of the documents' model as the screen lays it out; charts and page breaks are the
/// PDF's (the claim's documents have none).
fn block(b: &Block) -> Option<DocBlockDto> {
    let text = |t: &str| Some(t.to_string());
    Some(match b {
        Block::Cover { title, lines } => DocBlockDto {
            kind: "cover".into(),
            text: text(title),
            lines: lines.clone(),
            ..Default::default()
        },
        Block::Heading { level, text: t } => DocBlockDto {
            kind: "heading".into(),
            level: Some(*level),
            text: text(t),
            ..Default::default()
        },
        Block::Paragraph(t) => DocBlockDto {
            kind: "paragraph".into(),
            text: text(t),
            ..Default::default()
        },
        Block::Fields(pairs) => DocBlockDto {
            kind: "fields".into(),
            fields: pairs
                .iter()
                .map(|(label, value)| DocFieldDto {
                    label: label.clone(),
                    value: value.clone(),
                })
                .collect(),
            ..Default::default()
        },
        Block::Table(t) => DocBlockDto {
            kind: "table".into(),
            columns: {
                let sum: u32 = t.columns.iter().map(|c| c.weight).sum::<u32>().max(1);
                t.columns
                    .iter()
                    .map(|c| DocColumnDto {
                        title: c.title.clone(),
                        right: c.align == Align::Right,
                        width_pct: c.weight.saturating_mul(100) / sum,
                    })
                    .collect()
            },
            rows: t.rows.clone(),
            total: t.total,
            ..Default::default()
        },
        Block::Chart(_) | Block::Figure(_) | Block::PageBreak => return None,
    })
}

fn opt_text(v: &Option<String>) -> Option<String> {
    v.clone()
}

pub fn settings(p: &Project, framework: &str) -> Result<ClaimSettingsDto> {
    let (framework, _) = lingtan::claim::pack(framework.trim())?;
    let row = p.claim_settings(framework)?;
    Ok(ClaimSettingsDto {
        framework: row.framework.clone(),
        statement_date: opt_text(&row.statement_date),
        verification: opt_text(&row.verification),
        verifier: opt_text(&row.verifier),
        senior: opt_text(&row.senior),
        commitment_year: row.commitment_year.map(|y| y.to_string()),
        subject: opt_text(&row.subject),
        published_at: opt_text(&row.published_at),
        plan_reviewed: opt_text(&row.plan_reviewed),
        first_period: row
            .first_period
            .map(|f| if f { "yes" } else { "no" }.to_string()),
        star_level: row.star_level.map(|l| l.to_string()),
        subject_rationale: opt_text(&row.subject_rationale),
        activities: opt_text(&row.activities),
    })
}

/// The claim's subject for the framework and period asked: every source of the period, its
/// tCO2e and share of the footprint, whether it is in the subject, and the decision in force.
pub fn subject(p: &Project, r: &ClaimRequest) -> Result<ClaimSubjectDto> {
    let period = period(p, r)?;
    let (framework, _) = lingtan::claim::pack(r.framework.trim())?;
    let (_, facts, _) = p.claim(r.framework.trim(), period)?;
    let lines = p.claim_subject_lines(framework)?;
    let inv = &facts.inventory;
    let footprint = inv.footprint_tco2e();
    Ok(ClaimSubjectDto {
        framework: framework.id().to_string(),
        subject_tco2e: t3(inv.subject_tco2e()),
        footprint_tco2e: t3(footprint),
        subject_share_pct: inv.subject_share_pct().map(pct),
        sources: inv
            .sources
            .iter()
            .map(|s| {
                let line = lines.iter().find(|l| Some(l.source_id) == s.place.id);
                SubjectSourceDto {
                    source_id: s.place.id,
                    label: s.place.label.clone(),
                    scope: match s.scope {
                        lingtan::core::source::Scope::One => 1,
                        lingtan::core::source::Scope::Two => 2,
                        lingtan::core::source::Scope::Three => 3,
                    },
                    category: s.category.0,
                    tco2e: t3(s.tco2e),
                    share_pct: lingtan::core::claim::pct(s.tco2e, footprint).map(pct),
                    in_subject: s.in_subject,
                    decision: line.map(|l| l.decision.code().to_string()),
                    reason: line.and_then(|l| l.reason.clone()),
                }
            })
            .collect(),
    })
}

/// The form as `claim set` takes it: every field given (an empty one clears what is stored).
pub fn entry(s: &ClaimSettingsDto) -> ClaimSettingsEntry {
    let given = |v: &Option<String>| Some(v.clone().unwrap_or_default());
    ClaimSettingsEntry {
        statement_date: given(&s.statement_date),
        verification: given(&s.verification),
        verifier: given(&s.verifier),
        senior: given(&s.senior),
        commitment_year: given(&s.commitment_year),
        subject: given(&s.subject),
        published_at: given(&s.published_at),
        plan_reviewed: given(&s.plan_reviewed),
        first_period: given(&s.first_period),
        star_level: given(&s.star_level),
        subject_rationale: given(&s.subject_rationale),
        activities: given(&s.activities),
    }
}

pub fn made(m: &Made, lang: Lang) -> DossierDto {
    DossierDto {
        dir: m.dir.display().to_string(),
        root: m.manifest.root.clone(),
        files: m
            .manifest
            .files
            .iter()
            .map(|f| DossierFileDto {
                path: f.path.clone(),
                bytes: f.bytes,
            })
            .collect(),
        warnings: m.warnings.iter().map(|w| crate::message(w, lang)).collect(),
    }
}

fn kind(k: DifferenceKind, lang: Lang) -> (&'static str, &'static str) {
    let (code, en, zh) = match k {
        DifferenceKind::Added => ("added", "added", "新增"),
        DifferenceKind::Missing => ("missing", "missing", "缺失"),
        DifferenceKind::Changed => ("changed", "changed", "被修改"),
        DifferenceKind::Manifest => ("manifest", "manifest", "清单"),
        DifferenceKind::Snapshot => ("snapshot", "snapshot", "快照"),
        DifferenceKind::Audit => ("audit", "audit", "审计"),
        DifferenceKind::Figure => ("figure", "figure", "数据"),
    };
    (code, lang.pick(en, zh))
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

pub fn check(c: &DossierCheck, lang: Lang) -> DossierCheckDto {
    DossierCheckDto {
        ok: c.ok(),
        dir: c.dir.display().to_string(),
        framework: c.framework.clone(),
        from: c.period.as_ref().map(|p| p.from.clone()),
        to: c.period.as_ref().map(|p| p.to.clone()),
        root: c.root.clone(),
        files_checked: count(c.files_checked),
        figures_checked: count(c.figures_checked),
        audit_entries: c.audit.as_ref().map(|a| count(a.entries as usize)),
        differences: c
            .differences
            .iter()
            .map(|d| {
                let (code, label) = kind(d.kind, lang);
                DossierDifferenceDto {
                    kind: code.to_string(),
                    kind_label: label.to_string(),
                    what: d.what.clone(),
                    expected: d.expected.clone(),
                    found: d.found.clone(),
                    message: lang.pick(&d.en, &d.zh).to_string(),
                }
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use lingtan::core::Lang;

    /// A project of its own, its clock in March 2026.
    fn project(dir: &std::path::Path) -> lingtan::Project {
        lingtan_testkit::Build::new("p.lingtan", "Claim Works", 2025)
            .now("2026-03-15T09:00:00Z")
            .create(dir)
    }

    #[test]
    fn a_refused_claim_setting_names_the_settings_field_in_words_never_a_flag() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut p = project(dir.path());
        let form = lingtan_dto::ClaimSettingsDto {
            framework: "pas2060".into(),
            statement_date: Some("2027-01-01".into()),
            ..Default::default()
        };
        let e = p
            .set_claim("pas2060", &super::entry(&form))
            .expect_err("a statement date after the project's today is refused");
        assert_eq!(
            e.field.map(crate::form_field),
            Some("statementDate"),
            "the refusal sits next to the Settings form's statement date (the DTO's name)"
        );
        for lang in [Lang::En, Lang::Zh] {
            let shown = crate::message(&e, lang);
            assert!(
                !shown.contains("--") && !shown.contains("statement-date"),
                "the desktop words the field as the form labels it, no flag: {shown}"
            );
            assert!(
                shown.starts_with(lang.pick("Statement date", "声明日期")),
                "the message opens with the field's label: {shown}"
            );
        }
        let stored = super::settings(&p, "pas2060").expect("settings");
        assert_eq!(
            stored.statement_date, None,
            "a refusal changes nothing in the project file"
        );
    }

    /// The Subject part's command path: a source excluded without a reason is refused on the
    /// reason field (worded as the form labels it, nothing stored); included, it is in the
    /// subject with its decision; excluded with a reason, it is out with the reason as written;
    /// the QES fields are stored through the settings form.
    #[test]
    fn the_subject_part_includes_excludes_with_a_reason_and_refuses_a_missing_reason() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut p = project(dir.path());
        p.add_site("Plant", None, None).expect("site");
        p.add_source(&lingtan::SourceEntry {
            name: "Courier parcels".into(),
            site: "Plant".into(),
            kind: "scope3-4".into(),
            ..Default::default()
        })
        .expect("source");
        let e = p
            .set_claim_subject("pas2060", "Plant / Courier parcels", "exclude", Some(" "))
            .expect_err("an exclusion without a reason is refused");
        assert_eq!(
            (e.code, e.field.map(crate::form_field)),
            ("CLAIM_SUBJECT_REASON_MISSING", Some("reason")),
            "the refusal sits next to the reason field"
        );
        assert!(
            !crate::message(&e, Lang::En).contains("--"),
            "no flag on the desktop: {}",
            crate::message(&e, Lang::En)
        );
        let row = p
            .set_claim_subject("pas2060", "Plant / Courier parcels", "include", None)
            .expect("included");
        assert_eq!(row.decision.code(), "include", "the decision stored");
        let row = p
            .set_claim_subject(
                "pas2060",
                "Courier parcels",
                "exclude",
                Some("no carrier data 无承运商数据"),
            )
            .expect("excluded");
        assert_eq!(
            row.reason.as_deref(),
            Some("no carrier data 无承运商数据"),
            "the reason as written"
        );
        let form = lingtan_dto::ClaimSettingsDto {
            framework: "pas2060".into(),
            subject_rationale: Some("the whole legal entity".into()),
            activities: Some("making parts".into()),
            ..Default::default()
        };
        p.set_claim("pas2060", &super::entry(&form))
            .expect("stored");
        let s = super::settings(&p, "pas2060").expect("settings");
        assert_eq!(
            (s.subject_rationale.as_deref(), s.activities.as_deref()),
            (Some("the whole legal entity"), Some("making parts")),
            "the QES fields go through the settings form"
        );
    }

    #[test]
    fn a_refused_framework_stands_next_to_the_framework_picker() {
        // issue 17: the framework's refusals named `Field::Input("framework")`, a measure
        // kind's input as far as the error shape knew
        let dir = tempfile::tempdir().expect("tempdir");
        let p = project(dir.path());
        let request = lingtan_dto::ClaimRequest {
            framework: "pas2061".into(),
            year: Some("2025".into()),
            from: None,
            to: None,
        };
        let e = super::claim(&p, &request, Lang::En).expect_err("no framework pas2061");
        assert_eq!(
            (e.code, e.field),
            ("CLAIM_UNKNOWN_FRAMEWORK", Some(lingtan::Field::Framework)),
            "an unknown framework is refused on the framework field"
        );
        assert_eq!(
            e.field.map(crate::form_field),
            Some("framework"),
            "the Claim screen shows it next to its framework picker (`errors.framework`)"
        );
        assert_eq!(
            lingtan::Field::Framework.flag(Lang::En),
            "--framework",
            "the command line names it by its flag"
        );
        assert_eq!(
            lingtan::Field::Framework.name(Lang::Zh),
            "框架",
            "and a person by its label"
        );
        let e = super::settings(&p, "zcf-iii").expect_err("no framework zcf-iii");
        assert_eq!(
            e.field,
            Some(lingtan::Field::Framework),
            "the claim settings' framework too"
        );
    }

    #[test]
    fn a_cleared_field_of_the_form_clears_what_is_stored() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut p = project(dir.path());
        let mut form = lingtan_dto::ClaimSettingsDto {
            framework: "iso14068-1".into(),
            statement_date: Some("2026-03-10".into()),
            verifier: Some("Fictional Verification Co.".into()),
            ..Default::default()
        };
        p.set_claim("iso14068-1", &super::entry(&form))
            .expect("stored");
        form.verifier = Some(String::new());
        p.set_claim("iso14068-1", &super::entry(&form))
            .expect("stored");
        let s = super::settings(&p, "iso14068-1").expect("settings");
        assert_eq!(
            s.verifier, None,
            "the form sends every field: an emptied one clears the stored value"
        );
        assert_eq!(
            s.statement_date.as_deref(),
            Some("2026-03-10"),
            "the date kept: the form sent it again"
        );
    }

    #[test]
    fn a_period_of_a_year_or_of_two_days_and_a_bad_year_refused_on_the_year_field() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = project(dir.path());
        let req =
            |year: Option<&str>, from: Option<&str>, to: Option<&str>| lingtan_dto::ClaimRequest {
                framework: "iso14068-1".into(),
                year: year.map(String::from),
                from: from.map(String::from),
                to: to.map(String::from),
            };
        let whole = super::period(&p, &req(None, None, None)).expect("the project's year");
        assert_eq!(
            (whole.from().to_string(), whole.to().to_string()),
            ("2025-01-01".to_string(), "2025-12-31".to_string()),
            "no year: the project's"
        );
        let dates = super::period(
            &p,
            &req(Some("2024"), Some("2025-07-01"), Some("2026-06-30")),
        )
        .expect("dates");
        assert_eq!(
            dates.from().to_string(),
            "2025-07-01",
            "the dates given win over the year"
        );
        let bad = super::period(&p, &req(Some("twenty"), None, None)).expect_err("not a year");
        assert_eq!(
            bad.field.map(crate::form_field),
            Some("year"),
            "refused next to the year"
        );
        let half = super::period(&p, &req(None, Some("2025-07-01"), None)).expect_err("half");
        assert_eq!(
            half.field.map(crate::form_field),
            Some("to"),
            "the missing day is named"
        );
    }
}
