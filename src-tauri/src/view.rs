//! From the project to what the screens show: summaries, pages of records, results with their
//! drill-down, readiness. The figures come from `lingtan` (the same inventory the CLI and the
//! report compute), rounded here once, half to even, so the UI only groups digits.

use chrono::NaiveDate;
use lingtan::core::factor::EmissionFactor;
use lingtan::core::period::split;
use lingtan::core::{Decimal, Lang, Scope, SourceKind};
use lingtan::{ActivityRow, InventoryReport, Project};
use lingtan_dto::*;
use rust_decimal::RoundingStrategy;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

type Result<T> = lingtan::Result<T>;

/// What is derived from the project, kept until the next edit (or language change).
#[derive(Default)]
pub struct Cache {
    /// Current records, in the store's order.
    records: Option<Arc<Vec<ActivityRow>>>,
    evidence: Option<Arc<HashMap<i64, String>>>,
    sources: Option<Arc<HashMap<i64, String>>>,
    /// The inventory with its lines (for the drill-down).
    inventory: Option<Arc<InventoryReport>>,
    factors: Option<Arc<Vec<EmissionFactor>>>,
    results: Option<ResultsDto>,
}

impl Cache {
    /// The language changed: what is worded (results, charts) is redrawn; the inventory, the
    /// records and the factors are kept.
    pub fn relabel(&mut self) {
        self.results = None;
    }

    fn records(&mut self, p: &Project) -> Result<Arc<Vec<ActivityRow>>> {
        if self.records.is_none() {
            self.records = Some(Arc::new(p.activities(None)?));
        }
        Ok(self.records.clone().unwrap_or_default())
    }

    fn evidence(&mut self, p: &Project) -> Result<Arc<HashMap<i64, String>>> {
        if self.evidence.is_none() {
            let map = p
                .evidence()?
                .into_iter()
                .map(|e| (e.id, e.file_name))
                .collect();
            self.evidence = Some(Arc::new(map));
        }
        Ok(self.evidence.clone().unwrap_or_default())
    }

    fn source_names(&mut self, p: &Project) -> Result<Arc<HashMap<i64, String>>> {
        if self.sources.is_none() {
            let map = p.sources()?.into_iter().map(|s| (s.id, s.name)).collect();
            self.sources = Some(Arc::new(map));
        }
        Ok(self.sources.clone().unwrap_or_default())
    }

    fn inventory(&mut self, p: &Project) -> Result<Arc<InventoryReport>> {
        if let Some(inv) = &self.inventory {
            return Ok(inv.clone());
        }
        let inv = Arc::new(p.inventory(None, true)?);
        self.inventory = Some(inv.clone());
        Ok(inv)
    }

    fn factors(&mut self, p: &Project) -> Result<Arc<Vec<EmissionFactor>>> {
        if self.factors.is_none() {
            self.factors = Some(Arc::new(p.factor_versions()?));
        }
        Ok(self.factors.clone().unwrap_or_default())
    }
}

/// tCO2e and other results: 3 decimals, half to even (as the report prints them).
pub fn t3(d: Decimal) -> String {
    let r = d.round_dp_with_strategy(3, RoundingStrategy::MidpointNearestEven);
    format!("{r:.3}")
}

fn qty(d: Decimal) -> String {
    d.normalize().to_string()
}

pub fn summary(p: &Project) -> Result<ProjectSummary> {
    let info = p.info()?;
    let path = p.path();
    Ok(ProjectSummary {
        path: path.display().to_string(),
        file_name: crate::file_name(path),
        org: info.org_name,
        org_zh: info.org_name_zh,
        year: info.year,
        base_year: info.base_year,
        gwp: format!("{:?}", info.gwp).to_uppercase(),
        boundary: info.boundary.code().to_string(),
        prepared_by: info.prepared_by,
        report_date: info.report_date,
        created_at: info.created_at,
        sites: p.sites()?.len() as u32,
        sources: p.sources()?.len() as u32,
        records: p.activity_count()?,
    })
}

pub fn sites(p: &Project) -> Result<Vec<SiteDto>> {
    let sources = p.sources()?;
    Ok(p.sites()?
        .into_iter()
        .map(|s| SiteDto {
            sources: sources.iter().filter(|x| x.site_id == s.id).count() as u32,
            id: s.id,
            name: s.name,
            grid_region: s.grid_region,
            address: s.address,
        })
        .collect())
}

