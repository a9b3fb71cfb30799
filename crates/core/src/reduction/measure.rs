//! Reduction measures: the catalogue of kinds, and how a kind's engineering inputs become annual
//! changes of the sources' activity.
//!
//! A measure's effect is a set of annual changes to sources' activity (negative saves, positive
//! adds) or a change of a source's factor (a refrigerant switch). The changes come from the
//! kind's formula, from changes given directly (`SOURCE=QTY UNIT`, always allowed, in any unit of
//! the source's dimension), or both. The formulas, per year (percentages as typed, 85 = 85 %):
//!
//! | kind | changes |
//! |---|---|
//! | `pv-rooftop` | grid electricity −(kWp × yield kWh/kWp × self-consumption %); the generation kWp × yield is shown |
//! | `led` | electricity −(fixtures × (W_old − W_new) × hours ÷ 1000) kWh |
//! | `vsd-compressor` | electricity −(kWh before × saving %), or −((kW/(m³/min) before − after) × m³ of air ÷ 60) kWh |
//! | `motor` | electricity −(kW × load % × hours × (1/η_old − 1/η_new)) kWh |
//! | `heat-recovery` | fuel −(heat recovered GJ ÷ boiler efficiency), in the fuel's unit through its NCV |
//! | `heat-pump` | fuel −(heat GJ ÷ boiler efficiency) through its NCV; electricity +(heat GJ ÷ COP) |
//! | `fuel-switch` | old fuel −(heat GJ ÷ η_old); new energy +(heat GJ ÷ η_new), each through its NCV |
//! | `electric-forklift` | diesel −L; electricity +kWh as given, else the rough L × 10 kWh/L × 25 % ÷ 90 % (unconfirmed) |
//! | `refrigerant-switch` | the source's yearly top-up stays (given, or its annual activity); its gas changes |
//! | `insulation` | fuel −(heat loss saved GJ ÷ boiler efficiency) through its NCV |
//! | `other` | changes given directly only |
//!
//! A formula's energy becomes a fuel's unit only through a cited fuel property of that source
//! (its NCV, its density), named in the result. A direct change in a unit of another dimension
//! than its source is refused, naming both; so is a set of changes that would take a source's
//! annual activity below zero (the check takes that activity as input).
//!
//! What the changes abate and save, and a measure's money figures, are in [`super::abatement`].

use super::{figure, Citation, Month, ReductionError};
use crate::calc::{refrigerant_factor, FactorRef};
use crate::factor::{Bridge, EmissionFactor, FuelProperty};
use crate::gas::Substance;
use crate::source::SourceKind;
use crate::text::closest;
use crate::units::{Quantity, Unit, UnitError};
use rust_decimal::Decimal;
use serde::{Serialize, Serializer};
use std::collections::BTreeMap;

const fn dec(mantissa: u32, scale: u32) -> Decimal {
    Decimal::from_parts(mantissa, 0, 0, false, scale)
}

/// The largest quantity a change or an input may state (10^15 of its unit), as for activity.
pub(crate) const MAX_QUANTITY: Decimal = Decimal::from_parts(2_764_472_320, 232_830, 0, false, 0);

/// The kinds of measure the catalogue knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MeasureKind {
    PvRooftop,
    Led,
    VsdCompressor,
    Motor,
    HeatRecovery,
    HeatPump,
    FuelSwitch,
    ElectricForklift,
    RefrigerantSwitch,
    Insulation,
    Other,
}

impl MeasureKind {
    pub const ALL: [MeasureKind; 11] = [
        MeasureKind::PvRooftop,
        MeasureKind::Led,
        MeasureKind::VsdCompressor,
        MeasureKind::Motor,
        MeasureKind::HeatRecovery,
        MeasureKind::HeatPump,
        MeasureKind::FuelSwitch,
        MeasureKind::ElectricForklift,
        MeasureKind::RefrigerantSwitch,
        MeasureKind::Insulation,
        MeasureKind::Other,
    ];

    pub fn spec(self) -> &'static KindSpec {
        let i = MeasureKind::ALL
            .iter()
            .position(|k| *k == self)
            .unwrap_or(MeasureKind::ALL.len() - 1);
        &CATALOGUE[i]
    }

    pub fn code(self) -> &'static str {
        self.spec().code
    }

    /// By code (case, spaces and `_` ignored); unknown kinds are refused with the nearest.
    pub fn parse(text: &str) -> Result<MeasureKind, ReductionError> {
        let t = text.trim().to_ascii_lowercase().replace(['_', ' '], "-");
        MeasureKind::ALL
            .iter()
            .copied()
            .find(|k| k.code() == t)
            .ok_or_else(|| ReductionError::UnknownKind {
                input: text.to_string(),
                suggestions: closest(&t, MeasureKind::ALL.iter().map(|k| k.code())),
                known: MeasureKind::ALL.iter().map(|k| k.code()).collect(),
            })
    }
}

impl Serialize for MeasureKind {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

/// Where a measure stands. "Planned or later" counts in the plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum MeasureStatus {
    Idea,
    Planned,
    Approved,
    InProgress,
    Done,
}

impl MeasureStatus {
    pub fn parse(text: &str) -> Result<MeasureStatus, ReductionError> {
        match text
            .trim()
            .to_ascii_lowercase()
            .replace(['_', ' '], "-")
            .as_str()
        {
            "idea" => Ok(MeasureStatus::Idea),
            "planned" => Ok(MeasureStatus::Planned),
            "approved" => Ok(MeasureStatus::Approved),
            "in-progress" => Ok(MeasureStatus::InProgress),
            "done" => Ok(MeasureStatus::Done),
            _ => Err(ReductionError::UnknownStatus {
                input: text.to_string(),
            }),
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            MeasureStatus::Idea => "idea",
            MeasureStatus::Planned => "planned",
            MeasureStatus::Approved => "approved",
            MeasureStatus::InProgress => "in-progress",
            MeasureStatus::Done => "done",
        }
    }

    /// Planned, approved, in progress or done: counted in the plan.
    pub fn is_planned(self) -> bool {
        self >= MeasureStatus::Planned
    }
}

/// The source a kind's formula changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// The purchased electricity the measure saves or adds.
    Electricity,
    /// The fuel (or purchased heat / steam) the measure saves.
    Fuel,
    /// The energy a fuel switch turns to.
    NewEnergy,
    /// The refrigerant circuit whose gas changes.
    Refrigerant,
}

impl Role {
    pub const ALL: [Role; 4] = [
        Role::Electricity,
        Role::Fuel,
        Role::NewEnergy,
        Role::Refrigerant,
    ];

    /// As stored and serialised: `electricity`, `fuel`, `new-energy`, `refrigerant`.
    pub fn code(self) -> &'static str {
        match self {
            Role::Electricity => "electricity",
            Role::Fuel => "fuel",
            Role::NewEnergy => "new-energy",
            Role::Refrigerant => "refrigerant",
        }
    }

    pub fn parse(text: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == text.trim())
    }

    /// The field that names the role's source.
    pub fn field(self) -> &'static str {
        match self {
            Role::Electricity => "electricity-source",
            Role::Fuel => "fuel-source",
            Role::NewEnergy => "new-source",
            Role::Refrigerant => "refrigerant-source",
        }
    }

    /// Whether a source of `kind` can play this role for a measure of `measure`.
    pub fn accepts(self, measure: MeasureKind, kind: SourceKind) -> bool {
        match self {
            Role::Electricity => kind == SourceKind::Electricity,
            Role::Fuel if measure == MeasureKind::ElectricForklift => {
                kind == SourceKind::MobileCombustion
            }
            Role::Fuel => matches!(
                kind,
                SourceKind::StationaryCombustion | SourceKind::Heat | SourceKind::Steam
            ),
            Role::NewEnergy => matches!(
                kind,
                SourceKind::StationaryCombustion
                    | SourceKind::Electricity
                    | SourceKind::Heat
                    | SourceKind::Steam
            ),
            Role::Refrigerant => kind == SourceKind::Fugitive,
        }
    }

    fn expected(self, measure: MeasureKind) -> &'static str {
        match self {
            Role::Electricity => "an electricity source",
            Role::Fuel if measure == MeasureKind::ElectricForklift => "a mobile combustion source",
            Role::Fuel => "a stationary combustion source",
            Role::NewEnergy => "an energy source (fuel, electricity, heat or steam)",
            Role::Refrigerant => "a fugitive (refrigerant) source",
        }
    }
}

