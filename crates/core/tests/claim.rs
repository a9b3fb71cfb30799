//! The certification step's rules: every shipped rule pack parses and is consistent with the
//! code; one test per rule, named for it, on hand-made facts that pass every pack and then fail
//! on exactly that rule; a non-calendar twelve-month claim; the QES; the documents' drafts; the
//! zero-carbon-factory scoring arithmetic.

use chrono::NaiveDate;
use lingtan_core::claim::check::{evaluate, CheckStatus, Claim};
use lingtan_core::claim::documents::{self, QesValue};
use lingtan_core::claim::facts::{
    Assurance, BaseYearFacts, Comparison, CreditFact, EnergyFacts, Facts, Gap, IntensityPair,
    InventoryError, InventoryFacts, MeasureFact, Milestone, OffsetFacts, OffsetLine, Output,
    PlanFacts, ReductionFacts, Settings, SourceFact, TargetFact, Verification,
};
use lingtan_core::claim::pack::{Declaration, Framework, Pack, RuleSeverity};
use lingtan_core::claim::zcf::{self, ScoreRow, ScoreTable, StarStatus};
use lingtan_core::claim::{rules, ClaimPeriod, Place, PlaceKind, Text};
use lingtan_core::offset::credit::CreditType;
use lingtan_core::offset::YearMonth;
use lingtan_core::reduction::measure::MeasureStatus;
use lingtan_core::reduction::target::TargetKind;
use lingtan_core::reduction::Month;
use lingtan_core::source::{IsoCategory, Scope};
use lingtan_core::Decimal;
use std::collections::BTreeSet;

/// The shipped packs, built into the test so that a missing file fails the build.
const PACKS: [(Framework, &str); 4] = [
    (
        Framework::Iso14068,
        include_str!("../../../assets/frameworks/iso14068-1-2023.toml"),
    ),
    (
        Framework::Pas2060,
        include_str!("../../../assets/frameworks/pas2060-2014.toml"),
    ),
    (
        Framework::ZcfType1,
        include_str!("../../../assets/frameworks/zcf-i-2022.toml"),
    ),
    (
        Framework::ZcfType2,
        include_str!("../../../assets/frameworks/zcf-ii-2022.toml"),
    ),
];

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn pack(framework: Framework) -> Pack {
    let (_, text) = PACKS.iter().find(|(f, _)| *f == framework).unwrap();
    toml::from_str(text).unwrap_or_else(|e| panic!("{}: {e}", framework.id()))
}

fn packs() -> Vec<Pack> {
    PACKS.iter().map(|(f, _)| pack(*f)).collect()
}

fn place(kind: PlaceKind, id: i64, label: &str) -> Place {
    Place::new(kind, Some(id), label)
}

fn source(id: i64, label: &str, scope: Scope, cat: u8, t: &str, in_subject: bool) -> SourceFact {
    SourceFact {
        place: place(PlaceKind::Source, id, label),
        scope,
        category: IsoCategory(cat),
        tco2e: d(t),
        in_subject,
        exclusion: (!in_subject).then(|| {
            Text::new(
                "below 1 % of the footprint; no supplier data",
                "低于碳足迹的 1%；无供应商数据",
            )
        }),
    }
}

fn credit(id: i64, serial: &str, t: &str, kind: CreditType, retired: &str) -> CreditFact {
    CreditFact {
        place: place(PlaceKind::Credit, id, &format!("credit #{id}")),
        serial: serial.into(),
        registry: Some(
            if serial.starts_with("CCER") {
                "CCER"
            } else {
                "Verra"
            }
            .into(),
        ),
        project: Some(format!("project of credit #{id}")),
        kind: Some(kind),
        tco2e: d(t),
        vintage: Some("2023".into()),
        retired: Some(day(retired)),
        failed: vec![],
        warnings: vec![],
    }
}

/// The assessor's table of the test: six indicators, weights adding up to 100, total 91.29.
/// Points = weight × score ÷ maximum: 18 + 13.95 + 23.125 + 8 + 18.22 + 9.995 = 91.29.
fn scores() -> ScoreTable {
    let row = |i: usize, w: &str, m: &str, s: &str| ScoreRow {
        indicator: format!("Indicator {i}"),
        sub_item: format!("Sub-item {i}.1"),
        weight: d(w),
        maximum: d(m),
        score: d(s),
        place: Some(format!("scores.xlsx, sheet 评分, row {}", i + 1)),
    };
    ScoreTable {
        maximum: d("100"),
        rows: vec![
            row(1, "20", "10", "9"),
            row(2, "15", "100", "93"),
            row(3, "25", "20", "18.5"),
            row(4, "10", "5", "4"),
            row(5, "20", "100", "91.1"),
            row(6, "10", "20", "19.99"),
        ],
    }
}

/// Facts that pass every rule of every shipped pack: a calendar-year 2025 claim, 1,470 tCO2e in
/// the subject covered by 1,470 t of credits retired in early 2026, a reduction of 130 t
/// against 2024, a plan reviewed in December 2025, third-party verification, evidence for
/// everything, a valid scoring table and 5★ applied for.
fn passing() -> Facts {
    Facts {
        period: ClaimPeriod::calendar_year(2025).unwrap(),
        settings: Settings {
            entity: Text::new(
                "Anji Demo Manufacturing Co., Ltd.",
                "浙江安吉示范制造有限公司",
            ),
            subject: Some(Text::new("the Anji plant", "安吉工厂")),
            subject_rationale: Some(Text::new(
                "the plant is the organisation's only site",
                "该工厂是组织唯一的场所",
            )),
            activities: Some(Text::new(
                "powder-coated outdoor furniture",
                "户外家具喷涂生产",
            )),
            statement_date: Some(day("2026-03-31")),
            verification: Some(Verification {
                kind: Assurance::ThirdParty,
                body: Some("Example Verification Ltd.".into()),
            }),
            senior: Some("Li Wei, General Manager".into()),
            commitment_year: Some(2026),
            published_at: Some("https://example.invalid/carbon-neutrality".into()),
            star_level: Some(5),
        },
        inventory: InventoryFacts {
            errors: vec![],
            gaps: vec![Gap {
                source: place(PlaceKind::Source, 1, "Natural gas - oven"),
                months: vec![],
            }],
            base_year: Some(BaseYearFacts {
                year: 2024,
                tco2e: d("1600"),
            }),
            sources: vec![
                source(1, "Natural gas - oven", Scope::One, 1, "300", true),
                source(2, "Diesel - forklifts", Scope::One, 1, "50", true),
                source(3, "Grid electricity", Scope::Two, 2, "900", true),
                source(4, "Inbound road freight", Scope::Three, 3, "120", true),
                source(5, "Purchased steel", Scope::Three, 4, "100", true),
                // ISO 14064-1 category 5 (use of the products sold): outside even Type II's
                // subject, excluded with its reason
                source(6, "Use of sold products", Scope::Three, 5, "5", false),
            ],
            method: Some(Text::new(
                "ISO 14064-1:2018; GWP AR6; CN-MEE-GRID 2023",
                "ISO 14064-1:2018；GWP AR6；CN-MEE-GRID 2023",
            )),
        },
        plan: PlanFacts {
            targets: vec![TargetFact {
                place: place(PlaceKind::Target, 1, "SBTi 1.5 °C"),
                kind: TargetKind::Absolute,
                scopes: "1+2".into(),
                base_year: 2024,
                target_year: 2030,
                reduction_pct: d("25.2"),
                base_tco2e: d("1600"),
                metric: None,
                milestones: vec![Milestone {
                    year: 2027,
                    allowed_tco2e: Some(d("1398.4")),
                }],
            }],
            measures: vec![
                MeasureFact {
                    place: place(PlaceKind::Measure, 2, "Rooftop PV"),
                    status: MeasureStatus::InProgress,
                    start: Month::new(2025, 6),
                    planned_tco2e: Some(d("120")),
                    achieved_tco2e: None,
                },
                MeasureFact {
                    place: place(PlaceKind::Measure, 1, "LED lighting"),
                    status: MeasureStatus::Done,
                    start: Month::new(2024, 3),
                    planned_tco2e: Some(d("40")),
                    achieved_tco2e: Some(d("38")),
                },
            ],
            reviewed: Some(day("2025-12-01")),
            offset_strategy: vec![OffsetLine {
                kind: Some(CreditType::Removal),
                description: "forestry credits".into(),
                tco2e: d("1500"),
                year: Some(2025),
            }],
            monitoring: vec![],
            removals_only_from: None,
        },
        reductions: ReductionFacts {
            first_period: false,
            base: Some(Comparison {
                reference: "2024".into(),
                reference_tco2e: d("1600"),
                current_tco2e: d("1470"),
                intensity: Some(IntensityPair {
                    metric: "tCO2e/t".into(),
                    reference: d("0.14"),
                    current: d("0.1225"),
                }),
            }),
            previous: Some(Comparison {
                reference: "2024".into(),
                reference_tco2e: d("1600"),
                current_tco2e: d("1470"),
                intensity: None,
            }),
        },
        offset: OffsetFacts {
            eac_tco2e: d("200"),
            credits: vec![
                credit(
                    1,
                    "19385-941467007-941468006-VCS-VCU-1507-VER-ET-14-1340-01012023-31122023-1",
                    "1000",
                    CreditType::Removal,
                    "2026-02-10",
                ),
                credit(
                    2,
                    "CCER-2023-000470",
                    "470",
                    CreditType::Avoidance,
                    "2026-01-20",
                ),
            ],
        },
        energy: EnergyFacts {
            renewable_energy_pct: Some(d("30")),
            green_power_pct: Some(d("45")),
            outputs: vec![Output {
                metric: "product".into(),
                unit: "t".into(),
                quantity: d("12000"),
            }],
        },
        without_evidence: vec![],
        scores: Some(scores()),
    }
}

