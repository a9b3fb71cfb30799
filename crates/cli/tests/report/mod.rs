//! `lingtan report` end to end: the sample factory's report as text against golden files, its
//! workbook recalculated by LibreOffice, its PDF read back by poppler, byte-identical output,
//! every printed character covered by the font, and bad input refused with nothing left behind.

use super::*;

fn files_in(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn the_sample_report_matches_the_golden_text_and_its_workbook_recalculates_in_libreoffice() {
    let dir = tempfile::tempdir().unwrap();
    let sample = build_sample(dir.path());
    let s = sample.to_str().unwrap();
    let g = golden_sample(&sample);
    g.check("report-en.txt");
    g.check("report-zh-en.txt");

    let a = dir.path().join("a.xlsx");
    let b = dir.path().join("b.xlsx");
    let out = ok(&["report", s, "--lang", "en", "--xlsx", a.to_str().unwrap()]);
    assert!(out.contains("a.xlsx"), "the sample report matches the golden text and its workbook recalculates in libreoffice: {out}");
    ok(&["report", s, "--lang", "en", "--xlsx", b.to_str().unwrap()]);
    assert_eq!(
        std::fs::read(&a).unwrap(),
        std::fs::read(&b).unwrap(),
        "the same project must give the same bytes"
    );

    // every formula cell, its cached value replaced by 0, recalculated by LibreOffice Calc
    let said = recalculates_in_libreoffice(&a, &dir.path().join("recalc"));
    // the sample has a reduction step: its Targets and Measures sheets carry live formulas (the
    // trajectory, CRF, annualised cost, MAC, NPV, payback) and they were recalculated too
    for sheet in ["Targets", "Measures"] {
        let count = said
            .lines()
            .find_map(|l| l.strip_prefix("formula cells per sheet: "))
            .and_then(|l| {
                l.split("; ")
                    .find_map(|x| x.strip_prefix(&format!("{sheet} ")))
                    .and_then(|n| n.parse::<usize>().ok())
            })
            .unwrap_or(0);
        assert!(
            count > 0,
            "the {sheet} sheet's formulas must be recalculated by LibreOffice too:\n{said}"
        );
    }
}

/// Run tests/report/recalc.py on a workbook: every formula recalculated by LibreOffice must give
/// the app's own figure.
pub(crate) fn recalculates_in_libreoffice(book: &Path, work: &Path) -> String {
    let check = Command::new("python3")
        .arg(root().join("tests/report/recalc.py"))
        .arg(book)
        .arg(work)
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&check.stdout);
    assert!(
        check.status.success(),
        "LibreOffice recalculation differs from the app:\n{said}{}",
        String::from_utf8_lossy(&check.stderr)
    );
    assert!(
        said.contains(" 0 differ"),
        "recalculates in libreoffice: {said}"
    );
    said.into_owned()
}

