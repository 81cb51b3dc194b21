-- The audit trail becomes tamper-evident: every event carries the SHA-256
-- of the event before it and its own (see audit_chain.go for what is
-- hashed), and audit_head records the last event, its hash and how many
-- events there are, so that removing events from the end shows too.
-- `needledesk check` walks the chain. The hashes are not keyed: they show
-- an edit made with a database tool, not one by someone who rewrites
-- every hash after it.

-- The append-only triggers come off while the existing events get their
-- client and their hashes, and go back on below, in this same transaction.
DROP TRIGGER audit_event_no_update;
DROP TRIGGER audit_event_no_delete;

-- client_id is the client an event concerns (0 for none), so the audit
-- screen can show everything that happened to one client; detail is a
-- short plain-words note such as why an action was denied.
ALTER TABLE audit_event ADD COLUMN client_id INTEGER NOT NULL DEFAULT 0;
ALTER TABLE audit_event ADD COLUMN detail    TEXT    NOT NULL DEFAULT '';
-- Lower-case hex, 64 characters; the first event's prev_hash is all zeros.
ALTER TABLE audit_event ADD COLUMN prev_hash TEXT    NOT NULL DEFAULT '';
ALTER TABLE audit_event ADD COLUMN hash      TEXT    NOT NULL DEFAULT '';

-- Earlier events learn their client from the records they are about, as
-- those records stand now (a session moved to another client since counts
-- for its new client).
UPDATE audit_event SET client_id = coalesce(CASE entity
    WHEN 'client'  THEN entity_id
    WHEN 'session' THEN (SELECT s.client_id FROM session s WHERE s.id = audit_event.entity_id)
    WHEN 'sheet'   THEN (SELECT s.client_id FROM sheet sh JOIN session s ON s.id = sh.session_id
                         WHERE sh.id = audit_event.entity_id)
END, 0)
WHERE entity IN ('client', 'session', 'sheet');

-- One row: the newest event's ID and hash, and the number of events.
-- Every audit write updates it in the same transaction.
CREATE TABLE audit_head (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    last_id INTEGER NOT NULL,
    events  INTEGER NOT NULL,
    hash    TEXT    NOT NULL
) STRICT;

-- Go computes the hashes of the events already there (SQL has no SHA-256)
-- and writes audit_head, inside this migration's transaction.
-- go: chain_audit_events

CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event
BEGIN
    SELECT RAISE(ABORT, 'the audit trail is append-only: events cannot be changed');
END;

CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event
BEGIN
    SELECT RAISE(ABORT, 'the audit trail is append-only: events cannot be deleted');
END;

-- The audit screen's filters, each read newest first (by ID) and stopped
-- at the end of the page. A filter on the time alone reads the time
-- index; with another filter, that filter's index is read and the time
-- tested on the way.
CREATE INDEX audit_event_by_actor  ON audit_event (actor_id, id);
CREATE INDEX audit_event_by_client ON audit_event (client_id, id);
CREATE INDEX audit_event_by_action ON audit_event (action, id);
CREATE INDEX audit_event_by_time   ON audit_event (at);
