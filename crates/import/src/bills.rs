//! Bill ledgers: find the header row under any title rows, map the columns by their Chinese or
//! English names, read each row's period, quantity, unit, peak / flat / valley and cost, check
//! 合计 / 小计 / Total rows against the rows above, and report every problem with its cell.

use crate::issue::ImportIssue;
use crate::read::{Sheet, Value};
use crate::text::{self, header_parts, month_bounds, Number, PeriodValue};
use chrono::NaiveDate;
use lingtan_core::error::{Field, Words};
use lingtan_core::words;
use lingtan_core::{Severity, Unit};
use rust_decimal::Decimal;
use serde::Serialize;

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Period,
    From,
    To,
    Quantity,
    Unit,
    /// 尖峰: the critical-peak part of a time-of-use bill (尖峰 + 峰 + 平 + 谷 = the total).
    Sharp,
    Peak,
    Flat,
    Valley,
    Cost,
    Meter,
    /// 备注: a remark kept with the record (`退补` marks an adjustment).
    Note,
}

impl Role {
    /// The role's code as in a mapping profile (`quantity`, `period` …).
    pub fn parse(code: &str) -> Option<Role> {
        Some(match code.trim().to_ascii_lowercase().as_str() {
            "period" => Role::Period,
            "from" => Role::From,
            "to" => Role::To,
            "quantity" => Role::Quantity,
            "unit" => Role::Unit,
            "sharp" => Role::Sharp,
            "peak" => Role::Peak,
            "flat" => Role::Flat,
            "valley" => Role::Valley,
            "cost" => Role::Cost,
            "meter" => Role::Meter,
            "note" => Role::Note,
            _ => return None,
        })
    }

    /// Every role's code, for messages.
    pub const CODES: &'static str =
        "period, from, to, quantity, unit, sharp, peak, flat, valley, cost, meter, note";

    pub fn code(self) -> &'static str {
        self.names().0
    }

    pub fn names(self) -> (&'static str, &'static str) {
        match self {
            Role::Period => ("period", "期间"),
            Role::From => ("from", "起始日期"),
            Role::To => ("to", "截止日期"),
            Role::Quantity => ("quantity", "用量"),
            Role::Unit => ("unit", "单位"),
            Role::Sharp => ("sharp", "尖峰"),
            Role::Peak => ("peak", "峰"),
            Role::Flat => ("flat", "平"),
            Role::Valley => ("valley", "谷"),
            Role::Cost => ("cost", "金额"),
            Role::Meter => ("meter", "户号/表号"),
            Role::Note => ("note", "备注"),
        }
    }

    /// A part of the quantity: the total or one of its time-of-use parts.
    fn is_quantity(self) -> bool {
        matches!(
            self,
            Role::Quantity | Role::Sharp | Role::Peak | Role::Flat | Role::Valley
        )
    }
}

/// Header names per role, lower case. Checked in this order, exact names before names that
/// only contain a synonym, so 峰电量 is peak, not quantity, and 尖峰电量 is critical peak, not peak.
const SYNONYMS: &[(Role, &[&str])] = &[
    (
        Role::Sharp,
        &[
            "尖",
            "尖峰",
            "尖段",
            "尖电量",
            "尖峰电量",
            "尖时电量",
            "尖峰时段",
            "critical peak",
            "super peak",
            "sharp",
        ],
    ),
    (
        Role::Peak,
        &["峰", "峰段", "峰电量", "峰时电量", "高峰", "peak"],
    ),
    (
        Role::Flat,
        &["平", "平段", "平电量", "平时电量", "flat", "shoulder"],
    ),
    (
        Role::Valley,
        &[
            "谷",
            "谷段",
            "谷电量",
            "谷时电量",
            "低谷",
            "valley",
            "off-peak",
            "offpeak",
        ],
    ),
    (
        Role::From,
        &[
            "起始日期",
            "开始日期",
            "起日",
            "起",
            "from",
            "start",
            "start date",
            "period start",
        ],
    ),
    (
        Role::To,
        &[
            "截止日期",
            "结束日期",
            "止日",
            "止",
            "to",
            "end",
            "end date",
            "period end",
        ],
    ),
    (
        Role::Period,
        &[
            "抄表起止日期",
            "起止日期",
            "计费周期",
            "计费期间",
            "结算周期",
            "结算期间",
            "账期",
            "月份",
            "期间",
            "周期",
            "抄表日期",
            "日期",
            "购买日期",
            "加油日期",
            "充装日期",
            "period",
            "billing period",
            "month",
            "date",
            "datetime",
            "date time",
            "date/time",
        ],
    ),
    (
        Role::Cost,
        &[
            "电费",
            "金额",
            "费用",
            "总金额",
            "应缴金额",
            "应付金额",
            "燃气费",
            "气费",
            "cost",
            "charge",
            "charges",
            "amount (cny)",
            "cost (cny)",
        ],
    ),
    (
        Role::Quantity,
        &[
            "有功电量",
            "有功总电量",
            "总电量",
            "用电量",
            "电量",
            "用气量",
            "气量",
            "用量",
            "数量",
            "消耗量",
            "消费量",
            "加油量",
            "充装量",
            "consumption",
            "quantity",
            "usage",
            "volume",
            "energy",
            "amount",
        ],
    ),
    (Role::Unit, &["单位", "计量单位", "unit", "uom"]),
    (
        Role::Meter,
        &[
            "户号",
            "表号",
            "电表号",
            "电能表",
            "电能表资产编号",
            "资产编号",
            "表计编号",
            "计量点",
            "计量点编号",
            "设备",
            "设备编号",
            "meter",
            "account",
            "account no",
            "meter no",
        ],
    ),
    (
        Role::Note,
        &[
            "备注", "说明", "摘要", "remark", "remarks", "note", "notes", "comment",
        ],
    ),
];

/// Names that are a quantity only when the header's unit is one of energy: `电 (kWh)`,
/// `Electricity (kWh)` (MyEMS), `用电(kWh)`, `能耗(tce)`.
const ENERGY_QUANTITY_NAMES: &[&str] = &[
    "电",
    "电能",
    "用电",
    "能耗",
    "electricity",
    "electric energy",
    "power",
];

/// Words that mark a column as something other than the consumption: reactive energy (无功,
/// kvarh) and energy exported to the grid (反向, 上网).
const NOT_CONSUMPTION: &[&str] = &["无功", "反向", "上网", "reactive", "export", "kvarh"];

/// Words that name the billed total among several quantity or cost columns (结算电量 beside
/// 抄见电量 and 变损电量; 电费合计 beside 基本电费).
const TOTAL_WORDS: &[&str] = &[
    "结算", "计费", "合计", "总", "本期", "应缴", "应付", "实收", "total", "billed",
];

/// Words of a period header that say the rows are bills for a period, not single days.
const BILL_PERIOD_WORDS: &[&str] = &[
    "周期", "期间", "账期", "计费", "结算", "账单", "月份", "period", "billing", "cycle", "month",
];

/// Period headers that name a month (a date on the 1st there means the whole month).
const MONTH_HEADERS: &[&str] = &[
    "账期",
    "月份",
    "计费周期",
    "结算周期",
    "month",
    "billing period",
    "period",
];

/// Text in brackets after a name that qualifies it rather than giving a unit: `电量(本月)`,
/// `电费(含税)`, `抄表日期(起)`.
fn is_qualifier(text: &str) -> bool {
    const MARKS: &[&str] = &[
        "期", "月", "年", "税", "计", "起", "止", "始", "终", "含", "次", "实际", "估", "日",
    ];
    MARKS.iter().any(|m| text.contains(m))
}

