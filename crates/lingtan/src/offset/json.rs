//! The stable JSON of the offset step: `lingtan eac list --json`, `lingtan credit list --json`
//! and `lingtan offset --json`. Decimals are strings rounded half-to-even to 6 decimals
//! ([`crate::json::num`]); unit numbers and quantities of credits are JSON numbers (whole,
//! at most 15 digits: exact in every JSON reader). New keys may be added; existing keys keep
//! their meaning.

use super::{CreditRecord, EacRecord, OffsetReport};
use crate::json::num;
use lingtan_core::offset::Check;
use lingtan_core::Lang;
use lingtan_store::Evidence;
use serde_json::{json, Value};

fn checks(list: &[Check], lang: Lang) -> Vec<Value> {
    list.iter()
        .map(|c| json!({"code": c.code, "severity": c.severity.code(), "message": c.message(lang)}))
        .collect()
}

fn evidence(e: &Option<Evidence>) -> Value {
    match e {
        Some(e) => json!({"id": e.id, "file": e.file_name, "sha256": e.sha256}),
        None => Value::Null,
    }
}

/// One certificate record: `id` is the record's number (what `eac retire` and `eac void` take),
/// `certificate` the registry's id as given with `--id`.
pub fn eac(r: &EacRecord, lang: Lang) -> Value {
    let e = &r.eac;
    json!({
        "id": r.record,
        "type": e.kind.code(),
        "certificate": e.id,
        "mwh": num(e.mwh),
        "from": e.from.to_string(),
        "to": e.to.to_string(),
        "sites": e.sites,
        "technology": e.technology.map(|t| t.code()),
        "plant": e.plant,
        "region": e.region,
        "tradable": e.tradable,
        "subsidy": e.subsidy,
        "acquired": e.acquired.map(|a| a.code()),
        "purchased": r.purchased.map(|d| d.to_string()),
        "for_year": e.claim_year(),
        "status": e.status.code(),
        "retired": e.retired.map(|d| d.to_string()),
        "beneficiary": e.beneficiary,
        "evidence": evidence(&r.document),
        "statement": evidence(&r.statement),
        "batch": r.batch,
        "origin": r.origin,
        "void_reason": r.void_reason,
        "excluded": r.excluded,
        "checks": checks(&r.checks, lang),
    })
}

/// `lingtan eac list --json`.
pub fn eacs(list: &[EacRecord], lang: Lang) -> Value {
    Value::Array(list.iter().map(|r| eac(r, lang)).collect())
}

/// One block: `id` is the block's number (what `credit retire` and `credit void` take); after a
/// partial retirement each part is listed with its own serial and `split_from` the block.
pub fn credit(r: &CreditRecord, lang: Lang) -> Value {
    let c = &r.credit;
    let s = &c.serial;
    json!({
        "id": c.id,
        "registry": s.registry.code(),
        "serial": s.serial,
        "reading": s.reading.code(),
        "first": s.first,
        "last": s.last,
        "quantity": s.quantity,
        "project_id": s.project_id,
        "project": c.project,
        "methodology": c.methodology,
        "type": c.kind.map(|k| k.code()),
        "vintage": s.vintage.map(|v| v.to_string()),
        "country": s.country,
        "labels": c.labels,
        "fields": s.fields,
        "status": c.status.code(),
        "split_from": r.parent,
        "retired": c.retired.map(|d| d.to_string()),
        "beneficiary": c.beneficiary,
        "for_year": c.for_year,
        "reason": c.reason,
        "evidence": evidence(&r.document),
        "statement": evidence(&r.statement),
        "void_reason": r.reason_void,
        "excluded": r.excluded,
        "checks": checks(&c.serial.notes.iter().filter(|n| !r.checks.contains(n)).cloned().chain(r.checks.iter().cloned()).collect::<Vec<_>>(), lang),
    })
}

/// `lingtan credit list --json`.
pub fn credits(list: &[CreditRecord], lang: Lang) -> Value {
    Value::Array(list.iter().map(|r| credit(r, lang)).collect())
}

