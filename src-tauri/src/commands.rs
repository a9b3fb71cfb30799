//! The commands the UI may call. Each runs off the UI thread (async commands on Tauri's runtime,
//! the work itself in `spawn_blocking`), takes what the person typed as text, and answers with a
//! DTO or an `ApiError` naming the field.

use crate::view::{self, Cache};
use crate::{file_name, settings, Open, Shared};
use lingtan::import::{ImportOptions, Stage, Watch};
use lingtan::{ActivityEntry, NewProject, Project, SourceEntry};
use lingtan_dto::*;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use tauri::ipc::Channel;
use tauri::{AppHandle, Manager};

type Res<T> = Result<T, ApiError>;

/// A running import: what `import_cancel` needs.
pub struct ImportJob {
    cancel: Arc<AtomicBool>,
}

/// Run `f` on a blocking thread with the app's state.
async fn blocking<T: Send + 'static>(
    app: AppHandle,
    f: impl FnOnce(&AppHandle, &Shared) -> Res<T> + Send + 'static,
) -> Res<T> {
    let handle = app.clone();
    tauri::async_runtime::spawn_blocking(move || {
        let shared = handle.state::<Shared>();
        f(&handle, &shared)
    })
    .await
    .map_err(|_| {
        let shared = app.state::<Shared>();
        shared.poisoned()
    })?
}

/// Read the open project.
fn read<T>(shared: &Shared, f: impl FnOnce(&mut Open) -> Res<T>) -> Res<T> {
    let mut guard = shared.open()?;
    match guard.as_mut() {
        Some(open) => f(open),
        None => Err(shared.poisoned()),
    }
}

/// Change the open project; what was derived from it is dropped.
fn edit<T>(shared: &Shared, f: impl FnOnce(&mut Project) -> lingtan::Result<T>) -> Res<T> {
    let mut guard = shared.open()?;
    let Some(open) = guard.as_mut() else {
        return Err(shared.poisoned());
    };
    let out = f(&mut open.project).map_err(|e| shared.api(e));
    // even on a refusal: one call may make several changes before one is refused
    open.cache = Cache::default();
    out
}

fn busy(shared: &Shared) -> Res<()> {
    let running = shared.import.lock().map(|j| j.is_some()).unwrap_or(false);
    if running {
        return Err(shared.err(
            "BUSY",
            None,
            "An import is running: wait for it to finish or cancel it.",
            "正在导入：请等待完成或取消导入。",
        ));
    }
    Ok(())
}

fn opt(text: &Option<String>) -> Option<String> {
    text.as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(String::from)
}

// ------------------------------------------------------------------------------ app and files

#[tauri::command]
pub async fn app_state(app: AppHandle) -> Res<AppState> {
    blocking(app, |_, shared| {
        let recent = shared
            .settings
            .lock()
            .map(|s| s.recent.clone())
            .unwrap_or_default()
            .into_iter()
            .map(|p| RecentProject {
                name: file_name(&p),
                exists: p.is_file(),
                path: p.display().to_string(),
            })
            .collect();
        let project = match shared.open.lock() {
            Ok(g) => g
                .as_ref()
                .map(|o| view::summary(&o.project))
                .transpose()
                .map_err(|e| shared.api(e))?,
            Err(_) => None,
        };
        Ok(AppState {
            lang: settings::lang_code(shared.lang()).to_string(),
            recent,
            sample_available: shared.sample.as_ref().is_some_and(|p| p.is_file()),
            project,
            version: env!("CARGO_PKG_VERSION").to_string(),
        })
    })
    .await
}

#[tauri::command]
pub async fn set_language(app: AppHandle, lang: String) -> Res<()> {
    blocking(app, move |_, shared| {
        let Some(l) = lingtan::core::Lang::parse(&lang) else {
            return Err(shared.err(
                "BAD_LANG",
                Some("lang"),
                "Choose zh or en.",
                "请选择 zh 或 en。",
            ));
        };
        if let Ok(mut w) = shared.lang.write() {
            *w = l;
        }
        if let Ok(mut s) = shared.settings.lock() {
            s.lang = l;
            s.save();
        }
        if let Ok(mut g) = shared.open.lock() {
            if let Some(o) = g.as_mut() {
                // charts and messages are worded in the language
                o.cache.relabel();
            }
        }
        Ok(())
    })
    .await
}

/// Files dropped on the window are sent on `on_drop` (their paths), from now on.
#[tauri::command]
pub async fn watch_drops(app: AppHandle, on_drop: Channel<String>) -> Res<()> {
    blocking(app, move |_, shared| {
        if let Ok(mut d) = shared.drops.lock() {
            *d = Some(on_drop);
        }
        Ok(())
    })
    .await
}

/// A native open or save dialog, opened here (the page has no dialog permission). `None` when
/// the person closes it.
#[tauri::command]
pub async fn pick_file(app: AppHandle, request: DialogRequest) -> Res<Option<String>> {
    blocking(app, move |app, shared| {
        use tauri_plugin_dialog::DialogExt;
        let zh = shared.lang() == lingtan::core::Lang::Zh;
        let l = |en: &'static str, zh_text: &'static str| if zh { zh_text } else { en };
        let mut dialog = app.dialog().file();
        let save = match request.purpose.as_str() {
            "open-project" => {
                dialog = dialog
                    .set_title(l("Open a project", "打开项目"))
                    .add_filter(l("Lingtan project", "零碳项目"), &["lingtan"]);
                false
            }
            "save-project" => {
                dialog = dialog
                    .set_title(l("New project file", "新项目文件"))
                    .add_filter(l("Lingtan project", "零碳项目"), &["lingtan"]);
                true
            }
            "import" => {
                dialog = dialog
                    .set_title(l("Import bills or meter data", "导入账单或电表数据"))
                    .add_filter(
                        l("Spreadsheets", "电子表格"),
                        &["xlsx", "xlsm", "xls", "ods", "csv"],
                    );
                false
            }
            "evidence" => {
                dialog = dialog.set_title(l("Attach evidence", "附加凭证"));
                false
            }
            "import-eac" => {
                dialog = dialog
                    .set_title(l(
                        "Import a green-certificate platform export",
                        "导入绿证平台导出文件",
                    ))
                    .add_filter(
                        l("Spreadsheets", "电子表格"),
                        &["xlsx", "xlsm", "xls", "ods", "csv"],
                    );
                false
            }
            "save-pdf" => {
                dialog = dialog
                    .set_title(l("Save the PDF report", "保存 PDF 报告"))
                    .add_filter("PDF", &["pdf"]);
                true
            }
            "save-xlsx" => {
                dialog = dialog
                    .set_title(l("Save the workbook", "保存工作簿"))
                    .add_filter("Excel", &["xlsx"]);
                true
            }
            other => {
                return Err(shared.err(
                    "BAD_REQUEST",
                    Some("purpose"),
                    &format!("unknown dialog purpose '{other}'"),
                    &format!("未知的对话框用途“{other}”"),
                ))
            }
        };
        if let Some(name) = &request.suggested {
            dialog = dialog.set_file_name(name);
        }
        let picked = if save {
            dialog.blocking_save_file()
        } else {
            dialog.blocking_pick_file()
        };
        Ok(picked
            .and_then(|p| p.into_path().ok())
            .map(|p| p.display().to_string()))
    })
    .await
}