/// Names SUMIFS reads as patterns — wildcards, its escape, comparison operators — and names
/// that differ only in letter case (made in the store directly, as a project from before
/// Lingtan refused them would have them): each source's and site's total must recalculate to
/// its own figure. With the names as SUMIFS criteria, "Grid*" summed every source whose name
/// begins with "Grid", "a?b" took "axb" too, "<1" compared, "=A1" matched "A1" and "grid power"
/// took "Grid power".
#[test]
fn names_that_are_patterns_to_sumifs_total_exactly_when_libreoffice_recalculates() {
    let dir = tempfile::tempdir().unwrap();
    let sites = ["Main*", "Main plant", "<1", "=A1"];
    let sources = [
        ("Grid*", "Main*"),
        ("Grid power", "Main plant"),
        ("a?b", "Main plant"),
        ("axb", "Main*"),
        ("~x", "<1"),
        ("x", "=A1"),
        ("<1", "<1"),
        ("=A1", "=A1"),
        ("A1", "Main plant"),
    ];
    let mut names = lingtan_testkit::Build::new("names.lingtan", "Names Co.", 2024);
    for site in sites {
        names = names.site(site, Some("华东"));
    }
    for (source, site) in sources {
        names = names.source(source, site, "electricity", "kWh");
    }
    let p = names.create_file(dir.path());
    let s = p.to_str().unwrap();
    // names that differ only in case, as an older project may hold them
    {
        let mut store = lingtan_store::Store::open(&p, NOW, None).unwrap();
        let plant = store
            .sites()
            .unwrap()
            .into_iter()
            .find(|x| x.name == "Main plant")
            .unwrap();
        let lower = store
            .add_site(
                &lingtan_core::Site {
                    id: 0,
                    name: "main PLANT".into(),
                    grid_region: plant.grid_region.clone(),
                    address: None,
                    equity_pct: None,
                },
                NOW,
            )
            .unwrap();
        for (name, site) in [("grid power", plant.id), ("GRID POWER", lower.id)] {
            store
                .add_source(
                    &lingtan_core::Source {
                        id: 0,
                        name: name.into(),
                        site_id: site,
                        kind: lingtan_core::SourceKind::Electricity,
                        fuel: None,
                        factor_id: None,
                        market_factor_id: None,
                        unit: Some(lingtan_core::Unit::KWh),
                        uncertainty_pct: None,
                    },
                    NOW,
                )
                .unwrap();
        }
    }
    let all: Vec<&str> = sources
        .iter()
        .map(|(n, _)| *n)
        .chain(["grid power", "GRID POWER"])
        .collect();
    for (i, source) in all.iter().enumerate() {
        let qty = format!("{}", 1000 * (i + 1) + 7 * i);
        ok(&[
            "activity",
            "add",
            s,
            "--source",
            source,
            "--from",
            "2024-03-01",
            "--to",
            "2024-03-31",
            "--qty",
            &qty,
            "--unit",
            "kWh",
        ]);
    }
    let book = dir.path().join("names.xlsx");
    ok(&[
        "report",
        s,
        "--lang",
        "en",
        "--xlsx",
        book.to_str().unwrap(),
    ]);
    recalculates_in_libreoffice(&book, &dir.path().join("recalc"));
}