/// What an input holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum InputKind {
    /// A decimal in its range.
    Number,
    /// A whole number above zero.
    Count,
    /// A percentage in (0, 100].
    Percent,
    /// A name (a refrigerant).
    Text,
}

/// One engineering input of a kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InputSpec {
    /// The field name (kebab-case, the CLI flag without `--`).
    pub name: &'static str,
    /// The unit it is typed in, as shown.
    pub unit: &'static str,
    pub label_en: &'static str,
    pub label_zh: &'static str,
    /// Needed in every way of computing the kind (see [`KindSpec::ways`]).
    pub required: bool,
    pub kind: InputKind,
    /// Exclusive lower bound (numbers must be above it).
    pub above: Option<Decimal>,
    /// Inclusive upper bound.
    pub max: Option<Decimal>,
}

/// A kind of measure: its inputs, the sources its formula changes, its default lifetime.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KindSpec {
    pub code: &'static str,
    pub name_en: &'static str,
    pub name_zh: &'static str,
    pub inputs: &'static [InputSpec],
    /// Alternative sets of inputs, each enough for the formula (the VSD has two).
    pub ways: &'static [&'static [&'static str]],
    pub roles: &'static [Role],
    pub default_lifetime_years: u32,
    pub lifetime_rule: Citation,
}

/// Where the default lifetimes come from.
pub const LIFETIME_RULE: Citation = Citation {
    citation: "typical service life used in energy-audit practice (rule of thumb, not confirmed against a primary source); give the measure's own lifetime where known",
    confirmed: false,
};

/// Exported PV power earns no scope 2 reduction; self-consumed power displaces grid power.
pub const PV_SELF_CONSUMPTION_RULE: Citation = Citation {
    citation: "only self-consumed PV power displaces purchased grid power (scope 2); exported kWh give no scope 2 benefit (GHG Protocol Scope 2 Guidance practice, not confirmed against its text in the research notes)",
    confirmed: false,
};

/// The attribute of PV owned by an energy-service company.
pub const PV_EMC_RULE: Citation = Citation {
    citation: "self-consumed PV earns non-tradable GECs (NEA rules of 5 Sep 2024); if an energy-service company (EMC, 合同能源管理) owns the plant and keeps the GECs, the factory cannot claim the attribute on the market basis (inferred, unconfirmed)",
    confirmed: false,
};

/// The rough diesel-to-electricity conversion for forklifts.
pub const FORKLIFT_RULE: Citation = Citation {
    citation: "rough conversion: diesel L × 10 kWh/L × 25 % engine efficiency ÷ 90 % electric drive efficiency (REDUCTION.md, unconfirmed); give the chargers' metered kWh instead",
    confirmed: false,
};

/// The motor savings formula.
pub const MOTOR_RULE: Citation = Citation {
    citation: "motor replacement savings = shaft kW × load × hours × (1/η_old − 1/η_new), the usual energy-audit formula (not confirmed against a cited primary source)",
    confirmed: false,
};

const PERCENT_MAX: Option<Decimal> = Some(dec(100, 0));
const ZERO: Option<Decimal> = Some(dec(0, 0));

const fn input(
    name: &'static str,
    unit: &'static str,
    label_en: &'static str,
    label_zh: &'static str,
    kind: InputKind,
    max: Option<Decimal>,
) -> InputSpec {
    let above = match kind {
        InputKind::Text => None,
        _ => ZERO,
    };
    InputSpec {
        name,
        unit,
        label_en,
        label_zh,
        required: true,
        kind,
        above,
        max,
    }
}

const fn optional(mut spec: InputSpec) -> InputSpec {
    spec.required = false;
    spec
}

const fn at_least_zero(mut spec: InputSpec) -> InputSpec {
    spec.above = None;
    spec
}

const HOURS_MAX: Option<Decimal> = Some(dec(8784, 0));
const BOILER: InputSpec = input(
    "boiler-efficiency",
    "%",
    "efficiency of the boiler or heater whose fuel is saved",
    "被替代锅炉或加热设备的效率",
    InputKind::Percent,
    PERCENT_MAX,
);

