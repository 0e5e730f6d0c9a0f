//! Access rules written once in SQL, shared by every query that needs them. They
//! say in SQL what `kring_domain::Role::runs_cohort` and `ForumAccess::decide` say.

/// Whether the person `u` runs the cohort in column `$cohort`: admins run every
/// cohort, facilitators those they are assigned to.
macro_rules! runs_cohort {
    ($cohort:literal) => {
        concat!(
            "(u.role = 'admin' OR (u.role = 'facilitator' AND EXISTS \
              (SELECT 1 FROM cohort_facilitators f WHERE f.user_id = u.id AND f.cohort_id = ",
            $cohort,
            ")))"
        )
    };
}

/// Who may read category `c`: its cohort's members and those who run it; for a
/// circle's category, only the circle's members and those who run the cohort.
/// `u` is the person asked about.
macro_rules! may_read_category {
    () => {
        concat!(
            "(",
            runs_cohort!("c.cohort_id"),
            " OR (EXISTS (SELECT 1 FROM cohort_members m WHERE m.user_id = u.id AND m.cohort_id = c.cohort_id) \
              AND (c.circle_id IS NULL OR EXISTS \
              (SELECT 1 FROM circle_members cm WHERE cm.circle_id = c.circle_id AND cm.user_id = u.id))))"
        )
    };
}

/// The cohorts the person `u` belongs to or is assigned to run: every forum
/// they may read is among these cohorts' (admins', which read every forum, aside).
macro_rules! readers_cohorts {
    () => {
        "(SELECT rm.cohort_id FROM cohort_members rm WHERE rm.user_id = u.id \
          UNION SELECT rf.cohort_id FROM cohort_facilitators rf WHERE rf.user_id = u.id)"
    };
}

/// Whether the cohort member `m` is expected at session `s`: every member of a
/// cohort's language group at that group's live sessions (the whole cohort's
/// when the session names no group).
macro_rules! expected_at_session {
    () => {
        "(s.kind = 'live' AND m.cohort_id = s.cohort_id \
          AND (s.language_group_id IS NULL OR m.language_group_id = s.language_group_id))"
    };
}
