//! `lingtan dossier`: the certifier's dossier folder, and `lingtan dossier verify` on one.

use crate::face::{clock, open_ro, print_json, RunError};
use crate::text;
use clap::{Args, Subcommand};
use lingtan::core::Lang;
use lingtan::dossier::{DifferenceKind, DossierCheck, Request};
use lingtan::{words, Field};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct DossierArgs {
    #[command(subcommand)]
    verify: Option<DossierCmd>,
    /// The project file
    #[arg(required = true)]
    project: Option<PathBuf>,
    /// iso14068-1, pas2060, zcf-i or zcf-ii (optionally :EDITION, e.g. iso14068-1:2023)
    #[arg(long, required = true)]
    framework: Option<String>,
    /// The claim period: a calendar year …
    #[arg(long)]
    year: Option<i32>,
    /// … or its first and last day (YYYY-MM-DD)
    #[arg(long)]
    from: Option<String>,
    #[arg(long)]
    to: Option<String>,
    /// The dossier's folder: new, or empty
    #[arg(long, required = true)]
    out: Option<PathBuf>,
    /// Print the manifest as JSON
    #[arg(long)]
    json: bool,
}

#[derive(Subcommand)]
pub enum DossierCmd {
    /// Check a dossier: every file's SHA-256 and the root, the snapshot's audit chain, and the
    /// figures recomputed from the snapshot against the manifest (exit 4 when anything differs).
    /// The folder is only read.
    Verify(VerifyArgs),
}

#[derive(Args)]
pub struct VerifyArgs {
    dir: PathBuf,
    #[arg(long)]
    json: bool,
}

pub fn run(args: DossierArgs, lang: Lang, lang_flag: Option<&str>) -> Result<ExitCode, RunError> {
    if let Some(DossierCmd::Verify(v)) = args.verify {
        return verify(v, lang);
    }
    let (Some(project), Some(framework), Some(out)) = (args.project, args.framework, args.out)
    else {
        // clap requires them without the subcommand
        return Ok(ExitCode::from(2));
    };
    let doc_lang = match lang_flag {
        Some(flag) => lingtan::export::Langs::parse(flag).ok_or_else(|| {
            lingtan::Error::new(
                "BAD_LANG",
                Field::Lang,
                words![Field::Lang, format!(" '{flag}': choose zh, en or zh+en")],
                words![Field::Lang, format!(" “{flag}”：请选择 zh、en 或 zh+en")],
            )
        })?,
        None => lang.into(),
    };
    let p = open_ro(&project)?;
    let request = Request {
        framework,
        year: args.year,
        from: args.from,
        to: args.to,
        lang: doc_lang,
    };
    let made = p.dossier(&out, &request)?;
    for w in &made.warnings {
        eprintln!(
            "{}: {}",
            lang.pick("warning", "警告"),
            text::p(&format!(
                "{} / {}",
                crate::face::message(w, Lang::En),
                crate::face::message(w, Lang::Zh)
            ))
        );
    }
    if args.json {
        print_json(&serde_json::to_value(&made.manifest)?)?;
    } else {
        for (path, bytes) in &made.files {
            outln!(
                "{} {} ({} bytes)",
                lang.pick("written", "已写入"),
                text::p(&path.display().to_string()),
                bytes
            );
        }
        outln!("{}: {}", lang.pick("root", "根哈希"), made.manifest.root);
    }
    Ok(ExitCode::SUCCESS)
}

fn kind(k: DifferenceKind, lang: Lang) -> &'static str {
    match k {
        DifferenceKind::Added => lang.pick("added", "新增"),
        DifferenceKind::Missing => lang.pick("missing", "缺失"),
        DifferenceKind::Changed => lang.pick("changed", "被修改"),
        DifferenceKind::Manifest => lang.pick("manifest", "清单"),
        DifferenceKind::Snapshot => lang.pick("snapshot", "快照"),
        DifferenceKind::Audit => lang.pick("audit", "审计"),
        DifferenceKind::Figure => lang.pick("figure", "数据"),
    }
}

fn verify(args: VerifyArgs, lang: Lang) -> Result<ExitCode, RunError> {
    let check = lingtan::dossier::verify(&args.dir, clock())?;
    if args.json {
        print_json(&serde_json::json!({
            "ok": check.ok(),
            "dir": check.dir.display().to_string(),
            "framework": check.framework,
            "period": check.period,
            "root": check.root,
            "files_checked": check.files_checked,
            "figures_checked": check.figures_checked,
            "audit_entries": check.audit.as_ref().map(|a| a.entries),
            "differences": check.differences,
        }))?;
    } else {
        out!("{}", verification_text(&check, lang));
    }
    Ok(if check.ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(4)
    })
}

fn verification_text(c: &DossierCheck, lang: Lang) -> String {
    let mut s = String::new();
    let l = |en: &'static str, zh: &'static str| lang.pick(en, zh);
    s.push_str(&format!(
        "{} {}\n",
        l("Dossier", "资料包"),
        text::p(&c.dir.display().to_string())
    ));
    if let (Some(f), Some(p)) = (&c.framework, &c.period) {
        s.push_str(&format!(
            "{}: {f}, {}: {} – {}\n",
            l("framework", "框架"),
            l("period", "期间"),
            text::p(&p.from),
            text::p(&p.to)
        ));
    }
    s.push_str(&format!(
        "{}: {}, {}: {}",
        l("files checked", "已核验文件"),
        c.files_checked,
        l("figures checked", "已核验数据"),
        c.figures_checked
    ));
    if let Some(a) = &c.audit {
        s.push_str(&format!(
            ", {}: {}",
            l("audit entries of the snapshot", "快照审计日志条目"),
            a.entries
        ));
    }
    s.push('\n');
    if c.ok() {
        s.push_str(l(
            "✓ every file, the root, the snapshot's audit chain and every figure agree with the manifest\n",
            "✓ 所有文件、根哈希、快照的审计链及全部数据均与清单一致\n",
        ));
        return s;
    }
    s.push_str(&format!(
        "✗ {} {}\n",
        c.differences.len(),
        l("difference(s):", "处不一致：")
    ));
    for d in &c.differences {
        s.push_str(&format!(
            "  [{}] {}: {}",
            kind(d.kind, lang),
            text::p(&d.what),
            text::p(lang.pick(&d.en, &d.zh))
        ));
        if d.expected.is_some() || d.found.is_some() {
            s.push_str(&format!(
                " ({} {}, {} {})",
                l("manifest", "清单"),
                text::p(d.expected.as_deref().unwrap_or("—")),
                l("found", "实际"),
                text::p(d.found.as_deref().unwrap_or("—"))
            ));
        }
        s.push('\n');
    }
    s
}
