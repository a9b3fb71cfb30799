//! Files outside the project: every file Lingtan reads (an import, a mapping profile, evidence)
//! and every file it writes (a report, a mapping profile, a backup, a new project) goes through
//! this module, so one set of rules holds for all of them.
//!
//! Reading ([`read`]): only a regular file — a directory, a device, a named pipe (FIFO) or a
//! socket is refused, naming what it is — within the size limit of its kind ([`Input::limit`]).
//! The type is checked before the file is opened, the file is opened without blocking (a FIFO
//! swapped in after the check cannot hang the command) and checked again on the open handle, and
//! the read is bounded by the limit.
//!
//! Writing ([`check`], then [`Checked::write`]): every output of one command is checked before
//! anything is rendered or written, and then either all of them land or none does.
//! - An output is a regular file in an existing folder: never a directory, a device, a FIFO or a
//!   socket; a symbolic link only when its target is a file in the same folder (the target is
//!   written); never the project, its journal files (`-wal`, `-shm`, `-journal`) or a file the
//!   same command reads (also through another name: a hard link is found by its identity).
//! - Each output says what it may replace ([`Replace`]): nothing (a new project, a backup), any
//!   regular file (a report the user named), or only a file of its own kind that Lingtan wrote (a
//!   mapping profile, recognised by its content, and only when asked with `--force`).
//! - Each output is written to a temporary file in its folder, created with a name that is new
//!   (`create_new`, never a file that exists), synced, then renamed into place. Lingtan deletes
//!   only files it created: a user's `.NAME.partial` or `X.lingtan-partial` is never touched.
//! - With several outputs, the files they replace are kept (a hard link, or a copy) until all
//!   have landed; if a later rename fails, the earlier outputs are put back as they were.

use crate::{words, Error, Field, Result, Words};
use std::path::{Path, PathBuf};

const MIB: u64 = 1024 * 1024;

/// What a file Lingtan reads is for; each kind has a size limit (documented in the README).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    /// A spreadsheet or CSV to import (`lingtan import PROJECT FILE`).
    Import,
    /// A saved mapping profile (`--mapping`).
    Mapping,
    /// A bill or certificate kept inside the project (`--evidence`).
    Evidence,
}

impl Input {
    /// The largest file of this kind Lingtan reads, in bytes.
    pub const fn limit(self) -> u64 {
        match self {
            // a year of 15-minute data from 20 meters is a 12 MiB workbook, 30 MiB as CSV
            Input::Import => 100 * MIB,
            // a profile is a few hundred bytes of JSON
            Input::Mapping => MIB,
            // a scanned bill or certificate; it is stored inside the project file
            Input::Evidence => 50 * MIB,
        }
    }

    /// The field a refusal names.
    pub const fn field(self) -> Field {
        match self {
            Input::Import => Field::File,
            Input::Mapping => Field::Mapping,
            Input::Evidence => Field::Evidence,
        }
    }

    /// How a message names the file: the field and the path (`--mapping FILE` on the command
    /// line), or the path alone for the file an import reads.
    fn label(self, path: &Path) -> Words {
        match self {
            Input::Import => words![path.display().to_string()],
            other => words![other.field(), format!(" {}", path.display())],
        }
    }

    fn what(self) -> (&'static str, &'static str) {
        match self {
            Input::Import => ("a file to import", "导入文件"),
            Input::Mapping => ("a mapping profile", "映射配置"),
            Input::Evidence => ("an evidence file", "证据文件"),
        }
    }
}

/// What a path is when it is not a regular file, in English and Chinese.
fn kind_of(meta: &std::fs::Metadata) -> Option<(&'static str, &'static str)> {
    let t = meta.file_type();
    if t.is_file() {
        return None;
    }
    if t.is_dir() {
        return Some((
            "a folder (directory), not a file",
            "文件夹（目录），不是文件",
        ));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return Some((
                "a named pipe (FIFO), not a file",
                "命名管道（FIFO），不是文件",
            ));
        }
        if t.is_char_device() || t.is_block_device() {
            return Some(("a device, not a file", "设备，不是文件"));
        }
        if t.is_socket() {
            return Some(("a socket, not a file", "套接字，不是文件"));
        }
    }
    Some(("not a regular file", "不是普通文件"))
}

fn mib(bytes: u64) -> String {
    format!("{} MiB", bytes / MIB)
}

