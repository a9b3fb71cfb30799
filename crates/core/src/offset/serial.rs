//! Carbon credit serials: read a registry serial into its block, its range of units and its fields.
//!
//! A credit block is a range of units (one unit = one tonne CO2e) that a registry issued under one
//! issuance or batch. The serial names the range inclusively, so the quantity is
//! `last − first + 1`. Grammars (verified on real registry exports, research notes §8):
//!
//! | registry | grammar | block key |
//! |---|---|---|
//! | Verra VCU | `{issuance}-{first}-{last}-VCS-VCU-{n}-VER-{ISO2}-{scope}-{project}-{ddMMyyyy}-{ddMMyyyy}-{0\|1}` | issuance |
//! | Gold Standard VER | `GS1-1-{ISO2}-GS{project}-{type}-{vintage}-{batch}-{first}-{last}` (or without the range, given apart) | batch |
//! | CDM CER | `{ISO2}-{unit type}-{serial}-{CP}-{CP}-{LULUCF}-{project} - {same with the last serial}` | every field but the unit serial |
//! | ACR | `ACR-{ISO2}-{project}-{vintage}-{batch}-{first} to {last}` | the text before the range |
//! | CAR | `CAR-{1\|ROC}-{ISO2}-{project}-{a}-{b}-{state}-{vintage}-{batch}-{first} to {last}` | the text before the range |
//! | ART / FCPF | `{ART\|FCPF}-{ISO2}-{programme}-{vintage}-{batch}-{first} to {last}` | the text before the range |
//! | CCER | verbatim, with its quantity: **no public unit-serial grammar of the new CCER registry was found** (only 19-digit project ids and methodology numbers such as `CCER-14-001-V01`) | the serial itself |
//! | other | verbatim; `… {first} to {last}` read when present | the text before the range |
//!
//! Two blocks can be compared (for double counting, see [`crate::offset::ledger`]) when they have
//! the same registry and the same block key. Registry-specific fields the app does not interpret
//! are kept opaque in [`Serial::fields`]: Verra's `{n}` (not the methodology: the same value occurs
//! with several methodologies) and its last digit, which was 1 exactly when the block carries an
//! additional certification (CCB, CORSIA, Article 6 …) in all 200 real rows seen, although Verra
//! does not document it: a warning rule, never a refusal.
//!
//! A serial that does not read is refused naming the character where it stops making sense and
//! what was expected there; values given beside it (`qty`, `project_id`, `vintage`, `country`,
//! `first`, `last`) that disagree with it are refused naming both values. Letters are read without
//! regard to case and stored upper-case; leading and trailing spaces are dropped; nothing else is
//! guessed (an en dash or a full-width digit is refused, not repaired).

use super::{Check, Refusal, Rule};
use crate::issue::Severity;
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize, Serializer};
use std::collections::BTreeMap;
use std::fmt;

const GRAMMARS: &str = "research notes §8: CarbonPlan offsets-db-data test exports (commit cdfd8f7) — Verra 200/200 rows, Gold Standard 197/197, CDM 3/3, ACR 150/150, CAR 150/150, ART 11/11 with quantity = last − first + 1";

pub const SERIAL_UNREADABLE: Rule = Rule {
    code: "SERIAL_UNREADABLE",
    severity: Severity::Error,
    excludes: true,
    refuses: true,
    confirmed: true,
    citation: GRAMMARS,
    en: "The serial does not follow its registry's grammar; the refusal names the character where reading stopped and what was expected there.",
    zh: "序列号不符合该登记处的格式；拒绝信息指出读取中断的字符位置及该处应有的内容。",
};
pub const SERIAL_RANGE_REVERSED: Rule = Rule {
    code: "SERIAL_RANGE_REVERSED",
    severity: Severity::Error,
    excludes: true,
    refuses: true,
    confirmed: true,
    citation: GRAMMARS,
    en: "The last unit of the range is before the first.",
    zh: "序列号区间的末位编号小于首位编号。",
};
pub const SERIAL_DATE_INVALID: Rule = Rule {
    code: "SERIAL_DATE_INVALID",
    severity: Severity::Error,
    excludes: true,
    refuses: true,
    confirmed: true,
    citation: GRAMMARS,
    en:
        "A vintage date in the serial is not a calendar date, or the vintage ends before it starts.",
    zh: "序列号中的年份期日期不是有效日期，或年份期结束早于开始。",
};
pub const SERIAL_ENDS_DISAGREE: Rule = Rule {
    code: "SERIAL_ENDS_DISAGREE",
    severity: Severity::Error,
    excludes: true,
    refuses: true,
    confirmed: true,
    citation: "CDM registry unit identifiers (party, unit type, serial, commitment periods, LULUCF activity, project): both ends of a range differ only in the unit serial; research notes §8 (field names secondary)",
    en: "The two ends of a CDM range disagree on a field other than the unit serial.",
    zh: "CDM 区间两端除单位序号外的字段不一致。",
};
pub const SERIAL_QTY_MISMATCH: Rule = Rule {
    code: "SERIAL_QTY_MISMATCH",
    severity: Severity::Error,
    excludes: true,
    refuses: true,
    confirmed: true,
    citation: GRAMMARS,
    en: "The quantity given differs from last − first + 1 of the serial's range.",
    zh: "填写的数量与序列号区间的 末位 − 首位 + 1 不符。",
};
pub const SERIAL_QTY_INVALID: Rule = Rule {
    code: "SERIAL_QTY_INVALID",
    severity: Severity::Error,
    excludes: true,
    refuses: true,
    confirmed: true,
    citation: "A credit is one tonne CO2e: registries issue, transfer and retire whole units",
    en: "The quantity is missing (a serial without a range needs it), not positive, not a whole number of tonnes, or beyond 10^15.",
    zh: "数量缺失（无区间的序列号必须填写）、不为正、不是整吨数或超过 10^15。",
};
pub const SERIAL_PROJECT_MISMATCH: Rule = Rule {
    code: "SERIAL_PROJECT_MISMATCH",
    severity: Severity::Error,
    excludes: true,
    refuses: true,
    confirmed: true,
    citation: GRAMMARS,
    en: "The project id given differs from the project id in the serial.",
    zh: "填写的项目编号与序列号中的项目编号不符。",
};
pub const SERIAL_VINTAGE_MISMATCH: Rule = Rule {
    code: "SERIAL_VINTAGE_MISMATCH",
    severity: Severity::Error,
    excludes: true,
    refuses: true,
    confirmed: true,
    citation: GRAMMARS,
    en: "The vintage given differs from the vintage in the serial.",
    zh: "填写的年份期与序列号中的年份期不符。",
};
pub const SERIAL_COUNTRY_MISMATCH: Rule = Rule {
    code: "SERIAL_COUNTRY_MISMATCH",
    severity: Severity::Error,
    excludes: true,
    refuses: true,
    confirmed: true,
    citation: GRAMMARS,
    en: "The country given differs from the country in the serial.",
    zh: "填写的国家与序列号中的国家不符。",
};
pub const SERIAL_RANGE_MISMATCH: Rule = Rule {
    code: "SERIAL_RANGE_MISMATCH",
    severity: Severity::Error,
    excludes: true,
    refuses: true,
    confirmed: true,
    citation: GRAMMARS,
    en: "A first or last unit given apart differs from the serial's own range, or only one of the two is given.",
    zh: "单独填写的首位或末位编号与序列号自带的区间不符，或只填写了其中一个。",
};
pub const SERIAL_VERRA_FLAG: Rule = Rule {
    code: "SERIAL_VERRA_FLAG",
    severity: Severity::Warning,
    excludes: false,
    refuses: false,
    confirmed: false,
    citation: "Observed, not documented by Verra: the serial's last digit was 1 exactly when the block carried an additional certification (CCB, CORSIA, Article 6, CDR) in 200/200 rows of Verra's transaction export (research notes §8)",
    en: "A Verra serial ending in 1 has no label recorded (CCB, CORSIA …), or a serial ending in 0 carries such a label.",
    zh: "以 1 结尾的 Verra 序列号未登记附加认证标签（CCB、CORSIA 等），或以 0 结尾的序列号带有此类标签。",
};
pub const SERIAL_CDM_NOT_CER: Rule = Rule {
    code: "SERIAL_CDM_NOT_CER",
    severity: Severity::Warning,
    excludes: false,
    refuses: false,
    confirmed: false,
    citation: "Kyoto unit identifiers: unit type 5 = CER (1 AAU, 2 RMU, 3/4 ERU, 6 tCER, 7 lCER); research notes §8 (secondary)",
    en: "A CDM serial whose unit type is not 5 (CER).",
    zh: "CDM 序列号的单位类型不是 5（CER）。",
};
pub const SERIAL_GS_RANGE_APART: Rule = Rule {
    code: "SERIAL_GS_RANGE_APART",
    severity: Severity::Warning,
    excludes: false,
    refuses: false,
    confirmed: false,
    citation: "OFFSET.md: some Chinese Gold Standard records keep the range in separate fields; not found in the verified export (research notes §8)",
    en: "A Gold Standard serial without its range, read with the first and last unit given apart: check them against the registry's record.",
    zh: "不含区间的黄金标准序列号，首末编号为单独填写：请与登记处记录核对。",
};
pub const SERIAL_VERBATIM: Rule = Rule {
    code: "SERIAL_VERBATIM",
    severity: Severity::Info,
    excludes: false,
    refuses: false,
    confirmed: false,
    citation: "No public unit-serial grammar of the new CCER registry (全国温室气体自愿减排注册登记系统) was found; only project ids and methodology numbers (research notes §8)",
    en: "The serial is kept verbatim with the quantity given: no public grammar exists to read a range from it, so double counting is caught only on the exact serial.",
    zh: "序列号按原文保存并采用填写的数量：没有公开的格式可读出区间，因此只能按完全相同的序列号识别重复计算。",
};

