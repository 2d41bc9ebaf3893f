//! Calendar dates and the MRZ's two-digit-year dates.
//!
//! An MRZ writes dates as `YYMMDD` without the century. [`MrzDate`] holds the six
//! characters as read (unknown parts may be fillers, Doc 9303 Part 3 section 4.4
//! allows `<` for an unknown day or month); [`MrzDate::resolve`] picks the century
//! against a reference date according to the field's [`DateRole`].

use std::fmt;

/// A valid proleptic Gregorian calendar date (years 1 to 9999).
///
/// # Examples
///
/// ```
/// use mrtd_verify::mrz::Date;
/// let d = Date::new(2024, 2, 29).unwrap();
/// assert_eq!(d.to_string(), "2024-02-29");
/// assert!(Date::new(2023, 2, 29).is_none());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
}

/// Whether `year` is a leap year in the Gregorian calendar.
pub(crate) const fn is_leap(year: u16) -> bool {
    (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400)
}

/// Number of days in `month` of `year`, 0 for an invalid month.
pub(crate) const fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

impl Date {
    /// 1970-01-01.
    pub const EPOCH: Date = Date { year: 1970, month: 1, day: 1 };

    /// A date, or `None` when it does not exist in the calendar.
    ///
    /// # Examples
    ///
    /// ```
    /// use mrtd_verify::mrz::Date;
    /// assert!(Date::new(1974, 8, 12).is_some());
    /// assert!(Date::new(1974, 13, 1).is_none());
    /// assert!(Date::new(1974, 4, 31).is_none());
    /// ```
    pub const fn new(year: u16, month: u8, day: u8) -> Option<Date> {
        if year == 0 || year > 9999 || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(Date { year, month, day })
    }

    /// The year.
    pub const fn year(self) -> u16 {
        self.year
    }

    /// The month, 1 to 12.
    pub const fn month(self) -> u8 {
        self.month
    }

    /// The day of the month, from 1.
    pub const fn day(self) -> u8 {
        self.day
    }

    /// Days since 1970-01-01 (negative before it).
    ///
    /// # Examples
    ///
    /// ```
    /// use mrtd_verify::mrz::Date;
    /// assert_eq!(Date::new(1970, 1, 2).unwrap().to_days(), 1);
    /// ```
    pub const fn to_days(self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let y = self.year as i64 - if self.month <= 2 { 1 } else { 0 };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = self.month as i64;
        let mp = if m > 2 { m - 3 } else { m + 9 };
        let doy = (153 * mp + 2) / 5 + self.day as i64 - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` after 1970-01-01, or `None` outside years 1 to 9999.
    ///
    /// # Examples
    ///
    /// ```
    /// use mrtd_verify::mrz::Date;
    /// let d = Date::new(2000, 2, 29).unwrap();
    /// assert_eq!(Date::from_days(d.to_days()), Some(d));
    /// ```
    pub const fn from_days(days: i64) -> Option<Date> {
        // Howard Hinnant's civil_from_days.
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = doy - (153 * mp + 2) / 5 + 1;
        let m = if mp < 10 { mp + 3 } else { mp - 9 };
        let y = yoe + era * 400 + if m <= 2 { 1 } else { 0 };
        if y < 1 || y > 9999 {
            return None;
        }
        Date::new(y as u16, m as u8, d as u8)
    }

    /// Today's date in UTC, from the system clock (1970-01-01 if the clock is
    /// before the epoch).
    pub fn today() -> Date {
        let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
        let days = i64::try_from(secs / 86_400).unwrap_or(0);
        Date::from_days(days).unwrap_or(Date::EPOCH)
    }

    /// The same day `years` later (or earlier, if negative); 29 February becomes
    /// 28 February in a common year. `None` outside years 1 to 9999.
    ///
    /// # Examples
    ///
    /// ```
    /// use mrtd_verify::mrz::Date;
    /// let d = Date::new(2024, 2, 29).unwrap();
    /// assert_eq!(d.add_years(1), Date::new(2025, 2, 28));
    /// ```
    pub fn add_years(self, years: i32) -> Option<Date> {
        let y = i32::from(self.year).checked_add(years)?;
        let y = u16::try_from(y).ok()?;
        let day = self.day.min(days_in_month(y, self.month));
        Date::new(y, self.month, day)
    }

    /// Parses `YYYY-MM-DD`.
    ///
    /// # Examples
    ///
    /// ```
    /// use mrtd_verify::mrz::Date;
    /// assert_eq!(Date::parse_iso("2026-11-23"), Date::new(2026, 11, 23));
    /// assert_eq!(Date::parse_iso("2026-11-31"), None);
    /// ```
    pub fn parse_iso(s: &str) -> Option<Date> {
        let b = s.as_bytes();
        if b.len() != 10 || b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
            return None;
        }
        let y = digits(b.get(0..4)?)?;
        let m = digits(b.get(5..7)?)?;
        let d = digits(b.get(8..10)?)?;
        Date::new(u16::try_from(y).ok()?, u8::try_from(m).ok()?, u8::try_from(d).ok()?)
    }
}