/// Read a whole input file: a regular file within its kind's limit, opened without blocking and
/// read with a bound. Refusals name the path and what it is.
pub fn read(path: &Path, kind: Input) -> Result<Vec<u8>> {
    use std::io::Read;
    let label = kind.label(path);
    let field = kind.field();
    // the file's label, then the text
    let said = |text: String| {
        let mut w = label.clone();
        w.push_str(&text);
        w
    };
    let (what_en, what_zh) = kind.what();
    let unreadable = |e: std::io::Error| {
        Error::new(
            "INPUT_UNREADABLE",
            field,
            said(format!(": cannot read the file: {e}")),
            said(format!("：无法读取文件：{e}")),
        )
    };
    let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => Error::new(
            "INPUT_NOT_FOUND",
            field,
            said(": no such file; check the name and the folder".to_string()),
            said("：文件不存在；请检查文件名和所在文件夹".to_string()),
        ),
        _ => unreadable(e),
    })?;
    let check = |meta: &std::fs::Metadata| -> Result<()> {
        if let Some((en, zh)) = kind_of(meta) {
            return Err(Error::new(
                "INPUT_NOT_A_FILE",
                field,
                said(format!(": this is {en}; give {what_en}")),
                said(format!("：这是{zh}；请给出{what_zh}")),
            ));
        }
        if meta.len() > kind.limit() {
            return Err(Error::new(
                "INPUT_TOO_LARGE",
                field,
                said(format!(": the file is larger than {} ({} bytes), the limit for {what_en}; check that it is the right file",
                    mib(kind.limit()),
                    meta.len()
                )),
                said(format!("：文件大于 {}（{} 字节），超过{what_zh}的上限；请确认文件是否正确",
                    mib(kind.limit()),
                    meta.len()
                )),
            ));
        }
        if meta.len() == 0 && kind == Input::Evidence {
            return Err(Error::new(
                "INPUT_EMPTY",
                field,
                said(
                    ": the file is empty (0 bytes); attach the bill or certificate itself"
                        .to_string(),
                ),
                said("：文件为空（0 字节）；请附上账单或证书本身".to_string()),
            ));
        }
        Ok(())
    };
    // the type before opening: opening a FIFO for reading would wait for a writer
    check(&meta)?;
    let file = open_nonblocking(path).map_err(unreadable)?;
    // and again on what was opened, in case the path changed in between
    check(&file.metadata().map_err(unreadable)?)?;
    let mut bytes = Vec::with_capacity(meta.len().min(kind.limit()) as usize);
    file.take(kind.limit() + 1)
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    if bytes.len() as u64 > kind.limit() {
        return Err(Error::new(
            "INPUT_TOO_LARGE",
            field,
            said(format!(
                ": the file grew beyond {} while it was read; read a finished file",
                mib(kind.limit())
            )),
            said(format!(
                "：读取过程中文件增大到超过 {}；请使用已完成的文件",
                mib(kind.limit())
            )),
        ));
    }
    if bytes.is_empty() && kind == Input::Evidence {
        return Err(Error::new(
            "INPUT_EMPTY",
            field,
            said(
                ": the file is empty (0 bytes); attach the bill or certificate itself".to_string(),
            ),
            said("：文件为空（0 字节）；请附上账单或证书本身".to_string()),
        ));
    }
    Ok(bytes)
}

#[cfg(unix)]
fn open_nonblocking(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
}

#[cfg(not(unix))]
fn open_nonblocking(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::File::open(path)
}

/// What an output may replace when a file is already there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Replace {
    /// Nothing: a new project, a backup.
    Never,
    /// Any regular file: a report the user named.
    Any,
    /// Only a mapping profile Lingtan wrote (recognised by its content), and only with `--force`.
    MappingProfile { force: bool },
}

/// One file a command writes.
#[derive(Debug, Clone)]
pub struct Output {
    pub path: PathBuf,
    /// The field that named it (`pdf`, `save-mapping` …), or `None` for a positional path.
    pub flag: Option<Field>,
    pub replace: Replace,
}

impl Output {
    pub fn new(path: &Path, flag: Option<Field>, replace: Replace) -> Output {
        Output {
            path: path.to_path_buf(),
            flag,
            replace,
        }
    }

    /// How a message names the output: its field and path (`--pdf FILE` on the command line),
    /// or the path alone.
    fn label(&self) -> Words {
        match self.flag {
            Some(flag) => words![flag, format!(" {}", self.path.display())],
            None => words![self.path.display().to_string()],
        }
    }

    fn refuse(&self, code: &'static str, en: impl Into<Words>, zh: impl Into<Words>) -> Error {
        let (mut e, mut z) = (self.label(), self.label());
        e.push_str(": ");
        e.append(en.into());
        z.push_str("：");
        z.append(zh.into());
        Error::new(code, self.flag, e, z)
    }
}

/// Identity of an existing file (device and inode), to find the same file under another name.
#[cfg(unix)]
fn identity(meta: &std::fs::Metadata) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    Some((meta.dev(), meta.ino()))
}

#[cfg(not(unix))]
fn identity(_: &std::fs::Metadata) -> Option<(u64, u64)> {
    None
}

/// A path with its folder made absolute and its links resolved (the name itself kept as it is),
/// so two spellings of one place compare equal. `None` when the folder does not exist.
fn normal(path: &Path) -> Option<PathBuf> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    Some(std::fs::canonicalize(dir).ok()?.join(path.file_name()?))
}

