//! The project file: creation, refusal of files it must not touch, migrations, corrections,
//! and tamper detection by `verify`.

use chrono::NaiveDate;
use lingtan_core::factor::{
    EmissionFactor, FactorCategory, FuelProperty, GridRole, Origin, PropertyKind,
};
use lingtan_core::offset::credit::CreditType;
use lingtan_core::offset::eac::{Acquisition, EacType, Technology};
use lingtan_core::offset::ledger::{self, Part};
use lingtan_core::offset::serial::{self, Given, Registry, Serial};
use lingtan_core::offset::{Status as OffsetStatus, YearMonth};
use lingtan_core::reduction::measure::{InputValue, MeasureKind, MeasureStatus, Role};
use lingtan_core::reduction::target::Significance;
use lingtan_core::reduction::target::{Ambition, BaseYear, Metric, Scopes, Target, TargetSpec};
use lingtan_core::reduction::{Basis, Month};
use lingtan_core::{Boundary, GwpSet, Site, Source, SourceKind, Unit};
use lingtan_store::{
    sha256_hex, ClaimSettingRow, CreditRow, CreditStatus, EacRow, EvidenceFile, MeasureRecord,
    NewActivity, NewOutput, NewRetirement, NewSeries, ProjectInfo, ReductionSettings, Retire,
    Status, Store, StoreError, StoredChange, StoredReading, SubjectDecision, SCHEMA_VERSION,
};
use std::path::{Path, PathBuf};

const AT: &str = "2025-01-10T09:00:00Z";

fn info() -> ProjectInfo {
    ProjectInfo {
        org_name: "Test Works".into(),
        org_name_zh: Some("测试工厂".into()),
        year: 2024,
        base_year: Some(2024),
        gwp: GwpSet::AR6,
        boundary: Boundary::OperationalControl,
        created_at: AT.into(),
        prepared_by: None,
        report_date: None,
    }
}

fn new_activity(source_id: i64, qty: &str) -> NewActivity {
    NewActivity {
        source_id,
        from: NaiveDate::from_ymd_opt(2024, 1, 1).unwrap(),
        to: NaiveDate::from_ymd_opt(2024, 1, 31).unwrap(),
        quantity: qty.parse().unwrap(),
        unit: Unit::KWh,
        note: None,
        evidence_id: None,
        reason: None,
        origin_ref: None,
        detail: None,
    }
}

/// A project with a site, a source, two records and an evidence file.
fn project(dir: &Path) -> (PathBuf, Store) {
    let path = dir.join("p.lingtan");
    let mut store = Store::create(&path, &info(), None).unwrap();
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
        .unwrap();
    let source = store
        .add_source(
            &Source {
                id: 0,
                name: "Power".into(),
                site_id: site.id,
                kind: SourceKind::Electricity,
                fuel: None,
                factor_id: None,
                market_factor_id: None,
                unit: Some(Unit::KWh),
                uncertainty_pct: None,
            },
            AT,
        )
        .unwrap();
    let ev = store
        .add_evidence("bill.pdf", b"%PDF-1.4 bill", AT)
        .unwrap();
    let mut a = new_activity(source.id, "1000.50");
    a.evidence_id = Some(ev.id);
    store.add_activity(&a, AT).unwrap();
    store
        .add_activity(
            &NewActivity {
                from: NaiveDate::from_ymd_opt(2024, 2, 1).unwrap(),
                to: NaiveDate::from_ymd_opt(2024, 2, 29).unwrap(),
                ..new_activity(source.id, "900")
            },
            AT,
        )
        .unwrap();
    (path, store)
}

fn bytes(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap()
}

/// The project file opened the way sqlite3 would open it, beside the store's own connection
/// (which is not public): what is changed through it is changed outside Lingtan.
fn sqlite3(path: &Path) -> rusqlite::Connection {
    rusqlite::Connection::open(path).unwrap()
}

/// Run statements on the file as sqlite3 would.
fn sql(path: &Path, statements: &str) {
    sqlite3(path).execute_batch(statements).unwrap();
}