#[test]
fn a_report_that_cannot_be_made_is_refused_and_leaves_nothing_behind() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let o = |name: &str| out.join(name).to_str().unwrap().to_string();

    // an empty project
    let empty = dir.path().join("empty.lingtan");
    let e = empty.to_str().unwrap();
    ok(&["new", e, "--org", "Empty", "--year", "2024"]);
    let r = lingtan(&["report", e, "--lang", "en", "--xlsx", &o("e.xlsx")]);
    assert_eq!(
        r.status.code(),
        Some(1),
        "a report of a project without sources is refused (exit 1): it would show nothing"
    );
    assert!(
        stderr(&r).contains("no emission sources"),
        "a report that cannot be made is refused and leaves nothing behind: {}",
        stderr(&r)
    );

    // a year with no data
    let sample = build_sample(dir.path());
    let s = sample.to_str().unwrap();
    let r = lingtan(&[
        "report",
        s,
        "--lang",
        "en",
        "--year",
        "2019",
        "--xlsx",
        &o("y.xlsx"),
    ]);
    assert_eq!(
        r.status.code(),
        Some(1),
        "a report of a year without data is refused (exit 1)"
    );
    assert!(
        stderr(&r).contains("no activity data in 2019"),
        "a report that cannot be made is refused and leaves nothing behind: {}",
        stderr(&r)
    );

    // a report date that is not a date: refused, named, nothing changed
    let before = std::fs::read(&sample).unwrap();
    let r = lingtan(&[
        "--lang",
        "en",
        "project",
        "set",
        s,
        "--report-date",
        "2025-13-45",
    ]);
    assert_eq!(
        r.status.code(),
        Some(1),
        "an invalid --report-date is refused (exit 1)"
    );
    assert!(
        stderr(&r).contains("report-date"),
        "a report that cannot be made is refused and leaves nothing behind: {}",
        stderr(&r)
    );
    assert_eq!(
        std::fs::read(&sample).unwrap(),
        before,
        "a refused report leaves the project byte-identical"
    );

    // the output is the project file itself
    let before = std::fs::read(&sample).unwrap();
    let r = lingtan(&["report", s, "--lang", "en", "--xlsx", s]);
    assert_eq!(
        r.status.code(),
        Some(1),
        "writing the report over the project file is refused (exit 1)"
    );
    assert!(
        stderr(&r).contains("the project file itself"),
        "a report that cannot be made is refused and leaves nothing behind: {}",
        stderr(&r)
    );
    assert_eq!(
        std::fs::read(&sample).unwrap(),
        before,
        "the project the report would have overwritten is byte-identical"
    );

    // a folder that does not exist, and a "folder" that is a file
    let r = lingtan(&["report", s, "--lang", "en", "--xlsx", &o("missing/x.xlsx")]);
    assert_eq!(
        r.status.code(),
        Some(1),
        "a report into a missing folder is refused (exit 1)"
    );
    assert!(
        stderr(&r).contains("does not exist"),
        "a report that cannot be made is refused and leaves nothing behind: {}",
        stderr(&r)
    );
    std::fs::write(out.join("plain.txt"), "x").unwrap();
    let r = lingtan(&[
        "report",
        s,
        "--lang",
        "en",
        "--xlsx",
        &o("plain.txt/x.xlsx"),
    ]);
    assert_eq!(
        r.status.code(),
        Some(1),
        "a report into a 'folder' that is a file is refused (exit 1)"
    );

    // the PDF and the workbook given the same name: refused before either is written
    let r = lingtan(&[
        "report",
        s,
        "--lang",
        "en",
        "--xlsx",
        &o("r.out"),
        "--pdf",
        &o("r.out"),
    ]);
    assert_eq!(r.status.code(), Some(1), "the PDF and the workbook given the same name are refused (exit 1): one would overwrite the other");
    assert!(
        stderr(&r).contains("same file"),
        "a report that cannot be made is refused and leaves nothing behind: {}",
        stderr(&r)
    );
    // the PDF is the project, or in a missing folder, while the workbook is fine: nothing at all
    for bad in [s.to_string(), o("missing/r.pdf")] {
        let r = lingtan(&[
            "report",
            s,
            "--lang",
            "en",
            "--xlsx",
            &o("r.xlsx"),
            "--pdf",
            &bad,
        ]);
        assert_eq!(
            r.status.code(),
            Some(1),
            "a report that cannot be made is refused and leaves nothing behind: {bad}"
        );
        assert!(
            stderr(&r).contains("--pdf"),
            "a report that cannot be made is refused and leaves nothing behind: {}",
            stderr(&r)
        );
    }
    assert_eq!(
        std::fs::read(&sample).unwrap(),
        before,
        "nothing of a refused report pair is written and the project is byte-identical"
    );

    // a source without a factor: its emissions would be left out, so no report
    ok(&[
        "source",
        "add",
        s,
        "Kiln CO2",
        "--site",
        "Anji plant",
        "--kind",
        "process",
        "--unit",
        "t",
    ]);
    ok(&[
        "activity",
        "add",
        s,
        "--source",
        "Kiln CO2",
        "--from",
        "2024-03-01",
        "--to",
        "2024-03-31",
        "--qty",
        "5",
        "--unit",
        "t",
    ]);
    let r = lingtan(&[
        "report",
        s,
        "--lang",
        "en",
        "--pdf",
        &o("k.pdf"),
        "--xlsx",
        &o("k.xlsx"),
    ]);
    assert_eq!(
        r.status.code(),
        Some(1),
        "a source without a factor refuses the report (exit 1): its emissions would be left out"
    );
    let said = stderr(&r);
    assert!(
        said.contains("would leave emissions out"),
        "a report that cannot be made is refused and leaves nothing behind: {said}"
    );
    assert!(
        said.contains("Kiln CO2") && said.contains("FACTOR_MISSING"),
        "a report that cannot be made is refused and leaves nothing behind: {said}"
    );

    // a language that is not one
    let r = lingtan(&["report", s, "--lang", "fr"]);
    assert_eq!(
        r.status.code(),
        Some(1),
        "an unknown --lang is refused (exit 1)"
    );
    assert!(
        stderr(&r).contains("zh, en or zh+en"),
        "a report that cannot be made is refused and leaves nothing behind: {}",
        stderr(&r)
    );

    assert_eq!(
        files_in(&out),
        vec!["plain.txt".to_string()],
        "no partial file may be left behind"
    );
}

