//! From the project to what the screens show: summaries, pages of records, results with their
//! drill-down, readiness. The figures come from `lingtan` (the same inventory the CLI and the
//! report compute), rounded here once, half to even, so the UI only groups digits.

use chrono::{Datelike, NaiveDate};
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
                message: lang.pick(&i.en, &i.zh).to_string(),
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

pub fn batches(p: &Project) -> Result<Vec<BatchDto>> {
    let evidence: HashMap<i64, String> = p
        .evidence()?
        .into_iter()
        .map(|e| (e.id, e.file_name))
        .collect();
    Ok(p.batches()?
        .into_iter()
        .rev()
        .map(|b| BatchDto {
            id: b.id,
            file: b.evidence_id.and_then(|id| evidence.get(&id).cloned()),
            label: b.label,
            records: b.rows.max(0) as u64,
            created_at: b.created_at,
            reverted_at: b.reverted_at,
            revert_reason: b.revert_reason,
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
                message: lang.pick(&i.en, &i.zh).to_string(),
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

/// The records and factors behind one figure.
pub fn drill(p: &Project, cache: &mut Cache, q: &DrillRequest, lang: Lang) -> Result<DrillResult> {
    let report = cache.inventory(p)?;
    let inv = &report.inventory;
    let factors = cache.factors(p)?;
    let evidence = cache.evidence(p)?;
    let names = cache.source_names(p)?;
    let records = cache.records(p)?;
    let by_id: HashMap<i64, &ActivityRow> = records.iter().map(|a| (a.id, a)).collect();
    let source_of: HashMap<i64, &lingtan::core::calc::SourceResult> =
        inv.sources.iter().map(|s| (s.source_id, s)).collect();
    let month: Option<u32> = (q.by == "month").then(|| q.key.parse().ok()).flatten();
    // a month figure holds each record's days in that month (the calculation's own split)
    let month_qty: HashMap<i64, Decimal> = match month {
        Some(m) => inv
            .lines
            .iter()
            .filter_map(|l| {
                let a = by_id.get(&l.activity_id)?;
                let q = split(a.from, a.to, a.quantity)
                    .into_iter()
                    .find(|s| s.year == inv.year && s.month == m)?
                    .quantity;
                Some((l.activity_id, q))
            })
            .collect(),
        None => HashMap::new(),
    };
    let keep = |line: &lingtan::core::calc::Line| -> bool {
        let Some(s) = source_of.get(&line.source_id) else {
            return false;
        };
        match q.by.as_str() {
            "all" => true,
            "scope" => s.scope.to_string() == q.key,
            "category" => s.category.to_string() == q.key,
            "site" => s.site == q.key,
            "source" => s.source_id.to_string() == q.key,
            "gas" => s.gases.contains_key(&q.key),
            "month" => month_qty
                .get(&line.activity_id)
                .is_some_and(|q| !q.is_zero()),
            _ => false,
        }
    };
    let mut lines: Vec<&lingtan::core::calc::Line> = inv.lines.iter().filter(|l| keep(l)).collect();
    // a gas figure is that gas's share of each line: the lines of one source share one factor,
    // so the share is the source's (tonnes of the gas × its GWP over the source's tCO2e)
    let gwp = inv
        .gases
        .iter()
        .find(|g| g.gas == q.key)
        .map(|g| g.gwp.unwrap_or(Decimal::ONE))
        .unwrap_or(Decimal::ONE);
    let gas_share: HashMap<i64, Decimal> = if q.by == "gas" {
        inv.sources
            .iter()
            .map(|s| {
                let tonnes = s.gases.get(&q.key).copied().unwrap_or_default();
                let share = if s.tco2e.is_zero() {
                    Decimal::ZERO
                } else {
                    tonnes * gwp / s.tco2e
                };
                (s.source_id, share)
            })
            .collect()
    } else {
        HashMap::new()
    };
    let value = |l: &lingtan::core::calc::Line| {
        let whole = if q.market { l.tco2e_market } else { l.tco2e };
        if let Some(share) = gas_share.get(&l.source_id) {
            l.tco2e * *share
        } else if let Some(qty) = month_qty.get(&l.activity_id) {
            if l.quantity.is_zero() {
                Decimal::ZERO
            } else {
                *qty * whole / l.quantity
            }
        } else {
            whole
        }
    };
    lines.sort_by(|a, b| {
        value(b)
            .cmp(&value(a))
            .then(a.activity_id.cmp(&b.activity_id))
    });
    let find = |id: &str, version: u32| factors.iter().find(|f| f.id == id && f.version == version);
    let mut used: BTreeMap<(String, u32), FactorDto> = BTreeMap::new();
    let total: Decimal = lines.iter().map(|l| value(l)).sum();
    let total_lines = lines.len() as u64;
    let out: Vec<DrillLine> = lines
        .iter()
        .take(DRILL_LINES)
        .map(|l| {
            let fref = if q.market {
                l.market_factor.as_ref().unwrap_or(&l.factor)
            } else {
                &l.factor
            };
            let f = find(&fref.id, fref.version);
            if let Some(f) = f {
                used.entry((f.id.clone(), f.version))
                    .or_insert_with(|| factor(f, lang));
            }
            let a = by_id.get(&l.activity_id);
            DrillLine {
                record: l.activity_id,
                version: l.activity_version,
                source: names.get(&l.source_id).cloned().unwrap_or_default(),
                from: a.map(|a| a.from.to_string()).unwrap_or_default(),
                to: a.map(|a| a.to.to_string()).unwrap_or_default(),
                quantity: qty(l.quantity),
                unit: l.unit.code().to_string(),
                tco2e: t3(value(l)),
                factor: format!("{}@{}", fref.id, fref.version),
                factor_citation: f.map(|f| f.citation.clone()).unwrap_or_default(),
                factor_verified: f.is_some_and(|f| f.verified),
                evidence: a
                    .and_then(|a| a.evidence_id)
                    .and_then(|id| evidence.get(&id).cloned()),
                origin: a.and_then(|a| a.origin_ref.clone()),
            }
        })
        .collect();
    let title = match q.by.as_str() {
        "all" => lang.pick("All sources", "全部排放源").to_string(),
        "scope" => match lang {
            Lang::En => format!("Scope {}", q.key),
            Lang::Zh => format!("范围{}", ["", "一", "二", "三"].get(q.key.parse::<usize>().unwrap_or(0)).copied().unwrap_or("")),
        },
        "category" => {
            let (en, zh) = lingtan::core::source::IsoCategory(q.key.parse().unwrap_or(6)).names();
            format!("{} {}", q.key, lang.pick(en, zh))
        }
        "source" => names
            .get(&q.key.parse().unwrap_or(0))
            .cloned()
            .unwrap_or_default(),
        "month" => match lang {
            Lang::En => format!("{}-{:02}: each record's days in the month (a bill spanning months is split by days)", inv.year, month.unwrap_or(0)),
            Lang::Zh => format!("{} 年 {} 月：各记录在该月的天数份额（跨月账单按天数分摊）", inv.year, month.unwrap_or(0)),
        },
        "gas" => match lang {
            Lang::En => format!("{}: each record's share (the source's factor splits its emissions by gas)", lingtan::export::doc::gas_label(&q.key)),
            Lang::Zh => format!("{}：各记录中该气体的份额（按排放源因子中各气体的比例拆分）", lingtan::export::doc::gas_label(&q.key)),
        },
        _ => q.key.clone(),
    };
    Ok(DrillResult {
        title,
        tco2e: t3(total),
        lines: out,
        total_lines,
        factors: used.into_values().collect(),
    })
}

pub fn readiness(p: &Project, cache: &mut Cache, lang: Lang) -> Result<Readiness> {
    let info = p.info()?;
    let report = cache.inventory(p)?;
    let inv = &report.inventory;
    let records = cache.records(p)?;
    let factors = cache.factors(p)?;
    let sources = p.sources()?;
    let year = info.year;
    let s = |en: String, zh: String| match lang {
        Lang::En => en,
        Lang::Zh => zh,
    };
    let mut checks = Vec::new();

    checks.push(ReadinessCheck {
        key: "base-year".into(),
        label: s("Base year set".into(), "已设置基准年".into()),
        ok: info.base_year.is_some(),
        detail: match info.base_year {
            Some(y) => s(format!("Base year {y}"), format!("基准年 {y}")),
            None => s(
                "Set a base year under Organisation (ISO 14064-1 6.4.1): reductions are measured against it.".into(),
                "请在“组织与边界”中设置基准年（ISO 14064-1 第 6.4.1 条）：减排以其为基准衡量。".into(),
            ),
        },
    });

    // every energy source has data for every month of the year; refrigerant top-ups and scope 3
    // come as events or yearly figures, so for them one record in the year is enough
    let mut gaps: Vec<String> = Vec::new();
    for src in &sources {
        let yearly = matches!(src.kind, SourceKind::Fugitive | SourceKind::Scope3(_));
        if yearly {
            let any = records
                .iter()
                .any(|a| a.source_id == src.id && a.from.year() <= year && a.to.year() >= year);
            if !any {
                gaps.push(s(
                    format!("{}: no record in {year}", src.name),
                    format!("{}：{year} 年无记录", src.name),
                ));
            }
            continue;
        }
        let mut months = [false; 12];
        for a in records.iter().filter(|a| a.source_id == src.id) {
            for share in split(a.from, a.to, Decimal::ZERO) {
                if share.year == year {
                    months[(share.month as usize).saturating_sub(1).min(11)] = true;
                }
            }
        }
        let missing: Vec<String> = months
            .iter()
            .enumerate()
            .filter(|(_, c)| !**c)
            .map(|(m, _)| (m + 1).to_string())
            .collect();
        if !missing.is_empty() {
            gaps.push(s(
                format!("{}: months {}", src.name, missing.join(", ")),
                format!("{}：{} 月", src.name, missing.join("、")),
            ));
        }
    }
    checks.push(ReadinessCheck {
        key: "months".into(),
        label: s(
            format!("Every source has data for {year}"),
            format!("每个排放源都有 {year} 年数据"),
        ),
        ok: gaps.is_empty() && !sources.is_empty(),
        detail: if sources.is_empty() {
            s("No emission sources yet.".into(), "尚无排放源。".into())
        } else if gaps.is_empty() {
            s(
                format!(
                    "{} sources: energy every month, refrigerants and scope 3 in the year",
                    sources.len()
                ),
                format!(
                    "{} 个排放源：能源类各月均有数据，制冷剂与范围三全年有记录",
                    sources.len()
                ),
            )
        } else {
            s(
                format!("Missing: {}", gaps.join("; ")),
                format!("缺少：{}", gaps.join("；")),
            )
        },
    });

    // the factors used are verified against their source documents
    let mut used: BTreeSet<(String, u32)> = BTreeSet::new();
    for l in &inv.lines {
        used.insert((l.factor.id.clone(), l.factor.version));
        if let Some(m) = &l.market_factor {
            used.insert((m.id.clone(), m.version));
        }
    }
    let unverified: Vec<String> = used
        .iter()
        .filter(|(id, v)| {
            !factors
                .iter()
                .any(|f| &f.id == id && f.version == *v && f.verified)
        })
        .map(|(id, v)| format!("{id}@{v}"))
        .collect();
    checks.push(ReadinessCheck {
        key: "factors".into(),
        label: s("Factors verified".into(), "排放因子已核实".into()),
        ok: unverified.is_empty() && !used.is_empty(),
        detail: if unverified.is_empty() {
            s(
                format!("{} factors used, all verified", used.len()),
                format!("使用 {} 个因子，均已核实", used.len()),
            )
        } else {
            s(
                format!(
                    "Not verified against their source: {}",
                    unverified.join(", ")
                ),
                format!("未对照出处核实：{}", unverified.join("、")),
            )
        },
    });

    let without: usize = records.iter().filter(|a| a.evidence_id.is_none()).count();
    checks.push(ReadinessCheck {
        key: "evidence".into(),
        label: s("Evidence attached".into(), "已附凭证".into()),
        ok: without == 0 && !records.is_empty(),
        detail: if records.is_empty() {
            s("No activity data yet.".into(), "尚无活动数据。".into())
        } else {
            s(
                format!(
                    "{} of {} records have a bill or file attached",
                    records.len() - without,
                    records.len()
                ),
                format!(
                    "{} 条记录中 {} 条附有账单或文件",
                    records.len(),
                    records.len() - without
                ),
            )
        },
    });

    let errors: Vec<&lingtan::core::Issue> = inv
        .issues
        .iter()
        .filter(|i| i.severity == lingtan::core::Severity::Error)
        .collect();
    checks.push(ReadinessCheck {
        key: "complete".into(),
        label: s(
            "Inventory complete (no errors)".into(),
            "盘查完整（无错误）".into(),
        ),
        ok: errors.is_empty() && !records.is_empty(),
        detail: if errors.is_empty() {
            s(
                format!("{} t CO2e (location-based)", t3(inv.totals.total_location)),
                format!(
                    "{} 吨二氧化碳当量（基于位置）",
                    t3(inv.totals.total_location)
                ),
            )
        } else {
            errors
                .iter()
                .take(5)
                .map(|i| format!("{}: {}", i.place, lang.pick(&i.en, &i.zh)))
                .collect::<Vec<_>>()
                .join("; ")
        },
    });

    let ready = checks.iter().filter(|c| c.ok).count() as u32;
    Ok(Readiness {
        of: checks.len() as u32,
        ready,
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
    use lingtan::{ActivityEntry, NewProject, SourceEntry};

    /// Two sites, three sources over scopes 1 and 2, a record spanning two months.
    fn project(dir: &std::path::Path) -> Project {
        let clock: lingtan::Clock = Arc::new(|| "2025-03-01T00:00:00Z".to_string());
        let mut p = Project::create(
            &dir.join("t.lingtan"),
            &NewProject {
                org: "View Co.".into(),
                year: 2024,
                ..Default::default()
            },
            clock,
        )
        .expect("create");
        p.add_site("Plant", Some("CN-East"), None).expect("site");
        p.add_site("Depot", Some("CN-North"), None).expect("site");
        for (name, site, kind, fuel, unit) in [
            ("Power", "Plant", "electricity", None, "kWh"),
            ("Depot power", "Depot", "electricity", None, "kWh"),
            (
                "Gas",
                "Plant",
                "stationary-combustion",
                Some("natural-gas"),
                "m3",
            ),
        ] {
            p.add_source(&SourceEntry {
                name: name.into(),
                site: site.into(),
                kind: kind.into(),
                fuel: fuel.map(String::from),
                unit: Some(unit.into()),
                ..Default::default()
            })
            .expect("source");
        }
        for (source, from, to, qty, unit) in [
            ("Power", "2024-01-01", "2024-01-31", "1000.5", "kWh"),
            ("Power", "2024-02-01", "2024-03-15", "2333", "kWh"),
            ("Depot power", "2024-01-10", "2024-02-09", "777.77", "kWh"),
            ("Gas", "2024-01-01", "2024-06-30", "12345.678", "m3"),
        ] {
            p.add_activity(&ActivityEntry {
                source: source.into(),
                from: from.into(),
                to: to.into(),
                qty: qty.into(),
                unit: unit.into(),
                ..Default::default()
            })
            .expect("record");
        }
        p
    }

    #[test]
    fn every_figure_drills_down_to_records_that_add_up_to_it() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = project(dir.path());
        let mut cache = Cache::default();
        let r = results(&p, &mut cache, Lang::En).expect("results");
        assert_ne!(r.total_location.tco2e, "0.000");
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
            assert_eq!(d.tco2e, f.tco2e, "{} ({:?})", f.label, f.drill);
            for line in &d.lines {
                assert!(!line.factor.is_empty() && !line.factor_citation.is_empty());
            }
            assert!(!d.factors.is_empty() || d.lines.is_empty());
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
        assert_eq!((all.total, all.rows.len()), (4, 2));
        let rest = records(&p, &mut cache, &q(None, None, 2, 10)).expect("page");
        assert_eq!(rest.rows.len(), 2);
        let power = p.find_source("Power").expect("source").id;
        let mine = records(&p, &mut cache, &q(Some(power), None, 0, 10)).expect("page");
        assert_eq!(mine.total, 2);
        assert!(mine.rows.iter().all(|r| r.source == "Power"));
        let feb = records(&p, &mut cache, &q(None, Some("2024-02"), 0, 10)).expect("page");
        assert_eq!(
            feb.total, 3,
            "Feb–Mar power, the depot bill into February, and the gas"
        );
        let months = record_months(&p, &mut cache).expect("months");
        assert_eq!(months.first().map(String::as_str), Some("2024-01"));
        assert_eq!(months.last().map(String::as_str), Some("2024-06"));
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
        assert!(!check("base-year").ok);
        assert!(!check("months").ok);
        assert!(check("months").detail.contains("Power: months"));
        assert!(!check("evidence").ok);
        assert!(check("complete").ok);
        assert_eq!(r.ready, r.checks.iter().filter(|c| c.ok).count() as u32);
    }
}
