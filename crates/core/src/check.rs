//! Readiness: is the inventory of a year ready to show a certifier? The pure rules behind
//! `lingtan check` and the desktop's readiness view.
//!
//! Each rule has a stable code, says what it needs ([`Facts`], gathered by the workbench from the
//! project) and gives its result as data ([`Check`]): a status (`pass`, `warn`, `fail`), what it
//! found, what to do, and the records or sources concerned — in English and Chinese. Nothing here
//! reads the store or the clock. The certification step's framework checks
//! ([`crate::claim::check`]) have the same shape and share the [`Status`] type.
//!
//! | code | fails or warns when |
//! |---|---|
//! | `CHECK_BASE_YEAR` | fail: no base year is set (ISO 14064-1 6.4.1) |
//! | `CHECK_EVERY_MONTH` | fail: an energy source (fuel, electricity, heat …) lacks data for a month of the year, or there is no source |
//! | `CHECK_YEARLY_RECORDS` | warn: a refrigerant or scope 3 source has no record in the year |
//! | `CHECK_FACTORS_VERIFIED` | warn: a factor used is not verified against its document; fail: nothing is computed |
//! | `CHECK_EVIDENCE` | warn: a record of the year has no bill or file attached; fail: no record in the year |
//! | `CHECK_NO_ERRORS` | fail: the inventory has error issues (a missing factor, a unit that cannot convert …) or no record |

use crate::claim::{Place, PlaceKind, Text};
use crate::issue::{Issue, Lang, Severity};
use crate::period::split;
use crate::source::SourceKind;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

/// The outcome of a check (of readiness here, of a framework's rule in [`crate::claim`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Pass,
    Warn,
    Fail,
}

impl Status {
    pub fn code(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Warn => "warn",
            Status::Fail => "fail",
        }
    }
}

/// One readiness check's result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Check {
    /// Stable: `CHECK_BASE_YEAR` …
    pub code: &'static str,
    pub status: Status,
    /// What is checked.
    pub title: Text,
    /// What was found.
    pub found: Text,
    /// What to do; none when the check passes.
    pub todo: Option<Text>,
    /// The sources, records, factors or settings concerned.
    #[serde(rename = "where")]
    pub places: Vec<Place>,
}

/// An emission source as readiness sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceData {
    pub id: i64,
    pub name: String,
    pub kind: SourceKind,
    /// Months of the year (index 0 = January) that at least one record's period touches.
    pub months: [bool; 12],
    /// Records whose period touches the year.
    pub records: u64,
}

/// A factor used by the inventory (location- or market-based), with its verification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FactorUse {
    pub id: String,
    pub version: u32,
    pub verified: bool,
}

/// What the readiness rules read, gathered by the workbench.
#[derive(Debug, Clone, PartialEq)]
pub struct Facts {
    pub year: i32,
    pub base_year: Option<i32>,
    pub sources: Vec<SourceData>,
    /// Every factor the year's inventory used, once.
    pub factors: Vec<FactorUse>,
    /// Records whose period touches the year.
    pub records: u64,
    /// Of those, the ids of the records with no evidence attached.
    pub without_evidence: Vec<i64>,
    /// The inventory's issues (only errors count).
    pub issues: Vec<Issue>,
    /// The year's total, location-based (for the message when all is well).
    pub total_location: Decimal,
}

/// A readiness rule: its code, what it checks, what it needs, and the rule itself.
pub struct Rule {
    pub code: &'static str,
    pub title: (&'static str, &'static str),
    /// What it reads of [`Facts`].
    pub needs: &'static str,
    pub eval: fn(&Facts) -> Finding,
}

/// What a rule found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub status: Status,
    pub found: Text,
    pub todo: Option<Text>,
    pub places: Vec<Place>,
}

impl Finding {
    fn pass(found: Text) -> Finding {
        Finding {
            status: Status::Pass,
            found,
            todo: None,
            places: Vec::new(),
        }
    }

    fn not(status: Status, found: Text, todo: Text, places: Vec<Place>) -> Finding {
        Finding {
            status,
            found,
            todo: Some(todo),
            places,
        }
    }
}