fn not_passing(claim: &Claim) -> BTreeSet<String> {
    claim
        .checks
        .iter()
        .filter(|c| c.status != CheckStatus::Pass)
        .map(|c| c.code.clone())
        .collect()
}

/// Under every pack that applies `code`, `facts` fail on exactly that rule, with the pack's
/// severity; returns how many packs apply it.
fn fails_only(code: &str, facts: &Facts) -> usize {
    let mut applied = 0;
    for p in packs().iter().filter(|p| p.has(code)) {
        applied += 1;
        let claim = evaluate(p, facts);
        assert_eq!(
            not_passing(&claim),
            BTreeSet::from([code.to_string()]),
            "{}: the facts break {code} and nothing else; checks: {:#?}",
            p.edition,
            claim
                .checks
                .iter()
                .filter(|c| c.status != CheckStatus::Pass)
                .collect::<Vec<_>>()
        );
        let check = claim.check(code).unwrap();
        let expected = match p.rule(code).unwrap().severity {
            RuleSeverity::Fail => CheckStatus::Fail,
            RuleSeverity::Warn => CheckStatus::Warn,
        };
        assert_eq!(check.status, expected, "{}: the pack's severity", p.edition);
        assert_eq!(
            claim.ready,
            expected != CheckStatus::Fail,
            "{}: a failing check makes the claim not ready; a warning does not",
            p.edition
        );
        assert!(
            check.todo.as_ref().is_some_and(|t| !t.is_blank()),
            "{}: a check that does not pass says what to do",
            p.edition
        );
        assert!(!check.found.is_blank(), "found is in both languages");
    }
    assert!(applied > 0, "{code} is applied by at least one pack");
    applied
}

// ---------------------------------------------------------------------------------------------
// The packs

#[test]
fn every_shipped_pack_parses_and_is_consistent() {
    for (framework, text) in PACKS {
        let p: Pack = toml::from_str(text)
            .unwrap_or_else(|e| panic!("{} does not parse: {e}", framework.id()));
        let errors = p.validate(framework);
        assert!(
            errors.is_empty(),
            "every shipped pack parses and is consistent: {}: {:?}",
            framework.id(),
            errors.iter().map(|e| e.message_en()).collect::<Vec<_>>()
        );
        assert_eq!(
            p.edition,
            framework.edition(),
            "the JSON names the edition the CLI's framework picks"
        );
        assert_eq!(
            Framework::asset(&p.edition),
            match framework {
                Framework::Iso14068 => "iso14068-1-2023.toml",
                Framework::Pas2060 => "pas2060-2014.toml",
                Framework::ZcfType1 => "zcf-i-2022.toml",
                Framework::ZcfType2 => "zcf-ii-2022.toml",
            },
            "the workbench finds the pack's file from its edition"
        );
    }
}

#[test]
fn every_rule_the_code_implements_is_used_by_a_pack_and_no_pack_names_another() {
    let implemented: BTreeSet<&str> = rules::RULES.iter().map(|r| r.code).collect();
    assert_eq!(
        implemented.len(),
        rules::RULES.len(),
        "each rule is implemented once"
    );
    let used: BTreeSet<String> = packs()
        .iter()
        .flat_map(|p| p.rules.iter().map(|r| r.code.clone()))
        .collect();
    let implemented: BTreeSet<String> = implemented.iter().map(|s| s.to_string()).collect();
    assert_eq!(
        used, implemented,
        "a rule no pack uses is dead code; a pack rule the code lacks cannot be checked"
    );
}

#[test]
fn every_qes_element_lingtan_fills_is_listed_by_the_pas_2060_pack() {
    let listed: BTreeSet<String> = pack(Framework::Pas2060)
        .qes
        .iter()
        .map(|q| q.key.clone())
        .collect();
    let filled: BTreeSet<String> = documents::QES_KEYS.iter().map(|k| k.to_string()).collect();
    assert_eq!(
        listed, filled,
        "every qes element lingtan fills is listed by the pas 2060 pack"
    );
}

