//! Carbon credits: the record of a block and the checks on its retirement.
//!
//! A credit block is read from its serial ([`crate::offset::serial`]) and kept in the ledger
//! ([`crate::offset::ledger`]). Retired for a year (`for_year`, the claim period: a calendar
//! year), it counts against that year's residual emissions when it passes the ✗ checks:
//! - ✗ retired for another beneficiary than the organisation;
//! - ✗ vintage starting after the period it is retired for (credits are issued ex post: future
//!   reductions do not count — ISO 14068-1:2023 clause 11, PAS 2060:2014 9.1.2 (d));
//! - ✗ retired more than 12 months after the reference event: the end of the period
//!   (ISO 14068-1:2023 clause 11) or the date of the declaration of achievement
//!   (PAS 2060:2014 9.1.2 (e)) — [`Window`] chooses;
//! - ✗ retired for no period; held; void.
//!
//! Warnings and disclosures: the vintage ends after the period (partly ex ante); no retirement
//! statement attached; vintage ending more than 5 years before the period; avoidance or removal
//! not stated (the split is disclosed in the coverage); and the serial's own notes (Verra flag,
//! CDM unit type, a verbatim serial).

use super::serial::Serial;
use super::{match_beneficiary, Assessment, Check, NameMatch, Refusal, Rule, Status};
use crate::issue::Severity;
use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};

const ISO_11: &str = "ISO 14068-1:2023 clause 11 (carbon credits: ex post, retired within 12 months after the end of the period the claim covers) — research notes §2.3";
const PAS_912: &str = "PAS 2060:2014 clause 9.1.2 (e): retired within 12 months of the date of the declaration of achievement — research notes §1.5";

