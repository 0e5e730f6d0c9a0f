//! How programs are read: outlines in the reader's language with their
//! progress, where they stopped, the translation status of every unit, the
//! order facilitators give units and modules.

use crate::error::DbError;
use crate::pool::{get, now, Db, Engine};
use kring_domain::{
    Language, ModuleId, ProgramId, TranslationStatus, UnitId, UnitTitle, UserId,
    MAX_UNITS_PER_MODULE,
};
use sqlx::any::AnyRow;

/// A module as a reader sees it: titles in their language where translated, else in the source language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModuleOutline {
    pub id: ModuleId,
    pub position: i64,
    pub title: String,
    pub summary: String,
    /// The language the title is shown in (differs from the reader's when untranslated).
    pub shown_language: Language,
    /// Archived modules are shown to staff only.
    pub archived: bool,
    pub units: Vec<OutlineUnit>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutlineUnit {
    pub id: UnitId,
    pub title: String,
    pub shown_language: Language,
    pub published: bool,
    /// The reader marked it done.
    pub done: bool,
}

impl ModuleOutline {
    pub fn done_count(&self) -> usize {
        self.units.iter().filter(|unit| unit.done).count()
    }
}

/// Who reads an outline: their progress is shown; only staff see drafts.
#[derive(Debug, Clone, Copy)]
pub struct Reader {
    pub user: UserId,
    pub language: Language,
    pub staff: bool,
}

/// One row of a module's translation matrix: a unit and each language's status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitStatuses {
    pub unit: UnitId,
    /// In the module's source language.
    pub title: String,
    pub published: bool,
    pub statuses: Vec<(Language, TranslationStatus)>,
}

/// Things facilitators put in order: the units of a module, or the modules of a program.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Siblings {
    UnitsOf(ModuleId),
    ModulesOf(ProgramId),
}

impl Siblings {
    fn parent(self) -> i64 {
        match self {
            Siblings::UnitsOf(module) => module.0,
            Siblings::ModulesOf(program) => program.0,
        }
    }

    fn ordered_ids(self) -> &'static str {
        match self {
            Siblings::UnitsOf(_) => {
                "SELECT id FROM units WHERE module_id = $1 ORDER BY position, id"
            }
            Siblings::ModulesOf(_) => {
                "SELECT id FROM modules WHERE program_id = $1 ORDER BY position, id"
            }
        }
    }

    /// Locks the parent row until the transaction ends (PostgreSQL; SQLite's
    /// `BEGIN IMMEDIATE` already lets one writer in at a time), so a check of
    /// the children cannot be overtaken by a concurrent change.
    fn lock_parent(self) -> &'static str {
        match self {
            Siblings::UnitsOf(_) => "SELECT id FROM modules WHERE id = $1 FOR UPDATE",
            Siblings::ModulesOf(_) => "SELECT id FROM programs WHERE id = $1 FOR UPDATE",
        }
    }

    fn set_position(self) -> &'static str {
        match self {
            Siblings::UnitsOf(_) => "UPDATE units SET position = $1 WHERE id = $2",
            Siblings::ModulesOf(_) => "UPDATE modules SET position = $1 WHERE id = $2",
        }
    }
}

fn outline_unit(row: &AnyRow) -> Result<OutlineUnit, DbError> {
    Ok(OutlineUnit {
        id: UnitId(get(row, "id")?),
        title: get(row, "title")?,
        shown_language: Language::parse(&get::<String>(row, "shown_language")?)?,
        published: get::<i64>(row, "published")? != 0,
        done: get::<Option<i64>>(row, "done_at")?.is_some(),
    })
}

