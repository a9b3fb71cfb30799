//! One test per fixed bug of the desktop app, named for it; each fails on the code before its fix.
//!
//! Two of the fixes live in the UI's TypeScript (the catalogue `ui/src/lib/i18n.ts` and the
//! screens). The project has no JavaScript test runner (and Node 20 cannot run TypeScript), so
//! they are tested here, at the seam: the codes the Rust side really sends (import roles, record
//! statuses, taken from real imports and a real record history) must each have a Chinese label
//! in the catalogue, and the screen must show the label, not the code.

use crate::view;
use crate::{settings, Shared};
use lingtan::core::Lang;
use lingtan::import::ImportOptions;
use lingtan::ActivityEntry;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Mutex, RwLock};

/// The desktop's state with nothing open, speaking `lang`.
fn shared(lang: Lang) -> Shared {
    Shared {
        lang: RwLock::new(lang),
        open: Mutex::new(None),
        settings: Mutex::new(settings::Settings::load(None, None)),
        import: Mutex::new(None),
        sample: None,
        exported: Mutex::new(Vec::new()),
        drops: Mutex::new(None),
        clock: Ok(lingtan_testkit::clock(lingtan_testkit::NOW)),
    }
}

/// A repository file's text.
fn repo_text(path: &str) -> String {
    let full = lingtan_testkit::root().join(path);
    std::fs::read_to_string(&full).unwrap_or_else(|e| {
        panic!(
            "{} is what the test checks; it must be readable: {e}",
            full.display()
        )
    })
}

/// The Chinese catalogue of ui/src/lib/i18n.ts: `key: 'text'` lines of `export const zh = { … };`.
fn zh_catalogue() -> BTreeMap<String, String> {
    let text = repo_text("ui/src/lib/i18n.ts");
    let start = text
        .find("export const zh = {")
        .expect("i18n.ts defines the Chinese catalogue as `export const zh = {`");
    let body = &text[start..];
    let end = body.find("\n};").expect("the zh catalogue ends with `};`");
    body[..end]
        .lines()
        .skip(1)
        .filter_map(|l| {
            let (key, value) = l.trim().split_once(": ")?;
            let value = value
                .trim_end_matches(',')
                .trim_matches(|c| c == '\'' || c == '"');
            Some((key.to_string(), value.to_string()))
        })
        .collect()
}

