//! Energy attribute certificates (EACs) and their allocation to the market-based scope 2.
//!
//! A certificate (China's GEC 绿证, a green-power trade 绿电交易, I-REC, GO, REC, other) conveys the
//! zero-emission attribute of MWh generated in a period. Retired (cancelled, 核销) for the
//! organisation, valid and from the same market as the consumption, it covers electricity of the
//! claim year at its sites; the rest keeps today's market basis (supplier factor, else residual
//! mix, else grid with a disclosure). Location-based scope 2 is never changed.
//!
//! Checks ([`assess`]; ✗ = excludes the certificate):
//! - ✗ not retired, or retired for another beneficiary; ✗ void; ✗ the same id recorded before;
//! - ✗ a GEC (or a green-power trade's GEC) used after its validity: 2 years from the generation
//!   month inclusive — expiry = last day of (generation month + 23 months) — except generation
//!   before 2024-01, valid to 2025-12-31 (NEA rules of 5 Sep 2024); the earliest generation month
//!   of the record counts;
//! - ✗ an I-REC for Chinese generation after 2024-12 (I-TRACK stopped for China);
//! - ✗ no site it may cover is in its market (an EU GO for a plant in China);
//! - warnings: generation not in the claim year, a non-tradable GEC bought from a third party, a
//!   plant that is also a CCER project in the credit ledger (国能综通新能〔2024〕124号), unused MWh
//!   (from [`allocate`]), a GEC id that is not 32 digits (unconfirmed format), an unstated
//!   technology for a non-GEC certificate.
//!
//! A certificate is claimed for one year (`for_year`, by default the year its generation period
//! ends): what it does not cover that year is reported unused and never carried to another year.
//!
//! [`allocate`] is deterministic: certificates ordered by how few sites they may cover (so a
//! certificate tied to one site is not starved by one that may cover any), then generation period,
//! then id; each fills the consumption slices of its sites in (site, source, month) order, never
//! more than the slice's kWh. Each slice reports the kWh covered and by which certificates.

use super::{
    fold_name, match_beneficiary, Assessment, Check, NameMatch, Refusal, Rule, Status, YearMonth,
};
use crate::error::Field;
use crate::issue::{Issue, Severity};
use crate::source::Site;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

const SCOPE2_TABLE71: &str = "GHG Protocol Scope 2 Guidance (2015) Table 7.1 quality criteria (retired or cancelled by or for the reporting entity, per OFFSET.md)";
const SAME_MARKET: &str = "GHG Protocol Scope 2 Guidance (2015) Table 7.1 quality criteria (same market as the consumption, per OFFSET.md)";
const NEA_GEC_2024: &str = "NEA 《可再生能源绿色电力证书核发和交易规则》 (5 Sep 2024): valid 2 years from the generation month, output before 2024 valid to the end of 2025; 1 GEC = 1 MWh";

