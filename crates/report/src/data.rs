//! Everything a report shows, gathered from the project once: the inventory with its per-record
//! lines, the factors and fuel properties it used, each gas of each factor with its GWP, the
//! records with their evidence and import lineage, the base year, and the integrity figures.
//! Renderers only format what is here; nothing here comes from the clock or the machine.

use crate::{Error, Result};
use lingtan::{ActivityRow, Batch, Evidence, InventoryReport, Project, ProjectInfo};
use lingtan_core::calc::{Catalog, Line};
use lingtan_core::factor::{Bridge, EmissionFactor, FuelProperty, Origin};
use lingtan_core::gas::Basket;
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
    pub verification: lingtan::Verification,
    /// The offset summary of the year, only when certificates are claimed or credits retired
    /// for it (a project without them makes the same report as before the offset step).
    pub offset: Option<lingtan::OffsetReport>,
}

impl Data {
    /// The offset summary's parts as the offset section takes them (core types only).
    pub fn offset_parts(
        &self,
    ) -> Option<(
        &lingtan::OffsetReport,
        Vec<crate::offset::Certificate<'_>>,
        Vec<crate::offset::RetiredCredit<'_>>,
    )> {
        let o = self.offset.as_ref()?;
        let certificates = o
            .certificates
            .iter()
            .map(|c| crate::offset::Certificate {
                record: c.record,
                eac: &c.eac,
                checks: &c.checks,
                excluded: c.excluded,
            })
            .collect();
        let credits = o
            .credits
            .iter()
            .map(|c| crate::offset::RetiredCredit {
                credit: &c.credit,
                checks: &c.checks,
                excluded: c.excluded,
            })
            .collect();
        Some((o, certificates, credits))
    }

