//! The `factor` and `fuel_property` tables: emission factors and the fuel properties (NCV,
//! density) that convert a fuel's quantity, both versioned by (id, version) with their citation.
//! A new version never replaces an old one: an old inventory stays traceable to what it used.

use crate::error::{Result, StoreError};
use crate::registry::{versioned_key, Table};
use crate::value::{
    bad, dec, in_record, opt_dec, opt_text, payload, payload_value, read_rows, text, unit,
};
use crate::Store;
use lingtan_core::factor::{
    EmissionFactor, FactorCategory, FuelProperty, FuelUse, GridRole, Origin, PropertyKind,
};
use rusqlite::{params, OptionalExtension, Row};
use std::collections::BTreeMap;

pub(crate) const FACTOR_SELECT: &str = "SELECT id, version, name, name_zh, dataset, category, role, region, fuel, fuel_use, year, published, unit, gases, co2e, licence, citation, verified, verification_note, uncertainty_pct, is_default, origin FROM factor ORDER BY id, version";

pub(crate) const PROPERTY_SELECT: &str = "SELECT id, version, fuel, kind, value, unit, per_unit, citation, verified, verification_note, is_default, origin FROM fuel_property ORDER BY id, version";

/// Audited; part of the data fingerprint.
pub(crate) const FACTORS: Table<EmissionFactor> = Table {
    entity: "factor",
    select: FACTOR_SELECT,
    key: versioned_key,
    read: factor_from_row,
    place: |f| format!("factor {} v{}", f.id, f.version),
    payload: factor_payload,
    fingerprint: true,
};

/// Audited; part of the data fingerprint.
pub(crate) const PROPERTIES: Table<FuelProperty> = Table {
    entity: "fuel_property",
    select: PROPERTY_SELECT,
    key: versioned_key,
    read: property_from_row,
    place: |p| format!("fuel property {} v{}", p.id, p.version),
    payload: property_payload,
    fingerprint: true,
};

pub(crate) fn factor_from_row(r: &Row<'_>) -> Result<EmissionFactor> {
    let version: u32 = r.get(1)?;
    let id = text(r, 0, "factor.id")?;
    (|| {
        let category = text(r, 5, "factor.category")?;
        let role = opt_text(r, 6, "factor.role")?;
        let fuel_use = opt_text(r, 9, "factor.fuel_use")?;
        let u = text(r, 12, "factor.unit")?;
        let gases_text = text(r, 13, "factor.gases")?;
        let origin = text(r, 21, "factor.origin")?;
        let raw: BTreeMap<String, String> =
            serde_json::from_str(&gases_text).map_err(|e| bad("factor.gases", &gases_text, e))?;
        let mut gases = BTreeMap::new();
        for (g, v) in raw {
            gases.insert(g, dec("factor.gases", &v)?);
        }
        Ok(EmissionFactor {
            id: id.clone(),
            version,
            name: text(r, 2, "factor.name")?,
            name_zh: opt_text(r, 3, "factor.name_zh")?,
            dataset: text(r, 4, "factor.dataset")?,
            category: FactorCategory::parse(&category)
                .ok_or_else(|| bad("factor.category", &category, "unknown category"))?,
            role: role
                .map(|t| GridRole::parse(&t).ok_or_else(|| bad("factor.role", &t, "unknown role")))
                .transpose()?,
            region: opt_text(r, 7, "factor.region")?,
            fuel: opt_text(r, 8, "factor.fuel")?,
            fuel_use: fuel_use
                .map(|t| {
                    FuelUse::parse(&t).ok_or_else(|| bad("factor.fuel_use", &t, "unknown use"))
                })
                .transpose()?,
            year: r.get(10)?,
            published: opt_text(r, 11, "factor.published")?,
            unit: unit("factor.unit", &u)?,
            gases,
            co2e: opt_dec("factor.co2e", opt_text(r, 14, "factor.co2e")?)?,
            licence: text(r, 15, "factor.licence")?,
            citation: text(r, 16, "factor.citation")?,
            verified: r.get(17)?,
            verification_note: opt_text(r, 18, "factor.verification_note")?,
            uncertainty_pct: opt_dec(
                "factor.uncertainty_pct",
                opt_text(r, 19, "factor.uncertainty_pct")?,
            )?,
            is_default: r.get(20)?,
            origin: parse_origin(&origin)?,
        })
    })()
    .map_err(|e| in_record(e, || format!("factor {id} v{version}")))
}

pub(crate) fn property_from_row(r: &Row<'_>) -> Result<FuelProperty> {
    let version: u32 = r.get(1)?;
    let id = text(r, 0, "fuel_property.id")?;
    (|| {
        let kind = text(r, 3, "fuel_property.kind")?;
        let value = text(r, 4, "fuel_property.value")?;
        let u = text(r, 5, "fuel_property.unit")?;
        let per = text(r, 6, "fuel_property.per_unit")?;
        let origin = text(r, 11, "fuel_property.origin")?;
        Ok(FuelProperty {
            id: id.clone(),
            version,
            fuel: text(r, 2, "fuel_property.fuel")?,
            kind: PropertyKind::parse(&kind)
                .ok_or_else(|| bad("fuel_property.kind", &kind, "unknown kind"))?,
            value: dec("fuel_property.value", &value)?,
            unit: unit("fuel_property.unit", &u)?,
            per_unit: unit("fuel_property.per_unit", &per)?,
            citation: text(r, 7, "fuel_property.citation")?,
            verified: r.get(8)?,
            verification_note: opt_text(r, 9, "fuel_property.verification_note")?,
            is_default: r.get(10)?,
            origin: parse_origin(&origin)?,
        })
    })()
    .map_err(|e| in_record(e, || format!("fuel property {id} v{version}")))
}

