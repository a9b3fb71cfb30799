//! `lingtan import`: bills and meter exports from a spreadsheet; `import undo` and `import list`.

use crate::face::{open, open_ro, print_json, RunError};
use crate::text;
use clap::{Args, Subcommand};
use lingtan::core::Lang;
use lingtan::{words, Field};
use std::path::Path;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct ImportArgs {
    #[command(subcommand)]
    cmd: Option<ImportCmd>,
    #[arg(required = true)]
    project: Option<PathBuf>,
    #[arg(required = true)]
    file: Option<PathBuf>,
    /// The emission source the bills belong to
    #[arg(long)]
    source: Option<String>,
    /// The source's site (checked against the source)
    #[arg(long)]
    site: Option<String>,
    /// Only this sheet
    #[arg(long)]
    sheet: Option<String>,
    /// bill, interval or auto (default)
    #[arg(long)]
    kind: Option<String>,
    /// A saved mapping profile (see --save-mapping): its source, sheet, kind, header names and
    /// interval options are used unless given here
    #[arg(long)]
    mapping: Option<PathBuf>,
    /// Save the mapping of this import as a profile for the same supplier's next file
    #[arg(long, value_name = "FILE")]
    save_mapping: Option<PathBuf>,
    /// Interval data: the timestamps mark the `beginning` or the `ending` of each interval
    /// (overrides what is detected)
    #[arg(long)]
    timestamps: Option<String>,
    /// Interval data: the register multiplier (倍率), overriding the file: N for a file of one
    /// meter, METER=N for each meter of a file of several (repeat it)
    #[arg(long, value_name = "N | METER=N")]
    multiplier: Vec<String>,
    /// Show the mapping and every issue; write nothing
    #[arg(long)]
    dry_run: bool,
    /// Import even if the same file (and sheet) was imported before
    #[arg(long)]
    force: bool,
    #[arg(long)]
    json: bool,
}

#[derive(Subcommand)]
pub enum ImportCmd {
    /// Revert an import batch: its records are voided (kept) and the undo is logged
    Undo {
        project: PathBuf,
        batch: i64,
        #[arg(long, default_value = "import undone")]
        reason: String,
    },
    /// List import batches
    List { project: PathBuf },
}

/// `--multiplier N` (one meter) or `--multiplier METER=N` (each meter of a file of several),
/// repeatable.
type Multipliers = (
    Option<lingtan::core::Decimal>,
    Vec<(String, lingtan::core::Decimal)>,
);

fn multipliers(given: &[String]) -> Result<Multipliers, lingtan::Error> {
    let mut single = None;
    let mut each: Vec<(String, lingtan::core::Decimal)> = Vec::new();
    for text in given {
        let (meter, number) = match text.rsplit_once('=') {
            Some((meter, n)) => (Some(meter.trim()), n),
            None => (None, text.as_str()),
        };
        let d = lingtan::parse_decimal(lingtan::Field::Multiplier, number)?;
        if !d.is_sign_positive() || d.is_zero() || meter == Some("") {
            return Err(lingtan::Error::new(
"BAD_NUMBER",
Field::Multiplier,
words![Field::Multiplier, format!(" '{text}': give a positive number (80) or a meter and its number (00000330012345=8000)")],
words![Field::Multiplier, format!(" “{text}”：请填写正数（如 80）或表计及其倍率（如 00000330012345=8000）")],
));
        }
        match meter {
            Some(m) if each.iter().any(|(x, _)| x == m) => {
                return Err(lingtan::Error::new(
                    "BAD_VALUE",
                    Field::Multiplier,
                    words![
                        Field::Multiplier,
                        format!(" {m}=…: given twice; give each meter's multiplier once")
                    ],
                    words![
                        Field::Multiplier,
                        format!(" {m}=…：重复指定；每个表计只给一次倍率")
                    ],
                ));
            }
            Some(m) => each.push((m.to_string(), d)),
            None if single.is_some() => {
                return Err(lingtan::Error::new(
"BAD_VALUE",
Field::Multiplier,
words![Field::Multiplier, format!(" {text}: a second multiplier without a meter; for a file of several meters give METER=N for each")],
words![Field::Multiplier, format!(" {text}：第二个倍率未注明表计；多表文件请逐表写 表计=倍率")],
));
            }
            None => single = Some(d),
        }
    }
    Ok((single, each))
}

