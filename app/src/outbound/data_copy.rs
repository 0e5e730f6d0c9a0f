//! A person's copy of their data (GDPR's right of access) as a ZIP: for each
//! kind a JSON file for other programs and a page to read in their language,
//! and `index.html` listing them. The pages are opened from disk, so they
//! come with their own small style sheet and no script.

use super::stamp;
use crate::i18n::*;
use kring_db::{ExportKind, ExportPart, ExportValue};
use kring_domain::{Language, TimeZone};
use std::collections::BTreeMap;

/// The files of the copy, by path.
pub fn data_copy_files(
    parts: &[ExportPart],
    name: &str,
    language: Language,
    zone: &TimeZone,
    made_at: i64,
) -> BTreeMap<String, String> {
    let t = locale(language);
    let mut files = BTreeMap::new();
    let mut index = String::new();
    for part in parts {
        let stem = part.kind.file_stem();
        files.insert(format!("{stem}.json"), part_json(part));
        files.insert(
            format!("{stem}.html"),
            page(
                language,
                kind_title(t, part.kind),
                &format!(
                    "<p><a href=\"index.html\">{}</a></p>\n{}",
                    escape(td_string!(t, copy_back)),
                    part_table(t, part, zone)
                ),
            ),
        );
        index.push_str(&format!(
            "<li><a href=\"{stem}.html\">{}</a> ({}) · <a href=\"{stem}.json\">{stem}.json</a></li>\n",
            escape(kind_title(t, part.kind)),
            escape(&td_string!(t, copy_rows).replace("%count%", &part.rows.len().to_string())),
        ));
    }
    files.insert("style.css".to_owned(), STYLE.to_owned());
    let intro = td_string!(t, copy_intro)
        .replace("%name%", name)
        .replace("%date%", &stamp(made_at, zone));
    files.insert(
        "index.html".to_owned(),
        page(
            language,
            td_string!(t, copy_title),
            &format!("<p>{}</p>\n<ul>\n{index}</ul>", escape(&intro)),
        ),
    );
    files
}

/// The rows as JSON objects keyed by column; instants in RFC 3339 (UTC).
fn part_json(part: &ExportPart) -> String {
    let rows: Vec<serde_json::Value> = part
        .rows
        .iter()
        .map(|row| {
            let object = part
                .columns
                .iter()
                .zip(row)
                .map(|(column, value)| {
                    let value = match value {
                        ExportValue::Empty => serde_json::Value::Null,
                        ExportValue::Number(number) => serde_json::Value::from(*number),
                        ExportValue::Text(text) => serde_json::Value::from(text.as_str()),
                        ExportValue::Instant(at) => jiff::Timestamp::from_second(*at)
                            .map(|at| serde_json::Value::from(at.to_string()))
                            .unwrap_or(serde_json::Value::Null),
                    };
                    (column.clone(), value)
                })
                .collect::<serde_json::Map<_, _>>();
            serde_json::Value::Object(object)
        })
        .collect();
    serde_json::to_string_pretty(&rows).unwrap_or_else(|_| "[]".to_owned())
}

fn part_table(t: Locale, part: &ExportPart, zone: &TimeZone) -> String {
    if part.rows.is_empty() {
        return format!("<p>{}</p>", escape(td_string!(t, copy_empty)));
    }
    let mut table = String::from("<table>\n<thead><tr>");
    for column in &part.columns {
        table.push_str(&format!("<th>{}</th>", escape(column_heading(t, column))));
    }
    table.push_str("</tr></thead>\n<tbody>\n");
    for row in &part.rows {
        table.push_str("<tr>");
        for value in row {
            let text = match value {
                ExportValue::Empty => String::new(),
                ExportValue::Number(number) => number.to_string(),
                ExportValue::Text(text) => text.clone(),
                ExportValue::Instant(at) => stamp(*at, zone),
            };
            table.push_str(&format!("<td>{}</td>", escape(&text)));
        }
        table.push_str("</tr>\n");
    }
    table.push_str("</tbody>\n</table>");
    table
}

/// The pages' look, a file of the copy: they are opened from disk, without Kring.
const STYLE: &str = "body { font-family: system-ui, sans-serif; margin: 1.5rem; line-height: 1.4 }\n\
table { border-collapse: collapse }\n\
th, td { border: 1px solid #bbb; padding: .3rem .5rem; vertical-align: top; text-align: left; white-space: pre-wrap }\n";

fn page(language: Language, title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n\
         <link rel=\"stylesheet\" href=\"style.css\">\n</head>\n\
         <body>\n<h1>{}</h1>\n{body}\n</body>\n</html>\n",
        language.code(),
        escape(title),
        escape(title),
    )
}

fn escape(text: &str) -> String {
    html_escape::encode_text(text).into_owned()
}

/// What a kind is called in the copy.
pub fn kind_title(t: Locale, kind: ExportKind) -> &'static str {
    match kind {
        ExportKind::Profile => td_string!(t, copy_kind_profile),
        ExportKind::Memberships => td_string!(t, copy_kind_memberships),
        ExportKind::Registrations => td_string!(t, copy_kind_registrations),
        ExportKind::Attendance => td_string!(t, copy_kind_attendance),
        ExportKind::Posts => td_string!(t, copy_kind_posts),
        ExportKind::PostEdits => td_string!(t, copy_kind_post_edits),
        ExportKind::UnitRevisions => td_string!(t, copy_kind_unit_revisions),
        ExportKind::UnitDrafts => td_string!(t, copy_kind_unit_drafts),
        ExportKind::ProgramTexts => td_string!(t, copy_kind_program_texts),
        ExportKind::Reading => td_string!(t, copy_kind_reading),
        ExportKind::ForumReading => td_string!(t, copy_kind_forum_reading),
        ExportKind::Notifications => td_string!(t, copy_kind_notifications),
        ExportKind::SessionNotices => td_string!(t, copy_kind_session_notices),
        ExportKind::Mail => td_string!(t, copy_kind_mail),
        ExportKind::SignIns => td_string!(t, copy_kind_sign_ins),
        ExportKind::Audit => td_string!(t, copy_kind_audit),
    }
}

