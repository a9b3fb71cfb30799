//! `lingtan claim`: a framework's checks on the project for a claim period (exit 5 when a check
//! fails), `claim set` (what the documents need beyond the data) and `claim show`.

use crate::face::{open, open_ro, print_json, RunError};
use crate::text;
use clap::{Args, Subcommand};
use lingtan::claim::ClaimSettingsEntry;
use lingtan::core::claim::{CheckStatus, Claim};
use lingtan::core::Lang;
use std::fmt::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct ClaimArgs {
    #[command(subcommand)]
    cmd: Option<ClaimCmd>,
    #[command(flatten)]
    check: Option<CheckArgs>,
}

/// Check the claim: `lingtan claim PROJECT --framework F (--year Y | --from … --to …)`.
#[derive(Args)]
pub struct CheckArgs {
    project: PathBuf,
    /// iso14068-1, pas2060, zcf-i or zcf-ii (optionally :EDITION, e.g. iso14068-1:2023)
    #[arg(long)]
    framework: String,
    /// The calendar year claimed (the project's year by default)
    #[arg(long, conflicts_with_all = ["from", "to"])]
    year: Option<i32>,
    /// First day of the claim period (YYYY-MM-DD), with --to
    #[arg(long, requires = "to")]
    from: Option<String>,
    /// Last day of the claim period (YYYY-MM-DD), with --from
    #[arg(long, requires = "from")]
    to: Option<String>,
    #[arg(long)]
    json: bool,
    /// Also write the documents (the statement, QES or self-evaluation, the management plan and
    /// the checks; DRAFT while a check fails) as a PDF
    #[arg(long)]
    pdf: Option<PathBuf>,
    /// Print the documents as text instead of the checks
    #[arg(long, conflicts_with = "json")]
    documents: bool,
}

#[derive(Subcommand)]
pub enum ClaimCmd {
    /// Store what the claim's documents need beyond the data (an empty value clears it)
    Set(Box<SetArgs>),
    /// Include a source in a framework's claim subject, exclude it with a reason, or clear the
    /// decision (back to the framework's default: scopes 1 and 2; zcf-ii also transport and
    /// purchased products)
    Subject(Box<SubjectArgs>),
    /// Show what is stored for a framework's claim
    Show {
        project: PathBuf,
        #[arg(long)]
        framework: String,
        #[arg(long)]
        json: bool,
    },
}

/// `claim set`'s flags.
#[derive(Args)]
pub struct SetArgs {
    project: PathBuf,
    #[arg(long)]
    framework: String,
    /// The date of the statement (ISO 14068-1) or declaration of achievement (PAS 2060), YYYY-MM-DD
    #[arg(long)]
    statement_date: Option<String>,
    /// third-party, other-party or self
    #[arg(long)]
    validation: Option<String>,
    /// The verification or validation body
    #[arg(long)]
    verifier: Option<String>,
    /// The senior representative who signs
    #[arg(long)]
    senior: Option<String>,
    /// The year the organisation commits to be carbon neutral by
    #[arg(long)]
    commitment_year: Option<String>,
    /// The subject of the claim (and why it was chosen)
    #[arg(long)]
    subject: Option<String>,
    /// Where the statement is made public
    #[arg(long)]
    published_at: Option<String>,
    /// The management plan's last review, YYYY-MM-DD
    #[arg(long)]
    plan_reviewed: Option<String>,
    /// yes: no period was claimed before this one; no: one was
    #[arg(long)]
    first_period: Option<String>,
    /// The zero-carbon-factory star level applied for: 3, 4, 5 or 6
    #[arg(long)]
    star_level: Option<String>,
    /// Why the subject was chosen (PAS 2060's QES)
    #[arg(long)]
    subject_rationale: Option<String>,
    /// The activities carried out in the subject (PAS 2060's QES)
    #[arg(long)]
    activities: Option<String>,
}

