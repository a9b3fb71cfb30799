//! The offset step through the workbench, on a real project file: the market-based scope 2 with
//! certificates worked out by hand, the credit ledger (double counting refused, partial
//! retirement), every refusal of the issue's "Bad input" list leaving the project unchanged, the
//! audit chain and the platforms' exports.

use lingtan::offset::json;
use lingtan::{
    CreditEntry, CreditRetirement, EacEntry, EacImportOptions, NewProject, Project, SourceEntry,
};
use lingtan_core::calc::MarketBasis;
use lingtan_core::{Decimal, Lang};
use std::path::{Path, PathBuf};
use std::sync::Arc;

fn d(s: &str) -> Decimal {
    s.parse().expect("a decimal")
}

const ORG: &str = "Anji Demo Co";

/// A 2025 project (clock 2026-03-01) with two sites on the East China grid and two electricity
/// sources: A 10,000 kWh in January and 20,000 kWh in February, B 5,000 kWh in January. The
/// library gives CN-GRID-EAST-2023 (0.5500) location-based and CN-GRID-RESIDUAL-2023 (0.6096)
/// for the market-based figure.
fn project(dir: &Path) -> Project {
    let clock: lingtan::Clock = Arc::new(|| "2026-03-01T08:00:00Z".to_string());
    let mut p = Project::create(
        &dir.join("offset.lingtan"),
        &NewProject {
            org: ORG.into(),
            org_zh: Some("安吉示范制造有限公司".into()),
            year: 2025,
            base_year: Some(2025),
            ..Default::default()
        },
        clock,
    )
    .expect("create");
    for (site, source) in [("Plant A", "A grid"), ("Warehouse B", "B grid")] {
        p.add_site(site, Some("CN-East"), None).expect("site");
        p.add_source(&SourceEntry {
            name: source.into(),
            site: site.into(),
            kind: "electricity".into(),
            unit: Some("kWh".into()),
            ..Default::default()
        })
        .expect("source");
    }
    for (source, from, to, qty) in [
        ("A grid", "2025-01-01", "2025-01-31", "10000"),
        ("A grid", "2025-02-01", "2025-02-28", "20000"),
        ("B grid", "2025-01-01", "2025-01-31", "5000"),
    ] {
        p.add_activity(&lingtan::ActivityEntry {
            source: source.into(),
            from: from.into(),
            to: to.into(),
            qty: qty.into(),
            unit: "kWh".into(),
            ..Default::default()
        })
        .expect("record");
    }
    p
}

fn gec(id: &str, mwh: &str, sites: &[&str]) -> EacEntry {
    EacEntry {
        kind: "gec".into(),
        id: id.into(),
        mwh: mwh.into(),
        from: "2025-01".into(),
        to: "2025-02".into(),
        sites: sites.iter().map(|s| s.to_string()).collect(),
        technology: Some("wind".into()),
        region: Some("内蒙古".into()),
        retired: Some("2025-12-20".into()),
        beneficiary: Some(ORG.into()),
        ..Default::default()
    }
}

/// Everything a refusal must leave as it was: the audit chain's head (every change appends to
/// it), the certificates, the blocks and the evidence.
fn state(p: &Project) -> (String, usize, usize, usize) {
    (
        p.verify().expect("verify").head,
        p.eacs(None).expect("eacs").len(),
        p.credits().expect("credits").len(),
        p.evidence().expect("evidence").len(),
    )
}

/// The three certificates of the worked example: g1 (15 MWh, Plant A only), g2 (8 MWh, any
/// site), and a Norwegian GO that cannot count for a plant in China.
fn with_certificates(p: &mut Project) {
    p.add_eac(&gec("g1", "15", &["Plant A"])).expect("g1");
    p.add_eac(&gec("g2", "8", &[])).expect("g2");
    p.add_eac(&EacEntry {
        kind: "go".into(),
        id: "GO-NO-1".into(),
        mwh: "50".into(),
        technology: Some("hydro".into()),
        region: Some("NO".into()),
        ..gec("GO-NO-1", "50", &[])
    })
    .expect("go");
}

