//! The UI's fonts (ui/src/fonts.css, made by tools/make-font.sh): the small face the window loads
//! first must hold every character the interface itself writes, or that text would wait for the
//! 7.5 MB GBK cut; and in each family it must be declared after the full cut, so that it is the
//! face tried first. Reads the files only: no window, no font parsing (the script checks the
//! face's characters against the unicode-range it writes).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

const UI_FACE: &str = "NotoSansSC-Regular-UI.woff2";
const FULL_FACE: &str = "NotoSansSC-Regular-GBK.ttf";

fn ui_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .join("ui")
}

fn fonts_css() -> String {
    let path = ui_dir().join("src/fonts.css");
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (run tools/make-font.sh ui)", path.display()))
}

/// The `@font-face` blocks of a style sheet, in order: (family, source file, code points).
fn faces(css: &str) -> Vec<(String, String, BTreeSet<u32>)> {
    let mut out = Vec::new();
    for block in css.split("@font-face").skip(1) {
        let body = block
            .split('}')
            .next()
            .unwrap_or("")
            .trim_start()
            .trim_start_matches('{');
        let value = |name: &str| -> String {
            body.split(';')
                .find_map(|decl| decl.trim().strip_prefix(name))
                .and_then(|rest| rest.trim_start().strip_prefix(':'))
                .map(|v| v.trim().to_string())
                .unwrap_or_default()
        };
        let family = value("font-family").trim_matches('\'').to_string();
        let src = value("src");
        let mut points = BTreeSet::new();
        for range in value("unicode-range").split(',') {
            let range = range.trim();
            let Some(hex) = range.strip_prefix("U+") else {
                continue;
            };
            let (lo, hi) = hex.split_once('-').unwrap_or((hex, hex));
            let lo = u32::from_str_radix(lo, 16).expect("hex in unicode-range");
            let hi = u32::from_str_radix(hi, 16).expect("hex in unicode-range");
            points.extend(lo..=hi);
        }
        out.push((family, src, points));
    }
    out
}

/// Every file of the interface's own text: the page, the components, the catalogue, the styles
/// (the generated bindings hold types only; fonts.css is what is checked).
fn interface_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if path.is_dir() {
            if name != "bindings" {
                interface_files(&path, out);
            }
        } else if name != "fonts.css"
            && [".ts", ".svelte", ".css", ".html"]
                .iter()
                .any(|ext| name.ends_with(ext))
        {
            out.push(path);
        }
    }
}

#[test]
fn the_interface_face_holds_every_character_the_interface_writes() {
    let faces = faces(&fonts_css());
    let ui: BTreeSet<u32> = faces
        .iter()
        .filter(|(_, src, _)| src.contains(UI_FACE))
        .flat_map(|(_, _, points)| points.iter().copied())
        .collect();
    let full: BTreeSet<u32> = faces
        .iter()
        .filter(|(_, src, _)| src.contains(FULL_FACE))
        .flat_map(|(_, _, points)| points.iter().copied())
        .collect();
    assert!(
        ui.len() > 3_000 && full.len() > ui.len(),
        "each face's unicode-range lists its characters ({} and {} found)",
        ui.len(),
        full.len()
    );
    let mut files = vec![ui_dir().join("index.html")];
    interface_files(&ui_dir().join("src"), &mut files);
    assert!(
        files.iter().any(|f| f.ends_with("src/lib/i18n.ts")),
        "the catalogue is among the files read"
    );
    let mut missing: Vec<String> = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).expect("interface source");
        for (n, line) in text.lines().enumerate() {
            for c in line.chars() {
                // a character neither face has (₂, ✓) comes from the next family of the font
                // stack (app.css) and loads neither
                let code = c as u32;
                if !c.is_control() && !ui.contains(&code) && full.contains(&code) {
                    missing.push(format!(
                        "{c} (U+{:04X}) in {}:{}",
                        code,
                        file.display(),
                        n + 1
                    ));
                }
            }
        }
    }
    assert!(
        missing.is_empty(),
        "characters of the interface outside the small face would wait for the 7.5 MB GBK cut; \
         run tools/make-font.sh ui:\n{}",
        missing.join("\n")
    );
}

#[test]
fn in_each_family_the_interface_face_is_tried_before_the_full_cut() {
    let faces = faces(&fonts_css());
    for family in ["Lingtan Sans SC", "Noto Sans SC"] {
        let order: Vec<&str> = faces
            .iter()
            .filter(|(f, _, _)| f == family)
            .map(|(_, src, _)| {
                if src.contains(UI_FACE) {
                    UI_FACE
                } else if src.contains(FULL_FACE) {
                    FULL_FACE
                } else {
                    "another file"
                }
            })
            .collect();
        // the last face declared is the first one tried for a character both list
        assert_eq!(
            order,
            [FULL_FACE, UI_FACE],
            "{family}: the full cut first, the interface face last (tried first)"
        );
    }
    let app_css = std::fs::read_to_string(ui_dir().join("src/app.css")).expect("app.css");
    assert!(
        app_css.contains("font-family: 'Lingtan Sans SC'"),
        "the page's text uses the family fonts.css declares"
    );
}
