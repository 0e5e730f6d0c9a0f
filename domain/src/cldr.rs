//! Words from CLDR, the Unicode Common Locale Data Repository, through ICU4X: month and
//! weekday names, and the city that names a time zone ("Londres" to a Spanish reader,
//! "Londen" to a Dutch one). Only the data for Kring's four languages is compiled in
//! (`domain/cldr/`, written by `make cldr-data`), not ICU4X's data for every language.

use crate::Language;
use icu_calendar::{Date, Gregorian};
use icu_datetime::fieldsets::enums::DateFieldSet;
use icu_datetime::fieldsets::zone::ExemplarCity;
use icu_datetime::pattern::{
    DateTimePattern, FixedCalendarDateTimeNames, MonthNameLength, WeekdayNameLength,
};
use icu_datetime::NoCalendarFormatter;
use icu_locale_core::{locale, Locale};
use icu_time::zone::IanaParser;
use icu_time::TimeZone as CldrZone;
use jiff::civil::Weekday;
use std::sync::LazyLock;
use writeable::TryWriteable;

/// The compiled-in CLDR data, as an ICU4X data provider.
struct KringCldr;

mod generated {
    // The generated code names `alloc::borrow::Cow`, as ICU4X's own data crates do.
    extern crate alloc;
    use super::KringCldr;
    include!("../cldr/mod.rs");
    impl_data_provider!(KringCldr);
}

/// One language's names and the patterns Kring writes dates in.
struct Names {
    /// Abbreviated month names and stand-alone abbreviated weekday names: "jue 12 mar".
    short: FixedCalendarDateTimeNames<Gregorian, DateFieldSet>,
    /// Wide month names: "12 de marzo", "marzo de 2027".
    long: FixedCalendarDateTimeNames<Gregorian, DateFieldSet>,
    cities: NoCalendarFormatter<ExemplarCity>,
    short_date: DateTimePattern,
    day_and_month: DateTimePattern,
    month_heading: DateTimePattern,
    weekday: DateTimePattern,
}

/// Kring's patterns per language. `day_and_month` and `month_heading` are CLDR's own patterns for
/// the skeletons `MMMMd` and `yMMMM` in en-GB, es, de and nl; `short_date` is CLDR's `MMMEd`
/// without the comma some languages put after the weekday, because agenda lines already
/// continue with ", 16:00–18:00".
fn patterns(language: Language) -> (Locale, [&'static str; 3]) {
    match language {
        Language::En => (locale!("en-GB"), ["ccc d MMM", "d MMMM", "MMMM y"]),
        Language::Es => (locale!("es"), ["ccc d MMM", "d 'de' MMMM", "MMMM 'de' y"]),
        Language::De => (locale!("de"), ["ccc d. MMM", "d. MMMM", "MMMM y"]),
        Language::Nl => (locale!("nl"), ["ccc d MMM", "d MMMM", "MMMM y"]),
    }
}

impl Names {
    fn load(language: Language) -> Names {
        let (locale, [short_date, day_and_month, month_heading]) = patterns(language);
        let pattern = |text: &str| -> DateTimePattern {
            text.parse()
                .unwrap_or_else(|error| panic!("pattern {text}: {error:?}"))
        };
        // The data is compiled in and covered by unit tests for every language: a failure here
        // is a build that shipped without it, not something a request can cause.
        let names = |months: MonthNameLength| {
            let mut names =
                FixedCalendarDateTimeNames::try_new_unstable(&KringCldr, locale.clone().into())
                    .expect("CLDR number data is compiled in");
            names
                .load_month_names(&KringCldr, months)
                .expect("CLDR month names are compiled in");
            names
        };
        let mut short = names(MonthNameLength::Abbreviated);
        short
            .load_weekday_names(&KringCldr, WeekdayNameLength::StandaloneAbbreviated)
            .expect("CLDR weekday names are compiled in");
        Names {
            short,
            long: names(MonthNameLength::Wide),
            cities: NoCalendarFormatter::try_new_unstable(&KringCldr, locale.into(), ExemplarCity)
                .expect("CLDR zone cities are compiled in"),
            short_date: pattern(short_date),
            day_and_month: pattern(day_and_month),
            month_heading: pattern(month_heading),
            weekday: pattern("ccc"),
        }
    }
}

static NAMES: LazyLock<[Names; 4]> = LazyLock::new(|| Language::ALL.map(Names::load));
static ZONE_IDS: LazyLock<IanaParser> = LazyLock::new(|| {
    IanaParser::try_new_unstable(&KringCldr).expect("CLDR zone identifiers are compiled in")
});

fn names(language: Language) -> &'static Names {
    &NAMES[Language::ALL
        .iter()
        .position(|candidate| *candidate == language)
        .unwrap_or(0)]
}

fn write(
    names: &FixedCalendarDateTimeNames<Gregorian, DateFieldSet>,
    pattern: &DateTimePattern,
    date: jiff::civil::Date,
) -> String {
    let Ok(date) =
        Date::try_new_gregorian(i32::from(date.year()), date.month() as u8, date.day() as u8)
    else {
        return date.to_string();
    };
    match names
        .with_pattern_unchecked(pattern)
        .format(&date)
        .try_write_to_string()
    {
        Ok(text) => text.into_owned(),
        // Only a name missing from the data gets here; the text then carries a marker for it.
        Err((_, text)) => text.into_owned(),
    }
}

/// "Thu 12 Mar", "jue 12 mar", "Do 12. März", "do 12 mrt".
pub(crate) fn short_date(date: jiff::civil::Date, language: Language) -> String {
    let names = names(language);
    write(&names.short, &names.short_date, date)
}

/// "29 March", "29 de marzo", "29. März", "29 maart".
pub(crate) fn day_and_month(date: jiff::civil::Date, language: Language) -> String {
    let names = names(language);
    write(&names.long, &names.day_and_month, date)
}

/// "March 2027", "marzo de 2027", "März 2027", "maart 2027".
pub(crate) fn month_heading(date: jiff::civil::Date, language: Language) -> String {
    let names = names(language);
    write(&names.long, &names.month_heading, date)
}

/// "Mon", "lun", "Mo", "ma": the weekday on its own, as a column heading.
pub(crate) fn weekday(weekday: Weekday, language: Language) -> String {
    // 1 March 2027 is a Monday; any week serves.
    let day = jiff::civil::date(2027, 3, 1)
        + jiff::Span::new().days(i64::from(weekday.to_monday_zero_offset()));
    let names = names(language);
    write(&names.short, &names.weekday, day)
}

/// The city CLDR names a zone after, in the reader's language: "Londres" for Europe/London to
/// a Spanish reader. `None` for an identifier CLDR does not know.
pub(crate) fn zone_city(iana: &str, language: Language) -> Option<String> {
    let zone = ZONE_IDS.as_borrowed().parse(iana);
    if zone == CldrZone::UNKNOWN {
        return None;
    }
    Some(
        names(language)
            .cities
            .format(&zone.without_offset())
            .to_string(),
    )
}
