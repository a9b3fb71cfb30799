//! lingtan-desktop: the Lingtan workbench as a desktop app (Tauri v2; the UI is in `../ui`).
//!
//! The Rust side holds the open project and does all the work through the `lingtan` API (the
//! same calls the `lingtan` command makes); the UI only asks and shows. Every edit goes straight
//! into the project file and its audit chain: there is no "save". What crosses to the UI is
//! defined in `lingtan-dto` (TypeScript generated from it), refusals cross as
//! `{code, field, message}` in the chosen language.
//!
//! Security: the page may call only the commands listed in [`run`]; it gets no file-system or
//! dialog permission. Files are chosen in native dialogs the Rust side opens
//! ([`commands::pick_file`]), or typed into a path field, and every path is checked here.

mod commands;
mod reduction;
mod settings;
mod view;

use lingtan::{Clock, Project};
use lingtan_core::Lang;
use lingtan_dto::ApiError;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, RwLock};

/// What the app holds while it runs.
pub struct Shared {
    pub(crate) lang: RwLock<Lang>,
    pub(crate) open: Mutex<Option<Open>>,
    pub(crate) settings: Mutex<settings::Settings>,
    /// The running import, if any: its cancel flag and the project's interrupt handle.
    pub(crate) import: Mutex<Option<commands::ImportJob>>,
    /// A sample project to offer on the start screen (opened as a copy).
    pub(crate) sample: Option<PathBuf>,
    /// Files the app wrote (exports): the only ones `open_file` opens.
    pub(crate) exported: Mutex<Vec<PathBuf>>,
    /// Where a file dropped on the window goes (the UI registers it with `watch_drops`).
    pub(crate) drops: Mutex<Option<tauri::ipc::Channel<String>>>,
    /// The clock `lingtan` gives the command line too: the computer's, or the time `LINGTAN_NOW`
    /// fixes. An invalid `LINGTAN_NOW` is refused here as there: [`Shared::clock`] says so to
    /// every action that would record a time, and nothing is written.
    pub(crate) clock: Result<Clock, lingtan::Error>,
}

/// The open project and what is derived from it, dropped at every edit.
pub struct Open {
    pub(crate) project: Project,
    pub(crate) cache: view::Cache,
}

impl Shared {
    pub(crate) fn lang(&self) -> Lang {
        self.lang.read().map(|l| *l).unwrap_or(Lang::Zh)
    }

    /// The open project, or `NO_PROJECT`.
    pub(crate) fn open(&self) -> Result<MutexGuard<'_, Option<Open>>, ApiError> {
        let guard = self.open.lock().map_err(|_| self.poisoned())?;
        if guard.is_none() {
            return Err(self.err(
                "NO_PROJECT",
                None,
                "No project is open: open or create one first.",
                "尚未打开项目：请先打开或新建项目。",
            ));
        }
        Ok(guard)
    }

    /// The clock, or the refusal of an invalid `LINGTAN_NOW` (in the chosen language).
    pub(crate) fn clock(&self) -> Result<Clock, ApiError> {
        self.clock.clone().map_err(|e| self.api(e))
    }

    pub(crate) fn err(&self, code: &str, field: Option<&str>, en: &str, zh: &str) -> ApiError {
        ApiError {
            code: code.to_string(),
            field: field.map(String::from),
            message: self.lang().pick(en, zh).to_string(),
        }
    }

    pub(crate) fn poisoned(&self) -> ApiError {
        self.err(
            "INTERNAL",
            None,
            "An earlier operation failed inside the app; restart Lingtan (the project file is safe: every edit is written in one transaction).",
            "应用内部的上一操作失败；请重新启动 Lingtan（项目文件是安全的：每次修改都在一个事务中写入）。",
        )
    }

    /// A `lingtan` refusal in the chosen language.
    pub(crate) fn api(&self, e: lingtan::Error) -> ApiError {
        ApiError {
            code: e.code.to_string(),
            field: e.field.as_deref().map(form_field),
            message: without_cli(&without_flag(e.message(self.lang()))),
        }
    }
}