/// [`project`] and every other kind of record Lingtan writes: a factor and a fuel property, a
/// correction, an import with interval data, an undone batch.
fn full_project(dir: &Path) -> Store {
    let (_, mut store) = project(dir);
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
        gases: [("CO2".to_string(), "0.5".parse().unwrap())].into(),
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
        value: "0.0389".parse().unwrap(),
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
        .unwrap();
    store
        .correct_activity(1, &new_activity(1, "1100"), "re-read", AT)
        .unwrap();
    let readings = (0..4u32).map(|i| StoredReading {
        start: NaiveDate::from_ymd_opt(2024, 3, 1)
            .unwrap()
            .and_hms_opt(i, 0, 0)
            .unwrap(),
        value: "1.25".parse().unwrap(),
        row: i + 1,
        col: 1,
    });
    store
        .add_import_batch(
            "meters.xlsx",
            &EvidenceFile {
                file_name: "meters.xlsx",
                sha256: &sha256_hex(b"meters"),
                content: b"meters",
            },
            &[new_activity(1, "5")],
            vec![NewSeries {
                source_id: 1,
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
        .unwrap();
    let undone = store
        .add_activity_batch("bills.xlsx", None, &[new_activity(1, "7")], AT)
        .unwrap();
    store.revert_batch(undone, "wrong file", AT).unwrap();
    reduction_records(&mut store);
    offset_records(&mut store);
    claim_records(&mut store);
    store
}

fn d(s: &str) -> lingtan_core::Decimal {
    s.parse().unwrap()
}

fn new_output(metric: &str, year: i32, qty: &str, unit: Unit) -> NewOutput {
    NewOutput {
        metric: metric.into(),
        year,
        month: None,
        site_id: None,
        quantity: d(qty),
        unit,
        note: None,
    }
}

fn target(name: &str, base: &str) -> Target {
    Target::new(
        TargetSpec {
            name: name.into(),
            scopes: Scopes::OneTwo,
            scope2: Basis::Market,
            base_year: 2024,
            target_year: 2030,
            ambition: Ambition::Pathway("sbti-1.5c".into()),
            metric: Some(Metric {
                name: "product".into(),
                unit: Unit::T,
            }),
        },
        BaseYear {
            tco2e: d(base),
            output: Some(d("1200.50")),
            fingerprint: Some("fp-2024".into()),
        },
    )
    .unwrap()
}

fn pv(status: MeasureStatus) -> MeasureRecord {
    MeasureRecord {
        name: "Rooftop PV".into(),
        kind: MeasureKind::PvRooftop,
        status,
        start: Month::new(2025, 7),
        inputs: [
            ("kwp".to_string(), InputValue::Number(d("400.0"))),
            ("yield".to_string(), InputValue::Number(d("1100"))),
            ("self-consumption".to_string(), InputValue::Number(d("85"))),
        ]
        .into(),
        sources: [(Role::Electricity, 1)].into(),
        changes: vec![StoredChange {
            source_id: 1,
            quantity: d("-1000.50"),
            unit: Unit::KWh,
        }],
        capex: d("1400000.00"),
        opex: d("-5000"),
        lifetime: Some(25),
        meter_source_id: Some(1),
    }
}

/// A record of every reduction table, each changed once: output corrected and voided, a target
/// rebased (with its log entry), a measure moved from planned to done, a price set, changed and
/// cleared, the settings set and changed.
fn reduction_records(store: &mut Store) {
    let o = store
        .add_output(&new_output("product", 2024, "1200.50", Unit::T), AT)
        .unwrap();
    store
        .correct_output(
            o.id,
            &new_output("product", 2024, "1250", Unit::T),
            "re-counted",
            AT,
        )
        .unwrap();
    let extra = store
        .add_output(&new_output("product", 2025, "9", Unit::T), AT)
        .unwrap();
    store.void_output(extra.id, "typed twice", AT).unwrap();
    let t = store
        .add_target(&target("Near-term", "1046.85"), AT)
        .unwrap();
    let old = &t.target;
    let (rebased, entry) = old
        .rebase(
            BaseYear {
                tco2e: d("1101.2"),
                output: Some(d("1250")),
                fingerprint: Some("fp-2024-b".into()),
            },
            "corrected the March bill",
            AT,
            Significance::default(),
        )
        .unwrap();
    store.rebase_target(t.id, &rebased, &entry, AT).unwrap();
    let m = store.add_measure(&pv(MeasureStatus::Planned), AT).unwrap();
    store
        .update_measure(m.id, &pv(MeasureStatus::Done), Some("commissioned"), AT)
        .unwrap();
    store
        .set_price(1, Some((d("0.68"), Unit::KWh)), AT)
        .unwrap();
    store.set_price(1, Some((d("680"), Unit::MWh)), AT).unwrap();
    store.set_price(1, None, AT).unwrap();
    store
        .set_price(1, Some((d("0.70"), Unit::KWh)), AT)
        .unwrap();
    store
        .set_reduction_settings(
            &ReductionSettings {
                discount_rate_pct: Some(d("8")),
                ..Default::default()
            },
            AT,
        )
        .unwrap();
    store
        .set_reduction_settings(
            &ReductionSettings {
                discount_rate_pct: Some(d("6.5")),
                carbon_price: Some(d("80.00")),
                significance_pct: None,
            },
            AT,
        )
        .unwrap();
}

fn day(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

fn gec(certificate: &str, mwh: &str) -> EacRow {
    EacRow {
        id: 0,
        kind: EacType::Gec,
        certificate: certificate.into(),
        mwh: mwh.parse().unwrap(),
        from: YearMonth::parse("2024-01").unwrap(),
        to: YearMonth::parse("2024-03").unwrap(),
        sites: vec!["Plant".into()],
        technology: Some(Technology::Wind),
        plant: Some("内蒙古某风电场".into()),
        region: Some("内蒙古".into()),
        tradable: Some(true),
        subsidy: Some(false),
        acquired: Some(Acquisition::Purchase),
        purchased: Some(day("2024-04-02")),
        for_year: None,
        status: OffsetStatus::Held,
        retirement_id: None,
        void_reason: None,
        evidence_id: None,
        batch_id: None,
        origin_ref: None,
        created_at: String::new(),
    }
}

fn retirement<'a>(statement: Option<EvidenceFile<'a>>, for_year: Option<i32>) -> NewRetirement<'a> {
    NewRetirement {
        date: day("2024-12-20"),
        beneficiary: "Test Works".into(),
        for_year,
        reason: Some("2024 carbon neutrality claim".into()),
        statement,
    }
}

/// A block read from a real Verra serial (research notes §8), held.
fn verra_block() -> CreditRow {
    let s = serial::read(
        Registry::Verra,
        "19309-936487628-936491271-VCS-VCU-1491-VER-RW-3-4150-01102024-31122024-1",
        &Given::default(),
    )
    .unwrap();
    CreditRow {
        id: 0,
        registry: s.registry,
        serial: s.serial.clone(),
        serial_key: ledger::serial_key(&s),
        reading: s.reading,
        block_key: s.block_key.clone(),
        first: s.first,
        last: s.last,
        quantity: s.quantity,
        project_id: s.project_id.clone(),
        vintage: s.vintage,
        country: s.country.clone(),
        fields: s.fields.clone(),
        project: Some("Rwanda cookstoves".into()),
        methodology: None,
        kind: Some(CreditType::Avoidance),
        labels: vec!["CORSIA".into()],
        status: CreditStatus::Held,
        parent_id: None,
        retirement_id: None,
        void_reason: None,
        evidence_id: None,
        created_at: String::new(),
    }
}

/// The offset step's records: certificates held, retired on entry (with the statement), retired
/// later, voided, imported in a batch and undone; a block retired in part (kept as superseded
/// beside its two parts) and a block voided.
fn offset_records(store: &mut Store) {
    let statement = EvidenceFile {
        file_name: "gec-cancellation.pdf",
        sha256: &sha256_hex(b"%PDF statement"),
        content: b"%PDF statement",
    };
    store.add_eac(&gec("G-1", "120"), None, None, AT).unwrap();
    store
        .add_eac(
            &gec("G-2", "80"),
            Some(statement),
            Some(&retirement(Some(statement), None)),
            AT,
        )
        .unwrap();
    store
        .retire_eac(1, &retirement(None, Some(2024)), AT)
        .unwrap();
    let (third, _) = store.add_eac(&gec("G-3", "5"), None, None, AT).unwrap();
    store.void_eac(third.id, "recorded twice", AT).unwrap();
    let export = EvidenceFile {
        file_name: "gec-orders.xlsx",
        sha256: &sha256_hex(b"orders"),
        content: b"orders",
    };
    let (batch, imported) = store
        .add_eac_batch(
            "gec-orders.xlsx",
            &export,
            &[gec("O-1", "10"), gec("O-2", "20")],
            AT,
        )
        .unwrap();
    assert_eq!(imported.len(), 2);
    store.revert_batch(batch, "the wrong export", AT).unwrap();

    let block = store.add_credit(&verra_block(), None, AT).unwrap();
    let whole = serial::read(block.registry, &block.serial, &Given::default()).unwrap();
    let split = ledger::split(&whole, Part::Quantity(1000)).unwrap();
    let part = |s: &Serial, status: CreditStatus| CreditRow {
        serial: s.serial.clone(),
        serial_key: ledger::serial_key(s),
        first: s.first,
        last: s.last,
        quantity: s.quantity,
        status,
        ..block.clone()
    };
    store
        .retire_credit(
            block.id,
            &Retire::Parts(vec![
                part(&split.retired, CreditStatus::Retired),
                part(&split.rest[0], CreditStatus::Held),
            ]),
            &retirement(None, Some(2024)),
            AT,
        )
        .unwrap();
    let other = CreditRow {
        block_key: "19310".into(),
        serial: block.serial.replacen("19309", "19310", 1),
        serial_key: block.serial_key.replacen("19309", "19310", 1),
        ..verra_block()
    };
    let other = store.add_credit(&other, None, AT).unwrap();
    store.void_credit(other.id, "not ours", AT).unwrap();
}

/// The certification step's records: claim settings stated then changed (with the QES's
/// rationale and activities), and subject decisions: a source included, one excluded with its
/// reason, then the inclusion cleared.
fn claim_records(store: &mut Store) {
    let mut row = ClaimSettingRow {
        framework: "pas2060".into(),
        statement_date: Some("2025-03-01".into()),
        ..Default::default()
    };
    store.set_claim_setting(&row, AT).unwrap();
    row.subject_rationale = Some("the whole legal entity".into());
    row.activities = Some("making test parts".into());
    store.set_claim_setting(&row, AT).unwrap();
    let power = store.sources().unwrap()[0].clone();
    let freight = store
        .add_source(
            &Source {
                id: 0,
                name: "Freight".into(),
                kind: SourceKind::parse("scope3-4").unwrap(),
                unit: Some(Unit::TKm),
                ..power.clone()
            },
            AT,
        )
        .unwrap();
    let ids = [power.id, freight.id];
    store
        .add_claim_subject("pas2060", ids[0], SubjectDecision::Include, None, AT)
        .unwrap();
    store
        .add_claim_subject(
            "pas2060",
            ids[1],
            SubjectDecision::Exclude,
            Some("below 1 %"),
            AT,
        )
        .unwrap();
    store
        .add_claim_subject("pas2060", ids[0], SubjectDecision::Clear, None, AT)
        .unwrap();
}

#[test]
fn a_subject_decision_is_superseded_never_deleted() {
    let dir = tempfile::tempdir().unwrap();
    let store = full_project(dir.path());
    let history = store.claim_subject_history("pas2060").unwrap();
    assert_eq!(
        history.len(),
        3,
        "every decision stays, the superseded ones too: {history:?}"
    );
    let in_force = store.claim_subject("pas2060").unwrap();
    assert_eq!(
        in_force
            .iter()
            .map(|d| (d.source_id, d.decision, d.reason.as_deref()))
            .collect::<Vec<_>>(),
        vec![(
            history[1].source_id,
            SubjectDecision::Exclude,
            Some("below 1 %")
        )],
        "source 1's inclusion was cleared; source 2's exclusion is in force with its reason"
    );
    assert!(
        store.claim_subject("iso14068-1").unwrap().is_empty(),
        "decisions are per framework"
    );
    let row = store.claim_setting("pas2060").unwrap();
    assert_eq!(
        (row.subject_rationale.as_deref(), row.activities.as_deref()),
        (Some("the whole legal entity"), Some("making test parts")),
        "the QES's rationale and activities are stored"
    );
}

#[test]
fn every_table_lingtan_writes_is_registered_for_verify() {
    let dir = tempfile::tempdir().unwrap();
    let store = full_project(dir.path());
    let mut written: Vec<String> = store
        .audit_entries(None)
        .unwrap()
        .into_iter()
        .map(|e| e.entity)
        .collect();
    written.sort();
    written.dedup();
    assert_eq!(
        written,
        [
            "activity",
            "claim_setting",
            "claim_subject",
            "credit",
            "eac",
            "energy_price",
            "evidence",
            "factor",
            "fuel_property",
            "import_batch",
            "interval_series",
            "measure",
            "output",
            "project",
            "reduction_setting",
            "retirement",
            // the migrations' entries: no table, the schema is compared as a whole
            "schema",
            "site",
            "source",
            "target",
            "target_recalculation"
        ],
        "the project touches every table (a new table belongs in full_project and this list)"
    );
    let v = store.verify().unwrap();
    assert!(
        v.ok(),
        "every entry finds its row: no logged table is missing from the registry: {:?}",
        v.findings
    );
}

#[test]
fn a_source_changed_is_stored_as_given_and_logged() {
    let dir = tempfile::tempdir().unwrap();
    let (_, mut store) = project(dir.path());
    let mut source = store.sources().unwrap().remove(0);
    source.name = "Grid power".into();
    source.factor_id = Some("grid-test".into());
    source.market_factor_id = Some("residual-test".into());
    source.unit = Some(Unit::MWh);
    source.uncertainty_pct = Some("2.50".parse().unwrap());
    store.update_source(&source, AT).unwrap();
    assert_eq!(
        store.sources().unwrap(),
        [source.clone()],
        "every field is stored in its own column, decimals as written"
    );
    let v = store.verify().unwrap();
    assert!(v.ok(), "the row is what its entry says: {:?}", v.findings);
    let missing = Source {
        id: 99,
        ..source.clone()
    };
    assert!(
        matches!(
            store.update_source(&missing, AT),
            Err(StoreError::Missing { what: "source", .. })
        ),
        "a source that does not exist is not created by an update"
    );
}

#[test]
fn a_fresh_project_verifies_and_keeps_decimals_as_written() {
    let dir = tempfile::tempdir().unwrap();
    let (path, store) = project(dir.path());
    let v = store.verify().unwrap();
    assert!(
        v.ok(),
        "a fresh project verifies and keeps decimals as written: {:?}",
        v.findings
    );
    assert!(
        v.entries >= 5,
        "a fresh project verifies and keeps decimals as written"
    );
    let rows = store.activities(None).unwrap();
    assert_eq!(
        rows[0].quantity.to_string(),
        "1000.50",
        "the written precision is kept"
    );
    let stored: String = sqlite3(&path)
        .query_row("SELECT quantity FROM activity WHERE id = 1", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(
        stored, "1000.50",
        "stored as canonical decimal text, not a float"
    );
    assert_eq!(
        store.schema_version().unwrap(),
        SCHEMA_VERSION,
        "a fresh project verifies and keeps decimals as written"
    );
}

#[test]
fn creating_over_an_existing_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.lingtan");
    std::fs::write(&path, b"important").unwrap();
    assert!(
        matches!(
            Store::create(&path, &info(), None),
            Err(StoreError::Exists(_))
        ),
        "creating over an existing file is refused"
    );
    assert_eq!(
        bytes(&path),
        b"important",
        "creating over an existing file is refused"
    );
}

#[test]
fn a_file_that_is_not_a_project_is_refused_and_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let text = dir.path().join("notes.lingtan");
    std::fs::write(&text, "this is a spreadsheet, honest\n".repeat(20)).unwrap();
    let before = bytes(&text);
    let err = Store::open(&text, AT, None).err().expect("refused");
    assert!(
        matches!(err, StoreError::NotAProject { .. }),
        "a file that is not a project is refused and untouched: {err}"
    );
    assert!(
        err.to_string().contains("not a Lingtan project"),
        "a file that is not a project is refused and untouched"
    );
    assert!(
        err.message_zh().contains("不是"),
        "a file that is not a project is refused and untouched"
    );
    assert_eq!(
        bytes(&text),
        before,
        "a file that is not a project is refused and untouched"
    );

    let empty = dir.path().join("empty.lingtan");
    std::fs::write(&empty, b"").unwrap();
    assert!(
        matches!(
            Store::open(&empty, AT, None),
            Err(StoreError::NotAProject { .. })
        ),
        "a file that is not a project is refused and untouched"
    );
    assert_eq!(
        bytes(&empty),
        b"",
        "a file that is not a project is refused and untouched"
    );

    // a SQLite database of another application
    let other = dir.path().join("other.db");
    {
        let conn = rusqlite::Connection::open(&other).unwrap();
        conn.execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
            .unwrap();
    }
    let before = bytes(&other);
    assert!(
        matches!(
            Store::open(&other, AT, None),
            Err(StoreError::NotAProject { .. })
        ),
        "a file that is not a project is refused and untouched"
    );
    assert_eq!(
        bytes(&other),
        before,
        "a file that is not a project is refused and untouched"
    );

    assert!(
        matches!(
            Store::open(&dir.path().join("missing.lingtan"), AT, None),
            Err(StoreError::NotFound(_))
        ),
        "a file that is not a project is refused and untouched"
    );
}

#[test]
fn a_file_from_a_newer_lingtan_is_refused_and_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let (path, store) = project(dir.path());
    drop(store);
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch("PRAGMA journal_mode = DELETE;").unwrap();
        conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
            .unwrap();
    }
    let before = bytes(&path);
    let err = Store::open(&path, AT, None).err().expect("refused");
    assert!(
        matches!(err, StoreError::Newer { found, .. } if found == SCHEMA_VERSION + 1),
        "a file from a newer lingtan is refused and untouched: {err}"
    );
    assert!(
        err.to_string().contains("newer Lingtan"),
        "a file from a newer lingtan is refused and untouched"
    );
    assert_eq!(bytes(&path), before, "a refused file is never rewritten");
}