/// A source kind's name for people.
pub fn kind_label(kind: SourceKind, lang: Lang) -> String {
    let (en, zh) = kind.names();
    lang.pick(&en, &zh).to_string()
}

pub fn source_choices(lang: Lang) -> SourceChoices {
    let c = |value: &str, label: String| Choice {
        value: value.to_string(),
        label,
    };
    SourceChoices {
        kinds: SourceKind::all()
            .into_iter()
            .map(|k| c(&k.code(), kind_label(k, lang)))
            .collect(),
        fuels: lingtan::core::source::FUELS
            .iter()
            .map(|(id, zh, _)| c(id, lang.pick(id, zh).to_string()))
            .collect(),
        refrigerants: lingtan::core::gas::COMMON_REFRIGERANTS
            .iter()
            .map(|r| c(r, r.to_string()))
            .collect(),
        grid_regions: lingtan::core::source::GRID_REGIONS
            .iter()
            .map(|(code, names)| {
                let zh = names
                    .iter()
                    .find(|n| !n.is_ascii())
                    .copied()
                    .unwrap_or(code);
                c(
                    code,
                    format!("{code} {}", if lang == Lang::Zh { zh } else { "" })
                        .trim()
                        .to_string(),
                )
            })
            .collect(),
        units: ["kWh", "MWh", "m3", "L", "t", "kg", "GJ", "t.km", "km"]
            .iter()
            .map(|u| c(u, u.to_string()))
            .collect(),
    }
}

pub fn sources(p: &Project, cache: &mut Cache, lang: Lang) -> Result<Vec<SourceDto>> {
    let sites: HashMap<i64, String> = p.sites()?.into_iter().map(|s| (s.id, s.name)).collect();
    let records = cache.records(p)?;
    let mut counts: HashMap<i64, u64> = HashMap::new();
    for r in records.iter() {
        *counts.entry(r.source_id).or_default() += 1;
    }
    let factors = p.factors(None)?;
    let pinned = |id: &Option<String>| {
        id.as_ref()
            .map(|id| match factors.iter().find(|f| &f.id == id) {
                Some(f) => format!("{}@{}", f.id, f.version),
                None => id.clone(),
            })
    };
    Ok(p.sources()?
        .into_iter()
        .map(|s| SourceDto {
            id: s.id,
            site: sites.get(&s.site_id).cloned().unwrap_or_default(),
            kind: s.kind.code(),
            kind_label: kind_label(s.kind, lang),
            scope: s.kind.scope().number(),
            category: s.kind.iso_category().0,
            fuel: s.fuel.clone(),
            factor: pinned(&s.factor_id),
            market_factor: pinned(&s.market_factor_id),
            unit: s.unit.map(|u| u.code().to_string()),
            uncertainty_pct: s.uncertainty_pct.map(qty),
            records: counts.get(&s.id).copied().unwrap_or(0),
            name: s.name,
        })
        .collect())
}

pub fn factor(f: &EmissionFactor, lang: Lang) -> FactorDto {
    FactorDto {
        id: f.id.clone(),
        version: f.version,
        name: match (&f.name_zh, lang) {
            (Some(zh), Lang::Zh) => zh.clone(),
            _ => f.name.clone(),
        },
        dataset: f.dataset.clone(),
        category: format!("{:?}", f.category).to_lowercase(),
        region: f.region.clone(),
        fuel: f.fuel.clone(),
        year: f.year,
        unit: f.unit.code().to_string(),
        gases: f
            .gases
            .iter()
            .map(|(g, v)| GasValue {
                gas: g.clone(),
                kg_per_unit: qty(*v),
            })
            .collect(),
        co2e_per_unit: f.co2e.map(qty),
        citation: f.citation.clone(),
        licence: f.licence.clone(),
        verified: f.verified,
        verification_note: f.verification_note.clone(),
        uncertainty_pct: f.uncertainty_pct.map(qty),
        origin: format!("{:?}", f.origin).to_lowercase(),
        is_default: f.is_default,
    }
}

