//! Claim periods: any run of whole days, first and last day included.
//!
//! ISO 14068-1 lets an organisation define its period (a twelve-month period is usual); PAS 2060
//! speaks of a defined period; the press reports a zero-carbon claim for July 2022 – June 2023.
//! So a period is any `from ≤ to`; a calendar year is the shorthand `--year`; "twelve months from
//! a day" ends the day before that day's anniversary (`from + 12 months − 1 day`: 2022-07-01 →
//! 2023-06-30; a period from 29 February ends on 28 February, the day before its anniversary,
//! 1 March). Records are pro-rated by days as for a year ([`crate::period`]).
//!
//! A period is refused when it ends after the project's today (a claim covers a period that is
//! over) or reaches beyond the data (the caller passes the first and last day its records cover).
//! Refusals are [`ClaimError`]s, all of them at once.

use super::error::ClaimError;
use crate::offset::YearMonth;
use chrono::{Datelike, NaiveDate};
use serde::{Serialize, Serializer};

const YEARS: std::ops::RangeInclusive<i32> = 1900..=2200;

/// A claim period: `from` to `to`, both days included, `from ≤ to`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ClaimPeriod {
    from: NaiveDate,
    to: NaiveDate,
}

fn check_year(field: &'static str, date: NaiveDate) -> Result<(), ClaimError> {
    if YEARS.contains(&date.year()) {
        Ok(())
    } else {
        Err(ClaimError::BadYear {
            field,
            input: date.year().to_string(),
        })
    }
}

/// Read a day written `YYYY-MM-DD`; `field` names the field in the refusal.
pub fn parse_date(field: &'static str, text: &str) -> Result<NaiveDate, ClaimError> {
    let t = text.trim();
    let bad = || ClaimError::BadDate {
        field,
        input: text.to_string(),
    };
    // only ASCII digits and hyphens: no sign, no full-width digits, no time of day
    if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit() || b == b'-') {
        return Err(bad());
    }
    let mut parts = t.split('-');
    let (Some(y), Some(m), Some(d), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(bad());
    };
    if y.len() != 4 || m.is_empty() || m.len() > 2 || d.is_empty() || d.len() > 2 {
        return Err(bad());
    }
    let (Ok(y), Ok(m), Ok(d)) = (y.parse::<i32>(), m.parse::<u32>(), d.parse::<u32>()) else {
        return Err(bad());
    };
    NaiveDate::from_ymd_opt(y, m, d).ok_or_else(bad)
}

impl ClaimPeriod {
    /// The period `from` to `to`, both included.
    pub fn new(from: NaiveDate, to: NaiveDate) -> Result<ClaimPeriod, ClaimError> {
        check_year("from", from)?;
        check_year("to", to)?;
        if to < from {
            return Err(ClaimError::PeriodReversed { from, to });
        }
        Ok(ClaimPeriod { from, to })
    }

    /// 1 January to 31 December of `year`.
    pub fn calendar_year(year: i32) -> Result<ClaimPeriod, ClaimError> {
        let bad = || ClaimError::BadYear {
            field: "year",
            input: year.to_string(),
        };
        if !YEARS.contains(&year) {
            return Err(bad());
        }
        let from = NaiveDate::from_ymd_opt(year, 1, 1).ok_or_else(bad)?;
        let to = NaiveDate::from_ymd_opt(year, 12, 31).ok_or_else(bad)?;
        ClaimPeriod::new(from, to)
    }

    /// Twelve months from `from`: to the day before its anniversary.
    pub fn twelve_months(from: NaiveDate) -> Result<ClaimPeriod, ClaimError> {
        check_year("from", from)?;
        let to = anniversary(from)
            .and_then(|a| a.pred_opt())
            .ok_or_else(|| ClaimError::BadYear {
                field: "from",
                input: from.year().to_string(),
            })?;
        ClaimPeriod::new(from, to)
    }

    /// Read `--from` and `--to` (`YYYY-MM-DD`).
    pub fn parse(from: &str, to: &str) -> Result<ClaimPeriod, ClaimError> {
        let f = parse_date("from", from)?;
        let t = parse_date("to", to)?;
        ClaimPeriod::new(f, t)
    }

    /// Read `--year` (`2025`).
    pub fn parse_year(text: &str) -> Result<ClaimPeriod, ClaimError> {
        let t = text.trim();
        let year = if t.len() == 4 && t.bytes().all(|b| b.is_ascii_digit()) {
            t.parse::<i32>().ok()
        } else {
            None
        };
        match year {
            Some(y) => ClaimPeriod::calendar_year(y),
            None => Err(ClaimError::BadYear {
                field: "year",
                input: text.to_string(),
            }),
        }
    }