fn poppler(tool: &str, args: &[&Path]) -> String {
    let o = Command::new(tool)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{tool} (poppler-utils) is needed for this test: {e}"));
    assert!(o.status.success(), "poppler: {tool}: {}", stderr(&o));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn the_sample_pdf_reads_back_with_its_figures_metadata_and_page_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let sample = build_sample(dir.path());
    let s = sample.to_str().unwrap();
    let a = dir.path().join("a.pdf");
    let b = dir.path().join("b.pdf");
    let x = dir.path().join("a.xlsx");
    let said = ok(&[
        "report",
        s,
        "--lang",
        "zh+en",
        "--pdf",
        a.to_str().unwrap(),
        "--xlsx",
        x.to_str().unwrap(),
    ]);
    assert!(
        said.contains("a.pdf") && said.contains("a.xlsx"),
        "the sample pdf reads back with its figures metadata and page numbers: {said}"
    );
    ok(&["report", s, "--lang", "zh+en", "--pdf", b.to_str().unwrap()]);
    let bytes = std::fs::read(&a).unwrap();
    assert_eq!(
        bytes,
        std::fs::read(&b).unwrap(),
        "the same project must give the same PDF bytes"
    );
    assert!(
        bytes.len() < 1024 * 1024,
        "the sample PDF must stay under 1 MiB: {}",
        bytes.len()
    );

    let info = poppler("pdfinfo", &[&a]);
    let field = |name: &str| {
        info.lines()
            .find_map(|l| l.strip_prefix(name))
            .map(|v| v.trim().to_string())
            .unwrap_or_default()
    };
    assert!(
        field("Title:").contains("Anji Greenleaf"),
        "the sample pdf reads back with its figures metadata and page numbers: {info}"
    );
    assert!(
        field("Title:").contains("2024"),
        "the sample pdf reads back with its figures metadata and page numbers: {info}"
    );
    assert_eq!(
        field("Author:"),
        "EHS Dept. 环境健康安全部 (Wang Li 王丽)",
        "the PDF's author is the preparer set with the report details"
    );
    assert!(
        field("CreationDate:").contains("2025"),
        "from the report date, not the clock: {info}"
    );
    assert!(
        !info.contains("PDF/X"),
        "the sample pdf reads back with its figures metadata and page numbers: {info}"
    );
    let pages: usize = field("Pages:").parse().unwrap();
    assert!(
        pages >= 8,
        "the sample pdf reads back with its figures metadata and page numbers: {info}"
    );
    assert_eq!(
        field("Page size:"),
        "595.276 x 841.891 pts (A4)",
        "the report is A4, the paper Chinese certifiers file"
    );

    // the font is embedded and subset; the text is extractable (searchable), in both languages
    let fonts = poppler("pdffonts", &[&a]);
    assert!(
        fonts.contains("+NotoSansSC-Regular"),
        "the sample pdf reads back with its figures metadata and page numbers: {fonts}"
    );
    let text = poppler("pdftotext", &[&a, Path::new("-")]);
    // the data fingerprint the inventory states is the one the PDF prints (its first 16 digits
    // at least: the PDF may wrap the rest)
    let inventory: serde_json::Value =
        serde_json::from_str(&ok(&["inventory", sample.to_str().unwrap(), "--json"])).unwrap();
    let fingerprint = inventory["fingerprint"].as_str().unwrap_or_default();
    assert!(
        fingerprint.len() == 64 && text.contains(&fingerprint[..16]),
        "the PDF prints the project's data fingerprint {fingerprint}"
    );
    for wanted in [
        "2024 年度温室气体排放报告",
        "GHG inventory report 2024",
        "2,107.120",
        "2,241.926",
        "1,244.012",
        "范围一（直接排放）",
        "electricity-ledger-2024.csv",
        "Statement of conformity",
        // the reduction section with its charts' titles
        "8 碳减排 / Reduction",
        "Marginal abatement cost curve",
        "What changed",
    ] {
        assert!(text.contains(wanted), "the PDF text lacks {wanted:?}");
    }
    // every page carries "page x of y", in both languages
    let first = poppler(
        "pdftotext",
        &[
            Path::new("-f"),
            Path::new("1"),
            Path::new("-l"),
            Path::new("1"),
            &a,
            Path::new("-"),
        ],
    );
    assert!(
        first.contains(&format!("第 1 页 / 共 {pages} 页 · Page 1 of {pages}")),
        "the sample pdf reads back with its figures metadata and page numbers: {first}"
    );
    let last_n = pages.to_string();
    let last = poppler(
        "pdftotext",
        &[
            Path::new("-f"),
            Path::new(&last_n),
            Path::new("-l"),
            Path::new(&last_n),
            &a,
            Path::new("-"),
        ],
    );
    assert!(
        last.contains(&format!("Page {pages} of {pages}")),
        "the sample pdf reads back with its figures metadata and page numbers: {last}"
    );
    // a table that runs over a page repeats its header: the lineage appendix
    let header_pages = (1..=pages)
        .filter(|p| {
            let n = p.to_string();
            poppler(
                "pdftotext",
                &[
                    Path::new("-f"),
                    Path::new(&n),
                    Path::new("-l"),
                    Path::new(&n),
                    &a,
                    Path::new("-"),
                ],
            )
            .contains("Evidence (SHA-256)")
        })
        .count();
    assert!(
        header_pages >= 2,
        "the lineage table's header must repeat on each of its pages"
    );
}

