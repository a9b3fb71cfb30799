//! The clock: where timestamps come from. Passed in, so that logic never reads it; fixed by
//! `LINGTAN_NOW` for tests and reproducible files.

use crate::{Error, Result};
use std::sync::Arc;

/// Where timestamps come from (RFC 3339 UTC). Passed in so that logic never reads the clock.
pub type Clock = Arc<dyn Fn() -> String + Send + Sync>;

/// The variable that fixes the clock (tests, reproducible files). While it is set, every audit
/// entry written records that its time came from it, not from the computer's clock.
pub const FIXED_CLOCK: &str = "LINGTAN_NOW";

/// The time `LINGTAN_NOW` fixes, normalised to RFC 3339 UTC: `None` when it is not set (or
/// empty); a refusal naming the variable when it is not a valid RFC 3339 time.
pub fn fixed_time() -> Result<Option<String>> {
    let refuse = |shown: &str| {
        Error::new(
            "BAD_CLOCK",
            FIXED_CLOCK.to_string(),
            format!("{FIXED_CLOCK}='{shown}' is not a valid RFC 3339 time (e.g. 2025-03-15T09:00:00Z); fix or unset the variable — it sets the time of everything recorded"),
            format!("{FIXED_CLOCK}=“{shown}”不是有效的 RFC 3339 时间（如 2025-03-15T09:00:00Z）；请修正或删除该变量——它决定所有记录的时间"),
        )
    };
    let text = match std::env::var(FIXED_CLOCK) {
        Err(std::env::VarError::NotPresent) => return Ok(None),
        Err(std::env::VarError::NotUnicode(v)) => return Err(refuse(&v.to_string_lossy())),
        Ok(t) if t.trim().is_empty() => return Ok(None),
        Ok(t) => t,
    };
    let shown: String = text.chars().take(60).collect();
    let parsed = chrono::DateTime::parse_from_rfc3339(text.trim()).map_err(|_| refuse(&shown))?;
    Ok(Some(
        parsed
            .with_timezone(&chrono::Utc)
            .to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true),
    ))
}

/// The computer's clock, or the time `LINGTAN_NOW` fixes (checked first: an invalid value is a
/// refusal naming the variable). The command line and the desktop app both use it.
pub fn clock_from_env() -> Result<Clock> {
    Ok(match fixed_time()? {
        Some(fixed) => Arc::new(move || fixed.clone()),
        None => Arc::new(|| {
            let secs = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs() as i64)
                .unwrap_or(0);
            chrono::DateTime::from_timestamp(secs, 0)
                .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
                .unwrap_or_default()
        }),
    })
}

/// What the audit entries written now record about their time: `LINGTAN_NOW` while it fixes the
/// clock, nothing while the computer's clock is used.
pub(crate) fn clock_note() -> Result<Option<&'static str>> {
    Ok(fixed_time()?.map(|_| FIXED_CLOCK))
}
