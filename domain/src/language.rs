use crate::DomainError;
use serde::{Deserialize, Serialize};

/// A language Kring's interface and content exist in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    #[default]
    En,
    Es,
    De,
    Nl,
}

impl Language {
    pub const ALL: [Language; 4] = [Language::En, Language::Es, Language::De, Language::Nl];

    /// The BCP 47 code, as used in `<html lang>`, cookies and the database.
    pub fn code(self) -> &'static str {
        match self {
            Language::En => "en",
            Language::Es => "es",
            Language::De => "de",
            Language::Nl => "nl",
        }
    }

    /// The language's name in itself, as shown in the language switcher.
    pub fn native_name(self) -> &'static str {
        match self {
            Language::En => "English",
            Language::Es => "Español",
            Language::De => "Deutsch",
            Language::Nl => "Nederlands",
        }
    }

    /// Parses a code such as `nl`, `NL` or a tag such as `nl-BE`.
    pub fn parse(code: &str) -> Result<Self, DomainError> {
        let primary = code.trim().split(['-', '_']).next().unwrap_or_default();
        Language::ALL
            .into_iter()
            .find(|language| language.code().eq_ignore_ascii_case(primary))
            .ok_or(DomainError::LanguageUnknown)
    }

    /// The best supported language in an `Accept-Language` header, honouring q-values.
    pub fn from_accept_language(header: &str) -> Option<Self> {
        let mut candidates: Vec<(f32, usize, Language)> = header
            .split(',')
            .enumerate()
            .filter_map(|(position, item)| {
                let mut parts = item.split(';');
                let tag = parts.next()?.trim();
                let quality = parts
                    .filter_map(|param| param.trim().strip_prefix("q="))
                    .find_map(|q| q.trim().parse::<f32>().ok())
                    .unwrap_or(1.0);
                let language = Language::parse(tag).ok()?;
                (quality > 0.0).then_some((quality, position, language))
            })
            .collect();
        candidates.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        candidates.first().map(|(_, _, language)| *language)
    }

    /// The interface language for a request: the signed-in user's profile,
    /// else the switcher's cookie, else the browser's `Accept-Language`, else English.
    pub fn resolve(
        profile: Option<Language>,
        cookie: Option<&str>,
        accept_language: Option<&str>,
    ) -> Self {
        profile
            .or_else(|| cookie.and_then(|code| Language::parse(code).ok()))
            .or_else(|| accept_language.and_then(Language::from_accept_language))
            .unwrap_or_default()
    }
}

impl std::fmt::Display for Language {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

/// "1 thread" or "%count% threads": one form for one, the other for every other count.
pub fn counted(count: i64, one: &str, many: &str) -> String {
    if count == 1 {
        one.to_owned()
    } else {
        filled(many, "%count%", &count.to_string())
    }
}

/// `template` with each `placeholder` in it (`%name%`) replaced by `value`, as
/// `str::replace` does. Compared byte by byte because the browser's small
/// module carries this: `str` pattern search brings a large searcher, and its
/// panic messages, into the WebAssembly.
pub fn filled(template: &str, placeholder: &str, value: &str) -> String {
    let (bytes, wanted) = (template.as_bytes(), placeholder.as_bytes());
    if wanted.is_empty() {
        return template.to_owned();
    }
    let mut out = String::with_capacity(template.len() + value.len());
    let (mut copied, mut at) = (0, 0);
    while at + wanted.len() <= bytes.len() {
        if bytes.get(at..at + wanted.len()) == Some(wanted) {
            // A match of valid UTF-8 starts and ends on character boundaries.
            out.push_str(template.get(copied..at).unwrap_or_default());
            out.push_str(value);
            at += wanted.len();
            copied = at;
        } else {
            at += 1;
        }
    }
    out.push_str(template.get(copied..).unwrap_or_default());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filled_replaces_as_str_replace_does() {
        for (template, placeholder, value) in [
            ("%count% new posts", "%count%", "12"),
            ("Neuer Beitrag von %name%", "%name%", "Lucía"),
            ("%name% and %name%", "%name%", "A"),
            ("%name%%name%", "%name%", ""),
            ("no placeholder", "%name%", "x"),
            ("100% sure, %name%", "%name%", "ünï 🌍"),
            ("%nam", "%name%", "x"),
            ("", "%name%", "x"),
            ("ééé%name%ééé", "%name%", "%name%"),
        ] {
            assert_eq!(
                filled(template, placeholder, value),
                template.replace(placeholder, value),
                "{template}"
            );
        }
        assert_eq!(filled("abc", "", "x"), "abc");
        assert_eq!(counted(1, "1 post", "%count% posts"), "1 post");
        assert_eq!(counted(3, "1 post", "%count% posts"), "3 posts");
    }

    #[test]
    fn parses_codes_and_tags() {
        for (input, expected) in [
            ("en", Language::En),
            ("ES", Language::Es),
            ("de-AT", Language::De),
            ("nl_BE", Language::Nl),
            (" nl ", Language::Nl),
        ] {
            assert_eq!(Language::parse(input), Ok(expected), "{input}");
        }
        for input in ["", "fr", "english", "e", "hy-AM"] {
            assert_eq!(
                Language::parse(input),
                Err(DomainError::LanguageUnknown),
                "{input}"
            );
        }
    }

    #[test]
    fn accept_language_respects_quality_and_order() {
        let cases = [
            ("nl-NL,nl;q=0.9,en;q=0.8", Some(Language::Nl)),
            ("fr-FR,fr;q=0.9,de;q=0.7,en;q=0.5", Some(Language::De)),
            ("en;q=0.2, es;q=0.8", Some(Language::Es)),
            ("hy-AM, ru", None),
            ("es-PE", Some(Language::Es)),
            ("de;q=0, nl", Some(Language::Nl)),
            ("en, es", Some(Language::En)),
            ("*", None),
            ("", None),
            ("de;q=abc", Some(Language::De)),
        ];
        for (header, expected) in cases {
            assert_eq!(Language::from_accept_language(header), expected, "{header}");
        }
    }

    #[test]
    fn resolution_order_is_profile_cookie_header_english() {
        assert_eq!(
            Language::resolve(Some(Language::De), Some("nl"), Some("es")),
            Language::De
        );
        assert_eq!(
            Language::resolve(None, Some("nl"), Some("es")),
            Language::Nl
        );
        assert_eq!(
            Language::resolve(None, Some("xx"), Some("es")),
            Language::Es
        );
        assert_eq!(
            Language::resolve(None, None, Some("es-PE,es;q=0.9")),
            Language::Es
        );
        assert_eq!(Language::resolve(None, None, Some("hy")), Language::En);
        assert_eq!(Language::resolve(None, None, None), Language::En);
    }

    #[test]
    fn serde_uses_codes() {
        assert_eq!(serde_json::to_string(&Language::Nl).unwrap(), "\"nl\"");
        assert_eq!(
            serde_json::from_str::<Language>("\"es\"").unwrap(),
            Language::Es
        );
    }
}
