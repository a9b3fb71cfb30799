//! The reduction section's charts as SVG, drawn by plotters in the style of the inventory's
//! charts ([`crate::chart`]: the same font, ink, grid and palette): a target's trajectory
//! (allowed, actual, planned), the marginal-abatement-cost curve (bar width = annual abatement,
//! height = MAC, negative cost below the axis, an optional carbon-price line) and the waterfall
//! of what changed since the base year. The PDF embeds the SVG; the desktop shows the same SVG.
//!
//! As in the inventory's charts, the title is not in the SVG (the PDF prints it as text above).

// Chart geometry is f32/f64 pixels by nature; the figures printed on the chart are formatted
// from the Decimal values, never computed in floating point.
#![allow(clippy::float_arithmetic)]

use super::{Figure, FigureKind, MaccFigure, Trajectory, Waterfall, WaterfallStep};
use crate::chart::{
    failed, fit, nice_max, printable, register, style, tick, GRID, INK, PALETTE, WIDTH,
};
use crate::font::{Font, FAMILY};
use crate::layout::Drawn;
use crate::Error;
use lingtan_core::text::grouped;
use lingtan_core::Decimal;
use plotters::coord::ranged1d::SegmentValue;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};
use rust_decimal::prelude::ToPrimitive;

const HEIGHT: u32 = 400;
/// Below the axis: pays for itself. Above: costs money per tonne.
const SAVES: RGBColor = RGBColor(0x2e, 0x6f, 0x57);
const COSTS: RGBColor = RGBColor(0x3a, 0x78, 0xb5);
const UP: RGBColor = RGBColor(0xb5, 0x4a, 0x3a);
const PRICE: RGBColor = RGBColor(0xd9, 0x9a, 0x2b);

fn f(d: Decimal) -> f64 {
    d.to_f64().unwrap_or(0.0)
}

/// The figure as an SVG document, with its size in pixels.
pub fn draw(figure: &Figure) -> Result<Drawn, Error> {
    register()?;
    match &figure.kind {
        FigureKind::Trajectory(t) => trajectory(t, &figure.unit),
        FigureKind::Macc(m) => macc(m, &figure.unit),
        FigureKind::Waterfall(w) => waterfall(w, &figure.unit),
    }
}