#[test]
fn a_damaged_file_is_reported_not_deleted() {
    let dir = tempfile::tempdir().unwrap();
    let (path, store) = project(dir.path());
    drop(store);
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch("PRAGMA journal_mode = DELETE;").unwrap();
    }
    let mut data = bytes(&path);
    assert!(data.len() > 8192, "a damaged file is reported not deleted");
    // keep the header, scribble over the second page onwards
    for b in &mut data[4096..] {
        *b = 0xA5;
    }
    std::fs::write(&path, &data).unwrap();
    let err = Store::open(&path, AT, None).err().expect("refused");
    assert!(
        matches!(
            err,
            StoreError::Corrupt { .. } | StoreError::NotAProject { .. }
        ),
        "a damaged file is reported not deleted: {err}"
    );
    assert!(path.exists(), "never deleted");
    assert_eq!(bytes(&path), data, "never modified");
}

#[test]
fn corrections_are_new_versions_and_nothing_is_deleted() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut store) = project(dir.path());
    let corrected = store
        .correct_activity(1, &new_activity(1, "1100"), "meter re-read", AT)
        .unwrap();
    assert_eq!(
        corrected.version, 2,
        "corrections are new versions and nothing is deleted"
    );
    let voided = store
        .void_activity(2, "duplicate of bill 2024-02", AT)
        .unwrap();
    assert_eq!(
        voided.status,
        Status::Void,
        "corrections are new versions and nothing is deleted"
    );
    let history = store.activity_history(1).unwrap();
    assert_eq!(
        history.len(),
        2,
        "corrections are new versions and nothing is deleted"
    );
    assert_eq!(
        history[0].status,
        Status::Superseded,
        "corrections are new versions and nothing is deleted"
    );
    assert_eq!(
        history[1].reason.as_deref(),
        Some("meter re-read"),
        "corrections are new versions and nothing is deleted"
    );
    let current = store.activities(None).unwrap();
    assert_eq!(current.len(), 1, "the voided record is not current");
    let all: i64 = sqlite3(&path)
        .query_row("SELECT COUNT(*) FROM activity", [], |r| r.get(0))
        .unwrap();
    assert_eq!(all, 4, "every version is kept");
    let v = store.verify().unwrap();
    assert!(
        v.ok(),
        "corrections are new versions and nothing is deleted: {:?}",
        v.findings
    );
}