/// The rules of this module.
pub const RULES: &[Rule] = &[
    SERIAL_UNREADABLE,
    SERIAL_RANGE_REVERSED,
    SERIAL_DATE_INVALID,
    SERIAL_ENDS_DISAGREE,
    SERIAL_QTY_MISMATCH,
    SERIAL_QTY_INVALID,
    SERIAL_PROJECT_MISMATCH,
    SERIAL_VINTAGE_MISMATCH,
    SERIAL_COUNTRY_MISMATCH,
    SERIAL_RANGE_MISMATCH,
    SERIAL_VERRA_FLAG,
    SERIAL_CDM_NOT_CER,
    SERIAL_GS_RANGE_APART,
    SERIAL_VERBATIM,
];

/// The most digits a unit number may have: 10^15 stays exact in every JSON reader.
const MAX_UNIT_DIGITS: usize = 15;
/// The largest quantity of a block given without a range.
const MAX_QTY: u64 = 1_000_000_000_000_000;
/// The longest serial kept verbatim.
const MAX_SERIAL_CHARS: usize = 200;

/// A carbon credit registry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Registry {
    Verra,
    GoldStandard,
    Cdm,
    Ccer,
    Acr,
    Car,
    Art,
    Other,
}

impl Registry {
    pub const ALL: &'static [Registry] = &[
        Registry::Verra,
        Registry::GoldStandard,
        Registry::Cdm,
        Registry::Ccer,
        Registry::Acr,
        Registry::Car,
        Registry::Art,
        Registry::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Registry::Verra => "verra",
            Registry::GoldStandard => "gold-standard",
            Registry::Cdm => "cdm",
            Registry::Ccer => "ccer",
            Registry::Acr => "acr",
            Registry::Car => "car",
            Registry::Art => "art",
            Registry::Other => "other",
        }
    }

    /// English and Chinese names.
    pub fn names(self) -> (&'static str, &'static str) {
        match self {
            Registry::Verra => ("Verra (VCS) VCU", "Verra（VCS）核证碳单位"),
            Registry::GoldStandard => ("Gold Standard VER", "黄金标准 VER"),
            Registry::Cdm => ("CDM CER", "清洁发展机制 CER"),
            Registry::Ccer => ("CCER", "国家核证自愿减排量（CCER）"),
            Registry::Acr => ("ACR", "美国碳登记处（ACR）"),
            Registry::Car => ("Climate Action Reserve", "气候行动储备（CAR）"),
            Registry::Art => ("ART TREES", "ART TREES"),
            Registry::Other => ("other registry", "其他登记处"),
        }
    }

    /// Read a registry as typed: `verra`, `vcs`, `gold-standard`, `gs`, `cdm`, `ccer`, `acr`,
    /// `car`, `art`, `other` (case, `_` and spaces do not matter).
    pub fn parse(text: &str) -> Option<Registry> {
        let t = text.trim().to_ascii_lowercase().replace(['_', ' '], "-");
        Some(match t.as_str() {
            "verra" | "vcs" | "vcu" => Registry::Verra,
            "gold-standard" | "goldstandard" | "gs" | "ver" => Registry::GoldStandard,
            "cdm" | "cer" => Registry::Cdm,
            "ccer" => Registry::Ccer,
            "acr" | "american-carbon-registry" => Registry::Acr,
            "car" | "climate-action-reserve" => Registry::Car,
            "art" | "art-trees" => Registry::Art,
            "other" => Registry::Other,
            _ => return None,
        })
    }
}

impl fmt::Display for Registry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// The vintage of a block: a year (Gold Standard, ACR, CAR …) or a period (Verra: often a part of
/// a year). `2022` or `2022-01-01..2022-10-31` in JSON and on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Vintage {
    Year(i32),
    Period { from: NaiveDate, to: NaiveDate },
}

impl Vintage {
    /// Read `YYYY` or `YYYY-MM-DD..YYYY-MM-DD` (from not after to).
    pub fn parse(text: &str) -> Option<Vintage> {
        let t = text.trim();
        if let Some((a, b)) = t.split_once("..") {
            let from = NaiveDate::parse_from_str(a.trim(), "%Y-%m-%d").ok()?;
            let to = NaiveDate::parse_from_str(b.trim(), "%Y-%m-%d").ok()?;
            return (from <= to).then_some(Vintage::Period { from, to });
        }
        if t.len() == 4 && t.bytes().all(|b| b.is_ascii_digit()) {
            let year: i32 = t.parse().ok()?;
            return (1900..=2999).contains(&year).then_some(Vintage::Year(year));
        }
        None
    }

    pub fn start(self) -> NaiveDate {
        match self {
            Vintage::Year(y) => NaiveDate::from_ymd_opt(y, 1, 1).unwrap_or(NaiveDate::MIN),
            Vintage::Period { from, .. } => from,
        }
    }

    pub fn end(self) -> NaiveDate {
        match self {
            Vintage::Year(y) => NaiveDate::from_ymd_opt(y, 12, 31).unwrap_or(NaiveDate::MAX),
            Vintage::Period { to, .. } => to,
        }
    }

    /// Does a vintage given by a person agree with the serial's? Equal; or a year given for a
    /// period inside that year; or a period given inside the serial's year.
    pub fn agrees_with(self, serial: Vintage) -> bool {
        match (self, serial) {
            (a, b) if a == b => true,
            (Vintage::Year(y), Vintage::Period { from, to }) => from.year() == y && to.year() == y,
            (Vintage::Period { from, to }, Vintage::Year(y)) => from.year() == y && to.year() == y,
            _ => false,
        }
    }
}

impl fmt::Display for Vintage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Vintage::Year(y) => write!(f, "{y}"),
            Vintage::Period { from, to } => write!(f, "{from}..{to}"),
        }
    }
}

impl Serialize for Vintage {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// How much of a serial was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Reading {
    /// The registry's full grammar: range, project, vintage, country.
    Grammar,
    /// Only a trailing `first to last` range (an `other` serial).
    Range,
    /// Nothing: kept verbatim with the quantity given.
    Verbatim,
}