/// By hand. g1 goes first (one site): A January 10,000 kWh, then 5,000 of A February; g2 fills
/// 8,000 more of A February (Plant A comes before Warehouse B). The GO is from another market:
/// ✗ EAC_MARKET_MISMATCH, left out. B is not covered.
///   before: (30,000 + 5,000) × 0.6096 / 1000 = 21.336
///   after:  A (20,000 − 13,000) × 0.6096 / 1000 = 4.2672; B 5,000 × 0.6096 / 1000 = 3.048;
///           7.3152
///   location-based 35,000 × 0.55 / 1000 = 19.25 before and after
#[test]
fn market_based_scope2_with_certificates_to_the_last_digit() {
    let dir = tempfile::tempdir().expect("dir");
    let mut p = project(dir.path());
    let before = p.inventory(None, false).expect("inventory").inventory;
    assert_eq!(before.totals.scope2_market, d("21.336"));
    with_certificates(&mut p);
    let inv = p.inventory(None, true).expect("inventory").inventory;
    let t = &inv.totals;
    assert_eq!(
        t.scope2_location,
        d("19.25"),
        "location-based never changes"
    );
    assert_eq!(
        t.scope2_market,
        d("7.3152"),
        "21.336 − 23,000 × 0.6096 / 1000"
    );
    assert_eq!(t.total_market, d("7.3152"));
    let a = inv
        .sources
        .iter()
        .find(|s| s.source == "A grid")
        .expect("A");
    assert_eq!(a.market_basis, Some(MarketBasis::Eac));
    assert_eq!(a.eac_kwh, d("23000"));
    assert_eq!(a.uncovered_basis, Some(MarketBasis::ResidualMix));
    assert_eq!(a.tco2e_market, d("4.2672"));
    let b = inv
        .sources
        .iter()
        .find(|s| s.source == "B grid")
        .expect("B");
    assert_eq!(
        b.market_basis,
        Some(MarketBasis::ResidualMix),
        "B is not covered"
    );
    assert_eq!(b.tco2e_market, d("3.048"));
    let e = inv.eac.as_ref().expect("the project has certificates");
    assert_eq!(e.scope2_market_before_eac, d("21.336"));
    let used: Vec<&str> = e
        .allocation
        .certificates
        .iter()
        .map(|c| c.id.as_str())
        .collect();
    assert_eq!(used, vec!["g1", "g2"], "the GO is left out by its ✗ check");
    // the trace of scope2-market: each record names the certificates that covered its kWh
    let feb = inv
        .lines
        .iter()
        .find(|l| l.quantity == d("20000"))
        .expect("the February record");
    let covers: Vec<(&str, Decimal)> = feb.eac.iter().map(|c| (c.id.as_str(), c.kwh)).collect();
    assert_eq!(covers, vec![("g1", d("5000")), ("g2", d("8000"))]);
    let sum: Decimal = inv.lines.iter().map(|l| l.tco2e_market).sum();
    assert_eq!(sum, t.scope2_market, "the records add up to the figure");

    let listed = p.eacs(None).expect("eacs");
    let go = listed
        .iter()
        .find(|r| r.eac.id == "GO-NO-1")
        .expect("the GO");
    assert!(go.excluded, "an EU GO for a plant in China is excluded");
    assert!(go.checks.iter().any(|c| c.code == "EAC_MARKET_MISMATCH"));

    // the offset summary of the year
    p.add_credit(&CreditEntry {
        registry: "verra".into(),
        serial: "19309-936487628-936491271-VCS-VCU-1491-VER-RW-3-4150-01102024-31122024-1".into(),
        kind: Some("avoidance".into()),
        ..Default::default()
    })
    .expect("a Verra block");
    p.retire_credit(
        "1",
        &CreditRetirement {
            date: "2026-01-15".into(),
            beneficiary: ORG.into(),
            for_year: "2025".into(),
            qty: Some("5".into()),
            ..Default::default()
        },
    )
    .expect("5 t of it");
    p.add_credit(&CreditEntry {
        registry: "ccer".into(),
        serial: "CCER-2025-000123".into(),
        qty: Some("100".into()),
        kind: Some("removal".into()),
        vintage: Some("2025".into()),
        ..Default::default()
    })
    .expect("a CCER block");
    p.retire_credit(
        "4",
        &CreditRetirement {
            date: "2026-02-01".into(),
            beneficiary: "安吉示范制造有限公司".into(),
            for_year: "2025".into(),
            qty: Some("2".into()),
            ..Default::default()
        },
    )
    .expect("2 t of it");
    let o = p.offset(None, None).expect("offset");
    let v = json::offset(&o, Lang::En);
    // residual 7.3152; counted 5 + 2 = 7; coverage 700 / 7.3152 = 95.6911636…; green power
    // 23,000 / 35,000 = 65.714285…%; reduction 23,000 × 0.55 / 1000 = 12.65; energy
    // 35,000 kWh × 0.1229 kgce = 4.3015 tce, × 3.6 MJ = 126 GJ
    assert_eq!(v["year"], 2025);
    assert_eq!(v["scopes"], "1+2");
    assert_eq!(v["residual_tco2e"], "7.3152");
    assert_eq!(v["scope2_market_before_eac_tco2e"], "21.336");
    assert_eq!(v["scope2_market_tco2e"], "7.3152");
    assert_eq!(v["eac"]["mwh_retired"], "23");
    assert_eq!(v["eac"]["mwh_used"], "23");
    assert_eq!(v["eac"]["mwh_unused"], "0");
    assert_eq!(v["eac"]["kwh_covered"], "23000");
    assert_eq!(v["credits"]["retired_tco2e"], "7");
    assert_eq!(v["credits"]["counted_tco2e"], "7");
    assert_eq!(v["credits"]["removal_tco2e"], "2");
    assert_eq!(v["credits"]["avoidance_tco2e"], "5");
    assert_eq!(v["coverage_pct"], "95.691164");
    assert_eq!(v["shortfall_tco2e"], "0.3152");
    assert_eq!(v["shares"]["green_power_pct"], "65.714286");
    assert_eq!(v["shares"]["renewable_energy_pct"], "65.714286");
    assert_eq!(v["shares"]["green_power_reduction_tco2e"], "12.65");
    assert_eq!(v["shares"]["credit_offset_pct"], "95.691164");
    assert_eq!(v["shares"]["total_energy_tce"], "4.3015");
    assert_eq!(v["shares"]["total_energy_gj"], "126");
    let keys: Vec<&String> = v.as_object().expect("an object").keys().collect();
    assert_eq!(
        keys,
        vec![
            "coverage_pct",
            "credits",
            "eac",
            "energy",
            "issues",
            "residual_tco2e",
            "scope2_market_before_eac_tco2e",
            "scope2_market_tco2e",
            "scopes",
            "shares",
            "shortfall_tco2e",
            "year"
        ],
        "the issue's keys, and `energy` (where the shares' kWh and tce come from)"
    );
    let issues = v["issues"].as_array().expect("issues");
    for i in issues {
        let place = i["where"].as_str().expect("a place");
        // "certificate #3 (go GO-NO-1)": the certificate's own label is the place's core
        let label = place
            .split_once('(')
            .map_or(place, |(_, rest)| rest.trim_end_matches(')'));
        if label.chars().all(|c| c.is_ascii_digit()) {
            continue; // a year may be named in a message about that year
        }
        let message = i["message"].as_str().expect("a message");
        assert!(
            !message.contains(label),
            "the place is its own field; the message must not repeat it: {i}"
        );
    }
    assert!(
        issues
            .iter()
            .any(|i| i["code"] == "EAC_MARKET_MISMATCH"
                && i["where"] == "certificate #3 (go GO-NO-1)"),
        "the certificate's ✗ check is in the summary, where it is: {issues:?}"
    );
    assert!(issues.iter().any(|i| i["code"] == "COVERAGE_SHORTFALL"));
    assert!(p.verify().expect("verify").ok());
}

