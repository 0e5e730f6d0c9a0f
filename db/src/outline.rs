//! Building a program: its title and summary and each module's, per language, with
//! numbered revisions (a save on an old base is refused with the other text, and the
//! author's text kept as a draft), new programs and modules, archiving and
//! publishing. Copies and folders are in `program_folders`.

use crate::error::DbError;
use crate::pool::{get, now, Db};
use kring_domain::{
    Language, ModuleId, OutlineSummary, OutlineTitle, ProgramId, TranslationStatus, UserId,
};
use sqlx::{Any, Transaction};

/// What has an outline text: a program or one of its modules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutlineItem {
    Program(ProgramId),
    Module(ModuleId),
}

impl OutlineItem {
    fn kind(self) -> &'static str {
        match self {
            OutlineItem::Program(_) => "program",
            OutlineItem::Module(_) => "module",
        }
    }

    fn id(self) -> i64 {
        match self {
            OutlineItem::Program(program) => program.0,
            OutlineItem::Module(module) => module.0,
        }
    }

    /// Makes a text the current one in its language (`$1` id, `$2` language, `$3` title, `$4` summary, `$5` revision).
    fn set_current(self) -> &'static str {
        match self {
            OutlineItem::Program(_) => {
                "INSERT INTO program_translations (program_id, language, title, summary, revision) \
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT (program_id, language) DO UPDATE SET \
                 title = excluded.title, summary = excluded.summary, revision = excluded.revision"
            }
            OutlineItem::Module(_) => {
                "INSERT INTO module_translations (module_id, language, title, summary, revision) \
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT (module_id, language) DO UPDATE SET \
                 title = excluded.title, summary = excluded.summary, revision = excluded.revision"
            }
        }
    }

    fn source_language(self) -> &'static str {
        match self {
            OutlineItem::Program(_) => "SELECT source_language FROM programs WHERE id = $1",
            OutlineItem::Module(_) => "SELECT source_language FROM modules WHERE id = $1",
        }
    }
}

/// The current title and summary in one language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutlineText {
    pub language: Language,
    pub title: String,
    pub summary: String,
    pub revision: i64,
    /// For a translation: the source revision it was made from.
    pub source_number: Option<i64>,
}

/// An item's texts in every language it has one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutlineTexts {
    pub item: OutlineItem,
    pub source_language: Language,
    pub texts: Vec<OutlineText>,
}

impl OutlineTexts {
    pub fn text(&self, language: Language) -> Option<&OutlineText> {
        self.texts.iter().find(|text| text.language == language)
    }

    /// The source text's current revision (0 before it has one).
    pub fn source_revision(&self) -> i64 {
        self.text(self.source_language)
            .map_or(0, |text| text.revision)
    }

    /// Missing, current or outdated in `language`.
    pub fn status(&self, language: Language) -> TranslationStatus {
        let translated_from = self
            .text(language)
            .map(|text| text.source_number.unwrap_or(1));
        TranslationStatus::of(
            language == self.source_language,
            self.source_revision(),
            translated_from,
        )
    }
}

/// A title and summary someone wants to publish, and the revision they started from (0: none yet).
#[derive(Debug, Clone)]
pub struct NewOutlineText {
    pub item: OutlineItem,
    pub language: Language,
    pub base_number: i64,
    pub title: OutlineTitle,
    pub summary: OutlineSummary,
    pub source_number: Option<i64>,
    pub author: UserId,
}

/// A published revision, as a conflict shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutlineRevision {
    pub number: i64,
    pub title: String,
    pub summary: String,
    pub author: Option<String>,
}

/// What became of a publish.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutlinePublished {
    Revision(i64),
    /// Someone published since the base revision: nothing was published, the
    /// author's text is kept as their draft, and here is the other text.
    Conflict {
        theirs: OutlineRevision,
    },
}

/// Work that could not be published yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutlineDraft {
    pub title: String,
    pub summary: String,
    pub base_number: i64,
}

/// One revision to store, made the current text in its language.
pub(crate) struct OutlineRow<T: AsRef<str>> {
    pub item: OutlineItem,
    pub language: Language,
    pub number: i64,
    pub title: T,
    pub summary: T,
    pub source_number: Option<i64>,
    pub author: Option<UserId>,
}