/// A file the outputs must not be: its places (normalised) and its identity when it exists.
struct Guarded {
    places: Vec<PathBuf>,
    identity: Option<(u64, u64)>,
    code: &'static str,
    en: String,
    zh: String,
}

fn guarded(project: Option<&Path>, inputs: &[&Path]) -> Vec<Guarded> {
    let mut out = Vec::new();
    if let Some(p) = project {
        // the project under its own name and under its link's target, with its journal files
        let mut bases: Vec<PathBuf> = normal(p).into_iter().collect();
        if let Ok(real) = std::fs::canonicalize(p) {
            bases.push(real);
        }
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let places: Vec<PathBuf> = bases
                .iter()
                .map(|b| PathBuf::from(format!("{}{suffix}", b.display())))
                .collect();
            let identity = places
                .iter()
                .find_map(|q| std::fs::metadata(q).ok())
                .and_then(|m| identity(&m));
            let (en, zh) = if suffix.is_empty() {
                (
                    "that is the project file itself; choose another file name".to_string(),
                    "这是项目文件本身；请换一个文件名".to_string(),
                )
            } else {
                (
                    format!("that is the project's {suffix} file (SQLite keeps the project's latest changes there); choose another file name"),
                    format!("这是项目的 {suffix} 文件（SQLite 在其中保存项目的最新修改）；请换一个文件名"),
                )
            };
            out.push(Guarded {
                places,
                identity,
                code: "OUTPUT_IS_PROJECT",
                en,
                zh,
            });
        }
    }
    for input in inputs {
        let mut places: Vec<PathBuf> = normal(input).into_iter().collect();
        if let Ok(real) = std::fs::canonicalize(input) {
            places.push(real);
        }
        out.push(Guarded {
            places,
            identity: std::fs::metadata(input).ok().and_then(|m| identity(&m)),
            code: "OUTPUT_IS_INPUT",
            en: format!(
                "that is {}, which this command reads; choose another file name",
                input.display()
            ),
            zh: format!("这是本命令读取的文件 {}；请换一个文件名", input.display()),
        });
    }
    out
}

/// An output that passed the checks: where it will be written.
#[derive(Debug)]
struct Planned {
    output: Output,
    /// The file that will be replaced or created (a link in the same folder resolved).
    target: PathBuf,
    /// Whether a file is there now (to be kept until every output has landed).
    existed: bool,
}

/// Outputs checked together, ready to be written together.
#[derive(Debug)]
pub struct Checked {
    planned: Vec<Planned>,
}

/// Check every output of one command before anything is written: see the module's rules.
/// `project` is the project the command works on (never an output), `inputs` the files it reads.
pub fn check(outputs: &[Output], project: Option<&Path>, inputs: &[&Path]) -> Result<Checked> {
    let guards = guarded(project, inputs);
    let mut planned: Vec<Planned> = Vec::new();
    for output in outputs {
        let p = plan_one(output, &guards)?;
        if let Some(other) = planned.iter().find(|q| q.target == p.target) {
            return Err(output.refuse(
                "OUTPUT_TWICE",
                {
                    let mut w = words!["the same file as "];
                    w.append(other.output.label());
                    w.push_str("; give each output its own name");
                    w
                },
                {
                    let mut w = words!["与 "];
                    w.append(other.output.label());
                    w.push_str(" 是同一个文件；请为每个输出分别命名");
                    w
                },
            ));
        }
        planned.push(p);
    }
    Ok(Checked { planned })
}

