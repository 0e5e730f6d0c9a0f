//! The registrant list as CSV for spreadsheets, headed in the reader's language.

use crate::i18n::*;
use kring_db::MeetingRecord;
use kring_domain::{Language, TimeZone};

/// The registrant list as CSV (RFC 4180), headed in the reader's language.
pub fn registrants_table(
    session: &MeetingRecord,
    registrants: &[kring_db::RegistrantRecord],
    language: Language,
    zone: &TimeZone,
) -> String {
    let t = locale(language);
    let headings = [
        td_string!(t, csv_name),
        td_string!(t, csv_email),
        td_string!(t, csv_organisation),
        td_string!(t, csv_language_group),
        td_string!(t, csv_time_zone),
        td_string!(t, csv_status),
        td_string!(t, csv_registered_at),
    ];
    let mut out = String::from("\u{feff}");
    push_row(&mut out, &[session.title.as_str()]);
    push_row(&mut out, &headings);
    for registrant in registrants {
        let registered_at = jiff::Timestamp::from_second(registrant.registered_at)
            .map(|at| {
                at.to_zoned_datetime(kring_domain::series::zone_rules(zone))
                    .strftime("%Y-%m-%d %H:%M %Z")
                    .to_string()
            })
            .unwrap_or_default();
        push_row(
            &mut out,
            &[
                &registrant.name,
                &registrant.email,
                &registrant.organisation,
                &registrant.language_group,
                &registrant.time_zone,
                registrant.status.code(),
                &registered_at,
            ],
        );
    }
    out
}

fn push_row(out: &mut String, cells: &[&str]) {
    let row: Vec<String> = cells.iter().map(|cell| csv_cell(cell)).collect();
    out.push_str(&row.join(","));
    out.push_str("\r\n");
}

/// Quotes every cell, and defuses cells a spreadsheet would run as a formula.
fn csv_cell(value: &str) -> String {
    let value = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_owned()
    };
    format!("\"{}\"", value.replace('"', "\"\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_are_quoted_and_formulas_defused() {
        assert_eq!(csv_cell("Amara"), "\"Amara\"");
        assert_eq!(csv_cell("Say \"hi\", ok"), "\"Say \"\"hi\"\", ok\"");
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_cell("-2+3"), "\"'-2+3\"");
    }
}
