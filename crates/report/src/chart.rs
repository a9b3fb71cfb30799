//! The report's charts as SVG, drawn by plotters: monthly emissions stacked by scope, and sorted
//! horizontal bars (by source, by site). The PDF embeds this SVG as a vector object; the desktop
//! shows the same SVG.
//!
//! The chart's title is not in the SVG: the PDF prints it as text (searchable) above the chart.

// Chart geometry is f32/f64 pixels by nature; the figures printed on the chart are formatted
// from the Decimal values, never computed in floating point.
#![allow(clippy::float_arithmetic)]

use crate::doc::{Chart, ChartKind};
use crate::font::{Font, Glyph, FAMILY, MISSING};
use crate::layout::Drawn;
use crate::Error;
use lingtan_core::text::grouped;
use lingtan_core::Decimal;
use plotters::coord::ranged1d::SegmentValue;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use rust_decimal::prelude::{FromPrimitive, ToPrimitive};
use std::sync::OnceLock;

/// The SVG's width in pixels (the PDF scales it to the text width).
pub const WIDTH: u32 = 800;

pub(crate) const INK: RGBColor = RGBColor(0x33, 0x33, 0x33);
pub(crate) const GRID: RGBColor = RGBColor(0xdd, 0xdd, 0xdd);
pub(crate) const PALETTE: [RGBColor; 6] = [
    RGBColor(0x2e, 0x6f, 0x57), // scope 1: deep green
    RGBColor(0x3a, 0x78, 0xb5), // scope 2: blue
    RGBColor(0xd9, 0x9a, 0x2b), // scope 3: amber
    RGBColor(0x8a, 0x5a, 0xa8),
    RGBColor(0x6b, 0x8e, 0x23),
    RGBColor(0xb5, 0x4a, 0x3a),
];

/// Give plotters the built-in font (it measures text with it), once per process.
pub(crate) fn register() -> Result<(), Error> {
    static DONE: OnceLock<bool> = OnceLock::new();
    let ok = *DONE.get_or_init(|| {
        plotters::style::register_font(FAMILY, FontStyle::Normal, crate::font::BYTES).is_ok()
    });
    if ok {
        Ok(())
    } else {
        Err(failed(format!("the font {FAMILY} could not be loaded")))
    }
}

/// Text as the chart can print it: subscript digits as digits, characters without a glyph as □.
pub(crate) fn printable(s: &str) -> String {
    let f = Font::get();
    s.chars()
        .map(|c| match f.glyph(c) {
            Glyph::Plain(c) => c,
            Glyph::Sub(d) => d,
            Glyph::Missing => MISSING,
        })
        .collect()
}

/// Shorten a label to `max` pixels at `size` px, ending it with "…".
pub(crate) fn fit(s: &str, size: f32, max: f32) -> String {
    let f = Font::get();
    let s = printable(s);
    if f.width(&s, size) <= max {
        return s;
    }
    let mut out = String::new();
    for c in s.chars() {
        let mut next = out.clone();
        next.push(c);
        next.push('…');
        if f.width(&next, size) > max {
            break;
        }
        out.push(c);
    }
    out.push('…');
    out
}

/// Chart text in the font, the ink colour, anchored as asked.
pub(crate) fn style(size: u32, h: HPos, v: VPos) -> TextStyle<'static> {
    (FAMILY, size).into_font().color(&INK).pos(Pos::new(h, v))
}

pub(crate) fn f(d: Decimal) -> f64 {
    d.to_f64().unwrap_or(0.0)
}

/// A round axis maximum at or above `v` (1, 2, 2.5 or 5 times a power of ten).
pub(crate) fn nice_max(v: f64) -> f64 {
    if v.is_nan() || v <= 0.0 || !v.is_finite() {
        return 1.0;
    }
    let p = 10f64.powf(v.log10().floor());
    for m in [1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0] {
        if m * p >= v {
            return m * p;
        }
    }
    10.0 * p
}

/// An axis tick: grouped digits, decimals only where the step needs them.
pub(crate) fn tick(v: f64, max: f64) -> String {
    let dp = if max >= 10.0 { 0 } else { 2 };
    Decimal::from_f64(v)
        .map(|d| grouped(d.round_dp(dp), dp))
        .unwrap_or_default()
}

pub(crate) fn failed(e: impl std::fmt::Display) -> Error {
    Error::new(
        "REPORT_CHART",
        "chart",
        format!("a chart could not be drawn: {e}"),
        format!("图表无法绘制：{e}"),
    )
}

/// The chart as an SVG document.
pub fn svg(chart: &Chart) -> Result<String, Error> {
    draw(chart).map(|d| d.svg)
}