#[test]
fn a_partial_retirement_keeps_the_sum_of_the_parts_and_both_are_listed() {
    let dir = tempfile::tempdir().expect("dir");
    let mut p = project(dir.path());
    let serial = "19309-936487628-936491271-VCS-VCU-1491-VER-RW-3-4150-01102024-31122024-1";
    let block = p
        .add_credit(&CreditEntry {
            registry: "verra".into(),
            serial: serial.into(),
            ..Default::default()
        })
        .expect("block");
    assert_eq!(
        block.credit.serial.quantity, 3644,
        "936,491,271 − 936,487,628 + 1"
    );
    let parts = p
        .retire_credit(
            &format!("#{}", block.credit.id),
            &CreditRetirement {
                date: "2026-01-15".into(),
                beneficiary: ORG.into(),
                for_year: "2025".into(),
                qty: Some("1000".into()),
                reason: Some("2025 neutrality".into()),
                ..Default::default()
            },
        )
        .expect("1,000 of 3,644 t");
    let listed = p.credits().expect("credits");
    let serials: Vec<(&str, u64, &str, Option<i64>)> = listed
        .iter()
        .map(|c| {
            (
                c.credit.serial.serial.as_str(),
                c.credit.serial.quantity,
                c.credit.status.code(),
                c.parent,
            )
        })
        .collect();
    assert_eq!(
        serials,
        vec![
            (
                "19309-936487628-936488627-VCS-VCU-1491-VER-RW-3-4150-01102024-31122024-1",
                1000,
                "retired",
                Some(1)
            ),
            (
                "19309-936488628-936491271-VCS-VCU-1491-VER-RW-3-4150-01102024-31122024-1",
                2644,
                "held",
                Some(1)
            ),
        ],
        "the block is split as the registry splits it, each part with its own serial"
    );
    let sum: u64 = listed.iter().map(|c| c.credit.serial.quantity).sum();
    assert_eq!(sum, 3644, "the parts add up to the block");
    assert_eq!(parts.len(), 2);
    let list = json::credits(&listed, Lang::En);
    assert_eq!(list[0]["split_from"], 1);
    assert_eq!(list[0]["first"], 936_487_628u64);
    assert_eq!(list[0]["last"], 936_488_627u64);
    assert_eq!(list[0]["for_year"], 2025);
    assert_eq!(list[0]["reason"], "2025 neutrality");
    // the block's units are still claimed: the whole block again overlaps both parts
    let err = p
        .add_credit(&CreditEntry {
            registry: "verra".into(),
            serial: serial.into(),
            ..Default::default()
        })
        .expect_err("overlap");
    assert_eq!(err.code, "LEDGER_OVERLAP");
    assert!(
        err.message(lingtan::Lang::En).contains("credit #2")
            && err.message(lingtan::Lang::En).contains("credit #3"),
        "names both parts: {}",
        err.message(lingtan::Lang::En)
    );
    // a CCER block has no range: both parts keep the serial and are not a double count
    p.add_credit(&CreditEntry {
        registry: "ccer".into(),
        serial: "CCER-2025-000123".into(),
        qty: Some("100".into()),
        ..Default::default()
    })
    .expect("ccer");
    p.retire_credit(
        "CCER-2025-000123",
        &CreditRetirement {
            date: "2026-01-20".into(),
            beneficiary: ORG.into(),
            for_year: "2025".into(),
            qty: Some("40".into()),
            ..Default::default()
        },
    )
    .expect("40 of 100 t, named by its serial");
    let ccer: Vec<(u64, bool)> = p
        .credits()
        .expect("credits")
        .iter()
        .filter(|c| c.credit.serial.serial == "CCER-2025-000123")
        .map(|c| (c.credit.serial.quantity, c.excluded))
        .collect();
    assert_eq!(
        ccer,
        vec![(40, false), (60, true)],
        "40 retired and counted; the 60 held are not counted (not retired) — not a false double count"
    );
    let held = p.credits().expect("credits");
    let rest = held
        .iter()
        .find(|c| c.credit.serial.quantity == 60)
        .expect("rest");
    assert!(
        !rest
            .checks
            .iter()
            .any(|c| c.code == "LEDGER_RECORDED_OVERLAP"),
        "{:?}",
        rest.checks
    );
    assert!(p.verify().expect("verify").ok());
}