/// The catalogue, in [`MeasureKind::ALL`] order.
pub const CATALOGUE: [KindSpec; 11] = [
    KindSpec {
        code: "pv-rooftop",
        name_en: "Rooftop PV (self-consumed)",
        name_zh: "屋顶光伏（自发自用）",
        inputs: &[
            input(
                "kwp",
                "kWp",
                "installed capacity",
                "装机容量",
                InputKind::Number,
                None,
            ),
            input(
                "yield",
                "kWh/kWp",
                "specific yield per year (eastern China roughly 900–1,300)",
                "年等效利用小时数（华东约 900–1,300）",
                InputKind::Number,
                Some(dec(3000, 0)),
            ),
            input(
                "self-consumption",
                "%",
                "share of the generation used on site",
                "自发自用比例",
                InputKind::Percent,
                PERCENT_MAX,
            ),
        ],
        ways: &[&["kwp", "yield", "self-consumption"]],
        roles: &[Role::Electricity],
        default_lifetime_years: 25,
        lifetime_rule: LIFETIME_RULE,
    },
    KindSpec {
        code: "led",
        name_en: "LED lighting retrofit",
        name_zh: "LED 照明改造",
        inputs: &[
            input(
                "fixtures",
                "",
                "number of fixtures replaced",
                "更换灯具数量",
                InputKind::Count,
                None,
            ),
            input(
                "watts-old",
                "W",
                "power of an old fixture",
                "原灯具功率",
                InputKind::Number,
                None,
            ),
            at_least_zero(input(
                "watts-new",
                "W",
                "power of a new fixture",
                "新灯具功率",
                InputKind::Number,
                None,
            )),
            input(
                "hours",
                "h",
                "operating hours per year",
                "年运行小时数",
                InputKind::Number,
                HOURS_MAX,
            ),
        ],
        ways: &[&["fixtures", "watts-old", "watts-new", "hours"]],
        roles: &[Role::Electricity],
        default_lifetime_years: 10,
        lifetime_rule: LIFETIME_RULE,
    },
    KindSpec {
        code: "vsd-compressor",
        name_en: "Variable-speed air compressor",
        name_zh: "变频空压机",
        inputs: &[
            optional(input(
                "kwh-before",
                "kWh",
                "compressor electricity per year before",
                "改造前空压机年用电量",
                InputKind::Number,
                None,
            )),
            optional(input(
                "saving",
                "%",
                "expected saving",
                "预计节电比例",
                InputKind::Percent,
                PERCENT_MAX,
            )),
            optional(input(
                "specific-power-before",
                "kW/(m³/min)",
                "specific power before",
                "改造前比功率",
                InputKind::Number,
                None,
            )),
            optional(at_least_zero(input(
                "specific-power-after",
                "kW/(m³/min)",
                "specific power after",
                "改造后比功率",
                InputKind::Number,
                None,
            ))),
            optional(input(
                "air",
                "m³",
                "free air delivered per year",
                "年供气量（自由空气）",
                InputKind::Number,
                None,
            )),
        ],
        ways: &[
            &["kwh-before", "saving"],
            &["specific-power-before", "specific-power-after", "air"],
        ],
        roles: &[Role::Electricity],
        default_lifetime_years: 15,
        lifetime_rule: LIFETIME_RULE,
    },
    KindSpec {
        code: "motor",
        name_en: "High-efficiency motor",
        name_zh: "高效电机替换",
        inputs: &[
            input(
                "power",
                "kW",
                "rated shaft power",
                "额定输出功率",
                InputKind::Number,
                None,
            ),
            input(
                "load",
                "%",
                "average load",
                "平均负载率",
                InputKind::Percent,
                PERCENT_MAX,
            ),
            input(
                "hours",
                "h",
                "operating hours per year",
                "年运行小时数",
                InputKind::Number,
                HOURS_MAX,
            ),
            input(
                "efficiency-old",
                "%",
                "efficiency of the old motor",
                "原电机效率",
                InputKind::Percent,
                PERCENT_MAX,
            ),
            input(
                "efficiency-new",
                "%",
                "efficiency of the new motor",
                "新电机效率",
                InputKind::Percent,
                PERCENT_MAX,
            ),
        ],
        ways: &[&["power", "load", "hours", "efficiency-old", "efficiency-new"]],
        roles: &[Role::Electricity],
        default_lifetime_years: 20,
        lifetime_rule: LIFETIME_RULE,
    },
    KindSpec {
        code: "heat-recovery",
        name_en: "Waste-heat recovery",
        name_zh: "余热回收",
        inputs: &[
            input(
                "heat",
                "GJ",
                "heat recovered and used per year",
                "年回收利用热量",
                InputKind::Number,
                None,
            ),
            BOILER,
        ],
        ways: &[&["heat", "boiler-efficiency"]],
        roles: &[Role::Fuel],
        default_lifetime_years: 15,
        lifetime_rule: LIFETIME_RULE,
    },
    KindSpec {
        code: "heat-pump",
        name_en: "Heat pump replacing a fuel-fired heater",
        name_zh: "热泵替代燃料加热",
        inputs: &[
            input(
                "heat",
                "GJ",
                "heat the pump supplies per year",
                "热泵年供热量",
                InputKind::Number,
                None,
            ),
            BOILER,
            input(
                "cop",
                "",
                "coefficient of performance",
                "能效比（COP）",
                InputKind::Number,
                Some(dec(20, 0)),
            ),
        ],
        ways: &[&["heat", "boiler-efficiency", "cop"]],
        roles: &[Role::Fuel, Role::Electricity],
        default_lifetime_years: 15,
        lifetime_rule: LIFETIME_RULE,
    },
    KindSpec {
        code: "fuel-switch",
        name_en: "Fuel switch or electrification",
        name_zh: "燃料替代或电能替代",
        inputs: &[
            input(
                "heat",
                "GJ",
                "useful heat per year",
                "年有效供热量",
                InputKind::Number,
                None,
            ),
            input(
                "efficiency-old",
                "%",
                "efficiency with the old fuel",
                "原燃料设备效率",
                InputKind::Percent,
                PERCENT_MAX,
            ),
            input(
                "efficiency-new",
                "%",
                "efficiency with the new energy",
                "新能源设备效率",
                InputKind::Percent,
                PERCENT_MAX,
            ),
        ],
        ways: &[&["heat", "efficiency-old", "efficiency-new"]],
        roles: &[Role::Fuel, Role::NewEnergy],
        default_lifetime_years: 15,
        lifetime_rule: LIFETIME_RULE,
    },
    KindSpec {
        code: "electric-forklift",
        name_en: "Electric forklifts",
        name_zh: "电动叉车替代柴油叉车",
        inputs: &[
            input(
                "diesel",
                "L",
                "diesel no longer used per year",
                "年减少柴油用量",
                InputKind::Number,
                None,
            ),
            optional(at_least_zero(input(
                "kwh",
                "kWh",
                "electricity the chargers use per year",
                "充电年用电量",
                InputKind::Number,
                None,
            ))),
        ],
        ways: &[&["diesel"]],
        roles: &[Role::Fuel, Role::Electricity],
        default_lifetime_years: 10,
        lifetime_rule: LIFETIME_RULE,
    },
    KindSpec {
        code: "refrigerant-switch",
        name_en: "Lower-GWP refrigerant",
        name_zh: "低 GWP 制冷剂替代",
        inputs: &[
            input(
                "refrigerant",
                "",
                "the new refrigerant (R-32, R-290 …)",
                "新制冷剂（R-32 等）",
                InputKind::Text,
                None,
            ),
            optional(at_least_zero(input(
                "top-up",
                "kg",
                "refrigerant topped up per year (default: the source's annual activity)",
                "年补充量（默认取该排放源的年活动量）",
                InputKind::Number,
                None,
            ))),
        ],
        ways: &[&["refrigerant"]],
        roles: &[Role::Refrigerant],
        default_lifetime_years: 15,
        lifetime_rule: LIFETIME_RULE,
    },
    KindSpec {
        code: "insulation",
        name_en: "Insulation of pipes, tanks or ovens",
        name_zh: "管道、储罐或窑炉保温",
        inputs: &[
            input(
                "heat",
                "GJ",
                "heat loss saved per year",
                "年减少散热损失",
                InputKind::Number,
                None,
            ),
            BOILER,
        ],
        ways: &[&["heat", "boiler-efficiency"]],
        roles: &[Role::Fuel],
        default_lifetime_years: 20,
        lifetime_rule: LIFETIME_RULE,
    },
    KindSpec {
        code: "other",
        name_en: "Other (changes given directly)",
        name_zh: "其他（直接给出变化量）",
        inputs: &[],
        ways: &[],
        roles: &[],
        default_lifetime_years: 10,
        lifetime_rule: LIFETIME_RULE,
    },
];

/// A value typed for an input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputValue {
    Number(Decimal),
    Text(String),
}

/// A change given directly: `SOURCE=QTY UNIT` per year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirectChange {
    pub source: String,
    pub quantity: Decimal,
    pub unit: Unit,
}

/// What a measure needs to know of a project source.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceInfo {
    pub name: String,
    pub kind: SourceKind,
    /// The unit its activity (and its changes) are kept in.
    pub unit: Unit,
    /// Its activity over the reference year, in `unit` (for the negative-activity check and a
    /// refrigerant's top-up).
    pub annual_activity: Decimal,
    /// Its fuel properties (NCV, density), to turn a formula's energy into its unit.
    pub properties: Vec<FuelProperty>,
    /// Its fuel or refrigerant id as set on the source.
    pub fuel: Option<String>,
}

/// Where a change comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeOrigin {
    Formula,
    Direct,
}

/// One annual change of a source's activity, in the source's unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    pub source: String,
    pub quantity: Decimal,
    pub unit: Unit,
    pub origin: ChangeOrigin,
    /// Fuel properties that turned the formula's energy into the source's unit.
    pub properties: Vec<FactorRef>,
}

/// A source whose factor changes while its activity stays (a refrigerant switch).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FactorSwitch {
    pub source: String,
    /// The activity the switch applies to, per year, in `unit`.
    pub activity: Decimal,
    pub unit: Unit,
    /// The gas or factor before, as set on the source.
    pub from: Option<String>,
    /// The factor after.
    pub to: FactorRef,
    #[serde(skip)]
    pub to_factor: EmissionFactor,
}

/// A formula shown with its result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Formula {
    pub en: String,
    pub zh: String,
}

/// The changes a measure makes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Changes {
    /// The formula's changes first, then the direct ones.
    pub changes: Vec<Change>,
    pub switches: Vec<FactorSwitch>,
    /// `None` when the changes were all given directly.
    pub formula: Option<Formula>,
    /// PV: the generation per year, kWh (of which the self-consumed part is a change).
    pub generation_kwh: Option<Decimal>,
    /// Rules behind the formula that are not confirmed or must be disclosed.
    pub notes: Vec<Citation>,
}

/// A measure as the project records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Measure {
    pub name: String,
    pub kind: MeasureKind,
    pub status: MeasureStatus,
    pub start: Option<Month>,
    pub inputs: BTreeMap<String, InputValue>,
    /// The source each of the kind's roles changes (a role with one candidate in the project
    /// needs no name).
    pub sources: BTreeMap<Role, String>,
    pub changes: Vec<DirectChange>,
    pub capex: Decimal,
    pub opex: Decimal,
    /// `None`: the kind's default.
    pub lifetime: Option<u32>,
    /// The source that meters the measure's effect (a PV inverter's generation).
    pub meter: Option<String>,
}

/// A number checked against its input's range.
fn number(spec: &InputSpec, n: Decimal) -> Result<Decimal, ReductionError> {
    let range = match (spec.above, spec.max, spec.kind) {
        (_, _, InputKind::Count) => "whole numbers above 0".to_string(),
        (Some(a), Some(m), _) => format!("({a}, {m}]"),
        (Some(a), None, _) => format!("({a}, 10^15]"),
        (None, Some(m), _) => format!("[0, {m}]"),
        (None, None, _) => "[0, 10^15]".to_string(),
    };
    let low_ok = match spec.above {
        Some(a) => n > a,
        None => n >= Decimal::ZERO,
    };
    let high_ok = spec.max.is_none_or(|m| n <= m) && n <= MAX_QUANTITY;
    let whole_ok = spec.kind != InputKind::Count || n.fract().is_zero();
    if low_ok && high_ok && whole_ok {
        Ok(n)
    } else {
        Err(ReductionError::InputOutOfRange {
            input: spec.name,
            value: n.normalize().to_string(),
            range,
        })
    }
}

