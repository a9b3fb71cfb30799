//! Readiness of a year's inventory (`lingtan check`, the desktop's readiness view): gathers what
//! the rules of [`lingtan_core::check`] need from the project and runs them. Read-only.

use crate::input::check_year;
use crate::{Field, InventoryReport, Project, Result};
use lingtan_core::check::{self, Check, FactorUse, Facts, SourceData};
use lingtan_store::Status as RecordStatus;
use serde::Serialize;
use std::collections::{BTreeSet, HashMap};

/// The readiness of one year: every check, in the rules' order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Readiness {
    pub year: i32,
    /// No check fails.
    pub ready: bool,
    pub checks: Vec<Check>,
}

impl Readiness {
    pub fn passed(&self) -> usize {
        self.checks
            .iter()
            .filter(|c| c.status == check::Status::Pass)
            .count()
    }
}

impl Project {
    /// Check whether the inventory of `year` (the project's year by default) is ready to show a
    /// certifier.
    pub fn check(&self, year: Option<i32>) -> Result<Readiness> {
        let info = self.store.project()?;
        let year = year.unwrap_or(info.year);
        check_year(Field::Year, year)?;
        let report = self.inventory(Some(year), true)?;
        self.check_with(&report)
    }

    /// [`Project::check`] on an inventory already computed (with its lines) for its year.
    pub fn check_with(&self, report: &InventoryReport) -> Result<Readiness> {
        let info = self.store.project()?;
        let inv = &report.inventory;
        let year = inv.year;
        let sources = self.store.sources()?;
        let mut data: HashMap<i64, SourceData> = sources
            .iter()
            .map(|s| {
                (
                    s.id,
                    SourceData {
                        id: s.id,
                        name: s.name.clone(),
                        kind: s.kind,
                        months: [false; 12],
                        records: 0,
                    },
                )
            })
            .collect();
        let mut records = 0u64;
        let mut without_evidence = Vec::new();
        for a in self.store.activities(None)? {
            if a.status != RecordStatus::Current {
                continue;
            }
            let mut months = [false; 12];
            check::months_touched(year, a.from, a.to, &mut months);
            if !months.iter().any(|m| *m) {
                continue;
            }
            records += 1;
            if a.evidence_id.is_none() {
                without_evidence.push(a.id);
            }
            if let Some(s) = data.get_mut(&a.source_id) {
                s.records += 1;
                for (have, touched) in s.months.iter_mut().zip(months) {
                    *have |= touched;
                }
            }
        }
        let versions = self.store.factors()?;
        let mut used: BTreeSet<(String, u32)> = BTreeSet::new();
        for l in &inv.lines {
            used.insert((l.factor.id.clone(), l.factor.version));
            if let Some(m) = &l.market_factor {
                used.insert((m.id.clone(), m.version));
            }
        }
        let factors = used
            .into_iter()
            .map(|(id, version)| FactorUse {
                verified: crate::trace::factor_version(&versions, &id, version)
                    .is_some_and(|f| f.verified),
                id,
                version,
            })
            .collect();
        let facts = Facts {
            year,
            base_year: info.base_year,
            sources: sources.iter().filter_map(|s| data.remove(&s.id)).collect(),
            factors,
            records,
            without_evidence,
            issues: inv.issues.clone(),
            total_location: inv.totals.total_location,
        };
        let checks = check::readiness(&facts);
        Ok(Readiness {
            year,
            ready: check::ready(&checks),
            checks,
        })
    }
}