#[test]
fn a_pack_naming_an_unknown_rule_or_missing_a_parameter_is_refused() {
    let text = PACKS[1].1.replace(
        "code = \"CLAIM_PLAN_REVIEWED\"",
        "code = \"CLAIM_PLAN_REVEIWED\"",
    );
    let p: Pack = toml::from_str(&text).unwrap();
    let errors = p.validate(Framework::Pas2060);
    assert_eq!(
        errors.len(),
        1,
        "a pack naming an unknown rule or missing a parameter is refused: {errors:?}"
    );
    assert_eq!(
        errors[0].code(),
        "CLAIM_PACK_UNKNOWN_RULE",
        "a pack naming an unknown rule or missing a parameter is refused"
    );
    assert!(
        errors[0].message_en().contains("CLAIM_PLAN_REVIEWED"),
        "suggests the rule meant: {}",
        errors[0].message_en()
    );
    // evaluated anyway (a face that skipped validate): a failing check, never a silent skip
    let claim = evaluate(&p, &passing());
    let c = claim.check("CLAIM_PLAN_REVEIWED").unwrap();
    assert_eq!(
        c.status,
        CheckStatus::Fail,
        "a pack naming an unknown rule or missing a parameter is refused"
    );
    assert!(
        !claim.ready,
        "a pack naming an unknown rule or missing a parameter is refused"
    );

    let text = PACKS[1].1.replace("params = { min_pct = \"95\" }\n", "");
    let p: Pack = toml::from_str(&text).unwrap();
    let codes: Vec<_> = p
        .validate(Framework::Pas2060)
        .iter()
        .map(|e| (e.code(), e.field().to_string()))
        .collect();
    assert_eq!(
        codes,
        vec![("CLAIM_PACK_PARAM_MISSING", "rule[5].params".to_string())],
        "a pack naming an unknown rule or missing a parameter is refused"
    );
    // evaluated anyway: the rule says it cannot be checked, it does not pass on a default of 0
    let claim = evaluate(&p, &passing());
    let c = claim.check("CLAIM_SUBJECT_FOOTPRINT_SHARE").unwrap();
    assert_eq!(
        c.status,
        CheckStatus::Fail,
        "a pack naming an unknown rule or missing a parameter is refused"
    );
    assert!(
        c.found.en.contains("no 'min_pct'"),
        "a pack naming an unknown rule or missing a parameter is refused: {}",
        c.found.en
    );

    let p = pack(Framework::Iso14068);
    let codes: Vec<_> = p
        .validate(Framework::Pas2060)
        .iter()
        .map(|e| e.code())
        .collect();
    assert_eq!(
        codes,
        vec!["CLAIM_PACK_MISMATCH", "CLAIM_PACK_MISMATCH"],
        "an ISO pack is not a PAS pack: framework and edition both differ"
    );

    let text = PACKS[0]
        .1
        .replace("severity = \"warn\"", "severity = \"maybe\"");
    assert!(
        toml::from_str::<Pack>(&text).is_err(),
        "a severity other than fail or warn does not parse"
    );
    let text = PACKS[0].1.replace("confirmed = false", "confirmd = false");
    assert!(
        toml::from_str::<Pack>(&text).is_err(),
        "a misspelt field is refused, not ignored"
    );
}

/// Clause numbers that could not be confirmed are never cited: ISO 14068-1 only by clause 11,
/// T/CECA-G 0171-2022 by no number at all, PAS 2060 only by its confirmed clauses 1–11 and
/// annexes.
#[test]
fn packs_cite_only_confirmed_clause_numbers() {
    fn numbers(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        let lower = text.to_lowercase();
        for (i, _) in lower.match_indices("clause") {
            let rest = lower[i + "clause".len()..].trim_start_matches(['s', ' ']);
            let n: String = rest
                .chars()
                .take_while(|c| c.is_ascii_digit() || *c == '.')
                .collect();
            if !n.is_empty() {
                out.push(n.trim_end_matches('.').to_string());
            }
        }
        out
    }
    for p in packs() {
        let cited: Vec<String> = p
            .rules
            .iter()
            .flat_map(|r| numbers(&r.clause.en))
            .chain(p.qes.iter().flat_map(|q| numbers(&q.clause.en)))
            .collect();
        for n in &cited {
            let main: u32 = n.split('.').next().unwrap().parse().unwrap();
            match p.framework.as_str() {
                "iso14068-1" => assert!(
                    n == "11" || n.starts_with("11."),
                    "ISO 14068-1: clause {n} is not confirmed; cite the step by name"
                ),
                "pas2060" => assert!(
                    (1..=11).contains(&main),
                    "PAS 2060 has clauses 1–11 only, not {n}"
                ),
                other => panic!("{other}: no clause number was found, yet it cites {n}"),
            }
        }
    }
    for p in packs().iter().filter(|p| p.framework.starts_with("zcf")) {
        assert!(
            p.rules.iter().all(|r| !r.confirmed),
            "{}: nothing of T/CECA-G 0171-2022 was confirmed",
            p.edition
        );
    }
    let pas = pack(Framework::Pas2060);
    assert!(
        !pas.qes.iter().any(|q| q.clause.en.contains("Annex B")),
        "Annex B is informative: each QES element cites its normative clause"
    );
}

/// Issue 17: the Chinese user reads each check's and each QES element's clause and title in
/// Chinese (the desktop's Claim screen, the documents in zh): every pack gives both, the Chinese
/// in Chinese, citing the same clause and annex numbers as the English.
#[test]
fn packs_give_every_clause_and_title_in_english_and_chinese() {
    fn chinese(text: &str) -> bool {
        text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
    }
    /// The numbers a text cites (`9.1.2`, `14068`, `2023`), in order.
    fn cited(text: &str) -> Vec<String> {
        text.split(|c: char| !(c.is_ascii_digit() || c == '.'))
            .map(|n| n.trim_matches('.'))
            .filter(|n| !n.is_empty())
            .map(String::from)
            .collect()
    }
    for p in packs() {
        let texts = p
            .rules
            .iter()
            .flat_map(|r| {
                [
                    (format!("{} clause", r.code), &r.clause),
                    (format!("{} title", r.code), &r.title),
                    (format!("{} todo", r.code), &r.todo),
                ]
            })
            .chain(p.qes.iter().flat_map(|q| {
                [
                    (format!("QES {} clause", q.key), &q.clause),
                    (format!("QES {} label", q.key), &q.label),
                ]
            }));
        let mut seen = 0;
        for (what, t) in texts {
            seen += 1;
            assert!(
                !t.en.trim().is_empty() && !chinese(&t.en),
                "{} {what}: the English is given, in English: {:?}",
                p.edition,
                t.en
            );
            assert!(
                chinese(&t.zh),
                "{} {what}: the Chinese is given, in Chinese (a Chinese user reads it): {:?}",
                p.edition,
                t.zh
            );
            if what.ends_with("clause") {
                assert_eq!(
                    cited(&t.zh),
                    cited(&t.en),
                    "{} {what}: the Chinese cites the same clause numbers as the English",
                    p.edition
                );
            }
        }
        assert!(seen > 20, "{}: the pack's rules were read", p.edition);
    }
}

// ---------------------------------------------------------------------------------------------
// One test per rule

#[test]
fn the_hand_made_facts_pass_every_pack() {
    for p in packs() {
        let claim = evaluate(&p, &passing());
        assert!(
            not_passing(&claim).is_empty(),
            "the hand made facts pass every pack: {}: {:#?}",
            p.edition,
            claim.checks
        );
        assert!(claim.ready, "the hand made facts pass every pack");
        assert_eq!(
            claim.subject_tco2e,
            d("1470"),
            "the hand made facts pass every pack"
        );
        assert_eq!(
            claim.credits_tco2e,
            d("1470"),
            "the hand made facts pass every pack"
        );
        assert_eq!(
            claim.coverage_pct,
            Some(d("100")),
            "the hand made facts pass every pack"
        );
        assert_eq!(
            claim.reductions_tco2e,
            Some(d("130")),
            "the hand made facts pass every pack: 1,600 − 1,470"
        );
        assert_eq!(
            claim.eac_tco2e,
            d("200"),
            "the hand made facts pass every pack"
        );
        assert_eq!(claim.checks.len(), p.rules.len(), "one check per rule");
    }
}

