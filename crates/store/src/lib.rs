//! lingtan-store: the Lingtan project file.
//!
//! A project is one SQLite file (`*.lingtan`): STRICT tables, numbered migrations in
//! `migrations/*.sql` with the version in `PRAGMA user_version`, foreign keys on, WAL. Decimals are
//! canonical TEXT (see the policy at the top of `0001_init.sql`). Evidence files live inside as
//! blobs with their SHA-256. Corrections are new versions with a reason; nothing is deleted.
//! Every change appends to the hash-chained audit log in the same transaction ([`audit`]).
//!
//! Opening checks the file before touching it: a file that is not SQLite, a SQLite file that is
//! not a Lingtan project, a project from a newer Lingtan, or a damaged file each get a clear error
//! and the file is left exactly as it was.
//!
//! All SQL of Lingtan lives in this crate. Time is passed in (`at`, RFC 3339), never read here.

pub mod audit;
mod error;
mod interval;
mod schema;

pub use audit::{sha256_hex, AuditEntry, Finding, Verification};
pub use error::{Result, StoreError};
pub use interval::{NewSeries, SeriesInfo, StoredReading};

use audit::AuditWriter;
use chrono::NaiveDate;
use lingtan_core::calc::ActivityInput;
use lingtan_core::factor::{
    EmissionFactor, FactorCategory, FuelProperty, FuelUse, GridRole, Origin, PropertyKind,
};
use lingtan_core::{Boundary, Decimal, GwpSet, Site, Source, SourceKind, Unit};
use rusqlite::{params, Connection, OpenFlags, OptionalExtension, Row, TransactionBehavior};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// `PRAGMA application_id` of a Lingtan project ("LGTN").
pub const APPLICATION_ID: i64 = 0x4C47_544E;

/// The migrations, in order; the schema version is the number of migrations applied.
const MIGRATIONS: &[&str] = &[
    include_str!("../migrations/0001_init.sql"),
    include_str!("../migrations/0002_batches_and_report.sql"),
    include_str!("../migrations/0003_activity_detail.sql"),
    include_str!("../migrations/0004_interval_data.sql"),
    include_str!("../migrations/0005_audit_clock.sql"),
];

/// How long a write waits for another writer to finish before it gives up.
const BUSY_SECONDS: u64 = 5;

/// The schema version this build writes and reads.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// The organisation and inventory settings of a project.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProjectInfo {
    pub org_name: String,
    pub org_name_zh: Option<String>,
    pub year: i32,
    pub base_year: Option<i32>,
    pub gwp: GwpSet,
    pub boundary: Boundary,
    pub created_at: String,
    pub prepared_by: Option<String>,
    pub report_date: Option<String>,
}

/// A stored evidence file (without its content).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Evidence {
    pub id: i64,
    pub sha256: String,
    pub file_name: String,
    pub size: i64,
    pub added_at: String,
}

/// Status of an activity version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Current,
    Superseded,
    Void,
}

impl Status {
    fn code(self) -> &'static str {
        match self {
            Status::Current => "current",
            Status::Superseded => "superseded",
            Status::Void => "void",
        }
    }

    fn parse(text: &str) -> Result<Status> {
        match text {
            "current" => Ok(Status::Current),
            "superseded" => Ok(Status::Superseded),
            "void" => Ok(Status::Void),
            other => Err(bad("activity.status", other, "unknown status")),
        }
    }
}

/// An activity record to add.
#[derive(Debug, Clone, PartialEq)]
pub struct NewActivity {
    pub source_id: i64,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub quantity: Decimal,
    pub unit: Unit,
    pub note: Option<String>,
    pub evidence_id: Option<i64>,
    pub reason: Option<String>,
    pub origin_ref: Option<String>,
    /// What the bill says besides the quantity (JSON object: peak, flat, valley, cost …).
    pub detail: Option<String>,
}

/// One version of an activity record.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActivityRow {
    pub id: i64,
    pub version: u32,
    pub source_id: i64,
    pub from: NaiveDate,
    pub to: NaiveDate,
    #[serde(with = "rust_decimal::serde::str")]
    pub quantity: Decimal,
    pub unit: Unit,
    pub note: Option<String>,
    pub evidence_id: Option<i64>,
    pub reason: Option<String>,
    pub status: Status,
    pub created_at: String,
    pub batch_id: Option<i64>,
    pub origin_ref: Option<String>,
    pub detail: Option<String>,
}

/// An import batch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Batch {
    pub id: i64,
    pub label: String,
    pub evidence_id: Option<i64>,
    pub sha256: Option<String>,
    pub rows: i64,
    pub created_at: String,
    pub reverted_at: Option<String>,
    pub revert_reason: Option<String>,
}

/// The digest of a batch's rows as they were written (status current), and how many.
fn batch_digest(conn: &Connection, batch: i64) -> Result<(String, i64)> {
    let mut stmt = conn.prepare(&format!(
        "{ACTIVITY_SELECT} WHERE batch_id = ?1 AND version = 1 ORDER BY row_id"
    ))?;
    let mut rows = stmt.query([batch])?;
    let mut digest = sha2::Sha256::default();
    let mut n = 0;
    while let Some(r) = rows.next()? {
        let a = activity_from_row(r)?;
        let at_import = ActivityRow {
            status: Status::Current,
            ..a
        };
        sha2::Digest::update(&mut digest, activity_payload(&at_import).as_bytes());
        sha2::Digest::update(&mut digest, b"\n");
        n += 1;
    }
    Ok((hex(&sha2::Digest::finalize(digest)), n))
}

/// An imported file, stored as evidence in the same transaction as its batch.
pub struct EvidenceFile<'a> {
    pub file_name: &'a str,
    /// Its SHA-256 (hex), already computed by the caller.
    pub sha256: &'a str,
    pub content: &'a [u8],
}

/// Store a file as evidence (or find it, when the same content is already there).
fn insert_evidence(
    tx: &Connection,
    audit: &mut AuditWriter,
    at: &str,
    file_name: &str,
    sha: &str,
    content: &[u8],
) -> Result<Evidence> {
    let existing = {
        let mut stmt = tx.prepare(&format!("{EVIDENCE_SELECT_ALL} WHERE sha256 = ?1"))?;
        let mut rows = stmt.query([sha])?;
        match rows.next()? {
            Some(r) => Some(evidence_from_row(r)?),
            None => None,
        }
    };
    if let Some(e) = existing {
        return Ok(e);
    }
    tx.execute(
        "INSERT INTO evidence (sha256, file_name, size, content, added_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![sha, file_name, content.len() as i64, content, at],
    )?;
    let e = Evidence {
        id: tx.last_insert_rowid(),
        sha256: sha.to_string(),
        file_name: file_name.to_string(),
        size: content.len() as i64,
        added_at: at.to_string(),
    };
    audit.append(
        tx,
        at,
        "create",
        "evidence",
        &e.sha256,
        &evidence_payload(&e),
    )?;
    Ok(e)
}

/// An open project file.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    /// The file itself (read-only) when `conn` is an upgraded copy in memory of an older file.
    file: Option<Connection>,
    /// How the file's schema differs from Lingtan's (opened for `verify` only).
    schema_differences: Vec<Finding>,
    /// The file's schema version when it was opened.
    opened_version: i64,
    /// Recorded in every audit entry written: what set the time, when not the computer's clock.
    clock: Option<String>,
}

/// An upgrade that failed: the versions and SQLite's reason, never the migration's SQL.
fn upgrade_error(path: &Path, from: i64, e: StoreError) -> StoreError {
    let detail = match &e {
        StoreError::Sqlite(rusqlite::Error::SqliteFailure(f, _)) => f.to_string(),
        StoreError::Sqlite(other) => other
            .to_string()
            .lines()
            .next()
            .unwrap_or_default()
            .to_string(),
        other => other.to_string(),
    };
    StoreError::Upgrade {
        path: path.to_path_buf(),
        from,
        to: SCHEMA_VERSION,
        detail,
    }
}

fn bad(field: &'static str, value: &str, detail: impl ToString) -> StoreError {
    StoreError::BadValue {
        place: String::new(),
        field,
        value: value.chars().take(80).collect(),
        detail: detail.to_string(),
    }
}

/// Name the record a stored value that cannot be read belongs to.
fn in_record(e: StoreError, record: impl FnOnce() -> String) -> StoreError {
    match e {
        StoreError::BadValue {
            place,
            field,
            value,
            detail,
        } if place.is_empty() => StoreError::BadValue {
            place: record(),
            field,
            value,
            detail,
        },
        other => other,
    }
}

/// A TEXT column; a value that is not valid UTF-8 (written with an outside tool) is refused as a
/// bad stored value, not as a raw database error.
fn text(r: &Row<'_>, i: usize, field: &'static str) -> Result<String> {
    opt_text(r, i, field)?.ok_or_else(|| bad(field, "NULL", "it is empty"))
}

fn opt_text(r: &Row<'_>, i: usize, field: &'static str) -> Result<Option<String>> {
    use rusqlite::types::ValueRef;
    match r.get_ref(i)? {
        ValueRef::Null => Ok(None),
        ValueRef::Text(t) => match std::str::from_utf8(t) {
            Ok(s) => Ok(Some(s.to_string())),
            Err(_) => Err(bad(
                field,
                &String::from_utf8_lossy(t),
                "it is not valid UTF-8 text",
            )),
        },
        other => Err(bad(field, &format!("{other:?}"), "it is not text")),
    }
}

fn dec(field: &'static str, text: &str) -> Result<Decimal> {
    text.parse::<Decimal>().map_err(|e| bad(field, text, e))
}

fn opt_dec(field: &'static str, text: Option<String>) -> Result<Option<Decimal>> {
    text.map(|t| dec(field, &t)).transpose()
}

fn unit(field: &'static str, text: &str) -> Result<Unit> {
    Unit::ALL
        .iter()
        .copied()
        .find(|u| u.code() == text)
        .map(Ok)
        .unwrap_or_else(|| Unit::parse(text).map_err(|e| bad(field, text, e)))
}

