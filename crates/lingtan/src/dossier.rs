//! The dossier for the certifier (零碳认证资料包): one folder with the PDF, the workbook, every
//! evidence file used, a snapshot of the project and a manifest of their SHA-256 with one root
//! hash — and `verify`, which a certifier runs on what they received, offline.
//!
//! Everything the dossier states is gathered once, by [`Project::dossier_contents`]: the figures
//! (from the offset summary of the period, which rests on the inventory), the report's data (its
//! inventory, reduction and offset sections), the evidence files, and what the figures were
//! computed from (data fingerprint, audit chain head). `verify` calls the same function on the
//! snapshot and compares. The claim (statement or QES, management plan, the framework's checks
//! and the claim's figures) is gathered there too, and its documents open `dossier.pdf`.
//!
//! Manifest lines (what the root hashes): one line per file of the folder other than
//! `manifest.json` and `manifest.txt`, `SHA256  BYTES  PATH\n` (64 lowercase hex digits, two
//! spaces, the size in bytes in decimal, two spaces, the path relative to the folder with `/`
//! between its parts), sorted by path (bytewise, UTF-8); the root is the SHA-256 (lowercase hex)
//! of all the lines joined. `sha256sum` checks the first and last columns.
//!
//! The same project and options give the same bytes: every file's content comes from the project
//! (dates included), never from the clock.

use crate::export::Langs;
use crate::files::{self, Fill, ScratchCopy};
use crate::{words, Access, Clock, Error, Field, Project, Result};
use lingtan_core::claim::{ClaimError, ClaimPeriod, Framework};
use lingtan_core::{Decimal, Lang};
use lingtan_store::{sha256_hex, Evidence, Verification};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The manifest's format, written into it.
pub const FORMAT: &str = "lingtan-dossier/1";
pub const MANIFEST_JSON: &str = "manifest.json";
pub const MANIFEST_TXT: &str = "manifest.txt";
pub const SNAPSHOT: &str = "project.lingtan";
/// The dossier's one PDF: first the claim's documents — the statement (ISO 14068-1), the
/// declaration and its QES (PAS 2060) or the self-evaluation (T/CECA-G 0171), the management
/// plan and the framework's checks, marked DRAFT with the reasons while a check fails — then the
/// inventory report with its reduction and offset sections; one page numbering.
pub const PDF: &str = "dossier.pdf";
pub const WORKBOOK: &str = "workbook.xlsx";

/// What a dossier is asked for.
#[derive(Debug, Clone)]
pub struct Request {
    /// `iso14068-1`, `pas2060`, `zcf-i`, `zcf-ii`, optionally `:EDITION`.
    pub framework: String,
    pub year: Option<i32>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub lang: Langs,
}

/// The claim period of the manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PeriodJson {
    pub from: String,
    pub to: String,
}

/// What the dossier was made from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreatedFrom {
    /// The data fingerprint of the period's inventory.
    pub fingerprint: String,
    /// The head of the project's audit chain.
    pub audit_head: String,
}

/// A file of the dossier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileEntry {
    pub path: String,
    pub sha256: String,
    pub bytes: u64,
}

/// `manifest.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub format: String,
    /// `iso14068-1` …
    pub framework: String,
    /// `iso14068-1:2023` …
    pub edition: String,
    pub period: PeriodJson,
    /// `zh`, `en` or `zh+en`: the language of the documents.
    pub lang: String,
    pub created_from: CreatedFrom,
    /// The figures the documents state, as decimal text (none when not defined, e.g. a coverage
    /// without residual emissions), by name.
    pub figures: BTreeMap<String, Option<String>>,
    /// Which records use each evidence file (its name gives the first).
    pub evidence: Vec<EvidenceEntry>,
    pub files: Vec<FileEntry>,
    pub root: String,
}

/// The line of a file in the manifest (see the module's documentation).
pub fn line(f: &FileEntry) -> String {
    format!("{}  {}  {}\n", f.sha256, f.bytes, f.path)
}

/// The root over `files` (sorted by path here, whatever their order).
pub fn root(files: &[FileEntry]) -> String {
    let mut sorted: Vec<&FileEntry> = files.iter().collect();
    sorted.sort_by(|a, b| a.path.as_bytes().cmp(b.path.as_bytes()));
    let text: String = sorted.iter().map(|f| line(f)).collect();
    sha256_hex(text.as_bytes())
}

