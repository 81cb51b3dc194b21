-- Issue 12, the appointment book (1 of 5): its records. Rooms, the
-- treatment menu and the technicians' working hours are set up by the
-- owner; courses and appointments are kept by the front desk. None is
-- ever deleted: a room or treatment no longer offered is retired, an
-- appointment called off is cancelled and stays readable. Every record
-- carries a version that each saved change raises and who made the last
-- change (0 is NeedleDesk itself), as clients do since migration 11.

CREATE TABLE room (
    id         INTEGER PRIMARY KEY,
    name       TEXT    NOT NULL,
    active     INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    version    INTEGER NOT NULL DEFAULT 1,
    updated_by INTEGER NOT NULL DEFAULT 0,
    updated_at TEXT    NOT NULL
) STRICT;

CREATE TABLE treatment_type (
    id              INTEGER PRIMARY KEY,
    name            TEXT    NOT NULL,
    default_minutes INTEGER NOT NULL CHECK (default_minutes BETWEEN 5 AND 480),
    areas           TEXT    NOT NULL DEFAULT '[]', -- JSON array of area codes
    needling        INTEGER NOT NULL DEFAULT 1 CHECK (needling IN (0, 1)),
    active          INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    version         INTEGER NOT NULL DEFAULT 1,
    updated_by      INTEGER NOT NULL DEFAULT 0,
    updated_at      TEXT    NOT NULL
) STRICT;

-- A technician's hours on each weekday, on the clinic's clock: a JSON
-- array of seven [open, close] pairs in minutes after midnight, Sunday
-- first; [0, 0] is a day off. No row: the clinic's opening hours.
CREATE TABLE working_hours (
    technician_id INTEGER PRIMARY KEY REFERENCES staff (id),
    days          TEXT    NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1,
    updated_by    INTEGER NOT NULL DEFAULT 0,
    updated_at    TEXT    NOT NULL
) STRICT;

CREATE TABLE course (
    id            INTEGER PRIMARY KEY,
    client_id     INTEGER NOT NULL REFERENCES client (id),
    treatment_id  INTEGER NOT NULL REFERENCES treatment_type (id),
    sessions      INTEGER NOT NULL CHECK (sessions BETWEEN 1 AND 20),
    interval_days INTEGER NOT NULL CHECK (interval_days BETWEEN 7 AND 365),
    note          TEXT    NOT NULL DEFAULT '',
    closed        INTEGER NOT NULL DEFAULT 0 CHECK (closed IN (0, 1)),
    created_at    TEXT    NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1,
    updated_by    INTEGER NOT NULL DEFAULT 0,
    updated_at    TEXT    NOT NULL
) STRICT;

CREATE INDEX course_by_client ON course (client_id, id);

-- start_at and end_at are instants (RFC 3339, UTC, as everywhere); end_at
-- is start_at plus minutes, kept so that the check for a clash compares
-- columns an index holds. sequence rises with every move (the calendar
-- entry's SEQUENCE).
CREATE TABLE appointment (
    id            INTEGER PRIMARY KEY,
    client_id     INTEGER NOT NULL REFERENCES client (id),
    technician_id INTEGER NOT NULL REFERENCES staff (id),
    room_id       INTEGER REFERENCES room (id),
    treatment_id  INTEGER NOT NULL REFERENCES treatment_type (id),
    start_at      TEXT    NOT NULL,
    end_at        TEXT    NOT NULL CHECK (end_at > start_at),
    minutes       INTEGER NOT NULL CHECK (minutes BETWEEN 5 AND 480),
    note          TEXT    NOT NULL DEFAULT '',
    status        TEXT    NOT NULL CHECK (status IN ('booked', 'arrived', 'in_treatment', 'completed', 'cancelled', 'no_show')),
    cancel_reason TEXT    NOT NULL DEFAULT '' CHECK (cancel_reason IN ('', 'client', 'clinic')),
    cancel_note   TEXT    NOT NULL DEFAULT '',
    session_id    INTEGER REFERENCES session (id),
    course_id     INTEGER REFERENCES course (id),
    sequence      INTEGER NOT NULL DEFAULT 0,
    version       INTEGER NOT NULL DEFAULT 1,
    created_at    TEXT    NOT NULL,
    created_by    INTEGER NOT NULL,
    updated_at    TEXT    NOT NULL,
    updated_by    INTEGER NOT NULL
) STRICT;

-- The client's consent to confirmations and reminders by e-mail. Kept
-- out of the client's row hash (row_hash.go), as the version is, so the
-- hashes recorded before this migration still match.
ALTER TABLE client ADD COLUMN email_reminders INTEGER NOT NULL DEFAULT 0 CHECK (email_reminders IN (0, 1));