/// A column's heading on the readable pages; the JSON keeps the column's name.
fn column_heading(t: Locale, column: &str) -> &str {
    match column {
        "name" => td_string!(t, copy_col_name),
        "email" => td_string!(t, copy_col_email),
        "handle" => td_string!(t, copy_col_handle),
        "role" => td_string!(t, copy_col_role),
        "organisation" => td_string!(t, copy_col_organisation),
        "country" => td_string!(t, copy_col_country),
        "language" => td_string!(t, copy_col_language),
        "time_zone" => td_string!(t, copy_col_time_zone),
        "email_verified_at" => td_string!(t, copy_col_email_verified_at),
        "session_reminders" => td_string!(t, copy_col_session_reminders),
        "forum_digest" => td_string!(t, copy_col_forum_digest),
        "bio" => td_string!(t, copy_col_bio),
        "learn_share" => td_string!(t, copy_col_learn_share),
        "spoken_languages" => td_string!(t, copy_col_spoken_languages),
        "shows_country" => td_string!(t, copy_col_shows_country),
        "shows_languages" => td_string!(t, copy_col_shows_languages),
        "shows_local_time" => td_string!(t, copy_col_shows_local_time),
        "shows_about" => td_string!(t, copy_col_shows_about),
        "created_at" => td_string!(t, copy_col_created_at),
        "last_seen_at" => td_string!(t, copy_col_last_seen_at),
        "membership" => td_string!(t, copy_col_membership),
        "cohort" => td_string!(t, copy_col_cohort),
        "language_group" => td_string!(t, copy_col_language_group),
        "circle" => td_string!(t, copy_col_circle),
        "joined_at" => td_string!(t, copy_col_joined_at),
        "session" => td_string!(t, copy_col_session),
        "starts_at" => td_string!(t, copy_col_starts_at),
        "status" => td_string!(t, copy_col_status),
        "updated_at" => td_string!(t, copy_col_updated_at),
        "recorded_at" => td_string!(t, copy_col_recorded_at),
        "post" => td_string!(t, copy_col_post),
        "thread" => td_string!(t, copy_col_thread),
        "body" => td_string!(t, copy_col_body),
        "tag" => td_string!(t, copy_col_tag),
        "edited_at" => td_string!(t, copy_col_edited_at),
        "deleted_at" => td_string!(t, copy_col_deleted_at),
        "hidden_reason" => td_string!(t, copy_col_hidden_reason),
        "replaced_at" => td_string!(t, copy_col_replaced_at),
        "unit" => td_string!(t, copy_col_unit),
        "revision" => td_string!(t, copy_col_revision),
        "title" => td_string!(t, copy_col_title),
        "summary" => td_string!(t, copy_col_summary),
        "kind" => td_string!(t, copy_col_kind),
        "item" => td_string!(t, copy_col_item),
        "visited_at" => td_string!(t, copy_col_visited_at),
        "done_at" => td_string!(t, copy_col_done_at),
        "read_at" => td_string!(t, copy_col_read_at),
        "emailed_at" => td_string!(t, copy_col_emailed_at),
        "action" => td_string!(t, copy_col_action),
        "role_in_it" => td_string!(t, copy_col_role_in_it),
        "actor_role" => td_string!(t, copy_col_actor_role),
        "detail" => td_string!(t, copy_col_detail),
        "pending_email" => td_string!(t, copy_col_pending_email),
        "previous_start_at" => td_string!(t, copy_col_previous_start_at),
        "subject" => td_string!(t, copy_col_subject),
        "sent_at" => td_string!(t, copy_col_sent_at),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_is_a_page_and_a_file_and_text_stays_text() {
        // Built from parts: the source itself must hold no raw script tag.
        let hostile = format!("<{0}>alert(1)</{0}> & more", "script");
        let parts: Vec<ExportPart> = ExportKind::ALL
            .into_iter()
            .map(|kind| ExportPart {
                kind,
                columns: vec!["body".to_owned(), "created_at".to_owned()],
                rows: vec![vec![
                    ExportValue::Text(hostile.clone()),
                    ExportValue::Instant(1_764_770_400),
                ]],
            })
            .collect();
        let zone = TimeZone::parse("Asia/Yerevan").unwrap();
        let files = data_copy_files(&parts, "Anush <b>", Language::Es, &zone, 1_764_770_400);
        assert_eq!(files.len(), 2 * ExportKind::ALL.len() + 2);
        let posts = &files["posts.html"];
        assert!(posts.contains("<html lang=\"es\">"));
        assert!(posts.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; more"));
        assert!(!posts.contains(&format!("<{}", "script")));
        assert!(posts.contains("2025-12-03 18:00"), "{posts}");
        assert!(files["index.html"].contains("Anush &lt;b&gt;"));
        let json: serde_json::Value = serde_json::from_str(&files["posts.json"]).unwrap();
        assert_eq!(json[0]["body"], hostile.as_str());
        assert_eq!(json[0]["created_at"], "2025-12-03T14:00:00Z");
    }
}
