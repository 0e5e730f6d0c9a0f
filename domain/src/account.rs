use crate::DomainError;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::sync::OnceLock;

/// A lower-cased, trimmed e-mail address with one `@`, a local part and a dotted domain.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

impl Email {
    /// RFC 5321's limit on a forward path.
    const MAX_LEN: usize = 254;

    pub fn parse(input: &str) -> Result<Self, DomainError> {
        let email = input.trim().to_lowercase();
        let (local, domain) = email.split_once('@').ok_or(DomainError::EmailInvalid)?;
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && !domain.contains('@');
        let chars_ok = !email
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "<>()[],;:\\\"".contains(c));
        if local.is_empty()
            || local.len() > 64
            || !domain_ok
            || !chars_ok
            || email.len() > Self::MAX_LEN
        {
            return Err(DomainError::EmailInvalid);
        }
        Ok(Email(email))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Email {
    type Error = DomainError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Email::parse(&value)
    }
}

impl From<Email> for String {
    fn from(email: Email) -> Self {
        email.0
    }
}

/// Trims `input` and checks it holds between one and `max` characters with no control characters.
pub(crate) fn bounded_text(
    input: &str,
    max: usize,
    empty: DomainError,
    too_long: DomainError,
) -> Result<String, DomainError> {
    let text: String = input.trim().chars().filter(|c| !c.is_control()).collect();
    match text.chars().count() {
        0 => Err(empty),
        n if n > max => Err(too_long),
        _ => Ok(text),
    }
}

/// The name other members see: trimmed, 1 to 80 characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct DisplayName(String);

impl DisplayName {
    pub const MAX_CHARS: usize = 80;

    pub fn parse(input: &str) -> Result<Self, DomainError> {
        bounded_text(
            input,
            Self::MAX_CHARS,
            DomainError::DisplayNameEmpty,
            DomainError::DisplayNameTooLong,
        )
        .map(DisplayName)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for DisplayName {
    type Error = DomainError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        DisplayName::parse(&value)
    }
}

impl From<DisplayName> for String {
    fn from(name: DisplayName) -> Self {
        name.0
    }
}

/// An organisation's name: trimmed, 1 to 120 characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct OrganisationName(String);

impl OrganisationName {
    pub const MAX_CHARS: usize = 120;

