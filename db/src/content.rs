//! Unit texts with history: numbered revisions per unit and language, drafts
//! that autosave, and publishing that never overwrites someone else's change.

use crate::error::DbError;
use crate::pool::{get, now, Db};
use kring_domain::{Language, UnitBody, UnitId, UnitTitle, UserId};
use sqlx::any::AnyRow;
use sqlx::{Any, Transaction};

/// One published text of a unit in one language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revision {
    pub number: i64,
    pub title: String,
    pub body: String,
    /// For a translation: the source revision it was made from.
    pub source_number: Option<i64>,
    /// For a restore: the revision it brought back.
    pub restored_from: Option<i64>,
    pub author: Option<String>,
    pub created_at: i64,
}

/// A text someone wants to publish, and the revision they started from (0: none yet).
#[derive(Debug, Clone)]
pub struct NewText {
    pub unit: UnitId,
    pub language: Language,
    pub base_number: i64,
    pub title: UnitTitle,
    pub body: UnitBody,
    pub source_number: Option<i64>,
    pub author: UserId,
}

/// What became of a publish.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Published {
    /// Stored as this revision number.
    Revision(i64),
    /// Someone published since the base revision: nothing was stored; here is their text.
    Conflict { theirs: Revision },
}

/// Autosaved work in progress.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub title: String,
    pub body: String,
    pub base_number: i64,
    pub updated_at: i64,
}

fn revision(row: &AnyRow) -> Result<Revision, DbError> {
    Ok(Revision {
        number: get(row, "number")?,
        title: get(row, "title")?,
        body: get(row, "body")?,
        source_number: get(row, "source_number")?,
        restored_from: get(row, "restored_from")?,
        author: get(row, "author")?,
        created_at: get(row, "created_at")?,
    })
}

/// A revision to store.
pub(crate) struct RevisionRow<'a> {
    pub unit: UnitId,
    pub language: Language,
    pub number: i64,
    pub title: &'a str,
    pub body: &'a str,
    pub source_number: Option<i64>,
    pub restored_from: Option<i64>,
    pub author: Option<UserId>,
}