/// The chart as an SVG document, with its size in pixels.
pub fn draw(chart: &Chart) -> Result<Drawn, Error> {
    register()?;
    match chart.kind {
        ChartKind::StackedColumns => columns(chart),
        ChartKind::Bars => bars(chart),
    }
}

fn columns(chart: &Chart) -> Result<Drawn, Error> {
    let n = chart.categories.len().max(1);
    let totals: Vec<Decimal> = (0..n)
        .map(|i| {
            chart
                .series
                .iter()
                .map(|(_, v)| v.get(i).copied().unwrap_or_default().max(Decimal::ZERO))
                .sum()
        })
        .collect();
    let top = nice_max(f(totals.iter().copied().max().unwrap_or_default()) * 1.08);
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, (WIDTH, 400)).into_drawing_area();
        root.fill(&WHITE).map_err(failed)?;
        let n32 = u32::try_from(n).unwrap_or(u32::MAX);
        let mut c = ChartBuilder::on(&root)
            .margin_top(36)
            .margin_right(14)
            .margin_left(6)
            .x_label_area_size(if chart.x_title.is_some() { 46 } else { 28 })
            .y_label_area_size(74)
            .build_cartesian_2d((0u32..n32 - 1).into_segmented(), 0f64..top)
            .map_err(failed)?;
        let cats: Vec<String> = chart.categories.iter().map(|s| printable(s)).collect();
        let xfmt = |v: &SegmentValue<u32>| match v {
            SegmentValue::CenterOf(i) | SegmentValue::Exact(i) => {
                cats.get(*i as usize).cloned().unwrap_or_default()
            }
            SegmentValue::Last => String::new(),
        };
        let yfmt = |v: &f64| tick(*v, top);
        let mut mesh = c.configure_mesh();
        mesh.disable_x_mesh()
            .x_labels(n)
            .y_labels(6)
            .x_label_formatter(&xfmt)
            .y_label_formatter(&yfmt)
            .y_max_light_lines(0)
            .bold_line_style(GRID)
            .axis_style(INK)
            .label_style((FAMILY, 13).into_font().color(&INK))
            .axis_desc_style((FAMILY, 13).into_font().color(&INK))
            .y_desc(printable(&chart.unit));
        if let Some(x) = &chart.x_title {
            mesh.x_desc(printable(x));
        }
        mesh.draw().map_err(failed)?;
        let mut base = vec![0f64; n];
        for (k, (_, values)) in chart.series.iter().enumerate() {
            let colour = PALETTE[k % PALETTE.len()];
            let b = base.clone();
            c.draw_series((0..n).map(|i| {
                let v = f(values.get(i).copied().unwrap_or_default()).max(0.0);
                let i32_ = u32::try_from(i).unwrap_or(0);
                let mut r = Rectangle::new(
                    [
                        (SegmentValue::Exact(i32_), b[i]),
                        (SegmentValue::Exact(i32_ + 1), b[i] + v),
                    ],
                    colour.filled(),
                );
                r.set_margin(0, 0, 9, 9);
                r
            }))
            .map_err(failed)?;
            for (i, slot) in base.iter_mut().enumerate() {
                *slot += f(values.get(i).copied().unwrap_or_default()).max(0.0);
            }
        }
        // the month's total above its column
        let label = style(11, HPos::Center, VPos::Bottom);
        c.draw_series(
            totals
                .iter()
                .enumerate()
                .filter(|(_, t)| !t.is_zero())
                .map(|(i, t)| {
                    let i32_ = u32::try_from(i).unwrap_or(0);
                    Text::new(
                        grouped(t.round_dp(1), 1),
                        (SegmentValue::CenterOf(i32_), f(*t) + top * 0.01),
                        label.clone(),
                    )
                }),
        )
        .map_err(failed)?;
        // the legend: one row above the plot, measured with the font it is printed in
        let font = Font::get();
        let mut x = 80i32;
        for (k, (name, _)) in chart.series.iter().enumerate() {
            let colour = PALETTE[k % PALETTE.len()];
            let name = printable(name);
            root.draw(&Rectangle::new([(x, 11), (x + 12, 23)], colour.filled()))
                .map_err(failed)?;
            root.draw(&Text::new(
                name.clone(),
                (x + 18, 17),
                style(13, HPos::Left, VPos::Center),
            ))
            .map_err(failed)?;
            x += 18 + font.width(&name, 13.0).ceil() as i32 + 20;
        }
        root.present().map_err(failed)?;
    }
    Ok(Drawn {
        svg: out,
        width: WIDTH,
        height: 400,
    })
}

