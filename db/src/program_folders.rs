//! A program as a folder (`kring_domain::program_folder`): read from what is stored,
//! created from a folder (an import, or a copy for a new year) in one transaction,
//! and uploaded folders kept for their preview.

use crate::error::DbError;
use crate::outline::{named, write_outline_revision, OutlineItem, OutlineRow, OutlineTexts};
use crate::pool::{get, now, Db};
use kring_domain::program_folder::{name_for, FolderModule, FolderProgram, FolderText, FolderUnit};
use kring_domain::{
    Language, ModuleId, OutlineTitle, ProgramId, TranslationStatus, UnitId, UserId,
};

/// An outline item's current texts as a folder carries them.
fn outline_folder_texts(texts: &OutlineTexts) -> Vec<FolderText> {
    texts
        .texts
        .iter()
        .map(|text| FolderText {
            language: text.language,
            title: text.title.clone(),
            text: text.summary.clone(),
            outdated: texts.status(text.language) == TranslationStatus::Outdated,
        })
        .collect()
}

/// The title in `language` among `texts` (empty when there is none).
fn title_in(texts: &[FolderText], language: Language) -> String {
    FolderProgram::text(texts, language).map_or_else(String::new, |text| text.title.clone())
}

impl Db {
    /// Copies `program` as a draft named `name` (in its source language), all or
    /// nothing: every module that is not archived and every unit, with the current
    /// title, summary and text in every language. History starts fresh: each text is
    /// revision 1, and a translation that was outdated stays outdated.
    pub async fn copy_program(
        &self,
        program: ProgramId,
        name: &OutlineTitle,
        author: UserId,
    ) -> Result<ProgramId, DbError> {
        let mut folder = self.program_folder(program).await?;
        let source = folder.source_language;
        if let Some(text) = folder.texts.iter_mut().find(|text| text.language == source) {
            text.title = name.as_str().to_owned();
        }
        self.create_from_folder(&folder, author).await
    }

    /// The program as its folder describes it: current texts in every language,
    /// the modules that are not archived, their units (names made from titles).
    pub async fn program_folder(&self, program: ProgramId) -> Result<FolderProgram, DbError> {
        let texts = self.outline_texts(OutlineItem::Program(program)).await?;
        let module_ids = sqlx::query(
            "SELECT id FROM modules WHERE program_id = $1 AND archived_at IS NULL ORDER BY position, id",
        )
        .bind(program.0)
        .fetch_all(&mut *self.connection().await?)
        .await?;
        let mut modules: Vec<FolderModule> = Vec::with_capacity(module_ids.len());
        for (index, row) in module_ids.iter().enumerate() {
            let module = self
                .outline_texts(OutlineItem::Module(ModuleId(get(row, "id")?)))
                .await?;
            let unit_rows = sqlx::query(
                "SELECT id, published FROM units WHERE module_id = $1 ORDER BY position, id",
            )
            .bind(get::<i64>(row, "id")?)
            .fetch_all(&mut *self.connection().await?)
            .await?;
            let mut units: Vec<FolderUnit> = Vec::with_capacity(unit_rows.len());
            for (position, unit) in unit_rows.iter().enumerate() {
                let unit_texts = self.unit_texts(UnitId(get(unit, "id")?)).await?;
                let source_revision = unit_texts.source_revision();
                let folder_texts: Vec<FolderText> = unit_texts
                    .texts
                    .iter()
                    .map(|text| FolderText {
                        language: text.language,
                        title: text.title.clone(),
                        text: text.body.clone(),
                        outdated: text.language != unit_texts.source_language
                            && text.translated_from() < source_revision,
                    })
                    .collect();
                let taken: Vec<String> = units.iter().map(|unit| unit.name.clone()).collect();
                units.push(FolderUnit {
                    name: name_for(
                        &title_in(&folder_texts, unit_texts.source_language),
                        position + 1,
                        &taken,
                    ),
                    published: get::<i64>(unit, "published")? != 0,
                    texts: folder_texts,
                });
            }
            let folder_texts = outline_folder_texts(&module);
            let taken: Vec<String> = modules.iter().map(|module| module.name.clone()).collect();
            modules.push(FolderModule {
                source_language: module.source_language,
                name: name_for(
                    &title_in(&folder_texts, module.source_language),
                    index + 1,
                    &taken,
                ),
                texts: folder_texts,
                units,
            });
        }
        Ok(FolderProgram {
            source_language: texts.source_language,
            texts: outline_folder_texts(&texts),
            modules,
        })
    }

