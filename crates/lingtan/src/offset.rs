//! The offset step (碳抵消) of the workbench: energy attribute certificates (EACs) for the
//! market-based scope 2, carbon-credit blocks by their registry serials, and the coverage of a
//! year's residual emissions with the shares certifiers quote.
//!
//! What a person typed is turned into checked values here and refused — with the field named as
//! the command line's flag (without its dashes) and a message in English and Chinese — before
//! anything is written; the rules are lingtan-core's ([`lingtan_core::offset`]), the rows
//! lingtan-store's (`eac`, `credit`, `retirement`). A refusal changes nothing in the project
//! file. Every change is one transaction with its audit entries; nothing is deleted (a void keeps
//! the record, a partial retirement keeps the block as superseded beside its parts). Dates "in
//! the future" are after the project's clock.
//!
//! - certificates: [`Project::add_eac`], [`Project::retire_eac`], [`Project::void_eac`],
//!   [`Project::eacs`] (each with its checks), [`Project::import_eacs`] (the platforms'
//!   exports, `eac_import`);
//! - credits: [`Project::add_credit`], [`Project::retire_credit`] (whole or in part),
//!   [`Project::void_credit`], [`Project::credits`];
//! - [`Project::offset`]: the year's residual, the credits counted against it, coverage,
//!   shortfall and the shares, each with its formula ([`json::offset`] is its stable JSON).
//!
//! The inventory's market-based scope 2 is computed after the certificates: `inventory()` passes
//! them to the calculation through [`Project::certificates_for`].

mod eac_import;
pub mod json;

pub use eac_import::{EacImportOptions, EacImportReport, ImportedCertificate, Platform};

use crate::input::check_year;
use crate::limits::{self, Field};
use crate::{parse_date, parse_decimal, Error, Project, Result};
use chrono::NaiveDate;
use lingtan_core::calc::EacResult;
use lingtan_core::error::Words;
use lingtan_core::factor::{Origin, PropertyKind};
use lingtan_core::offset::coverage::{
    self, credit_figures, Emissions, Energy, EnergyUse, OffsetInput, Scopes, ELECTRICITY_EQUIVALENT,
};
use lingtan_core::offset::credit::{self, Credit, CreditContext, CreditType, Window};
use lingtan_core::offset::eac::{
    self, Acquisition, Allocation, CcerProject, Eac, EacAssessment, EacContext, EacType,
    SiteMarket, Technology,
};
use lingtan_core::offset::ledger::{self, Ledger, Part};
use lingtan_core::offset::serial::{self, Given, Registry, Serial, Vintage};
use lingtan_core::offset::{Assessment, Check, Refusal, Status, YearMonth};
use lingtan_core::text::closest;
use lingtan_core::words;
use lingtan_core::{Decimal, Issue, Severity, Site, SourceKind, Unit};
use lingtan_store::{
    sha256_hex, CreditRow, CreditStatus, EacRow, Evidence, EvidenceFile, NewRetirement, Retire,
    Retirement,
};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// The one place this module makes an error: a stable code, the field (the command line's flag
/// without its dashes: `mwh`, `project-id`, `for-year` …), the message in both languages.
fn refuse(code: &'static str, field: &str, en: impl Into<String>, zh: impl Into<String>) -> Error {
    Error::new(code, Field::from_code(field), en.into(), zh.into())
}

/// A refusal of the core's rules, its field renamed to the flag: `renames` maps the core's names
/// where they differ (`date` → `retired` for `eac add`); the rest become flags by `_` → `-`.
fn refused(r: Refusal, renames: &[(&str, &str)]) -> Error {
    let core = r.field.as_deref().unwrap_or("");
    let field = renames
        .iter()
        .find(|(from, _)| *from == core)
        .map(|(_, to)| to.to_string())
        .unwrap_or_else(|| match core {
            "project" => "project-name".to_string(),
            _ => core.replace('_', "-"),
        });
    refuse(r.code, &field, r.en, r.zh)
}

const PLANT: Field = Field::Plant;
const REGION: Field = Field::Region;
const BENEFICIARY: Field = Field::Beneficiary;
const PROJECT_NAME: Field = Field::ProjectName;
const PROJECT_ID: Field = Field::ProjectId;
const METHODOLOGY: Field = Field::Methodology;
const LABEL: Field = Field::Label;
const COUNTRY: Field = Field::Country;

/// A certificate as typed (`lingtan eac add`).
#[derive(Debug, Clone, Default)]
pub struct EacEntry {
    /// `gec`, `green-power`, `i-rec`, `go`, `rec`, `other`.
    pub kind: String,
    /// The registry's id, verbatim.
    pub id: String,
    pub mwh: String,
    /// First and last generation month, `YYYY-MM`.
    pub from: String,
    pub to: String,
    /// Sites whose consumption it may cover (none: every site).
    pub sites: Vec<String>,
    pub technology: Option<String>,
    pub plant: Option<String>,
    pub region: Option<String>,
    /// `yes` or `no`.
    pub tradable: Option<String>,
    pub subsidy: Option<String>,
    /// `purchase`, `own-generation` or `power-trade`.
    pub acquired: Option<String>,
    /// The claim year, when not the year the generation ends.
    pub for_year: Option<String>,
    /// Retired already: the date and the beneficiary (both or neither).
    pub retired: Option<String>,
    pub beneficiary: Option<String>,
    /// The certificate (and, when retired, its retirement statement).
    pub evidence: Option<PathBuf>,
}

/// A carbon-credit block as typed (`lingtan credit add`).
#[derive(Debug, Clone, Default)]
pub struct CreditEntry {
    /// `verra`, `gold-standard`, `cdm`, `ccer`, `acr`, `car`, `art`, `other`.
    pub registry: String,
    pub serial: String,
    pub qty: Option<String>,
    pub project_id: Option<String>,
    /// Project name.
    pub project: Option<String>,
    pub methodology: Option<String>,
    /// `avoidance` or `removal`.
    pub kind: Option<String>,
    /// `YYYY` or `YYYY-MM-DD..YYYY-MM-DD`.
    pub vintage: Option<String>,
    pub country: Option<String>,
    pub labels: Vec<String>,
    /// A range kept apart from the serial (some Gold Standard records).
    pub first: Option<String>,
    pub last: Option<String>,
    /// The purchase record.
    pub evidence: Option<PathBuf>,
}

/// A retirement of a block as typed (`lingtan credit retire`).
#[derive(Debug, Clone, Default)]
pub struct CreditRetirement {
    pub date: String,
    pub beneficiary: String,
    pub for_year: String,
    /// Part of the block (whole tonnes); none: all of it.
    pub qty: Option<String>,
    pub reason: Option<String>,
    /// The registry's retirement statement.
    pub evidence: Option<PathBuf>,
}

/// A certificate as listed: the core's record (its `id` the registry's), the record's number,
/// where it came from, and its checks for the project's year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EacRecord {
    /// The record's number: what retire and void take.
    pub record: i64,
    pub eac: Eac,
    pub purchased: Option<NaiveDate>,
    pub void_reason: Option<String>,
    /// The certificate or purchase record, and the retirement statement.
    pub document: Option<Evidence>,
    pub statement: Option<Evidence>,
    pub batch: Option<i64>,
    pub origin: Option<String>,
    pub created_at: String,
    pub checks: Vec<Check>,
    pub excluded: bool,
}

