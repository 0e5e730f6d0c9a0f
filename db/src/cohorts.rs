//! Organisations, programs, cohorts with their language groups and members, and the program outline.

use crate::error::DbError;
use crate::pool::{get, id_list, now, Db};
use kring_domain::{
    CohortId, CohortPeriod, Country, GroupName, Language, LanguageGroupId, ModuleId,
    OrganisationId, OrganisationName, ProgramId, Role, TimeZone, UnitId, UserId,
};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrganisationRecord {
    pub id: OrganisationId,
    pub name: String,
    pub country: Country,
    pub member_count: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CohortSummary {
    pub id: CohortId,
    pub program_id: ProgramId,
    pub program_name: String,
    pub name: String,
    pub starts_on: String,
    pub ends_on: String,
    pub member_count: i64,
    pub language_groups: Vec<(LanguageGroupId, String, Language)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CohortMember {
    pub cohort_id: CohortId,
    pub user_id: UserId,
    pub display_name: String,
    pub role: Role,
    pub organisation_name: Option<String>,
    pub language_group: Option<String>,
}

/// The columns `organisations` reads.
#[derive(sqlx::FromRow)]
struct OrganisationRow {
    id: i64,
    name: String,
    country: String,
    members: i64,
}

/// The columns `cohorts` reads, and those of each cohort's language groups.
#[derive(sqlx::FromRow)]
struct CohortRow {
    id: i64,
    program_id: i64,
    program_name: String,
    name: String,
    starts_on: String,
    ends_on: String,
    members: i64,
}

#[derive(sqlx::FromRow)]
struct GroupRow {
    id: i64,
    cohort_id: i64,
    name: String,
    language: String,
}

/// The columns `cohort_members` reads.
#[derive(sqlx::FromRow)]
struct MemberRow {
    cohort_id: i64,
    id: i64,
    display_name: String,
    role: String,
    organisation_name: Option<String>,
    group_name: Option<String>,
}

impl Db {
    pub async fn organisations(&self) -> Result<Vec<OrganisationRecord>, DbError> {
        let rows = sqlx::query(
            "SELECT o.id, o.name, o.country, (SELECT COUNT(*) FROM users u WHERE u.organisation_id = o.id) AS members \
             FROM organisations o ORDER BY o.name",
        )
        .fetch_all(&mut *self.connection().await?)
        .await?;
        rows.iter()
            .map(|row| {
                let row = <OrganisationRow as sqlx::FromRow<_>>::from_row(row)?;
                Ok(OrganisationRecord {
                    id: OrganisationId(row.id),
                    name: row.name,
                    country: Country::parse(&row.country)?,
                    member_count: row.members,
                })
            })
            .collect()
    }

    pub async fn create_organisation(
        &self,
        name: &OrganisationName,
        country: Country,
    ) -> Result<OrganisationId, DbError> {
        let row = sqlx::query("INSERT INTO organisations (name, country, created_at) VALUES ($1, $2, $3) RETURNING id")
            .bind(name.as_str())
            .bind(country.code())
            .bind(now())
            .fetch_one(&mut *self.connection().await?)
            .await
            .map_err(|error| DbError::on_unique_violation(error, DbError::OrganisationNameTaken))?;
        Ok(OrganisationId(get(&row, "id")?))
    }

    pub async fn organisation_exists(&self, id: OrganisationId) -> Result<bool, DbError> {
        let row = sqlx::query("SELECT COUNT(*) AS found FROM organisations WHERE id = $1")
            .bind(id.0)
            .fetch_one(&mut *self.connection().await?)
            .await?;
        Ok(get::<i64>(&row, "found")? > 0)
    }

    /// A published program in English without a creator: what administrators start
    /// from the admin page, and the demo.
    pub async fn create_program(
        &self,
        name: &GroupName,
        description: &str,
    ) -> Result<ProgramId, DbError> {
        self.new_program(
            &kring_domain::OutlineTitle::parse(name.as_str()).map_err(DbError::Refused)?,
            &kring_domain::OutlineSummary::parse(description).map_err(DbError::Refused)?,
            Language::En,
            None,
            true,
        )
        .await
    }

    pub async fn programs(&self) -> Result<Vec<(ProgramId, String)>, DbError> {
        let rows = sqlx::query("SELECT id, name FROM programs ORDER BY name")
            .fetch_all(&mut *self.connection().await?)
            .await?;
        rows.iter()
            .map(|row| Ok((ProgramId(get(row, "id")?), get(row, "name")?)))
            .collect()
    }

    /// Creates a cohort with its language groups, all or nothing.
    pub async fn create_cohort(
        &self,
        program: ProgramId,
        name: &GroupName,
        period: &CohortPeriod,
        groups: &[(String, Language)],
    ) -> Result<(CohortId, Vec<LanguageGroupId>), DbError> {
        let mut transaction = self.begin_write().await?;
        let row = sqlx::query(
            "INSERT INTO cohorts (program_id, name, starts_on, ends_on, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(program.0)
        .bind(name.as_str())
        .bind(period.starts_on())
        .bind(period.ends_on())
        .bind(now())
        .fetch_one(&mut *transaction)
        .await
        .map_err(|error| DbError::on_unique_violation(error, DbError::CohortNameTaken))?;
        let cohort = CohortId(get(&row, "id")?);
        let mut group_ids = Vec::with_capacity(groups.len());
        for (group_name, language) in groups {
            let row = sqlx::query(
                "INSERT INTO language_groups (cohort_id, name, language) VALUES ($1, $2, $3) RETURNING id",
            )
            .bind(cohort.0)
            .bind(group_name)
            .bind(language.code())
            .fetch_one(&mut *transaction)
            .await?;
            group_ids.push(LanguageGroupId(get(&row, "id")?));
        }
        transaction.commit().await?;
        Ok((cohort, group_ids))
    }

    /// Adds `user` to `cohort`, or moves them to another language group if already a member.
    pub async fn add_cohort_member(
        &self,
        cohort: CohortId,
        user: UserId,
        group: Option<LanguageGroupId>,
    ) -> Result<(), DbError> {
        sqlx::query(
            "INSERT INTO cohort_members (cohort_id, user_id, language_group_id, joined_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (cohort_id, user_id) DO UPDATE SET language_group_id = excluded.language_group_id",
        )
        .bind(cohort.0)
        .bind(user.0)
        .bind(group.map(|id| id.0))
        .bind(now())
        .execute(&mut *self.connection().await?)
        .await?;
        Ok(())
    }

    /// Moves a member of `cohort` to another of its language groups. `NotFound` when
    /// they are no member, or the group is another cohort's.
    pub async fn move_cohort_member(
        &self,
        cohort: CohortId,
        user: UserId,
        group: LanguageGroupId,
    ) -> Result<(), DbError> {
        let moved = sqlx::query(
            "UPDATE cohort_members SET language_group_id = $1 WHERE cohort_id = $2 AND user_id = $3 \
             AND EXISTS (SELECT 1 FROM language_groups g WHERE g.id = $1 AND g.cohort_id = $2)",
        )
        .bind(group.0)
        .bind(cohort.0)
        .bind(user.0)
        .execute(&mut *self.connection().await?)
        .await?
        .rows_affected();
        if moved == 0 {
            return Err(DbError::NotFound);
        }
        Ok(())
    }

    /// Takes `user` out of `cohort` and out of its circles; their live
    /// streams of its forum end. `NotFound` when they were not a member.
    pub async fn remove_cohort_member(
        &self,
        cohort: CohortId,
        user: UserId,
    ) -> Result<(), DbError> {
        let mut transaction = self.begin_write().await?;
        let removed =
            sqlx::query("DELETE FROM cohort_members WHERE cohort_id = $1 AND user_id = $2")
                .bind(cohort.0)
                .bind(user.0)
                .execute(&mut *transaction)
                .await?
                .rows_affected();
        if removed == 0 {
            return Err(DbError::NotFound);
        }
        crate::circles::give_back_places(&mut transaction, user, Some(cohort)).await?;
        self.record_access_change(&mut transaction, user).await?;
        transaction.commit().await?;
        self.live_committed();
        Ok(())
    }

    /// Every cohort, or only those `person` belongs to or is assigned to facilitate.
    pub async fn cohorts(&self, person: Option<UserId>) -> Result<Vec<CohortSummary>, DbError> {
        self.cohort_summaries(person, None).await
    }

    /// One cohort.
    pub async fn cohort(&self, cohort: CohortId) -> Result<CohortSummary, DbError> {
        self.cohort_summaries(None, Some(cohort))
            .await?
            .pop()
            .ok_or(DbError::NotFound)
    }

    /// `only` that cohort, else those of `person`, else all.
    async fn cohort_summaries(
        &self,
        person: Option<UserId>,
        only: Option<CohortId>,
    ) -> Result<Vec<CohortSummary>, DbError> {
        macro_rules! select_cohorts {
            ($filter:literal) => {
                concat!(
                    "SELECT c.id, c.program_id, p.name AS program_name, c.name, c.starts_on, c.ends_on, \
                     (SELECT COUNT(*) FROM cohort_members m WHERE m.cohort_id = c.id) AS members \
                     FROM cohorts c JOIN programs p ON p.id = c.program_id ",
                    $filter,
                    " ORDER BY c.starts_on DESC, c.name"
                )
            };
        }
        // One statement per case, each led by an index: an `$1 < 0 OR …`
        // filter would make PostgreSQL's generic plan read every cohort.
        let rows = match (only, person) {
            (Some(cohort), _) => sqlx::query(select_cohorts!("WHERE c.id = $1")).bind(cohort.0),
            (None, Some(person)) => sqlx::query(select_cohorts!(
                "WHERE c.id IN (SELECT m.cohort_id FROM cohort_members m WHERE m.user_id = $1 \
                 UNION SELECT f.cohort_id FROM cohort_facilitators f WHERE f.user_id = $1)"
            ))
            .bind(person.0),
            (None, None) => sqlx::query(select_cohorts!("")),
        }
        .fetch_all(&mut *self.connection().await?)
        .await?;
        let found: Vec<i64> = rows
            .iter()
            .map(|row| get(row, "id"))
            .collect::<Result<_, _>>()?;
        let groups = if found.is_empty() {
            Vec::new()
        } else {
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT id, cohort_id, name, language FROM language_groups \
                 WHERE cohort_id IN ({}) ORDER BY name",
                id_list(&found)
            )))
            .fetch_all(&mut *self.connection().await?)
            .await?
        };
        let groups = groups
            .iter()
            .map(<GroupRow as sqlx::FromRow<_>>::from_row)
            .collect::<Result<Vec<_>, _>>()?;
        let mut cohorts = Vec::with_capacity(rows.len());
        for row in &rows {
            let row = <CohortRow as sqlx::FromRow<_>>::from_row(row)?;
            let language_groups = groups
                .iter()
                .filter(|group| group.cohort_id == row.id)
                .map(|group| {
                    Ok((
                        LanguageGroupId(group.id),
                        group.name.clone(),
                        Language::parse(&group.language)?,
                    ))
                })
                .collect::<Result<_, DbError>>()?;
            cohorts.push(CohortSummary {
                id: CohortId(row.id),
                program_id: ProgramId(row.program_id),
                program_name: row.program_name,
                name: row.name,
                starts_on: row.starts_on,
                ends_on: row.ends_on,
                member_count: row.members,
                language_groups,
            });
        }
        Ok(cohorts)
    }

    /// The members of every cohort (or of `only` that one), in one query, ordered by
    /// name within each cohort.
    pub async fn cohort_members(
        &self,
        only: Option<CohortId>,
    ) -> Result<Vec<CohortMember>, DbError> {
        let rows = sqlx::query(
            "SELECT m.cohort_id, u.id, u.display_name, u.role, o.name AS organisation_name, g.name AS group_name \
             FROM cohort_members m JOIN users u ON u.id = m.user_id \
             LEFT JOIN organisations o ON o.id = u.organisation_id \
             LEFT JOIN language_groups g ON g.id = m.language_group_id \
             WHERE $1 < 0 OR m.cohort_id = $1 \
             ORDER BY m.cohort_id, u.display_name",
        )
        .bind(only.map_or(-1, |id| id.0))
        .fetch_all(&mut *self.connection().await?)
        .await?;
        rows.iter()
            .map(|row| {
                let row = <MemberRow as sqlx::FromRow<_>>::from_row(row)?;
                Ok(CohortMember {
                    cohort_id: CohortId(row.cohort_id),
                    user_id: UserId(row.id),
                    display_name: row.display_name,
                    role: Role::parse(&row.role)?,
                    organisation_name: row.organisation_name,
                    language_group: row.group_name,
                })
            })
            .collect()
    }

    /// A unit's title in `language`, else in its module's source language.
    pub async fn unit_title(
        &self,
        unit: UnitId,
        language: Language,
    ) -> Result<Option<String>, DbError> {
        let row = sqlx::query(
            "SELECT COALESCE(mine.title, src.title) AS title FROM units u JOIN modules m ON m.id = u.module_id \
             JOIN unit_translations src ON src.unit_id = u.id AND src.language = m.source_language \
             LEFT JOIN unit_translations mine ON mine.unit_id = u.id AND mine.language = $2 WHERE u.id = $1",
        )
        .bind(unit.0)
        .bind(language.code())
        .fetch_optional(&mut *self.connection().await?)
        .await?;
        row.map(|row| get(&row, "title")).transpose()
    }

    /// The members of a cohort (or of one of its language groups) with the zones they live in.
    pub async fn member_zones(
        &self,
        cohort: CohortId,
        group: Option<LanguageGroupId>,
    ) -> Result<Vec<(String, TimeZone)>, DbError> {
        let rows = sqlx::query(
            "SELECT u.display_name, u.time_zone FROM cohort_members m JOIN users u ON u.id = m.user_id \
             WHERE m.cohort_id = $1 AND ($2 < 0 OR m.language_group_id = $2) ORDER BY u.display_name",
        )
        .bind(cohort.0)
        .bind(group.map_or(-1, |id| id.0))
        .fetch_all(&mut *self.connection().await?)
        .await?;
        rows.iter()
            .map(|row| {
                Ok((
                    get(row, "display_name")?,
                    TimeZone::parse(&get::<String>(row, "time_zone")?)?,
                ))
            })
            .collect()
    }

    pub async fn create_module(
        &self,
        program: ProgramId,
        position: i64,
        source_language: Language,
    ) -> Result<ModuleId, DbError> {
        let row = sqlx::query("INSERT INTO modules (program_id, position, source_language) VALUES ($1, $2, $3) RETURNING id")
            .bind(program.0)
            .bind(position)
            .bind(source_language.code())
            .fetch_one(&mut *self.connection().await?)
            .await?;
        Ok(ModuleId(get(&row, "id")?))
    }

    pub async fn create_unit(&self, module: ModuleId, position: i64) -> Result<UnitId, DbError> {
        let row =
            sqlx::query("INSERT INTO units (module_id, position) VALUES ($1, $2) RETURNING id")
                .bind(module.0)
                .bind(position)
                .fetch_one(&mut *self.connection().await?)
                .await?;
        Ok(UnitId(get(&row, "id")?))
    }

    /// Publishes a unit's text in `language` as its next revision, without an
    /// author (the demo program's texts). A translation records the source
    /// revision current at that moment.
    pub async fn translate_unit(
        &self,
        unit: UnitId,
        language: Language,
        title: &str,
        body: &str,
    ) -> Result<(), DbError> {
        let mut transaction = self.begin_write().await?;
        let row = sqlx::query(
            "SELECT m.source_language, \
             (SELECT COALESCE(MAX(number), 0) FROM unit_revisions r WHERE r.unit_id = u.id AND r.language = $2) AS current, \
             (SELECT MAX(number) FROM unit_revisions r WHERE r.unit_id = u.id AND r.language = m.source_language) AS source_current \
             FROM units u JOIN modules m ON m.id = u.module_id WHERE u.id = $1",
        )
        .bind(unit.0)
        .bind(language.code())
        .fetch_optional(&mut *transaction)
        .await?
        .ok_or(DbError::NotFound)?;
        let number = get::<i64>(&row, "current")? + 1;
        let source_number =
            if Language::parse(&get::<String>(&row, "source_language")?)? == language {
                None
            } else {
                get::<Option<i64>>(&row, "source_current")?
            };
        crate::content::write_revision(
            &mut transaction,
            crate::content::RevisionRow {
                unit,
                language,
                number,
                title,
                body,
                source_number,
                restored_from: None,
                author: None,
            },
        )
        .await?;
        transaction.commit().await?;
        Ok(())
    }
}
