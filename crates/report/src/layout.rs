//! Page layout for the PDF: the document's blocks placed on A4 pages as a display list (text at a
//! point, rules, fills, charts). The PDF writer only draws what is here; tests inspect it.
//!
//! - Text is measured with the font's own advance widths ([`Font::width`]), so what is measured
//!   is what is printed.
//! - Lines break at spaces, after "/" and "-", between Chinese characters and between Chinese and
//!   Latin text; closing punctuation never starts a line and opening punctuation never ends one.
//!   A word wider than the column is broken between characters.
//! - Tables size their columns from their content, wrap cells, break across pages and repeat
//!   their header row on each page.
//! - A heading is never the last thing on a page.

// Layout geometry is f32 points by nature; no reported figure is computed here (figures arrive
// as formatted text).
#![allow(clippy::float_arithmetic)]

use crate::doc::{Align, Block, Chart, Document, Table};
use crate::font::Font;
use crate::{Lang, Langs};

/// A4 portrait, in points.
pub const PAGE_W: f32 = 595.276;
pub const PAGE_H: f32 = 841.89;
const LEFT: f32 = 56.7;
const RIGHT: f32 = PAGE_W - 56.7;
const WIDTH: f32 = RIGHT - LEFT;
const TOP: f32 = PAGE_H - 64.0;
const BOTTOM: f32 = 60.0;

const BODY: f32 = 9.5;
const BODY_LEAD: f32 = 14.5;
const CELL: f32 = 7.8;
const CELL_LEAD: f32 = 10.4;
const CELL_PAD_X: f32 = 3.6;
const CELL_PAD_Y: f32 = 3.0;

/// RGB, 0–1.
pub type Colour = (f32, f32, f32);
pub const BLACK: Colour = (0.1, 0.1, 0.1);
pub const GREY: Colour = (0.42, 0.42, 0.42);
pub const GREEN: Colour = (0.11, 0.37, 0.28);
const RULE: Colour = (0.78, 0.78, 0.78);
const HEAD_FILL: Colour = (0.9, 0.93, 0.91);
const ZEBRA: Colour = (0.97, 0.975, 0.97);

#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// Text with its baseline starting at (x, y).
    Text {
        x: f32,
        y: f32,
        size: f32,
        bold: bool,
        colour: Colour,
        text: String,
    },
    Rule {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
        width: f32,
        colour: Colour,
    },
    Fill {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        colour: Colour,
    },
    /// Chart `index` of [`Laid::charts`], its lower-left corner at (x, y).
    Chart {
        index: usize,
        x: f32,
        y: f32,
        w: f32,
        h: f32,
    },
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Page {
    pub items: Vec<Item>,
}

/// A chart drawn for the PDF: its SVG and its size in pixels.
#[derive(Debug, Clone, PartialEq)]
pub struct Drawn {
    pub svg: String,
    pub width: u32,
    pub height: u32,
}

/// The document laid out.
#[derive(Debug, Clone, PartialEq)]
pub struct Laid {
    pub pages: Vec<Page>,
    pub charts: Vec<Drawn>,
    /// Level-1 headings and the page (from 1) each starts on: the PDF's outline.
    pub outline: Vec<(String, usize)>,
}

impl Laid {
    /// Every text printed, in order.
    pub fn texts(&self) -> impl Iterator<Item = &str> {
        self.pages.iter().flat_map(|p| {
            p.items.iter().filter_map(|i| match i {
                Item::Text { text, .. } => Some(text.as_str()),
                _ => None,
            })
        })
    }
}

// ------------------------------------------------------------------------------ line breaking

/// Closing punctuation: never at the start of a line.
fn closing(c: char) -> bool {
    matches!(
        c,
        '，' | '。'
            | '、'
            | '；'
            | '：'
            | '？'
            | '！'
            | '）'
            | '》'
            | '」'
            | '』'
            | '】'
            | '”'
            | '’'
            | '…'
            | '％'
            | ','
            | '.'
            | ';'
            | ':'
            | '?'
            | '!'
            | ')'
            | ']'
            | '%'
    )
}

/// Opening punctuation: never at the end of a line.
fn opening(c: char) -> bool {
    matches!(c, '（' | '《' | '「' | '『' | '【' | '“' | '‘' | '(' | '[')
}

/// Chinese (and other wide) characters: a line may break before and after each.
fn wide(c: char) -> bool {
    let u = c as u32;
    (0x2E80..=0x9FFF).contains(&u)
        || (0xF900..=0xFAFF).contains(&u)
        || (0xFF00..=0xFFEF).contains(&u)
}

