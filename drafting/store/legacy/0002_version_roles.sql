-- The roles (pseudonym -> role) a draft version's text is labelled with, as JSON. NULL: the same
-- as the version before it (edits, regenerations and approvals do not change the labels).
ALTER TABLE draft_versions ADD COLUMN roles_json TEXT;
