//! The audited tables: the one list that `audit --verify` and the data fingerprint walk.
//!
//! Every table whose rows the audit log records is in [`AUDITED`]. `verify` asks each to compare
//! its rows with the log ([`AuditedTable::verify`]); the data fingerprint printed on reports asks
//! each for the payloads of the rows an inventory is computed from
//! ([`AuditedTable::fingerprint`]). Neither knows any table by name.
//!
//! To audit a new table (say `credit`), in its module `credit.rs`:
//! 1. write its row type, `SELECT` (every row, in key order), `from_row` and `payload_of` (the
//!    row as the log records it: [`crate::value::payload`] of its fields), and log every change in
//!    the same transaction: `audit.append(tx, at, action, "credit", &key, &payload_of(&row))`;
//! 2. describe it with a [`Table`]: `pub(crate) const TABLE: Table<Credit> = Table { entity:
//!    "credit", select: SELECT, key: id_key, read: from_row, place: |c| format!("credit #{}",
//!    c.id), payload: payload_of, fingerprint: false };`
//! 3. add `&credit::TABLE` to [`AUDITED`].
//!
//! Then a row edited, added or deleted outside Lingtan is named by `verify`, and (with
//! `fingerprint: true`) the fingerprint changes with the table's data. A table whose log is not
//! one entry per row (evidence: its content is checked against its SHA-256 too; activity records
//! imported in a batch: one digest covers them) implements [`AuditedTable`] itself.
//!
//! The order of the list is the order of `verify`'s findings and of the fingerprint's input;
//! append a new table at the end, so that the fingerprint of a project without its rows stays
//! what it was (an empty table feeds nothing).

use crate::error::Result;
use crate::value::lossy_text;
use crate::verify::Check;
use crate::{activity, evidence, factor, interval, project, site, source};
use rusqlite::{Connection, Row};

/// A table the audit log covers.
pub(crate) trait AuditedTable: Sync {
    /// Compare every row with the log: [`Check::compare`] for a row the log names,
    /// [`Check::unreadable`] for a row that cannot be read.
    fn verify(&self, conn: &Connection, check: &mut Check) -> Result<()>;

    /// Feed the payload of every row the inventory is computed from, in key order; nothing for a
    /// table that is not part of the data fingerprint.
    fn fingerprint(&self, conn: &Connection, feed: &mut dyn FnMut(&str)) -> Result<()>;
}

/// Every audited table, in the order `verify` reports and the fingerprint hashes them.
pub(crate) const AUDITED: &[&dyn AuditedTable] = &[
    &project::TABLE,
    &site::TABLE,
    &source::TABLE,
    &factor::FACTORS,
    &factor::PROPERTIES,
    &evidence::TABLE,
    // activity records and their import batches (a batch's entry holds its rows' digest)
    &activity::TABLE,
    &interval::TABLE,
];

/// The common table: one row is one record, logged by one entry per change.
pub(crate) struct Table<T> {
    /// The records' name in the log.
    pub(crate) entity: &'static str,
    /// Every row, in key order.
    pub(crate) select: &'static str,
    /// The record's key in the log, read as stored (so that a row whose values cannot be read
    /// is still named by it).
    pub(crate) key: fn(&Row<'_>) -> Result<String>,
    pub(crate) read: fn(&Row<'_>) -> Result<T>,
    /// How a finding names the record: `site #2 'Plant'`.
    pub(crate) place: fn(&T) -> String,
    /// The record as the log records it.
    pub(crate) payload: fn(&T) -> String,
    /// Whether an inventory is computed from these rows: then the data fingerprint covers them.
    pub(crate) fingerprint: bool,
}

impl<T> AuditedTable for Table<T> {
    fn verify(&self, conn: &Connection, check: &mut Check) -> Result<()> {
        let mut stmt = conn.prepare(self.select)?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let key = (self.key)(r)?;
            match (self.read)(r) {
                Ok(row) => {
                    check.compare(self.entity, key, (self.place)(&row), (self.payload)(&row))
                }
                Err(e) => check.unreadable(e, self.entity, key)?,
            }
        }
        Ok(())
    }

    fn fingerprint(&self, conn: &Connection, feed: &mut dyn FnMut(&str)) -> Result<()> {
        if self.fingerprint {
            let mut stmt = conn.prepare(self.select)?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                feed(&(self.payload)(&(self.read)(r)?));
            }
        }
        Ok(())
    }
}

/// The key of a row whose first column is its integer id: `12`.
pub(crate) fn id_key(r: &Row<'_>) -> Result<String> {
    Ok(r.get::<_, i64>(0)?.to_string())
}

/// The key of a versioned row (first columns: id as text, version): `grid-cn-east@2`.
pub(crate) fn versioned_key(r: &Row<'_>) -> Result<String> {
    Ok(format!("{}@{}", lossy_text(r, 0)?, r.get::<_, i64>(1)?))
}

#[cfg(test)]
mod tests {
    //! The registry is what verify and the fingerprint cover: a table added to the list is
    //! audited with no other change, and every table Lingtan writes is on it.