/// YYYY-MM-DD without chrono's general parser (this runs a million times for a big inventory).
fn date(field: &'static str, text: &str) -> Result<NaiveDate> {
    let b = text.as_bytes();
    let num = |s: &[u8]| -> Option<u32> {
        s.iter().try_fold(0u32, |acc, c| {
            c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
        })
    };
    if b.len() == 10 && b[4] == b'-' && b[7] == b'-' {
        if let (Some(y), Some(m), Some(d)) = (num(&b[0..4]), num(&b[5..7]), num(&b[8..10])) {
            if let Some(date) = NaiveDate::from_ymd_opt(y as i32, m, d) {
                return Ok(date);
            }
        }
    }
    Err(bad(field, text, "expected YYYY-MM-DD"))
}

/// The content of a row as the audit log records it: compact JSON with null fields left out, so
/// that a migration adding a nullable column does not change the payload of existing records.
fn payload<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::Object(map)) => {
            let kept: serde_json::Map<String, serde_json::Value> =
                map.into_iter().filter(|(_, v)| !v.is_null()).collect();
            serde_json::Value::Object(kept).to_string()
        }
        Ok(other) => other.to_string(),
        Err(_) => String::new(),
    }
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

fn project_payload(p: &ProjectInfo) -> String {
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

fn site_payload(s: &Site) -> String {
    payload(&serde_json::json!({
        "id": s.id,
        "name": s.name,
        "grid_region": s.grid_region,
        "address": s.address,
        "equity_pct": s.equity_pct.map(|d| d.to_string()),
    }))
}

fn source_payload(s: &Source) -> String {
    payload(&serde_json::json!({
        "id": s.id,
        "name": s.name,
        "site_id": s.site_id,
        "kind": s.kind.code(),
        "fuel": s.fuel,
        "factor_id": s.factor_id,
        "market_factor_id": s.market_factor_id,
        "unit": s.unit.map(Unit::code),
        "uncertainty_pct": s.uncertainty_pct.map(|d| d.to_string()),
    }))
}

fn gases_json(f: &EmissionFactor) -> String {
    let map: BTreeMap<&str, String> = f
        .gases
        .iter()
        .map(|(g, v)| (g.as_str(), v.to_string()))
        .collect();
    payload(&map)
}

fn factor_payload(f: &EmissionFactor) -> String {
    payload(&serde_json::json!({
        "id": f.id,
        "version": f.version,
        "name": f.name,
        "name_zh": f.name_zh,
        "dataset": f.dataset,
        "category": f.category.code(),
        "role": f.role.map(GridRole::code),
        "region": f.region,
        "fuel": f.fuel,
        "fuel_use": f.fuel_use.map(FuelUse::code),
        "year": f.year,
        "published": f.published,
        "unit": f.unit.code(),
        "gases": gases_json(f),
        "co2e": f.co2e.map(|d| d.to_string()),
        "licence": f.licence,
        "citation": f.citation,
        "verified": f.verified,
        "verification_note": f.verification_note,
        "uncertainty_pct": f.uncertainty_pct.map(|d| d.to_string()),
        "is_default": f.is_default,
        "origin": origin_code(f.origin),
    }))
}

fn property_payload(p: &FuelProperty) -> String {
    payload(&serde_json::json!({
        "id": p.id,
        "version": p.version,
        "fuel": p.fuel,
        "kind": p.kind.code(),
        "value": p.value.to_string(),
        "unit": p.unit.code(),
        "per_unit": p.per_unit.code(),
        "citation": p.citation,
        "verified": p.verified,
        "verification_note": p.verification_note,
        "is_default": p.is_default,
        "origin": origin_code(p.origin),
    }))
}

fn evidence_payload(e: &Evidence) -> String {
    payload(e)
}

fn activity_payload(a: &ActivityRow) -> String {
    payload(&serde_json::json!({
        "id": a.id,
        "version": a.version,
        "source_id": a.source_id,
        "from": a.from.to_string(),
        "to": a.to.to_string(),
        "quantity": a.quantity.to_string(),
        "unit": a.unit.code(),
        "note": a.note,
        "evidence_id": a.evidence_id,
        "reason": a.reason,
        "status": a.status.code(),
        "created_at": a.created_at,
        "batch_id": a.batch_id,
        "origin_ref": a.origin_ref,
        "detail": a.detail,
    }))
}

fn origin_code(o: Origin) -> &'static str {
    match o {
        Origin::Library => "library",
        Origin::User => "user",
    }
}

/// Whether the file is in WAL mode, from its header (bytes 18 and 19 are 2).
fn check_header(path: &Path) -> Result<bool> {
    use std::io::Read;
    let io = |e: std::io::Error| match e.kind() {
        std::io::ErrorKind::NotFound => StoreError::NotFound(path.to_path_buf()),
        _ => StoreError::Io {
            path: path.to_path_buf(),
            source: e,
        },
    };
    // the type first: opening a named pipe to read would wait for a writer forever
    let not_a_file = |what: &str| StoreError::NotAProject {
        path: path.to_path_buf(),
        reason: format!("it is {what}, not a file"),
    };
    let meta = std::fs::metadata(path).map_err(io)?;
    if meta.is_dir() {
        return Err(not_a_file("a folder"));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            return Err(not_a_file("a named pipe (FIFO)"));
        }
        if t.is_char_device() || t.is_block_device() {
            return Err(not_a_file("a device"));
        }
        if t.is_socket() {
            return Err(not_a_file("a socket"));
        }
    }
    if !meta.is_file() {
        return Err(not_a_file("not a regular file"));
    }
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let mut file = options.open(path).map_err(io)?;
    if !file.metadata().map_err(io)?.is_file() {
        return Err(not_a_file("not a regular file"));
    }
    let mut header = [0u8; 100];
    let mut read = 0;
    while read < header.len() {
        match file.read(&mut header[read..]) {
            Ok(0) => break,
            Ok(n) => read += n,
            Err(e) => return Err(io(e)),
        }
    }
    if read == 0 {
        return Err(StoreError::NotAProject {
            path: path.to_path_buf(),
            reason: "the file is empty".into(),
        });
    }
    if read < 100 || &header[..16] != b"SQLite format 3\0" {
        return Err(StoreError::NotAProject {
            path: path.to_path_buf(),
            reason: "it is not a SQLite database".into(),
        });
    }
    Ok(header[18] == 2 && header[19] == 2)
}

/// What a write needs: wait for another writer, foreign keys, WAL. Run only on a file already
/// known to be a supported Lingtan project (switching to WAL rewrites the file's header).
fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.busy_timeout(std::time::Duration::from_secs(BUSY_SECONDS))?;
    conn.execute_batch(
        "PRAGMA foreign_keys = ON; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;",
    )
}

/// Whether SQLite gave up waiting for another connection's lock.
fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(
        e,
        rusqlite::Error::SqliteFailure(f, _)
            if f.code == rusqlite::ErrorCode::DatabaseBusy
                || f.code == rusqlite::ErrorCode::DatabaseLocked
    )
}

/// The programs that have the project open (Linux: from /proc), e.g. "lingtan-desktop (process
/// 812)", to tell a waiting writer who holds the file.
fn holders(path: &Path) -> Option<String> {
    #[cfg(target_os = "linux")]
    {
        let real = std::fs::canonicalize(path).ok()?;
        let names: Vec<PathBuf> = ["", "-wal", "-shm"]
            .iter()
            .map(|s| PathBuf::from(format!("{}{s}", real.display())))
            .collect();
        let me = std::process::id();
        let mut found = std::collections::BTreeSet::new();
        for entry in std::fs::read_dir("/proc").ok()?.flatten() {
            let Some(pid) = entry
                .file_name()
                .to_str()
                .and_then(|s| s.parse::<u32>().ok())
            else {
                continue;
            };
            if pid == me {
                continue;
            }
            let Ok(fds) = std::fs::read_dir(entry.path().join("fd")) else {
                continue;
            };
            let holds = fds
                .flatten()
                .any(|fd| std::fs::read_link(fd.path()).is_ok_and(|t| names.contains(&t)));
            if holds {
                let name = std::fs::read_to_string(entry.path().join("comm")).unwrap_or_default();
                found.insert(format!("{} (process {pid})", name.trim()));
            }
        }
        if found.is_empty() {
            None
        } else {
            Some(found.into_iter().collect::<Vec<_>>().join(", "))
        }
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = path;
        None
    }
}

/// A lock SQLite gave up on becomes a message naming the file and who has it open.
fn busy_error(path: &Path, e: StoreError) -> StoreError {
    match e {
        StoreError::Sqlite(ref inner) if is_busy(inner) => StoreError::Busy {
            path: path.to_path_buf(),
            holders: holders(path).map(|h| format!("the file is open in {h}")),
            seconds: BUSY_SECONDS,
        },
        other => other,
    }
}

/// Apply the migrations after the file's `user_version` up to `target` in one transaction (all
/// or nothing), then — when `log` — one audit entry per step from version 2 on (version 1 creates
/// the log). An in-memory copy upgraded for reading is not logged: it is not the file.
fn migrate_to(
    conn: &mut Connection,
    target: i64,
    at: &str,
    clock: Option<&str>,
    log: bool,
) -> Result<()> {
    let from: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if from >= target {
        return Ok(());
    }
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    for sql in MIGRATIONS
        .iter()
        .skip(from.max(0) as usize)
        .take((target - from).max(0) as usize)
    {
        tx.execute_batch(sql)?;
    }
    tx.pragma_update(None, "user_version", target)?;
    if log {
        let mut audit = AuditWriter::load(&tx, clock)?;
        for version in (from + 1).max(2)..=target {
            audit.append(
                &tx,
                at,
                "migrate",
                "schema",
                &version.to_string(),
                &format!("{{\"from\":{},\"to\":{version}}}", version - 1),
            )?;
        }
    }
    tx.commit()?;
    Ok(())
}

/// A file checked read-only: its schema version and how its schema differs from Lingtan's.
struct Inspected {
    conn: Connection,
    version: i64,
    differences: Vec<Finding>,
    /// The file is in WAL mode.
    wal: bool,
}

