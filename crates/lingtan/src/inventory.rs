//! The inventory of a year or of a claim period, computed from the project, with what ties it to the data.

use crate::input::check_year;
use crate::{Field, Project, Result};
use chrono::{Datelike, NaiveDate};
use lingtan_core::calc::{Context, InventoryBuilder};
use lingtan_core::claim::ClaimPeriod;
use lingtan_core::{Issue, Severity};

pub use lingtan_core::record::InventoryReport;

impl Project {
    /// Compute the inventory of `year` (the project's year by default).
    pub fn inventory(&self, year: Option<i32>, keep_lines: bool) -> Result<InventoryReport> {
        let info = self.store.project()?;
        let year = year.unwrap_or(info.year);
        check_year(Field::Year, year)?;
        self.compute(year, None, keep_lines)
    }

    /// Compute the inventory of a claim period (`--from` … `--to`): records pro-rated by days as
    /// for a year; the factors and certificates are those of the year the period ends. Refused
    /// when the period ends after the project's today or reaches beyond the data (every reason
    /// at once). A calendar year gives exactly the figures of [`Project::inventory`].
    pub fn inventory_period(
        &self,
        period: ClaimPeriod,
        keep_lines: bool,
    ) -> Result<InventoryReport> {
        self.check_period(period)?;
        self.compute_period(period, keep_lines)
    }

    /// The period's refusals: in the future of the project's clock, beyond the data.
    pub fn check_period(&self, period: ClaimPeriod) -> Result<()> {
        let today = self.today()?;
        let span = self.store.activity_span()?;
        let refusals = period.validate(today, span);
        match refusals.split_first() {
            None => Ok(()),
            // every reason at once: the first's code and field, all the messages
            Some((first, rest)) if !rest.is_empty() => {
                let en: Vec<String> = refusals.iter().map(|e| e.message_en()).collect();
                let zh: Vec<String> = refusals.iter().map(|e| e.message_zh()).collect();
                let mut e = crate::claim::refusal(first);
                e.en = crate::Words::from(en.join("; "));
                e.zh = crate::Words::from(zh.join("；"));
                Err(e)
            }
            Some((first, _)) => Err(crate::claim::refusal(first)),
        }
    }

    /// The inventory of a period, unchecked (a calendar year computes as [`Project::inventory`]).
    pub(crate) fn compute_period(
        &self,
        period: ClaimPeriod,
        keep_lines: bool,
    ) -> Result<InventoryReport> {
        match period.calendar() {
            Some(year) => self.compute(year, None, keep_lines),
            None => self.compute(
                period.to().year(),
                Some((period.from(), period.to())),
                keep_lines,
            ),
        }
    }

    fn compute(
        &self,
        year: i32,
        period: Option<(NaiveDate, NaiveDate)>,
        keep_lines: bool,
    ) -> Result<InventoryReport> {
        let info = self.store.project()?;
        let sites = self.store.sites()?;
        let sources = self.store.sources()?;
        let catalog = self.catalog()?;
        let ctx = Context {
            year,
            gwp: info.gwp,
            boundary: info.boundary,
            sites: &sites,
            sources: &sources,
            catalog: &catalog,
        };
        // the market-based scope 2 after the energy attribute certificates (the offset step)
        let (eacs, assessments) = self.certificates_for(year, &sites)?;
        let mut builder = InventoryBuilder::new(ctx)
            .keep_lines(keep_lines)
            .certificates(&eacs, &assessments);
        let (start, end) = match period {
            Some((from, to)) => {
                builder = builder.period(from, to);
                (from, to)
            }
            None => (
                NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or_default(),
                NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or_default(),
            ),
        };
        let (read, records_digest) = self
            .store
            .for_each_activity(start, end, |a| builder.push(a))?;
        let mut inventory = builder.finish();
        if sources.is_empty() {
            inventory.issues.insert(
                0,
                Issue::new(
                    "NO_SOURCES",
                    Severity::Warning,
                    "project".into(),
                    "the project has no emission sources yet; add its sources first",
                    "项目尚无排放源；请先添加排放源",
                ),
            );
        }
        if info.base_year.is_none() {
            inventory.issues.push(Issue::new(
                "NO_BASE_YEAR",
                Severity::Info,
                "project".into(),
                "no base year is set (ISO 14064-1 clause 6.4.1); set one in the project's settings",
                "未设置基准年（ISO 14064-1 第 6.4.1 条）；请设置基准年",
            ));
        }
        Ok(InventoryReport {
            inventory,
            org_name: info.org_name,
            fingerprint: self.store.data_fingerprint(&records_digest)?,
            audit_head: self.store.audit_head()?,
            records_read: read,
        })
    }
}