/// The checked inputs of a measure.
struct Inputs {
    numbers: BTreeMap<&'static str, Decimal>,
    texts: BTreeMap<&'static str, String>,
}

impl Inputs {
    fn num(&self, name: &str) -> Decimal {
        self.numbers.get(name).copied().unwrap_or_default()
    }

    fn has(&self, name: &str) -> bool {
        self.numbers.contains_key(name) || self.texts.contains_key(name)
    }
}

/// Check every input against the kind's catalogue entry; `None` when none was given.
fn check_inputs(
    kind: MeasureKind,
    values: &BTreeMap<String, InputValue>,
) -> Result<Option<(Inputs, usize)>, ReductionError> {
    let spec = kind.spec();
    let mut inputs = Inputs {
        numbers: BTreeMap::new(),
        texts: BTreeMap::new(),
    };
    for (name, value) in values {
        let Some(input) = spec.inputs.iter().find(|i| i.name == name.as_str()) else {
            return Err(ReductionError::UnknownInput {
                kind: spec.code,
                input: name.clone(),
                suggestions: closest(name, spec.inputs.iter().map(|i| i.name)),
                known: spec.inputs.iter().map(|i| i.name).collect(),
            });
        };
        match (input.kind, value) {
            (InputKind::Text, InputValue::Text(t)) if !t.trim().is_empty() => {
                inputs.texts.insert(input.name, t.trim().to_string());
            }
            (InputKind::Text, other) => {
                return Err(ReductionError::InputType {
                    input: input.name,
                    expected: "a refrigerant or gas name",
                    value: match other {
                        InputValue::Number(n) => n.to_string(),
                        InputValue::Text(t) => t.clone(),
                    },
                })
            }
            (_, InputValue::Text(t)) => {
                return Err(ReductionError::InputType {
                    input: input.name,
                    expected: "a number",
                    value: t.clone(),
                })
            }
            (_, InputValue::Number(n)) => {
                inputs.numbers.insert(input.name, number(input, *n)?);
            }
        }
    }
    if values.is_empty() {
        return Ok(None);
    }
    // the first way all of whose inputs are given; else the way closest to complete says what
    // is missing
    if let Some(i) = spec
        .ways
        .iter()
        .position(|w| w.iter().all(|n| inputs.has(n)))
    {
        return Ok(Some((inputs, i)));
    }
    let best = spec
        .ways
        .iter()
        .max_by_key(|w| {
            let given = w.iter().filter(|n| inputs.has(n)).count();
            // among equally complete ways, the first
            (given, std::cmp::Reverse(w.len()))
        })
        .copied()
        .unwrap_or(&[]);
    let missing = best.iter().find(|n| !inputs.has(n)).copied();
    match missing.and_then(|m| spec.inputs.iter().find(|i| i.name == m)) {
        Some(i) => Err(ReductionError::MissingInput {
            kind: spec.code,
            input: i.name,
            label: i.label_en,
        }),
        // a kind without ways (`other`) takes no inputs: the loop above refused any
        None => Ok(None),
    }
}

/// A formula's raw result, before it is bound to sources.
enum Raw {
    Change(Role, Quantity),
    Switch(Role, Substance, Option<Decimal>),
}

struct Worked {
    raw: Vec<Raw>,
    en: String,
    zh: String,
    generation_kwh: Option<Decimal>,
    notes: Vec<Citation>,
}

fn pct(d: Decimal) -> Decimal {
    d / Decimal::ONE_HUNDRED
}

fn checked(field: &str, v: Option<Decimal>) -> Result<Decimal, ReductionError> {
    match v {
        Some(v) if v.abs() <= MAX_QUANTITY => Ok(v),
        _ => Err(ReductionError::Overflow {
            field: field.to_string(),
        }),
    }
}

