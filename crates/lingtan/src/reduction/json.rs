//! The stable JSON of the reduction step: `lingtan reduction --json`, the lists of `output`,
//! `target` and `measure`, and the inventory's `intensity` array.
//!
//! As the inventory's JSON: decimals are strings (tonnes and CNY to at most 6 decimals, trailing
//! zeros dropped; see [`crate::json::num`]), money in CNY, percentages as per cent (`"8"` is
//! 8 %). A value that cannot be computed is `null` and an issue says why — never zero. New keys
//! may be added; existing keys keep their meaning.
//!
//! `lingtan reduction --json`:
//!
//! ```text
//! {year, basis, base_year, discount_rate, carbon_price,
//!  targets: [{name, scopes, scope2, kind, metric, unit, pathway, base_year, target_year,
//!             base_tco2e, target_tco2e, reduction_pct, base_intensity, target_intensity,
//!             base_changed: {was, now, change_pct, significant}|null,
//!             trajectory: [{year, allowed_tco2e, actual_tco2e, projected_tco2e, status, gap_tco2e}],
//!             status, gap_tco2e, planned_tco2e_in_target_year, projected_tco2e_in_target_year}],
//!  measures: [{name, kind, status, start, meter, inputs, formula: {en, zh}|null,
//!              changes: [{source, quantity, unit}], switches: [{source, activity, unit, to}],
//!              abatement_tco2e, abatement_location_tco2e, abatement_market_tco2e,
//!              capex, opex, savings, lifetime, crf, annualised_cost, mac, npv, payback_years,
//!              achieved_tco2e, achieved_method}],
//!  macc: [measure names, in order],
//!  decomposition: {from_year, to_year, from_tco2e, to_tco2e, change_tco2e, volume_tco2e, intensity_tco2e,
//!                  activity_tco2e, factor_tco2e,
//!                  sources: [{source, change_tco2e, volume_tco2e, intensity_tco2e,
//!                             activity_tco2e, factor_tco2e}]}|null,
//!  recalculations: [{target, base_year, was_tco2e, now_tco2e, change_pct, significant, reason, recorded_at}],
//!  prices: [{source, cny, per, origin, year?, records?}],
//!  intensity: [...], issues: [{code, severity, message, where}], fingerprint, audit_head}
//! ```
//!
//! `abatement_tco2e`, `mac` and `achieved_tco2e` are on `basis` (market unless asked). Without
//! output data the decomposition's `volume_tco2e` and `intensity_tco2e` are null and
//! `activity_tco2e` holds what is not the factor effect.

use super::{Intensity, MeasureLine, MeasureReport, OutputLine, ReductionReport, TargetReport};
use crate::json::num;
use lingtan_core::reduction::measure::InputValue;
use lingtan_core::reduction::target::Target;
use lingtan_core::{Decimal, Issue, Lang};
use lingtan_store::TargetRow;
use serde_json::{json, Value};

fn n(d: Option<Decimal>) -> Value {
    d.map_or(Value::Null, |v| Value::String(num(v)))
}

fn s(d: Decimal) -> Value {
    Value::String(num(d))
}

fn issues(list: &[Issue], lang: Lang) -> Value {
    Value::Array(
        list.iter()
            .map(|i| json!({"code": i.code, "severity": i.severity.code(), "message": i.message(lang), "where": i.place}))
            .collect(),
    )
}

/// A target's own fields, as set (the list and the report share them).
fn target_fields(t: &Target) -> serde_json::Map<String, Value> {
    let mut m = serde_json::Map::new();
    m.insert("name".into(), json!(t.name));
    m.insert("scopes".into(), json!(t.scopes.code()));
    m.insert("scope2".into(), json!(t.scope2.code()));
    m.insert("kind".into(), json!(t.kind));
    m.insert(
        "metric".into(),
        json!(t.metric.as_ref().map(|x| x.name.clone())),
    );
    m.insert(
        "unit".into(),
        json!(t.metric.as_ref().map(|x| x.unit.code())),
    );
    m.insert("pathway".into(), json!(t.pathway.as_ref().map(|p| p.id)));
    m.insert("base_year".into(), json!(t.base_year));
    m.insert("target_year".into(), json!(t.target_year));
    m.insert("base_tco2e".into(), s(t.base_tco2e));
    m.insert("reduction_pct".into(), s(t.reduction_pct));
    m.insert("base_output".into(), n(t.base_output));
    m.insert("base_intensity".into(), n(t.base_intensity()));
    m.insert("target_intensity".into(), n(t.target_intensity()));
    m
}

