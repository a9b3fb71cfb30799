//! Make a large project for `make bench`: N activity records spread over S sources (half grid
//! electricity across ten sites on the seven regional grids, a quarter natural gas in m3, a
//! quarter diesel in litres), all in the inventory year 2024, one day each, with quantities
//! written to two decimals. Deterministic: the same arguments give the same project.
//!
//! Usage: cargo run --release -p lingtan --example bench_project -- OUT.lingtan RECORDS SOURCES

use lingtan::{BulkActivity, NewProject, Project, SourceEntry};
use lingtan_core::{Decimal, Unit};
use std::path::Path;
use std::sync::Arc;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 4 {
        return Err("usage: bench_project OUT.lingtan RECORDS SOURCES".into());
    }
    let out = Path::new(&args[1]);
    let records: usize = args[2].parse()?;
    let source_count: usize = args[3].parse()?;
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
        let day = start + chrono::Duration::days(((n / sources.len()) % 366) as i64);
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
        }
    }
    if !batch.is_empty() {
        p.add_activity_batch("benchmark", &batch)?;
    }
    println!(
        "wrote {} ({records} records, {source_count} sources)",
        out.display()
    );
    Ok(())
}