/// Check a file without writing to it: SQLite, a Lingtan project, a known schema version, not
/// damaged, and its schema as Lingtan's migrations made it.
fn inspect_file(path: &Path) -> Result<Inspected> {
    let wal = check_header(path)?;
    let corrupt = |e: rusqlite::Error| StoreError::Corrupt {
        path: path.to_path_buf(),
        detail: e.to_string(),
    };
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(corrupt)?;
    conn.busy_timeout(std::time::Duration::from_secs(BUSY_SECONDS))
        .map_err(corrupt)?;
    let app: i64 = conn
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .map_err(corrupt)?;
    if app != APPLICATION_ID {
        return Err(StoreError::NotAProject {
            path: path.to_path_buf(),
            reason: "it is a SQLite database of another application".into(),
        });
    }
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(corrupt)?;
    if version > SCHEMA_VERSION {
        return Err(StoreError::Newer {
            path: path.to_path_buf(),
            found: version,
            supported: SCHEMA_VERSION,
        });
    }
    if version < 1 {
        return Err(StoreError::Corrupt {
            path: path.to_path_buf(),
            detail: format!("its schema version is {version}, which no Lingtan writes"),
        });
    }
    let check: String = conn
        .query_row("PRAGMA quick_check", [], |r| r.get(0))
        .map_err(corrupt)?;
    if check != "ok" {
        return Err(StoreError::Corrupt {
            path: path.to_path_buf(),
            detail: check,
        });
    }
    let actual = schema::of(&conn).map_err(|e| match e {
        StoreError::Sqlite(e) => corrupt(e),
        other => other,
    })?;
    let differences = schema::differences(&actual, &schema::expected(MIGRATIONS, version)?);
    Ok(Inspected {
        conn,
        version,
        differences,
        wal,
    })
}

/// Refuse a file whose schema differs from Lingtan's, naming the first differences.
fn refuse_changed(path: &Path, differences: &[Finding]) -> Result<()> {
    if differences.is_empty() {
        return Ok(());
    }
    let (en, zh) = schema::summary(differences);
    Err(StoreError::SchemaChanged {
        path: path.to_path_buf(),
        en,
        zh,
    })
}

