use serde::{Deserialize, Serialize};

/// An IANA time-zone name such as `Asia/Yerevan`, known to the bundled tz database.
///
/// Validation needs the tz database, which only the server carries (feature
/// `tzdb`); the browser receives zones already checked.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "tzdb", serde(try_from = "String"))]
#[serde(into = "String")]
pub struct TimeZone(String);

impl TimeZone {
    pub fn utc() -> Self {
        TimeZone("UTC".to_owned())
    }

    /// Checks `name` against the bundled tz database and keeps its canonical spelling.
    #[cfg(feature = "tzdb")]
    pub fn parse(name: &str) -> Result<Self, crate::DomainError> {
        let name = name.trim();
        // Names are case-insensitive in the database; store the spelling it uses.
        let known = known_names();
        let canonical = known
            .binary_search_by(|(lower, _)| {
                lower
                    .bytes()
                    .cmp(name.bytes().map(|byte| byte.to_ascii_lowercase()))
            })
            .map(|at| known[at].1.as_str())
            .map_err(|_| crate::DomainError::TimeZoneUnknown)?;
        // Browsers (ICU) still report some zones by names IANA has since replaced;
        // people should read the current name of their city.
        let current = RENAMED
            .iter()
            .find(|(old, _)| *old == canonical)
            .map_or(canonical, |(_, new)| *new);
        Ok(TimeZone(current.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Every zone name the bundled database knows, sorted, for the zone picker.
    #[cfg(feature = "tzdb")]
    pub fn all() -> impl Iterator<Item = String> {
        let mut names: Vec<String> = jiff::tz::db()
            .available()
            .map(|name| name.as_str().to_owned())
            // Legacy aliases ("EST5EDT", "US/Pacific") only confuse a picker.
            .filter(|name| {
                name.contains('/') && !name.starts_with("Etc/GMT+") && !name.starts_with("Etc/GMT-")
            })
            .collect();
        names.sort();
        names.into_iter()
    }
}

/// The bundled database's zone names, lowercased beside their own spelling and
/// sorted by the first, read once: every meeting and every person read from
/// the database carries a zone, and listing the database allocates each name.
#[cfg(feature = "tzdb")]
fn known_names() -> &'static [(String, String)] {
    static KNOWN: std::sync::OnceLock<Vec<(String, String)>> = std::sync::OnceLock::new();
    KNOWN.get_or_init(|| {
        let mut names: Vec<(String, String)> = jiff::tz::db()
            .available()
            .map(|name| (name.as_str().to_ascii_lowercase(), name.as_str().to_owned()))
            .collect();
        names.sort_unstable();
        names.dedup_by(|a, b| a.0 == b.0);
        names
    })
}

/// Old zone names that browsers' `Intl` still reports, and IANA's current ones.
#[cfg(feature = "tzdb")]
const RENAMED: [(&str, &str); 14] = [
    ("Africa/Asmera", "Africa/Asmara"),
    ("America/Buenos_Aires", "America/Argentina/Buenos_Aires"),
    ("America/Godthab", "America/Nuuk"),
    ("America/Indianapolis", "America/Indiana/Indianapolis"),
    ("America/Louisville", "America/Kentucky/Louisville"),
    ("Asia/Calcutta", "Asia/Kolkata"),
    ("Asia/Katmandu", "Asia/Kathmandu"),
    ("Asia/Rangoon", "Asia/Yangon"),
    ("Asia/Saigon", "Asia/Ho_Chi_Minh"),
    ("Atlantic/Faeroe", "Atlantic/Faroe"),
    ("Europe/Kiev", "Europe/Kyiv"),
    ("Pacific/Enderbury", "Pacific/Kanton"),
    ("Pacific/Ponape", "Pacific/Pohnpei"),
    ("Pacific/Truk", "Pacific/Chuuk"),
];

#[cfg(feature = "tzdb")]
impl TryFrom<String> for TimeZone {
    type Error = crate::DomainError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        TimeZone::parse(&value)
    }
}

impl From<TimeZone> for String {
    fn from(zone: TimeZone) -> Self {
        zone.0
    }
}

impl std::fmt::Display for TimeZone {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(all(test, feature = "tzdb"))]
mod tests {
    use super::*;
    use crate::DomainError;

    #[test]
    fn knows_the_zones_participants_live_in() {
        for zone in [
            "Africa/Accra",
            "Africa/Nairobi",
            "America/Lima",
            "Asia/Colombo",
            "Asia/Damascus",
            "Asia/Yerevan",
            "Europe/Amsterdam",
            "Europe/Berlin",
            "Europe/London",
            "Etc/GMT",
            "UTC",
        ] {
            assert_eq!(TimeZone::parse(zone).unwrap().as_str(), zone);
        }
    }

    #[test]
    fn keeps_canonical_spelling() {
        assert_eq!(
            TimeZone::parse(" asia/yerevan ").unwrap().as_str(),
            "Asia/Yerevan"
        );
    }

    #[test]
    fn finds_every_listed_zone_in_any_case() {
        for name in TimeZone::all() {
            let found = TimeZone::parse(&name).unwrap();
            assert_eq!(
                TimeZone::parse(&name.to_ascii_uppercase()),
                Ok(found.clone())
            );
            assert_eq!(TimeZone::parse(&name.to_ascii_lowercase()), Ok(found));
        }
    }

    #[test]
    fn old_names_browsers_report_become_current_ones() {
        for (old, new) in RENAMED {
            assert_eq!(TimeZone::parse(old).unwrap().as_str(), new, "{old}");
            assert_eq!(
                TimeZone::parse(new).unwrap().as_str(),
                new,
                "{new} is known"
            );
        }
        assert_eq!(
            TimeZone::parse("asia/katmandu").unwrap().as_str(),
            "Asia/Kathmandu"
        );
    }

    #[test]
    fn refuses_unknown_or_malformed_names() {
        for zone in [
            "",
            "Mars/Olympus",
            "GMT+25",
            "Europe/",
            "../etc/passwd",
            "Asia/Yerevan\0",
        ] {
            assert_eq!(
                TimeZone::parse(zone),
                Err(DomainError::TimeZoneUnknown),
                "{zone:?}"
            );
        }
    }

    #[test]
    fn deserialisation_validates() {
        assert!(serde_json::from_str::<TimeZone>("\"Nowhere/Land\"").is_err());
        assert!(serde_json::from_str::<TimeZone>("\"Africa/Accra\"").is_ok());
    }
}
