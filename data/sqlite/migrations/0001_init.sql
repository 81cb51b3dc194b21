-- NeedleDesk schema 1. Every instant is RFC 3339 text in UTC with a
-- fixed-width fraction (so text order is time order); every calendar date is
-- 'YYYY-MM-DD' text, NULL when not set. Tables are STRICT so a wrong type is
-- refused by SQLite rather than silently stored.

CREATE TABLE staff (
    id     INTEGER PRIMARY KEY,
    name   TEXT    NOT NULL,
    role   TEXT    NOT NULL CHECK (role IN ('receptionist', 'technician', 'owner')),
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
) STRICT;

CREATE TABLE product (
    id                INTEGER PRIMARY KEY,
    name              TEXT    NOT NULL,
    brand             TEXT    NOT NULL DEFAULT '',
    category          TEXT    NOT NULL,
    how_to_use        TEXT    NOT NULL DEFAULT '',
    default_start_day INTEGER NOT NULL DEFAULT 0,
    key_ingredients   TEXT    NOT NULL DEFAULT '[]', -- JSON array of strings
    active            INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
) STRICT;

CREATE TABLE client (
    id                   INTEGER PRIMARY KEY,
    given_name           TEXT    NOT NULL,
    family_name          TEXT    NOT NULL DEFAULT '',
    date_of_birth        TEXT    NOT NULL,
    phone                TEXT    NOT NULL DEFAULT '',
    email                TEXT    NOT NULL DEFAULT '',
    address              TEXT    NOT NULL DEFAULT '',
    skin_type            INTEGER NOT NULL DEFAULT 0 CHECK (skin_type BETWEEN 0 AND 6),
    concerns             TEXT    NOT NULL DEFAULT '[]', -- JSON array of concern codes
    allergies            TEXT    NOT NULL DEFAULT '',
    medications          TEXT    NOT NULL DEFAULT '',
    medical_notes        TEXT    NOT NULL DEFAULT '',
    isotretinoin         INTEGER NOT NULL DEFAULT 0 CHECK (isotretinoin IN (0, 1)),
    isotretinoin_stopped TEXT,
    pregnant_or_nursing  INTEGER NOT NULL DEFAULT 0 CHECK (pregnant_or_nursing IN (0, 1)),
    anticoagulants       INTEGER NOT NULL DEFAULT 0 CHECK (anticoagulants IN (0, 1)),
    keloid_tendency      INTEGER NOT NULL DEFAULT 0 CHECK (keloid_tendency IN (0, 1)),
    active_infection     INTEGER NOT NULL DEFAULT 0 CHECK (active_infection IN (0, 1)),
    metal_allergy        INTEGER NOT NULL DEFAULT 0 CHECK (metal_allergy IN (0, 1)),
    recent_actives       INTEGER NOT NULL DEFAULT 0 CHECK (recent_actives IN (0, 1)),
    recent_actives_on    TEXT,
    recent_actives_what  TEXT    NOT NULL DEFAULT '',
    consent_signed_on    TEXT,
    consent_form_version TEXT    NOT NULL DEFAULT '',
    notes                TEXT    NOT NULL DEFAULT '',
    created_at           TEXT    NOT NULL,
    updated_at           TEXT    NOT NULL,
    archived_at          TEXT,
    -- Derived columns, written by the store in the same transaction as the
    -- change they derive from. family_sort and given_sort are folded (case and
    -- accents) so "de Vries" and "Émile" sort where a receptionist looks.
    family_sort          TEXT    NOT NULL,
    given_sort           TEXT    NOT NULL,
    search_text          TEXT    NOT NULL, -- folded "given family email"
    phone_digits         TEXT    NOT NULL,
    -- Copied from the client's latest session (by started_at) so the list and
    -- the "due back" filter never have to look at the session table.
    last_session_at      TEXT,
    next_due             TEXT
) STRICT;

CREATE INDEX client_by_name ON client (family_sort, given_sort, id);
CREATE INDEX client_by_next_due ON client (next_due, family_sort, given_sort, id)
    WHERE next_due IS NOT NULL;

CREATE TABLE session (
    id               INTEGER PRIMARY KEY,
    client_id        INTEGER NOT NULL REFERENCES client (id),
    technician_id    INTEGER NOT NULL REFERENCES staff (id),
    started_at       TEXT    NOT NULL,
    device           TEXT    NOT NULL DEFAULT '',
    needle_lot       TEXT    NOT NULL DEFAULT '',
    passes           INTEGER NOT NULL DEFAULT 0,
    numbing_agent    TEXT    NOT NULL DEFAULT '',
    numbing_minutes  INTEGER NOT NULL DEFAULT 0,
    glide_serum      TEXT    NOT NULL DEFAULT '',
    products_applied TEXT    NOT NULL DEFAULT '',
    reaction         TEXT    NOT NULL DEFAULT '',
    notes            TEXT    NOT NULL DEFAULT '',
    next_due         TEXT,
    warnings         TEXT    NOT NULL DEFAULT '[]', -- JSON array of the warnings shown
    override_reason  TEXT    NOT NULL DEFAULT '',
    created_at       TEXT    NOT NULL,
    updated_at       TEXT    NOT NULL
) STRICT;

-- No index on technician_id or on session_recommendation.product_id: staff
-- and products are never deleted or renumbered, so SQLite never has to look
-- for their children, and every index slows the bulk imports down.
CREATE INDEX session_by_client ON session (client_id, started_at, id);

-- Child rows live and die with their session. position keeps the order the
-- technician charted them in.
CREATE TABLE session_area (
    session_id INTEGER NOT NULL REFERENCES session (id) ON DELETE CASCADE,
    area       TEXT    NOT NULL,
    depth_mm   REAL    NOT NULL CHECK (depth_mm > 0),
    position   INTEGER NOT NULL,
    PRIMARY KEY (session_id, area)
) STRICT, WITHOUT ROWID;

CREATE TABLE session_recommendation (
    session_id INTEGER NOT NULL REFERENCES session (id) ON DELETE CASCADE,
    product_id INTEGER NOT NULL REFERENCES product (id),
    start_day  INTEGER NOT NULL CHECK (start_day >= 0),
    position   INTEGER NOT NULL,
    PRIMARY KEY (session_id, product_id)
) STRICT, WITHOUT ROWID;

-- One row: the settings document (JSON, without the logo) and the logo bytes.
CREATE TABLE settings (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    doc  TEXT NOT NULL,
    logo BLOB
) STRICT;

-- The audit trail is append-only: the triggers refuse any change to a row
-- once written, whoever asks.
CREATE TABLE audit_event (
    id        INTEGER PRIMARY KEY,
    at        TEXT    NOT NULL,
    actor_id  INTEGER NOT NULL,
    action    TEXT    NOT NULL,
    entity    TEXT    NOT NULL,
    entity_id INTEGER NOT NULL
) STRICT;

CREATE INDEX audit_event_by_entity ON audit_event (entity, entity_id, id);

CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event
BEGIN
    SELECT RAISE(ABORT, 'the audit trail is append-only: events cannot be changed');
END;

CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event
BEGIN
    SELECT RAISE(ABORT, 'the audit trail is append-only: events cannot be deleted');
END;