/// A scope's figure on the Results screen: `Scope 2 — market-based`.
fn scope_label(lang: Lang, scope: Scope, en: &str, zh: &str) -> String {
    let (name_en, name_zh) = scope.names();
    match lang {
        Lang::En => format!("{name_en} — {en}"),
        Lang::Zh => format!("{name_zh} — {zh}"),
    }
}

fn month_bounds(text: &str) -> Option<(NaiveDate, NaiveDate)> {
    let (y, m) = text.split_once('-')?;
    lingtan::core::period::month_bounds(y.parse().ok()?, m.parse().ok()?)
}

pub fn record_row(p: &Project, cache: &mut Cache, a: &ActivityRow) -> Result<RecordRow> {
    let evidence = cache.evidence(p)?;
    let sources = cache.source_names(p)?;
    Ok(row_dto(a, &evidence, &sources))
}

fn row_dto(
    a: &ActivityRow,
    evidence: &HashMap<i64, String>,
    sources: &HashMap<i64, String>,
) -> RecordRow {
    RecordRow {
        id: a.id,
        version: a.version,
        source_id: a.source_id,
        source: sources.get(&a.source_id).cloned().unwrap_or_default(),
        from: a.from.to_string(),
        to: a.to.to_string(),
        quantity: qty(a.quantity),
        unit: a.unit.code().to_string(),
        note: a.note.clone(),
        evidence: a.evidence_id.and_then(|id| evidence.get(&id).cloned()),
        origin: a.origin_ref.clone(),
        reason: a.reason.clone(),
        batch: a.batch_id,
    }
}

/// One page of the current records matching the filter.
pub fn records(p: &Project, cache: &mut Cache, q: &RecordQuery) -> Result<RecordPage> {
    let all = cache.records(p)?;
    let evidence = cache.evidence(p)?;
    let sources = cache.source_names(p)?;
    let month = q.month.as_deref().and_then(month_bounds);
    let keep = |a: &&ActivityRow| {
        q.source.is_none_or(|s| a.source_id == s)
            && month.is_none_or(|(first, last)| a.from <= last && a.to >= first)
    };
    let limit = q.limit.clamp(1, 2000) as usize;
    let (total, rows) = if q.source.is_none() && month.is_none() {
        let rows = all
            .iter()
            .skip(q.offset as usize)
            .take(limit)
            .map(|a| row_dto(a, &evidence, &sources))
            .collect();
        (all.len() as u64, rows)
    } else {
        let mut total = 0u64;
        let mut rows = Vec::new();
        for a in all.iter().filter(keep) {
            if total >= u64::from(q.offset) && rows.len() < limit {
                rows.push(row_dto(a, &evidence, &sources));
            }
            total += 1;
        }
        (total, rows)
    };
    Ok(RecordPage {
        total,
        offset: q.offset,
        rows,
    })
}

/// The months the records touch (`2024-03`), for the filter.
pub fn record_months(p: &Project, cache: &mut Cache) -> Result<Vec<String>> {
    let all = cache.records(p)?;
    let mut months = BTreeSet::new();
    for a in all.iter() {
        for share in split(a.from, a.to, Decimal::ZERO) {
            months.insert(format!("{:04}-{:02}", share.year, share.month));
        }
    }
    Ok(months.into_iter().collect())
}

/// One version of a record, for its history; `status` is `current`, `superseded` or `void` (the
/// UI shows it in the chosen language).
pub fn record_version(a: ActivityRow) -> RecordVersion {
    RecordVersion {
        version: a.version,
        from: a.from.to_string(),
        to: a.to.to_string(),
        quantity: a.quantity.normalize().to_string(),
        unit: a.unit.code().to_string(),
        status: format!("{:?}", a.status).to_lowercase(),
        reason: a.reason,
        created_at: a.created_at,
    }
}

