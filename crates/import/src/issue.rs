//! Problems found in a file, as data: a stable code, a severity, the message in English and
//! Chinese, and where — sheet, 1-based row, column header and A1 cell — so the user can go
//! straight to it.

use lingtan_core::error::Words;
use lingtan_core::{Lang, Severity};
use serde::Serialize;

/// One problem in a file. Its message is [`Words`], as a refusal's is: an option the person
/// gives (the sheet, the multiplier) is a reference each face renders its own way.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportIssue {
    pub code: &'static str,
    pub severity: Severity,
    #[serde(serialize_with = "lingtan_core::issue::words_en")]
    pub en: Words,
    #[serde(serialize_with = "lingtan_core::issue::words_zh")]
    pub zh: Words,
    pub sheet: Option<String>,
    /// 1-based sheet row
    pub row: Option<u32>,
    /// The column's header as written (or its letters when there is no header)
    pub column: Option<String>,
    /// A1 address, e.g. `G9`
    pub cell: Option<String>,
}

impl ImportIssue {
    /// The import was cancelled (by the person, through a watch): nothing is written.
    pub fn cancelled(file: &str) -> ImportIssue {
        ImportIssue::file(
            "IMPORT_CANCELLED",
            format!("{file}: the import was cancelled; nothing was written"),
            format!("{file}：导入已取消；未写入任何数据"),
        )
    }

    /// A problem with the whole file.
    pub fn file(code: &'static str, en: impl Into<Words>, zh: impl Into<Words>) -> ImportIssue {
        ImportIssue {
            code,
            severity: Severity::Error,
            en: en.into(),
            zh: zh.into(),
            sheet: None,
            row: None,
            column: None,
            cell: None,
        }
    }

    /// A problem with a whole sheet.
    pub fn on_sheet(
        code: &'static str,
        severity: Severity,
        sheet: &str,
        en: impl Into<Words>,
        zh: impl Into<Words>,
    ) -> ImportIssue {
        ImportIssue {
            sheet: Some(sheet.to_string()),
            severity,
            ..ImportIssue::file(code, en, zh)
        }
    }

    /// The same issue with another severity.
    pub fn with_severity(self, severity: Severity) -> ImportIssue {
        ImportIssue { severity, ..self }
    }

    /// The message in `lang`, for a face to render.
    pub fn words(&self, lang: Lang) -> &Words {
        match lang {
            Lang::En => &self.en,
            Lang::Zh => &self.zh,
        }
    }

    /// The message in `lang` as the command line words it (`lingtan_core::Issue::message`).
    pub fn message(&self, lang: Lang) -> String {
        self.words(lang).command_line(lang)
    }

    /// `Sheet1!G9` style location, or the sheet, or nothing.
    pub fn location(&self) -> String {
        match (&self.sheet, &self.cell, self.row) {
            (Some(s), Some(c), _) => format!("{s}!{c}"),
            (Some(s), None, Some(r)) => format!("{s}!{r}:{r}"),
            (Some(s), None, None) => s.clone(),
            _ => String::new(),
        }
    }
}
