//! Problems found while computing, as data: a stable code, a severity, where, and the message in
//! Chinese and English. The user sees all of them at once.

use serde::Serialize;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The figure is wrong or missing until this is fixed.
    Error,
    /// The figure is computed, but a reviewer must know this.
    Warning,
    /// Disclosure: how a figure was obtained.
    Info,
}

impl Severity {
    pub fn code(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// The language of messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    Zh,
    #[default]
    En,
}

impl Lang {
    pub fn parse(text: &str) -> Option<Lang> {
        let t = text.trim().to_ascii_lowercase();
        if t.starts_with("zh") {
            Some(Lang::Zh)
        } else if t.starts_with("en") {
            Some(Lang::En)
        } else {
            None
        }
    }

    /// Pick the text for this language.
    pub fn pick<'a>(self, en: &'a str, zh: &'a str) -> &'a str {
        match self {
            Lang::En => en,
            Lang::Zh => zh,
        }
    }
}

/// One problem or disclosure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Issue {
    /// Stable, e.g. `FACTOR_MISSING`.
    pub code: &'static str,
    pub severity: Severity,
    /// Where: `source 'Diesel - forklifts' at site 'Anji plant'`.
    #[serde(rename = "where")]
    pub place: String,
    pub en: String,
    pub zh: String,
}

impl Issue {
    pub fn new(
        code: &'static str,
        severity: Severity,
        place: String,
        en: String,
        zh: String,
    ) -> Issue {
        Issue {
            code,
            severity,
            place,
            en,
            zh,
        }
    }

    pub fn message(&self, lang: Lang) -> &str {
        lang.pick(&self.en, &self.zh)
    }
}

impl fmt::Display for Issue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} [{}] {}: {}",
            self.severity.code(),
            self.code,
            self.place,
            self.en
        )
    }
}