fn has_chinese(text: &str) -> bool {
    text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

#[test]
fn import_path_error_names_path_field() {
    // fixed in 1715c37: a file the import cannot read was refused with lingtan's field `file`,
    // which no field of the Import form has, so the message stood nowhere near the path
    let dir = lingtan_testkit::tempdir();
    let mut p = lingtan_testkit::small().create(dir.path());
    let missing = dir.path().join("no-such-bills.xlsx");
    let refused = p
        .import(
            &missing,
            &ImportOptions {
                source: Some("Grid power".into()),
                dry_run: true,
                ..Default::default()
            },
        )
        .expect_err("a file that is not there cannot be imported");
    for lang in [Lang::En, Lang::Zh] {
        let api = shared(lang).api(refused.clone());
        assert_eq!(
            api.field.as_deref(),
            Some("path"),
            "the Import form's file field is `path`: the refusal ({}: {}) must name it to stand next to it",
            api.code,
            api.message
        );
    }
}

#[test]
fn import_preview_role_labels_are_chinese() {
    // fixed in 55b7197: the preview's roleLabel returned the role's code, so a Chinese user read
    // `quantity`, `period`, `slots` … next to the columns of their own file
    let dir = lingtan_testkit::tempdir();
    let mut p = lingtan_testkit::small().create(dir.path());
    let mut roles = BTreeSet::new();
    for folder in ["sample-data/excel", "tests/import"] {
        let entries = std::fs::read_dir(lingtan_testkit::root().join(folder))
            .unwrap_or_else(|e| panic!("{folder} holds the real exports the test imports: {e}"));
        for entry in entries.flatten() {
            let path = entry.path();
            let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
            if !matches!(ext, "xlsx" | "xls" | "csv") {
                continue;
            }
            // a dry run: the mapping is shown even when the rows do not fit the source
            if let Ok(report) = p.import(
                &path,
                &ImportOptions {
                    source: Some("Grid power".into()),
                    dry_run: true,
                    ..Default::default()
                },
            ) {
                let shown = view::import_result(&report, Lang::Zh);
                for m in shown.mappings {
                    roles.extend(m.columns.into_iter().map(|c| c.role));
                }
            }
        }
    }
    for expected in [
        "period", "quantity", "sharp", "time", "value", "slots", "date",
    ] {
        assert!(
            roles.contains(expected),
            "the real exports must show the role `{expected}` for this test to cover it (seen: {roles:?})"
        );
    }
    let zh = zh_catalogue();
    let unlabelled: Vec<&String> = roles
        .iter()
        .filter(|r| !zh.get(&format!("role_{r}")).is_some_and(|l| has_chinese(l)))
        .collect();
    assert!(
        unlabelled.is_empty(),
        "every column role the preview sends needs a Chinese label `role_<code>` in i18n.ts, or a Chinese user reads the English code; missing: {unlabelled:?}"
    );
    let screen = repo_text("ui/src/steps/inventory/Import.svelte");
    assert!(
        screen.contains("`role_${r}`") && screen.contains("t(key as Key)"),
        "the Import screen's roleLabel must look the role up in the catalogue (`role_${{r}}` through t), not show the code"
    );
}

#[test]
fn record_history_status_in_chosen_language() {
    // fixed in 0302a2f: the history badge showed `current`, `superseded`, `void` in English
    // whatever the language
    let dir = lingtan_testkit::tempdir();
    let mut p = lingtan_testkit::small().create(dir.path());
    let first = p
        .activities(Some("Grid power"))
        .expect("the small project's records can be listed")
        .into_iter()
        .next()
        .expect("the small project has one record of grid power");
    let corrected = p
        .correct_activity(
            first.id,
            &ActivityEntry {
                source: "Grid power".into(),
                from: "2024-01-01".into(),
                to: "2024-01-31".into(),
                qty: "1100".into(),
                unit: "kWh".into(),
                reason: Some("meter re-read".into()),
                ..Default::default()
            },
        )
        .expect("a correction with a reason is accepted");
    let statuses_of = |p: &lingtan::Project| -> Vec<String> {
        p.activity_history(first.id)
            .expect("the record's history can be read")
            .into_iter()
            .map(|a| view::record_version(a).status)
            .collect()
    };
    let mut statuses: BTreeSet<String> = statuses_of(&p).into_iter().collect();
    p.void_activity(corrected.id, "entered twice")
        .expect("a void with a reason is accepted");
    statuses.extend(statuses_of(&p));
    assert_eq!(
        statuses,
        BTreeSet::from(["current", "superseded", "void"].map(String::from)),
        "a record corrected, then voided, has shown every status a version can have"
    );
    let zh = zh_catalogue();
    let screen = repo_text("ui/src/steps/inventory/Records.svelte");
    for status in &statuses {
        let mut key = String::from("status");
        let mut chars = status.chars();
        if let Some(c) = chars.next() {
            key.push(c.to_ascii_uppercase());
            key.extend(chars);
        }
        assert!(
            zh.get(&key).is_some_and(|l| has_chinese(l)),
            "the history's status `{status}` needs a Chinese label `{key}` in i18n.ts"
        );
        assert!(
            screen.contains(&format!("t('{key}')")),
            "the Records screen must show `{status}` through t('{key}'), in the chosen language"
        );
    }
    assert!(
        !screen.contains(">{h.status}<"),
        "the Records screen must not show the status code itself as text (a data-status attribute is fine)"
    );
}

/// Command-line text in a message: a flag (`--grid`) or a command (`lingtan factors`).
fn command_line_text(message: &str) -> Option<&'static str> {
    let flag = message
        .match_indices("--")
        .any(|(i, _)| message[i + 2..].starts_with(|c: char| c.is_ascii_lowercase()));
    if flag {
        Some("a flag")
    } else if message.contains("lingtan ") {
        Some("a command")
    } else {
        None
    }
}