fn lang_code(lang: Langs) -> &'static str {
    match lang {
        Langs::One(Lang::Zh) => "zh",
        Langs::One(Lang::En) => "en",
        Langs::Both => "zh+en",
    }
}

/// `manifest.txt`: the manifest for a person, made from `manifest.json` alone (verify remakes it
/// and compares).
pub fn manifest_text(m: &Manifest) -> String {
    let mut t = String::new();
    t.push_str("Lingtan dossier · 零碳认证资料包\n");
    t.push_str(&format!("format 格式: {}\n", m.format));
    t.push_str(&format!(
        "framework 框架: {} ({})\n",
        m.framework, m.edition
    ));
    t.push_str(&format!(
        "period 期间: {} – {}\n",
        m.period.from, m.period.to
    ));
    t.push_str(&format!("language 语言: {}\n", m.lang));
    t.push_str(&format!(
        "data fingerprint 数据指纹: {}\n",
        m.created_from.fingerprint
    ));
    t.push_str(&format!(
        "audit chain head 审计链头: {}\n",
        m.created_from.audit_head
    ));
    t.push_str("\nfigures 数据:\n");
    for (name, value) in &m.figures {
        t.push_str(&format!("  {name} = {}\n", value.as_deref().unwrap_or("—")));
    }
    t.push_str("\nevidence 证据 (file 文件: records 记录):\n");
    for e in &m.evidence {
        t.push_str(&format!("  {}: {}\n", e.path, e.records.join(", ")));
    }
    t.push_str("\nfiles 文件 (SHA-256  bytes 字节  path 路径):\n");
    let mut sorted: Vec<&FileEntry> = m.files.iter().collect();
    sorted.sort_by(|a, b| a.path.as_bytes().cmp(b.path.as_bytes()));
    for f in sorted {
        t.push_str(&line(f));
    }
    t.push_str(&format!(
        "\nroot 根哈希 = SHA-256 of the lines above 以上各行的 SHA-256:\n{}\n",
        m.root
    ));
    t.push_str("\nCheck it 核验: lingtan dossier verify FOLDER\n");
    t
}

/// An evidence file of the dossier: the stored file and the records that use it.
#[derive(Debug, Clone)]
pub struct EvidenceUse {
    /// `batch-3`, `activity-12`, `certificate-5`, `credit-7-statement` …: the first names the
    /// file.
    pub records: Vec<String>,
    pub evidence: Evidence,
}

impl EvidenceUse {
    /// Its path in the dossier: `evidence/RECORD-FILE_NAME` (its first record), the name made
    /// safe.
    pub fn path(&self) -> String {
        let first = self.records.first().map(String::as_str).unwrap_or("file");
        format!("evidence/{first}-{}", safe_name(&self.evidence.file_name))
    }
}

/// Which records use an evidence file of the dossier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvidenceEntry {
    pub path: String,
    pub records: Vec<String>,
}

/// A file name that is one plain part of a path on every system: no separators, no control
/// characters, no leading dot, at most 100 characters.
fn safe_name(name: &str) -> String {
    let mut s: String = name
        .chars()
        .map(|c| {
            if c.is_control() || matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') {
                '_'
            } else {
                c
            }
        })
        .take(100)
        .collect();
    while s.starts_with('.') || s.starts_with(' ') {
        s.remove(0);
    }
    if s.trim().is_empty() {
        s = "file".into();
    }
    s
}

/// Everything the dossier states, gathered once.
#[derive(Debug, Clone)]
pub struct Contents {
    pub framework: Framework,
    pub edition: &'static str,
    pub period: ClaimPeriod,
    pub created_from: CreatedFrom,
    pub figures: BTreeMap<String, Option<String>>,
    /// The report's data (inventory, reduction and offset sections), when the documents are
    /// asked for.
    pub report: Option<crate::export::Data>,
    /// The claim's documents' data, when the documents are asked for.
    pub claim: Option<lingtan_report::claim::ClaimDocs>,
    pub evidence: Vec<EvidenceUse>,
}

fn claim_error(e: ClaimError) -> Error {
    Error::new(
        e.code(),
        Field::from_code(e.field()),
        e.message_en(),
        e.message_zh(),
    )
}

fn figure(d: Option<Decimal>) -> Option<String> {
    d.map(|d| d.normalize().to_string())
}

