//! The report: the workbench gathers its data from the project ([`Project::report_data`]), the
//! renderers of `lingtan_report` turn it into text, PDF and XLSX, and [`Project::export`] writes
//! the files through the one writer ([`crate::files`]): every output is checked before any work,
//! and the files land all together or not at all.

use crate::files::{Fill, Output, Replace};
use crate::{Error, Field, Project, Result};
use chrono::Datelike;
use lingtan_core::calc::{Catalog, Line};
use lingtan_core::claim::ClaimPeriod;
use lingtan_core::error::Action;
use lingtan_core::factor::{Bridge, EmissionFactor, FuelProperty};
use lingtan_core::gas::Basket;
use lingtan_core::words;
use lingtan_core::{Decimal, Lang, Source};
pub use lingtan_report::data::{BaseYear, Conversion, Data, FactorGas, Record};
pub use lingtan_report::{chart, doc, reduction as reduction_section, Langs};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// What a report is asked for.
#[derive(Debug, Clone)]
pub struct Options {
    pub year: Option<i32>,
    pub lang: Langs,
    pub pdf: Option<PathBuf>,
    pub xlsx: Option<PathBuf>,
}

/// What was made: the plain text, the files written with their sizes, and what the user should
/// know about them (characters the PDF font cannot print).
#[derive(Debug, Clone)]
pub struct Made {
    pub text: String,
    pub files: Vec<(PathBuf, usize)>,
    pub warnings: Vec<Error>,
}

impl Project {
    /// Make the report: check the outputs, gather the data, render, then write the files.
    /// `project_path` is this project's file (an output may not overwrite it).
    pub fn export(&self, project_path: &Path, options: &Options) -> Result<Made> {
        self.export_period(project_path, options, None)
    }

    /// [`Project::export`] for a claim period (`--from` … `--to`) instead of `options.year`,
    /// refused as [`Project::inventory_period`] refuses the period.
    pub fn export_period(
        &self,
        project_path: &Path,
        options: &Options,
        period: Option<ClaimPeriod>,
    ) -> Result<Made> {
        let mut outputs = Vec::new();
        if let Some(p) = &options.pdf {
            outputs.push(Output::new(p, Some(Field::Pdf), Replace::Any));
        }
        if let Some(x) = &options.xlsx {
            outputs.push(Output::new(x, Some(Field::Xlsx), Replace::Any));
        }
        let checked = crate::files::check(&outputs, Some(project_path), &[])?;
        let data = match period {
            Some(period) => self.report_data_period(period)?,
            None => self.report_data(options.year)?,
        };
        // render everything first, then write: a failure leaves no file behind
        let r = lingtan_report::render(
            &data,
            options.lang,
            options.pdf.is_some(),
            options.xlsx.is_some(),
        )?;
        let rendered: Vec<Vec<u8>> = r.pdf.into_iter().chain(r.xlsx).collect();
        let written = checked.write(rendered.iter().map(|b| Fill::Bytes(b)).collect())?;
        Ok(Made {
            text: r.text,
            files: written
                .into_iter()
                .map(|w| (w.path, w.bytes as usize))
                .collect(),
            warnings: r.warnings,
        })
    }

    /// Everything the report shows, gathered once: refused when the project has no sources, the
    /// year no data, or the inventory errors that would leave emissions out of the report.
    pub fn report_data(&self, year: Option<i32>) -> Result<Data> {
        let year = year.unwrap_or(self.info()?.year);
        self.gather(year, None)
    }

    /// [`Project::report_data`] for a claim period of whole days (e.g. 2022-07-01 to
    /// 2023-06-30), refused as [`Project::inventory_period`] refuses it (backwards, in the future
    /// of the project's clock, beyond the data). The records are pro-rated by days into the
    /// period; the factors, the certificates and credits, and the reduction step are those of the
    /// year the period ends (as the inventory and the offset step take them); the intensity
    /// (output per emissions) is left out, output being recorded per calendar year. A calendar
    /// year gives exactly [`Project::report_data`] of that year.
    pub fn report_data_period(&self, period: ClaimPeriod) -> Result<Data> {
        self.check_period(period)?;
        match period.calendar() {
            Some(year) => self.gather(year, None),
            None => self.gather(period.to().year(), Some(period)),
        }
    }