fn set_title(app: &AppHandle, summary: Option<&ProjectSummary>) {
    if let Some(window) = app.get_webview_window("main") {
        let title = match summary {
            Some(s) => format!("{} — {} · Lingtan 零碳", s.org, s.path),
            None => "Lingtan 零碳".to_string(),
        };
        let _ = window.set_title(&title);
    }
}

fn path_field(shared: &Shared, text: &str) -> Res<PathBuf> {
    let text = text.trim();
    if text.is_empty() {
        return Err(shared.err(
            "MISSING_FIELD",
            Some("path"),
            "Choose a file, or type its full path.",
            "请选择文件，或输入完整路径。",
        ));
    }
    Ok(PathBuf::from(text))
}

/// Open `path` as the project (used by `open_project` and the command line).
pub(crate) fn open_path(app: &AppHandle, shared: &Shared, path: &Path) -> Res<ProjectSummary> {
    busy(shared)?;
    let clock = shared.clock()?;
    // a file that cannot be opened is the path's fault: the message goes next to that field
    let project = Project::open(path, clock).map_err(|e| {
        let mut api = shared.api(e);
        api.field.get_or_insert_with(|| "path".to_string());
        api
    })?;
    let summary = view::summary(&project).map_err(|e| shared.api(e))?;
    let mut guard = shared.open.lock().map_err(|_| shared.poisoned())?;
    *guard = Some(Open {
        project,
        cache: Cache::default(),
    });
    drop(guard);
    if let Ok(mut s) = shared.settings.lock() {
        s.remember(path);
    }
    set_title(app, Some(&summary));
    Ok(summary)
}

#[tauri::command]
pub async fn open_project(app: AppHandle, path: String) -> Res<ProjectSummary> {
    blocking(app, move |app, shared| {
        let path = path_field(shared, &path)?;
        open_path(app, shared, &path)
    })
    .await
}

/// Open a copy of the sample project (the original stays as shipped). Each opening makes a new
/// copy under a new name, written by `lingtan`'s one writer (a consistent copy, never over an
/// existing file): an earlier copy, which may hold the person's own changes, is never replaced.
#[tauri::command]
pub async fn open_sample(app: AppHandle) -> Res<ProjectSummary> {
    blocking(app, move |app, shared| {
        busy(shared)?;
        let clock = shared.clock()?;
        let Some(sample) = shared.sample.clone().filter(|p| p.is_file()) else {
            return Err(shared.err(
                "NO_SAMPLE",
                None,
                "No sample project is installed with this copy of Lingtan (run `make run` in the source tree, or start with --sample FILE).",
                "此 Lingtan 未附带示例项目（请在源码目录运行 `make run`，或以 --sample FILE 启动）。",
            ));
        };
        let dir = shared
            .settings
            .lock()
            .ok()
            .and_then(|s| s.data_dir.clone())
            .unwrap_or_else(std::env::temp_dir)
            .join("samples");
        std::fs::create_dir_all(&dir).map_err(|e| {
            shared.err(
                "IO",
                None,
                &format!("cannot make the folder {} for the sample's copy: {e}", dir.display()),
                &format!("无法创建存放示例副本的文件夹 {}：{e}", dir.display()),
            )
        })?;
        let copy = sample_copy_name(&dir, &clock()).ok_or_else(|| {
            shared.err(
                "IO",
                None,
                &format!("{} holds too many copies of the sample made at this time", dir.display()),
                &format!("{} 中此时刻的示例副本过多", dir.display()),
            )
        })?;
        Project::open_for(&sample, clock, lingtan::Access::Read)
            .and_then(|p| p.backup(&copy))
            .map_err(|e| shared.api(e))?;
        open_path(app, shared, &copy)
    })
    .await
}

/// A name in `dir` for a new copy of the sample made at `now` (an RFC 3339 time from the clock):
/// `sample-20250315T090000.lingtan`, then `-2`, `-3` … when copies made at the same second are
/// there. `None` after 999 of them.
fn sample_copy_name(dir: &Path, now: &str) -> Option<PathBuf> {
    let stamp: String = now
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .take(15)
        .collect();
    (1..1000)
        .map(|n| match n {
            1 => dir.join(format!("sample-{stamp}.lingtan")),
            n => dir.join(format!("sample-{stamp}-{n}.lingtan")),
        })
        .find(|p| std::fs::symlink_metadata(p).is_err())
}

#[tauri::command]
pub async fn create_project(app: AppHandle, input: NewProjectInput) -> Res<ProjectSummary> {
    blocking(app, move |app, shared| {
        busy(shared)?;
        let mut path = path_field(shared, &input.path)?;
        if path.extension().is_none() {
            path.set_extension("lingtan");
        }
        let year = |field: &str, text: &str| -> Res<i32> {
            text.trim().parse::<i32>().map_err(|_| {
                shared.err(
                    "BAD_YEAR",
                    Some(field),
                    &format!("'{text}' is not a year: write it like 2024"),
                    &format!("“{text}”不是年份：请写成 2024 这样的形式"),
                )
            })
        };
        let new = NewProject {
            org: input.org.clone(),
            org_zh: opt(&input.org_zh),
            year: year("year", &input.year)?,
            base_year: opt(&input.base_year)
                .map(|b| year("baseYear", &b))
                .transpose()?,
            gwp: opt(&input.gwp),
            boundary: opt(&input.boundary),
        };
        let clock = shared.clock()?;
        // refusals without a field (the file exists, the folder is missing) concern the path
        let project = Project::create(&path, &new, clock).map_err(|e| {
            let mut api = shared.api(e);
            api.field.get_or_insert_with(|| "path".to_string());
            api
        })?;
        drop(project);
        open_path(app, shared, &path)
    })
    .await
}