/// Start / end markers of a two-column period (`账单周期起` | `账单周期止`, `起始日期` |
/// `截止日期`, `Period start` | `Period end`, `From` | `To`, `上次抄表日期` | `本次抄表日期`).
const FROM_MARKS: &[&str] = &[
    "起始日期",
    "开始日期",
    "起始时间",
    "开始时间",
    "起始日",
    "开始日",
    "起日",
    "起始",
    "开始",
    "起",
];
const TO_MARKS: &[&str] = &[
    "截止日期",
    "结束日期",
    "终止日期",
    "截止时间",
    "结束时间",
    "截止日",
    "结束日",
    "止日",
    "截止",
    "结束",
    "终止",
    "止",
    "终",
];
const FROM_WORDS: &[&str] = &["from", "start", "begin", "start date", "begin date"];
const TO_WORDS: &[&str] = &["to", "end", "until", "end date", "through"];
/// A stem that makes a marked pair a period (and not, say, 起码 | 止码, the start and end
/// register readings).
const PERIOD_STEMS: &[&str] = &[
    "日期", "周期", "期间", "账期", "抄表", "计费", "结算", "账单", "计量", "用电", "日", "period",
    "billing", "bill", "date", "reading", "cycle", "service",
];

/// Where a period pair's end of a header is: (stem, From or To, whether the start is the
/// previous meter reading, so the period begins the day after it).
fn pair_marker(header: &str) -> Option<(String, Role, bool)> {
    let t: String = text::halfwidth(header)
        .to_lowercase()
        .chars()
        .filter(|c| !matches!(c, '(' | ')' | '[' | ']' | '【' | '】' | '（' | '）'))
        .collect();
    let t = t.trim();
    let stem_ok = |stem: &str| {
        let stem = stem.trim_matches(|c: char| c.is_whitespace() || c == '_' || c == '-');
        (stem.is_empty() || PERIOD_STEMS.iter().any(|s| stem.contains(s))).then(|| stem.to_string())
    };
    // 上次抄表日期 | 本次抄表日期: the readings that close the previous bill and this one
    for (mark, role) in [
        ("上次", Role::From),
        ("上期", Role::From),
        ("本次", Role::To),
    ] {
        if let Some(stem) = t.strip_prefix(mark) {
            if stem.contains("日期") || stem.contains("抄表") {
                return Some((stem.to_string(), role, role == Role::From));
            }
        }
    }
    for (marks, role) in [(FROM_MARKS, Role::From), (TO_MARKS, Role::To)] {
        for m in marks {
            let stem = t.strip_suffix(m).or_else(|| t.strip_prefix(m));
            if let Some(stem) = stem.and_then(stem_ok) {
                return Some((stem, role, false));
            }
        }
    }
    if t.is_ascii() {
        let words: Vec<&str> = t
            .split(|c: char| c.is_whitespace() || c == '_' || c == '-')
            .filter(|w| !w.is_empty())
            .collect();
        for (list, role) in [(FROM_WORDS, Role::From), (TO_WORDS, Role::To)] {
            for m in list {
                let mw: Vec<&str> = m.split(' ').collect();
                let n = mw.len();
                if words.len() >= n {
                    let (head, tail) = (&words[..words.len() - n], &words[words.len() - n..]);
                    if tail == mw.as_slice() {
                        if let Some(stem) = stem_ok(&head.join(" ")) {
                            return Some((stem, role, false));
                        }
                    }
                    let (head, tail) = (&words[..n], &words[n..]);
                    if head == mw.as_slice() {
                        if let Some(stem) = stem_ok(&tail.join(" ")) {
                            return Some((stem, role, false));
                        }
                    }
                }
            }
        }
    }
    None
}

fn classify(header: &str) -> Option<(Role, Option<String>)> {
    let (name, unit) = header_parts(header);
    let lower = name.to_lowercase();
    let parsed = unit.as_deref().and_then(text::unit);
    // a unit alone is a quantity's header: `kWh`, `(kWh)`; money alone is a cost
    let alone = if lower.is_empty() {
        unit.clone()
    } else {
        text::unit(&name).map(|_| name.clone())
    };
    if let Some(u) = alone.as_deref().and_then(text::unit) {
        let role = if u.dimension() == lingtan_core::units::Dimension::Money {
            Role::Cost
        } else {
            Role::Quantity
        };
        return Some((role, alone));
    }
    if lower.is_empty() {
        return None;
    }
    // money in the header's unit makes it a cost column whatever its name
    if parsed.is_some_and(|u| u.dimension() == lingtan_core::units::Dimension::Money)
        || unit
            .as_deref()
            .is_some_and(|u| matches!(u, "¥" | "￥" | "RMB" | "rmb"))
    {
        return Some((Role::Cost, unit));
    }
    if NOT_CONSUMPTION.iter().any(|w| lower.contains(w)) {
        return None;
    }
    for (role, names) in SYNONYMS {
        if names.contains(&lower.as_str()) {
            return Some((*role, unit));
        }
    }
    if ENERGY_QUANTITY_NAMES.contains(&lower.as_str())
        && parsed.is_some_and(|u| u.dimension() == lingtan_core::units::Dimension::Energy)
    {
        return Some((Role::Quantity, unit));
    }
    for (role, names) in SYNONYMS {
        if names
            .iter()
            .any(|n| n.chars().count() >= 2 && !n.is_ascii() && lower.contains(n))
        {
            return Some((*role, unit));
        }
    }
    None
}

/// How a column was mapped.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ColumnMapping {
    pub role: Role,
    /// Column letters (`C`).
    pub column: String,
    pub header: String,
    /// A unit written in the header (`kWh` in `有功电量(kWh)`).
    pub unit: Option<Unit>,
    #[serde(skip)]
    pub index: usize,
    /// The unit as written in the header, read or not.
    #[serde(skip)]
    pub unit_written: Option<String>,
    /// Named by the mapping profile (wins over what the names suggest).
    #[serde(skip)]
    pub named: bool,
    /// From / To of a two-column period: the pair's stem, and whether the start is the previous
    /// meter reading (the period then begins the day after it).
    #[serde(skip)]
    pub pair: Option<(String, bool)>,
}

/// The detected layout of one sheet.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SheetMapping {
    pub sheet: String,
    /// 1-based row of the header.
    pub header_row: u32,
    pub columns: Vec<ColumnMapping>,
    /// How periods are read: `range`, `month`, `day`, `from-to`, `meter-reading dates` (see
    /// [`periods_names`]).
    pub periods: String,
}

/// How periods were read, in English and Chinese, for the dry run.
pub fn periods_names(code: &str) -> (&str, &str) {
    match code {
        "range" => (
            "ranges (start to end in one cell)",
            "起止区间（一格内写起止日期）",
        ),
        "month" => ("months", "按月"),
        "day" => ("single days", "按日"),
        "from-to" => ("from and to columns", "起始、截止两列"),
        "meter-reading dates" => (
            "meter-reading dates (from the day after the previous reading)",
            "抄表日期（自上次抄表次日起）",
        ),
        other => (other, other),
    }
}

/// One bill row, ready to become an activity record.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BillRow {
    pub sheet: String,
    /// 1-based sheet row
    pub row: u32,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub quantity: Decimal,
    pub unit: Unit,
    pub sharp: Option<Decimal>,
    pub peak: Option<Decimal>,
    pub flat: Option<Decimal>,
    pub valley: Option<Decimal>,
    pub cost: Option<Decimal>,
    pub meter: Option<String>,
    /// The row's remark (备注).
    pub note: Option<String>,
    /// A negative row (退补, a refund or correction): it adjusts its period's consumption down,
    /// and overlaps the bill it adjusts by nature.
    pub adjustment: bool,
}

impl BillRow {
    /// `Sheet!row`, as kept on the activity record.
    pub fn origin(&self) -> String {
        format!("{}!{}", self.sheet, self.row)
    }
}

/// What reading the bills found.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Bills {
    pub mappings: Vec<SheetMapping>,
    pub rows: Vec<BillRow>,
    pub issues: Vec<ImportIssue>,
    /// Data rows that had an error and were not accepted.
    pub rejected: u32,
}

/// Options a user can give.
#[derive(Debug, Clone, Default)]
pub struct BillOptions {
    /// Only this sheet.
    pub sheet: Option<String>,
    /// The unit when neither a header nor a unit column says (the source's unit).
    pub default_unit: Option<Unit>,
    /// Headers named by a saved mapping profile: (header as written, role), checked before the
    /// built-in synonyms.
    pub headers: Vec<(String, Role)>,
}