pub fn import_result(r: &lingtan::import::ImportReport, lang: Lang) -> ImportResult {
    let mut mappings: Vec<MappingDto> = r
        .mappings
        .iter()
        .map(|m| MappingDto {
            sheet: m.sheet.clone(),
            header_row: m.header_row,
            kind: "bill".into(),
            columns: m
                .columns
                .iter()
                .map(|c| ColumnDto {
                    column: c.column.clone(),
                    header: c.header.clone(),
                    role: format!("{:?}", c.role).to_lowercase(),
                })
                .collect(),
            detail: m.periods.clone(),
        })
        .collect();
    mappings.extend(r.intervals.iter().map(|m| {
        MappingDto {
            sheet: m.sheet.clone(),
            header_row: m.header_row,
            kind: "interval".into(),
            columns: m
                .columns
                .iter()
                .map(|c| ColumnDto {
                    column: c.column.clone(),
                    header: c.header.clone(),
                    role: c.role.to_string(),
                })
                .collect(),
            detail: [
                Some(m.layout.to_string()),
                m.interval_minutes.map(|i| format!("{i} min")),
                m.unit.clone(),
                Some(lang.pick(&m.stamp_reason, &m.stamp_reason_zh).to_string()),
                (!m.meters.is_empty()).then(|| m.meters.join(", ")),
                Some(match lang {
                    Lang::En => format!("{} readings", m.readings),
                    Lang::Zh => format!("{} 个读数", m.readings),
                }),
            ]
            .into_iter()
            .flatten()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" · "),
        }
    }));
    ImportResult {
        batch: r.batch,
        file: r.file.clone(),
        sha256: r.sha256.clone(),
        kind: r.kind.map(|k| format!("{k:?}").to_lowercase()),
        accepted: r.rows.accepted,
        rejected: r.rows.rejected,
        refused: r.refused(),
        cancelled: r.issues.iter().any(|i| i.code == "IMPORT_CANCELLED"),
        totals: r
            .totals
            .iter()
            .map(|t| QuantityDto {
                unit: t.unit.clone(),
                quantity: qty(t.quantity),
            })
            .collect(),
        mappings,
        issues: r
            .issues
            .iter()
            .map(|i| IssueDto {
                code: i.code.to_string(),
                severity: severity(i.severity),
                message: crate::issue_message(i.words(lang), lang),
                sheet: i.sheet.clone(),
                row: i.row,
                column: i.column.clone(),
                cell: i.cell.clone(),
                place: None,
            })
            .collect(),
    }
}

fn severity(s: lingtan::core::Severity) -> String {
    format!("{s:?}").to_lowercase()
}

/// The import batches, newest first, each with the count of what it wrote (the command line's
/// `import list` count: [`lingtan::core::record::Batch::records`]).
pub fn batches(p: &Project, lang: Lang) -> Result<Vec<BatchDto>> {
    let evidence: HashMap<i64, String> = p
        .evidence()?
        .into_iter()
        .map(|e| (e.id, e.file_name))
        .collect();
    Ok(p.batches()?
        .into_iter()
        .rev()
        .map(|b| {
            let (records, what) = b.records();
            let (en, zh) = what.names();
            BatchDto {
                id: b.id,
                file: b.evidence_id.and_then(|id| evidence.get(&id).cloned()),
                label: b.label,
                records,
                records_what: lang.pick(en, zh).to_string(),
                created_at: b.created_at,
                reverted_at: b.reverted_at,
                revert_reason: b.revert_reason,
            }
        })
        .collect())
}

fn figure(
    by: &str,
    key: impl Into<String>,
    label: impl Into<String>,
    t: Decimal,
    market: bool,
) -> Figure {
    let key = key.into();
    Figure {
        drill: DrillRequest {
            by: by.to_string(),
            key: key.clone(),
            market,
        },
        key,
        label: label.into(),
        tco2e: t3(t),
    }
}

