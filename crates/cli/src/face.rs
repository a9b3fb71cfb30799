//! What every command shares: the language, the clock, opening a project, printing a refusal,
//! and the one writer of standard output.

use lingtan::core::Lang;
use lingtan::{Clock, Project};
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

pub fn lang_from_env(flag: Option<&str>) -> Lang {
    if let Some(lang) = flag.and_then(Lang::parse) {
        return lang;
    }
    for var in ["LINGTAN_LANG", "LC_ALL", "LC_MESSAGES", "LANG"] {
        if let Ok(value) = std::env::var(var) {
            if value.is_empty() {
                continue;
            }
            return if value.to_ascii_lowercase().starts_with("zh") {
                Lang::Zh
            } else {
                Lang::En
            };
        }
    }
    Lang::En
}

/// The clock: the computer's, or LINGTAN_NOW when set (checked once, in `main`).
pub static CLOCK: std::sync::OnceLock<Clock> = std::sync::OnceLock::new();

pub fn clock() -> Clock {
    CLOCK
        .get_or_init(|| lingtan::clock_from_env().unwrap_or_else(|_| Arc::new(String::new)))
        .clone()
}

/// A refusal, printed in the chosen language with its code and field.
pub struct Refusal(pub lingtan::Error);

/// A refusal's message as the command line words it: fields as flags, actions as commands.
/// The words are core's ([`lingtan::Ref::command_line`]: `Field::flag`, `Action::command`), as
/// the documents made from a project (the `--json` output, the report) print them too.
pub fn message(e: &lingtan::Error, lang: Lang) -> String {
    e.words(lang).command_line(lang)
}

pub fn refuse(lang: Lang, e: &lingtan::Error) -> ExitCode {
    let label = lang.pick("error", "错误");
    let field = e
        .field
        .map(|f| format!(" ({})", f.code()))
        .unwrap_or_default();
    // the message's own lines are kept; anything else that could change the output is escaped
    let message: Vec<String> = message(e, lang)
        .split('\n')
        .map(|l| crate::text::p(l).into_owned())
        .collect();
    eprintln!("{label}[{}]{field}: {}", e.code, message.join("\n"));
    eprintln!(
        "{}",
        lang.pick(
            "nothing was changed in the project file",
            "项目文件未作任何修改"
        )
    );
    ExitCode::from(1)
}

/// Open a project to change it; an upgrade of an older file is said on stderr.
pub fn open(path: &Path) -> Result<Project, Refusal> {
    let p = Project::open(path, clock()).map_err(Refusal)?;
    if let Some(from) = p.upgraded_from() {
        let lang = lang_from_env(LANG_FLAG.get().and_then(|l| l.as_deref()));
        eprintln!(
            "{}",
            match lang {
                Lang::En => format!(
                    "note: {} was upgraded from schema {from} to {} (logged in its audit log)",
                    path.display(),
                    lingtan::SCHEMA_VERSION
                ),
                Lang::Zh => format!(
                    "注意：{} 已从结构版本 {from} 升级到 {}（已记入审计日志）",
                    path.display(),
                    lingtan::SCHEMA_VERSION
                ),
            }
        );
    }
    Ok(p)
}

/// Open a project only to read it: the file is opened read-only and stays byte-identical.
pub fn open_ro(path: &Path) -> Result<Project, Refusal> {
    Project::open_for(path, clock(), lingtan::Access::Read).map_err(Refusal)
}

/// The `--lang` flag, for messages printed outside `run`.
pub static LANG_FLAG: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();

pub fn print_json(value: &serde_json::Value) -> anyhow::Result<()> {
    outln!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

/// Set when the reader of stdout has gone (`lingtan audit P | head -1`): the rest of the output
/// is dropped quietly and the command ends as it would have.
pub static STDOUT_CLOSED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Another failure to write stdout (a full disk): said once, at the end, with exit status 1.
pub static STDOUT_FAILED: std::sync::Mutex<Option<String>> = std::sync::Mutex::new(None);

/// The one place the command writes to stdout (through `out!` and `outln!`).
pub fn write_out(args: std::fmt::Arguments<'_>, newline: bool) {
    use std::io::Write as _;
    use std::sync::atomic::Ordering;
    if STDOUT_CLOSED.load(Ordering::Relaxed) {
        return;
    }
    let mut o = std::io::stdout().lock();
    let written = o
        .write_fmt(args)
        .and_then(|_| if newline { o.write_all(b"\n") } else { Ok(()) });
    if let Err(e) = written {
        output_failed(e);
    }
}

pub fn output_failed(e: std::io::Error) {
    use std::sync::atomic::Ordering;
    STDOUT_CLOSED.store(true, Ordering::Relaxed);
    if e.kind() != std::io::ErrorKind::BrokenPipe {
        if let Ok(mut failed) = STDOUT_FAILED.lock() {
            failed.get_or_insert_with(|| e.to_string());
        }
    }
}

pub enum RunError {
    Refused(lingtan::Error),
    Other(anyhow::Error),
}

impl From<lingtan::Error> for RunError {
    fn from(e: lingtan::Error) -> Self {
        RunError::Refused(e)
    }
}

impl From<Refusal> for RunError {
    fn from(e: Refusal) -> Self {
        RunError::Refused(e.0)
    }
}

impl From<anyhow::Error> for RunError {
    fn from(e: anyhow::Error) -> Self {
        RunError::Other(e)
    }
}

impl From<serde_json::Error> for RunError {
    fn from(e: serde_json::Error) -> Self {
        RunError::Other(e.into())
    }
}
