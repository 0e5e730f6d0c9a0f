//! The forums a person belongs to, and a cohort's forum: categories with unread
//! counts, and circles.

use crate::error::AppError;
use crate::forum::*;
#[cfg(feature = "ssr")]
use kring_domain::forum::CircleStatus;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::forum::access::*;
#[cfg(feature = "ssr")]
use crate::viewer::{db, request_context};

/// The cohorts whose forums the viewer may open: (id, name).
#[server(endpoint = "forum/cohorts")]
pub async fn load_forums() -> Result<Vec<(i64, String)>, AppError> {
    let context = request_context();
    let user = context.require_user()?;
    // Admins open every forum; everyone else those of their cohorts.
    let member = (!user.role.may_administer()).then_some(user.id);
    Ok(db()
        .cohorts(member)
        .await?
        .into_iter()
        .map(|cohort| (cohort.id.0, cohort.name))
        .collect())
}

/// A cohort's forum: its categories with unread counts, and its circles.
#[server(endpoint = "forum/cohort")]
pub async fn load_forum(cohort: i64) -> Result<ForumView, AppError> {
    use kring_domain::CohortId;
    let context = request_context();
    let cohort = CohortId(cohort);
    let user = require_forum_member(&context, cohort).await?;
    let db = db();
    let summary = db.cohort(cohort).await?;
    let categories = db
        .category_overview(cohort, user.id, context.viewer.language)
        .await?
        .into_iter()
        .map(|overview| CategoryEntry {
            id: overview.category.id.0,
            topic: match overview.category.kind {
                kring_db::CategoryKind::Module(module) => CategoryTopic::Module {
                    module: module.0,
                    title: overview.module_title.unwrap_or_default(),
                },
                kring_db::CategoryKind::Cases => CategoryTopic::Cases,
                _ => CategoryTopic::General,
            },
            threads: overview.threads,
            unread_threads: overview.unread_threads,
        })
        .collect();
    let staff = context.runs(Some(cohort)).await?;
    let mut circles = Vec::new();
    for circle in db.circles(cohort).await? {
        let member = db.is_circle_member(circle.id, user.id).await?;
        // Archived circles leave the list for everyone but their members and facilitators.
        if circle.status == CircleStatus::Archived && !member && !staff {
            continue;
        }
        let members = if member || staff {
            db.circle_member_names(circle.id)
                .await?
                .into_iter()
                .map(|(id, name)| (id.0, name))
                .collect()
        } else {
            Vec::new()
        };
        circles.push(CircleEntry {
            id: circle.id.0,
            category: circle.category.0,
            question: circle.question,
            capacity: circle.capacity,
            member_count: circle.member_count,
            status: circle.status,
            member,
            members,
            may_read: member || staff,
        });
    }
    Ok(ForumView {
        cohort: cohort.0,
        cohort_name: summary.name,
        categories,
        circles,
        staff,
    })
}