#[allow(clippy::too_many_arguments)]
fn issue(
    sheet: &Sheet,
    r: usize,
    c: Option<usize>,
    header: Option<&str>,
    code: &'static str,
    severity: Severity,
    en: impl Into<Words>,
    zh: impl Into<Words>,
) -> ImportIssue {
    ImportIssue {
        code,
        severity,
        en: en.into(),
        zh: zh.into(),
        sheet: Some(sheet.name.clone()),
        row: Some(sheet.row_number(r)),
        column: c.map(|c| {
            header
                .map(str::to_string)
                .unwrap_or_else(|| sheet.column_letters(c))
        }),
        cell: c.map(|c| sheet.a1(r, c)),
    }
}

/// Every column a row's cells could be, before competing columns are settled: the profile's
/// names first, then two-column periods (起 | 止), then the built-in names.
fn map_row(sheet: &Sheet, row: &[Value], headers: &[(String, Role)]) -> Vec<ColumnMapping> {
    let mut columns: Vec<ColumnMapping> = Vec::new();
    for (c, cell) in row.iter().enumerate() {
        let Value::Text(text) = cell else { continue };
        let named = headers
            .iter()
            .find(|(h, _)| h.trim() == text.trim())
            .map(|(_, role)| (*role, header_parts(text).1));
        let is_named = named.is_some();
        if let Some((role, unit)) = named.or_else(|| classify(text)) {
            columns.push(ColumnMapping {
                role,
                column: sheet.column_letters(c),
                header: text.trim().to_string(),
                unit: unit.as_deref().and_then(text::unit),
                index: c,
                unit_written: unit,
                named: is_named,
                pair: None,
            });
        } else if let Some((_, role, _)) = pair_marker(text) {
            // a marked header no name knows: a pair's end, if its partner is found below
            columns.push(ColumnMapping {
                role,
                column: sheet.column_letters(c),
                header: text.trim().to_string(),
                unit: None,
                index: c,
                unit_written: None,
                named: false,
                pair: None,
            });
        }
    }
    // two columns whose names differ only by a start / end mark are one period
    let marks: Vec<(usize, String, Role, bool)> = columns
        .iter()
        .enumerate()
        .filter(|(_, m)| !m.named)
        .filter_map(|(i, m)| pair_marker(&m.header).map(|(s, r, p)| (i, s, r, p)))
        .collect();
    let mut paired = Vec::new();
    for (i, stem, role, previous) in &marks {
        if *role != Role::From {
            continue;
        }
        let froms = marks
            .iter()
            .filter(|m| &m.1 == stem && m.2 == Role::From)
            .count();
        let tos: Vec<&(usize, String, Role, bool)> = marks
            .iter()
            .filter(|m| &m.1 == stem && m.2 == Role::To)
            .collect();
        if froms == 1 && tos.len() == 1 {
            paired.push((*i, Role::From, stem.clone(), *previous));
            paired.push((tos[0].0, Role::To, stem.clone(), false));
        }
    }
    for (i, role, stem, previous) in paired {
        columns[i].role = role;
        columns[i].pair = Some((stem, previous));
    }
    // a marked header that found no partner and no name: not a column of ours
    columns.retain(|m| m.named || m.pair.is_some() || classify(&m.header).is_some());
    for m in columns.iter_mut().filter(|m| m.pair.is_none() && !m.named) {
        if let Some((role, _)) = classify(&m.header) {
            m.role = role;
        }
    }
    columns
}

fn usable(columns: &[ColumnMapping]) -> bool {
    let has = |role: Role| columns.iter().any(|m| m.role == role);
    columns.iter().any(|m| m.role.is_quantity()) && (has(Role::Period) || has(Role::From))
}

fn distinct_roles(columns: &[ColumnMapping]) -> usize {
    let mut roles: Vec<Role> = columns.iter().map(|m| m.role).collect();
    roles.sort();
    roles.dedup();
    roles.len()
}

/// Rows looked at for the header.
const HEADER_ROWS: usize = 40;

/// Find the header: the row among the first 40 that maps the most roles, with a quantity (or
/// one of its time-of-use parts) and a period (or from) column. `Err` says which rows were
/// considered and why each was not taken.
fn find_header(
    sheet: &Sheet,
    headers: &[(String, Role)],
) -> Result<(usize, Vec<ColumnMapping>), (String, String)> {
    let mut best: Option<(usize, Vec<ColumnMapping>)> = None;
    let mut considered: Vec<(usize, Vec<ColumnMapping>)> = Vec::new();
    for (r, row) in sheet.rows.iter().enumerate().take(HEADER_ROWS) {
        let columns = map_row(sheet, row, headers);
        if columns.is_empty() {
            continue;
        }
        if usable(&columns) {
            if best
                .as_ref()
                .is_none_or(|(_, b)| distinct_roles(&columns) > distinct_roles(b))
            {
                best = Some((r, columns));
            }
        } else {
            considered.push((r, columns));
        }
    }
    if let Some(best) = best {
        return Ok(best);
    }
    // the rows that came closest: most roles first, then in sheet order
    considered.sort_by_key(|(r, c)| (std::cmp::Reverse(distinct_roles(c)), *r));
    considered.truncate(4);
    considered.sort_by_key(|(r, _)| *r);
    let mut en = Vec::new();
    let mut zh = Vec::new();
    for (r, columns) in &considered {
        let found: Vec<String> = columns
            .iter()
            .map(|m| format!("{} {}", sheet.a1(*r, m.index), m.header))
            .collect();
        let (lack_en, lack_zh) = if columns.iter().any(|m| m.role.is_quantity()) {
            ("no period column", "没有期间列")
        } else if columns
            .iter()
            .any(|m| matches!(m.role, Role::Period | Role::From))
        {
            ("no quantity column", "没有用量列")
        } else {
            (
                "neither a period nor a quantity column",
                "既没有期间列也没有用量列",
            )
        };
        en.push(format!(
            "row {} ({}): {lack_en}",
            sheet.row_number(*r),
            found.join(", ")
        ));
        zh.push(format!(
            "第 {} 行（{}）：{lack_zh}",
            sheet.row_number(*r),
            found.join("、")
        ));
    }
    if considered.is_empty() {
        let seen = sheet
            .rows
            .iter()
            .take(HEADER_ROWS)
            .enumerate()
            .max_by_key(|(_, r)| r.iter().filter(|c| matches!(c, Value::Text(_))).count())
            .map(|(r, cells)| {
                let text: Vec<String> = cells
                    .iter()
                    .filter(|c| matches!(c, Value::Text(_)))
                    .map(Value::display)
                    .take(12)
                    .collect();
                (sheet.row_number(r), text.join(" | "))
            });
        if let Some((row, text)) = seen.filter(|(_, t)| !t.is_empty()) {
            en.push(format!(
                "no row names a column Lingtan knows (row {row}: {text})"
            ));
            zh.push(format!(
                "没有一行含 Lingtan 认识的列名（第 {row} 行：{text}）"
            ));
        } else {
            return Err((String::new(), String::new()));
        }
    }
    Err((en.join("; "), zh.join("；")))
}

fn is_total_row(row: &[Value]) -> Option<bool> {
    row.iter().take(4).find_map(text::total_label)
}

/// Headers of a green-certificate (绿证) or other certificate trade export: not activity data.
const CERTIFICATE_WORDS: &[&str] = &[
    "绿证",
    "绿色电力证书",
    "证书编号",
    "证书编码",
    "gec",
    "i-rec",
    "certificate",
];
const TRADE_WORDS: &[&str] = &[
    "成交时间",
    "成交数量",
    "成交单价",
    "成交价格",
    "交易类型",
    "生产年月",
    "交易时间",
    "vintage",
    "trade",
];

/// The row that shows a sheet is a certificate trade record, and its telling headers.
fn certificates(sheet: &Sheet) -> Option<(usize, Vec<String>)> {
    sheet
        .rows
        .iter()
        .enumerate()
        .take(HEADER_ROWS)
        .find_map(|(r, row)| {
            let texts: Vec<String> = row
                .iter()
                .filter_map(|c| match c {
                    Value::Text(t) => Some(t.trim().to_string()),
                    _ => None,
                })
                .collect();
            let lower: Vec<String> = texts.iter().map(|t| t.to_lowercase()).collect();
            let cert = lower
                .iter()
                .any(|t| CERTIFICATE_WORDS.iter().any(|w| t.contains(w)));
            let trade = lower
                .iter()
                .filter(|t| TRADE_WORDS.iter().any(|w| t.contains(w)))
                .count();
            (cert && trade >= 2).then(|| (r, texts.into_iter().take(8).collect()))
        })
}