/// Every message the desktop shows in `shown` (a DTO as JSON) that holds command-line text.
fn with_command_line_text(shown: &serde_json::Value, out: &mut Vec<String>) {
    match shown {
        serde_json::Value::String(s) if command_line_text(s).is_some() => out.push(s.clone()),
        serde_json::Value::Array(items) => {
            items.iter().for_each(|v| with_command_line_text(v, out))
        }
        serde_json::Value::Object(map) => map.values().for_each(|v| with_command_line_text(v, out)),
        _ => {}
    }
}

#[test]
fn issue_messages_show_no_command_line_flag() {
    // issue 14: the calculation's and the importers' issues held command-line text (`--grid`,
    // `--multiplier 0001=N`, `lingtan factors --search ID`) that the desktop showed as it was,
    // or cut out after the fact (`without_cli`) for the reduction screens
    use lingtan::core::{Issue, Severity};
    use lingtan::{words, Action, Field, Ref};
    let mut found: Vec<String> = Vec::new();
    let dir = lingtan_testkit::tempdir();
    // a project whose inventory has the issues that tell the person what to set: a site without
    // a grid region, a boiler without its fuel, a refrigerant without its gas, an unknown factor
    let mut p = lingtan_testkit::Build::new("gaps.lingtan", "Gaps Works", 2024)
        .base_year(2024)
        .site("Annex", None)
        .site("Main plant", Some("华东"))
        .source("Office power", "Annex", "electricity", "kWh")
        .source("Boiler", "Main plant", "stationary-combustion", "m3")
        .source("Chiller", "Main plant", "fugitive", "kg")
        .record("Office power", "2024-01-01", "2024-01-31", "1000", "kWh")
        .record("Boiler", "2024-01-01", "2024-01-31", "100", "m3")
        .record("Chiller", "2024-01-01", "2024-12-31", "2", "kg")
        .create(dir.path());
    for lang in [Lang::En, Lang::Zh] {
        let mut cache = view::Cache::default();
        let results = view::results(&p, &mut cache, lang).expect("the inventory is computed");
        assert!(
            results.issues.iter().any(|i| i.code == "FACTOR_MISSING"),
            "the project must have the issues the test is about"
        );
        with_command_line_text(&serde_json::to_value(&results).expect("a DTO"), &mut found);
        let reduction = crate::reduction::reduction(&p, Some(2024), None, lang)
            .expect("the reduction step is shown");
        with_command_line_text(
            &serde_json::to_value(&reduction).expect("a DTO"),
            &mut found,
        );
        let offset = p
            .offset(Some(2024), None)
            .expect("the offset step is computed");
        for i in &offset.summary.issues {
            let shown = crate::issue_message(i.words(lang), lang);
            if command_line_text(&shown).is_some() {
                found.push(shown);
            }
        }
    }
    // an import preview with the problems that name an option: a sheet that is not there, one
    // multiplier for a file of several meters, a timestamp rule for a wide file
    let imports = [
        (
            "tests/import/sg-96pt-registers.xlsx",
            ImportOptions {
                multiplier: Some(lingtan::core::Decimal::from(880000)),
                ..Default::default()
            },
        ),
        (
            "tests/import/sg-96pt-registers.xlsx",
            ImportOptions {
                sheet: Some("no such sheet".into()),
                ..Default::default()
            },
        ),
        (
            "tests/import/sg-96pt-registers.xlsx",
            ImportOptions::default(),
        ),
        (
            "tests/import/sg-96pt-registers.xlsx",
            ImportOptions {
                multipliers: vec![("1234".into(), lingtan::core::Decimal::from(80))],
                ..Default::default()
            },
        ),
    ];
    let mut codes = BTreeSet::new();
    for (file, options) in imports {
        let options = ImportOptions {
            source: Some("Office power".into()),
            dry_run: true,
            ..options
        };
        let report = p
            .import(&lingtan_testkit::root().join(file), &options)
            .unwrap_or_else(|e| panic!("{file} is read and its problems listed: {e}"));
        for lang in [Lang::En, Lang::Zh] {
            let shown = view::import_result(&report, lang);
            codes.extend(shown.issues.iter().map(|i| i.code.clone()));
            with_command_line_text(&serde_json::to_value(&shown).expect("a DTO"), &mut found);
        }
    }
    for code in [
        "MULTIPLIER_AMBIGUOUS",
        "SHEET_NOT_FOUND",
        "MULTIPLIER_MISSING",
        "MULTIPLIER_METER_UNKNOWN",
    ] {
        assert!(
            codes.contains(code),
            "the imports must give {code} for the test to cover it (seen: {codes:?})"
        );
    }
    // the offset step's refusals of a record that is not there (issue 17: they named
    // `lingtan eac list` and `lingtan credit list`)
    let unknown = [
        p.void_eac("no-such-certificate", "entered twice")
            .expect_err("a certificate that is not recorded cannot be voided"),
        p.void_credit("no-such-block", "entered twice")
            .expect_err("a credit block that is not recorded cannot be voided"),
    ];
    for e in &unknown {
        for lang in [Lang::En, Lang::Zh] {
            let cli = e.render(lang, &|r| r.command_line(lang));
            assert!(
                cli.contains("`lingtan eac list`") || cli.contains("`lingtan credit list`"),
                "the command line keeps its command in {}: {cli}",
                e.code
            );
            let shown = crate::message(e, lang);
            if command_line_text(&shown).is_some() {
                found.push(shown);
            }
        }
    }
    assert_eq!(
        unknown.iter().map(|e| e.code).collect::<Vec<_>>(),
        ["UNKNOWN_EAC", "UNKNOWN_CREDIT"],
        "the refusals the test is about"
    );
    // and each kind of reference, built by hand
    let issue = Issue::new(
        "FACTOR_UNVERIFIED",
        Severity::Warning,
        "Main plant / Boiler".into(),
        words![
            "set its ",
            Field::Grid,
            " or ",
            Ref::Name(Field::Multiplier),
            "; see ",
            Action::ListFactors,
            " and ",
            Ref::ActionOn(Action::ListFactors, "X-1".into())
        ],
        words![
            "请设置 ",
            Field::Grid,
            "；见 ",
            Ref::ActionOn(Action::ShowInventory, "2024".into())
        ],
    );
    for lang in [Lang::En, Lang::Zh] {
        let shown = crate::issue_message(issue.words(lang), lang);
        assert!(
            command_line_text(&issue.message(lang)).is_some(),
            "the command line words the same issue with its flags and commands: {}",
            issue.message(lang)
        );
        if command_line_text(&shown).is_some() {
            found.push(shown);
        }
    }
    assert!(
        found.is_empty(),
        "a desktop user cannot type a flag or a command: every message must name the form field or the screen instead; shown: {found:#?}"
    );
}