pub const CREDIT_BENEFICIARY_OTHER: Rule = Rule {
    code: "CREDIT_BENEFICIARY_OTHER",
    severity: Severity::Error,
    excludes: true,
    refuses: false,
    confirmed: true,
    citation: "ISO 14068-1:2023 clause 11 (retired for the claim; not double counted); PAS 2060:2014 9.1.2",
    en: "The credit was retired for another beneficiary than the organisation.",
    zh: "信用注销的受益方不是本组织。",
};
pub const CREDIT_BENEFICIARY_PARTIAL: Rule = Rule {
    code: "CREDIT_BENEFICIARY_PARTIAL",
    severity: Severity::Warning,
    excludes: false,
    refuses: false,
    confirmed: true,
    citation: "ISO 14068-1:2023 clause 11",
    en: "The beneficiary contains the organisation's name with more text: a reviewer reads it.",
    zh: "受益方包含本组织名称及其他文字：需人工核对。",
};
pub const CREDIT_VINTAGE_AFTER_PERIOD: Rule = Rule {
    code: "CREDIT_VINTAGE_AFTER_PERIOD",
    severity: Severity::Error,
    excludes: true,
    refuses: false,
    confirmed: true,
    citation: "ISO 14068-1:2023 clause 11 (ex post: future reductions cannot count until issued and retired; sub-clause 11.1 per one secondary source); PAS 2060:2014 9.1.2 (d)",
    en: "The vintage starts after the period the credit is retired for: the reductions had not happened (not ex post).",
    zh: "年份期开始于注销所对应期间之后：减排尚未发生（非事后签发）。",
};
pub const CREDIT_VINTAGE_PARTLY_AFTER: Rule = Rule {
    code: "CREDIT_VINTAGE_PARTLY_AFTER",
    severity: Severity::Warning,
    excludes: false,
    refuses: false,
    confirmed: true,
    citation: "ISO 14068-1:2023 clause 11 (ex post)",
    en: "The vintage ends after the period the credit is retired for: part of the reductions came later.",
    zh: "年份期结束于注销所对应期间之后：部分减排发生在该期间之后。",
};
pub const CREDIT_VINTAGE_UNKNOWN: Rule = Rule {
    code: "CREDIT_VINTAGE_UNKNOWN",
    severity: Severity::Warning,
    excludes: false,
    refuses: false,
    confirmed: true,
    citation: "ISO 14068-1:2023 clause 11 (documented information on the credits; sub-clause 11.4 per one secondary source)",
    en: "No vintage is known, so the ex post rule could not be checked.",
    zh: "年份期未知，无法核对事后签发要求。",
};
pub const CREDIT_RETIRED_LATE_ISO14068: Rule = Rule {
    code: "CREDIT_RETIRED_LATE_ISO14068",
    severity: Severity::Error,
    excludes: true,
    refuses: false,
    confirmed: true,
    citation: ISO_11,
    en: "Retired more than 12 months after the end of the period it is retired for.",
    zh: "注销日期晚于所对应期间结束后 12 个月。",
};
pub const CREDIT_RETIRED_LATE_PAS2060: Rule = Rule {
    code: "CREDIT_RETIRED_LATE_PAS2060",
    severity: Severity::Error,
    excludes: true,
    refuses: false,
    confirmed: true,
    citation: PAS_912,
    en: "Retired more than 12 months after the declaration of achievement.",
    zh: "注销日期晚于达成声明日期后 12 个月。",
};
pub const CREDIT_NO_PERIOD: Rule = Rule {
    code: "CREDIT_NO_PERIOD",
    severity: Severity::Error,
    excludes: true,
    refuses: false,
    confirmed: true,
    citation: "ISO 14068-1:2023 clause 11 (credits retired for the period the claim covers)",
    en: "A retired credit without the year it is retired for.",
    zh: "已注销的信用未注明所对应的年份。",
};
pub const CREDIT_NOT_RETIRED: Rule = Rule {
    code: "CREDIT_NOT_RETIRED",
    severity: Severity::Info,
    excludes: true,
    refuses: false,
    confirmed: true,
    citation: "ISO 14068-1:2023 clause 11 (only retired credits count)",
    en: "The credit is held, not retired: it does not count yet.",
    zh: "信用仍为持有状态，尚未注销：暂不计入。",
};
pub const CREDIT_VOID: Rule = Rule {
    code: "CREDIT_VOID",
    severity: Severity::Info,
    excludes: true,
    refuses: false,
    confirmed: true,
    citation: "Lingtan: a void record is kept for the audit trail and never counted",
    en: "The credit record was voided.",
    zh: "该信用记录已作废。",
};
pub const CREDIT_NO_STATEMENT: Rule = Rule {
    code: "CREDIT_NO_STATEMENT",
    severity: Severity::Warning,
    excludes: false,
    refuses: false,
    confirmed: true,
    citation: "ISO 14068-1:2023 clause 11 (documented information; sub-clause 11.4 per one secondary source); PAS 2060:2014 clause 9",
    en: "No retirement statement from the registry is attached.",
    zh: "未附登记处出具的注销证明。",
};
pub const CREDIT_VINTAGE_OLD: Rule = Rule {
    code: "CREDIT_VINTAGE_OLD",
    severity: Severity::Warning,
    excludes: false,
    refuses: false,
    confirmed: false,
    citation: "Lingtan disclosure (issue 16): no standard read sets a vintage age limit; buyers and certifiers question old vintages",
    en: "The vintage ended more than 5 years before the period the credit is retired for.",
    zh: "年份期结束于所对应期间开始前 5 年以上。",
};
pub const CREDIT_TYPE_UNSTATED: Rule = Rule {
    code: "CREDIT_TYPE_UNSTATED",
    severity: Severity::Warning,
    excludes: false,
    refuses: false,
    confirmed: true,
    citation: "Oxford Offsetting Principles (2024 revision): disclose avoidance versus removal",
    en: "Whether the credit is an avoidance or a removal is not stated: the split cannot be disclosed.",
    zh: "未注明该信用属于避免排放还是清除：无法披露二者构成。",
};
pub const CREDIT_RETIREMENT_INVALID: Rule = Rule {
    code: "CREDIT_RETIREMENT_INVALID",
    severity: Severity::Error,
    excludes: true,
    refuses: true,
    confirmed: true,
    citation: "Lingtan: a retirement is recorded once it happened, for the organisation and a claim year",
    en: "A retirement without its date, beneficiary or year, dated after the project's today, before the credit was bought or before its vintage starts, or of a credit already retired or void.",
    zh: "注销缺少日期、受益方或年份，日期晚于项目当前日期或早于信用登记日期，或信用已注销或已作废。",
};

pub const CREDIT_RECORD_UNREADABLE: Rule = Rule {
    code: "CREDIT_RECORD_UNREADABLE",
    severity: Severity::Error,
    excludes: true,
    refuses: false,
    confirmed: true,
    citation: "Lingtan: a block counts only while its serial reads as its registry's",
    en: "The recorded block no longer reads as its registry's serial (changed outside Lingtan, or recorded by another version): it is left out until it is corrected.",
    zh: "已登记的区块不再符合其登记处的序列号格式（在本软件之外被修改，或由其他版本登记）：在更正之前不予计入。",
};