/// A y range that holds every value and zero, with room above (and below, when negative).
fn y_range(values: impl Iterator<Item = f64>) -> (f64, f64) {
    let (mut lo, mut hi) = (0.0f64, 0.0f64);
    for v in values {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    let top = if hi > 0.0 { nice_max(hi * 1.12) } else { 0.0 };
    let bottom = if lo < 0.0 { -nice_max(-lo * 1.12) } else { 0.0 };
    if top == 0.0 && bottom == 0.0 {
        (0.0, 1.0)
    } else {
        (bottom, top)
    }
}

/// The legend: one row above the plot, measured with the font it is printed in.
fn legend(
    root: &DrawingArea<SVGBackend<'_>, plotters::coord::Shift>,
    entries: &[(String, RGBColor)],
) -> Result<(), Error> {
    let font = Font::get();
    let mut x = 80i32;
    for (name, colour) in entries {
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
    Ok(())
}

/// Runs of consecutive known values, as line segments.
fn runs(years: &[i32], values: &[Option<Decimal>]) -> Vec<Vec<(f64, f64)>> {
    let mut out: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut current: Vec<(f64, f64)> = Vec::new();
    for (y, v) in years.iter().zip(values) {
        match v {
            Some(v) => current.push((f64::from(*y), f(*v))),
            None => {
                if !current.is_empty() {
                    out.push(std::mem::take(&mut current));
                }
            }
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

fn trajectory(t: &Trajectory, unit: &str) -> Result<Drawn, Error> {
    let all = t
        .allowed
        .iter()
        .chain(&t.actual)
        .chain(&t.planned)
        .flatten()
        .map(|d| f(*d));
    let (bottom, top) = y_range(all);
    let first = t.years.first().copied().unwrap_or(2020);
    let last = t.years.last().copied().unwrap_or(first + 1).max(first + 1);
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE).map_err(failed)?;
        let mut c = ChartBuilder::on(&root)
            .margin_top(36)
            .margin_right(18)
            .margin_left(6)
            .x_label_area_size(32)
            .y_label_area_size(74)
            .build_cartesian_2d(f64::from(first) - 0.4..f64::from(last) + 0.4, bottom..top)
            .map_err(failed)?;
        let xfmt = |v: &f64| {
            if (v - v.round()).abs() < 1e-9 {
                format!("{}", v.round() as i64)
            } else {
                String::new()
            }
        };
        let yfmt = |v: &f64| tick(*v, top.max(-bottom));
        let span = usize::try_from(last - first + 1).unwrap_or(1);
        c.configure_mesh()
            .disable_x_mesh()
            .x_labels(span.min(16) + 1)
            .y_labels(6)
            .x_label_formatter(&xfmt)
            .y_label_formatter(&yfmt)
            .y_max_light_lines(0)
            .bold_line_style(GRID)
            .axis_style(INK)
            .label_style((FAMILY, 13).into_font().color(&INK))
            .axis_desc_style((FAMILY, 13).into_font().color(&INK))
            .y_desc(printable(unit))
            .draw()
            .map_err(failed)?;
        let series = [
            (&t.allowed, PALETTE[1], false),
            (&t.planned, PALETTE[2], false),
            (&t.actual, PALETTE[0], true),
        ];
        for (values, colour, marks) in series {
            for run in runs(&t.years, values) {
                c.draw_series(std::iter::once(PathElement::new(
                    run.clone(),
                    colour.stroke_width(2),
                )))
                .map_err(failed)?;
                if marks {
                    c.draw_series(run.iter().map(|p| Circle::new(*p, 4, colour.filled())))
                        .map_err(failed)?;
                }
            }
        }
        legend(
            &root,
            &[
                (t.labels[0].clone(), PALETTE[1]),
                (t.labels[1].clone(), PALETTE[0]),
                (t.labels[2].clone(), PALETTE[2]),
            ],
        )?;
        root.present().map_err(failed)?;
    }
    Ok(Drawn {
        svg: out,
        width: WIDTH,
        height: HEIGHT,
    })
}

fn macc(m: &MaccFigure, unit: &str) -> Result<Drawn, Error> {
    let total = m.bars.last().map_or(Decimal::ONE, |b| b.x_to);
    let right = nice_max(f(total).max(f64::MIN_POSITIVE) * 1.02);
    let (bottom, top) = y_range(m.bars.iter().map(|b| f(b.mac)).chain(m.carbon_price.map(f)));
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE).map_err(failed)?;
        let mut c = ChartBuilder::on(&root)
            .margin_top(36)
            .margin_right(18)
            .margin_left(6)
            .x_label_area_size(46)
            .y_label_area_size(74)
            .build_cartesian_2d(0f64..right, bottom..top)
            .map_err(failed)?;
        let xfmt = |v: &f64| tick(*v, right);
        let yfmt = |v: &f64| tick(*v, top.max(-bottom));
        c.configure_mesh()
            .disable_x_mesh()
            .x_labels(6)
            .y_labels(7)
            .x_label_formatter(&xfmt)
            .y_label_formatter(&yfmt)
            .y_max_light_lines(0)
            .bold_line_style(GRID)
            .axis_style(INK)
            .label_style((FAMILY, 13).into_font().color(&INK))
            .axis_desc_style((FAMILY, 13).into_font().color(&INK))
            .y_desc(printable(unit))
            .x_desc(printable(&m.x_title))
            .draw()
            .map_err(failed)?;
        // the zero line, so that measures below it read as paying for themselves
        c.draw_series(std::iter::once(PathElement::new(
            vec![(0.0, 0.0), (right, 0.0)],
            INK.stroke_width(1),
        )))
        .map_err(failed)?;
        c.draw_series(m.bars.iter().map(|b| {
            let colour = if b.mac < Decimal::ZERO { SAVES } else { COSTS };
            let mut r =
                Rectangle::new([(f(b.x_from), 0.0), (f(b.x_to), f(b.mac))], colour.filled());
            r.set_margin(0, 0, 1, 1);
            r
        }))
        .map_err(failed)?;
        // each bar's number (the table beside the chart names it), above or below the bar
        let span = (top - bottom).max(f64::MIN_POSITIVE);
        c.draw_series(m.bars.iter().enumerate().map(|(i, b)| {
            let x = (f(b.x_from) + f(b.x_to)) / 2.0;
            let (y, v) = if b.mac < Decimal::ZERO {
                (f(b.mac) - span * 0.01, VPos::Top)
            } else {
                (f(b.mac) + span * 0.01, VPos::Bottom)
            };
            Text::new(format!("{}", i + 1), (x, y), style(11, HPos::Center, v))
        }))
        .map_err(failed)?;
        let mut entries = vec![(m.labels[0].clone(), SAVES), (m.labels[1].clone(), COSTS)];
        if let Some(price) = m.carbon_price {
            c.draw_series(std::iter::once(PathElement::new(
                vec![(0.0, f(price)), (right, f(price))],
                PRICE.stroke_width(2),
            )))
            .map_err(failed)?;
            let label = fit(
                &format!("{} {}", m.labels[2], grouped(price, 2)),
                12.0,
                300.0,
            );
            c.draw_series(std::iter::once(Text::new(
                label,
                (right, f(price) + span * 0.01),
                style(12, HPos::Right, VPos::Bottom),
            )))
            .map_err(failed)?;
            entries.push((m.labels[2].clone(), PRICE));
        }
        legend(&root, &entries)?;
        root.present().map_err(failed)?;
    }
    Ok(Drawn {
        svg: out,
        width: WIDTH,
        height: HEIGHT,
    })
}

fn waterfall(w: &Waterfall, unit: &str) -> Result<Drawn, Error> {
    // each step's floating bar: from the running level before it to the level after it
    let mut level = Decimal::ZERO;
    let mut bars: Vec<(Decimal, Decimal, &WaterfallStep)> = Vec::new();
    for step in &w.steps {
        let (from, to) = if step.total {
            level = step.value;
            (Decimal::ZERO, step.value)
        } else {
            let from = level;
            level += step.value;
            (from, level)
        };
        bars.push((from, to, step));
    }
    let (bottom, top) = y_range(bars.iter().flat_map(|(a, b, _)| [f(*a), f(*b)]));
    let n = bars.len().max(1);
    let n32 = u32::try_from(n).unwrap_or(1);
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE).map_err(failed)?;
        let mut c = ChartBuilder::on(&root)
            .margin_top(20)
            .margin_right(14)
            .margin_left(6)
            .x_label_area_size(40)
            .y_label_area_size(74)
            .build_cartesian_2d((0u32..n32 - 1).into_segmented(), bottom..top)
            .map_err(failed)?;
        let names: Vec<String> = bars
            .iter()
            .map(|(_, _, s)| fit(&s.label, 12.0, (WIDTH as f32 - 100.0) / n as f32 - 6.0))
            .collect();
        let xfmt = |v: &SegmentValue<u32>| match v {
            SegmentValue::CenterOf(i) | SegmentValue::Exact(i) => {
                names.get(*i as usize).cloned().unwrap_or_default()
            }
            SegmentValue::Last => String::new(),
        };
        let yfmt = |v: &f64| tick(*v, top.max(-bottom));
        c.configure_mesh()
            .disable_x_mesh()
            .x_labels(n)
            .y_labels(6)
            .x_label_formatter(&xfmt)
            .y_label_formatter(&yfmt)
            .y_max_light_lines(0)
            .bold_line_style(GRID)
            .axis_style(INK)
            .label_style((FAMILY, 12).into_font().color(&INK))
            .axis_desc_style((FAMILY, 13).into_font().color(&INK))
            .y_desc(printable(unit))
            .draw()
            .map_err(failed)?;
        c.draw_series(bars.iter().enumerate().map(|(i, (from, to, step))| {
            let colour = if step.total {
                PALETTE[1]
            } else if step.value > Decimal::ZERO {
                UP
            } else {
                SAVES
            };
            let i = u32::try_from(i).unwrap_or(0);
            let mut r = Rectangle::new(
                [
                    (SegmentValue::Exact(i), f(*from)),
                    (SegmentValue::Exact(i + 1), f(*to)),
                ],
                colour.filled(),
            );
            r.set_margin(0, 0, 12, 12);
            r
        }))
        .map_err(failed)?;
        let span = (top - bottom).max(f64::MIN_POSITIVE);
        c.draw_series(bars.iter().enumerate().map(|(i, (from, to, step))| {
            let i = u32::try_from(i).unwrap_or(0);
            let high = f(*from).max(f(*to));
            let text = if step.total {
                grouped(step.value, 3)
            } else if step.value > Decimal::ZERO {
                format!("+{}", grouped(step.value, 3))
            } else {
                grouped(step.value, 3)
            };
            Text::new(
                text,
                (SegmentValue::CenterOf(i), high + span * 0.01),
                style(11, HPos::Center, VPos::Bottom),
            )
        }))
        .map_err(failed)?;
        root.present().map_err(failed)?;
    }
    Ok(Drawn {
        svg: out,
        width: WIDTH,
        height: HEIGHT,
    })
}