#[test]
fn a_record_edited_with_sqlite3_is_detected_and_named() {
    let dir = tempfile::tempdir().unwrap();
    let (path, store) = project(dir.path());
    sql(
        &path,
        "UPDATE activity SET quantity = '100.50' WHERE id = 1",
    );
    let v = store.verify().unwrap();
    assert!(
        !v.ok(),
        "a record edited with sqlite3 is detected and named"
    );
    assert_eq!(
        v.findings.len(),
        1,
        "a record edited with sqlite3 is detected and named: {:?}",
        v.findings
    );
    assert_eq!(
        v.findings[0].place, "activity #1 v1",
        "a record edited with sqlite3 is detected and named"
    );
    assert!(
        v.findings[0].en.contains("changed outside Lingtan"),
        "a record edited with sqlite3 is detected and named"
    );
}

#[test]
fn an_audit_entry_edited_with_sqlite3_is_detected_and_named() {
    let dir = tempfile::tempdir().unwrap();
    let (path, store) = project(dir.path());
    sql(&path, "UPDATE audit_log SET payload = replace(payload, '1000.50', '100.50') WHERE entity = 'activity' AND entity_key = '1@1'");
    let v = store.verify().unwrap();
    assert!(
        v.findings
            .iter()
            .any(|f| f.place.starts_with("audit entry #") && f.en.contains("was edited")),
        "an audit entry edited with sqlite3 is detected and named: {:?}",
        v.findings
    );
}

#[test]
fn a_record_and_its_log_entry_both_edited_still_break_the_chain() {
    let dir = tempfile::tempdir().unwrap();
    let (path, store) = project(dir.path());
    sql(&path, "UPDATE activity SET quantity = '1.50' WHERE id = 1");
    sql(&path, "UPDATE audit_log SET payload = replace(payload, '1000.50', '1.50') WHERE entity = 'activity' AND entity_key = '1@1'");
    let v = store.verify().unwrap();
    assert!(
        !v.ok(),
        "a record and its log entry both edited still break the chain"
    );
    assert!(
        v.findings.iter().any(|f| f.en.contains("was edited")),
        "a record and its log entry both edited still break the chain"
    );
}

#[test]
fn rows_deleted_or_inserted_outside_lingtan_are_detected() {
    let dir = tempfile::tempdir().unwrap();
    let (path, store) = project(dir.path());
    sql(&path, "DELETE FROM activity WHERE id = 2");
    sql(&path, "INSERT INTO site (name) VALUES ('Ghost site')");
    let v = store.verify().unwrap();
    assert!(
        v.findings
            .iter()
            .any(|f| f.place == "activity 2@1" && f.en.contains("deleted outside Lingtan")),
        "rows deleted or inserted outside lingtan are detected: {:?}",
        v.findings
    );
    assert!(
        v.findings
            .iter()
            .any(|f| f.place.contains("Ghost site") && f.en.contains("added outside Lingtan")),
        "rows deleted or inserted outside lingtan are detected: {:?}",
        v.findings
    );
}

#[test]
fn a_cancelled_write_stops_as_interrupted_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (_, mut store) = project(dir.path());
    let head = store.audit_head().unwrap();
    let rows: Vec<NewActivity> = (0..2000)
        .map(|i| new_activity(1, &format!("{i}.5")))
        .collect();
    store.cancel_on(Some(std::sync::Arc::new(
        std::sync::atomic::AtomicBool::new(true),
    )));
    let err = store
        .add_activity_batch("bills.xlsx", None, &rows, AT)
        .expect_err("a write under a raised cancel flag stops");
    store.cancel_on(None);
    assert!(
        matches!(err, StoreError::Interrupted),
        "the caller can tell a cancel from a failure without knowing SQLite: {err:?}"
    );
    assert_eq!(err.code(), "CANCELLED", "a stable code for machines");
    assert_eq!(
        store.audit_head().unwrap(),
        head,
        "the interrupted transaction was rolled back: no entry was added"
    );
    assert_eq!(
        store.activities(None).unwrap().len(),
        2,
        "no record of the cancelled batch was kept"
    );
    assert!(store.batches().unwrap().is_empty(), "nor the batch");
}

#[test]
fn a_deleted_settings_row_is_reported_by_verify_not_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let (path, store) = project(dir.path());
    sql(&path, "DELETE FROM project WHERE id = 1");
    let v = store
        .verify()
        .expect("verify reports a deleted row; it does not fail on it");
    assert!(
        v.findings
            .iter()
            .any(|f| f.place == "project 1" && f.en.contains("deleted outside Lingtan")),
        "the settings row is named as deleted: {:?}",
        v.findings
    );
}

