//! The audited tables: the one list that `audit --verify` and the data fingerprint walk.
//!
//! Every table whose rows the audit log records is in [`AUDITED`]. `verify` asks each to compare
//! its rows with the log ([`AuditedTable::verify`]); the data fingerprint printed on reports asks
//! each for the payloads of the rows an inventory is computed from
//! ([`AuditedTable::fingerprint`]). Neither knows any table by name.
//!
//! To audit a new table (say `credit`), in its module `credit.rs`:
//! 1. write its row type, `SELECT` (every row, in key order), `from_row` and `payload_of` (the
//!    row as the log records it: [`crate::value::payload_value`] of its fields), and log every change in
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
use crate::{
    activity, claim_setting, claim_subject, credit, eac, evidence, factor, interval, measure,
    output, price, project, reduction_setting, retirement, site, source, target, zcf,
};
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
    // the reduction step (schema 6); only output is part of the fingerprint
    &output::TABLE,
    &target::TABLE,
    &target::RECALCULATIONS,
    &measure::TABLE,
    &price::TABLE,
    &reduction_setting::TABLE,
    // the offset step: retirements, certificates, credit blocks
    &retirement::TABLE,
    &eac::TABLE,
    &credit::TABLE,
    // the certification step: what the claim's documents need beyond the data
    &claim_setting::TABLE,
    // the certification step: the zero-carbon-factory scoring table (schema 0010)
    &zcf::TABLE,
    // the certification step: the claim's subject decisions (schema 0011)
    &claim_subject::TABLE,
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
    //! audited with no other change. (That every table Lingtan writes is on it: tests/store.rs.)

    use super::*;
    use crate::project::ProjectInfo;
    use crate::value::{payload_value, text};
    use crate::Store;
    use lingtan_core::{Boundary, GwpSet};

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

    /// A row of the throw-away table: its id and a note.
    type Scratch = (i64, String);

    /// A table no Lingtan version has: registered only by this test.
    const SCRATCH: Table<Scratch> = Table {
        entity: "scratch",
        select: "SELECT id, note FROM scratch ORDER BY id",
        key: id_key,
        read: |r| Ok((r.get(0)?, text(r, 1, "scratch.note")?)),
        place: |(id, _)| format!("scratch #{id}"),
        payload: |(id, note)| payload_value(serde_json::json!({"id": id, "note": note})),
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
}