/// Read the bill rows of every sheet (or the one asked for).
pub fn read(sheets: &[Sheet], options: &BillOptions) -> Bills {
    let mut out = Bills::default();
    let chosen: Vec<&Sheet> = match &options.sheet {
        Some(name) => sheets.iter().filter(|s| &s.name == name).collect(),
        None => sheets.iter().collect(),
    };
    if let (Some(name), true) = (&options.sheet, chosen.is_empty()) {
        let names: Vec<&str> = sheets.iter().map(|s| s.name.as_str()).collect();
        out.issues.push(ImportIssue::file(
            "SHEET_NOT_FOUND",
            words![
                Field::Sheet,
                format!(
                    " '{name}': no such sheet; the workbook has {}",
                    names.join(", ")
                )
            ],
            words![
                Field::Sheet,
                format!(" “{name}”：没有该工作表；工作簿中有 {}", names.join("、"))
            ],
        ));
        return out;
    }
    let mut unmapped: Vec<(&Sheet, (String, String))> = Vec::new();
    for sheet in chosen {
        if sheet.rows.iter().all(|r| r.iter().all(Value::is_empty)) {
            unmapped.push((sheet, (String::new(), String::new())));
            continue;
        }
        if let Some((r, seen)) = certificates(sheet) {
            let seen = seen.join(" | ");
            out.issues.push(ImportIssue {
                row: Some(sheet.row_number(r)),
                ..ImportIssue::on_sheet(
                    "NOT_ACTIVITY_DATA",
                    Severity::Error,
                    &sheet.name,
                    format!("sheet '{}' is a green-certificate (绿证) trade record ({seen}), not activity data: certificates do not change the energy used; record them in the offset step (market-based scope 2), not as consumption", sheet.name),
                    format!("工作表“{}”是绿证交易记录（{seen}），不是活动数据：绿证不改变用能量；请在碳抵消步骤登记（用于市场法范围二），不要作为用量导入", sheet.name),
                )
            });
            continue;
        }
        match find_header(sheet, &options.headers) {
            Ok((header_row, columns)) => read_sheet(sheet, header_row, columns, options, &mut out),
            Err(why) => unmapped.push((sheet, why)),
        }
    }
    let any_mapped = !out.mappings.is_empty();
    for (sheet, (why_en, why_zh)) in unmapped {
        let severity = if any_mapped {
            Severity::Warning
        } else {
            Severity::Error
        };
        let (code, en, zh) = if why_en.is_empty() {
            (
                "SHEET_EMPTY",
                format!("sheet '{}' is empty", sheet.name),
                format!("工作表“{}”为空", sheet.name),
            )
        } else {
            (
                "HEADER_NOT_FOUND",
                format!("sheet '{}': no header row found. Rows considered: {why_en}. A bill ledger needs a period column (抄表起止日期, 计费周期, 账期, 月份, 日期, Period, or a pair such as 账单周期起 | 账单周期止, From | To) and a quantity column (有功电量, 用电量, 用气量, 用量, 数量, Consumption, Quantity, or 电 (kWh)) in one row", sheet.name),
                format!("工作表“{}”：找不到表头行。检查过的行：{why_zh}。账单台账需要在同一行有期间列（抄表起止日期、计费周期、账期、月份、日期、Period，或成对的 账单周期起 | 账单周期止、From | To）和用量列（有功电量、用电量、用气量、用量、数量、Consumption、Quantity，或 电 (kWh)）", sheet.name),
            )
        };
        out.issues
            .push(ImportIssue::on_sheet(code, severity, &sheet.name, en, zh));
    }
    out
}

/// What the rows since the last total (or subtotal) add up to, per column, and how precisely
/// they were written (for the total's tolerance).
#[derive(Default, Clone, Copy)]
struct Running {
    sum: [Decimal; 6],
    rows: [u32; 6],
    decimals: [u32; 6],
}

/// The columns a total row is checked on, in [`Running`]'s order.
const TOTALLED: [Role; 6] = [
    Role::Quantity,
    Role::Sharp,
    Role::Peak,
    Role::Flat,
    Role::Valley,
    Role::Cost,
];

impl Running {
    fn add(&mut self, k: usize, value: Option<(Decimal, u32)>) {
        if let Some((v, d)) = value {
            self.sum[k] += v;
            self.rows[k] += 1;
            self.decimals[k] = self.decimals[k].max(d);
        }
    }
}

/// Settle columns that compete for one role: the profile's names win; a from/to pair wins over
/// a period column; among quantity or cost columns the one naming the billed total (结算电量,
/// 电费合计) wins. Anything else is an issue, never the first column silently.
fn settle(
    sheet: &Sheet,
    header_row: usize,
    mut columns: Vec<ColumnMapping>,
    out: &mut Bills,
) -> Option<Vec<ColumnMapping>> {
    let named: Vec<Role> = columns.iter().filter(|m| m.named).map(|m| m.role).collect();
    columns.retain(|m| m.named || !named.contains(&m.role));
    let paired = columns.iter().any(|m| m.pair.is_some());
    let mut roles: Vec<Role> = columns.iter().map(|m| m.role).collect();
    roles.sort();
    roles.dedup();
    let mut refused = false;
    for role in roles {
        let same: Vec<&ColumnMapping> = columns.iter().filter(|m| m.role == role).collect();
        if same.len() < 2 || role == Role::Note || (role == Role::Period && paired) {
            continue;
        }
        let list = same
            .iter()
            .map(|m| format!("{} ({})", m.column, m.header))
            .collect::<Vec<_>>()
            .join(", ");
        if matches!(role, Role::Quantity | Role::Cost) {
            let totals: Vec<usize> = same
                .iter()
                .filter(|m| {
                    let lower = m.header.to_lowercase();
                    TOTAL_WORDS.iter().any(|w| lower.contains(w))
                })
                .map(|m| m.index)
                .collect();
            if let [keep] = totals.as_slice() {
                let keep = *keep;
                let kept = same
                    .iter()
                    .find(|m| m.index == keep)
                    .map(|m| m.header.clone());
                let dropped: Vec<String> = same
                    .iter()
                    .filter(|m| m.index != keep)
                    .map(|m| m.header.clone())
                    .collect();
                let kept = kept.unwrap_or_default();
                let (en, zh) = role.names();
                out.issues.push(issue(
                    sheet,
                    header_row,
                    Some(keep),
                    Some(&kept),
                    "COLUMN_CHOSEN",
                    Severity::Info,
                    format!("several columns could be the {en} ({list}); '{kept}' names the billed total and is used, {} not", dropped.join(", ")),
                    format!("多列可作为{zh}（{list}）；“{kept}”为计费合计，采用该列，不采用 {}", dropped.join("、")),
                ));
                columns.retain(|m| m.role != role || m.index == keep);
                continue;
            }
            if role == Role::Cost {
                out.issues.push(issue(
                    sheet,
                    header_row,
                    Some(same[1].index),
                    Some(&same[1].header),
                    "COLUMN_CHOSEN",
                    Severity::Info,
                    format!("several columns could be the cost ({list}) and none names the total: no cost is kept with the records (it does not change any emission); name the total in a mapping profile to keep it"),
                    format!("多列可作为金额（{list}），且没有一列注明合计：记录不保存金额（不影响排放计算）；如需保存请在映射配置中指定合计列"),
                ));
                columns.retain(|m| m.role != Role::Cost);
                continue;
            }
        }
        let (en, zh) = role.names();
        let profile = format!(
            "{{\"columns\": {{\"{}\": \"{}\"}}}}",
            same[0].header,
            role.code()
        );
        out.issues.push(issue(
            sheet,
            header_row,
            Some(same[1].index),
            Some(&same[1].header),
            "HEADER_AMBIGUOUS",
            Severity::Error,
            words![format!("columns {list} could each be the {en}; Lingtan does not guess which one holds the bill's figure: name it in a mapping profile ("), Field::Mapping, format!(", e.g. {profile}) or rename the other header")],
            words![format!("{list} 都可能是{zh}列；Lingtan 不猜测哪一列是账单数值：请在映射配置（"), Field::Mapping, format!("，如 {profile}）中指定，或修改另一列的表头")],
        ));
        refused = true;
    }
    (!refused).then_some(columns)
}