    pub fn from(&self) -> NaiveDate {
        self.from
    }

    pub fn to(&self) -> NaiveDate {
        self.to
    }

    /// Days in the period, both ends included (365 or 366 for twelve months).
    pub fn days(&self) -> i64 {
        (self.to - self.from).num_days() + 1
    }

    /// The period is exactly twelve months from its first day.
    pub fn is_twelve_months(&self) -> bool {
        anniversary(self.from).and_then(|a| a.pred_opt()) == Some(self.to)
    }

    /// The year, when the period is a calendar year.
    pub fn calendar(&self) -> Option<i32> {
        (self.from.month() == 1
            && self.from.day() == 1
            && self.to.year() == self.from.year()
            && self.to.month() == 12
            && self.to.day() == 31)
            .then_some(self.from.year())
    }

    pub fn contains(&self, date: NaiveDate) -> bool {
        self.from <= date && date <= self.to
    }

    /// The calendar months the period touches, in order (the first and last may be partial).
    pub fn months(&self) -> Vec<YearMonth> {
        let first = YearMonth::of(self.from);
        let last = YearMonth::of(self.to);
        let mut months = vec![first];
        let mut m = first;
        while m < last {
            m = m.plus_months(1);
            months.push(m);
        }
        months
    }

    /// `2025` for a calendar year, else `2022-07-01 – 2023-06-30`.
    pub fn label(&self) -> String {
        match self.calendar() {
            Some(y) => y.to_string(),
            None => format!("{} – {}", self.from, self.to),
        }
    }

    /// The refusals of this period for a claim made on `today` with data covering
    /// `data` (first day, last day; `None` when the project has no activity data): empty when it
    /// can be claimed.
    pub fn validate(
        &self,
        today: NaiveDate,
        data: Option<(NaiveDate, NaiveDate)>,
    ) -> Vec<ClaimError> {
        let mut refusals = Vec::new();
        if self.to > today {
            refusals.push(ClaimError::PeriodInFuture { to: self.to, today });
        }
        match data {
            None => refusals.push(ClaimError::PeriodNoData),
            Some((data_from, data_to)) => {
                if self.from < data_from || self.to > data_to {
                    refusals.push(ClaimError::PeriodBeyondData {
                        field: if self.from < data_from { "from" } else { "to" },
                        from: self.from,
                        to: self.to,
                        data_from,
                        data_to,
                    });
                }
            }
        }
        refusals
    }
}

/// The same day a year later; 29 February's is 1 March.
fn anniversary(date: NaiveDate) -> Option<NaiveDate> {
    let year = date.year().checked_add(1)?;
    NaiveDate::from_ymd_opt(year, date.month(), date.day())
        .or_else(|| NaiveDate::from_ymd_opt(year, 3, 1))
}

impl Serialize for ClaimPeriod {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("ClaimPeriod", 4)?;
        st.serialize_field("from", &self.from)?;
        st.serialize_field("to", &self.to)?;
        st.serialize_field("days", &self.days())?;
        st.serialize_field("twelve_months", &self.is_twelve_months())?;
        st.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn twelve_months_end_the_day_before_the_anniversary() {
        for (from, to, days) in [
            ("2022-07-01", "2023-06-30", 365),
            ("2024-01-01", "2024-12-31", 366),
            ("2023-03-01", "2024-02-29", 366),
            ("2024-02-29", "2025-02-28", 366),
            ("2024-03-15", "2025-03-14", 365),
        ] {
            let p = ClaimPeriod::twelve_months(day(from)).unwrap();
            assert_eq!(p.to(), day(to), "twelve months from {from}");
            assert_eq!(p.days(), days, "{from}: whole days, both ends included");
            assert!(
                p.is_twelve_months(),
                "twelve months end the day before the anniversary"
            );
        }
        let short = ClaimPeriod::new(day("2024-03-01"), day("2025-02-27")).unwrap();
        assert!(
            !short.is_twelve_months(),
            "one day short of the anniversary is not twelve months"
        );
        let long = ClaimPeriod::new(day("2024-02-29"), day("2025-03-01")).unwrap();
        assert!(!long.is_twelve_months(), "a day past the anniversary");
    }

