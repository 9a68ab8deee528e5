//! Feed dates to RFC 3339 in UTC (`2024-01-02T03:04:05Z`).
//!
//! Feeds write dates every way there is: RFC 822 with or without the weekday, two-digit years,
//! full month names, named zones (`EST`, `CEST`), no seconds, no zone; ISO 8601 with or without
//! `T`, fractions and zones. What cannot be read is `None`, never an error: a date only orders
//! and labels an article.

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};

/// The date as RFC 3339 UTC, if it can be read.
pub fn rfc3339(text: &str) -> Option<String> {
    parse(text).map(format_utc)
}

/// An instant as RFC 3339 UTC (`2024-01-02T03:04:05Z`), written directly: chrono's `format`
/// reads its pattern again for every date, and a fetch writes thousands.
pub fn format_utc(date: DateTime<Utc>) -> String {
    use chrono::{Datelike, Timelike};
    let year = date.year();
    if !(0..=9999).contains(&year) {
        // Years that need a sign or a fifth digit are written as chrono writes them.
        return date.format("%Y-%m-%dT%H:%M:%SZ").to_string();
    }
    let (month, day, hour, minute, second) = (date.month(), date.day(), date.hour(), date.minute(), date.second());
    format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}Z")
}

/// The instant a feed date names.
pub fn parse(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    if text.is_empty() || text.len() > 100 {
        return None;
    }
    let bytes = text.as_bytes();
    if bytes.len() >= 10 && bytes[..4].iter().all(u8::is_ascii_digit) && bytes[4] == b'-' {
        iso8601(text)
    } else {
        rfc822(text)
    }
}

/// `2024-01-02`, `2024-01-02T03:04:05.123+01:00`, `2024-01-02 03:04:05`, `…Z`, `…+0100`.
fn iso8601(text: &str) -> Option<DateTime<Utc>> {
    let date = NaiveDate::parse_from_str(text.get(..10)?, "%Y-%m-%d").ok()?;
    let rest = text[10..].trim_start_matches(['T', 't', ' ']);
    if rest.is_empty() {
        return Some(date.and_time(NaiveTime::MIN).and_utc());
    }
    // The time runs up to a zone: Z, + or - (after the time's own digits).
    let zone_at = rest.find(['Z', 'z', '+', '-', ' ']).unwrap_or(rest.len());
    let (time, zone) = rest.split_at(zone_at);
    let time = clock(time)?;
    let offset = zone_offset(zone.trim())?;
    utc(date, time, offset)
}

/// `Tue, 10 Jun 2003 04:00:00 GMT`, `07 Jan 2017 17:12:53 +0300`, `Sunday, 5 March 17 9:30 EST`,
/// `Mon Jan 02 2006 15:04:05 GMT+0000 (UTC)`.
fn rfc822(text: &str) -> Option<DateTime<Utc>> {
    // Comments in parentheses go: `(UTC)`, `(Eastern Standard Time)`.
    let mut cleaned = String::with_capacity(text.len());
    let mut depth = 0usize;
    for c in text.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            c if depth == 0 => cleaned.push(if c == ',' { ' ' } else { c }),
            _ => {}
        }
    }
    let (mut day, mut month, mut year, mut time, mut offset) = (None, None, None, None, None);
    for token in cleaned.split_whitespace() {
        let lower = token.to_ascii_lowercase();
        let lower = lower.trim_end_matches('.');
        if token.contains(':') && token.starts_with(|c: char| c.is_ascii_digit()) && time.is_none() {
            // A zone may be stuck to the time: `08:00:00+0000`.
            let zone_at = token.find(['+', '-', 'Z']).unwrap_or(token.len());
            time = Some(clock(&token[..zone_at])?);
            if zone_at < token.len() {
                offset = Some(zone_offset(&token[zone_at..])?);
            }
        } else if let Some(m) = month_number(lower) {
            month = month.or(Some(m));
        } else if is_weekday(lower) {
        } else if token.bytes().all(|b| b.is_ascii_digit()) {
            let value: i32 = token.parse().ok()?;
            match token.len() {
                4 => year = Some(value),
                1 | 2 if day.is_none() => day = Some(value as u32),
                2 if year.is_none() => year = Some(if value < 50 { 2000 + value } else { 1900 + value }),
                _ => return None,
            }
        } else if offset.is_none() {
            offset = Some(zone_offset(token)?);
        }
    }
    let date = NaiveDate::from_ymd_opt(year?, month?, day?)?;
    utc(date, time.unwrap_or(NaiveTime::MIN), offset.unwrap_or(0))
}

