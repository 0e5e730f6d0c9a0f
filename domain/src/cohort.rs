use crate::account::bounded_text;
use crate::DomainError;
use serde::{Deserialize, Serialize};

/// A program's or cohort's name: trimmed, 1 to 120 characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct GroupName(String);

impl GroupName {
    pub const MAX_CHARS: usize = 120;

    pub fn parse(input: &str) -> Result<Self, DomainError> {
        bounded_text(
            input,
            Self::MAX_CHARS,
            DomainError::GroupNameEmpty,
            DomainError::GroupNameTooLong,
        )
        .map(GroupName)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for GroupName {
    type Error = DomainError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        GroupName::parse(&value)
    }
}

impl From<GroupName> for String {
    fn from(name: GroupName) -> Self {
        name.0
    }
}

/// The calendar dates a cohort runs, first and last day included: ISO dates, the end not before the start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CohortPeriod {
    starts_on: String,
    ends_on: String,
}

impl CohortPeriod {
    pub fn parse(starts_on: &str, ends_on: &str) -> Result<Self, DomainError> {
        let start = parse_date(starts_on)?;
        let end = parse_date(ends_on)?;
        if end < start {
            return Err(DomainError::PeriodEndsBeforeStart);
        }
        Ok(CohortPeriod {
            starts_on: format_date(start),
            ends_on: format_date(end),
        })
    }

    pub fn starts_on(&self) -> &str {
        &self.starts_on
    }

    pub fn ends_on(&self) -> &str {
        &self.ends_on
    }
}

/// `YYYY-MM-DD`, a real calendar date (no 31 April, 29 February only in leap years).
fn parse_date(input: &str) -> Result<(u16, u8, u8), DomainError> {
    let mut parts = input.trim().splitn(3, '-');
    let mut number = |digits: usize| {
        parts
            .next()
            .filter(|part| part.len() == digits && part.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|part| part.parse::<u16>().ok())
            .ok_or(DomainError::DateInvalid)
    };
    let (year, month, day) = (number(4)?, number(2)?, number(2)?);
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days_in_month = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return Err(DomainError::DateInvalid),
    };
    if !(1..=days_in_month).contains(&day) || year < 2000 {
        return Err(DomainError::DateInvalid);
    }
    Ok((year, month as u8, day as u8))
}

fn format_date((year, month, day): (u16, u8, u8)) -> String {
    format!("{year:04}-{month:02}-{day:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_bounded() {
        assert_eq!(
            GroupName::parse("  Mutual Learning Program 2026-27 ")
                .unwrap()
                .as_str(),
            "Mutual Learning Program 2026-27"
        );
        assert_eq!(GroupName::parse(" "), Err(DomainError::GroupNameEmpty));
        assert_eq!(
            GroupName::parse(&"n".repeat(121)),
            Err(DomainError::GroupNameTooLong)
        );
    }

    #[test]
    fn periods_need_real_ordered_dates() {
        let period = CohortPeriod::parse("2026-10-01", " 2027-03-31").unwrap();
        assert_eq!(
            (period.starts_on(), period.ends_on()),
            ("2026-10-01", "2027-03-31")
        );
        assert!(
            CohortPeriod::parse("2028-02-29", "2028-02-29").is_ok(),
            "a one-day cohort in a leap year"
        );
        for (start, end, error) in [
            ("2027-02-29", "2027-03-01", DomainError::DateInvalid),
            ("2026-04-31", "2026-05-01", DomainError::DateInvalid),
            ("2026-13-01", "2027-01-01", DomainError::DateInvalid),
            ("26-10-01", "2027-03-31", DomainError::DateInvalid),
            ("2026-10-1", "2027-03-31", DomainError::DateInvalid),
            ("", "2027-03-31", DomainError::DateInvalid),
            (
                "2026-10-01",
                "2026-09-30",
                DomainError::PeriodEndsBeforeStart,
            ),
            ("1999-01-01", "2026-01-01", DomainError::DateInvalid),
            ("2100-02-29", "2100-03-01", DomainError::DateInvalid),
        ] {
            assert_eq!(CohortPeriod::parse(start, end), Err(error), "{start} {end}");
        }
    }
}