/// `claim subject`'s flags.
#[derive(Args)]
#[command(group(clap::ArgGroup::new("decision").required(true).args(["include", "exclude", "clear"])))]
pub struct SubjectArgs {
    project: PathBuf,
    #[arg(long)]
    framework: String,
    /// The emission source, by name
    #[arg(long)]
    source: String,
    /// Put the source in the subject
    #[arg(long)]
    include: bool,
    /// Leave the source out of the subject (with --reason)
    #[arg(long)]
    exclude: bool,
    /// Back to the framework's default subject
    #[arg(long)]
    clear: bool,
    /// Why the source is left out (with --exclude); written as given, in one or both languages
    #[arg(long)]
    reason: Option<String>,
    #[arg(long)]
    json: bool,
}

pub fn run(args: ClaimArgs, lang: Lang, lang_flag: Option<&str>) -> Result<ExitCode, RunError> {
    match (args.cmd, args.check) {
        (Some(cmd), _) => run_cmd(cmd, lang),
        (None, Some(a)) => check(a, lang, lang_flag),
        (None, None) => Err(RunError::Other(anyhow::anyhow!(
            "give a project and --framework, or `claim set` / `claim show`"
        ))),
    }
}

fn check(a: CheckArgs, lang: Lang, lang_flag: Option<&str>) -> Result<ExitCode, RunError> {
    // the documents' languages: zh, en or zh+en (as `lingtan report`); messages stay in `lang`
    let doc_lang = match lang_flag {
        Some(flag) => lingtan::export::Langs::parse(flag).ok_or_else(|| {
            lingtan::Error::new(
                "BAD_LANG",
                lingtan::Field::Lang,
                lingtan::words![
                    lingtan::Field::Lang,
                    format!(" '{flag}': choose zh, en or zh+en")
                ],
                lingtan::words![
                    lingtan::Field::Lang,
                    format!(" “{flag}”：请选择 zh、en 或 zh+en")
                ],
            )
        })?,
        None => lang.into(),
    };
    let lang = match lang_flag {
        Some(_) if doc_lang == lingtan::export::Langs::Both => Lang::En,
        _ => lang,
    };
    let p = open_ro(&a.project)?;
    let period = match (&a.from, &a.to) {
        (Some(from), Some(to)) => lingtan::claim::period(from, to)?,
        _ => lingtan::claim::year(match a.year {
            Some(y) => y,
            None => p.info()?.year,
        })?,
    };
    let (pack, facts, claim) = p.claim(&a.framework, period)?;
    let docs = if a.documents || a.pdf.is_some() {
        Some(p.claim_documents(
            &a.project,
            &pack,
            &facts,
            &claim,
            doc_lang,
            a.pdf.as_deref(),
        )?)
    } else {
        None
    };
    if a.json {
        print_json(&lingtan::claim::json(&claim, lang))?;
    } else if let (true, Some(d)) = (a.documents, &docs) {
        out!("{}", d.text);
    } else {
        out!("{}", summary(&claim, &p.info()?.org_name, lang));
    }
    if let Some(d) = &docs {
        for w in &d.warnings {
            eprintln!(
                "{}: {}",
                lang.pick("warning", "警告"),
                crate::face::message(w, lang)
            );
        }
        if let Some((path, bytes)) = &d.pdf {
            eprintln!(
                "{} {} ({} bytes{})",
                lang.pick("written", "已写入"),
                path.display(),
                bytes,
                if claim.ready {
                    ""
                } else {
                    lang.pick(", marked DRAFT", "，标为草稿")
                }
            );
        }
    }
    Ok(if claim.ready {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(5)
    })
}

fn figure(d: Option<lingtan::core::Decimal>, unit: &str) -> String {
    d.map(|v| format!("{}{unit}", text::fmt(v)))
        .unwrap_or_else(|| "—".into())
}

