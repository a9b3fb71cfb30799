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

mod claim;
mod commands;
mod offset;
mod reduction;
#[cfg(test)]
mod regression;
mod settings;
mod view;

use lingtan::core::Lang;
use lingtan::{Action, Clock, Field, Part, Project, Ref, Words};
use lingtan_dto::ApiError;
use std::path::PathBuf;
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
        let lang = self.lang();
        ApiError {
            code: e.code.to_string(),
            field: e.field.map(|f| form_field(f).to_string()),
            message: message(&e, lang),
        }
    }
}

/// The form field of the UI an error concerns (the DTOs' names: `baseYear`, `quantity`, `path`).
/// Every field is listed, so a new one must be given its place here.
pub(crate) fn form_field(f: Field) -> &'static str {
    match f {
        Field::Org => "org",
        Field::OrgZh => "orgZh",
        Field::Year => "year",
        Field::BaseYear => "baseYear",
        Field::Gwp => "gwp",
        Field::Boundary => "boundary",
        Field::PreparedBy => "preparedBy",
        Field::ReportDate => "reportDate",
        Field::SiteName | Field::SourceName | Field::FactorName => "name",
        Field::Grid => "grid",
        Field::Address => "address",
        Field::Site => "site",
        Field::Source => "source",
        Field::Kind => "kind",
        Field::Fuel => "fuel",
        Field::Factor => "factor",
        Field::MarketFactor => "marketFactor",
        Field::Unit => "unit",
        Field::Uncertainty => "uncertainty",
        Field::Activity | Field::FactorId => "id",
        Field::From => "from",
        Field::To => "to",
        Field::Qty => "quantity",
        Field::Note => "note",
        Field::Evidence => "evidence",
        Field::Reason => "reason",
        Field::AllowOverlap => "allowOverlap",
        Field::Co2 => "co2",
        Field::Ch4 => "ch4",
        Field::N2o => "n2o",
        Field::Gas => "gas",
        Field::Co2e => "co2e",
        Field::Citation => "citation",
        Field::Dataset => "dataset",
        Field::Region => "region",
        // the file an import reads, a project file, a copy: the form's path field
        Field::File | Field::Project | Field::Dest => "path",
        Field::Sheet => "sheet",
        Field::Mapping => "mapping",
        Field::SaveMapping => "saveMapping",
        Field::Timestamps => "timestamps",
        Field::Multiplier => "multiplier",
        Field::Force => "force",
        Field::Batch => "batch",
        Field::Pdf => "pdf",
        Field::Xlsx => "xlsx",
        Field::Out => "out",
        Field::Lang => "lang",
        Field::Clock => "clock",
        Field::Inventory => "inventory",
        Field::Figure => "figure",
        Field::Name => "name",
        Field::Id => "id",
        Field::Metric => "metric",
        Field::Month => "month",
        Field::Scopes => "scopes",
        Field::TargetYear => "targetYear",
        Field::Reduction => "reduction",
        Field::Pathway => "pathway",
        Field::Scope2 => "scope2",
        Field::Basis => "basis",
        Field::Threshold => "threshold",
        Field::DiscountRate => "discountRate",
        Field::CarbonPrice => "carbonPrice",
        Field::Price => "price",
        Field::Change => "change",
        Field::Capex => "capex",
        Field::Opex => "opex",
        Field::Lifetime => "lifetime",
        Field::Start => "start",
        Field::Status => "status",
        Field::Meter => "meter",
        Field::Refrigerant => "refrigerant",
        Field::Type => "type",
        Field::Mwh => "mwh",
        Field::Technology => "technology",
        Field::Plant => "plant",
        Field::Tradable => "tradable",
        Field::Subsidy => "subsidy",
        Field::Retired => "retired",
        Field::Beneficiary => "beneficiary",
        Field::Date => "date",
        Field::Acquired => "acquired",
        Field::Registry => "registry",
        Field::Serial => "serial",
        Field::ProjectId => "projectId",
        Field::ProjectName => "projectName",
        Field::Methodology => "methodology",
        Field::Vintage => "vintage",
        Field::Country => "country",
        Field::Label => "label",
        Field::ForYear => "forYear",
        Field::First => "first",
        Field::Last => "last",
        Field::Framework => "framework",
        // a measure kind's role source and inputs: the Measures form's fields
        Field::Input("electricity-source") => "electricitySource",
        Field::Input("fuel-source") => "fuelSource",
        Field::Input("new-source") => "newSource",
        Field::Input("refrigerant-source") => "refrigerantSource",
        // the claim settings form (the Certification step)
        Field::Input("statement-date") => "statementDate",
        Field::Input("commitment-year") => "commitmentYear",
        Field::Input("published-at") => "publishedAt",
        Field::Input("plan-reviewed") => "planReviewed",
        Field::Input("first-period") => "firstPeriod",
        Field::Input("star-level") => "starLevel",
        Field::Input("subject-rationale") => "subjectRationale",
        Field::Input(name) => name,
    }
}