#[tauri::command]
pub async fn close_project(app: AppHandle) -> Res<()> {
    blocking(app, |app, shared| {
        busy(shared)?;
        if let Ok(mut g) = shared.open.lock() {
            *g = None;
        }
        set_title(app, None);
        Ok(())
    })
    .await
}

#[tauri::command]
pub async fn project_summary(app: AppHandle) -> Res<ProjectSummary> {
    blocking(app, |_, shared| {
        read(shared, |o| {
            view::summary(&o.project).map_err(|e| shared.api(e))
        })
    })
    .await
}

#[tauri::command]
pub async fn set_project_details(
    app: AppHandle,
    input: ProjectDetailsInput,
) -> Res<ProjectSummary> {
    blocking(app, move |app, shared| {
        busy(shared)?;
        let summary = edit(shared, |p| {
            if let Some(b) = input.base_year.as_deref().map(str::trim) {
                if !b.is_empty() {
                    let year = b.parse::<i32>().map_err(|_| {
                        lingtan::Error::new(
                            "BAD_YEAR",
                            lingtan::Field::BaseYear,
                            format!("'{b}' is not a year: write it like 2024"),
                            format!("“{b}”不是年份：请写成 2024 这样的形式"),
                        )
                    })?;
                    p.set_base_year(year)?;
                }
            }
            if input.prepared_by.is_some() || input.report_date.is_some() {
                p.set_report_details(input.prepared_by.as_deref(), input.report_date.as_deref())?;
            }
            view::summary(p)
        })?;
        set_title(app, Some(&summary));
        Ok(summary)
    })
    .await
}

// ------------------------------------------------------------------------ sites and sources

#[tauri::command]
pub async fn sites(app: AppHandle) -> Res<Vec<SiteDto>> {
    blocking(app, |_, shared| {
        read(shared, |o| {
            view::sites(&o.project).map_err(|e| shared.api(e))
        })
    })
    .await
}

#[tauri::command]
pub async fn add_site(app: AppHandle, input: SiteInput) -> Res<SiteDto> {
    blocking(app, move |_, shared| {
        busy(shared)?;
        let site = edit(shared, |p| {
            p.add_site(
                &input.name,
                opt(&input.grid).as_deref(),
                opt(&input.address).as_deref(),
            )
        })?;
        Ok(SiteDto {
            id: site.id,
            name: site.name,
            grid_region: site.grid_region,
            address: site.address,
            sources: 0,
        })
    })
    .await
}

#[tauri::command]
pub async fn source_choices(app: AppHandle) -> Res<SourceChoices> {
    blocking(app, |_, shared| Ok(view::source_choices(shared.lang()))).await
}

#[tauri::command]
pub async fn sources(app: AppHandle) -> Res<Vec<SourceDto>> {
    blocking(app, |_, shared| {
        let lang = shared.lang();
        read(shared, |o| {
            view::sources(&o.project, &mut o.cache, lang).map_err(|e| shared.api(e))
        })
    })
    .await
}

#[tauri::command]
pub async fn add_source(app: AppHandle, input: SourceInput) -> Res<SourceDto> {
    blocking(app, move |_, shared| {
        busy(shared)?;
        let lang = shared.lang();
        let entry = SourceEntry {
            name: input.name.clone(),
            site: input.site.clone(),
            kind: input.kind.clone(),
            fuel: opt(&input.fuel),
            factor: opt(&input.factor),
            market_factor: opt(&input.market_factor),
            unit: opt(&input.unit),
            uncertainty: opt(&input.uncertainty),
        };
        let added = edit(shared, |p| p.add_source(&entry))?;
        read(shared, |o| {
            view::sources(&o.project, &mut o.cache, lang)
                .map_err(|e| shared.api(e))?
                .into_iter()
                .find(|s| s.id == added.id)
                .ok_or_else(|| shared.poisoned())
        })
    })
    .await
}

#[tauri::command]
pub async fn factors(app: AppHandle, search: Option<String>) -> Res<Vec<FactorDto>> {
    blocking(app, move |_, shared| {
        let lang = shared.lang();
        read(shared, |o| {
            let list = o
                .project
                .factors(opt(&search).as_deref())
                .map_err(|e| shared.api(e))?;
            Ok(list.iter().map(|f| view::factor(f, lang)).collect())
        })
    })
    .await
}

// -------------------------------------------------------------------------------- records

#[tauri::command]
pub async fn records(app: AppHandle, query: RecordQuery) -> Res<RecordPage> {
    blocking(app, move |_, shared| {
        read(shared, |o| {
            view::records(&o.project, &mut o.cache, &query).map_err(|e| shared.api(e))
        })
    })
    .await
}

#[tauri::command]
pub async fn record_months(app: AppHandle) -> Res<Vec<String>> {
    blocking(app, |_, shared| {
        read(shared, |o| {
            view::record_months(&o.project, &mut o.cache).map_err(|e| shared.api(e))
        })
    })
    .await
}

#[tauri::command]
pub async fn record_history(app: AppHandle, id: i64) -> Res<Vec<RecordVersion>> {
    blocking(app, move |_, shared| {
        read(shared, |o| {
            Ok(o.project
                .activity_history(id)
                .map_err(|e| shared.api(e))?
                .into_iter()
                .map(view::record_version)
                .collect())
        })
    })
    .await
}

/// Add a record, or correct record `id` (a new version with a reason; the old one is kept).
#[tauri::command]
pub async fn save_record(app: AppHandle, input: RecordInput) -> Res<RecordRow> {
    blocking(app, move |_, shared| {
        busy(shared)?;
        let entry = ActivityEntry {
            source: input.source.clone(),
            from: input.from.clone(),
            to: input.to.clone(),
            qty: input.quantity.clone(),
            unit: input.unit.clone(),
            note: opt(&input.note),
            evidence: opt(&input.evidence).map(PathBuf::from),
            reason: opt(&input.reason),
            allow_overlap: false,
        };
        let row = edit(shared, |p| match input.id {
            Some(id) => p.correct_activity(id, &entry),
            None => p.add_activity(&entry),
        })?;
        read(shared, |o| {
            view::record_row(&o.project, &mut o.cache, &row).map_err(|e| shared.api(e))
        })
    })
    .await
}

