//! A project file: create, open, settings, the audit log and backups.

use crate::clock::clock_note;
use crate::input::{check_year, parse_date};
use crate::limits::{self, Field};
use crate::{
    files, library, words, Access, AuditEntry, Clock, Error, Project, ProjectInfo, Result,
    Verification,
};
use lingtan_core::{Boundary, GwpSet};
use lingtan_store::Store;
use std::path::Path;

/// What `lingtan new` asks for.
#[derive(Debug, Clone, Default)]
pub struct NewProject {
    pub org: String,
    pub org_zh: Option<String>,
    pub year: i32,
    pub base_year: Option<i32>,
    pub gwp: Option<String>,
    pub boundary: Option<String>,
}

impl Project {
    /// Create a project file, loading the factor library into it.
    pub fn create(path: &Path, new: &NewProject, clock: Clock) -> Result<Project> {
        if new.org.trim().is_empty() {
            return Err(Error::new(
                "MISSING_FIELD",
                Field::Org,
                words![Field::Org, ": the organisation's name is required"],
                words![Field::Org, "：必须填写组织名称"],
            ));
        }
        let org = limits::name(Field::Org, &new.org)?;
        let org_zh = limits::optional_name(Field::OrgZh, new.org_zh.as_deref())?;
        check_year(Field::Year, new.year)?;
        if let Some(base) = new.base_year {
            check_year(Field::BaseYear, base)?;
            if base > new.year {
                return Err(Error::new(
                    "BAD_YEAR",
                    Field::BaseYear,
                    words![
                        Field::BaseYear,
                        format!(" {base} is after the inventory year {}", new.year)
                    ],
                    words![
                        Field::BaseYear,
                        format!(" {base} 晚于盘查年份 {}", new.year)
                    ],
                ));
            }
        }
        let gwp = match &new.gwp {
            None => GwpSet::AR6,
            Some(text) => GwpSet::parse(text).ok_or_else(|| {
                Error::new(
                    "BAD_GWP",
                    Field::Gwp,
                    words![Field::Gwp, format!(" '{text}': choose AR6, AR5 or AR4")],
                    words![Field::Gwp, format!(" “{text}”：请选择 AR6、AR5 或 AR4")],
                )
            })?,
        };
        let boundary = match &new.boundary {
            None => Boundary::OperationalControl,
            Some(text) => Boundary::parse(text).ok_or_else(|| {
                Error::new(
"BAD_BOUNDARY",
Field::Boundary,
words![Field::Boundary, format!(" '{text}': choose operational-control, financial-control or equity-share")],
words![Field::Boundary, format!(" “{text}”：请选择 operational-control（运营控制）、financial-control（财务控制）或 equity-share（股权比例）")],
)
            })?,
        };
        let library = library::load().map_err(|e| Error::new("LIBRARY", None, e.clone(), e))?;
        let now = clock();
        let info = ProjectInfo {
            org_name: org,
            org_name_zh: org_zh,
            year: new.year,
            base_year: new.base_year,
            gwp,
            boundary,
            created_at: now.clone(),
            prepared_by: None,
            report_date: None,
        };
        // built in a new temporary file beside the target and moved into place by the one
        // writer: a failure leaves nothing behind, and nothing is ever overwritten
        let checked = files::check(
            &[files::Output::new(path, None, files::Replace::Never)],
            None,
            &[],
        )?;
        let note = clock_note()?;
        checked.write(vec![files::Fill::File(Box::new(|tmp: &Path| {
            let mut store = Store::create(tmp, &info, note)?;
            store.add_factors(&library.factors, &library.properties, "library-load", &now)?;
            Ok(())
        }))])?;
        Project::open(path, clock)
    }

    /// Open a project file to change it (checks it first; never modifies a file it refuses; an
    /// older file is upgraded in place and the upgrade logged).
    pub fn open(path: &Path, clock: Clock) -> Result<Project> {
        Project::open_for(path, clock, Access::Write)
    }