#[test]
fn a_deleted_log_entry_and_a_replaced_evidence_file_are_detected() {
    let dir = tempfile::tempdir().unwrap();
    let (path, store) = project(dir.path());
    sql(&path, "DELETE FROM audit_log WHERE seq = 3");
    sql(&path, "UPDATE evidence SET content = x'00'");
    let v = store.verify().unwrap();
    assert!(
        v.findings
            .iter()
            .any(|f| f.place == "audit entry #4" && f.en.contains("missing")),
        "a deleted log entry and a replaced evidence file are detected: {:?}",
        v.findings
    );
    assert!(
        v.findings
            .iter()
            .any(|f| f.place.starts_with("evidence #1") && f.en.contains("SHA-256")),
        "a deleted log entry and a replaced evidence file are detected: {:?}",
        v.findings
    );
}

#[test]
fn a_batch_is_covered_by_one_digest() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut store) = project(dir.path());
    let rows: Vec<NewActivity> = (0..50)
        .map(|i| NewActivity {
            from: NaiveDate::from_ymd_opt(2024, 3, 1).unwrap(),
            to: NaiveDate::from_ymd_opt(2024, 3, 31).unwrap(),
            origin_ref: Some(format!("Sheet1!{}", i + 2)),
            ..new_activity(1, &format!("{i}.5"))
        })
        .collect();
    store
        .add_activity_batch("bills.xlsx", None, &rows, AT)
        .unwrap();
    assert!(
        store.verify().unwrap().ok(),
        "a batch is covered by one digest"
    );
    sql(
        &path,
        "UPDATE activity SET quantity = '9.9' WHERE origin_ref = 'Sheet1!10'",
    );
    let v = store.verify().unwrap();
    assert!(
        v.findings.iter().any(|f| f.place == "import batch #1"),
        "a batch is covered by one digest: {:?}",
        v.findings
    );
}

#[test]
fn a_copy_is_consistent_and_never_goes_over_a_file_with_content() {
    let dir = tempfile::tempdir().unwrap();
    let (_, store) = project(dir.path());
    let dest = dir.path().join("copy.lingtan");
    store.copy_into(&dest).unwrap();
    let copy = Store::open(&dest, AT, None).unwrap();
    assert_eq!(
        copy.activities(None).unwrap().len(),
        2,
        "a copy is consistent and never goes over a file with content"
    );
    assert!(
        copy.verify().unwrap().ok(),
        "a copy is consistent and never goes over a file with content"
    );
    assert!(
        matches!(store.copy_into(&dest), Err(StoreError::Exists(_))),
        "a file with content is never overwritten"
    );
}

fn schema(conn: &rusqlite::Connection) -> Vec<(String, String)> {
    let mut stmt = conn
        .prepare("SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY type, name")
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

/// `schema-v1.lingtan` was written by the schema-version-1 code path (the store's test-only
/// `testkit::write_schema_v1_fixture`) and is frozen: never regenerate it.
#[test]
fn a_frozen_version_1_file_upgrades_to_the_current_schema() {
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("old.lingtan");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/schema-v1.lingtan"),
        &old,
    )
    .unwrap();
    assert_eq!(
        Store::inspect(&old).unwrap(),
        1,
        "a frozen version 1 file upgrades to the current schema"
    );
    let upgraded = Store::open(&old, AT, None).unwrap();
    assert_eq!(
        upgraded.schema_version().unwrap(),
        SCHEMA_VERSION,
        "a frozen version 1 file upgrades to the current schema"
    );
    let fresh_path = dir.path().join("fresh.lingtan");
    Store::create(&fresh_path, &info(), None).unwrap();
    assert_eq!(
        schema(&sqlite3(&old)),
        schema(&sqlite3(&fresh_path)),
        "an upgraded file has exactly the fresh schema"
    );
    let rows = upgraded.activities(None).unwrap();
    assert_eq!(
        rows.len(),
        1,
        "a frozen version 1 file upgrades to the current schema"
    );
    assert_eq!(
        rows[0].quantity.to_string(),
        "12500.50",
        "a frozen version 1 file upgrades to the current schema"
    );
    assert_eq!(
        upgraded.project().unwrap().org_name_zh.as_deref(),
        Some("旧厂有限公司"),
        "a frozen version 1 file upgrades to the current schema"
    );
    let v = upgraded.verify().unwrap();
    assert!(
        v.ok(),
        "old records still match their log after the upgrade: {:?}",
        v.findings
    );
    assert!(
        upgraded
            .audit_entries(None)
            .unwrap()
            .iter()
            .any(|e| e.action == "migrate" && e.entity_key == "2"),
        "the upgrade is logged"
    );
}

#[test]
fn reverting_a_batch_voids_its_records_keeps_them_and_still_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut store) = project(dir.path());
    let rows: Vec<NewActivity> = (1..=3)
        .map(|m| NewActivity {
            from: NaiveDate::from_ymd_opt(2024, m + 3, 1).unwrap(),
            to: NaiveDate::from_ymd_opt(2024, m + 3, 28).unwrap(),
            ..new_activity(1, "10")
        })
        .collect();
    let batch = store
        .add_activity_batch("bills.xlsx", None, &rows, AT)
        .unwrap();
    let first = store
        .activities(None)
        .unwrap()
        .iter()
        .find(|a| a.batch_id == Some(batch))
        .unwrap()
        .id;
    store
        .correct_activity(
            first,
            &NewActivity {
                from: NaiveDate::from_ymd_opt(2024, 4, 1).unwrap(),
                to: NaiveDate::from_ymd_opt(2024, 4, 28).unwrap(),
                ..new_activity(1, "11")
            },
            "typo",
            AT,
        )
        .unwrap();
    assert_eq!(
        store.revert_batch(batch, "wrong account", AT).unwrap(),
        3,
        "reverting a batch voids its records keeps them and still verifies"
    );
    assert_eq!(
        store.activities(None).unwrap().len(),
        2,
        "only the two hand-entered records are current"
    );
    let all: i64 = sqlite3(&path)
        .query_row(
            "SELECT COUNT(*) FROM activity WHERE batch_id = ?1",
            [batch],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(all, 4, "kept: three rows and one correction");
    let v = store.verify().unwrap();
    assert!(
        v.ok(),
        "reverting a batch voids its records keeps them and still verifies: {:?}",
        v.findings
    );
    assert!(
        store.revert_batch(batch, "again", AT).is_err(),
        "a batch is reverted once"
    );
    sqlite3(&path).execute("UPDATE activity SET status = 'current' WHERE batch_id = ?1 AND version = 1 AND id = ?2", [batch, first + 1]).unwrap();
    assert!(
        !store.verify().unwrap().ok(),
        "un-voiding a reverted row outside Lingtan is found"
    );
}

#[test]
fn a_schema_changed_outside_lingtan_is_refused_on_opening_and_reported_by_verify() {
    let dir = tempfile::tempdir().unwrap();
    let (path, store) = project(dir.path());
    drop(store);
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(
            "CREATE TRIGGER halve AFTER INSERT ON activity BEGIN UPDATE activity SET quantity = '0' WHERE row_id = NEW.row_id; END;",
        )
        .unwrap();
    }
    let before = bytes(&path);
    for opened in [
        Store::open(&path, AT, None).err(),
        Store::open_read_only(&path).err(),
        Store::inspect(&path).err(),
    ] {
        assert!(
            matches!(opened, Some(StoreError::SchemaChanged { ref en, .. }) if en.contains("trigger 'halve'")),
            "every opening but verify's refuses a trigger it does not know: {opened:?}"
        );
    }
    assert_eq!(bytes(&path), before, "a refused file is not written");
    let v = Store::open_to_verify(&path).unwrap().verify().unwrap();
    assert!(
        v.findings
            .iter()
            .any(|f| f.place == "schema: trigger 'halve'" && f.en.contains("added outside Lingtan")),
        "verify names the trigger as tampering: {:?}",
        v.findings
    );
    assert_eq!(bytes(&path), before, "verifying does not write");
}