/// A block as listed: the core's record (its `id` the block's number), the block it was split
/// from, and its checks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CreditRecord {
    pub credit: Credit,
    /// Split from this block by a partial retirement.
    pub parent: Option<i64>,
    pub reason_void: Option<String>,
    pub document: Option<Evidence>,
    pub statement: Option<Evidence>,
    pub created_at: String,
    pub checks: Vec<Check>,
    pub excluded: bool,
}

/// The offset summary of a year, and what it was computed from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OffsetReport {
    /// The figures, their formulas and the coverage's issues.
    pub summary: coverage::Offset,
    /// The certificates claimed for the year (void ones left out), with their checks.
    pub certificates: Vec<EacRecord>,
    /// How they covered the year's electricity (none without certificates).
    pub allocation: Option<Allocation>,
    /// The blocks retired for the year, with their checks.
    pub credits: Vec<CreditRecord>,
    /// The energy used in the year, as the shares take it.
    pub energy: Energy,
    /// Every issue of the summary: the coverage's, and each certificate's and block's checks,
    /// each with where it is.
    pub issues: Vec<Issue>,
    pub org_name: String,
    pub fingerprint: String,
    pub audit_head: String,
    /// The claim period, when it is not the calendar year `summary.year` (the year it ends).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub period: Option<lingtan_core::calc::InventoryPeriod>,
}

fn yes_no(field: Field, text: Option<&str>) -> Result<Option<bool>> {
    let Some(t) = text else { return Ok(None) };
    match t.trim().to_ascii_lowercase().as_str() {
        "yes" | "y" | "true" | "是" => Ok(Some(true)),
        "no" | "n" | "false" | "否" => Ok(Some(false)),
        _ => Err(Error::new(
            "BAD_CHOICE",
            field,
            words![field, format!(" '{t}': answer yes or no")],
            words![field, format!(" “{t}”：请填写 yes 或 no")],
        )),
    }
}

fn month(field: Field, text: &str) -> Result<YearMonth> {
    YearMonth::parse(text).ok_or_else(|| {
        Error::new(
            "BAD_MONTH",
            field,
            words![
                field,
                format!(" '{text}' is not a month; write YYYY-MM, e.g. 2025-03")
            ],
            words![
                field,
                format!("“{text}”不是有效月份；请写成 YYYY-MM，如 2025-03")
            ],
        )
    })
}

fn year(field: Field, text: &str) -> Result<i32> {
    let y = text.trim().parse::<i32>().map_err(|_| {
        Error::new(
            "BAD_YEAR",
            field,
            words![
                field,
                format!(" '{text}' is not a year; write YYYY, e.g. 2025")
            ],
            words![field, format!("“{text}”不是有效年份；请写成 YYYY，如 2025")],
        )
    })?;
    check_year(field, y)?;
    Ok(y)
}

/// A whole, positive number of tonnes (or certificates) as typed.
fn whole(field: Field, text: &str) -> Result<u64> {
    let d = parse_decimal(field, text)?;
    if d <= Decimal::ZERO || !d.fract().is_zero() {
        return Err(Error::new(
            "BAD_QUANTITY",
            field,
            words![field, format!(" {text}: give a whole number of at least 1")],
            words![field, format!(" {text}：请填写至少为 1 的整数")],
        ));
    }
    u64::try_from(d.trunc()).map_err(|_| {
        Error::new(
            "BAD_QUANTITY",
            field,
            words![field, format!(" {text}: too large")],
            words![field, format!(" {text}：数值过大")],
        )
    })
}

/// A file to keep as evidence: its name, bytes and SHA-256.
struct Document {
    name: String,
    bytes: Vec<u8>,
    sha: String,
}

impl Document {
    fn read(path: Option<&Path>) -> Result<Option<Document>> {
        let Some(path) = path else { return Ok(None) };
        let bytes = crate::files::read(path, crate::files::Input::Evidence)?;
        Ok(Some(Document {
            name: crate::input::file_name(path),
            sha: sha256_hex(&bytes),
            bytes,
        }))
    }

    fn file(&self) -> EvidenceFile<'_> {
        EvidenceFile {
            file_name: &self.name,
            sha256: &self.sha,
            content: &self.bytes,
        }
    }
}

/// A core certificate from its stored row and its retirement.
fn eac_of(row: &EacRow, retirements: &HashMap<i64, Retirement>) -> Eac {
    let r = row.retirement_id.and_then(|id| retirements.get(&id));
    Eac {
        kind: row.kind,
        id: row.certificate.clone(),
        mwh: row.mwh,
        from: row.from,
        to: row.to,
        sites: row.sites.clone(),
        technology: row.technology,
        plant: row.plant.clone(),
        region: row.region.clone(),
        tradable: row.tradable,
        subsidy: row.subsidy,
        acquired: row.acquired,
        status: row.status,
        retired: r.map(|r| r.date),
        beneficiary: r.map(|r| r.beneficiary.clone()),
        for_year: row.for_year,
        evidence: r
            .and_then(|r| r.evidence_id)
            .or(row.evidence_id)
            .map(|id| format!("evidence #{id}")),
    }
}

/// The core's status of a stored block (a superseded block is not listed).
fn status_of(s: CreditStatus) -> Status {
    match s {
        CreditStatus::Held => Status::Held,
        CreditStatus::Retired => Status::Retired,
        CreditStatus::Void | CreditStatus::Superseded => Status::Void,
    }
}

/// Read a stored block's serial again (the core's [`Serial`] is only made by reading): the
/// values stored beside it are given, so a block recorded by Lingtan always reads the same.
fn serial_of(row: &CreditRow) -> Result<Serial, Refusal> {
    let vintage = row.vintage;
    serial::read(
        row.registry,
        &row.serial,
        &Given {
            qty: Some(Decimal::from(row.quantity)),
            project_id: row.project_id.as_deref(),
            vintage,
            country: row.country.as_deref(),
            first: row.first,
            last: row.last,
            labels: &row.labels,
        },
    )
}

/// The row a serial is stored as, with the typed fields beside it.
fn credit_row(s: &Serial, like: &CreditRow) -> CreditRow {
    CreditRow {
        id: 0,
        registry: s.registry,
        serial: s.serial.clone(),
        serial_key: ledger::serial_key(s),
        reading: s.reading,
        block_key: s.block_key.clone(),
        first: s.first,
        last: s.last,
        quantity: s.quantity,
        project_id: s.project_id.clone(),
        vintage: s.vintage,
        country: s.country.clone(),
        fields: s.fields.clone(),
        ..like.clone()
    }
}

impl Project {
    /// The project's today: the date of its clock.
    pub(crate) fn today(&self) -> Result<NaiveDate> {
        let now = self.now();
        NaiveDate::parse_from_str(now.get(..10).unwrap_or(""), "%Y-%m-%d").map_err(|_| {
            refuse(
                "BAD_CLOCK",
                "clock",
                format!("the clock gives '{now}', which is not an RFC 3339 time"),
                format!("时钟给出的“{now}”不是 RFC 3339 时间"),
            )
        })
    }

    /// The organisation's names a beneficiary must match (English and Chinese).
    fn organisation(&self) -> Result<Vec<String>> {
        let info = self.info()?;
        Ok(std::iter::once(info.org_name)
            .chain(info.org_name_zh)
            .collect())
    }