fn target(r: &TargetReport) -> Value {
    let t = &r.target;
    let mut m = target_fields(t);
    m.insert("target_tco2e".into(), n(r.target_tco2e));
    m.insert(
        "base_changed".into(),
        r.base_change.as_ref().map_or(Value::Null, |c| {
            json!({"was": s(c.was), "now": s(c.now), "change_pct": s(c.change_pct), "significant": c.significant})
        }),
    );
    let trajectory: Vec<Value> = r
        .assessment
        .trajectory
        .iter()
        .map(|y| {
            let projected = r
                .plan
                .years
                .iter()
                .find(|p| p.year == y.year)
                .and_then(|p| p.projected_tco2e);
            json!({
                "year": y.year,
                "allowed_tco2e": n(y.allowed_tco2e),
                "actual_tco2e": n(y.actual_tco2e),
                "projected_tco2e": n(projected),
                "status": y.status,
                "gap_tco2e": n(y.gap_tco2e),
            })
        })
        .collect();
    m.insert("trajectory".into(), Value::Array(trajectory));
    m.insert("status".into(), json!(r.assessment.status));
    m.insert("gap_tco2e".into(), n(r.assessment.gap_tco2e));
    m.insert(
        "planned_tco2e_in_target_year".into(),
        n(r.plan.planned_tco2e_in_target_year),
    );
    m.insert(
        "projected_tco2e_in_target_year".into(),
        n(r.plan.projected_tco2e_in_target_year),
    );
    Value::Object(m)
}

fn measure(r: &MeasureReport) -> Value {
    let x = r.result.as_ref();
    let changes: Vec<Value> = x
        .map(|x| {
            x.changes
                .iter()
                .map(|c| json!({"source": c.source, "quantity": s(c.quantity), "unit": c.unit.code()}))
                .collect()
        })
        .unwrap_or_default();
    let switches: Vec<Value> = x
        .map(|x| {
            x.switches
                .iter()
                .map(|w| json!({"source": w.source, "activity": s(w.activity), "unit": w.unit.code(), "from": w.from, "to": w.to.id}))
                .collect()
        })
        .unwrap_or_default();
    let inputs: serde_json::Map<String, Value> = r
        .inputs
        .iter()
        .map(|(k, v)| (k.clone(), Value::String(v.clone())))
        .collect();
    json!({
        "name": r.name,
        "kind": r.kind,
        "status": r.status,
        "start": r.start.map(|m| m.to_string()),
        "meter": r.meter,
        "inputs": inputs,
        "formula": x.and_then(|x| x.formula.as_ref()).map(|f| json!({"en": f.en, "zh": f.zh})),
        "changes": changes,
        "switches": switches,
        "abatement_tco2e": n(x.and_then(|x| x.abatement_tco2e)),
        "abatement_location_tco2e": n(x.and_then(|x| x.abatement_location_tco2e)),
        "abatement_market_tco2e": n(x.and_then(|x| x.abatement_market_tco2e)),
        "capex": n(x.map(|x| x.capex)),
        "opex": n(x.map(|x| x.opex)),
        "savings": n(x.and_then(|x| x.savings)),
        "lifetime": x.map(|x| x.lifetime),
        "crf": n(x.map(|x| x.crf)),
        "annualised_cost": n(x.and_then(|x| x.annualised_cost)),
        "mac": n(x.and_then(|x| x.mac)),
        "npv": n(x.and_then(|x| x.npv)),
        "payback_years": n(x.and_then(|x| x.payback_years)),
        "achieved_tco2e": n(x.and_then(|x| x.achieved_tco2e)),
        "achieved_method": r.achieved.as_ref().map(|a| a.method),
    })
}

/// `lingtan reduction --json`.
pub fn report(r: &ReductionReport, lang: Lang) -> Value {
    let decomposition = r.decomposition.as_ref().map(|d| {
        let sources: Vec<Value> = d
            .sources
            .iter()
            .map(|x| {
                json!({
                    "source": x.source,
                    "change_tco2e": s(x.change_tco2e),
                    "volume_tco2e": n(x.volume_tco2e),
                    "intensity_tco2e": n(x.intensity_tco2e),
                    "activity_tco2e": n(x.activity_tco2e),
                    "factor_tco2e": s(x.factor_tco2e),
                })
            })
            .collect();
        json!({
            "from_year": d.from_year,
            "to_year": d.to_year,
            "from_tco2e": n(r.decomposed_tco2e.map(|t| t.0)),
            "to_tco2e": n(r.decomposed_tco2e.map(|t| t.1)),
            "change_tco2e": s(d.change_tco2e),
            "volume_tco2e": n(d.volume_tco2e),
            "intensity_tco2e": n(d.intensity_tco2e),
            "activity_tco2e": n(d.activity_tco2e),
            "factor_tco2e": s(d.factor_tco2e),
            "sources": sources,
        })
    });
    let recalculations: Vec<Value> = r
        .recalculations
        .iter()
        .map(|x| {
            json!({
                "target": x.target,
                "base_year": x.base_year,
                "was_tco2e": s(x.was_tco2e),
                "now_tco2e": s(x.now_tco2e),
                "change_pct": s(x.change_pct),
                "significant": x.significant,
                "reason": x.reason,
                "recorded_at": x.recorded_at,
            })
        })
        .collect();
    json!({
        "year": r.year,
        "basis": r.basis,
        "base_year": r.base_year,
        "discount_rate": s(r.discount_rate.pct()),
        "carbon_price": n(r.carbon_price),
        "targets": r.targets.iter().map(target).collect::<Vec<_>>(),
        "measures": r.measures.iter().map(measure).collect::<Vec<_>>(),
        "macc": r.macc.order(),
        "decomposition": decomposition,
        "recalculations": recalculations,
        "prices": serde_json::to_value(&r.prices).unwrap_or(Value::Null),
        "intensity": intensity(&r.intensity),
        "issues": issues(&r.issues, lang),
        "fingerprint": r.fingerprint,
        "audit_head": r.audit_head,
    })
}