/// The readiness rules, in the order they are shown.
pub const RULES: &[Rule] = &[
    Rule {
        code: "CHECK_BASE_YEAR",
        title: ("Base year set", "已设置基准年"),
        needs: "base_year",
        eval: base_year,
    },
    Rule {
        code: "CHECK_EVERY_MONTH",
        title: (
            "Every energy source has data for every month",
            "每个能源类排放源每月都有数据",
        ),
        needs: "year, sources (kind, months touched)",
        eval: every_month,
    },
    Rule {
        code: "CHECK_YEARLY_RECORDS",
        title: (
            "Refrigerant and scope 3 sources have records in the year",
            "制冷剂与范围三排放源在该年有记录",
        ),
        needs: "year, sources (kind, records)",
        eval: yearly_records,
    },
    Rule {
        code: "CHECK_FACTORS_VERIFIED",
        title: ("Factors verified", "排放因子已核实"),
        needs: "factors used (id, version, verified)",
        eval: factors_verified,
    },
    Rule {
        code: "CHECK_EVIDENCE",
        title: ("Evidence attached", "已附凭证"),
        needs: "records, records without evidence",
        eval: evidence,
    },
    Rule {
        code: "CHECK_NO_ERRORS",
        title: ("Inventory complete (no errors)", "盘查完整（无错误）"),
        needs: "records, inventory issues, total",
        eval: no_errors,
    },
];

/// Every readiness rule on `facts`, in [`RULES`]' order.
pub fn readiness(facts: &Facts) -> Vec<Check> {
    RULES
        .iter()
        .map(|r| {
            let f = (r.eval)(facts);
            Check {
                code: r.code,
                status: f.status,
                title: Text::new(r.title.0, r.title.1),
                found: f.found,
                todo: f.todo,
                places: f.places,
            }
        })
        .collect()
}

/// Ready when no check fails.
pub fn ready(checks: &[Check]) -> bool {
    !checks.iter().any(|c| c.status == Status::Fail)
}

/// The months of `year` that a record from `from` to `to` touches (index 0 = January), split by
/// days as the inventory splits it.
pub fn months_touched(year: i32, from: NaiveDate, to: NaiveDate, months: &mut [bool; 12]) {
    for share in split(from, to, Decimal::ZERO) {
        if share.year == year {
            if let Some(m) = months.get_mut((share.month as usize).wrapping_sub(1)) {
                *m = true;
            }
        }
    }
}

/// Sources whose data comes as events or yearly figures (refrigerant top-ups, scope 3), for
/// which one record in the year is enough.
pub fn is_yearly(kind: SourceKind) -> bool {
    matches!(kind, SourceKind::Fugitive | SourceKind::Scope3(_))
}

fn source_place(s: &SourceData) -> Place {
    Place::new(PlaceKind::Source, Some(s.id), s.name.clone())
}

fn base_year(f: &Facts) -> Finding {
    match f.base_year {
        Some(y) => Finding::pass(Text::new(format!("Base year {y}"), format!("基准年 {y}"))),
        None => Finding::not(
            Status::Fail,
            Text::new("No base year is set.", "未设置基准年。"),
            Text::new(
                "Set a base year (ISO 14064-1 6.4.1): reductions are measured against it.",
                "请设置基准年（ISO 14064-1 第 6.4.1 条）：减排以其为基准衡量。",
            ),
            vec![Place::setting("base-year")],
        ),
    }
}