    fn evidence_by_id(&self) -> Result<HashMap<i64, Evidence>> {
        Ok(self
            .store
            .evidence()?
            .into_iter()
            .map(|e| (e.id, e))
            .collect())
    }

    fn retirements_by_id(&self) -> Result<HashMap<i64, Retirement>> {
        Ok(self
            .store
            .retirements()?
            .into_iter()
            .map(|r| (r.id, r))
            .collect())
    }

    /// The CCER projects of the credit ledger (for the GEC/CCER double-claim warning).
    fn ccer_projects(&self) -> Result<Vec<CcerProject>> {
        Ok(self
            .store
            .ccer_projects()?
            .into_iter()
            .map(|(project_id, name)| CcerProject { project_id, name })
            .collect())
    }

    /// The project's certificates (in the order recorded, void ones too) and their checks for
    /// `year`: what the inventory's market-based scope 2 is computed with.
    pub fn certificates_for(
        &self,
        year: i32,
        sites: &[Site],
    ) -> Result<(Vec<Eac>, Vec<EacAssessment>)> {
        let rows = self.store.eacs()?;
        if rows.is_empty() {
            return Ok((Vec::new(), Vec::new()));
        }
        let retirements = self.retirements_by_id()?;
        let eacs: Vec<Eac> = rows.iter().map(|r| eac_of(r, &retirements)).collect();
        let organisation = self.organisation()?;
        let markets = self.site_markets(sites)?;
        let ccer = self.ccer_projects()?;
        let assessments = eac::assess(
            &eacs,
            &EacContext {
                year,
                organisation: &organisation,
                sites: &markets,
                ccer_projects: &ccer,
            },
        );
        Ok((eacs, assessments))
    }

    /// Each site's market, and whether it has an on-site generation source (whose output the
    /// shares count as used on site: the organisation's own certificates cannot cover its grid
    /// electricity as well).
    fn site_markets(&self, sites: &[Site]) -> Result<Vec<SiteMarket>> {
        let sources = self.sources()?;
        Ok(sites
            .iter()
            .map(|site| SiteMarket {
                onsite_generation: sources
                    .iter()
                    .any(|s| s.site_id == site.id && s.kind == SourceKind::OnsiteGeneration),
                ..SiteMarket::of(site)
            })
            .collect())
    }

    /// Every certificate record with its checks for `year` (the project's year by default).
    pub fn eacs(&self, year: Option<i32>) -> Result<Vec<EacRecord>> {
        let info = self.info()?;
        let year = year.unwrap_or(info.year);
        check_year(Field::Year, year)?;
        let rows = self.store.eacs()?;
        let sites = self.sites()?;
        let (eacs, assessments) = self.certificates_for(year, &sites)?;
        let evidence = self.evidence_by_id()?;
        let retirements = self.retirements_by_id()?;
        Ok(rows
            .into_iter()
            .zip(eacs)
            .zip(assessments)
            .map(|((row, eac), a)| EacRecord {
                record: row.id,
                eac,
                purchased: row.purchased,
                void_reason: row.void_reason,
                document: row.evidence_id.and_then(|id| evidence.get(&id).cloned()),
                statement: row
                    .retirement_id
                    .and_then(|r| retirements.get(&r))
                    .and_then(|r| r.evidence_id)
                    .and_then(|id| evidence.get(&id).cloned()),
                batch: row.batch_id,
                origin: row.origin_ref,
                created_at: row.created_at,
                checks: a.checks,
                excluded: a.excluded,
            })
            .collect())
    }

    /// The certificate record `reference` names: its number (`12`, `#12`) or the registry's
    /// id when one record has it. Ambiguity is refused, naming the records.
    fn eac_ref(&self, reference: &str) -> Result<EacRow> {
        let rows = self.store.eacs()?;
        let text = reference.trim();
        let number = text.trim_start_matches('#').parse::<i64>().ok();
        let by_number = number.and_then(|n| rows.iter().find(|r| r.id == n));
        let by_id: Vec<&EacRow> = rows
            .iter()
            .filter(|r| r.certificate == text && r.status != Status::Void)
            .collect();
        match (by_number, by_id.as_slice()) {
            (Some(r), []) => Ok(r.clone()),
            (Some(r), [other]) if other.id == r.id => Ok(r.clone()),
            (None, [one]) => Ok((*one).clone()),
            (None, []) => {
                let ids: Vec<&str> = rows.iter().map(|r| r.certificate.as_str()).collect();
                let near = closest(text, ids.iter().copied());
                let (en, zh) = crate::input::names_hint(&near);
                Err(Error::new(
                    "UNKNOWN_EAC",
                    Field::Id,
                    words![
                        format!("certificate '{text}': no such record (give the record number shown in "),
                        crate::Action::ListCertificates,
                        format!(", or the certificate's id){en}")
                    ],
                    words![
                        format!("证书“{text}”：没有该记录（请填写"),
                        crate::Action::ListCertificates,
                        format!("中的记录编号或证书编号）{zh}")
                    ],
                ))
            }
            (by_number, many) => {
                let list: Vec<String> = by_number
                    .into_iter()
                    .chain(many.iter().copied())
                    .map(|r| format!("#{} ({} {})", r.id, r.kind.code(), r.certificate))
                    .collect();
                Err(refuse(
                    "AMBIGUOUS_EAC",
                    "id",
                    format!(
                        "certificate '{text}' names several records: {}; give the record number",
                        list.join(", ")
                    ),
                    format!(
                        "证书“{text}”对应多条记录：{}；请填写记录编号",
                        list.join("、")
                    ),
                ))
            }
        }
    }