/// The period asked for: `--year`, or `--from` and `--to` (any period of whole days).
fn period_of(request: &Request) -> Result<ClaimPeriod> {
    match (request.year, &request.from, &request.to) {
        (Some(y), None, None) => ClaimPeriod::calendar_year(y).map_err(claim_error),
        (None, Some(f), Some(t)) => ClaimPeriod::parse(f, t).map_err(claim_error),
        (Some(_), _, _) => Err(Error::new(
            "PERIOD_TWICE",
            Field::Year,
            words![
                "give the period once: ",
                Field::Year,
                ", or ",
                Field::From,
                " and ",
                Field::To
            ],
            words![
                "期间只需给出一次：",
                Field::Year,
                "，或 ",
                Field::From,
                " 与 ",
                Field::To
            ],
        )),
        (None, None, None) => Err(Error::new(
            "PERIOD_MISSING",
            Field::Year,
            words![
                "name the claim period: ",
                Field::Year,
                ", or ",
                Field::From,
                " and ",
                Field::To
            ],
            words![
                "请给出声明期间：",
                Field::Year,
                "，或 ",
                Field::From,
                " 与 ",
                Field::To
            ],
        )),
        (None, f, _) => {
            let missing = if f.is_some() { Field::To } else { Field::From };
            Err(Error::new(
                "PERIOD_MISSING",
                missing,
                words![
                    "a period of days needs both ",
                    Field::From,
                    " and ",
                    Field::To
                ],
                words![
                    "按日期给出的期间需要同时给出 ",
                    Field::From,
                    " 与 ",
                    Field::To
                ],
            ))
        }
    }
}

impl Project {
    /// Gather what the dossier states for `framework` and the period: the ONE function the
    /// dossier and its verification both call. `documents`: also the report's data (the
    /// dossier renders it; verify needs the figures and the evidence alone).
    pub fn dossier_contents(
        &self,
        framework: &str,
        period: &ClaimPeriod,
        documents: bool,
    ) -> Result<Contents> {
        let framework_text = framework;
        let (framework, edition) = Framework::parse(framework).map_err(claim_error)?;
        let today = self.now();
        if let Some(today) = today
            .get(..10)
            .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        {
            if period.to() > today {
                return Err(claim_error(ClaimError::PeriodInFuture {
                    to: period.to(),
                    today,
                }));
            }
        }
        // the offset summary and the claim from one computation of the period
        let (pack, facts, claim, offset) = self.claim_with_offset(framework_text, *period)?;
        let s = &offset.summary;
        let t = &offset.summary;
        let mut figures: BTreeMap<String, Option<String>> = BTreeMap::new();
        let mut put = |name: &str, d: Option<Decimal>| {
            figures.insert(name.to_string(), figure(d));
        };
        // the subject: scopes 1 and 2 (market-based, after certificates) — what credits cover
        put("subject_tco2e", Some(s.residual_tco2e));
        put(
            "scope2_market_before_eac_tco2e",
            Some(s.scope2_market_before_eac_tco2e),
        );
        put("scope2_market_tco2e", Some(s.scope2_market_tco2e));
        put(
            "eac_tco2e",
            Some(s.scope2_market_before_eac_tco2e - s.scope2_market_tco2e),
        );
        put("credits_retired_tco2e", Some(t.credits.retired_tco2e));
        put("credits_tco2e", Some(t.credits.counted_tco2e));
        put("removals_tco2e", Some(t.credits.removal_tco2e));
        put("coverage_pct", s.coverage_pct);
        put("shortfall_tco2e", Some(s.shortfall_tco2e));
        put("renewable_energy_pct", s.shares.renewable_energy_pct);
        put("green_power_pct", s.shares.green_power_pct);
        // the claim: its figures (the framework's subject — for zcf-ii with transport and
        // purchased products —, the reductions, the coverage, whether every check passes) and,
        // with the documents, the statement or QES, the plan and the checks; the dossier and
        // `dossier verify` both take them from here
        put("subject_tco2e", Some(claim.subject_tco2e));
        put("reductions_tco2e", claim.reductions_tco2e);
        put("claim_eac_tco2e", Some(claim.eac_tco2e));
        put("claim_credits_tco2e", Some(claim.credits_tco2e));
        put("claim_coverage_pct", claim.coverage_pct);
        figures.insert("ready".to_string(), Some(claim.ready.to_string()));
        figures.insert(
            "checks_failed".to_string(),
            Some(claim.failed().count().to_string()),
        );
        let claim_docs = if documents {
            Some(self.claim_docs(&pack, &facts, &claim)?)
        } else {
            None
        };
        let created_from = CreatedFrom {
            fingerprint: offset.fingerprint.clone(),
            audit_head: offset.audit_head.clone(),
        };
        let evidence = {
            let from = period.from().to_string();
            let to = period.to().to_string();
            let mut used: Vec<(String, Evidence)> = self.store.activity_evidence(&from, &to)?;
            for c in &offset.certificates {
                let n = c.record;
                for (suffix, e) in [("", &c.document), ("-statement", &c.statement)] {
                    if let Some(e) = e {
                        used.push((format!("certificate-{n}{suffix}"), e.clone()));
                    }
                }
            }
            for c in &offset.credits {
                let n = c.credit.id;
                for (suffix, e) in [("", &c.document), ("-statement", &c.statement)] {
                    if let Some(e) = e {
                        used.push((format!("credit-{n}{suffix}"), e.clone()));
                    }
                }
            }
            // one file per stored file, named by the first record that uses it
            let mut evidence: Vec<EvidenceUse> = Vec::new();
            for (record, e) in used {
                match evidence.iter_mut().find(|u| u.evidence.id == e.id) {
                    Some(u) => u.records.push(record),
                    None => evidence.push(EvidenceUse {
                        records: vec![record],
                        evidence: e,
                    }),
                }
            }
            evidence
        };
        let report = if documents {
            Some(self.report_data_period(*period)?)
        } else {
            None
        };
        Ok(Contents {
            framework,
            edition,
            period: *period,
            created_from,
            figures,
            report,
            claim: claim_docs,
            evidence,
        })
    }