/// The inventory's `intensity` array: `[{metric, unit, quantity, tco2e_location_per_unit,
/// tco2e_market_per_unit}]`, per unit to at most 6 decimals (a per-unit figure below a gram
/// keeps its digits: it is written in full).
pub fn intensity(list: &[Intensity]) -> Value {
    Value::Array(
        list.iter()
            .map(|i| {
                let per = |d: Option<Decimal>| {
                    d.map_or(Value::Null, |v| {
                        let r = num(v);
                        // a small intensity (t per piece) must not read as zero
                        if r == "0" && !v.is_zero() {
                            Value::String(v.normalize().to_string())
                        } else {
                            Value::String(r)
                        }
                    })
                };
                json!({
                    "metric": i.metric,
                    "unit": i.unit.code(),
                    "quantity": s(i.quantity),
                    "tco2e_location_per_unit": per(i.tco2e_location_per_unit),
                    "tco2e_market_per_unit": per(i.tco2e_market_per_unit),
                })
            })
            .collect(),
    )
}

/// `lingtan output list --json`.
pub fn outputs(list: &[OutputLine]) -> Value {
    Value::Array(
        list.iter()
            .map(|o| {
                json!({
                    "id": o.row.id,
                    "version": o.row.version,
                    "metric": o.row.metric,
                    "year": o.row.year,
                    "month": o.row.month.map(|m| format!("{}-{m:02}", o.row.year)),
                    "site": o.site,
                    "quantity": o.row.quantity.to_string(),
                    "unit": o.row.unit.code(),
                    "note": o.row.note,
                })
            })
            .collect(),
    )
}

/// `lingtan target list --json`: each target as set (its trajectory is `reduction`'s).
pub fn targets(list: &[TargetRow]) -> Value {
    Value::Array(
        list.iter()
            .map(|t| {
                let mut m = target_fields(&t.target);
                m.insert("version".into(), json!(t.version));
                m.insert("target_tco2e".into(), n(t.target.target_tco2e()));
                m.insert("base_fingerprint".into(), json!(t.target.base_fingerprint));
                m.insert("set_at".into(), json!(t.created_at));
                Value::Object(m)
            })
            .collect(),
    )
}

/// `lingtan measure list --json`: each measure as recorded (its figures are `reduction`'s).
pub fn measures(list: &[MeasureLine]) -> Value {
    Value::Array(
        list.iter()
            .map(|l| {
                let m = &l.measure;
                let inputs: serde_json::Map<String, Value> = m
                    .inputs
                    .iter()
                    .map(|(k, v)| {
                        let text = match v {
                            InputValue::Number(d) => d.normalize().to_string(),
                            InputValue::Text(t) => t.clone(),
                        };
                        (k.clone(), Value::String(text))
                    })
                    .collect();
                let sources: serde_json::Map<String, Value> = m
                    .sources
                    .iter()
                    .map(|(r, s)| (r.code().to_string(), Value::String(s.clone())))
                    .collect();
                json!({
                    "name": m.name,
                    "version": l.version,
                    "kind": m.kind,
                    "status": m.status,
                    "start": m.start.map(|s| s.to_string()),
                    "inputs": inputs,
                    "sources": sources,
                    "changes": m.changes.iter().map(|c| json!({"source": c.source, "quantity": c.quantity.to_string(), "unit": c.unit.code()})).collect::<Vec<_>>(),
                    "capex": m.capex.to_string(),
                    "opex": m.opex.to_string(),
                    "lifetime": m.lifetime,
                    "meter": m.meter,
                    "reason": l.reason,
                })
            })
            .collect(),
    )
}