impl Store {
    /// Create a new project file at `path`, which must not exist or be empty (a new temporary
    /// file made by the caller's writer); refuses to overwrite anything. `clock` is recorded in
    /// every audit entry when the time was not the computer's (see [`Store::note_clock`]).
    pub fn create(path: &Path, info: &ProjectInfo, clock: Option<&str>) -> Result<Store> {
        if std::fs::symlink_metadata(path).is_ok_and(|m| !m.is_file() || m.len() != 0) {
            return Err(StoreError::Exists(path.to_path_buf()));
        }
        let mut conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.pragma_update(None, "application_id", APPLICATION_ID)?;
        configure(&conn)?;
        migrate_to(&mut conn, SCHEMA_VERSION, &info.created_at, clock, true)?;
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
            file: None,
            schema_differences: Vec::new(),
            opened_version: SCHEMA_VERSION,
            clock: clock.map(String::from),
        };
        store.write(&info.created_at, |tx, audit, at| {
            tx.execute(
                "INSERT INTO project (id, org_name, org_name_zh, year, base_year, gwp, boundary, created_at, prepared_by, report_date) VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                params![info.org_name, info.org_name_zh, info.year, info.base_year, info.gwp.code(), info.boundary.code(), info.created_at, info.prepared_by, info.report_date],
            )?;
            audit.append(tx, at, "create", "project", "1", &project_payload(info))?;
            Ok(())
        })?;
        Ok(store)
    }

    /// Open a project to change it. The file is checked read-only first (a Lingtan project, a
    /// known version, not damaged, its schema exactly Lingtan's) and nothing is written to a
    /// file that fails a check; then an older schema is upgraded in place, logged.
    pub fn open(path: &Path, at: &str, clock: Option<&str>) -> Result<Store> {
        let inspected = inspect_file(path)?;
        refuse_changed(path, &inspected.differences)?;
        let version = inspected.version;
        drop(inspected.conn);
        let mut conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        configure(&conn).map_err(|e| busy_error(path, e.into()))?;
        if version < SCHEMA_VERSION {
            migrate_to(&mut conn, SCHEMA_VERSION, at, clock, true).map_err(
                |e| match busy_error(path, e) {
                    busy @ StoreError::Busy { .. } => busy,
                    other => upgrade_error(path, version, other),
                },
            )?;
        }
        Ok(Store {
            conn,
            path: path.to_path_buf(),
            file: None,
            schema_differences: Vec::new(),
            opened_version: version,
            clock: clock.map(String::from),
        })
    }

    /// Open a project only to read it: the file is opened read-only and its bytes stay as they
    /// are. An older schema is upgraded in a copy in memory (the file is upgraded by the first
    /// command that changes it). A file whose schema was changed outside Lingtan is refused.
    pub fn open_read_only(path: &Path) -> Result<Store> {
        Self::open_reading(path, false)
    }

    /// Open a project read-only for `verify`: like [`Store::open_read_only`], but a schema that
    /// differs from Lingtan's is not refused — `verify` reports each difference as tampering.
    pub fn open_to_verify(path: &Path) -> Result<Store> {
        Self::open_reading(path, true)
    }

    fn open_reading(path: &Path, verifying: bool) -> Result<Store> {
        let inspected = inspect_file(path)?;
        if !verifying {
            refuse_changed(path, &inspected.differences)?;
        }
        let Inspected {
            conn,
            version,
            differences,
            wal,
        } = inspected;
        // A file in WAL mode is read through a read-write handle that refuses every write
        // (query_only): SQLite then removes the -wal and -shm files it needs when the handle
        // closes, as after any command, instead of leaving them beside the project. The file's
        // own bytes are not written either way. Any other file is opened read-only.
        let conn = if wal {
            let rw = Connection::open_with_flags(
                path,
                OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )?;
            rw.busy_timeout(std::time::Duration::from_secs(BUSY_SECONDS))?;
            rw.execute_batch("PRAGMA query_only = ON;")?;
            // a first read attaches the handle to the WAL, so that closing it cleans up even
            // when the command stops before reading anything
            let _: i64 = rw.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))?;
            drop(conn);
            rw
        } else {
            conn
        };
        if version == SCHEMA_VERSION {
            return Ok(Store {
                conn,
                path: path.to_path_buf(),
                file: None,
                schema_differences: differences,
                opened_version: version,
                clock: None,
            });
        }
        let mut copy = Connection::open_in_memory()?;
        {
            let backup = rusqlite::backup::Backup::new(&conn, &mut copy)?;
            backup.run_to_completion(256, std::time::Duration::ZERO, None)?;
        }
        migrate_to(&mut copy, SCHEMA_VERSION, "", None, false)
            .map_err(|e| upgrade_error(path, version, e))?;
        Ok(Store {
            conn: copy,
            path: path.to_path_buf(),
            file: Some(conn),
            schema_differences: differences,
            opened_version: version,
            clock: None,
        })
    }

    /// Check a file read-only: SQLite, a Lingtan project, not newer, not damaged, its schema
    /// Lingtan's. Returns its schema version.
    pub fn inspect(path: &Path) -> Result<i64> {
        let inspected = inspect_file(path)?;
        refuse_changed(path, &inspected.differences)?;
        Ok(inspected.version)
    }

    /// The schema version the file had when it was opened (lower than [`SCHEMA_VERSION`] when
    /// it was upgraded on opening, or is read through an upgraded copy).
    pub fn opened_version(&self) -> i64 {
        self.opened_version
    }

    /// Record `clock` (e.g. "LINGTAN_NOW") in every audit entry written from now on: the time of
    /// those entries was not the computer's clock. `None`: the computer's clock.
    pub fn note_clock(&mut self, clock: Option<&str>) {
        self.clock = clock.map(String::from);
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The schema version of the open file.
    pub fn schema_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }

    /// Run `f` in one transaction with an audit writer; all or nothing.
    /// The transaction begins IMMEDIATE: it takes the write lock first (waiting up to
    /// `BUSY_SECONDS` for another writer), so it never fails half-way for a lock after reading.
    fn write<T>(
        &mut self,
        at: &str,
        f: impl FnOnce(&rusqlite::Transaction<'_>, &mut AuditWriter, &str) -> Result<T>,
    ) -> Result<T> {
        let path = self.path.clone();
        let clock = self.clock.clone();
        let run = || -> Result<T> {
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)?;
            let mut audit = AuditWriter::load(&tx, clock.as_deref())?;
            let value = f(&tx, &mut audit, at)?;
            tx.commit()?;
            Ok(value)
        };
        run().map_err(|e| busy_error(&path, e))
    }

    // ---- project ----------------------------------------------------------------------------

    pub fn project(&self) -> Result<ProjectInfo> {
        let mut stmt = self.conn.prepare(
            "SELECT org_name, org_name_zh, year, base_year, gwp, boundary, created_at, prepared_by, report_date FROM project WHERE id = 1",
        )?;
        let mut rows = stmt.query([])?;
        let Some(r) = rows.next()? else {
            return Err(StoreError::Sqlite(rusqlite::Error::QueryReturnedNoRows));
        };
        project_from_row(r).map_err(|e| in_record(e, || "project settings".into()))
    }

    /// Replace the project settings (organisation, year, base year, GWP, boundary …).
    pub fn update_project(&mut self, info: &ProjectInfo, at: &str) -> Result<()> {
        self.write(at, |tx, audit, at| {
            tx.execute(
                "UPDATE project SET org_name = ?1, org_name_zh = ?2, year = ?3, base_year = ?4, gwp = ?5, boundary = ?6, prepared_by = ?7, report_date = ?8 WHERE id = 1",
                params![info.org_name, info.org_name_zh, info.year, info.base_year, info.gwp.code(), info.boundary.code(), info.prepared_by, info.report_date],
            )?;
            audit.append(tx, at, "update", "project", "1", &project_payload(info))?;
            Ok(())
        })
    }

    // ---- sites and sources ------------------------------------------------------------------

    pub fn sites(&self) -> Result<Vec<Site>> {
        read_rows(&self.conn, SITE_SELECT, site_from_row)
    }

    /// Add a site; `site.id` is ignored and assigned.
    pub fn add_site(&mut self, site: &Site, at: &str) -> Result<Site> {
        if self.sites()?.iter().any(|s| s.name == site.name) {
            return Err(StoreError::Duplicate {
                what: "site",
                name: site.name.clone(),
            });
        }
        self.write(at, |tx, audit, at| {
            tx.execute(
                "INSERT INTO site (name, grid_region, address, equity_pct) VALUES (?1, ?2, ?3, ?4)",
                params![
                    site.name,
                    site.grid_region,
                    site.address,
                    site.equity_pct.map(|d| d.to_string())
                ],
            )?;
            let saved = Site {
                id: tx.last_insert_rowid(),
                ..site.clone()
            };
            audit.append(
                tx,
                at,
                "create",
                "site",
                &saved.id.to_string(),
                &site_payload(&saved),
            )?;
            Ok(saved)
        })
    }

    pub fn sources(&self) -> Result<Vec<Source>> {
        read_rows(&self.conn, SOURCE_SELECT, source_from_row)
    }

    /// Add a source; `source.id` is ignored and assigned.
    pub fn add_source(&mut self, source: &Source, at: &str) -> Result<Source> {
        if self.sources()?.iter().any(|s| s.name == source.name) {
            return Err(StoreError::Duplicate {
                what: "source",
                name: source.name.clone(),
            });
        }
        self.write(at, |tx, audit, at| {
            tx.execute(
                "INSERT INTO source (name, site_id, kind, fuel, factor_id, market_factor_id, unit, uncertainty_pct) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![
                    source.name,
                    source.site_id,
                    source.kind.code(),
                    source.fuel,
                    source.factor_id,
                    source.market_factor_id,
                    source.unit.map(Unit::code),
                    source.uncertainty_pct.map(|d| d.to_string())
                ],
            )?;
            let saved = Source { id: tx.last_insert_rowid(), ..source.clone() };
            audit.append(tx, at, "create", "source", &saved.id.to_string(), &source_payload(&saved))?;
            Ok(saved)
        })
    }

    /// Change a source's settings (factor, market factor, unit, uncertainty …), logged.
    pub fn update_source(&mut self, source: &Source, at: &str) -> Result<()> {
        self.write(at, |tx, audit, at| {
            let n = tx.execute(
                "UPDATE source SET name = ?2, site_id = ?3, kind = ?4, fuel = ?5, factor_id = ?6, market_factor_id = ?7, unit = ?8, uncertainty_pct = ?9 WHERE id = ?1",
                params![
                    source.id,
                    source.name,
                    source.site_id,
                    source.kind.code(),
                    source.fuel,
                    source.factor_id,
                    source.market_factor_id,
                    source.unit.map(Unit::code),
                    source.uncertainty_pct.map(|d| d.to_string())
                ],
            )?;
            if n == 0 {
                return Err(StoreError::Missing { what: "source", name: source.id.to_string() });
            }
            audit.append(tx, at, "update", "source", &source.id.to_string(), &source_payload(source))?;
            Ok(())
        })
    }

    // ---- factors and properties -------------------------------------------------------------

    /// Every version of every factor.
    pub fn factors(&self) -> Result<Vec<EmissionFactor>> {
        read_rows(&self.conn, FACTOR_SELECT, factor_from_row)
    }

    /// Every version of every fuel property.
    pub fn properties(&self) -> Result<Vec<FuelProperty>> {
        read_rows(&self.conn, PROPERTY_SELECT, property_from_row)
    }

    /// Add factors and properties (a library load or a user factor) in one transaction. A factor
    /// whose (id, version) exists is refused.
    pub fn add_factors(
        &mut self,
        factors: &[EmissionFactor],
        properties: &[FuelProperty],
        action: &str,
        at: &str,
    ) -> Result<()> {
        self.write(at, |tx, audit, at| {
            for f in factors {
                let exists: bool = tx
                    .query_row("SELECT 1 FROM factor WHERE id = ?1 AND version = ?2", params![f.id, f.version], |_| Ok(true))
                    .optional()?
                    .unwrap_or(false);
                if exists {
                    return Err(StoreError::Duplicate { what: "factor", name: format!("{} v{}", f.id, f.version) });
                }
                tx.prepare_cached(
                    "INSERT INTO factor (id, version, name, name_zh, dataset, category, role, region, fuel, fuel_use, year, published, unit, gases, co2e, licence, citation, verified, verification_note, uncertainty_pct, is_default, origin) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22)",
                )?
                .execute(params![
                    f.id,
                    f.version,
                    f.name,
                    f.name_zh,
                    f.dataset,
                    f.category.code(),
                    f.role.map(GridRole::code),
                    f.region,
                    f.fuel,
                    f.fuel_use.map(FuelUse::code),
                    f.year,
                    f.published,
                    f.unit.code(),
                    gases_json(f),
                    f.co2e.map(|d| d.to_string()),
                    f.licence,
                    f.citation,
                    f.verified,
                    f.verification_note,
                    f.uncertainty_pct.map(|d| d.to_string()),
                    f.is_default,
                    origin_code(f.origin),
                ])?;
                audit.append(tx, at, action, "factor", &format!("{}@{}", f.id, f.version), &factor_payload(f))?;
            }
            for p in properties {
                tx.prepare_cached(
                    "INSERT INTO fuel_property (id, version, fuel, kind, value, unit, per_unit, citation, verified, verification_note, is_default, origin) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                )?
                .execute(params![
                    p.id,
                    p.version,
                    p.fuel,
                    p.kind.code(),
                    p.value.to_string(),
                    p.unit.code(),
                    p.per_unit.code(),
                    p.citation,
                    p.verified,
                    p.verification_note,
                    p.is_default,
                    origin_code(p.origin),
                ])
                .map_err(|e| match e {
                    rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::ConstraintViolation => {
                        StoreError::Duplicate { what: "fuel property", name: format!("{} v{}", p.id, p.version) }
                    }
                    e => e.into(),
                })?;
                audit.append(tx, at, action, "fuel_property", &format!("{}@{}", p.id, p.version), &property_payload(p))?;
            }
            Ok(())
        })
    }

    // ---- evidence ---------------------------------------------------------------------------

    /// Store a file as evidence; the same content stored twice is kept once.
    pub fn add_evidence(&mut self, file_name: &str, content: &[u8], at: &str) -> Result<Evidence> {
        let sha = sha256_hex(content);
        self.write(at, |tx, audit, at| {
            insert_evidence(tx, audit, at, file_name, &sha, content)
        })
    }

    pub fn evidence_by_sha(&self, sha: &str) -> Result<Option<Evidence>> {
        let mut stmt = self
            .conn
            .prepare(&format!("{EVIDENCE_SELECT_ALL} WHERE sha256 = ?1"))?;
        let mut rows = stmt.query([sha])?;
        rows.next()?.map(evidence_from_row).transpose()
    }

    pub fn evidence(&self) -> Result<Vec<Evidence>> {
        read_rows(&self.conn, EVIDENCE_SELECT, evidence_from_row)
    }

    /// The stored bytes of an evidence file.
    pub fn evidence_content(&self, id: i64) -> Result<Vec<u8>> {
        self.conn
            .query_row("SELECT content FROM evidence WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .optional()?
            .ok_or(StoreError::Missing {
                what: "evidence",
                name: id.to_string(),
            })
    }

    // ---- activity ---------------------------------------------------------------------------

    fn next_activity_id(tx: &Connection) -> Result<i64> {
        Ok(
            tx.query_row("SELECT COALESCE(MAX(id), 0) + 1 FROM activity", [], |r| {
                r.get(0)
            })?,
        )
    }

    fn insert_activity(tx: &Connection, row: &ActivityRow) -> Result<()> {
        tx.prepare_cached(
            "INSERT INTO activity (id, version, source_id, period_from, period_to, quantity, unit, note, evidence_id, reason, status, created_at, batch_id, origin_ref, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
        )?
        .execute(params![
            row.id,
            row.version,
            row.source_id,
            row.from.to_string(),
            row.to.to_string(),
            row.quantity.to_string(),
            row.unit.code(),
            row.note,
            row.evidence_id,
            row.reason,
            row.status.code(),
            row.created_at,
            row.batch_id,
            row.origin_ref,
            row.detail,
        ])?;
        Ok(())
    }

    /// Add one activity record (version 1).
    pub fn add_activity(&mut self, new: &NewActivity, at: &str) -> Result<ActivityRow> {
        self.write(at, |tx, audit, at| {
            let row = ActivityRow {
                id: Self::next_activity_id(tx)?,
                version: 1,
                source_id: new.source_id,
                from: new.from,
                to: new.to,
                quantity: new.quantity,
                unit: new.unit,
                note: new.note.clone(),
                evidence_id: new.evidence_id,
                reason: new.reason.clone(),
                status: Status::Current,
                created_at: at.to_string(),
                batch_id: None,
                origin_ref: new.origin_ref.clone(),
                detail: new.detail.clone(),
            };
            Self::insert_activity(tx, &row)?;
            audit.append(
                tx,
                at,
                "create",
                "activity",
                &format!("{}@{}", row.id, row.version),
                &activity_payload(&row),
            )?;
            Ok(row)
        })
    }

    /// Add many records as one import batch in one transaction, covered by one audit entry
    /// holding the digest of the rows. Returns the batch id.
    pub fn add_activity_batch(
        &mut self,
        label: &str,
        evidence_id: Option<i64>,
        rows: &[NewActivity],
        at: &str,
    ) -> Result<i64> {
        self.write(at, |tx, audit, at| {
            Self::insert_batch(tx, audit, at, label, evidence_id, rows, Vec::new())
        })
    }

    /// An imported file as one batch, in one transaction: the file as evidence, the records
    /// (each pointing to the evidence) and, for interval data, the series at full resolution;
    /// each series gets an audit entry with its readings' digest.
    pub fn add_import_batch(
        &mut self,
        label: &str,
        file: &EvidenceFile<'_>,
        rows: &[NewActivity],
        series: Vec<NewSeries<'_>>,
        at: &str,
    ) -> Result<i64> {
        self.write(at, |tx, audit, at| {
            let evidence =
                insert_evidence(tx, audit, at, file.file_name, file.sha256, file.content)?;
            let rows: Vec<NewActivity> = rows
                .iter()
                .map(|r| NewActivity {
                    evidence_id: Some(evidence.id),
                    ..r.clone()
                })
                .collect();
            Self::insert_batch(tx, audit, at, label, Some(evidence.id), &rows, series)
        })
    }

    fn insert_batch(
        tx: &rusqlite::Transaction<'_>,
        audit: &mut AuditWriter,
        at: &str,
        label: &str,
        evidence_id: Option<i64>,
        rows: &[NewActivity],
        series: Vec<NewSeries<'_>>,
    ) -> Result<i64> {
        {
            tx.execute(
                "INSERT INTO import_batch (label, evidence_id, rows, created_at) VALUES (?1, ?2, ?3, ?4)",
                params![label, evidence_id, rows.len() as i64, at],
            )?;
            let batch = tx.last_insert_rowid();
            let first = Self::next_activity_id(tx)?;
            let mut digest = sha2::Sha256::default();
            for (id, new) in (first..).zip(rows) {
                let row = ActivityRow {
                    id,
                    version: 1,
                    source_id: new.source_id,
                    from: new.from,
                    to: new.to,
                    quantity: new.quantity,
                    unit: new.unit,
                    note: new.note.clone(),
                    evidence_id: new.evidence_id,
                    reason: new.reason.clone(),
                    status: Status::Current,
                    created_at: at.to_string(),
                    batch_id: Some(batch),
                    origin_ref: new.origin_ref.clone(),
                    detail: new.detail.clone(),
                };
                Self::insert_activity(tx, &row)?;
                sha2::Digest::update(&mut digest, activity_payload(&row).as_bytes());
                sha2::Digest::update(&mut digest, b"\n");
            }
            let digest = hex(&sha2::Digest::finalize(digest));
            let payload = batch_payload(
                batch,
                label,
                evidence_id,
                rows.len() as i64,
                at,
                None,
                None,
                &digest,
            );
            audit.append(
                tx,
                at,
                "create",
                "import_batch",
                &batch.to_string(),
                &payload,
            )?;
            interval::insert_series(tx, audit, at, batch, series)?;
            Ok(batch)
        }
    }

    /// Import batches, oldest first.
    pub fn batches(&self) -> Result<Vec<Batch>> {
        read_rows(&self.conn, BATCH_SELECT, batch_from_row)
    }

    /// Revert an import batch: its records become void (kept), the batch is marked reverted with
    /// the reason, all in one transaction and logged.
    pub fn revert_batch(&mut self, id: i64, reason: &str, at: &str) -> Result<u64> {
        let batch =
            self.batches()?
                .into_iter()
                .find(|b| b.id == id)
                .ok_or(StoreError::Missing {
                    what: "import batch",
                    name: format!("#{id}"),
                })?;
        if batch.reverted_at.is_some() {
            return Err(StoreError::Missing {
                what: "import batch",
                name: format!("#{id} (already reverted)"),
            });
        }
        self.write(at, |tx, audit, at| {
            // corrected versions (v2 …) have their own log entries: void them one by one
            let corrected: Vec<ActivityRow> = {
                let mut stmt = tx.prepare(&format!("{ACTIVITY_SELECT} WHERE batch_id = ?1 AND status = 'current' AND version > 1"))?;
                let mut rows = stmt.query([id])?;
                let mut out = Vec::new();
                while let Some(r) = rows.next()? {
                    out.push(activity_from_row(r)?);
                }
                out
            };
            for row in &corrected {
                tx.execute("UPDATE activity SET status = 'void' WHERE id = ?1 AND version = ?2", params![row.id, row.version])?;
                let voided = ActivityRow { status: Status::Void, ..row.clone() };
                audit.append(tx, at, "revert", "activity", &format!("{}@{}", row.id, row.version), &activity_payload(&voided))?;
            }
            let n = tx.execute("UPDATE activity SET status = 'void' WHERE batch_id = ?1 AND status = 'current' AND version = 1", [id])?;
            tx.execute("UPDATE import_batch SET reverted_at = ?2, revert_reason = ?3 WHERE id = ?1", params![id, at, reason])?;
            let digest = batch_digest(tx, id)?.0;
            let payload = batch_payload(id, &batch.label, batch.evidence_id, batch.rows, &batch.created_at, Some(at), Some(reason), &digest);
            audit.append(tx, at, "revert", "import_batch", &id.to_string(), &payload)?;
            Ok(n as u64 + corrected.len() as u64)
        })
    }

    /// The current version of a record.
    pub fn activity(&self, id: i64) -> Result<ActivityRow> {
        let mut stmt = self.conn.prepare(&format!(
            "{ACTIVITY_SELECT} WHERE id = ?1 ORDER BY version DESC LIMIT 1"
        ))?;
        let mut rows = stmt.query([id])?;
        match rows.next()? {
            Some(r) => activity_from_row(r),
            None => Err(StoreError::Missing {
                what: "activity",
                name: format!("#{id}"),
            }),
        }
    }

    /// Every version of a record, oldest first.
    pub fn activity_history(&self, id: i64) -> Result<Vec<ActivityRow>> {
        let mut stmt = self
            .conn
            .prepare(&format!("{ACTIVITY_SELECT} WHERE id = ?1 ORDER BY version"))?;
        let mut rows = stmt.query([id])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(activity_from_row(r)?);
        }
        Ok(out)
    }

    /// Current records, optionally of one source, ordered by source and period.
    pub fn activities(&self, source_id: Option<i64>) -> Result<Vec<ActivityRow>> {
        let mut stmt = self.conn.prepare(&format!(
            "{ACTIVITY_SELECT} WHERE status = 'current' AND (?1 IS NULL OR source_id = ?1) ORDER BY source_id, period_from, id"
        ))?;
        let mut rows = stmt.query([source_id])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(activity_from_row(r)?);
        }
        Ok(out)
    }

    /// The current version of record `id`, or an error when it was superseded or voided.
    fn current_activity(&self, id: i64) -> Result<ActivityRow> {
        let old = self.activity(id)?;
        if old.status != Status::Current {
            return Err(StoreError::Missing {
                what: "activity",
                name: format!("#{id} (it is {})", old.status.code()),
            });
        }
        Ok(old)
    }

    /// Mark `old` superseded (its content stays), logged.
    fn supersede(
        tx: &Connection,
        audit: &mut AuditWriter,
        at: &str,
        old: &ActivityRow,
    ) -> Result<()> {
        tx.execute(
            "UPDATE activity SET status = 'superseded' WHERE id = ?1 AND version = ?2",
            params![old.id, old.version],
        )?;
        let superseded = ActivityRow {
            status: Status::Superseded,
            ..old.clone()
        };
        audit.append(
            tx,
            at,
            "supersede",
            "activity",
            &format!("{}@{}", old.id, old.version),
            &activity_payload(&superseded),
        )?;
        Ok(())
    }

    /// Replace the current version of a record with a corrected one (a new version with a
    /// reason); the old version stays, marked superseded.
    pub fn correct_activity(
        &mut self,
        id: i64,
        corrected: &NewActivity,
        reason: &str,
        at: &str,
    ) -> Result<ActivityRow> {
        let old = self.current_activity(id)?;
        self.write(at, |tx, audit, at| {
            Self::supersede(tx, audit, at, &old)?;
            let row = ActivityRow {
                id,
                version: old.version + 1,
                source_id: corrected.source_id,
                from: corrected.from,
                to: corrected.to,
                quantity: corrected.quantity,
                unit: corrected.unit,
                note: corrected.note.clone(),
                evidence_id: corrected.evidence_id,
                reason: Some(reason.to_string()),
                status: Status::Current,
                created_at: at.to_string(),
                batch_id: old.batch_id,
                origin_ref: old.origin_ref.clone(),
                detail: corrected.detail.clone().or_else(|| old.detail.clone()),
            };
            Self::insert_activity(tx, &row)?;
            audit.append(
                tx,
                at,
                "correct",
                "activity",
                &format!("{id}@{}", row.version),
                &activity_payload(&row),
            )?;
            Ok(row)
        })
    }

    /// Withdraw a record (kept, marked void, with the reason as a new version).
    pub fn void_activity(&mut self, id: i64, reason: &str, at: &str) -> Result<ActivityRow> {
        let old = self.current_activity(id)?;
        self.write(at, |tx, audit, at| {
            Self::supersede(tx, audit, at, &old)?;
            let row = ActivityRow {
                version: old.version + 1,
                reason: Some(reason.to_string()),
                status: Status::Void,
                created_at: at.to_string(),
                ..old.clone()
            };
            Self::insert_activity(tx, &row)?;
            audit.append(
                tx,
                at,
                "void",
                "activity",
                &format!("{id}@{}", row.version),
                &activity_payload(&row),
            )?;
            Ok(row)
        })
    }

    /// Stream the current records touching `from..=to` into `f`, in storage order. Memory stays
    /// flat however many records there are. Returns how many were read and a SHA-256 over the
    /// fields of exactly those records (the data fingerprint's share of them).
    pub fn for_each_activity(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        mut f: impl FnMut(&ActivityInput),
    ) -> Result<(u64, String)> {
        let mut stmt = self.conn.prepare_cached(
            // NOT INDEXED: a year touches most rows, and walking the (source, period) index
            // then fetching each row at random was 3x slower than one pass over the table
            "SELECT id, version, source_id, period_from, period_to, quantity, unit FROM activity NOT INDEXED WHERE status = 'current' AND period_from <= ?2 AND period_to >= ?1",
        )?;
        let mut rows = stmt.query(params![from.to_string(), to.to_string()])?;
        let mut units: Vec<(String, Unit)> = Vec::new();
        let mut count = 0;
        let mut digest = sha2::Sha256::default();
        while let Some(r) = rows.next()? {
            let id: i64 = r.get(0)?;
            let version: u32 = r.get(1)?;
            let source_id: i64 = r.get(2)?;
            let record = || format!("activity #{id} v{version}");
            let str_at = |i: usize, field: &'static str| -> Result<&str> {
                match r.get_ref(i)? {
                    rusqlite::types::ValueRef::Text(t) => std::str::from_utf8(t).map_err(|_| {
                        in_record(
                            bad(
                                field,
                                &String::from_utf8_lossy(t),
                                "it is not valid UTF-8 text",
                            ),
                            record,
                        )
                    }),
                    other => Err(in_record(
                        bad(field, &format!("{other:?}"), "it is not text"),
                        record,
                    )),
                }
            };
            let from_text = str_at(3, "activity.period_from")?;
            let to_text = str_at(4, "activity.period_to")?;
            let qty_text = str_at(5, "activity.quantity")?;
            let unit_text = str_at(6, "activity.unit")?;
            let u = match units.iter().find(|(t, _)| t == unit_text) {
                Some((_, u)) => *u,
                None => {
                    let u = unit("activity.unit", unit_text).map_err(|e| in_record(e, record))?;
                    units.push((unit_text.to_string(), u));
                    u
                }
            };
            for part in [
                &id.to_le_bytes()[..],
                &version.to_le_bytes(),
                &source_id.to_le_bytes(),
                from_text.as_bytes(),
                to_text.as_bytes(),
                qty_text.as_bytes(),
                unit_text.as_bytes(),
            ] {
                sha2::Digest::update(&mut digest, part);
                sha2::Digest::update(&mut digest, [0x1f]);
            }
            let input = (|| {
                Ok(ActivityInput {
                    id,
                    version,
                    source_id,
                    from: date("activity.period_from", from_text)?,
                    to: date("activity.period_to", to_text)?,
                    quantity: dec("activity.quantity", qty_text)?,
                    unit: u,
                })
            })()
            .map_err(|e| in_record(e, record))?;
            f(&input);
            count += 1;
        }
        Ok((count, hex(&sha2::Digest::finalize(digest))))
    }

    /// Number of current activity records.
    /// While `flag` is set, every statement on this connection stops with SQLite's "interrupted"
    /// (a cancelled import's write then rolls back as a whole); `None` removes the check.
    pub fn cancel_on(&mut self, flag: Option<std::sync::Arc<std::sync::atomic::AtomicBool>>) {
        // the handler runs every 1,000 virtual-machine steps: a few microseconds apart
        let result = match flag {
            Some(f) => self.conn.progress_handler(
                1000,
                Some(move || f.load(std::sync::atomic::Ordering::SeqCst)),
            ),
            None => self.conn.progress_handler(0, None::<fn() -> bool>),
        };
        debug_assert!(result.is_ok(), "progress_handler: {result:?}");
    }

    pub fn activity_count(&self) -> Result<i64> {
        Ok(self.conn.query_row(
            "SELECT COUNT(*) FROM activity WHERE status = 'current'",
            [],
            |r| r.get(0),
        )?)
    }

    // ---- audit ------------------------------------------------------------------------------

    /// The log, oldest first (optionally only the last `limit` entries).
    pub fn audit_entries(&self, limit: Option<i64>) -> Result<Vec<AuditEntry>> {
        let mut stmt = self.conn.prepare(
            "SELECT seq, at, action, entity, entity_key, payload, prev_hash, hash, clock FROM (SELECT * FROM audit_log ORDER BY seq DESC LIMIT ?1) ORDER BY seq",
        )?;
        // shown as stored; text edited into invalid UTF-8 is shown with U+FFFD (verify names it)
        let lossy = |r: &Row<'_>, i: usize| -> rusqlite::Result<String> {
            Ok(match r.get_ref(i)? {
                rusqlite::types::ValueRef::Text(t) | rusqlite::types::ValueRef::Blob(t) => {
                    String::from_utf8_lossy(t).into_owned()
                }
                rusqlite::types::ValueRef::Null => String::new(),
                other => format!("{other:?}"),
            })
        };
        let rows = stmt.query_map([limit.unwrap_or(-1)], |r| {
            Ok(AuditEntry {
                seq: r.get(0)?,
                at: lossy(r, 1)?,
                action: lossy(r, 2)?,
                entity: lossy(r, 3)?,
                entity_key: lossy(r, 4)?,
                payload: lossy(r, 5)?,
                prev_hash: lossy(r, 6)?,
                hash: lossy(r, 7)?,
                clock: Some(lossy(r, 8)?).filter(|c| !c.is_empty()),
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The hash of the newest entry (the chain head), printed on reports.
    pub fn audit_head(&self) -> Result<String> {
        Ok(self
            .conn
            .query_row(
                "SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1",
                [],
                |r| r.get(0),
            )
            .optional()?
            .unwrap_or_else(|| audit::GENESIS.to_string()))
    }

    /// Check the chain and that every record is what the log says it is.
    pub fn verify(&self) -> Result<Verification> {
        // the schema first: an object added or changed outside Lingtan is tampering
        let mut findings = self.schema_differences.clone();
        let (expected, entries, head) = audit::check_chain(&self.conn, &mut findings)?;
        let mut rp = Replay {
            singles: expected.singles,
            checked: 0,
            findings,
        };
        match self.project() {
            Ok(p) => rp.compare(
                "project",
                "1".into(),
                "project settings".into(),
                project_payload(&p),
            ),
            Err(e) => rp.unreadable(e, "project", "1".into())?,
        }
        {
            let mut stmt = self.conn.prepare(SITE_SELECT)?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                let id: i64 = r.get(0)?;
                match site_from_row(r) {
                    Ok(s) => rp.compare(
                        "site",
                        s.id.to_string(),
                        format!("site #{} '{}'", s.id, s.name),
                        site_payload(&s),
                    ),
                    Err(e) => rp.unreadable(e, "site", id.to_string())?,
                }
            }
        }
        {
            let mut stmt = self.conn.prepare(SOURCE_SELECT)?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                let id: i64 = r.get(0)?;
                match source_from_row(r) {
                    Ok(s) => rp.compare(
                        "source",
                        s.id.to_string(),
                        format!("source #{} '{}'", s.id, s.name),
                        source_payload(&s),
                    ),
                    Err(e) => rp.unreadable(e, "source", id.to_string())?,
                }
            }
        }
        {
            let mut stmt = self.conn.prepare(FACTOR_SELECT)?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                let key = format!("{}@{}", lossy_text(r, 0)?, r.get::<_, i64>(1)?);
                match factor_from_row(r) {
                    Ok(f) => rp.compare(
                        "factor",
                        key,
                        format!("factor {} v{}", f.id, f.version),
                        factor_payload(&f),
                    ),
                    Err(e) => rp.unreadable(e, "factor", key)?,
                }
            }
        }
        {
            let mut stmt = self.conn.prepare(PROPERTY_SELECT)?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                let key = format!("{}@{}", lossy_text(r, 0)?, r.get::<_, i64>(1)?);
                match property_from_row(r) {
                    Ok(p) => rp.compare(
                        "fuel_property",
                        key,
                        format!("fuel property {} v{}", p.id, p.version),
                        property_payload(&p),
                    ),
                    Err(e) => rp.unreadable(e, "fuel_property", key)?,
                }
            }
        }
        {
            let mut stmt = self.conn.prepare(
                "SELECT id, sha256, file_name, size, added_at, content FROM evidence ORDER BY id",
            )?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                let e = match evidence_from_row(r) {
                    Ok(e) => e,
                    Err(err) => {
                        rp.unreadable(err, "evidence", lossy_text(r, 1)?)?;
                        continue;
                    }
                };
                let content: Vec<u8> = match r.get_ref(5)? {
                    rusqlite::types::ValueRef::Blob(b) | rusqlite::types::ValueRef::Text(b) => {
                        b.to_vec()
                    }
                    _ => Vec::new(),
                };
                let place = format!("evidence #{} '{}'", e.id, e.file_name);
                if sha256_hex(&content) != e.sha256 || content.len() as i64 != e.size {
                    rp.findings.push(Finding {
                        place: place.clone(),
                        en: "its content no longer matches its SHA-256: the stored file was replaced".into(),
                        zh: "内容与其 SHA-256 不符：存储的文件被替换".into(),
                    });
                }
                rp.compare("evidence", e.sha256.clone(), place, evidence_payload(&e));
            }
        }
        // batches: recompute each digest over the batch-time rows
        let mut batches: BTreeMap<i64, (sha2::Sha256, i64)> = BTreeMap::new();
        let reverted: Vec<i64> = {
            let mut stmt = self
                .conn
                .prepare("SELECT id FROM import_batch WHERE reverted_at IS NOT NULL")?;
            let ids = stmt.query_map([], |r| r.get(0))?;
            ids.collect::<rusqlite::Result<_>>()?
        };
        {
            let mut stmt = self
                .conn
                .prepare(&format!("{ACTIVITY_SELECT} ORDER BY row_id"))?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                let a = match activity_from_row(r) {
                    Ok(a) => a,
                    Err(e) => {
                        let (id, version): (i64, i64) = (r.get(0)?, r.get(1)?);
                        // still counted in its batch, whose digest then differs
                        if let (Some(batch), 1) = (r.get::<_, Option<i64>>(12)?, version) {
                            let entry = batches
                                .entry(batch)
                                .or_insert_with(|| (sha2::Sha256::default(), 0));
                            sha2::Digest::update(&mut entry.0, b"(unreadable)\n");
                            entry.1 += 1;
                        }
                        rp.unreadable(e, "activity", format!("{id}@{version}"))?;
                        continue;
                    }
                };
                let key = format!("{}@{}", a.id, a.version);
                let place = format!("activity #{} v{}", a.id, a.version);
                if let (Some(batch), 1) = (a.batch_id, a.version) {
                    let at_import = ActivityRow {
                        status: Status::Current,
                        ..a.clone()
                    };
                    let entry = batches
                        .entry(batch)
                        .or_insert_with(|| (sha2::Sha256::default(), 0));
                    sha2::Digest::update(&mut entry.0, activity_payload(&at_import).as_bytes());
                    sha2::Digest::update(&mut entry.0, b"\n");
                    entry.1 += 1;
                    if rp
                        .singles
                        .contains_key(&("activity".to_string(), key.clone()))
                    {
                        rp.compare("activity", key, place, activity_payload(&a));
                    } else {
                        rp.checked += 1;
                        let expected = if reverted.contains(&batch) {
                            Status::Void
                        } else {
                            Status::Current
                        };
                        if a.status != expected {
                            rp.findings.push(Finding {
                                place,
                                en: "its status was changed outside Lingtan (no audit entry records it)".into(),
                                zh: "其状态在 Lingtan 之外被修改（无审计日志记录）".into(),
                            });
                        }
                    }
                } else {
                    rp.compare("activity", key, place, activity_payload(&a));
                }
            }
        }
        {
            let mut stmt = self.conn.prepare("SELECT id, label, evidence_id, rows, created_at, reverted_at, revert_reason FROM import_batch ORDER BY id")?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                let id: i64 = r.get(0)?;
                let (digest, count) = batches
                    .remove(&id)
                    .map(|(h, n)| (hex(&sha2::Digest::finalize(h)), n))
                    .unwrap_or_else(|| (hex(&sha2::Digest::finalize(sha2::Sha256::default())), 0));
                let declared: i64 = r.get(3)?;
                let place = format!("import batch #{id}");
                if declared != count {
                    rp.findings.push(Finding {
                        place: place.clone(),
                        en: format!("declares {declared} rows but {count} are stored: rows were added or removed outside Lingtan"),
                        zh: format!("登记 {declared} 行，实存 {count} 行：在 Lingtan 之外被增删"),
                    });
                }
                let optional = |i| -> Result<Option<String>> {
                    Ok(match r.get_ref(i)? {
                        rusqlite::types::ValueRef::Null => None,
                        _ => Some(lossy_text(r, i)?),
                    })
                };
                let payload = batch_payload(
                    id,
                    &lossy_text(r, 1)?,
                    r.get(2)?,
                    declared,
                    &lossy_text(r, 4)?,
                    optional(5)?.as_deref(),
                    optional(6)?.as_deref(),
                    &digest,
                );
                rp.compare("import_batch", id.to_string(), place, payload);
            }
        }
        let (series, unclaimed) = interval::series_payloads(&self.conn)?;
        for (id, actual) in series {
            rp.compare(
                "interval_series",
                id.to_string(),
                format!("interval series #{id}"),
                actual,
            );
        }
        if unclaimed > 0 {
            rp.findings.push(Finding {
                place: "interval readings".into(),
                en: format!("{unclaimed} reading(s) belong to no imported series: they were added outside Lingtan"),
                zh: format!("{unclaimed} 条读数不属于任何已导入的序列：在 Lingtan 之外被添加"),
            });
        }
        let mut gone: Vec<_> = rp
            .singles
            .drain()
            .filter(|((entity, _), _)| entity != "schema")
            .collect();
        gone.sort_by_key(|(_, (_, seq))| *seq);
        for ((entity, key), (_, seq)) in gone {
            rp.findings.push(Finding {
                place: format!("{entity} {key}"),
                en: format!("recorded by audit entry #{seq} but missing from the project: it was deleted outside Lingtan"),
                zh: format!("审计日志条目 #{seq} 有记录，但项目中已不存在：在 Lingtan 之外被删除"),
            });
        }
        Ok(Verification {
            entries,
            head,
            records_checked: rp.checked,
            findings: rp.findings,
        })
    }

    /// Write a consistent copy of the project into `dest` (`VACUUM INTO`), which must be a new,
    /// empty file (the caller's writer makes it and moves the copy into place).
    pub fn copy_into(&self, dest: &Path) -> Result<()> {
        if std::fs::metadata(dest).map(|m| m.len()).unwrap_or(0) != 0 {
            return Err(StoreError::Exists(dest.to_path_buf()));
        }
        let dest_text = dest.to_str().ok_or_else(|| {
            bad(
                "backup path",
                &dest.display().to_string(),
                "not valid UTF-8",
            )
        })?;
        // an older file read through an upgraded copy in memory is copied as it is
        let source = self.file.as_ref().unwrap_or(&self.conn);
        // a read-only handle refuses every write (query_only), VACUUM INTO too: it writes only
        // the new file, so it is let through for this one statement
        let query_only: bool = source.query_row("PRAGMA query_only", [], |r| r.get(0))?;
        if query_only {
            source.execute_batch("PRAGMA query_only = OFF;")?;
        }
        let copied = source.execute("VACUUM INTO ?1", [dest_text]);
        if query_only {
            source.execute_batch("PRAGMA query_only = ON;")?;
        }
        copied?;
        Ok(())
    }

    /// A SHA-256 over everything an inventory is computed from: settings, sites, sources,
    /// factors, properties, and `records_digest` (from [`Store::for_each_activity`]) for the
    /// records themselves. Printed on reports so a figure can be tied to its data.
    pub fn data_fingerprint(&self, records_digest: &str) -> Result<String> {
        let mut h = sha2::Sha256::default();
        let mut feed = |s: &str| {
            sha2::Digest::update(&mut h, s.as_bytes());
            sha2::Digest::update(&mut h, b"\n");
        };
        feed(&project_payload(&self.project()?));
        for s in self.sites()? {
            feed(&site_payload(&s));
        }
        for s in self.sources()? {
            feed(&source_payload(&s));
        }
        for f in self.factors()? {
            feed(&factor_payload(&f));
        }
        for p in self.properties()? {
            feed(&property_payload(&p));
        }
        feed(records_digest);
        Ok(hex(&sha2::Digest::finalize(h)))
    }

    /// Write a project file as schema version 1 wrote it (migration 1 only, v1 columns), with a
    /// site, a source and an activity record and their audit entries. Used once to make the
    /// frozen fixture that the migration test upgrades; kept so the fixture can be explained.
    #[doc(hidden)]
    pub fn write_schema_v1_fixture(path: &Path) -> Result<()> {
        let mut conn = Connection::open(path)?;
        conn.pragma_update(None, "application_id", APPLICATION_ID)?;
        migrate_to(&mut conn, 1, "2024-01-05T08:00:00Z", None, true)?;
        let at = "2024-01-05T08:00:00Z";
        let tx = conn.transaction()?;
        let mut audit = AuditWriter::load(&tx, None)?;
        tx.execute("INSERT INTO project (id, org_name, org_name_zh, year, base_year, gwp, boundary, created_at) VALUES (1, 'Old Works Ltd.', '旧厂有限公司', 2023, 2023, 'AR5', 'operational-control', ?1)", [at])?;
        audit.append(&tx, at, "create", "project", "1", &payload(&serde_json::json!({"org_name": "Old Works Ltd.", "org_name_zh": "旧厂有限公司", "year": 2023, "base_year": 2023, "gwp": "AR5", "boundary": "operational-control", "created_at": at})))?;
        let site = Site {
            id: 1,
            name: "Main plant".into(),
            grid_region: Some("CN-North".into()),
            address: None,
            equity_pct: None,
        };
        tx.execute(
            "INSERT INTO site (id, name, grid_region) VALUES (1, 'Main plant', 'CN-North')",
            [],
        )?;
        audit.append(&tx, at, "create", "site", "1", &site_payload(&site))?;
        let source = Source {
            id: 1,
            name: "Grid power".into(),
            site_id: 1,
            kind: SourceKind::Electricity,
            fuel: None,
            factor_id: None,
            market_factor_id: None,
            unit: Some(Unit::KWh),
            uncertainty_pct: None,
        };
        tx.execute("INSERT INTO source (id, name, site_id, kind, unit) VALUES (1, 'Grid power', 1, 'electricity', 'kWh')", [])?;
        audit.append(&tx, at, "create", "source", "1", &source_payload(&source))?;
        let row = ActivityRow {
            id: 1,
            version: 1,
            source_id: 1,
            from: NaiveDate::from_ymd_opt(2023, 1, 1).unwrap_or_default(),
            to: NaiveDate::from_ymd_opt(2023, 1, 31).unwrap_or_default(),
            quantity: "12500.50".parse().unwrap_or_default(),
            unit: Unit::KWh,
            note: Some("January bill".into()),
            evidence_id: None,
            reason: None,
            status: Status::Current,
            created_at: at.into(),
            batch_id: None,
            origin_ref: None,
            detail: None,
        };
        tx.execute(
            "INSERT INTO activity (id, version, source_id, period_from, period_to, quantity, unit, note, status, created_at) VALUES (1, 1, 1, '2023-01-01', '2023-01-31', '12500.50', 'kWh', 'January bill', 'current', ?1)",
            [at],
        )?;
        audit.append(
            &tx,
            at,
            "create",
            "activity",
            "1@1",
            &activity_payload(&row),
        )?;
        tx.commit()?;
        conn.execute_batch("PRAGMA journal_mode = DELETE;")?;
        Ok(())
    }

    /// Raw access for tests of tamper detection and migrations.
    #[doc(hidden)]
    pub fn connection(&self) -> &Connection {
        &self.conn
    }
}