    /// Write the dossier into `out` (a new or empty folder): refused, with nothing written, when
    /// the folder is not empty or the project fails `audit --verify`.
    pub fn dossier(&self, out: &Path, request: &Request) -> Result<Made> {
        let folder = files::check_folder(out, Field::Out)?;
        let period = period_of(request)?;
        let verification = self.verify()?;
        if !verification.ok() {
            let n = verification.findings.len();
            return Err(Error::new(
                "DOSSIER_AUDIT_FAILED",
                Field::Project,
                format!("the project fails the audit verification ({n} finding(s)): a certifier could not trust its figures; see what the verification found, restore a backup or find what changed, then make the dossier again"),
                format!("项目未通过审计校验（{n} 项发现）：认证机构无法信任其数据；请查看校验结果，恢复备份或查明变更后再生成资料包"),
            ));
        }
        let contents = self.dossier_contents(&request.framework, &period, true)?;
        let data = contents.report.as_ref().ok_or_else(|| {
            Error::new(
                "DOSSIER_INTERNAL",
                None,
                "the report's data was not gathered",
                "未收集报告数据",
            )
        })?;
        // one PDF: the claim's documents, then the report
        let rendered = lingtan_report::render_dossier(data, contents.claim.as_ref(), request.lang)?;
        let pdf = rendered.pdf.unwrap_or_default();
        let xlsx = rendered.xlsx.unwrap_or_default();
        // the snapshot: a consistent copy (the backup's path), read back to hash it
        let scratch = ScratchCopy::new(&[], SNAPSHOT)?;
        self.store.copy_into(scratch.path())?;
        let snapshot = scratch.read()?;
        let mut contents_of: Vec<(String, Vec<u8>)> =
            vec![(PDF.to_string(), pdf), (WORKBOOK.to_string(), xlsx)];
        let evidence_entries = evidence_entries(&contents.evidence);
        for e in &contents.evidence {
            let path = e.path();
            if !contents_of.iter().any(|(p, _)| *p == path) {
                contents_of.push((path, self.store.evidence_content(e.evidence.id)?));
            }
        }
        contents_of.push((SNAPSHOT.to_string(), snapshot));
        let entries: Vec<FileEntry> = contents_of
            .iter()
            .map(|(path, bytes)| FileEntry {
                path: path.clone(),
                sha256: sha256_hex(bytes),
                bytes: bytes.len() as u64,
            })
            .collect();
        let mut sorted = entries.clone();
        sorted.sort_by(|a, b| a.path.as_bytes().cmp(b.path.as_bytes()));
        let manifest = Manifest {
            format: FORMAT.to_string(),
            framework: contents.framework.id().to_string(),
            edition: contents.edition.to_string(),
            period: PeriodJson {
                from: period.from().to_string(),
                to: period.to().to_string(),
            },
            lang: lang_code(request.lang).to_string(),
            created_from: contents.created_from.clone(),
            figures: contents.figures.clone(),
            evidence: evidence_entries,
            root: root(&sorted),
            files: sorted,
        };
        let mut json = serde_json::to_string_pretty(&manifest).map_err(|e| {
            Error::new(
                "DOSSIER_INTERNAL",
                None,
                format!("the manifest cannot be written: {e}"),
                format!("无法写出清单：{e}"),
            )
        })?;
        json.push('\n');
        let text = manifest_text(&manifest);
        let mut fills: Vec<(String, Fill<'_>)> = contents_of
            .iter()
            .map(|(p, b)| (p.clone(), Fill::Bytes(b)))
            .collect();
        fills.push((MANIFEST_JSON.to_string(), Fill::Bytes(json.as_bytes())));
        fills.push((MANIFEST_TXT.to_string(), Fill::Bytes(text.as_bytes())));
        let written = folder.write(fills)?;
        Ok(Made {
            dir: out.to_path_buf(),
            files: written.into_iter().map(|w| (w.path, w.bytes)).collect(),
            manifest,
            warnings: rendered.warnings,
        })
    }
}

/// What `dossier` wrote.
#[derive(Debug, Clone)]
pub struct Made {
    pub dir: PathBuf,
    pub files: Vec<(PathBuf, u64)>,
    pub manifest: Manifest,
    /// Characters the PDF font cannot print, as for the report.
    pub warnings: Vec<Error>,
}

/// What kind of difference `verify` found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DifferenceKind {
    /// A file in the folder the manifest does not list.
    Added,
    /// A file the manifest lists that is not in the folder.
    Missing,
    /// A file whose SHA-256 or size is not the manifest's.
    Changed,
    /// The manifest itself: unreadable, its root not its files', manifest.txt not its text.
    Manifest,
    /// The snapshot cannot be opened or its figures computed.
    Snapshot,
    /// A finding of the audit verification of the snapshot.
    Audit,
    /// A figure (or what it was made from) the snapshot does not give.
    Figure,
}