#[tauri::command]
pub async fn void_record(app: AppHandle, id: i64, reason: String) -> Res<()> {
    blocking(app, move |_, shared| {
        busy(shared)?;
        edit(shared, |p| p.void_activity(id, &reason)).map(|_| ())
    })
    .await
}

// --------------------------------------------------------------------------------- import

/// Import a file into a source, off the UI thread, reporting progress on `on_progress`. A dry run
/// shows the mapping and every issue and writes nothing. `import_cancel` stops it and leaves the
/// project as it was.
#[tauri::command]
pub async fn import_file(
    app: AppHandle,
    request: ImportRequest,
    on_progress: Channel<ImportProgress>,
) -> Res<ImportResult> {
    blocking(app, move |_, shared| {
        let path = path_field(shared, &request.path)?;
        if request.source.trim().is_empty() {
            return Err(shared.err(
                "MISSING_FIELD",
                Some("source"),
                "Choose the emission source these bills belong to.",
                "请选择这些账单所属的排放源。",
            ));
        }
        let cancel = Arc::new(AtomicBool::new(false));
        {
            let mut job = shared.import.lock().map_err(|_| shared.poisoned())?;
            if job.is_some() {
                return Err(shared.err(
                    "BUSY",
                    None,
                    "Another import is running.",
                    "另一个导入正在进行。",
                ));
            }
            drop(shared.open()?);
            *job = Some(ImportJob {
                cancel: cancel.clone(),
            });
        }
        let lang = shared.lang();
        let channel = on_progress.clone();
        let progress = move |stage: Stage, n: u64| {
            let (name, permille, en, zh) = match stage {
                Stage::Read => (
                    "read",
                    None,
                    format!("Reading the file: {n} rows"),
                    format!("正在读取文件：{n} 行"),
                ),
                Stage::Check => (
                    "check",
                    None,
                    format!("Checking {n} rows"),
                    format!("正在检查 {n} 行"),
                ),
                Stage::Write => (
                    "write",
                    Some(n.min(1000) as u32),
                    "Writing to the project".to_string(),
                    "正在写入项目".to_string(),
                ),
            };
            let _ = channel.send(ImportProgress {
                stage: name.into(),
                permille: permille.unwrap_or(0),
                message: lang.pick(&en, &zh).to_string(),
            });
        };
        let options = ImportOptions {
            source: Some(request.source.trim().to_string()),
            sheet: opt(&request.sheet),
            dry_run: request.dry_run,
            watch: Some(Watch {
                cancel: cancel.clone(),
                progress: Arc::new(progress),
            }),
            ..ImportOptions::default()
        };
        let outcome = {
            let mut guard = shared.open();
            match guard.as_mut().map(|g| g.as_mut()) {
                Ok(Some(open)) => {
                    let r = open.project.import(&path, &options);
                    if r.as_ref().is_ok_and(|r| r.batch.is_some()) {
                        open.cache = Cache::default();
                    }
                    r.map_err(|e| shared.api(e))
                }
                Ok(None) => Err(shared.poisoned()),
                Err(e) => Err(e.clone()),
            }
        };
        if let Ok(mut job) = shared.import.lock() {
            *job = None;
        }
        let report = outcome?;
        let _ = on_progress.send(ImportProgress {
            stage: "done".into(),
            permille: 1000,
            message: String::new(),
        });
        Ok(view::import_result(&report, lang))
    })
    .await
}

/// Cancel the running import; true when there was one to cancel.
#[tauri::command]
pub async fn import_cancel(app: AppHandle) -> Res<bool> {
    blocking(app, |_, shared| {
        let job = shared.import.lock().map_err(|_| shared.poisoned())?;
        Ok(match job.as_ref() {
            Some(j) => {
                j.cancel.store(true, Ordering::SeqCst);
                true
            }
            None => false,
        })
    })
    .await
}

#[tauri::command]
pub async fn batches(app: AppHandle) -> Res<Vec<BatchDto>> {
    blocking(app, |_, shared| {
        read(shared, |o| {
            view::batches(&o.project, shared.lang()).map_err(|e| shared.api(e))
        })
    })
    .await
}

#[tauri::command]
pub async fn undo_import(app: AppHandle, batch: i64, reason: String) -> Res<u64> {
    blocking(app, move |_, shared| {
        busy(shared)?;
        edit(shared, |p| p.undo_import(batch, &reason))
    })
    .await
}

// -------------------------------------------------------------------------------- results

#[tauri::command]
pub async fn results(app: AppHandle) -> Res<ResultsDto> {
    blocking(app, |_, shared| {
        let lang = shared.lang();
        read(shared, |o| {
            view::results(&o.project, &mut o.cache, lang).map_err(|e| shared.api(e))
        })
    })
    .await
}

#[tauri::command]
pub async fn drill(app: AppHandle, request: DrillRequest) -> Res<DrillResult> {
    blocking(app, move |_, shared| {
        let lang = shared.lang();
        read(shared, |o| {
            view::drill(&o.project, &mut o.cache, &request, lang).map_err(|e| shared.api(e))
        })
    })
    .await
}

#[tauri::command]
pub async fn readiness(app: AppHandle) -> Res<Readiness> {
    blocking(app, |_, shared| {
        let lang = shared.lang();
        read(shared, |o| {
            view::readiness(&o.project, &mut o.cache, lang).map_err(|e| shared.api(e))
        })
    })
    .await
}

#[tauri::command]
pub async fn audit_log(app: AppHandle, limit: Option<i64>) -> Res<Vec<AuditEntryDto>> {
    blocking(app, move |_, shared| {
        read(shared, |o| {
            Ok(o.project
                .audit(limit)
                .map_err(|e| shared.api(e))?
                .into_iter()
                .map(view::audit_entry)
                .collect())
        })
    })
    .await
}