/// A TEXT column as it is stored, invalid UTF-8 shown with U+FFFD (for verify: a changed text
/// then differs from what the log recorded).
pub(crate) fn lossy_text(r: &Row<'_>, i: usize) -> Result<String> {
    use rusqlite::types::ValueRef;
    Ok(match r.get_ref(i)? {
        ValueRef::Text(t) | ValueRef::Blob(t) => String::from_utf8_lossy(t).into_owned(),
        ValueRef::Null => String::new(),
        ValueRef::Integer(n) => n.to_string(),
        ValueRef::Real(x) => format!("{x:?}"),
    })
}

/// Replays the audit log's expectations against the tables.
struct Replay {
    singles: std::collections::HashMap<(String, String), (String, i64)>,
    checked: u64,
    findings: Vec<Finding>,
}

impl Replay {
    /// A row that cannot be read (a stored value edited into something Lingtan never writes) is
    /// a finding naming the record; it is not also reported as deleted. Other errors stop.
    fn unreadable(&mut self, e: StoreError, entity: &str, key: String) -> Result<()> {
        match e {
            StoreError::BadValue {
                place,
                field,
                value,
                detail,
            } => {
                self.checked += 1;
                self.singles.remove(&(entity.to_string(), key.clone()));
                self.findings.push(Finding {
                    place: if place.is_empty() {
                        format!("{entity} {key}")
                    } else {
                        place
                    },
                    en: format!("its stored {field} '{value}' cannot be read ({detail}): it was changed outside Lingtan"),
                    zh: format!("其存储的 {field} 值“{value}”无法读取（{detail}）：在 Lingtan 之外被修改"),
                });
                Ok(())
            }
            other => Err(other),
        }
    }