    /// Record a certificate (held, or retired when the retirement is given). Everything is
    /// checked before anything is written.
    pub fn add_eac(&mut self, entry: &EacEntry) -> Result<EacRecord> {
        let kind = EacType::parse(&entry.kind).ok_or_else(|| {
            Error::new(
                "EAC_TYPE_UNKNOWN",
                Field::Type,
                words![Field::Type, format!(" '{}': unknown certificate type; use gec, green-power, i-rec, go, rec or other", entry.kind)],
                words![Field::Type, format!(" “{}”：未知证书类型；可用 gec（绿证）、green-power（绿电交易）、i-rec、go、rec 或 other", entry.kind)],
            )
        })?;
        let mwh = parse_decimal(Field::Mwh, &entry.mwh)?;
        let from = month(Field::From, &entry.from)?;
        let to = month(Field::To, &entry.to)?;
        let mut sites = Vec::new();
        for s in &entry.sites {
            let site = self.find_site(s)?;
            if !sites.contains(&site.name) {
                sites.push(site.name);
            }
        }
        let technology = entry
            .technology
            .as_deref()
            .map(|t| {
                Technology::parse(t).ok_or_else(|| {
                    Error::new(
                        "UNKNOWN_TECHNOLOGY",
                        Field::Technology,
                        words![Field::Technology, format!(" '{t}': use wind, solar, hydro, biomass, geothermal or other")],
                        words![Field::Technology, format!(" “{t}”：可用 wind（风电）、solar（光伏）、hydro（水电）、biomass（生物质）、geothermal（地热）或 other")],
                    )
                })
            })
            .transpose()?;
        let acquired = entry
            .acquired
            .as_deref()
            .map(|a| {
                Acquisition::parse(a).ok_or_else(|| {
                    Error::new(
                        "BAD_CHOICE",
                        Field::Acquired,
                        words![Field::Acquired, format!(" '{a}': use purchase, own-generation or power-trade")],
                        words![Field::Acquired, format!(" “{a}”：可用 purchase（购买）、own-generation（自有电站）或 power-trade（绿电交易）")],
                    )
                })
            })
            .transpose()?;
        let for_year = entry
            .for_year
            .as_deref()
            .map(|y| year(Field::ForYear, y))
            .transpose()?;
        let retired = match (&entry.retired, &entry.beneficiary) {
            (None, None) => None,
            (Some(d), Some(b)) => Some((
                parse_date(Field::Retired, d)?,
                limits::name(BENEFICIARY, b)?,
            )),
            (Some(_), None) => {
                return Err(Error::new(
                    "EAC_RETIREMENT_INVALID",
                    BENEFICIARY,
                    words![
                        BENEFICIARY,
                        ": a retired certificate needs the beneficiary named on its retirement"
                    ],
                    words![BENEFICIARY, "：已注销的证书须填写注销记录上的受益方"],
                ))
            }
            (None, Some(_)) => {
                return Err(Error::new(
                    "EAC_RETIREMENT_INVALID",
                    Field::Retired,
                    words![
                        Field::Retired,
                        ": a beneficiary is given without the retirement date; give both or neither"
                    ],
                    words![
                        Field::Retired,
                        "：填写了受益方但没有注销日期；请同时填写或都不填"
                    ],
                ))
            }
        };
        let held = Eac {
            kind,
            id: entry.id.trim().to_string(),
            mwh,
            from,
            to,
            sites,
            technology,
            plant: limits::optional_name(PLANT, entry.plant.as_deref())?,
            region: limits::optional_name(REGION, entry.region.as_deref())?,
            tradable: yes_no(Field::Tradable, entry.tradable.as_deref())?,
            subsidy: yes_no(Field::Subsidy, entry.subsidy.as_deref())?,
            acquired,
            status: Status::Held,
            retired: None,
            beneficiary: None,
            for_year,
            evidence: None,
        };
        let today = self.today()?;
        let renames = [("date", "retired")];
        eac::validate(&held, today).map_err(|r| refused(r, &renames))?;
        if let Some((date, beneficiary)) = &retired {
            eac::validate_retirement(&held, *date, beneficiary, None, today)
                .map_err(|r| refused(r, &renames))?;
        }
        let document = Document::read(entry.evidence.as_deref())?;
        let row = EacRow {
            id: 0,
            kind,
            certificate: held.id.clone(),
            mwh: held.mwh.normalize(),
            from,
            to,
            sites: held.sites.clone(),
            technology,
            plant: held.plant.clone(),
            region: held.region.clone(),
            tradable: held.tradable,
            subsidy: held.subsidy,
            acquired,
            purchased: None,
            for_year,
            status: Status::Held,
            retirement_id: None,
            void_reason: None,
            evidence_id: None,
            batch_id: None,
            origin_ref: None,
            created_at: String::new(),
        };
        let retirement = retired.map(|(date, beneficiary)| NewRetirement {
            date,
            beneficiary,
            for_year,
            reason: None,
            statement: document.as_ref().map(Document::file),
        });
        let now = self.now();
        let (saved, _) = self.store.add_eac(
            &row,
            document.as_ref().map(Document::file),
            retirement.as_ref(),
            &now,
        )?;
        self.eac_record(saved.id)
    }

    /// One certificate as listed (with its checks for the project's year).
    ///
    /// Reads that record and the records with its type and registry id (the duplicate-id check,
    /// an indexed store query), never every certificate of the project: the checks are those
    /// `eacs` gives it, as the others are compared only on the id.
    fn eac_record(&self, id: i64) -> Result<EacRecord> {
        let unknown = || {
            refuse(
                "UNKNOWN_EAC",
                "id",
                format!("certificate #{id}: no such record"),
                format!("证书 #{id}：没有该记录"),
            )
        };
        let year = self.info()?.year;
        let row = self.store.eac(id).map_err(|_| unknown())?;
        // the records up to this one with the same id, in the order recorded: what `assess`
        // compares it with
        let mut rows: Vec<EacRow> = self
            .store
            .eacs_with_certificate(row.kind, &row.certificate)?
            .into_iter()
            .filter(|r| r.id < id)
            .collect();
        rows.push(row.clone());
        let retirement_ids: Vec<i64> = rows.iter().filter_map(|r| r.retirement_id).collect();
        let retirements: HashMap<i64, Retirement> = self
            .store
            .retirements_of(&retirement_ids)?
            .into_iter()
            .map(|r| (r.id, r))
            .collect();
        let eacs: Vec<Eac> = rows.iter().map(|r| eac_of(r, &retirements)).collect();
        let organisation = self.organisation()?;
        let sites = self.sites()?;
        let markets = self.site_markets(&sites)?;
        let ccer = self.ccer_projects()?;
        let a = eac::assess(
            &eacs,
            &EacContext {
                year,
                organisation: &organisation,
                sites: &markets,
                ccer_projects: &ccer,
            },
        )
        .pop()
        .ok_or_else(unknown)?;
        let eac = eacs.into_iter().last().ok_or_else(unknown)?;
        let statement_id = row
            .retirement_id
            .and_then(|r| retirements.get(&r))
            .and_then(|r| r.evidence_id);
        let evidence_ids: Vec<i64> = row.evidence_id.into_iter().chain(statement_id).collect();
        let evidence: HashMap<i64, Evidence> = self
            .store
            .evidence_of(&evidence_ids)?
            .into_iter()
            .map(|e| (e.id, e))
            .collect();
        Ok(EacRecord {
            record: row.id,
            eac,
            purchased: row.purchased,
            void_reason: row.void_reason,
            document: row.evidence_id.and_then(|id| evidence.get(&id).cloned()),
            statement: statement_id.and_then(|id| evidence.get(&id).cloned()),
            batch: row.batch_id,
            origin: row.origin_ref,
            created_at: row.created_at,
            checks: a.checks,
            excluded: a.excluded,
        })
    }

    /// Retire a held certificate for the organisation (its retirement or cancellation, 核销).
    pub fn retire_eac(
        &mut self,
        reference: &str,
        date: &str,
        beneficiary: &str,
        evidence: Option<&Path>,
    ) -> Result<EacRecord> {
        let row = self.eac_ref(reference)?;
        let date = parse_date(Field::Date, date)?;
        let beneficiary = limits::name(BENEFICIARY, beneficiary)?;
        let retirements = self.retirements_by_id()?;
        let held = eac_of(&row, &retirements);
        let today = self.today()?;
        eac::validate_retirement(&held, date, &beneficiary, row.purchased, today)
            .map_err(|r| refused(r, &[]))?;
        let document = Document::read(evidence)?;
        let now = self.now();
        self.store.retire_eac(
            row.id,
            &NewRetirement {
                date,
                beneficiary,
                for_year: row.for_year,
                reason: None,
                statement: document.as_ref().map(Document::file),
            },
            &now,
        )?;
        self.eac_record(row.id)
    }