impl Reading {
    pub fn code(self) -> &'static str {
        match self {
            Reading::Grammar => "grammar",
            Reading::Range => "range",
            Reading::Verbatim => "verbatim",
        }
    }
}

/// Where the range sits in the text, so that a sub-range can be written in the same grammar.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Shape {
    /// `{prefix}{first}{sep}{last}{suffix}`
    Inline {
        prefix: String,
        sep: &'static str,
        suffix: String,
    },
    /// `{prefix}{first}{suffix} - {prefix}{last}{suffix}` (CDM)
    TwoEnds { prefix: String, suffix: String },
    /// The text names no range (verbatim, or a range given apart): kept as written.
    Fixed,
}

/// A serial as read: the registry, the text, the block it belongs to, its range and fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Serial {
    pub registry: Registry,
    /// The serial (trimmed; letters upper-case when a grammar read it).
    pub serial: String,
    pub reading: Reading,
    /// Blocks with the same registry and key can be compared for overlap.
    pub block_key: String,
    /// First unit, inclusive.
    pub first: Option<u64>,
    /// Last unit, inclusive.
    pub last: Option<u64>,
    /// Tonnes CO2e: `last − first + 1`, or as given for a serial without a range.
    pub quantity: u64,
    pub project_id: Option<String>,
    pub vintage: Option<Vintage>,
    /// ISO 3166 alpha-2 of the host country.
    pub country: Option<String>,
    /// Registry-specific fields, kept opaque (Verra `n` and `flag`, GS `type` and `batch` …).
    pub fields: BTreeMap<String, String>,
    /// Warnings and disclosures from reading it (they join the credit's checks).
    pub notes: Vec<Check>,
    #[serde(skip)]
    shape: Shape,
}

/// Values given beside a serial, to be checked against it.
#[derive(Debug, Clone, Default)]
pub struct Given<'a> {
    pub qty: Option<Decimal>,
    pub project_id: Option<&'a str>,
    pub vintage: Option<Vintage>,
    pub country: Option<&'a str>,
    /// A range given apart (a serial that does not carry its own).
    pub first: Option<u64>,
    pub last: Option<u64>,
    /// Labels recorded on the credit (CCB, CORSIA, CCP …).
    pub labels: &'a [String],
}

impl Serial {
    /// The range, when the serial has one.
    pub fn range(&self) -> Option<(u64, u64)> {
        Some((self.first?, self.last?))
    }

    /// The same block narrowed to `first..=last` (inside the block's range), its serial written
    /// in the registry's grammar. `None` when the block has no range or the sub-range is outside.
    pub fn with_range(&self, first: u64, last: u64) -> Option<Serial> {
        let (a, b) = self.range()?;
        if first > last || first < a || last > b {
            return None;
        }
        let serial = match &self.shape {
            Shape::Inline {
                prefix,
                sep,
                suffix,
            } => format!("{prefix}{first}{sep}{last}{suffix}"),
            Shape::TwoEnds { prefix, suffix } => {
                format!("{prefix}{first}{suffix} - {prefix}{last}{suffix}")
            }
            Shape::Fixed => self.serial.clone(),
        };
        Some(Serial {
            serial,
            first: Some(first),
            last: Some(last),
            quantity: last - first + 1,
            ..self.clone()
        })
    }

    /// The same block with `quantity` units (for a block without a range), serial unchanged.
    pub fn with_quantity(&self, quantity: u64) -> Serial {
        Serial {
            quantity,
            ..self.clone()
        }
    }

    /// A block as it was stored, kept verbatim with its quantity, when its text no longer reads
    /// as `registry`'s serial (edited outside the app, or recorded by another version): shown as
    /// written, with no range and no fields. The caller leaves it out of the figures.
    pub fn as_stored(registry: Registry, text: &str, quantity: u64) -> Serial {
        Serial {
            registry,
            serial: text.to_string(),
            reading: Reading::Verbatim,
            block_key: text.to_string(),
            first: None,
            last: None,
            quantity,
            project_id: None,
            vintage: None,
            country: None,
            fields: BTreeMap::new(),
            notes: Vec::new(),
            shape: Shape::Fixed,
        }
    }

    /// Where the serial came from, for messages: `verra 19380-…-0`.
    pub fn label(&self) -> String {
        format!("{} {}", self.registry.code(), self.serial)
    }
}

/// Read `text` as a serial of `registry` and check the values given beside it.
pub fn read(registry: Registry, text: &str, given: &Given) -> Result<Serial, Refusal> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(Refusal::of(
            &SERIAL_UNREADABLE,
            "serial",
            "serial: empty; paste the serial number from the registry's record",
            "序列号：为空；请粘贴登记处记录中的序列号",
        ));
    }
    if trimmed.chars().count() > MAX_SERIAL_CHARS {
        return Err(Refusal::of(
            &SERIAL_UNREADABLE,
            "serial",
            format!(
                "serial: longer than {MAX_SERIAL_CHARS} characters; paste only the serial number"
            ),
            format!("序列号：超过 {MAX_SERIAL_CHARS} 个字符；请只粘贴序列号本身"),
        )
        .at(MAX_SERIAL_CHARS + 1));
    }
    if let Some((i, c)) = trimmed.chars().enumerate().find(|(_, c)| c.is_control()) {
        return Err(Refusal::of(
            &SERIAL_UNREADABLE,
            "serial",
            format!("serial: at character {}: a control character ({}) cannot be part of a serial; paste the serial on one line", i + 1, code_point(c)),
            format!("序列号：第 {} 个字符是控制字符（{}），不能出现在序列号中；请将序列号粘贴为一行", i + 1, code_point(c)),
        )
        .at(i + 1));
    }
    let mut serial = match registry {
        Registry::Verra => verra(trimmed)?,
        Registry::GoldStandard => gold_standard(trimmed)?,
        Registry::Cdm => cdm(trimmed)?,
        Registry::Acr => to_range(trimmed, Registry::Acr)?,
        Registry::Car => to_range(trimmed, Registry::Car)?,
        Registry::Art => to_range(trimmed, Registry::Art)?,
        Registry::Ccer | Registry::Other => verbatim(trimmed, registry)?,
    };
    apply_given(&mut serial, given)?;
    Ok(serial)
}

// ---------------------------------------------------------------------------------------------
// The cursor: reads a serial character by character and says where it stops making sense.

#[derive(Clone, Copy)]
struct Template {
    en: &'static str,
    zh: &'static str,
}

const VERRA: Template = Template {
    en: "A Verra VCU serial reads {issuance}-{first}-{last}-VCS-VCU-{n}-VER-{country}-{scope}-{project}-{ddMMyyyy}-{ddMMyyyy}-{0|1}",
    zh: "Verra VCU 序列号格式为 {发行号}-{首位}-{末位}-VCS-VCU-{n}-VER-{国家}-{行业范围}-{项目}-{日月年}-{日月年}-{0|1}",
};
const GOLD: Template = Template {
    en: "A Gold Standard serial reads GS1-1-{country}-GS{project}-{type}-{vintage year}-{batch}-{first}-{last}",
    zh: "黄金标准序列号格式为 GS1-1-{国家}-GS{项目}-{类型}-{年份}-{批次}-{首位}-{末位}",
};
const CDM: Template = Template {
    en: "A CDM range reads {party}-{unit type}-{serial}-{CP}-{CP}-{LULUCF}-{project} - {the same with the last serial}",
    zh: "CDM 区间格式为 {缔约方}-{单位类型}-{序号}-{承诺期}-{承诺期}-{LULUCF}-{项目} - {末位序号的同样格式}",
};
const ACR: Template = Template {
    en: "An ACR serial reads ACR-{country}-{project}-{vintage year}-{batch}-{first} to {last}",
    zh: "ACR 序列号格式为 ACR-{国家}-{项目}-{年份}-{批次}-{首位} to {末位}",
};
const CAR: Template = Template {
    en: "A Climate Action Reserve serial reads CAR-{1|ROC}-{country}-{project}-{n}-{n}-{state}-{vintage year}-{batch}-{first} to {last}",
    zh: "CAR 序列号格式为 CAR-{1|ROC}-{国家}-{项目}-{n}-{n}-{州}-{年份}-{批次}-{首位} to {末位}",
};
const ART: Template = Template {
    en: "An ART serial reads {ART|FCPF}-{country}-{programme}-{vintage year}-{batch}-{first} to {last}",
    zh: "ART 序列号格式为 {ART|FCPF}-{国家}-{项目}-{年份}-{批次}-{首位} to {末位}",
};