impl Db {
    /// The modules of `program`, or only `module` when given, with their units for `reader`.
    pub async fn program_outline(
        &self,
        program: ProgramId,
        only: Option<ModuleId>,
        reader: Reader,
    ) -> Result<Vec<ModuleOutline>, DbError> {
        let module_filter = only.map_or(-1, |module| module.0);
        let modules = sqlx::query(
            "SELECT m.id, m.position, m.archived_at, COALESCE(mine.language, src.language) AS shown_language, \
             COALESCE(mine.title, src.title) AS title, COALESCE(mine.summary, src.summary) AS summary \
             FROM modules m \
             JOIN module_translations src ON src.module_id = m.id AND src.language = m.source_language \
             LEFT JOIN module_translations mine ON mine.module_id = m.id AND mine.language = $2 \
             WHERE m.program_id = $1 AND ($3 = -1 OR m.id = $3) AND (m.archived_at IS NULL OR $4 = 1) \
             ORDER BY m.position, m.id",
        )
        .bind(program.0)
        .bind(reader.language.code())
        .bind(module_filter)
        .bind(i64::from(reader.staff))
        .fetch_all(&mut *self.connection().await?)
        .await?;
        let units = sqlx::query(
            "SELECT u.id, u.module_id, u.published, p.done_at, \
             COALESCE(mine.language, src.language) AS shown_language, COALESCE(mine.title, src.title) AS title \
             FROM units u JOIN modules m ON m.id = u.module_id \
             JOIN unit_translations src ON src.unit_id = u.id AND src.language = m.source_language \
             LEFT JOIN unit_translations mine ON mine.unit_id = u.id AND mine.language = $2 \
             LEFT JOIN unit_progress p ON p.unit_id = u.id AND p.user_id = $3 \
             WHERE m.program_id = $1 AND ($4 = -1 OR m.id = $4) AND (u.published = 1 OR $5 = 1) \
             ORDER BY u.position, u.id",
        )
        .bind(program.0)
        .bind(reader.language.code())
        .bind(reader.user.0)
        .bind(module_filter)
        .bind(i64::from(reader.staff))
        .fetch_all(&mut *self.connection().await?)
        .await?;
        let mut outline = Vec::with_capacity(modules.len());
        for row in &modules {
            let id: i64 = get(row, "id")?;
            let mut module_units = Vec::new();
            for unit in &units {
                if get::<i64>(unit, "module_id")? == id {
                    module_units.push(outline_unit(unit)?);
                }
            }
            outline.push(ModuleOutline {
                id: ModuleId(id),
                position: get(row, "position")?,
                title: get(row, "title")?,
                summary: get(row, "summary")?,
                shown_language: Language::parse(&get::<String>(row, "shown_language")?)?,
                archived: get::<Option<i64>>(row, "archived_at")?.is_some(),
                units: module_units,
            });
        }
        Ok(outline)
    }

    /// The program a module belongs to.
    pub async fn module_program(&self, module: ModuleId) -> Result<ProgramId, DbError> {
        let row = sqlx::query("SELECT program_id FROM modules WHERE id = $1")
            .bind(module.0)
            .fetch_optional(&mut *self.connection().await?)
            .await?
            .ok_or(DbError::NotFound)?;
        Ok(ProgramId(get(&row, "program_id")?))
    }

    /// The program a unit belongs to.
    pub async fn unit_program(&self, unit: kring_domain::UnitId) -> Result<ProgramId, DbError> {
        let row = sqlx::query(
            "SELECT m.program_id FROM units u JOIN modules m ON m.id = u.module_id WHERE u.id = $1",
        )
        .bind(unit.0)
        .fetch_optional(&mut *self.connection().await?)
        .await?
        .ok_or(DbError::NotFound)?;
        Ok(ProgramId(get(&row, "program_id")?))
    }

    /// The program's title in `language`, else in its source language.
    pub async fn program_name(
        &self,
        program: ProgramId,
        language: Language,
    ) -> Result<String, DbError> {
        let row = sqlx::query(
            "SELECT COALESCE(mine.title, p.name) AS title FROM programs p \
             LEFT JOIN program_translations mine ON mine.program_id = p.id AND mine.language = $2 \
             WHERE p.id = $1",
        )
        .bind(program.0)
        .bind(language.code())
        .fetch_optional(&mut *self.connection().await?)
        .await?
        .ok_or(DbError::NotFound)?;
        get(&row, "title")
    }