    use super::*;
    use crate::activity::NewActivity;
    use crate::evidence::EvidenceFile;
    use crate::interval::{NewSeries, StoredReading};
    use crate::project::ProjectInfo;
    use crate::value::{payload, text};
    use crate::Store;
    use chrono::NaiveDate;
    use lingtan_core::factor::{
        EmissionFactor, FactorCategory, FuelProperty, GridRole, Origin, PropertyKind,
    };
    use lingtan_core::{Boundary, GwpSet, Site, Source, SourceKind, Unit};

    const AT: &str = "2025-01-10T09:00:00Z";

    fn info() -> ProjectInfo {
        ProjectInfo {
            org_name: "Registry Works".into(),
            org_name_zh: None,
            year: 2024,
            base_year: Some(2024),
            gwp: GwpSet::AR6,
            boundary: Boundary::OperationalControl,
            created_at: AT.into(),
            prepared_by: None,
            report_date: None,
        }
    }

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2024, m, d).expect("a real date")
    }

    /// A row of the throw-away table: its id and a note.
    type Scratch = (i64, String);

    /// A table no Lingtan version has: registered only by this test.
    const SCRATCH: Table<Scratch> = Table {
        entity: "scratch",
        select: "SELECT id, note FROM scratch ORDER BY id",
        key: id_key,
        read: |r| Ok((r.get(0)?, text(r, 1, "scratch.note")?)),
        place: |(id, _)| format!("scratch #{id}"),
        payload: |(id, note)| payload(&serde_json::json!({"id": id, "note": note})),
        fingerprint: true,
    };

    /// A project (a real file) with the scratch table and two rows written through the store's
    /// transaction and audit writer, as a table module would.
    fn with_scratch(dir: &std::path::Path) -> Store {
        let mut store = Store::create(&dir.join("p.lingtan"), &info(), None).expect("created");
        store
            .conn
            .execute_batch(
                "CREATE TABLE scratch (id INTEGER PRIMARY KEY, note TEXT NOT NULL) STRICT;",
            )
            .expect("the throw-away table");
        for note in ["first", "second"] {
            store
                .write(AT, |tx, audit, at| {
                    tx.execute("INSERT INTO scratch (note) VALUES (?1)", [note])?;
                    let row = (tx.last_insert_rowid(), note.to_string());
                    audit.append(
                        tx,
                        at,
                        "create",
                        "scratch",
                        &row.0.to_string(),
                        &(SCRATCH.payload)(&row),
                    )?;
                    Ok(())
                })
                .expect("a logged row");
        }
        store
    }

    fn with(table: &'static dyn AuditedTable) -> Vec<&'static dyn AuditedTable> {
        AUDITED.iter().copied().chain([table]).collect()
    }

    #[test]
    fn a_registered_table_is_verified_and_fingerprinted() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let store = with_scratch(dir.path());
        let tables = with(&SCRATCH);

        let clean = store.verify_tables(&tables).expect("verified");
        assert!(
            clean.ok(),
            "rows written through the log match it: {:?}",
            clean.findings
        );
        let base = store.verify().expect("verified").records_checked;
        assert_eq!(
            clean.records_checked,
            base + 2,
            "registering the table makes verify check its two rows"
        );
        let unregistered = store.verify().expect("verified");
        assert!(
            unregistered
                .findings
                .iter()
                .any(|f| f.place == "scratch 1" && f.en.contains("deleted outside Lingtan")),
            "a logged table left off the list cannot pass unnoticed: its entries find no row: {:?}",
            unregistered.findings
        );

        let before = store
            .fingerprint_tables(&tables, "records")
            .expect("fingerprinted");
        assert_ne!(
            before,
            store.data_fingerprint("records").expect("fingerprinted"),
            "a registered table marked for the fingerprint is part of it"
        );

        // edits made with SQL, as with sqlite3
        store
            .conn
            .execute("UPDATE scratch SET note = 'edited' WHERE id = 1", [])
            .expect("edited");
        store
            .conn
            .execute("INSERT INTO scratch (id, note) VALUES (9, 'smuggled')", [])
            .expect("inserted");
        store
            .conn
            .execute("DELETE FROM scratch WHERE id = 2", [])
            .expect("deleted");
        let v = store.verify_tables(&tables).expect("verified");
        let found = |place: &str, words: &str| {
            v.findings
                .iter()
                .any(|f| f.place == place && f.en.contains(words))
        };
        assert!(
            found("scratch #1", "differs from what audit entry"),
            "the edited row is named: {:?}",
            v.findings
        );
        assert!(
            found("scratch #9", "added outside Lingtan"),
            "the row the log never saw is named: {:?}",
            v.findings
        );
        assert!(
            found("scratch 2", "deleted outside Lingtan"),
            "the row deleted under its entry is named: {:?}",
            v.findings
        );
        assert_eq!(v.findings.len(), 3, "nothing else: {:?}", v.findings);
        assert_ne!(
            store
                .fingerprint_tables(&tables, "records")
                .expect("fingerprinted"),
            before,
            "the fingerprint changes with the table's data"
        );
    }

    #[test]
    fn a_table_left_out_of_the_fingerprint_does_not_change_it() {
        const UNPRINTED: Table<Scratch> = Table {
            fingerprint: false,
            ..SCRATCH
        };
        let dir = tempfile::tempdir().expect("a temporary folder");
        let store = with_scratch(dir.path());
        assert_eq!(
            store
                .fingerprint_tables(&with(&UNPRINTED), "records")
                .expect("fingerprinted"),
            store.data_fingerprint("records").expect("fingerprinted"),
            "rows no inventory is computed from are not in the data fingerprint"
        );
        assert!(
            store
                .verify_tables(&with(&UNPRINTED))
                .expect("verified")
                .ok(),
            "but they are verified"
        );
    }

    /// Every kind of record Lingtan writes, each table at least once.
    fn full_project(dir: &std::path::Path) -> Store {
        let mut store = Store::create(&dir.join("full.lingtan"), &info(), None).expect("created");
        let site = store
            .add_site(
                &Site {
                    id: 0,
                    name: "Plant".into(),
                    grid_region: Some("CN-East".into()),
                    address: None,
                    equity_pct: None,
                },
                AT,
            )
            .expect("site");
        let factor = EmissionFactor {
            id: "grid-test".into(),
            version: 1,
            name: "Test grid".into(),
            name_zh: None,
            dataset: "test".into(),
            category: FactorCategory::Electricity,
            role: Some(GridRole::GridAverage),
            region: Some("CN-East".into()),
            fuel: None,
            fuel_use: None,
            year: Some(2024),
            published: None,
            unit: Unit::KWh,
            gases: [("CO2".to_string(), "0.5".parse().expect("a decimal"))].into(),
            co2e: None,
            licence: "test".into(),
            citation: "a test".into(),
            verified: true,
            verification_note: None,
            uncertainty_pct: None,
            is_default: true,
            origin: Origin::User,
        };
        let property = FuelProperty {
            id: "ncv-test".into(),
            version: 1,
            fuel: "natural-gas".into(),
            kind: PropertyKind::Ncv,
            value: "0.0389".parse().expect("a decimal"),
            unit: Unit::GJ,
            per_unit: Unit::M3,
            citation: "a test".into(),
            verified: true,
            verification_note: None,
            is_default: true,
            origin: Origin::User,
        };
        store
            .add_factors(&[factor], &[property], "create", AT)
            .expect("factor and property");
        let source = store
            .add_source(
                &Source {
                    id: 0,
                    name: "Power".into(),
                    site_id: site.id,
                    kind: SourceKind::Electricity,
                    fuel: None,
                    factor_id: Some("grid-test".into()),
                    market_factor_id: None,
                    unit: Some(Unit::KWh),
                    uncertainty_pct: None,
                },
                AT,
            )
            .expect("source");
        let record = |m: u32, qty: &str| NewActivity {
            source_id: source.id,
            from: day(m, 1),
            to: day(m, 28),
            quantity: qty.parse().expect("a decimal"),
            unit: Unit::KWh,
            note: None,
            evidence_id: None,
            reason: None,
            origin_ref: None,
            detail: None,
        };
        let typed = store.add_activity(&record(1, "100"), AT).expect("record");
        store
            .correct_activity(typed.id, &record(1, "110"), "re-read", AT)
            .expect("corrected");
        let readings = (0..4u32).map(|i| StoredReading {
            start: day(2, 1).and_hms_opt(i, 0, 0).expect("a time"),
            value: "1.25".parse().expect("a decimal"),
            row: i + 1,
            col: 1,
        });
        store
            .add_import_batch(
                "meters.xlsx",
                &EvidenceFile {
                    file_name: "meters.xlsx",
                    sha256: &crate::sha256_hex(b"meters"),
                    content: b"meters",
                },
                &[record(2, "5")],
                vec![NewSeries {
                    source_id: source.id,
                    sheet: "Sheet1".into(),
                    meter: None,
                    unit: Unit::KWh,
                    interval_minutes: 60,
                    stamp: "beginning",
                    measure: "energy",
                    multiplier: None,
                    readings: Box::new(readings),
                }],
                AT,
            )
            .expect("an import with interval data");
        let undone = store
            .add_activity_batch("bills.xlsx", None, &[record(3, "7"), record(4, "8")], AT)
            .expect("a batch");
        store
            .revert_batch(undone, "wrong file", AT)
            .expect("undone");
        store
    }

    #[test]
    fn every_table_lingtan_writes_is_registered() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let store = full_project(dir.path());
        let mut written: Vec<String> = store
            .audit_entries(None)
            .expect("the log")
            .into_iter()
            .map(|e| e.entity)
            .collect();
        written.sort();
        written.dedup();
        assert_eq!(
            written,
            [
                "activity",
                "evidence",
                "factor",
                "fuel_property",
                "import_batch",
                "interval_series",
                "project",
                // the migrations' entries: no table, the schema is compared as a whole
                "schema",
                "site",
                "source"
            ],
            "the project touches every table (a new table belongs in this project and this list)"
        );
        let v = store.verify().expect("verified");
        assert!(
            v.ok(),
            "every entry finds its row: no logged table is missing from the registry: {:?}",
            v.findings
        );
    }
}
