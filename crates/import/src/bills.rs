//! Bill ledgers: find the header row under any title rows, map the columns by their Chinese or
//! English names, read each row's period, quantity, unit, peak / flat / valley and cost, check
//! 合计 / 小计 / Total rows against the rows above, and report every problem with its cell.

use crate::issue::ImportIssue;
use crate::read::{Sheet, Value};
use crate::text::{self, header_parts, month_bounds, Number, PeriodValue};
use chrono::NaiveDate;
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
    Peak,
    Flat,
    Valley,
    Cost,
    Meter,
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
            "peak" => Role::Peak,
            "flat" => Role::Flat,
            "valley" => Role::Valley,
            "cost" => Role::Cost,
            "meter" => Role::Meter,
            _ => return None,
        })
    }

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
            Role::Peak => ("peak", "峰"),
            Role::Flat => ("flat", "平"),
            Role::Valley => ("valley", "谷"),
            Role::Cost => ("cost", "金额"),
            Role::Meter => ("meter", "户号/表号"),
        }
    }
}

/// Header names per role, lower case. Checked in this order, exact names before names that
/// only contain a synonym, so 峰电量 is peak, not quantity.
const SYNONYMS: &[(Role, &[&str])] = &[
    (
        Role::Peak,
        &["峰", "峰段", "峰电量", "峰时电量", "高峰", "尖峰", "peak"],
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
            "计量点",
            "设备",
            "设备编号",
            "meter",
            "account",
            "account no",
            "meter no",
        ],
    ),
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

fn classify(header: &str) -> Option<(Role, Option<String>)> {
    let (name, unit) = header_parts(header);
    let lower = name.to_lowercase();
    if lower.is_empty() {
        return None;
    }
    // money in the header's unit makes it a cost column whatever its name
    if unit
        .as_deref()
        .is_some_and(|u| matches!(u, "元" | "万元" | "CNY" | "cny" | "RMB" | "¥" | "￥"))
    {
        return Some((Role::Cost, unit));
    }
    for (role, names) in SYNONYMS {
        if names.contains(&lower.as_str()) {
            return Some((*role, unit));
        }
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
}

/// The detected layout of one sheet.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SheetMapping {
    pub sheet: String,
    /// 1-based row of the header.
    pub header_row: u32,
    pub columns: Vec<ColumnMapping>,
    /// How periods are read: `range`, `month`, `day`, `from-to`.
    pub periods: String,
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
    pub peak: Option<Decimal>,
    pub flat: Option<Decimal>,
    pub valley: Option<Decimal>,
    pub cost: Option<Decimal>,
    pub meter: Option<String>,
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
    en: String,
    zh: String,
) -> ImportIssue {
    ImportIssue {
        code,
        severity,
        en,
        zh,
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

/// Find the header: the row among the first 40 that maps the most roles, with a quantity (or
/// peak / flat / valley) and a period (or from) column.
fn find_header(sheet: &Sheet, headers: &[(String, Role)]) -> Option<(usize, Vec<ColumnMapping>)> {
    let mut best: Option<(usize, Vec<ColumnMapping>)> = None;
    for (r, row) in sheet.rows.iter().enumerate().take(40) {
        let mut columns: Vec<ColumnMapping> = Vec::new();
        for (c, cell) in row.iter().enumerate() {
            let Value::Text(text) = cell else { continue };
            let named = headers
                .iter()
                .find(|(h, _)| h.trim() == text.trim())
                .map(|(_, role)| (*role, header_parts(text).1));
            if let Some((role, unit)) = named.or_else(|| classify(text)) {
                // the first column of a role wins; a second "amount" is cost
                if columns.iter().any(|m| m.role == role) {
                    continue;
                }
                columns.push(ColumnMapping {
                    role,
                    column: sheet.column_letters(c),
                    header: text.trim().to_string(),
                    unit: unit.as_deref().and_then(text::unit),
                    index: c,
                });
            }
        }
        let has = |role: Role| columns.iter().any(|m| m.role == role);
        let usable =
            (has(Role::Quantity) || has(Role::Peak) || has(Role::Flat) || has(Role::Valley))
                && (has(Role::Period) || has(Role::From));
        if usable && best.as_ref().is_none_or(|(_, b)| columns.len() > b.len()) {
            best = Some((r, columns));
        }
    }
    best
}

fn is_total_row(row: &[Value]) -> Option<bool> {
    row.iter().take(4).find_map(text::total_label)
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
            format!(
                "--sheet '{name}': no such sheet; the workbook has {}",
                names.join(", ")
            ),
            format!(
                "--sheet “{name}”：没有该工作表；工作簿中有 {}",
                names.join("、")
            ),
        ));
        return out;
    }
    let mut unmapped: Vec<(&Sheet, String)> = Vec::new();
    for sheet in chosen {
        if sheet.rows.iter().all(|r| r.iter().all(Value::is_empty)) {
            unmapped.push((sheet, String::new()));
            continue;
        }
        match find_header(sheet, &options.headers) {
            Some((header_row, columns)) => {
                read_sheet(sheet, header_row, columns, options, &mut out)
            }
            None => {
                let seen = sheet
                    .rows
                    .iter()
                    .take(40)
                    .max_by_key(|r| r.iter().filter(|c| matches!(c, Value::Text(_))).count())
                    .map(|r| {
                        r.iter()
                            .filter(|c| matches!(c, Value::Text(_)))
                            .map(Value::display)
                            .take(12)
                            .collect::<Vec<_>>()
                            .join(" | ")
                    })
                    .unwrap_or_default();
                unmapped.push((sheet, seen));
            }
        }
    }
    let any_mapped = !out.mappings.is_empty();
    for (sheet, seen) in unmapped {
        let severity = if any_mapped {
            Severity::Warning
        } else {
            Severity::Error
        };
        let (code, en, zh) = if seen.is_empty() {
            (
                "SHEET_EMPTY",
                format!("sheet '{}' is empty", sheet.name),
                format!("工作表“{}”为空", sheet.name),
            )
        } else {
            (
                "HEADER_NOT_FOUND",
                format!("sheet '{}': no header row found. Seen: {seen}. Expected a period column (抄表起止日期, 计费周期, 账期, 月份, 日期, Period, From/To) and a quantity column (有功电量, 用电量, 用气量, 用量, 数量, Consumption, Quantity)", sheet.name),
                format!("工作表“{}”：找不到表头行。看到的是：{seen}。需要一个期间列（抄表起止日期、计费周期、账期、月份、日期、Period、From/To）和一个用量列（有功电量、用电量、用气量、用量、数量、Consumption、Quantity）", sheet.name),
            )
        };
        out.issues
            .push(ImportIssue::on_sheet(code, severity, &sheet.name, en, zh));
    }
    out
}

