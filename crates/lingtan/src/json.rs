//! The stable JSON shapes of `lingtan factors --json` and `lingtan inventory --json`.
//!
//! Decimals are JSON strings. Emission figures are tonnes (tCO2e, or tonnes of the gas) and
//! factor amounts are kg per unit of activity. Figures are rounded half-to-even to 6 decimal
//! places (one gram) from unrounded sums, and trailing zeros are dropped; nothing else is
//! rounded. New keys may be added; existing keys keep their meaning.

use crate::InventoryReport;
use lingtan_core::calc::MarketBasis;
use lingtan_core::factor::EmissionFactor;
use lingtan_core::{Decimal, Lang};
use rust_decimal::RoundingStrategy;
use serde_json::{json, Map, Value};

/// A decimal as it appears in JSON: at most 6 decimals, no trailing zeros, never "-0".
pub fn num(d: Decimal) -> String {
    let r = d
        .round_dp_with_strategy(6, RoundingStrategy::MidpointNearestEven)
        .normalize();
    if r.is_zero() {
        "0".to_string()
    } else {
        r.to_string()
    }
}

/// A factor as listed by `lingtan factors --json`.
pub fn factor(f: &EmissionFactor) -> Value {
    let gases: Map<String, Value> = f
        .gases
        .iter()
        .map(|(g, v)| (g.clone(), Value::String(v.normalize().to_string())))
        .collect();
    let mut v = json!({
        "id": f.id,
        "version": f.version,
        "name": f.name,
        "name_zh": f.name_zh,
        "dataset": f.dataset,
        "region": f.region,
        "year": f.year,
        "unit": f.unit.code(),
        "gases": gases,
        "citation": f.citation,
        "licence": f.licence,
        "verified": f.verified,
        "category": f.category.code(),
        "fuel": f.fuel,
        "origin": match f.origin { lingtan_core::factor::Origin::Library => "library", lingtan_core::factor::Origin::User => "user" },
    });
    if let Some(co2e) = f.co2e {
        v["co2e"] = Value::String(co2e.normalize().to_string());
    }
    if let Some(role) = f.role {
        v["role"] = Value::String(role.code().to_string());
    }
    v
}

