-- Indexes the key pages' queries asked for once planned without reading whole
-- tables (a test plans every query of those pages on PostgreSQL).

-- A cohort's consultation circles, and the category of each circle.
CREATE INDEX circles_by_cohort ON circles (cohort_id);
CREATE INDEX forum_categories_by_circle ON forum_categories (circle_id);
-- A program's modules in order.
CREATE INDEX modules_by_program ON modules (program_id, position);