/// One difference.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Difference {
    pub kind: DifferenceKind,
    /// The file's path, the figure's name, or the audit finding's place.
    pub what: String,
    /// What the manifest says.
    pub expected: Option<String>,
    /// What the folder or the snapshot gives.
    pub found: Option<String>,
    pub en: String,
    pub zh: String,
}

/// The result of `dossier verify`.
#[derive(Debug, Clone, Serialize)]
pub struct DossierCheck {
    pub dir: PathBuf,
    pub framework: Option<String>,
    pub period: Option<PeriodJson>,
    pub root: Option<String>,
    pub files_checked: usize,
    pub figures_checked: usize,
    /// The snapshot's audit verification, when it could be run.
    pub audit: Option<Verification>,
    pub differences: Vec<Difference>,
}

impl DossierCheck {
    /// Everything agrees.
    pub fn ok(&self) -> bool {
        self.differences.is_empty()
    }
}

fn diff(
    kind: DifferenceKind,
    what: impl Into<String>,
    expected: Option<String>,
    found: Option<String>,
    en: impl Into<String>,
    zh: impl Into<String>,
) -> Difference {
    Difference {
        kind,
        what: what.into(),
        expected,
        found,
        en: en.into(),
        zh: zh.into(),
    }
}

/// A file found in the folder: its content, or why it is not a regular file.
enum Found {
    File(Vec<u8>),
    Other(&'static str),
}

/// Every entry under `dir`, by relative path (`/` between parts); links are not followed and
/// nothing but regular files is read (a FIFO cannot hang the check).
fn walk(dir: &Path, rel: &str, out: &mut BTreeMap<String, Found>) -> std::io::Result<()> {
    let mut entries: Vec<std::fs::DirEntry> =
        std::fs::read_dir(dir)?.collect::<std::io::Result<_>>()?;
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let name = e.file_name().to_string_lossy().into_owned();
        let path = if rel.is_empty() {
            name
        } else {
            format!("{rel}/{name}")
        };
        let ty = e.file_type()?;
        if ty.is_dir() {
            walk(&e.path(), &path, out)?;
        } else if ty.is_file() {
            out.insert(path, Found::File(std::fs::read(e.path())?));
        } else if ty.is_symlink() {
            out.insert(path, Found::Other("a symbolic link"));
        } else {
            out.insert(path, Found::Other("not a regular file"));
        }
    }
    Ok(())
}

