//! A small project described once, built through the workbench or through the binary.

use crate::{clock, Cli, NOW};
use lingtan::{ActivityEntry, NewProject, Project, SourceEntry};
use std::path::{Path, PathBuf};

/// A project to build: what `lingtan new`, `site add`, `source add` and `activity add` would be
/// given. Build it with [`Build::create`] (the workbench) or [`Build::create_with`] (the binary).
#[derive(Debug, Clone)]
pub struct Build {
    file: String,
    org: String,
    year: i32,
    base_year: Option<i32>,
    now: String,
    sites: Vec<(String, Option<String>)>,
    sources: Vec<SourceEntry>,
    records: Vec<ActivityEntry>,
}

/// The small project most tests start from (the hostile suite's "small", the CLI tests'
/// `small_project`): "Small Works", 2024 (also the base year), site "Main plant" on the East China
/// grid, sources "Grid power" (electricity, kWh) and "Boiler gas" (natural gas, m3), and one
/// record: 1000 kWh of grid power for January 2024. File name `small.lingtan`.
pub fn small() -> Build {
    Build::new("small.lingtan", "Small Works", 2024)
        .base_year(2024)
        .site("Main plant", Some("华东"))
        .source("Grid power", "Main plant", "electricity", "kWh")
        .fuel_source(
            "Boiler gas",
            "Main plant",
            "stationary-combustion",
            "natural-gas",
            "m3",
        )
        .record("Grid power", "2024-01-01", "2024-01-31", "1000", "kWh")
}

/// One plant ("Plant", East China grid) with its "Grid power" (electricity, kWh) billed once a
/// year: `kwh` is (year, kWh billed for the whole year). The desktop's offset and reduction tests
/// start from it.
pub fn grid_plant(file: &str, org: &str, year: i32, kwh: &[(i32, &str)]) -> Build {
    kwh.iter().fold(
        Build::new(file, org, year)
            .site("Plant", Some("CN-East"))
            .source("Grid power", "Plant", "electricity", "kWh"),
        |b, (y, qty)| {
            b.record(
                "Grid power",
                &format!("{y}-01-01"),
                &format!("{y}-12-31"),
                qty,
                "kWh",
            )
        },
    )
}

impl Build {
    /// A project of `org` for `year`, saved as `file` in the folder it is created in.
    pub fn new(file: &str, org: &str, year: i32) -> Build {
        Build {
            file: file.to_string(),
            org: org.to_string(),
            year,
            base_year: None,
            now: NOW.to_string(),
            sites: Vec::new(),
            sources: Vec::new(),
            records: Vec::new(),
        }
    }

    /// Another file name (the rest unchanged).
    pub fn file(mut self, file: &str) -> Build {
        self.file = file.to_string();
        self
    }

    pub fn base_year(mut self, year: i32) -> Build {
        self.base_year = Some(year);
        self
    }

    /// The time the workbench's clock gives (default [`NOW`]); the binary always runs at [`NOW`].
    pub fn now(mut self, at: &str) -> Build {
        self.now = at.to_string();
        self
    }

    pub fn site(mut self, name: &str, grid: Option<&str>) -> Build {
        self.sites.push((name.to_string(), grid.map(String::from)));
        self
    }

    /// A source without a fuel (electricity, process …) reported in `unit`.
    pub fn source(self, name: &str, site: &str, kind: &str, unit: &str) -> Build {
        self.source_entry(SourceEntry {
            name: name.into(),
            site: site.into(),
            kind: kind.into(),
            unit: Some(unit.into()),
            ..Default::default()
        })
    }

    /// A combustion (or refrigerant) source with its fuel.
    pub fn fuel_source(self, name: &str, site: &str, kind: &str, fuel: &str, unit: &str) -> Build {
        self.source_entry(SourceEntry {
            name: name.into(),
            site: site.into(),
            kind: kind.into(),
            fuel: Some(fuel.into()),
            unit: Some(unit.into()),
            ..Default::default()
        })
    }

    /// Any source, as the workbench takes it.
    pub fn source_entry(mut self, entry: SourceEntry) -> Build {
        self.sources.push(entry);
        self
    }

