//! Importing the exports of China's green-certificate platforms as certificates (held): the
//! Beijing Power Exchange's trade details, the Guangzhou Power Exchange's trades and the national
//! GEC platform's orders. Each row is a purchase of N certificates (N MWh) of one production
//! month; it is not a retirement (核销): the certificates are held until retired.
//!
//! The layouts come from one public repository's code (research notes §9: SECONDARY, flagged
//! unconfirmed): headers are matched by name, not position, with the production month under any
//! of its three names (生产年月, 电量生产年月, 电力生产年月) written `YYYYMM`, `YYYY-MM` or as a date.
//! An order status other than the two that code counts as completed ('1', '3') is refused rather
//! than guessed.
//!
//! The import's discipline: read with lingtan-import's readers; every problem at its cell; a dry
//! run writes nothing; otherwise — only without an error — one batch in one transaction with the
//! file stored as evidence and every certificate pointing to its sheet and row; undone as a batch
//! (`undo_import`: its certificates are voided, kept).

use crate::{Project, Result};
use chrono::NaiveDate;
use lingtan_core::error::{Action, Field, Words};
use lingtan_core::offset::eac::{self, Acquisition, Eac, EacType};
use lingtan_core::offset::{match_beneficiary, NameMatch, Status, YearMonth};
use lingtan_core::words;
use lingtan_core::{Decimal, Severity};
use lingtan_import::read::{Sheet, Value};
use lingtan_import::text::{halfwidth, number, total_label, Number};
use lingtan_import::{read_bytes_noted, ImportIssue};
use lingtan_store::{sha256_hex, EacRow, EvidenceFile};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;

/// What `lingtan eac import` was asked to do.
#[derive(Debug, Clone, Default)]
pub struct EacImportOptions {
    /// Show what would be imported and the issues; write nothing.
    pub dry_run: bool,
    /// Import even if this file was imported before.
    pub force: bool,
    /// Only this sheet.
    pub sheet: Option<String>,
    /// The sites whose consumption the certificates may cover (none: every site).
    pub sites: Vec<String>,
}

/// The platform whose export a sheet is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Platform {
    /// 北京电力交易中心 trade details (绿证编码 per row).
    BeijingPowerExchange,
    /// 广州电力交易中心 trades (订单编号).
    GuangzhouPowerExchange,
    /// 国家绿证核发交易系统 orders (订单号, 订单状态).
    NationalGecPlatform,
}

impl Platform {
    pub fn names(self) -> (&'static str, &'static str) {
        match self {
            Platform::BeijingPowerExchange => (
                "Beijing Power Exchange trade details",
                "北京电力交易中心绿证交易明细",
            ),
            Platform::GuangzhouPowerExchange => (
                "Guangzhou Power Exchange trades",
                "广州电力交易中心绿证交易",
            ),
            Platform::NationalGecPlatform => {
                ("national GEC platform orders", "国家绿证核发交易系统订单")
            }
        }
    }
}

/// A certificate the import read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportedCertificate {
    /// `sheet!A5`
    pub origin: String,
    pub certificate: String,
    pub mwh: Decimal,
    pub month: YearMonth,
    pub purchased: Option<NaiveDate>,
}

/// The outcome of an import of certificates (or a dry run, or a refusal).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EacImportReport {
    /// The batch written; none on a dry run or a refusal.
    pub batch: Option<i64>,
    pub file: String,
    pub sha256: String,
    pub platform: Option<Platform>,
    pub rows: crate::import::RowCounts,
    /// MWh of the certificates read.
    pub mwh: Decimal,
    pub certificates: Vec<ImportedCertificate>,
    pub issues: Vec<ImportIssue>,
}

