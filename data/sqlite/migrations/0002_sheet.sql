-- Aftercare sheets as handed to the client: the exact PDF bytes and their
-- SHA-256, so the clinic can show later what the client was given. Like the
-- audit trail, a kept sheet is never changed or deleted; a corrected sheet
-- is a new version.
CREATE TABLE sheet (
    id         INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES session (id),
    version    INTEGER NOT NULL CHECK (version >= 1),
    made_at    TEXT    NOT NULL,
    made_by    INTEGER NOT NULL, -- a staff ID, or 0 for NeedleDesk itself
    sha256     TEXT    NOT NULL,
    pdf        BLOB    NOT NULL,
    UNIQUE (session_id, version)
) STRICT;

CREATE TRIGGER sheet_no_update BEFORE UPDATE ON sheet
BEGIN
    SELECT RAISE(ABORT, 'kept aftercare sheets cannot be changed; make a new version');
END;

CREATE TRIGGER sheet_no_delete BEFORE DELETE ON sheet
BEGIN
    SELECT RAISE(ABORT, 'kept aftercare sheets cannot be deleted');
END;
