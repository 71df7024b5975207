-- Initial schema: one incident, its local-only inputs, and everything that happens to its draft.
CREATE TABLE incidents (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    title         TEXT    NOT NULL,
    created_at    TEXT    NOT NULL,
    updated_at    TEXT    NOT NULL,
    incident_date TEXT,
    timezone      TEXT    NOT NULL DEFAULT 'UTC',
    template      TEXT    NOT NULL DEFAULT 'comprehensive'
);

-- Raw inputs never leave the machine; they live here so a reload or restart loses nothing.
CREATE TABLE transcripts (
    incident_id INTEGER PRIMARY KEY REFERENCES incidents(id) ON DELETE CASCADE,
    raw_text    TEXT NOT NULL,
    users_json  TEXT,
    notes       TEXT
);

-- The local name mapping (real name -> pseudonym), confirmed roles (pseudonym -> role) and the
-- user's decisions on detected names (name -> "confirmed" | "dismissed").
CREATE TABLE rosters (
    incident_id    INTEGER PRIMARY KEY REFERENCES incidents(id) ON DELETE CASCADE,
    mapping_json   TEXT NOT NULL DEFAULT '{}',
    roles_json     TEXT NOT NULL DEFAULT '{}',
    decisions_json TEXT NOT NULL DEFAULT '{}'
);

-- Every version of the draft: each finished stage, generation, edit and regeneration.
CREATE TABLE draft_versions (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    incident_id     INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
    created_at      TEXT    NOT NULL,
    kind            TEXT    NOT NULL,
    section         TEXT,
    postmortem_json TEXT    NOT NULL,
    provenance_json TEXT    NOT NULL DEFAULT '{}'
);
CREATE INDEX draft_versions_incident ON draft_versions(incident_id, id);

CREATE TABLE lint_acks (
    incident_id INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
    finding_key TEXT    NOT NULL,
    reason      TEXT    NOT NULL,
    created_at  TEXT    NOT NULL,
    PRIMARY KEY (incident_id, finding_key)
);

CREATE TABLE approvals (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    incident_id INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
    version_id  INTEGER NOT NULL REFERENCES draft_versions(id),
    reviewer    TEXT    NOT NULL,
    approved_at TEXT    NOT NULL
);

CREATE TABLE exports (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    incident_id INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
    version_id  INTEGER NOT NULL REFERENCES draft_versions(id),
    kind        TEXT    NOT NULL,
    created_at  TEXT    NOT NULL
);
