//! Module content: programs and modules as readers move through them
//! (progress, where they stopped, units marked done), a unit in the reader's
//! language or its source language with a notice. For
//! facilitators: each unit's translation status, ordering, new units, the
//! editor (drafts saved as they type, publishing that names the revision it
//! started from, conflicts that lose nothing) and the revision history.
//!
//! Here: the types the browser sees. `api` holds the readers' server
//! functions, `authoring` the facilitators'; `pages` and `authoring_pages`
//! the pages; `islands` the drag ordering and the editor.

mod api;
mod authoring;
mod authoring_pages;
mod building;
mod building_pages;
mod folder_pages;
mod folders;
mod islands;
mod pages;

pub use api::*;
pub use authoring::*;
pub use authoring_pages::*;
pub use building::*;
pub use building_pages::*;
pub use folder_pages::*;
pub use folders::*;
pub use islands::*;
pub use pages::*;

use kring_domain::diff::DiffLine;
use kring_domain::{Language, TranslationStatus};
use serde::{Deserialize, Serialize};

/// A unit as one reader sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitView {
    pub id: i64,
    pub title: String,
    /// Sanitised HTML, rendered on the server.
    pub html: String,
    pub shown: Language,
    pub wanted: Language,
    /// The languages this unit can be read in.
    pub languages: Vec<Language>,
    /// The source text changed after this translation was made.
    pub outdated: bool,
    /// Only facilitators see units that are not published yet.
    pub draft: bool,
    pub may_edit: bool,
    /// The reader marked it done.
    pub done: bool,
    /// The module it belongs to: (id, title in the reader's language).
    pub module: (i64, String),
    /// The units before and after it in the module: (id, title).
    pub previous: Option<(i64, String)>,
    pub next: Option<(i64, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitEntry {
    pub id: i64,
    pub title: String,
    /// The language the title is in (the source language when not translated).
    pub shown: Language,
    pub published: bool,
    pub done: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModuleEntry {
    pub id: i64,
    pub title: String,
    pub summary: String,
    pub shown: Language,
    /// Shown to staff only, marked.
    pub archived: bool,
    pub units: Vec<UnitEntry>,
}

impl ModuleEntry {
    pub fn done_count(&self) -> usize {
        self.units.iter().filter(|unit| unit.done).count()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgramView {
    pub id: i64,
    pub name: String,
    pub modules: Vec<ModuleEntry>,
    /// The unit the reader opened last: (id, title).
    pub continue_at: Option<(i64, String)>,
    pub staff: bool,
    /// Readers see the program once published.
    pub published: bool,
    /// For staff: the translation status of the program's and each module's title and summary.
    pub outline: Vec<OutlineStatusRow>,
}

/// A translated text (a unit, or a program's or module's title and summary): each
/// language's status, and where it is edited.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutlineStatusRow {
    /// Where its texts are edited: `/units/3/edit`, `/programs/1/texts`, `/modules/4/texts`.
    pub editor: String,
    pub title: String,
    pub statuses: Vec<(Language, TranslationStatus)>,
}

/// What a program or a module is, in a path (`/programs/…`, `/modules/…`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OutlineKind {
    Program,
    Module,
}

impl OutlineKind {
    pub fn path(self, id: i64) -> String {
        match self {
            OutlineKind::Program => format!("/programs/{id}"),
            OutlineKind::Module => format!("/modules/{id}"),
        }
    }

    #[cfg(feature = "ssr")]
    fn item(self, id: i64) -> kring_db::OutlineItem {
        match self {
            OutlineKind::Program => kring_db::OutlineItem::Program(kring_domain::ProgramId(id)),
            OutlineKind::Module => kring_db::OutlineItem::Module(kring_domain::ModuleId(id)),
        }
    }
}

/// The title-and-summary editor of a program or a module in one language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutlineEditorData {
    pub kind: OutlineKind,
    pub id: i64,
    pub language: Language,
    pub source_language: Language,
    pub title: String,
    pub summary: String,
    pub base_number: i64,
    /// The source text to translate from: (revision, title, summary).
    pub source: Option<(i64, String, String)>,
    /// The newer text someone else published while the author wrote: (revision, title, summary).
    pub conflict: Option<(i64, String, String)>,
    pub statuses: Vec<(Language, TranslationStatus)>,
}

/// What an uploaded program folder will create.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FolderPreview {
    pub import: i64,
    pub title: String,
    pub source_language: Language,
    pub languages: Vec<Language>,
    pub modules: Vec<FolderPreviewModule>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FolderPreviewModule {
    pub title: String,
    pub languages: Vec<Language>,
    /// (title, languages) of each unit.
    pub units: Vec<(String, Vec<Language>)>,
}

/// The editor's fields as posted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutlineEdit {
    pub kind: OutlineKind,
    pub id: i64,
    pub language: String,
    pub base: i64,
    pub source: Option<i64>,
    pub title: String,
    pub summary: String,
}

/// One unit's row in the translation matrix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusRow {
    pub unit: i64,
    pub title: String,
    pub published: bool,
    pub statuses: Vec<(Language, TranslationStatus)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModuleView {
    pub program: i64,
    pub program_name: String,
    pub module: ModuleEntry,
    /// For facilitators: each unit's translation status.
    pub matrix: Option<Vec<StatusRow>>,
}

