//! The certifier's PDF: the laid-out pages ([`crate::layout`]) drawn with printpdf, the charts
//! embedded as vector objects (plotters SVG → PDF form XObject), the font subset to the
//! characters used, an outline of the sections, and document metadata.
//!
//! Deterministic: printpdf draws font, XObject and bookmark ids and the trailer /ID from a
//! process counter, so all ids here are fixed, the /ID is a hash of the content, and the dates
//! are the report date. The same document gives the same bytes, in one process or two.

// Drawing coordinates are f32 points by nature; no reported figure is computed here.
#![allow(clippy::float_arithmetic)]

use crate::doc::Document;
use crate::font::{Font, Glyph, FAMILY, MISSING, SUB_DROP, SUB_SCALE};
use crate::layout::{self, Colour, Item, Laid};
use crate::{Error, Result};
use printpdf::{
    Color, FontId, Line, LinePoint, Mm, Op, PageAnnotId, PageAnnotation, PaintMode, PdfDocument,
    PdfFont, PdfFontHandle, PdfPage, PdfSaveOptions, Point, Pt, Rect, Rgb, Svg, TextItem,
    TextMatrix, TextRenderingMode, XObject, XObjectId, XObjectTransform,
};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

const FONT_ID: &str = "LTNSSC";

/// The PDF, and the characters it had to print as □ (the font has no glyph for them).
#[derive(Debug, Clone)]
pub struct Rendered {
    pub bytes: Vec<u8>,
    pub pages: usize,
    /// Each character the font has no glyph for, with the first printed text that holds it
    /// (a site, source or file name, usually): where the user can find it.
    pub missing: Vec<(char, String)>,
}

fn failed(what: &str, e: impl std::fmt::Display) -> Error {
    Error::new(
        "REPORT_PDF",
        crate::Field::Pdf,
        format!("the PDF could not be made ({what}): {e}"),
        format!("无法生成 PDF（{what}）：{e}"),
    )
}

fn colour((r, g, b): Colour) -> Color {
    Color::Rgb(Rgb::new(r, g, b, None))
}

fn pt(x: f32, y: f32) -> LinePoint {
    LinePoint {
        p: Point { x: Pt(x), y: Pt(y) },
        bezier: false,
    }
}