#[tauri::command]
pub async fn verify(app: AppHandle) -> Res<VerifyDto> {
    blocking(app, |_, shared| {
        let lang = shared.lang();
        read(shared, |o| {
            let v = o.project.verify().map_err(|e| shared.api(e))?;
            Ok(VerifyDto {
                ok: v.ok(),
                entries: v.entries.max(0) as u64,
                head: v.head.clone(),
                findings: v
                    .findings
                    .iter()
                    .map(|f| format!("{}: {}", f.place, lang.pick(&f.en, &f.zh)))
                    .collect(),
            })
        })
    })
    .await
}

// --------------------------------------------------------------------------------- export

#[tauri::command]
pub async fn export_report(app: AppHandle, request: ExportRequest) -> Res<ExportResult> {
    blocking(app, move |_, shared| {
        let lang = shared.lang();
        let Some(report_lang) = lingtan::export::Langs::parse(&request.lang) else {
            return Err(shared.err(
                "BAD_LANG",
                Some("lang"),
                "Choose the report's language: zh, en or zh+en.",
                "请选择报告语言：zh、en 或 zh+en。",
            ));
        };
        let pdf = opt(&request.pdf).map(PathBuf::from);
        let xlsx = opt(&request.xlsx).map(PathBuf::from);
        if pdf.is_none() && xlsx.is_none() {
            return Err(shared.err(
                "MISSING_FIELD",
                Some("pdf"),
                "Choose where to save the PDF, the workbook, or both.",
                "请选择 PDF、工作簿或两者的保存位置。",
            ));
        }
        let made = read(shared, |o| {
            let path = o.project.path().to_path_buf();
            o.project
                .export(
                    &path,
                    &lingtan::export::Options {
                        year: None,
                        lang: report_lang,
                        pdf: pdf.clone(),
                        xlsx: xlsx.clone(),
                    },
                )
                .map_err(|e| shared.api(e))
        })?;
        let files: Vec<PathBuf> = made.files.iter().map(|(p, _)| p.clone()).collect();
        if let Ok(mut list) = shared.exported.lock() {
            list.extend(files.iter().cloned());
        }
        Ok(ExportResult {
            files: files.iter().map(|p| p.display().to_string()).collect(),
            warnings: made
                .warnings
                .iter()
                .map(|w| crate::message(w, lang))
                .collect(),
        })
    })
    .await
}

/// Open a file the app exported in the desktop's default program.
#[tauri::command]
pub async fn open_file(app: AppHandle, path: String) -> Res<()> {
    blocking(app, move |_, shared| {
        let path = PathBuf::from(path);
        let allowed = shared
            .exported
            .lock()
            .map(|l| l.contains(&path))
            .unwrap_or(false);
        if !allowed {
            return Err(shared.err(
                "NOT_ALLOWED",
                Some("path"),
                "Only files this window exported can be opened from here.",
                "此处只能打开本窗口导出的文件。",
            ));
        }
        let opener = if cfg!(target_os = "macos") {
            "open"
        } else {
            "xdg-open"
        };
        std::process::Command::new(opener)
            .arg(&path)
            .spawn()
            .map(|_| ())
            .map_err(|e| {
                shared.err(
                    "OPEN_FAILED",
                    Some("path"),
                    &format!("cannot open {}: {e}", path.display()),
                    &format!("无法打开 {}：{e}", path.display()),
                )
            })
    })
    .await
}

// ------------------------------------------------------------------------------ reduction

/// A year as typed, or the refusal naming `field`.
fn year_field(shared: &Shared, field: &str, text: &str) -> Res<i32> {
    text.trim().parse::<i32>().map_err(|_| {
        shared.err(
            "BAD_YEAR",
            Some(field),
            &format!("'{}' is not a year: write it like 2024", text.trim()),
            &format!("“{}”不是年份：请写成 2024 这样的形式", text.trim()),
        )
    })
}

fn measure_entry(input: &MeasureInput) -> lingtan::MeasureEntry {
    lingtan::MeasureEntry {
        name: input.name.clone(),
        kind: opt(&input.kind),
        changes: input
            .changes
            .iter()
            .map(|c| c.trim().to_string())
            .filter(|c| !c.is_empty())
            .collect(),
        inputs: input
            .inputs
            .iter()
            .map(|v| (v.name.clone(), v.value.clone()))
            .collect(),
        electricity_source: opt(&input.electricity_source),
        fuel_source: opt(&input.fuel_source),
        new_source: opt(&input.new_source),
        refrigerant_source: opt(&input.refrigerant_source),
        capex: input.capex.clone(),
        opex: opt(&input.opex),
        lifetime: opt(&input.lifetime),
        start: opt(&input.start),
        status: opt(&input.status),
        meter: opt(&input.meter),
        reason: opt(&input.reason),
    }
}

/// The Reduction step for `year` (the project's by default) on `basis` (market by default).
#[tauri::command]
pub async fn reduction(
    app: AppHandle,
    year: Option<i32>,
    basis: Option<String>,
) -> Res<ReductionDto> {
    blocking(app, move |_, shared| {
        let lang = shared.lang();
        read(shared, |o| {
            crate::reduction::reduction(&o.project, year, opt(&basis).as_deref(), lang)
                .map_err(|e| shared.api(e))
        })
    })
    .await
}

#[tauri::command]
pub async fn outputs(app: AppHandle) -> Res<Vec<OutputDto>> {
    blocking(app, |_, shared| {
        read(shared, |o| {
            crate::reduction::outputs(&o.project).map_err(|e| shared.api(e))
        })
    })
    .await
}

#[tauri::command]
pub async fn add_output(app: AppHandle, input: OutputInput) -> Res<Vec<OutputDto>> {
    blocking(app, move |_, shared| {
        busy(shared)?;
        let entry = lingtan::OutputEntry {
            metric: input.metric.trim().to_string(),
            year: year_field(shared, "year", &input.year)?,
            month: opt(&input.month),
            qty: input.quantity.clone(),
            unit: input.unit.clone(),
            site: opt(&input.site),
            note: None,
        };
        edit(shared, |p| p.add_output(&entry))?;
        read(shared, |o| {
            crate::reduction::outputs(&o.project).map_err(|e| shared.api(e))
        })
    })
    .await
}

