//! The cohort dashboard's server function: each member's attendance, progress per
//! module, last visit and last post, ordered as the facilitator asks.

use super::*;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::api::run_cohort;
#[cfg(feature = "ssr")]
use crate::viewer::{db, request_context};

/// Someone not seen for this long is flagged.
#[cfg(feature = "ssr")]
pub const INACTIVE_AFTER_SECS: i64 = 14 * 86_400;

/// Orders dashboard members as asked; ties by name.
#[cfg(feature = "ssr")]
pub fn order_members(members: &mut [kring_db::DashboardMember], order: DashboardOrder) {
    let done = |member: &kring_db::DashboardMember| -> i64 { member.done.values().sum() };
    members.sort_by(|a, b| {
        let by = match order {
            DashboardOrder::Name => std::cmp::Ordering::Equal,
            // a.present / a.held against b.present / b.held, without division.
            DashboardOrder::Attendance => (a.present * b.held.max(1))
                .cmp(&(b.present * a.held.max(1)))
                .then(a.present.cmp(&b.present)),
            DashboardOrder::Progress => done(a).cmp(&done(b)),
            DashboardOrder::Seen => a
                .last_seen_at
                .unwrap_or(0)
                .cmp(&b.last_seen_at.unwrap_or(0)),
        };
        by.then_with(|| a.name.to_lowercase().cmp(&b.name.to_lowercase()))
    });
}

#[server(endpoint = "people/dashboard")]
pub async fn load_dashboard(cohort: i64, order: Option<String>) -> Result<DashboardView, AppError> {
    use crate::i18n::*;
    use kring_domain::time_text::moment;
    let context = request_context();
    let (_, summary) = run_cohort(&context, cohort).await?;
    let language = context.viewer.language;
    let t = locale(language);
    let zone = context.time_zone();
    let now = kring_db::now();
    let order = DashboardOrder::from_code(order.as_deref().unwrap_or_default());
    let (modules, mut members) = db().cohort_dashboard(summary.id, language, now).await?;
    order_members(&mut members, order);
    let of = |done: i64, total: i64| {
        td_string!(t, dashboard_of)
            .replace("%done%", &done.to_string())
            .replace("%total%", &total.to_string())
    };
    let when = |at: Option<i64>| match at {
        Some(at) => moment(at, &zone, language),
        None => td_string!(t, dashboard_never).to_owned(),
    };
    let rows: Vec<DashboardRow> = members
        .iter()
        .map(|member| DashboardRow {
            name: member.name.clone(),
            group: member.group.clone(),
            attendance: of(member.present, member.held),
            progress: modules
                .iter()
                .map(|module| {
                    of(
                        member.done.get(&module.id).copied().unwrap_or(0),
                        module.units,
                    )
                })
                .collect(),
            last_seen: when(member.last_seen_at),
            last_post: when(member.last_post_at),
            inactive: member
                .last_seen_at
                .is_none_or(|seen| now - seen > INACTIVE_AFTER_SECS),
        })
        .collect();
    Ok(DashboardView {
        cohort,
        cohort_name: summary.name,
        modules: modules.into_iter().map(|module| module.title).collect(),
        inactive: rows.iter().filter(|row| row.inactive).count(),
        rows,
        order,
    })
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;
    use kring_db::DashboardMember;
    use kring_domain::{ModuleId, UserId};

    fn member(
        name: &str,
        present: i64,
        held: i64,
        done: i64,
        seen: Option<i64>,
    ) -> DashboardMember {
        DashboardMember {
            user_id: UserId(1),
            name: name.to_owned(),
            email: format!("{name}@example.org"),
            group: None,
            held,
            present,
            excused: 0,
            done: [(ModuleId(1), done)].into_iter().collect(),
            last_seen_at: seen,
            last_post_at: None,
        }
    }

    fn names(members: &[DashboardMember]) -> Vec<&str> {
        members.iter().map(|m| m.name.as_str()).collect()
    }

    #[test]
    fn members_order_by_what_the_facilitator_asks_then_by_name() {
        let mut members = vec![
            member("carla", 9, 11, 4, Some(300)),
            member("Ana", 2, 11, 1, None),
            member("ben", 2, 3, 1, Some(100)),
        ];
        order_members(&mut members, DashboardOrder::Name);
        assert_eq!(names(&members), ["Ana", "ben", "carla"]);
        // 2 of 11 attended less than 2 of 3.
        order_members(&mut members, DashboardOrder::Attendance);
        assert_eq!(names(&members), ["Ana", "ben", "carla"]);
        order_members(&mut members, DashboardOrder::Progress);
        assert_eq!(names(&members), ["Ana", "ben", "carla"]);
        // Never seen first, then the longest unseen.
        order_members(&mut members, DashboardOrder::Seen);
        assert_eq!(names(&members), ["Ana", "ben", "carla"]);
        members[0].last_seen_at = Some(500);
        order_members(&mut members, DashboardOrder::Seen);
        assert_eq!(names(&members), ["ben", "carla", "Ana"]);
        assert_eq!(DashboardOrder::from_code("seen"), DashboardOrder::Seen);
        assert_eq!(DashboardOrder::from_code("<b>"), DashboardOrder::Name);
    }
}