fn plan_one(output: &Output, guards: &[Guarded]) -> Result<Planned> {
    let path = &output.path;
    if path.file_name().is_none() || path.as_os_str().to_string_lossy().ends_with('/') {
        return Err(output.refuse(
            "OUTPUT_NOT_A_FILE",
            "this names a folder, not a file; add a file name",
            "这是文件夹而不是文件；请加上文件名",
        ));
    }
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    match std::fs::metadata(&dir) {
        Ok(m) if m.is_dir() => {}
        Ok(_) => {
            return Err(output.refuse(
                "OUTPUT_FOLDER_MISSING",
                format!(
                    "{} is not a folder; choose a file in an existing folder",
                    dir.display()
                ),
                format!("{} 不是文件夹；请选择已有文件夹中的文件", dir.display()),
            ))
        }
        Err(_) => {
            return Err(output.refuse(
                "OUTPUT_FOLDER_MISSING",
                format!(
                    "the folder {} does not exist; create it first or choose another folder",
                    dir.display()
                ),
                format!(
                    "文件夹 {} 不存在；请先创建该文件夹或选择其他文件夹",
                    dir.display()
                ),
            ))
        }
    }
    let Some(mut target) = normal(path) else {
        return Err(output.refuse(
            "OUTPUT_FOLDER_MISSING",
            format!("the folder {} cannot be opened", dir.display()),
            format!("无法打开文件夹 {}", dir.display()),
        ));
    };
    let folder = target.parent().map(Path::to_path_buf).unwrap_or_default();
    let mut meta = std::fs::symlink_metadata(&target).ok();
    if meta.as_ref().is_some_and(|m| m.file_type().is_symlink()) {
        // a link is followed only to a file in the same folder
        let resolved = std::fs::canonicalize(&target).ok();
        match resolved {
            Some(r) if r.parent() == Some(folder.as_path()) => {
                meta = std::fs::symlink_metadata(&r).ok();
                target = r;
            }
            Some(r) => {
                return Err(output.refuse(
                    "OUTPUT_LINK_OUTSIDE",
                    format!("this is a symbolic link to {}, outside its folder; Lingtan does not write through it — choose another file name", r.display()),
                    format!("这是指向其所在文件夹之外 {} 的符号链接；Lingtan 不会通过它写入——请换一个文件名", r.display()),
                ))
            }
            None => {
                return Err(output.refuse(
                    "OUTPUT_LINK_OUTSIDE",
                    "this is a symbolic link to a file that does not exist; choose another file name",
                    "这是指向不存在文件的符号链接；请换一个文件名",
                ))
            }
        }
    }
    let here = meta.as_ref().and_then(identity);
    for g in guards {
        let same_place = g.places.iter().any(|q| q == &target);
        let same_file = here.is_some() && here == g.identity;
        if same_place || same_file {
            return Err(output.refuse(g.code, g.en.clone(), g.zh.clone()));
        }
    }
    let existed = match &meta {
        None => false,
        Some(m) => {
            if let Some((en, zh)) = kind_of(m) {
                return Err(output.refuse(
                    "OUTPUT_NOT_A_FILE",
                    format!("this is {en}; Lingtan writes only regular files — choose a file name"),
                    format!("这是{zh}；Lingtan 只写入普通文件——请换一个文件名"),
                ));
            }
            match output.replace {
                Replace::Any => {
                    // a report named like another project: never over a database
                    if is_database(&target) {
                        return Err(output.refuse(
                            "OUTPUT_IS_DATABASE",
                            "that file is a SQLite database (a Lingtan project?); a report is never written over one — choose another file name",
                            "该文件是 SQLite 数据库（可能是 Lingtan 项目）；报告不会覆盖数据库——请换一个文件名",
                        ));
                    }
                }
                Replace::Never => return Err(output.refuse(
                    "FILE_EXISTS",
                    "a file already exists there; choose another name (nothing was overwritten)",
                    "该位置已有文件；请换一个文件名（未覆盖任何文件）",
                )),
                Replace::MappingProfile { force } => {
                    if !is_mapping_profile(&target) {
                        return Err(output.refuse(
                            "FILE_EXISTS",
                            "a file that is not a Lingtan mapping profile is there; it would be lost — choose a new file name",
                            "该位置已有一个不是 Lingtan 映射配置的文件，覆盖会使其丢失——请换一个新文件名",
                        ));
                    }
                    if !force {
                        return Err(output.refuse(
                            "FILE_EXISTS",
                            words![
                                "a mapping profile is already there; add ",
                                Field::Force,
                                " to replace it, or choose a new file name"
                            ],
                            words![
                                "该位置已有映射配置；如需替换请加 ",
                                Field::Force,
                                "，或换一个新文件名"
                            ],
                        ));
                    }
                }
            }
            true
        }
    };
    Ok(Planned {
        output: output.clone(),
        target,
        existed,
    })
}

/// Whether a file is a SQLite database (its header), or the journal of one beside it.
fn is_database(path: &Path) -> bool {
    use std::io::Read;
    let sqlite = |p: &Path| {
        let mut head = [0u8; 16];
        open_nonblocking(p)
            .and_then(|mut f| f.read_exact(&mut head))
            .is_ok_and(|_| &head == b"SQLite format 3\0")
    };
    if sqlite(path) {
        return true;
    }
    let name = path.to_string_lossy();
    ["-wal", "-shm", "-journal"].iter().any(|suffix| {
        name.strip_suffix(suffix).is_some_and(|db| {
            std::fs::metadata(db).is_ok_and(|m| m.is_file()) && sqlite(Path::new(db))
        })
    })
}

/// Whether a file is a mapping profile Lingtan wrote: a JSON object with the `lingtan_mapping`
/// marker, within the profile's size limit.
fn is_mapping_profile(path: &Path) -> bool {
    let Ok(bytes) = read(path, Input::Mapping) else {
        return false;
    };
    serde_json::from_slice::<serde_json::Value>(&bytes)
        .ok()
        .and_then(|v| v.get("lingtan_mapping").cloned())
        .is_some_and(|v| v.is_u64())
}

/// A function that writes an output's content into the (empty, new) file at the path it is given.
pub type Maker<'a> = Box<dyn FnOnce(&Path) -> Result<()> + 'a>;

/// How an output's content is made.
pub enum Fill<'a> {
    /// These bytes.
    Bytes(&'a [u8]),
    /// Written by a function into the (empty, new) file at the path it is given — a SQLite
    /// database, for example.
    File(Maker<'a>),
}

/// A file that landed: the path as the user gave it and its size.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    pub path: PathBuf,
    pub bytes: u64,
}

