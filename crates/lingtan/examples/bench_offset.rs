//! Add the offset step to a project `bench_project` made, for `bench/offset.sh`: EACS green
//! certificates (GECs of 1 MWh for 2024 generation, retired for the organisation, spread over
//! the ten sites; every tenth covers all sites) and CREDITS Verra blocks of 1,000 units in 20
//! issuances (through the bulk path `add_credits`, as an import would), 20 of them retired for
//! 2024. Then it times `add_credit` of one more disjoint block among them, best of 5, in the
//! process (the CLI's `credit add` adds opening the file). Deterministic.
//!
//! Usage: cargo run --release -p lingtan --example bench_offset -- PROJECT.lingtan EACS CREDITS

use lingtan::{CreditEntry, CreditRetirement, EacEntry, Project};
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// A Verra VCU serial of 1,000 units from `first` in `issuance` (the grammar of OFFSET.md).
fn serial(issuance: u64, first: u64) -> String {
    format!(
        "{issuance}-{first}-{}-VCS-VCU-1491-VER-RW-3-4150-01102023-31122023-1",
        first + 999
    )
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 4 {
        return Err("usage: bench_offset PROJECT.lingtan EACS CREDITS".into());
    }
    let path = Path::new(&args[1]);
    let eacs: usize = args[2].parse()?;
    let credits: u64 = args[3].parse()?;
    let clock: lingtan::Clock = Arc::new(|| "2025-03-01T00:00:00Z".to_string());
    let mut p = Project::open(path, clock)?;
    let org = p.info()?.org_name;
    let t = Instant::now();
    for i in 0..eacs {
        let sites = if i % 10 == 9 {
            Vec::new()
        } else {
            vec![format!("Site {:02}", i % 10)]
        };
        p.add_eac(&EacEntry {
            kind: "gec".into(),
            id: format!(
                "{:032}",
                33_052_300_000_000_001_202_401_000_000_000u128 + i as u128
            ),
            mwh: "1".into(),
            from: format!("2024-{:02}", i % 12 + 1),
            to: format!("2024-{:02}", i % 12 + 1),
            sites,
            technology: Some("wind".into()),
            region: Some("内蒙古".into()),
            retired: Some("2025-01-15".into()),
            beneficiary: Some(org.clone()),
            ..Default::default()
        })?;
    }
    let eac_time = t.elapsed();
    let t = Instant::now();
    let entries: Vec<CreditEntry> = (0..credits)
        .map(|i| CreditEntry {
            registry: "verra".into(),
            serial: serial(19_000 + i % 20, 1_000_000 + (i / 20) * 1000),
            kind: Some("avoidance".into()),
            ..Default::default()
        })
        .collect();
    for chunk in entries.chunks(5000) {
        p.add_credits(chunk)?;
    }
    let credit_time = t.elapsed();
    for id in 1..=20.min(credits) {
        p.retire_credit(
            &id.to_string(),
            &CreditRetirement {
                date: "2025-02-01".into(),
                beneficiary: org.clone(),
                for_year: "2024".into(),
                ..Default::default()
            },
        )?;
    }
    // one more disjoint block, best of 5 (each a new block: 5 more in the file)
    let mut best = Duration::MAX;
    for k in 0..5u64 {
        let t = Instant::now();
        p.add_credit(&CreditEntry {
            registry: "verra".into(),
            serial: serial(19_005, 500_000 + k * 1000),
            ..Default::default()
        })?;
        best = best.min(t.elapsed());
    }
    println!(
        "added {eacs} certificates in {} ms and {credits} credit blocks in {} ms; add_credit among them (in process, best of 5): {} µs",
        eac_time.as_millis(),
        credit_time.as_millis(),
        best.as_micros()
    );
    Ok(())
}