/// Some refusals also say what to type at the command line ("(--reduction 42)", "change it with
/// `measure set`"); in a window that means nothing. A parenthesis that names a flag or a command
/// goes; a clause (after "; " or "；") that names a command goes with what follows it.
pub(crate) fn without_cli(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(open) = rest.find(['(', '（']) {
        let close_char = if rest[open..].starts_with('(') {
            ')'
        } else {
            '）'
        };
        let Some(len) = rest[open..].find(close_char) else {
            break;
        };
        let group = &rest[open..open + len + close_char.len_utf8()];
        if group.contains("--") || group.contains('`') {
            out.push_str(rest[..open].trim_end());
        } else {
            out.push_str(&rest[..open + group.len()]);
        }
        rest = &rest[open + group.len()..];
    }
    out.push_str(rest);
    if let Some(tick) = out.find('`') {
        let head = &out[..tick];
        let cut = [head.rfind("; "), head.rfind('；')]
            .into_iter()
            .flatten()
            .max();
        if let Some(cut) = cut {
            out.truncate(cut);
        }
    }
    out.trim_end().to_string()
}

/// `lingtan` names fields as the command line does (`base-year`, `qty`); the UI's forms use the
/// DTOs' names, so an error finds its field.
pub(crate) fn form_field(field: &str) -> String {
    match field {
        "base-year" => "baseYear",
        "report-date" => "reportDate",
        "market-factor" => "marketFactor",
        "qty" => "quantity",
        "target-year" => "targetYear",
        "discount-rate" => "discountRate",
        "carbon-price" => "carbonPrice",
        "electricity-source" => "electricitySource",
        "fuel-source" => "fuelSource",
        "new-source" => "newSource",
        "refrigerant-source" => "refrigerantSource",
        // the file an import reads: the Import form's path field
        "file" => "path",
        other => other,
    }
    .to_string()
}

/// `lingtan` words its refusals for the command line ("--org: … is required"); shown next to a
/// field, the flag means nothing, so it is dropped ("--site 'X': …" keeps the value).
pub(crate) fn without_flag(message: &str) -> String {
    let Some(rest) = message.strip_prefix("--") else {
        return message.to_string();
    };
    let flag_len = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .unwrap_or(rest.len());
    let after = &rest[flag_len..];
    // "--org: text" → "text"; "--site 'X': text" → "Site 'X': text"
    let mut out = match after
        .strip_prefix(": ")
        .or_else(|| after.strip_prefix('：'))
    {
        Some(text) => text.to_string(),
        None => rest.to_string(),
    };
    if let Some(first) = out.chars().next() {
        if first.is_ascii_lowercase() {
            out.replace_range(..1, &first.to_ascii_uppercase().to_string());
        }
    }
    out
}

/// `lingtan-desktop [--sample FILE] [PROJECT]`
struct Args {
    sample: Option<PathBuf>,
    project: Option<PathBuf>,
}

fn args() -> Args {
    let mut args = Args {
        sample: None,
        project: None,
    };
    let mut it = std::env::args_os().skip(1);
    while let Some(a) = it.next() {
        if a == "--sample" {
            args.sample = it.next().map(PathBuf::from);
        } else if !a.to_string_lossy().starts_with('-') {
            args.project = Some(PathBuf::from(a));
        }
    }
    // a build tree keeps the sample next to the binary's folder (target/sample/sample.lingtan)
    if args.sample.is_none() {
        args.sample = std::env::var_os("LINGTAN_SAMPLE")
            .map(PathBuf::from)
            .or_else(|| {
                let exe = std::env::current_exe().ok()?;
                let candidate = exe.parent()?.parent()?.join("sample/sample.lingtan");
                candidate.is_file().then_some(candidate)
            });
    }
    args
}

