//! Creating, opening, checking and copying a project file.
//!
//! Opening checks the file read-only before touching it — a file (not a folder, pipe or device),
//! SQLite, a Lingtan project, a known schema version, not damaged, its schema exactly Lingtan's —
//! and nothing is written to a file that fails a check. An older schema is then upgraded in place
//! (logged) when the file is opened to be changed, or in a copy in memory when it is only read.
//! A lock another program holds too long becomes a message naming who holds it.

use crate::audit::Finding;
use crate::error::{Result, SqliteError, StoreError};
use crate::project::{self, ProjectInfo};
use crate::schema::{self, migrate_to, APPLICATION_ID, SCHEMA_VERSION};
use crate::value::bad;
use crate::Store;
use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};

/// How long a write waits for another writer to finish before it gives up.
pub(crate) const BUSY_SECONDS: u64 = 5;

/// An upgrade that failed: the versions and SQLite's reason, never the migration's SQL.
fn upgrade_error(path: &Path, from: i64, e: StoreError) -> StoreError {
    let detail = match &e {
        StoreError::Sqlite(SqliteError(rusqlite::Error::SqliteFailure(f, _))) => f.to_string(),
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
pub(crate) fn busy_error(path: &Path, e: StoreError) -> StoreError {
    match e {
        StoreError::Sqlite(SqliteError(ref inner)) if is_busy(inner) => StoreError::Busy {
            path: path.to_path_buf(),
            holders: holders(path).map(|h| format!("the file is open in {h}")),
            seconds: BUSY_SECONDS,
        },
        other => other,
    }
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
    inspect_opened(path, None)
}

/// The `file:` URI that opens `path` read-only and immutable: SQLite then reads the file's bytes
/// alone — no lock, no journal, no WAL or -shm file — and writes nothing, beside it or in it.
/// `None` where the path cannot be written as one (not UTF-8, not absolute, not unix).
fn immutable_uri(path: &Path) -> Option<String> {
    if !cfg!(unix) {
        return None;
    }
    let absolute = std::path::absolute(path).ok()?;
    let text = absolute.to_str()?;
    let mut uri = String::from("file:");
    for b in text.bytes() {
        match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'/' | b'.' | b'-' | b'_' | b'~' => {
                uri.push(b as char)
            }
            _ => uri.push_str(&format!("%{b:02X}")),
        }
    }
    uri.push_str("?mode=ro&immutable=1");
    Some(uri)
}

/// [`inspect_file`], the file opened through `uri` when one is given.
fn inspect_opened(path: &Path, uri: Option<&str>) -> Result<Inspected> {
    let wal = check_header(path)?;
    let corrupt = |e: rusqlite::Error| StoreError::Corrupt {
        path: path.to_path_buf(),
        detail: e.to_string(),
    };
    let conn = match uri {
        Some(uri) => Connection::open_with_flags(
            uri,
            OpenFlags::SQLITE_OPEN_READ_ONLY
                | OpenFlags::SQLITE_OPEN_NO_MUTEX
                | OpenFlags::SQLITE_OPEN_URI,
        ),
        None => Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        ),
    }
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
        StoreError::Sqlite(SqliteError(e)) => corrupt(e),
        other => other,
    })?;
    let differences = schema::differences(&actual, &schema::expected(version)?);
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
            project::insert(tx, audit, at, info)
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

    /// Open a file that must stay exactly as it is (a dossier's snapshot) for `verify`, in place:
    /// read-only and immutable (see [`immutable_uri`]), checked as [`Store::open_to_verify`]
    /// checks it. `None` — nothing opened — for a file in WAL mode (its header says so) or a path
    /// that cannot be opened so: the caller opens a copy instead.
    pub fn open_immutable_to_verify(path: &Path) -> Result<Option<Store>> {
        let Some(uri) = immutable_uri(path) else {
            return Ok(None);
        };
        if check_header(path)? {
            return Ok(None);
        }
        Self::open_inspected(path, inspect_opened(path, Some(&uri))?, true).map(Some)
    }

    fn open_reading(path: &Path, verifying: bool) -> Result<Store> {
        Self::open_inspected(path, inspect_file(path)?, verifying)
    }

    fn open_inspected(path: &Path, inspected: Inspected, verifying: bool) -> Result<Store> {
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
}