/// Every refusal the issue lists: a stable code, the field named, and the project unchanged.
#[test]
fn every_bad_input_is_refused_naming_its_field_and_changes_nothing() {
    let dir = tempfile::tempdir().expect("dir");
    let mut p = project(dir.path());
    p.add_eac(&EacEntry {
        retired: None,
        beneficiary: None,
        ..gec("held-1", "10", &[])
    })
    .expect("a held certificate");
    p.add_credit(&CreditEntry {
        registry: "verra".into(),
        serial: "19380-941382555-941382741-VCS-VCU-1310-VER-CN-13-3005-01012022-31102022-0".into(),
        ..Default::default()
    })
    .expect("a block of 187 t");
    p.add_credit(&CreditEntry {
        registry: "gold-standard".into(),
        serial: "GS1-1-KE-GS11603-16-2025-30256-110-5463".into(),
        ..Default::default()
    })
    .expect("a GS block");
    p.retire_credit(
        "2",
        &CreditRetirement {
            date: "2026-01-10".into(),
            beneficiary: ORG.into(),
            for_year: "2025".into(),
            ..Default::default()
        },
    )
    .expect("retired whole");
    let unchanged = state(&p);
    let retire = |date: &str, qty: Option<&str>| CreditRetirement {
        date: date.into(),
        beneficiary: ORG.into(),
        for_year: "2025".into(),
        qty: qty.map(String::from),
        ..Default::default()
    };
    type Attempt = Box<dyn Fn(&mut Project) -> lingtan::Result<()>>;
    let cases: Vec<(&str, &str, &str, Attempt)> = vec![
        (
            "unknown type",
            "EAC_TYPE_UNKNOWN",
            "type",
            Box::new(|p| {
                p.add_eac(&EacEntry {
                    kind: "grc".into(),
                    ..gec("x", "1", &[])
                })
                .map(drop)
            }),
        ),
        (
            "unknown registry",
            "UNKNOWN_REGISTRY",
            "registry",
            Box::new(|p| {
                p.add_credit(&CreditEntry {
                    registry: "vera".into(),
                    serial: "X".into(),
                    qty: Some("1".into()),
                    ..Default::default()
                })
                .map(drop)
            }),
        ),
        (
            "MWh not positive",
            "EAC_MWH_INVALID",
            "mwh",
            Box::new(|p| p.add_eac(&gec("x", "0", &[])).map(drop)),
        ),
        (
            "MWh negative",
            "EAC_MWH_INVALID",
            "mwh",
            Box::new(|p| p.add_eac(&gec("x", "-5", &[])).map(drop)),
        ),
        (
            "GEC not whole",
            "EAC_MWH_INVALID",
            "mwh",
            Box::new(|p| p.add_eac(&gec("x", "5.5", &[])).map(drop)),
        ),
        (
            "tonnes not whole",
            "SERIAL_QTY_INVALID",
            "qty",
            Box::new(|p| {
                p.add_credit(&CreditEntry {
                    registry: "ccer".into(),
                    serial: "CCER-X".into(),
                    qty: Some("2.5".into()),
                    ..Default::default()
                })
                .map(drop)
            }),
        ),
        (
            "tonnes not positive",
            "SERIAL_QTY_INVALID",
            "qty",
            Box::new(|p| {
                p.add_credit(&CreditEntry {
                    registry: "ccer".into(),
                    serial: "CCER-X".into(),
                    qty: Some("0".into()),
                    ..Default::default()
                })
                .map(drop)
            }),
        ),
        (
            "generation to before from",
            "EAC_PERIOD_REVERSED",
            "to",
            Box::new(|p| {
                p.add_eac(&EacEntry {
                    from: "2025-03".into(),
                    to: "2025-01".into(),
                    ..gec("x", "1", &[])
                })
                .map(drop)
            }),
        ),
        (
            "retired in the future (add)",
            "EAC_RETIREMENT_INVALID",
            "retired",
            Box::new(|p| {
                p.add_eac(&EacEntry {
                    retired: Some("2026-03-02".into()),
                    ..gec("x", "1", &[])
                })
                .map(drop)
            }),
        ),
        (
            "retired in the future",
            "EAC_RETIREMENT_INVALID",
            "date",
            Box::new(|p| p.retire_eac("1", "2026-03-02", ORG, None).map(drop)),
        ),
        (
            "retired before generation",
            "EAC_RETIREMENT_INVALID",
            "date",
            Box::new(|p| p.retire_eac("held-1", "2024-12-31", ORG, None).map(drop)),
        ),
        (
            "credit retired in the future",
            "CREDIT_RETIREMENT_INVALID",
            "date",
            Box::new(move |p| p.retire_credit("1", &retire("2026-03-02", None)).map(drop)),
        ),
        (
            "unknown site",
            "UNKNOWN_SITE",
            "site",
            Box::new(|p| p.add_eac(&gec("x", "1", &["Plant Z"])).map(drop)),
        ),
        (
            "malformed serial",
            "SERIAL_UNREADABLE",
            "serial",
            Box::new(|p| {
                p.add_credit(&CreditEntry {
                    registry: "verra".into(),
                    serial:
                        "15312-681393912-681394011-VCS-VCU-208-VER-CA-3-929-01012018-31122018-O"
                            .into(),
                    ..Default::default()
                })
                .map(drop)
            }),
        ),
        (
            "overlapping serial",
            "LEDGER_OVERLAP",
            "serial",
            Box::new(|p| {
                p.add_credit(&CreditEntry {
                    registry: "verra".into(),
                    serial:
                        "19380-941382700-941382800-VCS-VCU-1310-VER-CN-13-3005-01012022-31102022-0"
                            .into(),
                    ..Default::default()
                })
                .map(drop)
            }),
        ),
        (
            "the same serial twice",
            "LEDGER_SAME_SERIAL",
            "serial",
            Box::new(|p| {
                p.add_credit(&CreditEntry {
                    registry: "gold-standard".into(),
                    serial: "gs1-1-ke-gs11603-16-2025-30256-110-5463".into(),
                    ..Default::default()
                })
                .map(drop)
            }),
        ),
        (
            "a quantity disagreeing with the serial",
            "SERIAL_QTY_MISMATCH",
            "qty",
            Box::new(|p| {
                p.add_credit(&CreditEntry {
                    registry: "verra".into(),
                    serial:
                        "19368-940602844-940604553-VCS-VCU-1289-VER-VN-1-1975-01022023-31122023-0"
                            .into(),
                    qty: Some("1711".into()),
                    ..Default::default()
                })
                .map(drop)
            }),
        ),
        (
            "a project id disagreeing with the serial",
            "SERIAL_PROJECT_MISMATCH",
            "project-id",
            Box::new(|p| {
                p.add_credit(&CreditEntry {
                    registry: "verra".into(),
                    serial:
                        "19368-940602844-940604553-VCS-VCU-1289-VER-VN-1-1975-01022023-31122023-0"
                            .into(),
                    project_id: Some("1976".into()),
                    ..Default::default()
                })
                .map(drop)
            }),
        ),
        (
            "retiring more than the block holds",
            "LEDGER_SPLIT_INVALID",
            "qty",
            Box::new(move |p| {
                p.retire_credit("1", &retire("2026-01-10", Some("188")))
                    .map(drop)
            }),
        ),
        (
            "retiring a credit twice",
            "CREDIT_RETIREMENT_INVALID",
            "id",
            Box::new(move |p| p.retire_credit("2", &retire("2026-01-10", None)).map(drop)),
        ),
        (
            "retiring a certificate twice",
            "EAC_RETIREMENT_INVALID",
            "id",
            Box::new(|p| {
                p.retire_eac("1", "2026-01-05", ORG, None)?;
                p.retire_eac("1", "2026-01-06", ORG, None).map(drop)
            }),
        ),
    ];
    for (what, code, field, attempt) in cases {
        let err = attempt(&mut p).expect_err(what);
        assert_eq!(
            (err.code, err.field.map(|f| f.code())),
            (code, Some(field)),
            "{what}: {}",
            err.message(lingtan::Lang::En)
        );
        assert!(
            !err.message(lingtan::Lang::En).is_empty()
                && !err.message(lingtan::Lang::Zh).is_empty(),
            "{what}: both languages"
        );
        if what != "retiring a certificate twice" {
            assert_eq!(state(&p), unchanged, "{what}: a refusal changes nothing");
        }
    }
    assert!(p.verify().expect("verify").ok());
}