fn every_month(f: &Facts) -> Finding {
    let year = f.year;
    if f.sources.is_empty() {
        return Finding::not(
            Status::Fail,
            Text::new("No emission sources yet.", "尚无排放源。"),
            Text::new(
                "Add the sites and emission sources of the boundary, then their data.",
                "请添加边界内的场所与排放源，再录入其数据。",
            ),
            Vec::new(),
        );
    }
    let mut en = Vec::new();
    let mut zh = Vec::new();
    let mut places = Vec::new();
    let mut energy = 0;
    // an on-site generation source holds what a PV plant made (for the reduction step's
    // progress); it emits nothing, so the inventory is complete without it, and a plant
    // commissioned mid-year has no months before it existed
    for s in f
        .sources
        .iter()
        .filter(|s| !is_yearly(s.kind) && s.kind != SourceKind::OnsiteGeneration)
    {
        energy += 1;
        let missing: Vec<String> = (1..=12)
            .filter(|m| !s.months[m - 1])
            .map(|m| format!("{year}-{m:02}"))
            .collect();
        if !missing.is_empty() {
            en.push(format!("{}: {}", s.name, missing.join(", ")));
            zh.push(format!("{}：{}", s.name, missing.join("、")));
            places.push(source_place(s));
        }
    }
    if places.is_empty() {
        return Finding::pass(Text::new(
            format!("{energy} energy sources have data for every month of {year}"),
            format!("{energy} 个能源类排放源在 {year} 年各月均有数据"),
        ));
    }
    Finding::not(
        Status::Fail,
        Text::new(
            format!("Months without data: {}", en.join("; ")),
            format!("缺少数据的月份：{}", zh.join("；")),
        ),
        Text::new(
            "Enter or import the bills for these months (a month with no use is entered as 0).",
            "请录入或导入这些月份的账单（当月无用量时录入 0）。",
        ),
        places,
    )
}

fn yearly_records(f: &Facts) -> Finding {
    let year = f.year;
    let yearly: Vec<&SourceData> = f.sources.iter().filter(|s| is_yearly(s.kind)).collect();
    let none: Vec<&&SourceData> = yearly.iter().filter(|s| s.records == 0).collect();
    if none.is_empty() {
        return Finding::pass(Text::new(
            format!(
                "{} refrigerant and scope 3 sources have records in {year}",
                yearly.len()
            ),
            format!("{} 个制冷剂与范围三排放源在 {year} 年有记录", yearly.len()),
        ));
    }
    let names: Vec<&str> = none.iter().map(|s| s.name.as_str()).collect();
    Finding::not(
        Status::Warn,
        Text::new(
            format!("No record in {year}: {}", names.join(", ")),
            format!("{year} 年无记录：{}", names.join("、")),
        ),
        Text::new(
            "Enter the year's top-ups or figures, or confirm there were none (enter 0).",
            "请录入该年的补充量或数据，或确认确实没有（录入 0）。",
        ),
        none.iter().map(|s| source_place(s)).collect(),
    )
}

fn factors_verified(f: &Facts) -> Finding {
    if f.factors.is_empty() {
        return Finding::not(
            Status::Fail,
            Text::new(
                "No factor is used: nothing is computed yet.",
                "未使用任何因子：尚无计算结果。",
            ),
            Text::new(
                "Add activity data to sources that have a factor.",
                "请为有排放因子的排放源录入活动数据。",
            ),
            Vec::new(),
        );
    }
    let unverified: Vec<&FactorUse> = f.factors.iter().filter(|u| !u.verified).collect();
    if unverified.is_empty() {
        return Finding::pass(Text::new(
            format!("{} factors used, all verified", f.factors.len()),
            format!("使用 {} 个因子，均已核实", f.factors.len()),
        ));
    }
    let refs: Vec<String> = unverified
        .iter()
        .map(|u| format!("{}@{}", u.id, u.version))
        .collect();
    Finding::not(
        Status::Warn,
        Text::new(
            format!(
                "{} of {} factors used are not verified against their source: {}",
                unverified.len(),
                f.factors.len(),
                refs.join(", ")
            ),
            format!(
                "使用的 {} 个因子中 {} 个未对照出处核实：{}",
                f.factors.len(),
                unverified.len(),
                refs.join("、")
            ),
        ),
        Text::new(
            "Check each against its cited document, or replace it with a verified factor.",
            "请对照其引用文件逐一核实，或换用已核实的因子。",
        ),
        unverified
            .iter()
            .zip(refs)
            .map(|(_, r)| Place::new(PlaceKind::Factor, None, r))
            .collect(),
    )
}