fn read_sheet(
    sheet: &Sheet,
    header_row: usize,
    columns: Vec<ColumnMapping>,
    options: &BillOptions,
    out: &mut Bills,
) {
    let Some(columns) = settle(sheet, header_row, columns.clone(), out) else {
        out.mappings.push(SheetMapping {
            sheet: sheet.name.clone(),
            header_row: sheet.row_number(header_row),
            columns,
            periods: String::new(),
        });
        return;
    };
    let col = |role: Role| columns.iter().find(|m| m.role == role);
    // a unit written in a quantity's header that Lingtan cannot read: never the source's unit
    let mut unit_unknown = false;
    for m in columns.iter().filter(|m| m.role.is_quantity()) {
        if let (None, Some(written)) = (m.unit, &m.unit_written) {
            if !is_qualifier(written) {
                unit_unknown = true;
                out.issues.push(issue(
                    sheet,
                    header_row,
                    Some(m.index),
                    Some(&m.header),
                    "UNIT_UNKNOWN",
                    Severity::Error,
                    format!("the header '{}' gives the unit '{written}', which Lingtan does not know, so its figures cannot be read as the source's unit; Lingtan knows kWh, 度, 万千瓦时, MWh, m3, 立方米, 万立方米, Nm3, L, 升, kg, 吨, t, GJ, tce … — write one of them in the header, or import the file into a source whose records are counted in that unit", m.header),
                    format!("表头“{}”注明的单位“{written}”无法识别，其数值不能按排放源的单位读取；可识别的单位有 kWh、度、万千瓦时、MWh、m3、立方米、万立方米、Nm3、L、升、kg、吨、t、GJ、tce 等——请在表头写明其中之一，或导入到以该单位计量的排放源", m.header),
                ));
            }
        }
    }
    if unit_unknown {
        // no row of this sheet can be read in a unit: the header's issue says it all
        out.mappings.push(SheetMapping {
            sheet: sheet.name.clone(),
            header_row: sheet.row_number(header_row),
            columns,
            periods: String::new(),
        });
        return;
    }
    let period_col = col(Role::Period);
    let month_header = period_col.is_some_and(|m| {
        let (name, _) = header_parts(&m.header);
        MONTH_HEADERS.contains(&name.to_lowercase().as_str())
    });
    let reading_dates = period_col.is_some_and(|m| header_parts(&m.header).0 == "抄表日期");
    let from_previous = col(Role::From)
        .and_then(|m| m.pair.as_ref())
        .is_some_and(|p| p.1);
    let header_unit = col(Role::Quantity).and_then(|m| m.unit).or_else(|| {
        [Role::Sharp, Role::Peak, Role::Flat, Role::Valley]
            .iter()
            .find_map(|r| col(*r).and_then(|m| m.unit))
    });
    let tou_names: Vec<&str> = [Role::Sharp, Role::Peak, Role::Flat, Role::Valley]
        .iter()
        .filter(|r| col(**r).is_some())
        .map(|r| r.names().1)
        .collect();
    let mut periods_seen = "";
    let first_bill = out.rows.len();
    let mut since_total = Running::default();
    let mut since_subtotal = Running::default();
    let mut previous_reading: Option<NaiveDate> = None;
    let mut derived_rows = 0u32;
    for r in header_row + 1..sheet.rows.len() {
        let row = &sheet.rows[r];
        if row.iter().all(Value::is_empty) {
            continue;
        }
        let cell =
            |m: Option<&ColumnMapping>| m.map(|m| sheet.get(r, m.index)).unwrap_or(&Value::Empty);
        if let Some(grand) = is_total_row(row) {
            let running = if grand { since_total } else { since_subtotal };
            for (k, role) in TOTALLED.iter().enumerate() {
                let Some(m) = col(*role) else { continue };
                if let Number::Value(written, decimals) = text::number(sheet.get(r, m.index)) {
                    check_total(sheet, r, m, grand, written, decimals, &running, k, out);
                }
            }
            since_subtotal = Running::default();
            if grand {
                since_total = Running::default();
            }
            continue;
        }
        // a note under the table ("注：…"): no period and no figure in any mapped column
        let mapped_empty = columns
            .iter()
            .filter(|m| !matches!(m.role, Role::Unit | Role::Meter | Role::Note))
            .all(|m| sheet.get(r, m.index).is_empty());
        if mapped_empty {
            let text = row
                .iter()
                .map(Value::display)
                .filter(|t| !t.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
            let shown: String = text.chars().take(40).collect();
            out.issues.push(issue(
                sheet,
                r,
                None,
                None,
                "ROW_SKIPPED",
                Severity::Info,
                format!("row skipped: no period and no figures ('{shown}')"),
                format!("已跳过该行：无期间也无数值（“{shown}”）"),
            ));
            continue;
        }
        // the period
        let period = if let (Some(f), Some(t)) = (col(Role::From), col(Role::To)) {
            periods_seen = "from-to";
            let from = text::period(cell(Some(f)));
            let to = text::period(cell(Some(t)));
            match (from, to) {
                (Some(a), Some(b)) => {
                    let (mut a, b) = (span(a).0, span(b).1);
                    if from_previous {
                        // the previous reading closed the previous bill: this one starts the day after
                        a = a.succ_opt().unwrap_or(a);
                    }
                    if b < a {
                        out.issues.push(issue(
                            sheet,
                            r,
                            Some(t.index),
                            Some(&t.header),
                            "PERIOD_REVERSED",
                            Severity::Error,
                            format!("the period ends ({b}) before it starts ({a})"),
                            format!("期间结束日期（{b}）早于开始日期（{a}）"),
                        ));
                        None
                    } else {
                        Some((a, b))
                    }
                }
                (None, _) => {
                    out.issues
                        .push(unreadable_period(sheet, r, f, cell(Some(f))));
                    None
                }
                (_, None) => {
                    out.issues
                        .push(unreadable_period(sheet, r, t, cell(Some(t))));
                    None
                }
            }
        } else if let Some(p) = period_col.or(col(Role::From)) {
            match text::period(cell(Some(p))) {
                Some(PeriodValue::Range(a, b)) => {
                    periods_seen = "range";
                    Some((a, b))
                }
                Some(PeriodValue::Month(y, m)) => {
                    periods_seen = "month";
                    Some(month_bounds(y, m))
                }
                Some(PeriodValue::Day(d)) if reading_dates => {
                    periods_seen = "meter-reading dates";
                    let from = previous_reading
                        .and_then(|p| p.succ_opt())
                        .unwrap_or_else(|| {
                            d.checked_sub_months(chrono::Months::new(1))
                                .and_then(|x| x.succ_opt())
                                .unwrap_or(d)
                        });
                    previous_reading = Some(d);
                    Some((from, d))
                }
                Some(PeriodValue::Day(d)) if month_header && chrono::Datelike::day(&d) == 1 => {
                    periods_seen = "month";
                    Some(month_bounds(
                        chrono::Datelike::year(&d),
                        chrono::Datelike::month(&d),
                    ))
                }
                Some(PeriodValue::Day(d)) => {
                    periods_seen = "day";
                    Some((d, d))
                }
                None => {
                    let v = cell(Some(p));
                    if v.is_empty() {
                        out.issues.push(issue(
                            sheet,
                            r,
                            Some(p.index),
                            Some(&p.header),
                            "PERIOD_MISSING",
                            Severity::Error,
                            "the period is empty; every bill row needs its period",
                            "期间为空；每一行账单都需要期间",
                        ));
                    } else {
                        out.issues.push(unreadable_period(sheet, r, p, v));
                    }
                    None
                }
            }
        } else {
            None
        };
        // quantities
        let mut row_ok = period.is_some();
        let mut read_num = |role: Role, out: &mut Bills| -> Option<(Decimal, u32)> {
            let m = col(role)?;
            match text::number(sheet.get(r, m.index)) {
                Number::Missing => None,
                Number::Value(v, d) => Some((v, d)),
                Number::NotANumber(t) => {
                    out.issues.push(issue(sheet, r, Some(m.index), Some(&m.header), "NOT_A_NUMBER", Severity::Error, format!("'{t}' in '{}' is not a number; type the figure from the bill (e.g. 12345.6)", m.header), format!("“{}”列中的“{t}”不是数字；请填写账单上的数值（如 12345.6）", m.header)));
                    row_ok = false;
                    None
                }
            }
        };
        let written_quantity = read_num(Role::Quantity, out);
        let sharp = read_num(Role::Sharp, out);
        let peak = read_num(Role::Peak, out);
        let flat = read_num(Role::Flat, out);
        let valley = read_num(Role::Valley, out);
        let cost = read_num(Role::Cost, out);
        let tou: Vec<(Decimal, u32)> = [sharp, peak, flat, valley].into_iter().flatten().collect();
        let tou_sum: Option<Decimal> = (!tou.is_empty()).then(|| tou.iter().map(|(v, _)| *v).sum());
        let parts = tou_names.join(" + ");
        let quantity = match (written_quantity, tou_sum) {
            (Some((q, decimals)), Some(sum)) => {
                let tolerance = Decimal::new(5, decimals + 1) * Decimal::from(tou.len() as i64);
                if (q - sum).abs() > tolerance {
                    let m = col(Role::Quantity).map(|m| (m.index, m.header.clone()));
                    out.issues.push(issue(
                        sheet,
                        r,
                        m.as_ref().map(|x| x.0),
                        m.as_ref().map(|x| x.1.as_str()),
                        "TOU_SUM_DIFFERS",
                        Severity::Warning,
                        format!(
                            "{parts} = {} but the total is {q}; the total is used",
                            sum.normalize()
                        ),
                        format!("{parts} = {}，但总电量为 {q}；采用总电量", sum.normalize()),
                    ));
                }
                Some(q)
            }
            (Some((q, _)), None) => Some(q),
            (None, Some(sum)) => {
                if let Some(m) = col(Role::Quantity) {
                    let shown = sheet.get(r, m.index).display();
                    let shown = if shown.is_empty() {
                        "empty".to_string()
                    } else {
                        format!("'{shown}'")
                    };
                    let shown_zh = if shown == "empty" {
                        "为空".to_string()
                    } else {
                        format!("为 {shown}")
                    };
                    out.issues.push(issue(
                        sheet,
                        r,
                        Some(m.index),
                        Some(&m.header),
                        "QUANTITY_DERIVED",
                        Severity::Warning,
                        format!("the quantity here is {shown}: {parts} = {} is used as the row's quantity; check it against the bill", sum.normalize()),
                        format!("此处用量{shown_zh}：采用 {parts} = {} 作为该行用量；请与账单核对", sum.normalize()),
                    ));
                } else {
                    derived_rows += 1;
                }
                Some(sum)
            }
            (None, None) => None,
        };
        let Some(quantity) = quantity else {
            if row_ok {
                let m = col(Role::Quantity)
                    .or(col(Role::Peak))
                    .map(|m| (m.index, m.header.clone()));
                out.issues.push(issue(sheet, r, m.as_ref().map(|x| x.0), m.as_ref().map(|x| x.1.as_str()), "QUANTITY_MISSING", Severity::Error, "no quantity on this row; type the figure from the bill, or delete the row if it is not a bill", "该行没有用量；请填写账单上的数值，如不是账单请删除该行"));
            }
            out.rejected += 1;
            continue;
        };
        let note = col(Role::Note)
            .map(|m| sheet.get(r, m.index).display())
            .filter(|n| !n.is_empty());
        let adjustment = quantity.is_sign_negative() && !quantity.is_zero();
        if adjustment {
            let m = col(Role::Quantity)
                .or(col(Role::Peak))
                .map(|m| (m.index, m.header.clone()));
            let (said, said_zh) = match &note {
                Some(n) => (format!(" (remark '{n}')"), format!("（备注“{n}”）")),
                None => (String::new(), String::new()),
            };
            let (when, when_zh) = match period {
                Some((a, b)) => (format!(" of {a}..{b}"), format!("（{a}至{b}）")),
                None => (String::new(), String::new()),
            };
            out.issues.push(issue(sheet, r, m.as_ref().map(|x| x.0), m.as_ref().map(|x| x.1.as_str()), "ADJUSTMENT_ROW", Severity::Warning, format!("negative quantity {quantity}{said}: a refund or correction (退补); imported as a negative adjustment{when} that lowers the consumption of that period, with this ledger row as its evidence and reason"), format!("用量为负数 {quantity}{said_zh}：退补（退费或更正）；作为负数调整导入{when_zh}，冲减该期间用量，以本台账行为依据和原因")));
        }
        // the unit
        let unit = match (header_unit, col(Role::Unit)) {
            (Some(u), _) => Some(u),
            (None, Some(m)) => match sheet.get(r, m.index) {
                v if v.is_empty() => options.default_unit,
                v => match text::unit(&v.display()) {
                    Some(u) => Some(u),
                    None => {
                        out.issues.push(issue(sheet, r, Some(m.index), Some(&m.header), "UNIT_UNKNOWN", Severity::Error, format!("unknown unit '{}'; write kWh, 度, 万千瓦时, m3, 立方米, L, 升, kg, 吨 …", v.display()), format!("无法识别的单位“{}”；请写 kWh、度、万千瓦时、m3、立方米、L、升、kg、吨 等", v.display())));
                        row_ok = false;
                        None
                    }
                },
            },
            (None, None) => options.default_unit,
        };
        let Some(unit) = unit.or(if row_ok { None } else { Some(Unit::Kg) }) else {
            let m = col(Role::Quantity).map(|m| (m.index, m.header.clone()));
            out.issues.push(issue(sheet, r, m.as_ref().map(|x| x.0), m.as_ref().map(|x| x.1.as_str()), "UNIT_MISSING", Severity::Error, words!["no unit: neither the header (e.g. 用电量(kWh)) nor a unit column says, and the source has no ", Field::Unit], "没有单位：表头（如 用电量(kWh)）和单位列都未注明，且未指定排放源单位"));
            out.rejected += 1;
            continue;
        };
        let counted = [
            written_quantity.or(Some((quantity, 0))),
            sharp,
            peak,
            flat,
            valley,
            cost,
        ];
        for run in [&mut since_total, &mut since_subtotal] {
            for (k, v) in counted.iter().enumerate() {
                run.add(k, *v);
            }
        }
        let Some((from, to)) = period.filter(|_| row_ok) else {
            out.rejected += 1;
            continue;
        };
        let meter = col(Role::Meter)
            .map(|m| sheet.get(r, m.index).display())
            .filter(|m| !m.is_empty());
        out.rows.push(BillRow {
            sheet: sheet.name.clone(),
            row: sheet.row_number(r),
            from,
            to,
            quantity,
            unit,
            sharp: sharp.map(|p| p.0),
            peak: peak.map(|p| p.0),
            flat: flat.map(|p| p.0),
            valley: valley.map(|p| p.0),
            cost: cost.map(|p| p.0),
            meter,
            note,
            adjustment,
        });
    }
    if derived_rows > 0 {
        out.issues.push(ImportIssue::on_sheet(
            "QUANTITY_DERIVED",
            Severity::Info,
            &sheet.name,
            format!("the sheet has no total quantity column: each row's quantity is {} ({derived_rows} rows)", tou_names.join(" + ")),
            format!("该表没有总用量列：每行用量取 {}（共 {derived_rows} 行）", tou_names.join(" + ")),
        ));
    }
    let period_index = period_col
        .or(col(Role::From))
        .map(|m| (m.index, m.header.clone()));
    // single days a month apart: a ledger of monthly bills whose period columns were not found
    // (a purchase log of fuel is single days by nature; electricity and a period header's name
    // — 周期, 账期, 计费 … — say bills)
    let billed = period_index.as_ref().is_some_and(|(_, h)| {
        let lower = h.to_lowercase();
        BILL_PERIOD_WORDS.iter().any(|w| lower.contains(w))
    }) || out.rows[first_bill..]
        .iter()
        .any(|b| b.unit.dimension() == lingtan_core::units::Dimension::Energy);
    if periods_seen == "day" && billed {
        let mut days: Vec<NaiveDate> = out.rows[first_bill..].iter().map(|b| b.from).collect();
        days.sort();
        days.dedup();
        let mut gaps: Vec<i64> = days.windows(2).map(|w| (w[1] - w[0]).num_days()).collect();
        gaps.sort();
        if gaps.len() >= 2 && gaps[gaps.len() / 2] >= 25 {
            let (c, h) = period_index.clone().unzip();
            out.issues.push(issue(
                sheet,
                header_row,
                c,
                h.as_deref(),
                "PERIOD_SINGLE_DAYS",
                Severity::Warning,
                format!("each row is read as one day, its date, but the dates are about a month apart ({} days in the middle): if each row is a bill for a month or a billing cycle, its consumption is put on one day. Give the period as a range (2024-01-26至2024-02-25), as start and end columns (账单周期起 | 账单周期止), or as a month (2024-02)", gaps[gaps.len() / 2]),
                format!("每行按其日期读作一天，但各日期相隔约一个月（中位数 {} 天）：如每行是一个月或一个计费周期的账单，其用量会被计在一天上。请把期间写成区间（2024-01-26至2024-02-25）、起止两列（账单周期起 | 账单周期止）或月份（2024-02）", gaps[gaps.len() / 2]),
            ));
        }
    }
    // overlapping bills of the same meter on this sheet (a negative adjustment overlaps the bill
    // it adjusts by nature)
    let mut bills: Vec<&BillRow> = out.rows[first_bill..]
        .iter()
        .filter(|b| !b.adjustment)
        .collect();
    bills.sort_by_key(|b| (b.meter.clone(), b.from, b.row));
    let mut overlaps = Vec::new();
    for pair in bills.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        if a.meter == b.meter && b.from <= a.to {
            overlaps.push((a.row, b.row, a.from, a.to, b.from, b.to));
        }
    }
    for (ra, rb, af, at, bf, bt) in overlaps {
        let r = (rb - sheet.row0 - 1) as usize;
        out.issues.push(issue(sheet, r, period_index.as_ref().map(|x| x.0), period_index.as_ref().map(|x| x.1.as_str()), "PERIOD_OVERLAP", Severity::Error, format!("this bill ({bf}..{bt}) overlaps the bill on row {ra} ({af}..{at}): the same consumption would count twice"), format!("本行账单（{bf}至{bt}）与第 {ra} 行账单（{af}至{at}）期间重叠：同一用量会被重复计算")));
    }
    out.mappings.push(SheetMapping {
        sheet: sheet.name.clone(),
        header_row: sheet.row_number(header_row),
        columns,
        periods: periods_seen.to_string(),
    });
}