/// Check a dossier folder: every file's hash and the root, `manifest.txt`, the snapshot's audit
/// chain (opened read-only and immutable, or from a copy: the folder is only read) and its
/// figures against the manifest.
/// Refused only when `dir` is not a folder; everything else found is a [`Difference`].
pub fn verify(dir: &Path, clock: Clock) -> Result<DossierCheck> {
    use DifferenceKind as K;
    if !std::fs::symlink_metadata(dir).is_ok_and(|m| m.is_dir()) {
        return Err(Error::new(
            "DOSSIER_NOT_A_FOLDER",
            Field::Dest,
            format!(
                "{}: not a folder; give the dossier's folder (the one holding manifest.json)",
                dir.display()
            ),
            format!(
                "{}：不是文件夹；请给出资料包所在文件夹（其中有 manifest.json）",
                dir.display()
            ),
        ));
    }
    let mut found = BTreeMap::new();
    walk(dir, "", &mut found).map_err(|e| {
        Error::new(
            "DOSSIER_UNREADABLE",
            Field::Dest,
            format!("{}: cannot read the folder: {e}", dir.display()),
            format!("{}：无法读取该文件夹：{e}", dir.display()),
        )
    })?;
    let mut check = DossierCheck {
        dir: dir.to_path_buf(),
        framework: None,
        period: None,
        root: None,
        files_checked: 0,
        figures_checked: 0,
        audit: None,
        differences: Vec::new(),
    };
    let d = &mut check.differences;
    let manifest: Option<Manifest> = match found.remove(MANIFEST_JSON) {
        Some(Found::File(bytes)) => {
            match serde_json::from_slice::<Manifest>(&bytes) {
                Ok(m) if m.format == FORMAT => Some(m),
                Ok(m) => {
                    d.push(diff(
                        K::Manifest,
                        MANIFEST_JSON,
                        Some(FORMAT.into()),
                        Some(m.format.clone()),
                        format!(
                            "the manifest's format is '{}', which this Lingtan does not read",
                            m.format
                        ),
                        format!("清单格式为“{}”，本版本 Lingtan 无法读取", m.format),
                    ));
                    None
                }
                Err(e) => {
                    d.push(diff(
                    K::Manifest,
                    MANIFEST_JSON,
                    None,
                    None,
                    format!("the manifest is not a Lingtan manifest ({e}): it was edited or replaced"),
                    format!("清单不是 Lingtan 清单（{e}）：已被编辑或替换"),
                ));
                    None
                }
            }
        }
        Some(Found::Other(what)) => {
            d.push(diff(
                K::Manifest,
                MANIFEST_JSON,
                None,
                None,
                format!("the manifest is {what}, not a file"),
                format!("清单不是普通文件（{what}）"),
            ));
            None
        }
        None => {
            d.push(diff(
                K::Missing,
                MANIFEST_JSON,
                None,
                None,
                "the manifest is missing: nothing can be checked against it",
                "清单缺失：无法据此核验任何内容",
            ));
            None
        }
    };
    let text = found.remove(MANIFEST_TXT);
    let Some(manifest) = manifest else {
        for (path, _) in found {
            d.push(diff(
                K::Added,
                path,
                None,
                None,
                "not checked: the manifest cannot be read",
                "未核验：清单无法读取",
            ));
        }
        return Ok(check);
    };
    // manifest.txt: the manifest's own text
    match text {
        Some(Found::File(bytes)) if bytes == manifest_text(&manifest).as_bytes() => {}
        Some(_) => d.push(diff(
            K::Manifest,
            MANIFEST_TXT,
            None,
            None,
            "manifest.txt is not the text of manifest.json: it was edited",
            "manifest.txt 与 manifest.json 的内容不一致：已被编辑",
        )),
        None => d.push(diff(
            K::Missing,
            MANIFEST_TXT,
            None,
            None,
            "manifest.txt is missing",
            "manifest.txt 缺失",
        )),
    }
    // the root over the manifest's own lines: an edited manifest no longer gives its root
    let recomputed = root(&manifest.files);
    if recomputed != manifest.root {
        d.push(diff(
            K::Manifest,
            "root",
            Some(manifest.root.clone()),
            Some(recomputed),
            "the manifest's root is not the SHA-256 of its file lines: the manifest was edited",
            "清单的根哈希与其文件行的 SHA-256 不符：清单已被编辑",
        ));
    }
    // every file listed against the folder
    let mut listed = std::collections::BTreeSet::new();
    for f in &manifest.files {
        if !listed.insert(f.path.clone()) {
            d.push(diff(
                K::Manifest,
                f.path.clone(),
                None,
                None,
                "the manifest lists this file twice: it was edited",
                "清单两次列出该文件：清单已被编辑",
            ));
            continue;
        }
        match found.get(&f.path) {
            None => d.push(diff(
                K::Missing,
                f.path.clone(),
                Some(f.sha256.clone()),
                None,
                "listed in the manifest, not in the folder: it was removed or renamed",
                "清单中有该文件，文件夹中没有：已被删除或改名",
            )),
            Some(Found::Other(what)) => d.push(diff(
                K::Changed,
                f.path.clone(),
                Some(f.sha256.clone()),
                None,
                format!("listed as a file, found {what}"),
                format!("清单中为文件，实际为{what}"),
            )),
            Some(Found::File(bytes)) => {
                check.files_checked += 1;
                let sha = sha256_hex(bytes);
                if sha != f.sha256 || bytes.len() as u64 != f.bytes {
                    d.push(diff(
                        K::Changed,
                        f.path.clone(),
                        Some(format!("{} ({} bytes)", f.sha256, f.bytes)),
                        Some(format!("{sha} ({} bytes)", bytes.len())),
                        "its content is not what the manifest lists: it was changed",
                        "内容与清单不符：已被修改",
                    ));
                }
            }
        }
    }
    for (path, what) in &found {
        if !listed.contains(path) {
            let (en, zh) = match what {
                Found::File(_) => (
                    "in the folder, not in the manifest: it was added".to_string(),
                    "文件夹中有该文件，清单中没有：为后来添加".to_string(),
                ),
                Found::Other(w) => (
                    format!("{w} in the folder, not in the manifest: it was added"),
                    format!("文件夹中有该项（{w}），清单中没有：为后来添加"),
                ),
            };
            d.push(diff(K::Added, path.clone(), None, None, en, zh));
        }
    }
    check.framework = Some(manifest.edition.clone());
    check.period = Some(manifest.period.clone());
    check.root = Some(manifest.root.clone());
    // the snapshot, opened read-only and immutable (or from a copy), its audit chain verified
    // and its figures recomputed
    let snapshot = match found.get(SNAPSHOT) {
        Some(Found::File(bytes)) => Some(bytes),
        _ => {
            if listed.contains(SNAPSHOT) {
                // already named as missing or changed
            } else {
                d.push(diff(
                    K::Missing,
                    SNAPSHOT,
                    None,
                    None,
                    "the snapshot of the project is missing: the figures cannot be recomputed",
                    "缺少项目快照：无法重算数据",
                ));
            }
            None
        }
    };
    if let Some(bytes) = snapshot {
        match recompute(&dir.join(SNAPSHOT), bytes, &manifest, clock) {
            Ok((verification, contents)) => {
                for f in &verification.findings {
                    d.push(diff(
                        K::Audit,
                        f.place.clone(),
                        None,
                        None,
                        format!("the snapshot's audit verification: {}", f.en),
                        format!("快照的审计校验：{}", f.zh),
                    ));
                }
                check.audit = Some(verification);
                let cf = &manifest.created_from;
                for (name, expected, got) in [
                    (
                        "fingerprint",
                        &cf.fingerprint,
                        &contents.created_from.fingerprint,
                    ),
                    (
                        "audit_head",
                        &cf.audit_head,
                        &contents.created_from.audit_head,
                    ),
                ] {
                    if expected != got {
                        d.push(diff(
                            K::Figure,
                            format!("created_from.{name}"),
                            Some(expected.clone()),
                            Some(got.clone()),
                            "the snapshot is not the data the dossier was made from",
                            "快照不是生成资料包时所用的数据",
                        ));
                    }
                }
                // each evidence file: the records that use it, and the stored file's SHA-256
                let entries = evidence_entries(&contents.evidence);
                if entries != manifest.evidence {
                    d.push(diff(
                        K::Manifest,
                        "evidence",
                        Some(describe(&manifest.evidence)),
                        Some(describe(&entries)),
                        "the manifest's list of evidence files and their records is not what the snapshot gives",
                        "清单中的证据文件及其记录与快照不符",
                    ));
                }
                for u in &contents.evidence {
                    let path = u.path();
                    if let Some(f) = manifest.files.iter().find(|f| f.path == path) {
                        if f.sha256 != u.evidence.sha256 {
                            d.push(diff(
                                K::Changed,
                                path,
                                Some(u.evidence.sha256.clone()),
                                Some(f.sha256.clone()),
                                "this evidence file is not the file stored in the project",
                                "该证据文件与项目中保存的文件不一致",
                            ));
                        }
                    }
                }
                let names: std::collections::BTreeSet<&String> = manifest
                    .figures
                    .keys()
                    .chain(contents.figures.keys())
                    .collect();
                for name in names {
                    check.figures_checked += 1;
                    let expected = manifest.figures.get(name).cloned().flatten();
                    let got = contents.figures.get(name).cloned().flatten();
                    let same = match (&expected, &got) {
                        (Some(a), Some(b)) => a == b || same_number(a, b),
                        (None, None) => {
                            manifest.figures.contains_key(name)
                                == contents.figures.contains_key(name)
                        }
                        _ => false,
                    };
                    if !same {
                        d.push(diff(
                            K::Figure,
                            name.clone(),
                            expected,
                            got,
                            "the manifest's figure is not what the snapshot's data gives",
                            "清单中的数据与快照数据的计算结果不符",
                        ));
                    }
                }
            }
            Err(e) => d.push(diff(
                K::Snapshot,
                SNAPSHOT,
                None,
                None,
                format!("the snapshot cannot be checked: {}", e.message(Lang::En)),
                format!("无法核验快照：{}", e.message(Lang::Zh)),
            )),
        }
    }
    Ok(check)
}

