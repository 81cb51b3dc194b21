-- Sign-in: each staff member's password as an argon2id PHC string ('' until
-- one is set: that person cannot sign in), and the wrong passwords in a row
-- with the time of the last, from which the wait before the next attempt
-- is worked out (data.SignInDelay).
ALTER TABLE staff ADD COLUMN password_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE staff ADD COLUMN failed_attempts INTEGER NOT NULL DEFAULT 0 CHECK (failed_attempts >= 0);
ALTER TABLE staff ADD COLUMN last_failed_at TEXT;

-- Amendments: when a session is changed after its treatment day, the
-- version it replaces is kept here (JSON, sessionDoc in amend.go), with who
-- changed it and when. Like the audit trail, the rows are never changed
-- or deleted.
CREATE TABLE session_version (
    id         INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES session (id),
    changed_at TEXT    NOT NULL,
    changed_by INTEGER NOT NULL, -- a staff ID, or 0 for NeedleDesk itself
    earlier    TEXT    NOT NULL
) STRICT;

CREATE INDEX session_version_by_session ON session_version (session_id, id);

CREATE TRIGGER session_version_no_update BEFORE UPDATE ON session_version
BEGIN
    SELECT RAISE(ABORT, 'earlier versions of a session cannot be changed');
END;

CREATE TRIGGER session_version_no_delete BEFORE DELETE ON session_version
BEGIN
    SELECT RAISE(ABORT, 'earlier versions of a session cannot be deleted');
END;