pub const EAC_NOT_RETIRED: Rule = Rule {
    code: "EAC_NOT_RETIRED",
    severity: Severity::Error,
    excludes: true,
    refuses: false,
    confirmed: true,
    citation: "GHG Protocol Scope 2 Guidance (2015) Table 7.1 quality criteria (retired or cancelled by or for the reporting entity, per OFFSET.md); a GEC claim needs its cancellation (核销), a purchase is not one (NEA rules 2024, research notes §5)",
    en: "The certificate is held, not retired (cancelled) for a consumption claim.",
    zh: "证书仍为持有状态，尚未为消费声明注销（核销）。",
};
pub const EAC_BENEFICIARY_OTHER: Rule = Rule {
    code: "EAC_BENEFICIARY_OTHER",
    severity: Severity::Error,
    excludes: true,
    refuses: false,
    confirmed: true,
    citation: SCOPE2_TABLE71,
    en: "The certificate was retired for another beneficiary than the organisation.",
    zh: "证书注销的受益方不是本组织。",
};
pub const EAC_BENEFICIARY_PARTIAL: Rule = Rule {
    code: "EAC_BENEFICIARY_PARTIAL",
    severity: Severity::Warning,
    excludes: false,
    refuses: false,
    confirmed: true,
    citation: SCOPE2_TABLE71,
    en: "The beneficiary contains the organisation's name with more text: a reviewer reads it.",
    zh: "受益方包含本组织名称及其他文字：需人工核对。",
};
pub const EAC_VOID: Rule = Rule {
    code: "EAC_VOID",
    severity: Severity::Info,
    excludes: true,
    refuses: false,
    confirmed: true,
    citation: "Lingtan: a void record is kept for the audit trail and never counted",
    en: "The certificate record was voided.",
    zh: "该证书记录已作废。",
};
pub const EAC_OTHER_YEAR: Rule = Rule {
    code: "EAC_OTHER_YEAR",
    severity: Severity::Info,
    excludes: true,
    refuses: false,
    confirmed: true,
    citation: "GHG Protocol Scope 2 Guidance (2015) Table 7.1 quality criteria (the only instrument claiming the attribute, per OFFSET.md); Lingtan: a certificate is claimed for one year",
    en: "The certificate is claimed for another year.",
    zh: "该证书用于其他年份的声明。",
};
pub const EAC_DUPLICATE_ID: Rule = Rule {
    code: "EAC_DUPLICATE_ID",
    severity: Severity::Error,
    excludes: true,
    refuses: false,
    confirmed: true,
    citation: "GHG Protocol Scope 2 Guidance (2015) Table 7.1 quality criteria (the only instrument claiming the attribute, per OFFSET.md)",
    en: "A certificate with the same type and id was recorded before: the later one is left out.",
    zh: "已登记过相同类型和编号的证书：较晚的记录不予计入。",
};
pub const EAC_EXPIRED: Rule = Rule {
    code: "EAC_EXPIRED",
    severity: Severity::Error,
    excludes: true,
    refuses: false,
    confirmed: true,
    citation: NEA_GEC_2024,
    en: "A GEC retired (or, while held, at the end of the claim year) after its validity: 2 years from the generation month inclusive, output before 2024 to 2025-12-31.",
    zh: "绿证注销时（持有中则按声明年末）已超过有效期：自生产月份起 2 年（含当月），2024 年以前的电量有效期至 2025-12-31。",
};
pub const EAC_IREC_CHINA_CUTOFF: Rule = Rule {
    code: "EAC_IREC_CHINA_CUTOFF",
    severity: Severity::Error,
    excludes: true,
    refuses: false,
    confirmed: true,
    citation: "I-TRACK Foundation notice (Sep 2024) and Ecohz (2025): no I-REC for Chinese generation after 31 Dec 2024, issuance closed 31 Mar 2025 (research notes §5)",
    en: "An I-REC for generation in China after 2024-12.",
    zh: "中国境内 2024 年 12 月以后发电量的 I-REC。",
};
pub const EAC_MARKET_MISMATCH: Rule = Rule {
    code: "EAC_MARKET_MISMATCH",
    severity: Severity::Error,
    excludes: true,
    refuses: false,
    confirmed: true,
    citation: "GHG Protocol Scope 2 Guidance (2015) Table 7.1 quality criteria (same market as the consumption, per OFFSET.md). The market lists are Lingtan's own, not from a source read: GEC China; GO EU/EEA and Switzerland; REC United States and Canada; I-REC and other by their region",
    en: "No site the certificate may cover is in its market.",
    zh: "证书可覆盖的场所均不在其所属市场内。",
};
pub const EAC_MARKET_SITES_SKIPPED: Rule = Rule {
    code: "EAC_MARKET_SITES_SKIPPED",
    severity: Severity::Info,
    excludes: false,
    refuses: false,
    confirmed: true,
    citation: SAME_MARKET,
    en: "Some sites the certificate names are outside its market: it covers only the others.",
    zh: "证书所列部分场所不在其所属市场内：仅覆盖其余场所。",
};
pub const EAC_MARKET_UNKNOWN: Rule = Rule {
    code: "EAC_MARKET_UNKNOWN",
    severity: Severity::Warning,
    excludes: false,
    refuses: false,
    confirmed: true,
    citation: SAME_MARKET,
    en: "The certificate's market or a site's country is not known, so the same-market criterion could not be checked.",
    zh: "证书所属市场或场所所在国家未知，无法核对“同一市场”要求。",
};
pub const EAC_SITE_UNKNOWN: Rule = Rule {
    code: "EAC_SITE_UNKNOWN",
    severity: Severity::Error,
    excludes: true,
    refuses: false,
    confirmed: true,
    citation: "Lingtan: a certificate covers the consumption of named sites of the project",
    en: "The certificate names a site the project does not have.",
    zh: "证书所列场所不在本项目中。",
};
pub const EAC_PERIOD_OUTSIDE_YEAR: Rule = Rule {
    code: "EAC_PERIOD_OUTSIDE_YEAR",
    severity: Severity::Warning,
    excludes: false,
    refuses: false,
    confirmed: true,
    citation: "GHG Protocol Scope 2 Guidance (2015) Table 7.1 quality criteria (issued and redeemed as close as possible to the period of consumption; no fixed window — the 6-months-before/3-after window is Green-e's, per OFFSET.md)",
    en: "The generation period is not inside the claim year.",
    zh: "发电期间不在声明年份内。",
};
pub const EAC_OWN_GENERATION_ONSITE: Rule = Rule {
    code: "EAC_OWN_GENERATION_ONSITE",
    severity: Severity::Info,
    excludes: true,
    refuses: false,
    confirmed: true,
    citation: "GHG Protocol Scope 2 Guidance (2015) §7.4 and Table 7.1 (an attribute is claimed once; on-site generation consumed on site is already zero-emission energy outside the grid consumption)",
    en: "Certificates of the organisation's own generation at a site whose on-site generation the project already counts as used on site.",
    zh: "证书为本组织自有电站所发电量，而该场所的自发自用电量已按现场使用计入。",
};
pub const EAC_NONTRADABLE_PURCHASED: Rule = Rule {
    code: "EAC_NONTRADABLE_PURCHASED",
    severity: Severity::Warning,
    excludes: false,
    refuses: false,
    confirmed: true,
    citation: "NEA rules (5 Sep 2024): self-consumed output, off-grid output and hydro commissioned before 2023 receive non-tradable GECs, which move only with the settled electricity",
    en: "A GEC marked non-tradable was bought from a third party.",
    zh: "标记为不可交易的绿证系从第三方购得。",
};
pub const EAC_CCER_DOUBLE_CLAIM: Rule = Rule {
    code: "EAC_CCER_DOUBLE_CLAIM",
    severity: Severity::Warning,
    excludes: false,
    refuses: false,
    confirmed: true,
    citation: "国能综通新能〔2024〕124号 (NEA + MEE, 11 Sep 2024): the same output may not earn both GECs and CCERs",
    en: "The certificate's plant also appears in the credit ledger as a CCER project: the same output may not be claimed twice.",
    zh: "证书的发电项目同时作为 CCER 项目出现在碳信用台账中：同一电量不得重复声明。",
};
pub const EAC_MWH_BEYOND_CONSUMPTION: Rule = Rule {
    code: "EAC_MWH_BEYOND_CONSUMPTION",
    severity: Severity::Warning,
    excludes: false,
    refuses: false,
    confirmed: true,
    citation: "Lingtan: instruments are applied to the consumption they cover, never more (OFFSET.md); peer VERIFI issue #1352 moved excess certificates to the residual mix after users mis-stated scope 2",
    en: "The certificate holds more MWh than the consumption it may cover in the claim year: the rest is unused and not carried to another year.",
    zh: "证书电量超过其在声明年份内可覆盖的用电量：剩余部分不使用，也不结转至其他年份。",
};
pub const EAC_GEC_ID_FORMAT: Rule = Rule {
    code: "EAC_GEC_ID_FORMAT",
    severity: Severity::Warning,
    excludes: false,
    refuses: false,
    confirmed: false,
    citation: "One secondary source (易碳家, 2025-03-26): a GEC code is 32 digits (17 project filing code + 15 production date, sequence, classes); no real code seen (research notes §5)",
    en: "A GEC id that is not 32 digits.",
    zh: "绿证编号不是 32 位数字。",
};
pub const EAC_TECHNOLOGY_UNSTATED: Rule = Rule {
    code: "EAC_TECHNOLOGY_UNSTATED",
    severity: Severity::Warning,
    excludes: false,
    refuses: false,
    confirmed: false,
    citation: "GHG Protocol Scope 2 Guidance (2015) Table 7.1 quality criteria (the instrument conveys the emission-rate attribute, per OFFSET.md); that GOs and I-RECs are also issued for non-renewable generation is Lingtan's understanding, not from a source read",
    en: "The technology of a non-GEC certificate is not stated (or 'other'): a zero-emission attribute is assumed.",
    zh: "非绿证类证书未注明发电技术（或为“其他”）：按零排放属性处理。",
};
pub const EAC_MWH_INVALID: Rule = Rule {
    code: "EAC_MWH_INVALID",
    severity: Severity::Error,
    excludes: true,
    refuses: true,
    confirmed: true,
    citation: NEA_GEC_2024,
    en: "MWh not positive, beyond 10^9, or (GEC) not whole certificates of 1 MWh.",
    zh: "电量不为正、超过 10^9，或（绿证）不是以 1 MWh 为单位的整数张。",
};
pub const EAC_PERIOD_REVERSED: Rule = Rule {
    code: "EAC_PERIOD_REVERSED",
    severity: Severity::Error,
    excludes: true,
    refuses: true,
    confirmed: true,
    citation: "Lingtan: a generation period runs forwards",
    en: "The generation period ends before it starts.",
    zh: "发电期间的结束早于开始。",
};
pub const EAC_ID_INVALID: Rule = Rule {
    code: "EAC_ID_INVALID",
    severity: Severity::Error,
    excludes: true,
    refuses: true,
    confirmed: true,
    citation: "Lingtan: a certificate is named by its registry id, kept verbatim",
    en: "The certificate id is empty, longer than 100 characters or holds control characters.",
    zh: "证书编号为空、超过 100 个字符或含控制字符。",
};
pub const EAC_RETIREMENT_INVALID: Rule = Rule {
    code: "EAC_RETIREMENT_INVALID",
    severity: Severity::Error,
    excludes: true,
    refuses: true,
    confirmed: true,
    citation: "GHG Protocol Scope 2 Guidance (2015) Table 7.1 quality criteria (retired or cancelled by or for the reporting entity, per OFFSET.md)",
    en: "A retirement without its date or beneficiary, dated after the project's today, or a date or beneficiary on a certificate that is not retired.",
    zh: "注销缺少日期或受益方、日期晚于项目当前日期，或未注销的证书带有注销日期或受益方。",
};

/// The rules of this module.
pub const RULES: &[Rule] = &[
    EAC_NOT_RETIRED,
    EAC_BENEFICIARY_OTHER,
    EAC_BENEFICIARY_PARTIAL,
    EAC_VOID,
    EAC_OTHER_YEAR,
    EAC_DUPLICATE_ID,
    EAC_EXPIRED,
    EAC_IREC_CHINA_CUTOFF,
    EAC_MARKET_MISMATCH,
    EAC_MARKET_SITES_SKIPPED,
    EAC_MARKET_UNKNOWN,
    EAC_SITE_UNKNOWN,
    EAC_PERIOD_OUTSIDE_YEAR,
    EAC_NONTRADABLE_PURCHASED,
    EAC_OWN_GENERATION_ONSITE,
    EAC_CCER_DOUBLE_CLAIM,
    EAC_MWH_BEYOND_CONSUMPTION,
    EAC_GEC_ID_FORMAT,
    EAC_TECHNOLOGY_UNSTATED,
    EAC_MWH_INVALID,
    EAC_PERIOD_REVERSED,
    EAC_ID_INVALID,
    EAC_RETIREMENT_INVALID,
];

