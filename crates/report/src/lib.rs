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
pub mod claim;
pub mod data;
pub mod doc;
pub mod dossier;
pub mod font;
pub mod layout;
pub mod offset;
pub mod pdf;
pub mod reduction;
pub mod text;
pub mod xlsx;

pub use lingtan_core::Lang;

/// The languages of a report: one ([`Lang`]), or Chinese and English side by side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Langs {
    One(Lang),
    Both,
}

impl From<Lang> for Langs {
    fn from(lang: Lang) -> Langs {
        Langs::One(lang)
    }
}

impl Langs {
    pub fn parse(text: &str) -> Option<Langs> {
        match text.trim().to_ascii_lowercase().as_str() {
            "zh" | "zh-cn" | "cn" | "中文" => Some(Langs::One(Lang::Zh)),
            "en" | "english" => Some(Langs::One(Lang::En)),
            "zh+en" | "en+zh" | "both" | "bilingual" => Some(Langs::Both),
            _ => None,
        }
    }

    /// One text in this language; both joined by " / " (for headings and inline text).
    pub fn pick(self, en: &str, zh: &str) -> String {
        match self {
            Langs::One(lang) => lang.pick(en, zh).to_string(),
            Langs::Both if en == zh => en.to_string(),
            Langs::Both => format!("{zh} / {en}"),
        }
    }

    /// One text in this language; both on two lines (for table headers and labels).
    pub fn stack(self, en: &str, zh: &str) -> String {
        match self {
            Langs::Both if en != zh => format!("{zh}\n{en}"),
            _ => self.pick(en, zh),
        }
    }
}

/// A report problem, in the one error shape of every layer: a stable code, the field it concerns,
/// and the message in both languages.
pub use lingtan_core::error::{Error, Field};

pub type Result<T> = std::result::Result<T, Error>;

/// What a report is rendered as: always its text; the PDF and the workbook when asked for.
#[derive(Debug, Clone)]
pub struct Rendered {
    pub text: String,
    pub pdf: Option<Vec<u8>>,
    pub xlsx: Option<Vec<u8>>,
    /// What the user should know about the files (characters the PDF font cannot print).
    pub warnings: Vec<Error>,
}

/// Render the report of `data` in `lang`: the text always, the PDF and the workbook when asked.
/// Nothing is written here: the workbench (`lingtan::Project::export`) gathers the data and
/// writes the files.
pub fn render(data: &data::Data, lang: Langs, pdf: bool, xlsx: bool) -> Result<Rendered> {
    render_doc(data, doc::build(data, lang), lang, pdf, xlsx)
}

/// Render the dossier's documents: `dossier.pdf` (the claim's documents, when given, then the
/// report: [`dossier::document`]), its text, and the report's workbook.
pub fn render_dossier(
    data: &data::Data,
    claim: Option<&claim::ClaimDocs>,
    lang: Langs,
) -> Result<Rendered> {
    render_doc(data, dossier::document(data, claim, lang), lang, true, true)
}

fn render_doc(
    data: &data::Data,
    doc: doc::Document,
    lang: Langs,
    pdf: bool,
    xlsx: bool,
) -> Result<Rendered> {
    let text = text::render(&doc);
    let mut warnings = Vec::new();
    let pdf = if pdf {
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
                Field::Pdf,
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
        Some(pdf.bytes)
    } else {
        None
    };
    let xlsx = if xlsx {
        Some(xlsx::render(data, lang)?)
    } else {
        None
    };
    Ok(Rendered {
        text,
        pdf,
        xlsx,
        warnings,
    })
}
