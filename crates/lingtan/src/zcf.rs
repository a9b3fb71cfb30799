//! The zero-carbon-factory evaluation (T/CECA-G 0171-2022 《零碳工厂评价规范》): the assessor's
//! scoring table imported with the import's discipline, and the evaluation shown from it and
//! from the project's own figures.
//!
//! Import (`zcf scores`): the table is read with lingtan-import's readers (xlsx, xls, ods, csv);
//! the header row (among the first 30) names five columns — indicator (一级指标), sub-item (二级
//! 指标), weight (权重), maximum (满分) and score (得分); a total row (合计) is left out. Every
//! problem is named at its cell: a cell that is not a number, a score above its item's maximum,
//! a negative figure, a missing name, a duplicate sub-item, and weights that do not add up to
//! the table's maximum (core `claim::zcf::validate`). A dry run writes nothing; otherwise — only
//! without an error — the rows are written as one batch in one transaction, the file stored as
//! its evidence, each row logged. A later import is the current table; the earlier stays.
//!
//! Show (`zcf show`): the total (core `claim::zcf::score`), the star levels against the pack of
//! the type (only the confirmed-or-flagged rules the pack carries), and the figures the
//! evaluation uses: core `claim::zcf::figures` of the claim's facts for the year, the same
//! figures the claim's self-evaluation prints.

use crate::{Error, Field, Project, Result};
use lingtan_core::claim::zcf::{self, Figures, ScoreRow, ScoreTable, Star};
use lingtan_core::claim::{Framework, Pack, Text};
use lingtan_core::{Decimal, Severity};
use lingtan_import::read::{Sheet, Value};
use lingtan_import::text::{halfwidth, number, total_label, Number};
use lingtan_import::{read_bytes_noted, ImportIssue};
use lingtan_store::{sha256_hex, EvidenceFile, NewScore};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;

/// What `zcf scores` was asked to do.
#[derive(Debug, Clone)]
pub struct ScoreImportOptions {
    pub dry_run: bool,
    /// Only this sheet.
    pub sheet: Option<String>,
    /// What the weights must add up to (100 unless the assessor's table says otherwise).
    pub maximum: Decimal,
}

impl Default for ScoreImportOptions {
    fn default() -> Self {
        ScoreImportOptions {
            dry_run: false,
            sheet: None,
            maximum: Decimal::ONE_HUNDRED,
        }
    }
}

/// A row the import read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportedScore {
    /// `sheet!A5`
    pub origin: String,
    pub indicator: String,
    pub sub_item: String,
    pub weight: Decimal,
    pub maximum: Decimal,
    pub score: Decimal,
    /// `weight × score ÷ maximum`
    pub points: Option<Decimal>,
}

/// The outcome of an import of a scoring table (or a dry run, or a refusal).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScoreImportReport {
    /// The batch written; none on a dry run or a refusal.
    pub batch: Option<i64>,
    pub file: String,
    pub sha256: String,
    pub maximum: Decimal,
    pub rows: Vec<ImportedScore>,
    /// The total, when the table can be scored.
    pub total: Option<Decimal>,
    pub issues: Vec<ImportIssue>,
}