/// The inventory as printed by `lingtan inventory --json`.
pub fn inventory(report: &InventoryReport, lang: Lang) -> Value {
    let inv = &report.inventory;
    let t = &inv.totals;
    let categories: Map<String, Value> = inv
        .categories
        .iter()
        .map(|(c, v)| (c.to_string(), Value::String(num(*v))))
        .collect();
    let sources: Vec<Value> = inv
        .sources
        .iter()
        .map(|s| {
            let gases: Map<String, Value> = s
                .gases
                .iter()
                .map(|(g, v)| (g.clone(), Value::String(num(*v))))
                .collect();
            let mut v = json!({
                "site": s.site,
                "source": s.source,
                "kind": s.kind,
                "scope": s.scope,
                "category": s.category,
                "quantity": num(s.quantity),
                "unit": s.unit.code(),
                "factor": s.factor.as_ref().map(|f| f.id.clone()),
                "factor_version": s.factor.as_ref().map(|f| f.version),
                "market_factor": s.market_factor.as_ref().map(|f| f.id.clone()),
                "market_basis": s.market_basis,
                "properties": s.properties.iter().map(|p| p.id.clone()).collect::<Vec<_>>(),
                "tco2e": num(s.tco2e),
                "tco2e_market": num(s.tco2e_market),
                "gases": gases,
                "non_kyoto_tco2e": num(s.non_kyoto_tco2e),
                "biogenic_co2": num(s.biogenic_co2),
                "records": s.records,
                "uncertainty_pct": s.uncertainty_pct.map(num),
            });
            // the certificates' part, only where they cover the source (the shape of a project
            // without certificates is unchanged)
            if s.market_basis == Some(MarketBasis::Eac) {
                v["eac_kwh"] = Value::String(num(s.eac_kwh));
                v["uncovered_basis"] =
                    serde_json::to_value(s.uncovered_basis).unwrap_or(Value::Null);
            }
            v
        })
        .collect();
    let issues: Vec<Value> = inv
        .issues
        .iter()
        .map(|i| json!({"code": i.code, "severity": i.severity.code(), "message": i.message(lang), "where": i.place}))
        .collect();
    let months: Vec<Value> = inv
        .months
        .iter()
        .map(|m| {
            let mut v = json!({"month": m.month, "scope1": num(m.scope1), "scope2_location": num(m.scope2_location), "scope2_market": num(m.scope2_market), "scope3": num(m.scope3)});
            // a period that is not a calendar year names each month's year
            if let Some(y) = m.year {
                v["year"] = json!(y);
            }
            v
        })
        .collect();
    let sites: Vec<Value> = inv
        .sites
        .iter()
        .map(|s| json!({"site": s.site, "scope1": num(s.scope1), "scope2_location": num(s.scope2_location), "scope2_market": num(s.scope2_market), "scope3": num(s.scope3), "total_location": num(s.total_location), "total_market": num(s.total_market)}))
        .collect();
    let gases: Vec<Value> = inv
        .gases
        .iter()
        .map(|g| json!({"gas": g.gas, "basket": g.basket, "tonnes": num(g.tonnes), "tco2e": num(g.tco2e), "gwp": g.gwp.map(|v| v.normalize().to_string())}))
        .collect();
    let u = &inv.uncertainty;
    let mut v = json!({
        "year": inv.year,
        "gwp": inv.gwp.code(),
        "organisation": report.org_name,
        "totals": {
            "scope1": num(t.scope1),
            "scope2_location": num(t.scope2_location),
            "scope2_market": num(t.scope2_market),
            "scope3": num(t.scope3),
            "biogenic_co2": num(t.biogenic_co2),
            "total_location": num(t.total_location),
            "total_market": num(t.total_market),
            "non_kyoto": num(t.non_kyoto),
        },
        "categories": categories,
        "category2_market": num(inv.category2_market),
        "sources": sources,
        "sites": sites,
        "months": months,
        "gases": gases,
        "uncertainty": {
            "scope1_pct": u.scope1_pct.map(num),
            "scope2_location_pct": u.scope2_location_pct.map(num),
            "scope2_market_pct": u.scope2_market_pct.map(num),
            "scope3_pct": u.scope3_pct.map(num),
            "total_location_pct": u.total_location_pct.map(num),
            "not_assessed": u.not_assessed,
        },
        "issues": issues,
        "fingerprint": report.fingerprint,
        "audit_head": report.audit_head,
    });
    // a claim period that is not a calendar year (`--from` … `--to`): `year` is the year it ends
    // (whose factors and certificates are used)
    if let Some(p) = &inv.period {
        v["period"] = json!({"from": p.from.to_string(), "to": p.to.to_string(), "days": (p.to - p.from).num_days() + 1});
    }
    v
}

/// The result of `lingtan import --json`.
pub fn import(report: &crate::import::ImportReport, lang: Lang) -> Value {
    let issues: Vec<Value> = report
        .issues
        .iter()
        .map(|i| json!({"code": i.code, "severity": i.severity.code(), "message": i.message(lang), "sheet": i.sheet, "row": i.row, "column": i.column, "cell": i.cell}))
        .collect();
    let totals: Vec<Value> = report.totals.iter().map(|t| json!({"source": t.source, "unit": t.unit, "quantity": t.quantity.normalize().to_string()})).collect();
    json!({
        "batch": report.batch,
        "file": report.file,
        "sha256": report.sha256,
        "rows": {"accepted": report.rows.accepted, "rejected": report.rows.rejected},
        "totals": totals,
        "issues": issues,
        "kind": report.kind,
        "mappings": report.mappings,
        "intervals": report.intervals,
        "months": report.months,
    })
}