impl EacImportReport {
    pub fn refused(&self) -> bool {
        self.issues.iter().any(|i| i.severity == Severity::Error)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Role {
    Id,
    Time,
    Month,
    Quantity,
    Buyer,
    Subsidy,
    Status,
    TradeType,
}

/// Header names (full-width forms folded, spaces removed) and their roles.
const HEADERS: &[(&str, Role)] = &[
    ("绿证编码", Role::Id),
    ("订单编号", Role::Id),
    ("订单号", Role::Id),
    ("成交时间", Role::Time),
    ("订单时间", Role::Time),
    ("生产年月", Role::Month),
    ("电量生产年月", Role::Month),
    ("电力生产年月", Role::Month),
    ("成交数量(个)", Role::Quantity),
    ("成交数量", Role::Quantity),
    ("交易量(张)", Role::Quantity),
    ("交易量", Role::Quantity),
    ("购方主体名称", Role::Buyer),
    ("买方名称", Role::Buyer),
    ("交易方名称", Role::Buyer),
    ("补贴类型", Role::Subsidy),
    ("订单状态", Role::Status),
    ("交易类型", Role::TradeType),
];

const EXPECTED: &str = "绿证编码 | 订单编号 | 订单号, 生产年月 | 电量生产年月 | 电力生产年月, 成交数量(个) | 交易量（张）";

fn fold(text: &str) -> String {
    halfwidth(text)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// The header row of a sheet (among its first 30 rows): the first with an id, a production month
/// and a quantity column. Returns its index, the roles' columns and the platform.
fn header(sheet: &Sheet) -> Option<(usize, BTreeMap<Role, usize>, Platform)> {
    for (r, row) in sheet.rows.iter().enumerate().take(30) {
        let mut roles = BTreeMap::new();
        let mut names = Vec::new();
        for (c, v) in row.iter().enumerate() {
            let Value::Text(t) = v else { continue };
            let f = fold(t);
            if let Some((_, role)) = HEADERS.iter().find(|(n, _)| *n == f) {
                roles.entry(*role).or_insert(c);
                names.push(f);
            }
        }
        if [Role::Id, Role::Month, Role::Quantity]
            .iter()
            .all(|r| roles.contains_key(r))
        {
            let has = |n: &str| names.iter().any(|x| x == n);
            let platform = if has("绿证编码") {
                Platform::BeijingPowerExchange
            } else if has("订单编号") {
                Platform::GuangzhouPowerExchange
            } else {
                Platform::NationalGecPlatform
            };
            return Some((r, roles, platform));
        }
    }
    None
}

/// Where a sheet's issues are: the sheet and its header row.
struct Place<'a> {
    sheet: &'a Sheet,
    header: &'a [Value],
}

impl Place<'_> {
    /// An issue at a cell (`r`, `c` within the sheet's rows), its message in both languages.
    fn at<E: Into<Words>, Z: Into<Words>>(
        &self,
        r: usize,
        c: usize,
        code: &'static str,
        severity: Severity,
        (en, zh): (E, Z),
    ) -> ImportIssue {
        ImportIssue {
            code,
            severity,
            en: en.into(),
            zh: zh.into(),
            sheet: Some(self.sheet.name.clone()),
            row: Some(self.sheet.row_number(r)),
            column: Some(
                self.header
                    .get(c)
                    .map(Value::display)
                    .filter(|h| !h.is_empty())
                    .unwrap_or_else(|| self.sheet.column_letters(c)),
            ),
            cell: Some(self.sheet.a1(r, c)),
        }
    }
}

/// The month a production-month cell holds: `YYYYMM` (text or number), `YYYY-MM`, `YYYY年M月`
/// or a date.
fn production_month(v: &Value) -> Option<YearMonth> {
    match v {
        Value::Text(t) => YearMonth::parse(&halfwidth(t)),
        Value::Number(d) if d.fract().is_zero() => YearMonth::parse(&d.normalize().to_string()),
        Value::DateTime(t) => Some(YearMonth::of(t.date())),
        _ => None,
    }
}

/// The day a trade or order time cell holds.
fn trade_day(v: &Value) -> Option<NaiveDate> {
    match v {
        Value::DateTime(t) => Some(t.date()),
        Value::Text(t) => {
            let t = halfwidth(t);
            let head = t.trim().get(..10)?.replace('/', "-");
            NaiveDate::parse_from_str(&head, "%Y-%m-%d").ok()
        }
        _ => None,
    }
}

/// The certificate or order id a cell holds: text as written; a whole number of at most 15
/// digits as its digits (more would have lost digits as a double in the spreadsheet).
fn certificate_id(v: &Value) -> Result<String, &'static str> {
    match v {
        Value::Text(t) if !t.trim().is_empty() => Ok(t.trim().to_string()),
        Value::Number(d) if d.fract().is_zero() => {
            let digits = d.normalize().to_string();
            if digits.trim_start_matches('-').len() <= 15 {
                Ok(digits)
            } else {
                Err("digits")
            }
        }
        Value::Empty => Err("empty"),
        Value::Text(_) => Err("empty"),
        _ => Err("digits"),
    }
}

