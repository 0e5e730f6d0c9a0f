//! Lists as CSV for spreadsheets, headed in the reader's language: a session's
//! registrants and a cohort's dashboard.

use super::stamp;
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
        let registered_at = stamp(registrant.registered_at, zone);
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

/// The cohort dashboard as CSV, headed in the reader's language: per member their
/// attendance, units done per module (the heading names how many there are), and
/// when they were last seen and last posted, in the reader's zone.
pub fn dashboard_table(
    cohort_name: &str,
    modules: &[kring_db::DashboardModule],
    members: &[kring_db::DashboardMember],
    language: Language,
    zone: &TimeZone,
) -> String {
    let t = locale(language);
    let mut headings: Vec<String> = [
        td_string!(t, csv_name),
        td_string!(t, csv_email),
        td_string!(t, csv_language_group),
        td_string!(t, csv_attended),
        td_string!(t, csv_sessions_held),
        td_string!(t, csv_excused),
    ]
    .into_iter()
    .map(str::to_owned)
    .collect();
    headings.extend(modules.iter().map(|module| {
        td_string!(t, csv_module_done)
            .replace("%title%", &module.title)
            .replace("%total%", &module.units.to_string())
    }));
    headings.push(td_string!(t, dashboard_last_seen).to_owned());
    headings.push(td_string!(t, dashboard_last_post).to_owned());
    let mut out = String::from("\u{feff}");
    push_row(&mut out, &[cohort_name]);
    push_row(
        &mut out,
        &headings.iter().map(String::as_str).collect::<Vec<_>>(),
    );
    for member in members {
        let mut cells = vec![
            member.name.clone(),
            member.email.clone(),
            member.group.clone().unwrap_or_default(),
            member.present.to_string(),
            member.held.to_string(),
            member.excused.to_string(),
        ];
        cells.extend(modules.iter().map(|module| {
            member
                .done
                .get(&module.id)
                .copied()
                .unwrap_or(0)
                .to_string()
        }));
        cells.push(
            member
                .last_seen_at
                .map_or_else(String::new, |at| stamp(at, zone)),
        );
        cells.push(
            member
                .last_post_at
                .map_or_else(String::new, |at| stamp(at, zone)),
        );
        push_row(
            &mut out,
            &cells.iter().map(String::as_str).collect::<Vec<_>>(),
        );
    }
    out
}

/// An instant as a spreadsheet reads it: `2026-12-03 17:05 +04`, in the reader's zone.
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