/// Decimal value of an all-digit byte string.
fn digits(b: &[u8]) -> Option<u32> {
    b.iter().try_fold(0u32, |acc, &c| c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0')))
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// What a date field means, which decides how its century is resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DateRole {
    /// A date in the past (birth): the latest century that does not put it after
    /// the reference date.
    Birth,
    /// A date of expiry: the century that puts it within 70 years before and 30
    /// years after the reference date.
    Expiry,
    /// A date of issue: in the past, like a birth date.
    Issue,
}

/// A `YYMMDD` date as written in the MRZ, with unknown parts allowed.
///
/// # Examples
///
/// ```
/// use mrtd_verify::mrz::{Date, DateRole, MrzDate};
/// let reference = Date::new(2026, 11, 23).unwrap();
/// let birth = MrzDate::parse("740812").unwrap();
/// assert_eq!(birth.resolve(reference, DateRole::Birth).unwrap().to_string(), "1974-08-12");
/// let expiry = MrzDate::parse("340415").unwrap();
/// assert_eq!(expiry.resolve(reference, DateRole::Expiry).unwrap().to_string(), "2034-04-15");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MrzDate {
    yy: u8,
    month: Option<u8>,
    day: Option<u8>,
}

/// Why a `YYMMDD` field does not hold a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DateError {
    /// Not six characters of digits and fillers, or a part half digits half fillers.
    #[error("not a YYMMDD date")]
    Malformed,
    /// The year is unknown (written with fillers); no date can be resolved.
    #[error("year unknown")]
    UnknownYear,
    /// The month is outside 1 to 12.
    #[error("month {0} does not exist")]
    Month(u8),
    /// The day does not exist in that month.
    #[error("day {day} does not exist in month {month}")]
    Day {
        /// The month.
        month: u8,
        /// The day as written.
        day: u8,
    },
    /// A known day with an unknown month.
    #[error("day given without a month")]
    DayWithoutMonth,
}

/// A two-character part: `Ok(Some(n))` for two digits, `Ok(None)` for `<<`.
fn part(b: &[u8]) -> Result<Option<u8>, DateError> {
    match b {
        [b'<', b'<'] => Ok(None),
        [a, c] if a.is_ascii_digit() && c.is_ascii_digit() => Ok(Some((a - b'0') * 10 + (c - b'0'))),
        _ => Err(DateError::Malformed),
    }
}

impl MrzDate {
    /// Reads six characters `YYMMDD`; month and day may be `<<` when unknown. The
    /// month and day ranges are checked here; the day against the month's length
    /// once the century is known ([`MrzDate::resolve`]).
    ///
    /// # Errors
    ///
    /// [`DateError`] when the text is not a date.
    pub fn parse(raw: &str) -> Result<MrzDate, DateError> {
        let b = raw.as_bytes();
        let (Some(y), Some(m), Some(d), 6) = (b.get(0..2), b.get(2..4), b.get(4..6), b.len()) else {
            return Err(DateError::Malformed);
        };
        let yy = part(y)?.ok_or(DateError::UnknownYear)?;
        let month = part(m)?;
        let day = part(d)?;
        match (month, day) {
            (Some(m), _) if !(1..=12).contains(&m) => return Err(DateError::Month(m)),
            (None, Some(_)) => return Err(DateError::DayWithoutMonth),
            (Some(m), Some(d)) if d == 0 || d > 31 => return Err(DateError::Day { month: m, day: d }),
            _ => {}
        }
        Ok(MrzDate { yy, month, day })
    }

