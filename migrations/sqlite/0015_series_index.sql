-- The sessions of a series in time order: what a page of the agenda compares
-- each session's local time with, to say when a clock change moves it.
CREATE INDEX calendar_sessions_by_series ON calendar_sessions (series_id, starts_at);