/// The claim as text: the figures, then every check with its clause, what was found and what
/// to do.
pub fn summary(c: &Claim, org: &str, lang: Lang) -> String {
    let l = |en: &'static str, zh: &'static str| lang.pick(en, zh);
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{} — {} {} ({}) {}",
        text::p(org),
        l("Claim", "声明"),
        c.designation,
        c.edition,
        c.period.label()
    );
    let _ = writeln!(s);
    let rows = [
        (
            l("Subject emissions (tCO2e)", "声明对象排放（tCO2e）"),
            figure(Some(c.subject_tco2e), ""),
        ),
        (
            l("Reductions against the base year", "相对基准年减排"),
            figure(c.reductions_tco2e, ""),
        ),
        (
            l(
                "Certificates in scope 2 (apart, not a credit)",
                "证书对范围二的影响（单列，不属于碳信用）",
            ),
            figure(Some(c.eac_tco2e), ""),
        ),
        (
            l("Credits counted", "计入的碳信用"),
            figure(Some(c.credits_tco2e), ""),
        ),
        (l("Coverage", "覆盖率"), figure(c.coverage_pct, " %")),
    ];
    for (label, value) in rows {
        let _ = writeln!(s, "  {}{}", text::pad(label, 48), text::lpad(&value, 14));
    }
    let _ = writeln!(s);
    let verdict = if c.ready {
        l("Ready: no check fails.", "可以声明：没有未通过的检查。").to_string()
    } else {
        format!(
            "{} {}",
            l("Not ready: checks fail:", "尚不能声明：未通过的检查："),
            c.failed().count()
        )
    };
    let _ = writeln!(s, "{verdict}");
    let _ = writeln!(s);
    for k in &c.checks {
        let mark = match k.status {
            CheckStatus::Pass => "✓",
            CheckStatus::Warn => "!",
            CheckStatus::Fail => "✗",
        };
        let unconfirmed = if k.confirmed {
            ""
        } else {
            l(" (unconfirmed)", "（未经确认）")
        };
        let _ = writeln!(s, "{mark} {} — {}", k.code, k.title.pick(lang));
        let _ = writeln!(s, "    {}{unconfirmed}", k.clause.pick(lang));
        let _ = writeln!(s, "    {}", k.found.pick(lang));
        if let Some(t) = &k.todo {
            let _ = writeln!(s, "    {} {}", l("To do:", "待办："), t.pick(lang));
        }
        for p in k.places.iter().take(10) {
            let _ = writeln!(s, "    - {}", p.label);
        }
        if k.places.len() > 10 {
            let _ = writeln!(
                s,
                "    - {} {}",
                k.places.len() - 10,
                l("more", "项（其余）")
            );
        }
        if let Some(n) = &k.note {
            let _ = writeln!(s, "    {} {}", l("Note:", "注："), n.pick(lang));
        }
    }
    for n in &c.notes {
        let _ = writeln!(s);
        let _ = writeln!(
            s,
            "{} {} ({})",
            l("Note:", "注："),
            n.text.pick(lang),
            n.source
        );
    }
    s
}