    /// A record of `qty` `unit` for `source` over `from..to` (dates YYYY-MM-DD, both included).
    pub fn record(mut self, source: &str, from: &str, to: &str, qty: &str, unit: &str) -> Build {
        self.records.push(ActivityEntry {
            source: source.into(),
            from: from.into(),
            to: to.into(),
            qty: qty.into(),
            unit: unit.into(),
            ..Default::default()
        });
        self
    }

    /// Build it in `dir` through the workbench (a real SQLite file) and keep it open.
    pub fn create(&self, dir: &Path) -> Project {
        let path = dir.join(&self.file);
        let mut p = Project::create(
            &path,
            &NewProject {
                org: self.org.clone(),
                year: self.year,
                base_year: self.base_year,
                ..Default::default()
            },
            clock(&self.now),
        )
        .unwrap_or_else(|e| panic!("the test project {} must be created: {e}", path.display()));
        for (name, grid) in &self.sites {
            p.add_site(name, grid.as_deref(), None)
                .unwrap_or_else(|e| panic!("the test site '{name}' must be added: {e}"));
        }
        for s in &self.sources {
            p.add_source(s)
                .unwrap_or_else(|e| panic!("the test source '{}' must be added: {e}", s.name));
        }
        for r in &self.records {
            p.add_activity(r).unwrap_or_else(|e| {
                panic!(
                    "the test record {} {}..{} must be added: {e}",
                    r.source, r.from, r.to
                )
            });
        }
        p
    }

    /// Build it in `dir` through the workbench, close it, and return its path.
    pub fn create_file(&self, dir: &Path) -> PathBuf {
        let p = self.create(dir);
        p.path().to_path_buf()
    }

    /// The `lingtan` commands that build it (arguments after `lingtan`; `PROJECT` stands for its
    /// path).
    pub fn commands(&self, project: &str) -> Vec<Vec<String>> {
        let mut out = Vec::new();
        let mut new = vec![
            "new".to_string(),
            project.to_string(),
            "--org".into(),
            self.org.clone(),
            "--year".into(),
            self.year.to_string(),
        ];
        if let Some(b) = self.base_year {
            new.extend(["--base-year".into(), b.to_string()]);
        }
        out.push(new);
        for (name, grid) in &self.sites {
            let mut c = vec!["site".into(), "add".into(), project.into(), name.clone()];
            if let Some(g) = grid {
                c.extend(["--grid".into(), g.clone()]);
            }
            out.push(c);
        }
        for s in &self.sources {
            let mut c = vec![
                "source".into(),
                "add".into(),
                project.into(),
                s.name.clone(),
            ];
            c.extend([
                "--site".into(),
                s.site.clone(),
                "--kind".into(),
                s.kind.clone(),
            ]);
            for (flag, value) in [
                ("--fuel", &s.fuel),
                ("--factor", &s.factor),
                ("--market-factor", &s.market_factor),
                ("--unit", &s.unit),
                ("--uncertainty", &s.uncertainty),
            ] {
                if let Some(v) = value {
                    c.extend([flag.to_string(), v.clone()]);
                }
            }
            out.push(c);
        }
        for r in &self.records {
            out.push(vec![
                "activity".into(),
                "add".into(),
                project.into(),
                "--source".into(),
                r.source.clone(),
                "--from".into(),
                r.from.clone(),
                "--to".into(),
                r.to.clone(),
                "--qty".into(),
                r.qty.clone(),
                "--unit".into(),
                r.unit.clone(),
            ]);
        }
        out
    }

    /// Build it in `dir` with the real binary (`lingtan new`, `site add` …, each of which must
    /// succeed) and return its path.
    pub fn create_with(&self, cli: &Cli, dir: &Path) -> PathBuf {
        let path = dir.join(&self.file);
        self.create_at_with(cli, &path);
        path
    }

    /// Build it at `path` with the real binary.
    pub fn create_at_with(&self, cli: &Cli, path: &Path) {
        let shown = path.display().to_string();
        for c in self.commands(&shown) {
            cli.ok(&c);
        }
    }
}