fn bars(chart: &Chart) -> Result<Drawn, Error> {
    let values = chart
        .series
        .first()
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    // one bar per category, in the order given (the document sorts and folds them)
    let rows: Vec<(String, Decimal)> = chart
        .categories
        .iter()
        .cloned()
        .zip(values.iter().copied())
        .collect();
    let n = rows.len().max(1);
    let label_px = 13.0f32;
    let font = Font::get();
    let widest = rows
        .iter()
        .map(|r| font.width(&printable(&r.0), label_px))
        .fold(0.0f32, f32::max);
    let label_area = (widest + 18.0).clamp(80.0, 330.0);
    let max_value = rows.iter().map(|r| r.1).max().unwrap_or_default();
    // room on the right for the value printed at the end of the longest bar
    let top = nice_max(f(max_value) * 1.22);
    let height = 40 + 30 * u32::try_from(n).unwrap_or(1);
    let colour = PALETTE[1];
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, (WIDTH, height)).into_drawing_area();
        root.fill(&WHITE).map_err(failed)?;
        let n32 = u32::try_from(n).unwrap_or(u32::MAX);
        let mut c = ChartBuilder::on(&root)
            .margin_top(8)
            .margin_right(18)
            .margin_left(6)
            .x_label_area_size(36)
            .y_label_area_size(label_area as u32)
            .build_cartesian_2d(0f64..top, (0u32..n32 - 1).into_segmented())
            .map_err(failed)?;
        // the largest at the top: row k of `rows` sits at index n-1-k
        let names: Vec<String> = rows
            .iter()
            .map(|r| fit(&r.0, label_px, label_area - 14.0))
            .collect();
        let yfmt = |v: &SegmentValue<u32>| match v {
            SegmentValue::CenterOf(i) | SegmentValue::Exact(i) => {
                let k = n.saturating_sub(1 + *i as usize);
                names.get(k).cloned().unwrap_or_default()
            }
            SegmentValue::Last => String::new(),
        };
        let xfmt = |v: &f64| tick(*v, top);
        c.configure_mesh()
            .disable_y_mesh()
            .y_labels(n)
            .x_labels(6)
            .y_label_formatter(&yfmt)
            .x_label_formatter(&xfmt)
            .x_max_light_lines(0)
            .bold_line_style(GRID)
            .axis_style(INK)
            .label_style((FAMILY, 13).into_font().color(&INK))
            .axis_desc_style((FAMILY, 13).into_font().color(&INK))
            .x_desc(printable(&chart.unit))
            .draw()
            .map_err(failed)?;
        c.draw_series(rows.iter().enumerate().map(|(k, r)| {
            let i = u32::try_from(n - 1 - k).unwrap_or(0);
            let mut rect = Rectangle::new(
                [
                    (0.0, SegmentValue::Exact(i)),
                    (f(r.1).max(0.0), SegmentValue::Exact(i + 1)),
                ],
                colour.filled(),
            );
            rect.set_margin(6, 6, 0, 0);
            rect
        }))
        .map_err(failed)?;
        let label = style(12, HPos::Left, VPos::Center);
        c.draw_series(rows.iter().enumerate().map(|(k, r)| {
            let i = u32::try_from(n - 1 - k).unwrap_or(0);
            Text::new(
                crate::doc::t3(r.1),
                (f(r.1).max(0.0) + top * 0.01, SegmentValue::CenterOf(i)),
                label.clone(),
            )
        }))
        .map_err(failed)?;
        root.present().map_err(failed)?;
    }
    Ok(Drawn {
        svg: out,
        width: WIDTH,
        height,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;

    #[test]
    fn nice_maxima() {
        assert_eq!(nice_max(0.0), 1.0);
        assert_eq!(nice_max(87.0), 100.0);
        assert_eq!(nice_max(101.0), 120.0);
        assert_eq!(nice_max(1_244.0), 1_500.0);
        assert_eq!(tick(1500.0, 1500.0), "1,500");
    }

    #[test]
    fn long_names_are_shortened() {
        let n = 30;
        let chart = Chart {
            title: "by source".into(),
            kind: ChartKind::Bars,
            unit: "tCO2e".into(),
            x_title: None,
            categories: (0..n)
                .map(|i| format!("source {i} with a rather long name that goes on and on"))
                .collect(),
            series: vec![(
                "tCO2e".into(),
                (0..n).map(|i| Decimal::from(100 - i)).collect(),
            )],
        };
        let svg = svg(&chart).unwrap();
        assert!(svg.starts_with("<svg"));
        assert!(svg.contains('…'));
        assert!(svg.contains("100.000"));
    }
}