fn run_cmd(cmd: ClaimCmd, lang: Lang) -> Result<ExitCode, RunError> {
    let l = |en: &'static str, zh: &'static str| lang.pick(en, zh);
    match cmd {
        ClaimCmd::Set(args) => {
            let SetArgs {
                project,
                framework,
                statement_date,
                validation,
                verifier,
                senior,
                commitment_year,
                subject,
                published_at,
                plan_reviewed,
                first_period,
                star_level,
                subject_rationale,
                activities,
            } = *args;
            let mut p = open(&project)?;
            let row = p.set_claim(
                &framework,
                &ClaimSettingsEntry {
                    statement_date,
                    verification: validation,
                    verifier,
                    senior,
                    commitment_year,
                    subject,
                    published_at,
                    plan_reviewed,
                    first_period,
                    star_level,
                    subject_rationale,
                    activities,
                },
            )?;
            outln!(
                "{} {}",
                l("claim settings stored for", "已保存声明设置："),
                row.framework
            );
            Ok(ExitCode::SUCCESS)
        }
        ClaimCmd::Subject(args) => {
            let SubjectArgs {
                project,
                framework,
                source,
                include,
                exclude,
                clear: _,
                reason,
                json,
            } = *args;
            let decision = if include {
                "include"
            } else if exclude {
                "exclude"
            } else {
                "clear"
            };
            let mut p = open(&project)?;
            let row = p.set_claim_subject(&framework, &source, decision, reason.as_deref())?;
            if json {
                print_json(&serde_json::to_value(&row)?)?;
            } else {
                let what = match decision {
                    "include" => l("included in the subject of", "已纳入声明对象："),
                    "exclude" => l("excluded from the subject of", "已排除出声明对象："),
                    _ => l("back to the default subject of", "已恢复为默认声明对象："),
                };
                outln!("{} {what} {}", text::p(source.trim()), row.framework);
            }
            Ok(ExitCode::SUCCESS)
        }
        ClaimCmd::Show {
            project,
            framework,
            json,
        } => {
            let p = open_ro(&project)?;
            let (framework, _) = lingtan::claim::pack(&framework)?;
            let row = p.claim_settings(framework)?;
            let decisions = p.claim_subject_lines(framework)?;
            if json {
                let mut v = serde_json::to_value(&row)?;
                v["subject_decisions"] = serde_json::to_value(&decisions)?;
                print_json(&v)?;
            } else {
                let dash = |v: &Option<String>| v.clone().unwrap_or_else(|| "—".into());
                let rows = [
                    (l("statement date", "声明日期"), dash(&row.statement_date)),
                    (l("validation", "核证类型"), dash(&row.verification)),
                    (l("verifier", "核证机构"), dash(&row.verifier)),
                    (l("senior representative", "高级代表"), dash(&row.senior)),
                    (
                        l("commitment year", "承诺年份"),
                        row.commitment_year
                            .map(|y| y.to_string())
                            .unwrap_or_else(|| "—".into()),
                    ),
                    (l("subject", "声明对象"), dash(&row.subject)),
                    (
                        l("subject rationale", "声明对象选择理由"),
                        dash(&row.subject_rationale),
                    ),
                    (l("activities", "对象内活动"), dash(&row.activities)),
                    (l("published at", "公开位置"), dash(&row.published_at)),
                    (l("plan reviewed", "计划评审日期"), dash(&row.plan_reviewed)),
                    (
                        l("star level", "申请星级"),
                        row.star_level
                            .map(|v| format!("{v}★"))
                            .unwrap_or_else(|| "—".into()),
                    ),
                    (
                        l("first period", "首个期间"),
                        match row.first_period {
                            None => l("yes (default)", "是（默认）").to_string(),
                            Some(true) => l("yes", "是").to_string(),
                            Some(false) => l("no", "否").to_string(),
                        },
                    ),
                ];
                outln!("{} — {}", l("Claim settings", "声明设置"), row.framework);
                for (k, v) in rows {
                    outln!("  {}{v}", text::pad(k, 24));
                }
                outln!(
                    "{}",
                    l(
                        "Subject decisions (otherwise the framework's default: scopes 1 and 2; zcf-ii also categories 3 and 4)",
                        "声明对象决定（其余按框架默认：范围一、二；zcf-ii 另含类别 3、4）"
                    )
                );
                if decisions.is_empty() {
                    outln!("  {}", l("none", "无"));
                }
                for d in &decisions {
                    let what = match d.decision {
                        lingtan::SubjectDecision::Include => l("include", "纳入"),
                        _ => l("exclude", "排除"),
                    };
                    match &d.reason {
                        Some(r) => outln!(
                            "  {}{} — {} ({})",
                            text::pad(what, 9),
                            text::p(&d.source),
                            text::p(r),
                            d.at
                        ),
                        None => outln!("  {}{} ({})", text::pad(what, 9), text::p(&d.source), d.at),
                    }
                }
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