#[tauri::command]
pub async fn add_target(app: AppHandle, input: TargetInput) -> Res<()> {
    blocking(app, move |_, shared| {
        busy(shared)?;
        let entry = lingtan::TargetEntry {
            name: input.name.clone(),
            scopes: input.scopes.clone(),
            base_year: year_field(shared, "baseYear", &input.base_year)?,
            target_year: year_field(shared, "targetYear", &input.target_year)?,
            reduction: opt(&input.reduction),
            pathway: opt(&input.pathway),
            metric: opt(&input.metric),
            scope2: opt(&input.scope2),
        };
        edit(shared, |p| p.add_target(&entry)).map(|_| ())
    })
    .await
}

/// Recalculate a target on its base year's figures now, with the reason (ISO 14064-1 log).
#[tauri::command]
pub async fn rebase_target(app: AppHandle, name: String, reason: String) -> Res<()> {
    blocking(app, move |_, shared| {
        busy(shared)?;
        edit(shared, |p| p.rebase_target(&name, &reason)).map(|_| ())
    })
    .await
}

#[tauri::command]
pub async fn measure_choices(app: AppHandle) -> Res<MeasureChoices> {
    blocking(app, |_, shared| {
        let lang = shared.lang();
        read(shared, |o| {
            crate::reduction::measure_choices(&o.project, lang).map_err(|e| shared.api(e))
        })
    })
    .await
}

/// The measure as the form holds it, computed without being recorded: its formula, changes,
/// abatement and money, or the refusal recording it would meet (with its field).
#[tauri::command]
pub async fn preview_measure(
    app: AppHandle,
    input: MeasureInput,
    existing: bool,
) -> Res<MeasureDto> {
    blocking(app, move |_, shared| {
        let lang = shared.lang();
        let entry = measure_entry(&input);
        read(shared, |o| {
            let r = o
                .project
                .preview_measure(&entry, existing, None)
                .map_err(|e| shared.api(e))?;
            let inputs = entry
                .inputs
                .iter()
                .filter(|(_, v)| !v.trim().is_empty())
                .map(|(name, value)| NamedValue {
                    name: name.clone(),
                    value: value.trim().to_string(),
                })
                .collect();
            Ok(crate::reduction::measure(
                &r.name,
                r.kind,
                r.status,
                inputs,
                Some(&r),
                lang,
            ))
        })
    })
    .await
}

/// Add a measure, or change the one named (`existing`: a new version, with the reason).
#[tauri::command]
pub async fn save_measure(app: AppHandle, input: MeasureInput, existing: bool) -> Res<()> {
    blocking(app, move |_, shared| {
        busy(shared)?;
        let entry = measure_entry(&input);
        edit(shared, |p| {
            if existing {
                p.set_measure(&entry)
            } else {
                p.add_measure(&entry)
            }
        })
        .map(|_| ())
    })
    .await
}

#[tauri::command]
pub async fn reduction_settings(app: AppHandle) -> Res<ReductionSettingsDto> {
    blocking(app, |_, shared| {
        let lang = shared.lang();
        read(shared, |o| {
            crate::reduction::settings(&o.project, lang).map_err(|e| shared.api(e))
        })
    })
    .await
}

#[tauri::command]
pub async fn set_reduction_settings(
    app: AppHandle,
    input: ReductionSettingsInput,
) -> Res<ReductionSettingsDto> {
    blocking(app, move |_, shared| {
        busy(shared)?;
        let lang = shared.lang();
        let entry = lingtan::ReductionSettingsEntry {
            discount_rate: input.discount_rate.clone(),
            carbon_price: input.carbon_price.clone(),
            threshold: None,
            prices: input
                .prices
                .iter()
                .map(|p| p.trim().to_string())
                .filter(|p| !p.is_empty())
                .collect(),
        };
        edit(shared, |p| p.set_reduction_settings(&entry))?;
        read(shared, |o| {
            crate::reduction::settings(&o.project, lang).map_err(|e| shared.api(e))
        })
    })
    .await
}

// --------------------------------------------------------------------------------- offset

fn evidence(text: &Option<String>) -> Option<PathBuf> {
    opt(text).map(PathBuf::from)
}

/// The certificates, each with its checks for the project's year.
#[tauri::command]
pub async fn eacs(app: AppHandle) -> Res<Vec<EacDto>> {
    blocking(app, |_, shared| {
        let lang = shared.lang();
        read(shared, |o| {
            crate::offset::eacs(&o.project, lang).map_err(|e| shared.api(e))
        })
    })
    .await
}

/// Record a certificate (held, or retired when the form gives the retirement).
#[tauri::command]
pub async fn add_eac(app: AppHandle, input: EacInput) -> Res<EacDto> {
    blocking(app, move |_, shared| {
        busy(shared)?;
        let lang = shared.lang();
        let entry = lingtan::EacEntry {
            kind: input.kind.trim().to_string(),
            id: input.id.clone(),
            mwh: input.mwh.clone(),
            from: input.from.clone(),
            to: input.to.clone(),
            sites: input
                .sites
                .iter()
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect(),
            technology: opt(&input.technology),
            plant: opt(&input.plant),
            region: opt(&input.region),
            tradable: opt(&input.tradable),
            subsidy: opt(&input.subsidy),
            acquired: None,
            for_year: None,
            retired: opt(&input.retired),
            beneficiary: opt(&input.beneficiary),
            evidence: evidence(&input.evidence),
        };
        let r = edit(shared, |p| p.add_eac(&entry))?;
        Ok(crate::offset::eac(&r, lang))
    })
    .await
}

/// Retire a held certificate for the organisation, with its statement.
#[tauri::command]
pub async fn retire_eac(app: AppHandle, input: RetireInput) -> Res<EacDto> {
    blocking(app, move |_, shared| {
        busy(shared)?;
        let lang = shared.lang();
        let path = evidence(&input.evidence);
        let r = edit(shared, |p| {
            p.retire_eac(
                &input.id.to_string(),
                &input.date,
                &input.beneficiary,
                path.as_deref(),
            )
        })?;
        Ok(crate::offset::eac(&r, lang))
    })
    .await
}

#[tauri::command]
pub async fn void_eac(app: AppHandle, id: i64, reason: String) -> Res<EacDto> {
    blocking(app, move |_, shared| {
        busy(shared)?;
        let lang = shared.lang();
        let r = edit(shared, |p| p.void_eac(&id.to_string(), &reason))?;
        Ok(crate::offset::eac(&r, lang))
    })
    .await
}