    pub async fn record_visit(&self, user: UserId, unit: UnitId) -> Result<(), DbError> {
        sqlx::query(
            "INSERT INTO unit_progress (user_id, unit_id, visited_at) VALUES ($1, $2, $3) \
             ON CONFLICT (user_id, unit_id) DO UPDATE SET visited_at = excluded.visited_at",
        )
        .bind(user.0)
        .bind(unit.0)
        .bind(now())
        .execute(&mut *self.connection().await?)
        .await?;
        Ok(())
    }

    /// Marks `unit` done for `user`, or not done again.
    pub async fn set_done(&self, user: UserId, unit: UnitId, done: bool) -> Result<(), DbError> {
        let at = now();
        sqlx::query(
            "INSERT INTO unit_progress (user_id, unit_id, visited_at, done_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (user_id, unit_id) DO UPDATE SET done_at = excluded.done_at",
        )
        .bind(user.0)
        .bind(unit.0)
        .bind(at)
        .bind(done.then_some(at))
        .execute(&mut *self.connection().await?)
        .await?;
        Ok(())
    }

    /// The unit of `program` that `user` opened last, if it is still readable.
    pub async fn last_visited(
        &self,
        user: UserId,
        program: ProgramId,
    ) -> Result<Option<UnitId>, DbError> {
        let row = sqlx::query(
            "SELECT p.unit_id FROM unit_progress p JOIN units u ON u.id = p.unit_id \
             JOIN modules m ON m.id = u.module_id \
             WHERE p.user_id = $1 AND m.program_id = $2 AND u.published = 1 \
             ORDER BY p.visited_at DESC, p.unit_id DESC LIMIT 1",
        )
        .bind(user.0)
        .bind(program.0)
        .fetch_optional(&mut *self.connection().await?)
        .await?;
        row.map(|row| Ok(UnitId(get(&row, "unit_id")?))).transpose()
    }

    /// For each unit of `module`: missing, current or outdated in every language.
    pub async fn translation_matrix(&self, module: ModuleId) -> Result<Vec<UnitStatuses>, DbError> {
        let units = sqlx::query(
            "SELECT u.id, u.published, m.source_language, COALESCE(src.title, '') AS title, \
             COALESCE(src.revision, 0) AS source_revision \
             FROM units u JOIN modules m ON m.id = u.module_id \
             LEFT JOIN unit_translations src ON src.unit_id = u.id AND src.language = m.source_language \
             WHERE u.module_id = $1 ORDER BY u.position, u.id",
        )
        .bind(module.0)
        .fetch_all(&mut *self.connection().await?)
        .await?;
        let texts = sqlx::query(
            "SELECT t.unit_id, t.language, r.source_number FROM unit_translations t \
             JOIN units u ON u.id = t.unit_id \
             LEFT JOIN unit_revisions r ON r.unit_id = t.unit_id AND r.language = t.language AND r.number = t.revision \
             WHERE u.module_id = $1",
        )
        .bind(module.0)
        .fetch_all(&mut *self.connection().await?)
        .await?;
        let mut matrix = Vec::with_capacity(units.len());
        for row in &units {
            let id: i64 = get(row, "id")?;
            let source = Language::parse(&get::<String>(row, "source_language")?)?;
            let source_revision: i64 = get(row, "source_revision")?;
            let mut statuses = Vec::with_capacity(Language::ALL.len());
            for language in Language::ALL {
                let mut translated_from = None;
                let mut exists = false;
                for text in &texts {
                    if get::<i64>(text, "unit_id")? == id
                        && get::<String>(text, "language")? == language.code()
                    {
                        exists = true;
                        // A translation made before history was kept counts as made from revision 1.
                        translated_from =
                            Some(get::<Option<i64>>(text, "source_number")?.unwrap_or(1));
                    }
                }
                let status = if language == source && !exists {
                    TranslationStatus::Missing
                } else {
                    TranslationStatus::of(language == source, source_revision, translated_from)
                };
                statuses.push((language, status));
            }
            matrix.push(UnitStatuses {
                unit: UnitId(id),
                title: get(row, "title")?,
                published: get::<i64>(row, "published")? != 0,
                statuses,
            });
        }
        Ok(matrix)
    }