    /// Void a certificate record (kept, never counted) with the reason.
    pub fn void_eac(&mut self, reference: &str, reason: &str) -> Result<EacRecord> {
        let row = self.eac_ref(reference)?;
        let reason = void_reason(reason)?;
        if row.status == Status::Void {
            return Err(refuse(
                "ALREADY_VOID",
                "id",
                format!("certificate #{} is void already", row.id),
                format!("证书 #{} 已作废", row.id),
            ));
        }
        let now = self.now();
        self.store.void_eac(row.id, &reason, &now)?;
        self.eac_record(row.id)
    }

    /// Every block (void ones too; superseded ones are not listed: their parts are) with its
    /// checks, in the order recorded.
    pub fn credits(&self) -> Result<Vec<CreditRecord>> {
        let rows = self.store.credits()?;
        self.credit_records(&rows)
    }

    /// The records of `rows` (superseded ones left out) with their checks; the overlap check
    /// of blocks already in the file runs among `rows`.
    fn credit_records(&self, rows: &[CreditRow]) -> Result<Vec<CreditRecord>> {
        let retirements = self.retirements_by_id()?;
        let evidence = self.evidence_by_id()?;
        let organisation = self.organisation()?;
        let ctx = CreditContext {
            organisation: &organisation,
            window: Window::PeriodEnd,
        };
        let parents: HashMap<i64, i64> = rows
            .iter()
            .filter_map(|r| Some((r.id, r.parent_id?)))
            .collect();
        let root = |mut id: i64| {
            // a parent chain is as long as the retirements of one block; bounded all the same
            for _ in 0..rows.len() {
                match parents.get(&id) {
                    Some(p) => id = *p,
                    None => break,
                }
            }
            id
        };
        let mut out = Vec::new();
        let mut live = Vec::new();
        for row in rows.iter().filter(|r| r.status != CreditStatus::Superseded) {
            let retirement = row.retirement_id.and_then(|id| retirements.get(&id));
            let statement = retirement
                .and_then(|r| r.evidence_id)
                .and_then(|id| evidence.get(&id).cloned());
            let (serial, unreadable) = match serial_of(row) {
                Ok(s) => (s, None),
                // kept visible as written; left out of every figure
                Err(e) => (
                    Serial::as_stored(row.registry, &row.serial, row.quantity),
                    Some(e),
                ),
            };
            if unreadable.is_none()
                && matches!(row.status, CreditStatus::Held | CreditStatus::Retired)
            {
                live.push((row.id, root(row.id), serial.clone()));
            }
            let c = Credit {
                id: row.id,
                serial,
                project: row.project.clone(),
                methodology: row.methodology.clone(),
                kind: row.kind,
                labels: row.labels.clone(),
                status: status_of(row.status),
                retired: retirement.map(|r| r.date),
                beneficiary: retirement.map(|r| r.beneficiary.clone()),
                for_year: retirement.and_then(|r| r.for_year),
                reason: retirement.and_then(|r| r.reason.clone()),
                evidence: statement.as_ref().map(|e| format!("evidence #{}", e.id)),
            };
            let mut a: Assessment = credit::assess(&c, &ctx);
            if let Some(e) = unreadable {
                a.push(Check::new(
                    &credit::CREDIT_RECORD_UNREADABLE,
                    format!(
                        "credit #{} ({} {}): {}",
                        row.id,
                        row.registry.code(),
                        row.serial,
                        e.en
                    ),
                    format!(
                        "信用 #{}（{} {}）：{}",
                        row.id,
                        row.registry.code(),
                        row.serial,
                        e.zh
                    ),
                ));
            }
            out.push(CreditRecord {
                credit: c,
                parent: row.parent_id,
                reason_void: row.void_reason.clone(),
                document: row.evidence_id.and_then(|id| evidence.get(&id).cloned()),
                statement,
                created_at: row.created_at.clone(),
                excluded: a.excluded,
                checks: a.checks,
            });
        }
        // overlaps already in the file (written outside Lingtan): the later block is left out
        let (_, overlaps) = Ledger::load_parts(live);
        for (id, check) in overlaps {
            if let Some(r) = out.iter_mut().find(|r| r.credit.id == id) {
                r.excluded |= check.excludes;
                r.checks.push(check);
            }
        }
        Ok(out)
    }

    /// The live block `reference` names: its number (`7`, `#7`) or its exact serial.
    fn credit_ref(&self, reference: &str) -> Result<CreditRow> {
        let text = reference.trim();
        let rows = self.store.credits()?;
        let number = text.trim_start_matches('#').parse::<i64>().ok();
        let found = number
            .and_then(|n| rows.iter().find(|r| r.id == n))
            .or_else(|| {
                let key: String = text
                    .chars()
                    .filter(|c| !c.is_whitespace())
                    .flat_map(char::to_uppercase)
                    .collect();
                let live: Vec<&CreditRow> = rows
                    .iter()
                    .filter(|r| {
                        r.serial_key == key
                            && matches!(r.status, CreditStatus::Held | CreditStatus::Retired)
                    })
                    .collect();
                (live.len() == 1).then(|| live[0])
            });
        let Some(row) = found else {
            return Err(Error::new(
                "UNKNOWN_CREDIT",
                Field::Id,
                words![
                    format!("credit '{text}': no such block (give the number shown in "),
                    crate::Action::ListCredits,
                    ")"
                ],
                words![
                    format!("碳信用“{text}”：没有该区块（请填写"),
                    crate::Action::ListCredits,
                    "中的编号）"
                ],
            ));
        };
        if row.status == CreditStatus::Superseded {
            let parts: Vec<String> = rows
                .iter()
                .filter(|r| r.parent_id == Some(row.id))
                .map(|r| format!("#{}", r.id))
                .collect();
            return Err(refuse(
                "CREDIT_SUPERSEDED",
                "id",
                format!(
                    "credit #{} was split by a partial retirement into {}: give one of those",
                    row.id,
                    parts.join(", ")
                ),
                format!(
                    "碳信用 #{} 已因部分注销拆分为 {}：请填写其中之一",
                    row.id,
                    parts.join("、")
                ),
            ));
        }
        Ok(row.clone())
    }

    /// Record a block of credits (held). The serial is read by its registry's grammar; values
    /// given beside it must agree with it; a block overlapping one already recorded (same
    /// registry, same issuance or batch, intersecting units) or the same serial again is refused,
    /// naming the other block and the overlap.
    pub fn add_credit(&mut self, entry: &CreditEntry) -> Result<CreditRecord> {
        let (serial, row) = self.credit_of(entry)?;
        self.refuse_double_count(&serial)?;
        let document = Document::read(entry.evidence.as_deref())?;
        let now = self.now();
        let saved = self
            .store
            .add_credit(&row, document.as_ref().map(Document::file), &now)?;
        self.credit_record(saved.id)
    }