/// Check a total (or subtotal) row's figure against the rows above it. The tolerance is the
/// rounding the figures' own decimals allow (as beancount's balance assertions): half a unit
/// of the last decimal per row added, and of the total itself. A difference within it is said
/// (info); beyond it, an error.
#[allow(clippy::too_many_arguments)]
fn check_total(
    sheet: &Sheet,
    r: usize,
    m: &ColumnMapping,
    grand: bool,
    written: Decimal,
    decimals: u32,
    running: &Running,
    k: usize,
    out: &mut Bills,
) {
    let expected = running.sum[k];
    let difference = written - expected;
    let own = Decimal::new(5, decimals + 1);
    let rows = Decimal::new(5, running.decimals[k] + 1) * Decimal::from(running.rows[k]);
    let tolerance = own + rows;
    let (what, what_zh) = if grand {
        ("total", "合计")
    } else {
        ("subtotal", "小计")
    };
    if difference.abs() <= own {
        return;
    }
    if difference.abs() <= tolerance {
        out.issues.push(issue(
            sheet,
            r,
            Some(m.index),
            Some(&m.header),
            "TOTAL_ROUNDED",
            Severity::Info,
            format!("the {what} row says {written} for '{}', the {} rows above add up to {} (difference {}): within the rounding of figures written to {} decimals (±{}); the rows are imported as written", m.header, running.rows[k], expected.normalize(), difference.normalize(), running.decimals[k], tolerance.normalize()),
            format!("{what_zh}行“{}”为 {written}，上方 {} 行之和为 {}（相差 {}）：在保留 {} 位小数的舍入误差（±{}）以内；各行按原值导入", m.header, running.rows[k], expected.normalize(), difference.normalize(), running.decimals[k], tolerance.normalize()),
        ));
        return;
    }
    out.issues.push(issue(
        sheet,
        r,
        Some(m.index),
        Some(&m.header),
        "TOTAL_MISMATCH",
        Severity::Error,
        format!("the {what} row says {written} for '{}', but the rows above add up to {} (difference {}, more than the ±{} rounding allows); correct the rows or the total", m.header, expected.normalize(), difference.normalize(), tolerance.normalize()),
        format!("{what_zh}行“{}”为 {written}，但上方各行合计为 {}（相差 {}，超出舍入误差 ±{}）；请核对明细或合计", m.header, expected.normalize(), difference.normalize(), tolerance.normalize()),
    ));
}