/// Stores a revision and makes it the unit's current text in its language.
/// A revision number taken meanwhile fails with a unique violation.
pub(crate) async fn write_revision(
    transaction: &mut Transaction<'static, Any>,
    row: RevisionRow<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO unit_revisions (unit_id, language, number, title, body, source_number, restored_from, author_id, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(row.unit.0)
    .bind(row.language.code())
    .bind(row.number)
    .bind(row.title)
    .bind(row.body)
    .bind(row.source_number)
    .bind(row.restored_from)
    .bind(row.author.map(|author| author.0))
    .bind(now())
    .execute(&mut **transaction)
    .await?;
    sqlx::query(
        "INSERT INTO unit_translations (unit_id, language, title, body, revision, search_text) VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (unit_id, language) DO UPDATE SET title = excluded.title, body = excluded.body, \
         revision = excluded.revision, search_text = excluded.search_text",
    )
    .bind(row.unit.0)
    .bind(row.language.code())
    .bind(row.title)
    .bind(row.body)
    .bind(row.number)
    .bind(kring_domain::markdown::search_text(row.body))
    .execute(&mut **transaction)
    .await?;
    Ok(())
}

impl Db {
    /// The unit's revisions in `language`, newest first.
    pub async fn revisions(
        &self,
        unit: UnitId,
        language: Language,
    ) -> Result<Vec<Revision>, DbError> {
        let rows = sqlx::query(
            "SELECT r.number, r.title, r.body, r.source_number, r.restored_from, u.display_name AS author, r.created_at \
             FROM unit_revisions r LEFT JOIN users u ON u.id = r.author_id \
             WHERE r.unit_id = $1 AND r.language = $2 ORDER BY r.number DESC",
        )
        .bind(unit.0)
        .bind(language.code())
        .fetch_all(&mut *self.connection().await?)
        .await?;
        rows.iter().map(revision).collect()
    }

    /// One revision; `None` for number 0 or one that does not exist.
    pub async fn revision(
        &self,
        unit: UnitId,
        language: Language,
        number: i64,
    ) -> Result<Option<Revision>, DbError> {
        let row = sqlx::query(
            "SELECT r.number, r.title, r.body, r.source_number, r.restored_from, u.display_name AS author, r.created_at \
             FROM unit_revisions r LEFT JOIN users u ON u.id = r.author_id \
             WHERE r.unit_id = $1 AND r.language = $2 AND r.number = $3",
        )
        .bind(unit.0)
        .bind(language.code())
        .bind(number)
        .fetch_optional(&mut *self.connection().await?)
        .await?;
        row.as_ref().map(revision).transpose()
    }

    /// The newest revision, if the unit has a text in `language`.
    pub async fn current_revision(
        &self,
        unit: UnitId,
        language: Language,
    ) -> Result<Option<Revision>, DbError> {
        Ok(self.revisions(unit, language).await?.into_iter().next())
    }

    /// Publishes a text as the next revision, but only if nobody published
    /// since `base_number`; otherwise returns their text and stores nothing.
    pub async fn publish(&self, text: &NewText) -> Result<Published, DbError> {
        self.add_revision(text, None).await
    }

    /// Brings back revision `number` as a new revision; history is never rewritten.
    pub async fn restore(
        &self,
        unit: UnitId,
        language: Language,
        number: i64,
        base_number: i64,
        author: UserId,
    ) -> Result<Published, DbError> {
        let old = self
            .revision(unit, language, number)
            .await?
            .ok_or(DbError::NotFound)?;
        let text = NewText {
            unit,
            language,
            base_number,
            title: UnitTitle::parse(&old.title)?,
            body: UnitBody::parse(&old.body)?,
            source_number: old.source_number,
            author,
        };
        self.add_revision(&text, Some(number)).await
    }

    async fn add_revision(
        &self,
        text: &NewText,
        restored_from: Option<i64>,
    ) -> Result<Published, DbError> {
        let mut transaction = self.begin_write().await?;
        let row = sqlx::query(
            "SELECT COALESCE(MAX(number), 0) AS current FROM unit_revisions WHERE unit_id = $1 AND language = $2",
        )
        .bind(text.unit.0)
        .bind(text.language.code())
        .fetch_one(&mut *transaction)
        .await?;
        let current: i64 = get(&row, "current")?;
        if current != text.base_number {
            transaction.rollback().await?;
            return self.conflict(text, current).await;
        }
        let number = current + 1;
        let inserted = write_revision(
            &mut transaction,
            RevisionRow {
                unit: text.unit,
                language: text.language,
                number,
                title: text.title.as_str(),
                body: text.body.as_str(),
                source_number: text.source_number,
                restored_from,
                author: Some(text.author),
            },
        )
        .await;
        match inserted {
            Ok(()) => {}
            // Two saves on the same base at once (PostgreSQL): the other one won.
            Err(sqlx::Error::Database(error)) if error.is_unique_violation() => {
                drop(transaction);
                return self.conflict(text, number).await;
            }
            Err(error) => return Err(error.into()),
        }
        sqlx::query(
            "DELETE FROM unit_drafts WHERE unit_id = $1 AND language = $2 AND author_id = $3",
        )
        .bind(text.unit.0)
        .bind(text.language.code())
        .bind(text.author.0)
        .execute(&mut *transaction)
        .await?;
        transaction.commit().await?;
        Ok(Published::Revision(number))
    }

    async fn conflict(&self, text: &NewText, number: i64) -> Result<Published, DbError> {
        let theirs = self
            .revision(text.unit, text.language, number)
            .await?
            .ok_or(DbError::NotFound)?;
        Ok(Published::Conflict { theirs })
    }

    /// Keeps the author's work in progress (autosave); the latest save wins for one author.
    pub async fn save_draft(
        &self,
        unit: UnitId,
        language: Language,
        author: UserId,
        title: &str,
        body: &UnitBody,
        base_number: i64,
    ) -> Result<(), DbError> {
        sqlx::query(
            "INSERT INTO unit_drafts (unit_id, language, author_id, title, body, base_number, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (unit_id, language, author_id) DO UPDATE SET \
             title = excluded.title, body = excluded.body, base_number = excluded.base_number, updated_at = excluded.updated_at",
        )
        .bind(unit.0)
        .bind(language.code())
        .bind(author.0)
        .bind(title)
        .bind(body.as_str())
        .bind(base_number)
        .bind(now())
        .execute(&mut *self.connection().await?)
        .await?;
        Ok(())
    }

    pub async fn draft(
        &self,
        unit: UnitId,
        language: Language,
        author: UserId,
    ) -> Result<Option<Draft>, DbError> {
        let row = sqlx::query(
            "SELECT title, body, base_number, updated_at FROM unit_drafts WHERE unit_id = $1 AND language = $2 AND author_id = $3",
        )
        .bind(unit.0)
        .bind(language.code())
        .bind(author.0)
        .fetch_optional(&mut *self.connection().await?)
        .await?;
        row.map(|row| {
            Ok(Draft {
                title: get(&row, "title")?,
                body: get(&row, "body")?,
                base_number: get(&row, "base_number")?,
                updated_at: get(&row, "updated_at")?,
            })
        })
        .transpose()
    }
}

/// Everything needed to show a unit: where it sits and its text in each language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitTexts {
    pub unit: UnitId,
    pub module: kring_domain::ModuleId,
    pub program: kring_domain::ProgramId,
    pub module_position: i64,
    pub position: i64,
    pub published: bool,
    /// Its module is archived, or its program not published yet: only staff read it.
    pub withdrawn: bool,
    pub source_language: Language,
    /// The current text in each language that has one.
    pub texts: Vec<UnitText>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitText {
    pub language: Language,
    pub title: String,
    pub body: String,
    pub revision: i64,
    pub source_number: Option<i64>,
}

impl UnitText {
    /// The source revision this text was translated from; a translation made
    /// before history was kept counts as made from revision 1.
    pub fn translated_from(&self) -> i64 {
        self.source_number.unwrap_or(1)
    }
}

impl UnitTexts {
    /// Whether its program's members may read it (staff read every unit).
    pub fn readable(&self) -> bool {
        self.published && !self.withdrawn
    }

    pub fn text(&self, language: Language) -> Option<&UnitText> {
        self.texts.iter().find(|text| text.language == language)
    }

    /// The source text's current revision number (0 before the source has a text).
    pub fn source_revision(&self) -> i64 {
        self.text(self.source_language)
            .map_or(0, |text| text.revision)
    }
}

impl Db {
    pub async fn unit_texts(&self, unit: UnitId) -> Result<UnitTexts, DbError> {
        let row = sqlx::query(
            "SELECT u.module_id, m.program_id, m.position AS module_position, u.position, u.published, m.source_language, \
             CASE WHEN m.archived_at IS NULL AND p.published <> 0 THEN 0 ELSE 1 END AS withdrawn \
             FROM units u JOIN modules m ON m.id = u.module_id JOIN programs p ON p.id = m.program_id WHERE u.id = $1",
        )
        .bind(unit.0)
        .fetch_optional(&mut *self.connection().await?)
        .await?
        .ok_or(DbError::NotFound)?;
        let texts = sqlx::query(
            "SELECT t.language, t.title, t.body, t.revision, r.source_number FROM unit_translations t \
             LEFT JOIN unit_revisions r ON r.unit_id = t.unit_id AND r.language = t.language AND r.number = t.revision \
             WHERE t.unit_id = $1 ORDER BY t.language",
        )
        .bind(unit.0)
        .fetch_all(&mut *self.connection().await?)
        .await?;
        Ok(UnitTexts {
            unit,
            module: kring_domain::ModuleId(get(&row, "module_id")?),
            program: kring_domain::ProgramId(get(&row, "program_id")?),
            module_position: get(&row, "module_position")?,
            position: get(&row, "position")?,
            published: get::<i64>(&row, "published")? != 0,
            withdrawn: get::<i64>(&row, "withdrawn")? != 0,
            source_language: Language::parse(&get::<String>(&row, "source_language")?)?,
            texts: texts
                .iter()
                .map(|text| {
                    Ok(UnitText {
                        language: Language::parse(&get::<String>(text, "language")?)?,
                        title: get(text, "title")?,
                        body: get(text, "body")?,
                        revision: get(text, "revision")?,
                        source_number: get(text, "source_number")?,
                    })
                })
                .collect::<Result<_, DbError>>()?,
        })
    }

    /// Whether `user` belongs to a cohort that follows `program`.
    pub async fn follows_program(
        &self,
        user: UserId,
        program: kring_domain::ProgramId,
    ) -> Result<bool, DbError> {
        let row = sqlx::query(
            "SELECT COUNT(*) AS found FROM cohort_members m JOIN cohorts c ON c.id = m.cohort_id \
             WHERE m.user_id = $1 AND c.program_id = $2",
        )
        .bind(user.0)
        .bind(program.0)
        .fetch_one(&mut *self.connection().await?)
        .await?;
        Ok(get::<i64>(&row, "found")? > 0)
    }
}