    /// Record many blocks in one transaction (a registry statement listing many blocks): each
    /// is checked as [`Project::add_credit`] checks one, against the project and against the
    /// blocks before it in the list; the first refusal refuses them all, naming the entry (its
    /// 1-based position). Evidence files are not taken here. Returns the blocks' numbers.
    pub fn add_credits(&mut self, entries: &[CreditEntry]) -> Result<Vec<i64>> {
        let mut rows = Vec::with_capacity(entries.len());
        let mut batch = Ledger::new();
        for (i, entry) in entries.iter().enumerate() {
            let within = |e: Error| Error {
                en: {
                    let mut w = Words::from(format!("entry {}: ", i + 1));
                    w.append(e.en);
                    w
                },
                zh: {
                    let mut w = Words::from(format!("第 {} 条：", i + 1));
                    w.append(e.zh);
                    w
                },
                ..e
            };
            let (serial, row) = self.credit_of(entry).map_err(within)?;
            self.refuse_double_count(&serial).map_err(within)?;
            batch
                .add(-1 - i as i64, serial)
                .map_err(|r| within(refused(r, &[])))?;
            rows.push(row);
        }
        let now = self.now();
        Ok(self
            .store
            .add_credits(&rows, &now)?
            .into_iter()
            .map(|r| r.id)
            .collect())
    }

    /// A block as typed, read and checked (not yet against the ledger): its serial and its row.
    fn credit_of(&self, entry: &CreditEntry) -> Result<(Serial, CreditRow)> {
        let registry = Registry::parse(&entry.registry).ok_or_else(|| {
            Error::new(
                "UNKNOWN_REGISTRY",
                Field::Registry,
                words![Field::Registry, format!(" '{}': unknown registry; use verra, gold-standard, cdm, ccer, acr, car, art or other", entry.registry)],
                words![Field::Registry, format!(" “{}”：未知登记处；可用 verra、gold-standard、cdm、ccer、acr、car、art 或 other", entry.registry)],
            )
        })?;
        let qty = entry
            .qty
            .as_deref()
            .map(|q| parse_decimal(Field::Qty, q))
            .transpose()?;
        let vintage = entry
            .vintage
            .as_deref()
            .map(|v| {
                Vintage::parse(v).ok_or_else(|| {
                    Error::new(
                        "BAD_VINTAGE",
                        Field::Vintage,
                        words![
                            Field::Vintage,
                            format!(
                                " '{v}': write a year (2022) or a period (2022-01-01..2022-10-31)"
                            )
                        ],
                        words![
                            Field::Vintage,
                            format!(" “{v}”：请写年份（2022）或期间（2022-01-01..2022-10-31）")
                        ],
                    )
                })
            })
            .transpose()?;
        let kind = entry
            .kind
            .as_deref()
            .map(|t| {
                CreditType::parse(t).ok_or_else(|| {
                    Error::new(
                        "UNKNOWN_CREDIT_TYPE",
                        Field::Type,
                        words![Field::Type, format!(" '{t}': use avoidance or removal")],
                        words![
                            Field::Type,
                            format!(" “{t}”：可用 avoidance（避免排放）或 removal（清除）")
                        ],
                    )
                })
            })
            .transpose()?;
        let unit = |field: Field, text: &Option<String>| -> Result<Option<u64>> {
            text.as_deref().map(|t| whole(field, t)).transpose()
        };
        let first = unit(Field::First, &entry.first)?;
        let last = unit(Field::Last, &entry.last)?;
        let project_id = limits::optional_name(PROJECT_ID, entry.project_id.as_deref())?;
        let country = limits::optional_name(COUNTRY, entry.country.as_deref())?;
        let mut labels = Vec::new();
        for l in &entry.labels {
            let l = limits::name(LABEL, l)?;
            if !labels.contains(&l) {
                labels.push(l);
            }
        }
        let serial = serial::read(
            registry,
            &entry.serial,
            &Given {
                qty,
                project_id: project_id.as_deref(),
                vintage,
                country: country.as_deref(),
                first,
                last,
                labels: &labels,
            },
        )
        .map_err(|r| refused(r, &[]))?;
        let like = CreditRow {
            id: 0,
            registry,
            serial: String::new(),
            serial_key: String::new(),
            reading: serial.reading,
            block_key: String::new(),
            first: None,
            last: None,
            quantity: 0,
            project_id: None,
            vintage: None,
            country: None,
            fields: BTreeMap::new(),
            project: limits::optional_name(PROJECT_NAME, entry.project.as_deref())?,
            methodology: limits::optional_name(METHODOLOGY, entry.methodology.as_deref())?,
            kind,
            labels,
            status: CreditStatus::Held,
            parent_id: None,
            retirement_id: None,
            void_reason: None,
            evidence_id: None,
            created_at: String::new(),
        };
        let row = credit_row(&serial, &like);
        Ok((serial, row))
    }

    /// Refuse a block that a recorded live block already claims: the candidates are read
    /// through the store's indexes (its issuance's blocks whose range meets it, and the blocks
    /// with its serial) into the core's ledger, which names the other block and the overlap.
    fn refuse_double_count(&self, serial: &Serial) -> Result<()> {
        let candidates = self.store.credit_candidates(
            serial.registry,
            &serial.block_key,
            serial.range(),
            &ledger::serial_key(serial),
        )?;
        let blocks = candidates
            .iter()
            .filter_map(|row| serial_of(row).ok().map(|s| (row.id, s)));
        let (ledger, _) = Ledger::load(blocks);
        ledger.refusal(serial).map_err(|r| refused(r, &[]))
    }

    /// One block's record, read without listing the ledger (adding a block to 20,000 must stay
    /// fast): its row, the blocks it could overlap (through the store's indexes) and their
    /// ancestors, so that parts of one split block are recognised as such.
    fn credit_record(&self, id: i64) -> Result<CreditRecord> {
        let unknown = || {
            refuse(
                "UNKNOWN_CREDIT",
                "id",
                format!("credit #{id}: no such block"),
                format!("碳信用 #{id}：没有该区块"),
            )
        };
        let row = self.store.credit(id).map_err(|_| unknown())?;
        let mut rows = match serial_of(&row) {
            Ok(s) => self.store.credit_candidates(
                s.registry,
                &s.block_key,
                s.range(),
                &ledger::serial_key(&s),
            )?,
            Err(_) => Vec::new(),
        };
        if !rows.iter().any(|r| r.id == id) {
            rows.push(row);
        }
        let mut i = 0;
        while i < rows.len() {
            if let Some(parent) = rows[i].parent_id {
                if !rows.iter().any(|r| r.id == parent) {
                    rows.push(self.store.credit(parent)?);
                }
            }
            i += 1;
        }
        rows.sort_by_key(|r| r.id);
        self.credit_records(&rows)?
            .into_iter()
            .find(|r| r.credit.id == id)
            .ok_or_else(unknown)
    }

