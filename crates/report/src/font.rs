//! The one font the PDF and the charts use: Noto Sans SC Regular cut to the GBK repertoire
//! (assets/fonts, SIL OFL 1.1, made by tools/make-font.sh), built into the binary so a report
//! never depends on what fonts the machine has.
//!
//! What the font lacks is handled here, in one place: subscript digits (CO₂, CH₄, N₂O) are drawn
//! as normal digits, smaller and lowered; any other character without a glyph is printed as □
//! and reported, never dropped silently.

// Geometry in points is f32 by nature (printpdf's units); no reported figure passes through here.
#![allow(clippy::float_arithmetic)]

use printpdf::ParsedFont;
use std::collections::HashMap;
use std::sync::OnceLock;

/// The font file.
pub static BYTES: &[u8] = include_bytes!("../../../assets/fonts/NotoSansSC-Regular-GBK.ttf");

/// Its family name (what plotters and the SVG converter look it up by).
pub const FAMILY: &str = "Noto Sans SC";

/// Printed in place of a character the font has no glyph for.
pub const MISSING: char = '□';

/// Subscript digits are drawn at this fraction of the size ...
pub const SUB_SCALE: f32 = 0.72;
/// ... and lowered by this fraction of the size.
pub const SUB_DROP: f32 = 0.18;

/// The parsed font with its advance widths, loaded once per process.
pub struct Font {
    pub parsed: ParsedFont,
    units_per_em: f32,
    advances: HashMap<char, u16>,
}

/// How a character is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Glyph {
    /// As itself.
    Plain(char),
    /// As this digit, smaller and lowered (a subscript the font has no glyph for).
    Sub(char),
    /// The font has nothing for it: printed as [`MISSING`].
    Missing,
}

/// A subscript digit's normal digit.
fn subscript_digit(c: char) -> Option<char> {
    match c {
        '₀'..='₉' => char::from_u32(c as u32 - '₀' as u32 + '0' as u32),
        _ => None,
    }
}

impl Font {
    fn load() -> Font {
        let mut warnings = Vec::new();
        // The bytes are ours and checked by the tests; a font that does not parse is a build bug.
        let parsed = ParsedFont::from_bytes(BYTES, 0, &mut warnings)
            .unwrap_or_else(|| panic!("the built-in font {FAMILY} does not parse"));
        let units_per_em = f32::from(parsed.pdf_font_metrics.units_per_em.max(1));
        Font {
            parsed,
            units_per_em,
            advances: HashMap::new(),
        }
    }

    /// The process's font.
    pub fn get() -> &'static Font {
        static FONT: OnceLock<Font> = OnceLock::new();
        FONT.get_or_init(|| {
            let mut f = Font::load();
            // Pre-measure printable ASCII, the CJK punctuation and the digits, the hot set.
            let warm: Vec<char> = (' '..='~').chain("，。、；：（）—…·".chars()).collect();
            for c in warm {
                if let Some(a) = f.lookup(c) {
                    f.advances.insert(c, a);
                }
            }
            f
        })
    }

    fn lookup(&self, c: char) -> Option<u16> {
        match self.parsed.lookup_glyph_index(c as u32) {
            Some(g) if g != 0 => Some(self.parsed.get_horizontal_advance(g)),
            _ => None,
        }
    }

    /// Whether the font has a glyph for `c`.
    pub fn has_glyph(&self, c: char) -> bool {
        self.advances.contains_key(&c) || self.lookup(c).is_some()
    }

    /// How `c` is printed.
    pub fn glyph(&self, c: char) -> Glyph {
        if self.has_glyph(c) {
            Glyph::Plain(c)
        } else if let Some(d) = subscript_digit(c) {
            Glyph::Sub(d)
        } else {
            Glyph::Missing
        }
    }

    fn advance(&self, c: char) -> f32 {
        let units = match self.advances.get(&c) {
            Some(a) => *a,
            None => self.lookup(c).or_else(|| self.lookup(MISSING)).unwrap_or(0),
        };
        f32::from(units) / self.units_per_em
    }

    /// Width of `text` at `size` pt, in pt, as printed (subscripts smaller, missing glyphs as □).
    pub fn width(&self, text: &str, size: f32) -> f32 {
        text.chars()
            .map(|c| match self.glyph(c) {
                Glyph::Plain(c) => self.advance(c) * size,
                Glyph::Sub(d) => self.advance(d) * size * SUB_SCALE,
                Glyph::Missing => self.advance(MISSING) * size,
            })
            .sum()
    }

    /// The characters of `text` the font cannot print in any form.
    pub fn missing(&self, text: &str) -> Vec<char> {
        let mut out: Vec<char> = text
            .chars()
            .filter(|c| !c.is_control() && self.glyph(*c) == Glyph::Missing)
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_font_has_what_reports_print() {
        let f = Font::get();
        for c in "排放量范围一二三，。（）tCO2e℃㎡±—…·□".chars() {
            assert!(f.has_glyph(c), "no glyph for {c}");
        }
        // the known gap, handled by drawing a lowered digit
        assert_eq!(
            f.glyph('₂'),
            Glyph::Sub('2'),
            "the font has what reports print"
        );
        assert_eq!(
            f.glyph('₄'),
            Glyph::Sub('4'),
            "the font has what reports print"
        );
        // a character outside GBK is reported
        assert_eq!(
            f.missing("CO₂ 𠀀"),
            vec!['𠀀'],
            "the font has what reports print"
        );
    }

    #[test]
    fn widths_add_up_and_subscripts_are_narrower() {
        let f = Font::get();
        let w = |s: &str| f.width(s, 10.0);
        assert!(
            (w("CO2") - (w("C") + w("O") + w("2"))).abs() < 1e-4,
            "widths add up and subscripts are narrower"
        );
        assert!(
            w("CO₂") < w("CO2"),
            "widths add up and subscripts are narrower"
        );
        assert!(
            w("排放") > w("ab"),
            "widths add up and subscripts are narrower"
        );
        // a CJK character is one em wide
        assert!(
            (w("排") - 10.0).abs() < 0.01,
            "widths add up and subscripts are narrower"
        );
    }
}