#[test]
fn an_overlapping_serial_is_refused_naming_the_block_and_the_units() {
    let dir = tempfile::tempdir().expect("dir");
    let mut p = project(dir.path());
    p.add_credit(&CreditEntry {
        registry: "verra".into(),
        serial: "19309-936487628-936491271-VCS-VCU-1491-VER-RW-3-4150-01102024-31122024-1".into(),
        ..Default::default()
    })
    .expect("block");
    let before = state(&p);
    let err = p
        .add_credit(&CreditEntry {
            registry: "verra".into(),
            serial: "19309-936491000-936491452-VCS-VCU-1491-VER-RW-3-4150-01102024-31122024-1"
                .into(),
            ..Default::default()
        })
        .expect_err("overlap");
    assert_eq!(err.field.map(|f| f.code()), Some("serial"));
    assert!(
        err.message(lingtan::Lang::En)
            .contains("units 936491000–936491271 (272 t) of credit #1"),
        "names the other block and the overlapping units: {}",
        err.message(lingtan::Lang::En)
    );
    assert!(err.message(lingtan::Lang::Zh).contains("信用 #1"));
    assert_eq!(state(&p), before, "the project is unchanged");
    p.add_credit(&CreditEntry {
        registry: "verra".into(),
        serial: "19309-936491272-936491452-VCS-VCU-1491-VER-RW-3-4150-01102024-31122024-1".into(),
        ..Default::default()
    })
    .expect("the next block of the issuance touches, it does not overlap");
    // a voided block no longer claims its units: the corrected entry is accepted
    p.void_credit("1", "typed from the wrong statement")
        .expect("void");
    p.add_credit(&CreditEntry {
        registry: "verra".into(),
        serial: "19309-936487628-936491271-VCS-VCU-1491-VER-RW-3-4150-01102024-31122024-1".into(),
        ..Default::default()
    })
    .expect("after the void");
    assert_eq!(
        p.credits().expect("credits").len(),
        3,
        "the void block is kept"
    );
}

#[test]
fn every_change_is_audited_and_verify_passes() {
    let dir = tempfile::tempdir().expect("dir");
    let mut p = project(dir.path());
    let statement = dir.path().join("cancellation.pdf");
    std::fs::write(&statement, b"%PDF-1.4 GEC cancellation").expect("file");
    let start = p.audit(None).expect("audit").len();
    p.add_eac(&EacEntry {
        retired: None,
        beneficiary: None,
        ..gec("G-1", "10", &[])
    })
    .expect("add");
    let r = p
        .retire_eac("G-1", "2026-01-05", ORG, Some(&statement))
        .expect("retire");
    assert_eq!(
        r.statement.as_ref().map(|e| e.file_name.as_str()),
        Some("cancellation.pdf"),
        "the statement is kept as evidence"
    );
    p.void_eac("1", "bought twice").expect("void");
    p.add_credit(&CreditEntry {
        registry: "ccer".into(),
        serial: "CCER-2025-000777".into(),
        qty: Some("10".into()),
        ..Default::default()
    })
    .expect("credit");
    p.retire_credit(
        "1",
        &CreditRetirement {
            date: "2026-01-10".into(),
            beneficiary: ORG.into(),
            for_year: "2025".into(),
            qty: Some("4".into()),
            evidence: Some(statement.clone()),
            ..Default::default()
        },
    )
    .expect("retire part");
    p.void_credit("3", "sold on").expect("void the rest");
    let entries = p.audit(None).expect("audit");
    let new: Vec<(String, String)> = entries[start..]
        .iter()
        .map(|e| (e.action.clone(), e.entity.clone()))
        .collect();
    let expect: Vec<(&str, &str)> = vec![
        ("create", "eac"),
        ("create", "evidence"),
        ("create", "retirement"),
        ("retire", "eac"),
        ("void", "eac"),
        ("create", "credit"),
        ("create", "retirement"),
        ("split", "credit"),
        ("create", "credit"),
        ("create", "credit"),
        ("void", "credit"),
    ];
    assert_eq!(
        new.iter()
            .map(|(a, e)| (a.as_str(), e.as_str()))
            .collect::<Vec<_>>(),
        expect,
        "every change has its entry (the statement file is stored once)"
    );
    assert!(p.verify().expect("verify").ok());
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/import")
        .join(name)
}

