//! Time as an input: the engine has no clock, so the caller says when the
//! call happens. Conditions read the UTC time of day and the ISO weekday.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A moment in time, as milliseconds since 1970-01-01T00:00:00Z.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
pub struct Timestamp {
    millis: i64,
}

/// A text that is not an RFC 3339 date-time.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{text}` is not an RFC 3339 date-time (for example `2026-11-21T14:30:00Z`)")]
pub struct TimestampError {
    /// The text as given.
    pub text: String,
}

const MILLIS_PER_DAY: i64 = 86_400_000;

impl Timestamp {
    /// The moment `millis` milliseconds after the Unix epoch.
    #[must_use]
    pub fn from_unix_millis(millis: i64) -> Self {
        Self { millis }
    }

    /// The moment `seconds` seconds after the Unix epoch.
    #[must_use]
    pub fn from_unix_seconds(seconds: i64) -> Self {
        Self {
            millis: seconds.saturating_mul(1000),
        }
    }

    /// Milliseconds since the Unix epoch.
    #[must_use]
    pub fn unix_millis(self) -> i64 {
        self.millis
    }

    /// Reads an RFC 3339 date-time (`2026-11-21T14:30:00Z`,
    /// `2026-11-21T15:30:00.250+01:00`); the offset is applied.
    ///
    /// # Errors
    ///
    /// Returns a [`TimestampError`] when the text is not in that form.
    pub fn parse_rfc3339(text: &str) -> Result<Self, TimestampError> {
        parse(text.trim()).ok_or_else(|| TimestampError {
            text: text.to_owned(),
        })
    }

    /// Minutes after midnight, UTC (0–1439).
    #[must_use]
    pub fn minute_of_day(self) -> u16 {
        let ms = self.millis.rem_euclid(MILLIS_PER_DAY);
        u16::try_from(ms / 60_000).unwrap_or(0)
    }

    /// ISO weekday, UTC: 1 = Monday … 7 = Sunday.
    #[must_use]
    pub fn iso_weekday(self) -> u8 {
        let days = self.millis.div_euclid(MILLIS_PER_DAY);
        // 1970-01-01 was a Thursday (4).
        u8::try_from((days + 3).rem_euclid(7) + 1).unwrap_or(1)
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let days = self.millis.div_euclid(MILLIS_PER_DAY);
        let ms = self.millis.rem_euclid(MILLIS_PER_DAY);
        let (y, m, d) = civil_from_days(days);
        let (h, min, s) = (ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60);
        write!(f, "{y:04}-{m:02}-{d:02}T{h:02}:{min:02}:{s:02}Z")
    }
}

fn parse(text: &str) -> Option<Timestamp> {
    let (date, rest) = text.split_at_checked(10)?;
    let mut parts = date.split('-');
    let year: i64 = digits(parts.next()?, 4)?;
    let month: i64 = digits(parts.next()?, 2)?;
    let day: i64 = digits(parts.next()?, 2)?;
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return None;
    }
    let rest = rest.strip_prefix(['T', 't', ' '])?;
    let hour: i64 = digits(rest.get(0..2)?, 2)?;
    let minute: i64 = digits(rest.get(3..5)?, 2)?;
    let second: i64 = digits(rest.get(6..8)?, 2)?;
    if rest.get(2..3)? != ":" || rest.get(5..6)? != ":" || hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let mut tail = rest.get(8..)?;
    let mut millis = 0;
    if let Some(fraction) = tail.strip_prefix('.') {
        let end = fraction
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(fraction.len());
        let frac = fraction.get(..end)?;
        if frac.is_empty() {
            return None;
        }
        let padded = format!("{:0<3}", frac.get(..frac.len().min(3))?);
        millis = padded.parse::<i64>().ok()?;
        tail = fraction.get(end..)?;
    }
    let offset_minutes = match tail {
        "Z" | "z" => 0,
        _ => {
            let sign = match tail.get(..1)? {
                "+" => 1,
                "-" => -1,
                _ => return None,
            };
            let oh: i64 = digits(tail.get(1..3)?, 2)?;
            let om: i64 = digits(tail.get(4..6)?, 2)?;
            if tail.get(3..4)? != ":" || tail.len() != 6 || oh > 23 || om > 59 {
                return None;
            }
            sign * (oh * 60 + om)
        }
    };
    let days = days_from_civil(year, month, day);
    let seconds = days * 86_400 + hour * 3600 + minute * 60 + second.min(59) - offset_minutes * 60;
    Some(Timestamp::from_unix_millis(seconds * 1000 + millis))
}

fn digits(text: &str, len: usize) -> Option<i64> {
    (text.len() == len && text.bytes().all(|b| b.is_ascii_digit()))
        .then(|| text.parse().ok())
        .flatten()
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_reads_the_clock() -> Result<(), TimestampError> {
        let t = Timestamp::parse_rfc3339("2026-11-21T14:30:00Z")?;
        assert_eq!(t.iso_weekday(), 6, "2026-11-21 is a Saturday");
        assert_eq!(t.minute_of_day(), 14 * 60 + 30);
        assert_eq!(t.to_string(), "2026-11-21T14:30:00Z");
        let shifted = Timestamp::parse_rfc3339("2026-11-21T15:30:00.250+01:00")?;
        assert_eq!(shifted.unix_millis(), t.unix_millis() + 250);
        let monday = Timestamp::parse_rfc3339("2026-11-23T00:00:00Z")?;
        assert_eq!(monday.iso_weekday(), 1);
        assert_eq!(Timestamp::from_unix_seconds(0).iso_weekday(), 4);
        Ok(())
    }

    #[test]
    fn refuses_what_is_not_rfc3339() {
        for text in [
            "2026-11-21",
            "2026-13-01T00:00:00Z",
            "2026-02-30T00:00:00Z",
            "2026-11-21T25:00:00Z",
            "2026-11-21T10:00:00",
            "yesterday",
            "2026-11-21T10:00:00+0100",
        ] {
            assert!(Timestamp::parse_rfc3339(text).is_err(), "{text}");
        }
    }

    #[test]
    fn round_trips_through_civil_dates() {
        for days in [-800_000, -1, 0, 1, 18_000, 20_413, 2_000_000] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
    }
}
