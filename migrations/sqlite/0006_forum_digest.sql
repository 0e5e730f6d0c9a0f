-- Whether a member wants forum notifications they have not read by e-mail, as a digest.
ALTER TABLE users ADD COLUMN forum_digest BIGINT NOT NULL DEFAULT 1;