    /// Retire a held block for the organisation and a claim year, whole or — with a quantity
    /// smaller than the block — in part: the block is split as registries do into the retired
    /// sub-range (its first units) and the rest, each with its own serial, the parts adding up to
    /// the block; the block is kept as superseded. Returns the parts now holding its units.
    pub fn retire_credit(
        &mut self,
        reference: &str,
        r: &CreditRetirement,
    ) -> Result<Vec<CreditRecord>> {
        let row = self.credit_ref(reference)?;
        let date = parse_date(Field::Date, &r.date)?;
        let beneficiary = limits::name(BENEFICIARY, &r.beneficiary)?;
        let for_year = year(Field::ForYear, &r.for_year)?;
        let qty = r.qty.as_deref().map(|q| whole(Field::Qty, q)).transpose()?;
        let reason = limits::optional_text(crate::limits::REASON, r.reason.as_deref())?;
        let serial = serial_of(&row).map_err(|e| {
            refuse(
                credit::CREDIT_RECORD_UNREADABLE.code,
                "id",
                format!("credit #{}: {}", row.id, e.en),
                format!("碳信用 #{}：{}", row.id, e.zh),
            )
        })?;
        let retirements = self.retirements_by_id()?;
        let retirement = row.retirement_id.and_then(|id| retirements.get(&id));
        let current = Credit {
            id: row.id,
            serial: serial.clone(),
            project: row.project.clone(),
            methodology: row.methodology.clone(),
            kind: row.kind,
            labels: row.labels.clone(),
            status: status_of(row.status),
            retired: retirement.map(|r| r.date),
            beneficiary: retirement.map(|r| r.beneficiary.clone()),
            for_year: retirement.and_then(|r| r.for_year),
            reason: None,
            evidence: None,
        };
        let today = self.today()?;
        credit::validate_retirement(&current, date, &beneficiary, for_year, None, today)
            .map_err(|e| refused(e, &[]))?;
        let how = match qty {
            None => Retire::Whole,
            Some(q) if q == serial.quantity => Retire::Whole,
            Some(q) => {
                let split =
                    ledger::split(&serial, Part::Quantity(q)).map_err(|e| refused(e, &[]))?;
                // the parts must tile the block exactly: the ledger's own check
                let mut check = Ledger::new();
                check
                    .add(row.id, serial.clone())
                    .map_err(|e| refused(e, &[]))?;
                let mut parts = vec![(-1, split.retired.clone())];
                parts.extend(
                    split
                        .rest
                        .iter()
                        .cloned()
                        .enumerate()
                        .map(|(i, s)| (-2 - i as i64, s)),
                );
                check.replace(row.id, parts).map_err(|e| refused(e, &[]))?;
                let mut rows = vec![CreditRow {
                    status: CreditStatus::Retired,
                    ..credit_row(&split.retired, &row)
                }];
                rows.extend(split.rest.iter().map(|s| CreditRow {
                    status: CreditStatus::Held,
                    ..credit_row(s, &row)
                }));
                Retire::Parts(rows)
            }
        };
        let document = Document::read(r.evidence.as_deref())?;
        let now = self.now();
        let (parts, _) = self.store.retire_credit(
            row.id,
            &how,
            &NewRetirement {
                date,
                beneficiary,
                for_year: Some(for_year),
                reason,
                statement: document.as_ref().map(Document::file),
            },
            &now,
        )?;
        let ids: Vec<i64> = parts.iter().map(|p| p.id).collect();
        Ok(self
            .credits()?
            .into_iter()
            .filter(|c| ids.contains(&c.credit.id))
            .collect())
    }

    /// Void a block (kept, never counted) with the reason.
    pub fn void_credit(&mut self, reference: &str, reason: &str) -> Result<CreditRecord> {
        let row = self.credit_ref(reference)?;
        let reason = void_reason(reason)?;
        if row.status == CreditStatus::Void {
            return Err(refuse(
                "ALREADY_VOID",
                "id",
                format!("credit #{} is void already", row.id),
                format!("碳信用 #{} 已作废", row.id),
            ));
        }
        let now = self.now();
        self.store.void_credit(row.id, &reason, &now)?;
        self.credit_record(row.id)
    }

    /// The offset summary of `year` (the project's year by default) for `scopes` (`1+2`, the
    /// default, or `1+2+3`): the residual emissions (market-based scope 2 after the
    /// certificates), the credits retired for the year that pass every ✗ check, coverage and
    /// shortfall, and the shares with their formulas.
    pub fn offset(&self, year: Option<i32>, scopes: Option<&str>) -> Result<OffsetReport> {
        let scopes = match scopes {
            None => Scopes::OneTwo,
            Some(text) => Scopes::parse(text).ok_or_else(|| {
                Error::new(
                    "BAD_SCOPES",
                    Field::Scopes,
                    words![Field::Scopes, format!(" '{text}': choose 1+2 or 1+2+3")],
                    words![Field::Scopes, format!(" “{text}”：请选择 1+2 或 1+2+3")],
                )
            })?,
        };
        let report = self.inventory(year, false)?;
        self.offset_of(report, scopes)
    }

    /// The offset summary of a claim period (`--from` … `--to`), refused as
    /// [`Project::inventory_period`] refuses it. A certificate or a credit is claimed for a year
    /// (`--for-year`); for a period that is not a calendar year, those claimed for the year the
    /// period ends are counted (the inventory uses that year's factors too), so two periods
    /// ending in the same year would count the same credits: claim such periods one year apart.
    /// A calendar year gives exactly [`Project::offset`]'s figures.
    pub fn offset_period(
        &self,
        period: lingtan_core::claim::ClaimPeriod,
        scopes: Option<&str>,
    ) -> Result<OffsetReport> {
        let scopes = match scopes {
            None => Scopes::OneTwo,
            Some(text) => Scopes::parse(text).ok_or_else(|| {
                refuse(
                    "BAD_SCOPES",
                    "scopes",
                    format!("--scopes '{text}': choose 1+2 or 1+2+3"),
                    format!("--scopes “{text}”：请选择 1+2 或 1+2+3"),
                )
            })?,
        };
        let report = self.inventory_period(period, false)?;
        self.offset_of(report, scopes)
    }

    pub(crate) fn offset_of(
        &self,
        report: crate::InventoryReport,
        scopes: Scopes,
    ) -> Result<OffsetReport> {
        let inv = &report.inventory;
        let year = inv.year;
        let t = &inv.totals;
        let emissions = Emissions {
            scope1: t.scope1,
            scope2_market_before_eac: inv
                .eac
                .as_ref()
                .map_or(t.scope2_market, |e| e.scope2_market_before_eac),
            scope2_market: t.scope2_market,
            scope3: t.scope3,
        };
        let figures = inv
            .eac
            .as_ref()
            .map(|e| e.allocation.figures())
            .unwrap_or_default();
        let green_power = inv
            .eac
            .as_ref()
            .map(|e: &EacResult| e.green_power.clone())
            .unwrap_or_default();
        let credits = self.credits()?;
        let of_year: Vec<CreditRecord> = credits
            .into_iter()
            .filter(|c| c.credit.status == Status::Retired && c.credit.for_year == Some(year))
            .collect();
        let list: Vec<Credit> = of_year.iter().map(|c| c.credit.clone()).collect();
        let assessments: Vec<Assessment> = of_year
            .iter()
            .map(|c| Assessment {
                checks: c.checks.clone(),
                excluded: c.excluded,
            })
            .collect();
        let credit_fig = credit_figures(year, &list, &assessments);
        let (energy, energy_issues) = self.energy(&report)?;
        let summary = coverage::offset(&OffsetInput {
            year,
            scopes,
            emissions,
            eac: &figures,
            credits: credit_fig,
            energy: &energy,
            green_power: &green_power,
        });
        let certificates: Vec<EacRecord> = self
            .eacs(Some(year))?
            .into_iter()
            .filter(|e| e.eac.status != Status::Void && e.eac.claim_year() == year)
            .collect();
        let mut issues = energy_issues;
        issues.extend(summary.issues.iter().cloned());
        if let Some(e) = &inv.eac {
            issues.extend(e.allocation.issues.iter().cloned());
            for c in &e.allocation.certificates {
                let place = format!("certificate {} {}", c.kind.code(), c.id);
                issues.extend(c.checks.iter().map(|k| k.to_issue(place.clone())));
            }
        }
        for e in &certificates {
            let place = format!("certificate #{} ({})", e.record, e.eac.label());
            issues.extend(e.checks.iter().map(|k| k.to_issue(place.clone())));
        }
        for c in &of_year {
            let place = format!("credit #{} ({})", c.credit.id, c.credit.serial.label());
            issues.extend(c.checks.iter().map(|k| k.to_issue(place.clone())));
        }
        if energy.onsite.is_empty() {
            let any = self
                .sources()?
                .iter()
                .any(|s| s.kind == SourceKind::OnsiteGeneration);
            let (en, zh) = if !any {
                ("the project has no on-site generation source (kind onsite-generation holding the kWh a PV plant made): the shares count certificate-covered electricity only".to_string(),
                 "项目中没有自发电排放源（onsite-generation 类型，记录光伏等自有电站的发电量）：占比仅计入证书覆盖的电量".to_string())
            } else {
                (format!("the project's on-site generation sources have no records in {year}: no on-site generation is counted in the shares"),
                 format!("项目的自发电排放源在 {year} 年无记录：占比不计入自发电量"))
            };
            issues.push(Issue::new(
                "ONSITE_GENERATION_NOT_RECORDED",
                Severity::Info,
                format!("{year}"),
                en,
                zh,
            ));
        }
        Ok(OffsetReport {
            summary,
            certificates,
            allocation: inv.eac.as_ref().map(|e| e.allocation.clone()),
            credits: of_year,
            energy,
            issues,
            org_name: report.org_name.clone(),
            fingerprint: report.fingerprint.clone(),
            audit_head: report.audit_head.clone(),
            period: inv.period,
        })
    }