/// The manifest's evidence list from the evidence gathered (one entry per file).
fn evidence_entries(evidence: &[EvidenceUse]) -> Vec<EvidenceEntry> {
    let mut out: Vec<EvidenceEntry> = Vec::new();
    for e in evidence {
        let path = e.path();
        if !out.iter().any(|x| x.path == path) {
            out.push(EvidenceEntry {
                path,
                records: e.records.clone(),
            });
        }
    }
    out
}

fn describe(entries: &[EvidenceEntry]) -> String {
    entries
        .iter()
        .map(|e| format!("{} ({})", e.path, e.records.join(", ")))
        .collect::<Vec<_>>()
        .join("; ")
}

fn same_number(a: &str, b: &str) -> bool {
    match (a.parse::<Decimal>(), b.parse::<Decimal>()) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}

/// Open the snapshot (`path`, whose bytes are `bytes`) read-only and immutable in place, or from a
/// copy of its bytes in the temporary folder (a snapshot in WAL mode),
/// verify its audit chain and gather the manifest's figures from it.
fn recompute(
    path: &Path,
    bytes: &[u8],
    manifest: &Manifest,
    clock: Clock,
) -> Result<(Verification, Contents)> {
    // in place, read-only and immutable, when the file is still the one whose bytes were hashed
    // (a regular file of their length) and not in WAL mode; else from a copy of those bytes
    let same =
        std::fs::symlink_metadata(path).is_ok_and(|m| m.is_file() && m.len() == bytes.len() as u64);
    let in_place = if same {
        Project::open_immutable_to_verify(path, clock.clone())?
    } else {
        None
    };
    let copy: Option<ScratchCopy>;
    let project = match in_place {
        Some(project) => {
            copy = None;
            project
        }
        None => {
            let c = ScratchCopy::new(bytes, SNAPSHOT)?;
            let project = Project::open_for(c.path(), clock, Access::Verify)?;
            copy = Some(c);
            project
        }
    };
    let verification = project.verify()?;
    let period =
        ClaimPeriod::parse(&manifest.period.from, &manifest.period.to).map_err(claim_error)?;
    let contents = project.dossier_contents(&manifest.edition, &period, false)?;
    drop(project);
    drop(copy);
    Ok((verification, contents))
}