    #[test]
    fn a_calendar_year_is_the_shorthand() {
        let p = ClaimPeriod::parse_year("2025").unwrap();
        assert_eq!(
            (p.from(), p.to()),
            (day("2025-01-01"), day("2025-12-31")),
            "a calendar year is the shorthand"
        );
        assert_eq!(p.calendar(), Some(2025), "a calendar year is the shorthand");
        assert_eq!(p.label(), "2025", "a calendar year is the shorthand");
        assert!(p.is_twelve_months(), "a calendar year is the shorthand");
        let odd = ClaimPeriod::parse("2022-07-01", "2023-06-30").unwrap();
        assert_eq!(odd.calendar(), None, "a calendar year is the shorthand");
        assert_eq!(
            odd.label(),
            "2022-07-01 – 2023-06-30",
            "a calendar year is the shorthand"
        );
        for bad in ["25", "2025.0", "１９９９", "", "1899", "2201"] {
            assert_eq!(
                ClaimPeriod::parse_year(bad).unwrap_err().code(),
                "CLAIM_BAD_YEAR",
                "'{bad}' is not a year"
            );
        }
    }

    #[test]
    fn any_run_of_days_but_not_backwards() {
        let p = ClaimPeriod::parse("2025-03-10", "2025-03-10").unwrap();
        assert_eq!(p.days(), 1, "a single day is a period");
        assert_eq!(p.months().len(), 1, "any run of days but not backwards");
        let e = ClaimPeriod::parse("2025-07-01", "2025-06-30").unwrap_err();
        assert_eq!(
            e.code(),
            "CLAIM_PERIOD_REVERSED",
            "any run of days but not backwards"
        );
        assert_eq!(e.field(), "to", "any run of days but not backwards");
        for bad in [
            "2025-13-01",
            "2025-02-30",
            "25-01-01",
            "2025/01/01",
            "+2025-01-01",
            "2025-01-01T00:00",
            "２０２５-01-01",
        ] {
            let e = ClaimPeriod::parse(bad, "2025-12-31").unwrap_err();
            assert_eq!(e.code(), "CLAIM_BAD_DATE", "'{bad}' is not a day");
            assert_eq!(e.field(), "from", "any run of days but not backwards");
        }
    }

    #[test]
    fn the_months_a_period_touches() {
        let p = ClaimPeriod::parse("2022-07-15", "2023-06-30").unwrap();
        let months: Vec<String> = p.months().iter().map(|m| m.to_string()).collect();
        assert_eq!(months.len(), 12, "the months a period touches");
        assert_eq!(
            months.first().map(String::as_str),
            Some("2022-07"),
            "the months a period touches"
        );
        assert_eq!(
            months.last().map(String::as_str),
            Some("2023-06"),
            "the months a period touches"
        );
    }

    #[test]
    fn a_period_in_the_future_or_beyond_the_data_is_refused_with_every_reason() {
        let p = ClaimPeriod::calendar_year(2026).unwrap();
        let today = day("2026-11-28");
        let data = Some((day("2025-01-01"), day("2026-10-31")));
        let codes: Vec<_> = p
            .validate(today, data)
            .iter()
            .map(|e| (e.code(), e.field().to_string()))
            .collect();
        assert_eq!(
            codes,
            vec![
                ("CLAIM_PERIOD_IN_FUTURE", "to".to_string()),
                ("CLAIM_PERIOD_BEYOND_DATA", "to".to_string())
            ],
            "both reasons at once"
        );
        let early = ClaimPeriod::calendar_year(2024).unwrap();
        let e = early.validate(today, data);
        assert_eq!(
            e.len(),
            1,
            "a period in the future or beyond the data is refused with every reason"
        );
        assert_eq!(
            (e[0].code(), e[0].field()),
            ("CLAIM_PERIOD_BEYOND_DATA", "from"),
            "a period in the future or beyond the data is refused with every reason"
        );
        assert_eq!(
            early.validate(today, None)[0].code(),
            "CLAIM_PERIOD_NO_DATA",
            "a period in the future or beyond the data is refused with every reason"
        );
        let ok = ClaimPeriod::calendar_year(2025).unwrap();
        assert!(ok.validate(today, data).is_empty(), "inside the data, over");
        let ends_today = ClaimPeriod::parse("2025-11-29", "2026-10-31").unwrap();
        assert!(
            ends_today.validate(day("2026-10-31"), data).is_empty(),
            "a period ending on the project's today is not in its future"
        );
    }
}
