//! Activity periods and pro-rating by days.
//!
//! A bill from 2023-12-21 to 2024-01-20 belongs partly to December 2023 and partly to January
//! 2024. [`split`] divides the quantity over the calendar months its period touches in
//! proportion to days (both ends inclusive). The last month takes the remainder, so the shares
//! always add back to the whole exactly, whatever the rounding of the others.

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

/// One calendar month's part of an activity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MonthShare {
    pub year: i32,
    /// 1–12
    pub month: u32,
    /// Days of the period inside this month.
    pub days: i64,
    pub quantity: Decimal,
}

/// Number of days from `from` to `to`, both included; None when `to` is before `from`.
pub fn days_inclusive(from: NaiveDate, to: NaiveDate) -> Option<i64> {
    let days = (to - from).num_days() + 1;
    (days >= 1).then_some(days)
}

/// The first and last day of month `m` of year `y`; None when there is no such month.
pub fn month_bounds(y: i32, m: u32) -> Option<(NaiveDate, NaiveDate)> {
    let first = NaiveDate::from_ymd_opt(y, m, 1)?;
    let next = first.checked_add_months(chrono::Months::new(1))?;
    Some((first, next.pred_opt()?))
}

fn month_end(date: NaiveDate) -> NaiveDate {
    month_bounds(date.year(), date.month())
        .map(|(_, last)| last)
        .unwrap_or(date)
}

/// Split `quantity` over the months of `from..=to` by days. Returns an empty list when `to` is
/// before `from`.
pub fn split(from: NaiveDate, to: NaiveDate, quantity: Decimal) -> Vec<MonthShare> {
    let Some(total_days) = days_inclusive(from, to) else {
        return Vec::new();
    };
    let mut shares = Vec::with_capacity(2);
    let mut start = from;
    loop {
        let end = month_end(start).min(to);
        let days = (end - start).num_days() + 1;
        shares.push(MonthShare {
            year: start.year(),
            month: start.month(),
            days,
            quantity: Decimal::ZERO,
        });
        if end >= to {
            break;
        }
        match end.succ_opt() {
            Some(next) => start = next,
            None => break,
        }
    }
    if shares.len() == 1 {
        shares[0].quantity = quantity;
        return shares;
    }
    let total = Decimal::from(total_days);
    let mut allotted = Decimal::ZERO;
    let last = shares.len() - 1;
    for share in &mut shares[..last] {
        // quantity × days / total; checked so that an absurd quantity cannot panic
        let part = quantity
            .checked_mul(Decimal::from(share.days))
            .and_then(|v| v.checked_div(total))
            .unwrap_or(Decimal::ZERO);
        share.quantity = part;
        allotted += part;
    }
    shares[last].quantity = quantity - allotted;
    shares
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn a_bill_across_the_year_end_is_split_by_days() {
        let shares = split(
            date("2023-12-21"),
            date("2024-01-20"),
            Decimal::from(31_000),
        );
        assert_eq!(
            shares.len(),
            2,
            "a bill across the year end is split by days"
        );
        assert_eq!(
            (shares[0].year, shares[0].month, shares[0].days),
            (2023, 12, 11),
            "a bill across the year end is split by days"
        );
        assert_eq!(
            shares[0].quantity,
            Decimal::from(11_000),
            "a bill across the year end is split by days"
        );
        assert_eq!(
            (shares[1].year, shares[1].month, shares[1].days),
            (2024, 1, 20),
            "a bill across the year end is split by days"
        );
        assert_eq!(
            shares[1].quantity,
            Decimal::from(20_000),
            "a bill across the year end is split by days"
        );
    }

    #[test]
    fn one_day_and_leap_february() {
        let s = split(date("2024-02-10"), date("2024-02-10"), Decimal::from(7));
        assert_eq!(
            s,
            vec![MonthShare {
                year: 2024,
                month: 2,
                days: 1,
                quantity: Decimal::from(7)
            }],
            "one day and leap february"
        );
        let s = split(date("2024-02-01"), date("2024-03-31"), Decimal::from(60));
        assert_eq!(
            (s[0].days, s[0].quantity),
            (29, Decimal::from(29)),
            "one day and leap february"
        );
        assert_eq!(
            (s[1].days, s[1].quantity),
            (31, Decimal::from(31)),
            "one day and leap february"
        );
        assert!(
            split(date("2024-02-02"), date("2024-02-01"), Decimal::ONE).is_empty(),
            "one day and leap february"
        );
    }

    proptest! {
        #[test]
        fn shares_sum_back_to_the_whole_exactly(
            start in 0i64..3000,
            len in 0i64..800,
            mantissa in -1_000_000_000_000i64..1_000_000_000_000i64,
            scale in 0u32..8,
        ) {
            let from = date("2020-01-01") + chrono::Duration::days(start);
            let to = from + chrono::Duration::days(len);
            let q = Decimal::new(mantissa, scale);
            let shares = split(from, to, q);
            let sum: Decimal = shares.iter().map(|s| s.quantity).sum();
            prop_assert_eq!(sum, q);
            let days: i64 = shares.iter().map(|s| s.days).sum();
            prop_assert_eq!(days, len + 1);
            // every share but the last is proportional to its days, to 20 decimal places
            for s in &shares[..shares.len() - 1] {
                let exact = q * Decimal::from(s.days) / Decimal::from(len + 1);
                prop_assert!((s.quantity - exact).abs() < Decimal::new(1, 20));
            }
        }
    }
}