/// The kind of certificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EacType {
    /// China's green electricity certificate (绿证).
    Gec,
    /// A green-power trade (绿电交易); its GEC moves to the buyer at settlement.
    GreenPower,
    IRec,
    /// EU/EEA guarantee of origin.
    Go,
    /// North American renewable energy certificate.
    Rec,
    Other,
}

impl EacType {
    pub fn code(self) -> &'static str {
        match self {
            EacType::Gec => "gec",
            EacType::GreenPower => "green-power",
            EacType::IRec => "i-rec",
            EacType::Go => "go",
            EacType::Rec => "rec",
            EacType::Other => "other",
        }
    }

    pub fn parse(text: &str) -> Option<EacType> {
        let t = text.trim().to_ascii_lowercase().replace(['_', ' '], "-");
        Some(match t.as_str() {
            "gec" | "绿证" => EacType::Gec,
            "green-power" | "绿电" | "绿电交易" => EacType::GreenPower,
            "i-rec" | "irec" => EacType::IRec,
            "go" | "guarantee-of-origin" => EacType::Go,
            "rec" => EacType::Rec,
            "other" => EacType::Other,
            _ => return None,
        })
    }

    /// A GEC, on its own or from a green-power trade: the NEA rules apply.
    pub fn is_gec(self) -> bool {
        matches!(self, EacType::Gec | EacType::GreenPower)
    }
}

/// The generation technology.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Technology {
    Wind,
    Solar,
    Hydro,
    Biomass,
    Geothermal,
    Other,
}

impl Technology {
    pub fn code(self) -> &'static str {
        match self {
            Technology::Wind => "wind",
            Technology::Solar => "solar",
            Technology::Hydro => "hydro",
            Technology::Biomass => "biomass",
            Technology::Geothermal => "geothermal",
            Technology::Other => "other",
        }
    }

    pub fn parse(text: &str) -> Option<Technology> {
        Some(match text.trim().to_ascii_lowercase().as_str() {
            "wind" | "风电" => Technology::Wind,
            "solar" | "pv" | "光伏" | "太阳能" => Technology::Solar,
            "hydro" | "水电" => Technology::Hydro,
            "biomass" | "生物质" => Technology::Biomass,
            "geothermal" | "地热" => Technology::Geothermal,
            "other" | "其他" => Technology::Other,
            _ => return None,
        })
    }
}

/// How the organisation obtained the certificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Acquisition {
    /// Bought from a third party (a platform order, an exchange trade).
    Purchase,
    /// Issued for the organisation's own plant (self-consumed PV …).
    OwnGeneration,
    /// Moved with the electricity of a green-power trade.
    PowerTrade,
}

impl Acquisition {
    pub fn code(self) -> &'static str {
        match self {
            Acquisition::Purchase => "purchase",
            Acquisition::OwnGeneration => "own-generation",
            Acquisition::PowerTrade => "power-trade",
        }
    }

    pub fn parse(text: &str) -> Option<Acquisition> {
        match text
            .trim()
            .to_ascii_lowercase()
            .replace(['_', ' '], "-")
            .as_str()
        {
            "purchase" | "bought" => Some(Acquisition::Purchase),
            "own-generation" | "own" | "self" => Some(Acquisition::OwnGeneration),
            "power-trade" | "green-power-trade" => Some(Acquisition::PowerTrade),
            _ => None,
        }
    }
}

/// One certificate record (what `lingtan eac list --json` lists, with its checks beside it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Eac {
    #[serde(rename = "type")]
    pub kind: EacType,
    /// The registry's id, verbatim (a GEC code, an I-REC serial …).
    pub id: String,
    pub mwh: Decimal,
    /// First and last generation (production) month.
    pub from: YearMonth,
    pub to: YearMonth,
    /// Sites whose consumption it may cover; empty = all sites.
    pub sites: Vec<String>,
    pub technology: Option<Technology>,
    pub plant: Option<String>,
    /// Market or region of generation: a country (`CN`, `NO`), a Chinese province (`内蒙古`), a
    /// grid region (`CN-East`).
    pub region: Option<String>,
    pub tradable: Option<bool>,
    pub subsidy: Option<bool>,
    pub acquired: Option<Acquisition>,
    pub status: Status,
    /// Retirement (cancellation) date.
    pub retired: Option<NaiveDate>,
    pub beneficiary: Option<String>,
    /// The year whose consumption it is claimed for (default: the year the generation ends).
    pub for_year: Option<i32>,
    /// The evidence attached (its hash or id; opaque here).
    pub evidence: Option<String>,
}

impl Eac {
    /// The year whose consumption the certificate is claimed for.
    pub fn claim_year(&self) -> i32 {
        self.for_year.unwrap_or(self.to.year)
    }

    /// The last day a GEC may be retired: 2 years from its first generation month inclusive
    /// (last day of that month + 23 months); generation before 2024-01 to 2025-12-31. `None`
    /// for other certificates (no validity rule known).
    pub fn valid_until(&self) -> Option<NaiveDate> {
        if !self.kind.is_gec() {
            return None;
        }
        let cutoff = YearMonth {
            year: 2024,
            month: 1,
        };
        if self.from < cutoff {
            return NaiveDate::from_ymd_opt(2025, 12, 31);
        }
        Some(self.from.plus_months(23).last_day())
    }

    /// Where the certificate is, for messages: `gec 1234…`.
    pub fn label(&self) -> String {
        format!("{} {}", self.kind.code(), self.id)
    }
}

/// Refuse a certificate record that cannot be right, before anything is written. `today` is the
/// project's clock.
pub fn validate(eac: &Eac, today: NaiveDate) -> Result<(), Refusal> {
    let id = eac.id.trim();
    if id.is_empty() || id.chars().count() > 100 || id.chars().any(char::is_control) {
        return Err(Refusal::of(
            &EAC_ID_INVALID,
            "id",
            "id: give the certificate's id as the registry writes it (1–100 characters on one line)",
            "证书编号：请按登记系统的写法填写（1–100 个字符，一行）",
        ));
    }
    let limit = Decimal::from(1_000_000_000u32);
    if eac.mwh <= Decimal::ZERO || eac.mwh > limit {
        return Err(Refusal::of(
            &EAC_MWH_INVALID,
            "mwh",
            format!(
                "mwh: {} is not a positive number of MWh up to 10^9",
                eac.mwh
            ),
            format!("电量：{} 不是 10^9 以内的正数（MWh）", eac.mwh),
        ));
    }
    if eac.kind == EacType::Gec && !eac.mwh.fract().is_zero() {
        return Err(Refusal::of(
            &EAC_MWH_INVALID,
            "mwh",
            format!("mwh: {} MWh is not whole GECs: one GEC is 1 MWh (1,000 kWh) and remainders roll to the next month", eac.mwh.normalize()),
            format!("电量：{} MWh 不是整数张绿证：1 张绿证 = 1 MWh（1000 千瓦时），不足部分结转次月", eac.mwh.normalize()),
        ));
    }
    if eac.to < eac.from {
        return Err(Refusal::of(
            &EAC_PERIOD_REVERSED,
            "to",
            format!(
                "to: the generation period ends {} before it starts {}",
                eac.to, eac.from
            ),
            format!("至：发电期间结束月份 {} 早于开始月份 {}", eac.to, eac.from),
        ));
    }
    match eac.status {
        Status::Retired => {
            let Some(date) = eac.retired else {
                return Err(Refusal::of(
                    &EAC_RETIREMENT_INVALID,
                    "date",
                    "date: a retired certificate needs its retirement (cancellation) date",
                    "日期：已注销的证书须填写注销（核销）日期",
                ));
            };
            if eac
                .beneficiary
                .as_deref()
                .map(str::trim)
                .unwrap_or("")
                .is_empty()
            {
                return Err(Refusal::of(
                    &EAC_RETIREMENT_INVALID,
                    "beneficiary",
                    "beneficiary: a retired certificate needs the beneficiary named on its retirement",
                    "受益方：已注销的证书须填写注销记录上的受益方",
                ));
            }
            if date > today {
                return Err(Refusal::of(
                    &EAC_RETIREMENT_INVALID,
                    "date",
                    format!("date: {date} is after the project's today ({today}); a retirement is recorded once it happened"),
                    format!("日期：{date} 晚于项目当前日期（{today}）；注销发生后再登记"),
                ));
            }
        }
        Status::Held | Status::Void => {
            if eac.status == Status::Held && (eac.retired.is_some() || eac.beneficiary.is_some()) {
                return Err(Refusal::of(
                    &EAC_RETIREMENT_INVALID,
                    "date",
                    "date: a retirement date or beneficiary is given but the certificate is not marked retired",
                    "日期：填写了注销日期或受益方，但证书未标记为已注销",
                ));
            }
        }
    }
    Ok(())
}