/// A field's name in a message: the claim settings' fields as the Settings form labels them,
/// every other as the workbench names it.
fn field_name(f: Field, lang: Lang) -> &'static str {
    let (en, zh) = match f {
        Field::Input("statement-date") => ("statement date", "声明日期"),
        Field::Input("verification") => ("verification type", "核证类型"),
        Field::Input("verifier") => ("verifier", "核证机构"),
        Field::Input("senior") => ("senior representative", "高级代表"),
        Field::Input("commitment-year") => ("commitment year", "承诺年份"),
        Field::Input("subject") => ("subject", "声明对象"),
        Field::Input("published-at") => ("published at", "公开位置"),
        Field::Input("plan-reviewed") => ("plan reviewed", "计划评审日期"),
        Field::Input("first-period") => ("first period", "首个期间"),
        Field::Input("star-level") => ("star level", "申请星级"),
        Field::Input("subject-rationale") => ("why this subject", "声明对象选择理由"),
        Field::Input("activities") => ("activities", "对象内活动"),
        _ => return f.name(lang),
    };
    lang.pick(en, zh)
}

/// The screen that does what a message asks, as the navigation names it.
fn screen(a: Action, lang: Lang) -> &'static str {
    let (en, zh) = match a {
        Action::AddSite => ("the Sites screen", "“厂区”页面"),
        Action::AddSource => ("the Emission sources screen", "“排放源”页面"),
        Action::ListFactors => ("the Factor library", "“排放因子库”"),
        Action::CorrectActivity => (
            "Correct on the Activity data screen",
            "“活动数据”页面的更正",
        ),
        Action::ShowInventory => ("the Results screen", "“结果”页面"),
        Action::UndoImport => ("Undo on the Import screen", "“导入”页面的撤销"),
        Action::AddOutput => (
            "the output form on the Targets screen",
            "“目标”页面的产出表单",
        ),
        Action::RebaseTarget => (
            "Recalculate base year on the Targets screen",
            "“目标”页面的重新计算基准年",
        ),
        Action::SetMeasure => (
            "the measure's form on the Measures screen",
            "“措施”页面的措施表单",
        ),
        Action::AddFactor => ("the Factor library", "“排放因子库”"),
        Action::AddCertificate => ("the Offset step's certificates", "“碳抵消”步骤的证书"),
        Action::ListCertificates => ("the Certificates table", "“绿证”表"),
        Action::ListCredits => ("the Credits table", "“碳信用”表"),
    };
    lang.pick(en, zh)
}

/// A refusal's message as the desktop words it ([`words`]).
pub(crate) fn message(e: &lingtan::Error, lang: Lang) -> String {
    words(e.words(lang), lang)
}

/// An issue's message (of the inventory, an import, the reduction or the offset step) as the
/// desktop words it ([`words`]).
pub(crate) fn issue_message(w: &Words, lang: Lang) -> String {
    words(w, lang)
}