/// Read a platform's export of certificates: a dry run shows what would be imported and every
/// issue at its cell, and writes nothing; otherwise one batch is written (undo on the Import
/// screen).
#[tauri::command]
pub async fn import_eacs(
    app: AppHandle,
    path: String,
    sites: Vec<String>,
    dry_run: bool,
) -> Res<EacImportDto> {
    blocking(app, move |_, shared| {
        busy(shared)?;
        let lang = shared.lang();
        let path = path_field(shared, &path)?;
        let options = lingtan::EacImportOptions {
            dry_run,
            force: false,
            sheet: None,
            sites: sites
                .iter()
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect(),
        };
        let r = if dry_run {
            read(shared, |o| {
                // a dry run writes nothing: the project is only read
                o.project
                    .import_eacs(&path, &options)
                    .map_err(|e| shared.api(e))
            })?
        } else {
            edit(shared, |p| p.import_eacs(&path, &options))?
        };
        Ok(crate::offset::import(&r, dry_run, lang))
    })
    .await
}

/// The blocks of credits (parts of a partly retired block each listed with its serial).
#[tauri::command]
pub async fn credits(app: AppHandle) -> Res<Vec<CreditDto>> {
    blocking(app, |_, shared| {
        let lang = shared.lang();
        read(shared, |o| {
            crate::offset::credits(&o.project, lang).map_err(|e| shared.api(e))
        })
    })
    .await
}

/// A pasted serial read by its registry's grammar with what the form holds beside it; nothing
/// is saved, and no project is needed.
#[tauri::command]
pub async fn read_serial(app: AppHandle, input: CreditInput) -> Res<SerialReading> {
    blocking(app, move |_, shared| {
        Ok(crate::offset::read_serial(&input, shared.lang()))
    })
    .await
}

fn credit_entry(input: &CreditInput) -> lingtan::CreditEntry {
    lingtan::CreditEntry {
        registry: input.registry.trim().to_string(),
        serial: input.serial.clone(),
        qty: opt(&input.quantity),
        project_id: opt(&input.project_id),
        project: opt(&input.project_name),
        methodology: opt(&input.methodology),
        kind: opt(&input.kind),
        vintage: opt(&input.vintage),
        country: opt(&input.country),
        labels: Vec::new(),
        first: None,
        last: None,
        evidence: evidence(&input.evidence),
    }
}

/// Record a block of credits: refused when it overlaps a block already recorded (named).
#[tauri::command]
pub async fn add_credit(app: AppHandle, input: CreditInput) -> Res<CreditDto> {
    blocking(app, move |_, shared| {
        busy(shared)?;
        let lang = shared.lang();
        let entry = credit_entry(&input);
        let r = edit(shared, |p| p.add_credit(&entry))?;
        Ok(crate::offset::credit(&r, lang))
    })
    .await
}

/// Retire a block, whole or in part (the block splits into the retired part and the rest).
#[tauri::command]
pub async fn retire_credit(app: AppHandle, input: RetireInput) -> Res<Vec<CreditDto>> {
    blocking(app, move |_, shared| {
        busy(shared)?;
        let lang = shared.lang();
        let retirement = lingtan::CreditRetirement {
            date: input.date.clone(),
            beneficiary: input.beneficiary.clone(),
            for_year: input.for_year.clone().unwrap_or_default(),
            qty: opt(&input.quantity),
            reason: opt(&input.reason),
            evidence: evidence(&input.evidence),
        };
        let parts = edit(shared, |p| {
            p.retire_credit(&input.id.to_string(), &retirement)
        })?;
        Ok(parts
            .iter()
            .map(|c| crate::offset::credit(c, lang))
            .collect())
    })
    .await
}

#[tauri::command]
pub async fn void_credit(app: AppHandle, id: i64, reason: String) -> Res<CreditDto> {
    blocking(app, move |_, shared| {
        busy(shared)?;
        let lang = shared.lang();
        let r = edit(shared, |p| p.void_credit(&id.to_string(), &reason))?;
        Ok(crate::offset::credit(&r, lang))
    })
    .await
}

/// The offset summary for `year` (the project's by default) and `scopes` (`1+2` by default).
#[tauri::command]
pub async fn offset(app: AppHandle, year: Option<i32>, scopes: Option<String>) -> Res<OffsetDto> {
    blocking(app, move |_, shared| {
        let lang = shared.lang();
        read(shared, |o| {
            crate::offset::offset(&o.project, year, opt(&scopes).as_deref(), lang)
                .map_err(|e| shared.api(e))
        })
    })
    .await
}

// -------------------------------------------------------------------------- certification

/// The claim of a framework for a period: the headline figures and every check.
#[tauri::command]
pub async fn claim(app: AppHandle, request: ClaimRequest) -> Res<ClaimDto> {
    blocking(app, move |_, shared| {
        let lang = shared.lang();
        read(shared, |o| {
            crate::claim::claim(&o.project, &request, lang).map_err(|e| shared.api(e))
        })
    })
    .await
}

/// What is stored for a framework's claim documents.
#[tauri::command]
pub async fn claim_settings(app: AppHandle, framework: String) -> Res<ClaimSettingsDto> {
    blocking(app, move |_, shared| {
        read(shared, |o| {
            crate::claim::settings(&o.project, &framework).map_err(|e| shared.api(e))
        })
    })
    .await
}

/// Store the claim settings form (every field as typed; an empty one clears it). Every value is
/// checked before anything is written: a refusal names its field and changes nothing.
#[tauri::command]
pub async fn set_claim_settings(app: AppHandle, input: ClaimSettingsDto) -> Res<ClaimSettingsDto> {
    blocking(app, move |_, shared| {
        busy(shared)?;
        let entry = crate::claim::entry(&input);
        edit(shared, |p| p.set_claim(input.framework.trim(), &entry))?;
        read(shared, |o| {
            crate::claim::settings(&o.project, &input.framework).map_err(|e| shared.api(e))
        })
    })
    .await
}

/// The claim's subject: every source of the period, its share and its place in the subject.
#[tauri::command]
pub async fn claim_subject(app: AppHandle, request: ClaimRequest) -> Res<ClaimSubjectDto> {
    blocking(app, move |_, shared| {
        read(shared, |o| {
            crate::claim::subject(&o.project, &request).map_err(|e| shared.api(e))
        })
    })
    .await
}