/// A run of text as printed: normal, or lowered subscript digits.
fn runs(font: &Font, text: &str) -> Vec<(bool, String)> {
    let mut out: Vec<(bool, String)> = Vec::new();
    for c in text.chars() {
        let (sub, c) = match font.glyph(c) {
            Glyph::Plain(c) => (false, c),
            Glyph::Sub(d) => (true, d),
            Glyph::Missing => (false, MISSING),
        };
        match out.last_mut() {
            Some((s, run)) if *s == sub => run.push(c),
            _ => out.push((sub, c.to_string())),
        }
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn text_ops(
    ops: &mut Vec<Op>,
    font: &Font,
    x: f32,
    y: f32,
    size: f32,
    bold: bool,
    col: Colour,
    text: &str,
) {
    let handle = PdfFontHandle::External(FontId(FONT_ID.into()));
    ops.push(Op::StartTextSection);
    ops.push(Op::SetFillColor { col: colour(col) });
    if bold {
        // the font has one weight: bold is the outline stroked over the fill
        ops.push(Op::SetTextRenderingMode {
            mode: TextRenderingMode::FillStroke,
        });
        ops.push(Op::SetOutlineColor { col: colour(col) });
        ops.push(Op::SetOutlineThickness {
            pt: Pt(size * 0.04),
        });
    }
    ops.push(Op::SetFont {
        font: handle.clone(),
        size: Pt(size),
    });
    ops.push(Op::SetTextMatrix {
        matrix: TextMatrix::Translate(Pt(x), Pt(y)),
    });
    for (sub, run) in runs(font, text) {
        if sub {
            ops.push(Op::SetFont {
                font: handle.clone(),
                size: Pt(size * SUB_SCALE),
            });
            ops.push(Op::SetLineOffset {
                multiplier: -size * SUB_DROP,
            });
            ops.push(Op::ShowText {
                items: vec![TextItem::Text(run)],
            });
            ops.push(Op::SetLineOffset { multiplier: 0.0 });
            ops.push(Op::SetFont {
                font: handle.clone(),
                size: Pt(size),
            });
        } else {
            ops.push(Op::ShowText {
                items: vec![TextItem::Text(run)],
            });
        }
    }
    if bold {
        ops.push(Op::SetTextRenderingMode {
            mode: TextRenderingMode::Fill,
        });
    }
    ops.push(Op::EndTextSection);
}

fn page_ops(font: &Font, items: &[Item]) -> Vec<Op> {
    let mut ops = Vec::new();
    for item in items {
        match item {
            Item::Text {
                x,
                y,
                size,
                bold,
                colour: c,
                text,
            } => text_ops(&mut ops, font, *x, *y, *size, *bold, *c, text),
            Item::Rule {
                x1,
                y1,
                x2,
                y2,
                width,
                colour: c,
            } => {
                ops.push(Op::SetOutlineColor { col: colour(*c) });
                ops.push(Op::SetOutlineThickness { pt: Pt(*width) });
                ops.push(Op::DrawLine {
                    line: Line {
                        points: vec![pt(*x1, *y1), pt(*x2, *y2)],
                        is_closed: false,
                    },
                });
            }
            Item::Fill {
                x,
                y,
                w,
                h,
                colour: c,
            } => {
                ops.push(Op::SetFillColor { col: colour(*c) });
                ops.push(Op::DrawRectangle {
                    rectangle: Rect {
                        mode: Some(PaintMode::Fill),
                        ..Rect::from_xywh(Pt(*x), Pt(*y), Pt(*w), Pt(*h))
                    },
                });
            }
            Item::Chart { index, x, y, w, .. } => {
                ops.push(Op::SaveGraphicsState);
                ops.push(Op::UseXobject {
                    id: chart_id(*index),
                    transform: XObjectTransform {
                        translate_x: Some(Pt(*x)),
                        translate_y: Some(Pt(*y)),
                        scale_x: Some(*w / crate::chart::WIDTH as f32),
                        scale_y: Some(*w / crate::chart::WIDTH as f32),
                        dpi: Some(72.0),
                        ..Default::default()
                    },
                });
                ops.push(Op::RestoreGraphicsState);
            }
        }
    }
    ops
}

fn chart_id(index: usize) -> XObjectId {
    XObjectId(format!("LTCHART{index:03}"))
}

/// The report date as the document's dates (midnight UTC): never the clock.
fn date(doc: &Document) -> printpdf::OffsetDateTime {
    let seconds = chrono::NaiveDate::parse_from_str(&doc.date, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|t| t.and_utc().timestamp())
        .unwrap_or(0);
    printpdf::OffsetDateTime::from_unix_timestamp(seconds)
        .or_else(|_| printpdf::OffsetDateTime::from_unix_timestamp(0))
        .unwrap_or_else(|_| unreachable!("the epoch is a valid timestamp"))
}

/// Render the document as a PDF.
pub fn render(doc: &Document) -> Result<Rendered> {
    let laid = layout::lay_out(doc)?;
    write(doc, &laid)
}

/// Draw laid-out pages as a PDF.
pub fn write(doc: &Document, laid: &Laid) -> Result<Rendered> {
    let font = Font::get();
    let mut warnings = Vec::new();
    let mut pdf = PdfDocument::new(&doc.title);
    pdf.resources
        .fonts
        .map
        .insert(FontId(FONT_ID.into()), PdfFont::new(font.parsed.clone()));
    let mut svg_fonts = BTreeMap::new();
    if !laid.charts.is_empty() {
        svg_fonts.insert(FAMILY.to_string(), crate::font::BYTES.to_vec());
    }
    for (i, chart) in laid.charts.iter().enumerate() {
        let mut x = Svg::parse_with_fonts(&chart.svg, &svg_fonts, &mut warnings)
            .map_err(|e| failed("chart", e))?;
        x.stream.compress = true;
        pdf.resources
            .xobjects
            .map
            .insert(chart_id(i), XObject::External(x));
    }
    for (i, (title, page)) in laid.outline.iter().enumerate() {
        pdf.bookmarks.map.insert(
            PageAnnotId(format!("LTBM{i:04}")),
            PageAnnotation {
                name: title.clone(),
                page: *page,
            },
        );
    }
    let when = date(doc);
    let info = &mut pdf.metadata.info;
    info.author = doc.author.clone();
    info.subject = doc.subject.clone();
    info.keywords = doc
        .keywords
        .split(';')
        .map(|k| k.trim().to_string())
        .collect();
    info.creator = format!("Lingtan 零碳 {}", env!("CARGO_PKG_VERSION"));
    info.producer = format!("Lingtan 零碳 {} (printpdf)", env!("CARGO_PKG_VERSION"));
    info.identifier = doc.title.clone();
    info.creation_date = when;
    info.modification_date = when;
    info.metadata_date = when;

    let pages: Vec<PdfPage> = laid
        .pages
        .iter()
        .map(|p| {
            PdfPage::new(
                Mm::from(Pt(layout::PAGE_W)),
                Mm::from(Pt(layout::PAGE_H)),
                page_ops(font, &p.items),
            )
        })
        .collect();
    let count = pages.len();
    pdf.with_pages(pages);
    let opts = PdfSaveOptions {
        optimize: true,
        subset_fonts: true,
        secure: true,
        image_optimization: None,
    };
    let mut lo = pdf.to_lopdf_document(&opts, &mut warnings);
    // streams nested in the charts' resources come out uncompressed: opt them in
    for obj in lo.objects.values_mut() {
        if let lopdf::Object::Stream(st) = obj {
            st.allows_compression = true;
        }
    }
    lo.compress();
    tidy_info(&mut lo);
    set_id(&mut lo).map_err(|e| failed("save", e))?;
    let mut bytes = Vec::new();
    lo.save_to(&mut bytes).map_err(|e| failed("save", e))?;
    let mut missing: Vec<(char, String)> = Vec::new();
    for t in laid.texts() {
        for c in font.missing(t) {
            if !missing.iter().any(|m| m.0 == c) {
                missing.push((c, t.to_string()));
            }
        }
    }
    missing.sort();
    Ok(Rendered {
        bytes,
        pages: count,
        missing,
    })
}

/// printpdf writes /GTS_PDFXVersion and /Trapped into the Info dictionary even for a plain PDF;
/// readers then call it PDF/X. Remove both.
fn tidy_info(lo: &mut lopdf::Document) {
    if let Ok(r) = lo.trailer.get(b"Info").and_then(|o| o.as_reference()) {
        if let Ok(info) = lo.get_dictionary_mut(r) {
            info.remove(b"GTS_PDFXVersion");
            info.remove(b"Trapped");
        }
    }
}

/// The trailer /ID: the SHA-256 (first 16 bytes) of the document written with an empty /ID.
fn set_id(lo: &mut lopdf::Document) -> std::result::Result<(), lopdf::Error> {
    use lopdf::{Object, StringFormat};
    let empty = Object::String(Vec::new(), StringFormat::Hexadecimal);
    lo.trailer
        .set("ID", Object::Array(vec![empty.clone(), empty]));
    let mut probe = Vec::new();
    lo.clone().save_to(&mut probe)?;
    let hash = Sha256::digest(&probe);
    let id = Object::String(hash[..16].to_vec(), StringFormat::Hexadecimal);
    lo.trailer.set("ID", Object::Array(vec![id.clone(), id]));
    Ok(())
}
