//! lingtan-report: the GHG inventory report.
//!
//! Data first, renderers second: [`data::Data`] gathers everything from the project once,
//! [`doc::build`] turns it into a typed document (headings, paragraphs, field lists, tables,
//! charts) in the chosen language, and the renderers write it out — [`text`] as plain text (what
//! golden tests compare), [`pdf`] as the certifier's PDF, [`xlsx`] as the auditor's workbook with
//! live formulas (built from the data, not the document, so every figure is a formula over the
//! activity data and factors). Nothing comes from the clock: the same project gives the same
//! bytes.

pub mod chart;
pub mod data;
pub mod doc;
pub mod font;
pub mod layout;
pub mod pdf;
pub mod text;
pub mod xlsx;

use std::path::{Path, PathBuf};

/// The report's language: Chinese, English, or both side by side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Zh,
    En,
    Both,
}

impl Lang {
    pub fn parse(text: &str) -> Option<Lang> {
        match text.trim().to_ascii_lowercase().as_str() {
            "zh" | "zh-cn" | "cn" | "中文" => Some(Lang::Zh),
            "en" | "english" => Some(Lang::En),
            "zh+en" | "en+zh" | "both" | "bilingual" => Some(Lang::Both),
            _ => None,
        }
    }

    /// One text in this language; both joined by " / " (for headings and inline text).
    pub fn pick(self, en: &str, zh: &str) -> String {
        match self {
            Lang::Zh => zh.to_string(),
            Lang::En => en.to_string(),
            Lang::Both if en == zh => en.to_string(),
            Lang::Both => format!("{zh} / {en}"),
        }
    }

    /// One text in this language; both on two lines (for table headers and labels).
    pub fn stack(self, en: &str, zh: &str) -> String {
        match self {
            Lang::Both if en != zh => format!("{zh}\n{en}"),
            _ => self.pick(en, zh),
        }
    }
}

/// A report problem: a stable code, the field it concerns, and the message in both languages.
#[derive(Debug, Clone, PartialEq)]
pub struct Error {
    pub code: &'static str,
    pub field: String,
    pub en: String,
    pub zh: String,
}

impl Error {
    pub fn new(code: &'static str, field: &str, en: String, zh: String) -> Error {
        Error {
            code,
            field: field.to_string(),
            en,
            zh,
        }
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} / {}", self.en, self.zh)
    }
}

impl std::error::Error for Error {}

impl From<lingtan::Error> for Error {
    fn from(e: lingtan::Error) -> Error {
        Error {
            code: e.code,
            field: e.field.clone().unwrap_or_default(),
            en: e.message(lingtan_core::Lang::En).to_string(),
            zh: e.message(lingtan_core::Lang::Zh).to_string(),
        }
    }
}

pub type Result<T> = std::result::Result<T, Error>;

/// What `lingtan report` is asked for.
#[derive(Debug, Clone)]
pub struct Options {
    pub year: Option<i32>,
    pub lang: Lang,
    pub pdf: Option<PathBuf>,
    pub xlsx: Option<PathBuf>,
}

/// What was made: the plain text, the files written with their sizes, and what the user should
/// know about them (characters the PDF font cannot print).
#[derive(Debug, Clone)]
pub struct Made {
    pub text: String,
    pub files: Vec<(PathBuf, usize)>,
    pub warnings: Vec<Error>,
}