    /// The report's data for `year`, or for `period` (not a calendar year; `year` is the year
    /// it ends).
    fn gather(&self, year: i32, period: Option<ClaimPeriod>) -> Result<Data> {
        let project = self;
        let info = project.info()?;
        let sites = project.sites()?;
        let sources = project.sources()?;
        let report = match period {
            Some(p) => project.compute_period(p, true)?,
            None => project.inventory(Some(year), true)?,
        };
        // what the refusals name: the year, or the period's days
        let label = period.map_or_else(|| year.to_string(), |p| p.label());
        let label_zh = period.map_or_else(
            || format!("{year} 年"),
            |p| format!("{} 至 {} 期间", p.from(), p.to()),
        );
        let (field, in_en, in_zh) = match period {
            Some(p) => (
                Field::From,
                format!("from {} to {}", p.from(), p.to()),
                format!("{} 至 {}", p.from(), p.to()),
            ),
            None => (Field::Year, format!("in {year}"), format!("{year} 年")),
        };
        if sources.is_empty() {
            return Err(Error::new(
                "REPORT_EMPTY",
                Field::Project,
                words![
                    "the project has no emission sources yet: add sites and sources (",
                    Action::AddSite,
                    ", ",
                    Action::AddSource,
                    ") and their activity data first"
                ],
                words![
                    "项目中还没有排放源：请先添加场所、排放源（",
                    Action::AddSite,
                    "、",
                    Action::AddSource,
                    "）及其活动数据"
                ],
            ));
        }
        if report.records_read == 0 {
            return Err(match period {
                None => Error::new(
                    "REPORT_NO_DATA",
                    Field::Year,
                    words![
                        format!("no activity data in {year}: import bills or add records for that year, or choose another year with "),
                        Field::Year
                    ],
                    words![
                        format!("{year} 年没有活动数据：请导入该年账单或添加记录，或用 "),
                        Field::Year,
                        " 选择其他年份"
                    ],
                ),
                Some(_) => Error::new(
                    "REPORT_NO_DATA",
                    field,
                    words![
                        format!("no activity data {in_en}: import bills or add records for those days, or choose another period with "),
                        Field::From,
                        " and ",
                        Field::To
                    ],
                    words![
                        format!("{in_zh}没有活动数据：请导入这段时间的账单或添加记录，或用 "),
                        Field::From,
                        " 与 ",
                        Field::To,
                        " 选择其他期间"
                    ],
                ),
            });
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
                            lingtan_core::text::printable(&i.message(if zh {
                                Lang::Zh
                            } else {
                                Lang::En
                            }))
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
                Field::Inventory,
                words![
                    format!(
                        "the {label} inventory has {} error(s) that would leave emissions out of the report; fix them (see ",
                        errors.len()
                    ),
                    Action::ShowInventory,
                    format!("), then make the report again:{}{more_en}", list(false))
                ],
                words![
                    format!(
                        "{label_zh}盘查有 {} 个错误，会使报告漏计排放；请先修正（见 ",
                        errors.len()
                    ),
                    Action::ShowInventory,
                    format!("），再生成报告：{}{more_zh}", list(true))
                ],
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
                .or_else(|| {
                    // an onsite-generation source's zero factor is the method's, not stored
                    Some(lingtan_core::calc::onsite_generation_factor())
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
                        Field::Factor,
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
        let (start, end) = match period {
            Some(p) => (p.from(), p.to()),
            None => (
                chrono::NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or_default(),
                chrono::NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or_default(),
            ),
        };
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
            Some(b) if b == year && period.is_none() => Some(BaseYear {
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
        // output is recorded per calendar year: a period's emissions over a year's output would
        // be a wrong figure, so a period's report has no intensity
        let intensity = match period {
            Some(_) => Vec::new(),
            None => project.intensity(&report)?,
        };
        // the reduction step only when the project has one: a project without targets or
        // measures gives the report it gave before
        let reduction = if project.targets()?.is_empty()
            && project.measures()?.is_empty()
            && project.recalculations()?.is_empty()
        {
            None
        } else {
            let r = project.reduction(Some(year), None)?;
            Some(crate::reduction::data_of(&r))
        };
        // the offset section only when the year has certificates claimed or credits retired
        let offset = if project.eacs(Some(year))?.is_empty() && project.credits()?.is_empty() {
            None
        } else {
            let o = match period {
                Some(p) => project.offset_period(p, None)?,
                None => project.offset(Some(year), None)?,
            };
            Some(o)
                .filter(|o| !o.certificates.is_empty() || !o.credits.is_empty())
                .map(|o| crate::offset::data_of(&o))
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
            intensity,
            reduction,
            offset,
        })
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