pub fn results(p: &Project, cache: &mut Cache, lang: Lang) -> Result<ResultsDto> {
    if let Some(r) = &cache.results {
        return Ok(r.clone());
    }
    let report = cache.inventory(p)?;
    let inv = &report.inventory;
    let t = &inv.totals;
    let s = |en: &str, zh: &str| lang.pick(en, zh).to_string();
    let mut charts = Vec::new();
    for chart in lingtan::export::doc::inventory_charts(inv, lang.into()) {
        let svg = lingtan::export::chart::svg(&chart)?;
        charts.push(ChartSvg {
            title: chart.title.clone(),
            svg,
        });
    }
    let mut sources: Vec<&lingtan::core::calc::SourceResult> = inv.sources.iter().collect();
    sources.sort_by(|a, b| b.tco2e.cmp(&a.tco2e).then_with(|| a.source.cmp(&b.source)));
    let mut sites: Vec<_> = inv.sites.iter().collect();
    sites.sort_by_key(|s| std::cmp::Reverse(s.total_location));
    let dto = ResultsDto {
        year: inv.year,
        gwp: format!("{:?}", inv.gwp).to_uppercase(),
        total_location: figure(
            "all",
            "all",
            s("Total (scope 2 location-based)", "合计（范围二基于位置）"),
            t.total_location,
            false,
        ),
        total_market: figure(
            "all",
            "all",
            s("Total (scope 2 market-based)", "合计（范围二基于市场）"),
            t.total_market,
            true,
        ),
        scope1: figure(
            "scope",
            "1",
            scope_label(lang, Scope::One, "direct", "直接排放"),
            t.scope1,
            false,
        ),
        scope2_location: figure(
            "scope",
            "2",
            scope_label(lang, Scope::Two, "location-based", "基于位置"),
            t.scope2_location,
            false,
        ),
        scope2_market: figure(
            "scope",
            "2",
            scope_label(lang, Scope::Two, "market-based", "基于市场"),
            t.scope2_market,
            true,
        ),
        scope3: figure(
            "scope",
            "3",
            scope_label(lang, Scope::Three, "other indirect", "其他间接排放"),
            t.scope3,
            false,
        ),
        categories: inv
            .categories
            .iter()
            .map(|(c, v)| {
                let (en, zh) = lingtan::core::source::IsoCategory(*c).names();
                figure(
                    "category",
                    c.to_string(),
                    format!("{c} {}", lang.pick(en, zh)),
                    *v,
                    false,
                )
            })
            .collect(),
        sites: sites
            .iter()
            .map(|x| {
                figure(
                    "site",
                    x.site.clone(),
                    x.site.clone(),
                    x.total_location,
                    false,
                )
            })
            .collect(),
        sources: sources
            .iter()
            .map(|x| {
                figure(
                    "source",
                    x.source_id.to_string(),
                    x.source.clone(),
                    x.tco2e,
                    false,
                )
            })
            .collect(),
        months: inv
            .months
            .iter()
            .map(|m| {
                let total = m.scope1 + m.scope2_location + m.scope3;
                let label = match lang {
                    Lang::En => format!("{}-{:02}", inv.year, m.month),
                    Lang::Zh => format!("{} 年 {} 月", inv.year, m.month),
                };
                figure("month", m.month.to_string(), label, total, false)
            })
            .collect(),
        gases: inv
            .gases
            .iter()
            .map(|g| {
                figure(
                    "gas",
                    g.gas.clone(),
                    lingtan::export::doc::gas_label(&g.gas),
                    g.tco2e,
                    false,
                )
            })
            .collect(),
        charts,
        issues: inv
            .issues
            .iter()
            .map(|i| IssueDto {
                code: i.code.to_string(),
                severity: severity(i.severity),
                message: crate::issue_message(i.words(lang), lang),
                sheet: None,
                row: None,
                column: None,
                cell: None,
                place: Some(i.place.clone()),
            })
            .collect(),
        records_read: report.records_read,
        fingerprint: report.fingerprint.clone(),
        audit_head: report.audit_head.clone(),
    };
    cache.results = Some(dto.clone());
    Ok(dto)
}

/// Lines shown in a drill-down at most (the largest first).
const DRILL_LINES: usize = 2000;