/// The rules of this module.
pub const RULES: &[Rule] = &[
    CREDIT_BENEFICIARY_OTHER,
    CREDIT_BENEFICIARY_PARTIAL,
    CREDIT_VINTAGE_AFTER_PERIOD,
    CREDIT_VINTAGE_PARTLY_AFTER,
    CREDIT_VINTAGE_UNKNOWN,
    CREDIT_RETIRED_LATE_ISO14068,
    CREDIT_RETIRED_LATE_PAS2060,
    CREDIT_NO_PERIOD,
    CREDIT_NOT_RETIRED,
    CREDIT_VOID,
    CREDIT_NO_STATEMENT,
    CREDIT_VINTAGE_OLD,
    CREDIT_TYPE_UNSTATED,
    CREDIT_RETIREMENT_INVALID,
    CREDIT_RECORD_UNREADABLE,
];

/// Avoidance (reductions) or removal (taken out of the atmosphere).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CreditType {
    Avoidance,
    Removal,
}

impl CreditType {
    pub fn code(self) -> &'static str {
        match self {
            CreditType::Avoidance => "avoidance",
            CreditType::Removal => "removal",
        }
    }

    pub fn parse(text: &str) -> Option<CreditType> {
        match text.trim().to_ascii_lowercase().as_str() {
            "avoidance" | "reduction" | "避免" | "减排" => Some(CreditType::Avoidance),
            "removal" | "清除" | "移除" => Some(CreditType::Removal),
            _ => None,
        }
    }
}

/// One credit block (what `lingtan credit list --json` lists; the serial's fields inline).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Credit {
    pub id: i64,
    #[serde(flatten)]
    pub serial: Serial,
    /// Project name.
    pub project: Option<String>,
    pub methodology: Option<String>,
    #[serde(rename = "type")]
    pub kind: Option<CreditType>,
    /// CCP, CORSIA, Article 6 authorisation, CCB …
    pub labels: Vec<String>,
    pub status: Status,
    /// Retirement date.
    pub retired: Option<NaiveDate>,
    /// Beneficiary (Gold Standard: "using entity").
    pub beneficiary: Option<String>,
    /// The year (claim period) it is retired for.
    pub for_year: Option<i32>,
    pub reason: Option<String>,
    /// The retirement statement attached (its hash or id; opaque here).
    pub evidence: Option<String>,
}

/// The event the 12-month retirement window counts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "from", content = "date")]
pub enum Window {
    /// ISO 14068-1:2023: the end of the period the claim covers.
    PeriodEnd,
    /// PAS 2060:2014: the date of the declaration of achievement.
    Declaration(NaiveDate),
}

/// What the credit checks need to know.
#[derive(Debug, Clone, Copy)]
pub struct CreditContext<'a> {
    /// The organisation's names a beneficiary must match.
    pub organisation: &'a [String],
    pub window: Window,
}

/// The period a credit is retired for: the calendar year.
fn period(year: i32) -> Option<(NaiveDate, NaiveDate)> {
    Some((
        NaiveDate::from_ymd_opt(year, 1, 1)?,
        NaiveDate::from_ymd_opt(year, 12, 31)?,
    ))
}

/// The last day a credit may be retired under `window` for `year`'s claim.
pub fn retire_by(window: Window, year: i32) -> Option<NaiveDate> {
    let event = match window {
        Window::PeriodEnd => period(year)?.1,
        Window::Declaration(date) => date,
    };
    event.checked_add_months(Months::new(12))
}