impl Project {
    /// Import the certificates of a platform export (held until retired). Returns the report in
    /// every case where the file could be looked at; `Err` only for a problem outside the file
    /// (an unknown site, a file that cannot be read).
    pub fn import_eacs(
        &mut self,
        path: &Path,
        options: &EacImportOptions,
    ) -> Result<EacImportReport> {
        let file = crate::input::file_name(path);
        let mut sites = Vec::new();
        for s in &options.sites {
            let site = self.find_site(s)?;
            if !sites.contains(&site.name) {
                sites.push(site.name);
            }
        }
        let bytes = crate::files::read(path, crate::files::Input::Import)?;
        let sha256 = sha256_hex(&bytes);
        let mut report = EacImportReport {
            batch: None,
            file: file.clone(),
            sha256: sha256.clone(),
            platform: None,
            rows: Default::default(),
            mwh: Decimal::ZERO,
            certificates: Vec::new(),
            issues: Vec::new(),
        };
        let label = match &options.sheet {
            Some(sheet) => format!("{file} [{sheet}]"),
            None => file.clone(),
        };
        if !options.force {
            if let Some(b) = self.store.batches()?.into_iter().find(|b| {
                b.reverted_at.is_none()
                    && b.sha256.as_deref() == Some(sha256.as_str())
                    && b.label == label
            }) {
                report.issues.push(ImportIssue::file(
                    "FILE_ALREADY_IMPORTED",
                    words![format!("{file}: this file was already imported as batch #{} on {}; undo that batch first (", b.id, b.created_at), Action::UndoImport, ") or add ", Field::Force],
                    words![format!("{file}：该文件已于 {} 导入为批次 #{}；请先撤销该批次（", b.created_at, b.id), Action::UndoImport, "）或加 ", Field::Force],
                ));
            }
        }
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
        let organisation = self.organisation()?;
        let recorded: BTreeMap<String, i64> = self
            .store
            .eacs()?
            .into_iter()
            .filter(|e| e.status != Status::Void)
            .map(|e| (e.certificate, e.id))
            .collect();
        let today = self.today()?;
        let mut rows = Vec::new();
        let mut seen: BTreeMap<String, String> = BTreeMap::new();
        let mut found_header = false;
        let mut status_noted = false;
        for sheet in sheets
            .iter()
            .filter(|s| options.sheet.as_deref().is_none_or(|n| n == s.name))
        {
            let Some((h, roles, platform)) = header(sheet) else {
                continue;
            };
            found_header = true;
            if report.platform.is_none() {
                report.platform = Some(platform);
                let (en, zh) = platform.names();
                report.issues.push(ImportIssue::on_sheet(
                    "EAC_LAYOUT_UNCONFIRMED",
                    Severity::Info,
                    &sheet.name,
                    format!("read as the {en}: its columns come from one public repository's code, not from the platform's documentation (unconfirmed); check the certificates against the platform"),
                    format!("按{zh}读取：其列名来自一个公开代码库，而非平台文档（未经确认）；请与平台记录核对"),
                ));
            }
            let place = Place {
                sheet,
                header: &sheet.rows[h],
            };
            let col = |role: Role| roles.get(&role).copied();
            let mut sheet_total = Decimal::ZERO;
            for r in h + 1..sheet.rows.len() {
                let row = &sheet.rows[r];
                if row.iter().all(Value::is_empty) {
                    continue;
                }
                // a control total is checked against the rows, never imported
                if row.iter().any(|v| total_label(v).is_some()) {
                    if let Some(q) = col(Role::Quantity) {
                        if let Number::Value(total, _) = number(sheet.get(r, q)) {
                            if total != sheet_total {
                                report.issues.push(place.at(r, q, "TOTAL_MISMATCH", Severity::Error, (format!("the total row says {} certificates but the rows above add up to {}; check the file", total.normalize(), sheet_total.normalize()), format!("合计行为 {} 张，而上方各行合计 {} 张；请核对文件", total.normalize(), sheet_total.normalize()))));
                            }
                        }
                    }
                    continue;
                }
                let mut problems = Vec::new();
                let id_col = col(Role::Id).unwrap_or(0);
                let certificate = match certificate_id(sheet.get(r, id_col)) {
                    Ok(id) => Some(id),
                    Err(why) => {
                        let (en, zh) = if why == "empty" {
                            ("no certificate or order id in this row: each purchase needs the platform's id".to_string(), "该行没有绿证编码或订单号：每笔购买都须有平台编号".to_string())
                        } else {
                            (format!("'{}' is stored as a number: an id this long loses digits in a spreadsheet number; export or format the column as text", sheet.get(r, id_col).display()), format!("“{}”以数字存储：这么长的编号在表格数字中会丢失位数；请将该列导出或设置为文本", sheet.get(r, id_col).display()))
                        };
                        problems.push(place.at(
                            r,
                            id_col,
                            "EAC_ID_UNREADABLE",
                            Severity::Error,
                            (en, zh),
                        ));
                        None
                    }
                };
                let month_col = col(Role::Month).unwrap_or(0);
                let month = production_month(sheet.get(r, month_col));
                if month.is_none() {
                    problems.push(place.at(r, month_col, "EAC_MONTH_UNREADABLE", Severity::Error, (format!("'{}' is not a production month; the platforms write YYYYMM or YYYY-MM", sheet.get(r, month_col).display()), format!("“{}”不是有效的生产年月；平台导出格式为 YYYYMM 或 YYYY-MM", sheet.get(r, month_col).display()))));
                }
                let q_col = col(Role::Quantity).unwrap_or(0);
                let qty = match number(sheet.get(r, q_col)) {
                    Number::Value(q, _) if q > Decimal::ZERO && q.fract().is_zero() => Some(q),
                    _ => {
                        problems.push(place.at(r, q_col, "EAC_QUANTITY_INVALID", Severity::Error, (format!("'{}' is not a whole, positive number of certificates (one GEC is 1 MWh)", sheet.get(r, q_col).display()), format!("“{}”不是正整数张数（1 张绿证 = 1 MWh）", sheet.get(r, q_col).display()))));
                        None
                    }
                };
                if let Some(c) = col(Role::Status) {
                    let v = sheet.get(r, c).display();
                    if v == "1" || v == "3" {
                        if !status_noted {
                            status_noted = true;
                            report.issues.push(place.at(r, c, "EAC_ORDER_STATUS_UNCONFIRMED", Severity::Warning, ("order status 1 and 3 are read as completed orders, as the one public code seen reads them (unconfirmed); check the orders on the platform", "订单状态 1 和 3 按已完成订单读取（依据所见的公开代码，未经确认）；请在平台核对订单")));
                        }
                    } else {
                        problems.push(place.at(r, c, "EAC_ORDER_STATUS", Severity::Error, (words![format!("order status '{v}' is not one read as completed (1, 3): Lingtan does not guess; leave the order out of the file, or record it with "), Action::AddCertificate, " once completed"], words![format!("订单状态“{v}”不是已完成状态（1、3）：本软件不作猜测；请从文件中删除该订单，或完成后用 "), Action::AddCertificate, " 登记"])));
                    }
                }
                let purchased = col(Role::Time).and_then(|c| trade_day(sheet.get(r, c)));
                if let (Some(c), None) = (col(Role::Time), purchased) {
                    if !sheet.get(r, c).is_empty() {
                        problems.push(place.at(
                            r,
                            c,
                            "EAC_DATE_UNREADABLE",
                            Severity::Warning,
                            (
                                format!(
                                    "'{}' is not a date: the purchase date is left empty",
                                    sheet.get(r, c).display()
                                ),
                                format!("“{}”不是日期：购买日期留空", sheet.get(r, c).display()),
                            ),
                        ));
                    }
                }
                if let Some(c) = col(Role::Buyer) {
                    let buyer = sheet.get(r, c).display();
                    if !buyer.is_empty()
                        && match_beneficiary(&organisation, &buyer) == NameMatch::None
                    {
                        problems.push(place.at(r, c, "EAC_BUYER_OTHER", Severity::Warning, (format!("the buyer '{buyer}' is not the organisation ({}): check the certificates were bought for it", organisation.join(" / ")), format!("购买方“{buyer}”不是本组织（{}）：请核对证书是否为本组织购买", organisation.join(" / ")))));
                    }
                }
                let subsidy = col(Role::Subsidy).and_then(|c| {
                    let t = fold(&sheet.get(r, c).display());
                    match t.as_str() {
                        "平价" | "无补贴" => Some(false),
                        "补贴" | "有补贴" | "带补贴" => Some(true),
                        _ => None,
                    }
                });
                let acquired = match col(Role::TradeType).map(|c| sheet.get(r, c).display()) {
                    Some(t) if t.contains("绿电") => Acquisition::PowerTrade,
                    _ => Acquisition::Purchase,
                };
                let origin = format!("{}!{}", sheet.name, sheet.a1(r, id_col));
                if let (Some(id), Some(month), Some(qty)) = (certificate, month, qty) {
                    let eac = Eac {
                        kind: EacType::Gec,
                        id: id.clone(),
                        mwh: qty,
                        from: month,
                        to: month,
                        sites: sites.clone(),
                        technology: None,
                        plant: None,
                        region: None,
                        tradable: None,
                        subsidy,
                        acquired: Some(acquired),
                        status: Status::Held,
                        retired: None,
                        beneficiary: None,
                        for_year: None,
                        evidence: None,
                    };
                    if let Err(refusal) = eac::validate(&eac, today) {
                        problems.push(place.at(
                            r,
                            id_col,
                            refusal.code,
                            Severity::Error,
                            (refusal.en, refusal.zh),
                        ));
                    }
                    if let Some(other) = seen.get(&id) {
                        problems.push(place.at(r, id_col, "EAC_ID_REPEATED", Severity::Warning, (format!("'{id}' is also in {other}: a certificate counts once (the later record is left out of the figures until one is voided)"), format!("“{id}”也出现在 {other}：同一证书只计一次（在作废其一之前，较晚的记录不计入）"))));
                    }
                    if let Some(record) = recorded.get(&id) {
                        problems.push(place.at(r, id_col, "EAC_ID_REPEATED", Severity::Warning, (format!("'{id}' is already recorded as certificate #{record}: a certificate counts once (the later record is left out of the figures until one is voided)"), format!("“{id}”已登记为证书 #{record}：同一证书只计一次（在作废其一之前，较晚的记录不计入）"))));
                    }
                    seen.entry(id.clone()).or_insert_with(|| origin.clone());
                    let errors = problems.iter().any(|p| p.severity == Severity::Error);
                    report.issues.extend(problems);
                    sheet_total += qty;
                    if errors {
                        report.rows.rejected += 1;
                        continue;
                    }
                    report.rows.accepted += 1;
                    report.mwh += qty;
                    report.certificates.push(ImportedCertificate {
                        origin: origin.clone(),
                        certificate: id.clone(),
                        mwh: qty,
                        month,
                        purchased,
                    });
                    rows.push(EacRow {
                        id: 0,
                        kind: EacType::Gec,
                        certificate: id,
                        mwh: qty.normalize(),
                        from: month,
                        to: month,
                        sites: sites.clone(),
                        technology: None,
                        plant: None,
                        region: None,
                        tradable: None,
                        subsidy,
                        acquired: Some(acquired),
                        purchased,
                        for_year: None,
                        status: Status::Held,
                        retirement_id: None,
                        void_reason: None,
                        evidence_id: None,
                        batch_id: None,
                        origin_ref: Some(origin),
                        created_at: String::new(),
                    });
                } else {
                    if let Some(q) = qty {
                        sheet_total += q;
                    }
                    report.issues.extend(problems);
                    report.rows.rejected += 1;
                }
            }
        }
        if !found_header {
            report.issues.push(ImportIssue::file(
                "EAC_HEADER_NOT_FOUND",
                format!("{file}: no sheet has the columns of a green-certificate platform export ({EXPECTED}); Lingtan reads the Beijing and Guangzhou power exchanges' trade details and the national GEC platform's orders"),
                format!("{file}：没有工作表含绿证平台导出的列（{EXPECTED}）；本软件可读取北京、广州电力交易中心的交易明细和国家绿证核发交易系统的订单"),
            ));
        } else if rows.is_empty() && !report.refused() {
            report.issues.push(ImportIssue::file(
                "NO_ROWS",
                format!("{file}: no certificate rows found under the header"),
                format!("{file}：表头下未找到证书行"),
            ));
        }
        if report.refused() || options.dry_run {
            return Ok(report);
        }
        let now = self.now();
        let (batch, _) = self.store.add_eac_batch(
            &label,
            &EvidenceFile {
                file_name: &file,
                sha256: &sha256,
                content: &bytes,
            },
            &rows,
            &now,
        )?;
        report.batch = Some(batch);
        Ok(report)
    }
}
