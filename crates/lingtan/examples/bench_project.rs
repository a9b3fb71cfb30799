//! Make a large project for `make bench`: N activity records spread over S sources (half grid
//! electricity across ten sites on the seven regional grids, a quarter natural gas in m3, a
//! quarter diesel in litres), in the inventory year 2024 (or, with YEARS = 2, over 2024 and
//! 2025), one day each, with quantities written to two decimals. With MEASURES > 0 the project
//! also has the reduction step: output for each year, an absolute and an intensity target on
//! 2024, prices, and MEASURES measures (LED on the electricity sources, a direct change on the
//! gas sources, electric forklifts on the diesel sources). Deterministic: the same arguments give
//! the same project.
//!
//! Usage: cargo run --release -p lingtan --example bench_project -- OUT.lingtan RECORDS SOURCES [YEARS [MEASURES]]

use lingtan::{
    BulkActivity, MeasureEntry, NewProject, OutputEntry, Project, ReductionSettingsEntry,
    SourceEntry, TargetEntry,
};
use lingtan_core::{Decimal, Unit};
use std::path::Path;
use std::sync::Arc;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    if !(4..=6).contains(&args.len()) {
        return Err("usage: bench_project OUT.lingtan RECORDS SOURCES [YEARS [MEASURES]]".into());
    }
    let out = Path::new(&args[1]);
    let records: usize = args[2].parse()?;
    let source_count: usize = args[3].parse()?;
    let years: i64 = args.get(4).map_or(Ok(1), |a| a.parse())?;
    let measures: usize = args.get(5).map_or(Ok(0), |a| a.parse())?;
    let days = if years >= 2 { 366 + 365 } else { 366 };
    let clock: lingtan::Clock = Arc::new(|| "2025-03-01T00:00:00Z".to_string());
    let mut p = Project::create(
        out,
        &NewProject {
            org: "Benchmark Group".into(),
            year: 2024,
            base_year: Some(2024),
            ..Default::default()
        },
        clock,
    )?;
    let regions = [
        "CN-North",
        "CN-Northeast",
        "CN-East",
        "CN-Central",
        "CN-Northwest",
        "CN-South",
        "CN-Southwest",
    ];
    for i in 0..10 {
        p.add_site(
            &format!("Site {i:02}"),
            Some(regions[i % regions.len()]),
            None,
        )?;
    }
    let mut sources = Vec::new();
    for i in 0..source_count {
        let (kind, fuel, unit) = match i % 4 {
            0 | 1 => ("electricity", None, "kWh"),
            2 => (
                "stationary-combustion",
                Some("natural-gas".to_string()),
                "m3",
            ),
            _ => ("mobile-combustion", Some("diesel".to_string()), "L"),
        };
        let s = p.add_source(&SourceEntry {
            name: format!("Source {i:03}"),
            site: format!("Site {:02}", i % 10),
            kind: kind.into(),
            fuel,
            unit: Some(unit.into()),
            uncertainty: Some("3".into()),
            ..Default::default()
        })?;
        sources.push((s.id, s.unit.unwrap_or(Unit::KWh)));
    }
    let start = chrono::NaiveDate::from_ymd_opt(2024, 1, 1).ok_or("date")?;
    let mut batch = Vec::with_capacity(100_000);
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    for n in 0..records {
        // xorshift: deterministic quantities 0.01 .. 9999.99
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let (source_id, unit) = sources[n % sources.len()];
        let day = start + chrono::Duration::days(((n / sources.len()) % days) as i64);
        batch.push(BulkActivity {
            source_id,
            from: day,
            to: day,
            quantity: Decimal::new((state % 999_999 + 1) as i64, 2),
            unit,
            note: None,
            evidence_id: None,
            reason: None,
            origin_ref: Some(format!("bench!{}", n + 2)),
            detail: None,
        });
        if batch.len() == batch.capacity() {
            p.add_activity_batch("benchmark", &batch)?;
            batch.clear();
            // the measures once every source has activity (a measure's changes are checked
            // against it), while checking them is still cheap
            if n + 1 == batch.capacity() && measures > 0 {
                reduction_step(&mut p, source_count, measures)?;
            }
        }
    }
    if measures > 0 && records < batch.capacity() {
        p.add_activity_batch("benchmark", &batch)?;
        batch.clear();
        reduction_step(&mut p, source_count, measures)?;
    }
    if !batch.is_empty() {
        p.add_activity_batch("benchmark", &batch)?;
    }
    println!(
        "wrote {} ({records} records, {source_count} sources, {years} year(s), {measures} measures)",
        out.display()
    );
    Ok(())
}

/// Output, targets, prices and `measures` measures.
fn reduction_step(
    p: &mut Project,
    source_count: usize,
    measures: usize,
) -> Result<(), Box<dyn std::error::Error>> {
    for (year, qty) in [(2024, "1000000"), (2025, "1040000")] {
        p.add_output(&OutputEntry {
            metric: "product".into(),
            year,
            qty: qty.into(),
            unit: "t".into(),
            ..Default::default()
        })?;
    }
    p.add_target(&TargetEntry {
        name: "Scope 1+2 -42 % by 2030".into(),
        scopes: "1+2".into(),
        base_year: 2024,
        target_year: 2030,
        reduction: Some("42".into()),
        ..Default::default()
    })?;
    p.add_target(&TargetEntry {
        name: "Per tonne -50 % by 2030".into(),
        scopes: "1+2".into(),
        base_year: 2024,
        target_year: 2030,
        reduction: Some("50".into()),
        metric: Some("product".into()),
        ..Default::default()
    })?;
    let mut prices = Vec::new();
    for i in 0..source_count {
        prices.push(match i % 4 {
            0 | 1 => format!("Source {i:03}=0.7/kWh"),
            2 => format!("Source {i:03}=3.9/m3"),
            _ => format!("Source {i:03}=7.5/L"),
        });
    }
    p.set_reduction_settings(&ReductionSettingsEntry {
        prices,
        carbon_price: Some("80".into()),
        ..Default::default()
    })?;
    let statuses = ["idea", "planned", "approved", "in-progress", "done"];
    for m in 0..measures {
        let i = m % source_count;
        let elec = format!("Source {:03}", i - i % 4);
        let mut e = MeasureEntry {
            name: format!("Measure {m:03}"),
            capex: Some(format!("{}", 10_000 + 1_000 * m)),
            status: Some(statuses[m % statuses.len()].into()),
            start: Some(format!("2025-{:02}", m % 12 + 1)),
            ..Default::default()
        };
        match i % 4 {
            0 | 1 => {
                e.kind = Some("led".into());
                e.inputs = vec![
                    ("fixtures".into(), "10".into()),
                    ("watts-old".into(), "150".into()),
                    ("watts-new".into(), "60".into()),
                    ("hours".into(), "4000".into()),
                ];
                e.electricity_source = Some(format!("Source {i:03}"));
            }
            2 => {
                e.kind = Some("other".into());
                e.changes = vec![format!("Source {i:03}=-100 m3")];
            }
            _ => {
                e.kind = Some("electric-forklift".into());
                e.inputs = vec![
                    ("diesel".into(), "100".into()),
                    ("kwh".into(), "250".into()),
                ];
                e.fuel_source = Some(format!("Source {i:03}"));
                e.electricity_source = Some(elec);
            }
        }
        p.add_measure(&e)?;
    }
    Ok(())
}