/// Refuse a retirement of a certificate already recorded, before anything is written: the
/// certificate must be held (not retired already, not void), the beneficiary named, the date not
/// after `today` (the project's clock), not before the certificate was bought (`purchased`, where
/// known) and not before its generation started (a certificate is issued for electricity already
/// generated).
pub fn validate_retirement(
    eac: &Eac,
    date: NaiveDate,
    beneficiary: &str,
    purchased: Option<NaiveDate>,
    today: NaiveDate,
) -> Result<(), Refusal> {
    let refuse = |field: &str, en: String, zh: String| {
        Err(Refusal::of(&EAC_RETIREMENT_INVALID, field, en, zh))
    };
    let label = eac.label();
    match eac.status {
        Status::Retired => {
            return refuse(
                "id",
                format!(
                    "{label} is already retired (on {}); a certificate is retired once",
                    eac.retired.map(|d| d.to_string()).unwrap_or_default()
                ),
                format!(
                    "{label} 已注销（{}）；同一证书只能注销一次",
                    eac.retired.map(|d| d.to_string()).unwrap_or_default()
                ),
            )
        }
        Status::Void => {
            return refuse(
                "id",
                format!("{label} is void and cannot be retired"),
                format!("{label} 已作废，不能注销"),
            )
        }
        Status::Held => {}
    }
    if beneficiary.trim().is_empty() {
        return refuse(
            "beneficiary",
            "beneficiary: name the beneficiary written on the retirement (cancellation) record"
                .into(),
            "受益方：请填写注销（核销）记录上的受益方".into(),
        );
    }
    if date > today {
        return refuse(
            "date",
            format!("date: {date} is after the project's today ({today}); a retirement is recorded once it happened"),
            format!("日期：{date} 晚于项目当前日期（{today}）；注销发生后再登记"),
        );
    }
    if let Some(p) = purchased.filter(|p| date < *p) {
        return refuse(
            "date",
            format!("date: {date} is before the certificate was bought ({p}); a certificate is retired after it is bought"),
            format!("日期：{date} 早于证书的购买日期（{p}）；证书须购买后注销"),
        );
    }
    if date < eac.from.first_day() {
        return refuse(
            "date",
            format!("date: {date} is before the generation period starts ({}); a certificate is issued for electricity already generated", eac.from),
            format!("日期：{date} 早于发电期间开始（{}）；证书只能为已发的电量签发", eac.from),
        );
    }
    Ok(())
}

/// A site's market for the same-market criterion: its country, where known.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SiteMarket {
    pub name: String,
    /// ISO 3166 alpha-2.
    pub country: Option<String>,
    /// The site has an on-site generation source (rooftop PV …) whose output the project counts
    /// as used on site: certificates of the organisation's own generation cannot also cover the
    /// site's grid electricity ([`EAC_OWN_GENERATION_ONSITE`]).
    pub onsite_generation: bool,
}

impl SiteMarket {
    /// A site's market from its grid region (`CN-East` → `CN`).
    pub fn of(site: &Site) -> SiteMarket {
        SiteMarket {
            name: site.name.clone(),
            country: site.grid_region.as_deref().and_then(country_of_region),
            onsite_generation: false,
        }
    }
}

/// A CCER project of the credit ledger, for the GEC/CCER double-claim warning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CcerProject {
    pub project_id: Option<String>,
    pub name: Option<String>,
}

/// What the checks need to know about the project.
#[derive(Debug, Clone, Copy)]
pub struct EacContext<'a> {
    /// The claim (inventory) year.
    pub year: i32,
    /// The organisation's names (Chinese, English …) a beneficiary must match.
    pub organisation: &'a [String],
    pub sites: &'a [SiteMarket],
    pub ccer_projects: &'a [CcerProject],
}

/// A certificate's checks and the sites it may cover after them (in name order).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct EacAssessment {
    pub checks: Vec<Check>,
    pub excluded: bool,
    pub sites: Vec<String>,
}

impl EacAssessment {
    fn push(&mut self, check: Check) {
        self.excluded |= check.excludes;
        self.checks.push(check);
    }

    pub fn codes(&self) -> Vec<&'static str> {
        self.checks.iter().map(|c| c.code).collect()
    }

    /// As a plain assessment (checks and exclusion).
    pub fn assessment(&self) -> Assessment {
        Assessment {
            checks: self.checks.clone(),
            excluded: self.excluded,
        }
    }
}

const MAINLAND_PROVINCES: &[&str] = &[
    "北京",
    "天津",
    "河北",
    "山西",
    "内蒙古",
    "辽宁",
    "吉林",
    "黑龙江",
    "上海",
    "江苏",
    "浙江",
    "安徽",
    "福建",
    "江西",
    "山东",
    "河南",
    "湖北",
    "湖南",
    "广东",
    "广西",
    "海南",
    "重庆",
    "四川",
    "贵州",
    "云南",
    "西藏",
    "陕西",
    "甘肃",
    "青海",
    "宁夏",
    "新疆",
    "中国",
    "全国",
    "华北",
    "东北",
    "华东",
    "华中",
    "西北",
    "南方",
    "西南",
];

/// The country of a market or region as written: `CN`, `cn`, `CN-East`, `China`, a mainland
/// province (`内蒙古`, `内蒙古自治区`) or grid region (`华东`) → `CN`; another two-letter code →
/// itself. `None` when it cannot be told.
pub fn country_of_region(text: &str) -> Option<String> {
    let t = text.trim();
    if MAINLAND_PROVINCES.iter().any(|p| t.starts_with(p)) {
        return Some("CN".into());
    }
    let lower = t.to_ascii_lowercase();
    if lower == "china" || lower == "mainland china" || lower == "prc" {
        return Some("CN".into());
    }
    let head = t.split(['-', ' ', '_']).next().unwrap_or("");
    (head.len() == 2 && head.bytes().all(|b| b.is_ascii_alphabetic()))
        .then(|| head.to_ascii_uppercase())
}

/// Countries where guarantees of origin are the instrument: the EU, the EEA and Switzerland
/// (Lingtan's list, not checked against the AIB membership: see the rule's citation).
const GO_MARKET: &[&str] = &[
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV",
    "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "IS", "LI", "NO", "CH",
];
const REC_MARKET: &[&str] = &["US", "CA"];

/// The countries a certificate's attribute may be used in; `None` = unknown.
fn market(eac: &Eac) -> Option<(Vec<String>, String)> {
    let region = eac.region.as_deref().and_then(country_of_region);
    match eac.kind {
        EacType::Gec | EacType::GreenPower => Some((vec!["CN".into()], "China (GEC)".into())),
        EacType::Go => Some((
            GO_MARKET.iter().map(|c| c.to_string()).collect(),
            "EU/EEA and Switzerland (GO)".into(),
        )),
        EacType::Rec => Some((
            REC_MARKET.iter().map(|c| c.to_string()).collect(),
            "United States and Canada (REC)".into(),
        )),
        EacType::IRec | EacType::Other => region.map(|c| (vec![c.clone()], c)),
    }
}