#[cfg(feature = "ssr")]
impl From<kring_db::ModuleOutline> for ModuleEntry {
    fn from(module: kring_db::ModuleOutline) -> Self {
        ModuleEntry {
            id: module.id.0,
            title: module.title,
            summary: module.summary,
            shown: module.shown_language,
            archived: module.archived,
            units: module
                .units
                .into_iter()
                .map(|unit| UnitEntry {
                    id: unit.id.0,
                    title: unit.title,
                    shown: unit.shown_language,
                    published: unit.published,
                    done: unit.done,
                })
                .collect(),
        }
    }
}

/// What a facilitator puts in order: the units of module `parent`, or the modules of program `parent`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OrderKind {
    Units,
    Modules,
}

impl OrderKind {
    /// As a form field carries it.
    pub fn code(self) -> &'static str {
        match self {
            OrderKind::Units => "units",
            OrderKind::Modules => "modules",
        }
    }

    #[cfg(feature = "ssr")]
    fn siblings(self, parent: i64) -> kring_db::Siblings {
        match self {
            OrderKind::Units => kring_db::Siblings::UnitsOf(kring_domain::ModuleId(parent)),
            OrderKind::Modules => kring_db::Siblings::ModulesOf(kring_domain::ProgramId(parent)),
        }
    }

    /// The page that shows this order, scrolled to `item`.
    #[cfg(feature = "ssr")]
    fn page(self, parent: i64, item: i64) -> String {
        match self {
            OrderKind::Units => format!("/modules/{parent}?moved={item}#unit-{item}"),
            OrderKind::Modules => format!("/programs/{parent}#module-{item}"),
        }
    }
}

/// `1,2,3` as ids; `None` for anything else.
pub fn parse_ids(text: &str) -> Option<Vec<i64>> {
    text.split(',')
        .map(|id| id.trim().parse::<i64>().ok())
        .collect()
}

/// Moves `item` `by` places within `order`, stopping at either end.
pub fn moved<T: PartialEq + Copy>(order: &mut [T], item: T, by: i64) {
    if let Some(from) = order.iter().position(|x| *x == item) {
        let to = (from as i64 + by).clamp(0, order.len() as i64 - 1) as usize;
        if from < to {
            order[from..=to].rotate_left(1);
        } else {
            order[to..=from].rotate_right(1);
        }
    }
}

/// The reorder island's words, in the facilitator's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReorderLabels {
    pub hint: String,
    pub saved: String,
    pub failed: String,
}

/// What the editor shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditorData {
    pub unit: i64,
    pub language: Language,
    pub source_language: Language,
    pub title: String,
    pub body: String,
    /// The revision this text starts from (0: no text in this language yet).
    pub base_number: i64,
    /// The source text beside a translation: (revision, title, body).
    pub source: Option<(i64, String, String)>,
    /// Set when the text is the author's saved draft rather than the published one.
    pub from_draft: bool,
    /// Someone else's published text that conflicts with the draft: (revision, author, title, body).
    pub conflict: Option<(i64, String, String, String)>,
    /// What differs from their text to the author's, line by line.
    pub conflict_diff: Vec<kring_domain::diff::DiffLine>,
    /// The text rendered as readers will see it.
    pub preview_html: String,
}

/// One save from the editor: the text and the revision it started from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitEdit {
    pub unit: i64,
    pub language: String,
    pub base: i64,
    pub title: String,
    pub body: String,
    /// For a translation: the source revision shown beside it.
    pub source: Option<i64>,
}

/// The editor's words, in the facilitator's language (islands get no context from the server).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditorLabels {
    pub title: String,
    pub body: String,
    pub hint: String,
    pub publish: String,
    pub save_draft: String,
    pub preview: String,
    pub words: String,
    pub unsaved: String,
    pub saving: String,
    pub saved: String,
    pub failed: String,
    pub kept_locally: String,
    pub restore: String,
    pub discard: String,
    pub toolbar: String,
    pub bold: String,
    pub italic: String,
    pub heading: String,
    pub list: String,
    pub quote: String,
    pub link: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevisionEntry {
    pub number: i64,
    pub title: String,
    pub author: Option<String>,
    /// When, in the viewer's time zone and language.
    pub when: String,
    pub restored_from: Option<i64>,
    /// For a translation: the source revision it was made from.
    pub source_number: Option<i64>,
    pub words: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryView {
    pub unit: i64,
    pub language: Language,
    /// Newest first.
    pub revisions: Vec<RevisionEntry>,
    /// The two revisions compared, and what changed from the first to the second.
    pub compared: Option<(i64, i64, Vec<DiffLine>)>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moving_stops_at_either_end() {
        let cases: [(i64, i64, [i64; 4]); 7] = [
            (3, -1, [1, 3, 2, 4]),
            (3, 1, [1, 2, 4, 3]),
            (1, -1, [1, 2, 3, 4]),
            (4, 1, [1, 2, 3, 4]),
            (1, 3, [2, 3, 4, 1]),
            (4, -10, [4, 1, 2, 3]),
            (9, 1, [1, 2, 3, 4]),
        ];
        for (item, by, expected) in cases {
            let mut order = [1, 2, 3, 4];
            moved(&mut order, item, by);
            assert_eq!(order, expected, "{item} by {by}");
        }
    }

    #[test]
    fn orders_parse_only_when_every_id_is_a_number() {
        assert_eq!(parse_ids("3,1, 2"), Some(vec![3, 1, 2]));
        assert_eq!(parse_ids("3,x"), None);
        assert_eq!(parse_ids(""), None);
    }
}