/// The characters of every report the sample can give, in every language, against the font:
/// each has a glyph, or is a subscript digit drawn lowered. Nothing prints as a box.
#[test]
fn every_character_the_sample_report_prints_has_a_glyph() {
    use lingtan_report::font::{Font, Glyph};
    let dir = tempfile::tempdir().unwrap();
    let sample = build_sample(dir.path());
    let clock = lingtan_testkit::clock(NOW);
    let project = lingtan::Project::open(&sample, clock).unwrap();
    let data = project.report_data(None).unwrap();
    let font = Font::get();
    let mut subscripts = 0;
    for lang in [
        lingtan_report::Langs::One(lingtan::Lang::Zh),
        lingtan_report::Langs::One(lingtan::Lang::En),
        lingtan_report::Langs::Both,
    ] {
        let doc = lingtan_report::doc::build(&data, lang);
        let laid = lingtan_report::layout::lay_out(&doc).unwrap();
        let mut seen = String::new();
        for t in laid.texts() {
            seen.push_str(t);
        }
        // the charts' categories and series are printed too
        for block in &doc.blocks {
            if let lingtan_report::doc::Block::Chart(c) = block {
                seen.push_str(&c.title);
                seen.push_str(&c.categories.concat());
                for (name, _) in &c.series {
                    seen.push_str(name);
                }
            }
        }
        assert!(
            seen.chars().count() > 5_000,
            "{lang:?}: the report printed little"
        );
        for c in seen.chars() {
            match font.glyph(c) {
                Glyph::Plain(_) => {}
                Glyph::Sub(_) => subscripts += 1,
                Glyph::Missing => panic!("{lang:?}: no glyph for {c:?} (U+{:04X})", c as u32),
            }
        }
        // the same document, laid out twice in one process, gives the same PDF
        let one = lingtan_report::pdf::render(&doc).unwrap();
        let two = lingtan_report::pdf::render(&doc).unwrap();
        assert!(
            one.bytes == two.bytes,
            "{lang:?}: a second PDF in the same process differs"
        );
        assert!(
            one.missing.is_empty(),
            "every character of the report has a glyph: nothing is drawn as a box"
        );
    }
    assert!(
        subscripts > 0,
        "the gas table prints CO₂ and CH₄ with subscripts"
    );
}

#[test]
fn a_name_the_font_cannot_print_is_reported_not_dropped() {
    let dir = tempfile::tempdir().unwrap();
    let sample = build_sample(dir.path());
    let s = sample.to_str().unwrap();
    // 𠀀 (U+20000) is outside GBK: the built-in font has no glyph for it
    ok(&["site", "add", s, "Annex 𠀀", "--grid", "CN-East"]);
    let pdf = dir.path().join("r.pdf");
    let r = lingtan(&["report", s, "--lang", "en", "--pdf", pdf.to_str().unwrap()]);
    assert!(
        r.status.success(),
        "a name the font cannot print is reported not dropped: {}",
        stderr(&r)
    );
    assert!(
        stderr(&r).contains("U+20000"),
        "a name the font cannot print is reported not dropped: {}",
        stderr(&r)
    );
    assert!(
        stderr(&r).contains("Annex 𠀀”"),
        "names where it is: {}",
        stderr(&r)
    );
    let text = poppler("pdftotext", &[&pdf, Path::new("-")]);
    assert!(text.contains("Annex □"), "printed as a visible box");
}