/// The text cut where a line may break: each piece keeps its trailing spaces.
fn pieces(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut cur = String::new();
    let mut glue = false; // the last char was opening punctuation: keep the next with it
    for c in text.chars() {
        let ends_with_space = cur.ends_with(' ');
        let last = cur.chars().last();
        let break_before = if cur.is_empty() || glue || closing(c) || c == ' ' || c == '/' {
            false
        } else if ends_with_space || wide(c) || opening(c) {
            true
        } else {
            // Latin after a wide char; a word after a slash or hyphen (not "2024-01")
            match last {
                Some(l) if wide(l) => true,
                Some('/') | Some('-') | Some('_') => !c.is_ascii_digit() && cur.chars().count() > 1,
                _ => false,
            }
        };
        if break_before {
            out.push(std::mem::take(&mut cur));
        }
        cur.push(c);
        glue = opening(c);
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Rounding slack when a measured width is compared with the width it was measured for.
const EPSILON: f32 = 0.01;

/// Break `text` into lines no wider than `width` pt at `size` pt. "\n" forces a break.
/// The running header: the title on one line, ending in "…" when it is longer than the line (never
/// cut without a sign that it was).
fn header_line(font: &Font, text: &str, size: f32, width: f32) -> String {
    if font.width(text, size) <= width {
        return text.to_string();
    }
    let mut line: String = text.to_string();
    while !line.is_empty() && font.width(&format!("{line}…"), size) > width {
        line.pop();
    }
    format!("{}…", line.trim_end())
}

pub fn wrap(font: &Font, text: &str, size: f32, width: f32) -> Vec<String> {
    let mut lines = Vec::new();
    for para in text.split('\n') {
        let mut line = String::new();
        for piece in pieces(para) {
            let candidate = format!("{line}{piece}");
            if line.is_empty() || font.width(candidate.trim_end(), size) <= width + EPSILON {
                line = candidate;
            } else {
                lines.push(line.trim_end().to_string());
                line = piece.trim_start().to_string();
            }
            // a piece wider than the line on its own: break it between characters
            while font.width(line.trim_end(), size) > width + EPSILON && line.chars().count() > 1 {
                let mut head = String::new();
                for c in line.chars() {
                    let mut next = head.clone();
                    next.push(c);
                    if !head.is_empty() && font.width(&next, size) > width + EPSILON {
                        break;
                    }
                    head = next;
                }
                let rest = line[head.len()..].to_string();
                lines.push(head);
                line = rest;
            }
        }
        lines.push(line.trim_end().to_string());
    }
    lines
}

// ------------------------------------------------------------------------------ the engine

struct Engine<'a> {
    font: &'a Font,
    pages: Vec<Page>,
    items: Vec<Item>,
    y: f32,
    charts: Vec<Drawn>,
    outline: Vec<(String, usize)>,
}

impl Engine<'_> {
    fn page_number(&self) -> usize {
        self.pages.len() + 1
    }
    fn room(&self) -> f32 {
        self.y - BOTTOM
    }
    fn new_page(&mut self) {
        let items = std::mem::take(&mut self.items);
        self.pages.push(Page { items });
        self.y = TOP;
    }
    /// Start a new page unless `h` pt still fit on this one.
    fn ensure(&mut self, h: f32) {
        if self.room() < h && self.y < TOP {
            self.new_page();
        }
    }
    fn text(&mut self, x: f32, y: f32, size: f32, bold: bool, colour: Colour, text: &str) {
        if text.is_empty() {
            return;
        }
        self.items.push(Item::Text {
            x,
            y,
            size,
            bold,
            colour,
            text: text.to_string(),
        });
    }
    fn rule(&mut self, x1: f32, x2: f32, y: f32, width: f32, colour: Colour) {
        self.items.push(Item::Rule {
            x1,
            y1: y,
            x2,
            y2: y,
            width,
            colour,
        });
    }
    fn fill(&mut self, x: f32, y: f32, w: f32, h: f32, colour: Colour) {
        self.items.push(Item::Fill { x, y, w, h, colour });
    }

    /// Lines of text in the full width; a page break may fall between lines.
    fn lines(&mut self, text: &str, size: f32, lead: f32, colour: Colour, indent: f32) {
        for line in wrap(self.font, text, size, WIDTH - indent) {
            self.ensure(lead);
            self.y -= lead;
            self.text(
                LEFT + indent,
                self.y + lead * 0.28,
                size,
                false,
                colour,
                &line,
            );
        }
    }

    fn cover(&mut self, title: &str, lines: &[String]) {
        self.fill(0.0, PAGE_H - 14.0, PAGE_W, 14.0, GREEN);
        self.y = PAGE_H - 250.0;
        for l in wrap(self.font, title, 22.0, WIDTH) {
            let w = self.font.width(&l, 22.0);
            self.text((PAGE_W - w) / 2.0, self.y, 22.0, true, GREEN, &l);
            self.y -= 32.0;
        }
        self.y -= 10.0;
        for line in lines {
            for l in wrap(self.font, line, 14.0, WIDTH) {
                let w = self.font.width(&l, 14.0);
                self.text((PAGE_W - w) / 2.0, self.y, 14.0, false, BLACK, &l);
                self.y -= 22.0;
            }
        }
        self.rule(LEFT + 80.0, RIGHT - 80.0, self.y - 6.0, 0.8, GREEN);
        // the cover's fields sit in the lower part of the page
        self.y = self.y.min(PAGE_H * 0.5);
    }

    fn heading(&mut self, level: u8, text: &str) {
        let (size, before, after) = if level <= 1 {
            (15.0, 20.0, 10.0)
        } else {
            (11.5, 12.0, 6.0)
        };
        let lines = wrap(self.font, text, size, WIDTH);
        let h = before + lines.len() as f32 * size * 1.35 + after;
        // keep the heading with at least three lines of what follows
        self.ensure(h + 3.0 * BODY_LEAD);
        if self.y < TOP {
            self.y -= before;
        }
        if level <= 1 {
            self.outline.push((text.to_string(), self.page_number()));
        }
        for l in &lines {
            self.y -= size * 1.35;
            self.text(LEFT, self.y + size * 0.3, size, true, GREEN, l);
        }
        if level <= 1 {
            self.rule(LEFT, RIGHT, self.y - 3.0, 0.6, GREEN);
        }
        self.y -= after;
    }

    fn paragraph(&mut self, text: &str) {
        self.y -= 4.0;
        self.lines(text, BODY, BODY_LEAD, BLACK, 0.0);
        self.y -= 2.0;
    }

    fn fields(&mut self, fields: &[(String, String)]) {
        let size = 9.0;
        let lead = 13.5;
        let widest = fields
            .iter()
            .flat_map(|(k, _)| k.split('\n'))
            .map(|k| self.font.width(k, size))
            .fold(0.0f32, f32::max);
        let label_w = (widest + 12.0).min(WIDTH * 0.42);
        self.y -= 4.0;
        for (k, v) in fields {
            let ks = wrap(self.font, k, size, label_w - 10.0);
            let vs = wrap(self.font, v, size, WIDTH - label_w);
            let n = ks.len().max(vs.len());
            self.ensure(n as f32 * lead + 3.0);
            let top = self.y;
            for (i, l) in ks.iter().enumerate() {
                let y = top - (i as f32 + 1.0) * lead + lead * 0.28;
                self.text(LEFT, y, size, false, GREY, l);
            }
            for (i, l) in vs.iter().enumerate() {
                let y = top - (i as f32 + 1.0) * lead + lead * 0.28;
                self.text(LEFT + label_w, y, size, false, BLACK, l);
            }
            self.y = top - n as f32 * lead - 3.0;
        }
    }

    /// Column widths from the content: each column at its natural width if all fit (the text
    /// columns take the slack), otherwise at least its longest unbreakable piece.
    fn widths(&self, t: &Table) -> Vec<f32> {
        let n = t.columns.len();
        let mut max = vec![0.0f32; n];
        let mut min = vec![0.0f32; n];
        // a header line is not broken if it can be helped ("记录数" over "Records")
        for (i, c) in t.columns.iter().enumerate() {
            for line in c.title.split('\n') {
                min[i] = min[i].max(self.font.width(line, CELL).min(70.0));
            }
        }
        let cells = t
            .rows
            .iter()
            .flat_map(|r| r.iter().enumerate())
            .chain(t.columns.iter().map(|c| &c.title).enumerate());
        for (i, cell) in cells {
            if i >= n {
                continue;
            }
            for line in cell.split('\n') {
                max[i] = max[i].max(self.font.width(line, CELL));
                for p in pieces(line) {
                    // long unbroken strings (hashes) may break anywhere past 70 pt
                    min[i] = min[i].max(self.font.width(p.trim_end(), CELL).min(70.0));
                }
            }
        }
        let pad = 2.0 * CELL_PAD_X;
        let sum_max: f32 = max.iter().map(|w| w + pad).sum();
        if sum_max <= WIDTH {
            let slack = WIDTH - sum_max;
            let text_cols: Vec<usize> = (0..n)
                .filter(|i| t.columns[*i].align == Align::Left)
                .collect();
            let takers: Vec<usize> = if text_cols.is_empty() {
                (0..n).collect()
            } else {
                text_cols
            };
            let weight: f32 = takers.iter().map(|i| max[*i] + pad).sum();
            return (0..n)
                .map(|i| {
                    let share = if takers.contains(&i) && weight > 0.0 {
                        slack * (max[i] + pad) / weight
                    } else {
                        0.0
                    };
                    max[i] + pad + share
                })
                .collect();
        }
        let sum_min: f32 = min.iter().map(|w| w + pad).sum();
        if sum_min >= WIDTH {
            return min.iter().map(|w| (w + pad) * WIDTH / sum_min).collect();
        }
        let slack = WIDTH - sum_min;
        let give: f32 = (0..n).map(|i| max[i] - min[i]).sum();
        (0..n)
            .map(|i| {
                let extra = if give > 0.0 {
                    slack * (max[i] - min[i]) / give
                } else {
                    0.0
                };
                min[i] + pad + extra
            })
            .collect()
    }

    /// One row's cells, already wrapped, from the current top: left or right aligned.
    fn cells(&mut self, t: &Table, widths: &[f32], cells: &[Vec<String>], bold: bool) {
        let mut x = LEFT;
        for (i, cell) in cells.iter().enumerate() {
            for (k, l) in cell.iter().enumerate() {
                let y = self.y - CELL_PAD_Y - (k as f32 + 1.0) * CELL_LEAD + CELL_LEAD * 0.27;
                let lx = match t.columns[i].align {
                    Align::Left => x + CELL_PAD_X,
                    Align::Right => x + widths[i] - CELL_PAD_X - self.font.width(l, CELL),
                };
                self.text(lx, y, CELL, bold, BLACK, l);
            }
            x += widths[i];
        }
    }

    fn table_header(&mut self, t: &Table, widths: &[f32], heads: &[Vec<String>]) {
        let lines = heads.iter().map(|h| h.len()).max().unwrap_or(1);
        let h = lines as f32 * CELL_LEAD + 2.0 * CELL_PAD_Y;
        self.fill(LEFT, self.y - h, WIDTH, h, HEAD_FILL);
        self.rule(LEFT, RIGHT, self.y, 0.7, GREEN);
        self.cells(t, widths, heads, true);
        self.y -= h;
        self.rule(LEFT, RIGHT, self.y, 0.5, GREEN);
    }

    fn table(&mut self, t: &Table) {
        let n = t.columns.len();
        if n == 0 {
            return;
        }
        let widths = self.widths(t);
        let inner = |i: usize| widths[i] - 2.0 * CELL_PAD_X;
        let heads: Vec<Vec<String>> = t
            .columns
            .iter()
            .enumerate()
            .map(|(i, c)| wrap(self.font, &c.title, CELL, inner(i)))
            .collect();
        let head_lines = heads.iter().map(|h| h.len()).max().unwrap_or(1);
        let head_h = head_lines as f32 * CELL_LEAD + 2.0 * CELL_PAD_Y;
        let max_lines = ((TOP - BOTTOM - head_h) / CELL_LEAD - 2.0).max(1.0) as usize;
        // a row's cells wrapped to their columns, and its height
        let lay_row = |row: &Vec<String>| -> (Vec<Vec<String>>, f32) {
            let mut cells: Vec<Vec<String>> = (0..n)
                .map(|i| {
                    let s = row.get(i).map(String::as_str).unwrap_or("");
                    wrap(self.font, s, CELL, inner(i))
                })
                .collect();
            for c in &mut cells {
                if c.len() > max_lines {
                    c.truncate(max_lines);
                    if let Some(last) = c.last_mut() {
                        last.push('…');
                    }
                }
            }
            let lines = cells.iter().map(|c| c.len()).max().unwrap_or(1).max(1);
            (cells, lines as f32 * CELL_LEAD + 2.0 * CELL_PAD_Y)
        };
        let rows: Vec<(Vec<Vec<String>>, f32)> = t.rows.iter().map(lay_row).collect();
        self.y -= 6.0;
        // the header never stands alone: it starts a page with at least its first row
        let first = rows.first().map(|r| r.1).unwrap_or(0.0);
        self.ensure(head_h + first);
        self.table_header(t, &widths, &heads);
        for (r, (cells, h)) in rows.iter().enumerate() {
            let total = t.total && r + 1 == t.rows.len() && t.rows.len() > 1;
            let h = *h;
            if self.room() < h {
                self.new_page();
                self.table_header(t, &widths, &heads);
            }
            if total {
                self.rule(LEFT, RIGHT, self.y, 0.7, GREEN);
            } else if r % 2 == 1 {
                self.fill(LEFT, self.y - h, WIDTH, h, ZEBRA);
            }
            self.cells(t, &widths, cells, total);
            self.y -= h;
        }
        self.rule(LEFT, RIGHT, self.y, 0.7, GREEN);
        self.y -= 4.0;
    }

    fn chart(&mut self, c: &Chart) -> crate::Result<()> {
        let drawn = crate::chart::draw(c)?;
        self.place(drawn, &c.title, &c.unit);
        Ok(())
    }

    /// A drawn chart with its title and unit above it, full width (shrunk to fit the page).
    fn place(&mut self, drawn: Drawn, title: &str, unit: &str) {
        let w = WIDTH;
        let h = w * drawn.height as f32 / drawn.width.max(1) as f32;
        let title = wrap(self.font, &format!("{title} ({unit})"), 10.0, WIDTH);
        let title_h = title.len() as f32 * 14.0 + 6.0;
        self.y -= 10.0;
        self.ensure(title_h + h.min(TOP - BOTTOM - title_h));
        for l in &title {
            self.y -= 14.0;
            self.text(LEFT, self.y + 4.0, 10.0, true, BLACK, l);
        }
        self.y -= 6.0;
        // a chart taller than the page (very many bars) is shrunk to fit
        let (w, h) = if h > self.room() {
            let k = self.room() / h;
            (w * k, h * k)
        } else {
            (w, h)
        };
        self.y -= h;
        self.items.push(Item::Chart {
            index: self.charts.len(),
            x: LEFT,
            y: self.y,
            w,
            h,
        });
        self.charts.push(drawn);
        self.y -= 6.0;
    }

    /// The running header and the footer with "page x of y", once the page count is known.
    fn finish(mut self, doc: &Document) -> Laid {
        if !self.items.is_empty() {
            self.new_page();
        }
        let total = self.pages.len();
        let header = doc.title.clone();
        for (i, page) in self.pages.iter_mut().enumerate() {
            let n = i + 1;
            let foot = match doc.lang {
                Langs::One(Lang::Zh) => format!("第 {n} 页 / 共 {total} 页"),
                Langs::One(Lang::En) => format!("Page {n} of {total}"),
                Langs::Both => format!("第 {n} 页 / 共 {total} 页 · Page {n} of {total}"),
            };
            let size = 8.0;
            let w = self.font.width(&foot, size);
            page.items.push(Item::Rule {
                x1: LEFT,
                y1: 44.0,
                x2: RIGHT,
                y2: 44.0,
                width: 0.4,
                colour: RULE,
            });
            page.items.push(Item::Text {
                x: (PAGE_W - w) / 2.0,
                y: 30.0,
                size,
                bold: false,
                colour: GREY,
                text: foot,
            });
            if i > 0 {
                let line = header_line(self.font, &header, 7.5, WIDTH);
                page.items.push(Item::Text {
                    x: LEFT,
                    y: PAGE_H - 40.0,
                    size: 7.5,
                    bold: false,
                    colour: GREY,
                    text: line,
                });
                page.items.push(Item::Rule {
                    x1: LEFT,
                    y1: PAGE_H - 46.0,
                    x2: RIGHT,
                    y2: PAGE_H - 46.0,
                    width: 0.4,
                    colour: RULE,
                });
            }
        }
        Laid {
            pages: self.pages,
            charts: self.charts,
            outline: self.outline,
        }
    }
}