fn parse_origin(text: &str) -> Result<Origin> {
    match text {
        "library" => Ok(Origin::Library),
        "user" => Ok(Origin::User),
        other => Err(bad("origin", other, "unknown origin")),
    }
}

fn origin_code(o: Origin) -> &'static str {
    match o {
        Origin::Library => "library",
        Origin::User => "user",
    }
}

fn gases_json(f: &EmissionFactor) -> String {
    let map: BTreeMap<&str, String> = f
        .gases
        .iter()
        .map(|(g, v)| (g.as_str(), v.to_string()))
        .collect();
    payload(&map)
}

pub(crate) fn factor_payload(f: &EmissionFactor) -> String {
    payload_value(serde_json::json!({
        "id": f.id,
        "version": f.version,
        "name": f.name,
        "name_zh": f.name_zh,
        "dataset": f.dataset,
        "category": f.category.code(),
        "role": f.role.map(GridRole::code),
        "region": f.region,
        "fuel": f.fuel,
        "fuel_use": f.fuel_use.map(FuelUse::code),
        "year": f.year,
        "published": f.published,
        "unit": f.unit.code(),
        "gases": gases_json(f),
        "co2e": f.co2e.map(|d| d.to_string()),
        "licence": f.licence,
        "citation": f.citation,
        "verified": f.verified,
        "verification_note": f.verification_note,
        "uncertainty_pct": f.uncertainty_pct.map(|d| d.to_string()),
        "is_default": f.is_default,
        "origin": origin_code(f.origin),
    }))
}

pub(crate) fn property_payload(p: &FuelProperty) -> String {
    payload_value(serde_json::json!({
        "id": p.id,
        "version": p.version,
        "fuel": p.fuel,
        "kind": p.kind.code(),
        "value": p.value.to_string(),
        "unit": p.unit.code(),
        "per_unit": p.per_unit.code(),
        "citation": p.citation,
        "verified": p.verified,
        "verification_note": p.verification_note,
        "is_default": p.is_default,
        "origin": origin_code(p.origin),
    }))
}

impl Store {
    /// Every version of every factor.
    pub fn factors(&self) -> Result<Vec<EmissionFactor>> {
        read_rows(&self.conn, FACTOR_SELECT, [], factor_from_row)
    }

    /// Every version of every fuel property.
    pub fn properties(&self) -> Result<Vec<FuelProperty>> {
        read_rows(&self.conn, PROPERTY_SELECT, [], property_from_row)
    }

    /// Add factors and properties (a library load or a user factor) in one transaction. A factor
    /// whose (id, version) exists is refused.
    pub fn add_factors(
        &mut self,
        factors: &[EmissionFactor],
        properties: &[FuelProperty],
        action: &str,
        at: &str,
    ) -> Result<()> {
        self.write(at, |tx, audit, at| {
            for f in factors {
                let exists: bool = tx
                    .query_row("SELECT 1 FROM factor WHERE id = ?1 AND version = ?2", params![f.id, f.version], |_| Ok(true))
                    .optional()?
                    .unwrap_or(false);
                if exists {
                    return Err(StoreError::Duplicate { what: "factor", name: format!("{} v{}", f.id, f.version) });
                }
                tx.prepare_cached(
                    "INSERT INTO factor (id, version, name, name_zh, dataset, category, role, region, fuel, fuel_use, year, published, unit, gases, co2e, licence, citation, verified, verification_note, uncertainty_pct, is_default, origin) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22)",
                )?
                .execute(params![
                    f.id,
                    f.version,
                    f.name,
                    f.name_zh,
                    f.dataset,
                    f.category.code(),
                    f.role.map(GridRole::code),
                    f.region,
                    f.fuel,
                    f.fuel_use.map(FuelUse::code),
                    f.year,
                    f.published,
                    f.unit.code(),
                    gases_json(f),
                    f.co2e.map(|d| d.to_string()),
                    f.licence,
                    f.citation,
                    f.verified,
                    f.verification_note,
                    f.uncertainty_pct.map(|d| d.to_string()),
                    f.is_default,
                    origin_code(f.origin),
                ])?;
                audit.append(tx, at, action, "factor", &format!("{}@{}", f.id, f.version), &factor_payload(f))?;
            }
            for p in properties {
                tx.prepare_cached(
                    "INSERT INTO fuel_property (id, version, fuel, kind, value, unit, per_unit, citation, verified, verification_note, is_default, origin) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                )?
                .execute(params![
                    p.id,
                    p.version,
                    p.fuel,
                    p.kind.code(),
                    p.value.to_string(),
                    p.unit.code(),
                    p.per_unit.code(),
                    p.citation,
                    p.verified,
                    p.verification_note,
                    p.is_default,
                    origin_code(p.origin),
                ])
                .map_err(|e| match e {
                    rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::ConstraintViolation => {
                        StoreError::Duplicate { what: "fuel property", name: format!("{} v{}", p.id, p.version) }
                    }
                    e => e.into(),
                })?;
                audit.append(tx, at, action, "fuel_property", &format!("{}@{}", p.id, p.version), &property_payload(p))?;
            }
            Ok(())
        })
    }
}