/// Refuse a retirement that cannot be right, before anything is written: `purchased` is the day
/// the credit was bought, where known (a retirement cannot precede it; the day it was recorded in
/// the project is not that day: a block retired at the registry may be recorded later), `today`
/// the project's clock.
pub fn validate_retirement(
    credit: &Credit,
    date: NaiveDate,
    beneficiary: &str,
    for_year: i32,
    purchased: Option<NaiveDate>,
    today: NaiveDate,
) -> Result<(), Refusal> {
    let refuse = |field: &str, en: String, zh: String| {
        Err(Refusal::of(&CREDIT_RETIREMENT_INVALID, field, en, zh))
    };
    match credit.status {
        Status::Retired => {
            return refuse(
                "id",
                format!(
                    "credit #{} is already retired (on {}); a credit is retired once",
                    credit.id,
                    credit.retired.map(|d| d.to_string()).unwrap_or_default()
                ),
                format!(
                    "信用 #{} 已注销（{}）；同一信用只能注销一次",
                    credit.id,
                    credit.retired.map(|d| d.to_string()).unwrap_or_default()
                ),
            )
        }
        Status::Void => {
            return refuse(
                "id",
                format!("credit #{} is void and cannot be retired", credit.id),
                format!("信用 #{} 已作废，不能注销", credit.id),
            )
        }
        Status::Held => {}
    }
    if beneficiary.trim().is_empty() {
        return refuse(
            "beneficiary",
            "beneficiary: name the beneficiary written on the registry's retirement".into(),
            "受益方：请填写登记处注销记录上的受益方".into(),
        );
    }
    if date > today {
        return refuse(
            "date",
            format!("date: {date} is after the project's today ({today}); record a retirement once it happened"),
            format!("日期：{date} 晚于项目当前日期（{today}）；注销发生后再登记"),
        );
    }
    if let Some(p) = purchased.filter(|p| date < *p) {
        return refuse(
            "date",
            format!("date: {date} is before the credit was bought ({p}); a credit is retired after it is bought"),
            format!("日期：{date} 早于该信用的购买日期（{p}）；信用须购买后注销"),
        );
    }
    if let Some(v) = credit.serial.vintage {
        if date < v.start() {
            return refuse(
                "date",
                format!("date: {date} is before the credit's vintage starts ({}); a credit cannot be retired before its reductions happened", v.start()),
                format!("日期：{date} 早于该信用年份期开始日期（{}）；减排发生之前不能注销", v.start()),
            );
        }
    }
    if !(1990..=2100).contains(&for_year) || for_year > today.year() {
        return refuse(
            "for_year",
            format!(
                "for_year: {for_year} is not a claim year up to {}",
                today.year()
            ),
            format!("年份：{for_year} 不是 {} 年及以前的声明年份", today.year()),
        );
    }
    Ok(())
}

