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
pub mod offset;
pub mod pdf;
pub mod reduction;
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

/// Make the report: check the outputs, gather the data, render, then write the files through the
/// workbench's one writer ([`lingtan::files`]): every output is checked before any work, and the
/// files land all together or not at all.
pub fn make(project: &lingtan::Project, project_path: &Path, options: &Options) -> Result<Made> {
    use lingtan::files::{Fill, Output, Replace};
    let mut outputs = Vec::new();
    if let Some(p) = &options.pdf {
        outputs.push(Output::new(p, Some("pdf"), Replace::Any));
    }
    if let Some(x) = &options.xlsx {
        outputs.push(Output::new(x, Some("xlsx"), Replace::Any));
    }
    let checked = lingtan::files::check(&outputs, Some(project_path), &[])?;
    let data = data::Data::gather(project, options.year)?;
    let doc = doc::build(&data, options.lang);
    let text = text::render(&doc);
    // render everything first, then write: a failure leaves no file behind
    let mut rendered: Vec<Vec<u8>> = Vec::new();
    let mut warnings = Vec::new();
    if options.pdf.is_some() {
        let pdf = pdf::render(&doc)?;
        if !pdf.missing.is_empty() {
            let list = |in_: &str| {
                pdf.missing
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
        rendered.push(pdf.bytes);
    }
    if options.xlsx.is_some() {
        rendered.push(xlsx::render(&data, options.lang)?);
    }
    let written = checked.write(rendered.iter().map(|b| Fill::Bytes(b)).collect())?;
    Ok(Made {
        text,
        files: written
            .into_iter()
            .map(|w| (w.path, w.bytes as usize))
            .collect(),
        warnings,
    })
}
