//! What the app remembers between runs: the language and the recent projects. A small JSON file
//! in the app's config folder; a missing or unreadable file gives the defaults (Chinese, no
//! recent files), never an error at start.

use lingtan::core::Lang;
use std::path::{Path, PathBuf};

/// Recent projects kept.
const RECENT: usize = 8;

pub struct Settings {
    pub lang: Lang,
    pub recent: Vec<PathBuf>,
    file: Option<PathBuf>,
    /// Where copies of the sample project go.
    pub data_dir: Option<PathBuf>,
}

#[derive(serde::Serialize, serde::Deserialize, Default)]
struct Stored {
    lang: Option<String>,
    #[serde(default)]
    recent: Vec<PathBuf>,
}

impl Settings {
    pub fn load(config_dir: Option<PathBuf>, data_dir: Option<PathBuf>) -> Settings {
        let file = config_dir.map(|d| d.join("settings.json"));
        let stored: Stored = file
            .as_deref()
            .and_then(|f| std::fs::read(f).ok())
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default();
        Settings {
            lang: stored
                .lang
                .as_deref()
                .and_then(Lang::parse)
                .unwrap_or(Lang::Zh),
            recent: stored.recent,
            file,
            data_dir,
        }
    }

    /// Write the settings; a failure is reported on stderr only (the app works without them).
    pub fn save(&self) {
        let Some(file) = &self.file else { return };
        let stored = Stored {
            lang: Some(lang_code(self.lang).to_string()),
            recent: self.recent.clone(),
        };
        // through the one writer of files (a temporary file renamed into place)
        let write = || -> Result<(), String> {
            if let Some(dir) = file.parent() {
                std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
            }
            let bytes = serde_json::to_vec_pretty(&stored).unwrap_or_default();
            use lingtan::files::{check, Fill, Output, Replace};
            check(&[Output::new(file, None, Replace::Any)], None, &[])
                .and_then(|c| c.write(vec![Fill::Bytes(&bytes)]))
                .map(|_| ())
                .map_err(|e| e.message(Lang::En))
        };
        if let Err(e) = write() {
            eprintln!(
                "lingtan-desktop: cannot save settings to {}: {e}",
                file.display()
            );
        }
    }

    pub fn remember(&mut self, path: &Path) {
        let path = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
        self.recent.retain(|p| p != &path);
        self.recent.insert(0, path);
        self.recent.truncate(RECENT);
        self.save();
    }
}

pub fn lang_code(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "zh",
        Lang::En => "en",
    }
}
