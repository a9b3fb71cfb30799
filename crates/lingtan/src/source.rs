//! Emission sources: their kind, fuel, factors and unit, checked to fit together.

use crate::input::{duplicate, names_hint, parse_pct, parse_unit, same_name};
use crate::limits::{self, Field};
use crate::{words, Action, Error, Project, Ref, Result};
use lingtan_core::calc::{Catalog, Context, InventoryBuilder};
use lingtan_core::gas::Substance;
use lingtan_core::gas::COMMON_REFRIGERANTS;
use lingtan_core::source::parse_fuel;
use lingtan_core::text::closest;
use lingtan_core::{Site, Source, SourceKind, Unit};

/// A source as typed.
#[derive(Debug, Clone, Default)]
pub struct SourceEntry {
    pub name: String,
    pub site: String,
    pub kind: String,
    pub fuel: Option<String>,
    pub factor: Option<String>,
    pub market_factor: Option<String>,
    pub unit: Option<String>,
    pub uncertainty: Option<String>,
}

impl Project {
    pub fn sources(&self) -> Result<Vec<Source>> {
        Ok(self.store.sources()?)
    }

    /// Find a source by name, suggesting the closest names when there is none.
    pub fn find_source(&self, name: &str) -> Result<Source> {
        let sources = self.sources()?;
        if let Some(source) = sources.iter().find(|s| s.name == name.trim()) {
            return Ok(source.clone());
        }
        let names: Vec<String> = sources.iter().map(|s| s.name.clone()).collect();
        let (en, zh) = names_hint(&closest(name, names.iter().map(String::as_str)));
        Err(Error::new(
            "UNKNOWN_SOURCE",
            Field::Source,
            words![
                Field::Source,
                format!(" '{name}': no such emission source{en}")
            ],
            words![Field::Source, format!(" “{name}”：没有该排放源{zh}")],
        ))
    }

    pub(crate) fn catalog(&self) -> Result<Catalog> {
        Ok(Catalog::new(
            self.store.factors()?,
            self.store.properties()?,
        ))
    }

    /// Add an emission source, checking the kind, fuel, factor and unit fit together.
    pub fn add_source(&mut self, entry: &SourceEntry) -> Result<Source> {
        let name = limits::name(Field::SourceName, &entry.name)?;
        let name = name.as_str();
        if let Some(existing) = self.sources()?.iter().find(|s| same_name(&s.name, name)) {
            return Err(duplicate(
                Field::SourceName,
                "source",
                "排放源",
                &existing.name,
                name,
            ));
        }
        let site = self.find_site(&entry.site)?;
        let kind = SourceKind::parse(&entry.kind).ok_or_else(|| {
            Error::new(
"UNKNOWN_KIND",
Field::Kind,
words![Field::Kind, format!(" '{}': unknown kind; use stationary-combustion, mobile-combustion, process, fugitive, electricity, heat, steam, cooling or scope3-1 … scope3-15", entry.kind)],
words![Field::Kind, format!(" “{}”：未知类型；可用 stationary-combustion（固定燃烧）、mobile-combustion（移动燃烧）、process（工艺）、fugitive（逸散）、electricity（电力）、heat（热力）、steam（蒸汽）、cooling（冷量）或 scope3-1 … scope3-15", entry.kind)],
)
        })?;
        let fuel = match (&entry.fuel, kind) {
            (None, _) => None,
            (Some(f), SourceKind::Fugitive) => Some(
                Substance::parse(f)
                    .map(|s| s.id().to_string())
                    .ok_or_else(|| {
                        Error::new(
                            "UNKNOWN_FUEL",
                            Field::Fuel,
                            words![
                                Field::Fuel,
                                format!(
                                    " '{f}': unknown refrigerant or gas; use {} …",
                                    COMMON_REFRIGERANTS.join(", ")
                                )
                            ],
                            words![
                                Field::Fuel,
                                format!(
                                    " “{f}”：未知制冷剂或气体；可用 {} 等",
                                    COMMON_REFRIGERANTS.join("、")
                                )
                            ],
                        )
                    })?,
            ),
            (Some(f), _) => Some(parse_fuel(f).map(String::from).ok_or_else(|| {
                let names: Vec<&str> = lingtan_core::source::FUELS
                    .iter()
                    .map(|(id, _, _)| *id)
                    .collect();
                let (en, zh) = names_hint(&closest(f, names.iter().copied()));
                Error::new(
                    "UNKNOWN_FUEL",
                    Field::Fuel,
                    words![
                        Field::Fuel,
                        format!(" '{f}': unknown fuel{en} (known: {})", names.join(", "))
                    ],
                    words![
                        Field::Fuel,
                        format!(" “{f}”：未知燃料{zh}（可用：{}）", names.join("、"))
                    ],
                )
            })?),
        };
        let catalog = self.catalog()?;
        for (flag, id) in [
            (Field::Factor, &entry.factor),
            (Field::MarketFactor, &entry.market_factor),
        ] {
            if let Some(id) = id {
                if catalog.factor(id).is_none() {
                    let (en, zh) = names_hint(&closest(
                        id,
                        catalog.factors().iter().map(|f| f.id.as_str()),
                    ));
                    return Err(Error::new(
                        "UNKNOWN_FACTOR",
                        flag,
                        words![
                            flag,
                            format!(" '{id}': no such factor in the project{en}; see "),
                            Action::ListFactors
                        ],
                        words![
                            flag,
                            format!(" “{id}”：项目中没有该因子{zh}；可用 "),
                            Action::ListFactors,
                            " 查看"
                        ],
                    ));
                }
            }
        }
        let unit = entry
            .unit
            .as_deref()
            .map(|u| parse_unit(Field::Unit, u))
            .transpose()?;
        let uncertainty_pct = entry
            .uncertainty
            .as_deref()
            .map(|u| parse_pct(Field::Uncertainty, u))
            .transpose()?;
        let source = Source {
            id: 0,
            name: name.to_string(),
            site_id: site.id,
            kind,
            fuel,
            factor_id: entry.factor.clone(),
            market_factor_id: entry.market_factor.clone(),
            unit,
            uncertainty_pct,
        };
        // the source's own unit must fit its factor
        if let Some(unit) = unit {
            self.check_unit(&source, &site, unit, &catalog, Ref::Field(Field::Unit))?;
        }
        let now = self.now();
        Ok(self.store.add_source(&source, &now)?)
    }

    /// Whether records in `unit` can be computed for `source` (its factor, through a cited fuel
    /// property where needed); refuses with the field and the reason otherwise.
    pub(crate) fn check_unit(
        &self,
        source: &Source,
        site: &Site,
        unit: Unit,
        catalog: &Catalog,
        field: Ref,
    ) -> Result<()> {
        let info = self.store.project()?;
        let sources = [source.clone()];
        let sites = [site.clone()];
        let ctx = Context {
            year: info.year,
            gwp: info.gwp,
            boundary: info.boundary,
            sites: &sites,
            sources: &sources,
            catalog,
        };
        let mut builder = InventoryBuilder::new(ctx);
        builder.check_unit(source.id, unit).map_err(|e| {
            Error::new(
                "UNIT_MISMATCH",
                Field::Unit,
                words![
                    field.clone(),
                    format!(
                        " '{}': does not fit source '{}': {e}",
                        unit.code(),
                        source.name
                    )
                ],
                words![
                    field,
                    format!(
                        " “{}”：与排放源“{}”不匹配：{}",
                        unit.code(),
                        source.name,
                        e.message_zh()
                    )
                ],
            )
        })
    }
}