pub fn run() {
    let args = args();
    let startup_project = args.project.clone();
    tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .setup(move |app| {
            use tauri::Manager;
            let config_dir = app.path().app_config_dir().ok();
            let data_dir = app.path().app_data_dir().ok();
            let settings = settings::Settings::load(config_dir, data_dir);
            let lang = settings.lang;
            app.manage(Shared {
                lang: RwLock::new(lang),
                open: Mutex::new(None),
                settings: Mutex::new(settings),
                import: Mutex::new(None),
                sample: args.sample.clone(),
                exported: Mutex::new(Vec::new()),
                drops: Mutex::new(None),
                clock: lingtan::clock_from_env().inspect_err(|e| {
                    eprintln!("lingtan-desktop: {}\nlingtan-desktop: {}", e.en, e.zh);
                }),
            });
            if let Some(path) = &startup_project {
                // a project named on the command line opens at once; a refusal leaves the start
                // screen, which shows it (the UI asks `app_state`)
                let shared = app.state::<Shared>();
                if let Err(e) = commands::open_path(app.handle(), &shared, path) {
                    eprintln!("lingtan-desktop: {}: {}", path.display(), e.message);
                }
            }
            Ok(())
        })
        .on_window_event(|window, event| {
            // a file dropped on the window: its path goes to the UI (the Import screen), which
            // needs no event permission for it
            use tauri::Manager;
            if let tauri::WindowEvent::DragDrop(tauri::DragDropEvent::Drop { paths, .. }) = event {
                let shared = window.state::<Shared>();
                let channel = shared.drops.lock().ok().and_then(|c| c.clone());
                if let (Some(channel), Some(path)) = (channel, paths.first()) {
                    let _ = channel.send(path.display().to_string());
                }
            }
        })
        .invoke_handler(tauri::generate_handler![
            commands::watch_drops,
            commands::app_state,
            commands::set_language,
            commands::pick_file,
            commands::open_project,
            commands::open_sample,
            commands::create_project,
            commands::close_project,
            commands::project_summary,
            commands::set_project_details,
            commands::sites,
            commands::add_site,
            commands::source_choices,
            commands::sources,
            commands::add_source,
            commands::factors,
            commands::records,
            commands::record_history,
            commands::save_record,
            commands::void_record,
            commands::record_months,
            commands::import_file,
            commands::import_cancel,
            commands::batches,
            commands::undo_import,
            commands::results,
            commands::drill,
            commands::readiness,
            commands::audit_log,
            commands::verify,
            commands::export_report,
            commands::open_file,
            commands::reduction,
            commands::outputs,
            commands::add_output,
            commands::add_target,
            commands::rebase_target,
            commands::measure_choices,
            commands::preview_measure,
            commands::save_measure,
            commands::reduction_settings,
            commands::set_reduction_settings,
        ])
        .run(tauri::generate_context!())
        .unwrap_or_else(|e| {
            eprintln!("lingtan-desktop: could not start the window: {e}");
            std::process::exit(1);
        });
}

/// The file's name for the title bar and lists.
pub(crate) fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

#[cfg(test)]
mod tests {
    use super::without_flag;

    #[test]
    fn refusals_lose_the_command_line_flag_but_keep_the_value() {
        assert_eq!(
            without_flag("--org: the organisation's name is required"),
            "The organisation's name is required"
        );
        assert_eq!(without_flag("--org：必须填写组织名称"), "必须填写组织名称");
        assert_eq!(
            without_flag("--site 'Annex': no such site"),
            "Site 'Annex': no such site"
        );
        assert_eq!(
            without_flag("--base-year 2030 is after the inventory year 2024"),
            "Base-year 2030 is after the inventory year 2024"
        );
        assert_eq!(
            without_flag("site name: must not be empty"),
            "site name: must not be empty"
        );
    }

    #[test]
    fn refusals_lose_what_to_type_at_the_command_line() {
        use super::without_cli;
        assert_eq!(
            without_cli("a target needs its ambition: a reduction in per cent (--reduction 42) or a pathway (--pathway sbti-1.5c)"),
            "a target needs its ambition: a reduction in per cent or a pathway"
        );
        assert_eq!(
            without_cli(
                "目标须给出减排幅度：百分比（--reduction 42）或路径（--pathway sbti-1.5c）"
            ),
            "目标须给出减排幅度：百分比或路径"
        );
        assert_eq!(
            without_cli("measure 'LED' already exists; change it with `measure set`"),
            "measure 'LED' already exists"
        );
        assert_eq!(
            without_cli("没有指标“产品”的产出记录；请先登记产出（`output add --metric …`）"),
            "没有指标“产品”的产出记录；请先登记产出",
            "the advice stays, the command goes"
        );
        assert_eq!(
            without_cli("hours = 9000 is outside (0, 8784]"),
            "hours = 9000 is outside (0, 8784]",
            "a parenthesis without a flag stays"
        );
    }

    #[test]
    fn errors_name_the_forms_fields() {
        use super::form_field;
        assert_eq!(form_field("base-year"), "baseYear");
        assert_eq!(form_field("qty"), "quantity");
        assert_eq!(form_field("market-factor"), "marketFactor");
        assert_eq!(form_field("file"), "path");
        assert_eq!(form_field("org"), "org");
    }
}