#[test]
fn claim_inventory_no_errors() {
    let mut f = passing();
    f.inventory.errors.push(InventoryError {
        code: "FACTOR_MISSING".into(),
        place: place(PlaceKind::Source, 2, "Diesel - forklifts"),
        text: Text::new("no factor for diesel in L", "柴油（升）没有排放因子"),
    });
    assert_eq!(
        fails_only("CLAIM_INVENTORY_NO_ERRORS", &f),
        4,
        "claim inventory no errors"
    );
    let c = evaluate(&pack(Framework::Iso14068), &f);
    let check = c.check("CLAIM_INVENTORY_NO_ERRORS").unwrap();
    assert_eq!(
        check.places[0].label, "Diesel - forklifts",
        "the check opens the source at fault"
    );
    assert!(
        check.found.en.contains("FACTOR_MISSING"),
        "claim inventory no errors"
    );
}

#[test]
fn claim_inventory_every_month() {
    let mut f = passing();
    f.inventory.gaps.push(Gap {
        source: place(PlaceKind::Source, 3, "Grid electricity"),
        months: vec![
            YearMonth::new(2025, 3).unwrap(),
            YearMonth::new(2025, 4).unwrap(),
        ],
    });
    assert_eq!(
        fails_only("CLAIM_INVENTORY_EVERY_MONTH", &f),
        4,
        "claim inventory every month"
    );
    let c = evaluate(&pack(Framework::Pas2060), &f);
    let found = &c.check("CLAIM_INVENTORY_EVERY_MONTH").unwrap().found;
    assert!(
        found.en.contains("Grid electricity: 2025-03, 2025-04"),
        "claim inventory every month: {}",
        found.en
    );
}

#[test]
fn claim_inventory_base_year() {
    let mut f = passing();
    f.inventory.base_year = None;
    assert_eq!(
        fails_only("CLAIM_INVENTORY_BASE_YEAR", &f),
        4,
        "claim inventory base year"
    );
    f.inventory.base_year = Some(BaseYearFacts {
        year: 2026,
        tco2e: d("1600"),
    });
    fails_only("CLAIM_INVENTORY_BASE_YEAR", &f);
    f.inventory.base_year = Some(BaseYearFacts {
        year: 2024,
        tco2e: Decimal::ZERO,
    });
    fails_only("CLAIM_INVENTORY_BASE_YEAR", &f);
}

#[test]
fn claim_subject_scope12_complete() {
    let mut f = passing();
    f.inventory.sources[1].in_subject = false;
    f.inventory.sources[1].exclusion = Some(Text::new("mobile", "移动源"));
    assert_eq!(
        fails_only("CLAIM_SUBJECT_SCOPE12_COMPLETE", &f),
        4,
        "claim subject scope12 complete"
    );
    let c = evaluate(&pack(Framework::Iso14068), &f);
    assert_eq!(
        c.check("CLAIM_SUBJECT_SCOPE12_COMPLETE").unwrap().status,
        CheckStatus::Warn,
        "ISO 14068-1: no confirmed rule, a warning"
    );
    let c = evaluate(&pack(Framework::Pas2060), &f);
    let check = c.check("CLAIM_SUBJECT_SCOPE12_COMPLETE").unwrap();
    assert_eq!(
        check.status,
        CheckStatus::Fail,
        "PAS 2060: 100 % of scope 1 and 2"
    );
    assert!(
        check.found.en.contains("Diesel - forklifts")
            && check.found.en.contains("excluded with a reason"),
        "an exclusion with a reason is recorded, and the check names it all the same: {check:?}"
    );
    assert!(
        check
            .todo
            .as_ref()
            .is_some_and(|t| t.en.contains("--include")),
        "what to do says how to put it back in the subject: {check:?}"
    );
}

#[test]
fn claim_subject_scope3_material() {
    let mut f = passing();
    // the use of sold products, left out, grows to 40 t of 1,510 t: 2.65 % > 1 %; the subject stays
    // at 97.35 % of the footprint
    f.inventory.sources[5].tco2e = d("40");
    assert_eq!(
        fails_only("CLAIM_SUBJECT_SCOPE3_MATERIAL", &f),
        1,
        "claim subject scope3 material"
    );
    // exactly 1 % is not "above 1 %": 15 t of a 1,500 t footprint
    let mut f = passing();
    f.inventory.sources[0].tco2e = d("315");
    f.inventory.sources[5].tco2e = d("15");
    assert_eq!(
        f.inventory.footprint_tco2e(),
        d("1500"),
        "claim subject scope3 material"
    );
    let c = evaluate(&pack(Framework::Pas2060), &f);
    assert_eq!(
        c.check("CLAIM_SUBJECT_SCOPE3_MATERIAL").unwrap().status,
        CheckStatus::Pass,
        "a source at 1 % (not above) may be left out"
    );
    f.inventory.sources[5].tco2e = d("15.01");
    let c = evaluate(&pack(Framework::Pas2060), &f);
    assert_eq!(
        c.check("CLAIM_SUBJECT_SCOPE3_MATERIAL").unwrap().status,
        CheckStatus::Fail,
        "just above 1 % must be in the subject"
    );
}

#[test]
fn claim_subject_footprint_share() {
    // an exclusion without a justification
    let mut f = passing();
    f.inventory.sources[5].exclusion = None;
    assert_eq!(
        fails_only("CLAIM_SUBJECT_FOOTPRINT_SHARE", &f),
        1,
        "claim subject footprint share"
    );
    // six scope 3 sources, each 0.9 % (not material), together 5.4 %: the subject is 94.6 %
    let mut f = passing();
    f.inventory.sources.pop();
    for i in 0..6 {
        f.inventory.sources.push(source(
            10 + i,
            &format!("Minor scope 3 #{i}"),
            Scope::Three,
            4,
            "14",
            false,
        ));
    }
    fails_only("CLAIM_SUBJECT_FOOTPRINT_SHARE", &f);
    let c = evaluate(&pack(Framework::Pas2060), &f);
    assert!(
        c.check("CLAIM_SUBJECT_FOOTPRINT_SHARE")
            .unwrap()
            .found
            .en
            .contains("94.59 %"),
        "claim subject footprint share: 1,470 ÷ 1,554"
    );
}

#[test]
fn claim_subject_transport_and_products() {
    let mut f = passing();
    f.inventory.sources[4].in_subject = false; // purchased steel
    f.inventory.sources[4].exclusion = Some(Text::new("no supplier data", "无供应商数据"));
    assert_eq!(
        fails_only("CLAIM_SUBJECT_TRANSPORT_AND_PRODUCTS", &f),
        1,
        "claim subject transport and products"
    );
    // one of two transport sources excluded, with its reason: Type II still holds transport in
    // its subject, but every transport source belongs there, so the rule does not hold, naming it
    let mut g = passing();
    g.inventory.sources.push(SourceFact {
        exclusion: Some(Text::new("a one-off delivery", "一次性运输")),
        ..source(7, "Courier parcels", Scope::Three, 3, "2", false)
    });
    assert_eq!(
        fails_only("CLAIM_SUBJECT_TRANSPORT_AND_PRODUCTS", &g),
        1,
        "a transport source excluded from a Type II subject breaks the rule even with a reason"
    );
    let c = evaluate(&pack(Framework::ZcfType2), &g);
    let check = c.check("CLAIM_SUBJECT_TRANSPORT_AND_PRODUCTS").unwrap();
    assert!(
        check.found.en.contains("Courier parcels")
            && check.places.iter().any(|p| p.label == "Courier parcels"),
        "the excluded transport source is named: {check:?}"
    );
    assert!(
        check
            .todo
            .as_ref()
            .is_some_and(|t| t.en.contains("--include")),
        "what to do says how to include it: {check:?}"
    );
    let c = evaluate(&pack(Framework::ZcfType2), &f);
    let check = c.check("CLAIM_SUBJECT_TRANSPORT_AND_PRODUCTS").unwrap();
    assert_eq!(
        check.status,
        CheckStatus::Warn,
        "the Type II boundary is disputed"
    );
    assert!(
        check
            .note
            .as_ref()
            .is_some_and(|n| n.en.contains("Conflict")),
        "the conflict is flagged with the check"
    );
}