    pub fn gather(project: &Project, year: Option<i32>) -> Result<Data> {
        let info = project.info()?;
        let year = year.unwrap_or(info.year);
        let sites = project.sites()?;
        let sources = project.sources()?;
        let report = project.inventory(Some(year), true)?;
        if sources.is_empty() {
            return Err(Error::new(
                "REPORT_EMPTY",
                "project",
                "the project has no emission sources yet: add sites and sources (`lingtan site add`, `lingtan source add`) and their activity data first".into(),
                "项目中还没有排放源：请先添加场所、排放源（`lingtan site add`、`lingtan source add`）及其活动数据".into(),
            ));
        }
        if report.records_read == 0 {
            return Err(Error::new(
                "REPORT_NO_DATA",
                "year",
                format!("no activity data in {year}: import bills or add records for that year, or choose another year with --year"),
                format!("{year} 年没有活动数据：请导入该年账单或添加记录，或用 --year 选择其他年份"),
            ));
        }
        // A report states totals; with a source left out (no factor, a unit that does not
        // convert, a record refused) they would be wrong. Refuse and say what to fix.
        let errors: Vec<&lingtan_core::Issue> = report
            .inventory
            .issues
            .iter()
            .filter(|i| i.severity == lingtan_core::Severity::Error)
            .collect();
        if !errors.is_empty() {
            let list = |zh: bool| {
                errors
                    .iter()
                    .take(10)
                    .map(|i| {
                        // one line per error, whatever the names in it hold
                        format!(
                            "\n  - {} [{}]: {}",
                            lingtan_core::text::printable(&i.place),
                            i.code,
                            lingtan_core::text::printable(if zh { &i.zh } else { &i.en })
                        )
                    })
                    .collect::<String>()
            };
            let more = errors.len().saturating_sub(10);
            let (more_en, more_zh) = if more > 0 {
                (
                    format!("\n  … and {more} more"),
                    format!("\n  …另有 {more} 项"),
                )
            } else {
                (String::new(), String::new())
            };
            return Err(Error::new(
                "REPORT_INCOMPLETE",
                "inventory",
                format!(
                    "the {year} inventory has {} error(s) that would leave emissions out of the report; fix them (see `lingtan inventory`), then make the report again:{}{more_en}",
                    errors.len(),
                    list(false)
                ),
                format!(
                    "{year} 年盘查有 {} 个错误，会使报告漏计排放；请先修正（见 `lingtan inventory`），再生成报告：{}{more_zh}",
                    errors.len(),
                    list(true)
                ),
            ));
        }
        let all_factors = project.factors(None)?;
        let all_properties = project.properties()?;
        let catalog = Catalog::new(all_factors.clone(), all_properties.clone());

        // the factors used, in order of first use
        let mut used: Vec<(String, u32)> = Vec::new();
        let mut used_props: Vec<(String, u32)> = Vec::new();
        for s in &report.inventory.sources {
            for f in s.factor.iter().chain(s.market_factor.iter()) {
                let key = (f.id.clone(), f.version);
                if !used.contains(&key) {
                    used.push(key);
                }
            }
            for p in &s.properties {
                let key = (p.id.clone(), p.version);
                if !used_props.contains(&key) {
                    used_props.push(key);
                }
            }
        }
        let find_factor = |id: &str, version: u32| {
            all_factors
                .iter()
                .find(|f| f.id == id && f.version == version)
                .cloned()
                .or_else(|| {
                    // refrigerants are built from the gas table, not stored
                    lingtan_core::gas::Substance::parse(id.strip_prefix("REFRIGERANT-")?)
                        .map(lingtan_core::calc::refrigerant_factor)
                        .filter(|f| f.id == id && f.version == version)
                })
        };
        let mut factors = Vec::new();
        for (id, version) in &used {
            match find_factor(id, *version) {
                Some(f) => factors.push(f),
                None => {
                    return Err(Error::new(
                        "FACTOR_MISSING",
                        "factor",
                        format!(
                            "factor {id} v{version} used by the inventory is not in the project"
                        ),
                        format!("盘查使用的排放因子 {id} v{version} 不在项目中"),
                    ))
                }
            }
        }
        let mut factor_gases = Vec::new();
        for f in &factors {
            for (substance, amount) in f.substances() {
                for (gas, kg) in substance.split(amount) {
                    factor_gases.push(FactorGas {
                        factor: f.id.clone(),
                        version: f.version,
                        substance: substance.id().to_string(),
                        gas: gas.id().to_string(),
                        kg_per_unit: kg,
                        gwp: gas.gwp(info.gwp),
                        basket: gas.basket(),
                    });
                }
            }
            if let Some(co2e) = f.co2e {
                factor_gases.push(FactorGas {
                    factor: f.id.clone(),
                    version: f.version,
                    substance: "CO2e".into(),
                    gas: "CO2e".into(),
                    kg_per_unit: co2e,
                    gwp: Decimal::ONE,
                    basket: Basket::Kyoto,
                });
            }
        }
        let properties: Vec<FuelProperty> = used_props
            .iter()
            .filter_map(|(id, v)| {
                all_properties
                    .iter()
                    .find(|p| &p.id == id && p.version == *v)
                    .cloned()
            })
            .collect();

        let mut shares = HashMap::new();
        for s in &sources {
            let site = sites.iter().find(|x| x.id == s.site_id);
            shares.insert(s.id, lingtan_core::calc::equity_share(info.boundary, site));
        }

        // unit conversions per (source, unit) of the lines
        let mut conversions = BTreeMap::new();
        for line in &report.inventory.lines {
            let key = (line.source_id, line.unit.code().to_string());
            if conversions.contains_key(&key) {
                continue;
            }
            if let Some(c) = conversion(&catalog, &sources, &factors, line) {
                conversions.insert(key, c);
            }
        }

        let evidence = project.evidence()?;
        let batches = project.batches()?;
        let names: HashMap<i64, &str> = sources.iter().map(|s| (s.id, s.name.as_str())).collect();
        let start = chrono::NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or_default();
        let end = chrono::NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or_default();
        let records = project
            .activities(None)?
            .into_iter()
            .filter(|r| r.from <= end && r.to >= start)
            .map(|row| Record {
                source: names
                    .get(&row.source_id)
                    .copied()
                    .unwrap_or("?")
                    .to_string(),
                evidence: row
                    .evidence_id
                    .and_then(|id| evidence.iter().find(|e| e.id == id).cloned()),
                batch: row
                    .batch_id
                    .and_then(|id| batches.iter().find(|b| b.id == id))
                    .map(|b| format!("#{} {}", b.id, b.label)),
                row,
            })
            .collect();

        let base_year = match info.base_year {
            None => None,
            Some(b) if b == year => Some(BaseYear {
                year: b,
                totals: None,
            }),
            Some(b) => {
                let base = project.inventory(Some(b), false)?;
                Some(BaseYear {
                    year: b,
                    totals: (base.records_read > 0).then_some(base.inventory.totals),
                })
            }
        };
        let verification = project.verify()?;
        // the offset section: only when the year has certificates claimed or credits retired
        let offset = if project.eacs(Some(year))?.is_empty() && project.credits()?.is_empty() {
            None
        } else {
            Some(project.offset(Some(year), None)?)
                .filter(|o| !o.certificates.is_empty() || !o.credits.is_empty())
        };
        Ok(Data {
            info,
            year,
            sites,
            sources,
            report,
            factors,
            factor_gases,
            properties,
            conversions,
            shares,
            records,
            batches,
            base_year,
            verification,
            offset,
        })
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

fn conversion(
    catalog: &Catalog,
    sources: &[Source],
    factors: &[EmissionFactor],
    line: &Line,
) -> Option<Conversion> {
    let source = sources.iter().find(|s| s.id == line.source_id)?;
    let props: Vec<&FuelProperty> = source
        .fuel
        .as_deref()
        .map(|f| catalog.properties_of(f))
        .unwrap_or_default();
    let find = |r: &lingtan_core::calc::FactorRef| {
        factors
            .iter()
            .find(|f| f.id == r.id && f.version == r.version)
    };
    let loc = find(&line.factor)?;
    let bridge = Bridge::find(line.unit, loc.unit, &props).ok()?;
    let (ratio_market, market_props) = match line.market_factor.as_ref().and_then(find) {
        Some(m) => {
            let b = Bridge::find(line.unit, m.unit, &props).ok()?;
            (b.ratio, b.properties)
        }
        None => (bridge.ratio, Vec::new()),
    };
    let mut properties: Vec<String> = bridge
        .properties
        .iter()
        .chain(market_props.iter())
        .map(|(id, v)| format!("{id} v{v}"))
        .collect();
    properties.dedup();
    Some(Conversion {
        ratio: bridge.ratio,
        ratio_market,
        properties,
    })
}