/// A name in `dir` beside `name` that is not taken, created empty (`create_new`); for a database,
/// the names SQLite would add to it must be free too.
fn fresh(dir: &Path, name: &str, what: &str) -> std::io::Result<(PathBuf, std::fs::File)> {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let pid = std::process::id();
    let mut last = None;
    for _ in 0..64 {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let candidate = dir.join(format!(".{name}.lingtan-{pid}-{n}-{nanos:x}.{what}"));
        let side_taken = ["-wal", "-shm", "-journal"]
            .iter()
            .any(|s| std::fs::symlink_metadata(format!("{}{s}", candidate.display())).is_ok());
        if side_taken {
            continue;
        }
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&candidate)
        {
            Ok(file) => return Ok((candidate, file)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| std::io::Error::other("no free temporary name")))
}

/// Remove a file Lingtan created, with the files SQLite may have left beside it.
fn remove_ours(path: &Path) {
    let _ = std::fs::remove_file(path);
    for suffix in ["-wal", "-shm", "-journal"] {
        let side = PathBuf::from(format!("{}{suffix}", path.display()));
        let _ = std::fs::remove_file(side);
    }
}

/// Files made on the way, removed on every exit unless kept.
struct Scratch(Vec<PathBuf>);

impl Drop for Scratch {
    fn drop(&mut self) {
        for p in &self.0 {
            remove_ours(p);
        }
    }
}

impl Checked {
    /// Write every output (`fills` in the order of the outputs given to [`check`]): each into a
    /// new temporary file, synced, then all renamed into place; all land or none does.
    pub fn write(self, fills: Vec<Fill<'_>>) -> Result<Vec<Written>> {
        let mut scratch = Scratch(Vec::new());
        let mut temps = Vec::new();
        for (p, fill) in self.planned.iter().zip(fills) {
            let fail = |e: std::io::Error| {
                p.output.refuse(
                    "OUTPUT_UNWRITABLE",
                    format!("cannot write the file: {e}"),
                    format!("无法写入文件：{e}"),
                )
            };
            let dir = p.target.parent().unwrap_or(Path::new("."));
            let name = p
                .target
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let (tmp, mut file) = fresh(dir, &name, "partial").map_err(fail)?;
            scratch.0.push(tmp.clone());
            match fill {
                Fill::Bytes(bytes) => {
                    use std::io::Write;
                    file.write_all(bytes)
                        .and_then(|_| file.sync_all())
                        .map_err(fail)?;
                }
                Fill::File(make) => {
                    drop(file);
                    make(&tmp)?;
                    std::fs::File::open(&tmp)
                        .and_then(|f| f.sync_all())
                        .map_err(fail)?;
                }
            }
            let size = std::fs::metadata(&tmp).map(|m| m.len()).map_err(fail)?;
            temps.push((tmp, size));
        }
        // what is about to be replaced is kept until every output has landed (one output is
        // renamed atomically and needs no keeping)
        let keep_old = self.planned.len() > 1;
        let mut kept: Vec<Option<PathBuf>> = Vec::new();
        for p in &self.planned {
            // the place may have changed since the check
            recheck(p)?;
            let old = if keep_old && p.existed {
                let old = keep(&p.target).map_err(|e| {
                    p.output.refuse(
                        "OUTPUT_UNWRITABLE",
                        format!(
                            "cannot keep the file it replaces until every output is written: {e}"
                        ),
                        format!("无法在所有输出写完前保留将被替换的文件：{e}"),
                    )
                })?;
                scratch.0.push(old.clone());
                Some(old)
            } else {
                None
            };
            kept.push(old);
        }
        let mut landed: Vec<usize> = Vec::new();
        for (i, (p, (tmp, _))) in self.planned.iter().zip(&temps).enumerate() {
            #[cfg(test)]
            let injected = FAIL_LANDING.with(|f| f.get()) == Some(i);
            #[cfg(not(test))]
            let injected = false;
            let landing = if injected {
                Err(p.output.refuse(
                    "OUTPUT_UNWRITABLE",
                    "cannot write the file: injected failure",
                    "无法写入文件：注入的失败",
                ))
            } else {
                land(p, tmp)
            };
            if let Err(mut e) = landing {
                // put back what landed before, as it was
                for &j in landed.iter().rev() {
                    let q = &self.planned[j];
                    match &kept[j] {
                        Some(old) => {
                            if std::fs::rename(old, &q.target).is_err() {
                                // never lose it: the previous file stays under its kept name
                                scratch.0.retain(|x| x != old);
                                e.en.push_str(&format!(
                                    "; {} could not be put back: its previous content is in {}",
                                    q.output.path.display(),
                                    old.display()
                                ));
                                e.zh.push_str(&format!(
                                    "；{} 未能恢复：其原内容保存在 {}",
                                    q.output.path.display(),
                                    old.display()
                                ));
                            }
                        }
                        None => {
                            let _ = std::fs::remove_file(&q.target);
                        }
                    }
                }
                return Err(e);
            }
            landed.push(i);
        }
        Ok(self
            .planned
            .iter()
            .zip(temps)
            .map(|(p, (_, bytes))| Written {
                path: p.output.path.clone(),
                bytes,
            })
            .collect())
    }
}

