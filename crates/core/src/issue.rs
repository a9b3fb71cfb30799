//! Problems found while computing, as data: a stable code, a severity, where, and the message in
//! Chinese and English. The user sees all of them at once.
//!
//! A message is [`Words`], as a refusal's is: where it tells the person what to set or do, it
//! holds a reference to the field or the action (`Field::Grid`, `Action::ListFactors`), never a
//! command-line flag or a screen's name, and each face renders the reference its own way.

use crate::error::Words;
use serde::{Serialize, Serializer};
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
    #[serde(serialize_with = "words_en")]
    pub en: Words,
    #[serde(serialize_with = "words_zh")]
    pub zh: Words,
}

impl Issue {
    /// An issue; a message is plain text (`String`, `&str`) or [`Words`] made with
    /// [`words!`](crate::words).
    pub fn new(
        code: &'static str,
        severity: Severity,
        place: String,
        en: impl Into<Words>,
        zh: impl Into<Words>,
    ) -> Issue {
        Issue {
            code,
            severity,
            place,
            en: en.into(),
            zh: zh.into(),
        }
    }

    /// The message in `lang`, for a face to render.
    pub fn words(&self, lang: Lang) -> &Words {
        match lang {
            Lang::En => &self.en,
            Lang::Zh => &self.zh,
        }
    }

    /// The message in `lang` as the command line and the documents made from a project (its
    /// `--json`, the report) word it: fields as flags, actions as commands
    /// ([`Words::command_line`]). A window renders [`Issue::words`] with its own face.
    pub fn message(&self, lang: Lang) -> String {
        self.words(lang).command_line(lang)
    }
}

/// A message in English as the command line words it (what `serde` writes for it).
pub fn words_en<S: Serializer>(w: &Words, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&w.command_line(Lang::En))
}

/// A message in Chinese as the command line words it (what `serde` writes for it).
pub fn words_zh<S: Serializer>(w: &Words, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&w.command_line(Lang::Zh))
}

impl fmt::Display for Issue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} [{}] {}: {}",
            self.severity.code(),
            self.code,
            self.place,
            self.en.command_line(Lang::En)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{Action, Field, Part, Ref};

    #[test]
    fn an_issue_keeps_its_references_and_the_command_line_words_them_as_flags() {
        let i = Issue::new(
            "FACTOR_UNVERIFIED",
            Severity::Warning,
            "Plant / Boiler".into(),
            crate::words![
                "set its ",
                Field::Grid,
                "; see ",
                Ref::ActionOn(Action::ListFactors, "X-1".into())
            ],
            "plain text still works",
        );
        assert_eq!(
            i.message(Lang::En),
            "set its --grid; see `lingtan factors --search X-1`",
            "the command line (and the documents) word a field as its flag, an action as its command"
        );
        assert_eq!(
            i.en.plain(Lang::En),
            "set its grid; see the list of factors (X-1)",
            "without a face, a field is its code and an action its name"
        );
        assert!(
            i.en.parts()
                .iter()
                .all(|p| !matches!(p, Part::Text(t) if t.contains("--"))),
            "the message itself holds no flag text"
        );
        assert_eq!(
            i.message(Lang::Zh),
            "plain text still works",
            "a plain string is a message"
        );
    }
}
