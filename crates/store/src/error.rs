//! Errors of the project file, each naming the file or record and saying what to do, in English
//! (Display) and Chinese ([`StoreError::message_zh`]).

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    #[error("{}: no such project file; check the name and the folder, or create a new project", .0.display())]
    NotFound(PathBuf),
    #[error("{}: a file already exists there; choose another name (nothing was overwritten)", .0.display())]
    Exists(PathBuf),
    #[error("{}: not a Lingtan project file ({reason}); the file was not changed", path.display())]
    NotAProject { path: PathBuf, reason: String },
    #[error("{}: made by a newer Lingtan (schema version {found}, this app reads up to {supported}); update Lingtan to open it — the file was not changed", path.display())]
    Newer {
        path: PathBuf,
        found: i64,
        supported: i64,
    },
    #[error("{}: the project file is damaged ({detail}); restore a backup — the file was not changed or deleted", path.display())]
    Corrupt { path: PathBuf, detail: String },
    #[error("{}: the file's structure was changed outside Lingtan ({en}); it is not opened, so nothing added to it can run — verify its audit log to see every change, and restore a backup; the file was not changed", path.display())]
    SchemaChanged {
        path: PathBuf,
        en: String,
        zh: String,
    },
    #[error("{}: cannot upgrade it from schema {from} to {to} ({detail}); restore a backup — the file was not changed", path.display())]
    Upgrade {
        path: PathBuf,
        from: i64,
        to: i64,
        detail: String,
    },
    #[error("{}: {} is writing to this project and it stayed busy for {seconds} s; wait until it has finished (or close it) and try again — nothing was changed", path.display(), holders.as_deref().unwrap_or("another program (a Lingtan window or command, or a tool such as sqlite3)"))]
    Busy {
        path: PathBuf,
        /// Who holds the file, when that can be found ("lingtan-desktop (process 812)").
        holders: Option<String>,
        seconds: u64,
    },
    #[error("{what} '{name}' already exists")]
    Duplicate { what: &'static str, name: String },
    #[error("{what} '{name}' not found")]
    Missing { what: &'static str, name: String },
    #[error("{place}: its stored {field} '{value}' cannot be read ({detail}): it was changed outside Lingtan; verify the project's audit log to see every change, and restore a backup")]
    BadValue {
        /// The record: `activity #12 v1`, `site #2` (empty when not known).
        place: String,
        field: &'static str,
        value: String,
        detail: String,
    },
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("the write was cancelled before it finished; nothing was changed")]
    Interrupted,
    #[error("database error: {0}")]
    Sqlite(SqliteError),
}

/// An error of SQLite itself, shown as SQLite words it. Opaque: whoever needs to tell one
/// apart gets a variant of its own ([`StoreError::Interrupted`], [`StoreError::Busy`] …), so that
/// no crate above the store needs rusqlite.
#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub struct SqliteError(pub(crate) rusqlite::Error);

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> StoreError {
        match e {
            // the progress handler of Store::cancel_on stopped the statement
            rusqlite::Error::SqliteFailure(f, _)
                if f.code == rusqlite::ErrorCode::OperationInterrupted =>
            {
                StoreError::Interrupted
            }
            other => StoreError::Sqlite(SqliteError(other)),
        }
    }
}

impl StoreError {
    /// A stable code for machines (the desktop branches on it).
    pub fn code(&self) -> &'static str {
        match self {
            StoreError::NotFound(_) => "PROJECT_NOT_FOUND",
            StoreError::Exists(_) => "FILE_EXISTS",
            StoreError::NotAProject { .. } => "NOT_A_PROJECT",
            StoreError::Newer { .. } => "PROJECT_NEWER",
            StoreError::Corrupt { .. } => "PROJECT_CORRUPT",
            StoreError::SchemaChanged { .. } => "PROJECT_SCHEMA_CHANGED",
            StoreError::Upgrade { .. } => "PROJECT_UPGRADE_FAILED",
            StoreError::Busy { .. } => "PROJECT_BUSY",
            StoreError::Duplicate { .. } => "DUPLICATE",
            StoreError::Missing { .. } => "NOT_FOUND",
            StoreError::BadValue { .. } => "BAD_STORED_VALUE",
            StoreError::Io { .. } => "IO",
            StoreError::Interrupted => "CANCELLED",
            StoreError::Sqlite(_) => "DATABASE",
        }
    }

    pub fn message_zh(&self) -> String {
        match self {
            StoreError::NotFound(p) => format!("{}：项目文件不存在；请检查文件名和所在文件夹，或新建项目", p.display()),
            StoreError::Exists(p) => format!("{}：该位置已有文件；请换一个文件名（未覆盖任何文件）", p.display()),
            StoreError::NotAProject { path, reason } => {
                format!("{}：不是零碳（Lingtan）项目文件（{reason}）；文件未被修改", path.display())
            }
            StoreError::Newer { path, found, supported } => format!(
                "{}：由更新版本的 Lingtan 创建（结构版本 {found}，本程序最高支持 {supported}）；请升级 Lingtan 后再打开——文件未被修改",
                path.display()
            ),
            StoreError::Corrupt { path, detail } => format!(
                "{}：项目文件已损坏（{detail}）；请从备份恢复——文件未被修改或删除",
                path.display()
            ),
            StoreError::SchemaChanged { path, zh, .. } => format!(
                "{}：文件结构在 Lingtan 之外被修改（{zh}）；为防止其中添加的内容被执行，未打开该文件——请核验项目的审计日志查看全部改动，并从备份恢复；文件未被修改",
                path.display()
            ),
            StoreError::Upgrade { path, from, to, detail } => format!(
                "{}：无法从结构版本 {from} 升级到 {to}（{detail}）；请从备份恢复——文件未被修改",
                path.display()
            ),
            StoreError::Busy { path, holders, seconds } => format!(
                "{}：{}正在写入此项目，等待 {seconds} 秒后仍未完成；请等其完成（或关闭它）后重试——未作任何修改",
                path.display(),
                holders.as_deref().unwrap_or("其他程序（Lingtan 窗口或命令，或 sqlite3 等工具）")
            ),
            StoreError::Duplicate { what, name } => format!("{}“{name}”已存在", zh_what(what)),
            StoreError::Missing { what, name } => format!("未找到{}“{name}”", zh_what(what)),
            StoreError::BadValue { place, field, value, detail } => format!(
                "{place}：存储的 {field} 值“{value}”无法读取（{detail}）：它在 Lingtan 之外被修改；请核验项目的审计日志查看全部改动，并从备份恢复"
            ),
            StoreError::Io { path, source } => format!("{}：{source}", path.display()),
            StoreError::Interrupted => "写入在完成前被取消；未作任何修改".into(),
            StoreError::Sqlite(e) => format!("数据库错误：{e}"),
        }
    }
}

fn zh_what(what: &str) -> &'static str {
    match what {
        "site" => "场所",
        "source" => "排放源",
        "factor" => "排放因子",
        "fuel property" => "燃料参数",
        "activity" => "活动数据",
        "evidence" => "证据文件",
        "import batch" => "导入批次",
        _ => "记录",
    }
}

/// A store error in the one error shape of every layer: its code, no field (the project file
/// itself), its message in both languages.
impl From<StoreError> for lingtan_core::error::Error {
    fn from(e: StoreError) -> lingtan_core::error::Error {
        lingtan_core::error::Error::new(e.code(), None, e.to_string(), e.message_zh())
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;