    /// The two-digit year.
    pub const fn yy(self) -> u8 {
        self.yy
    }

    /// The month, if known.
    pub const fn month(self) -> Option<u8> {
        self.month
    }

    /// The day, if known.
    pub const fn day(self) -> Option<u8> {
        self.day
    }

    /// Resolves the century against `reference` for a field of the given role.
    ///
    /// # Errors
    ///
    /// [`DateError::Day`] when the day does not exist in that month of the
    /// resolved year (30 February, 29 February in a common year).
    pub fn resolve(self, reference: Date, role: DateRole) -> Result<PartialDate, DateError> {
        let yy = u16::from(self.yy);
        let candidate = |century: u16| PartialDate { year: century + yy, month: self.month, day: self.day };
        let resolved = match role {
            DateRole::Birth | DateRole::Issue => {
                let recent = candidate(2000);
                if recent.earliest() <= reference { recent } else { candidate(1900) }
            }
            DateRole::Expiry => {
                let hi = reference.year().saturating_add(30);
                [1900, 2000, 2100]
                    .into_iter()
                    .map(candidate)
                    .find(|c| c.year + 70 > reference.year() && c.year <= hi)
                    .unwrap_or_else(|| candidate(2000))
            }
        };
        if let (Some(m), Some(d)) = (resolved.month, resolved.day)
            && d > days_in_month(resolved.year, m)
        {
            return Err(DateError::Day { month: m, day: d });
        }
        Ok(resolved)
    }
}

/// A resolved date whose month or day may be unknown.
///
/// Displayed in ISO 8601 with reduced precision when parts are unknown:
/// `1974-08-12`, `1974-08` or `1974`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PartialDate {
    year: u16,
    month: Option<u8>,
    day: Option<u8>,
}

impl PartialDate {
    /// A date with an optional month and day; `None` when the known parts do
    /// not exist in the calendar, or a day is given without a month.
    ///
    /// # Examples
    ///
    /// ```
    /// use mrtd_verify::mrz::PartialDate;
    /// assert_eq!(PartialDate::new(1974, Some(8), None).unwrap().to_string(), "1974-08");
    /// assert!(PartialDate::new(1974, None, Some(3)).is_none());
    /// ```
    pub fn new(year: u16, month: Option<u8>, day: Option<u8>) -> Option<PartialDate> {
        match (month, day) {
            (Some(m), Some(d)) => Date::new(year, m, d).map(PartialDate::from),
            (Some(m), None) if (1..=12).contains(&m) && (1..=9999).contains(&year) => {
                Some(PartialDate { year, month, day })
            }
            (None, None) if (1..=9999).contains(&year) => Some(PartialDate { year, month, day }),
            _ => None,
        }
    }

    /// The year.
    pub const fn year(self) -> u16 {
        self.year
    }

    /// The month, if known.
    pub const fn month(self) -> Option<u8> {
        self.month
    }

    /// The day, if known.
    pub const fn day(self) -> Option<u8> {
        self.day
    }

    /// The full date, when month and day are known.
    pub fn date(self) -> Option<Date> {
        Date::new(self.year, self.month?, self.day?)
    }

    /// The earliest date this can be (unknown parts taken as 1).
    pub fn earliest(self) -> Date {
        let m = self.month.unwrap_or(1);
        let d = self.day.unwrap_or(1).min(days_in_month(self.year, m));
        Date::new(self.year, m, d).unwrap_or(Date { year: self.year.max(1), month: 1, day: 1 })
    }