    /// Creates a draft program from a folder, all or nothing: each text becomes
    /// revision 1, a translation made from the source's revision 1 (or from none,
    /// when it was outdated). Its name is its title in the source language.
    pub async fn create_from_folder(
        &self,
        folder: &FolderProgram,
        author: UserId,
    ) -> Result<ProgramId, DbError> {
        let source = folder.source_language;
        // A translation is made from its source's revision 1, or from none when outdated.
        let made_from = |text: &FolderText, source: Language| {
            (text.language != source).then_some(if text.outdated { 0 } else { 1 })
        };
        let mut transaction = self.begin_write().await?;
        let row = sqlx::query(
            "INSERT INTO programs (name, description, source_language, published, created_by, created_at) \
             VALUES ($1, $2, $3, 0, $4, $5) RETURNING id",
        )
        .bind(folder.title())
        .bind(FolderProgram::text(&folder.texts, source).map_or("", |text| text.text.as_str()))
        .bind(source.code())
        .bind(author.0)
        .bind(now())
        .fetch_one(&mut *transaction)
        .await
        .map_err(named)?;
        let program = ProgramId(get(&row, "id")?);
        let write_texts = |item: OutlineItem, texts: &[FolderText], source: Language| {
            texts
                .iter()
                .map(|text| OutlineRow {
                    item,
                    language: text.language,
                    number: 1,
                    title: text.title.clone(),
                    summary: text.text.clone(),
                    source_number: made_from(text, source),
                    author: Some(author),
                })
                .collect::<Vec<_>>()
        };
        for row in write_texts(OutlineItem::Program(program), &folder.texts, source) {
            write_outline_revision(&mut transaction, row).await?;
        }
        for (index, module) in folder.modules.iter().enumerate() {
            let row = sqlx::query(
                "INSERT INTO modules (program_id, position, source_language) VALUES ($1, $2, $3) RETURNING id",
            )
            .bind(program.0)
            .bind(index as i64 + 1)
            .bind(module.source_language.code())
            .fetch_one(&mut *transaction)
            .await?;
            let new_module = ModuleId(get(&row, "id")?);
            for row in write_texts(
                OutlineItem::Module(new_module),
                &module.texts,
                module.source_language,
            ) {
                write_outline_revision(&mut transaction, row).await?;
            }
            for (position, unit) in module.units.iter().enumerate() {
                let row = sqlx::query(
                    "INSERT INTO units (module_id, position, published) VALUES ($1, $2, $3) RETURNING id",
                )
                .bind(new_module.0)
                .bind(position as i64 + 1)
                .bind(i64::from(unit.published))
                .fetch_one(&mut *transaction)
                .await?;
                let new_unit = UnitId(get(&row, "id")?);
                for text in &unit.texts {
                    crate::content::write_revision(
                        &mut transaction,
                        crate::content::RevisionRow {
                            unit: new_unit,
                            language: text.language,
                            number: 1,
                            title: &text.title,
                            body: &text.text,
                            source_number: made_from(text, module.source_language),
                            restored_from: None,
                            author: Some(author),
                        },
                    )
                    .await?;
                }
            }
        }
        transaction.commit().await?;
        Ok(program)
    }
}

/// An uploaded program folder is kept this long for its preview.
const PROGRAM_IMPORT_KEPT_SECS: i64 = 3_600;

impl Db {
    /// Keeps a checked program folder (`body`, as the app wrote it) for its preview.
    pub async fn store_program_import(&self, by: UserId, body: &str) -> Result<i64, DbError> {
        let at = now();
        sqlx::query("DELETE FROM program_imports WHERE created_at < $1")
            .bind(at - PROGRAM_IMPORT_KEPT_SECS)
            .execute(&mut *self.connection().await?)
            .await?;
        let row = sqlx::query(
            "INSERT INTO program_imports (created_by, body, created_at) VALUES ($1, $2, $3) RETURNING id",
        )
        .bind(by.0)
        .bind(body)
        .bind(at)
        .fetch_one(&mut *self.connection().await?)
        .await?;
        get(&row, "id")
    }

    /// A program folder `by` uploaded, while it is kept.
    pub async fn program_import(&self, id: i64, by: UserId) -> Result<String, DbError> {
        let row = sqlx::query(
            "SELECT body FROM program_imports WHERE id = $1 AND created_by = $2 AND created_at >= $3",
        )
        .bind(id)
        .bind(by.0)
        .bind(now() - PROGRAM_IMPORT_KEPT_SECS)
        .fetch_optional(&mut *self.connection().await?)
        .await?
        .ok_or(DbError::NotFound)?;
        get(&row, "body")
    }

    /// Forgets an uploaded folder once its program exists.
    pub async fn drop_program_import(&self, id: i64) -> Result<(), DbError> {
        sqlx::query("DELETE FROM program_imports WHERE id = $1")
            .bind(id)
            .execute(&mut *self.connection().await?)
            .await?;
        Ok(())
    }
}