impl<'a> OutlineRow<&'a str> {
    /// The first text of a new program or module, in its source language.
    fn first(
        item: OutlineItem,
        language: Language,
        title: &'a OutlineTitle,
        summary: &'a OutlineSummary,
        author: Option<UserId>,
    ) -> Self {
        OutlineRow {
            item,
            language,
            number: 1,
            title: title.as_str(),
            summary: summary.as_str(),
            source_number: None,
            author,
        }
    }
}

pub(crate) async fn write_outline_revision<T: AsRef<str>>(
    transaction: &mut Transaction<'static, Any>,
    row: OutlineRow<T>,
) -> Result<(), sqlx::Error> {
    let (title, summary) = (row.title.as_ref(), row.summary.as_ref());
    sqlx::query(
        "INSERT INTO outline_revisions (kind, owner_id, language, number, title, summary, source_number, author_id, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(row.item.kind())
    .bind(row.item.id())
    .bind(row.language.code())
    .bind(row.number)
    .bind(title)
    .bind(summary)
    .bind(row.source_number)
    .bind(row.author.map(|author| author.0))
    .bind(now())
    .execute(&mut **transaction)
    .await?;
    sqlx::query(row.item.set_current())
        .bind(row.item.id())
        .bind(row.language.code())
        .bind(title)
        .bind(summary)
        .bind(row.number)
        .execute(&mut **transaction)
        .await?;
    if let OutlineItem::Program(program) = row.item {
        // The name in the source language is the program's unique name.
        sqlx::query(
            "UPDATE programs SET name = $1, description = $2 WHERE id = $3 AND source_language = $4",
        )
        .bind(title)
        .bind(summary)
        .bind(program.0)
        .bind(row.language.code())
        .execute(&mut **transaction)
        .await?;
    }
    Ok(())
}

/// `ProgramNameTaken` for a program name in use, the error otherwise.
pub(crate) fn named(error: sqlx::Error) -> DbError {
    DbError::on_unique_violation(error, DbError::ProgramNameTaken)
}

/// Whether a unique violation is of the programs' names (PostgreSQL names the
/// constraint, SQLite the column).
fn is_program_name(error: &dyn sqlx::error::DatabaseError) -> bool {
    error
        .constraint()
        .is_some_and(|name| name.starts_with("programs"))
        || error.message().contains("programs.name")
}

impl Db {
    pub async fn outline_texts(&self, item: OutlineItem) -> Result<OutlineTexts, DbError> {
        let row = sqlx::query(item.source_language())
            .bind(item.id())
            .fetch_optional(&mut *self.connection().await?)
            .await?
            .ok_or(DbError::NotFound)?;
        let source_language = Language::parse(&get::<String>(&row, "source_language")?)?;
        let rows = sqlx::query(
            "SELECT r.language, r.title, r.summary, r.number, r.source_number FROM outline_revisions r \
             WHERE r.kind = $1 AND r.owner_id = $2 AND r.number = \
             (SELECT MAX(n.number) FROM outline_revisions n WHERE n.kind = r.kind AND n.owner_id = r.owner_id \
              AND n.language = r.language) ORDER BY r.language",
        )
        .bind(item.kind())
        .bind(item.id())
        .fetch_all(&mut *self.connection().await?)
        .await?;
        let texts = rows
            .iter()
            .map(|row| {
                Ok(OutlineText {
                    language: Language::parse(&get::<String>(row, "language")?)?,
                    title: get(row, "title")?,
                    summary: get(row, "summary")?,
                    revision: get(row, "number")?,
                    source_number: get(row, "source_number")?,
                })
            })
            .collect::<Result<_, DbError>>()?;
        Ok(OutlineTexts {
            item,
            source_language,
            texts,
        })
    }

    /// Publishes a title and summary as the next revision, but only if nobody
    /// published since `base_number`; otherwise keeps the text as the author's
    /// draft and returns the other one.
    pub async fn publish_outline(
        &self,
        text: &NewOutlineText,
    ) -> Result<OutlinePublished, DbError> {
        let mut transaction = self.begin_write().await?;
        let row = sqlx::query(
            "SELECT COALESCE(MAX(number), 0) AS current FROM outline_revisions \
             WHERE kind = $1 AND owner_id = $2 AND language = $3",
        )
        .bind(text.item.kind())
        .bind(text.item.id())
        .bind(text.language.code())
        .fetch_one(&mut *transaction)
        .await?;
        let current: i64 = get(&row, "current")?;
        if current != text.base_number {
            drop(transaction);
            return self.outline_conflict(text).await;
        }
        let written = write_outline_revision(
            &mut transaction,
            OutlineRow {
                item: text.item,
                language: text.language,
                number: current + 1,
                title: text.title.as_str(),
                summary: text.summary.as_str(),
                source_number: text.source_number,
                author: Some(text.author),
            },
        )
        .await;
        match written {
            Ok(()) => {}
            Err(sqlx::Error::Database(error)) if error.is_unique_violation() => {
                if is_program_name(error.as_ref()) {
                    return Err(DbError::ProgramNameTaken);
                }
                // Two saves on the same base at once (PostgreSQL): the other one won.
                drop(transaction);
                return self.outline_conflict(text).await;
            }
            Err(error) => return Err(error.into()),
        }
        sqlx::query(
            "DELETE FROM outline_drafts WHERE kind = $1 AND owner_id = $2 AND language = $3 AND author_id = $4",
        )
        .bind(text.item.kind())
        .bind(text.item.id())
        .bind(text.language.code())
        .bind(text.author.0)
        .execute(&mut *transaction)
        .await?;
        transaction.commit().await?;
        Ok(OutlinePublished::Revision(current + 1))
    }

    /// Keeps the author's text as their draft and returns the newest other text.
    async fn outline_conflict(&self, text: &NewOutlineText) -> Result<OutlinePublished, DbError> {
        self.save_outline_draft(
            text.item,
            text.language,
            text.author,
            text.title.as_str(),
            text.summary.as_str(),
            text.base_number,
        )
        .await?;
        let theirs = sqlx::query(
            "SELECT r.number, r.title, r.summary, u.display_name AS author FROM outline_revisions r \
             LEFT JOIN users u ON u.id = r.author_id \
             WHERE r.kind = $1 AND r.owner_id = $2 AND r.language = $3 ORDER BY r.number DESC LIMIT 1",
        )
        .bind(text.item.kind())
        .bind(text.item.id())
        .bind(text.language.code())
        .fetch_one(&mut *self.connection().await?)
        .await?;
        Ok(OutlinePublished::Conflict {
            theirs: OutlineRevision {
                number: get(&theirs, "number")?,
                title: get(&theirs, "title")?,
                summary: get(&theirs, "summary")?,
                author: get(&theirs, "author")?,
            },
        })
    }

    /// Keeps an author's text that could not be published yet.
    pub async fn save_outline_draft(
        &self,
        item: OutlineItem,
        language: Language,
        author: UserId,
        title: &str,
        summary: &str,
        base_number: i64,
    ) -> Result<(), DbError> {
        sqlx::query(
            "INSERT INTO outline_drafts (kind, owner_id, language, author_id, title, summary, base_number, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (kind, owner_id, language, author_id) DO UPDATE SET \
             title = excluded.title, summary = excluded.summary, base_number = excluded.base_number, \
             updated_at = excluded.updated_at",
        )
        .bind(item.kind())
        .bind(item.id())
        .bind(language.code())
        .bind(author.0)
        .bind(title)
        .bind(summary)
        .bind(base_number)
        .bind(now())
        .execute(&mut *self.connection().await?)
        .await?;
        Ok(())
    }

    pub async fn outline_draft(
        &self,
        item: OutlineItem,
        language: Language,
        author: UserId,
    ) -> Result<Option<OutlineDraft>, DbError> {
        let row = sqlx::query(
            "SELECT title, summary, base_number FROM outline_drafts \
             WHERE kind = $1 AND owner_id = $2 AND language = $3 AND author_id = $4",
        )
        .bind(item.kind())
        .bind(item.id())
        .bind(language.code())
        .bind(author.0)
        .fetch_optional(&mut *self.connection().await?)
        .await?;
        row.map(|row| {
            Ok(OutlineDraft {
                title: get(&row, "title")?,
                summary: get(&row, "summary")?,
                base_number: get(&row, "base_number")?,
            })
        })
        .transpose()
    }

    /// A new program in `language`: a draft until published, edited by its creator
    /// (and admins) until cohorts follow it.
    pub async fn new_program(
        &self,
        title: &OutlineTitle,
        summary: &OutlineSummary,
        language: Language,
        author: Option<UserId>,
        published: bool,
    ) -> Result<ProgramId, DbError> {
        let mut transaction = self.begin_write().await?;
        let row = sqlx::query(
            "INSERT INTO programs (name, description, source_language, published, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(title.as_str())
        .bind(summary.as_str())
        .bind(language.code())
        .bind(i64::from(published))
        .bind(author.map(|author| author.0))
        .bind(now())
        .fetch_one(&mut *transaction)
        .await
        .map_err(named)?;
        let program = ProgramId(get(&row, "id")?);
        write_outline_revision(
            &mut transaction,
            OutlineRow::first(
                OutlineItem::Program(program),
                language,
                title,
                summary,
                author,
            ),
        )
        .await?;
        transaction.commit().await?;
        Ok(program)
    }

    /// Adds a module at the end of `program`, written in the program's language.
    pub async fn add_module(
        &self,
        program: ProgramId,
        title: &OutlineTitle,
        summary: &OutlineSummary,
        author: Option<UserId>,
    ) -> Result<ModuleId, DbError> {
        let mut transaction = self.begin_write().await?;
        if self.engine == crate::pool::Engine::Postgres {
            sqlx::query("SELECT id FROM programs WHERE id = $1 FOR UPDATE")
                .bind(program.0)
                .execute(&mut *transaction)
                .await?;
        }
        let row = sqlx::query(
            "SELECT p.source_language, (SELECT COALESCE(MAX(position), 0) FROM modules m WHERE m.program_id = p.id) AS last \
             FROM programs p WHERE p.id = $1",
        )
        .bind(program.0)
        .fetch_optional(&mut *transaction)
        .await?
        .ok_or(DbError::NotFound)?;
        let language = Language::parse(&get::<String>(&row, "source_language")?)?;
        let module = sqlx::query(
            "INSERT INTO modules (program_id, position, source_language) VALUES ($1, $2, $3) RETURNING id",
        )
        .bind(program.0)
        .bind(get::<i64>(&row, "last")? + 1)
        .bind(language.code())
        .fetch_one(&mut *transaction)
        .await?;
        let module = ModuleId(get(&module, "id")?);
        write_outline_revision(
            &mut transaction,
            OutlineRow::first(
                OutlineItem::Module(module),
                language,
                title,
                summary,
                author,
            ),
        )
        .await?;
        transaction.commit().await?;
        Ok(module)
    }

    /// Archives a module (readers no longer see it; its history stays) or brings it back.
    pub async fn set_module_archived(
        &self,
        module: ModuleId,
        archived: bool,
    ) -> Result<(), DbError> {
        crate::pool::found(
            sqlx::query("UPDATE modules SET archived_at = $1 WHERE id = $2")
                .bind(archived.then(now))
                .bind(module.0)
                .execute(&mut *self.connection().await?)
                .await?
                .rows_affected(),
        )
    }

    /// Publishes a program to the members of cohorts following it, or takes it back.
    pub async fn set_program_published(
        &self,
        program: ProgramId,
        published: bool,
    ) -> Result<(), DbError> {
        crate::pool::found(
            sqlx::query("UPDATE programs SET published = $1 WHERE id = $2")
                .bind(i64::from(published))
                .bind(program.0)
                .execute(&mut *self.connection().await?)
                .await?
                .rows_affected(),
        )
    }

    /// Whether `program` is published.
    pub async fn program_published(&self, program: ProgramId) -> Result<bool, DbError> {
        let row = sqlx::query("SELECT published FROM programs WHERE id = $1")
            .bind(program.0)
            .fetch_optional(&mut *self.connection().await?)
            .await?
            .ok_or(DbError::NotFound)?;
        Ok(get::<i64>(&row, "published")? != 0)
    }

    /// Publishes a module's text in `language` as its next revision without an
    /// author (the demo program's texts); a translation records the source revision
    /// current at that moment.
    pub async fn translate_module(
        &self,
        module: ModuleId,
        language: Language,
        title: &str,
        summary: &str,
    ) -> Result<(), DbError> {
        let texts = self.outline_texts(OutlineItem::Module(module)).await?;
        let mut transaction = self.begin_write().await?;
        write_outline_revision(
            &mut transaction,
            OutlineRow {
                item: OutlineItem::Module(module),
                language,
                number: texts.text(language).map_or(0, |text| text.revision) + 1,
                title,
                summary,
                source_number: (language != texts.source_language).then(|| texts.source_revision()),
                author: None,
            },
        )
        .await?;
        transaction.commit().await?;
        Ok(())
    }
}