/// Check every certificate of the project for the claim year `ctx.year`. Certificates are taken
/// in the order they were recorded (the first of two with the same id keeps it).
pub fn assess(eacs: &[Eac], ctx: &EacContext) -> Vec<EacAssessment> {
    let mut seen: HashMap<(EacType, String), usize> = HashMap::new();
    let mut out = Vec::with_capacity(eacs.len());
    for (index, eac) in eacs.iter().enumerate() {
        let mut a = EacAssessment::default();
        if eac.status == Status::Void {
            a.push(Check::new(
                &EAC_VOID,
                "this certificate was voided: kept in the record, not counted".to_string(),
                "该证书已作废：保留记录，不予计入".to_string(),
            ));
            out.push(a);
            continue;
        }
        let key = (eac.kind, eac.id.trim().to_uppercase());
        if let Some(first) = seen.get(&key) {
            let f = &eacs[*first];
            a.push(Check::new(
                &EAC_DUPLICATE_ID,
                format!("this certificate is already recorded ({} MWh generated {}–{}): a certificate counts once; void the mistaken record", f.mwh.normalize(), f.from, f.to),
                format!("该证书已登记（{} MWh，发电期间 {}–{}）：同一证书只能计入一次；请作废有误的记录", f.mwh.normalize(), f.from, f.to),
            ));
        } else {
            seen.insert(key, index);
        }
        check_one(eac, ctx, &mut a);
        out.push(a);
    }
    out
}

fn check_one(eac: &Eac, ctx: &EacContext, a: &mut EacAssessment) {
    let year = ctx.year;
    if eac.claim_year() != year {
        a.push(Check::new(
            &EAC_OTHER_YEAR,
            format!(
                "this certificate is claimed for {}, not {year}",
                eac.claim_year()
            ),
            format!("该证书用于 {} 年的声明，而非 {year} 年", eac.claim_year()),
        ));
    }
    // retirement and beneficiary
    match (eac.status, eac.retired, eac.beneficiary.as_deref()) {
        (Status::Retired, Some(_), Some(b)) => match match_beneficiary(ctx.organisation, b) {
            NameMatch::Exact => {}
            NameMatch::Contains => a.push(Check::new(
                &EAC_BENEFICIARY_PARTIAL,
                format!("this certificate was retired for '{b}', which contains the organisation's name with more text: check it names the organisation"),
                format!("该证书的注销受益方为“{b}”，包含本组织名称及其他文字：请核对是否指本组织"),
            )),
            NameMatch::None => a.push(Check::new(
                &EAC_BENEFICIARY_OTHER,
                format!("this certificate was retired for '{b}', not for the organisation ({}): it cannot count for it", ctx.organisation.join(" / ")),
                format!("该证书的注销受益方为“{b}”，不是本组织（{}）：不能计入", ctx.organisation.join(" / ")),
            )),
        },
        _ => a.push(Check::new(
            &EAC_NOT_RETIRED,
            "this certificate is held, not retired (cancelled, 核销) for the organisation: a purchase alone does not convey the attribute; record its retirement".to_string(),
            "该证书仍为持有状态，未为本组织注销（核销）：仅购买不能转移环境属性；请登记注销".to_string(),
        )),
    }
    // GEC validity
    if let Some(until) = eac.valid_until() {
        let (when, at_en, at_zh) = match eac.retired {
            Some(d) if eac.status == Status::Retired => (d, "retired", "注销于"),
            _ => (
                NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(NaiveDate::MAX),
                "still held at the end of the claim year",
                "声明年末仍持有，按",
            ),
        };
        if when > until {
            let rule_en = if eac.from.year < 2024 {
                "output before 2024 is valid to 2025-12-31"
            } else {
                "valid 2 years from the generation month, inclusive"
            };
            let rule_zh = if eac.from.year < 2024 {
                "2024 年以前的电量有效期至 2025-12-31"
            } else {
                "自生产月份起 2 年有效（含当月）"
            };
            a.push(Check::new(
                &EAC_EXPIRED,
                format!("this certificate, generated from {}, was valid until {until} ({rule_en}) but is {at_en} {when}", eac.from),
                format!("该证书生产月份自 {} 起，有效期至 {until}（{rule_zh}），但{at_zh} {when}", eac.from),
            ));
        }
    }
    // I-REC in China
    let country = eac.region.as_deref().and_then(country_of_region);
    let cutoff = YearMonth {
        year: 2024,
        month: 12,
    };
    if eac.kind == EacType::IRec && country.as_deref() == Some("CN") && eac.to > cutoff {
        a.push(Check::new(
            &EAC_IREC_CHINA_CUTOFF,
            format!("this certificate is for Chinese generation up to {}: I-RECs are not issued for generation in China after 2024-12 (use GECs); a record spanning the cut-off must be split", eac.to),
            format!("该证书为中国境内截至 {} 的发电量：2024 年 12 月以后的中国发电量不再签发 I-REC（请使用绿证）；跨越该时点的记录须拆分", eac.to),
        ));
    }
    // sites and market
    let mut named: Vec<&SiteMarket> = Vec::new();
    if eac.sites.is_empty() {
        named.extend(ctx.sites.iter());
    } else {
        for s in &eac.sites {
            match ctx.sites.iter().find(|m| m.name == *s) {
                Some(m) => named.push(m),
                None => a.push(Check::new(
                    &EAC_SITE_UNKNOWN,
                    format!("this certificate names site '{s}', which the project does not have"),
                    format!("该证书所列场所“{s}”不在本项目中"),
                )),
            }
        }
    }
    let market = market(eac);
    let mut eligible = Vec::new();
    let mut outside = Vec::new();
    let mut unknown = Vec::new();
    for site in named {
        match (&market, &site.country) {
            (Some((countries, _)), Some(c)) if countries.contains(c) => {
                eligible.push(site.name.clone())
            }
            (Some(_), Some(c)) => outside.push(format!("{} ({c})", site.name)),
            _ => {
                unknown.push(site.name.clone());
                eligible.push(site.name.clone());
            }
        }
    }
    let market_name = market
        .as_ref()
        .map(|(_, n)| n.clone())
        .unwrap_or_else(|| "unknown".into());
    if eligible.is_empty() && !outside.is_empty() {
        a.push(Check::new(
            &EAC_MARKET_MISMATCH,
            format!("this certificate is from the market {market_name}, but the sites it may cover are elsewhere: {}; a certificate counts only in its own market", outside.join(", ")),
            format!("该证书属于 {market_name} 市场，而其可覆盖的场所位于其他市场：{}；证书只能在其所属市场内使用", outside.join("、")),
        ));
    } else if !outside.is_empty() {
        a.push(Check::new(
            &EAC_MARKET_SITES_SKIPPED,
            format!(
                "this certificate ({market_name}) does not cover {}: outside its market",
                outside.join(", ")
            ),
            format!(
                "该证书（{market_name}）不覆盖 {}：不在其所属市场内",
                outside.join("、")
            ),
        ));
    }
    if !unknown.is_empty() {
        let what_en = if market.is_none() {
            crate::words![
                "its market is not known (give its ",
                Field::Region,
                " as a country code)"
            ]
        } else {
            crate::words![
                format!(
                    "the country of {} is not known (set the site's ",
                    unknown.join(", ")
                ),
                Field::Grid,
                ")"
            ]
        };
        let what_zh = if market.is_none() {
            crate::words!["其所属市场未知（请以国家代码填写", Field::Region, "）"]
        } else {
            crate::words![
                format!("场所 {} 所在国家未知（请设置场所的", unknown.join("、")),
                Field::Grid,
                "）"
            ]
        };
        a.push(Check::new(
            &EAC_MARKET_UNKNOWN,
            what_en.after("the same-market criterion could not be checked: ".to_string()),
            what_zh.after("无法核对“同一市场”要求：".to_string()),
        ));
    }
    eligible.sort();
    eligible.dedup();
    // own generation at a site whose on-site generation is counted as used there: the same MWh
    // would be zero-emission twice (on site, and again on the grid electricity they cover)
    if eac.acquired == Some(Acquisition::OwnGeneration) {
        let onsite: Vec<&str> = ctx
            .sites
            .iter()
            .filter(|m| m.onsite_generation && eligible.contains(&m.name))
            .map(|m| m.name.as_str())
            .collect();
        if !onsite.is_empty() {
            let list = onsite.join(", ");
            a.push(Check::new(
                &EAC_OWN_GENERATION_ONSITE,
                format!("these certificates are the organisation's own generation, and the project already counts the on-site generation of {list} as used on site (zero emissions, and in the shares): covering grid electricity with them would count the same MWh twice. They stay retired as the proof of the on-site claim and are not applied to grid electricity; only certificates of generation that was exported could be, and the project does not record export"),
                format!("这些证书为本组织自有电站所发电量，而项目已将 {list} 的现场发电量按自发自用计入（零排放，并计入占比）：再用其覆盖电网用电会重复计算同一电量。证书保持已注销，作为现场发电声明的证明，不用于覆盖电网用电；只有上网电量对应的证书可以，而项目未记录上网电量"),
            ));
        }
    }
    a.sites = eligible;
    // warnings
    if eac.from.year != year || eac.to.year != year {
        a.push(Check::new(
            &EAC_PERIOD_OUTSIDE_YEAR,
            format!("this certificate was generated {}–{}, not inside the claim year {year}: the Scope 2 Guidance asks for generation as close as possible to the consumption; disclose it", eac.from, eac.to),
            format!("该证书的发电期间为 {}–{}，不在声明年份 {year} 内：范围二指南要求尽量贴近用电期间；须披露", eac.from, eac.to),
        ));
    }
    if eac.kind == EacType::Gec
        && eac.tradable == Some(false)
        && eac.acquired == Some(Acquisition::Purchase)
    {
        a.push(Check::new(
            &EAC_NONTRADABLE_PURCHASED,
            "this certificate is a non-tradable GEC but was bought from a third party: non-tradable GECs (self-consumption, off-grid, hydro before 2023) move only with the settled electricity; check the record".to_string(),
            "该证书为不可交易绿证，却是从第三方购得：不可交易绿证（自发自用、离网、2023 年前投产水电）只随结算电量转移；请核对".to_string(),
        ));
    }
    if let Some(plant) = eac.plant.as_deref() {
        let p = fold_name(plant);
        if !p.is_empty() {
            let hit = ctx.ccer_projects.iter().find(|c| {
                let by_name =
                    c.name.as_deref().map(fold_name).is_some_and(|n| {
                        !n.is_empty() && (n == p || n.contains(&p) || p.contains(&n))
                    });
                let by_id = c
                    .project_id
                    .as_deref()
                    .map(fold_name)
                    .is_some_and(|i| !i.is_empty() && i == p);
                by_name || by_id
            });
            if let Some(c) = hit {
                let what = c
                    .name
                    .clone()
                    .or_else(|| c.project_id.clone())
                    .unwrap_or_default();
                a.push(Check::new(
                    &EAC_CCER_DOUBLE_CLAIM,
                    format!("this certificate comes from plant '{plant}', which is also the CCER project '{what}' in the credit ledger: the same output may not earn both a GEC and a CCER (124号, 2024); keep one claim"),
                    format!("该证书来自电站“{plant}”，该电站同时是碳信用台账中的 CCER 项目“{what}”：同一电量不得同时获得绿证和 CCER（124号文，2024）；只能保留一种声明"),
                ));
            }
        }
    }
    if eac.kind == EacType::Gec {
        let id = eac.id.trim();
        if id.len() != 32 || !id.bytes().all(|b| b.is_ascii_digit()) {
            a.push(Check::new(
                &EAC_GEC_ID_FORMAT,
                format!("a GEC code is reported to be 32 digits; this id has {} characters{} (format unconfirmed: a warning only)", id.chars().count(), if id.bytes().all(|b| b.is_ascii_digit()) { "" } else { " and not only digits" }),
                format!("据报道绿证编码为 32 位数字；该编号为 {} 个字符{}（格式未经确认，仅作提示）", id.chars().count(), if id.bytes().all(|b| b.is_ascii_digit()) { "" } else { "，且不全是数字" }),
            ));
        }
    }
    if !eac.kind.is_gec() && matches!(eac.technology, None | Some(Technology::Other)) {
        a.push(Check::new(
            &EAC_TECHNOLOGY_UNSTATED,
            "no renewable technology stated; a zero-emission attribute is assumed — a certificate of fossil generation must not be used this way".to_string(),
            "未注明可再生能源发电技术，按零排放属性处理——化石能源发电的证书不得如此使用".to_string(),
        ));
    }
}

