//! The offset step's rules, checked on real registry serials, the strings that must be refused,
//! a brute-force oracle for overlaps, and a worked example of market-based scope 2 with
//! certificates and the coverage of a year, figures worked out by hand.

use chrono::NaiveDate;
use lingtan_core::offset::coverage::{
    self, credit_figures, Coefficient, Emissions, Energy, EnergyUse, GridCover, OffsetInput,
    Scopes, ELECTRICITY_EQUIVALENT,
};
use lingtan_core::offset::credit::{self, Credit, CreditContext, CreditType, Window};
use lingtan_core::offset::eac::{
    self, Acquisition, ConsumptionSlice, EacContext, EacType, SiteMarket, Technology,
};
use lingtan_core::offset::ledger::{self, Ledger, Part};
use lingtan_core::offset::serial::{read, Given, Reading, Registry, Serial, Vintage};
use lingtan_core::offset::{Status, YearMonth};
use lingtan_core::{Decimal, Unit};
use proptest::prelude::*;

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn date(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn plain(registry: Registry, text: &str) -> Result<Serial, lingtan_core::offset::Refusal> {
    read(registry, text, &Given::default())
}

// ---------------------------------------------------------------------------------------------
// Serials: every real example of the research notes §8 and OFFSET.md

/// (registry, serial, quantity, project, country, vintage, block key)
const REAL: &[(Registry, &str, u64, &str, &str, &str, &str)] = &[
    (
        Registry::Verra,
        "19385-941467007-941467431-VCS-VCU-1507-VER-ET-14-1340-01012020-31122020-1",
        425,
        "1340",
        "ET",
        "2020-01-01..2020-12-31",
        "19385",
    ),
    (
        Registry::Verra,
        "19380-941382555-941382741-VCS-VCU-1310-VER-CN-13-3005-01012022-31102022-0",
        187,
        "3005",
        "CN",
        "2022-01-01..2022-10-31",
        "19380",
    ),
    (
        Registry::Verra,
        "19368-940602844-940604553-VCS-VCU-1289-VER-VN-1-1975-01022023-31122023-0",
        1_710,
        "1975",
        "VN",
        "2023-02-01..2023-12-31",
        "19368",
    ),
    (
        Registry::Verra,
        "19334-940082955-940097954-VCS-VCU-576-VER-US-14-4268-01062024-31122024-1",
        15_000,
        "4268",
        "US",
        "2024-06-01..2024-12-31",
        "19334",
    ),
    (
        Registry::Verra,
        "19328-940005924-940008531-VCS-VCU-1289-VER-CN-13-3880-01012022-31122022-0",
        2_608,
        "3880",
        "CN",
        "2022-01-01..2022-12-31",
        "19328",
    ),
    (
        Registry::Verra,
        "19314-938136116-938160253-VCS-VCU-466-VER-AR-14-3739-01012022-30062022-1",
        24_138,
        "3739",
        "AR",
        "2022-01-01..2022-06-30",
        "19314",
    ),
    (
        Registry::Verra,
        "19309-936487628-936491271-VCS-VCU-1491-VER-RW-3-4150-01102024-31122024-1",
        3_644,
        "4150",
        "RW",
        "2024-10-01..2024-12-31",
        "19309",
    ),
    (
        Registry::Verra,
        "19298-935995787-935995804-VCS-VCU-1491-VER-BR-1-513-01012018-31122018-0",
        18,
        "513",
        "BR",
        "2018-01-01..2018-12-31",
        "19298",
    ),
    (
        Registry::GoldStandard,
        "GS1-1-KE-GS11603-16-2025-30256-110-5463",
        5_354,
        "11603",
        "KE",
        "2025",
        "30256",
    ),
    (
        Registry::GoldStandard,
        "GS1-1-KE-GS11603-16-2024-30255-485-12623",
        12_139,
        "11603",
        "KE",
        "2024",
        "30255",
    ),
    (
        Registry::GoldStandard,
        "GS1-1-UG-GS11043-16-2023-30039-1-5000",
        5_000,
        "11043",
        "UG",
        "2023",
        "30039",
    ),
    (
        Registry::GoldStandard,
        "GS1-1-ZA-GS12000-1-2024-29990-1-7046",
        7_046,
        "12000",
        "ZA",
        "2024",
        "29990",
    ),
    (
        Registry::GoldStandard,
        "GS1-1-MG-GS10659-16-2023-29968-519-560",
        42,
        "10659",
        "MG",
        "2023",
        "29968",
    ),
    (
        Registry::GoldStandard,
        "GS1-1-MG-GS7566-16-2023-29960-1116-1116",
        1,
        "7566",
        "MG",
        "2023",
        "29960",
    ),
    (
        Registry::GoldStandard,
        "GS1-1-CR-GS2913-22-2025-30184-3-3",
        1,
        "2913",
        "CR",
        "2025",
        "30184",
    ),
    (
        Registry::GoldStandard,
        "GS1-1-CR-GS2913-22-2025-30184-1-1",
        1,
        "2913",
        "CR",
        "2025",
        "30184",
    ),
    (
        Registry::GoldStandard,
        "GS1-1-ZW-GS11551-16-2024-29957-1-334563",
        334_563,
        "11551",
        "ZW",
        "2024",
        "29957",
    ),
    (
        Registry::Acr,
        "ACR-FR-1129-2025-2917-30932 to 35143",
        4_212,
        "1129",
        "FR",
        "2025",
        "ACR-FR-1129-2025-2917",
    ),
    (
        Registry::Acr,
        "ACR-DE-1194-2025-3113-22088 to 149558",
        127_471,
        "1194",
        "DE",
        "2025",
        "ACR-DE-1194-2025-3113",
    ),
    (
        Registry::Acr,
        "ACR-US-212-2019-1174-35225 to 35235",
        11,
        "212",
        "US",
        "2019",
        "ACR-US-212-2019-1174",
    ),
    (
        Registry::Acr,
        "ACR-US-869-2022-2145-1047982 to 1047997",
        16,
        "869",
        "US",
        "2022",
        "ACR-US-869-2022-2145",
    ),
    (
        Registry::Acr,
        "ACR-US-802-2022-3027-5541 to 5740",
        200,
        "802",
        "US",
        "2022",
        "ACR-US-802-2022-3027",
    ),
    (
        Registry::Acr,
        "ACR-US-1185-2025-3078-1 to 85847",
        85_847,
        "1185",
        "US",
        "2025",
        "ACR-US-1185-2025-3078",
    ),
    (
        Registry::Car,
        "CAR-1-US-1335-31-983-KS-2025-9205-1 to 5000",
        5_000,
        "1335",
        "US",
        "2025",
        "CAR-1-US-1335-31-983-KS-2025-9205",
    ),
    (
        Registry::Car,
        "CAR-1-US-1480-46-1156-FL-2025-9005-626712 to 634711",
        8_000,
        "1480",
        "US",
        "2025",
        "CAR-1-US-1480-46-1156-FL-2025-9005",
    ),
    (
        Registry::Car,
        "CAR-1-US-866-34-386-WA-2024-9108-1 to 300",
        300,
        "866",
        "US",
        "2024",
        "CAR-1-US-866-34-386-WA-2024-9108",
    ),
    (
        Registry::Car,
        "CAR-1-MX-1998-42-1202-OA-2024-9343-1 to 80",
        80,
        "1998",
        "MX",
        "2024",
        "CAR-1-MX-1998-42-1202-OA-2024-9343",
    ),
    (
        Registry::Car,
        "CAR-ROC-US-2056-129-2283-WV-2025-8969-1 to 260294",
        260_294,
        "2056",
        "US",
        "2025",
        "CAR-ROC-US-2056-129-2283-WV-2025-8969",
    ),
    (
        Registry::Art,
        "ART-GY-102-2021-11-2759599 to 2760598",
        1_000,
        "102",
        "GY",
        "2021",
        "ART-GY-102-2021-11",
    ),
    (
        Registry::Art,
        "FCPF-CI-130-2023-20-1 to 46404",
        46_404,
        "130",
        "CI",
        "2023",
        "FCPF-CI-130-2023-20",
    ),
];

#[test]
fn every_real_serial_reads_to_its_registry_fields() {
    for (registry, text, qty, project, country, vintage, key) in REAL {
        let s = plain(*registry, text).unwrap_or_else(|e| panic!("{text}: {}", e.en));
        assert_eq!(
            s.reading,
            Reading::Grammar,
            "every real serial reads to its registry fields: {text}"
        );
        assert_eq!(s.quantity, *qty, "{text}: quantity = last − first + 1");
        let (first, last) = s.range().unwrap();
        assert_eq!(
            last - first + 1,
            *qty,
            "every real serial reads to its registry fields: {text}"
        );
        assert_eq!(
            s.project_id.as_deref(),
            Some(*project),
            "every real serial reads to its registry fields: {text}"
        );
        assert_eq!(
            s.country.as_deref(),
            Some(*country),
            "every real serial reads to its registry fields: {text}"
        );
        assert_eq!(
            s.vintage.map(|v| v.to_string()).as_deref(),
            Some(*vintage),
            "every real serial reads to its registry fields: {text}"
        );
        assert_eq!(
            s.block_key, *key,
            "{text}: the block the overlap check compares"
        );
        assert_eq!(
            s.serial, *text,
            "{text}: stored as written (already upper case)"
        );
        // a sub-range written back in the same grammar reads to the same fields
        let part = s.with_range(first, first).unwrap();
        let again = plain(*registry, &part.serial)
            .unwrap_or_else(|e| panic!("rebuilt {}: {}", part.serial, e.en));
        assert_eq!(
            again.range(),
            Some((first, first)),
            "every real serial reads to its registry fields: {}",
            part.serial
        );
        assert_eq!(
            again.block_key, s.block_key,
            "every real serial reads to its registry fields: {}",
            part.serial
        );
        assert_eq!(
            again.project_id, s.project_id,
            "every real serial reads to its registry fields"
        );
    }
}

#[test]
fn verra_keeps_n_and_the_flag_opaque_and_warns_on_a_flag_without_a_label() {
    let text = "19385-941467007-941467431-VCS-VCU-1507-VER-ET-14-1340-01012020-31122020-1";
    let s = plain(Registry::Verra, text).unwrap();
    assert_eq!(s.fields["n"], "1507", "kept, not read as a methodology");
    assert_eq!(
        s.fields["flag"], "1",
        "verra keeps n and the flag opaque and warns on a flag without a label"
    );
    assert_eq!(
        s.notes.iter().map(|c| c.code).collect::<Vec<_>>(),
        vec!["SERIAL_VERRA_FLAG"],
        "flag 1 and no label recorded"
    );
    assert!(
        !s.notes[0].confirmed,
        "observed in 200 rows, not documented"
    );
    let labels = vec!["CCB".to_string()];
    let s = read(
        Registry::Verra,
        text,
        &Given {
            labels: &labels,
            ..Given::default()
        },
    )
    .unwrap();
    assert!(s.notes.is_empty(), "flag 1 with a CCB label agrees");
    let s = read(
        Registry::Verra,
        "19380-941382555-941382741-VCS-VCU-1310-VER-CN-13-3005-01012022-31102022-0",
        &Given {
            labels: &labels,
            ..Given::default()
        },
    )
    .unwrap();
    assert_eq!(s.notes.len(), 1, "flag 0 but labelled CCB");
}

#[test]
fn cdm_ranges_read_both_ends() {
    let cases = [
        ("RW-5-1463953-2-2-0-7014 - RW-5-1467609-2-2-0-7014", 3_657),
        ("RW-5-1460108-2-2-0-7014 - RW-5-1463952-2-2-0-7014", 3_845),
        ("RW-5-1459975-2-2-0-7014 - RW-5-1460107-2-2-0-7014", 133),
    ];
    let mut keys = Vec::new();
    for (text, qty) in cases {
        let s = plain(Registry::Cdm, text).unwrap();
        assert_eq!(s.quantity, qty, "cdm ranges read both ends: {text}");
        assert_eq!(
            s.project_id.as_deref(),
            Some("7014"),
            "cdm ranges read both ends"
        );
        assert_eq!(
            s.country.as_deref(),
            Some("RW"),
            "cdm ranges read both ends"
        );
        assert_eq!(s.serial, text, "cdm ranges read both ends");
        assert!(s.notes.is_empty(), "unit type 5 is a CER");
        keys.push(s.block_key);
    }
    assert!(
        keys.windows(2).all(|w| w[0] == w[1]),
        "the three blocks of project 7014 share a key, so their ranges are compared: {keys:?}"
    );
    let part = plain(Registry::Cdm, cases[0].0)
        .unwrap()
        .with_range(1_463_953, 1_464_952)
        .unwrap();
    assert_eq!(
        part.serial, "RW-5-1463953-2-2-0-7014 - RW-5-1464952-2-2-0-7014",
        "cdm ranges read both ends"
    );
    let aau = plain(
        Registry::Cdm,
        "RW-1-1463953-2-2-0-7014 - RW-1-1467609-2-2-0-7014",
    )
    .unwrap();
    assert_eq!(
        aau.notes.iter().map(|c| c.code).collect::<Vec<_>>(),
        vec!["SERIAL_CDM_NOT_CER"],
        "unit type 1 recorded as a CDM CER is a warning"
    );
}

#[test]
fn a_gold_standard_serial_without_its_range_takes_first_and_last_apart() {
    let text = "GS1-1-CN-GS7604-3-2020-21289";
    let e = plain(Registry::GoldStandard, text).unwrap_err();
    assert_eq!(
        (e.code, e.field.as_deref()),
        ("SERIAL_RANGE_MISMATCH", Some("first")),
        "a gold standard serial without its range takes first and last apart"
    );
    let s = read(
        Registry::GoldStandard,
        text,
        &Given {
            first: Some(85_975),
            last: Some(85_979),
            ..Given::default()
        },
    )
    .unwrap();
    assert_eq!(
        s.quantity, 5,
        "a gold standard serial without its range takes first and last apart"
    );
    assert_eq!(
        s.block_key, "21289",
        "a gold standard serial without its range takes first and last apart"
    );
    assert_eq!(
        s.notes[0].code, "SERIAL_GS_RANGE_APART",
        "a gold standard serial without its range takes first and last apart"
    );
    assert!(!s.notes[0].confirmed, "not seen in the verified export");
}

#[test]
fn ccer_and_unknown_serials_are_kept_verbatim_with_their_quantity() {
    let e = plain(Registry::Ccer, "CCER-1526163848812433408-2025-0001").unwrap_err();
    assert_eq!(
        (e.code, e.field.as_deref()),
        ("SERIAL_QTY_INVALID", Some("qty")),
        "no range can be read: the quantity is required"
    );
    let s = read(
        Registry::Ccer,
        " CCER-1526163848812433408-2025-0001 ",
        &Given {
            qty: Some(d("500")),
            ..Given::default()
        },
    )
    .unwrap();
    assert_eq!(
        s.reading,
        Reading::Verbatim,
        "ccer and unknown serials are kept verbatim with their quantity"
    );
    assert_eq!(
        s.serial, "CCER-1526163848812433408-2025-0001",
        "ccer and unknown serials are kept verbatim with their quantity"
    );
    assert_eq!(
        s.quantity, 500,
        "ccer and unknown serials are kept verbatim with their quantity"
    );
    assert_eq!(
        s.range(),
        None,
        "ccer and unknown serials are kept verbatim with their quantity"
    );
    assert!(
        s.notes[0]
            .message(lingtan_core::Lang::En)
            .contains("no public unit-serial grammar"),
        "says so: {}",
        s.notes[0].message(lingtan_core::Lang::En)
    );
    for bad in ["500.5", "0", "-3"] {
        let e = read(
            Registry::Ccer,
            "X-1",
            &Given {
                qty: Some(d(bad)),
                ..Given::default()
            },
        )
        .unwrap_err();
        assert_eq!(
            e.code, "SERIAL_QTY_INVALID",
            "{bad}: credits are whole tonnes"
        );
    }
    let s = plain(Registry::Other, "PURO-FI-2024-000123-100 to 199").unwrap();
    assert_eq!(s.reading, Reading::Range, "an other serial with 'X to Y'");
    assert_eq!(
        (s.quantity, s.block_key.as_str()),
        (100, "PURO-FI-2024-000123"),
        "ccer and unknown serials are kept verbatim with their quantity"
    );
}

/// (registry, serial, code, position or 0 for none, text the English message must name)
const MUST_REFUSE: &[(Registry, &str, &str, usize, &str)] = &[
    (
        Registry::Verra,
        "15312-681393912-681394011-VCS-VCU-208-VER-CA-3-929-01012018-31122018-O",
        "SERIAL_UNREADABLE",
        70,
        "letter O",
    ),
    (
        Registry::Verra,
        "19380-941382741-941382555-VCS-VCU-1310-VER-CN-13-3005-01012022-31102022-0",
        "SERIAL_RANGE_REVERSED",
        17,
        "941382555 is before the first unit 941382741",
    ),
    (
        Registry::Verra,
        "19380-941382555-941382741-VCS-VCU-1310-VER-CN-13-3005-31102022-01012022-0",
        "SERIAL_DATE_INVALID",
        64,
        "ends 2022-01-01 before it starts 2022-10-31",
    ),
    (
        Registry::Verra,
        "19380-941382555-941382741-VCS-VCU-1310-VER-CN-13-3005-01132022-31102022-0",
        "SERIAL_DATE_INVALID",
        57,
        "month 13",
    ),
    (
        Registry::Verra,
        "19380–941382555–941382741-VCS-VCU-1310-VER-CN-13-3005-01012022-31102022-0",
        "SERIAL_UNREADABLE",
        6,
        "U+2013",
    ),
    (
        Registry::Verra,
        "１9380-941382555-941382741-VCS-VCU-1310-VER-CN-13-3005-01012022-31102022-0",
        "SERIAL_UNREADABLE",
        1,
        "full-width digit",
    ),
    (
        Registry::Verra,
        "19380-941382555-941382741-VCS-VCU-1310-VER-CN-13-3005-31022022-31102022-0",
        "SERIAL_DATE_INVALID",
        55,
        "day 31 does not exist",
    ),
    (
        Registry::GoldStandard,
        "GS1-1-KE-GS11603-16-2025-30256-5463-110",
        "SERIAL_RANGE_REVERSED",
        37,
        "110 is before the first unit 5463",
    ),
    (
        Registry::Cdm,
        "RW-5-1463953-2-2-0-7014 - RW-5-1467609-2-2-0-7015",
        "SERIAL_ENDS_DISAGREE",
        46,
        "project 7015 differs from the first unit's 7014",
    ),
    (
        Registry::Acr,
        "ACR-FR-1129-2025-2917-35143 to 30932",
        "SERIAL_RANGE_REVERSED",
        32,
        "30932 is before the first unit 35143",
    ),
    (
        Registry::Car,
        "CAR-1-US-1335-31-983-KS-2025-9205-1-5000",
        "SERIAL_UNREADABLE",
        36,
        "expected ' to '",
    ),
    (
        Registry::Verra,
        "19380-941382555-941382741",
        "SERIAL_UNREADABLE",
        26,
        "the serial ends",
    ),
    (
        Registry::GoldStandard,
        "19380-941382555-941382741-VCS-VCU-1310-VER-CN-13-3005-01012022-31102022-0",
        "SERIAL_UNREADABLE",
        1,
        "Gold Standard serial reads",
    ),
    (Registry::Verra, "   ", "SERIAL_UNREADABLE", 0, "empty"),
    (
        Registry::Verra,
        "19380-9413825550000000-941382741-VCS-VCU-1310-VER-CN-13-3005-01012022-31102022-0",
        "SERIAL_UNREADABLE",
        22,
        "at most 15 digits",
    ),
];

#[test]
fn every_must_refuse_serial_is_refused_where_it_stops_making_sense() {
    for (registry, text, code, position, names) in MUST_REFUSE {
        let e = plain(*registry, text).expect_err(text);
        assert_eq!(
            e.code, *code,
            "every must refuse serial is refused where it stops making sense: {text}: {}",
            e.en
        );
        assert_eq!(
            e.field.as_deref(),
            Some("serial"),
            "every must refuse serial is refused where it stops making sense: {text}"
        );
        if *position > 0 {
            assert_eq!(
                e.position,
                Some(*position),
                "{text}: position, counted in characters from 1: {}",
                e.en
            );
            assert!(
                e.en.contains(&format!("at character {position}")),
                "the message names the position: {}",
                e.en
            );
            assert!(
                e.zh.contains(&format!("第 {position} 个字符")),
                "and in Chinese: {}",
                e.zh
            );
        }
        assert!(e.en.contains(names), "{text}: '{names}' not in: {}", e.en);
        assert!(
            !e.zh.is_empty(),
            "every must refuse serial is refused where it stops making sense"
        );
    }
}

#[test]
fn given_values_that_disagree_with_the_serial_are_refused_naming_both() {
    let text = "19380-941382555-941382741-VCS-VCU-1310-VER-CN-13-3005-01012022-31102022-0";
    let e = read(
        Registry::Verra,
        text,
        &Given {
            qty: Some(d("188")),
            ..Given::default()
        },
    )
    .unwrap_err();
    assert_eq!(
        (e.code, e.field.as_deref()),
        ("SERIAL_QTY_MISMATCH", Some("qty")),
        "given values that disagree with the serial are refused naming both"
    );
    assert!(
        e.en.contains("188") && e.en.contains("187"),
        "given values that disagree with the serial are refused naming both: {}",
        e.en
    );
    assert!(
        e.zh.contains("188") && e.zh.contains("187"),
        "given values that disagree with the serial are refused naming both: {}",
        e.zh
    );
    let e = read(
        Registry::Verra,
        text,
        &Given {
            project_id: Some("VCS3006"),
            ..Given::default()
        },
    )
    .unwrap_err();
    assert_eq!(
        e.code, "SERIAL_PROJECT_MISMATCH",
        "given values that disagree with the serial are refused naming both"
    );
    assert!(
        e.en.contains("VCS3006") && e.en.contains("3005"),
        "given values that disagree with the serial are refused naming both: {}",
        e.en
    );
    let e = read(
        Registry::Verra,
        text,
        &Given {
            vintage: Vintage::parse("2023"),
            ..Given::default()
        },
    )
    .unwrap_err();
    assert_eq!(
        e.code, "SERIAL_VINTAGE_MISMATCH",
        "given values that disagree with the serial are refused naming both"
    );
    assert!(
        e.en.contains("2023") && e.en.contains("2022-01-01..2022-10-31"),
        "given values that disagree with the serial are refused naming both: {}",
        e.en
    );
    let e = read(
        Registry::Verra,
        text,
        &Given {
            country: Some("VN"),
            ..Given::default()
        },
    )
    .unwrap_err();
    assert_eq!(
        e.code, "SERIAL_COUNTRY_MISMATCH",
        "given values that disagree with the serial are refused naming both"
    );
    // values that agree are accepted, written differently
    let s = read(
        Registry::Verra,
        text,
        &Given {
            qty: Some(d("187")),
            project_id: Some("VCS 3005"),
            vintage: Vintage::parse("2022"),
            country: Some("cn"),
            ..Given::default()
        },
    )
    .unwrap();
    assert_eq!(
        s.quantity, 187,
        "given values that disagree with the serial are refused naming both"
    );
}

// ---------------------------------------------------------------------------------------------
// The ledger: overlap detection against a brute-force oracle, and partial retirement

fn verra_block(issuance: u32, first: u64, last: u64) -> Serial {
    plain(
        Registry::Verra,
        &format!("{issuance}-{first}-{last}-VCS-VCU-1491-VER-RW-3-4150-01102024-31122024-1"),
    )
    .unwrap()
}

/// The overlaps of `(key, first, last)` with `blocks`, by looking at every one.
fn oracle(
    blocks: &[(i64, u32, u64, u64)],
    key: u32,
    first: u64,
    last: u64,
) -> Vec<(i64, u64, u64)> {
    let mut out: Vec<(i64, u64, u64)> = blocks
        .iter()
        .filter(|(_, k, f, l)| *k == key && *f <= last && first <= *l)
        .map(|(id, _, f, l)| (*id, (*f).max(first), (*l).min(last)))
        .collect();
    out.sort_by_key(|(id, f, _)| (*f, *id));
    out
}

#[test]
fn overlap_cases_inside_touching_disjoint_and_another_batch() {
    let mut l = Ledger::new();
    l.add(1, verra_block(19309, 1_000, 1_999)).unwrap();
    let inside = l.add(2, verra_block(19309, 1_200, 1_300)).unwrap_err();
    assert!(
        inside.en.contains("units 1200–1300 (101 t) of credit #1"),
        "overlap cases inside touching disjoint and another batch: {}",
        inside.en
    );
    let across = l.add(2, verra_block(19309, 1_900, 2_100)).unwrap_err();
    assert!(
        across.en.contains("units 1900–1999 (100 t)"),
        "overlap cases inside touching disjoint and another batch: {}",
        across.en
    );
    let covering = l.add(2, verra_block(19309, 500, 2_500)).unwrap_err();
    assert!(
        covering.en.contains("units 1000–1999 (1000 t)"),
        "overlap cases inside touching disjoint and another batch: {}",
        covering.en
    );
    l.add(2, verra_block(19309, 2_000, 2_999))
        .expect("touching after: 2000 follows 1999");
    l.add(3, verra_block(19309, 1, 999))
        .expect("touching before: 999 precedes 1000");
    l.add(4, verra_block(19309, 5_000, 5_999))
        .expect("disjoint");
    l.add(5, verra_block(19310, 1_000, 1_999))
        .expect("the same units of another issuance are another block");
    let same = l.add(6, verra_block(19309, 1_000, 1_999)).unwrap_err();
    assert_eq!(
        same.code, "LEDGER_SAME_SERIAL",
        "overlap cases inside touching disjoint and another batch"
    );
    assert_eq!(l.len(), 5, "refusals changed nothing");
    let gs = plain(
        Registry::GoldStandard,
        "GS1-1-KE-GS11603-16-2025-30256-110-5463",
    )
    .unwrap();
    let other_registry = plain(
        Registry::Other,
        "GS1-1-KE-GS11603-16-2025-30256-110 to 5463",
    )
    .unwrap();
    l.add(7, gs).unwrap();
    l.add(8, other_registry)
        .expect("another registry is never compared");
}

fn block_strategy() -> impl Strategy<Value = (u32, u64, u64)> {
    (0u32..3, 0u64..300, 1u64..40).prop_map(|(k, f, len)| (19_300 + k, f, f + len - 1))
}

proptest! {
    /// The ledger accepts exactly the blocks the brute-force oracle finds no overlap for, and
    /// names the same overlapping blocks and sub-ranges.
    #[test]
    fn overlap_detection_agrees_with_brute_force(
        blocks in proptest::collection::vec(block_strategy(), 1..60),
        queries in proptest::collection::vec(block_strategy(), 1..20),
    ) {
        let mut l = Ledger::new();
        let mut accepted: Vec<(i64, u32, u64, u64)> = Vec::new();
        for (i, (k, f, last)) in blocks.iter().enumerate() {
            let id = i as i64 + 1;
            let expected = oracle(&accepted, *k, *f, *last);
            let serial = verra_block(*k, *f, *last);
            let found: Vec<(i64, u64, u64)> =
                l.overlaps(&serial).iter().map(|o| (o.block, o.first, o.last)).collect();
            prop_assert_eq!(&found, &expected);
            match l.add(id, serial) {
                Ok(()) => {
                    prop_assert!(expected.is_empty(), "accepted an overlap");
                    accepted.push((id, *k, *f, *last));
                }
                Err(e) => prop_assert!(!expected.is_empty(), "refused without overlap: {}", e.en),
            }
        }
        for (k, f, last) in queries {
            let found: Vec<(i64, u64, u64)> =
                l.overlaps(&verra_block(k, f, last)).iter().map(|o| (o.block, o.first, o.last)).collect();
            prop_assert_eq!(found, oracle(&accepted, k, f, last));
        }
    }

    /// A file written elsewhere may already hold overlaps: the ledger still finds every one.
    #[test]
    fn overlaps_in_a_loaded_file_are_all_found(
        blocks in proptest::collection::vec(block_strategy(), 1..60),
        queries in proptest::collection::vec(block_strategy(), 1..20),
    ) {
        let all: Vec<(i64, u32, u64, u64)> = blocks
            .iter()
            .enumerate()
            .map(|(i, (k, f, l))| (i as i64 + 1, *k, *f, *l))
            .collect();
        let (l, checks) = Ledger::load(all.iter().map(|(id, k, f, last)| (*id, verra_block(*k, *f, *last))));
        // every block that overlaps an earlier one (or repeats it) is flagged
        for (i, (id, k, f, last)) in all.iter().enumerate() {
            let earlier = oracle(&all[..i], *k, *f, *last);
            prop_assert_eq!(
                checks.iter().any(|(c, _)| c == id),
                !earlier.is_empty(),
                "block #{}", id
            );
        }
        for (k, f, last) in queries {
            let found: Vec<(i64, u64, u64)> =
                l.overlaps(&verra_block(k, f, last)).iter().map(|o| (o.block, o.first, o.last)).collect();
            prop_assert_eq!(found, oracle(&all, k, f, last));
        }
    }

    /// A partial retirement keeps every unit exactly once: the parts add up to the block, tile
    /// its range, and their serials read back to their ranges.
    #[test]
    fn partial_retirement_parts_sum_to_the_block(
        first in 1u64..1_000_000_000,
        len in 1u64..100_000,
        take in 1u64..100_000,
        offset in 0u64..100_000,
        gs in proptest::bool::ANY,
    ) {
        let last = first + len - 1;
        let block = if gs {
            plain(Registry::GoldStandard, &format!("GS1-1-KE-GS11603-16-2025-30256-{first}-{last}")).unwrap()
        } else {
            verra_block(19_309, first, last)
        };
        let take = take.min(len);
        let by_qty = ledger::split(&block, Part::Quantity(take)).unwrap();
        let start = first + offset.min(len - take);
        let by_range = ledger::split(&block, Part::Range { first: start, last: start + take - 1 }).unwrap();
        for split in [by_qty, by_range] {
            prop_assert_eq!(split.retired.quantity, take);
            prop_assert_eq!(split.quantity(), block.quantity);
            let mut ranges: Vec<(u64, u64)> = std::iter::once(&split.retired)
                .chain(&split.rest)
                .map(|s| s.range().unwrap())
                .collect();
            ranges.sort_unstable();
            prop_assert_eq!(ranges[0].0, first);
            prop_assert_eq!(ranges[ranges.len() - 1].1, last);
            for w in ranges.windows(2) {
                prop_assert_eq!(w[0].1 + 1, w[1].0, "no gap, no overlap");
            }
            for part in std::iter::once(&split.retired).chain(&split.rest) {
                let again = plain(block.registry, &part.serial).unwrap();
                prop_assert_eq!(again.range(), part.range());
                prop_assert_eq!(&again.block_key, &block.block_key);
            }
            let mut l = Ledger::new();
            l.add(1, block.clone()).unwrap();
            let parts: Vec<(i64, Serial)> = std::iter::once(split.retired.clone())
                .chain(split.rest.clone())
                .enumerate()
                .map(|(i, s)| (i as i64 + 1, s))
                .collect();
            prop_assert!(l.replace(1, parts).is_ok());
            // the whole block again: an overlap, or the same serial when all of it was retired
            let again = l.refusal(&block).unwrap_err().code;
            prop_assert!(
                again == "LEDGER_OVERLAP" || (again == "LEDGER_SAME_SERIAL" && take == len),
                "{}", again
            );
        }
        prop_assert_eq!(
            ledger::split(&block, Part::Quantity(len + 1)).unwrap_err().code,
            "LEDGER_SPLIT_INVALID"
        );
    }
}

#[test]
fn a_check_against_twenty_thousand_blocks_is_well_under_a_millisecond() {
    let mut l = Ledger::new();
    for i in 0..20_000u64 {
        l.add(
            i as i64,
            verra_block(19_309, i * 1_000 + 1, i * 1_000 + 900),
        )
        .unwrap();
    }
    let probes: Vec<Serial> = (0..1_000u64)
        .map(|i| verra_block(19_309, i * 19_937 + 950, i * 19_937 + 990))
        .collect();
    let start = std::time::Instant::now();
    let mut refused = 0;
    for p in &probes {
        if l.refusal(p).is_err() {
            refused += 1;
        }
    }
    let per_check = start.elapsed() / 1_000;
    assert!(refused < 1_000, "the probes sit in the gaps between blocks");
    assert!(
        per_check < std::time::Duration::from_millis(1),
        "one check took {per_check:?} on average (debug build); the index must not scan"
    );
}

// ---------------------------------------------------------------------------------------------
// The worked example: market-based scope 2 with certificates, and the year's coverage.
//
// Two sites in China. Grid electricity 2025 (kWh):
//   Anji plant (source #1):       Jan 120 000, Feb 95 500, Mar 130 250  = 345 750
//   Huzhou warehouse (source #2): Jan  40 000, Feb 38 000, Mar  41 500  = 119 500
// Factors: location 0.5703 kgCO2e/kWh, market basis (residual-mix proxy) 0.5942.
// Certificates (GEC), all retired 2025-12-15:
//   W (wind, 2025-01..02, 150 MWh, Anji only)  → Anji Jan 120 000 + Feb 30 000
//   S (solar, 2025-03,    100 MWh, Anji only)  → Anji Feb 65 500 + Mar 34 500
//   X (wind, 2025-02,     200 MWh, any site), retired for another company → ✗ excluded;
//     counted, it would have covered Huzhou entirely.
// Covered 250 000 kWh, all at Anji; Anji keeps 95 750 kWh (March), Huzhou all 119 500 kWh.
//   market before = 465 250 × 0.5942 / 1000 = 276.45155 t
//   market after  = (95 750 + 119 500) × 0.5942 / 1000 = 127.90155 t
//   location      = 465 250 × 0.5703 / 1000 = 265.332075 t (unchanged)
//   green-power reduction = 250 000 × 0.5703 / 1000 = 142.575 t
// Scope 1 80.5 t → residual 208.40155 t. Credits retired for 2025: 150 t of a Verra block
// (avoidance), 50 t CCER (removal), 10 t of a Gold Standard block for another beneficiary (✗).
//   counted 200 t; coverage 200 × 100 / 208.40155 = 95.9685760495 %; shortfall 8.40155 t.
// Energy: 12 000 kg diesel (1.4571 kgce/kg, 42 652 kJ/kg), 30 000 m³ gas-field natural gas
// (1.2143 kgce/m³, 35 544 kJ/m³), PV self-consumed 60 000 kWh; electricity 0.1229 kgce and
// 3 600 kJ per kWh.
//   total tce = 17.4852 + 36.429 + 525 250 × 0.1229 / 1000 (64.553225) = 118.467425
//   total GJ  = 511.824 + 1 066.32 + 1 890.9 = 3 469.044
//   renewable = 250 000 + 60 000 = 310 000 kWh → 38.099 tce, 1 116 GJ
//   renewable share 32.1598954312 % (tce), 32.1702463272 % (GJ); green power 59.0195145169 %

fn org() -> Vec<String> {
    vec![
        "浙江安吉示范制造有限公司".to_string(),
        "Anji Demo Manufacturing Co., Ltd.".to_string(),
    ]
}

fn gec(id: &str, mwh: i64, from: &str, to: &str, sites: &[&str]) -> eac::Eac {
    eac::Eac {
        kind: EacType::Gec,
        id: id.into(),
        mwh: Decimal::from(mwh),
        from: YearMonth::parse(from).unwrap(),
        to: YearMonth::parse(to).unwrap(),
        sites: sites.iter().map(|s| s.to_string()).collect(),
        technology: Some(Technology::Wind),
        plant: None,
        region: Some("内蒙古".into()),
        tradable: Some(true),
        subsidy: Some(false),
        acquired: Some(Acquisition::Purchase),
        status: Status::Retired,
        retired: Some(date("2025-12-15")),
        beneficiary: Some("浙江安吉示范制造有限公司".into()),
        for_year: None,
        evidence: Some("sha256:statement".into()),
    }
}

fn gec_id(n: u8) -> String {
    format!("{:0>31}{n}", 1)
}

fn slices() -> Vec<ConsumptionSlice> {
    let mut v = Vec::new();
    for (site, source, kwh) in [
        ("Huzhou warehouse", 2, ["40000", "38000", "41500"]),
        ("Anji plant", 1, ["120000", "95500", "130250"]),
    ] {
        for (m, q) in kwh.iter().enumerate() {
            v.push(ConsumptionSlice {
                site: site.into(),
                source_id: source,
                month: m as u32 + 1,
                kwh: d(q),
            });
        }
    }
    v
}

#[test]
fn market_based_scope2_with_certificates_to_the_last_digit() {
    let org = org();
    let sites = [
        SiteMarket {
            name: "Anji plant".into(),
            country: Some("CN".into()),
            onsite_generation: false,
        },
        SiteMarket {
            name: "Huzhou warehouse".into(),
            country: Some("CN".into()),
            onsite_generation: false,
        },
    ];
    let w = gec(&gec_id(1), 150, "2025-01", "2025-02", &["Anji plant"]);
    let mut s = gec(&gec_id(2), 100, "2025-03", "2025-03", &["Anji plant"]);
    s.technology = Some(Technology::Solar);
    let mut x = gec(&gec_id(3), 200, "2025-02", "2025-02", &[]);
    x.beneficiary = Some("Another Trading Co., Ltd.".into());
    let eacs = [x, s, w];
    let ctx = EacContext {
        year: 2025,
        organisation: &org,
        sites: &sites,
        ccer_projects: &[],
    };
    let assessed = eac::assess(&eacs, &ctx);
    assert_eq!(
        assessed[0].codes(),
        vec!["EAC_BENEFICIARY_OTHER"],
        "market based scope2 with certificates to the last digit"
    );
    assert!(assessed[0].excluded, "retired for another company: ✗");
    assert!(
        assessed[1].checks.is_empty() && assessed[2].checks.is_empty(),
        "W and S pass"
    );

    let alloc = eac::allocate(2025, &eacs, &assessed, &slices());
    let f = alloc.figures();
    assert_eq!(
        f.kwh_covered,
        d("250000"),
        "market based scope2 with certificates to the last digit"
    );
    assert_eq!(
        (f.mwh_retired, f.mwh_used, f.mwh_unused),
        (d("250"), d("250"), d("0")),
        "market based scope2 with certificates to the last digit"
    );
    assert_eq!(
        alloc
            .certificates
            .iter()
            .map(|c| c.id.as_str())
            .collect::<Vec<_>>(),
        vec![gec_id(1), gec_id(2)],
        "the excluded certificate takes no part; W (earlier generation) before S"
    );
    // lineage, slice by slice (site, source, month order)
    type Lineage = (String, u32, Decimal, Vec<(String, Decimal)>);
    let lineage: Vec<Lineage> = alloc
        .slices
        .iter()
        .map(|s| {
            (
                s.site.clone(),
                s.month,
                s.covered_kwh,
                s.by.iter().map(|c| (c.id.clone(), c.kwh)).collect(),
            )
        })
        .collect();
    assert_eq!(
        lineage,
        vec![
            (
                "Anji plant".into(),
                1,
                d("120000"),
                vec![(gec_id(1), d("120000"))]
            ),
            (
                "Anji plant".into(),
                2,
                d("95500"),
                vec![(gec_id(1), d("30000")), (gec_id(2), d("65500"))]
            ),
            (
                "Anji plant".into(),
                3,
                d("34500"),
                vec![(gec_id(2), d("34500"))]
            ),
            ("Huzhou warehouse".into(), 1, d("0"), vec![]),
            ("Huzhou warehouse".into(), 2, d("0"), vec![]),
            ("Huzhou warehouse".into(), 3, d("0"), vec![]),
        ],
        "market based scope2 with certificates to the last digit"
    );
    // the calculation: covered kWh at zero, the rest at today's market basis
    let (loc, mkt) = (d("0.5703"), d("0.5942"));
    let thousand = Decimal::ONE_THOUSAND;
    let before: Decimal = alloc.slices.iter().map(|s| s.kwh * mkt / thousand).sum();
    let after: Decimal = alloc
        .slices
        .iter()
        .map(|s| s.uncovered_kwh() * mkt / thousand)
        .sum();
    let location: Decimal = alloc.slices.iter().map(|s| s.kwh * loc / thousand).sum();
    assert_eq!(
        before,
        d("276.45155"),
        "market based scope2 with certificates to the last digit"
    );
    assert_eq!(
        after,
        d("127.90155"),
        "market based scope2 with certificates to the last digit"
    );
    assert_eq!(location, d("265.332075"), "location-based never changes");
    assert_eq!(
        alloc.covered_by_site(),
        [
            ("Anji plant".to_string(), d("250000")),
            ("Huzhou warehouse".to_string(), d("0"))
        ]
        .into_iter()
        .collect(),
        "Anji partly covered, Huzhou not at all"
    );
    assert_eq!(
        alloc.covered_by_source_month().get(&(1, 2)),
        Some(&d("95500")),
        "market based scope2 with certificates to the last digit"
    );

    // credits
    let verra = plain(
        Registry::Verra,
        "19380-941382555-941382741-VCS-VCU-1310-VER-CN-13-3005-01012022-31102022-0",
    )
    .unwrap();
    let mut ledger = Ledger::new();
    ledger.add(1, verra.clone()).unwrap();
    let split = ledger::split(&verra, Part::Quantity(150)).unwrap();
    assert_eq!(
        split.retired.serial,
        "19380-941382555-941382704-VCS-VCU-1310-VER-CN-13-3005-01012022-31102022-0",
        "market based scope2 with certificates to the last digit"
    );
    assert_eq!(
        split.rest[0].serial,
        "19380-941382705-941382741-VCS-VCU-1310-VER-CN-13-3005-01012022-31102022-0",
        "market based scope2 with certificates to the last digit"
    );
    ledger
        .replace(
            1,
            vec![(1, split.retired.clone()), (2, split.rest[0].clone())],
        )
        .unwrap();
    let ccer = read(
        Registry::Ccer,
        "CCER-14-001-2025-000042",
        &Given {
            qty: Some(d("50")),
            vintage: Vintage::parse("2024"),
            ..Given::default()
        },
    )
    .unwrap();
    ledger.add(3, ccer.clone()).unwrap();
    let gs = plain(
        Registry::GoldStandard,
        "GS1-1-KE-GS11603-16-2025-30256-110-5463",
    )
    .unwrap();
    let gs_split = ledger::split(&gs, Part::Quantity(10)).unwrap();
    ledger.add(4, gs_split.retired.clone()).unwrap();
    let retired = |id: i64, serial: Serial, kind: CreditType, beneficiary: &str| Credit {
        id,
        serial,
        project: None,
        methodology: None,
        kind: Some(kind),
        labels: Vec::new(),
        status: Status::Retired,
        retired: Some(date("2026-03-20")),
        beneficiary: Some(beneficiary.into()),
        for_year: Some(2025),
        reason: None,
        evidence: Some("sha256:statement".into()),
    };
    let mut rest = retired(2, split.rest[0].clone(), CreditType::Avoidance, "");
    rest.status = Status::Held;
    rest.retired = None;
    rest.beneficiary = None;
    rest.for_year = None;
    let credits = vec![
        retired(
            1,
            split.retired.clone(),
            CreditType::Avoidance,
            "Anji Demo Manufacturing Co., Ltd.",
        ),
        rest,
        retired(3, ccer, CreditType::Removal, "浙江安吉示范制造有限公司"),
        retired(
            4,
            gs_split.retired,
            CreditType::Avoidance,
            "Another Trading Co., Ltd.",
        ),
    ];
    let cctx = CreditContext {
        organisation: &org,
        window: Window::PeriodEnd,
    };
    let assessments: Vec<_> = credits.iter().map(|c| credit::assess(c, &cctx)).collect();
    assert!(
        !assessments[0].excluded,
        "market based scope2 with certificates to the last digit: {:?}",
        assessments[0].codes()
    );
    assert_eq!(
        assessments[1].codes(),
        vec!["CREDIT_NOT_RETIRED"],
        "market based scope2 with certificates to the last digit"
    );
    assert_eq!(
        assessments[2].codes(),
        vec!["SERIAL_VERBATIM"],
        "CCER disclosed, counted"
    );
    assert!(
        !assessments[2].excluded,
        "market based scope2 with certificates to the last digit"
    );
    assert_eq!(
        assessments[3].codes(),
        vec!["CREDIT_BENEFICIARY_OTHER"],
        "market based scope2 with certificates to the last digit"
    );
    let cf = credit_figures(2025, &credits, &assessments);
    assert_eq!(
        (
            cf.retired_tco2e,
            cf.counted_tco2e,
            cf.avoidance_tco2e,
            cf.removal_tco2e,
            cf.untyped_tco2e
        ),
        (d("210"), d("200"), d("150"), d("50"), d("0")),
        "market based scope2 with certificates to the last digit"
    );

    // coverage and shares
    let diesel = coverage::standard_coal_for_fuel("diesel")[0];
    let gas = coverage::standard_coal_for_fuel("natural-gas")
        .into_iter()
        .find(|c| c.id == "natural-gas-gasfield")
        .unwrap();
    let energy = Energy {
        carriers: vec![
            EnergyUse {
                name: "Diesel - forklifts".into(),
                quantity: d("12"),
                unit: Unit::T,
                coefficient: Some(Coefficient::from(diesel)),
                density: None,
            },
            EnergyUse {
                name: "Natural gas - oven".into(),
                quantity: d("3"),
                unit: Unit::TenThousandM3,
                coefficient: Some(Coefficient::from(gas)),
                density: None,
            },
        ],
        grid_kwh: d("465250"),
        onsite_renewable_kwh: d("60000"),
        onsite: Vec::new(),
        electricity: Coefficient::from(&ELECTRICITY_EQUIVALENT),
    };
    let green = [
        GridCover {
            site: "Anji plant".into(),
            kwh: d("250000"),
            grid_kgco2e_per_kwh: loc,
        },
        GridCover {
            site: "Huzhou warehouse".into(),
            kwh: d("0"),
            grid_kgco2e_per_kwh: loc,
        },
    ];
    let o = coverage::offset(&OffsetInput {
        year: 2025,
        scopes: Scopes::OneTwo,
        emissions: Emissions {
            scope1: d("80.5"),
            scope2_market_before_eac: before,
            scope2_market: after,
            scope3: d("999"),
        },
        eac: &f,
        credits: cf,
        energy: &energy,
        green_power: &green,
    });
    assert_eq!(o.residual_tco2e, d("208.40155"), "scope 3 is not in 1+2");
    assert_eq!(
        o.coverage_pct.unwrap().round_dp(10),
        d("95.9685760495"),
        "market based scope2 with certificates to the last digit"
    );
    assert_eq!(
        o.credits.counted_tco2e,
        d("200"),
        "market based scope2 with certificates to the last digit"
    );
    assert_eq!(
        o.shortfall_tco2e,
        d("8.40155"),
        "market based scope2 with certificates to the last digit"
    );
    assert_eq!(
        o.shares.credit_offset_pct, o.coverage_pct,
        "under 100 %: the same"
    );
    assert_eq!(
        o.shares.total_energy_tce,
        Some(d("118.467425")),
        "market based scope2 with certificates to the last digit"
    );
    assert_eq!(
        o.shares.total_energy_gj,
        Some(d("3469.044")),
        "market based scope2 with certificates to the last digit"
    );
    assert_eq!(
        o.shares.renewable_energy_pct.unwrap().round_dp(10),
        d("32.1598954312"),
        "market based scope2 with certificates to the last digit"
    );
    assert_eq!(
        o.shares.renewable_energy_gj_pct.unwrap().round_dp(10),
        d("32.1702463272"),
        "market based scope2 with certificates to the last digit"
    );
    assert_eq!(
        o.shares.green_power_pct.unwrap().round_dp(10),
        d("59.0195145169"),
        "market based scope2 with certificates to the last digit"
    );
    assert_eq!(
        o.shares.green_power_reduction_tco2e,
        Some(d("142.575")),
        "market based scope2 with certificates to the last digit"
    );
    let codes: Vec<&str> = o.issues.iter().map(|i| i.code).collect();
    for expected in [
        "COVERAGE_SHORTFALL",
        "COVERAGE_CREDITS_EXCLUDED",
        "COVERAGE_CREDIT_SPLIT",
        "COVERAGE_GREEN_POWER_NOT_OFFSET",
        "ENERGY_COEFFICIENT_UNCONFIRMED",
    ] {
        assert!(
            codes.contains(&expected),
            "{expected} missing from {codes:?}"
        );
    }
    assert!(
        o.formulas
            .iter()
            .any(|f| f.figure == "renewable_energy_pct" && f.zh.contains("0.1229")),
        "each share is given with its formula, naming the coefficient"
    );
    // the JSON of issue 16
    let json = serde_json_like(&o);
    for key in [
        "\"year\"",
        "\"scopes\":\"1+2\"",
        "\"residual_tco2e\"",
        "\"scope2_market_before_eac_tco2e\"",
        "\"scope2_market_tco2e\"",
        "\"mwh_retired\"",
        "\"mwh_used\"",
        "\"mwh_unused\"",
        "\"kwh_covered\"",
        "\"retired_tco2e\"",
        "\"counted_tco2e\"",
        "\"removal_tco2e\"",
        "\"avoidance_tco2e\"",
        "\"coverage_pct\"",
        "\"shortfall_tco2e\"",
        "\"renewable_energy_pct\"",
        "\"green_power_pct\"",
        "\"green_power_reduction_tco2e\"",
        "\"credit_offset_pct\"",
        "\"total_energy_tce\"",
        "\"total_energy_gj\"",
        "\"issues\"",
        "\"where\"",
    ] {
        assert!(json.contains(key), "{key} missing from the offset JSON");
    }
    let credit_json = serde_json_like(&credits[0]);
    for key in [
        "\"id\":1",
        "\"serial\"",
        "\"registry\":\"verra\"",
        "\"first\":941382555",
        "\"last\":941382704",
        "\"quantity\":150",
        "\"status\":\"retired\"",
        "\"type\":\"avoidance\"",
        "\"vintage\":\"2022-01-01..2022-10-31\"",
    ] {
        assert!(
            credit_json.contains(key),
            "{key} missing from {credit_json}"
        );
    }
    let eac_json = serde_json_like(&eacs[1]);
    for key in [
        "\"type\":\"gec\"",
        "\"from\":\"2025-03\"",
        "\"status\":\"retired\"",
        "\"mwh\"",
    ] {
        assert!(eac_json.contains(key), "{key} missing from {eac_json}");
    }
}

#[test]
fn certificates_beyond_the_consumption_report_unused_mwh_never_more_than_consumed() {
    let org = org();
    let sites = [SiteMarket {
        name: "Anji plant".into(),
        country: Some("CN".into()),
        onsite_generation: false,
    }];
    let eacs = [gec(&gec_id(7), 500, "2025-01", "2025-06", &[])];
    let ctx = EacContext {
        year: 2025,
        organisation: &org,
        sites: &sites,
        ccer_projects: &[],
    };
    let a = eac::assess(&eacs, &ctx);
    let slices: Vec<ConsumptionSlice> = slices()
        .into_iter()
        .filter(|s| s.site == "Anji plant")
        .collect();
    let alloc = eac::allocate(2025, &eacs, &a, &slices);
    let f = alloc.figures();
    assert_eq!(f.kwh_covered, d("345750"), "all of Anji, not one kWh more");
    assert_eq!(
        f.mwh_used,
        d("345.75"),
        "certificates beyond the consumption report unused mwh never more than consumed"
    );
    assert_eq!(f.mwh_unused, d("154.25"), "500 − 345.75, not carried over");
    assert_eq!(
        alloc.certificates[0].checks[0].code, "EAC_MWH_BEYOND_CONSUMPTION",
        "certificates beyond the consumption report unused mwh never more than consumed"
    );
    assert!(
        alloc.slices.iter().all(|s| s.covered_kwh == s.kwh),
        "certificates beyond the consumption report unused mwh never more than consumed"
    );
    // a certificate claimed for another year takes no part
    let mut other_year = eacs[0].clone();
    other_year.for_year = Some(2024);
    let a = eac::assess(std::slice::from_ref(&other_year), &ctx);
    assert!(
        a[0].codes().contains(&"EAC_OTHER_YEAR"),
        "certificates beyond the consumption report unused mwh never more than consumed"
    );
    let alloc = eac::allocate(2025, &[other_year], &a, &slices);
    assert_eq!(
        alloc.figures().kwh_covered,
        Decimal::ZERO,
        "certificates beyond the consumption report unused mwh never more than consumed"
    );
}

#[test]
fn a_gec_from_a_plant_that_is_also_a_ccer_project_is_flagged() {
    let org = org();
    let sites = [SiteMarket {
        name: "Anji plant".into(),
        country: Some("CN".into()),
        onsite_generation: false,
    }];
    let mut e = gec(&gec_id(9), 10, "2025-01", "2025-01", &[]);
    e.plant = Some("如东H10海上风电场".into());
    let ccer = [eac::CcerProject {
        project_id: Some("1526163848812433408".into()),
        name: Some("如东 H10 海上风电场".into()),
    }];
    let ctx = EacContext {
        year: 2025,
        organisation: &org,
        sites: &sites,
        ccer_projects: &ccer,
    };
    let a = &eac::assess(&[e], &ctx)[0];
    assert_eq!(
        a.codes(),
        vec!["EAC_CCER_DOUBLE_CLAIM"],
        "a gec from a plant that is also a ccer project is flagged"
    );
    assert!(!a.excluded, "a warning: the owner chooses one claim");
}

fn serde_json_like<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).expect("the offset types serialise")
}