/// Make the report: check the outputs, gather the data, render, write each file whole.
pub fn make(project: &lingtan::Project, project_path: &Path, options: &Options) -> Result<Made> {
    // every output is checked before any work, so nothing is written when one is wrong
    if let Some(p) = &options.pdf {
        check_output(p, project_path, "pdf")?;
    }
    if let Some(x) = &options.xlsx {
        check_output(x, project_path, "xlsx")?;
    }
    if let (Some(p), Some(x)) = (&options.pdf, &options.xlsx) {
        if same_file(p, x) {
            return Err(Error::new(
                "OUTPUT_TWICE",
                "pdf",
                format!(
                    "--pdf and --xlsx are the same file ({}); give each its own name",
                    p.display()
                ),
                format!(
                    "--pdf 与 --xlsx 是同一个文件（{}）；请分别命名",
                    p.display()
                ),
            ));
        }
    }
    let data = data::Data::gather(project, options.year)?;
    let doc = doc::build(&data, options.lang);
    let text = text::render(&doc);
    // render everything first, then write: a failure leaves no file behind
    let mut out: Vec<(PathBuf, Vec<u8>, &str)> = Vec::new();
    let mut warnings = Vec::new();
    if let Some(p) = &options.pdf {
        let rendered = pdf::render(&doc)?;
        if !rendered.missing.is_empty() {
            let list = |in_: &str| {
                rendered
                    .missing
                    .iter()
                    .map(|(c, text)| format!("{c} (U+{:04X}) {in_} “{text}”", *c as u32))
                    .collect::<Vec<_>>()
                    .join("; ")
            };
            warnings.push(Error::new(
                "PDF_MISSING_GLYPH",
                "pdf",
                format!(
                    "the PDF font has no glyph for {}: printed as □; change that name in the project if it matters",
                    list("in")
                ),
                format!(
                    "PDF 字体中没有以下字符的字形：{}；以 □ 代替，如有必要请在项目中修改该名称",
                    list("见于")
                ),
            ));
        }
        out.push((p.clone(), rendered.bytes, "pdf"));
    }
    if let Some(x) = &options.xlsx {
        out.push((x.clone(), xlsx::render(&data, options.lang)?, "xlsx"));
    }
    let mut files = Vec::new();
    for (path, bytes, what) in out {
        write_atomically(&path, &bytes, what)?;
        files.push((path, bytes.len()));
    }
    Ok(Made {
        text,
        files,
        warnings,
    })
}

fn same_file(a: &Path, b: &Path) -> bool {
    let full = |p: &Path| {
        let name = p.file_name().map(|n| n.to_os_string());
        let dir = match p.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        (std::fs::canonicalize(dir).ok(), name)
    };
    a == b || full(a) == full(b)
}

/// Check an output path before any work: it must not be the project file itself, and its
/// directory must exist.
pub fn check_output(out: &Path, project: &Path, what: &str) -> Result<()> {
    let same = match (std::fs::canonicalize(out), std::fs::canonicalize(project)) {
        (Ok(a), Ok(b)) => a == b,
        _ => out == project,
    };
    if same {
        return Err(Error::new(
            "OUTPUT_IS_PROJECT",
            what,
            format!(
                "--{what} {}: that is the project file itself; choose another file name",
                out.display()
            ),
            format!(
                "--{what} {}：这是项目文件本身；请换一个文件名",
                out.display()
            ),
        ));
    }
    let dir = match out.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if !dir.is_dir() {
        return Err(Error::new(
            "OUTPUT_UNWRITABLE",
            what,
            format!(
                "--{what} {}: the folder {} does not exist",
                out.display(),
                dir.display()
            ),
            format!(
                "--{what} {}：文件夹 {} 不存在",
                out.display(),
                dir.display()
            ),
        ));
    }
    Ok(())
}

/// Write a file whole or not at all: into a temporary file beside it, then renamed over it.
pub fn write_atomically(out: &Path, bytes: &[u8], what: &str) -> Result<()> {
    let fail = |e: std::io::Error| {
        Error::new(
            "OUTPUT_UNWRITABLE",
            what,
            format!("--{what} {}: cannot write the file: {e}", out.display()),
            format!("--{what} {}：无法写入文件：{e}", out.display()),
        )
    };
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "report".into());
    let tmp = out.with_file_name(format!(".{name}.partial"));
    let written = std::fs::write(&tmp, bytes).and_then(|_| std::fs::rename(&tmp, out));
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(fail(e));
    }
    Ok(())
}