#[test]
fn a_schema_version_lingtan_never_writes_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (path, store) = project(dir.path());
    drop(store);
    for version in [-1, 0] {
        {
            let conn = rusqlite::Connection::open(&path).unwrap();
            conn.pragma_update(None, "user_version", version).unwrap();
        }
        let before = bytes(&path);
        let err = Store::open(&path, AT, None).err();
        assert!(
            matches!(err, Some(StoreError::Corrupt { ref detail, .. }) if detail.contains(&format!("schema version is {version}"))),
            "version {version} is not a version Lingtan writes: {err:?}"
        );
        assert_eq!(bytes(&path), before, "refused untouched");
    }
}

#[test]
fn reading_leaves_the_file_byte_identical_and_an_older_file_is_read_through_a_copy() {
    let dir = tempfile::tempdir().unwrap();
    let (path, store) = project(dir.path());
    // a copy in rollback-journal mode: opening it to write would switch it to WAL
    let copy = dir.path().join("copy.lingtan");
    store.copy_into(&copy).unwrap();
    drop(store);
    for p in [&path, &copy] {
        let before = bytes(p);
        let s = Store::open_read_only(p).unwrap();
        assert_eq!(
            s.activities(None).unwrap().len(),
            2,
            "reading leaves the file byte identical and an older file is read through a copy"
        );
        assert!(
            s.verify().unwrap().ok(),
            "reading leaves the file byte identical and an older file is read through a copy"
        );
        drop(s);
        assert_eq!(bytes(p), before, "{}: reading must not write", p.display());
    }
    let old = dir.path().join("old.lingtan");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/schema-v1.lingtan"),
        &old,
    )
    .unwrap();
    let before = bytes(&old);
    let s = Store::open_read_only(&old).unwrap();
    assert_eq!(
        s.opened_version(),
        1,
        "reading leaves the file byte identical and an older file is read through a copy"
    );
    assert_eq!(
        s.schema_version().unwrap(),
        SCHEMA_VERSION,
        "read through a copy upgraded in memory"
    );
    assert_eq!(
        s.activities(None).unwrap().len(),
        1,
        "reading leaves the file byte identical and an older file is read through a copy"
    );
    assert!(
        s.verify().unwrap().ok(),
        "reading leaves the file byte identical and an older file is read through a copy"
    );
    drop(s);
    assert_eq!(
        bytes(&old),
        before,
        "an older file is upgraded only by a write"
    );
}

#[test]
fn an_audit_payload_that_is_not_utf8_is_a_finding_naming_its_entry() {
    let dir = tempfile::tempdir().unwrap();
    let (path, store) = project(dir.path());
    sql(
        &path,
        "UPDATE audit_log SET payload = CAST(x'7b22ff22' AS TEXT) WHERE seq = 3",
    );
    let v = store.verify().expect("verify reports, it does not fail");
    assert!(
        v.findings
            .iter()
            .any(|f| f.place == "audit entry #3" && f.en.contains("not valid UTF-8")),
        "an audit payload that is not utf8 is a finding naming its entry: {:?}",
        v.findings
    );
    assert!(
        store.audit_entries(None).is_ok(),
        "the log can still be listed"
    );
}

#[test]
fn a_stored_value_that_cannot_be_read_names_its_record() {
    let dir = tempfile::tempdir().unwrap();
    let (path, store) = project(dir.path());
    sql(&path, "UPDATE activity SET quantity = 'abc' WHERE id = 2");
    let err = store.activities(None).unwrap_err();
    assert!(
        matches!(err, StoreError::BadValue { ref place, .. } if place == "activity #2 v1"),
        "the record is named: {err:?}"
    );
    let v = store.verify().unwrap();
    assert_eq!(
        v.findings.len(),
        1,
        "one finding, naming the record, and not also 'deleted': {:?}",
        v.findings
    );
    assert_eq!(
        v.findings[0].place, "activity #2 v1",
        "a stored value that cannot be read names its record"
    );
}

#[test]
fn entries_record_a_fixed_clock_and_old_entries_keep_their_hashes() {
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("old.lingtan");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/schema-v1.lingtan"),
        &old,
    )
    .unwrap();
    let hashes_before: Vec<String> = Store::open_read_only(&old)
        .unwrap()
        .audit_entries(None)
        .unwrap()
        .into_iter()
        .map(|e| e.hash)
        .collect();
    let mut s = Store::open(&old, AT, Some("LINGTAN_NOW")).unwrap();
    let entries = s.audit_entries(None).unwrap();
    assert_eq!(
        entries[..hashes_before.len()]
            .iter()
            .map(|e| e.hash.clone())
            .collect::<Vec<_>>(),
        hashes_before,
        "the upgrade keeps every existing entry's hash"
    );
    assert!(
        entries[hashes_before.len()..]
            .iter()
            .all(|e| e.clock.as_deref() == Some("LINGTAN_NOW")),
        "the upgrade's entries say the clock was fixed"
    );
    s.note_clock(None);
    s.add_evidence("b.pdf", b"bill", AT).unwrap();
    let last = s.audit_entries(Some(1)).unwrap().remove(0);
    assert_eq!(last.clock, None, "the computer's clock is not marked");
    assert!(s.verify().unwrap().ok(), "both kinds of entry verify");
    // the clock is covered by the hash
    sql(
        &old,
        "UPDATE audit_log SET clock = NULL WHERE clock IS NOT NULL",
    );
    assert!(
        !s.verify().unwrap().ok(),
        "removing the clock mark breaks the chain"
    );
}

