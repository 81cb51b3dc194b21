-- Schema 8: the day view reads every appointment of a busy day (1,100
-- on the bench clinic) from the index alone, in the day's order, as the
-- SQLite store does since its migrations 19 and 20.
--
-- Read by start time, each appointment was a visit to its table page
-- and a lookup of its client by ID: together most of the server's time.
-- Now:
-- - each appointment keeps a copy of its client's name (given and family
--   joined by U+001F, which validation keeps out of every name), set by
--   the server as the row is written and when the client is renamed, as
--   SQLite's triggers do; the move from a SQLite file copies it;
-- - has_texts says whether any of its free texts (note, cancellation
--   note, warnings, override reason) is set: those can be long, too long
--   for an index entry, so the day view fetches them from the table only
--   for the few appointments that have one. It is computed by the server
--   from the row (a generated column), so it is never moved or written;
-- - appointment_by_day holds, after the day's order, every other column
--   the book reads, so a day is one run of index pages (an index-only
--   scan; the table is visited for rows changed since the last vacuum).
--   It replaces the index by start time, which it also serves.
ALTER TABLE appointment ADD COLUMN client_name text NOT NULL DEFAULT '';

UPDATE appointment a SET client_name = c.given_name || chr(31) || c.family_name
FROM client c WHERE c.id = a.client_id;

ALTER TABLE appointment ADD COLUMN has_texts boolean
    GENERATED ALWAYS AS (note <> '' OR cancel_note <> '' OR warnings <> '[]' OR override_reason <> '') STORED;

DROP INDEX appointment_by_start;
CREATE INDEX appointment_by_day ON appointment (start_at, id) INCLUDE (end_at, client_id, client_name,
    technician_id, room_id, treatment_id, minutes, session_id, course_id, sequence, status, cancel_reason,
    version, created_at, created_by, updated_at, updated_by, has_texts);

-- A new appointment, or one given to another client, takes its client's
-- name. A row whose client cannot be found keeps the name it was given
-- (a move copies the name with the row).
CREATE FUNCTION appointment_client_name() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.client_name := coalesce((SELECT given_name || chr(31) || family_name FROM client WHERE id = NEW.client_id),
        NEW.client_name);
    RETURN NEW;
END;
$$;

CREATE TRIGGER appointment_client_name_on_write BEFORE INSERT OR UPDATE OF client_id ON appointment
    FOR EACH ROW EXECUTE FUNCTION appointment_client_name();

-- A renamed client's appointments take the new name, in the rename's
-- own transaction.
CREATE FUNCTION client_name_to_appointments() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE appointment SET client_name = NEW.given_name || chr(31) || NEW.family_name WHERE client_id = NEW.id;
    RETURN NULL;
END;
$$;

CREATE TRIGGER client_name_to_appointments AFTER UPDATE OF given_name, family_name ON client
    FOR EACH ROW
    WHEN (NEW.given_name IS DISTINCT FROM OLD.given_name OR NEW.family_name IS DISTINCT FROM OLD.family_name)
    EXECUTE FUNCTION client_name_to_appointments();