#[cfg(test)]
thread_local! {
    /// Tests: the index of the output whose rename fails.
    static FAIL_LANDING: std::cell::Cell<Option<usize>> = const { std::cell::Cell::new(None) };
}

/// The output's place, checked again right before it is replaced.
fn recheck(p: &Planned) -> Result<()> {
    match std::fs::symlink_metadata(&p.target) {
        Err(_) if !p.existed => Ok(()),
        Ok(m) if p.existed && m.is_file() => Ok(()),
        Ok(_) if !p.existed && p.output.replace == Replace::Never => Err(p.output.refuse(
            "FILE_EXISTS",
            "a file appeared there while the output was made; choose another name (nothing was overwritten)",
            "生成输出期间该位置出现了文件；请换一个文件名（未覆盖任何文件）",
        )),
        _ => Err(p.output.refuse(
            "OUTPUT_CHANGED",
            "the file there changed while the output was made; run the command again",
            "生成输出期间该位置的文件发生了变化；请重新运行命令",
        )),
    }
}

/// Keep the file at `target` under a new name beside it (a hard link, or a copy where the file
/// system has none).
fn keep(target: &Path) -> std::io::Result<PathBuf> {
    let dir = target.parent().unwrap_or(Path::new("."));
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let (old, placeholder) = fresh(dir, &name, "old")?;
    // a hard link needs the name free: the empty placeholder gives way to it
    drop(placeholder);
    let _ = std::fs::remove_file(&old);
    match std::fs::hard_link(target, &old) {
        Ok(()) => Ok(old),
        Err(_) => {
            // recreate the placeholder only if nobody took the name meanwhile
            let mut file = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&old)?;
            let mut from = std::fs::File::open(target)?;
            std::io::copy(&mut from, &mut file)?;
            file.sync_all()?;
            Ok(old)
        }
    }
}

/// Move a finished temporary file into place: over the old file, or — when nothing may be
/// replaced — only if the name is still free.
fn land(p: &Planned, tmp: &Path) -> Result<()> {
    let fail = |e: std::io::Error| {
        p.output.refuse(
            "OUTPUT_UNWRITABLE",
            format!("cannot write the file: {e}"),
            format!("无法写入文件：{e}"),
        )
    };
    if p.output.replace == Replace::Never {
        match std::fs::hard_link(tmp, &p.target) {
            Ok(()) => {
                let _ = std::fs::remove_file(tmp);
                return Ok(());
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                return Err(p.output.refuse(
                    "FILE_EXISTS",
                    "a file appeared there while the output was made; choose another name (nothing was overwritten)",
                    "生成输出期间该位置出现了文件；请换一个文件名（未覆盖任何文件）",
                ))
            }
            // a file system without hard links: check, then rename
            Err(_) => recheck(p)?,
        }
    }
    std::fs::rename(tmp, &p.target).map_err(fail)
}

/// A folder a command fills with files (a dossier), written like a file: built in a new folder
/// beside it, each file synced, then renamed into place as a whole. The folder must not exist,
/// or be an empty folder (not a link); its parent must be a folder. A failure leaves nothing
/// behind: Lingtan removes only the folder it created.
pub struct Folder {
    dir: PathBuf,
    flag: Field,
}

fn folder_refusal(flag: Field, dir: &Path, code: &'static str, en: String, zh: String) -> Error {
    Error::new(
        code,
        flag,
        words![flag, format!(" {}: {en}", dir.display())],
        words![flag, format!(" {}：{zh}", dir.display())],
    )
}