/// One month of one electricity source's consumption in the claim year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConsumptionSlice {
    pub site: String,
    pub source_id: i64,
    /// 1–12
    pub month: u32,
    pub kwh: Decimal,
}

/// kWh of a slice covered by one certificate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cover {
    /// The certificate's type and id.
    #[serde(rename = "type")]
    pub kind: EacType,
    pub id: String,
    pub kwh: Decimal,
}

/// A slice after allocation: how much is covered, and by which certificates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SliceCover {
    pub site: String,
    pub source_id: i64,
    pub month: u32,
    pub kwh: Decimal,
    pub covered_kwh: Decimal,
    pub by: Vec<Cover>,
}

impl SliceCover {
    /// The kWh that keeps today's market basis.
    pub fn uncovered_kwh(&self) -> Decimal {
        (self.kwh - self.covered_kwh).max(Decimal::ZERO)
    }
}

/// What one certificate did in the claim year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CertificateUse {
    #[serde(rename = "type")]
    pub kind: EacType,
    pub id: String,
    pub mwh: Decimal,
    pub used_mwh: Decimal,
    pub unused_mwh: Decimal,
    pub checks: Vec<Check>,
}

/// The certificates' figures for the offset summary.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct EacFigures {
    /// MWh of the certificates retired for the year that pass every ✗ check.
    pub mwh_retired: Decimal,
    pub mwh_used: Decimal,
    pub mwh_unused: Decimal,
    pub kwh_covered: Decimal,
}

/// The allocation of the claim year.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Allocation {
    pub year: i32,
    /// In (site, source, month) order.
    pub slices: Vec<SliceCover>,
    /// In allocation order.
    pub certificates: Vec<CertificateUse>,
    pub issues: Vec<Issue>,
}

impl Allocation {
    pub fn figures(&self) -> EacFigures {
        let mut f = EacFigures::default();
        for c in &self.certificates {
            f.mwh_retired += c.mwh;
            f.mwh_used += c.used_mwh;
            f.mwh_unused += c.unused_mwh;
        }
        f.kwh_covered = self.slices.iter().map(|s| s.covered_kwh).sum();
        f
    }

    /// Covered kWh per (source, month), for the calculation.
    pub fn covered_by_source_month(&self) -> BTreeMap<(i64, u32), Decimal> {
        let mut out: BTreeMap<(i64, u32), Decimal> = BTreeMap::new();
        for s in &self.slices {
            if !s.covered_kwh.is_zero() {
                *out.entry((s.source_id, s.month)).or_default() += s.covered_kwh;
            }
        }
        out
    }

    /// Covered kWh per site.
    pub fn covered_by_site(&self) -> BTreeMap<String, Decimal> {
        let mut out: BTreeMap<String, Decimal> = BTreeMap::new();
        for s in &self.slices {
            *out.entry(s.site.clone()).or_default() += s.covered_kwh;
        }
        out
    }
}

const KWH_PER_MWH: Decimal = Decimal::ONE_THOUSAND;

/// Allocate the certificates that pass their checks (`assessments[i]` belongs to `eacs[i]`; the
/// excluded ones and those of another year are skipped) to the electricity consumption of
/// `year`. Slices outside months 1–12 or with no positive kWh are never covered.
pub fn allocate(
    year: i32,
    eacs: &[Eac],
    assessments: &[EacAssessment],
    slices: &[ConsumptionSlice],
) -> Allocation {
    allocate_slots(year, 12, eacs, assessments, slices)
}

