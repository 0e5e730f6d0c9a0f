//! Access rules written once in SQL, shared by every query that needs them.

/// Who may read category `c`: its cohort's members and staff; for a circle's
/// category, only the circle's members and staff. `u` is the person asked about.
macro_rules! may_read_category {
    () => {
        "(EXISTS (SELECT 1 FROM cohort_members m WHERE m.user_id = u.id AND m.cohort_id = c.cohort_id) \
          OR u.role IN ('facilitator', 'admin')) \
         AND (c.circle_id IS NULL OR u.role IN ('facilitator', 'admin') OR EXISTS \
          (SELECT 1 FROM circle_members cm WHERE cm.circle_id = c.circle_id AND cm.user_id = u.id))"
    };
}