#[test]
fn claim_plan_targets_and_measures() {
    let mut f = passing();
    f.plan.targets.clear();
    assert_eq!(
        fails_only("CLAIM_PLAN_TARGETS_AND_MEASURES", &f),
        4,
        "claim plan targets and measures"
    );
    let mut f = passing();
    for m in &mut f.plan.measures {
        m.status = MeasureStatus::Idea;
    }
    fails_only("CLAIM_PLAN_TARGETS_AND_MEASURES", &f);
}

#[test]
fn claim_plan_reviewed() {
    let mut f = passing();
    // 13 months before the declaration of 2026-03-31
    f.plan.reviewed = Some(day("2025-02-28"));
    assert_eq!(
        fails_only("CLAIM_PLAN_REVIEWED", &f),
        1,
        "claim plan reviewed"
    );
    f.plan.reviewed = None;
    fails_only("CLAIM_PLAN_REVIEWED", &f);
    f.plan.reviewed = Some(day("2025-03-31"));
    let c = evaluate(&pack(Framework::Pas2060), &f);
    assert_eq!(
        c.check("CLAIM_PLAN_REVIEWED").unwrap().status,
        CheckStatus::Pass,
        "exactly 12 months before the declaration is within 12 months"
    );
}

#[test]
fn claim_reduction_before_offset() {
    let mut f = passing();
    f.reductions.base = None;
    f.reductions.previous = None;
    for m in &mut f.plan.measures {
        m.planned_tco2e = None;
    }
    assert_eq!(
        fails_only("CLAIM_REDUCTION_BEFORE_OFFSET", &f),
        3,
        "claim reduction before offset"
    );
    for p in packs()
        .iter()
        .filter(|p| p.has("CLAIM_REDUCTION_BEFORE_OFFSET"))
    {
        assert_eq!(
            evaluate(p, &f)
                .check("CLAIM_REDUCTION_BEFORE_OFFSET")
                .unwrap()
                .status,
            CheckStatus::Warn,
            "{}: no confirmed rule either way, a warning only",
            p.edition
        );
    }
    // an increase is no reduction
    let mut f = passing();
    f.reductions.base = Some(Comparison {
        reference: "2024".into(),
        reference_tco2e: d("1400"),
        current_tco2e: d("1470"),
        intensity: None,
    });
    f.reductions.previous = None;
    for m in &mut f.plan.measures {
        m.planned_tco2e = None;
    }
    fails_only("CLAIM_REDUCTION_BEFORE_OFFSET", &f);
}

#[test]
fn claim_offset_only_first_period() {
    let mut f = passing();
    f.reductions.previous = Some(Comparison {
        reference: "2024".into(),
        reference_tco2e: d("1400"),
        current_tco2e: d("1470"),
        intensity: Some(IntensityPair {
            metric: "tCO2e/t".into(),
            reference: d("0.12"),
            current: d("0.1225"),
        }),
    });
    assert_eq!(
        fails_only("CLAIM_OFFSET_ONLY_FIRST_PERIOD", &f),
        1,
        "claim offset only first period"
    );
    // an intensity reduction alone suffices
    let mut g = f.clone();
    if let Some(p) = &mut g.reductions.previous {
        p.intensity = Some(IntensityPair {
            metric: "tCO2e/t".into(),
            reference: d("0.13"),
            current: d("0.1225"),
        });
    }
    let c = evaluate(&pack(Framework::Pas2060), &g);
    assert_eq!(
        c.check("CLAIM_OFFSET_ONLY_FIRST_PERIOD").unwrap().status,
        CheckStatus::Pass,
        "absolute or intensity: either suffices"
    );
    // the first period may rest on offsetting alone
    f.reductions.first_period = true;
    let c = evaluate(&pack(Framework::Pas2060), &f);
    assert_eq!(
        c.check("CLAIM_OFFSET_ONLY_FIRST_PERIOD").unwrap().status,
        CheckStatus::Pass,
        "claim offset only first period"
    );
    // a later period without the previous period's figures
    f.reductions.first_period = false;
    f.reductions.previous = None;
    fails_only("CLAIM_OFFSET_ONLY_FIRST_PERIOD", &f);
}

#[test]
fn claim_credits_pass_checks() {
    let mut f = passing();
    let mut bad = credit(
        3,
        "CCER-2023-000100",
        "100",
        CreditType::Avoidance,
        "2026-02-01",
    );
    bad.failed = vec!["CREDIT_BENEFICIARY_OTHER".into()];
    f.offset.credits.push(bad);
    assert_eq!(
        fails_only("CLAIM_CREDITS_PASS_CHECKS", &f),
        4,
        "claim credits pass checks"
    );
    let c = evaluate(&pack(Framework::Iso14068), &f);
    assert_eq!(
        c.credits_tco2e,
        d("1470"),
        "a credit failing a ✗ check is not counted"
    );
    let check = c.check("CLAIM_CREDITS_PASS_CHECKS").unwrap();
    assert_eq!(
        check.places[0].label, "credit #3",
        "claim credits pass checks"
    );
    assert!(
        check.found.en.contains("CREDIT_BENEFICIARY_OTHER"),
        "claim credits pass checks"
    );
    // a counted credit carrying a warning of the offset step: a warning
    let mut f = passing();
    f.offset.credits[0].warnings = vec!["CREDIT_NO_STATEMENT".into()];
    for p in packs() {
        let c = evaluate(&p, &f);
        assert_eq!(
            not_passing(&c),
            BTreeSet::from(["CLAIM_CREDITS_PASS_CHECKS".to_string()]),
            "claim credits pass checks"
        );
        assert_eq!(
            c.check("CLAIM_CREDITS_PASS_CHECKS").unwrap().status,
            CheckStatus::Warn,
            "claim credits pass checks"
        );
        assert!(c.ready, "a warning does not stop the claim");
    }
}

#[test]
fn claim_credits_retired_after_period_end() {
    let mut f = passing();
    // a third block, beyond what coverage needs, retired after 2026-12-31
    f.offset.credits.push(credit(
        3,
        "CCER-2023-000500",
        "500",
        CreditType::Avoidance,
        "2027-01-05",
    ));
    assert_eq!(
        fails_only("CLAIM_CREDITS_RETIRED_AFTER_PERIOD_END", &f),
        1,
        "claim credits retired after period end"
    );
    let c = evaluate(&pack(Framework::Iso14068), &f);
    assert_eq!(c.credits_tco2e, d("1470"), "a late block is not counted");
    // on the last day of the window: in time
    f.offset.credits[2].retired = Some(day("2026-12-31"));
    let c = evaluate(&pack(Framework::Iso14068), &f);
    assert!(not_passing(&c).is_empty(), "12 months after 2025-12-31");
    assert_eq!(
        c.credits_tco2e,
        d("1970"),
        "claim credits retired after period end"
    );
}