fn utc(date: NaiveDate, time: NaiveTime, offset_seconds: i32) -> Option<DateTime<Utc>> {
    let local = NaiveDateTime::new(date, time);
    Some(local.checked_sub_signed(chrono::TimeDelta::seconds(i64::from(offset_seconds)))?.and_utc())
}

/// `04:00`, `04:00:00`, `04:00:00.123`, `4:00`; a leap second counts as :59.
fn clock(text: &str) -> Option<NaiveTime> {
    let mut parts = text.split(':');
    let hour: u32 = parts.next()?.trim().parse().ok()?;
    let minute: u32 = parts.next()?.trim().parse().ok()?;
    let second = match parts.next() {
        Some(s) => {
            let whole = s.split(['.', ',']).next()?;
            whole.trim().parse::<u32>().ok()?.min(59)
        }
        None => 0,
    };
    if parts.next().is_some() {
        return None;
    }
    NaiveTime::from_hms_opt(hour, minute, second)
}

/// A zone as seconds east of UTC: `Z`, `+0100`, `-05:00`, `+01`, `GMT`, `EST`, `GMT+2`.
fn zone_offset(zone: &str) -> Option<i32> {
    let zone = zone.trim();
    if zone.is_empty() {
        return Some(0);
    }
    let upper = zone.to_ascii_uppercase();
    if let Some(hours) = named_zone(&upper) {
        return Some((hours * 3600.0) as i32);
    }
    // `GMT+2`, `UTC-05:00`.
    let numeric = upper.strip_prefix("GMT").or_else(|| upper.strip_prefix("UTC")).unwrap_or(&upper);
    let (sign, digits) = match numeric.as_bytes().first()? {
        b'+' => (1, &numeric[1..]),
        b'-' => (-1, &numeric[1..]),
        _ => return None,
    };
    let digits: String = digits.chars().filter(|c| *c != ':').collect();
    if digits.is_empty() || digits.len() > 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (hours, minutes) = match digits.len() {
        1 | 2 => (digits.parse::<i32>().ok()?, 0),
        3 => (digits[..1].parse::<i32>().ok()?, digits[1..].parse::<i32>().ok()?),
        _ => (digits[..2].parse::<i32>().ok()?, digits[2..].parse::<i32>().ok()?),
    };
    if hours > 14 || minutes > 59 {
        return None;
    }
    Some(sign * (hours * 3600 + minutes * 60))
}

/// Hours east of UTC for the zone names feeds use.
fn named_zone(name: &str) -> Option<f64> {
    Some(match name {
        "Z" | "GMT" | "UT" | "UTC" | "WET" | "Z0" => 0.0,
        "EST" => -5.0,
        "EDT" => -4.0,
        "CST" => -6.0,
        "CDT" => -5.0,
        "MST" => -7.0,
        "MDT" => -6.0,
        "PST" => -8.0,
        "PDT" => -7.0,
        "AKST" => -9.0,
        "AKDT" => -8.0,
        "HST" => -10.0,
        "AST" => -4.0,
        "ADT" => -3.0,
        "NST" => -3.5,
        "NDT" => -2.5,
        "BST" | "CET" | "MET" | "WEST" => 1.0,
        "CEST" | "MEST" | "EET" | "SAST" => 2.0,
        "EEST" | "MSK" => 3.0,
        "IST" => 5.5,
        "ICT" | "WIB" => 7.0,
        "HKT" | "SGT" | "AWST" | "PHT" => 8.0,
        "JST" | "KST" => 9.0,
        "ACST" => 9.5,
        "AEST" => 10.0,
        "ACDT" => 10.5,
        "AEDT" => 11.0,
        "NZST" => 12.0,
        "NZDT" => 13.0,
        _ => return None,
    })
}