#[test]
fn a_platform_export_imports_as_one_batch_of_held_certificates_and_undoes_as_one() {
    let dir = tempfile::tempdir().expect("dir");
    let mut p = project(dir.path());
    let file = fixture("gec-trades.xlsx");
    let dry = p
        .import_eacs(
            &file,
            &EacImportOptions {
                dry_run: true,
                ..Default::default()
            },
        )
        .expect("dry run");
    assert_eq!(dry.batch, None, "a dry run writes nothing");
    assert_eq!(dry.rows.accepted, 3);
    assert_eq!(dry.mwh, d("600"), "100 + 350 + 150 certificates of 1 MWh");
    assert_eq!(
        dry.certificates[1].origin, "成交记录!D3",
        "each certificate points to its cell"
    );
    assert!(p.eacs(None).expect("eacs").is_empty());
    let done = p
        .import_eacs(&file, &EacImportOptions::default())
        .expect("import");
    let batch = done.batch.expect("a batch");
    let listed = p.eacs(None).expect("eacs");
    assert_eq!(listed.len(), 3);
    let b = p
        .batches()
        .expect("batches")
        .into_iter()
        .find(|b| b.id == batch)
        .expect("the batch is listed");
    assert_eq!(
        (b.rows, b.certificates),
        (0, 3),
        "an import of certificates writes no activity rows: `import list` shows its 3 certificates, not 0 rows"
    );
    assert!(
        listed.iter().all(|e| e.eac.status.code() == "held"
            && e.batch == Some(batch)
            && e.document.as_ref().map(|d| d.file_name.as_str()) == Some("gec-trades.xlsx")),
        "a trade is a purchase, not a retirement; the export is the evidence"
    );
    assert_eq!(
        listed[0].purchased.map(|d| d.to_string()).as_deref(),
        Some("2024-03-12")
    );
    // a retirement before the purchase is refused
    let before = state(&p);
    let err = p
        .retire_eac("GEC2024020033010101-0450", "2024-06-01", ORG, None)
        .expect_err("bought 2024-06-18");
    assert_eq!(err.field.map(|f| f.code()), Some("date"));
    assert!(
        err.message(lingtan::Lang::En)
            .contains("before the certificate was bought"),
        "{}",
        err.message(lingtan::Lang::En)
    );
    assert_eq!(state(&p), before);
    let again = p
        .import_eacs(&file, &EacImportOptions::default())
        .expect("again");
    assert!(again
        .issues
        .iter()
        .any(|i| i.code == "FILE_ALREADY_IMPORTED"));
    assert_eq!(again.batch, None);
    p.undo_import(batch, "the wrong account's export")
        .expect("undo");
    assert!(
        p.eacs(None)
            .expect("eacs")
            .iter()
            .all(|e| e.eac.status.code() == "void"),
        "undoing the batch voids its certificates, kept"
    );
    assert!(p.verify().expect("verify").ok());
}

#[test]
fn the_guangzhou_and_national_platform_layouts_are_read_by_name_and_an_unknown_status_refused() {
    let dir = tempfile::tempdir().expect("dir");
    let mut p = project(dir.path());
    // Guangzhou Power Exchange: columns in another order, the month as YYYYMM
    let gz = dir.path().join("gz.csv");
    std::fs::write(
        &gz,
        "电力生产年月,订单编号,成交时间,买方名称,交易量（张）,价格,交易金额\n\
         202501,GZ-0001,2025-03-02 09:00:00,Anji Demo Co,120,5,600\n\
         202502,GZ-0002,2025-04-02 09:00:00,Anji Demo Co,80,5,400\n\
         合计,,,,200,,1000\n",
    )
    .expect("csv");
    let r = p
        .import_eacs(&gz, &EacImportOptions::default())
        .expect("gz");
    assert!(!r.refused(), "{:?}", r.issues);
    assert_eq!(
        r.platform,
        Some(lingtan::offset::Platform::GuangzhouPowerExchange)
    );
    assert_eq!(r.mwh, d("200"), "the 合计 row is checked, not imported");
    // the national platform: an order status it does not know is refused at its cell
    let national = dir.path().join("national.csv");
    std::fs::write(
        &national,
        "订单号,订单时间,交易方名称,电量生产年月,交易量（张）,金额,订单状态,单价\n\
         N-1,2025-05-01,Anji Demo Co,2025-03,10,50,1,5\n\
         N-2,2025-05-02,Anji Demo Co,2025-04,10,50,2,5\n",
    )
    .expect("csv");
    let before = state(&p);
    let r = p
        .import_eacs(&national, &EacImportOptions::default())
        .expect("national");
    assert!(r.refused());
    let status = r
        .issues
        .iter()
        .find(|i| i.code == "EAC_ORDER_STATUS")
        .expect("the status is refused, not guessed");
    assert_eq!(
        (status.cell.as_deref(), status.column.as_deref()),
        (Some("G3"), Some("订单状态"))
    );
    assert_eq!(r.batch, None);
    assert_eq!(state(&p), before, "a refused import writes nothing");
}