    /// The latest date this can be (unknown parts taken as the end of the year or
    /// month).
    pub fn latest(self) -> Date {
        let m = self.month.unwrap_or(12);
        let d = self.day.unwrap_or_else(|| days_in_month(self.year, m));
        Date::new(self.year, m, d.min(days_in_month(self.year, m))).unwrap_or(Date {
            year: self.year.max(1),
            month: 12,
            day: 31,
        })
    }
}

impl From<Date> for PartialDate {
    fn from(d: Date) -> PartialDate {
        PartialDate { year: d.year, month: Some(d.month), day: Some(d.day) }
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
            if let Some(d) = self.day {
                write!(f, "-{d:02}")?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: u16, m: u8, d: u8) -> Date {
        Date::new(y, m, d).unwrap()
    }

    #[test]
    fn calendar() {
        assert!(Date::new(2000, 2, 29).is_some());
        assert!(Date::new(1900, 2, 29).is_none());
        assert!(Date::new(2023, 2, 29).is_none());
        assert!(Date::new(2023, 0, 1).is_none());
        assert!(Date::new(2023, 6, 31).is_none());
        assert!(Date::new(0, 1, 1).is_none());
    }

    #[test]
    fn days_round_trip() {
        assert_eq!(date(1970, 1, 1).to_days(), 0);
        assert_eq!(date(2000, 3, 1).to_days(), 11_017);
        for days in (-700_000..2_900_000).step_by(997) {
            let d = Date::from_days(days).unwrap();
            assert_eq!(d.to_days(), days);
        }
        // Consecutive days are consecutive dates.
        let mut prev = date(1899, 12, 31);
        for days in date(1900, 1, 1).to_days()..date(1905, 1, 1).to_days() {
            let d = Date::from_days(days).unwrap();
            assert!(d > prev);
            prev = d;
        }
    }

    #[test]
    fn today_is_plausible() {
        assert!(Date::today().year() >= 2024);
    }

    #[test]
    fn mrz_dates() {
        let r = date(2026, 11, 23);
        let res = |s: &str, role| MrzDate::parse(s).unwrap().resolve(r, role).map(|p| p.to_string());
        assert_eq!(res("740812", DateRole::Birth).unwrap(), "1974-08-12");
        assert_eq!(res("261123", DateRole::Birth).unwrap(), "2026-11-23");
        assert_eq!(res("261124", DateRole::Birth).unwrap(), "1926-11-24");
        assert_eq!(res("000229", DateRole::Birth).unwrap(), "2000-02-29");
        assert_eq!(res("120415", DateRole::Expiry).unwrap(), "2012-04-15");
        assert_eq!(res("560101", DateRole::Expiry).unwrap(), "2056-01-01");
        assert_eq!(res("570101", DateRole::Expiry).unwrap(), "1957-01-01");
        assert_eq!(res("74<<<<", DateRole::Birth).unwrap(), "1974");
        assert_eq!(res("7408<<", DateRole::Birth).unwrap(), "1974-08");
        assert_eq!(res("010229", DateRole::Birth), Err(DateError::Day { month: 2, day: 29 }));
        assert_eq!(MrzDate::parse("741312"), Err(DateError::Month(13)));
        assert_eq!(MrzDate::parse("740800"), Err(DateError::Day { month: 8, day: 0 }));
        assert_eq!(MrzDate::parse("74<<12"), Err(DateError::DayWithoutMonth));
        assert_eq!(MrzDate::parse("<<0812"), Err(DateError::UnknownYear));
        assert_eq!(MrzDate::parse("7408<2"), Err(DateError::Malformed));
        assert_eq!(MrzDate::parse("74O812"), Err(DateError::Malformed));
        assert_eq!(MrzDate::parse("74081"), Err(DateError::Malformed));
    }

    #[test]
    fn add_years() {
        assert_eq!(date(2024, 2, 29).add_years(-1), Some(date(2023, 2, 28)));
        assert_eq!(date(2020, 5, 17).add_years(10), Some(date(2030, 5, 17)));
        assert_eq!(date(9999, 1, 1).add_years(1), None);
    }
}
