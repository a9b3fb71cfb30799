//! The workbench's refusals.

use lingtan_core::Lang;
use lingtan_store::StoreError;
use serde::Serialize;

/// A refusal: a stable code, the field it concerns, and the message in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Error {
    pub code: &'static str,
    pub field: Option<String>,
    pub en: String,
    pub zh: String,
}

impl Error {
    pub fn new(
        code: &'static str,
        field: impl Into<Option<String>>,
        en: impl Into<String>,
        zh: impl Into<String>,
    ) -> Error {
        Error {
            code,
            field: field.into(),
            en: en.into(),
            zh: zh.into(),
        }
    }

    pub fn message(&self, lang: Lang) -> &str {
        lang.pick(&self.en, &self.zh)
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.en)
    }
}

impl std::error::Error for Error {}

impl From<StoreError> for Error {
    fn from(e: StoreError) -> Error {
        Error {
            code: e.code(),
            field: None,
            zh: e.message_zh(),
            en: e.to_string(),
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