/// The kind's arithmetic on its inputs.
fn work(kind: MeasureKind, i: &Inputs, way: usize) -> Result<Worked, ReductionError> {
    let f = figure;
    let mut notes = Vec::new();
    let one = |role: Role, q: Decimal, unit: Unit| Raw::Change(role, Quantity::new(q, unit));
    let worked = |raw, en: String, zh: String, notes| Worked {
        raw,
        en,
        zh,
        generation_kwh: None,
        notes,
    };
    Ok(match kind {
        MeasureKind::PvRooftop => {
            let (kwp, y, sc) = (i.num("kwp"), i.num("yield"), i.num("self-consumption"));
            let generation = checked("kwp", kwp.checked_mul(y))?;
            let own = generation * pct(sc);
            notes.push(PV_SELF_CONSUMPTION_RULE);
            notes.push(PV_EMC_RULE);
            Worked {
                raw: vec![one(Role::Electricity, -own, Unit::KWh)],
                en: format!(
                    "{} kWp × {} kWh/kWp × {} % = {} kWh self-consumed, no longer bought from the grid (generation {} kWh)",
                    f(kwp), f(y), f(sc), f(own), f(generation)
                ),
                zh: format!(
                    "{} kWp × {} kWh/kWp × {} % = {} kWh 自发自用，不再从电网购买（年发电量 {} kWh）",
                    f(kwp), f(y), f(sc), f(own), f(generation)
                ),
                generation_kwh: Some(generation),
                notes,
            }
        }
        MeasureKind::Led => {
            let (n, old, new, h) = (
                i.num("fixtures"),
                i.num("watts-old"),
                i.num("watts-new"),
                i.num("hours"),
            );
            let kwh = checked(
                "fixtures",
                n.checked_mul(old - new).and_then(|v| v.checked_mul(h)),
            )? / Decimal::ONE_THOUSAND;
            worked(
                vec![one(Role::Electricity, -kwh, Unit::KWh)],
                format!(
                    "{} fixtures × ({} W − {} W) × {} h ÷ 1000 = {} kWh saved",
                    f(n),
                    f(old),
                    f(new),
                    f(h),
                    f(kwh)
                ),
                format!(
                    "{} 套灯具 × ({} W − {} W) × {} h ÷ 1000 = 节电 {} kWh",
                    f(n),
                    f(old),
                    f(new),
                    f(h),
                    f(kwh)
                ),
                notes,
            )
        }
        MeasureKind::VsdCompressor if way == 0 => {
            let (before, s) = (i.num("kwh-before"), i.num("saving"));
            let kwh = before * pct(s);
            worked(
                vec![one(Role::Electricity, -kwh, Unit::KWh)],
                format!("{} kWh × {} % = {} kWh saved", f(before), f(s), f(kwh)),
                format!("{} kWh × {} % = 节电 {} kWh", f(before), f(s), f(kwh)),
                notes,
            )
        }
        MeasureKind::VsdCompressor => {
            let (a, b, air) = (
                i.num("specific-power-before"),
                i.num("specific-power-after"),
                i.num("air"),
            );
            let kwh = checked("air", (a - b).checked_mul(air))? / Decimal::from(60);
            worked(
                vec![one(Role::Electricity, -kwh, Unit::KWh)],
                format!(
                    "({} − {}) kW/(m³/min) × {} m³ ÷ 60 = {} kWh saved",
                    f(a),
                    f(b),
                    f(air),
                    f(kwh)
                ),
                format!(
                    "({} − {}) kW/(m³/min) × {} m³ ÷ 60 = 节电 {} kWh",
                    f(a),
                    f(b),
                    f(air),
                    f(kwh)
                ),
                notes,
            )
        }
        MeasureKind::Motor => {
            let (p, load, h, eo, en) = (
                i.num("power"),
                i.num("load"),
                i.num("hours"),
                i.num("efficiency-old"),
                i.num("efficiency-new"),
            );
            let inverse = Decimal::ONE_HUNDRED / eo - Decimal::ONE_HUNDRED / en;
            let kwh = checked(
                "power",
                p.checked_mul(pct(load))
                    .and_then(|v| v.checked_mul(h))
                    .and_then(|v| v.checked_mul(inverse)),
            )?;
            notes.push(MOTOR_RULE);
            worked(
                vec![one(Role::Electricity, -kwh, Unit::KWh)],
                format!(
                    "{} kW × {} % × {} h × (1/{} % − 1/{} %) = {} kWh saved",
                    f(p),
                    f(load),
                    f(h),
                    f(eo),
                    f(en),
                    f(kwh)
                ),
                format!(
                    "{} kW × {} % × {} h × (1/{} % − 1/{} %) = 节电 {} kWh",
                    f(p),
                    f(load),
                    f(h),
                    f(eo),
                    f(en),
                    f(kwh)
                ),
                notes,
            )
        }
        MeasureKind::HeatRecovery | MeasureKind::Insulation => {
            let (heat, eff) = (i.num("heat"), i.num("boiler-efficiency"));
            let fuel = heat / pct(eff);
            let (what_en, what_zh) = if kind == MeasureKind::Insulation {
                ("heat loss saved", "减少散热")
            } else {
                ("heat recovered", "回收热量")
            };
            worked(
                vec![one(Role::Fuel, -fuel, Unit::GJ)],
                format!(
                    "{} GJ {what_en} ÷ {} % boiler efficiency = {} GJ of fuel avoided",
                    f(heat),
                    f(eff),
                    f(fuel)
                ),
                format!(
                    "{what_zh} {} GJ ÷ 锅炉效率 {} % = 减少燃料 {} GJ",
                    f(heat),
                    f(eff),
                    f(fuel)
                ),
                notes,
            )
        }
        MeasureKind::HeatPump => {
            let (heat, eff, cop) = (i.num("heat"), i.num("boiler-efficiency"), i.num("cop"));
            let fuel = heat / pct(eff);
            let power_gj = heat / cop;
            let kwh =
                Unit::GJ
                    .convert(power_gj, Unit::KWh)
                    .map_err(|_| ReductionError::Overflow {
                        field: "heat".into(),
                    })?;
            worked(
                vec![
                    one(Role::Fuel, -fuel, Unit::GJ),
                    one(Role::Electricity, power_gj, Unit::GJ),
                ],
                format!(
                    "{} GJ ÷ {} % boiler efficiency = {} GJ of fuel avoided; {} GJ ÷ COP {} = {} kWh of electricity added",
                    f(heat), f(eff), f(fuel), f(heat), f(cop), f(kwh)
                ),
                format!(
                    "{} GJ ÷ 锅炉效率 {} % = 减少燃料 {} GJ；{} GJ ÷ COP {} = 增加用电 {} kWh",
                    f(heat), f(eff), f(fuel), f(heat), f(cop), f(kwh)
                ),
                notes,
            )
        }
        MeasureKind::FuelSwitch => {
            let (heat, eo, en) = (
                i.num("heat"),
                i.num("efficiency-old"),
                i.num("efficiency-new"),
            );
            let old = heat / pct(eo);
            let new = heat / pct(en);
            worked(
                vec![
                    one(Role::Fuel, -old, Unit::GJ),
                    one(Role::NewEnergy, new, Unit::GJ),
                ],
                format!(
                    "{} GJ of heat ÷ {} % = {} GJ of the old fuel avoided; {} GJ ÷ {} % = {} GJ of the new energy added",
                    f(heat), f(eo), f(old), f(heat), f(en), f(new)
                ),
                format!(
                    "有效热量 {} GJ ÷ {} % = 减少原燃料 {} GJ；{} GJ ÷ {} % = 增加新能源 {} GJ",
                    f(heat), f(eo), f(old), f(heat), f(en), f(new)
                ),
                notes,
            )
        }
        MeasureKind::ElectricForklift => {
            let litres = i.num("diesel");
            let (kwh, en, zh) = if i.numbers.contains_key("kwh") {
                let kwh = i.num("kwh");
                (
                    kwh,
                    format!(
                        "{} L of diesel avoided; {} kWh of charging added (given)",
                        f(litres),
                        f(kwh)
                    ),
                    format!(
                        "减少柴油 {} L；增加充电用电 {} kWh（给定）",
                        f(litres),
                        f(kwh)
                    ),
                )
            } else {
                // L × 10 kWh/L × 25 % ÷ 90 %
                let kwh = litres * Decimal::TEN * dec(25, 2) / dec(90, 2);
                notes.push(FORKLIFT_RULE);
                (
                    kwh,
                    format!(
                        "{} L of diesel avoided; {} L × 10 kWh/L × 25 % ÷ 90 % = {} kWh of charging added (rough conversion, unconfirmed: give the chargers' kWh)",
                        f(litres), f(litres), f(kwh)
                    ),
                    format!(
                        "减少柴油 {} L；{} L × 10 kWh/L × 25 % ÷ 90 % = 增加充电用电 {} kWh（粗略换算，未经证实：请填写充电桩计量电量）",
                        f(litres), f(litres), f(kwh)
                    ),
                )
            };
            worked(
                vec![
                    one(Role::Fuel, -litres, Unit::L),
                    one(Role::Electricity, kwh, Unit::KWh),
                ],
                en,
                zh,
                notes,
            )
        }
        MeasureKind::RefrigerantSwitch => {
            let name = i.texts.get("refrigerant").cloned().unwrap_or_default();
            let substance = Substance::parse(&name).ok_or(ReductionError::UnknownRefrigerant {
                input: name.clone(),
            })?;
            let top_up = i.numbers.get("top-up").copied();
            worked(
                vec![Raw::Switch(Role::Refrigerant, substance, top_up)],
                format!(
                    "the yearly top-up stays; the refrigerant becomes {}",
                    substance.id()
                ),
                format!("年补充量不变；制冷剂改为 {}", substance.id()),
                notes,
            )
        }
        MeasureKind::Other => worked(Vec::new(), String::new(), String::new(), notes),
    })
}

fn find_source<'a>(
    sources: &'a [SourceInfo],
    field: &str,
    name: &str,
) -> Result<&'a SourceInfo, ReductionError> {
    let wanted = name.trim();
    sources
        .iter()
        .find(|s| s.name == wanted)
        .or_else(|| {
            // a unique case-insensitive match is the same source typed loosely
            let mut it = sources
                .iter()
                .filter(|s| s.name.eq_ignore_ascii_case(wanted));
            match (it.next(), it.next()) {
                (Some(s), None) => Some(s),
                _ => None,
            }
        })
        .ok_or_else(|| ReductionError::UnknownSource {
            field: field.to_string(),
            input: name.to_string(),
            suggestions: closest(wanted, sources.iter().map(|s| s.name.as_str())),
        })
}

/// The source that plays `role`: the one named, else the only candidate in the project.
fn bind<'a>(
    kind: MeasureKind,
    role: Role,
    named: &BTreeMap<Role, String>,
    sources: &'a [SourceInfo],
) -> Result<&'a SourceInfo, ReductionError> {
    let field = role.field();
    if let Some(name) = named.get(&role) {
        let s = find_source(sources, field, name)?;
        if !role.accepts(kind, s.kind) {
            return Err(ReductionError::WrongSourceKind {
                field,
                source_name: s.name.clone(),
                kind: s.kind.code(),
                expected: role.expected(kind),
            });
        }
        return Ok(s);
    }
    let candidates: Vec<&SourceInfo> = sources
        .iter()
        .filter(|s| role.accepts(kind, s.kind))
        .collect();
    match candidates.as_slice() {
        [only] => Ok(only),
        _ => Err(ReductionError::MissingSource {
            field,
            candidates: candidates.iter().map(|s| s.name.clone()).collect(),
        }),
    }
}

pub(crate) fn refs(properties: &[(String, u32)]) -> Vec<FactorRef> {
    properties
        .iter()
        .map(|(id, version)| FactorRef {
            id: id.clone(),
            version: *version,
        })
        .collect()
}

fn signed(q: Decimal) -> String {
    if q > Decimal::ZERO {
        format!("+{}", figure(q))
    } else {
        figure(q)
    }
}