#[test]
fn reduction_records_keep_every_version_as_written_and_verify() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut store) = project(dir.path());
    reduction_records(&mut store);

    let outputs = store.outputs().unwrap();
    assert_eq!(
        outputs.len(),
        1,
        "the voided record is not current: {outputs:?}"
    );
    assert_eq!(
        (
            outputs[0].version,
            outputs[0].quantity.to_string(),
            outputs[0].reason.as_deref()
        ),
        (2, "1250".to_string(), Some("re-counted")),
        "a correction is the next version, with its reason"
    );
    let history = store.output_history(outputs[0].id).unwrap();
    assert_eq!(
        history
            .iter()
            .map(|o| (o.status, o.quantity.to_string()))
            .collect::<Vec<_>>(),
        [
            (Status::Superseded, "1200.50".into()),
            (Status::Current, "1250".into())
        ],
        "the old version stays, with its decimals as written"
    );
    assert_eq!(
        store.output_history(2).unwrap().last().map(|o| o.status),
        Some(Status::Void),
        "a withdrawn record is kept, void"
    );

    let targets = store.targets().unwrap();
    assert_eq!(targets.len(), 1);
    assert_eq!(
        (
            targets[0].version,
            targets[0].target.base_tco2e,
            targets[0].target.base_fingerprint.as_deref()
        ),
        (2, d("1101.2"), Some("fp-2024-b")),
        "the rebase is the current version"
    );
    assert_eq!(
        store.target_history(targets[0].id).unwrap()[0].target,
        target("Near-term", "1046.85"),
        "the target as it was set reads back whole (pathway, metric, base figures)"
    );
    let log = store.recalculations().unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(
        (
            log[0].from_version,
            log[0].to_version,
            log[0].recalculation.reason.as_str(),
            log[0].recalculation.target.as_str()
        ),
        (1, 2, "corrected the March bill", "Near-term"),
        "the log names the versions and keeps the reason"
    );
    assert_eq!(log[0].recalculation.was_tco2e, d("1046.85"));

    let measures = store.measures().unwrap();
    assert_eq!(measures.len(), 1);
    assert_eq!(measures[0].version, 2);
    assert_eq!(measures[0].measure, pv(MeasureStatus::Done), "every field reads back typed: inputs by the catalogue, sources by role, changes with their units");
    assert_eq!(measures[0].reason.as_deref(), Some("commissioned"));
    let versions = store.measure_history(measures[0].id).unwrap();
    assert_eq!(
        versions
            .iter()
            .map(|m| (m.measure.status, m.current))
            .collect::<Vec<_>>(),
        [(MeasureStatus::Planned, false), (MeasureStatus::Done, true)],
        "what the measure was planned as stays in the file"
    );
    let stored: String = sqlite3(&path)
        .query_row("SELECT inputs FROM measure WHERE version = 1", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(
        stored, r#"{"kwp":"400.0","self-consumption":"85","yield":"1100"}"#,
        "inputs are decimal text as typed, readable with sqlite3"
    );

    let prices = store.prices().unwrap();
    assert_eq!(prices.len(), 1);
    assert_eq!(
        (prices[0].version, prices[0].cny.to_string(), prices[0].per),
        (4, "0.70".into(), Unit::KWh)
    );
    assert_eq!(
        store
            .price_history(1)
            .unwrap()
            .iter()
            .map(|p| p.status)
            .collect::<Vec<_>>(),
        [
            Status::Superseded,
            Status::Superseded,
            Status::Void,
            Status::Current
        ],
        "set, changed, cleared (a void version, which stays void), set again: every version kept"
    );
    assert_eq!(
        store.price_history(1).unwrap()[2].cny,
        d("680"),
        "the void version keeps the figures it cleared"
    );

    assert_eq!(
        store.reduction_settings().unwrap(),
        ReductionSettings {
            discount_rate_pct: Some(d("6.5")),
            carbon_price: Some(d("80.00")),
            significance_pct: None,
        }
    );
    let v = store.verify().unwrap();
    assert!(
        v.ok(),
        "every reduction row is what its last entry says: {:?}",
        v.findings
    );
}

#[test]
fn an_sql_edit_of_each_reduction_table_is_found_and_named() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut store) = project(dir.path());
    reduction_records(&mut store);
    assert!(store.verify().unwrap().ok());
    let edits = [
        (
            "UPDATE output SET quantity = '1350' WHERE id = 1 AND version = 2",
            "output #1 v2",
        ),
        (
            "UPDATE target SET reduction_pct = '50' WHERE id = 1 AND version = 2",
            "target #1 v2 'Near-term'",
        ),
        (
            "UPDATE target_recalculation SET reason = 'nothing' WHERE id = 1",
            "target recalculation #1",
        ),
        (
            "UPDATE measure SET capex = '1' WHERE id = 1 AND version = 1",
            "measure #1 v1 'Rooftop PV'",
        ),
        (
            "UPDATE energy_price SET cny = '0.07' WHERE source_id = 1 AND version = 4",
            "energy price of source #1 v4",
        ),
        (
            "UPDATE reduction_setting SET carbon_price = '8000' WHERE id = 1",
            "reduction settings",
        ),
    ];
    for (statement, _) in &edits {
        sql(&path, statement);
    }
    let v = store.verify().unwrap();
    for (statement, place) in &edits {
        assert!(
            v.findings
                .iter()
                .any(|f| f.place == *place && f.en.contains("changed outside Lingtan")),
            "{statement}: the edited row is named {place}: {:?}",
            v.findings
        );
    }
    assert_eq!(
        v.findings.len(),
        edits.len(),
        "nothing else: {:?}",
        v.findings
    );

    // a row slipped in and a row deleted are found too
    sql(&path, "INSERT INTO measure (id, version, name, kind, status, inputs, sources, changes, capex, opex, version_status, created_at) VALUES (7, 1, 'Ghost', 'other', 'done', '{}', '{}', '[]', '0', '0', 'current', 'x')");
    sql(&path, "DELETE FROM output WHERE id = 2");
    let v = store.verify().unwrap();
    assert!(
        v.findings
            .iter()
            .any(|f| f.place == "measure #7 v1 'Ghost'" && f.en.contains("added outside Lingtan")),
        "{:?}",
        v.findings
    );
    assert!(
        v.findings
            .iter()
            .any(|f| f.place.starts_with("output 2@") && f.en.contains("deleted outside Lingtan")),
        "{:?}",
        v.findings
    );
}

#[test]
fn output_is_in_the_data_fingerprint_and_targets_measures_prices_are_not() {
    let dir = tempfile::tempdir().unwrap();
    let (_, mut store) = project(dir.path());
    let before = store.data_fingerprint("records").unwrap();
    let t = store
        .add_target(&target("Near-term", "1046.85"), AT)
        .unwrap();
    store.add_measure(&pv(MeasureStatus::Idea), AT).unwrap();
    store
        .set_price(1, Some((d("0.68"), Unit::KWh)), AT)
        .unwrap();
    store
        .set_reduction_settings(
            &ReductionSettings {
                carbon_price: Some(d("80")),
                ..Default::default()
            },
            AT,
        )
        .unwrap();
    assert_eq!(
        store.data_fingerprint("records").unwrap(),
        before,
        "a target stores its base year's fingerprint: setting it (or a measure, a price) must not change that fingerprint"
    );
    assert_eq!(t.target.base_fingerprint.as_deref(), Some("fp-2024"));
    store
        .add_output(&new_output("product", 2024, "1200", Unit::T), AT)
        .unwrap();
    assert_ne!(
        store.data_fingerprint("records").unwrap(),
        before,
        "output is what the inventory's intensity is computed from"
    );
}

#[test]
fn several_years_in_one_pass_give_each_year_its_own_records_and_digest() {
    let dir = tempfile::tempdir().unwrap();
    let (_, mut store) = project(dir.path());
    // a record spanning the new year belongs to both years
    store
        .add_activity(
            &NewActivity {
                from: NaiveDate::from_ymd_opt(2024, 12, 15).unwrap(),
                to: NaiveDate::from_ymd_opt(2025, 1, 14).unwrap(),
                ..new_activity(1, "310")
            },
            AT,
        )
        .unwrap();
    store
        .add_activity(
            &NewActivity {
                from: NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(),
                to: NaiveDate::from_ymd_opt(2026, 3, 31).unwrap(),
                ..new_activity(1, "5")
            },
            AT,
        )
        .unwrap();
    let mut seen = Vec::new();
    let years = store
        .for_each_activity_by_year(2024, 2025, |a| seen.push(a.id))
        .unwrap();
    assert_eq!(
        seen,
        [1, 2, 3],
        "each record once, in storage order; 2026 is outside the years asked"
    );
    for year in [2024, 2025] {
        let from = NaiveDate::from_ymd_opt(year, 1, 1).unwrap();
        let to = NaiveDate::from_ymd_opt(year, 12, 31).unwrap();
        let alone = store.for_each_activity(from, to, |_| {}).unwrap();
        assert_eq!(
            years.get(&year),
            Some(&alone),
            "{year}: the same count and digest as that year read alone (the fingerprint of its inventory)"
        );
    }
    assert_eq!(years.len(), 2);
    let empty = store.for_each_activity_by_year(2030, 2031, |_| {}).unwrap();
    assert!(empty.is_empty());
    let (n, digest) = store
        .for_each_activity(
            NaiveDate::from_ymd_opt(2030, 1, 1).unwrap(),
            NaiveDate::from_ymd_opt(2030, 12, 31).unwrap(),
            |_| {},
        )
        .unwrap();
    assert_eq!(
        (n, digest),
        (0, sha256_hex(b"")),
        "a year without records: nothing hashed"
    );
}