/// Include a source in the claim's subject, exclude it with a reason, or clear the decision
/// (logged; a refusal names its field and changes nothing); then the subject again.
#[tauri::command]
pub async fn set_claim_subject(app: AppHandle, input: ClaimSubjectChange) -> Res<ClaimSubjectDto> {
    blocking(app, move |_, shared| {
        busy(shared)?;
        edit(shared, |p| {
            p.set_claim_subject(
                input.claim.framework.trim(),
                &input.source,
                &input.decision,
                input.reason.as_deref(),
            )
        })?;
        read(shared, |o| {
            crate::claim::subject(&o.project, &input.claim).map_err(|e| shared.api(e))
        })
    })
    .await
}

/// The claim's documents as the report renders them, in the chosen language.
#[tauri::command]
pub async fn claim_documents(app: AppHandle, request: ClaimRequest) -> Res<ClaimDocumentsDto> {
    blocking(app, move |_, shared| {
        let lang = shared.lang();
        read(shared, |o| {
            crate::claim::documents(&o.project, &request, lang).map_err(|e| shared.api(e))
        })
    })
    .await
}

/// A folder chosen in the system's folder dialog (`None` when cancelled).
#[tauri::command]
pub async fn pick_folder(app: AppHandle, purpose: String) -> Res<Option<String>> {
    blocking(app, move |app, shared| {
        use tauri_plugin_dialog::DialogExt;
        let l = |en: &'static str, zh: &'static str| shared.lang().pick(en, zh);
        let title = match purpose.as_str() {
            "dossier" => l(
                "Choose a new or empty folder for the dossier",
                "选择用于资料包的新文件夹或空文件夹",
            ),
            "verify-dossier" => l("Choose the dossier's folder", "选择资料包所在文件夹"),
            other => {
                return Err(shared.err(
                    "BAD_REQUEST",
                    Some("purpose"),
                    &format!("unknown dialog purpose '{other}'"),
                    &format!("未知的对话框用途“{other}”"),
                ))
            }
        };
        Ok(app
            .dialog()
            .file()
            .set_title(title)
            .blocking_pick_folder()
            .and_then(|p| p.into_path().ok())
            .map(|p| p.display().to_string()))
    })
    .await
}

/// Write the certifier's dossier of a claim into a new or empty folder: the documents, the
/// workbook, a snapshot of the project, the evidence and the manifest with its root hash.
#[tauri::command]
pub async fn export_dossier(app: AppHandle, request: DossierRequest) -> Res<DossierDto> {
    blocking(app, move |_, shared| {
        busy(shared)?;
        let lang = shared.lang();
        let Some(doc_lang) = lingtan::export::Langs::parse(request.lang.trim()) else {
            return Err(shared.err(
                "BAD_LANG",
                Some("lang"),
                "Choose the documents' language: zh, en or zh+en.",
                "请选择文件语言：zh、en 或 zh+en。",
            ));
        };
        let Some(dir) = opt(&Some(request.dir.clone())).map(PathBuf::from) else {
            return Err(shared.err(
                "MISSING_FIELD",
                Some("dir"),
                "Choose a new or empty folder for the dossier.",
                "请选择用于资料包的新文件夹或空文件夹。",
            ));
        };
        let made = read(shared, |o| {
            let claim = &request.claim;
            let year = match (opt(&claim.from), opt(&claim.to)) {
                (Some(_), _) | (_, Some(_)) => None,
                _ => match opt(&claim.year) {
                    Some(y) => Some(y.parse::<i32>().map_err(|_| {
                        shared.err(
                            "BAD_YEAR",
                            Some("year"),
                            &format!("Year '{y}' is not a year: write it as 2025."),
                            &format!("年份“{y}”不是年份：请写成 2025。"),
                        )
                    })?),
                    // the project's year, as on the Claim screen
                    None => Some(o.project.info().map_err(|e| shared.api(e))?.year),
                },
            };
            let req = lingtan::dossier::Request {
                framework: claim.framework.trim().to_string(),
                year,
                from: opt(&claim.from),
                to: opt(&claim.to),
                lang: doc_lang,
            };
            o.project.dossier(&dir, &req).map_err(|e| shared.api(e))
        })?;
        if let Ok(mut list) = shared.exported.lock() {
            list.push(made.dir.clone());
        }
        Ok(crate::claim::made(&made, lang))
    })
    .await
}

/// Check a dossier folder (only read): every file's hash, the root, the snapshot's audit chain
/// and its figures against the manifest; every difference named.
#[tauri::command]
pub async fn verify_dossier(app: AppHandle, dir: String) -> Res<DossierCheckDto> {
    blocking(app, move |_, shared| {
        let lang = shared.lang();
        let dir = path_field(shared, &dir)?;
        let clock = shared.clock()?;
        let check = lingtan::dossier::verify(&dir, clock).map_err(|e| shared.api(e))?;
        Ok(crate::claim::check(&check, lang))
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::sample_copy_name;

    #[test]
    fn a_new_copy_of_the_sample_never_takes_the_name_of_an_earlier_one() {
        let dir = tempfile::tempdir().expect("tempdir");
        let now = "2025-03-15T09:00:00Z";
        let first = sample_copy_name(dir.path(), now).expect("a name");
        assert_eq!(
            first,
            dir.path().join("sample-20250315T090000.lingtan"),
            "the first copy is named for the time it was made"
        );
        std::fs::write(&first, b"the person's changes").expect("write");
        let second = sample_copy_name(dir.path(), now).expect("a name");
        assert_eq!(
            second,
            dir.path().join("sample-20250315T090000-2.lingtan"),
            "a copy made at the same second gets a new name: the earlier copy may hold changes"
        );
        // a name taken by a dangling link is taken too (the writer would refuse it)
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(dir.path().join("gone"), &second).expect("symlink");
            assert_eq!(
                sample_copy_name(dir.path(), now),
                Some(dir.path().join("sample-20250315T090000-3.lingtan")),
                "a dangling link is not a free name"
            );
        }
        // whatever the clock says, the name stays in the folder
        let odd = sample_copy_name(dir.path(), "../../x/y").expect("a name");
        assert_eq!(
            odd.parent(),
            Some(dir.path()),
            "the time is cut to letters and digits: {}",
            odd.display()
        );
    }
}