/// Check the folder `dir` (named by `flag`) before anything is gathered or rendered.
pub fn check_folder(dir: &Path, flag: Field) -> Result<Folder> {
    let refuse = |code, en: String, zh: String| folder_refusal(flag, dir, code, en, zh);
    if dir.file_name().is_none() {
        return Err(refuse(
            "OUTPUT_NOT_A_FOLDER_NAME",
            "name a new folder (for example dossier-2025)".into(),
            "请指定一个新文件夹（例如 dossier-2025）".into(),
        ));
    }
    match std::fs::symlink_metadata(dir) {
        Ok(m) if m.file_type().is_symlink() => {
            return Err(refuse(
                "OUTPUT_IS_LINK",
                "this is a symbolic link; Lingtan does not write through it — name a new folder"
                    .into(),
                "这是符号链接；Lingtan 不会通过它写入——请指定一个新文件夹".into(),
            ))
        }
        Ok(m) if m.is_dir() => {
            let empty = std::fs::read_dir(dir)
                .map(|mut d| d.next().is_none())
                .unwrap_or(false);
            if !empty {
                return Err(refuse(
                    "OUTPUT_FOLDER_NOT_EMPTY",
                    "the folder exists and is not empty; Lingtan never writes over files — name a new or empty folder".into(),
                    "该文件夹已存在且不为空；Lingtan 从不覆盖文件——请指定一个新的或空的文件夹".into(),
                ));
            }
        }
        Ok(_) => {
            return Err(refuse(
                "OUTPUT_NOT_A_FOLDER",
                "a file of this name exists; name a new folder".into(),
                "已存在同名文件；请指定一个新文件夹".into(),
            ))
        }
        Err(_) => {}
    }
    let parent = match dir.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if !std::fs::metadata(&parent).is_ok_and(|m| m.is_dir()) {
        return Err(refuse(
            "OUTPUT_FOLDER_MISSING",
            format!(
                "the folder {} does not exist; create it first or choose another place",
                parent.display()
            ),
            format!(
                "文件夹 {} 不存在；请先创建该文件夹或选择其他位置",
                parent.display()
            ),
        ));
    }
    Ok(Folder {
        dir: dir.to_path_buf(),
        flag,
    })
}

/// A folder Lingtan created, removed with everything in it unless kept.
struct ScratchDir(Option<PathBuf>);

impl Drop for ScratchDir {
    fn drop(&mut self) {
        if let Some(p) = self.0.take() {
            let _ = std::fs::remove_dir_all(p);
        }
    }
}

impl Folder {
    /// Write `files` (paths relative to the folder, with `/` between parts) and move the folder
    /// into place; returns each file written with its size, in the order given.
    pub fn write(self, files: Vec<(String, Fill<'_>)>) -> Result<Vec<Written>> {
        let fail = |e: std::io::Error| {
            folder_refusal(
                self.flag,
                &self.dir,
                "OUTPUT_UNWRITABLE",
                format!("cannot write the folder: {e}"),
                format!("无法写入该文件夹：{e}"),
            )
        };
        let parent = match self.dir.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let name = self
            .dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        // a new folder beside the target: `create_dir` refuses a name that is taken
        let (tmp, placeholder) = fresh(&parent, &name, "partial").map_err(fail)?;
        drop(placeholder);
        std::fs::remove_file(&tmp).map_err(fail)?;
        std::fs::create_dir(&tmp).map_err(fail)?;
        let mut scratch = ScratchDir(Some(tmp.clone()));
        let mut written = Vec::with_capacity(files.len());
        for (rel, fill) in files {
            let mut path = tmp.clone();
            for part in rel.split('/') {
                if part.is_empty() || part == "." || part == ".." {
                    return Err(fail(std::io::Error::other(format!(
                        "'{rel}' is not a file name inside the folder"
                    ))));
                }
                path.push(part);
            }
            if let Some(d) = path.parent() {
                std::fs::create_dir_all(d).map_err(fail)?;
            }
            let mut file = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
                .map_err(fail)?;
            match fill {
                Fill::Bytes(bytes) => {
                    use std::io::Write;
                    file.write_all(bytes)
                        .and_then(|_| file.sync_all())
                        .map_err(fail)?;
                }
                Fill::File(make) => {
                    drop(file);
                    make(&path)?;
                    std::fs::File::open(&path)
                        .and_then(|f| f.sync_all())
                        .map_err(fail)?;
                }
            }
            let bytes = std::fs::metadata(&path).map(|m| m.len()).map_err(fail)?;
            written.push(Written {
                path: self.dir.join(&rel),
                bytes,
            });
        }
        // renaming onto an empty folder replaces it; onto one that is no longer empty it fails,
        // and nothing of the user's is touched
        std::fs::rename(&tmp, &self.dir).map_err(fail)?;
        scratch.0 = None;
        Ok(written)
    }
}

/// A copy of some bytes in the system's temporary folder, removed when dropped: what a command
/// opens instead of a file it must not touch (a dossier's snapshot is opened from a copy).
pub struct ScratchCopy(PathBuf);

impl ScratchCopy {
    pub fn new(bytes: &[u8], name: &str) -> Result<ScratchCopy> {
        let fail = |e: std::io::Error| {
            Error::new(
                "SCRATCH_UNWRITABLE",
                None,
                format!("cannot write a temporary copy of {name}: {e}"),
                format!("无法写入 {name} 的临时副本：{e}"),
            )
        };
        let (path, mut file) = fresh(&std::env::temp_dir(), name, "copy").map_err(fail)?;
        let copy = ScratchCopy(path);
        use std::io::Write;
        file.write_all(bytes).map_err(fail)?;
        Ok(copy)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }

    /// Its bytes (after a function wrote into it).
    pub fn read(&self) -> Result<Vec<u8>> {
        std::fs::read(&self.0).map_err(|e| {
            Error::new(
                "SCRATCH_UNREADABLE",
                None,
                format!("cannot read the temporary file {}: {e}", self.0.display()),
                format!("无法读取临时文件 {}：{e}", self.0.display()),
            )
        })
    }
}

impl Drop for ScratchCopy {
    fn drop(&mut self) {
        remove_ours(&self.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn out(path: &Path, replace: Replace) -> Output {
        Output::new(path, Some(Field::Out), replace)
    }

    #[test]
    fn a_second_output_that_fails_puts_the_first_back() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.pdf");
        let b = dir.path().join("b.xlsx");
        std::fs::write(&a, b"old a").unwrap();
        let checked = check(&[out(&a, Replace::Any), out(&b, Replace::Any)], None, &[]).unwrap();
        // the second output's folder disappears after the check: its rename fails
        let err = checked
            .write(vec![
                Fill::Bytes(b"new a"),
                Fill::File(Box::new(|tmp: &Path| {
                    std::fs::write(tmp, b"new b").unwrap();
                    // replace b's place with a folder that has something in it
                    std::fs::create_dir(dir.path().join("b.xlsx")).unwrap();
                    std::fs::write(dir.path().join("b.xlsx/x"), b"x").unwrap();
                    Ok(())
                })),
            ])
            .unwrap_err();
        assert!(
            err.code == "OUTPUT_CHANGED" || err.code == "OUTPUT_UNWRITABLE",
            "the second output cannot land: {err:?}"
        );
        assert_eq!(
            std::fs::read(&a).unwrap(),
            b"old a",
            "both land or neither: the first output must be what it was"
        );
        let left: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(
            left.iter().all(|n| !n.contains(".lingtan-")),
            "no temporary or kept file is left behind: {left:?}"
        );
    }

    #[test]
    fn a_rename_that_fails_late_puts_back_what_landed_before() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.pdf");
        let b = dir.path().join("b.xlsx");
        let c = dir.path().join("c.json");
        std::fs::write(&a, b"old a").unwrap();
        let checked = check(
            &[
                out(&a, Replace::Any),
                out(&b, Replace::Any),
                out(&c, Replace::Any),
            ],
            None,
            &[],
        )
        .unwrap();
        // the third rename fails (injected): the first two have landed and must be undone
        FAIL_LANDING.with(|f| f.set(Some(2)));
        let err = checked
            .write(vec![
                Fill::Bytes(b"new a"),
                Fill::Bytes(b"new b"),
                Fill::Bytes(b"new c"),
            ])
            .unwrap_err();
        FAIL_LANDING.with(|f| f.set(None));
        assert_eq!(
            err.code, "OUTPUT_UNWRITABLE",
            "a rename that fails late puts back what landed before: {err:?}"
        );
        assert_eq!(
            std::fs::read(&a).unwrap(),
            b"old a",
            "a replaced file is restored to what it was"
        );
        assert!(
            !b.exists(),
            "a file that did not exist before is removed again"
        );
        assert!(!c.exists(), "the failed output is not there");
        let left: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(
            left,
            vec!["a.pdf".to_string()],
            "nothing else is left behind"
        );
    }

    #[test]
    fn temporary_names_never_take_a_users_file() {
        let dir = tempfile::tempdir().unwrap();
        let mine = dir.path().join(".r.pdf.partial");
        std::fs::write(&mine, b"the user's own").unwrap();
        let r = dir.path().join("r.pdf");
        check(&[out(&r, Replace::Any)], None, &[])
            .unwrap()
            .write(vec![Fill::Bytes(b"report")])
            .unwrap();
        assert_eq!(
            std::fs::read(&r).unwrap(),
            b"report",
            "temporary names never take a users file"
        );
        assert_eq!(
            std::fs::read(&mine).unwrap(),
            b"the user's own",
            "a user's .NAME.partial must survive"
        );
    }

    #[test]
    fn an_input_under_another_name_is_not_an_output() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("ledger.csv");
        std::fs::write(&input, b"a,b\n").unwrap();
        let other = dir.path().join("same-ledger.csv");
        std::fs::hard_link(&input, &other).unwrap();
        let err = check(&[out(&other, Replace::Any)], None, &[&input]).unwrap_err();
        assert_eq!(
            err.code, "OUTPUT_IS_INPUT",
            "a hard link is the same file: {err:?}"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_is_refused_before_it_is_opened() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe");
        let ok = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(ok.success(), "a fifo is refused before it is opened");
        let err = read(&fifo, Input::Import).unwrap_err();
        assert_eq!(
            err.code, "INPUT_NOT_A_FILE",
            "a fifo is refused before it is opened"
        );
        assert!(
            err.message(lingtan_core::Lang::En).contains("FIFO"),
            "says what it is: {}",
            err
        );
        let err = check(&[out(&fifo, Replace::Any)], None, &[]).unwrap_err();
        assert_eq!(err.code, "OUTPUT_NOT_A_FILE", "never written over: {err:?}");
    }
}