    /// Open a project file as `access` says: a command that only reads opens it read-only.
    pub fn open_for(path: &Path, clock: Clock, access: Access) -> Result<Project> {
        let note = clock_note()?;
        let store = match access {
            Access::Write => {
                let now = clock();
                Store::open(path, &now, note)?
            }
            Access::Read => Store::open_read_only(path)?,
            Access::Verify => Store::open_to_verify(path)?,
        };
        Ok(Project { store, clock })
    }

    /// Open a file that must stay exactly as it is (a dossier's snapshot) to verify it, in place:
    /// read-only and immutable, nothing written beside it or in it. `None` when it cannot be
    /// opened so (a file in WAL mode): open a copy with [`Access::Verify`] instead.
    pub fn open_immutable_to_verify(path: &Path, clock: Clock) -> Result<Option<Project>> {
        clock_note()?;
        Ok(Store::open_immutable_to_verify(path)?.map(|store| Project { store, clock }))
    }

    /// The schema version the file was upgraded from when it was opened, if it was older: an
    /// opening to write upgrades the file; an opening to read reads an upgraded copy.
    pub fn upgraded_from(&self) -> Option<i64> {
        let v = self.store.opened_version();
        (v < lingtan_store::SCHEMA_VERSION).then_some(v)
    }

    pub(crate) fn now(&self) -> String {
        (self.clock)()
    }

    pub fn path(&self) -> &Path {
        self.store.path()
    }

    pub fn info(&self) -> Result<ProjectInfo> {
        Ok(self.store.project()?)
    }

    /// Set the base year (must not be after the inventory year), logged.
    pub fn set_base_year(&mut self, year: i32) -> Result<()> {
        check_year(Field::BaseYear, year)?;
        let mut info = self.store.project()?;
        if year > info.year {
            return Err(Error::new(
                "BAD_YEAR",
                Field::BaseYear,
                format!("base year {year} is after the inventory year {}", info.year),
                format!("基准年 {year} 晚于盘查年份 {}", info.year),
            ));
        }
        info.base_year = Some(year);
        let now = self.now();
        Ok(self.store.update_project(&info, &now)?)
    }

    /// Set who prepared the report and the date it carries (reports never take the date from
    /// the clock, so the same project always gives the same report), logged. An empty text
    /// clears the field.
    pub fn set_report_details(
        &mut self,
        prepared_by: Option<&str>,
        report_date: Option<&str>,
    ) -> Result<()> {
        let mut info = self.store.project()?;
        if let Some(by) = prepared_by {
            info.prepared_by = limits::optional_name(Field::PreparedBy, Some(by))?;
        }
        if let Some(date) = report_date {
            let date = date.trim();
            info.report_date = if date.is_empty() {
                None
            } else {
                Some(parse_date(Field::ReportDate, date)?.to_string())
            };
        }
        let now = self.now();
        Ok(self.store.update_project(&info, &now)?)
    }

    pub fn audit(&self, limit: Option<i64>) -> Result<Vec<AuditEntry>> {
        Ok(self.store.audit_entries(limit)?)
    }

    pub fn verify(&self) -> Result<Verification> {
        Ok(self.store.verify()?)
    }

    /// A consistent copy of the project at `dest`, written by the one writer: never over an
    /// existing file, the project or its journal files.
    pub fn backup(&self, dest: &Path) -> Result<()> {
        let checked = files::check(
            &[files::Output::new(dest, None, files::Replace::Never)],
            Some(self.path()),
            &[],
        )?;
        checked.write(vec![files::Fill::File(Box::new(|tmp: &Path| {
            Ok(self.store.copy_into(tmp)?)
        }))])?;
        Ok(())
    }
}

/// Check a file without opening it for writing: its schema version, or why it is refused.
pub fn inspect(path: &Path) -> Result<i64> {
    Ok(Store::inspect(path)?)
}