/// [`allocate`] over a claim period of `months` calendar months (slices numbered 1 to `months`
/// in the period's order; a calendar year has 12, January first): certificates claimed for
/// `year` (the year the period ends) cover them.
pub fn allocate_slots(
    year: i32,
    months: u32,
    eacs: &[Eac],
    assessments: &[EacAssessment],
    slices: &[ConsumptionSlice],
) -> Allocation {
    let mut issues = Vec::new();
    let mut covers: Vec<SliceCover> = slices
        .iter()
        .map(|s| SliceCover {
            site: s.site.clone(),
            source_id: s.source_id,
            month: s.month,
            kwh: s.kwh,
            covered_kwh: Decimal::ZERO,
            by: Vec::new(),
        })
        .collect();
    covers.sort_by(|a, b| (&a.site, a.source_id, a.month).cmp(&(&b.site, b.source_id, b.month)));
    for s in &covers {
        if !(1..=months).contains(&s.month) {
            issues.push(Issue::new(
                "EAC_SLICE_MONTH",
                Severity::Error,
                format!("{} / source #{}", s.site, s.source_id),
                format!(
                    "a consumption slice has month {}, not 1–12: it is not covered",
                    s.month
                ),
                format!("用电量分片的月份为 {}，不在 1–12 之间：不予覆盖", s.month),
            ));
        }
    }
    // site → indexes of its slices, in order; and a cursor to the first slice not yet full
    let mut by_site: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, s) in covers.iter().enumerate() {
        if (1..=months).contains(&s.month) && s.kwh > Decimal::ZERO {
            by_site.entry(s.site.as_str()).or_default().push(i);
        }
    }
    let by_site: BTreeMap<String, Vec<usize>> = by_site
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
    let mut cursor: BTreeMap<&str, usize> = BTreeMap::new();

    let mut order: Vec<usize> = (0..eacs.len())
        .filter(|&i| {
            assessments.get(i).is_some_and(|a| {
                !a.excluded && eacs[i].claim_year() == year && eacs[i].status == Status::Retired
            })
        })
        .collect();
    order.sort_by(|&a, &b| {
        let (ea, eb) = (&eacs[a], &eacs[b]);
        (assessments[a].sites.len(), ea.from, ea.to, &ea.id, a).cmp(&(
            assessments[b].sites.len(),
            eb.from,
            eb.to,
            &eb.id,
            b,
        ))
    });
    let mut certificates = Vec::with_capacity(order.len());
    for i in order {
        let eac = &eacs[i];
        let Some(total) = eac
            .mwh
            .checked_mul(KWH_PER_MWH)
            .filter(|t| *t > Decimal::ZERO)
        else {
            // a record written outside Lingtan could hold anything: leave it out, say so
            issues.push(Issue::new(
                EAC_MWH_INVALID.code,
                Severity::Error,
                eac.label(),
                format!(
                    "it holds {} MWh, which cannot be a certificate's size: left out; correct it",
                    eac.mwh
                ),
                format!(
                    "其电量为 {} MWh，不可能是证书电量：不予计入；请更正",
                    eac.mwh
                ),
            ));
            continue;
        };
        let mut left = total;
        for site in &assessments[i].sites {
            if left <= Decimal::ZERO {
                break;
            }
            let Some(indexes) = by_site.get(site) else {
                continue;
            };
            let at = cursor.entry(site.as_str()).or_insert(0);
            while *at < indexes.len() && left > Decimal::ZERO {
                let slice = &mut covers[indexes[*at]];
                let room = slice.kwh - slice.covered_kwh;
                let take = room.min(left);
                if take > Decimal::ZERO {
                    slice.covered_kwh += take;
                    slice.by.push(Cover {
                        kind: eac.kind,
                        id: eac.id.clone(),
                        kwh: take,
                    });
                    left -= take;
                }
                if slice.covered_kwh >= slice.kwh {
                    *at += 1;
                }
            }
        }
        let used_mwh = (total - left) / KWH_PER_MWH;
        let unused_mwh = left / KWH_PER_MWH;
        let mut checks = Vec::new();
        if left > Decimal::ZERO {
            checks.push(Check::new(
                &EAC_MWH_BEYOND_CONSUMPTION,
                format!("{} of its {} MWh find no uncovered consumption of its sites in {year}; they are unused and not carried to another year", unused_mwh.round_dp(3).normalize(), eac.mwh.normalize()),
                format!("其 {} MWh 中有 {} MWh 在 {year} 年找不到可覆盖的用电量；该部分不使用，也不结转至其他年份", eac.mwh.normalize(), unused_mwh.round_dp(3).normalize()),
            ));
        }
        certificates.push(CertificateUse {
            kind: eac.kind,
            id: eac.id.clone(),
            mwh: eac.mwh,
            used_mwh,
            unused_mwh,
            checks,
        });
    }
    Allocation {
        year,
        slices: covers,
        certificates,
        issues,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ym(s: &str) -> YearMonth {
        YearMonth::parse(s).unwrap()
    }

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    pub(crate) fn gec(id: &str, mwh: i64, from: &str, to: &str) -> Eac {
        Eac {
            kind: EacType::Gec,
            id: id.into(),
            mwh: Decimal::from(mwh),
            from: ym(from),
            to: ym(to),
            sites: Vec::new(),
            technology: Some(Technology::Wind),
            plant: None,
            region: Some("内蒙古".into()),
            tradable: Some(true),
            subsidy: Some(false),
            acquired: Some(Acquisition::Purchase),
            status: Status::Retired,
            retired: Some(date("2025-12-20")),
            beneficiary: Some("Anji Demo Co".into()),
            for_year: None,
            evidence: None,
        }
    }

    fn ctx<'a>(sites: &'a [SiteMarket], org: &'a [String]) -> EacContext<'a> {
        EacContext {
            year: 2025,
            organisation: org,
            sites,
            ccer_projects: &[],
        }
    }

    fn cn(name: &str) -> SiteMarket {
        SiteMarket {
            name: name.into(),
            country: Some("CN".into()),
            onsite_generation: false,
        }
    }

    #[test]
    fn gec_validity_is_two_years_from_the_generation_month_with_the_2025_extension() {
        let e = gec("x", 1, "2024-03", "2024-03");
        assert_eq!(
            e.valid_until(),
            Some(date("2026-02-28")),
            "2024-03 + 23 months = 2026-02, last day"
        );
        let e = gec("x", 1, "2024-01", "2024-01");
        assert_eq!(
            e.valid_until(),
            Some(date("2025-12-31")),
            "gec validity is two years from the generation month with the 2025 extension"
        );
        let e = gec("x", 1, "2023-06", "2023-12");
        assert_eq!(
            e.valid_until(),
            Some(date("2025-12-31")),
            "output before 2024: to the end of 2025"
        );
        let e = gec("x", 1, "2022-01", "2022-01");
        assert_eq!(
            e.valid_until(),
            Some(date("2025-12-31")),
            "gec validity is two years from the generation month with the 2025 extension"
        );
    }

    #[test]
    fn an_expired_gec_is_excluded() {
        let org = vec!["Anji Demo Co".to_string()];
        let sites = [cn("Plant")];
        let mut e = gec("x", 10, "2023-05", "2023-05");
        e.retired = Some(date("2026-01-05"));
        e.for_year = Some(2025);
        let a = &assess(&[e], &ctx(&sites, &org))[0];
        assert!(
            a.codes().contains(&"EAC_EXPIRED"),
            "an expired gec is excluded: {:?}",
            a.codes()
        );
        assert!(a.excluded, "an expired gec is excluded");
    }

    #[test]
    fn own_generation_certificates_do_not_cover_grid_electricity_where_on_site_output_is_counted() {
        let org = vec!["Anji Demo Co".to_string()];
        let mut e = gec("PV-1", 40, "2025-07", "2025-12");
        e.technology = Some(Technology::Solar);
        e.acquired = Some(Acquisition::OwnGeneration);
        e.for_year = Some(2025);
        // a site without on-site generation recorded: the certificates may cover its grid kWh
        let plain = [cn("Plant")];
        let a = &assess(std::slice::from_ref(&e), &ctx(&plain, &org))[0];
        assert!(
            !a.excluded && !a.codes().contains(&"EAC_OWN_GENERATION_ONSITE"),
            "without an on-site generation source nothing is counted twice: {:?}",
            a.codes()
        );
        // the same certificates where the project counts the PV's output as used on site
        let mut with_pv = cn("Plant");
        with_pv.onsite_generation = true;
        let sites = [with_pv];
        let a = &assess(std::slice::from_ref(&e), &ctx(&sites, &org))[0];
        assert!(
            a.excluded && a.codes().contains(&"EAC_OWN_GENERATION_ONSITE"),
            "own-generation certificates at a site whose PV output is counted on site would make the same MWh zero-emission twice: {:?}",
            a.codes()
        );
        // bought certificates at that site are not concerned
        let bought = gec("W-1", 40, "2025-07", "2025-12");
        let a = &assess(&[bought], &ctx(&sites, &org))[0];
        assert!(
            !a.codes().contains(&"EAC_OWN_GENERATION_ONSITE"),
            "purchased certificates cover grid electricity as before: {:?}",
            a.codes()
        );
    }

    #[test]
    fn a_go_for_a_plant_in_china_is_excluded() {
        let org = vec!["Anji Demo Co".to_string()];
        let sites = [cn("Plant")];
        let mut e = gec("GO-1", 10, "2025-01", "2025-03");
        e.kind = EacType::Go;
        e.region = Some("NO".into());
        e.technology = Some(Technology::Hydro);
        let a = &assess(&[e], &ctx(&sites, &org))[0];
        assert_eq!(
            a.codes(),
            vec!["EAC_MARKET_MISMATCH"],
            "a go for a plant in china is excluded"
        );
        assert!(
            a.excluded && a.sites.is_empty(),
            "a go for a plant in china is excluded"
        );
    }

    #[test]
    fn an_irec_for_china_after_2024_is_excluded_before_it_is_not() {
        let org = vec!["Anji Demo Co".to_string()];
        let sites = [cn("Plant")];
        let mut e = gec("IREC-1", 10, "2024-11", "2025-01");
        e.kind = EacType::IRec;
        e.region = Some("CN".into());
        e.for_year = Some(2025);
        let a = &assess(std::slice::from_ref(&e), &ctx(&sites, &org))[0];
        assert!(
            a.codes().contains(&"EAC_IREC_CHINA_CUTOFF"),
            "an irec for china after 2024 is excluded before it is not"
        );
        e.to = ym("2024-12");
        let a = &assess(&[e], &ctx(&sites, &org))[0];
        assert!(
            !a.codes().contains(&"EAC_IREC_CHINA_CUTOFF"),
            "generation up to 2024-12 is still valid"
        );
    }

    #[test]
    fn a_held_or_foreign_beneficiary_or_duplicate_certificate_is_excluded() {
        let org = vec!["Anji Demo Co".to_string()];
        let sites = [cn("Plant")];
        let mut held = gec("1", 5, "2025-01", "2025-01");
        held.status = Status::Held;
        held.retired = None;
        held.beneficiary = None;
        let mut other = gec("2", 5, "2025-01", "2025-01");
        other.beneficiary = Some("Other Trading Co".into());
        let dup = gec("2", 5, "2025-02", "2025-02");
        let all = assess(&[held, other, dup], &ctx(&sites, &org));
        assert!(
            all[0].codes().contains(&"EAC_NOT_RETIRED"),
            "a held or foreign beneficiary or duplicate certificate is excluded"
        );
        assert!(
            all[1].codes().contains(&"EAC_BENEFICIARY_OTHER"),
            "a held or foreign beneficiary or duplicate certificate is excluded"
        );
        assert!(
            all[2].codes().contains(&"EAC_DUPLICATE_ID"),
            "the second record of id 2"
        );
        assert!(
            all.iter().all(|a| a.excluded),
            "a held or foreign beneficiary or duplicate certificate is excluded"
        );
    }

    #[test]
    fn validation_refuses_fractional_gecs_and_reversed_periods() {
        let today = date("2026-03-01");
        let mut e = gec("1", 5, "2025-01", "2025-01");
        assert!(
            validate(&e, today).is_ok(),
            "validation refuses fractional gecs and reversed periods"
        );
        e.mwh = Decimal::new(55, 1);
        assert_eq!(
            validate(&e, today).unwrap_err().field.as_deref(),
            Some("mwh"),
            "validation refuses fractional gecs and reversed periods"
        );
        e.mwh = Decimal::from(5);
        e.to = ym("2024-12");
        assert_eq!(
            validate(&e, today).unwrap_err().code,
            "EAC_PERIOD_REVERSED",
            "validation refuses fractional gecs and reversed periods"
        );
        e.to = ym("2025-01");
        e.retired = Some(date("2026-03-02"));
        assert_eq!(
            validate(&e, today).unwrap_err().code,
            "EAC_RETIREMENT_INVALID",
            "after today"
        );
    }

    #[test]
    fn a_certificate_tied_to_one_site_is_allocated_first() {
        let org = vec!["Anji Demo Co".to_string()];
        let sites = [cn("A"), cn("B")];
        let any = gec("any", 10, "2025-01", "2025-01");
        let mut only_a = gec("only-a", 10, "2025-02", "2025-02");
        only_a.sites = vec!["A".into()];
        let eacs = [any, only_a];
        let a = assess(&eacs, &ctx(&sites, &org));
        let slices = [
            ConsumptionSlice {
                site: "A".into(),
                source_id: 1,
                month: 1,
                kwh: Decimal::from(10_000),
            },
            ConsumptionSlice {
                site: "B".into(),
                source_id: 2,
                month: 1,
                kwh: Decimal::from(10_000),
            },
        ];
        let alloc = allocate(2025, &eacs, &a, &slices);
        let f = alloc.figures();
        assert_eq!(
            f.kwh_covered,
            Decimal::from(20_000),
            "both sites fully covered"
        );
        assert_eq!(
            f.mwh_unused,
            Decimal::ZERO,
            "a certificate tied to one site is allocated first"
        );
        assert_eq!(
            alloc.slices[0].by[0].id, "only-a",
            "a certificate tied to one site is allocated first"
        );
        assert_eq!(
            alloc.slices[1].by[0].id, "any",
            "a certificate tied to one site is allocated first"
        );
    }

    #[test]
    fn an_absurd_mwh_from_a_file_is_left_out_not_a_panic() {
        let org = vec!["Anji Demo Co".to_string()];
        let sites = [cn("A")];
        let mut e = gec("huge", 1, "2025-01", "2025-01");
        e.mwh = Decimal::MAX;
        let eacs = [e];
        let a = assess(&eacs, &ctx(&sites, &org));
        let slices = [ConsumptionSlice {
            site: "A".into(),
            source_id: 1,
            month: 1,
            kwh: Decimal::from(10),
        }];
        let alloc = allocate(2025, &eacs, &a, &slices);
        assert_eq!(
            alloc.figures().kwh_covered,
            Decimal::ZERO,
            "an absurd mwh from a file is left out not a panic"
        );
        assert_eq!(
            alloc.issues[0].code, "EAC_MWH_INVALID",
            "an absurd mwh from a file is left out not a panic"
        );
    }

    #[test]
    fn the_province_and_grid_region_tell_the_country() {
        assert_eq!(
            country_of_region("内蒙古自治区").as_deref(),
            Some("CN"),
            "the province and grid region tell the country"
        );
        assert_eq!(
            country_of_region("CN-East").as_deref(),
            Some("CN"),
            "the province and grid region tell the country"
        );
        assert_eq!(
            country_of_region("no").as_deref(),
            Some("NO"),
            "the province and grid region tell the country"
        );
        assert_eq!(
            country_of_region("Europe"),
            None,
            "the province and grid region tell the country"
        );
    }
}