// ---------------------------------------------------------------------------------------------
// The offset step's tables: eac, credit, retirement

#[test]
fn the_offset_records_are_stored_as_given_nothing_deleted_and_verified() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut store) = project(dir.path());
    offset_records(&mut store);
    let eacs = store.eacs().unwrap();
    assert_eq!(
        eacs.len(),
        5,
        "three entered, two imported: every record kept"
    );
    let by = |c: &str| eacs.iter().find(|e| e.certificate == c).unwrap();
    assert_eq!(by("G-1").status, OffsetStatus::Retired, "retired later");
    assert_eq!(by("G-2").status, OffsetStatus::Retired, "retired on entry");
    assert_eq!(by("G-3").status, OffsetStatus::Void);
    assert_eq!(by("G-3").void_reason.as_deref(), Some("recorded twice"));
    assert!(
        by("O-1")
            .void_reason
            .as_deref()
            .unwrap()
            .contains("the wrong export"),
        "undoing the import voids its certificates with the reason"
    );
    assert_eq!(by("O-1").batch_id, by("O-2").batch_id);
    let g2 = by("G-2");
    assert_eq!(
        g2.evidence_id,
        store.retirements().unwrap()[0].evidence_id,
        "one file given for the certificate and its retirement is stored once"
    );
    let mut stored = gec("G-1", "120");
    stored.id = 1;
    stored.status = OffsetStatus::Retired;
    stored.retirement_id = by("G-1").retirement_id;
    stored.created_at = AT.into();
    assert_eq!(
        by("G-1"),
        &stored,
        "every field in its own column, as given"
    );

    let credits = store.credits().unwrap();
    let statuses: Vec<(i64, CreditStatus, Option<i64>, u64)> = credits
        .iter()
        .map(|c| (c.id, c.status, c.parent_id, c.quantity))
        .collect();
    assert_eq!(
        statuses,
        vec![
            (1, CreditStatus::Superseded, None, 3644),
            (2, CreditStatus::Retired, Some(1), 1000),
            (3, CreditStatus::Held, Some(1), 2644),
            (4, CreditStatus::Void, None, 3644),
        ],
        "a partial retirement keeps the block beside its parts, which add up to it"
    );
    assert_eq!(
        credits[1].serial,
        "19309-936487628-936488627-VCS-VCU-1491-VER-RW-3-4150-01102024-31122024-1"
    );
    assert_eq!(credits[1].retirement_id, Some(3), "the block's retirement");
    let all: i64 = sqlite3(&path)
        .query_row("SELECT COUNT(*) FROM credit", [], |r| r.get(0))
        .unwrap();
    assert_eq!(all, 4, "nothing deleted");
    let v = store.verify().unwrap();
    assert!(v.ok(), "every change is logged: {:?}", v.findings);
}

#[test]
fn a_new_block_is_compared_only_with_the_blocks_it_can_meet() {
    let dir = tempfile::tempdir().unwrap();
    let (_, mut store) = project(dir.path());
    offset_records(&mut store);
    let block = verra_block();
    let ids = |range: Option<(u64, u64)>, key: &str| -> Vec<i64> {
        store
            .credit_candidates(Registry::Verra, "19309", range, key)
            .unwrap()
            .iter()
            .map(|c| c.id)
            .collect()
    };
    assert_eq!(
        ids(Some((936_488_000, 936_488_700)), "none"),
        vec![2, 3],
        "both live parts meet the range; the superseded block and the void one are not read"
    );
    assert_eq!(
        ids(Some((936_491_272, 936_500_000)), "none"),
        Vec::<i64>::new(),
        "touching is not meeting"
    );
    assert_eq!(
        ids(
            None,
            &ledger::serial_key(
                &serial::read(
                    Registry::Verra,
                    &store.credit(2).unwrap().serial,
                    &Given::default()
                )
                .unwrap()
            )
        ),
        vec![2],
        "the same serial is found by its key"
    );
    assert!(block.first.is_some());
}

#[test]
fn each_offset_table_edited_with_sqlite3_is_named_by_verify() {
    for (statement, place, words) in [
        (
            "UPDATE eac SET mwh = '1200' WHERE id = 1",
            "certificate #1 (gec G-1)",
            "changed outside Lingtan",
        ),
        (
            "UPDATE eac SET status = 'retired', retirement_id = 1 WHERE id = 5",
            "certificate #5 (gec O-2)",
            "changed outside Lingtan",
        ),
        (
            "UPDATE credit SET quantity = 2645, last_unit = last_unit + 1 WHERE id = 3",
            "credit #3 (verra 19309-936488628-936491271-VCS-VCU-1491-VER-RW-3-4150-01102024-31122024-1)",
            "changed outside Lingtan",
        ),
        (
            "UPDATE retirement SET beneficiary = 'Someone Else' WHERE id = 1",
            "retirement #1 (2024-12-20)",
            "changed outside Lingtan",
        ),
        (
            "INSERT INTO eac (type, certificate, mwh, gen_from, gen_to, sites, status, created_at) VALUES ('gec', 'SMUGGLED', '999', '2024-01', '2024-12', '[]', 'held', 'x')",
            "certificate #6 (gec SMUGGLED)",
            "added outside Lingtan",
        ),
        ("DELETE FROM credit WHERE id = 4", "credit 4", "deleted outside Lingtan"),
        (
            "UPDATE eac SET technology = 'coal' WHERE id = 2",
            "certificate #2",
            "cannot be read",
        ),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let (path, mut store) = project(dir.path());
        offset_records(&mut store);
        assert!(store.verify().unwrap().ok(), "clean before the edit");
        sql(&path, statement);
        let v = store.verify().unwrap();
        assert!(
            v.findings
                .iter()
                .any(|f| f.place == place && f.en.contains(words)),
            "{statement}: verify must name {place}: {:?}",
            v.findings
        );
    }
}

#[test]
fn retired_certificates_and_credits_change_the_data_fingerprint() {
    let dir = tempfile::tempdir().unwrap();
    let (_, mut store) = project(dir.path());
    let before = store.data_fingerprint("records").unwrap();
    store.add_eac(&gec("G-1", "120"), None, None, AT).unwrap();
    let held = store.data_fingerprint("records").unwrap();
    assert_ne!(
        before, held,
        "a certificate is part of the data a report is made from"
    );
    store.retire_eac(1, &retirement(None, None), AT).unwrap();
    let retired = store.data_fingerprint("records").unwrap();
    assert_ne!(held, retired, "so is its retirement");
    store.add_credit(&verra_block(), None, AT).unwrap();
    store
        .retire_credit(1, &Retire::Whole, &retirement(None, Some(2024)), AT)
        .unwrap();
    assert_ne!(
        store.data_fingerprint("records").unwrap(),
        retired,
        "and a retired credit"
    );
}
