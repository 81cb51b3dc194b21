-- Schema 20: each appointment keeps a copy of its client's name, in the
-- day index, so the day view does not seek into the client table once
-- for every row. On the bench clinic's busiest day (1,112 appointments)
-- those seeks were a fifth of the day's read: one client page each,
-- scattered over forty megabytes of clients.
--
-- The copy is the given and family names joined by the unit separator
-- (U+001F, which validation keeps out of every name), as the reads split
-- it. SQLite keeps it, not the store's Go code, so no path that writes
-- an appointment or renames a client can forget it: a new appointment
-- takes its client's name as it is written, one moved to another client
-- takes that client's, and a renamed client's appointments take the new
-- name in the rename's own transaction. `needledesk check` reports a copy
-- that differs (only an edit outside NeedleDesk can make one).
--
-- The PostgreSQL store keeps the same copy the same way (its migration
-- 8), and a move to the server copies it with the row.
ALTER TABLE appointment ADD COLUMN client_name TEXT NOT NULL DEFAULT '';

UPDATE appointment SET client_name = (
    SELECT c.given_name || char(31) || c.family_name FROM client c WHERE c.id = appointment.client_id);

DROP INDEX appointment_by_day;
CREATE INDEX appointment_by_day ON appointment (start_at, id, end_at, client_id, client_name, technician_id, room_id,
    treatment_id, minutes, session_id, course_id, sequence, status, cancel_reason, version,
    created_at, created_by, updated_at, updated_by, note, cancel_note, warnings, override_reason);

CREATE TRIGGER appointment_client_name_on_insert AFTER INSERT ON appointment
BEGIN
    UPDATE appointment SET client_name = (
        SELECT c.given_name || char(31) || c.family_name FROM client c WHERE c.id = NEW.client_id)
    WHERE id = NEW.id;
END;

CREATE TRIGGER appointment_client_name_on_new_client AFTER UPDATE OF client_id ON appointment
WHEN NEW.client_id IS NOT OLD.client_id
BEGIN
    UPDATE appointment SET client_name = (
        SELECT c.given_name || char(31) || c.family_name FROM client c WHERE c.id = NEW.client_id)
    WHERE id = NEW.id;
END;

CREATE TRIGGER client_name_to_appointments AFTER UPDATE OF given_name, family_name ON client
WHEN NEW.given_name IS NOT OLD.given_name OR NEW.family_name IS NOT OLD.family_name
BEGIN
    UPDATE appointment SET client_name = NEW.given_name || char(31) || NEW.family_name
    WHERE client_id = NEW.id;
END;
