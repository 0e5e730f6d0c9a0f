use crate::DomainError;
use serde::{Deserialize, Serialize};

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
    let text: String = input.chars().filter(|c| !c.is_control()).collect();
    let text = text.trim().to_owned();
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

/// The @handles to try for someone called `name`, best first: their first
/// name, then first and last name joined by a dot. Lower case, accents
/// folded (Lucía → lucia), letters and digits only; names in other scripts
/// keep their own letters (Անուշ → անուշ). Never derived from an address, so
/// mentioning someone reveals nothing of it.
pub fn handle_candidates(name: &DisplayName) -> Vec<String> {
    let words: Vec<String> = name
        .as_str()
        .split_whitespace()
        .map(handle_word)
        .filter(|word| !word.is_empty())
        .collect();
    match words.as_slice() {
        [] => vec!["member".to_owned()],
        [only] => vec![only.clone()],
        [first, .., last] => vec![first.clone(), format!("{first}.{last}")],
    }
}

/// A word of a name as handle letters: folded, at most 30 letters.
fn handle_word(word: &str) -> String {
    fold(word, &[]).chars().take(30).collect()
}

/// `text` in lower case with accents folded (Lucía → lucia, Straße →
/// strasse), keeping letters, digits and `keep`; names in other scripts keep
/// their own letters.
pub(crate) fn fold(text: &str, keep: &[char]) -> String {
    use unicode_normalization::{char::is_combining_mark, UnicodeNormalization};
    let mut folded = String::with_capacity(text.len());
    for c in text.nfd().filter(|c| !is_combining_mark(*c)) {
        match c {
            'ß' => folded.push_str("ss"),
            'æ' | 'Æ' => folded.push_str("ae"),
            'ø' | 'Ø' => folded.push('o'),
            'ł' | 'Ł' => folded.push('l'),
            'đ' | 'Đ' => folded.push('d'),
            c if c.is_alphanumeric() => folded.extend(c.to_lowercase()),
            c if keep.contains(&c) => folded.push(c),
            _ => {}
        }
    }
    folded
}

pub const PASSWORD_MIN_CHARS: usize = 8;
pub const PASSWORD_MAX_CHARS: usize = 128;

/// A password someone chooses: 8 to 128 characters, not one of the 30,000
/// passwords attackers try first (zxcvbn's list, from breached-password
/// dumps; ASVS 6.2.4 asks for at least 3,000) nor a single common word or
/// name, nor the person's own name or address. Never serialised, never logged. Server only: the list stays out
/// of the WebAssembly.
#[cfg(feature = "passwords")]
#[derive(Clone, PartialEq, Eq)]
pub struct NewPassword(String);

#[cfg(feature = "passwords")]
impl NewPassword {
    pub fn parse(input: &str) -> Result<Self, DomainError> {
        NewPassword::parse_for(input, &[])
    }

    /// Also refuses a password made of the person's own words (`own_words`:
    /// their name, their address), which those who know them try first.
    pub fn parse_for(input: &str, own_words: &[&str]) -> Result<Self, DomainError> {
        let length = input.chars().count();
        if length < PASSWORD_MIN_CHARS {
            return Err(DomainError::PasswordTooShort);
        }
        if length > PASSWORD_MAX_CHARS {
            return Err(DomainError::PasswordTooLong);
        }
        if is_guessed_first(input, own_words) {
            return Err(DomainError::PasswordTooCommon);
        }
        Ok(NewPassword(input.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

#[cfg(feature = "passwords")]
impl std::fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewPassword(…)")
    }
}

/// Whether an attacker would guess the password early: the whole of it is
/// one entry of zxcvbn's dictionaries (its 30,000 common passwords, common
/// names and words) or of `own_words`, in any capitalisation, reversed or in
/// l33t spelling; or zxcvbn expects it found within a million guesses (a
/// common word with a year, a keyboard walk, a date).
#[cfg(feature = "passwords")]
fn is_guessed_first(password: &str, own_words: &[&str]) -> bool {
    use zxcvbn::matching::patterns::MatchPattern;
    /// Guesses below which a password falls to a throttled online attack
    /// within days (zxcvbn's scores 0 and 1).
    const FEW_GUESSES: u64 = 1_000_000;
    let estimate = zxcvbn::zxcvbn(password, own_words);
    // zxcvbn reads the first 100 characters.
    let last = password.chars().count().min(100) - 1;
    estimate.guesses() < FEW_GUESSES
        || estimate.sequence().iter().any(|found| {
            found.i == 0 && found.j == last && matches!(found.pattern, MatchPattern::Dictionary(_))
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
    fn handles_come_from_names_never_addresses() {
        let cases: [(&str, &[&str]); 7] = [
            ("Lucía Quispe", &["lucia", "lucia.quispe"]),
            ("Amara", &["amara"]),
            ("Jana Müller-Schmidt", &["jana", "jana.mullerschmidt"]),
            ("Anush Petrosyan", &["anush", "anush.petrosyan"]),
            ("Անուշ Պետրոսյան", &["անուշ", "անուշ.պետրոսյան"]),
            ("Søren Straße", &["soren", "soren.strasse"]),
            ("***", &["member"]),
        ];
        for (name, expected) in cases {
            let name = DisplayName::parse(name).unwrap();
            assert_eq!(handle_candidates(&name), expected, "{name:?}");
        }
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

    #[cfg(feature = "passwords")]
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
        let long: String = (0..128)
            .map(|n| char::from(b'a' + (n * 7 % 26) as u8))
            .collect();
        assert!(
            NewPassword::parse(&long).is_ok(),
            "128 characters are allowed"
        );
        // From the top of the list down to its long tail, in any capitalisation or spelling.
        for common in [
            "password",
            "Password1",
            "12345678",
            "QWERTY123",
            "iloveyou",
            "drowssap",
            "p@ssw0rd",
            "sunshine1",
            "football",
            "baseball1",
            "trustno1",
            "ELIZABETH",
            "password2026",
            "summer2026",
            "qwertyuiop",
            "1q2w3e4r5t",
        ] {
            assert_eq!(
                NewPassword::parse(common).unwrap_err(),
                DomainError::PasswordTooCommon,
                "{common}"
            );
        }
        for strong_enough in [
            "kring-demo-2026",
            "walking with families",
            "a long enough phrase",
            "another long phrase",
            "taken over for good",
        ] {
            assert!(NewPassword::parse(strong_enough).is_ok(), "{strong_enough}");
        }
        // Characters, not bytes, are counted.
        assert!(NewPassword::parse("ñúéöçãïø").is_ok());
        assert_eq!(
            NewPassword::parse("ñañaña").unwrap_err(),
            DomainError::PasswordTooShort
        );
    }

    #[cfg(feature = "passwords")]
    #[test]
    fn a_password_made_of_ones_own_name_or_address_is_refused() {
        let own = ["Wanjiru Kamau", "wanjiru@demo.kring"];
        for password in ["wanjiru@demo.kring", "WANJIRU@DEMO.KRING"] {
            assert_eq!(
                NewPassword::parse_for(password, &own).unwrap_err(),
                DomainError::PasswordTooCommon,
                "{password}"
            );
        }
        assert!(NewPassword::parse_for("wanjiru's garden in Nyeri", &own).is_ok());
    }

    #[cfg(feature = "passwords")]
    #[test]
    fn passwords_do_not_leak_in_debug_output() {
        let password = NewPassword::parse("a secret phrase").unwrap();
        assert!(!format!("{password:?}").contains("secret"));
    }
}