fn span(p: PeriodValue) -> (NaiveDate, NaiveDate) {
    match p {
        PeriodValue::Range(a, b) => (a, b),
        PeriodValue::Day(d) => (d, d),
        PeriodValue::Month(y, m) => month_bounds(y, m),
    }
}

fn unreadable_period(sheet: &Sheet, r: usize, m: &ColumnMapping, v: &Value) -> ImportIssue {
    let shown = v.display();
    issue(
        sheet,
        r,
        Some(m.index),
        Some(&m.header),
        "PERIOD_UNREADABLE",
        Severity::Error,
        format!("'{shown}' is not a period Lingtan can read; write 2024-01, 2024年1月, 2024-01-01至2024-01-31 or a date"),
        format!("无法识别期间“{shown}”；请写成 2024-01、2024年1月、2024-01-01至2024-01-31 或日期"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Value {
        Value::Text(s.into())
    }

    fn read_rows(rows: Vec<Vec<&str>>, options: &BillOptions) -> Bills {
        let rows = rows
            .into_iter()
            .map(|r| {
                r.into_iter()
                    .map(|c| if c.is_empty() { Value::Empty } else { t(c) })
                    .collect()
            })
            .collect();
        let sheet = Sheet {
            name: "S".into(),
            row0: 0,
            col0: 0,
            rows,
        };
        read(&[sheet], options)
    }

    fn codes(b: &Bills) -> Vec<&'static str> {
        b.issues.iter().map(|i| i.code).collect()
    }

    fn dec(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn start_and_end_columns_are_one_period_in_every_spelling() {
        for (a, b) in [
            ("账单周期起", "账单周期止"),
            ("起始日期", "截止日期"),
            ("抄表起始日期", "抄表截止日期"),
            ("Period start", "Period end"),
            ("From", "To"),
            ("Start date", "End date"),
            ("计费起日", "计费止日"),
            ("抄表日期(起)", "抄表日期(止)"),
        ] {
            let b = read_rows(
                vec![
                    vec![a, b, "电量(kWh)"],
                    vec!["2024-01-26", "2024-02-25", "100"],
                ],
                &BillOptions::default(),
            );
            assert_eq!(
                (b.rows[0].from.to_string(), b.rows[0].to.to_string()),
                ("2024-01-26".into(), "2024-02-25".into()),
                "{a} | {b:?} must read as one period"
            );
        }
    }

    #[test]
    fn the_previous_reading_date_starts_the_period_the_day_after() {
        let b = read_rows(
            vec![
                vec!["上次抄表日期", "本次抄表日期", "有功电量(kWh)"],
                vec!["2024-01-25", "2024-02-25", "100"],
            ],
            &BillOptions::default(),
        );
        assert_eq!(
            b.rows[0].from.to_string(),
            "2024-01-26",
            "the previous reading date starts the period the day after: {:?}",
            b.issues
        );
        assert_eq!(
            b.rows[0].to.to_string(),
            "2024-02-25",
            "the previous reading date starts the period the day after"
        );
    }

    #[test]
    fn start_and_end_register_readings_are_not_a_period() {
        // 起码 | 止码 are the register at the start and at the end, not dates
        let b = read_rows(
            vec![
                vec!["抄表日期", "起码", "止码", "电量(kWh)"],
                vec!["2024-02-25", "1000", "1100", "100"],
            ],
            &BillOptions::default(),
        );
        assert_eq!(
            b.mappings[0].columns.len(),
            2,
            "start and end register readings are not a period: {:?}",
            b.mappings
        );
    }

    #[test]
    fn critical_peak_is_its_own_part_and_the_parts_add_up() {
        let b = read_rows(
            vec![
                vec!["账期", "尖峰", "峰", "平", "谷", "本期电量(kWh)"],
                vec!["2024-07", "10", "20", "30", "40", "100"],
            ],
            &BillOptions::default(),
        );
        assert!(
            codes(&b).is_empty(),
            "尖峰 + 峰 + 平 + 谷 = 100: {:?}",
            b.issues
        );
        let r = &b.rows[0];
        assert_eq!(
            (r.sharp, r.peak, r.flat, r.valley),
            (
                Some(dec("10")),
                Some(dec("20")),
                Some(dec("30")),
                Some(dec("40"))
            ),
            "critical peak is its own part and the parts add up"
        );
    }

    #[test]
    fn a_mapping_profile_wins_over_what_the_names_suggest() {
        // the profile says 峰电量 is the peak and 尖峰 is the total's critical-peak part: no
        // detection may take 峰电量's place
        let options = BillOptions {
            headers: vec![
                ("峰电量".into(), Role::Peak),
                ("合计".into(), Role::Quantity),
            ],
            ..BillOptions::default()
        };
        let b = read_rows(
            vec![
                vec!["账期", "尖峰", "峰电量", "合计", "电量(kWh)"],
                vec!["2024-07", "5", "20", "25", "25"],
            ],
            &options,
        );
        let roles: Vec<(String, Role)> = b.mappings[0]
            .columns
            .iter()
            .map(|c| (c.header.clone(), c.role))
            .collect();
        assert!(
            roles.contains(&("峰电量".into(), Role::Peak)),
            "a mapping profile wins over what the names suggest: {roles:?}"
        );
        assert!(
            roles.contains(&("合计".into(), Role::Quantity)),
            "a mapping profile wins over what the names suggest: {roles:?}"
        );
        assert!(
            !roles.contains(&("电量(kWh)".into(), Role::Quantity)),
            "the profile's quantity wins: {roles:?}"
        );
    }

    #[test]
    fn units_after_a_slash_or_a_space_or_alone_are_read() {
        for header in ["电量/kWh", "电量 kWh", "Energy [kWh]", "kWh", "用电 (kWh)"] {
            let b = read_rows(
                vec![vec!["月份", header], vec!["2024-03", "12"]],
                &BillOptions::default(),
            );
            assert_eq!(
                b.rows.len(),
                1,
                "units after a slash or a space or alone are read: {header}: {:?}",
                b.issues
            );
            assert_eq!(
                b.rows[0].unit,
                Unit::KWh,
                "units after a slash or a space or alone are read: {header}"
            );
        }
        // a qualifier in brackets is not a unit
        let b = read_rows(
            vec![vec!["月份", "电量(本月)"], vec!["2024-03", "12"]],
            &BillOptions {
                default_unit: Some(Unit::KWh),
                ..BillOptions::default()
            },
        );
        assert!(
            codes(&b).is_empty(),
            "units after a slash or a space or alone are read: {:?}",
            b.issues
        );
    }

    #[test]
    fn a_quantity_taken_from_the_time_of_use_parts_is_said_at_its_cell() {
        let b = read_rows(
            vec![
                vec!["账期", "峰", "平", "谷", "有功电量(kWh)"],
                vec!["2024-01", "10", "20", "30", "N/A"],
            ],
            &BillOptions::default(),
        );
        assert_eq!(
            b.rows[0].quantity,
            dec("60"),
            "a quantity taken from the time of use parts is said at its cell"
        );
        let i = b
            .issues
            .iter()
            .find(|i| i.code == "QUANTITY_DERIVED")
            .unwrap();
        assert_eq!(
            i.cell.as_deref(),
            Some("E2"),
            "a quantity taken from the time of use parts is said at its cell"
        );
        assert!(
            i.message(lingtan_core::Lang::En).contains("'N/A'")
                && i.message(lingtan_core::Lang::En).contains("= 60"),
            "a quantity taken from the time of use parts is said at its cell: {}",
            i.message(lingtan_core::Lang::En)
        );
    }

    #[test]
    fn two_quantity_columns_are_an_issue_unless_one_names_the_billed_total() {
        let b = read_rows(
            vec![
                vec!["账期", "有功电量(kWh)", "用电量(kWh)"],
                vec!["2024-01", "10", "12"],
            ],
            &BillOptions::default(),
        );
        assert_eq!(
            codes(&b),
            ["HEADER_AMBIGUOUS"],
            "never the first one silently"
        );
        assert!(
            b.rows.is_empty(),
            "two quantity columns are an issue unless one names the billed total"
        );
        let b = read_rows(
            vec![
                vec!["账期", "抄见电量(kWh)", "变损电量(kWh)", "结算电量(kWh)"],
                vec!["2024-01", "100", "3", "103"],
            ],
            &BillOptions::default(),
        );
        assert_eq!(
            codes(&b),
            ["COLUMN_CHOSEN"],
            "two quantity columns are an issue unless one names the billed total"
        );
        assert_eq!(
            b.rows[0].quantity,
            dec("103"),
            "two quantity columns are an issue unless one names the billed total"
        );
    }

    #[test]
    fn a_refund_row_is_a_negative_adjustment_and_counts_in_the_total() {
        let b = read_rows(
            vec![
                vec!["计费周期", "电量(kWh)", "备注"],
                vec!["2024-03-26至2024-04-25", "1000", ""],
                vec!["2024-03-26至2024-04-25", "-100", "退补"],
                vec!["合计", "900", ""],
            ],
            &BillOptions::default(),
        );
        assert_eq!(
            codes(&b),
            ["ADJUSTMENT_ROW"],
            "no overlap, no total mismatch"
        );
        assert!(
            b.rows[1].adjustment && b.rows[1].note.as_deref() == Some("退补"),
            "a refund row is a negative adjustment and counts in the total"
        );
    }

    #[test]
    fn a_total_within_the_rounding_of_the_rows_is_said_not_refused() {
        let b = read_rows(
            vec![
                vec!["月份", "电 (kWh)"],
                vec!["2024-01", "100.01"],
                vec!["2024-02", "100.01"],
                vec!["Total", "200.03"],
            ],
            &BillOptions::default(),
        );
        assert_eq!(
            codes(&b),
            ["TOTAL_ROUNDED"],
            "a total within the rounding of the rows is said not refused"
        );
        let b = read_rows(
            vec![
                vec!["月份", "电 (kWh)"],
                vec!["2024-01", "100.01"],
                vec!["2024-02", "100.01"],
                vec!["Total", "200.05"],
            ],
            &BillOptions::default(),
        );
        assert_eq!(
            codes(&b),
            ["TOTAL_MISMATCH"],
            "0.03 is more than 2 × 0.005 + 0.005"
        );
    }

    #[test]
    fn monthly_bills_read_as_single_days_warn() {
        let b = read_rows(
            vec![
                vec!["结算日期", "电量(kWh)"],
                vec!["2024-01-25", "100"],
                vec!["2024-02-25", "100"],
                vec!["2024-03-25", "100"],
            ],
            &BillOptions::default(),
        );
        assert_eq!(
            codes(&b),
            ["PERIOD_SINGLE_DAYS"],
            "monthly bills read as single days warn"
        );
    }
}