/// The figure of `lingtan trace` a drill-down request names (a source by its id, a month of the
/// inventory year by its number).
fn drill_figure(
    p: &Project,
    cache: &mut Cache,
    year: i32,
    q: &DrillRequest,
) -> Result<lingtan::Figure> {
    use lingtan::Figure;
    let bad = || {
        lingtan::Error::new(
            "UNKNOWN_FIGURE",
            Some(lingtan::Field::Figure),
            format!("no figure {} {}", q.by, q.key),
            format!("没有该数字：{} {}", q.by, q.key),
        )
    };
    Ok(match (q.by.as_str(), q.key.as_str(), q.market) {
        ("all", _, false) => Figure::Total,
        ("all", _, true) => Figure::TotalMarket,
        ("scope", "1", _) => Figure::Scope1,
        ("scope", "2", false) => Figure::Scope2,
        ("scope", "2", true) => Figure::Scope2Market,
        ("scope", "3", _) => Figure::Scope3,
        ("category", n, _) => Figure::Category(n.parse().map_err(|_| bad())?),
        ("site", name, _) => Figure::Site(name.to_string()),
        ("source", id, _) => {
            let id: i64 = id.parse().map_err(|_| bad())?;
            let names = cache.source_names(p)?;
            Figure::Source(names.get(&id).cloned().ok_or_else(bad)?)
        }
        ("month", m, _) => Figure::Month(year, m.parse().map_err(|_| bad())?),
        ("gas", g, _) => Figure::Gas(g.to_string()),
        _ => return Err(bad()),
    })
}

/// The records and factors behind one figure: `lingtan trace`'s lines, mapped.
pub fn drill(p: &Project, cache: &mut Cache, q: &DrillRequest, lang: Lang) -> Result<DrillResult> {
    let report = cache.inventory(p)?;
    let figure = drill_figure(p, cache, report.inventory.year, q)?;
    let trace = p.trace_in(&report, &figure)?;
    let factors = cache.factors(p)?;
    let mut used: BTreeMap<(String, u32), Option<FactorDto>> = BTreeMap::new();
    let lines = trace
        .lines
        .iter()
        .take(DRILL_LINES)
        .map(|l| {
            used.entry((l.factor.clone(), l.factor_version))
                .or_insert_with(|| {
                    lingtan::trace::factor_version(&factors, &l.factor, l.factor_version)
                        .map(|f| factor(&f, lang))
                });
            DrillLine {
                record: l.record,
                version: l.version,
                source: l.source.clone(),
                from: l.from.to_string(),
                to: l.to.to_string(),
                quantity: qty(l.quantity),
                unit: l.unit.code().to_string(),
                tco2e: t3(l.tco2e),
                factor: format!("{}@{}", l.factor, l.factor_version),
                factor_citation: l.citation.clone(),
                factor_verified: l.verified,
                evidence: l.evidence.clone(),
                origin: l.place.clone(),
            }
        })
        .collect();
    Ok(DrillResult {
        title: trace.title.pick(lang).to_string(),
        tco2e: t3(trace.tco2e),
        lines,
        total_lines: trace.lines.len() as u64,
        factors: used.into_values().flatten().collect(),
    })
}

/// The readiness checks: `lingtan check`'s, mapped (a check is ticked when it passes).
pub fn readiness(p: &Project, cache: &mut Cache, lang: Lang) -> Result<Readiness> {
    let report = cache.inventory(p)?;
    let r = p.check_with(&report)?;
    let checks: Vec<ReadinessCheck> = r
        .checks
        .iter()
        .map(|c| ReadinessCheck {
            key: c.code.to_string(),
            label: c.title.pick(lang).to_string(),
            ok: c.status == lingtan::core::check::Status::Pass,
            detail: match &c.todo {
                Some(todo) => format!("{} — {}", c.found.pick(lang), todo.pick(lang)),
                None => c.found.pick(lang).to_string(),
            },
        })
        .collect();
    Ok(Readiness {
        of: checks.len() as u32,
        ready: r.passed() as u32,
        checks,
    })
}