/// Check one credit. The serial's own notes come first.
pub fn assess(credit: &Credit, ctx: &CreditContext) -> Assessment {
    let mut a = Assessment::default();
    for note in &credit.serial.notes {
        a.push(note.clone());
    }
    match credit.status {
        Status::Void => {
            a.push(Check::new(
                &CREDIT_VOID,
                "this block was voided: kept in the record, not counted".to_string(),
                "该信用已作废：保留记录，不予计入".to_string(),
            ));
            return a;
        }
        Status::Held => {
            a.push(Check::new(
                &CREDIT_NOT_RETIRED,
                "this block is held: it counts once retired for a year".to_string(),
                "该信用仍为持有状态：注销后方可计入".to_string(),
            ));
            if credit.kind.is_none() {
                type_unstated(&mut a);
            }
            return a;
        }
        Status::Retired => {}
    }
    match credit.beneficiary.as_deref() {
        Some(b) => match match_beneficiary(ctx.organisation, b) {
            NameMatch::Exact => {}
            NameMatch::Contains => a.push(Check::new(
                &CREDIT_BENEFICIARY_PARTIAL,
                format!("this block was retired for '{b}', which contains the organisation's name with more text: check it names the organisation"),
                format!("该信用的注销受益方为“{b}”，包含本组织名称及其他文字：请核对是否指本组织"),
            )),
            NameMatch::None => a.push(Check::new(
                &CREDIT_BENEFICIARY_OTHER,
                format!("this block was retired for '{b}', not for the organisation ({}): it cannot count for it", ctx.organisation.join(" / ")),
                format!("该信用的注销受益方为“{b}”，不是本组织（{}）：不能计入", ctx.organisation.join(" / ")),
            )),
        },
        None => a.push(Check::new(
            &CREDIT_BENEFICIARY_OTHER,
            "this block is retired without a beneficiary: it cannot be shown to count for the organisation".to_string(),
            "该信用注销时未注明受益方：无法证明计入本组织".to_string(),
        )),
    }
    let Some((year, (start, end))) = credit.for_year.and_then(|y| Some((y, period(y)?))) else {
        a.push(Check::new(
            &CREDIT_NO_PERIOD,
            "this block is retired for no year: record the claim year it is retired for"
                .to_string(),
            "该信用未注明所对应的声明年份：请补充".to_string(),
        ));
        return a;
    };
    match credit.serial.vintage {
        None => a.push(Check::new(
            &CREDIT_VINTAGE_UNKNOWN,
            "this block has no vintage: the ex post rule (reductions before the period ends) could not be checked; give the vintage".to_string(),
            "该信用无年份期：无法核对事后签发要求（减排须发生在期间结束前）；请补充年份期".to_string(),
        )),
        Some(v) => {
            if v.start() > end {
                a.push(Check::new(
                    &CREDIT_VINTAGE_AFTER_PERIOD,
                    format!("this block has vintage {v}, which starts after {year}, the period it is retired for: credits count ex post only"),
                    format!("该信用的年份期为 {v}，开始于所对应的 {year} 年之后：信用只能事后计入"),
                ));
            } else if v.end() > end {
                a.push(Check::new(
                    &CREDIT_VINTAGE_PARTLY_AFTER,
                    format!("this block has vintage {v}, which ends after {year}: part of its reductions came after the period it is retired for; disclose it"),
                    format!("该信用的年份期为 {v}，结束于 {year} 年之后：部分减排发生在所对应期间之后；须披露"),
                ));
            }
            let five_before = NaiveDate::from_ymd_opt(year - 5, 1, 1).unwrap_or(start);
            if v.end() < five_before {
                a.push(Check::new(
                    &CREDIT_VINTAGE_OLD,
                    format!("this block has vintage {v}, more than 5 years before {year}: disclose the vintage"),
                    format!("该信用的年份期为 {v}，早于 {year} 年 5 年以上：须披露年份期"),
                ));
            }
        }
    }
    if let (Some(date), Some(deadline)) = (credit.retired, retire_by(ctx.window, year)) {
        if date > deadline {
            let (rule, en, zh) = match ctx.window {
                Window::PeriodEnd => (
                    &CREDIT_RETIRED_LATE_ISO14068,
                    format!("this block was retired {date}, more than 12 months after the end of {year} (by {deadline}, ISO 14068-1 clause 11)"),
                    format!("该信用于 {date} 注销，晚于 {year} 年结束后 12 个月（应在 {deadline} 前，ISO 14068-1 第 11 章）"),
                ),
                Window::Declaration(d) => (
                    &CREDIT_RETIRED_LATE_PAS2060,
                    format!("this block was retired {date}, more than 12 months after the declaration of achievement of {d} (by {deadline}, PAS 2060 9.1.2)"),
                    format!("该信用于 {date} 注销，晚于 {d} 达成声明后 12 个月（应在 {deadline} 前，PAS 2060 9.1.2）"),
                ),
            };
            a.push(Check::new(rule, en, zh));
        }
    }
    if credit.evidence.is_none() {
        a.push(Check::new(
            &CREDIT_NO_STATEMENT,
            "no retirement statement attached; attach the registry's certificate or page"
                .to_string(),
            "未附注销证明；请附登记处出具的证明或页面".to_string(),
        ));
    }
    if credit.kind.is_none() {
        type_unstated(&mut a);
    }
    a
}