#[test]
fn import_list_counts_a_certificate_batch() {
    // issue 17: the Import screen's list showed 0 records for an import of a green-certificate
    // platform's export (it writes certificates, not activity rows), where `lingtan import list`
    // shows "3 certificates"
    let dir = lingtan_testkit::tempdir();
    let mut p = lingtan_testkit::grid_plant("eac.lingtan", "Certificate Works", 2025, &[])
        .now("2026-03-01T08:00:00Z")
        .create(dir.path());
    let done = p
        .import_eacs(
            &lingtan_testkit::root().join("tests/import/gec-trades.xlsx"),
            &lingtan::EacImportOptions::default(),
        )
        .expect("the platform's export of three trades is imported");
    let batch = done.batch.expect("the import wrote a batch");
    let certificates = p.eacs(None).expect("the certificates are listed").len();
    assert_eq!(certificates, 3, "the export holds three trades");
    for (lang, what) in [(Lang::En, "certificates"), (Lang::Zh, "张证书")] {
        let listed = view::batches(&p, lang).expect("the import list is read");
        let row = listed
            .iter()
            .find(|b| b.id == batch)
            .expect("the batch is on the Import screen's list");
        assert_eq!(
            (row.records, row.records_what.as_str()),
            (certificates as u64, what),
            "the list counts what the batch wrote, as the command line's `import list` does"
        );
    }
}