pub fn run(args: ImportArgs, lang: Lang) -> Result<ExitCode, RunError> {
    match args.cmd {
        Some(ImportCmd::Undo {
            project,
            batch,
            reason,
        }) => {
            let mut p = open(&project)?;
            let n = p.undo_import(batch, &reason)?;
            outln!("{}", match lang {
                Lang::En => format!("import batch #{batch} undone: {n} records voided (kept in the project, logged)"),
                Lang::Zh => format!("已撤销导入批次 #{batch}：{n} 条记录已作废（仍保留在项目中，并记入审计日志）"),
            });
            Ok(ExitCode::SUCCESS)
        }
        Some(ImportCmd::List { project }) => {
            let p = open_ro(&project)?;
            for b in p.batches()? {
                let state = b
                    .reverted_at
                    .as_ref()
                    .map(|at| format!("{} {at}", lang.pick("undone", "已撤销")))
                    .unwrap_or_default();
                // an import of certificates writes certificates, not activity rows
                let (count, records) = b.records();
                let (en, zh) = records.names();
                let what = lang.pick(en, zh);
                outln!(
                    "#{} {} {} {} {} {}",
                    b.id,
                    text::p(&b.created_at),
                    text::p(&b.label),
                    count,
                    what,
                    text::p(&state)
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        None => {
            let (Some(project), Some(file)) = (args.project, args.file) else {
                return Err(lingtan::Error::new(
                    "MISSING_FIELD",
                    Field::File,
                    "give PROJECT and FILE",
                    "请给出项目文件和要导入的文件",
                )
                .into());
            };
            // every output is checked before anything is read or written: a profile goes only
            // to a new file or over a profile Lingtan wrote, never over the project, its
            // journal files or a file this import reads
            let mut inputs: Vec<&Path> = vec![&file];
            if let Some(m) = &args.mapping {
                inputs.push(m);
            }
            let profile_out = args
                .save_mapping
                .as_deref()
                .map(|path| {
                    lingtan::files::check(
                        &[lingtan::files::Output::new(
                            path,
                            Some(lingtan::Field::SaveMapping),
                            lingtan::files::Replace::MappingProfile { force: args.force },
                        )],
                        Some(&project),
                        &inputs,
                    )
                })
                .transpose()?;
            let stamp = match args.timestamps.as_deref() {
                None => None,
                Some(t) => Some(lingtan::import::TimeStamps::parse(t).ok_or_else(|| {
                    lingtan::Error::new(
                        "BAD_VALUE",
                        Field::Timestamps,
                        words![
                            Field::Timestamps,
                            format!(" '{t}': write beginning or ending")
                        ],
                        words![
                            Field::Timestamps,
                            format!(" “{t}”：请写 beginning 或 ending")
                        ],
                    )
                })?),
            };
            let (multiplier, multipliers) = multipliers(&args.multiplier)?;
            let mut options = lingtan::import::ImportOptions {
                source: args.source.clone(),
                sheet: args.sheet,
                kind: args.kind,
                dry_run: args.dry_run,
                force: args.force,
                stamp,
                multiplier,
                multipliers,
                headers: Vec::new(),
                watch: None,
            };
            if let Some(path) = &args.mapping {
                lingtan::import::MappingProfile::load(path)?.apply(&mut options);
            }
            // a dry run writes nothing at all: the project is opened read-only
            let mut p = if args.dry_run {
                open_ro(&project)?
            } else {
                open(&project)?
            };
            if let (Some(site), Some(source)) = (&args.site, &args.source) {
                let s = p.find_source(source)?;
                let actual = p
                    .sites()?
                    .into_iter()
                    .find(|x| x.id == s.site_id)
                    .map(|x| x.name)
                    .unwrap_or_default();
                if &actual != site {
                    return Err(lingtan::Error::new(
                        "SITE_MISMATCH",
                        Field::Site,
                        words![
                            Field::Site,
                            format!(" '{site}': source '{source}' is at site '{actual}'")
                        ],
                        words![
                            Field::Site,
                            format!(" “{site}”：排放源“{source}”属于场所“{actual}”")
                        ],
                    )
                    .into());
                }
            }
            let report = p.import(&file, &options)?;
            if args.json {
                print_json(&lingtan::json::import(&report, lang))?;
            } else {
                out!("{}", text::import(&report, args.dry_run, &project, lang));
            }
            if let (Some(checked), Some(path)) = (profile_out, &args.save_mapping) {
                if args.dry_run {
                    // a dry run writes nothing at all
                    eprintln!(
                        "{}",
                        match lang {
                            Lang::En => format!("note: the mapping was not saved to {}: a dry run writes nothing; it is saved when you import without --dry-run", path.display()),
                            Lang::Zh => format!("注意：映射未保存到 {}：试运行不写入任何文件；去掉 --dry-run 导入时才会保存", path.display()),
                        }
                    );
                } else if !report.refused() {
                    let name = path
                        .file_stem()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default();
                    let bytes =
                        lingtan::import::MappingProfile::from_import(&name, &report, &options)
                            .to_bytes();
                    if let Err(e) = checked.write(vec![lingtan::files::Fill::Bytes(&bytes)]) {
                        // checked before the import, so rare; the import itself stands
                        eprintln!(
                            "{}[{}]: {}",
                            lang.pick("error", "错误"),
                            e.code,
                            crate::face::message(&e, lang)
                        );
                        return Ok(ExitCode::from(1));
                    }
                }
            }
            Ok(if report.refused() {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
    }
}
