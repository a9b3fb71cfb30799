//! Sites (plants, buildings) and their grid regions.

use crate::input::{duplicate, names_hint, same_name};
use crate::limits::{self, Field};
use crate::{Error, Project, Result};
use lingtan_core::source::{parse_grid_region, GRID_REGIONS};
use lingtan_core::text::closest;
use lingtan_core::{Site, Source};

impl Project {
    pub fn sites(&self) -> Result<Vec<Site>> {
        Ok(self.store.sites()?)
    }

    /// Add a site. `grid` accepts CN, CN-East, East, 华东 …
    pub fn add_site(
        &mut self,
        name: &str,
        grid: Option<&str>,
        address: Option<&str>,
    ) -> Result<Site> {
        let name = limits::name(Field::new("name", "site name", "场所名称"), name)?;
        let name = name.as_str();
        let address =
            limits::optional_text(Field::new("address", "--address", "--address"), address)?;
        let grid_region = grid
            .map(|g| {
                parse_grid_region(g).map(String::from).ok_or_else(|| {
                    let known: Vec<&str> = GRID_REGIONS.iter().map(|(c, _)| *c).collect();
                    Error::new(
                        "UNKNOWN_GRID_REGION",
                        "grid".to_string(),
                        format!("--grid '{g}': unknown grid region; use one of {} (华北, 东北, 华东, 华中, 西北, 南方, 西南 accepted)", known.join(", ")),
                        format!("--grid “{g}”：未知电网区域；可用 {}（也可写 华北、东北、华东、华中、西北、南方、西南）", known.join("、")),
                    )
                })
            })
            .transpose()?;
        if let Some(existing) = self.sites()?.iter().find(|s| same_name(&s.name, name)) {
            return Err(duplicate("site", "场所", &existing.name, name));
        }
        let site = Site {
            id: 0,
            name: name.to_string(),
            grid_region,
            address,
            equity_pct: None,
        };
        let now = self.now();
        Ok(self.store.add_site(&site, &now)?)
    }

    pub(crate) fn find_site(&self, name: &str) -> Result<Site> {
        let sites = self.sites()?;
        if let Some(site) = sites.iter().find(|s| s.name == name.trim()) {
            return Ok(site.clone());
        }
        let names: Vec<String> = sites.iter().map(|s| s.name.clone()).collect();
        let (en, zh) = names_hint(&closest(name, names.iter().map(String::as_str)));
        Err(Error::new(
            "UNKNOWN_SITE",
            "site".to_string(),
            format!(
                "--site '{name}': no such site{en}{}",
                if names.is_empty() {
                    "; add one with `lingtan site add`"
                } else {
                    ""
                }
            ),
            format!(
                "--site “{name}”：没有该场所{zh}{}",
                if names.is_empty() {
                    "；请先用 `lingtan site add` 添加"
                } else {
                    ""
                }
            ),
        ))
    }

    /// The site a source belongs to.
    pub(crate) fn site_of(&self, source: &Source) -> Result<Site> {
        self.sites()?
            .into_iter()
            .find(|s| s.id == source.site_id)
            .ok_or_else(|| {
                Error::new(
                    "UNKNOWN_SITE",
                    "site".to_string(),
                    "the source's site is missing",
                    "排放源所属场所缺失",
                )
            })
    }
}
