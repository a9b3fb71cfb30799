//! Everything a report shows, gathered from the project once: the inventory with its per-record
//! lines, the factors and fuel properties it used, each gas of each factor with its GWP, the
//! records with their evidence and import lineage, the base year, and the integrity figures.
//! The workbench gathers it (`lingtan::Project::report_data`); renderers only format what is
//! here; nothing here comes from the clock or the machine.

use lingtan_core::factor::{EmissionFactor, FuelProperty, Origin};
use lingtan_core::gas::Basket;
use lingtan_core::record::{
    ActivityRow, Batch, Evidence, InventoryReport, ProjectInfo, Verification,
};
use lingtan_core::{Decimal, Site, Source};
use std::collections::{BTreeMap, HashMap};

/// One gas of one factor: kg per factor unit and its GWP.
#[derive(Debug, Clone)]
pub struct FactorGas {
    pub factor: String,
    pub version: u32,
    /// What the factor lists (a gas or a refrigerant blend).
    pub substance: String,
    pub gas: String,
    pub kg_per_unit: Decimal,
    /// 1 for amounts the publisher gives only as CO2e.
    pub gwp: Decimal,
    pub basket: Basket,
}

/// How a record's quantity becomes factor units for one source and unit.
#[derive(Debug, Clone)]
pub struct Conversion {
    /// Factor units per activity unit (location-based factor).
    pub ratio: Decimal,
    /// Factor units per activity unit (market-based factor).
    pub ratio_market: Decimal,
    /// Fuel properties used, "id vN".
    pub properties: Vec<String>,
}

/// A record in the lineage appendix.
#[derive(Debug, Clone)]
pub struct Record {
    pub row: ActivityRow,
    pub source: String,
    pub evidence: Option<Evidence>,
    pub batch: Option<String>,
}

#[derive(Debug, Clone)]
pub struct BaseYear {
    pub year: i32,
    /// The base year's inventory when it is another year with data.
    pub totals: Option<lingtan_core::calc::Totals>,
}

/// What the report is made from.
#[derive(Debug, Clone)]
pub struct Data {
    pub info: ProjectInfo,
    /// The calendar year, or for a claim period the year it ends (its factors, certificates,
    /// credits and reduction step are that year's); the period itself is
    /// [`Data::period`].
    pub year: i32,
    pub sites: Vec<Site>,
    pub sources: Vec<Source>,
    pub report: InventoryReport,
    /// The factors the inventory used, in the order first used.
    pub factors: Vec<EmissionFactor>,
    pub factor_gases: Vec<FactorGas>,
    pub properties: Vec<FuelProperty>,
    /// Per (source id, unit code).
    pub conversions: BTreeMap<(i64, String), Conversion>,
    /// Equity share applied per source (1 unless the equity-share approach is used).
    pub shares: HashMap<i64, Decimal>,
    pub records: Vec<Record>,
    pub batches: Vec<Batch>,
    pub base_year: Option<BaseYear>,
    pub verification: Verification,
    /// The year's output per unit of emissions, per metric recorded (empty without output).
    pub intensity: Vec<lingtan_core::record::Intensity>,
    /// The reduction section's data, when the project has a target, a measure or a base-year
    /// recalculation (`None`: the report is the inventory's alone, as before the step existed).
    pub reduction: Option<crate::reduction::ReductionData>,
    /// The offset summary of the year, only when certificates are claimed or credits retired
    /// for it (a project without them makes the same report as before the offset step).
    pub offset: Option<crate::offset::OffsetData>,
}

impl Data {
    /// The first and last day of the report's period when it is not the calendar year `year`
    /// (a claim period such as 2022-07-01 – 2023-06-30, whose `year` is the one it ends).
    pub fn period(&self) -> Option<(chrono::NaiveDate, chrono::NaiveDate)> {
        self.report.inventory.period.map(|p| (p.from, p.to))
    }

    /// The last day the report covers.
    pub fn last_day(&self) -> String {
        match self.period() {
            Some((_, to)) => to.to_string(),
            None => format!("{}-12-31", self.year),
        }
    }

    /// The report's title, `GHG inventory report 2025` or for a period
    /// `GHG inventory report 2022-07-01 – 2023-06-30` (en, zh); `what` is the title's words in
    /// both languages (`GHG inventory report`, `温室气体排放报告`) and, for a year, the Chinese
    /// title reads `2025 年度温室气体排放报告`.
    pub fn titled(&self, en: &str, zh: &str) -> (String, String) {
        match self.period() {
            None => (
                format!("{en} {}", self.year),
                format!("{} 年度{zh}", self.year),
            ),
            Some((from, to)) => (
                format!("{en} {from} – {to}"),
                format!("{from} 至 {to} {zh}"),
            ),
        }
    }

    pub fn source(&self, id: i64) -> Option<&Source> {
        self.sources.iter().find(|s| s.id == id)
    }

    pub fn factor(&self, id: &str, version: u32) -> Option<&EmissionFactor> {
        self.factors
            .iter()
            .find(|f| f.id == id && f.version == version)
    }

    /// kg CO2e per factor unit, Kyoto basket (what the totals count).
    pub fn kyoto_per_unit(&self, id: &str, version: u32) -> Decimal {
        self.factor_gases
            .iter()
            .filter(|g| g.factor == id && g.version == version && g.basket == Basket::Kyoto)
            .map(|g| g.kg_per_unit * g.gwp)
            .sum()
    }

    pub fn is_user_factor(f: &EmissionFactor) -> bool {
        f.origin == Origin::User
    }
}
