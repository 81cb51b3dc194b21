-- Schema 9: a count of the changes to the client list, for search.
--
-- Each workstation keeps a copy of the whole client list in memory, in
-- name order and with each client's search columns
-- (data/internal/clientlist), and finds a search's matches there: the
-- trigram index (schema 4) cannot answer every text, and checking each of
-- thousands of candidates in the table took most of a search's time. A
-- copy may be used only while it is the list as it stands, whoever
-- changed it since: this workstation, another, or a statement typed by
-- hand. version goes up with every change that can move a client in the
-- list, put one on or off it, or change what a search finds in it (a
-- client added or removed, a name re-sorted, archived or brought back, a
-- new search text or phone number), in the same transaction as the
-- change; a search reads it in the same statement as the page of clients
-- it shows, and asks the database instead when it is not the copy's.
-- Changes to anything else (sessions, notes, the next due date) leave it
-- alone. SQLite's file has the same table (its migration 8), counting
-- the changes to the order only; a move brings the file's count along.
CREATE TABLE client_order (
    id      bigint PRIMARY KEY CHECK (id = 1),
    version bigint NOT NULL
);

INSERT INTO client_order (id, version) VALUES (1, 0);

-- The count goes up once in a transaction however many clients it
-- changes: an import of thousands would otherwise leave thousands of dead
-- versions of the one row for every later update in it to pass. The
-- transaction's ID, kept in a setting local to it, says it was counted;
-- a savepoint rolled back takes the setting back with the count.
CREATE FUNCTION client_order_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('needledesk.client_order_counted', true) IS DISTINCT FROM txid_current()::text THEN
        UPDATE client_order SET version = version + 1 WHERE id = 1;
        PERFORM set_config('needledesk.client_order_counted', txid_current()::text, true);
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER client_order_insert AFTER INSERT ON client
    FOR EACH ROW EXECUTE FUNCTION client_order_count();

CREATE TRIGGER client_order_update AFTER UPDATE ON client
    FOR EACH ROW
    WHEN (OLD.id IS DISTINCT FROM NEW.id OR OLD.family_sort IS DISTINCT FROM NEW.family_sort
        OR OLD.given_sort IS DISTINCT FROM NEW.given_sort OR (OLD.archived_at IS NULL) <> (NEW.archived_at IS NULL)
        OR OLD.search_text IS DISTINCT FROM NEW.search_text OR OLD.phone_digits IS DISTINCT FROM NEW.phone_digits)
    EXECUTE FUNCTION client_order_count();

CREATE TRIGGER client_order_delete AFTER DELETE ON client
    FOR EACH ROW EXECUTE FUNCTION client_order_count();

CREATE TRIGGER client_order_truncate AFTER TRUNCATE ON client
    FOR EACH STATEMENT EXECUTE FUNCTION client_order_count();