    /// The year's energy as the shares take it, with the issues of what was assumed: fuels with
    /// their tabulated standard-coal coefficient (GB/T 2589-2008 Annex A,
    /// [`coverage::standard_coal_default`]: natural gas at the gas-field row, disclosed; a fuel
    /// the table does not list has none, so the energy shares say so instead of guessing) and,
    /// for litres of a liquid fuel tabulated per kg, the density the inventory used for the
    /// source (else the project's, else Lingtan's default, disclosed); the grid electricity of
    /// the electricity sources; the on-site generation used (each `onsite-generation` source's
    /// kWh in the year, all counted as used on site — the project holds no export reading —
    /// disclosed as the reduction step does). Each at the organisation's share of its site.
    fn energy(&self, report: &crate::InventoryReport) -> Result<(Energy, Vec<Issue>)> {
        let info = self.info()?;
        let sites = self.sites()?;
        let sources = self.sources()?;
        let catalog = self.catalog()?;
        let mut issues = Vec::new();
        let mut carriers = Vec::new();
        let mut onsite = Vec::new();
        let mut grid_kwh = Decimal::ZERO;
        for s in &report.inventory.sources {
            let Some(source) = sources.iter().find(|x| x.id == s.source_id) else {
                continue;
            };
            if s.records == 0 {
                continue;
            }
            let site = sites.iter().find(|x| x.id == source.site_id);
            let share = lingtan_core::calc::equity_share(info.boundary, site);
            let quantity = s.quantity * share;
            let place = format!("{} / {}", s.site, s.source);
            match source.kind {
                SourceKind::Electricity => {
                    if let Ok(kwh) = s.unit.convert(quantity, Unit::KWh) {
                        grid_kwh += kwh;
                    }
                }
                SourceKind::OnsiteGeneration => match s.unit.convert(quantity, Unit::KWh) {
                    Ok(kwh) => onsite.push(coverage::OnsiteGeneration::of(
                        place,
                        kwh,
                        None,
                        s.records,
                        &mut issues,
                    )),
                    Err(_) => issues.push(Issue::new(
                        coverage::ONSITE_METER_INCONSISTENT.code,
                        Severity::Error,
                        place,
                        format!("kept in {}, not an energy unit: its generation is not counted in the shares; keep an on-site generation source in kWh", s.unit),
                        format!("以 {} 计量，不是能量单位：其发电量不计入占比；自发电排放源请以 kWh 计量", s.unit),
                    )),
                },
                SourceKind::StationaryCombustion | SourceKind::MobileCombustion => {
                    let fuel = source.fuel.as_deref();
                    let coefficient = fuel.and_then(coverage::standard_coal_default);
                    let density = fuel.and_then(|fuel| {
                        let own = catalog
                            .properties_of(fuel)
                            .into_iter()
                            .filter(|p| p.kind == PropertyKind::Density && p.per_unit.convert(Decimal::ONE, Unit::L).is_ok() && p.unit.convert(Decimal::ONE, Unit::Kg).is_ok())
                            // the one the inventory converted this source with, else the
                            // user's own, else the default
                            .max_by_key(|p| {
                                (
                                    s.properties.iter().any(|r| r.id == p.id && r.version == p.version),
                                    p.origin == Origin::User,
                                    p.is_default,
                                )
                            })
                            .and_then(|p| {
                                let kg = p.unit.convert(p.value, Unit::Kg).ok()?;
                                let per_l = p.per_unit.convert(Decimal::ONE, Unit::L).ok()?;
                                Some(coverage::Density {
                                    id: p.id.clone(),
                                    kg_per_l: kg.checked_div(per_l)?.normalize(),
                                    citation: p.citation.clone(),
                                    verified: p.verified,
                                    default: p.origin == Origin::Library,
                                })
                            });
                        own.or_else(|| coverage::default_density(fuel))
                    });
                    carriers.push(EnergyUse {
                        name: place,
                        quantity,
                        unit: s.unit,
                        coefficient,
                        density,
                    });
                }
                _ => {}
            }
        }
        let onsite_renewable_kwh = onsite.iter().filter_map(|o| o.used_kwh).sum();
        Ok((
            Energy {
                carriers,
                grid_kwh,
                onsite_renewable_kwh,
                onsite,
                electricity: (&ELECTRICITY_EQUIVALENT).into(),
            },
            issues,
        ))
    }
}

fn void_reason(reason: &str) -> Result<String> {
    let reason = limits::text(crate::limits::REASON, reason)?;
    if reason.trim().is_empty() {
        return Err(Error::new(
            "MISSING_REASON",
            Field::Reason,
            words![
                Field::Reason,
                ": voiding a record needs a reason (it is kept with the record and in the audit log)"
            ],
            words![
                Field::Reason,
                "：作废记录必须说明原因（原因保存在记录和审计日志中）"
            ],
        ));
    }
    Ok(reason)
}

/// The report's offset section data (owned, core types only) from the workbench's summary.
pub fn data_of(o: &OffsetReport) -> lingtan_report::offset::OffsetData {
    use lingtan_report::offset::{CertificateData, CreditData, OffsetData};
    OffsetData {
        summary: o.summary.clone(),
        certificates: o
            .certificates
            .iter()
            .map(|c| CertificateData {
                record: c.record,
                eac: c.eac.clone(),
                checks: c.checks.clone(),
                excluded: c.excluded,
            })
            .collect(),
        credits: o
            .credits
            .iter()
            .map(|c| CreditData {
                credit: c.credit.clone(),
                checks: c.checks.clone(),
                excluded: c.excluded,
            })
            .collect(),
    }
}