#[test]
fn claim_credits_retired_after_declaration() {
    let mut f = passing();
    // declaration 2026-03-31: the window closes 2027-03-31
    f.offset.credits.push(credit(
        3,
        "CCER-2023-000500",
        "500",
        CreditType::Avoidance,
        "2027-04-01",
    ));
    assert_eq!(
        fails_only("CLAIM_CREDITS_RETIRED_AFTER_DECLARATION", &f),
        1,
        "claim credits retired after declaration"
    );
    f.offset.credits[2].retired = Some(day("2027-03-31"));
    let c = evaluate(&pack(Framework::Pas2060), &f);
    assert!(
        not_passing(&c).is_empty(),
        "PAS 2060 counts from the declaration, not the period's end"
    );
    // no declaration date: the window cannot be checked
    let mut f = passing();
    f.settings.statement_date = None;
    let c = evaluate(&pack(Framework::Pas2060), &f);
    let check = c.check("CLAIM_CREDITS_RETIRED_AFTER_DECLARATION").unwrap();
    assert_eq!(
        check.status,
        CheckStatus::Fail,
        "claim credits retired after declaration"
    );
    assert_eq!(
        check.places,
        vec![Place::setting("statement-date")],
        "claim credits retired after declaration"
    );
}

#[test]
fn claim_coverage_full() {
    let mut f = passing();
    f.offset.credits.pop();
    assert_eq!(
        fails_only("CLAIM_COVERAGE_FULL", &f),
        4,
        "claim coverage full"
    );
    let c = evaluate(&pack(Framework::Iso14068), &f);
    assert_eq!(
        c.coverage_pct.map(|p| p.round_dp(2)),
        Some(d("68.03")),
        "claim coverage full: 1,000 ÷ 1,470"
    );
    assert!(
        c.check("CLAIM_COVERAGE_FULL")
            .unwrap()
            .found
            .en
            .contains("470 tCO2e are not covered"),
        "claim coverage full"
    );
}

#[test]
fn claim_verification_stated() {
    let mut f = passing();
    f.settings.verification = None;
    assert_eq!(
        fails_only("CLAIM_VERIFICATION_STATED", &f),
        3,
        "claim verification stated"
    );
    // self-declared: a warning citing the conflict, never a refusal
    let mut f = passing();
    f.settings.verification = Some(Verification {
        kind: Assurance::SelfDeclared,
        body: None,
    });
    let c = evaluate(&pack(Framework::Iso14068), &f);
    let check = c.check("CLAIM_VERIFICATION_STATED").unwrap();
    assert_eq!(check.status, CheckStatus::Warn, "claim verification stated");
    assert!(
        check.found.en.contains("Sources disagree"),
        "claim verification stated"
    );
    assert!(c.ready, "ISO 14068-1: a self-declared claim is not refused");
    // third party without the body
    let mut f = passing();
    f.settings.verification = Some(Verification {
        kind: Assurance::ThirdParty,
        body: Some("  ".into()),
    });
    fails_only("CLAIM_VERIFICATION_STATED", &f);
}

#[test]
fn claim_validation_stated() {
    let mut f = passing();
    f.settings.verification = None;
    assert_eq!(
        fails_only("CLAIM_VALIDATION_STATED", &f),
        1,
        "claim validation stated"
    );
    f.settings.verification = Some(Verification {
        kind: Assurance::OtherParty,
        body: None,
    });
    fails_only("CLAIM_VALIDATION_STATED", &f);
    // self-validation is allowed by PAS 2060
    f.settings.verification = Some(Verification {
        kind: Assurance::SelfDeclared,
        body: None,
    });
    let c = evaluate(&pack(Framework::Pas2060), &f);
    assert_eq!(
        c.check("CLAIM_VALIDATION_STATED").unwrap().status,
        CheckStatus::Pass,
        "claim validation stated"
    );
}

#[test]
fn claim_evidence_attached() {
    let mut f = passing();
    f.without_evidence = vec![
        place(
            PlaceKind::Activity,
            12,
            "activity #12 (Grid electricity, 2025-03)",
        ),
        place(PlaceKind::Credit, 2, "credit #2"),
    ];
    assert_eq!(
        fails_only("CLAIM_EVIDENCE_ATTACHED", &f),
        4,
        "claim evidence attached"
    );
    let c = evaluate(&pack(Framework::ZcfType1), &f);
    assert_eq!(
        c.check("CLAIM_EVIDENCE_ATTACHED").unwrap().places,
        f.without_evidence,
        "the check opens each record without evidence"
    );
}

#[test]
fn claim_statement_date() {
    let mut f = passing();
    f.settings.statement_date = Some(day("2025-12-31"));
    assert_eq!(
        fails_only("CLAIM_STATEMENT_DATE", &f),
        4,
        "claim statement date"
    );
    f.settings.statement_date = None;
    let c = evaluate(&pack(Framework::Iso14068), &f);
    assert_eq!(
        not_passing(&c),
        BTreeSet::from(["CLAIM_STATEMENT_DATE".to_string()]),
        "ISO 14068-1 needs no date for its retirement window"
    );
}

#[test]
fn claim_zcf_scores_entered() {
    let mut f = passing();
    f.scores = None;
    assert_eq!(
        fails_only("CLAIM_ZCF_SCORES_ENTERED", &f),
        2,
        "claim zcf scores entered"
    );
    let mut f = passing();
    if let Some(t) = &mut f.scores {
        t.rows[2].score = d("21");
    }
    fails_only("CLAIM_ZCF_SCORES_ENTERED", &f);
    let c = evaluate(&pack(Framework::ZcfType1), &f);
    let check = c.check("CLAIM_ZCF_SCORES_ENTERED").unwrap();
    assert_eq!(
        check.places[0].label, "scores.xlsx, sheet 评分, row 4",
        "claim zcf scores entered"
    );
    assert!(
        check.found.zh.contains("得分 21 高于该子项满分 20"),
        "claim zcf scores entered"
    );
}

#[test]
fn claim_zcf_star_level() {
    let mut f = passing();
    f.settings.star_level = Some(6);
    assert_eq!(
        fails_only("CLAIM_ZCF_STAR_LEVEL", &f),
        2,
        "claim zcf star level"
    );
    let c = evaluate(&pack(Framework::ZcfType1), &f);
    let found = &c.check("CLAIM_ZCF_STAR_LEVEL").unwrap().found.en;
    assert!(
        found.contains("renewable (green-power) share of electricity ≥ 100 % (found 45 %)"),
        "claim zcf star level: {found}"
    );
    f.settings.star_level = None;
    fails_only("CLAIM_ZCF_STAR_LEVEL", &f);
    f.settings.star_level = Some(7);
    fails_only("CLAIM_ZCF_STAR_LEVEL", &f);
    // 100 % green power and 100 % offset: 6★ Type I holds; Type II needs 100 % removals
    let mut f = passing();
    f.settings.star_level = Some(6);
    f.energy.green_power_pct = Some(d("100"));
    assert!(
        not_passing(&evaluate(&pack(Framework::ZcfType1), &f)).is_empty(),
        "claim zcf star level"
    );
    assert_eq!(
        not_passing(&evaluate(&pack(Framework::ZcfType2), &f)),
        BTreeSet::from(["CLAIM_ZCF_STAR_LEVEL".to_string()]),
        "1,000 t of removals is 68 % of 1,470 t"
    );
    f.offset.credits[1].kind = Some(CreditType::Removal);
    assert!(
        not_passing(&evaluate(&pack(Framework::ZcfType2), &f)).is_empty(),
        "claim zcf star level"
    );
}