    /// The ids of `siblings` in their order.
    pub async fn order(&self, siblings: Siblings) -> Result<Vec<i64>, DbError> {
        let rows = sqlx::query(siblings.ordered_ids())
            .bind(siblings.parent())
            .fetch_all(&mut *self.connection().await?)
            .await?;
        rows.iter().map(|row| get::<i64>(row, "id")).collect()
    }

    /// Gives `siblings` the order in `order`, which must list exactly the ones
    /// there are (one added or removed meanwhile makes it refuse, not guess).
    pub async fn reorder(&self, siblings: Siblings, order: &[i64]) -> Result<(), DbError> {
        let mut transaction = self.begin_write().await?;
        if self.engine == Engine::Postgres {
            sqlx::query(siblings.lock_parent())
                .bind(siblings.parent())
                .execute(&mut *transaction)
                .await?;
        }
        let rows = sqlx::query(siblings.ordered_ids())
            .bind(siblings.parent())
            .fetch_all(&mut *transaction)
            .await?;
        let mut existing = rows
            .iter()
            .map(|row| get::<i64>(row, "id"))
            .collect::<Result<Vec<_>, _>>()?;
        let mut wanted = order.to_vec();
        existing.sort_unstable();
        wanted.sort_unstable();
        if existing != wanted {
            return Err(DbError::Refused(kring_domain::DomainError::OrderMismatch));
        }
        for (position, id) in order.iter().enumerate() {
            sqlx::query(siblings.set_position())
                .bind(position as i64 + 1)
                .bind(*id)
                .execute(&mut *transaction)
                .await?;
        }
        transaction.commit().await?;
        Ok(())
    }

    /// Adds an unpublished unit at the end of `module`, its source text holding
    /// only the title; at most [`MAX_UNITS_PER_MODULE`] units a module.
    pub async fn add_unit(
        &self,
        module: ModuleId,
        title: &UnitTitle,
        author: UserId,
    ) -> Result<UnitId, DbError> {
        let mut transaction = self.begin_write().await?;
        if self.engine == Engine::Postgres {
            sqlx::query(Siblings::UnitsOf(module).lock_parent())
                .bind(module.0)
                .execute(&mut *transaction)
                .await?;
        }
        let row = sqlx::query(
            "SELECT m.source_language, (SELECT COUNT(*) FROM units u WHERE u.module_id = m.id) AS units, \
             (SELECT COALESCE(MAX(position), 0) FROM units u WHERE u.module_id = m.id) AS last \
             FROM modules m WHERE m.id = $1",
        )
        .bind(module.0)
        .fetch_optional(&mut *transaction)
        .await?
        .ok_or(DbError::NotFound)?;
        if get::<i64>(&row, "units")? >= MAX_UNITS_PER_MODULE as i64 {
            return Err(DbError::Refused(kring_domain::DomainError::ModuleFull));
        }
        let language = Language::parse(&get::<String>(&row, "source_language")?)?;
        let unit = sqlx::query(
            "INSERT INTO units (module_id, position, published) VALUES ($1, $2, 0) RETURNING id",
        )
        .bind(module.0)
        .bind(get::<i64>(&row, "last")? + 1)
        .fetch_one(&mut *transaction)
        .await?;
        let unit = UnitId(get(&unit, "id")?);
        crate::content::write_revision(
            &mut transaction,
            crate::content::RevisionRow {
                unit,
                language,
                number: 1,
                title: title.as_str(),
                body: "",
                source_number: None,
                restored_from: None,
                author: Some(author),
            },
        )
        .await?;
        transaction.commit().await?;
        Ok(unit)
    }

    /// Publishes a unit to its readers, or takes it back to facilitators only.
    pub async fn set_unit_published(&self, unit: UnitId, published: bool) -> Result<(), DbError> {
        let updated = sqlx::query("UPDATE units SET published = $1 WHERE id = $2")
            .bind(i64::from(published))
            .bind(unit.0)
            .execute(&mut *self.connection().await?)
            .await?;
        if updated.rows_affected() == 0 {
            return Err(DbError::NotFound);
        }
        Ok(())
    }
}