/// The annual changes a measure makes: its kind's formula on its inputs (when given), then its
/// direct changes. Refused with the field named for unknown or out-of-range inputs, unknown
/// sources, a unit of another dimension than the source's, or changes that would take a
/// source's activity below zero.
pub fn derive_changes(m: &Measure, sources: &[SourceInfo]) -> Result<Changes, ReductionError> {
    let mut out = Changes {
        changes: Vec::new(),
        switches: Vec::new(),
        formula: None,
        generation_kwh: None,
        notes: Vec::new(),
    };
    if let Some((inputs, way)) = check_inputs(m.kind, &m.inputs)? {
        let worked = work(m.kind, &inputs, way)?;
        let mut parts_en = Vec::new();
        let mut parts_zh = Vec::new();
        for raw in worked.raw {
            match raw {
                Raw::Change(role, q) => {
                    let s = bind(m.kind, role, &m.sources, sources)?;
                    let props: Vec<&FuelProperty> = s.properties.iter().collect();
                    let bridge = Bridge::find(q.unit, s.unit, &props).map_err(|e| match e {
                        UnitError::DimensionMismatch { .. } => ReductionError::NoConversion {
                            field: role.field(),
                            source_name: s.name.clone(),
                            unit: q.unit,
                            source_unit: s.unit,
                        },
                        _ => ReductionError::Overflow {
                            field: role.field().to_string(),
                        },
                    })?;
                    let quantity = checked(role.field(), q.value.checked_mul(bridge.ratio))?;
                    let via: Vec<String> = bridge
                        .properties
                        .iter()
                        .map(|(id, v)| format!("{id} v{v}"))
                        .collect();
                    let via_en = if via.is_empty() {
                        String::new()
                    } else {
                        format!(" (through {})", via.join(", "))
                    };
                    let via_zh = if via.is_empty() {
                        String::new()
                    } else {
                        format!("（经 {} 换算）", via.join("、"))
                    };
                    parts_en.push(format!(
                        "'{}' {} {}{via_en}",
                        s.name,
                        signed(quantity),
                        s.unit
                    ));
                    parts_zh.push(format!(
                        "“{}” {} {}{via_zh}",
                        s.name,
                        signed(quantity),
                        s.unit
                    ));
                    out.changes.push(Change {
                        source: s.name.clone(),
                        quantity,
                        unit: s.unit,
                        origin: ChangeOrigin::Formula,
                        properties: refs(&bridge.properties),
                    });
                }
                Raw::Switch(role, substance, top_up) => {
                    let s = bind(m.kind, role, &m.sources, sources)?;
                    let (activity, unit) = match top_up {
                        Some(kg) => (kg, Unit::Kg),
                        None => (s.annual_activity, s.unit),
                    };
                    let factor = refrigerant_factor(substance);
                    parts_en.push(format!(
                        "'{}' {} {} a year from {} to {}",
                        s.name,
                        figure(activity),
                        unit,
                        s.fuel.as_deref().unwrap_or("its current factor"),
                        substance.id()
                    ));
                    parts_zh.push(format!(
                        "“{}” 每年 {} {} 由 {} 改为 {}",
                        s.name,
                        figure(activity),
                        unit,
                        s.fuel.as_deref().unwrap_or("现有因子"),
                        substance.id()
                    ));
                    out.switches.push(FactorSwitch {
                        source: s.name.clone(),
                        activity,
                        unit,
                        from: s.fuel.clone(),
                        to: FactorRef {
                            id: factor.id.clone(),
                            version: factor.version,
                        },
                        to_factor: factor,
                    });
                }
            }
        }
        if !worked.en.is_empty() {
            out.formula = Some(Formula {
                en: format!("{} → {}", worked.en, parts_en.join(", ")),
                zh: format!("{} → {}", worked.zh, parts_zh.join("，")),
            });
        }
        out.generation_kwh = worked.generation_kwh;
        out.notes = worked.notes;
    }
    for c in &m.changes {
        let s = find_source(sources, "change", &c.source)?;
        if c.unit.dimension() != s.unit.dimension() {
            return Err(ReductionError::ChangeUnitMismatch {
                source_name: s.name.clone(),
                unit: c.unit,
                source_unit: s.unit,
            });
        }
        let quantity = c
            .unit
            .convert(c.quantity, s.unit)
            .ok()
            .filter(|q| q.abs() <= MAX_QUANTITY)
            .ok_or_else(|| ReductionError::AmountImplausible {
                field: "change".into(),
                value: c.quantity,
            })?;
        out.changes.push(Change {
            source: s.name.clone(),
            quantity,
            unit: s.unit,
            origin: ChangeOrigin::Direct,
            properties: Vec::new(),
        });
    }
    // no source's activity below zero
    let mut totals: BTreeMap<&str, Decimal> = BTreeMap::new();
    for c in &out.changes {
        *totals.entry(c.source.as_str()).or_default() += c.quantity;
    }
    for (name, change) in totals {
        if let Some(s) = sources.iter().find(|s| s.name == name) {
            if s.annual_activity + change < Decimal::ZERO {
                return Err(ReductionError::ChangeExceedsActivity {
                    source_name: s.name.clone(),
                    change,
                    activity: s.annual_activity,
                    unit: s.unit,
                });
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calc::FactorRef;
    use crate::gas::GwpSet;
    use crate::reduction::abatement::abatement;
    use crate::reduction::fixtures::*;
    use crate::reduction::target::Scopes;
    use crate::reduction::Basis;

    #[test]
    fn roles_read_back_what_they_write() {
        for role in Role::ALL {
            assert_eq!(
                Role::parse(role.code()),
                Some(role),
                "{role:?} is stored by its code"
            );
            assert_eq!(
                serde_json::to_value(role).unwrap(),
                serde_json::Value::String(role.code().into()),
                "the JSON name and the stored code are one"
            );
        }
        assert_eq!(Role::parse("grid"), None);
    }

    #[test]
    fn the_catalogue_is_consistent() {
        assert_eq!(MeasureKind::ALL.len(), CATALOGUE.len());
        for kind in MeasureKind::ALL {
            let spec = kind.spec();
            assert_eq!(
                MeasureKind::parse(spec.code),
                Ok(kind),
                "{} parses back",
                spec.code
            );
            assert!(spec.default_lifetime_years >= 1, "{}", spec.code);
            assert!(
                !spec.lifetime_rule.confirmed,
                "default lifetimes are rules of thumb: flagged"
            );
            for way in spec.ways {
                for name in *way {
                    assert!(
                        spec.inputs.iter().any(|i| i.name == *name),
                        "{}: way names unknown input {name}",
                        spec.code
                    );
                }
            }
            for input in spec.inputs.iter().filter(|i| i.required) {
                assert!(
                    spec.ways.iter().all(|w| w.contains(&input.name)),
                    "{}: required {} is in every way",
                    spec.code,
                    input.name
                );
            }
            assert_eq!(
                spec.ways.is_empty(),
                spec.inputs.is_empty(),
                "{}: inputs come with a way to use them",
                spec.code
            );
        }
        assert_eq!(
            MAX_QUANTITY,
            Decimal::from(1_000_000_000_000_000i64),
            "the bound is 10^15"
        );
        let e = MeasureKind::parse("pv-roof").unwrap_err();
        assert_eq!(
            (e.code(), e.field().as_str()),
            ("UNKNOWN_MEASURE_KIND", "kind")
        );
        assert!(e.to_string().contains("did you mean pv-rooftop"), "{e}");
        assert_eq!(MeasureKind::parse("PV_Rooftop"), Ok(MeasureKind::PvRooftop));
    }

    #[test]
    fn statuses_planned_or_later_count() {
        assert!(!MeasureStatus::Idea.is_planned());
        for s in ["planned", "approved", "in-progress", "Done", "in progress"] {
            assert!(MeasureStatus::parse(s).unwrap().is_planned(), "{s}");
        }
        assert_eq!(
            MeasureStatus::parse("maybe").map_err(|e| e.code()),
            Err("UNKNOWN_MEASURE_STATUS")
        );
    }

    #[test]
    fn pv_self_consumption_comes_off_the_grid_and_says_how() {
        let m = measure(
            MeasureKind::PvRooftop,
            &[
                ("kwp", "120"),
                ("yield", "1050"),
                ("self-consumption", "85"),
            ],
        );
        let c = derive_changes(&m, &sources()).unwrap();
        assert_eq!(c.changes.len(), 1);
        assert_eq!(
            (
                c.changes[0].source.as_str(),
                c.changes[0].quantity,
                c.changes[0].unit
            ),
            ("Grid power", d("-107100"), Unit::KWh)
        );
        assert_eq!(
            c.generation_kwh,
            Some(d("126000")),
            "the generation is shown, only the self-consumed part is a change"
        );
        let f = c.formula.clone().unwrap();
        assert!(
            f.en.starts_with("120 kWp × 1,050 kWh/kWp × 85 % = 107,100 kWh"),
            "{}",
            f.en
        );
        assert!(
            f.zh.starts_with("120 kWp × 1,050 kWh/kWp × 85 % = 107,100 kWh"),
            "{}",
            f.zh
        );
        assert!(f.en.ends_with("'Grid power' -107,100 kWh"), "{}", f.en);
        assert!(
            c.notes.contains(&PV_EMC_RULE) && !PV_EMC_RULE.confirmed,
            "the EMC caveat is shown, flagged"
        );
        let a = abatement(&c, &source_rates(), GwpSet::AR6).unwrap();
        // 107,100 kWh × 0.5306 kg/kWh; market × 0.6 kg/kWh
        assert_eq!(a.location_tco2e, d("56.82726"));
        assert_eq!(a.market_tco2e, d("64.26"));
        assert_eq!(
            a.gases.get("CO2"),
            Some(&d("56.82726")),
            "per gas, location basis"
        );
        assert_eq!(a.lines[0].factor.id, "CN-GRID");
        assert_eq!(a.lines[0].market_factor.id, "CN-RESIDUAL");
        assert_eq!(
            a.lines[0].factor.version, 2,
            "lineage names the factor version"
        );
    }

    #[test]
    fn led_vsd_and_motor_formulas() {
        let led = measure(
            MeasureKind::Led,
            &[
                ("fixtures", "200"),
                ("watts-old", "36"),
                ("watts-new", "18"),
                ("hours", "3000"),
            ],
        );
        assert_eq!(
            only_change(&led, "Grid power"),
            d("-10800"),
            "200 × 18 W × 3000 h ÷ 1000"
        );
        let vsd_a = measure(
            MeasureKind::VsdCompressor,
            &[("kwh-before", "400000"), ("saving", "25")],
        );
        assert_eq!(only_change(&vsd_a, "Grid power"), d("-100000"));
        let vsd_b = measure(
            MeasureKind::VsdCompressor,
            &[
                ("specific-power-before", "7.2"),
                ("specific-power-after", "6.0"),
                ("air", "3000000"),
            ],
        );
        // 1.2 kW/(m³/min) × 3,000,000 m³ ÷ 60 min/h
        assert_eq!(only_change(&vsd_b, "Grid power"), d("-60000"));
        let half = measure(
            MeasureKind::VsdCompressor,
            &[("specific-power-before", "7.2"), ("air", "3000000")],
        );
        let e = derive_changes(&half, &sources()).unwrap_err();
        assert_eq!(
            (e.code(), e.field().as_str()),
            ("MISSING_INPUT", "specific-power-after"),
            "the way closest to complete says what is missing"
        );
        let motor = measure(
            MeasureKind::Motor,
            &[
                ("power", "55"),
                ("load", "75"),
                ("hours", "6000"),
                ("efficiency-old", "91"),
                ("efficiency-new", "95"),
            ],
        );
        // 55 × 0.75 × 6000 × (100/91 − 100/95) = 11,451.706188548293811451706188548… (40 digits)
        assert_eq!(
            only_change(&motor, "Grid power").round_dp(20),
            d("-11451.70618854829381145171")
        );
    }

    #[test]
    fn heat_measures_reach_the_fuel_through_its_ncv() {
        let hr = measure(
            MeasureKind::HeatRecovery,
            &[("heat", "1200"), ("boiler-efficiency", "90")],
        );
        let c = derive_changes(&hr, &sources()).unwrap();
        // 1,200 GJ ÷ 0.9 = 1,333.33 GJ; ÷ 389.31 GJ per 10^4 m³ = 34,248.6279143441815862252018528… m³
        assert_eq!(
            c.changes[0].quantity.round_dp(20),
            d("-34248.62791434418158622520")
        );
        assert_eq!(c.changes[0].unit, Unit::M3);
        assert_eq!(
            c.changes[0].properties,
            vec![FactorRef {
                id: "NCV-NG".into(),
                version: 1
            }],
            "the NCV used is named"
        );
        assert!(
            c.formula.as_ref().unwrap().en.contains("through NCV-NG v1"),
            "{:?}",
            c.formula
        );

        let hp = measure(
            MeasureKind::HeatPump,
            &[("heat", "1000"), ("boiler-efficiency", "90"), ("cop", "3")],
        );
        let c = derive_changes(&hp, &sources()).unwrap();
        let gas = c.changes.iter().find(|c| c.source == "Boiler gas").unwrap();
        let power = c.changes.iter().find(|c| c.source == "Grid power").unwrap();
        assert_eq!(gas.quantity.round_dp(18), d("-28540.523261953484655188"));
        assert_eq!(
            power.quantity.round_dp(18),
            d("92592.592592592592592593"),
            "1000 GJ ÷ 3 in kWh"
        );
        let a = abatement(&c, &source_rates(), GwpSet::AR6).unwrap();
        // gas 1,111.1 GJ × 56.1571 kg/GJ = 62.3968 t avoided; power 92,592.6 kWh × 0.5306 = 49.1296 t added
        let gas_t = a
            .lines
            .iter()
            .find(|l| l.source == "Boiler gas")
            .unwrap()
            .location_tco2e;
        let power_t = a
            .lines
            .iter()
            .find(|l| l.source == "Grid power")
            .unwrap()
            .location_tco2e;
        assert_eq!(gas_t.round_dp(12), d("62.396777777778"));
        assert_eq!(power_t.round_dp(12), d("-49.129629629630"));
        assert_eq!(
            a.location_tco2e,
            gas_t + power_t,
            "the total is the sum of its lines"
        );
        assert!(
            a.gases.contains_key("CH4-fossil") && a.gases.contains_key("N2O"),
            "per gas: {:?}",
            a.gases
        );
        assert_eq!(
            a.in_scopes(Scopes::Three, Basis::Location),
            Decimal::ZERO,
            "nothing in scope 3"
        );
        assert_eq!(
            a.in_scopes(Scopes::OneTwo, Basis::Location),
            a.location_tco2e
        );
    }

    #[test]
    fn forklifts_use_the_given_kwh_or_a_flagged_rough_conversion() {
        let rough = measure(MeasureKind::ElectricForklift, &[("diesel", "10000")]);
        let c = derive_changes(&rough, &sources()).unwrap();
        assert_eq!(
            c.changes
                .iter()
                .find(|c| c.source == "Forklift diesel")
                .map(|c| c.quantity),
            Some(d("-10000"))
        );
        let kwh = c
            .changes
            .iter()
            .find(|c| c.source == "Grid power")
            .unwrap()
            .quantity;
        assert_eq!(
            kwh.round_dp(20),
            d("27777.77777777777777777778"),
            "10,000 L × 10 × 25 % ÷ 90 %"
        );
        assert!(c.notes.contains(&FORKLIFT_RULE) && !FORKLIFT_RULE.confirmed);
        let given = measure(
            MeasureKind::ElectricForklift,
            &[("diesel", "10000"), ("kwh", "31000")],
        );
        let c = derive_changes(&given, &sources()).unwrap();
        assert_eq!(
            c.changes
                .iter()
                .find(|c| c.source == "Grid power")
                .map(|c| c.quantity),
            Some(d("31000"))
        );
        assert!(c.notes.is_empty(), "no rough rule when the kWh are given");
    }

    #[test]
    fn a_refrigerant_switch_changes_the_gas_not_the_top_up() {
        let m = measure(MeasureKind::RefrigerantSwitch, &[("refrigerant", "R-32")]);
        let c = derive_changes(&m, &sources()).unwrap();
        assert!(c.changes.is_empty());
        assert_eq!(
            (c.switches[0].activity, c.switches[0].from.as_deref()),
            (d("20"), Some("R-410A")),
            "the source's annual top-up"
        );
        let a = abatement(&c, &source_rates(), GwpSet::AR6).unwrap();
        // 20 kg × (2,255.5 − 771) ÷ 1000
        assert_eq!(a.location_tco2e, d("29.69"));
        assert_eq!(
            a.lines[0].new_factor.as_ref().map(|f| f.id.as_str()),
            Some("REFRIGERANT-HFC-32")
        );
        assert_eq!(
            a.gases.get("HFC-125"),
            Some(&d("0.010")),
            "R-410A's HFC-125 is gone: 10 kg"
        );
        assert_eq!(
            a.gases.get("HFC-32"),
            Some(&d("-0.010")),
            "10 kg of HFC-32 in R-410A out, 20 kg in R-32 in"
        );
        let bad = measure(MeasureKind::RefrigerantSwitch, &[("refrigerant", "R-999")]);
        assert_eq!(
            derive_changes(&bad, &sources()).map_err(|e| e.code()),
            Err("UNKNOWN_REFRIGERANT")
        );
    }

    #[test]
    fn direct_changes_keep_to_the_source_dimension() {
        let mut m = measure(MeasureKind::Other, &[]);
        m.changes.push(DirectChange {
            source: "Boiler gas".into(),
            quantity: d("-2"),
            unit: Unit::TenThousandM3,
        });
        m.changes.push(DirectChange {
            source: "Grid power".into(),
            quantity: d("65"),
            unit: Unit::MWh,
        });
        let c = derive_changes(&m, &sources()).unwrap();
        assert_eq!(
            c.changes[0].quantity,
            d("-20000"),
            "converted to the source's m³"
        );
        assert_eq!(c.changes[1].quantity, d("65000"));
        assert!(c.formula.is_none());

        let mut wrong = measure(MeasureKind::Other, &[]);
        wrong.changes.push(DirectChange {
            source: "Grid power".into(),
            quantity: d("-5"),
            unit: Unit::M3,
        });
        let e = derive_changes(&wrong, &sources()).unwrap_err();
        assert_eq!(
            (e.code(), e.field().as_str()),
            ("CHANGE_UNIT_MISMATCH", "change")
        );
        assert!(
            e.to_string().contains("m³") && e.to_string().contains("kWh"),
            "names both units: {e}"
        );

        let mut unknown = measure(MeasureKind::Other, &[]);
        unknown.changes.push(DirectChange {
            source: "Grid pwer".into(),
            quantity: d("-5"),
            unit: Unit::KWh,
        });
        let e = derive_changes(&unknown, &sources()).unwrap_err();
        assert_eq!(e.code(), "UNKNOWN_SOURCE");
        assert!(e.to_string().contains("did you mean 'Grid power'"), "{e}");
    }

    #[test]
    fn no_source_below_zero() {
        let mut m = measure(
            MeasureKind::Led,
            &[
                ("fixtures", "2000"),
                ("watts-old", "400"),
                ("watts-new", "0"),
                ("hours", "8000"),
            ],
        );
        // 6,400,000 kWh saved of 1,000,000 used
        let e = derive_changes(&m, &sources()).unwrap_err();
        assert_eq!(
            (e.code(), e.field().as_str()),
            ("CHANGE_EXCEEDS_ACTIVITY", "change")
        );
        // formula and direct changes add up: −990,000 + −20,000 passes 1,000,000
        m.inputs = measure(
            MeasureKind::Led,
            &[
                ("fixtures", "1000"),
                ("watts-old", "330"),
                ("watts-new", "0"),
                ("hours", "3000"),
            ],
        )
        .inputs;
        assert!(
            derive_changes(&m, &sources()).is_ok(),
            "990,000 of 1,000,000 kWh is allowed"
        );
        m.changes.push(DirectChange {
            source: "Grid power".into(),
            quantity: d("-20000"),
            unit: Unit::KWh,
        });
        assert_eq!(
            derive_changes(&m, &sources()).map_err(|e| e.code()),
            Err("CHANGE_EXCEEDS_ACTIVITY")
        );
    }

    #[test]
    fn roles_bind_to_the_only_candidate_or_must_be_named() {
        let mut two = sources();
        two.push(source(
            "Office power",
            SourceKind::Electricity,
            Unit::KWh,
            "5000",
        ));
        let mut m = measure(
            MeasureKind::Led,
            &[
                ("fixtures", "10"),
                ("watts-old", "36"),
                ("watts-new", "18"),
                ("hours", "1000"),
            ],
        );
        let e = derive_changes(&m, &two).unwrap_err();
        assert_eq!(
            (e.code(), e.field().as_str()),
            ("MISSING_SOURCE", "electricity-source")
        );
        assert!(
            e.to_string().contains("'Grid power'") && e.to_string().contains("'Office power'"),
            "{e}"
        );
        m.sources.insert(Role::Electricity, "Office power".into());
        assert_eq!(
            derive_changes(&m, &two).unwrap().changes[0].source,
            "Office power"
        );
        m.sources.insert(Role::Electricity, "Boiler gas".into());
        assert_eq!(
            derive_changes(&m, &two).map_err(|e| e.code()),
            Err("WRONG_SOURCE_KIND")
        );
    }

    #[test]
    fn energy_without_an_ncv_is_refused() {
        let mut s = sources();
        s[1].properties.clear();
        let hr = measure(
            MeasureKind::HeatRecovery,
            &[("heat", "1200"), ("boiler-efficiency", "90")],
        );
        let e = derive_changes(&hr, &s).unwrap_err();
        assert_eq!(
            (e.code(), e.field().as_str()),
            ("NO_CONVERSION", "fuel-source")
        );
    }

    /// A kind, its inputs, the refusal's code and field.
    type Case<'a> = (MeasureKind, &'a [(&'a str, &'a str)], &'a str, &'a str);

    #[test]
    fn inputs_are_checked_against_the_catalogue() {
        let cases: &[Case] = &[
            (
                MeasureKind::PvRooftop,
                &[("kwp", "120"), ("yeild", "1050")],
                "UNKNOWN_INPUT",
                "yeild",
            ),
            (
                MeasureKind::PvRooftop,
                &[("kwp", "120"), ("yield", "1050")],
                "MISSING_INPUT",
                "self-consumption",
            ),
            (
                MeasureKind::PvRooftop,
                &[
                    ("kwp", "120"),
                    ("yield", "1050"),
                    ("self-consumption", "120"),
                ],
                "INPUT_OUT_OF_RANGE",
                "self-consumption",
            ),
            (
                MeasureKind::PvRooftop,
                &[("kwp", "0"), ("yield", "1050"), ("self-consumption", "80")],
                "INPUT_OUT_OF_RANGE",
                "kwp",
            ),
            (
                MeasureKind::Led,
                &[
                    ("fixtures", "10.5"),
                    ("watts-old", "36"),
                    ("watts-new", "18"),
                    ("hours", "100"),
                ],
                "INPUT_OUT_OF_RANGE",
                "fixtures",
            ),
            (
                MeasureKind::Led,
                &[
                    ("fixtures", "ten"),
                    ("watts-old", "36"),
                    ("watts-new", "18"),
                    ("hours", "100"),
                ],
                "INPUT_TYPE",
                "fixtures",
            ),
            (
                MeasureKind::Led,
                &[
                    ("fixtures", "10"),
                    ("watts-old", "36"),
                    ("watts-new", "18"),
                    ("hours", "9000"),
                ],
                "INPUT_OUT_OF_RANGE",
                "hours",
            ),
            (
                MeasureKind::RefrigerantSwitch,
                &[("refrigerant", "32")],
                "INPUT_TYPE",
                "refrigerant",
            ),
            (MeasureKind::Other, &[("kwp", "1")], "UNKNOWN_INPUT", "kwp"),
        ];
        for (kind, inputs, code, field) in cases {
            let e = derive_changes(&measure(*kind, inputs), &sources()).unwrap_err();
            assert_eq!(
                (e.code(), e.field().as_str()),
                (*code, *field),
                "{} {:?}",
                kind.code(),
                inputs
            );
        }
        let e = derive_changes(
            &measure(MeasureKind::PvRooftop, &[("yeild", "1")]),
            &sources(),
        )
        .unwrap_err();
        assert!(e.to_string().contains("did you mean yield"), "{e}");
    }
}