fn type_unstated(a: &mut Assessment) {
    a.push(Check::new(
        &CREDIT_TYPE_UNSTATED,
        "avoidance or removal is not stated; the split of the credits cannot be disclosed"
            .to_string(),
        "未注明避免排放或清除；无法披露信用构成".to_string(),
    ));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::offset::serial::{read, Given, Registry};

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    pub(crate) fn retired_verra(vintage_from: &str, vintage_to: &str, on: &str) -> Credit {
        let serial = read(
            Registry::Verra,
            &format!("19380-941382555-941382741-VCS-VCU-1310-VER-CN-13-3005-{vintage_from}-{vintage_to}-0"),
            &Given::default(),
        )
        .unwrap();
        Credit {
            id: 1,
            serial,
            project: Some("Tongxu Biogas".into()),
            methodology: None,
            kind: Some(CreditType::Avoidance),
            labels: Vec::new(),
            status: Status::Retired,
            retired: Some(date(on)),
            beneficiary: Some("Anji Demo Co".into()),
            for_year: Some(2025),
            reason: None,
            evidence: Some("sha256:…".into()),
        }
    }

    fn iso(org: &[String]) -> CreditContext<'_> {
        CreditContext {
            organisation: org,
            window: Window::PeriodEnd,
        }
    }

    #[test]
    fn a_good_retirement_passes() {
        let org = vec!["Anji Demo Co".to_string()];
        let c = retired_verra("01012025", "31122025", "2026-03-01");
        let a = assess(&c, &iso(&org));
        assert!(
            a.checks.is_empty(),
            "a good retirement passes: {:?}",
            a.codes()
        );
    }

    #[test]
    fn the_retirement_window_counts_twelve_months_from_the_chosen_event() {
        let org = vec!["Anji Demo Co".to_string()];
        let on_time = retired_verra("01012025", "31122025", "2026-12-31");
        assert!(
            !assess(&on_time, &iso(&org)).excluded,
            "the last day of the window"
        );
        let late = retired_verra("01012025", "31122025", "2027-01-01");
        let a = assess(&late, &iso(&org));
        assert_eq!(
            a.codes(),
            vec!["CREDIT_RETIRED_LATE_ISO14068"],
            "the retirement window counts twelve months from the chosen event"
        );
        assert!(
            a.excluded,
            "the retirement window counts twelve months from the chosen event"
        );
        let pas = CreditContext {
            organisation: &org,
            window: Window::Declaration(date("2026-03-31")),
        };
        assert!(
            !assess(&late, &pas).excluded,
            "within 12 months of a 2026-03-31 declaration"
        );
        let a = assess(&retired_verra("01012025", "31122025", "2027-04-01"), &pas);
        assert_eq!(
            a.codes(),
            vec!["CREDIT_RETIRED_LATE_PAS2060"],
            "the retirement window counts twelve months from the chosen event"
        );
    }

    #[test]
    fn a_vintage_after_the_period_is_excluded_an_old_one_disclosed() {
        let org = vec!["Anji Demo Co".to_string()];
        let future = retired_verra("01012026", "31122026", "2026-06-01");
        assert_eq!(
            assess(&future, &iso(&org)).codes(),
            vec!["CREDIT_VINTAGE_AFTER_PERIOD"],
            "a vintage after the period is excluded an old one disclosed"
        );
        let old = retired_verra("01012019", "31122019", "2026-01-10");
        let a = assess(&old, &iso(&org));
        assert_eq!(
            a.codes(),
            vec!["CREDIT_VINTAGE_OLD"],
            "a vintage after the period is excluded an old one disclosed"
        );
        assert!(
            !a.excluded,
            "a vintage after the period is excluded an old one disclosed"
        );
        let five = retired_verra("01012020", "31122020", "2026-01-10");
        assert!(
            assess(&five, &iso(&org)).checks.is_empty(),
            "2020 is not more than 5 years before 2025"
        );
    }

    #[test]
    fn another_beneficiary_is_excluded() {
        let org = vec!["Anji Demo Co".to_string()];
        let mut c = retired_verra("01012025", "31122025", "2026-03-01");
        c.beneficiary = Some("Somebody Else Ltd".into());
        let a = assess(&c, &iso(&org));
        assert_eq!(
            a.codes(),
            vec!["CREDIT_BENEFICIARY_OTHER"],
            "another beneficiary is excluded"
        );
        assert!(a.excluded, "another beneficiary is excluded");
    }

    #[test]
    fn retiring_twice_or_in_the_future_is_refused() {
        let c = retired_verra("01012025", "31122025", "2026-03-01");
        let today = date("2026-04-01");
        let e = validate_retirement(&c, today, "Anji", 2025, None, today).unwrap_err();
        assert_eq!(
            (e.code, e.field.as_deref()),
            ("CREDIT_RETIREMENT_INVALID", Some("id")),
            "retiring twice or in the future is refused"
        );
        let mut held = c.clone();
        held.status = Status::Held;
        let e =
            validate_retirement(&held, date("2026-04-02"), "Anji", 2025, None, today).unwrap_err();
        assert_eq!(
            e.field.as_deref(),
            Some("date"),
            "retiring twice or in the future is refused"
        );
        assert!(
            validate_retirement(&held, today, "Anji", 2025, None, today).is_ok(),
            "retiring twice or in the future is refused"
        );
        let e =
            validate_retirement(&held, date("2024-12-31"), "Anji", 2025, None, today).unwrap_err();
        assert!(
            e.en.contains("before the credit's vintage"),
            "retiring twice or in the future is refused: {}",
            e.en
        );
    }
}