/// The report of a claim period that is not a calendar year (July 2024 to June 2025 of the
/// sample): its title and period line say the days, its months run 2024-07 … 2025-06 with their
/// years, its totals are `inventory --from --to`'s, its workbook recalculates in LibreOffice to
/// the app's figures, and a period backwards, in the future or beyond the data is refused as
/// `inventory` refuses it, with no file written.
#[test]
fn the_report_of_july_to_june_says_its_period_and_its_workbook_recalculates() {
    let dir = tempfile::tempdir().unwrap();
    let sample = build_sample(dir.path());
    let s = sample.to_str().unwrap();
    // the sample's clock is 2025-03-15; the claim is made after the period
    let later = cli().env("LINGTAN_NOW", "2026-03-20T09:00:00Z");
    let period = ["--from", "2024-07-01", "--to", "2025-06-30"];
    let text = later.ok(&[&["report", s, "--lang", "en"][..], &period[..]].concat());
    assert!(
        text.starts_with(
            "Anji Greenleaf Outdoor Furniture Co., Ltd. — GHG inventory report 2024-07-01 – 2025-06-30\n"
        ),
        "the title names the period's days, not a year:\n{}",
        &text[..300.min(text.len())]
    );
    assert!(
        text.contains("Reporting period: 2024-07-01 — 2025-06-30\n"),
        "the cover's period line is the claim period"
    );
    assert!(
        text.contains("From 2024-07-01 to 2025-06-30 the organisation emitted"),
        "the summary says the period, not a year"
    );
    let by_month = text
        .split("4.3 By month")
        .nth(1)
        .and_then(|t| t.split("4.4 By gas").next())
        .expect("the report has its table by month");
    let months: Vec<&str> = by_month
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .filter(|w| w.len() == 7 && w.as_bytes()[4] == b'-')
        .collect();
    assert_eq!(
        months,
        vec![
            "2024-07", "2024-08", "2024-09", "2024-10", "2024-11", "2024-12", "2025-01", "2025-02",
            "2025-03", "2025-04", "2025-05", "2025-06"
        ],
        "the months of a period across two years are labelled by year and month, in order"
    );
    // the report's totals are the period's inventory's
    let inv: serde_json::Value =
        serde_json::from_str(&later.ok(&[&["inventory", s, "--json"][..], &period[..]].concat()))
            .unwrap();
    for key in ["total_location", "total_market"] {
        let exact: lingtan_core::Decimal = inv["totals"][key].as_str().unwrap().parse().unwrap();
        let shown = lingtan_core::text::grouped(exact, 3);
        assert!(
            text.contains(&shown),
            "the report states the period's {key} as the inventory computes it ({shown})"
        );
    }
    let year_report = later.ok(&["report", s, "--year", "2025", "--lang", "en"]);
    assert_ne!(
        year_report, text,
        "July to June is not the calendar year 2025"
    );

    let book = dir.path().join("period.xlsx");
    let pdf = dir.path().join("period.pdf");
    later.ok(&[
        &[
            "report",
            s,
            "--lang",
            "en",
            "--xlsx",
            book.to_str().unwrap(),
        ][..],
        &["--pdf", pdf.to_str().unwrap()][..],
        &period[..],
    ]
    .concat());
    let said = recalculates_in_libreoffice(&book, &dir.path().join("recalc"));
    assert!(
        said.contains("Calculation "),
        "the period's Calculation sheet was recalculated:\n{said}"
    );
    let pdf_text = Command::new("pdftotext")
        .arg(&pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler) runs");
    assert!(
        String::from_utf8_lossy(&pdf_text.stdout).contains("2024-07-01 – 2025-06-30"),
        "the PDF names the period"
    );

    // the refusals of `inventory --from --to`, with nothing written
    for (from, to, code) in [
        ("2025-06-30", "2024-07-01", "CLAIM_PERIOD_REVERSED"),
        ("2025-07-01", "2026-06-30", "CLAIM_PERIOD_IN_FUTURE"),
        ("2019-07-01", "2020-06-30", "CLAIM_PERIOD_BEYOND_DATA"),
    ] {
        let out = dir.path().join(format!("{code}.pdf"));
        let o = later.run(&[
            "report",
            s,
            "--from",
            from,
            "--to",
            to,
            "--pdf",
            out.to_str().unwrap(),
        ]);
        assert_eq!(o.code, Some(1), "{from} – {to} is refused: {}", o.shown());
        assert!(
            o.stderr.contains(code),
            "{from} – {to} is refused with {code}: {}",
            o.shown()
        );
        assert!(!out.exists(), "a refused report writes no file");
    }
}