fn month_number(token: &str) -> Option<u32> {
    const MONTHS: [&str; 12] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
    if token.len() < 3 || !token.is_ascii() {
        return None;
    }
    let number = MONTHS.iter().position(|m| token.starts_with(m))? as u32 + 1;
    // `Mar`, `March`, `Sept`: a prefix of the month's full name.
    const FULL: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    FULL[number as usize - 1].starts_with(token).then_some(number)
}

fn is_weekday(token: &str) -> bool {
    const DAYS: [&str; 7] = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
    token.len() >= 2 && token.is_ascii() && DAYS.iter().any(|d| d.starts_with(token))
}

#[cfg(test)]
mod tests {
    use super::rfc3339;

    #[test]
    fn dates_are_written_as_chrono_writes_them() {
        // Every hundredth day from before year 0 to after 9999, at a time that moves too.
        let (first, last) = (-62_200_000_000i64, 253_500_000_000i64);
        for seconds in (first..last).step_by(8_640_037) {
            let date = chrono::DateTime::from_timestamp(seconds, 0).unwrap();
            assert_eq!(super::format_utc(date), date.format("%Y-%m-%dT%H:%M:%SZ").to_string(), "{seconds}");
        }
    }

    #[test]
    fn rfc822_and_its_variants() {
        let cases = [
            ("Tue, 10 Jun 2003 04:00:00 GMT", "2003-06-10T04:00:00Z"),
            ("Sat, 07 Jan 2017 17:12:53 +0300", "2017-01-07T14:12:53Z"),
            ("07 Jan 2017 17:12:53 +0300", "2017-01-07T14:12:53Z"),
            ("Thu, 19 Jan 2017 08:00:00 -0500", "2017-01-19T13:00:00Z"),
            ("Mon, 6 Jan 2020 8:05 EST", "2020-01-06T13:05:00Z"),
            ("Sunday, 05 March 17 09:30:00 CEST", "2017-03-05T07:30:00Z"),
            ("Wed, 02 Oct 2002 15:00:00 +02:00", "2002-10-02T13:00:00Z"),
            ("Wed, 02 Oct 2002 13:00:00 UT", "2002-10-02T13:00:00Z"),
            ("Wed, 02 Oct 2002", "2002-10-02T00:00:00Z"),
            ("Mon Jan 02 2006 15:04:05 GMT+0100 (Central European Time)", "2006-01-02T14:04:05Z"),
            ("Fri, 31 Dec 1999 23:59:60 Z", "1999-12-31T23:59:59Z"),
            ("Thu, 01 Jan 2015 00:30:00 +0100", "2014-12-31T23:30:00Z"),
            ("Tue, 3 Sept 2019 10:00:00 PDT", "2019-09-03T17:00:00Z"),
        ];
        for (text, expected) in cases {
            assert_eq!(rfc3339(text).as_deref(), Some(expected), "{text}");
        }
    }

    #[test]
    fn iso8601_and_its_variants() {
        let cases = [
            ("2024-01-02T03:04:05Z", "2024-01-02T03:04:05Z"),
            ("2016-05-05T09:00:00.000Z", "2016-05-05T09:00:00Z"),
            ("2017-01-06T15:00:00+01:00", "2017-01-06T14:00:00Z"),
            ("2017-01-06T15:00:00-0500", "2017-01-06T20:00:00Z"),
            ("2017-01-06 15:00:00", "2017-01-06T15:00:00Z"),
            ("2017-01-06", "2017-01-06T00:00:00Z"),
            ("2017-01-06T15:00+01", "2017-01-06T14:00:00Z"),
        ];
        for (text, expected) in cases {
            assert_eq!(rfc3339(text).as_deref(), Some(expected), "{text}");
        }
    }

    #[test]
    fn unreadable_dates_are_none() {
        for text in ["", "yesterday", "32 Jan 2020", "2020-13-01", "Tue, 10 Jun 2003 25:00:00 GMT", "10 Foo 2003", "1"]
        {
            assert_eq!(rfc3339(text), None, "{text}");
        }
    }
}
