//! The `project` table: the organisation and inventory settings, one row (id 1).

use crate::audit::AuditWriter;
use crate::error::Result;
use crate::registry::Table;
use crate::value::{bad, in_record, opt_text, payload, text};
use crate::Store;
pub use lingtan_core::record::ProjectInfo;
use lingtan_core::{Boundary, GwpSet};
use rusqlite::{params, Connection, Row};
use serde::Serialize;

pub(crate) const SELECT: &str = "SELECT org_name, org_name_zh, year, base_year, gwp, boundary, created_at, prepared_by, report_date FROM project WHERE id = 1";

/// Audited; part of the data fingerprint.
pub(crate) const TABLE: Table<ProjectInfo> = Table {
    entity: "project",
    select: SELECT,
    key: |_| Ok("1".into()),
    read: from_row,
    place: |_| "project settings".into(),
    payload: payload_of,
    fingerprint: true,
};

pub(crate) fn from_row(r: &Row<'_>) -> Result<ProjectInfo> {
    (|| {
        let gwp = text(r, 4, "project.gwp")?;
        let boundary = text(r, 5, "project.boundary")?;
        Ok(ProjectInfo {
            org_name: text(r, 0, "project.org_name")?,
            org_name_zh: opt_text(r, 1, "project.org_name_zh")?,
            year: r.get(2)?,
            base_year: r.get(3)?,
            gwp: GwpSet::parse(&gwp).ok_or_else(|| bad("project.gwp", &gwp, "unknown GWP set"))?,
            boundary: Boundary::parse(&boundary)
                .ok_or_else(|| bad("project.boundary", &boundary, "unknown boundary"))?,
            created_at: text(r, 6, "project.created_at")?,
            prepared_by: opt_text(r, 7, "project.prepared_by")?,
            report_date: opt_text(r, 8, "project.report_date")?,
        })
    })()
    .map_err(|e| in_record(e, || "project settings".into()))
}

#[derive(Serialize)]
struct ProjectPayload<'a> {
    org_name: &'a str,
    org_name_zh: Option<&'a str>,
    year: i32,
    base_year: Option<i32>,
    gwp: &'a str,
    boundary: &'a str,
    created_at: &'a str,
    prepared_by: Option<&'a str>,
    report_date: Option<&'a str>,
}

pub(crate) fn payload_of(p: &ProjectInfo) -> String {
    payload(&ProjectPayload {
        org_name: &p.org_name,
        org_name_zh: p.org_name_zh.as_deref(),
        year: p.year,
        base_year: p.base_year,
        gwp: p.gwp.code(),
        boundary: p.boundary.code(),
        created_at: &p.created_at,
        prepared_by: p.prepared_by.as_deref(),
        report_date: p.report_date.as_deref(),
    })
}

/// The settings row of a new project, logged.
pub(crate) fn insert(
    tx: &Connection,
    audit: &mut AuditWriter,
    at: &str,
    info: &ProjectInfo,
) -> Result<()> {
    tx.execute(
        "INSERT INTO project (id, org_name, org_name_zh, year, base_year, gwp, boundary, created_at, prepared_by, report_date) VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![info.org_name, info.org_name_zh, info.year, info.base_year, info.gwp.code(), info.boundary.code(), info.created_at, info.prepared_by, info.report_date],
    )?;
    audit.append(tx, at, "create", "project", "1", &payload_of(info))?;
    Ok(())
}

impl Store {
    pub fn project(&self) -> Result<ProjectInfo> {
        let mut stmt = self.conn.prepare(SELECT)?;
        let mut rows = stmt.query([])?;
        let Some(r) = rows.next()? else {
            return Err(rusqlite::Error::QueryReturnedNoRows.into());
        };
        from_row(r)
    }

    /// Replace the project settings (organisation, year, base year, GWP, boundary …).
    pub fn update_project(&mut self, info: &ProjectInfo, at: &str) -> Result<()> {
        self.write(at, |tx, audit, at| {
            tx.execute(
                "UPDATE project SET org_name = ?1, org_name_zh = ?2, year = ?3, base_year = ?4, gwp = ?5, boundary = ?6, prepared_by = ?7, report_date = ?8 WHERE id = 1",
                params![info.org_name, info.org_name_zh, info.year, info.base_year, info.gwp.code(), info.boundary.code(), info.prepared_by, info.report_date],
            )?;
            audit.append(tx, at, "update", "project", "1", &payload_of(info))?;
            Ok(())
        })
    }
}