fn opt(d: Option<lingtan_core::Decimal>) -> Value {
    d.map(|d| Value::String(num(d))).unwrap_or(Value::Null)
}

/// `lingtan offset --json`: exactly the keys the README documents.
pub fn offset(r: &OffsetReport, lang: Lang) -> Value {
    let o = &r.summary;
    let issues: Vec<Value> = r
        .issues
        .iter()
        .map(|i| json!({"code": i.code, "severity": i.severity.code(), "message": i.message(lang), "where": i.place}))
        .collect();
    let mut v = json!({
        "year": o.year,
        "scopes": o.scopes.code(),
        "residual_tco2e": num(o.residual_tco2e),
        "scope2_market_before_eac_tco2e": num(o.scope2_market_before_eac_tco2e),
        "scope2_market_tco2e": num(o.scope2_market_tco2e),
        "eac": {
            "mwh_retired": num(o.eac.mwh_retired),
            "mwh_used": num(o.eac.mwh_used),
            "mwh_unused": num(o.eac.mwh_unused),
            "kwh_covered": num(o.eac.kwh_covered),
        },
        "credits": {
            "retired_tco2e": num(o.credits.retired_tco2e),
            "counted_tco2e": num(o.credits.counted_tco2e),
            "removal_tco2e": num(o.credits.removal_tco2e),
            "avoidance_tco2e": num(o.credits.avoidance_tco2e),
        },
        "coverage_pct": opt(o.coverage_pct),
        "shortfall_tco2e": num(o.shortfall_tco2e),
        "shares": {
            "renewable_energy_pct": opt(o.shares.renewable_energy_pct),
            "green_power_pct": opt(o.shares.green_power_pct),
            "green_power_reduction_tco2e": opt(o.shares.green_power_reduction_tco2e),
            "credit_offset_pct": opt(o.shares.credit_offset_pct),
            "total_energy_tce": opt(o.shares.total_energy_tce),
            "total_energy_gj": opt(o.shares.total_energy_gj),
        },
        "energy": energy(r),
        "issues": issues,
    });
    // a claim period that is not a calendar year: `year` is the year it ends
    if let Some(p) = &r.period {
        v["period"] = json!({"from": p.from.to_string(), "to": p.to.to_string()});
    }
    v
}

fn coefficient(k: &lingtan_core::offset::coverage::Coefficient) -> Value {
    json!({
        "id": k.id,
        "dataset": k.dataset,
        "kgce": num(k.kgce),
        "kj": num(k.kj),
        "per": k.unit.to_string(),
        "confirmed": k.confirmed,
        "citation": k.citation,
    })
}

/// Where the energy shares come from: the grid and on-site kWh (each on-site generation source
/// with its generation, export and use) and each carrier as converted to standard coal.
fn energy(r: &OffsetReport) -> Value {
    let e = &r.energy;
    json!({
        "grid_kwh": num(e.grid_kwh),
        "onsite_renewable_kwh": num(e.onsite_renewable_kwh),
        "onsite": e.onsite.iter().map(|o| json!({
            "where": o.place,
            "generation_kwh": num(o.generation_kwh),
            "exported_kwh": opt(o.exported_kwh),
            "used_kwh": opt(o.used_kwh),
            "records": o.records,
        })).collect::<Vec<_>>(),
        "electricity": coefficient(&e.electricity),
        "carriers": r.summary.carriers.iter().map(|c| json!({
            "where": c.name,
            "quantity": num(c.quantity),
            "unit": c.unit.to_string(),
            "converted": num(c.converted),
            "density": c.density.as_ref().map(|d| json!({
                "id": d.id,
                "kg_per_l": num(d.kg_per_l),
                "verified": d.verified,
                "default": d.default,
            })),
            "coefficient": coefficient(&c.coefficient),
            "tce": num(c.tce),
            "gj": num(c.gj),
        })).collect::<Vec<_>>(),
    })
}