struct Cursor {
    chars: Vec<char>,
    pos: usize,
    template: Template,
}

/// `'–' (U+2013)` and what it probably is.
fn code_point(c: char) -> String {
    format!("U+{:04X}", c as u32)
}

fn describe(c: Option<char>) -> (String, String) {
    match c {
        None => ("the serial ends".into(), "序列号已结束".into()),
        Some(c) if c.is_ascii_graphic() => (format!("found '{c}'"), format!("此处为“{c}”")),
        Some(' ') => ("found a space".into(), "此处为空格".into()),
        Some(c) => {
            let hint = match c {
                '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FF0D}' => {
                    (" (a dash, not the hyphen '-')", "（破折号，不是连字符“-”）")
                }
                '\u{FF10}'..='\u{FF19}' => (
                    " (a full-width digit: type the ASCII digit)",
                    "（全角数字：请输入半角数字）",
                ),
                '\u{00A0}' | '\u{3000}' => (
                    " (a non-breaking or full-width space)",
                    "（不换行或全角空格）",
                ),
                _ => ("", ""),
            };
            (
                format!("found '{c}' ({}){}", code_point(c), hint.0),
                format!("此处为“{c}”（{}）{}", code_point(c), hint.1),
            )
        }
    }
}

impl Cursor {
    fn new(text: &str, template: Template) -> Cursor {
        Cursor {
            chars: text.chars().collect(),
            pos: 0,
            template,
        }
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    /// Refuse at the current character: `expected` says what should be there (en, zh).
    fn fail(&self, expected: (&str, &str)) -> Refusal {
        self.fail_at(self.pos, expected)
    }

    fn fail_at(&self, index: usize, expected: (&str, &str)) -> Refusal {
        let (found_en, found_zh) = describe(self.chars.get(index).copied());
        let t = self.template;
        Refusal::of(
            &SERIAL_UNREADABLE,
            "serial",
            format!(
                "serial: at character {}, {found_en}; expected {}. {}.",
                index + 1,
                expected.0,
                t.en
            ),
            format!(
                "序列号：第 {} 个字符处{found_zh}；此处应为{}。{}。",
                index + 1,
                expected.1,
                t.zh
            ),
        )
        .at(index + 1)
    }

    /// A semantic refusal of the field that starts at `index`.
    fn refuse_at(&self, rule: &Rule, index: usize, en: String, zh: String) -> Refusal {
        let t = self.template;
        Refusal::of(
            rule,
            "serial",
            format!("serial: at character {}, {en}. {}.", index + 1, t.en),
            format!("序列号：第 {} 个字符处，{zh}。{}。", index + 1, t.zh),
        )
        .at(index + 1)
    }

    /// A literal, letters without regard to case.
    fn literal(&mut self, lit: &str) -> Result<(), Refusal> {
        for expected in lit.chars() {
            match self.peek() {
                Some(c) if c.eq_ignore_ascii_case(&expected) => self.pos += 1,
                _ => {
                    let what = if lit.contains(' ') {
                        (format!("'{lit}'"), format!("“{lit}”"))
                    } else if expected == '-' {
                        ("'-' (a hyphen)".to_string(), "“-”（连字符）".to_string())
                    } else if expected == ' ' {
                        (format!("'{lit}'"), format!("“{lit}”"))
                    } else {
                        (
                            format!("'{expected}' of '{}'", lit.trim_matches('-')),
                            format!("“{}”中的“{expected}”", lit.trim_matches('-')),
                        )
                    };
                    return Err(self.fail((&what.0, &what.1)));
                }
            }
        }
        Ok(())
    }

    /// 1..=max ASCII digits; returns the digits and where they start.
    fn digits(&mut self, max: usize, what: (&str, &str)) -> Result<(String, usize), Refusal> {
        let start = self.pos;
        while matches!(self.peek(), Some(c) if c.is_ascii_digit()) {
            if self.pos - start == max {
                let en = format!("at most {max} digits for {}", what.0);
                let zh = format!("{}（最多 {max} 位数字）的结束", what.1);
                return Err(self.fail((&en, &zh)));
            }
            self.pos += 1;
        }
        if self.pos == start {
            let en = format!("{} (digits)", what.0);
            let zh = format!("{}（数字）", what.1);
            return Err(self.fail((&en, &zh)));
        }
        Ok((self.chars[start..self.pos].iter().collect(), start))
    }

    /// A unit number (1–15 digits).
    fn unit(&mut self, what: (&str, &str)) -> Result<(u64, usize), Refusal> {
        let (text, start) = self.digits(MAX_UNIT_DIGITS, what)?;
        let value = text.parse::<u64>().map_err(|_| self.fail_at(start, what))?;
        Ok((value, start))
    }

    /// Two ASCII letters, upper-cased (a country or a state).
    fn alpha2(&mut self, what: (&str, &str)) -> Result<String, Refusal> {
        let mut out = String::new();
        for _ in 0..2 {
            match self.peek() {
                Some(c) if c.is_ascii_alphabetic() => {
                    out.push(c.to_ascii_uppercase());
                    self.pos += 1;
                }
                _ => return Err(self.fail(what)),
            }
        }
        if matches!(self.peek(), Some(c) if c.is_ascii_alphabetic()) {
            return Err(self.fail(("'-' after the two letters", "两个字母之后的“-”")));
        }
        Ok(out)
    }

    /// A year of four digits, 1990–2100.
    fn year(&mut self, what: (&str, &str)) -> Result<(i32, usize), Refusal> {
        let (text, start) = self.digits(4, what)?;
        let year: i32 = text.parse().unwrap_or(0);
        if text.len() != 4 || !(1990..=2100).contains(&year) {
            let en = format!("{} (a year 1990–2100)", what.0);
            let zh = format!("{}（1990–2100 之间的年份）", what.1);
            return Err(self.fail_at(start, (&en, &zh)));
        }
        Ok((year, start))
    }

    /// `ddMMyyyy`.
    fn date8(&mut self, what: (&str, &str)) -> Result<(NaiveDate, String, usize), Refusal> {
        let start = self.pos;
        for i in 0..8 {
            match self.peek() {
                Some(c) if c.is_ascii_digit() => self.pos += 1,
                _ => {
                    let en = format!("{} as ddMMyyyy (digit {} of 8)", what.0, i + 1);
                    let zh = format!(
                        "{}，格式为日月年 ddMMyyyy（8 位中的第 {} 位）",
                        what.1,
                        i + 1
                    );
                    return Err(self.fail((&en, &zh)));
                }
            }
        }
        let text: String = self.chars[start..self.pos].iter().collect();
        let day: u32 = text[0..2].parse().unwrap_or(0);
        let month: u32 = text[2..4].parse().unwrap_or(0);
        let year: i32 = text[4..8].parse().unwrap_or(0);
        if !(1..=12).contains(&month) {
            return Err(self.refuse_at(
                &SERIAL_DATE_INVALID,
                start + 2,
                format!(
                    "{} {text} has month {month:02}, which is not 01–12 (the date is ddMMyyyy)",
                    what.0
                ),
                format!(
                    "{} {text} 的月份为 {month:02}，不在 01–12 之间（日期格式为日月年 ddMMyyyy）",
                    what.1
                ),
            ));
        }
        if !(1990..=2100).contains(&year) {
            return Err(self.refuse_at(
                &SERIAL_DATE_INVALID,
                start + 4,
                format!("{} {text} has year {year}, outside 1990–2100", what.0),
                format!("{} {text} 的年份为 {year}，不在 1990–2100 之间", what.1),
            ));
        }
        let Some(date) = NaiveDate::from_ymd_opt(year, month, day) else {
            return Err(self.refuse_at(
                &SERIAL_DATE_INVALID,
                start,
                format!(
                    "{} {text}: day {day:02} does not exist in {year}-{month:02}",
                    what.0
                ),
                format!("{} {text}：{year}-{month:02} 没有第 {day:02} 日", what.1),
            ));
        };
        Ok((date, text, start))
    }

    fn end(&self) -> Result<(), Refusal> {
        match self.peek() {
            None => Ok(()),
            Some(_) => Err(self.fail(("the end of the serial", "序列号结束"))),
        }
    }

    fn text(&self, from: usize, to: usize) -> String {
        self.chars[from..to]
            .iter()
            .map(|c| c.to_ascii_uppercase())
            .collect()
    }

    /// Refuse a range whose last unit is before its first.
    fn ordered(&self, first: u64, last: (u64, usize)) -> Result<(), Refusal> {
        if last.0 < first {
            return Err(self.refuse_at(
                &SERIAL_RANGE_REVERSED,
                last.1,
                format!("the last unit {} is before the first unit {first}; a range is written first then last, first ≤ last", last.0),
                format!("末位编号 {} 小于首位编号 {first}；区间须先写首位再写末位，且首位 ≤ 末位", last.0),
            ));
        }
        Ok(())
    }
}

const ISSUANCE: (&str, &str) = ("the issuance number", "发行号");
const FIRST: (&str, &str) = ("the first unit", "首位编号");
const LAST: (&str, &str) = ("the last unit", "末位编号");
const COUNTRY: (&str, &str) = (
    "the two-letter country code (e.g. CN)",
    "两个字母的国家代码（如 CN）",
);
const PROJECT: (&str, &str) = ("the project id", "项目编号");
const BATCH: (&str, &str) = ("the batch number", "批次号");
const VINTAGE_YEAR: (&str, &str) = ("the vintage year", "年份");

fn serial_of(
    registry: Registry,
    serial: String,
    block_key: String,
    range: (u64, u64),
    shape: Shape,
) -> Serial {
    Serial {
        registry,
        serial,
        reading: Reading::Grammar,
        block_key,
        first: Some(range.0),
        last: Some(range.1),
        quantity: range.1 - range.0 + 1,
        project_id: None,
        vintage: None,
        country: None,
        fields: BTreeMap::new(),
        notes: Vec::new(),
        shape,
    }
}

fn verra(text: &str) -> Result<Serial, Refusal> {
    let mut c = Cursor::new(text, VERRA);
    let (issuance, _) = c.digits(12, ISSUANCE)?;
    c.literal("-")?;
    let range_start = c.pos;
    let (first, _) = c.unit(FIRST)?;
    c.literal("-")?;
    let last = c.unit(LAST)?;
    let range_end = c.pos;
    c.literal("-VCS-VCU-")?;
    let (n, _) = c.digits(9, ("the number after VCU", "VCU 之后的编号"))?;
    c.literal("-VER-")?;
    let country = c.alpha2(COUNTRY)?;
    c.literal("-")?;
    let (scope, _) = c.digits(3, ("the sectoral scope", "行业范围"))?;
    c.literal("-")?;
    let (project, _) = c.digits(9, PROJECT)?;
    c.literal("-")?;
    let (from, from_text, _) = c.date8(("the vintage start", "年份期开始日期"))?;
    c.literal("-")?;
    let (to, to_text, to_start) = c.date8(("the vintage end", "年份期结束日期"))?;
    c.literal("-")?;
    let flag = match c.peek() {
        Some(ch @ ('0' | '1')) => {
            c.pos += 1;
            ch
        }
        Some(ch) => {
            let hint = if ch.eq_ignore_ascii_case(&'o') {
                (
                    "0 or 1, the additional-certification flag (this is the letter O, not the digit 0)",
                    "0 或 1（附加认证标志；此处是字母 O，不是数字 0）",
                )
            } else {
                (
                    "0 or 1, the additional-certification flag",
                    "0 或 1（附加认证标志）",
                )
            };
            return Err(c.fail(hint));
        }
        None => {
            return Err(c.fail((
                "0 or 1, the additional-certification flag",
                "0 或 1（附加认证标志）",
            )))
        }
    };
    c.end()?;
    c.ordered(first, last)?;
    if to < from {
        return Err(c.refuse_at(
            &SERIAL_DATE_INVALID,
            to_start,
            format!("the vintage ends {to} before it starts {from}"),
            format!("年份期结束日期 {to} 早于开始日期 {from}"),
        ));
    }
    let mut s = serial_of(
        Registry::Verra,
        c.text(0, c.chars.len()),
        issuance.clone(),
        (first, last.0),
        Shape::Inline {
            prefix: c.text(0, range_start),
            sep: "-",
            suffix: c.text(range_end, c.chars.len()),
        },
    );
    s.project_id = Some(project);
    s.country = Some(country);
    s.vintage = Some(Vintage::Period { from, to });
    s.fields = BTreeMap::from([
        ("issuance".to_string(), issuance),
        ("n".to_string(), n),
        ("sectoral_scope".to_string(), scope),
        ("vintage_start".to_string(), from_text),
        ("vintage_end".to_string(), to_text),
        ("flag".to_string(), flag.to_string()),
    ]);
    Ok(s)
}

fn gold_standard(text: &str) -> Result<Serial, Refusal> {
    let mut c = Cursor::new(text, GOLD);
    c.literal("GS1-1-")?;
    let country = c.alpha2(COUNTRY)?;
    c.literal("-GS")?;
    let (project, _) = c.digits(9, PROJECT)?;
    c.literal("-")?;
    let (kind, _) = c.digits(3, ("the project type code", "项目类型代码"))?;
    c.literal("-")?;
    let (year, _) = c.year(VINTAGE_YEAR)?;
    c.literal("-")?;
    let (batch, _) = c.digits(12, BATCH)?;
    let fields = BTreeMap::from([
        ("type".to_string(), kind),
        ("batch".to_string(), batch.clone()),
    ]);
    let mut s = if c.peek().is_none() {
        // The range is kept apart (seen in some Chinese records): given first and last required.
        let mut s = serial_of(
            Registry::GoldStandard,
            c.text(0, c.chars.len()),
            batch,
            (0, 0),
            Shape::Fixed,
        );
        s.first = None;
        s.last = None;
        s.quantity = 0;
        s
    } else {
        c.literal("-")?;
        let range_start = c.pos;
        let (first, _) = c.unit(FIRST)?;
        c.literal("-")?;
        let last = c.unit(LAST)?;
        c.end()?;
        c.ordered(first, last)?;
        serial_of(
            Registry::GoldStandard,
            c.text(0, c.chars.len()),
            batch,
            (first, last.0),
            Shape::Inline {
                prefix: c.text(0, range_start),
                sep: "-",
                suffix: String::new(),
            },
        )
    };
    s.project_id = Some(project);
    s.country = Some(country);
    s.vintage = Some(Vintage::Year(year));
    s.fields = fields;
    Ok(s)
}

/// One end of a CDM range: the fields and where the unit serial sits.
struct CdmEnd {
    fields: [(String, usize); 7],
}

const CDM_FIELDS: [(&str, &str); 7] = [
    ("party", "缔约方"),
    ("unit type", "单位类型"),
    ("unit serial", "单位序号"),
    ("original commitment period", "原始承诺期"),
    ("applicable commitment period", "适用承诺期"),
    ("LULUCF activity", "LULUCF 活动"),
    ("project", "项目"),
];

fn cdm_end(c: &mut Cursor) -> Result<CdmEnd, Refusal> {
    let start = c.pos;
    let party = c.alpha2(COUNTRY)?;
    c.literal("-")?;
    let kind = c.digits(2, ("the unit type", "单位类型"))?;
    c.literal("-")?;
    let serial = c.digits(MAX_UNIT_DIGITS, ("the unit serial", "单位序号"))?;
    c.literal("-")?;
    let cp1 = c.digits(2, ("the original commitment period", "原始承诺期"))?;
    c.literal("-")?;
    let cp2 = c.digits(2, ("the applicable commitment period", "适用承诺期"))?;
    c.literal("-")?;
    let lulucf = c.digits(3, ("the LULUCF activity", "LULUCF 活动"))?;
    c.literal("-")?;
    let project = c.digits(9, PROJECT)?;
    Ok(CdmEnd {
        fields: [(party, start), kind, serial, cp1, cp2, lulucf, project],
    })
}

fn cdm(text: &str) -> Result<Serial, Refusal> {
    let mut c = Cursor::new(text, CDM);
    let a = cdm_end(&mut c)?;
    // the two ends are joined by " - " (spaces optional)
    while c.peek() == Some(' ') {
        c.pos += 1;
    }
    if c.peek() != Some('-') {
        return Err(c.fail((
            "' - ' and the last unit's identifier",
            "“ - ”及末位单位的完整编号",
        )));
    }
    c.pos += 1;
    while c.peek() == Some(' ') {
        c.pos += 1;
    }
    let b = cdm_end(&mut c)?;
    c.end()?;
    for (i, ((va, _), (vb, at))) in a.fields.iter().zip(b.fields.iter()).enumerate() {
        if i != 2 && va != vb {
            let (en, zh) = CDM_FIELDS[i];
            return Err(c.refuse_at(
                &SERIAL_ENDS_DISAGREE,
                *at,
                format!("the last unit's {en} {vb} differs from the first unit's {va}; both ends of a CDM range differ only in the unit serial"),
                format!("末位单位的{zh} {vb} 与首位单位的 {va} 不同；CDM 区间两端只能在单位序号上不同"),
            ));
        }
    }
    let parse = |(t, at): &(String, usize)| -> Result<(u64, usize), Refusal> {
        t.parse::<u64>()
            .map(|v| (v, *at))
            .map_err(|_| c.fail_at(*at, ("the unit serial", "单位序号")))
    };
    let first = parse(&a.fields[2])?;
    let last = parse(&b.fields[2])?;
    c.ordered(first.0, last)?;
    let f = |i: usize| a.fields[i].0.to_ascii_uppercase();
    let prefix = format!("{}-{}-", f(0), f(1));
    let suffix = format!("-{}-{}-{}-{}", f(3), f(4), f(5), f(6));
    let mut s = serial_of(
        Registry::Cdm,
        format!(
            "{prefix}{}{suffix} - {prefix}{}{suffix}",
            a.fields[2].0, b.fields[2].0
        ),
        format!("{}-{}-*-{}-{}-{}-{}", f(0), f(1), f(3), f(4), f(5), f(6)),
        (first.0, last.0),
        Shape::TwoEnds { prefix, suffix },
    );
    s.project_id = Some(f(6));
    s.country = Some(f(0));
    s.fields = BTreeMap::from([
        ("unit_type".to_string(), f(1)),
        ("original_cp".to_string(), f(3)),
        ("applicable_cp".to_string(), f(4)),
        ("lulucf".to_string(), f(5)),
    ]);
    if f(1) != "5" {
        s.notes.push(Check::new(
            &SERIAL_CDM_NOT_CER,
            format!("the unit type is {}, not 5 (CER): check the registry record (1 AAU, 2 RMU, 3/4 ERU, 6 tCER, 7 lCER)", f(1)),
            format!("单位类型为 {}，不是 5（CER）：请核对登记处记录（1 AAU、2 RMU、3/4 ERU、6 tCER、7 lCER）", f(1)),
        ));
    }
    Ok(s)
}

/// ACR, CAR and ART serials: fields, then `{first} to {last}`.
fn to_range(text: &str, registry: Registry) -> Result<Serial, Refusal> {
    let template = match registry {
        Registry::Acr => ACR,
        Registry::Car => CAR,
        _ => ART,
    };
    let mut c = Cursor::new(text, template);
    let mut fields = BTreeMap::new();
    let country;
    let project;
    let year;
    match registry {
        Registry::Acr => {
            c.literal("ACR-")?;
            country = c.alpha2(COUNTRY)?;
            c.literal("-")?;
            project = c.digits(9, PROJECT)?.0;
            c.literal("-")?;
            year = c.year(VINTAGE_YEAR)?.0;
        }
        Registry::Car => {
            c.literal("CAR-")?;
            let program = if matches!(c.peek(), Some('1')) {
                c.literal("1")?;
                "1"
            } else if matches!(c.peek(), Some('R' | 'r')) {
                c.literal("ROC")?;
                "ROC"
            } else {
                return Err(c.fail(("'1' or 'ROC'", "“1”或“ROC”")));
            };
            fields.insert("program".to_string(), program.to_string());
            c.literal("-")?;
            country = c.alpha2(COUNTRY)?;
            c.literal("-")?;
            project = c.digits(9, PROJECT)?.0;
            c.literal("-")?;
            fields.insert("a".to_string(), c.digits(9, ("a number", "数字"))?.0);
            c.literal("-")?;
            fields.insert("b".to_string(), c.digits(9, ("a number", "数字"))?.0);
            c.literal("-")?;
            fields.insert(
                "state".to_string(),
                c.alpha2(("the two-letter state code", "两个字母的州代码"))?,
            );
            c.literal("-")?;
            year = c.year(VINTAGE_YEAR)?.0;
        }
        _ => {
            let prefix = if matches!(c.peek(), Some('F' | 'f')) {
                c.literal("FCPF-")?;
                "FCPF"
            } else {
                c.literal("ART-")?;
                "ART"
            };
            fields.insert("prefix".to_string(), prefix.to_string());
            country = c.alpha2(COUNTRY)?;
            c.literal("-")?;
            project = c.digits(9, PROJECT)?.0;
            c.literal("-")?;
            year = c.year(VINTAGE_YEAR)?.0;
        }
    }
    c.literal("-")?;
    let (batch, _) = c.digits(12, BATCH)?;
    fields.insert("batch".to_string(), batch);
    c.literal("-")?;
    let key_end = c.pos - 1;
    let range_start = c.pos;
    let (first, _) = c.unit(FIRST)?;
    let first_text: String = c.chars[range_start..c.pos].iter().collect();
    c.literal(" to ")?;
    let last = c.unit(LAST)?;
    let last_text: String = c.chars[last.1..c.pos].iter().collect();
    c.end()?;
    c.ordered(first, last)?;
    let prefix = c.text(0, range_start);
    let mut s = serial_of(
        registry,
        format!("{prefix}{first_text} to {last_text}"),
        c.text(0, key_end),
        (first, last.0),
        Shape::Inline {
            prefix,
            sep: " to ",
            suffix: String::new(),
        },
    );
    s.project_id = Some(project);
    s.country = Some(country);
    s.vintage = Some(Vintage::Year(year));
    s.fields = fields;
    Ok(s)
}

/// CCER and other serials: verbatim; an `other` serial ending in `{first} to {last}` is read for
/// its range.
fn verbatim(text: &str, registry: Registry) -> Result<Serial, Refusal> {
    let mut s = Serial {
        registry,
        serial: text.to_string(),
        reading: Reading::Verbatim,
        block_key: text.to_string(),
        first: None,
        last: None,
        quantity: 0,
        project_id: None,
        vintage: None,
        country: None,
        fields: BTreeMap::new(),
        notes: Vec::new(),
        shape: Shape::Fixed,
    };
    if registry == Registry::Other {
        if let Some((head, last_text)) = text.rsplit_once(" to ") {
            let digits_start = head
                .char_indices()
                .rev()
                .take_while(|(_, c)| c.is_ascii_digit())
                .last()
                .map(|(i, _)| i);
            let last_ok = !last_text.is_empty()
                && last_text.len() <= MAX_UNIT_DIGITS
                && last_text.bytes().all(|b| b.is_ascii_digit());
            if let (Some(i), true) = (digits_start, last_ok) {
                let first_text = &head[i..];
                let (Ok(first), Ok(last)) = (first_text.parse::<u64>(), last_text.parse::<u64>())
                else {
                    return Ok(s);
                };
                if first_text.len() > MAX_UNIT_DIGITS {
                    return Ok(s);
                }
                let head_chars = head.chars().count();
                if last < first {
                    return Err(Refusal::of(
                        &SERIAL_RANGE_REVERSED,
                        "serial",
                        format!("serial: at character {}, the last unit {last} is before the first unit {first}; a range is written 'first to last', first ≤ last", head_chars + 5),
                        format!("序列号：第 {} 个字符处，末位编号 {last} 小于首位编号 {first}；区间须写成“首位 to 末位”，且首位 ≤ 末位", head_chars + 5),
                    )
                    .at(head_chars + 5));
                }
                let prefix = head[..i].to_string();
                s.block_key = prefix.trim_end_matches(['-', ' ']).to_string();
                s.reading = Reading::Range;
                s.first = Some(first);
                s.last = Some(last);
                s.quantity = last - first + 1;
                s.shape = Shape::Inline {
                    prefix,
                    sep: " to ",
                    suffix: String::new(),
                };
            }
        }
    }
    Ok(s)
}

/// Project ids compare without the registry's letters, spaces, hyphens and leading zeros:
/// `GS11603` = `11603`, `VCS 3005` = `3005`, `CAR1335` = `1335`.
fn project_key(text: &str) -> String {
    let t: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-' && *c != '#')
        .collect::<String>()
        .to_ascii_uppercase();
    let mut t = t.as_str();
    for prefix in ["VCS", "VERRA", "GS", "ACR", "CAR", "ART", "CDM"] {
        if let Some(rest) = t.strip_prefix(prefix) {
            if rest.chars().next().is_some_and(|c| c.is_ascii_digit()) {
                t = rest;
                break;
            }
        }
    }
    let trimmed = t.trim_start_matches('0');
    if trimmed.is_empty() && !t.is_empty() {
        "0".to_string()
    } else {
        trimmed.to_string()
    }
}

/// Additional certifications a Verra block can carry (its serial then ends in 1).
fn is_additional_certification(label: &str) -> bool {
    let l = label.to_ascii_uppercase();
    [
        "CCB",
        "CORSIA",
        "ARTICLE 6",
        "ARTICLE6",
        "SD VISTA",
        "SDVISTA",
        "CDR",
        "CARBON DIOXIDE REMOVAL",
    ]
    .iter()
    .any(|k| l.contains(k))
}

fn apply_given(s: &mut Serial, given: &Given) -> Result<(), Refusal> {
    let label = s.serial.clone();
    // a range given apart
    match (given.first, given.last) {
        (None, None) => {}
        (Some(first), Some(last)) => match s.range() {
            Some((a, b)) if (a, b) != (first, last) => {
                return Err(Refusal::of(
                    &SERIAL_RANGE_MISMATCH,
                    "first",
                    format!("first/last: {first}–{last} given, but the serial {label} names the range {a}–{b}; leave them out or correct them"),
                    format!("首位/末位：填写为 {first}–{last}，但序列号 {label} 的区间为 {a}–{b}；请删除或更正"),
                ));
            }
            Some(_) => {}
            None => {
                if last < first {
                    return Err(Refusal::of(
                        &SERIAL_RANGE_REVERSED,
                        "last",
                        format!("last: {last} is before first {first}; the range is first to last, first ≤ last"),
                        format!("末位：{last} 小于首位 {first}；区间须首位 ≤ 末位"),
                    ));
                }
                if first.to_string().len() > MAX_UNIT_DIGITS
                    || last.to_string().len() > MAX_UNIT_DIGITS
                {
                    return Err(Refusal::of(
                        &SERIAL_RANGE_MISMATCH,
                        "last",
                        format!("first/last: a unit number has more than {MAX_UNIT_DIGITS} digits"),
                        format!("首位/末位：单位编号超过 {MAX_UNIT_DIGITS} 位"),
                    ));
                }
                s.first = Some(first);
                s.last = Some(last);
                s.quantity = last - first + 1;
                if s.registry == Registry::GoldStandard {
                    s.notes.push(Check::new(
                        &SERIAL_GS_RANGE_APART,
                        format!("the serial {label} carries no range; units {first}–{last} were given apart: check them against the registry's record"),
                        format!("序列号 {label} 不含区间；单位 {first}–{last} 为单独填写：请与登记处记录核对"),
                    ));
                }
            }
        },
        (Some(_), None) | (None, Some(_)) => {
            let field = if given.first.is_some() {
                "last"
            } else {
                "first"
            };
            return Err(Refusal::of(
                &SERIAL_RANGE_MISMATCH,
                field,
                "first/last: give both the first and the last unit, or neither",
                "首位/末位：请同时填写首位和末位编号，或都不填写",
            ));
        }
    }
    if s.registry == Registry::GoldStandard && s.range().is_none() {
        return Err(Refusal::of(
            &SERIAL_RANGE_MISMATCH,
            "first",
            format!("first/last: the Gold Standard serial {label} carries no range; give the first and last unit from the registry's record"),
            format!("首位/末位：黄金标准序列号 {label} 不含区间；请填写登记处记录中的首位和末位编号"),
        ));
    }
    // quantity
    let given_qty = match given.qty {
        None => None,
        Some(q) => {
            let whole = q.fract().is_zero() && q > Decimal::ZERO;
            let value = if whole {
                u64::try_from(q.trunc()).ok()
            } else {
                None
            };
            match value {
                Some(v) if v <= MAX_QTY => Some(v),
                _ => {
                    return Err(Refusal::of(
                        &SERIAL_QTY_INVALID,
                        "qty",
                        format!("qty: {q} is not a whole, positive number of tonnes up to 10^15 (one credit is one tonne CO2e)"),
                        format!("数量：{q} 不是 10^15 以内的正整数吨（一个信用为一吨二氧化碳当量）"),
                    ));
                }
            }
        }
    };
    match (s.range(), given_qty) {
        (Some((a, b)), Some(q)) if q != s.quantity => {
            return Err(Refusal::of(
                &SERIAL_QTY_MISMATCH,
                "qty",
                format!("qty: {q} given, but the serial's range {a}–{b} holds {} (last − first + 1); correct the quantity or the serial", s.quantity),
                format!("数量：填写为 {q}，但序列号区间 {a}–{b} 共 {}（末位 − 首位 + 1）；请更正数量或序列号", s.quantity),
            ));
        }
        (Some(_), _) => {}
        (None, Some(q)) => s.quantity = q,
        (None, None) => {
            return Err(Refusal::of(
                &SERIAL_QTY_INVALID,
                "qty",
                format!("qty: the serial {label} names no range of units, so its quantity must be given (whole tonnes)"),
                format!("数量：序列号 {label} 不含单位区间，须填写数量（整吨）"),
            ));
        }
    }
    if s.reading == Reading::Verbatim {
        let note = if s.registry == Registry::Ccer {
            (
                "no public unit-serial grammar of the CCER registry exists",
                "CCER 登记系统没有公开的单位序列号格式",
            )
        } else {
            (
                "the serial follows no grammar the app reads",
                "该序列号不符合本软件可读取的格式",
            )
        };
        s.notes.push(Check::new(
            &SERIAL_VERBATIM,
            format!(
                "kept verbatim with {} t: {}; double counting is caught only on the exact serial",
                s.quantity, note.0
            ),
            format!(
                "按原文保存，数量 {} 吨：{}；只能按完全相同的序列号识别重复计算",
                s.quantity, note.1
            ),
        ));
    }
    // project id
    if let Some(p) = given.project_id.map(str::trim).filter(|p| !p.is_empty()) {
        match &s.project_id {
            Some(own) if project_key(own) != project_key(p) => {
                return Err(Refusal::of(
                    &SERIAL_PROJECT_MISMATCH,
                    "project_id",
                    format!("project_id: '{p}' given, but the serial {label} is of project {own}; correct one of them"),
                    format!("项目编号：填写为“{p}”，但序列号 {label} 属于项目 {own}；请更正其一"),
                ));
            }
            Some(_) => {}
            None => s.project_id = Some(p.to_string()),
        }
    }
    // vintage
    if let Some(v) = given.vintage {
        match s.vintage {
            Some(own) if !v.agrees_with(own) => {
                return Err(Refusal::of(
                    &SERIAL_VINTAGE_MISMATCH,
                    "vintage",
                    format!("vintage: {v} given, but the serial {label} has vintage {own}; correct one of them"),
                    format!("年份期：填写为 {v}，但序列号 {label} 的年份期为 {own}；请更正其一"),
                ));
            }
            Some(_) => {}
            None => s.vintage = Some(v),
        }
    }
    // country
    if let Some(cc) = given.country.map(str::trim).filter(|c| !c.is_empty()) {
        let cc_up = cc.to_ascii_uppercase();
        match &s.country {
            Some(own) if *own != cc_up => {
                return Err(Refusal::of(
                    &SERIAL_COUNTRY_MISMATCH,
                    "country",
                    format!("country: '{cc}' given, but the serial {label} is from {own}; correct one of them"),
                    format!("国家：填写为“{cc}”，但序列号 {label} 来自 {own}；请更正其一"),
                ));
            }
            Some(_) => {}
            None => s.country = Some(cc_up),
        }
    }
    // Verra's additional-certification flag
    if s.registry == Registry::Verra {
        let flag = s.fields.get("flag").map(String::as_str);
        let certified: Vec<&String> = given
            .labels
            .iter()
            .filter(|l| is_additional_certification(l))
            .collect();
        if flag == Some("1") && given.labels.is_empty() {
            s.notes.push(Check::new(
                &SERIAL_VERRA_FLAG,
                "the serial ends in 1, which in Verra's exports marks an additional certification (CCB, CORSIA, Article 6 …), but no label is recorded: add it from the registry record",
                "序列号以 1 结尾，在 Verra 导出数据中表示带有附加认证（CCB、CORSIA、第六条等），但未登记标签：请按登记处记录补充",
            ));
        } else if flag == Some("0") && !certified.is_empty() {
            let list = certified
                .iter()
                .map(|l| l.as_str())
                .collect::<Vec<_>>()
                .join(", ");
            s.notes.push(Check::new(
                &SERIAL_VERRA_FLAG,
                format!("the serial ends in 0, which in Verra's exports means no additional certification, but the credit is labelled {list}: check the registry record"),
                format!("序列号以 0 结尾，在 Verra 导出数据中表示无附加认证，但该信用标注了 {list}：请核对登记处记录"),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(registry: Registry, text: &str) -> Result<Serial, Refusal> {
        read(registry, text, &Given::default())
    }

    #[test]
    fn a_verra_serial_gives_its_block_range_and_fields() {
        let s = plain(
            Registry::Verra,
            "19380-941382555-941382741-VCS-VCU-1310-VER-CN-13-3005-01012022-31102022-0",
        )
        .unwrap();
        assert_eq!(
            s.range(),
            Some((941_382_555, 941_382_741)),
            "a verra serial gives its block range and fields"
        );
        assert_eq!(s.quantity, 187, "last − first + 1");
        assert_eq!(s.block_key, "19380", "a Verra block is its issuance");
        assert_eq!(
            s.project_id.as_deref(),
            Some("3005"),
            "a verra serial gives its block range and fields"
        );
        assert_eq!(
            s.country.as_deref(),
            Some("CN"),
            "a verra serial gives its block range and fields"
        );
        assert_eq!(
            s.vintage.unwrap().to_string(),
            "2022-01-01..2022-10-31",
            "a verra serial gives its block range and fields"
        );
        assert_eq!(
            s.fields["n"], "1310",
            "a verra serial gives its block range and fields"
        );
        assert_eq!(
            s.fields["flag"], "0",
            "a verra serial gives its block range and fields"
        );
    }

    #[test]
    fn a_sub_range_is_written_in_the_registry_grammar() {
        let s = plain(
            Registry::Verra,
            "19380-941382555-941382741-VCS-VCU-1310-VER-CN-13-3005-01012022-31102022-0",
        )
        .unwrap();
        let part = s.with_range(941_382_555, 941_382_654).unwrap();
        assert_eq!(
            part.serial,
            "19380-941382555-941382654-VCS-VCU-1310-VER-CN-13-3005-01012022-31102022-0",
            "a sub range is written in the registry grammar"
        );
        assert_eq!(
            part.quantity, 100,
            "a sub range is written in the registry grammar"
        );
        assert_eq!(
            read(Registry::Verra, &part.serial, &Given::default())
                .unwrap()
                .range(),
            Some((941_382_555, 941_382_654)),
            "the rebuilt serial reads back to the same range"
        );
        assert!(
            s.with_range(941_382_500, 941_382_600).is_none(),
            "outside the block"
        );
    }

    #[test]
    fn the_letter_o_for_the_flag_is_refused_at_its_position() {
        let text = "15312-681393912-681394011-VCS-VCU-208-VER-CA-3-929-01012018-31122018-O";
        let e = plain(Registry::Verra, text).unwrap_err();
        assert_eq!(
            e.code, "SERIAL_UNREADABLE",
            "the letter o for the flag is refused at its position"
        );
        assert_eq!(e.position, Some(text.chars().count()), "the last character");
        assert!(
            e.en.contains("letter O"),
            "the letter o for the flag is refused at its position: {}",
            e.en
        );
        assert!(
            e.zh.contains("字母 O"),
            "the letter o for the flag is refused at its position: {}",
            e.zh
        );
    }

    #[test]
    fn lower_case_is_read_and_stored_upper_case() {
        let s = plain(
            Registry::GoldStandard,
            "gs1-1-ke-gs11603-16-2025-30256-110-5463",
        )
        .unwrap();
        assert_eq!(
            s.serial, "GS1-1-KE-GS11603-16-2025-30256-110-5463",
            "lower case is read and stored upper case"
        );
        assert_eq!(s.quantity, 5354, "lower case is read and stored upper case");
    }

    #[test]
    fn project_ids_compare_without_registry_letters() {
        assert_eq!(
            project_key("GS11603"),
            "11603",
            "project ids compare without registry letters"
        );
        assert_eq!(
            project_key("VCS 3005"),
            "3005",
            "project ids compare without registry letters"
        );
        assert_eq!(
            project_key("03005"),
            "3005",
            "project ids compare without registry letters"
        );
        assert_ne!(
            project_key("3005"),
            project_key("3006"),
            "project ids compare without registry letters"
        );
    }

    #[test]
    fn vintages_agree_when_one_holds_the_other() {
        let year = Vintage::parse("2022").unwrap();
        let part = Vintage::parse("2022-01-01..2022-10-31").unwrap();
        assert!(
            year.agrees_with(part) && part.agrees_with(year),
            "vintages agree when one holds the other"
        );
        assert!(
            !Vintage::parse("2021").unwrap().agrees_with(part),
            "vintages agree when one holds the other"
        );
        assert!(
            Vintage::parse("2022-10-31..2022-01-01").is_none(),
            "reversed"
        );
        assert!(
            Vintage::parse("22").is_none(),
            "vintages agree when one holds the other"
        );
    }
}
