-- A count of the changes to the order of the client list.

-- A search with thousands of matches puts them in name order from a copy
-- of the whole list held in memory (nameOrder in name_order.go), since
-- looking up each match's name in the database took most of its time. The
-- copy may be used only while it is the list as it stands, whoever changed
-- the list since: this connection, another window or another program, or
-- a statement typed by hand. version goes up with every change that can
-- move a client in the list or on or off it (a client added or removed, a
-- name re-sorted, archived or brought back), in the same transaction as
-- the change, so a search that reads version in the same statement as its
-- matches knows whether the copy fits them. Changes to anything else
-- (sessions, notes, the next due date) leave it alone.
CREATE TABLE client_order (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
) STRICT;

INSERT INTO client_order (id, version) VALUES (1, 0);

CREATE TRIGGER client_order_insert AFTER INSERT ON client
BEGIN
    UPDATE client_order SET version = version + 1 WHERE id = 1;
END;

CREATE TRIGGER client_order_update AFTER UPDATE OF id, family_sort, given_sort, archived_at ON client
WHEN old.id IS NOT new.id OR old.family_sort IS NOT new.family_sort OR old.given_sort IS NOT new.given_sort
    OR (old.archived_at IS NULL) IS NOT (new.archived_at IS NULL)
BEGIN
    UPDATE client_order SET version = version + 1 WHERE id = 1;
END;

CREATE TRIGGER client_order_delete AFTER DELETE ON client
BEGIN
    UPDATE client_order SET version = version + 1 WHERE id = 1;
END;
