//! The document as plain text: what the golden tests compare, and what `lingtan report` prints
//! when no file is asked for. Tables are aligned in terminal columns (CJK counts double); a cell
//! on several lines is joined with " / ".

use crate::doc::{Align, Block, Chart, Document, Table};
use lingtan_core::text::display_width as width;
use std::fmt::Write;

/// A text on one line: the document's own line breaks (a cell's two languages) become " / ",
/// and what could still change the output — a control or bidirectional character in a name —
/// is shown as an escape, so no name can forge a line of the report.
fn cell(s: &str) -> String {
    lingtan_core::text::printable(&s.replace('\n', " / ")).into_owned()
}

pub fn render(doc: &Document) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "{}", cell(&doc.title));
    let _ = writeln!(o, "{} · {}", cell(&doc.author), cell(&doc.date));
    for block in &doc.blocks {
        match block {
            Block::Cover { title, lines } => {
                let _ = writeln!(o, "\n{}", cell(title));
                for l in lines {
                    let _ = writeln!(o, "{}", cell(l));
                }
            }
            Block::Heading { level, text } => {
                let rule = if *level == 1 { "=" } else { "-" };
                let text = cell(text);
                let _ = writeln!(o, "\n{text}\n{}", rule.repeat(width(&text).max(4)));
            }
            Block::Paragraph(p) => {
                let _ = writeln!(o, "\n{}", cell(p));
            }
            Block::Fields(fields) => {
                let _ = writeln!(o);
                for (k, v) in fields {
                    let _ = writeln!(o, "{}: {}", cell(k), cell(v));
                }
            }
            Block::Table(t) => table(&mut o, t),
            Block::Chart(c) => chart(&mut o, c),
            Block::Figure(f) => o.push_str(&crate::reduction::figure_text(f)),
            Block::PageBreak => {
                let _ = writeln!(
                    o,
                    "\n----------------------------------------------------------------"
                );
            }
        }
    }
    o
}

fn table(o: &mut String, t: &Table) {
    let heads: Vec<String> = t.columns.iter().map(|c| cell(&c.title)).collect();
    let rows: Vec<Vec<String>> = t
        .rows
        .iter()
        .map(|r| r.iter().map(|c| cell(c)).collect())
        .collect();
    let mut widths: Vec<usize> = heads.iter().map(|h| width(h)).collect();
    for r in &rows {
        for (i, c) in r.iter().enumerate() {
            if let Some(w) = widths.get_mut(i) {
                *w = (*w).max(width(c));
            }
        }
    }
    let line = |cells: &[String]| {
        let mut s = String::new();
        for (i, c) in cells.iter().enumerate() {
            let w = widths.get(i).copied().unwrap_or(0);
            let pad = " ".repeat(w.saturating_sub(width(c)));
            let right = t.columns.get(i).map(|c| c.align) == Some(Align::Right);
            if i > 0 {
                s.push_str("  ");
            }
            if right {
                s.push_str(&pad);
                s.push_str(c);
            } else {
                s.push_str(c);
                s.push_str(&pad);
            }
        }
        s.trim_end().to_string()
    };
    let _ = writeln!(o);
    let _ = writeln!(o, "{}", line(&heads));
    let _ = writeln!(
        o,
        "{}",
        "-".repeat(widths.iter().sum::<usize>() + 2 * widths.len().saturating_sub(1))
    );
    for (i, r) in rows.iter().enumerate() {
        if t.total && i + 1 == rows.len() && rows.len() > 1 {
            let _ = writeln!(
                o,
                "{}",
                "-".repeat(widths.iter().sum::<usize>() + 2 * widths.len().saturating_sub(1))
            );
        }
        let _ = writeln!(o, "{}", line(r));
    }
}

fn chart(o: &mut String, c: &Chart) {
    let _ = writeln!(o, "\n[{}] ({})", cell(&c.title), cell(&c.unit));
    for (i, cat) in c.categories.iter().enumerate() {
        let values: Vec<String> = c
            .series
            .iter()
            .map(|(name, v)| {
                format!(
                    "{} {}",
                    cell(name),
                    crate::doc::t3(v.get(i).copied().unwrap_or_default())
                )
            })
            .collect();
        let _ = writeln!(o, "  {}: {}", cell(cat), values.join("; "));
    }
}