// ---------------------------------------------------------------------------------------------
// Periods, the JSON, documents, scoring

/// July 2022 – June 2023, as one factory in the press claimed: twelve months, not a calendar
/// year; ISO 14068-1's retirement window closes on 30 June 2024.
#[test]
fn a_claim_for_july_2022_to_june_2023() {
    let period = ClaimPeriod::twelve_months(day("2022-07-01")).unwrap();
    assert_eq!(
        period.to(),
        day("2023-06-30"),
        "a claim for july 2022 to june 2023"
    );
    assert_eq!(period.days(), 365, "a claim for july 2022 to june 2023");
    assert!(
        period.is_twelve_months() && period.calendar().is_none(),
        "a claim for july 2022 to june 2023"
    );
    let mut f = passing();
    f.period = period;
    f.settings.statement_date = Some(day("2023-09-30"));
    f.plan.reviewed = Some(day("2023-06-01"));
    f.inventory.base_year = Some(BaseYearFacts {
        year: 2021,
        tco2e: d("1600"),
    });
    f.offset.credits[0].retired = Some(day("2024-06-30"));
    f.offset.credits[1].retired = Some(day("2023-08-15"));
    let iso = pack(Framework::Iso14068);
    let c = evaluate(&iso, &f);
    assert!(
        not_passing(&c).is_empty(),
        "a claim for july 2022 to june 2023: {:#?}",
        c.checks
    );
    let w = rules::window(&iso, &f).unwrap();
    assert_eq!(
        w.deadline,
        Some(day("2024-06-30")),
        "period end + 12 months"
    );
    f.offset.credits[0].retired = Some(day("2024-07-01"));
    let c = evaluate(&iso, &f);
    assert_eq!(
        not_passing(&c),
        BTreeSet::from([
            "CLAIM_CREDITS_RETIRED_AFTER_PERIOD_END".to_string(),
            "CLAIM_COVERAGE_FULL".to_string()
        ]),
        "a day late: the block is neither in time nor counted"
    );
    // PAS 2060 counts from the declaration (2023-09-30): 2024-07-01 is in time
    let c = evaluate(&pack(Framework::Pas2060), &f);
    assert!(
        not_passing(&c).is_empty(),
        "a claim for july 2022 to june 2023: {:#?}",
        not_passing(&c)
    );
    let json = serde_json::to_value(&c).unwrap();
    assert_eq!(
        json["period"]["from"], "2022-07-01",
        "a claim for july 2022 to june 2023"
    );
    assert_eq!(
        json["period"]["to"], "2023-06-30",
        "a claim for july 2022 to june 2023"
    );
    assert_eq!(
        json["period"]["days"], 365,
        "a claim for july 2022 to june 2023"
    );
    assert_eq!(
        json["period"]["twelve_months"], true,
        "a claim for july 2022 to june 2023"
    );
}

#[test]
fn the_claim_json_has_the_issue_s_shape() {
    let c = evaluate(&pack(Framework::Pas2060), &passing());
    let json = serde_json::to_value(&c).unwrap();
    for key in [
        "framework",
        "edition",
        "period",
        "subject_tco2e",
        "reductions_tco2e",
        "eac_tco2e",
        "credits_tco2e",
        "coverage_pct",
        "ready",
        "checks",
    ] {
        assert!(json.get(key).is_some(), "{key} is in the claim's JSON");
    }
    assert_eq!(
        json["framework"], "pas2060",
        "the claim json has the issue s shape"
    );
    assert_eq!(
        json["edition"], "pas2060:2014",
        "the claim json has the issue s shape"
    );
    assert_eq!(json["subject_tco2e"], "1470", "decimals as exact strings");
    let check = &json["checks"][0];
    for key in [
        "code",
        "clause",
        "status",
        "found",
        "todo",
        "where",
        "confirmed",
    ] {
        assert!(check.get(key).is_some(), "{key} is in every check");
    }
    assert_eq!(
        check["status"], "pass",
        "the claim json has the issue s shape"
    );
    assert!(
        check["found"]["en"].is_string() && check["found"]["zh"].is_string(),
        "the claim json has the issue s shape"
    );
}

#[test]
fn the_qes_holds_every_element_the_pack_lists() {
    let p = pack(Framework::Pas2060);
    let f = passing();
    let claim = evaluate(&p, &f);
    for kind in [Declaration::Commitment, Declaration::Achievement] {
        let q = documents::qes(&p, &claim, &f, kind);
        let listed: Vec<&str> = p
            .qes
            .iter()
            .filter(|e| e.declarations.contains(&kind))
            .map(|e| e.key.as_str())
            .collect();
        let got: Vec<&str> = q.elements.iter().map(|e| e.key.as_str()).collect();
        assert_eq!(got, listed, "{kind:?}: every element, in the pack's order");
        for e in &q.elements {
            assert!(
                !e.value.is_missing(),
                "{kind:?}: {} is filled from the facts",
                e.key
            );
            assert!(
                !e.clause.en.contains("Annex B"),
                "{}: the normative clause",
                e.key
            );
        }
        assert!(
            !q.draft.draft,
            "{kind:?}: nothing fails, nothing is missing"
        );
    }
    let q = documents::qes(&p, &claim, &f, Declaration::Achievement);
    assert!(
        q.elements.iter().any(|e| e.key == "credits"),
        "an achievement lists its credits"
    );
    let credits = q.elements.iter().find(|e| e.key == "credits").unwrap();
    match &credits.value {
        QesValue::Given { text } => {
            assert!(
                text.en.contains("19385-941467007-941468006-VCS-VCU"),
                "the qes holds every element the pack lists"
            );
            assert!(
                text.en.contains("retired 2026-02-10"),
                "the qes holds every element the pack lists"
            );
        }
        QesValue::Missing { .. } => panic!("credits are given"),
    }
    // a missing element makes the QES a draft that says what is missing
    let mut f = passing();
    f.settings.senior = None;
    let claim = evaluate(&p, &f);
    assert!(claim.ready, "the senior representative is not a check");
    let q = documents::qes(&p, &claim, &f, Declaration::Achievement);
    let senior = q.elements.iter().find(|e| e.key == "senior").unwrap();
    assert!(
        senior.value.is_missing(),
        "the qes holds every element the pack lists"
    );
    assert!(q.draft.draft, "the qes holds every element the pack lists");
    assert!(
        q.draft.reasons[0].en.contains("senior representative"),
        "the qes holds every element the pack lists"
    );
}