fn evidence(f: &Facts) -> Finding {
    let year = f.year;
    if f.records == 0 {
        return Finding::not(
            Status::Fail,
            Text::new(
                format!("No activity data in {year}."),
                format!("{year} 年尚无活动数据。"),
            ),
            Text::new(
                "Enter or import the year's bills.",
                "请录入或导入该年的账单。",
            ),
            Vec::new(),
        );
    }
    let without = f.without_evidence.len() as u64;
    let with = f.records.saturating_sub(without);
    let found = Text::new(
        format!(
            "{with} of {} records of {year} have a bill or file attached",
            f.records
        ),
        format!("{year} 年 {} 条记录中 {with} 条附有账单或文件", f.records),
    );
    if without == 0 {
        return Finding::pass(found);
    }
    Finding::not(
        Status::Warn,
        found,
        Text::new(
            "Attach the bill or file each record comes from (importing a spreadsheet attaches it).",
            "请为每条记录附上其来源账单或文件（导入表格时会自动附上）。",
        ),
        f.without_evidence
            .iter()
            .map(|id| Place::new(PlaceKind::Activity, Some(*id), format!("#{id}")))
            .collect(),
    )
}

fn no_errors(f: &Facts) -> Finding {
    let errors: Vec<&Issue> = f
        .issues
        .iter()
        .filter(|i| i.severity == Severity::Error)
        .collect();
    if f.records == 0 {
        return Finding::not(
            Status::Fail,
            Text::new(
                format!("No activity data in {}: nothing is computed.", f.year),
                format!("{} 年尚无活动数据：无计算结果。", f.year),
            ),
            Text::new(
                "Enter or import the year's bills.",
                "请录入或导入该年的账单。",
            ),
            Vec::new(),
        );
    }
    if errors.is_empty() {
        let t = crate::text::grouped(f.total_location, 3);
        return Finding::pass(Text::new(
            format!("{t} t CO2e (location-based), no errors"),
            format!("{t} 吨二氧化碳当量（基于位置），无错误"),
        ));
    }
    // a finding is shown by every face: the issue's message without one (a field by its name)
    let en: Vec<String> = errors
        .iter()
        .map(|i| format!("{} [{}]: {}", i.place, i.code, i.en.plain(Lang::En)))
        .collect();
    let zh: Vec<String> = errors
        .iter()
        .map(|i| format!("{} [{}]：{}", i.place, i.code, i.zh.plain(Lang::Zh)))
        .collect();
    Finding::not(
        Status::Fail,
        Text::new(
            format!("{} errors: {}", errors.len(), en.join("; ")),
            format!("{} 个错误：{}", errors.len(), zh.join("；")),
        ),
        Text::new(
            "Fix each error: a figure is missing until it is fixed.",
            "请逐一修正错误：修正之前相关数字缺失。",
        ),
        errors
            .iter()
            .map(|i| Place::new(PlaceKind::Inventory, None, i.place.clone()))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts() -> Facts {
        Facts {
            year: 2024,
            base_year: Some(2024),
            sources: vec![
                SourceData {
                    id: 1,
                    name: "Grid power".into(),
                    kind: SourceKind::Electricity,
                    months: [true; 12],
                    records: 12,
                },
                SourceData {
                    id: 2,
                    name: "R-410A".into(),
                    kind: SourceKind::Fugitive,
                    months: [false; 12],
                    records: 1,
                },
            ],
            factors: vec![FactorUse {
                id: "CN-EAST".into(),
                version: 1,
                verified: true,
            }],
            records: 13,
            without_evidence: Vec::new(),
            issues: Vec::new(),
            total_location: Decimal::new(12345, 1),
        }
    }

    fn status(checks: &[Check], code: &str) -> Status {
        checks
            .iter()
            .find(|c| c.code == code)
            .map(|c| c.status)
            .unwrap_or_else(|| panic!("no check {code}"))
    }

    #[test]
    fn a_complete_year_passes_every_check() {
        let checks = readiness(&facts());
        assert!(
            checks
                .iter()
                .all(|c| c.status == Status::Pass && c.todo.is_none()),
            "nothing is missing, so nothing warns and nothing says what to do: {checks:#?}"
        );
        assert_eq!(checks.len(), RULES.len(), "one result per rule");
        assert!(ready(&checks));
    }

    #[test]
    fn on_site_generation_is_not_an_energy_source_the_months_check_needs() {
        let mut f = facts();
        f.sources.push(SourceData {
            id: 3,
            name: "Rooftop PV".into(),
            kind: SourceKind::OnsiteGeneration,
            months: [false; 12],
            records: 0,
        });
        let checks = readiness(&f);
        assert_eq!(
            status(&checks, "CHECK_EVERY_MONTH"),
            Status::Pass,
            "a PV plant commissioned after the year emits nothing in it: its empty months \
             leave the inventory complete"
        );
    }

    #[test]
    fn a_missing_month_fails_naming_the_source_and_the_month() {
        let mut f = facts();
        f.sources[0].months[2] = false;
        let checks = readiness(&f);
        assert_eq!(status(&checks, "CHECK_EVERY_MONTH"), Status::Fail);
        let c = &checks[1];
        assert!(
            c.found.en.contains("Grid power: 2024-03")
                && c.found.zh.contains("Grid power：2024-03"),
            "the message names the source and the month: {:?}",
            c.found
        );
        assert_eq!(c.places[0].id, Some(1), "the source is the place");
        assert!(!ready(&checks), "a failing check makes the year not ready");
    }

    #[test]
    fn refrigerant_without_records_warns_and_months_do_not_apply_to_it() {
        let mut f = facts();
        f.sources[1].records = 0;
        let checks = readiness(&f);
        assert_eq!(
            status(&checks, "CHECK_EVERY_MONTH"),
            Status::Pass,
            "a refrigerant is topped up now and then: no month rule for it"
        );
        assert_eq!(status(&checks, "CHECK_YEARLY_RECORDS"), Status::Warn);
        assert!(ready(&checks), "a warning alone leaves the year ready");
    }

    #[test]
    fn unverified_factor_and_missing_evidence_warn() {
        let mut f = facts();
        f.factors[0].verified = false;
        f.without_evidence = vec![7];
        let checks = readiness(&f);
        assert_eq!(status(&checks, "CHECK_FACTORS_VERIFIED"), Status::Warn);
        assert_eq!(status(&checks, "CHECK_EVIDENCE"), Status::Warn);
        let ev = checks
            .iter()
            .find(|c| c.code == "CHECK_EVIDENCE")
            .expect("evidence");
        assert_eq!(
            ev.found.en,
            "12 of 13 records of 2024 have a bill or file attached"
        );
        assert_eq!(
            ev.places[0].id,
            Some(7),
            "the record without evidence is named"
        );
    }

    #[test]
    fn no_base_year_no_data_and_errors_fail() {
        let mut f = facts();
        f.base_year = None;
        f.issues.push(Issue::new(
            "FACTOR_MISSING",
            Severity::Error,
            "Plant / Gas".into(),
            "no factor",
            "无因子",
        ));
        let checks = readiness(&f);
        assert_eq!(status(&checks, "CHECK_BASE_YEAR"), Status::Fail);
        assert_eq!(status(&checks, "CHECK_NO_ERRORS"), Status::Fail);
        f.records = 0;
        f.factors.clear();
        let checks = readiness(&f);
        assert_eq!(
            status(&checks, "CHECK_EVIDENCE"),
            Status::Fail,
            "no data is no evidence"
        );
        assert_eq!(status(&checks, "CHECK_FACTORS_VERIFIED"), Status::Fail);
    }

    #[test]
    fn a_bill_across_months_touches_both() {
        let d = |s: &str| s.parse::<NaiveDate>().expect("date");
        let mut m = [false; 12];
        months_touched(2024, d("2023-12-21"), d("2024-02-10"), &mut m);
        assert_eq!(
            m.iter().filter(|x| **x).count(),
            2,
            "January and February of 2024; December 2023 is outside the year"
        );
        assert!(m[0] && m[1]);
    }

    #[test]
    fn codes_are_unique_and_statuses_serialise_as_the_claim_does() {
        let mut codes: Vec<&str> = RULES.iter().map(|r| r.code).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), RULES.len(), "a code names one rule");
        assert_eq!(
            serde_json::to_string(&crate::claim::CheckStatus::Warn).expect("json"),
            "\"warn\"",
            "the claim's status is this type"
        );
    }
}
