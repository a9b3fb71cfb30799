//! The `reduction_setting` table: the reduction step's project settings, one row (id 1) once any
//! is set — the discount rate, the carbon price and the base-year significance threshold. `None`
//! is the default (8 %, no carbon price, 5 %). Changed in place like the project settings, every
//! change logged with the whole row, so the log holds every value it ever had.

use crate::error::Result;
use crate::registry::Table;
use crate::value::{in_record, opt_dec, opt_text, payload_value, read_rows};
use crate::Store;
use lingtan_core::Decimal;
use rusqlite::{params, Row};
use serde::Serialize;

/// The reduction step's settings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ReductionSettings {
    /// Per cent, in [0, 100); `None`: 8 %.
    pub discount_rate_pct: Option<Decimal>,
    /// CNY per tCO2e, drawn on the MACC; `None`: no line.
    pub carbon_price: Option<Decimal>,
    /// Per cent, in (0, 100]; `None`: 5 %.
    pub significance_pct: Option<Decimal>,
}

pub(crate) const SELECT: &str =
    "SELECT discount_rate_pct, carbon_price, significance_pct FROM reduction_setting WHERE id = 1";

/// Audited; not part of the data fingerprint.
pub(crate) const TABLE: Table<ReductionSettings> = Table {
    entity: "reduction_setting",
    select: SELECT,
    key: |_| Ok("1".into()),
    read: from_row,
    place: |_| "reduction settings".into(),
    payload: payload_of,
    fingerprint: false,
};

pub(crate) fn from_row(r: &Row<'_>) -> Result<ReductionSettings> {
    (|| {
        Ok(ReductionSettings {
            discount_rate_pct: opt_dec(
                "reduction_setting.discount_rate_pct",
                opt_text(r, 0, "reduction_setting.discount_rate_pct")?,
            )?,
            carbon_price: opt_dec(
                "reduction_setting.carbon_price",
                opt_text(r, 1, "reduction_setting.carbon_price")?,
            )?,
            significance_pct: opt_dec(
                "reduction_setting.significance_pct",
                opt_text(r, 2, "reduction_setting.significance_pct")?,
            )?,
        })
    })()
    .map_err(|e| in_record(e, || "reduction settings".into()))
}

pub(crate) fn payload_of(s: &ReductionSettings) -> String {
    payload_value(serde_json::json!({
        "discount_rate_pct": s.discount_rate_pct.map(|d| d.to_string()),
        "carbon_price": s.carbon_price.map(|d| d.to_string()),
        "significance_pct": s.significance_pct.map(|d| d.to_string()),
    }))
}

impl Store {
    /// The reduction settings (all `None` until one is set).
    pub fn reduction_settings(&self) -> Result<ReductionSettings> {
        Ok(read_rows(&self.conn, SELECT, [], from_row)?
            .pop()
            .unwrap_or_default())
    }

    /// Replace the reduction settings, logged with the whole row.
    pub fn set_reduction_settings(&mut self, settings: &ReductionSettings, at: &str) -> Result<()> {
        let exists = !read_rows(&self.conn, SELECT, [], from_row)?.is_empty();
        self.write(at, |tx, audit, at| {
            let values = params![
                settings.discount_rate_pct.map(|d| d.to_string()),
                settings.carbon_price.map(|d| d.to_string()),
                settings.significance_pct.map(|d| d.to_string())
            ];
            if exists {
                tx.execute(
                    "UPDATE reduction_setting SET discount_rate_pct = ?1, carbon_price = ?2, significance_pct = ?3 WHERE id = 1",
                    values,
                )?;
            } else {
                tx.execute(
                    "INSERT INTO reduction_setting (id, discount_rate_pct, carbon_price, significance_pct) VALUES (1, ?1, ?2, ?3)",
                    values,
                )?;
            }
            audit.append(
                tx,
                at,
                if exists { "update" } else { "create" },
                "reduction_setting",
                "1",
                &payload_of(settings),
            )?;
            Ok(())
        })
    }
}