pub fn audit_entry(e: lingtan::AuditEntry) -> AuditEntryDto {
    let summary = if e.payload.chars().count() > 240 {
        let cut: String = e.payload.chars().take(240).collect();
        format!("{cut}…")
    } else {
        e.payload.clone()
    };
    AuditEntryDto {
        seq: e.seq,
        at: e.at,
        action: e.action,
        entity: format!("{} {}", e.entity, e.entity_key),
        summary,
        hash: e.hash,
        clock: e.clock,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two sites, three sources over scopes 1 and 2, a record spanning two months.
    fn project(dir: &std::path::Path) -> Project {
        lingtan_testkit::Build::new("t.lingtan", "View Co.", 2024)
            .now("2025-03-01T00:00:00Z")
            .site("Plant", Some("CN-East"))
            .site("Depot", Some("CN-North"))
            .source("Power", "Plant", "electricity", "kWh")
            .source("Depot power", "Depot", "electricity", "kWh")
            .fuel_source("Gas", "Plant", "stationary-combustion", "natural-gas", "m3")
            .record("Power", "2024-01-01", "2024-01-31", "1000.5", "kWh")
            .record("Power", "2024-02-01", "2024-03-15", "2333", "kWh")
            .record("Depot power", "2024-01-10", "2024-02-09", "777.77", "kWh")
            .record("Gas", "2024-01-01", "2024-06-30", "12345.678", "m3")
            .create(dir)
    }

    #[test]
    fn every_figure_drills_down_to_records_that_add_up_to_it() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = project(dir.path());
        let mut cache = Cache::default();
        let r = results(&p, &mut cache, Lang::En).expect("results");
        assert_ne!(
            r.total_location.tco2e, "0.000",
            "the test project has emissions: a drill of zeros would prove nothing"
        );
        let mut figures = vec![
            &r.total_location,
            &r.total_market,
            &r.scope1,
            &r.scope2_location,
            &r.scope2_market,
            &r.scope3,
        ];
        figures.extend(r.categories.iter());
        figures.extend(r.sites.iter());
        figures.extend(r.sources.iter());
        figures.extend(r.gases.iter());
        figures.extend(r.months.iter());
        for f in figures {
            let d = drill(&p, &mut cache, &f.drill, Lang::En).expect("drill");
            // each line is rounded on its own; the drill total is the sum before rounding
            assert_eq!(
                d.tco2e, f.tco2e,
                "every figure drills down to records that add up to it: {} ({:?})",
                f.label, f.drill
            );
            for line in &d.lines {
                assert!(
                    !line.factor.is_empty() && !line.factor_citation.is_empty(),
                    "every drill line names its factor and the factor's citation"
                );
            }
            assert!(
                !d.factors.is_empty() || d.lines.is_empty(),
                "a figure with records names the factors used"
            );
        }
        // a month lists the records that touch it, the spanning record included
        let march = drill(
            &p,
            &mut cache,
            &DrillRequest {
                by: "month".into(),
                key: "3".into(),
                market: false,
            },
            Lang::En,
        )
        .expect("drill");
        let ids: BTreeSet<i64> = march.lines.iter().map(|l| l.record).collect();
        assert_eq!(ids.len(), 2, "the Feb–Mar power bill and the gas record");
    }

    #[test]
    fn pages_of_records_follow_the_filters() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = project(dir.path());
        let mut cache = Cache::default();
        let q = |source: Option<i64>, month: Option<&str>, offset: u32, limit: u32| RecordQuery {
            source,
            month: month.map(String::from),
            offset,
            limit,
        };
        let all = records(&p, &mut cache, &q(None, None, 0, 2)).expect("page");
        assert_eq!(
            (all.total, all.rows.len()),
            (4, 2),
            "the first page of two holds two of the four records, and the total says four"
        );
        let rest = records(&p, &mut cache, &q(None, None, 2, 10)).expect("page");
        assert_eq!(rest.rows.len(), 2, "the second page holds the other two");
        let power = p.find_source("Power").expect("source").id;
        let mine = records(&p, &mut cache, &q(Some(power), None, 0, 10)).expect("page");
        assert_eq!(
            mine.total, 2,
            "the source filter keeps the two records of Power"
        );
        assert!(
            mine.rows.iter().all(|r| r.source == "Power"),
            "the source filter keeps only Power's records"
        );
        let feb = records(&p, &mut cache, &q(None, Some("2024-02"), 0, 10)).expect("page");
        assert_eq!(
            feb.total, 3,
            "Feb–Mar power, the depot bill into February, and the gas"
        );
        let months = record_months(&p, &mut cache).expect("months");
        assert_eq!(
            months.first().map(String::as_str),
            Some("2024-01"),
            "the month filter starts at the first month a record touches"
        );
        assert_eq!(
            months.last().map(String::as_str),
            Some("2024-06"),
            "the gas record runs to June: the months end there"
        );
    }

    #[test]
    fn readiness_says_what_is_missing() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = project(dir.path());
        let mut cache = Cache::default();
        let r = readiness(&p, &mut cache, Lang::En).expect("readiness");
        let check = |key: &str| {
            r.checks
                .iter()
                .find(|c| c.key == key)
                .unwrap_or_else(|| panic!("{key}"))
        };
        assert!(!check("CHECK_BASE_YEAR").ok, "no base year was set");
        assert!(
            !check("CHECK_EVERY_MONTH").ok,
            "the months check fails: Power has no bill after mid-March"
        );
        assert!(
            check("CHECK_EVERY_MONTH")
                .detail
                .contains("Power: 2024-04, 2024-05"),
            "the power bills stop in mid-March: {}",
            check("CHECK_EVERY_MONTH").detail
        );
        assert!(!check("CHECK_EVIDENCE").ok, "no record has a bill attached");
        assert!(
            check("CHECK_NO_ERRORS").ok,
            "the hand-built records are all valid: the inventory has no errors"
        );
        assert_eq!(
            r.ready,
            r.checks.iter().filter(|c| c.ok).count() as u32,
            "the readiness count is the number of checks that pass"
        );
    }

    /// The desktop shows what `lingtan check` and `lingtan trace` say: the same checks with the
    /// same words, and for every figure of the results screen the same records, in the same
    /// order, with the same contributions, as the trace of that figure named as the CLI names it.
    #[test]
    fn the_desktop_shows_what_the_command_line_says() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = project(dir.path());
        let mut cache = Cache::default();
        for lang in [Lang::En, Lang::Zh] {
            let desk = readiness(&p, &mut cache, lang).expect("readiness");
            let cli = p.check(None).expect("check");
            assert_eq!(
                desk.checks.len(),
                cli.checks.len(),
                "the desktop shows every check the command line runs"
            );
            for (d, c) in desk.checks.iter().zip(&cli.checks) {
                assert_eq!(d.key, c.code, "the same check in the same place");
                assert_eq!(
                    d.label,
                    c.title.pick(lang),
                    "the same title in the chosen language"
                );
                assert_eq!(
                    d.ok,
                    c.status == lingtan::core::check::Status::Pass,
                    "a check is ticked exactly when it passes"
                );
                assert!(
                    d.detail.starts_with(c.found.pick(lang)),
                    "the detail starts with what the check found: {}",
                    d.detail
                );
            }
        }
        let r = results(&p, &mut cache, Lang::En).expect("results");
        let mut figures: Vec<(&Figure, String)> = vec![
            (&r.total_location, "total".into()),
            (&r.total_market, "total-market".into()),
            (&r.scope1, "scope1".into()),
            (&r.scope2_location, "scope2".into()),
            (&r.scope2_market, "scope2-market".into()),
            (&r.scope3, "scope3".into()),
        ];
        figures.extend(
            r.categories
                .iter()
                .map(|f| (f, format!("category:{}", f.key))),
        );
        figures.extend(r.sites.iter().map(|f| (f, format!("site:{}", f.label))));
        figures.extend(r.sources.iter().map(|f| (f, format!("source:{}", f.label))));
        figures.extend(r.months.iter().map(|f| {
            (
                f,
                format!("month:2024-{:02}", f.key.parse::<u32>().unwrap_or(0)),
            )
        }));
        figures.extend(r.gases.iter().map(|f| (f, format!("gas:{}", f.key))));
        for (f, name) in figures {
            let desk = drill(&p, &mut cache, &f.drill, Lang::En).expect("drill");
            let cli = p.trace(&name, None).expect("trace");
            assert_eq!(desk.tco2e, t3(cli.tco2e), "{name}: the same figure");
            assert_eq!(
                desk.tco2e, f.tco2e,
                "{name}: the figure the results screen shows"
            );
            let d: Vec<(i64, &str)> = desk
                .lines
                .iter()
                .map(|l| (l.record, l.tco2e.as_str()))
                .collect();
            let c: Vec<(i64, String)> = cli.lines.iter().map(|l| (l.record, t3(l.tco2e))).collect();
            let c: Vec<(i64, &str)> = c.iter().map(|(r, t)| (*r, t.as_str())).collect();
            assert_eq!(d, c, "{name}: the same records, order and contributions");
        }
    }
}