/// Lay the document out on pages.
pub fn lay_out(doc: &Document) -> crate::Result<Laid> {
    let mut e = Engine {
        font: Font::get(),
        pages: Vec::new(),
        items: Vec::new(),
        y: TOP,
        charts: Vec::new(),
        outline: Vec::new(),
    };
    for block in &doc.blocks {
        match block {
            Block::Cover { title, lines } => e.cover(title, lines),
            Block::Heading { level, text } => e.heading(*level, text),
            Block::Paragraph(p) => e.paragraph(p),
            Block::Fields(f) => e.fields(f),
            Block::Table(t) => e.table(t),
            Block::Chart(c) => e.chart(c)?,
            Block::Figure(f) => e.place(crate::reduction::chart::draw(f)?, &f.title, &f.unit),
            Block::PageBreak => {
                if !e.items.is_empty() {
                    e.new_page();
                }
            }
        }
    }
    Ok(e.finish(doc))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(s: &str) -> Vec<String> {
        wrap(Font::get(), s, 10.0, 60.0)
    }

    #[test]
    fn a_running_header_too_long_for_its_line_ends_in_an_ellipsis() {
        let f = Font::get();
        let short = "认证资料包 2025 (ISO 14068-1:2023)";
        assert_eq!(
            header_line(f, short, 7.5, WIDTH),
            short,
            "a header that fits is left whole"
        );
        let long = "草稿 / DRAFT — 认证资料包 / Certification dossier 2024-07-01 – 2025-06-30 (PAS 2060:2014) — 安吉绿叶户外家具有限公司 / Anji Greenleaf Outdoor Furniture Co., Ltd. and a name long enough to overflow";
        let line = header_line(f, long, 7.5, WIDTH);
        assert!(
            line.ends_with('…') && f.width(&line, 7.5) <= WIDTH,
            "a header cut to its line says so: {line}"
        );
        assert!(
            line.starts_with("草稿 / DRAFT — 认证资料包 / Certification dossier 2024-07-01"),
            "the start of the header is kept: {line}"
        );
    }

    #[test]
    fn breaks_chinese_between_characters_and_english_at_spaces() {
        let f = Font::get();
        for line in w("温室气体排放量按范围汇总，并与基准年比较。") {
            assert!(
                f.width(&line, 10.0) <= 60.0,
                "breaks chinese between characters and english at spaces: {line}"
            );
        }
        let en = w("the quick brown fox jumps over");
        assert!(
            en.iter().all(|l| !l.starts_with(' ') && !l.ends_with(' ')),
            "breaks chinese between characters and english at spaces"
        );
        assert_eq!(
            en.join(" "),
            "the quick brown fox jumps over",
            "breaks chinese between characters and english at spaces"
        );
        // nothing is lost or added
        let zh = "温室气体排放量按范围汇总，并与基准年比较。";
        assert_eq!(
            w(zh).concat(),
            zh,
            "breaks chinese between characters and english at spaces"
        );
    }

    #[test]
    fn closing_punctuation_never_starts_a_line() {
        for width in [30.0, 40.0, 50.0, 60.0, 70.0] {
            let lines = wrap(
                Font::get(),
                "一二三四五，六七八九十。甲乙（丙丁）戊",
                10.0,
                width,
            );
            for l in &lines[1..] {
                let first = l.chars().next().unwrap();
                assert!(
                    !closing(first),
                    "closing punctuation never starts a line: {width}: {lines:?}"
                );
            }
            for l in &lines {
                let last = l.chars().last().unwrap();
                assert!(
                    !opening(last),
                    "closing punctuation never starts a line: {width}: {lines:?}"
                );
            }
        }
    }

    #[test]
    fn long_words_and_hashes_are_broken() {
        let hash = "17b0da6ef546ce56bbe5e748db9a8914a0676c6d40bb13d7cfe0cbf5e84b6e2b";
        let lines = w(hash);
        assert!(lines.len() > 1, "long words and hashes are broken");
        assert_eq!(lines.concat(), hash, "long words and hashes are broken");
        assert_eq!(
            w("a\nb"),
            vec!["a", "b"],
            "long words and hashes are broken"
        );
        assert_eq!(w(""), vec![""], "long words and hashes are broken");
    }

    #[test]
    fn mixed_text_breaks_between_chinese_and_latin() {
        let p = pieces("排放量 tCO2e 范围二/Scope 2");
        assert!(
            p.contains(&"tCO2e ".to_string()),
            "mixed text breaks between chinese and latin: {p:?}"
        );
        assert!(
            p.iter().any(|x| x.ends_with('/')),
            "mixed text breaks between chinese and latin: {p:?}"
        );
    }
}