/// The issue's speed figures, measured on this build (a debug build under `cargo test`; the
/// figures are printed with `--nocapture`): adding a credit checks double counting against
/// 20,000 recorded blocks through the store's indexes, and the inventory with 5,000 certificates.
/// Bounds are loose enough for a shared machine; the issue's (50 ms, 1.2×) are for the release
/// build (BENCHMARKS.md, phase B). Ignored by default: recording 5,000 certificates one by one
/// takes minutes in a debug build (run with `--ignored --nocapture`).
#[test]
#[ignore = "a measurement: minutes in a debug build"]
fn adding_a_credit_among_20000_blocks_and_the_inventory_with_5000_certificates() {
    use std::time::Instant;
    let dir = tempfile::tempdir().expect("dir");
    let mut p = project(dir.path());
    let serial = |issuance: u32, first: u64| {
        format!(
            "{issuance}-{first}-{}-VCS-VCU-1491-VER-RW-3-4150-01102024-31122024-1",
            first + 999
        )
    };
    // 20,000 blocks of 1,000 units in 20 issuances
    let entries: Vec<CreditEntry> = (0..20_000u64)
        .map(|i| CreditEntry {
            registry: "verra".into(),
            serial: serial(19_000 + (i % 20) as u32, 1_000_000 + (i / 20) * 1000),
            ..Default::default()
        })
        .collect();
    let t = Instant::now();
    for chunk in entries.chunks(5000) {
        p.add_credits(chunk).expect("20,000 disjoint blocks");
    }
    let bulk = t.elapsed();
    let t = Instant::now();
    p.add_credit(&CreditEntry {
        registry: "verra".into(),
        serial: serial(19_005, 900_000),
        ..Default::default()
    })
    .expect("a disjoint block");
    let added = t.elapsed();
    let t = Instant::now();
    let refused = p.add_credit(&CreditEntry {
        registry: "verra".into(),
        serial: serial(19_005, 1_500_500),
        ..Default::default()
    });
    let refusal = t.elapsed();
    let e = refused.expect_err("it overlaps two recorded blocks");
    assert_eq!(e.code, "LEDGER_OVERLAP", "{e:?}");
    eprintln!(
        "20,000 blocks recorded in {bulk:?}; add_credit {added:?}; refused overlap {refusal:?}"
    );
    assert!(
        added.as_millis() < 500 && refusal.as_millis() < 500,
        "the overlap check reads the candidates through the index, not 20,000 blocks: {added:?} {refusal:?}"
    );

    // the inventory without and with 5,000 certificates (retired, each 1 MWh, all sites)
    let time = |p: &Project| {
        let mut best = std::time::Duration::MAX;
        for _ in 0..3 {
            let t = Instant::now();
            p.inventory(None, false).expect("inventory");
            best = best.min(t.elapsed());
        }
        best
    };
    let without = time(&p);
    for i in 0..5000 {
        p.add_eac(&gec(&format!("B{i:05}"), "1", &[]))
            .expect("a certificate");
    }
    let with = time(&p);
    eprintln!("inventory without certificates {without:?}, with 5,000 {with:?}");
    let inv = p.inventory(None, false).expect("inventory").inventory;
    assert_eq!(
        inv.totals.scope2_market,
        d("0"),
        "5,000 MWh cover the 35,000 kWh in full"
    );
}

/// Issue 16 item 1 and 2, by hand. The project of [`project`] (grid A 30,000 kWh, B 5,000 kWh)
/// with a gas boiler (10,000 m³ of natural gas), forklifts (1,000 L of diesel), a rooftop PV
/// source (onsite-generation, 5,000 kWh in June, no export reading) and one retired GEC of
/// 10 MWh for Plant A.
///   gas: 10,000 m³ × 1.2143 kgce/m³ (gas-field row) = 12,143 kgce = 12.143 tce;
///        × 35,544 kJ/m³ = 355.44 GJ
///   diesel: 1,000 L × 0.84 kg/L (CN-DENSITY-DIESEL, the library's default) = 840 kg;
///        × 1.4571 kgce/kg = 1,223.964 kgce = 1.223964 tce; × 42,652 kJ/kg = 35.82768 GJ
///   electricity: (35,000 grid + 5,000 on-site used) × 0.1229 kgce/kWh = 4.916 tce; × 3,600 kJ
///        = 144 GJ
///   total 12.143 + 1.223964 + 4.916 = 18.282964 tce; 355.44 + 35.82768 + 144 = 535.26768 GJ
///   renewable: (10,000 covered + 5,000 on-site) × 0.1229 = 1.8435 tce → 1.8435 ÷ 18.282964 ×
///        100 = 10.083157194…% → "10.083157"
///   green power: 15,000 ÷ 40,000 × 100 = 37.5 %
#[test]
fn onsite_generation_and_every_carrier_in_tce_fill_the_shares_to_the_last_digit() {
    let dir = tempfile::tempdir().expect("dir");
    let mut p = project(dir.path());
    for (name, kind, fuel, unit) in [
        (
            "Boiler gas",
            "stationary-combustion",
            Some("natural-gas"),
            "m3",
        ),
        ("Forklifts", "mobile-combustion", Some("diesel"), "L"),
        ("Rooftop PV", "onsite-generation", None, "kWh"),
    ] {
        p.add_source(&SourceEntry {
            name: name.into(),
            site: "Plant A".into(),
            kind: kind.into(),
            fuel: fuel.map(Into::into),
            unit: Some(unit.into()),
            ..Default::default()
        })
        .unwrap_or_else(|e| panic!("{name}: {e:?}"));
    }
    for (source, from, to, qty, unit) in [
        ("Boiler gas", "2025-01-01", "2025-12-31", "10000", "m3"),
        ("Forklifts", "2025-03-01", "2025-03-31", "1000", "L"),
        ("Rooftop PV", "2025-06-01", "2025-06-30", "5000", "kWh"),
    ] {
        p.add_activity(&lingtan::ActivityEntry {
            source: source.into(),
            from: from.into(),
            to: to.into(),
            qty: qty.into(),
            unit: unit.into(),
            ..Default::default()
        })
        .unwrap_or_else(|e| panic!("{source}: {e:?}"));
    }
    p.add_eac(&gec("g1", "10", &["Plant A"])).expect("g1");
    let o = p.offset(None, None).expect("offset");
    let v = json::offset(&o, Lang::En);
    assert_eq!(
        v["energy"]["onsite_renewable_kwh"], "5000",
        "the PV's kWh are counted"
    );
    assert_eq!(
        v["energy"]["onsite"][0]["where"], "Plant A / Rooftop PV",
        "traceable to its source"
    );
    assert_eq!(v["energy"]["onsite"][0]["generation_kwh"], "5000");
    assert_eq!(
        v["energy"]["onsite"][0]["exported_kwh"],
        serde_json::Value::Null,
        "no export reading in the project"
    );
    assert_eq!(v["energy"]["onsite"][0]["records"], 1);
    assert_eq!(v["shares"]["green_power_pct"], "37.5", "15,000 / 40,000");
    assert_eq!(v["shares"]["total_energy_tce"], "18.282964", "by hand");
    assert_eq!(v["shares"]["total_energy_gj"], "535.26768", "by hand");
    assert_eq!(
        v["shares"]["renewable_energy_pct"], "10.083157",
        "1.8435 / 18.282964 × 100"
    );
    let carriers = v["energy"]["carriers"].as_array().expect("carriers");
    let gas = carriers
        .iter()
        .find(|c| c["where"] == "Plant A / Boiler gas")
        .expect("gas");
    assert_eq!(gas["coefficient"]["id"], "natural-gas-gasfield");
    assert_eq!(gas["coefficient"]["dataset"], "gb2589-2008-annexA");
    assert_eq!(gas["coefficient"]["confirmed"], true, "research §4");
    assert_eq!(gas["tce"], "12.143");
    let diesel = carriers
        .iter()
        .find(|c| c["where"] == "Plant A / Forklifts")
        .expect("diesel");
    assert_eq!(diesel["converted"], "840", "1,000 L × 0.84 kg/L");
    assert_eq!(diesel["density"]["id"], "CN-DENSITY-DIESEL");
    assert_eq!(diesel["density"]["default"], true);
    assert_eq!(diesel["tce"], "1.223964");
    let codes: Vec<&str> = v["issues"]
        .as_array()
        .expect("issues")
        .iter()
        .filter_map(|i| i["code"].as_str())
        .collect();
    for (code, why) in [
        (
            "ONSITE_EXPORT_UNKNOWN",
            "all generation counted as used: said",
        ),
        ("ENERGY_COEFFICIENT_CHOSEN", "gas-field row chosen: said"),
        ("ENERGY_DENSITY_ASSUMED", "the default density: said"),
    ] {
        assert!(codes.contains(&code), "{why}: {codes:?}");
    }
    for code in [
        "ENERGY_COEFFICIENT_MISSING",
        "ONSITE_GENERATION_NOT_RECORDED",
    ] {
        assert!(
            !codes.contains(&code),
            "{code} only when the project lacks it: {codes:?}"
        );
    }
}