    /// The row must equal the payload of the last entry naming it.
    fn compare(&mut self, entity: &str, key: String, place: String, actual: String) {
        self.checked += 1;
        match self.singles.remove(&(entity.to_string(), key)) {
            Some((logged, _)) if logged == actual => {}
            Some((_, seq)) => self.findings.push(Finding {
                place,
                en: format!(
                    "differs from what audit entry #{seq} recorded: it was changed outside Lingtan"
                ),
                zh: format!("与审计日志条目 #{seq} 的记录不符：在 Lingtan 之外被修改"),
            }),
            None => self.findings.push(Finding {
                place,
                en: "is not in the audit log: it was added outside Lingtan".into(),
                zh: "不在审计日志中：在 Lingtan 之外被添加".into(),
            }),
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn batch_payload(
    id: i64,
    label: &str,
    evidence_id: Option<i64>,
    rows: i64,
    created_at: &str,
    reverted_at: Option<&str>,
    revert_reason: Option<&str>,
    digest: &str,
) -> String {
    payload(&serde_json::json!({
        "id": id,
        "label": label,
        "evidence_id": evidence_id,
        "rows": rows,
        "created_at": created_at,
        "reverted_at": reverted_at,
        "revert_reason": revert_reason,
        "digest": digest,
    }))
}

use audit::hex;

const ACTIVITY_SELECT: &str = "SELECT id, version, source_id, period_from, period_to, quantity, unit, note, evidence_id, reason, status, created_at, batch_id, origin_ref, detail FROM activity";

/// Every row of `sql`, parsed; the first row that cannot be read is an error naming it.
fn read_rows<T>(
    conn: &Connection,
    sql: &str,
    parse: impl Fn(&Row<'_>) -> Result<T>,
) -> Result<Vec<T>> {
    let mut stmt = conn.prepare(sql)?;
    let mut rows = stmt.query([])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        out.push(parse(r)?);
    }
    Ok(out)
}

fn project_from_row(r: &Row<'_>) -> Result<ProjectInfo> {
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
}

const SITE_SELECT: &str = "SELECT id, name, grid_region, address, equity_pct FROM site ORDER BY id";

fn site_from_row(r: &Row<'_>) -> Result<Site> {
    let id: i64 = r.get(0)?;
    (|| {
        Ok(Site {
            id,
            name: text(r, 1, "site.name")?,
            grid_region: opt_text(r, 2, "site.grid_region")?,
            address: opt_text(r, 3, "site.address")?,
            equity_pct: opt_dec("site.equity_pct", opt_text(r, 4, "site.equity_pct")?)?,
        })
    })()
    .map_err(|e| in_record(e, || format!("site #{id}")))
}

const SOURCE_SELECT: &str = "SELECT id, name, site_id, kind, fuel, factor_id, market_factor_id, unit, uncertainty_pct FROM source ORDER BY id";

const FACTOR_SELECT: &str = "SELECT id, version, name, name_zh, dataset, category, role, region, fuel, fuel_use, year, published, unit, gases, co2e, licence, citation, verified, verification_note, uncertainty_pct, is_default, origin FROM factor ORDER BY id, version";

const PROPERTY_SELECT: &str = "SELECT id, version, fuel, kind, value, unit, per_unit, citation, verified, verification_note, is_default, origin FROM fuel_property ORDER BY id, version";

fn property_from_row(r: &Row<'_>) -> Result<FuelProperty> {
    let version: u32 = r.get(1)?;
    let id = text(r, 0, "fuel_property.id")?;
    (|| {
        let kind = text(r, 3, "fuel_property.kind")?;
        let value = text(r, 4, "fuel_property.value")?;
        let u = text(r, 5, "fuel_property.unit")?;
        let per = text(r, 6, "fuel_property.per_unit")?;
        let origin = text(r, 11, "fuel_property.origin")?;
        Ok(FuelProperty {
            id: id.clone(),
            version,
            fuel: text(r, 2, "fuel_property.fuel")?,
            kind: PropertyKind::parse(&kind)
                .ok_or_else(|| bad("fuel_property.kind", &kind, "unknown kind"))?,
            value: dec("fuel_property.value", &value)?,
            unit: unit("fuel_property.unit", &u)?,
            per_unit: unit("fuel_property.per_unit", &per)?,
            citation: text(r, 7, "fuel_property.citation")?,
            verified: r.get(8)?,
            verification_note: opt_text(r, 9, "fuel_property.verification_note")?,
            is_default: r.get(10)?,
            origin: parse_origin(&origin)?,
        })
    })()
    .map_err(|e| in_record(e, || format!("fuel property {id} v{version}")))
}

const EVIDENCE_SELECT_ALL: &str = "SELECT id, sha256, file_name, size, added_at FROM evidence";
const EVIDENCE_SELECT: &str =
    "SELECT id, sha256, file_name, size, added_at FROM evidence ORDER BY id";

const BATCH_SELECT: &str = "SELECT b.id, b.label, b.evidence_id, e.sha256, b.rows, b.created_at, b.reverted_at, b.revert_reason FROM import_batch b LEFT JOIN evidence e ON e.id = b.evidence_id ORDER BY b.id";

fn batch_from_row(r: &Row<'_>) -> Result<Batch> {
    let id: i64 = r.get(0)?;
    (|| {
        Ok(Batch {
            id,
            label: text(r, 1, "import_batch.label")?,
            evidence_id: r.get(2)?,
            sha256: opt_text(r, 3, "evidence.sha256")?,
            rows: r.get(4)?,
            created_at: text(r, 5, "import_batch.created_at")?,
            reverted_at: opt_text(r, 6, "import_batch.reverted_at")?,
            revert_reason: opt_text(r, 7, "import_batch.revert_reason")?,
        })
    })()
    .map_err(|e| in_record(e, || format!("import batch #{id}")))
}

fn activity_from_row(r: &Row<'_>) -> Result<ActivityRow> {
    let id: i64 = r.get(0)?;
    let version: u32 = r.get(1)?;
    (|| {
        let from = text(r, 3, "activity.period_from")?;
        let to = text(r, 4, "activity.period_to")?;
        let qty = text(r, 5, "activity.quantity")?;
        let u = text(r, 6, "activity.unit")?;
        let status = text(r, 10, "activity.status")?;
        Ok(ActivityRow {
            id,
            version,
            source_id: r.get(2)?,
            from: date("activity.period_from", &from)?,
            to: date("activity.period_to", &to)?,
            quantity: dec("activity.quantity", &qty)?,
            unit: unit("activity.unit", &u)?,
            note: opt_text(r, 7, "activity.note")?,
            evidence_id: r.get(8)?,
            reason: opt_text(r, 9, "activity.reason")?,
            status: Status::parse(&status)?,
            created_at: text(r, 11, "activity.created_at")?,
            batch_id: r.get(12)?,
            origin_ref: opt_text(r, 13, "activity.origin_ref")?,
            detail: opt_text(r, 14, "activity.detail")?,
        })
    })()
    .map_err(|e| in_record(e, || format!("activity #{id} v{version}")))
}

fn evidence_from_row(r: &Row<'_>) -> Result<Evidence> {
    let id: i64 = r.get(0)?;
    (|| {
        Ok(Evidence {
            id,
            sha256: text(r, 1, "evidence.sha256")?,
            file_name: text(r, 2, "evidence.file_name")?,
            size: r.get(3)?,
            added_at: text(r, 4, "evidence.added_at")?,
        })
    })()
    .map_err(|e| in_record(e, || format!("evidence #{id}")))
}

fn parse_origin(text: &str) -> Result<Origin> {
    match text {
        "library" => Ok(Origin::Library),
        "user" => Ok(Origin::User),
        other => Err(bad("origin", other, "unknown origin")),
    }
}

fn source_from_row(r: &Row<'_>) -> Result<Source> {
    let id: i64 = r.get(0)?;
    (|| {
        let kind = text(r, 3, "source.kind")?;
        let u = opt_text(r, 7, "source.unit")?;
        Ok(Source {
            id,
            name: text(r, 1, "source.name")?,
            site_id: r.get(2)?,
            kind: SourceKind::parse(&kind)
                .ok_or_else(|| bad("source.kind", &kind, "unknown kind"))?,
            fuel: opt_text(r, 4, "source.fuel")?,
            factor_id: opt_text(r, 5, "source.factor_id")?,
            market_factor_id: opt_text(r, 6, "source.market_factor_id")?,
            unit: u.map(|u| unit("source.unit", &u)).transpose()?,
            uncertainty_pct: opt_dec(
                "source.uncertainty_pct",
                opt_text(r, 8, "source.uncertainty_pct")?,
            )?,
        })
    })()
    .map_err(|e| in_record(e, || format!("source #{id}")))
}

fn factor_from_row(r: &Row<'_>) -> Result<EmissionFactor> {
    let version: u32 = r.get(1)?;
    let id = text(r, 0, "factor.id")?;
    (|| {
        let category = text(r, 5, "factor.category")?;
        let role = opt_text(r, 6, "factor.role")?;
        let fuel_use = opt_text(r, 9, "factor.fuel_use")?;
        let u = text(r, 12, "factor.unit")?;
        let gases_text = text(r, 13, "factor.gases")?;
        let origin = text(r, 21, "factor.origin")?;
        let raw: BTreeMap<String, String> =
            serde_json::from_str(&gases_text).map_err(|e| bad("factor.gases", &gases_text, e))?;
        let mut gases = BTreeMap::new();
        for (g, v) in raw {
            gases.insert(g, dec("factor.gases", &v)?);
        }
        Ok(EmissionFactor {
            id: id.clone(),
            version,
            name: text(r, 2, "factor.name")?,
            name_zh: opt_text(r, 3, "factor.name_zh")?,
            dataset: text(r, 4, "factor.dataset")?,
            category: FactorCategory::parse(&category)
                .ok_or_else(|| bad("factor.category", &category, "unknown category"))?,
            role: role
                .map(|t| GridRole::parse(&t).ok_or_else(|| bad("factor.role", &t, "unknown role")))
                .transpose()?,
            region: opt_text(r, 7, "factor.region")?,
            fuel: opt_text(r, 8, "factor.fuel")?,
            fuel_use: fuel_use
                .map(|t| {
                    FuelUse::parse(&t).ok_or_else(|| bad("factor.fuel_use", &t, "unknown use"))
                })
                .transpose()?,
            year: r.get(10)?,
            published: opt_text(r, 11, "factor.published")?,
            unit: unit("factor.unit", &u)?,
            gases,
            co2e: opt_dec("factor.co2e", opt_text(r, 14, "factor.co2e")?)?,
            licence: text(r, 15, "factor.licence")?,
            citation: text(r, 16, "factor.citation")?,
            verified: r.get(17)?,
            verification_note: opt_text(r, 18, "factor.verification_note")?,
            uncertainty_pct: opt_dec(
                "factor.uncertainty_pct",
                opt_text(r, 19, "factor.uncertainty_pct")?,
            )?,
            is_default: r.get(20)?,
            origin: parse_origin(&origin)?,
        })
    })()
    .map_err(|e| in_record(e, || format!("factor {id} v{version}")))
}