#[test]
fn documents_are_drafts_while_a_check_fails_and_say_why() {
    let p = pack(Framework::Iso14068);
    let f = passing();
    let claim = evaluate(&p, &f);
    let plan = documents::management_plan(&p, &claim, &f);
    assert!(
        !plan.draft.draft,
        "documents are drafts while a check fails and say why"
    );
    assert_eq!(
        plan.measures
            .value
            .iter()
            .map(|m| m.label.as_str())
            .collect::<Vec<_>>(),
        vec!["LED lighting", "Rooftop PV"],
        "the timeline runs by start month"
    );
    assert_eq!(
        plan.offset_total_tco2e,
        d("1500"),
        "documents are drafts while a check fails and say why"
    );
    assert!(
        plan.monitoring.value.len() >= 4,
        "documents are drafts while a check fails and say why"
    );
    let statement = documents::statement(&p, &claim, &f);
    assert!(
        !statement.draft.draft,
        "documents are drafts while a check fails and say why"
    );
    assert!(
        statement
            .text
            .en
            .contains("was carbon neutral for the period 2025-01-01 to 2025-12-31"),
        "documents are drafts while a check fails and say why"
    );
    assert!(
        !statement.text.en.contains("commit"),
        "a statement is not a commitment"
    );
    let commitment = documents::commitment(&p, &f).unwrap();
    assert!(
        commitment.text.en.contains("by 2026"),
        "documents are drafts while a check fails and say why"
    );
    assert!(
        commitment
            .text
            .en
            .contains("not a statement that carbon neutrality has been achieved"),
        "documents are drafts while a check fails and say why"
    );

    let mut f = passing();
    f.offset.credits.pop();
    let claim = evaluate(&p, &f);
    for draft in [
        documents::management_plan(&p, &claim, &f).draft,
        documents::statement(&p, &claim, &f).draft,
    ] {
        assert!(draft.draft, "coverage fails: a draft");
        assert_eq!(
            draft.reasons.len(),
            1,
            "documents are drafts while a check fails and say why"
        );
        assert!(
            draft.reasons[0].en.contains("CLAIM_COVERAGE_FULL"),
            "documents are drafts while a check fails and say why"
        );
        assert!(
            draft.reasons[0].zh.contains("未覆盖"),
            "documents are drafts while a check fails and say why"
        );
    }
    let json = serde_json::to_value(documents::statement(&p, &claim, &f)).unwrap();
    assert_eq!(json["draft"], true, "draft is a top-level flag");
}

#[test]
fn the_self_evaluation_carries_figures_scores_and_stars() {
    let p = pack(Framework::ZcfType1);
    let f = passing();
    let claim = evaluate(&p, &f);
    let e = documents::self_evaluation(&p, &claim, &f);
    assert!(
        !e.draft.draft,
        "the self evaluation carries figures scores and stars"
    );
    let scoring = e.scoring.value.as_ref().unwrap();
    assert_eq!(
        scoring.total,
        d("91.29"),
        "the self evaluation carries figures scores and stars"
    );
    assert_eq!(
        e.figures.value.offset_pct,
        Some(d("100")),
        "the self evaluation carries figures scores and stars"
    );
    let stars: Vec<(u8, StarStatus)> = e.stars.value.iter().map(|s| (s.level, s.status)).collect();
    assert_eq!(
        stars,
        vec![
            (3, StarStatus::AssessorDecides),
            (4, StarStatus::AssessorDecides),
            (5, StarStatus::AssessorDecides),
            (6, StarStatus::NotMet),
        ],
        "only 6★'s requirement is published; green power is 45 %"
    );
    assert_eq!(
        e.stars.value[0].found.en, "threshold not published: the assessor decides.",
        "the self evaluation carries figures scores and stars"
    );
}

#[test]
fn the_scoring_table_totals_91_29() {
    let table = scores();
    assert!(
        zcf::validate(&table).is_empty(),
        "the scoring table totals 91 29"
    );
    let s = zcf::score(&table).unwrap();
    assert_eq!(
        s.total,
        d("91.29"),
        "the scoring table totals 91 29: 18 + 13.95 + 23.125 + 8 + 18.22 + 9.995"
    );
    assert_eq!(
        s.rows.iter().map(|r| r.2).collect::<Vec<_>>(),
        vec![
            d("18"),
            d("13.95"),
            d("23.125"),
            d("8"),
            d("18.22"),
            d("9.995")
        ],
        "the scoring table totals 91 29"
    );
    assert_eq!(s.indicators.len(), 6, "the scoring table totals 91 29");
    // a weight off by 0.01 is refused, naming the rows
    let mut t = scores();
    t.rows[5].weight = d("9.99");
    let e = zcf::validate(&t);
    assert_eq!(e.len(), 1, "the scoring table totals 91 29");
    assert_eq!(
        e[0].code(),
        "ZCF_WEIGHT_SUM",
        "the scoring table totals 91 29"
    );
    assert!(
        e[0].message_en().contains("99.99"),
        "the scoring table totals 91 29"
    );
    assert_eq!(
        e[0].place(),
        Some("scores.xlsx, sheet 评分, row 2 – scores.xlsx, sheet 评分, row 7"),
        "the scoring table totals 91 29"
    );
    // two sub-items of one indicator add up under it
    let mut t = scores();
    t.rows[1].indicator = "Indicator 1".into();
    let s = zcf::score(&t).unwrap();
    assert_eq!(s.indicators.len(), 5, "the scoring table totals 91 29");
    assert_eq!(
        s.indicators[0].points,
        d("31.95"),
        "the scoring table totals 91 29: 18 + 13.95"
    );
    assert_eq!(
        s.indicators[0].weight,
        d("35"),
        "the scoring table totals 91 29"
    );
    assert_eq!(s.total, d("91.29"), "grouping changes no total");
}

#[test]
fn the_figures_the_evaluation_uses() {
    let p = pack(Framework::ZcfType1);
    // the Schneider Electric Xi'an press case: 1,468 t of categories 1 + 2, offset 100 %
    let mut f = passing();
    f.inventory.sources = vec![
        source(1, "Natural gas", Scope::One, 1, "268", true),
        source(2, "Grid electricity", Scope::Two, 2, "1200", true),
    ];
    f.offset.credits = vec![credit(
        1,
        "CCER-2023-001468",
        "1468",
        CreditType::Avoidance,
        "2026-02-01",
    )];
    let fig = zcf::figures(&p, &f);
    assert_eq!(
        fig.subject_tco2e,
        d("1468"),
        "the figures the evaluation uses"
    );
    assert_eq!(
        fig.offset_pct,
        Some(d("100")),
        "the figures the evaluation uses"
    );
    assert_eq!(
        fig.removal_pct,
        Some(Decimal::ZERO),
        "the figures the evaluation uses"
    );
    assert_eq!(fig.green_power_pct, Some(d("45")), "from the offset step");
    assert_eq!(
        fig.intensities[0].tco2e_per_unit,
        d("1468") / d("12000"),
        "tCO2e per t of product"
    );
    assert_eq!(
        fig.reduction_tco2e,
        Some(d("130")),
        "the figures the evaluation uses"
    );
    assert_eq!(
        fig.reduction_pct,
        Some(d("8.125")),
        "the figures the evaluation uses: 130 ÷ 1,600"
    );
    for name in zcf::FIGURES {
        assert!(
            fig.get(name).is_some(),
            "{name}: a figure a star rule may name is computed"
        );
    }
    // nothing to divide by: no ratio, never a guess
    f.inventory.sources.clear();
    let fig = zcf::figures(&p, &f);
    assert_eq!(fig.offset_pct, None, "the figures the evaluation uses");
}