/// A fuel GB/T 2589-2008 Annex A does not tabulate (anthracite: the table has raw coal only)
/// still gets ENERGY_COEFFICIENT_MISSING at its place, and the energy shares stay unset.
#[test]
fn a_carrier_without_a_tabulated_coefficient_still_leaves_the_energy_shares_unset() {
    let dir = tempfile::tempdir().expect("dir");
    let mut p = project(dir.path());
    p.add_source(&SourceEntry {
        name: "Coal boiler".into(),
        site: "Plant A".into(),
        kind: "stationary-combustion".into(),
        fuel: Some("anthracite".into()),
        unit: Some("t".into()),
        ..Default::default()
    })
    .expect("an anthracite source");
    p.add_activity(&lingtan::ActivityEntry {
        source: "Coal boiler".into(),
        from: "2025-01-01".into(),
        to: "2025-01-31".into(),
        qty: "1".into(),
        unit: "t".into(),
        ..Default::default()
    })
    .expect("record");
    let o = p.offset(None, None).expect("offset");
    let missing = o
        .issues
        .iter()
        .find(|i| i.code == "ENERGY_COEFFICIENT_MISSING")
        .expect("no tabulated coefficient, no guess");
    assert_eq!(
        missing.place, "Plant A / Coal boiler",
        "named at its source"
    );
    assert!(
        !missing.message(Lang::En).contains("Coal boiler"),
        "the place is not repeated in the message: {}",
        missing.message(Lang::En)
    );
    assert_eq!(o.summary.shares.renewable_energy_pct, None, "never a guess");
    assert_eq!(o.summary.shares.total_energy_tce, None, "never a guess");
}

/// `eac add` shows the record with the checks `eac list` gives it, read through the indexed
/// duplicate lookup (not every certificate): a second record of the same id (other case) is
/// flagged ✗ EAC_DUPLICATE_ID naming the first.
#[test]
fn an_added_certificate_has_the_checks_the_list_gives_it() {
    let dir = tempfile::tempdir().expect("dir");
    let mut p = project(dir.path());
    p.add_eac(&gec("g1", "15", &["Plant A"])).expect("g1");
    p.add_eac(&gec("x9", "3", &[])).expect("another id");
    let second = p.add_eac(&gec("G1", "2", &[])).expect("the same id again");
    let codes: Vec<&str> = second.checks.iter().map(|c| c.code).collect();
    assert!(
        codes.contains(&"EAC_DUPLICATE_ID") && second.excluded,
        "the same id (case aside) counts once: {codes:?}"
    );
    let listed = p.eacs(None).expect("eacs");
    let same = listed
        .iter()
        .find(|r| r.record == second.record)
        .expect("listed");
    assert_eq!(
        same.checks, second.checks,
        "the record shown after adding has the list's checks"
    );
    let first = listed.iter().find(|r| r.eac.id == "g1").expect("g1");
    assert!(
        !first.checks.iter().any(|c| c.code == "EAC_DUPLICATE_ID"),
        "the first keeps the id"
    );
}