/// A message as the desktop words it: a field by its name (capitalised when the message starts
/// with it, in quotes elsewhere), an action by the screen that does it (and the thing it is
/// about, when it names one: `SAMPLE-X in the Factor library`). Never a flag or a command.
pub(crate) fn words(w: &Words, lang: Lang) -> String {
    let mut out = String::new();
    for part in w.parts() {
        match part {
            Part::Text(t) => out.push_str(t),
            Part::Ref(Ref::Field(f) | Ref::Name(f)) if out.is_empty() => {
                let name = field_name(*f, lang);
                let mut chars = name.chars();
                if let Some(first) = chars.next() {
                    out.extend(first.to_uppercase());
                    out.push_str(chars.as_str());
                }
            }
            Part::Ref(Ref::Field(f) | Ref::Name(f)) => {
                out.push('“');
                out.push_str(field_name(*f, lang));
                out.push('”');
            }
            Part::Ref(Ref::Action(a)) => out.push_str(screen(*a, lang)),
            Part::Ref(Ref::ActionOn(a, what)) => match lang {
                Lang::En => out.push_str(&format!("{what} in {}", screen(*a, lang))),
                Lang::Zh => out.push_str(&format!("{}中的 {what}", screen(*a, lang))),
            },
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
                    eprintln!(
                        "lingtan-desktop: {}\nlingtan-desktop: {}",
                        message(e, Lang::En),
                        message(e, Lang::Zh)
                    );
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
            commands::eacs,
            commands::add_eac,
            commands::retire_eac,
            commands::void_eac,
            commands::import_eacs,
            commands::credits,
            commands::read_serial,
            commands::add_credit,
            commands::retire_credit,
            commands::void_credit,
            commands::offset,
            commands::claim,
            commands::claim_settings,
            commands::set_claim_settings,
            commands::claim_subject,
            commands::set_claim_subject,
            commands::claim_documents,
            commands::pick_folder,
            commands::export_dossier,
            commands::verify_dossier,
        ])
        .run(tauri::generate_context!())
        .unwrap_or_else(|e| {
            eprintln!("lingtan-desktop: could not start the window: {e}");
            std::process::exit(1);
        });
}

/// The file's name for the title bar and lists: as `lingtan` names it in messages.
pub(crate) use lingtan::file_name;

#[cfg(test)]
mod tests {
    use super::{form_field, message};
    use lingtan::core::Lang;
    use lingtan::{words, Action, Error, Field};

    #[test]
    fn refusals_name_the_form_field_never_a_flag() {
        let e = Error::new(
            "NEGATIVE_QUANTITY",
            Field::Qty,
            words![
                Field::Qty,
                " -20: a negative quantity needs a ",
                Field::Reason
            ],
            words![Field::Qty, " -20：负数须说明", Field::Reason],
        );
        assert_eq!(
            message(&e, Lang::En),
            "Quantity -20: a negative quantity needs a “reason”",
            "the field that opens the message is named, the others quoted"
        );
        assert_eq!(
            message(&e, Lang::Zh),
            "数量 -20：负数须说明“原因”",
            "in Chinese too"
        );
        let hint = Error::new(
            "UNKNOWN_FACTOR",
            Field::Factor,
            words![
                Field::Factor,
                " 'X': no such factor; see ",
                Action::ListFactors
            ],
            "",
        );
        let shown = message(&hint, Lang::En);
        assert!(
            !shown.contains("--") && !shown.contains("lingtan "),
            "no flag and no command on the desktop: {shown}"
        );
    }

    #[test]
    fn errors_name_the_forms_fields() {
        assert_eq!(form_field(Field::BaseYear), "baseYear", "the DTO's name");
        assert_eq!(form_field(Field::Qty), "quantity", "the DTO's name");
        assert_eq!(
            form_field(Field::MarketFactor),
            "marketFactor",
            "the DTO's name"
        );
        assert_eq!(form_field(Field::Org), "org", "the DTO's name");
        assert_eq!(
            form_field(Field::File),
            "path",
            "the file an import reads is the Import form's path field"
        );
    }
}