impl ScoreImportReport {
    pub fn refused(&self) -> bool {
        self.issues.iter().any(|i| i.severity == Severity::Error)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Role {
    Indicator,
    SubItem,
    Weight,
    Maximum,
    Score,
}

const ROLES: [Role; 5] = [
    Role::Indicator,
    Role::SubItem,
    Role::Weight,
    Role::Maximum,
    Role::Score,
];

/// Header names (full-width folded, spaces removed, lower case) and their roles.
const HEADERS: &[(&str, Role)] = &[
    ("一级指标", Role::Indicator),
    ("评价指标", Role::Indicator),
    ("指标", Role::Indicator),
    ("indicator", Role::Indicator),
    ("二级指标", Role::SubItem),
    ("子项", Role::SubItem),
    ("评价内容", Role::SubItem),
    ("评价要求", Role::SubItem),
    ("sub-item", Role::SubItem),
    ("subitem", Role::SubItem),
    ("权重", Role::Weight),
    ("权重分", Role::Weight),
    ("weight", Role::Weight),
    ("满分", Role::Maximum),
    ("最高分", Role::Maximum),
    ("分值", Role::Maximum),
    ("maximum", Role::Maximum),
    ("max", Role::Maximum),
    ("得分", Role::Score),
    ("评分", Role::Score),
    ("score", Role::Score),
];

const EXPECTED: &str =
    "一级指标 | indicator, 二级指标 | sub-item, 权重 | weight, 满分 | maximum, 得分 | score";

fn fold(text: &str) -> String {
    halfwidth(text)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_lowercase()
}

fn header(sheet: &Sheet) -> Option<(usize, BTreeMap<Role, usize>)> {
    for (r, row) in sheet.rows.iter().enumerate().take(30) {
        let mut roles = BTreeMap::new();
        for (c, v) in row.iter().enumerate() {
            let Value::Text(t) = v else { continue };
            let f = fold(t);
            if let Some((_, role)) = HEADERS.iter().find(|(n, _)| *n == f) {
                roles.entry(*role).or_insert(c);
            }
        }
        if ROLES.iter().all(|r| roles.contains_key(r)) {
            return Some((r, roles));
        }
    }
    None
}

fn cell_text(v: &Value) -> String {
    match v {
        Value::Text(t) => t.trim().to_string(),
        Value::Empty => String::new(),
        other => other.display(),
    }
}

/// An issue at a cell of `sheet`.
fn at(
    sheet: &Sheet,
    head: &[Value],
    r: usize,
    c: usize,
    code: &'static str,
    en: String,
    zh: String,
) -> ImportIssue {
    ImportIssue {
        code,
        severity: Severity::Error,
        en: en.into(),
        zh: zh.into(),
        sheet: Some(sheet.name.clone()),
        row: Some(sheet.row_number(r)),
        column: Some(
            head.get(c)
                .map(Value::display)
                .filter(|h| !h.is_empty())
                .unwrap_or_else(|| sheet.column_letters(c)),
        ),
        cell: Some(sheet.a1(r, c)),
    }
}

/// The pack of a zero-carbon-factory type (`i` or `ii`), shipped with Lingtan.
pub fn pack(kind: &str) -> Result<Pack> {
    let (text, name) = match kind.trim().to_ascii_lowercase().as_str() {
        "i" | "1" | "zcf-i" => (
            include_str!("../../../assets/frameworks/zcf-i-2022.toml"),
            "zcf-i-2022.toml",
        ),
        "ii" | "2" | "zcf-ii" => (
            include_str!("../../../assets/frameworks/zcf-ii-2022.toml"),
            "zcf-ii-2022.toml",
        ),
        _ => {
            return Err(Error::new(
                "ZCF_TYPE_UNKNOWN",
                Field::Type,
                format!("type '{kind}': choose i (Type I) or ii (Type II)"),
                format!("类型“{kind}”：请选择 i（I 型）或 ii（II 型）"),
            ))
        }
    };
    toml::from_str(text).map_err(|e| {
        Error::new(
            "PACK_UNREADABLE",
            None,
            format!("the rule pack {name} shipped with Lingtan cannot be read: {e}"),
            format!("Lingtan 自带的规则包 {name} 无法读取：{e}"),
        )
    })
}

/// The zero-carbon-factory evaluation of a year.
#[derive(Debug, Clone, Serialize)]
pub struct Evaluation {
    /// `zcf-i:2022` …
    pub edition: String,
    pub year: i32,
    /// The scoring table's total (none before a table is imported).
    pub scoring: Option<zcf::Scoring>,
    /// Where the table came from: its batch.
    pub batch: Option<i64>,
    pub stars: Vec<Star>,
    pub figures: Figures,
    /// What the figures do not say.
    pub notes: Vec<Text>,
}

impl Project {
    /// Import the assessor's scoring table. Returns the report in every case where the file
    /// could be looked at; `Err` only for a file that cannot be read.
    pub fn import_zcf_scores(
        &mut self,
        path: &Path,
        options: &ScoreImportOptions,
    ) -> Result<ScoreImportReport> {
        let file = crate::input::file_name(path);
        let bytes = crate::files::read(path, crate::files::Input::Import)?;
        let sha256 = sha256_hex(&bytes);
        let mut report = ScoreImportReport {
            batch: None,
            file: file.clone(),
            sha256: sha256.clone(),
            maximum: options.maximum,
            rows: Vec::new(),
            total: None,
            issues: Vec::new(),
        };
        let sheets = match read_bytes_noted(&file, &bytes) {
            Ok((sheets, notes)) => {
                report.issues.extend(notes);
                sheets
            }
            Err(issue) => {
                report.issues.push(*issue);
                return Ok(report);
            }
        };
        // every row with where it was read: (sheet index, row index, roles)
        let mut rows: Vec<ScoreRow> = Vec::new();
        let mut cells: Vec<(usize, usize, BTreeMap<Role, usize>)> = Vec::new();
        let mut found_header = false;
        for (si, sheet) in sheets.iter().enumerate() {
            if options.sheet.as_deref().is_some_and(|n| n != sheet.name) {
                continue;
            }
            let Some((h, roles)) = header(sheet) else {
                continue;
            };
            found_header = true;
            let head = sheet.rows[h].clone();
            for (r, row) in sheet.rows.iter().enumerate().skip(h + 1) {
                let get = |role: Role| row.get(roles[&role]).unwrap_or(&Value::Empty);
                if ROLES.iter().all(|x| matches!(get(*x), Value::Empty))
                    || ROLES.iter().all(|x| cell_text(get(*x)).is_empty())
                {
                    continue;
                }
                // a total row (合计, Total) is the table's, not a sub-item
                if total_label(get(Role::Indicator)) == Some(true)
                    || total_label(get(Role::SubItem)) == Some(true)
                {
                    continue;
                }
                let mut figures = [Decimal::ZERO; 3];
                let mut ok = true;
                for (i, (role, en, zh)) in [
                    (Role::Weight, "weight", "权重"),
                    (Role::Maximum, "maximum", "满分"),
                    (Role::Score, "score", "得分"),
                ]
                .into_iter()
                .enumerate()
                {
                    match number(get(role)) {
                        Number::Value(d, _) => figures[i] = d,
                        Number::Missing => {
                            ok = false;
                            report.issues.push(at(
                                sheet,
                                &head,
                                r,
                                roles[&role],
                                "ZCF_VALUE_MISSING",
                                format!("the {en} is missing; fill it in as the assessor's table gives it"),
                                format!("缺少{zh}；请按评价机构的评分表填写"),
                            ));
                        }
                        Number::NotANumber(t) => {
                            ok = false;
                            report.issues.push(at(
                                sheet,
                                &head,
                                r,
                                roles[&role],
                                "ZCF_NOT_A_NUMBER",
                                format!("the {en} '{t}' is not a number"),
                                format!("{zh}“{t}”不是数字"),
                            ));
                        }
                    }
                }
                if !ok {
                    continue;
                }
                rows.push(ScoreRow {
                    indicator: cell_text(get(Role::Indicator)),
                    sub_item: cell_text(get(Role::SubItem)),
                    weight: figures[0],
                    maximum: figures[1],
                    score: figures[2],
                    place: Some(format!("{}!{}", sheet.name, sheet.row_number(r))),
                });
                cells.push((si, r, roles.clone()));
            }
        }
        if !found_header {
            report.issues.push(ImportIssue::file(
                "ZCF_NO_HEADER",
                format!("{file}: no sheet has the scoring table's header row ({EXPECTED}) in its first 30 rows"),
                format!("{file}：没有工作表在前 30 行中含评分表的表头（{EXPECTED}）"),
            ));
            return Ok(report);
        }
        let table = ScoreTable {
            maximum: options.maximum,
            rows: rows.clone(),
        };
        // the core's rules, each problem put back at its cell
        for e in zcf::validate(&table) {
            let index = e
                .place()
                .and_then(|p| rows.iter().position(|r| r.place.as_deref() == Some(p)));
            let role = match e.field() {
                "indicator" => Some(Role::Indicator),
                "sub-item" => Some(Role::SubItem),
                "weight" => Some(Role::Weight),
                "maximum" => Some(Role::Maximum),
                "score" => Some(Role::Score),
                _ => None,
            };
            let issue = match (index, role) {
                (Some(i), Some(role)) => {
                    let (si, r, roles) = &cells[i];
                    let sheet = &sheets[*si];
                    let head = header(sheet).map(|(h, _)| sheet.rows[h].clone());
                    at(
                        sheet,
                        head.as_deref().unwrap_or(&[]),
                        *r,
                        roles[&role],
                        e.code(),
                        e.message_en(),
                        e.message_zh(),
                    )
                }
                _ => {
                    // the weight sum: the weight column of the rows, no one cell
                    let mut issue = ImportIssue::file(
                        e.code(),
                        format!("{file}: {}", e.message_en()),
                        format!("{file}：{}", e.message_zh()),
                    );
                    if let (Some(first), Some(role)) = (cells.first(), role) {
                        let sheet = &sheets[first.0];
                        issue.sheet = Some(sheet.name.clone());
                        issue.column = header(sheet)
                            .and_then(|(h, _)| sheet.rows[h].get(first.2[&role]).cloned())
                            .map(|v| v.display());
                    }
                    issue
                }
            };
            report.issues.push(issue);
        }
        report.rows = rows
            .iter()
            .zip(&cells)
            .map(|(row, (si, r, roles))| ImportedScore {
                origin: format!(
                    "{}!{}",
                    sheets[*si].name,
                    sheets[*si].a1(*r, roles[&Role::Indicator])
                ),
                indicator: row.indicator.clone(),
                sub_item: row.sub_item.clone(),
                weight: row.weight,
                maximum: row.maximum,
                score: row.score,
                points: row.points(),
            })
            .collect();
        if report.rows.is_empty() && !report.refused() {
            report.issues.push(ImportIssue::file(
                "ZCF_TABLE_EMPTY",
                format!("{file}: the scoring table has no rows under its header"),
                format!("{file}：评分表表头下没有数据行"),
            ));
        }
        if report.refused() {
            return Ok(report);
        }
        report.total = zcf::score(&table).ok().map(|s| s.total);
        if options.dry_run {
            return Ok(report);
        }
        let new: Vec<NewScore> = rows
            .iter()
            .map(|r| NewScore {
                indicator: r.indicator.clone(),
                sub_item: r.sub_item.clone(),
                weight: r.weight,
                maximum: r.maximum,
                score: r.score,
                place: format!("{file}, {}", r.place.clone().unwrap_or_default()),
            })
            .collect();
        let now = self.now();
        let (batch, _) = self.store.add_zcf_scores(
            &format!("{file} (zcf scores)"),
            &EvidenceFile {
                file_name: &file,
                sha256: &sha256,
                content: &bytes,
            },
            options.maximum,
            &new,
            &now,
        )?;
        report.batch = Some(batch);
        Ok(report)
    }

    /// The current scoring table (none before one is imported) and its batch.
    pub fn zcf_table(&self) -> Result<Option<(i64, ScoreTable)>> {
        let rows = self.store.zcf_scores()?;
        let Some(first) = rows.first() else {
            return Ok(None);
        };
        let batch = first.batch_id;
        let maximum = first.table_maximum;
        Ok(Some((
            batch,
            ScoreTable {
                maximum,
                rows: rows
                    .into_iter()
                    .map(|r| ScoreRow {
                        indicator: r.indicator,
                        sub_item: r.sub_item,
                        weight: r.weight,
                        maximum: r.maximum,
                        score: r.score,
                        place: Some(r.place),
                    })
                    .collect(),
            },
        )))
    }

    /// The evaluation of `year` for the type `kind` (`i` or `ii`): the total, the star levels,
    /// the figures.
    pub fn zcf_evaluation(&self, kind: &str, year: Option<i32>) -> Result<Evaluation> {
        let pack = pack(kind)?;
        let framework = match pack.framework.as_str() {
            "zcf-ii" => Framework::ZcfType2,
            _ => Framework::ZcfType1,
        };
        let info = self.store.project()?;
        let year = year.unwrap_or(info.year);
        crate::input::check_year(Field::Year, year)?;
        // the claim's own figures (core `zcf::figures`: the subject of the type, the credits
        // counted within the pack's retirement window), so `zcf show` and the self-evaluation
        // of a claim for the same year cannot disagree
        let facts = self.facts(framework, crate::claim::year(year)?)?;
        let figures = zcf::figures(&pack, &facts);
        let table = self.zcf_table()?;
        let (batch, scoring) = match &table {
            Some((b, t)) => (
                Some(*b),
                Some(zcf::score(t).map_err(|errors| {
                    let e = &errors[0];
                    Error::new(
                        e.code(),
                        Field::File,
                        format!(
                            "the stored scoring table cannot be scored: {}",
                            e.message_en()
                        ),
                        format!("已保存的评分表无法计分：{}", e.message_zh()),
                    )
                })?),
            ),
            None => (None, None),
        };
        let mut notes = Vec::new();
        if scoring.is_none() {
            notes.push(Text::new(
                "no scoring table yet: import the assessor's table (zcf scores)",
                "尚无评分表：请导入评价机构的评分表（zcf scores）",
            ));
        }
        for n in &pack.notes {
            notes.push(n.text.clone());
        }
        Ok(Evaluation {
            edition: pack.edition.clone(),
            year,
            scoring,
            batch,
            stars: zcf::stars(&pack, &figures),
            figures,
            notes,
        })
    }
}