#[derive(Default, Clone, Copy)]
struct Running {
    quantity: Decimal,
    peak: Decimal,
    flat: Decimal,
    valley: Decimal,
    cost: Decimal,
}

fn read_sheet(
    sheet: &Sheet,
    header_row: usize,
    columns: Vec<ColumnMapping>,
    options: &BillOptions,
    out: &mut Bills,
) {
    let col = |role: Role| columns.iter().find(|m| m.role == role);
    let period_col = col(Role::Period);
    let month_header = period_col.is_some_and(|m| {
        let (name, _) = header_parts(&m.header);
        MONTH_HEADERS.contains(&name.to_lowercase().as_str())
    });
    let reading_dates = period_col.is_some_and(|m| header_parts(&m.header).0 == "抄表日期");
    let header_unit = col(Role::Quantity).and_then(|m| m.unit).or_else(|| {
        [Role::Peak, Role::Flat, Role::Valley]
            .iter()
            .find_map(|r| col(*r).and_then(|m| m.unit))
    });
    let mut periods_seen = "";
    let first_bill = out.rows.len();
    let mut since_total = Running::default();
    let mut since_subtotal = Running::default();
    let mut previous_reading: Option<NaiveDate> = None;
    for r in header_row + 1..sheet.rows.len() {
        let row = &sheet.rows[r];
        if row.iter().all(Value::is_empty) {
            continue;
        }
        let cell =
            |m: Option<&ColumnMapping>| m.map(|m| sheet.get(r, m.index)).unwrap_or(&Value::Empty);
        if let Some(grand) = is_total_row(row) {
            let running = if grand { since_total } else { since_subtotal };
            for (role, expected) in [
                (Role::Quantity, running.quantity),
                (Role::Peak, running.peak),
                (Role::Flat, running.flat),
                (Role::Valley, running.valley),
                (Role::Cost, running.cost),
            ] {
                let Some(m) = col(role) else { continue };
                if let Number::Value(written, decimals) = text::number(sheet.get(r, m.index)) {
                    // half a unit of the last decimal written: 1,234.5 checks to ±0.05
                    let tolerance = Decimal::new(5, decimals + 1);
                    let difference = written - expected;
                    if difference.abs() > tolerance {
                        out.issues.push(issue(
                            sheet,
                            r,
                            Some(m.index),
                            Some(&m.header),
                            "TOTAL_MISMATCH",
                            Severity::Error,
                            format!("the {} row says {written} for '{}', but the rows above add up to {} (difference {}); correct the rows or the total", if grand { "total" } else { "subtotal" }, m.header, expected.normalize(), difference.normalize()),
                            format!("{}行“{}”为 {written}，但上方各行合计为 {}（相差 {}）；请核对明细或合计", if grand { "合计" } else { "小计" }, m.header, expected.normalize(), difference.normalize()),
                        ));
                    }
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
            .filter(|m| m.role != Role::Unit && m.role != Role::Meter)
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
                    let (a, b) = (span(a).0, span(b).1);
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
                            "the period is empty; every bill row needs its period".into(),
                            "期间为空；每一行账单都需要期间".into(),
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
        let quantity = read_num(Role::Quantity, out);
        let peak = read_num(Role::Peak, out);
        let flat = read_num(Role::Flat, out);
        let valley = read_num(Role::Valley, out);
        let cost = read_num(Role::Cost, out);
        let tou: Vec<(Decimal, u32)> = [peak, flat, valley].into_iter().flatten().collect();
        let tou_sum: Option<Decimal> = (!tou.is_empty()).then(|| tou.iter().map(|(v, _)| *v).sum());
        let quantity = match (quantity, tou_sum) {
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
                            "peak + flat + valley = {} but the total is {q}; the total is used",
                            sum.normalize()
                        ),
                        format!(
                            "峰 + 平 + 谷 = {}，但总电量为 {q}；采用总电量",
                            sum.normalize()
                        ),
                    ));
                }
                Some(q)
            }
            (Some((q, _)), None) => Some(q),
            (None, Some(sum)) => Some(sum),
            (None, None) => None,
        };
        let Some(quantity) = quantity else {
            if row_ok {
                let m = col(Role::Quantity)
                    .or(col(Role::Peak))
                    .map(|m| (m.index, m.header.clone()));
                out.issues.push(issue(sheet, r, m.as_ref().map(|x| x.0), m.as_ref().map(|x| x.1.as_str()), "QUANTITY_MISSING", Severity::Error, "no quantity on this row; type the figure from the bill, or delete the row if it is not a bill".into(), "该行没有用量；请填写账单上的数值，如不是账单请删除该行".into()));
            }
            out.rejected += 1;
            continue;
        };
        if quantity.is_sign_negative() && !quantity.is_zero() {
            let m = col(Role::Quantity).map(|m| (m.index, m.header.clone()));
            out.issues.push(issue(sheet, r, m.as_ref().map(|x| x.0), m.as_ref().map(|x| x.1.as_str()), "QUANTITY_NEGATIVE", Severity::Error, format!("negative quantity {quantity}: a credit note is entered as a correction with a reason (`lingtan activity add … --reason`), not imported"), format!("用量为负数 {quantity}：红字冲减请以更正方式录入并说明原因（`lingtan activity add … --reason`），不能导入")));
            row_ok = false;
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
            out.issues.push(issue(sheet, r, m.as_ref().map(|x| x.0), m.as_ref().map(|x| x.1.as_str()), "UNIT_MISSING", Severity::Error, "no unit: neither the header (e.g. 用电量(kWh)) nor a unit column says, and no --source unit is set".into(), "没有单位：表头（如 用电量(kWh)）和单位列都未注明，且未指定排放源单位".into()));
            out.rejected += 1;
            continue;
        };
        let running_add = |run: &mut Running| {
            run.quantity += quantity;
            run.peak += peak.map(|p| p.0).unwrap_or_default();
            run.flat += flat.map(|p| p.0).unwrap_or_default();
            run.valley += valley.map(|p| p.0).unwrap_or_default();
            run.cost += cost.map(|p| p.0).unwrap_or_default();
        };
        running_add(&mut since_total);
        running_add(&mut since_subtotal);
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
            peak: peak.map(|p| p.0),
            flat: flat.map(|p| p.0),
            valley: valley.map(|p| p.0),
            cost: cost.map(|p| p.0),
            meter,
        });
    }
    // overlapping bills of the same meter on this sheet
    let mut bills: Vec<&BillRow> = out.rows[first_bill..].iter().collect();
    bills.sort_by_key(|b| (b.meter.clone(), b.from, b.row));
    let mut overlaps = Vec::new();
    for pair in bills.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        if a.meter == b.meter && b.from <= a.to {
            overlaps.push((a.row, b.row, a.from, a.to, b.from, b.to));
        }
    }
    let period_index = period_col
        .or(col(Role::From))
        .map(|m| (m.index, m.header.clone()));
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