    pub fn parse(input: &str) -> Result<Self, DomainError> {
        bounded_text(
            input,
            Self::MAX_CHARS,
            DomainError::OrganisationNameEmpty,
            DomainError::OrganisationNameTooLong,
        )
        .map(OrganisationName)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for OrganisationName {
    type Error = DomainError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        OrganisationName::parse(&value)
    }
}

impl From<OrganisationName> for String {
    fn from(name: OrganisationName) -> Self {
        name.0
    }
}

pub const PASSWORD_MIN_CHARS: usize = 8;
pub const PASSWORD_MAX_CHARS: usize = 128;

/// A password someone chooses: 8 to 128 characters and not one of the
/// passwords attackers try first. Never serialised, never logged.
#[derive(Clone, PartialEq, Eq)]
pub struct NewPassword(String);

impl NewPassword {
    pub fn parse(input: &str) -> Result<Self, DomainError> {
        let length = input.chars().count();
        if length < PASSWORD_MIN_CHARS {
            return Err(DomainError::PasswordTooShort);
        }
        if length > PASSWORD_MAX_CHARS {
            return Err(DomainError::PasswordTooLong);
        }
        if common_passwords().contains(input.to_lowercase().as_str()) {
            return Err(DomainError::PasswordTooCommon);
        }
        Ok(NewPassword(input.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewPassword(…)")
    }
}

fn common_passwords() -> &'static HashSet<&'static str> {
    static LIST: OnceLock<HashSet<&'static str>> = OnceLock::new();
    LIST.get_or_init(|| {
        include_str!("common_passwords.txt")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalised() {
        assert_eq!(
            Email::parse("  Amara@Demo.Kring ").unwrap().as_str(),
            "amara@demo.kring"
        );
        assert_eq!(
            Email::parse("first.last+kring@example.org")
                .unwrap()
                .as_str(),
            "first.last+kring@example.org"
        );
    }

    #[test]
    fn bad_emails_are_refused() {
        let long_local = format!("{}@example.org", "a".repeat(65));
        let long_domain = format!("a@{}.org", "b".repeat(250));
        for input in [
            "",
            "amara",
            "@demo.kring",
            "amara@",
            "amara@localhost",
            "amara@.kring",
            "amara@demo.",
            "amara@demo..kring",
            "am ara@demo.kring",
            "amara@@demo.kring",
            "a@b@demo.kring",
            "<amara@demo.kring>",
            "amara@demo.kring\n",
            long_local.as_str(),
            long_domain.as_str(),
        ] {
            // A trailing newline is trimmed away, so that one is valid.
            if input == "amara@demo.kring\n" {
                assert!(Email::parse(input).is_ok());
                continue;
            }
            assert_eq!(
                Email::parse(input),
                Err(DomainError::EmailInvalid),
                "{input:?}"
            );
        }
    }

    #[test]
    fn email_deserialisation_validates() {
        assert!(serde_json::from_str::<Email>("\"no-at-sign\"").is_err());
        assert_eq!(
            serde_json::from_str::<Email>("\"A@B.nl\"")
                .unwrap()
                .as_str(),
            "a@b.nl"
        );
    }

    #[test]
    fn display_names_are_bounded() {
        assert_eq!(
            DisplayName::parse("  Anush Petrosyan ").unwrap().as_str(),
            "Anush Petrosyan"
        );
        assert_eq!(
            DisplayName::parse("   "),
            Err(DomainError::DisplayNameEmpty)
        );
        assert_eq!(
            DisplayName::parse("\u{7}"),
            Err(DomainError::DisplayNameEmpty)
        );
        assert!(
            DisplayName::parse(&"ա".repeat(80)).is_ok(),
            "80 Armenian letters fit"
        );
        assert_eq!(
            DisplayName::parse(&"x".repeat(81)),
            Err(DomainError::DisplayNameTooLong)
        );
        assert_eq!(
            DisplayName::parse("Lucía\u{0}Quispe").unwrap().as_str(),
            "LucíaQuispe"
        );
    }

    #[test]
    fn organisation_names_are_bounded() {
        assert!(OrganisationName::parse("Hope and Homes for Children").is_ok());
        assert_eq!(
            OrganisationName::parse(""),
            Err(DomainError::OrganisationNameEmpty)
        );
        assert_eq!(
            OrganisationName::parse(&"o".repeat(121)),
            Err(DomainError::OrganisationNameTooLong)
        );
    }

    #[test]
    fn password_policy() {
        assert_eq!(
            NewPassword::parse("short").unwrap_err(),
            DomainError::PasswordTooShort
        );
        assert_eq!(
            NewPassword::parse("1234567").unwrap_err(),
            DomainError::PasswordTooShort
        );
        assert_eq!(
            NewPassword::parse(&"x".repeat(129)).unwrap_err(),
            DomainError::PasswordTooLong
        );
        assert!(
            NewPassword::parse(&"x1".repeat(64)).is_ok(),
            "128 characters are allowed"
        );
        for common in [
            "password",
            "Password1",
            "12345678",
            "QWERTY123",
            "iloveyou",
            "wachtwoord",
            "passwort",
        ] {
            assert_eq!(
                NewPassword::parse(common).unwrap_err(),
                DomainError::PasswordTooCommon,
                "{common}"
            );
        }
        assert!(NewPassword::parse("kring-demo-2026").is_ok());
        assert!(NewPassword::parse("walking with families").is_ok());
        // Characters, not bytes, are counted.
        assert!(NewPassword::parse("ñañañaña").is_ok());
        assert_eq!(
            NewPassword::parse("ñañaña").unwrap_err(),
            DomainError::PasswordTooShort
        );
    }

    #[test]
    fn passwords_do_not_leak_in_debug_output() {
        let password = NewPassword::parse("a secret phrase").unwrap();
        assert!(!format!("{password:?}").contains("secret"));
    }
}
